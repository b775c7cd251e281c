//! Living-wage reference (METHODS §8, MIT Living Wage Calculator).
//!
//! MIT publishes, per county / metro / state and year, the hourly wage one adult must earn
//! working full time (2,080 hours a year) to cover a basic-needs budget, for 12
//! [`FamilyType`]s. In two-working-adult families **each** adult must earn the shown rate.
//!
//! ```text
//! annual per worker                 = LW_hourly × 2080
//! household requirement before tax  = LW_hourly × 2080 × working_adults
//! LW_quarterly_per_worker           = LW_hourly × 520            (2080 / 4)
//! at or above                       = hourly_wage ≥ LW_hourly(county, family type, vintage)
//! ```
//!
//! When only quarterly UI earnings are known (no hours), the comparison is made against
//! `LW_quarterly_per_worker` and labelled **full-time-equivalent** ([`Basis::label`]).
//! Comparisons are made to the cent, so `19.999999…` from floating-point arithmetic does not
//! turn a $20.00 placement into a "below". Default family type for partnership reporting is
//! [`FamilyType::DEFAULT`] (1 adult, 0 children) unless participant household data exist.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Full-time hours per year in MIT's definition.
pub const FULL_TIME_HOURS_PER_YEAR: f64 = 2080.0;
/// Full-time hours per quarter (2,080 / 4).
pub const FULL_TIME_HOURS_PER_QUARTER: f64 = 520.0;

/// One of MIT's 12 family compositions. Stable codes: `1a0c` … `1a3c` (one adult),
/// `2a0c_one` … `2a3c_one` (two adults, one working), `2a0c_both` … `2a3c_both` (two adults,
/// both working).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FamilyType {
    adults: u8,
    working: u8,
    children: u8,
}

impl FamilyType {
    /// 1 adult, 0 children: the default for partnership reporting (METHODS §8 **[R]**).
    pub const DEFAULT: FamilyType = FamilyType {
        adults: 1,
        working: 1,
        children: 0,
    };

    /// All 12 compositions, in MIT's column order.
    pub const ALL: [FamilyType; 12] = {
        let mut all = [FamilyType::DEFAULT; 12];
        let mut i = 0;
        while i < 12 {
            let (adults, working) = match i / 4 {
                0 => (1, 1),
                1 => (2, 1),
                _ => (2, 2),
            };
            all[i] = FamilyType {
                adults,
                working,
                children: (i % 4) as u8,
            };
            i += 1;
        }
        all
    };

    /// One adult with `children` (0–3) children.
    pub fn one_adult(children: u8) -> Option<FamilyType> {
        FamilyType::new(1, 1, children)
    }

    /// Two adults, `working` (1 or 2) of them working, with `children` (0–3) children.
    pub fn two_adults(working: u8, children: u8) -> Option<FamilyType> {
        FamilyType::new(2, working, children)
    }

    fn new(adults: u8, working: u8, children: u8) -> Option<FamilyType> {
        let t = FamilyType {
            adults,
            working,
            children,
        };
        FamilyType::ALL.contains(&t).then_some(t)
    }

    /// Adults in the family (1 or 2).
    pub fn adults(self) -> u8 {
        self.adults
    }
    /// Working adults (1 or 2).
    pub fn working_adults(self) -> u8 {
        self.working
    }
    /// Children (0–3).
    pub fn children(self) -> u8 {
        self.children
    }

    /// The stable code (`1a0c`, `2a2c_one`, `2a2c_both`, …).
    pub fn code(self) -> String {
        match (self.adults, self.working) {
            (1, _) => format!("1a{}c", self.children),
            (_, 1) => format!("2a{}c_one", self.children),
            _ => format!("2a{}c_both", self.children),
        }
    }

    /// Parses a stable code (ASCII case ignored).
    pub fn from_code(s: &str) -> Option<FamilyType> {
        let s = s.trim().to_ascii_lowercase();
        FamilyType::ALL.into_iter().find(|t| t.code() == s)
    }

    /// A label for people: "1 adult, 0 children", "2 adults (1 working), 2 children", …
    pub fn label(self) -> String {
        let kids = match self.children {
            1 => "1 child".to_string(),
            n => format!("{n} children"),
        };
        match (self.adults, self.working) {
            (1, _) => format!("1 adult, {kids}"),
            (_, 1) => format!("2 adults (1 working), {kids}"),
            _ => format!("2 adults (both working), {kids}"),
        }
    }
}

impl Default for FamilyType {
    fn default() -> FamilyType {
        FamilyType::DEFAULT
    }
}

impl fmt::Display for FamilyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl std::str::FromStr for FamilyType {
    type Err = String;
    fn from_str(s: &str) -> Result<FamilyType, String> {
        FamilyType::from_code(s).ok_or_else(|| {
            format!(
                "{s:?} is not a family type (one of {})",
                FamilyType::ALL.map(FamilyType::code).join(", ")
            )
        })
    }
}

impl TryFrom<String> for FamilyType {
    type Error = String;
    fn try_from(s: String) -> Result<FamilyType, String> {
        s.parse()
    }
}

impl From<FamilyType> for String {
    fn from(t: FamilyType) -> String {
        t.code()
    }
}

/// A living wage per adult, per hour, before tax.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LivingWage {
    /// Family composition the rate is for.
    pub family_type: FamilyType,
    /// Dollars per hour per working adult.
    pub hourly: f64,
}

impl LivingWage {
    /// `hourly × 2080`: what one full-time worker earns at the living wage in a year.
    pub fn annual_per_worker(&self) -> f64 {
        annual_per_worker(self.hourly)
    }

    /// `hourly × 520`: the full-time-equivalent quarterly earnings of one worker.
    pub fn quarterly_per_worker(&self) -> f64 {
        quarterly_per_worker(self.hourly)
    }

    /// `hourly × 2080 × working adults`: the household's required income before tax.
    pub fn household_annual_requirement(&self) -> f64 {
        household_annual_requirement(self.hourly, self.family_type)
    }

    /// Compares an hourly wage with this living wage.
    pub fn compare_hourly(&self, hourly_wage: f64) -> Comparison {
        Comparison::new(Basis::Hourly, hourly_wage, self.hourly)
    }

    /// Compares quarterly earnings (no hours known) with [`LivingWage::quarterly_per_worker`];
    /// the result is labelled full-time-equivalent.
    pub fn compare_quarterly_earnings(&self, earnings: f64) -> Comparison {
        Comparison::new(
            Basis::QuarterlyFullTimeEquivalent,
            earnings,
            self.quarterly_per_worker(),
        )
    }
}

/// `LW_hourly × 2080`.
pub fn annual_per_worker(lw_hourly: f64) -> f64 {
    lw_hourly * FULL_TIME_HOURS_PER_YEAR
}

/// `LW_hourly × 520`.
pub fn quarterly_per_worker(lw_hourly: f64) -> f64 {
    lw_hourly * FULL_TIME_HOURS_PER_QUARTER
}

/// `LW_hourly × 2080 × working_adults` (each working adult must earn the rate).
pub fn household_annual_requirement(lw_hourly: f64, family: FamilyType) -> f64 {
    annual_per_worker(lw_hourly) * f64::from(family.working_adults())
}

/// `hourly_wage ≥ lw_hourly`, to the cent.
pub fn at_or_above(hourly_wage: f64, lw_hourly: f64) -> bool {
    cents(hourly_wage) >= cents(lw_hourly)
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// What a comparison compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// An hourly wage against the hourly living wage.
    Hourly,
    /// Quarterly earnings against `LW_hourly × 520`: full-time-equivalent.
    QuarterlyFullTimeEquivalent,
}

impl Basis {
    /// The label every output must carry with the result.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Hourly => "hourly wage",
            Basis::QuarterlyFullTimeEquivalent => "full-time-equivalent",
        }
    }
}

/// The result of comparing a wage (or earnings) with a living wage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// What was compared.
    pub basis: Basis,
    /// The wage or earnings compared.
    pub value: f64,
    /// The threshold (hourly LW, or quarterly per worker).
    pub threshold: f64,
    /// `value ≥ threshold`, to the cent.
    pub at_or_above: bool,
}

impl Comparison {
    fn new(basis: Basis, value: f64, threshold: f64) -> Comparison {
        Comparison {
            basis,
            value,
            threshold,
            at_or_above: at_or_above(value, threshold),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(non_snake_case)]
    fn LW_1() {
        let lw = LivingWage {
            family_type: FamilyType::DEFAULT,
            hourly: 20.00,
        };
        assert_eq!(lw.annual_per_worker(), 41_600.0);
        assert_eq!(lw.quarterly_per_worker(), 10_400.0);
        assert!(!lw.compare_hourly(19.99).at_or_above);
        assert!(lw.compare_hourly(20.00).at_or_above);
        assert!(!at_or_above(19.99, 20.0));
        assert!(at_or_above(20.0, 20.0));
        // Full-time-equivalent: quarterly earnings against 20 × 520.
        let q = lw.compare_quarterly_earnings(10_400.0);
        assert!(q.at_or_above);
        assert_eq!(q.basis.label(), "full-time-equivalent");
        assert!(!lw.compare_quarterly_earnings(10_399.99).at_or_above);
        // Floating-point dust does not flip the result.
        assert!(at_or_above(0.1 + 0.2, 0.3));
    }

    #[test]
    #[allow(non_snake_case)]
    fn LW_2() {
        let family = FamilyType::two_adults(2, 2).unwrap();
        assert_eq!(family.code(), "2a2c_both");
        let lw = LivingWage {
            family_type: family,
            hourly: 25.00,
        };
        assert_eq!(lw.household_annual_requirement(), 104_000.0);
        // One working adult: the household needs one full-time income.
        let one = FamilyType::two_adults(1, 2).unwrap();
        assert_eq!(household_annual_requirement(25.0, one), 52_000.0);
    }

    #[test]
    fn family_types_have_stable_codes() {
        let codes: Vec<String> = FamilyType::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(
            codes,
            [
                "1a0c",
                "1a1c",
                "1a2c",
                "1a3c",
                "2a0c_one",
                "2a1c_one",
                "2a2c_one",
                "2a3c_one",
                "2a0c_both",
                "2a1c_both",
                "2a2c_both",
                "2a3c_both"
            ]
        );
        for t in FamilyType::ALL {
            assert_eq!(FamilyType::from_code(&t.code()), Some(t));
        }
        assert_eq!(FamilyType::from_code("1A2C"), FamilyType::one_adult(2));
        assert_eq!(FamilyType::from_code("2a4c_both"), None);
        assert_eq!(FamilyType::one_adult(4), None);
        assert_eq!(FamilyType::two_adults(3, 0), None);
        assert_eq!(FamilyType::default().label(), "1 adult, 0 children");
        assert_eq!(
            FamilyType::two_adults(1, 1).unwrap().label(),
            "2 adults (1 working), 1 child"
        );
        assert!("x".parse::<FamilyType>().unwrap_err().contains("2a3c_both"));
    }
}
