//! The reader's error type. Every error names the file, the zip entry when there is one, the
//! 1-based physical line of the CSV record and the column when they are known, and the
//! offending value, e.g.
//! `2020.annual.singlefile.csv: line 1234, field annual_avg_emplvl: "12x" is not a number`.
//!
//! Only error plumbing lives here: no reading, no recovery.

use std::fmt;
use std::io;

use sectorkit_core::codes::CodeError;

/// What went wrong (the location is in [`QcewError`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QcewErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// The (compressed) data stops before its end.
    #[error("the data ends early: the file is truncated or was not fully downloaded ({0})")]
    Truncated(#[source] io::Error),
    /// The compressed data does not decompress.
    #[error("the compressed data is corrupt ({0})")]
    Corrupt(#[source] io::Error),
    /// The zip archive's directory cannot be read (a truncated zip ends up here).
    #[error("not a readable zip archive (truncated or corrupt?): {0}")]
    Zip(String),
    /// A zip archive without any `.csv` member.
    #[error("the zip archive holds no .csv file")]
    NoCsvInArchive,
    /// Zero bytes, or no header row.
    #[error("the file is empty: no header row")]
    Empty,
    /// A header and no data rows.
    #[error("the file has a header but no data rows")]
    NoDataRows,
    /// A header that is not a QCEW layout.
    #[error(
        "not a QCEW CSV: the header lacks required columns of the {closest} layout: {}",
        missing.join(", ")
    )]
    UnknownLayout {
        /// `annual` or `quarterly`: the layout the header came closest to.
        closest: &'static str,
        /// The missing column names (alternative spellings joined with ` or `).
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
    /// A value that is not what the column holds.
    #[error("{value:?} is not {expected}")]
    InvalidValue {
        /// The raw field text.
        value: String,
        /// What was expected, e.g. `a number`.
        expected: &'static str,
    },
    /// A code the domain types reject (area, industry, ownership, period).
    #[error("{0}")]
    InvalidCode(#[source] CodeError),
    /// The caller's visitor refused the row.
    #[error("the row was rejected by the caller: {0}")]
    Visitor(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// An error while reading a QCEW file, with its location. (Boxed inside: a `Result` carrying it
/// stays one pointer wide.)
#[derive(Debug)]
pub struct QcewError(Box<Located>);

#[derive(Debug)]
struct Located {
    file: String,
    entry: Option<String>,
    line: Option<u64>,
    field: Option<String>,
    kind: QcewErrorKind,
}

impl QcewError {
    pub(crate) fn new(file: &str, entry: Option<&str>, kind: QcewErrorKind) -> QcewError {
        QcewError(Box::new(Located {
            file: file.to_string(),
            entry: entry.map(str::to_string),
            line: None,
            field: None,
            kind,
        }))
    }

    pub(crate) fn at_line(mut self, line: u64) -> QcewError {
        self.0.line = Some(line);
        self
    }

    pub(crate) fn in_field(mut self, field: &str) -> QcewError {
        self.0.field = Some(field.to_string());
        self
    }

    /// The file name (without directories) as given to the reader.
    pub fn file(&self) -> &str {
        &self.0.file
    }

    /// The zip member, for archives.
    pub fn entry(&self) -> Option<&str> {
        self.0.entry.as_deref()
    }

    /// The 1-based physical line where the CSV record starts (the header is line 1).
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The column name as written in the header.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &QcewErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for QcewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        f.write_str(&e.file)?;
        if let Some(entry) = &e.entry {
            write!(f, ", entry {entry:?}")?;
        }
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

impl std::error::Error for QcewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0.kind)
    }
}

/// Sorts an I/O error from the byte stream into truncated / corrupt / other.
pub(crate) fn classify_io(e: io::Error) -> QcewErrorKind {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => QcewErrorKind::Truncated(e),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => QcewErrorKind::Corrupt(e),
        _ => QcewErrorKind::Io(e),
    }
}
