//! `sectorkit oews …`, `sectorkit ep import`, `sectorkit onet import` and
//! `sectorkit occupations`: import the occupation reference files and print a region's
//! occupation table (staffing pattern, wages, LQ, projections, education, job zone).
//!
//! Wiring and formatting only: the engine computes (`sectorkit_engine::occupations`).

use anyhow::{Context, Result, bail};
use sectorkit_core::codes::{Ownership, Period};
use sectorkit_data::oews::OewsValue;
use sectorkit_engine::occupations::{
    self, CROSS_INDUSTRY, LqLine, NATION, OccupationReport, OccupationRequest, OewsOcc,
    TOP_CODE_ANNUAL, TOP_CODE_HOURLY,
};
use sectorkit_store::{OccImported, Store};
use std::io::Write;
use std::path::PathBuf;

use crate::qcew_cmd::OutputFormat;

#[derive(Debug, clap::Args)]
pub struct OccupationsArgs {
    /// Region: county FIPS, MSA, CBSA, CSA or state codes (as for `targets`).
    #[arg(long, value_name = "CODES")]
    pub region: String,
    /// One NAICS code, or a comma list (e.g. the shortlist): 3361 or 3361,6221.
    #[arg(long, value_name = "NAICS", value_delimiter = ',', required = true)]
    pub industry: Vec<String>,
    /// QCEW period of the region's industry employment [default: the newest year loaded].
    #[arg(long, value_name = "P")]
    pub period: Option<Period>,
    /// Ownership of the region's industry employment (5 private by default).
    #[arg(long, value_name = "K", default_value = "5")]
    pub ownership: Ownership,
    /// Scale published shares to 100% instead of keeping the unallocated line.
    #[arg(long)]
    pub renormalise: bool,
    /// Do not estimate suppressed regional employment (METHODS §2.2).
    #[arg(long)]
    pub no_estimates: bool,
    /// Skip the computed occupational LQ of a region that is not an OEWS area (it applies
    /// every private 3-digit industry's staffing pattern to the region, the slow part).
    #[arg(long)]
    pub no_computed_lq: bool,
    /// OEWS area for wages (e.g. 0018140 or 3900000) [default: the best match].
    #[arg(long, value_name = "AREA")]
    pub wage_area: Option<String>,
    /// Hourly living wage to compare median wages with.
    #[arg(long, value_name = "DOLLARS", allow_negative_numbers = true)]
    pub living_wage: Option<f64>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Benchmarking: compute the table this many times more in the same process (after the
    /// first, which warms the embedded tables and SQLite's cache) and print the median and
    /// minimum time per computation on standard error. The output is the first computation's.
    #[arg(long, value_name = "N", default_value_t = 0, hide_short_help = true)]
    pub repeat: u32,
}

fn report_import(kind: &str, path: &std::path::Path, r: &OccImported) {
    if r.new {
        println!(
            "{}: imported {} ({} rows, {} {}; {} replaced from earlier files)",
            path.display(),
            kind,
            r.dataset.rows_read,
            r.dataset.items,
            if kind == "OEWS" {
                "tables"
            } else {
                "occupations"
            },
            r.replaced
        );
    } else {
        println!(
            "{}: already imported (same SHA-256 as dataset {}, {}); nothing changed",
            path.display(),
            r.dataset.id,
            r.dataset.file_name
        );
    }
}

pub async fn oews_import_cmd(store: &Store, files: &[PathBuf]) -> Result<()> {
    for f in files {
        let r = occupations::import_oews(store, f, "cli")
            .await
            .with_context(|| format!("{}: not imported", f.display()))?;
        report_import("OEWS", f, &r);
    }
    Ok(())
}

pub async fn ep_import_cmd(store: &Store, file: &std::path::Path) -> Result<()> {
    let r = occupations::import_ep(store, file, "cli")
        .await
        .with_context(|| format!("{}: not imported", file.display()))?;
    report_import("Employment Projections", file, &r);
    Ok(())
}

pub async fn onet_import_cmd(store: &Store, file: &std::path::Path) -> Result<()> {
    let r = occupations::import_onet(store, file, "cli")
        .await
        .with_context(|| format!("{}: not imported", file.display()))?;
    report_import("O*NET job zones", file, &r);
    Ok(())
}

pub async fn occ_datasets_cmd(store: &Store, format: OutputFormat) -> Result<()> {
    let ds = store.occ_datasets().await?;
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let v: Vec<_> = ds
                .iter()
                .map(|d| {
                    serde_json::json!({"id": d.id, "kind": d.kind, "file_name": d.file_name,
                        "sha256": d.sha256, "rows": d.rows_read, "items": d.items,
                        "source": d.source, "imported_at": d.imported_at})
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record([
                "id",
                "kind",
                "file_name",
                "sha256",
                "rows",
                "items",
                "source",
                "imported_at",
            ])?;
            for d in &ds {
                w.write_record([
                    d.id.to_string(),
                    d.kind.clone(),
                    d.file_name.clone(),
                    d.sha256.clone(),
                    d.rows_read.to_string(),
                    d.items.to_string(),
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
                    "No occupation reference files imported yet (`sectorkit oews import`, `ep import`, `onet import`)."
                )?;
            }
            for d in &ds {
                writeln!(
                    out,
                    "{:>4}  {:<5} {:<48} {:>8} rows {:>6} items  {}",
                    d.id,
                    d.kind,
                    d.file_name,
                    d.rows_read,
                    d.items,
                    &d.sha256[..12.min(d.sha256.len())]
                )?;
            }
        }
    }
    Ok(())
}

/// An OEWS measure as text: the number, or what the special value means. Never a made-up
/// number.
pub fn oews_text(v: OewsValue) -> String {
    match v {
        OewsValue::Value(x) => {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x}")
            }
        }
        OewsValue::Blank => String::new(),
        OewsValue::Suppressed => "not released".into(),
        OewsValue::NotAvailable => "not available".into(),
        OewsValue::TopCoded => "top-coded".into(),
        OewsValue::LessThanHalf => "<0.5%".into(),
    }
}

/// A wage for people: `$21.96`, `$45,670`, `≥ $239,200` (top-coded), `—`.
pub fn wage_text(v: OewsValue, annual: bool) -> String {
    match v {
        OewsValue::Value(x) if annual => format!("${}", sectorkit_web::format_count(x)),
        OewsValue::Value(x) => format!("${x:.2}"),
        OewsValue::TopCoded if annual => {
            format!("≥ ${}", sectorkit_web::format_count(TOP_CODE_ANNUAL))
        }
        OewsValue::TopCoded => format!("≥ ${TOP_CODE_HOURLY:.2}"),
        _ => "—".into(),
    }
}

fn lq_from_tables(area: &str, tables: &[sectorkit_store::OewsTableDb]) -> Result<Vec<LqLine>> {
    let find = |a: &str| {
        tables
            .iter()
            .find(|t| t.area_code == a && t.industry_code == CROSS_INDUSTRY)
    };
    let Some(at) = find(area) else {
        bail!(
            "OEWS area {area} is not in the files/database (cross-industry table {area}/{CROSS_INDUSTRY})"
        );
    };
    let Some(nt) = find(NATION) else {
        bail!("the national cross-industry OEWS file is needed too (area {NATION})");
    };
    let a: Vec<OewsOcc> = serde_json::from_str(&at.body)?;
    let n: Vec<OewsOcc> = serde_json::from_str(&nt.body)?;
    Ok(occupations::area_lqs(&a, &n))
}

pub async fn oews_lq_cmd(
    store: Option<&Store>,
    area: &str,
    files: &[PathBuf],
    format: OutputFormat,
) -> Result<()> {
    let lines = if files.is_empty() {
        let store = store.expect("a store without --files");
        let mut tables = Vec::new();
        for a in [area, NATION] {
            if let Some(t) = store.oews_table(a, CROSS_INDUSTRY).await? {
                tables.push(t);
            }
        }
        lq_from_tables(area, &tables)?
    } else {
        let mut tables = Vec::new();
        for f in files {
            let (t, _) = occupations::read_oews_tables(f)?;
            tables.extend(t);
        }
        lq_from_tables(area, &tables)?
    };
    let mut out = std::io::stdout().lock();
    let lq_text = |v: OewsValue| v.value().map(|x| format!("{x:.2}")).unwrap_or_default();
    let c_text = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_default();
    match format {
        OutputFormat::Csv => {
            let mut w = sectorkit_export::SafeCsv::from_writer(out);
            w.write_record([
                "occ_code",
                "occ_title",
                "tot_emp",
                "jobs_1000",
                "loc_quotient",
                "computed_loc_quotient",
            ])?;
            for l in &lines {
                w.write_record([
                    l.occ_code.clone(),
                    l.occ_title.clone(),
                    oews_text(l.tot_emp),
                    oews_text(l.jobs_1000),
                    lq_text(l.loc_quotient),
                    c_text(l.computed_loc_quotient),
                ])?;
            }
            w.flush()?;
        }
        OutputFormat::Json => {
            let v: Vec<_> = lines
                .iter()
                .map(|l| {
                    serde_json::json!({"occ_code": l.occ_code, "occ_title": l.occ_title,
                        "tot_emp": l.tot_emp.value(), "tot_emp_status": oews_text(l.tot_emp),
                        "jobs_1000": l.jobs_1000.value(), "loc_quotient": l.loc_quotient.value(),
                        "computed_loc_quotient": l.computed_loc_quotient})
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "{:<8} {:<50} {:>10} {:>9} {:>8} {:>9}",
                "code", "occupation", "employment", "per 1000", "LQ BLS", "LQ ours"
            )?;
            let mut agree = 0;
            let mut both = 0;
            for l in &lines {
                if let (Some(a), Some(b)) = (l.loc_quotient.value(), l.computed_loc_quotient) {
                    both += 1;
                    if (a - b).abs() <= 0.01 + 1e-9 {
                        agree += 1;
                    }
                }
                let title: String = l.occ_title.chars().take(50).collect();
                writeln!(
                    out,
                    "{:<8} {:<50} {:>10} {:>9} {:>8} {:>9}",
                    l.occ_code,
                    title,
                    oews_text(l.tot_emp),
                    oews_text(l.jobs_1000),
                    lq_text(l.loc_quotient),
                    c_text(l.computed_loc_quotient)
                )?;
            }
            writeln!(
                out,
                "\n{agree} of {both} published LQs matched within 0.01 by sectorkit's recomputation from the published figures."
            )?;
        }
    }
    Ok(())
}

pub async fn occupations_cmd(store: &Store, args: &OccupationsArgs) -> Result<()> {
    let mut req = OccupationRequest::new(args.region.clone(), args.industry.clone());
    req.period = args.period;
    req.ownership = args.ownership;
    req.renormalise = args.renormalise;
    req.estimates = !args.no_estimates;
    req.wage_area = args.wage_area.clone();
    req.computed_lq = !args.no_computed_lq;
    if let Some(lw) = args.living_wage {
        if !(lw.is_finite() && lw > 0.0) {
            bail!("--living-wage must be a positive hourly amount, got {lw}");
        }
        req.living_wage = Some((lw, format!("${lw:.2} per hour (given on the command line)")));
    }
    let report = occupations::compute_occupations(store, &req).await?;
    if args.repeat > 0 {
        let mut times = Vec::with_capacity(args.repeat as usize);
        for _ in 0..args.repeat {
            let t = std::time::Instant::now();
            let again = occupations::compute_occupations(store, &req).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if again != report {
                bail!("a repeated computation gave a different table");
            }
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "warm compute_occupations: median {:.2} ms, min {:.2} ms, max {:.2} ms over {} runs",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        );
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        OutputFormat::Csv => write_csv(&report, &mut out)?,
        OutputFormat::Table => write_table(&report, &mut out)?,
    }
    Ok(())
}

/// CSV columns of `sectorkit occupations --format csv`.
pub const OCC_CSV_COLUMNS: &[&str] = &[
    "occ_code",
    "occ_title",
    "employment",
    "share",
    "h_pct10",
    "h_pct25",
    "h_median",
    "h_pct75",
    "h_pct90",
    "a_pct10",
    "a_pct25",
    "a_median",
    "a_pct75",
    "a_pct90",
    "wage_area",
    "lq",
    "lq_source",
    "growth_pct",
    "regional_openings",
    "national_openings_thousands",
    "education",
    "work_experience",
    "training",
    "job_zone",
    "above_living_wage",
];

fn write_csv(r: &OccupationReport, out: &mut dyn Write) -> Result<()> {
    let mut w = sectorkit_export::SafeCsv::from_writer(out);
    w.write_record(OCC_CSV_COLUMNS)?;
    let f = |v: Option<f64>, d: usize| v.map(|x| format!("{x:.d$}")).unwrap_or_default();
    for l in &r.lines {
        let mut rec = vec![
            l.code.clone(),
            l.title.clone(),
            f(l.employment, 1),
            format!("{:.6}", l.share),
        ];
        rec.extend(
            l.hourly
                .iter()
                .chain(l.annual.iter())
                .map(|v| oews_text(*v)),
        );
        rec.push(if l.national_wages {
            NATION.to_string()
        } else {
            r.wage_area
                .as_ref()
                .map(|w| w.code.clone())
                .unwrap_or_default()
        });
        rec.push(f(l.lq, 2));
        rec.push(l.lq_source.unwrap_or("").to_string());
        let ep = l.ep.as_ref();
        rec.push(f(ep.and_then(|e| e.growth_pct), 1));
        rec.push(f(ep.and_then(|e| e.regional_openings), 1));
        rec.push(f(ep.and_then(|e| e.national_openings), 1));
        rec.push(
            ep.and_then(|e| e.education)
                .map(|e| e.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(
            ep.and_then(|e| e.work_experience)
                .map(|e| e.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(
            ep.and_then(|e| e.training)
                .map(|e| e.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(l.job_zone.map(|z| z.get().to_string()).unwrap_or_default());
        rec.push(
            l.above_living_wage
                .map(|b| b.to_string())
                .unwrap_or_default(),
        );
        w.write_record(&rec)?;
    }
    if !r.renormalised && r.total > 0.0 {
        let mut rec = vec![
            "unallocated".to_string(),
            "Occupations BLS does not publish for these industries".to_string(),
            format!("{:.1}", r.unallocated),
            format!("{:.6}", r.unallocated / r.total),
        ];
        rec.resize(OCC_CSV_COLUMNS.len(), String::new());
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

fn write_table(r: &OccupationReport, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Occupations of {} in {} ({}), QCEW {}, ownership {}",
        r.industries
            .iter()
            .map(|i| i.naics.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        r.region_name,
        r.counties.join(","),
        r.period,
        r.ownership
    )?;
    for i in &r.industries {
        let emp = i
            .employment
            .map(sectorkit_web::format_count)
            .unwrap_or_else(|| "unknown".into());
        match (&i.pattern, &i.no_pattern) {
            (Some(m), None) => writeln!(
                out,
                "  {} {}: {emp} jobs ({}); OEWS pattern {} {} ({}), {:.1}% of its employment in published occupations",
                i.naics,
                i.title,
                i.employment_basis,
                m.oews_code,
                m.oews_title,
                m.level,
                100.0 * i.published_share.unwrap_or(0.0)
            )?,
            (_, Some(why)) => writeln!(
                out,
                "  {} {}: {emp} jobs ({}); no staffing pattern: {why}",
                i.naics, i.title, i.employment_basis
            )?,
            _ => {}
        }
    }
    if let Some(w) = &r.wage_area {
        writeln!(
            out,
            "  wages: OEWS May 2025, {} ({}), {}",
            w.title, w.code, w.basis
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<8} {:<44} {:>9} {:>6} {:>9} {:>10} {:>6} {:>7} {:>8} {:<20} {:>3}",
        "code",
        "occupation",
        "employment",
        "share",
        "median/h",
        "median/yr",
        "LQ",
        "growth",
        "openings",
        "education",
        "JZ"
    )?;
    for l in &r.lines {
        let title: String = l.title.chars().take(44).collect();
        let ep = l.ep.as_ref();
        writeln!(
            out,
            "{:<8} {:<44} {:>9} {:>5.1}% {:>9} {:>10} {:>6} {:>7} {:>8} {:<20} {:>3}{}{}",
            l.code,
            title,
            l.employment
                .map(|e| format!("{e:.0}"))
                .unwrap_or_else(|| "—".into()),
            100.0 * l.share,
            wage_text(l.hourly[2], false),
            wage_text(l.annual[2], true),
            l.lq.map(|x| format!(
                "{x:.2}{}",
                if l.lq_source == Some("computed") {
                    "ᶜ"
                } else {
                    ""
                }
            ))
            .unwrap_or_else(|| "—".into()),
            ep.and_then(|e| e.growth_pct)
                .map(|g| format!("{g:+.1}%"))
                .unwrap_or_else(|| "—".into()),
            ep.and_then(|e| e.regional_openings)
                .map(|o| format!("{o:.0}"))
                .unwrap_or_else(|| "—".into()),
            match ep {
                None if r.ep_loaded => "(not in EP)".to_string(),
                None => "—".to_string(),
                Some(e) => e
                    .education
                    .map(|x| x.code().to_string())
                    .unwrap_or_else(|| "—".into()),
            },
            l.job_zone
                .map(|z| z.get().to_string())
                .unwrap_or_else(|| "—".into()),
            if l.national_wages {
                " (national wages)"
            } else {
                ""
            },
            match l.above_living_wage {
                Some(false) => " below living wage",
                _ => "",
            },
        )?;
    }
    if !r.renormalised && r.total > 0.0 {
        writeln!(
            out,
            "{:<8} {:<44} {:>9.0} {:>5.1}%",
            "—",
            "Unallocated (occupations BLS does not publish)",
            r.unallocated,
            100.0 * r.unallocated / r.total
        )?;
    }
    for n in &r.notes {
        writeln!(out, "note: {n}")?;
    }
    if !r.unmatched_ep.is_empty() {
        writeln!(
            out,
            "note: {} occupations are not in the Employment Projections list (unmatched): {}",
            r.unmatched_ep.len(),
            r.unmatched_ep.join(", ")
        )?;
    }
    Ok(())
}
