//! sectorkit-data: readers for the official files sectorkit imports, and the geography tables.
//!
//! - [`qcew`]: a streaming, header-driven reader for every BLS QCEW CSV layout (annual and
//!   quarterly, titled and untitled), plain, gzipped or in a BLS zip archive.
//! - [`geo`]: counties, states, MSAs and CSAs from the embedded BLS area titles and the OMB July
//!   2023 delineation, and [`geo::resolve_region`], which turns a list of codes into the member
//!   counties of a region.
//! - [`titles`]: BLS industry and aggregation-level titles (embedded).
//! - [`projections`]: industry employment projections in sectorkit's CSV template.
//! - [`ep`]: BLS Employment Projections occupation tables 1.2 and 1.10, from the official workbook
//!   or CSV extractions, education and training categories typed.
//! - [`living_wage`]: living wages (MIT or the partnership's own) in sectorkit's CSV template.
//! - [`lodes`]: Census LODES origin–destination files aggregated to county pairs while reading,
//!   and the block crosswalk.
//! - [`oews`]: BLS OEWS files (BLS download and time-series layouts), special values kept as such.
//! - [`onet`]: O*NET job zones, job-zone reference, occupation data and education/training/
//!   experience files, and the O*NET-SOC → SOC rule.
//!
//! What this crate must not do: compute statistics (location quotients, growth, estimates live in
//! `sectorkit-core`), talk to a database (that is `sectorkit-store`), or draw anything on a
//! terminal (the CLI draws progress from the callback the reader offers). It reads, validates and
//! types; nothing more.

pub mod ep;
pub mod geo;
pub mod living_wage;
pub mod lodes;
mod newlines;
pub mod oews;
pub mod onet;
pub mod participants;
pub mod projections;
pub mod qcew;
pub mod titles;
