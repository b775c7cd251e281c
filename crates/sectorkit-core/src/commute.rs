//! Commuting flows of a region from LODES origin–destination counts aggregated to county pairs
//! (METHODS §5.3): interior, inflow and outflow, the **labor shed** (where the people employed in
//! the region live) and the **commute shed** (where the region's residents work), the same three
//! counts for each LODES segment (age, earnings, industry group), and a **coverage report** that
//! says which states' OD files the figures need and which are missing.
//!
//! ```text
//! interior = Σ S000[w∈R, h∈R]      inflow = Σ S000[w∈R, h∉R]      outflow = Σ S000[w∉R, h∈R]
//! employed_in_R = interior + inflow                residents_employed = interior + outflow
//! labor_shed(h) = Σ_{w∈R} S000[w,h] / employed_in_R
//! commute_shed(w) = Σ_{h∈R} S000[w,h] / residents_employed
//! ```
//!
//! Pure functions over plain values: no IO (the files are read by `sectorkit_data::lodes`).
//! LODES counts are jobs (JT00 counts a worker once per job) and are noise-infused at block level;
//! county totals are fit for shares and flows, not as a substitute for QCEW levels (§5.4).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::us_states;

/// The LODES segments of an OD file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    /// Age 29 or younger.
    SA01,
    /// Age 30 to 54.
    SA02,
    /// Age 55 or older.
    SA03,
    /// Earnings $1,250/month or less.
    SE01,
    /// Earnings $1,251–$3,333/month.
    SE02,
    /// Earnings above $3,333/month.
    SE03,
    /// Goods producing industries.
    SI01,
    /// Trade, transportation and utilities.
    SI02,
    /// All other services.
    SI03,
}

impl Segment {
    /// All nine, in file order (the index of a segment in [`Counts::segments`]).
    pub const ALL: [Segment; 9] = [
        Segment::SA01,
        Segment::SA02,
        Segment::SA03,
        Segment::SE01,
        Segment::SE02,
        Segment::SE03,
        Segment::SI01,
        Segment::SI02,
        Segment::SI03,
    ];

    /// The column name, e.g. `SA01`.
    pub fn code(self) -> &'static str {
        match self {
            Segment::SA01 => "SA01",
            Segment::SA02 => "SA02",
            Segment::SA03 => "SA03",
            Segment::SE01 => "SE01",
            Segment::SE02 => "SE02",
            Segment::SE03 => "SE03",
            Segment::SI01 => "SI01",
            Segment::SI02 => "SI02",
            Segment::SI03 => "SI03",
        }
    }

    /// A short description, e.g. `age 29 or younger`.
    pub fn label(self) -> &'static str {
        match self {
            Segment::SA01 => "age 29 or younger",
            Segment::SA02 => "age 30 to 54",
            Segment::SA03 => "age 55 or older",
            Segment::SE01 => "earnings $1,250/month or less",
            Segment::SE02 => "earnings $1,251 to $3,333/month",
            Segment::SE03 => "earnings above $3,333/month",
            Segment::SI01 => "goods producing",
            Segment::SI02 => "trade, transportation, utilities",
            Segment::SI03 => "all other services",
        }
    }

    /// The group: `age`, `earnings` or `industry`.
    pub fn group(self) -> &'static str {
        match self {
            Segment::SA01 | Segment::SA02 | Segment::SA03 => "age",
            Segment::SE01 | Segment::SE02 | Segment::SE03 => "earnings",
            Segment::SI01 | Segment::SI02 | Segment::SI03 => "industry",
        }
    }

    /// Its index in [`Segment::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Job counts of one flow: `S000` and the nine segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// All jobs.
    pub s000: u64,
    /// `SA01 … SI03`, indexed like [`Segment::ALL`].
    pub segments: [u64; 9],
}

impl Counts {
    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Counts) {
        self.s000 += other.s000;
        for (a, b) in self.segments.iter_mut().zip(other.segments) {
            *a += b;
        }
    }

    /// The count of one segment.
    pub fn segment(&self, s: Segment) -> u64 {
        self.segments[s.index()]
    }
}

/// Jobs held by residents of county `home` at workplaces in county `work` (5-digit FIPS codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountyFlow {
    /// Workplace county.
    pub work: String,
    /// Residence county.
    pub home: String,
    /// The jobs.
    pub counts: Counts,
}

/// One county of a shed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShedEntry {
    /// 5-digit county FIPS code.
    pub county: String,
    /// Jobs.
    pub jobs: u64,
    /// Share of the shed's total (0–1).
    pub share: f64,
}

/// Interior, inflow and outflow of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentFlows {
    /// The segment.
    pub segment: Segment,
    /// Living and employed in the region.
    pub interior: u64,
    /// Employed in the region, living outside.
    pub inflow: u64,
    /// Living in the region, employed outside.
    pub outflow: u64,
}

impl SegmentFlows {
    /// `interior + inflow`.
    pub fn employed_in_region(&self) -> u64 {
        self.interior + self.inflow
    }

    /// `interior + outflow`.
    pub fn residents_employed(&self) -> u64 {
        self.interior + self.outflow
    }
}

/// The commuting picture of a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuteFlows {
    /// Employed and living in the region.
    pub interior: u64,
    /// Employed in the region but living outside.
    pub inflow: u64,
    /// Living in the region but employed outside.
    pub outflow: u64,
    /// `interior + inflow`.
    pub employed_in_region: u64,
    /// `interior + outflow`.
    pub residents_employed: u64,
    /// Where the region's workers live, by home county, largest first (ties by code); shares of
    /// `employed_in_region`.
    pub labor_shed: Vec<ShedEntry>,
    /// Where the region's residents work, by work county, largest first (ties by code); shares of
    /// `residents_employed`.
    pub commute_shed: Vec<ShedEntry>,
    /// Interior, inflow and outflow of each segment, in [`Segment::ALL`] order.
    pub segments: Vec<SegmentFlows>,
}

/// Computes interior, inflow, outflow, both sheds and the segment breakdowns of the region
/// `region` (5-digit county FIPS codes) from county-pair flows. Flows of the same pair given more
/// than once (e.g. from two files) are added.
pub fn commute_flows<'a, I>(flows: I, region: &BTreeSet<String>) -> CommuteFlows
where
    I: IntoIterator<Item = &'a CountyFlow>,
{
    let mut interior = Counts::default();
    let mut inflow = Counts::default();
    let mut outflow = Counts::default();
    let mut labor: HashMap<&'a str, u64> = HashMap::new();
    let mut commute: HashMap<&'a str, u64> = HashMap::new();
    for f in flows {
        let w_in = region.contains(&f.work);
        let h_in = region.contains(&f.home);
        match (w_in, h_in) {
            (true, true) => interior.add(&f.counts),
            (true, false) => inflow.add(&f.counts),
            (false, true) => outflow.add(&f.counts),
            (false, false) => continue,
        }
        if w_in {
            *labor.entry(f.home.as_str()).or_default() += f.counts.s000;
        }
        if h_in {
            *commute.entry(f.work.as_str()).or_default() += f.counts.s000;
        }
    }
    let employed_in_region = interior.s000 + inflow.s000;
    let residents_employed = interior.s000 + outflow.s000;
    let segments = Segment::ALL
        .iter()
        .map(|&s| SegmentFlows {
            segment: s,
            interior: interior.segment(s),
            inflow: inflow.segment(s),
            outflow: outflow.segment(s),
        })
        .collect();
    CommuteFlows {
        interior: interior.s000,
        inflow: inflow.s000,
        outflow: outflow.s000,
        employed_in_region,
        residents_employed,
        labor_shed: shed(labor, employed_in_region),
        commute_shed: shed(commute, residents_employed),
        segments,
    }
}

/// Shares of `total`, largest first, ties by county code; counties with no jobs are left out.
fn shed(jobs: HashMap<&str, u64>, total: u64) -> Vec<ShedEntry> {
    let mut v: Vec<ShedEntry> = jobs
        .into_iter()
        .filter(|(_, j)| *j > 0)
        .map(|(c, j)| ShedEntry {
            county: c.to_string(),
            jobs: j,
            share: if total > 0 {
                j as f64 / total as f64
            } else {
                0.0
            },
        })
        .collect();
    v.sort_by(|a, b| b.jobs.cmp(&a.jobs).then_with(|| a.county.cmp(&b.county)));
    v
}

/// Which part of a state's OD data a file holds (METHODS §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OdPart {
    /// Workplace and residence both in the state.
    Main,
    /// Workplace in the state, residence in another state.
    Aux,
}

impl OdPart {
    /// `main` or `aux`, as in the file names.
    pub fn as_str(self) -> &'static str {
        match self {
            OdPart::Main => "main",
            OdPart::Aux => "aux",
        }
    }

    /// Parses `main` / `aux` (any case).
    pub fn parse(s: &str) -> Option<OdPart> {
        match s.to_ascii_lowercase().as_str() {
            "main" => Some(OdPart::Main),
            "aux" => Some(OdPart::Aux),
            _ => None,
        }
    }
}

/// One OD file a state would need to provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct OdFileKey {
    /// Two-digit FIPS code of the (workplace) state whose file it is.
    pub state: &'static str,
    /// Main or aux.
    pub part: OdPart,
}

impl OdFileKey {
    /// `ri main`.
    pub fn describe(&self) -> String {
        let postal = us_states::by_fips(self.state)
            .map(|s| s.postal.to_ascii_lowercase())
            .unwrap_or_else(|| self.state.to_string());
        format!("{postal} {}", self.part.as_str())
    }
}

/// Which OD files a region's figures need, and which of them were loaded (METHODS §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// FIPS codes of the states that contain a county of the region.
    pub region_states: Vec<String>,
    /// FIPS codes of the states that border a region state (not themselves region states).
    pub neighbour_states: Vec<String>,
    /// The files loaded, as `(state FIPS, part)`.
    pub loaded: Vec<(String, OdPart)>,
    /// Files the labor shed needs (main and aux of every region state) that are missing.
    pub labor_shed_missing: Vec<OdFileKey>,
    /// Files the commute shed needs at least (main of every region state; aux of every
    /// neighbouring state and, for a region spanning states, of every region state) that are
    /// missing.
    pub commute_shed_missing: Vec<OdFileKey>,
    /// True when the labor shed (and inflow, interior) is complete.
    pub labor_shed_complete: bool,
    /// True when the commute shed (and outflow) is a lower bound: a needed file is missing. Even
    /// when false, residents working in non-neighbouring states count only when those states'
    /// aux files are loaded.
    pub commute_shed_lower_bound: bool,
    /// Plain-language notes for the user.
    pub notes: Vec<String>,
}

/// The coverage report of a region (its counties' FIPS codes) given the loaded files.
pub fn coverage(region: &BTreeSet<String>, loaded: &[(String, OdPart)]) -> Coverage {
    let region_states: BTreeSet<&'static str> = region
        .iter()
        .filter_map(|c| c.get(..2))
        .filter_map(us_states::by_fips)
        .map(|s| s.fips)
        .collect();
    let neighbours: BTreeSet<&'static str> = region_states
        .iter()
        .flat_map(|s| us_states::neighbour_fips(s))
        .filter(|n| !region_states.contains(n))
        .collect();
    let have: BTreeSet<(&str, OdPart)> = loaded.iter().map(|(s, p)| (s.as_str(), *p)).collect();
    let missing = |keys: &mut dyn Iterator<Item = OdFileKey>| -> Vec<OdFileKey> {
        keys.filter(|k| !have.contains(&(k.state, k.part)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let labor_shed_missing = missing(
        &mut region_states
            .iter()
            .flat_map(|&state| [OdPart::Main, OdPart::Aux].map(|part| OdFileKey { state, part })),
    );
    let multi_state = region_states.len() > 1;
    let commute_needed = region_states
        .iter()
        .map(|&state| OdFileKey {
            state,
            part: OdPart::Main,
        })
        .chain(
            region_states
                .iter()
                .filter(|_| multi_state)
                .chain(neighbours.iter())
                .map(|&state| OdFileKey {
                    state,
                    part: OdPart::Aux,
                }),
        );
    let commute_shed_missing = missing(&mut commute_needed.into_iter());
    let mut notes = Vec::new();
    let list = |v: &[OdFileKey]| {
        v.iter()
            .map(|k| k.describe())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !labor_shed_missing.is_empty() {
        notes.push(format!(
            "labor shed, inflow and interior are incomplete: the OD files {} are not loaded",
            list(&labor_shed_missing)
        ));
    }
    if !commute_shed_missing.is_empty() {
        notes.push(format!(
            "the commute shed and outflow are a lower bound: residents working in other states \
             appear only in those states' aux files, and {} are not loaded",
            list(&commute_shed_missing)
        ));
    } else {
        notes.push(
            "the commute shed counts residents working in non-neighbouring states only where \
             those states' aux files are loaded"
                .to_string(),
        );
    }
    let mut loaded: Vec<(String, OdPart)> = loaded.to_vec();
    loaded.sort();
    loaded.dedup();
    Coverage {
        region_states: region_states.iter().map(|s| s.to_string()).collect(),
        neighbour_states: neighbours.iter().map(|s| s.to_string()).collect(),
        loaded,
        labor_shed_complete: labor_shed_missing.is_empty(),
        commute_shed_lower_bound: !commute_shed_missing.is_empty(),
        labor_shed_missing,
        commute_shed_missing,
        notes,
    }
}

/// Adds flows of the same county pair together (e.g. after reading several files), sorted by
/// (work, home).
pub fn merge_flows<I: IntoIterator<Item = CountyFlow>>(flows: I) -> Vec<CountyFlow> {
    let mut m: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for f in flows {
        m.entry((f.work, f.home)).or_default().add(&f.counts);
    }
    m.into_iter()
        .map(|((work, home), counts)| CountyFlow { work, home, counts })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flow(w: &str, h: &str, s000: u64) -> CountyFlow {
        CountyFlow {
            work: w.into(),
            home: h.into(),
            counts: Counts {
                s000,
                segments: [0; 9],
            },
        }
    }

    fn set(c: &[&str]) -> BTreeSet<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    fn shed_of(v: &[ShedEntry]) -> Vec<(&str, u64, f64)> {
        v.iter()
            .map(|e| (e.county.as_str(), e.jobs, e.share))
            .collect()
    }

    /// METHODS §10 LODES-1 (§5.3): rows (w,h,S000) (A,A,500), (A,B,300), (B,A,200), (C,A,100);
    /// R = {A}.
    #[test]
    fn lodes_1() {
        let flows = [
            flow("A", "A", 500),
            flow("A", "B", 300),
            flow("B", "A", 200),
            flow("C", "A", 100),
        ];
        let r = commute_flows(&flows, &set(&["A"]));
        assert_eq!((r.interior, r.inflow, r.outflow), (500, 300, 300));
        assert_eq!((r.employed_in_region, r.residents_employed), (800, 800));
        assert_eq!(
            shed_of(&r.labor_shed),
            vec![("A", 500, 0.625), ("B", 300, 0.375)]
        );
        assert_eq!(
            shed_of(&r.commute_shed),
            vec![("A", 500, 0.625), ("B", 200, 0.25), ("C", 100, 0.125)]
        );
    }

    #[test]
    fn segments_are_broken_down_and_ties_sort_by_code() {
        let mut a = flow("44007", "44003", 10);
        a.counts.segments = [3, 5, 2, 1, 4, 5, 2, 2, 6];
        let mut b = flow("44007", "25005", 10);
        b.counts.segments = [1, 8, 1, 0, 0, 10, 10, 0, 0];
        let r = commute_flows([&a, &b], &set(&["44007"]));
        assert_eq!(r.inflow, 20);
        assert_eq!(
            r.labor_shed
                .iter()
                .map(|e| e.county.as_str())
                .collect::<Vec<_>>(),
            ["25005", "44003"]
        );
        let sa02 = r.segments[Segment::SA02.index()];
        assert_eq!(
            (sa02.segment, sa02.inflow, sa02.interior),
            (Segment::SA02, 13, 0)
        );
        assert_eq!(r.segments[Segment::SI01.index()].inflow, 12);
    }

    #[test]
    fn empty_region_and_zero_totals() {
        let r = commute_flows(&[flow("A", "B", 0)], &set(&["A"]));
        assert_eq!(r.employed_in_region, 0);
        assert!(r.labor_shed.is_empty());
    }

    #[test]
    fn coverage_of_rhode_island() {
        let region = set(&["44007", "44003"]);
        let c = coverage(
            &region,
            &[("44".into(), OdPart::Main), ("44".into(), OdPart::Aux)],
        );
        assert!(c.labor_shed_complete);
        assert!(c.commute_shed_lower_bound);
        assert_eq!(c.neighbour_states, ["09", "25"]);
        assert_eq!(
            c.commute_shed_missing
                .iter()
                .map(|k| k.describe())
                .collect::<Vec<_>>(),
            ["ct aux", "ma aux"]
        );
        assert!(c.notes.iter().any(|n| n.contains("lower bound")));

        let c = coverage(&region, &[("44".into(), OdPart::Main)]);
        assert!(!c.labor_shed_complete);
        assert_eq!(c.labor_shed_missing.len(), 1);
        assert!(c.notes[0].contains("ri aux"), "{:?}", c.notes);

        // Providence MSA spans RI and MA: both states' main and aux for the labor shed.
        let c = coverage(
            &set(&["44007", "25005"]),
            &[
                ("44".into(), OdPart::Main),
                ("44".into(), OdPart::Aux),
                ("25".into(), OdPart::Main),
                ("25".into(), OdPart::Aux),
                ("09".into(), OdPart::Aux),
                ("50".into(), OdPart::Aux),
                ("33".into(), OdPart::Aux),
                ("36".into(), OdPart::Aux),
            ],
        );
        assert!(
            c.labor_shed_complete && !c.commute_shed_lower_bound,
            "{c:?}"
        );
    }

    fn arb_flows() -> impl Strategy<Value = Vec<CountyFlow>> {
        let county = prop::sample::select(vec!["01001", "01003", "13001", "44007", "25005"]);
        prop::collection::vec(
            (county.clone(), county, prop::array::uniform9(0u64..1000)).prop_map(|(w, h, seg)| {
                // Segments of each group sum to S000, as in LODES.
                let s000 = seg[0] + seg[1] + seg[2];
                let mut segments = seg;
                segments[3] = s000;
                segments[4] = 0;
                segments[5] = 0;
                segments[6] = seg[6].min(s000);
                segments[7] = s000 - segments[6];
                segments[8] = 0;
                CountyFlow {
                    work: w.to_string(),
                    home: h.to_string(),
                    counts: Counts { s000, segments },
                }
            }),
            0..40,
        )
    }

    proptest! {
        #[test]
        fn bookkeeping_holds(flows in arb_flows(), pick in prop::collection::vec(any::<bool>(), 5)) {
            let all = ["01001", "01003", "13001", "44007", "25005"];
            let region: BTreeSet<String> =
                all.iter().zip(&pick).filter(|(_, p)| **p).map(|(c, _)| c.to_string()).collect();
            let r = commute_flows(&flows, &region);
            let by = |pred: &dyn Fn(&CountyFlow) -> bool| -> u64 {
                flows.iter().filter(|f| pred(f)).map(|f| f.counts.s000).sum()
            };
            prop_assert_eq!(r.interior + r.inflow, by(&|f| region.contains(&f.work)));
            prop_assert_eq!(r.interior + r.outflow, by(&|f| region.contains(&f.home)));
            prop_assert_eq!(r.employed_in_region, r.interior + r.inflow);
            prop_assert_eq!(r.residents_employed, r.interior + r.outflow);
            prop_assert_eq!(r.labor_shed.iter().map(|e| e.jobs).sum::<u64>(), r.employed_in_region);
            prop_assert_eq!(r.commute_shed.iter().map(|e| e.jobs).sum::<u64>(), r.residents_employed);
            for (shed, total) in [(&r.labor_shed, r.employed_in_region), (&r.commute_shed, r.residents_employed)] {
                if total > 0 {
                    let s: f64 = shed.iter().map(|e| e.share).sum();
                    prop_assert!((s - 1.0).abs() < 1e-9, "shares sum to {}", s);
                }
                prop_assert!(shed.windows(2).all(|w| w[0].jobs > w[1].jobs
                    || (w[0].jobs == w[1].jobs && w[0].county < w[1].county)));
            }
            // The region's own counties in the labor shed hold exactly the interior jobs.
            let own: u64 = r.labor_shed.iter().filter(|e| region.contains(&e.county)).map(|e| e.jobs).sum();
            prop_assert_eq!(own, r.interior);
            // Each segment group partitions the totals.
            for g in [0, 3, 6] {
                let sum = |f: fn(&SegmentFlows) -> u64| -> u64 {
                    r.segments[g..g + 3].iter().map(f).sum()
                };
                prop_assert_eq!(sum(|s| s.interior), r.interior);
                prop_assert_eq!(sum(|s| s.inflow), r.inflow);
                prop_assert_eq!(sum(|s| s.outflow), r.outflow);
            }
            // Merging duplicate pairs changes nothing.
            let doubled: Vec<CountyFlow> = flows.iter().cloned().chain(flows.iter().cloned()).collect();
            let m = commute_flows(&merge_flows(doubled), &region);
            prop_assert_eq!(m.interior, 2 * r.interior);
            prop_assert_eq!(m.outflow, 2 * r.outflow);
        }
    }
}
