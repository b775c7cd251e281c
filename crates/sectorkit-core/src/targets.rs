//! The target-industry table (METHODS §9 steps 3–5): a pure function from QCEW rows for a
//! region's counties (plus the nation, and optionally the member states' other counties) to one
//! row per industry with size, pay, LQ, growth, shift-share, projected growth, ranks and score.
//!
//! Everything is computed from typed [`QcewRecord`]s already read by another crate; nothing here
//! does IO. Records are indexed once in hash maps keyed by (area, ownership, industry, period), so
//! the work is linear in the number of records.
//!
//! Suppressed county cells (§2.1–§2.2): a region sum with suppressed members is `Partial` (or
//! `Suppressed`) with bounds; if estimation is enabled each suppressed member is estimated by the
//! geographic residual (§2.2(b)) and/or the industry-hierarchy residual (§2.2(c)), in the order of
//! [`TargetOptions::estimation`]. Derived columns (pay, LQ, growth, …) use the published value when
//! disclosed, otherwise the labelled estimate (and the row is flagged `estimated`), otherwise
//! `None`.

use crate::codes::{AreaFips, AreaKind, IndustryLevel, Naics, Ownership, Period};
use crate::fxhash::{FxHashMap, FxHashSet};
use crate::projection::IndustryProjection;
use crate::rank::{self, Candidate, PerFactor, RankOptions, Ranked, Sensitivity};
use crate::stats::{self, LqConvention, ShiftShare, ShiftShareInput};
use crate::suppression::{
    CellEstimate, Hierarchy, HierarchyCell, RegionMember, ResidualMember, geographic_residual,
    region_total,
};
use crate::value::{Cell, CellSum, Estimate, Figure, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// One QCEW row (one area, ownership, industry and period), as read from a file by another crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QcewRecord {
    pub area: AreaFips,
    pub industry: Naics,
    pub ownership: Ownership,
    pub period: Period,
    /// Annual average employment (`annual_avg_emplvl`), or `month3_emplvl` for a quarter.
    pub employment: Cell,
    /// Annual average (or quarterly) establishment count; usually disclosed even on `N` rows.
    pub establishments: Cell,
    /// Total annual (or quarterly) wages in dollars.
    pub total_wages: Cell,
}

/// An additive QCEW measure (METHODS §1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Employment,
    Establishments,
    TotalWages,
}

impl Measure {
    /// The measure's cell in a record.
    pub fn of(self, r: &QcewRecord) -> Cell {
        match self {
            Measure::Employment => r.employment,
            Measure::Establishments => r.establishments,
            Measure::TotalWages => r.total_wages,
        }
    }
}

/// A source of estimates for suppressed county cells (METHODS §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateSource {
    /// §2.2(b). Needs the state rows and **every** county of each member state (plus `SS99x`);
    /// used for a state only when its counties' `own 0 / ind 10` employment adds up to the state's
    /// (± one job per county for rounding), which proves the county set is complete.
    Geographic,
    /// §2.2(c). Needs each region county's industry hierarchy (`ind 10` down to the analysis
    /// level) for the analysis ownership.
    Industry,
}

/// Options of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetOptions {
    /// Analysis ownership (default private, METHODS §1.5). `own 0` is not published below the
    /// all-industry total and is rejected.
    pub ownership: Ownership,
    /// One industry level at a time (default NAICS 3-digit, §3.3).
    pub level: IndustryLevel,
    pub lq_convention: LqConvention,
    /// Estimation sources in order of preference; empty = no estimates (bounds only).
    pub estimation: Vec<EstimateSource>,
    /// Industries with employment below this are kept in the table but not ranked (§3.3).
    pub min_employment: Option<f64>,
    /// Keep `99`/`999…`/`1029` "Unclassified" out of the ranking and the Hachman index (§3.3).
    pub exclude_unclassified: bool,
    pub rank: RankOptions,
}

impl Default for TargetOptions {
    fn default() -> Self {
        TargetOptions {
            ownership: Ownership::Private,
            level: IndustryLevel::Naics3,
            lq_convention: LqConvention::BlsFile,
            estimation: vec![EstimateSource::Geographic, EstimateSource::Industry],
            min_employment: None,
            exclude_unclassified: true,
            rank: RankOptions::default(),
        }
    }
}

/// The input of [`build_target_table`].
#[derive(Debug, Clone, Copy)]
pub struct TargetInput<'a> {
    /// The region's member counties (`SSCCC`).
    pub region: &'a [AreaFips],
    /// QCEW rows of any areas: the region counties (all levels down to the analysis level, plus
    /// `ind 10` totals), `US000`, and — for geographic residuals — the member states (`SS000`) and
    /// all their counties and `SS99x` records. Rows of other areas, periods or ownerships are
    /// ignored.
    pub records: &'a [QcewRecord],
    /// The table's period.
    pub period: Period,
    /// Start of the growth and shift-share window.
    pub base_period: Option<Period>,
    /// State (or national) industry projections; an industry without its own projection uses its
    /// nearest ancestor's.
    pub projections: &'a [IndustryProjection],
    /// Industry titles; the code is shown where a title is missing.
    pub titles: &'a HashMap<Naics, String>,
}

/// Why the table could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    #[error("the region has no counties")]
    EmptyRegion,
    #[error("region member {0} is not a county (SSCCC) code")]
    NotACounty(AreaFips),
    #[error("ownership {0} is not published for detailed industries; use 5 (private) or 1/2/3")]
    UnsupportedOwnership(Ownership),
    #[error("industry level {0} has a single industry; choose domain, supersector, sector or 3..6")]
    UnsupportedLevel(IndustryLevel),
    #[error(
        "base period {base} must be earlier than {period} and of the same kind (year or quarter)"
    )]
    BasePeriod { base: Period, period: Period },
    #[error(
        "duplicate QCEW record for area {area}, own {ownership}, industry {industry}, {period}"
    )]
    DuplicateRecord {
        area: AreaFips,
        ownership: Ownership,
        industry: Naics,
        period: Period,
    },
    #[error("no US000 all-industry (ind 10) row for own {ownership} in {period}")]
    MissingNationalTotal {
        ownership: Ownership,
        period: Period,
    },
    #[error("no all-industry (ind 10) row for own {ownership} of county {area} in {period}")]
    MissingCountyTotal {
        area: AreaFips,
        ownership: Ownership,
        period: Period,
    },
}

/// Why a row is in the table but not ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// "Unclassified" code (§3.3).
    Unclassified,
    /// Employment below [`TargetOptions::min_employment`] (estimate or upper bound below it).
    BelowMinimumEmployment,
}

/// Projected growth of one row (METHODS §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectedGrowth {
    /// The projection's industry: the row's own code, or its nearest ancestor with a projection.
    pub source_industry: Naics,
    pub base_year: i32,
    pub projected_year: i32,
    /// Projected percent change over the projection window.
    pub pct_change: Option<f64>,
    /// Projected compound annual growth, percent per year.
    pub cagr_pct: Option<f64>,
    /// The projection's growth ratio applied to the region's current employment.
    pub regional_projected_employment: Option<f64>,
}

/// One industry of the target-industry table. Monetary values in dollars; percentages in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub industry_code: Naics,
    pub industry_title: String,
    pub own_code: Ownership,
    /// Disclosure status of the region's published employment sum.
    pub status: Status,
    /// Whether any derived column of this row rests on an estimate.
    pub estimated: bool,
    /// Member counties whose employment cell is suppressed.
    pub suppressed_counties: u32,
    pub employment: Figure,
    pub establishments: Figure,
    pub total_wages: Figure,
    /// `ΣW / ΣE` (annualised ×4 for a quarterly period).
    pub avg_annual_pay: Option<f64>,
    /// `ΣW / ΣE / 52` (`/13` for a quarterly period).
    pub avg_weekly_wage: Option<f64>,
    /// Employment LQ, unrounded (§2.1; BLS rounds to hundredths).
    pub lq_employment: Option<f64>,
    /// Total-wages LQ, unrounded.
    pub lq_total_wages: Option<f64>,
    /// Region employment in the base period.
    pub base_employment: Option<Figure>,
    pub change: Option<f64>,
    pub pct_change: Option<f64>,
    /// Compound annual growth over the base window, percent per year.
    pub cagr_pct: Option<f64>,
    /// Shift-share national growth effect (§2.4).
    pub ns: Option<f64>,
    /// Industry mix effect.
    pub im: Option<f64>,
    /// Regional (competitive) share.
    pub rs: Option<f64>,
    /// Base employment was 0: the effects are 0 and `change` is all new-industry growth.
    pub new_industry: bool,
    pub projection: Option<ProjectedGrowth>,
    /// Why the row is not ranked, if it is not.
    pub excluded: Option<Exclusion>,
    /// Ranks, composite score, position and highlights; `None` for excluded rows.
    pub ranking: Option<Ranked<Naics>>,
}

impl TargetRow {
    /// The composite score (lower = better).
    pub fn score(&self) -> Option<f64> {
        self.ranking.as_ref().and_then(|r| r.score)
    }

    /// The factor values the row was ranked on.
    pub fn factor_values(&self) -> PerFactor<Option<f64>> {
        PerFactor {
            employment: self.employment.best_value(),
            avg_pay: self.avg_annual_pay,
            hist_growth: self.pct_change,
            proj_growth: self.projection.as_ref().and_then(|p| p.pct_change),
            lq: self.lq_employment,
        }
    }
}

/// Something the caller should know about how the table was computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "note")]
pub enum TableNote {
    /// Geographic residuals were not used for a state in a period because its county set could not
    /// be shown complete (or the state row was missing or suppressed).
    GeographicResidualUnavailable { state: String, period: Period },
    /// Industry-hierarchy residuals were not used for a county in a period because its rows do not
    /// cover every level from `ind 10` down to the analysis level.
    IndustryResidualUnavailable { area: AreaFips, period: Period },
    /// A county's all-industry base row is suppressed, so LQs are unavailable.
    CountyTotalSuppressed { area: AreaFips, period: Period },
    /// No US000 row for an industry: its LQ and shift-share are unavailable.
    MissingNationalIndustry { industry: Naics, period: Period },
    /// Industries left out of the Hachman index because their region employment is unknown.
    HachmanSkipped { industries: Vec<Naics> },
    /// No US000 all-industry rows for a period: LQs (for the table's period) or shift-share (for
    /// the base period) are unavailable.
    NoNationalData { period: Period },
}

impl fmt::Display for TableNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableNote::GeographicResidualUnavailable { state, period } => write!(
                f,
                "geographic residuals not used for state {state} in {period}: incomplete county set \
                 or state row unavailable"
            ),
            TableNote::IndustryResidualUnavailable { area, period } => write!(
                f,
                "industry residuals not used for {area} in {period}: its industry hierarchy is \
                 incomplete"
            ),
            TableNote::CountyTotalSuppressed { area, period } => {
                write!(
                    f,
                    "all-industry total of {area} is suppressed in {period}: no LQs"
                )
            }
            TableNote::MissingNationalIndustry { industry, period } => {
                write!(f, "no US000 row for industry {industry} in {period}")
            }
            TableNote::NoNationalData { period } => write!(
                f,
                "no national (US000) data for {period}: location quotients or shift-share need \
                 the national file of that period"
            ),
            TableNote::HachmanSkipped { industries } => write!(
                f,
                "{} industries with unknown employment left out of the Hachman index",
                industries.len()
            ),
        }
    }
}

/// The target-industry table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetTable {
    pub region: Vec<AreaFips>,
    pub period: Period,
    pub base_period: Option<Period>,
    pub ownership: Ownership,
    pub level: IndustryLevel,
    pub lq_convention: LqConvention,
    /// Rows sorted by industry code.
    pub rows: Vec<TargetRow>,
    /// Region all-industry employment for the analysis ownership (`ind 10`).
    pub region_employment: Figure,
    /// Hachman index of the region at the analysis level (§2.3), over classified industries.
    pub hachman: Option<f64>,
    /// Share (0–1) of the region's employment at this level that comes from estimates:
    /// Σ(estimate − known part) over estimated rows ÷ region employment (the published `ind 10`
    /// total if disclosed, else the sum of the rows' best values).
    pub estimated_employment_share: Option<f64>,
    /// How the top N reacts to each factor weight ×0.5 and ×1.5.
    pub sensitivity: Sensitivity<Naics>,
    pub notes: Vec<TableNote>,
}

impl TargetTable {
    /// Ranked rows in order of position.
    pub fn ranked_rows(&self) -> Vec<&TargetRow> {
        let mut v: Vec<&TargetRow> = self
            .rows
            .iter()
            .filter(|r| r.ranking.as_ref().is_some_and(|k| k.position.is_some()))
            .collect();
        v.sort_by_key(|r| r.ranking.as_ref().and_then(|k| k.position));
        v
    }
}

type RegionKey<'a> = (&'a AreaFips, Ownership, &'a Naics, Period);
type StateKey<'a> = (&'a str, Ownership, &'a Naics, Period);

/// Records sorted into the lookups the computation needs.
struct Index<'a> {
    /// Region county rows.
    region: FxHashMap<RegionKey<'a>, &'a QcewRecord>,
    /// Region county rows of the analysis ownership at or above the analysis level, by county.
    hierarchy: FxHashMap<(&'a AreaFips, Period), Vec<(&'a Naics, &'a QcewRecord)>>,
    /// US000 rows: (ownership, industry, period).
    nation: FxHashMap<(Ownership, &'a Naics, Period), &'a QcewRecord>,
    /// Statewide rows of member states.
    states: FxHashMap<StateKey<'a>, &'a QcewRecord>,
    /// County and SS99x rows of member states, analysis ownership and level: the geographic
    /// residual's members.
    state_members: FxHashMap<(&'a str, &'a Naics, Period), Vec<&'a QcewRecord>>,
    /// County and SS99x `own 0 / ind 10` rows of member states, for the coverage check.
    state_totals: FxHashMap<(&'a str, Period), Vec<&'a QcewRecord>>,
}

/// What an area is to the computation (see `build_index`).
#[derive(Debug, Clone, Copy)]
struct AreaClass<'a> {
    in_region: bool,
    kind: AreaKind,
    /// The state code, if the area is in (or is) one of the region's states.
    member_state: Option<&'a str>,
}

fn build_index<'a>(
    input: &TargetInput<'a>,
    opts: &TargetOptions,
    periods: &[Period],
    region_set: &FxHashSet<&AreaFips>,
    region_states: &FxHashSet<&str>,
) -> Result<Index<'a>, TargetError> {
    let k = opts.ownership;
    let base_own = opts.lq_convention.base_ownership();
    // Records come grouped by area (one file per area), so remember the last area's class.
    let mut last: Option<(&'a AreaFips, AreaClass<'a>)> = None;
    let mut classify = |a: &'a AreaFips| -> AreaClass<'a> {
        match last {
            Some((l, c)) if std::ptr::eq(l, a) || l == a => c,
            _ => {
                let c = AreaClass {
                    in_region: region_set.contains(a),
                    kind: a.kind(),
                    member_state: a.state_fips().filter(|s| region_states.contains(s)),
                };
                last = Some((a, c));
                c
            }
        }
    };
    // Size the big tables up front (one cheap pass) to avoid rehashing.
    let (mut n_region, mut n_other) = (0usize, 0usize);
    for r in input.records {
        if periods.contains(&r.period) {
            let c = classify(&r.area);
            if c.in_region {
                n_region += 1;
            } else if c.member_state.is_some() {
                n_other += 1;
            }
        }
    }
    let mut ix = Index {
        region: FxHashMap::with_capacity_and_hasher(n_region, Default::default()),
        hierarchy: FxHashMap::default(),
        nation: FxHashMap::default(),
        states: FxHashMap::default(),
        state_members: FxHashMap::default(),
        state_totals: FxHashMap::default(),
    };
    let mut seen_other: FxHashSet<RegionKey<'a>> =
        FxHashSet::with_capacity_and_hasher(n_other, Default::default());
    let dup = |r: &QcewRecord| TargetError::DuplicateRecord {
        area: r.area.clone(),
        ownership: r.ownership,
        industry: r.industry.clone(),
        period: r.period,
    };
    for r in input.records {
        if !periods.contains(&r.period) {
            continue;
        }
        let level = r.industry.level();
        let is_total = level == IndustryLevel::Total;
        let own_ok = r.ownership == k || (is_total && r.ownership == base_own);
        let AreaClass {
            in_region,
            kind,
            member_state,
        } = classify(&r.area);
        if in_region
            && (own_ok || (is_total && r.ownership == Ownership::TotalCovered))
            && !(r.ownership == k && level > opts.level)
        {
            if ix
                .region
                .insert((&r.area, r.ownership, &r.industry, r.period), r)
                .is_some()
            {
                return Err(dup(r));
            }
            if r.ownership == k {
                ix.hierarchy
                    .entry((&r.area, r.period))
                    .or_default()
                    .push((&r.industry, r));
            }
        }
        if kind == AreaKind::Nation {
            if !own_ok || (level != opts.level && !is_total) {
                continue;
            }
            if ix
                .nation
                .insert((r.ownership, &r.industry, r.period), r)
                .is_some()
            {
                return Err(dup(r));
            }
            continue;
        }
        // Statewide rows and every county / SS99x row of the member states, region counties
        // included: the geographic residual's parent and members, and the coverage check.
        let Some(st) = member_state else {
            continue;
        };
        let wanted_detail = r.ownership == k && level == opts.level;
        let wanted_total = is_total && r.ownership == Ownership::TotalCovered;
        if !(wanted_detail || wanted_total) {
            continue;
        }
        if kind == AreaKind::State {
            if ix
                .states
                .insert((st, r.ownership, &r.industry, r.period), r)
                .is_some()
            {
                return Err(dup(r));
            }
            continue;
        }
        if !in_region && !seen_other.insert((&r.area, r.ownership, &r.industry, r.period)) {
            return Err(dup(r));
        }
        if wanted_detail {
            ix.state_members
                .entry((st, &r.industry, r.period))
                .or_default()
                .push(r);
        }
        if wanted_total {
            ix.state_totals.entry((st, r.period)).or_default().push(r);
        }
    }
    Ok(ix)
}

/// Growth columns of one row.
#[derive(Default)]
struct Growth {
    base: Option<Figure>,
    change: Option<f64>,
    pct: Option<f64>,
    cagr: Option<f64>,
    ss: Option<ShiftShare>,
}

/// Region cells of one industry in one period.
struct RegionCells {
    employment: Figure,
    establishments: Figure,
    total_wages: Figure,
    suppressed_counties: u32,
}

/// A geographic residual and its member estimates.
type GeoResult<'a> = (f64, FxHashMap<&'a AreaFips, CellEstimate>);

/// Computation state for one period.
struct PeriodCalc<'a, 'i> {
    ix: &'i Index<'a>,
    input: &'i TargetInput<'a>,
    opts: &'i TargetOptions,
    period: Period,
    /// Industry-hierarchy estimates per (county, measure).
    industry: FxHashMap<(&'a AreaFips, Measure), FxHashMap<&'a Naics, CellEstimate>>,
    /// States whose geographic residuals may be used in this period.
    covered: FxHashSet<&'a str>,
    /// Geographic residual cache per (state, industry, measure): (R, member estimates).
    geo: FxHashMap<(&'a str, &'a Naics, Measure), Option<GeoResult<'a>>>,
}

impl<'a, 'i> PeriodCalc<'a, 'i> {
    fn new(
        ix: &'i Index<'a>,
        input: &'i TargetInput<'a>,
        opts: &'i TargetOptions,
        period: Period,
        region_states: &FxHashSet<&'a str>,
        measures: &[Measure],
        notes: &mut Vec<TableNote>,
    ) -> Self {
        let mut industry = FxHashMap::default();
        if opts.estimation.contains(&EstimateSource::Industry) {
            for c in input.region {
                let Some(rows) = ix.hierarchy.get(&(c, period)) else {
                    continue;
                };
                let suppressed: Vec<Measure> = measures
                    .iter()
                    .copied()
                    .filter(|&m| {
                        rows.iter().any(|(i, r)| {
                            i.level() == opts.level && m.of(r).disclosed_value().is_none()
                        })
                    })
                    .collect();
                if suppressed.is_empty() {
                    continue;
                }
                // The residual is only meaningful over a complete hierarchy: QCEW county files
                // carry every level (agglvl 71..78), so a missing level means missing rows.
                let mut present = [false; 8];
                for (i, _) in rows {
                    present[i.level() as usize] = true;
                }
                if !present[..=opts.level as usize].iter().all(|&p| p) {
                    notes.push(TableNote::IndustryResidualUnavailable {
                        area: c.clone(),
                        period,
                    });
                    continue;
                }
                let h = Hierarchy::new(rows.clone(), opts.level);
                for m in suppressed {
                    let est = h.estimates(|r| HierarchyCell {
                        cell: m.of(r),
                        establishments: r.establishments.disclosed_value(),
                    });
                    industry.insert((c, m), est);
                }
            }
        }
        let mut covered = FxHashSet::default();
        if opts.estimation.contains(&EstimateSource::Geographic) {
            let total = Naics::total();
            let mut states: Vec<&'a str> = region_states.iter().copied().collect();
            states.sort_unstable();
            for st in states {
                let state_row = ix
                    .states
                    .get(&(st, Ownership::TotalCovered, &total, period))
                    .and_then(|r| r.employment.disclosed_value());
                let members = ix.state_totals.get(&(st, period));
                let ok = match (state_row, members) {
                    (Some(v), Some(ms)) => {
                        let sum: Option<f64> =
                            ms.iter().map(|r| r.employment.disclosed_value()).sum();
                        sum.is_some_and(|s| (s - v).abs() <= ms.len() as f64 + 1.0)
                    }
                    _ => false,
                };
                if ok {
                    covered.insert(st);
                } else {
                    notes.push(TableNote::GeographicResidualUnavailable {
                        state: st.to_string(),
                        period,
                    });
                }
            }
        }
        PeriodCalc {
            ix,
            input,
            opts,
            period,
            industry,
            covered,
            geo: FxHashMap::default(),
        }
    }

    /// The geographic residual of (state, industry, measure), cached.
    fn geo(&mut self, st: &'a str, i: &'a Naics, m: Measure) -> Option<&GeoResult<'a>> {
        if !self.covered.contains(st) {
            return None;
        }
        let (ix, k, period) = (self.ix, self.opts.ownership, self.period);
        self.geo
            .entry((st, i, m))
            .or_insert_with(|| {
                let state_value = m
                    .of(ix.states.get(&(st, k, i, period))?)
                    .disclosed_value()?;
                let members: Vec<ResidualMember<&'a AreaFips>> = ix
                    .state_members
                    .get(&(st, i, period))
                    .map(|rows| {
                        rows.iter()
                            .map(|r| ResidualMember {
                                key: &r.area,
                                cell: m.of(r),
                                establishments: r.establishments.disclosed_value(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let (res, est) = geographic_residual(state_value, &members);
                Some((res.residual, est.into_iter().collect()))
            })
            .as_ref()
    }

    /// Sums one measure of one industry over the region (§2.1), with bounds and estimates.
    fn region_figure(
        &mut self,
        i: &'a Naics,
        m: Measure,
        recs: &[Option<&'a QcewRecord>],
    ) -> (Figure, u32) {
        let mut members = Vec::with_capacity(recs.len());
        let mut suppressed = 0;
        for (c, rec) in self.input.region.iter().zip(recs) {
            // QCEW has no row for an industry without establishments: a true zero.
            let published = rec.map_or(Cell::Disclosed(0.0), |r| m.of(r));
            if published.disclosed_value().is_some() {
                members.push(RegionMember {
                    cell: published,
                    estimate: None,
                    shared_cap: None,
                });
                continue;
            }
            suppressed += 1;
            let area: &'a AreaFips = rec.map_or(c, |r| &r.area);
            let st = area.state_fips();
            // Geographic residual first (needs `&mut self` for its cache); its estimate carries
            // no strings, so copying it out is cheap.
            let geo = st.and_then(|s| {
                let (r, ests) = self.geo(s, i, m)?;
                Some((*r, ests.get(area).and_then(|e| e.estimate.clone())))
            });
            let ind = self.industry.get(&(area, m)).and_then(|h| h.get(i));
            let mut cell = published;
            if let Some(u) = ind.and_then(|e| e.bounds.upper()) {
                cell = cell.capped(u);
            }
            if let Some((r, _)) = &geo {
                cell = cell.capped(*r);
            }
            let geo_estimate = geo.as_ref().and_then(|g| g.1.as_ref());
            let ind_estimate = ind.and_then(|e| e.estimate.as_ref());
            let estimate: Option<Estimate> = self
                .opts
                .estimation
                .iter()
                .find_map(|src| match src {
                    EstimateSource::Geographic => geo_estimate,
                    EstimateSource::Industry => ind_estimate,
                })
                .cloned();
            // Keep the estimate within every bound known for the cell.
            let b = cell.bounds();
            let estimate = estimate.map(|mut e| {
                e.value = e.value.max(b.lower());
                if let Some(u) = b.upper() {
                    e.value = e.value.min(u);
                }
                e
            });
            let shared_cap = geo.and_then(|(r, _)| Some((st?.parse::<u32>().ok()?, r)));
            members.push(RegionMember {
                cell,
                estimate,
                shared_cap,
            });
        }
        (region_total(&members), suppressed)
    }

    fn region_cells(&mut self, i: &'a Naics, all_measures: bool) -> RegionCells {
        let (ix, k, period) = (self.ix, self.opts.ownership, self.period);
        let recs: Vec<Option<&'a QcewRecord>> = self
            .input
            .region
            .iter()
            .map(|c| ix.region.get(&(c, k, i, period)).copied())
            .collect();
        let (employment, suppressed_counties) = self.region_figure(i, Measure::Employment, &recs);
        let (establishments, total_wages) = if all_measures {
            (
                self.region_figure(i, Measure::Establishments, &recs).0,
                self.region_figure(i, Measure::TotalWages, &recs).0,
            )
        } else {
            (
                Figure::new(Cell::suppressed()),
                Figure::new(Cell::suppressed()),
            )
        };
        RegionCells {
            employment,
            establishments,
            total_wages,
            suppressed_counties,
        }
    }
}

/// Sums the region counties' `ind 10` rows of one ownership and period; error if a county has no
/// such row (every county publishes one).
fn region_total_row<'a>(
    ix: &Index<'a>,
    region: &'a [AreaFips],
    own: Ownership,
    period: Period,
    m: Measure,
) -> Result<Cell, TargetError> {
    let total = Naics::total();
    let mut sum = CellSum::new();
    for c in region {
        let r = ix.region.get(&(c, own, &total, period)).ok_or_else(|| {
            TargetError::MissingCountyTotal {
                area: c.clone(),
                ownership: own,
                period,
            }
        })?;
        sum.add(&m.of(r));
    }
    Ok(sum.finish())
}

fn national_total<'a>(
    ix: &Index<'a>,
    own: Ownership,
    period: Period,
) -> Result<&'a QcewRecord, TargetError> {
    ix.nation
        .get(&(own, &Naics::total(), period))
        .copied()
        .ok_or(TargetError::MissingNationalTotal {
            ownership: own,
            period,
        })
}

fn projection_for<'p>(
    code: &Naics,
    by_code: &HashMap<&Naics, &'p IndustryProjection>,
) -> Option<&'p IndustryProjection> {
    by_code
        .get(code)
        .copied()
        .or_else(|| code.ancestors().find_map(|a| by_code.get(&a).copied()))
}

/// Builds the target-industry table (METHODS §9 steps 3–5).
///
/// For each industry at `opts.level` with a row of ownership `opts.ownership` in at least one
/// region county in `input.period`: region sums of employment, establishments and wages (with
/// bounds and estimates, §2.1–§2.2), pay and weekly wage as ratios of sums (§1.10), employment and
/// wage LQs with the chosen base convention (§1.11, §2.1), change / percent change / CAGR and
/// shift-share against the base period (§2.4–§2.5), projected growth (§6), ranks, score and
/// highlights (§3). Also the Hachman index (§2.3), the estimated share of employment and a
/// sensitivity report.
pub fn build_target_table(
    input: &TargetInput<'_>,
    opts: &TargetOptions,
) -> Result<TargetTable, TargetError> {
    // --- validation -------------------------------------------------------------------------
    if input.region.is_empty() {
        return Err(TargetError::EmptyRegion);
    }
    if let Some(bad) = input.region.iter().find(|a| a.kind() != AreaKind::County) {
        return Err(TargetError::NotACounty(bad.clone()));
    }
    if opts.ownership == Ownership::TotalCovered {
        return Err(TargetError::UnsupportedOwnership(opts.ownership));
    }
    if opts.level == IndustryLevel::Total {
        return Err(TargetError::UnsupportedLevel(opts.level));
    }
    let years = match input.base_period {
        Some(b) => match input.period.years_since(b) {
            Some(y) if y > 0.0 => Some(y),
            _ => {
                return Err(TargetError::BasePeriod {
                    base: b,
                    period: input.period,
                });
            }
        },
        None => None,
    };
    // Duplicate region members would double count.
    let mut region_set: FxHashSet<&AreaFips> = FxHashSet::default();
    let region: Vec<AreaFips> = input
        .region
        .iter()
        .filter(|a| region_set.insert(a))
        .cloned()
        .collect();
    let input = &TargetInput {
        region: &region,
        ..*input
    };
    let region_states: FxHashSet<&str> = region.iter().filter_map(AreaFips::state_fips).collect();
    let periods: Vec<Period> = std::iter::once(input.period)
        .chain(input.base_period)
        .collect();
    let ix = build_index(input, opts, &periods, &region_set, &region_states)?;
    let k = opts.ownership;
    let base_own = opts.lq_convention.base_ownership();
    let total = Naics::total();
    let quarterly = !input.period.is_annual();
    let mut notes = Vec::new();

    // --- the industries ---------------------------------------------------------------------
    let mut codes: Vec<&Naics> = ix
        .region
        .keys()
        .filter(|(_, o, i, p)| *o == k && *p == input.period && i.level() == opts.level)
        .map(|(_, _, i, _)| *i)
        .collect::<FxHashSet<_>>()
        .into_iter()
        .collect();
    codes.sort();

    // --- denominators -----------------------------------------------------------------------
    // Without national data of the period, LQs (and the Hachman index) are unavailable: a note,
    // not an error.
    let nat_base = national_total(&ix, base_own, input.period).ok();
    if nat_base.is_none() {
        notes.push(TableNote::NoNationalData {
            period: input.period,
        });
    }
    let region_base_emp =
        region_total_row(&ix, &region, base_own, input.period, Measure::Employment)?;
    let region_base_wages =
        region_total_row(&ix, &region, base_own, input.period, Measure::TotalWages)?;
    if region_base_emp.disclosed_value().is_none() {
        for c in &region {
            let r = ix.region[&(c, base_own, &total, input.period)];
            if r.employment.disclosed_value().is_none() {
                notes.push(TableNote::CountyTotalSuppressed {
                    area: c.clone(),
                    period: input.period,
                });
            }
        }
    }
    let region_k_emp = region_total_row(&ix, &region, k, input.period, Measure::Employment)
        .map(Figure::new)
        .unwrap_or_else(|_| Figure::new(Cell::suppressed()));
    let nat_k = national_total(&ix, k, input.period).ok();
    // Shift-share needs the nation in both periods; when either is absent its columns are
    // empty (with a note), and the growth columns still work.
    let nat_k0 = input
        .base_period
        .and_then(|b| national_total(&ix, k, b).ok());
    if let Some(b) = input.base_period
        && nat_k0.is_none()
        && nat_base.is_some()
    {
        notes.push(TableNote::NoNationalData { period: b });
    }

    // --- region cells per period ------------------------------------------------------------
    let all = [
        Measure::Employment,
        Measure::Establishments,
        Measure::TotalWages,
    ];
    let mut now = PeriodCalc::new(
        &ix,
        input,
        opts,
        input.period,
        &region_states,
        &all,
        &mut notes,
    );
    let mut base = input.base_period.map(|b| {
        PeriodCalc::new(
            &ix,
            input,
            opts,
            b,
            &region_states,
            &[Measure::Employment],
            &mut notes,
        )
    });
    let projections: HashMap<&Naics, &IndustryProjection> = input
        .projections
        .iter()
        .rev()
        .map(|p| (&p.industry, p))
        .collect();

    let mut rows = Vec::with_capacity(codes.len());
    for &i in &codes {
        let cells = now.region_cells(i, true);
        let emp = cells.employment.best_value();
        let wages = cells.total_wages.best_value();
        let mut estimated = cells.employment.is_estimated() || cells.total_wages.is_estimated();
        let (avg_annual_pay, avg_weekly_wage) = match (wages, emp) {
            (Some(w), Some(e)) if quarterly => (
                stats::avg_annual_pay(w * 4.0, e),
                stats::avg_weekly_wage_quarterly(w, e),
            ),
            (Some(w), Some(e)) => (stats::avg_annual_pay(w, e), stats::avg_weekly_wage(w, e)),
            _ => (None, None),
        };
        let nat_i = ix.nation.get(&(k, i, input.period)).copied();
        if nat_i.is_none() && nat_base.is_some() {
            notes.push(TableNote::MissingNationalIndustry {
                industry: i.clone(),
                period: input.period,
            });
        }
        let lq = |local: Option<f64>, local_base: &Cell, m: Measure| -> Option<f64> {
            let n = m.of(nat_i?).disclosed_value()?;
            stats::location_quotient(
                local?,
                local_base.disclosed_value()?,
                n,
                m.of(nat_base?).disclosed_value()?,
            )
        };
        let lq_employment = lq(emp, &region_base_emp, Measure::Employment);
        let lq_total_wages = lq(wages, &region_base_wages, Measure::TotalWages);

        // Growth and shift-share.
        let mut g = Growth::default();
        if let (Some(b), Some(years)) = (base.as_mut(), years) {
            let bc = b.region_cells(i, false);
            estimated |= bc.employment.is_estimated();
            let e0 = bc.employment.best_value();
            let change = e0.zip(emp).map(|(a, b)| stats::change(a, b));
            let pct = e0.zip(emp).and_then(|(a, b)| stats::pct_change(a, b));
            let cagr = e0
                .zip(emp)
                .and_then(|(a, b)| stats::cagr(a, b, years))
                .map(|c| c * 100.0);
            let ss: Option<ShiftShare> = (|| {
                let bp = input.base_period?;
                let ni0 = ix.nation.get(&(k, i, bp))?.employment.disclosed_value()?;
                let ni1 = nat_i?.employment.disclosed_value()?;
                stats::shift_share(&ShiftShareInput {
                    region_t0: e0?,
                    region_t1: emp?,
                    nation_industry_t0: ni0,
                    nation_industry_t1: ni1,
                    nation_total_t0: nat_k0?.employment.disclosed_value()?,
                    nation_total_t1: nat_k?.employment.disclosed_value()?,
                })
            })();
            g = Growth {
                base: Some(bc.employment),
                change,
                pct,
                cagr,
                ss,
            };
        }

        let projection = projection_for(i, &projections).map(|p| ProjectedGrowth {
            source_industry: p.industry.clone(),
            base_year: p.base_year,
            projected_year: p.projected_year,
            pct_change: p.pct_change(),
            cagr_pct: p.cagr().map(|c| c * 100.0),
            regional_projected_employment: emp.and_then(|e| p.apply_to(e)),
        });

        let excluded = if opts.exclude_unclassified && i.is_unclassified() {
            Some(Exclusion::Unclassified)
        } else if let Some(min) = opts.min_employment {
            // Below the minimum if the best value is, or — without one — if even the upper bound is.
            let below = match emp {
                Some(e) => e < min,
                None => cells
                    .employment
                    .published()
                    .bounds()
                    .upper()
                    .is_some_and(|u| u < min),
            };
            below.then_some(Exclusion::BelowMinimumEmployment)
        } else {
            None
        };

        rows.push(TargetRow {
            industry_code: i.clone(),
            industry_title: input
                .titles
                .get(i)
                .cloned()
                .unwrap_or_else(|| i.to_string()),
            own_code: k,
            status: cells.employment.status(),
            estimated,
            suppressed_counties: cells.suppressed_counties,
            employment: cells.employment,
            establishments: cells.establishments,
            total_wages: cells.total_wages,
            avg_annual_pay,
            avg_weekly_wage,
            lq_employment,
            lq_total_wages,
            base_employment: g.base,
            change: g.change,
            pct_change: g.pct,
            cagr_pct: g.cagr,
            ns: g.ss.map(|s| s.ns),
            im: g.ss.map(|s| s.im),
            rs: g.ss.map(|s| s.rs),
            new_industry: g.ss.is_some_and(|s| s.new_industry),
            projection,
            excluded,
            ranking: None,
        });
    }

    // --- ranking ----------------------------------------------------------------------------
    let ranked_idx: Vec<usize> = (0..rows.len())
        .filter(|&j| rows[j].excluded.is_none())
        .collect();
    let candidates: Vec<Candidate<Naics>> = ranked_idx
        .iter()
        .map(|&j| Candidate {
            key: rows[j].industry_code.clone(),
            values: rows[j].factor_values(),
        })
        .collect();
    let ranked = rank::rank(&candidates, &opts.rank);
    let sensitivity = rank::sensitivity_of_ranked(&ranked, &opts.rank);
    for (j, r) in ranked_idx.into_iter().zip(ranked) {
        rows[j].ranking = Some(r);
    }

    // --- Hachman index (§2.3) ---------------------------------------------------------------
    let region_emp: HashMap<&Naics, Option<f64>> = rows
        .iter()
        .map(|r| (&r.industry_code, r.employment.best_value()))
        .collect();
    let mut skipped = Vec::new();
    let mut nat_codes: Vec<(&Naics, f64)> = ix
        .nation
        .iter()
        .filter(|((o, i, p), _)| *o == k && *p == input.period && i.level() == opts.level)
        .filter(|((_, i, _), _)| !i.is_unclassified())
        .filter_map(|((_, i, _), r)| Some((*i, r.employment.disclosed_value()?)))
        .collect();
    nat_codes.sort_by(|a, b| a.0.cmp(b.0));
    let pairs: Vec<(f64, f64)> = nat_codes
        .iter()
        .filter_map(|&(i, n)| match region_emp.get(i) {
            None => Some((0.0, n)),
            Some(Some(e)) => Some((*e, n)),
            Some(None) => {
                skipped.push(i.clone());
                None
            }
        })
        .collect();
    let hachman = stats::hachman_index(pairs);
    if !skipped.is_empty() {
        notes.push(TableNote::HachmanSkipped {
            industries: skipped,
        });
    }

    // --- estimated share --------------------------------------------------------------------
    let estimated_part: f64 = rows
        .iter()
        .filter(|r| r.employment.is_estimated())
        .filter_map(|r| {
            let b = r.employment.best_value()?;
            Some(b - r.employment.published().known_part().unwrap_or(0.0))
        })
        .sum();
    let denominator = region_k_emp.published().disclosed_value().or_else(|| {
        let s: f64 = rows.iter().filter_map(|r| r.employment.best_value()).sum();
        (s > 0.0).then_some(s)
    });
    let estimated_employment_share = denominator.filter(|d| *d > 0.0).map(|d| estimated_part / d);

    Ok(TargetTable {
        region: region.clone(),
        period: input.period,
        base_period: input.base_period,
        ownership: k,
        level: opts.level,
        lq_convention: opts.lq_convention,
        rows,
        region_employment: region_k_emp,
        hachman,
        estimated_employment_share,
        sensitivity,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::EstimateMethod;

    const Y1: Period = Period::Year(2023);
    const Y0: Period = Period::Year(2022);

    fn a(s: &str) -> AreaFips {
        s.parse().unwrap()
    }
    fn n(s: &str) -> Naics {
        s.parse().unwrap()
    }
    fn cell(x: Option<f64>) -> Cell {
        x.map_or(Cell::suppressed(), |v| Cell::disclosed(v).unwrap())
    }
    /// A record; `None` employment = suppressed row (wages suppressed too).
    fn rec(area: &str, ind: &str, own: u8, p: Period, emp: Option<f64>, estabs: f64) -> QcewRecord {
        QcewRecord {
            area: a(area),
            industry: n(ind),
            ownership: Ownership::from_code(own).unwrap(),
            period: p,
            employment: cell(emp),
            establishments: Cell::disclosed(estabs).unwrap(),
            // Pay 50,000 a job unless overridden.
            total_wages: cell(emp.map(|e| e * 50_000.0)),
        }
    }
    fn wages(mut r: QcewRecord, w: f64) -> QcewRecord {
        r.total_wages = Cell::disclosed(w).unwrap();
        r
    }
    fn no_titles() -> &'static HashMap<Naics, String> {
        static EMPTY: std::sync::OnceLock<HashMap<Naics, String>> = std::sync::OnceLock::new();
        EMPTY.get_or_init(HashMap::new)
    }
    fn input<'a>(region: &'a [AreaFips], records: &'a [QcewRecord]) -> TargetInput<'a> {
        TargetInput {
            region,
            records,
            period: Y1,
            base_period: None,
            projections: &[],
            titles: no_titles(),
        }
    }
    fn row<'t>(t: &'t TargetTable, code: &str) -> &'t TargetRow {
        t.rows
            .iter()
            .find(|r| r.industry_code.as_str() == code)
            .unwrap()
    }
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6 * b.abs().max(1.0)
    }

    /// Region {A = 39001, B = 39003}; LQ-REGION-1 numbers for 541, QCEW-PAY-1 wages.
    fn lq_fixture() -> Vec<QcewRecord> {
        vec![
            rec("39001", "10", 0, Y1, Some(6_000.0), 100.0),
            rec("39003", "10", 0, Y1, Some(4_000.0), 80.0),
            rec("39001", "10", 5, Y1, Some(5_000.0), 90.0),
            rec("39003", "10", 5, Y1, Some(3_500.0), 70.0),
            wages(
                rec("39001", "541", 5, Y1, Some(1_000.0), 30.0),
                60_000_000.0,
            ),
            wages(rec("39003", "541", 5, Y1, Some(500.0), 20.0), 20_000_000.0),
            rec("39001", "336", 5, Y1, Some(300.0), 5.0),
            rec("39003", "336", 5, Y1, Some(200.0), 4.0),
            rec("US000", "10", 0, Y1, Some(150_000_000.0), 1e7),
            rec("US000", "10", 5, Y1, Some(125_000_000.0), 9e6),
            rec("US000", "336", 5, Y1, Some(2_000_000.0), 1e4),
            rec("US000", "541", 5, Y1, Some(10_000_000.0), 1e5),
        ]
    }

    #[test]
    fn table_lq_and_pay_follow_methods() {
        let region = [a("39001"), a("39003")];
        let records = lq_fixture();
        let t = build_target_table(&input(&region, &records), &TargetOptions::default()).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].industry_code.as_str(), "336"); // sorted by code
        // LQ-REGION-1 through the pipeline.
        let r336 = row(&t, "336");
        assert!(close(r336.lq_employment.unwrap(), 3.75));
        assert_eq!(r336.status, Status::Disclosed);
        assert!(!r336.estimated);
        // QCEW-PAY-1 through the pipeline.
        let r541 = row(&t, "541");
        assert_eq!(stats::round_to(r541.avg_annual_pay.unwrap(), 2), 53_333.33);
        assert_eq!(stats::round_to(r541.avg_weekly_wage.unwrap(), 2), 1_025.64);
        assert_eq!(r541.employment.published(), &Cell::Disclosed(1_500.0));
        assert_eq!(r541.establishments.best_value(), Some(50.0));
        // Wage LQ: (80e6 / 500e6) / (500e9 / 7.5e12).
        let lq_w = (80e6 / (10_000.0 * 50_000.0)) / (5e11 / (150e6 * 50_000.0));
        assert!(close(r541.lq_total_wages.unwrap(), lq_w));
        assert!(t.estimated_employment_share == Some(0.0));
        assert!(t.rows.iter().all(|r| r.ranking.is_some()));
        assert_eq!(t.region_employment.best_value(), Some(8_500.0));

        // BLS LQ Calculator convention: private base.
        let opts = TargetOptions {
            lq_convention: LqConvention::BlsCalculatorPrivate,
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        let want = (500.0 / 8_500.0) / (2e6 / 125e6);
        assert!(close(row(&t, "336").lq_employment.unwrap(), want));
    }

    #[test]
    fn table_growth_shift_share_and_projection() {
        let region = [a("39001")];
        let mut records = vec![
            rec("39001", "10", 0, Y1, Some(20_000.0), 100.0),
            rec("39001", "10", 5, Y1, Some(15_000.0), 90.0),
            rec("39001", "336", 5, Y1, Some(1_200.0), 5.0),
            rec("39001", "337", 5, Y1, Some(50.0), 2.0), // new industry
            rec("39001", "10", 0, Y0, Some(19_000.0), 100.0),
            rec("39001", "10", 5, Y0, Some(14_000.0), 90.0),
            rec("39001", "336", 5, Y0, Some(1_000.0), 5.0),
            rec("US000", "10", 0, Y1, Some(1_500_000.0), 1e5),
            rec("US000", "10", 5, Y1, Some(1_050_000.0), 9e4),
            rec("US000", "336", 5, Y1, Some(110_000.0), 1e3),
            rec("US000", "337", 5, Y1, Some(10_000.0), 1e3),
            rec("US000", "10", 0, Y0, Some(1_400_000.0), 1e5),
            rec("US000", "10", 5, Y0, Some(1_000_000.0), 9e4),
            rec("US000", "336", 5, Y0, Some(100_000.0), 1e3),
            rec("US000", "337", 5, Y0, Some(10_000.0), 1e3),
        ];
        records.reverse(); // order of records must not matter
        let projections = [IndustryProjection {
            industry: n("31-33"),
            base_year: 2024,
            projected_year: 2034,
            base: 10_000.0,
            projected: 11_000.0,
        }];
        let inp = TargetInput {
            base_period: Some(Y0),
            projections: &projections,
            ..input(&region, &records)
        };
        let t = build_target_table(&inp, &TargetOptions::default()).unwrap();
        let r = row(&t, "336");
        // SHIFT-1 through the pipeline.
        assert!(close(r.ns.unwrap(), 50.0));
        assert!(close(r.im.unwrap(), 50.0));
        assert!(close(r.rs.unwrap(), 100.0));
        assert_eq!(r.change, Some(200.0));
        assert!(close(r.pct_change.unwrap(), 20.0));
        assert!(close(r.cagr_pct.unwrap(), 20.0));
        assert_eq!(
            r.base_employment.as_ref().unwrap().best_value(),
            Some(1_000.0)
        );
        // PROJ-1/PROJ-3 style, from the ancestor sector's projection.
        let p = r.projection.as_ref().unwrap();
        assert_eq!(p.source_industry.as_str(), "31-33");
        assert!(close(p.pct_change.unwrap(), 10.0));
        assert_eq!(stats::round_to(p.cagr_pct.unwrap(), 4), 0.9577);
        assert!(close(p.regional_projected_employment.unwrap(), 1_320.0));
        // New industry: effects 0, flagged, change reported.
        let r337 = row(&t, "337");
        assert!(r337.new_industry);
        assert_eq!(
            (r337.ns, r337.im, r337.rs),
            (Some(0.0), Some(0.0), Some(0.0))
        );
        assert_eq!(r337.change, Some(50.0));
        assert_eq!(r337.pct_change, None);
        assert_eq!(r337.cagr_pct, None);
        // Hachman over 336 and 337 at the 3-digit level.
        let want = stats::hachman_index([(1_200.0, 110_000.0), (50.0, 10_000.0)]).unwrap();
        assert!(close(t.hachman.unwrap(), want));
    }

    /// SUPP-GEO-1 through the pipeline: state 39 industry 336 = 1,000; A = 300; B, C suppressed
    /// (4 and 9 establishments); 39999 = 50. Region {A, B}.
    fn geo_fixture() -> Vec<QcewRecord> {
        let mut v = vec![
            rec("39000", "10", 0, Y1, Some(30_050.0), 1_000.0),
            rec("39000", "336", 5, Y1, Some(1_000.0), 36.0),
            rec("39001", "10", 0, Y1, Some(10_000.0), 300.0),
            rec("39003", "10", 0, Y1, Some(8_000.0), 300.0),
            rec("39005", "10", 0, Y1, Some(12_000.0), 300.0),
            rec("39999", "10", 0, Y1, Some(50.0), 3.0),
            rec("39001", "10", 5, Y1, Some(9_000.0), 250.0),
            rec("39003", "10", 5, Y1, Some(7_000.0), 250.0),
            rec("39001", "336", 5, Y1, Some(300.0), 20.0),
            rec("39003", "336", 5, Y1, None, 4.0),
            rec("39005", "336", 5, Y1, None, 9.0),
            rec("39999", "336", 5, Y1, Some(50.0), 3.0),
            rec("US000", "10", 0, Y1, Some(150_000_000.0), 1e7),
            rec("US000", "10", 5, Y1, Some(125_000_000.0), 9e6),
            rec("US000", "336", 5, Y1, Some(2_000_000.0), 1e4),
        ];
        // Another state's rows are ignored.
        v.push(rec("18001", "336", 5, Y1, Some(7.0), 1.0));
        v
    }

    #[test]
    #[allow(non_snake_case)]
    fn SUPP_GEO_1_through_the_table() {
        let region = [a("39001"), a("39003")];
        let records = geo_fixture();
        let opts = TargetOptions {
            estimation: vec![EstimateSource::Geographic],
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        assert!(t.notes.is_empty(), "{:?}", t.notes);
        let r = row(&t, "336");
        assert_eq!(r.status, Status::Partial);
        assert_eq!(r.suppressed_counties, 1);
        assert_eq!(
            r.employment.published().bounds(),
            crate::value::Bounds::new(300.0, Some(950.0)).unwrap()
        );
        assert!(close(r.employment.best_value().unwrap(), 500.0));
        assert!(r.estimated);
        assert_eq!(
            r.employment.estimate().unwrap().method,
            EstimateMethod::RegionSum {
                geographic: 1,
                industry: 0
            }
        );
        // LQ uses the flagged estimate: (500 / 18,000) / (2e6 / 150e6).
        assert!(close(
            r.lq_employment.unwrap(),
            (500.0 / 18_000.0) / (2e6 / 150e6)
        ));
        // 200 of 16,000 private jobs are estimated.
        assert!(close(
            t.estimated_employment_share.unwrap(),
            200.0 / 16_000.0
        ));

        // Industry residual only: county B's rows skip the domain/supersector/sector levels, so
        // the hierarchy is incomplete and no (wrong) estimate is made.
        let opts = TargetOptions {
            estimation: vec![EstimateSource::Industry],
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        assert_eq!(
            t.notes[0],
            TableNote::IndustryResidualUnavailable {
                area: a("39003"),
                period: Y1
            }
        );
        assert_eq!(row(&t, "336").employment.best_value(), None);

        // Without estimation: bounds only, no value, no LQ, employment factor missing.
        let opts = TargetOptions {
            estimation: vec![],
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        let r = row(&t, "336");
        assert_eq!(r.employment.best_value(), None);
        assert_eq!(r.employment.published().bounds().upper(), None);
        assert_eq!(r.lq_employment, None);
        assert_eq!(r.avg_annual_pay, None);
        assert!(!r.estimated);
        assert_eq!(r.ranking.as_ref().unwrap().ranks.employment, None);
    }

    #[test]
    fn incomplete_county_set_disables_geographic_residual() {
        let region = [a("39001"), a("39003")];
        // Drop county C: the county totals no longer add up to the state.
        let records: Vec<QcewRecord> = geo_fixture()
            .into_iter()
            .filter(|r| r.area.as_str() != "39005")
            .collect();
        let opts = TargetOptions {
            estimation: vec![EstimateSource::Geographic],
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        assert!(t.notes.contains(&TableNote::GeographicResidualUnavailable {
            state: "39".into(),
            period: Y1
        }));
        // 336 stays unknown, so the Hachman index leaves it out and says so.
        assert!(t.notes.contains(&TableNote::HachmanSkipped {
            industries: vec![n("336")]
        }));
        assert_eq!(row(&t, "336").employment.best_value(), None);
    }

    #[test]
    #[allow(non_snake_case)]
    fn SUPP_IND_1_through_the_table() {
        // One county, 4-digit level: 336 = 900; 3361, 3363 suppressed (2, 3 estabs); 3362 = 150;
        // 3364..3369 = 250. No state rows → only the industry residual can estimate.
        let region = [a("39001")];
        let mut records = vec![
            rec("39001", "10", 0, Y1, Some(5_000.0), 100.0),
            rec("39001", "10", 5, Y1, Some(900.0), 30.0),
            rec("39001", "101", 5, Y1, Some(900.0), 30.0),
            rec("39001", "1013", 5, Y1, Some(900.0), 30.0),
            rec("39001", "31-33", 5, Y1, Some(900.0), 30.0),
            rec("39001", "336", 5, Y1, Some(900.0), 30.0),
            rec("39001", "3361", 5, Y1, None, 2.0),
            rec("39001", "3362", 5, Y1, Some(150.0), 5.0),
            rec("39001", "3363", 5, Y1, None, 3.0),
            rec("39001", "3364", 5, Y1, Some(200.0), 10.0),
            rec("39001", "3369", 5, Y1, Some(50.0), 10.0),
            rec("US000", "10", 0, Y1, Some(150_000_000.0), 1e7),
            rec("US000", "10", 5, Y1, Some(125_000_000.0), 9e6),
        ];
        for c in ["3361", "3362", "3363", "3364", "3369"] {
            records.push(rec("US000", c, 5, Y1, Some(100_000.0), 1e3));
        }
        let opts = TargetOptions {
            level: IndustryLevel::Naics4,
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        assert!(close(
            row(&t, "3361").employment.best_value().unwrap(),
            200.0
        ));
        assert!(close(
            row(&t, "3363").employment.best_value().unwrap(),
            300.0
        ));
        assert_eq!(
            row(&t, "3363").employment.published().bounds().upper(),
            Some(500.0)
        );
        assert_eq!(
            row(&t, "3361").employment.estimate().unwrap().method,
            EstimateMethod::RegionSum {
                geographic: 0,
                industry: 1
            }
        );
        assert!(close(t.estimated_employment_share.unwrap(), 500.0 / 900.0));
        // Wages are estimated the same way (50,000 a job → 10,000,000 for 3361).
        assert!(close(
            row(&t, "3361").total_wages.best_value().unwrap(),
            10_000_000.0
        ));
    }

    #[test]
    fn ranking_exclusions_and_order() {
        let region = [a("39001"), a("39003")];
        let mut records = lq_fixture();
        records.push(rec("39001", "999", 5, Y1, Some(5_000.0), 1.0));
        records.push(rec("39001", "311", 5, Y1, Some(10.0), 1.0));
        let opts = TargetOptions {
            min_employment: Some(50.0),
            ..TargetOptions::default()
        };
        let t = build_target_table(&input(&region, &records), &opts).unwrap();
        assert_eq!(row(&t, "999").excluded, Some(Exclusion::Unclassified));
        assert_eq!(
            row(&t, "311").excluded,
            Some(Exclusion::BelowMinimumEmployment)
        );
        assert!(row(&t, "311").ranking.is_none());
        let order: Vec<&str> = t
            .ranked_rows()
            .iter()
            .map(|r| r.industry_code.as_str())
            .collect();
        // 541: more jobs (1,500 vs 500), higher pay (53,333 vs 50,000), LQ 1.875 vs 3.75.
        assert_eq!(order, ["541", "336"]);
        assert_eq!(row(&t, "541").score(), Some(4.0 / 3.0));
        assert_eq!(t.sensitivity.baseline.len(), 2);
    }

    #[test]
    fn input_errors_are_reported() {
        let records = lq_fixture();
        let opts = TargetOptions::default();
        let e = |region: &[AreaFips], records: &[QcewRecord]| {
            build_target_table(&input(region, records), &opts).unwrap_err()
        };
        assert_eq!(e(&[], &records), TargetError::EmptyRegion);
        assert_eq!(
            e(&[a("39999")], &records),
            TargetError::NotACounty(a("39999"))
        );
        assert!(matches!(
            e(&[a("39005")], &records),
            TargetError::MissingCountyTotal { .. }
        ));
        let mut dup = records.clone();
        dup.push(records[4].clone());
        assert!(matches!(
            e(&[a("39001")], &dup),
            TargetError::DuplicateRecord { .. }
        ));
        let one = [a("39001")];
        let bad_base = TargetInput {
            base_period: Some(Period::Year(2024)),
            ..input(&one, &records)
        };
        assert!(matches!(
            build_target_table(&bad_base, &opts),
            Err(TargetError::BasePeriod { .. })
        ));
        let own0 = TargetOptions {
            ownership: Ownership::TotalCovered,
            ..TargetOptions::default()
        };
        assert!(matches!(
            build_target_table(&input(&[a("39001")], &records), &own0),
            Err(TargetError::UnsupportedOwnership(_))
        ));
        let no_nation: Vec<QcewRecord> = records
            .iter()
            .filter(|r| r.area.as_str() != "US000")
            .cloned()
            .collect();
        // No national file: the table is built, LQs are empty and a note says why.
        let t = build_target_table(&input(&[a("39001")], &no_nation), &opts).unwrap();
        assert!(t.rows.iter().all(|r| r.lq_employment.is_none()));
        assert!(t.rows.iter().any(|r| r.employment.best_value().is_some()));
        assert!(
            t.notes
                .iter()
                .any(|n| matches!(n, TableNote::NoNationalData { .. }))
        );
    }

    #[test]
    fn quarterly_period_uses_13_weeks_and_annualises_pay() {
        let q = Period::Quarter(2023, crate::codes::Quarter::Q3);
        let region = [a("39001")];
        let records: Vec<QcewRecord> = lq_fixture()
            .into_iter()
            .filter(|r| r.area.as_str() != "39003")
            .map(|mut r| {
                r.period = q;
                r
            })
            .collect();
        let inp = TargetInput {
            period: q,
            base_period: Some(Period::Quarter(2022, crate::codes::Quarter::Q3)),
            ..input(&region, &records)
        };
        // No base-period rows at all: growth and shift-share are empty, with a note; not an error.
        let t = build_target_table(&inp, &TargetOptions::default()).unwrap();
        assert!(
            t.rows
                .iter()
                .all(|r| r.ns.is_none() && r.pct_change.is_none())
        );
        assert!(
            t.notes
                .iter()
                .any(|n| matches!(n, TableNote::NoNationalData { .. }))
        );
        let inp = TargetInput {
            base_period: None,
            ..inp
        };
        let t = build_target_table(&inp, &TargetOptions::default()).unwrap();
        let r = row(&t, "541");
        // 60e6 quarterly wages, 1,000 jobs (month 3): weekly 60,000 / 13, annual 240,000.
        assert!(close(r.avg_weekly_wage.unwrap(), 60_000.0 / 13.0));
        assert!(close(r.avg_annual_pay.unwrap(), 240_000.0));
        // A base period of the other kind is rejected.
        let mixed = TargetInput {
            base_period: Some(Y0),
            ..inp
        };
        assert!(matches!(
            build_target_table(&mixed, &TargetOptions::default()),
            Err(TargetError::BasePeriod { .. })
        ));
    }

    #[test]
    fn row_wire_format_snapshot() {
        let region = [a("39001"), a("39003")];
        let records = geo_fixture();
        let t = build_target_table(&input(&region, &records), &TargetOptions::default()).unwrap();
        let r = row(&t, "336");
        insta::assert_yaml_snapshot!("supp_geo_1_row", r);
    }

    /// A synthetic state of 20 counties with a full 6-digit hierarchy and ~30% suppression; the
    /// region is 10 of them. Returns (records, true private employment by (county, code)).
    fn synthetic(periods: &[Period]) -> (Vec<QcewRecord>, HashMap<(String, String), f64>) {
        let sectors = [
            "11", "21", "22", "23", "31-33", "42", "44-45", "48-49", "51", "52", "53", "54", "55",
            "56", "61", "62", "71", "72", "81",
        ];
        let mut seed: u64 = 42;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let counties: Vec<String> = (0..20).map(|c| format!("39{:03}", 2 * c + 1)).collect();
        let mut areas = counties.clone();
        areas.push("39999".into());
        let mut out = Vec::new();
        let mut truth = HashMap::new();
        let mut state: HashMap<(String, Period), (f64, f64)> = HashMap::new();
        let mut nation: HashMap<(String, Period), f64> = HashMap::new();
        for &p in periods {
            for area in &areas {
                // Leaves: 6-digit values; then sum upward.
                let mut vals: HashMap<Naics, (f64, f64)> = HashMap::new();
                for s in sectors {
                    let p2 = &s[..2];
                    for d3 in 1..=4 {
                        for d4 in 1..=3 {
                            for d5 in 1..=2 {
                                for d6 in 1..=2 {
                                    let code: Naics =
                                        format!("{p2}{d3}{d4}{d5}{d6}").parse().unwrap();
                                    let v = (rnd() * 120.0).floor();
                                    if v < 5.0 {
                                        continue; // no establishments: no row
                                    }
                                    let e = (v / 8.0).ceil();
                                    let mut c = code.clone();
                                    loop {
                                        let x = vals.entry(c.clone()).or_insert((0.0, 0.0));
                                        x.0 += v;
                                        x.1 += e;
                                        match c.parent() {
                                            Some(pc) => c = pc,
                                            None => break,
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                for (code, (v, e)) in &vals {
                    let hide = code.level() > IndustryLevel::Total && rnd() < 0.3;
                    let r = rec(area, code.as_str(), 5, p, (!hide).then_some(*v), *e);
                    out.push(r);
                    if p == periods[0] {
                        truth.insert((area.clone(), code.to_string()), *v);
                    }
                    let s = state.entry((code.to_string(), p)).or_insert((0.0, 0.0));
                    s.0 += v;
                    s.1 += e;
                    *nation.entry((code.to_string(), p)).or_insert(0.0) += v * 37.0;
                }
                let tot = vals[&Naics::total()].0 + 1_000.0;
                out.push(rec(area, "10", 0, p, Some(tot), 50.0));
                *state.entry(("own0".into(), p)).or_insert((0.0, 0.0)) = {
                    let s = state
                        .get(&("own0".to_string(), p))
                        .copied()
                        .unwrap_or((0.0, 0.0));
                    (s.0 + tot, s.1 + 50.0)
                };
            }
        }
        for ((code, p), (v, e)) in &state {
            if code == "own0" {
                out.push(rec("39000", "10", 0, *p, Some(*v), *e));
            } else {
                out.push(rec("39000", code, 5, *p, Some(*v), *e));
            }
        }
        for ((code, p), v) in &nation {
            out.push(rec("US000", code, 5, *p, Some(*v), 1e3));
        }
        for &p in periods {
            let own0: f64 = nation
                .iter()
                .filter(|((c, q), _)| c == "10" && *q == p)
                .map(|(_, v)| v * 1.2)
                .sum();
            out.push(rec("US000", "10", 0, p, Some(own0), 1e6));
        }
        (out, truth)
    }

    #[test]
    fn synthetic_region_bounds_contain_truth() {
        let (records, truth) = synthetic(&[Y1, Y0]);
        let region: Vec<AreaFips> = (0..10).map(|c| a(&format!("39{:03}", 2 * c + 1))).collect();
        let inp = TargetInput {
            base_period: Some(Y0),
            ..input(&region, &records)
        };
        for level in [IndustryLevel::Naics3, IndustryLevel::Naics6] {
            let opts = TargetOptions {
                level,
                ..TargetOptions::default()
            };
            // Speed is the benchmark's business (bench/), not a test's.
            let t = build_target_table(&inp, &opts).unwrap();
            let mut estimated = 0;
            for r in &t.rows {
                let true_sum: f64 = region
                    .iter()
                    .filter_map(|c| truth.get(&(c.to_string(), r.industry_code.to_string())))
                    .sum();
                let b = r.employment.published().bounds();
                assert!(
                    b.contains(true_sum),
                    "{}: {true_sum} not in {b}",
                    r.industry_code
                );
                if let Some(best) = r.employment.best() {
                    assert!(b.contains(best.value));
                    estimated += usize::from(best.estimated);
                }
                if r.status != Status::Disclosed {
                    assert!(
                        r.employment.best().is_some(),
                        "{} has no estimate",
                        r.industry_code
                    );
                }
            }
            assert!(estimated > 0);
            let share = t.estimated_employment_share.unwrap();
            assert!(share > 0.0 && share < 1.0, "{share}");
            assert!(t.hachman.is_some_and(|h| h > 0.0 && h <= 1.0));
            assert!(t.notes.is_empty(), "{:?}", t.notes);
        }
    }

    /// The §2.2 estimates of a few industries made from only their `EstimationBranch` equal
    /// those made from every cell, through the whole table (industry and geographic residuals).
    #[test]
    fn estimation_branch_gives_the_same_figures() {
        use crate::suppression::EstimationBranch;
        let (records, _) = synthetic(&[Y1]);
        let region: Vec<AreaFips> = (0..10).map(|c| a(&format!("39{:03}", 2 * c + 1))).collect();
        let inp = input(&region, &records);
        for level in [IndustryLevel::Naics4, IndustryLevel::Naics6] {
            let opts = TargetOptions {
                level,
                ..TargetOptions::default()
            };
            let full = build_target_table(&inp, &opts).unwrap();
            // Requested: the first few rows that needed estimates, and one disclosed row.
            let mut wanted: Vec<Naics> = full
                .rows
                .iter()
                .filter(|r| r.status != Status::Disclosed && r.estimated)
                .take(4)
                .map(|r| r.industry_code.clone())
                .collect();
            assert_eq!(wanted.len(), 4, "the fixture has estimated rows at {level}");
            if let Some(r) = full.rows.iter().find(|r| r.status == Status::Disclosed) {
                wanted.push(r.industry_code.clone());
            }
            let branch = EstimationBranch::new(&wanted);
            let kept: Vec<QcewRecord> = records
                .iter()
                .filter(|r| branch.contains(r.industry.as_str()))
                .cloned()
                .collect();
            assert!(kept.len() * 10 < records.len(), "a branch is a small part");
            let part = build_target_table(&input(&region, &kept), &opts).unwrap();
            for code in &wanted {
                let (f, p) = (row(&full, code.as_str()), row(&part, code.as_str()));
                assert_eq!(f.status, p.status, "{code}");
                assert_eq!(f.employment, p.employment, "{code} at {level}");
                assert_eq!(f.establishments, p.establishments, "{code}");
                assert_eq!(f.total_wages, p.total_wages, "{code}");
                assert_eq!(f.lq_employment, p.lq_employment, "{code}");
            }
        }
    }

    #[test]
    fn is_code_agrees_with_parsing() {
        use crate::codes::is_code;
        for t in [
            "10", "101", "1013", "1029", "11", "31-33", "44-45", "336", "3361", "238111", "99",
            "999999", "31", "45", "1014", "", "1", "12", "3", "3361111", "33a", " 33", "é1",
        ] {
            let parsed = t.parse::<Naics>().ok().filter(|n| n.as_str() == t);
            assert_eq!(is_code(t), parsed.is_some(), "{t:?}");
        }
    }

    proptest::proptest! {
        /// `is_code` (no allocation) accepts exactly the texts that parse to themselves.
        #[test]
        fn is_code_is_parse_without_allocating(t in "[0-9-]{0,7}|10[0-9]{0,3}") {
            let parsed = t.parse::<Naics>().ok().filter(|n| n.as_str() == t);
            proptest::prop_assert_eq!(crate::codes::is_code(&t), parsed.is_some());
        }
    }
}
