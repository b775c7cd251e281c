//! Staffing patterns: national industry occupation shares applied to regional industry
//! employment (`shared/METHODS.md` §4.3).
//!
//! ```text
//! s[o,i] = TOT_EMP[o,i] / TOT_EMP[00-0000,i]        (detailed occupations, de-duplicated)
//! Ê[o,r] = Σ_i s[o,i] × E[r,i]
//! ```
//!
//! Shares come from employment, never from the rounded `PCT_TOTAL` (which is only a fallback
//! when an occupation's employment is not published). Occupations BLS does not publish leave a
//! gap: by default it is kept as an explicit **unallocated** remainder, so the occupations plus
//! the remainder add up to the industry's employment; renormalising the published shares to 1
//! is an option.
//!
//! Industry matching ([`match_industry`]) maps a QCEW NAICS code to the most detailed OEWS
//! industry that contains it (6 → 5 → 4 digits, then OEWS's own "(…only)" aggregates such as
//! `3250A1`, then 3 digits, then the sector) and records the level used.
//!
//! Pure; no IO.

use std::collections::{BTreeMap, HashSet};

/// One occupation of a national industry staffing pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternRow {
    /// SOC code (`51-2090`).
    pub occ_code: String,
    /// Published `TOT_EMP`, when published.
    pub employment: Option<f64>,
    /// Published `PCT_TOTAL` (percent), when the file has it.
    pub pct_total: Option<f64>,
}

/// A national industry's staffing pattern: its total employment and its detailed occupations.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffingPattern {
    /// `TOT_EMP` of `00-0000` in the industry.
    pub total: f64,
    /// Detailed occupations (duplicates by code are ignored after the first).
    pub rows: Vec<PatternRow>,
}

/// Where a share came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareSource {
    /// `TOT_EMP / TOT_EMP(00-0000)`.
    Employment,
    /// `PCT_TOTAL / 100` (employment not published).
    PercentOfTotal,
}

/// One occupation's share of its industry.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub occ_code: String,
    pub share: f64,
    pub source: ShareSource,
}

/// The shares of one industry.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    /// Published occupations, largest share first (ties by code).
    pub shares: Vec<Share>,
    /// Occupations listed without employment or percent: they are part of the unallocated gap.
    pub unpublished: Vec<String>,
    /// `1 − Σ shares` (0 when renormalised; never negative).
    pub unallocated: f64,
    /// True when the published shares were scaled to sum to 1.
    pub renormalised: bool,
}

/// Why a staffing pattern cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StaffingError {
    /// The industry's total employment is zero, negative or not a number.
    #[error("the industry's total employment ({0}) is not a positive number")]
    BadTotal(f64),
    /// An occupation's employment is negative or not a number.
    #[error("occupation {0} has an invalid employment or percent")]
    BadValue(String),
    /// No occupation has a share.
    #[error("the staffing pattern lists no published occupation")]
    Empty,
}

/// Occupation shares of one industry (METHODS §4.3 rules 1–3).
pub fn shares(pattern: &StaffingPattern, renormalise: bool) -> Result<Shares, StaffingError> {
    if !(pattern.total.is_finite() && pattern.total > 0.0) {
        return Err(StaffingError::BadTotal(pattern.total));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut unpublished = Vec::new();
    for r in &pattern.rows {
        if !seen.insert(r.occ_code.as_str()) {
            continue;
        }
        let bad = |x: f64| !x.is_finite() || x < 0.0;
        let share = match (r.employment, r.pct_total) {
            (Some(e), _) => {
                if bad(e) {
                    return Err(StaffingError::BadValue(r.occ_code.clone()));
                }
                Some((e / pattern.total, ShareSource::Employment))
            }
            (None, Some(p)) => {
                if bad(p) {
                    return Err(StaffingError::BadValue(r.occ_code.clone()));
                }
                Some((p / 100.0, ShareSource::PercentOfTotal))
            }
            (None, None) => None,
        };
        match share {
            Some((share, source)) => out.push(Share {
                occ_code: r.occ_code.clone(),
                share,
                source,
            }),
            None => unpublished.push(r.occ_code.clone()),
        }
    }
    let sum: f64 = out.iter().map(|s| s.share).sum();
    if out.is_empty() || sum <= 0.0 {
        return Err(StaffingError::Empty);
    }
    let unallocated = if renormalise {
        for s in &mut out {
            s.share /= sum;
        }
        0.0
    } else {
        (1.0 - sum).max(0.0)
    };
    out.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then_with(|| a.occ_code.cmp(&b.occ_code))
    });
    Ok(Shares {
        shares: out,
        unpublished,
        unallocated,
        renormalised: renormalise,
    })
}

/// One industry's contribution: its shares and the region's employment in it.
#[derive(Debug, Clone, Copy)]
pub struct IndustryInput<'a> {
    /// A label for the industry (its NAICS code), kept in the per-occupation breakdown.
    pub industry: &'a str,
    pub shares: &'a Shares,
    /// The region's employment in the industry (QCEW).
    pub employment: f64,
}

/// An occupation's estimated regional employment.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupationEstimate {
    pub occ_code: String,
    /// `Ê[o,r]`.
    pub employment: f64,
    /// Contribution of each industry, in input order.
    pub by_industry: Vec<(String, f64)>,
}

/// The staffing pattern applied to a region.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Occupations, largest estimated employment first (ties by code).
    pub occupations: Vec<OccupationEstimate>,
    /// Employment not allocated to any published occupation.
    pub unallocated: f64,
    /// Σ industry employment (= Σ occupations + unallocated).
    pub total: f64,
}

/// `Ê[o,r] = Σ_i s[o,i] × E[r,i]`, with the unallocated remainder kept.
pub fn apply(inputs: &[IndustryInput<'_>]) -> Applied {
    type Contributions = Vec<(String, f64)>;
    let mut by_occ: BTreeMap<&str, (f64, Contributions)> = BTreeMap::new();
    let mut unallocated = 0.0;
    let mut total = 0.0;
    for inp in inputs {
        total += inp.employment;
        unallocated += inp.shares.unallocated * inp.employment;
        for s in &inp.shares.shares {
            let e = s.share * inp.employment;
            let entry = by_occ.entry(s.occ_code.as_str()).or_default();
            entry.0 += e;
            entry.1.push((inp.industry.to_string(), e));
        }
    }
    let mut occupations: Vec<OccupationEstimate> = by_occ
        .into_iter()
        .map(|(occ, (employment, by_industry))| OccupationEstimate {
            occ_code: occ.to_string(),
            employment,
            by_industry,
        })
        .collect();
    occupations.sort_by(|a, b| {
        b.employment
            .total_cmp(&a.employment)
            .then_with(|| a.occ_code.cmp(&b.occ_code))
    });
    Applied {
        occupations,
        unallocated,
        total,
    }
}

/// One industry of the OEWS industry list (time-series codes: `336100` is NAICS 3361,
/// `336000` NAICS 336, sectors are ranges such as `31--34`, aggregates such as `3250A1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OewsIndustry {
    pub code: String,
    pub title: String,
}

/// How a QCEW industry was matched to an OEWS staffing pattern.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndustryMatch {
    /// The OEWS industry code used.
    pub oews_code: String,
    pub oews_title: String,
    /// What the match is, in words: "6-digit", "5-digit", "4-digit", "OEWS aggregate",
    /// "3-digit", "sector".
    pub level: &'static str,
    /// True when the OEWS industry is exactly the QCEW industry.
    pub exact: bool,
}

/// The NAICS codes an OEWS aggregate lists in its title: "(3251, 3252, 3253, and 3259 only)".
fn aggregate_members(title: &str) -> Vec<String> {
    let Some(open) = title.rfind('(') else {
        return Vec::new();
    };
    let inner = &title[open + 1..];
    if !inner.contains("only") {
        return Vec::new();
    }
    inner
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() >= 3)
        .map(str::to_string)
        .collect()
}

/// The OEWS code of a NAICS code of `n` digits: padded with zeros to 6 characters.
fn padded(naics: &str) -> String {
    format!("{naics:0<6}")
}

/// Map a QCEW NAICS code (2- to 6-digit, or a sector like `31-33`) to the most detailed OEWS
/// industry that contains it, among `available` (METHODS §4.3 rule 4). `None` when OEWS
/// publishes no staffing pattern for it (crop and animal production, private households).
pub fn match_industry(naics: &str, available: &[OewsIndustry]) -> Option<IndustryMatch> {
    if no_staffing_pattern(naics) {
        return None;
    }
    let digits: String = naics.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 2 {
        return None;
    }
    let find = |code: &str| available.iter().find(|i| i.code == code);
    let hit = |i: &OewsIndustry, level: &'static str, exact: bool| IndustryMatch {
        oews_code: i.code.clone(),
        oews_title: i.title.clone(),
        level,
        exact,
    };
    // 6, 5 and 4 digits: the code itself, padded.
    for (len, level) in [(6, "6-digit"), (5, "5-digit"), (4, "4-digit")] {
        if digits.len() >= len
            && let Some(i) = find(&padded(&digits[..len]))
        {
            return Some(hit(i, level, digits.len() == len));
        }
    }
    // OEWS aggregates of 4-digit industries ("3250A1": 3251, 3252, 3253 and 3259 only).
    if digits.len() >= 4 {
        let four = &digits[..4];
        if let Some(i) = available
            .iter()
            .find(|i| aggregate_members(&i.title).iter().any(|m| m == four))
        {
            return Some(hit(i, "OEWS aggregate", false));
        }
    }
    if digits.len() >= 3
        && let Some(i) = find(&padded(&digits[..3]))
    {
        return Some(hit(i, "3-digit", digits.len() == 3));
    }
    // Sectors: "31--34" covers 31, 32, 33 (upper bound exclusive).
    let two: u32 = digits[..2].parse().ok()?;
    available.iter().find_map(|i| {
        let (lo, hi) = i.code.split_once("--")?;
        let (lo, hi): (u32, u32) = (lo.parse().ok()?, hi.parse().ok()?);
        (lo <= two && two < hi).then(|| hit(i, "sector", digits.len() == 2 || naics.contains('-')))
    })
}

/// True for industries OEWS does not survey at all (METHODS §4.2 scope): crop production (111),
/// animal production (112), and private households (814) — a sector-level pattern must not be
/// used for them.
pub fn no_staffing_pattern(naics: &str) -> bool {
    ["111", "112", "814"].iter().any(|p| naics.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(total: f64, rows: &[(&str, Option<f64>)]) -> StaffingPattern {
        StaffingPattern {
            total,
            rows: rows
                .iter()
                .map(|(c, e)| PatternRow {
                    occ_code: c.to_string(),
                    employment: *e,
                    pct_total: None,
                })
                .collect(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// METHODS §10 STAFF-1.
    #[test]
    fn staff_1() {
        let s3361 = shares(
            &pattern(
                1_000.0,
                &[("51-2090", Some(400.0)), ("11-1021", Some(20.0))],
            ),
            false,
        )
        .unwrap();
        let s6221 = shares(
            &pattern(
                1_000.0,
                &[("29-1141", Some(300.0)), ("11-1021", Some(20.0))],
            ),
            false,
        )
        .unwrap();
        let a = apply(&[
            IndustryInput {
                industry: "3361",
                shares: &s3361,
                employment: 1_000.0,
            },
            IndustryInput {
                industry: "6221",
                shares: &s6221,
                employment: 2_000.0,
            },
        ]);
        let get = |c: &str| {
            a.occupations
                .iter()
                .find(|o| o.occ_code == c)
                .unwrap()
                .employment
        };
        assert!(close(get("51-2090"), 400.0));
        assert!(close(get("29-1141"), 600.0));
        assert!(close(get("11-1021"), 60.0));
        // Σ Ê + unallocated = Σ E.
        let sum: f64 = a.occupations.iter().map(|o| o.employment).sum();
        assert!(close(sum + a.unallocated, 3_000.0));
        assert!(close(a.total, 3_000.0));
        assert_eq!(a.occupations[0].occ_code, "29-1141");
        let mgr = a
            .occupations
            .iter()
            .find(|o| o.occ_code == "11-1021")
            .unwrap();
        assert_eq!(
            mgr.by_industry,
            vec![("3361".to_string(), 20.0), ("6221".to_string(), 40.0)]
        );
    }

    /// METHODS §10 STAFF-2.
    #[test]
    fn staff_2() {
        let p = pattern(
            10_000.0,
            &[
                ("A", Some(5_000.0)),
                ("B", Some(4_500.0)),
                ("C", None), // `**`
            ],
        );
        let s = shares(&p, false).unwrap();
        assert!(close(s.unallocated, 0.05));
        assert_eq!(s.unpublished, vec!["C".to_string()]);
        let r = shares(&p, true).unwrap();
        assert_eq!(r.unallocated, 0.0);
        assert!(close(r.shares[0].share, 0.5 * 10_000.0 / 9_500.0));
        assert!(close(r.shares.iter().map(|s| s.share).sum::<f64>(), 1.0));
    }

    #[test]
    fn duplicates_and_percent_fallback() {
        let mut p = pattern(1_000.0, &[("A", Some(100.0)), ("A", Some(100.0))]);
        p.rows.push(PatternRow {
            occ_code: "B".into(),
            employment: None,
            pct_total: Some(25.0),
        });
        let s = shares(&p, false).unwrap();
        assert_eq!(s.shares.len(), 2);
        assert_eq!(s.shares[0].occ_code, "B");
        assert_eq!(s.shares[0].source, ShareSource::PercentOfTotal);
        assert!(close(s.unallocated, 0.65));
        assert_eq!(
            shares(&pattern(0.0, &[("A", Some(1.0))]), false),
            Err(StaffingError::BadTotal(0.0))
        );
        assert_eq!(
            shares(&pattern(10.0, &[("A", None)]), false),
            Err(StaffingError::Empty)
        );
        assert_eq!(
            shares(&pattern(10.0, &[("A", Some(-1.0))]), false),
            Err(StaffingError::BadValue("A".into()))
        );
    }

    fn industries() -> Vec<OewsIndustry> {
        [
            ("31--34", "Sectors 31, 32, and 33 - Manufacturing"),
            ("325000", "Chemical Manufacturing"),
            (
                "3250A1",
                "Chemical Manufacturing (3251, 3252, 3253, and 3259 only)",
            ),
            ("325400", "Pharmaceutical and Medicine Manufacturing"),
            ("336000", "Transportation Equipment Manufacturing"),
            ("336100", "Motor Vehicle Manufacturing"),
            ("238000", "Specialty Trade Contractors"),
            (
                "238110",
                "Poured Concrete Foundation and Structure Contractors",
            ),
            (
                "11--12",
                "Sector 11 - Agriculture, Forestry, Fishing and Hunting",
            ),
            ("113000", "Forestry and Logging"),
            ("44--46", "Sectors 44 and 45 - Retail Trade"),
        ]
        .iter()
        .map(|(c, t)| OewsIndustry {
            code: c.to_string(),
            title: t.to_string(),
        })
        .collect()
    }

    #[test]
    fn industry_matching() {
        let av = industries();
        let m = |n: &str| match_industry(n, &av).map(|m| (m.oews_code, m.level, m.exact));
        assert_eq!(m("3361"), Some(("336100".into(), "4-digit", true)));
        assert_eq!(m("336111"), Some(("336100".into(), "4-digit", false)));
        assert_eq!(m("336"), Some(("336000".into(), "3-digit", true)));
        assert_eq!(m("3362"), Some(("336000".into(), "3-digit", false)));
        assert_eq!(m("3252"), Some(("3250A1".into(), "OEWS aggregate", false)));
        assert_eq!(m("325412"), Some(("325400".into(), "4-digit", false)));
        // QCEW's 238 "…1/…2" codes map to their 5-digit parent.
        assert_eq!(m("238111"), Some(("238110".into(), "5-digit", false)));
        assert_eq!(m("31-33"), Some(("31--34".into(), "sector", true)));
        assert_eq!(m("332"), Some(("31--34".into(), "sector", false)));
        assert_eq!(m("452"), Some(("44--46".into(), "sector", false)));
        // Crop and animal production: OEWS surveys only 1133, 1151 and 1152 of sector 11, so
        // the sector's pattern must not stand in for them.
        assert_eq!(m("111"), None);
        assert_eq!(m("1121"), None);
        assert_eq!(m("1133"), Some(("113000".into(), "3-digit", false)));
        assert!(no_staffing_pattern("111"));
        assert!(no_staffing_pattern("1121"));
        assert!(!no_staffing_pattern("1133"));
        assert_eq!(m("9"), None);
    }
}
