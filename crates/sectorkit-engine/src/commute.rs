//! Commuting use cases: the labor shed, commute shed and inflow/outflow of a region from LODES
//! OD files (read straight from disk) or from the database, and importing OD files into the
//! store.
//!
//! Orchestration only: the reader is `sectorkit_data::lodes`, the arithmetic and the coverage
//! rules `sectorkit_core::commute`, the SQL `sectorkit_store`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sectorkit_core::commute::{
    CommuteFlows, Counts, CountyFlow, Coverage, OdPart, commute_flows, coverage, merge_flows,
};
use sectorkit_data::geo::{Geography, Region};
use sectorkit_data::lodes::{
    Crosswalk, JobType, LodesError, OdExpect, OdFile, read_od_path, read_xwalk_path,
};
use sectorkit_store::{LodesFlowRow, LodesImport, NewLodesDataset, Store};

use crate::{EngineError, Result, bail};

impl From<LodesError> for EngineError {
    fn from(e: LodesError) -> Self {
        EngineError::Invalid(e.to_string())
    }
}

/// One OD file behind a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdSource {
    pub file_name: String,
    /// 2-digit FIPS of the workplace state.
    pub state: String,
    pub part: OdPart,
    pub rows: u64,
    /// Sum of S000 over the file.
    pub s000: u64,
    pub sha256: String,
}

/// The commuting picture of a region and what it was computed from.
#[derive(Debug, Clone)]
pub struct CommuteReport {
    pub region: Region,
    pub year: u16,
    pub job_type: JobType,
    /// 7 (2010 blocks) or 8 (2020 blocks), when a crosswalk told.
    pub lodes_version: Option<u8>,
    pub flows: CommuteFlows,
    pub coverage: Coverage,
    pub sources: Vec<OdSource>,
    /// Display names of the counties that appear in the sheds (BLS titles, else the
    /// crosswalk's).
    pub county_names: BTreeMap<String, String>,
    /// Caveats about the input (e.g. crosswalk blocks whose county moved).
    pub notes: Vec<String>,
}

impl CommuteReport {
    /// The display name of a county (its code when unknown).
    pub fn county_name(&self, fips: &str) -> String {
        self.county_names
            .get(fips)
            .cloned()
            .unwrap_or_else(|| fips.to_string())
    }
}

/// OD files and crosswalks read from disk, checked against each other.
#[derive(Debug, Clone)]
pub struct LodesFiles {
    pub od: Vec<OdFile>,
    pub xwalks: Vec<Crosswalk>,
}

impl LodesFiles {
    /// The year, job type and LODES version every file shares.
    fn common(&self) -> Result<(u16, JobType, Option<u8>)> {
        let Some(first) = self.od.first() else {
            bail!("no LODES OD files given");
        };
        let mut seen: BTreeMap<(&str, OdPart), &str> = BTreeMap::new();
        for f in &self.od {
            let d = &f.declared;
            if (d.year, d.job_type) != (first.declared.year, first.declared.job_type) {
                bail!(
                    "{} is {} {} but {} is {} {}: the files of one analysis must share year and \
                     job type",
                    f.file_name,
                    d.job_type,
                    d.year,
                    first.file_name,
                    first.declared.job_type,
                    first.declared.year
                );
            }
            if let Some(other) = seen.insert((d.state, d.part), &f.file_name) {
                bail!(
                    "{} and {other} are both the {} {} file: give each file once",
                    f.file_name,
                    d.postal.to_ascii_lowercase(),
                    d.part.as_str()
                );
            }
        }
        let versions: BTreeSet<u8> = self.xwalks.iter().map(|x| x.lodes_version()).collect();
        if versions.len() > 1 {
            bail!("the crosswalks mix LODES 7 (2010 blocks) and LODES 8 (2020 blocks)");
        }
        Ok((
            first.declared.year,
            first.declared.job_type,
            versions.into_iter().next(),
        ))
    }
}

/// Reads OD files (in parallel, up to the machine's cores) and crosswalks.
pub fn read_lodes_files(
    od: &[PathBuf],
    xwalks: &[PathBuf],
    expect: &OdExpect,
) -> Result<LodesFiles> {
    if od.is_empty() {
        bail!("no LODES OD files given (--od FILE…)");
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<std::result::Result<OdFile, LodesError>>>> =
        Mutex::new(od.iter().map(|_| None).collect());
    let mut xwalk_results = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers.min(od.len()))
            .map(|_| {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(p) = od.get(i) else { break };
                        let r = read_od_path(p, expect);
                        slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                    }
                })
            })
            .collect();
        // The crosswalks on this thread meanwhile.
        xwalk_results = xwalks.iter().map(|p| read_xwalk_path(p)).collect();
        for h in handles {
            let _ = h.join();
        }
    });
    let results = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut files = Vec::with_capacity(results.len());
    for (r, p) in results.into_iter().zip(od) {
        match r {
            Some(r) => files.push(r?),
            None => bail!("{}: the reader thread stopped unexpectedly", p.display()),
        }
    }
    let xwalks = xwalk_results
        .into_iter()
        .collect::<std::result::Result<_, _>>()?;
    Ok(LodesFiles { od: files, xwalks })
}

fn region_set(region: &Region) -> BTreeSet<String> {
    region
        .counties
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

fn names_for(
    flows: &CommuteFlows,
    region: &BTreeSet<String>,
    fallback: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let geo = Geography::embedded();
    flows
        .labor_shed
        .iter()
        .chain(&flows.commute_shed)
        .map(|e| e.county.clone())
        .chain(region.iter().cloned())
        .filter_map(|c| {
            let name = geo
                .title(&c)
                .map(str::to_string)
                .or_else(|| fallback.get(&c).cloned())?;
            Some((c, name))
        })
        .collect()
}

/// The commuting picture of the region `codes` (resolved like `sectorkit targets --region`)
/// from OD files read from disk.
pub fn commute_from_files(
    codes: &str,
    od: &[PathBuf],
    xwalks: &[PathBuf],
    expect: &OdExpect,
) -> Result<CommuteReport> {
    let region = sectorkit_data::geo::resolve_region(codes)?;
    let files = read_lodes_files(od, xwalks, expect)?;
    report_from_files(region, &files)
}

/// The commuting picture of `region` from files already read.
pub fn report_from_files(region: Region, files: &LodesFiles) -> Result<CommuteReport> {
    let (year, job_type, lodes_version) = files.common()?;
    let set = region_set(&region);
    let flows = commute_flows(files.od.iter().flat_map(|f| &f.flows), &set);
    let loaded: Vec<(String, OdPart)> = files
        .od
        .iter()
        .map(|f| (f.declared.state.to_string(), f.declared.part))
        .collect();
    let coverage = coverage(&set, &loaded);
    let xwalk_names: BTreeMap<String, String> = files
        .xwalks
        .iter()
        .flat_map(|x| x.counties.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect();
    let county_names = names_for(&flows, &set, &xwalk_names);
    let notes = files
        .xwalks
        .iter()
        .filter(|x| !x.reassigned.is_empty())
        .map(|x| {
            format!(
                "{}: {} block(s) lie in another county than their code says (boundary \
                 corrections, e.g. {} → {}); flows are counted in the county of the block code",
                x.file_name,
                x.reassigned.len(),
                x.reassigned[0].0,
                x.reassigned[0].1
            )
        })
        .collect();
    let sources = files
        .od
        .iter()
        .map(|f| OdSource {
            file_name: f.file_name.clone(),
            state: f.declared.state.to_string(),
            part: f.declared.part,
            rows: f.rows,
            s000: f.totals.s000,
            sha256: f.sha256.clone(),
        })
        .collect();
    Ok(CommuteReport {
        region,
        year,
        job_type,
        lodes_version,
        flows,
        coverage,
        sources,
        county_names,
        notes,
    })
}

/// The commuting picture of the region `codes` from the LODES data in the store: `year` (default:
/// the newest year with a dataset of a region state) and `job_type`.
pub async fn commute_from_store(
    store: &Store,
    codes: &str,
    year: Option<u16>,
    job_type: JobType,
) -> Result<CommuteReport> {
    let region = sectorkit_data::geo::resolve_region(codes)?;
    let set = region_set(&region);
    let states: BTreeSet<&str> = set.iter().filter_map(|c| c.get(..2)).collect();
    let all = store.lodes_datasets().await?;
    let jt = job_type.code();
    let year = match year {
        Some(y) => y,
        None => all
            .iter()
            .filter(|d| d.job_type == jt && states.contains(d.state.as_str()))
            .map(|d| d.year)
            .max()
            .and_then(|y| u16::try_from(y).ok())
            .ok_or_else(|| {
                EngineError::Invalid(format!(
                    "no LODES {jt} OD file of the region's states is imported; use `sectorkit \
                     lodes import --od FILE… --xwalk FILE`"
                ))
            })?,
    };
    let used: Vec<_> = all
        .iter()
        .filter(|d| d.job_type == jt && d.year == i64::from(year))
        .collect();
    if used.is_empty() {
        bail!("no LODES {jt} OD file of {year} is imported");
    }
    let versions: BTreeSet<i64> = used.iter().map(|d| d.block_vintage).collect();
    if versions.len() > 1 {
        bail!("the imported {jt} {year} files mix 2010 and 2020 census blocks (LODES 7 and 8)");
    }
    let rows = store
        .lodes_flows_for(
            &set.iter().cloned().collect::<Vec<_>>(),
            i64::from(year),
            &jt,
        )
        .await?;
    let flows = merge_flows(rows.into_iter().map(flow_from_db));
    let result = commute_flows(&flows, &set);
    let loaded: Vec<(String, OdPart)> = used
        .iter()
        .filter_map(|d| OdPart::parse(&d.part).map(|p| (d.state.clone(), p)))
        .collect();
    let coverage = coverage(&set, &loaded);
    let wanted: Vec<String> = result
        .labor_shed
        .iter()
        .chain(&result.commute_shed)
        .map(|e| e.county.clone())
        .collect();
    let stored_names: BTreeMap<String, String> = store
        .lodes_county_names(&wanted)
        .await?
        .into_iter()
        .collect();
    let county_names = names_for(&result, &set, &stored_names);
    Ok(CommuteReport {
        region,
        year,
        job_type,
        lodes_version: versions
            .into_iter()
            .next()
            .map(|v| if v >= 2020 { 8 } else { 7 }),
        flows: result,
        coverage,
        sources: used
            .iter()
            .map(|d| OdSource {
                file_name: d.file_name.clone(),
                state: d.state.clone(),
                part: OdPart::parse(&d.part).unwrap_or(OdPart::Main),
                rows: d.rows_read.max(0) as u64,
                s000: d.s000_total.max(0) as u64,
                sha256: d.sha256.clone(),
            })
            .collect(),
        county_names,
        notes: Vec::new(),
    })
}

fn flow_from_db(r: LodesFlowRow) -> CountyFlow {
    CountyFlow {
        work: r.w_county,
        home: r.h_county,
        counts: Counts {
            s000: r.s000.max(0) as u64,
            segments: r.segments.map(|v| v.max(0) as u64),
        },
    }
}

/// What happened to one file of an import.
#[derive(Debug, Clone)]
pub struct LodesImportResult {
    pub file_name: String,
    pub outcome: LodesImport,
}

/// Reads the OD files and crosswalks and imports each OD file into the store (one transaction
/// per file; a file imported before is skipped). Every file is read and checked before anything
/// is written.
pub async fn import_lodes(
    store: &Store,
    od: &[PathBuf],
    xwalks: &[PathBuf],
    expect: &OdExpect,
    source: &str,
) -> Result<Vec<LodesImportResult>> {
    if xwalks.is_empty() {
        bail!(
            "give the crosswalk of the files' LODES version (--xwalk ri_xwalk.csv.gz): it tells 2010 from 2020 blocks and names the counties"
        );
    }
    let files = read_lodes_files(od, xwalks, expect)?;
    let (_, _, version) = files.common()?;
    let block_vintage = if version == Some(8) { 2020 } else { 2010 };
    let names: Vec<(String, String)> = files
        .xwalks
        .iter()
        .flat_map(|x| x.counties.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for f in &files.od {
        let d = &f.declared;
        let new = NewLodesDataset {
            file_name: f.file_name.clone(),
            sha256: f.sha256.clone(),
            state: d.state.to_string(),
            part: d.part.as_str().to_string(),
            job_type: d.job_type.code(),
            year: i64::from(d.year),
            block_vintage,
            rows_read: f.rows as i64,
            s000_total: f.totals.s000 as i64,
            source: source.to_string(),
        };
        let flows: Vec<LodesFlowRow> = f
            .flows
            .iter()
            .map(|c| LodesFlowRow {
                w_county: c.work.clone(),
                h_county: c.home.clone(),
                s000: c.counts.s000 as i64,
                segments: c.counts.segments.map(|v| v as i64),
            })
            .collect();
        let outcome = store.import_lodes(&new, &flows, &names).await?;
        out.push(LodesImportResult {
            file_name: f.file_name.clone(),
            outcome,
        });
    }
    Ok(out)
}
