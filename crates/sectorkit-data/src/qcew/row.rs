//! The typed QCEW row the reader hands out, and the disclosure rules that fill it.
//!
//! A row carries codes as validated core types (text underneath: leading zeros kept, `31-33`
//! valid) and measures as `Option`s: `None` means "not published" (suppressed, or an empty
//! field), never zero. This module only describes rows; it does not read files and it computes
//! nothing from the values.

use sectorkit_core::codes::{AreaFips, Naics, Ownership, Period};
use serde::{Deserialize, Serialize};

/// A QCEW disclosure code (`disclosure_code`, `lq_disclosure_code`, `oty_disclosure_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// Blank: the values are published.
    Disclosed,
    /// `N`: not disclosed. BLS writes `0` in the withheld fields; the reader turns them into
    /// `None` (METHODS §1.9). Establishment counts stay published on such rows and are kept.
    Suppressed,
    /// `-`: found in BLS quarterly files on rows that have **no establishments** in the period
    /// (the row exists because the cell had data a year earlier, for the over-the-year block).
    /// Every measure is written as `0`, the `lq_`/`oty_` codes are `N`. Not a suppression: the
    /// reader keeps the published zeros of the main block (`estabs` is 0, so employment and
    /// wages are truly 0) and applies the `N` of the LQ and OTY blocks as usual.
    NoEstablishments,
}

impl Disclosure {
    /// The code as written in the files: `""`, `"N"` or `"-"`.
    pub fn code(self) -> &'static str {
        match self {
            Disclosure::Disclosed => "",
            Disclosure::Suppressed => "N",
            Disclosure::NoEstablishments => "-",
        }
    }

    /// Parses the raw field (surrounding blanks ignored).
    pub fn from_code(s: &str) -> Option<Disclosure> {
        match s.trim() {
            "" => Some(Disclosure::Disclosed),
            "N" => Some(Disclosure::Suppressed),
            "-" => Some(Disclosure::NoEstablishments),
            _ => None,
        }
    }

    /// Whether this is `N`.
    pub fn is_suppressed(self) -> bool {
        self == Disclosure::Suppressed
    }
}

/// One QCEW record: one area × ownership × industry × aggregation level × size × period.
///
/// Annual and quarterly rows share this type. For an **annual** row `employment` is
/// `annual_avg_emplvl` and `month_employment` is `[None; 3]`; for a **quarterly** row
/// `month_employment` holds `month1_emplvl..month3_emplvl` and `employment` is **month 3** (the
/// last month of the quarter, the usual point-in-time reading of a quarter).
///
/// Suppression (METHODS §1.9): when `disclosure` is `N`, every employment and wage measure is
/// `None` (BLS writes 0 there), while `estabs` keeps its published count. The LQ and OTY blocks
/// follow their own disclosure codes (see [`LocationQuotients`], [`OverTheYear`]). An empty
/// numeric field is also `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QcewRow {
    /// `area_fips`.
    pub area: AreaFips,
    /// `own_code`.
    pub ownership: Ownership,
    /// `industry_code`.
    pub industry: Naics,
    /// `agglvl_code` (two digits in the files, e.g. 74 = county NAICS sector by ownership).
    pub agglvl: u8,
    /// `size_code` (0 = all sizes; always 0 on annual rows).
    pub size: u8,
    /// `year` + `qtr` (`A` = annual average).
    pub period: Period,
    /// `disclosure_code`.
    pub disclosure: Disclosure,
    /// `area_title`, in titled (by-area / by-industry) files only.
    pub area_title: Option<String>,
    /// `industry_title` as BLS wrote it (e.g. `NAICS 3361 Motor vehicle manufacturing`), in
    /// titled files only. For untitled files see [`crate::titles::industry_title`].
    pub industry_title: Option<String>,
    /// `annual_avg_estabs` / `annual_avg_estabs_count` or `qtrly_estabs` /
    /// `qtrly_estabs_count`. Published even on `N` rows, and kept.
    pub estabs: Option<u64>,
    /// Annual rows: `annual_avg_emplvl`; quarterly rows: `month3_emplvl`.
    pub employment: Option<u64>,
    /// Quarterly rows: `month1_emplvl`, `month2_emplvl`, `month3_emplvl`; `[None; 3]` on annual
    /// rows.
    pub month_employment: [Option<u64>; 3],
    /// `total_annual_wages` / `total_qtrly_wages`, in dollars.
    pub total_wages: Option<u64>,
    /// `taxable_annual_wages` / `taxable_qtrly_wages`.
    pub taxable_wages: Option<u64>,
    /// `annual_contributions` / `qtrly_contributions`.
    pub contributions: Option<u64>,
    /// `annual_avg_wkly_wage` / `avg_wkly_wage` as published (whole dollars).
    pub avg_weekly_wage: Option<u64>,
    /// `avg_annual_pay` as published; annual rows only.
    pub avg_annual_pay: Option<u64>,
    /// The BLS-published location quotients (vs. the U.S.).
    pub lq: LocationQuotients,
    /// The BLS-published over-the-year changes.
    pub oty: OverTheYear,
}

impl QcewRow {
    /// Whether the row's own disclosure code is `N`.
    pub fn is_suppressed(&self) -> bool {
        self.disclosure.is_suppressed()
    }
}

/// The `lq_*` block: location quotients vs. the U.S. as BLS computed and rounded them (to
/// hundredths), kept for verification (METHODS §1.11).
///
/// The employment and wage LQs are `None` when `lq_disclosure_code` or the row's
/// `disclosure_code` is `N`. The establishment LQ is published on such rows too, and kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LocationQuotients {
    /// `lq_disclosure_code`.
    pub disclosure: Disclosure,
    /// `lq_annual_avg_estabs(_count)` / `lq_qtrly_estabs(_count)`.
    pub estabs: Option<f64>,
    /// Annual: `lq_annual_avg_emplvl`; quarterly: `lq_month3_emplvl`.
    pub employment: Option<f64>,
    /// Quarterly: `lq_month1_emplvl..lq_month3_emplvl`; `[None; 3]` on annual rows.
    pub month_employment: [Option<f64>; 3],
    /// `lq_total_annual_wages` / `lq_total_qtrly_wages`.
    pub total_wages: Option<f64>,
}

/// The `oty_*` block: change from the same period a year earlier as BLS published it (level
/// change, and percent change rounded to tenths; METHODS §1.12).
///
/// Employment and wage changes are `None` when `oty_disclosure_code` or the row's
/// `disclosure_code` is `N`. The establishment changes are published on such rows too, and kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverTheYear {
    /// `oty_disclosure_code`.
    pub disclosure: Disclosure,
    /// `oty_annual_avg_estabs(_count)_chg` / `oty_qtrly_estabs(_count)_chg`.
    pub estabs_chg: Option<i64>,
    /// `…estabs…_pct_chg`.
    pub estabs_pct_chg: Option<f64>,
    /// Annual: `oty_annual_avg_emplvl_chg`; quarterly: `oty_month3_emplvl_chg`.
    pub employment_chg: Option<i64>,
    /// Annual: `oty_annual_avg_emplvl_pct_chg`; quarterly: `oty_month3_emplvl_pct_chg`.
    pub employment_pct_chg: Option<f64>,
    /// Quarterly: `oty_month1_emplvl_chg..oty_month3_emplvl_chg`; `[None; 3]` on annual rows.
    pub month_employment_chg: [Option<i64>; 3],
    /// Quarterly: `oty_month1_emplvl_pct_chg..`; `[None; 3]` on annual rows.
    pub month_employment_pct_chg: [Option<f64>; 3],
    /// `oty_total_annual_wages_chg` / `oty_total_qtrly_wages_chg`.
    pub total_wages_chg: Option<i64>,
    /// `…total…wages_pct_chg`.
    pub total_wages_pct_chg: Option<f64>,
}
