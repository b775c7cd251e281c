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
