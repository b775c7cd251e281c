//! `sectorkit commute` and `sectorkit lodes …` through the real binary, on the real Rhode Island
//! 2019 LODES 7 files of the shared data folder; and the state-adjacency table of the core checked
//! against the shared state boundaries of the embedded atlas.

mod common;

use common::{BIN, TempDir};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn shared(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/census_lodes7_ri_2019")
        .join(name);
    assert!(p.exists(), "shared data file {} is missing", p.display());
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

fn files() -> (String, String, String) {
    (
        shared("ri_od_main_JT00_2019.csv.gz"),
        shared("ri_od_aux_JT00_2019.csv.gz"),
        shared("ri_xwalk.csv.gz"),
    )
}

fn check_json(v: &serde_json::Value) {
    assert_eq!(v["interior"], 186_597);
    assert_eq!(v["inflow"], 110_211);
    assert_eq!(v["employed_in_region"], 296_808);
    assert_eq!(
        v["interior"].as_u64().unwrap() + v["outflow"].as_u64().unwrap(),
        v["residents_employed"].as_u64().unwrap()
    );
    for key in ["labor_shed", "commute_shed"] {
        let shed = v[key].as_array().unwrap();
        assert!(!shed.is_empty(), "{key}");
        let mut prev = u64::MAX;
        let mut sum = 0.0;
        for e in shed {
            let county = e["county"].as_str().unwrap();
            assert_eq!(county.len(), 5, "{e}");
            let jobs = e["jobs"].as_u64().unwrap();
            assert!(jobs <= prev, "{key} largest first");
            prev = jobs;
            sum += e["share"].as_f64().unwrap();
        }
        assert!((sum - 1.0).abs() < 1e-9, "{key} shares sum to {sum}");
    }
    assert_eq!(v["labor_shed"][0]["county"], "44007");
    assert_eq!(
        v["labor_shed"][0]["name"],
        "Providence County, Rhode Island"
    );
    assert_eq!(v["year"], 2019);
    assert_eq!(v["job_type"], "JT00");
    assert_eq!(v["segments"].as_array().unwrap().len(), 9);
    let cov = &v["coverage"];
    assert_eq!(cov["labor_shed_complete"], true);
    assert_eq!(cov["commute_shed_lower_bound"], true);
    assert_eq!(
        cov["commute_shed_missing"],
        serde_json::json!(["ct aux", "ma aux"])
    );
}

#[test]
fn commute_json_from_files() {
    let (main, aux, xwalk) = files();
    let (code, out, err) = run(&[
        "commute", "--region", "44007", "--od", &main, &aux, "--xwalk", &xwalk, "--format", "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    check_json(&v);
    assert_eq!(v["lodes_version"], 7);
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
}

#[test]
fn commute_csv_and_table() {
    let (main, aux, xwalk) = files();
    let (code, out, err) = run(&[
        "commute", "--region", "44007", "--od", &main, &aux, "--xwalk", &xwalk, "--format", "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("measure,county,county_name,segment,jobs,share")
    );
    assert_eq!(lines.next(), Some("interior,,,S000,186597,"));
    assert!(
        out.contains("\nlabor_shed,44007,\"Providence County, Rhode Island\",S000,186597,0.628")
    );
    assert!(out.contains("\ninflow,,,SA01,"));

    let (code, out, err) = run(&[
        "commute", "--region", "44007", "--od", &main, &aux, "--xwalk", &xwalk,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Labor shed") && out.contains("Commute shed"),
        "{out}"
    );
    assert!(out.contains("lower bound"), "{out}");
}

#[test]
fn a_misdeclared_file_is_refused() {
    let (main, _aux, xwalk) = files();
    let (code, _, err) = run(&[
        "commute", "--region", "44007", "--od", &main, "--xwalk", &xwalk, "--year", "2018",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("ri_od_main_JT00_2019.csv.gz: field year:") && err.contains("2018"),
        "{err}"
    );
    // The same file renamed as Connecticut's: the first row is refused, with line and field.
    let dir = TempDir::new("lodes-ct");
    let ct = dir.0.join("ct_od_main_JT00_2019.csv.gz");
    std::fs::copy(&main, &ct).unwrap();
    let (code, _, err) = run(&[
        "commute",
        "--region",
        "09001",
        "--od",
        ct.to_str().unwrap(),
        "--xwalk",
        &xwalk,
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("ct_od_main_JT00_2019.csv.gz: line 2, field w_geocode:"),
        "{err}"
    );
}

#[test]
fn import_then_commute_from_the_database() {
    let (main, aux, xwalk) = files();
    let dir = TempDir::new("lodes-db");
    let data = dir.0.display().to_string();
    let (code, out, err) = run(&[
        "--data-dir",
        &data,
        "lodes",
        "import",
        "--od",
        &main,
        &aux,
        "--xwalk",
        &xwalk,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("imported ").count(), 2, "{out}");
    let (code, out, _) = run(&[
        "--data-dir",
        &data,
        "lodes",
        "import",
        "--od",
        &main,
        "--xwalk",
        &xwalk,
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("skipped ri_od_main_JT00_2019.csv.gz"), "{out}");
    let (code, out, err) = run(&["--data-dir", &data, "lodes", "datasets", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let ds: serde_json::Value = serde_json::from_str(&out).unwrap();
    let totals: BTreeSet<u64> = ds
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["s000_total"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, BTreeSet::from([406_052, 70_737]));
    let (code, out, err) = run(&[
        "--data-dir",
        &data,
        "commute",
        "--region",
        "44007",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    check_json(&v);
}

/// Two states are neighbours in the core's table exactly when their outlines in the atlas share
/// a boundary (at least two common vertices: a single point, like the Four Corners, is not a
/// border).
#[test]
fn state_neighbours_match_the_atlas() {
    use sectorkit_core::us_states::{STATES, neighbour_fips};
    let atlas = sectorkit_charts::atlas::atlas();
    let vertices = |fips: &str| -> BTreeSet<(u64, u64)> {
        atlas
            .state(fips)
            .unwrap_or_else(|| panic!("state {fips} in the atlas"))
            .polygons
            .iter()
            .flatten()
            .flatten()
            .map(|p| (p[0].to_bits(), p[1].to_bits()))
            .collect()
    };
    let all: Vec<(&str, BTreeSet<(u64, u64)>)> =
        STATES.iter().map(|s| (s.fips, vertices(s.fips))).collect();
    let mut differences = Vec::new();
    for (a, va) in &all {
        let from_atlas: Vec<&str> = all
            .iter()
            .filter(|(b, vb)| b != a && va.intersection(vb).take(2).count() >= 2)
            .map(|(b, _)| *b)
            .collect();
        if from_atlas != neighbour_fips(a) {
            differences.push(format!(
                "{a}: atlas {from_atlas:?}, table {:?}",
                neighbour_fips(a)
            ));
        }
    }
    assert!(differences.is_empty(), "{differences:#?}");
}
