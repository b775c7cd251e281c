//! Verification of official files against BLS's own published columns.

use crate::{Result, bail};
use sectorkit_core::codes::AreaKind;
use sectorkit_core::verify::{VerifyReport, verify};
use sectorkit_data::qcew::{ReadOptions, read_path};
use std::path::PathBuf;

/// Reads the files and verifies every by-area cell whose national cells are present.
pub fn verify_files(files: &[PathBuf]) -> Result<VerifyReport> {
    let mut cells = Vec::new();
    for f in files {
        read_path(f, ReadOptions::new(), |row| {
            if row.size == 0 {
                cells.push(crate::convert::published_cell(&row));
            }
            Ok::<(), std::convert::Infallible>(())
        })?;
    }
    if !cells.iter().any(|c| c.area.kind() == AreaKind::Nation) {
        bail!(
            "none of the files has U.S. (US000) rows: add the national file of the same period to verify location quotients"
        );
    }
    Ok(verify(&cells))
}
