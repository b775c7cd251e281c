//! Bounds and estimates for suppressed QCEW cells (METHODS §2.2).
//!
//! Suppressed values are included in every published parent (§1.9), so a parent minus its
//! disclosed children is the total of its suppressed children: the *residual*. It bounds each
//! suppressed child (`[0, R]`) and, shared out in proportion to establishments, estimates it.
//!
//! * [`geographic_residual`] — §2.2(b): state value minus disclosed counties (and disclosed
//!   statewide-residual `SS99x` records).
//! * [`industry_residual`] — §2.2(c): parent industry minus disclosed child industries in one area.
//! * [`hierarchy_residuals`] — §2.2(c) over a whole county hierarchy, top-down, so that a suppressed
//!   parent is first estimated from its nearest disclosed ancestor ("walk up until a disclosed
//!   ancestor exists").
//! * [`region_total`] — §2.2(a): sums a region's member cells into a [`Figure`] with bounds that
//!   respect shared residuals, plus the summed estimate when every suppressed member has one.
//!
//! Every estimate carries its [`EstimateMethod`]; nothing here overwrites a published value.

use crate::codes::{IndustryLevel, Naics, parent_of};
use crate::fxhash::FxHashMap;
use crate::value::{AllocationWeight, Bounds, Cell, CellSum, Estimate, EstimateMethod, Figure};
use serde::Serialize;
use std::collections::HashMap;

/// One child (county, or child industry) of a residual parent.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualMember<K> {
    pub key: K,
    pub cell: Cell,
    /// Published establishment count of the row, the default allocation weight.
    pub establishments: Option<f64>,
}

/// The share of a residual given to one non-disclosed member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation<K> {
    pub key: K,
    /// Known part of the member (0 for a plain suppressed cell) plus its share of the residual.
    pub estimate: f64,
    /// The member's interval: its known part up to known part + residual.
    pub bounds: Bounds,
}

/// A residual and its allocation among the non-disclosed members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residual<K> {
    /// `parent − Σ disclosed members` before clamping; negative only through rounding (§1.13 #5).
    pub raw: f64,
    /// `max(raw, 0)`: the total of the suppressed members.
    pub residual: f64,
    /// Whether `raw < 0` was clamped to 0.
    pub clamped: bool,
    pub weight: AllocationWeight,
    /// One entry per non-disclosed member, in input order.
    pub allocations: Vec<Allocation<K>>,
}

/// Core of §2.2(b)/(c): `R = parent − Σ known parts`, allocated to the non-disclosed members in
/// proportion to their establishments (equal shares if any suppressed member lacks a positive
/// count, or all counts are 0).
pub fn allocate_residual<K: Clone>(parent: f64, members: &[ResidualMember<K>]) -> Residual<K> {
    let known: f64 = members.iter().filter_map(|m| m.cell.known_part()).sum();
    let raw = parent - known;
    let residual = raw.max(0.0);
    let open: Vec<&ResidualMember<K>> = members
        .iter()
        .filter(|m| m.cell.disclosed_value().is_none())
        .collect();
    let weights: Option<Vec<f64>> = open
        .iter()
        .map(|m| m.establishments.filter(|w| w.is_finite() && *w >= 0.0))
        .collect();
    let (weight, weights) = match weights {
        Some(w) if w.iter().sum::<f64>() > 0.0 => (AllocationWeight::Establishments, w),
        _ => (AllocationWeight::Equal, vec![1.0; open.len()]),
    };
    let total_w: f64 = weights.iter().sum();
    let allocations = open
        .iter()
        .zip(&weights)
        .map(|(m, w)| {
            let k = m.cell.known_part().unwrap_or(0.0);
            let share = if total_w > 0.0 {
                residual * w / total_w
            } else {
                0.0
            };
            let bounds = Bounds::new(k, Some(k + residual)).unwrap_or(Bounds::UNKNOWN);
            Allocation {
                key: m.key.clone(),
                estimate: k + share,
                bounds,
            }
        })
        .collect();
    Residual {
        raw,
        residual,
        clamped: raw < 0.0,
        weight,
        allocations,
    }
}

/// An estimate of one suppressed cell together with the interval it must lie in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellEstimate {
    /// `None` when bounds could be derived but no value to allocate (the parent is unknown).
    pub estimate: Option<Estimate>,
    pub bounds: Bounds,
}

/// §2.2(b) geographic residual for one industry and ownership in one state: `state_value` is the
/// disclosed state cell; `members` are **all** the state's county cells with a row for that
/// industry plus its `SS99x` statewide-residual cells (a disclosed `SS999` is subtracted; a
/// suppressed one shares the residual). Counties without a row are true zeros and may be omitted.
///
/// Returns the residual and, for each non-disclosed member, its estimate (labelled
/// [`EstimateMethod::GeographicResidual`]) and bounds `[0, R]`.
pub fn geographic_residual<K: Clone>(
    state_value: f64,
    members: &[ResidualMember<K>],
) -> (Residual<K>, Vec<(K, CellEstimate)>) {
    let r = allocate_residual(state_value, members);
    let method = EstimateMethod::GeographicResidual {
        weight: r.weight,
        clamped: r.clamped,
    };
    let out = r
        .allocations
        .iter()
        .map(|a| {
            (
                a.key.clone(),
                CellEstimate {
                    estimate: Some(Estimate {
                        value: a.estimate,
                        method: method.clone(),
                    }),
                    bounds: a.bounds,
                },
            )
        })
        .collect();
    (r, out)
}

/// §2.2(c) industry residual within one area: `parent_value` is the parent industry's value
/// (published, or an estimate if `parent_estimated`), `children` its child industries at one
/// level. Bounds `[0, R]` are valid only for a published parent; for an estimated parent the
/// returned bounds are `[0, ∞)` (use [`hierarchy_residuals`], which propagates upper bounds).
pub fn industry_residual(
    parent: &Naics,
    parent_value: f64,
    parent_estimated: bool,
    children: &[ResidualMember<Naics>],
) -> (Residual<Naics>, Vec<(Naics, CellEstimate)>) {
    let r = allocate_residual(parent_value, children);
    let method = EstimateMethod::IndustryResidual {
        parent: parent.clone(),
        parent_estimated,
        weight: r.weight,
        clamped: r.clamped,
    };
    let out = r
        .allocations
        .iter()
        .map(|a| {
            (
                a.key.clone(),
                CellEstimate {
                    estimate: Some(Estimate {
                        value: a.estimate,
                        method: method.clone(),
                    }),
                    bounds: if parent_estimated {
                        Bounds::UNKNOWN
                    } else {
                        a.bounds
                    },
                },
            )
        })
        .collect();
    (r, out)
}

/// One cell of an area's industry hierarchy (one ownership, one period).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HierarchyCell {
    pub cell: Cell,
    pub establishments: Option<f64>,
}

/// §2.2(c) over a whole hierarchy of one area, ownership and period, down to `deepest`.
///
/// Works top-down (total → domain → supersector → sector → 3 → … digits): each parent's value is
/// its published value or, if suppressed, the estimate already made for it, so a suppressed cell is
/// ultimately estimated from its nearest disclosed ancestor. Each code's parent is its nearest
/// ancestor *present* in `cells` (so absent intermediate levels are skipped over). Upper bounds are
/// propagated too: a child is at most its parent's upper bound minus its disclosed siblings.
///
/// `cells` should hold the complete hierarchy of the area (QCEW publishes every level, and an
/// absent row is a true zero); codes deeper than `deepest` are ignored. Returns an entry for every
/// non-disclosed code for which an estimate or a finite bound was found.
pub fn hierarchy_residuals<'n>(
    cells: impl IntoIterator<Item = (&'n Naics, HierarchyCell)>,
    deepest: IndustryLevel,
) -> HashMap<Naics, CellEstimate> {
    let h = Hierarchy::new(cells.into_iter().collect(), deepest);
    h.estimates(|c| *c)
        .into_iter()
        .map(|(k, v)| (k.clone(), v))
        .collect()
}

/// The parent/child structure of one area's industry hierarchy, built once and shared by the
/// area's measures (employment, establishments, wages). `T` is the caller's per-code payload.
pub(crate) struct Hierarchy<'n, T> {
    /// Items sorted shallowest level first.
    items: Vec<(&'n Naics, T)>,
    /// Children of each item (by index), by nearest present ancestor.
    children: Vec<Vec<usize>>,
}

impl<'n, T> Hierarchy<'n, T> {
    pub(crate) fn new(items: Vec<(&'n Naics, T)>, deepest: IndustryLevel) -> Self {
        // Parents must come before children: bucket by level (order within a level is
        // irrelevant, each parent's children form an independent group).
        let mut buckets: [Vec<(&'n Naics, T)>; 8] = Default::default();
        for (c, t) in items {
            let l = c.level();
            if l <= deepest {
                buckets[l as usize].push((c, t));
            }
        }
        let items: Vec<(&'n Naics, T)> = buckets.into_iter().flatten().collect();
        let pos: FxHashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (c.as_str(), i))
            .collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        for (i, (c, _)) in items.iter().enumerate() {
            let mut up = parent_of(c.as_str());
            while let Some(p) = up {
                if let Some(&j) = pos.get(p) {
                    children[j].push(i);
                    break;
                }
                up = parent_of(p);
            }
        }
        Hierarchy { items, children }
    }

    /// Top-down residual estimates and bounds of the non-disclosed codes, for the measure that
    /// `cell` extracts from each payload.
    pub(crate) fn estimates(
        &self,
        cell: impl Fn(&T) -> HierarchyCell,
    ) -> FxHashMap<&'n Naics, CellEstimate> {
        let cells: Vec<HierarchyCell> = self.items.iter().map(|(_, t)| cell(t)).collect();
        // Per code: (value, estimated, upper bound); disclosed codes are known exactly.
        let mut known: Vec<(Option<f64>, bool, Option<f64>)> = cells
            .iter()
            .map(|h| {
                let v = h.cell.disclosed_value();
                (v, false, v)
            })
            .collect();
        let mut out = FxHashMap::default();
        for (p, kids) in self.children.iter().enumerate() {
            if kids
                .iter()
                .all(|&k| cells[k].cell.disclosed_value().is_some())
            {
                continue;
            }
            let (pv, p_est, p_upper) = known[p];
            let members: Vec<ResidualMember<usize>> = kids
                .iter()
                .map(|&k| ResidualMember {
                    key: k,
                    cell: cells[k].cell,
                    establishments: cells[k].establishments,
                })
                .collect();
            let disclosed: f64 = members.iter().filter_map(|m| m.cell.known_part()).sum();
            let child_upper = p_upper.map(|u| (u - disclosed).max(0.0));
            // Allocations come back in input order of the non-disclosed members.
            let residual = pv.map(|v| allocate_residual(v, &members));
            let method = residual.as_ref().map(|r| EstimateMethod::IndustryResidual {
                parent: self.items[p].0.clone(),
                parent_estimated: p_est,
                weight: r.weight,
                clamped: r.clamped,
            });
            let mut allocations = residual.iter().flat_map(|r| r.allocations.iter());
            for m in members
                .iter()
                .filter(|m| m.cell.disclosed_value().is_none())
            {
                let own_known = m.cell.known_part().unwrap_or(0.0);
                let mut bounds = m.cell.bounds();
                if let Some(u) = child_upper {
                    bounds = bounds.capped(own_known + u);
                }
                // Keep the estimate inside the propagated bounds (both derive from the same
                // parent chain, so this only trims floating noise or clamped residuals).
                let estimate = allocations.next().zip(method.as_ref()).map(|(a, method)| {
                    let mut value = a.estimate.max(bounds.lower());
                    if let Some(u) = bounds.upper() {
                        value = value.min(u);
                    }
                    Estimate {
                        value,
                        method: method.clone(),
                    }
                });
                known[m.key] = (estimate.as_ref().map(|e| e.value), true, bounds.upper());
                if estimate.is_some() || bounds.upper().is_some() {
                    out.insert(self.items[m.key].0, CellEstimate { estimate, bounds });
                }
            }
        }
        out
    }
}

/// The cells §2.2(c) needs to estimate a few industries: each requested code, its chain of
/// ancestors up to `10`, and the children of every code of that chain (the requested code's
/// siblings and its ancestors' siblings, which the top-down residual subtracts).
///
/// Residuals computed from only these cells equal those computed from the whole hierarchy for
/// the requested codes: a residual uses its parent's value (published, or estimated from the
/// parent's own chain) and the cells of the parent's children, and every parent leading to a
/// requested code is in the chain. This relies on QCEW publishing every level of an area (a
/// code's parent row exists whenever the code's does, as BLS's files do); the hierarchy's
/// completeness check still runs over what is kept. Geographic residuals use one code across
/// areas, so they are unaffected. Ranks, the Hachman index and shares of a table built from a
/// branch cover only its rows: a branch is for reading the requested codes' figures.
#[derive(Debug, Clone, Default)]
pub struct EstimationBranch {
    chain: crate::fxhash::FxHashSet<String>,
}

impl EstimationBranch {
    pub fn new<'c>(codes: impl IntoIterator<Item = &'c Naics>) -> EstimationBranch {
        let mut chain = crate::fxhash::FxHashSet::default();
        for c in codes {
            chain.insert(c.as_str().to_string());
            for a in c.ancestors() {
                chain.insert(a.as_str().to_string());
            }
        }
        EstimationBranch { chain }
    }

    /// Whether the branch needs the cells of `code` (a QCEW industry code's text; text that is
    /// not a code is not needed).
    pub fn contains(&self, code: &str) -> bool {
        if self.chain.contains(code) {
            return true;
        }
        crate::codes::is_code(code) && parent_of(code).is_some_and(|p| self.chain.contains(p))
    }
}

/// One member county of a region, for [`region_total`].
#[derive(Debug, Clone, PartialEq)]
pub struct RegionMember {
    /// The published cell, with whatever bounds are known for it.
    pub cell: Cell,
    /// An estimate of the cell if it is not disclosed.
    pub estimate: Option<Estimate>,
    /// A group of suppressed members whose total is capped jointly (members of one state sharing
    /// one geographic residual): `(group id, cap)`.
    pub shared_cap: Option<(u32, f64)>,
}

/// Sums a region's members (§2.1, §2.2(a)): the published sum as a [`Cell`] whose bounds use every
/// known cap, and — if every non-disclosed member has an estimate — the summed estimate labelled
/// [`EstimateMethod::RegionSum`].
///
/// Bounds: lower = Σ known parts + Σ lower bounds; upper = Σ known parts + Σ per-group
/// `min(Σ member uppers, group cap)`; unbounded if some non-disclosed member has no upper bound.
pub fn region_total(members: &[RegionMember]) -> Figure {
    let mut sum = CellSum::new();
    for m in members {
        sum.add(&m.cell);
    }
    let published = sum.finish();
    if published.disclosed_value().is_some() {
        return Figure::new(published);
    }
    // Tighten the upper bound with shared caps.
    let known: f64 = members.iter().filter_map(|m| m.cell.known_part()).sum();
    // Per shared-cap group: (id, Σ extra upper, cap, any unbounded). Few groups: a Vec suffices.
    let mut groups: Vec<(u32, f64, f64, bool)> = Vec::new();
    let mut loose = Some(0.0);
    for m in members
        .iter()
        .filter(|m| m.cell.disclosed_value().is_none())
    {
        let k = m.cell.known_part().unwrap_or(0.0);
        let extra = m.cell.bounds().upper().map(|u| u - k);
        match m.shared_cap {
            Some((g, cap)) => {
                let i = match groups.iter().position(|e| e.0 == g) {
                    Some(i) => i,
                    None => {
                        groups.push((g, 0.0, cap, false));
                        groups.len() - 1
                    }
                };
                let e = &mut groups[i];
                e.2 = e.2.min(cap);
                match extra {
                    Some(x) => e.1 += x,
                    None => e.3 = true,
                }
            }
            None => loose = loose.zip(extra).map(|(a, b)| a + b),
        }
    }
    let grouped: f64 = groups
        .iter()
        .map(|&(_, s, cap, unb)| if unb { cap } else { s.min(cap) })
        .sum();
    let mut cell = published;
    if let Some(l) = loose {
        cell = cell.capped(known + l + grouped);
    }
    let ests: Option<Vec<&Estimate>> = members
        .iter()
        .filter(|m| m.cell.disclosed_value().is_none())
        .map(|m| m.estimate.as_ref())
        .collect();
    let Some(ests) = ests else {
        return Figure::new(cell);
    };
    let (mut geo, mut ind) = (0u32, 0u32);
    let mut value = members
        .iter()
        .filter_map(|m| m.cell.disclosed_value())
        .sum::<f64>();
    for e in &ests {
        value += e.value;
        match &e.method {
            EstimateMethod::GeographicResidual { .. } => geo += 1,
            EstimateMethod::IndustryResidual { .. } => ind += 1,
            EstimateMethod::RegionSum {
                geographic,
                industry,
            } => {
                geo += geographic;
                ind += industry;
            }
        }
    }
    let b = cell.bounds();
    value = value.max(b.lower());
    if let Some(u) = b.upper() {
        value = value.min(u);
    }
    let est = Estimate {
        value,
        method: EstimateMethod::RegionSum {
            geographic: geo,
            industry: ind,
        },
    };
    Figure::with_estimate(cell, est).unwrap_or_else(|_| Figure::new(cell))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::AreaFips;
    use crate::value::Status;
    use proptest::prelude::*;

    fn d(x: f64) -> Cell {
        Cell::disclosed(x).unwrap()
    }
    fn n(s: &str) -> Naics {
        s.parse().unwrap()
    }
    fn a(s: &str) -> AreaFips {
        s.parse().unwrap()
    }

    #[test]
    #[allow(non_snake_case)]
    fn SUPP_GEO_1() {
        let members = vec![
            ResidualMember {
                key: a("39001"),
                cell: d(300.0),
                establishments: Some(20.0),
            },
            ResidualMember {
                key: a("39003"),
                cell: Cell::suppressed(),
                establishments: Some(4.0),
            },
            ResidualMember {
                key: a("39005"),
                cell: Cell::suppressed(),
                establishments: Some(9.0),
            },
            ResidualMember {
                key: a("39999"),
                cell: d(50.0),
                establishments: Some(3.0),
            },
        ];
        let (r, est) = geographic_residual(1_000.0, &members);
        assert_eq!(r.residual, 650.0);
        assert_eq!(r.weight, AllocationWeight::Establishments);
        assert_eq!(est.len(), 2);
        let b = &est[0].1;
        let c = &est[1].1;
        assert!((b.estimate.as_ref().unwrap().value - 200.0).abs() < 1e-9);
        assert!((c.estimate.as_ref().unwrap().value - 450.0).abs() < 1e-9);
        assert_eq!(b.bounds, Bounds::at_most(650.0).unwrap());
        assert_eq!(
            b.estimate.as_ref().unwrap().method.as_str(),
            "geographic_residual"
        );

        // Region {A, B}: estimate 500, bounds [300, 950].
        let region = region_total(&[
            RegionMember {
                cell: d(300.0),
                estimate: None,
                shared_cap: None,
            },
            RegionMember {
                cell: Cell::suppressed_within(b.bounds),
                estimate: b.estimate.clone(),
                shared_cap: Some((39, r.residual)),
            },
        ]);
        assert_eq!(region.status(), Status::Partial);
        assert_eq!(
            region.published().bounds(),
            Bounds::new(300.0, Some(950.0)).unwrap()
        );
        let best = region.best().unwrap();
        assert!(best.estimated);
        assert!((best.value - 500.0).abs() < 1e-9);
        assert_eq!(
            region.estimate().unwrap().method,
            EstimateMethod::RegionSum {
                geographic: 1,
                industry: 0
            }
        );

        // Region {A, B, C}: the shared residual caps B + C jointly at 650, not 1,300.
        let region = region_total(&[
            RegionMember {
                cell: d(300.0),
                estimate: None,
                shared_cap: None,
            },
            RegionMember {
                cell: Cell::suppressed_within(b.bounds),
                estimate: b.estimate.clone(),
                shared_cap: Some((39, 650.0)),
            },
            RegionMember {
                cell: Cell::suppressed_within(c.bounds),
                estimate: c.estimate.clone(),
                shared_cap: Some((39, 650.0)),
            },
        ]);
        assert_eq!(region.published().bounds().upper(), Some(950.0));
        assert!((region.best_value().unwrap() - 950.0).abs() < 1e-9);
    }

    #[test]
    #[allow(non_snake_case)]
    fn SUPP_IND_1() {
        let mut children = vec![
            ResidualMember {
                key: n("3361"),
                cell: Cell::suppressed(),
                establishments: Some(2.0),
            },
            ResidualMember {
                key: n("3362"),
                cell: d(150.0),
                establishments: Some(5.0),
            },
            ResidualMember {
                key: n("3363"),
                cell: Cell::suppressed(),
                establishments: Some(3.0),
            },
        ];
        // 3364–3369 disclosed, summing to 250.
        for (code, v) in [
            ("3364", 100.0),
            ("3365", 50.0),
            ("3366", 60.0),
            ("3369", 40.0),
        ] {
            children.push(ResidualMember {
                key: n(code),
                cell: d(v),
                establishments: Some(4.0),
            });
        }
        let (r, est) = industry_residual(&n("336"), 900.0, false, &children);
        assert_eq!(r.residual, 500.0);
        let got: Vec<(String, f64)> = est
            .iter()
            .map(|(k, e)| (k.to_string(), e.estimate.as_ref().unwrap().value))
            .collect();
        assert_eq!(
            got,
            vec![("3361".to_string(), 200.0), ("3363".to_string(), 300.0)]
        );
        assert_eq!(est[0].1.bounds.upper(), Some(500.0));

        // The same through the top-down hierarchy walk.
        let mut cells: HashMap<Naics, HierarchyCell> = children
            .iter()
            .map(|m| {
                (
                    m.key.clone(),
                    HierarchyCell {
                        cell: m.cell,
                        establishments: m.establishments,
                    },
                )
            })
            .collect();
        cells.insert(
            n("336"),
            HierarchyCell {
                cell: d(900.0),
                establishments: Some(30.0),
            },
        );
        let h = hierarchy_residuals(cells.iter().map(|(k, v)| (k, *v)), IndustryLevel::Naics4);
        assert!((h[&n("3361")].estimate.as_ref().unwrap().value - 200.0).abs() < 1e-9);
        assert!((h[&n("3363")].estimate.as_ref().unwrap().value - 300.0).abs() < 1e-9);
        assert_eq!(h[&n("3363")].bounds.upper(), Some(500.0));
    }

    #[test]
    fn hierarchy_walks_up_to_a_disclosed_ancestor() {
        // 31-33 = 1,000 disclosed; 336 suppressed (10 estabs), 311 = 400 disclosed,
        // 312 suppressed (10 estabs). Under 336: 3361 = 100 disclosed, 3362 suppressed.
        let cells: HashMap<Naics, HierarchyCell> = [
            ("31-33", d(1_000.0), 40.0),
            ("311", d(400.0), 20.0),
            ("312", Cell::suppressed(), 10.0),
            ("336", Cell::suppressed(), 10.0),
            ("3361", d(100.0), 6.0),
            ("3362", Cell::suppressed(), 4.0),
        ]
        .into_iter()
        .map(|(c, cell, e)| {
            (
                n(c),
                HierarchyCell {
                    cell,
                    establishments: Some(e),
                },
            )
        })
        .collect();
        let h = hierarchy_residuals(cells.iter().map(|(k, v)| (k, *v)), IndustryLevel::Naics4);
        // 600 split 10:10 → 336 ≈ 300; then 3362 = 300 − 100 = 200.
        let e336 = &h[&n("336")];
        assert!((e336.estimate.as_ref().unwrap().value - 300.0).abs() < 1e-9);
        assert_eq!(e336.bounds.upper(), Some(600.0));
        let e3362 = &h[&n("3362")];
        assert!((e3362.estimate.as_ref().unwrap().value - 200.0).abs() < 1e-9);
        assert_eq!(e3362.bounds.upper(), Some(500.0));
        match &e3362.estimate.as_ref().unwrap().method {
            EstimateMethod::IndustryResidual {
                parent,
                parent_estimated,
                ..
            } => {
                assert_eq!(parent.as_str(), "336");
                assert!(*parent_estimated);
            }
            m => panic!("{m:?}"),
        }
    }

    #[test]
    fn negative_residual_is_clamped_and_equal_weights_fallback() {
        let m = vec![
            ResidualMember {
                key: 1,
                cell: d(105.0),
                establishments: None,
            },
            ResidualMember {
                key: 2,
                cell: Cell::suppressed(),
                establishments: None,
            },
            ResidualMember {
                key: 3,
                cell: Cell::suppressed(),
                establishments: Some(2.0),
            },
        ];
        let r = allocate_residual(100.0, &m);
        assert!(r.clamped);
        assert_eq!(r.residual, 0.0);
        assert_eq!(r.weight, AllocationWeight::Equal);
        assert!(r.allocations.iter().all(|a| a.estimate == 0.0));
    }

    proptest! {
        #[test]
        fn geographic_estimates_add_up_and_stay_in_bounds(
            disclosed in proptest::collection::vec(0.0..1e4f64, 0..6),
            suppressed in proptest::collection::vec((0.0..1e4f64, 0.0..50f64), 1..6),
        ) {
            let truth: f64 = disclosed.iter().sum::<f64>() + suppressed.iter().map(|s| s.0).sum::<f64>();
            let mut members = Vec::new();
            for (i, &x) in disclosed.iter().enumerate() {
                members.push(ResidualMember { key: i, cell: d(x), establishments: Some(1.0) });
            }
            for (i, &(_, e)) in suppressed.iter().enumerate() {
                members.push(ResidualMember { key: 100 + i, cell: Cell::suppressed(), establishments: Some(e) });
            }
            let (r, est) = geographic_residual(truth, &members);
            let hidden: f64 = suppressed.iter().map(|s| s.0).sum();
            prop_assert!((r.residual - hidden).abs() < 1e-6);
            let sum: f64 = est.iter().map(|(_, e)| e.estimate.as_ref().unwrap().value).sum();
            prop_assert!((sum - hidden).abs() < 1e-6);
            for ((_, e), &(true_v, _)) in est.iter().zip(&suppressed) {
                prop_assert!(e.bounds.contains(true_v));
                prop_assert!(e.bounds.contains(e.estimate.as_ref().unwrap().value));
            }
        }

        #[test]
        fn region_bounds_contain_truth(
            vals in proptest::collection::vec((0.0..1e4f64, proptest::bool::ANY), 1..8),
        ) {
            // Members of one state; the hidden ones share one residual.
            let hidden: f64 = vals.iter().filter(|v| v.1).map(|v| v.0).sum();
            let truth: f64 = vals.iter().map(|v| v.0).sum();
            let members: Vec<RegionMember> = vals.iter().map(|&(x, h)| if h {
                RegionMember {
                    cell: Cell::suppressed_within(Bounds::at_most(hidden).unwrap()),
                    estimate: None,
                    shared_cap: Some((1, hidden)),
                }
            } else {
                RegionMember { cell: d(x), estimate: None, shared_cap: None }
            }).collect();
            let f = region_total(&members);
            prop_assert!(f.published().bounds().contains(truth));
            let known: f64 = vals.iter().filter(|v| !v.1).map(|v| v.0).sum();
            prop_assert!(f.published().bounds().contains(known));
        }
    }
}
