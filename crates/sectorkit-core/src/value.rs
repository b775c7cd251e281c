//! Suppression as a type: published QCEW cells, their bounds, sums that know whether they are
//! complete, and labelled estimates that never overwrite what BLS published.
//!
//! A [`Cell`] is `Disclosed`, `Suppressed` or `Partial` (a sum of which some members are
//! suppressed). There is deliberately no `Default`, no conversion to `f64` and no accessor that
//! returns a number for an unknown value: the only way to read a number is
//! [`Cell::disclosed`] (an `Option`) or [`Cell::bounds`] (an interval). Suppressed QCEW rows carry
//! `0` in the file (METHODS §1.9); [`Cell::from_qcew`] throws that zero away.
//!
//! An [`Estimate`] (METHODS §2.2) lives beside the published cell in a [`Figure`], with the
//! [`EstimateMethod`] that produced it.

use crate::codes::Naics;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Invalid numeric input to a value constructor.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("value {0} is not a finite, non-negative number")]
    NotNonNegative(f64),
    #[error("bounds [{lower}, {upper}] are empty or invalid")]
    BadBounds { lower: f64, upper: f64 },
    #[error(
        "partial sum needs at least one missing member and bounds containing the known part {0}"
    )]
    BadPartial(f64),
    #[error("estimate {value} lies outside the published bounds {bounds}")]
    EstimateOutOfBounds { value: f64, bounds: Bounds },
    #[error("unknown disclosure code {0:?}: expected blank or N")]
    DisclosureCode(String),
}

/// Relative tolerance used when checking that derived numbers respect bounds (floating noise).
const TOL: f64 = 1e-9;

fn check_nonneg(x: f64) -> Result<f64, ValueError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(ValueError::NotNonNegative(x))
    }
}

/// A closed interval `[lower, upper]` known to contain a non-negative measure; `upper = None`
/// means unbounded above (nothing is known beyond non-negativity).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawBounds")]
pub struct Bounds {
    lower: f64,
    upper: Option<f64>,
}

#[derive(Deserialize)]
struct RawBounds {
    lower: f64,
    upper: Option<f64>,
}

impl TryFrom<RawBounds> for Bounds {
    type Error = ValueError;
    fn try_from(r: RawBounds) -> Result<Self, Self::Error> {
        Bounds::new(r.lower, r.upper)
    }
}

impl Bounds {
    /// `[0, ∞)`: all that is known about a suppressed cell without a parent residual.
    pub const UNKNOWN: Bounds = Bounds {
        lower: 0.0,
        upper: None,
    };

    /// Validated bounds: finite, `0 ≤ lower ≤ upper`.
    pub fn new(lower: f64, upper: Option<f64>) -> Result<Bounds, ValueError> {
        let bad = || ValueError::BadBounds {
            lower,
            upper: upper.unwrap_or(f64::INFINITY),
        };
        check_nonneg(lower).map_err(|_| bad())?;
        if let Some(u) = upper {
            check_nonneg(u).map_err(|_| bad())?;
            if u < lower {
                return Err(bad());
            }
        }
        Ok(Bounds { lower, upper })
    }

    /// `[x, x]`.
    pub fn exact(x: f64) -> Result<Bounds, ValueError> {
        Bounds::new(x, Some(x))
    }

    /// `[0, upper]`, e.g. a suppressed cell under a residual (METHODS §2.2(b)).
    pub fn at_most(upper: f64) -> Result<Bounds, ValueError> {
        Bounds::new(0.0, Some(upper))
    }

    /// Lower end.
    pub fn lower(&self) -> f64 {
        self.lower
    }

    /// Upper end, `None` if unbounded.
    pub fn upper(&self) -> Option<f64> {
        self.upper
    }

    /// Whether `x` lies in the interval (with a small relative tolerance for rounding noise).
    pub fn contains(&self, x: f64) -> bool {
        let tol = TOL * x.abs().max(1.0);
        x >= self.lower - tol && self.upper.is_none_or(|u| x <= u + tol)
    }

    /// Interval sum.
    pub fn plus(self, other: Bounds) -> Bounds {
        Bounds {
            lower: self.lower + other.lower,
            upper: self.upper.zip(other.upper).map(|(a, b)| a + b),
        }
    }

    /// Intersects with `[.., cap]`; the lower end is kept, so the cap never drops below it.
    pub fn capped(self, cap: f64) -> Bounds {
        let cap = cap.max(self.lower);
        Bounds {
            lower: self.lower,
            upper: Some(self.upper.map_or(cap, |u| u.min(cap))),
        }
    }
}

impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.upper {
            Some(u) => write!(f, "[{}, {}]", self.lower, u),
            None => write!(f, "[{}, ∞)", self.lower),
        }
    }
}

/// Disclosure status of a cell (METHODS §1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Published by BLS (or a sum of published cells only).
    Disclosed,
    /// Withheld (`disclosure_code = N`), or a sum of withheld cells only.
    Suppressed,
    /// A sum with at least one disclosed and at least one suppressed member.
    Partial,
}

impl Status {
    /// `disclosed`, `suppressed` or `partial`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Disclosed => "disclosed",
            Status::Suppressed => "suppressed",
            Status::Partial => "partial",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The known part of a sum some of whose members are suppressed. Fields are private so that
/// `missing ≥ 1` and `bounds.lower ≥ known` always hold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPartial")]
pub struct PartialSum {
    known: f64,
    missing: u32,
    bounds: Bounds,
}

#[derive(Deserialize)]
struct RawPartial {
    known: f64,
    missing: u32,
    bounds: Bounds,
}

impl TryFrom<RawPartial> for PartialSum {
    type Error = ValueError;
    fn try_from(r: RawPartial) -> Result<Self, Self::Error> {
        PartialSum::new(r.known, r.missing, r.bounds)
    }
}

impl PartialSum {
    /// Validated: `known ≥ 0`, `missing ≥ 1`, `bounds` contain `known` at their low end or above.
    pub fn new(known: f64, missing: u32, bounds: Bounds) -> Result<PartialSum, ValueError> {
        check_nonneg(known)?;
        if missing == 0 || bounds.lower() + TOL * known.max(1.0) < known {
            return Err(ValueError::BadPartial(known));
        }
        Ok(PartialSum {
            known,
            missing,
            bounds,
        })
    }

    /// Sum of the disclosed members.
    pub fn known(&self) -> f64 {
        self.known
    }

    /// Number of suppressed members.
    pub fn missing(&self) -> u32 {
        self.missing
    }

    /// Interval containing the true total.
    pub fn bounds(&self) -> Bounds {
        self.bounds
    }
}

/// One published measure (employment, establishments, wages) of one QCEW cell, or a sum of such.
///
/// Measures are non-negative; build `Disclosed` values with [`Cell::disclosed`] to have that
/// checked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// A published value.
    Disclosed(f64),
    /// Withheld; only bounds are known (by default `[0, ∞)`).
    Suppressed(Bounds),
    /// A sum mixing disclosed and suppressed members.
    Partial(PartialSum),
}

impl Cell {
    /// A published value (must be finite and ≥ 0).
    pub fn disclosed(x: f64) -> Result<Cell, ValueError> {
        check_nonneg(x).map(Cell::Disclosed)
    }

    /// A withheld value about which nothing is known but non-negativity.
    pub fn suppressed() -> Cell {
        Cell::Suppressed(Bounds::UNKNOWN)
    }

    /// A withheld value known to lie within `bounds`.
    pub fn suppressed_within(bounds: Bounds) -> Cell {
        Cell::Suppressed(bounds)
    }

    /// Reads a QCEW field: `disclosure_code` `N` means suppressed whatever the file's (zero)
    /// value says; blank means disclosed (METHODS §1.4, §1.9).
    pub fn from_qcew(disclosure_code: &str, value: f64) -> Result<Cell, ValueError> {
        match disclosure_code.trim() {
            "" => Cell::disclosed(value),
            "N" | "n" => Ok(Cell::suppressed()),
            other => Err(ValueError::DisclosureCode(other.to_string())),
        }
    }

    /// Disclosure status.
    pub fn status(&self) -> Status {
        match self {
            Cell::Disclosed(_) => Status::Disclosed,
            Cell::Suppressed(_) => Status::Suppressed,
            Cell::Partial(_) => Status::Partial,
        }
    }

    /// The published value, only when fully disclosed.
    pub fn disclosed_value(&self) -> Option<f64> {
        match self {
            Cell::Disclosed(x) => Some(*x),
            _ => None,
        }
    }

    /// The disclosed part: the value itself, the known part of a partial sum, `None` when
    /// suppressed (an unknown is not zero).
    pub fn known_part(&self) -> Option<f64> {
        match self {
            Cell::Disclosed(x) => Some(*x),
            Cell::Partial(p) => Some(p.known),
            Cell::Suppressed(_) => None,
        }
    }

    /// Number of suppressed members behind this cell: 0 if disclosed, the count for a partial
    /// sum, and 1 for a suppressed cell (a sum of only suppressed cells is reported as one
    /// suppressed cell; count members with [`CellSum::missing`] if needed).
    pub fn missing(&self) -> u32 {
        match self {
            Cell::Disclosed(_) => 0,
            Cell::Suppressed(_) => 1,
            Cell::Partial(p) => p.missing,
        }
    }

    /// Interval containing the true value (`[x, x]` when disclosed).
    pub fn bounds(&self) -> Bounds {
        match self {
            Cell::Disclosed(x) => Bounds {
                lower: *x,
                upper: Some(*x),
            },
            Cell::Suppressed(b) => *b,
            Cell::Partial(p) => p.bounds,
        }
    }

    /// The same cell with its upper bound tightened to `cap` (no effect on disclosed cells).
    pub fn capped(self, cap: f64) -> Cell {
        match self {
            Cell::Disclosed(_) => self,
            Cell::Suppressed(b) => Cell::Suppressed(b.capped(cap)),
            Cell::Partial(p) => Cell::Partial(PartialSum {
                bounds: p.bounds.capped(cap),
                ..p
            }),
        }
    }

    /// Sums cells (METHODS §1.10): `Disclosed` when every member is disclosed, `Suppressed` when
    /// none is, otherwise `Partial` with the known part, the count of missing members and summed
    /// bounds. The sum of no cells is `Disclosed(0)`: QCEW publishes no row for an industry with no
    /// establishments, so an absent member is a true zero.
    pub fn sum<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Cell {
        let mut acc = CellSum::new();
        for c in cells {
            acc.add(c);
        }
        acc.finish()
    }
}

impl<'a> std::iter::Sum<&'a Cell> for Cell {
    fn sum<I: Iterator<Item = &'a Cell>>(iter: I) -> Cell {
        Cell::sum(iter)
    }
}

impl std::iter::Sum<Cell> for Cell {
    fn sum<I: Iterator<Item = Cell>>(iter: I) -> Cell {
        let mut acc = CellSum::new();
        for c in iter {
            acc.add(&c);
        }
        acc.finish()
    }
}

/// Accumulator behind [`Cell::sum`], usable incrementally.
#[derive(Debug, Clone, Copy)]
pub struct CellSum {
    known: f64,
    any_known: bool,
    missing: u32,
    bounds: Bounds,
}

impl Default for CellSum {
    fn default() -> Self {
        CellSum::new()
    }
}

impl CellSum {
    /// An empty sum.
    pub fn new() -> CellSum {
        CellSum {
            known: 0.0,
            any_known: false,
            missing: 0,
            bounds: Bounds {
                lower: 0.0,
                upper: Some(0.0),
            },
        }
    }

    /// Adds one cell.
    pub fn add(&mut self, c: &Cell) {
        if let Some(k) = c.known_part() {
            self.known += k;
            self.any_known = true;
        }
        self.missing += c.missing();
        self.bounds = self.bounds.plus(c.bounds());
    }

    /// Number of suppressed members added so far (partial sums count their own missing members).
    pub fn missing(&self) -> u32 {
        self.missing
    }

    /// The sum as a cell.
    pub fn finish(self) -> Cell {
        if self.missing == 0 {
            Cell::Disclosed(self.known)
        } else if !self.any_known {
            Cell::Suppressed(self.bounds)
        } else {
            Cell::Partial(PartialSum {
                known: self.known,
                missing: self.missing,
                bounds: Bounds {
                    lower: self.bounds.lower.max(self.known),
                    upper: self.bounds.upper.map(|u| u.max(self.known)),
                },
            })
        }
    }
}

/// How suppressed members were shared out of a residual (METHODS §2.2(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationWeight {
    /// Proportional to the suppressed rows' published establishment counts (the default).
    Establishments,
    /// Equal shares: used when some suppressed member has no establishment count, or all are 0.
    Equal,
}

/// How an estimate was made (METHODS §2.2). Every estimate carries one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum EstimateMethod {
    /// §2.2(b): state value minus disclosed counties (and disclosed statewide-residual records),
    /// allocated among the suppressed county cells of that state.
    GeographicResidual {
        weight: AllocationWeight,
        /// The raw residual was negative (rounding) and was set to 0.
        clamped: bool,
    },
    /// §2.2(c): parent industry minus disclosed children within the same area, allocated among the
    /// suppressed children. `parent_estimated` when the parent was itself suppressed and its
    /// estimate (from the nearest disclosed ancestor, top-down) was used.
    IndustryResidual {
        parent: Naics,
        parent_estimated: bool,
        weight: AllocationWeight,
        clamped: bool,
    },
    /// A regional sum: disclosed members plus estimates of the suppressed members, counted by the
    /// method that estimated each.
    RegionSum { geographic: u32, industry: u32 },
}

impl EstimateMethod {
    /// Short machine label.
    pub fn as_str(&self) -> &'static str {
        match self {
            EstimateMethod::GeographicResidual { .. } => "geographic_residual",
            EstimateMethod::IndustryResidual { .. } => "industry_residual",
            EstimateMethod::RegionSum { .. } => "region_sum",
        }
    }
}

/// An estimate of a value that was not published, labelled with its method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub method: EstimateMethod,
}

/// A published cell and, optionally, an estimate of its unknown total. The estimate never
/// replaces the published cell; [`Figure::best`] says which one it returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    published: Cell,
    estimate: Option<Estimate>,
}

/// A value to compute with, and whether it came from an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub value: f64,
    pub estimated: bool,
}

impl Figure {
    /// A published cell without estimate.
    pub fn new(published: Cell) -> Figure {
        Figure {
            published,
            estimate: None,
        }
    }

    /// A published cell with an estimate of its true total. Disclosed cells take no estimate (the
    /// estimate is dropped); the estimate must lie within the cell's bounds.
    pub fn with_estimate(published: Cell, estimate: Estimate) -> Result<Figure, ValueError> {
        if matches!(published, Cell::Disclosed(_)) {
            return Ok(Figure::new(published));
        }
        let b = published.bounds();
        if !estimate.value.is_finite() || !b.contains(estimate.value) {
            return Err(ValueError::EstimateOutOfBounds {
                value: estimate.value,
                bounds: b,
            });
        }
        Ok(Figure {
            published,
            estimate: Some(estimate),
        })
    }

    /// What BLS published.
    pub fn published(&self) -> &Cell {
        &self.published
    }

    /// The estimate, if one was made.
    pub fn estimate(&self) -> Option<&Estimate> {
        self.estimate.as_ref()
    }

    /// Disclosure status of the published cell.
    pub fn status(&self) -> Status {
        self.published.status()
    }

    /// The published value if disclosed, else the estimate (flagged), else `None`.
    pub fn best(&self) -> Option<Best> {
        match (&self.published, &self.estimate) {
            (Cell::Disclosed(x), _) => Some(Best {
                value: *x,
                estimated: false,
            }),
            (_, Some(e)) => Some(Best {
                value: e.value,
                estimated: true,
            }),
            _ => None,
        }
    }

    /// `best().map(|b| b.value)`.
    pub fn best_value(&self) -> Option<f64> {
        self.best().map(|b| b.value)
    }

    /// Whether [`Figure::best`] returns an estimate.
    pub fn is_estimated(&self) -> bool {
        self.best().is_some_and(|b| b.estimated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(x: f64) -> Cell {
        Cell::disclosed(x).unwrap()
    }

    #[test]
    fn suppressed_qcew_zero_is_not_a_zero() {
        let c = Cell::from_qcew("N", 0.0).unwrap();
        assert_eq!(c.status(), Status::Suppressed);
        assert_eq!(c.disclosed_value(), None);
        assert_eq!(c.known_part(), None);
        assert_eq!(c.bounds().upper(), None);
        assert_eq!(Cell::from_qcew("", 12.0).unwrap(), d(12.0));
        assert!(Cell::from_qcew("X", 1.0).is_err());
        assert!(Cell::disclosed(-1.0).is_err());
        assert!(Cell::disclosed(f64::NAN).is_err());
    }

    #[test]
    fn sums_know_whether_they_are_complete() {
        assert_eq!(Cell::sum(&[d(1.0), d(2.0)]), d(3.0));
        assert_eq!(Cell::sum(&[]), d(0.0));
        let s = Cell::sum(&[
            d(300.0),
            Cell::suppressed_within(Bounds::at_most(650.0).unwrap()),
        ]);
        let Cell::Partial(p) = s else { panic!("{s:?}") };
        assert_eq!((p.known(), p.missing()), (300.0, 1));
        assert_eq!(p.bounds(), Bounds::new(300.0, Some(950.0)).unwrap());
        let s = Cell::sum(&[Cell::suppressed(), Cell::suppressed()]);
        assert_eq!(s.status(), Status::Suppressed);
        assert_eq!(s.known_part(), None);
        let mut acc = CellSum::new();
        acc.add(&Cell::suppressed());
        acc.add(&d(5.0));
        acc.add(&Cell::suppressed());
        assert_eq!(acc.missing(), 2);
        // A partial inside a sum stays partial and keeps its missing count.
        let total: Cell = [acc.finish(), d(5.0)].into_iter().sum();
        assert_eq!(total.status(), Status::Partial);
        assert_eq!(total.missing(), 2);
        assert_eq!(total.known_part(), Some(10.0));
    }

    #[test]
    fn figure_prefers_published_and_labels_estimates() {
        let est = Estimate {
            value: 200.0,
            method: EstimateMethod::GeographicResidual {
                weight: AllocationWeight::Establishments,
                clamped: false,
            },
        };
        let f = Figure::with_estimate(
            Cell::suppressed_within(Bounds::at_most(650.0).unwrap()),
            est.clone(),
        )
        .unwrap();
        assert_eq!(
            f.best(),
            Some(Best {
                value: 200.0,
                estimated: true
            })
        );
        assert_eq!(f.published().status(), Status::Suppressed);
        let f = Figure::with_estimate(d(10.0), est.clone()).unwrap();
        assert_eq!(f.best_value(), Some(10.0));
        assert!(f.estimate().is_none());
        let out = Figure::with_estimate(
            Cell::suppressed_within(Bounds::at_most(100.0).unwrap()),
            est,
        );
        assert!(out.is_err());
        assert_eq!(Figure::new(Cell::suppressed()).best(), None);
    }

    #[test]
    fn bounds_validate() {
        assert!(Bounds::new(5.0, Some(4.0)).is_err());
        assert!(Bounds::new(-1.0, None).is_err());
        assert_eq!(Bounds::UNKNOWN.capped(10.0).upper(), Some(10.0));
        assert_eq!(
            Bounds::new(5.0, None).unwrap().capped(2.0).upper(),
            Some(5.0)
        );
        assert_eq!(Status::Partial.as_str(), "partial");
    }

    fn arb_cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            (0.0..1e6f64).prop_map(Cell::Disclosed),
            (0.0..1e6f64, proptest::option::of(0.0..1e6f64)).prop_map(|(a, b)| {
                let upper = b.map(|b| a + b);
                Cell::Suppressed(Bounds::new(a, upper).unwrap())
            }),
        ]
    }

    proptest! {
        #[test]
        fn sum_of_disclosed_is_disclosed(xs in proptest::collection::vec(0.0..1e6f64, 0..20)) {
            let cells: Vec<Cell> = xs.iter().map(|&x| d(x)).collect();
            let s = Cell::sum(&cells);
            prop_assert_eq!(s.status(), Status::Disclosed);
            let total: f64 = xs.iter().sum();
            prop_assert!((s.disclosed_value().unwrap() - total).abs() < 1e-6);
        }

        #[test]
        fn any_suppressed_member_makes_sum_not_disclosed(
            cells in proptest::collection::vec(arb_cell(), 1..20),
            at in 0usize..20,
        ) {
            let mut cells = cells;
            let i = at % cells.len();
            cells[i] = Cell::suppressed();
            let s = Cell::sum(&cells);
            prop_assert_ne!(s.status(), Status::Disclosed);
            prop_assert_eq!(s.disclosed_value(), None);
            prop_assert!(s.missing() >= 1);
        }

        #[test]
        fn bounds_never_fall_below_the_known_part(cells in proptest::collection::vec(arb_cell(), 0..20)) {
            let s = Cell::sum(&cells);
            let known: f64 = cells.iter().filter_map(Cell::known_part).sum();
            prop_assert!(s.bounds().lower() + 1e-6 >= known);
            prop_assert!(s.bounds().upper().is_none_or(|u| u + 1e-6 >= known));
            if let Some(k) = s.known_part() {
                prop_assert!((k - known).abs() < 1e-6);
            }
        }

        #[test]
        fn bounds_contain_the_known_part_and_the_truth(
            members in proptest::collection::vec((0.0..1e6f64, proptest::bool::ANY, 0.0..1e6f64), 0..20),
        ) {
            // Suppressed QCEW cells: lower bound 0, optional residual-style upper ≥ truth.
            let cells: Vec<Cell> = members.iter().map(|&(x, hidden, slack)| if hidden {
                Cell::suppressed_within(Bounds::at_most(x + slack).unwrap())
            } else {
                d(x)
            }).collect();
            let s = Cell::sum(&cells);
            let known: f64 = members.iter().filter(|m| !m.1).map(|m| m.0).sum();
            let truth: f64 = members.iter().map(|m| m.0).sum();
            prop_assert!(s.bounds().contains(known));
            prop_assert!(s.bounds().contains(truth));
        }
    }
}
