//! The OEWS reader on small in-memory files: both header spellings, the special values, gzip
//! detection by magic bytes, and errors that name file, line, field and value.

use std::io::Write;

use sectorkit_data::oews::{self, OGroup, OewsErrorKind, OewsRow, OewsSummary, OewsValue};

fn read_str(text: &[u8]) -> Result<(OewsSummary, Vec<OewsRow>), oews::OewsError> {
    let mut rows = Vec::new();
    let s = oews::read(text, "test.csv", |r| rows.push(r.clone()))?;
    Ok((s, rows))
}

/// The BLS XLSX/CSV download layout, upper-case names, markers in the cells.
const XLSX_LAYOUT: &str = "\
AREA,AREA_TITLE,AREA_TYPE,PRIM_STATE,NAICS,NAICS_TITLE,I_GROUP,OWN_CODE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,PCT_TOTAL,PCT_RPT,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,ANNUAL,HOURLY
99,U.S.,1,US,336100,Motor Vehicle Manufacturing,4-digit,5,00-0000,All Occupations,total,\"284,300\",1.2,100,100,35.10,\"73,010\",0.5,18.00,22.00,30.00,40.00,55.00,\"37,440\",\"45,760\",\"62,400\",\"83,200\",\"114,400\",,
99,U.S.,1,US,336100,Motor Vehicle Manufacturing,4-digit,5,29-1215,Family Medicine Physicians,detailed,**,*,~,~,#,#,*,100.00,110.00,#,#,#,\"208,000\",\"228,800\",#,#,#,,
99,U.S.,1,US,336100,Motor Vehicle Manufacturing,4-digit,5,25-2021,Elementary School Teachers,detailed,40,10.0,0.01,0.5,*,\"65,000\",2.0,*,*,*,*,*,\"40,000\",\"50,000\",\"60,000\",\"70,000\",\"80,000\",TRUE,
";

#[test]
fn xlsx_layout_and_markers() {
    let (s, rows) = read_str(XLSX_LAYOUT.as_bytes()).unwrap();
    assert_eq!(s.rows, 3);
    assert!(!s.gzip);
    let t = &rows[0];
    assert_eq!(t.area, "99");
    assert_eq!(t.naics, "336100");
    assert_eq!(t.i_group, "4-digit");
    assert_eq!(t.own_code, "5");
    assert_eq!(t.o_group, OGroup::Total);
    assert_eq!(t.tot_emp, OewsValue::Value(284_300.0));
    assert_eq!(t.a_pct90, OewsValue::Value(114_400.0));
    assert_eq!(t.jobs_1000, OewsValue::Blank, "absent column");
    let p = &rows[1];
    assert_eq!(p.o_group, OGroup::Detailed);
    assert_eq!(p.tot_emp, OewsValue::Suppressed);
    assert_eq!(p.emp_prse, OewsValue::NotAvailable);
    assert_eq!(p.pct_total, OewsValue::LessThanHalf);
    assert_eq!(p.pct_rpt, OewsValue::LessThanHalf);
    assert_eq!(p.h_mean, OewsValue::TopCoded);
    assert_eq!(p.a_median, OewsValue::TopCoded);
    assert_eq!(p.h_pct10, OewsValue::Value(100.0));
    assert!(!p.annual_only && !p.hourly_only);
    let e = &rows[2];
    assert!(e.annual_only && !e.hourly_only);
    assert_eq!(e.h_mean, OewsValue::NotAvailable);
    assert_eq!(e.a_mean, OewsValue::Value(65_000.0));
}

/// The time-series flattening of `shared/data/bls_oews_2025`: `-` plus a footnote code.
const TS_LAYOUT: &str = "\
area_code,area_type,prim_state_fips,area_title,industry_code,industry_title,industry_display_level,occ_code,occ_title,occ_display_level,tot_emp,h_mean,a_mean,jobs_1000,loc_quotient,tot_emp_fn,h_mean_fn,a_mean_fn,jobs_1000_fn,loc_quotient_fn
0100000,S,01,Alabama,000000,Cross-Industry,0,00-0000,All Occupations,0,2113660,27.65,57500,1000.000,1.00,,,,,
0100000,S,01,Alabama,000000,Cross-Industry,0,11-0000,Management Occupations,0,112960,58.94,122590,53.443,0.75,,,,,
0100000,S,01,Alabama,000000,Cross-Industry,0,29-1022,Oral Surgeons,3,130,-,115.00,0.060,1.89,,5,5,,
0100000,S,01,Alabama,000000,Cross-Industry,0,25-2021,Teachers,3,-,-,-,-,-,8,8,8,8,8
0100000,S,01,Alabama,000000,Cross-Industry,0,27-2011,Actors,3,50,30.00,-,0.024,0.50,,,4,,
0100000,S,01,Alabama,000000,Cross-Industry,0,25-2022,Middle School Teachers,3,900,-,60000,0.426,0.90,,4,,,
";

#[test]
fn time_series_layout_and_footnotes() {
    let (_, rows) = read_str(TS_LAYOUT.as_bytes()).unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0].o_group, OGroup::Total);
    assert_eq!(rows[1].o_group, OGroup::Major);
    assert_eq!(rows[1].jobs_1000, OewsValue::Value(53.443));
    assert_eq!(rows[0].prim_state, "01");
    assert_eq!(rows[0].i_group, "0");
    let top = &rows[2];
    assert_eq!(top.o_group, OGroup::Detailed);
    assert_eq!(top.h_mean, OewsValue::TopCoded);
    // A top-coded cap written as a number is still not a number.
    assert_eq!(top.a_mean, OewsValue::TopCoded);
    let sup = &rows[3];
    for v in [
        sup.tot_emp,
        sup.h_mean,
        sup.a_mean,
        sup.jobs_1000,
        sup.loc_quotient,
    ] {
        assert_eq!(v, OewsValue::Suppressed);
    }
    assert!(rows[4].hourly_only && !rows[4].annual_only);
    assert_eq!(rows[4].a_mean, OewsValue::NotAvailable);
    assert!(rows[5].annual_only && !rows[5].hourly_only);
}

#[test]
fn gzip_detected_by_magic_bytes() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(TS_LAYOUT.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let (s, rows) = read_str(&gz).unwrap();
    assert!(s.gzip);
    assert_eq!(rows.len(), 6);
    // Through a file named .csv (the name is not what decides).
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("oews.csv");
    std::fs::write(&p, &gz).unwrap();
    let mut n = 0;
    let s = oews::read_path(&p, |_| n += 1).unwrap();
    assert!(s.gzip);
    assert_eq!(n, 6);
}

#[test]
fn errors_name_file_line_field_value() {
    let bad = TS_LAYOUT.replace("53.443", "53.4x3");
    let e = read_str(bad.as_bytes()).unwrap_err();
    assert_eq!(e.file(), "test.csv");
    assert_eq!(e.line(), Some(3));
    assert_eq!(e.field(), Some("jobs_1000"));
    assert!(matches!(e.kind(), OewsErrorKind::NotANumber(v) if v == "53.4x3"));
    assert_eq!(
        e.to_string(),
        "test.csv: line 3, field jobs_1000: \"53.4x3\" is not a number or an OEWS special value"
    );

    let bad = TS_LAYOUT.replace("29-1022", "291022");
    let e = read_str(bad.as_bytes()).unwrap_err();
    assert_eq!(e.line(), Some(4));
    assert_eq!(e.field(), Some("occ_code"));

    let bad = TS_LAYOUT.replace(",3,130,", ",7,130,");
    let e = read_str(bad.as_bytes()).unwrap_err();
    assert_eq!(e.field(), Some("occ_display_level"));
    assert!(matches!(e.kind(), OewsErrorKind::BadGroup(v) if v == "7"));

    let bad = TS_LAYOUT.replace(",Teachers,3,-,", ",Teachers,3,\"1,23\",");
    let e = read_str(bad.as_bytes()).unwrap_err();
    assert!(matches!(e.kind(), OewsErrorKind::NotANumber(v) if v == "1,23"));

    let e = read_str(b"area,occ_title\n01,x\n").unwrap_err();
    assert!(matches!(e.kind(), OewsErrorKind::MissingColumns(m) if m.len() == 2));
    let e = read_str(b"").unwrap_err();
    assert!(matches!(e.kind(), OewsErrorKind::Empty));
    let short = format!("{}0100000,S\n", TS_LAYOUT);
    let e = read_str(short.as_bytes()).unwrap_err();
    assert_eq!(e.line(), Some(8));
    assert!(matches!(
        e.kind(),
        OewsErrorKind::FieldCount { found: 2, .. }
    ));
    let e = oews::read_path(std::path::Path::new("/nonexistent/oews.csv"), |_| {}).unwrap_err();
    assert!(matches!(e.kind(), OewsErrorKind::Io(_)));
}
