//! Employment projections (METHODS §6): projected growth rates from state (or national) long-term
//! industry projections, and their application to a region.
//!
//! Projections count more kinds of jobs than QCEW (self-employed, agriculture, …), so only their
//! **rates** are applied to QCEW levels; projected levels are never mixed with QCEW levels.

use crate::codes::Naics;
use crate::stats::{cagr, pct_change};
use serde::{Deserialize, Serialize};

/// One industry's published projection (base and projected employment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndustryProjection {
    pub industry: Naics,
    pub base_year: i32,
    pub projected_year: i32,
    /// Base-year employment in the projection's own (broader) concept.
    pub base: f64,
    /// Projected-year employment.
    pub projected: f64,
}

impl IndustryProjection {
    /// `(Projected − Base) / Base × 100` (METHODS §6).
    pub fn pct_change(&self) -> Option<f64> {
        projected_pct(self.base, self.projected)
    }

    /// `(Projected / Base)^(1 / (ProjYear − BaseYear)) − 1`, a fraction (METHODS §6).
    pub fn cagr(&self) -> Option<f64> {
        projected_cagr(
            self.base,
            self.projected,
            f64::from(self.projected_year - self.base_year),
        )
    }

    /// Applies this projection's growth ratio to a regional base (METHODS §6).
    pub fn apply_to(&self, regional_base: f64) -> Option<f64> {
        regional_projection(regional_base, self.base, self.projected)
    }
}

/// Projected percent change `(Projected − Base) / Base × 100`; `None` when `Base = 0`.
pub fn projected_pct(base: f64, projected: f64) -> Option<f64> {
    pct_change(base, projected)
}

/// Projected compound annual growth rate, as a fraction.
pub fn projected_cagr(base: f64, projected: f64, years: f64) -> Option<f64> {
    cagr(base, projected, years)
}

/// Average annual openings by the separations method (METHODS §6):
/// `(employment change + labor-force exits + occupational transfers) / years`.
pub fn annual_openings(
    base: f64,
    projected: f64,
    exits: f64,
    transfers: f64,
    years: f64,
) -> Option<f64> {
    (years > 0.0).then(|| (projected - base + exits + transfers) / years)
}

/// Regional projected employment when no sub-state projections exist (METHODS §6):
/// `E_r,proj = E_r,base × (Projected_state / Base_state)`. `None` when `Base_state = 0`.
pub fn regional_projection(
    regional_base: f64,
    state_base: f64,
    state_projected: f64,
) -> Option<f64> {
    (state_base != 0.0).then(|| regional_base * (state_projected / state_base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::round_to;

    #[test]
    #[allow(non_snake_case)]
    fn PROJ_1() {
        let p = IndustryProjection {
            industry: "336".parse().unwrap(),
            base_year: 2024,
            projected_year: 2034,
            base: 10_000.0,
            projected: 11_000.0,
        };
        assert_eq!(round_to(p.pct_change().unwrap(), 1), 10.0);
        assert_eq!(round_to(p.cagr().unwrap() * 100.0, 4), 0.9577);
    }

    #[test]
    #[allow(non_snake_case)]
    fn PROJ_2() {
        let o = annual_openings(1_000.0, 1_100.0, 400.0, 600.0, 10.0).unwrap();
        assert!((o - 110.0).abs() < 1e-12);
        assert_eq!(annual_openings(1.0, 1.0, 1.0, 1.0, 0.0), None);
    }

    #[test]
    #[allow(non_snake_case)]
    fn PROJ_3() {
        let r = regional_projection(500.0, 10_000.0, 11_000.0).unwrap();
        assert!((r - 550.0).abs() < 1e-9);
        assert_eq!(regional_projection(500.0, 0.0, 1.0), None);
    }
}
