//! `sectorkit export parquet` end to end on real BLS files: import into a fresh SQLite data
//! folder, export the Parquet dataset, run the DuckDB query of `docs/parquet.md` over it with the
//! `duckdb` Python package, and compare with `sectorkit targets`.
//!
//! Python and duckdb come from `.ci/python-venv` (a venv cached in the target folder). Under CI
//! (`CI` set) a venv that cannot be set up fails the test; locally (e.g. offline) the DuckDB part
//! prints SKIPPED and the Rust-side checks still run.

mod common;

use common::{BIN, TempDir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared(rel: &str) -> String {
    let p = workspace().join("../shared/data").join(rel);
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
    assert_eq!(code, 0, "sectorkit {args:?} failed:\n{out}\n{err}");
    out
}

/// The python of the duckdb venv, or why there is none.
fn duckdb_python() -> Result<PathBuf, String> {
    // The venv lives in the target folder of this build: BIN is TARGET/debug/sectorkit.
    let target = Path::new(BIN).parent().and_then(Path::parent).unwrap();
    let out = Command::new("bash")
        .arg(workspace().join(".ci/python-venv"))
        .env("VENV", target.join("py-venv"))
        .output()
        .map_err(|e| format!("cannot run .ci/python-venv: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            ".ci/python-venv failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// The SQL block that follows the `duckdb-query` marker in docs/parquet.md.
fn doc_query() -> String {
    let doc = std::fs::read_to_string(workspace().join("docs/parquet.md")).unwrap();
    let after = doc
        .split("<!-- duckdb-query")
        .nth(1)
        .expect("docs/parquet.md has the duckdb-query marker");
    let sql = after
        .split("```sql\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("a ```sql block after the marker");
    sql.to_string()
}

type Table = BTreeMap<String, (Option<i64>, Option<f64>)>;

fn parse_opt<T: std::str::FromStr>(s: &str) -> Option<T>
where
    T::Err: std::fmt::Debug,
{
    let s = s.trim();
    (!s.is_empty() && s != "None").then(|| s.parse().unwrap())
}

#[test]
fn parquet_export_answers_the_target_query_like_sectorkit_targets() {
    let dir = TempDir::new("parquet");
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let us = shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz");
    let franklin = shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv");
    let delaware = shared("bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39041.csv");
    ok(&["qcew", "import", "--data-dir", d, &us, &franklin, &delaware]);

    // Export; a second export to the same folder is refused, --replace rebuilds it.
    let pq = dir.path().join("qcew-parquet");
    let p = pq.to_str().unwrap();
    let out = ok(&["export", "parquet", "--data-dir", d, "--out", p]);
    assert!(
        out.contains("year=2020/area_type=county/part-0.parquet"),
        "{out}"
    );
    assert!(
        out.contains("year=2020/area_type=nation/part-0.parquet"),
        "{out}"
    );
    assert!(
        pq.join("year=2020/area_type=county/part-0.parquet")
            .is_file()
    );
    let (code, _, err) = run(&["export", "parquet", "--data-dir", d, "--out", p]);
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    ok(&[
        "export",
        "parquet",
        "--data-dir",
        d,
        "--out",
        p,
        "--replace",
    ]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
    // Clear errors: an unknown year, a bad area code; nothing is written.
    let bad = dir.path().join("bad");
    let b = bad.to_str().unwrap();
    let (code, _, err) = run(&[
        "export",
        "parquet",
        "--data-dir",
        d,
        "--out",
        b,
        "--years",
        "2018",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("no QCEW data for 2018") && err.contains("2020"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "export",
        "parquet",
        "--data-dir",
        d,
        "--out",
        b,
        "--areas",
        "39x",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("\"39X\" is not an area code"), "{err}");
    assert!(!bad.exists());
    // Only some areas.
    let some = dir.path().join("some");
    let out = ok(&[
        "export",
        "parquet",
        "--data-dir",
        d,
        "--out",
        some.to_str().unwrap(),
        "--years",
        "2020",
        "--areas",
        "39049,US000",
    ]);
    assert!(out.contains("of 2 areas"), "{out}");
    assert!(!out.contains("area_type=state"), "{out}");

    // sectorkit's own answer.
    let csv = ok(&[
        "targets",
        "--data-dir",
        d,
        "--region",
        "39049,39041",
        "--period",
        "2020Q1",
        "--level",
        "3",
        "--format",
        "csv",
    ]);
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (ci, ce, cl, cs) = (
        col("industry_code"),
        col("employment"),
        col("lq_employment"),
        col("status"),
    );
    let mut expected = Table::new();
    let mut suppressed = 0;
    for r in rd.records() {
        let r = r.unwrap();
        let emp: Option<i64> = parse_opt::<f64>(&r[ce]).map(|e| e as i64);
        if emp.is_none() {
            assert_ne!(&r[cs], "disclosed", "an empty employment is marked: {r:?}");
            suppressed += 1;
        }
        expected.insert(r[ci].to_string(), (emp, parse_opt(&r[cl])));
    }
    assert!(expected.len() > 50, "{expected:?}");
    assert!(suppressed > 0, "the region has suppressed cells to check");

    // DuckDB over the Parquet dataset, with the query of the documentation.
    let python = match duckdb_python() {
        Ok(p) => p,
        Err(reason) if std::env::var_os("CI").is_some() => {
            panic!("CI needs Python with duckdb for the Parquet test: {reason}")
        }
        Err(reason) => {
            eprintln!("SKIPPED the DuckDB part of the Parquet test: {reason}");
            return;
        }
    };
    let glob = format!("{}/**/*.parquet", pq.display());
    let sql = doc_query().replace("qcew-parquet/**/*.parquet", &glob);
    assert!(
        sql.contains(&glob),
        "the doc query reads 'qcew-parquet/**/*.parquet'"
    );
    let script = "import sys, duckdb\n\
        for code, emp, lq in duckdb.sql(sys.stdin.read()).fetchall():\n\
        \x20   print(f'{code}\\t{emp}\\t{lq!r}')\n";
    let mut child = Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sql.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "duckdb query failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got = Table::new();
    for line in stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        got.insert(f[0].to_string(), (parse_opt(f[1]), parse_opt(f[2])));
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "same industries"
    );
    let mut lqs = 0;
    for (code, (emp, lq)) in &expected {
        let (g_emp, g_lq) = got[code];
        assert_eq!(g_emp, *emp, "employment of {code} (NULL = suppressed)");
        match (lq, g_lq) {
            // sectorkit prints 4 decimals: DuckDB's unrounded LQ rounds to it (±1e-6 for
            // floating-point noise at a rounding boundary).
            (Some(e), Some(g)) => {
                assert!((e - g).abs() <= 0.5e-4 + 1e-6, "LQ of {code}: {e} vs {g}");
                lqs += 1;
            }
            (None, None) => {}
            other => panic!("LQ of {code}: {other:?}"),
        }
    }
    assert!(lqs > 40, "{lqs} LQs compared");
}
