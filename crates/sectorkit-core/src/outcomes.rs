//! Participant outcomes: the WIOA primary indicators (METHODS §7) and the job-quality set,
//! computed from a partnership's participant records, by cohort, with equity breakdowns that go
//! through [`crate::disclosure`].
//!
//! These are **WIOA-style** figures: computed the way the statute defines them, from records a
//! training provider or workforce system supplies, not the state's official numbers matched to
//! UI wage records. Every page that shows them says so.
//!
//! # Unknown is not "no"
//!
//! A field left empty in the import (employment in the 2nd quarter not yet known, benefits not
//! asked) leaves that participant out of that indicator's numerator **and** denominator; the
//! count left out is reported with the indicator, never folded into a zero.
//!
//! # Definitions (exiters after exclusions; `Qk` = the k-th quarter after the exit quarter)
//!
//! | indicator | denominator | numerator |
//! |---|---|---|
//! | employment Q2 / Q4 | exiters with Qk employment known | employed in Qk |
//! | median earnings Q2 | exiters employed in Q2 with earnings known | (median of their Q2 earnings) |
//! | credential attainment | exiters in education or training (not OJT/customized) with credential known | a postsecondary credential within a year of exit; or a secondary diploma with employment (Q2 or Q4) or postsecondary enrolment within the year |
//! | measurable skill gains | participants in training with gains known (not exit-based) | at least one gain |
//! | retention with the same employer | employed in Q2 with Q4 employer known | same employer in Q2 and Q4 |
//! | at or above a living wage | employed with hourly wage and a threshold known | wage ≥ threshold |
//! | with benefits / covered by a bargaining, PLA or CBA agreement | employed with the field known | yes |
//! | median wage gain | employed with wage before and after known | (median of after − before) |
//!
//! Median of an even count: the mean of the two middle values (METHODS WIOA-3).

use crate::day::Day;
use crate::plan_page::PlanQuarter;

/// The credential a participant attained, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    None,
    Postsecondary,
    SecondaryDiploma,
}

/// One participant, as the indicators need them (the import maps the file's columns here).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Participant {
    pub exited_on: Option<Day>,
    /// Removed from every exit-based indicator (TEGL exclusions: institutionalized, health,
    /// deceased …).
    pub excluded: bool,
    /// In an education or training program (not OJT or customized training).
    pub in_training: bool,
    pub credential: Option<Credential>,
    pub credential_on: Option<Day>,
    pub postsecondary_enrolled: Option<bool>,
    pub skill_gain: Option<bool>,
    pub employed_q2: Option<bool>,
    pub employed_q4: Option<bool>,
    /// Earnings in the 2nd quarter after exit, dollars.
    pub earnings_q2: Option<f64>,
    /// Whether the Q2 and Q4 employer are the same (FEIN / UI account).
    pub same_employer: Option<bool>,
    pub hourly_wage: Option<f64>,
    pub wage_before: Option<f64>,
    pub benefits: Option<bool>,
    pub bargaining: Option<bool>,
    /// The living-wage threshold that applies to this participant (county and household type),
    /// hourly dollars, when the partnership has one.
    pub living_wage: Option<f64>,
}

/// The quarter of an exit date and the quarters after it (METHODS WIOA-1).
pub fn exit_quarter(exit: Day) -> PlanQuarter {
    PlanQuarter::of(exit)
}

/// The `k`-th quarter after the exit quarter.
pub fn quarter_after_exit(exit: Day, k: u32) -> PlanQuarter {
    (0..k).fold(exit_quarter(exit), |q, _| q.next())
}

/// A rate: numerator over denominator, with the records left out because a field was unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
    pub unknown: u64,
}

impl Rate {
    /// The rate as a fraction, `None` with an empty denominator.
    pub fn value(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    fn count(&mut self, eligible: bool, known: Option<bool>) {
        if !eligible {
            return;
        }
        match known {
            Some(yes) => {
                self.denominator += 1;
                self.numerator += u64::from(yes);
            }
            None => self.unknown += 1,
        }
    }
}

/// A median over the persons it is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Median {
    pub persons: u64,
    pub value: Option<f64>,
    pub unknown: u64,
}

/// The median of `values` (the mean of the two middle ones for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // Selection, not a sort: linear time (a breakdown takes many medians of large cohorts).
    let n = values.len();
    let (below, mid, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *mid;
    Some(if n % 2 == 1 {
        upper
    } else {
        // The lower middle value is the largest of those below the upper one.
        let lower = below
            .iter()
            .copied()
            .max_by(f64::total_cmp)
            .expect("n >= 2");
        (lower + upper) / 2.0
    })
}

fn median_of(values: Vec<Option<f64>>) -> Median {
    let unknown = values.iter().filter(|v| v.is_none()).count() as u64;
    let mut known: Vec<f64> = values.into_iter().flatten().collect();
    Median {
        persons: known.len() as u64,
        value: median(&mut known),
        unknown,
    }
}

/// Which indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    EmploymentQ2,
    EmploymentQ4,
    MedianEarningsQ2,
    CredentialAttainment,
    MeasurableSkillGains,
    RetentionSameEmployer,
    LivingWage,
    Benefits,
    Bargaining,
    MedianWageGain,
}

impl Indicator {
    pub const ALL: [Indicator; 10] = [
        Indicator::EmploymentQ2,
        Indicator::EmploymentQ4,
        Indicator::MedianEarningsQ2,
        Indicator::CredentialAttainment,
        Indicator::MeasurableSkillGains,
        Indicator::RetentionSameEmployer,
        Indicator::LivingWage,
        Indicator::Benefits,
        Indicator::Bargaining,
        Indicator::MedianWageGain,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Indicator::EmploymentQ2 => "employment_q2",
            Indicator::EmploymentQ4 => "employment_q4",
            Indicator::MedianEarningsQ2 => "median_earnings_q2",
            Indicator::CredentialAttainment => "credential_attainment",
            Indicator::MeasurableSkillGains => "measurable_skill_gains",
            Indicator::RetentionSameEmployer => "retention_same_employer",
            Indicator::LivingWage => "living_wage",
            Indicator::Benefits => "benefits",
            Indicator::Bargaining => "bargaining",
            Indicator::MedianWageGain => "median_wage_gain",
        }
    }

    pub fn parse(code: &str) -> Option<Indicator> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Indicator::EmploymentQ2 => "Employment rate, 2nd quarter after exit",
            Indicator::EmploymentQ4 => "Employment rate, 4th quarter after exit",
            Indicator::MedianEarningsQ2 => "Median earnings, 2nd quarter after exit",
            Indicator::CredentialAttainment => "Credential attainment rate",
            Indicator::MeasurableSkillGains => "Measurable skill gains",
            Indicator::RetentionSameEmployer => {
                "Retention with the same employer (effectiveness in serving employers)"
            }
            Indicator::LivingWage => "Placed at or above a living wage",
            Indicator::Benefits => "Placed in a job with benefits",
            Indicator::Bargaining => "Covered by a bargaining, PLA or CBA agreement",
            Indicator::MedianWageGain => "Median hourly wage gain",
        }
    }

    /// A rate (shown as a percentage) or a median (dollars).
    pub fn is_rate(self) -> bool {
        !matches!(
            self,
            Indicator::MedianEarningsQ2 | Indicator::MedianWageGain
        )
    }
}

/// An indicator's value over some participants.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    Rate(Rate),
    Median(Median),
}

impl Measure {
    /// The persons the figure is about (its disclosure unit).
    pub fn persons(&self) -> u64 {
        match self {
            Measure::Rate(r) => r.denominator,
            Measure::Median(m) => m.persons,
        }
    }

    pub fn successes(&self) -> Option<u64> {
        match self {
            Measure::Rate(r) => Some(r.numerator),
            Measure::Median(_) => None,
        }
    }

    pub fn value(&self) -> Option<f64> {
        match self {
            Measure::Rate(r) => r.value(),
            Measure::Median(m) => m.value,
        }
    }

    pub fn unknown(&self) -> u64 {
        match self {
            Measure::Rate(r) => r.unknown,
            Measure::Median(m) => m.unknown,
        }
    }
}

fn exiter(p: &Participant) -> bool {
    p.exited_on.is_some() && !p.excluded
}

fn employed(p: &Participant) -> bool {
    p.employed_q2 == Some(true) || p.employed_q4 == Some(true)
}

/// Whether the participant's credential counts (METHODS WIOA-4), `None` when unknown.
fn credential_counts(p: &Participant) -> Option<bool> {
    let exit = p.exited_on?;
    match p.credential? {
        Credential::None => Some(false),
        Credential::Postsecondary => match p.credential_on {
            Some(on) => Some(on.since(exit) <= 365),
            // Dated within the program by default: a credential reported without a date.
            None => Some(true),
        },
        Credential::SecondaryDiploma => {
            let within = p.credential_on.is_none_or(|on| on.since(exit) <= 365);
            Some(within && (employed(p) || p.postsecondary_enrolled == Some(true)))
        }
    }
}

/// One indicator over `participants`.
pub fn measure<'a>(
    indicator: Indicator,
    participants: impl IntoIterator<Item = &'a Participant>,
) -> Measure {
    let mut rate = Rate::default();
    let mut values: Vec<Option<f64>> = Vec::new();
    for p in participants {
        match indicator {
            Indicator::EmploymentQ2 => rate.count(exiter(p), p.employed_q2),
            Indicator::EmploymentQ4 => rate.count(exiter(p), p.employed_q4),
            Indicator::MedianEarningsQ2 => {
                if exiter(p) && p.employed_q2 == Some(true) {
                    values.push(p.earnings_q2);
                }
            }
            Indicator::CredentialAttainment => {
                rate.count(exiter(p) && p.in_training, credential_counts(p))
            }
            Indicator::MeasurableSkillGains => rate.count(p.in_training, p.skill_gain),
            Indicator::RetentionSameEmployer => rate.count(
                exiter(p) && p.employed_q2 == Some(true),
                p.same_employer
                    .map(|same| same && p.employed_q4 == Some(true)),
            ),
            Indicator::LivingWage => rate.count(
                exiter(p) && employed(p),
                match (p.hourly_wage, p.living_wage) {
                    (Some(w), Some(lw)) => Some(crate::living_wage::at_or_above(w, lw)),
                    _ => None,
                },
            ),
            Indicator::Benefits => rate.count(exiter(p) && employed(p), p.benefits),
            Indicator::Bargaining => rate.count(exiter(p) && employed(p), p.bargaining),
            Indicator::MedianWageGain => {
                if exiter(p) && employed(p) {
                    values.push(match (p.hourly_wage, p.wage_before) {
                        (Some(a), Some(b)) => Some(a - b),
                        _ => None,
                    });
                }
            }
        }
    }
    if indicator.is_rate() {
        Measure::Rate(rate)
    } else {
        Measure::Median(median_of(values))
    }
}

/// A breakdown cell after disclosure control.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub label: String,
    pub measure: Measure,
    pub status: crate::disclosure::CellStatus,
    /// Percentage points (rates) or dollars (medians) from the overall value; only where both
    /// sides are published.
    pub gap: Option<f64>,
}

impl Cell {
    /// The value, only when it may be shown.
    pub fn shown(&self) -> Option<f64> {
        if self.status.published() {
            self.measure.value()
        } else {
            None
        }
    }
}

/// An indicator broken down by one field: the overall cell and one per group, protected.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub indicator: Indicator,
    pub overall: Cell,
    pub groups: Vec<Cell>,
}

/// `indicator` over `participants`, broken down by `group_of` (groups in first-seen order of
/// their label, `None` labels grouped as "not reported"), each cell protected with threshold
/// `k`. This is the one function every page, export and API answer of a breakdown uses.
pub fn breakdown<'a, F>(
    indicator: Indicator,
    participants: &'a [Participant],
    group_of: F,
    k: crate::disclosure::Threshold,
) -> Breakdown
where
    F: Fn(usize, &'a Participant) -> Option<String>,
{
    use crate::disclosure::{Table, gap, protect};
    let mut labels: Vec<String> = Vec::new();
    let mut members: Vec<Vec<&Participant>> = Vec::new();
    for (i, p) in participants.iter().enumerate() {
        let label = group_of(i, p).unwrap_or_else(|| "not reported".into());
        let at = match labels.iter().position(|l| *l == label) {
            Some(at) => at,
            None => {
                labels.push(label);
                members.push(Vec::new());
                labels.len() - 1
            }
        };
        members[at].push(p);
    }
    let overall = measure(indicator, participants);
    let groups: Vec<Measure> = members
        .iter()
        .map(|m| measure(indicator, m.iter().copied()))
        .collect();
    let persons: Vec<u64> = groups.iter().map(Measure::persons).collect();
    let mut table = Table::one_way(overall.persons(), &persons);
    if let Some(total) = overall.successes() {
        let mut s = vec![total];
        s.extend(groups.iter().map(|g| g.successes().unwrap_or(0)));
        table = table.with_successes(s);
    }
    let status = protect(&table, k);
    let scale = if indicator.is_rate() { 100.0 } else { 1.0 };
    let overall_cell = Cell {
        label: "all".into(),
        gap: None,
        status: status[0],
        measure: overall,
    };
    let groups = labels
        .into_iter()
        .zip(groups)
        .enumerate()
        .map(|(i, (label, m))| Cell {
            gap: gap(
                m.value(),
                status[i + 1],
                overall_cell.measure.value(),
                status[0],
            )
            .map(|g| g * scale),
            status: status[i + 1],
            label,
            measure: m,
        })
        .collect();
    Breakdown {
        indicator,
        overall: overall_cell,
        groups,
    }
}

/// The demographic fields a breakdown can use. Free text as the provider codes it (trimmed),
/// except the age band, which the import derives from a date of birth.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demographics {
    pub sex: Option<String>,
    pub race_ethnicity: Option<String>,
    pub age_band: Option<String>,
    pub veteran: Option<bool>,
    pub disability: Option<bool>,
    pub low_income: Option<bool>,
    pub justice_involved: Option<bool>,
    pub english_learner: Option<bool>,
}

/// A demographic field to break an indicator down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DemographicField {
    Sex,
    RaceEthnicity,
    AgeBand,
    Veteran,
    Disability,
    LowIncome,
    JusticeInvolved,
    EnglishLearner,
}

impl DemographicField {
    pub const ALL: [DemographicField; 8] = [
        DemographicField::Sex,
        DemographicField::RaceEthnicity,
        DemographicField::AgeBand,
        DemographicField::Veteran,
        DemographicField::Disability,
        DemographicField::LowIncome,
        DemographicField::JusticeInvolved,
        DemographicField::EnglishLearner,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DemographicField::Sex => "sex",
            DemographicField::RaceEthnicity => "race_ethnicity",
            DemographicField::AgeBand => "age_band",
            DemographicField::Veteran => "veteran",
            DemographicField::Disability => "disability",
            DemographicField::LowIncome => "low_income",
            DemographicField::JusticeInvolved => "justice_involved",
            DemographicField::EnglishLearner => "english_learner",
        }
    }

    pub fn parse(code: &str) -> Option<DemographicField> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DemographicField::Sex => "Sex",
            DemographicField::RaceEthnicity => "Race / ethnicity",
            DemographicField::AgeBand => "Age band",
            DemographicField::Veteran => "Veteran",
            DemographicField::Disability => "Disability",
            DemographicField::LowIncome => "Low income",
            DemographicField::JusticeInvolved => "Justice-involved",
            DemographicField::EnglishLearner => "English learner",
        }
    }

    /// The group a participant is in, `None` when not reported.
    pub fn group(self, d: &Demographics) -> Option<String> {
        let yes_no = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }.to_string());
        match self {
            DemographicField::Sex => d.sex.clone(),
            DemographicField::RaceEthnicity => d.race_ethnicity.clone(),
            DemographicField::AgeBand => d.age_band.clone(),
            DemographicField::Veteran => yes_no(d.veteran),
            DemographicField::Disability => yes_no(d.disability),
            DemographicField::LowIncome => yes_no(d.low_income),
            DemographicField::JusticeInvolved => yes_no(d.justice_involved),
            DemographicField::EnglishLearner => yes_no(d.english_learner),
        }
    }
}

/// The age bands a date of birth is reduced to (the date itself is never stored).
pub const AGE_BANDS: [&str; 7] = [
    "under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+",
];

/// The age band of someone born on `born` on day `on`, `None` if `born` is after `on`.
pub fn age_band(born: Day, on: Day) -> Option<&'static str> {
    let (by, bm, bd) = born.year_month_day();
    let (y, m, d) = on.year_month_day();
    if born > on {
        return None;
    }
    let mut age = y - by;
    if (m, d) < (bm, bd) {
        age -= 1;
    }
    Some(match age {
        a if a < 18 => AGE_BANDS[0],
        18..=24 => AGE_BANDS[1],
        25..=34 => AGE_BANDS[2],
        35..=44 => AGE_BANDS[3],
        45..=54 => AGE_BANDS[4],
        55..=64 => AGE_BANDS[5],
        _ => AGE_BANDS[6],
    })
}

/// One participant record as imported and stored: a pseudonymous key instead of the provider's
/// id, the program, the outcome fields and the demographics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParticipantRecord {
    /// HMAC-SHA256 of the provider's participant id under the partnership's secret key (hex).
    pub key: String,
    pub program: String,
    pub enrolled_on: Option<Day>,
    pub completed: Option<bool>,
    /// County of residence (5-digit FIPS), for the living-wage threshold.
    pub county: Option<String>,
    pub employer_q2: Option<String>,
    pub employer_q4: Option<String>,
    pub earnings_q4: Option<f64>,
    pub hours: Option<f64>,
    pub outcome: Participant,
    pub demographics: Demographics,
}

impl ParticipantRecord {
    /// The cohort: the exit quarter, `None` for someone still enrolled.
    pub fn cohort(&self) -> Option<PlanQuarter> {
        self.outcome.exited_on.map(exit_quarter)
    }
}

/// An indicator over a two-way split (rows: the groups of a field; columns: programs or exit
/// cohorts), protected as one table with its margins, so that no view of it — a column, the
/// row totals, another column — lets a hidden cell be worked out from the others.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoWayBreakdown {
    pub indicator: Indicator,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    /// `cells[r][c]`.
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub col_totals: Vec<Cell>,
    pub grand: Cell,
}

impl TwoWayBreakdown {
    /// The one-way view of column `col` (its groups against its total), or of the row totals
    /// against the grand total; gaps between published cells of that view.
    pub fn slice(&self, col: Option<usize>) -> Breakdown {
        let (overall, groups): (Cell, Vec<Cell>) = match col {
            Some(c) => (
                self.col_totals[c].clone(),
                self.cells.iter().map(|r| r[c].clone()).collect(),
            ),
            None => (self.grand.clone(), self.row_totals.clone()),
        };
        let scale = if self.indicator.is_rate() { 100.0 } else { 1.0 };
        let groups = groups
            .into_iter()
            .map(|mut g| {
                g.gap = crate::disclosure::gap(
                    g.measure.value(),
                    g.status,
                    overall.measure.value(),
                    overall.status,
                )
                .map(|x| x * scale);
                g
            })
            .collect();
        Breakdown {
            indicator: self.indicator,
            overall,
            groups,
        }
    }
}

/// Sorted labels, "not reported" last.
fn sorted_labels(mut labels: Vec<String>) -> Vec<String> {
    labels.sort_by(|a, b| (a == NOT_REPORTED, a.as_str()).cmp(&(b == NOT_REPORTED, b.as_str())));
    labels.dedup();
    labels
}

/// The label of a participant whose group is not known.
pub const NOT_REPORTED: &str = "not reported";

/// Participants split into labelled groups ("not reported" for an unknown label), sorted with
/// "not reported" last; computed once and reused by every indicator's breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub labels: Vec<String>,
    index: Vec<u32>,
}

impl Split {
    /// The split of `n` participants by `label_of(i)`.
    pub fn new(n: usize, label_of: impl Fn(usize) -> Option<String>) -> Split {
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut first: Vec<String> = Vec::new();
        let raw: Vec<u32> = (0..n)
            .map(|i| {
                let l = label_of(i).unwrap_or_else(|| NOT_REPORTED.into());
                match ids.get(&l) {
                    Some(&id) => id,
                    None => {
                        let id = first.len() as u32;
                        ids.insert(l.clone(), id);
                        first.push(l);
                        id
                    }
                }
            })
            .collect();
        let labels = sorted_labels(first.clone());
        let remap: Vec<u32> = first
            .iter()
            .map(|l| labels.iter().position(|x| x == l).expect("label") as u32)
            .collect();
        Split {
            labels,
            index: raw.into_iter().map(|r| remap[r as usize]).collect(),
        }
    }

    /// Everyone in one group (for a view with no second dimension).
    pub fn single(n: usize, label: &str) -> Split {
        Split {
            labels: vec![label.to_string()],
            index: vec![0; n],
        }
    }
}

/// `indicator` over `participants` split by `rows` × `cols`, every cell and margin protected
/// together with threshold `k`.
pub fn breakdown_two_way(
    indicator: Indicator,
    participants: &[Participant],
    rows: &Split,
    cols: &Split,
    k: crate::disclosure::Threshold,
) -> TwoWayBreakdown {
    use crate::disclosure::{Table, protect};
    assert_eq!(rows.index.len(), participants.len(), "a row for everyone");
    assert_eq!(
        cols.index.len(),
        participants.len(),
        "a column for everyone"
    );
    let (nr, nc) = (rows.labels.len(), cols.labels.len());
    let mut members: Vec<Vec<Vec<&Participant>>> = vec![vec![Vec::new(); nc]; nr];
    for (i, p) in participants.iter().enumerate() {
        members[rows.index[i] as usize][cols.index[i] as usize].push(p);
    }
    let rows = rows.labels.clone();
    let cols = cols.labels.clone();
    let cell_m: Vec<Vec<Measure>> = members
        .iter()
        .map(|row| {
            row.iter()
                .map(|m| measure(indicator, m.iter().copied()))
                .collect()
        })
        .collect();
    let row_m: Vec<Measure> = members
        .iter()
        .map(|row| measure(indicator, row.iter().flatten().copied()))
        .collect();
    let col_m: Vec<Measure> = (0..nc)
        .map(|c| {
            measure(
                indicator,
                members.iter().flat_map(|row| row[c].iter().copied()),
            )
        })
        .collect();
    let grand_m = measure(indicator, participants);
    let persons: Vec<Vec<u64>> = cell_m
        .iter()
        .map(|row| row.iter().map(Measure::persons).collect())
        .collect();
    let (mut table, shape) = Table::two_way(&persons);
    // The margins of `two_way` are sums of the cells; a measure's persons add up the same way
    // (every participant is in exactly one cell), which the debug check confirms.
    debug_assert_eq!(table.persons[shape.grand()], grand_m.persons());
    if indicator.is_rate() {
        let mut s = vec![0u64; table.persons.len()];
        for r in 0..nr {
            for c in 0..nc {
                s[shape.cell(r, c)] = cell_m[r][c].successes().unwrap_or(0);
            }
            s[shape.row_total(r)] = row_m[r].successes().unwrap_or(0);
        }
        for (c, m) in col_m.iter().enumerate() {
            s[shape.col_total(c)] = m.successes().unwrap_or(0);
        }
        s[shape.grand()] = grand_m.successes().unwrap_or(0);
        table = table.with_successes(s);
    }
    let status = protect(&table, k);
    let cell = |label: &str, m: Measure, i: usize| Cell {
        label: label.to_string(),
        measure: m,
        status: status[i],
        gap: None,
    };
    let mut cell_m = cell_m;
    let cells = (0..nr)
        .map(|r| {
            let row: Vec<Measure> = std::mem::take(&mut cell_m[r]);
            row.into_iter()
                .enumerate()
                .map(|(c, m)| cell(&rows[r], m, shape.cell(r, c)))
                .collect()
        })
        .collect();
    TwoWayBreakdown {
        indicator,
        row_totals: row_m
            .into_iter()
            .enumerate()
            .map(|(r, m)| cell(&rows[r], m, shape.row_total(r)))
            .collect(),
        col_totals: col_m
            .into_iter()
            .enumerate()
            .map(|(c, m)| cell(&cols[c], m, shape.col_total(c)))
            .collect(),
        grand: cell("all", grand_m, shape.grand()),
        cells,
        rows,
        cols,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::{CellStatus, Threshold};

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn exiter_on(d: &str) -> Participant {
        Participant {
            exited_on: Some(day(d)),
            ..Participant::default()
        }
    }

    proptest::proptest! {
        #[test]
        fn the_median_by_selection_is_the_median_by_sorting(
            mut v in proptest::collection::vec(-1.0e6f64..1.0e6, 1..60),
        ) {
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            let want = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
            proptest::prop_assert_eq!(median(&mut v), Some(want));
        }
    }

    #[test]
    fn age_bands_from_a_birth_date() {
        assert_eq!(
            age_band(day("2000-06-15"), day("2024-06-14")),
            Some("18-24")
        );
        assert_eq!(
            age_band(day("2000-06-15"), day("2025-06-14")),
            Some("18-24")
        );
        assert_eq!(
            age_band(day("2000-06-15"), day("2025-06-15")),
            Some("25-34")
        );
        assert_eq!(
            age_band(day("2010-01-01"), day("2024-01-01")),
            Some("under 18")
        );
        assert_eq!(age_band(day("1950-01-01"), day("2024-01-01")), Some("65+"));
        assert_eq!(age_band(day("2030-01-01"), day("2024-01-01")), None);
    }

    #[test]
    fn wioa_1_quarters_after_exit() {
        let exit = day("2024-02-10");
        assert_eq!(exit_quarter(exit).to_string(), "2024Q1");
        assert_eq!(quarter_after_exit(exit, 2).to_string(), "2024Q3");
        assert_eq!(quarter_after_exit(exit, 4).to_string(), "2025Q1");
    }

    /// The METHODS §7 cohort: 10 exiters after exclusions.
    fn cohort() -> Vec<Participant> {
        let q2 = [
            true, true, true, true, true, true, true, false, false, false,
        ];
        let q4 = [
            true, true, true, true, true, true, false, false, false, false,
        ];
        let earnings = [3000.0, 4500.0, 5200.0, 6000.0, 6100.0, 7000.0, 9000.0];
        let same = [true, true, true, true, true, false, false];
        let mut out: Vec<Participant> = (0..10)
            .map(|i| Participant {
                employed_q2: Some(q2[i]),
                employed_q4: Some(q4[i]),
                earnings_q2: earnings.get(i).copied(),
                same_employer: same.get(i).copied(),
                ..exiter_on("2024-02-10")
            })
            .collect();
        // One more who is excluded (institutionalized): in no indicator.
        out.push(Participant {
            excluded: true,
            employed_q2: Some(true),
            employed_q4: Some(true),
            ..exiter_on("2024-02-10")
        });
        out
    }

    #[test]
    fn wioa_2_employment_rates() {
        let c = cohort();
        let q2 = measure(Indicator::EmploymentQ2, &c);
        assert_eq!(
            q2,
            Measure::Rate(Rate {
                numerator: 7,
                denominator: 10,
                unknown: 0
            })
        );
        assert_eq!(q2.value(), Some(0.7));
        assert_eq!(measure(Indicator::EmploymentQ4, &c).value(), Some(0.6));
    }

    #[test]
    fn wioa_3_median_earnings() {
        let mut c = cohort();
        let m = measure(Indicator::MedianEarningsQ2, &c);
        assert_eq!(m.value(), Some(6000.0));
        assert_eq!(m.persons(), 7);
        // Adding a person employed at 10,000 makes the count even: mean of 6,000 and 6,100.
        c.push(Participant {
            employed_q2: Some(true),
            earnings_q2: Some(10_000.0),
            ..exiter_on("2024-02-10")
        });
        assert_eq!(
            measure(Indicator::MedianEarningsQ2, &c).value(),
            Some(6050.0)
        );
    }

    #[test]
    fn wioa_4_credential_attainment() {
        // 8 exiters in training; 5 attained within a year, one of them only a HS diploma.
        let mut c: Vec<Participant> = (0..8)
            .map(|i| Participant {
                in_training: true,
                credential: Some(if i < 4 {
                    Credential::Postsecondary
                } else {
                    Credential::None
                }),
                credential_on: (i < 4).then(|| day("2024-06-01")),
                ..exiter_on("2024-02-10")
            })
            .collect();
        c[4].credential = Some(Credential::SecondaryDiploma);
        c[4].credential_on = Some(day("2024-05-01"));
        c[4].employed_q4 = Some(true);
        assert_eq!(
            measure(Indicator::CredentialAttainment, &c).value(),
            Some(0.625)
        );
        // Neither employed nor in postsecondary education: the diploma does not count.
        c[4].employed_q4 = Some(false);
        c[4].postsecondary_enrolled = Some(false);
        assert_eq!(
            measure(Indicator::CredentialAttainment, &c).value(),
            Some(0.5)
        );
        // A postsecondary credential more than a year after exit does not count either.
        c[0].credential_on = Some(day("2025-03-01"));
        assert_eq!(
            measure(Indicator::CredentialAttainment, &c).value(),
            Some(0.375)
        );
        // Someone not in training is not in the denominator.
        c.push(exiter_on("2024-02-10"));
        assert_eq!(measure(Indicator::CredentialAttainment, &c).persons(), 8);
    }

    #[test]
    fn wioa_5_measurable_skill_gains() {
        let c: Vec<Participant> = (0..12)
            .map(|i| Participant {
                in_training: true,
                skill_gain: Some(i < 9),
                ..Participant::default()
            })
            .collect();
        assert_eq!(
            measure(Indicator::MeasurableSkillGains, &c).value(),
            Some(0.75)
        );
    }

    #[test]
    fn wioa_6_retention_with_the_same_employer() {
        let m = measure(Indicator::RetentionSameEmployer, &cohort());
        assert_eq!(m.persons(), 7);
        let v = m.value().unwrap();
        assert_eq!((v * 10_000.0).round() / 100.0, 71.43);
    }

    #[test]
    fn unknown_is_left_out_not_counted_as_no() {
        let mut c = cohort();
        c[9].employed_q2 = None;
        let Measure::Rate(r) = measure(Indicator::EmploymentQ2, &c) else {
            panic!()
        };
        assert_eq!((r.numerator, r.denominator, r.unknown), (7, 9, 1));
    }

    #[test]
    fn job_quality_measures() {
        let mut c = cohort();
        for (i, p) in c.iter_mut().enumerate().take(7) {
            p.hourly_wage = Some(18.0 + i as f64);
            p.wage_before = Some(15.0);
            p.living_wage = Some(20.0);
            p.benefits = Some(i % 2 == 0);
        }
        // Wages 18..24 against 20: 20, 21, 22, 23, 24 are at or above.
        let lw = measure(Indicator::LivingWage, &c);
        assert_eq!((lw.successes(), lw.persons()), (Some(5), 7));
        let b = measure(Indicator::Benefits, &c);
        assert_eq!((b.successes(), b.persons()), (Some(4), 7));
        // Gains 3..9: median 6.
        assert_eq!(measure(Indicator::MedianWageGain, &c).value(), Some(6.0));
        // Bargaining never asked: no denominator, everyone employed unknown.
        let g = measure(Indicator::Bargaining, &c);
        assert_eq!((g.persons(), g.unknown(), g.value()), (0, 7, None));
    }

    #[test]
    fn two_way_breakdowns_keep_a_hidden_group_hidden_in_every_view() {
        // Two programs. The 3 "not reported" are all in program A; women are 10 in A, 12 in B.
        // One-way, the all-programs view would hide women (22) as the complement of the 3 while
        // each program's view published 10 and 12: 22 by addition, then 3 by subtraction.
        let mut people = Vec::new();
        let mut sex = Vec::new();
        let mut prog = Vec::new();
        for (n, s, p) in [
            (10, Some("F"), "A"),
            (12, Some("F"), "B"),
            (3, None, "A"),
            (30, Some("M"), "A"),
            (25, Some("M"), "B"),
        ] {
            for i in 0..n {
                people.push(Participant {
                    employed_q2: Some(i % 2 == 0),
                    ..exiter_on("2024-02-10")
                });
                sex.push(s);
                prog.push(p);
            }
        }
        let t = breakdown_two_way(
            Indicator::EmploymentQ2,
            &people,
            &Split::new(people.len(), |i| sex[i].map(str::to_string)),
            &Split::new(people.len(), |i| Some(prog[i].to_string())),
            Threshold::DEFAULT,
        );
        assert_eq!(t.rows, ["F", "M", "not reported"]);
        assert_eq!(t.cols, ["A", "B"]);
        let all = t.slice(None);
        let a = t.slice(Some(0));
        let b = t.slice(Some(1));
        assert!(!all.groups[2].status.published(), "the 3");
        // Whatever is shown across the three views, women's total and the 3 cannot both be had:
        // if women are hidden overall, they are hidden in at least one program too.
        if !all.groups[0].status.published() {
            assert!(!a.groups[0].status.published() || !b.groups[0].status.published());
        }
        // And the 3 in program A are hidden there.
        assert!(!a.groups[2].status.published());
        // The overall count is published.
        assert_eq!(all.overall.measure.persons(), 80);
    }

    #[test]
    fn breakdowns_protect_small_groups_and_show_gaps_only_between_published_cells() {
        // 40 exiters: 25 women (20 employed), 12 men (6 employed), 3 not reported (1 employed).
        let mut c = Vec::new();
        for (n, employed, sex) in [(25, 20, Some("F")), (12, 6, Some("M")), (3, 1, None)] {
            for i in 0..n {
                c.push((
                    sex,
                    Participant {
                        employed_q2: Some(i < employed),
                        ..exiter_on("2024-02-10")
                    },
                ));
            }
        }
        let people: Vec<Participant> = c.iter().map(|(_, p)| p.clone()).collect();
        let b = breakdown(
            Indicator::EmploymentQ2,
            &people,
            |i, _| c[i].0.map(str::to_string),
            Threshold::DEFAULT,
        );
        assert_eq!(b.overall.shown(), Some(27.0 / 40.0));
        let labels: Vec<&str> = b.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["F", "M", "not reported"]);
        // The 3 is primary; the 12 is hidden with it (the smallest other group).
        assert_eq!(b.groups[2].status, CellStatus::Primary);
        assert_eq!(b.groups[1].status, CellStatus::Complementary);
        assert_eq!(b.groups[1].shown(), None);
        assert_eq!(b.groups[1].gap, None);
        // Women: 80% vs 67.5% overall: +12.5 points.
        assert_eq!(b.groups[0].shown(), Some(0.8));
        assert!((b.groups[0].gap.unwrap() - 12.5).abs() < 1e-9);
    }
}
