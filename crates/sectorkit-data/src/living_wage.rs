//! Reader for living wages in sectorkit's documented CSV template (METHODS §8).
//!
//! MIT's Living Wage Calculator publishes, per county, metro and state and per year, the hourly
//! wage one adult must earn for 12 family compositions. Its terms do not allow bulk copying into
//! an open-source tool, so sectorkit ships no values: a partnership copies the figures it uses
//! (or its own) into this template and imports them.
//!
//! ```text
//! area_fips,area_name,family_type,hourly,vintage,source
//! 39049,"Franklin County, OH",1a0c,21.62,2025,MIT Living Wage Calculator (livingwage.mit.edu)
//! 39049,"Franklin County, OH",2a2c_both,29.80,2025,MIT Living Wage Calculator (livingwage.mit.edu)
//! 39000,Ohio,1a0c,20.10,2025,MIT Living Wage Calculator
//! ```
//!
//! - `area_fips`: a county (`SSCCC`) or a state (`SS000`); `area_name` is free text.
//! - `family_type`: one of the 12 stable codes of
//!   [`FamilyType`](sectorkit_core::living_wage::FamilyType): `1a0c` … `1a3c` (one adult,
//!   0–3 children), `2a0c_one` … `2a3c_one` (two adults, one working), `2a0c_both` …
//!   `2a3c_both` (two adults, both working).
//! - `hourly`: dollars per hour **per working adult**, before tax (`$21.62` and `21.62` both
//!   read); must be positive.
//! - `vintage`: the year of the figures (MIT revises every year: store the vintage).
//! - `source`: where the figure comes from; required, so every figure shown can be cited.
//!
//! Column order does not matter; extra columns are ignored. Blank lines are skipped. The same
//! (area, family type, vintage) twice is an error, not a silent overwrite. Errors name the file,
//! line and field. What this module must not do: compare wages (that is
//! `sectorkit_core::living_wage`).

use std::collections::HashMap;
use std::io::Read;

use sectorkit_core::codes::{AreaFips, AreaKind};
use sectorkit_core::living_wage::{FamilyType, LivingWage};
use serde::{Deserialize, Serialize};

/// The header of the template, in order.
pub const TEMPLATE_HEADER: &str = "area_fips,area_name,family_type,hourly,vintage,source";

const REQUIRED: [&str; 5] = ["area_fips", "family_type", "hourly", "vintage", "source"];

/// Upper bound on rows, so an upload cannot exhaust memory (3,144 counties × 12 types ×
/// several vintages fit).
pub const MAX_ROWS: usize = 500_000;

/// One living-wage figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivingWageRow {
    /// 1-based line in the file.
    pub line: u64,
    /// County or state.
    pub area: AreaFips,
    /// Free text, may be empty.
    pub area_name: String,
    /// Family type and hourly rate.
    pub living_wage: LivingWage,
    /// Year of the figures.
    pub vintage: i32,
    /// Where the figure comes from.
    pub source: String,
}

/// A living-wage file problem, located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {message}", location(.line, .field))]
pub struct LivingWageError {
    /// The file name.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// Column, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

fn location(line: &Option<u64>, field: &Option<String>) -> String {
    match (line, field) {
        (Some(l), Some(f)) => format!(": line {l}, field {f}"),
        (Some(l), None) => format!(": line {l}"),
        _ => String::new(),
    }
}

/// Reads a living-wage CSV in the template format.
pub fn read_living_wages<R: Read>(
    name: &str,
    reader: R,
) -> Result<Vec<LivingWageRow>, LivingWageError> {
    let err = |line: Option<u64>, field: Option<&str>, message: String| LivingWageError {
        file: name.to_string(),
        line,
        field: field.map(str::to_string),
        message,
    };
    let input = crate::newlines::Newlines::new(reader);
    let lines = input.index();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
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
                "not a living-wage file: missing column(s) {}; expected the template header `{TEMPLATE_HEADER}`",
                missing.join(", ")
            ),
        ));
    }
    let c = |n: &str| col(n).expect("checked above");
    let name_col = col("area_name");
    let mut rows: Vec<LivingWageRow> = Vec::new();
    let mut seen: HashMap<(String, FamilyType, i32), u64> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let fallback = i as u64 + 2;
        let rec = rec.map_err(|e| {
            let line = e
                .position()
                .map(|p| lines.line_of(p.byte()))
                .unwrap_or(fallback);
            err(Some(line), None, e.to_string())
        })?;
        let line = rec
            .position()
            .map(|p| lines.line_of(p.byte()))
            .unwrap_or(fallback);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(err(None, None, format!("more than {MAX_ROWS} rows")));
        }
        let get = |n: &str| rec.get(c(n)).unwrap_or("");
        let at = |n: &str, m: String| err(Some(line), Some(n), m);
        let area: AreaFips = get("area_fips")
            .parse()
            .map_err(|e| at("area_fips", format!("{e}")))?;
        if !matches!(area.kind(), AreaKind::County | AreaKind::State) {
            return Err(at(
                "area_fips",
                format!(
                    "{} is not a county (SSCCC) or a state (SS000)",
                    area.as_str()
                ),
            ));
        }
        let family_type: FamilyType = get("family_type")
            .parse()
            .map_err(|e: String| at("family_type", e))?;
        let h = get("hourly");
        let hourly = h
            .trim_start_matches('$')
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| at("hourly", format!("{h:?} is not a positive dollar amount")))?;
        let v = get("vintage");
        let vintage = v
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2200).contains(y))
            .ok_or_else(|| at("vintage", format!("{v:?} is not a year")))?;
        let source = get("source");
        if source.is_empty() {
            return Err(at(
                "source",
                "is empty: say where the figure comes from".into(),
            ));
        }
        let key = (area.as_str().to_string(), family_type, vintage);
        if let Some(first) = seen.insert(key, line) {
            return Err(at(
                "family_type",
                format!(
                    "{} {family_type} {vintage} is already on line {first}",
                    area.as_str()
                ),
            ));
        }
        rows.push(LivingWageRow {
            line,
            area,
            area_name: name_col.and_then(|i| rec.get(i)).unwrap_or("").to_string(),
            living_wage: LivingWage {
                family_type,
                hourly,
            },
            vintage,
            source: source.to_string(),
        });
    }
    if rows.is_empty() {
        return Err(err(None, None, "no living-wage rows".into()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
area_fips,area_name,family_type,hourly,vintage,source
39049,\"Franklin County, OH\",1a0c,21.62,2025,MIT Living Wage Calculator
39049,\"Franklin County, OH\",2a2c_both,$29.80,2025,MIT Living Wage Calculator

39000,Ohio,1A0C,20.10,2025,MIT Living Wage Calculator
";

    #[test]
    fn reads_the_template() {
        let rows = read_living_wages("lw.csv", SAMPLE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].area.as_str(), "39049");
        assert_eq!(rows[0].area_name, "Franklin County, OH");
        assert_eq!(rows[0].living_wage.family_type, FamilyType::DEFAULT);
        assert_eq!(rows[0].living_wage.hourly, 21.62);
        assert_eq!(rows[1].living_wage.hourly, 29.80);
        assert_eq!(rows[1].living_wage.family_type.code(), "2a2c_both");
        assert_eq!(rows[2].line, 5, "blank line skipped, lines are file lines");
        assert_eq!(rows[2].area.as_str(), "39000");
        assert_eq!(rows[0].vintage, 2025);
        // CRLF files read the same.
        let crlf = SAMPLE.replace('\n', "\r\n");
        let again = read_living_wages("lw.csv", crlf.as_bytes()).unwrap();
        assert_eq!(again, rows);
        // The template header alone is a valid header.
        let t = format!("{TEMPLATE_HEADER}\n39049,,1a1c,30,2025,own survey\n");
        assert_eq!(read_living_wages("t.csv", t.as_bytes()).unwrap().len(), 1);
    }

    fn fails(body: &str) -> LivingWageError {
        read_living_wages("lw.csv", format!("{TEMPLATE_HEADER}\n{body}\n").as_bytes()).unwrap_err()
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = fails("39049,x,1a4c,21,2025,MIT");
        assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("family_type")));
        assert!(
            e.to_string()
                .starts_with("lw.csv: line 2, field family_type: \"1a4c\" is not a family type"),
            "{e}"
        );
        let e = fails("39049,x,1a0c,twenty,2025,MIT");
        assert_eq!(e.field.as_deref(), Some("hourly"));
        let e = fails("39049,x,1a0c,0,2025,MIT");
        assert_eq!(
            e.field.as_deref(),
            Some("hourly"),
            "a zero living wage is refused"
        );
        let e = fails("39049,x,1a0c,21,25,MIT");
        assert_eq!(e.field.as_deref(), Some("vintage"));
        let e = fails("39049,x,1a0c,21,2025,");
        assert_eq!(e.field.as_deref(), Some("source"));
        let e = fails("C1814,x,1a0c,21,2025,MIT");
        assert_eq!(e.field.as_deref(), Some("area_fips"));
        let e = fails("3904,x,1a0c,21,2025,MIT");
        assert_eq!(e.field.as_deref(), Some("area_fips"));
        let e = fails("39049,x,1a0c,21,2025,MIT\n39049,x,1a0c,22,2025,MIT");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("already on line 2"), "{e}");
        let e = read_living_wages("lw.csv", "county,wage\n39049,20\n".as_bytes()).unwrap_err();
        assert!(
            e.message
                .contains("missing column(s) area_fips, family_type, hourly, vintage, source"),
            "{e}"
        );
        let e = read_living_wages("lw.csv", format!("{TEMPLATE_HEADER}\n").as_bytes()).unwrap_err();
        assert!(e.message.contains("no living-wage rows"));
    }
}
