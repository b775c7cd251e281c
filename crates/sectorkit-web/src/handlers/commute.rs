//! Commuting (part of the Occupations section): where a region's workers live and where its
//! residents work, from Census LODES origin-destination data imported into the store
//! (`sectorkit lodes import`). Inflow / outflow / interior, the labor shed and the commute shed
//! as a table and a county map, segments (age, earnings, industry group), and the coverage
//! report: which states' files are loaded, and when a shed is only a lower bound.
//!
//! Numbers come from `sectorkit_engine::commute::commute_from_store`, as for
//! `sectorkit commute`.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use sectorkit_data::lodes::JobType;
use sectorkit_engine::commute::{CommuteReport, commute_from_store};

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::downloads::{
    ChartLinks, chart_file, csv_file, download_href, is_chart_format, unknown_chart, unknown_table,
};
use crate::handlers::occupations::Choice;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommuteQuery {
    pub region: Option<i64>,
    /// `labor` (default) or `commute`.
    pub shed: Option<String>,
    pub year: Option<u16>,
    /// `JT00` (default) … `JT05`.
    pub jt: Option<String>,
    /// `csv`: the whole shed (every county) as a file; `svg`/`png`: the map.
    pub format: Option<String>,
    /// With `format=svg|png`: `map`.
    pub chart: Option<String>,
    /// With `format=csv`: `shed` (default) or `segments`.
    pub table: Option<String>,
}

pub struct ShedRow {
    pub county: String,
    pub name: String,
    pub jobs: String,
    pub share: String,
    pub inside: bool,
}

pub struct SegmentRow {
    pub code: String,
    pub label: String,
    pub interior: String,
    pub inflow: String,
    pub outflow: String,
}

pub struct Flows {
    pub year: u16,
    pub job_type: String,
    pub interior: String,
    pub inflow: String,
    pub outflow: String,
    pub employed: String,
    pub residents: String,
    pub inflow_share: String,
    pub outflow_share: String,
    pub labor_complete: bool,
    pub commute_lower_bound: bool,
    pub coverage_notes: Vec<String>,
    pub notes: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "commute.html")]
pub struct CommuteTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub regions: Vec<Choice>,
    pub region_id: i64,
    pub region_name: String,
    pub labor: bool,
    pub error: Option<String>,
    pub flows: Option<Flows>,
    pub shed: Vec<ShedRow>,
    pub shed_rest: String,
    pub segments: Vec<SegmentRow>,
    pub map_svg: String,
    pub map_links: ChartLinks,
    pub csv_href: String,
    pub segments_csv: String,
}

/// The whole shed (every county, not only the 25 shown) as CSV: the CLI's long format.
fn shed_csv(r: &CommuteReport, labor: bool, region_id: i64) -> Result<Response, AppError> {
    let measure = if labor { "labor_shed" } else { "commute_shed" };
    let entries = if labor {
        &r.flows.labor_shed
    } else {
        &r.flows.commute_shed
    };
    let inside: std::collections::BTreeSet<&str> =
        r.region.counties.iter().map(|c| c.as_str()).collect();
    let rows = entries.iter().map(|e| {
        vec![
            measure.to_string(),
            e.county.clone(),
            r.county_names.get(&e.county).cloned().unwrap_or_default(),
            inside.contains(e.county.as_str()).to_string(),
            e.jobs.to_string(),
            format!("{}", e.share),
        ]
    });
    csv_file(
        &format!("sectorkit-{measure}-region-{region_id}-{}.csv", r.year),
        &[
            "measure",
            "county",
            "county_name",
            "in_region",
            "jobs",
            "share",
        ],
        rows,
    )
}

fn count(x: u64) -> String {
    crate::format_count(x as f64)
}

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

fn shed_view(r: &CommuteReport, labor: bool) -> (Vec<ShedRow>, String, String) {
    let entries = if labor {
        &r.flows.labor_shed
    } else {
        &r.flows.commute_shed
    };
    let inside: std::collections::BTreeSet<&str> =
        r.region.counties.iter().map(|c| c.as_str()).collect();
    let shown = 25;
    let rows = entries
        .iter()
        .take(shown)
        .map(|e| ShedRow {
            county: e.county.clone(),
            name: r
                .county_names
                .get(&e.county)
                .cloned()
                .unwrap_or_else(|| e.county.clone()),
            jobs: count(e.jobs),
            share: format!("{:.1}%", 100.0 * e.share),
            inside: inside.contains(e.county.as_str()),
        })
        .collect();
    let rest = if entries.len() > shown {
        let jobs: u64 = entries[shown..].iter().map(|e| e.jobs).sum();
        let share: f64 = entries[shown..].iter().map(|e| e.share).sum();
        format!(
            "{} more counties: {} jobs ({:.1}%)",
            entries.len() - shown,
            count(jobs),
            100.0 * share
        )
    } else {
        String::new()
    };
    // The map: the region's states and their neighbours.
    let mut states: std::collections::BTreeSet<String> =
        r.coverage.region_states.iter().cloned().collect();
    states.extend(r.coverage.neighbour_states.iter().cloned());
    let complete: Vec<String> = r
        .coverage
        .loaded
        .iter()
        .map(|(s, _)| s.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = |fips: &str| r.county_names.get(fips).cloned();
    let map = sectorkit_charts::shed_map(&sectorkit_charts::ShedMapRequest {
        title: format!(
            "{} of {}, {} ({})",
            if labor { "Labor shed" } else { "Commute shed" },
            r.region.name,
            r.year,
            r.job_type.title()
        ),
        kind: if labor {
            sectorkit_charts::ShedKind::Labor
        } else {
            sectorkit_charts::ShedKind::Commute
        },
        region: r
            .region
            .counties
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        shares: entries
            .iter()
            .map(|e| (e.county.clone(), e.share))
            .collect(),
        states: states.into_iter().collect(),
        complete_states: complete,
        county_name: Some(&names),
        width: 620.0,
    });
    (rows, rest, map)
}

/// `GET /p/{pid}/commute`.
pub async fn commute(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path(_pid): Path<String>,
    Query(q): Query<CommuteQuery>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let regions = state.store.regions(tenant.id).await?;
    let region = match q.region {
        Some(id) => Some(
            regions
                .iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)?,
        ),
        None => regions.iter().find(|r| r.is_primary).or(regions.first()),
    };
    let labor = q.shed.as_deref() != Some("commute");
    let mut t = CommuteTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "occupations"),
        pid: tenant.id.0,
        regions: regions
            .iter()
            .map(|r| Choice {
                value: r.id.to_string(),
                label: r.name.clone(),
                selected: region.is_some_and(|x| x.id == r.id),
            })
            .collect(),
        region_id: region.map(|r| r.id).unwrap_or(0),
        region_name: region.map(|r| r.name.clone()).unwrap_or_default(),
        labor,
        error: None,
        flows: None,
        shed: Vec::new(),
        shed_rest: String::new(),
        segments: Vec::new(),
        map_svg: String::new(),
        map_links: ChartLinks::new(&uri, "map"),
        csv_href: download_href(&uri, &[("format", "csv")]),
        segments_csv: download_href(&uri, &[("format", "csv"), ("table", "segments")]),
    };
    let file_format = q.format.as_deref().filter(|f| !f.is_empty());
    if let Some(f) = file_format
        && !matches!(f, "csv" | "svg" | "png")
    {
        return Err(AppError::BadRequest(format!(
            "format: {f:?} is not csv, svg or png"
        )));
    }
    let Some(region) = region else {
        t.error = Some("Build a region first (Region & industries).".into());
        return Ok(page(&t)?.into_response());
    };
    let jt = match q.jt.as_deref() {
        None | Some("") => JobType::ALL_JOBS,
        Some(s) => JobType::parse(s)
            .ok_or_else(|| AppError::BadRequest(format!("job type {s:?}: use JT00 … JT05")))?,
    };
    let report = match commute_from_store(&state.store, &region.counties, q.year, jt).await {
        Ok(r) => r,
        Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
        Err(e) => {
            t.error = Some(e.to_string());
            return Ok(page(&t)?.into_response());
        }
    };
    let f = &report.flows;
    let (shed, rest, map) = shed_view(&report, labor);
    if is_chart_format(file_format) {
        match q.chart.as_deref().unwrap_or("map") {
            "map" => {}
            other => return Err(unknown_chart(other, &["map"])),
        }
        return chart_file(
            &format!(
                "sectorkit-{}-shed-region-{}-{}",
                if labor { "labor" } else { "commute" },
                region.id,
                report.year
            ),
            &map,
            file_format.unwrap_or("svg"),
            "No map for this region.",
        );
    }
    if file_format == Some("csv") {
        return match q.table.as_deref().unwrap_or("shed") {
            "shed" => shed_csv(&report, labor, region.id),
            "segments" => csv_file(
                &format!(
                    "sectorkit-commute-segments-region-{}-{}.csv",
                    region.id, report.year
                ),
                &["segment", "label", "interior", "inflow", "outflow"],
                f.segments.iter().map(|s| {
                    vec![
                        s.segment.code().to_string(),
                        s.segment.label().to_string(),
                        s.interior.to_string(),
                        s.inflow.to_string(),
                        s.outflow.to_string(),
                    ]
                }),
            ),
            other => Err(unknown_table(other, &["shed", "segments"])),
        };
    }
    t.shed = shed;
    t.shed_rest = rest;
    t.map_svg = map;
    t.segments = f
        .segments
        .iter()
        .map(|s| SegmentRow {
            code: s.segment.code().to_string(),
            label: s.segment.label().to_string(),
            interior: count(s.interior),
            inflow: count(s.inflow),
            outflow: count(s.outflow),
        })
        .collect();
    t.flows = Some(Flows {
        year: report.year,
        job_type: format!("{} ({})", report.job_type.title(), report.job_type.code()),
        interior: count(f.interior),
        inflow: count(f.inflow),
        outflow: count(f.outflow),
        employed: count(f.employed_in_region),
        residents: count(f.residents_employed),
        inflow_share: pct(f.inflow, f.employed_in_region),
        outflow_share: pct(f.outflow, f.residents_employed),
        labor_complete: report.coverage.labor_shed_complete,
        commute_lower_bound: report.coverage.commute_shed_lower_bound,
        coverage_notes: report.coverage.notes.clone(),
        notes: report.notes.clone(),
        sources: report
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} ({} rows)",
                    s.file_name,
                    crate::format_count(s.rows as f64)
                )
            })
            .collect(),
    });
    Ok(page(&t)?.into_response())
}
