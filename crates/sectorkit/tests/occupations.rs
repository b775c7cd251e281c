//! The occupation commands end to end through the real binary: `oews import|datasets|lq`,
//! `ep import`, `onet import` and `occupations`, on the real BLS/O*NET slices shipped for the
//! demo (`demo-data/occupations`, cut from the shared data folder) and, where a test compares
//! with the full files, on the shared data folder itself (a missing folder fails that test).

mod common;

use common::BIN;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn demo(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("demo-data")
        .join(rel);
    assert!(p.exists(), "demo data file missing: {}", p.display());
    p.display().to_string()
}

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

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "sectorkit {args:?} failed:\n{err}\n{out}");
    out
}

const NATIONAL_INDUSTRY: &str = "occupations/oews_2025_national_industry_staffing.csv.gz";
const NATIONAL_CROSS: &str = "occupations/oews_2025_national_cross_industry.csv.gz";
const MSA_OHIO: &str = "occupations/oews_2025_msa_nonmetro_ohio.csv.gz";
const STATE_OHIO: &str = "occupations/oews_2025_state_ohio.csv.gz";
const EP: &str = "occupations/ep_2024-34_occupation.xlsx";
const ONET: &str = "occupations/onet27_job_zones.txt";
/// Franklin + Delaware counties (inside the Columbus metro, not all of it).
const REGION: &str = "39049,39041";

/// The QCEW files of the region for 2020 Q1 and the nation.
fn qcew_files() -> Vec<String> {
    [
        "qcew/morpc-qcew-2020-1-39041.csv.gz",
        "qcew/morpc-qcew-2020-1-39049.csv.gz",
        "qcew/qcew_2020_q1_area_US000.csv.gz",
    ]
    .iter()
    .map(|f| demo(f))
    .collect()
}

fn import_qcew(dir: &str) {
    let mut args = vec!["--data-dir", dir, "qcew", "import"];
    let files = qcew_files();
    args.extend(files.iter().map(String::as_str));
    ok(&args);
}

/// One data folder with everything imported, shared by the read-only tests of this binary.
/// It lives under Cargo's per-target temporary folder and is rebuilt on every run.
fn loaded() -> &'static str {
    static DIR: OnceLock<String> = OnceLock::new();
    DIR.get_or_init(|| {
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("occupations-loaded");
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        let d = p.display().to_string();
        import_qcew(&d);
        let oews: Vec<String> = [NATIONAL_INDUSTRY, NATIONAL_CROSS, STATE_OHIO, MSA_OHIO]
            .iter()
            .map(|f| demo(f))
            .collect();
        let mut args = vec!["--data-dir", d.as_str(), "oews", "import"];
        args.extend(oews.iter().map(String::as_str));
        ok(&args);
        ok(&["--data-dir", &d, "ep", "import", &demo(EP)]);
        ok(&["--data-dir", &d, "onet", "import", &demo(ONET)]);
        d
    })
}

fn occupations_json(dir: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--data-dir",
        dir,
        "occupations",
        "--region",
        REGION,
        "--format",
        "json",
    ];
    args.extend(extra);
    serde_json::from_str(&ok(&args)).expect("JSON output")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Σ lines + unallocated = the industries' employment used; lines largest first; the match
/// level is recorded; renormalising gives the same total with nothing unallocated.
#[test]
fn staffing_pattern_adds_up_to_the_industry_employment() {
    let d = loaded();
    let r = occupations_json(d, &["--industry", "6221"]);
    let inds = r["industries"].as_array().unwrap();
    assert_eq!(inds.len(), 1);
    let ind = &inds[0];
    assert_eq!(ind["naics"], "6221");
    assert_eq!(ind["pattern"]["oews_code"], "622100", "{ind}");
    assert_eq!(ind["pattern"]["level"], "4-digit", "{ind}");
    assert!(ind["no_pattern"].is_null());
    let used = f(&ind["employment"]);
    assert!(used > 1000.0, "hospital employment in the region: {used}");
    assert!((f(&r["total"]) - used).abs() < 0.5);

    let lines = r["lines"].as_array().unwrap();
    assert!(lines.len() > 100, "{} lines", lines.len());
    let emp: Vec<f64> = lines.iter().map(|l| f(&l["employment"])).collect();
    assert!(
        emp.windows(2).all(|w| w[0] >= w[1]),
        "lines not largest first"
    );
    assert_eq!(
        lines[0]["code"], "29-1141",
        "registered nurses lead hospitals"
    );
    let sum: f64 = emp.iter().sum();
    let unallocated = f(&r["unallocated"]);
    assert!(unallocated > 0.0);
    assert!(
        (sum + unallocated - used).abs() < 0.5,
        "Σ lines {sum} + unallocated {unallocated} != {used}"
    );
    // Wages come from the metro containing the region; the LQ is computed (not an OEWS area).
    assert_eq!(r["wage_area"]["code"], "0018140");
    assert_eq!(lines[0]["lq_source"], "computed");

    let rn = occupations_json(d, &["--industry", "6221", "--renormalise"]);
    assert_eq!(f(&rn["unallocated"]), 0.0);
    let sum_rn: f64 = rn["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| f(&l["employment"]))
        .sum();
    assert!(
        (sum_rn - used).abs() < 0.5,
        "renormalised Σ {sum_rn} != {used}"
    );
    assert!((f(&rn["total"]) - used).abs() < 0.5);
}

/// Crop production: OEWS does not survey it. Said, not an error, and no zero lines.
#[test]
fn crop_production_has_no_staffing_pattern() {
    let d = loaded();
    let r = occupations_json(d, &["--industry", "111"]);
    let ind = &r["industries"][0];
    assert!(ind["pattern"].is_null());
    let why = ind["no_pattern"].as_str().unwrap();
    assert!(why.contains("no staffing pattern"), "{why}");
    assert!(r["lines"].as_array().unwrap().is_empty(), "{r}");
    let table = ok(&[
        "--data-dir",
        d,
        "occupations",
        "--region",
        REGION,
        "--industry",
        "111",
    ]);
    assert!(table.contains("no staffing pattern"), "{table}");
}

/// Occupations the Employment Projections do not list stay in the table, listed as unmatched.
/// In the real data these are OEWS broad occupations published for an industry in place of
/// their detail: insurance carriers (5241) employ physicians, published only as the broad
/// 29-1210 (EP lists the detailed physician occupations); hospitals (6221) have
/// 25-4010 Archivists, Curators, and Museum Technicians and 27-1010 Artists and Related Workers.
#[test]
fn occupations_ep_does_not_list_are_kept_as_unmatched() {
    let d = loaded();
    let r = occupations_json(d, &["--industry", "5241,6221"]);
    assert_eq!(r["ep_loaded"], true);
    let unmatched: Vec<&str> = r["unmatched_ep"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for code in ["29-1210", "25-4010", "27-1010"] {
        assert!(
            unmatched.contains(&code),
            "{code} not unmatched: {unmatched:?}"
        );
    }
    let lines = r["lines"].as_array().unwrap();
    for code in &unmatched {
        let line = lines
            .iter()
            .find(|l| l["code"] == *code)
            .unwrap_or_else(|| panic!("unmatched {code} is not in the table"));
        assert!(line["ep"].is_null(), "{line}");
        assert!(f(&line["employment"]) > 0.0);
    }
    let physicians = lines.iter().find(|l| l["code"] == "29-1210").unwrap();
    assert_eq!(physicians["title"], "Physicians");
    // Matched lines carry EP columns.
    assert!(lines.iter().any(|l| !l["ep"].is_null()));
    let table = ok(&[
        "--data-dir",
        d,
        "occupations",
        "--region",
        REGION,
        "--industry",
        "5241,6221",
    ]);
    assert!(table.contains("(not in EP)"), "{table}");
    assert!(table.contains("not in the Employment Projections list (unmatched)"));
}

/// BLS's published LQs of the Columbus metro recomputed from the published figures.
#[test]
fn oews_lq_recomputes_bls_for_the_columbus_metro() {
    let out = ok(&[
        "oews",
        "lq",
        "--area",
        "0018140",
        "--files",
        &demo(MSA_OHIO),
        &demo(NATIONAL_CROSS),
        "--format",
        "csv",
    ]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    for col in [
        "occ_code",
        "occ_title",
        "tot_emp",
        "loc_quotient",
        "computed_loc_quotient",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} missing: {header:?}");
    }
    let ix = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (code, lq, clq, emp) = (
        ix("occ_code"),
        ix("loc_quotient"),
        ix("computed_loc_quotient"),
        ix("tot_emp"),
    );
    // What BLS publishes for the metro, straight from the file: codes without an LQ.
    let mut no_lq = std::collections::HashSet::new();
    {
        let gz = std::fs::read(demo(MSA_OHIO)).unwrap();
        let text = gunzip(&gz);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let h = r.headers().unwrap().clone();
        let (a, o, l) = (
            h.iter().position(|x| x == "area_code").unwrap(),
            h.iter().position(|x| x == "occ_code").unwrap(),
            h.iter().position(|x| x == "loc_quotient").unwrap(),
        );
        for rec in r.records() {
            let rec = rec.unwrap();
            if &rec[a] == "0018140" && (rec[l].is_empty() || &rec[l] == "-") {
                no_lq.insert(rec[o].to_string());
            }
        }
    }
    assert!(!no_lq.is_empty());
    let (mut both, mut agree, mut rows) = (0, 0, 0);
    for rec in rdr.records() {
        let rec = rec.unwrap();
        rows += 1;
        if no_lq.contains(&rec[code]) {
            assert_eq!(&rec[lq], "", "{:?}: BLS publishes no LQ", &rec[code]);
        }
        // Employment is a number or says what it is; never a made-up number.
        assert!(
            rec[emp].is_empty() || rec[emp].parse::<f64>().is_ok() || &rec[emp] == "not released",
            "{rec:?}"
        );
        if let (Ok(a), Ok(b)) = (rec[lq].parse::<f64>(), rec[clq].parse::<f64>()) {
            both += 1;
            if (a - b).abs() <= 0.01 + 1e-9 {
                agree += 1;
            }
        }
    }
    assert!(rows > 500, "{rows} rows");
    let share = agree as f64 / both as f64;
    eprintln!(
        "{agree} of {both} LQs agree within 0.01 ({:.2}%)",
        100.0 * share
    );
    assert!(share >= 0.985, "{agree} of {both} agree");
}

fn gunzip(bytes: &[u8]) -> String {
    // The test has no gzip crate: let the system's gzip do it.
    use std::io::Write;
    let mut child = Command::new("gzip")
        .args(["-dc"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// A top-coded wage is text in the CSV, never the cap as if it were the wage.
#[test]
fn special_values_never_become_numbers_in_csv() {
    let d = loaded();
    // Hospitals employ cardiologists, whose Columbus wages are all top-coded.
    let out = ok(&[
        "--data-dir",
        d,
        "occupations",
        "--region",
        REGION,
        "--industry",
        "6221",
        "--format",
        "csv",
        "--living-wage",
        "20",
    ]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let wage_cols: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("h_") || h.starts_with("a_"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(wage_cols.len(), 10);
    let ix = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut saw_cardiologists = false;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        for &i in &wage_cols {
            let cell = &rec[i];
            assert!(
                cell != "115" && cell != "115.00" && cell != "239200",
                "a cap printed as a wage: {rec:?}"
            );
            assert!(
                cell.is_empty()
                    || cell.parse::<f64>().is_ok()
                    || ["top-coded", "not released", "not available"].contains(&cell),
                "{cell:?}"
            );
        }
        if &rec[0] == "29-1212" {
            saw_cardiologists = true;
            assert_eq!(&rec[ix("h_median")], "top-coded", "{rec:?}");
            assert_eq!(&rec[ix("a_median")], "top-coded", "{rec:?}");
            assert_eq!(&rec[ix("wage_area")], "0018140");
            assert_eq!(&rec[ix("above_living_wage")], "true");
        }
    }
    assert!(
        saw_cardiologists,
        "cardiologists not in the hospital pattern"
    );
}

/// Bad input: a missing OEWS import names the command to run; a negative living wage is refused.
#[test]
fn bad_input_is_refused_with_a_clear_message() {
    let dir = common::TempDir::new("occ-bad");
    let d = dir.path().display().to_string();
    import_qcew(&d);
    let (code, _, err) = run(&[
        "--data-dir",
        &d,
        "occupations",
        "--region",
        REGION,
        "--industry",
        "6221",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("sectorkit oews import"), "{err}");
    for lw in [["--living-wage", "-3"], ["--living-wage", "0"]] {
        let (code, _, err) = run(&[
            "--data-dir",
            &d,
            "occupations",
            "--region",
            REGION,
            "--industry",
            "6221",
            lw[0],
            lw[1],
        ]);
        assert_ne!(code, 0);
        assert!(
            err.contains("--living-wage must be a positive hourly amount"),
            "{err}"
        );
    }
}

/// Re-importing the same file changes nothing; `oews datasets` lists every kind.
#[test]
fn imports_are_idempotent_and_listed() {
    let dir = common::TempDir::new("occ-idem");
    let d = dir.path().display().to_string();
    let first = ok(&["--data-dir", &d, "ep", "import", &demo(EP)]);
    assert!(first.contains("imported Employment Projections"), "{first}");
    let second = ok(&["--data-dir", &d, "ep", "import", &demo(EP)]);
    assert!(second.contains("already imported"), "{second}");
    ok(&["--data-dir", &d, "onet", "import", &demo(ONET)]);
    ok(&["--data-dir", &d, "oews", "import", &demo(NATIONAL_CROSS)]);
    let again = ok(&["--data-dir", &d, "oews", "import", &demo(NATIONAL_CROSS)]);
    assert!(again.contains("already imported"), "{again}");
    let ds: Value = serde_json::from_str(&ok(&[
        "--data-dir",
        &d,
        "oews",
        "datasets",
        "--format",
        "json",
    ]))
    .unwrap();
    let ds = ds.as_array().unwrap();
    assert_eq!(ds.len(), 3, "{ds:?}");
    let mut kinds: Vec<&str> = ds.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["ep", "oews", "onet"]);
    let ep = ds.iter().find(|d| d["kind"] == "ep").unwrap();
    assert_eq!(ep["file_name"], "ep_2024-34_occupation.xlsx");
    assert!(ep["items"].as_i64().unwrap() > 800, "{ep}");
}

/// The shipped national industry slice (fewer columns) gives the same staffing pattern as the
/// full BLS file: the columns left out read as blank and are not used.
#[test]
fn the_demo_slice_gives_the_same_staffing_as_the_full_file() {
    let dir = common::TempDir::new("occ-full");
    let d = dir.path().display().to_string();
    import_qcew(&d);
    ok(&[
        "--data-dir",
        &d,
        "oews",
        "import",
        &shared("bls_oews_2025/oews_2025_national_industry.csv.gz"),
        &shared("bls_oews_2025/oews_2025_national_cross_industry.csv.gz"),
    ]);
    let pick = |r: &Value| -> Vec<(String, String, i64)> {
        r["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["code"].as_str().unwrap().to_string(),
                    l["title"].as_str().unwrap().to_string(),
                    (f(&l["employment"]) * 1000.0).round() as i64,
                )
            })
            .collect()
    };
    for ind in ["3361", "6221", "5415"] {
        let args = ["--industry", ind, "--wage-area", "0000000"];
        let full = occupations_json(&d, &args);
        let slice = occupations_json(loaded(), &args);
        assert_eq!(pick(&full), pick(&slice), "industry {ind}");
        assert_eq!(full["industries"], slice["industries"]);
        assert_eq!(full["unallocated"], slice["unallocated"]);
    }
}

/// `report workbook --shortlist`: the Staffing and Occupations tabs of the shortlisted
/// industries, with the occupations engine's lines; without OEWS data the command says what to
/// import.
#[test]
fn report_workbook_has_the_shortlists_occupation_tabs() {
    use std::io::Read;
    let d = loaded();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("occ-workbook.xlsx");
    let _ = std::fs::remove_file(&out);
    let o = out.display().to_string();
    ok(&[
        "--data-dir",
        d,
        "report",
        "workbook",
        "--region",
        REGION,
        "--period",
        "2020Q1",
        "--shortlist",
        "6221,111",
        "--out",
        &o,
    ]);
    let bytes = std::fs::read(&out).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut wb = String::new();
    z.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut wb)
        .unwrap();
    let score = wb.find("name=\"Score\"").expect("Score tab");
    let staffing = wb.find("name=\"Staffing\"").expect("Staffing tab");
    let occupations = wb.find("name=\"Occupations\"").expect("Occupations tab");
    assert!(score < staffing && staffing < occupations, "{wb}");
    let mut strings = String::new();
    z.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    let r = occupations_json(d, &["--industry", "6221,111", "--period", "2020Q1"]);
    let first = r["lines"][0]["code"].as_str().unwrap();
    assert!(strings.contains(first), "{first} in the workbook");
    assert!(
        strings.contains("no staffing pattern"),
        "crop production explained"
    );

    // A database without OEWS data: a clear message naming what to import.
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("occ-workbook-no-oews");
    let _ = std::fs::remove_dir_all(&empty);
    std::fs::create_dir_all(&empty).unwrap();
    let e = empty.display().to_string();
    import_qcew(&e);
    let (code, _, err) = run(&[
        "--data-dir",
        &e,
        "report",
        "workbook",
        "--region",
        REGION,
        "--period",
        "2020Q1",
        "--shortlist",
        "6221",
        "--out",
        &o,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("oews import"), "{err}");
}
