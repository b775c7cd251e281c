//! The 50 states and the District of Columbia: FIPS code, USPS abbreviation, name, and which
//! states share a land border — a small, documented reference table (pure data, no IO).
//!
//! Used where a file names a state by its postal code (LODES: `ri_od_main_JT00_2019.csv.gz`) and
//! where completeness depends on neighbours (METHODS §5.3: a commute shed needs the OD files of at
//! least every neighbouring state).
//!
//! **Adjacency** is a shared land boundary of positive length, as in the Census Bureau's
//! cartographic boundaries: the Four Corners point (AZ–CO, NM–UT) does not count, nor do
//! boundaries on water alone (RI–NY across Block Island Sound, MI–MN and MI–IL across the Great
//! Lakes). DC neighbours Maryland and Virginia. Alaska and Hawaii have no neighbours. The table
//! is checked against the shared state outlines of the embedded U.S. atlas by a test of the
//! `sectorkit` crate (`tests/commute.rs`), and for symmetry here.

/// One state (or DC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsState {
    /// Two-digit FIPS code, e.g. `44`.
    pub fips: &'static str,
    /// USPS abbreviation, upper case, e.g. `RI`.
    pub postal: &'static str,
    /// Name, e.g. `Rhode Island`.
    pub name: &'static str,
    /// USPS abbreviations of the states it shares a land border with, sorted.
    pub neighbours: &'static [&'static str],
}

macro_rules! st {
    ($fips:literal, $postal:literal, $name:literal, [$($n:literal),*]) => {
        UsState { fips: $fips, postal: $postal, name: $name, neighbours: &[$($n),*] }
    };
}

/// Every state and DC, by FIPS code.
pub const STATES: &[UsState] = &[
    st!("01", "AL", "Alabama", ["FL", "GA", "MS", "TN"]),
    st!("02", "AK", "Alaska", []),
    st!("04", "AZ", "Arizona", ["CA", "NM", "NV", "UT"]),
    st!("05", "AR", "Arkansas", ["LA", "MO", "MS", "OK", "TN", "TX"]),
    st!("06", "CA", "California", ["AZ", "NV", "OR"]),
    st!("08", "CO", "Colorado", ["KS", "NE", "NM", "OK", "UT", "WY"]),
    st!("09", "CT", "Connecticut", ["MA", "NY", "RI"]),
    st!("10", "DE", "Delaware", ["MD", "NJ", "PA"]),
    st!("11", "DC", "District of Columbia", ["MD", "VA"]),
    st!("12", "FL", "Florida", ["AL", "GA"]),
    st!("13", "GA", "Georgia", ["AL", "FL", "NC", "SC", "TN"]),
    st!("15", "HI", "Hawaii", []),
    st!("16", "ID", "Idaho", ["MT", "NV", "OR", "UT", "WA", "WY"]),
    st!("17", "IL", "Illinois", ["IA", "IN", "KY", "MO", "WI"]),
    st!("18", "IN", "Indiana", ["IL", "KY", "MI", "OH"]),
    st!("19", "IA", "Iowa", ["IL", "MN", "MO", "NE", "SD", "WI"]),
    st!("20", "KS", "Kansas", ["CO", "MO", "NE", "OK"]),
    st!(
        "21",
        "KY",
        "Kentucky",
        ["IL", "IN", "MO", "OH", "TN", "VA", "WV"]
    ),
    st!("22", "LA", "Louisiana", ["AR", "MS", "TX"]),
    st!("23", "ME", "Maine", ["NH"]),
    st!("24", "MD", "Maryland", ["DC", "DE", "PA", "VA", "WV"]),
    st!("25", "MA", "Massachusetts", ["CT", "NH", "NY", "RI", "VT"]),
    st!("26", "MI", "Michigan", ["IN", "OH", "WI"]),
    st!("27", "MN", "Minnesota", ["IA", "ND", "SD", "WI"]),
    st!("28", "MS", "Mississippi", ["AL", "AR", "LA", "TN"]),
    st!(
        "29",
        "MO",
        "Missouri",
        ["AR", "IA", "IL", "KS", "KY", "NE", "OK", "TN"]
    ),
    st!("30", "MT", "Montana", ["ID", "ND", "SD", "WY"]),
    st!("31", "NE", "Nebraska", ["CO", "IA", "KS", "MO", "SD", "WY"]),
    st!("32", "NV", "Nevada", ["AZ", "CA", "ID", "OR", "UT"]),
    st!("33", "NH", "New Hampshire", ["MA", "ME", "VT"]),
    st!("34", "NJ", "New Jersey", ["DE", "NY", "PA"]),
    st!("35", "NM", "New Mexico", ["AZ", "CO", "OK", "TX"]),
    st!("36", "NY", "New York", ["CT", "MA", "NJ", "PA", "VT"]),
    st!("37", "NC", "North Carolina", ["GA", "SC", "TN", "VA"]),
    st!("38", "ND", "North Dakota", ["MN", "MT", "SD"]),
    st!("39", "OH", "Ohio", ["IN", "KY", "MI", "PA", "WV"]),
    st!("40", "OK", "Oklahoma", ["AR", "CO", "KS", "MO", "NM", "TX"]),
    st!("41", "OR", "Oregon", ["CA", "ID", "NV", "WA"]),
    st!(
        "42",
        "PA",
        "Pennsylvania",
        ["DE", "MD", "NJ", "NY", "OH", "WV"]
    ),
    st!("44", "RI", "Rhode Island", ["CT", "MA"]),
    st!("45", "SC", "South Carolina", ["GA", "NC"]),
    st!(
        "46",
        "SD",
        "South Dakota",
        ["IA", "MN", "MT", "ND", "NE", "WY"]
    ),
    st!(
        "47",
        "TN",
        "Tennessee",
        ["AL", "AR", "GA", "KY", "MO", "MS", "NC", "VA"]
    ),
    st!("48", "TX", "Texas", ["AR", "LA", "NM", "OK"]),
    st!("49", "UT", "Utah", ["AZ", "CO", "ID", "NV", "WY"]),
    st!("50", "VT", "Vermont", ["MA", "NH", "NY"]),
    st!("51", "VA", "Virginia", ["DC", "KY", "MD", "NC", "TN", "WV"]),
    st!("53", "WA", "Washington", ["ID", "OR"]),
    st!("54", "WV", "West Virginia", ["KY", "MD", "OH", "PA", "VA"]),
    st!("55", "WI", "Wisconsin", ["IA", "IL", "MI", "MN"]),
    st!("56", "WY", "Wyoming", ["CO", "ID", "MT", "NE", "SD", "UT"]),
];

/// The state with this two-digit FIPS code.
pub fn by_fips(fips: &str) -> Option<&'static UsState> {
    STATES.iter().find(|s| s.fips == fips)
}

/// The state with this USPS abbreviation (any case).
pub fn by_postal(postal: &str) -> Option<&'static UsState> {
    STATES
        .iter()
        .find(|s| s.postal.eq_ignore_ascii_case(postal))
}

/// FIPS codes of the states sharing a land border with the state `fips` (empty for an unknown
/// code), sorted.
pub fn neighbour_fips(fips: &str) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = by_fips(fips)
        .map(|s| {
            s.neighbours
                .iter()
                .filter_map(|p| by_postal(p).map(|n| n.fips))
                .collect()
        })
        .unwrap_or_default();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        assert_eq!(STATES.len(), 51);
        let mut pairs = 0;
        for s in STATES {
            assert_eq!(by_fips(s.fips), Some(s));
            assert_eq!(by_postal(&s.postal.to_lowercase()), Some(s));
            assert!(s.neighbours.is_sorted(), "{} neighbours sorted", s.postal);
            for n in s.neighbours {
                let other = by_postal(n).unwrap_or_else(|| panic!("{n} is a state"));
                assert!(
                    other.neighbours.contains(&s.postal),
                    "{} lists {n} but not the other way round",
                    s.postal
                );
                pairs += 1;
            }
        }
        // 105 pairs of states + DC's two (the atlas check in the binary's tests agrees).
        assert_eq!(pairs / 2, 107);
        assert_eq!(neighbour_fips("44"), vec!["09", "25"]);
        assert!(neighbour_fips("99").is_empty());
    }
}
