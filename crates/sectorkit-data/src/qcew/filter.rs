//! The early row filter: decides on the raw bytes of a record, before any parsing, whether the
//! row is wanted, so that a 10-county query over a national file parses almost nothing.
//!
//! It compares raw text only. A row it rejects is neither parsed nor validated (nor counted in
//! the summary's per-row statistics); it never changes the values of rows it lets through.

use std::ops::RangeInclusive;

use sectorkit_core::codes::{AreaFips, Naics, Ownership};

use super::layout::Columns;
use super::number::trim;

/// Which rows to keep. The default keeps every row.
///
/// ```
/// use sectorkit_data::qcew::RowFilter;
/// use sectorkit_core::codes::Ownership;
/// let f = RowFilter::all()
///     .areas(["39049".parse().unwrap(), "US000".parse().unwrap()])
///     .ownerships([Ownership::TotalCovered, Ownership::Private])
///     .agglvl(10..=78);
/// assert!(!f.is_all());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFilter {
    areas: Option<Vec<Vec<u8>>>,
    ownerships: Option<u16>,
    agglvl: Option<(u8, u8)>,
    industries: Option<Vec<Vec<u8>>>,
}

impl RowFilter {
    /// Keeps every row.
    pub fn all() -> RowFilter {
        RowFilter::default()
    }

    /// Keeps only rows whose `area_fips` is one of `areas` (add `US000` if the national rows are
    /// needed too). Calling it again replaces the set.
    pub fn areas<I: IntoIterator<Item = AreaFips>>(mut self, areas: I) -> RowFilter {
        let mut v: Vec<Vec<u8>> = areas
            .into_iter()
            .map(|a| a.as_str().as_bytes().to_vec())
            .collect();
        v.sort();
        v.dedup();
        self.areas = Some(v);
        self
    }

    /// Keeps only rows of these ownerships.
    pub fn ownerships<I: IntoIterator<Item = Ownership>>(mut self, owns: I) -> RowFilter {
        self.ownerships = Some(owns.into_iter().fold(0u16, |m, o| m | (1 << o.code())));
        self
    }

    /// Keeps only rows whose `agglvl_code` lies in `range` (e.g. `70..=78` for county rows).
    pub fn agglvl(mut self, range: RangeInclusive<u8>) -> RowFilter {
        self.agglvl = Some((*range.start(), *range.end()));
        self
    }

    /// Keeps only rows of these industry codes.
    pub fn industries<I: IntoIterator<Item = Naics>>(mut self, codes: I) -> RowFilter {
        let mut v: Vec<Vec<u8>> = codes
            .into_iter()
            .map(|n| n.as_str().as_bytes().to_vec())
            .collect();
        v.sort();
        v.dedup();
        self.industries = Some(v);
        self
    }

    /// The sorted area codes the filter keeps, if it names areas.
    pub(crate) fn area_codes(&self) -> Option<&[Vec<u8>]> {
        self.areas.as_deref()
    }

    /// Whether the filter keeps every row.
    pub fn is_all(&self) -> bool {
        self == &RowFilter::default()
    }

    /// Decides on the raw record.
    #[inline]
    pub(crate) fn matches<F: super::Fields + ?Sized>(&self, rec: &F, cols: &Columns) -> bool {
        if let Some(areas) = &self.areas {
            let a = trim(&rec[cols.area]);
            if areas.binary_search_by(|x| x.as_slice().cmp(a)).is_err() {
                return false;
            }
        }
        if let Some(mask) = self.ownerships {
            match trim(&rec[cols.own]) {
                [d] if d.is_ascii_digit() && mask & (1 << (d - b'0')) != 0 => {}
                _ => return false,
            }
        }
        if let Some((lo, hi)) = self.agglvl {
            match trim(&rec[cols.agglvl]) {
                [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                    let v = (a - b'0') * 10 + (b - b'0');
                    if v < lo || v > hi {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        if let Some(inds) = &self.industries {
            let i = trim(&rec[cols.industry]);
            if inds.binary_search_by(|x| x.as_slice().cmp(i)).is_err() {
                return false;
            }
        }
        true
    }
}
