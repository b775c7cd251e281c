//! Reader for BLS Employment Projections (EP) occupation tables: the official workbook
//! `occupation.xlsx` (read with `calamine`) and CSV extractions of its tables.
//!
//! Two tables are read, from either source:
//!
//! - **Table 1.2** "Occupational projections … and worker characteristics" → [`EpOccupation`]:
//!   National Employment Matrix title and code, occupation type (line item / summary),
//!   employment in the base and projected years (thousands), distribution, change, percent self
//!   employed, annual average openings, median annual wage ([`EpWage`]: a number, "≥ $239,200"
//!   top-coded, or not available) and the three education and training categories of METHODS
//!   §4.5 as typed enums ([`TypicalEducation`], [`WorkExperience`], [`OnTheJobTraining`]).
//! - **Table 1.10** "Occupational separations and openings" → [`EpSeparations`]: labor-force exit,
//!   occupational transfer and total separation rates and counts, and openings.
//!
//! How the files are read:
//!
//! - **The header row is found by its names** (BLS puts a title above it and footnotes below the
//!   data), in the first [`HEADER_SEARCH_ROWS`] rows; the columns are found by name, so order does
//!   not matter. The years come from the header (`Employment, 2024` / `Employment, 2034`).
//! - The table ends at the first row without a matrix code (`Footnotes:`, `Note: …`,
//!   `Source: …`); a row with a code after that is an error, not silently dropped.
//! - **`—` (not available) stays `None`**, never 0; so do `-`, `(NA)` and blank cells.
//! - Codes stay text (`00-0000`, `11-1011`, `53-7070`), checked to be `NN-NNNN`.
//! - BLS indents titles with two spaces per level; the reader strips them into
//!   [`EpOccupation::indent`] (0 = the total, 1 = major groups, …).
//! - An unknown category label is an error naming file, sheet, row and column: nothing is
//!   guessed.
//!
//! The workbook in `shared/data/bls_ep_2024_34` (EP 2024–34 release) holds Tables 1.1–1.6 and
//! 1.8–1.12 (its Index sheet lists them); it has **no educational-attainment table** (BLS
//! publishes attainment in `education.xlsx`, Table 5.3, which we do not have), so this module
//! does not read attainment.
//!
//! What this module must not do: compute anything (openings arithmetic lives in
//! `sectorkit_core::projection`).

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde::{Deserialize, Serialize};

pub use sectorkit_core::education::{OnTheJobTraining, TypicalEducation, WorkExperience};

/// Sheet name of Table 1.2 in `occupation.xlsx`.
pub const SHEET_PROJECTIONS: &str = "Table 1.2";
/// Sheet name of Table 1.10 in `occupation.xlsx`.
pub const SHEET_SEPARATIONS: &str = "Table 1.10";
/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// "Line item" (a detailed occupation; line items add up to the total) or "Summary" (a group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OccupationType {
    /// `Line item`.
    LineItem,
    /// `Summary`.
    Summary,
}

impl OccupationType {
    fn parse(s: &str) -> Option<OccupationType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "line item" => Some(OccupationType::LineItem),
            "summary" => Some(OccupationType::Summary),
            _ => None,
        }
    }
}

/// A median annual wage as EP publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpWage {
    /// Dollars per year.
    Annual(f64),
    /// Top-coded: at or above this many dollars (`>=$239,200`). Never the wage itself.
    AtLeast(f64),
    /// `—`: not available.
    NotAvailable,
}

impl EpWage {
    /// The wage, only when a number was published (not top-coded, not missing).
    pub fn annual(self) -> Option<f64> {
        match self {
            EpWage::Annual(w) => Some(w),
            _ => None,
        }
    }
}

/// Base and projected years, read from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpYears {
    /// e.g. 2024.
    pub base: i32,
    /// e.g. 2034.
    pub projected: i32,
}

/// One row of Table 1.2. Employment figures are in **thousands**.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpOccupation {
    /// Row (workbook) or line (CSV) number, 1-based.
    pub row: u64,
    /// Matrix title without BLS's indentation.
    pub title: String,
    /// Indentation level (two spaces each in BLS's title): 0 for the total.
    pub indent: u8,
    /// National Employment Matrix code (SOC-based), e.g. `11-1011`, `00-0000`.
    pub code: String,
    /// Line item or summary.
    pub occupation_type: OccupationType,
    /// Employment in the base year, thousands.
    pub employment_base: Option<f64>,
    /// Employment in the projected year, thousands.
    pub employment_projected: Option<f64>,
    /// Share of all employment in the base year, percent.
    pub distribution_base_pct: Option<f64>,
    /// Share of all employment in the projected year, percent.
    pub distribution_projected_pct: Option<f64>,
    /// Employment change, thousands.
    pub change: Option<f64>,
    /// Employment change, percent.
    pub change_pct: Option<f64>,
    /// Percent self employed in the base year.
    pub self_employed_pct: Option<f64>,
    /// Occupational openings, annual average over the projection period, thousands.
    pub openings_annual: Option<f64>,
    /// Median annual wage (OEWS), base year.
    pub median_wage: EpWage,
    /// Typical education needed for entry (`None` where BLS prints `—`, i.e. summaries).
    pub education: Option<TypicalEducation>,
    /// Work experience in a related occupation.
    pub work_experience: Option<WorkExperience>,
    /// Typical on-the-job training.
    pub training: Option<OnTheJobTraining>,
}

/// One row of Table 1.10. Counts in **thousands**, rates in percent, annual averages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpSeparations {
    /// Row (workbook) or line (CSV) number, 1-based.
    pub row: u64,
    /// Matrix title without BLS's indentation.
    pub title: String,
    /// Indentation level.
    pub indent: u8,
    /// National Employment Matrix code.
    pub code: String,
    /// Line item or summary.
    pub occupation_type: OccupationType,
    /// Employment in the base year.
    pub employment_base: Option<f64>,
    /// Employment in the projected year.
    pub employment_projected: Option<f64>,
    /// Employment change.
    pub change: Option<f64>,
    /// Employment change, percent.
    pub change_pct: Option<f64>,
    /// Labor-force exit rate, annual average, percent.
    pub exit_rate: Option<f64>,
    /// Occupational transfer rate, annual average, percent.
    pub transfer_rate: Option<f64>,
    /// Total occupational separations rate, annual average, percent.
    pub separations_rate: Option<f64>,
    /// Labor-force exits, annual average.
    pub exits: Option<f64>,
    /// Occupational transfers, annual average.
    pub transfers: Option<f64>,
    /// Total occupational separations, annual average.
    pub separations: Option<f64>,
    /// Occupational openings, annual average.
    pub openings_annual: Option<f64>,
}

/// A whole table: its years and its rows in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpTable<T> {
    /// Base and projected years.
    pub years: EpYears,
    /// Data rows (summaries and line items), in file order.
    pub rows: Vec<T>,
    /// Rows below the table (footnotes, notes, source) that were recognised and not read.
    pub footnote_rows: u64,
}

/// Tables 1.2 and 1.10 of the workbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpWorkbook {
    /// The workbook's sheet names, in order.
    pub sheets: Vec<String>,
    /// Table 1.2.
    pub projections: EpTable<EpOccupation>,
    /// Table 1.10.
    pub separations: EpTable<EpSeparations>,
}

/// What went wrong (the location is in [`EpError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EpErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// The workbook could not be read as XLSX.
    #[error("not a readable XLSX workbook: {0}")]
    Xlsx(String),
    /// Malformed CSV.
    #[error("malformed CSV: {0}")]
    Csv(String),
    /// The workbook has no such sheet.
    #[error("no sheet {sheet:?} (the workbook has: {})", .available.join(", "))]
    NoSheet {
        /// The sheet asked for.
        sheet: String,
        /// The sheets there are.
        available: Vec<String>,
    },
    /// No row within the first rows carries the table's header.
    #[error("no header row found in the first {HEADER_SEARCH_ROWS} rows (looked for a row with {})", .0.join(", "))]
    MissingHeader(Vec<String>),
    /// The header row lacks columns this table needs.
    #[error("the header lacks column(s): {}", .0.join("; "))]
    MissingColumns(Vec<String>),
    /// A year could not be read from the `Employment, YYYY` columns.
    #[error("cannot tell the base and projected years from the header")]
    NoYears,
    /// A cell that must be a number (or `—`) is not.
    #[error("{0:?} is not a number or `—`")]
    NotANumber(String),
    /// A wage that is neither a number, `>=$…` nor `—`.
    #[error("{0:?} is not a wage, `>=$…` or `—`")]
    BadWage(String),
    /// A category label the reader does not know.
    #[error("unknown {what} label {label:?} (known: {})", .known.join("; "))]
    UnknownCategory {
        /// Which category (e.g. "typical education").
        what: &'static str,
        /// The label found.
        label: String,
        /// The labels that are known.
        known: Vec<&'static str>,
    },
    /// An occupation type other than `Line item` / `Summary`.
    #[error("{0:?} is not an occupation type (Line item or Summary)")]
    BadOccupationType(String),
    /// A code not of the form `NN-NNNN`.
    #[error("{0:?} is not a matrix code NN-NNNN")]
    BadCode(String),
    /// A row with a code below the footnotes.
    #[error("a data row after the end of the table (footnotes started at row {0})")]
    RowAfterFootnotes(u64),
    /// The table has a header but no data rows.
    #[error("the table has no data rows")]
    NoRows,
}

/// A reader error: file, sheet (workbooks), 1-based row and column.
#[derive(Debug)]
pub struct EpError {
    file: String,
    sheet: Option<String>,
    row: Option<u64>,
    column: Option<String>,
    kind: Box<EpErrorKind>,
}

impl EpError {
    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// The sheet, for workbooks.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }
    /// 1-based row (workbook) or line (CSV), when known.
    pub fn row(&self) -> Option<u64> {
        self.row
    }
    /// The column: its header name, and its letter in a workbook (`Employment, 2024 (D)`).
    pub fn column(&self) -> Option<&str> {
        self.column.as_deref()
    }
    /// What went wrong.
    pub fn kind(&self) -> &EpErrorKind {
        &self.kind
    }
}

impl fmt::Display for EpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, ", sheet {s:?}")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for EpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

/// A cell from either source.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(x) => x.to_string(),
        }
    }
    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// A row's 1-based number and its cells.
type NumberedRow = (u64, Vec<Cell>);

/// Where the cells come from, for error locations.
struct Source<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    /// Workbook: column letters are shown.
    letters: bool,
}

impl Source<'_> {
    fn err(&self, row: Option<u64>, column: Option<String>, kind: EpErrorKind) -> EpError {
        EpError {
            file: self.file.to_string(),
            sheet: self.sheet.map(str::to_string),
            row,
            column,
            kind: Box::new(kind),
        }
    }
}

/// Column letters (`0` → `A`, `26` → `AA`).
fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// The columns of a table, found in the header row.
struct Header {
    /// Normalised (lower case, single spaces), for matching.
    names: Vec<String>,
    /// As written, for messages.
    display: Vec<String>,
    col_offset: usize,
}

impl Header {
    fn find(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.names.iter().position(|n| pred(n))
    }
    fn label(&self, src: &Source, i: usize) -> String {
        if src.letters {
            format!(
                "{} ({})",
                self.display[i],
                column_letters(i + self.col_offset)
            )
        } else {
            self.display[i].clone()
        }
    }
}

fn norm(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

fn is_header(row: &[Cell]) -> bool {
    let names: Vec<String> = row.iter().map(|c| norm(&c.text())).collect();
    names.iter().any(|n| n.ends_with("matrix title"))
        && names.iter().any(|n| n.ends_with("matrix code"))
}

/// `Employment, 2024` → 2024.
fn employment_year(name: &str) -> Option<i32> {
    let rest = name.strip_prefix("employment, ")?;
    (rest.len() == 4).then(|| rest.parse().ok()).flatten()
}

fn not_available(s: &str) -> bool {
    matches!(
        s.trim(),
        "" | "\u{2014}" | "\u{2013}" | "-" | "(NA)" | "NA" | "N/A" | "n/a"
    )
}

fn parse_number(cell: &Cell) -> Result<Option<f64>, EpErrorKind> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(x) => Ok(Some(*x)),
        Cell::Text(s) if not_available(s) => Ok(None),
        Cell::Text(s) => {
            let t: String = s.trim().chars().filter(|c| *c != ',').collect();
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| EpErrorKind::NotANumber(s.clone()))
        }
    }
}

fn parse_wage(cell: &Cell) -> Result<EpWage, EpErrorKind> {
    match cell {
        Cell::Empty => Ok(EpWage::NotAvailable),
        Cell::Number(x) => Ok(EpWage::Annual(*x)),
        Cell::Text(s) if not_available(s) => Ok(EpWage::NotAvailable),
        Cell::Text(s) => {
            let t = s.trim();
            let (top, rest) = match t.strip_prefix(">=").or_else(|| t.strip_prefix('\u{2265}')) {
                Some(r) => (true, r.trim()),
                None => (false, t),
            };
            let digits: String = rest
                .trim_start_matches('$')
                .chars()
                .filter(|c| *c != ',')
                .collect();
            let x = digits
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| EpErrorKind::BadWage(s.clone()))?;
            Ok(if top {
                EpWage::AtLeast(x)
            } else {
                EpWage::Annual(x)
            })
        }
    }
}

fn parse_category<T: Copy>(
    cell: &Cell,
    what: &'static str,
    parse: fn(&str) -> Option<T>,
    all: &'static [T],
    label: fn(T) -> &'static str,
) -> Result<Option<T>, EpErrorKind> {
    let s = cell.text();
    if not_available(&s) {
        return Ok(None);
    }
    parse(&s)
        .map(Some)
        .ok_or_else(|| EpErrorKind::UnknownCategory {
            what,
            label: s.clone(),
            known: all.iter().map(|&v| label(v)).collect(),
        })
}

fn valid_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

/// The columns shared by both tables, and a row's common fields.
struct Common {
    title: usize,
    code: usize,
    kind: usize,
    emp_base: usize,
    emp_proj: usize,
    years: EpYears,
}

struct RowCommon {
    title: String,
    indent: u8,
    code: String,
    occupation_type: OccupationType,
}

type Col = (&'static str, fn(&str) -> bool);

fn locate(header: &Header, cols: &[Col]) -> Result<Vec<usize>, EpErrorKind> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (name, pred) in cols {
        match header.find(pred) {
            Some(i) => found.push(i),
            None => missing.push(name.to_string()),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(EpErrorKind::MissingColumns(missing))
    }
}

fn common_columns(header: &Header) -> Result<Common, EpErrorKind> {
    let base: &[Col] = &[
        ("… Matrix title", |n| n.ends_with("matrix title")),
        ("… Matrix code", |n| n.ends_with("matrix code")),
        ("Occupation type", |n| n == "occupation type"),
    ];
    let c = locate(header, base)?;
    let mut years: Vec<(i32, usize)> = header
        .names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| employment_year(n).map(|y| (y, i)))
        .collect();
    years.sort();
    let [(by, bi), (py, pi)] = years[..] else {
        return Err(if years.is_empty() {
            EpErrorKind::MissingColumns(vec![
                "Employment, <base year>".into(),
                "Employment, <projected year>".into(),
            ])
        } else {
            EpErrorKind::NoYears
        });
    };
    Ok(Common {
        title: c[0],
        code: c[1],
        kind: c[2],
        emp_base: bi,
        emp_proj: pi,
        years: EpYears {
            base: by,
            projected: py,
        },
    })
}

/// Reads the header, then every data row through `row_fn`, until the footnotes.
fn read_table<T>(
    src: &Source,
    rows: impl Iterator<Item = (u64, Vec<Cell>)>,
    col_offset: usize,
    columns: impl FnOnce(&Header) -> Result<(Common, Vec<usize>), EpErrorKind>,
    row_fn: impl Fn(
        &Header,
        &Common,
        &[usize],
        RowCommon,
        &dyn Fn(usize) -> Cell,
        u64,
    ) -> Result<T, (usize, EpErrorKind)>,
) -> Result<EpTable<T>, EpError> {
    let mut rows = rows.peekable();
    let mut header = None;
    let mut header_row = 0;
    for (n, cells) in rows.by_ref() {
        if is_header(&cells) {
            header = Some(Header {
                names: cells.iter().map(|c| norm(&c.text())).collect(),
                display: cells.iter().map(|c| c.text().trim().to_string()).collect(),
                col_offset,
            });
            header_row = n;
            break;
        }
        if n as usize >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    let Some(header) = header else {
        return Err(src.err(
            None,
            None,
            EpErrorKind::MissingHeader(vec![
                "\"… National Employment Matrix title\"".into(),
                "\"… National Employment Matrix code\"".into(),
            ]),
        ));
    };
    let (common, extra) = columns(&header).map_err(|k| src.err(Some(header_row), None, k))?;
    let mut out = Vec::new();
    let mut footnotes_from: Option<u64> = None;
    let mut footnote_rows = 0;
    for (n, cells) in rows {
        let get = |i: usize| cells.get(i).cloned().unwrap_or(Cell::Empty);
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let code_cell = get(common.code);
        if code_cell.is_blank() {
            footnotes_from.get_or_insert(n);
            footnote_rows += 1;
            continue;
        }
        if let Some(f) = footnotes_from {
            return Err(src.err(
                Some(n),
                Some(header.label(src, common.code)),
                EpErrorKind::RowAfterFootnotes(f),
            ));
        }
        let at = |i: usize, k: EpErrorKind| src.err(Some(n), Some(header.label(src, i)), k);
        let code = code_cell.text().trim().to_string();
        if !valid_code(&code) {
            return Err(at(common.code, EpErrorKind::BadCode(code)));
        }
        let raw_title = get(common.title).text();
        let trimmed = raw_title.trim_start_matches(' ');
        let indent = ((raw_title.len() - trimmed.len()) / 2).min(u8::MAX as usize) as u8;
        let kind_text = get(common.kind).text();
        let occupation_type = OccupationType::parse(&kind_text).ok_or_else(|| {
            at(
                common.kind,
                EpErrorKind::BadOccupationType(kind_text.clone()),
            )
        })?;
        let rc = RowCommon {
            title: trimmed.trim_end().to_string(),
            indent,
            code,
            occupation_type,
        };
        let row = row_fn(&header, &common, &extra, rc, &get, n).map_err(|(i, k)| at(i, k))?;
        out.push(row);
    }
    if out.is_empty() {
        return Err(src.err(None, None, EpErrorKind::NoRows));
    }
    Ok(EpTable {
        years: common.years,
        rows: out,
        footnote_rows,
    })
}

const T12_COLUMNS: &[Col] = &[
    ("Employment change, numeric", |n| {
        n.starts_with("employment change, numeric")
    }),
    ("Employment change, percent", |n| {
        n.starts_with("employment change, percent")
    }),
    ("Percent self employed", |n| {
        n.starts_with("percent self employed")
    }),
    ("Occupational openings, … annual average", |n| {
        n.starts_with("occupational openings")
    }),
    ("Median annual wage", |n| {
        n.starts_with("median annual wage")
    }),
    ("Typical education needed for entry", |n| {
        n.starts_with("typical education needed for entry")
    }),
    ("Work experience in a related occupation", |n| {
        n.starts_with("work experience in a related occupation")
    }),
    ("Typical on-the-job training …", |n| {
        n.starts_with("typical on-the-job training")
    }),
];

fn t12_columns(h: &Header) -> Result<(Common, Vec<usize>), EpErrorKind> {
    let common = common_columns(h)?;
    let dist = |y: i32| {
        let want = format!("employment distribution, percent, {y}");
        h.find(|n| n == want)
    };
    let mut missing = Vec::new();
    let db = dist(common.years.base);
    let dp = dist(common.years.projected);
    if db.is_none() {
        missing.push(format!(
            "Employment distribution, percent, {}",
            common.years.base
        ));
    }
    if dp.is_none() {
        missing.push(format!(
            "Employment distribution, percent, {}",
            common.years.projected
        ));
    }
    let rest = match locate(h, T12_COLUMNS) {
        Ok(r) => r,
        Err(EpErrorKind::MissingColumns(m)) => {
            missing.extend(m);
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    if !missing.is_empty() {
        return Err(EpErrorKind::MissingColumns(missing));
    }
    let mut cols = vec![db.expect("checked"), dp.expect("checked")];
    cols.extend(rest);
    Ok((common, cols))
}

fn t12_row(
    _h: &Header,
    c: &Common,
    x: &[usize],
    rc: RowCommon,
    get: &dyn Fn(usize) -> Cell,
    n: u64,
) -> Result<EpOccupation, (usize, EpErrorKind)> {
    let num = |i: usize| parse_number(&get(i)).map_err(|k| (i, k));
    Ok(EpOccupation {
        row: n,
        title: rc.title,
        indent: rc.indent,
        code: rc.code,
        occupation_type: rc.occupation_type,
        employment_base: num(c.emp_base)?,
        employment_projected: num(c.emp_proj)?,
        distribution_base_pct: num(x[0])?,
        distribution_projected_pct: num(x[1])?,
        change: num(x[2])?,
        change_pct: num(x[3])?,
        self_employed_pct: num(x[4])?,
        openings_annual: num(x[5])?,
        median_wage: parse_wage(&get(x[6])).map_err(|k| (x[6], k))?,
        education: parse_category(
            &get(x[7]),
            "typical education",
            TypicalEducation::from_bls_label,
            TypicalEducation::ALL,
            TypicalEducation::bls_label,
        )
        .map_err(|k| (x[7], k))?,
        work_experience: parse_category(
            &get(x[8]),
            "work experience",
            WorkExperience::from_bls_label,
            WorkExperience::ALL,
            WorkExperience::bls_label,
        )
        .map_err(|k| (x[8], k))?,
        training: parse_category(
            &get(x[9]),
            "on-the-job training",
            OnTheJobTraining::from_bls_label,
            OnTheJobTraining::ALL,
            OnTheJobTraining::bls_label,
        )
        .map_err(|k| (x[9], k))?,
    })
}

const T110_COLUMNS: &[Col] = &[
    ("Employment change, numeric", |n| {
        n.starts_with("employment change, numeric")
    }),
    ("Employment change, percent", |n| {
        n.starts_with("employment change, percent")
    }),
    ("Labor force exit rate", |n| {
        n.starts_with("labor force exit rate")
    }),
    ("Occupational transfer rate", |n| {
        n.starts_with("occupational transfer rate")
    }),
    ("Total occupational separations rate", |n| {
        n.starts_with("total occupational separations rate")
    }),
    ("Labor force exits", |n| n.starts_with("labor force exits")),
    ("Occupational transfers", |n| {
        n.starts_with("occupational transfers")
    }),
    ("Total occupational separations", |n| {
        n.starts_with("total occupational separations,")
    }),
    ("Occupational openings", |n| {
        n.starts_with("occupational openings")
    }),
];

fn t110_columns(h: &Header) -> Result<(Common, Vec<usize>), EpErrorKind> {
    let common = common_columns(h)?;
    Ok((common, locate(h, T110_COLUMNS)?))
}

fn t110_row(
    _h: &Header,
    c: &Common,
    x: &[usize],
    rc: RowCommon,
    get: &dyn Fn(usize) -> Cell,
    n: u64,
) -> Result<EpSeparations, (usize, EpErrorKind)> {
    let num = |i: usize| parse_number(&get(i)).map_err(|k| (i, k));
    Ok(EpSeparations {
        row: n,
        title: rc.title,
        indent: rc.indent,
        code: rc.code,
        occupation_type: rc.occupation_type,
        employment_base: num(c.emp_base)?,
        employment_projected: num(c.emp_proj)?,
        change: num(x[0])?,
        change_pct: num(x[1])?,
        exit_rate: num(x[2])?,
        transfer_rate: num(x[3])?,
        separations_rate: num(x[4])?,
        exits: num(x[5])?,
        transfers: num(x[6])?,
        separations: num(x[7])?,
        openings_annual: num(x[8])?,
    })
}

// ---------------------------------------------------------------------------------------------
// Workbook

/// An open EP workbook.
pub struct EpXlsx<R: Read + Seek> {
    name: String,
    book: Xlsx<R>,
}

impl EpXlsx<BufReader<File>> {
    /// Opens a workbook file.
    pub fn open(path: &Path) -> Result<Self, EpError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| EpError {
            file: name.clone(),
            sheet: None,
            row: None,
            column: None,
            kind: Box::new(EpErrorKind::Io(e)),
        })?;
        EpXlsx::new(&name, BufReader::new(file))
    }
}

impl<R: Read + Seek> EpXlsx<R> {
    /// Reads a workbook from any seekable reader (an upload held in memory: `io::Cursor`).
    pub fn new(name: &str, reader: R) -> Result<Self, EpError> {
        let book = Xlsx::new(reader).map_err(|e| EpError {
            file: name.to_string(),
            sheet: None,
            row: None,
            column: None,
            kind: Box::new(EpErrorKind::Xlsx(e.to_string())),
        })?;
        Ok(EpXlsx {
            name: name.to_string(),
            book,
        })
    }

    /// The sheet names, in order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    fn sheet(&mut self, sheet: &str) -> Result<(Vec<NumberedRow>, usize), EpError> {
        let names = self.sheet_names();
        if !names.iter().any(|n| n == sheet) {
            return Err(EpError {
                file: self.name.clone(),
                sheet: None,
                row: None,
                column: None,
                kind: Box::new(EpErrorKind::NoSheet {
                    sheet: sheet.to_string(),
                    available: names,
                }),
            });
        }
        let range = self.book.worksheet_range(sheet).map_err(|e| EpError {
            file: self.name.clone(),
            sheet: Some(sheet.to_string()),
            row: None,
            column: None,
            kind: Box::new(EpErrorKind::Xlsx(e.to_string())),
        })?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, r)| {
                let cells = r
                    .iter()
                    .map(|d| match d {
                        Data::Empty => Cell::Empty,
                        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                            Cell::Text(s.clone())
                        }
                        Data::Float(x) => Cell::Number(*x),
                        Data::Int(x) => Cell::Number(*x as f64),
                        Data::Bool(b) => Cell::Text(b.to_string()),
                        Data::DateTime(d) => Cell::Number(d.as_f64()),
                        Data::Error(e) => Cell::Text(format!("#{e:?}")),
                    })
                    .collect();
                (u64::from(r0) + i as u64 + 1, cells)
            })
            .collect();
        Ok((rows, c0 as usize))
    }

    /// Reads Table 1.2 (or a sheet of the same layout).
    pub fn projections(&mut self, sheet: &str) -> Result<EpTable<EpOccupation>, EpError> {
        let (rows, c0) = self.sheet(sheet)?;
        let src = Source {
            file: &self.name,
            sheet: Some(sheet),
            letters: true,
        };
        read_table(&src, rows.into_iter(), c0, t12_columns, t12_row)
    }

    /// Reads Table 1.10 (or a sheet of the same layout).
    pub fn separations(&mut self, sheet: &str) -> Result<EpTable<EpSeparations>, EpError> {
        let (rows, c0) = self.sheet(sheet)?;
        let src = Source {
            file: &self.name,
            sheet: Some(sheet),
            letters: true,
        };
        read_table(&src, rows.into_iter(), c0, t110_columns, t110_row)
    }
}

/// Reads Tables 1.2 and 1.10 of `occupation.xlsx`.
pub fn read_workbook(path: &Path) -> Result<EpWorkbook, EpError> {
    read_workbook_from(EpXlsx::open(path)?)
}

/// Like [`read_workbook`] over any seekable byte source (bytes held in memory:
/// `io::Cursor`); `name` is used in errors.
pub fn read_workbook_reader<R: Read + Seek>(name: &str, reader: R) -> Result<EpWorkbook, EpError> {
    read_workbook_from(EpXlsx::new(name, reader)?)
}

fn read_workbook_from<R: Read + Seek>(mut book: EpXlsx<R>) -> Result<EpWorkbook, EpError> {
    Ok(EpWorkbook {
        sheets: book.sheet_names(),
        projections: book.projections(SHEET_PROJECTIONS)?,
        separations: book.separations(SHEET_SEPARATIONS)?,
    })
}

// ---------------------------------------------------------------------------------------------
// CSV

fn csv_rows<R: Read>(src: &Source, reader: R) -> Result<Vec<NumberedRow>, EpError> {
    let input = crate::newlines::Newlines::new(reader);
    let lines = input.index();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e
                .position()
                .map(|p| lines.line_of(p.byte()))
                .unwrap_or(i as u64 + 1);
            let kind = match e.kind() {
                csv::ErrorKind::Io(_) => EpErrorKind::Io(io::Error::other(e.to_string())),
                _ => EpErrorKind::Csv(e.to_string()),
            };
            src.err(Some(line), None, kind)
        })?;
        let line = rec
            .position()
            .map(|p| lines.line_of(p.byte()))
            .unwrap_or(i as u64 + 1);
        let cells = rec
            .iter()
            .map(|f| {
                if f.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f.to_string())
                }
            })
            .collect();
        out.push((line, cells));
    }
    Ok(out)
}

/// Reads a CSV extraction of Table 1.2 (header row found by name; titles/footnotes tolerated).
pub fn read_projections_csv<R: Read>(
    name: &str,
    reader: R,
) -> Result<EpTable<EpOccupation>, EpError> {
    let src = Source {
        file: name,
        sheet: None,
        letters: false,
    };
    let rows = csv_rows(&src, reader)?;
    read_table(&src, rows.into_iter(), 0, t12_columns, t12_row)
}

/// Reads a CSV extraction of Table 1.10.
pub fn read_separations_csv<R: Read>(
    name: &str,
    reader: R,
) -> Result<EpTable<EpSeparations>, EpError> {
    let src = Source {
        file: name,
        sheet: None,
        letters: false,
    };
    let rows = csv_rows(&src, reader)?;
    read_table(&src, rows.into_iter(), 0, t110_columns, t110_row)
}

/// Opens a file for [`read_projections_csv`] / [`read_separations_csv`].
pub fn open_csv(path: &Path) -> Result<BufReader<File>, EpError> {
    File::open(path).map(BufReader::new).map_err(|e| EpError {
        file: path.display().to_string(),
        sheet: None,
        row: None,
        column: None,
        kind: Box::new(EpErrorKind::Io(e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn wages_and_numbers() {
        let t = |s: &str| Cell::Text(s.into());
        assert_eq!(
            parse_wage(&t(">=$239,200")).unwrap(),
            EpWage::AtLeast(239_200.0)
        );
        assert_eq!(parse_wage(&t("\u{2014}")).unwrap(), EpWage::NotAvailable);
        assert_eq!(parse_wage(&t("49500")).unwrap(), EpWage::Annual(49_500.0));
        assert_eq!(parse_wage(&Cell::Number(1.0)).unwrap(), EpWage::Annual(1.0));
        assert!(parse_wage(&t("about 5")).is_err());
        assert_eq!(parse_number(&t("\u{2014}")).unwrap(), None);
        assert_eq!(parse_number(&t("1,234.5")).unwrap(), Some(1234.5));
        assert_eq!(parse_number(&t("-0.9")).unwrap(), Some(-0.9));
        assert!(matches!(
            parse_number(&t("12a")),
            Err(EpErrorKind::NotANumber(_))
        ));
        assert!(valid_code("00-0000"));
        assert!(!valid_code("11-1011.00"));
        assert!(!valid_code("111011"));
    }
}
