//! The data panel: which QCEW datasets are loaded (vintage, period, layout, rows, suppressed
//! share, SHA-256), how well the loaded data reproduce BLS's own published columns for the
//! partnership's regions, and an upload for official QCEW files (staff only; bounded in size and
//! rows; atomic — a bad file leaves nothing behind and the message names file, line and field).

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::role::Role;
use sectorkit_engine::import::{ImportSource, import_one};
use sectorkit_store::{Dataset, ImportOutcome};
use serde::Deserialize;
use std::collections::BTreeSet;
use tokio::io::AsyncWriteExt;

/// Largest upload accepted (a national annual singlefile zip is about 100 MB; uncompressed ~1 GB
/// files should be imported with the CLI).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Largest number of rows an uploaded file may have.
pub const MAX_UPLOAD_ROWS: u64 = 5_000_000;

pub struct DatasetView {
    pub id: i64,
    pub file_name: String,
    pub layout: String,
    pub periods: String,
    pub rows: String,
    pub suppressed: String,
    pub sha: String,
    pub source: String,
    pub imported: String,
}

fn dataset_view(d: &Dataset) -> DatasetView {
    let share = if d.rows_read > 0 {
        format!(
            "{:.1}%",
            100.0 * d.suppressed_rows as f64 / d.rows_read as f64
        )
    } else {
        "–".into()
    };
    DatasetView {
        id: d.id.0,
        file_name: d.file_name.clone(),
        layout: d.layout.clone(),
        periods: d.periods.replace(',', ", "),
        rows: crate::format_count(d.rows_read as f64),
        suppressed: share,
        sha: d.sha256.clone(),
        source: d.source.clone(),
        imported: crate::templates::datetime(&d.imported_at),
    }
}

pub struct CheckView {
    pub column: String,
    pub agreeing: String,
    pub checked: String,
    pub share: String,
    pub not_checkable: u64,
    pub worst: Vec<String>,
}

#[derive(Template)]
#[template(path = "data.html")]
pub struct DataTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub can_upload: bool,
    pub datasets: Vec<DatasetView>,
    pub checks: Vec<CheckView>,
    pub mixed_vintages: bool,
    pub verified_areas: usize,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub max_mb: usize,
}

#[derive(Deserialize, Default)]
pub struct DataQuery {
    imported: Option<String>,
    skipped: Option<String>,
    /// `csv`: the datasets table as a file.
    format: Option<String>,
}

async fn view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    notice: Option<String>,
    error: Option<String>,
) -> Result<DataTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let datasets = state.store.datasets().await?;
    let areas: BTreeSet<String> = state
        .store
        .regions(tenant.id)
        .await?
        .iter()
        .flat_map(|r| {
            r.county_list()
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let areas: Vec<String> = areas.into_iter().collect();
    let report = sectorkit_engine::verify::verify_store(&state.store, &areas)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let checks = report
        .results
        .iter()
        .filter(|r| r.checked > 0)
        .map(|r| CheckView {
            column: r.check.column().to_string(),
            agreeing: crate::format_count(r.agreeing as f64),
            checked: crate::format_count(r.checked as f64),
            share: r
                .agreement_share()
                .map(|s| format!("{:.2}%", s * 100.0))
                .unwrap_or_default(),
            not_checkable: r.not_checkable,
            worst: r
                .worst
                .iter()
                .take(3)
                .map(|d| {
                    format!(
                        "{} own {} industry {} {}: sectorkit {} vs BLS {}",
                        d.area,
                        d.ownership.code(),
                        d.industry,
                        d.period,
                        d.computed,
                        d.published
                    )
                })
                .collect(),
        })
        .collect();
    Ok(DataTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "region"),
        pid: tenant.id.0,
        can_upload: tenant.role.allows(Role::Staff),
        datasets: datasets.iter().map(dataset_view).collect(),
        checks,
        mixed_vintages: report.looks_like_mixed_vintages,
        verified_areas: areas.len(),
        notice,
        error,
        max_mb: MAX_UPLOAD_BYTES / 1024 / 1024,
    })
}

pub async fn data_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<DataQuery>,
) -> Result<Response, AppError> {
    if let Some(f) = q.format.as_deref() {
        if f != "csv" {
            return Err(AppError::BadRequest(format!("format: {f:?} is not csv")));
        }
        let datasets = state.store.datasets().await?;
        return crate::handlers::downloads::csv_file(
            "sectorkit-datasets.csv",
            &[
                "id",
                "file_name",
                "periods",
                "layout",
                "rows",
                "suppressed_rows",
                "rows_replaced",
                "bytes",
                "source",
                "imported_at",
                "sha256",
            ],
            datasets.iter().map(|d| {
                vec![
                    d.id.0.to_string(),
                    d.file_name.clone(),
                    d.periods.clone(),
                    d.layout.clone(),
                    d.rows_read.to_string(),
                    d.suppressed_rows.to_string(),
                    d.rows_replaced.to_string(),
                    d.bytes.to_string(),
                    d.source.clone(),
                    crate::templates::datetime(&d.imported_at),
                    d.sha256.clone(),
                ]
            }),
        );
    }
    let notice = q.imported.map(|n| format!("Imported {n}.")).or(q
        .skipped
        .map(|n| format!("{n} was imported before: nothing changed.")));
    Ok(page(&view(&state, &auth, &tenant, notice, None).await?)?.into_response())
}

/// A file name safe to use inside our own temporary folder (no directories, no oddities).
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("upload.csv");
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "upload.csv".into()
    } else {
        cleaned
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let dir = std::env::temp_dir().join(format!(
        "sectorkit-upload-{}",
        &crate::auth::random_token()[..16]
    ));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::Internal(format!("cannot create upload folder: {e}")))?;
    let result = async {
        let mut saved = None;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(format!("the upload was cut off: {e}")))?
        {
            if field.name() != Some("file") {
                continue;
            }
            let name = safe_name(field.file_name().unwrap_or("upload.csv"));
            let path = dir.join(&name);
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| AppError::Internal(format!("cannot save the upload: {e}")))?;
            let mut size = 0usize;
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| AppError::BadRequest(format!("the upload was cut off: {e}")))?
            {
                size += chunk.len();
                if size > MAX_UPLOAD_BYTES {
                    return Err(AppError::BadRequest(format!(
                        "{name} is larger than {} MB; import large files with `sectorkit qcew import`. Nothing was imported.",
                        MAX_UPLOAD_BYTES / 1024 / 1024
                    )));
                }
                out.write_all(&chunk)
                    .await
                    .map_err(|e| AppError::Internal(format!("cannot save the upload: {e}")))?;
            }
            out.flush()
                .await
                .map_err(|e| AppError::Internal(format!("cannot save the upload: {e}")))?;
            if size == 0 {
                return Err(AppError::BadRequest(format!("{name} is empty. Nothing was imported.")));
            }
            saved = Some((path, name));
        }
        let (path, name) = saved.ok_or_else(|| AppError::BadRequest("Choose a file to upload.".into()))?;
        let origin = format!("web:{}", tenant.user.email);
        match import_one(&state.store, ImportSource::Path(path), &origin, MAX_UPLOAD_ROWS, None).await {
            Ok(ImportOutcome::Imported(_)) => Ok(Ok(format!("imported={}", crate::error::urlencode(&name)))),
            Ok(ImportOutcome::AlreadyImported(_)) => Ok(Ok(format!("skipped={}", crate::error::urlencode(&name)))),
            Err(sectorkit_engine::EngineError::Store(e)) => Err(AppError::from(e)),
            Err(e) => Ok(Err(e.to_string())),
        }
    }
    .await;
    let _ = tokio::fs::remove_dir_all(&dir).await;
    match result {
        Ok(Ok(q)) => Ok(Redirect::to(&format!("/p/{}/region/data?{q}", tenant.id)).into_response()),
        Ok(Err(msg)) | Err(AppError::BadRequest(msg)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&view(&state, &auth, &tenant, None, Some(msg)).await?)?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn upload_names_stay_in_their_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\x\\2020.q1 area.csv"), "2020.q1 area.csv");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name(""), "upload.csv");
        assert_eq!(safe_name("a;b$.csv"), "a_b_.csv");
    }
}
