//! Funding: money in whole cents, the closed lists of funding streams, phases and commitments,
//! and the braided budget — which streams pay for which budget lines, what is left unfunded,
//! and the warnings a budget raises (over-allocated lines, over-committed or expiring streams,
//! allocations naming ids that do not exist).
//!
//! Everything here is a plain computation over typed values: no IO. The braid reconciles
//! exactly in cents: funded-by-stream plus unfunded equals the sum of the line amounts (see
//! [`braid`] for how an over-allocated line's excess is attributed).

use crate::day::Day;
use crate::partners::UnknownCode;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

/// An amount of money in whole cents, never negative.
///
/// Budget lines, streams, allocations and commitments are all amounts that cannot be below zero,
/// so the only constructors ([`Money::from_cents`], [`Money::parse`]) refuse negatives.
/// Arithmetic is explicit about overflow: [`Money::checked_add`] returns `None`,
/// [`Money::saturating_add`] and the [`Sum`](std::iter::Sum) impl (summed in `i128`) stop at
/// [`Money::MAX`] (about $92 quadrillion), and [`Money::saturating_sub`] stops at zero. There is
/// deliberately no `Add` operator that could panic. Serialized as the integer number of cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Money(i64);

/// A text that is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount given: write one such as 1,234.56")]
    Empty,
    #[error("{0:?} is negative: amounts cannot be negative")]
    Negative(String),
    #[error("{0:?} has more than two decimals: amounts are in whole cents")]
    TooManyDecimals(String),
    #[error("{0:?} is not an amount: write it as 1234, 1,234.56 or $1,234.56")]
    NotAnAmount(String),
    #[error("{0:?} is too large an amount")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);
    pub const MAX: Money = Money(i64::MAX);

    /// The amount of `cents` cents, or `None` if it is negative.
    pub fn from_cents(cents: i64) -> Option<Money> {
        (cents >= 0).then_some(Money(cents))
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` past [`Money::MAX`].
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self + other`, stopping at [`Money::MAX`].
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// `self - other`, stopping at zero.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money((self.0 - other.0).max(0))
    }

    /// An `i128` sum of cents clamped into `0..=MAX`.
    fn clamped(cents: i128) -> Money {
        Money(cents.clamp(0, i64::MAX as i128) as i64)
    }

    /// Reads an amount: digits with optional thousands commas (`1,234`), an optional `$` in
    /// front, up to two decimals, spaces around. Refuses negatives, more than two decimals,
    /// anything else, amounts past [`Money::MAX`], and the empty text.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        let body = t.strip_prefix('$').unwrap_or(t);
        if t.starts_with(['-', '−']) || body.starts_with(['-', '−']) {
            return Err(MoneyError::Negative(text.to_string()));
        }
        let bad = || MoneyError::NotAnAmount(text.to_string());
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let frac_cents = match frac {
            None => 0,
            Some(f) if !digits(f) => return Err(bad()),
            Some(f) if f.len() > 2 => return Err(MoneyError::TooManyDecimals(text.to_string())),
            Some(f) => f.parse::<i64>().map_err(|_| bad())? * if f.len() == 1 { 10 } else { 1 },
        };
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        let grouped_ok = if int.contains(',') {
            first.len() <= 3 && digits(first) && groups.all(|g| g.len() == 3 && digits(g))
        } else {
            digits(int) || (int.is_empty() && frac.is_some())
        };
        if !grouped_ok {
            return Err(bad());
        }
        let int: String = int.chars().filter(char::is_ascii_digit).collect();
        let dollars = if int.is_empty() {
            Ok(0)
        } else {
            int.parse::<i64>()
        };
        dollars
            .ok()
            .and_then(|d| d.checked_mul(100)?.checked_add(frac_cents))
            .map(Money)
            .ok_or_else(|| MoneyError::TooLarge(text.to_string()))
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

/// `$1,234.56`: always two decimals, commas between thousands. Honours width and alignment.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dollars = (self.0 / 100).to_string();
        let mut s = String::with_capacity(dollars.len() + 8);
        s.push('$');
        for (i, c) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                s.push(',');
            }
            s.push(c);
        }
        s.push_str(&format!(".{:02}", self.0 % 100));
        f.pad(&s)
    }
}

/// Sums in `i128`, stopping at [`Money::MAX`].
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money::clamped(iter.map(|m| i128::from(m.0)).sum())
    }
}

/// The closed-list enums of this module (a private copy of the macro in `engagement.rs`).
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
                let label = s.trim().to_lowercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|c| c.code() == t || c.label().to_lowercase() == label)
                    .ok_or_else(|| UnknownCode {
                        what: $what,
                        value: s.to_string(),
                        allowed: $name::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

closed_list!(
    /// Where a funding stream's money comes from.
    StreamKind, "funding stream type", {
    Federal => ("federal", "Federal"),
    State => ("state", "State"),
    Local => ("local", "Local"),
    Philanthropy => ("philanthropy", "Private / philanthropy"),
    Employer => ("employer", "Employer"),
    InKind => ("in_kind", "In-kind"),
});

closed_list!(
    /// The phase of the partnership a budget line belongs to; `Ord` follows the life cycle.
    Phase, "phase", {
    Planning => ("planning", "Planning"),
    Launch => ("launch", "Launch"),
    Implementation => ("implementation", "Implementation"),
    Sustaining => ("sustaining", "Sustaining"),
});

closed_list!(
    /// What a partner commits: money, or goods and time.
    CommitmentKind, "commitment type", {
    Cash => ("cash", "Cash"),
    InKind => ("in_kind", "In-kind"),
});

closed_list!(
    /// How far a commitment has come, from a promise to money in hand.
    CommitmentStatus, "commitment status", {
    Pledged => ("pledged", "Pledged"),
    Committed => ("committed", "Committed"),
    Received => ("received", "Received"),
});

/// A stream ending within this many days (and not yet ended) is flagged as expiring.
pub const DEFAULT_EXPIRING_WITHIN_DAYS: i32 = 180;

/// A funding stream: a grant, an appropriation, a gift, an employer's contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stream {
    pub id: i64,
    pub name: String,
    pub kind: StreamKind,
    pub available: Money,
    /// The last day the money can be spent, if it has one.
    pub ends_on: Option<Day>,
}

/// A line of the budget: something the partnership needs to pay for in a phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetLine {
    pub id: i64,
    pub phase: Phase,
    pub name: String,
    pub amount: Money,
}

/// An amount of a stream put toward a budget line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    pub line_id: i64,
    pub stream_id: i64,
    pub amount: Money,
}

/// How one budget line is funded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineFunding {
    pub line_id: i64,
    pub phase: Phase,
    pub name: String,
    pub amount: Money,
    /// Everything allocated to the line (from known streams).
    pub allocated: Money,
    /// The part of `allocated` that counts as funding: at most `amount`.
    pub funded: Money,
    /// `amount - funded`.
    pub unfunded: Money,
    /// `allocated - funded`: allocations beyond the line amount, not counted as funding.
    pub over_allocated: Money,
}

/// How one funding stream is used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamUse {
    pub stream_id: i64,
    pub name: String,
    pub kind: StreamKind,
    pub available: Money,
    /// Everything allocated from the stream to known lines, the excess on over-allocated lines
    /// included (it is still asked of the stream).
    pub allocated: Money,
    /// The part of `allocated` that funds lines (after capping each line at its amount).
    pub funded: Money,
    /// `available - allocated`, zero when over-committed.
    pub remaining: Money,
    /// `allocated > available`.
    pub over_committed: bool,
    /// Days from today to `ends_on` (negative once past), if the stream has an end.
    pub days_left: Option<i32>,
    /// Ends within the expiring window and not already past.
    pub expiring: bool,
    /// Ended before today.
    pub expired: bool,
}

/// The totals of one phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseTotals {
    pub phase: Phase,
    pub amount: Money,
    pub funded: Money,
    pub unfunded: Money,
}

/// One row of the phase × stream matrix: `cells[i]` is what `Braid::streams[i]` funds in the
/// phase. The cells of a row add up to the phase's `funded`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    pub phase: Phase,
    pub cells: Vec<Money>,
}

/// A problem or warning raised by a braided budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum BudgetFlag {
    /// Allocations beyond the line amount, by `excess` (not counted as funding).
    OverAllocatedLine {
        line_id: i64,
        name: String,
        excess: Money,
    },
    /// More allocated from the stream than it has available, by `over_by`.
    OverCommittedStream {
        stream_id: i64,
        name: String,
        over_by: Money,
    },
    StreamExpiring {
        stream_id: i64,
        name: String,
        days_left: i32,
    },
    StreamExpired {
        stream_id: i64,
        name: String,
        ends_on: Day,
    },
    /// An allocation names a line that is not in the budget.
    UnknownLine {
        line_id: i64,
        stream_id: i64,
        amount: Money,
    },
    /// An allocation names a stream that is not among the streams.
    UnknownStream {
        stream_id: i64,
        line_id: i64,
        amount: Money,
    },
}

impl BudgetFlag {
    /// The flag in plain words, naming the line or stream.
    pub fn message(&self) -> String {
        use BudgetFlag::*;
        match self {
            OverAllocatedLine { name, excess, .. } => format!(
                "Line “{name}” is over-allocated by {excess}: the excess is not counted as funding."
            ),
            OverCommittedStream { name, over_by, .. } => format!(
                "Stream “{name}” is over-committed by {over_by}: more is allocated than it has available."
            ),
            StreamExpiring {
                name, days_left, ..
            } => {
                let when = match days_left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    d => format!("in {d} days"),
                };
                format!("Stream “{name}” ends {when}: plan what replaces it.")
            }
            StreamExpired { name, ends_on, .. } => {
                format!(
                    "Stream “{name}” ended on {ends_on}: the lines it pays for need another source."
                )
            }
            UnknownLine {
                line_id,
                stream_id,
                amount,
            } => format!(
                "An allocation of {amount} from stream {stream_id} names line {line_id}, which is not in the budget: it is not counted."
            ),
            UnknownStream {
                stream_id,
                line_id,
                amount,
            } => format!(
                "An allocation of {amount} to line {line_id} names stream {stream_id}, which is not a funding stream: it is not counted."
            ),
        }
    }
}

/// The braided budget: lines, streams, phase totals, the phase × stream matrix and the flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Braid {
    /// In input order.
    pub lines: Vec<LineFunding>,
    /// In input order; also the column order of `matrix`.
    pub streams: Vec<StreamUse>,
    /// Every phase, in [`Phase`] order (zeros for a phase without lines).
    pub phases: Vec<PhaseTotals>,
    /// One row per phase, in [`Phase`] order.
    pub matrix: Vec<MatrixRow>,
    /// The sum of the line amounts.
    pub total: Money,
    /// The sum of the funded amounts (= the sum of the streams' `funded`).
    pub funded: Money,
    /// `total - funded`.
    pub unfunded: Money,
    /// Unknown ids (in allocation order), then over-allocated lines (in line order), then
    /// over-committed, expiring and expired streams (in stream order).
    pub flags: Vec<BudgetFlag>,
}

impl Braid {
    /// What stream `stream_id` funds in `phase` (`None` for an unknown stream).
    pub fn cell(&self, phase: Phase, stream_id: i64) -> Option<Money> {
        let col = self.streams.iter().position(|s| s.stream_id == stream_id)?;
        let row = self.matrix.iter().find(|r| r.phase == phase)?;
        row.cells.get(col).copied()
    }
}

/// Braids the streams into the budget lines.
///
/// **Capping rule.** Allocations are applied in input order. Each one funds its line up to what
/// the line still lacks; whatever goes beyond the line amount is the line's over-allocation,
/// flagged ([`BudgetFlag::OverAllocatedLine`]) but not counted as funding — not for the line,
/// its phase, the matrix, nor the stream whose allocation overflowed (that stream's `allocated`
/// still includes it, since the money is asked of the stream). So, exactly in cents:
///
/// `Σ streams.funded + unfunded == Σ phases.amount == total == Σ lines.amount`, and each matrix
/// row adds up to its phase's `funded`.
///
/// Allocations naming an unknown line or stream are flagged and otherwise ignored. Ids should be
/// unique; if one repeats, allocations go to the first line or stream with it. Sums are kept in
/// `i128`; figures past [`Money::MAX`] saturate (the reconciliation is exact below that).
pub fn braid(
    streams: &[Stream],
    lines: &[BudgetLine],
    allocations: &[Allocation],
    today: Day,
    expiring_within_days: i32,
) -> Braid {
    let mut line_at = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        line_at.entry(l.id).or_insert(i);
    }
    let mut stream_at = HashMap::new();
    for (i, s) in streams.iter().enumerate() {
        stream_at.entry(s.id).or_insert(i);
    }
    let row_of = |p: Phase| Phase::ALL.iter().position(|&q| q == p).unwrap_or(0);
    let c = |m: Money| i128::from(m.0);

    let mut flags = Vec::new();
    // Per line: (allocated, funded); per stream: (allocated, funded); all in cents.
    let mut by_line = vec![(0i128, 0i64); lines.len()];
    let mut by_stream = vec![(0i128, 0i128); streams.len()];
    let mut matrix = vec![vec![0i128; streams.len()]; Phase::ALL.len()];
    for a in allocations {
        let (li, si) = (line_at.get(&a.line_id), stream_at.get(&a.stream_id));
        let (line_id, stream_id, amount) = (a.line_id, a.stream_id, a.amount);
        if li.is_none() {
            flags.push(BudgetFlag::UnknownLine {
                line_id,
                stream_id,
                amount,
            });
        }
        if si.is_none() {
            flags.push(BudgetFlag::UnknownStream {
                stream_id,
                line_id,
                amount,
            });
        }
        let (Some(&li), Some(&si)) = (li, si) else {
            continue;
        };
        let take = amount.0.min(lines[li].amount.0 - by_line[li].1);
        by_line[li] = (by_line[li].0 + c(amount), by_line[li].1 + take);
        by_stream[si] = (
            by_stream[si].0 + c(amount),
            by_stream[si].1 + i128::from(take),
        );
        matrix[row_of(lines[li].phase)][si] += i128::from(take);
    }

    let mut phase_sums = vec![(0i128, 0i128); Phase::ALL.len()];
    let mut line_rows = Vec::with_capacity(lines.len());
    for (l, &(allocated, funded)) in lines.iter().zip(&by_line) {
        let funded = Money(funded);
        let excess = Money::clamped(allocated - c(funded));
        let sums = &mut phase_sums[row_of(l.phase)];
        *sums = (sums.0 + c(l.amount), sums.1 + c(funded));
        if excess > Money::ZERO {
            let (line_id, name) = (l.id, l.name.clone());
            flags.push(BudgetFlag::OverAllocatedLine {
                line_id,
                name,
                excess,
            });
        }
        line_rows.push(LineFunding {
            line_id: l.id,
            phase: l.phase,
            name: l.name.clone(),
            amount: l.amount,
            allocated: Money::clamped(allocated),
            funded,
            unfunded: l.amount.saturating_sub(funded),
            over_allocated: excess,
        });
    }

    let mut stream_rows = Vec::with_capacity(streams.len());
    for (s, &(allocated, funded)) in streams.iter().zip(&by_stream) {
        let (stream_id, name) = (s.id, s.name.clone());
        let over_committed = allocated > c(s.available);
        let allocated = Money::clamped(allocated);
        let days_left = s.ends_on.map(|d| d.since(today));
        let expired = days_left.is_some_and(|d| d < 0);
        let expiring = days_left.is_some_and(|d| (0..=expiring_within_days).contains(&d));
        if over_committed {
            let over_by = allocated.saturating_sub(s.available);
            flags.push(BudgetFlag::OverCommittedStream {
                stream_id,
                name: name.clone(),
                over_by,
            });
        }
        match (s.ends_on, days_left) {
            (_, Some(days_left)) if expiring => flags.push(BudgetFlag::StreamExpiring {
                stream_id,
                name: name.clone(),
                days_left,
            }),
            (Some(ends_on), _) if expired => flags.push(BudgetFlag::StreamExpired {
                stream_id,
                name: name.clone(),
                ends_on,
            }),
            _ => {}
        }
        stream_rows.push(StreamUse {
            stream_id,
            name,
            kind: s.kind,
            available: s.available,
            allocated,
            funded: Money::clamped(funded),
            remaining: s.available.saturating_sub(allocated),
            over_committed,
            days_left,
            expiring,
            expired,
        });
    }

    let phases = Phase::ALL.iter().zip(&phase_sums);
    let phases = phases.map(|(&phase, &(amount, funded))| PhaseTotals {
        phase,
        amount: Money::clamped(amount),
        funded: Money::clamped(funded),
        unfunded: Money::clamped(amount - funded),
    });
    let matrix = Phase::ALL
        .iter()
        .zip(matrix)
        .map(|(&phase, row)| MatrixRow {
            phase,
            cells: row.into_iter().map(Money::clamped).collect(),
        });
    let total: i128 = phase_sums.iter().map(|p| p.0).sum();
    let funded: i128 = phase_sums.iter().map(|p| p.1).sum();
    Braid {
        lines: line_rows,
        streams: stream_rows,
        phases: phases.collect(),
        matrix: matrix.collect(),
        total: Money::clamped(total),
        funded: Money::clamped(funded),
        unfunded: Money::clamped(total - funded),
        flags,
    }
}

/// What a partner has promised or given toward the partnership.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub partner: String,
    /// The funding stream it goes to, if any.
    pub stream_id: Option<i64>,
    pub kind: CommitmentKind,
    pub amount: Money,
    pub status: CommitmentStatus,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
}

/// A problem with one commitment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum CommitmentIssue {
    /// With the other commitments to its stream, more than the stream has available (a warning).
    ExceedsStream {
        stream_id: Option<i64>,
        available: Money,
        /// This commitment plus the others to the stream.
        committed: Money,
    },
    /// `ends_on` is before `starts_on` (an error on the field `ends_on`).
    DatesOutOfOrder { starts_on: Day, ends_on: Day },
}

impl CommitmentIssue {
    /// The field of the commitment the issue is about.
    pub fn field(&self) -> &'static str {
        match self {
            CommitmentIssue::ExceedsStream { .. } => "amount",
            CommitmentIssue::DatesOutOfOrder { .. } => "ends_on",
        }
    }

    /// An error blocks saving; a warning is shown.
    pub fn is_error(&self) -> bool {
        matches!(self, CommitmentIssue::DatesOutOfOrder { .. })
    }

    pub fn message(&self) -> String {
        use CommitmentIssue::*;
        match self {
            ExceedsStream {
                available,
                committed,
                ..
            } => format!(
                "Commitments to this stream add up to {committed}, more than the {available} it has available."
            ),
            DatesOutOfOrder { starts_on, ends_on } => format!(
                "Dates out of order: the commitment ends on {ends_on}, before it starts on {starts_on}."
            ),
        }
    }
}

/// Checks a commitment against its stream: `stream_available` is the stream's available amount
/// (`None` when there is no stream to check against) and `other_commitments_to_stream` the sum of
/// the other commitments to the same stream.
pub fn check_commitment(
    c: &Commitment,
    stream_available: Option<Money>,
    other_commitments_to_stream: Money,
) -> Vec<CommitmentIssue> {
    let mut issues = Vec::new();
    if let Some(available) = stream_available {
        let committed = i128::from(c.amount.0) + i128::from(other_commitments_to_stream.0);
        if committed > i128::from(available.0) {
            issues.push(CommitmentIssue::ExceedsStream {
                stream_id: c.stream_id,
                available,
                committed: Money::clamped(committed),
            });
        }
    }
    if let (Some(starts_on), Some(ends_on)) = (c.starts_on, c.ends_on)
        && ends_on < starts_on
    {
        issues.push(CommitmentIssue::DatesOutOfOrder { starts_on, ends_on });
    }
    issues
}

/// Commitments added up by status and by kind (every status and kind present, zero if none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentTotals {
    pub by_status: BTreeMap<CommitmentStatus, Money>,
    pub by_kind: BTreeMap<CommitmentKind, Money>,
    pub total: Money,
}

/// Adds up commitments by status and by kind (sums saturate at [`Money::MAX`]).
pub fn commitment_totals(commitments: &[Commitment]) -> CommitmentTotals {
    let mut by_status: BTreeMap<_, _> = CommitmentStatus::ALL
        .iter()
        .map(|&s| (s, Money::ZERO))
        .collect();
    let mut by_kind: BTreeMap<_, _> = CommitmentKind::ALL
        .iter()
        .map(|&k| (k, Money::ZERO))
        .collect();
    for c in commitments {
        let status = by_status.entry(c.status).or_default();
        *status = status.saturating_add(c.amount);
        let kind = by_kind.entry(c.kind).or_default();
        *kind = kind.saturating_add(c.amount);
    }
    let total = commitments.iter().map(|c| c.amount).sum();
    CommitmentTotals {
        by_status,
        by_kind,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn money_parses_the_usual_ways_of_writing_it() {
        let cents = |s| m(s).cents();
        assert_eq!(
            [cents("1234"), cents("1,234.5"), cents("$1,234.56")],
            [123_400, 123_450, 123_456]
        );
        assert_eq!([cents(" 12.30 "), cents("0"), cents(".5")], [1_230, 0, 50]);
        assert_eq!(cents("1,000,000"), 100_000_000);
        assert_eq!(m("92,233,720,368,547,758.07"), Money::MAX);
    }

    #[test]
    fn money_refuses_what_is_not_an_amount() {
        use MoneyError::*;
        let err = |s: &str| Money::parse(s).unwrap_err();
        assert_eq!(err("-5"), Negative("-5".into()));
        assert_eq!(
            err("-5").to_string(),
            "\"-5\" is negative: amounts cannot be negative"
        );
        assert_eq!(err("$-5.00"), Negative("$-5.00".into()));
        assert_eq!(err("1.234"), TooManyDecimals("1.234".into()));
        assert_eq!((err(""), err("   ")), (Empty, Empty));
        for bad in [
            "abc", "$", "1.", "1.2.3", "12,34", "1,2345", "+5", "1 234", "1.2x", "$$1",
        ] {
            assert_eq!(err(bad), NotAnAmount(bad.into()), "{bad}");
        }
        for big in ["92233720368547758.08", "99999999999999999999"] {
            assert_eq!(err(big), TooLarge(big.into()));
        }
        let msg = err("12,34").to_string();
        assert_eq!(
            msg,
            "\"12,34\" is not an amount: write it as 1234, 1,234.56 or $1,234.56"
        );
    }

    #[test]
    fn money_displays_with_commas_and_two_decimals() {
        let shown: Vec<String> = ["0", "0.05", "999.9", "1234.56", "1234567"]
            .map(|s| m(s).to_string())
            .into();
        assert_eq!(
            shown,
            ["$0.00", "$0.05", "$999.90", "$1,234.56", "$1,234,567.00"]
        );
        assert_eq!(Money::MAX.to_string(), "$92,233,720,368,547,758.07");
        assert_eq!(format!("{:>10}", m("5")), "     $5.00");
    }

    #[test]
    fn money_arithmetic_and_serialization() {
        assert_eq!(Money::from_cents(-1), None);
        assert_eq!(m("5").checked_add(m("2.5")), Some(m("7.5")));
        assert_eq!(Money::MAX.checked_add(m("0.01")), None);
        assert_eq!(Money::MAX.saturating_add(m("1")), Money::MAX);
        assert_eq!(m("5").saturating_sub(m("7")), Money::ZERO);
        assert_eq!([Money::MAX, m("1")].into_iter().sum::<Money>(), Money::MAX);
        insta::assert_yaml_snapshot!(m("1,234.56"), @"123456");
        insta::assert_yaml_snapshot!(StreamKind::InKind, @"in_kind");
    }

    #[test]
    fn closed_lists_read_codes_and_labels() {
        assert_eq!(
            "Private / philanthropy".parse(),
            Ok(StreamKind::Philanthropy)
        );
        assert_eq!("in-kind".parse(), Ok(StreamKind::InKind));
        assert_eq!("In-kind".parse(), Ok(CommitmentKind::InKind));
        assert_eq!(" Received ".parse(), Ok(CommitmentStatus::Received));
        assert!(Phase::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Phase::ALL[0], Phase::Planning);
        let err = "grant".parse::<StreamKind>().unwrap_err();
        assert_eq!(
            err.allowed,
            "federal, state, local, philanthropy, employer, in_kind"
        );
    }

    type StreamRow<'a> = (i64, &'a str, StreamKind, &'a str, Option<&'a str>);

    /// A braid of streams, lines and allocations written as rows, amounts as text.
    fn budget(
        streams: &[StreamRow],
        lines: &[(i64, Phase, &str, &str)],
        allocations: &[(i64, i64, &str)],
        within: i32,
    ) -> Braid {
        let streams: Vec<_> = streams
            .iter()
            .map(|&(id, name, kind, available, ends)| {
                let (name, available, ends_on) = (name.into(), m(available), ends.map(day));
                Stream {
                    id,
                    name,
                    kind,
                    available,
                    ends_on,
                }
            })
            .collect();
        let lines: Vec<_> = lines
            .iter()
            .map(|&(id, phase, name, amount)| BudgetLine {
                id,
                phase,
                name: name.into(),
                amount: m(amount),
            })
            .collect();
        let allocations: Vec<_> = allocations
            .iter()
            .map(|&(line_id, stream_id, amount)| Allocation {
                line_id,
                stream_id,
                amount: m(amount),
            })
            .collect();
        braid(&streams, &lines, &allocations, day("2026-06-30"), within)
    }

    /// 3 streams, 5 lines over 3 phases: line 5 partly unfunded, line 3 over-allocated, the state
    /// grant expiring in 92 days and over-committed, one unknown line and one unknown stream.
    fn worked_example() -> Braid {
        use Phase::*;
        use StreamKind::*;
        let streams = [
            (1, "WIOA Title I", Federal, "50,000", Some("2027-06-30")),
            (2, "State sector grant", State, "20,000", Some("2026-09-30")),
            (3, "Community foundation", Philanthropy, "20,000", None),
        ];
        let lines = [
            (1, Planning, "Labor market analysis", "8,000"),
            (2, Planning, "Convening and facilitation", "5,500"),
            (3, Launch, "Curriculum design", "12,000"),
            (4, Implementation, "Cohort training", "40,000"),
            (5, Implementation, "Supportive services", "15,250.50"),
        ];
        let allocations = [
            (1, 1, "8,000"),
            (2, 3, "5,500"),
            (3, 2, "10,000"),
            (3, 3, "4,000"), // only 2,000 still needed: 2,000 over-allocated
            (4, 1, "30,000"),
            (4, 2, "10,000"),
            (5, 3, "6,000"),
            (5, 2, "2,500.25"),
            (99, 1, "1,000"),
            (5, 7, "500"),
        ];
        budget(&streams, &lines, &allocations, DEFAULT_EXPIRING_WITHIN_DAYS)
    }

    #[test]
    fn worked_example_lines_phases_and_totals() {
        let b = worked_example();
        let lines: Vec<String> = (b.lines.iter())
            .map(|l| {
                format!(
                    "{} {} → {} gap {} over {}",
                    l.line_id, l.allocated, l.funded, l.unfunded, l.over_allocated
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "1 $8,000.00 → $8,000.00 gap $0.00 over $0.00",
                "2 $5,500.00 → $5,500.00 gap $0.00 over $0.00",
                "3 $14,000.00 → $12,000.00 gap $0.00 over $2,000.00",
                "4 $40,000.00 → $40,000.00 gap $0.00 over $0.00",
                "5 $8,500.25 → $8,500.25 gap $6,750.25 over $0.00",
            ]
        );
        let phases: Vec<String> = (b.phases.iter())
            .map(|p| format!("{} {} {} {}", p.phase, p.amount, p.funded, p.unfunded))
            .collect();
        assert_eq!(
            phases,
            [
                "planning $13,500.00 $13,500.00 $0.00",
                "launch $12,000.00 $12,000.00 $0.00",
                "implementation $55,250.50 $48,500.25 $6,750.25",
                "sustaining $0.00 $0.00 $0.00",
            ]
        );
        assert_eq!(
            (b.total, b.funded, b.unfunded),
            (m("80,750.50"), m("74,000.25"), m("6,750.25"))
        );
    }

    #[test]
    fn worked_example_streams_and_matrix() {
        let b = worked_example();
        let streams: Vec<String> = (b.streams.iter())
            .map(|s| {
                let (a, f, r) = (s.allocated, s.funded, s.remaining);
                let state = (s.over_committed, s.days_left, s.expiring, s.expired);
                format!("{} {a} {f} left {r} {state:?}", s.stream_id)
            })
            .collect();
        assert_eq!(
            streams,
            [
                "1 $38,000.00 $38,000.00 left $12,000.00 (false, Some(365), false, false)",
                "2 $22,500.25 $22,500.25 left $0.00 (true, Some(92), true, false)",
                "3 $15,500.00 $13,500.00 left $4,500.00 (false, None, false, false)",
            ]
        );
        let rows: Vec<Vec<String>> = (b.matrix.iter())
            .map(|r| r.cells.iter().map(Money::to_string).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["$8,000.00", "$0.00", "$5,500.00"],
                ["$0.00", "$10,000.00", "$2,000.00"],
                ["$30,000.00", "$12,500.25", "$6,000.00"],
                ["$0.00", "$0.00", "$0.00"],
            ]
        );
        assert_eq!(b.cell(Phase::Launch, 3), Some(m("2000")));
        assert_eq!(b.cell(Phase::Launch, 7), None);
    }

    #[test]
    fn worked_example_flags() {
        let b = worked_example();
        let messages: Vec<String> = b.flags.iter().map(BudgetFlag::message).collect();
        assert_eq!(
            messages,
            [
                "An allocation of $1,000.00 from stream 1 names line 99, which is not in the budget: it is not counted.",
                "An allocation of $500.00 to line 5 names stream 7, which is not a funding stream: it is not counted.",
                "Line “Curriculum design” is over-allocated by $2,000.00: the excess is not counted as funding.",
                "Stream “State sector grant” is over-committed by $2,500.25: more is allocated than it has available.",
                "Stream “State sector grant” ends in 92 days: plan what replaces it.",
            ]
        );
        assert!(matches!(
            b.flags[4],
            BudgetFlag::StreamExpiring {
                stream_id: 2,
                days_left: 92,
                ..
            }
        ));
    }

    #[test]
    fn the_excess_goes_to_the_later_allocation() {
        let streams = [
            (1, "A", StreamKind::Local, "100", None),
            (2, "B", StreamKind::Employer, "100", None),
        ];
        let lines = [(1, Phase::Launch, "L", "100")];
        let b = budget(&streams, &lines, &[(1, 2, "70"), (1, 1, "70")], 180);
        assert_eq!(
            (b.streams[0].funded, b.streams[1].funded),
            (m("30"), m("70"))
        );
        let b = budget(&streams, &lines, &[(1, 1, "70"), (1, 2, "70")], 180);
        assert_eq!(
            (b.streams[0].funded, b.streams[1].funded),
            (m("70"), m("30"))
        );
        assert_eq!(
            (b.lines[0].over_allocated, b.streams[1].allocated),
            (m("40"), m("70"))
        );
    }

    #[test]
    fn expiry_boundaries() {
        let s = |id, ends| (id, "S", StreamKind::Federal, "1", Some(ends));
        let streams = [
            s(1, "2026-06-29"),
            s(2, "2026-06-30"),
            s(3, "2026-07-01"),
            s(4, "2026-07-31"),
        ];
        let b = budget(&streams, &[], &[], 30);
        let got: Vec<_> = b.streams.iter().map(|s| (s.expiring, s.expired)).collect();
        assert_eq!(
            got,
            [(false, true), (true, false), (true, false), (false, false)]
        );
        let messages: Vec<String> = b.flags.iter().map(BudgetFlag::message).collect();
        assert_eq!(
            messages,
            [
                "Stream “S” ended on 2026-06-29: the lines it pays for need another source.",
                "Stream “S” ends today: plan what replaces it.",
                "Stream “S” ends tomorrow: plan what replaces it.",
            ]
        );
    }

    fn commitment(
        stream: Option<i64>,
        kind: CommitmentKind,
        amount: &str,
        status: CommitmentStatus,
    ) -> Commitment {
        let partner = "Acme Manufacturing".to_string();
        let (stream_id, amount, starts_on, ends_on) = (stream, m(amount), None, None);
        Commitment {
            partner,
            stream_id,
            kind,
            amount,
            status,
            starts_on,
            ends_on,
        }
    }

    #[test]
    fn commitments_are_checked_against_their_stream_and_dates() {
        use CommitmentKind::*;
        use CommitmentStatus::*;
        let c = commitment(Some(3), Cash, "6,000", Pledged);
        assert_eq!(check_commitment(&c, Some(m("10,000")), m("4,000")), []);
        let issues = check_commitment(&c, Some(m("10,000")), m("4,000.01"));
        let (available, committed) = (m("10,000"), m("10,000.01"));
        assert_eq!(
            issues,
            [CommitmentIssue::ExceedsStream {
                stream_id: Some(3),
                available,
                committed
            }]
        );
        assert_eq!((issues[0].field(), issues[0].is_error()), ("amount", false));
        assert_eq!(check_commitment(&c, None, Money::MAX), []);

        let (starts_on, ends_on) = (Some(day("2026-03-01")), Some(day("2026-02-28")));
        let dated = Commitment {
            starts_on,
            ends_on,
            ..c.clone()
        };
        let issues = check_commitment(&dated, None, Money::ZERO);
        assert_eq!(
            (issues.len(), issues[0].field(), issues[0].is_error()),
            (1, "ends_on", true)
        );
        assert_eq!(
            issues[0].message(),
            "Dates out of order: the commitment ends on 2026-02-28, before it starts on 2026-03-01."
        );
        let same_day = Commitment {
            ends_on: starts_on,
            ..dated
        };
        assert_eq!(check_commitment(&same_day, None, Money::ZERO), []);
    }

    #[test]
    fn commitment_totals_by_status_and_kind() {
        use CommitmentKind::*;
        use CommitmentStatus::*;
        let cs = [
            commitment(Some(1), Cash, "10,000", Pledged),
            commitment(Some(1), Cash, "2,500.50", Received),
            commitment(None, InKind, "1,200", Committed),
            commitment(None, InKind, "300", Pledged),
        ];
        let t = commitment_totals(&cs);
        let statuses = [Pledged, Committed, Received].map(|s| t.by_status[&s]);
        assert_eq!(statuses, [m("10,300"), m("1,200"), m("2,500.50")]);
        assert_eq!(
            [t.by_kind[&Cash], t.by_kind[&InKind], t.total],
            [m("12,500.50"), m("1,500"), m("14,000.50")]
        );
        let empty = commitment_totals(&[]);
        assert_eq!(
            (empty.by_status.len(), empty.by_kind.len(), empty.total),
            (3, 2, Money::ZERO)
        );
    }

    fn money(max: i64) -> impl Strategy<Value = Money> {
        (0..=max).prop_map(Money)
    }

    proptest! {
        #[test]
        fn display_parses_back(cents in 0..=i64::MAX) {
            prop_assert_eq!(Money::parse(&Money(cents).to_string()), Ok(Money(cents)));
        }

        /// Random ids (repeats and unknown ones included) and amounts: the braid reconciles.
        #[test]
        fn braid_reconciles_to_the_cent(
            streams in prop::collection::vec((0i64..6, money(1_000_000_000), prop::option::of(-400i32..400)), 0..6),
            lines in prop::collection::vec((0i64..10, prop::sample::select(Phase::ALL), money(1_000_000_000)), 0..9),
            allocations in prop::collection::vec((0i64..12, 0i64..8, money(600_000_000)), 0..25),
        ) {
            let today = day("2026-06-30");
            let streams: Vec<Stream> = (streams.into_iter())
                .map(|(id, available, ends)| {
                    let (name, kind, ends_on) = (format!("S{id}"), StreamKind::Federal, ends.map(|d| today.plus(d)));
                    Stream { id, name, kind, available, ends_on }
                })
                .collect();
            let lines: Vec<BudgetLine> = (lines.into_iter())
                .map(|(id, phase, amount)| BudgetLine { id, phase, name: format!("L{id}"), amount })
                .collect();
            let allocations: Vec<Allocation> = (allocations.into_iter())
                .map(|(line_id, stream_id, amount)| Allocation { line_id, stream_id, amount })
                .collect();
            let b = braid(&streams, &lines, &allocations, today, DEFAULT_EXPIRING_WITHIN_DAYS);
            let c = |m: Money| i128::from(m.cents());
            let line_sum: i128 = lines.iter().map(|l| c(l.amount)).sum();
            let by_stream: i128 = b.streams.iter().map(|s| c(s.funded)).sum();
            prop_assert_eq!(by_stream + c(b.unfunded), line_sum);
            prop_assert_eq!(b.phases.iter().map(|p| c(p.amount)).sum::<i128>(), line_sum);
            prop_assert_eq!((c(b.total), c(b.funded)), (line_sum, by_stream));
            for (row, p) in b.matrix.iter().zip(&b.phases) {
                prop_assert_eq!(row.phase, p.phase);
                prop_assert_eq!(row.cells.iter().map(|&m| c(m)).sum::<i128>(), c(p.funded));
                prop_assert_eq!(c(p.funded) + c(p.unfunded), c(p.amount));
            }
            for (i, s) in b.streams.iter().enumerate() {
                prop_assert_eq!(b.matrix.iter().map(|r| c(r.cells[i])).sum::<i128>(), c(s.funded));
                prop_assert_eq!(s.over_committed, s.allocated > s.available);
            }
            for l in &b.lines {
                prop_assert_eq!(c(l.funded) + c(l.unfunded), c(l.amount));
                prop_assert_eq!(c(l.funded) + c(l.over_allocated), c(l.allocated));
            }
            let excess: i128 = b.lines.iter().map(|l| c(l.over_allocated)).sum();
            prop_assert_eq!(excess, b.streams.iter().map(|s| c(s.allocated) - c(s.funded)).sum::<i128>());
            let unknown = allocations.iter().filter(|a| !lines.iter().any(|l| l.id == a.line_id)).count();
            let flagged = b.flags.iter().filter(|f| matches!(f, BudgetFlag::UnknownLine { .. })).count();
            prop_assert_eq!(unknown, flagged);
        }
    }
}
