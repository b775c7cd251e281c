//! The Plan section, first part: industry issues linked to their evidence, prioritization
//! rounds (dot voting or ranking, results by partner category), and the priorities kept under
//! the pick-and-stick rule.
//!
//! Roles: every member reads; partners (and staff and owners) vote in open rounds; staff and
//! owners write issues and evidence, open, close and confirm rounds, retire priorities and set
//! the limit. A round's results are shown to staff while it is open and to everyone once it is
//! closed (so early results do not steer later ballots).

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{can_edit, parse_id};
use crate::handlers::downloads::{csv_file, unknown_table};
use crate::handlers::occupations::Choice;
use crate::handlers::records::{AuditView, audit_view};
use crate::policy::Tenant;
use crate::templates::{Chrome, datetime, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::planning::{
    Ballot, EvidenceKind, MAX_DOTS, StrategyCategory, VoteMethod, check_ballot, check_pick, tally,
};
use sectorkit_core::role::Role;
use sectorkit_store::{EvidenceFields, Issue, IssueFields, Partnership, StoreError};
use std::collections::BTreeMap;

/// Longest title accepted, in characters.
const MAX_TITLE: usize = 200;
/// Longest free text accepted.
const MAX_TEXT: usize = 5_000;
/// Most issues one round may carry.
const MAX_ROUND_ISSUES: usize = 30;

/// The category a member votes as: their contact's organization's, or none.
const UNLINKED: &str = "Not linked to an organization";

/// Form bodies as (name, value) pairs: several fields repeat (checkboxes, one per issue).
pub(crate) fn pairs(form: &RawForm) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&form.0).unwrap_or_default()
}

pub(crate) fn one<'a>(p: &'a [(String, String)], name: &str) -> &'a str {
    p.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub(crate) fn all_ids(p: &[(String, String)], name: &str) -> Vec<i64> {
    let mut v: Vec<i64> = p
        .iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| parse_id(v))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn check_len(field: &str, v: &str, max: usize, errors: &mut Vec<(String, String)>) {
    if v.chars().count() > max {
        errors.push((field.into(), format!("At most {max} characters.")));
    }
}

// ----- the Plan page -----

pub struct IssueRowView {
    pub id: i64,
    pub title: String,
    pub industry: String,
    pub strategies: String,
    pub evidence: i64,
    /// "Priority" when it is an active priority.
    pub priority: bool,
}

pub struct PriorityView {
    pub id: i64,
    pub issue_id: i64,
    pub title: String,
    pub since: String,
    pub override_reason: String,
    pub retired: Option<String>,
    pub retired_reason: String,
}

pub struct RoundRowView {
    pub id: i64,
    pub title: String,
    pub method: String,
    pub open: bool,
    pub issues: usize,
    pub voters: i64,
    pub opened: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub issues: Vec<IssueRowView>,
    pub active: Vec<PriorityView>,
    pub retired: Vec<PriorityView>,
    pub max_priorities: usize,
    pub rounds: Vec<RoundRowView>,
    pub strategies: Vec<Choice>,
    pub industries: Vec<Choice>,
    pub form: IssueForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    q: String,
    format: Option<String>,
    table: Option<String>,
    notice: Option<String>,
}

/// The issue form as typed.
#[derive(Debug, Clone, Default)]
pub struct IssueForm {
    pub title: String,
    pub statement: String,
    pub industry_code: String,
    pub root_causes: String,
    pub impact: String,
    pub strategies: Vec<String>,
}

impl IssueForm {
    fn from_pairs(p: &[(String, String)]) -> IssueForm {
        IssueForm {
            title: one(p, "title").into(),
            statement: one(p, "statement").into(),
            industry_code: one(p, "industry_code").into(),
            root_causes: one(p, "root_causes").into(),
            impact: one(p, "impact").into(),
            strategies: p
                .iter()
                .filter(|(k, _)| k == "strategy")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    fn from_issue(i: &Issue) -> IssueForm {
        IssueForm {
            title: i.fields.title.clone(),
            statement: i.fields.statement.clone(),
            industry_code: i.fields.industry_code.clone(),
            root_causes: i.fields.root_causes.join("\n"),
            impact: i.fields.impact.clone(),
            strategies: i
                .fields
                .strategies
                .iter()
                .map(|s| s.code().to_string())
                .collect(),
        }
    }
}

/// Checks an issue form: every problem named by its field.
pub fn check_issue(f: &IssueForm) -> Result<IssueFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let title = f.title.trim().to_string();
    if title.is_empty() {
        errors.push((
            "title".into(),
            "Name the issue in a few words (for example “Too few entry-level machinists”).".into(),
        ));
    }
    check_len("title", &title, MAX_TITLE, &mut errors);
    for (n, v) in [
        ("statement", &f.statement),
        ("root_causes", &f.root_causes),
        ("impact", &f.impact),
    ] {
        check_len(n, v, MAX_TEXT, &mut errors);
    }
    let industry_code = f.industry_code.trim().to_string();
    let naics_like =
        (2..=6).contains(&industry_code.len()) && industry_code.bytes().all(|b| b.is_ascii_digit());
    if !industry_code.is_empty() && !naics_like {
        errors.push((
            "industry_code".into(),
            format!("{industry_code:?} is not a NAICS code (2 to 6 digits)."),
        ));
    }
    let mut strategies = Vec::new();
    for s in &f.strategies {
        match s.parse::<StrategyCategory>() {
            Ok(c) if !strategies.contains(&c) => strategies.push(c),
            Ok(_) => {}
            Err(e) => errors.push(("strategy".into(), e.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(IssueFields {
        title,
        statement: f.statement.trim().to_string(),
        industry_code,
        root_causes: f
            .root_causes
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        impact: f.impact.trim().to_string(),
        strategies,
    })
}

fn strategy_choices(selected: &[String]) -> Vec<Choice> {
    StrategyCategory::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().into(),
            label: c.label().into(),
            selected: selected.iter().any(|s| s == c.code()),
        })
        .collect()
}

async fn industry_choices(state: &AppState, tenant: &Tenant) -> Result<Vec<Choice>, AppError> {
    let mut out: Vec<Choice> = Vec::new();
    for s in state.store.shortlist(tenant.id).await? {
        if !out.iter().any(|c| c.value == s.industry_code) {
            out.push(Choice {
                label: format!("{} {}", s.industry_code, s.industry_title),
                value: s.industry_code,
                selected: false,
            });
        }
    }
    Ok(out)
}

fn priority_view(p: &sectorkit_store::Priority) -> PriorityView {
    PriorityView {
        id: p.id,
        issue_id: p.issue_id,
        title: p.title.clone(),
        since: datetime(&p.confirmed_at),
        override_reason: p.override_reason.clone(),
        retired: p.retired_at.as_ref().map(datetime),
        retired_reason: p.retired_reason.clone(),
    }
}

fn method_label(m: VoteMethod) -> String {
    match m {
        VoteMethod::Dots(n) => format!("dot voting, {n} dots each"),
        VoteMethod::Ranking => "ranking".into(),
    }
}

async fn plan_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &str,
    form: IssueForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<PlanTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let search = (!q.trim().is_empty()).then_some(q.trim());
    let priorities = state.store.priorities(tenant.id).await?;
    let issues = state
        .store
        .issues(tenant.id, search)
        .await?
        .into_iter()
        .map(|i| IssueRowView {
            priority: priorities.iter().any(|p| p.active() && p.issue_id == i.id),
            id: i.id,
            title: i.fields.title,
            industry: i.fields.industry_code,
            strategies: i
                .fields
                .strategies
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(", "),
            evidence: i.evidence,
        })
        .collect();
    let rounds = state
        .store
        .rounds(tenant.id)
        .await?
        .into_iter()
        .map(|r| RoundRowView {
            id: r.id,
            title: r.title,
            method: method_label(r.method),
            open: r.open,
            issues: r.issue_ids.len(),
            voters: r.voters,
            opened: datetime(&r.created_at),
        })
        .collect();
    Ok(PlanTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        q: q.to_string(),
        issues,
        active: priorities
            .iter()
            .filter(|p| p.active())
            .map(priority_view)
            .collect(),
        retired: priorities
            .iter()
            .filter(|p| !p.active())
            .map(priority_view)
            .collect(),
        max_priorities: state.store.settings(tenant.id).await?.max_priorities,
        rounds,
        strategies: strategy_choices(&form.strategies),
        industries: industry_choices(state, tenant).await?,
        form,
        errors,
        notice,
        partnership,
    })
}

/// `GET /p/{pid}/plan`: priorities, issues, rounds. CSV with `format=csv&table=issues|priorities`.
pub async fn plan_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<PlanQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        return match q.table.as_deref().unwrap_or("issues") {
            "issues" => {
                let ev = state.store.evidence(tenant.id, None).await?;
                let rows = state
                    .store
                    .issues(tenant.id, None)
                    .await?
                    .into_iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            i.fields.title,
                            i.fields.statement,
                            i.fields.industry_code,
                            i.fields.root_causes.join(" | "),
                            i.fields.impact,
                            i.fields
                                .strategies
                                .iter()
                                .map(|s| s.code())
                                .collect::<Vec<_>>()
                                .join(","),
                            ev.iter().filter(|e| e.issue_id == i.id).count().to_string(),
                        ]
                    });
                csv_file(
                    "industry-issues.csv",
                    &[
                        "id",
                        "title",
                        "statement",
                        "naics",
                        "root_causes",
                        "impact",
                        "strategies",
                        "evidence",
                    ],
                    rows,
                )
            }
            "priorities" => {
                let rows = state
                    .store
                    .priorities(tenant.id)
                    .await?
                    .into_iter()
                    .map(|p| {
                        vec![
                            p.title.clone(),
                            p.status.clone(),
                            datetime(&p.confirmed_at),
                            p.override_reason.clone(),
                            p.retired_at.as_ref().map(datetime).unwrap_or_default(),
                            p.retired_reason.clone(),
                        ]
                    });
                csv_file(
                    "priorities.csv",
                    &[
                        "issue",
                        "status",
                        "confirmed",
                        "override_reason",
                        "retired",
                        "retired_reason",
                    ],
                    rows,
                )
            }
            other => Err(unknown_table(other, &["issues", "priorities"])),
        };
    }
    let notice = match q.notice.as_deref() {
        Some("retired") => Some("Priority retired; the reason is recorded.".to_string()),
        Some("settings") => Some("Limit saved.".to_string()),
        _ => None,
    };
    let t = plan_view(
        &state,
        &auth,
        &tenant,
        &q.q,
        IssueForm::default(),
        Vec::new(),
        notice,
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/issues`: a new industry issue.
pub async fn create_issue(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    body: RawForm,
) -> Result<Response, AppError> {
    let form = IssueForm::from_pairs(&pairs(&body));
    match check_issue(&form) {
        Ok(f) => {
            let id = state
                .store
                .create_issue(tenant.id, &f, tenant.user.id)
                .await?;
            Ok(Redirect::to(&format!("/p/{}/plan/issues/{id}", tenant.id)).into_response())
        }
        Err(errors) => {
            let t = plan_view(&state, &auth, &tenant, "", form, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}

/// `POST /p/{pid}/plan/settings`: how many priorities are kept at once.
pub async fn save_plan_settings(
    State(state): State<AppState>,
    tenant: Tenant,
    body: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&body);
    let v = one(&p, "max_priorities");
    let n = match v.trim().parse::<usize>() {
        Ok(n) if (1..=10).contains(&n) => n,
        _ => {
            return Err(AppError::Unprocessable(format!(
                "max_priorities: {v:?} is not a whole number from 1 to 10; the limit was not saved."
            )));
        }
    };
    let mut s = state.store.settings(tenant.id).await?;
    s.max_priorities = n;
    state
        .store
        .set_settings(tenant.id, &s, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan?notice=settings", tenant.id)).into_response())
}

// ----- an issue -----

pub struct EvidenceView {
    pub id: i64,
    pub kind: &'static str,
    pub what: String,
    pub href: Option<String>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "issue.html")]
pub struct IssueTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub issue: Issue,
    pub priority: Option<PriorityView>,
    pub strategies: Vec<Choice>,
    pub industries: Vec<Choice>,
    pub evidence: Vec<EvidenceView>,
    pub kinds: Vec<Choice>,
    pub findings: Vec<Choice>,
    pub regions: Vec<Choice>,
    pub form: IssueForm,
    pub errors: Vec<(String, String)>,
    pub evidence_errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub history: Vec<AuditView>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub(crate) fn evidence_view(
    pid: i64,
    issue: &Issue,
    e: &sectorkit_store::Evidence,
) -> EvidenceView {
    let f = &e.fields;
    let (what, href) = match f.kind {
        EvidenceKind::Finding => match (&e.finding, f.finding_id) {
            (Some(s), Some(id)) => (
                format!(
                    "“{s}” ({} employer{})",
                    e.finding_employers.unwrap_or(0),
                    if e.finding_employers == Some(1) {
                        ""
                    } else {
                        "s"
                    }
                ),
                Some(format!("/p/{pid}/partners/voice/{id}")),
            ),
            _ => ("(the finding was removed)".into(), None),
        },
        EvidenceKind::Industry => match (&e.region, f.region_id) {
            (Some(r), Some(id)) => (
                format!(
                    "NAICS {} in {r}: its row of the target-industry table",
                    f.code
                ),
                Some(format!("/p/{pid}/regions/{id}/industries/{}", f.code)),
            ),
            _ => (format!("NAICS {} (the region was removed)", f.code), None),
        },
        EvidenceKind::Occupation => {
            let industry = if issue.fields.industry_code.is_empty() {
                String::new()
            } else {
                format!("&industry={}", issue.fields.industry_code)
            };
            (
                format!(
                    "SOC {}{}",
                    f.code,
                    e.region
                        .as_deref()
                        .map(|r| format!(" in {r}"))
                        .unwrap_or_default()
                ),
                f.region_id
                    .map(|r| format!("/p/{pid}/occupations?region={r}{industry}")),
            )
        }
        EvidenceKind::Note => (String::new(), None),
    };
    EvidenceView {
        id: e.id,
        kind: f.kind.label(),
        what,
        href,
        note: f.note.clone(),
    }
}

async fn load_issue(state: &AppState, tenant: &Tenant, iid: i64) -> Result<Issue, AppError> {
    state
        .store
        .issue(tenant.id, iid)
        .await?
        .ok_or(AppError::NotFound)
}

// Two forms on one page, each with its own errors.
#[allow(clippy::too_many_arguments)]
async fn issue_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    issue: Issue,
    form: Option<IssueForm>,
    errors: Vec<(String, String)>,
    evidence_errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<IssueTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let pid = tenant.id.0;
    let form = form.unwrap_or_else(|| IssueForm::from_issue(&issue));
    let evidence = state
        .store
        .evidence(tenant.id, Some(issue.id))
        .await?
        .iter()
        .map(|e| evidence_view(pid, &issue, e))
        .collect();
    let priority = state
        .store
        .priorities(tenant.id)
        .await?
        .iter()
        .find(|p| p.active() && p.issue_id == issue.id)
        .map(priority_view);
    let findings = state
        .store
        .findings(tenant.id, None)
        .await?
        .into_iter()
        .map(|f| Choice {
            value: f.id.to_string(),
            label: format!("{} ({} employers)", f.fields.statement, f.fields.employers),
            selected: false,
        })
        .collect();
    let regions = state
        .store
        .regions(tenant.id)
        .await?
        .into_iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            selected: r.is_primary,
            label: r.name,
        })
        .collect();
    let history = state
        .store
        .audit_log(tenant.id, Some(("industry_issue", issue.id)), 50)
        .await?
        .iter()
        .map(|a| audit_view(pid, a))
        .collect();
    Ok(IssueTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid,
        can_edit: can_edit(tenant),
        priority,
        strategies: strategy_choices(&form.strategies),
        industries: industry_choices(state, tenant).await?,
        evidence,
        kinds: EvidenceKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: k.label().into(),
                selected: false,
            })
            .collect(),
        findings,
        regions,
        issue,
        form,
        errors,
        evidence_errors,
        notice,
        history,
        partnership,
    })
}

/// `GET /p/{pid}/plan/issues/{iid}`: the issue, its evidence (links to the records and table
/// rows it rests on), its why-chain, and its history.
pub async fn issue_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, iid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let issue = load_issue(&state, &tenant, iid).await?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved.".to_string()),
        Some("evidence") => Some("Evidence added.".to_string()),
        _ => None,
    };
    let t = issue_view(&state, &auth, &tenant, issue, None, vec![], vec![], notice).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/issues/{iid}`: changes the issue.
pub async fn update_issue(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, iid)): Path<(i64, i64)>,
    body: RawForm,
) -> Result<Response, AppError> {
    let issue = load_issue(&state, &tenant, iid).await?;
    let form = IssueForm::from_pairs(&pairs(&body));
    match check_issue(&form) {
        Ok(f) => {
            state
                .store
                .update_issue(tenant.id, iid, &f, tenant.user.id)
                .await?;
            Ok(
                Redirect::to(&format!("/p/{}/plan/issues/{iid}?notice=saved", tenant.id))
                    .into_response(),
            )
        }
        Err(errors) => {
            let t = issue_view(
                &state,
                &auth,
                &tenant,
                issue,
                Some(form),
                errors,
                vec![],
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}

/// `POST /p/{pid}/plan/issues/{iid}/evidence`: a reference to a finding, a table row, an
/// occupation, or a note.
pub async fn add_evidence(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, iid)): Path<(i64, i64)>,
    body: RawForm,
) -> Result<Response, AppError> {
    let issue = load_issue(&state, &tenant, iid).await?;
    let p = pairs(&body);
    let mut errors = Vec::new();
    let note = one(&p, "note").trim().to_string();
    check_len("note", &note, MAX_TEXT, &mut errors);
    let code = one(&p, "code").trim().to_string();
    let fields = match one(&p, "kind").parse::<EvidenceKind>() {
        Err(e) => {
            errors.push(("kind".into(), e.to_string()));
            None
        }
        Ok(kind) => {
            let mut f = EvidenceFields {
                kind,
                finding_id: None,
                region_id: None,
                code: String::new(),
                note,
            };
            match kind {
                EvidenceKind::Finding => {
                    f.finding_id = parse_id(one(&p, "finding"));
                    if f.finding_id.is_none() {
                        errors.push(("finding".into(), "Choose the finding.".into()));
                    }
                }
                EvidenceKind::Industry | EvidenceKind::Occupation => {
                    f.region_id = parse_id(one(&p, "region"));
                    if f.region_id.is_none() {
                        errors.push(("region".into(), "Choose the region of the table.".into()));
                    }
                    let ok = if kind == EvidenceKind::Industry {
                        (2..=6).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
                    } else {
                        code.len() == 7
                            && code.as_bytes()[2] == b'-'
                            && code
                                .bytes()
                                .enumerate()
                                .all(|(i, b)| i == 2 || b.is_ascii_digit())
                    };
                    if !ok {
                        errors.push((
                            "code".into(),
                            if kind == EvidenceKind::Industry {
                                format!("{code:?} is not a NAICS code (2 to 6 digits).")
                            } else {
                                format!("{code:?} is not a SOC code (such as 51-4121).")
                            },
                        ));
                    }
                    f.code = code;
                }
                EvidenceKind::Note => {
                    if f.note.is_empty() {
                        errors.push(("note".into(), "Write the note.".into()));
                    }
                }
            }
            Some(f)
        }
    };
    if let (Some(f), true) = (&fields, errors.is_empty()) {
        match state
            .store
            .add_evidence(tenant.id, iid, f, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/p/{}/plan/issues/{iid}?notice=evidence#evidence",
                    tenant.id
                ))
                .into_response());
            }
            Err(StoreError::NotFound) => errors.push((
                "kind".into(),
                "That finding or region is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = issue_view(&state, &auth, &tenant, issue, None, vec![], errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/issues/{iid}/evidence/{eid}/remove`.
pub async fn remove_evidence(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, iid, eid)): Path<(i64, i64, i64)>,
) -> Result<Response, AppError> {
    state
        .store
        .remove_evidence(tenant.id, iid, eid, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan/issues/{iid}#evidence", tenant.id)).into_response())
}

async fn issue_archive(
    state: AppState,
    tenant: Tenant,
    iid: i64,
    archive: bool,
) -> Result<Response, AppError> {
    let issue = load_issue(&state, &tenant, iid).await?;
    if archive
        && state
            .store
            .priorities(tenant.id)
            .await?
            .iter()
            .any(|p| p.active() && p.issue_id == iid)
    {
        return Err(AppError::Conflict(
            "This issue is an active priority: retire the priority (with a reason) first.".into(),
        ));
    }
    if issue.archived != archive {
        state
            .store
            .set_issue_archived(tenant.id, iid, archive, tenant.user.id)
            .await?;
    }
    Ok(Redirect::to(&format!("/p/{}/plan/issues/{iid}", tenant.id)).into_response())
}

/// `POST /p/{pid}/plan/issues/{iid}/archive`.
pub async fn archive_issue(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, iid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    issue_archive(state, tenant, iid, true).await
}

/// `POST /p/{pid}/plan/issues/{iid}/restore`.
pub async fn restore_issue(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, iid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    issue_archive(state, tenant, iid, false).await
}

// ----- rounds -----

/// `POST /p/{pid}/plan/rounds`: opens a round over the chosen issues.
pub async fn create_round(
    State(state): State<AppState>,
    tenant: Tenant,
    body: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&body);
    let mut bad = Vec::new();
    let title = one(&p, "title").trim().to_string();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        bad.push(format!(
            "title: give the round a name of 1 to {MAX_TITLE} characters"
        ));
    }
    let method = match one(&p, "method") {
        "dots" => match one(&p, "dots").trim().parse::<u32>() {
            Ok(n) if (1..=MAX_DOTS).contains(&n) => Some(VoteMethod::Dots(n)),
            _ => {
                bad.push(format!(
                    "dots: {:?} is not a number of dots from 1 to {MAX_DOTS}",
                    one(&p, "dots")
                ));
                None
            }
        },
        "ranking" => Some(VoteMethod::Ranking),
        other => {
            bad.push(format!("method: {other:?} is not dots or ranking"));
            None
        }
    };
    let issues = all_ids(&p, "issue");
    if issues.len() < 2 || issues.len() > MAX_ROUND_ISSUES {
        bad.push(format!(
            "issue: put 2 to {MAX_ROUND_ISSUES} issues on the ballot ({} chosen)",
            issues.len()
        ));
    }
    match (method, bad.is_empty()) {
        (Some(m), true) => {
            let id = state
                .store
                .create_round(tenant.id, &title, m, &issues, tenant.user.id)
                .await?;
            Ok(Redirect::to(&format!("/p/{}/plan/rounds/{id}", tenant.id)).into_response())
        }
        _ => Err(AppError::Unprocessable(format!(
            "The round was not opened: {}.",
            bad.join("; ")
        ))),
    }
}

pub struct BallotLine {
    pub issue_id: i64,
    pub title: String,
    /// The member's current mark ('' for none).
    pub mark: String,
}

pub struct ResultRow {
    pub issue_id: i64,
    pub title: String,
    pub points: u32,
    pub voters: usize,
    /// Points by category, in the order of `categories`.
    pub by_category: Vec<u32>,
    pub priority: bool,
}

pub struct ActiveChoice {
    pub id: i64,
    pub title: String,
}

#[derive(Template)]
#[template(path = "round.html")]
pub struct RoundTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub can_vote: bool,
    pub round: sectorkit_store::Round,
    pub method: String,
    pub dots: Option<u32>,
    pub ranking: bool,
    pub voter_category: String,
    pub ballot: Vec<BallotLine>,
    pub voted: bool,
    pub show_results: bool,
    pub categories: Vec<String>,
    pub results: Vec<ResultRow>,
    pub active: Vec<ActiveChoice>,
    pub max_priorities: usize,
    pub notice: Option<String>,
    pub errors: Vec<String>,
}

async fn voter_category(state: &AppState, tenant: &Tenant) -> Result<String, AppError> {
    let email = tenant.user.email.trim();
    Ok(state
        .store
        .contacts(tenant.id, None, None)
        .await?
        .into_iter()
        .find(|c| !email.is_empty() && c.fields.email.trim().eq_ignore_ascii_case(email))
        .map(|c| c.organization_category.label().to_string())
        .unwrap_or_else(|| UNLINKED.to_string()))
}

async fn round_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    rid: i64,
    marks: Option<BTreeMap<i64, String>>,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<RoundTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let round = state
        .store
        .round(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    let issues: BTreeMap<i64, String> = {
        let mut m = BTreeMap::new();
        for id in &round.issue_ids {
            if let Some(i) = state.store.issue(tenant.id, *id).await? {
                m.insert(*id, i.fields.title);
            }
        }
        m
    };
    let votes = state.store.votes(tenant.id, rid).await?;
    let mine: BTreeMap<i64, String> = marks.unwrap_or_else(|| {
        votes
            .iter()
            .filter(|v| v.user_id == tenant.user.id.0)
            .map(|v| (v.issue_id, v.mark.to_string()))
            .collect()
    });
    let voted = votes.iter().any(|v| v.user_id == tenant.user.id.0);
    // Ballots → tally.
    let mut ballots: BTreeMap<i64, Ballot> = BTreeMap::new();
    for v in &votes {
        let b = ballots.entry(v.user_id).or_insert_with(|| Ballot {
            category: v.category.clone(),
            points: BTreeMap::new(),
        });
        b.points.insert(v.issue_id, v.points.max(0) as u32);
    }
    let ballots: Vec<Ballot> = ballots.into_values().collect();
    let mut categories: Vec<String> = ballots.iter().map(|b| b.category.clone()).collect();
    categories.sort();
    categories.dedup();
    // Employers first: their voice is the point of the view.
    if let Some(i) = categories.iter().position(|c| c == "Employer") {
        let e = categories.remove(i);
        categories.insert(0, e);
    }
    let priorities = state.store.priorities(tenant.id).await?;
    let results = tally(&round.issue_ids, &ballots)
        .into_iter()
        .map(|r| ResultRow {
            title: issues.get(&r.issue_id).cloned().unwrap_or_default(),
            priority: priorities
                .iter()
                .any(|p| p.active() && p.issue_id == r.issue_id),
            by_category: categories
                .iter()
                .map(|c| r.by_category.get(c).copied().unwrap_or(0))
                .collect(),
            issue_id: r.issue_id,
            points: r.points,
            voters: r.voters,
        })
        .collect();
    Ok(RoundTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        can_vote: round.open && tenant.role >= Role::Partner,
        method: method_label(round.method),
        dots: match round.method {
            VoteMethod::Dots(n) => Some(n),
            VoteMethod::Ranking => None,
        },
        ranking: round.method == VoteMethod::Ranking,
        voter_category: voter_category(state, tenant).await?,
        ballot: round
            .issue_ids
            .iter()
            .map(|id| BallotLine {
                issue_id: *id,
                title: issues.get(id).cloned().unwrap_or_default(),
                mark: mine.get(id).cloned().unwrap_or_default(),
            })
            .collect(),
        voted,
        show_results: !round.open || can_edit(tenant),
        categories,
        results,
        active: priorities
            .iter()
            .filter(|p| p.active())
            .map(|p| ActiveChoice {
                id: p.id,
                title: p.title.clone(),
            })
            .collect(),
        max_priorities: state.store.settings(tenant.id).await?.max_priorities,
        round,
        notice,
        errors,
        partnership,
    })
}

/// `GET /p/{pid}/plan/rounds/{rid}`: the ballot (while open), the results, and (staff, once
/// closed) the confirmation of priorities.
pub async fn round_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, rid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = match q.notice.as_deref() {
        Some("voted") => {
            Some("Your ballot is saved; you can change it until the round closes.".to_string())
        }
        Some("closed") => Some("The round is closed: no more ballots.".to_string()),
        Some("confirmed") => Some("Priorities confirmed.".to_string()),
        _ => None,
    };
    let t = round_view(&state, &auth, &tenant, rid, None, vec![], notice).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/rounds/{rid}/ballot`: the member's ballot (`mark_{issue}` = dots or rank),
/// replacing any earlier one; refused once the round is closed.
pub async fn cast_ballot(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, rid)): Path<(i64, i64)>,
    body: RawForm,
) -> Result<Response, AppError> {
    let round = state
        .store
        .round(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    if !round.open {
        return Err(AppError::Conflict(
            "This round is closed: ballots are no longer accepted.".into(),
        ));
    }
    let p = pairs(&body);
    let mut typed = BTreeMap::new();
    let mut marks = Vec::new();
    let mut errors = Vec::new();
    for id in &round.issue_ids {
        let v = one(&p, &format!("mark_{id}")).trim().to_string();
        if !v.is_empty() {
            match v.parse::<u32>() {
                Ok(n) => marks.push((*id, n)),
                Err(_) => errors.push(format!("issue {id}: {v:?} is not a whole number")),
            }
        }
        typed.insert(*id, v);
    }
    if errors.is_empty() {
        match check_ballot(round.method, &round.issue_ids, &marks) {
            Ok(points) => {
                let rows: Vec<(i64, u32, u32)> = marks
                    .iter()
                    .filter_map(|(i, m)| points.get(i).map(|p| (*i, *m, *p)))
                    .collect();
                let category = voter_category(&state, &tenant).await?;
                return match state
                    .store
                    .cast_ballot(tenant.id, rid, tenant.user.id, &category, &rows)
                    .await
                {
                    Ok(()) => Ok(Redirect::to(&format!(
                        "/p/{}/plan/rounds/{rid}?notice=voted",
                        tenant.id
                    ))
                    .into_response()),
                    Err(StoreError::Conflict(_)) => Err(AppError::Conflict(
                        "This round is closed: ballots are no longer accepted.".into(),
                    )),
                    Err(e) => Err(e.into()),
                };
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    let t = round_view(&state, &auth, &tenant, rid, Some(typed), errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/rounds/{rid}/close`.
pub async fn close_round(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, rid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    state
        .store
        .close_round(tenant.id, rid, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan/rounds/{rid}?notice=closed", tenant.id)).into_response())
}

/// `POST /p/{pid}/plan/rounds/{rid}/confirm`: confirms issues of a closed round as priorities
/// under the pick-and-stick rule (`issue`, `retire`, `retire_reason`, `override`,
/// `override_reason`).
pub async fn confirm_round(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, rid)): Path<(i64, i64)>,
    body: RawForm,
) -> Result<Response, AppError> {
    let round = state
        .store
        .round(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    if round.open {
        return Err(AppError::Conflict(
            "Close the round before confirming priorities from it.".into(),
        ));
    }
    let p = pairs(&body);
    let adding: Vec<i64> = all_ids(&p, "issue")
        .into_iter()
        .filter(|i| round.issue_ids.contains(i))
        .collect();
    let retire = all_ids(&p, "retire");
    let priorities = state.store.priorities(tenant.id).await?;
    let active = priorities.iter().filter(|p| p.active()).count();
    let max = state.store.settings(tenant.id).await?.max_priorities;
    let override_reason = (one(&p, "override") == "1").then(|| one(&p, "override_reason"));
    let already: Vec<&str> = priorities
        .iter()
        .filter(|pr| pr.active() && adding.contains(&pr.issue_id))
        .map(|pr| pr.title.as_str())
        .collect();
    let outcome = if !already.is_empty() {
        Err(format!(
            "already an active priority: {}",
            already.join(", ")
        ))
    } else {
        check_pick(
            active,
            adding.len(),
            retire.len(),
            one(&p, "retire_reason"),
            max,
            override_reason,
        )
        .map_err(|e| e.to_string())
    };
    if let Err(e) = outcome {
        let t = round_view(&state, &auth, &tenant, rid, None, vec![e], None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response());
    }
    state
        .store
        .confirm_priorities(
            tenant.id,
            Some(rid),
            &adding,
            &retire,
            one(&p, "retire_reason"),
            override_reason.unwrap_or(""),
            tenant.user.id,
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/plan/rounds/{rid}?notice=confirmed",
        tenant.id
    ))
    .into_response())
}

/// `POST /p/{pid}/plan/priorities/{prid}/retire`: retires a priority with a reason.
pub async fn retire_priority(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, prid)): Path<(i64, i64)>,
    body: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&body);
    let reason = one(&p, "reason").trim();
    if reason.is_empty() {
        return Err(AppError::Unprocessable(
            "reason: say why the priority is retired (done, dropped, replaced …); nothing was changed."
                .into(),
        ));
    }
    state
        .store
        .confirm_priorities(tenant.id, None, &[], &[prid], reason, "", tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan?notice=retired", tenant.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_forms_name_their_fields() {
        let e = check_issue(&IssueForm {
            industry_code: "33x".into(),
            strategies: vec!["training".into(), "magic".into()],
            ..IssueForm::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["title", "industry_code", "strategy"]);
        let ok = check_issue(&IssueForm {
            title: " Too few machinists ".into(),
            root_causes: "Retirements\n\n  No pipeline \n".into(),
            strategies: vec!["training".into(), "training".into()],
            ..IssueForm::default()
        })
        .unwrap();
        assert_eq!(ok.title, "Too few machinists");
        assert_eq!(ok.root_causes, ["Retirements", "No pipeline"]);
        assert_eq!(ok.strategies, [StrategyCategory::Training]);
    }
}
