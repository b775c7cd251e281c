//! Occupations of a region's target industries: importing the occupation reference files
//! (OEWS, Employment Projections, O*NET) and computing the occupation table.
//!
//! The occupation table (METHODS §4.3–4.5, §6, §8) for a region and one or more industries:
//!
//! 1. the region's employment in each industry (QCEW, the same engine as the target table; a
//!    suppressed cell uses its labelled estimate when one can be made, a partial cell its
//!    published lower bound, labelled "at least");
//! 2. each industry matched to the most detailed OEWS national staffing pattern
//!    (`sectorkit_core::staffing::match_industry`, level recorded); crop and animal production
//!    and private households have none and say so;
//! 3. shares from employment applied to the region's employment, the unallocated remainder
//!    kept as its own line;
//! 4. wages from the OEWS area that best matches the region: the metro area when the region is
//!    inside one metro, else the state when inside one state, else the nation — labelled;
//! 5. the occupational LQ: BLS's published `loc_quotient` when the region *is* an OEWS area (a
//!    whole metro, or a whole state); otherwise computed from the region's whole private
//!    economy (every 3-digit industry's staffing pattern applied to its employment) against
//!    the nation's private cross-industry shares, and labelled "computed";
//! 6. EP projections (national growth, openings as a national rate applied to the region's
//!    estimate), typical education, experience and training; O*NET job zone; occupations EP
//!    does not list stay in the table, marked unmatched;
//! 7. the median hourly wage against the partnership's living wage, when one is set.
//!
//! The JSON bodies stored for OEWS tables and EP/O*NET facts are defined here ([`OewsOcc`],
//! [`EpFact`], [`OnetFact`]): the store keeps them opaque.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use sectorkit_core::codes::{Naics, Ownership, Period};
use sectorkit_core::education::{JobZone, OnTheJobTraining, TypicalEducation, WorkExperience};
use sectorkit_core::staffing::{
    self, IndustryInput, IndustryMatch, OewsIndustry, PatternRow, StaffingPattern,
};
use sectorkit_core::value::Status;
use sectorkit_data::oews::{self, OGroup, OewsRow, OewsValue};
use sectorkit_store::{OccFactDb, OccImport, OccImported, OewsTableDb, Store};

use crate::targets::{TargetRequest, compute_industries, compute_targets};
use crate::{Result, bail};

/// The OEWS area code of the nation.
pub const NATION: &str = "0000000";
/// OEWS cross-industry, all ownerships.
pub const CROSS_INDUSTRY: &str = "000000";
/// OEWS cross-industry, private ownership only (national file).
pub const CROSS_INDUSTRY_PRIVATE: &str = "000001";
/// The May 2025 top-codes (`oews_2025_footnote.csv`, footnote 5): a top-coded wage is at or
/// above these. Shown as "≥ $X"; never used as the wage.
pub const TOP_CODE_HOURLY: f64 = 115.0;
pub const TOP_CODE_ANNUAL: f64 = 239_200.0;

/// One occupation of a stored OEWS table (the JSON body format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OewsOcc {
    pub code: String,
    pub title: String,
    pub group: OGroup,
    pub tot_emp: OewsValue,
    pub jobs_1000: OewsValue,
    pub loc_quotient: OewsValue,
    pub pct_total: OewsValue,
    pub a_mean: OewsValue,
    /// 10th, 25th, 50th, 75th, 90th percentiles.
    pub hourly: [OewsValue; 5],
    pub annual: [OewsValue; 5],
    pub annual_only: bool,
    pub hourly_only: bool,
}

impl From<&OewsRow> for OewsOcc {
    fn from(r: &OewsRow) -> OewsOcc {
        OewsOcc {
            code: r.occ_code.clone(),
            title: r.occ_title.clone(),
            group: r.o_group,
            tot_emp: r.tot_emp,
            jobs_1000: r.jobs_1000,
            loc_quotient: r.loc_quotient,
            pct_total: r.pct_total,
            a_mean: r.a_mean,
            hourly: [r.h_pct10, r.h_pct25, r.h_median, r.h_pct75, r.h_pct90],
            annual: [r.a_pct10, r.a_pct25, r.a_median, r.a_pct75, r.a_pct90],
            annual_only: r.annual_only,
            hourly_only: r.hourly_only,
        }
    }
}

/// EP facts of one occupation (the JSON body format). Employment and openings in thousands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpFact {
    pub base_year: i32,
    pub projected_year: i32,
    pub employment_base: Option<f64>,
    pub employment_projected: Option<f64>,
    pub change_pct: Option<f64>,
    pub openings_annual: Option<f64>,
    pub median_wage: sectorkit_data::ep::EpWage,
    pub education: Option<TypicalEducation>,
    pub work_experience: Option<WorkExperience>,
    pub training: Option<OnTheJobTraining>,
    /// Labor-force exits and occupational transfers, annual averages (Table 1.10).
    pub exits: Option<f64>,
    pub transfers: Option<f64>,
}

/// O*NET facts of one SOC occupation (the JSON body format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnetFact {
    pub job_zone: JobZone,
    /// How several O*NET codes were reduced to this SOC code.
    pub rule: String,
}

fn read_file(path: &Path) -> Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path)
        .map_err(|e| crate::EngineError::Invalid(format!("{}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok((name, bytes))
}

/// Imports one occupation reference file held in memory: the SHA-256 is checked first, so a
/// file imported before is recognised without being parsed again (`serve --demo` starts fast).
async fn import_occ_bytes(
    store: &Store,
    kind: &str,
    name: &str,
    bytes: &[u8],
    source: &str,
    parse: impl FnOnce(&str, &[u8]) -> Result<(OccImport, u64)>,
) -> Result<OccImported> {
    let sha = hex::encode(Sha256::digest(bytes));
    if let Some(dataset) = store
        .occ_datasets()
        .await?
        .into_iter()
        .find(|d| d.sha256 == sha)
    {
        return Ok(OccImported {
            dataset,
            new: false,
            replaced: 0,
        });
    }
    let (data, rows) = parse(name, bytes)?;
    let empty = match &data {
        OccImport::Oews(t) => t.is_empty(),
        OccImport::Facts(f) => f.is_empty(),
    };
    if empty {
        bail!(
            "{name}: no {} rows",
            match kind {
                "oews" => "OEWS",
                "ep" => "EP line-item",
                _ => "O*NET job-zone",
            }
        );
    }
    Ok(store
        .import_occ_dataset(kind, name, &sha, source, rows as i64, &data)
        .await?)
}

/// Reads an OEWS file (any layout the reader knows) into tables, one per (area, industry).
pub fn read_oews_tables(path: &Path) -> Result<(Vec<OewsTableDb>, u64)> {
    let (name, bytes) = read_file(path)?;
    read_oews_tables_reader(&name, bytes.as_slice())
}

/// Like [`read_oews_tables`] over any byte source (plain or gzipped); `name` is used in errors.
pub fn read_oews_tables_reader<R: Read>(name: &str, reader: R) -> Result<(Vec<OewsTableDb>, u64)> {
    let mut tables: BTreeMap<(String, String), (OewsTableDb, Vec<OewsOcc>)> = BTreeMap::new();
    let summary = oews::read(reader, name, |r| {
        let key = (r.area.clone(), r.naics.clone());
        let entry = tables.entry(key).or_insert_with(|| {
            (
                OewsTableDb {
                    area_code: r.area.clone(),
                    industry_code: r.naics.clone(),
                    area_title: r.area_title.clone(),
                    area_type: r.area_type.clone(),
                    industry_title: r.naics_title.clone(),
                    industry_level: r.i_group.parse().unwrap_or(0),
                    occupations: 0,
                    body: String::new(),
                },
                Vec::new(),
            )
        });
        entry.1.push(OewsOcc::from(r));
    })
    .map_err(|e| crate::EngineError::Invalid(e.to_string()))?;
    let tables = tables
        .into_values()
        .map(|(mut t, occs)| {
            t.occupations = occs.len() as i64;
            t.body = serde_json::to_string(&occs).expect("OEWS rows serialise");
            t
        })
        .collect();
    Ok((tables, summary.rows))
}

/// Imports an OEWS file into the store.
pub async fn import_oews(store: &Store, path: &Path, source: &str) -> Result<OccImported> {
    let (name, bytes) = read_file(path)?;
    import_oews_bytes(store, &name, &bytes, source).await
}

/// Imports an OEWS file held in memory (an embedded demo file, an upload).
pub async fn import_oews_bytes(
    store: &Store,
    name: &str,
    bytes: &[u8],
    source: &str,
) -> Result<OccImported> {
    import_occ_bytes(store, "oews", name, bytes, source, |name, bytes| {
        let (tables, rows) = read_oews_tables_reader(name, bytes)?;
        Ok((OccImport::Oews(tables), rows))
    })
    .await
}

/// Reads EP facts from the official `occupation.xlsx` workbook (Tables 1.2 and 1.10).
pub fn read_ep_facts(path: &Path) -> Result<(Vec<OccFactDb>, u64)> {
    let (name, bytes) = read_file(path)?;
    read_ep_facts_reader(&name, std::io::Cursor::new(bytes))
}

/// Like [`read_ep_facts`] over any seekable byte source; `name` is used in errors.
pub fn read_ep_facts_reader<R: Read + Seek>(
    name: &str,
    reader: R,
) -> Result<(Vec<OccFactDb>, u64)> {
    let wb = sectorkit_data::ep::read_workbook_reader(name, reader)
        .map_err(|e| crate::EngineError::Invalid(e.to_string()))?;
    let seps: HashMap<&str, &sectorkit_data::ep::EpSeparations> = wb
        .separations
        .rows
        .iter()
        .map(|s| (s.code.as_str(), s))
        .collect();
    let years = wb.projections.years;
    let mut facts = Vec::new();
    for o in &wb.projections.rows {
        if o.occupation_type != sectorkit_data::ep::OccupationType::LineItem {
            continue;
        }
        let s = seps.get(o.code.as_str());
        let fact = EpFact {
            base_year: years.base,
            projected_year: years.projected,
            employment_base: o.employment_base,
            employment_projected: o.employment_projected,
            change_pct: o.change_pct,
            openings_annual: o.openings_annual,
            median_wage: o.median_wage,
            education: o.education,
            work_experience: o.work_experience,
            training: o.training,
            exits: s.and_then(|s| s.exits),
            transfers: s.and_then(|s| s.transfers),
        };
        facts.push(OccFactDb {
            soc_code: o.code.clone(),
            title: o.title.clone(),
            body: serde_json::to_string(&fact).expect("EP facts serialise"),
        });
    }
    let rows = wb.projections.rows.len() as u64;
    Ok((facts, rows))
}

/// Imports the EP occupation workbook.
pub async fn import_ep(store: &Store, path: &Path, source: &str) -> Result<OccImported> {
    let (name, bytes) = read_file(path)?;
    import_ep_bytes(store, &name, &bytes, source).await
}

/// Imports the EP occupation workbook held in memory.
pub async fn import_ep_bytes(
    store: &Store,
    name: &str,
    bytes: &[u8],
    source: &str,
) -> Result<OccImported> {
    import_occ_bytes(store, "ep", name, bytes, source, |name, bytes| {
        let (facts, rows) = read_ep_facts_reader(name, std::io::Cursor::new(bytes))?;
        Ok((OccImport::Facts(facts), rows))
    })
    .await
}

/// Reads O*NET job zones (`Job Zones.txt`), reduced to SOC codes.
pub fn read_onet_facts(path: &Path) -> Result<(Vec<OccFactDb>, u64)> {
    let (name, bytes) = read_file(path)?;
    read_onet_facts_reader(&name, bytes.as_slice())
}

/// Like [`read_onet_facts`] over any byte source; `name` is used in errors.
pub fn read_onet_facts_reader<R: Read>(name: &str, reader: R) -> Result<(Vec<OccFactDb>, u64)> {
    use sectorkit_data::onet;
    let rows = onet::read_job_zones(name, reader)
        .map_err(|e| crate::EngineError::Invalid(e.to_string()))?;
    let n = rows.len() as u64;
    let facts = onet::job_zones_by_soc(&rows)
        .into_values()
        .map(|z| OccFactDb {
            soc_code: z.soc.clone(),
            title: String::new(),
            body: serde_json::to_string(&OnetFact {
                job_zone: z.job_zone,
                rule: format!("{:?}", z.rule),
            })
            .expect("O*NET facts serialise"),
        })
        .collect();
    Ok((facts, n))
}

/// Imports O*NET job zones.
pub async fn import_onet(store: &Store, path: &Path, source: &str) -> Result<OccImported> {
    let (name, bytes) = read_file(path)?;
    import_onet_bytes(store, &name, &bytes, source).await
}

/// Imports O*NET job zones held in memory.
pub async fn import_onet_bytes(
    store: &Store,
    name: &str,
    bytes: &[u8],
    source: &str,
) -> Result<OccImported> {
    import_occ_bytes(store, "onet", name, bytes, source, |name, bytes| {
        let (facts, rows) = read_onet_facts_reader(name, bytes)?;
        Ok((OccImport::Facts(facts), rows))
    })
    .await
}

/// What an occupation table is asked for.
#[derive(Debug, Clone)]
pub struct OccupationRequest {
    /// Region codes as `resolve_region` reads them.
    pub region: String,
    /// NAICS codes of the industries (one, or the shortlist).
    pub industries: Vec<String>,
    /// QCEW period of the regional employment (default: the newest year loaded for the region).
    pub period: Option<Period>,
    pub ownership: Ownership,
    /// Renormalise the published shares to 1 instead of keeping the unallocated line.
    pub renormalise: bool,
    /// Use labelled estimates for suppressed regional employment (METHODS §2.2).
    pub estimates: bool,
    /// An OEWS area code to take wages from instead of the best match.
    pub wage_area: Option<String>,
    /// Hourly living wage to compare median wages with, and what it is.
    pub living_wage: Option<(f64, String)>,
    /// Compute the region's occupational LQ when the region is not an OEWS area.
    pub computed_lq: bool,
}

impl OccupationRequest {
    pub fn new(region: impl Into<String>, industries: Vec<String>) -> OccupationRequest {
        OccupationRequest {
            region: region.into(),
            industries,
            period: None,
            ownership: Ownership::Private,
            renormalise: false,
            estimates: true,
            wage_area: None,
            living_wage: None,
            computed_lq: true,
        }
    }
}

/// How the region's employment in an industry was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustryUsed {
    pub naics: String,
    pub title: String,
    /// Employment used (None: unknown, the industry adds no employment).
    pub employment: Option<f64>,
    /// `disclosed`, `estimated (<method>)`, `at least (partial)`, `suppressed`.
    pub employment_basis: String,
    /// The OEWS pattern used, if any.
    pub pattern: Option<IndustryMatch>,
    /// Why there is no pattern, if none.
    pub no_pattern: Option<String>,
    /// Share of the industry's national employment in published occupations.
    pub published_share: Option<f64>,
}

/// Where wages come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WageArea {
    pub code: String,
    pub title: String,
    /// `metro (the region)`, `metro containing the region`, `state (the region)`,
    /// `state containing the region`, `national (fallback)`, `chosen`.
    pub basis: String,
}

/// EP columns of one occupation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpColumns {
    pub growth_pct: Option<f64>,
    pub years: (i32, i32),
    /// National annual openings (thousands).
    pub national_openings: Option<f64>,
    /// National openings rate applied to the region's estimate.
    pub regional_openings: Option<f64>,
    pub education: Option<TypicalEducation>,
    pub work_experience: Option<WorkExperience>,
    pub training: Option<OnTheJobTraining>,
}

/// One line of the occupation table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccupationLine {
    pub code: String,
    pub title: String,
    /// Estimated regional employment (None when no industry employment is known).
    pub employment: Option<f64>,
    /// Share of the industries' staffing (employment-weighted when known).
    pub share: f64,
    pub by_industry: Vec<(String, f64)>,
    /// Wages from the wage area: 10th, 25th, median, 75th, 90th percentiles.
    pub hourly: [OewsValue; 5],
    pub annual: [OewsValue; 5],
    /// True when the wage area does not publish this occupation and national wages are used.
    pub national_wages: bool,
    pub lq: Option<f64>,
    /// `BLS` (published for the region's OEWS area) or `computed`.
    pub lq_source: Option<&'static str>,
    /// None: EP does not list the occupation (unmatched).
    pub ep: Option<EpColumns>,
    pub job_zone: Option<JobZone>,
    /// Median hourly wage ≥ living wage (None when either is unknown; a top-coded median is
    /// above any living wage).
    pub above_living_wage: Option<bool>,
}

/// The occupation table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccupationReport {
    pub region_name: String,
    pub counties: Vec<String>,
    pub period: String,
    pub ownership: u8,
    pub industries: Vec<IndustryUsed>,
    pub wage_area: Option<WageArea>,
    pub lines: Vec<OccupationLine>,
    /// Employment of the industries not allocated to a published occupation.
    pub unallocated: f64,
    /// Σ industry employment used.
    pub total: f64,
    pub renormalised: bool,
    pub ep_loaded: bool,
    pub onet_loaded: bool,
    /// OEWS occupation codes EP does not list (kept in the table, unmatched).
    pub unmatched_ep: Vec<String>,
    pub living_wage: Option<(f64, String)>,
    pub notes: Vec<String>,
}

fn body<T: for<'de> Deserialize<'de>>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| {
        crate::EngineError::Invalid(format!(
            "stored {what} cannot be read ({e}); re-import the file"
        ))
    })
}

/// The national staffing pattern of one OEWS industry, from its stored table: its detailed
/// occupations, and a broad occupation (`xx-xxx0`) where BLS publishes none of its detailed
/// occupations for the industry. The BLS download layout marks such a broad row `detailed`
/// itself (METHODS §4.2); the time-series layout keeps it at the broad level, and without this
/// rule its employment would fall into the unallocated line. A broad row with some detailed
/// occupations published is left out (no double counting).
fn pattern_of(occs: &[OewsOcc]) -> Option<StaffingPattern> {
    let total = occs
        .iter()
        .find(|o| o.code == "00-0000")
        .and_then(|o| o.tot_emp.value())?;
    let broad_of = |code: &str| code.get(..6).unwrap_or(code).to_string();
    let with_detail: std::collections::HashSet<String> = occs
        .iter()
        .filter(|o| o.group == OGroup::Detailed)
        .map(|o| broad_of(&o.code))
        .collect();
    Some(StaffingPattern {
        total,
        rows: occs
            .iter()
            .filter(|o| {
                o.group == OGroup::Detailed
                    || (o.group == OGroup::Broad && !with_detail.contains(&broad_of(&o.code)))
            })
            .map(|o| PatternRow {
                occ_code: o.code.clone(),
                employment: o.tot_emp.value(),
                pct_total: o.pct_total.value(),
            })
            .collect(),
    })
}

/// The newest period with QCEW data for every county of the region and the nation: a year if
/// any, else a quarter.
pub async fn default_period(store: &Store, counties: &[String]) -> Result<Option<Period>> {
    let mut areas: Vec<String> = counties.to_vec();
    areas.push("US000".into());
    let periods = store.qcew_periods_for(&areas).await?;
    let full: Vec<(i64, i64)> = periods
        .iter()
        .filter(|(_, _, n)| *n as usize >= areas.len())
        .map(|(y, q, _)| (*y, *q))
        .collect();
    let pick = full
        .iter()
        .find(|(_, q)| *q == 0)
        .or_else(|| full.first())
        .copied();
    Ok(pick.and_then(|(y, q)| {
        if q == 0 {
            Some(Period::Year(y as i32))
        } else {
            Period::from_qcew(&y.to_string(), &q.to_string()).ok()
        }
    }))
}

/// Region employment per industry at one level: (figure status, best value or lower bound).
async fn region_employment(
    store: &Store,
    req: &OccupationRequest,
    period: Period,
    codes: &[Naics],
    estimates: bool,
) -> Result<HashMap<String, (Option<f64>, String, String)>> {
    let mut out = HashMap::new();
    let mut by_level: BTreeMap<u8, Vec<&Naics>> = BTreeMap::new();
    for c in codes {
        by_level.entry(c.level() as u8).or_default().push(c);
    }
    for (_, group) in by_level {
        let mut t = TargetRequest::new(req.region.clone(), period);
        t.ownership = req.ownership;
        t.level = group[0].level();
        t.estimates = estimates;
        // Only the requested industries' branch of the hierarchy: same figures, less work.
        let wanted: Vec<Naics> = group.iter().map(|c| (*c).clone()).collect();
        let (table, _) = compute_industries(Some(store), &t, &wanted).await?;
        for row in &table.rows {
            if !group.iter().any(|c| **c == row.industry_code) {
                continue;
            }
            let fig = &row.employment;
            let (value, basis) = match (fig.status(), fig.best()) {
                (Status::Disclosed, Some(b)) => (Some(b.value), "disclosed".to_string()),
                (_, Some(b)) if b.estimated => (
                    Some(b.value),
                    format!(
                        "estimated ({})",
                        fig.estimate()
                            .map(|e| e.method.as_str())
                            .unwrap_or("estimate")
                    ),
                ),
                (Status::Partial, _) => (
                    Some(fig.published().bounds().lower()),
                    "at least (partial: some counties suppressed)".to_string(),
                ),
                _ => (None, "suppressed".to_string()),
            };
            out.insert(
                row.industry_code.as_str().to_string(),
                (value, basis, row.industry_title.clone()),
            );
        }
    }
    Ok(out)
}

/// Picks the OEWS wage area for a set of counties among the loaded areas.
pub fn best_wage_area(counties: &[String], loaded: &HashMap<String, String>) -> Option<WageArea> {
    let geo = sectorkit_data::geo::Geography::embedded();
    let parsed: Vec<sectorkit_core::codes::AreaFips> =
        counties.iter().filter_map(|c| c.parse().ok()).collect();
    let cbsas: Vec<Option<&sectorkit_data::geo::Cbsa>> =
        parsed.iter().map(|c| geo.cbsa_of_county(c)).collect();
    if let Some(Some(first)) = cbsas.first()
        && cbsas
            .iter()
            .all(|c| c.is_some_and(|c| c.code == first.code))
    {
        let code = format!("00{}", first.code);
        if let Some(title) = loaded.get(&code) {
            let whole = first.counties.len() == parsed.len();
            return Some(WageArea {
                code,
                title: title.clone(),
                basis: if whole {
                    "metro (the region)".into()
                } else {
                    "metro containing the region".into()
                },
            });
        }
    }
    let states: std::collections::BTreeSet<&str> =
        parsed.iter().filter_map(|c| c.state_fips()).collect();
    if states.len() == 1 {
        let s = states.iter().next().expect("one state");
        let code = format!("{s}00000");
        if let Some(title) = loaded.get(&code) {
            let state: Option<sectorkit_core::codes::AreaFips> = format!("{s}000").parse().ok();
            let whole = state.is_some_and(|st| geo.state_counties(&st).len() == parsed.len());
            return Some(WageArea {
                code,
                title: title.clone(),
                basis: if whole {
                    "state (the region)".into()
                } else {
                    "state containing the region".into()
                },
            });
        }
    }
    loaded.get(NATION).map(|t| WageArea {
        code: NATION.into(),
        title: t.clone(),
        basis: "national (fallback: no loaded OEWS area contains the region)".into(),
    })
}

fn median_above(hourly_median: OewsValue, annual_median: OewsValue, lw: f64) -> Option<bool> {
    match (hourly_median, annual_median) {
        (OewsValue::Value(h), _) => Some(sectorkit_core::living_wage::at_or_above(h, lw)),
        (OewsValue::TopCoded, _) | (_, OewsValue::TopCoded) => Some(true),
        // Annual-only occupations (teachers): compare the annual median with 2,080 hours.
        (_, OewsValue::Value(a)) => Some(sectorkit_core::living_wage::at_or_above(a / 2080.0, lw)),
        _ => None,
    }
}

/// The decoded reference data every occupation table needs (the national industry list, the
/// national cross-industry table, EP and O*NET facts), kept for the process and reused while
/// the imported occupation files are the same. The key is the list of imported files' kinds and
/// SHA-256s in import order, so it names the content, not a database: two databases with the
/// same files imported in the same order hold the same reference data.
struct Reference {
    available: Vec<OewsIndustry>,
    nat_cross: Vec<OewsOcc>,
    ep: HashMap<String, EpFact>,
    onet: HashMap<String, OnetFact>,
}

type ReferenceSlot = Option<(Vec<String>, std::sync::Arc<Reference>)>;
static REFERENCE: std::sync::Mutex<ReferenceSlot> = std::sync::Mutex::new(None);

async fn reference_data(store: &Store) -> Result<std::sync::Arc<Reference>> {
    let key: Vec<String> = store
        .occ_datasets()
        .await?
        .iter()
        .map(|d| format!("{}:{}", d.kind, d.sha256))
        .collect();
    if let Some((k, r)) = REFERENCE.lock().expect("reference cache").as_ref()
        && *k == key
    {
        return Ok(r.clone());
    }
    let available = store
        .oews_tables_of_area(NATION)
        .await?
        .into_iter()
        .filter(|t| t.industry_code != CROSS_INDUSTRY && t.industry_code != CROSS_INDUSTRY_PRIVATE)
        .map(|t| OewsIndustry {
            code: t.industry_code,
            title: t.industry_title,
        })
        .collect();
    let nat_cross: Vec<OewsOcc> = match store.oews_table(NATION, CROSS_INDUSTRY).await? {
        Some(t) => body("OEWS table", &t.body)?,
        None => Vec::new(),
    };
    let ep: HashMap<String, EpFact> = store
        .occ_facts("ep")
        .await?
        .into_iter()
        .map(|f| Ok((f.soc_code.clone(), body::<EpFact>("EP facts", &f.body)?)))
        .collect::<Result<_>>()?;
    let onet: HashMap<String, OnetFact> = store
        .occ_facts("onet")
        .await?
        .into_iter()
        .map(|f| {
            Ok((
                f.soc_code.clone(),
                body::<OnetFact>("O*NET facts", &f.body)?,
            ))
        })
        .collect::<Result<_>>()?;
    let r = std::sync::Arc::new(Reference {
        available,
        nat_cross,
        ep,
        onet,
    });
    *REFERENCE.lock().expect("reference cache") = Some((key, r.clone()));
    Ok(r)
}

/// Computes the occupation table.
pub async fn compute_occupations(
    store: &Store,
    req: &OccupationRequest,
) -> Result<OccupationReport> {
    let region = sectorkit_data::geo::resolve_region(&req.region)?;
    let counties: Vec<String> = region
        .counties
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    if req.industries.is_empty() {
        bail!("no industry given: name one or more NAICS codes");
    }
    let mut codes = Vec::new();
    for i in &req.industries {
        let n: Naics = i
            .parse()
            .map_err(|e| crate::EngineError::Invalid(format!("industry {i:?}: {e}")))?;
        codes.push(n);
    }
    let period = match req.period {
        Some(p) => p,
        None => default_period(store, &counties).await?.ok_or_else(|| {
            crate::EngineError::Invalid(
                "no QCEW period has data for every county of the region and the nation; import QCEW files first".into(),
            )
        })?,
    };
    let reference = reference_data(store).await?;
    if reference.available.is_empty() {
        bail!(
            "no OEWS national industry staffing patterns are loaded; import them with `sectorkit oews import FILE` (the national industry-specific file)"
        );
    }
    let available = &reference.available;
    // Published figures first: estimates (METHODS §2.2) need every level of the region's
    // counties and their state, so they are computed only when a requested industry is not
    // disclosed. A disclosed cell never takes an estimate, so the result is the same.
    let mut employment = region_employment(store, req, period, &codes, false).await?;
    if req.estimates
        && codes.iter().any(|c| {
            employment
                .get(c.as_str())
                .is_none_or(|(_, basis, _)| basis != "disclosed")
        })
    {
        employment = region_employment(store, req, period, &codes, true).await?;
    }
    let mut notes = Vec::new();

    // Industries → shares.
    let mut industries = Vec::new();
    let mut shares_by: Vec<(String, staffing::Shares, Option<f64>)> = Vec::new();
    let mut pattern_cache: HashMap<String, Vec<OewsOcc>> = HashMap::new();
    for n in &codes {
        let (emp, basis, title) = employment.get(n.as_str()).cloned().unwrap_or((
            None,
            "not in the QCEW data for the region".into(),
            sectorkit_data::titles::industry_title(n.as_str())
                .unwrap_or("")
                .to_string(),
        ));
        let mut used = IndustryUsed {
            naics: n.as_str().to_string(),
            title,
            employment: emp,
            employment_basis: basis,
            pattern: None,
            no_pattern: None,
            published_share: None,
        };
        match staffing::match_industry(n.as_str(), available) {
            None => {
                used.no_pattern = Some(if staffing::no_staffing_pattern(n.as_str()) {
                    "OEWS does not survey this industry (crop and animal production, private households): no staffing pattern exists".into()
                } else {
                    "no OEWS staffing pattern is loaded for this industry or any industry containing it".into()
                });
            }
            Some(m) => {
                let occs = match pattern_cache.get(&m.oews_code) {
                    Some(o) => o.clone(),
                    None => {
                        let t = store
                            .oews_table(NATION, &m.oews_code)
                            .await?
                            .ok_or_else(|| {
                                crate::EngineError::Invalid(format!(
                                    "OEWS table {} vanished",
                                    m.oews_code
                                ))
                            })?;
                        let occs: Vec<OewsOcc> = body("OEWS table", &t.body)?;
                        pattern_cache.insert(m.oews_code.clone(), occs.clone());
                        occs
                    }
                };
                match pattern_of(&occs).map(|p| staffing::shares(&p, req.renormalise)) {
                    Some(Ok(s)) => {
                        used.published_share = Some(s.shares.iter().map(|x| x.share).sum());
                        shares_by.push((n.as_str().to_string(), s, emp));
                    }
                    Some(Err(e)) => {
                        used.no_pattern = Some(format!(
                            "the OEWS pattern {} cannot be used: {e}",
                            m.oews_code
                        ))
                    }
                    None => {
                        used.no_pattern =
                            Some(format!("the OEWS table {} has no total", m.oews_code))
                    }
                }
                used.pattern = Some(m);
            }
        }
        industries.push(used);
    }
    let known: Vec<IndustryInput<'_>> = shares_by
        .iter()
        .filter_map(|(n, s, e)| {
            e.map(|employment| IndustryInput {
                industry: n,
                shares: s,
                employment,
            })
        })
        .collect();
    // With no known employment, weight the industries equally so shares still show.
    let any_known = !known.is_empty();
    let applied = if any_known {
        staffing::apply(&known)
    } else {
        let equal: Vec<IndustryInput<'_>> = shares_by
            .iter()
            .map(|(n, s, _)| IndustryInput {
                industry: n,
                shares: s,
                employment: 1.0,
            })
            .collect();
        if !equal.is_empty() {
            notes.push("the region's employment in these industries is suppressed and cannot be estimated: the table shows national staffing shares only".into());
        }
        staffing::apply(&equal)
    };

    // Titles from the national cross-industry table (falls back to the pattern's titles).
    let nat_cross = &reference.nat_cross;
    let mut titles: HashMap<String, String> = HashMap::new();
    for occs in pattern_cache.values().chain(std::iter::once(nat_cross)) {
        for o in occs {
            titles
                .entry(o.code.clone())
                .or_insert_with(|| o.title.clone());
        }
    }

    // Wage area.
    let areas = store.oews_areas().await?;
    let loaded: HashMap<String, String> = areas
        .iter()
        .map(|a| (a.area_code.clone(), a.area_title.clone()))
        .collect();
    let wage_area = match &req.wage_area {
        Some(code) => match loaded.get(code) {
            Some(t) => Some(WageArea {
                code: code.clone(),
                title: t.clone(),
                basis: "chosen".into(),
            }),
            None => bail!("OEWS area {code} is not loaded (see `sectorkit oews datasets`)"),
        },
        None => best_wage_area(&counties, &loaded),
    };
    let wage_occs: HashMap<String, OewsOcc> = match &wage_area {
        Some(w) => match store.oews_table(&w.code, CROSS_INDUSTRY).await? {
            Some(t) => body::<Vec<OewsOcc>>("OEWS table", &t.body)?
                .into_iter()
                .map(|o| (o.code.clone(), o))
                .collect(),
            None => HashMap::new(),
        },
        None => HashMap::new(),
    };
    let nat_by_code: HashMap<&str, &OewsOcc> =
        nat_cross.iter().map(|o| (o.code.as_str(), o)).collect();
    if wage_area.is_none() {
        notes.push("no OEWS area file is loaded: wages are not shown".into());
    }

    // LQ: BLS's when the region is the wage area itself.
    let region_is_area = wage_area
        .as_ref()
        .is_some_and(|w| w.basis == "metro (the region)" || w.basis == "state (the region)");
    let computed_lq = if !region_is_area && req.computed_lq {
        computed_lqs(store, req, period, available, &mut notes).await?
    } else {
        HashMap::new()
    };

    // EP and O*NET.
    let ep = &reference.ep;
    let onet = &reference.onet;

    let total_known = applied.total;
    let mut unmatched_ep = Vec::new();
    let mut lines = Vec::new();
    for o in &applied.occupations {
        let wage = wage_occs.get(&o.occ_code);
        let (hourly, annual, national_wages) = match (wage, nat_by_code.get(o.occ_code.as_str())) {
            (Some(w), _) => (w.hourly, w.annual, false),
            (None, Some(n)) if wage_area.is_some() => (n.hourly, n.annual, true),
            _ => ([OewsValue::Blank; 5], [OewsValue::Blank; 5], false),
        };
        let (lq, lq_source) = if region_is_area {
            (
                wage.and_then(|w| w.loc_quotient.value()),
                wage.and(Some("BLS")),
            )
        } else {
            match computed_lq.get(&o.occ_code) {
                Some(v) => (Some(*v), Some("computed")),
                None => (None, None),
            }
        };
        let employment = any_known.then_some(o.employment);
        let ep_cols = ep.get(&o.occ_code).map(|f| EpColumns {
            growth_pct: f.change_pct,
            years: (f.base_year, f.projected_year),
            national_openings: f.openings_annual,
            regional_openings: match (employment, f.openings_annual, f.employment_base) {
                (Some(e), Some(op), Some(b)) if b > 0.0 => Some(e * op / b),
                _ => None,
            },
            education: f.education,
            work_experience: f.work_experience,
            training: f.training,
        });
        if ep_cols.is_none() && !ep.is_empty() {
            unmatched_ep.push(o.occ_code.clone());
        }
        lines.push(OccupationLine {
            code: o.occ_code.clone(),
            title: titles.get(&o.occ_code).cloned().unwrap_or_default(),
            employment,
            share: if total_known > 0.0 {
                o.employment / total_known
            } else {
                0.0
            },
            by_industry: o.by_industry.clone(),
            hourly,
            annual,
            national_wages,
            lq,
            lq_source,
            ep: ep_cols,
            job_zone: onet.get(&o.occ_code).map(|f| f.job_zone),
            above_living_wage: req
                .living_wage
                .as_ref()
                .and_then(|(lw, _)| median_above(hourly[2], annual[2], *lw)),
        });
    }
    if lines.iter().any(|l| l.national_wages) {
        notes.push(format!(
            "occupations the {} area does not publish show national wages (marked)",
            wage_area
                .as_ref()
                .map(|w| w.title.as_str())
                .unwrap_or("wage")
        ));
    }
    Ok(OccupationReport {
        region_name: region.name.clone(),
        counties,
        period: period.to_string(),
        ownership: req.ownership.code(),
        industries,
        wage_area,
        lines,
        unallocated: if any_known { applied.unallocated } else { 0.0 },
        total: if any_known { applied.total } else { 0.0 },
        renormalised: req.renormalise,
        ep_loaded: !ep.is_empty(),
        onet_loaded: !onet.is_empty(),
        unmatched_ep,
        living_wage: req.living_wage.clone(),
        notes,
    })
}

/// Occupational LQs of a custom region, computed from its whole private economy: every
/// 3-digit industry's national staffing pattern applied to the region's employment, against the
/// nation's private cross-industry shares.
async fn computed_lqs(
    store: &Store,
    req: &OccupationRequest,
    period: Period,
    available: &[OewsIndustry],
    notes: &mut Vec<String>,
) -> Result<HashMap<String, f64>> {
    let Some(nat_private) = store.oews_table(NATION, CROSS_INDUSTRY_PRIVATE).await? else {
        notes.push("occupational LQs need the national cross-industry OEWS file (private ownership rows); not loaded".into());
        return Ok(HashMap::new());
    };
    let nat: Vec<OewsOcc> = body("OEWS table", &nat_private.body)?;
    let Some(nat_total) = nat
        .iter()
        .find(|o| o.code == "00-0000")
        .and_then(|o| o.tot_emp.value())
    else {
        return Ok(HashMap::new());
    };
    let mut t = TargetRequest::new(req.region.clone(), period);
    t.ownership = Ownership::Private;
    t.level = sectorkit_core::codes::IndustryLevel::Naics3;
    t.estimates = req.estimates;
    let (table, _) = compute_targets(Some(store), &t, None).await?;
    let mut inputs: Vec<(String, staffing::Shares, f64)> = Vec::new();
    let mut uncovered = 0.0;
    let mut covered = 0.0;
    for row in &table.rows {
        let Some(e) = row.employment.best_value().or_else(|| {
            (row.employment.status() == Status::Partial)
                .then(|| row.employment.published().bounds().lower())
        }) else {
            continue;
        };
        let Some(m) = staffing::match_industry(row.industry_code.as_str(), available) else {
            uncovered += e;
            continue;
        };
        let Some(tb) = store.oews_table(NATION, &m.oews_code).await? else {
            uncovered += e;
            continue;
        };
        let occs: Vec<OewsOcc> = body("OEWS table", &tb.body)?;
        if let Some(Ok(s)) = pattern_of(&occs).map(|p| staffing::shares(&p, false)) {
            covered += e;
            inputs.push((row.industry_code.as_str().to_string(), s, e));
        } else {
            uncovered += e;
        }
    }
    let applied = staffing::apply(
        &inputs
            .iter()
            .map(|(n, s, e)| IndustryInput {
                industry: n,
                shares: s,
                employment: *e,
            })
            .collect::<Vec<_>>(),
    );
    if applied.total <= 0.0 {
        return Ok(HashMap::new());
    }
    notes.push(format!(
        "occupational LQs are computed (the region is not an OEWS area): national staffing patterns of its {} private 3-digit industries applied to their {} employment ({:.0} jobs; {:.0} in industries without a pattern left out), against the nation's private cross-industry shares",
        inputs.len(),
        period,
        covered,
        uncovered
    ));
    let nat_share: HashMap<&str, f64> = nat
        .iter()
        .filter_map(|o| o.tot_emp.value().map(|e| (o.code.as_str(), e / nat_total)))
        .collect();
    Ok(applied
        .occupations
        .iter()
        .filter_map(|o| {
            let ns = *nat_share.get(o.occ_code.as_str())?;
            (ns > 0.0).then(|| (o.occ_code.clone(), (o.employment / applied.total) / ns))
        })
        .collect())
}

/// One line of `sectorkit oews lq`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LqLine {
    pub occ_code: String,
    pub occ_title: String,
    pub tot_emp: OewsValue,
    pub jobs_1000: OewsValue,
    /// BLS's published LQ.
    pub loc_quotient: OewsValue,
    /// sectorkit's, from the published figures (`lq_from_published`), 2 decimals.
    pub computed_loc_quotient: Option<f64>,
}

/// Occupational LQs of one OEWS area, BLS's and recomputed, from area and national
/// cross-industry tables.
pub fn area_lqs(area: &[OewsOcc], nation: &[OewsOcc]) -> Vec<LqLine> {
    use sectorkit_core::occupations::{PublishedLqInputs, lq_from_published};
    let total = area
        .iter()
        .find(|o| o.code == "00-0000")
        .and_then(|o| o.tot_emp.value());
    let nat: HashMap<&str, f64> = nation
        .iter()
        .filter_map(|o| o.tot_emp.value().map(|e| (o.code.as_str(), e)))
        .collect();
    let nat_total = nat.get("00-0000").copied();
    area.iter()
        .filter(|o| o.code != "00-0000")
        .map(|o| {
            let computed = match (total, nat.get(o.code.as_str()), nat_total) {
                (Some(t), Some(&n), Some(nt)) => lq_from_published(PublishedLqInputs {
                    area_occ: o.tot_emp.value(),
                    area_total: t,
                    area_jobs_1000: o.jobs_1000.value(),
                    nat_occ: n,
                    nat_total: nt,
                })
                .ok()
                .map(|l| l.value),
                _ => None,
            };
            LqLine {
                occ_code: o.code.clone(),
                occ_title: o.title.clone(),
                tot_emp: o.tot_emp,
                jobs_1000: o.jobs_1000,
                loc_quotient: o.loc_quotient,
                computed_loc_quotient: computed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(code: &str, group: OGroup, emp: Option<f64>) -> OewsOcc {
        OewsOcc {
            code: code.into(),
            title: code.into(),
            group,
            tot_emp: emp.map_or(OewsValue::Suppressed, OewsValue::Value),
            jobs_1000: OewsValue::Blank,
            loc_quotient: OewsValue::Blank,
            pct_total: OewsValue::Blank,
            a_mean: OewsValue::Blank,
            hourly: [OewsValue::Blank; 5],
            annual: [OewsValue::Blank; 5],
            annual_only: false,
            hourly_only: false,
        }
    }

    #[test]
    fn a_broad_occupation_stands_in_only_when_none_of_its_detail_is_published() {
        let occs = vec![
            occ("00-0000", OGroup::Total, Some(1000.0)),
            occ("17-0000", OGroup::Major, Some(300.0)),
            // Broad with no detailed occupation published: used.
            occ("17-3020", OGroup::Broad, Some(60.0)),
            // Broad with one detailed occupation published: the detail is used, not the broad.
            occ("15-1250", OGroup::Broad, Some(200.0)),
            occ("15-1252", OGroup::Detailed, Some(150.0)),
            occ("29-1141", OGroup::Detailed, Some(400.0)),
        ];
        let p = pattern_of(&occs).unwrap();
        let codes: Vec<&str> = p.rows.iter().map(|r| r.occ_code.as_str()).collect();
        assert_eq!(codes, ["17-3020", "15-1252", "29-1141"]);
        let s = staffing::shares(&p, false).unwrap();
        assert!((s.unallocated - 0.39).abs() < 1e-9, "{}", s.unallocated);
    }
}
