//! The demo partnership's convening records: a clearly fictional table (every name says
//! "(fictional)", every email is at `.example`) of employers of the shortlisted insurance
//! industry and the organizations around them, their people, three meetings with attendance
//! and action items, outreach touches and employer-voice findings — so that every panel of
//! the Partners section shows something on the first run.
//!
//! Created once (when the partnership has no organizations); dates are relative to the day it
//! is created, so the demo starts recent and ages like a real partnership would.

use anyhow::Result;
use sectorkit_core::day::Day;
use sectorkit_core::engagement::{AttendanceStatus, Channel, MeetingKind, VoiceType};
use sectorkit_core::partners::{ContactLevel, Influence, OrgCategory, SizeBand};
use sectorkit_store::{
    ActionFields, ContactFields, FindingFields, MeetingFields, OrganizationFields, PartnershipId,
    Store, TouchFields, UserId,
};

struct Org {
    name: &'static str,
    category: OrgCategory,
    naics: Option<&'static str>,
    size: Option<SizeBand>,
    county: &'static str,
    intermediary: bool,
}

/// (organization index, name, title, level, email, champion, decision-maker, influence)
type Person = (
    usize,
    &'static str,
    &'static str,
    ContactLevel,
    &'static str,
    bool,
    bool,
    Option<Influence>,
);

/// (type, title, days from today, agenda, decisions, people present by index; an index twice
/// means the person sent a delegate)
type DemoMeeting = (
    MeetingKind,
    &'static str,
    i32,
    Vec<String>,
    Vec<&'static str>,
    &'static [usize],
);

const ORGS: &[Org] = &[
    Org {
        name: "Scioto Mutual Insurance (fictional)",
        category: OrgCategory::Employer,
        naics: Some("524126"),
        size: Some(SizeBand::Large),
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Olentangy Claims Services (fictional)",
        category: OrgCategory::Employer,
        naics: Some("524291"),
        size: Some(SizeBand::Medium),
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Buckeye Benefit Administrators (fictional)",
        category: OrgCategory::Employer,
        naics: Some("524292"),
        size: Some(SizeBand::Medium),
        county: "39041",
        intermediary: false,
    },
    Org {
        name: "Darby Life & Annuity (fictional)",
        category: OrgCategory::Employer,
        naics: Some("524113"),
        size: Some(SizeBand::VeryLarge),
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Alum Creek Agency Group (fictional)",
        category: OrgCategory::Employer,
        naics: Some("524210"),
        size: Some(SizeBand::Small),
        county: "39041",
        intermediary: false,
    },
    Org {
        name: "Central Ohio Insurance Association (fictional)",
        category: OrgCategory::IndustryAssociation,
        naics: None,
        size: None,
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Mid-Ohio Workforce Board (fictional)",
        category: OrgCategory::PublicWorkforce,
        naics: None,
        size: None,
        county: "39049",
        intermediary: true,
    },
    Org {
        name: "Columbus Area Technical College (fictional)",
        category: OrgCategory::EducationCollege,
        naics: None,
        size: None,
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Claims Professionals Guild (fictional)",
        category: OrgCategory::Labor,
        naics: None,
        size: None,
        county: "39049",
        intermediary: false,
    },
    Org {
        name: "Linden Neighborhood Works (fictional)",
        category: OrgCategory::Community,
        naics: None,
        size: None,
        county: "39049",
        intermediary: false,
    },
];

const PEOPLE: &[Person] = &[
    (
        0,
        "Maya Okafor",
        "VP, Claims Operations",
        ContactLevel::Executive,
        "maya.okafor@scioto-mutual.example",
        true,
        true,
        Some(Influence::Doer),
    ),
    (
        0,
        "Tom Brandt",
        "Talent Acquisition Lead",
        ContactLevel::Hr,
        "tom.brandt@scioto-mutual.example",
        false,
        false,
        None,
    ),
    (
        1,
        "Priya Raman",
        "Director of Operations",
        ContactLevel::Executive,
        "priya@olentangy-claims.example",
        false,
        true,
        Some(Influence::Politico),
    ),
    (
        2,
        "Luis Ortega",
        "HR Manager",
        ContactLevel::Hr,
        "lortega@buckeye-benefits.example",
        false,
        false,
        Some(Influence::Naysayer),
    ),
    (
        3,
        "Grace Whitfield",
        "Claims Supervisor",
        ContactLevel::FrontLineManager,
        "gwhitfield@darby-life.example",
        false,
        false,
        None,
    ),
    (
        4,
        "Sam Keller",
        "Owner",
        ContactLevel::Executive,
        "sam@alumcreek-agency.example",
        false,
        true,
        None,
    ),
    (
        5,
        "Renee Hall",
        "Executive Director",
        ContactLevel::Executive,
        "rhall@coia.example",
        false,
        true,
        Some(Influence::Politico),
    ),
    (
        6,
        "Jordan Lee",
        "Business Services Manager",
        ContactLevel::Other,
        "jlee@midohio-wb.example",
        false,
        false,
        Some(Influence::Doer),
    ),
    (
        7,
        "Dr. Ana Souza",
        "Dean, Business & Technology",
        ContactLevel::Executive,
        "asouza@catc.example",
        false,
        true,
        None,
    ),
    (
        8,
        "Marcus Bell",
        "Organizer",
        ContactLevel::Worker,
        "mbell@claims-guild.example",
        false,
        false,
        None,
    ),
    (
        9,
        "Keisha Moore",
        "Program Director",
        ContactLevel::Other,
        "kmoore@linden-works.example",
        false,
        false,
        None,
    ),
];

/// Creates the demo's partners once. Returns whether it created them.
pub async fn ensure(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    if !store.organizations(pid, None, true).await?.is_empty() {
        return Ok(false);
    }
    let mut org_ids = Vec::new();
    for o in ORGS {
        let id = store
            .create_organization(
                pid,
                &OrganizationFields {
                    name: o.name.into(),
                    category: o.category,
                    naics: o.naics.map(str::to_string),
                    size_band: o.size,
                    county: Some(o.county.into()),
                    website: String::new(),
                    notes: String::new(),
                    is_intermediary: o.intermediary,
                    intermediary_roles: if o.intermediary {
                        ["convening", "data", "coordination", "fiscal_agent"]
                            .map(str::to_string)
                            .to_vec()
                    } else {
                        Vec::new()
                    },
                },
                user,
            )
            .await?;
        org_ids.push(id);
    }
    let mut people = Vec::new();
    for (org, name, title, level, email, champion, decides, influence) in PEOPLE {
        let id = store
            .create_contact(
                pid,
                &ContactFields {
                    organization_id: org_ids[*org],
                    name: (*name).into(),
                    title: (*title).into(),
                    level: Some(*level),
                    email: (*email).into(),
                    phone: String::new(),
                    influence: *influence,
                    resource: *org == 7,
                    decision_maker: *decides,
                    champion: *champion,
                },
                user,
            )
            .await?;
        people.push(id);
    }
    let today = Day::from_unix(sectorkit_store::now_unix());
    let first_agenda: Vec<String> = sectorkit_core::engagement::FIRST_MEETING_AGENDA
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Three meetings; employer attendance falls 4 → 3 → 2, which the red flags notice.
    let meetings: [DemoMeeting; 3] = [
        (
            MeetingKind::IndustryRoundtable,
            "Insurance industry roundtable",
            -70,
            vec![
                "What keeps you from hiring?".into(),
                "Which roles are hardest to fill?".into(),
            ],
            vec!["Claims adjusters and customer service are the shared priority"],
            &[0, 2, 3, 4, 6, 7, 7],
        ),
        (
            MeetingKind::PartnershipMeeting,
            "First partnership meeting",
            -42,
            first_agenda,
            vec![
                "Priorities: entry-level claims talent; supervisor skills",
                "The workforce board convenes; decisions by consent of the employers present",
            ],
            &[0, 2, 5, 6, 7, 8, 9],
        ),
        (
            MeetingKind::WorkingGroup,
            "Claims talent working group",
            -14,
            vec![
                "Draft the adjuster pre-hire curriculum".into(),
                "Plan site tours".into(),
            ],
            vec!["Pilot a 10-week adjuster cohort in the spring"],
            &[0, 2, 7, 8],
        ),
    ];
    let mut meeting_ids = Vec::new();
    for (kind, title, offset, agenda, decisions, present) in &meetings {
        let id = store
            .create_meeting(
                pid,
                &MeetingFields {
                    kind: *kind,
                    title: (*title).into(),
                    held_on: today.plus(*offset),
                    location: "Mid-Ohio Workforce Board, Columbus".into(),
                    agenda: agenda.clone(),
                    notes: String::new(),
                    decisions: decisions.iter().map(|s| s.to_string()).collect(),
                },
                user,
            )
            .await?;
        // Everyone invited; those listed present (a repeated index: sent a delegate).
        let changes: Vec<(i64, Option<AttendanceStatus>)> = people
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let n = present.iter().filter(|p| **p == i).count();
                let s = match n {
                    0 => AttendanceStatus::Invited,
                    1 => AttendanceStatus::Attended,
                    _ => AttendanceStatus::Delegate,
                };
                (*c, Some(s))
            })
            .collect();
        store.set_attendance(pid, id, &changes, user).await?;
        meeting_ids.push(id);
    }
    for (meeting, text, owner, due) in [
        (1, "Share the region's claims occupations and wages", 7, -20),
        (1, "Survey employers on entry-level hiring needs", 6, -10),
        (2, "Draft the adjuster pre-hire curriculum", 8, 21),
        (2, "Host a site tour of the claims floor", 0, 30),
        (2, "Recruit two more employers for the working group", 6, -3),
    ] {
        store
            .create_action(
                pid,
                &ActionFields {
                    meeting_id: Some(meeting_ids[meeting]),
                    text: text.into(),
                    owner_contact_id: Some(people[owner]),
                    due_on: Some(today.plus(due)),
                },
                user,
            )
            .await?;
    }
    let mut touch_ids = Vec::new();
    for (employer, contact, by, by_name, offset, channel, purpose, outcome, next) in [
        (
            3,
            4,
            6,
            "Jordan Lee",
            -60,
            Channel::Visit,
            "Invite to the roundtable",
            "Came; interested in supervisors' training",
            "Follow up on a site tour",
        ),
        (
            2,
            3,
            7,
            "Dr. Ana Souza",
            -35,
            Channel::Email,
            "Ask for curriculum reviewers",
            "No reply yet",
            "Call in two weeks",
        ),
        (
            4,
            5,
            5,
            "Renee Hall",
            -20,
            Channel::Phone,
            "Join the working group",
            "Too busy this quarter",
            "Ask again in the spring",
        ),
        (
            1,
            2,
            6,
            "Jordan Lee",
            -5,
            Channel::Meeting,
            "Host the next site tour",
            "Yes, in March",
            "Confirm the date",
        ),
    ] {
        let id = store
            .create_touch(
                pid,
                &TouchFields {
                    employer_id: org_ids[employer],
                    employer_contact_id: Some(people[contact]),
                    by_organization_id: Some(org_ids[by]),
                    by_name: by_name.into(),
                    touched_on: today.plus(offset),
                    channel,
                    purpose: purpose.into(),
                    outcome: outcome.into(),
                    next_step: next.into(),
                },
                user,
            )
            .await?;
        touch_ids.push(id);
    }
    for (statement, kind, industry, occupations, employers, meeting, touch) in [
        (
            "Entry-level claims adjusters leave within a year for better-paid roles",
            VoiceType::Turnover,
            "524",
            vec!["13-1031"],
            4,
            Some(0),
            None,
        ),
        (
            "New hires lack estimating-software and customer-conversation skills",
            VoiceType::SkillsGap,
            "5241",
            vec!["13-1031", "43-4051"],
            3,
            Some(1),
            None,
        ),
        (
            "A third of our senior underwriters can retire within five years",
            VoiceType::Retirements,
            "524126",
            vec!["13-2053"],
            2,
            None,
            Some(0),
        ),
        (
            "Small agencies have no one to run recruiting",
            VoiceType::HrCapacity,
            "5242",
            vec![],
            1,
            None,
            Some(2),
        ),
    ] {
        store
            .create_finding(
                pid,
                &FindingFields {
                    statement: statement.into(),
                    kind,
                    industry_code: industry.into(),
                    occupations: occupations.into_iter().map(str::to_string).collect(),
                    employers,
                    meeting_id: meeting.map(|i: usize| meeting_ids[i]),
                    touch_id: touch.map(|i: usize| touch_ids[i]),
                },
                user,
            )
            .await?;
    }
    Ok(true)
}
