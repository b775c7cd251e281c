//! Geography: region resolution, CBSA ↔ QCEW codes, titles, state expansion, search; checked
//! against the shared OMB delineation file.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::shared;
use sectorkit_core::codes::AreaFips;
use sectorkit_data::geo::{CbsaKind, GeoError, Geography, PartKind, resolve_region};

fn fips(list: &[&str]) -> Vec<AreaFips> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

const COLUMBUS: [&str; 10] = [
    "39041", "39045", "39049", "39073", "39089", "39097", "39117", "39127", "39129", "39159",
];

#[test]
fn columbus_msa_is_its_ten_counties() {
    let r = resolve_region("C1814").unwrap();
    assert_eq!(r.name, "Columbus, OH MSA");
    assert_eq!(r.counties, fips(&COLUMBUS));
    assert_eq!(r.parts.len(), 1);
    assert_eq!(r.parts[0].kind, PartKind::Metropolitan);
    assert_eq!(r.parts[0].code, "C1814");
    assert_eq!(r.parts[0].input, "C1814");
    assert!(r.notes.is_empty());
    for input in ["cbsa:18140", "msa:18140", " c1814 ", "CBSA:18140"] {
        let same = resolve_region(input).unwrap();
        assert_eq!(same.counties, r.counties, "{input}");
        assert_eq!(same.name, r.name, "{input}");
    }
}

#[test]
fn columbus_members_agree_with_the_omb_file() {
    let mut rdr = csv::Reader::from_path(shared(
        "geo_cbsa_county/omb_cbsa_list1_2023_county_to_cbsa.csv",
    ))
    .unwrap();
    let mut omb: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        omb.entry(r[0].to_string())
            .or_default()
            .insert(format!("{}{}", &r[9], &r[10]));
    }
    assert_eq!(
        omb["18140"],
        COLUMBUS
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
    );
    // Every CBSA, not only Columbus (QCEW folds Kalawao 15005 into 15009).
    let geo = Geography::embedded();
    assert_eq!(geo.cbsas().len(), omb.len());
    for (code, members) in &omb {
        let c = geo.cbsa(code).unwrap();
        let ours: BTreeSet<String> = c.counties.iter().map(|a| a.to_string()).collect();
        let want: BTreeSet<String> = members.iter().filter(|m| *m != "15005").cloned().collect();
        assert_eq!(ours, want, "{code}");
    }
}

#[test]
fn embedded_tables_are_the_shared_files() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/geo");
    for (ours, theirs) in [
        ("area_titles.csv", "bls_qcew_titles/area_titles.csv"),
        ("industry_titles.csv", "bls_qcew_titles/industry_titles.csv"),
        ("agglevel_titles.csv", "bls_qcew_titles/agglevel_titles.csv"),
        (
            "omb_cbsa_list1_2023_county_to_cbsa.csv",
            "geo_cbsa_county/omb_cbsa_list1_2023_county_to_cbsa.csv",
        ),
    ] {
        assert_eq!(
            std::fs::read(here.join(ours)).unwrap(),
            std::fs::read(shared(theirs)).unwrap(),
            "{ours}"
        );
    }
}

#[test]
fn cbsa_and_qcew_codes() {
    let g = Geography::embedded();
    assert_eq!(g.qcew_msa_code("18140"), Some("C1814"));
    assert_eq!(g.cbsa_code("C1814"), Some("18140"));
    assert_eq!(g.cbsa_code("c1814"), Some("18140"));
    // Two CBSAs share their first four digits: BLS letters one of them.
    assert_eq!(g.qcew_msa_code("25770"), Some("C2577"));
    assert_eq!(g.qcew_msa_code("25775"), Some("C257A"));
    assert_eq!(g.qcew_msa_code("36830"), Some("C3683"));
    assert_eq!(g.qcew_msa_code("36837"), Some("C368A"));
    // Accented OMB title, plain BLS title.
    let canon = g.cbsa("15860").unwrap();
    assert_eq!(
        (
            canon.qcew_code.as_str(),
            canon.title.as_str(),
            canon.omb_title.as_str()
        ),
        ("C1586", "Canon City, CO MicroSA", "Cañon City, CO")
    );
    assert_eq!(g.qcew_msa_code("99999"), None);

    let kinds: Vec<CbsaKind> = g.cbsas().iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == CbsaKind::Metropolitan)
            .count(),
        393
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == CbsaKind::Micropolitan)
            .count(),
        542
    );
    let codes: BTreeSet<&str> = g.cbsas().iter().map(|c| c.qcew_code.as_str()).collect();
    assert_eq!(codes.len(), g.cbsas().len(), "QCEW codes are unique");
    for c in g.cbsas() {
        assert_eq!(g.title(&c.qcew_code), Some(c.title.as_str()));
        assert!(
            c.qcew_code.starts_with(&format!("C{}", &c.code[..3])),
            "{c:?}"
        );
        assert!(!c.counties.is_empty());
    }
    assert_eq!(
        g.cbsa_of_county(&"39049".parse().unwrap()).unwrap().code,
        "18140"
    );
    assert_eq!(
        g.cbsa_of_county(&"39001".parse().unwrap()),
        None,
        "Adams County, OH is rural"
    );
    assert_eq!(g.csas().len(), 184);
}

#[test]
fn micro_areas_and_csas() {
    let micro = resolve_region("C1706").unwrap();
    assert_eq!(micro.name, "Chillicothe, OH MicroSA");
    assert_eq!(micro.counties, fips(&["39141"]));
    assert_eq!(micro.parts[0].kind, PartKind::Micropolitan);

    let csa = resolve_region("CS198").unwrap();
    assert_eq!(csa.name, "Columbus-Marion-Zanesville, OH CSA");
    assert_eq!(csa.parts[0].kind, PartKind::Csa);
    // Columbus MSA + 8 micropolitan areas of one county each (OMB file).
    let mut want: Vec<&str> = COLUMBUS.to_vec();
    want.extend([
        "39009", "39091", "39059", "39141", "39101", "39083", "39047", "39119",
    ]);
    want.sort();
    assert_eq!(csa.counties, fips(&want));
    let g = Geography::embedded();
    assert_eq!(g.csa("CS198").unwrap().cbsas.len(), 9);
    assert_eq!(g.cbsa("18140").unwrap().csa.as_deref(), Some("CS198"));
}

#[test]
fn county_lists_and_names() {
    let r = resolve_region("39049, 39041").unwrap();
    assert_eq!(r.name, "Franklin County, Ohio + Delaware County, Ohio");
    assert_eq!(r.counties, fips(&["39041", "39049"]));
    assert_eq!(
        r.parts.iter().map(|p| p.kind).collect::<Vec<_>>(),
        [PartKind::County; 2]
    );

    // Repeats and overlaps collapse.
    let r = resolve_region("39049,C1814,39049,").unwrap();
    assert_eq!(r.parts.len(), 2);
    assert_eq!(r.counties.len(), 10);
    assert_eq!(r.name, "Franklin County, Ohio + Columbus, OH MSA");

    let r = resolve_region("39049,39041,39045,39089,39159").unwrap();
    assert_eq!(
        r.name,
        "Franklin County, Ohio + Delaware County, Ohio + 3 more areas"
    );
    let r = resolve_region("39049,39041,39045").unwrap();
    assert_eq!(
        r.name,
        "Franklin County, Ohio + Delaware County, Ohio + Fairfield County, Ohio"
    );
}

#[test]
fn states_expand_to_their_counties() {
    let r = resolve_region("39000").unwrap();
    assert_eq!(r.name, "Ohio");
    assert_eq!(r.parts[0].kind, PartKind::State);
    assert_eq!(r.counties.len(), 88);
    assert!(r.counties.iter().all(|c| c.state_fips() == Some("39")));
    assert!(!r.counties.contains(&"39999".parse().unwrap()));
    assert!(!r.counties.contains(&"39000".parse().unwrap()));
    assert_eq!(resolve_region("11000").unwrap().counties, fips(&["11001"]));

    let g = Geography::embedded();
    assert_eq!(g.state_counties(&"39000".parse().unwrap()), r.counties);
    // Connecticut's table has both legacy counties and planning regions.
    assert_eq!(g.state_counties(&"09000".parse().unwrap()).len(), 17);
}

#[test]
fn connecticut() {
    let r = resolve_region("09000").unwrap();
    assert_eq!(
        r.counties,
        fips(&[
            "09110", "09120", "09130", "09140", "09150", "09160", "09170", "09180", "09190"
        ])
    );
    assert!(
        r.notes.iter().any(|n| n.contains("2024Q1")),
        "{:?}",
        r.notes
    );

    // Legacy counties alone are fine (pre-2024 data).
    let legacy = resolve_region("09001,09003").unwrap();
    assert_eq!(
        legacy.name,
        "Fairfield County, Connecticut + Hartford County, Connecticut"
    );
    assert!(legacy.notes.is_empty());

    let e = resolve_region("09001,09110").unwrap_err();
    assert_eq!(
        e,
        GeoError::ConnecticutMix {
            legacy: vec!["09001".into()],
            planning: vec!["09110".into()],
        }
    );
    assert!(e.to_string().contains("2024Q1"), "{e}");
    // A metro of the 2023 delineation uses planning regions.
    let bridgeport = resolve_region("cbsa:14860").unwrap();
    assert_eq!(bridgeport.counties, fips(&["09120", "09190"]));
    assert!(resolve_region("cbsa:14860,09001").is_err());
}

#[test]
fn counties_qcew_does_not_publish_are_left_out_with_a_note() {
    let r = resolve_region("C2798").unwrap();
    assert_eq!(r.name, "Kahului-Wailuku, HI MSA");
    assert_eq!(r.counties, fips(&["15009"]));
    assert_eq!(r.notes.len(), 1);
    assert!(
        r.notes[0].starts_with("15005 Kalawao County, Hawaii"),
        "{:?}",
        r.notes
    );
}

#[test]
fn unknown_codes_are_errors_naming_them() {
    let unknown = |code: &str| match resolve_region(code).unwrap_err() {
        GeoError::Unknown { code: c, why } => (c, why),
        other => panic!("{code}: {other}"),
    };
    for code in [
        "C9999",
        "CS999",
        "99001",
        "39998x",
        "abc",
        "cbsa:99999",
        "msa:1814",
        "39002",
    ] {
        let (c, _) = unknown(code);
        assert_eq!(c, code);
        let e = resolve_region(&format!("39049,{code}")).unwrap_err();
        assert!(e.to_string().contains(&format!("{code:?}")), "{e}");
    }
    assert_eq!(
        resolve_region("39049,C9999").unwrap_err().to_string(),
        "unknown area code \"C9999\": no such MSA or MicroSA"
    );
    assert!(unknown("abc").1.contains("county FIPS code (39049)"));

    // Real codes that cannot be regions.
    assert!(
        matches!(resolve_region("C1002"), Err(GeoError::NotInDelineation { ref code, ref title }) if code == "C1002" && title == "Abbeville, LA MicroSA")
    );
    for code in ["US000", "39999", "USMSA"] {
        let e = resolve_region(code).unwrap_err();
        assert!(matches!(e, GeoError::NotARegion { .. }), "{code}: {e}");
        assert!(e.to_string().contains(code), "{e}");
    }
    assert_eq!(resolve_region(" , ,"), Err(GeoError::Empty));
    assert_eq!(resolve_region(""), Err(GeoError::Empty));
}

#[test]
fn titles() {
    let g = Geography::embedded();
    assert_eq!(g.title("39049"), Some("Franklin County, Ohio"));
    assert_eq!(g.title("39000"), Some("Ohio -- Statewide"));
    assert_eq!(g.title("C1814"), Some("Columbus, OH MSA"));
    assert_eq!(g.title("CS198"), Some("Columbus-Marion-Zanesville, OH CSA"));
    assert_eq!(g.title("US000"), Some("U.S. TOTAL"));
    assert_eq!(g.title("c257a"), Some("Henderson, KY MicroSA"));
    assert_eq!(g.title("39999"), Some("Unknown Or Undefined, Ohio"));
    assert_eq!(g.title("00000"), None);
    assert_eq!(g.area_title(&AreaFips::us()), Some("U.S. TOTAL"));
    assert_eq!(
        g.county(&"39049".parse().unwrap()).unwrap().title,
        "Franklin County, Ohio"
    );
    assert_eq!(g.counties().len(), 3_260);
    assert!(g.counties().windows(2).all(|w| w[0].fips < w[1].fips));
}

#[test]
fn county_search() {
    let g = Geography::embedded();
    let hits = g.search_counties("FRANKLIN COUNTY, OH");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].fips.as_str(), "39049");
    let hits = g.search_counties("frank");
    assert!(hits.len() > 20, "{}", hits.len());
    // Prefix matches first, alphabetical within each group.
    let first_non_prefix = hits
        .iter()
        .position(|c| !c.title.to_lowercase().starts_with("frank"))
        .unwrap_or(hits.len());
    assert!(
        hits[first_non_prefix..]
            .iter()
            .all(|c| !c.title.to_lowercase().starts_with("frank"))
    );
    assert!(
        hits[..first_non_prefix]
            .windows(2)
            .all(|w| w[0].title <= w[1].title)
    );
    let by_code: Vec<&str> = g
        .search_counties("3904")
        .iter()
        .map(|c| c.fips.as_str())
        .collect();
    assert_eq!(by_code, ["39041", "39043", "39045", "39047", "39049"]);
    assert!(g.search_counties("  ").is_empty());
    assert!(g.search_counties("zzzz").is_empty());
}
