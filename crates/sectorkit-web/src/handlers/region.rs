//! Region & industries: the partnership's saved regions, the target-industry table for a region
//! (settings on the page, sortable, START-style highlighting, honest suppression marks, the
//! sensitivity report) and the shortlist of target industries.
//!
//! Numbers come from `sectorkit_engine::targets::compute_targets`, the same call the CLI's
//! `sectorkit targets` makes, so the page and the terminal always agree.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::downloads::{
    ChartLinks, chart_file, csv_file, download_href, is_chart_format, num, unknown_chart,
    unknown_table,
};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::codes::{IndustryLevel, Ownership, Period};
use sectorkit_core::rank::{Factor, PerFactor, Weights};
use sectorkit_core::role::Role;
use sectorkit_core::targets::{TargetRow, TargetTable};
use sectorkit_data::geo::Geography;
use sectorkit_engine::table::figure_value;
use sectorkit_engine::targets::{TargetRequest, compute_targets};
use sectorkit_store::{NewShortlistItem, Region, ShortlistItem, StoreError};
use serde::Deserialize;
use std::collections::BTreeSet;

// ---- formatting helpers (used by the templates) ------------------------------------------------

/// `1234567.8` → `1,234,568`.
pub fn thousands(x: f64) -> String {
    let neg = x < 0.0;
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

pub(crate) fn money(x: Option<f64>) -> String {
    x.map(|v| format!("${}", thousands(v))).unwrap_or_default()
}

pub(crate) fn fixed(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:.d$}")).unwrap_or_default()
}

// ---- the region home -------------------------------------------------------------------------

pub struct RegionView {
    pub id: i64,
    pub name: String,
    pub codes: String,
    pub county_names: String,
    pub county_count: usize,
    pub is_primary: bool,
}

pub(crate) fn region_view(r: &Region) -> RegionView {
    let geo = Geography::embedded();
    let names: Vec<String> = r
        .county_list()
        .iter()
        .map(|c| geo.title(c).unwrap_or(c).to_string())
        .collect();
    RegionView {
        id: r.id,
        name: r.name.clone(),
        codes: r.codes.clone(),
        county_count: names.len(),
        county_names: names.join("; "),
        is_primary: r.is_primary,
    }
}

pub struct Option2 {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "region_home.html")]
pub struct RegionHomeTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub can_edit: bool,
    pub regions: Vec<RegionView>,
    pub shortlist: Vec<ShortlistItem>,
    pub metros: Vec<Option2>,
    pub states: Vec<Option2>,
    pub search: String,
    pub search_results: Vec<Option2>,
    pub form_name: String,
    pub form_codes: String,
    pub error_name: Option<String>,
    pub error_codes: Option<String>,
    pub datasets: usize,
    pub map_svg: String,
    pub mapstate: String,
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    codes: String,
    /// A county clicked on the map: added to `codes`, or removed when already there.
    #[serde(default)]
    toggle: String,
    /// Two-digit state FIPS of the map.
    #[serde(default)]
    mapstate: String,
    /// `csv` with `table=regions` (default) or `table=shortlist`.
    format: Option<String>,
    table: Option<String>,
}

/// Adds `fips` to a comma list of codes, or removes it when present.
pub fn toggle_code(codes: &str, fips: &str) -> String {
    let mut list: Vec<String> = codes
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(i) = list.iter().position(|c| c == fips) {
        list.remove(i);
    } else {
        list.push(fips.to_string());
    }
    list.join(",")
}

/// The county map of the region builder: one state, the counties in `codes` selected, each
/// county a plain link that toggles it (works without JavaScript).
fn builder_map(pid: i64, state_fips: &str, codes: &str) -> String {
    let geo = Geography::embedded();
    let selected: Vec<String> = sectorkit_data::geo::resolve_region(codes)
        .map(|r| r.counties.iter().map(|c| c.as_str().to_string()).collect())
        .unwrap_or_default();
    let state_name = geo
        .title(&format!("{state_fips}000"))
        .unwrap_or(state_fips)
        .trim_end_matches(" -- Statewide")
        .to_string();
    let names = |fips: &str| geo.title(fips).map(str::to_string);
    let link = format!(
        "/p/{pid}/region?mapstate={state_fips}&codes={}&toggle={{fips}}#map",
        crate::error::urlencode(codes)
    );
    sectorkit_charts::county_map(&sectorkit_charts::MapRequest {
        title: format!("Counties of {state_name}: click to add or remove"),
        states: vec![state_fips.to_string()],
        selected,
        county_name: Some(&names),
        link_template: Some(link),
        width: 640.0,
        ..sectorkit_charts::MapRequest::default()
    })
}

fn metro_options() -> Vec<Option2> {
    let geo = Geography::embedded();
    let mut v: Vec<Option2> = geo
        .cbsas()
        .iter()
        .filter(|c| c.kind == sectorkit_data::geo::CbsaKind::Metropolitan)
        .map(|c| Option2 {
            value: c.qcew_code.clone(),
            label: c.title.clone(),
        })
        .collect();
    v.sort_by(|a, b| a.label.cmp(&b.label));
    v
}

fn state_options() -> Vec<Option2> {
    let geo = Geography::embedded();
    let mut states = BTreeSet::new();
    for c in geo.counties() {
        if let Some(s) = c.fips.state_fips() {
            states.insert(s.to_string());
        }
    }
    states
        .into_iter()
        .filter_map(|s| {
            let code = format!("{s}000");
            geo.title(&code).map(|t| Option2 {
                value: code.clone(),
                label: t.trim_end_matches(" -- Statewide").to_string(),
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn home_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    search: String,
    form_name: String,
    form_codes: String,
    error_name: Option<String>,
    error_codes: Option<String>,
    mapstate: String,
) -> Result<RegionHomeTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let regions = state.store.regions(tenant.id).await?;
    let shortlist = state.store.shortlist(tenant.id).await?;
    let datasets = state.store.datasets().await?.len();
    let search_results = if search.trim().len() >= 2 {
        Geography::embedded()
            .search_counties(search.trim())
            .into_iter()
            .take(25)
            .map(|c| Option2 {
                value: c.fips.as_str().to_string(),
                label: c.title.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // The map's state: asked for, else that of the first code entered, else the primary region's.
    let mapstate = if mapstate.len() == 2 && mapstate.bytes().all(|b| b.is_ascii_digit()) {
        mapstate
    } else {
        form_codes
            .split(',')
            .find_map(|c| {
                let c = c.trim();
                (c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit())).then(|| c[..2].to_string())
            })
            .or_else(|| {
                regions
                    .iter()
                    .find(|r| r.is_primary)
                    .and_then(|r| r.county_list().first().map(|c| c[..2].to_string()))
            })
            .unwrap_or_default()
    };
    let map_svg = if mapstate.is_empty() || !tenant.role.allows(Role::Staff) {
        String::new()
    } else {
        builder_map(tenant.id.0, &mapstate, &form_codes)
    };
    Ok(RegionHomeTemplate {
        map_svg,
        mapstate,
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "region"),
        pid: tenant.id.0,
        can_edit: tenant.role.allows(Role::Staff),
        regions: regions.iter().map(region_view).collect(),
        shortlist,
        metros: metro_options(),
        states: state_options(),
        search,
        search_results,
        form_name,
        form_codes,
        error_name,
        error_codes,
        datasets,
    })
}

pub async fn home(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    if let Some(f) = q.format.as_deref() {
        if f != "csv" {
            return Err(AppError::BadRequest(format!("format: {f:?} is not csv")));
        }
        return home_csv(&state, &tenant, q.table.as_deref().unwrap_or("regions")).await;
    }
    let codes = if q.toggle.trim().is_empty() {
        q.codes
    } else {
        toggle_code(&q.codes, q.toggle.trim())
    };
    let view = home_view(
        &state,
        &auth,
        &tenant,
        q.q,
        String::new(),
        codes,
        None,
        None,
        q.mapstate,
    )
    .await?;
    Ok(page(&view)?.into_response())
}

/// The region page's tables as CSV: the saved regions, or the shortlist with its notes.
async fn home_csv(state: &AppState, tenant: &Tenant, table: &str) -> Result<Response, AppError> {
    match table {
        "regions" => {
            let regions = state.store.regions(tenant.id).await?;
            csv_file(
                "sectorkit-regions.csv",
                &["id", "name", "codes", "counties", "primary", "created_at"],
                regions.iter().map(|r| {
                    vec![
                        r.id.to_string(),
                        r.name.clone(),
                        r.codes.clone(),
                        r.counties.replace(',', " "),
                        r.is_primary.to_string(),
                        crate::templates::datetime(&r.created_at),
                    ]
                }),
            )
        }
        "shortlist" => {
            let items = state.store.shortlist(tenant.id).await?;
            csv_file(
                "sectorkit-shortlist.csv",
                &[
                    "industry_code",
                    "industry_title",
                    "own_code",
                    "region",
                    "period",
                    "note",
                    "comments",
                    "added_by",
                    "added_at",
                ],
                items.iter().map(|i| {
                    vec![
                        i.industry_code.clone(),
                        i.industry_title.clone(),
                        i.own_code.to_string(),
                        i.region_name.clone(),
                        i.period.clone(),
                        i.note.clone(),
                        i.comments.to_string(),
                        i.added_by_name.clone().unwrap_or_default(),
                        crate::templates::datetime(&i.added_at),
                    ]
                }),
            )
        }
        other => Err(unknown_table(other, &["regions", "shortlist"])),
    }
}

#[derive(Deserialize)]
pub struct NewRegionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    codes: String,
    #[serde(default)]
    metro: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    primary: Option<String>,
}

pub async fn create_region(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<NewRegionForm>,
) -> Result<Response, AppError> {
    // The three ways to pick counties add up: typed codes, a metro, a state.
    let mut parts: Vec<String> = form
        .codes
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for extra in [&form.metro, &form.state] {
        if !extra.trim().is_empty() {
            parts.push(extra.trim().to_string());
        }
    }
    let codes = parts.join(",");
    let mut error_codes = None;
    let mut error_name = None;
    let resolved = if codes.is_empty() {
        error_codes = Some("Choose at least one county, metro or state.".to_string());
        None
    } else {
        match sectorkit_data::geo::resolve_region(&codes) {
            Ok(r) => Some(r),
            Err(e) => {
                error_codes = Some(e.to_string());
                None
            }
        }
    };
    let name = if form.name.trim().is_empty() {
        resolved
            .as_ref()
            .map(|r| r.name.clone())
            .unwrap_or_default()
    } else {
        form.name.trim().to_string()
    };
    if name.chars().count() > 200 {
        error_name = Some("Use at most 200 characters.".to_string());
    }
    if let (Some(r), None) = (&resolved, &error_name) {
        let counties: Vec<String> = r.counties.iter().map(|c| c.as_str().to_string()).collect();
        match state
            .store
            .create_region(
                tenant.id,
                &name,
                &codes,
                &counties,
                form.primary.is_some(),
                tenant.user.id,
            )
            .await
        {
            Ok(id) => {
                return Ok(Redirect::to(&format!("/p/{}/regions/{id}", tenant.id)).into_response());
            }
            Err(StoreError::Conflict(_)) => {
                error_name = Some(format!(
                    "A region named \"{name}\" exists already; choose another name."
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let view = home_view(
        &state,
        &auth,
        &tenant,
        String::new(),
        form.name,
        codes,
        error_name,
        error_codes,
        String::new(),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&view)?).into_response())
}

pub async fn make_primary(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, rid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    state.store.set_primary_region(tenant.id, rid).await?;
    Ok(Redirect::to(&format!("/p/{}/region", tenant.id)).into_response())
}

pub async fn delete_region(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, rid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    state.store.delete_region(tenant.id, rid).await?;
    Ok(Redirect::to(&format!("/p/{}/region", tenant.id)).into_response())
}

// ---- the target table ------------------------------------------------------------------------

/// Settings of the table, from the query string (all optional).
#[derive(Deserialize, Default, Clone)]
pub struct TableQuery {
    /// `xlsx` downloads the needs-assessment workbook of the same settings instead of the page,
    /// `csv` the table, `svg`/`png` the chart named by `chart`.
    pub format: Option<String>,
    /// With `format=svg|png`: which chart (`bubble`, `employment`, `pay`; `map` on the industry
    /// page).
    pub chart: Option<String>,
    /// With `format=csv` on the industry page: `series` (default) or `counties`.
    pub table: Option<String>,
    pub period: Option<String>,
    pub base: Option<String>,
    pub own: Option<String>,
    pub level: Option<String>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub w_employment: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub w_pay: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub w_growth: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub w_proj: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub w_lq: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub min_emp: Option<f64>,
    #[serde(default, deserialize_with = "empty_as_none")]
    pub top: Option<usize>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub hl: Option<String>,
    /// `all` shows every column of the engine.
    pub cols: Option<String>,
    /// `1` estimates suppressed cells (METHODS §2.2), labelled, never replacing published values.
    pub est: Option<String>,
    /// Per-column highlight rules (START-style); each falls back to `hl`.
    pub hl_employment: Option<String>,
    pub hl_pay: Option<String>,
    pub hl_growth: Option<String>,
    pub hl_proj: Option<String>,
    pub hl_lq: Option<String>,
}

impl TableQuery {
    /// The highlight rule of each factor column.
    pub fn highlights(&self) -> PerFactor<Highlight> {
        let d = self.hl.as_deref();
        let pick =
            |v: &Option<String>| Highlight::parse(v.as_deref().filter(|s| !s.is_empty()).or(d));
        PerFactor {
            employment: pick(&self.hl_employment),
            avg_pay: pick(&self.hl_pay),
            hist_growth: pick(&self.hl_growth),
            proj_growth: pick(&self.hl_proj),
            lq: pick(&self.hl_lq),
        }
    }
}

/// A number field of a form: empty means "not given"; anything else must parse, and a bad
/// value is a clear 400 naming it.
fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<T>()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{t:?} is not a number"))),
    }
}

/// A highlight rule (METHODS §3.3).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    None,
    TopN,
    AboveMedian,
    TopThird,
}

impl Highlight {
    fn parse(s: Option<&str>) -> Highlight {
        match s {
            Some("none") => Highlight::None,
            Some("median") => Highlight::AboveMedian,
            Some("third") => Highlight::TopThird,
            _ => Highlight::TopN,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Highlight::None => "none",
            Highlight::TopN => "top",
            Highlight::AboveMedian => "median",
            Highlight::TopThird => "third",
        }
    }
}

/// One displayed cell: text, CSS class, tooltip.
pub struct CellView {
    pub text: String,
    pub class: String,
    pub tip: String,
}

pub struct RowView {
    pub code: String,
    pub title: String,
    pub rank: String,
    pub status: String,
    pub employment: CellView,
    pub establishments: String,
    pub pay: CellView,
    pub lq: CellView,
    pub growth: CellView,
    pub proj: CellView,
    pub score: String,
    pub excluded: String,
    pub shortlisted: bool,
    /// The other engine columns, shown with "all columns".
    pub total_wages: String,
    pub weekly_wage: String,
    pub lq_wages: String,
    pub base_employment: String,
    pub change: String,
    pub cagr: String,
    pub ns: String,
    pub im: String,
    pub rs: String,
    /// Unweighted mean of the factor ranks (the START rank average).
    pub rank_avg: String,
}

pub struct SensitivityView {
    pub label: String,
    pub changed: usize,
}

#[derive(Template)]
#[template(path = "targets.html")]
pub struct TargetsTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub region: RegionView,
    pub can_edit: bool,
    pub error: Option<String>,
    pub periods: Vec<String>,
    pub period: String,
    pub base: String,
    pub base_options: Vec<String>,
    pub own: String,
    pub level: String,
    pub weights: PerFactor<f64>,
    pub min_emp: String,
    pub top: usize,
    pub hl: String,
    pub hl_cols: Vec<(String, String, String)>,
    pub all_cols: bool,
    pub estimates: bool,
    pub sort: String,
    pub dir: String,
    pub rows: Vec<RowView>,
    pub notes: Vec<String>,
    pub hachman: String,
    pub estimated_share: String,
    pub sensitivity: Vec<SensitivityView>,
    pub region_employment: String,
    pub query_base: String,
    pub bubble_svg: String,
    pub employment_svg: String,
    pub pay_svg: String,
    pub bubble_links: ChartLinks,
    pub employment_links: ChartLinks,
    pub pay_links: ChartLinks,
    /// Employer-voice findings about the industries of the table (issue 8 part 7).
    pub voice: Vec<VoiceBeside>,
}

/// An employer-voice finding shown beside the target-industry table.
pub struct VoiceBeside {
    pub industry: String,
    pub statement: String,
    pub kind: &'static str,
    pub employers: i64,
}

pub(crate) fn parse_period(s: Option<&str>) -> Result<Option<Period>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse::<Period>()
            .map(Some)
            .map_err(|e| AppError::BadRequest(e.to_string())),
    }
}

/// The request the page's settings describe.
pub fn request_for(
    region: &Region,
    q: &TableQuery,
    period: Period,
) -> Result<TargetRequest, AppError> {
    let mut req = TargetRequest::new(region.counties.clone(), period);
    // No `base` in the query: growth over the year (from BLS's published over-the-year changes
    // when the prior year's files are not loaded). An explicit empty `base` means no growth.
    req.base_period = match q.base.as_deref() {
        None => Some(period.previous_year()),
        Some(b) => parse_period(Some(b))?,
    };
    if let Some(o) = q.own.as_deref().filter(|s| !s.is_empty()) {
        req.ownership = o
            .parse::<Ownership>()
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    if let Some(l) = q.level.as_deref().filter(|s| !s.is_empty()) {
        req.level = l
            .parse::<IndustryLevel>()
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    let w = PerFactor {
        employment: q.w_employment.unwrap_or(1.0),
        avg_pay: q.w_pay.unwrap_or(1.0),
        hist_growth: q.w_growth.unwrap_or(1.0),
        proj_growth: q.w_proj.unwrap_or(1.0),
        lq: q.w_lq.unwrap_or(1.0),
    };
    req.weights = Some(Weights::new(w).map_err(|e| AppError::BadRequest(e.to_string()))?);
    req.min_employment = q.min_emp.filter(|m| *m > 0.0);
    req.estimates = q.est.as_deref() == Some("1");
    req.top = q.top.unwrap_or(10).clamp(1, 100);
    Ok(req)
}

/// The needs-assessment workbook of the region for these settings, as an xlsx download.
async fn workbook_response(
    state: &AppState,
    region: &Region,
    req: &TargetRequest,
) -> Result<Response, AppError> {
    let (table, mut geo_region) = match compute_targets(Some(&state.store), req, None).await {
        Ok(x) => x,
        Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::BadRequest(e.to_string())),
    };
    // The partnership's own name for the region (user text: the workbook stores it as text).
    geo_region.name = region.name.clone();
    let sources = sectorkit_engine::targets::table_sources(Some(&state.store), req)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    // The Staffing and Occupations tabs: the shortlisted industries' occupations in this region
    // for the table's period. Without a shortlist or OEWS data the tabs are left out (the
    // workbook's other tabs do not depend on them).
    let shortlist: Vec<String> = state
        .store
        .shortlist(region.partnership_id)
        .await?
        .into_iter()
        .map(|s| s.industry_code)
        .collect();
    let occupations = if shortlist.is_empty() {
        None
    } else {
        let mut oreq = sectorkit_engine::occupations::OccupationRequest::new(
            region.counties.clone(),
            shortlist,
        );
        oreq.period = Some(req.period);
        oreq.ownership = req.ownership;
        match sectorkit_engine::occupations::compute_occupations(&state.store, &oreq).await {
            Ok(mut r) => {
                r.region_name = region.name.clone();
                Some(r)
            }
            Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
            Err(e) => {
                tracing::info!("workbook without occupation tabs: {e}");
                None
            }
        }
    };
    let occ_sources = if occupations.is_some() {
        sectorkit_engine::targets::occupation_sources(&state.store)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    } else {
        Vec::new()
    };
    let bytes = sectorkit_export::needs_assessment_workbook(&sectorkit_export::WorkbookInput {
        table: &table,
        region: &geo_region,
        request: req,
        sources: &sources,
        occupations: occupations.as_ref(),
        occupation_sources: &occ_sources,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let file = format!("sectorkit-region-{}-{}.xlsx", region.id, req.period);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A CSV file download (UTF-8, header row; built with `sectorkit_export::SafeCsv`).
pub(crate) fn csv_download(file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Periods with data for every one of the region's counties, newest first (periods that only
/// some counties have cannot make a regional total).
pub(crate) async fn periods_for(
    state: &AppState,
    region: &Region,
) -> Result<Vec<Period>, AppError> {
    let areas: Vec<String> = region.county_list().iter().map(|s| s.to_string()).collect();
    let raw = state.store.qcew_periods_for(&areas).await?;
    Ok(raw
        .into_iter()
        .filter(|(_, _, n)| *n as usize == areas.len())
        .filter_map(|(y, q, _)| {
            if q == 0 {
                Some(Period::Year(y as i32))
            } else {
                Period::from_qcew(&y.to_string(), &q.to_string()).ok()
            }
        })
        .collect())
}

/// The period a table shows when none is asked for: the newest of `periods` that also has
/// national data (so location quotients can be computed), else the newest.
pub(crate) async fn default_period(
    state: &AppState,
    periods: &[Period],
) -> Result<Option<Period>, AppError> {
    let national: Vec<(i64, i64)> = state
        .store
        .qcew_periods_for(&["US000".to_string()])
        .await?
        .into_iter()
        .map(|(y, q, _)| (y, q))
        .collect();
    Ok(periods
        .iter()
        .find(|p| {
            national.contains(&(
                p.year() as i64,
                p.quarter().map(|q| q.number() as i64).unwrap_or(0),
            ))
        })
        .or(periods.first())
        .copied())
}

fn highlight_class(row: &TargetRow, f: Factor, hl: Highlight, top: usize) -> &'static str {
    let Some(r) = &row.ranking else { return "" };
    let on = match hl {
        Highlight::None => false,
        Highlight::TopN => r.ranks.get(f).is_some_and(|k| k <= top as f64),
        Highlight::AboveMedian => *r.above_median.get(f),
        Highlight::TopThird => *r.top_third.get(f),
    };
    if on { "hl" } else { "" }
}

fn employment_cell(row: &TargetRow) -> CellView {
    let f = &row.employment;
    let b = f.published().bounds();
    let bounds = match b.upper() {
        Some(u) => format!("between {} and {}", thousands(b.lower()), thousands(u)),
        None => format!("at least {}", thousands(b.lower())),
    };
    match (row.status.as_str(), f.best()) {
        ("disclosed", Some(v)) => CellView {
            text: thousands(v.value),
            class: String::new(),
            tip: String::new(),
        },
        (_, Some(v)) if v.estimated => CellView {
            text: format!("{}ᵉ", thousands(v.value)),
            class: "est".into(),
            tip: format!(
                "Estimated ({}): BLS suppressed part of this figure; the published data put it {bounds}.",
                f.estimate()
                    .map(|e| e.method.as_str())
                    .unwrap_or("estimate")
                    .replace('_', " ")
            ),
        },
        ("partial", _) => CellView {
            text: format!("≥ {}", thousands(b.lower())),
            class: "partial".into(),
            tip: format!(
                "Partial: {} of the region's counties are suppressed by BLS; the total is {bounds}.",
                row.suppressed_counties
            ),
        },
        _ => CellView {
            text: "(N)".into(),
            class: "supp".into(),
            tip: format!(
                "Suppressed by BLS to protect employer confidentiality: unknown, not zero ({bounds})."
            ),
        },
    }
}

fn simple_cell(text: String, class: &str, estimated: bool) -> CellView {
    let (text, class, tip) = if text.is_empty() {
        (
            "–".to_string(),
            "na".to_string(),
            "Not available: an input is suppressed or missing.".to_string(),
        )
    } else if estimated {
        (
            format!("{text}ᵉ"),
            format!("{class} est"),
            "Rests on an estimate of a suppressed figure.".to_string(),
        )
    } else {
        (text, class.to_string(), String::new())
    };
    CellView { text, class, tip }
}

pub(crate) fn row_view(
    row: &TargetRow,
    hl: &PerFactor<Highlight>,
    top: usize,
    shortlisted: &BTreeSet<String>,
) -> RowView {
    let mut employment = employment_cell(row);
    let c = highlight_class(row, Factor::Employment, hl.employment, top);
    if !c.is_empty() {
        employment.class = format!("{} {c}", employment.class);
    }
    let est = row.estimated;
    RowView {
        code: row.industry_code.as_str().to_string(),
        title: row.industry_title.clone(),
        rank: row
            .ranking
            .as_ref()
            .and_then(|r| r.position)
            .map(|p| p.to_string())
            .unwrap_or_else(|| "–".into()),
        status: row.status.as_str().to_string(),
        employment,
        establishments: figure_value(&row.establishments)
            .map(thousands)
            .unwrap_or_else(|| "(N)".into()),
        pay: simple_cell(
            money(row.avg_annual_pay),
            highlight_class(row, Factor::AvgPay, hl.avg_pay, top),
            est,
        ),
        lq: simple_cell(
            fixed(row.lq_employment, 2),
            highlight_class(row, Factor::Lq, hl.lq, top),
            est,
        ),
        growth: simple_cell(
            fixed(row.pct_change, 1),
            highlight_class(row, Factor::HistGrowth, hl.hist_growth, top),
            est,
        ),
        proj: simple_cell(
            fixed(row.projection.as_ref().and_then(|p| p.pct_change), 1),
            highlight_class(row, Factor::ProjGrowth, hl.proj_growth, top),
            false,
        ),
        score: fixed(row.score(), 2),
        excluded: row
            .excluded
            .map(|e| format!("{e:?}").to_lowercase())
            .unwrap_or_default(),
        shortlisted: shortlisted.contains(row.industry_code.as_str()),
        total_wages: figure_value(&row.total_wages)
            .map(|w| format!("${}", thousands(w)))
            .unwrap_or_else(|| "(N)".into()),
        weekly_wage: money(row.avg_weekly_wage),
        lq_wages: fixed(row.lq_total_wages, 2),
        base_employment: row
            .base_employment
            .as_ref()
            .and_then(figure_value)
            .map(thousands)
            .unwrap_or_default(),
        change: row.change.map(thousands).unwrap_or_default(),
        cagr: fixed(row.cagr_pct, 2),
        ns: row.ns.map(thousands).unwrap_or_default(),
        im: row.im.map(thousands).unwrap_or_default(),
        rs: row.rs.map(thousands).unwrap_or_default(),
        rank_avg: row
            .ranking
            .as_ref()
            .and_then(|k| {
                let r: Vec<f64> = Factor::ALL
                    .iter()
                    .filter_map(|f| *k.ranks.get(*f))
                    .collect();
                (!r.is_empty()).then(|| r.iter().sum::<f64>() / r.len() as f64)
            })
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default(),
    }
}

fn sort_rows(rows: &mut [&TargetRow], sort: &str, desc: bool) {
    let key = |r: &TargetRow| -> Option<f64> {
        match sort {
            "employment" => figure_value(&r.employment),
            "pay" => r.avg_annual_pay,
            "lq" => r.lq_employment,
            "growth" => r.pct_change,
            "proj" => r.projection.as_ref().and_then(|p| p.pct_change),
            "score" => r.score(),
            _ => None,
        }
    };
    if sort == "code" {
        rows.sort_by(|a, b| a.industry_code.cmp(&b.industry_code));
        if desc {
            rows.reverse();
        }
        return;
    }
    if !matches!(
        sort,
        "employment" | "pay" | "lq" | "growth" | "proj" | "score"
    ) {
        rows.sort_by_key(|r| {
            (
                r.ranking
                    .as_ref()
                    .and_then(|k| k.position)
                    .unwrap_or(usize::MAX),
                r.industry_code.as_str().to_string(),
            )
        });
        if desc {
            rows.reverse();
        }
        return;
    }
    // Missing values always sort last, whatever the direction.
    rows.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
            if desc { o.reverse() } else { o }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.industry_code.cmp(&b.industry_code),
    });
}

pub async fn table(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, rid)): Path<(String, i64)>,
    Query(q): Query<TableQuery>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let region = state
        .store
        .region(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    let partnership = state.store.partnership(tenant.id).await?;
    let periods = periods_for(&state, &region).await?;
    let period = match parse_period(q.period.as_deref())? {
        Some(p) => Some(p),
        None => default_period(&state, &periods).await?,
    };
    let hl = Highlight::parse(q.hl.as_deref());
    let hls = q.highlights();
    let sort = q.sort.clone().unwrap_or_else(|| "rank".into());
    let desc = q.dir.as_deref() == Some("desc");
    let shortlisted: BTreeSet<String> = state
        .store
        .shortlist(tenant.id)
        .await?
        .into_iter()
        .map(|s| s.industry_code)
        .collect();
    let mut error = None;
    let mut table: Option<TargetTable> = None;
    let mut region_notes = Vec::new();
    let req = match period {
        Some(p) => Some(request_for(&region, &q, p)?),
        None => {
            error = Some(
                "No QCEW data is loaded for this region's counties yet. Import the official files \
                 on the data page or with `sectorkit qcew import`."
                    .to_string(),
            );
            None
        }
    };
    if q.format.as_deref() == Some("xlsx") {
        let Some(req) = &req else {
            return Err(AppError::BadRequest(
                error.unwrap_or_else(|| "no period to compute".into()),
            ));
        };
        return workbook_response(&state, &region, req).await;
    }
    if q.format.as_deref() == Some("csv") {
        let Some(req) = &req else {
            return Err(AppError::BadRequest(
                error.unwrap_or_else(|| "no period to compute".into()),
            ));
        };
        let table = match compute_targets(Some(&state.store), req, None).await {
            Ok((t, _)) => t,
            Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
            Err(e) => return Err(AppError::BadRequest(e.to_string())),
        };
        // The CLI's `targets --format csv` columns (sectorkit_engine::table), every industry.
        let bytes = sectorkit_export::csv_bytes(
            sectorkit_engine::table::CSV_COLUMNS,
            table.rows.iter().map(sectorkit_engine::table::csv_record),
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let file = format!("sectorkit-region-{}-{}.csv", region.id, req.period);
        return Ok(csv_download(&file, bytes));
    }
    if let Some(req) = &req {
        match compute_targets(Some(&state.store), req, None).await {
            Ok((t, r)) => {
                region_notes = r.notes;
                table = Some(t);
            }
            Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
            Err(e) => error = Some(e.to_string()),
        }
    }
    let top = req.as_ref().map(|r| r.top).unwrap_or(10);
    let weights = req
        .as_ref()
        .and_then(|r| r.weights)
        .map(|w| PerFactor::from_fn(|f| w.get(f)))
        .unwrap_or_else(|| PerFactor::from_fn(|_| 1.0));
    let mut rows_view = Vec::new();
    let mut notes: Vec<String> = region_notes;
    let mut sensitivity = Vec::new();
    let (mut hachman, mut estimated_share, mut region_employment) =
        (String::new(), String::new(), String::new());
    if let Some(t) = &table {
        let mut rows: Vec<&TargetRow> = t.rows.iter().collect();
        sort_rows(&mut rows, &sort, desc);
        rows_view = rows
            .into_iter()
            .map(|r| row_view(r, &hls, top, &shortlisted))
            .collect();
        notes.extend(t.notes.iter().map(|n| n.to_string()));
        hachman = fixed(t.hachman, 3);
        estimated_share = t
            .estimated_employment_share
            .filter(|s| *s > 0.0)
            .map(|s| format!("{:.1}%", s * 100.0))
            .unwrap_or_default();
        region_employment = figure_value(&t.region_employment)
            .map(thousands)
            .unwrap_or_else(|| "(N)".into());
        sensitivity = t
            .sensitivity
            .cases
            .iter()
            .map(|c| SensitivityView {
                label: format!("{} weight ×{}", c.factor.label(), c.multiplier),
                changed: c.changed,
            })
            .collect();
    }
    let (bubble_svg, employment_svg, pay_svg) = match &table {
        Some(t) => charts_for(t, &region.name, &shortlisted, top),
        None => Default::default(),
    };
    let period_s = period.map(|p| p.to_string()).unwrap_or_default();
    if is_chart_format(q.format.as_deref()) {
        let which = q.chart.as_deref().unwrap_or("bubble");
        let (svg, missing) = match which {
            "bubble" => (
                &bubble_svg,
                "The bubble chart is not drawn for these settings: it needs growth (a base \
                 period with its national file) or projections, and location quotients.",
            ),
            "employment" => (&employment_svg, "No employment chart for these settings."),
            "pay" => (&pay_svg, "No pay chart for these settings."),
            other => return Err(unknown_chart(other, &["bubble", "employment", "pay"])),
        };
        let missing = error.clone().unwrap_or_else(|| missing.to_string());
        return chart_file(
            &format!("sectorkit-region-{}-{period_s}-{which}", region.id),
            svg,
            q.format.as_deref().unwrap_or("svg"),
            &missing,
        );
    }
    let query_base = {
        let mut pairs: Vec<(&str, String)> = vec![("period", period_s.clone())];
        for (k, v) in [
            (
                "base",
                Some(
                    req.as_ref()
                        .and_then(|r| r.base_period)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                ),
            ),
            ("own", q.own.clone()),
            ("level", q.level.clone()),
            ("hl", q.hl.clone()),
            ("hl_employment", q.hl_employment.clone()),
            ("hl_pay", q.hl_pay.clone()),
            ("hl_growth", q.hl_growth.clone()),
            ("hl_proj", q.hl_proj.clone()),
            ("hl_lq", q.hl_lq.clone()),
            ("cols", q.cols.clone()),
            ("est", q.est.clone()),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v));
            }
        }
        for (k, v) in [
            ("w_employment", weights.employment),
            ("w_pay", weights.avg_pay),
            ("w_growth", weights.hist_growth),
            ("w_proj", weights.proj_growth),
            ("w_lq", weights.lq),
        ] {
            pairs.push((k, v.to_string()));
        }
        if let Some(m) = q.min_emp {
            pairs.push(("min_emp", m.to_string()));
        }
        pairs.push(("top", top.to_string()));
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    };
    let view = TargetsTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "region"),
        pid: tenant.id.0,
        region: region_view(&region),
        can_edit: tenant.role.allows(Role::Staff),
        error,
        periods: periods.iter().map(|p| p.to_string()).collect(),
        period: period_s,
        base: req
            .as_ref()
            .and_then(|r| r.base_period)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        base_options: {
            let mut v: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
            if let Some(p) = period {
                let prev = p.previous_year().to_string();
                if !v.contains(&prev) {
                    v.push(prev);
                }
            }
            v
        },
        own: req
            .as_ref()
            .map(|r| r.ownership.code().to_string())
            .unwrap_or_else(|| "5".into()),
        level: req
            .as_ref()
            .map(|r| r.level.as_str().to_string())
            .unwrap_or_else(|| "3".into()),
        weights,
        min_emp: q.min_emp.map(|m| m.to_string()).unwrap_or_default(),
        top,
        hl: hl.as_str().to_string(),
        all_cols: q.cols.as_deref() == Some("all"),
        estimates: q.est.as_deref() == Some("1"),
        hl_cols: vec![
            ("hl_employment", "Employment", hls.employment),
            ("hl_pay", "Average pay", hls.avg_pay),
            ("hl_growth", "Growth", hls.hist_growth),
            ("hl_proj", "Projected growth", hls.proj_growth),
            ("hl_lq", "LQ", hls.lq),
        ]
        .into_iter()
        .map(|(k, l, h)| (k.to_string(), l.to_string(), h.as_str().to_string()))
        .collect(),
        sort,
        dir: if desc { "desc".into() } else { "asc".into() },
        rows: rows_view,
        notes,
        hachman,
        estimated_share,
        sensitivity,
        region_employment,
        query_base,
        bubble_svg,
        employment_svg,
        pay_svg,
        bubble_links: ChartLinks::new(&uri, "bubble"),
        employment_links: ChartLinks::new(&uri, "employment"),
        pay_links: ChartLinks::new(&uri, "pay"),
        voice: Vec::new(),
    };
    // Findings about any industry of the table: the same code, a finer one, or its sector.
    let mut view = view;
    view.voice = state
        .store
        .findings(tenant.id, None)
        .await?
        .into_iter()
        .filter(|f| {
            let c = &f.fields.industry_code;
            !c.is_empty()
                && view
                    .rows
                    .iter()
                    .any(|r| c.starts_with(r.code.as_str()) || r.code.starts_with(c.as_str()))
        })
        .map(|f| VoiceBeside {
            industry: f.fields.industry_code,
            statement: f.fields.statement,
            kind: f.fields.kind.label(),
            employers: f.fields.employers,
        })
        .collect();
    Ok(page(&view)?.into_response())
}

/// The bubble chart (LQ against growth — historical when a base period is set, else projected —
/// bubble area = employment) and the bar charts of employment and pay for the top industries.
pub(crate) fn charts_for(
    t: &TargetTable,
    region_name: &str,
    shortlisted: &BTreeSet<String>,
    top: usize,
) -> (String, String, String) {
    use sectorkit_charts::{
        BarItem, BarOptions, BubbleOptions, BubblePoint, NumberFormat, bar_chart, bubble_chart,
    };
    let historical = t.base_period.is_some();
    let growth = |r: &TargetRow| {
        if historical {
            r.pct_change
        } else {
            r.projection.as_ref().and_then(|p| p.pct_change)
        }
    };
    let points: Vec<BubblePoint> = t
        .rows
        .iter()
        .filter(|r| r.excluded.is_none())
        .map(|r| BubblePoint {
            code: r.industry_code.as_str().to_string(),
            title: r.industry_title.clone(),
            x: growth(r),
            y: r.lq_employment,
            size: figure_value(&r.employment),
            highlighted: shortlisted.contains(r.industry_code.as_str()),
        })
        .collect();
    let x_label = match t.base_period {
        Some(b) => format!("Employment change, {b}–{} (%)", t.period),
        None => "Projected employment growth (%)".to_string(),
    };
    // Without any growth figure the chart would be empty: say what it needs instead.
    let drawable = points
        .iter()
        .filter(|p| p.x.is_some() && p.y.is_some())
        .count();
    let bubble = if drawable == 0 {
        String::new()
    } else {
        bubble_chart(
            &points,
            &BubbleOptions {
                title: format!(
                    "{region_name}: industries by growth and concentration, {}",
                    t.period
                ),
                x_label,
                y_label: "Location quotient (employment)".into(),
                width: 760.0,
                height: 480.0,
                label_top_n: 8,
                highlight_name: "Shortlisted".into(),
                ..BubbleOptions::default()
            },
        )
    };
    let mut ranked: Vec<&TargetRow> = t.rows.iter().filter(|r| r.ranking.is_some()).collect();
    ranked.sort_by_key(|r| {
        r.ranking
            .as_ref()
            .and_then(|k| k.position)
            .unwrap_or(usize::MAX)
    });
    let items = |f: &dyn Fn(&TargetRow) -> Option<f64>| -> Vec<BarItem> {
        ranked
            .iter()
            .take(top.min(20))
            .map(|r| BarItem {
                code: r.industry_code.as_str().to_string(),
                label: r.industry_title.clone(),
                value: f(r),
                status_note: if f(r).is_none() {
                    Some(
                        if r.status.as_str() == "disclosed" {
                            "not available"
                        } else {
                            "suppressed"
                        }
                        .to_string(),
                    )
                } else if r.estimated {
                    Some("rests on an estimate".to_string())
                } else {
                    None
                },
                highlighted: shortlisted.contains(r.industry_code.as_str()),
            })
            .collect()
    };
    let employment = bar_chart(
        &items(&|r: &TargetRow| figure_value(&r.employment)),
        &BarOptions {
            title: format!(
                "Employment of the top {} industries, {}",
                top.min(20),
                t.period
            ),
            value_label: "Employment".into(),
            format: NumberFormat::Integer,
            highlight_name: "Shortlisted".into(),
            ..BarOptions::default()
        },
    );
    let pay = bar_chart(
        &items(&|r: &TargetRow| r.avg_annual_pay),
        &BarOptions {
            title: format!(
                "Average annual pay of the top {} industries, {}",
                top.min(20),
                t.period
            ),
            value_label: "Average annual pay".into(),
            format: NumberFormat::Dollars,
            highlight_name: "Shortlisted".into(),
            ..BarOptions::default()
        },
    );
    (bubble, employment, pay)
}

// ---- industry detail -------------------------------------------------------------------------

/// Average annual pay of one stored row (quarterly wages annualised, as the table does), when
/// its wages and employment are published.
fn row_annual_pay(r: &sectorkit_store::QcewDbRow, period: Period) -> Option<f64> {
    match (r.total_wages, r.employment) {
        (Some(w), Some(e)) if e > 0 && r.disclosed => {
            let annual = if period.is_annual() {
                w as f64
            } else {
                w as f64 * 4.0
            };
            Some(annual / e as f64)
        }
        _ => None,
    }
}

pub struct SeriesPoint {
    pub period: String,
    pub employment: CellView,
    pub pay: String,
    pub lq: String,
    pub establishments: String,
}

pub struct CountyCell {
    pub fips: String,
    pub name: String,
    pub employment: CellView,
    pub establishments: String,
    pub pay: String,
}

#[derive(Template)]
#[template(path = "industry.html")]
pub struct IndustryTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub region: RegionView,
    pub code: String,
    pub title: String,
    pub period: String,
    pub series: Vec<SeriesPoint>,
    pub counties: Vec<CountyCell>,
    pub nation_employment: String,
    pub nation_pay: String,
    pub region_share: String,
    pub shift_share: Option<(String, String, String, String)>,
    pub base: String,
    pub own_label: String,
    pub map_svg: String,
    pub map_links: ChartLinks,
    pub series_csv: String,
    pub counties_csv: String,
    pub can_edit: bool,
    pub own_code: String,
    pub level: String,
    pub shortlisted: bool,
}

/// One industry in a region: its time series over every loaded period, its member counties
/// (suppressed ones marked), the nation, and the shift-share decomposition.
pub async fn industry(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, rid, code)): Path<(String, i64, String)>,
    Query(q): Query<TableQuery>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let region = state
        .store
        .region(tenant.id, rid)
        .await?
        .ok_or(AppError::NotFound)?;
    let naics: sectorkit_core::codes::Naics = code.parse().map_err(|_| AppError::NotFound)?;
    let partnership = state.store.partnership(tenant.id).await?;
    let periods = periods_for(&state, &region).await?;
    let period = match parse_period(q.period.as_deref())? {
        Some(p) => p,
        None => *periods.first().ok_or(AppError::NotFound)?,
    };
    let mut q2 = q.clone();
    q2.level = Some(naics.level().as_str().to_string());
    let mut title = code.clone();
    let mut series = Vec::new();
    let mut series_csv: Vec<Vec<String>> = Vec::new();
    let mut county_csv: Vec<Vec<String>> = Vec::new();
    let mut current: Option<TargetRow> = None;
    // Oldest first, same kind (years or quarters) as the chosen period.
    for p in periods
        .iter()
        .rev()
        .filter(|p| p.is_annual() == period.is_annual())
    {
        let mut req = request_for(&region, &q2, *p)?;
        req.base_period = if *p == period {
            parse_period(q.base.as_deref())?
        } else {
            None
        };
        let Ok((t, _)) = compute_targets(Some(&state.store), &req, None).await else {
            continue;
        };
        if let Some(row) = t.rows.into_iter().find(|r| r.industry_code == naics) {
            title = row.industry_title.clone();
            let b = row.employment.published().bounds();
            series_csv.push(vec![
                p.to_string(),
                row.status.as_str().to_string(),
                match row.employment.published() {
                    sectorkit_core::value::Cell::Disclosed(x) => num(Some(*x)),
                    _ => String::new(),
                },
                num(Some(b.lower())),
                num(b.upper()),
                row.employment
                    .estimate()
                    .map(|e| num(Some(e.value)))
                    .unwrap_or_default(),
                row.employment
                    .estimate()
                    .map(|e| e.method.as_str().to_string())
                    .unwrap_or_default(),
                num(figure_value(&row.establishments)),
                num(row.avg_annual_pay),
                num(row.lq_employment),
            ]);
            series.push(SeriesPoint {
                period: p.to_string(),
                employment: employment_cell(&row),
                pay: money(row.avg_annual_pay),
                lq: fixed(row.lq_employment, 2),
                establishments: figure_value(&row.establishments)
                    .map(thousands)
                    .unwrap_or_else(|| "(N)".into()),
            });
            if *p == period {
                current = Some(row);
            }
        }
    }
    if series.is_empty() {
        return Err(AppError::NotFound);
    }
    // Member counties in the chosen period.
    let geo = Geography::embedded();
    let mut areas: Vec<String> = region.county_list().iter().map(|s| s.to_string()).collect();
    areas.push("US000".into());
    let own = q2
        .own
        .as_deref()
        .and_then(|o| o.parse::<Ownership>().ok())
        .unwrap_or(Ownership::Private);
    let mut agg = Vec::new();
    for base in [10, 70] {
        for d in 0..=8 {
            agg.push(base + d);
        }
    }
    let rows = state
        .store
        .qcew_rows(&sectorkit_store::QcewQuery {
            year: period.year() as i64,
            qtr: period.quarter().map(|x| x.number() as i64).unwrap_or(0),
            areas: &areas,
            own_codes: &[own.code() as i64],
            agglvl_codes: &agg,
        })
        .await?;
    let mut counties = Vec::new();
    let (mut nation_employment, mut nation_pay) = (String::new(), String::new());
    for c in region.county_list() {
        let name = geo.title(c).unwrap_or(c).to_string();
        let r = rows
            .iter()
            .find(|r| r.area_fips == c && r.industry_code == naics.as_str());
        county_csv.push(match r {
            None => vec![
                c.to_string(),
                name.clone(),
                "no_establishments".into(),
                "0".into(),
                "0".into(),
                String::new(),
            ],
            Some(r) => vec![
                c.to_string(),
                name.clone(),
                if r.disclosed {
                    "disclosed"
                } else {
                    "suppressed"
                }
                .into(),
                if r.disclosed {
                    r.employment.map(|e| e.to_string()).unwrap_or_default()
                } else {
                    String::new()
                },
                r.estabs.map(|e| e.to_string()).unwrap_or_default(),
                if r.disclosed {
                    num(row_annual_pay(r, period))
                } else {
                    String::new()
                },
            ],
        });
        let (employment, establishments, pay) = match r {
            None => (
                CellView {
                    text: "0".into(),
                    class: "na".into(),
                    tip: "No establishments of this industry in the county (no QCEW row).".into(),
                },
                "0".into(),
                String::new(),
            ),
            Some(r) if r.disclosed => (
                CellView {
                    text: r
                        .employment
                        .map(|e| thousands(e as f64))
                        .unwrap_or_default(),
                    class: String::new(),
                    tip: String::new(),
                },
                r.estabs.map(|e| thousands(e as f64)).unwrap_or_default(),
                money(row_annual_pay(r, period)),
            ),
            Some(r) => (
                CellView {
                    text: "(N)".into(),
                    class: "supp".into(),
                    tip:
                        "Suppressed by BLS to protect employer confidentiality: unknown, not zero."
                            .into(),
                },
                r.estabs.map(|e| thousands(e as f64)).unwrap_or_default(),
                String::new(),
            ),
        };
        counties.push(CountyCell {
            fips: c.to_string(),
            name,
            employment,
            establishments,
            pay,
        });
    }
    if let Some(n) = rows
        .iter()
        .find(|r| r.area_fips == "US000" && r.industry_code == naics.as_str())
    {
        nation_employment = n
            .employment
            .map(|e| thousands(e as f64))
            .unwrap_or_else(|| "(N)".into());
        nation_pay = money(row_annual_pay(n, period));
    }
    let region_share = match (
        &current,
        rows.iter()
            .find(|r| r.area_fips == "US000" && r.industry_code == naics.as_str())
            .and_then(|n| n.employment),
    ) {
        (Some(row), Some(n)) if n > 0 => figure_value(&row.employment)
            .map(|e| format!("{:.3}%", 100.0 * e / n as f64))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let shift_share = current.as_ref().and_then(|r| {
        Some((
            fixed(r.ns, 0),
            fixed(r.im, 0),
            fixed(r.rs, 0),
            fixed(r.change, 0),
        ))
        .filter(|_| r.ns.is_some())
    });
    let map_svg = {
        let mut values = std::collections::HashMap::new();
        for c in region.county_list() {
            let r = rows
                .iter()
                .find(|r| r.area_fips == c && r.industry_code == naics.as_str());
            let v = match r {
                None => sectorkit_charts::CountyValue::Value(0.0),
                Some(r) if r.disclosed => match r.employment {
                    Some(e) => sectorkit_charts::CountyValue::Value(e as f64),
                    None => sectorkit_charts::CountyValue::Suppressed,
                },
                Some(_) => sectorkit_charts::CountyValue::Suppressed,
            };
            values.insert(c.to_string(), v);
        }
        let states: BTreeSet<String> = region
            .county_list()
            .iter()
            .map(|c| c[..2].to_string())
            .collect();
        let names = |fips: &str| geo.title(fips).map(str::to_string);
        sectorkit_charts::county_map(&sectorkit_charts::MapRequest {
            title: format!("{} employment by county, {period}", title),
            states: states.into_iter().collect(),
            selected: region.county_list().iter().map(|s| s.to_string()).collect(),
            county_name: Some(&names),
            choropleth: Some(sectorkit_charts::Choropleth {
                label: "Employment".into(),
                values,
                format: sectorkit_charts::NumberFormat::Integer,
                classing: sectorkit_charts::Classing::Quantiles,
            }),
            width: 560.0,
            ..sectorkit_charts::MapRequest::default()
        })
    };
    let shortlisted = state
        .store
        .shortlist(tenant.id)
        .await?
        .iter()
        .any(|s| s.industry_code == naics.as_str());
    if q.format.as_deref() == Some("csv") {
        let stem = format!("sectorkit-region-{}-{}", region.id, naics.as_str());
        return match q.table.as_deref().unwrap_or("series") {
            "series" => csv_file(
                &format!("{stem}-series.csv"),
                &[
                    "period",
                    "status",
                    "employment",
                    "employment_lower",
                    "employment_upper",
                    "employment_estimate",
                    "estimate_method",
                    "establishments",
                    "avg_annual_pay",
                    "lq_employment",
                ],
                series_csv,
            ),
            "counties" => csv_file(
                &format!("{stem}-{period}-counties.csv"),
                &[
                    "county",
                    "county_name",
                    "status",
                    "employment",
                    "establishments",
                    "avg_annual_pay",
                ],
                county_csv,
            ),
            other => Err(unknown_table(other, &["series", "counties"])),
        };
    }
    if is_chart_format(q.format.as_deref()) {
        match q.chart.as_deref().unwrap_or("map") {
            "map" => {}
            other => return Err(unknown_chart(other, &["map"])),
        }
        return chart_file(
            &format!(
                "sectorkit-region-{}-{}-{period}-map",
                region.id,
                naics.as_str()
            ),
            &map_svg,
            q.format.as_deref().unwrap_or("svg"),
            "No county map for this industry.",
        );
    }
    let view = IndustryTemplate {
        map_links: ChartLinks::new(&uri, "map"),
        series_csv: download_href(&uri, &[("format", "csv"), ("table", "series")]),
        counties_csv: download_href(&uri, &[("format", "csv"), ("table", "counties")]),
        can_edit: tenant.role.allows(Role::Staff),
        own_code: own.code().to_string(),
        level: naics.level().as_str().to_string(),
        shortlisted,
        map_svg,
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "region"),
        pid: tenant.id.0,
        region: region_view(&region),
        code: naics.as_str().to_string(),
        title,
        period: period.to_string(),
        series,
        counties,
        nation_employment,
        nation_pay,
        region_share,
        shift_share,
        base: q.base.clone().unwrap_or_default(),
        own_label: own.title().to_string(),
    };
    Ok(page(&view)?.into_response())
}

// ---- shortlist -------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ShortlistForm {
    region: i64,
    industry: String,
    #[serde(default)]
    note: String,
    #[serde(flatten)]
    settings: TableQuery,
}

/// Adds an industry to the shortlist with a snapshot of its figures, recomputed on the server
/// from the same settings (the browser's numbers are never trusted).
pub async fn add_to_shortlist(
    State(state): State<AppState>,
    tenant: Tenant,
    Form(form): Form<ShortlistForm>,
) -> Result<Response, AppError> {
    let region = state
        .store
        .region(tenant.id, form.region)
        .await?
        .ok_or(AppError::NotFound)?;
    let period = parse_period(form.settings.period.as_deref())?
        .ok_or_else(|| AppError::BadRequest("the period is missing".into()))?;
    let req = request_for(&region, &form.settings, period)?;
    let (table, _) = compute_targets(Some(&state.store), &req, None)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let row = table
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == form.industry)
        .ok_or_else(|| {
            AppError::BadRequest(format!("industry {} is not in this table", form.industry))
        })?;
    let datasets: Vec<serde_json::Value> = state
        .store
        .datasets()
        .await?
        .iter()
        .filter(|d| d.periods.split(',').any(|p| p == period.to_string()))
        .map(|d| serde_json::json!({"file": d.file_name, "sha256": d.sha256, "imported_at": d.imported_at}))
        .collect();
    let cells = sectorkit_engine::table::csv_record(row);
    let snapshot = serde_json::json!({
        "region": {"name": region.name, "counties": region.counties},
        "settings": {"period": period.to_string(), "base_period": req.base_period.map(|p| p.to_string()),
                     "ownership": req.ownership.code(), "level": req.level.as_str()},
        "figures": sectorkit_engine::table::CSV_COLUMNS.iter().zip(cells).map(|(k, v)| (k.to_string(), serde_json::Value::String(v))).collect::<serde_json::Map<_, _>>(),
        "data_vintage": datasets,
    })
    .to_string();
    match state
        .store
        .add_to_shortlist(
            tenant.id,
            &NewShortlistItem {
                industry_code: row.industry_code.as_str(),
                industry_title: &row.industry_title,
                own_code: req.ownership.code() as i64,
                region_name: &region.name,
                period: &period.to_string(),
                note: &form.note,
                snapshot: &snapshot,
                added_by: tenant.user.id,
            },
        )
        .await
    {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/p/{}/region#shortlist", tenant.id)).into_response())
}

pub async fn remove_from_shortlist(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, sid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    state.store.remove_from_shortlist(tenant.id, sid).await?;
    Ok(Redirect::to(&format!("/p/{}/region#shortlist", tenant.id)).into_response())
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, sid)): Path<(String, i64)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 5000 {
        return Err(AppError::BadRequest(
            "A comment needs 1 to 5,000 characters.".into(),
        ));
    }
    state
        .store
        .add_shortlist_comment(tenant.id, sid, tenant.user.id, body)
        .await?;
    Ok(Redirect::to(&format!("/p/{}/region#item-{sid}", tenant.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::{thousands, toggle_code};

    #[test]
    fn toggling_codes() {
        assert_eq!(toggle_code("", "39049"), "39049");
        assert_eq!(toggle_code("39041", "39049"), "39041,39049");
        assert_eq!(toggle_code("39041, 39049", "39049"), "39041");
        assert_eq!(toggle_code("C1814,39049", "39049"), "C1814");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1234.0), "1,234");
        assert_eq!(thousands(1234567.6), "1,234,568");
        assert_eq!(thousands(-1234.0), "-1,234");
    }
}
