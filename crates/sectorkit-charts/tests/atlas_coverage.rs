//! The 2017 atlas against the 2020s county lists embedded in `sectorkit-data`: every county of
//! the OMB 2023 delineation has a boundary except Connecticut's planning regions, and every
//! atlas county is one QCEW publishes (or is documented as not).

use std::collections::BTreeSet;

use sectorkit_charts::atlas::{NOT_IN_ATLAS, atlas};
use sectorkit_charts::missing_from_atlas;
use sectorkit_data::geo::Geography;

#[test]
fn atlas_covers_omb_2023_counties() {
    let geo = Geography::embedded();
    let omb: BTreeSet<&str> = geo
        .cbsas()
        .iter()
        .flat_map(|c| c.counties.iter().map(|f| f.as_str()))
        .filter(|f| !f.starts_with("72")) // Puerto Rico: no inset in Albers USA
        .collect();
    assert!(omb.len() > 1800, "{}", omb.len());
    let missing = missing_from_atlas(omb.iter().copied());
    let documented: BTreeSet<&str> = NOT_IN_ATLAS.iter().map(|(f, _)| *f).collect();
    for m in &missing {
        assert!(
            documented.contains(m.as_str()),
            "{m} has no boundary and is not documented"
        );
    }
    // Exactly the nine Connecticut planning regions (all of them are in CBSAs).
    assert_eq!(missing.len(), 9, "{missing:?}");
    assert!(missing.iter().all(|m| m.starts_with("091")));
}

#[test]
fn every_atlas_county_is_a_qcew_county() {
    let geo = Geography::embedded();
    let qcew: BTreeSet<&str> = geo.counties().iter().map(|c| c.fips.as_str()).collect();
    let extra: Vec<&str> = atlas()
        .counties()
        .iter()
        .filter_map(|c| c.id.as_deref())
        .filter(|id| !qcew.contains(id))
        .collect();
    // Kalawao County, HI is published as part of Maui (15009).
    assert_eq!(extra, ["15005"]);
}

#[test]
fn documented_gaps_are_real_2020s_counties() {
    let geo = Geography::embedded();
    for (fips, why) in NOT_IN_ATLAS {
        assert!(atlas().county(fips).is_none(), "{fips} {why}");
        let code = fips.parse().expect("valid FIPS");
        assert!(geo.county(&code).is_some(), "{fips} is not a QCEW county");
    }
}
