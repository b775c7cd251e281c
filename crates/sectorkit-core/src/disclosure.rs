//! Disclosure control for published counts and rates about people: the one rule every page,
//! export and API answer of participant outcomes goes through.
//!
//! # The rule
//!
//! A published table is a set of **cells** (person counts: a group's size, a cohort's size, a
//! total) tied together by **lines**: a line says `total = part₁ + part₂ + …` (a breakdown by sex
//! adds up to the cohort; the cohorts add up to the year). Then:
//!
//! 1. **Primary suppression.** A cell with 1 to k−1 persons is suppressed (k is the partnership's
//!    [`Threshold`], 10 by default and never lower). A cell of 0 persons is published: it
//!    describes nobody, and hiding it would only make the complements below weaker.
//! 2. **Complementary suppression.** In every line that holds exactly one suppressed cell, that
//!    cell would be the total minus its siblings, so one more is suppressed: the smallest
//!    published part with at least one person (ties by position), else a zero part, else the
//!    line's total. Repeated until no line has exactly one.
//! 3. **No recovery by any combination of lines.** Two suppressed cells per line is not enough
//!    when lines cross (a cell can still be pinned by adding and subtracting several lines), so
//!    the cells still hidden are checked against the whole system: a hidden cell is *recoverable*
//!    when the published values determine it, that is when its unit vector lies in the row space
//!    of the lines restricted to the hidden cells. While one is, the smallest published part of
//!    a line through it is suppressed too, and step 2 runs again. This ends: each round hides at
//!    least one more cell, and with everything hidden nothing is recoverable.
//! 4. **Rates.** A rate table has, per cell, a numerator (employed, credentialed …) besides the
//!    persons. A rate is shown only with its cell. In a line whose hidden parts had together all
//!    or none of their persons succeed, the hidden rates would be known (0% or 100%), so one more
//!    part is hidden while any is published. When the line's own total rate is 0% or 100% that
//!    says the same of every part and is a statement about at least k persons; it stays.
//! 5. **Gaps** (a group's rate minus the overall rate) are shown only where both rates are.
//!
//! The guarantee, property-tested below with an exact rational rank computation independent of
//! the one used here: no cell of 1 to k−1 persons is published, and none can be computed exactly
//! from the published cells by adding and subtracting lines.
//!
//! Decision: the unit of a rate's disclosure is its denominator (the persons the rate is about),
//! as in published WIOA performance reports; a rate of 2 employed out of 40 veterans is shown.

use std::fmt;

/// The smallest number of persons a published cell may describe. Owners may raise it; it never
/// goes below [`Threshold::MIN`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Threshold(u32);

impl Threshold {
    /// The default and the floor.
    pub const MIN: u32 = 10;
    /// A ceiling that keeps the rule meaningful for a partnership's cohorts.
    pub const MAX: u32 = 100;
    pub const DEFAULT: Threshold = Threshold(Self::MIN);

    /// `k` if it is from [`Threshold::MIN`] to [`Threshold::MAX`].
    pub fn new(k: u32) -> Result<Threshold, String> {
        if (Self::MIN..=Self::MAX).contains(&k) {
            Ok(Threshold(k))
        } else {
            Err(format!(
                "the threshold must be from {} to {} persons (it can be raised, never lowered below {})",
                Self::MIN,
                Self::MAX,
                Self::MIN
            ))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold::DEFAULT
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whether a cell may be published, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellStatus {
    Published,
    /// Fewer than k persons.
    Primary,
    /// Hidden so that a primary cell cannot be computed from the others.
    Complementary,
}

impl CellStatus {
    pub fn published(self) -> bool {
        self == CellStatus::Published
    }

    /// The status column of exports: `published`, `suppressed_primary`,
    /// `suppressed_complementary`.
    pub fn code(self) -> &'static str {
        match self {
            CellStatus::Published => "published",
            CellStatus::Primary => "suppressed_primary",
            CellStatus::Complementary => "suppressed_complementary",
        }
    }

    /// The word shown in place of a hidden value.
    pub fn label(self) -> &'static str {
        match self {
            CellStatus::Published => "",
            CellStatus::Primary => "suppressed (fewer than k persons)",
            CellStatus::Complementary => "suppressed (so another cell cannot be derived)",
        }
    }
}

/// `total = parts[0] + parts[1] + …`, by cell index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// Cells and the lines that tie them. `persons[i]` is cell i's count; `successes[i]`, for a rate
/// table, its numerator (at most `persons[i]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub persons: Vec<u64>,
    pub successes: Option<Vec<u64>>,
    pub lines: Vec<Line>,
}

impl Table {
    /// A breakdown of one total by one field: cell 0 is the total, cells 1.. the groups.
    pub fn one_way(total: u64, groups: &[u64]) -> Table {
        let mut persons = vec![total];
        persons.extend_from_slice(groups);
        Table {
            lines: vec![Line {
                total: 0,
                parts: (1..persons.len()).collect(),
            }],
            persons,
            successes: None,
        }
    }

    /// A two-way table `cells[r][c]` (rows: the groups of a field; columns: cohorts) with its
    /// margins. Cell indices: interior `r * cols + c`, then the row totals, the column totals,
    /// and the grand total last (see [`TwoWay`]).
    pub fn two_way(cells: &[Vec<u64>]) -> (Table, TwoWay) {
        let rows = cells.len();
        let cols = cells.first().map_or(0, Vec::len);
        let shape = TwoWay { rows, cols };
        let mut persons: Vec<u64> = cells.iter().flatten().copied().collect();
        persons.extend(cells.iter().map(|r| r.iter().sum::<u64>()));
        persons.extend((0..cols).map(|c| cells.iter().map(|r| r[c]).sum::<u64>()));
        persons.push(cells.iter().flatten().sum());
        let mut lines = Vec::new();
        for r in 0..rows {
            lines.push(Line {
                total: shape.row_total(r),
                parts: (0..cols).map(|c| shape.cell(r, c)).collect(),
            });
        }
        for c in 0..cols {
            lines.push(Line {
                total: shape.col_total(c),
                parts: (0..rows).map(|r| shape.cell(r, c)).collect(),
            });
        }
        lines.push(Line {
            total: shape.grand(),
            parts: (0..rows).map(|r| shape.row_total(r)).collect(),
        });
        lines.push(Line {
            total: shape.grand(),
            parts: (0..cols).map(|c| shape.col_total(c)).collect(),
        });
        (
            Table {
                persons,
                successes: None,
                lines,
            },
            shape,
        )
    }

    /// The same table as a rate table with these numerators (same cell order).
    pub fn with_successes(mut self, successes: Vec<u64>) -> Table {
        assert_eq!(
            successes.len(),
            self.persons.len(),
            "one numerator per cell"
        );
        self.successes = Some(successes);
        self
    }
}

/// Where the cells of a [`Table::two_way`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TwoWay {
    pub rows: usize,
    pub cols: usize,
}

impl TwoWay {
    pub fn cell(self, r: usize, c: usize) -> usize {
        r * self.cols + c
    }
    pub fn row_total(self, r: usize) -> usize {
        self.rows * self.cols + r
    }
    pub fn col_total(self, c: usize) -> usize {
        self.rows * self.cols + self.rows + c
    }
    pub fn grand(self) -> usize {
        self.rows * self.cols + self.rows + self.cols
    }
}

/// Applies the rule to every cell of `table`.
pub fn protect(table: &Table, k: Threshold) -> Vec<CellStatus> {
    let k = u64::from(k.get());
    let n = table.persons.len();
    let mut status: Vec<CellStatus> = table
        .persons
        .iter()
        .map(|&p| {
            if p > 0 && p < k {
                CellStatus::Primary
            } else {
                CellStatus::Published
            }
        })
        .collect();
    if status.iter().all(|s| s.published()) {
        return status;
    }
    loop {
        complete_lines(table, &mut status);
        if let Some(s) = &table.successes
            && let Some(line) = table
                .lines
                .iter()
                .find(|l| rates_revealed(l, &status, table, s))
            && let Some(extra) = smallest_published_part(line, &status, &table.persons)
        {
            status[extra] = CellStatus::Complementary;
            continue;
        }
        let hidden: Vec<usize> = (0..n).filter(|&i| !status[i].published()).collect();
        let recoverable = determined(&table.lines, &hidden, n);
        let Some(&cell) = recoverable.first() else {
            return status;
        };
        // Hide the smallest published part (or total) of a line through the recoverable cell.
        let extra = table
            .lines
            .iter()
            .filter(|l| l.total == cell || l.parts.contains(&cell))
            .filter_map(|l| smallest_unpublished_candidate(l, &status, &table.persons))
            .min_by_key(|&i| (table.persons[i] == 0, table.persons[i], i));
        match extra {
            Some(i) => status[i] = CellStatus::Complementary,
            // Every cell of every line through it is hidden, yet it is determined: only possible
            // when it is in no line at all, which the row-space test never reports.
            None => return status,
        }
    }
}

/// Step 2: no line keeps exactly one hidden cell.
fn complete_lines(table: &Table, status: &mut [CellStatus]) {
    loop {
        let mut changed = false;
        for line in &table.lines {
            let hidden = std::iter::once(line.total)
                .chain(line.parts.iter().copied())
                .filter(|&i| !status[i].published())
                .count();
            if hidden == 1
                && let Some(i) = smallest_unpublished_candidate(line, status, &table.persons)
            {
                status[i] = CellStatus::Complementary;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The smallest published part of `line` with at least one person, else a published zero part.
fn smallest_published_part(line: &Line, status: &[CellStatus], persons: &[u64]) -> Option<usize> {
    line.parts
        .iter()
        .copied()
        .filter(|&i| status[i].published())
        .min_by_key(|&i| (persons[i] == 0, persons[i], i))
}

/// The part to hide next in `line`: the smallest published part, else its total if published.
fn smallest_unpublished_candidate(
    line: &Line,
    status: &[CellStatus],
    persons: &[u64],
) -> Option<usize> {
    smallest_published_part(line, status, persons)
        .or_else(|| status[line.total].published().then_some(line.total))
}

/// Step 4: the hidden parts of a line whose total is published had all or none succeed.
fn rates_revealed(line: &Line, status: &[CellStatus], table: &Table, successes: &[u64]) -> bool {
    if !status[line.total].published() {
        return false;
    }
    let hidden: Vec<usize> = line
        .parts
        .iter()
        .copied()
        .filter(|&i| !status[i].published())
        .collect();
    if hidden.is_empty() || !line.parts.iter().any(|&i| status[i].published()) {
        return false;
    }
    let p: u64 = hidden.iter().map(|&i| table.persons[i]).sum();
    let s: u64 = hidden.iter().map(|&i| successes[i]).sum();
    p > 0 && (s == 0 || s == p)
}

/// The hidden cells that the lines determine once the published cells are known: those whose
/// unit vector is in the row space of the lines restricted to the hidden cells. Gauss–Jordan
/// elimination; the constraint matrices of breakdowns and two-way tables are totally
/// unimodular, so every entry stays −1, 0 or 1 and the `f64` arithmetic is exact.
pub fn determined(lines: &[Line], hidden: &[usize], n_cells: usize) -> Vec<usize> {
    let mut col_of = vec![usize::MAX; n_cells];
    for (j, &c) in hidden.iter().enumerate() {
        col_of[c] = j;
    }
    let m = hidden.len();
    let mut rows: Vec<Vec<f64>> = lines
        .iter()
        .map(|l| {
            let mut r = vec![0.0; m];
            if col_of[l.total] != usize::MAX {
                r[col_of[l.total]] -= 1.0;
            }
            for &p in &l.parts {
                if col_of[p] != usize::MAX {
                    r[col_of[p]] += 1.0;
                }
            }
            r
        })
        .filter(|r| r.iter().any(|&v| v != 0.0))
        .collect();
    let mut pivot_row_of_col = vec![usize::MAX; m];
    let mut rank = 0;
    for col in 0..m {
        let Some(p) = (rank..rows.len()).max_by(|&a, &b| {
            rows[a][col]
                .abs()
                .partial_cmp(&rows[b][col].abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        }) else {
            break;
        };
        if rows[p][col].abs() < 1e-9 {
            continue;
        }
        rows.swap(rank, p);
        let pv = rows[rank][col];
        for v in rows[rank].iter_mut() {
            *v /= pv;
        }
        for r in 0..rows.len() {
            if r != rank && rows[r][col].abs() > 1e-9 {
                let f = rows[r][col];
                let (src, dst) = if r < rank {
                    let (a, b) = rows.split_at_mut(rank);
                    (&b[0], &mut a[r])
                } else {
                    let (a, b) = rows.split_at_mut(r);
                    (&a[rank], &mut b[0])
                };
                for (d, s) in dst.iter_mut().zip(src.iter()) {
                    *d -= f * s;
                }
            }
        }
        pivot_row_of_col[col] = rank;
        rank += 1;
    }
    (0..m)
        .filter(|&col| {
            let r = pivot_row_of_col[col];
            r != usize::MAX
                && rows[r]
                    .iter()
                    .enumerate()
                    .all(|(j, &v)| j == col || v.abs() < 1e-9)
        })
        .map(|col| hidden[col])
        .collect()
}

/// A group's gap from the overall rate, in percentage points, only when both are published.
pub fn gap(
    group_rate: Option<f64>,
    group: CellStatus,
    overall_rate: Option<f64>,
    overall: CellStatus,
) -> Option<f64> {
    if group.published() && overall.published() {
        Some(group_rate? - overall_rate?)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellStatus::*;
    use proptest::prelude::*;

    fn k10() -> Threshold {
        Threshold::DEFAULT
    }

    #[test]
    fn thresholds_go_up_not_down() {
        assert_eq!(Threshold::new(10).unwrap().get(), 10);
        assert_eq!(Threshold::new(25).unwrap().get(), 25);
        assert!(
            Threshold::new(9)
                .unwrap_err()
                .contains("never lowered below 10")
        );
        assert!(Threshold::new(0).is_err());
        assert!(Threshold::new(101).is_err());
    }

    #[test]
    fn one_small_group_takes_the_next_smallest_with_it() {
        // 60 exiters: women 3, men 45, not reported 12. The 3 is primary; 12 hides with it.
        let t = Table::one_way(60, &[3, 45, 12]);
        assert_eq!(
            protect(&t, k10()),
            vec![Published, Primary, Published, Complementary]
        );
        // Nothing small: everything published.
        let t = Table::one_way(60, &[20, 40]);
        assert!(protect(&t, k10()).iter().all(|s| s.published()));
        // Two small groups protect each other.
        let t = Table::one_way(60, &[4, 50, 6]);
        assert_eq!(
            protect(&t, k10()),
            vec![Published, Primary, Published, Primary]
        );
        // A zero group is published and is not used as the complement while a person-cell
        // exists.
        let t = Table::one_way(58, &[0, 3, 55]);
        assert_eq!(
            protect(&t, k10()),
            vec![Published, Published, Primary, Complementary]
        );
        // A small total: hidden, and then its groups cannot all stay (one would give it away).
        let t = Table::one_way(8, &[3, 5]);
        assert_eq!(protect(&t, k10()), vec![Primary, Primary, Primary]);
        // A total of 8 that is all one group: both hidden; the zero group says only that the
        // two hidden cells are equal, not what they are.
        let t = Table::one_way(8, &[0, 8]);
        assert_eq!(protect(&t, k10()), vec![Primary, Published, Primary]);
    }

    #[test]
    fn two_way_tables_hide_a_cycle() {
        // Rows: veterans / not; columns: two exit quarters.
        //            Q1  Q2 | total
        // veteran     3  12 |  15
        // not        40  35 |  75
        // total      43  47 |  90
        let (t, s) = Table::two_way(&[vec![3, 12], vec![40, 35]]);
        let st = protect(&t, k10());
        assert_eq!(st[s.cell(0, 0)], Primary);
        // The row line takes 12 (smaller than 15, the total), the column line 40; then the
        // row of "not" has 40 hidden alone, so 35 goes too: the four interior cells form the
        // cycle that keeps 3 unknown, and every margin stays published.
        assert_eq!(st[s.cell(0, 1)], Complementary);
        assert_eq!(st[s.cell(1, 0)], Complementary);
        assert_eq!(st[s.cell(1, 1)], Complementary);
        for m in [
            s.row_total(0),
            s.row_total(1),
            s.col_total(0),
            s.col_total(1),
            s.grand(),
        ] {
            assert_eq!(st[m], Published, "margin {m}");
        }
        let hidden: Vec<usize> = (0..t.persons.len())
            .filter(|&i| !st[i].published())
            .collect();
        assert!(determined(&t.lines, &hidden, t.persons.len()).is_empty());
    }

    #[test]
    fn rates_of_hidden_groups_are_not_given_away() {
        // 50 completers, 40 employed. Groups 4 (all 4 employed) and 6 (all 6 employed) are
        // hidden together, but 10 of 10 employed says each hidden rate is 100%: one more goes.
        let t = Table::one_way(50, &[4, 6, 15, 25]).with_successes(vec![40, 4, 6, 10, 20]);
        let st = protect(&t, k10());
        assert_eq!(
            st,
            vec![Published, Primary, Primary, Complementary, Published]
        );
        // Mixed results in the hidden pair: no extra cell.
        let t = Table::one_way(50, &[4, 6, 15, 25]).with_successes(vec![40, 2, 6, 12, 20]);
        assert_eq!(
            protect(&t, k10()),
            vec![Published, Primary, Primary, Published, Published]
        );
    }

    #[test]
    fn gaps_need_both_sides() {
        assert_eq!(
            gap(Some(0.5), Published, Some(0.6), Published).map(|g| (g * 100.0).round()),
            Some(-10.0)
        );
        assert_eq!(gap(Some(0.5), Primary, Some(0.6), Published), None);
        assert_eq!(gap(Some(0.5), Published, Some(0.6), Complementary), None);
        assert_eq!(gap(None, Published, Some(0.6), Published), None);
    }

    // ----- the property: exact rational rank, independent of `determined` -----

    /// Rank of an integer matrix, by fraction-free (Bareiss) elimination in i128.
    fn rank(mut a: Vec<Vec<i128>>) -> usize {
        let rows = a.len();
        let cols = a.first().map_or(0, Vec::len);
        let mut r = 0;
        let mut prev = 1i128;
        for c in 0..cols {
            let Some(p) = (r..rows).find(|&i| a[i][c] != 0) else {
                continue;
            };
            a.swap(r, p);
            for i in r + 1..rows {
                for j in c + 1..cols {
                    a[i][j] = (a[r][c] * a[i][j] - a[i][c] * a[r][j]) / prev;
                }
                a[i][c] = 0;
            }
            prev = a[r][c];
            r += 1;
            if r == rows {
                break;
            }
        }
        r
    }

    /// Whether hidden cell `u` is determined: e_u lies in the row space of the constraint rows
    /// restricted to the hidden cells ⇔ adding e_u does not raise the rank.
    fn recoverable(t: &Table, hidden: &[usize], u: usize) -> bool {
        let m = hidden.len();
        let pos = |c: usize| hidden.iter().position(|&h| h == c);
        let mut a: Vec<Vec<i128>> = t
            .lines
            .iter()
            .map(|l| {
                let mut r = vec![0i128; m];
                if let Some(j) = pos(l.total) {
                    r[j] -= 1;
                }
                for &p in &l.parts {
                    if let Some(j) = pos(p) {
                        r[j] += 1;
                    }
                }
                r
            })
            .collect();
        let before = rank(a.clone());
        let mut e = vec![0i128; m];
        e[pos(u).unwrap()] = 1;
        a.push(e);
        rank(a) == before
    }

    fn check(t: &Table, k: Threshold) -> Result<(), TestCaseError> {
        let st = protect(t, k);
        let hidden: Vec<usize> = (0..t.persons.len())
            .filter(|&i| !st[i].published())
            .collect();
        for (i, &p) in t.persons.iter().enumerate() {
            if p > 0 && p < u64::from(k.get()) {
                prop_assert!(!st[i].published(), "cell {i} of {p} persons published");
            }
        }
        for &u in &hidden {
            prop_assert!(
                !recoverable(t, &hidden, u),
                "hidden cell {u} ({} persons) recoverable: {:?} -> {:?}",
                t.persons[u],
                t.persons,
                st
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn no_one_way_breakdown_gives_away_a_small_cell(
            groups in prop::collection::vec(0u64..40, 1..9),
            k in 10u32..16,
        ) {
            let total = groups.iter().sum();
            check(&Table::one_way(total, &groups), Threshold::new(k).unwrap())?;
        }

        #[test]
        fn no_two_way_table_gives_away_a_small_cell(
            rows in 1usize..5,
            cols in 1usize..5,
            values in prop::collection::vec(0u64..30, 16),
            k in 10u32..13,
        ) {
            let cells: Vec<Vec<u64>> = (0..rows)
                .map(|r| (0..cols).map(|c| values[r * 4 + c]).collect())
                .collect();
            let (t, _) = Table::two_way(&cells);
            check(&t, Threshold::new(k).unwrap())?;
        }

        #[test]
        fn hidden_rates_are_never_all_or_nothing_where_a_part_could_still_hide(
            groups in prop::collection::vec((0u64..40, 0u64..=100), 2..8),
        ) {
            let persons: Vec<u64> = groups.iter().map(|g| g.0).collect();
            let succ: Vec<u64> = groups.iter().map(|g| g.0 * g.1 / 100).collect();
            let total: u64 = persons.iter().sum();
            let mut s = vec![succ.iter().sum()];
            s.extend(&succ);
            let t = Table::one_way(total, &persons).with_successes(s.clone());
            check(&t, Threshold::DEFAULT)?;
            let st = protect(&t, Threshold::DEFAULT);
            if st[0].published() {
                let hidden: Vec<usize> = (1..st.len()).filter(|&i| !st[i].published()).collect();
                let shown = (1..st.len()).any(|i| st[i].published());
                let p: u64 = hidden.iter().map(|&i| t.persons[i]).sum();
                let w: u64 = hidden.iter().map(|&i| s[i]).sum();
                if !hidden.is_empty() && shown && p > 0 {
                    prop_assert!(w != 0 && w != p, "hidden rates all or nothing: {:?} {:?} {:?}", t.persons, s, st);
                }
            }
        }
    }
}
