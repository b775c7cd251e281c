//! Convening pages of the Partners section: meetings (with a first-meeting template),
//! attendance by person, action items (open and overdue per person and per organization),
//! engagement health and its red flags, the employer outreach ledger (recent touches shown
//! before a new one is logged), employer-voice findings, and the partnership's thresholds.
//!
//! Roles: viewers read; partners log outreach and change the status of their own action items
//! (an action item is theirs when its owner's email is the member's email); staff and owners
//! edit everything.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::downloads::{csv_file, unknown_table};
use crate::handlers::occupations::Choice;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::engagement::{
    ActionFacts, ActionStatus, AttendanceStatus, AttendeeFacts, Channel, FIRST_MEETING_AGENDA,
    HealthSettings, MeetingFacts, MeetingKind, OrgEngagement, RedFlag, VoiceType, attendance_trend,
    org_engagement, red_flags,
};
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::{
    ActionFields, ActionItem, FindingFields, MeetingFields, Partnership, PartnershipSettings,
    TouchFields,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Longest free text (notes, agenda) accepted, in characters.
const MAX_LONG: usize = 20_000;
/// Longest one-line text accepted.
const MAX_LINE: usize = 300;
/// Recent touches of an employer shown before logging a new one, and the window (days) in
/// which one asks for confirmation.
const RECENT_DAYS: i32 = 90;
const ASK_TWICE_DAYS: i32 = 30;

pub fn today() -> Day {
    Day::from_unix(sectorkit_store::now_unix())
}

pub fn can_edit(t: &Tenant) -> bool {
    t.role >= Role::Staff
}

fn check_len(field: &str, v: &str, max: usize, errors: &mut Vec<(String, String)>) {
    if v.chars().count() > max {
        errors.push((field.into(), format!("At most {max} characters.")));
    }
}

fn parse_day(
    field: &str,
    v: &str,
    required: bool,
    errors: &mut Vec<(String, String)>,
) -> Option<Day> {
    let v = v.trim();
    if v.is_empty() {
        if required {
            errors.push((field.into(), "Give the date (YYYY-MM-DD).".into()));
        }
        return None;
    }
    match v.parse::<Day>() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push((field.into(), e.to_string()));
            None
        }
    }
}

pub fn parse_id(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

pub fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|c| Choice {
            value: code(*c).into(),
            label: label(*c).into(),
            selected: code(*c) == selected,
        })
        .collect()
}

/// The health of the partnership from its records.
pub struct Health {
    pub flags: Vec<RedFlag>,
    pub by_org: BTreeMap<i64, OrgEngagement>,
    pub trend: Vec<sectorkit_core::engagement::AttendancePoint>,
    pub settings: PartnershipSettings,
    /// The action items the flags were computed from (pages list them without reading twice).
    pub actions: Vec<ActionItem>,
}

fn action_facts(a: &ActionItem) -> ActionFacts {
    ActionFacts {
        owner_contact_id: a.owner_contact_id,
        owner_organization_id: a.owner_organization_id,
        owner_employer: a.owner_category == Some(OrgCategory::Employer),
        due_on: a.due_on,
        status: a.status,
    }
}

/// Red flags, per-organization engagement and the attendance trend, computed in core from the
/// stored records.
pub async fn health(state: &AppState, tenant: &Tenant, today: Day) -> Result<Health, AppError> {
    let settings = state.store.settings(tenant.id).await?;
    let meetings = state.store.meetings(tenant.id, None).await?;
    let attendance = state.store.attendance(tenant.id, None).await?;
    let mut facts: BTreeMap<i64, MeetingFacts> = meetings
        .iter()
        .map(|m| {
            (
                m.id,
                MeetingFacts {
                    id: m.id,
                    held_on: m.fields.held_on,
                    attendees: Vec::new(),
                },
            )
        })
        .collect();
    for a in &attendance {
        if let Some(m) = facts.get_mut(&a.meeting_id) {
            m.attendees.push(AttendeeFacts {
                contact_id: a.contact_id,
                organization_id: a.organization_id,
                employer: a.category == OrgCategory::Employer,
                status: a.status,
            });
        }
    }
    let facts: Vec<MeetingFacts> = facts.into_values().collect();
    let items = state.store.actions(tenant.id, None).await?;
    let actions: Vec<ActionFacts> = items.iter().map(action_facts).collect();
    let touches: Vec<(i64, Day)> = state
        .store
        .touches(tenant.id, None)
        .await?
        .iter()
        .map(|t| (t.fields.employer_id, t.fields.touched_on))
        .collect();
    let archived = state.store.archived_employer_days(tenant.id).await?;
    Ok(Health {
        flags: red_flags(&facts, &actions, &archived, today, &settings.health),
        by_org: org_engagement(&facts, &actions, &touches, today, 5),
        trend: attendance_trend(&facts, today),
        settings,
        actions: items,
    })
}

/// A red flag with its fix link, for templates.
pub struct FlagView {
    pub message: String,
    pub fix_href: String,
    pub fix_label: &'static str,
}

pub fn flag_views(pid: i64, flags: &[RedFlag]) -> Vec<FlagView> {
    flags
        .iter()
        .map(|f| {
            let (href, label) = f.fix();
            FlagView {
                message: f.message(),
                fix_href: format!("/p/{pid}/{href}"),
                fix_label: label,
            }
        })
        .collect()
}

/// The attendance trend as a small SVG bar chart: people present per meeting, the employer
/// part darker. Empty when there is no attendance yet.
pub fn trend_svg(points: &[sectorkit_core::engagement::AttendancePoint]) -> String {
    use std::fmt::Write;
    if points.is_empty() {
        return String::new();
    }
    let max = points.iter().map(|p| p.present).max().unwrap_or(1).max(1) as f64;
    let (w, h, bar) = (40.0 * points.len() as f64 + 20.0, 140.0, 24.0);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"trend-t\"><title id=\"trend-t\">People present per meeting; the dark part is employers</title>"
    );
    for (i, p) in points.iter().enumerate() {
        let x = 10.0 + 40.0 * i as f64;
        let all = 100.0 * p.present as f64 / max;
        let emp = 100.0 * p.employer_present as f64 / max;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{:.1}\" width=\"{bar}\" height=\"{all:.1}\" fill=\"#b9c7d8\"><title>{}: {} present</title></rect>\
             <rect x=\"{x}\" y=\"{:.1}\" width=\"{bar}\" height=\"{emp:.1}\" fill=\"#1f4e79\"><title>{}: {} from employers</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"132\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            110.0 - all,
            p.held_on,
            p.present,
            110.0 - emp,
            p.held_on,
            p.employer_present,
            x + bar / 2.0,
            106.0 - all,
            p.present,
            x + bar / 2.0,
            &p.held_on.to_string()[5..],
        );
    }
    s.push_str("</svg>");
    s
}

// ----- meetings -----

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub decisions: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn check_meeting(f: &MeetingForm) -> Result<MeetingFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let kind = match f.kind.parse::<MeetingKind>() {
        Ok(k) => Some(k),
        Err(e) => {
            errors.push(("kind".into(), e.to_string()));
            None
        }
    };
    let title = f.title.trim().to_string();
    if title.is_empty() {
        errors.push(("title".into(), "Give the meeting a title.".into()));
    }
    check_len("title", &title, MAX_LINE, &mut errors);
    let held_on = parse_day("held_on", &f.held_on, true, &mut errors);
    check_len("location", &f.location, MAX_LINE, &mut errors);
    for (name, v) in [
        ("agenda", &f.agenda),
        ("notes", &f.notes),
        ("decisions", &f.decisions),
    ] {
        check_len(name, v, MAX_LONG, &mut errors);
    }
    match (kind, held_on, errors.is_empty()) {
        (Some(kind), Some(held_on), true) => Ok(MeetingFields {
            kind,
            title,
            held_on,
            location: f.location.trim().to_string(),
            agenda: lines(&f.agenda),
            notes: f.notes.trim().to_string(),
            decisions: lines(&f.decisions),
        }),
        _ => Err(errors),
    }
}

pub struct MeetingRowView {
    pub id: i64,
    pub held_on: String,
    pub kind: &'static str,
    pub title: String,
    pub invited: i64,
    pub present: i64,
    pub employer_present: i64,
    pub open_actions: i64,
    pub upcoming: bool,
}

pub struct ActionView {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub owner_org: String,
    pub owner_org_id: Option<i64>,
    pub meeting: String,
    pub meeting_id: Option<i64>,
    pub due_on: String,
    pub status: &'static str,
    pub open: bool,
    pub overdue: bool,
    /// The viewer may change its status.
    pub can_change: bool,
}

fn action_view(a: &ActionItem, today: Day, tenant: &Tenant) -> ActionView {
    ActionView {
        id: a.id,
        text: a.text.clone(),
        owner: a.owner.clone().unwrap_or_else(|| "no owner".into()),
        owner_org: a.owner_organization.clone().unwrap_or_default(),
        owner_org_id: a.owner_organization_id,
        meeting: a.meeting_title.clone().unwrap_or_default(),
        meeting_id: a.meeting_id,
        due_on: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
        status: a.status.label(),
        open: a.status == ActionStatus::Open,
        overdue: action_facts(a).overdue(today),
        can_change: may_change_action(tenant, a),
    }
}

/// Staff and owners change any action item; a partner only those they own.
pub fn may_change_action(t: &Tenant, a: &ActionItem) -> bool {
    can_edit(t)
        || (t.role == Role::Partner
            && a.owner_email
                .as_deref()
                .is_some_and(|e| !e.is_empty() && e.eq_ignore_ascii_case(&t.user.email)))
}

/// Open and overdue action items per owner (person or organization).
pub struct OwnerLoad {
    pub name: String,
    pub open: usize,
    pub overdue: usize,
}

fn loads(items: &[ActionView], by_org: bool) -> Vec<OwnerLoad> {
    let mut m: BTreeMap<String, OwnerLoad> = BTreeMap::new();
    for a in items.iter().filter(|a| a.open) {
        let name = if by_org {
            if a.owner_org.is_empty() {
                "no organization".to_string()
            } else {
                a.owner_org.clone()
            }
        } else {
            a.owner.clone()
        };
        let e = m.entry(name.to_lowercase()).or_insert(OwnerLoad {
            name,
            open: 0,
            overdue: 0,
        });
        e.open += 1;
        e.overdue += usize::from(a.overdue);
    }
    let mut v: Vec<OwnerLoad> = m.into_values().collect();
    v.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)));
    v
}

#[derive(Template)]
#[template(path = "meetings.html")]
pub struct MeetingsTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub flags: Vec<FlagView>,
    pub trend_svg: String,
    pub meetings: Vec<MeetingRowView>,
    pub actions: Vec<ActionView>,
    pub by_person: Vec<OwnerLoad>,
    pub by_org: Vec<OwnerLoad>,
    pub kinds: Vec<Choice>,
    pub form: MeetingForm,
    pub errors: Vec<(String, String)>,
    pub from_template: bool,
    pub health: HealthSettings,
    pub min_target_employers: usize,
}

#[derive(Debug, Default, Deserialize)]
pub struct MeetingsQuery {
    #[serde(default)]
    q: String,
    template: Option<String>,
    format: Option<String>,
    table: Option<String>,
}

async fn meetings_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &MeetingsQuery,
    form: Option<MeetingForm>,
    errors: Vec<(String, String)>,
) -> Result<MeetingsTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let today = today();
    let h = health(state, tenant, today).await?;
    let search = (!q.q.trim().is_empty()).then_some(q.q.as_str());
    let meetings = state
        .store
        .meetings(tenant.id, search)
        .await?
        .into_iter()
        .map(|m| MeetingRowView {
            id: m.id,
            held_on: m.fields.held_on.to_string(),
            kind: m.fields.kind.label(),
            upcoming: m.fields.held_on > today,
            title: m.fields.title,
            invited: m.invited,
            present: m.present,
            employer_present: m.employer_present,
            open_actions: m.open_actions,
        })
        .collect();
    let actions: Vec<ActionView> = h
        .actions
        .iter()
        .map(|a| action_view(a, today, tenant))
        .collect();
    let from_template = q.template.as_deref() == Some("first");
    let form = form.unwrap_or_else(|| {
        if from_template {
            MeetingForm {
                kind: MeetingKind::PartnershipMeeting.code().into(),
                title: "First partnership meeting".into(),
                held_on: today.to_string(),
                agenda: FIRST_MEETING_AGENDA.join("\n"),
                ..MeetingForm::default()
            }
        } else {
            MeetingForm {
                kind: MeetingKind::IndustryRoundtable.code().into(),
                held_on: today.to_string(),
                ..MeetingForm::default()
            }
        }
    });
    Ok(MeetingsTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        q: q.q.clone(),
        flags: flag_views(tenant.id.0, &h.flags),
        trend_svg: trend_svg(&h.trend),
        meetings,
        by_person: loads(&actions, false),
        by_org: loads(&actions, true),
        actions,
        kinds: choices(
            MeetingKind::ALL,
            MeetingKind::code,
            MeetingKind::label,
            &form.kind,
        ),
        form,
        errors,
        from_template,
        health: h.settings.health.clone(),
        min_target_employers: h.settings.min_target_employers,
        partnership,
    })
}

/// `GET /p/{pid}/partners/meetings`: meetings, action items, red flags; CSV with
/// `format=csv&table=meetings|actions`.
pub async fn meetings_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<MeetingsQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        let today = today();
        return match q.table.as_deref().unwrap_or("meetings") {
            "meetings" => {
                let rows = state
                    .store
                    .meetings(tenant.id, None)
                    .await?
                    .into_iter()
                    .map(|m| {
                        vec![
                            m.fields.held_on.to_string(),
                            m.fields.kind.code().into(),
                            m.fields.title,
                            m.fields.location,
                            m.invited.to_string(),
                            m.present.to_string(),
                            m.employer_present.to_string(),
                            m.fields.agenda.join(" | "),
                            m.fields.decisions.join(" | "),
                            m.open_actions.to_string(),
                        ]
                    });
                csv_file(
                    "meetings.csv",
                    &[
                        "held_on",
                        "type",
                        "title",
                        "location",
                        "invited",
                        "present",
                        "employer_people_present",
                        "agenda",
                        "decisions",
                        "open_action_items",
                    ],
                    rows,
                )
            }
            "actions" => {
                let rows = state
                    .store
                    .actions(tenant.id, None)
                    .await?
                    .into_iter()
                    .map(|a| {
                        let overdue = action_facts(&a).overdue(today);
                        vec![
                            a.text,
                            a.owner.unwrap_or_default(),
                            a.owner_organization.unwrap_or_default(),
                            a.meeting_title.unwrap_or_default(),
                            a.due_on.map(|d| d.to_string()).unwrap_or_default(),
                            a.status.code().into(),
                            if overdue { "yes".into() } else { "no".into() },
                        ]
                    });
                csv_file(
                    "action-items.csv",
                    &[
                        "action",
                        "owner",
                        "organization",
                        "meeting",
                        "due_on",
                        "status",
                        "overdue",
                    ],
                    rows,
                )
            }
            other => Err(unknown_table(other, &["meetings", "actions"])),
        };
    }
    let t = meetings_view(&state, &auth, &tenant, &q, None, Vec::new()).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/meetings`: a new meeting.
pub async fn create_meeting(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    match check_meeting(&form) {
        Ok(f) => {
            let id = state
                .store
                .create_meeting(tenant.id, &f, tenant.user.id)
                .await?;
            Ok(Redirect::to(&format!("/p/{}/partners/meetings/{id}", tenant.id)).into_response())
        }
        Err(errors) => {
            let t = meetings_view(
                &state,
                &auth,
                &tenant,
                &MeetingsQuery::default(),
                Some(form),
                errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}

pub struct AttendeeView {
    pub contact_id: i64,
    pub name: String,
    pub organization: String,
    pub category: &'static str,
    /// '' (not on the list), invited, attended, delegate.
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "meeting.html")]
pub struct MeetingTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub id: i64,
    pub kind_label: &'static str,
    pub title: String,
    pub held_on: String,
    pub location: String,
    pub agenda: Vec<String>,
    pub notes: String,
    pub decisions: Vec<String>,
    pub present: i64,
    pub employer_present: i64,
    pub attendees: Vec<AttendeeView>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub actions: Vec<ActionView>,
    pub owners: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub form: MeetingForm,
    pub action_form: ActionForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct MeetingQuery {
    notice: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn meeting_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    id: i64,
    form: Option<MeetingForm>,
    action_form: ActionForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<MeetingTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let m = state
        .store
        .meeting(tenant.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = today();
    let recorded: BTreeMap<i64, AttendanceStatus> = state
        .store
        .attendance(tenant.id, Some(id))
        .await?
        .into_iter()
        .map(|a| (a.contact_id, a.status))
        .collect();
    let contacts = state.store.contacts(tenant.id, None, None).await?;
    let mut attendees: Vec<AttendeeView> = contacts
        .iter()
        .map(|c| AttendeeView {
            contact_id: c.id,
            name: c.fields.name.clone(),
            organization: c.organization.clone(),
            category: c.organization_category.label(),
            status: recorded.get(&c.id).map(|s| s.code()).unwrap_or(""),
        })
        .collect();
    // People on the list first, then by organization.
    attendees.sort_by(|a, b| {
        a.status
            .is_empty()
            .cmp(&b.status.is_empty())
            .then(
                a.organization
                    .to_lowercase()
                    .cmp(&b.organization.to_lowercase()),
            )
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    let actions = state
        .store
        .actions(tenant.id, Some(id))
        .await?
        .iter()
        .map(|a| action_view(a, today, tenant))
        .collect();
    let owners = contacts
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: format!("{} ({})", c.fields.name, c.organization),
            selected: action_form.owner == c.id.to_string(),
        })
        .collect();
    let form = form.unwrap_or_else(|| MeetingForm {
        kind: m.fields.kind.code().into(),
        title: m.fields.title.clone(),
        held_on: m.fields.held_on.to_string(),
        location: m.fields.location.clone(),
        agenda: m.fields.agenda.join("\n"),
        notes: m.fields.notes.clone(),
        decisions: m.fields.decisions.join("\n"),
    });
    Ok(MeetingTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        id,
        kind_label: m.fields.kind.label(),
        title: m.fields.title.clone(),
        held_on: m.fields.held_on.to_string(),
        location: m.fields.location.clone(),
        agenda: m.fields.agenda.clone(),
        notes: m.fields.notes.clone(),
        decisions: m.fields.decisions.clone(),
        present: m.present,
        employer_present: m.employer_present,
        attendees,
        statuses: AttendanceStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
        actions,
        owners,
        kinds: choices(
            MeetingKind::ALL,
            MeetingKind::code,
            MeetingKind::label,
            &form.kind,
        ),
        form,
        action_form,
        errors,
        notice,
        partnership,
    })
}

/// `GET /p/{pid}/partners/meetings/{mid}`.
pub async fn meeting_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, mid)): Path<(i64, i64)>,
    Query(q): Query<MeetingQuery>,
) -> Result<Response, AppError> {
    let notice = match q.notice.as_deref() {
        Some("attendance") => Some("Attendance saved.".to_string()),
        Some("action") => Some("Action item added.".to_string()),
        Some("saved") => Some("Meeting saved.".to_string()),
        _ => None,
    };
    let t = meeting_view(
        &state,
        &auth,
        &tenant,
        mid,
        None,
        ActionForm::default(),
        Vec::new(),
        notice,
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/meetings/{mid}`: edits the meeting.
pub async fn update_meeting(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, mid)): Path<(i64, i64)>,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    match check_meeting(&form) {
        Ok(f) => {
            state
                .store
                .update_meeting(tenant.id, mid, &f, tenant.user.id)
                .await?;
            Ok(Redirect::to(&format!(
                "/p/{}/partners/meetings/{mid}?notice=saved",
                tenant.id
            ))
            .into_response())
        }
        Err(errors) => {
            let t = meeting_view(
                &state,
                &auth,
                &tenant,
                mid,
                Some(form),
                ActionForm::default(),
                errors,
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}

/// `POST /p/{pid}/partners/meetings/{mid}/attendance`: fields `a{contact id}` = '' | invited |
/// attended | delegate, for every person shown.
pub async fn save_attendance(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, mid)): Path<(i64, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut changes = Vec::new();
    for (k, v) in &form {
        let Some(id) = k.strip_prefix('a').and_then(parse_id) else {
            continue;
        };
        let status = match v.trim() {
            "" => None,
            s => Some(s.parse::<AttendanceStatus>().map_err(|e| {
                AppError::Unprocessable(format!("attendance of contact {id}: {e}"))
            })?),
        };
        changes.push((id, status));
    }
    state
        .store
        .set_attendance(tenant.id, mid, &changes, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners/meetings/{mid}?notice=attendance#attendance",
        tenant.id
    ))
    .into_response())
}

/// An action item's checked text, owner and due date.
pub type CheckedAction = (String, Option<i64>, Option<Day>);

/// Checks an action-item form (text, owner, due date): every problem named by its field.
pub fn check_action(form: &ActionForm) -> Result<CheckedAction, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let text = form.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text".into(), "Say what is to be done.".into()));
    }
    check_len("text", &text, MAX_LINE, &mut errors);
    let owner = match form.owner.trim() {
        "" => {
            errors.push((
                "owner".into(),
                "Choose who owns it: an action item without an owner does not get done.".into(),
            ));
            None
        }
        o => match parse_id(o) {
            Some(id) => Some(id),
            None => {
                errors.push((
                    "owner".into(),
                    format!("{o:?} is not a person of this partnership."),
                ));
                None
            }
        },
    };
    let due_on = parse_day("due_on", &form.due_on, false, &mut errors);
    if errors.is_empty() {
        Ok((text, owner, due_on))
    } else {
        Err(errors)
    }
}

/// `POST /p/{pid}/partners/meetings/{mid}/actions`: a new action item of the meeting.
pub async fn create_action(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, mid)): Path<(i64, i64)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let checked = check_action(&form);
    let errors = match checked {
        Ok((text, owner, due_on)) => {
            state
                .store
                .create_action(
                    tenant.id,
                    &ActionFields {
                        meeting_id: Some(mid),
                        text,
                        owner_contact_id: owner,
                        due_on,
                    },
                    tenant.user.id,
                )
                .await?;
            return Ok(Redirect::to(&format!(
                "/p/{}/partners/meetings/{mid}?notice=action#actions",
                tenant.id
            ))
            .into_response());
        }
        Err(e) => e,
    };
    let t = meeting_view(&state, &auth, &tenant, mid, None, form, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    back: String,
}

/// `POST /p/{pid}/partners/actions/{aid}/status`: staff change any; a partner their own.
pub async fn action_status(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, aid)): Path<(i64, i64)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let a = state
        .store
        .action(tenant.id, aid)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_change_action(&tenant, &a) {
        return Err(AppError::Forbidden(
            "Only staff, or the action item's owner, can change its status.".into(),
        ));
    }
    let status: ActionStatus =
        form.status
            .parse()
            .map_err(|e: sectorkit_core::partners::UnknownCode| {
                AppError::Unprocessable(e.to_string())
            })?;
    state
        .store
        .set_action_status(tenant.id, aid, status, tenant.user.id)
        .await?;
    // Back to the page the form was on (only paths of this partnership).
    let prefix = format!("/p/{}/", tenant.id);
    let back = if form.back.starts_with(&prefix) && !form.back.contains("//") {
        form.back
    } else {
        format!("/p/{}/partners/meetings#actions", tenant.id)
    };
    Ok(Redirect::to(&back).into_response())
}

// ----- settings -----

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    min_target_employers: String,
    #[serde(default)]
    falling_meetings: String,
    #[serde(default)]
    lost_window_days: String,
    #[serde(default)]
    lost_max: String,
    #[serde(default)]
    voices_meetings: String,
    #[serde(default)]
    voices_max: String,
    #[serde(default)]
    overdue_max: String,
    #[serde(default)]
    quiet_days: String,
}

/// `POST /p/{pid}/partners/settings`: the composition and red-flag thresholds.
pub async fn save_settings(
    State(state): State<AppState>,
    tenant: Tenant,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let mut bad = Vec::new();
    let mut num = |name: &str, v: &str, lo: i64, hi: i64| -> i64 {
        match v.trim().parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => n,
            _ => {
                bad.push(format!(
                    "{name}: {v:?} is not a whole number from {lo} to {hi}"
                ));
                0
            }
        }
    };
    let s = PartnershipSettings {
        min_target_employers: num("min_target_employers", &f.min_target_employers, 1, 1000)
            as usize,
        health: HealthSettings {
            falling_meetings: num("falling_meetings", &f.falling_meetings, 2, 20) as usize,
            lost_window_days: num("lost_window_days", &f.lost_window_days, 7, 730) as i32,
            lost_max: num("lost_max", &f.lost_max, 0, 1000) as usize,
            voices_meetings: num("voices_meetings", &f.voices_meetings, 3, 50) as usize,
            voices_max: num("voices_max", &f.voices_max, 1, 100) as usize,
            overdue_max: num("overdue_max", &f.overdue_max, 1, 1000) as usize,
            quiet_days: num("quiet_days", &f.quiet_days, 1, 730) as i32,
        },
        // Kept as it is: the Plan page sets it.
        max_priorities: state.store.settings(tenant.id).await?.max_priorities,
    };
    if !bad.is_empty() {
        return Err(AppError::Unprocessable(format!(
            "The thresholds were not saved: {}.",
            bad.join("; ")
        )));
    }
    state
        .store
        .set_settings(tenant.id, &s, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/partners/meetings?#thresholds", tenant.id)).into_response())
}

// ----- outreach -----

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TouchForm {
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub employer_contact: String,
    #[serde(default)]
    pub by_organization: String,
    #[serde(default)]
    pub by_name: String,
    #[serde(default)]
    pub touched_on: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub next_step: String,
    /// Set when the user saw the recent touches of this employer and logs anyway.
    #[serde(default)]
    pub acknowledged: Option<String>,
}

pub struct TouchView {
    pub id: i64,
    pub touched_on: String,
    pub employer: String,
    pub employer_id: i64,
    pub employer_contact: String,
    pub by: String,
    pub channel: &'static str,
    pub purpose: String,
    pub outcome: String,
    pub next_step: String,
}

#[derive(Template)]
#[template(path = "outreach.html")]
pub struct OutreachTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_log: bool,
    pub touches: Vec<TouchView>,
    /// The ledger's search words ('' for all).
    pub q: String,
    /// The chosen employer's name and its recent touches (shown before logging a new one).
    pub employer_name: Option<String>,
    pub recent: Vec<TouchView>,
    pub recent_days: i32,
    pub ask_twice: bool,
    pub employers: Vec<Choice>,
    pub employer_contacts: Vec<Choice>,
    pub partners: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub form: TouchForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct OutreachQuery {
    employer: Option<String>,
    #[serde(default)]
    q: String,
    notice: Option<String>,
    format: Option<String>,
}

fn touch_view(t: &sectorkit_store::Touch) -> TouchView {
    TouchView {
        id: t.id,
        touched_on: t.fields.touched_on.to_string(),
        employer: t.employer.clone(),
        employer_id: t.fields.employer_id,
        employer_contact: t.employer_contact.clone().unwrap_or_default(),
        by: match (&t.fields.by_name, &t.by_organization) {
            (n, Some(o)) if !n.is_empty() => format!("{n} ({o})"),
            (_, Some(o)) => o.clone(),
            (n, None) => n.clone(),
        },
        channel: t.fields.channel.label(),
        purpose: t.fields.purpose.clone(),
        outcome: t.fields.outcome.clone(),
        next_step: t.fields.next_step.clone(),
    }
}

// The page's state comes from several places (form, errors, notice, warning, search).
#[allow(clippy::too_many_arguments)]
async fn outreach_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    form: TouchForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    ask_twice: bool,
    q: &str,
) -> Result<OutreachTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let orgs = state.store.organizations(tenant.id, None, false).await?;
    let all = state.store.touches(tenant.id, None).await?;
    let listed = if q.trim().is_empty() {
        all.iter().map(touch_view).collect()
    } else {
        state
            .store
            .search_touches(tenant.id, q.trim())
            .await?
            .iter()
            .map(touch_view)
            .collect()
    };
    let employer = parse_id(&form.employer).and_then(|id| {
        orgs.iter()
            .find(|o| o.id == id && o.category == OrgCategory::Employer)
    });
    let since = today().plus(-RECENT_DAYS);
    let recent = employer
        .map(|e| {
            all.iter()
                .filter(|t| t.fields.employer_id == e.id && t.fields.touched_on >= since)
                .map(touch_view)
                .collect()
        })
        .unwrap_or_default();
    let employer_contacts = match employer {
        Some(e) => state
            .store
            .contacts(tenant.id, Some(e.id), None)
            .await?
            .into_iter()
            .map(|c| Choice {
                selected: form.employer_contact == c.id.to_string(),
                value: c.id.to_string(),
                label: c.fields.name,
            })
            .collect(),
        None => Vec::new(),
    };
    let employers = orgs
        .iter()
        .filter(|o| o.category == OrgCategory::Employer)
        .map(|o| Choice {
            value: o.id.to_string(),
            label: o.fields.name.clone(),
            selected: form.employer == o.id.to_string(),
        })
        .collect();
    let partners = orgs
        .iter()
        .filter(|o| o.category != OrgCategory::Employer)
        .map(|o| Choice {
            value: o.id.to_string(),
            label: o.fields.name.clone(),
            selected: form.by_organization == o.id.to_string(),
        })
        .collect();
    Ok(OutreachTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_log: tenant.role >= Role::Partner,
        touches: listed,
        q: q.to_string(),
        employer_name: employer.map(|e| e.fields.name.clone()),
        recent,
        recent_days: RECENT_DAYS,
        ask_twice,
        employers,
        employer_contacts,
        partners,
        channels: choices(Channel::ALL, Channel::code, Channel::label, &form.channel),
        form,
        errors,
        notice,
        partnership,
    })
}

/// `GET /p/{pid}/partners/outreach[?employer=ID]`: the ledger; choosing an employer shows its
/// recent touches by any partner before a new one is logged. CSV with `format=csv`.
pub async fn outreach_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<OutreachQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        let rows = state
            .store
            .touches(tenant.id, None)
            .await?
            .into_iter()
            .map(|t| {
                let v = touch_view(&t);
                vec![
                    v.touched_on,
                    v.employer,
                    v.employer_contact,
                    v.by,
                    t.fields.channel.code().into(),
                    v.purpose,
                    v.outcome,
                    v.next_step,
                ]
            });
        return csv_file(
            "outreach.csv",
            &[
                "touched_on",
                "employer",
                "employer_contact",
                "by",
                "channel",
                "purpose",
                "outcome",
                "next_step",
            ],
            rows,
        );
    }
    let form = TouchForm {
        employer: q.employer.unwrap_or_default(),
        touched_on: today().to_string(),
        channel: Channel::Email.code().into(),
        by_name: tenant.user.name.clone(),
        ..TouchForm::default()
    };
    let notice = (q.notice.as_deref() == Some("logged")).then(|| "Touch logged.".to_string());
    let t = outreach_view(
        &state,
        &auth,
        &tenant,
        form,
        Vec::new(),
        notice,
        false,
        &q.q,
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// Checks a touch form: every problem named by its field.
pub fn check_touch(form: &TouchForm) -> Result<TouchFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let employer = parse_id(&form.employer);
    if employer.is_none() {
        errors.push(("employer".into(), "Choose the employer.".into()));
    }
    let touched_on = parse_day("touched_on", &form.touched_on, true, &mut errors);
    if touched_on.is_some_and(|d| d > today()) {
        errors.push((
            "touched_on".into(),
            "A touch is logged after it happens: the date is in the future.".into(),
        ));
    }
    let channel = match form.channel.parse::<Channel>() {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(("channel".into(), e.to_string()));
            None
        }
    };
    if form.purpose.trim().is_empty() {
        errors.push((
            "purpose".into(),
            "Say what the touch was for (the ask).".into(),
        ));
    }
    for (n, v) in [
        ("purpose", &form.purpose),
        ("outcome", &form.outcome),
        ("next_step", &form.next_step),
        ("by_name", &form.by_name),
    ] {
        check_len(n, v, MAX_LINE, &mut errors);
    }
    match (employer, touched_on, channel, errors.is_empty()) {
        (Some(employer_id), Some(touched_on), Some(channel), true) => Ok(TouchFields {
            employer_id,
            employer_contact_id: parse_id(&form.employer_contact),
            by_organization_id: parse_id(&form.by_organization),
            by_name: form.by_name.trim().to_string(),
            touched_on,
            channel,
            purpose: form.purpose.trim().to_string(),
            outcome: form.outcome.trim().to_string(),
            next_step: form.next_step.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

/// `POST /p/{pid}/partners/outreach`: logs a touch. If a partner touched the same employer in
/// the last 30 days, the form comes back (409) with those touches until the user confirms.
pub async fn create_touch(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<TouchForm>,
) -> Result<Response, AppError> {
    let f = match check_touch(&form) {
        Ok(f) => f,
        Err(errors) => {
            let t = outreach_view(&state, &auth, &tenant, form, errors, None, false, "").await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response());
        }
    };
    let (employer, touched_on) = (f.employer_id, f.touched_on);
    if form.acknowledged.is_none() {
        let since = touched_on.plus(-ASK_TWICE_DAYS);
        let recent = state
            .store
            .touches(tenant.id, Some(employer))
            .await?
            .into_iter()
            .any(|t| t.fields.touched_on >= since);
        if recent {
            let t = outreach_view(&state, &auth, &tenant, form, Vec::new(), None, true, "").await?;
            return Ok((StatusCode::CONFLICT, page(&t)?).into_response());
        }
    }
    state
        .store
        .create_touch(tenant.id, &f, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners/outreach?employer={employer}&notice=logged",
        tenant.id
    ))
    .into_response())
}

// ----- employer voice -----

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindingForm {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub industry_code: String,
    #[serde(default)]
    pub occupations: String,
    #[serde(default)]
    pub employers: String,
    /// `m{id}` for a meeting, `t{id}` for an outreach touch, '' for none.
    #[serde(default)]
    pub source: String,
}

pub struct FindingView {
    pub id: i64,
    pub statement: String,
    pub kind: &'static str,
    pub industry: String,
    pub occupations: String,
    pub employers: i64,
    pub source: String,
}

#[derive(Template)]
#[template(path = "voice.html")]
pub struct VoiceTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub findings: Vec<FindingView>,
    pub kinds: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub industries: Vec<Choice>,
    pub form: FindingForm,
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct VoiceQuery {
    #[serde(default)]
    q: String,
    format: Option<String>,
}

fn finding_view(f: &sectorkit_store::VoiceFinding) -> FindingView {
    FindingView {
        id: f.id,
        statement: f.fields.statement.clone(),
        kind: f.fields.kind.label(),
        industry: f.fields.industry_code.clone(),
        occupations: f.fields.occupations.join(", "),
        employers: f.fields.employers,
        source: f.source.clone().unwrap_or_default(),
    }
}

/// The choices of the finding form: types, sources (meetings and touches), target industries.
pub async fn finding_choices(
    state: &AppState,
    tenant: &Tenant,
    form: &FindingForm,
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError> {
    let kinds = choices(
        VoiceType::ALL,
        VoiceType::code,
        VoiceType::label,
        &form.kind,
    );
    let mut sources: Vec<Choice> = state
        .store
        .meetings(tenant.id, None)
        .await?
        .into_iter()
        .map(|m| Choice {
            value: format!("m{}", m.id),
            label: format!("Meeting: {} ({})", m.fields.title, m.fields.held_on),
            selected: form.source == format!("m{}", m.id),
        })
        .collect();
    sources.extend(
        state
            .store
            .touches(tenant.id, None)
            .await?
            .into_iter()
            .map(|t| Choice {
                value: format!("t{}", t.id),
                label: format!("Outreach: {} ({})", t.employer, t.fields.touched_on),
                selected: form.source == format!("t{}", t.id),
            }),
    );
    let mut industries: Vec<Choice> = Vec::new();
    for s in state.store.shortlist(tenant.id).await? {
        if !industries.iter().any(|c| c.value == s.industry_code) {
            industries.push(Choice {
                selected: form.industry_code == s.industry_code,
                label: format!("{} {}", s.industry_code, s.industry_title),
                value: s.industry_code,
            });
        }
    }
    Ok((kinds, sources, industries))
}

async fn voice_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &VoiceQuery,
    form: FindingForm,
    errors: Vec<(String, String)>,
) -> Result<VoiceTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let search = (!q.q.trim().is_empty()).then_some(q.q.as_str());
    let findings = state
        .store
        .findings(tenant.id, search)
        .await?
        .iter()
        .map(finding_view)
        .collect();
    let (kinds, sources, industries) = finding_choices(state, tenant, &form).await?;
    Ok(VoiceTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        q: q.q.clone(),
        findings,
        kinds,
        sources,
        industries,
        form,
        errors,
        partnership,
    })
}

/// `GET /p/{pid}/partners/voice`: employer-voice findings; CSV with `format=csv`.
pub async fn voice_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<VoiceQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        let rows = state
            .store
            .findings(tenant.id, None)
            .await?
            .into_iter()
            .map(|f| {
                let v = finding_view(&f);
                vec![
                    v.statement,
                    f.fields.kind.code().into(),
                    v.industry,
                    f.fields.occupations.join(","),
                    v.employers.to_string(),
                    v.source,
                ]
            });
        return csv_file(
            "employer-voice.csv",
            &[
                "statement",
                "type",
                "naics",
                "soc_codes",
                "employers",
                "source",
            ],
            rows,
        );
    }
    let t = voice_view(
        &state,
        &auth,
        &tenant,
        &q,
        FindingForm {
            employers: "1".into(),
            ..FindingForm::default()
        },
        Vec::new(),
    )
    .await?;
    Ok(page(&t)?.into_response())
}

pub fn check_finding(f: &FindingForm) -> Result<FindingFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let statement = f.statement.trim().to_string();
    if statement.is_empty() {
        errors.push(("statement".into(), "Write what employers said.".into()));
    }
    check_len("statement", &statement, 2000, &mut errors);
    let kind = match f.kind.parse::<VoiceType>() {
        Ok(k) => Some(k),
        Err(e) => {
            errors.push(("kind".into(), e.to_string()));
            None
        }
    };
    let industry_code = f.industry_code.trim().to_string();
    let naics_like =
        (2..=6).contains(&industry_code.len()) && industry_code.bytes().all(|b| b.is_ascii_digit());
    if !industry_code.is_empty() && !naics_like {
        errors.push((
            "industry_code".into(),
            format!("{industry_code:?} is not a NAICS code (2 to 6 digits)."),
        ));
    }
    let mut occupations = Vec::new();
    for o in f
        .occupations
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ok = o.len() == 7
            && o.as_bytes()[2] == b'-'
            && o.bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_digit());
        if ok {
            occupations.push(o.to_string());
        } else {
            errors.push((
                "occupations".into(),
                format!("{o:?} is not a SOC code (such as 51-4121)."),
            ));
        }
    }
    let employers = match f.employers.trim().parse::<i64>() {
        Ok(n) if (1..=100_000).contains(&n) => n,
        _ => {
            errors.push((
                "employers".into(),
                format!(
                    "{:?} is not a number of employers (1 or more).",
                    f.employers
                ),
            ));
            0
        }
    };
    let (meeting_id, touch_id) = match f.source.trim() {
        "" => (None, None),
        s if s.starts_with('m') => (parse_id(&s[1..]), None),
        s if s.starts_with('t') => (None, parse_id(&s[1..])),
        s => {
            errors.push(("source".into(), format!("{s:?} is not a meeting or touch.")));
            (None, None)
        }
    };
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok(FindingFields {
            statement,
            kind,
            industry_code,
            occupations,
            employers,
            meeting_id,
            touch_id,
        }),
        _ => Err(errors),
    }
}

/// `POST /p/{pid}/partners/voice`: a new finding.
pub async fn create_finding(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    match check_finding(&form) {
        Ok(f) => {
            state
                .store
                .create_finding(tenant.id, &f, tenant.user.id)
                .await?;
            Ok(Redirect::to(&format!("/p/{}/partners/voice", tenant.id)).into_response())
        }
        Err(errors) => {
            let t =
                voice_view(&state, &auth, &tenant, &VoiceQuery::default(), form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_forms_name_their_fields() {
        let e = check_meeting(&MeetingForm {
            kind: "webinar".into(),
            held_on: "2026-02-30".into(),
            ..MeetingForm::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["kind", "title", "held_on"]);
        let ok = check_meeting(&MeetingForm {
            kind: "industry_roundtable".into(),
            title: " Roundtable ".into(),
            held_on: "2026-03-04".into(),
            agenda: "a\n\n b \n".into(),
            ..MeetingForm::default()
        })
        .unwrap();
        assert_eq!(ok.title, "Roundtable");
        assert_eq!(ok.agenda, ["a", "b"]);
    }

    #[test]
    fn findings_check_codes() {
        let e = check_finding(&FindingForm {
            statement: "x".into(),
            kind: "skills_gap".into(),
            industry_code: "52x".into(),
            occupations: "51-4121, 514121".into(),
            employers: "0".into(),
            source: "q1".into(),
        })
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["industry_code", "occupations", "employers", "source"]
        );
    }

    #[test]
    fn the_trend_chart_has_a_bar_per_meeting() {
        let p = |d: &str, n, e| sectorkit_core::engagement::AttendancePoint {
            meeting_id: 1,
            held_on: d.parse().unwrap(),
            present: n,
            employer_present: e,
            employer_share: None,
        };
        let svg = trend_svg(&[p("2026-01-05", 10, 4), p("2026-02-05", 5, 1)]);
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("2026-02-05: 1 from employers"));
        assert_eq!(trend_svg(&[]), "");
    }
}
