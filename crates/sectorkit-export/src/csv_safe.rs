//! CSV that is safe to open in a spreadsheet: every CSV sectorkit writes (web downloads and CLI
//! output) goes through [`SafeCsv`], which neutralises text cells a spreadsheet would run as a
//! formula (OWASP "CSV injection"): a cell beginning with `=`, `+`, `-`, `@`, tab or carriage
//! return gets a leading `'`. Numbers are never altered: `-3.2`, `+1`, `-1e5` are written as they
//! are (a spreadsheet reads them as numbers, not formulas). The xlsx side of the same rule is
//! [`crate::workbook::write_text`] (a quote-prefix format, the text itself unchanged).

use std::borrow::Cow;
use std::io::Write;

use crate::workbook::neutralise;

/// A cell as it is written to CSV: the text, or `'` + the text when a spreadsheet would read it
/// as a formula and it is not a plain number.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if neutralise(s) && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A decimal number as sectorkit writes them (sign, digits, one point, an exponent): no `inf`,
/// `nan` or other words that `f64::from_str` would also take.
fn is_plain_number(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.parse::<f64>().is_ok()
}

/// A `csv::Writer` whose records pass through [`csv_cell`].
pub struct SafeCsv<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> SafeCsv<W> {
    pub fn from_writer(w: W) -> Self {
        SafeCsv {
            inner: csv::Writer::from_writer(w),
        }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(
            record
                .into_iter()
                .map(|c| csv_cell(c.as_ref()).into_owned()),
        )
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// The underlying writer, after a final flush (a flush failure is its IO error).
    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// A whole CSV file in memory: the header, then the records, through [`SafeCsv`].
pub fn csv_bytes<H, HT, R, I, T>(header: H, records: R) -> csv::Result<Vec<u8>>
where
    H: IntoIterator<Item = HT>,
    HT: AsRef<str>,
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let mut w = SafeCsv::from_writer(Vec::new());
    w.write_record(header)?;
    for r in records {
        w.write_record(r)?;
    }
    w.flush()?;
    Ok(w.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        for (s, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-3.2", "-3.2"),
            ("+1", "+1"),
            ("-1e5", "-1e5"),
            ("31-33", "31-33"),
            ("Manufacturing", "Manufacturing"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(s), want, "{s:?}");
        }
    }

    #[test]
    fn writer_neutralises_every_field() {
        let mut w = SafeCsv::from_writer(Vec::new());
        w.write_record(["=1+1 County", "-0.25", "Columbus"])
            .unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(out, "'=1+1 County,-0.25,Columbus\n");
    }
}
