//! sectorkit-export: files sectorkit hands to people, shared by the CLI and the web app.
//!
//! - [`workbook`]: the needs-assessment workbook (xlsx) of a target-industry table: cover with
//!   settings and sources, one tab per measure, all factors, real conditional formatting for the
//!   highlight rules, and a score tab whose ranks and scores are Excel formulas over the factor
//!   cells with the weights in input cells.
//! - [`csv_safe`]: the CSV writer every CSV output uses, neutralising formula-like text cells.
//! - [`png`]: charts as PNG (the SVG charts rasterized with `resvg` and embedded fonts).
//!
//! A crate of its own so that `rust_xlsxwriter` burdens only the front-ends that write files, not
//! every user of the engine; like the engine it holds no SQL and no statistics (the workbook's
//! formulas restate METHODS §3 for Excel, the numbers come from `sectorkit-core`).

pub mod csv_safe;
pub mod png;
pub mod workbook;

pub use csv_safe::{SafeCsv, csv_bytes, csv_cell};
pub use png::{PngError, svg_to_png, svg_to_png_fit};
pub use workbook::{ExportError, WorkbookInput, needs_assessment_workbook, neutralise};
