//! Readers for O*NET database text files (tab-separated, header row, no quoting), plain or
//! gzipped (detected from the magic bytes):
//!
//! - `Job Zones.txt` → [`JobZoneRow`] ([`read_job_zones`]);
//! - `Job Zone Reference.txt` → [`JobZoneReference`] ([`read_job_zone_reference`]);
//! - `Occupation Data.txt` (27.0 and 29.2 alike) → [`OnetOccupation`] ([`read_occupations`]);
//! - `Education, Training, and Experience.txt` → [`EteRow`] ([`read_ete`]), and its categories
//!   file → [`EteCategory`] ([`read_ete_categories`]); [`rl_distributions`] groups the "Required
//!   Level of Education" (scale `RL`) rows into one distribution per O*NET-SOC code.
//!
//! ## O*NET-SOC → SOC
//!
//! An O*NET-SOC code `11-1011.03` belongs to the SOC 2018 occupation `11-1011` (its first 7
//! characters, [`soc_code`]); `.00` is the SOC occupation itself, other suffixes are O*NET
//! sub-occupations. When several O*NET codes map to one SOC code, sectorkit takes **one** value
//! per SOC code by this rule (**[R]**, decided here):
//!
//! 1. **the `.00` code** when it has a value in the table at hand — it *is* the SOC
//!    occupation;
//! 2. otherwise the SOC code's only O*NET code, when there is one;
//! 3. otherwise, for job zones ([`job_zones_by_soc`]): **the most common job zone** among the
//!    SOC code's O*NET codes, a tie going to the **lower** zone (a ladder should not hide an
//!    entry point by assuming more preparation than the evidence shows);
//! 4. otherwise, for education distributions ([`rl_by_soc`]): **the lowest-numbered O*NET code**
//!    with data. Distributions are never averaged — that would be a statistic over respondents
//!    of different surveys, and this crate computes none.
//!
//! Every rolled-up value records the rule used and the O*NET codes it was chosen from, so a page
//! can say "from 6 O*NET occupations". In O*NET 27.0 (798 SOC codes with a job zone), 67 SOC
//! codes have several job-zone rows (15 of them no `.00` row), 9 have one code that is not `.00`,
//! and in 25 the zones of one SOC code disagree.
//!
//! What this module must not do: compute statistics.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use sectorkit_core::education::JobZone;

/// `11-1011.03` → `11-1011`; `None` unless the code is `NN-NNNN.NN`.
pub fn soc_code(onet_code: &str) -> Option<&str> {
    valid_onet_code(onet_code).then(|| &onet_code[..7])
}

/// True for `NN-NNNN.00`, the SOC occupation itself.
pub fn is_soc_level(onet_code: &str) -> bool {
    valid_onet_code(onet_code) && onet_code.ends_with(".00")
}

fn valid_onet_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[2] == b'-'
        && b[7] == b'.'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 7 || c.is_ascii_digit())
}

/// One row of `Job Zones.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobZoneRow {
    /// 1-based line.
    pub line: u64,
    /// `11-1011.03`.
    pub onet_code: String,
    /// 1–5.
    pub job_zone: JobZone,
    /// `MM/YYYY`, as written.
    pub date: String,
    /// `Analyst`, …
    pub domain_source: String,
}

/// One row of `Job Zone Reference.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobZoneReference {
    /// 1–5.
    pub job_zone: JobZone,
    /// `Job Zone One: Little or No Preparation Needed`.
    pub name: String,
    /// Experience text.
    pub experience: String,
    /// Education text.
    pub education: String,
    /// Job training text.
    pub job_training: String,
    /// Example occupations.
    pub examples: String,
    /// Specific vocational preparation range (`Below 4.0`, …).
    pub svp_range: String,
}

/// One row of `Occupation Data.txt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnetOccupation {
    /// 1-based line.
    pub line: u64,
    /// `11-1011.03`.
    pub onet_code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
}

/// One row of the Education, Training, and Experience categories file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EteCategory {
    /// `2.D.1`, …
    pub element_id: String,
    /// `Required Level of Education`, …
    pub element_name: String,
    /// `RL`, `RW`, `PT`, `OJ`.
    pub scale_id: String,
    /// 1-based category number.
    pub category: u8,
    /// `Less than a High School Diploma`, …
    pub description: String,
}

/// The categories file, for decoding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EteCategories {
    /// All rows, in file order.
    pub rows: Vec<EteCategory>,
}

impl EteCategories {
    /// The description of `category` on scale `scale_id` (`RL`, `RW`, `PT`, `OJ`).
    pub fn describe(&self, scale_id: &str, category: u8) -> Option<&str> {
        self.rows
            .iter()
            .find(|c| c.scale_id == scale_id && c.category == category)
            .map(|c| c.description.as_str())
    }

    /// A short label for people: the description up to its first ` - ` or ` (`
    /// (`High School Diploma - or the equivalent …` → `High School Diploma`).
    pub fn short(&self, scale_id: &str, category: u8) -> Option<&str> {
        self.describe(scale_id, category).map(|d| {
            let cut = [" - ", " ("]
                .iter()
                .filter_map(|p| d.find(p))
                .min()
                .unwrap_or(d.len());
            &d[..cut]
        })
    }
}

/// One row of the Education, Training, and Experience file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EteRow {
    /// 1-based line.
    pub line: u64,
    /// `11-1011.00`.
    pub onet_code: String,
    /// `2.D.1`, …
    pub element_id: String,
    /// `RL`, `RW`, `PT`, `OJ`, `IM`.
    pub scale_id: String,
    /// Category number; `None` for `n/a` (the `IM` importance rows).
    pub category: Option<u8>,
    /// Percent of respondents in the category (or the importance for `IM`).
    pub data_value: f64,
    /// Respondents; `None` for `n/a`.
    pub n: Option<u32>,
    /// Standard error; `None` for `n/a`.
    pub standard_error: Option<f64>,
    /// Lower bound of the 95% confidence interval.
    pub lower_ci: Option<f64>,
    /// Upper bound of the 95% confidence interval.
    pub upper_ci: Option<f64>,
    /// O*NET recommends suppressing the value (`Y`); `None` for `n/a`.
    pub recommend_suppress: Option<bool>,
    /// `MM/YYYY`.
    pub date: String,
    /// `Incumbent`, `Occupational Expert`, `Analyst`.
    pub domain_source: String,
}

/// The "Required Level of Education" distribution of one O*NET-SOC code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RlDistribution {
    /// `11-1011.00`.
    pub onet_code: String,
    /// `(category, percent of respondents)` in category order (1 = less than HS … 12 =
    /// post-doctoral training), as published.
    pub shares: Vec<(u8, f64)>,
    /// Respondents (the first row's `N`).
    pub n: Option<u32>,
    /// Whether O*NET recommends suppressing any of the shares.
    pub any_recommend_suppress: bool,
    /// `Incumbent`, `Occupational Expert`, …
    pub domain_source: String,
}

/// Which step of the O*NET → SOC rule chose a value (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SocRule {
    /// The `.00` code.
    SocLevel,
    /// The SOC code's only O*NET code (not `.00`).
    OnlyCode,
    /// The most common job zone of the O*NET codes (ties to the lower zone).
    MostCommonZone,
    /// The lowest-numbered O*NET code with data.
    LowestCode,
}

/// A SOC code's job zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocJobZone {
    /// `11-1011`.
    pub soc: String,
    /// The job zone chosen.
    pub job_zone: JobZone,
    /// How.
    pub rule: SocRule,
    /// Every O*NET code of this SOC code with a job zone, in file order.
    pub from: Vec<(String, JobZone)>,
}

/// A SOC code's education distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocRl {
    /// `11-1011`.
    pub soc: String,
    /// The distribution chosen (its `onet_code` says whose it is).
    pub distribution: RlDistribution,
    /// How.
    pub rule: SocRule,
    /// How many O*NET codes of this SOC code have a distribution.
    pub candidates: usize,
}

/// Rolls job zones up to SOC codes (`.00`, else most common zone, ties to the lower zone).
pub fn job_zones_by_soc(rows: &[JobZoneRow]) -> BTreeMap<String, SocJobZone> {
    let mut by: BTreeMap<String, Vec<(String, JobZone)>> = BTreeMap::new();
    for r in rows {
        if let Some(soc) = soc_code(&r.onet_code) {
            by.entry(soc.to_string())
                .or_default()
                .push((r.onet_code.clone(), r.job_zone));
        }
    }
    by.into_iter()
        .map(|(soc, from)| {
            let (job_zone, rule) = match from.iter().find(|(c, _)| is_soc_level(c)) {
                Some((_, z)) => (*z, SocRule::SocLevel),
                None if from.len() == 1 => (from[0].1, SocRule::OnlyCode),
                None => {
                    let mut counts = [0usize; 6];
                    for (_, z) in &from {
                        counts[usize::from(z.get())] += 1;
                    }
                    // max_by_key keeps the last maximum: walk from zone 5 down so a tie ends on
                    // the lower zone.
                    let z = (1..=5u8)
                        .rev()
                        .max_by_key(|&z| counts[usize::from(z)])
                        .expect("five zones");
                    (JobZone::new(z).expect("1..=5"), SocRule::MostCommonZone)
                }
            };
            (
                soc.clone(),
                SocJobZone {
                    soc,
                    job_zone,
                    rule,
                    from,
                },
            )
        })
        .collect()
}

/// Rolls education distributions up to SOC codes (`.00`, else the lowest-numbered code).
pub fn rl_by_soc(dists: &[RlDistribution]) -> BTreeMap<String, SocRl> {
    let mut by: BTreeMap<String, Vec<&RlDistribution>> = BTreeMap::new();
    for d in dists {
        if let Some(soc) = soc_code(&d.onet_code) {
            by.entry(soc.to_string()).or_default().push(d);
        }
    }
    by.into_iter()
        .map(|(soc, mut ds)| {
            ds.sort_by(|a, b| a.onet_code.cmp(&b.onet_code));
            let rule = if is_soc_level(&ds[0].onet_code) {
                SocRule::SocLevel
            } else if ds.len() == 1 {
                SocRule::OnlyCode
            } else {
                SocRule::LowestCode
            };
            (
                soc.clone(),
                SocRl {
                    soc,
                    distribution: ds[0].clone(),
                    rule,
                    candidates: ds.len(),
                },
            )
        })
        .collect()
}

/// Groups the `RL` rows of an ETE file into one distribution per O*NET-SOC code, in file order.
pub fn rl_distributions(rows: &[EteRow]) -> Vec<RlDistribution> {
    let mut out: Vec<RlDistribution> = Vec::new();
    for r in rows.iter().filter(|r| r.scale_id == "RL") {
        let Some(cat) = r.category else { continue };
        match out.last_mut() {
            Some(d) if d.onet_code == r.onet_code => {
                d.shares.push((cat, r.data_value));
                d.any_recommend_suppress |= r.recommend_suppress == Some(true);
            }
            _ => out.push(RlDistribution {
                onet_code: r.onet_code.clone(),
                shares: vec![(cat, r.data_value)],
                n: r.n,
                any_recommend_suppress: r.recommend_suppress == Some(true),
                domain_source: r.domain_source.clone(),
            }),
        }
    }
    for d in &mut out {
        d.shares.sort_by_key(|s| s.0);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Errors

/// What went wrong (the location is in [`OnetError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnetErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// Malformed tab-separated text.
    #[error("malformed file: {0}")]
    Malformed(String),
    /// No header row.
    #[error("the file is empty: no header row")]
    Empty,
    /// The header lacks required columns.
    #[error("not an O*NET {table} file: the header lacks {}", .missing.join(", "))]
    MissingColumns {
        /// Which file was expected.
        table: &'static str,
        /// The columns missing.
        missing: Vec<String>,
    },
    /// A record with a different number of fields than the header.
    #[error("the record has {found} fields, the header has {expected}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this record.
        found: usize,
    },
    /// Not an O*NET-SOC code `NN-NNNN.NN`.
    #[error("{0:?} is not an O*NET-SOC code NN-NNNN.NN")]
    BadCode(String),
    /// Not a job zone 1–5.
    #[error("{0:?} is not a job zone (1-5)")]
    BadJobZone(String),
    /// Not a number (or `n/a` where that is allowed).
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// Not `Y`, `N` or `n/a`.
    #[error("{0:?} is not Y, N or n/a")]
    NotAFlag(String),
}

/// A reader error: file, 1-based line, column.
#[derive(Debug)]
pub struct OnetError {
    file: String,
    line: Option<u64>,
    field: Option<String>,
    kind: OnetErrorKind,
}

impl OnetError {
    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// 1-based line, when known.
    pub fn line(&self) -> Option<u64> {
        self.line
    }
    /// Column name, when known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
    /// What went wrong.
    pub fn kind(&self) -> &OnetErrorKind {
        &self.kind
    }
}

impl fmt::Display for OnetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ": line {l}")?;
        }
        if let Some(c) = &self.field {
            write!(f, ", field {c}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for OnetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// One data record with its header, for typed access.
struct Rec<'a> {
    file: &'a str,
    line: u64,
    names: &'a [&'static str],
    idx: &'a [usize],
    fields: &'a csv::StringRecord,
}

impl Rec<'_> {
    fn get(&self, k: usize) -> &str {
        self.fields.get(self.idx[k]).unwrap_or("").trim()
    }
    fn err(&self, k: usize, kind: OnetErrorKind) -> OnetError {
        OnetError {
            file: self.file.to_string(),
            line: Some(self.line),
            field: Some(self.names[k].to_string()),
            kind,
        }
    }
    fn code(&self, k: usize) -> Result<String, OnetError> {
        let s = self.get(k);
        if valid_onet_code(s) {
            Ok(s.to_string())
        } else {
            Err(self.err(k, OnetErrorKind::BadCode(s.to_string())))
        }
    }
    fn zone(&self, k: usize) -> Result<JobZone, OnetError> {
        let s = self.get(k);
        s.parse::<u8>()
            .ok()
            .and_then(JobZone::new)
            .ok_or_else(|| self.err(k, OnetErrorKind::BadJobZone(s.to_string())))
    }
    fn number(&self, k: usize) -> Result<f64, OnetError> {
        let s = self.get(k);
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.err(k, OnetErrorKind::NotANumber(s.to_string())))
    }
    fn opt<T: std::str::FromStr>(&self, k: usize) -> Result<Option<T>, OnetError> {
        let s = self.get(k);
        if s.eq_ignore_ascii_case("n/a") || s.is_empty() {
            return Ok(None);
        }
        s.parse::<T>()
            .map(Some)
            .map_err(|_| self.err(k, OnetErrorKind::NotANumber(s.to_string())))
    }
    fn flag(&self, k: usize) -> Result<Option<bool>, OnetError> {
        match self.get(k) {
            "Y" | "y" => Ok(Some(true)),
            "N" | "n" => Ok(Some(false)),
            s if s.eq_ignore_ascii_case("n/a") || s.is_empty() => Ok(None),
            s => Err(self.err(k, OnetErrorKind::NotAFlag(s.to_string()))),
        }
    }
}

fn decompress<'a, R: Read + 'a>(reader: R) -> io::Result<Box<dyn Read + 'a>> {
    let mut buf = BufReader::with_capacity(1 << 16, reader);
    let head = buf.fill_buf()?;
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(buf)))
    } else {
        Ok(Box::new(buf))
    }
}

/// Reads a tab-separated O*NET file: checks the header has `columns` (case-insensitive), then
/// calls `row` on every non-blank record.
fn read_tsv<R: Read, T>(
    name: &str,
    reader: R,
    table: &'static str,
    columns: &'static [&'static str],
    mut row: impl FnMut(&Rec) -> Result<T, OnetError>,
) -> Result<Vec<T>, OnetError> {
    let err = |line: Option<u64>, kind| OnetError {
        file: name.to_string(),
        line,
        field: None,
        kind,
    };
    let reader = decompress(reader).map_err(|e| err(None, OnetErrorKind::Io(e)))?;
    let input = crate::newlines::Newlines::new(reader);
    let lines = input.index();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut records = rdr.records();
    let header = match records.next() {
        None => return Err(err(Some(1), OnetErrorKind::Empty)),
        Some(h) => h.map_err(|e| err(Some(1), OnetErrorKind::Malformed(e.to_string())))?,
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut idx = Vec::new();
    let mut missing = Vec::new();
    for c in columns {
        match names.iter().position(|n| n == &c.to_ascii_lowercase()) {
            Some(i) => idx.push(i),
            None => missing.push(c.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(err(
            Some(1),
            OnetErrorKind::MissingColumns { table, missing },
        ));
    }
    let mut out = Vec::new();
    for (i, rec) in records.enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| match e.kind() {
            csv::ErrorKind::Io(_) => err(
                Some(line),
                OnetErrorKind::Io(io::Error::other(e.to_string())),
            ),
            _ => err(Some(line), OnetErrorKind::Malformed(e.to_string())),
        })?;
        let line = rec
            .position()
            .map(|p| lines.line_of(p.byte()))
            .unwrap_or(line);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != names.len() {
            return Err(err(
                Some(line),
                OnetErrorKind::FieldCount {
                    expected: names.len(),
                    found: rec.len(),
                },
            ));
        }
        out.push(row(&Rec {
            file: name,
            line,
            names: columns,
            idx: &idx,
            fields: &rec,
        })?);
    }
    Ok(out)
}

/// Opens a file for the readers below (they take any reader; gzip is detected).
pub fn open(path: &Path) -> Result<File, OnetError> {
    File::open(path).map_err(|e| OnetError {
        file: path.display().to_string(),
        line: None,
        field: None,
        kind: OnetErrorKind::Io(e),
    })
}

const JOB_ZONES: &[&str] = &["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"];

/// Reads `Job Zones.txt`.
pub fn read_job_zones<R: Read>(name: &str, reader: R) -> Result<Vec<JobZoneRow>, OnetError> {
    read_tsv(name, reader, "Job Zones", JOB_ZONES, |r| {
        Ok(JobZoneRow {
            line: r.line,
            onet_code: r.code(0)?,
            job_zone: r.zone(1)?,
            date: r.get(2).to_string(),
            domain_source: r.get(3).to_string(),
        })
    })
}

const JOB_ZONE_REFERENCE: &[&str] = &[
    "Job Zone",
    "Name",
    "Experience",
    "Education",
    "Job Training",
    "Examples",
    "SVP Range",
];

/// Reads `Job Zone Reference.txt`.
pub fn read_job_zone_reference<R: Read>(
    name: &str,
    reader: R,
) -> Result<Vec<JobZoneReference>, OnetError> {
    read_tsv(
        name,
        reader,
        "Job Zone Reference",
        JOB_ZONE_REFERENCE,
        |r| {
            Ok(JobZoneReference {
                job_zone: r.zone(0)?,
                name: r.get(1).to_string(),
                experience: r.get(2).to_string(),
                education: r.get(3).to_string(),
                job_training: r.get(4).to_string(),
                examples: r.get(5).to_string(),
                svp_range: r.get(6).to_string(),
            })
        },
    )
}

const OCCUPATIONS: &[&str] = &["O*NET-SOC Code", "Title", "Description"];

/// Reads `Occupation Data.txt` (the 27.0 and 29.2 releases share the layout).
pub fn read_occupations<R: Read>(name: &str, reader: R) -> Result<Vec<OnetOccupation>, OnetError> {
    read_tsv(name, reader, "Occupation Data", OCCUPATIONS, |r| {
        Ok(OnetOccupation {
            line: r.line,
            onet_code: r.code(0)?,
            title: r.get(1).to_string(),
            description: r.get(2).to_string(),
        })
    })
}

const ETE_CATEGORIES: &[&str] = &[
    "Element ID",
    "Element Name",
    "Scale ID",
    "Category",
    "Category Description",
];

/// Reads the Education, Training, and Experience categories file.
pub fn read_ete_categories<R: Read>(name: &str, reader: R) -> Result<EteCategories, OnetError> {
    let rows = read_tsv(name, reader, "ETE Categories", ETE_CATEGORIES, |r| {
        Ok(EteCategory {
            element_id: r.get(0).to_string(),
            element_name: r.get(1).to_string(),
            scale_id: r.get(2).to_string(),
            category: r
                .get(3)
                .parse()
                .map_err(|_| r.err(3, OnetErrorKind::NotANumber(r.get(3).to_string())))?,
            description: r.get(4).to_string(),
        })
    })?;
    Ok(EteCategories { rows })
}

const ETE: &[&str] = &[
    "O*NET-SOC Code",
    "Element ID",
    "Scale ID",
    "Category",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Date",
    "Domain Source",
];

/// Reads the Education, Training, and Experience file (plain or gzipped).
pub fn read_ete<R: Read>(name: &str, reader: R) -> Result<Vec<EteRow>, OnetError> {
    read_tsv(
        name,
        reader,
        "Education, Training, and Experience",
        ETE,
        |r| {
            Ok(EteRow {
                line: r.line,
                onet_code: r.code(0)?,
                element_id: r.get(1).to_string(),
                scale_id: r.get(2).to_string(),
                category: r.opt(3)?,
                data_value: r.number(4)?,
                n: r.opt(5)?,
                standard_error: r.opt(6)?,
                lower_ci: r.opt(7)?,
                upper_ci: r.opt(8)?,
                recommend_suppress: r.flag(9)?,
                date: r.get(10).to_string(),
                domain_source: r.get(11).to_string(),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jz(code: &str, z: u8) -> JobZoneRow {
        JobZoneRow {
            line: 0,
            onet_code: code.into(),
            job_zone: JobZone::new(z).unwrap(),
            date: String::new(),
            domain_source: String::new(),
        }
    }

    #[test]
    fn soc_of_onet_codes() {
        assert_eq!(soc_code("11-1011.03"), Some("11-1011"));
        assert_eq!(soc_code("11-1011.00"), Some("11-1011"));
        assert_eq!(soc_code("11-1011"), None);
        assert_eq!(soc_code("11-1011.0x"), None);
        assert!(is_soc_level("11-1011.00"));
        assert!(!is_soc_level("11-1011.03"));
    }

    #[test]
    fn soc_rule_prefers_00_then_most_common_then_lower_zone() {
        let rows = [
            // .00 wins even against a majority.
            jz("11-3051.00", 4),
            jz("11-3051.02", 3),
            jz("11-3051.06", 3),
            // No .00: most common zone.
            jz("11-9199.01", 4),
            jz("11-9199.02", 4),
            jz("11-9199.09", 3),
            // No .00, tie: the lower zone.
            jz("11-9179.01", 4),
            jz("11-9179.02", 3),
        ];
        let m = job_zones_by_soc(&rows);
        assert_eq!(m.len(), 3);
        assert_eq!(m["11-3051"].job_zone.get(), 4);
        assert_eq!(m["11-3051"].rule, SocRule::SocLevel);
        assert_eq!(m["11-3051"].from.len(), 3);
        assert_eq!(m["11-9199"].job_zone.get(), 4);
        assert_eq!(m["11-9199"].rule, SocRule::MostCommonZone);
        assert_eq!(m["11-9179"].job_zone.get(), 3);
        assert_eq!(m["11-9179"].rule, SocRule::MostCommonZone);
    }

    #[test]
    fn rl_rule_prefers_00_then_lowest_code() {
        let d = |c: &str| RlDistribution {
            onet_code: c.into(),
            shares: vec![(1, 100.0)],
            n: None,
            any_recommend_suppress: false,
            domain_source: String::new(),
        };
        let m = rl_by_soc(&[
            d("13-1041.03"),
            d("13-1041.01"),
            d("11-1011.03"),
            d("11-1011.00"),
        ]);
        assert_eq!(m["13-1041"].distribution.onet_code, "13-1041.01");
        assert_eq!(m["13-1041"].rule, SocRule::LowestCode);
        assert_eq!(m["13-1041"].candidates, 2);
        assert_eq!(m["11-1011"].distribution.onet_code, "11-1011.00");
        assert_eq!(m["11-1011"].rule, SocRule::SocLevel);
    }
}
