//! The plan on a page, the roadmap, the logic model and the action plan.
//!
//! - [`PlanQuarter`]: a calendar quarter (`2027Q1`) that key actions and milestones are placed
//!   in; [`quarter_span`] lists the quarters a roadmap shows, gaps included.
//! - [`LogicKind`]: the columns of a logic model, in order: inputs, activities, outputs, short-,
//!   medium- and long-term outcomes, impact.
//! - [`check_dependency`]: an action may depend on other actions (one list: the meetings'
//!   action items and the plan's key actions are the same records); a dependency on itself or one
//!   that closes a cycle is refused, naming the cycle.
//! - [`schedule_conflicts`]: an action due before an action it depends on is due.
//!
//! Plain functions of their inputs, tested with worked examples.

use crate::codes::Period;
use crate::day::Day;
use crate::partners::UnknownCode;
use crate::planning::closed_list;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter. Orders by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PlanQuarter {
    year: i32,
    /// 1..=4
    q: u8,
}

/// Text that is not a quarter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a quarter; write it like 2027Q1 (year, Q, 1 to 4)")]
pub struct BadQuarter(pub String);

impl PlanQuarter {
    /// A quarter, or `None` unless `q` is 1..=4 and the year is in 1900..=2200.
    pub fn new(year: i32, q: u8) -> Option<PlanQuarter> {
        ((1..=4).contains(&q) && (1900..=2200).contains(&year)).then_some(PlanQuarter { year, q })
    }

    /// The quarter a day falls in.
    pub fn of(day: Day) -> PlanQuarter {
        let (y, m, _) = day.year_month_day();
        PlanQuarter {
            year: y,
            q: ((m - 1) / 3 + 1) as u8,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.q
    }

    /// The quarter after this one.
    pub fn next(self) -> PlanQuarter {
        if self.q == 4 {
            PlanQuarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            PlanQuarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }
}

impl fmt::Display for PlanQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for PlanQuarter {
    type Err = BadQuarter;
    /// `2027Q1`, `2027-Q1`, `2027q1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<Period>() {
            Ok(Period::Quarter(y, q)) => {
                PlanQuarter::new(y, q.number()).ok_or_else(|| BadQuarter(s.to_string()))
            }
            _ => Err(BadQuarter(s.to_string())),
        }
    }
}

/// Every quarter from the earliest to the latest of `quarters`, gaps included (empty for none).
/// At most `max` quarters, counted from the earliest, so a typo such as 2197Q1 cannot make a
/// roadmap of eight hundred columns; the second value says whether the span was cut.
pub fn quarter_span(
    quarters: impl IntoIterator<Item = PlanQuarter>,
    max: usize,
) -> (Vec<PlanQuarter>, bool) {
    let set: BTreeSet<PlanQuarter> = quarters.into_iter().collect();
    let (Some(&first), Some(&last)) = (set.first(), set.last()) else {
        return (Vec::new(), false);
    };
    let mut out = Vec::new();
    let mut q = first;
    while q <= last {
        if out.len() == max {
            return (out, true);
        }
        out.push(q);
        q = q.next();
    }
    (out, false)
}

closed_list!(
    /// A column of the logic model, in the order the model reads.
    LogicKind, "logic model column", {
    Input => ("input", "Inputs"),
    Activity => ("activity", "Activities"),
    Output => ("output", "Outputs"),
    ShortTerm => ("short_term", "Short-term outcomes"),
    MediumTerm => ("medium_term", "Medium-term outcomes"),
    LongTerm => ("long_term", "Long-term outcomes"),
    Impact => ("impact", "Impact"),
});

/// A refused dependency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DependencyError {
    #[error("an action cannot depend on itself")]
    SelfDependency,
    /// The path, from the action back to itself, the new dependency would close.
    #[error("that would close a cycle: {}", .0.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(" → "))]
    Cycle(Vec<i64>),
}

/// Checks that `action` may depend on `depends_on`, given the existing `edges` (action, the
/// action it depends on). Refused when it is the same action, or when `depends_on` already
/// depends, directly or not, on `action`: the error names the cycle, from `action` through
/// `depends_on` and back to `action`.
pub fn check_dependency(
    edges: &[(i64, i64)],
    action: i64,
    depends_on: i64,
) -> Result<(), DependencyError> {
    if action == depends_on {
        return Err(DependencyError::SelfDependency);
    }
    let mut next: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &(a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    // Depth-first from `depends_on`, remembering how each node was reached.
    let mut came_from: BTreeMap<i64, i64> = BTreeMap::new();
    let mut stack = vec![depends_on];
    let mut seen = BTreeSet::from([depends_on]);
    while let Some(n) = stack.pop() {
        if n == action {
            let mut path = vec![action];
            let mut cur = action;
            while cur != depends_on {
                cur = came_from[&cur];
                path.push(cur);
            }
            path.push(action);
            // path is action ← … ← depends_on, reversed: action → depends_on → … → action.
            let mut cycle = vec![action];
            cycle.extend(path[1..path.len() - 1].iter().rev());
            cycle.push(action);
            return Err(DependencyError::Cycle(cycle));
        }
        for &m in next.get(&n).into_iter().flatten() {
            if seen.insert(m) {
                came_from.insert(m, n);
                stack.push(m);
            }
        }
    }
    Ok(())
}

/// The actions due before an action they depend on: (action, the dependency due later).
/// Actions without a due date are never in conflict.
pub fn schedule_conflicts(due: &BTreeMap<i64, Day>, edges: &[(i64, i64)]) -> Vec<(i64, i64)> {
    edges
        .iter()
        .filter(|(a, b)| matches!((due.get(a), due.get(b)), (Some(da), Some(db)) if da < db))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> PlanQuarter {
        s.parse().unwrap()
    }

    #[test]
    fn quarters_parse_print_and_order() {
        assert_eq!(q("2027Q1").to_string(), "2027Q1");
        assert_eq!(q("2027-q3").to_string(), "2027Q3");
        assert!(q("2026Q4") < q("2027Q1"));
        assert_eq!(q("2026Q4").next(), q("2027Q1"));
        for bad in ["2027", "2027Q5", "27Q1", "", "Q1"] {
            assert_eq!(
                bad.parse::<PlanQuarter>(),
                Err(BadQuarter(bad.to_string())),
                "{bad}"
            );
        }
        let d = |s: &str| s.parse::<Day>().unwrap();
        assert_eq!(PlanQuarter::of(d("2027-03-31")), q("2027Q1"));
        assert_eq!(PlanQuarter::of(d("2027-04-01")), q("2027Q2"));
        assert_eq!(PlanQuarter::of(d("2027-12-31")), q("2027Q4"));
    }

    #[test]
    fn a_span_fills_gaps_and_is_bounded() {
        let (s, cut) = quarter_span([q("2027Q2"), q("2026Q4"), q("2027Q2")], 12);
        assert_eq!(
            s.iter().map(|q| q.to_string()).collect::<Vec<_>>(),
            ["2026Q4", "2027Q1", "2027Q2"]
        );
        assert!(!cut);
        let (s, cut) = quarter_span([q("2026Q1"), q("2199Q1")], 8);
        assert_eq!(s.len(), 8);
        assert!(cut);
        assert_eq!(quarter_span([], 8), (Vec::new(), false));
    }

    #[test]
    fn logic_columns_read_in_order() {
        assert_eq!(LogicKind::ALL.first(), Some(&LogicKind::Input));
        assert_eq!(LogicKind::ALL.last(), Some(&LogicKind::Impact));
        assert_eq!("Short-term outcomes".parse(), Ok(LogicKind::ShortTerm));
        assert_eq!("medium-term".parse(), Ok(LogicKind::MediumTerm));
        assert!("outcome".parse::<LogicKind>().is_err());
    }

    #[test]
    fn dependencies_refuse_self_and_cycles() {
        // 3 depends on 2, 2 depends on 1.
        let edges = [(3, 2), (2, 1)];
        assert_eq!(check_dependency(&edges, 4, 3), Ok(()));
        assert_eq!(
            check_dependency(&edges, 3, 1),
            Ok(()),
            "a shortcut is no cycle"
        );
        assert_eq!(
            check_dependency(&edges, 1, 1),
            Err(DependencyError::SelfDependency)
        );
        // 1 depending on 3 closes 1 → 3 → 2 → 1.
        let e = check_dependency(&edges, 1, 3).unwrap_err();
        assert_eq!(e, DependencyError::Cycle(vec![1, 3, 2, 1]));
        assert_eq!(e.to_string(), "that would close a cycle: #1 → #3 → #2 → #1");
        assert_eq!(
            check_dependency(&[(2, 1)], 1, 2),
            Err(DependencyError::Cycle(vec![1, 2, 1]))
        );
    }

    #[test]
    fn an_action_due_before_its_dependency_is_flagged() {
        let d = |s: &str| s.parse::<Day>().unwrap();
        let due = BTreeMap::from([
            (1, d("2027-03-01")),
            (2, d("2027-02-01")),
            (3, d("2027-06-01")),
        ]);
        // 2 depends on 1 but is due first; 3 depends on 1 and is due after; 4 has no date.
        let edges = [(2, 1), (3, 1), (4, 1)];
        assert_eq!(schedule_conflicts(&due, &edges), vec![(2, 1)]);
    }
}
