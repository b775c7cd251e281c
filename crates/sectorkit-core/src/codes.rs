//! Validated code newtypes for BLS QCEW data: areas, industries, ownerships, periods and
//! industry levels.
//!
//! Every code is text (METHODS §1.4: `area_fips` keeps its leading zero, `31-33` is an industry
//! code) and is validated once, at the boundary, so that the statistics never see a malformed code.
//! Parsing errors name the offending text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a code did not parse. Each variant carries the offending text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error(
        "invalid QCEW area code {0:?}: expected 5 characters such as 39049 (county), 39000 (state), \
         39999 (unknown county), US000 (nation), C1814 (MSA) or CS198 (CSA); keep leading zeros"
    )]
    Area(String),
    #[error(
        "invalid industry code {0:?}: expected 10, 101/102 (domain), 1011..1029 (supersector), \
         a NAICS sector (11, 31-33, 44-45, 48-49, ...) or a 3- to 6-digit NAICS code"
    )]
    Industry(String),
    #[error("unknown ownership code {0:?}: expected one of 0, 1, 2, 3, 4, 5, 8, 9")]
    Ownership(String),
    #[error("invalid period {0:?}: expected a year (2020) or a quarter (2020Q3, 2020-Q3)")]
    Period(String),
    #[error("invalid industry level {0:?}: expected supersector, sector, 3, 4, 5 or 6")]
    Level(String),
}

// ---------------------------------------------------------------------------------------------
// Areas
// ---------------------------------------------------------------------------------------------

/// A QCEW `area_fips` code (METHODS §1.7): always 5 characters, leading zeros kept.
///
/// Accepted shapes: `SSCCC` county, `SS000` state, `SS996`..`SS999` statewide residual records
/// (overseas, multicounty, out-of-state, unknown), `US000` nation, `USMSA`/`USNMS`/`USCMS` U.S.
/// combined areas, `C####` MSA or MicroSA, `CS###` CSA. Input is trimmed and upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaFips(String);

/// What an [`AreaFips`] denotes (METHODS §1.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// `US000`: the United States excluding Puerto Rico and the Virgin Islands.
    Nation,
    /// `SS000`: statewide.
    State,
    /// `SSCCC`: a county (or county equivalent), the atom of every custom region.
    County,
    /// `C####`: metropolitan or micropolitan statistical area.
    Msa,
    /// `CS###`: combined statistical area.
    Csa,
    /// `SS996`..`SS999` statewide residual records and `USMSA`/`USNMS`/`USCMS` combinations:
    /// never members of a region.
    Other,
}

impl AreaFips {
    /// The nation, `US000`.
    pub fn us() -> AreaFips {
        AreaFips("US000".to_string())
    }

    /// The statewide code `SS000` for a two-digit state FIPS code.
    pub fn state(state_fips: &str) -> Result<AreaFips, CodeError> {
        format!("{state_fips}000").parse()
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind of area (METHODS §1.7).
    pub fn kind(&self) -> AreaKind {
        let s = self.0.as_bytes();
        if s[0].is_ascii_digit() {
            match &self.0[2..] {
                "000" => AreaKind::State,
                "996" | "997" | "998" | "999" => AreaKind::Other,
                _ => AreaKind::County,
            }
        } else if self.0 == "US000" {
            AreaKind::Nation
        } else if self.0.starts_with("US") {
            AreaKind::Other
        } else if self.0.starts_with("CS") {
            AreaKind::Csa
        } else {
            AreaKind::Msa
        }
    }

    /// The two-digit state FIPS code for county, state and statewide-residual codes
    /// (`39049` → `39`, `39999` → `39`); `None` for national, metro and CSA codes.
    pub fn state_fips(&self) -> Option<&str> {
        self.0.as_bytes()[0].is_ascii_digit().then(|| &self.0[..2])
    }

    /// The statewide area (`SS000`) this county or residual code belongs to.
    pub fn state_area(&self) -> Option<AreaFips> {
        self.state_fips().map(|s| AreaFips(format!("{s}000")))
    }

    /// Whether this is a statewide residual record `SS996`..`SS999` ("unknown or undefined",
    /// overseas, multicounty, out-of-state). These are included in state totals but are never
    /// region members (METHODS §1.7, §2.2(b)).
    pub fn is_state_residual(&self) -> bool {
        self.kind() == AreaKind::Other && self.state_fips().is_some()
    }
}

impl FromStr for AreaFips {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let err = || CodeError::Area(s.to_string());
        if t.len() != 5 || !t.is_ascii() {
            return Err(err());
        }
        let b = t.as_bytes();
        let ok = if b.iter().all(u8::is_ascii_digit) {
            // State FIPS 01..78 (50 states, DC, territories incl. PR 72 and VI 78).
            let st: u8 = t[..2].parse().map_err(|_| err())?;
            (1..=78).contains(&st)
        } else if t.starts_with("US") {
            matches!(t.as_str(), "US000" | "USMSA" | "USNMS" | "USCMS")
        } else if let Some(rest) = t.strip_prefix("CS") {
            rest.bytes().all(|c| c.is_ascii_digit())
        } else if let Some(rest) = t.strip_prefix('C') {
            // `C` + the first four digits of the CBSA code; where two 2023 CBSAs share those
            // digits BLS writes a letter last (`C257A` Henderson, KY; `C368A` Ottawa, IL).
            let r = rest.as_bytes();
            r[..3].iter().all(u8::is_ascii_digit)
                && (r[3].is_ascii_digit() || r[3].is_ascii_uppercase())
        } else {
            false
        };
        if ok { Ok(AreaFips(t)) } else { Err(err()) }
    }
}

impl TryFrom<String> for AreaFips {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<AreaFips> for String {
    fn from(a: AreaFips) -> String {
        a.0
    }
}

impl fmt::Display for AreaFips {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Industry levels and codes
// ---------------------------------------------------------------------------------------------

/// Depth in the QCEW industry hierarchy (METHODS §1.6, §1.8), shallowest first, so that
/// `Total < Domain < Supersector < Sector < Naics3 < … < Naics6`.
///
/// Parsing (for the user's choice of analysis level) accepts `total`, `domain`, `supersector`,
/// `sector` (or `2`), and `3`..`6` (or `naics3`..`naics6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndustryLevel {
    /// `10` Total, all industries.
    Total,
    /// `101` Goods-producing, `102` Service-providing.
    Domain,
    /// `1011`..`1029`.
    Supersector,
    /// NAICS 2-digit sector, incl. the ranges `31-33`, `44-45`, `48-49`.
    Sector,
    /// NAICS 3-digit subsector.
    Naics3,
    /// NAICS 4-digit industry group.
    Naics4,
    /// NAICS 5-digit industry.
    Naics5,
    /// NAICS 6-digit (national) industry.
    Naics6,
}

impl IndustryLevel {
    /// All levels, shallowest first.
    pub const ALL: [IndustryLevel; 8] = [
        IndustryLevel::Total,
        IndustryLevel::Domain,
        IndustryLevel::Supersector,
        IndustryLevel::Sector,
        IndustryLevel::Naics3,
        IndustryLevel::Naics4,
        IndustryLevel::Naics5,
        IndustryLevel::Naics6,
    ];

    /// NAICS digit count for sector (2) and digit levels (3..=6).
    pub fn digits(self) -> Option<u8> {
        match self {
            IndustryLevel::Sector => Some(2),
            IndustryLevel::Naics3 => Some(3),
            IndustryLevel::Naics4 => Some(4),
            IndustryLevel::Naics5 => Some(5),
            IndustryLevel::Naics6 => Some(6),
            _ => None,
        }
    }

    /// The last digit of the `agglvl_code` for this level in the "by ownership sector" series
    /// (county 71..78, state 51..58, national 11..18; METHODS §1.6).
    pub fn agglvl_suffix(self) -> u8 {
        match self {
            IndustryLevel::Total => 1,
            IndustryLevel::Domain => 2,
            IndustryLevel::Supersector => 3,
            IndustryLevel::Sector => 4,
            IndustryLevel::Naics3 => 5,
            IndustryLevel::Naics4 => 6,
            IndustryLevel::Naics5 => 7,
            IndustryLevel::Naics6 => 8,
        }
    }

    /// Machine name, as accepted by `FromStr`.
    pub fn as_str(self) -> &'static str {
        match self {
            IndustryLevel::Total => "total",
            IndustryLevel::Domain => "domain",
            IndustryLevel::Supersector => "supersector",
            IndustryLevel::Sector => "sector",
            IndustryLevel::Naics3 => "3",
            IndustryLevel::Naics4 => "4",
            IndustryLevel::Naics5 => "5",
            IndustryLevel::Naics6 => "6",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            IndustryLevel::Total => "Total, all industries",
            IndustryLevel::Domain => "Domain",
            IndustryLevel::Supersector => "Supersector",
            IndustryLevel::Sector => "NAICS sector",
            IndustryLevel::Naics3 => "NAICS 3-digit",
            IndustryLevel::Naics4 => "NAICS 4-digit",
            IndustryLevel::Naics5 => "NAICS 5-digit",
            IndustryLevel::Naics6 => "NAICS 6-digit",
        }
    }
}

impl FromStr for IndustryLevel {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let t = t
            .strip_prefix("naics")
            .unwrap_or(&t)
            .trim_start_matches(['-', '_']);
        Ok(match t {
            "total" => IndustryLevel::Total,
            "domain" => IndustryLevel::Domain,
            "supersector" => IndustryLevel::Supersector,
            "sector" | "2" => IndustryLevel::Sector,
            "3" => IndustryLevel::Naics3,
            "4" => IndustryLevel::Naics4,
            "5" => IndustryLevel::Naics5,
            "6" => IndustryLevel::Naics6,
            _ => return Err(CodeError::Level(s.to_string())),
        })
    }
}

impl fmt::Display for IndustryLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// NAICS 2-digit prefixes that exist (METHODS §1.8), incl. the members of the range sectors.
const SECTOR_PREFIXES: [&str; 25] = [
    "11", "21", "22", "23", "31", "32", "33", "42", "44", "45", "48", "49", "51", "52", "53", "54",
    "55", "56", "61", "62", "71", "72", "81", "92", "99",
];

fn is_sector_prefix(p: &str) -> bool {
    SECTOR_PREFIXES.contains(&p)
}

/// The QCEW sector code for a 2-digit NAICS prefix (`32` → `31-33`).
fn sector_of_prefix(p: &str) -> &'static str {
    match p {
        "31" | "32" | "33" => "31-33",
        "44" | "45" => "44-45",
        "48" | "49" => "48-49",
        other => SECTOR_PREFIXES
            .iter()
            .find(|s| **s == other)
            .copied()
            .unwrap_or("99"),
    }
}

/// The supersector containing a QCEW sector code (BLS NAICS-based supersectors).
fn supersector_of_sector(sector: &str) -> &'static str {
    match sector {
        "11" | "21" => "1011",
        "23" => "1012",
        "31-33" => "1013",
        "22" | "42" | "44-45" | "48-49" => "1021",
        "51" => "1022",
        "52" | "53" => "1023",
        "54" | "55" | "56" => "1024",
        "61" | "62" => "1025",
        "71" | "72" => "1026",
        "81" => "1027",
        "92" => "1028",
        _ => "1029",
    }
}

/// Level of a validated code's text.
pub(crate) fn level_of(s: &str) -> IndustryLevel {
    if s == "10" {
        IndustryLevel::Total
    } else if s == "101" || s == "102" {
        IndustryLevel::Domain
    } else if s.starts_with("10") {
        IndustryLevel::Supersector
    } else if s.len() == 2 || s.as_bytes().get(2) == Some(&b'-') {
        IndustryLevel::Sector
    } else {
        match s.len() {
            3 => IndustryLevel::Naics3,
            4 => IndustryLevel::Naics4,
            5 => IndustryLevel::Naics5,
            _ => IndustryLevel::Naics6,
        }
    }
}

/// Parent of a validated code's text, without allocating: a prefix of the code or a static code.
pub(crate) fn parent_of(s: &str) -> Option<&str> {
    Some(match level_of(s) {
        IndustryLevel::Total => return None,
        IndustryLevel::Domain => "10",
        IndustryLevel::Supersector => {
            if s < "1020" {
                "101"
            } else {
                "102"
            }
        }
        IndustryLevel::Sector => supersector_of_sector(s),
        IndustryLevel::Naics3 => sector_of_prefix(&s[..2]),
        _ => &s[..s.len() - 1],
    })
}

const SUPERSECTORS: [&str; 12] = [
    "1011", "1012", "1013", "1021", "1022", "1023", "1024", "1025", "1026", "1027", "1028", "1029",
];

/// A QCEW `industry_code` (METHODS §1.8), kept as text.
///
/// Valid codes: `10` (total), `101`/`102` (domains), `1011`..`1013` and `1021`..`1029`
/// (supersectors), the NAICS sectors `11 21 22 23 31-33 42 44-45 48-49 51 … 92 99`, and 3- to
/// 6-digit NAICS codes whose first two digits are a sector. The bare 2-digit members of range
/// sectors (`31`, `32`, `33`, `44`, `45`, `48`, `49`) are normalised to the QCEW range code
/// (`31-33`, …), because QCEW publishes only the range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Naics(String);

impl Naics {
    /// `10`, total all industries.
    pub fn total() -> Naics {
        Naics("10".to_string())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code's level in the hierarchy (METHODS §1.6).
    pub fn level(&self) -> IndustryLevel {
        level_of(&self.0)
    }

    /// The immediate parent in the QCEW hierarchy: 6→5→4→3 digits → sector → supersector →
    /// domain → total. `None` for `10`. NAICS 238 BLS codes (`238111`) have the 5-digit prefix as
    /// parent like any other code.
    pub fn parent(&self) -> Option<Naics> {
        parent_of(&self.0).map(|p| Naics(p.to_string()))
    }

    /// All strict ancestors, nearest first, ending with `10`.
    pub fn ancestors(&self) -> impl Iterator<Item = Naics> {
        std::iter::successors(self.parent(), Naics::parent)
    }

    /// Whether `self` is a strict ancestor of `other` (e.g. `31-33` of `3361`, `1013` of `336`).
    pub fn is_ancestor_of(&self, other: &Naics) -> bool {
        self.level() < other.level()
            && std::iter::successors(parent_of(&other.0), |p| parent_of(p)).any(|a| a == self.0)
    }

    /// Whether this code is an "Unclassified" bucket (`99`, `999`..`999999`, supersector `1029`),
    /// excluded from the recommended ranking universe (METHODS §3.3).
    pub fn is_unclassified(&self) -> bool {
        self.0 == "1029" || (self.0.starts_with("99") && self.0.bytes().all(|b| b == b'9'))
    }
}

/// Whether `t` is the text of a valid, normalised code (as [`Naics::from_str`] would keep it),
/// without allocating.
pub(crate) fn is_code(t: &str) -> bool {
    if matches!(t, "10" | "101" | "102" | "31-33" | "44-45" | "48-49") || SUPERSECTORS.contains(&t)
    {
        return true;
    }
    t.bytes().all(|b| b.is_ascii_digit())
        && (2..=6).contains(&t.len())
        && is_sector_prefix(&t[..2])
        && (t.len() > 2 || sector_of_prefix(t) == t)
}

impl FromStr for Naics {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || CodeError::Industry(s.to_string());
        if t.is_empty() || !t.is_ascii() {
            return Err(err());
        }
        if matches!(t, "10" | "101" | "102") || SUPERSECTORS.contains(&t) {
            return Ok(Naics(t.to_string()));
        }
        if matches!(t, "31-33" | "44-45" | "48-49") {
            return Ok(Naics(t.to_string()));
        }
        if !t.bytes().all(|b| b.is_ascii_digit()) || !(2..=6).contains(&t.len()) {
            return Err(err());
        }
        if !is_sector_prefix(&t[..2]) {
            return Err(err());
        }
        if t.len() == 2 {
            return Ok(Naics(sector_of_prefix(t).to_string()));
        }
        Ok(Naics(t.to_string()))
    }
}

impl TryFrom<String> for Naics {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Naics> for String {
    fn from(n: Naics) -> String {
        n.0
    }
}

impl fmt::Display for Naics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Ownership
// ---------------------------------------------------------------------------------------------

/// QCEW ownership code `own_code` (METHODS §1.5). Serialised as its one-digit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Ownership {
    /// 0 Total Covered (all ownerships). Published only for the all-industry total.
    TotalCovered,
    /// 1 Federal Government.
    Federal,
    /// 2 State Government.
    State,
    /// 3 Local Government.
    Local,
    /// 4 International Government (not published in NAICS data).
    International,
    /// 5 Private: the default analysis ownership (METHODS §1.5 [R]).
    Private,
    /// 8 Total Government.
    TotalGovernment,
    /// 9 Total U.I. Covered (excludes Federal Government).
    TotalUiCovered,
}

impl Ownership {
    /// All codes in code order.
    pub const ALL: [Ownership; 8] = [
        Ownership::TotalCovered,
        Ownership::Federal,
        Ownership::State,
        Ownership::Local,
        Ownership::International,
        Ownership::Private,
        Ownership::TotalGovernment,
        Ownership::TotalUiCovered,
    ];

    /// The one-digit `own_code`.
    pub fn code(self) -> u8 {
        match self {
            Ownership::TotalCovered => 0,
            Ownership::Federal => 1,
            Ownership::State => 2,
            Ownership::Local => 3,
            Ownership::International => 4,
            Ownership::Private => 5,
            Ownership::TotalGovernment => 8,
            Ownership::TotalUiCovered => 9,
        }
    }

    /// The BLS title (METHODS §1.5).
    pub fn title(self) -> &'static str {
        match self {
            Ownership::TotalCovered => "Total Covered",
            Ownership::Federal => "Federal Government",
            Ownership::State => "State Government",
            Ownership::Local => "Local Government",
            Ownership::International => "International Government",
            Ownership::Private => "Private",
            Ownership::TotalGovernment => "Total Government",
            Ownership::TotalUiCovered => "Total U.I. Covered (Excludes Federal Government)",
        }
    }

    /// The ownership for a numeric code.
    pub fn from_code(code: u8) -> Result<Ownership, CodeError> {
        Ownership::ALL
            .into_iter()
            .find(|o| o.code() == code)
            .ok_or_else(|| CodeError::Ownership(code.to_string()))
    }
}

impl FromStr for Ownership {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<u8>()
            .map_err(|_| CodeError::Ownership(s.to_string()))
            .and_then(|c| Ownership::from_code(c).map_err(|_| CodeError::Ownership(s.to_string())))
    }
}

impl TryFrom<u8> for Ownership {
    type Error = CodeError;
    fn try_from(c: u8) -> Result<Self, Self::Error> {
        Ownership::from_code(c)
    }
}

impl From<Ownership> for u8 {
    fn from(o: Ownership) -> u8 {
        o.code()
    }
}

impl fmt::Display for Ownership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

/// A calendar quarter. An enum so that quarter 5 cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quarter {
    Q1,
    Q2,
    Q3,
    Q4,
}

impl Quarter {
    /// 1..=4.
    pub fn number(self) -> u8 {
        match self {
            Quarter::Q1 => 1,
            Quarter::Q2 => 2,
            Quarter::Q3 => 3,
            Quarter::Q4 => 4,
        }
    }

    /// The quarter numbered 1..=4.
    pub fn from_number(n: u8) -> Option<Quarter> {
        match n {
            1 => Some(Quarter::Q1),
            2 => Some(Quarter::Q2),
            3 => Some(Quarter::Q3),
            4 => Some(Quarter::Q4),
            _ => None,
        }
    }
}

/// A QCEW reference period: an annual average (`qtr = A`) or one quarter.
///
/// Text form: `2020` or `2020Q3`; parsing also accepts `2020-Q3` and lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Year(i32),
    Quarter(i32, Quarter),
}

impl Period {
    /// The calendar year.
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) => y,
        }
    }

    /// The quarter, for quarterly periods.
    pub fn quarter(self) -> Option<Quarter> {
        match self {
            Period::Year(_) => None,
            Period::Quarter(_, q) => Some(q),
        }
    }

    /// Whether this is an annual-average period.
    pub fn is_annual(self) -> bool {
        matches!(self, Period::Year(_))
    }

    /// The same period a year earlier (same quarter), the comparison base of over-the-year change
    /// (METHODS §1.12).
    pub fn previous_year(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
        }
    }

    /// Years elapsed from `earlier` to `self` (quarters count as quarter-years). `None` when one
    /// period is annual and the other quarterly.
    pub fn years_since(self, earlier: Period) -> Option<f64> {
        match (self, earlier) {
            (Period::Year(a), Period::Year(b)) => Some(f64::from(a - b)),
            (Period::Quarter(a, qa), Period::Quarter(b, qb)) => {
                let qs = (a - b) * 4 + i32::from(qa.number()) - i32::from(qb.number());
                Some(f64::from(qs) / 4.0)
            }
            _ => None,
        }
    }

    /// Builds a period from the QCEW `year` and `qtr` fields (`qtr` `A` = annual, `1`..`4`).
    pub fn from_qcew(year: &str, qtr: &str) -> Result<Period, CodeError> {
        let err = || CodeError::Period(format!("{year} {qtr}"));
        let y = parse_year(year.trim()).ok_or_else(err)?;
        match qtr.trim() {
            "A" | "a" => Ok(Period::Year(y)),
            q => q
                .parse::<u8>()
                .ok()
                .and_then(Quarter::from_number)
                .map(|q| Period::Quarter(y, q))
                .ok_or_else(err),
        }
    }
}

fn parse_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for Period {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || CodeError::Period(s.to_string());
        let t = s.trim().to_ascii_uppercase();
        if let Some(y) = parse_year(&t) {
            return Ok(Period::Year(y));
        }
        let (y, q) = t.split_once('Q').ok_or_else(err)?;
        let y = parse_year(y.strip_suffix('-').unwrap_or(y)).ok_or_else(err)?;
        let q = match q {
            "1" => Quarter::Q1,
            "2" => Quarter::Q2,
            "3" => Quarter::Q3,
            "4" => Quarter::Q4,
            _ => return Err(err()),
        };
        Ok(Period::Quarter(y, q))
    }
}

impl TryFrom<String> for Period {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{}", q.number()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(s: &str) -> AreaFips {
        s.parse().unwrap()
    }
    fn naics(s: &str) -> Naics {
        s.parse().unwrap()
    }

    #[test]
    fn area_kinds() {
        assert_eq!(area("39049").kind(), AreaKind::County);
        assert_eq!(area("39000").kind(), AreaKind::State);
        assert_eq!(area("US000").kind(), AreaKind::Nation);
        assert_eq!(area("us000").kind(), AreaKind::Nation);
        assert_eq!(area("C1814").kind(), AreaKind::Msa);
        assert_eq!(area("CS198").kind(), AreaKind::Csa);
        assert_eq!(area("C257A").kind(), AreaKind::Msa);
        assert_eq!(area("39999").kind(), AreaKind::Other);
        assert_eq!(area("USMSA").kind(), AreaKind::Other);
        assert!(area("39999").is_state_residual());
        assert!(!area("USMSA").is_state_residual());
        assert_eq!(area("01001").state_fips(), Some("01"));
        assert_eq!(area("39999").state_area(), Some(area("39000")));
        assert_eq!(area("C1814").state_fips(), None);
        assert_eq!(AreaFips::state("39").unwrap(), area("39000"));
    }

    #[test]
    fn area_rejects_bad_text() {
        for bad in [
            "1001", "390490", "00001", "99001", "US001", "CX198", "C18A4", "", "3904 ",
        ] {
            let e = bad.parse::<AreaFips>().unwrap_err();
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn naics_levels_and_parents() {
        let cases = [
            ("10", IndustryLevel::Total, None),
            ("101", IndustryLevel::Domain, Some("10")),
            ("1013", IndustryLevel::Supersector, Some("101")),
            ("1021", IndustryLevel::Supersector, Some("102")),
            ("1029", IndustryLevel::Supersector, Some("102")),
            ("31-33", IndustryLevel::Sector, Some("1013")),
            ("22", IndustryLevel::Sector, Some("1021")),
            ("44-45", IndustryLevel::Sector, Some("1021")),
            ("99", IndustryLevel::Sector, Some("1029")),
            ("336", IndustryLevel::Naics3, Some("31-33")),
            ("541", IndustryLevel::Naics3, Some("54")),
            ("3361", IndustryLevel::Naics4, Some("336")),
            ("23811", IndustryLevel::Naics5, Some("2381")),
            ("238111", IndustryLevel::Naics6, Some("23811")),
        ];
        for (code, level, parent) in cases {
            let n = naics(code);
            assert_eq!(n.level(), level, "{code}");
            assert_eq!(n.parent().map(String::from).as_deref(), parent, "{code}");
        }
    }

    #[test]
    fn naics_normalises_range_members_and_rejects_junk() {
        assert_eq!(naics("32").as_str(), "31-33");
        assert_eq!(naics(" 45 ").as_str(), "44-45");
        for bad in [
            "1", "1030", "10111", "12", "3361x", "31-32", "1234567", "00", "",
        ] {
            let e = bad.parse::<Naics>().unwrap_err();
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn naics_ancestry() {
        assert!(naics("31-33").is_ancestor_of(&naics("3361")));
        assert!(naics("10").is_ancestor_of(&naics("336111")));
        assert!(naics("1013").is_ancestor_of(&naics("336")));
        assert!(!naics("336").is_ancestor_of(&naics("336")));
        assert!(!naics("3361").is_ancestor_of(&naics("336")));
        assert!(!naics("1021").is_ancestor_of(&naics("336")));
        let chain: Vec<String> = naics("336111").ancestors().map(String::from).collect();
        assert_eq!(
            chain,
            ["33611", "3361", "336", "31-33", "1013", "101", "10"].map(String::from)
        );
        assert!(naics("99").is_unclassified());
        assert!(naics("999999").is_unclassified());
        assert!(naics("1029").is_unclassified());
        assert!(!naics("921").is_unclassified());
    }

    #[test]
    fn ownership_codes() {
        assert_eq!("5".parse::<Ownership>().unwrap(), Ownership::Private);
        assert_eq!(Ownership::TotalUiCovered.code(), 9);
        assert_eq!(Ownership::Private.title(), "Private");
        assert!(
            "6".parse::<Ownership>()
                .unwrap_err()
                .to_string()
                .contains("\"6\"")
        );
        for o in Ownership::ALL {
            assert_eq!(Ownership::from_code(o.code()).unwrap(), o);
        }
    }

    #[test]
    fn periods() {
        assert_eq!("2020".parse::<Period>().unwrap(), Period::Year(2020));
        assert_eq!(
            "2020Q3".parse::<Period>().unwrap(),
            Period::Quarter(2020, Quarter::Q3)
        );
        assert_eq!(
            "2020-q3".parse::<Period>().unwrap(),
            Period::Quarter(2020, Quarter::Q3)
        );
        assert_eq!(Period::Quarter(2020, Quarter::Q3).to_string(), "2020Q3");
        assert_eq!(Period::Year(2020).to_string(), "2020");
        assert_eq!(
            Period::Quarter(2020, Quarter::Q3).previous_year(),
            Period::Quarter(2019, Quarter::Q3)
        );
        assert_eq!(
            Period::Year(2024).years_since(Period::Year(2019)),
            Some(5.0)
        );
        assert_eq!(
            Period::Quarter(2024, Quarter::Q1).years_since(Period::Quarter(2023, Quarter::Q3)),
            Some(0.5)
        );
        assert_eq!(Period::from_qcew("2020", "A").unwrap(), Period::Year(2020));
        assert_eq!(
            Period::from_qcew("2020", "4").unwrap(),
            Period::Quarter(2020, Quarter::Q4)
        );
        for bad in ["2020Q5", "20", "2020Q", "Q3", "2020-3", "abcd"] {
            let e = bad.parse::<Period>().unwrap_err();
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn deserialization_validates() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let de = |s: &str| -> serde::de::value::StringDeserializer<Error> {
            s.to_string().into_deserializer()
        };
        assert_eq!(Naics::deserialize(de("31-33")).unwrap().as_str(), "31-33");
        assert!(Naics::deserialize(de("3x")).is_err());
        assert_eq!(AreaFips::deserialize(de("39049")).unwrap(), area("39049"));
        assert!(AreaFips::deserialize(de("9049")).is_err());
        assert_eq!(
            Period::deserialize(de("2020Q3")).unwrap(),
            Period::Quarter(2020, Quarter::Q3)
        );
        assert!(Period::deserialize(de("2020Q9")).is_err());
        let own = |c: u8| {
            Ownership::deserialize(c.into_deserializer() as serde::de::value::U8Deserializer<Error>)
        };
        assert_eq!(own(5).unwrap(), Ownership::Private);
        assert!(own(6).is_err());
    }

    #[test]
    fn industry_levels_parse() {
        assert_eq!(
            "supersector".parse::<IndustryLevel>().unwrap(),
            IndustryLevel::Supersector
        );
        assert_eq!(
            "Sector".parse::<IndustryLevel>().unwrap(),
            IndustryLevel::Sector
        );
        assert_eq!("3".parse::<IndustryLevel>().unwrap(), IndustryLevel::Naics3);
        assert_eq!(
            "naics6".parse::<IndustryLevel>().unwrap(),
            IndustryLevel::Naics6
        );
        assert!("7".parse::<IndustryLevel>().is_err());
        assert!(IndustryLevel::Total < IndustryLevel::Naics6);
        assert_eq!(IndustryLevel::Naics3.agglvl_suffix(), 5);
    }
}
