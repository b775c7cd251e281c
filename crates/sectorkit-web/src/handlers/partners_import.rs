//! CSV import of organizations and people: upload → preview (every row checked, errors by line
//! and field, duplicates matched to existing organizations for merge) → confirm → one
//! transaction. Nothing is saved before the user confirms, and the confirmation re-checks the
//! file instead of trusting the preview.
//!
//! The file: one row per person (or per organization without people), columns named in the
//! header (any order, case-insensitive): `organization` and `category` are required; the rest
//! (`naics`, `size_band`, `county`, `website`, `contact_name`, `title`, `level`, `email`,
//! `phone`, `influence`, `champion`, `decision_maker`, `resource`) optional. Rows naming the
//! same organization (normalized name and county) are one organization; the first row gives
//! its fields.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::partners::{ContactForm, OrgForm, check_contact, check_org};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_store::{ImportOrganization, Partnership, name_key};
use serde::Deserialize;

/// Largest file accepted (checked before parsing; the confirmation posts it back as a form
/// field, which URL-encoding can make up to three times larger).
pub const MAX_IMPORT_BYTES: usize = 512 * 1024;
/// Most rows accepted.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// The template's header, in order.
pub const TEMPLATE_HEADER: [&str; 15] = [
    "organization",
    "category",
    "naics",
    "size_band",
    "county",
    "website",
    "contact_name",
    "title",
    "level",
    "email",
    "phone",
    "influence",
    "champion",
    "decision_maker",
    "resource",
];

/// A problem with one row (line 1 is the header).
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// A checked file: what it would create, or its errors.
#[derive(Debug, Default)]
pub struct Plan {
    pub rows: usize,
    pub orgs: Vec<PlannedOrg>,
    pub errors: Vec<RowError>,
}

#[derive(Debug)]
pub struct PlannedOrg {
    pub item: ImportOrganization,
    /// The existing organization's name, when the rows merge into it.
    pub existing_name: Option<String>,
    pub first_line: u64,
}

fn truthy(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "no" | "n" | "false" => Ok(false),
        "1" | "yes" | "y" | "true" | "x" => Ok(true),
        other => Err(format!("{other:?} is not yes or no")),
    }
}

/// The error's field as the file names it.
fn column_of(form_field: &str) -> &str {
    match form_field {
        "name" => "organization",
        "contact_name" => "contact_name",
        other => other,
    }
}

/// Reads and checks a file (no database access: existing organizations are matched by
/// [`match_existing`]).
pub fn plan(bytes: &[u8]) -> Plan {
    let mut p = Plan::default();
    let err = |line: u64, field: &str, message: String| RowError {
        line,
        field: field.to_string(),
        message,
    };
    if bytes.len() > MAX_IMPORT_BYTES {
        p.errors.push(err(
            0,
            "file",
            format!("the file is larger than {} KB", MAX_IMPORT_BYTES / 1024),
        ));
        return p;
    }
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            p.errors
                .push(err(0, "file", format!("the file is not UTF-8 text ({e})")));
            return p;
        }
    };
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            p.errors
                .push(err(1, "header", format!("the header cannot be read: {e}")));
            return p;
        }
    };
    let unknown: Vec<&String> = header
        .iter()
        .filter(|h| !h.is_empty() && !TEMPLATE_HEADER.contains(&h.as_str()))
        .collect();
    if !unknown.is_empty() {
        p.errors.push(err(
            1,
            "header",
            format!(
                "unknown column(s) {}; the columns are: {}",
                unknown
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                TEMPLATE_HEADER.join(", ")
            ),
        ));
    }
    for required in ["organization", "category"] {
        if !header.iter().any(|h| h == required) {
            p.errors.push(err(
                1,
                "header",
                format!("the column {required:?} is missing"),
            ));
        }
    }
    if !p.errors.is_empty() {
        return p;
    }
    let idx = |name: &str| header.iter().position(|h| h == name);
    let cols: Vec<(&str, Option<usize>)> = TEMPLATE_HEADER.iter().map(|c| (*c, idx(c))).collect();
    let mut by_key: std::collections::HashMap<(String, String), usize> = Default::default();
    for rec in rd.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                p.errors
                    .push(err(line, "row", format!("the row cannot be read: {e}")));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        p.rows += 1;
        if p.rows > MAX_IMPORT_ROWS {
            p.errors.push(err(
                line,
                "file",
                format!("more than {MAX_IMPORT_ROWS} rows"),
            ));
            return p;
        }
        let get = |name: &str| -> String {
            cols.iter()
                .find(|(c, _)| *c == name)
                .and_then(|(_, i)| *i)
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            p.rows -= 1;
            continue;
        }
        let org_form = OrgForm {
            name: get("organization"),
            category: get("category"),
            naics: get("naics"),
            size_band: get("size_band"),
            county: get("county"),
            website: get("website"),
            ..OrgForm::default()
        };
        let fields = match check_org(&org_form) {
            Ok(f) => Some(f),
            Err(es) => {
                for (f, m) in es {
                    p.errors.push(err(line, column_of(&f), m));
                }
                None
            }
        };
        let mut flags = [false; 3];
        for (i, name) in ["champion", "decision_maker", "resource"]
            .iter()
            .enumerate()
        {
            match truthy(&get(name)) {
                Ok(b) => flags[i] = b,
                Err(m) => p.errors.push(err(line, name, m)),
            }
        }
        let contact = if get("contact_name").is_empty() {
            let others = ["title", "email", "phone", "level", "influence"];
            if others.iter().any(|c| !get(c).is_empty()) || flags.iter().any(|f| *f) {
                p.errors.push(err(
                    line,
                    "contact_name",
                    "the row has a person's details but no contact_name".into(),
                ));
            }
            None
        } else {
            let on = |b: bool| b.then(|| "1".to_string());
            let cf = ContactForm {
                organization: "0".into(),
                name: get("contact_name"),
                title: get("title"),
                level: get("level"),
                email: get("email"),
                phone: get("phone"),
                influence: get("influence"),
                champion: on(flags[0]),
                decision_maker: on(flags[1]),
                resource: on(flags[2]),
            };
            match check_contact(&cf) {
                Ok(c) => Some(c),
                Err(es) => {
                    for (f, m) in es {
                        p.errors.push(err(line, column_of(&f), m));
                    }
                    None
                }
            }
        };
        let Some(fields) = fields else { continue };
        let key = (
            name_key(&fields.name),
            fields.county.clone().unwrap_or_default(),
        );
        let i = *by_key.entry(key).or_insert_with(|| {
            p.orgs.push(PlannedOrg {
                item: ImportOrganization {
                    existing: None,
                    fields,
                    contacts: Vec::new(),
                },
                existing_name: None,
                first_line: line,
            });
            p.orgs.len() - 1
        });
        if let Some(c) = contact {
            p.orgs[i].item.contacts.push(c);
        }
    }
    if p.rows == 0 && p.errors.is_empty() {
        p.errors.push(err(2, "file", "the file has no rows".into()));
    }
    p
}

/// Marks the planned organizations that already exist (same normalized name and county) so
/// that their rows merge into them instead of creating them twice.
pub async fn match_existing(
    state: &AppState,
    tenant: &Tenant,
    p: &mut Plan,
) -> Result<(), AppError> {
    for o in &mut p.orgs {
        if let Some(e) = state
            .store
            .organization_like(
                tenant.id,
                &o.item.fields.name,
                o.item.fields.county.as_deref(),
            )
            .await?
        {
            o.item.existing = Some(e.id);
            o.existing_name = Some(e.fields.name);
        }
    }
    Ok(())
}

pub struct PreviewOrg {
    pub line: u64,
    pub name: String,
    pub category: &'static str,
    pub merge_into: Option<String>,
    pub contacts: Vec<String>,
}

#[derive(Template)]
#[template(path = "partners_import.html")]
pub struct ImportTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub file_name: String,
    pub rows: usize,
    pub errors: Vec<RowError>,
    pub orgs: Vec<PreviewOrg>,
    pub new_orgs: usize,
    pub merged: usize,
    pub contacts: usize,
    /// The file, posted back on confirmation.
    pub data: String,
    pub header: String,
}

async fn preview(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    file_name: String,
    bytes: &[u8],
) -> Result<(Plan, ImportTemplate), AppError> {
    let mut plan = plan(bytes);
    if plan.errors.is_empty() {
        match_existing(state, tenant, &mut plan).await?;
    }
    let partnership = state.store.partnership(tenant.id).await?;
    let orgs: Vec<PreviewOrg> = plan
        .orgs
        .iter()
        .map(|o| PreviewOrg {
            line: o.first_line,
            name: o.item.fields.name.clone(),
            category: o.item.fields.category.label(),
            merge_into: o.existing_name.clone(),
            contacts: o.item.contacts.iter().map(|c| c.name.clone()).collect(),
        })
        .collect();
    let t = ImportTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        file_name,
        rows: plan.rows,
        errors: plan.errors.clone(),
        new_orgs: plan
            .orgs
            .iter()
            .filter(|o| o.item.existing.is_none())
            .count(),
        merged: plan
            .orgs
            .iter()
            .filter(|o| o.item.existing.is_some())
            .count(),
        contacts: plan.orgs.iter().map(|o| o.item.contacts.len()).sum(),
        orgs,
        data: if plan.errors.is_empty() {
            String::from_utf8_lossy(bytes).into_owned()
        } else {
            String::new()
        },
        header: TEMPLATE_HEADER.join(","),
        partnership,
    };
    Ok((plan, t))
}

/// `POST /p/{pid}/partners/import`: the uploaded file's preview; nothing is saved.
pub async fn upload(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let data = crate::handlers::uploads::read_file(
        &mut multipart,
        |n| n.unwrap_or("partners.csv").to_string(),
        MAX_IMPORT_BYTES,
        |name| {
            format!(
                "{name} is larger than {} KB (the limit of one import). Nothing was saved.",
                MAX_IMPORT_BYTES / 1024
            )
        },
    )
    .await?;
    let (name, buf) =
        data.ok_or_else(|| AppError::BadRequest("Choose a file to upload.".into()))?;
    let (plan, t) = preview(&state, &auth, &tenant, name, &buf).await?;
    let status = if plan.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(&t)?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    data: String,
    #[serde(default)]
    file_name: String,
}

/// `POST /p/{pid}/partners/import/confirm`: checks the file again and saves it, all or nothing.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let (plan, t) = preview(&state, &auth, &tenant, form.file_name, form.data.as_bytes()).await?;
    if !plan.errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response());
    }
    let items: Vec<ImportOrganization> = plan.orgs.into_iter().map(|o| o.item).collect();
    let counts = state
        .store
        .import_partners(tenant.id, &items, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!(
        "/p/{}/partners?notice=imported&created={}&merged={}&people={}",
        tenant.id,
        counts.organizations_created,
        counts.organizations_merged,
        counts.contacts_created
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(p: &Plan) -> Vec<(u64, &str)> {
        p.errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect()
    }

    #[test]
    fn a_good_file_groups_people_by_organization() {
        let csv = "organization,category,naics,county,contact_name,email,champion\n\
                   Acme Tools Inc.,employer,333515,39049,Dana Ruiz,dana@acme.example,yes\n\
                   ACME TOOLS,employer,,39049,Lee Park,,\n\
                   Columbus State,education_college,,39049,,,\n";
        let p = plan(csv.as_bytes());
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.rows, 3);
        assert_eq!(p.orgs.len(), 2, "the two Acme rows are one organization");
        assert_eq!(p.orgs[0].item.contacts.len(), 2);
        assert!(p.orgs[0].item.contacts[0].champion);
        assert_eq!(p.orgs[0].item.fields.naics.as_deref(), Some("333515"));
        assert_eq!(p.orgs[1].first_line, 4);
    }

    #[test]
    fn errors_name_line_and_field() {
        let csv = "organization,category,county,contact_name,email,phone,champion\n\
                   ,employer,39049,,,,\n\
                   Acme,school,99999,Dana,dana@,12,maybe\n\
                   Beta,labor,,,x@y.org,,\n";
        let p = plan(csv.as_bytes());
        assert_eq!(
            fields(&p),
            vec![
                (2, "organization"),
                (3, "category"),
                (3, "county"),
                (3, "champion"),
                (3, "email"),
                (3, "phone"),
                (4, "contact_name"),
            ]
        );
        assert!(
            p.errors[1]
                .message
                .contains("employer, industry_association")
        );
    }

    #[test]
    fn headers_and_limits() {
        let p = plan(b"name,kind\nA,employer\n");
        assert_eq!(
            fields(&p),
            vec![(1, "header"), (1, "header"), (1, "header")]
        );
        assert!(p.errors[0].message.contains("\"name\""));
        let p = plan(b"organization,category\n");
        assert_eq!(fields(&p), vec![(2, "file")]);
        let big = vec![b'a'; MAX_IMPORT_BYTES + 1];
        assert_eq!(fields(&plan(&big)), vec![(0, "file")]);
        let mut many = String::from("organization,category\n");
        for i in 0..=MAX_IMPORT_ROWS {
            many.push_str(&format!("O{i},other\n"));
        }
        let p = plan(many.as_bytes());
        assert!(
            p.errors
                .last()
                .unwrap()
                .message
                .contains("more than 5000 rows")
        );
        let p = plan(b"\xEF\xBB\xBFOrganization,Category\nA,other\n");
        assert_eq!(p.errors, vec![], "BOM and header case are fine");
        assert_eq!(
            fields(&plan(b"organization,category\n\xff,other\n")),
            vec![(0, "file")]
        );
    }
}
