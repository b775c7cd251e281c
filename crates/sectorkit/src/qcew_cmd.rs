//! `sectorkit qcew …` and `sectorkit targets`: import official QCEW files, list datasets, verify
//! files against BLS's own columns, and compute the target-industry table — from the database or
//! straight from files (`--files`, no database touched).
//!
//! This module wires the reader (`sectorkit-data`), the store and the core together and formats
//! output; the statistics themselves live in `sectorkit-core`.

use anyhow::{Context, Result, bail};
use sectorkit_core::codes::{IndustryLevel, Ownership, Period};
use sectorkit_core::rank::{RankMethod, Weights};
use sectorkit_core::stats::LqConvention;
use sectorkit_core::targets::{TargetRow, TargetTable};
use sectorkit_core::verify::VerifyReport;
use sectorkit_data::qcew::Progress;
use sectorkit_engine::import::{ImportSource, import_one_with};
use sectorkit_engine::table::{CSV_COLUMNS, csv_record, figure_value, fmt_opt};
use sectorkit_engine::targets::{TargetRequest, compute_targets, describe_periods};
use sectorkit_store::{ImportOutcome, Store};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

pub use sectorkit_engine::import::DEFAULT_MAX_ROWS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

/// What decides a target table: shared by `targets` and `report workbook`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// Comma list of county FIPS (39049), QCEW MSA codes (C1814), CBSA codes (cbsa:18140), CSA
    /// codes (CS198) or states (39000 = all its counties).
    #[arg(long, value_name = "CODES")]
    pub region: String,
    /// Period: a year (2020) or a quarter (2020Q1).
    #[arg(long, value_name = "P")]
    pub period: Period,
    /// Base period for growth and shift-share (e.g. 2019 or 2019Q1).
    #[arg(long, value_name = "P0")]
    pub base_period: Option<Period>,
    /// Ownership code: 5 private (default), 1 federal, 2 state, 3 local government.
    #[arg(long, value_name = "K", default_value = "5")]
    pub ownership: Ownership,
    /// Industry level: supersector, sector, 3, 4, 5 or 6.
    #[arg(long, value_name = "L", default_value = "3")]
    pub level: IndustryLevel,
    /// Factor weights, e.g. employment=2,pay=1,growth=1,lq=1 (factors left out weigh 0).
    #[arg(long, value_name = "factor=w,...")]
    pub weights: Option<Weights>,
    /// Rank method: fractional ranks for ties (default) or competition ranks.
    #[arg(long, value_enum, default_value = "fractional")]
    pub rank: RankArg,
    /// Industries below this employment are listed but not ranked.
    #[arg(long, value_name = "N")]
    pub min_employment: Option<f64>,
    /// How many top industries to highlight and test in the sensitivity report.
    #[arg(long, value_name = "N", default_value = "10")]
    pub top: usize,
    /// Location-quotient convention: BLS files (base: all-industry, all-ownership total) or the
    /// BLS calculator's private base.
    #[arg(long, value_enum, default_value = "bls-file")]
    pub lq: LqArg,
    /// Estimate suppressed cells (geographic, then industry-hierarchy residuals). Estimates are
    /// labelled and never replace published values.
    #[arg(long)]
    pub estimates: bool,
    /// Compute straight from these QCEW files instead of the database.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Projection area (imported with `sectorkit projections import`) whose industry growth rates
    /// give the projected-growth factor. Default: the region's state, when its projections were
    /// imported; otherwise the factor is absent.
    #[arg(long, value_name = "AREA", conflicts_with = "projections_file")]
    pub projections: Option<String>,
    /// Read projections from this file (sectorkit's CSV template) instead of the database.
    #[arg(long, value_name = "FILE")]
    pub projections_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TargetsArgs {
    #[command(flatten)]
    pub table: TableArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RankArg {
    Fractional,
    Competition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LqArg {
    BlsFile,
    Private,
}

// ---- progress ---------------------------------------------------------------------------------

fn progress_bar(name: &str, total: Option<u64>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match total {
        Some(t) => indicatif::ProgressBar::new(t),
        None => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} · {prefix}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(name.to_string());
    bar
}

/// "1,234,567 rows, 850,000 rows/s" for the progress bar.
fn rows_prefix(rows: u64, bar: &indicatif::ProgressBar) -> String {
    let secs = bar.elapsed().as_secs_f64();
    if secs > 0.0 {
        format!("{rows} rows, {:.0} rows/s", rows as f64 / secs)
    } else {
        format!("{rows} rows")
    }
}

// ---- import -----------------------------------------------------------------------------------

pub async fn import_cmd(
    store: &Store,
    files: &[PathBuf],
    max_rows: u64,
    threads: Option<usize>,
) -> Result<()> {
    let mut failed = 0;
    for f in files {
        let name = f.display().to_string();
        let bar = progress_bar(&name, std::fs::metadata(f).ok().map(|m| m.len()));
        let cb_bar = bar.clone();
        let progress: sectorkit_engine::import::ProgressFn = Arc::new(move |p: Progress| {
            cb_bar.set_position(p.bytes_read);
            cb_bar.set_prefix(rows_prefix(p.rows, &cb_bar));
        });
        let outcome = import_one_with(
            store,
            ImportSource::Path(f.clone()),
            "cli",
            max_rows,
            Some(progress),
            threads,
        )
        .await;
        bar.finish_and_clear();
        match outcome {
            Ok(ImportOutcome::Imported(ds)) => println!(
                "imported {}: {}, periods {}, {} rows ({} suppressed){} as dataset #{}",
                ds.file_name,
                ds.layout,
                ds.periods,
                ds.rows_read,
                ds.suppressed_rows,
                if ds.rows_replaced > 0 {
                    format!(", replacing {} rows of earlier vintages", ds.rows_replaced)
                } else {
                    String::new()
                },
                ds.id.0
            ),
            Ok(ImportOutcome::AlreadyImported(ds)) => println!(
                "skipped {}: already imported as dataset #{} (same SHA-256)",
                f.display(),
                ds.id.0
            ),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} file(s) failed; the others were imported",
            files.len()
        );
    }
    Ok(())
}

pub async fn datasets_cmd(store: &Store, format: OutputFormat) -> Result<()> {
    let ds = store.datasets().await?;
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let v: Vec<_> = ds
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "id": d.id.0, "file_name": d.file_name, "sha256": d.sha256,
                        "layout": d.layout, "periods": d.periods.split(',').collect::<Vec<_>>(),
                        "rows": d.rows_read, "suppressed_rows": d.suppressed_rows,
                        "rows_replaced": d.rows_replaced, "bytes": d.bytes, "source": d.source,
                        "imported_at": d.imported_at,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record([
                "id",
                "file_name",
                "sha256",
                "layout",
                "periods",
                "rows",
                "suppressed_rows",
                "rows_replaced",
                "bytes",
                "source",
                "imported_at",
            ])?;
            for d in &ds {
                w.write_record([
                    d.id.0.to_string(),
                    d.file_name.clone(),
                    d.sha256.clone(),
                    d.layout.clone(),
                    d.periods.clone(),
                    d.rows_read.to_string(),
                    d.suppressed_rows.to_string(),
                    d.rows_replaced.to_string(),
                    d.bytes.to_string(),
                    d.source.clone(),
                    d.imported_at.to_string(),
                ])?;
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            if ds.is_empty() {
                writeln!(
                    out,
                    "No QCEW datasets imported yet. Use `sectorkit qcew import FILE`."
                )?;
            }
            for d in &ds {
                let share = if d.rows_read > 0 {
                    100.0 * d.suppressed_rows as f64 / d.rows_read as f64
                } else {
                    0.0
                };
                writeln!(
                    out,
                    "#{:<4} {:<40} {:<22} {:>9} rows  {:>5.1}% suppressed  periods {}  sha256 {}…",
                    d.id.0,
                    d.file_name,
                    d.layout,
                    d.rows_read,
                    share,
                    d.periods,
                    &d.sha256[..d.sha256.len().min(12)]
                )?;
            }
        }
    }
    Ok(())
}

// ---- targets ----------------------------------------------------------------------------------

pub async fn projections_import_cmd(store: &Store, files: &[PathBuf]) -> Result<()> {
    use sha2::{Digest, Sha256};
    let mut failed = 0;
    for path in files {
        let r: Result<()> = async {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            if bytes.len() > 100 * 1024 * 1024 {
                bail!("{} is larger than 100 MB", path.display());
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file = sectorkit_data::projections::read_projections(&name, bytes.as_slice())?;
            let rows: Vec<sectorkit_store::ProjectionDbRow> = file
                .rows
                .iter()
                .map(|r| sectorkit_store::ProjectionDbRow {
                    area_code: r.area_code.clone(),
                    area_name: r.area_name.clone(),
                    industry_code: r.projection.industry.as_str().to_string(),
                    base_year: r.projection.base_year as i64,
                    base_employment: r.projection.base,
                    projected_year: r.projection.projected_year as i64,
                    projected_employment: r.projection.projected,
                })
                .collect();
            let sha = hex::encode(Sha256::digest(&bytes));
            let (set, new) = store
                .import_projections(&name, &sha, "cli", file.not_published as i64, &rows)
                .await
                .map_err(|e| anyhow::anyhow!("{name}: {e}; nothing was imported"))?;
            if new {
                println!(
                    "imported {name}: {} projections ({} not published, skipped) as set #{}",
                    set.rows_read, set.not_published, set.id
                );
            } else {
                println!("skipped {name}: already imported as set #{}", set.id);
            }
            Ok(())
        }
        .await;
        if let Err(e) = r {
            failed += 1;
            eprintln!("error: {e:#}");
        }
    }
    if failed > 0 {
        bail!("{failed} of {} file(s) failed", files.len());
    }
    Ok(())
}

pub async fn projections_list_cmd(store: &Store) -> Result<()> {
    let areas = store.projection_areas().await?;
    if areas.is_empty() {
        println!(
            "No projections imported yet. Use `sectorkit projections import FILE` (template: `sectorkit projections template`)."
        );
    }
    for a in areas {
        println!(
            "{:<10} {:<40} {}–{}  {} industries  (set #{})",
            a.area_code, a.area_name, a.base_year, a.projected_year, a.industries, a.set_id
        );
    }
    Ok(())
}

pub fn write_targets(
    table: &TargetTable,
    region: &sectorkit_data::geo::Region,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record(CSV_COLUMNS)?;
            for r in &table.rows {
                w.write_record(csv_record(r))?;
            }
            w.flush()?;
        }
        OutputFormat::Json => {
            let rows: Vec<serde_json::Value> = table
                .rows
                .iter()
                .map(|r| {
                    let rec = csv_record(r);
                    let mut m = serde_json::Map::new();
                    for (k, v) in CSV_COLUMNS.iter().zip(rec) {
                        let val = if v.is_empty() {
                            serde_json::Value::Null
                        } else if let Ok(n) = v.parse::<f64>() {
                            if *k == "industry_code" || *k == "own_code" {
                                serde_json::Value::String(v)
                            } else {
                                serde_json::json!(n)
                            }
                        } else if v == "true" || v == "false" {
                            serde_json::Value::Bool(v == "true")
                        } else {
                            serde_json::Value::String(v)
                        };
                        m.insert(k.to_string(), val);
                    }
                    serde_json::Value::Object(m)
                })
                .collect();
            let doc = serde_json::json!({
                "region": { "name": region.name, "counties": region.counties.iter().map(|c| c.as_str()).collect::<Vec<_>>() },
                "period": table.period.to_string(),
                "base_period": table.base_period.map(|p| p.to_string()),
                "ownership": table.ownership.code(),
                "level": table.level.as_str(),
                "hachman_index": table.hachman,
                "estimated_employment_share": table.estimated_employment_share,
                "notes": region.notes.iter().cloned().chain(table.notes.iter().map(|n| n.to_string())).collect::<Vec<_>>(),
                "sensitivity": {
                    "top_n": table.sensitivity.top_n,
                    "cases": table.sensitivity.cases.iter().map(|c| serde_json::json!({
                        "factor": c.factor.as_str(), "multiplier": c.multiplier, "changed": c.changed
                    })).collect::<Vec<_>>(),
                },
                "rows": rows,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} · {} · {} · {}{}",
                region.name,
                table.period,
                table.ownership.title(),
                table.level.label(),
                table
                    .base_period
                    .map(|b| format!(" · growth since {b}"))
                    .unwrap_or_default()
            )?;
            writeln!(
                out,
                "{:>4}  {:<8} {:<38} {:>9} {:>6} {:>10} {:>8} {:>7}  flags",
                "rank", "code", "industry", "employ.", "LQ", "avg pay", "growth%", "score"
            )?;
            let mut rows: Vec<&TargetRow> = table.rows.iter().collect();
            rows.sort_by_key(|r| {
                (
                    r.ranking
                        .as_ref()
                        .and_then(|k| k.position)
                        .unwrap_or(usize::MAX),
                    r.industry_code.as_str().to_string(),
                )
            });
            for r in rows {
                let title: String = r.industry_title.chars().take(38).collect();
                let mut flags = String::new();
                match r.status.as_str() {
                    "suppressed" => flags.push_str("suppressed "),
                    "partial" => flags.push_str("partial "),
                    _ => {}
                }
                if r.estimated {
                    flags.push_str("estimated ");
                }
                if r.ranking.as_ref().is_some_and(|k| k.top_n) {
                    flags.push_str("top");
                }
                writeln!(
                    out,
                    "{:>4}  {:<8} {:<38} {:>9} {:>6} {:>10} {:>8} {:>7}  {}",
                    r.ranking
                        .as_ref()
                        .and_then(|k| k.position)
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "-".into()),
                    r.industry_code.as_str(),
                    title,
                    figure_value(&r.employment)
                        .map(|v| format!("{v:.0}"))
                        .unwrap_or_else(|| "(N)".into()),
                    fmt_opt(r.lq_employment, 2),
                    fmt_opt(r.avg_annual_pay, 0),
                    fmt_opt(r.pct_change, 1),
                    fmt_opt(r.score(), 2),
                    flags.trim_end()
                )?;
            }
            if let Some(h) = table.hachman {
                writeln!(out, "Hachman index: {h:.3}")?;
            }
            if let Some(s) = table.estimated_employment_share.filter(|s| *s > 0.0) {
                writeln!(out, "Share of employment estimated: {:.1}%", s * 100.0)?;
            }
            writeln!(
                out,
                "Sensitivity: each weight ×0.5 and ×1.5 changes at most {} of the top {}.",
                table.sensitivity.max_changed(),
                table.sensitivity.top_n
            )?;
            for n in region.notes.iter() {
                writeln!(out, "note: {n}")?;
            }
            for n in &table.notes {
                writeln!(out, "note: {n}")?;
            }
            writeln!(out, "(N) = suppressed by BLS: unknown, not zero.")?;
        }
    }
    Ok(())
}

impl TableArgs {
    /// The engine request these arguments describe.
    pub fn request(&self) -> TargetRequest {
        TargetRequest {
            region: self.region.clone(),
            period: self.period,
            base_period: self.base_period,
            ownership: self.ownership,
            level: self.level,
            weights: self.weights,
            rank: match self.rank {
                RankArg::Fractional => RankMethod::Fractional,
                RankArg::Competition => RankMethod::Competition,
            },
            min_employment: self.min_employment,
            top: self.top,
            lq: match self.lq {
                LqArg::BlsFile => LqConvention::BlsFile,
                LqArg::Private => LqConvention::BlsCalculatorPrivate,
            },
            estimates: self.estimates,
            files: self.files.clone(),
            projections: self.projections.clone(),
            projections_file: self.projections_file.clone(),
        }
    }
}

pub async fn targets_cmd(store: Option<&Store>, args: &TargetsArgs) -> Result<()> {
    let bars: std::sync::Mutex<std::collections::HashMap<String, indicatif::ProgressBar>> =
        Default::default();
    let progress = |name: &str, p: Progress| {
        let mut bars = bars.lock().unwrap_or_else(|e| e.into_inner());
        let bar = bars
            .entry(name.to_string())
            .or_insert_with(|| progress_bar(name, p.bytes_total));
        bar.set_position(p.bytes_read);
        bar.set_prefix(rows_prefix(p.rows, bar));
    };
    let result = compute_targets(store, &args.table.request(), Some(&progress)).await;
    for (_, b) in bars.lock().unwrap_or_else(|e| e.into_inner()).drain() {
        b.finish_and_clear();
    }
    let (table, region) = result?;
    let mut out = std::io::stdout().lock();
    write_targets(&table, &region, args.format, &mut out)
}

// ---- verify -----------------------------------------------------------------------------------

pub fn write_verify(report: &VerifyReport, out: &mut dyn Write) -> Result<()> {
    for r in &report.results {
        if r.checked == 0 && r.not_checkable == 0 {
            continue;
        }
        let share = r
            .agreement_share()
            .map(|s| format!("{:.2}%", s * 100.0))
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<32} agrees on {} of {} cells ({share}){}",
            r.check.column(),
            r.agreeing,
            r.checked,
            if r.not_checkable > 0 {
                format!(
                    "; {} published cells not checkable (an input is suppressed or missing)",
                    r.not_checkable
                )
            } else {
                String::new()
            }
        )?;
        for d in r.worst.iter().take(5) {
            writeln!(
                out,
                "    worst: {} own {} industry {} {}: computed {} vs BLS {} (off by {:.4})",
                d.area,
                d.ownership.code(),
                d.industry,
                d.period,
                d.computed,
                d.published,
                d.diff()
            )?;
        }
    }
    if !report.periods_without_nation.is_empty() {
        writeln!(
            out,
            "LQ not checked for {}: no US000 rows of that period in the files.",
            describe_periods(report.periods_without_nation.clone())
        )?;
    }
    if !report.periods_without_prior_year.is_empty() {
        writeln!(
            out,
            "Over-the-year changes not checked for {}: the prior year's file is not among the files.",
            describe_periods(report.periods_without_prior_year.clone())
        )?;
    }
    if report.looks_like_mixed_vintages {
        writeln!(
            out,
            "warning: the files look like different BLS vintages: most LQs agree and the rest differ slightly, \
             which is what happens when area and national files were downloaded before and after a BLS revision. \
             Download all files of a period at the same time for exact agreement."
        )?;
    }
    Ok(())
}

pub fn verify_cmd(files: &[PathBuf], format: OutputFormat) -> Result<()> {
    let report = sectorkit_engine::verify::verify_files(files)?;
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let v = serde_json::json!({
                "checks": report.results.iter().map(|r| serde_json::json!({
                    "column": r.check.column(), "checked": r.checked, "agreeing": r.agreeing,
                    "not_checkable": r.not_checkable,
                    "worst": r.worst.iter().map(|d| serde_json::json!({
                        "area": d.area.as_str(), "own_code": d.ownership.code(), "industry": d.industry.as_str(),
                        "period": d.period.to_string(), "computed": d.computed, "published": d.published,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "periods_without_nation": report.periods_without_nation.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                "periods_without_prior_year": report.periods_without_prior_year.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                "looks_like_mixed_vintages": report.looks_like_mixed_vintages,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        _ => write_verify(&report, &mut out)?,
    }
    Ok(())
}

// ---- report workbook --------------------------------------------------------------------------

#[derive(Debug, clap::Args)]
pub struct WorkbookArgs {
    /// The table's settings; the weights land in the Score tab's input cells, the rank method
    /// picks RANK.AVG (fractional) or RANK.EQ (competition), `--top` is the highlight's N.
    #[command(flatten)]
    pub table: TableArgs,
    /// Where to write the workbook (.xlsx).
    #[arg(long, value_name = "F.xlsx")]
    pub out: PathBuf,
    /// Shortlisted industries (NAICS codes, comma-separated): adds the Staffing and Occupations
    /// tabs from the imported OEWS data (needs the database).
    #[arg(long, value_name = "NAICS,...", value_delimiter = ',')]
    pub shortlist: Vec<String>,
}

/// `sectorkit report workbook`: the needs-assessment workbook of a region.
pub async fn workbook_cmd(store: Option<&Store>, args: &WorkbookArgs) -> Result<()> {
    let req = args.table.request();
    let (table, region) = compute_targets(store, &req, None).await?;
    let sources = sectorkit_engine::targets::table_sources(store, &req).await?;
    let occupations = match (store, args.shortlist.is_empty()) {
        (_, true) => None,
        (None, false) => anyhow::bail!(
            "--shortlist needs the database with OEWS data imported (`sectorkit oews import`)"
        ),
        (Some(store), false) => {
            let mut oreq = sectorkit_engine::occupations::OccupationRequest::new(
                args.table.region.clone(),
                args.shortlist.clone(),
            );
            oreq.period = Some(req.period);
            oreq.ownership = req.ownership;
            Some(
                sectorkit_engine::occupations::compute_occupations(store, &oreq)
                    .await
                    .context("the Staffing and Occupations tabs (--shortlist)")?,
            )
        }
    };
    let occ_sources = match (store, occupations.is_some()) {
        (Some(store), true) => sectorkit_engine::targets::occupation_sources(store).await?,
        _ => Vec::new(),
    };
    let bytes = sectorkit_export::needs_assessment_workbook(&sectorkit_export::WorkbookInput {
        table: &table,
        region: &region,
        request: &req,
        sources: &sources,
        occupations: occupations.as_ref(),
        occupation_sources: &occ_sources,
    })?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "Wrote {} ({} industries, {} bytes).",
        args.out.display(),
        table.rows.len(),
        bytes.len()
    );
    Ok(())
}
