//! Plain statistics over numbers: pay and wage ratios, location quotients, over-the-year change,
//! growth, shift-share and the Hachman index (METHODS §1.10–§1.12, §2.1, §2.3–§2.5).
//!
//! These functions take `f64`s that the caller has already decided to trust (published values, or
//! flagged estimates); suppression is handled one level up, in [`crate::value`] and
//! [`crate::targets`]. Every function whose formula divides returns `None` instead of a division
//! by zero.

use crate::codes::Ownership;
use serde::{Deserialize, Serialize};

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0 && num.is_finite() && den.is_finite()).then(|| num / den)
}

/// Rounds half away from zero to `decimals` places (BLS rounds LQs to hundredths, §1.11, and
/// OTY percent changes to tenths, §1.12).
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    // The small nudge keeps values such as 0.3 * 100 = 30.000000000000004 or 2.675 (stored as
    // 2.67499999…) rounding the way a decimal reader expects.
    let scaled = x * f;
    let nudged = scaled + scaled.signum() * scaled.abs() * 1e-12;
    nudged.round() / f
}

/// Average annual pay `Σ W / Σ E` (METHODS §1.10): a ratio of sums, never a mean of ratios.
pub fn avg_annual_pay(total_wages: f64, employment: f64) -> Option<f64> {
    ratio(total_wages, employment)
}

/// Average weekly wage from annual wages: `Σ W / Σ E / 52` (METHODS §1.10).
pub fn avg_weekly_wage(total_wages: f64, employment: f64) -> Option<f64> {
    ratio(total_wages, employment).map(|p| p / 52.0)
}

/// Average weekly wage from one quarter's wages: `W / E / 13` (13 weeks per quarter, as in the
/// QCEW quarterly `avg_wkly_wage`).
pub fn avg_weekly_wage_quarterly(total_qtrly_wages: f64, employment: f64) -> Option<f64> {
    ratio(total_qtrly_wages, employment).map(|p| p / 13.0)
}

/// Which base ("reference industry") a location quotient divides by (METHODS §1.11, §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LqConvention {
    /// The BLS file convention: base = all industries, all ownerships (`own 0`, `ind 10`) in the
    /// area and in the nation, whatever the row's ownership.
    #[default]
    BlsFile,
    /// The BLS web LQ Calculator convention: private industries over the private total
    /// (`own 5`, `ind 10`).
    BlsCalculatorPrivate,
}

impl LqConvention {
    /// The ownership of the base rows (`ind 10`).
    pub fn base_ownership(self) -> Ownership {
        match self {
            LqConvention::BlsFile => Ownership::TotalCovered,
            LqConvention::BlsCalculatorPrivate => Ownership::Private,
        }
    }

    /// Label for reports.
    pub fn label(self) -> &'static str {
        match self {
            LqConvention::BlsFile => "BLS file convention (base: all ownerships, all industries)",
            LqConvention::BlsCalculatorPrivate => {
                "BLS LQ Calculator convention (base: private, all industries)"
            }
        }
    }
}

/// Location quotient `(local / local_base) / (nation / nation_base)` (METHODS §1.11), unrounded.
/// BLS publishes it rounded to hundredths: see [`round_to`].
pub fn location_quotient(
    local: f64,
    local_base: f64,
    nation: f64,
    nation_base: f64,
) -> Option<f64> {
    let local_share = ratio(local, local_base)?;
    let nation_share = ratio(nation, nation_base)?;
    ratio(local_share, nation_share)
}

/// Location quotient of a multi-county region (METHODS §2.1): sums the member counties'
/// `(industry, base)` pairs first, then divides. Never the mean of county LQs.
pub fn regional_location_quotient(
    counties: impl IntoIterator<Item = (f64, f64)>,
    nation: f64,
    nation_base: f64,
) -> Option<f64> {
    let (ind, base) = counties
        .into_iter()
        .fold((0.0, 0.0), |(a, b), (i, t)| (a + i, b + t));
    location_quotient(ind, base, nation, nation_base)
}

/// Over-the-year change as BLS publishes it (METHODS §1.12).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OtyChange {
    /// `current − prior`.
    pub change: f64,
    /// `(current − prior) / prior × 100`, rounded to tenths; `None` when `prior = 0`.
    pub pct_change: Option<f64>,
}

/// Over-the-year change between the same data point a year apart (METHODS §1.12). Inputs should be
/// the published (rounded) values, as BLS computes OTY fields from them.
pub fn over_the_year(current: f64, prior: f64) -> OtyChange {
    OtyChange {
        change: current - prior,
        pct_change: pct_change(prior, current).map(|p| round_to(p, 1)),
    }
}

/// Level change `x1 − x0` (METHODS §2.5).
pub fn change(x0: f64, x1: f64) -> f64 {
    x1 - x0
}

/// Percent change `(x1 − x0) / x0 × 100`, unrounded; `None` when `x0 = 0` (METHODS §2.5).
pub fn pct_change(x0: f64, x1: f64) -> Option<f64> {
    ratio(x1 - x0, x0).map(|r| r * 100.0)
}

/// Compound annual growth rate `(x1 / x0)^(1 / years) − 1` as a **fraction** (0.1 = 10%/year;
/// METHODS §2.5). `None` when `x0 ≤ 0`, `x1 < 0` or `years ≤ 0`.
pub fn cagr(x0: f64, x1: f64, years: f64) -> Option<f64> {
    if x0 <= 0.0 || x1 < 0.0 || years <= 0.0 || !years.is_finite() {
        return None;
    }
    Some((x1 / x0).powf(1.0 / years) - 1.0)
}

/// Inputs of a shift-share decomposition for one region industry (METHODS §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShiftShareInput {
    /// `e_i^t0`: region industry employment at t0.
    pub region_t0: f64,
    /// `e_i^t1`.
    pub region_t1: f64,
    /// `E_i^t0`: national employment of the same industry and ownership.
    pub nation_industry_t0: f64,
    /// `E_i^t1`.
    pub nation_industry_t1: f64,
    /// `E^t0`: national total (same ownership).
    pub nation_total_t0: f64,
    /// `E^t1`.
    pub nation_total_t1: f64,
}

/// Classic (Dunn) shift-share effects (METHODS §2.4). `ns + im + rs = e1 − e0` unless
/// `new_industry`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShiftShare {
    /// National growth effect `e0 (E1/E0 − 1)`.
    pub ns: f64,
    /// Industry mix effect `e0 (E_i1/E_i0 − E1/E0)`.
    pub im: f64,
    /// Regional (competitive) share `e0 (e1/e0 − E_i1/E_i0)`.
    pub rs: f64,
    /// `e0 = 0`: all three effects are 0 and the growth is reported separately as a new industry.
    pub new_industry: bool,
}

impl ShiftShare {
    /// The "expected change" `NS + IM` (Lightcast's term).
    pub fn expected(&self) -> f64 {
        self.ns + self.im
    }

    /// `NS + IM + RS`.
    pub fn total(&self) -> f64 {
        self.ns + self.im + self.rs
    }
}

/// Shift-share decomposition (METHODS §2.4). `None` when a national base (`E^t0` or `E_i^t0`) is
/// zero, which makes the national rates undefined.
pub fn shift_share(x: &ShiftShareInput) -> Option<ShiftShare> {
    let g = ratio(x.nation_total_t1, x.nation_total_t0)?;
    let gi = ratio(x.nation_industry_t1, x.nation_industry_t0)?;
    if x.region_t0 == 0.0 {
        return Some(ShiftShare {
            ns: 0.0,
            im: 0.0,
            rs: 0.0,
            new_industry: true,
        });
    }
    let e0 = x.region_t0;
    Some(ShiftShare {
        ns: e0 * (g - 1.0),
        im: e0 * (gi - g),
        rs: e0 * (x.region_t1 / e0 - gi),
        new_industry: false,
    })
}

/// Hachman index from shares (METHODS §2.3): `1 / Σ s_ri² / s_ni`; pairs with `s_ni = 0` are
/// dropped. `None` when nothing remains or the sum is 0.
pub fn hachman_from_shares(shares: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let sum: f64 = shares
        .into_iter()
        .filter(|&(_, sn)| sn > 0.0)
        .map(|(sr, sn)| sr * sr / sn)
        .sum();
    ratio(1.0, sum)
}

/// Hachman index from employment levels `(region, nation)` per industry (METHODS §2.3): drops
/// industries with no national employment, converts both columns to shares of their totals over
/// the remaining industries, then applies [`hachman_from_shares`]. `0 < HI ≤ 1`.
pub fn hachman_index(levels: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let kept: Vec<(f64, f64)> = levels.into_iter().filter(|&(_, n)| n > 0.0).collect();
    let er: f64 = kept.iter().map(|p| p.0).sum();
    let en: f64 = kept.iter().map(|p| p.1).sum();
    if er <= 0.0 || en <= 0.0 {
        return None;
    }
    hachman_from_shares(kept.iter().map(|&(r, n)| (r / er, n / en)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    #[allow(non_snake_case)]
    fn QCEW_PAY_1() {
        // Two counties: W 60e6 / 20e6, E 1,000 / 500 (METHODS §1.10).
        let (w, e) = (60_000_000.0 + 20_000_000.0, 1_000.0 + 500.0);
        let pay = avg_annual_pay(w, e).unwrap();
        assert_eq!(round_to(pay, 2), 53_333.33);
        assert_eq!(round_to(avg_weekly_wage(w, e).unwrap(), 2), 1_025.64);
        // Not the mean of county pays (60,000 and 40,000).
        assert!(!close(pay, 50_000.0, 1.0));
        assert_eq!(avg_annual_pay(1.0, 0.0), None);
    }

    #[test]
    #[allow(non_snake_case)]
    fn LQ_BLS_1() {
        let lq = location_quotient(500.0, 10_000.0, 2_000_000.0, 150_000_000.0).unwrap();
        assert!(close(lq, 3.75, 1e-12), "{lq}");
        assert_eq!(round_to(lq, 2), 3.75);
        assert_eq!(
            LqConvention::default().base_ownership(),
            Ownership::TotalCovered
        );
        assert_eq!(
            LqConvention::BlsCalculatorPrivate.base_ownership(),
            Ownership::Private
        );
    }

    #[test]
    #[allow(non_snake_case)]
    fn LQ_REGION_1() {
        let lq = regional_location_quotient(
            [(300.0, 6_000.0), (200.0, 4_000.0)],
            2_000_000.0,
            150_000_000.0,
        )
        .unwrap();
        assert!(close(lq, 3.75, 1e-12), "{lq}");
    }

    #[test]
    #[allow(non_snake_case)]
    fn LQ_REGION_2() {
        let (nat, nat_base) = (2_000_000.0, 150_000_000.0);
        let lq = regional_location_quotient([(300.0, 6_000.0), (100.0, 1_000.0)], nat, nat_base)
            .unwrap();
        assert_eq!(round_to(lq, 4), 4.2857);
        let mean = (location_quotient(300.0, 6_000.0, nat, nat_base).unwrap()
            + location_quotient(100.0, 1_000.0, nat, nat_base).unwrap())
            / 2.0;
        assert!(close(mean, 5.625, 1e-12));
        assert!(!close(lq, mean, 0.1), "the mean of county LQs is wrong");
    }

    #[test]
    #[allow(non_snake_case)]
    fn OTY_1() {
        let c = over_the_year(1_050.0, 1_000.0);
        assert_eq!(c.change, 50.0);
        assert_eq!(c.pct_change, Some(5.0));
    }

    #[test]
    #[allow(non_snake_case)]
    fn OTY_2() {
        assert_eq!(over_the_year(1_003.0, 1_000.0).pct_change, Some(0.3));
        let c = over_the_year(1_000.0, 0.0);
        assert_eq!(c.change, 1_000.0);
        assert_eq!(c.pct_change, None);
    }

    #[test]
    #[allow(non_snake_case)]
    fn HACHMAN_1() {
        let hi = hachman_from_shares([(0.5, 0.25), (0.3, 0.25), (0.2, 0.5)]).unwrap();
        assert!(close(hi, 1.0 / 1.44, 1e-12), "{hi}");
        assert_eq!(round_to(hi, 6), 0.694444);
        // Same result from levels.
        let hi2 = hachman_index([(500.0, 2_500.0), (300.0, 2_500.0), (200.0, 5_000.0)]).unwrap();
        assert!(close(hi, hi2, 1e-12));
        // Identical mix → 1; industries without national employment are dropped.
        let one = hachman_index([(10.0, 100.0), (30.0, 300.0), (5.0, 0.0)]).unwrap();
        assert!(close(one, 1.0, 1e-12));
    }

    #[test]
    #[allow(non_snake_case)]
    fn SHIFT_1() {
        let s = shift_share(&ShiftShareInput {
            region_t0: 1_000.0,
            region_t1: 1_200.0,
            nation_industry_t0: 100_000.0,
            nation_industry_t1: 110_000.0,
            nation_total_t0: 1_000_000.0,
            nation_total_t1: 1_050_000.0,
        })
        .unwrap();
        assert!(close(s.ns, 50.0, 1e-9), "{s:?}");
        assert!(close(s.im, 50.0, 1e-9), "{s:?}");
        assert!(close(s.rs, 100.0, 1e-9), "{s:?}");
        assert!(close(s.total(), 200.0, 1e-9));
        assert!(!s.new_industry);
    }

    #[test]
    fn shift_share_new_industry_and_undefined() {
        let mut x = ShiftShareInput {
            region_t0: 0.0,
            region_t1: 40.0,
            nation_industry_t0: 100.0,
            nation_industry_t1: 110.0,
            nation_total_t0: 1_000.0,
            nation_total_t1: 1_050.0,
        };
        let s = shift_share(&x).unwrap();
        assert!(s.new_industry);
        assert_eq!((s.ns, s.im, s.rs), (0.0, 0.0, 0.0));
        x.nation_industry_t0 = 0.0;
        assert_eq!(shift_share(&x), None);
    }

    #[test]
    #[allow(non_snake_case)]
    fn GROWTH_1() {
        assert_eq!(round_to(pct_change(1_000.0, 1_210.0).unwrap(), 1), 21.0);
        assert!(close(cagr(1_000.0, 1_210.0, 2.0).unwrap(), 0.10, 1e-12));
    }

    #[test]
    #[allow(non_snake_case)]
    fn GROWTH_2() {
        assert_eq!(round_to(pct_change(10_000.0, 11_000.0).unwrap(), 1), 10.0);
        let c = cagr(10_000.0, 11_000.0, 10.0).unwrap();
        assert_eq!(round_to(c * 100.0, 4), 0.9577);
        assert!(close(1.0 + c, 1.0095766, 1e-7));
        assert_eq!(pct_change(0.0, 5.0), None);
        assert_eq!(cagr(0.0, 5.0, 2.0), None);
        assert_eq!(cagr(5.0, 5.0, 0.0), None);
        assert_eq!(change(1_000.0, 1_210.0), 210.0);
    }

    #[test]
    fn rounding() {
        assert_eq!(round_to(0.25, 1), 0.3);
        assert_eq!(round_to(-0.25, 1), -0.3);
        assert_eq!(round_to(2.675, 2), 2.68);
        assert_eq!(round_to(4.28571, 4), 4.2857);
    }

    proptest! {
        #[test]
        fn regional_lq_of_one_county_is_the_county_lq(
            ind in 0.0..1e5f64, extra in 1.0..1e6f64, nat in 1.0..1e7f64, nat_extra in 1.0..1e8f64,
        ) {
            let base = ind + extra;
            let nat_base = nat + nat_extra;
            let r = regional_location_quotient([(ind, base)], nat, nat_base).unwrap();
            let c = location_quotient(ind, base, nat, nat_base).unwrap();
            prop_assert!((r - c).abs() <= 1e-12 * c.abs().max(1.0));
        }

        #[test]
        fn shift_share_components_add_up(
            e0 in 1.0..1e6f64, e1 in 0.0..1e6f64,
            ni0 in 1.0..1e7f64, ni1 in 0.0..1e7f64,
            n0 in 1.0..1e9f64, n1 in 0.0..1e9f64,
        ) {
            let s = shift_share(&ShiftShareInput {
                region_t0: e0, region_t1: e1,
                nation_industry_t0: ni0, nation_industry_t1: ni1,
                nation_total_t0: n0, nation_total_t1: n1,
            }).unwrap();
            let actual = e1 - e0;
            let scale = e0.max(e1).max(e0 * ni1 / ni0).max(e0 * n1 / n0).max(1.0);
            prop_assert!((s.total() - actual).abs() <= 1e-9 * scale, "{:?} vs {}", s, actual);
        }

        #[test]
        fn hachman_is_in_unit_interval(levels in proptest::collection::vec((0.0..1e5f64, 1.0..1e6f64), 1..30)) {
            if let Some(hi) = hachman_index(levels.iter().copied()) {
                prop_assert!(hi > 0.0 && hi <= 1.0 + 1e-9, "{}", hi);
            }
        }
    }
}
