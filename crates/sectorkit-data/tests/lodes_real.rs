//! The LODES reader on the real Rhode Island 2019 files of the project's shared data folder
//! (`../shared/data/census_lodes7_ri_2019`, LODES 7.5, JT00): totals as published in SOURCE.md,
//! county-pair bookkeeping, refusals of misdeclared files and of a truncated download.
//!
//! The expected per-segment sums and the Providence County figures were computed independently
//! with `zcat … | awk` over the raw rows.

mod common;

use std::collections::BTreeSet;

use common::shared;
use sectorkit_core::commute::{OdPart, commute_flows};
use sectorkit_data::lodes::{LodesErrorKind, OdExpect, read_od, read_od_path, read_xwalk_path};

const DIR: &str = "census_lodes7_ri_2019";

fn main_file() -> std::path::PathBuf {
    shared(&format!("{DIR}/ri_od_main_JT00_2019.csv.gz"))
}

fn aux_file() -> std::path::PathBuf {
    shared(&format!("{DIR}/ri_od_aux_JT00_2019.csv.gz"))
}

#[test]
fn totals_match_the_files() {
    let main = read_od_path(&main_file(), &OdExpect::default()).unwrap();
    assert_eq!(main.rows, 372_191);
    assert_eq!(main.totals.s000, 406_052);
    assert_eq!(
        main.totals.segments,
        [
            90_336, 205_351, 110_365, 90_716, 133_773, 181_563, 51_757, 66_059, 288_236
        ]
    );
    assert_eq!(main.declared.part, OdPart::Main);
    assert_eq!((main.declared.state, main.declared.year), ("44", 2019));
    assert_eq!(
        main.flows.iter().map(|f| f.counts.s000).sum::<u64>(),
        main.totals.s000,
        "county pairs keep every job"
    );
    // 5 RI counties (Bristol County MA blocks are residences only in aux).
    assert!(main.flows.len() <= 25, "{} pairs", main.flows.len());

    let aux = read_od_path(&aux_file(), &OdExpect::default()).unwrap();
    assert_eq!(aux.rows, 69_355);
    assert_eq!(aux.totals.s000, 70_737);
    assert_eq!(
        aux.totals.segments,
        [
            16_572, 37_071, 17_094, 14_796, 17_359, 38_582, 10_533, 10_399, 49_805
        ]
    );
    assert!(aux.flows.iter().all(|f| !f.home.starts_with("44")));
    assert_eq!(aux.sha256.len(), 64);
    assert_ne!(aux.sha256, main.sha256);
}

#[test]
fn interior_plus_inflow_is_the_workplace_total() {
    let main = read_od_path(&main_file(), &OdExpect::default()).unwrap();
    let aux = read_od_path(&aux_file(), &OdExpect::default()).unwrap();
    let flows: Vec<_> = main.flows.iter().chain(&aux.flows).collect();
    let ri: BTreeSet<String> = ["44001", "44003", "44005", "44007", "44009"]
        .map(String::from)
        .into();
    let r = commute_flows(flows.iter().copied(), &ri);
    assert_eq!(r.interior, 406_052);
    assert_eq!(r.inflow, 70_737);
    assert_eq!(r.interior + r.inflow, main.totals.s000 + aux.totals.s000);

    // Providence County: 249,748 (main) + 47,060 (aux) jobs; 186,597 held by its residents.
    let prov: BTreeSet<String> = ["44007".to_string()].into();
    let r = commute_flows(flows.iter().copied(), &prov);
    assert_eq!(r.employed_in_region, 296_808);
    assert_eq!((r.interior, r.inflow), (186_597, 110_211));
    let shares: f64 = r.labor_shed.iter().map(|e| e.share).sum();
    assert!((shares - 1.0).abs() < 1e-9);
    assert_eq!(r.labor_shed[0].county, "44007");
}

fn copy_as(src: &std::path::Path, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::copy(src, &p).unwrap();
    (dir, p)
}

#[test]
fn a_file_declared_as_another_state_is_refused() {
    let (_d, p) = copy_as(&main_file(), "ct_od_main_JT00_2019.csv.gz");
    let e = read_od_path(&p, &OdExpect::default()).unwrap_err();
    assert_eq!(e.file(), "ct_od_main_JT00_2019.csv.gz");
    assert_eq!((e.line(), e.field()), (Some(2), Some("w_geocode")));
    let msg = e.to_string();
    assert!(
        msg.contains("line 2, field w_geocode") && msg.contains("09 (CT)"),
        "{msg}"
    );
    // Declaring the state by argument on the original name: the name and the argument disagree.
    let e = read_od_path(
        &main_file(),
        &OdExpect {
            state: Some("ma".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("state"));
    // An aux file declared main: the first out-of-state residence is refused.
    let (_d2, p) = copy_as(&aux_file(), "ri_od_main_JT00_2019.csv.gz");
    let e = read_od_path(&p, &OdExpect::default()).unwrap_err();
    assert_eq!((e.line(), e.field()), (Some(2), Some("h_geocode")));
}

#[test]
fn a_file_declared_as_another_year_is_refused() {
    let e = read_od_path(
        &main_file(),
        &OdExpect {
            year: Some(2018),
            ..Default::default()
        },
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("ri_od_main_JT00_2019.csv.gz: field year:"),
        "{msg}"
    );
    assert!(
        msg.contains("year 2019") && msg.contains("year 2018"),
        "{msg}"
    );
}

#[test]
fn truncated_download_is_a_clear_error() {
    let bytes = std::fs::read(aux_file()).unwrap();
    let cut = &bytes[..bytes.len() * 2 / 3];
    let e = read_od("ri_od_aux_JT00_2019.csv.gz", cut, &OdExpect::default()).unwrap_err();
    assert!(matches!(e.kind(), LodesErrorKind::Truncated(_)), "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with("ri_od_aux_JT00_2019.csv.gz: line "),
        "{msg}"
    );
    assert!(msg.contains("truncated"), "{msg}");
}

#[test]
fn crosswalk_of_rhode_island() {
    let x = read_xwalk_path(&shared(&format!("{DIR}/ri_xwalk.csv.gz"))).unwrap();
    assert_eq!(x.blocks, 25_181);
    assert_eq!(x.lodes_version(), 7);
    assert_eq!(
        x.counties.keys().map(String::as_str).collect::<Vec<_>>(),
        ["25005", "44001", "44003", "44005", "44007", "44009"]
    );
    assert_eq!(x.counties["44007"], "Providence County, RI");
    assert_eq!(x.states["44"].0, "RI");
    // Boundary corrections: 7 blocks whose crosswalk county is not the county of their code
    // (440070169002029 is now in Bristol County, MA).
    assert_eq!(x.reassigned.len(), 7);
    assert!(
        x.reassigned
            .contains(&("440070169002029".to_string(), "25005".to_string()))
    );
}
