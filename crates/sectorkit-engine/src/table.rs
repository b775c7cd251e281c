//! The column contract of a target table, shared by CSV, JSON and the web pages.

use sectorkit_core::targets::TargetRow;
use sectorkit_core::value::Figure;

/// A number with a fixed number of decimals, empty when unknown.
pub fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_default()
}

/// The value to show: the published value, or the labelled estimate when there is one.
pub fn figure_value(f: &Figure) -> Option<f64> {
    f.best().map(|b| b.value)
}

/// Lower and upper bound of a figure's published cell (upper empty when unbounded).
pub fn bounds_of(f: &Figure) -> (String, String) {
    let b = f.published().bounds();
    (
        format!("{}", b.lower()),
        b.upper().map(|u| format!("{u}")).unwrap_or_default(),
    )
}

/// The CSV columns, in order. The first nineteen are the stable contract of `--format csv`.
pub const CSV_COLUMNS: &[&str] = &[
    "industry_code",
    "industry_title",
    "own_code",
    "status",
    "employment",
    "establishments",
    "total_wages",
    "avg_annual_pay",
    "avg_weekly_wage",
    "lq_employment",
    "lq_total_wages",
    "base_employment",
    "change",
    "pct_change",
    "cagr",
    "ns",
    "im",
    "rs",
    "score",
    "rank",
    "estimated",
    "estimate_method",
    "employment_lower",
    "employment_upper",
    "suppressed_counties",
    "projected_growth_pct",
];

/// One row as text cells in [`CSV_COLUMNS`] order.
pub fn csv_record(r: &TargetRow) -> Vec<String> {
    let (lo, hi) = bounds_of(&r.employment);
    vec![
        r.industry_code.as_str().to_string(),
        r.industry_title.clone(),
        r.own_code.code().to_string(),
        r.status.as_str().to_string(),
        fmt_opt(figure_value(&r.employment), 0),
        fmt_opt(figure_value(&r.establishments), 0),
        fmt_opt(figure_value(&r.total_wages), 0),
        fmt_opt(r.avg_annual_pay, 2),
        fmt_opt(r.avg_weekly_wage, 2),
        fmt_opt(r.lq_employment, 4),
        fmt_opt(r.lq_total_wages, 4),
        fmt_opt(r.base_employment.as_ref().and_then(figure_value), 0),
        fmt_opt(r.change, 0),
        fmt_opt(r.pct_change, 4),
        fmt_opt(r.cagr_pct, 4),
        fmt_opt(r.ns, 2),
        fmt_opt(r.im, 2),
        fmt_opt(r.rs, 2),
        fmt_opt(r.score(), 4),
        r.ranking
            .as_ref()
            .and_then(|k| k.position)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        r.estimated.to_string(),
        r.employment
            .estimate()
            .map(|e| e.method.as_str().to_string())
            .unwrap_or_default(),
        lo,
        hi,
        r.suppressed_counties.to_string(),
        fmt_opt(r.projection.as_ref().and_then(|p| p.pct_change), 4),
    ]
}
