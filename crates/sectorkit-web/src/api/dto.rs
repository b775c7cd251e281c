//! The API's JSON shapes. They are the contract (described in the OpenAPI document by their
//! `ToSchema` derives), kept apart from the core types so the core stays free of web concerns and
//! the wire format changes only on purpose.
//!
//! Conventions: a suppressed or unknown number is `null` with a `status` saying why, never 0;
//! non-finite floats never reach the wire ([`finite`]).

use sectorkit_core::role::Role;
use sectorkit_core::targets::{Exclusion, TargetRow};
use sectorkit_core::value::{Cell, Figure, Status};
use sectorkit_data::oews::OewsValue;
use sectorkit_engine::occupations::{OccupationLine, OccupationReport};
use sectorkit_store::{Region, ShortlistItem};
use serde::Serialize;
use utoipa::ToSchema;

/// `Some(x)` only for a finite `x`.
pub fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// An error: every API failure has this body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// A short title (`Not found`).
    pub title: String,
    /// What went wrong and, where it helps, what to do.
    pub message: String,
    /// The request id to quote to an administrator.
    pub request_id: String,
}

/// A membership role.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleOut {
    Viewer,
    Partner,
    Staff,
    Owner,
}

impl From<Role> for RoleOut {
    fn from(r: Role) -> Self {
        match r {
            Role::Viewer => RoleOut::Viewer,
            Role::Partner => RoleOut::Partner,
            Role::Staff => RoleOut::Staff,
            Role::Owner => RoleOut::Owner,
        }
    }
}

/// The token making the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub name: String,
    /// The role the token was created with (the effective role may be lower).
    pub role: RoleOut,
    /// Unix seconds; `null` when it does not expire.
    pub expires_at: Option<i64>,
    /// The member who created it.
    pub user: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnershipOut {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// What this token may do: the lower of its role and its user's current role.
    pub role: RoleOut,
    pub token: TokenOut,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionOut {
    pub id: i64,
    pub name: String,
    /// The codes as entered (`C1814`, `39049,39041`).
    pub codes: String,
    /// The member counties (5-digit FIPS).
    pub counties: Vec<String>,
    pub primary: bool,
    /// Unix seconds.
    pub created_at: i64,
}

impl From<&Region> for RegionOut {
    fn from(r: &Region) -> Self {
        RegionOut {
            id: r.id,
            name: r.name.clone(),
            codes: r.codes.clone(),
            counties: r.county_list().iter().map(|s| s.to_string()).collect(),
            primary: r.is_primary,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionPage {
    pub items: Vec<RegionOut>,
    /// The next page's URL, `null` on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    pub region: RegionOut,
    /// Periods with QCEW data for every member county, newest first.
    pub periods: Vec<String>,
    /// The period a table shows by default.
    pub default_period: Option<String>,
}

/// Disclosure status of a published cell.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusOut {
    /// Published by BLS (or a sum of published cells only).
    Disclosed,
    /// Withheld by BLS: only bounds are known.
    Suppressed,
    /// A sum missing suppressed members: `known` is what was published.
    Partial,
}

impl From<Status> for StatusOut {
    fn from(s: Status) -> Self {
        match s {
            Status::Disclosed => StatusOut::Disclosed,
            Status::Suppressed => StatusOut::Suppressed,
            Status::Partial => StatusOut::Partial,
        }
    }
}

/// An estimate of a value BLS did not publish (never replacing the published cell).
#[derive(Debug, Serialize, ToSchema)]
pub struct EstimateOut {
    pub value: f64,
    /// `geographic_residual`, `industry_residual` or `region_sum` (METHODS §2.2).
    pub method: String,
}

/// A published figure: its value when disclosed, else `null` with bounds (and an estimate when
/// estimates were asked for).
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureOut {
    pub status: StatusOut,
    /// The published value; `null` unless `status` is `disclosed`.
    pub value: Option<f64>,
    /// For a partial sum: the published part.
    pub known: Option<f64>,
    /// Lower bound of the true value.
    pub lower: f64,
    /// Upper bound; `null` when unbounded.
    pub upper: Option<f64>,
    pub estimate: Option<EstimateOut>,
}

impl From<&Figure> for FigureOut {
    fn from(f: &Figure) -> Self {
        let cell = f.published();
        let b = cell.bounds();
        FigureOut {
            status: f.status().into(),
            value: match cell {
                Cell::Disclosed(x) => finite(Some(*x)),
                _ => None,
            },
            known: match cell {
                Cell::Partial(p) => finite(Some(p.known())),
                _ => None,
            },
            lower: if b.lower().is_finite() {
                b.lower()
            } else {
                0.0
            },
            upper: finite(b.upper()),
            estimate: f.estimate().and_then(|e| {
                e.value.is_finite().then(|| EstimateOut {
                    value: e.value,
                    method: e.method.as_str().to_string(),
                })
            }),
        }
    }
}

/// Shift-share decomposition of the change against the base period (METHODS §2.4).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShiftShareOut {
    pub national_growth: Option<f64>,
    pub industry_mix: Option<f64>,
    pub regional_share: Option<f64>,
    /// Base employment was 0: all of the change is new-industry growth.
    pub new_industry: bool,
}

/// Projected growth from imported industry projections.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectionOut {
    /// The projection's industry (the row's own, or its nearest ancestor with a projection).
    pub source_industry: String,
    pub base_year: i32,
    pub projected_year: i32,
    pub pct_change: Option<f64>,
    pub cagr_pct: Option<f64>,
    pub regional_projected_employment: Option<f64>,
}

/// One value per ranking factor.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactorsOut {
    pub employment: Option<f64>,
    pub avg_pay: Option<f64>,
    pub hist_growth: Option<f64>,
    pub proj_growth: Option<f64>,
    pub lq: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RankingOut {
    /// 1-based place by score; `null` without a score.
    pub position: Option<u32>,
    /// Composite score (lower is better).
    pub score: Option<f64>,
    pub top_n: bool,
    /// Rank per factor (`null`: value missing).
    pub ranks: FactorsOut,
    pub factors_used: u8,
    pub factors_weighted: u8,
}

/// One industry of the target table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetRowOut {
    pub industry_code: String,
    pub industry_title: String,
    pub own_code: u8,
    /// Disclosure status of the region's employment sum.
    pub status: StatusOut,
    /// Whether any derived column rests on an estimate.
    pub estimated: bool,
    /// Member counties whose employment is suppressed.
    pub suppressed_counties: u32,
    pub employment: FigureOut,
    pub establishments: FigureOut,
    pub total_wages: FigureOut,
    pub avg_annual_pay: Option<f64>,
    pub avg_weekly_wage: Option<f64>,
    pub lq_employment: Option<f64>,
    pub lq_total_wages: Option<f64>,
    pub base_employment: Option<FigureOut>,
    pub change: Option<f64>,
    pub pct_change: Option<f64>,
    pub cagr_pct: Option<f64>,
    pub shift_share: Option<ShiftShareOut>,
    pub projection: Option<ProjectionOut>,
    /// Why the row is not ranked: `unclassified` or `below_minimum_employment`.
    pub excluded: Option<String>,
    pub ranking: Option<RankingOut>,
    /// On the partnership's shortlist.
    pub shortlisted: bool,
}

impl TargetRowOut {
    pub fn new(r: &TargetRow, shortlisted: bool) -> TargetRowOut {
        TargetRowOut {
            industry_code: r.industry_code.as_str().to_string(),
            industry_title: r.industry_title.clone(),
            own_code: r.own_code.code(),
            status: r.status.into(),
            estimated: r.estimated,
            suppressed_counties: r.suppressed_counties,
            employment: (&r.employment).into(),
            establishments: (&r.establishments).into(),
            total_wages: (&r.total_wages).into(),
            avg_annual_pay: finite(r.avg_annual_pay),
            avg_weekly_wage: finite(r.avg_weekly_wage),
            lq_employment: finite(r.lq_employment),
            lq_total_wages: finite(r.lq_total_wages),
            base_employment: r.base_employment.as_ref().map(FigureOut::from),
            change: finite(r.change),
            pct_change: finite(r.pct_change),
            cagr_pct: finite(r.cagr_pct),
            shift_share: (r.ns.is_some() || r.im.is_some() || r.rs.is_some() || r.new_industry)
                .then(|| ShiftShareOut {
                    national_growth: finite(r.ns),
                    industry_mix: finite(r.im),
                    regional_share: finite(r.rs),
                    new_industry: r.new_industry,
                }),
            projection: r.projection.as_ref().map(|p| ProjectionOut {
                source_industry: p.source_industry.as_str().to_string(),
                base_year: p.base_year,
                projected_year: p.projected_year,
                pct_change: finite(p.pct_change),
                cagr_pct: finite(p.cagr_pct),
                regional_projected_employment: finite(p.regional_projected_employment),
            }),
            excluded: r.excluded.as_ref().map(|e| {
                match e {
                    Exclusion::Unclassified => "unclassified",
                    Exclusion::BelowMinimumEmployment => "below_minimum_employment",
                }
                .to_string()
            }),
            ranking: r.ranking.as_ref().map(|k| RankingOut {
                position: k.position.map(|p| p as u32),
                score: finite(k.score),
                top_n: k.top_n,
                ranks: FactorsOut {
                    employment: finite(k.ranks.employment),
                    avg_pay: finite(k.ranks.avg_pay),
                    hist_growth: finite(k.ranks.hist_growth),
                    proj_growth: finite(k.ranks.proj_growth),
                    lq: finite(k.ranks.lq),
                },
                factors_used: k.factors_used,
                factors_weighted: k.factors_weighted,
            }),
            shortlisted,
        }
    }
}

/// A target-industry table of one region and settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetTableOut {
    pub region_id: i64,
    pub region_name: String,
    pub counties: Vec<String>,
    pub period: String,
    pub base_period: Option<String>,
    pub ownership: u8,
    pub level: String,
    /// How location quotients were computed.
    pub lq_convention: String,
    /// The region's all-industry employment for the ownership.
    pub region_employment: FigureOut,
    /// Hachman index of the region at this level.
    pub hachman: Option<f64>,
    /// Share (0–1) of the region's employment at this level that comes from estimates.
    pub estimated_employment_share: Option<f64>,
    /// How the table was computed (residuals not used, periods substituted, …).
    pub notes: Vec<String>,
    /// Industries in the whole table (all pages).
    pub total: usize,
    pub items: Vec<TargetRowOut>,
    /// The next page's URL, `null` on the last page.
    pub next: Option<String>,
}

/// A shortlisted target industry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistOut {
    pub id: i64,
    pub industry_code: String,
    pub industry_title: String,
    pub own_code: i64,
    pub region_name: String,
    pub period: String,
    /// Why it was picked.
    pub note: String,
    /// The figures it was picked on and the data vintage, as stored when it was picked.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    /// Unix seconds.
    pub added_at: i64,
    pub added_by: Option<String>,
    pub comments: i64,
}

impl From<&ShortlistItem> for ShortlistOut {
    fn from(s: &ShortlistItem) -> Self {
        ShortlistOut {
            id: s.id,
            industry_code: s.industry_code.clone(),
            industry_title: s.industry_title.clone(),
            own_code: s.own_code,
            region_name: s.region_name.clone(),
            period: s.period.clone(),
            note: s.note.clone(),
            snapshot: serde_json::from_str::<serde_json::Value>(&s.snapshot)
                .ok()
                .filter(|v| v.is_object())
                .unwrap_or_else(|| serde_json::json!({})),
            added_at: s.added_at,
            added_by: s.added_by_name.clone(),
            comments: s.comments,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistPage {
    pub items: Vec<ShortlistOut>,
    /// The next page's URL, `null` on the last page.
    pub next: Option<String>,
}

/// What an OEWS cell holds.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OewsStatus {
    Value,
    NotAvailable,
    Suppressed,
    /// At or above the OEWS top-code: never the wage itself.
    TopCoded,
    LessThanHalf,
    Blank,
}

/// One OEWS value: a number only when `status` is `value`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OewsOut {
    pub status: OewsStatus,
    pub value: Option<f64>,
}

impl From<OewsValue> for OewsOut {
    fn from(v: OewsValue) -> Self {
        let status = match v {
            OewsValue::Value(_) => OewsStatus::Value,
            OewsValue::NotAvailable => OewsStatus::NotAvailable,
            OewsValue::Suppressed => OewsStatus::Suppressed,
            OewsValue::TopCoded => OewsStatus::TopCoded,
            OewsValue::LessThanHalf => OewsStatus::LessThanHalf,
            OewsValue::Blank => OewsStatus::Blank,
        };
        OewsOut {
            status,
            value: finite(v.value()),
        }
    }
}

/// Percentile wages: 10th, 25th, median, 75th, 90th.
#[derive(Debug, Serialize, ToSchema)]
pub struct PercentilesOut {
    pub p10: OewsOut,
    pub p25: OewsOut,
    pub median: OewsOut,
    pub p75: OewsOut,
    pub p90: OewsOut,
}

impl From<&[OewsValue; 5]> for PercentilesOut {
    fn from(v: &[OewsValue; 5]) -> Self {
        PercentilesOut {
            p10: v[0].into(),
            p25: v[1].into(),
            median: v[2].into(),
            p75: v[3].into(),
            p90: v[4].into(),
        }
    }
}

/// National Employment Projections facts of an occupation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EpOut {
    pub growth_pct: Option<f64>,
    pub base_year: i32,
    pub projected_year: i32,
    /// National annual openings, thousands.
    pub national_openings: Option<f64>,
    /// The national openings rate applied to the region's employment.
    pub regional_openings: Option<f64>,
    /// BLS typical entry-level education code.
    pub education: Option<String>,
    pub work_experience: Option<String>,
    pub training: Option<String>,
}

/// One occupation of the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationOut {
    pub code: String,
    pub title: String,
    /// Estimated regional employment; `null` when no industry employment is known.
    pub employment: Option<f64>,
    /// Share of the industries' staffing.
    pub share: f64,
    pub hourly: PercentilesOut,
    pub annual: PercentilesOut,
    /// The wage area does not publish this occupation; national wages are shown.
    pub national_wages: bool,
    pub lq: Option<f64>,
    pub ep: Option<EpOut>,
    /// O*NET job zone (1–5).
    pub job_zone: Option<u8>,
    /// Median hourly wage at or above the living wage (`null` when either is unknown).
    pub above_living_wage: Option<bool>,
}

impl From<&OccupationLine> for OccupationOut {
    fn from(l: &OccupationLine) -> Self {
        OccupationOut {
            code: l.code.clone(),
            title: l.title.clone(),
            employment: finite(l.employment),
            share: if l.share.is_finite() { l.share } else { 0.0 },
            hourly: (&l.hourly).into(),
            annual: (&l.annual).into(),
            national_wages: l.national_wages,
            lq: finite(l.lq),
            ep: l.ep.as_ref().map(|e| EpOut {
                growth_pct: finite(e.growth_pct),
                base_year: e.years.0,
                projected_year: e.years.1,
                national_openings: finite(e.national_openings),
                regional_openings: finite(e.regional_openings),
                education: e.education.map(|x| x.code().to_string()),
                work_experience: e.work_experience.map(|x| x.code().to_string()),
                training: e.training.map(|x| x.code().to_string()),
            }),
            job_zone: l.job_zone.map(|z| z.get()),
            above_living_wage: l.above_living_wage,
        }
    }
}

/// An industry the occupation table was computed for.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccIndustryOut {
    pub naics: String,
    pub title: String,
    /// Employment used; `null`: unknown (suppressed), adds no employment.
    pub employment: Option<f64>,
    /// `disclosed`, `estimated (<method>)`, `at least (partial)`, `suppressed`.
    pub employment_basis: String,
    /// The OEWS industry whose staffing pattern was used.
    pub pattern: Option<String>,
    /// Why no pattern was found.
    pub no_pattern: Option<String>,
}

/// The occupation table of one region and set of industries.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationsOut {
    pub region_id: i64,
    pub region_name: String,
    pub period: String,
    pub industries: Vec<OccIndustryOut>,
    /// The OEWS area the wages come from.
    pub wage_area: Option<String>,
    /// Industry employment not allocated to a published occupation.
    pub unallocated: f64,
    pub total_employment: f64,
    pub renormalised: bool,
    pub notes: Vec<String>,
    /// Occupations in the whole table (all pages).
    pub total: usize,
    pub items: Vec<OccupationOut>,
    /// The next page's URL, `null` on the last page.
    pub next: Option<String>,
}

impl OccupationsOut {
    pub fn new(
        region_id: i64,
        r: &OccupationReport,
        total: usize,
        lines: &[OccupationLine],
        next: Option<String>,
    ) -> OccupationsOut {
        OccupationsOut {
            region_id,
            region_name: r.region_name.clone(),
            period: r.period.clone(),
            industries: r
                .industries
                .iter()
                .map(|i| OccIndustryOut {
                    naics: i.naics.clone(),
                    title: i.title.clone(),
                    employment: finite(i.employment),
                    employment_basis: i.employment_basis.clone(),
                    pattern: i
                        .pattern
                        .as_ref()
                        .map(|m| format!("{} {}", m.oews_code, m.oews_title)),
                    no_pattern: i.no_pattern.clone(),
                })
                .collect(),
            wage_area: r
                .wage_area
                .as_ref()
                .map(|w| format!("{} ({}, {})", w.title, w.code, w.basis)),
            unallocated: if r.unallocated.is_finite() {
                r.unallocated
            } else {
                0.0
            },
            total_employment: if r.total.is_finite() { r.total } else { 0.0 },
            renormalised: r.renormalised,
            notes: r.notes.clone(),
            total,
            items: lines.iter().map(OccupationOut::from).collect(),
            next,
        }
    }
}
