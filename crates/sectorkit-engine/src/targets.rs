//! The target-industry table for a region: which records it needs, from the database or straight
//! from files, with projections, handed to `sectorkit_core::targets::build_target_table`.

use crate::convert::{qtr_number, record_from_db, record_from_row};
use crate::{EngineError, Result, bail};
use sectorkit_core::codes::{AreaFips, IndustryLevel, Naics, Ownership, Period};
use sectorkit_core::projection::IndustryProjection;
use sectorkit_core::rank::{RankMethod, Weights};
use sectorkit_core::stats::LqConvention;
use sectorkit_core::suppression::EstimationBranch;
use sectorkit_core::targets::{
    EstimateSource, QcewRecord, TargetInput, TargetOptions, TargetTable, build_target_table,
};
use sectorkit_data::qcew::{Progress, ReadOptions, RowFilter, read_path};
use sectorkit_store::{QcewQuery, Store};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// Progress while reading files: (file name, progress).
pub type FileProgress<'a> = dyn Fn(&str, Progress) + Sync + 'a;

/// Everything that decides a target table.
#[derive(Debug, Clone)]
pub struct TargetRequest {
    /// Region codes as `sectorkit_data::geo::resolve_region` reads them.
    pub region: String,
    pub period: Period,
    pub base_period: Option<Period>,
    pub ownership: Ownership,
    pub level: IndustryLevel,
    pub weights: Option<Weights>,
    pub rank: RankMethod,
    pub min_employment: Option<f64>,
    pub top: usize,
    pub lq: LqConvention,
    pub estimates: bool,
    /// Compute from these files instead of the database.
    pub files: Vec<PathBuf>,
    /// Projection area in the database (default: the region's single state, if imported).
    pub projections: Option<String>,
    /// Projections from a template file.
    pub projections_file: Option<PathBuf>,
}

impl TargetRequest {
    /// A request with the defaults: private ownership, NAICS 3-digit, BLS-file LQs, fractional
    /// ranks, top 10, no estimates, from the database.
    pub fn new(region: impl Into<String>, period: Period) -> TargetRequest {
        TargetRequest {
            region: region.into(),
            period,
            base_period: None,
            ownership: Ownership::Private,
            level: IndustryLevel::Naics3,
            weights: None,
            rank: RankMethod::Fractional,
            min_employment: None,
            top: 10,
            lq: LqConvention::BlsFile,
            estimates: false,
            files: Vec::new(),
            projections: None,
            projections_file: None,
        }
    }
}

/// The aggregation levels a table reads. Without estimates: the all-industry totals
/// (`x0` total covered, `x1` by ownership) and the analysis level, for counties (7x) and the
/// nation (1x). Estimates need every level (industry-hierarchy residuals) and the states (5x,
/// geographic residuals).
fn agglvl_codes(level: IndustryLevel, estimates: bool) -> Vec<i64> {
    if estimates {
        let mut v = Vec::new();
        for base in [10, 50, 70] {
            for d in 0..=8 {
                v.push(base + d);
            }
        }
        return v;
    }
    let s = level.agglvl_suffix() as i64;
    let mut v = vec![10, 11, 10 + s, 70, 71, 70 + s];
    v.sort_unstable();
    v.dedup();
    v
}

/// The areas whose rows the table needs.
fn needed_areas(counties: &[AreaFips], estimates: bool) -> Vec<AreaFips> {
    let mut set: BTreeSet<String> = counties.iter().map(|c| c.as_str().to_string()).collect();
    set.insert("US000".into());
    if estimates {
        let geo = sectorkit_data::geo::Geography::embedded();
        let states: BTreeSet<String> = counties
            .iter()
            .filter_map(|c| c.state_fips().map(str::to_string))
            .collect();
        for s in states {
            let state: AreaFips = match format!("{s}000").parse() {
                Ok(a) => a,
                Err(_) => continue,
            };
            for c in geo.state_counties(&state) {
                set.insert(c.as_str().to_string());
            }
            set.insert(format!("{s}000"));
            for r in ["996", "997", "998", "999"] {
                set.insert(format!("{s}{r}"));
            }
        }
    }
    set.into_iter().filter_map(|s| s.parse().ok()).collect()
}

fn options(req: &TargetRequest) -> Result<TargetOptions> {
    if req.ownership == Ownership::TotalCovered {
        bail!(
            "--ownership 0 (total covered) is not published below the all-industry total; use 5 (private) or 1, 2, 3"
        );
    }
    let mut o = TargetOptions {
        ownership: req.ownership,
        level: req.level,
        lq_convention: req.lq,
        estimation: if req.estimates {
            vec![EstimateSource::Geographic, EstimateSource::Industry]
        } else {
            Vec::new()
        },
        min_employment: req.min_employment,
        ..TargetOptions::default()
    };
    o.rank.method = req.rank;
    if let Some(w) = &req.weights {
        o.rank.weights = *w;
    }
    o.rank.top_n = req.top.max(1);
    Ok(o)
}

pub fn describe_periods(mut periods: Vec<Period>) -> String {
    periods.sort_by_key(|p| (p.year(), qtr_number(*p)));
    periods.dedup();
    if periods.is_empty() {
        "none".into()
    } else {
        periods
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads the records a table needs straight from files (no database).
fn records_from_files(
    files: &[PathBuf],
    progress: Option<&FileProgress<'_>>,
    prior: &mut Vec<QcewRecord>,
    areas: &[AreaFips],
    periods: &[Period],
    titles: &mut HashMap<Naics, String>,
) -> Result<(Vec<QcewRecord>, Vec<Period>)> {
    let filter = RowFilter::all().areas(areas.iter().cloned());
    let mut records = Vec::new();
    let mut seen = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let report = |p: Progress| {
            if let Some(cb) = progress {
                cb(&name, p);
            }
        };
        let summary = read_path(
            f,
            ReadOptions::new()
                .filter(&filter)
                .progress(&report)
                .without_hash(),
            |row| {
                if row.size == 0 && periods.contains(&row.period) {
                    // The embedded (current) titles come first so that a table reads the same
                    // from files and from the database; a file's own title fills the gaps.
                    if let Some(t) = &row.industry_title
                        && sectorkit_data::titles::industry_title(row.industry.as_str()).is_none()
                    {
                        let t =
                            sectorkit_data::titles::strip_industry_code(row.industry.as_str(), t);
                        titles
                            .entry(row.industry.clone())
                            .or_insert_with(|| t.to_string());
                    }
                    records.push(record_from_row(&row));
                    if row.period == periods[0] {
                        prior.extend(crate::convert::prior_from_row(&row));
                    }
                }
                Ok::<(), std::convert::Infallible>(())
            },
        )?;
        seen.extend(summary.periods);
    }
    Ok((records, seen))
}

async fn records_from_store(
    store: &Store,
    areas: &[AreaFips],
    periods: &[Period],
    req: &TargetRequest,
    prior: &mut Vec<QcewRecord>,
    branch: Option<&EstimationBranch>,
) -> Result<Vec<QcewRecord>> {
    let areas: Vec<String> = areas.iter().map(|a| a.as_str().to_string()).collect();
    let mut owns: Vec<i64> = vec![req.ownership.code() as i64, 0, 5];
    owns.sort_unstable();
    owns.dedup();
    let agg = agglvl_codes(req.level, req.estimates);
    let mut out = Vec::new();
    for p in periods {
        let q = QcewQuery {
            year: p.year() as i64,
            qtr: qtr_number(*p),
            areas: &areas,
            own_codes: &owns,
            agglvl_codes: &agg,
        };
        let rows = store
            .qcew_rows_where(&q, |code| branch.is_none_or(|b| b.contains(code)))
            .await?;
        out.extend(rows.iter().filter_map(record_from_db));
        if *p == req.period {
            prior.extend(rows.iter().filter_map(crate::convert::prior_from_db));
        }
    }
    Ok(out)
}

/// The projections that apply: from `--projections-file`, from `--projections AREA`, or the
/// region's single state when its projections were imported. Returns a note saying which.
async fn load_projections(
    store: Option<&Store>,
    req: &TargetRequest,
    region: &sectorkit_data::geo::Region,
) -> Result<(Vec<IndustryProjection>, Option<String>)> {
    if let Some(path) = &req.projections_file {
        let f = std::fs::File::open(path)
            .map_err(|e| EngineError::Io(format!("cannot open {}: {e}", path.display())))?;
        let name = path.display().to_string();
        let file = sectorkit_data::projections::read_projections(&name, f)?;
        let areas: BTreeSet<&str> = file.rows.iter().map(|r| r.area_code.as_str()).collect();
        if areas.len() > 1 {
            bail!(
                "{name} holds projections for {} areas ({}); import it with `sectorkit projections import` and choose one with --projections AREA",
                areas.len(),
                areas.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        let note = format!("projected growth from {name}");
        return Ok((
            file.rows.into_iter().map(|r| r.projection).collect(),
            Some(note),
        ));
    }
    let Some(store) = store else {
        if req.projections.is_some() {
            bail!(
                "--projections AREA reads imported projections from the database; with --files use --projections-file FILE"
            );
        }
        return Ok((Vec::new(), None));
    };
    let area = match &req.projections {
        Some(a) => Some(a.clone()),
        None => {
            let states: BTreeSet<&str> = region
                .counties
                .iter()
                .filter_map(|c| c.state_fips())
                .collect();
            match states.into_iter().collect::<Vec<_>>().as_slice() {
                [one] => Some(format!("{one}000")),
                _ => None,
            }
        }
    };
    let Some(area) = area else {
        return Ok((Vec::new(), None));
    };
    let rows = store.projections_for(&area).await?;
    if rows.is_empty() {
        if req.projections.is_some() {
            bail!("no projections imported for area {area:?} (see `sectorkit projections list`)");
        }
        return Ok((Vec::new(), None));
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let industry: Naics = r.industry_code.parse()?;
        out.push(IndustryProjection {
            industry,
            base_year: r.base_year as i32,
            projected_year: r.projected_year as i32,
            base: r.base_employment,
            projected: r.projected_employment,
        });
    }
    let note = format!(
        "projected growth: {} ({}) industry projections {}–{}, rates applied to the region",
        rows[0].area_name, area, rows[0].base_year, rows[0].projected_year
    );
    Ok((out, Some(note)))
}

/// Builds the table for the arguments, from files or the store.
pub async fn compute_targets(
    store: Option<&Store>,
    req: &TargetRequest,
    progress: Option<&FileProgress<'_>>,
) -> Result<(TargetTable, sectorkit_data::geo::Region)> {
    compute(store, req, progress, None).await
}

/// The table of `industries` only, read from their [`EstimationBranch`] (each code, its
/// ancestors and their children) instead of every cell of every area: the requested rows'
/// figures, estimates included, equal those of [`compute_targets`] (a core test checks it), at
/// a fraction of the decoding and estimation work. The table holds only the branch's rows at
/// the request's level, so its ranks, scores and Hachman index are not the region's: this is
/// for reading a few industries' figures (the occupations engine), not for ranking.
pub async fn compute_industries(
    store: Option<&Store>,
    req: &TargetRequest,
    industries: &[Naics],
) -> Result<(TargetTable, sectorkit_data::geo::Region)> {
    let branch = EstimationBranch::new(industries);
    compute(store, req, None, Some(&branch)).await
}

async fn compute(
    store: Option<&Store>,
    req: &TargetRequest,
    progress: Option<&FileProgress<'_>>,
    branch: Option<&EstimationBranch>,
) -> Result<(TargetTable, sectorkit_data::geo::Region)> {
    let region = sectorkit_data::geo::resolve_region(&req.region)?;
    let opts = options(req)?;
    let mut periods = vec![req.period];
    if let Some(b) = req.base_period {
        if (b.year(), qtr_number(b)) >= (req.period.year(), qtr_number(req.period)) {
            bail!(
                "--base-period {b} must be earlier than --period {}",
                req.period
            );
        }
        if b.is_annual() != req.period.is_annual() {
            bail!(
                "--base-period {b} and --period {} must both be years or both quarters",
                req.period
            );
        }
        periods.push(b);
    }
    let areas = needed_areas(&region.counties, req.estimates);
    let mut titles: HashMap<Naics, String> = HashMap::new();
    let mut prior: Vec<QcewRecord> = Vec::new();
    let mut records = if req.files.is_empty() {
        let Some(store) = store else {
            bail!("no database and no files to compute from");
        };
        let records = records_from_store(store, &areas, &periods, req, &mut prior, branch).await?;
        if !records.iter().any(|r| r.period == req.period) {
            let have: Vec<Period> = store
                .qcew_periods()
                .await?
                .into_iter()
                .filter_map(|(y, q)| {
                    if q == 0 {
                        Some(Period::Year(y as i32))
                    } else {
                        Period::from_qcew(&y.to_string(), &q.to_string()).ok()
                    }
                })
                .collect();
            bail!(
                "no QCEW data for {} in the region's counties or the nation in the database (it has: {}). Import the files with `sectorkit qcew import`.",
                req.period,
                describe_periods(have)
            );
        }
        records
    } else {
        let (records, seen) = records_from_files(
            &req.files,
            progress,
            &mut prior,
            &areas,
            &periods,
            &mut titles,
        )?;
        if !records.iter().any(|r| r.period == req.period) {
            bail!(
                "the files do not contain {} for the region's counties or the nation (they contain: {})",
                req.period,
                describe_periods(seen)
            );
        }
        let mut records = records;
        if let Some(b) = branch {
            records.retain(|r| b.contains(r.industry.as_str()));
            prior.retain(|r| b.contains(r.industry.as_str()));
        }
        records
    };
    for r in &records {
        if !titles.contains_key(&r.industry)
            && let Some(t) = sectorkit_data::titles::industry_title(r.industry.as_str())
        {
            titles.insert(r.industry.clone(), t.to_string());
        }
    }
    // Growth over the year without the prior year's file: BLS publishes each cell's
    // over-the-year change, so the prior value is `current − change`.
    let mut region = region;
    if let Some(b) = req.base_period
        && b == req.period.previous_year()
        && !records.iter().any(|r| r.period == b)
        && !prior.is_empty()
    {
        records.extend(prior);
        region.notes.push(format!(
            "growth since {b} uses the over-the-year changes BLS published with the {} data (the {b} files are not loaded)",
            req.period
        ));
    }
    let (projections, projection_note) = load_projections(store, req, &region).await?;
    let input = TargetInput {
        region: &region.counties,
        records: &records,
        period: req.period,
        base_period: req.base_period,
        projections: &projections,
        titles: &titles,
    };
    let table = build_target_table(&input, &opts)?;
    if let Some(n) = projection_note {
        region.notes.push(n);
    }
    Ok((table, region))
}

/// A QCEW file behind a table: its name, and for imported files the SHA-256 and the import time
/// (Unix seconds). Files read with `--files` have only a name (they are not hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSource {
    /// `BLS QCEW`, `BLS OEWS`, `BLS Employment Projections` or `O*NET`.
    pub kind: &'static str,
    pub file: String,
    /// The data periods the file holds (QCEW: its vintage of the data), when known.
    pub periods: Option<String>,
    /// The layout detected from the header (QCEW), when known.
    pub layout: Option<String>,
    /// Rows read from the file, when imported.
    pub rows: Option<i64>,
    pub sha256: Option<String>,
    pub imported_at: Option<i64>,
    /// The file's modification time (Unix seconds) for a file read directly: for a file
    /// downloaded from BLS, its download date. Imported datasets carry their import time.
    pub modified_at: Option<i64>,
}

/// The QCEW files a request reads: the `--files` as given, or the imported datasets that hold
/// the table's period or base period (the store does not record which areas a file covers, so
/// every dataset of those periods is listed).
pub async fn table_sources(store: Option<&Store>, req: &TargetRequest) -> Result<Vec<TableSource>> {
    if !req.files.is_empty() {
        return Ok(req
            .files
            .iter()
            .map(|f| TableSource {
                kind: "BLS QCEW",
                file: f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| f.display().to_string()),
                periods: None,
                layout: None,
                rows: None,
                sha256: None,
                imported_at: None,
                modified_at: std::fs::metadata(f)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64),
            })
            .collect());
    }
    let Some(store) = store else {
        return Ok(Vec::new());
    };
    let wanted: Vec<String> = std::iter::once(req.period)
        .chain(req.base_period)
        .map(|p| p.to_string())
        .collect();
    Ok(store
        .datasets()
        .await?
        .into_iter()
        .filter(|d| {
            d.periods
                .split(',')
                .any(|p| wanted.iter().any(|w| w == p.trim()))
        })
        .map(|d| TableSource {
            kind: "BLS QCEW",
            file: d.file_name,
            periods: Some(d.periods),
            layout: Some(d.layout),
            rows: Some(d.rows_read),
            sha256: Some(d.sha256),
            imported_at: Some(d.imported_at),
            modified_at: None,
        })
        .collect())
}

/// The imported occupation files (OEWS, EP, O*NET) behind an occupation report, newest first.
pub async fn occupation_sources(store: &Store) -> Result<Vec<TableSource>> {
    Ok(store
        .occ_datasets()
        .await?
        .into_iter()
        .map(|d| TableSource {
            kind: match d.kind.as_str() {
                "oews" => "BLS OEWS",
                "ep" => "BLS Employment Projections",
                "onet" => "O*NET",
                _ => "occupation data",
            },
            file: d.file_name,
            periods: None,
            layout: None,
            rows: Some(d.rows_read),
            sha256: Some(d.sha256),
            imported_at: Some(d.imported_at),
            modified_at: None,
        })
        .collect())
}
