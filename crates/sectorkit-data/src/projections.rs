//! Reader for industry employment projections in sectorkit's documented CSV template.
//!
//! State labor-market-information offices publish industry projections in state-specific formats
//! (METHODS §6), so sectorkit asks for one simple template that any of them can be copied into:
//!
//! ```text
//! area_code,area_name,industry_code,industry_title,base_year,base_employment,projected_year,projected_employment
//! 39000,Ohio,3361,Motor vehicle manufacturing,2022,18250,2032,17440
//! ```
//!
//! - `area_code`: the projection area — a state (`39000`), `US000`, or any sub-state code the
//!   user chooses (a workforce area id); `area_name` is free text.
//! - `industry_code`: NAICS (2- to 6-digit, `31-33`), supersector or `10`.
//! - employment: whole or decimal numbers; thousands separators (`18,250`) are accepted.
//!   A row whose base or projected employment is `(NA)`, `NA`, `*` or blank is skipped and
//!   counted: projections are rates of the state's own (broader) employment concept and are never
//!   mixed with QCEW levels.
//!
//! Column order does not matter; extra columns are ignored. Errors name the file, line and field.
//! What this module must not do: compute growth (that is `sectorkit-core::projection`).

use sectorkit_core::codes::Naics;
use sectorkit_core::projection::IndustryProjection;
use std::io::Read;

/// The header of the template, in order.
pub const TEMPLATE_HEADER: &str = "area_code,area_name,industry_code,industry_title,base_year,base_employment,projected_year,projected_employment";

const REQUIRED: [&str; 7] = [
    "area_code",
    "industry_code",
    "base_year",
    "base_employment",
    "projected_year",
    "projected_employment",
    "area_name",
];

/// One projection row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRow {
    pub area_code: String,
    pub area_name: String,
    pub industry_title: Option<String>,
    pub projection: IndustryProjection,
}

/// What a read produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionFile {
    pub rows: Vec<ProjectionRow>,
    /// Rows skipped because a value was not published (`(NA)` …).
    pub not_published: u64,
}

/// A projections file problem, located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", location(.line, .field))]
pub struct ProjectionError {
    pub file: String,
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

fn location(line: &Option<u64>, field: &Option<String>) -> String {
    match (line, field) {
        (Some(l), Some(f)) => format!(": line {l}, field {f}"),
        (Some(l), None) => format!(": line {l}"),
        _ => String::new(),
    }
}

fn not_published(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_uppercase().as_str(),
        "" | "(NA)" | "NA" | "N/A" | "*" | "**" | "-" | "(D)"
    )
}

fn number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| *c != ',').collect();
    t.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

/// Upper bound on rows, so an upload cannot exhaust memory.
pub const MAX_ROWS: usize = 500_000;

/// Reads a projections CSV in the template format.
pub fn read_projections<R: Read>(name: &str, reader: R) -> Result<ProjectionFile, ProjectionError> {
    let err = |line: Option<u64>, field: Option<&str>, message: String| ProjectionError {
        file: name.to_string(),
        line,
        field: field.map(str::to_string),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| err(Some(1), None, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(err(
            Some(1),
            None,
            format!(
                "not a projections file: missing column(s) {}; expected the template header `{TEMPLATE_HEADER}`",
                missing.join(", ")
            ),
        ));
    }
    let c = |n: &str| col(n).expect("checked above");
    let title_col = col("industry_title");
    let mut rows = Vec::new();
    let mut skipped = 0;
    for (i, rec) in rdr.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map(|p| p.line())
            .unwrap_or(i as u64 + 2);
        let rec = rec.map_err(|e| err(Some(line), None, e.to_string()))?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(err(None, None, format!("more than {MAX_ROWS} rows")));
        }
        let get = |n: &str| rec.get(c(n)).unwrap_or("");
        let area_code = get("area_code").to_string();
        if area_code.is_empty() {
            return Err(err(Some(line), Some("area_code"), "is empty".into()));
        }
        let industry: Naics = get("industry_code")
            .parse()
            .map_err(|e| err(Some(line), Some("industry_code"), format!("{e}")))?;
        let year = |n: &str| -> Result<i32, ProjectionError> {
            get(n)
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2200).contains(y))
                .ok_or_else(|| err(Some(line), Some(n), format!("{:?} is not a year", get(n))))
        };
        let base_year = year("base_year")?;
        let projected_year = year("projected_year")?;
        if projected_year <= base_year {
            return Err(err(
                Some(line),
                Some("projected_year"),
                format!("{projected_year} is not after the base year {base_year}"),
            ));
        }
        let (b, p) = (get("base_employment"), get("projected_employment"));
        if not_published(b) || not_published(p) {
            skipped += 1;
            continue;
        }
        let value = |n: &str, s: &str| {
            number(s).ok_or_else(|| {
                err(
                    Some(line),
                    Some(n),
                    format!("{s:?} is not a non-negative number"),
                )
            })
        };
        let base = value("base_employment", b)?;
        let projected = value("projected_employment", p)?;
        rows.push(ProjectionRow {
            area_code,
            area_name: get("area_name").to_string(),
            industry_title: title_col
                .and_then(|t| rec.get(t))
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            projection: IndustryProjection {
                industry,
                base_year,
                projected_year,
                base,
                projected,
            },
        });
    }
    if rows.is_empty() {
        return Err(err(None, None, "no projection rows".into()));
    }
    Ok(ProjectionFile {
        rows,
        not_published: skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_template_and_skips_unpublished() {
        let text = format!(
            "{TEMPLATE_HEADER}\n39000,Ohio,3361,Motor vehicle manufacturing,2022,\"18,250\",2032,17440\n39000,Ohio,31-33,Manufacturing,2022,(NA),2032,(NA)\n"
        );
        let f = read_projections("p.csv", text.as_bytes()).unwrap();
        assert_eq!(f.rows.len(), 1);
        assert_eq!(f.not_published, 1);
        let p = &f.rows[0].projection;
        assert_eq!(p.industry.as_str(), "3361");
        assert_eq!(p.base, 18_250.0);
        assert_eq!((p.base_year, p.projected_year), (2022, 2032));
    }

    #[test]
    fn errors_name_line_and_field() {
        let text = format!("{TEMPLATE_HEADER}\n39000,Ohio,3361,x,2022,12a,2032,1\n");
        let e = read_projections("p.csv", text.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.field.as_deref(), Some("base_employment"));
        assert!(
            e.to_string()
                .starts_with("p.csv: line 2, field base_employment"),
            "{e}"
        );
        let e = read_projections("q.csv", "a,b\n1,2\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("missing column"), "{e}");
        let text = format!("{TEMPLATE_HEADER}\n39000,Ohio,3361,x,2032,1,2022,1\n");
        let e = read_projections("p.csv", text.as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("projected_year"));
    }
}
