//! The JSON API under `/api/v1`: regions, target-industry tables, occupations and the shortlist of
//! a partnership, for analysts' own tools.
//!
//! - **Authentication**: `Authorization: Bearer skt_…` only. Tokens are created by members (the
//!   tokens page, or `sectorkit token create`), scoped to one partnership and a role, revocable,
//!   optionally expiring; the database keeps their SHA-256. Session cookies are ignored here, so
//!   the CSRF check does not apply to `/api/` (a browser never sends a bearer token by itself).
//! - **Authorization**: the same [`crate::policy::POLICIES`] table as the pages, with
//!   [`crate::policy::Policy::Token`]: the policy layer resolves the token, checks that `{pid}` is
//!   the token's partnership (another partnership's id is a 404, as for pages), and caps the
//!   token's role by its user's current role.
//! - **Errors** are JSON (`{"error": {status, title, message, request_id}}`), never an HTML page or
//!   a redirect: [`crate::error::error_page_layer`] renders every error under `/api/` as
//!   [`ApiError`].
//! - **Pagination**: lists return `{items, next}`; `next` is the URL of the next page (same query,
//!   a new `cursor`) or `null` on the last page. `limit` is 1–1000 (default 100).
//! - **OpenAPI**: the document at `/api/v1/openapi.json` is generated from these handlers and types
//!   by `utoipa` ([`ApiDoc`]); a test checks that it names exactly the registered API routes, and
//!   CI runs schemathesis against it.
//!
//! Query parameters are validated exactly as the document describes them (a value the schema
//! allows is never refused as malformed; one it forbids is a 400). What a schema cannot say —
//! a period with no data (404), weights that are all zero (422) — is answered with the status the
//! document lists for it.

mod dto;

pub use dto::*;

use crate::AppState;
use crate::error::AppError;
use crate::handlers::region::{default_period, periods_for};
use crate::policy::Tenant;
use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use sectorkit_core::codes::{IndustryLevel, Ownership, Period};
use sectorkit_core::rank::{PerFactor, Weights};
use sectorkit_engine::EngineError;
use sectorkit_engine::occupations::{OccupationRequest, compute_occupations};
use sectorkit_engine::targets::{TargetRequest, compute_targets};
use sectorkit_store::{ApiTokenAuth, Region};
use serde::Deserialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
/// The token format: this prefix and 64 hex digits.
pub const TOKEN_PREFIX: &str = "skt_";
/// Default and largest page size.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// A period in a query: a year (`2020`) or a quarter (`2020Q1`), years 1975–2099 (QCEW's NAICS
/// series starts in 1975 for SIC and 1990 for NAICS; any later year is accepted).
pub const PERIOD_PATTERN: &str = "^(19[7-9][0-9]|20[0-9][0-9])(Q[1-4])?$";
/// A base period, or `none` for no growth columns.
pub const BASE_PATTERN: &str = "^((19[7-9][0-9]|20[0-9][0-9])(Q[1-4])?|none)$";
/// A page cursor (opaque to clients).
pub const CURSOR_PATTERN: &str = "^[0-9]{1,9}$";
/// NAICS codes (2–6 digits, or a range sector such as `31-33`), comma-separated, or `shortlist`.
pub const INDUSTRY_PATTERN: &str =
    "^(shortlist|([0-9]{2,6}|[0-9]{2}-[0-9]{2})(,([0-9]{2,6}|[0-9]{2}-[0-9]{2})){0,49})$";

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "sectorkit API",
        version = "1",
        description = "Read a partnership's regions, target-industry tables (BLS QCEW figures with \
                       suppression kept as unknown, never zero), occupations and shortlist. \
                       Authenticate with `Authorization: Bearer <token>`; create tokens on the \
                       partnership's API tokens page or with `sectorkit token create`."
    ),
    paths(
        openapi_json,
        partnership,
        regions,
        region,
        targets,
        shortlist,
        occupations
    ),
    modifiers(&BearerAuth),
    tags((name = "sectorkit", description = "Regional needs assessment data"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`skt_` and 64 hex digits) scoped to one partnership",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as JSON text, built once.
pub fn openapi_text() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serializes")
    })
}

/// `GET /api/v1/openapi.json`.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "sectorkit",
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
pub async fn openapi_json() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        openapi_text(),
    )
        .into_response()
}

// ---- helpers ----------------------------------------------------------------------------------

/// A query-string or path problem: 400 with what and where.
fn bad(what: impl Into<String>) -> AppError {
    AppError::BadRequest(what.into())
}

fn engine_error(e: EngineError) -> AppError {
    match e {
        EngineError::Store(e) => e.into(),
        other => AppError::Unprocessable(other.to_string()),
    }
}

fn check_pattern(name: &str, value: &str, ok: bool, expected: &str) -> Result<(), AppError> {
    if ok {
        Ok(())
    } else {
        Err(bad(format!(
            "query parameter `{name}`: {value:?} is not {expected}"
        )))
    }
}

fn is_period(s: &str) -> bool {
    let (y, q) = match s.split_once('Q') {
        Some((y, q)) => (y, Some(q)),
        None => (s, None),
    };
    y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && (("1970".."2100").contains(&y))
        && q.is_none_or(|q| matches!(q, "1" | "2" | "3" | "4"))
}

fn parse_period_param(name: &str, s: &str) -> Result<Period, AppError> {
    check_pattern(name, s, is_period(s), "a year (2020) or a quarter (2020Q1)")?;
    s.parse::<Period>()
        .map_err(|e| bad(format!("query parameter `{name}`: {e}")))
}

/// Page size and cursor, shared by every list.
#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–1000 (default 100).
    #[param(minimum = 1, maximum = 1000, nullable = false, example = 20)]
    pub limit: Option<u32>,
    /// Where the page starts: the `cursor` of a `next` URL (opaque).
    #[param(pattern = "^[0-9]{1,9}$", nullable = false)]
    pub cursor: Option<String>,
}

/// One page of `items` and the URL of the next page.
fn paginate<T>(
    items: Vec<T>,
    p: &PageParams,
    uri: &Uri,
) -> Result<(Vec<T>, Option<String>), AppError> {
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(format!(
            "query parameter `limit`: {limit} is outside 1–{MAX_LIMIT}"
        )));
    }
    let start: usize = match p.cursor.as_deref() {
        None => 0,
        Some(c) => {
            check_pattern(
                "cursor",
                c,
                !c.is_empty() && c.len() <= 9 && c.bytes().all(|b| b.is_ascii_digit()),
                "a cursor from a `next` URL",
            )?;
            c.parse()
                .map_err(|_| bad("query parameter `cursor` is not valid"))?
        }
    };
    let total = items.len();
    let end = start.saturating_add(limit as usize).min(total);
    let page: Vec<T> = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let next = (end < total).then(|| {
        let mut pairs: Vec<(String, String)> = uri
            .query()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        pairs.retain(|(k, _)| k != "cursor");
        pairs.push(("cursor".into(), end.to_string()));
        format!(
            "{}?{}",
            uri.path(),
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    Ok((page, next))
}

/// A 404 when no QCEW data for `period` covers every county of the region.
fn no_data_404(periods: &[Period], period: Period) -> Result<(), AppError> {
    if periods.contains(&period) {
        return Ok(());
    }
    Err(AppError::NotFoundBecause(format!(
        "No QCEW data for {period} covers every county of this region. Periods with data: {}.",
        if periods.is_empty() {
            "none".to_string()
        } else {
            periods
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
    )))
}

async fn region_of(state: &AppState, tenant: &Tenant, rid: i64) -> Result<Region, AppError> {
    state
        .store
        .region(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)
}

// ---- partnership --------------------------------------------------------------------------------

/// `GET /api/v1/partnerships/{pid}`: the partnership and what the token may do in it.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}",
    operation_id = "partnership",
    tag = "sectorkit",
    params(("pid" = i64, Path, minimum = 1, description = "Partnership id (the token's partnership)", example = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The partnership", body = PartnershipOut),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No token, or a token that is unknown, revoked or expired", body = ApiError),
        (status = 404, description = "Not the token's partnership", body = ApiError),
    )
)]
pub async fn partnership(
    State(state): State<AppState>,
    tenant: Tenant,
    Extension(token): Extension<ApiTokenAuth>,
    Path(_pid): Path<i64>,
) -> Result<Json<PartnershipOut>, AppError> {
    let p = state.store.partnership(tenant.id).await?;
    Ok(Json(PartnershipOut {
        id: p.id.0,
        slug: p.slug,
        name: p.name,
        description: p.description,
        role: tenant.role.into(),
        token: TokenOut {
            name: token.name.clone(),
            role: token.token_role.into(),
            expires_at: token.expires_at,
            user: token.user.name.clone(),
        },
    }))
}

// ---- regions ------------------------------------------------------------------------------------

/// `GET /api/v1/partnerships/{pid}/regions`.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}/regions",
    operation_id = "regions",
    tag = "sectorkit",
    params(("pid" = i64, Path, minimum = 1, description = "Partnership id", example = 1), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The partnership's saved regions, primary first", body = RegionPage),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No valid token", body = ApiError),
        (status = 404, description = "Not the token's partnership", body = ApiError),
    )
)]
pub async fn regions(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(_pid): Path<i64>,
    Query(page): Query<PageParams>,
    uri: Uri,
) -> Result<Json<RegionPage>, AppError> {
    let mut all = state.store.regions(tenant.id).await?;
    all.sort_by_key(|r| (!r.is_primary, r.id));
    let (items, next) = paginate(all, &page, &uri)?;
    Ok(Json(RegionPage {
        items: items.iter().map(RegionOut::from).collect(),
        next,
    }))
}

/// `GET /api/v1/partnerships/{pid}/regions/{rid}`.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}/regions/{rid}",
    operation_id = "region",
    tag = "sectorkit",
    params(
        ("pid" = i64, Path, minimum = 1, description = "Partnership id", example = 1),
        ("rid" = i64, Path, description = "Region id", example = 1),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The region and the periods with data for all its counties", body = RegionDetail),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No valid token", body = ApiError),
        (status = 404, description = "No such region in this partnership", body = ApiError),
    )
)]
pub async fn region(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, rid)): Path<(i64, i64)>,
) -> Result<Json<RegionDetail>, AppError> {
    let r = region_of(&state, &tenant, rid).await?;
    let periods = periods_for(&state, &r).await?;
    let default = default_period(&state, &periods).await?;
    Ok(Json(RegionDetail {
        region: RegionOut::from(&r),
        periods: periods.iter().map(|p| p.to_string()).collect(),
        default_period: default.map(|p| p.to_string()),
    }))
}

// ---- target table -------------------------------------------------------------------------------

/// Settings of a target-industry table (all optional; the defaults are the page's).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetParams {
    /// A year (`2020`) or quarter (`2020Q1`). Default: the newest period with data for every
    /// county of the region, preferring one with national data (for location quotients).
    #[param(
        pattern = "^(19[7-9][0-9]|20[0-9][0-9])(Q[1-4])?$",
        nullable = false,
        example = "2020Q1"
    )]
    pub period: Option<String>,
    /// Base period of the growth columns, or `none`. Default: a year before `period` (BLS's
    /// over-the-year change when that year is not loaded).
    #[param(
        pattern = "^((19[7-9][0-9]|20[0-9][0-9])(Q[1-4])?|none)$",
        nullable = false
    )]
    pub base: Option<String>,
    /// Ownership: 0 total covered, 1 federal, 2 state, 3 local government, 5 private (default).
    #[param(schema_with = ownership_schema)]
    pub own: Option<u8>,
    /// Industry level: `supersector`, `sector`, or NAICS digits `3` (default) to `6`.
    #[param(schema_with = level_schema)]
    pub level: Option<String>,
    /// Weight of employment in the score, 0–100 (default 1).
    #[param(minimum = 0, maximum = 100, nullable = false)]
    pub w_employment: Option<f64>,
    /// Weight of average pay (default 1).
    #[param(minimum = 0, maximum = 100, nullable = false)]
    pub w_pay: Option<f64>,
    /// Weight of historical growth (default 1).
    #[param(minimum = 0, maximum = 100, nullable = false)]
    pub w_growth: Option<f64>,
    /// Weight of projected growth (default 1).
    #[param(minimum = 0, maximum = 100, nullable = false)]
    pub w_proj: Option<f64>,
    /// Weight of the employment location quotient (default 1).
    #[param(minimum = 0, maximum = 100, nullable = false)]
    pub w_lq: Option<f64>,
    /// Leave industries with less employment than this out of the ranking.
    #[param(minimum = 0, maximum = 100000000, nullable = false)]
    pub min_emp: Option<f64>,
    /// How many industries count as the top N (1–100, default 10).
    #[param(minimum = 1, maximum = 100, nullable = false)]
    pub top: Option<u32>,
    /// Estimate suppressed cells (METHODS §2.2), labelled, never replacing published values.
    #[param(nullable = false)]
    pub estimates: Option<bool>,
}

/// The ownership codes the API accepts: total covered, federal, state, local, private.
pub const OWNERSHIPS: [u8; 5] = [0, 1, 2, 3, 5];

fn ownership_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .enum_values(Some(OWNERSHIPS))
        .description(Some(
            "Ownership: 0 total covered, 1 federal, 2 state, 3 local government, 5 private \
             (default)",
        ))
        .build()
}

/// The level values the API accepts (a subset of what the CLI reads, spelled one way).
pub const LEVELS: [&str; 6] = ["supersector", "sector", "3", "4", "5", "6"];

fn level_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(LEVELS))
        .description(Some(
            "Industry level: `supersector`, `sector`, or NAICS digits `3` (default) to `6`",
        ))
        .build()
}

fn target_request(
    region: &Region,
    q: &TargetParams,
    period: Period,
) -> Result<TargetRequest, AppError> {
    let mut req = TargetRequest::new(region.counties.clone(), period);
    req.base_period = match q.base.as_deref() {
        None => Some(period.previous_year()),
        Some("none") => None,
        Some(b) => Some(parse_period_param("base", b)?),
    };
    if let Some(o) = q.own {
        if !OWNERSHIPS.contains(&o) {
            return Err(bad(format!(
                "query parameter `own`: {o} is not 0, 1, 2, 3 or 5"
            )));
        }
        req.ownership = Ownership::from_code(o)
            .map_err(|_| bad(format!("query parameter `own`: {o} is not 0, 1, 2, 3 or 5")))?;
    }
    if let Some(l) = q.level.as_deref() {
        if !LEVELS.contains(&l) {
            return Err(bad(format!(
                "query parameter `level`: {l:?} is not one of {}",
                LEVELS.join(", ")
            )));
        }
        req.level = l
            .parse::<IndustryLevel>()
            .map_err(|e| bad(format!("query parameter `level`: {e}")))?;
    }
    let weight = |name: &str, v: Option<f64>| -> Result<f64, AppError> {
        match v {
            None => Ok(1.0),
            Some(w) if w.is_finite() && (0.0..=100.0).contains(&w) => Ok(w),
            Some(w) => Err(bad(format!(
                "query parameter `{name}`: {w} is outside 0–100"
            ))),
        }
    };
    let w = PerFactor {
        employment: weight("w_employment", q.w_employment)?,
        avg_pay: weight("w_pay", q.w_pay)?,
        hist_growth: weight("w_growth", q.w_growth)?,
        proj_growth: weight("w_proj", q.w_proj)?,
        lq: weight("w_lq", q.w_lq)?,
    };
    req.weights = Some(Weights::new(w).map_err(|e| AppError::Unprocessable(e.to_string()))?);
    if let Some(m) = q.min_emp {
        if !(m.is_finite() && (0.0..=1e8).contains(&m)) {
            return Err(bad(format!(
                "query parameter `min_emp`: {m} is outside 0–100000000"
            )));
        }
        req.min_employment = (m > 0.0).then_some(m);
    }
    if let Some(t) = q.top {
        if !(1..=100).contains(&t) {
            return Err(bad(format!("query parameter `top`: {t} is outside 1–100")));
        }
        req.top = t as usize;
    } else {
        req.top = 10;
    }
    req.estimates = q.estimates.unwrap_or(false);
    Ok(req)
}

/// `GET /api/v1/partnerships/{pid}/regions/{rid}/targets`.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}/regions/{rid}/targets",
    operation_id = "targets",
    tag = "sectorkit",
    params(
        ("pid" = i64, Path, minimum = 1, description = "Partnership id", example = 1),
        ("rid" = i64, Path, description = "Region id", example = 1),
        TargetParams,
        PageParams,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The target-industry table: ranked industries in order of score, then the unranked ones by code", body = TargetTableOut),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No valid token", body = ApiError),
        (status = 404, description = "No such region, or no data for the period", body = ApiError),
        (status = 422, description = "Settings the table cannot be computed with (for example every weight 0, or a base period that is not loaded)", body = ApiError),
    )
)]
pub async fn targets(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, rid)): Path<(i64, i64)>,
    Query(q): Query<TargetParams>,
    Query(page): Query<PageParams>,
    uri: Uri,
) -> Result<Json<TargetTableOut>, AppError> {
    let region = region_of(&state, &tenant, rid).await?;
    let periods = periods_for(&state, &region).await?;
    let period = match q.period.as_deref() {
        Some(p) => parse_period_param("period", p)?,
        None => default_period(&state, &periods).await?.ok_or_else(|| {
            AppError::NotFoundBecause(
                "No QCEW data is loaded for every county of this region yet.".into(),
            )
        })?,
    };
    no_data_404(&periods, period)?;
    let req = target_request(&region, &q, period)?;
    let (table, _) = compute_targets(Some(&state.store), &req, None)
        .await
        .map_err(engine_error)?;
    let shortlisted: std::collections::BTreeSet<(String, u8)> = state
        .store
        .shortlist(tenant.id)
        .await?
        .into_iter()
        .map(|s| (s.industry_code, s.own_code as u8))
        .collect();
    let mut rows: Vec<&sectorkit_core::targets::TargetRow> = table.rows.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.ranking
                .as_ref()
                .and_then(|k| k.position)
                .unwrap_or(usize::MAX),
            r.industry_code.as_str().to_string(),
        )
    });
    let total = rows.len();
    let (rows, next) = paginate(rows, &page, &uri)?;
    Ok(Json(TargetTableOut {
        region_id: region.id,
        region_name: region.name.clone(),
        counties: region.county_list().iter().map(|s| s.to_string()).collect(),
        period: table.period.to_string(),
        base_period: table.base_period.map(|p| p.to_string()),
        ownership: table.ownership.code(),
        level: table.level.as_str().to_string(),
        lq_convention: table.lq_convention.label().to_string(),
        region_employment: FigureOut::from(&table.region_employment),
        hachman: finite(table.hachman),
        estimated_employment_share: finite(table.estimated_employment_share),
        notes: table.notes.iter().map(|n| n.to_string()).collect(),
        total,
        items: rows
            .into_iter()
            .map(|r| {
                let on = shortlisted
                    .contains(&(r.industry_code.as_str().to_string(), r.own_code.code()));
                TargetRowOut::new(r, on)
            })
            .collect(),
        next,
    }))
}

// ---- shortlist ----------------------------------------------------------------------------------

/// `GET /api/v1/partnerships/{pid}/shortlist`.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}/shortlist",
    operation_id = "shortlist",
    tag = "sectorkit",
    params(("pid" = i64, Path, minimum = 1, description = "Partnership id", example = 1), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The shortlisted target industries with why they were picked and the figures they were picked on", body = ShortlistPage),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No valid token", body = ApiError),
        (status = 404, description = "Not the token's partnership", body = ApiError),
    )
)]
pub async fn shortlist(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(_pid): Path<i64>,
    Query(page): Query<PageParams>,
    uri: Uri,
) -> Result<Json<ShortlistPage>, AppError> {
    let all = state.store.shortlist(tenant.id).await?;
    let (items, next) = paginate(all, &page, &uri)?;
    Ok(Json(ShortlistPage {
        items: items.iter().map(ShortlistOut::from).collect(),
        next,
    }))
}

// ---- occupations --------------------------------------------------------------------------------

/// What occupation table to compute.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccupationParams {
    /// Region id (default: the primary region).
    #[param(nullable = false)]
    pub region: Option<i64>,
    /// NAICS codes, comma-separated, or `shortlist` (default: the first shortlisted industry).
    #[param(
        pattern = "^(shortlist|([0-9]{2,6}|[0-9]{2}-[0-9]{2})(,([0-9]{2,6}|[0-9]{2}-[0-9]{2})){0,49})$",
        nullable = false,
        example = "524"
    )]
    pub industry: Option<String>,
    /// QCEW period of the regional employment (default: the newest loaded for the region).
    #[param(
        pattern = "^(19[7-9][0-9]|20[0-9][0-9])(Q[1-4])?$",
        nullable = false,
        example = "2020Q1"
    )]
    pub period: Option<String>,
    /// Scale the published occupation shares to 100% instead of keeping the unallocated line.
    #[param(nullable = false)]
    pub renormalise: Option<bool>,
    /// Use labelled estimates for suppressed regional employment.
    #[param(nullable = false)]
    pub estimates: Option<bool>,
}

fn is_industry_list(s: &str) -> bool {
    s == "shortlist"
        || (!s.is_empty()
            && s.split(',').count() <= 50
            && s.split(',').all(|c| {
                let b = c.as_bytes();
                (2..=6).contains(&b.len()) && b.iter().all(u8::is_ascii_digit)
                    || (b.len() == 5
                        && b[2] == b'-'
                        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit))
            }))
}

/// `GET /api/v1/partnerships/{pid}/occupations`.
#[utoipa::path(
    get,
    path = "/api/v1/partnerships/{pid}/occupations",
    operation_id = "occupations",
    tag = "sectorkit",
    params(("pid" = i64, Path, minimum = 1, description = "Partnership id", example = 1), OccupationParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The occupations the industries employ in the region (OEWS staffing patterns applied to QCEW employment), largest first, with wages, projections and education", body = OccupationsOut),
        (status = 400, description = "A malformed parameter", body = ApiError),
        (status = 401, description = "No valid token", body = ApiError),
        (status = 404, description = "No such region, or no region or industry to compute for", body = ApiError),
        (status = 422, description = "The table cannot be computed (for example no OEWS data, or an industry code that does not exist)", body = ApiError),
    )
)]
pub async fn occupations(
    State(state): State<AppState>,
    tenant: Tenant,
    Path(_pid): Path<i64>,
    Query(q): Query<OccupationParams>,
    Query(page): Query<PageParams>,
    uri: Uri,
) -> Result<Json<OccupationsOut>, AppError> {
    let regions = state.store.regions(tenant.id).await?;
    let region = match q.region {
        Some(id) => regions
            .iter()
            .find(|r| r.id == id)
            .ok_or(AppError::NotFound)?,
        None => regions
            .iter()
            .find(|r| r.is_primary)
            .or(regions.first())
            .ok_or_else(|| {
                AppError::NotFoundBecause("The partnership has no region yet.".into())
            })?,
    };
    let shortlist = state.store.shortlist(tenant.id).await?;
    let codes: Vec<String> = match q.industry.as_deref() {
        Some(s) => {
            check_pattern(
                "industry",
                s,
                is_industry_list(s),
                "NAICS codes separated by commas, or `shortlist`",
            )?;
            if s == "shortlist" {
                shortlist.iter().map(|s| s.industry_code.clone()).collect()
            } else {
                s.split(',').map(str::to_string).collect()
            }
        }
        None => shortlist
            .first()
            .map(|s| s.industry_code.clone())
            .into_iter()
            .collect(),
    };
    if codes.is_empty() {
        return Err(AppError::NotFoundBecause(
            "No industry: name one (`industry=6221`) or shortlist one.".into(),
        ));
    }
    let mut req = OccupationRequest::new(region.counties.clone(), codes);
    if let Some(p) = q.period.as_deref() {
        let period = parse_period_param("period", p)?;
        no_data_404(&periods_for(&state, region).await?, period)?;
        req.period = Some(period);
    }
    req.renormalise = q.renormalise.unwrap_or(false);
    req.estimates = q.estimates.unwrap_or(false);
    let mut report = compute_occupations(&state.store, &req)
        .await
        .map_err(engine_error)?;
    report.region_name = region.name.clone();
    let lines = std::mem::take(&mut report.lines);
    let total_lines = lines.len();
    let (lines, next) = paginate(lines, &page, &uri)?;
    Ok(Json(OccupationsOut::new(
        region.id,
        &report,
        total_lines,
        &lines,
        next,
    )))
}

// ---- tokens ---------------------------------------------------------------------------------

/// A new random API token (`skt_` and 64 hex digits) and the prefix lists show.
pub fn new_token() -> (String, String) {
    let token = format!("{TOKEN_PREFIX}{}", crate::auth::random_token());
    let prefix = token[..TOKEN_PREFIX.len() + 8].to_string();
    (token, prefix)
}

/// Whether text has the shape of an API token (checked before any database lookup).
pub fn looks_like_token(s: &str) -> bool {
    s.strip_prefix(TOKEN_PREFIX)
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
