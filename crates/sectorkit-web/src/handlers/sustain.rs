//! The Plan section's sustaining pages: marketing and communication (key messages by audience,
//! a calendar of communication items, a case-story draft made from lessons learned), products
//! and services linked to the outcomes they are pre-conditions for, the capacity plan with its
//! gaps, and the searchable log of lessons learned. Each table downloads as CSV.
//!
//! Roles: every member reads; staff and owners write.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{can_edit, today};
use crate::handlers::downloads::{csv_file, unknown_table};
use crate::handlers::occupations::Choice;
use crate::handlers::plan::{all_ids, one, pairs};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::plan_page::LogicKind;
use sectorkit_core::sustain::{
    Audience, CapacityRole, Chapter, CommsChannel, CommsProduct, Fte, LessonText, ProductStatus,
    RoleNeed, capacity_gaps, case_story_draft,
};
use sectorkit_store::{
    CapacityFields, CommsFields, LessonFields, Partnership, ProductFields, StoreError,
};
use std::str::FromStr;

/// Longest title accepted, in characters.
const MAX_TITLE: usize = 300;
/// Longest free text accepted.
const MAX_TEXT: usize = 5_000;
const COMMS_STATUSES: &[&str] = &["planned", "draft", "done"];
const STAGES: &[(&str, &str)] = &[("early", "Early"), ("mid", "Mid-term")];

type Errors = Vec<(String, String)>;

fn text(
    p: &[(String, String)],
    name: &str,
    required: bool,
    max: usize,
    errors: &mut Errors,
) -> String {
    let v = one(p, name).trim().to_string();
    if required && v.is_empty() {
        errors.push((name.into(), "Required.".into()));
    } else if v.chars().count() > max {
        errors.push((name.into(), format!("At most {max} characters.")));
    }
    v
}

fn parsed<T: FromStr>(p: &[(String, String)], name: &str, errors: &mut Errors) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    one(p, name)
        .parse::<T>()
        .map_err(|e| errors.push((name.into(), e.to_string())))
        .ok()
}

fn list<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            value: code(v).into(),
            label: label(v).into(),
            selected: code(v) == selected,
        })
        .collect()
}

/// The form values to show again after a refusal.
fn keep(p: &[(String, String)]) -> std::collections::BTreeMap<String, String> {
    p.iter().cloned().collect()
}

// ----- marketing and communication -----

pub struct AudienceView {
    pub code: &'static str,
    pub label: &'static str,
    pub messages: Vec<String>,
}

pub struct CommsView {
    pub id: i64,
    pub title: String,
    pub audience: &'static str,
    pub channel: &'static str,
    pub product: &'static str,
    pub planned_on: String,
    pub status: String,
    pub body: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "marketing.html")]
pub struct MarketingTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub audiences: Vec<AudienceView>,
    pub items: Vec<CommsView>,
    pub lessons: Vec<Choice>,
    pub audience_choices: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub products: Vec<Choice>,
    pub statuses: &'static [&'static str],
    pub form: std::collections::BTreeMap<String, String>,
    pub errors: Errors,
    pub error_form: &'static str,
}

impl MarketingTemplate {
    pub fn kept(&self, name: &str) -> &str {
        self.form.get(name).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TableQuery {
    format: Option<String>,
    table: Option<String>,
    q: Option<String>,
    chapter: Option<String>,
}

async fn marketing_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    form: std::collections::BTreeMap<String, String>,
    errors: Errors,
    error_form: &'static str,
) -> Result<MarketingTemplate, AppError> {
    let s = &state.store;
    let partnership = s.partnership(tenant.id).await?;
    let messages = s.messages(tenant.id).await?;
    let now = today();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    Ok(MarketingTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        audiences: Audience::ALL
            .iter()
            .map(|&a| AudienceView {
                code: a.code(),
                label: a.label(),
                messages: messages
                    .iter()
                    .filter(|m| m.audience == a)
                    .map(|m| m.message.clone())
                    .collect(),
            })
            .collect(),
        items: s
            .comms_items(tenant.id)
            .await?
            .into_iter()
            .map(|i| CommsView {
                id: i.id,
                late: i.fields.status != "done" && i.fields.planned_on.is_some_and(|d| d < now),
                title: i.fields.title,
                audience: i.fields.audience.label(),
                channel: i.fields.channel.label(),
                product: i.fields.product.label(),
                planned_on: i
                    .fields
                    .planned_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                status: i.fields.status,
                body: i.fields.body,
            })
            .collect(),
        lessons: s
            .lessons(tenant.id, None, None)
            .await?
            .into_iter()
            .map(|l| Choice {
                value: l.id.to_string(),
                label: format!(
                    "{} · {}: {}",
                    l.fields.learned_on,
                    l.fields.chapter.label(),
                    [&l.fields.worked, &l.fields.did_not, &l.fields.change]
                        .into_iter()
                        .find(|t| !t.is_empty())
                        .cloned()
                        .unwrap_or_default()
                ),
                selected: false,
            })
            .collect(),
        audience_choices: list(
            Audience::ALL,
            Audience::code,
            Audience::label,
            &get("audience"),
        ),
        channels: list(
            CommsChannel::ALL,
            CommsChannel::code,
            CommsChannel::label,
            &get("channel"),
        ),
        products: list(
            CommsProduct::ALL,
            CommsProduct::code,
            CommsProduct::label,
            &get("product"),
        ),
        statuses: COMMS_STATUSES,
        form,
        errors,
        error_form,
        partnership,
    })
}

/// `GET /p/{pid}/plan/marketing[?format=csv&table=calendar|messages]`.
pub async fn marketing_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = marketing_view(&state, &auth, &tenant, Default::default(), vec![], "").await?;
    if q.format.as_deref() == Some("csv") {
        return match q.table.as_deref().unwrap_or("calendar") {
            "calendar" => csv_file(
                "communication-calendar.csv",
                &[
                    "planned_on",
                    "title",
                    "audience",
                    "channel",
                    "product",
                    "status",
                    "body",
                ],
                t.items.into_iter().map(|i| {
                    vec![
                        i.planned_on,
                        i.title,
                        i.audience.into(),
                        i.channel.into(),
                        i.product.into(),
                        i.status,
                        i.body,
                    ]
                }),
            ),
            "messages" => csv_file(
                "key-messages.csv",
                &["audience", "message"],
                t.audiences.into_iter().flat_map(|a| {
                    a.messages
                        .into_iter()
                        .map(move |m| vec![a.code.to_string(), m])
                }),
            ),
            other => Err(unknown_table(other, &["calendar", "messages"])),
        };
    }
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/marketing/messages`.
pub async fn create_message(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let mut errors = Vec::new();
    let audience = parsed::<Audience>(&p, "audience", &mut errors);
    let message = text(&p, "message", true, MAX_TITLE, &mut errors);
    if let (Some(a), true) = (audience, errors.is_empty()) {
        state
            .store
            .create_message(tenant.id, a, &message, tenant.user.id)
            .await?;
        return Ok(
            Redirect::to(&format!("/p/{}/plan/marketing#messages", tenant.id)).into_response(),
        );
    }
    let t = marketing_view(&state, &auth, &tenant, keep(&p), errors, "message").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/marketing/items`: an item of the communication calendar.
pub async fn create_comms_item(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let mut errors = Vec::new();
    let title = text(&p, "title", true, MAX_TITLE, &mut errors);
    let audience = parsed::<Audience>(&p, "audience", &mut errors);
    let channel = parsed::<CommsChannel>(&p, "channel", &mut errors);
    let product = parsed::<CommsProduct>(&p, "product", &mut errors);
    let planned_on = match one(&p, "planned_on").trim() {
        "" => None,
        d => d
            .parse::<Day>()
            .map_err(|e| errors.push(("planned_on".into(), e.to_string())))
            .ok(),
    };
    let status = one(&p, "status").to_string();
    if !COMMS_STATUSES.contains(&status.as_str()) {
        errors.push((
            "status".into(),
            format!("{status:?} is not one of planned, draft, done."),
        ));
    }
    let body = text(&p, "body", false, MAX_TEXT, &mut errors);
    if let (Some(audience), Some(channel), Some(product), true) =
        (audience, channel, product, errors.is_empty())
    {
        let f = CommsFields {
            title,
            audience,
            channel,
            product,
            planned_on,
            status,
            body,
        };
        let id = state
            .store
            .create_comms_item(tenant.id, &f, tenant.user.id)
            .await?;
        return Ok(
            Redirect::to(&format!("/p/{}/plan/marketing#c-{id}", tenant.id)).into_response(),
        );
    }
    let t = marketing_view(&state, &auth, &tenant, keep(&p), errors, "item").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/marketing/case-story`: a case-story draft from chosen lessons, saved as
/// a draft item of the calendar for a person to finish.
pub async fn draft_case_story(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let chosen = all_ids(&p, "lesson");
    let lessons: Vec<_> = state
        .store
        .lessons(tenant.id, None, None)
        .await?
        .into_iter()
        .filter(|l| chosen.contains(&l.id))
        .collect();
    if lessons.is_empty() || lessons.len() != chosen.len() {
        let errors = vec![(
            "lesson".to_string(),
            "Choose one or more lessons of this partnership.".to_string(),
        )];
        let t = marketing_view(&state, &auth, &tenant, keep(&p), errors, "story").await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response());
    }
    let partnership = state.store.partnership(tenant.id).await?;
    let days: Vec<String> = lessons
        .iter()
        .map(|l| l.fields.learned_on.to_string())
        .collect();
    let texts: Vec<LessonText<'_>> = lessons
        .iter()
        .zip(&days)
        .map(|(l, day)| LessonText {
            day,
            chapter: l.fields.chapter,
            worked: &l.fields.worked,
            did_not: &l.fields.did_not,
            why: &l.fields.why,
            change: &l.fields.change,
        })
        .collect();
    let f = CommsFields {
        title: format!("Case story: {}", partnership.name),
        audience: Audience::Funders,
        channel: CommsChannel::Website,
        product: CommsProduct::CaseStory,
        planned_on: None,
        status: "draft".into(),
        body: case_story_draft(&partnership.name, &texts),
    };
    let id = state
        .store
        .create_comms_item(tenant.id, &f, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan/marketing#c-{id}", tenant.id)).into_response())
}

// ----- products and capacity -----

pub struct ProductView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub stage: &'static str,
    pub status: &'static str,
    pub status_code: &'static str,
    pub outcomes: Vec<String>,
}

pub struct RoleView {
    pub role: &'static str,
    pub title: String,
    pub filled_by: String,
    pub needed: String,
    pub filled: String,
    pub gap: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "products.html")]
pub struct ProductsTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub products: Vec<ProductView>,
    pub roles: Vec<RoleView>,
    /// (role, needed, filled, gap) by role, then the totals.
    pub summary: Vec<(&'static str, String, String, String)>,
    pub total: (String, String, String),
    pub outcomes: Vec<Choice>,
    pub stages: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub role_choices: Vec<Choice>,
    pub form: std::collections::BTreeMap<String, String>,
    pub errors: Errors,
    pub error_form: &'static str,
}

impl ProductsTemplate {
    pub fn kept(&self, name: &str) -> &str {
        self.form.get(name).map(String::as_str).unwrap_or("")
    }
}

async fn products_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    form: std::collections::BTreeMap<String, String>,
    errors: Errors,
    error_form: &'static str,
) -> Result<ProductsTemplate, AppError> {
    let s = &state.store;
    let partnership = s.partnership(tenant.id).await?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let roles = s.capacity_roles(tenant.id).await?;
    let sum = capacity_gaps(
        &roles
            .iter()
            .map(|r| RoleNeed {
                role: r.fields.role,
                needed: r.fields.needed,
                filled: r.fields.filled,
            })
            .collect::<Vec<_>>(),
    );
    let outcomes = s
        .logic_elements(tenant.id)
        .await?
        .into_iter()
        .filter(|e| {
            matches!(
                e.fields.kind,
                LogicKind::ShortTerm
                    | LogicKind::MediumTerm
                    | LogicKind::LongTerm
                    | LogicKind::Impact
            )
        })
        .map(|e| Choice {
            value: e.id.to_string(),
            label: format!("{}: {}", e.fields.kind.label(), e.fields.text),
            selected: false,
        })
        .collect();
    Ok(ProductsTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        products: s
            .products(tenant.id)
            .await?
            .into_iter()
            .map(|p| ProductView {
                id: p.id,
                stage: STAGES
                    .iter()
                    .find(|(c, _)| *c == p.fields.stage)
                    .map(|(_, l)| *l)
                    .unwrap_or("?"),
                status: p.fields.status.label(),
                status_code: p.fields.status.code(),
                title: p.fields.title,
                description: p.fields.description,
                outcomes: p.outcome_texts,
            })
            .collect(),
        roles: roles
            .into_iter()
            .map(|r| {
                let f = r.fields;
                RoleView {
                    role: f.role.label(),
                    gap: f.needed.saturating_sub(f.filled).to_string(),
                    needed: f.needed.to_string(),
                    filled: f.filled.to_string(),
                    title: f.title,
                    filled_by: f.filled_by,
                    notes: f.notes,
                }
            })
            .collect(),
        summary: sum
            .by_role
            .iter()
            .map(|(r, n, f, g)| (r.label(), n.to_string(), f.to_string(), g.to_string()))
            .collect(),
        total: (
            sum.needed.to_string(),
            sum.filled.to_string(),
            sum.gap.to_string(),
        ),
        outcomes,
        stages: STAGES
            .iter()
            .map(|(c, l)| Choice {
                value: (*c).into(),
                label: (*l).into(),
                selected: get("stage") == *c,
            })
            .collect(),
        statuses: list(
            ProductStatus::ALL,
            ProductStatus::code,
            ProductStatus::label,
            &get("status"),
        ),
        role_choices: list(
            CapacityRole::ALL,
            CapacityRole::code,
            CapacityRole::label,
            &get("role"),
        ),
        form,
        errors,
        error_form,
        partnership,
    })
}

/// `GET /p/{pid}/plan/products[?format=csv&table=products|capacity]`.
pub async fn products_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = products_view(&state, &auth, &tenant, Default::default(), vec![], "").await?;
    if q.format.as_deref() == Some("csv") {
        return match q.table.as_deref().unwrap_or("products") {
            "products" => csv_file(
                "products-and-services.csv",
                &["product", "description", "stage", "status", "outcomes"],
                t.products.into_iter().map(|p| {
                    vec![
                        p.title,
                        p.description,
                        p.stage.into(),
                        p.status_code.into(),
                        p.outcomes.join("; "),
                    ]
                }),
            ),
            "capacity" => csv_file(
                "capacity-plan.csv",
                &[
                    "role",
                    "title",
                    "filled_by",
                    "fte_needed",
                    "fte_filled",
                    "fte_gap",
                    "notes",
                ],
                t.roles.into_iter().map(|r| {
                    vec![
                        r.role.into(),
                        r.title,
                        r.filled_by,
                        r.needed,
                        r.filled,
                        r.gap,
                        r.notes,
                    ]
                }),
            ),
            other => Err(unknown_table(other, &["products", "capacity"])),
        };
    }
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/products`.
pub async fn create_product(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let mut errors = Vec::new();
    let title = text(&p, "title", true, MAX_TITLE, &mut errors);
    let description = text(&p, "description", false, MAX_TEXT, &mut errors);
    let stage = one(&p, "stage").to_string();
    if !STAGES.iter().any(|(c, _)| *c == stage) {
        errors.push((
            "stage".into(),
            format!("{stage:?} is not one of early, mid."),
        ));
    }
    let status = parsed::<ProductStatus>(&p, "status", &mut errors);
    if let (Some(status), true) = (status, errors.is_empty()) {
        let f = ProductFields {
            title,
            description,
            stage,
            status,
            outcomes: all_ids(&p, "outcome"),
        };
        match state
            .store
            .create_product(tenant.id, &f, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/p/{}/plan/products#products", tenant.id))
                        .into_response(),
                );
            }
            Err(StoreError::NotFound) => errors.push((
                "outcome".into(),
                "An outcome is not one of this partnership's logic model.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = products_view(&state, &auth, &tenant, keep(&p), errors, "product").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/products/{prid}/status`.
pub async fn product_status(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, prid)): Path<(i64, i64)>,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let status = one(&p, "status")
        .parse::<ProductStatus>()
        .map_err(|e| AppError::BadRequest(format!("status: {e}")))?;
    state
        .store
        .set_product_status(tenant.id, prid, status, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/plan/products#products", tenant.id)).into_response())
}

/// `POST /p/{pid}/plan/capacity`: a role of the capacity plan.
pub async fn create_capacity_role(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let mut errors = Vec::new();
    let role = parsed::<CapacityRole>(&p, "role", &mut errors);
    let title = text(&p, "title", false, MAX_TITLE, &mut errors);
    let filled_by = text(&p, "filled_by", false, MAX_TITLE, &mut errors);
    let needed = parsed::<Fte>(&p, "needed", &mut errors);
    let filled = match one(&p, "filled").trim() {
        "" => Some(Fte::ZERO),
        _ => parsed::<Fte>(&p, "filled", &mut errors),
    };
    let notes = text(&p, "notes", false, MAX_TEXT, &mut errors);
    if let (Some(role), Some(needed), Some(filled), true) =
        (role, needed, filled, errors.is_empty())
    {
        let f = CapacityFields {
            role,
            title,
            filled_by,
            needed,
            filled,
            notes,
        };
        state
            .store
            .create_capacity_role(tenant.id, &f, tenant.user.id)
            .await?;
        return Ok(
            Redirect::to(&format!("/p/{}/plan/products#capacity", tenant.id)).into_response(),
        );
    }
    let t = products_view(&state, &auth, &tenant, keep(&p), errors, "capacity").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

// ----- lessons learned -----

pub struct LessonView {
    pub id: i64,
    pub day: String,
    pub chapter: &'static str,
    pub chapter_code: &'static str,
    pub worked: String,
    pub did_not: String,
    pub why: String,
    pub change: String,
}

#[derive(Template)]
#[template(path = "lessons.html")]
pub struct LessonsTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub chapter_filter: Vec<Choice>,
    pub chapters: Vec<Choice>,
    pub lessons: Vec<LessonView>,
    pub form: std::collections::BTreeMap<String, String>,
    pub errors: Errors,
    pub today: String,
}

impl LessonsTemplate {
    pub fn kept(&self, name: &str) -> &str {
        self.form.get(name).map(String::as_str).unwrap_or("")
    }
}

async fn lessons_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &TableQuery,
    form: std::collections::BTreeMap<String, String>,
    errors: Errors,
) -> Result<LessonsTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let chapter = match q.chapter.as_deref().unwrap_or("") {
        "" => None,
        c => Some(
            c.parse::<Chapter>()
                .map_err(|e| AppError::BadRequest(format!("chapter: {e}")))?,
        ),
    };
    let search = q.q.clone().unwrap_or_default();
    let lessons = state
        .store
        .lessons(tenant.id, Some(&search), chapter)
        .await?
        .into_iter()
        .map(|l| LessonView {
            id: l.id,
            day: l.fields.learned_on.to_string(),
            chapter: l.fields.chapter.label(),
            chapter_code: l.fields.chapter.code(),
            worked: l.fields.worked,
            did_not: l.fields.did_not,
            why: l.fields.why,
            change: l.fields.change,
        })
        .collect();
    let sel = form.get("chapter").cloned().unwrap_or_default();
    Ok(LessonsTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        q: search,
        chapter_filter: list(
            Chapter::ALL,
            Chapter::code,
            Chapter::label,
            chapter.map(|c| c.code()).unwrap_or(""),
        ),
        chapters: list(Chapter::ALL, Chapter::code, Chapter::label, &sel),
        lessons,
        form,
        errors,
        today: today().to_string(),
        partnership,
    })
}

/// `GET /p/{pid}/plan/lessons[?q=][&chapter=][&format=csv]`.
pub async fn lessons_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = lessons_view(&state, &auth, &tenant, &q, Default::default(), vec![]).await?;
    if q.format.as_deref() == Some("csv") {
        return csv_file(
            "lessons-learned.csv",
            &[
                "learned_on",
                "chapter",
                "what_worked",
                "what_did_not",
                "why",
                "what_changes",
            ],
            t.lessons.into_iter().map(|l| {
                vec![
                    l.day,
                    l.chapter_code.into(),
                    l.worked,
                    l.did_not,
                    l.why,
                    l.change,
                ]
            }),
        );
    }
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/lessons`.
pub async fn create_lesson(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let mut errors = Vec::new();
    let learned_on = parsed::<Day>(&p, "learned_on", &mut errors);
    let chapter = parsed::<Chapter>(&p, "chapter", &mut errors);
    let worked = text(&p, "worked", false, MAX_TEXT, &mut errors);
    let did_not = text(&p, "did_not", false, MAX_TEXT, &mut errors);
    let why = text(&p, "why", false, MAX_TEXT, &mut errors);
    let change = text(&p, "change", false, MAX_TEXT, &mut errors);
    if worked.is_empty() && did_not.is_empty() && change.is_empty() {
        errors.push((
            "worked".into(),
            "Say what worked, what did not, or what changes.".into(),
        ));
    }
    if learned_on.is_some_and(|d| d > today()) {
        errors.push((
            "learned_on".into(),
            "A lesson is dated today or earlier.".into(),
        ));
    }
    if let (Some(learned_on), Some(chapter), true) = (learned_on, chapter, errors.is_empty()) {
        let f = LessonFields {
            learned_on,
            chapter,
            worked,
            did_not,
            why,
            change,
        };
        state
            .store
            .create_lesson(tenant.id, &f, tenant.user.id)
            .await?;
        return Ok(Redirect::to(&format!("/p/{}/plan/lessons", tenant.id)).into_response());
    }
    let t = lessons_view(
        &state,
        &auth,
        &tenant,
        &TableQuery::default(),
        keep(&p),
        errors,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_fields_are_named() {
        let p = vec![
            ("audience".to_string(), "donors".to_string()),
            ("message".to_string(), String::new()),
        ];
        let mut errors = Vec::new();
        assert!(parsed::<Audience>(&p, "audience", &mut errors).is_none());
        text(&p, "message", true, 10, &mut errors);
        let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["audience", "message"]);
        assert!(errors[0].1.contains("employers"), "lists the allowed codes");
    }
}
