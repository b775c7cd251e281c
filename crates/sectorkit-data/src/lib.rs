//! sectorkit-data: readers for the official files sectorkit imports, and the geography tables.
//!
//! - [`qcew`]: a streaming, header-driven reader for every BLS QCEW CSV layout (annual and
//!   quarterly, titled and untitled), plain, gzipped or in a BLS zip archive.
//! - [`geo`]: counties, states, MSAs and CSAs from the embedded BLS area titles and the OMB July
//!   2023 delineation, and [`geo::resolve_region`], which turns a list of codes into the member
//!   counties of a region.
//! - [`titles`]: BLS industry and aggregation-level titles (embedded).
//! - [`projections`]: industry employment projections in sectorkit's CSV template.
//! - [`lodes`]: Census LODES origin–destination files aggregated to county pairs while reading,
//!   and the block crosswalk.
//! - [`oews`]: BLS OEWS files (BLS download and time-series layouts), special values kept as such.
//!
//! What this crate must not do: compute statistics (location quotients, growth, estimates live in
//! `sectorkit-core`), talk to a database (that is `sectorkit-store`), or draw anything on a
//! terminal (the CLI draws progress from the callback the reader offers). It reads, validates and
//! types; nothing more.

pub mod geo;
pub mod lodes;
pub mod oews;
pub mod projections;
pub mod qcew;
pub mod titles;
