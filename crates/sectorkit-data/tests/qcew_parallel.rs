//! The parallel reader (records parsed on worker threads, blocks of about 1 MiB) against the
//! single-threaded loop, on files of many blocks: the same rows in the same order, the same
//! summary, and the same first error with the same line and field — for a bad value deep in the
//! file, a wrong field count, a truncated gzip, and quoted fields holding commas and newlines.

use std::io::{Cursor, Write};

use sectorkit_data::qcew::{QcewRow, ReadOptions, read_reader};

const HEADER: &str = "\"area_fips\",\"own_code\",\"industry_code\",\"agglvl_code\",\"size_code\",\"year\",\"qtr\",\"disclosure_code\",\"annual_avg_estabs\",\"annual_avg_emplvl\",\"total_annual_wages\",\"taxable_annual_wages\",\"annual_contributions\",\"annual_avg_wkly_wage\",\"avg_annual_pay\",\"lq_disclosure_code\",\"lq_annual_avg_estabs\",\"lq_annual_avg_emplvl\",\"lq_total_annual_wages\",\"lq_taxable_annual_wages\",\"lq_annual_contributions\",\"lq_annual_avg_wkly_wage\",\"lq_avg_annual_pay\",\"oty_disclosure_code\",\"oty_annual_avg_estabs_chg\",\"oty_annual_avg_estabs_pct_chg\",\"oty_annual_avg_emplvl_chg\",\"oty_annual_avg_emplvl_pct_chg\",\"oty_total_annual_wages_chg\",\"oty_total_annual_wages_pct_chg\",\"oty_taxable_annual_wages_chg\",\"oty_taxable_annual_wages_pct_chg\",\"oty_annual_contributions_chg\",\"oty_annual_contributions_pct_chg\",\"oty_annual_avg_wkly_wage_chg\",\"oty_annual_avg_wkly_wage_pct_chg\",\"oty_avg_annual_pay_chg\",\"oty_avg_annual_pay_pct_chg\"";

/// Industry codes cycled through (3-digit NAICS, agglvl 75 = county, 3-digit, by ownership).
const CODES: [&str; 12] = [
    "111", "236", "311", "423", "441", "484", "493", "511", "522", "541", "621", "722",
];

/// `n` data rows over several counties, every fifth suppressed; `crlf` ends lines with CRLF.
fn file(n: usize, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut s = String::from(HEADER);
    s.push_str(eol);
    for i in 0..n {
        let area = format!("39{:03}", 1 + 2 * (i / 2000));
        let code = CODES[i % CODES.len()];
        let own = 5;
        let n_disc = if i % 5 == 0 { "N" } else { "" };
        let (emp, wages) = if n_disc == "N" {
            ("0".to_string(), "0".to_string())
        } else {
            (
                (100 + i % 977).to_string(),
                (5_000_000 + 13 * i).to_string(),
            )
        };
        s.push_str(&format!(
            "\"{area}\",\"{own}\",\"{code}\",\"75\",\"0\",\"2023\",\"A\",\"{n_disc}\",{},{emp},{wages},0,0,{},{},\"\",1.{:02},0.{:02},1.10,0.00,0.00,1.00,1.00,\"\",{},{}.{},{},-1.5,0,0.0,0,0.0,0,0.0,0,0.0,0,0.0{eol}",
            3 + i % 40,
            800 + i % 400,
            41_600 + i % 9_000,
            i % 100,
            (i * 7) % 100,
            (i % 9) as i64 - 4,
            i % 30,
            i % 10,
            (i % 21) as i64 - 10,
        ));
    }
    s
}

fn read(bytes: &[u8], threads: usize) -> Result<(Vec<QcewRow>, String), String> {
    let mut rows = Vec::new();
    let summary = read_reader(
        "test.csv",
        Cursor::new(bytes),
        ReadOptions::new().threads(threads),
        |r| {
            rows.push(r);
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .map_err(|e| e.to_string())?;
    Ok((rows, format!("{summary:?}")))
}

#[test]
fn many_blocks_read_the_same_on_one_thread_and_on_three() {
    for crlf in [false, true] {
        let text = file(40_000, crlf);
        assert!(text.len() > 5 << 20, "several blocks: {} bytes", text.len());
        let (one, s1) = read(text.as_bytes(), 1).unwrap();
        let (three, s3) = read(text.as_bytes(), 3).unwrap();
        assert_eq!(one.len(), 40_000);
        assert!(one == three, "same rows in the same order (crlf {crlf})");
        assert_eq!(s1, s3, "same summary");
    }
}

#[test]
fn the_first_error_is_the_same_deep_in_a_big_file() {
    let text = file(30_000, false);
    let lines: Vec<&str> = text.lines().collect();
    // A non-numeric employment on line 25,001 (the header is line 1) and a short row later.
    let mut bad: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    bad[25_000] = bad[25_000].replacen(",0,0,", ",x,0,", 1);
    bad[28_000] = "\"39001\",\"5\"".to_string();
    let bad = bad.join("\n");
    let e1 = read(bad.as_bytes(), 1).unwrap_err();
    let e3 = read(bad.as_bytes(), 3).unwrap_err();
    assert_eq!(e1, e3);
    assert!(e1.contains("line 25001"), "{e1}");

    let mut short: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    short[27_000] = "\"39001\",\"5\"".to_string();
    let short = short.join("\n");
    let e1 = read(short.as_bytes(), 1).unwrap_err();
    let e3 = read(short.as_bytes(), 3).unwrap_err();
    assert_eq!(e1, e3);
    assert!(e1.contains("line 27001"), "{e1}");
}

#[test]
fn a_truncated_gzip_fails_the_same_way() {
    let text = file(30_000, false);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let cut = &gz[..gz.len() * 2 / 3];
    let e1 = read(cut, 1).unwrap_err();
    let e3 = read(cut, 3).unwrap_err();
    assert_eq!(e1, e3);
}

#[test]
fn quoted_commas_and_newlines_across_block_ends() {
    // Titled-style values: a comma and a newline inside quotes, many times over; the reader
    // keeps only the columns it knows, so the extra quoted column must not shift any field.
    let mut text = String::from(HEADER);
    text.push_str(",\"area_title\"\n");
    for line in file(20_000, false).lines().skip(1) {
        text.push_str(line);
        text.push_str(",\"Franklin County, Ohio\nsecond line \"\"quoted\"\"\"\n");
    }
    let (one, s1) = read(text.as_bytes(), 1).unwrap();
    let (three, s3) = read(text.as_bytes(), 3).unwrap();
    assert_eq!(one.len(), 20_000);
    assert!(one == three);
    assert_eq!(s1, s3);
}
