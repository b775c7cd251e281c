//! The QCEW commands end to end, on the real BLS files of the shared data folder (which CI has
//! beside the repository; a missing folder fails these tests).

mod common;

use common::{BIN, TempDir};
use std::path::PathBuf;
use std::process::Command;

fn shared(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(p.exists(), "shared data file missing: {}", p.display());
    p.display().to_string()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("SECTORKIT_DATABASE_URL")
        .env("SECTORKIT_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn line_with<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix} in:\n{out}"))
}

/// The same-vintage oracle: every county's (and state's, metro's) ownership LQs against US000 in
/// the same file agree with BLS's within 0.01 on all disclosed cells, none skipped; average pay
/// agrees too.
#[test]
fn verify_reproduces_bls_lqs_exactly_on_the_2019_oracle() {
    let f = shared("bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz");
    let (code, out, err) = run(&["qcew", "verify", &f]);
    assert_eq!(code, 0, "{err}");
    for col in [
        "lq_annual_avg_emplvl",
        "lq_total_annual_wages",
        "lq_annual_avg_estabs",
    ] {
        let l = line_with(&out, col);
        assert!(l.contains("(100.00%)"), "{l}");
        assert!(!l.contains("not checkable"), "none skipped: {l}");
        let n: u64 = l
            .split("agrees on ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(n > 18_000, "every area × ownership cell checked: {l}");
    }
    assert!(
        line_with(&out, "avg_annual_pay").contains("(100.00%)"),
        "{out}"
    );
    assert!(!out.contains("vintages"), "{out}");
    // JSON output carries the same counts.
    let (_, json, _) = run(&["qcew", "verify", "--format", "json", &f]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lq = &v["checks"][0];
    assert_eq!(lq["checked"], lq["agreeing"]);
    assert_eq!(lq["not_checkable"], 0);
}

/// The 2020 Q1 pair mixes two BLS vintages: verify reports the real agreement and says so.
#[test]
fn verify_reports_mixed_vintages_honestly() {
    let (code, out, err) = run(&[
        "qcew",
        "verify",
        &shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz"),
        &shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv"),
        &shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39041.csv"),
    ]);
    assert_eq!(code, 0, "{err}");
    let l = line_with(&out, "lq_annual_avg_emplvl");
    assert!(!l.contains("(100.00%)"), "{l}");
    assert!(l.contains("worst") || out.contains("worst:"), "{out}");
    assert!(out.contains("different BLS vintages"), "{out}");
    assert!(
        out.contains("Over-the-year changes not checked for 2020Q1"),
        "{out}"
    );
}

#[test]
fn verify_needs_a_national_file() {
    let (code, _, err) = run(&[
        "qcew",
        "verify",
        &shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-39049.csv"),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("US000"), "{err}");
}

fn files_2020q1() -> Vec<String> {
    vec![
        shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz"),
        shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv"),
        shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39041.csv"),
    ]
}

fn targets_from_files(extra: &[&str]) -> (i32, String, String) {
    let files = files_2020q1();
    let mut args = vec!["targets", "--region", "39049,39041", "--period", "2020Q1"];
    args.extend_from_slice(extra);
    args.push("--files");
    args.extend(files.iter().map(String::as_str));
    run(&args)
}

#[test]
fn targets_csv_has_the_documented_columns_and_honest_cells() {
    let (code, out, err) = targets_from_files(&["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let want = "industry_code,industry_title,own_code,status,employment,establishments,total_wages,avg_annual_pay,avg_weekly_wage,lq_employment,lq_total_wages,base_employment,change,pct_change,cagr,ns,im,rs,score";
    assert_eq!(headers[..19].join(","), want);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(rows.len() > 50, "3-digit industries: {}", rows.len());
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // Management of companies (551): Franklin + Delaware private 2020 Q1, month-3 employment.
    let r551 = rows.iter().find(|r| &r[0] == "551").expect("551 present");
    assert_eq!(&r551[col("status")], "disclosed");
    assert_eq!(&r551[col("own_code")], "5");
    let emp: f64 = r551[col("employment")].parse().unwrap();
    assert!(emp > 30_000.0, "{emp}");
    let lq: f64 = r551[col("lq_employment")].parse().unwrap();
    assert!(lq > 2.0 && lq < 3.0, "{lq}");
    // Suppressed or partial cells are never shown as 0.
    for r in &rows {
        if &r[col("status")] != "disclosed" && &r[col("estimated")] == "false" {
            assert_eq!(&r[col("employment")], "", "{r:?}");
        }
    }
    assert!(rows.iter().any(|r| &r[col("status")] == "partial"));
    // No base period: growth columns empty, not zero.
    assert!(rows.iter().all(|r| r[col("pct_change")].is_empty()));
}

#[test]
fn targets_from_files_and_from_the_database_agree() {
    let dir = TempDir::new("targets");
    let d = dir.path().to_str().unwrap();
    let files = files_2020q1();
    let mut args = vec!["qcew", "import", "--data-dir", d];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("imported ").count(), 3, "{out}");
    // Re-import: a no-op.
    let (code, out, _) = run(&args);
    assert_eq!(code, 0);
    assert_eq!(out.matches("skipped ").count(), 3, "{out}");
    let (_, json, _) = run(&["qcew", "datasets", "--format", "json", "--data-dir", d]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let us = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file_name"] == "qcew_2020_q1_area_US000.csv.gz")
        .unwrap();
    assert_eq!(us["rows"], 4543);
    assert_eq!(us["suppressed_rows"], 763);
    assert_eq!(us["periods"][0], "2020Q1");

    let (code, from_db, err) = run(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, from_files, _) = targets_from_files(&["--format", "csv"]);
    assert_eq!(from_db, from_files);
    // Parsed on one thread, record by record, the same files store the same table.
    let one = TempDir::new("targets-one-thread");
    let d1 = one.path().to_str().unwrap();
    let mut args1 = vec!["qcew", "import", "--threads", "1", "--data-dir", d1];
    args1.extend(files.iter().map(String::as_str));
    let (code, _, err) = run(&args1);
    assert_eq!(code, 0, "{err}");
    let (code, from_db1, err) = run(&[
        "targets",
        "--data-dir",
        d1,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(from_db1, from_db);
    let (code, _, err) = run(&["qcew", "import", "--threads", "0", "--data-dir", d1]);
    assert_ne!(code, 0);
    assert!(err.contains("--threads"), "{err}");
    // JSON and table outputs work too.
    let (code, json, _) = run(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["region"]["counties"].as_array().unwrap().len(), 2);
    assert!(v["rows"].as_array().unwrap().len() > 50);
    let (code, table, _) = run(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
    ]);
    assert_eq!(code, 0);
    assert!(table.contains("Management of companies"), "{table}");
    assert!(table.contains("unknown, not zero"), "{table}");
}

#[test]
fn bad_files_are_refused_whole_with_file_line_and_field() {
    let dir = TempDir::new("badimport");
    let d = dir.path().to_str().unwrap();
    // A non-numeric value in line 4.
    let src = std::fs::read_to_string(shared(
        "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-39049.csv",
    ))
    .unwrap();
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    let mut f: Vec<String> = lines[3].split(',').map(str::to_string).collect();
    f[9] = "12x".into();
    lines[3] = f.join(",");
    let bad = dir.path().join("bad-39049.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    // A truncated gzip.
    let gz = std::fs::read(shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz")).unwrap();
    let cut = dir.path().join("cut-US000.csv.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let good = shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-39041.csv");
    let (code, out, err) = run(&[
        "qcew",
        "import",
        "--data-dir",
        d,
        bad.to_str().unwrap(),
        cut.to_str().unwrap(),
        &good,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("bad-39049.csv"), "{err}");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("annual_avg_emplvl"), "{err}");
    assert!(err.contains("\"12x\""), "{err}");
    assert!(err.contains("cut-US000.csv.gz"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("2 of 3 file(s) failed"), "{err}");
    assert!(
        out.contains("imported morpc-qcew-2020-a-39041.csv"),
        "{out}"
    );
    // Only the good file is in the database.
    let (_, json, _) = run(&["qcew", "datasets", "--format", "json", "--data-dir", d]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{json}");
}

#[test]
fn targets_errors_name_the_problem() {
    let f = shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv");
    let (code, _, err) = run(&[
        "targets", "--region", "39999x", "--period", "2020Q1", "--files", &f,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("39999X") || err.contains("39999x"), "{err}");
    let (code, _, err) = run(&[
        "targets", "--region", "39049", "--period", "2021", "--files", &f,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("2021") && err.contains("2020Q1"), "{err}");
    let (code, _, err) = run(&[
        "targets", "--region", "39049", "--period", "2020Q1", "--level", "9", "--files", &f,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--level"), "{err}");
    let (code, _, err) = run(&[
        "targets",
        "--region",
        "39049",
        "--period",
        "2020Q1",
        "--base-period",
        "2020",
        "--files",
        &f,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--base-period"), "{err}");
    // Without the national file: the table is built, LQs are empty and a note says why.
    let (code, out, err) = run(&[
        "targets", "--region", "39049", "--period", "2020Q1", "--files", &f,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no national (US000) data for 2020Q1"), "{out}");
}

/// The county totals of the 2016 Columbus metro add up to the metro's own total (BLS rounds
/// each county's figure, so allow one job per county).
#[test]
fn columbus_counties_add_up_to_the_metro() {
    use sectorkit_data::qcew::{ReadOptions, read_path};
    let counties = [
        "39041", "39045", "39049", "39073", "39089", "39097", "39117", "39127", "39129", "39159",
    ];
    let mut county_sum = std::collections::HashMap::new();
    for c in counties {
        let f = shared(&format!(
            "bls_qcew_extra/columbus_oh_2016_by_area/qcew_2016_q1-q4_area_{c}.csv.gz"
        ));
        read_path(&f, ReadOptions::new(), |r| {
            if r.ownership.code() == 0 && r.industry.as_str() == "10" {
                for (m, v) in r.month_employment.iter().enumerate() {
                    *county_sum.entry((r.period, m)).or_insert(0u64) += v.unwrap();
                }
                *county_sum.entry((r.period, 9)).or_insert(0u64) += r.total_wages.unwrap();
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap();
    }
    let f = shared("bls_qcew_extra/columbus_oh_2016_by_area/qcew_2016_q1-q4_area_C1814.csv.gz");
    let mut checked = 0;
    read_path(&f, ReadOptions::new(), |r| {
        if r.ownership.code() == 0 && r.industry.as_str() == "10" {
            for (m, v) in r.month_employment.iter().enumerate() {
                let metro = v.unwrap() as i64;
                let sum = county_sum[&(r.period, m)] as i64;
                assert!(
                    (metro - sum).abs() <= counties.len() as i64,
                    "{} month {m}: metro {metro} vs counties {sum}",
                    r.period
                );
                checked += 1;
            }
            let w = r.total_wages.unwrap() as i64;
            assert!((w - county_sum[&(r.period, 9)] as i64).abs() <= counties.len() as i64);
        }
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap();
    assert_eq!(checked, 12, "4 quarters × 3 months");
}

/// Projections: imported from the documented template, applied to the region (an industry
/// without its own projection uses its nearest ancestor's), and shown with their source.
/// The projection values below are a small test file, not published figures.
#[test]
fn projections_give_the_projected_growth_factor() {
    let dir = TempDir::new("proj");
    let d = dir.path().to_str().unwrap();
    let (code, template, _) = run(&["projections", "template"]);
    assert_eq!(code, 0);
    let header = template.lines().next().unwrap();
    let csv_text = format!(
        "{header}\n39000,Ohio (test),55,Management of companies,2022,1000,2032,1100\n39000,Ohio (test),524,Insurance carriers,2022,\"2,000\",2032,1900\n39000,Ohio (test),621,Ambulatory care,2022,(NA),2032,(NA)\n"
    );
    let p = dir.path().join("ohio-test-projections.csv");
    std::fs::write(&p, csv_text).unwrap();
    let files = files_2020q1();
    let mut args = vec!["qcew", "import", "--data-dir", d];
    args.extend(files.iter().map(String::as_str));
    assert_eq!(run(&args).0, 0);
    let (code, out, err) = run(&[
        "projections",
        "import",
        "--data-dir",
        d,
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2 projections (1 not published, skipped)"),
        "{out}"
    );
    let (_, list, _) = run(&["projections", "list", "--data-dir", d]);
    assert!(
        list.contains("39000") && list.contains("2022–2032"),
        "{list}"
    );

    let (code, out, err) = run(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let get = |code: &str| rows.iter().find(|r| &r[0] == code).unwrap().clone();
    // 551 uses its sector's (55) projection: +10%; 524 its own: -5%; 621 none.
    assert_eq!(&get("551")[col("projected_growth_pct")], "10.0000");
    assert_eq!(&get("524")[col("projected_growth_pct")], "-5.0000");
    assert_eq!(&get("621")[col("projected_growth_pct")], "");
    let (_, table, _) = run(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
    ]);
    assert!(
        table.contains("projected growth: Ohio (test) (39000)"),
        "{table}"
    );
    // A bad projections file names line and field, and nothing is imported.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}\n39000,Ohio,3361,x,2022,12a,2032,1\n"),
    )
    .unwrap();
    let (code, _, err) = run(&[
        "projections",
        "import",
        "--data-dir",
        d,
        bad.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("bad.csv: line 2, field base_employment"),
        "{err}"
    );
}

/// Growth over the year without the prior year's file: derived from the OTY changes BLS
/// publishes, it reproduces BLS's own over-the-year change and percent change for every
/// disclosed 3-digit industry of Franklin County.
#[test]
fn growth_from_published_oty_changes_matches_bls() {
    let f = shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-a-39049.csv");
    let (code, out, err) = run(&[
        "targets",
        "--region",
        "39049",
        "--period",
        "2020",
        "--base-period",
        "2019",
        "--format",
        "csv",
        "--files",
        &f,
    ]);
    assert_eq!(code, 0, "{err}");
    // BLS's own columns for private 3-digit rows of the county.
    let mut bls = std::collections::HashMap::new();
    let mut rdr = csv::Reader::from_path(&f).unwrap();
    let h = rdr.headers().unwrap().clone();
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[c("own_code")] == "5"
            && &r[c("agglvl_code")] == "75"
            && r[c("disclosure_code")].is_empty()
            && r[c("oty_disclosure_code")].is_empty()
        {
            bls.insert(
                r[c("industry_code")].to_string(),
                (
                    r[c("oty_annual_avg_emplvl_chg")].parse::<f64>().unwrap(),
                    r[c("oty_annual_avg_emplvl_pct_chg")]
                        .parse::<f64>()
                        .unwrap(),
                ),
            );
        }
    }
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut compared = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let Some((chg, pct)) = bls.get(&r[0]) else {
            continue;
        };
        if r[c("pct_change")].is_empty() {
            continue; // prior year zero: no percent
        }
        let ours_chg: f64 = r[c("change")].parse().unwrap();
        let ours_pct: f64 = r[c("pct_change")].parse().unwrap();
        assert_eq!(ours_chg, *chg, "industry {}", &r[0]);
        assert!(
            ((ours_pct * 10.0).round() / 10.0 - pct).abs() < 0.051,
            "industry {}: {ours_pct} vs {pct}",
            &r[0]
        );
        compared += 1;
    }
    assert!(compared > 40, "compared {compared} industries");
    assert!(err.is_empty() || !err.contains("error"));
    let (_, table, _) = run(&[
        "targets",
        "--region",
        "39049",
        "--period",
        "2020",
        "--base-period",
        "2019",
        "--files",
        &f,
    ]);
    assert!(
        table.contains("over-the-year changes BLS published"),
        "{table}"
    );
}

/// The workbook's shared strings (all text cells), unzipped.
fn workbook_strings(path: &std::path::Path) -> String {
    use std::io::Read;
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn report_workbook_from_files_and_from_the_database() {
    let dir = TempDir::new("workbook");
    let d = dir.path().to_str().unwrap();
    let files = files_2020q1();
    // From files: no database is created.
    let out_files = dir.path().join("files.xlsx");
    let o = out_files.to_str().unwrap();
    let mut args = vec![
        "report",
        "workbook",
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--weights",
        "employment=2,pay=1,lq=1",
        "--out",
        o,
        "--files",
    ];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Wrote "), "{out}");
    let s = workbook_strings(&out_files);
    assert!(s.contains("morpc-qcew-2020-1-39049.csv"));
    assert!(s.contains("read directly (--files), not imported"));
    assert!(s.contains("employment=2,avg_pay=1,hist_growth=0,proj_growth=0,lq=1"));

    // From the database: the sources carry SHA-256 and import time.
    let mut args = vec!["qcew", "import", "--data-dir", d];
    args.extend(files.iter().map(String::as_str));
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let out_db = dir.path().join("db.xlsx");
    let (code, _, err) = run(&[
        "report",
        "workbook",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--out",
        out_db.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let s = workbook_strings(&out_db);
    let (_, json, _) = run(&["qcew", "datasets", "--format", "json", "--data-dir", d]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for ds in v.as_array().unwrap() {
        let sha = ds["sha256"].as_str().unwrap();
        assert!(s.contains(sha), "source {sha} on the cover");
    }
    assert!(s.contains(" UTC"), "import time");
}

/// A file whose name a spreadsheet would run as a formula is listed in CSV with a leading `'`
/// (issue #7, CSV injection), while the numbers beside it are written as they are.
#[test]
fn csv_output_neutralises_formula_like_text() {
    let dir = TempDir::new("csv-injection");
    let src = files_2020q1()
        .into_iter()
        .find(|f| f.ends_with("US000.csv.gz"))
        .unwrap();
    let evil = dir.path().join("=HYPERLINK(1)-2.csv.gz");
    std::fs::copy(&src, &evil).unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let (code, _, err) = run(&["qcew", "import", "--data-dir", d, evil.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, csv, err) = run(&["qcew", "datasets", "--format", "csv", "--data-dir", d]);
    assert_eq!(code, 0, "{err}");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rec = r.records().next().unwrap().unwrap();
    assert_eq!(&rec[col("file_name")], "'=HYPERLINK(1)-2.csv.gz", "{csv}");
    assert_eq!(&rec[col("rows")], "4543", "{csv}");
}
