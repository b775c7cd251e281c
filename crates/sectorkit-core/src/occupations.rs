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
//! Pure functions; no rounding (BLS publishes the LQ to 2 decimals — compare, don't round).

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
