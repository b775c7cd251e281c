//! The Partners section: organizations and contacts, the live composition check, CSV exports,
//! and the audit trail of each organization.
//!
//! Viewers and partners read; staff and owners create, edit and archive. Records with history
//! are archived (after an explicit confirmation), never deleted. A duplicate organization (same
//! normalized name and county) is refused with a link to the existing one.

use crate::AppState;
use crate::auth::{Auth, looks_like_email};
use crate::error::AppError;
use crate::handlers::downloads::csv_file;
use crate::handlers::occupations::Choice;
use crate::handlers::records::{AuditView, audit_view};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::partners::{
    CompositionSettings, ContactFacts, ContactLevel, Finding, Influence, OrgCategory, OrgFacts,
    SizeBand, composition, in_target_industry,
};
use sectorkit_core::role::Role;
use sectorkit_data::geo::Geography;
use sectorkit_store::{
    Contact, ContactFields, Organization, OrganizationFields, Partnership, StoreError,
};
use serde::Deserialize;

/// The intermediary's possible responsibilities (codes and labels).
pub const INTERMEDIARY_ROLES: [(&str, &str); 4] = [
    ("convening", "Convening"),
    ("data", "Data and analysis"),
    ("coordination", "Coordination"),
    ("fiscal_agent", "Fiscal agent"),
];

pub struct FindingView {
    pub message: String,
    /// Where to fix it.
    pub fix_href: String,
    pub fix_label: String,
    /// A second way to fix it: for a conflict of interest, the intermediary's own page, where
    /// its responsibilities (or the intermediary mark) are changed.
    pub also: Option<(String, String)>,
}

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub category: &'static str,
    pub naics: String,
    pub county: String,
    pub contacts: i64,
    pub intermediary: bool,
    pub archived: bool,
    pub in_target: bool,
    /// Engagement in words: meetings present/invited, last contact, open commitments.
    pub engagement: String,
}

pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub organization_id: i64,
    pub organization: String,
    pub level: &'static str,
    pub email: String,
    pub phone: String,
    pub tags: Vec<&'static str>,
}

pub struct ShareView {
    pub industry: String,
    pub employers: usize,
    pub establishments: String,
    pub share: String,
    /// The region's employment in the industry (or "not published").
    pub employment: String,
    /// The employers' share of it, as bounds from their size bands.
    pub employment_share: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
pub struct PartnersTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub show_archived: bool,
    pub findings: Vec<FindingView>,
    pub targets: Vec<String>,
    pub min_employers: usize,
    pub flags: Vec<crate::handlers::convening::FlagView>,
    pub shares: Vec<ShareView>,
    pub share_note: String,
    pub orgs: Vec<OrgRow>,
    pub contacts: Vec<ContactRow>,
    pub categories: Vec<Choice>,
    pub sizes: Vec<&'static str>,
    pub form: OrgForm,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub duplicate: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "organization.html")]
pub struct OrganizationTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    /// The edit form: staff and owners, or a partner who represents this organization.
    pub can_edit_org: bool,
    pub org: Organization,
    pub category_label: &'static str,
    pub county_name: String,
    pub roles: Vec<(&'static str, &'static str, bool)>,
    pub contacts: Vec<ContactRow>,
    pub categories: Vec<Choice>,
    pub sizes: Vec<&'static str>,
    pub levels: Vec<(&'static str, &'static str)>,
    pub influences: Vec<&'static str>,
    pub form: OrgForm,
    pub contact_form: ContactForm,
    pub errors: Vec<(String, String)>,
    pub audit: Vec<AuditView>,
    pub notice: Option<String>,
}

/// The organization form as submitted (all text, so a refused form comes back as typed).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub naics: String,
    #[serde(default)]
    pub size_band: String,
    #[serde(default)]
    pub county: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub intermediary: Option<String>,
    #[serde(default)]
    pub role_convening: Option<String>,
    #[serde(default)]
    pub role_data: Option<String>,
    #[serde(default)]
    pub role_coordination: Option<String>,
    #[serde(default)]
    pub role_fiscal_agent: Option<String>,
}

impl OrgForm {
    fn from_org(o: &Organization) -> OrgForm {
        let has = |r: &str| {
            o.fields
                .intermediary_roles
                .iter()
                .any(|x| x == r)
                .then(|| "1".into())
        };
        OrgForm {
            name: o.fields.name.clone(),
            category: o.category.code().into(),
            naics: o.fields.naics.clone().unwrap_or_default(),
            size_band: o
                .fields
                .size_band
                .map(|b| b.code().into())
                .unwrap_or_default(),
            county: o.fields.county.clone().unwrap_or_default(),
            website: o.fields.website.clone(),
            notes: o.fields.notes.clone(),
            intermediary: o.fields.is_intermediary.then(|| "1".into()),
            role_convening: has("convening"),
            role_data: has("data"),
            role_coordination: has("coordination"),
            role_fiscal_agent: has("fiscal_agent"),
        }
    }
}

/// Longest name, title, website or note accepted.
const MAX_TEXT: usize = 200;
const MAX_NOTES: usize = 4000;

fn too_long(field: &str, v: &str, max: usize, errors: &mut Vec<(String, String)>) {
    if v.chars().count() > max {
        errors.push((field.into(), format!("Use at most {max} characters.")));
    }
}

/// Checks an organization form; the errors name their field.
pub fn check_org(f: &OrgForm) -> Result<OrganizationFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let name = f.name.trim().to_string();
    if name.is_empty() {
        errors.push(("name".into(), "Give the organization's name.".into()));
    }
    too_long("name", &name, MAX_TEXT, &mut errors);
    too_long("website", &f.website, MAX_TEXT, &mut errors);
    too_long("notes", &f.notes, MAX_NOTES, &mut errors);
    let category = match f.category.parse::<OrgCategory>() {
        Ok(c) => c,
        Err(e) => {
            errors.push(("category".into(), e.to_string()));
            OrgCategory::Other
        }
    };
    let naics = f.naics.trim();
    let naics = if naics.is_empty() {
        None
    } else if (2..=6).contains(&naics.len()) && naics.bytes().all(|b| b.is_ascii_digit()) {
        Some(naics.to_string())
    } else {
        errors.push((
            "naics".into(),
            format!("{naics:?} is not a NAICS code (2 to 6 digits, such as 3361)."),
        ));
        None
    };
    let size_band = match f.size_band.trim() {
        "" => None,
        s => match s.parse::<SizeBand>() {
            Ok(b) => Some(b),
            Err(e) => {
                errors.push(("size_band".into(), e.to_string()));
                None
            }
        },
    };
    let county = match f.county.trim() {
        "" => None,
        c => {
            if c.len() == 5 && Geography::embedded().title(c).is_some() {
                Some(c.to_string())
            } else {
                errors.push((
                    "county".into(),
                    format!("{c:?} is not a county FIPS code (5 digits, such as 39049)."),
                ));
                None
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut roles = Vec::new();
    for (code, on) in [
        ("convening", &f.role_convening),
        ("data", &f.role_data),
        ("coordination", &f.role_coordination),
        ("fiscal_agent", &f.role_fiscal_agent),
    ] {
        if on.is_some() {
            roles.push(code.to_string());
        }
    }
    let is_intermediary = f.intermediary.is_some();
    Ok(OrganizationFields {
        name,
        category,
        naics,
        size_band,
        county,
        website: f.website.trim().to_string(),
        notes: f.notes.trim().to_string(),
        is_intermediary,
        intermediary_roles: if is_intermediary { roles } else { Vec::new() },
    })
}

/// The contact form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub influence: String,
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub decision_maker: Option<String>,
    #[serde(default)]
    pub champion: Option<String>,
}

/// Whether text looks like a phone number: digits with spaces, dots, dashes, parentheses, a
/// leading `+`, and an optional extension (`x123`); 7 to 15 digits before the extension.
pub fn looks_like_phone(s: &str) -> bool {
    let s = s.trim();
    let main = s
        .split_once(['x', 'X'])
        .map(|(m, ext)| (m, ext.trim()))
        .filter(|(_, ext)| !ext.is_empty() && ext.bytes().all(|b| b.is_ascii_digit()))
        .map(|(m, _)| m)
        .unwrap_or(s);
    let digits = main.bytes().filter(u8::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && main
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0))
}

/// Checks a contact form; the errors name their field.
pub fn check_contact(f: &ContactForm) -> Result<ContactFields, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let name = f.name.trim().to_string();
    if name.is_empty() {
        errors.push(("contact_name".into(), "Give the person's name.".into()));
    }
    too_long("contact_name", &name, MAX_TEXT, &mut errors);
    too_long("title", &f.title, MAX_TEXT, &mut errors);
    let organization_id = match f.organization.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            errors.push((
                "organization".into(),
                "Choose the person's organization.".into(),
            ));
            0
        }
    };
    let email = f.email.trim();
    if !email.is_empty() && !looks_like_email(email) {
        errors.push((
            "email".into(),
            format!("{email:?} is not an email address (name@example.org)."),
        ));
    }
    let phone = f.phone.trim();
    if !phone.is_empty() && !looks_like_phone(phone) {
        errors.push((
            "phone".into(),
            format!("{phone:?} is not a phone number (7 to 15 digits, such as 614-555-0100)."),
        ));
    }
    let level = match f.level.trim() {
        "" => None,
        l => match l.parse::<ContactLevel>() {
            Ok(x) => Some(x),
            Err(e) => {
                errors.push(("level".into(), e.to_string()));
                None
            }
        },
    };
    let influence = match f.influence.trim() {
        "" => None,
        l => match l.parse::<Influence>() {
            Ok(x) => Some(x),
            Err(e) => {
                errors.push(("influence".into(), e.to_string()));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ContactFields {
        organization_id,
        name,
        title: f.title.trim().to_string(),
        level,
        email: email.to_lowercase(),
        phone: phone.to_string(),
        influence,
        resource: f.resource.is_some(),
        decision_maker: f.decision_maker.is_some(),
        champion: f.champion.is_some(),
    })
}

fn categories(selected: &str) -> Vec<Choice> {
    OrgCategory::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().into(),
            label: c.label().into(),
            selected: c.code() == selected,
        })
        .collect()
}

/// "present at 3 of 4 meetings · last contact 2026-06-10 · 2 open actions (1 overdue)".
fn engagement_words(e: &sectorkit_core::engagement::OrgEngagement) -> String {
    let mut parts = Vec::new();
    if e.invited > 0 {
        let trend: String = e.trend.iter().map(|p| if *p { '●' } else { '○' }).collect();
        parts.push(format!(
            "{trend} present at {} of {} meetings",
            e.present, e.invited
        ));
    }
    if let Some(d) = e.last_contact {
        parts.push(format!("last contact {d}"));
    }
    if e.open_actions > 0 {
        parts.push(if e.overdue_actions > 0 {
            format!(
                "{} open actions ({} overdue)",
                e.open_actions, e.overdue_actions
            )
        } else {
            format!("{} open actions", e.open_actions)
        });
    }
    parts.join(" · ")
}

fn contact_row(c: &Contact) -> ContactRow {
    let mut tags = Vec::new();
    if c.fields.champion {
        tags.push("champion");
    }
    if c.fields.decision_maker {
        tags.push("decision-maker");
    }
    if c.fields.resource {
        tags.push("resource");
    }
    if let Some(i) = c.fields.influence {
        tags.push(i.code());
    }
    ContactRow {
        id: c.id,
        name: c.fields.name.clone(),
        title: c.fields.title.clone(),
        organization_id: c.fields.organization_id,
        organization: c.organization.clone(),
        level: c.fields.level.map(|l| l.label()).unwrap_or(""),
        email: c.fields.email.clone(),
        phone: c.fields.phone.clone(),
        tags,
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct PartnersQuery {
    #[serde(default)]
    q: String,
    archived: Option<String>,
    /// Preselects the new organization's category (from a composition finding's link).
    category: Option<String>,
    /// `csv` with `table=organizations` (default) or `table=contacts`.
    format: Option<String>,
    table: Option<String>,
    notice: Option<String>,
    created: Option<usize>,
    merged: Option<usize>,
    people: Option<usize>,
}

/// The target industries: the shortlist's NAICS codes.
async fn targets(state: &AppState, tenant: &Tenant) -> Result<Vec<String>, AppError> {
    let mut t: Vec<String> = state
        .store
        .shortlist(tenant.id)
        .await?
        .into_iter()
        .map(|s| s.industry_code)
        .collect();
    t.sort();
    t.dedup();
    Ok(t)
}

#[allow(clippy::too_many_arguments)]
async fn partners_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &PartnersQuery,
    form: OrgForm,
    errors: Vec<(String, String)>,
    duplicate: Option<(i64, String)>,
) -> Result<PartnersTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let show_archived = q.archived.as_deref() == Some("1");
    let all_live = state.store.organizations(tenant.id, None, false).await?;
    let contacts_all = state.store.contacts(tenant.id, None, None).await?;
    let targets = targets(state, tenant).await?;
    let health =
        crate::handlers::convening::health(state, tenant, crate::handlers::convening::today())
            .await?;
    let settings = CompositionSettings {
        min_target_employers: health.settings.min_target_employers,
    };
    let facts: Vec<OrgFacts> = all_live
        .iter()
        .map(|o| OrgFacts {
            id: o.id,
            name: o.fields.name.clone(),
            category: o.category,
            naics: o.fields.naics.clone(),
            is_intermediary: o.fields.is_intermediary,
        })
        .collect();
    let cfacts: Vec<ContactFacts> = contacts_all
        .iter()
        .map(|c| ContactFacts {
            organization_id: c.fields.organization_id,
            champion: c.fields.champion,
            decision_maker: c.fields.decision_maker,
        })
        .collect();
    let pid = tenant.id.0;
    let findings = composition(&facts, &cfacts, &targets, &settings)
        .into_iter()
        .map(|f| {
            let (fix_href, fix_label) = match (&f, f.fix_category()) {
                (_, Some(c)) => (
                    format!("/p/{pid}/partners?category={}#add-org", c.code()),
                    format!("Add {}", c.label().to_lowercase()),
                ),
                (Finding::NoIntermediary, None) => (
                    format!("/p/{pid}/partners#organizations"),
                    "Mark the intermediary on its page".into(),
                ),
                _ => (
                    format!("/p/{pid}/partners#contacts"),
                    "Open a contact's organization to mark them".into(),
                ),
            };
            let also = match &f {
                Finding::IntermediaryIsSoleTrainer { .. }
                | Finding::IntermediaryIsSoleEmployer { .. } => {
                    all_live.iter().find(|o| o.fields.is_intermediary).map(|o| {
                        (
                            format!("/p/{pid}/partners/organizations/{}#edit-h", o.id),
                            format!("or review {}'s role as intermediary", o.fields.name),
                        )
                    })
                }
                _ => None,
            };
            FindingView {
                message: f.message(),
                fix_href,
                fix_label,
                also,
            }
        })
        .collect();
    // Employers at the table against the region's establishments of each target industry.
    let (shares, share_note) = employer_shares(state, tenant, &all_live, &targets).await?;
    let search = (!q.q.trim().is_empty()).then_some(q.q.as_str());
    let orgs = state
        .store
        .organizations(tenant.id, search, show_archived)
        .await?
        .into_iter()
        .map(|o| OrgRow {
            id: o.id,
            in_target: o.category == OrgCategory::Employer
                && o.fields
                    .naics
                    .as_deref()
                    .is_some_and(|n| in_target_industry(n, &targets)),
            name: o.fields.name.clone(),
            category: o.category.label(),
            naics: o.fields.naics.clone().unwrap_or_default(),
            county: o
                .fields
                .county
                .as_deref()
                .map(|c| Geography::embedded().title(c).unwrap_or(c).to_string())
                .unwrap_or_default(),
            contacts: o.contacts,
            intermediary: o.fields.is_intermediary,
            archived: o.archived_at.is_some(),
            engagement: health
                .by_org
                .get(&o.id)
                .map(engagement_words)
                .unwrap_or_default(),
        })
        .collect();
    let contacts = state
        .store
        .contacts(tenant.id, None, search)
        .await?
        .iter()
        .map(contact_row)
        .collect();
    let mut form = form;
    if form.category.is_empty() {
        form.category = q.category.clone().unwrap_or_else(|| "employer".into());
    }
    Ok(PartnersTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid,
        can_edit: tenant.role.allows(Role::Staff),
        q: q.q.clone(),
        show_archived,
        findings,
        min_employers: settings.min_target_employers,
        flags: crate::handlers::convening::flag_views(pid, &health.flags),
        targets,
        shares,
        share_note,
        orgs,
        contacts,
        categories: categories(&form.category),
        sizes: SizeBand::ALL.iter().map(|b| b.code()).collect(),
        form,
        errors,
        notice: match q.notice.as_deref() {
            Some("archived") => Some("The organization was archived; its history is kept.".into()),
            Some("imported") => Some(format!(
                "Imported: {} new organizations, {} already recorded (people added to them), {} people.",
                q.created.unwrap_or(0),
                q.merged.unwrap_or(0),
                q.people.unwrap_or(0)
            )),
            _ => None,
        },
        duplicate,
        partnership,
    })
}

/// For each target industry: employers of it at the table, and the region's QCEW
/// establishments of it (primary region, newest period with data).
async fn employer_shares(
    state: &AppState,
    tenant: &Tenant,
    orgs: &[Organization],
    targets: &[String],
) -> Result<(Vec<ShareView>, String), AppError> {
    if targets.is_empty() {
        return Ok((
            Vec::new(),
            "Shortlist target industries (Region & industries) to compare the employers at the \
             table with the region's."
                .into(),
        ));
    }
    let regions = state.store.regions(tenant.id).await?;
    let Some(region) = regions.iter().find(|r| r.is_primary).or(regions.first()) else {
        return Ok((
            Vec::new(),
            "Build a region to compare with its employers.".into(),
        ));
    };
    let periods = crate::handlers::region::periods_for(state, region).await?;
    let Some(period) = crate::handlers::region::default_period(state, &periods).await? else {
        return Ok((
            Vec::new(),
            "No QCEW data is loaded for the region yet.".into(),
        ));
    };
    let areas: Vec<String> = region.county_list().iter().map(|s| s.to_string()).collect();
    let mut agg = Vec::new();
    for d in 0..=8 {
        agg.push(70 + d);
    }
    let rows = state
        .store
        .qcew_rows(&sectorkit_store::QcewQuery {
            year: period.year() as i64,
            qtr: period.quarter().map(|x| x.number() as i64).unwrap_or(0),
            areas: &areas,
            own_codes: &[5],
            agglvl_codes: &agg,
        })
        .await?;
    let shares = targets
        .iter()
        .map(|t| {
            // The target's employers at the table, and their size bands.
            let bands: Vec<Option<sectorkit_core::partners::SizeBand>> = orgs
                .iter()
                .filter(|o| {
                    o.category == OrgCategory::Employer
                        && o.fields
                            .naics
                            .as_deref()
                            .is_some_and(|n| in_target_industry(n, std::slice::from_ref(t)))
                })
                .map(|o| o.fields.size_band)
                .collect();
            let employers = bands.len();
            // A region total: every county's cell must be published, or the total is unknown.
            let total = |cell: fn(&sectorkit_store::QcewDbRow) -> Option<i64>| -> Option<i64> {
                let cells: Vec<Option<i64>> = rows
                    .iter()
                    .filter(|r| r.industry_code == *t)
                    .map(cell)
                    .collect();
                (!cells.is_empty() && cells.iter().all(Option::is_some))
                    .then(|| cells.iter().flatten().sum())
            };
            let est = total(|r| r.estabs);
            let emp = total(|r| r.employment.filter(|_| r.disclosed));
            let emp_share = sectorkit_core::partners::employment_share(
                &bands,
                emp.and_then(|e| u64::try_from(e).ok()),
            );
            ShareView {
                industry: t.clone(),
                employment: emp
                    .map(|e| crate::format_count(e as f64))
                    .unwrap_or_else(|| "not published".into()),
                employment_share: match emp_share {
                    None => "—".into(),
                    Some(s) => {
                        let range = match s.high_pct {
                            Some(h) => format!("{:.1}–{:.1}%", s.low_pct, h),
                            None => format!("at least {:.1}%", s.low_pct),
                        };
                        match s.without_band {
                            0 => range,
                            n => format!(
                                "{range} ({n} employer{} without a size band not counted)",
                                if n == 1 { "" } else { "s" }
                            ),
                        }
                    }
                },
                employers,
                establishments: est
                    .map(|e| crate::format_count(e as f64))
                    .unwrap_or_else(|| "not published".into()),
                share: match est {
                    Some(e) if e > 0 => format!("{:.1}%", 100.0 * employers as f64 / e as f64),
                    _ => "—".into(),
                },
            }
        })
        .collect();
    Ok((
        shares,
        format!(
            "Private establishments and employment in {} ({}), BLS QCEW {period}; a total \
             with a suppressed county is not published, never summed as if it were 0. The \
             employment share is a range from the employers' size bands (1-49, 50-249, \
             250-999, 1000+), not headcounts; a band counts the whole employer, which may \
             include jobs outside the region.",
            region.name,
            region.county_list().join(", ")
        ),
    ))
}

/// `GET /p/{pid}/partners`.
pub async fn partners_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<PartnersQuery>,
) -> Result<Response, AppError> {
    if let Some(f) = q.format.as_deref() {
        if f != "csv" {
            return Err(AppError::BadRequest(format!("format: {f:?} is not csv")));
        }
        return partners_csv(
            &state,
            &tenant,
            q.table.as_deref().unwrap_or("organizations"),
        )
        .await;
    }
    let v = partners_view(
        &state,
        &auth,
        &tenant,
        &q,
        OrgForm::default(),
        Vec::new(),
        None,
    )
    .await?;
    Ok(page(&v)?.into_response())
}

async fn partners_csv(
    state: &AppState,
    tenant: &Tenant,
    table: &str,
) -> Result<Response, AppError> {
    match table {
        "organizations" => {
            let orgs = state.store.organizations(tenant.id, None, true).await?;
            csv_file(
                "sectorkit-organizations.csv",
                &[
                    "id",
                    "name",
                    "category",
                    "naics",
                    "size_band",
                    "county",
                    "website",
                    "intermediary",
                    "intermediary_roles",
                    "contacts",
                    "archived",
                    "notes",
                ],
                orgs.iter().map(|o| {
                    vec![
                        o.id.to_string(),
                        o.fields.name.clone(),
                        o.category.code().to_string(),
                        o.fields.naics.clone().unwrap_or_default(),
                        o.fields
                            .size_band
                            .map(|b| b.code().to_string())
                            .unwrap_or_default(),
                        o.fields.county.clone().unwrap_or_default(),
                        o.fields.website.clone(),
                        o.fields.is_intermediary.to_string(),
                        o.fields.intermediary_roles.join(" "),
                        o.contacts.to_string(),
                        o.archived_at.is_some().to_string(),
                        o.fields.notes.clone(),
                    ]
                }),
            )
        }
        "contacts" => {
            let contacts = state.store.contacts(tenant.id, None, None).await?;
            csv_file(
                "sectorkit-contacts.csv",
                &[
                    "id",
                    "organization",
                    "name",
                    "title",
                    "level",
                    "email",
                    "phone",
                    "influence",
                    "resource",
                    "decision_maker",
                    "champion",
                ],
                contacts.iter().map(|c| {
                    vec![
                        c.id.to_string(),
                        c.organization.clone(),
                        c.fields.name.clone(),
                        c.fields.title.clone(),
                        c.fields
                            .level
                            .map(|l| l.code().to_string())
                            .unwrap_or_default(),
                        c.fields.email.clone(),
                        c.fields.phone.clone(),
                        c.fields
                            .influence
                            .map(|i| i.code().to_string())
                            .unwrap_or_default(),
                        c.fields.resource.to_string(),
                        c.fields.decision_maker.to_string(),
                        c.fields.champion.to_string(),
                    ]
                }),
            )
        }
        other => Err(crate::handlers::downloads::unknown_table(
            other,
            &["organizations", "contacts"],
        )),
    }
}

/// `POST /p/{pid}/partners/organizations`.
pub async fn create_organization(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    let refuse = |errors, duplicate, form| async {
        let v = partners_view(
            &state,
            &auth,
            &tenant,
            &PartnersQuery::default(),
            form,
            errors,
            duplicate,
        )
        .await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response())
    };
    let fields = match check_org(&form) {
        Ok(f) => f,
        Err(errors) => return refuse(errors, None, form).await,
    };
    if let Some(existing) = state
        .store
        .organization_like(tenant.id, &fields.name, fields.county.as_deref())
        .await?
    {
        let msg = (
            "name".to_string(),
            "An organization with this name (and county) is already recorded: open it to add \
             to it instead of creating it twice."
                .to_string(),
        );
        return refuse(vec![msg], Some((existing.id, existing.fields.name)), form).await;
    }
    let id = state
        .store
        .create_organization(tenant.id, &fields, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/partners/organizations/{id}", tenant.id)).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct OrgQuery {
    notice: Option<String>,
}

async fn organization_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    oid: i64,
    form: Option<OrgForm>,
    contact_form: ContactForm,
    errors: Vec<(String, String)>,
) -> Result<OrganizationTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let org = state
        .store
        .organization(tenant.id, oid)
        .await?
        .ok_or(AppError::NotFound)?;
    let raw_contacts = state.store.contacts(tenant.id, Some(oid), None).await?;
    let can_edit_org = represents(tenant, &raw_contacts);
    let contacts = raw_contacts.iter().map(contact_row).collect();
    let form = form.unwrap_or_else(|| OrgForm::from_org(&org));
    let audit = state
        .store
        .audit_log(tenant.id, Some(("organization", oid)), 50)
        .await?
        .iter()
        .map(|a| audit_view(tenant.id.0, a))
        .collect();
    Ok(OrganizationTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_edit: tenant.role.allows(Role::Staff),
        can_edit_org,
        category_label: org.category.label(),
        county_name: org
            .fields
            .county
            .as_deref()
            .map(|c| Geography::embedded().title(c).unwrap_or(c).to_string())
            .unwrap_or_default(),
        roles: INTERMEDIARY_ROLES
            .iter()
            .map(|(c, l)| (*c, *l, org.fields.intermediary_roles.iter().any(|r| r == c)))
            .collect(),
        contacts,
        categories: categories(&form.category),
        sizes: SizeBand::ALL.iter().map(|b| b.code()).collect(),
        levels: ContactLevel::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        influences: Influence::ALL.iter().map(|i| i.code()).collect(),
        form,
        contact_form,
        errors,
        audit,
        notice: None,
        org,
        partnership,
    })
}

/// `GET /p/{pid}/partners/organizations/{oid}`.
pub async fn organization_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, oid)): Path<(String, i64)>,
    Query(q): Query<OrgQuery>,
) -> Result<Response, AppError> {
    let mut v = organization_view(
        &state,
        &auth,
        &tenant,
        oid,
        None,
        ContactForm::default(),
        Vec::new(),
    )
    .await?;
    v.notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved.".into()),
        Some("contact") => Some("Contact added.".into()),
        Some("restored") => Some("The organization was restored.".into()),
        _ => None,
    };
    Ok(page(&v)?.into_response())
}

/// Staff and owners edit any organization; a partner edits the one they represent: one of its
/// active contacts has the member's email (the policy lets partners in; this decides).
fn represents(t: &Tenant, contacts: &[Contact]) -> bool {
    t.role.allows(Role::Staff)
        || (t.role == Role::Partner
            && contacts.iter().any(|c| {
                !c.fields.email.trim().is_empty()
                    && c.fields
                        .email
                        .trim()
                        .eq_ignore_ascii_case(t.user.email.trim())
            }))
}

/// `POST /p/{pid}/partners/organizations/{oid}`: saves the edit form (staff, or a partner for
/// their own organization).
pub async fn update_organization(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, oid)): Path<(String, i64)>,
    Form(form): Form<OrgForm>,
) -> Result<Response, AppError> {
    if !tenant.role.allows(Role::Staff) {
        if state.store.organization(tenant.id, oid).await?.is_none() {
            return Err(AppError::NotFound);
        }
        let contacts = state.store.contacts(tenant.id, Some(oid), None).await?;
        if !represents(&tenant, &contacts) {
            return Err(AppError::Forbidden(
                "Only staff, or a partner listed as a contact of this organization (by email), \
                 can edit it."
                    .into(),
            ));
        }
    }
    let fields = match check_org(&form) {
        Ok(f) => f,
        Err(errors) => {
            let v = organization_view(
                &state,
                &auth,
                &tenant,
                oid,
                Some(form),
                ContactForm::default(),
                errors,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response());
        }
    };
    match state
        .store
        .update_organization(tenant.id, oid, &fields, tenant.user.id)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) => {
            let errors = vec![("name".to_string(), format!("{what} already exists."))];
            let v = organization_view(
                &state,
                &auth,
                &tenant,
                oid,
                Some(form),
                ContactForm::default(),
                errors,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!(
        "/p/{}/partners/organizations/{oid}?notice=saved",
        tenant.id
    ))
    .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /p/{pid}/partners/organizations/{oid}/archive`: needs `confirm=yes`.
pub async fn archive_organization(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, oid)): Path<(String, i64)>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    if form.confirm.as_deref() != Some("yes") {
        let errors = vec![(
            "confirm".to_string(),
            "Tick the box to confirm: the organization and its contacts leave the lists; their \
             history is kept and the organization can be restored."
                .to_string(),
        )];
        let v = organization_view(
            &state,
            &auth,
            &tenant,
            oid,
            None,
            ContactForm::default(),
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response());
    }
    state
        .store
        .set_organization_archived(tenant.id, oid, true, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/partners?notice=archived", tenant.id)).into_response())
}

/// `POST /p/{pid}/partners/organizations/{oid}/restore`.
pub async fn restore_organization(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, oid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    state
        .store
        .set_organization_archived(tenant.id, oid, false, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners/organizations/{oid}?notice=restored",
        tenant.id
    ))
    .into_response())
}

/// `POST /p/{pid}/partners/contacts`: adds a contact to an organization.
pub async fn create_contact(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<ContactForm>,
) -> Result<Response, AppError> {
    let oid: i64 = form
        .organization
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let fields = match check_contact(&form) {
        Ok(f) => f,
        Err(errors) => {
            let v = organization_view(&state, &auth, &tenant, oid, None, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response());
        }
    };
    state
        .store
        .create_contact(tenant.id, &fields, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners/organizations/{oid}?notice=contact",
        tenant.id
    ))
    .into_response())
}

/// `POST /p/{pid}/partners/contacts/{cid}/archive`.
pub async fn archive_contact(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, cid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let c = state
        .store
        .contact(tenant.id, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    state
        .store
        .set_contact_archived(tenant.id, cid, true, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners/organizations/{}?notice=saved",
        tenant.id, c.fields.organization_id
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in [
            "614-555-0100",
            "+1 (614) 555 0100",
            "6145550100 x12",
            "+44 20 7946 0958",
        ] {
            assert!(looks_like_phone(ok), "{ok}");
        }
        for bad in [
            "555-01",
            "call me",
            "614-555-0100-2222-3333-1",
            "61+45550100",
            "614 555 0100 x",
        ] {
            assert!(!looks_like_phone(bad), "{bad}");
        }
    }

    #[test]
    fn organization_forms() {
        let f = OrgForm {
            name: " Acme Tools ".into(),
            category: "employer".into(),
            naics: "333515".into(),
            size_band: "50-249".into(),
            county: "39049".into(),
            ..Default::default()
        };
        let o = check_org(&f).unwrap();
        assert_eq!(o.name, "Acme Tools");
        assert_eq!(o.category, OrgCategory::Employer);
        let bad = OrgForm {
            name: "".into(),
            category: "school".into(),
            naics: "33a".into(),
            size_band: "huge".into(),
            county: "99999".into(),
            ..Default::default()
        };
        let errs = check_org(&bad).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "category", "naics", "size_band", "county"]);
    }

    #[test]
    fn contact_forms() {
        let c = ContactForm {
            organization: "3".into(),
            name: "Dana".into(),
            email: "Dana@Example.org".into(),
            phone: "614-555-0100".into(),
            level: "hr".into(),
            champion: Some("1".into()),
            ..Default::default()
        };
        let f = check_contact(&c).unwrap();
        assert_eq!(f.email, "dana@example.org");
        assert!(f.champion && !f.decision_maker);
        let bad = ContactForm {
            organization: "x".into(),
            email: "dana@".into(),
            phone: "12".into(),
            ..Default::default()
        };
        let errs = check_contact(&bad).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["contact_name", "organization", "email", "phone"]);
    }
}
