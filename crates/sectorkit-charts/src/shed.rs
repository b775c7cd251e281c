//! The commuting-shed map: a labor shed (where a region's workers live) or a commute shed (where
//! its residents work) as a choropleth of county shares, drawn with [`crate::map::county_map`].
//!
//! Shares are shown in percent with fixed classes (under 0.5 %, 0.5–2 %, 2–10 %, 10–25 %, 25 %
//! and over), which suit the long tail of a shed better than quantiles. A county of a state whose
//! data is complete and that has no flow is a true 0 % (drawn in the lowest class); a county of a
//! state whose files were not loaded is "No data", never 0. The region's counties are marked as
//! selected.
//!
//! This module computes nothing: the shares arrive computed (`sectorkit_core::commute`).

use std::collections::{BTreeSet, HashMap};

use crate::atlas::counties_in_state;
use crate::format::NumberFormat;
use crate::map::{Choropleth, Classing, CountyValue, MapRequest, NameLookup, county_map};

/// Which shed is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShedKind {
    /// Where the people employed in the region live (shares by home county).
    Labor,
    /// Where the region's residents work (shares by work county).
    Commute,
}

impl ShedKind {
    fn legend(self) -> &'static str {
        match self {
            ShedKind::Labor => "Share of the region's jobs held by residents of the county",
            ShedKind::Commute => "Share of the region's employed residents working in the county",
        }
    }
}

/// What shed map to draw.
#[derive(Clone)]
pub struct ShedMapRequest<'a> {
    /// Title (drawn and the accessible name).
    pub title: String,
    /// Labor or commute shed.
    pub kind: ShedKind,
    /// The region's counties (5-digit FIPS), marked as selected.
    pub region: Vec<String>,
    /// The shed: county FIPS and share (0–1).
    pub shares: Vec<(String, f64)>,
    /// 2-digit FIPS codes of the states to draw (e.g. the region's states and their neighbours).
    pub states: Vec<String>,
    /// States whose counties without a flow are a true 0 % (their files are loaded); counties of
    /// other states without a share are "No data".
    pub complete_states: Vec<String>,
    /// County names (default: the atlas' names).
    pub county_name: Option<NameLookup<'a>>,
    /// Width in SVG units.
    pub width: f64,
}

impl std::fmt::Debug for ShedMapRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShedMapRequest")
            .field("title", &self.title)
            .field("kind", &self.kind)
            .field("region", &self.region)
            .field("shares", &self.shares)
            .field("states", &self.states)
            .field("complete_states", &self.complete_states)
            .field("width", &self.width)
            .finish()
    }
}

/// Class breaks in percent.
pub const SHED_BREAKS: [f64; 4] = [0.5, 2.0, 10.0, 25.0];

/// Renders the shed map as a self-contained SVG document.
pub fn shed_map(req: &ShedMapRequest<'_>) -> String {
    let drawn: BTreeSet<&str> = req.states.iter().map(String::as_str).collect();
    let mut values: HashMap<String, CountyValue> = HashMap::new();
    for st in &req.complete_states {
        if drawn.contains(st.as_str()) {
            for c in counties_in_state(st) {
                values.insert(c, CountyValue::Value(0.0));
            }
        }
    }
    for (county, share) in &req.shares {
        if share.is_finite() {
            values.insert(county.clone(), CountyValue::Value(share * 100.0));
        }
    }
    county_map(&MapRequest {
        title: req.title.clone(),
        states: req.states.clone(),
        selected: req.region.clone(),
        county_name: req.county_name,
        choropleth: Some(Choropleth {
            label: req.kind.legend().to_string(),
            values,
            format: NumberFormat::Percent(1),
            classing: Classing::Breaks(SHED_BREAKS.to_vec()),
        }),
        link_template: None,
        width: req.width,
        ..Default::default()
    })
}
