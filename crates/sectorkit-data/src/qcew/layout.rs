//! QCEW file layouts, recognised from the header row by column **name** (never by position).
//!
//! The official layouts (METHODS §1.2–1.3): annual 38 columns (singlefile, open-data slices),
//! annual 43 columns with titles (by-area / by-industry zip members), quarterly 42 columns, and
//! quarterly 47 columns with titles. Titled files and older files spell the establishment
//! columns `…estabs_count`; both spellings are accepted. Extra columns are ignored; a header that
//! lacks required columns is rejected with the list of what is missing. This module only maps
//! columns; it reads no data.

use std::collections::HashMap;

use csv::ByteRecord;
use serde::{Deserialize, Serialize};

/// Annual or quarterly, with or without the five title columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// Annual averages without titles: the singlefile and the open-data API slices (38 columns).
    AnnualUntitled,
    /// Annual averages with `area_title`, `own_title`, `industry_title`, `agglvl_title`,
    /// `size_title`: by-area / by-industry zip members (43 columns).
    AnnualTitled,
    /// Quarterly without titles (42 columns).
    QuarterlyUntitled,
    /// Quarterly with titles: by-area / by-industry zip members (47 columns).
    QuarterlyTitled,
}

impl LayoutKind {
    /// Whether rows are annual averages (`qtr` = `A`).
    pub fn is_annual(self) -> bool {
        matches!(self, LayoutKind::AnnualUntitled | LayoutKind::AnnualTitled)
    }

    /// Whether the file carries the title columns.
    pub fn is_titled(self) -> bool {
        matches!(self, LayoutKind::AnnualTitled | LayoutKind::QuarterlyTitled)
    }
}

/// How the establishment-count columns are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstabsColumn {
    /// `annual_avg_estabs` / `qtrly_estabs` (singlefile, API slices).
    Plain,
    /// `annual_avg_estabs_count` / `qtrly_estabs_count` (titled files, older layouts).
    Count,
}

/// A recognised layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Layout {
    /// Annual/quarterly × titled/untitled.
    pub kind: LayoutKind,
    /// Spelling of the establishment columns.
    pub estabs_column: EstabsColumn,
    /// Number of columns in the header.
    pub columns: usize,
}

impl Layout {
    /// The name of the establishment-count column in this layout.
    pub fn estabs_column_name(&self) -> &'static str {
        match (self.kind.is_annual(), self.estabs_column) {
            (true, EstabsColumn::Plain) => "annual_avg_estabs",
            (true, EstabsColumn::Count) => "annual_avg_estabs_count",
            (false, EstabsColumn::Plain) => "qtrly_estabs",
            (false, EstabsColumn::Count) => "qtrly_estabs_count",
        }
    }
}

/// Column indices of the fields the reader uses, for one file's header.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub area: usize,
    pub own: usize,
    pub industry: usize,
    pub agglvl: usize,
    pub size: usize,
    pub year: usize,
    pub qtr: usize,
    pub disclosure: usize,
    pub area_title: Option<usize>,
    pub industry_title: Option<usize>,
    pub estabs: usize,
    /// Annual average, or month 3.
    pub employment: usize,
    pub months: Option<[usize; 3]>,
    pub wages: usize,
    pub taxable: usize,
    pub contributions: usize,
    pub weekly_wage: usize,
    pub annual_pay: Option<usize>,
    pub lq_disclosure: usize,
    pub lq_estabs: usize,
    pub lq_employment: usize,
    pub lq_months: Option<[usize; 3]>,
    pub lq_wages: usize,
    pub oty_disclosure: usize,
    pub oty_estabs_chg: usize,
    pub oty_estabs_pct: usize,
    pub oty_employment_chg: usize,
    pub oty_employment_pct: usize,
    pub oty_months_chg: Option<[usize; 3]>,
    pub oty_months_pct: Option<[usize; 3]>,
    pub oty_wages_chg: usize,
    pub oty_wages_pct: usize,
    /// Header names as written in the file (BOM and blanks removed), for error messages.
    pub names: Vec<String>,
}

impl Columns {
    /// The header name of column `i`.
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map(String::as_str).unwrap_or("?")
    }
}

/// A header that is not a QCEW layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayoutMismatch {
    /// `annual` or `quarterly`: the layout the header came closest to.
    pub closest: &'static str,
    /// Required columns that are missing (alternative spellings joined with ` or `).
    pub missing: Vec<String>,
}

/// Normalises one header cell: drops a UTF-8 BOM, surrounding blanks and stray quotes, and
/// lower-cases it.
fn normalise(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    s.trim_start_matches('\u{feff}')
        .trim()
        .trim_matches('"')
        .trim()
        .to_ascii_lowercase()
}

/// Finds columns by name, collecting the names it cannot find.
struct Finder<'a> {
    index: &'a HashMap<String, usize>,
    missing: Vec<String>,
}

impl Finder<'_> {
    /// The first of `names` present in the header (its position in `names` and its column).
    fn pick(&mut self, names: &[&str]) -> (usize, usize) {
        for (k, n) in names.iter().enumerate() {
            if let Some(&i) = self.index.get(*n) {
                return (k, i);
            }
        }
        self.missing.push(names.join(" or "));
        (0, usize::MAX)
    }

    fn get(&mut self, names: &[&str]) -> usize {
        self.pick(names).1
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

const MONTHS: [&str; 3] = ["month1", "month2", "month3"];

fn build(
    index: &HashMap<String, usize>,
    annual: bool,
    names: &[String],
) -> Result<(Layout, Columns), LayoutMismatch> {
    let mut f = Finder {
        index,
        missing: Vec::new(),
    };
    let area = f.get(&["area_fips"]);
    let own = f.get(&["own_code"]);
    let industry = f.get(&["industry_code"]);
    let agglvl = f.get(&["agglvl_code"]);
    let size = f.get(&["size_code"]);
    let year = f.get(&["year"]);
    let qtr = f.get(&["qtr"]);
    let disclosure = f.get(&["disclosure_code"]);
    let lq_disclosure;
    let oty_disclosure;
    let cols;
    let estabs_spelling;
    if annual {
        let (spelling, estabs) = f.pick(&["annual_avg_estabs", "annual_avg_estabs_count"]);
        estabs_spelling = spelling;
        let employment = f.get(&["annual_avg_emplvl"]);
        let wages = f.get(&["total_annual_wages"]);
        let taxable = f.get(&["taxable_annual_wages"]);
        let contributions = f.get(&["annual_contributions"]);
        let weekly_wage = f.get(&["annual_avg_wkly_wage"]);
        let annual_pay = f.get(&["avg_annual_pay"]);
        lq_disclosure = f.get(&["lq_disclosure_code"]);
        let lq_estabs = f.get(&["lq_annual_avg_estabs", "lq_annual_avg_estabs_count"]);
        let lq_employment = f.get(&["lq_annual_avg_emplvl"]);
        let lq_wages = f.get(&["lq_total_annual_wages"]);
        oty_disclosure = f.get(&["oty_disclosure_code"]);
        let oty_estabs_chg = f.get(&[
            "oty_annual_avg_estabs_chg",
            "oty_annual_avg_estabs_count_chg",
        ]);
        let oty_estabs_pct = f.get(&[
            "oty_annual_avg_estabs_pct_chg",
            "oty_annual_avg_estabs_count_pct_chg",
        ]);
        let oty_employment_chg = f.get(&["oty_annual_avg_emplvl_chg"]);
        let oty_employment_pct = f.get(&["oty_annual_avg_emplvl_pct_chg"]);
        let oty_wages_chg = f.get(&["oty_total_annual_wages_chg"]);
        let oty_wages_pct = f.get(&["oty_total_annual_wages_pct_chg"]);
        cols = (
            estabs,
            employment,
            None,
            wages,
            taxable,
            contributions,
            weekly_wage,
            Some(annual_pay),
            lq_estabs,
            lq_employment,
            None,
            lq_wages,
            (
                oty_estabs_chg,
                oty_estabs_pct,
                oty_employment_chg,
                oty_employment_pct,
            ),
            (None, None, oty_wages_chg, oty_wages_pct),
        );
    } else {
        let (spelling, estabs) = f.pick(&["qtrly_estabs", "qtrly_estabs_count"]);
        estabs_spelling = spelling;
        let months = MONTHS.map(|m| f.get(&[&format!("{m}_emplvl")]));
        let wages = f.get(&["total_qtrly_wages"]);
        let taxable = f.get(&["taxable_qtrly_wages"]);
        let contributions = f.get(&["qtrly_contributions"]);
        let weekly_wage = f.get(&["avg_wkly_wage"]);
        lq_disclosure = f.get(&["lq_disclosure_code"]);
        let lq_estabs = f.get(&["lq_qtrly_estabs", "lq_qtrly_estabs_count"]);
        let lq_months = MONTHS.map(|m| f.get(&[&format!("lq_{m}_emplvl")]));
        let lq_wages = f.get(&["lq_total_qtrly_wages"]);
        oty_disclosure = f.get(&["oty_disclosure_code"]);
        let oty_estabs_chg = f.get(&["oty_qtrly_estabs_chg", "oty_qtrly_estabs_count_chg"]);
        let oty_estabs_pct = f.get(&["oty_qtrly_estabs_pct_chg", "oty_qtrly_estabs_count_pct_chg"]);
        let oty_months_chg = MONTHS.map(|m| f.get(&[&format!("oty_{m}_emplvl_chg")]));
        let oty_months_pct = MONTHS.map(|m| f.get(&[&format!("oty_{m}_emplvl_pct_chg")]));
        let oty_wages_chg = f.get(&["oty_total_qtrly_wages_chg"]);
        let oty_wages_pct = f.get(&["oty_total_qtrly_wages_pct_chg"]);
        cols = (
            estabs,
            months[2],
            Some(months),
            wages,
            taxable,
            contributions,
            weekly_wage,
            None,
            lq_estabs,
            lq_months[2],
            Some(lq_months),
            lq_wages,
            (
                oty_estabs_chg,
                oty_estabs_pct,
                oty_months_chg[2],
                oty_months_pct[2],
            ),
            (
                Some(oty_months_chg),
                Some(oty_months_pct),
                oty_wages_chg,
                oty_wages_pct,
            ),
        );
    }
    if !f.missing.is_empty() {
        return Err(LayoutMismatch {
            closest: if annual { "annual" } else { "quarterly" },
            missing: f.missing,
        });
    }
    let area_title = f.optional("area_title");
    let industry_title = f.optional("industry_title");
    let titled = area_title.is_some() && industry_title.is_some();
    let kind = match (annual, titled) {
        (true, false) => LayoutKind::AnnualUntitled,
        (true, true) => LayoutKind::AnnualTitled,
        (false, false) => LayoutKind::QuarterlyUntitled,
        (false, true) => LayoutKind::QuarterlyTitled,
    };
    let (
        estabs,
        employment,
        months,
        wages,
        taxable,
        contributions,
        weekly_wage,
        annual_pay,
        lq_estabs,
        lq_employment,
        lq_months,
        lq_wages,
        (oty_estabs_chg, oty_estabs_pct, oty_employment_chg, oty_employment_pct),
        (oty_months_chg, oty_months_pct, oty_wages_chg, oty_wages_pct),
    ) = cols;
    let layout = Layout {
        kind,
        estabs_column: if estabs_spelling == 0 {
            EstabsColumn::Plain
        } else {
            EstabsColumn::Count
        },
        columns: names.len(),
    };
    let columns = Columns {
        area,
        own,
        industry,
        agglvl,
        size,
        year,
        qtr,
        disclosure,
        area_title: area_title.filter(|_| titled),
        industry_title: industry_title.filter(|_| titled),
        estabs,
        employment,
        months,
        wages,
        taxable,
        contributions,
        weekly_wage,
        annual_pay,
        lq_disclosure,
        lq_estabs,
        lq_employment,
        lq_months,
        lq_wages,
        oty_disclosure,
        oty_estabs_chg,
        oty_estabs_pct,
        oty_employment_chg,
        oty_employment_pct,
        oty_months_chg,
        oty_months_pct,
        oty_wages_chg,
        oty_wages_pct,
        names: names.to_vec(),
    };
    Ok((layout, columns))
}

/// Recognises the layout of a header row.
pub(crate) fn detect(header: &ByteRecord) -> Result<(Layout, Columns), LayoutMismatch> {
    let names: Vec<String> = header.iter().map(normalise).collect();
    let mut index = HashMap::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        // First occurrence wins if a name repeats.
        index.entry(n.clone()).or_insert(i);
    }
    let annual_first =
        index.contains_key("annual_avg_emplvl") || !index.contains_key("month3_emplvl");
    let first = build(&index, annual_first, &names);
    match first {
        Ok(ok) => Ok(ok),
        Err(e1) => match build(&index, !annual_first, &names) {
            Ok(ok) => Ok(ok),
            Err(e2) => Err(if e2.missing.len() < e1.missing.len() {
                e2
            } else {
                e1
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> ByteRecord {
        ByteRecord::from(s.split(',').collect::<Vec<_>>())
    }

    const ANNUAL: &str = "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,annual_avg_estabs,annual_avg_emplvl,total_annual_wages,taxable_annual_wages,annual_contributions,annual_avg_wkly_wage,avg_annual_pay,lq_disclosure_code,lq_annual_avg_estabs,lq_annual_avg_emplvl,lq_total_annual_wages,lq_taxable_annual_wages,lq_annual_contributions,lq_annual_avg_wkly_wage,lq_avg_annual_pay,oty_disclosure_code,oty_annual_avg_estabs_chg,oty_annual_avg_estabs_pct_chg,oty_annual_avg_emplvl_chg,oty_annual_avg_emplvl_pct_chg,oty_total_annual_wages_chg,oty_total_annual_wages_pct_chg,oty_taxable_annual_wages_chg,oty_taxable_annual_wages_pct_chg,oty_annual_contributions_chg,oty_annual_contributions_pct_chg,oty_annual_avg_wkly_wage_chg,oty_annual_avg_wkly_wage_pct_chg,oty_avg_annual_pay_chg,oty_avg_annual_pay_pct_chg";

    #[test]
    fn annual_untitled_by_name_in_any_order() {
        let (layout, cols) = detect(&header(ANNUAL)).unwrap();
        assert_eq!(layout.kind, LayoutKind::AnnualUntitled);
        assert_eq!(layout.estabs_column, EstabsColumn::Plain);
        assert_eq!(layout.columns, 38);
        assert_eq!(cols.employment, 9);
        // Reversed order still maps by name.
        let rev: Vec<&str> = ANNUAL.split(',').rev().collect();
        let (_, cols) = detect(&ByteRecord::from(rev)).unwrap();
        assert_eq!(cols.employment, 38 - 1 - 9);
        assert_eq!(cols.name(cols.employment), "annual_avg_emplvl");
    }

    #[test]
    fn old_count_spelling_and_bom_and_case() {
        let h = format!(
            "\u{feff}{}",
            ANNUAL.replace("estabs", "estabs_count").to_uppercase()
        );
        let (layout, _) = detect(&header(&h)).unwrap();
        assert_eq!(layout.estabs_column, EstabsColumn::Count);
        assert_eq!(layout.estabs_column_name(), "annual_avg_estabs_count");
    }

    #[test]
    fn missing_columns_are_listed() {
        let h = ANNUAL
            .replace(",annual_avg_emplvl,", ",")
            .replace(",lq_annual_avg_estabs,", ",");
        let e = detect(&header(&h)).unwrap_err();
        assert_eq!(e.closest, "annual");
        assert_eq!(
            e.missing,
            [
                "annual_avg_emplvl",
                "lq_annual_avg_estabs or lq_annual_avg_estabs_count"
            ]
        );
    }

    #[test]
    fn something_else_entirely() {
        let e = detect(&header("area_fips,area_title")).unwrap_err();
        assert!(e.missing.contains(&"own_code".to_string()));
        assert!(!e.missing.contains(&"area_fips".to_string()));
    }
}
