//! The workbook read back with calamine (values, formulas) and unzipped (conditional formats),
//! built from the real BLS files of the shared data folder.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use sectorkit_core::codes::Period;
use sectorkit_core::targets::TargetTable;
use sectorkit_engine::table::figure_value;
use sectorkit_engine::targets::{TargetRequest, compute_targets, table_sources};
use sectorkit_export::{WorkbookInput, needs_assessment_workbook};
use std::io::{Cursor, Read};
use std::path::PathBuf;

fn shared(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(p.exists(), "shared data file missing: {}", p.display());
    p
}

fn request() -> TargetRequest {
    let mut req = TargetRequest::new("39049,39041", "2020Q1".parse::<Period>().unwrap());
    req.files = vec![
        shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz"),
        shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv"),
        shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39041.csv"),
    ];
    req
}

async fn build(
    req: &TargetRequest,
    edit: impl FnOnce(&mut TargetTable, &mut sectorkit_data::geo::Region),
) -> (TargetTable, Vec<u8>) {
    let (mut table, mut region) = compute_targets(None, req, None).await.unwrap();
    edit(&mut table, &mut region);
    let sources = table_sources(None, req).await.unwrap();
    let bytes = needs_assessment_workbook(&WorkbookInput {
        table: &table,
        region: &region,
        request: req,
        sources: &sources,
        occupations: None,
        occupation_sources: &[],
    })
    .unwrap();
    (table, bytes)
}

fn sheet_xml(bytes: &[u8], n: usize) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// Row (0-based) of an industry code in column A of a range.
fn find_row(range: &calamine::Range<Data>, code: &str) -> Option<usize> {
    range
        .rows()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == code))
}

fn num(range: &calamine::Range<Data>, row: usize, col: usize) -> Option<f64> {
    match range.get((row, col)) {
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(x)) => Some(*x as f64),
        _ => None,
    }
}

#[tokio::test]
async fn workbook_matches_the_engine_table() {
    let req = request();
    let (table, bytes) = build(&req, |_, _| {}).await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![
            "Cover",
            "Employment",
            "Wages",
            "Growth",
            "LQ",
            "Establishments",
            "Factors",
            "Highlighting",
            "Score"
        ]
    );

    // Cover: region, period, sources by file name.
    let cover = wb.worksheet_range("Cover").unwrap();
    let text: Vec<String> = cover
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(text.iter().any(|s| s == "2020Q1"), "{text:?}");
    assert!(text.iter().any(|s| s == "39041, 39049"), "{text:?}");
    assert!(text.iter().any(|s| s == "morpc-qcew-2020-1-39049.csv"));
    assert!(text.iter().any(|s| s == "qcew_2020_q1_area_US000.csv.gz"));

    // Employment: disclosed values equal the engine's; suppressed cells are empty, not 0.
    let emp = wb.worksheet_range("Employment").unwrap();
    let mut disclosed = 0;
    let mut suppressed = 0;
    for r in &table.rows {
        let row = find_row(&emp, r.industry_code.as_str()).unwrap();
        match figure_value(&r.employment) {
            Some(v) => {
                assert_eq!(num(&emp, row, 3), Some(v), "{}", r.industry_code);
                disclosed += 1;
            }
            None => {
                assert!(
                    matches!(emp.get((row, 3)), None | Some(Data::Empty)),
                    "suppressed {} must be empty, is {:?}",
                    r.industry_code,
                    emp.get((row, 3))
                );
                suppressed += 1;
            }
        }
    }
    assert!(disclosed > 20, "{disclosed}");
    assert!(
        suppressed > 0,
        "the two counties have suppressed industries"
    );
    // The suppression note is in the comments part.
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
    let names: Vec<String> = z.file_names().map(|n| n.unwrap().into_owned()).collect();
    let comments = names
        .iter()
        .find(|n| n.starts_with("xl/comments"))
        .expect("cell notes");
    let mut xml = String::new();
    z.by_name(comments)
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("suppressed by BLS: unknown, not zero"));

    // LQ and pay.
    let lq = wb.worksheet_range("LQ").unwrap();
    let wages = wb.worksheet_range("Wages").unwrap();
    for r in table
        .rows
        .iter()
        .filter(|r| r.lq_employment.is_some())
        .take(5)
    {
        let row = find_row(&lq, r.industry_code.as_str()).unwrap();
        assert_eq!(num(&lq, row, 2), r.lq_employment);
        let row = find_row(&wages, r.industry_code.as_str()).unwrap();
        assert_eq!(num(&wages, row, 3), r.avg_annual_pay);
    }

    // Score: ranks, score and position are formulas; cached values are the engine's.
    let score = wb.worksheet_range("Score").unwrap();
    let formulas = wb.worksheet_formula("Score").unwrap();
    let ranked = table.ranked_rows();
    assert!(!ranked.is_empty());
    let start = formulas.start().unwrap();
    let f_at = |row: usize, col: usize| -> String {
        match (
            row.checked_sub(start.0 as usize),
            col.checked_sub(start.1 as usize),
        ) {
            (Some(r), Some(c)) => formulas.get((r, c)).cloned().unwrap_or_default(),
            _ => String::new(),
        }
    };
    for r in &ranked {
        let row = find_row(&score, r.industry_code.as_str()).unwrap();
        let k = r.ranking.as_ref().unwrap();
        for col in 7..=11 {
            assert!(f_at(row, col).contains("RANK.AVG("), "{}", f_at(row, col));
        }
        assert!(f_at(row, 12).contains("SUMPRODUCT("), "{}", f_at(row, 12));
        assert!(f_at(row, 13).contains("SUMPRODUCT("), "{}", f_at(row, 13));
        let s = num(&score, row, 12).unwrap();
        assert!((s - k.score.unwrap()).abs() < 1e-9);
        assert_eq!(num(&score, row, 13), k.position.map(|p| p as f64));
        assert_eq!(num(&score, row, 7), k.ranks.employment);
    }
    // The weights are input cells (numbers, not formulas) above the rank columns.
    for col in 7..=11 {
        assert_eq!(num(&score, 3, col), Some(1.0));
        assert!(f_at(3, col).is_empty());
    }
    // Score formulas reference the weight cells.
    let any = find_row(&score, ranked[0].industry_code.as_str()).unwrap();
    assert!(f_at(any, 12).contains("$H$4:$L$4"), "{}", f_at(any, 12));

    // Highlighting: real conditional formats (15 factor rules + the row rule).
    let xml = sheet_xml(&bytes, 8);
    let n = xml.matches("<conditionalFormatting").count();
    assert_eq!(n, 16, "conditional formats on Highlighting");
    assert!(xml.contains("MEDIAN("));
    assert!(xml.contains("ROUNDUP(COUNT("));
    assert!(xml.contains("&lt;=$B$3"));
}

#[tokio::test]
async fn text_that_looks_like_a_formula_stays_text() {
    let req = request();
    let evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
    let (table, bytes) = build(&req, |t, region| {
        t.rows[0].industry_title = evil.to_string();
        region.name = "+cmd|' /C calc'!A0".to_string();
    })
    .await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let emp = wb.worksheet_range("Employment").unwrap();
    let row = find_row(&emp, table.rows[0].industry_code.as_str()).unwrap();
    assert_eq!(emp.get((row, 1)), Some(&Data::String(evil.to_string())));
    let formulas = wb.worksheet_formula("Employment").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula on a data tab"
    );
    let cover = wb.worksheet_range("Cover").unwrap();
    assert!(
        cover
            .used_cells()
            .any(|(_, _, d)| d == &Data::String("+cmd|' /C calc'!A0".into()))
    );
    assert!(
        wb.worksheet_formula("Cover")
            .unwrap()
            .used_cells()
            .all(|(_, _, f)| f.is_empty())
    );
    // Stored with Excel's quote prefix.
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
    let mut styles = String::new();
    z.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("quotePrefix=\"1\""));
}
