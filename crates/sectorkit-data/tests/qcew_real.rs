//! The reader on the real BLS files of the project's shared data folder (`../shared/data`
//! relative to the repository root; these tests fail, not skip, when it is missing).
//!
//! Row counts, suppressed counts and checksums are the ones written in the folders' SOURCE.md
//! files. Note on checksums: SOURCE.md lists the SHA-256 of the **uncompressed** CSV; the
//! reader's `FileSummary::sha256` covers the file **as stored** (the `.gz` bytes), which is what
//! makes re-importing the same file recognisable. Both are checked here.

mod common;

use std::collections::HashMap;

use common::{find, gunzip, read_all, read_filtered, sha256_file, sha256_hex, shared};
use sectorkit_core::codes::{AreaFips, Ownership, Period, Quarter};
use sectorkit_data::geo::resolve_region;
use sectorkit_data::qcew::{Compression, EstabsColumn, LayoutKind, RowFilter};

#[test]
fn qcew_2019_annual_industry_10_all_areas() {
    let path = shared("bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz");
    let (s, rows) = read_all(&path);
    assert_eq!(s.compression, Compression::Gzip);
    assert_eq!(s.layout().unwrap().kind, LayoutKind::AnnualUntitled);
    assert_eq!(s.layout().unwrap().columns, 38);
    assert_eq!(s.rows, 19_238);
    assert_eq!(s.suppressed_rows, 907);
    assert_eq!(s.areas_seen, 4_428);
    assert_eq!(s.periods, [Period::Year(2019)]);
    // The file as stored …
    assert_eq!(s.sha256, sha256_file(&path));
    // … and the CSV inside it, as SOURCE.md lists it.
    let csv = gunzip(&path);
    assert_eq!(csv.len(), 3_498_506);
    assert_eq!(s.csv_bytes, 3_498_506);
    assert_eq!(
        sha256_hex(&csv),
        "2d65b5f60a5c5665fdac38af08bdb85c2c652c87781eb28fbfd9f78891621c7e"
    );
    let us = find(&rows, "US000", Ownership::TotalCovered, "10", "2019");
    assert_eq!(us.agglvl, 10);
    assert!(us.employment.unwrap() > 140_000_000);
    // Every row is industry 10.
    assert!(rows.iter().all(|r| r.industry.as_str() == "10"));
}

#[test]
fn qcew_2020_q1_us_titled() {
    let path = shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz");
    let (s, rows) = read_all(&path);
    let layout = s.layout().unwrap();
    assert_eq!(
        (layout.kind, layout.estabs_column, layout.columns),
        (LayoutKind::QuarterlyTitled, EstabsColumn::Count, 47)
    );
    assert_eq!((s.rows, s.suppressed_rows), (4_543, 763));
    assert_eq!(s.periods, [Period::Quarter(2020, Quarter::Q1)]);
    assert_eq!(
        sha256_hex(&gunzip(&path)),
        "53165b8a286877f512b900498853b8c9770be850234505df2a4312ee357a9042"
    );
    let t = find(&rows, "US000", Ownership::TotalCovered, "10", "2020Q1");
    assert_eq!(
        t.month_employment,
        [Some(147279523), Some(147858938), Some(147088945)]
    );
    assert_eq!(t.area_title.as_deref(), Some("U.S. TOTAL"));
    // agglvl 94/95 rows are read too.
    assert!(rows.iter().any(|r| r.agglvl == 95));
}

#[test]
fn qcew_2023_q1_by_industry_titled_lf() {
    let path = shared("bls_qcew_extra/qcew_2023_q1_industry_722513_all_areas.csv.gz");
    let (s, rows) = read_all(&path);
    assert_eq!(s.layout().unwrap().kind, LayoutKind::QuarterlyTitled);
    assert_eq!((s.rows, s.suppressed_rows), (3_625, 652));
    assert_eq!(
        sha256_hex(&gunzip(&path)),
        "05302e90beda432ccf8aa9bd95594b672cd290b702ba7ea5a795b1edda80c268"
    );
    let us = find(&rows, "US000", Ownership::Private, "722513", "2023Q1");
    assert_eq!(
        (us.month_employment[0], us.total_wages),
        (Some(4_478_870), Some(24_630_676_674))
    );
    assert_eq!(
        us.industry_title.as_deref(),
        Some("NAICS 722513 Limited-service restaurants")
    );
}

#[test]
fn qcew_2024_q1_us_untitled() {
    let path = shared("bls_qcew_2020_ohio_and_us/qcew_2024_q1_area_US000.csv.gz");
    let (s, _) = read_all(&path);
    let layout = s.layout().unwrap();
    assert_eq!(
        (layout.kind, layout.estabs_column),
        (LayoutKind::QuarterlyUntitled, EstabsColumn::Plain)
    );
    assert_eq!((s.rows, s.suppressed_rows), (4_526, 599));
}

#[test]
fn morpc_area_slices() {
    let files = [
        (
            "morpc-qcew-2020-a-39049.csv",
            2_255,
            LayoutKind::AnnualUntitled,
            Some(756),
        ),
        (
            "morpc-qcew-2020-a-39041.csv",
            1_553,
            LayoutKind::AnnualUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-a-39045.csv",
            1_444,
            LayoutKind::AnnualUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-1-39049.csv",
            2_255,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-2-39049.csv",
            2_255,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-3-39049.csv",
            2_255,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-4-39049.csv",
            2_255,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-1-39041.csv",
            1_553,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-4-39129.csv",
            1_007,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-4-39141.csv",
            1_138,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
        (
            "morpc-qcew-2020-4-39159.csv",
            1_153,
            LayoutKind::QuarterlyUntitled,
            None,
        ),
    ];
    for (name, rows, kind, suppressed) in files {
        let (s, _) = read_all(&shared(&format!("bls_qcew_2020_ohio_and_us/{name}")));
        assert_eq!((s.rows, s.layout().unwrap().kind), (rows, kind), "{name}");
        assert_eq!(s.areas_seen, 1, "{name}");
        if let Some(n) = suppressed {
            assert_eq!(s.suppressed_rows, n, "{name}");
        }
    }
    let (_, rows) = read_all(&shared(
        "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-39049.csv",
    ));
    let t = find(&rows, "39049", Ownership::TotalCovered, "10", "2020");
    assert_eq!(
        (t.employment, t.total_wages),
        (Some(727_016), Some(45_718_355_278))
    );
}

#[test]
fn columbus_2016_by_area_files_hold_four_quarters() {
    let table = [
        ("39000", 11_632, 1_829),
        ("C1814", 7_624, 3_037),
        ("39041", 6_180, 3_415),
        ("39045", 5_556, 3_420),
        ("39049", 8_980, 3_308),
        ("39073", 3_220, 2_334),
        ("39089", 6_088, 3_483),
        ("39097", 3_784, 2_671),
        ("39117", 2_684, 1_951),
        ("39127", 2_900, 2_179),
        ("39129", 3_944, 2_786),
        ("39159", 4_516, 3_198),
    ];
    let quarters: Vec<Period> = [Quarter::Q1, Quarter::Q2, Quarter::Q3, Quarter::Q4]
        .map(|q| Period::Quarter(2016, q))
        .to_vec();
    for (code, rows, n) in table {
        let path = shared(&format!(
            "bls_qcew_extra/columbus_oh_2016_by_area/qcew_2016_q1-q4_area_{code}.csv.gz"
        ));
        let (s, _) = read_all(&path);
        assert_eq!(
            s.layout().unwrap().kind,
            LayoutKind::QuarterlyTitled,
            "{code}"
        );
        assert_eq!((s.rows, s.suppressed_rows), (rows, n), "{code}");
        assert_eq!(s.periods, quarters, "{code}");
    }
}

/// The 2020 files' over-the-year change takes each county back to the 2019 all-areas file:
/// `2020 value − oty_chg = 2019 value` for industry 10, ownerships 0/1/2/3/5 (45 comparisons).
#[test]
fn oty_of_2020_county_files_matches_the_2019_file() {
    let counties = ["39049", "39041", "39045"];
    let filter = RowFilter::all()
        .areas(counties.map(|c| c.parse::<AreaFips>().unwrap()))
        .industries(["10".parse().unwrap()]);
    let (s19, rows19) = read_filtered(
        &shared("bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz"),
        &filter,
    );
    assert_eq!(s19.rows, 19_238);
    assert_eq!(s19.rows_matched, 15);
    let y2019: HashMap<(String, Ownership), _> = rows19
        .iter()
        .map(|r| ((r.area.to_string(), r.ownership), r))
        .collect();
    let mut compared = 0;
    for c in counties {
        let (_, rows) = read_filtered(
            &shared(&format!(
                "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-{c}.csv"
            )),
            &filter,
        );
        for r in &rows {
            let prior = y2019[&(c.to_string(), r.ownership)];
            let back = |now: Option<u64>, chg: Option<i64>| now.unwrap() as i64 - chg.unwrap();
            assert_eq!(
                back(r.employment, r.oty.employment_chg),
                prior.employment.unwrap() as i64,
                "{c} {}",
                r.ownership
            );
            assert_eq!(
                back(r.total_wages, r.oty.total_wages_chg),
                prior.total_wages.unwrap() as i64
            );
            assert_eq!(
                back(r.estabs, r.oty.estabs_chg),
                prior.estabs.unwrap() as i64
            );
            compared += 3;
        }
    }
    assert_eq!(compared, 45);
}

/// A region query over the national file: the early filter lets through only the member
/// counties' rows and the nation's.
#[test]
fn columbus_msa_query_over_the_all_areas_file() {
    let region = resolve_region("C1814").unwrap();
    let mut areas = region.counties.clone();
    areas.push(AreaFips::us());
    let filter = RowFilter::all()
        .areas(areas)
        .ownerships([Ownership::TotalCovered]);
    let (s, rows) = read_filtered(
        &shared("bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz"),
        &filter,
    );
    assert_eq!((s.rows, s.rows_matched, s.areas_seen), (19_238, 11, 11));
    let sum: u64 = rows
        .iter()
        .filter(|r| r.area.as_str() != "US000")
        .map(|r| r.employment.unwrap())
        .sum();
    // The published 2019 C1814 MSA total (2013 delineation, the same 10 counties).
    let (_, msa) = read_filtered(
        &shared("bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz"),
        &RowFilter::all()
            .areas(["C1814".parse().unwrap()])
            .ownerships([Ownership::TotalCovered]),
    );
    assert_eq!(msa.len(), 1);
    let msa_total = msa[0].employment.unwrap();
    assert!(sum.abs_diff(msa_total) <= 10, "{sum} vs {msa_total}");
}
