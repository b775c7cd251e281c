//! Printable reports: the regional needs-assessment summary of one region
//! (`/p/{pid}/regions/{rid}/report`) and the partnership one-pager (`/p/{pid}/one-pager`).
//!
//! Both are ordinary server-rendered pages laid out for paper by `static/print.css` (`@media
//! print`, `@page` margins with a running source line); "Print" calls `window.print()`, and the
//! browser's "Save as PDF" makes the PDF (see ARCHITECTURE.md, "Printable reports"). The numbers
//! come from the same engine calls as the pages they summarise: `compute_targets` with the
//! target table's settings (`region::request_for`) and `compute_occupations` as the occupations
//! page makes it, so a printed figure always equals the one on screen.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::occupations::wage;
use crate::handlers::region::{
    Highlight, RegionView, RowView, TableQuery, charts_for, fixed, parse_period, periods_for,
    region_view, request_for, row_view, thousands,
};
use crate::policy::Tenant;
use crate::templates::{Chrome, SECTIONS, Section, date, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use sectorkit_core::codes::Period;
use sectorkit_core::rank::PerFactor;
use sectorkit_core::role::Role;
use sectorkit_core::targets::{TargetRow, TargetTable};
use sectorkit_data::geo::Geography;
use sectorkit_engine::occupations::{OccupationRequest, compute_occupations};
use sectorkit_engine::table::figure_value;
use sectorkit_engine::targets::{TargetRequest, compute_targets, table_sources};
use sectorkit_store::{Region, ShortlistItem};
use std::collections::BTreeSet;

/// Occupations listed for the report's industry.
pub const REPORT_OCCUPATIONS: usize = 15;

/// Industries listed on the one-pager.
pub const ONE_PAGER_INDUSTRIES: usize = 5;

/// One data source line of the title block.
pub struct SourceLine {
    pub what: String,
    pub file: String,
    pub vintage: String,
}

/// A shortlist entry with its reason (the note given when it was added) and its comments.
pub struct ShortlistView {
    pub code: String,
    pub title: String,
    pub chosen_on: String,
    pub added: String,
    pub reason: String,
    pub comments: Vec<(String, String, String)>,
}

/// One occupation line of the report.
pub struct OccRow {
    pub code: String,
    pub title: String,
    pub employment: String,
    pub median_annual: String,
    pub education: String,
    pub openings: String,
}

/// The occupations block: which industry, why that one, and its largest occupations.
pub struct OccBlock {
    pub code: String,
    pub industry: String,
    pub why: String,
    pub period: String,
    pub wage_area: String,
    pub rows: Vec<OccRow>,
    pub more: usize,
    pub unallocated: String,
    /// Why there are no occupations, when there are none.
    pub problem: String,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "report_needs.html")]
pub struct NeedsReportTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub partnership: String,
    pub region: RegionView,
    pub counties: Vec<(String, String)>,
    pub period: String,
    pub base: String,
    pub ownership: String,
    pub level: String,
    pub weights: String,
    pub sources: Vec<SourceLine>,
    pub source_line: String,
    pub generated: String,
    pub error: Option<String>,
    pub region_employment: String,
    pub ranked: usize,
    pub industries: usize,
    pub not_disclosed: usize,
    pub hachman: String,
    pub estimated_share: String,
    pub top: usize,
    pub rows: Vec<RowView>,
    /// Industries outside the top N whose employment BLS suppressed (wholly or in part).
    pub suppressed: Vec<RowView>,
    pub has_projections: bool,
    pub bubble_svg: String,
    pub shortlist: Vec<ShortlistView>,
    pub occupations: Option<OccBlock>,
    pub notes: Vec<String>,
    pub table_href: String,
    /// (label, href) of the report's data as files.
    pub data_links: Vec<(String, String)>,
}

/// Escapes text for a CSS string literal (`"…"`) inside a `<style>` element: everything but
/// letters, digits, spaces and plain punctuation becomes a hex escape, so neither `"` nor
/// `</style>` can end the string or the element.
pub fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | ',' | '.' | ':' | ';' | '(' | ')' | '-') {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The newest period of the region that also has national data (so LQs exist), else the newest
/// period: the target table's default.
async fn default_period(state: &AppState, periods: &[Period]) -> Result<Option<Period>, AppError> {
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

fn level_label(req: &TargetRequest) -> String {
    match req.level.as_str() {
        "supersector" => "supersectors".into(),
        "sector" => "NAICS sectors".into(),
        d => format!("NAICS {d}-digit industries"),
    }
}

async fn shortlist_views(
    state: &AppState,
    tenant: &Tenant,
    items: &[ShortlistItem],
) -> Result<Vec<ShortlistView>, AppError> {
    let mut out = Vec::new();
    for s in items {
        let comments = state
            .store
            .shortlist_comments(tenant.id, s.id)
            .await?
            .into_iter()
            .map(|c| {
                (
                    c.author.unwrap_or_else(|| "former member".into()),
                    date(&c.created_at),
                    c.body,
                )
            })
            .collect();
        out.push(ShortlistView {
            code: s.industry_code.clone(),
            title: s.industry_title.clone(),
            chosen_on: format!("{}, {}", s.region_name, s.period),
            added: format!(
                "{}{}",
                date(&s.added_at),
                s.added_by_name
                    .as_ref()
                    .map(|n| format!(" by {n}"))
                    .unwrap_or_default()
            ),
            reason: s.note.clone(),
            comments,
        });
    }
    Ok(out)
}

/// The occupations of one industry in the region, from the occupations page's engine call.
async fn occupation_block(
    state: &AppState,
    region: &Region,
    period: Period,
    code: &str,
    title: &str,
    why: &str,
) -> Result<OccBlock, AppError> {
    let mut block = OccBlock {
        code: code.to_string(),
        industry: format!("{code} {title}"),
        why: why.to_string(),
        period: period.to_string(),
        wage_area: String::new(),
        rows: Vec::new(),
        more: 0,
        unallocated: String::new(),
        problem: String::new(),
        notes: Vec::new(),
    };
    let mut req = OccupationRequest::new(region.counties.clone(), vec![code.to_string()]);
    req.period = Some(period);
    let report = match compute_occupations(&state.store, &req).await {
        Ok(r) => r,
        Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
        Err(e) => {
            block.problem = e.to_string();
            return Ok(block);
        }
    };
    if let Some(i) = report.industries.first()
        && let Some(p) = &i.no_pattern
    {
        block.problem = p.clone();
    }
    block.period = report.period.clone();
    block.wage_area = report
        .wage_area
        .as_ref()
        .map(|w| format!("{} ({}), {}", w.title, w.code, w.basis))
        .unwrap_or_else(|| "no OEWS area loaded".into());
    block.rows = report
        .lines
        .iter()
        .take(REPORT_OCCUPATIONS)
        .map(|l| {
            let ep = l.ep.as_ref();
            OccRow {
                code: l.code.clone(),
                title: l.title.clone(),
                employment: l
                    .employment
                    .map(|e| thousands(e.round()))
                    .unwrap_or_else(|| "—".into()),
                median_annual: format!(
                    "{}{}",
                    wage(l.annual[2], true),
                    if l.national_wages { " (national)" } else { "" }
                ),
                education: match ep {
                    None if report.ep_loaded => "not in EP".into(),
                    None => "—".into(),
                    Some(e) => e.education.map(|x| x.bls_label()).unwrap_or("—").into(),
                },
                openings: ep
                    .and_then(|e| e.regional_openings)
                    .map(|o| thousands(o.round()))
                    .unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    block.more = report.lines.len().saturating_sub(REPORT_OCCUPATIONS);
    if report.total > 0.0 && !report.renormalised {
        block.unallocated = format!(
            "{} jobs ({:.1}%)",
            thousands(report.unallocated.round()),
            100.0 * report.unallocated / report.total
        );
    }
    block.notes = report.notes.clone();
    if block.rows.is_empty() && block.problem.is_empty() {
        block.problem = "No occupations: the staffing pattern gives none for this industry.".into();
    }
    Ok(block)
}

/// The figures the reports take from a target table: ranked rows in order, as table rows.
fn top_rows(t: &TargetTable, top: usize, shortlisted: &BTreeSet<String>) -> Vec<RowView> {
    let none = PerFactor::from_fn(|_| Highlight::None);
    t.ranked_rows()
        .into_iter()
        .take(top)
        .map(|r| row_view(r, &none, top, shortlisted))
        .collect()
}

/// `GET /p/{pid}/regions/{rid}/report`: the needs-assessment summary of a region, with the
/// target table's settings from the query string.
pub async fn needs_assessment(
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
    // The report's tables and chart as files: the target table's downloads with the same
    // settings, and the shortlist and occupations pages' CSVs.
    let table_uri: axum::http::Uri = format!(
        "/p/{}/regions/{}{}",
        tenant.id.0,
        region.id,
        uri.query().map(|q| format!("?{q}")).unwrap_or_default()
    )
    .parse()
    .map_err(|_| AppError::BadRequest("the query string is not valid".into()))?;
    let dl = |extra: &[(&str, &str)]| crate::handlers::downloads::download_href(&table_uri, extra);
    let data_links = vec![
        ("target table (CSV)".to_string(), dl(&[("format", "csv")])),
        ("workbook (xlsx)".to_string(), dl(&[("format", "xlsx")])),
        (
            "bubble chart (SVG)".to_string(),
            dl(&[("chart", "bubble"), ("format", "svg")]),
        ),
        (
            "bubble chart (PNG)".to_string(),
            dl(&[("chart", "bubble"), ("format", "png")]),
        ),
        (
            "shortlist (CSV)".to_string(),
            format!("/p/{}/region?format=csv&table=shortlist", tenant.id.0),
        ),
    ];
    let periods = periods_for(&state, &region).await?;
    let period = match parse_period(q.period.as_deref())? {
        Some(p) => Some(p),
        None => default_period(&state, &periods).await?,
    };
    let geo = Geography::embedded();
    let counties: Vec<(String, String)> = region
        .county_list()
        .iter()
        .map(|c| (c.to_string(), geo.title(c).unwrap_or(c).to_string()))
        .collect();
    let items = state.store.shortlist(tenant.id).await?;
    let shortlisted: BTreeSet<String> = items.iter().map(|s| s.industry_code.clone()).collect();
    let generated = date(&sectorkit_store::now_unix());
    let mut view = NeedsReportTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "region"),
        pid: tenant.id.0,
        partnership: partnership.name.clone(),
        region: region_view(&region),
        counties,
        period: String::new(),
        base: String::new(),
        ownership: String::new(),
        level: String::new(),
        weights: String::new(),
        sources: Vec::new(),
        source_line: String::new(),
        generated: generated.clone(),
        error: None,
        region_employment: String::new(),
        ranked: 0,
        industries: 0,
        not_disclosed: 0,
        hachman: String::new(),
        estimated_share: String::new(),
        top: 0,
        rows: Vec::new(),
        suppressed: Vec::new(),
        has_projections: false,
        bubble_svg: String::new(),
        shortlist: shortlist_views(&state, &tenant, &items).await?,
        occupations: None,
        notes: Vec::new(),
        table_href: format!("/p/{}/regions/{}", tenant.id.0, region.id),
        data_links,
    };
    let Some(period) = period else {
        view.error = Some(
            "No QCEW data is loaded for this region's counties yet, so there is nothing to \
             report. Import the official files on the data page or with `sectorkit qcew import`."
                .into(),
        );
        view.source_line = format!("{} · {} · sectorkit", partnership.name, region.name);
        return Ok(page(&view)?.into_response());
    };
    let req = request_for(&region, &q, period)?;
    let (table, geo_region) = match compute_targets(Some(&state.store), &req, None).await {
        Ok(x) => x,
        Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::BadRequest(e.to_string())),
    };
    view.period = period.to_string();
    view.base = req.base_period.map(|p| p.to_string()).unwrap_or_default();
    view.ownership = req.ownership.title().to_string();
    view.level = level_label(&req);
    view.weights = req
        .weights
        .map(|w| {
            sectorkit_core::rank::Factor::ALL
                .iter()
                .map(|f| format!("{} ×{}", f.label(), w.get(*f)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    view.top = req.top;
    // Sources: the QCEW files of the period and base period, the occupation files.
    for s in table_sources(Some(&state.store), &req)
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        view.sources.push(SourceLine {
            what: "BLS QCEW".into(),
            file: s.file,
            vintage: match (s.imported_at, s.sha256) {
                (Some(t), Some(h)) => format!("imported {}, SHA-256 {}…", date(&t), &h[..12]),
                _ => String::new(),
            },
        });
    }
    view.source_line = format!(
        "{} · {} · BLS QCEW {period}{} · sectorkit, {generated}",
        partnership.name,
        region.name,
        if req.ownership.code() == 5 {
            ", private"
        } else {
            ""
        }
    );
    view.region_employment = figure_value(&table.region_employment)
        .map(thousands)
        .unwrap_or_else(|| "(N)".into());
    view.industries = table.rows.len();
    view.ranked = table.ranked_rows().len();
    view.not_disclosed = table
        .rows
        .iter()
        .filter(|r| r.status.as_str() != "disclosed")
        .count();
    view.hachman = fixed(table.hachman, 3);
    view.estimated_share = table
        .estimated_employment_share
        .filter(|s| *s > 0.0)
        .map(|s| format!("{:.1}%", s * 100.0))
        .unwrap_or_default();
    view.rows = top_rows(&table, req.top, &shortlisted);
    let none = PerFactor::from_fn(|_| Highlight::None);
    let shown: BTreeSet<&str> = view.rows.iter().map(|r| r.code.as_str()).collect();
    view.suppressed = table
        .rows
        .iter()
        .filter(|r| r.status.as_str() != "disclosed" && !shown.contains(r.industry_code.as_str()))
        .map(|r| row_view(r, &none, req.top, &shortlisted))
        .collect();
    view.has_projections = table.rows.iter().any(|r| r.projection.is_some());
    view.bubble_svg = charts_for(&table, &region.name, &shortlisted, req.top).0;
    view.notes = geo_region.notes.clone();
    view.notes.extend(table.notes.iter().map(|n| n.to_string()));
    // The occupations of the first shortlisted industry that is in this table, else of the
    // top-ranked industry.
    let in_table = |code: &str| -> Option<&TargetRow> {
        table.rows.iter().find(|r| r.industry_code.as_str() == code)
    };
    let pick = items
        .iter()
        .find_map(|s| in_table(&s.industry_code).map(|r| (r, "the first shortlisted industry")))
        .or_else(|| {
            table
                .ranked_rows()
                .first()
                .map(|r| (*r, "the top-ranked industry"))
        });
    if let Some((row, why)) = pick {
        let block = occupation_block(
            &state,
            &region,
            period,
            row.industry_code.as_str(),
            &row.industry_title,
            why,
        )
        .await?;
        if block.problem.is_empty() {
            for d in state.store.occ_datasets().await? {
                view.sources.push(SourceLine {
                    what: match d.kind.as_str() {
                        "oews" => "BLS OEWS".to_string(),
                        "ep" => "BLS Employment Projections".to_string(),
                        "onet" => "O*NET".to_string(),
                        k => k.to_string(),
                    },
                    file: d.file_name,
                    vintage: format!(
                        "imported {}, SHA-256 {}…",
                        date(&d.imported_at),
                        &d.sha256[..12.min(d.sha256.len())]
                    ),
                });
            }
        }
        view.occupations = Some(block);
    }
    Ok(page(&view)?.into_response())
}

// ---- the one-pager ---------------------------------------------------------------------------

/// Members of one role, by name.
pub struct RoleGroup {
    pub role: String,
    pub names: Vec<String>,
}

/// The one-pager's figures of the primary region.
pub struct KeyNumbers {
    pub region_id: i64,
    pub period: String,
    pub base: String,
    pub region_employment: String,
    pub rows: Vec<RowView>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "report_one_pager.html")]
pub struct OnePagerTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub name: String,
    pub description: String,
    pub focus: Vec<String>,
    pub region: Option<RegionView>,
    pub groups: Vec<RoleGroup>,
    pub shortlist: Vec<ShortlistView>,
    pub numbers: Option<KeyNumbers>,
    pub not_built: Vec<&'static Section>,
    pub source_line: String,
    pub generated: String,
}

/// `GET /p/{pid}/one-pager`: the partnership on one page.
pub async fn one_pager(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
) -> Result<Response, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let members = state.store.members(tenant.id).await?;
    let regions = state.store.regions(tenant.id).await?;
    let items = state.store.shortlist(tenant.id).await?;
    let primary = regions.iter().find(|r| r.is_primary).or(regions.first());
    let groups = Role::ALL
        .iter()
        .filter_map(|role| {
            let mut names: Vec<String> = members
                .iter()
                .filter(|m| m.role == *role)
                .map(|m| {
                    if m.name.trim().is_empty() {
                        m.email.clone()
                    } else {
                        m.name.clone()
                    }
                })
                .collect();
            names.sort();
            (!names.is_empty()).then(|| RoleGroup {
                role: role.label().to_string(),
                names,
            })
        })
        .collect();
    let shortlisted: BTreeSet<String> = items.iter().map(|s| s.industry_code.clone()).collect();
    let generated = date(&sectorkit_store::now_unix());
    let mut numbers = None;
    let mut source = String::new();
    if let Some(region) = primary {
        let periods = periods_for(&state, region).await?;
        let mut k = KeyNumbers {
            region_id: region.id,
            period: String::new(),
            base: String::new(),
            region_employment: String::new(),
            rows: Vec::new(),
            error: None,
        };
        match default_period(&state, &periods).await? {
            None => {
                k.error = Some("No QCEW data is loaded for the region's counties yet.".into());
            }
            Some(period) => {
                let mut req = request_for(region, &TableQuery::default(), period)?;
                req.top = ONE_PAGER_INDUSTRIES;
                match compute_targets(Some(&state.store), &req, None).await {
                    Ok((t, _)) => {
                        k.period = period.to_string();
                        k.base = req.base_period.map(|p| p.to_string()).unwrap_or_default();
                        k.region_employment = figure_value(&t.region_employment)
                            .map(thousands)
                            .unwrap_or_else(|| "(N)".into());
                        k.rows = top_rows(&t, ONE_PAGER_INDUSTRIES, &shortlisted);
                        source = format!(" · BLS QCEW {period}, private");
                    }
                    Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
                    Err(e) => k.error = Some(e.to_string()),
                }
            }
        }
        numbers = Some(k);
    }
    let view = OnePagerTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, ""),
        pid: tenant.id.0,
        focus: items
            .iter()
            .map(|s| format!("{} ({})", s.industry_title, s.industry_code))
            .collect(),
        region: primary.map(region_view),
        groups,
        shortlist: shortlist_views(&state, &tenant, &items).await?,
        numbers,
        not_built: SECTIONS.iter().filter(|s| !s.built).collect(),
        source_line: format!("{}{source} · sectorkit, {generated}", partnership.name),
        generated,
        name: partnership.name,
        description: partnership.description,
    };
    Ok(page(&view)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(
            css_string("Central Ohio, 2020Q1"),
            "\"Central Ohio, 2020Q1\""
        );
        let s = css_string("a\"b</style><script>\\");
        assert!(!s[1..s.len() - 1].contains('"'));
        assert!(!s.contains('<') && !s.contains('>'));
        assert_eq!(s.matches('\\').count(), 7, "{s}");
        assert!(s.contains("\\22 "), "quote escaped: {s}");
    }
}
