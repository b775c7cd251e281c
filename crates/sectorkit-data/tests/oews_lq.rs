//! Conformance of the occupational location quotient with BLS's published `loc_quotient`, on
//! the real May 2025 OEWS files of the shared data folder (`../shared/data/bls_oews_2025`
//! relative to the repository root; these tests fail, not skip, when it is missing).
//!
//! For every state and every MSA / nonmetropolitan area, every detailed occupation with a
//! published LQ is recomputed against the national cross-industry file by
//! (a) employment shares `(E_area,o / E_area,00-0000) / (E_nat,o / E_nat,00-0000)` and
//! (b) `jobs_1000_area / jobs_1000_nat` (the national `jobs_1000` is blank in the file, so it is
//! `1000 × E_nat,o / E_nat,00-0000`), and (c) sectorkit's method,
//! `sectorkit_core::occupations::lq_from_published`: the intersection of the share intervals
//! the rounded `TOT_EMP` and `JOBS_1000` allow, rounded to 2 decimals like BLS's LQ. Run with
//! `--nocapture` to see the match shares.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sectorkit_core::occupations::{
    PublishedLqInputs, jobs_per_1000, lq_from_employment, lq_from_jobs_per_1000, lq_from_published,
};
use sectorkit_data::oews::{self, OGroup, OewsRow, OewsValue};

fn shared(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(
        p.exists(),
        "shared data file {} is missing: the tests expect the project's shared/ folder beside the \
         repository root",
        p.display()
    );
    p
}

const CROSS_INDUSTRY: &str = "000000";

/// National cross-industry (all ownerships) employment by occupation code.
fn national() -> HashMap<String, f64> {
    let mut nat = HashMap::new();
    oews::read_path(
        &shared("bls_oews_2025/oews_2025_national_cross_industry.csv.gz"),
        |r| {
            if r.naics == CROSS_INDUSTRY
                && let Some(e) = r.tot_emp.value()
            {
                nat.insert(r.occ_code.clone(), e);
            }
        },
    )
    .unwrap();
    assert!(nat.contains_key("00-0000"));
    nat
}

#[derive(Debug, Default)]
struct Score {
    compared: u64,
    within_001: u64,
    within_01: u64,
    max_diff: f64,
    worst: String,
    not_computable: u64,
    /// Differences larger than what the rounding of the published inputs can explain.
    outside_rounding_bound: u64,
    /// The cells more than 0.1 off.
    missed_01: Vec<String>,
}

impl Score {
    /// `computed` and the bound on its error from the rounding of the published inputs (the
    /// published LQ's own rounding, 0.005, included).
    fn add(&mut self, computed: Option<(f64, f64)>, published: f64, what: impl Fn() -> String) {
        let Some((c, bound)) = computed else {
            self.not_computable += 1;
            return;
        };
        let d = (c - published).abs();
        self.compared += 1;
        // Published LQs have 2 decimals; a tiny epsilon absorbs the binary representation.
        if d <= 0.01 + 1e-9 {
            self.within_001 += 1;
        }
        if d <= 0.1 + 1e-9 {
            self.within_01 += 1;
        } else {
            self.missed_01.push(what());
        }
        if d > bound + 1e-9 {
            self.outside_rounding_bound += 1;
        }
        if d > self.max_diff {
            self.max_diff = d;
            self.worst = format!("{} computed {c:.4} published {published}", what());
        }
    }
    fn share_001(&self) -> f64 {
        self.within_001 as f64 / self.compared as f64
    }
    fn share_01(&self) -> f64 {
        self.within_01 as f64 / self.compared as f64
    }
}

struct Outcome {
    published: u64,
    areas: usize,
    employment: Score,
    jobs_1000: Score,
    intervals: Score,
    /// Cells where the rounded inputs allow LQs more than 0.1 either side of any one value.
    undetermined_01: Vec<String>,
    /// Cells whose published LQ lies outside what the rounded inputs allow (± its own 0.005).
    infeasible: Vec<String>,
    /// Cells whose `TOT_EMP` and `JOBS_1000` intervals do not overlap.
    inconsistent_inputs: u64,
}

fn conformance(file: &str) -> Outcome {
    let nat = national();
    let nat_total = nat["00-0000"];
    let mut rows: Vec<OewsRow> = Vec::new();
    oews::read_path(&shared(file), |r| {
        assert_eq!(
            r.naics, CROSS_INDUSTRY,
            "area files are cross-industry only"
        );
        rows.push(r.clone());
    })
    .unwrap();
    let totals: HashMap<&str, f64> = rows
        .iter()
        .filter(|r| r.o_group == OGroup::Total)
        .filter_map(|r| r.tot_emp.value().map(|e| (r.area.as_str(), e)))
        .collect();
    let mut out = Outcome {
        published: 0,
        areas: totals.len(),
        employment: Score::default(),
        jobs_1000: Score::default(),
        intervals: Score::default(),
        undetermined_01: Vec::new(),
        infeasible: Vec::new(),
        inconsistent_inputs: 0,
    };
    for r in rows.iter().filter(|r| r.o_group == OGroup::Detailed) {
        let Some(published) = r.loc_quotient.value() else {
            continue;
        };
        out.published += 1;
        let nat_occ = nat.get(&r.occ_code).copied();
        let what = || format!("{} {} ({})", r.area, r.occ_code, r.area_title);
        let a = match (r.tot_emp.value(), totals.get(r.area.as_str()), nat_occ) {
            (Some(e), Some(&t), Some(n)) => lq_from_employment(e, t, n, nat_total).ok().map(|c| {
                // TOT_EMP is rounded to the nearest 10 (±5) in the area and the nation.
                let r = 5.0 / t + 5.0 / n + 5.0 / nat_total;
                let e_term = if e > 0.0 {
                    c * 5.0 / e
                } else {
                    5.0 / t / (n / nat_total)
                };
                (c, 0.005 + e_term + c * r)
            }),
            _ => None,
        };
        out.employment.add(a, published, what);
        let b = match (r.jobs_1000.value(), nat_occ) {
            (Some(j), Some(n)) => jobs_per_1000(n, nat_total).ok().and_then(|nj| {
                lq_from_jobs_per_1000(j, nj).ok().map(|c| {
                    // JOBS_1000 has 3 decimals (±0.0005); national TOT_EMP is rounded to 10.
                    (c, 0.005 + 0.0005 / nj + c * (5.0 / n + 5.0 / nat_total))
                })
            }),
            _ => None,
        };
        out.jobs_1000.add(b, published, what);
        let c = match (totals.get(r.area.as_str()), nat_occ) {
            (Some(&t), Some(n)) => lq_from_published(PublishedLqInputs {
                area_occ: r.tot_emp.value(),
                area_total: t,
                area_jobs_1000: r.jobs_1000.value(),
                nat_occ: n,
                nat_total,
            })
            .ok(),
            _ => None,
        };
        if let Some(c) = c {
            if !c.consistent {
                out.inconsistent_inputs += 1;
            }
            if published < c.feasible.0 - 0.005 - 1e-9 || published > c.feasible.1 + 0.005 + 1e-9 {
                out.infeasible.push(format!(
                    "{} (TOT_EMP {:?}, JOBS_1000 {:?}, feasible {:.4}..{:.4}, published \
                     {published})",
                    what(),
                    r.tot_emp,
                    r.jobs_1000,
                    c.feasible.0,
                    c.feasible.1
                ));
            }
            if !c.determined_within(0.1) {
                out.undetermined_01.push(format!(
                    "{} (feasible {:.3}..{:.3}, published {published})",
                    what(),
                    c.feasible.0,
                    c.feasible.1
                ));
            }
        }
        // The bound for (c): half the feasible interval plus the LQ's own rounding and the
        // estimate's rounding to 2 decimals.
        out.intervals.add(
            c.map(|c| (c.value, (c.feasible.1 - c.feasible.0) / 2.0 + 0.01)),
            published,
            what,
        );
    }
    println!(
        "{file}: inputs that disagree beyond rounding {}, published LQs outside the feasible \
         interval {:?}, LQs the inputs cannot pin to ±0.1: {} {:?}",
        out.inconsistent_inputs,
        out.infeasible,
        out.undetermined_01.len(),
        out.undetermined_01
    );
    for (name, s) in [
        ("employment", &out.employment),
        ("jobs_1000", &out.jobs_1000),
        ("intervals", &out.intervals),
    ] {
        println!(
            "{file}: {} areas, {} published detailed LQs; method {name}: compared {}, \
             not computable {}, within 0.01 {} ({:.4}%), within 0.1 {} ({:.4}%), max diff {:.4} \
             [{}], outside the input-rounding bound {}",
            out.areas,
            out.published,
            s.compared,
            s.not_computable,
            s.within_001,
            100.0 * s.share_001(),
            s.within_01,
            100.0 * s.share_01(),
            s.max_diff,
            s.worst,
            s.outside_rounding_bound
        );
    }
    out
}

/// The brief: the method that comes closest matches ≥ 98.5% of published LQs within 0.01 and
/// all within 0.1. Measured on the May 2025 files:
///
/// | file | employment shares | `JOBS_1000` | intervals (sectorkit) | within 0.1 |
/// |---|---|---|---|---|
/// | states (33,205 LQs) | 78.52% | 97.34% | **99.01%** | 100% |
/// | MSA + nonmetro (178,567 LQs) | 47.90% | 99.57% | **99.83%** | 99.9966% |
///
/// The six metro LQs more than 0.1 off are all LQs above 100 (roof bolters 47-5043 in
/// Beckley, WV: 313.15 against 313.48) of occupations with a few thousand jobs nationally:
/// BLS divides unrounded estimates, while the published national `TOT_EMP` is rounded to 10,
/// and ±5 on 2,160 jobs moves an LQ of 313 by ±0.7. No estimator can do better from the
/// published figures, so the test checks "within 0.1" for every LQ the published inputs
/// determine to ±0.1 (`PublishedLq::determined_within`), and checks that the exceptions are
/// exactly the undetermined ones. One published LQ (Jackson, MI 41-2022, 0.87) lies a hair
/// outside the interval its rounded inputs allow (0.8750–0.8755): listed, not hidden.
fn assert_conforms(o: &Outcome, expected_infeasible: &[&str]) {
    let best = &o.intervals;
    assert!(best.share_001() >= o.jobs_1000.share_001());
    assert!(best.share_001() >= o.employment.share_001());
    for s in [&o.employment, &o.jobs_1000, &o.intervals] {
        assert_eq!(
            s.compared, o.published,
            "every published LQ is recomputable"
        );
        assert_eq!(s.outside_rounding_bound, 0, "{s:?}");
    }
    assert!(
        best.share_001() >= 0.985,
        "brief: at least 98.5% within 0.01; {best:?}"
    );
    for m in &best.missed_01 {
        assert!(
            o.undetermined_01.iter().any(|u| u.starts_with(m.as_str())),
            "{m} is more than 0.1 off although its inputs determine it to ±0.1"
        );
    }
    assert!(
        (o.undetermined_01.len() as f64) < 0.0005 * o.published as f64,
        "{:?}",
        o.undetermined_01
    );
    let infeasible: Vec<&str> = o
        .infeasible
        .iter()
        .map(|s| s.split(" (").next().unwrap())
        .collect();
    assert_eq!(infeasible, expected_infeasible, "{:?}", o.infeasible);
}

#[test]
fn oews_lq_states() {
    let o = conformance("bls_oews_2025/oews_2025_state.csv.gz");
    assert_eq!(o.areas, 51);
    assert_eq!(o.published, 33_205);
    assert_conforms(&o, &[]);
    assert_eq!(o.intervals.within_01, o.published, "states: all within 0.1");
}

#[test]
fn oews_lq_metros_and_nonmetro() {
    let o = conformance("bls_oews_2025/oews_2025_msa_nonmetro.csv.gz");
    assert_eq!(o.areas, 515);
    assert_eq!(o.published, 178_567);
    assert_conforms(&o, &["0027100 41-2022"]);
}

/// Special values are never read as numbers: the state file is parsed a second time with the
/// bare `csv` crate and every cell is compared with what the reader typed.
///
/// The 2025 files are the BLS time-series flattening: a not-released cell is written `-` and
/// its reason is the footnote in `<measure>_fn` (8 not released → `Suppressed`, 5 top-coded →
/// `TopCoded`, 4 hourly-only/annual-only → `NotAvailable`). The XLSX markers `*`, `**`, `#`, `~`
/// do not occur in these files (asserted below; they are covered by `tests/oews_reader.rs`),
/// and `LessThanHalf` cannot occur (no `pct_rpt` column).
#[test]
fn oews_state_special_values() {
    let path = shared("bls_oews_2025/oews_2025_state.csv.gz");
    let gz = flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap());
    let mut raw = csv::Reader::from_reader(gz);
    let header: Vec<String> = raw.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    let cols: Vec<(Option<usize>, Option<usize>)> = sectorkit_data::oews::MEASURES
        .iter()
        .map(|m| (col(m), col(&format!("{m}_fn"))))
        .collect();
    let mut raw_rows = raw.records();
    let mut kinds: HashMap<&'static str, u64> = HashMap::new();
    let mut raw_markers = 0u64;
    let mut values = 0u64;
    let mut annual_only = 0u64;
    let mut hourly_only = 0u64;
    let summary = oews::read_path(&path, |r| {
        let rec = raw_rows.next().expect("same row count").unwrap();
        annual_only += u64::from(r.annual_only);
        hourly_only += u64::from(r.hourly_only);
        for (i, v) in r.measures().into_iter().enumerate() {
            let (ci, fi) = cols[i];
            let cell = ci.map_or("", |c| &rec[c]);
            let foot = fi.map_or("", |f| &rec[f]);
            if matches!(cell, "*" | "**" | "#" | "~") {
                raw_markers += 1;
            }
            let kind = match v {
                OewsValue::Value(x) => {
                    assert!(
                        !matches!(cell, "-" | "*" | "**" | "#" | "~") && foot != "5" && foot != "8",
                        "{} {} {}: {cell:?} (footnote {foot:?}) read as the number {x}",
                        r.area,
                        r.occ_code,
                        sectorkit_data::oews::MEASURES[i]
                    );
                    assert_eq!(cell.replace(',', "").parse::<f64>().unwrap(), x);
                    values += 1;
                    continue;
                }
                OewsValue::Blank => {
                    assert_eq!(cell, "");
                    continue;
                }
                OewsValue::NotAvailable => "not_available",
                OewsValue::Suppressed => "suppressed",
                OewsValue::TopCoded => "top_coded",
                OewsValue::LessThanHalf => "less_than_half",
            };
            assert_eq!(cell, "-", "{} {}", r.area, r.occ_code);
            *kinds.entry(kind).or_default() += 1;
        }
    })
    .unwrap();
    assert!(raw_rows.next().is_none());
    assert_eq!(summary.rows, 35_638);
    assert!(summary.gzip);
    println!(
        "state file: {values} numbers, special values {kinds:?}, annual-only rows {annual_only}, \
         hourly-only rows {hourly_only}"
    );
    for k in ["suppressed", "top_coded", "not_available"] {
        assert!(kinds.get(k).copied().unwrap_or(0) > 0, "{k}: {kinds:?}");
    }
    assert_eq!(kinds.get("less_than_half"), None);
    assert_eq!(raw_markers, 0);
    assert!(annual_only > 0 && hourly_only > 0);
}

/// The other two data files read end to end (row counts from SOURCE.md).
#[test]
fn oews_national_files_read() {
    let mut n = 0u64;
    let mut industries = std::collections::HashSet::new();
    let s = oews::read_path(
        &shared("bls_oews_2025/oews_2025_national_industry.csv.gz"),
        |r| {
            n += 1;
            industries.insert(r.naics.clone());
            assert_eq!(r.jobs_1000, OewsValue::Blank);
            assert_eq!(r.loc_quotient, OewsValue::Blank);
        },
    )
    .unwrap();
    assert_eq!((s.rows, n), (132_282, 132_282));
    assert_eq!(industries.len(), 442);
    let s = oews::read_path(
        &shared("bls_oews_2025/oews_2025_national_cross_industry.csv.gz"),
        |_| {},
    )
    .unwrap();
    assert_eq!(s.rows, 2_195);
}
