//! Verification against BLS's own numbers: recompute the location quotients, over-the-year
//! changes and average pay that BLS prints in its QCEW files and report how many cells agree.
//!
//! This is how sectorkit earns trust: the same formulas that build the target-industry table
//! (METHODS §1.10–§1.12) are run on the official files and compared cell by cell with the columns
//! BLS computed itself. Only disclosed cells are compared; a cell BLS published but that cannot
//! be recomputed (an input is suppressed or missing) is counted as `not_checkable`, never hidden.

use crate::codes::{AreaFips, AreaKind, Naics, Ownership, Period};
use crate::stats::{location_quotient, over_the_year, round_to};
use std::collections::HashMap;

/// One published QCEW cell with the BLS-computed columns to check. Values are `Some` only when
/// disclosed.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedCell {
    pub area: AreaFips,
    pub ownership: Ownership,
    pub industry: Naics,
    pub period: Period,
    /// Annual average, or the month used for the LQ (month 3) of a quarter.
    pub employment: Option<f64>,
    /// Employment that BLS divides wages by for pay: the annual average, or the mean of the
    /// three months of a quarter.
    pub pay_employment: Option<f64>,
    pub total_wages: Option<f64>,
    pub establishments: Option<f64>,
    /// BLS's `avg_annual_pay` (annual) or `avg_wkly_wage` (quarterly).
    pub published_pay: Option<f64>,
    pub lq_employment: Option<f64>,
    pub lq_total_wages: Option<f64>,
    pub lq_establishments: Option<f64>,
    pub oty_employment_chg: Option<f64>,
    pub oty_employment_pct_chg: Option<f64>,
    pub oty_total_wages_chg: Option<f64>,
    pub oty_total_wages_pct_chg: Option<f64>,
}

/// Which published column a check compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    LqEmployment,
    LqTotalWages,
    LqEstablishments,
    OtyEmploymentChange,
    OtyEmploymentPctChange,
    OtyWagesChange,
    OtyWagesPctChange,
    AveragePay,
}

impl Check {
    pub const ALL: [Check; 8] = [
        Check::LqEmployment,
        Check::LqTotalWages,
        Check::LqEstablishments,
        Check::OtyEmploymentChange,
        Check::OtyEmploymentPctChange,
        Check::OtyWagesChange,
        Check::OtyWagesPctChange,
        Check::AveragePay,
    ];

    /// The BLS column name (annual spelling).
    pub fn column(self) -> &'static str {
        match self {
            Check::LqEmployment => "lq_annual_avg_emplvl",
            Check::LqTotalWages => "lq_total_annual_wages",
            Check::LqEstablishments => "lq_annual_avg_estabs",
            Check::OtyEmploymentChange => "oty_annual_avg_emplvl_chg",
            Check::OtyEmploymentPctChange => "oty_annual_avg_emplvl_pct_chg",
            Check::OtyWagesChange => "oty_total_annual_wages_chg",
            Check::OtyWagesPctChange => "oty_total_annual_wages_pct_chg",
            Check::AveragePay => "avg_annual_pay / avg_wkly_wage",
        }
    }

    /// Largest difference that still counts as agreement. LQs are published to hundredths
    /// (METHODS §1.11: conformance within 0.01), percent changes to tenths, pay in whole dollars
    /// (rounding rule unverified: ±1), level changes exactly (±0.5 for float noise).
    pub fn tolerance(self) -> f64 {
        match self {
            Check::LqEmployment | Check::LqTotalWages | Check::LqEstablishments => 0.01 + 1e-9,
            Check::OtyEmploymentPctChange | Check::OtyWagesPctChange => 0.05 + 1e-9,
            Check::OtyEmploymentChange | Check::OtyWagesChange => 0.5,
            Check::AveragePay => 1.0 + 1e-9,
        }
    }

    /// Whether `published` agrees with `computed`. Average pay is `W / E` with `E` the
    /// *unrounded* average employment, while files publish `E` rounded to a whole number: the
    /// true pay lies in `[W / (E + 0.5), W / (E − 0.5)]`, and BLS rounds it to the dollar.
    fn agrees(self, computed: f64, published: f64, employment: Option<f64>) -> bool {
        match (self, employment) {
            (Check::AveragePay, Some(e)) if e > 0.0 => {
                let lower = computed * e / (e + 0.5);
                let upper = if e > 0.5 {
                    computed * e / (e - 0.5)
                } else {
                    f64::INFINITY
                };
                published >= lower - self.tolerance() && published <= upper + self.tolerance()
            }
            _ => (computed - published).abs() <= self.tolerance(),
        }
    }
}

/// A cell whose recomputed value differs from the published one.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub area: AreaFips,
    pub ownership: Ownership,
    pub industry: Naics,
    pub period: Period,
    pub computed: f64,
    pub published: f64,
}

impl Disagreement {
    pub fn diff(&self) -> f64 {
        (self.computed - self.published).abs()
    }
}

/// The result of one kind of check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub check: Check,
    /// Cells compared.
    pub checked: u64,
    /// Cells within the tolerance.
    pub agreeing: u64,
    /// Cells BLS published a value for that could not be recomputed (an input is suppressed or
    /// absent from the files given).
    pub not_checkable: u64,
    /// The largest disagreements, worst first (at most [`WORST_KEPT`]).
    pub worst: Vec<Disagreement>,
}

impl CheckResult {
    pub fn agreement_share(&self) -> Option<f64> {
        (self.checked > 0).then(|| self.agreeing as f64 / self.checked as f64)
    }
}

/// How many disagreements each check keeps for the report.
pub const WORST_KEPT: usize = 10;

/// The whole verification.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyReport {
    pub results: Vec<CheckResult>,
    /// Periods with area cells but no US000 cells (LQ not checkable there).
    pub periods_without_nation: Vec<Period>,
    /// Periods whose prior-year data is absent (OTY not checkable there).
    pub periods_without_prior_year: Vec<Period>,
    /// True when LQs disagree slightly on part of the cells: the signature of area and national
    /// files downloaded at different times (BLS revised the data in between).
    pub looks_like_mixed_vintages: bool,
}

type Key = (Ownership, Naics, Period);

fn total_key(period: Period) -> Key {
    (Ownership::TotalCovered, Naics::total(), period)
}

struct Acc {
    result: CheckResult,
}

impl Acc {
    fn new(check: Check) -> Acc {
        Acc {
            result: CheckResult {
                check,
                checked: 0,
                agreeing: 0,
                not_checkable: 0,
                worst: Vec::new(),
            },
        }
    }

    fn compare(&mut self, cell: &PublishedCell, computed: Option<f64>, published: f64) {
        let Some(computed) = computed else {
            self.result.not_checkable += 1;
            return;
        };
        self.result.checked += 1;
        if self
            .result
            .check
            .agrees(computed, published, cell.pay_employment)
        {
            self.result.agreeing += 1;
        } else {
            self.result.worst.push(Disagreement {
                area: cell.area.clone(),
                ownership: cell.ownership,
                industry: cell.industry.clone(),
                period: cell.period,
                computed,
                published,
            });
            // Keep the list short: sort and truncate now and then.
            if self.result.worst.len() > 4 * WORST_KEPT {
                self.trim();
            }
        }
    }

    fn trim(&mut self) {
        self.result.worst.sort_by(|a, b| {
            b.diff()
                .partial_cmp(&a.diff())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.area.as_str().cmp(b.area.as_str()))
        });
        self.result.worst.truncate(WORST_KEPT);
    }
}

/// Recomputes, for every non-national cell, the BLS location quotients (against `US000` of the
/// same period, METHODS §1.11), the over-the-year changes (against the same cell a year earlier,
/// when given, §1.12) and the average pay (§1.10), and compares them with the published columns.
pub fn verify(cells: &[PublishedCell]) -> VerifyReport {
    // Index: (area, own, industry, period) -> cell.
    let mut by_area: HashMap<&str, HashMap<Key, &PublishedCell>> = HashMap::new();
    for c in cells {
        by_area
            .entry(c.area.as_str())
            .or_default()
            .insert((c.ownership, c.industry.clone(), c.period), c);
    }
    let empty = HashMap::new();
    let nation = by_area.get("US000").unwrap_or(&empty);
    let mut accs: Vec<Acc> = Check::ALL.iter().map(|c| Acc::new(*c)).collect();
    let mut no_nation = Vec::new();
    let mut no_prior = Vec::new();
    for c in cells {
        // The nation is the reference; the U.S. aggregates USMSA/USNMS/USCMS have LQs on another
        // basis (shares of the nation) and are not areas a region is built from.
        if c.area.kind() == AreaKind::Nation || c.area.as_str().starts_with("US") {
            continue;
        }
        let area = &by_area[c.area.as_str()];
        let nat_base = nation.get(&total_key(c.period));
        let nat = nation.get(&(c.ownership, c.industry.clone(), c.period));
        let area_base = area.get(&total_key(c.period));
        if nat_base.is_none() && !no_nation.contains(&c.period) {
            no_nation.push(c.period);
        }
        // Location quotients.
        let lq = |f: fn(&PublishedCell) -> Option<f64>| -> Option<f64> {
            let lq = location_quotient(f(c)?, f(area_base?)?, f(nat?)?, f(nat_base?)?)?;
            Some(round_to(lq, 2))
        };
        if let Some(p) = c.lq_employment {
            accs[0].compare(c, lq(|x| x.employment), p);
        }
        if let Some(p) = c.lq_total_wages {
            accs[1].compare(c, lq(|x| x.total_wages), p);
        }
        if let Some(p) = c.lq_establishments {
            accs[2].compare(c, lq(|x| x.establishments), p);
        }
        // Over-the-year changes, from the published values of both years.
        let has_oty = c.oty_employment_chg.is_some()
            || c.oty_employment_pct_chg.is_some()
            || c.oty_total_wages_chg.is_some()
            || c.oty_total_wages_pct_chg.is_some();
        if has_oty {
            let prior_period = c.period.previous_year();
            let prior = area.get(&(c.ownership, c.industry.clone(), prior_period));
            let any_prior_period = area.keys().any(|k| k.2 == prior_period);
            if !any_prior_period {
                if !no_prior.contains(&c.period) {
                    no_prior.push(c.period);
                }
                continue_pay(&mut accs[7], c);
                continue;
            }
            let oty = |f: fn(&PublishedCell) -> Option<f64>| Some(over_the_year(f(c)?, f(prior?)?));
            if let Some(p) = c.oty_employment_chg {
                accs[3].compare(c, oty(|x| x.employment).map(|o| o.change), p);
            }
            if let Some(p) = c.oty_employment_pct_chg {
                accs[4].compare(c, oty(|x| x.employment).and_then(|o| o.pct_change), p);
            }
            if let Some(p) = c.oty_total_wages_chg {
                accs[5].compare(c, oty(|x| x.total_wages).map(|o| o.change), p);
            }
            if let Some(p) = c.oty_total_wages_pct_chg {
                accs[6].compare(c, oty(|x| x.total_wages).and_then(|o| o.pct_change), p);
            }
        }
        continue_pay(&mut accs[7], c);
    }
    for a in &mut accs {
        a.trim();
    }
    let results: Vec<CheckResult> = accs.into_iter().map(|a| a.result).collect();
    let lq = &results[0];
    let looks_like_mixed_vintages = lq.checked > 0
        && lq.agreeing < lq.checked
        && lq.agreeing as f64 / lq.checked as f64 >= 0.5
        && lq.worst.first().is_some_and(|d| d.diff() <= 0.5);
    no_nation.sort_by_key(period_key);
    no_prior.sort_by_key(period_key);
    VerifyReport {
        results,
        periods_without_nation: no_nation,
        periods_without_prior_year: no_prior,
        looks_like_mixed_vintages,
    }
}

fn period_key(p: &Period) -> (i32, u8) {
    (p.year(), p.quarter().map(|q| q.number()).unwrap_or(0))
}

fn continue_pay(acc: &mut Acc, c: &PublishedCell) {
    if let Some(p) = c.published_pay {
        let computed = match (c.total_wages, c.pay_employment) {
            (Some(w), Some(e)) if e > 0.0 => Some(if c.period.is_annual() {
                w / e
            } else {
                w / e / 13.0
            }),
            _ => None,
        };
        acc.compare(c, computed, p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(area: &str, own: u8, ind: &str, emp: f64, wages: f64) -> PublishedCell {
        PublishedCell {
            area: area.parse().unwrap(),
            ownership: Ownership::from_code(own).unwrap(),
            industry: ind.parse().unwrap(),
            period: Period::Year(2020),
            employment: Some(emp),
            pay_employment: Some(emp),
            total_wages: Some(wages),
            establishments: Some(10.0),
            published_pay: None,
            lq_employment: None,
            lq_total_wages: None,
            lq_establishments: None,
            oty_employment_chg: None,
            oty_employment_pct_chg: None,
            oty_total_wages_chg: None,
            oty_total_wages_pct_chg: None,
        }
    }

    /// LQ-BLS-1 as a verification: 500/10,000 vs 2e6/150e6 = 3.75.
    #[test]
    fn lq_agreement_and_disagreement() {
        let mut county = cell("39049", 5, "5411", 500.0, 1.0);
        county.lq_employment = Some(3.75);
        let mut wrong = cell("39041", 5, "5411", 500.0, 1.0);
        wrong.lq_employment = Some(3.70);
        let cells = vec![
            county,
            cell("39049", 0, "10", 10_000.0, 1.0),
            wrong,
            cell("39041", 0, "10", 10_000.0, 1.0),
            cell("US000", 5, "5411", 2_000_000.0, 1.0),
            cell("US000", 0, "10", 150_000_000.0, 1.0),
        ];
        let r = verify(&cells);
        let lq = &r.results[0];
        assert_eq!((lq.checked, lq.agreeing, lq.not_checkable), (2, 1, 0));
        assert_eq!(lq.worst[0].area.as_str(), "39041");
        assert!((lq.worst[0].computed - 3.75).abs() < 1e-9);
        assert!(r.looks_like_mixed_vintages);
    }

    #[test]
    fn suppressed_inputs_are_not_checkable_not_hidden() {
        let mut county = cell("39049", 5, "5411", 500.0, 1.0);
        county.lq_employment = Some(3.75);
        let mut base = cell("39049", 0, "10", 10_000.0, 1.0);
        base.employment = None;
        let cells = vec![
            county,
            base,
            cell("US000", 5, "5411", 2_000_000.0, 1.0),
            cell("US000", 0, "10", 150_000_000.0, 1.0),
        ];
        let lq = &verify(&cells).results[0];
        assert_eq!((lq.checked, lq.not_checkable), (0, 1));
    }

    /// OTY-1: 1,050 vs 1,000 → 50 and 5.0.
    #[test]
    fn oty_against_prior_year() {
        let mut now = cell("39049", 5, "5411", 1_050.0, 1.0);
        now.oty_employment_chg = Some(50.0);
        now.oty_employment_pct_chg = Some(5.0);
        let mut before = cell("39049", 5, "5411", 1_000.0, 1.0);
        before.period = Period::Year(2019);
        let r = verify(&[now.clone(), before]);
        assert_eq!(r.results[3].agreeing, 1);
        assert_eq!(r.results[4].agreeing, 1);
        // Without the prior year, the period is reported, not silently passed.
        let r = verify(&[now]);
        assert_eq!(r.results[3].checked, 0);
        assert_eq!(r.periods_without_prior_year, vec![Period::Year(2020)]);
    }

    /// QCEW-PAY-1 style: pay = W / E, within a dollar.
    #[test]
    fn average_pay() {
        let mut c = cell("39049", 5, "5411", 1_500.0, 80_000_000.0);
        c.published_pay = Some(53_333.0);
        let r = verify(&[c]);
        assert_eq!(r.results[7].agreeing, 1);
    }
}
