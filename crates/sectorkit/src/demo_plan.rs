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
