//! A streaming, header-driven reader for BLS OEWS (Occupational Employment and Wage Statistics)
//! CSV files, plain or gzipped (detected from the magic bytes, not the name).
//!
//! Two spellings of the columns are understood, case-insensitively:
//!
//! - the BLS XLSX/CSV download layout (`AREA`, `NAICS`, `I_GROUP`, `OWN_CODE`, `O_GROUP`,
//!   `PCT_TOTAL`, `ANNUAL`, `HOURLY`, …) where special values are written in the cell
//!   (`*`, `**`, `#`, `~`);
//! - the time-series flattening in `shared/data/bls_oews_2025` (`area_code`, `industry_code`,
//!   `industry_display_level`, `occ_display_level`, …) where a not-released cell is `-` and the
//!   reason is the BLS footnote code in the sibling `<measure>_fn` column (4 = wage reported only
//!   hourly or only annually, 5 = top-coded, 8 = estimate not released).
//!
//! **Special values never become numbers**: a top-coded wage is [`OewsValue::TopCoded`] even
//! when the file writes the cap as its value. Thousands separators (`1,234`) parse.
//!
//! Like the rest of this crate, the reader reads, validates and types; the location quotient
//! arithmetic lives in `sectorkit_core::occupations`.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One published OEWS measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OewsValue {
    /// A published number.
    Value(f64),
    /// `*` (wage not available), or `-` with footnote 4 (wage published only hourly or only
    /// annually) or without a footnote.
    NotAvailable,
    /// `**` (employment not available), or `-` with footnote 8: estimate not released.
    Suppressed,
    /// `#`, or footnote 5: wage at or above the top-code ($115.00/h or $239,200/yr in the May
    /// 2025 release, footnote 5 of `oews_2025_footnote.csv`). Never coerced to the cap.
    TopCoded,
    /// `~`: less than 0.5% of establishments report the occupation (`PCT_RPT`).
    LessThanHalf,
    /// An empty cell (not applicable, e.g. `jobs_1000` in national files), or a column the
    /// file does not have.
    Blank,
}

impl OewsValue {
    /// The number, if one was published.
    pub fn value(self) -> Option<f64> {
        match self {
            OewsValue::Value(v) => Some(v),
            _ => None,
        }
    }

    /// True for every variant except [`OewsValue::Value`] and [`OewsValue::Blank`].
    pub fn is_special(self) -> bool {
        !matches!(self, OewsValue::Value(_) | OewsValue::Blank)
    }
}

/// The occupation's level in the SOC hierarchy (`O_GROUP`, or `occ_display_level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OGroup {
    /// `00-0000` All Occupations.
    Total,
    /// `NN-0000`.
    Major,
    /// Minor group.
    Minor,
    /// Broad occupation.
    Broad,
    /// Detailed occupation.
    Detailed,
}

/// One row of an OEWS file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OewsRow {
    /// Area code as text (`0000000` nation, `0100000` Alabama, `0010180` Abilene MSA; `99`/`01`
    /// in the XLSX layout).
    pub area: String,
    /// `N`/`S`/`M` (time-series) or `1`/`2`/`4`/`6` (XLSX); empty if absent.
    pub area_type: String,
    /// Primary state (FIPS or postal), empty if absent.
    pub prim_state: String,
    /// Area title.
    pub area_title: String,
    /// Industry code as text (`000000` cross-industry, `336100`, `31--34`, …).
    pub naics: String,
    /// Industry title.
    pub naics_title: String,
    /// `I_GROUP` text, or the `industry_display_level` digit; empty if absent.
    pub i_group: String,
    /// `OWN_CODE` text, empty if absent.
    pub own_code: String,
    /// SOC code `NN-NNNN`.
    pub occ_code: String,
    /// Occupation title.
    pub occ_title: String,
    /// Level of the occupation.
    pub o_group: OGroup,
    /// Employment (rounded to 10; excludes self-employed).
    pub tot_emp: OewsValue,
    /// Percent relative standard error of `tot_emp`.
    pub emp_prse: OewsValue,
    /// Employment per 1,000 jobs in the area.
    pub jobs_1000: OewsValue,
    /// Location quotient published by BLS.
    pub loc_quotient: OewsValue,
    /// Percent of industry employment (national industry files).
    pub pct_total: OewsValue,
    /// Percent of establishments reporting (national industry files).
    pub pct_rpt: OewsValue,
    /// Hourly mean wage.
    pub h_mean: OewsValue,
    /// Annual mean wage.
    pub a_mean: OewsValue,
    /// Percent relative standard error of the mean wage.
    pub mean_prse: OewsValue,
    /// Hourly 10th percentile.
    pub h_pct10: OewsValue,
    /// Hourly 25th percentile.
    pub h_pct25: OewsValue,
    /// Hourly median.
    pub h_median: OewsValue,
    /// Hourly 75th percentile.
    pub h_pct75: OewsValue,
    /// Hourly 90th percentile.
    pub h_pct90: OewsValue,
    /// Annual 10th percentile.
    pub a_pct10: OewsValue,
    /// Annual 25th percentile.
    pub a_pct25: OewsValue,
    /// Annual median.
    pub a_median: OewsValue,
    /// Annual 75th percentile.
    pub a_pct75: OewsValue,
    /// Annual 90th percentile.
    pub a_pct90: OewsValue,
    /// Only annual wages are released (`ANNUAL` = TRUE, or footnote 4 on `h_mean`).
    pub annual_only: bool,
    /// Only hourly wages are released (`HOURLY` = TRUE, or footnote 4 on `a_mean`).
    pub hourly_only: bool,
}

/// What a whole read saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OewsSummary {
    /// Data rows read.
    pub rows: u64,
    /// Whether the file was gzipped.
    pub gzip: bool,
}

/// What went wrong (the location is in [`OewsError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OewsErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// Malformed CSV (or corrupt / truncated gzip data surfacing through the CSV parser).
    #[error("malformed CSV: {0}")]
    Csv(String),
    /// No header row.
    #[error("the file is empty: no header row")]
    Empty,
    /// The header lacks required columns.
    #[error("not an OEWS CSV: the header lacks {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// A record with a different number of fields than the header.
    #[error("the record has {found} fields, the header has {expected}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this record.
        found: usize,
    },
    /// A measure that is neither a number nor a known special value.
    #[error("{0:?} is not a number or an OEWS special value")]
    NotANumber(String),
    /// An occupation code not of the form `NN-NNNN`.
    #[error("{0:?} is not an occupation code NN-NNNN")]
    BadOccCode(String),
    /// An unknown occupation group.
    #[error("{0:?} is not an occupation group (total/major/minor/broad/detailed or 0-3)")]
    BadGroup(String),
    /// A `-` or numeric cell with a footnote code the reader does not know how to type.
    #[error("{value:?} with footnote {footnote:?} cannot be typed")]
    BadFootnote {
        /// The cell.
        value: String,
        /// The footnote code.
        footnote: String,
    },
}

/// A reader error: file, 1-based line, field and the offending value (in the kind).
#[derive(Debug)]
pub struct OewsError {
    file: String,
    line: Option<u64>,
    field: Option<String>,
    kind: OewsErrorKind,
}

impl OewsError {
    fn new(file: &str, line: Option<u64>, field: Option<&str>, kind: OewsErrorKind) -> Self {
        OewsError {
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            kind,
        }
    }
    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// 1-based line of the record, when known.
    pub fn line(&self) -> Option<u64> {
        self.line
    }
    /// Column name, when known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
    /// What went wrong.
    pub fn kind(&self) -> &OewsErrorKind {
        &self.kind
    }
}

impl fmt::Display for OewsError {
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

impl std::error::Error for OewsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// The measure columns (lower-case names), in the order of [`OewsRow::measures`].
pub const MEASURES: [&str; N_MEASURES] = [
    "tot_emp",
    "emp_prse",
    "jobs_1000",
    "loc_quotient",
    "pct_total",
    "pct_rpt",
    "h_mean",
    "a_mean",
    "mean_prse",
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
];
/// How many measure columns an OEWS row has.
pub const N_MEASURES: usize = 19;

impl OewsRow {
    /// The row's measures, in the order of [`MEASURES`].
    pub fn measures(&self) -> [OewsValue; N_MEASURES] {
        [
            self.tot_emp,
            self.emp_prse,
            self.jobs_1000,
            self.loc_quotient,
            self.pct_total,
            self.pct_rpt,
            self.h_mean,
            self.a_mean,
            self.mean_prse,
            self.h_pct10,
            self.h_pct25,
            self.h_median,
            self.h_pct75,
            self.h_pct90,
            self.a_pct10,
            self.a_pct25,
            self.a_median,
            self.a_pct75,
            self.a_pct90,
        ]
    }
}

#[derive(Debug, Default)]
struct Columns {
    area: Option<usize>,
    area_type: Option<usize>,
    prim_state: Option<usize>,
    area_title: Option<usize>,
    naics: Option<usize>,
    naics_title: Option<usize>,
    i_group: Option<usize>,
    own_code: Option<usize>,
    occ_code: Option<usize>,
    occ_title: Option<usize>,
    o_group: Option<usize>,
    annual: Option<usize>,
    hourly: Option<usize>,
    measures: [Option<usize>; N_MEASURES],
    footnotes: [Option<usize>; N_MEASURES],
}

impl Columns {
    fn from_header(names: &[String]) -> Result<Columns, Vec<String>> {
        let find = |alts: &[&str]| names.iter().position(|n| alts.contains(&n.as_str()));
        let mut c = Columns {
            area: find(&["area", "area_code"]),
            area_type: find(&["area_type"]),
            prim_state: find(&["prim_state", "prim_state_fips"]),
            area_title: find(&["area_title", "area_name"]),
            naics: find(&["naics", "industry_code"]),
            naics_title: find(&["naics_title", "industry_title"]),
            i_group: find(&["i_group", "industry_display_level"]),
            own_code: find(&["own_code"]),
            occ_code: find(&["occ_code"]),
            occ_title: find(&["occ_title"]),
            o_group: find(&["o_group", "occ_display_level"]),
            annual: find(&["annual"]),
            hourly: find(&["hourly"]),
            ..Columns::default()
        };
        for (i, m) in MEASURES.iter().enumerate() {
            c.measures[i] = find(&[m]);
            c.footnotes[i] = find(&[&format!("{m}_fn")]);
        }
        let mut missing = Vec::new();
        if c.area.is_none() {
            missing.push("area or area_code".to_string());
        }
        if c.occ_code.is_none() {
            missing.push("occ_code".to_string());
        }
        if c.o_group.is_none() {
            missing.push("o_group or occ_display_level".to_string());
        }
        if missing.is_empty() {
            Ok(c)
        } else {
            Err(missing)
        }
    }
}

/// Reads the OEWS file at `path` (plain or gzipped CSV), calling `visit` once per data row in
/// file order. Nothing but one record is held in memory.
pub fn read_path<F: FnMut(&OewsRow)>(path: &Path, visit: F) -> Result<OewsSummary, OewsError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file =
        File::open(path).map_err(|e| OewsError::new(&name, None, None, OewsErrorKind::Io(e)))?;
    read(file, &name, visit)
}

/// Like [`read_path`] over any byte source; `name` is used in errors.
pub fn read<R: Read, F: FnMut(&OewsRow)>(
    source: R,
    name: &str,
    visit: F,
) -> Result<OewsSummary, OewsError> {
    let mut buf = BufReader::with_capacity(1 << 16, source);
    let head = buf
        .fill_buf()
        .map_err(|e| OewsError::new(name, None, None, OewsErrorKind::Io(e)))?;
    let gzip = head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    if gzip {
        let dec = BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(buf));
        read_csv(dec, name, true, visit)
    } else {
        read_csv(buf, name, false, visit)
    }
}

fn read_csv<R: Read, F: FnMut(&OewsRow)>(
    source: R,
    name: &str,
    gzip: bool,
    mut visit: F,
) -> Result<OewsSummary, OewsError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let mut rec = csv::StringRecord::new();
    let csv_err = |e: csv::Error, line: Option<u64>| {
        let kind = match e.into_kind() {
            csv::ErrorKind::Io(io) => OewsErrorKind::Io(io),
            other => OewsErrorKind::Csv(format!("{other:?}")),
        };
        OewsError::new(name, line, None, kind)
    };
    if !rdr.read_record(&mut rec).map_err(|e| csv_err(e, Some(1)))? {
        return Err(OewsError::new(name, None, None, OewsErrorKind::Empty));
    }
    let names: Vec<String> = rec
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let cols = Columns::from_header(&names)
        .map_err(|m| OewsError::new(name, Some(1), None, OewsErrorKind::MissingColumns(m)))?;
    let mut summary = OewsSummary { rows: 0, gzip };
    loop {
        let more = rdr.read_record(&mut rec).map_err(|e| csv_err(e, None))?;
        if !more {
            break;
        }
        let line = rec.position().map(|p| p.line());
        if rec.len() == 1 && rec.get(0).is_some_and(|s| s.trim().is_empty()) {
            continue; // blank line
        }
        if rec.len() != names.len() {
            return Err(OewsError::new(
                name,
                line,
                None,
                OewsErrorKind::FieldCount {
                    expected: names.len(),
                    found: rec.len(),
                },
            ));
        }
        let row = parse_row(&rec, &cols, &names)
            .map_err(|(field, kind)| OewsError::new(name, line, Some(&field), kind))?;
        summary.rows += 1;
        visit(&row);
    }
    Ok(summary)
}

fn text(rec: &csv::StringRecord, i: Option<usize>) -> String {
    i.and_then(|i| rec.get(i))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn parse_row(
    rec: &csv::StringRecord,
    c: &Columns,
    names: &[String],
) -> Result<OewsRow, (String, OewsErrorKind)> {
    let col_name = |i: Option<usize>| i.map(|i| names[i].clone()).unwrap_or_default();
    let occ_code = text(rec, c.occ_code);
    if !is_soc(&occ_code) {
        return Err((col_name(c.occ_code), OewsErrorKind::BadOccCode(occ_code)));
    }
    let group_text = text(rec, c.o_group);
    let o_group = parse_group(&group_text, &occ_code).ok_or_else(|| {
        (
            col_name(c.o_group),
            OewsErrorKind::BadGroup(group_text.clone()),
        )
    })?;
    let mut m = [OewsValue::Blank; N_MEASURES];
    let mut fn4 = [false; N_MEASURES];
    for i in 0..N_MEASURES {
        let Some(ci) = c.measures[i] else { continue };
        let cell = rec.get(ci).unwrap_or("").trim();
        let foot = c.footnotes[i].and_then(|f| rec.get(f)).unwrap_or("").trim();
        fn4[i] = foot == "4";
        m[i] = parse_value(cell, foot).map_err(|k| (names[ci].clone(), k))?;
    }
    let flag = |i: Option<usize>| {
        i.and_then(|i| rec.get(i))
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("true"))
    };
    // Indices into MEASURES.
    const H_MEAN: usize = 6;
    const A_MEAN: usize = 7;
    let annual_only = if c.annual.is_some() {
        flag(c.annual)
    } else {
        fn4[H_MEAN]
    };
    let hourly_only = if c.hourly.is_some() {
        flag(c.hourly)
    } else {
        fn4[A_MEAN]
    };
    Ok(OewsRow {
        area: text(rec, c.area),
        area_type: text(rec, c.area_type),
        prim_state: text(rec, c.prim_state),
        area_title: text(rec, c.area_title),
        naics: text(rec, c.naics),
        naics_title: text(rec, c.naics_title),
        i_group: text(rec, c.i_group),
        own_code: text(rec, c.own_code),
        occ_code,
        occ_title: text(rec, c.occ_title),
        o_group,
        tot_emp: m[0],
        emp_prse: m[1],
        jobs_1000: m[2],
        loc_quotient: m[3],
        pct_total: m[4],
        pct_rpt: m[5],
        h_mean: m[6],
        a_mean: m[7],
        mean_prse: m[8],
        h_pct10: m[9],
        h_pct25: m[10],
        h_median: m[11],
        h_pct75: m[12],
        h_pct90: m[13],
        a_pct10: m[14],
        a_pct25: m[15],
        a_median: m[16],
        a_pct75: m[17],
        a_pct90: m[18],
        annual_only,
        hourly_only,
    })
}

fn is_soc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

fn parse_group(s: &str, occ: &str) -> Option<OGroup> {
    Some(match s.to_ascii_lowercase().as_str() {
        "total" => OGroup::Total,
        "major" => OGroup::Major,
        "minor" => OGroup::Minor,
        "broad" => OGroup::Broad,
        "detailed" => OGroup::Detailed,
        // Time-series display levels: 0 is used for both the total and the major groups.
        "0" if occ == "00-0000" => OGroup::Total,
        "0" => OGroup::Major,
        "1" => OGroup::Minor,
        "2" => OGroup::Broad,
        "3" => OGroup::Detailed,
        _ => return None,
    })
}

/// Types one cell given its footnote code (empty when the file has no footnote column).
pub fn parse_value(cell: &str, footnote: &str) -> Result<OewsValue, OewsErrorKind> {
    let special = match cell {
        "" => return Ok(OewsValue::Blank),
        "*" => Some(OewsValue::NotAvailable),
        "**" => Some(OewsValue::Suppressed),
        "#" => Some(OewsValue::TopCoded),
        "~" => Some(OewsValue::LessThanHalf),
        "-" => match footnote {
            "5" => Some(OewsValue::TopCoded),
            "8" => Some(OewsValue::Suppressed),
            "" | "4" => Some(OewsValue::NotAvailable),
            _ => {
                return Err(OewsErrorKind::BadFootnote {
                    value: cell.to_string(),
                    footnote: footnote.to_string(),
                });
            }
        },
        _ => None,
    };
    if let Some(s) = special {
        return Ok(s);
    }
    let v = parse_number(cell).ok_or_else(|| OewsErrorKind::NotANumber(cell.to_string()))?;
    match footnote {
        // A top-coded wage written as its cap: never a number.
        "5" => Ok(OewsValue::TopCoded),
        "8" => Ok(OewsValue::Suppressed),
        _ => Ok(OewsValue::Value(v)),
    }
}

/// Digits with an optional `.` fraction and optional `,` thousands separators (`1,234.5`).
fn parse_number(s: &str) -> Option<f64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    if let Some(f) = frac
        && !f.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first = groups[0];
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
    } else if !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let clean: String = int.chars().filter(|&c| c != ',').collect();
    let text = match frac {
        Some(f) => format!("{}.{}", if clean.is_empty() { "0" } else { &clean }, f),
        None => clean,
    };
    let v: f64 = text.parse().ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_separators() {
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("1,234,567.25"), Some(1_234_567.25));
        assert_eq!(parse_number("0.060"), Some(0.06));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("12,34"), None);
        assert_eq!(parse_number("1e5"), None);
        assert_eq!(parse_number("nan"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn specials_never_numbers() {
        assert_eq!(parse_value("*", "").unwrap(), OewsValue::NotAvailable);
        assert_eq!(parse_value("**", "").unwrap(), OewsValue::Suppressed);
        assert_eq!(parse_value("#", "").unwrap(), OewsValue::TopCoded);
        assert_eq!(parse_value("~", "").unwrap(), OewsValue::LessThanHalf);
        assert_eq!(parse_value("", "").unwrap(), OewsValue::Blank);
        assert_eq!(parse_value("-", "8").unwrap(), OewsValue::Suppressed);
        assert_eq!(parse_value("-", "5").unwrap(), OewsValue::TopCoded);
        assert_eq!(parse_value("-", "4").unwrap(), OewsValue::NotAvailable);
        assert_eq!(parse_value("115.00", "5").unwrap(), OewsValue::TopCoded);
        assert_eq!(parse_value("239,200", "5").unwrap(), OewsValue::TopCoded);
        assert_eq!(parse_value("1,234", "").unwrap(), OewsValue::Value(1234.0));
        assert!(parse_value("12x", "").is_err());
        assert!(parse_value("-", "9").is_err());
    }

    #[test]
    fn groups() {
        assert_eq!(parse_group("0", "00-0000"), Some(OGroup::Total));
        assert_eq!(parse_group("0", "11-0000"), Some(OGroup::Major));
        assert_eq!(parse_group("3", "11-1011"), Some(OGroup::Detailed));
        assert_eq!(parse_group("Detailed", "11-1011"), Some(OGroup::Detailed));
        assert_eq!(parse_group("4", "11-1011"), None);
        assert!(is_soc("15-1252"));
        assert!(!is_soc("151252"));
        assert!(!is_soc("15-12a2"));
    }
}
