//! Downloads from a page's own URL, so the file is what is on screen and the page's policy covers
//! it: every chart as SVG or PNG (`chart=NAME&format=svg|png`) and every table as CSV
//! (`format=csv`, `table=NAME` on pages with several tables). CSV cells hold raw values (no
//! thousands separators), a suppressed value is an empty cell with a status column, and text is
//! neutralised against formula injection (`sectorkit_export::csv_bytes`).

use crate::error::AppError;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};

/// PNG scale: twice the SVG's size, sharp on high-density screens and in slides.
pub const PNG_SCALE: f32 = 2.0;

/// Whether a `format` asks for a chart file.
pub fn is_chart_format(format: Option<&str>) -> bool {
    matches!(format, Some("svg" | "png"))
}

/// Links to download one chart of the page at `uri`.
#[derive(Debug, Clone, Default)]
pub struct ChartLinks {
    pub svg: String,
    pub png: String,
}

impl ChartLinks {
    /// The page's query without `format`/`chart`, plus this chart and each format.
    pub fn new(uri: &Uri, chart: &str) -> ChartLinks {
        ChartLinks {
            svg: download_href(uri, &[("chart", chart), ("format", "svg")]),
            png: download_href(uri, &[("chart", chart), ("format", "png")]),
        }
    }
}

/// The page at `uri` with its settings (the query without `format`, `chart` and `csrf`) and
/// `extra` parameters: the link to one of its downloads.
pub fn download_href(uri: &Uri, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    pairs.retain(|(k, _)| k != "format" && k != "chart" && k != "csrf");
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    format!(
        "{}?{}",
        uri.path(),
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

/// The chart `svg` as a file download named `stem.svg` / `stem.png`. An empty chart (not drawn
/// for these settings) is a 404 that says why (`missing`).
pub fn chart_file(
    stem: &str,
    svg: &str,
    format: &str,
    missing: &str,
) -> Result<Response, AppError> {
    if svg.trim().is_empty() {
        return Err(AppError::NotFoundBecause(missing.to_string()));
    }
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let (ct, file, body) = match format {
        "svg" => (
            "image/svg+xml; charset=utf-8",
            format!("{stem}.svg"),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}").into_bytes(),
        ),
        "png" => (
            "image/png",
            format!("{stem}.png"),
            sectorkit_export::svg_to_png_fit(svg, PNG_SCALE)
                .map_err(|e| AppError::Internal(format!("chart {stem}: {e}")))?,
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "format: {other:?} is not svg or png"
            )));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Rows as a CSV file download (`file` gets the `.csv` the caller names).
pub fn csv_file<I>(file: &str, header: &[&str], rows: I) -> Result<Response, AppError>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let bytes =
        sectorkit_export::csv_bytes(header, rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::handlers::region::csv_download(file, bytes))
}

/// A `table` value that is not one of the page's tables.
pub fn unknown_table(got: &str, known: &[&str]) -> AppError {
    AppError::BadRequest(format!(
        "table: {got:?} is not one of this page's tables ({})",
        known.join(", ")
    ))
}

/// A number for a CSV cell: raw digits, empty when unknown.
pub fn num(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// A `chart` value that is not one of the page's charts.
pub fn unknown_chart(got: &str, known: &[&str]) -> AppError {
    AppError::BadRequest(format!(
        "chart: {got:?} is not one of this page's charts ({})",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_settings_and_replace_format() {
        let uri: Uri = "/p/1/regions/2?period=2020Q1&format=csv&chart=x&w_lq=3"
            .parse()
            .unwrap();
        let l = ChartLinks::new(&uri, "bubble");
        assert_eq!(
            l.svg,
            "/p/1/regions/2?period=2020Q1&w_lq=3&chart=bubble&format=svg"
        );
        assert!(l.png.ends_with("chart=bubble&format=png"));
    }

    #[test]
    fn empty_charts_say_why_and_names_are_safe() {
        let e = chart_file("a", " ", "svg", "no growth").unwrap_err();
        assert!(matches!(e, AppError::NotFoundBecause(m) if m == "no growth"));
        let r = chart_file(
            "r\"1 x",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
            "svg",
            "",
        )
        .unwrap();
        let cd = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert_eq!(cd, "attachment; filename=\"r-1-x.svg\"");
    }
}
