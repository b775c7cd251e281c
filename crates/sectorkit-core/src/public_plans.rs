//! Public plans: a static catalog of the public planning processes where a sector partnership
//! can build workforce in — who writes each plan, at what level of government, how often it is
//! redone, and concrete ways to get workforce goals, projects and partners into it.
//!
//! Cycles and requirements are described in general terms: they are set by federal rules, state
//! practice and program notices that change, so check the current guidance of the agency that
//! leads the plan. Nothing here does IO.
//!
//! - [`PlanLevel`]: the closed list of levels of government a plan is made at.
//! - [`PLANS`] and [`find`]: the catalog, each plan with a stable lowercase snake code.
//! - [`next_window`]: the next year a plan with a regular cycle is due to be redone.

use crate::partners::UnknownCode;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The level of government a plan is made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanLevel {
    Federal,
    State,
    Regional,
    Local,
}

impl PlanLevel {
    pub const ALL: &'static [PlanLevel] = &[
        PlanLevel::Federal,
        PlanLevel::State,
        PlanLevel::Regional,
        PlanLevel::Local,
    ];

    /// The code stored and used in CSV files.
    pub fn code(self) -> &'static str {
        match self {
            PlanLevel::Federal => "federal",
            PlanLevel::State => "state",
            PlanLevel::Regional => "regional",
            PlanLevel::Local => "local",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            PlanLevel::Federal => "Federal",
            PlanLevel::State => "State",
            PlanLevel::Regional => "Regional",
            PlanLevel::Local => "Local",
        }
    }
}

impl FromStr for PlanLevel {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        PlanLevel::ALL
            .iter()
            .copied()
            .find(|l| l.code() == t || l.label().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCode {
                what: "plan level",
                value: s.to_string(),
                allowed: (PlanLevel::ALL.iter().map(|l| l.code()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl fmt::Display for PlanLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One public planning process of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PublicPlan {
    /// Stable lowercase snake code, such as `ceds`.
    pub code: &'static str,
    pub name: &'static str,
    /// Who leads or oversees the plan.
    pub agency: &'static str,
    /// The levels of government the plan is made at.
    pub levels: &'static [PlanLevel],
    pub summary: &'static str,
    /// How often it is redone, in words.
    pub update_cycle: &'static str,
    /// The regular cycle in years, for [`next_window`]; `None` when irregular.
    pub cycle_years: Option<u8>,
    /// Concrete ways workforce can be built into the plan.
    pub workforce_hooks: &'static [&'static str],
}

use PlanLevel::{Local, Regional, State};

/// The catalog: workforce plans first, then economic development, infrastructure, climate,
/// housing, education and hazard plans.
pub const PLANS: &[PublicPlan] = &[
    PublicPlan {
        code: "wioa_state_plan",
        name: "State WIOA unified or combined plan",
        agency: "The governor and state workforce board, submitted to the U.S. Departments of \
                 Labor and Education",
        levels: &[State],
        summary: "The state's strategy for its core workforce programs; a combined plan also \
                  brings in partner programs such as career and technical education, SNAP \
                  employment and training or TANF.",
        update_cycle: "Every four years, with a modification at two years.",
        cycle_years: Some(4),
        workforce_hooks: &[
            "name sector partnerships as a state strategy, with the target industries they serve",
            "ask that partner programs be included so their money can be braided",
            "propose measures of employer engagement and of credentials employers value",
            "comment during the public comment period and in the state board's meetings",
        ],
    },
    PublicPlan {
        code: "wioa_local_plan",
        name: "Local and regional WIOA plans",
        agency: "Local workforce development boards with their chief elected officials, under \
                 state guidance",
        levels: &[Regional, Local],
        summary: "The local board's plan for its job centers and training money, and the regional \
                  plan shared by the boards of a planning region.",
        update_cycle: "Every four years, with a modification at two years, on the state's \
                       schedule.",
        cycle_years: Some(4),
        workforce_hooks: &[
            "list the partnership's sectors among the in-demand industries the board targets",
            "name the partnership as the way the board's business services engage employers",
            "set training priorities (individual accounts, on-the-job, incumbent worker) for the \
             partnership's occupations",
            "commit to shared career pathways with the region's colleges",
        ],
    },
    PublicPlan {
        code: "ceds",
        name: "Comprehensive Economic Development Strategy (CEDS)",
        agency: "Economic development districts and other regional bodies, under U.S. Economic \
                 Development Administration rules",
        levels: &[Regional],
        summary: "A region's strategy for economic development, built with local partners; \
                  projects consistent with it are better placed for federal economic development \
                  grants.",
        update_cycle: "A full update at least every five years, with yearly progress reports.",
        cycle_years: Some(5),
        workforce_hooks: &[
            "make talent a goal of the strategy, with measures the partnership can report on",
            "list the partnership's projects (training centers, pathways) in the action plan",
            "put employers' hiring and skills needs in the analysis of strengths and weaknesses",
            "sit on the strategy committee as the voice of the sector",
        ],
    },
    PublicPlan {
        code: "digital_equity_bead",
        name: "Digital equity plan and broadband (BEAD) plans",
        agency: "The state broadband office, under the National Telecommunications and \
                 Information Administration",
        levels: &[State],
        summary: "The state's plans for broadband deployment and for digital skills and access; \
                  broadband deployment plans have asked how the state will have enough skilled \
                  workers.",
        update_cycle: "Irregular: set by each program's notices, and federal priorities changed \
                       after the plans were first written; check the state broadband office.",
        cycle_years: None,
        workforce_hooks: &[
            "supply the training for fiber, tower and installation jobs the deployment needs",
            "ask that subgrantees commit to hiring and training from the region",
            "build digital skills into job seekers' and incumbent workers' training",
        ],
    },
    PublicPlan {
        code: "nevi_plan",
        name: "NEVI electric vehicle charging deployment plan",
        agency: "The state department of transportation, under the Federal Highway \
                 Administration and the Joint Office of Energy and Transportation",
        levels: &[State],
        summary: "The state's plan for building a network of electric vehicle chargers with \
                  federal formula money.",
        update_cycle: "Updated every year under the program's guidance, which has changed; check \
                       the current federal guidance.",
        cycle_years: Some(1),
        workforce_hooks: &[
            "train electricians to the qualification the federal standards ask for installers",
            "plan for the technicians who maintain and repair chargers",
            "ask for local hiring and training in the state's community engagement section",
        ],
    },
    PublicPlan {
        code: "lrstp",
        name: "Long-range statewide transportation plan (LRSTP)",
        agency: "The state department of transportation, under federal highway and transit rules",
        levels: &[State],
        summary: "The state's policy plan for transportation over at least twenty years.",
        update_cycle: "No fixed federal interval: each state sets its own, often every few years.",
        cycle_years: None,
        workforce_hooks: &[
            "add the transportation workforce (construction, transit operators, mechanics) as a \
             goal",
            "make access to jobs and training sites a measure of the plan",
            "ask that the workforce board be consulted in the plan's outreach",
        ],
    },
    PublicPlan {
        code: "stip",
        name: "Statewide transportation improvement program (STIP)",
        agency: "The state department of transportation, approved by the Federal Highway and \
                 Federal Transit Administrations",
        levels: &[State],
        summary: "The list of transportation projects and their money for the next several \
                  years.",
        update_cycle: "At least every four years; many states update more often and amend it in \
                       between.",
        cycle_years: Some(4),
        workforce_hooks: &[
            "program the highway construction on-the-job training and supportive services money \
             the state may set aside",
            "add workforce development projects where the funding program allows them",
            "prioritize transit and road projects that reach job centers and training sites",
        ],
    },
    PublicPlan {
        code: "mpo_mtp_tip",
        name: "Metropolitan transportation plan and TIP (MPO)",
        agency: "The metropolitan planning organization, under federal highway and transit rules",
        levels: &[Regional],
        summary: "The metropolitan area's long-range transportation plan and its short-term \
                  improvement program of projects.",
        update_cycle: "The long-range plan every four or five years depending on the area's air \
                       quality status; the improvement program at least every four years.",
        cycle_years: Some(4),
        workforce_hooks: &[
            "bring employers' commute and shift patterns into the plan's analysis of job access",
            "score projects on access to jobs and training for people without a car",
            "join the MPO's advisory committees as the sector's voice",
        ],
    },
    PublicPlan {
        code: "cprg_climate_plans",
        name: "Climate Pollution Reduction Grants (CPRG) plans",
        agency: "States, metropolitan areas and tribes, under the U.S. Environmental Protection \
                 Agency",
        levels: &[State, Regional],
        summary: "A priority climate action plan, a comprehensive plan and a status report, made \
                  with planning grants; the comprehensive plan includes an analysis of the \
                  workforce the measures need.",
        update_cycle: "Irregular: a fixed series of plans set by the planning grant, not a \
                       repeating cycle.",
        cycle_years: None,
        workforce_hooks: &[
            "write or inform the workforce planning analysis of the comprehensive plan",
            "add training for building retrofit, clean energy and efficiency trades to the \
             measures",
            "ask that implementation projects carry hiring and job quality commitments",
        ],
    },
    PublicPlan {
        code: "safety_action_plan",
        name: "Safety action plan (Safe Streets and Roads for All, Vision Zero)",
        agency: "Cities, counties, regional bodies and tribes, under the U.S. Department of \
                 Transportation",
        levels: &[Regional, Local],
        summary: "A local plan to cut traffic deaths and serious injuries, which opens the way to \
                  federal implementation grants.",
        update_cycle: "No fixed federal cycle; plans are expected to be kept current and \
                       reported on, and grant eligibility has asked for a recent plan.",
        cycle_years: None,
        workforce_hooks: &[
            "plan for the construction and public works hiring needed to deliver the projects",
            "add commercial driver and fleet safety training with employers",
            "include safe walking, biking and transit routes to major employers and training \
             sites",
        ],
    },
    PublicPlan {
        code: "housing_consolidated_plan",
        name: "Housing plan (HUD consolidated plan)",
        agency: "States and local jurisdictions that receive U.S. Department of Housing and Urban \
                 Development formula grants",
        levels: &[State, Local],
        summary: "The plan for spending federal housing and community development grants, with a \
                  yearly action plan.",
        update_cycle: "Every three to five years (most often five), with a yearly action plan.",
        cycle_years: Some(5),
        workforce_hooks: &[
            "fund job training as a public service where the community development grant allows",
            "use Section 3, which steers jobs and training on HUD-funded work toward low-income \
             residents where feasible, to fill construction training cohorts",
            "connect housing near jobs to the employers of the partnership",
            "build the construction trades pipeline that housing production needs",
        ],
    },
    PublicPlan {
        code: "perkins_state_plan",
        name: "State education and Perkins V state plan",
        agency: "The state's eligible agency for career and technical education, under the U.S. \
                 Department of Education",
        levels: &[State],
        summary: "The state's plan for career and technical education: programs, quality \
                  measures, and how money is split between high schools and colleges.",
        update_cycle: "Covers several years, commonly four, with yearly revisions allowed; check \
                       the state's plan period.",
        cycle_years: Some(4),
        workforce_hooks: &[
            "align the state's list of in-demand occupations with the partnership's data",
            "choose work-based learning or industry credentials as the program quality measure",
            "ask that local needs assessment guidance require employer consultation",
        ],
    },
    PublicPlan {
        code: "perkins_local_needs_assessment",
        name: "Perkins V comprehensive local needs assessment",
        agency: "School districts and colleges that receive career and technical education money",
        levels: &[Local],
        summary: "The assessment each local recipient does with stakeholders, employers included, \
                  that decides how its career and technical education money is spent.",
        update_cycle: "Every two years.",
        cycle_years: Some(2),
        workforce_hooks: &[
            "bring the partnership's employers to the consultation as one voice",
            "share labor market findings and employer-voice findings as evidence",
            "ask for programs, equipment and work-based learning in the sector's occupations",
        ],
    },
    PublicPlan {
        code: "hazard_mitigation_plan",
        name: "Hazard mitigation plan",
        agency: "States, tribes and local governments, approved by the Federal Emergency \
                 Management Agency",
        levels: &[State, Regional, Local],
        summary: "The plan to reduce losses from natural hazards, which keeps a place eligible \
                  for certain federal mitigation grants.",
        update_cycle: "Every five years.",
        cycle_years: Some(5),
        workforce_hooks: &[
            "plan for the construction and retrofit workers mitigation projects need",
            "train contractors in resilient building practices and current codes",
            "include employers' continuity planning and the workforce a recovery needs",
        ],
    },
    PublicPlan {
        code: "resilience_plan",
        name: "Resilience plan",
        agency: "States, regions or localities; for transportation, the state department of \
                 transportation or MPO under the federal resilience program",
        levels: &[State, Regional, Local],
        summary: "A plan to prepare infrastructure and communities for extreme weather and other \
                  shocks; its form varies by place and program.",
        update_cycle: "Irregular: set by each state, locality or program.",
        cycle_years: None,
        workforce_hooks: &[
            "plan for the workers who build and maintain green and resilient infrastructure",
            "add training for resilience-related trades to the plan's actions",
            "count a trained local workforce as part of community resilience",
        ],
    },
];

/// The plan with this code, if any.
pub fn find(code: &str) -> Option<&'static PublicPlan> {
    let code = code.trim();
    PLANS.iter().find(|p| p.code == code)
}

/// The next year the plan is due to be redone: the first year at or after `this_year` that is
/// `last_adopted_year + k × cycle_years` for some k ≥ 1. `None` when the plan has no regular
/// cycle (or a cycle of zero), or past the range of `i32`.
pub fn next_window(plan: &PublicPlan, last_adopted_year: i32, this_year: i32) -> Option<i32> {
    let cycle = i64::from(plan.cycle_years.filter(|&c| c > 0)?);
    let (last, now) = (i64::from(last_adopted_year), i64::from(this_year));
    // k ≥ 1 and last + k·cycle ≥ now: k = max(1, ceil((now − last) / cycle)).
    let k = ((now - last).max(0) + cycle - 1) / cycle;
    i32::try_from(last + k.max(1) * cycle).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn with_cycle(cycle_years: Option<u8>) -> PublicPlan {
        PublicPlan {
            cycle_years,
            ..*find("wioa_state_plan").unwrap()
        }
    }

    #[test]
    fn public_plans_codes_unique_snake_case() {
        let mut seen = BTreeSet::new();
        for p in PLANS {
            assert!(seen.insert(p.code), "{} twice", p.code);
            let snake = p.code.starts_with(|c: char| c.is_ascii_lowercase())
                && !p.code.ends_with('_')
                && !p.code.contains("__")
                && (p.code.chars())
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(snake, "{} is not snake_case", p.code);
        }
        assert!(PLANS.len() >= 14);
    }

    #[test]
    fn public_plans_are_filled_in() {
        for p in PLANS {
            assert!(p.workforce_hooks.len() >= 2, "{}: too few hooks", p.code);
            assert!(p.workforce_hooks.iter().all(|h| !h.trim().is_empty()));
            assert!(!p.levels.is_empty(), "{}: no level", p.code);
            for text in [p.name, p.agency, p.summary, p.update_cycle] {
                assert!(!text.trim().is_empty(), "{}: empty text", p.code);
            }
        }
        assert_eq!(find(" ceds ").map(|p| p.cycle_years), Some(Some(5)));
        assert_eq!(find("lrstp").map(|p| p.cycle_years), Some(None));
        assert!(find("nope").is_none());
        for p in PLANS {
            assert_eq!(find(p.code), Some(p));
        }
    }

    #[test]
    fn public_plans_next_window_worked_examples() {
        let four = with_cycle(Some(4));
        assert_eq!(next_window(&four, 2020, 2026), Some(2028));
        assert_eq!(next_window(&four, 2024, 2026), Some(2028));
        assert_eq!(next_window(&four, 2022, 2026), Some(2026));
        // Adopted this year: the next window is a full cycle away (k ≥ 1).
        assert_eq!(next_window(&four, 2026, 2026), Some(2030));
        // Adopted "in the future" (a date typed ahead): still one cycle after adoption.
        assert_eq!(next_window(&four, 2027, 2026), Some(2031));
        assert_eq!(next_window(&four, 2000, 2026), Some(2028));
        assert_eq!(next_window(&with_cycle(Some(1)), 2024, 2026), Some(2026));
        assert_eq!(next_window(&with_cycle(Some(5)), 2021, 2026), Some(2026));
        assert_eq!(next_window(&with_cycle(None), 2020, 2026), None);
        assert_eq!(next_window(&with_cycle(Some(0)), 2020, 2026), None);
        assert_eq!(next_window(&four, i32::MAX - 1, i32::MAX), None);
        assert_eq!(
            next_window(find("resilience_plan").unwrap(), 2020, 2026),
            None
        );
    }

    #[test]
    fn public_plans_level_parses_codes_and_labels() {
        assert_eq!("regional".parse(), Ok(PlanLevel::Regional));
        assert_eq!(" State ".parse(), Ok(PlanLevel::State));
        assert_eq!(PlanLevel::Local.to_string(), "local");
        assert_eq!(PlanLevel::ALL.len(), 4);
        let err = "county".parse::<PlanLevel>().unwrap_err();
        assert_eq!(
            (err.what, err.value.as_str(), err.allowed.as_str()),
            ("plan level", "county", "federal, state, regional, local")
        );
    }
}
