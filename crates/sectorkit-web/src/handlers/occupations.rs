//! The Occupations section: a region's target industries → their occupations (staffing
//! pattern applied to the region's employment), wages against the partnership's living wage,
//! location quotients, projections and openings, education and training, job zones, a career
//! ladder, and the living-wage table import.
//!
//! The numbers come from `sectorkit_engine::occupations` (the same as `sectorkit occupations`);
//! this module parses the query, renders, and offers the table as CSV.

use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, extract::Path};
use serde::Deserialize;

use sectorkit_core::education::TypicalEducation;
use sectorkit_core::living_wage::FamilyType;
use sectorkit_core::role::Role;
use sectorkit_data::oews::OewsValue;
use sectorkit_engine::occupations::{
    OccupationLine, OccupationReport, OccupationRequest, TOP_CODE_ANNUAL, TOP_CODE_HOURLY,
    compute_occupations,
};
use sectorkit_store::{LivingWageDb, Region};

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::downloads::{ChartLinks, chart_file, is_chart_format, unknown_chart};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};

/// Largest living-wage upload (a whole-country MIT table is ~2 MB).
pub const MAX_LW_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OccQuery {
    /// Region id (default: the primary region).
    pub region: Option<i64>,
    /// NAICS codes, comma-separated; `shortlist` for every shortlisted industry.
    pub industry: Option<String>,
    /// Living-wage family type code (default 1a0c).
    pub family: Option<String>,
    /// Highest typical education to show (EP code).
    pub edu: Option<String>,
    /// Minimum median annual wage.
    pub min_wage: Option<String>,
    /// Minimum regional annual openings.
    pub min_openings: Option<String>,
    /// `1`: renormalise shares to 100%.
    pub renorm: Option<String>,
    /// `zone` (default) or `education`.
    pub ladder: Option<String>,
    /// `csv` to download the table, `svg`/`png` the career ladder (`chart=ladder`).
    pub format: Option<String>,
    /// With `format=svg|png`: `ladder`.
    pub chart: Option<String>,
    /// With `format=csv`: `occupations` (default) or `ladder` (the ladder as a table).
    pub table: Option<String>,
    /// Set after a living-wage import.
    pub imported: Option<String>,
}

pub struct Row {
    pub code: String,
    pub title: String,
    pub employment: String,
    pub share: String,
    pub hourly_median: String,
    pub annual: [String; 5],
    pub national_wages: bool,
    pub lq: String,
    pub lq_computed: bool,
    pub growth: String,
    pub openings: String,
    pub education: String,
    pub experience: String,
    pub training: String,
    pub job_zone: String,
    pub in_ep: bool,
    /// `above`, `below` or empty.
    pub living_wage: String,
}

pub struct IndustryLine {
    pub naics: String,
    pub title: String,
    pub employment: String,
    pub basis: String,
    pub pattern: String,
    pub problem: String,
}

/// One rung of the ladder as a table row group.
pub struct Rung {
    pub label: String,
    pub occupations: Vec<(String, String, String, bool)>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(askama::Template)]
#[template(path = "occupations.html")]
pub struct OccupationsTemplate {
    pub chrome: Chrome,
    pub pid: i64,
    pub regions: Vec<Choice>,
    pub region_name: String,
    pub region_id: i64,
    pub industry: String,
    pub shortlist: Vec<Choice>,
    pub families: Vec<Choice>,
    pub educations: Vec<Choice>,
    pub min_wage: String,
    pub min_openings: String,
    pub renorm: bool,
    pub ladder_by_education: bool,
    pub error: Option<String>,
    pub report: Option<ReportView>,
    pub rows: Vec<Row>,
    pub hidden_by_filters: usize,
    pub industries: Vec<IndustryLine>,
    pub ladder_svg: String,
    pub ladder_links: ChartLinks,
    pub ladder_csv: String,
    /// The same ladder as a table: rungs, occupations with median wage, entry points.
    pub ladder_rows: Vec<Rung>,
    pub csv_href: String,
    pub living_wage: String,
    pub lw_rows: usize,
    pub lw_vintages: String,
    pub can_edit: bool,
    pub lw_header: &'static str,
    pub message: Option<String>,
}

pub struct ReportView {
    pub period: String,
    pub wage_area: String,
    pub wage_basis: String,
    pub total: String,
    pub unallocated: String,
    pub unallocated_share: String,
    pub renormalised: bool,
    pub notes: Vec<String>,
    pub unmatched: usize,
    pub ep_loaded: bool,
    pub onet_loaded: bool,
}

fn count(x: f64) -> String {
    crate::format_count(x)
}

pub fn wage(v: OewsValue, annual: bool) -> String {
    match v {
        OewsValue::Value(x) if annual => format!("${}", count(x)),
        OewsValue::Value(x) => format!("${x:.2}"),
        OewsValue::TopCoded if annual => format!("≥ ${}", count(TOP_CODE_ANNUAL)),
        OewsValue::TopCoded => format!("≥ ${TOP_CODE_HOURLY:.2}"),
        OewsValue::Suppressed => "not released".into(),
        _ => "—".into(),
    }
}

fn parse_num(s: &Option<String>, what: &str) -> Result<Option<f64>, AppError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .replace([',', '$'], "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest(format!("{what}: {t:?} is not a number"))),
    }
}

/// The partnership's living wage for a region: the mean of its counties' figures for the
/// family type (the state's figure for counties without one), with the range in words.
pub fn living_wage_for(
    rows: &[LivingWageDb],
    counties: &[&str],
    family: FamilyType,
) -> Option<(f64, String)> {
    let fam = family.code();
    let newest = |area: &str| {
        rows.iter()
            .filter(|r| r.county_fips == area && r.family_type == fam)
            .max_by(|a, b| a.vintage.cmp(&b.vintage))
    };
    let mut vals = Vec::new();
    let mut from_state = 0;
    for c in counties {
        if let Some(r) = newest(c) {
            vals.push(r);
        } else if let Some(r) = newest(&format!("{}000", &c[..2])) {
            vals.push(r);
            from_state += 1;
        }
    }
    if vals.is_empty() {
        return None;
    }
    let mean = vals.iter().map(|r| r.hourly).sum::<f64>() / vals.len() as f64;
    let lo = vals.iter().map(|r| r.hourly).fold(f64::INFINITY, f64::min);
    let hi = vals.iter().map(|r| r.hourly).fold(0.0, f64::max);
    let vintages: std::collections::BTreeSet<&str> =
        vals.iter().map(|r| r.vintage.as_str()).collect();
    let mut label = format!(
        "${mean:.2}/h for {} ({}; {} of {} counties{}; range ${lo:.2}–${hi:.2}; {} {})",
        family.label(),
        if vals.len() > 1 {
            "mean of the counties"
        } else {
            "one county"
        },
        vals.len(),
        counties.len(),
        if from_state > 0 {
            format!(", {from_state} from the state figure")
        } else {
            String::new()
        },
        vals[0].source,
        vintages.into_iter().collect::<Vec<_>>().join(", ")
    );
    if vals.len() == 1 {
        label = format!(
            "${mean:.2}/h for {} ({}, {})",
            family.label(),
            vals[0].source,
            vals[0].vintage
        );
    }
    Some((mean, label))
}

fn education_label(e: TypicalEducation) -> &'static str {
    e.bls_label()
}

fn row_view(l: &OccupationLine, ep_loaded: bool) -> Row {
    let ep = l.ep.as_ref();
    Row {
        code: l.code.clone(),
        title: l.title.clone(),
        employment: l
            .employment
            .map(|e| count(e.round()))
            .unwrap_or_else(|| "—".into()),
        share: format!("{:.1}%", 100.0 * l.share),
        hourly_median: wage(l.hourly[2], false),
        annual: l.annual.map(|v| wage(v, true)),
        national_wages: l.national_wages,
        lq: l
            .lq
            .map(|x| format!("{x:.2}"))
            .unwrap_or_else(|| "—".into()),
        lq_computed: l.lq_source == Some("computed"),
        growth: ep
            .and_then(|e| e.growth_pct)
            .map(|g| format!("{g:+.1}%"))
            .unwrap_or_else(|| "—".into()),
        openings: ep
            .and_then(|e| e.regional_openings)
            .map(|o| count(o.round()))
            .unwrap_or_else(|| "—".into()),
        education: match ep {
            None if ep_loaded => "not in EP".into(),
            None => "—".into(),
            Some(e) => e.education.map(education_label).unwrap_or("—").to_string(),
        },
        experience: ep
            .and_then(|e| e.work_experience)
            .map(|x| x.bls_label().to_string())
            .unwrap_or_else(|| "—".into()),
        training: ep
            .and_then(|e| e.training)
            .map(|x| x.bls_label().to_string())
            .unwrap_or_else(|| "—".into()),
        job_zone: l
            .job_zone
            .map(|z| z.get().to_string())
            .unwrap_or_else(|| "—".into()),
        in_ep: ep.is_some(),
        living_wage: match l.above_living_wage {
            Some(true) => "above".into(),
            Some(false) => "below".into(),
            None => String::new(),
        },
    }
}

fn passes(
    l: &OccupationLine,
    edu: Option<TypicalEducation>,
    min_wage: Option<f64>,
    min_open: Option<f64>,
) -> bool {
    if let Some(max) = edu
        && let Some(e) = l.ep.as_ref().and_then(|e| e.education)
        && e > max
    {
        return false;
    }
    if let Some(w) = min_wage {
        let ok = match l.annual[2] {
            OewsValue::Value(a) => a >= w,
            OewsValue::TopCoded => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    if let Some(o) = min_open
        && l.ep
            .as_ref()
            .and_then(|e| e.regional_openings)
            .unwrap_or(0.0)
            < o
    {
        return false;
    }
    true
}

fn ladder(
    report: &OccupationReport,
    lines: &[&OccupationLine],
    by_education: bool,
) -> (String, Vec<Rung>) {
    use sectorkit_charts::{LadderOccupation, LadderOptions, LadderWage, career_ladder};
    let top: Vec<&&OccupationLine> = lines.iter().take(30).collect();
    let occs: Vec<LadderOccupation> = top
        .iter()
        .filter_map(|l| {
            let rung = if by_education {
                l.ep.as_ref()?.education? as usize
            } else {
                l.job_zone?.get() as usize - 1
            };
            let ep = l.ep.as_ref();
            Some(LadderOccupation {
                code: l.code.clone(),
                title: l.title.clone(),
                rung,
                median_wage: match l.annual[2] {
                    OewsValue::Value(a) => LadderWage::Annual(a),
                    OewsValue::TopCoded => LadderWage::AtLeast(TOP_CODE_ANNUAL),
                    _ => LadderWage::NotAvailable,
                },
                employment: l.employment,
                // An entry point: no formal credential or a high-school diploma, and no prior
                // experience in a related occupation (training on the job is fine).
                entry_point: ep.is_some_and(|e| {
                    e.education.is_some_and(|x| x.is_entry_level())
                        && e.work_experience.is_none_or(|w| w.code() == "none")
                }),
            })
        })
        .collect();
    if occs.is_empty() {
        return (String::new(), Vec::new());
    }
    let title = format!(
        "Career ladder: the {} largest occupations of {} in {}",
        occs.len(),
        report
            .industries
            .iter()
            .map(|i| i.title.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        report.region_name
    );
    let mut opts = if by_education {
        LadderOptions::typical_education(&title)
    } else {
        LadderOptions::job_zones(&title)
    };
    opts.entry_label =
        "Entry point: no formal credential or a high-school diploma, and no prior experience"
            .into();
    let mut rungs = Vec::new();
    for (i, r) in opts.rungs.iter().enumerate() {
        let mut here: Vec<&LadderOccupation> = occs.iter().filter(|o| o.rung == i).collect();
        if here.is_empty() {
            continue;
        }
        let w = |o: &LadderOccupation| match o.median_wage {
            LadderWage::Annual(a) | LadderWage::AtLeast(a) => a,
            LadderWage::NotAvailable => -1.0,
        };
        here.sort_by(|a, b| w(b).total_cmp(&w(a)));
        rungs.push(Rung {
            label: if r.note.is_empty() {
                r.label.clone()
            } else {
                format!("{} ({})", r.label, r.note)
            },
            occupations: here
                .iter()
                .map(|o| {
                    (
                        o.code.clone(),
                        o.title.clone(),
                        match o.median_wage {
                            LadderWage::Annual(a) => format!("${}", count(a)),
                            LadderWage::AtLeast(a) => format!("≥ ${}", count(a)),
                            LadderWage::NotAvailable => "wage not available".into(),
                        },
                        o.entry_point,
                    )
                })
                .collect(),
        });
    }
    (career_ladder(&occs, &opts), rungs)
}

fn csv_body(report: &OccupationReport) -> String {
    let mut w = sectorkit_export::SafeCsv::from_writer(Vec::new());
    let _ = w.write_record([
        "occ_code",
        "occ_title",
        "employment",
        "share",
        "h_median",
        "a_pct10",
        "a_pct25",
        "a_median",
        "a_pct75",
        "a_pct90",
        "wages_from",
        "lq",
        "lq_source",
        "growth_pct",
        "regional_openings",
        "education",
        "work_experience",
        "training",
        "job_zone",
        "above_living_wage",
    ]);
    let text = |v: OewsValue| match v {
        OewsValue::Value(x) => format!("{x}"),
        OewsValue::TopCoded => "top-coded".into(),
        OewsValue::Suppressed => "not released".into(),
        OewsValue::NotAvailable => "not available".into(),
        _ => String::new(),
    };
    for l in &report.lines {
        let ep = l.ep.as_ref();
        let f = |v: Option<f64>, d: usize| v.map(|x| format!("{x:.d$}")).unwrap_or_default();
        let mut rec = vec![
            l.code.clone(),
            l.title.clone(),
            f(l.employment, 1),
            format!("{:.6}", l.share),
            text(l.hourly[2]),
        ];
        rec.extend(l.annual.iter().map(|v| text(*v)));
        rec.push(if l.national_wages {
            "national".into()
        } else {
            report
                .wage_area
                .as_ref()
                .map(|w| w.code.clone())
                .unwrap_or_default()
        });
        rec.push(f(l.lq, 2));
        rec.push(l.lq_source.unwrap_or("").into());
        rec.push(f(ep.and_then(|e| e.growth_pct), 1));
        rec.push(f(ep.and_then(|e| e.regional_openings), 1));
        rec.push(
            ep.and_then(|e| e.education)
                .map(|x| x.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(
            ep.and_then(|e| e.work_experience)
                .map(|x| x.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(
            ep.and_then(|e| e.training)
                .map(|x| x.code().to_string())
                .unwrap_or_default(),
        );
        rec.push(l.job_zone.map(|z| z.get().to_string()).unwrap_or_default());
        rec.push(
            l.above_living_wage
                .map(|b| b.to_string())
                .unwrap_or_default(),
        );
        let _ = w.write_record(&rec);
    }
    if !report.renormalised && report.total > 0.0 {
        let mut rec = vec![
            "unallocated".to_string(),
            "Occupations BLS does not publish for these industries".into(),
            format!("{:.1}", report.unallocated),
            format!("{:.6}", report.unallocated / report.total),
        ];
        rec.resize(20, String::new());
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

async fn build(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &OccQuery,
    message: Option<String>,
) -> Result<(OccupationsTemplate, Option<OccupationReport>), AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let regions = state.store.regions(tenant.id).await?;
    let region: Option<&Region> = match q.region {
        Some(id) => Some(
            regions
                .iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)?,
        ),
        None => regions.iter().find(|r| r.is_primary).or(regions.first()),
    };
    let shortlist = state.store.shortlist(tenant.id).await?;
    let industry = match q.industry.as_deref().map(str::trim) {
        Some("shortlist") => shortlist
            .iter()
            .map(|s| s.industry_code.clone())
            .collect::<Vec<_>>()
            .join(","),
        Some(s) if !s.is_empty() => s.to_string(),
        _ => shortlist
            .first()
            .map(|s| s.industry_code.clone())
            .unwrap_or_default(),
    };
    let codes: Vec<String> = industry
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let family = q
        .family
        .as_deref()
        .and_then(|f| f.parse::<FamilyType>().ok())
        .unwrap_or(FamilyType::DEFAULT);
    let edu = q.edu.as_deref().and_then(TypicalEducation::from_code);
    let min_wage = parse_num(&q.min_wage, "Median wage at least")?;
    let min_open = parse_num(&q.min_openings, "Openings at least")?;
    let lw_rows = state.store.living_wages(tenant.id).await?;
    let by_education = q.ladder.as_deref() == Some("education");

    let mut t = OccupationsTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "occupations"),
        pid: tenant.id.0,
        regions: regions
            .iter()
            .map(|r| Choice {
                value: r.id.to_string(),
                label: r.name.clone(),
                selected: region.is_some_and(|x| x.id == r.id),
            })
            .collect(),
        region_name: region.map(|r| r.name.clone()).unwrap_or_default(),
        region_id: region.map(|r| r.id).unwrap_or(0),
        industry: industry.clone(),
        shortlist: shortlist
            .iter()
            .map(|s| Choice {
                value: s.industry_code.clone(),
                label: format!("{} {}", s.industry_code, s.industry_title),
                selected: codes.contains(&s.industry_code),
            })
            .collect(),
        families: FamilyType::ALL
            .iter()
            .map(|f| Choice {
                value: f.code().to_string(),
                label: f.label().to_string(),
                selected: *f == family,
            })
            .collect(),
        educations: TypicalEducation::ALL
            .iter()
            .map(|e| Choice {
                value: e.code().to_string(),
                label: e.bls_label().to_string(),
                selected: Some(*e) == edu,
            })
            .collect(),
        min_wage: q.min_wage.clone().unwrap_or_default(),
        min_openings: q.min_openings.clone().unwrap_or_default(),
        renorm: q.renorm.as_deref() == Some("1"),
        ladder_by_education: by_education,
        error: None,
        report: None,
        rows: Vec::new(),
        hidden_by_filters: 0,
        industries: Vec::new(),
        ladder_svg: String::new(),
        ladder_links: ChartLinks::default(),
        ladder_csv: String::new(),
        ladder_rows: Vec::new(),
        csv_href: String::new(),
        living_wage: String::new(),
        lw_rows: lw_rows.len(),
        lw_vintages: lw_rows
            .iter()
            .map(|r| r.vintage.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", "),
        can_edit: tenant.role.allows(Role::Staff),
        lw_header: sectorkit_data::living_wage::TEMPLATE_HEADER,
        message,
    };
    let Some(region) = region else {
        t.error = Some("Build a region first (Region & industries).".into());
        return Ok((t, None));
    };
    if codes.is_empty() {
        t.error = Some("Name an industry (a NAICS code such as 6221), or shortlist one on the Region & industries page.".into());
        return Ok((t, None));
    }
    let counties = region.county_list();
    let lw = living_wage_for(&lw_rows, &counties, family);
    if let Some((_, label)) = &lw {
        t.living_wage = label.clone();
    }
    let mut req = OccupationRequest::new(region.counties.clone(), codes.clone());
    req.renormalise = t.renorm;
    req.living_wage = lw;
    let report = match compute_occupations(&state.store, &req).await {
        Ok(r) => r,
        Err(sectorkit_engine::EngineError::Store(e)) => return Err(e.into()),
        Err(e) => {
            t.error = Some(e.to_string());
            return Ok((t, None));
        }
    };
    let visible: Vec<&OccupationLine> = report
        .lines
        .iter()
        .filter(|l| passes(l, edu, min_wage, min_open))
        .collect();
    t.hidden_by_filters = report.lines.len() - visible.len();
    t.rows = visible
        .iter()
        .map(|l| row_view(l, report.ep_loaded))
        .collect();
    (t.ladder_svg, t.ladder_rows) = ladder(&report, &visible, by_education);
    t.industries = report
        .industries
        .iter()
        .map(|i| IndustryLine {
            naics: i.naics.clone(),
            title: i.title.clone(),
            employment: i
                .employment
                .map(|e| count(e.round()))
                .unwrap_or_else(|| "unknown".into()),
            basis: i.employment_basis.clone(),
            pattern: i
                .pattern
                .as_ref()
                .map(|m| {
                    format!(
                        "OEWS {} {} ({}{}), {:.1}% of its jobs in published occupations",
                        m.oews_code,
                        m.oews_title,
                        m.level,
                        if m.exact {
                            ""
                        } else {
                            ", the nearest containing industry"
                        },
                        100.0 * i.published_share.unwrap_or(0.0)
                    )
                })
                .unwrap_or_default(),
            problem: i.no_pattern.clone().unwrap_or_default(),
        })
        .collect();
    t.csv_href = format!(
        "/p/{}/occupations?region={}&industry={}&family={}&renorm={}&format=csv",
        tenant.id.0,
        region.id,
        crate::error::urlencode(&industry),
        family.code(),
        if t.renorm { "1" } else { "0" }
    );
    t.report = Some(ReportView {
        period: report.period.clone(),
        wage_area: report
            .wage_area
            .as_ref()
            .map(|w| format!("{} ({})", w.title, w.code))
            .unwrap_or_else(|| "no OEWS area loaded".into()),
        wage_basis: report
            .wage_area
            .as_ref()
            .map(|w| w.basis.clone())
            .unwrap_or_default(),
        total: count(report.total.round()),
        unallocated: count(report.unallocated.round()),
        unallocated_share: if report.total > 0.0 {
            format!("{:.1}%", 100.0 * report.unallocated / report.total)
        } else {
            String::new()
        },
        renormalised: report.renormalised,
        notes: report.notes.clone(),
        unmatched: report.unmatched_ep.len(),
        ep_loaded: report.ep_loaded,
        onet_loaded: report.onet_loaded,
    });
    Ok((t, Some(report)))
}

/// `GET /p/{pid}/occupations`.
pub async fn occupations(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path(_pid): Path<String>,
    Query(q): Query<OccQuery>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let message = q
        .imported
        .as_ref()
        .map(|n| format!("Living-wage table imported: {n} rows."));
    let (mut t, report) = build(&state, &auth, &tenant, &q, message).await?;
    t.ladder_links = ChartLinks::new(&uri, "ladder");
    t.ladder_csv =
        crate::handlers::downloads::download_href(&uri, &[("format", "csv"), ("table", "ladder")]);
    if is_chart_format(q.format.as_deref()) {
        match q.chart.as_deref().unwrap_or("ladder") {
            "ladder" => {}
            other => return Err(unknown_chart(other, &["ladder"])),
        }
        let missing = t.error.clone().unwrap_or_else(|| {
            "The ladder needs job zones (O*NET) or typical education (EP) for the occupations."
                .into()
        });
        return chart_file(
            &format!(
                "sectorkit-ladder-region-{}-{}",
                t.region_id,
                t.industry.replace(',', "-")
            ),
            &t.ladder_svg,
            q.format.as_deref().unwrap_or("svg"),
            &missing,
        );
    }
    if q.format.as_deref() == Some("csv") && q.table.as_deref() == Some("ladder") {
        let report = report.ok_or_else(|| {
            AppError::BadRequest(
                t.error
                    .clone()
                    .unwrap_or_else(|| "nothing to export".into()),
            )
        })?;
        let mut rows = Vec::new();
        for rung in &t.ladder_rows {
            for (code, title, _, entry) in &rung.occupations {
                let line = report.lines.iter().find(|l| &l.code == code);
                let median = line.map(|l| l.annual[2]);
                rows.push(vec![
                    rung.label.clone(),
                    code.clone(),
                    title.clone(),
                    median
                        .and_then(|m| m.value())
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    median
                        .map(|m| match m {
                            OewsValue::Value(_) => "published",
                            OewsValue::TopCoded => "top_coded",
                            OewsValue::Suppressed => "suppressed",
                            OewsValue::NotAvailable => "not_available",
                            OewsValue::LessThanHalf => "less_than_half",
                            OewsValue::Blank => "blank",
                        })
                        .unwrap_or("unknown")
                        .to_string(),
                    entry.to_string(),
                ]);
            }
        }
        return crate::handlers::downloads::csv_file(
            "career-ladder.csv",
            &[
                "rung",
                "occupation_code",
                "occupation_title",
                "median_annual_wage",
                "wage_status",
                "entry_point",
            ],
            rows,
        );
    }
    if let Some(other) = q
        .table
        .as_deref()
        .filter(|t| *t != "occupations" && *t != "ladder")
    {
        return Err(crate::handlers::downloads::unknown_table(
            other,
            &["occupations", "ladder"],
        ));
    }
    if q.format.as_deref() == Some("csv") {
        let report = report.ok_or_else(|| {
            AppError::BadRequest(
                t.error
                    .clone()
                    .unwrap_or_else(|| "nothing to export".into()),
            )
        })?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"occupations.csv\"",
                ),
            ],
            csv_body(&report),
        )
            .into_response());
    }
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/occupations/living-wages`: replace the partnership's living-wage table with
/// an uploaded CSV (sectorkit's template). All or nothing.
pub async fn import_living_wages(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let data = crate::handlers::uploads::read_file(
        &mut multipart,
        |n| n.unwrap_or("living-wages.csv").to_string(),
        MAX_LW_BYTES,
        |name| {
            format!(
                "{name} is larger than {} MB. Nothing was imported.",
                MAX_LW_BYTES / 1024 / 1024
            )
        },
    )
    .await?;
    let (name, buf) =
        data.ok_or_else(|| AppError::BadRequest("Choose a file to upload.".into()))?;
    let parsed = sectorkit_data::living_wage::read_living_wages(&name, buf.as_slice());
    let rows = match parsed {
        Ok(rows) if rows.is_empty() => Err(format!("{name} has no rows. Nothing was imported.")),
        Ok(rows) => Ok(rows),
        Err(e) => Err(format!(
            "{e}. Nothing was imported; the table you had is kept."
        )),
    };
    match rows {
        Ok(rows) => {
            let db: Vec<LivingWageDb> = rows
                .iter()
                .map(|r| LivingWageDb {
                    county_fips: r.area.as_str().to_string(),
                    family_type: r.living_wage.family_type.code().to_string(),
                    hourly: r.living_wage.hourly,
                    vintage: r.vintage.to_string(),
                    source: r.source.clone(),
                })
                .collect();
            state.store.replace_living_wages(tenant.id, &db).await?;
            Ok(Redirect::to(&format!(
                "/p/{}/occupations?imported={}",
                tenant.id.0,
                db.len()
            ))
            .into_response())
        }
        Err(msg) => {
            let (mut t, _) = build(&state, &auth, &tenant, &OccQuery::default(), None).await?;
            t.error = Some(msg);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}
