//! Education and training categories of occupations (METHODS §4.5).
//!
//! - BLS Employment Projections assign every projected occupation three categories:
//!   [`TypicalEducation`] (8 levels), [`WorkExperience`] (3) and [`OnTheJobTraining`] (6). Each
//!   enum is ordered from the least to the most preparation, parses BLS's own labels
//!   ([`TypicalEducation::from_bls_label`]) and has a stable snake-case code for storage and URLs.
//! - O*NET groups occupations into five [`JobZone`]s by the preparation they need.
//!
//! Unknown labels are not guessed: `from_bls_label` returns `None` and the reader reports where.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! category {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every level, from the least to the most preparation.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code (`snake_case`), for storage and URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// BLS's label, exactly as the Employment Projections tables print it.
            pub fn bls_label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses BLS's label (surrounding white space and ASCII case ignored; typographic
            /// apostrophes accepted). `None` for anything else.
            pub fn from_bls_label(s: &str) -> Option<$name> {
                let s = s.trim().replace('\u{2019}', "'");
                $name::ALL.iter().copied().find(|v| v.bls_label().eq_ignore_ascii_case(&s))
            }

            /// Parses the stable code.
            pub fn from_code(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.bls_label())
            }
        }
    };
}

category! {
    /// BLS "Typical education needed for entry", lowest first.
    TypicalEducation {
        /// No formal educational credential.
        NoFormalCredential = ("no_formal_credential", "No formal educational credential"),
        /// High school diploma or equivalent.
        HighSchool = ("high_school", "High school diploma or equivalent"),
        /// Some college, no degree.
        SomeCollege = ("some_college", "Some college, no degree"),
        /// Postsecondary nondegree award.
        PostsecondaryNondegree = ("postsecondary_nondegree", "Postsecondary nondegree award"),
        /// Associate's degree.
        Associate = ("associate", "Associate's degree"),
        /// Bachelor's degree.
        Bachelor = ("bachelor", "Bachelor's degree"),
        /// Master's degree.
        Master = ("master", "Master's degree"),
        /// Doctoral or professional degree.
        DoctoralProfessional = ("doctoral_professional", "Doctoral or professional degree"),
    }
}

category! {
    /// BLS "Work experience in a related occupation", least first.
    WorkExperience {
        /// None.
        None = ("none", "None"),
        /// Less than 5 years.
        LessThan5Years = ("less_than_5_years", "Less than 5 years"),
        /// 5 years or more.
        FiveYearsOrMore = ("5_years_or_more", "5 years or more"),
    }
}

category! {
    /// BLS "Typical on-the-job training needed to attain competency in the occupation", least
    /// first (BLS's own order, reversed).
    OnTheJobTraining {
        /// None.
        None = ("none", "None"),
        /// Short-term on-the-job training (1 month or less).
        ShortTerm = ("short_term", "Short-term on-the-job training"),
        /// Moderate-term on-the-job training (more than 1 month, up to 12 months).
        ModerateTerm = ("moderate_term", "Moderate-term on-the-job training"),
        /// Long-term on-the-job training (more than 12 months).
        LongTerm = ("long_term", "Long-term on-the-job training"),
        /// Apprenticeship.
        Apprenticeship = ("apprenticeship", "Apprenticeship"),
        /// Internship/residency.
        InternshipResidency = ("internship_residency", "Internship/residency"),
    }
}

impl TypicalEducation {
    /// True for the entry points of a career ladder: no formal credential or a high-school
    /// diploma (METHODS §4.5 categories; the "entry point" reading is sectorkit's **[R]**).
    pub fn is_entry_level(self) -> bool {
        matches!(
            self,
            TypicalEducation::NoFormalCredential | TypicalEducation::HighSchool
        )
    }
}

impl OnTheJobTraining {
    /// True when the training is at most short-term (none or 1 month or less).
    pub fn is_short(self) -> bool {
        matches!(self, OnTheJobTraining::None | OnTheJobTraining::ShortTerm)
    }
}

/// An O*NET Job Zone, 1 (little or no preparation) to 5 (extensive preparation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct JobZone(u8);

impl JobZone {
    /// `Some` for 1 to 5.
    pub fn new(zone: u8) -> Option<JobZone> {
        (1..=5).contains(&zone).then_some(JobZone(zone))
    }

    /// The number, 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// O*NET's short name ("Little or No Preparation Needed" …).
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "Little or No Preparation Needed",
            2 => "Some Preparation Needed",
            3 => "Medium Preparation Needed",
            4 => "Considerable Preparation Needed",
            _ => "Extensive Preparation Needed",
        }
    }
}

impl TryFrom<u8> for JobZone {
    type Error = String;
    fn try_from(z: u8) -> Result<JobZone, String> {
        JobZone::new(z).ok_or_else(|| format!("{z} is not a job zone (1-5)"))
    }
}

impl From<JobZone> for u8 {
    fn from(z: JobZone) -> u8 {
        z.0
    }
}

impl fmt::Display for JobZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Job Zone {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bls_labels_round_trip_in_order() {
        assert_eq!(TypicalEducation::ALL.len(), 8);
        assert_eq!(WorkExperience::ALL.len(), 3);
        assert_eq!(OnTheJobTraining::ALL.len(), 6);
        for w in TypicalEducation::ALL.windows(2) {
            assert!(w[0] < w[1]);
        }
        for &e in TypicalEducation::ALL {
            assert_eq!(TypicalEducation::from_bls_label(e.bls_label()), Some(e));
            assert_eq!(TypicalEducation::from_code(e.code()), Some(e));
        }
        for &e in WorkExperience::ALL {
            assert_eq!(WorkExperience::from_bls_label(e.bls_label()), Some(e));
        }
        for &e in OnTheJobTraining::ALL {
            assert_eq!(OnTheJobTraining::from_bls_label(e.bls_label()), Some(e));
        }
        assert_eq!(
            TypicalEducation::from_bls_label(" bachelor\u{2019}s degree "),
            Some(TypicalEducation::Bachelor)
        );
        assert_eq!(TypicalEducation::from_bls_label("Bachelors"), None);
        assert_eq!(TypicalEducation::from_bls_label("—"), None);
        assert!(TypicalEducation::Master > TypicalEducation::Bachelor);
        assert!(OnTheJobTraining::InternshipResidency > OnTheJobTraining::None);
    }

    #[test]
    fn job_zones() {
        assert_eq!(JobZone::new(0), None);
        assert_eq!(JobZone::new(6), None);
        assert_eq!(JobZone::new(3).unwrap().get(), 3);
        assert_eq!(
            JobZone::new(1).unwrap().name(),
            "Little or No Preparation Needed"
        );
        assert!(JobZone::new(2) < JobZone::new(4));
    }
}
