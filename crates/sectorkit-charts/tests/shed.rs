//! The commuting-shed map: a snapshot of Providence County's labor shed on the Rhode Island map,
//! and its rules — true zeros only in states whose data is complete, "No data" elsewhere, the
//! region marked, fixed percent classes in the legend.

mod common;

use common::assert_well_formed;
use sectorkit_charts::{ShedKind, ShedMapRequest, shed_map};

/// Providence County (44007) labor shed, LODES 7 RI 2019 JT00 main + aux (shares rounded).
fn providence() -> ShedMapRequest<'static> {
    ShedMapRequest {
        title: "Labor shed of Providence County, RI".into(),
        kind: ShedKind::Labor,
        region: vec!["44007".into()],
        shares: vec![
            ("44007".into(), 0.6287),
            ("44003".into(), 0.0921),
            ("25005".into(), 0.0712),
            ("44009".into(), 0.0384),
            ("44001".into(), 0.0254),
            ("25021".into(), 0.0117),
            ("44005".into(), 0.0102),
            ("09015".into(), 0.0051),
        ],
        states: vec!["44".into()],
        complete_states: vec!["44".into()],
        county_name: None,
        width: 300.0,
    }
}

#[test]
fn snapshot_labor_shed_map() {
    let svg = shed_map(&providence());
    assert_well_formed(&svg);
    insta::assert_snapshot!("shed_providence", svg);
}

#[test]
fn shed_map_legend_and_missing_states() {
    let svg = shed_map(&ShedMapRequest {
        states: vec!["44".into(), "25".into(), "09".into()],
        ..providence()
    });
    assert_well_formed(&svg);
    for label in [
        "under 0.5%",
        "0.5%–2.0%",
        "2.0%–10.0%",
        "10.0%–25.0%",
        "25.0% and over",
    ] {
        assert!(svg.contains(&format!(">{label}</text>")), "legend {label}");
    }
    // Massachusetts and Connecticut files are not loaded: their counties without a share are
    // "No data", not 0%.
    assert!(svg.contains(">No data</text>"));
    assert!(
        svg.contains("Bristol, Massachusetts (25005)"),
        "a share outside RI is drawn"
    );
    assert!(svg.contains("class=\"county selected\" data-fips=\"44007\""));
    // With every drawn state complete, nothing is "No data".
    let svg = shed_map(&ShedMapRequest {
        complete_states: vec!["44".into()],
        shares: vec![("44007".into(), 1.0)],
        ..providence()
    });
    assert!(!svg.contains(">No data</text>"));
    assert!(
        svg.contains(
            "(44005): Share of the region&#39;s jobs held by residents of the county 0.0%"
        )
    );
}
