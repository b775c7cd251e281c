//! `sectorkit commute` and `sectorkit lodes import|datasets`: commuting flows of a region from
//! Census LODES OD files (straight from files, or from the database) and the LODES import.
//!
//! Output formats of `commute`:
//! - `table`: readable terminal output (summary, the largest counties of both sheds, segments,
//!   coverage notes);
//! - `json`: one object with `interior`, `inflow`, `outflow`, `employed_in_region`,
//!   `residents_employed`, `labor_shed` and `commute_shed` (lists of `{county, name, jobs,
//!   share}`, largest first), `segments`, `coverage`, `region`, `year`, `job_type`, `files`;
//! - `csv`: the long format of [`CSV_COLUMNS`]: one row per measure, county and segment.
//!
//! Wiring and formatting only: the engine reads and computes.

use anyhow::Result;
use sectorkit_core::commute::{Segment, ShedEntry};
use sectorkit_data::lodes::{JobType, OdExpect};
use sectorkit_engine::commute::{
    CommuteReport, commute_from_files, commute_from_store, import_lodes,
};
use sectorkit_store::{LodesImport, Store};
use std::io::Write;
use std::path::PathBuf;

use crate::qcew_cmd::OutputFormat;

/// Columns of `sectorkit commute --format csv` (long format). `measure` is one of `interior`,
/// `inflow`, `outflow`, `employed_in_region`, `residents_employed` (no county), `labor_shed` or
/// `commute_shed` (one row per county); `segment` is `S000` (all jobs) or `SA01` … `SI03` (the
/// interior/inflow/outflow breakdowns); `share` is a fraction of `employed_in_region`
/// (labor shed) or `residents_employed` (commute shed), empty for the counts.
pub const CSV_COLUMNS: [&str; 6] = [
    "measure",
    "county",
    "county_name",
    "segment",
    "jobs",
    "share",
];

#[derive(Debug, clap::Args)]
pub struct CommuteArgs {
    /// Comma list of county FIPS (44007), QCEW MSA codes (C3930), CBSA codes (cbsa:39300), CSA
    /// codes or states (44000 = all its counties), as for `sectorkit targets`.
    #[arg(long, value_name = "CODES")]
    pub region: String,
    /// LODES OD files ({st}_od_{main|aux}_{JT}_{year}.csv[.gz]). Without them the LODES data
    /// imported into the database is used.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "xwalk")]
    pub od: Vec<PathBuf>,
    /// The LODES block crosswalk ({st}_xwalk.csv[.gz]): county names and LODES version.
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "od")]
    pub xwalk: Vec<PathBuf>,
    /// Year the files must be (checked against their names); from the database: the year to use
    /// (default: the newest imported).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// Job type (JT00 all jobs … JT05); checked against the file names.
    #[arg(long, value_name = "JT", value_parser = parse_job_type)]
    pub job_type: Option<JobType>,
    /// How many counties of each shed the table shows (CSV and JSON list all).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct LodesImportArgs {
    /// LODES OD files ({st}_od_{main|aux}_{JT}_{year}.csv[.gz]).
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub od: Vec<PathBuf>,
    /// The LODES block crosswalk of the files' version ({st}_xwalk.csv[.gz]).
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub xwalk: Vec<PathBuf>,
    /// Year the files must be (checked against their names).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// Job type the files must be (checked against their names).
    #[arg(long, value_name = "JT", value_parser = parse_job_type)]
    pub job_type: Option<JobType>,
}

fn parse_job_type(s: &str) -> Result<JobType, String> {
    JobType::parse(s).ok_or_else(|| format!("{s:?} is not a LODES job type (JT00 … JT05)"))
}

impl CommuteArgs {
    fn expect(&self) -> OdExpect {
        OdExpect {
            year: self.year,
            job_type: self.job_type,
            ..Default::default()
        }
    }
}

/// `sectorkit commute` from files (no store) or from the database.
pub async fn commute_cmd(store: Option<&Store>, args: &CommuteArgs) -> Result<()> {
    let report = match store {
        None => commute_from_files(&args.region, &args.od, &args.xwalk, &args.expect())?,
        Some(store) => {
            commute_from_store(
                store,
                &args.region,
                args.year,
                args.job_type.unwrap_or(JobType::ALL_JOBS),
            )
            .await?
        }
    };
    let mut out = std::io::stdout().lock();
    write_commute(&report, args.format, args.top, &mut out)
}

fn shed_json(report: &CommuteReport, shed: &[ShedEntry]) -> serde_json::Value {
    shed.iter()
        .map(|e| {
            serde_json::json!({
                "county": e.county, "name": report.county_name(&e.county),
                "jobs": e.jobs, "share": e.share,
            })
        })
        .collect()
}

pub fn write_commute(
    report: &CommuteReport,
    format: OutputFormat,
    top: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let f = &report.flows;
    match format {
        OutputFormat::Json => {
            let c = &report.coverage;
            let doc = serde_json::json!({
                "region": {
                    "name": report.region.name,
                    "counties": report.region.counties.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                },
                "year": report.year,
                "job_type": report.job_type.code(),
                "lodes_version": report.lodes_version,
                "interior": f.interior,
                "inflow": f.inflow,
                "outflow": f.outflow,
                "employed_in_region": f.employed_in_region,
                "residents_employed": f.residents_employed,
                "labor_shed": shed_json(report, &f.labor_shed),
                "commute_shed": shed_json(report, &f.commute_shed),
                "segments": f.segments.iter().map(|s| serde_json::json!({
                    "segment": s.segment.code(), "group": s.segment.group(), "label": s.segment.label(),
                    "interior": s.interior, "inflow": s.inflow, "outflow": s.outflow,
                })).collect::<Vec<_>>(),
                "coverage": {
                    "region_states": c.region_states,
                    "neighbour_states": c.neighbour_states,
                    "loaded": c.loaded.iter().map(|(s, p)| serde_json::json!({"state": s, "part": p.as_str()})).collect::<Vec<_>>(),
                    "labor_shed_complete": c.labor_shed_complete,
                    "labor_shed_missing": c.labor_shed_missing.iter().map(|k| k.describe()).collect::<Vec<_>>(),
                    "commute_shed_lower_bound": c.commute_shed_lower_bound,
                    "commute_shed_missing": c.commute_shed_missing.iter().map(|k| k.describe()).collect::<Vec<_>>(),
                    "notes": c.notes,
                },
                "files": report.sources.iter().map(|s| serde_json::json!({
                    "file_name": s.file_name, "state": s.state, "part": s.part.as_str(),
                    "rows": s.rows, "s000": s.s000, "sha256": s.sha256,
                })).collect::<Vec<_>>(),
                "notes": report.region.notes.iter().chain(&report.notes).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record(CSV_COLUMNS)?;
            for (m, v) in [
                ("interior", f.interior),
                ("inflow", f.inflow),
                ("outflow", f.outflow),
                ("employed_in_region", f.employed_in_region),
                ("residents_employed", f.residents_employed),
            ] {
                w.write_record([m, "", "", "S000", &v.to_string(), ""])?;
            }
            for (m, shed) in [
                ("labor_shed", &f.labor_shed),
                ("commute_shed", &f.commute_shed),
            ] {
                for e in shed {
                    w.write_record([
                        m,
                        &e.county,
                        &report.county_name(&e.county),
                        "S000",
                        &e.jobs.to_string(),
                        &format!("{:.6}", e.share),
                    ])?;
                }
            }
            for s in &f.segments {
                for (m, v) in [
                    ("interior", s.interior),
                    ("inflow", s.inflow),
                    ("outflow", s.outflow),
                ] {
                    w.write_record([m, "", "", s.segment.code(), &v.to_string(), ""])?;
                }
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{} · LODES{} {} {} ({})",
                report.region.name,
                report
                    .lodes_version
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default(),
                report.year,
                report.job_type.code(),
                report.job_type.title()
            )?;
            let pct = |part: u64, whole: u64| {
                if whole > 0 {
                    format!("{:5.1}%", 100.0 * part as f64 / whole as f64)
                } else {
                    "     -".into()
                }
            };
            writeln!(
                out,
                "  employed in the region:     {:>10}",
                f.employed_in_region
            )?;
            writeln!(
                out,
                "    living in the region too  {:>10}  {} (interior)",
                f.interior,
                pct(f.interior, f.employed_in_region)
            )?;
            writeln!(
                out,
                "    living outside            {:>10}  {} (inflow)",
                f.inflow,
                pct(f.inflow, f.employed_in_region)
            )?;
            writeln!(
                out,
                "  residents employed:         {:>10}",
                f.residents_employed
            )?;
            writeln!(
                out,
                "    employed outside          {:>10}  {} (outflow)",
                f.outflow,
                pct(f.outflow, f.residents_employed)
            )?;
            for (title, shed) in [
                ("Labor shed: where the region's workers live", &f.labor_shed),
                (
                    "Commute shed: where the region's residents work",
                    &f.commute_shed,
                ),
            ] {
                writeln!(out)?;
                writeln!(out, "{title}")?;
                for e in shed.iter().take(top) {
                    let name: String = report.county_name(&e.county).chars().take(40).collect();
                    writeln!(
                        out,
                        "  {}  {:<40} {:>9}  {:5.1}%",
                        e.county,
                        name,
                        e.jobs,
                        100.0 * e.share
                    )?;
                }
                if shed.len() > top {
                    let rest: u64 = shed[top..].iter().map(|e| e.jobs).sum();
                    let share: f64 = shed[top..].iter().map(|e| e.share).sum();
                    writeln!(
                        out,
                        "  {} more counties{:>29} {:>9}  {:5.1}%",
                        shed.len() - top,
                        "",
                        rest,
                        100.0 * share
                    )?;
                }
            }
            writeln!(out)?;
            writeln!(
                out,
                "{:<4} {:<34} {:>9} {:>9} {:>9}",
                "", "segment", "interior", "inflow", "outflow"
            )?;
            for s in &f.segments {
                writeln!(
                    out,
                    "{:<4} {:<34} {:>9} {:>9} {:>9}",
                    s.segment.code(),
                    s.segment.label(),
                    s.interior,
                    s.inflow,
                    s.outflow
                )?;
                if matches!(s.segment, Segment::SA03 | Segment::SE03) {
                    writeln!(out)?;
                }
            }
            writeln!(out)?;
            for s in &report.sources {
                writeln!(
                    out,
                    "file: {} ({} rows, {} jobs)",
                    s.file_name, s.rows, s.s000
                )?;
            }
            for n in report
                .region
                .notes
                .iter()
                .chain(&report.notes)
                .chain(&report.coverage.notes)
            {
                writeln!(out, "note: {n}")?;
            }
            writeln!(
                out,
                "note: LODES is noise-infused at block level: use it for shares and flows, not as \
                 employment levels (QCEW)."
            )?;
        }
    }
    Ok(())
}

/// `sectorkit lodes import`.
pub async fn lodes_import_cmd(store: &Store, args: &LodesImportArgs) -> Result<()> {
    let expect = OdExpect {
        year: args.year,
        job_type: args.job_type,
        ..Default::default()
    };
    let results = import_lodes(store, &args.od, &args.xwalk, &expect, "cli").await?;
    for r in results {
        match r.outcome {
            LodesImport::Imported(d) => println!(
                "imported {}: state {} {} {} {}, {} rows, {} jobs, {} county pairs as LODES dataset #{}",
                d.file_name,
                d.state,
                d.part,
                d.job_type,
                d.year,
                d.rows_read,
                d.s000_total,
                d.county_pairs,
                d.id
            ),
            LodesImport::AlreadyImported(d) => println!(
                "skipped {}: already imported as LODES dataset #{} (same SHA-256)",
                r.file_name, d.id
            ),
        }
    }
    Ok(())
}

/// `sectorkit lodes datasets`.
pub async fn lodes_datasets_cmd(store: &Store, format: OutputFormat) -> Result<()> {
    let ds = store.lodes_datasets().await?;
    let mut out = std::io::stdout().lock();
    const COLS: [&str; 13] = [
        "id",
        "file_name",
        "sha256",
        "state",
        "part",
        "job_type",
        "year",
        "block_vintage",
        "rows",
        "s000_total",
        "county_pairs",
        "source",
        "imported_at",
    ];
    let record = |d: &sectorkit_store::LodesDataset| -> [String; 13] {
        [
            d.id.to_string(),
            d.file_name.clone(),
            d.sha256.clone(),
            d.state.clone(),
            d.part.clone(),
            d.job_type.clone(),
            d.year.to_string(),
            d.block_vintage.to_string(),
            d.rows_read.to_string(),
            d.s000_total.to_string(),
            d.county_pairs.to_string(),
            d.source.clone(),
            d.imported_at.to_string(),
        ]
    };
    match format {
        OutputFormat::Json => {
            let v: Vec<serde_json::Value> = ds
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "id": d.id, "file_name": d.file_name, "sha256": d.sha256, "state": d.state,
                        "part": d.part, "job_type": d.job_type, "year": d.year,
                        "block_vintage": d.block_vintage, "rows": d.rows_read,
                        "s000_total": d.s000_total, "county_pairs": d.county_pairs,
                        "source": d.source, "imported_at": d.imported_at,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record(COLS)?;
            for d in &ds {
                w.write_record(record(d))?;
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            if ds.is_empty() {
                writeln!(
                    out,
                    "No LODES files imported yet. Use `sectorkit lodes import --od FILE… --xwalk FILE`."
                )?;
            }
            for d in &ds {
                writeln!(
                    out,
                    "#{:<4} {:<32} state {} {:<4} {} {}  {:>8} rows {:>9} jobs {:>5} pairs  {} blocks  sha256 {}…",
                    d.id,
                    d.file_name,
                    d.state,
                    d.part,
                    d.job_type,
                    d.year,
                    d.rows_read,
                    d.s000_total,
                    d.county_pairs,
                    d.block_vintage,
                    &d.sha256[..d.sha256.len().min(12)]
                )?;
            }
        }
    }
    Ok(())
}
