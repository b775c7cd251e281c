//! `sectorkit participants`: synthetic participant files, imports of large participant files
//! from the terminal (streamed row by row, all or nothing), and every indicator with its
//! breakdowns as CSV — the same reader, store and disclosure rule as the web app. The
//! benchmark (`bench/participants.sh`) drives these.

use crate::token_cmd::partnership_id;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use sectorkit_core::day::Day;
use sectorkit_core::disclosure::Threshold;
use sectorkit_core::outcomes::{
    DemographicField, Indicator, Split, TwoWayBreakdown, breakdown_two_way,
};
use sectorkit_data::participants::{Mapping, RowParser, synthetic_csv};
use sectorkit_store::Store;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// The most rows one command-line import reads (the web app takes 50,000 per file).
pub const MAX_CLI_ROWS: usize = 5_000_000;

#[derive(Debug, Subcommand)]
pub enum ParticipantsCommand {
    /// Write synthetic participant records (generated; no real person) as a CSV with sectorkit's
    /// field names as the header. The distributions are documented in
    /// `sectorkit_data::participants::synthetic_csv`.
    ///
    /// Example: sectorkit participants synth --rows 1000000 --out synthetic.csv
    Synth {
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Outcome quarters that end after this day are left empty (not known yet).
        #[arg(long, default_value = "2026-09-30")]
        as_of: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Import a participant CSV (UTF-8, comma-separated) into a partnership, all or nothing. The
    /// columns are matched by the partnership's saved mapping, else by our field names.
    ///
    /// Example: sectorkit participants import synthetic.csv --partnership central-ohio --email ana@example.org
    Import {
        file: PathBuf,
        /// Partnership slug or id.
        #[arg(long)]
        partnership: String,
        /// The staff member or owner the import is recorded under.
        #[arg(long)]
        email: String,
        /// Record the file as synthetic (labelled so in the app).
        #[arg(long)]
        synthetic: bool,
    },
    /// Every indicator by exit cohort and by each demographic field, for all programs and each
    /// program, after disclosure control (suppressed values empty), as CSV.
    Indicators {
        /// Partnership slug or id.
        #[arg(long)]
        partnership: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `participants synth` needs no database.
pub fn synth(rows: usize, seed: u64, as_of: &str, out: &PathBuf) -> Result<()> {
    let as_of: Day = as_of
        .parse()
        .map_err(|_| anyhow::anyhow!("--as-of: {as_of:?} is not a date (2026-09-30)"))?;
    let t = Instant::now();
    let text = synthetic_csv(rows, seed, as_of);
    std::fs::write(out, text.as_bytes()).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {rows} synthetic participant rows to {} ({} bytes) in {:.2} s",
        out.display(),
        text.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn run(store: &Store, cmd: &ParticipantsCommand) -> Result<()> {
    match cmd {
        ParticipantsCommand::Synth {
            rows,
            seed,
            as_of,
            out,
        } => synth(*rows, *seed, as_of, out),
        ParticipantsCommand::Import {
            file,
            partnership,
            email,
            synthetic,
        } => import(store, file, partnership, email, *synthetic).await,
        ParticipantsCommand::Indicators { partnership, out } => {
            indicators(store, partnership, out.as_ref()).await
        }
    }
}

async fn import(
    store: &Store,
    file: &PathBuf,
    partnership: &str,
    email: &str,
    synthetic: bool,
) -> Result<()> {
    let pid = partnership_id(store, partnership).await?;
    let user = store
        .user_by_email(email)
        .await?
        .with_context(|| format!("--email: no account {email:?}"))?;
    let role = store.role_in(user.id, pid).await?;
    if role.is_none_or(|r| r < sectorkit_core::role::Role::Staff) {
        bail!("--email: {email} is not staff or owner of {partnership}");
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "participants.csv".into());
    let t0 = Instant::now();
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let sha = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&bytes))
    };
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let headers: Vec<String> = rd
        .headers()
        .with_context(|| format!("{name}: no header line"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let saved = Mapping::from_pairs(&store.participant_mapping(pid).await?);
    let mapping = Mapping::suggest(&headers, &saved);
    let fresh = sectorkit_web::auth::random_token().into_bytes();
    let key = store.partnership_hmac_key(pid, &fresh).await?;
    let today = Day::from_unix(sectorkit_store::now_unix());
    let mut parser =
        RowParser::new(&headers, &mapping, &key, today).map_err(|e| report(&name, &e))?;
    let mut rows = 0usize;
    let mut record = csv::StringRecord::new();
    let mut cells: Vec<String> = Vec::new();
    while rd
        .read_record(&mut record)
        .with_context(|| format!("{name}: not readable as CSV"))?
    {
        rows += 1;
        if rows > MAX_CLI_ROWS {
            bail!(
                "{name} has more than {MAX_CLI_ROWS} rows (the limit of one import): split it; nothing was imported"
            );
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(rows + 1, |p| p.line() as usize);
        cells.clear();
        cells.extend(record.iter().map(str::to_string));
        parser.push(line, &cells);
    }
    let parsed = parser.finish().map_err(|e| report(&name, &e))?;
    let t_parse = t0.elapsed().as_secs_f64();
    let counts = store
        .import_participants(
            pid,
            None,
            &name,
            &sha,
            synthetic,
            rows,
            &parsed.records,
            user.id,
        )
        .await?;
    eprintln!(
        "imported {name}: {rows} rows read, {} new, {} updated, {} duplicate rows (the last kept); read and checked in {t_parse:.2} s, saved in {:.2} s",
        counts.created,
        counts.updated,
        parsed.duplicates,
        t0.elapsed().as_secs_f64() - t_parse
    );
    Ok(())
}

fn report(name: &str, errors: &[sectorkit_data::participants::RowError]) -> anyhow::Error {
    let mut msg = format!("{name}: nothing was imported; {} problem(s):", errors.len());
    for e in errors.iter().take(20) {
        msg.push_str(&format!("\n  line {}, {}: {}", e.line, e.field, e.message));
    }
    anyhow::anyhow!(msg)
}

async fn indicators(store: &Store, partnership: &str, out: Option<&PathBuf>) -> Result<()> {
    let pid = partnership_id(store, partnership).await?;
    let t0 = Instant::now();
    let records = store.participants(pid).await?;
    let t_load = t0.elapsed().as_secs_f64();
    let outcomes: Vec<_> = records.iter().map(|r| r.outcome.clone()).collect();
    let k = Threshold::DEFAULT;
    let n = records.len();
    let programs = Split::new(n, |i| Some(records[i].program.clone()));
    let cohorts = Split::new(n, |i| records[i].cohort().map(|c| c.to_string()));
    let fields: Vec<(DemographicField, Split)> = DemographicField::ALL
        .iter()
        .map(|&f| (f, Split::new(n, |i| f.group(&records[i].demographics))))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "indicator",
        "split",
        "group",
        "program",
        "persons",
        "value",
        "status",
    ])?;
    let mut cells = 0usize;
    let mut write =
        |w: &mut csv::Writer<Vec<u8>>, t: &TwoWayBreakdown, split: &str| -> Result<()> {
            let mut row = |group: &str, prog: &str, c: &sectorkit_core::outcomes::Cell| {
                cells += 1;
                let shown = c.status.published();
                w.write_record([
                    t.indicator.code(),
                    split,
                    group,
                    prog,
                    &if shown {
                        c.measure.persons().to_string()
                    } else {
                        String::new()
                    },
                    &c.shown().map(|v| format!("{v:.4}")).unwrap_or_default(),
                    c.status.code(),
                ])
            };
            row("all", "all", &t.grand)?;
            for (r, c) in t.rows.iter().zip(&t.row_totals) {
                row(r, "all", c)?;
            }
            for (ci, p) in t.cols.iter().enumerate() {
                row("all", p, &t.col_totals[ci])?;
                for (ri, r) in t.rows.iter().enumerate() {
                    row(r, p, &t.cells[ri][ci])?;
                }
            }
            Ok(())
        };
    for ind in Indicator::ALL {
        let t = breakdown_two_way(ind, &outcomes, &cohorts, &programs, k);
        write(&mut w, &t, "exit_cohort")?;
        for (f, split) in &fields {
            let t = breakdown_two_way(ind, &outcomes, split, &programs, k);
            write(&mut w, &t, f.code())?;
        }
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    let t_all = t0.elapsed().as_secs_f64();
    match out {
        Some(p) => std::fs::write(p, &bytes).with_context(|| format!("writing {}", p.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    eprintln!(
        "{} participants: {} indicators x (exit cohort + {} fields) x programs = {cells} cells in {:.2} s (loading {t_load:.2} s)",
        records.len(),
        Indicator::ALL.len(),
        DemographicField::ALL.len(),
        t_all
    );
    Ok(())
}
