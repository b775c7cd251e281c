//! The needs-assessment workbook downloaded from the target table: with a shortlist and OEWS
//! data it carries the Staffing and Occupations tabs, with the occupations engine's numbers.

use crate::PW;
use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use sectorkit_store::NewShortlistItem;

scenarios!(
    workbook_has_the_shortlists_staffing_and_occupations,
    target_table_downloads_as_csv
);

/// The target table's CSV download: the CLI's columns, one row per industry of the engine's
/// table, suppressed cells empty (not 0); members only.
async fn target_table_downloads_as_csv(app: crate::harness::TestApp) {
    super::load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    app.user("out@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let counties = vec!["39041".to_string(), "39049".to_string()];
    let rid = app
        .store
        .create_region(
            pid,
            "=Franklin + Delaware",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let (s, html) = b
        .text(&format!("/p/{pid}/regions/{rid}?period=2020Q1"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("format=csv"), "CSV link on the page");
    let url = format!("/p/{pid}/regions/{rid}?period=2020Q1&format=csv");
    let r = b.get(&url).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let body = r.text().await.unwrap();
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, sectorkit_engine::table::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    let (table, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    assert_eq!(rows.len(), table.rows.len());
    let col = |n: &str| header.iter().position(|c| c == n).unwrap();
    let ins = rows
        .iter()
        .find(|r| &r[col("industry_code")] == "524")
        .expect("insurance carriers in the CSV");
    let want = table
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == "524")
        .unwrap();
    assert_eq!(
        ins[col("employment")],
        sectorkit_engine::table::csv_record(want)[col("employment")]
    );
    for r in rows.iter().filter(|r| &r[col("status")] == "suppressed") {
        assert_eq!(&r[col("employment")], "", "suppressed is empty, not 0");
    }
    // No text cell a spreadsheet would run as a formula; negative numbers stay numbers.
    for r in &rows {
        for c in r.iter() {
            if c.starts_with(['=', '+', '@', '\t', '\r']) {
                panic!("formula-like cell {c:?}");
            }
            if let Some(rest) = c.strip_prefix('-') {
                assert!(rest.parse::<f64>().is_ok(), "{c:?}");
            }
        }
    }
    // Non-members: 404, no file.
    let o = app.signed_in("out@example.org", PW).await;
    let r = o.get(&url).await;
    assert_eq!(r.status(), 404);
}

async fn workbook_has_the_shortlists_staffing_and_occupations(app: crate::harness::TestApp) {
    super::load_2020q1(&app).await;
    super::load_occupations(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let counties = vec!["39041".to_string(), "39049".to_string()];
    let rid = app
        .store
        .create_region(
            pid,
            "Franklin + Delaware",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let url = format!("/p/{pid}/regions/{rid}?period=2020Q1&format=xlsx");
    let sheets = |bytes: Vec<u8>| {
        let wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        wb.sheet_names().to_vec()
    };
    // No shortlist yet: no occupation tabs.
    let r = b.get(&url).await;
    assert_eq!(r.status(), 200);
    let names = sheets(r.bytes().await.unwrap().to_vec());
    assert!(names.contains(&"Score".to_string()), "{names:?}");
    assert!(!names.contains(&"Staffing".to_string()), "{names:?}");
    for (code, title) in [
        ("524", "Insurance carriers and related activities"),
        ("111", "Crop production"),
    ] {
        app.store
            .add_to_shortlist(
                pid,
                &NewShortlistItem {
                    industry_code: code,
                    industry_title: title,
                    own_code: 5,
                    region_name: "Franklin + Delaware",
                    period: "2020Q1",
                    note: "",
                    snapshot: "{}",
                    added_by: owner,
                },
            )
            .await
            .unwrap();
    }
    let r = b.get(&url).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(
        &names[names.len() - 3..],
        ["Score", "Staffing", "Occupations"],
        "{names:?}"
    );
    // The cover lists the QCEW files with their data periods and the occupation files.
    let cover = wb.worksheet_range("Cover").unwrap();
    let cover_rows: Vec<Vec<String>> = cover
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        cover_rows.iter().any(|r| r[0] == "BLS QCEW"
            && r[1] == "morpc-qcew-2020-1-39049.csv"
            && r[3] == "2020Q1"),
        "{cover_rows:?}"
    );
    for kind in ["BLS OEWS", "BLS Employment Projections", "O*NET"] {
        assert!(cover_rows.iter().any(|r| r[0] == kind), "{kind} listed");
    }
    // The engine's report for the same industries, region and period.
    let mut req = sectorkit_engine::occupations::OccupationRequest::new(
        "39041,39049",
        vec!["524".to_string(), "111".to_string()],
    );
    req.period = Some("2020Q1".parse().unwrap());
    let report = sectorkit_engine::occupations::compute_occupations(&app.store, &req)
        .await
        .unwrap();
    let occ = wb.worksheet_range("Occupations").unwrap();
    let row_of = |range: &calamine::Range<Data>, col: usize, code: &str| {
        range
            .rows()
            .position(|r| r.get(col).map(|c| c.to_string()) == Some(code.to_string()))
    };
    let first = &report.lines[0];
    assert_eq!(first.code, "41-3021");
    let i = row_of(&occ, 0, "41-3021").expect("insurance sales agents listed");
    let row = &occ.rows().nth(i).unwrap();
    assert_eq!(row[1].to_string(), first.title);
    assert_eq!(row[2].as_f64(), first.employment, "employment");
    assert_eq!(
        row[7].as_f64(),
        first.annual[2].value(),
        "median annual wage"
    );
    assert!(occ.rows().count() >= 4 + report.lines.len());
    // A top-coded wage is words, never a number.
    if let Some(l) = report
        .lines
        .iter()
        .find(|l| l.annual[4] == sectorkit_data::oews::OewsValue::TopCoded)
    {
        let j = row_of(&occ, 0, &l.code).unwrap();
        assert_eq!(occ.rows().nth(j).unwrap()[9].to_string(), "top-coded");
    }
    // Staffing: the insurance block sums (with its not-allocated line) to the industry's
    // employment; crop production says it has no staffing pattern.
    let st = wb.worksheet_range("Staffing").unwrap();
    let ind = report.industries.iter().find(|x| x.naics == "524").unwrap();
    let total = ind.employment.unwrap();
    let block: f64 = st
        .rows()
        .filter(|r| r[0].get_string() == Some("524"))
        .filter_map(|r| r[3].as_f64())
        .sum();
    assert!((block - total).abs() < 0.5, "{block} vs {total}");
    let text: Vec<String> = st
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        text.iter().any(|t| t.contains("no staffing pattern")),
        "crop production explained: {text:?}"
    );
}
