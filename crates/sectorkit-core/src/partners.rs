//! Partners of a sector partnership: organization categories, contact characteristics, and the
//! composition check — what the table lacks, computed from the records.
//!
//! The check follows the convening guidance of sector-partnership practice: a partnership needs
//! employers of the target industry (several, with a champion among them), worker or labor voice,
//! education and training, the public workforce system, community and human-services partners,
//! and decision-makers at the table; an intermediary that is also the only trainer or the only
//! employer has a conflict of interest. Each rule is a plain function of the records, so the
//! panel is always current and every finding can say exactly what would clear it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What kind of organization a partner is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum OrgCategory {
    Employer,
    IndustryAssociation,
    EconomicDevelopment,
    PublicWorkforce,
    EducationK12,
    EducationCollege,
    EducationUniversity,
    EducationPrivate,
    Labor,
    HumanServices,
    Community,
    Philanthropy,
    Government,
    #[default]
    Other,
}

impl OrgCategory {
    pub const ALL: [OrgCategory; 14] = [
        OrgCategory::Employer,
        OrgCategory::IndustryAssociation,
        OrgCategory::EconomicDevelopment,
        OrgCategory::PublicWorkforce,
        OrgCategory::EducationK12,
        OrgCategory::EducationCollege,
        OrgCategory::EducationUniversity,
        OrgCategory::EducationPrivate,
        OrgCategory::Labor,
        OrgCategory::HumanServices,
        OrgCategory::Community,
        OrgCategory::Philanthropy,
        OrgCategory::Government,
        OrgCategory::Other,
    ];

    /// The code stored and used in CSV files.
    pub fn code(self) -> &'static str {
        match self {
            OrgCategory::Employer => "employer",
            OrgCategory::IndustryAssociation => "industry_association",
            OrgCategory::EconomicDevelopment => "economic_development",
            OrgCategory::PublicWorkforce => "public_workforce",
            OrgCategory::EducationK12 => "education_k12",
            OrgCategory::EducationCollege => "education_college",
            OrgCategory::EducationUniversity => "education_university",
            OrgCategory::EducationPrivate => "education_private",
            OrgCategory::Labor => "labor",
            OrgCategory::HumanServices => "human_services",
            OrgCategory::Community => "community",
            OrgCategory::Philanthropy => "philanthropy",
            OrgCategory::Government => "government",
            OrgCategory::Other => "other",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            OrgCategory::Employer => "Employer",
            OrgCategory::IndustryAssociation => "Industry or trade association",
            OrgCategory::EconomicDevelopment => "Economic development",
            OrgCategory::PublicWorkforce => "Public workforce system",
            OrgCategory::EducationK12 => "Education: K-12",
            OrgCategory::EducationCollege => "Education: community or technical college",
            OrgCategory::EducationUniversity => "Education: university",
            OrgCategory::EducationPrivate => "Education: private training provider",
            OrgCategory::Labor => "Organized labor or worker organization",
            OrgCategory::HumanServices => "Human services",
            OrgCategory::Community => "Community- or faith-based organization",
            OrgCategory::Philanthropy => "Philanthropy",
            OrgCategory::Government => "Elected official or government",
            OrgCategory::Other => "Other",
        }
    }

    /// Education and training providers of every kind.
    pub fn is_education(self) -> bool {
        matches!(
            self,
            OrgCategory::EducationK12
                | OrgCategory::EducationCollege
                | OrgCategory::EducationUniversity
                | OrgCategory::EducationPrivate
        )
    }
}

impl fmt::Display for OrgCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text that is not one of the codes of a closed list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a known value for {what}: use one of {allowed}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
    pub allowed: String,
}

impl FromStr for OrgCategory {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The code, or the label as the pages show it (a file typed by hand often has it).
        let t = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let label = s.trim().to_lowercase();
        OrgCategory::ALL
            .into_iter()
            .find(|c| c.code() == t || c.label().to_lowercase() == label)
            .ok_or_else(|| UnknownCode {
                what: "organization category",
                value: s.to_string(),
                allowed: OrgCategory::ALL.map(|c| c.code()).join(", "),
            })
    }
}

/// Employer size by employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SizeBand {
    /// 1–49
    Small,
    /// 50–249
    Medium,
    /// 250–999
    Large,
    /// 1,000 or more
    VeryLarge,
}

impl SizeBand {
    pub const ALL: [SizeBand; 4] = [
        SizeBand::Small,
        SizeBand::Medium,
        SizeBand::Large,
        SizeBand::VeryLarge,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SizeBand::Small => "1-49",
            SizeBand::Medium => "50-249",
            SizeBand::Large => "250-999",
            SizeBand::VeryLarge => "1000+",
        }
    }
}

impl SizeBand {
    /// The band's employees, lowest and highest (`None`: no upper bound, 1,000 or more).
    pub fn range(self) -> (u64, Option<u64>) {
        match self {
            SizeBand::Small => (1, Some(49)),
            SizeBand::Medium => (50, Some(249)),
            SizeBand::Large => (250, Some(999)),
            SizeBand::VeryLarge => (1000, None),
        }
    }
}

/// The employers at the table as a share of the region's employment in an industry, as far as
/// their size bands tell: bounds, never a point (the records hold bands, not headcounts).
#[derive(Debug, Clone, PartialEq)]
pub struct EmploymentShare {
    /// Percent of the region's employment the banded employers hold at least.
    pub low_pct: f64,
    /// Percent they hold at most; `None` when a band has no upper bound (1,000 or more), so
    /// only the lower bound is known.
    pub high_pct: Option<f64>,
    /// Employers left out because they have no size band.
    pub without_band: usize,
}

/// [`EmploymentShare`] of employers with these size bands against `region_employment` (a
/// disclosed total; `None` or 0 gives `None`). The bounds add the bands' lowest and highest
/// counts, and the upper one never exceeds 100%. An employer's band counts its whole
/// workforce, which may lie partly outside the region: the lower bound can then overstate the
/// regional share, which the page says.
pub fn employment_share(
    bands: &[Option<SizeBand>],
    region_employment: Option<u64>,
) -> Option<EmploymentShare> {
    let total = region_employment.filter(|&e| e > 0)? as f64;
    let (mut low, mut high, mut open, mut without) = (0u64, 0u64, false, 0usize);
    for b in bands {
        match b {
            Some(b) => {
                let (lo, hi) = b.range();
                low += lo;
                match hi {
                    Some(h) => high += h,
                    None => open = true,
                }
            }
            None => without += 1,
        }
    }
    let pct = |v: u64| (100.0 * v as f64 / total).min(100.0);
    Some(EmploymentShare {
        low_pct: pct(low),
        high_pct: (!open).then(|| pct(high)),
        without_band: without,
    })
}

impl FromStr for SizeBand {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().replace([' ', ','], "");
        SizeBand::ALL
            .into_iter()
            .find(|b| b.code() == t)
            .ok_or_else(|| UnknownCode {
                what: "size band",
                value: s.to_string(),
                allowed: SizeBand::ALL.map(|b| b.code()).join(", "),
            })
    }
}

/// A contact's level in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactLevel {
    Executive,
    Hr,
    FrontLineManager,
    Worker,
    Other,
}

impl ContactLevel {
    pub const ALL: [ContactLevel; 5] = [
        ContactLevel::Executive,
        ContactLevel::Hr,
        ContactLevel::FrontLineManager,
        ContactLevel::Worker,
        ContactLevel::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactLevel::Executive => "executive",
            ContactLevel::Hr => "hr",
            ContactLevel::FrontLineManager => "front_line_manager",
            ContactLevel::Worker => "worker",
            ContactLevel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactLevel::Executive => "Executive",
            ContactLevel::Hr => "HR",
            ContactLevel::FrontLineManager => "Front-line manager",
            ContactLevel::Worker => "Worker",
            ContactLevel::Other => "Other",
        }
    }
}

impl FromStr for ContactLevel {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        ContactLevel::ALL
            .into_iter()
            .find(|c| c.code() == t)
            .ok_or_else(|| UnknownCode {
                what: "contact level",
                value: s.to_string(),
                allowed: ContactLevel::ALL.map(|c| c.code()).join(", "),
            })
    }
}

/// How a contact acts around the table (the convening guidance's influencer types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Influence {
    /// Gets things done.
    Doer,
    /// Raises objections; worth winning over early.
    Naysayer,
    /// Works the politics.
    Politico,
}

impl Influence {
    pub const ALL: [Influence; 3] = [Influence::Doer, Influence::Naysayer, Influence::Politico];

    pub fn code(self) -> &'static str {
        match self {
            Influence::Doer => "doer",
            Influence::Naysayer => "naysayer",
            Influence::Politico => "politico",
        }
    }
}

impl FromStr for Influence {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "");
        Influence::ALL
            .into_iter()
            .find(|c| c.code() == t)
            .ok_or_else(|| UnknownCode {
                what: "influencer type",
                value: s.to_string(),
                allowed: Influence::ALL.map(|c| c.code()).join(", "),
            })
    }
}

/// What the composition check needs to know about an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgFacts {
    pub id: i64,
    pub name: String,
    pub category: OrgCategory,
    /// An employer's NAICS code (any level), if known.
    pub naics: Option<String>,
    pub is_intermediary: bool,
}

/// What the composition check needs to know about a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFacts {
    pub organization_id: i64,
    pub champion: bool,
    /// A decision-maker, or has a decision-maker's ear.
    pub decision_maker: bool,
}

/// Settings of the check.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositionSettings {
    /// Employers of the target industries the table should have (default 5).
    pub min_target_employers: usize,
}

impl Default for CompositionSettings {
    fn default() -> Self {
        CompositionSettings {
            min_target_employers: 5,
        }
    }
}

/// Something the table lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// No contact at an employer is marked as a champion.
    NoEmployerChampion,
    /// Fewer employers of the target industries than the setting asks for.
    TooFewTargetEmployers { have: usize, need: usize },
    /// No organized labor or worker organization.
    NoWorkerVoice,
    /// No education or training provider.
    NoEducation,
    /// No public workforce system partner.
    NoPublicWorkforce,
    /// No community-based or human-services partner.
    NoCommunity,
    /// No contact is a decision-maker or has one's ear.
    NoDecisionMakers,
    /// No organization is marked as the intermediary.
    NoIntermediary,
    /// The intermediary is also the only education partner.
    IntermediaryIsSoleTrainer { organization: String },
    /// The intermediary is also the only employer.
    IntermediaryIsSoleEmployer { organization: String },
}

impl Finding {
    /// What the finding means, in a sentence.
    pub fn message(&self) -> String {
        match self {
            Finding::NoEmployerChampion => {
                "No employer champion: mark a contact at an employer who will lead and recruit \
                 peers."
                    .into()
            }
            Finding::TooFewTargetEmployers { have, need } => format!(
                "{have} employer{} of the target industries at the table; aim for at least {need}.",
                if *have == 1 { "" } else { "s" }
            ),
            Finding::NoWorkerVoice => {
                "No labor or worker voice: add organized labor or a worker organization.".into()
            }
            Finding::NoEducation => "No education or training partner.".into(),
            Finding::NoPublicWorkforce => {
                "No public workforce system partner (workforce board, American Job Center).".into()
            }
            Finding::NoCommunity => "No community-based or human-services partner.".into(),
            Finding::NoDecisionMakers => {
                "No decision-makers: mark contacts who decide, or have a decision-maker's ear."
                    .into()
            }
            Finding::NoIntermediary => "No organization is marked as the intermediary.".into(),
            Finding::IntermediaryIsSoleTrainer { organization } => format!(
                "{organization} is both the intermediary and the only training partner: a \
                 conflict of interest to manage (add other providers)."
            ),
            Finding::IntermediaryIsSoleEmployer { organization } => format!(
                "{organization} is both the intermediary and the only employer: a conflict of \
                 interest to manage (recruit other employers)."
            ),
        }
    }

    /// The organization category that would clear the finding, when adding one would.
    pub fn fix_category(&self) -> Option<OrgCategory> {
        match self {
            Finding::TooFewTargetEmployers { .. } | Finding::IntermediaryIsSoleEmployer { .. } => {
                Some(OrgCategory::Employer)
            }
            Finding::NoWorkerVoice => Some(OrgCategory::Labor),
            Finding::NoEducation | Finding::IntermediaryIsSoleTrainer { .. } => {
                Some(OrgCategory::EducationCollege)
            }
            Finding::NoPublicWorkforce => Some(OrgCategory::PublicWorkforce),
            Finding::NoCommunity => Some(OrgCategory::Community),
            _ => None,
        }
    }
}

/// Whether an employer's NAICS code lies within one of the target industries (its code starts
/// with the target's: a 6-digit employer code is within its 3-digit industry; a code less
/// detailed than the target cannot be placed and does not count).
pub fn in_target_industry(naics: &str, targets: &[String]) -> bool {
    let n = naics.trim();
    !n.is_empty()
        && targets
            .iter()
            .any(|t| !t.is_empty() && n.starts_with(t.as_str()))
}

/// What the table lacks, in a fixed order (most important first). `orgs` are the live
/// (not archived) organizations; `targets` the NAICS codes of the target industries.
pub fn composition(
    orgs: &[OrgFacts],
    contacts: &[ContactFacts],
    targets: &[String],
    settings: &CompositionSettings,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let category_of = |id: i64| orgs.iter().find(|o| o.id == id).map(|o| o.category);
    let employers: Vec<&OrgFacts> = orgs
        .iter()
        .filter(|o| o.category == OrgCategory::Employer)
        .collect();
    if !contacts
        .iter()
        .any(|c| c.champion && category_of(c.organization_id) == Some(OrgCategory::Employer))
    {
        out.push(Finding::NoEmployerChampion);
    }
    let in_target = employers
        .iter()
        .filter(|o| {
            o.naics
                .as_deref()
                .is_some_and(|n| in_target_industry(n, targets))
        })
        .count();
    if in_target < settings.min_target_employers {
        out.push(Finding::TooFewTargetEmployers {
            have: in_target,
            need: settings.min_target_employers,
        });
    }
    let has = |f: &dyn Fn(OrgCategory) -> bool| orgs.iter().any(|o| f(o.category));
    if !has(&|c| c == OrgCategory::Labor) {
        out.push(Finding::NoWorkerVoice);
    }
    if !has(&|c| c.is_education()) {
        out.push(Finding::NoEducation);
    }
    if !has(&|c| c == OrgCategory::PublicWorkforce) {
        out.push(Finding::NoPublicWorkforce);
    }
    if !has(&|c| matches!(c, OrgCategory::Community | OrgCategory::HumanServices)) {
        out.push(Finding::NoCommunity);
    }
    if !contacts.iter().any(|c| c.decision_maker) {
        out.push(Finding::NoDecisionMakers);
    }
    match orgs.iter().find(|o| o.is_intermediary) {
        None => out.push(Finding::NoIntermediary),
        Some(i) => {
            let trainers: Vec<&OrgFacts> =
                orgs.iter().filter(|o| o.category.is_education()).collect();
            if trainers.len() == 1 && trainers[0].id == i.id {
                out.push(Finding::IntermediaryIsSoleTrainer {
                    organization: i.name.clone(),
                });
            }
            if employers.len() == 1 && employers[0].id == i.id {
                out.push(Finding::IntermediaryIsSoleEmployer {
                    organization: i.name.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employment_share_bounds_from_size_bands() {
        use SizeBand::*;
        // 1-49 + 50-249 + 250-999 against 10,000 jobs: 301..1,297 → 3.01% .. 12.97%.
        let s = employment_share(
            &[Some(Small), Some(Medium), Some(Large), None],
            Some(10_000),
        )
        .unwrap();
        assert!((s.low_pct - 3.01).abs() < 1e-9);
        assert!((s.high_pct.unwrap() - 12.97).abs() < 1e-9);
        assert_eq!(s.without_band, 1);
        // A 1,000+ employer: only a lower bound.
        let s = employment_share(&[Some(VeryLarge), Some(Small)], Some(4_000)).unwrap();
        assert!((s.low_pct - 25.025).abs() < 1e-9);
        assert_eq!(s.high_pct, None);
        // Bounds stop at 100%.
        let s = employment_share(&[Some(Large), Some(Large)], Some(600)).unwrap();
        assert_eq!((s.low_pct, s.high_pct), (83.33333333333333, Some(100.0)));
        // No region total (suppressed or absent), or zero: no share.
        assert_eq!(employment_share(&[Some(Small)], None), None);
        assert_eq!(employment_share(&[Some(Small)], Some(0)), None);
        // No employers: 0% .. 0%.
        let s = employment_share(&[], Some(100)).unwrap();
        assert_eq!((s.low_pct, s.high_pct, s.without_band), (0.0, Some(0.0), 0));
    }

    fn org(id: i64, category: OrgCategory, naics: Option<&str>) -> OrgFacts {
        OrgFacts {
            id,
            name: format!("Org {id}"),
            category,
            naics: naics.map(str::to_string),
            is_intermediary: false,
        }
    }

    fn contact(org: i64, champion: bool, decision_maker: bool) -> ContactFacts {
        ContactFacts {
            organization_id: org,
            champion,
            decision_maker,
        }
    }

    /// A complete table: five target employers (one champion), labor, a college, the workforce
    /// board (the intermediary), a community partner, a decision-maker.
    fn complete() -> (Vec<OrgFacts>, Vec<ContactFacts>) {
        let mut orgs: Vec<OrgFacts> = (1..=5)
            .map(|i| org(i, OrgCategory::Employer, Some("336111")))
            .collect();
        orgs.push(org(6, OrgCategory::Labor, None));
        orgs.push(org(7, OrgCategory::EducationCollege, None));
        let mut board = org(8, OrgCategory::PublicWorkforce, None);
        board.is_intermediary = true;
        orgs.push(board);
        orgs.push(org(9, OrgCategory::HumanServices, None));
        let contacts = vec![contact(1, true, false), contact(2, false, true)];
        (orgs, contacts)
    }

    fn check(orgs: &[OrgFacts], contacts: &[ContactFacts]) -> Vec<Finding> {
        composition(
            orgs,
            contacts,
            &["3361".into()],
            &CompositionSettings::default(),
        )
    }

    #[test]
    fn categories_parse_from_code_or_label() {
        for c in OrgCategory::ALL {
            assert_eq!(c.code().parse::<OrgCategory>(), Ok(c));
            assert_eq!(c.label().to_uppercase().parse::<OrgCategory>(), Ok(c));
        }
        assert_eq!(
            "Industry Association".parse::<OrgCategory>(),
            Ok(OrgCategory::IndustryAssociation)
        );
        let e = "education".parse::<OrgCategory>().unwrap_err();
        assert!(
            e.to_string().starts_with(
                "\"education\" is not a known value for organization category: use one of employer,"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_complete_table_has_no_findings() {
        let (orgs, contacts) = complete();
        assert_eq!(check(&orgs, &contacts), vec![]);
    }

    #[test]
    fn an_empty_table_lacks_everything() {
        let f = check(&[], &[]);
        assert_eq!(
            f,
            vec![
                Finding::NoEmployerChampion,
                Finding::TooFewTargetEmployers { have: 0, need: 5 },
                Finding::NoWorkerVoice,
                Finding::NoEducation,
                Finding::NoPublicWorkforce,
                Finding::NoCommunity,
                Finding::NoDecisionMakers,
                Finding::NoIntermediary,
            ]
        );
    }

    #[test]
    fn each_rule_fires_alone() {
        let (orgs, contacts) = complete();
        // Champion only at a non-employer: fires.
        let c = vec![contact(6, true, false), contact(2, false, true)];
        assert_eq!(check(&orgs, &c), vec![Finding::NoEmployerChampion]);
        // An employer outside the target industry, or coded less precisely, does not count.
        let mut o = orgs.clone();
        o[4].naics = Some("5415".into());
        assert_eq!(
            check(&o, &contacts),
            vec![Finding::TooFewTargetEmployers { have: 4, need: 5 }]
        );
        o[4].naics = Some("33".into());
        assert_eq!(check(&o, &contacts).len(), 1);
        o[4].naics = None;
        assert_eq!(check(&o, &contacts).len(), 1);
        // The threshold is a setting.
        let lenient = CompositionSettings {
            min_target_employers: 4,
        };
        assert_eq!(
            composition(&o, &contacts, &["3361".into()], &lenient),
            vec![]
        );
        for (category, finding) in [
            (OrgCategory::Labor, Finding::NoWorkerVoice),
            (OrgCategory::EducationCollege, Finding::NoEducation),
            (OrgCategory::HumanServices, Finding::NoCommunity),
        ] {
            let o: Vec<OrgFacts> = orgs
                .iter()
                .filter(|x| x.category != category)
                .cloned()
                .collect();
            assert_eq!(check(&o, &contacts), vec![finding.clone()], "{category}");
            // Any other member of the same group clears it.
            let mut o2 = o.clone();
            o2.push(org(
                20,
                match category {
                    OrgCategory::EducationCollege => OrgCategory::EducationPrivate,
                    OrgCategory::HumanServices => OrgCategory::Community,
                    c => c,
                },
                None,
            ));
            assert_eq!(check(&o2, &contacts), vec![], "{category} cleared");
        }
        let c = vec![contact(1, true, false)];
        assert_eq!(check(&orgs, &c), vec![Finding::NoDecisionMakers]);
    }

    #[test]
    fn intermediary_rules() {
        let (mut orgs, contacts) = complete();
        // The workforce board is the intermediary: no conflict. Without one: a finding, and
        // the public workforce rule still holds.
        orgs[7].is_intermediary = false;
        assert_eq!(check(&orgs, &contacts), vec![Finding::NoIntermediary]);
        // The college as intermediary and sole trainer: a conflict.
        orgs[6].is_intermediary = true;
        assert_eq!(
            check(&orgs, &contacts),
            vec![Finding::IntermediaryIsSoleTrainer {
                organization: "Org 7".into()
            }]
        );
        // A second provider clears it.
        orgs.push(org(30, OrgCategory::EducationPrivate, None));
        assert_eq!(check(&orgs, &contacts), vec![]);
        // An employer intermediary that is the only employer.
        let mut solo = vec![org(1, OrgCategory::Employer, Some("3361"))];
        solo[0].is_intermediary = true;
        let f = composition(
            &solo,
            &[contact(1, true, true)],
            &["3361".into()],
            &CompositionSettings {
                min_target_employers: 1,
            },
        );
        assert!(f.contains(&Finding::IntermediaryIsSoleEmployer {
            organization: "Org 1".into()
        }));
    }

    #[test]
    fn codes_parse_leniently_and_fail_clearly() {
        assert_eq!(
            "Public Workforce".parse::<OrgCategory>(),
            Ok(OrgCategory::PublicWorkforce)
        );
        assert_eq!(
            "education-k12".parse::<OrgCategory>(),
            Ok(OrgCategory::EducationK12)
        );
        let e = "school".parse::<OrgCategory>().unwrap_err();
        assert!(
            e.to_string().contains("employer, industry_association"),
            "{e}"
        );
        assert_eq!("1,000+".parse::<SizeBand>(), Ok(SizeBand::VeryLarge));
        assert_eq!(
            "Front-line manager".parse::<ContactLevel>(),
            Ok(ContactLevel::FrontLineManager)
        );
        assert_eq!("do-er".parse::<Influence>(), Ok(Influence::Doer));
        for c in OrgCategory::ALL {
            assert_eq!(c.code().parse::<OrgCategory>(), Ok(c));
        }
    }

    #[test]
    fn every_finding_says_something() {
        for f in check(&[], &[]) {
            assert!(f.message().len() > 20);
        }
        assert!(in_target_industry("336111", &["3361".into()]));
        assert!(!in_target_industry("3361", &["336111".into()]));
        assert!(!in_target_industry("", &["".into()]));
    }
}
