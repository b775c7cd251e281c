//! Turns one raw CSV record into a [`QcewRow`], applying the disclosure rules.
//!
//! Only the fields the row needs are touched. Errors carry the column index and the raw value;
//! the reader adds file, entry and line. No IO and no statistics here.

use sectorkit_core::codes::{AreaFips, CodeError, Naics, Ownership, Period};

use super::Fields;
use super::error::QcewErrorKind;
use super::layout::{Columns, Layout};
use super::number::{parse_f64, parse_i64, parse_u64, trim};
use super::row::{Disclosure, LocationQuotients, OverTheYear, QcewRow};

/// A problem with one field.
pub(crate) struct FieldError {
    pub column: usize,
    pub kind: QcewErrorKind,
}

type R<T> = Result<T, FieldError>;

fn lossy(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

fn invalid(column: usize, raw: &[u8], expected: &'static str) -> FieldError {
    FieldError {
        column,
        kind: QcewErrorKind::InvalidValue {
            value: lossy(raw),
            expected,
        },
    }
}

fn code_err(column: usize, e: CodeError) -> FieldError {
    FieldError {
        column,
        kind: QcewErrorKind::InvalidCode(e),
    }
}

fn text<F: Fields + ?Sized>(rec: &F, column: usize) -> R<&str> {
    std::str::from_utf8(trim(&rec[column])).map_err(|_| invalid(column, &rec[column], "UTF-8 text"))
}

fn u64_at<F: Fields + ?Sized>(rec: &F, column: usize) -> R<Option<u64>> {
    parse_u64(&rec[column])
        .map_err(|()| invalid(column, &rec[column], "a whole non-negative number"))
}

fn i64_at<F: Fields + ?Sized>(rec: &F, column: usize) -> R<Option<i64>> {
    parse_i64(&rec[column]).map_err(|()| invalid(column, &rec[column], "a whole number"))
}

fn f64_at<F: Fields + ?Sized>(rec: &F, column: usize) -> R<Option<f64>> {
    parse_f64(&rec[column]).map_err(|()| invalid(column, &rec[column], "a number"))
}

fn disclosure_at<F: Fields + ?Sized>(rec: &F, column: usize) -> R<Disclosure> {
    match trim(&rec[column]) {
        b"" => Ok(Disclosure::Disclosed),
        b"N" => Ok(Disclosure::Suppressed),
        b"-" => Ok(Disclosure::NoEstablishments),
        _ => Err(invalid(
            column,
            &rec[column],
            "a disclosure code (blank, N or -)",
        )),
    }
}

/// `value` unless `hidden`: a withheld measure is `None`, never the 0 BLS writes.
#[inline]
fn unless<T>(hidden: bool, value: Option<T>) -> Option<T> {
    if hidden { None } else { value }
}

/// Per-file memo of the last area and period, which repeat on consecutive rows.
#[derive(Default)]
pub(crate) struct Memo {
    area: Option<(Vec<u8>, AreaFips)>,
    period: Option<(Vec<u8>, Vec<u8>, Period)>,
}

/// Parses a record that passed the filter.
pub(crate) fn parse_row<F: Fields + ?Sized>(
    rec: &F,
    cols: &Columns,
    layout: &Layout,
    memo: &mut Memo,
) -> R<QcewRow> {
    let raw_area = trim(&rec[cols.area]);
    let area = match &memo.area {
        Some((raw, a)) if raw.as_slice() == raw_area => a.clone(),
        _ => {
            let a: AreaFips = text(rec, cols.area)?
                .parse()
                .map_err(|e| code_err(cols.area, e))?;
            memo.area = Some((raw_area.to_vec(), a.clone()));
            a
        }
    };
    let ownership: Ownership = match trim(&rec[cols.own]) {
        [d] if d.is_ascii_digit() => {
            Ownership::from_code(d - b'0').map_err(|e| code_err(cols.own, e))?
        }
        _ => text(rec, cols.own)?
            .parse()
            .map_err(|e| code_err(cols.own, e))?,
    };
    let industry: Naics = text(rec, cols.industry)?
        .parse()
        .map_err(|e| code_err(cols.industry, e))?;
    let agglvl = match trim(&rec[cols.agglvl]) {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => (a - b'0') * 10 + (b - b'0'),
        _ => {
            return Err(invalid(
                cols.agglvl,
                &rec[cols.agglvl],
                "an aggregation level (two digits)",
            ));
        }
    };
    let size = match trim(&rec[cols.size]) {
        [d] if d.is_ascii_digit() => d - b'0',
        _ => {
            return Err(invalid(
                cols.size,
                &rec[cols.size],
                "a size code (one digit)",
            ));
        }
    };
    let (raw_y, raw_q) = (trim(&rec[cols.year]), trim(&rec[cols.qtr]));
    let period = match &memo.period {
        Some((y, q, p)) if y.as_slice() == raw_y && q.as_slice() == raw_q => *p,
        _ => {
            let y = text(rec, cols.year)?;
            let q = text(rec, cols.qtr)?;
            let p = Period::from_qcew(y, q).map_err(|e| {
                let bad_year = !(y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()));
                code_err(if bad_year { cols.year } else { cols.qtr }, e)
            })?;
            if p.is_annual() != layout.kind.is_annual() {
                return Err(invalid(
                    cols.qtr,
                    &rec[cols.qtr],
                    if layout.kind.is_annual() {
                        "A, the only quarter code of an annual-layout file"
                    } else {
                        "a quarter 1-4, as a quarterly-layout file needs"
                    },
                ));
            }
            memo.period = Some((raw_y.to_vec(), raw_q.to_vec(), p));
            p
        }
    };
    let disclosure = disclosure_at(rec, cols.disclosure)?;
    let lq_disclosure = disclosure_at(rec, cols.lq_disclosure)?;
    let oty_disclosure = disclosure_at(rec, cols.oty_disclosure)?;
    let hide = disclosure == Disclosure::Suppressed;
    let hide_lq = hide || lq_disclosure == Disclosure::Suppressed;
    let hide_oty = hide || oty_disclosure == Disclosure::Suppressed;

    let title = |c: Option<usize>| -> R<Option<String>> {
        match c {
            Some(c) => Ok(Some(text(rec, c)?.to_string())),
            None => Ok(None),
        }
    };

    let mut month_employment = [None; 3];
    let mut lq_months = [None; 3];
    let mut oty_months_chg = [None; 3];
    let mut oty_months_pct = [None; 3];
    if let (Some(m), Some(lm), Some(oc), Some(op)) = (
        cols.months,
        cols.lq_months,
        cols.oty_months_chg,
        cols.oty_months_pct,
    ) {
        for k in 0..3 {
            month_employment[k] = unless(hide, u64_at(rec, m[k])?);
            lq_months[k] = unless(hide_lq, f64_at(rec, lm[k])?);
            oty_months_chg[k] = unless(hide_oty, i64_at(rec, oc[k])?);
            oty_months_pct[k] = unless(hide_oty, f64_at(rec, op[k])?);
        }
    }

    Ok(QcewRow {
        area,
        ownership,
        industry,
        agglvl,
        size,
        period,
        disclosure,
        area_title: title(cols.area_title)?,
        industry_title: title(cols.industry_title)?,
        estabs: u64_at(rec, cols.estabs)?,
        employment: unless(hide, u64_at(rec, cols.employment)?),
        month_employment,
        total_wages: unless(hide, u64_at(rec, cols.wages)?),
        taxable_wages: unless(hide, u64_at(rec, cols.taxable)?),
        contributions: unless(hide, u64_at(rec, cols.contributions)?),
        avg_weekly_wage: unless(hide, u64_at(rec, cols.weekly_wage)?),
        avg_annual_pay: match cols.annual_pay {
            Some(c) => unless(hide, u64_at(rec, c)?),
            None => None,
        },
        lq: LocationQuotients {
            disclosure: lq_disclosure,
            estabs: f64_at(rec, cols.lq_estabs)?,
            employment: unless(hide_lq, f64_at(rec, cols.lq_employment)?),
            month_employment: lq_months,
            total_wages: unless(hide_lq, f64_at(rec, cols.lq_wages)?),
        },
        oty: OverTheYear {
            disclosure: oty_disclosure,
            estabs_chg: i64_at(rec, cols.oty_estabs_chg)?,
            estabs_pct_chg: f64_at(rec, cols.oty_estabs_pct)?,
            employment_chg: unless(hide_oty, i64_at(rec, cols.oty_employment_chg)?),
            employment_pct_chg: unless(hide_oty, f64_at(rec, cols.oty_employment_pct)?),
            month_employment_chg: oty_months_chg,
            month_employment_pct_chg: oty_months_pct,
            total_wages_chg: unless(hide_oty, i64_at(rec, cols.oty_wages_chg)?),
            total_wages_pct_chg: unless(hide_oty, f64_at(rec, cols.oty_wages_pct)?),
        },
    })
}
