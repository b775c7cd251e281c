//! The embedded U.S. atlas: county and state boundaries of `us-atlas` 3.0.1
//! (`counties-albers-10m.json`, see `data/SOURCE.md`), decoded once on first use.
//!
//! Coordinates are those of the file: Albers USA, already projected to a 975×610 frame, y down.
//! Boundaries are of **2017**: Connecticut has its 8 legacy counties (`09001`–`09015`), not the
//! 2022 planning regions (`09110`–`09190`) that QCEW uses from 2024 data on, and Alaska has
//! `02261` Valdez-Cordova instead of `02063`/`02066` ([`NOT_IN_ATLAS`] lists what is missing).
//!
//! This module must not draw anything (see [`crate::map`]) and does no IO beyond the embedded
//! file.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::topojson::{Feature, TopoError, Topology};

/// The embedded TopoJSON (795,405 bytes).
pub const ATLAS_JSON: &str = include_str!("../data/counties-albers-10m.json");

/// Width and height of the projected frame of the atlas.
pub const FRAME: (f64, f64) = (975.0, 610.0);

/// Counties (and county equivalents) of the 2020s county list that have no geometry in the 2017
/// atlas, with the reason. A map that is asked to draw them says so in its text alternative.
pub const NOT_IN_ATLAS: &[(&str, &str)] = &[
    ("02063", "Chugach Census Area, AK (2019; was part of 02261)"),
    (
        "02066",
        "Copper River Census Area, AK (2019; was part of 02261)",
    ),
    ("09110", "Capitol Planning Region, CT (2022)"),
    ("09120", "Greater Bridgeport Planning Region, CT (2022)"),
    (
        "09130",
        "Lower Connecticut River Valley Planning Region, CT (2022)",
    ),
    ("09140", "Naugatuck Valley Planning Region, CT (2022)"),
    (
        "09150",
        "Northeastern Connecticut Planning Region, CT (2022)",
    ),
    ("09160", "Northwest Hills Planning Region, CT (2022)"),
    (
        "09170",
        "South Central Connecticut Planning Region, CT (2022)",
    ),
    (
        "09180",
        "Southeastern Connecticut Planning Region, CT (2022)",
    ),
    ("09190", "Western Connecticut Planning Region, CT (2022)"),
];

/// The decoded atlas.
#[derive(Debug)]
pub struct Atlas {
    counties: Vec<Feature>,
    county_index: HashMap<String, usize>,
    states: Vec<Feature>,
    state_index: HashMap<String, usize>,
}

/// The embedded atlas, decoded on first use (a few tens of milliseconds, once per process).
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| {
        Atlas::from_topojson(ATLAS_JSON).expect("the embedded us-atlas file decodes (tested)")
    })
}

impl Atlas {
    /// Decodes an atlas from a TopoJSON document with `counties` and `states` objects whose
    /// geometries carry 5- and 2-digit FIPS ids.
    pub fn from_topojson(json: &str) -> Result<Atlas, TopoError> {
        let topo = Topology::parse(json)?;
        let mut states = topo.features("states")?.to_vec();
        let mut counties = topo.into_features("counties")?;
        counties.retain(|f| f.id.is_some());
        states.retain(|f| f.id.is_some());
        counties.sort_by(|a, b| a.id.cmp(&b.id));
        states.sort_by(|a, b| a.id.cmp(&b.id));
        let index = |v: &[Feature]| -> HashMap<String, usize> {
            v.iter()
                .enumerate()
                .filter_map(|(i, f)| f.id.clone().map(|id| (id, i)))
                .collect()
        };
        Ok(Atlas {
            county_index: index(&counties),
            state_index: index(&states),
            counties,
            states,
        })
    }

    /// Every county, sorted by FIPS.
    pub fn counties(&self) -> &[Feature] {
        &self.counties
    }

    /// One county by its 5-digit FIPS code.
    pub fn county(&self, fips: &str) -> Option<&Feature> {
        self.county_index.get(fips).map(|&i| &self.counties[i])
    }

    /// Every state (50 + DC), sorted by FIPS.
    pub fn states(&self) -> &[Feature] {
        &self.states
    }

    /// One state by its 2-digit FIPS code (`39`; `39000` is accepted too).
    pub fn state(&self, fips: &str) -> Option<&Feature> {
        self.state_index
            .get(state_code(fips)?)
            .map(|&i| &self.states[i])
    }

    /// The counties of a state, sorted by FIPS.
    pub fn counties_of<'a>(&'a self, state_fips: &str) -> impl Iterator<Item = &'a Feature> + 'a {
        let st = state_code(state_fips).map(str::to_string);
        self.counties
            .iter()
            .filter(move |f| st.is_some() && f.id.as_deref().map(|i| &i[..2]) == st.as_deref())
    }
}

/// `39` from `39` or `39000`; `None` for anything else.
fn state_code(fips: &str) -> Option<&str> {
    let ok = fips.bytes().all(|b| b.is_ascii_digit());
    match fips.len() {
        2 if ok => Some(fips),
        5 if ok && fips.ends_with("000") => Some(&fips[..2]),
        _ => None,
    }
}

/// The 5-digit FIPS codes of a state's counties in the atlas, sorted (`"10"` → `10001`,
/// `10003`, `10005`). Empty for an unknown state. Connecticut (`09`) gives the legacy counties.
pub fn counties_in_state(state_fips: &str) -> Vec<String> {
    atlas()
        .counties_of(state_fips)
        .filter_map(|f| f.id.clone())
        .collect()
}

/// The codes among `fips` that have no geometry in the atlas, in input order. Use it to check a
/// county list (e.g. QCEW's) against the map: the 2020s counties it reports are those of
/// [`NOT_IN_ATLAS`].
pub fn missing_from_atlas<'a, I>(fips: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let a = atlas();
    fips.into_iter()
        .filter(|f| a.county(f).is_none())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_file_is_the_published_one() {
        assert_eq!(ATLAS_JSON.len(), 795_405);
    }

    #[test]
    fn real_atlas_decodes() {
        let a = atlas();
        assert_eq!(a.counties().len(), 3142);
        // (The unprojected counties-10m.json has 3,231: it adds Puerto Rico and the territories.)
        assert_eq!(a.states().len(), 51);
        let franklin = a.county("39049").expect("Franklin County, OH");
        assert_eq!(franklin.name.as_deref(), Some("Franklin"));
        let ohio = a.state("39").expect("Ohio");
        assert_eq!(ohio.name.as_deref(), Some("Ohio"));
        assert!(ohio.bbox.contains(&franklin.bbox, 1e-9));
        assert!(franklin.bbox.width() > 1.0 && franklin.bbox.width() < 20.0);
        // Every county lies within its state's box, and within the 975×610 frame.
        let frame = crate::topojson::BBox {
            min_x: -60.0,
            min_y: 0.0,
            max_x: FRAME.0,
            max_y: FRAME.1,
        };
        for c in a.counties() {
            let id = c.id.as_deref().unwrap();
            let st = a.state(&id[..2]).unwrap_or_else(|| panic!("state of {id}"));
            assert!(st.bbox.contains(&c.bbox, 1e-6), "{id}");
            assert!(frame.contains(&c.bbox, 0.0), "{id}");
        }
    }

    #[test]
    fn counties_of_a_state() {
        assert_eq!(counties_in_state("10"), ["10001", "10003", "10005"]);
        assert_eq!(counties_in_state("10000"), ["10001", "10003", "10005"]);
        assert_eq!(counties_in_state("39").len(), 88);
        assert!(
            counties_in_state("72").is_empty(),
            "no Puerto Rico in Albers USA"
        );
        assert!(counties_in_state("1").is_empty());
        assert!(counties_in_state("3a").is_empty());
        let ct = counties_in_state("09");
        assert_eq!(ct.first().map(String::as_str), Some("09001"));
        assert_eq!(ct.last().map(String::as_str), Some("09015"));
        assert_eq!(ct.len(), 8);
    }

    #[test]
    fn vintage_differences_are_as_documented() {
        for (fips, _) in NOT_IN_ATLAS {
            assert!(atlas().county(fips).is_none(), "{fips}");
        }
        assert!(atlas().county("02261").is_some());
        assert!(atlas().county("46102").is_some());
        assert!(atlas().county("51515").is_none());
        assert_eq!(
            missing_from_atlas(["39049", "09110", "99999"]),
            ["09110", "99999"]
        );
    }
}
