//! Funding catalog: a static reference list of the funding streams a sector partnership commonly
//! braids — what each one pays for, what it will not pay for, who runs it, what it asks back
//! (reports, match) and how one gets at it.
//!
//! It is a starting point for a conversation with the agency that holds the money, not a
//! statement of the rules: eligibility, shares and cycles change with federal law, appropriations
//! and state policy, so every entry is written in general terms and points to the current
//! guidance. Nothing here does IO.
//!
//! - [`CATALOG`]: the entries, each with a stable lowercase snake code.
//! - [`find`], [`by_kind`] and [`search`]: look-ups over it.
//! - [`CAUTION`]: the sentence to show beside any entry.

use crate::funding::StreamKind;
use serde::Serialize;

/// One funding stream of the reference catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CatalogStream {
    /// Stable lowercase snake code, such as `wioa_adult`.
    pub code: &'static str,
    pub name: &'static str,
    pub kind: StreamKind,
    /// Who holds and passes on the money (federal agency, state agency, local body, donor).
    pub administered_by: &'static str,
    pub summary: &'static str,
    /// What the money can typically pay for.
    pub allowable_uses: &'static [&'static str],
    /// Conditions and limits worth knowing before counting on it.
    pub restrictions: &'static [&'static str],
    /// What the stream asks back in reports and records.
    pub reporting: &'static str,
    /// Whether a match or cost share is expected, in words.
    pub match_requirement: &'static str,
    /// How and when one gets at it: formula or competitive, typical cycle.
    pub application: &'static str,
}

/// The caution that goes with every entry: the rules move, so current guidance wins.
pub const CAUTION: &str = "Rules change with federal law, appropriations and state policy: \
                           check the current guidance of the agency that administers the money.";

/// The reference catalog, public streams first, then private and in-kind ones.
pub const CATALOG: &[CatalogStream] = &[
    CatalogStream {
        code: "wioa_adult",
        name: "WIOA Title I Adult",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Labor, through the state workforce agency to local \
                          workforce development boards",
        summary: "Formula money for career and training services to adults, spent by the local \
                  workforce board through its job centers.",
        allowable_uses: &[
            "career services such as assessment, career planning and job search help",
            "training paid through individual training accounts at approved providers",
            "on-the-job training that reimburses an employer part of a new hire's wages",
            "customized training designed with an employer who commits to hire",
            "supportive services such as transportation or child care during training",
        ],
        restrictions: &[
            "training providers generally must be on the state's eligible training provider list",
            "priority of service goes to people with low income, public assistance or low basic \
             skills, and to veterans",
            "participants must be eligible and enrolled; a partnership cannot spend it directly",
            "the employer's share for on-the-job and customized training is set in law and local \
             policy",
        ],
        reporting: "Participant records feed the federal performance indicators: employment and \
                    median earnings after exit, credentials, skill gains and service to employers.",
        match_requirement: "No match for the formula grant; on-the-job and customized training \
                            expect the employer to carry part of the cost.",
        application: "Formula: allocated each program year to local boards. A partnership does not \
                      apply to the federal agency; it works with the local board so that its \
                      training and employers fit the board's plan and provider list.",
    },
    CatalogStream {
        code: "wioa_dislocated_worker",
        name: "WIOA Title I Dislocated Worker",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Labor, through the state workforce agency to local \
                          workforce development boards",
        summary: "Formula money for people who lost or are losing a job through no fault of their \
                  own, with the same kinds of services as the adult program.",
        allowable_uses: &[
            "career services and retraining for laid-off workers",
            "on-the-job and customized training with hiring employers",
            "rapid response at layoffs, run by the state",
            "supportive services during training",
        ],
        restrictions: &[
            "participants must meet the dislocated worker definition (for example a layoff or \
             notice of one, a closed business, a displaced homemaker)",
            "moving money between the adult and dislocated worker programs needs state approval",
            "extra help after large layoffs comes through separate national grants requested by \
             the state or local board",
        ],
        reporting: "The same federal performance indicators as the adult program.",
        match_requirement: "No match for the formula grant; employer shares apply to on-the-job \
                            and customized training.",
        application: "Formula to local boards each program year; national dislocated worker \
                      grants are requested when a large layoff or disaster calls for them.",
    },
    CatalogStream {
        code: "wioa_youth",
        name: "WIOA Title I Youth",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Labor, through the state workforce agency to local \
                          workforce development boards, often contracted to youth providers",
        summary: "Formula money for young people in and out of school, with most of it aimed at \
                  youth who have left school and a share reserved for work experience.",
        allowable_uses: &[
            "paid and unpaid work experience, internships and pre-apprenticeship",
            "occupational skills training and education tied to a job",
            "tutoring, dropout recovery and high school equivalency preparation",
            "mentoring, leadership development and follow-up services",
        ],
        restrictions: &[
            "most of the money must serve out-of-school youth; a minimum share goes to work \
             experience (states may hold waivers)",
            "eligibility depends on age and on barriers listed in the law",
            "youth providers are usually chosen competitively by the local board",
        ],
        reporting: "Youth performance indicators: education or employment after exit, \
                    credentials, skill gains and earnings.",
        match_requirement: "No match.",
        application: "Formula to local boards; partnerships usually reach it by becoming or \
                      working with a contracted youth provider, whose procurement cycle the board \
                      sets.",
    },
    CatalogStream {
        code: "wioa_incumbent_worker",
        name: "Incumbent worker training (WIOA local-area option)",
        kind: StreamKind::Federal,
        administered_by: "Local workforce development boards, using part of their adult and \
                          dislocated worker money under state policy",
        summary: "A local option to train people an employer already employs, to avert layoffs, \
                  help workers advance, and open their old jobs to new hires.",
        allowable_uses: &[
            "training current workers in skills the employer needs to stay competitive",
            "upskilling that lets workers move up and frees entry jobs for new hires",
            "training delivered for several employers of the same sector together",
        ],
        restrictions: &[
            "only a limited share of the local adult and dislocated worker money may go to it",
            "workers generally need some time on the job with the employer first",
            "the employer pays a share of the cost that rises with the size of the company",
            "the state or local board may narrow it further: check the local policy",
        ],
        reporting: "Records of trainees and the employer's share; outcomes reported through the \
                    local board.",
        match_requirement: "Yes: an employer share on a sliding scale by company size, in cash or \
                            in kind (wages paid during training can count).",
        application: "Applied for with the local board, often on a rolling basis while money \
                      lasts; some boards hold set rounds.",
    },
    CatalogStream {
        code: "registered_apprenticeship",
        name: "Registered Apprenticeship (expansion grants and state apprenticeship funds)",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Labor Office of Apprenticeship and state \
                          apprenticeship agencies; state funds through the state's apprenticeship \
                          office",
        summary: "Grants and state money to start, grow and diversify registered apprenticeship \
                  programs, where workers earn wages while they learn on the job and in class.",
        allowable_uses: &[
            "developing new programs and registering their standards",
            "intermediaries that recruit employers and run programs for several of them",
            "related classroom instruction and its tuition",
            "pre-apprenticeship that leads into a registered program",
            "supportive services and tools for apprentices",
        ],
        restrictions: &[
            "programs must be registered with the federal office or the state apprenticeship \
             agency to count",
            "grant names, priorities and eligible applicants change from one notice to the next",
            "grants have a fixed period of performance and targets for apprentices served",
        ],
        reporting: "Quarterly performance and financial reports for grants; apprentices are \
                    recorded in the registration system.",
        match_requirement: "Depends on the notice: some ask for leveraged or matching resources, \
                            others score them; state funds set their own rules.",
        application: "Federal grants are competitive, announced in funding notices when money is \
                      appropriated; some state expansion money is formula. State funds vary by \
                      state.",
    },
    CatalogStream {
        code: "perkins_v",
        name: "Perkins V (Career and Technical Education)",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Education, through the state's eligible agency to \
                          school districts and colleges",
        summary: "Formula money to improve career and technical education in high schools and \
                  colleges, guided by a local needs assessment done with employers.",
        allowable_uses: &[
            "equipment and curriculum for programs aligned to in-demand jobs",
            "work-based learning, career exploration and guidance",
            "professional development for teachers and faculty, including from industry",
            "dual enrollment and pathways from high school into college programs",
        ],
        restrictions: &[
            "must be spent on career and technical education programs that meet the state's \
             quality rules",
            "spending must follow the comprehensive local needs assessment",
            "supplements, and does not replace, state and local money",
            "only school districts, colleges and other eligible recipients receive it",
        ],
        reporting: "Core performance indicators for secondary and postsecondary students, broken \
                    out by student group, reported through the state.",
        match_requirement: "No match for local recipients; the state matches its administrative \
                            money and keeps up its own spending.",
        application: "Formula: recipients file a local application with the state. The needs \
                      assessment, updated every two years, is where employers and partnerships \
                      have a say.",
    },
    CatalogStream {
        code: "snap_et",
        name: "SNAP Employment and Training (including 50-50 reimbursement)",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Agriculture Food and Nutrition Service, through the \
                          state SNAP agency",
        summary: "Money for job training and related services to people receiving SNAP food \
                  benefits, with a 50-50 reimbursement that returns half of what a partner spends \
                  from its own non-federal money.",
        allowable_uses: &[
            "vocational training, education and job search help for SNAP participants",
            "work experience and job retention services",
            "participant reimbursements such as transportation, books and child care",
            "program costs of third-party partners such as colleges and nonprofits",
        ],
        restrictions: &[
            "only people receiving SNAP are served, under the state's rules on who may take part",
            "reimbursement requires spending non-federal money first; other federal money \
             generally cannot be used",
            "services and partners must be written into the state's E&T plan approved by the \
             federal agency",
            "costs need careful cost allocation and documentation",
        ],
        reporting: "Participant and outcome data to the state agency, which reports to the federal \
                    agency; partners document every reimbursed cost.",
        match_requirement: "For 50-50 funds, the partner's own non-federal spending is the base: \
                            half is reimbursed. Federal law changes can alter shares: confirm with \
                            the state agency.",
        application: "Through the state SNAP agency, which files an E&T plan for each federal \
                      fiscal year; third-party partners are added by contract, often with lead \
                      time before the plan year.",
    },
    CatalogStream {
        code: "tanf",
        name: "TANF (Temporary Assistance for Needy Families)",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Health and Human Services, as a block grant to \
                          states, often run by state or county human services agencies",
        summary: "A flexible block grant for families with children with low incomes, which \
                  states use in part for work activities, training and supports.",
        allowable_uses: &[
            "job training and work activities for eligible parents",
            "subsidized employment and work experience",
            "child care, transportation and other supports for work",
            "services that meet one of the program's purposes, as the state defines them",
        ],
        restrictions: &[
            "eligibility, services and income limits are set by each state",
            "cash assistance has a federal time limit, and states must meet work participation \
             rates",
            "spending must fit one of the program's purposes",
        ],
        reporting: "Caseload and work participation data to the state; partners report what their \
                    contract asks.",
        match_requirement: "States must keep up their own spending (maintenance of effort); \
                            partners usually do not match.",
        application: "Not applied for directly: partnerships contract with the state or county \
                      agency, on that agency's procurement cycle.",
    },
    CatalogStream {
        code: "state_training_fund",
        name: "State customized and incumbent training funds",
        kind: StreamKind::State,
        administered_by: "A state agency (workforce, commerce or economic development), varying \
                          by state",
        summary: "Many states run their own grants for training tied to employers' needs, for new \
                  hires or current workers; names, rules and amounts vary widely by state.",
        allowable_uses: &[
            "customized training designed with one employer or a group of them",
            "training current workers in new skills or equipment",
            "training tied to business expansion or new locations",
        ],
        restrictions: &[
            "often limited to target industries, wage floors or retention commitments",
            "an employer match is common",
            "training delivered before approval is usually not covered",
            "rules vary by state: check the current state guidance",
        ],
        reporting: "Trainees, hours, wages and retention as the state grant agreement asks.",
        match_requirement: "Commonly an employer match in cash or in kind; the share varies by \
                            state.",
        application: "Varies: some states take applications on a rolling basis while money lasts, \
                      others hold competitive rounds; check the state agency.",
    },
    CatalogStream {
        code: "bil_workforce",
        name: "Bipartisan Infrastructure Law workforce-related funds",
        kind: StreamKind::Federal,
        administered_by: "Several federal agencies (transportation, energy, broadband and others), \
                          often through state agencies",
        summary: "Some infrastructure programs of the 2021 law allow spending on training the \
                  workers who build and run the projects, or ask applicants for a workforce plan; \
                  the rules differ program by program.",
        allowable_uses: &[
            "training for construction, transportation, energy and broadband jobs where the \
             program allows it",
            "workforce plans and partnerships required in some applications",
            "supportive services for trainees in some programs",
        ],
        restrictions: &[
            "money belongs to a specific program and only its eligible uses apply",
            "construction projects carry federal requirements such as prevailing wages",
            "much of it flows to state agencies, which decide whether to spend on workforce",
            "what remains available has changed since the law passed: check each program",
        ],
        reporting: "The reports of the program that provides the money, usually through the \
                    prime recipient.",
        match_requirement: "Depends on the program: many require a non-federal share.",
        application: "A mix of formula money to states and competitive notices; partnerships \
                      usually join an application led by a state agency, a locality or a \
                      utility.",
    },
    CatalogStream {
        code: "ira_workforce",
        name: "Inflation Reduction Act workforce-related provisions",
        kind: StreamKind::Federal,
        administered_by: "The Internal Revenue Service for the tax credits; other federal agencies \
                          for the law's grant programs",
        summary: "Several clean energy tax credits of the 2022 law pay a larger amount when \
                  projects meet prevailing wage and apprenticeship requirements, which creates \
                  employer demand for registered apprentices; some grant programs also fund \
                  training.",
        allowable_uses: &[
            "building the registered apprentice pipeline that projects need to claim the larger \
             credit",
            "training contractors for energy efficiency and electrification work where a grant \
             program funds it",
            "connecting project developers with apprenticeship programs and training providers",
        ],
        restrictions: &[
            "the credits go to project owners, not to the partnership: the value reaches the \
             partnership through employers and developers",
            "apprentices must come from registered programs and meet the labor-hour and ratio \
             rules",
            "later federal law changed which credits remain and their timelines: check current \
             IRS guidance",
        ],
        reporting: "Project owners keep payroll and apprenticeship records to support the claim.",
        match_requirement: "None: it is a tax incentive; grant programs set their own shares.",
        application: "No application for the credits themselves; owners claim them on their \
                      returns. Partnerships work with developers and contractors during project \
                      planning.",
    },
    CatalogStream {
        code: "eda_grants",
        name: "EDA grants (economic development and workforce)",
        kind: StreamKind::Federal,
        administered_by: "U.S. Economic Development Administration (Department of Commerce)",
        summary: "Grants for regional economic development — planning, technical assistance, \
                  infrastructure and, in some programs, workforce training linked to the regional \
                  strategy.",
        allowable_uses: &[
            "planning and technical assistance for regional strategies",
            "infrastructure and facilities such as training centers",
            "workforce training and sector partnerships where the program allows it",
            "economic adjustment after plant closures or disasters",
        ],
        restrictions: &[
            "projects should be consistent with the region's comprehensive economic development \
             strategy",
            "eligible applicants are public bodies, tribes, colleges and nonprofits working with \
             them, not businesses",
            "program names and priorities change with each funding notice",
        ],
        reporting: "Progress and financial reports, and outcome measures set in the award.",
        match_requirement: "Generally a non-federal cost share, which can be lowered for areas of \
                            high economic distress: check the current notice.",
        application: "Competitive, through funding notices; some programs accept applications on \
                      a rolling basis. Regional economic development districts can help.",
    },
    CatalogStream {
        code: "wioa_adult_education",
        name: "WIOA Title II Adult Education and Literacy",
        kind: StreamKind::Federal,
        administered_by: "U.S. Department of Education, through the state adult education agency \
                          to local providers",
        summary: "Money for adult basic education, English language learning and high school \
                  equivalency, including integrated education and training that teaches basic \
                  skills alongside job skills.",
        allowable_uses: &[
            "adult basic education and English language classes",
            "integrated education and training tied to an occupation",
            "workplace literacy delivered with an employer",
        ],
        restrictions: &[
            "state agencies pick local providers competitively",
            "learners are adults lacking basic skills, a high school credential or English \
             proficiency",
            "training parts of integrated programs are often paid from other streams",
        ],
        reporting: "Measurable skill gains and the shared WIOA performance indicators.",
        match_requirement: "The state matches the federal grant; local providers usually do not.",
        application: "Competitive grants from the state agency to providers, typically for several \
                      years at a time.",
    },
    CatalogStream {
        code: "local_public_funds",
        name: "City and county funds",
        kind: StreamKind::Local,
        administered_by: "City or county governments, local economic development bodies",
        summary: "Local general funds, economic development money or dedicated local taxes that \
                  some places use for workforce programs; what exists varies by place.",
        allowable_uses: &[
            "staffing or convening a partnership",
            "training and supportive services for residents",
            "youth summer jobs and work experience",
        ],
        restrictions: &[
            "often limited to residents of the jurisdiction",
            "depends on the annual budget and can change with each budget",
            "dedicated taxes and development incentives carry their own legal limits",
        ],
        reporting: "As the local contract or ordinance asks, often residents served and placed.",
        match_requirement: "Rarely asks for one; often used as the match for other streams.",
        application: "Through the local budget process or a local procurement; timing follows the \
                      jurisdiction's fiscal year.",
    },
    CatalogStream {
        code: "philanthropy",
        name: "Community foundation and private philanthropy",
        kind: StreamKind::Philanthropy,
        administered_by: "Community foundations, private and corporate foundations, donors",
        summary: "Flexible private money that often pays for what public streams do not: the \
                  partnership's backbone, pilots, evaluation and supports.",
        allowable_uses: &[
            "backbone staff and convening",
            "pilots and start-up costs before public money arrives",
            "emergency and supportive services for participants",
            "evaluation and data work",
        ],
        restrictions: &[
            "bound by the grant agreement and the funder's purposes",
            "private foundations cannot pay for lobbying",
            "usually time-limited: seed money more often than permanent support",
        ],
        reporting: "Narrative and financial reports as the grant agreement asks.",
        match_requirement: "Sometimes offered as a challenge grant that asks for matching gifts.",
        application: "Varies: open rounds, letters of inquiry or invitation only; a relationship \
                      with the program officer usually comes first.",
    },
    CatalogStream {
        code: "employer_contribution",
        name: "Employer contributions (cash, sponsorship, tuition assistance)",
        kind: StreamKind::Employer,
        administered_by: "The employers of the partnership",
        summary: "What employers put in: dues or sponsorship of the partnership, paying for \
                  training, tuition assistance for their workers, and wages paid while people \
                  learn.",
        allowable_uses: &[
            "membership dues or sponsorship of the partnership",
            "paying for training cohorts or instructors",
            "tuition assistance for current workers",
            "wages during apprenticeship, on-the-job training or paid release time",
        ],
        restrictions: &[
            "employers expect a return for their own workforce: hires, skills, retention",
            "tuition assistance follows the employer's policy and the tax rules on it",
            "competitors sharing wage or pricing details must take antitrust care",
        ],
        reporting: "Informal, but employers expect to see results: hires, completions, retention.",
        match_requirement: "None asked, but often what meets other streams' match requirements.",
        application: "Asked for directly, ideally timed to the companies' own budget cycles.",
    },
    CatalogStream {
        code: "in_kind",
        name: "In-kind contributions (space, staff time, equipment)",
        kind: StreamKind::InKind,
        administered_by: "Partners of every kind: employers, colleges, agencies, nonprofits",
        summary: "Goods and time instead of money: meeting and training space, loaned staff and \
                  instructors, equipment and materials.",
        allowable_uses: &[
            "training space and labs",
            "staff or instructor time",
            "donated or loaned equipment and materials",
            "meeting space and hosting",
        ],
        restrictions: &[
            "to count as match on a federal grant it must be necessary, documented and valued \
             reasonably",
            "the same contribution cannot count as match for two grants",
            "value must be recorded when given: hours, rates and fair value",
        ],
        reporting: "Records of hours, rates and fair value, kept by the receiving partner.",
        match_requirement: "None asked; commonly counted toward other streams' match.",
        application: "Asked for directly and confirmed in a letter of commitment.",
    },
];

/// The catalog entry with this code, if any.
pub fn find(code: &str) -> Option<&'static CatalogStream> {
    let code = code.trim();
    CATALOG.iter().find(|s| s.code == code)
}

/// The catalog entries whose money comes from `kind`, in catalog order.
pub fn by_kind(kind: StreamKind) -> impl Iterator<Item = &'static CatalogStream> {
    CATALOG.iter().filter(move |s| s.kind == kind)
}

/// The entries where every word of `words` appears (ignoring case) somewhere in the name, the
/// summary, the allowable uses or the restrictions, in catalog order. Words match inside longer
/// words ("apprentice" matches "apprenticeship"). No words at all match every entry.
pub fn search(words: &str) -> Vec<&'static CatalogStream> {
    let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    CATALOG
        .iter()
        .filter(|s| {
            let fields = [&[s.name, s.summary][..], s.allowable_uses, s.restrictions];
            let text = fields.concat().join("\n").to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn codes(found: &[&CatalogStream]) -> Vec<&'static str> {
        found.iter().map(|s| s.code).collect()
    }

    #[test]
    fn catalog_codes_are_unique_snake_case() {
        let mut seen = BTreeSet::new();
        for s in CATALOG {
            assert!(seen.insert(s.code), "{} twice", s.code);
            let snake = s.code.starts_with(|c: char| c.is_ascii_lowercase())
                && !s.code.ends_with('_')
                && !s.code.contains("__")
                && (s.code.chars())
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(snake, "{} is not snake_case", s.code);
        }
        assert!(CATALOG.len() >= 15);
    }

    #[test]
    fn catalog_entries_are_filled_in() {
        for s in CATALOG {
            let texts = [s.name, s.administered_by, s.summary, s.reporting];
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{}", s.code);
            let texts = [s.match_requirement, s.application];
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{}", s.code);
            assert!(!s.allowable_uses.is_empty(), "{}: no allowable use", s.code);
            assert!(!s.restrictions.is_empty(), "{}: no restriction", s.code);
            let mut items = s.allowable_uses.iter().chain(s.restrictions);
            assert!(items.all(|t| !t.trim().is_empty()), "{}", s.code);
        }
        assert!(CAUTION.contains("current guidance"));
    }

    #[test]
    fn catalog_find_by_code() {
        let s = find("snap_et").unwrap();
        assert_eq!(s.kind, StreamKind::Federal);
        assert!(s.name.contains("50-50"));
        assert_eq!(find(" perkins_v ").map(|s| s.code), Some("perkins_v"));
        assert_eq!(find("in_kind").map(|s| s.kind), Some(StreamKind::InKind));
        assert!(find("nope").is_none());
        assert!(find("SNAP_ET").is_none());
        for s in CATALOG {
            assert_eq!(find(s.code), Some(s));
        }
    }

    #[test]
    fn catalog_by_kind_covers_every_kind() {
        let state: Vec<_> = by_kind(StreamKind::State).collect();
        assert_eq!(codes(&state), ["state_training_fund"]);
        let federal = codes(&by_kind(StreamKind::Federal).collect::<Vec<_>>());
        assert_eq!(
            &federal[..3],
            ["wioa_adult", "wioa_dislocated_worker", "wioa_youth"]
        );
        let total: usize = StreamKind::ALL.iter().map(|&k| by_kind(k).count()).sum();
        assert_eq!(total, CATALOG.len());
        // Every kind of stream has at least one entry.
        for &k in StreamKind::ALL {
            assert!(by_kind(k).next().is_some(), "no entry for {k}");
        }
    }

    #[test]
    fn catalog_search_needs_every_word() {
        // "apprentice" also matches inside "pre-apprenticeship" and "apprenticeship".
        assert_eq!(
            codes(&search("apprentice")),
            [
                "wioa_youth",
                "registered_apprenticeship",
                "ira_workforce",
                "employer_contribution"
            ]
        );
        assert_eq!(
            codes(&search("registered apprentice pipeline")),
            ["ira_workforce"]
        );
        assert_eq!(codes(&search("SNAP reimbursement")), ["snap_et"]);
        assert_eq!(codes(&search("  Antitrust ")), ["employer_contribution"]);
        // Both words must appear, not either one.
        assert!(search("antitrust lobbying").is_empty());
        assert!(search("zeppelin").is_empty());
        // A word found only in a restriction counts.
        assert_eq!(codes(&search("lobbying")), ["philanthropy"]);
        assert_eq!(search("").len(), CATALOG.len());
        let incumbent = codes(&search("incumbent"));
        assert!(incumbent.contains(&"wioa_incumbent_worker"));
        assert!(incumbent.contains(&"state_training_fund"));
    }
}
