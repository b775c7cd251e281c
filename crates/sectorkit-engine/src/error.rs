//! The engine's error type: every failure carries a message a user can act on.

use sectorkit_core::targets::TargetError;
use sectorkit_data::geo::GeoError;
use sectorkit_data::projections::ProjectionError;
use sectorkit_data::qcew::QcewError;
use sectorkit_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The request or the input is not usable (bad period, unknown area, …).
    #[error("{0}")]
    Invalid(String),
    /// A file could not be read.
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Qcew(#[from] QcewError),
    #[error(transparent)]
    Geo(#[from] GeoError),
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sectorkit_core::codes::CodeError> for EngineError {
    fn from(e: sectorkit_core::codes::CodeError) -> Self {
        EngineError::Invalid(e.to_string())
    }
}
