//! The LODES reader's error type. Every error names the file, and the 1-based physical line and
//! the column when they are known, e.g.
//! `ma_od_main_JT00_2019.csv.gz: line 2, field w_geocode: block 440010301001008 is in state 44
//! (RI), but the file is declared as state 25 (MA)`.
//!
//! Only error plumbing lives here: no reading, no recovery.

use std::fmt;
use std::io;

/// What went wrong (the location is in [`LodesError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LodesErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// The (compressed) data stops before its end.
    #[error("the data ends early: the file is truncated or was not fully downloaded ({0})")]
    Truncated(#[source] io::Error),
    /// The compressed data does not decompress.
    #[error("the compressed data is corrupt ({0})")]
    Corrupt(#[source] io::Error),
    /// Zero bytes, or no header row.
    #[error("the file is empty: no header row")]
    Empty,
    /// A header and no data rows.
    #[error("the file has a header but no data rows")]
    NoDataRows,
    /// The header lacks required columns.
    #[error("not a LODES {what} file: the header lacks {}", missing.join(", "))]
    MissingColumns {
        /// `OD` or `crosswalk`.
        what: &'static str,
        /// The missing columns.
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
    /// Malformed CSV.
    #[error("malformed CSV: {0}")]
    Csv(String),
    /// A count that is not a non-negative whole number.
    #[error("{0:?} is not a job count (a non-negative whole number)")]
    NotANumber(String),
    /// A block code that is not 15 digits.
    #[error(
        "{0:?} is not a 15-digit census block code (read geocodes as text: a leading zero may have been lost)"
    )]
    BadGeocode(String),
    /// A block outside the state the file is declared for.
    #[error(
        "block {block} is in state {found}, but the file is declared as state {declared} \
         ({what}); a file whose rows do not match its state is refused"
    )]
    WrongState {
        /// The block code.
        block: String,
        /// The block's state (`44 (RI)`).
        found: String,
        /// The declared state (`25 (MA)`).
        declared: String,
        /// Which rule: `workplace state` or `main files hold residents of the state only`.
        what: &'static str,
    },
    /// A residence in the file's own state in an `aux` file (those rows belong in `main`).
    #[error(
        "block {block} is in the file's own state {state}, but an aux file holds residents of \
         other states only"
    )]
    ResidenceInAux {
        /// The block code.
        block: String,
        /// The state (`44 (RI)`).
        state: String,
    },
    /// The segments of a group do not add up to `S000`.
    #[error("{group} add up to {sum}, but S000 is {s000}")]
    SegmentSum {
        /// `SA01+SA02+SA03`.
        group: &'static str,
        /// Their sum.
        sum: u64,
        /// The row's S000.
        s000: u64,
    },
    /// What the file is cannot be told from its name or the arguments.
    #[error(
        "cannot tell the {what} of the file: name it as LODES does \
         ({{st}}_od_{{main|aux}}_{{JT}}_{{year}}.csv.gz) or declare it"
    )]
    Undeclared {
        /// `state`, `part`, `job type` or `year`.
        what: &'static str,
    },
    /// The file name and the declared value disagree.
    #[error("the file name says {in_name}, but {declared} was declared; refusing the file")]
    Mismatch {
        /// The value in the file name.
        in_name: String,
        /// The declared value.
        declared: String,
    },
    /// A declared value that is not valid.
    #[error("{0}")]
    BadDeclaration(String),
}

/// An error while reading a LODES file, with its location. (Boxed inside: a `Result` carrying it
/// stays one pointer wide.)
#[derive(Debug)]
pub struct LodesError(Box<Located>);

#[derive(Debug)]
struct Located {
    file: String,
    line: Option<u64>,
    field: Option<String>,
    kind: LodesErrorKind,
}

impl LodesError {
    pub(crate) fn new(file: &str, kind: LodesErrorKind) -> LodesError {
        LodesError(Box::new(Located {
            file: file.to_string(),
            line: None,
            field: None,
            kind,
        }))
    }

    pub(crate) fn at_line(mut self, line: u64) -> LodesError {
        self.0.line = Some(line);
        self
    }

    pub(crate) fn in_field(mut self, field: &str) -> LodesError {
        self.0.field = Some(field.to_string());
        self
    }

    /// The file name (without directories).
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// The 1-based physical line of the record (the header is line 1).
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The column (or, for declarations, `state` / `part` / `job type` / `year`).
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &LodesErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for LodesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        f.write_str(&e.file)?;
        if let Some(l) = e.line {
            write!(f, ": line {l}")?;
        }
        if let Some(c) = &e.field {
            if e.line.is_some() {
                write!(f, ", field {c}")?;
            } else {
                write!(f, ": field {c}")?;
            }
        }
        write!(f, ": {}", e.kind)
    }
}

impl std::error::Error for LodesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

/// Sorts an I/O error from the byte stream into truncated / corrupt / other.
pub(crate) fn classify_io(e: io::Error) -> LodesErrorKind {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => LodesErrorKind::Truncated(e),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => LodesErrorKind::Corrupt(e),
        _ => LodesErrorKind::Io(e),
    }
}

/// A CSV error as a located reader error (`line` = the last line read before it).
pub(crate) fn from_csv(file: &str, e: csv::Error, last_line: u64) -> LodesError {
    let line = e.position().map(|p| p.line()).unwrap_or(last_line + 1);
    let kind = match e.into_kind() {
        csv::ErrorKind::Io(io) => classify_io(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => LodesErrorKind::FieldCount {
            expected: expected_len as usize,
            found: len as usize,
        },
        other => LodesErrorKind::Csv(format!("{other:?}")),
    };
    LodesError::new(file, kind).at_line(line)
}
