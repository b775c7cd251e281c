//! Alignment with public plans and the register of data-sharing agreements (Plan section).
//!
//! The catalog of public planning processes (`sectorkit_core::public_plans`) is shown with each
//! plan's workforce hooks; the partnership links plans (with the year last adopted and the
//! priority each carries) and sees a calendar of upcoming windows computed from the plan's
//! cycle. Agreements ending within 90 days, or already past their end while marked active, are
//! flagged. Roles: every member reads; staff and owners write.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{parse_id, today};
use crate::handlers::occupations::Choice;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::public_plans::{PLANS, PublicPlan, find, next_window};
use sectorkit_core::role::Role;
use sectorkit_store::{AgreementFields, Partnership, PlanLinkFields, StoreError};
use serde::Deserialize;

/// An agreement ending within this many days is flagged.
pub const AGREEMENT_WARNING_DAYS: i32 = 90;
const AGREEMENT_STATUSES: &[&str] = &["draft", "active", "ended"];

pub struct LinkView {
    pub plan: &'static str,
    pub code: &'static str,
    pub jurisdiction: String,
    pub adopted: String,
    pub next: Option<i32>,
    pub cycle: &'static str,
    pub priority: String,
    pub how: String,
}

pub struct AgreementView {
    pub id: i64,
    /// The attached file: name and size in KB.
    pub file: Option<(String, String)>,
    pub title: String,
    pub parties: String,
    pub data_covered: String,
    pub purpose: String,
    pub legal_basis: String,
    pub period: String,
    pub status: String,
    pub warning: Option<String>,
}

#[derive(Template)]
#[template(path = "alignment.html")]
pub struct AlignmentTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub plans: &'static [PublicPlan],
    pub links: Vec<LinkView>,
    pub agreements: Vec<AgreementView>,
    pub plan_choices: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub statuses: &'static [&'static str],
    pub errors: Vec<(String, String)>,
    pub error_form: &'static str,
    pub notice: &'static str,
}

/// The warning of an agreement on `today`, if any.
pub fn agreement_warning(status: &str, ends_on: Option<Day>, today: Day) -> Option<String> {
    let end = ends_on?;
    let left = end.since(today);
    if status == "ended" {
        None
    } else if left < 0 {
        Some(format!(
            "ended on {end} ({} days ago): renew it or mark it ended",
            -left
        ))
    } else if left <= AGREEMENT_WARNING_DAYS {
        Some(format!("expires in {left} days ({end})"))
    } else {
        None
    }
}

async fn view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    errors: Vec<(String, String)>,
    error_form: &'static str,
) -> Result<AlignmentTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let now = today();
    let (year, _, _) = now.year_month_day();
    let mut links: Vec<LinkView> = state
        .store
        .plan_links(tenant.id)
        .await?
        .into_iter()
        .filter_map(|l| {
            let plan = find(&l.fields.plan_code)?;
            Some(LinkView {
                plan: plan.name,
                code: plan.code,
                jurisdiction: l.fields.jurisdiction,
                adopted: l
                    .fields
                    .last_adopted_year
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                next: l
                    .fields
                    .last_adopted_year
                    .and_then(|y| next_window(plan, y, year)),
                cycle: plan.update_cycle,
                priority: l.priority.unwrap_or_default(),
                how: l.fields.how,
            })
        })
        .collect();
    // The calendar: next windows first, irregular plans last.
    links.sort_by_key(|l| (l.next.is_none(), l.next));
    let files = state.store.agreement_files(tenant.id).await?;
    let agreements = state
        .store
        .agreements(tenant.id)
        .await?
        .into_iter()
        .map(|a| AgreementView {
            id: a.id,
            file: files.iter().find(|f| f.agreement_id == a.id).map(|f| {
                (
                    f.file_name.clone(),
                    format!("{:.0}", (f.size_bytes as f64 / 1024.0).ceil()),
                )
            }),
            warning: agreement_warning(&a.fields.status, a.fields.ends_on, now),
            period: format!(
                "{} – {}",
                a.fields
                    .starts_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                a.fields.ends_on.map(|d| d.to_string()).unwrap_or_default()
            ),
            title: a.fields.title,
            parties: a.fields.parties,
            data_covered: a.fields.data_covered,
            purpose: a.fields.purpose,
            legal_basis: a.fields.legal_basis,
            status: a.fields.status,
        })
        .collect();
    let priorities = state
        .store
        .priorities(tenant.id)
        .await?
        .into_iter()
        .filter(|p| p.active())
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.title,
            selected: false,
        })
        .collect();
    Ok(AlignmentTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: tenant.role >= Role::Staff,
        plans: PLANS,
        links,
        agreements,
        plan_choices: PLANS
            .iter()
            .map(|p| Choice {
                value: p.code.into(),
                label: p.name.into(),
                selected: false,
            })
            .collect(),
        priorities,
        statuses: AGREEMENT_STATUSES,
        errors,
        error_form,
        notice: "",
        partnership,
    })
}

/// `GET /p/{pid}/plan/alignment`.
pub async fn alignment_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let mut t = view(&state, &auth, &tenant, Vec::new(), "").await?;
    if q.notice == "attached" {
        t.notice = "The file is attached to the agreement.";
    }
    Ok(page(&t)?.into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    plan_code: String,
    #[serde(default)]
    jurisdiction: String,
    #[serde(default)]
    last_adopted_year: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    how: String,
}

/// `POST /p/{pid}/plan/alignment/links`.
pub async fn create_link(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(f): Form<LinkForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    if find(f.plan_code.trim()).is_none() {
        errors.push((
            "plan_code".into(),
            format!("{:?} is not a plan of the catalog.", f.plan_code),
        ));
    }
    let year = match f.last_adopted_year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(n) if (1990..=2100).contains(&n) => Some(n),
            _ => {
                errors.push((
                    "last_adopted_year".into(),
                    format!("{y:?} is not a year from 1990 to 2100."),
                ));
                None
            }
        },
    };
    if f.how.chars().count() > 2000 || f.jurisdiction.chars().count() > 200 {
        errors.push(("how".into(), "Too long (2,000 characters at most).".into()));
    }
    if errors.is_empty() {
        let fields = PlanLinkFields {
            plan_code: f.plan_code.trim().to_string(),
            jurisdiction: f.jurisdiction.trim().to_string(),
            last_adopted_year: year,
            priority_id: parse_id(&f.priority),
            how: f.how.trim().to_string(),
        };
        match state
            .store
            .create_plan_link(tenant.id, &fields, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/p/{}/plan/alignment#links", tenant.id)).into_response(),
                );
            }
            Err(StoreError::NotFound) => errors.push((
                "priority".into(),
                "That priority is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = view(&state, &auth, &tenant, errors, "link").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct AgreementForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    parties: String,
    #[serde(default)]
    data_covered: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    status: String,
}

/// `POST /p/{pid}/plan/alignment/agreements`.
pub async fn create_agreement(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(f): Form<AgreementForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    for (name, v, required) in [
        ("title", &f.title, true),
        ("parties", &f.parties, true),
        ("data_covered", &f.data_covered, false),
        ("purpose", &f.purpose, false),
        ("legal_basis", &f.legal_basis, false),
    ] {
        if required && v.trim().is_empty() {
            errors.push((name.to_string(), "Required.".to_string()));
        }
        if v.chars().count() > 2000 {
            errors.push((name.to_string(), "At most 2,000 characters.".to_string()));
        }
    }
    let mut day = |name: &str, v: &str| -> Option<Day> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        v.parse::<Day>()
            .map_err(|e| errors.push((name.to_string(), e.to_string())))
            .ok()
    };
    let starts_on = day("starts_on", &f.starts_on);
    let ends_on = day("ends_on", &f.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push((
            "ends_on".into(),
            format!("Dates out of order: it ends ({e}) before it starts ({s})."),
        ));
    }
    if !AGREEMENT_STATUSES.contains(&f.status.as_str()) {
        errors.push((
            "status".into(),
            format!("{:?} is not one of draft, active, ended.", f.status),
        ));
    }
    if errors.is_empty() {
        let fields = AgreementFields {
            title: f.title,
            parties: f.parties,
            data_covered: f.data_covered,
            purpose: f.purpose,
            legal_basis: f.legal_basis,
            starts_on,
            ends_on,
            status: f.status,
        };
        state
            .store
            .create_agreement(tenant.id, &fields, tenant.user.id)
            .await?;
        return Ok(
            Redirect::to(&format!("/p/{}/plan/alignment#agreements", tenant.id)).into_response(),
        );
    }
    let t = view(&state, &auth, &tenant, errors, "agreement").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreements_warn_before_and_after_they_end() {
        let d = |s: &str| s.parse::<Day>().unwrap();
        let today = d("2026-12-07");
        assert_eq!(
            agreement_warning("active", Some(d("2027-01-06")), today).as_deref(),
            Some("expires in 30 days (2027-01-06)")
        );
        assert_eq!(
            agreement_warning("active", Some(d("2027-06-01")), today),
            None
        );
        assert_eq!(
            agreement_warning("active", Some(d("2026-12-01")), today).as_deref(),
            Some("ended on 2026-12-01 (6 days ago): renew it or mark it ended")
        );
        assert_eq!(
            agreement_warning("ended", Some(d("2026-12-01")), today),
            None
        );
        assert_eq!(agreement_warning("active", None, today), None);
    }
}
