//! Conversions between the reader's rows, the store's rows and the core's records.

use sectorkit_core::codes::{Ownership, Period};
use sectorkit_core::targets::QcewRecord;
use sectorkit_core::value::Cell;
use sectorkit_core::verify::PublishedCell;
use sectorkit_data::qcew::QcewRow;
use sectorkit_store::QcewDbRow;

pub fn qtr_number(p: Period) -> i64 {
    p.quarter().map(|q| q.number() as i64).unwrap_or(0)
}

fn i(v: Option<u64>) -> Option<i64> {
    v.and_then(|x| i64::try_from(x).ok())
}

/// A parsed row as the store keeps it.
pub fn to_db_row(r: &QcewRow) -> QcewDbRow {
    db_row(
        r,
        r.area.as_str().to_string(),
        r.industry.as_str().to_string(),
    )
}

/// [`to_db_row`] for an owned row: its code strings move instead of being copied (the importer
/// converts millions of rows).
pub fn into_db_row(r: QcewRow) -> QcewDbRow {
    let mut db = db_row(&r, String::new(), String::new());
    db.area_fips = String::from(r.area);
    db.industry_code = String::from(r.industry);
    db
}

fn db_row(r: &QcewRow, area_fips: String, industry_code: String) -> QcewDbRow {
    let quarterly = !r.period.is_annual();
    QcewDbRow {
        year: r.period.year() as i64,
        qtr: qtr_number(r.period),
        area_fips,
        own_code: r.ownership.code() as i64,
        industry_code,
        agglvl_code: r.agglvl as i64,
        size_code: r.size as i64,
        disclosed: !r.is_suppressed(),
        estabs: i(r.estabs),
        employment: i(r.employment),
        month1_emp: if quarterly {
            i(r.month_employment[0])
        } else {
            None
        },
        month2_emp: if quarterly {
            i(r.month_employment[1])
        } else {
            None
        },
        total_wages: i(r.total_wages),
        avg_weekly_wage: i(r.avg_weekly_wage),
        avg_annual_pay: i(r.avg_annual_pay),
        lq_disclosed: !r.lq.disclosure.is_suppressed(),
        lq_employment: r.lq.employment,
        lq_total_wages: r.lq.total_wages,
        lq_estabs: r.lq.estabs,
        oty_disclosed: !r.oty.disclosure.is_suppressed(),
        oty_employment_chg: r.oty.employment_chg,
        oty_employment_pct_chg: r.oty.employment_pct_chg,
        oty_total_wages_chg: r.oty.total_wages_chg,
        oty_total_wages_pct_chg: r.oty.total_wages_pct_chg,
        oty_estabs_chg: r.oty.estabs_chg,
    }
}

fn cell(disclosed: bool, v: Option<i64>) -> Cell {
    match (disclosed, v) {
        (true, Some(x)) if x >= 0 => {
            Cell::disclosed(x as f64).unwrap_or_else(|_| Cell::suppressed())
        }
        _ => Cell::suppressed(),
    }
}

pub fn record_from_db(r: &QcewDbRow) -> Option<QcewRecord> {
    let period = if r.qtr == 0 {
        Period::Year(r.year as i32)
    } else {
        Period::from_qcew(&r.year.to_string(), &r.qtr.to_string()).ok()?
    };
    Some(QcewRecord {
        area: r.area_fips.parse().ok()?,
        industry: r.industry_code.parse().ok()?,
        ownership: Ownership::from_code(u8::try_from(r.own_code).ok()?).ok()?,
        period,
        employment: cell(r.disclosed, r.employment),
        // Establishment counts are published even on suppressed rows.
        establishments: match r.estabs {
            Some(x) if x >= 0 => Cell::disclosed(x as f64).unwrap_or_else(|_| Cell::suppressed()),
            _ => Cell::suppressed(),
        },
        total_wages: cell(r.disclosed, r.total_wages),
    })
}

pub fn record_from_row(r: &QcewRow) -> QcewRecord {
    let db = to_db_row(r);
    QcewRecord {
        area: r.area.clone(),
        industry: r.industry.clone(),
        ownership: r.ownership,
        period: r.period,
        employment: cell(db.disclosed, db.employment),
        establishments: match db.estabs {
            Some(x) => Cell::disclosed(x as f64).unwrap_or_else(|_| Cell::suppressed()),
            None => Cell::suppressed(),
        },
        total_wages: cell(db.disclosed, db.total_wages),
    }
}

/// A parsed row as the verifier sees it (the same reading as a stored row's).
pub fn published_cell(r: &QcewRow) -> Option<PublishedCell> {
    crate::verify::published_from_db(&to_db_row(r))
}

/// The same cell a year earlier, from the over-the-year change BLS published with it
/// (`prior = current − oty_chg`, exact for published whole numbers). Used when the prior year's
/// own file is not loaded. A value whose current figure or change is unpublished is suppressed.
pub fn prior_from_db(r: &QcewDbRow) -> Option<QcewRecord> {
    let rec = record_from_db(r)?;
    let prior = |cur: Option<i64>, chg: Option<i64>, ok: bool| -> Cell {
        match (cur, chg) {
            (Some(c), Some(d)) if ok && c - d >= 0 => {
                Cell::disclosed((c - d) as f64).unwrap_or_else(|_| Cell::suppressed())
            }
            _ => Cell::suppressed(),
        }
    };
    let published = r.disclosed && r.oty_disclosed;
    Some(QcewRecord {
        period: rec.period.previous_year(),
        employment: prior(r.employment, r.oty_employment_chg, published),
        establishments: prior(r.estabs, r.oty_estabs_chg, true),
        total_wages: prior(r.total_wages, r.oty_total_wages_chg, published),
        ..rec
    })
}

/// [`prior_from_db`] for a row read from a file.
pub fn prior_from_row(r: &QcewRow) -> Option<QcewRecord> {
    prior_from_db(&to_db_row(r))
}
