//! Server-side SVG for sectorkit's "Region & industries" pages: the target-industry
//! [bubble chart](bubble::bubble_chart), [horizontal bar charts](bar::bar_chart) and the
//! [county map](map::county_map) drawn from the embedded U.S. atlas, and the commuting
//! [shed map](shed::shed_map) built on it; for the occupations of an industry, the
//! [career ladder](ladder::career_ladder) (occupations in rungs by job zone or education, entry
//! points marked).
//!
//! Every function returns a complete, self-contained `<svg>` document as a `String`: `role="img"`
//! with `<title>` and `<desc>` (a text alternative that summarises the data) referenced by
//! `aria-labelledby`, a `viewBox` so it scales to its container, CSS classes as styling hooks,
//! `font-family="system-ui, sans-serif"`, and no external references. All text is XML-escaped.
//!
//! The only links are the county map's optional `<a href>` around each county, built from the
//! caller's template (so a region can be edited with plain links, without JavaScript). IDs
//! (`<title>`/`<desc>`, patterns) carry a per-chart hash prefix, so several charts can share a
//! page; the map's county paths use the fixed ids `c{FIPS}`, so put one map per page.
//!
//! This crate must not do IO (the atlas is embedded with `include_str!`), compute statistics
//! (values arrive computed; a missing value stays missing and is never drawn as zero), or depend
//! on other sectorkit crates (its tests read `sectorkit-data`'s county lists as a
//! dev-dependency only).

/// Values whose magnitude exceeds this (or that are not finite) are treated as missing by every
/// chart: no statistic sectorkit shows comes near it, and it keeps the layout arithmetic exact.
pub const MAX_ABS_VALUE: f64 = 1e12;

pub mod atlas;
pub mod bar;
pub mod bubble;
pub mod format;
pub mod ladder;
pub mod layout;
pub mod map;
pub mod palette;
pub mod shed;
pub mod svg;
pub mod ticks;
pub mod topojson;

pub use atlas::{NOT_IN_ATLAS, counties_in_state, missing_from_atlas};
pub use bar::{BarItem, BarOptions, Reference, bar_chart};
pub use bubble::{BubbleOptions, BubblePoint, bubble_chart, bubble_radius};
pub use format::NumberFormat;
pub use ladder::{LadderOccupation, LadderOptions, LadderRung, LadderWage, career_ladder};
pub use map::{Choropleth, Classing, CountyValue, MapRequest, county_map};
pub use shed::{ShedKind, ShedMapRequest, shed_map};
