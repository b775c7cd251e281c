//! The demo partnership's plan records (issue 9): industry issues with evidence — employer-voice
//! findings, rows of the primary region's target-industry table, occupations —, a finished
//! dot-voting round with ballots from fictional partner members, and the priorities it led to.
//! All names are fictional; the figures behind the evidence are the real ones the links open.

use anyhow::{Context, Result};
use sectorkit_core::planning::{EvidenceKind, StrategyCategory, VoteMethod, check_ballot};
use sectorkit_store::{EvidenceFields, IssueFields, PartnershipId, Store, UserId};

/// (title, statement, NAICS, why-chain, impact, strategies, finding to cite (substring), SOC)
type IssueSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [StrategyCategory],
    Option<&'static str>,
    Option<&'static str>,
);

const ISSUES: &[IssueSeed] = &[
    (
        "Claims adjusters leave within their first year",
        "Carriers say new claims staff leave before they are productive; each replacement costs months of training.",
        "5241",
        &[
            "New adjusters are overwhelmed by caseloads in their first months",
            "There is no structured onboarding or mentoring",
            "Small and mid-size carriers have no one to design it",
        ],
        "A shared onboarding and mentoring model could cut first-year turnover.",
        &[StrategyCategory::Retention, StrategyCategory::HrCapacity],
        Some("estimating-software"),
        Some("13-1031"),
    ),
    (
        "Senior underwriters retiring without successors",
        "A large share of senior underwriters can retire within five years and few juniors are ready.",
        "524126",
        &[
            "Underwriting is learned on the job over years",
            "Carriers stopped hiring trainee underwriters after 2009",
        ],
        "An apprenticeship with the community college could rebuild the pipeline.",
        &[StrategyCategory::Pathways, StrategyCategory::Training],
        Some("senior underwriters"),
        Some("13-2053"),
    ),
    (
        "Small agencies cannot recruit",
        "Agencies of under 20 staff have no recruiting capacity and lose candidates to large carriers.",
        "5242",
        &["No HR staff", "No presence at schools or job fairs"],
        "A shared recruitment event and job board for small agencies.",
        &[StrategyCategory::Recruitment, StrategyCategory::HrCapacity],
        Some("run recruiting"),
        None,
    ),
    (
        "Few young people know insurance careers exist",
        "High-school and college students rarely consider insurance; employers see few applicants under 25.",
        "524",
        &[
            "Careers are invisible in schools",
            "No internships in the sector",
        ],
        "Career exposure with schools: site tours, internships, teacher externships.",
        &[StrategyCategory::Pipeline],
        None,
        None,
    ),
];

/// The fictional partner members who voted: (email as in the demo contacts, name, ballot of
/// dots per issue index).
type VoterSeed = (&'static str, &'static str, &'static [(usize, u32)]);

const VOTERS: &[VoterSeed] = &[
    (
        "maya.okafor@scioto-mutual.example",
        "Maya Okafor",
        &[(0, 2), (1, 1)],
    ),
    (
        "priya@olentangy-claims.example",
        "Priya Raman",
        &[(0, 1), (2, 2)],
    ),
    ("asouza@catc.example", "Ana Souza", &[(1, 2), (3, 1)]),
    ("jlee@midohio-wb.example", "Jordan Lee", &[(0, 2), (3, 1)]),
];

/// The demo's funding: streams, a budget by phase (planning and launch fully funded,
/// implementation and sustaining partly), allocations and partners' commitments. Created once.
pub async fn ensure_funding(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    use sectorkit_core::funding::{CommitmentKind, CommitmentStatus, Money, Phase, StreamKind};
    use sectorkit_store::{CommitmentFields, StreamFields};
    if !store.streams(pid).await?.is_empty() {
        return Ok(false);
    }
    let m = |s: &str| Money::parse(s).map_err(anyhow::Error::msg);
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix());
    let mut streams = Vec::new();
    for (name, kind, available, ends_in_days) in [
        (
            "WIOA Title I Adult (local board)",
            StreamKind::Federal,
            "60,000",
            None,
        ),
        (
            "State incumbent worker training fund",
            StreamKind::State,
            "35,000",
            Some(120),
        ),
        (
            "Central Ohio Community Foundation (fictional)",
            StreamKind::Philanthropy,
            "40,000",
            None,
        ),
        (
            "Employer sponsorships",
            StreamKind::Employer,
            "15,000",
            None,
        ),
    ] {
        streams.push(
            store
                .create_stream(
                    pid,
                    &StreamFields {
                        name: name.into(),
                        kind,
                        catalog_code: String::new(),
                        available: m(available)?,
                        starts_on: None,
                        ends_on: ends_in_days.map(|d| today.plus(d)),
                        notes: String::new(),
                    },
                    user,
                )
                .await?,
        );
    }
    // (phase, line, amount, [(stream index, amount)])
    type LineSeed = (
        Phase,
        &'static str,
        &'static str,
        &'static [(usize, &'static str)],
    );
    let budget: &[LineSeed] = &[
        (
            Phase::Planning,
            "Partnership coordinator, planning year (0.5 FTE)",
            "30,000",
            &[(2, "30,000")],
        ),
        (
            Phase::Planning,
            "Labor-market analysis and employer interviews",
            "8,000",
            &[(2, "8,000")],
        ),
        (
            Phase::Launch,
            "Adjuster onboarding curriculum",
            "25,000",
            &[(1, "25,000")],
        ),
        (
            Phase::Launch,
            "Shared recruitment event",
            "6,000",
            &[(3, "6,000")],
        ),
        (
            Phase::Implementation,
            "Training seats, first cohort",
            "48,000",
            &[(0, "40,000")],
        ),
        (
            Phase::Implementation,
            "Supportive services (transport, childcare)",
            "18,000",
            &[(0, "10,000")],
        ),
        (
            Phase::Sustaining,
            "Coordinator, year two",
            "32,000",
            &[(3, "9,000")],
        ),
    ];
    for (phase, name, amount, paid) in budget {
        let line = store
            .create_line(pid, *phase, name, m(amount)?, user)
            .await?;
        for (stream, amount) in *paid {
            store
                .set_allocation(pid, line, streams[*stream], m(amount)?, user)
                .await?;
        }
    }
    let orgs = store.organizations(pid, None, false).await?;
    let org = |needle: &str| {
        orgs.iter()
            .find(|o| o.fields.name.contains(needle))
            .map(|o| o.id)
            .with_context(|| format!("no demo organization named like {needle}"))
    };
    for (who, stream, kind, amount, status) in [
        (
            "Scioto Mutual",
            Some(3),
            CommitmentKind::Cash,
            "10,000",
            CommitmentStatus::Committed,
        ),
        (
            "Olentangy",
            Some(3),
            CommitmentKind::Cash,
            "5,000",
            CommitmentStatus::Pledged,
        ),
        (
            "Scioto Mutual",
            None,
            CommitmentKind::InKind,
            "4,500",
            CommitmentStatus::Received,
        ),
    ] {
        store
            .create_commitment(
                pid,
                &CommitmentFields {
                    organization_id: org(who)?,
                    stream_id: stream.map(|i: usize| streams[i]),
                    kind,
                    amount: m(amount)?,
                    status,
                    starts_on: None,
                    ends_on: None,
                    notes: String::new(),
                },
                user,
            )
            .await?;
    }
    Ok(true)
}

/// Creates the demo's plan records once. Returns whether it created them.
pub async fn ensure(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    if !store.issues(pid, None).await?.is_empty() {
        return Ok(false);
    }
    let region = store
        .regions(pid)
        .await?
        .into_iter()
        .find(|r| r.is_primary)
        .context("the demo has no primary region")?;
    let findings = store.findings(pid, None).await?;
    let mut ids = Vec::new();
    for (title, statement, naics, why, impact, strategies, finding, soc) in ISSUES {
        let id = store
            .create_issue(
                pid,
                &IssueFields {
                    title: (*title).into(),
                    statement: (*statement).into(),
                    industry_code: (*naics).into(),
                    root_causes: why.iter().map(|s| s.to_string()).collect(),
                    impact: (*impact).into(),
                    strategies: strategies.to_vec(),
                },
                user,
            )
            .await?;
        let mut evidence = vec![EvidenceFields {
            kind: EvidenceKind::Industry,
            finding_id: None,
            region_id: Some(region.id),
            code: (*naics).into(),
            note: "Employment, wages and growth in the primary region".into(),
        }];
        if let Some(f) =
            finding.and_then(|s| findings.iter().find(|f| f.fields.statement.contains(s)))
        {
            evidence.push(EvidenceFields {
                kind: EvidenceKind::Finding,
                finding_id: Some(f.id),
                region_id: None,
                code: String::new(),
                note: String::new(),
            });
        }
        if let Some(soc) = soc {
            evidence.push(EvidenceFields {
                kind: EvidenceKind::Occupation,
                finding_id: None,
                region_id: Some(region.id),
                code: (*soc).into(),
                note: "Wages and openings of the occupation".into(),
            });
        }
        for e in &evidence {
            store.add_evidence(pid, id, e, user).await?;
        }
        ids.push(id);
    }
    let method = VoteMethod::Dots(3);
    let round = store
        .create_round(pid, "First prioritization round", method, &ids, user)
        .await?;
    let contacts = store.contacts(pid, None, None).await?;
    for (email, name, dots) in VOTERS {
        // A member who cannot sign in (no one knows the password): a fictional voter.
        let voter = match store.user_by_email(email).await? {
            Some(u) => u.id,
            None => {
                let hash = sectorkit_web::auth::hash_password(&sectorkit_web::auth::random_token())
                    .map_err(anyhow::Error::msg)?;
                store.create_user(email, name, &hash, false).await?
            }
        };
        if store.role_in(voter, pid).await?.is_none() {
            store
                .set_member_role(pid, voter, sectorkit_core::role::Role::Partner)
                .await?;
        }
        let category = contacts
            .iter()
            .find(|c| c.fields.email.eq_ignore_ascii_case(email))
            .map(|c| c.organization_category.label())
            .unwrap_or("Not linked to an organization");
        let marks: Vec<(i64, u32)> = dots.iter().map(|(i, d)| (ids[*i], *d)).collect();
        let points = check_ballot(method, &ids, &marks).map_err(anyhow::Error::msg)?;
        let rows: Vec<(i64, u32, u32)> = marks.iter().map(|(i, d)| (*i, *d, points[i])).collect();
        store
            .cast_ballot(pid, round, voter, category, &rows)
            .await?;
    }
    store.close_round(pid, round, user).await?;
    // Totals: issue 0 has 5 dots, issue 1 has 3: the partnership keeps those two for now.
    store
        .confirm_priorities(pid, Some(round), &[ids[0], ids[1]], &[], "", "", user)
        .await?;
    Ok(true)
}

/// The demo's alignment records: three public plans the priorities are written into (the years
/// of last adoption are illustrative, not looked up) and two data-sharing agreements, one ending
/// within 90 days so the flag shows.
pub async fn ensure_alignment(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    use sectorkit_store::{AgreementFields, PlanLinkFields};
    if !store.plan_links(pid).await?.is_empty() {
        return Ok(false);
    }
    let priorities = store.priorities(pid).await?;
    let priority = |needle: &str| {
        priorities
            .iter()
            .find(|p| p.active() && p.title.contains(needle))
            .map(|p| p.id)
    };
    for (code, whose, year, prio, how) in [
        (
            "wioa_local_plan",
            "Central Ohio workforce area",
            Some(2024),
            priority("adjusters"),
            "Insurance named a target sector; onboarding model as a local-plan strategy",
        ),
        (
            "ceds",
            "Mid-Ohio regional district",
            Some(2022),
            priority("underwriters"),
            "Underwriting apprenticeship as a talent-pipeline goal",
        ),
        (
            "perkins_local_needs_assessment",
            "Community college district",
            Some(2025),
            None,
            "Insurance and risk pathway in the needs assessment",
        ),
    ] {
        store
            .create_plan_link(
                pid,
                &PlanLinkFields {
                    plan_code: code.into(),
                    jurisdiction: whose.into(),
                    last_adopted_year: year,
                    priority_id: prio,
                    how: how.into(),
                },
                user,
            )
            .await
            .with_context(|| format!("demo plan link {code}"))?;
    }
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix());
    for (title, parties, data, purpose, basis, start, end) in [
        (
            "UI wage-record match for completers",
            "State UI agency; workforce board",
            "Quarterly wages of program completers",
            "Employment and median earnings outcomes",
            "20 CFR 603 (confidentiality of UC information)",
            -300,
            45,
        ),
        (
            "College completer file",
            "Community college; workforce board",
            "Enrollments, credentials earned",
            "Credential attainment and pathway counts",
            "FERPA studies exception",
            -100,
            630,
        ),
    ] {
        store
            .create_agreement(
                pid,
                &AgreementFields {
                    title: title.into(),
                    parties: parties.into(),
                    data_covered: data.into(),
                    purpose: purpose.into(),
                    legal_basis: basis.into(),
                    starts_on: Some(today.plus(start)),
                    ends_on: Some(today.plus(end)),
                    status: "active".into(),
                },
                user,
            )
            .await
            .with_context(|| format!("demo agreement {title}"))?;
    }
    Ok(true)
}

/// The demo's plan on a page and logic model: a vision and impact, strategies under the two
/// priorities, key actions placed in quarters with an owning organization and the budget line
/// that pays for them (one waiting for another), milestones, and a logic model. Quarters are
/// counted from today so the roadmap always starts now. Runs after `ensure` and
/// `ensure_funding`.
pub async fn ensure_plan_page(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    use sectorkit_core::plan_page::{LogicKind, PlanQuarter};
    use sectorkit_store::{ActionFields, ActionPlanFields, LogicFields, MilestoneFields, PlanPage};
    if !store.strategies(pid).await?.is_empty() {
        return Ok(false);
    }
    store
        .set_plan_page(
            pid,
            &PlanPage {
                vision: "Every Central Ohio insurer can hire, train and keep the claims and underwriting talent it needs, and residents of every neighborhood can reach those careers.".into(),
                impact: "A stable, growing insurance workforce: lower first-year turnover, a rebuilt underwriting pipeline, more local hires into family-supporting jobs.".into(),
            },
            user,
        )
        .await?;
    let priorities: Vec<_> = store
        .priorities(pid)
        .await?
        .into_iter()
        .filter(|p| p.active())
        .collect();
    let prio = |needle: &str| {
        priorities
            .iter()
            .find(|p| p.title.contains(needle))
            .map(|p| p.id)
            .with_context(|| format!("the demo has no priority about {needle}"))
    };
    let (adjusters, underwriters) = (prio("adjusters")?, prio("underwriters")?);
    let orgs = store.organizations(pid, None, false).await?;
    let org = |needle: &str| {
        orgs.iter()
            .find(|o| o.fields.name.contains(needle))
            .map(|o| o.id)
            .with_context(|| format!("the demo has no organization {needle}"))
    };
    let lines = store.budget_lines(pid).await?;
    let line = |needle: &str| lines.iter().find(|l| l.name.contains(needle)).map(|l| l.id);
    let now = PlanQuarter::of(sectorkit_core::day::Day::from_unix(
        sectorkit_store::now_unix(),
    ));
    let q = |n: usize| (0..n).fold(now, |q, _| q.next());
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix());
    // (priority, strategy, [(action, organization, quarters from now, due in days, line)])
    type Act = (&'static str, &'static str, usize, i32, Option<&'static str>);
    let plan: [(i64, &str, Vec<Act>); 3] = [
        (
            adjusters,
            "Shared onboarding and mentoring for new adjusters",
            vec![
                (
                    "Design the shared onboarding curriculum",
                    "Columbus Area Technical",
                    0,
                    60,
                    Some("onboarding curriculum"),
                ),
                (
                    "Train 12 mentors at four carriers",
                    "Central Ohio Insurance Association",
                    1,
                    150,
                    Some("onboarding curriculum"),
                ),
                (
                    "Run the first onboarding cohort",
                    "Scioto Mutual",
                    2,
                    240,
                    Some("Training seats"),
                ),
            ],
        ),
        (
            adjusters,
            "Recruit from neighborhoods the industry does not reach",
            vec![(
                "Hold the shared recruitment event",
                "Linden Neighborhood Works",
                1,
                120,
                Some("Shared recruitment event"),
            )],
        ),
        (
            underwriters,
            "An underwriting apprenticeship with the college",
            vec![
                (
                    "Register the underwriting apprenticeship",
                    "Mid-Ohio Workforce Board",
                    1,
                    170,
                    None,
                ),
                (
                    "Enroll the first apprentices",
                    "Darby Life",
                    3,
                    330,
                    Some("Training seats"),
                ),
            ],
        ),
    ];
    let mut first: Option<i64> = None;
    for (priority, strategy, actions) in plan {
        let sid = store.create_strategy(pid, priority, strategy, user).await?;
        for (text, o, quarters, due, l) in actions {
            let id = store
                .create_planned_action(
                    pid,
                    &ActionFields {
                        meeting_id: None,
                        text: text.into(),
                        owner_contact_id: None,
                        due_on: Some(today.plus(due)),
                    },
                    &ActionPlanFields {
                        strategy_id: Some(sid),
                        organization_id: Some(org(o)?),
                        quarter: Some(q(quarters)),
                        budget_line_id: l.and_then(line),
                        // The mentors wait for the curriculum.
                        depends_on: if text.starts_with("Train 12") {
                            first.into_iter().collect()
                        } else {
                            Vec::new()
                        },
                    },
                    user,
                )
                .await
                .with_context(|| format!("demo key action {text}"))?;
            first.get_or_insert(id);
        }
    }
    for (priority, title, quarters) in [
        (
            Some(adjusters),
            "Onboarding model adopted by four carriers",
            1,
        ),
        (Some(adjusters), "First cohort completes onboarding", 3),
        (Some(underwriters), "Apprenticeship registered", 2),
    ] {
        store
            .create_milestone(
                pid,
                &MilestoneFields {
                    priority_id: priority,
                    title: title.into(),
                    quarter: q(quarters),
                    done: false,
                },
                user,
            )
            .await?;
    }
    for (kind, priority, text) in [
        (
            LogicKind::Input,
            None,
            "Coordinator time (0.5 FTE) from the workforce board",
        ),
        (
            LogicKind::Input,
            Some(adjusters),
            "Carrier HR staff and mentors",
        ),
        (
            LogicKind::Input,
            None,
            "Braided funds: WIOA, state training fund, foundation",
        ),
        (
            LogicKind::Activity,
            Some(adjusters),
            "Design and deliver shared onboarding",
        ),
        (
            LogicKind::Activity,
            Some(underwriters),
            "Build a registered underwriting apprenticeship",
        ),
        (
            LogicKind::Output,
            Some(adjusters),
            "12 mentors trained; 2 onboarding cohorts a year",
        ),
        (
            LogicKind::Output,
            Some(underwriters),
            "10 apprentices enrolled",
        ),
        (
            LogicKind::ShortTerm,
            Some(adjusters),
            "New adjusters productive sooner",
        ),
        (
            LogicKind::MediumTerm,
            Some(adjusters),
            "First-year turnover down at participating carriers",
        ),
        (
            LogicKind::MediumTerm,
            Some(underwriters),
            "Apprentices complete and are promoted",
        ),
        (
            LogicKind::LongTerm,
            None,
            "Carriers co-fund the programs as standard practice",
        ),
        (
            LogicKind::Impact,
            None,
            "A stable insurance workforce drawn from the whole region",
        ),
    ] {
        store
            .create_logic_element(
                pid,
                &LogicFields {
                    priority_id: priority,
                    kind,
                    text: text.into(),
                },
                user,
            )
            .await?;
    }
    Ok(true)
}

/// The demo's marketing, products, capacity and lessons: key messages, a calendar, two products
/// tied to the logic model's outcomes, a capacity plan with a data gap, three lessons.
pub async fn ensure_sustain(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    use sectorkit_core::plan_page::LogicKind;
    use sectorkit_core::sustain::{
        Audience, CapacityRole, Chapter, CommsChannel, CommsProduct, ProductStatus,
    };
    use sectorkit_store::{CapacityFields, CommsFields, LessonFields, ProductFields};
    if !store.lessons(pid, None, None).await?.is_empty() {
        return Ok(false);
    }
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix());
    for (days_ago, chapter, worked, did_not, why, change) in [
        (
            200,
            Chapter::Convening,
            "",
            "Few small agencies came to the first meetings",
            "They were held at 9 am on weekdays, when agency owners sell",
            "Meet over lunch, with an online option",
        ),
        (
            120,
            Chapter::Managing,
            "Employers chaired the working groups and attendance held",
            "",
            "",
            "",
        ),
        (
            40,
            Chapter::Funding,
            "Braiding WIOA with the foundation grant paid for the curriculum",
            "",
            "",
            "",
        ),
    ] {
        store
            .create_lesson(
                pid,
                &LessonFields {
                    learned_on: today.plus(-days_ago),
                    chapter,
                    worked: worked.into(),
                    did_not: did_not.into(),
                    why: why.into(),
                    change: change.into(),
                },
                user,
            )
            .await?;
    }
    for (a, m) in [
        (
            Audience::Employers,
            "Shared onboarding gets new adjusters productive sooner, at a fraction of the cost of doing it alone.",
        ),
        (
            Audience::Workers,
            "Claims and underwriting careers pay family-supporting wages and start with paid training.",
        ),
        (
            Audience::Funders,
            "Employers lead and co-invest; every dollar is braided and tracked.",
        ),
        (
            Audience::Officials,
            "Insurance is one of the region's most concentrated industries; its hiring needs are a regional priority.",
        ),
    ] {
        store.create_message(pid, a, m, user).await?;
    }
    for (title, a, ch, pr, days) in [
        (
            "Employer breakfast: the onboarding model",
            Audience::Employers,
            CommsChannel::Event,
            CommsProduct::Presentation,
            30,
        ),
        (
            "Careers-in-insurance page",
            Audience::Workers,
            CommsChannel::Website,
            CommsProduct::WebsiteCopy,
            60,
        ),
        (
            "Partnership brochure for funders",
            Audience::Funders,
            CommsChannel::Print,
            CommsProduct::Brochure,
            90,
        ),
    ] {
        store
            .create_comms_item(
                pid,
                &CommsFields {
                    title: title.into(),
                    audience: a,
                    channel: ch,
                    product: pr,
                    planned_on: Some(today.plus(days)),
                    status: "planned".into(),
                    body: String::new(),
                },
                user,
            )
            .await?;
    }
    let outcomes = store.logic_elements(pid).await?;
    let outcome = |needle: &str| {
        outcomes
            .iter()
            .filter(|e| e.fields.kind != LogicKind::Input && e.fields.kind != LogicKind::Activity)
            .find(|e| e.fields.text.contains(needle))
            .map(|e| e.id)
    };
    for (title, stage, status, leads_to) in [
        (
            "Shared onboarding curriculum for adjusters",
            "early",
            ProductStatus::Developing,
            vec![outcome("productive sooner"), outcome("turnover down")],
        ),
        (
            "Registered underwriting apprenticeship",
            "mid",
            ProductStatus::Planned,
            vec![outcome("Apprentices complete")],
        ),
    ] {
        store
            .create_product(
                pid,
                &ProductFields {
                    title: title.into(),
                    description: String::new(),
                    stage: stage.into(),
                    status,
                    outcomes: leads_to.into_iter().flatten().collect(),
                },
                user,
            )
            .await?;
    }
    for (role, title, by, needed, filled) in [
        (
            CapacityRole::Coordinator,
            "Partnership coordinator",
            "Mid-Ohio Workforce Board (fictional)",
            "1",
            "0.5",
        ),
        (CapacityRole::Data, "Data and evaluation", "", "0.25", "0"),
        (
            CapacityRole::Fiscal,
            "Fiscal agent",
            "Central Ohio Community Foundation (fictional)",
            "0.1",
            "0.1",
        ),
    ] {
        store
            .create_capacity_role(
                pid,
                &CapacityFields {
                    role,
                    title: title.into(),
                    filled_by: by.into(),
                    needed: needed.parse()?,
                    filled: filled.parse()?,
                    notes: String::new(),
                },
                user,
            )
            .await?;
    }
    Ok(true)
}

/// How many synthetic participants the demo has, and the generator's seed and as-of date (fixed
/// so the demo's figures are the same on every machine and every day).
pub const DEMO_PARTICIPANTS: usize = 600;
const DEMO_PARTICIPANT_SEED: u64 = 2026;

/// The demo's participant outcomes: synthetic records (labelled so in the app) imported through
/// the same reader and all-or-nothing import as a provider's file.
pub async fn ensure_outcomes(store: &Store, pid: PartnershipId, user: UserId) -> Result<bool> {
    use sectorkit_data::participants::{Mapping, parse, read_sheet, synthetic_csv};
    use sha2::{Digest, Sha256};
    if !store.participant_imports(pid).await?.is_empty() {
        return Ok(false);
    }
    let as_of = sectorkit_core::day::Day::ymd(2026, 9, 30).expect("date");
    let csv = synthetic_csv(DEMO_PARTICIPANTS, DEMO_PARTICIPANT_SEED, as_of);
    let name = "synthetic-participants.csv";
    let sheet = read_sheet(name, csv.as_bytes())
        .map_err(|e| anyhow::anyhow!("synthetic participants: {:?}", e.first()))?;
    let mapping = Mapping::suggest(&sheet.headers, &Mapping::default());
    let fresh = sectorkit_web::auth::random_token().into_bytes();
    let key = store.partnership_hmac_key(pid, &fresh).await?;
    let parsed = parse(&sheet, &mapping, &key, as_of)
        .map_err(|e| anyhow::anyhow!("synthetic participants: {:?}", e.first()))?;
    let sha = hex::encode(Sha256::digest(csv.as_bytes()));
    store
        .import_participants(
            pid,
            None,
            name,
            &sha,
            true,
            sheet.rows.len(),
            &parsed.records,
            user,
        )
        .await?;
    Ok(true)
}
