//! Verification of official files against BLS's own published columns.

use crate::{Result, bail};
use sectorkit_core::codes::AreaKind;
use sectorkit_core::verify::{VerifyReport, verify};
use sectorkit_data::qcew::{ReadOptions, read_path};
use std::path::PathBuf;

/// Reads the files and verifies every by-area cell whose national cells are present.
pub fn verify_files(files: &[PathBuf]) -> Result<VerifyReport> {
    let mut cells = Vec::new();
    for f in files {
        read_path(f, ReadOptions::new(), |row| {
            if row.size == 0 {
                cells.extend(crate::convert::published_cell(&row));
            }
            Ok::<(), std::convert::Infallible>(())
        })?;
    }
    if !cells.iter().any(|c| c.area.kind() == AreaKind::Nation) {
        bail!(
            "none of the files has U.S. (US000) rows: add the national file of the same period to verify location quotients"
        );
    }
    Ok(verify(&cells))
}

/// A stored row as the verifier sees it. Quarterly pay uses the mean of the three months.
pub(crate) fn published_from_db(
    r: &sectorkit_store::QcewDbRow,
) -> Option<sectorkit_core::verify::PublishedCell> {
    let rec = crate::convert::record_from_db(r)?;
    let f = |v: Option<i64>| {
        if r.disclosed {
            v.map(|x| x as f64)
        } else {
            None
        }
    };
    let pay_employment = if r.qtr == 0 {
        f(r.employment)
    } else {
        match (r.month1_emp, r.month2_emp, r.employment) {
            (Some(a), Some(b), Some(c)) if r.disclosed => Some((a + b + c) as f64 / 3.0),
            _ => None,
        }
    };
    let lq = |v: Option<f64>| {
        if r.lq_disclosed && r.disclosed {
            v
        } else {
            None
        }
    };
    let oty = |v: Option<f64>| if r.oty_disclosed { v } else { None };
    Some(sectorkit_core::verify::PublishedCell {
        area: rec.area,
        ownership: rec.ownership,
        industry: rec.industry,
        period: rec.period,
        employment: f(r.employment),
        pay_employment,
        total_wages: f(r.total_wages),
        establishments: r.estabs.map(|x| x as f64),
        published_pay: if !r.disclosed {
            None
        } else if r.qtr == 0 {
            r.avg_annual_pay.map(|x| x as f64)
        } else {
            r.avg_weekly_wage.map(|x| x as f64)
        },
        lq_employment: lq(r.lq_employment),
        lq_total_wages: lq(r.lq_total_wages),
        lq_establishments: if r.lq_disclosed { r.lq_estabs } else { None },
        oty_employment_chg: oty(r.oty_employment_chg.map(|x| x as f64)),
        oty_employment_pct_chg: oty(r.oty_employment_pct_chg),
        oty_total_wages_chg: oty(r.oty_total_wages_chg.map(|x| x as f64)),
        oty_total_wages_pct_chg: oty(r.oty_total_wages_pct_chg),
    })
}

/// Verifies the stored data of some areas against the stored US000 rows of the same periods:
/// the data panel's "LQ agrees on N of M disclosed cells". Only periods with national data are
/// read; the areas' rows of every ownership and industry level are compared.
pub async fn verify_store(
    store: &sectorkit_store::Store,
    areas: &[String],
) -> Result<VerifyReport> {
    let national: Vec<(i64, i64)> = store
        .qcew_periods_for(&["US000".to_string()])
        .await?
        .into_iter()
        .map(|(y, q, _)| (y, q))
        .collect();
    let mut all_areas: Vec<String> = areas.to_vec();
    all_areas.push("US000".into());
    let mut agg = Vec::new();
    for base in [10, 70] {
        for d in 0..=8 {
            agg.push(base + d);
        }
    }
    let mut cells = Vec::new();
    for (year, qtr) in national {
        let rows = store
            .qcew_rows(&sectorkit_store::QcewQuery {
                year,
                qtr,
                areas: &all_areas,
                own_codes: &[0, 1, 2, 3, 5],
                agglvl_codes: &agg,
            })
            .await?;
        cells.extend(rows.iter().filter_map(published_from_db));
    }
    Ok(verify(&cells))
}
