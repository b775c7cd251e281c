//! Bad and awkward input: truncated archives, foreign headers, malformed values (each error must
//! name file, entry, line and field), BOM + CRLF, unquoted pandas files, compression detected
//! from content, the early filter, and the visitor refusing a row.

mod common;

use std::convert::Infallible;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use common::{fixture, read_all, read_filtered};
use sectorkit_core::codes::{Ownership, Period, Quarter};
use sectorkit_data::qcew::{
    Compression, LayoutKind, QcewError, QcewErrorKind, QcewRow, ReadOptions, RowFilter, read_path,
    read_reader,
};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read_err(path: &Path) -> QcewError {
    match read_path(path, ReadOptions::new(), |_| Ok::<(), Infallible>(())) {
        Ok(s) => panic!("{} read without error: {s:?}", path.display()),
        Err(e) => e,
    }
}

fn bytes_err(name: &str, bytes: &[u8]) -> QcewError {
    read_reader(name, Cursor::new(bytes), ReadOptions::new(), |_| {
        Ok::<(), Infallible>(())
    })
    .expect_err("must fail")
}

fn rows_of(name: &str, bytes: &[u8]) -> Vec<QcewRow> {
    let mut rows = Vec::new();
    read_reader(name, Cursor::new(bytes), ReadOptions::new(), |r| {
        rows.push(r);
        Ok::<(), Infallible>(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    rows
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Truncation and corruption
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_gzip_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(fixture("annual_untitled.csv.gz")).unwrap();
    for (name, cut) in [
        ("half.csv.gz", gz.len() / 2),
        ("no_trailer.csv.gz", gz.len() - 4),
        ("header_only.csv.gz", 12),
    ] {
        let e = read_err(&write(dir.path(), name, &gz[..cut]));
        assert_eq!(e.file(), name);
        assert!(
            matches!(
                e.kind(),
                QcewErrorKind::Truncated(_) | QcewErrorKind::Corrupt(_)
            ),
            "{name}: {e}"
        );
        assert!(e.to_string().starts_with(name), "{e}");
    }
    let e = read_err(&write(dir.path(), "half.csv.gz", &gz[..gz.len() / 2]));
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn truncated_zip_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let zip = std::fs::read(fixture("quarterly_titled.zip")).unwrap();
    for cut in [zip.len() * 3 / 5, zip.len() - 10, 100] {
        let e = read_err(&write(dir.path(), "cut.zip", &zip[..cut]));
        assert_eq!(e.file(), "cut.zip");
        assert!(matches!(e.kind(), QcewErrorKind::Zip(_)), "{cut}: {e}");
        assert!(e.to_string().contains("not a readable zip archive"), "{e}");
    }
}

#[test]
fn corrupt_zip_member_names_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = std::fs::read(fixture("quarterly_untitled.zip")).unwrap();
    // Inside the member's deflate data (local header 30 bytes + name 17 bytes).
    for b in &mut zip[200..260] {
        *b ^= 0x5a;
    }
    let e = read_err(&write(dir.path(), "bad.zip", &zip));
    assert_eq!(e.entry(), Some("2024.q1.US000.csv"), "{e}");
    assert!(
        e.to_string()
            .starts_with("bad.zip, entry \"2024.q1.US000.csv\""),
        "{e}"
    );
}

#[test]
fn zip_members_that_are_not_csv_are_skipped_and_listed() {
    let csv = std::fs::read(fixture("annual_untitled.csv")).unwrap();
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("readme.txt", opts).unwrap();
        z.write_all(b"not data").unwrap();
        z.start_file("data/A.CSV", opts).unwrap();
        z.write_all(&csv).unwrap();
        z.finish().unwrap();
    }
    let mut n = 0;
    let s = read_reader(
        "stored.zip",
        Cursor::new(buf.get_ref()),
        ReadOptions::new(),
        |_| {
            n += 1;
            Ok::<(), Infallible>(())
        },
    )
    .unwrap();
    assert_eq!(
        (s.entries.as_slice(), s.skipped_entries.as_slice()),
        (
            &["data/A.CSV".to_string()][..],
            &["readme.txt".to_string()][..]
        )
    );
    assert_eq!(n, 48);

    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
    }
    let e = bytes_err("nocsv.zip", buf.get_ref());
    assert!(matches!(e.kind(), QcewErrorKind::NoCsvInArchive), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

#[test]
fn a_foreign_header_is_refused_with_the_missing_columns() {
    // The BLS area titles: a real CSV, but not QCEW data.
    let titles = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/geo/area_titles.csv");
    let e = read_err(&titles);
    let QcewErrorKind::UnknownLayout { missing, .. } = e.kind() else {
        panic!("{e}")
    };
    assert!(missing.contains(&"own_code".to_string()));
    assert!(missing.contains(&"annual_avg_estabs or annual_avg_estabs_count".to_string()));
    assert!(!missing.contains(&"area_fips".to_string()));
    assert_eq!(e.line(), Some(1));
    assert!(
        e.to_string()
            .starts_with("area_titles.csv: line 1: not a QCEW CSV: the header lacks required columns of the annual layout: own_code, industry_code"),
        "{e}"
    );
}

#[test]
fn a_header_missing_one_column_names_it() {
    let text = fixture_text("quarterly_untitled.csv").replacen(
        "\"lq_month2_emplvl\"",
        "\"lq_month_2\"",
        1,
    );
    let e = bytes_err("q.csv", text.as_bytes());
    insta::assert_snapshot!(e.to_string(), @"q.csv: line 1: not a QCEW CSV: the header lacks required columns of the quarterly layout: lq_month2_emplvl");
}

#[test]
fn empty_and_header_only_files() {
    let e = bytes_err("empty.csv", b"");
    assert!(matches!(e.kind(), QcewErrorKind::Empty), "{e}");
    assert_eq!(e.to_string(), "empty.csv: the file is empty: no header row");
    let e = bytes_err("blank.csv", b"\r\n\r\n");
    assert!(matches!(e.kind(), QcewErrorKind::Empty), "{e}");

    let header = fixture_text("annual_untitled.csv")
        .lines()
        .next()
        .unwrap()
        .to_string();
    for body in [
        format!("{header}\r\n"),
        header.clone(),
        format!("{header}\n\n\n"),
    ] {
        let e = bytes_err("header.csv", body.as_bytes());
        assert!(matches!(e.kind(), QcewErrorKind::NoDataRows), "{e}");
        assert!(e.to_string().contains("header.csv"), "{e}");
    }
    // A gzip of an empty file.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"").unwrap();
    let e = bytes_err("empty.csv.gz", &gz.finish().unwrap());
    assert!(matches!(e.kind(), QcewErrorKind::Empty), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Values: each error names file, line and field and quotes the value
// ---------------------------------------------------------------------------------------------

/// Replaces field `col` (0-based) of physical line `line` (1-based) of a fixture.
fn with_field(name: &str, line: usize, col: usize, value: &str) -> String {
    let text = fixture_text(name);
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let end = l.trim_end_matches(['\r', '\n']);
            let mut fields: Vec<String> = end.split(',').map(str::to_string).collect();
            fields[col] = value.to_string();
            out.push_str(&fields.join(","));
            out.push_str(&l[end.len()..]);
        } else {
            out.push_str(l);
        }
    }
    out
}

#[test]
fn non_numeric_value_names_file_line_and_field() {
    let text = with_field("annual_untitled.csv", 7, 9, "12x");
    let e = bytes_err("2020.annual.singlefile.csv", text.as_bytes());
    assert_eq!((e.line(), e.field()), (Some(7), Some("annual_avg_emplvl")));
    insta::assert_snapshot!(e.to_string(), @r#"2020.annual.singlefile.csv: line 7, field annual_avg_emplvl: "12x" is not a whole non-negative number"#);

    // Same line number with LF line ends.
    let lf = with_field("annual_untitled.csv", 7, 9, "12x").replace("\r\n", "\n");
    assert_eq!(bytes_err("lf.csv", lf.as_bytes()).line(), Some(7));

    let text = with_field("quarterly_untitled.csv", 3, 18, "\"1.0O\"");
    let e = bytes_err("q.csv", text.as_bytes());
    insta::assert_snapshot!(e.to_string(), @r#"q.csv: line 3, field lq_month1_emplvl: "1.0O" is not a number"#);

    let text = with_field("annual_untitled.csv", 2, 26, "-38,413");
    let e = bytes_err("a.csv", text.as_bytes());
    assert!(
        matches!(
            e.kind(),
            QcewErrorKind::FieldCount {
                expected: 38,
                found: 39
            }
        ),
        "{e}"
    );
    assert_eq!(e.line(), Some(2));
}

#[test]
fn bad_value_in_a_zip_member_names_the_entry() {
    let text = with_field("annual_untitled.csv", 5, 10, "4.5e");
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(
            "2020.annual.singlefile.csv",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(text.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let e = bytes_err("2020_annual_singlefile.zip", buf.get_ref());
    insta::assert_snapshot!(e.to_string(), @r#"2020_annual_singlefile.zip, entry "2020.annual.singlefile.csv": line 5, field total_annual_wages: "4.5e" is not a whole non-negative number"#);
}

#[test]
fn bad_codes_are_clear_errors() {
    let cases = [
        (1, "6", "own_code", "unknown ownership code \"6\""),
        (0, "3904", "area_fips", "invalid QCEW area code \"3904\""),
        (0, "XX049", "area_fips", "invalid QCEW area code \"XX049\""),
        (
            2,
            "3361x",
            "industry_code",
            "invalid industry code \"3361x\"",
        ),
        (
            3,
            "7",
            "agglvl_code",
            "\"7\" is not an aggregation level (two digits)",
        ),
        (
            4,
            "00",
            "size_code",
            "\"00\" is not a size code (one digit)",
        ),
        (5, "20x0", "year", "invalid period \"20x0 A\""),
        (
            6,
            "1",
            "qtr",
            "\"1\" is not A, the only quarter code of an annual-layout file",
        ),
        (
            7,
            "X",
            "disclosure_code",
            "\"X\" is not a disclosure code (blank, N or -)",
        ),
        (
            15,
            "Y",
            "lq_disclosure_code",
            "\"Y\" is not a disclosure code",
        ),
    ];
    for (col, value, field, message) in cases {
        let text = with_field("annual_untitled.csv", 4, col, value);
        let e = bytes_err("a.csv", text.as_bytes());
        assert_eq!((e.line(), e.field()), (Some(4), Some(field)), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("a.csv: line 4, field {field}: ")),
            "{e}"
        );
        assert!(e.to_string().contains(message), "{e}");
    }
    // Quarterly files need quarters 1-4.
    for (value, message) in [
        ("\"5\"", "invalid period \"2024 5\""),
        ("\"A\"", "\"A\" is not a quarter 1-4"),
    ] {
        let text = with_field("quarterly_untitled.csv", 2, 6, value);
        let e = bytes_err("q.csv", text.as_bytes());
        assert_eq!(e.field(), Some("qtr"), "{e}");
        assert!(e.to_string().contains(message), "{e}");
    }
    // Bytes that are not UTF-8 in a code field.
    let mut bytes = fixture_text("annual_untitled.csv").into_bytes();
    let pos = bytes.windows(5).position(|w| w == b"\n3904").unwrap() + 1;
    bytes[pos + 1] = 0xff;
    let e = bytes_err("a.csv", &bytes);
    assert_eq!(e.field(), Some("area_fips"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Formats that must simply work
// ---------------------------------------------------------------------------------------------

#[test]
fn bom_and_crlf_or_lf_parse_identically() {
    let text = fixture_text("quarterly_untitled.csv");
    assert!(text.contains("\r\n") && text.starts_with("\"area_fips\""));
    let reference = rows_of("q.csv", text.as_bytes());
    assert_eq!(reference.len(), 49);
    let bom = format!("\u{feff}{text}");
    assert_eq!(rows_of("bom.csv", bom.as_bytes()), reference);
    let lf = text.replace("\r\n", "\n");
    assert_eq!(rows_of("lf.csv", lf.as_bytes()), reference);
    let bom_lf = format!("\u{feff}{lf}");
    assert_eq!(rows_of("bom_lf.csv", bom_lf.as_bytes()), reference);
    // Unquoted BOM file (pandas with encoding="utf-8-sig"), and a trailing blank line.
    let unquoted = format!("\u{feff}{}\r\n", text.replace('"', ""));
    assert_eq!(rows_of("bom_unquoted.csv", unquoted.as_bytes()), reference);
}

#[test]
fn pandas_style_unquoted_file_with_short_decimals() {
    // The annual fixture is a pandas re-save: unquoted, `1.0` for BLS `1.00`.
    let text = fixture_text("annual_untitled.csv");
    assert!(!text.contains('"') && text.contains(",1.0,"));
    let rows = rows_of("a.csv", text.as_bytes());
    assert_eq!(rows[0].lq.estabs, Some(1.0));
    assert_eq!(rows[1].lq.estabs, Some(0.48));
    assert_eq!(rows[1].lq.total_wages, Some(0.8));
    // The same rows quoted the BLS way parse identically.
    let quoted: String = text
        .split_inclusive('\n')
        .map(|l| {
            let end = l.trim_end_matches(['\r', '\n']);
            let q: Vec<String> = end.split(',').map(|f| format!("\"{f}\"")).collect();
            format!("{}{}", q.join(","), &l[end.len()..])
        })
        .collect();
    assert_eq!(rows_of("quoted.csv", quoted.as_bytes()), rows);
    // Integer columns written as floats (`12.0`) by pandas are read as the integers.
    let floaty = with_field("annual_untitled.csv", 2, 9, "727016.0");
    assert_eq!(
        rows_of("f.csv", floaty.as_bytes())[0].employment,
        Some(727016)
    );
}

#[test]
fn compression_is_detected_from_content_not_name() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(fixture("annual_untitled.csv.gz")).unwrap();
    let zip = std::fs::read(fixture("quarterly_titled.zip")).unwrap();
    let csv = std::fs::read(fixture("annual_untitled.csv")).unwrap();
    for (name, bytes, want, rows) in [
        ("looks_plain.csv", &gz, Compression::Gzip, 48),
        ("download.bin", &zip, Compression::Zip, 70),
        ("not_really.csv.gz", &csv, Compression::None, 48),
        ("not_really.zip", &csv, Compression::None, 48),
    ] {
        let (s, _) = read_all(&write(dir.path(), name, bytes));
        assert_eq!((s.compression, s.rows), (want, rows), "{name}");
    }
}

#[test]
fn several_quarters_in_one_file() {
    let (s, rows) = read_all(&fixture("quarterly_titled.csv"));
    assert_eq!(s.layout().unwrap().kind, LayoutKind::QuarterlyTitled);
    assert_eq!(s.periods.len(), 4);
    assert_eq!(s.periods[3], Period::Quarter(2016, Quarter::Q4));
    assert!(
        rows.iter()
            .any(|r| r.period == Period::Quarter(2016, Quarter::Q3))
    );
}

#[test]
fn columns_in_another_order_and_extra_columns() {
    // Reverse the column order and add a column: mapping is by name.
    let text = fixture_text("annual_untitled.csv");
    let shuffled: String = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            let end = l.trim_end_matches(['\r', '\n']);
            let mut f: Vec<&str> = end.split(',').collect();
            f.reverse();
            f.push(if i == 0 { "note" } else { "x" });
            format!("{}{}", f.join(","), &l[end.len()..])
        })
        .collect();
    assert_eq!(
        rows_of("s.csv", shuffled.as_bytes()),
        rows_of("a.csv", text.as_bytes())
    );
}

// ---------------------------------------------------------------------------------------------
// Filter and visitor
// ---------------------------------------------------------------------------------------------

#[test]
fn the_filter_skips_rows_before_parsing() {
    let path = fixture("annual_titled.zip");
    let f = RowFilter::all()
        .areas(["39041".parse().unwrap()])
        .ownerships([Ownership::TotalCovered, Ownership::Private])
        .agglvl(70..=74);
    let (s, rows) = read_filtered(&path, &f);
    assert_eq!(s.rows, 88);
    assert!(
        s.rows_matched > 0 && s.rows_matched < 42,
        "{}",
        s.rows_matched
    );
    assert!(rows.iter().all(|r| r.area.as_str() == "39041"
        && matches!(r.ownership, Ownership::TotalCovered | Ownership::Private)
        && (70..=74).contains(&r.agglvl)));
    assert_eq!(s.areas_seen, 1);

    // A malformed row outside the filter is not even looked at.
    let text = with_field("annual_untitled.csv", 4, 9, "garbage");
    let only_total = RowFilter::all()
        .industries(["10".parse().unwrap()])
        .ownerships([Ownership::TotalCovered]);
    let mut n = 0;
    let s = read_reader(
        "a.csv",
        Cursor::new(text.as_bytes()),
        ReadOptions::new().filter(&only_total),
        |r| {
            assert_eq!(r.employment, Some(727016));
            n += 1;
            Ok::<(), Infallible>(())
        },
    )
    .unwrap();
    assert_eq!(
        (n, s.rows, s.rows_matched, s.suppressed_rows),
        (1, 48, 1, 0)
    );
}

#[test]
fn the_visitor_can_stop_the_read() {
    let mut seen = 0;
    let e = read_path(
        fixture("quarterly_titled.csv.gz"),
        ReadOptions::new(),
        |r| {
            seen += 1;
            if seen == 3 {
                return Err(format!("refusing {} {}", r.area, r.period));
            }
            Ok(())
        },
    )
    .unwrap_err();
    assert_eq!(seen, 3);
    assert!(matches!(e.kind(), QcewErrorKind::Visitor(_)));
    assert_eq!(e.line(), Some(4));
    insta::assert_snapshot!(e.to_string(), @"quarterly_titled.csv.gz: line 4: the row was rejected by the caller: refusing 39049 2016Q3");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let e = read_err(Path::new("/nonexistent/2020.annual.singlefile.csv"));
    assert!(matches!(e.kind(), QcewErrorKind::Io(_)));
    assert!(
        e.to_string()
            .starts_with("2020.annual.singlefile.csv: cannot read the file"),
        "{e}"
    );
}

/// BLS letters the QCEW code of two CBSAs whose first four digits collide (`C257A` Henderson, KY;
/// `C368A` Ottawa, IL). The core's `AreaFips` currently accepts digits only after `C`, so such a
/// row is refused with a clear error; once the core accepts the letter the row must read back.
#[test]
fn lettered_msa_codes() {
    let text = with_field("annual_untitled.csv", 2, 0, "C257A");
    match read_reader(
        "m.csv",
        Cursor::new(text.as_bytes()),
        ReadOptions::new(),
        |_| Ok::<(), Infallible>(()),
    ) {
        Ok(s) => assert_eq!(s.areas_seen, 2),
        Err(e) => {
            assert_eq!((e.line(), e.field()), (Some(2), Some("area_fips")), "{e}");
            assert!(e.to_string().contains("\"C257A\""), "{e}");
        }
    }
    // The early filter keeps such rows away from the parser in county queries.
    let counties = RowFilter::all().areas(["39049".parse().unwrap()]);
    let s = read_reader(
        "m.csv",
        Cursor::new(text.as_bytes()),
        ReadOptions::new().filter(&counties),
        |_| Ok::<(), Infallible>(()),
    )
    .unwrap();
    assert_eq!((s.rows, s.rows_matched), (48, 47));
}
