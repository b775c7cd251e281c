//! The EP reader on the real BLS workbook `occupation.xlsx` (2024–34) and on the CSV tables
//! extracted from it (`shared/data/bls_ep_2024_34`): every line of Tables 1.2 and 1.10 read from
//! the workbook equals the CSV's, the SOURCE.md oracle holds, and bad input (in a copy of the
//! workbook and in CSV text) gives errors that name file, sheet, row and column.

mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use common::shared;
use sectorkit_data::ep::{
    self, EpErrorKind, EpOccupation, EpSeparations, EpTable, EpWage, EpXlsx, OccupationType,
    OnTheJobTraining, TypicalEducation, WorkExperience,
};

const XLSX: &str = "bls_ep_2024_34/ep_2024-34_occupation.xlsx";
const CSV_12: &str = "bls_ep_2024_34/ep_2024-34_table1.2_occupational_projections.csv";
const CSV_110: &str = "bls_ep_2024_34/ep_2024-34_table1.10_separations_openings.csv";

fn workbook() -> ep::EpWorkbook {
    let p = shared(XLSX);
    ep::read_workbook(&p).unwrap_or_else(|e| panic!("{e}"))
}

fn csv12() -> EpTable<EpOccupation> {
    let p = shared(CSV_12);
    ep::read_projections_csv(&p.display().to_string(), ep::open_csv(&p).unwrap())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn csv110() -> EpTable<EpSeparations> {
    let p = shared(CSV_110);
    ep::read_separations_csv(&p.display().to_string(), ep::open_csv(&p).unwrap())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn workbook_has_the_indexed_sheets_and_no_attainment_table() {
    let wb = workbook();
    assert_eq!(wb.sheets[0], "Index");
    assert!(wb.sheets.iter().any(|s| s == "Table 1.2"));
    assert!(wb.sheets.iter().any(|s| s == "Table 1.10"));
    assert!(
        !wb.sheets.iter().any(|s| s.starts_with("Table 5")),
        "the 2024-34 occupation.xlsx has no 5.x (attainment) tables: {:?}",
        wb.sheets
    );
}

/// Everything but the row number (the workbook has a title row above the header).
fn same_12(a: &EpOccupation, b: &EpOccupation) -> bool {
    EpOccupation {
        row: 0,
        ..a.clone()
    } == EpOccupation {
        row: 0,
        ..b.clone()
    }
}

fn same_110(a: &EpSeparations, b: &EpSeparations) -> bool {
    EpSeparations {
        row: 0,
        ..a.clone()
    } == EpSeparations {
        row: 0,
        ..b.clone()
    }
}

#[test]
fn table_1_2_workbook_equals_csv_line_by_line() {
    let wb = workbook().projections;
    let csv = csv12();
    assert_eq!(wb.years, csv.years);
    assert_eq!((wb.years.base, wb.years.projected), (2024, 2034));
    assert_eq!(wb.rows.len(), 1_113);
    assert_eq!(csv.rows.len(), 1_113);
    // Workbook: footnotes, note and source below the table; the CSV has none.
    assert_eq!(wb.footnote_rows, 4);
    assert_eq!(csv.footnote_rows, 0);
    for (a, b) in wb.rows.iter().zip(&csv.rows) {
        assert!(
            same_12(a, b),
            "workbook row {}:\n{a:?}\nCSV line {}:\n{b:?}",
            a.row,
            b.row
        );
        assert_eq!(a.row, b.row + 1);
    }
    let first = &wb.rows[0];
    assert_eq!(first.row, 3, "header found below the title row");
}

#[test]
fn table_1_10_workbook_equals_csv_line_by_line() {
    let wb = workbook().separations;
    let csv = csv110();
    assert_eq!(wb.years, csv.years);
    assert_eq!(wb.rows.len(), 1_113);
    assert_eq!(csv.rows.len(), 1_113);
    assert_eq!(wb.footnote_rows, 1);
    for (a, b) in wb.rows.iter().zip(&csv.rows) {
        assert!(
            same_110(a, b),
            "workbook row {}:\n{a:?}\nCSV line {}:\n{b:?}",
            a.row,
            b.row
        );
    }
}

#[test]
fn tables_1_2_and_1_10_describe_the_same_occupations() {
    let wb = workbook();
    for (p, s) in wb.projections.rows.iter().zip(&wb.separations.rows) {
        assert_eq!((&p.code, &p.title, p.indent), (&s.code, &s.title, s.indent));
        assert_eq!(p.employment_base, s.employment_base, "{}", p.code);
        assert_eq!(p.openings_annual, s.openings_annual, "{}", p.code);
    }
}

fn sum(xs: impl Iterator<Item = f64>) -> f64 {
    (xs.sum::<f64>() * 10.0).round() / 10.0
}

#[test]
fn source_md_oracle() {
    let t = workbook().projections;
    let total = &t.rows[0];
    assert_eq!(total.code, "00-0000");
    assert_eq!(total.title, "Total, all occupations");
    assert_eq!(total.indent, 0);
    assert_eq!(total.occupation_type, OccupationType::Summary);
    assert_eq!(total.employment_base, Some(169_956.1));
    assert_eq!(total.openings_annual, Some(18_863.3));
    assert_eq!(total.median_wage, EpWage::Annual(49_500.0));
    assert_eq!(total.education, None, "`—` is None, never a category");

    let items: Vec<&EpOccupation> = t
        .rows
        .iter()
        .filter(|r| r.occupation_type == OccupationType::LineItem)
        .collect();
    assert_eq!(items.len(), 832);
    assert_eq!(
        sum(items.iter().map(|r| r.employment_base.unwrap())),
        169_956.4
    );
    assert_eq!(
        sum(items.iter().map(|r| r.openings_annual.unwrap())),
        18_861.6
    );

    let mut by_edu: BTreeMap<TypicalEducation, usize> = BTreeMap::new();
    for r in &items {
        *by_edu
            .entry(r.education.expect("every line item has a category"))
            .or_default() += 1;
    }
    use TypicalEducation::*;
    let expected = [
        (HighSchool, 326),
        (Bachelor, 178),
        (NoFormalCredential, 109),
        (DoctoralProfessional, 73),
        (PostsecondaryNondegree, 51),
        (Associate, 48),
        (Master, 40),
        (SomeCollege, 7),
    ];
    for (e, n) in expected {
        assert_eq!(by_edu.get(&e), Some(&n), "{e}");
    }
    assert_eq!(by_edu.len(), 8);
    // Summaries carry no categories.
    assert!(
        t.rows
            .iter()
            .filter(|r| r.occupation_type == OccupationType::Summary)
            .all(|r| r.education.is_none() && r.work_experience.is_none() && r.training.is_none())
    );
    // Work experience and training are typed for every line item.
    assert!(
        items
            .iter()
            .all(|r| r.work_experience.is_some() && r.training.is_some())
    );
    let n = |w: WorkExperience| {
        items
            .iter()
            .filter(|r| r.work_experience == Some(w))
            .count()
    };
    assert_eq!(
        (
            n(WorkExperience::None),
            n(WorkExperience::LessThan5Years),
            n(WorkExperience::FiveYearsOrMore)
        ),
        (716, 88, 28)
    );
    let o = |w: OnTheJobTraining| items.iter().filter(|r| r.training == Some(w)).count();
    assert_eq!(o(OnTheJobTraining::Apprenticeship), 15);
    assert_eq!(o(OnTheJobTraining::InternshipResidency), 36);
}

#[test]
fn special_values_are_kept() {
    let t = workbook().projections;
    let top = t
        .rows
        .iter()
        .filter(|r| r.median_wage == EpWage::AtLeast(239_200.0))
        .count();
    assert_eq!(top, 19, "`>=$239,200` top-coded wages");
    let na = t
        .rows
        .iter()
        .filter(|r| r.median_wage == EpWage::NotAvailable)
        .count();
    assert_eq!(na, 9);
    assert!(t.rows.iter().all(|r| r.median_wage != EpWage::Annual(0.0)));
    let no_self = t
        .rows
        .iter()
        .filter(|r| r.self_employed_pct.is_none())
        .count();
    assert_eq!(no_self, 219, "`—` percent self employed stays None");
    let chief = t.rows.iter().find(|r| r.code == "11-1011").unwrap();
    assert_eq!(chief.title, "Chief executives");
    assert_eq!(chief.indent, 3);
    assert_eq!(chief.employment_base, Some(309.4));
    assert_eq!(chief.education, Some(TypicalEducation::Bachelor));
    assert_eq!(chief.work_experience, Some(WorkExperience::FiveYearsOrMore));
    assert_eq!(chief.training, Some(OnTheJobTraining::None));
    let decline = t.rows.iter().find(|r| r.code == "53-7073").unwrap();
    assert_eq!(decline.change, Some(-0.9), "negative changes parse");
}

#[test]
fn openings_are_change_plus_exits_plus_transfers() {
    // The reader does no arithmetic; this checks the columns are the ones METHODS §6 means.
    let t = workbook().separations;
    let total = &t.rows[0];
    assert_eq!(total.exits, Some(8_155.0));
    assert_eq!(total.transfers, Some(10_187.1));
    let yearly_change = total.change.unwrap() / 10.0;
    let openings = yearly_change + total.exits.unwrap() + total.transfers.unwrap();
    assert!(
        (openings - total.openings_annual.unwrap()).abs() < 0.2,
        "{openings}"
    );
}

// ----- bad input ----------------------------------------------------------------------------

/// A copy of the real workbook with `edit` applied to the named member.
fn edited_workbook(member: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let bytes = std::fs::read(shared(XLSX)).unwrap();
    let mut src = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut changed = false;
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name == member {
                let text = String::from_utf8(data).unwrap();
                let new = edit(&text);
                assert_ne!(new, text, "the edit changed nothing");
                data = new.into_bytes();
                changed = true;
            }
            z.start_file(name, opts).unwrap();
            z.write_all(&data).unwrap();
        }
        assert!(changed, "no member {member}");
        z.finish().unwrap();
    }
    out.into_inner()
}

fn open_edited(bytes: Vec<u8>) -> EpXlsx<Cursor<Vec<u8>>> {
    EpXlsx::new("edited.xlsx", Cursor::new(bytes)).unwrap()
}

#[test]
fn workbook_unknown_category_names_sheet_row_and_column() {
    let bytes = edited_workbook("xl/sharedStrings.xml", |s| {
        s.replace("<t>Some college, no degree</t>", "<t>Some college</t>")
    });
    let e = open_edited(bytes).projections("Table 1.2").unwrap_err();
    assert!(
        matches!(e.kind(), EpErrorKind::UnknownCategory { .. }),
        "{e}"
    );
    assert_eq!(e.file(), "edited.xlsx");
    assert_eq!(e.sheet(), Some("Table 1.2"));
    assert_eq!(e.column(), Some("Typical education needed for entry (M)"));
    let row = e.row().unwrap();
    // The first line item with that label, in the CSV (one line above in the workbook).
    let csv = csv12();
    let first = csv
        .rows
        .iter()
        .find(|r| r.education == Some(TypicalEducation::SomeCollege))
        .unwrap();
    assert_eq!(row, first.row + 1);
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!(
            "edited.xlsx, sheet \"Table 1.2\", row {row}, column Typical education needed for entry (M): unknown typical education label \"Some college\""
        )),
        "{msg}"
    );
}

#[test]
fn workbook_non_numeric_number_names_sheet_row_and_column() {
    let bytes = edited_workbook("xl/worksheets/sheet3.xml", |s| {
        s.replace(
            "<c r=\"D3\" s=\"4\"><v>169956.1</v></c>",
            "<c r=\"D3\" s=\"4\" t=\"inlineStr\"><is><t>169,956.1 (est.)</t></is></c>",
        )
    });
    let e = open_edited(bytes).projections("Table 1.2").unwrap_err();
    assert!(
        matches!(e.kind(), EpErrorKind::NotANumber(s) if s == "169,956.1 (est.)"),
        "{e}"
    );
    assert_eq!(e.sheet(), Some("Table 1.2"));
    assert_eq!(e.row(), Some(3));
    assert_eq!(e.column(), Some("Employment, 2024 (D)"));
}

#[test]
fn workbook_missing_header_names_the_sheet() {
    let bytes = edited_workbook("xl/sharedStrings.xml", |s| {
        s.replace(
            "<t>2024 National Employment Matrix code</t>",
            "<t>2024 code</t>",
        )
    });
    let mut wb = open_edited(bytes);
    let e = wb.separations("Table 1.10").unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::MissingHeader(_)), "{e}");
    assert_eq!(e.sheet(), Some("Table 1.10"));
    assert!(e.to_string().contains("no header row found"), "{e}");
    let e = wb.projections("Table 9.9").unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::NoSheet { .. }), "{e}");
    assert!(
        e.to_string().contains("Table 1.12"),
        "lists the sheets: {e}"
    );
}

#[test]
fn not_a_workbook() {
    let Err(e) = EpXlsx::new("x.xlsx", Cursor::new(b"not a zip".to_vec())) else {
        panic!("read garbage")
    };
    assert!(matches!(e.kind(), EpErrorKind::Xlsx(_)), "{e}");
}

const CSV_HEAD: &str = "2024 National Employment Matrix title,2024 National Employment Matrix code,Occupation type,\"Employment, 2024\",\"Employment, 2034\",\"Employment distribution, percent, 2024\",\"Employment distribution, percent, 2034\",\"Employment change, numeric, 2024–34\",\"Employment change, percent, 2024–34\",\"Percent self employed, 2024\",\"Occupational openings, 2024–34 annual average\",\"Median annual wage, dollars, 2024[1]\",Typical education needed for entry,Work experience in a related occupation,Typical on-the-job training needed to attain competency in the occupation,Related Occupational Outlook Handbook (OOH) content xlsx";
const CSV_ROW: &str = "      Chief executives,11-1011,Line item,309.4,322.7,0.2,0.2,13.3,4.3,25.9,22.2,206420,Bachelor's degree,5 years or more,None,OOH Content";

fn read12(text: &str) -> Result<EpTable<EpOccupation>, ep::EpError> {
    ep::read_projections_csv("t12.csv", text.as_bytes())
}

#[test]
fn csv_with_title_and_footnotes_reads() {
    let text = format!(
        "Table 1.2 Occupational projections (Employment in thousands)\n{CSV_HEAD}\n{CSV_ROW}\n\nFootnotes:\n[1] Data are from OEWS.\n"
    );
    let t = read12(&text).unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].row, 3);
    assert_eq!(t.footnote_rows, 2);
    // A data row below the footnotes is an error, not silently dropped.
    let text = format!("{CSV_HEAD}\n{CSV_ROW}\nSource: BLS\n{CSV_ROW}\n");
    let e = read12(&text).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::RowAfterFootnotes(3)), "{e}");
    assert_eq!(e.row(), Some(4));
}

#[test]
fn csv_errors_name_file_line_and_column() {
    let bad = CSV_ROW.replace("Bachelor's degree", "Bachelors");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(matches!(
        e.kind(),
        EpErrorKind::UnknownCategory {
            what: "typical education",
            ..
        }
    ));
    assert_eq!((e.file(), e.sheet(), e.row()), ("t12.csv", None, Some(2)));
    assert_eq!(e.column(), Some("Typical education needed for entry"));
    assert!(
        e.to_string().starts_with(
            "t12.csv, row 2, column Typical education needed for entry: unknown typical education label \"Bachelors\""
        ),
        "{e}"
    );

    let bad = CSV_ROW.replace(",5 years or more,", ",Ten years,");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert_eq!(e.column(), Some("Work experience in a related occupation"));

    let bad = CSV_ROW.replace(",None,OOH", ",Some,OOH");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(
        e.column()
            .unwrap()
            .starts_with("Typical on-the-job training")
    );

    let bad = CSV_ROW.replace("309.4", "3o9.4");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::NotANumber(s) if s == "3o9.4"));
    assert_eq!(e.column(), Some("Employment, 2024"));

    let bad = CSV_ROW.replace("206420", "about 200k");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::BadWage(_)));

    let bad = CSV_ROW.replace("Line item", "Detail");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::BadOccupationType(_)));
    assert_eq!(e.column(), Some("Occupation type"));

    let bad = CSV_ROW.replace("11-1011", "111011");
    let e = read12(&format!("{CSV_HEAD}\n{bad}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::BadCode(_)));

    // Missing header.
    let e = read12(&format!("{CSV_ROW}\n{CSV_ROW}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::MissingHeader(_)), "{e}");
    assert!(
        e.to_string().starts_with("t12.csv: no header row found"),
        "{e}"
    );

    // A header without a needed column.
    let head = CSV_HEAD.replace("Typical education needed for entry", "Education");
    let e = read12(&format!("{head}\n{CSV_ROW}\n")).unwrap_err();
    assert!(
        matches!(e.kind(), EpErrorKind::MissingColumns(m) if m == &["Typical education needed for entry"]),
        "{e}"
    );
    assert_eq!(e.row(), Some(1));

    // Table 1.2 is not Table 1.10.
    let e = ep::read_separations_csv("t.csv", format!("{CSV_HEAD}\n{CSV_ROW}\n").as_bytes())
        .unwrap_err();
    assert!(e.to_string().contains("Labor force exit rate"), "{e}");

    // Only a header.
    let e = read12(&format!("{CSV_HEAD}\n")).unwrap_err();
    assert!(matches!(e.kind(), EpErrorKind::NoRows));
}
