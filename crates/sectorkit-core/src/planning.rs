//! Planning: industry issues and the prioritization that turns them into a few priorities the
//! partnership keeps.
//!
//! - [`StrategyCategory`] and [`EvidenceKind`]: closed lists of an industry issue.
//! - [`VoteMethod`], [`check_ballot`] and [`tally`]: a prioritization round by dot voting (each
//!   voter spreads at most N dots) or by ranking (a Borda count: with n issues in the round, a
//!   first place is worth n points, a last place 1). Tallies keep points by partner category so
//!   the employers' choice is visible beside everyone's.
//! - [`check_pick`]: the pick-and-stick rule. At most K priorities are active (default 3); a new
//!   one beyond K needs an active one retired (with a reason) or an explicit override (with a
//!   reason), so the list does not grow by drift.
//!
//! Everything here is a plain function of its inputs, tested with worked examples.

use crate::partners::UnknownCode;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

macro_rules! closed_list {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code stored and used in CSV files.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// Human label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == t || v.label().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| UnknownCode {
                        what: $what,
                        value: s.to_string(),
                        allowed: $name::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
                    })
            }
        }
    };
}

pub(crate) use closed_list;

closed_list!(
    /// The kind of strategy an issue calls for.
    StrategyCategory, "strategy category", {
    Recruitment => ("recruitment", "Recruitment and hiring"),
    Training => ("training", "Training and skills"),
    Pathways => ("pathways", "Career pathways and apprenticeship"),
    Retention => ("retention", "Retention and job quality"),
    Supports => ("supports", "Supportive services"),
    HrCapacity => ("hr_capacity", "Employers' HR capacity"),
    Pipeline => ("pipeline", "Youth and education pipeline"),
    Policy => ("policy", "Policy and systems change"),
    Other => ("other", "Other"),
});

closed_list!(
    /// What a piece of evidence behind an issue is: a reference, never a copy.
    EvidenceKind, "evidence kind", {
    Finding => ("finding", "Employer-voice finding"),
    Industry => ("industry", "Target-industry figures"),
    Occupation => ("occupation", "Occupation figures"),
    Note => ("note", "Note"),
});

/// How a round is voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VoteMethod {
    /// Each voter spreads at most this many dots over the issues (several on one is allowed).
    Dots(u32),
    /// Each voter ranks issues 1, 2, 3 … (not every issue need be ranked).
    Ranking,
}

impl VoteMethod {
    /// The code stored: `dots` or `ranking`.
    pub fn code(self) -> &'static str {
        match self {
            VoteMethod::Dots(_) => "dots",
            VoteMethod::Ranking => "ranking",
        }
    }
}

/// Most dots a round may give each voter.
pub const MAX_DOTS: u32 = 20;
/// Priorities active at once unless the partnership says otherwise.
pub const DEFAULT_MAX_PRIORITIES: usize = 3;

/// Why a ballot is refused; each message names the issue or the count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("issue {0} is not in this round")]
    NotInRound(i64),
    #[error("{used} dots given, but each voter has {allowed}")]
    TooManyDots { used: u32, allowed: u32 },
    #[error("issue {0} is ranked twice")]
    RankedTwice(i64),
    #[error("ranks must be 1, 2, 3 … without gaps or repeats; got {0:?}")]
    BadRanks(Vec<u32>),
    #[error("the ballot is empty: give at least one dot or rank at least one issue")]
    Empty,
}

/// Checks one voter's ballot: `(issue, value)` pairs where value is dots (dot voting, 0 skipped)
/// or a rank (ranking). Returns the ballot as points per issue (dots, or Borda points).
pub fn check_ballot(
    method: VoteMethod,
    round_issues: &[i64],
    marks: &[(i64, u32)],
) -> Result<BTreeMap<i64, u32>, BallotError> {
    let in_round: BTreeSet<i64> = round_issues.iter().copied().collect();
    for (issue, _) in marks {
        if !in_round.contains(issue) {
            return Err(BallotError::NotInRound(*issue));
        }
    }
    let mut points = BTreeMap::new();
    match method {
        VoteMethod::Dots(allowed) => {
            let used: u32 = marks.iter().map(|(_, d)| *d).sum();
            if used > allowed {
                return Err(BallotError::TooManyDots { used, allowed });
            }
            for (issue, d) in marks.iter().filter(|(_, d)| *d > 0) {
                *points.entry(*issue).or_insert(0) += d;
            }
        }
        VoteMethod::Ranking => {
            let n = in_round.len() as u32;
            let mut seen = BTreeSet::new();
            let mut ranks: Vec<u32> = Vec::new();
            for (issue, rank) in marks.iter().filter(|(_, r)| *r > 0) {
                if !seen.insert(*issue) {
                    return Err(BallotError::RankedTwice(*issue));
                }
                ranks.push(*rank);
                // First place n points … n-th place 1.
                points.insert(*issue, n + 1 - (*rank).min(n + 1));
            }
            let mut sorted = ranks.clone();
            sorted.sort_unstable();
            if sorted.iter().enumerate().any(|(i, r)| *r != i as u32 + 1) {
                return Err(BallotError::BadRanks(ranks));
            }
        }
    }
    if points.is_empty() {
        return Err(BallotError::Empty);
    }
    Ok(points)
}

/// One voter's checked ballot and the partner category they vote as ("Employer", "Education
/// and training" …, or "Not linked to an organization").
#[derive(Debug, Clone, PartialEq)]
pub struct Ballot {
    pub category: String,
    pub points: BTreeMap<i64, u32>,
}

/// The result for one issue of a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TallyRow {
    pub issue_id: i64,
    pub points: u32,
    /// Voters who gave it any points.
    pub voters: usize,
    /// Points by voter category.
    pub by_category: BTreeMap<String, u32>,
}

/// The round's results, most points first (ties by issue order in the round). Every issue of
/// the round has a row, with 0 when nobody chose it.
pub fn tally(round_issues: &[i64], ballots: &[Ballot]) -> Vec<TallyRow> {
    let mut rows: Vec<TallyRow> = round_issues
        .iter()
        .map(|&issue_id| TallyRow {
            issue_id,
            points: 0,
            voters: 0,
            by_category: BTreeMap::new(),
        })
        .collect();
    for b in ballots {
        for (issue, p) in &b.points {
            if let Some(r) = rows.iter_mut().find(|r| r.issue_id == *issue) {
                r.points += p;
                r.voters += 1;
                *r.by_category.entry(b.category.clone()).or_insert(0) += p;
            }
        }
    }
    // Stable sort keeps the round's order among ties.
    rows.sort_by_key(|r| std::cmp::Reverse(r.points));
    rows
}

/// Why priorities cannot be confirmed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PickError {
    #[error(
        "{active} priorities are active and {adding} would be added, but the partnership keeps at \
         most {max}: retire {need} of them (with a reason) or override the limit (with a reason)"
    )]
    OverLimit {
        active: usize,
        adding: usize,
        max: usize,
        need: usize,
    },
    #[error("give the reason for retiring a priority")]
    RetireWithoutReason,
    #[error("give the reason for overriding the limit of {0} priorities")]
    OverrideWithoutReason(usize),
    #[error("choose at least one issue to confirm as a priority")]
    NothingChosen,
}

/// The pick-and-stick rule: with `active` priorities kept, may `adding` more be confirmed while
/// `retiring` are retired? Retiring needs a reason; going over `max` needs an override
/// (`Some(reason)`), and an override needs a reason.
pub fn check_pick(
    active: usize,
    adding: usize,
    retiring: usize,
    retire_reason: &str,
    max: usize,
    override_reason: Option<&str>,
) -> Result<(), PickError> {
    if adding == 0 {
        return Err(PickError::NothingChosen);
    }
    if retiring > 0 && retire_reason.trim().is_empty() {
        return Err(PickError::RetireWithoutReason);
    }
    let after = active.saturating_sub(retiring) + adding;
    if after > max {
        return match override_reason {
            None => Err(PickError::OverLimit {
                active: active.saturating_sub(retiring),
                adding,
                max,
                need: after - max,
            }),
            Some(r) if r.trim().is_empty() => Err(PickError::OverrideWithoutReason(max)),
            Some(_) => Ok(()),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_count_and_are_bounded() {
        let round = [10, 11, 12];
        let p = check_ballot(VoteMethod::Dots(5), &round, &[(10, 3), (12, 2), (11, 0)]).unwrap();
        assert_eq!(p, BTreeMap::from([(10, 3), (12, 2)]));
        assert_eq!(
            check_ballot(VoteMethod::Dots(5), &round, &[(10, 4), (12, 2)]),
            Err(BallotError::TooManyDots {
                used: 6,
                allowed: 5
            })
        );
        assert_eq!(
            check_ballot(VoteMethod::Dots(5), &round, &[(99, 1)]),
            Err(BallotError::NotInRound(99))
        );
        assert_eq!(
            check_ballot(VoteMethod::Dots(5), &round, &[(10, 0)]),
            Err(BallotError::Empty)
        );
    }

    #[test]
    fn ranks_become_borda_points() {
        // Four issues: first place 4 points, second 3, third 2.
        let round = [1, 2, 3, 4];
        let p = check_ballot(VoteMethod::Ranking, &round, &[(3, 1), (1, 2), (4, 3)]).unwrap();
        assert_eq!(p, BTreeMap::from([(3, 4), (1, 3), (4, 2)]));
        assert_eq!(
            check_ballot(VoteMethod::Ranking, &round, &[(3, 1), (1, 3)]),
            Err(BallotError::BadRanks(vec![1, 3]))
        );
        assert_eq!(
            check_ballot(VoteMethod::Ranking, &round, &[(3, 1), (3, 2)]),
            Err(BallotError::RankedTwice(3))
        );
        assert_eq!(
            check_ballot(VoteMethod::Ranking, &round, &[(1, 1), (2, 1)]),
            Err(BallotError::BadRanks(vec![1, 1]))
        );
    }

    #[test]
    fn tallies_show_employers_beside_everyone() {
        let b = |cat: &str, pts: &[(i64, u32)]| Ballot {
            category: cat.into(),
            points: pts.iter().copied().collect(),
        };
        let rows = tally(
            &[1, 2, 3],
            &[
                b("Employer", &[(1, 3), (2, 2)]),
                b("Employer", &[(1, 5)]),
                b("Education and training", &[(2, 4), (3, 1)]),
            ],
        );
        assert_eq!(
            rows.iter()
                .map(|r| (r.issue_id, r.points))
                .collect::<Vec<_>>(),
            [(1, 8), (2, 6), (3, 1)]
        );
        assert_eq!(rows[0].voters, 2);
        assert_eq!(rows[1].by_category["Employer"], 2);
        assert_eq!(rows[1].by_category["Education and training"], 4);
        // Nobody chose issue 4: it still has a row, last.
        let rows = tally(&[4, 1], &[b("Employer", &[(1, 1)])]);
        assert_eq!(
            (rows[1].issue_id, rows[1].points, rows[1].voters),
            (4, 0, 0)
        );
    }

    #[test]
    fn pick_and_stick() {
        // Empty list: three may be confirmed, not four.
        assert_eq!(check_pick(0, 3, 0, "", 3, None), Ok(()));
        assert_eq!(
            check_pick(0, 4, 0, "", 3, None),
            Err(PickError::OverLimit {
                active: 0,
                adding: 4,
                max: 3,
                need: 1
            })
        );
        // Three kept: a fourth needs one retired (with a reason) or an override (with a reason).
        assert!(matches!(
            check_pick(3, 1, 0, "", 3, None),
            Err(PickError::OverLimit { need: 1, .. })
        ));
        assert_eq!(
            check_pick(3, 1, 1, "  ", 3, None),
            Err(PickError::RetireWithoutReason)
        );
        assert_eq!(
            check_pick(3, 1, 1, "Done: the program launched", 3, None),
            Ok(())
        );
        assert_eq!(
            check_pick(3, 1, 0, "", 3, Some("The governor's initiative")),
            Ok(())
        );
        assert_eq!(
            check_pick(3, 1, 0, "", 3, Some(" ")),
            Err(PickError::OverrideWithoutReason(3))
        );
        assert_eq!(
            check_pick(2, 0, 0, "", 3, None),
            Err(PickError::NothingChosen)
        );
        assert_eq!(
            PickError::OverLimit {
                active: 3,
                adding: 1,
                max: 3,
                need: 1
            }
            .to_string(),
            "3 priorities are active and 1 would be added, but the partnership keeps at most 3: \
             retire 1 of them (with a reason) or override the limit (with a reason)"
        );
    }

    #[test]
    fn lists_parse_codes_and_labels() {
        assert_eq!(
            "Training and skills".parse::<StrategyCategory>(),
            Ok(StrategyCategory::Training)
        );
        assert_eq!("hr-capacity".parse(), Ok(StrategyCategory::HrCapacity));
        assert!("x".parse::<EvidenceKind>().is_err());
    }
}
