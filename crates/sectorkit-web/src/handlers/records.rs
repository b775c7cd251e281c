//! Pages of single convening records and of the audit trail: an action item, an outreach touch
//! and an employer-voice finding can each be opened, edited and (touches and findings) archived
//! or restored, with that record's own history below the form; the History page lists every
//! change in the partnership, filterable by kind of record and paged.
//!
//! Roles (the route table asks for the lowest; the handlers check the rest):
//! - an action item: staff edit everything; a partner who owns it edits its text, due date and
//!   status, not its owner (reassigning work is the staff's call);
//! - an outreach touch: staff, or the partner who logged it;
//! - a finding: staff;
//! - the History page: every member (viewers read everything else the trail describes).
//!
//! Records are archived, never deleted: an archived touch leaves the ledger and the recent-touch
//! warning, an archived finding leaves the lists, and both stay reachable from the trail.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{
    ActionForm, FindingForm, TouchForm, can_edit, check_action, check_finding, check_touch,
    choices, finding_choices, may_change_action,
};
use crate::handlers::occupations::Choice;
use crate::handlers::plan_page::{KeyActionForm, PlanChoices, Trace, plan_choices, trace_of};
use crate::policy::Tenant;
use crate::templates::{Chrome, datetime, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::engagement::{ActionStatus, Channel};
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::{ActionFields, ActionItem, AuditEntry, Partnership, Touch, VoiceFinding};
use serde::Deserialize;

/// Entries per page of the History page.
const HISTORY_PAGE: i64 = 100;

/// The kinds of record the trail holds: (entity code, label).
pub const RECORD_KINDS: &[(&str, &str)] = &[
    ("organization", "Organization"),
    ("contact", "Contact"),
    ("meeting", "Meeting"),
    ("action_item", "Action item"),
    ("outreach_touch", "Outreach touch"),
    ("voice_finding", "Employer-voice finding"),
    ("readiness", "Readiness assessment"),
    ("settings", "Thresholds"),
];

/// One audit entry as shown.
pub struct AuditView {
    pub at: String,
    pub who: String,
    /// "update Meeting 3: title: A → B".
    pub what: String,
    /// The kind of record, in words.
    pub kind: &'static str,
    /// Where the record is shown, when it has a page.
    pub href: Option<String>,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) if s.is_empty() => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The changed fields of an entry's detail (`{"field": [old, new]}`) in words.
pub fn describe_detail(detail: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(serde_json::Value::Object(m)) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::Array(pair) if pair.len() == 2 => {
                    if pair[0].is_null() {
                        format!("{k}: {}", json_text(&pair[1]))
                    } else {
                        format!("{k}: {} → {}", json_text(&pair[0]), json_text(&pair[1]))
                    }
                }
                other => format!("{k}: {}", json_text(other)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

pub fn audit_view(pid: i64, a: &AuditEntry) -> AuditView {
    let kind = RECORD_KINDS
        .iter()
        .find(|(c, _)| *c == a.entity)
        .map(|(_, l)| *l)
        .unwrap_or("Record");
    let base = format!("/p/{pid}/partners");
    let id = a.entity_id;
    let href = match a.entity.as_str() {
        "organization" => Some(format!("{base}/organizations/{id}")),
        "meeting" => Some(format!("{base}/meetings/{id}")),
        "action_item" => Some(format!("{base}/actions/{id}")),
        "outreach_touch" => Some(format!("{base}/outreach/{id}")),
        "voice_finding" => Some(format!("{base}/voice/{id}")),
        "readiness" => Some(format!("{base}/readiness")),
        "settings" => Some(format!("{base}/meetings#thresholds")),
        _ => None,
    };
    let what = describe_detail(&a.detail);
    AuditView {
        at: datetime(&a.at),
        who: a
            .user_name
            .clone()
            .unwrap_or_else(|| "(removed user)".into()),
        what: format!(
            "{} {} {}{}",
            a.action,
            a.entity,
            a.entity_id,
            if what.is_empty() {
                String::new()
            } else {
                format!(": {what}")
            }
        ),
        kind,
        href,
    }
}

async fn history_of(
    state: &AppState,
    tenant: &Tenant,
    entity: &str,
    id: i64,
) -> Result<Vec<AuditView>, AppError> {
    Ok(state
        .store
        .audit_log(tenant.id, Some((entity, id)), 50)
        .await?
        .iter()
        .map(|a| audit_view(tenant.id.0, a))
        .collect())
}

// ----- the History page -----

#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub kinds: Vec<Choice>,
    pub kind: String,
    pub entries: Vec<AuditView>,
    /// The query of the next (older) page, when there is one.
    pub older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    kind: String,
    before: Option<i64>,
}

/// `GET /p/{pid}/partners/history[?kind=K&before=ID]`: every change in the partnership, newest
/// first, 100 to a page.
pub async fn history_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    let kind = RECORD_KINDS
        .iter()
        .find(|(c, _)| *c == q.kind)
        .map(|(c, _)| *c);
    if kind.is_none() && !q.kind.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "{:?} is not a kind of record; use one of {}.",
            q.kind,
            RECORD_KINDS
                .iter()
                .map(|(c, _)| *c)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let partnership = state.store.partnership(tenant.id).await?;
    let raw = state
        .store
        .audit_trail(tenant.id, kind, None, q.before, HISTORY_PAGE + 1)
        .await?;
    let more = raw.len() as i64 > HISTORY_PAGE;
    let shown = &raw[..raw.len().min(HISTORY_PAGE as usize)];
    let older = match (more, shown.last()) {
        (true, Some(last)) => Some(format!(
            "?{}before={}",
            kind.map(|k| format!("kind={k}&")).unwrap_or_default(),
            last.id
        )),
        _ => None,
    };
    let t = HistoryTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        kinds: RECORD_KINDS
            .iter()
            .map(|(c, l)| Choice {
                value: (*c).into(),
                label: (*l).into(),
                selected: Some(*c) == kind,
            })
            .collect(),
        kind: kind.unwrap_or_default().into(),
        entries: shown.iter().map(|a| audit_view(tenant.id.0, a)).collect(),
        older,
        partnership,
    };
    Ok(page(&t)?.into_response())
}

// ----- an action item -----

#[derive(Template)]
#[template(path = "action.html")]
pub struct ActionTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub action: ActionItem,
    /// Staff or the owner may edit.
    pub can_change: bool,
    /// Only staff may reassign it.
    pub can_reassign: bool,
    pub owners: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub form: ActionEditForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub history: Vec<AuditView>,
    /// Where the action comes from: strategy, priority, evidence, owner, funding, outcome.
    pub trace: Trace,
    /// The plan fields' form (staff), its choices and errors.
    pub plan_form: KeyActionForm,
    pub plan_choices: Option<PlanChoices>,
    pub plan_errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionEditForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

async fn load_action(state: &AppState, tenant: &Tenant, aid: i64) -> Result<ActionItem, AppError> {
    state
        .store
        .action(tenant.id, aid)
        .await?
        .ok_or(AppError::NotFound)
}

/// The action page with the plan form as submitted and its errors (a refused plan change).
pub async fn action_view_with_plan(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    aid: i64,
    plan_form: KeyActionForm,
    plan_errors: Vec<(String, String)>,
) -> Result<ActionTemplate, AppError> {
    let action = load_action(state, tenant, aid).await?;
    let mut t = action_view(state, auth, tenant, action, None, Vec::new(), None).await?;
    t.plan_choices = Some(plan_choices(state, tenant, &plan_form, Some(aid)).await?);
    t.plan_form = plan_form;
    t.plan_errors = plan_errors;
    Ok(t)
}

async fn action_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    action: ActionItem,
    form: Option<ActionEditForm>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<ActionTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let planned = state
        .store
        .planned_actions(tenant.id)
        .await?
        .into_iter()
        .find(|p| p.action_id == action.id);
    let trace = trace_of(state, tenant, &action, planned.as_ref()).await?;
    let plan_form = KeyActionForm {
        strategy: opt(planned.as_ref().and_then(|p| p.fields.strategy_id)),
        organization: opt(planned.as_ref().and_then(|p| p.fields.organization_id)),
        quarter: trace.quarter.clone(),
        budget_line: opt(planned.as_ref().and_then(|p| p.fields.budget_line_id)),
        depends_on: planned
            .as_ref()
            .map(|p| p.fields.depends_on.clone())
            .unwrap_or_default(),
        ..KeyActionForm::default()
    };
    let plan_choices = if can_edit(tenant) {
        Some(plan_choices(state, tenant, &plan_form, Some(action.id)).await?)
    } else {
        None
    };
    let form = form.unwrap_or_else(|| ActionEditForm {
        text: action.text.clone(),
        owner: action
            .owner_contact_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
        due_on: action.due_on.map(|d| d.to_string()).unwrap_or_default(),
        status: action.status.code().into(),
    });
    let owners = state
        .store
        .contacts(tenant.id, None, None)
        .await?
        .into_iter()
        .map(|c| Choice {
            selected: form.owner == c.id.to_string(),
            value: c.id.to_string(),
            label: format!("{} ({})", c.fields.name, c.organization),
        })
        .collect();
    Ok(ActionTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_change: may_change_action(tenant, &action),
        can_reassign: can_edit(tenant),
        owners,
        statuses: choices(
            ActionStatus::ALL,
            ActionStatus::code,
            ActionStatus::label,
            &form.status,
        ),
        history: history_of(state, tenant, "action_item", action.id).await?,
        action,
        form,
        errors,
        notice,
        partnership,
        trace,
        plan_form,
        plan_choices,
        plan_errors: Vec::new(),
    })
}

fn opt(id: Option<i64>) -> String {
    id.map(|v| v.to_string()).unwrap_or_default()
}

/// `GET /p/{pid}/partners/actions/{aid}`: one action item, its form and its history.
pub async fn action_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, aid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let action = load_action(&state, &tenant, aid).await?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved.".to_string()),
        Some("plan") => Some("Its place in the plan is saved.".to_string()),
        _ => None,
    };
    let t = action_view(&state, &auth, &tenant, action, None, Vec::new(), notice).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/actions/{aid}`: changes an action item (staff; or its owner, who
/// cannot reassign it).
pub async fn update_action(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, aid)): Path<(i64, i64)>,
    Form(mut form): Form<ActionEditForm>,
) -> Result<Response, AppError> {
    let action = load_action(&state, &tenant, aid).await?;
    if !may_change_action(&tenant, &action) {
        return Err(AppError::Forbidden(
            "Only staff, or the action item's owner, can change it.".into(),
        ));
    }
    if !can_edit(&tenant) {
        // A partner keeps the owner as it is, whatever the form says.
        form.owner = action
            .owner_contact_id
            .map(|c| c.to_string())
            .unwrap_or_default();
    }
    let checked = check_action(&ActionForm {
        text: form.text.clone(),
        owner: form.owner.clone(),
        due_on: form.due_on.clone(),
    });
    let status = form.status.parse::<ActionStatus>();
    let mut errors = match &checked {
        Ok(_) => Vec::new(),
        Err(e) => e.clone(),
    };
    if let Err(e) = &status {
        errors.push(("status".into(), e.to_string()));
    }
    if let (Ok((text, owner, due_on)), Ok(status)) = (checked, status) {
        let fields = ActionFields {
            meeting_id: action.meeting_id,
            text,
            owner_contact_id: owner,
            due_on,
        };
        match state
            .store
            .update_action(tenant.id, aid, &fields, status, tenant.user.id)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/p/{}/partners/actions/{aid}?notice=saved",
                    tenant.id
                ))
                .into_response());
            }
            Err(sectorkit_store::StoreError::NotFound) => errors.push((
                "owner".into(),
                "That person is not a contact of this partnership.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = action_view(&state, &auth, &tenant, action, Some(form), errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

// ----- an outreach touch -----

#[derive(Template)]
#[template(path = "touch.html")]
pub struct TouchTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub touch: Touch,
    pub can_change: bool,
    pub employers: Vec<Choice>,
    pub employer_contacts: Vec<Choice>,
    pub partners: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub form: TouchForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub history: Vec<AuditView>,
}

fn may_change_touch(t: &Tenant, touch: &Touch) -> bool {
    can_edit(t) || (t.role == Role::Partner && touch.created_by == Some(t.user.id.0))
}

async fn load_touch(state: &AppState, tenant: &Tenant, tid: i64) -> Result<Touch, AppError> {
    state
        .store
        .touch(tenant.id, tid)
        .await?
        .ok_or(AppError::NotFound)
}

fn touch_form(t: &Touch) -> TouchForm {
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    TouchForm {
        employer: t.fields.employer_id.to_string(),
        employer_contact: id(t.fields.employer_contact_id),
        by_organization: id(t.fields.by_organization_id),
        by_name: t.fields.by_name.clone(),
        touched_on: t.fields.touched_on.to_string(),
        channel: t.fields.channel.code().into(),
        purpose: t.fields.purpose.clone(),
        outcome: t.fields.outcome.clone(),
        next_step: t.fields.next_step.clone(),
        acknowledged: None,
    }
}

async fn touch_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    touch: Touch,
    form: Option<TouchForm>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<TouchTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let form = form.unwrap_or_else(|| touch_form(&touch));
    let orgs = state.store.organizations(tenant.id, None, false).await?;
    let pick = |o: &sectorkit_store::Organization, chosen: &str| Choice {
        value: o.id.to_string(),
        label: o.fields.name.clone(),
        selected: chosen == o.id.to_string(),
    };
    let employers = orgs
        .iter()
        .filter(|o| o.category == OrgCategory::Employer)
        .map(|o| pick(o, &form.employer))
        .collect();
    let partners = orgs
        .iter()
        .filter(|o| o.category != OrgCategory::Employer)
        .map(|o| pick(o, &form.by_organization))
        .collect();
    let employer_contacts = state
        .store
        .contacts(tenant.id, Some(touch.fields.employer_id), None)
        .await?
        .into_iter()
        .map(|c| Choice {
            selected: form.employer_contact == c.id.to_string(),
            value: c.id.to_string(),
            label: c.fields.name,
        })
        .collect();
    Ok(TouchTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_change: may_change_touch(tenant, &touch),
        employers,
        employer_contacts,
        partners,
        channels: choices(Channel::ALL, Channel::code, Channel::label, &form.channel),
        history: history_of(state, tenant, "outreach_touch", touch.id).await?,
        touch,
        form,
        errors,
        notice,
        partnership,
    })
}

fn saved_notice(q: &NoticeQuery) -> Option<String> {
    match q.notice.as_deref() {
        Some("saved") => Some("Saved.".into()),
        Some("archived") => Some("Archived: it left the lists; its history is kept.".into()),
        Some("restored") => Some("Restored.".into()),
        _ => None,
    }
}

/// `GET /p/{pid}/partners/outreach/{tid}`: one touch, its form and its history.
pub async fn touch_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, tid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let touch = load_touch(&state, &tenant, tid).await?;
    let t = touch_view(
        &state,
        &auth,
        &tenant,
        touch,
        None,
        Vec::new(),
        saved_notice(&q),
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/outreach/{tid}`: changes a touch (staff, or the partner who logged
/// it); the same checks as logging one.
pub async fn update_touch(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, tid)): Path<(i64, i64)>,
    Form(form): Form<TouchForm>,
) -> Result<Response, AppError> {
    let touch = load_touch(&state, &tenant, tid).await?;
    if !may_change_touch(&tenant, &touch) {
        return Err(AppError::Forbidden(
            "Only staff, or the partner who logged the touch, can change it.".into(),
        ));
    }
    let errors = match check_touch(&form) {
        Ok(f) => match state
            .store
            .update_touch(tenant.id, tid, &f, tenant.user.id)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/p/{}/partners/outreach/{tid}?notice=saved",
                    tenant.id
                ))
                .into_response());
            }
            Err(sectorkit_store::StoreError::NotFound) => vec![(
                "employer_contact".to_string(),
                "The employer, the person or the partner organization is not one of this \
                 partnership's (the person must work for the employer)."
                    .to_string(),
            )],
            Err(e) => return Err(e.into()),
        },
        Err(e) => e,
    };
    let t = touch_view(&state, &auth, &tenant, touch, Some(form), errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/partners/outreach/{tid}/archive` and `/restore`.
async fn touch_archive(
    state: AppState,
    tenant: Tenant,
    tid: i64,
    archive: bool,
) -> Result<Response, AppError> {
    let touch = load_touch(&state, &tenant, tid).await?;
    if !may_change_touch(&tenant, &touch) {
        return Err(AppError::Forbidden(
            "Only staff, or the partner who logged the touch, can archive it.".into(),
        ));
    }
    if touch.archived != archive {
        state
            .store
            .set_touch_archived(tenant.id, tid, archive, tenant.user.id)
            .await?;
    }
    let n = if archive { "archived" } else { "restored" };
    Ok(Redirect::to(&format!(
        "/p/{}/partners/outreach/{tid}?notice={n}",
        tenant.id
    ))
    .into_response())
}

pub async fn archive_touch(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, tid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    touch_archive(state, tenant, tid, true).await
}

pub async fn restore_touch(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, tid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    touch_archive(state, tenant, tid, false).await
}

// ----- an employer-voice finding -----

#[derive(Template)]
#[template(path = "finding.html")]
pub struct FindingTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub finding: VoiceFinding,
    pub can_change: bool,
    pub kinds: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub industries: Vec<Choice>,
    pub form: FindingForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub history: Vec<AuditView>,
}

async fn load_finding(
    state: &AppState,
    tenant: &Tenant,
    fid: i64,
) -> Result<VoiceFinding, AppError> {
    state
        .store
        .finding(tenant.id, fid)
        .await?
        .ok_or(AppError::NotFound)
}

fn finding_form(f: &VoiceFinding) -> FindingForm {
    FindingForm {
        statement: f.fields.statement.clone(),
        kind: f.fields.kind.code().into(),
        industry_code: f.fields.industry_code.clone(),
        occupations: f.fields.occupations.join(", "),
        employers: f.fields.employers.to_string(),
        source: match (f.fields.meeting_id, f.fields.touch_id) {
            (Some(m), _) => format!("m{m}"),
            (None, Some(t)) => format!("t{t}"),
            (None, None) => String::new(),
        },
    }
}

async fn finding_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    finding: VoiceFinding,
    form: Option<FindingForm>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<FindingTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let form = form.unwrap_or_else(|| finding_form(&finding));
    let (kinds, sources, industries) = finding_choices(state, tenant, &form).await?;
    Ok(FindingTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_change: can_edit(tenant),
        kinds,
        sources,
        industries,
        history: history_of(state, tenant, "voice_finding", finding.id).await?,
        finding,
        form,
        errors,
        notice,
        partnership,
    })
}

/// `GET /p/{pid}/partners/voice/{fid}`: one finding, its form and its history.
pub async fn finding_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, fid)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let finding = load_finding(&state, &tenant, fid).await?;
    let t = finding_view(
        &state,
        &auth,
        &tenant,
        finding,
        None,
        Vec::new(),
        saved_notice(&q),
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/voice/{fid}`: changes a finding (staff).
pub async fn update_finding(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, fid)): Path<(i64, i64)>,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    let finding = load_finding(&state, &tenant, fid).await?;
    let errors = match check_finding(&form) {
        Ok(f) => match state
            .store
            .update_finding(tenant.id, fid, &f, tenant.user.id)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/p/{}/partners/voice/{fid}?notice=saved",
                    tenant.id
                ))
                .into_response());
            }
            Err(sectorkit_store::StoreError::NotFound) => vec![(
                "source".to_string(),
                "That meeting or touch is not one of this partnership's.".to_string(),
            )],
            Err(e) => return Err(e.into()),
        },
        Err(e) => e,
    };
    let t = finding_view(&state, &auth, &tenant, finding, Some(form), errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

async fn finding_archive(
    state: AppState,
    tenant: Tenant,
    fid: i64,
    archive: bool,
) -> Result<Response, AppError> {
    let finding = load_finding(&state, &tenant, fid).await?;
    if finding.archived != archive {
        state
            .store
            .set_finding_archived(tenant.id, fid, archive, tenant.user.id)
            .await?;
    }
    let n = if archive { "archived" } else { "restored" };
    Ok(Redirect::to(&format!("/p/{}/partners/voice/{fid}?notice={n}", tenant.id)).into_response())
}

/// `POST /p/{pid}/partners/voice/{fid}/archive`.
pub async fn archive_finding(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, fid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    finding_archive(state, tenant, fid, true).await
}

/// `POST /p/{pid}/partners/voice/{fid}/restore`.
pub async fn restore_finding(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, fid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    finding_archive(state, tenant, fid, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_changes() {
        assert_eq!(
            describe_detail(
                r#"{"title":["A","B"],"employers":[null,3],"owner_contact_id":["4",""]}"#
            ),
            "employers: 3; owner_contact_id: 4 → —; title: A → B"
        );
        assert_eq!(describe_detail("{}"), "");
        assert_eq!(describe_detail("not json"), "");
    }

    #[test]
    fn every_recorded_kind_links_where_it_is_shown() {
        let e = |entity: &str| AuditEntry {
            id: 1,
            at: 0,
            user_name: None,
            entity: entity.into(),
            entity_id: 7,
            action: "update".into(),
            detail: "{}".into(),
        };
        assert_eq!(
            audit_view(2, &e("outreach_touch")).href.as_deref(),
            Some("/p/2/partners/outreach/7")
        );
        assert_eq!(
            audit_view(2, &e("voice_finding")).kind,
            "Employer-voice finding"
        );
        assert_eq!(audit_view(2, &e("contact")).href, None);
        assert_eq!(audit_view(2, &e("other")).kind, "Record");
        assert_eq!(audit_view(2, &e("meeting")).who, "(removed user)");
    }
}
