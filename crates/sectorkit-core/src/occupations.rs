//! Occupational location quotients from *published* OEWS figures.
//!
//! An area's location quotient for occupation `o` compares the occupation's share of the area's
//! employment with its share of the nation's:
//!
//! ```text
//! LQ[o, area] = (E[o, area] / E[00-0000, area]) / (E[o, nat] / E[00-0000, nat])
//! ```
//!
//! Two ways to get there from what BLS publishes:
//!
//! - [`lq_from_employment`]: from `TOT_EMP` of the occupation and of the `00-0000` total, in the
//!   area and in the nation;
//! - [`lq_from_jobs_per_1000`]: from the area's published `JOBS_1000` and the nation's
//!   employment per 1,000 jobs (national files leave `JOBS_1000` blank, so the nation's figure
//!   comes from [`jobs_per_1000`]).
//!
//! - [`lq_from_published`]: the method sectorkit uses. Every published input is a rounded
//!   number, so each one is an interval: `TOT_EMP` ±5 (rounded to 10), `JOBS_1000` ±0.0005
//!   (3 decimals). The area's share of employment is the **intersection** of the interval
//!   implied by `JOBS_1000` with the one implied by `TOT_EMP / TOT_EMP(00-0000)`, and the
//!   estimate is its midpoint divided by the nation's share; it is then rounded to 2 decimals,
//!   as BLS publishes it (a value on BLS's grid is within 0.01 of the published one over a
//!   wider range of true values than an off-grid value is). The result also carries the
//!   interval of LQs the published inputs allow, so callers can say when the inputs cannot
//!   determine an LQ to a given precision.
//!
//! Measured on every state and metro/nonmetro area of the May 2025 release
//! (`crates/sectorkit-data/tests/oews_lq.rs`): employment shares alone match 78.5% / 47.9% of
//! published LQs within 0.01, `JOBS_1000` 97.3% / 99.6%, the intersection rounded to 2
//! decimals 98.9% / 99.8%.

/// Why a location quotient cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LqError {
    /// An input is NaN or infinite.
    #[error("an input is not a finite number")]
    NotFinite,
    /// An input is negative.
    #[error("an input is negative")]
    Negative,
    /// A denominator (a total, or the nation's share) is zero.
    #[error("a denominator is zero")]
    ZeroDenominator,
    /// Neither the area's employment nor its jobs per 1,000 is published.
    #[error("neither TOT_EMP nor JOBS_1000 is published for the area")]
    NothingPublished,
}

fn check(xs: &[f64]) -> Result<(), LqError> {
    if xs.iter().any(|x| !x.is_finite()) {
        return Err(LqError::NotFinite);
    }
    if xs.iter().any(|&x| x < 0.0) {
        return Err(LqError::Negative);
    }
    Ok(())
}

/// Employment of an occupation per 1,000 jobs: `1000 × occ / total`.
pub fn jobs_per_1000(occ: f64, total: f64) -> Result<f64, LqError> {
    check(&[occ, total])?;
    if total == 0.0 {
        return Err(LqError::ZeroDenominator);
    }
    Ok(1000.0 * occ / total)
}

/// Method (a): `(area_occ / area_total) / (nat_occ / nat_total)`, employment from `TOT_EMP`.
pub fn lq_from_employment(
    area_occ: f64,
    area_total: f64,
    nat_occ: f64,
    nat_total: f64,
) -> Result<f64, LqError> {
    check(&[area_occ, area_total, nat_occ, nat_total])?;
    if area_total == 0.0 || nat_total == 0.0 || nat_occ == 0.0 {
        return Err(LqError::ZeroDenominator);
    }
    Ok((area_occ / area_total) / (nat_occ / nat_total))
}

/// Method (b): `jobs_1000_area / jobs_1000_nat`.
pub fn lq_from_jobs_per_1000(area_jobs_1000: f64, nat_jobs_1000: f64) -> Result<f64, LqError> {
    check(&[area_jobs_1000, nat_jobs_1000])?;
    if nat_jobs_1000 == 0.0 {
        return Err(LqError::ZeroDenominator);
    }
    Ok(area_jobs_1000 / nat_jobs_1000)
}

/// The published figures behind one occupational LQ of an OEWS area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedLqInputs {
    /// The occupation's `TOT_EMP` in the area (rounded to 10), if published.
    pub area_occ: Option<f64>,
    /// The area's `00-0000` `TOT_EMP`.
    pub area_total: f64,
    /// The area's `JOBS_1000` for the occupation (3 decimals), if published.
    pub area_jobs_1000: Option<f64>,
    /// The occupation's national cross-industry `TOT_EMP`.
    pub nat_occ: f64,
    /// The nation's `00-0000` `TOT_EMP`.
    pub nat_total: f64,
}

/// An occupational LQ recomputed from published figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedLq {
    /// The estimate rounded to 2 decimals, as BLS publishes LQs.
    pub value: f64,
    /// The unrounded estimate (midpoint of the area-share interval / national share).
    pub unrounded: f64,
    /// The smallest and largest LQ the rounded inputs allow (before the LQ's own rounding).
    pub feasible: (f64, f64),
    /// False when the `TOT_EMP` and `JOBS_1000` intervals did not overlap (the inputs disagree
    /// beyond their rounding); the `JOBS_1000` interval alone was then used.
    pub consistent: bool,
}

impl PublishedLq {
    /// True when the published inputs pin the LQ down to within `tol` either way (the feasible
    /// interval, widened by the 0.005 rounding of a published LQ, is at most `2 × tol` wide).
    pub fn determined_within(&self, tol: f64) -> bool {
        self.feasible.1 - self.feasible.0 + 0.01 <= 2.0 * tol
    }
}

/// Half the rounding unit of `TOT_EMP` (published to the nearest 10).
const EMP_HALF_UNIT: f64 = 5.0;
/// Half the rounding unit of `JOBS_1000` (3 decimals).
const JOBS_1000_HALF_UNIT: f64 = 0.0005;

/// Round half away from zero to 2 decimals.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The LQ from published figures by interval intersection (see the module docs).
pub fn lq_from_published(p: PublishedLqInputs) -> Result<PublishedLq, LqError> {
    let nums = [
        p.area_occ.unwrap_or(0.0),
        p.area_total,
        p.area_jobs_1000.unwrap_or(0.0),
        p.nat_occ,
        p.nat_total,
    ];
    check(&nums)?;
    if p.area_total == 0.0 || p.nat_total == 0.0 || p.nat_occ == 0.0 {
        return Err(LqError::ZeroDenominator);
    }
    let emp = p.area_occ.map(|e| {
        (
            (e - EMP_HALF_UNIT).max(0.0) / p.area_total,
            (e + EMP_HALF_UNIT) / p.area_total,
        )
    });
    let jobs = p.area_jobs_1000.map(|j| {
        (
            (j - JOBS_1000_HALF_UNIT).max(0.0) / 1000.0,
            (j + JOBS_1000_HALF_UNIT) / 1000.0,
        )
    });
    let (share, consistent) = match (emp, jobs) {
        (Some(a), Some(b)) => {
            let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
            if lo <= hi {
                ((lo, hi), true)
            } else {
                (b, false)
            }
        }
        (None, Some(b)) => (b, true),
        (Some(a), None) => (a, true),
        (None, None) => return Err(LqError::NothingPublished),
    };
    let nat_share = p.nat_occ / p.nat_total;
    let nat_lo = (p.nat_occ - EMP_HALF_UNIT).max(0.0) / (p.nat_total + EMP_HALF_UNIT);
    let nat_hi = (p.nat_occ + EMP_HALF_UNIT) / (p.nat_total - EMP_HALF_UNIT).max(1.0);
    let unrounded = (share.0 + share.1) / 2.0 / nat_share;
    let feasible_hi = if nat_lo > 0.0 {
        share.1 / nat_lo
    } else {
        f64::INFINITY
    };
    Ok(PublishedLq {
        value: round2(unrounded),
        unrounded,
        feasible: (share.0 / nat_hi, feasible_hi),
        consistent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn employment_method() {
        // Area: 400 of 10,000 (4%); nation: 2,000 of 100,000 (2%) → 2.0.
        assert!(close(
            lq_from_employment(400.0, 10_000.0, 2_000.0, 100_000.0).unwrap(),
            2.0
        ));
        // Absent occupation in the area: LQ 0, not an error.
        assert_eq!(
            lq_from_employment(0.0, 10_000.0, 2_000.0, 100_000.0),
            Ok(0.0)
        );
    }

    #[test]
    fn jobs_per_1000_method_agrees() {
        let area = jobs_per_1000(400.0, 10_000.0).unwrap();
        let nat = jobs_per_1000(2_000.0, 100_000.0).unwrap();
        assert!(close(area, 40.0));
        assert!(close(nat, 20.0));
        assert!(close(lq_from_jobs_per_1000(area, nat).unwrap(), 2.0));
        // Alabama, management (May 2025): published jobs_1000 53.443, LQ 0.75.
        let nat = jobs_per_1000(11_132_700.0, 155_495_730.0).unwrap();
        let lq = lq_from_jobs_per_1000(53.443, nat).unwrap();
        assert!((lq - 0.75).abs() < 0.005, "{lq}");
    }

    #[test]
    fn published_method_intersects_the_rounding_intervals() {
        // Alabama, 19-1099 (May 2025): TOT_EMP 50 of 2,113,660; JOBS_1000 0.025; national
        // 19-1099 employment chosen so the national share is 0.0049 per cent.
        let nat_total = 155_495_730.0;
        let nat_occ = 0.000049 * nat_total;
        let p = lq_from_published(PublishedLqInputs {
            area_occ: Some(50.0),
            area_total: 2_113_660.0,
            area_jobs_1000: Some(0.025),
            nat_occ,
            nat_total,
        })
        .unwrap();
        // TOT_EMP allows [0.02129, 0.02602] per 1,000; JOBS_1000 [0.0245, 0.0255]: the
        // intersection is the JOBS_1000 interval, midpoint 0.025 → LQ 0.025/0.049 = 0.5102.
        assert!(p.consistent);
        assert!((p.unrounded - 0.025 / 0.049).abs() < 1e-6, "{p:?}");
        assert_eq!(p.value, 0.51);
        assert!(p.feasible.0 < 0.51 && p.feasible.1 > 0.51);
        assert!(p.determined_within(0.1));
        assert!(!p.determined_within(0.01));

        // A small area: TOT_EMP narrows the interval further than JOBS_1000 can.
        // 1,000 of 10,000 jobs is 100 per 1,000 ±0.5 from TOT_EMP; JOBS_1000 100.040 ±0.0005
        // lies inside it, so JOBS_1000 decides; nation 10% → LQ 1.0004 → 1.00.
        let p = lq_from_published(PublishedLqInputs {
            area_occ: Some(1_000.0),
            area_total: 10_000.0,
            area_jobs_1000: Some(100.04),
            nat_occ: 10_000_000.0,
            nat_total: 100_000_000.0,
        })
        .unwrap();
        assert_eq!(p.value, 1.0);
        assert!((p.unrounded - 1.0004).abs() < 1e-9);

        // Disagreeing inputs: JOBS_1000 wins and the result says so.
        let p = lq_from_published(PublishedLqInputs {
            area_occ: Some(2_000.0),
            area_total: 10_000.0,
            area_jobs_1000: Some(100.0),
            nat_occ: 10.0,
            nat_total: 100.0,
        })
        .unwrap();
        assert!(!p.consistent);
        assert_eq!(p.value, 1.0);

        // Only employment published.
        let p = lq_from_published(PublishedLqInputs {
            area_occ: Some(400.0),
            area_total: 10_000.0,
            area_jobs_1000: None,
            nat_occ: 2_000.0,
            nat_total: 100_000.0,
        })
        .unwrap();
        assert_eq!(p.value, 2.0);
        assert_eq!(
            lq_from_published(PublishedLqInputs {
                area_occ: None,
                area_total: 10_000.0,
                area_jobs_1000: None,
                nat_occ: 2_000.0,
                nat_total: 100_000.0,
            }),
            Err(LqError::NothingPublished)
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            lq_from_employment(1.0, 0.0, 1.0, 1.0),
            Err(LqError::ZeroDenominator)
        );
        assert_eq!(
            lq_from_employment(1.0, 1.0, 0.0, 1.0),
            Err(LqError::ZeroDenominator)
        );
        assert_eq!(
            lq_from_employment(-1.0, 1.0, 1.0, 1.0),
            Err(LqError::Negative)
        );
        assert_eq!(
            lq_from_jobs_per_1000(f64::NAN, 1.0),
            Err(LqError::NotFinite)
        );
        assert_eq!(
            lq_from_jobs_per_1000(1.0, 0.0),
            Err(LqError::ZeroDenominator)
        );
        assert_eq!(jobs_per_1000(1.0, 0.0), Err(LqError::ZeroDenominator));
    }
}
