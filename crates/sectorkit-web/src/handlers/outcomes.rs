//! Participant outcomes (Metrics section): the import of participant records through a column
//! mapping, and the WIOA-style indicators by exit cohort with an equity breakdown.
//!
//! Every figure shown or downloaded here goes through `sectorkit_core::outcomes::breakdown`,
//! which applies the one disclosure rule (`sectorkit_core::disclosure`) with the partnership's
//! threshold k; no page shows a participant row. Import flow: upload (bounded, staged in the
//! database) → the mapping page (the file's columns against our fields, the saved mapping
//! preselected) → confirm (mapping saved, every problem listed by line and field, or every row
//! imported in one transaction).
//!
//! Roles: members see the indicators; staff and owners import. The participant key
//! (pseudonymization secret) is drawn from the OS on first import and never shown.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::can_edit;
use crate::handlers::downloads::csv_file;
use crate::handlers::occupations::Choice;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::disclosure::Threshold;
use sectorkit_core::outcomes::{
    Breakdown, DemographicField, Indicator, ParticipantRecord, Split, breakdown_two_way,
};
use sectorkit_data::participants::{self as pfile, Field, Mapping};
use sectorkit_store::Partnership;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The largest participant file accepted.
pub const MAX_PARTICIPANT_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The family type used for the living-wage threshold (METHODS §8 default).
const DEFAULT_FAMILY: &str = "1a0c";

pub struct CellView {
    pub label: String,
    pub persons: String,
    pub value: String,
    pub gap: String,
    pub unknown: u64,
    pub suppressed: bool,
    pub note: &'static str,
}

pub struct CohortRow {
    pub cohort: String,
    pub cells: Vec<CellView>,
}

pub struct ImportView {
    pub synthetic: bool,
    pub file_name: String,
    pub when: String,
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
}

#[derive(Template)]
#[template(path = "metrics.html")]
pub struct MetricsTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub k: u32,
    pub participants: usize,
    /// The exit cohorts, newest first (the columns after "all").
    pub cohort_names: Vec<String>,
    pub cohorts: Vec<CohortRow>,
    pub programs: Vec<Choice>,
    pub fields: Vec<Choice>,
    pub indicator_choices: Vec<Choice>,
    pub breakdown_title: String,
    pub breakdown: Vec<CellView>,
    pub overall: Option<CellView>,
    pub imports: Vec<ImportView>,
    pub notice: String,
    /// Some records come from sectorkit's synthetic generator (the demo).
    pub synthetic: bool,
    pub lw_note: String,
    pub query: String,
}

fn format_value(ind: Indicator, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) if ind.is_rate() => format!("{:.1}%", x * 100.0),
        Some(x) => format!("${}", thousands(x.round() as i64)),
    }
}

fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn cell_view(ind: Indicator, c: &sectorkit_core::outcomes::Cell) -> CellView {
    let suppressed = !c.status.published();
    CellView {
        label: c.label.clone(),
        persons: if suppressed {
            "suppressed".into()
        } else {
            c.measure.persons().to_string()
        },
        value: if suppressed {
            "suppressed".into()
        } else {
            format_value(ind, c.measure.value())
        },
        gap: match c.gap {
            Some(g) if ind.is_rate() => format!("{g:+.1} pts"),
            Some(g) => format!(
                "{}${}",
                if g < 0.0 { "-" } else { "+" },
                thousands(g.abs().round() as i64)
            ),
            None => String::new(),
        },
        unknown: if suppressed { 0 } else { c.measure.unknown() },
        suppressed,
        note: c.status.label(),
    }
}

/// Sets each participant's living-wage threshold from the partnership's table: the county's
/// figure for the default family type, else the state's.
fn with_living_wages(
    mut records: Vec<ParticipantRecord>,
    table: &[sectorkit_store::LivingWageDb],
) -> (Vec<ParticipantRecord>, usize) {
    let find = |area: &str| {
        table
            .iter()
            .filter(|w| w.county_fips == area && w.family_type == DEFAULT_FAMILY)
            .max_by(|a, b| a.vintage.cmp(&b.vintage))
            .map(|w| w.hourly)
    };
    let mut with = 0;
    for r in &mut records {
        r.outcome.living_wage = r
            .county
            .as_deref()
            .and_then(|c| find(c).or_else(|| c.get(..2).and_then(|s| find(&format!("{s}000")))));
        with += usize::from(r.outcome.living_wage.is_some());
    }
    (records, with)
}

#[derive(Debug, Default, Deserialize)]
pub struct MetricsQuery {
    #[serde(default)]
    program: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    created: u64,
    #[serde(default)]
    updated: u64,
}

/// The breakdown settings of a query, checked.
fn settings(q: &MetricsQuery) -> Result<(Indicator, DemographicField), AppError> {
    let indicator = if q.indicator.is_empty() {
        Indicator::EmploymentQ2
    } else {
        Indicator::parse(&q.indicator).ok_or_else(|| {
            AppError::BadRequest(format!(
                "indicator: {:?} is not one of {}",
                q.indicator,
                Indicator::ALL.map(|i| i.code()).join(", ")
            ))
        })?
    };
    let by = if q.by.is_empty() {
        DemographicField::Sex
    } else {
        DemographicField::parse(&q.by).ok_or_else(|| {
            AppError::BadRequest(format!(
                "by: {:?} is not one of {}",
                q.by,
                DemographicField::ALL.map(|f| f.code()).join(", ")
            ))
        })?
    };
    Ok((indicator, by))
}

/// `GET /p/{pid}/metrics`: indicators by cohort and one breakdown (`?format=csv` downloads it).
pub async fn metrics_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<MetricsQuery>,
) -> Result<Response, AppError> {
    let (indicator, by) = settings(&q)?;
    let partnership = state.store.partnership(tenant.id).await?;
    let k = Threshold::DEFAULT;
    let lw = state.store.living_wages(tenant.id).await?;
    let (all, with_lw) = with_living_wages(state.store.participants(tenant.id).await?, &lw);
    let mut program_names: Vec<String> = all.iter().map(|r| r.program.clone()).collect();
    program_names.sort();
    program_names.dedup();
    if !q.program.is_empty() && !program_names.contains(&q.program) {
        return Err(AppError::BadRequest(format!(
            "program: {:?} is not one of this partnership's programs",
            q.program
        )));
    }
    // Every view is a slice of one table protected whole (groups × programs, cohorts ×
    // programs), so the program filter cannot be played against the all-programs view.
    let col_of = |t: &sectorkit_core::outcomes::TwoWayBreakdown| {
        (!q.program.is_empty())
            .then(|| t.cols.iter().position(|p| *p == q.program))
            .flatten()
    };
    let records: Vec<&ParticipantRecord> = all
        .iter()
        .filter(|r| q.program.is_empty() || r.program == q.program)
        .collect();
    let outcomes: Vec<_> = all.iter().map(|r| r.outcome.clone()).collect();
    let programs = Split::new(all.len(), |i| Some(all[i].program.clone()));
    let t = breakdown_two_way(
        indicator,
        &outcomes,
        &Split::new(all.len(), |i| by.group(&all[i].demographics)),
        &programs,
        k,
    );
    let b: Breakdown = t.slice(col_of(&t));
    let what = serde_json::json!({
        "indicator": indicator.code(), "by": by.code(), "program": q.program,
        "participants": records.len(),
    })
    .to_string();
    if !records.is_empty() {
        let action = if q.format == "csv" { "export" } else { "view" };
        state
            .store
            .record_participant_access(tenant.id, tenant.user.id, action, &what)
            .await?;
    }
    if q.format == "csv" {
        let rows = std::iter::once(&b.overall).chain(b.groups.iter()).map(|c| {
            let shown = c.status.published();
            vec![
                indicator.code().to_string(),
                by.code().to_string(),
                c.label.clone(),
                if shown {
                    c.measure.persons().to_string()
                } else {
                    String::new()
                },
                c.shown()
                    .map(|v| {
                        if indicator.is_rate() {
                            format!("{:.4}", v)
                        } else {
                            format!("{v:.2}")
                        }
                    })
                    .unwrap_or_default(),
                c.gap.map(|g| format!("{g:.2}")).unwrap_or_default(),
                c.status.code().to_string(),
            ]
        });
        return csv_file(
            &format!(
                "{}-{}-by-{}.csv",
                partnership.slug,
                indicator.code(),
                by.code()
            ),
            &[
                "indicator",
                "breakdown",
                "group",
                "persons",
                "value",
                "gap",
                "status",
            ],
            rows,
        );
    }
    // Indicators by exit cohort (newest first), each cell protected within its cohort column
    // against the all-cohorts total.
    let mut cohorts: Vec<String> = records
        .iter()
        .filter_map(|r| r.cohort().map(|c| c.to_string()))
        .collect();
    cohorts.sort();
    cohorts.dedup();
    cohorts.reverse();
    // Participants with no exit yet: the last column (only skill gains are about them).
    if records.iter().any(|r| r.cohort().is_none()) {
        cohorts.push(sectorkit_core::outcomes::NOT_REPORTED.to_string());
    }
    let mut rows = Vec::new();
    let cohort_split = Split::new(all.len(), |i| all[i].cohort().map(|c| c.to_string()));
    for ind in Indicator::ALL {
        let t = breakdown_two_way(ind, &outcomes, &cohort_split, &programs, k);
        let bd = t.slice(col_of(&t));
        let mut cells = vec![cell_view(ind, &bd.overall)];
        for c in &cohorts {
            match bd.groups.iter().find(|g| &g.label == c) {
                Some(g) => cells.push(cell_view(ind, g)),
                None => cells.push(CellView {
                    label: c.clone(),
                    persons: "0".into(),
                    value: "—".into(),
                    gap: String::new(),
                    unknown: 0,
                    suppressed: false,
                    note: "",
                }),
            }
        }
        rows.push(CohortRow {
            cohort: ind.label().to_string(),
            cells,
        });
    }
    let imports: Vec<ImportView> = state
        .store
        .participant_imports(tenant.id)
        .await?
        .into_iter()
        .map(|i| ImportView {
            synthetic: i.synthetic,
            file_name: i.file_name,
            when: sectorkit_core::day::Day::from_unix(i.imported_at).to_string(),
            rows: i.rows_read,
            created: i.created,
            updated: i.updated,
        })
        .collect();
    let synthetic = imports.iter().any(|i: &ImportView| i.synthetic);
    let notice = match q.notice.as_str() {
        "imported" => format!(
            "Imported: {} new participant records, {} updated.",
            q.created, q.updated
        ),
        _ => String::new(),
    };
    let choices = |items: Vec<(String, String)>, sel: &str| -> Vec<Choice> {
        items
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == sel,
                value,
                label,
            })
            .collect()
    };
    let t = MetricsTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "metrics"),
        pid: tenant.id.0,
        can_edit: can_edit(&tenant),
        k: k.get(),
        participants: records.len(),
        cohort_names: cohorts
            .iter()
            .map(|c| {
                if c == sectorkit_core::outcomes::NOT_REPORTED {
                    "not exited yet".to_string()
                } else {
                    c.clone()
                }
            })
            .collect(),
        cohorts: rows,
        programs: choices(
            program_names
                .iter()
                .map(|p| (p.clone(), p.clone()))
                .collect(),
            &q.program,
        ),
        fields: choices(
            DemographicField::ALL
                .iter()
                .map(|f| (f.code().to_string(), f.label().to_string()))
                .collect(),
            by.code(),
        ),
        indicator_choices: choices(
            Indicator::ALL
                .iter()
                .map(|i| (i.code().to_string(), i.label().to_string()))
                .collect(),
            indicator.code(),
        ),
        breakdown_title: format!("{} by {}", indicator.label(), by.label().to_lowercase()),
        overall: Some(cell_view(indicator, &b.overall)),
        breakdown: b.groups.iter().map(|c| cell_view(indicator, c)).collect(),
        imports,
        notice,
        synthetic,
        lw_note: if lw.is_empty() {
            "No living-wage table yet: import one on the Occupations page to compute placements at or above a living wage.".into()
        } else {
            format!(
                "Living-wage thresholds: the county's figure for one adult with no children (else the state's); {with_lw} of {} participants have one.",
                all.len()
            )
        },
        query: format!(
            "program={}&by={}&indicator={}",
            urlencode(&q.program),
            by.code(),
            indicator.code()
        ),
        partnership,
    };
    Ok(page(&t)?.into_response())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ----- import -----

/// `POST /p/{pid}/metrics/participants`: stages the file and opens its mapping page.
pub async fn upload_participants(
    State(state): State<AppState>,
    tenant: Tenant,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let got = crate::handlers::uploads::read_file(
        &mut multipart,
        |n| crate::handlers::plan_records::clean_file_name(n.unwrap_or("participants.csv")),
        MAX_PARTICIPANT_FILE_BYTES,
        |name| {
            format!(
                "{name} is larger than {} MiB (the limit of one import). Nothing was saved.",
                MAX_PARTICIPANT_FILE_BYTES / (1024 * 1024)
            )
        },
    )
    .await?;
    let (name, data) =
        got.ok_or_else(|| AppError::BadRequest("Choose a file to import.".into()))?;
    // Read it once now so a file that is not a table is refused here, not on the next page.
    if let Err(errors) = pfile::read_sheet(&name, &data) {
        return Err(AppError::BadRequest(format!(
            "{}. Nothing was saved.",
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let id = state
        .store
        .stage_participant_upload(tenant.id, &name, &data, tenant.user.id)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/metrics/participants/{id}", tenant.id)).into_response())
}

pub struct MapRow {
    pub code: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub options: Vec<Choice>,
}

pub struct ErrorView {
    pub line: String,
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "participants_map.html")]
pub struct MapTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub upload_id: i64,
    pub file_name: String,
    pub read_as: String,
    pub rows: usize,
    pub fields: Vec<MapRow>,
    pub errors: Vec<ErrorView>,
    pub more_errors: bool,
}

/// A staged upload of the partnership, read: its name, bytes and cells.
async fn staged(
    state: &AppState,
    tenant: &Tenant,
    upload_id: i64,
) -> Result<(String, Vec<u8>, pfile::Sheet), AppError> {
    let (name, data) = state
        .store
        .participant_upload(tenant.id, upload_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sheet = pfile::read_sheet(&name, &data).map_err(|e| {
        AppError::BadRequest(
            e.into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok((name, data, sheet))
}

#[allow(clippy::too_many_arguments)]
async fn map_page(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    upload_id: i64,
    name: String,
    sheet: &pfile::Sheet,
    chosen: Option<Mapping>,
    errors: Vec<pfile::RowError>,
) -> Result<MapTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let mapping = match chosen {
        Some(m) => m,
        None => {
            let saved = Mapping::from_pairs(&state.store.participant_mapping(tenant.id).await?);
            Mapping::suggest(&sheet.headers, &saved)
        }
    };
    let fields = Field::ALL
        .iter()
        .map(|&f| {
            let sel = mapping.0.get(&f).cloned().unwrap_or_default();
            let mut options = vec![Choice {
                value: String::new(),
                label: "— not in this file —".into(),
                selected: sel.is_empty(),
            }];
            options.extend(
                sheet
                    .headers
                    .iter()
                    .filter(|h| !h.is_empty())
                    .map(|h| Choice {
                        selected: *h == sel,
                        value: h.clone(),
                        label: h.clone(),
                    }),
            );
            MapRow {
                code: f.code(),
                label: f.label(),
                required: f.required(),
                options,
            }
        })
        .collect();
    let more_errors = errors.len() >= pfile::MAX_ERRORS;
    Ok(MapTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "metrics"),
        pid: tenant.id.0,
        upload_id,
        file_name: name,
        read_as: sheet.read_as.clone(),
        rows: sheet.rows.len(),
        fields,
        errors: errors
            .into_iter()
            .map(|e| ErrorView {
                line: if e.line == 0 {
                    "file".into()
                } else {
                    e.line.to_string()
                },
                field: e.field,
                message: e.message,
            })
            .collect(),
        more_errors,
        partnership,
    })
}

/// `GET /p/{pid}/metrics/participants/{uid}`: the mapping of a staged file.
pub async fn mapping_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, uid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (name, _, sheet) = staged(&state, &tenant, uid).await?;
    let t = map_page(&state, &auth, &tenant, uid, name, &sheet, None, Vec::new()).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/metrics/participants/{uid}`: saves the mapping and imports the file, all or
/// nothing.
pub async fn confirm_import(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, uid)): Path<(i64, i64)>,
    body: axum::extract::RawForm,
) -> Result<Response, AppError> {
    let p = crate::handlers::plan::pairs(&body);
    let pairs: Vec<(String, String)> = Field::ALL
        .iter()
        .map(|f| {
            (
                f.code().to_string(),
                crate::handlers::plan::one(&p, &format!("map_{}", f.code())).to_string(),
            )
        })
        .collect();
    let mapping = Mapping::from_pairs(&pairs);
    let (name, data, sheet) = staged(&state, &tenant, uid).await?;
    // The mapping is kept even when the file has problems: it is what the user chose.
    state
        .store
        .save_participant_mapping(tenant.id, &mapping.to_pairs(), tenant.user.id)
        .await?;
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let key = state.store.partnership_hmac_key(tenant.id, &fresh).await?;
    let today = crate::handlers::convening::today();
    match pfile::parse(&sheet, &mapping, &key, today) {
        Err(errors) => {
            let t = map_page(
                &state,
                &auth,
                &tenant,
                uid,
                name,
                &sheet,
                Some(mapping),
                errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
        Ok(parsed) => {
            let sha = hex::encode(Sha256::digest(&data));
            let counts = state
                .store
                .import_participants(
                    tenant.id,
                    Some(uid),
                    &name,
                    &sha,
                    false,
                    sheet.rows.len(),
                    &parsed.records,
                    tenant.user.id,
                )
                .await?;
            Ok(Redirect::to(&format!(
                "/p/{}/metrics?notice=imported&created={}&updated={}",
                tenant.id, counts.created, counts.updated
            ))
            .into_response())
        }
    }
}
