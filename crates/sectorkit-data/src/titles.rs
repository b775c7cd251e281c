//! BLS QCEW title lookups that are not geography: industry titles (for untitled files, whose
//! rows carry codes only) and aggregation-level titles.
//!
//! The tables are embedded (`data/geo/industry_titles.csv`, `data/geo/agglevel_titles.csv`; see
//! `data/geo/SOURCE.md`) and parsed once, on first use. Lookups only: nothing here validates or
//! filters data.
//!
//! Vintage caveat: the industry titles are the current BLS table, **NAICS 2022** based. QCEW data
//! for 2017–2021 use NAICS 2017; a handful of their codes (retail 44-45 and information 51 were
//! restructured in 2022) have no title here, and `industry_title` returns `None` for them.

use std::collections::HashMap;
use std::sync::OnceLock;

const INDUSTRY_TITLES: &str = include_str!("../data/geo/industry_titles.csv");
const AGGLEVEL_TITLES: &str = include_str!("../data/geo/agglevel_titles.csv");

fn read_pairs(text: &str) -> Vec<(String, String)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.expect("embedded title table is valid CSV");
            (r[0].trim().to_string(), r[1].trim().to_string())
        })
        .collect()
}

/// Removes the code BLS puts in front of the title: `NAICS 3361 Motor vehicle manufacturing` →
/// `Motor vehicle manufacturing`, `10 Total, all industries` → `Total, all industries`,
/// `NAICS17 212111 Bituminous …` → `Bituminous …`.
pub fn strip_industry_code<'a>(code: &str, title: &'a str) -> &'a str {
    let t = title.trim_start();
    let t = match t.split_once(' ') {
        Some((first, rest))
            if first.starts_with("NAICS") && first[5..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest.trim_start()
        }
        _ => t,
    };
    match t.strip_prefix(code) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => t,
    }
}

fn industries() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        read_pairs(INDUSTRY_TITLES)
            .into_iter()
            .map(|(code, title)| {
                let t = strip_industry_code(&code, &title).to_string();
                (code, t)
            })
            .collect()
    })
}

fn agglevels() -> &'static HashMap<u8, String> {
    static MAP: OnceLock<HashMap<u8, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        read_pairs(AGGLEVEL_TITLES)
            .into_iter()
            .map(|(code, title)| {
                (
                    code.parse().expect("embedded agglvl code is a number"),
                    title,
                )
            })
            .collect()
    })
}

/// The BLS title of an industry code, without the leading code: `3361` → `Motor vehicle
/// manufacturing`, `31-33` → `Manufacturing`, `10` → `Total, all industries`. `None` for codes
/// absent from the (NAICS 2022) table.
pub fn industry_title(code: &str) -> Option<&'static str> {
    industries().get(code.trim()).map(String::as_str)
}

/// The BLS title of an aggregation level: `74` → `County, NAICS Sector -- by ownership sector`.
/// `None` for codes absent from the table (METHODS §1.6 recommends callers treat that as an
/// error when filtering).
pub fn agglvl_title(code: u8) -> Option<&'static str> {
    agglevels().get(&code).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_titles_lose_their_code() {
        assert_eq!(industry_title("3361"), Some("Motor vehicle manufacturing"));
        assert_eq!(industry_title("10"), Some("Total, all industries"));
        assert_eq!(industry_title("1013"), Some("Manufacturing"));
        assert_eq!(industry_title("31-33"), Some("Manufacturing"));
        assert_eq!(
            industry_title("212111"),
            Some("Bituminous coal and lignite surface mining")
        );
        assert_eq!(industry_title("999999"), Some("Unclassified"));
        assert_eq!(industry_title("12345"), None);
        assert_eq!(industries().len(), 2678);
        // No title keeps a code in front.
        for (code, title) in industries() {
            assert!(!title.starts_with(code.as_str()), "{code}: {title}");
            assert!(!title.starts_with("NAICS"), "{code}: {title}");
        }
    }

    #[test]
    fn agglvl_titles() {
        assert_eq!(
            agglvl_title(74),
            Some("County, NAICS Sector -- by ownership sector")
        );
        assert_eq!(agglvl_title(10), Some("National, Total Covered"));
        assert_eq!(agglvl_title(99), None);
        assert_eq!(agglevels().len(), 56);
    }

    #[test]
    fn strip_is_conservative() {
        assert_eq!(
            strip_industry_code("42", "NAICS 42 Wholesale trade"),
            "Wholesale trade"
        );
        assert_eq!(
            strip_industry_code("42", "Wholesale trade"),
            "Wholesale trade"
        );
        assert_eq!(strip_industry_code("4", "42 things"), "42 things");
    }
}
