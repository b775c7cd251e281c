//! sectorkit-engine: the use cases that both front-ends (the `sectorkit` CLI and the web app)
//! run over the store, the readers and the core.
//!
//! - [`commute`]: labor shed, commute shed and inflow/outflow of a region from LODES OD files
//!   or the store, with the coverage report; importing OD files.
//! - [`import`]: stream an official QCEW file (path or in-memory upload) into the store,
//!   atomically and idempotently.
//! - [`targets`]: build the target-industry table for a region from the database or straight
//!   from files, with projections when available.
//! - [`verify`]: recompute BLS's published LQ, OTY and pay columns from files.
//! - [`table`]: the stable column contract of a target table (CSV/JSON/web share it).
//!
//! What this crate must not do: render anything (HTML, terminal), hold SQL (that is the store) or
//! implement statistics (that is the core). It orchestrates.

pub mod commute;
pub mod convert;
mod error;
pub mod import;
pub mod occupations;
pub mod table;
pub mod targets;
pub mod verify;

pub use error::EngineError;

/// Result of an engine call.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Returns early with [`EngineError::Invalid`] and a formatted message.
macro_rules! bail {
    ($($t:tt)*) => {
        return Err($crate::EngineError::Invalid(format!($($t)*)))
    };
}
pub(crate) use bail;
