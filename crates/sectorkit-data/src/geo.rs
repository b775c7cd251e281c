//! Geography: area titles, counties, states, metropolitan and micropolitan areas (CBSAs), CSAs,
//! and [`resolve_region`], which turns a list of codes into the member counties of a region.
//!
//! Built once from two embedded public-domain tables (see `data/geo/SOURCE.md`): the BLS QCEW
//! area titles (every code QCEW publishes, and the county list) and the OMB July 2023 county →
//! CBSA delineation (metro/micro membership, CSAs). Counties are the atoms of every region
//! (METHODS §1.7): **a metro is always built from its member counties** (METHODS §1.13 — QCEW
//! stops publishing MSA industry detail from 2025Q3, and delineations change over time).
//!
//! What this module must not do: read QCEW data, aggregate anything, or touch a database.
//!
//! # Connecticut
//!
//! QCEW replaced Connecticut's 8 legacy counties (`09001`–`09015`) with 9 planning regions
//! (`09110`–`09190`) starting with **2024Q1** data; earlier data is not re-tabulated (METHODS
//! §1.7). The OMB 2023 delineation, and therefore every CBSA and CSA here, uses the planning
//! regions, so a Connecticut metro resolved here matches QCEW data from 2024 on only. The state
//! code `09000` expands to the planning regions; the legacy counties can still be named one by
//! one for pre-2024 data. A region that mixes both sets is refused, because they overlap.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use sectorkit_core::codes::{AreaFips, AreaKind};
use serde::Serialize;

const AREA_TITLES: &str = include_str!("../data/geo/area_titles.csv");
const OMB_2023: &str = include_str!("../data/geo/omb_cbsa_list1_2023_county_to_cbsa.csv");

/// Metropolitan or micropolitan statistical area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CbsaKind {
    /// Metropolitan Statistical Area (BLS title suffix `MSA`).
    Metropolitan,
    /// Micropolitan Statistical Area (BLS title suffix `MicroSA`).
    Micropolitan,
}

/// A core-based statistical area of the OMB July 2023 delineation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cbsa {
    /// Five-digit CBSA code, e.g. `18140`.
    pub code: String,
    /// The QCEW area code: `C` + the first 4 digits (`C1814`), or BLS's lettered code where two
    /// CBSAs share those digits (`C257A`, `C368A`).
    pub qcew_code: String,
    /// The BLS title, e.g. `Columbus, OH MSA`.
    pub title: String,
    /// The OMB title, e.g. `Columbus, OH`.
    pub omb_title: String,
    /// Metro or micro.
    pub kind: CbsaKind,
    /// The CSA it belongs to, as a QCEW code (`CS198`).
    pub csa: Option<String>,
    /// Member counties that QCEW publishes, sorted.
    pub counties: Vec<AreaFips>,
}

/// A combined statistical area of the OMB July 2023 delineation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Csa {
    /// The QCEW area code, `CS` + the OMB code: `CS198`.
    pub code: String,
    /// The OMB title + ` CSA`, e.g. `Columbus-Marion-Zanesville, OH CSA`.
    pub title: String,
    /// Member CBSA codes, sorted.
    pub cbsas: Vec<String>,
    /// Member counties (of all member CBSAs), sorted.
    pub counties: Vec<AreaFips>,
}

/// A county (or county equivalent) that QCEW publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct County {
    /// `SSCCC`.
    pub fips: AreaFips,
    /// The BLS title, e.g. `Franklin County, Ohio`.
    pub title: String,
}

/// What one input code of a region denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// A single county.
    County,
    /// A metropolitan statistical area (given as `C####` or `cbsa:#####`).
    Metropolitan,
    /// A micropolitan statistical area.
    Micropolitan,
    /// A combined statistical area.
    Csa,
    /// A state (all its counties).
    State,
}

/// One input code and what it expanded to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionPart {
    /// The code as the user wrote it.
    pub input: String,
    /// What it is.
    pub kind: PartKind,
    /// The canonical QCEW code: `39049`, `C1814`, `CS198`, `39000`.
    pub code: String,
    /// Display name: `Franklin County, Ohio`, `Columbus, OH MSA`, `Ohio`.
    pub title: String,
    /// The counties it contributes, sorted.
    pub counties: Vec<AreaFips>,
}

/// A custom region: a set of counties, with where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// Display name, e.g. `Columbus, OH MSA` or `Franklin County, Ohio + Delaware County, Ohio`.
    pub name: String,
    /// Member counties, sorted, without duplicates.
    pub counties: Vec<AreaFips>,
    /// The input codes in input order (repeats removed) and their expansions.
    pub parts: Vec<RegionPart>,
    /// Caveats worth showing the user (e.g. a county QCEW does not publish separately).
    pub notes: Vec<String>,
}

/// Why a region could not be resolved. Every variant names the offending code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    /// Nothing to resolve.
    #[error("no area codes given: expected a comma-separated list such as 39049,39041 or C1814")]
    Empty,
    /// A code that does not exist or is not of a known shape.
    #[error("unknown area code {code:?}: {why}")]
    Unknown {
        /// The code as given.
        code: String,
        /// Why it is not known.
        why: String,
    },
    /// An MSA/CSA code QCEW has used, but that the shipped 2023 delineation does not contain.
    #[error(
        "{code:?} ({title}) is not in the OMB July 2023 delineation shipped with sectorkit, so \
         its member counties are unknown; list its counties instead"
    )]
    NotInDelineation {
        /// The code as given.
        code: String,
        /// Its BLS title.
        title: String,
    },
    /// A real code that cannot be (part of) a region.
    #[error("{code:?} ({title}) cannot be part of a region: {why}")]
    NotARegion {
        /// The code as given.
        code: String,
        /// Its BLS title.
        title: String,
        /// Why not.
        why: &'static str,
    },
    /// Legacy Connecticut counties and planning regions in one region.
    #[error(
        "the region mixes Connecticut's legacy counties ({}) with its planning regions ({}); \
         they cover the same land: QCEW publishes the counties through 2023Q4 and the planning \
         regions from 2024Q1, so use one set",
        legacy.join(", "),
        planning.join(", ")
    )]
    ConnecticutMix {
        /// Legacy county codes in the region.
        legacy: Vec<String>,
        /// Planning-region codes in the region.
        planning: Vec<String>,
    },
}

/// The geography tables, built once from the embedded files.
#[derive(Debug)]
pub struct Geography {
    titles: HashMap<String, String>,
    counties: Vec<County>,
    counties_lower: Vec<String>,
    county_index: HashMap<AreaFips, usize>,
    cbsas: Vec<Cbsa>,
    cbsa_by_code: HashMap<String, usize>,
    cbsa_by_qcew: HashMap<String, usize>,
    cbsa_of_county: HashMap<AreaFips, usize>,
    csas: Vec<Csa>,
    csa_by_code: HashMap<String, usize>,
    /// OMB counties that QCEW does not publish separately: (code, "Name, State", CBSA code).
    unpublished: Vec<(String, String, String)>,
}

fn csv_rows(text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.expect("embedded geography table is valid CSV"))
}

/// Replaces the few accented letters of OMB titles by the plain letters BLS uses.
fn fold_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'Ñ' => 'N',
            other => other,
        })
        .collect()
}

/// `true` for Connecticut planning regions (`09110`–`09190`), `false` for legacy counties.
fn is_ct_planning_region(c: &AreaFips) -> bool {
    c.as_str().starts_with("09") && c.as_str()[2..] >= *"100"
}

fn is_ct(c: &AreaFips) -> bool {
    c.state_fips() == Some("09")
}

impl Geography {
    /// The tables embedded in this crate, parsed on first use (a few milliseconds).
    pub fn embedded() -> &'static Geography {
        static GEO: OnceLock<Geography> = OnceLock::new();
        GEO.get_or_init(|| Geography::build().expect("embedded geography tables are consistent"))
    }

    fn build() -> Result<Geography, String> {
        let mut titles = HashMap::new();
        let mut counties = Vec::new();
        for r in csv_rows(AREA_TITLES) {
            let code = r[0].trim().to_string();
            let title = r[1].trim().to_string();
            if let Ok(a) = code.parse::<AreaFips>()
                && a.kind() == AreaKind::County
            {
                counties.push(County {
                    fips: a,
                    title: title.clone(),
                });
            }
            titles.insert(code, title);
        }
        counties.sort_by(|a, b| a.fips.cmp(&b.fips));
        let county_index: HashMap<AreaFips, usize> = counties
            .iter()
            .enumerate()
            .map(|(i, c)| (c.fips.clone(), i))
            .collect();
        let counties_lower = counties.iter().map(|c| c.title.to_lowercase()).collect();

        // BLS MSA/MicroSA codes by title.
        let msa_by_title: HashMap<&str, &str> = titles
            .iter()
            .filter(|(k, _)| k.starts_with('C') && !k.starts_with("CS"))
            .map(|(k, v)| (v.as_str(), k.as_str()))
            .collect();

        let mut cbsas: Vec<Cbsa> = Vec::new();
        let mut cbsa_by_code: HashMap<String, usize> = HashMap::new();
        let mut csa_titles: HashMap<String, String> = HashMap::new();
        let mut unpublished = Vec::new();
        for r in csv_rows(OMB_2023) {
            let (code, csa, omb_title, kind) = (r[0].trim(), r[2].trim(), r[3].trim(), r[4].trim());
            let (county_name, state_name) = (r[7].trim(), r[8].trim());
            let fips = format!("{}{}", r[9].trim(), r[10].trim());
            let kind = match kind {
                "Metropolitan Statistical Area" => CbsaKind::Metropolitan,
                "Micropolitan Statistical Area" => CbsaKind::Micropolitan,
                other => return Err(format!("CBSA {code}: unknown kind {other:?}")),
            };
            let i = match cbsa_by_code.get(code) {
                Some(&i) => i,
                None => {
                    let suffix = match kind {
                        CbsaKind::Metropolitan => "MSA",
                        CbsaKind::Micropolitan => "MicroSA",
                    };
                    let want = format!("{omb_title} {suffix}");
                    let qcew_code = msa_by_title
                        .get(want.as_str())
                        .or_else(|| msa_by_title.get(fold_ascii(&want).as_str()))
                        .map(|c| c.to_string())
                        .ok_or_else(|| format!("CBSA {code} {want:?}: no BLS area title"))?;
                    let csa = (!csa.is_empty()).then(|| format!("CS{csa}"));
                    if let Some(c) = &csa {
                        csa_titles.insert(c.clone(), format!("{} CSA", r[6].trim()));
                    }
                    cbsas.push(Cbsa {
                        code: code.to_string(),
                        title: titles[&qcew_code].clone(),
                        qcew_code,
                        omb_title: omb_title.to_string(),
                        kind,
                        csa,
                        counties: Vec::new(),
                    });
                    cbsa_by_code.insert(code.to_string(), cbsas.len() - 1);
                    cbsas.len() - 1
                }
            };
            match fips.parse::<AreaFips>() {
                Ok(a) if county_index.contains_key(&a) => cbsas[i].counties.push(a),
                _ => unpublished.push((
                    fips,
                    format!("{county_name}, {state_name}"),
                    code.to_string(),
                )),
            }
        }
        cbsas.sort_by(|a, b| a.code.cmp(&b.code));
        for c in &mut cbsas {
            c.counties.sort();
            c.counties.dedup();
        }
        let cbsa_by_code = cbsas
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        let cbsa_by_qcew = cbsas
            .iter()
            .enumerate()
            .map(|(i, c)| (c.qcew_code.clone(), i))
            .collect();
        let mut cbsa_of_county = HashMap::new();
        for (i, c) in cbsas.iter().enumerate() {
            for county in &c.counties {
                if cbsa_of_county.insert(county.clone(), i).is_some() {
                    return Err(format!("county {county} is in two CBSAs"));
                }
            }
        }
        let mut csas: Vec<Csa> = csa_titles
            .into_iter()
            .map(|(code, title)| {
                let members: Vec<&Cbsa> = cbsas
                    .iter()
                    .filter(|c| c.csa.as_deref() == Some(code.as_str()))
                    .collect();
                let counties: BTreeSet<AreaFips> = members
                    .iter()
                    .flat_map(|c| c.counties.iter().cloned())
                    .collect();
                Csa {
                    cbsas: members.iter().map(|c| c.code.clone()).collect(),
                    counties: counties.into_iter().collect(),
                    code,
                    title,
                }
            })
            .collect();
        csas.sort_by(|a, b| a.code.cmp(&b.code));
        let csa_by_code = csas
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        Ok(Geography {
            titles,
            counties,
            counties_lower,
            county_index,
            cbsas,
            cbsa_by_code,
            cbsa_by_qcew,
            cbsa_of_county,
            csas,
            csa_by_code,
            unpublished,
        })
    }

    /// The BLS title of any QCEW area code (`39049`, `39000`, `C1814`, `CS198`, `US000`, …).
    pub fn title(&self, code: &str) -> Option<&str> {
        self.titles
            .get(code.trim().to_ascii_uppercase().as_str())
            .map(String::as_str)
    }

    /// The BLS title of an area.
    pub fn area_title(&self, area: &AreaFips) -> Option<&str> {
        self.titles.get(area.as_str()).map(String::as_str)
    }

    /// Every county QCEW publishes (from the BLS area titles: `SSCCC` without `SS000` and
    /// `SS996`–`SS999`), sorted by code. Connecticut appears with both its legacy counties and
    /// its planning regions (see the module docs).
    pub fn counties(&self) -> &[County] {
        &self.counties
    }

    /// One county.
    pub fn county(&self, fips: &AreaFips) -> Option<&County> {
        self.county_index.get(fips).map(|&i| &self.counties[i])
    }

    /// The counties of a state (`39000` or any code of that state), sorted. For Connecticut this
    /// lists both the legacy counties and the planning regions.
    pub fn state_counties(&self, state: &AreaFips) -> Vec<AreaFips> {
        let Some(st) = state.state_fips() else {
            return Vec::new();
        };
        self.counties
            .iter()
            .filter(|c| c.fips.state_fips() == Some(st))
            .map(|c| c.fips.clone())
            .collect()
    }

    /// Every CBSA of the 2023 delineation, sorted by code.
    pub fn cbsas(&self) -> &[Cbsa] {
        &self.cbsas
    }

    /// A CBSA by its five-digit code (`18140`).
    pub fn cbsa(&self, code: &str) -> Option<&Cbsa> {
        self.cbsa_by_code.get(code.trim()).map(|&i| &self.cbsas[i])
    }

    /// A CBSA by its QCEW code (`C1814`).
    pub fn cbsa_by_qcew_code(&self, qcew_code: &str) -> Option<&Cbsa> {
        self.cbsa_by_qcew
            .get(qcew_code.trim().to_ascii_uppercase().as_str())
            .map(|&i| &self.cbsas[i])
    }

    /// CBSA code → QCEW MSA code: `18140` → `C1814`.
    pub fn qcew_msa_code(&self, cbsa_code: &str) -> Option<&str> {
        self.cbsa(cbsa_code).map(|c| c.qcew_code.as_str())
    }

    /// QCEW MSA code → CBSA code: `C1814` → `18140`.
    pub fn cbsa_code(&self, qcew_code: &str) -> Option<&str> {
        self.cbsa_by_qcew_code(qcew_code).map(|c| c.code.as_str())
    }

    /// The CBSA a county belongs to, if any.
    pub fn cbsa_of_county(&self, county: &AreaFips) -> Option<&Cbsa> {
        self.cbsa_of_county.get(county).map(|&i| &self.cbsas[i])
    }

    /// Every CSA, sorted by code.
    pub fn csas(&self) -> &[Csa] {
        &self.csas
    }

    /// A CSA by its QCEW code (`CS198`).
    pub fn csa(&self, code: &str) -> Option<&Csa> {
        self.csa_by_code
            .get(code.trim().to_ascii_uppercase().as_str())
            .map(|&i| &self.csas[i])
    }

    /// Counties whose title contains `query` (case-insensitive), or whose code starts with it
    /// when it is all digits. Titles that start with the query come first, then alphabetical.
    pub fn search_counties(&self, query: &str) -> Vec<&County> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let by_code = q.bytes().all(|b| b.is_ascii_digit());
        let mut hits: Vec<(bool, &County)> = self
            .counties
            .iter()
            .zip(&self.counties_lower)
            .filter_map(|(c, lower)| {
                if by_code {
                    c.fips.as_str().starts_with(&q).then_some((true, c))
                } else {
                    lower.contains(&q).then(|| (lower.starts_with(&q), c))
                }
            })
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.title.cmp(&b.1.title)));
        hits.into_iter().map(|(_, c)| c).collect()
    }

    fn unknown(code: &str, why: impl Into<String>) -> GeoError {
        GeoError::Unknown {
            code: code.to_string(),
            why: why.into(),
        }
    }

    fn cbsa_part(input: &str, c: &Cbsa) -> RegionPart {
        RegionPart {
            input: input.to_string(),
            kind: match c.kind {
                CbsaKind::Metropolitan => PartKind::Metropolitan,
                CbsaKind::Micropolitan => PartKind::Micropolitan,
            },
            code: c.qcew_code.clone(),
            title: c.title.clone(),
            counties: c.counties.clone(),
        }
    }

    fn resolve_one(&self, input: &str) -> Result<RegionPart, GeoError> {
        const SHAPES: &str = "expected a county FIPS code (39049), a state (39000), a QCEW MSA \
                              code (C1814), a CBSA code (cbsa:18140) or a CSA code (CS198)";
        let upper = input.to_ascii_uppercase();
        if let Some(rest) = upper
            .strip_prefix("CBSA:")
            .or_else(|| upper.strip_prefix("MSA:"))
        {
            let rest = rest.trim();
            return match self.cbsa(rest) {
                Some(c) => Ok(Self::cbsa_part(input, c)),
                None if rest.len() == 5 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                    Err(Self::unknown(
                        input,
                        "no CBSA with this code in the OMB July 2023 delineation",
                    ))
                }
                None => Err(Self::unknown(
                    input,
                    "a CBSA code has five digits, e.g. cbsa:18140",
                )),
            };
        }
        if upper.starts_with("CS") {
            if let Some(c) = self.csa(&upper) {
                return Ok(RegionPart {
                    input: input.to_string(),
                    kind: PartKind::Csa,
                    code: c.code.clone(),
                    title: c.title.clone(),
                    counties: c.counties.clone(),
                });
            }
            return Err(match self.titles.get(&upper) {
                Some(t) => GeoError::NotInDelineation {
                    code: input.to_string(),
                    title: t.clone(),
                },
                None => Self::unknown(input, "no such CSA"),
            });
        }
        if upper.starts_with('C') {
            if let Some(c) = self.cbsa_by_qcew_code(&upper) {
                return Ok(Self::cbsa_part(input, c));
            }
            return Err(match self.titles.get(&upper) {
                Some(t) => GeoError::NotInDelineation {
                    code: input.to_string(),
                    title: t.clone(),
                },
                None => Self::unknown(input, "no such MSA or MicroSA"),
            });
        }
        let area: AreaFips = upper.parse().map_err(|_| Self::unknown(input, SHAPES))?;
        let title = || self.area_title(&area).unwrap_or("").to_string();
        match area.kind() {
            AreaKind::County => match self.county(&area) {
                Some(c) => Ok(RegionPart {
                    input: input.to_string(),
                    kind: PartKind::County,
                    code: area.to_string(),
                    title: c.title.clone(),
                    counties: vec![area],
                }),
                None => Err(Self::unknown(
                    input,
                    "no such county in the BLS area titles",
                )),
            },
            AreaKind::State => {
                let Some(state_title) = self.area_title(&area) else {
                    return Err(Self::unknown(input, "no such state"));
                };
                let mut counties = self.state_counties(&area);
                if area.as_str() == "09000" {
                    counties.retain(is_ct_planning_region);
                }
                if counties.is_empty() {
                    return Err(GeoError::NotARegion {
                        code: input.to_string(),
                        title: state_title.to_string(),
                        why: "it has no counties",
                    });
                }
                Ok(RegionPart {
                    input: input.to_string(),
                    kind: PartKind::State,
                    code: area.to_string(),
                    title: state_title
                        .strip_suffix(" -- Statewide")
                        .unwrap_or(state_title)
                        .to_string(),
                    counties,
                })
            }
            AreaKind::Nation => Err(GeoError::NotARegion {
                code: input.to_string(),
                title: title(),
                why: "the nation is the reference area of every comparison, not a region",
            }),
            AreaKind::Other => Err(GeoError::NotARegion {
                code: input.to_string(),
                title: title(),
                why: "statewide residual and U.S. combined records are never region members \
                      (METHODS §1.7)",
            }),
            // Handled above by prefix; kept for exhaustiveness.
            AreaKind::Msa | AreaKind::Csa => Err(Self::unknown(input, SHAPES)),
        }
    }

    /// Resolves a comma-separated list of codes into a region; see [`resolve_region`].
    pub fn resolve_region(&self, codes: &str) -> Result<Region, GeoError> {
        let mut parts: Vec<RegionPart> = Vec::new();
        for input in codes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let part = self.resolve_one(input)?;
            if !parts.iter().any(|p| p.code == part.code) {
                parts.push(part);
            }
        }
        if parts.is_empty() {
            return Err(GeoError::Empty);
        }
        let counties: Vec<AreaFips> = parts
            .iter()
            .flat_map(|p| p.counties.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (planning, legacy): (Vec<&AreaFips>, Vec<&AreaFips>) = counties
            .iter()
            .filter(|c| is_ct(c))
            .partition(|c| is_ct_planning_region(c));
        if !planning.is_empty() && !legacy.is_empty() {
            return Err(GeoError::ConnecticutMix {
                legacy: legacy.iter().map(|c| c.to_string()).collect(),
                planning: planning.iter().map(|c| c.to_string()).collect(),
            });
        }
        let mut notes = Vec::new();
        for p in &parts {
            if matches!(
                p.kind,
                PartKind::Metropolitan | PartKind::Micropolitan | PartKind::Csa
            ) {
                let member_cbsas: Vec<&Cbsa> = match p.kind {
                    PartKind::Csa => self
                        .csa(&p.code)
                        .map(|c| c.cbsas.iter().filter_map(|k| self.cbsa(k)).collect())
                        .unwrap_or_default(),
                    _ => self.cbsa_by_qcew_code(&p.code).into_iter().collect(),
                };
                for (code, name, cbsa) in &self.unpublished {
                    if member_cbsas.iter().any(|c| &c.code == cbsa) {
                        notes.push(format!(
                            "{code} {name} belongs to {} in the OMB delineation but QCEW does not \
                             publish it separately (it is included in a neighbouring county); it \
                             is left out",
                            p.title
                        ));
                    }
                }
            }
            if p.kind == PartKind::State && p.code == "09000" {
                notes.push(
                    "Connecticut expands to its 9 planning regions (09110-09190), which QCEW \
                     publishes from 2024Q1; for earlier data name the legacy counties \
                     (09001-09015) instead"
                        .to_string(),
                );
            }
        }
        if counties.iter().any(is_ct_planning_region)
            && !notes.iter().any(|n| n.starts_with("Connecticut"))
        {
            notes.push(
                "Connecticut planning regions (09110-09190) have QCEW data from 2024Q1 only"
                    .to_string(),
            );
        }
        let name = match parts.as_slice() {
            [] => unreachable!("checked above"),
            [one] => one.title.clone(),
            [a, b] => format!("{} + {}", a.title, b.title),
            [a, b, c] => format!("{} + {} + {}", a.title, b.title, c.title),
            [a, b, rest @ ..] => format!("{} + {} + {} more areas", a.title, b.title, rest.len()),
        };
        Ok(Region {
            name,
            counties,
            parts,
            notes,
        })
    }
}

/// Resolves a comma-separated list of area codes into a [`Region`] of member counties, using the
/// embedded tables.
///
/// Accepted codes: county FIPS (`39049`), QCEW MSA/MicroSA codes (`C1814`), CBSA codes written
/// `cbsa:18140` (or `msa:18140`), CSA codes (`CS198`) and states (`39000` → all its counties).
/// Metros and CSAs expand to their member counties in the OMB July 2023 delineation. A code that
/// does not exist is an error naming it; so are `US000`, statewide residual codes (`39999`) and
/// old MSA codes that the 2023 delineation no longer has.
///
/// Connecticut caveat: see the [module docs](self#connecticut) — the 2023 delineation uses the
/// planning regions, which QCEW publishes from 2024Q1 only, and a region may not mix them with the
/// legacy counties.
///
/// ```
/// let r = sectorkit_data::geo::resolve_region("C1814").unwrap();
/// assert_eq!(r.name, "Columbus, OH MSA");
/// assert_eq!(r.counties.len(), 10);
/// ```
pub fn resolve_region(codes: &str) -> Result<Region, GeoError> {
    Geography::embedded().resolve_region(codes)
}
