//! The plan's records taken together (Plan section): one page to archive and restore any
//! strategy, milestone, logic-model element, message, communication item, product, capacity
//! role, lesson, linked plan or agreement (history kept in the audit trail), the planning
//! chapters' keyword search with highlighted snippets, and the signed file of a data-sharing
//! agreement (bounded upload, staff-only download).
//!
//! Roles: members read the search and the list; staff and owners archive, restore and handle
//! agreement files. The agreement file is staff-only to download because signed agreements
//! carry signatures and named contacts that the register's summary does not.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::can_edit;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::public_plans::find;
use sectorkit_store::{AgreementFile, Partnership, PlanRecordKind, StoreError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The largest agreement file accepted (a scanned, signed agreement of a few pages).
pub const MAX_AGREEMENT_FILE_BYTES: usize = 5 * 1024 * 1024;

/// File types an agreement may be kept as, by extension, and the content type it is served as.
/// The type is decided here from the extension, never taken from the browser.
const AGREEMENT_FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("doc", "application/msword"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("rtf", "application/rtf"),
    ("txt", "text/plain; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// Where a record of `kind` is shown, with the anchor of its section.
pub fn record_href(pid: i64, kind: PlanRecordKind, id: i64) -> String {
    let p = format!("/p/{pid}");
    match kind {
        PlanRecordKind::IndustryIssue => format!("{p}/plan/issues/{id}"),
        PlanRecordKind::Action => format!("{p}/partners/actions/{id}"),
        PlanRecordKind::Strategy | PlanRecordKind::Milestone => format!("{p}/plan/page"),
        PlanRecordKind::LogicElement => format!("{p}/plan/logic"),
        PlanRecordKind::KeyMessage => format!("{p}/plan/marketing#messages"),
        PlanRecordKind::CommsItem => format!("{p}/plan/marketing#c-{id}"),
        PlanRecordKind::Product => format!("{p}/plan/products#pr-{id}"),
        PlanRecordKind::CapacityRole => format!("{p}/plan/products#capacity"),
        PlanRecordKind::Lesson => format!("{p}/plan/lessons#lesson-{id}"),
        PlanRecordKind::PlanLink => format!("{p}/plan/alignment#links"),
        PlanRecordKind::DataAgreement => format!("{p}/plan/alignment#agreement-{id}"),
        PlanRecordKind::FundingStream => format!("{p}/funding#stream-{id}"),
        PlanRecordKind::BudgetLine => format!("{p}/funding#line-{id}"),
    }
}

pub struct RecordView {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub id: i64,
    pub label: String,
    pub href: String,
    pub archived_on: String,
}

pub struct KindGroup {
    pub label: &'static str,
    pub records: Vec<RecordView>,
}

#[derive(Template)]
#[template(path = "plan_records.html")]
pub struct RecordsTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub current: Vec<KindGroup>,
    pub archived: Vec<RecordView>,
    pub notice: String,
}

/// A plan link's label names the plan of the catalog, not its code.
fn plan_label(kind: PlanRecordKind, label: String) -> String {
    if kind != PlanRecordKind::PlanLink {
        return label;
    }
    let (code, rest) = label.split_once(" · ").unwrap_or((label.as_str(), ""));
    match find(code) {
        Some(p) if rest.is_empty() => p.name.to_string(),
        Some(p) => format!("{} · {rest}", p.name),
        None => label,
    }
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RecordsQuery {
    #[serde(default)]
    notice: String,
}

/// `GET /p/{pid}/plan/records`: every current plan record by kind, and the archived ones.
pub async fn records_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<RecordsQuery>,
) -> Result<Response, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let pid = tenant.id.0;
    let view = |r: sectorkit_store::PlanRecord| RecordView {
        kind: r.kind.code(),
        kind_label: r.kind.label(),
        id: r.id,
        href: record_href(pid, r.kind, r.id),
        label: short(&plan_label(r.kind, r.label), 140),
        archived_on: if r.archived_at > 0 {
            sectorkit_core::day::Day::from_unix(r.archived_at).to_string()
        } else {
            String::new()
        },
    };
    let mut current: Vec<KindGroup> = Vec::new();
    for kind in PlanRecordKind::ARCHIVABLE {
        current.push(KindGroup {
            label: kind.label(),
            records: Vec::new(),
        });
    }
    for r in state.store.plan_records(tenant.id, false).await? {
        let i = PlanRecordKind::ARCHIVABLE
            .iter()
            .position(|k| *k == r.kind)
            .unwrap_or(0);
        current[i].records.push(view(r));
    }
    let archived = state
        .store
        .plan_records(tenant.id, true)
        .await?
        .into_iter()
        .map(view)
        .collect();
    let notice = match q.notice.as_str() {
        "archived" => "Archived. It is listed below and can be restored.",
        "restored" => "Restored: it is back in its page.",
        _ => "",
    }
    .to_string();
    let t = RecordsTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "plan"),
        pid,
        can_edit: can_edit(&tenant),
        current,
        archived,
        notice,
        partnership,
    };
    Ok(page(&t)?.into_response())
}

async fn set_archived(
    state: AppState,
    tenant: Tenant,
    kind: &str,
    id: i64,
    archive: bool,
) -> Result<Response, AppError> {
    let kind = PlanRecordKind::parse(kind)
        .filter(|k| k.archivable())
        .ok_or(AppError::NotFound)?;
    match state
        .store
        .archive_plan_record(tenant.id, kind, id, archive, tenant.user.id)
        .await
    {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let notice = if archive { "archived" } else { "restored" };
    Ok(Redirect::to(&format!(
        "/p/{}/plan/records?notice={notice}#{}",
        tenant.id,
        if archive { "archived" } else { "current" }
    ))
    .into_response())
}

/// `POST /p/{pid}/plan/records/{kind}/{rid}/archive`.
pub async fn archive_record(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, kind, rid)): Path<(i64, String, i64)>,
) -> Result<Response, AppError> {
    set_archived(state, tenant, &kind, rid, true).await
}

/// `POST /p/{pid}/plan/records/{kind}/{rid}/restore`.
pub async fn restore_record(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, kind, rid)): Path<(i64, String, i64)>,
) -> Result<Response, AppError> {
    set_archived(state, tenant, &kind, rid, false).await
}

// ----- search -----

/// The longest search term accepted.
pub const MAX_TERM_CHARS: usize = 100;

/// A snippet of a hit's text: before, the match (highlighted), after.
pub struct Snippet {
    pub before: String,
    pub hit: String,
    pub after: String,
}

pub struct HitView {
    pub kind_label: &'static str,
    pub label: String,
    pub href: String,
    pub snippet: Option<Snippet>,
}

#[derive(Template)]
#[template(path = "plan_search.html")]
pub struct SearchTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub q: String,
    pub hits: Vec<HitView>,
    pub truncated: bool,
    pub message: String,
}

/// The part of `text` around the first case-insensitive occurrence of `term`, at most `radius`
/// characters either side, with ellipses where it was cut. `None` when the term is not there.
pub fn snippet(text: &str, term: &str, radius: usize) -> Option<Snippet> {
    let chars: Vec<char> = text.chars().collect();
    let needle: Vec<char> = term.trim().chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    let lower: Vec<char> = chars
        .iter()
        .map(|c| {
            // One char per char, so positions line up (multi-char lowercases keep the original).
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(a), None) => a,
                _ => *c,
            }
        })
        .collect();
    let at = lower.windows(needle.len()).position(|w| w == needle)?;
    let end = at + needle.len();
    let from = at.saturating_sub(radius);
    let to = (end + radius).min(chars.len());
    let mut before: String = chars[from..at].iter().collect();
    if from > 0 {
        before.insert(0, '…');
    }
    let mut after: String = chars[end..to].iter().collect();
    if to < chars.len() {
        after.push('…');
    }
    Some(Snippet {
        before,
        hit: chars[at..end].iter().collect(),
        after,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// `GET /p/{pid}/plan/search?q=`: the planning chapters' records containing the term.
pub async fn search_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let pid = tenant.id.0;
    let q = query.q.trim().to_string();
    let mut message = String::new();
    let mut hits = Vec::new();
    let mut truncated = false;
    if q.chars().count() > MAX_TERM_CHARS {
        message = format!("Search for at most {MAX_TERM_CHARS} characters.");
    } else if !q.is_empty() {
        let found = state.store.search_plan(tenant.id, &q).await?;
        truncated = found.len() >= sectorkit_store::MAX_PLAN_HITS;
        hits = found
            .into_iter()
            .map(|h| HitView {
                kind_label: h.kind.label(),
                href: record_href(pid, h.kind, h.id),
                snippet: snippet(&h.text, &q, 60),
                label: short(&plan_label(h.kind, h.label), 140),
            })
            .collect();
        if hits.is_empty() {
            message = format!("Nothing in the plan contains “{q}”.");
        }
    }
    let t = SearchTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "plan"),
        pid,
        q,
        hits,
        truncated,
        message,
        partnership,
    };
    Ok(page(&t)?.into_response())
}

// ----- agreement files -----

/// The content type of an agreement file named `name`, or why it is refused.
pub fn agreement_file_type(name: &str) -> Result<&'static str, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    AGREEMENT_FILE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            format!(
                "{name}: keep the agreement as one of {} (this file's type is not accepted). \
                 Nothing was saved.",
                AGREEMENT_FILE_TYPES
                    .iter()
                    .map(|(e, _)| *e)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// The file name kept and offered on download: the base name, without control characters,
/// quotes or path separators, at most 120 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '/' | '\\'))
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "agreement".into()
    } else if cleaned.chars().count() > 120 {
        // Keep the extension: it decides the type.
        let ext = cleaned.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let stem: String = cleaned.chars().take(100).collect();
        format!("{stem}….{ext}")
    } else {
        cleaned
    }
}

/// `POST /p/{pid}/plan/alignment/agreements/{gid}/file`: attaches (or replaces) the signed copy.
pub async fn upload_agreement_file(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, gid)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let got = crate::handlers::uploads::read_file(
        &mut multipart,
        |n| clean_file_name(n.unwrap_or("")),
        MAX_AGREEMENT_FILE_BYTES,
        |name| {
            format!(
                "{name} is larger than {} MiB (the limit of an agreement file). \
                 Nothing was saved.",
                MAX_AGREEMENT_FILE_BYTES / (1024 * 1024)
            )
        },
    )
    .await?;
    let (name, data) =
        got.ok_or_else(|| AppError::BadRequest("Choose a file to attach.".into()))?;
    if data.is_empty() {
        return Err(AppError::BadRequest(format!(
            "{name} is empty. Nothing was saved."
        )));
    }
    let content_type = agreement_file_type(&name).map_err(AppError::BadRequest)?;
    let sha256 = hex::encode(Sha256::digest(&data));
    let file = AgreementFile {
        file_name: name,
        content_type: content_type.to_string(),
        sha256,
        data,
    };
    match state
        .store
        .put_agreement_file(tenant.id, gid, &file, tenant.user.id)
        .await
    {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!(
        "/p/{}/plan/alignment?notice=attached#agreement-{gid}",
        tenant.id
    ))
    .into_response())
}

/// `GET /p/{pid}/plan/alignment/agreements/{gid}/file`: the signed copy, as a download.
pub async fn download_agreement_file(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, gid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let file = state
        .store
        .agreement_file(tenant.id, gid)
        .await?
        .ok_or(AppError::NotFound)?;
    // The name was cleaned on upload; quotes and separators cannot reach the header.
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file.file_name
            .chars()
            .map(|c| if c.is_ascii() { c } else { '_' })
            .collect::<String>()
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        file.data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_cut_around_the_first_match_ignoring_case() {
        let s = snippet("Employers report a shortage of CNC machinists", "cnc", 10).unwrap();
        assert_eq!(s.before, "…ortage of ");
        assert_eq!(s.hit, "CNC");
        assert_eq!(s.after, " machinist…");
        let s = snippet("Welding", "WELD", 3).unwrap();
        assert_eq!(
            (s.before.as_str(), s.hit.as_str(), s.after.as_str()),
            ("", "Weld", "ing")
        );
        assert!(snippet("nothing here", "cnc", 10).is_none());
        assert!(snippet("text", "  ", 10).is_none());
        // Non-ASCII text keeps character positions.
        let s = snippet("Ça marche: Éducation", "éduc", 4).unwrap();
        assert_eq!(s.hit, "Éduc");
    }

    #[test]
    fn agreement_files_are_typed_by_extension_and_named_safely() {
        assert_eq!(agreement_file_type("DSA signed.PDF"), Ok("application/pdf"));
        assert!(
            agreement_file_type("agreement.exe")
                .unwrap_err()
                .contains("pdf, docx")
        );
        assert!(agreement_file_type("noextension").is_err());
        assert_eq!(
            clean_file_name("C:\\Users\\me\\dsa \"v2\".pdf"),
            "dsa v2.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(""), "agreement");
        let long = format!("{}.pdf", "a".repeat(200));
        let c = clean_file_name(&long);
        assert!(c.ends_with(".pdf") && c.chars().count() < 120, "{c}");
    }
}
