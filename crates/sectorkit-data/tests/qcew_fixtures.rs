//! One fixture per layout (annual/quarterly × titled/untitled) and per packing (csv/gz/zip), cut
//! from the real BLS files (see tests/fixtures/README.md). Each test checks exact values of known
//! rows and that suppressed measures are `None`, never 0.

mod common;

use std::cell::RefCell;
use std::convert::Infallible;

use common::{find, fixture, read_all, sha256_file};
use sectorkit_core::codes::{Ownership, Period, Quarter};
use sectorkit_data::qcew::{
    Compression, Disclosure, EstabsColumn, FileSummary, LayoutKind, Progress, QcewRow, ReadOptions,
    read_path,
};

use Ownership::{Federal, Local, Private, State, TotalCovered};

fn load(name: &str) -> (FileSummary, Vec<QcewRow>) {
    let path = fixture(name);
    let (s, rows) = read_all(&path);
    // The digest and size are those of the file as stored, whatever its packing.
    assert_eq!(s.sha256, sha256_file(&path), "{name}");
    assert_eq!(s.bytes, std::fs::metadata(&path).unwrap().len(), "{name}");
    let want = if name.ends_with(".gz") {
        Compression::Gzip
    } else if name.ends_with(".zip") {
        Compression::Zip
    } else {
        Compression::None
    };
    assert_eq!(s.compression, want);
    (s, rows)
}

/// Every suppressed row has no employment or wage value at all (BLS wrote 0 there).
fn assert_suppressed_rows_are_none(rows: &[QcewRow]) {
    let mut n = 0;
    for r in rows
        .iter()
        .filter(|r| r.disclosure == Disclosure::Suppressed)
    {
        n += 1;
        assert_eq!(r.employment, None, "{r:?}");
        assert_eq!(r.month_employment, [None; 3]);
        assert_eq!(r.total_wages, None);
        assert_eq!(r.taxable_wages, None);
        assert_eq!(r.contributions, None);
        assert_eq!(r.avg_weekly_wage, None);
        assert_eq!(r.avg_annual_pay, None);
        assert_eq!(r.lq.employment, None);
        assert_eq!(r.lq.total_wages, None);
        assert_eq!(r.oty.employment_chg, None);
        assert_eq!(r.oty.total_wages_chg, None);
        assert!(
            r.estabs.is_some(),
            "establishment counts stay published: {r:?}"
        );
    }
    assert!(n > 0, "the fixture has suppressed rows");
}

// ---------------------------------------------------------------------------------------------
// Annual, untitled: Franklin County OH 2020 (pandas re-save: unquoted, `1.0`, CRLF)
// ---------------------------------------------------------------------------------------------

fn check_annual_untitled(s: &FileSummary, rows: &[QcewRow]) {
    let layout = s.layout().unwrap();
    assert_eq!(layout.kind, LayoutKind::AnnualUntitled);
    assert_eq!(layout.estabs_column, EstabsColumn::Plain);
    assert_eq!(layout.columns, 38);
    assert_eq!(s.rows, 48);
    assert_eq!(s.rows_matched, 48);
    assert_eq!(s.suppressed_rows, 6);
    assert_eq!(s.periods, [Period::Year(2020)]);
    assert_eq!(s.areas_seen, 1);

    let t = find(rows, "39049", TotalCovered, "10", "2020");
    assert_eq!(
        (t.agglvl, t.size, t.disclosure),
        (70, 0, Disclosure::Disclosed)
    );
    assert_eq!(t.estabs, Some(34674));
    assert_eq!(t.employment, Some(727016));
    assert_eq!(t.month_employment, [None; 3]);
    assert_eq!(t.total_wages, Some(45718355278));
    assert_eq!(t.taxable_wages, Some(6208180878));
    assert_eq!(t.contributions, Some(122440041));
    assert_eq!(t.avg_weekly_wage, Some(1209));
    assert_eq!(t.avg_annual_pay, Some(62885));
    assert_eq!(
        (t.lq.estabs, t.lq.employment, t.lq.total_wages),
        (Some(1.0), Some(1.0), Some(1.0))
    );
    assert_eq!(t.oty.estabs_chg, Some(918));
    assert_eq!(t.oty.estabs_pct_chg, Some(2.7));
    assert_eq!(t.oty.employment_chg, Some(-38413));
    assert_eq!(t.oty.employment_pct_chg, Some(-5.0));
    assert_eq!(t.oty.total_wages_chg, Some(1338374862));
    assert_eq!(t.oty.total_wages_pct_chg, Some(3.0));
    assert_eq!(
        (t.area_title.as_deref(), t.industry_title.as_deref()),
        (None, None)
    );

    let m = find(rows, "39049", Private, "31-33", "2020");
    assert_eq!(m.agglvl, 74);
    assert_eq!(
        (m.estabs, m.employment, m.total_wages),
        (Some(974), Some(36262), Some(2460707998))
    );
    assert_eq!(m.lq.employment, Some(0.57));
    assert_eq!(m.oty.employment_chg, Some(-1187));

    // N row: BLS wrote 0 everywhere but the estab count (1) and the estab LQ (0.94).
    let n = find(rows, "39049", State, "1022", "2020");
    assert_eq!(n.disclosure, Disclosure::Suppressed);
    assert_eq!(n.estabs, Some(1));
    assert_eq!(n.employment, None);
    assert_eq!(n.lq.estabs, Some(0.94));
    assert_eq!(n.oty.estabs_chg, Some(0));

    // Disclosed row whose LQ block is N: values kept, employment/wage LQs withheld.
    let l = find(rows, "39049", Local, "48849", "2020");
    assert_eq!(
        (l.disclosure, l.lq.disclosure),
        (Disclosure::Disclosed, Disclosure::Suppressed)
    );
    assert_eq!(l.employment, Some(11));
    assert_eq!(
        (l.lq.estabs, l.lq.employment, l.lq.total_wages),
        (Some(6.44), None, None)
    );
    assert_eq!(l.oty.employment_chg, Some(-2));
    assert_eq!(l.oty.employment_pct_chg, Some(-15.4));

    // Disclosed row whose OTY block is N.
    let o = find(rows, "39049", Local, "92412", "2020");
    assert_eq!(o.oty.disclosure, Disclosure::Suppressed);
    assert_eq!(o.employment, Some(37));
    assert_eq!(o.lq.employment, Some(0.19));
    assert_eq!(
        (
            o.oty.estabs_chg,
            o.oty.employment_chg,
            o.oty.total_wages_chg
        ),
        (Some(0), None, None)
    );
    assert_suppressed_rows_are_none(rows);
}

#[test]
fn annual_untitled_csv() {
    let (s, rows) = load("annual_untitled.csv");
    check_annual_untitled(&s, &rows);
    assert!(s.entries.is_empty());
}

#[test]
fn annual_untitled_gz() {
    let (s, rows) = load("annual_untitled.csv.gz");
    check_annual_untitled(&s, &rows);
}

#[test]
fn annual_untitled_zip() {
    let (s, rows) = load("annual_untitled.zip");
    check_annual_untitled(&s, &rows);
    assert_eq!(s.entries, ["2020.annual 39049.csv"]);
}

// ---------------------------------------------------------------------------------------------
// Annual, titled (43 columns, `annual_avg_estabs_count`): Fairfield (+ Delaware in the zip)
// ---------------------------------------------------------------------------------------------

fn check_fairfield_annual_titled(rows: &[QcewRow]) {
    let t = find(rows, "39045", TotalCovered, "10", "2020");
    assert_eq!(t.area_title.as_deref(), Some("Fairfield County, Ohio"));
    assert_eq!(
        t.industry_title.as_deref(),
        Some("10 Total, all industries")
    );
    assert_eq!(
        (t.estabs, t.employment, t.total_wages),
        (Some(3122), Some(42120), Some(1824734799))
    );
    assert_eq!(
        (t.avg_weekly_wage, t.avg_annual_pay),
        (Some(833), Some(43322))
    );
    assert_eq!(t.lq.employment, Some(1.0));
    assert_eq!(
        (t.oty.estabs_chg, t.oty.estabs_pct_chg),
        (Some(71), Some(2.3))
    );
    assert_eq!(
        (t.oty.employment_chg, t.oty.employment_pct_chg),
        (Some(-1928), Some(-4.4))
    );

    let m = find(rows, "39045", Private, "31-33", "2020");
    assert_eq!(
        m.industry_title.as_deref(),
        Some("NAICS 31-33 Manufacturing")
    );
    assert_eq!(
        (m.estabs, m.employment, m.total_wages),
        (Some(106), Some(4119), Some(231702904))
    );
    assert_eq!(
        (m.lq.estabs, m.lq.employment, m.lq.total_wages),
        (Some(0.99), Some(1.13), Some(1.28))
    );

    let n = find(rows, "39045", State, "1025", "2020");
    assert_eq!(n.disclosure, Disclosure::Suppressed);
    assert_eq!(
        (n.estabs, n.employment, n.total_wages),
        (Some(7), None, None)
    );
    assert_eq!(n.lq.estabs, Some(1.6));
    assert_eq!(
        (n.oty.estabs_chg, n.oty.estabs_pct_chg),
        (Some(1), Some(16.7))
    );
    assert_suppressed_rows_are_none(rows);
}

fn check_annual_titled_layout(s: &FileSummary) {
    let layout = s.layout().unwrap();
    assert_eq!(layout.kind, LayoutKind::AnnualTitled);
    assert_eq!(layout.estabs_column, EstabsColumn::Count);
    assert_eq!(layout.columns, 43);
    assert_eq!(s.periods, [Period::Year(2020)]);
}

#[test]
fn annual_titled_csv() {
    let (s, rows) = load("annual_titled.csv");
    check_annual_titled_layout(&s);
    assert_eq!((s.rows, s.suppressed_rows, s.areas_seen), (46, 6, 1));
    check_fairfield_annual_titled(&rows);
}

#[test]
fn annual_titled_gz() {
    let (s, rows) = load("annual_titled.csv.gz");
    check_annual_titled_layout(&s);
    assert_eq!((s.rows, s.suppressed_rows), (46, 6));
    check_fairfield_annual_titled(&rows);
}

#[test]
fn annual_titled_zip() {
    let (s, rows) = load("annual_titled.zip");
    check_annual_titled_layout(&s);
    assert_eq!(
        s.entries,
        [
            "2020.annual.by_area/2020.annual 39041 Delaware County, Ohio.csv",
            "2020.annual.by_area/2020.annual 39045 Fairfield County, Ohio.csv",
        ]
    );
    assert!(s.skipped_entries.is_empty(), "directories are not listed");
    assert_eq!(
        (s.rows, s.suppressed_rows, s.areas_seen),
        (42 + 46, 3 + 6, 2)
    );
    check_fairfield_annual_titled(&rows);
    let d = find(&rows, "39041", TotalCovered, "10", "2020");
    assert_eq!(d.area_title.as_deref(), Some("Delaware County, Ohio"));
    assert_eq!((d.estabs, d.employment), (Some(5891), Some(84743)));
}

// ---------------------------------------------------------------------------------------------
// Quarterly, untitled: U.S. total 2024 Q1 (unmodified BLS slice: quoted, CRLF)
// ---------------------------------------------------------------------------------------------

fn check_quarterly_untitled(s: &FileSummary, rows: &[QcewRow]) {
    let layout = s.layout().unwrap();
    assert_eq!(layout.kind, LayoutKind::QuarterlyUntitled);
    assert_eq!(layout.estabs_column, EstabsColumn::Plain);
    assert_eq!(layout.columns, 42);
    assert_eq!(
        (s.rows, s.suppressed_rows, s.no_establishment_rows),
        (49, 6, 3)
    );
    assert_eq!(s.periods, [Period::Quarter(2024, Quarter::Q1)]);

    let t = find(rows, "US000", TotalCovered, "10", "2024Q1");
    assert_eq!(t.agglvl, 10);
    assert_eq!(t.estabs, Some(11907855));
    assert_eq!(
        t.month_employment,
        [Some(152393725), Some(153129544), Some(153848430)]
    );
    assert_eq!(
        t.employment,
        Some(153848430),
        "quarterly employment is month 3"
    );
    assert_eq!(t.total_wages, Some(3037790324790));
    assert_eq!(t.taxable_wages, Some(1151875077520));
    assert_eq!(t.contributions, Some(19555346530));
    assert_eq!((t.avg_weekly_wage, t.avg_annual_pay), (Some(1526), None));
    assert_eq!(t.lq.month_employment, [Some(1.0); 3]);
    assert_eq!(t.lq.employment, Some(1.0));
    assert_eq!(
        t.oty.month_employment_chg,
        [Some(2159585), Some(2084056), Some(2278693)]
    );
    assert_eq!(
        t.oty.month_employment_pct_chg,
        [Some(1.4), Some(1.4), Some(1.5)]
    );
    assert_eq!(
        (t.oty.employment_chg, t.oty.employment_pct_chg),
        (Some(2278693), Some(1.5))
    );
    assert_eq!(
        (t.oty.total_wages_chg, t.oty.total_wages_pct_chg),
        (Some(162512545148), Some(5.7))
    );

    let m = find(rows, "US000", Private, "31-33", "2024Q1");
    assert_eq!(
        m.month_employment,
        [Some(12718212), Some(12741648), Some(12760860)]
    );
    assert_eq!(m.oty.employment_chg, Some(-95747));

    let n = find(rows, "US000", State, "1011", "2024Q1");
    assert_eq!(n.disclosure, Disclosure::Suppressed);
    assert_eq!(
        (n.estabs, n.employment, n.month_employment),
        (Some(137), None, [None; 3])
    );
    assert_eq!(n.lq.estabs, Some(1.0));
    assert_eq!(n.lq.month_employment, [None; 3]);
    assert_eq!(
        (n.oty.estabs_chg, n.oty.estabs_pct_chg),
        (Some(-2), Some(-1.4))
    );
    assert_eq!(n.oty.month_employment_chg, [None; 3]);

    // `-`: no establishments this quarter; published zeros kept, LQ/OTY blocks are N.
    let d = find(rows, "US000", Federal, "45992", "2024Q1");
    assert_eq!(d.disclosure, Disclosure::NoEstablishments);
    assert_eq!(
        (d.estabs, d.employment, d.total_wages),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(
        (d.lq.disclosure, d.lq.employment),
        (Disclosure::Suppressed, None)
    );
    assert_eq!(d.oty.employment_chg, None);

    // A disclosed true zero stays a zero.
    let z = find(rows, "US000", Federal, "236", "2024Q1");
    assert_eq!(z.disclosure, Disclosure::Disclosed);
    assert_eq!((z.estabs, z.employment), (Some(1), Some(0)));
    assert_eq!(z.oty.disclosure, Disclosure::Suppressed);
    assert_eq!(
        (z.oty.estabs_chg, z.oty.estabs_pct_chg, z.oty.employment_chg),
        (Some(1), Some(100.0), None)
    );
    assert_suppressed_rows_are_none(rows);
}

#[test]
fn quarterly_untitled_csv() {
    let (s, rows) = load("quarterly_untitled.csv");
    check_quarterly_untitled(&s, &rows);
}

#[test]
fn quarterly_untitled_gz() {
    let (s, rows) = load("quarterly_untitled.csv.gz");
    check_quarterly_untitled(&s, &rows);
}

#[test]
fn quarterly_untitled_zip() {
    let (s, rows) = load("quarterly_untitled.zip");
    check_quarterly_untitled(&s, &rows);
    assert_eq!(s.entries, ["2024.q1.US000.csv"]);
}

// ---------------------------------------------------------------------------------------------
// Quarterly, titled (47 columns, `qtrly_estabs_count`): 2016 Q1–Q4 in one by-area file
// ---------------------------------------------------------------------------------------------

fn check_franklin_2016(rows: &[QcewRow]) {
    let q1 = find(rows, "39049", TotalCovered, "10", "2016Q1");
    assert_eq!(q1.area_title.as_deref(), Some("Franklin County, Ohio"));
    assert_eq!(q1.estabs, Some(30970));
    assert_eq!(
        q1.month_employment,
        [Some(719453), Some(720054), Some(723493)]
    );
    assert_eq!(q1.employment, Some(723493));
    assert_eq!(q1.total_wages, Some(9733892837));
    assert_eq!(q1.avg_weekly_wage, Some(1039));
    assert_eq!(
        (q1.oty.estabs_chg, q1.oty.estabs_pct_chg),
        (Some(682), Some(2.3))
    );
    let q2 = find(rows, "39049", TotalCovered, "10", "2016Q2");
    assert_eq!(
        q2.month_employment,
        [Some(731075), Some(736425), Some(736502)]
    );
    assert_eq!(q2.total_wages, Some(9415601489));

    let l = find(rows, "39049", State, "52429", "2016Q1");
    assert_eq!(
        l.industry_title.as_deref(),
        Some("NAICS 52429 Other insurance related activities")
    );
    assert_eq!(l.month_employment, [Some(1290), Some(1289), Some(1289)]);
    assert_eq!(l.lq.disclosure, Disclosure::Suppressed);
    assert_eq!(
        (l.lq.estabs, l.lq.employment, l.lq.month_employment),
        (Some(77.51), None, [None; 3])
    );
    assert_eq!(l.oty.month_employment_chg, [Some(-9), Some(-11), Some(-7)]);

    let n = find(rows, "39049", State, "1022", "2016Q1");
    assert_eq!(
        (n.disclosure, n.estabs, n.employment),
        (Disclosure::Suppressed, Some(1), None)
    );
    assert_eq!(n.lq.estabs, Some(0.97));

    let d = find(rows, "39049", Private, "238121", "2016Q1");
    assert_eq!(d.disclosure, Disclosure::NoEstablishments);
    assert_eq!(d.agglvl, 78);
    assert_suppressed_rows_are_none(rows);
}

fn check_quarterly_titled_layout(s: &FileSummary) {
    let layout = s.layout().unwrap();
    assert_eq!(layout.kind, LayoutKind::QuarterlyTitled);
    assert_eq!(layout.estabs_column, EstabsColumn::Count);
    assert_eq!(layout.columns, 47);
    let q = |q| Period::Quarter(2016, q);
    assert_eq!(
        s.periods,
        [
            q(Quarter::Q1),
            q(Quarter::Q2),
            q(Quarter::Q3),
            q(Quarter::Q4)
        ]
    );
}

#[test]
fn quarterly_titled_csv() {
    let (s, rows) = load("quarterly_titled.csv");
    check_quarterly_titled_layout(&s);
    assert_eq!(
        (s.rows, s.suppressed_rows, s.no_establishment_rows),
        (44, 8, 4)
    );
    check_franklin_2016(&rows);
}

#[test]
fn quarterly_titled_gz() {
    let (s, rows) = load("quarterly_titled.csv.gz");
    check_quarterly_titled_layout(&s);
    assert_eq!(
        (s.rows, s.suppressed_rows, s.no_establishment_rows),
        (44, 8, 4)
    );
    check_franklin_2016(&rows);
}

#[test]
fn quarterly_titled_zip() {
    let (s, rows) = load("quarterly_titled.zip");
    check_quarterly_titled_layout(&s);
    assert_eq!(s.entries.len(), 2);
    assert_eq!(
        (
            s.rows,
            s.suppressed_rows,
            s.no_establishment_rows,
            s.areas_seen
        ),
        (26 + 44, 4 + 8, 2 + 4, 2)
    );
    check_franklin_2016(&rows);
}

// ---------------------------------------------------------------------------------------------
// Across fixtures
// ---------------------------------------------------------------------------------------------

const ALL: [&str; 12] = [
    "annual_untitled.csv",
    "annual_untitled.csv.gz",
    "annual_untitled.zip",
    "annual_titled.csv",
    "annual_titled.csv.gz",
    "annual_titled.zip",
    "quarterly_untitled.csv",
    "quarterly_untitled.csv.gz",
    "quarterly_untitled.zip",
    "quarterly_titled.csv",
    "quarterly_titled.csv.gz",
    "quarterly_titled.zip",
];

#[test]
fn csv_gz_and_zip_of_one_file_give_identical_rows() {
    for stem in [
        "annual_untitled",
        "annual_titled",
        "quarterly_untitled",
        "quarterly_titled",
    ] {
        let (_, plain) = load(&format!("{stem}.csv"));
        let (_, gz) = load(&format!("{stem}.csv.gz"));
        assert_eq!(plain, gz, "{stem}");
        let (_, zipped) = load(&format!("{stem}.zip"));
        // The titled zips hold a second area before this one.
        assert!(zipped.ends_with(&plain), "{stem}");
    }
}

#[test]
fn progress_is_reported_and_monotonic() {
    for name in ALL {
        let path = fixture(name);
        let seen: RefCell<Vec<Progress>> = RefCell::new(Vec::new());
        let cb = |p: Progress| seen.borrow_mut().push(p);
        let s = read_path(&path, ReadOptions::new().progress(&cb), |_| {
            Ok::<(), Infallible>(())
        })
        .unwrap();
        let seen = seen.into_inner();
        assert!(!seen.is_empty(), "{name}");
        assert!(
            seen.windows(2)
                .all(|w| w[0].bytes_read <= w[1].bytes_read && w[0].rows <= w[1].rows)
        );
        let last = seen.last().unwrap();
        assert_eq!(last.rows, s.rows, "{name}");
        assert_eq!(last.bytes_total, Some(s.bytes));
        assert!(last.bytes_read <= s.bytes);
        if !name.ends_with(".zip") {
            // Plain and gzip files are consumed whole by the time the last row is read (the gzip
            // trailer may remain).
            assert!(last.bytes_read + 8 >= s.bytes, "{name}: {last:?}");
        }
    }
}

#[test]
fn titles_are_only_present_in_titled_layouts() {
    for name in ALL {
        let (s, rows) = load(name);
        let titled = s.layout().unwrap().kind.is_titled();
        for r in &rows {
            assert_eq!(r.area_title.is_some(), titled, "{name}");
            assert_eq!(r.industry_title.is_some(), titled, "{name}");
        }
    }
}

/// Reading without the SHA-256 gives the same rows and an empty hash.
#[test]
fn reading_without_the_hash_gives_the_same_rows() {
    use sectorkit_data::qcew::{ReadOptions, read_path};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !(name.ends_with(".csv") || name.ends_with(".gz") || name.ends_with(".zip")) {
            continue;
        }
        let mut a = Vec::new();
        let sa = read_path(&p, ReadOptions::new(), |r| {
            a.push(format!("{r:?}"));
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap();
        let mut b = Vec::new();
        let sb = read_path(&p, ReadOptions::new().without_hash(), |r| {
            b.push(format!("{r:?}"));
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap();
        assert_eq!(a, b, "{name}");
        assert_eq!(sa.sha256.len(), 64, "{name}");
        assert!(sb.sha256.is_empty(), "{name}");
        assert_eq!(sa.bytes, sb.bytes, "{name}");
        checked += 1;
    }
    assert!(checked >= 12, "all fixtures: {checked}");
}
