//! Helpers shared by the integration tests: fixture and shared-data paths, reading a whole file.
#![allow(dead_code)]

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use sectorkit_core::codes::{Ownership, Period};
use sectorkit_data::qcew::{FileSummary, QcewRow, ReadOptions, RowFilter, read_path};
use sha2::{Digest, Sha256};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A file of the project's shared data folder (`shared/` beside the repository). Fails, rather
/// than skips, when it is missing: CI clones the repository with `shared/` beside it.
pub fn shared(rel: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let p = root.join(rel);
    assert!(
        p.exists(),
        "shared data file {} is missing: the tests expect the project's shared/ folder beside the \
         repository root",
        p.display()
    );
    p
}

pub fn read_all(path: &Path) -> (FileSummary, Vec<QcewRow>) {
    read_filtered(path, &RowFilter::all())
}

pub fn read_filtered(path: &Path, filter: &RowFilter) -> (FileSummary, Vec<QcewRow>) {
    let mut rows = Vec::new();
    let summary = read_path(path, ReadOptions::new().filter(filter), |r| {
        rows.push(r);
        Ok::<(), Infallible>(())
    })
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(summary.rows_matched as usize, rows.len());
    (summary, rows)
}

pub fn find<'a>(
    rows: &'a [QcewRow],
    area: &str,
    own: Ownership,
    industry: &str,
    period: &str,
) -> &'a QcewRow {
    let period: Period = period.parse().unwrap();
    rows.iter()
        .find(|r| {
            r.area.as_str() == area
                && r.ownership == own
                && r.industry.as_str() == industry
                && r.period == period
        })
        .unwrap_or_else(|| panic!("no row {area} {own} {industry} {period}"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn sha256_file(path: &Path) -> String {
    sha256_hex(&std::fs::read(path).unwrap())
}

pub fn gunzip(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}
