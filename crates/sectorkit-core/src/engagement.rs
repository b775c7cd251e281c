//! Convening: meetings, action items, outreach touches and employer voice — their closed lists
//! — and engagement health: per-organization attendance and commitments, and the red flags a
//! partnership's records raise (computed here, shown on the overview).
//!
//! Every rule is a plain function of the records and a [`HealthSettings`], so that each can be
//! tested with a fixture where it fires and one where it does not.

use crate::day::Day;
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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

closed_list!(
    /// The kinds of meeting a partnership holds, from the first one-on-one to the summit.
    MeetingKind, "meeting type", {
    OneOnOne => ("one_on_one", "One-on-one"),
    SiteTour => ("site_tour", "Site tour"),
    IndustryRoundtable => ("industry_roundtable", "Industry roundtable"),
    FocusGroup => ("focus_group", "Focus group"),
    Forum => ("forum", "Forum"),
    PartnershipMeeting => ("partnership_meeting", "Partnership meeting"),
    WorkingGroup => ("working_group", "Working group"),
    Summit => ("summit", "Summit"),
});

closed_list!(
    /// A person's attendance at a meeting.
    AttendanceStatus, "attendance", {
    Invited => ("invited", "Invited"),
    Attended => ("attended", "Attended"),
    Delegate => ("delegate", "Sent a delegate"),
});

closed_list!(
    /// Where an action item stands.
    ActionStatus, "action item status", {
    Open => ("open", "Open"),
    Done => ("done", "Done"),
    Dropped => ("dropped", "Dropped"),
});

closed_list!(
    /// How an outreach touch was made.
    Channel, "channel", {
    Email => ("email", "Email"),
    Phone => ("phone", "Phone"),
    Visit => ("visit", "Visit"),
    Meeting => ("meeting", "Meeting"),
    Event => ("event", "Event"),
    Other => ("other", "Other"),
});

closed_list!(
    /// What an employer-voice finding is about.
    VoiceType, "finding type", {
    HiringDifficulty => ("hiring_difficulty", "Hiring difficulty"),
    Turnover => ("turnover", "Turnover"),
    SkillsGap => ("skills_gap", "Skills gap"),
    Retirements => ("retirements", "Retirements"),
    HrCapacity => ("hr_capacity", "HR capacity"),
    Other => ("other", "Other"),
});

impl AttendanceStatus {
    /// The organization was at the table (in person or through a delegate).
    pub fn present(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Attended | AttendanceStatus::Delegate
        )
    }
}

/// The first-meeting template's agenda: issues to prioritize, a vision, areas for analysis,
/// governance (one item per line, the user edits it before saving).
pub const FIRST_MEETING_AGENDA: &[&str] = &[
    "Welcome and introductions: why this industry, why now",
    "What the data shows: the target industries and their occupations",
    "Industry issues: what employers say gets in the way of growth",
    "Prioritize: pick two or three issues to work on first",
    "Vision: what success looks like for employers and workers in three years",
    "Areas for analysis: what we need to learn before the next meeting",
    "Governance: who convenes, how decisions are made, who joins the working groups",
    "Next steps, owners and dates",
];

/// One person's attendance, as the health rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeFacts {
    pub contact_id: i64,
    pub organization_id: i64,
    pub employer: bool,
    pub status: AttendanceStatus,
}

/// A meeting, as the health rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFacts {
    pub id: i64,
    pub held_on: Day,
    pub attendees: Vec<AttendeeFacts>,
}

impl MeetingFacts {
    /// Distinct employer organizations present.
    pub fn employers_present(&self) -> usize {
        self.attendees
            .iter()
            .filter(|a| a.employer && a.status.present())
            .map(|a| a.organization_id)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// People present (attended or delegate).
    pub fn present(&self) -> usize {
        self.attendees.iter().filter(|a| a.status.present()).count()
    }

    /// People present from employers.
    pub fn employer_people_present(&self) -> usize {
        self.attendees
            .iter()
            .filter(|a| a.employer && a.status.present())
            .count()
    }
}

/// An action item, as the health rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFacts {
    pub owner_contact_id: Option<i64>,
    pub owner_organization_id: Option<i64>,
    /// The owner works for an employer.
    pub owner_employer: bool,
    pub due_on: Option<Day>,
    pub status: ActionStatus,
}

impl ActionFacts {
    pub fn overdue(&self, today: Day) -> bool {
        self.status == ActionStatus::Open && self.due_on.is_some_and(|d| d < today)
    }
}

/// The thresholds of the red flags (each configurable per partnership).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HealthSettings {
    /// Meetings compared for a fall in employer attendance (default 3).
    pub falling_meetings: usize,
    /// The window, in days, in which lost employers are counted (default 90).
    pub lost_window_days: i32,
    /// More employers lost than this in the window is a flag (default 2).
    pub lost_max: usize,
    /// Recent meetings looked at for the "same few voices" flag (default 5).
    pub voices_meetings: usize,
    /// This many distinct employer people or fewer across those meetings is a flag (default 2).
    pub voices_max: usize,
    /// This many open overdue action items or more is a flag (default 3).
    pub overdue_max: usize,
    /// No meeting for more days than this is a flag (default 60).
    pub quiet_days: i32,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            falling_meetings: 3,
            lost_window_days: 90,
            lost_max: 2,
            voices_meetings: 5,
            voices_max: 2,
            overdue_max: 3,
            quiet_days: 60,
        }
    }
}

/// Something in the records that says engagement is slipping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RedFlag {
    /// Employer organizations present fell at each of the last meetings (oldest first).
    EmployerAttendanceFalling { counts: Vec<usize> },
    /// Employers that took part before and stopped (or were archived) within the window.
    EmployersLost { lost: usize, days: i32 },
    /// Only these few employer people spoke for the industry in the recent meetings.
    SameFewVoices { people: usize, meetings: usize },
    /// Action items exist but no employer leads any of them.
    EmployersLeadNoActions { items: usize },
    /// Open action items past their due date.
    ActionsOverdue { overdue: usize },
    /// No meeting for a long time (or none ever).
    NoRecentMeeting {
        days_since: Option<i32>,
        quiet_days: i32,
    },
}

impl RedFlag {
    /// What the flag means, in a sentence.
    pub fn message(&self) -> String {
        match self {
            RedFlag::EmployerAttendanceFalling { counts } => format!(
                "Employer attendance is falling: {} employers at the last {} meetings.",
                counts
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(" → "),
                counts.len()
            ),
            RedFlag::EmployersLost { lost, days } => format!(
                "{lost} employers stopped taking part in the last {days} days: call them before the next meeting."
            ),
            RedFlag::SameFewVoices { people, meetings } => format!(
                "The same {people} employer {} spoke for the industry in the last {meetings} meetings: recruit more voices.",
                if *people == 1 { "person" } else { "people" }
            ),
            RedFlag::EmployersLeadNoActions { items } => format!(
                "No employer leads any of the {items} action items: the work is staff-driven, not industry-led."
            ),
            RedFlag::ActionsOverdue { overdue } => {
                format!("{overdue} action items are past due: review owners and dates.")
            }
            RedFlag::NoRecentMeeting {
                days_since: Some(d),
                quiet_days,
            } => format!("No meeting in {d} days (more than {quiet_days}): momentum fades."),
            RedFlag::NoRecentMeeting {
                days_since: None, ..
            } => "No meeting recorded yet: log the first one.".into(),
        }
    }

    /// Where the fix is, relative to the partnership (`/p/{pid}/…`).
    pub fn fix(&self) -> (&'static str, &'static str) {
        match self {
            RedFlag::EmployerAttendanceFalling { .. } | RedFlag::EmployersLost { .. } => {
                ("partners/outreach", "Log outreach to employers")
            }
            RedFlag::SameFewVoices { .. } => ("partners", "See the employers and their people"),
            RedFlag::EmployersLeadNoActions { .. } | RedFlag::ActionsOverdue { .. } => {
                ("partners/meetings#actions", "Review the action items")
            }
            RedFlag::NoRecentMeeting { .. } => ("partners/meetings#new", "Log a meeting"),
        }
    }
}

/// The red flags raised by the records, in the order of [`RedFlag`]'s variants.
///
/// `meetings` are held meetings (on or before `today`) in any order; `archived_employers` the
/// days employer organizations were archived.
pub fn red_flags(
    meetings: &[MeetingFacts],
    actions: &[ActionFacts],
    archived_employers: &[Day],
    today: Day,
    s: &HealthSettings,
) -> Vec<RedFlag> {
    let mut held: Vec<&MeetingFacts> = meetings.iter().filter(|m| m.held_on <= today).collect();
    held.sort_by_key(|m| (m.held_on, m.id));
    let with_attendance: Vec<&MeetingFacts> = held
        .iter()
        .copied()
        .filter(|m| !m.attendees.is_empty())
        .collect();
    let mut out = Vec::new();

    // Falling: strictly fewer employers at each of the last N meetings with attendance.
    if s.falling_meetings >= 2 && with_attendance.len() >= s.falling_meetings {
        let counts: Vec<usize> = with_attendance[with_attendance.len() - s.falling_meetings..]
            .iter()
            .map(|m| m.employers_present())
            .collect();
        if counts.windows(2).all(|w| w[1] < w[0]) {
            out.push(RedFlag::EmployerAttendanceFalling { counts });
        }
    }

    // Lost: present before the window, absent from every meeting in it (at least two meetings
    // in the window, or one cannot tell absence from a skipped meeting), plus archived ones.
    let start = today.plus(-s.lost_window_days);
    let (before, within): (Vec<&MeetingFacts>, Vec<&MeetingFacts>) =
        with_attendance.iter().partition(|m| m.held_on < start);
    let employers_in = |ms: &[&MeetingFacts]| -> BTreeSet<i64> {
        ms.iter()
            .flat_map(|m| m.attendees.iter())
            .filter(|a| a.employer && a.status.present())
            .map(|a| a.organization_id)
            .collect()
    };
    let mut lost = 0;
    if within.len() >= 2 {
        let now_in = employers_in(&within);
        lost += employers_in(&before).difference(&now_in).count();
    }
    lost += archived_employers.iter().filter(|d| **d >= start).count();
    if lost > s.lost_max {
        out.push(RedFlag::EmployersLost {
            lost,
            days: s.lost_window_days,
        });
    }

    // Same few voices: across the last M meetings with attendance (at least 3 of them), only
    // a few distinct employer people were present.
    let recent = &with_attendance[with_attendance.len().saturating_sub(s.voices_meetings)..];
    if recent.len() >= 3 {
        let people: BTreeSet<i64> = recent
            .iter()
            .flat_map(|m| m.attendees.iter())
            .filter(|a| a.employer && a.status.present())
            .map(|a| a.contact_id)
            .collect();
        if !people.is_empty() && people.len() <= s.voices_max {
            out.push(RedFlag::SameFewVoices {
                people: people.len(),
                meetings: recent.len(),
            });
        }
    }

    // No employer leads: action items (not dropped) exist and none has an employer owner.
    let live: Vec<&ActionFacts> = actions
        .iter()
        .filter(|a| a.status != ActionStatus::Dropped)
        .collect();
    if !live.is_empty() && !live.iter().any(|a| a.owner_employer) {
        out.push(RedFlag::EmployersLeadNoActions { items: live.len() });
    }

    let overdue = actions.iter().filter(|a| a.overdue(today)).count();
    if overdue >= s.overdue_max.max(1) {
        out.push(RedFlag::ActionsOverdue { overdue });
    }

    match held.last() {
        None => out.push(RedFlag::NoRecentMeeting {
            days_since: None,
            quiet_days: s.quiet_days,
        }),
        Some(m) if today.since(m.held_on) > s.quiet_days => out.push(RedFlag::NoRecentMeeting {
            days_since: Some(today.since(m.held_on)),
            quiet_days: s.quiet_days,
        }),
        Some(_) => {}
    }
    out
}

/// One organization's engagement.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OrgEngagement {
    /// Meetings the organization was invited to or attended.
    pub invited: usize,
    /// Of those, meetings it was present at.
    pub present: usize,
    /// Presence at the last meetings it was invited to, oldest first (the trend).
    pub trend: Vec<bool>,
    /// The last day anyone met it: a meeting it was present at, or an outreach touch.
    pub last_contact: Option<Day>,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

/// Engagement of every organization that appears in the records, by organization id.
/// `touches` are (organization id, day) of outreach touches.
pub fn org_engagement(
    meetings: &[MeetingFacts],
    actions: &[ActionFacts],
    touches: &[(i64, Day)],
    today: Day,
    trend_len: usize,
) -> BTreeMap<i64, OrgEngagement> {
    let mut held: Vec<&MeetingFacts> = meetings.iter().filter(|m| m.held_on <= today).collect();
    held.sort_by_key(|m| (m.held_on, m.id));
    let mut out: BTreeMap<i64, OrgEngagement> = BTreeMap::new();
    let mut trends: BTreeMap<i64, Vec<bool>> = BTreeMap::new();
    for m in &held {
        // An organization is present if any of its people is.
        let mut orgs: BTreeMap<i64, bool> = BTreeMap::new();
        for a in &m.attendees {
            *orgs.entry(a.organization_id).or_default() |= a.status.present();
        }
        for (org, present) in orgs {
            let e = out.entry(org).or_default();
            e.invited += 1;
            if present {
                e.present += 1;
                e.last_contact = e.last_contact.max(Some(m.held_on));
            }
            trends.entry(org).or_default().push(present);
        }
    }
    for (org, day) in touches {
        let e = out.entry(*org).or_default();
        if *day <= today {
            e.last_contact = e.last_contact.max(Some(*day));
        }
    }
    for a in actions {
        if let (Some(org), ActionStatus::Open) = (a.owner_organization_id, a.status) {
            let e = out.entry(org).or_default();
            e.open_actions += 1;
            if a.overdue(today) {
                e.overdue_actions += 1;
            }
        }
    }
    for (org, t) in trends {
        let e = out.entry(org).or_default();
        e.trend = t[t.len().saturating_sub(trend_len)..].to_vec();
    }
    out
}

/// Attendance of one held meeting, for the partnership's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendancePoint {
    pub meeting_id: i64,
    pub held_on: Day,
    pub present: usize,
    pub employer_present: usize,
    /// Employer people as a share of people present, if anyone was present.
    pub employer_share: Option<f64>,
}

/// The partnership's attendance trend, oldest first.
pub fn attendance_trend(meetings: &[MeetingFacts], today: Day) -> Vec<AttendancePoint> {
    let mut held: Vec<&MeetingFacts> = meetings
        .iter()
        .filter(|m| m.held_on <= today && !m.attendees.is_empty())
        .collect();
    held.sort_by_key(|m| (m.held_on, m.id));
    held.iter()
        .map(|m| {
            let present = m.present();
            let employer_present = m.employer_people_present();
            AttendancePoint {
                meeting_id: m.id,
                held_on: m.held_on,
                present,
                employer_present,
                employer_share: (present > 0).then(|| employer_present as f64 / present as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-06-30";

    /// A meeting on `on` where employer people `emp` (contact id = org id) and one staff person
    /// (contact 900 of org 900) were present.
    fn meeting(id: i64, on: &str, emp: &[i64]) -> MeetingFacts {
        let mut attendees: Vec<AttendeeFacts> = emp
            .iter()
            .map(|&c| AttendeeFacts {
                contact_id: c,
                organization_id: c,
                employer: true,
                status: AttendanceStatus::Attended,
            })
            .collect();
        attendees.push(AttendeeFacts {
            contact_id: 900,
            organization_id: 900,
            employer: false,
            status: AttendanceStatus::Attended,
        });
        MeetingFacts {
            id,
            held_on: day(on),
            attendees,
        }
    }

    fn action(employer: bool, due: Option<&str>, status: ActionStatus) -> ActionFacts {
        ActionFacts {
            owner_contact_id: Some(if employer { 1 } else { 900 }),
            owner_organization_id: Some(if employer { 1 } else { 900 }),
            owner_employer: employer,
            due_on: due.map(day),
            status,
        }
    }

    fn flags(m: &[MeetingFacts], a: &[ActionFacts], archived: &[Day]) -> Vec<RedFlag> {
        red_flags(m, a, archived, day(TODAY), &HealthSettings::default())
    }

    /// Five meetings, employers 1–6 steady, the last recent: no flag at all.
    fn healthy() -> (Vec<MeetingFacts>, Vec<ActionFacts>) {
        let emp = [1, 2, 3, 4, 5, 6];
        (
            vec![
                meeting(1, "2026-02-10", &emp),
                meeting(2, "2026-03-10", &emp),
                meeting(3, "2026-04-10", &emp),
                meeting(4, "2026-05-10", &emp),
                meeting(5, "2026-06-10", &emp),
            ],
            vec![
                action(true, Some("2026-07-15"), ActionStatus::Open),
                action(false, Some("2026-06-01"), ActionStatus::Done),
            ],
        )
    }

    #[test]
    fn a_healthy_partnership_raises_no_flag() {
        let (m, a) = healthy();
        assert_eq!(flags(&m, &a, &[]), vec![]);
    }

    #[test]
    fn falling_employer_attendance() {
        let (mut m, a) = healthy();
        m[3] = meeting(4, "2026-05-10", &[1, 2, 3, 4, 5]);
        m[4] = meeting(5, "2026-06-10", &[1, 2, 3, 4]);
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::EmployerAttendanceFalling {
                counts: vec![6, 5, 4]
            }]
        );
        // Level is not falling.
        m[4] = meeting(5, "2026-06-10", &[1, 2, 3, 4, 5]);
        assert_eq!(flags(&m, &a, &[]), vec![]);
    }

    #[test]
    fn employers_lost_in_the_window() {
        let (mut m, a) = healthy();
        // Employers 4, 5, 6 came until March and stopped (two meetings in the window): 3 > 2.
        // Attendance holds level in the last three, so only this flag fires.
        m[2] = meeting(3, "2026-04-10", &[1, 2, 3]);
        m[3] = meeting(4, "2026-05-10", &[1, 2, 3]);
        m[4] = meeting(5, "2026-06-10", &[1, 2, 3]);
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::EmployersLost { lost: 3, days: 90 }]
        );
        // Two lost is within the default.
        m[2] = meeting(3, "2026-04-10", &[1, 2, 3, 4]);
        m[3] = meeting(4, "2026-05-10", &[1, 2, 3, 4]);
        m[4] = meeting(5, "2026-06-10", &[1, 2, 3, 4]);
        assert_eq!(flags(&m, &a, &[]), vec![]);
        // Archived employers count too; an old archive does not.
        assert_eq!(
            flags(&m, &a, &[day("2026-06-01"), day("2025-01-01")]),
            vec![RedFlag::EmployersLost { lost: 3, days: 90 }]
        );
    }

    #[test]
    fn same_few_voices() {
        let (mut m, a) = healthy();
        for (i, mm) in m.iter_mut().enumerate() {
            *mm = meeting(i as i64 + 1, &mm.held_on.to_string(), &[1, 2]);
        }
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::SameFewVoices {
                people: 2,
                meetings: 5
            }]
        );
        // A third voice clears it.
        m[4] = meeting(5, "2026-06-10", &[1, 2, 3]);
        m[3] = meeting(4, "2026-05-10", &[1, 2, 3]);
        m[2] = meeting(3, "2026-04-10", &[1, 2, 3]);
        assert_eq!(flags(&m, &a, &[]), vec![]);
    }

    #[test]
    fn employers_lead_no_action_items() {
        let (m, _) = healthy();
        let a = vec![
            action(false, Some("2026-07-15"), ActionStatus::Open),
            action(false, None, ActionStatus::Done),
            action(true, None, ActionStatus::Dropped),
        ];
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::EmployersLeadNoActions { items: 2 }]
        );
        // No action items at all is not this flag.
        assert_eq!(flags(&m, &[], &[]), vec![]);
    }

    #[test]
    fn overdue_action_items() {
        let (m, mut a) = healthy();
        for _ in 0..3 {
            a.push(action(true, Some("2026-06-01"), ActionStatus::Open));
        }
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::ActionsOverdue { overdue: 3 }]
        );
        // Due today is not overdue; done is not overdue.
        a.pop();
        a.push(action(true, Some(TODAY), ActionStatus::Open));
        a.push(action(true, Some("2026-01-01"), ActionStatus::Done));
        assert_eq!(flags(&m, &a, &[]), vec![]);
    }

    #[test]
    fn no_recent_meeting() {
        let (mut m, a) = healthy();
        // The last meeting 61 days ago.
        m.truncate(3);
        m[2] = meeting(3, "2026-04-30", &[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            flags(&m, &a, &[]),
            vec![RedFlag::NoRecentMeeting {
                days_since: Some(61),
                quiet_days: 60
            }]
        );
        // 60 days is not more than 60.
        m[2] = meeting(3, "2026-05-01", &[1, 2, 3, 4, 5, 6]);
        assert_eq!(flags(&m, &a, &[]), vec![]);
        // A meeting planned for later does not count as held.
        m.push(meeting(9, "2026-08-01", &[1]));
        assert_eq!(flags(&m, &a, &[]), vec![]);
        assert_eq!(
            flags(&[], &[], &[]),
            vec![RedFlag::NoRecentMeeting {
                days_since: None,
                quiet_days: 60
            }]
        );
    }

    #[test]
    fn thresholds_are_settings() {
        let (m, a) = healthy();
        let strict = HealthSettings {
            quiet_days: 10,
            ..HealthSettings::default()
        };
        assert_eq!(
            red_flags(&m, &a, &[], day(TODAY), &strict),
            vec![RedFlag::NoRecentMeeting {
                days_since: Some(20),
                quiet_days: 10
            }]
        );
    }

    #[test]
    fn per_organization_engagement() {
        let mut m = vec![
            meeting(1, "2026-04-10", &[1, 2]),
            meeting(2, "2026-05-10", &[1]),
            meeting(3, "2026-06-10", &[1]),
        ];
        // Org 2 invited to the last two but absent.
        for mm in &mut m[1..] {
            mm.attendees.push(AttendeeFacts {
                contact_id: 2,
                organization_id: 2,
                employer: true,
                status: AttendanceStatus::Invited,
            });
        }
        let a = vec![
            action(true, Some("2026-06-01"), ActionStatus::Open),
            action(true, None, ActionStatus::Open),
            action(true, None, ActionStatus::Done),
        ];
        let e = org_engagement(&m, &a, &[(2, day("2026-06-20"))], day(TODAY), 3);
        assert_eq!(
            e[&1],
            OrgEngagement {
                invited: 3,
                present: 3,
                trend: vec![true, true, true],
                last_contact: Some(day("2026-06-10")),
                open_actions: 2,
                overdue_actions: 1,
            }
        );
        assert_eq!(e[&2].trend, vec![true, false, false]);
        assert_eq!(e[&2].last_contact, Some(day("2026-06-20")), "a touch");
        let t = attendance_trend(&m, day(TODAY));
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].present, t[0].employer_present), (3, 2));
        assert_eq!(t[0].employer_share, Some(2.0 / 3.0));
    }

    #[test]
    fn lists_parse_from_code_or_label() {
        assert_eq!("Site tour".parse(), Ok(MeetingKind::SiteTour));
        assert_eq!("one-on-one".parse(), Ok(MeetingKind::OneOnOne));
        assert_eq!("Sent a delegate".parse(), Ok(AttendanceStatus::Delegate));
        assert!("webinar".parse::<MeetingKind>().is_err());
        assert_eq!(FIRST_MEETING_AGENDA.len(), 8);
    }
}
