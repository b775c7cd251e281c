//! Marketing, products and capacity, and lessons learned: the closed lists of the Plan
//! section's sustaining pages, staff time in FTE, the capacity plan's gaps, and a case-story
//! draft assembled from lessons learned.
//!
//! - [`Chapter`]: the lifecycle chapter a lesson is tagged with.
//! - [`Audience`], [`CommsChannel`], [`CommsProduct`]: who a message is for, how it travels,
//!   what is made.
//! - [`ProductStatus`]: a product or service of the partnership, from idea to retired.
//! - [`CapacityRole`] and [`Fte`]: the roles the partnership needs staffed, in hundredths of a
//!   full-time equivalent; [`capacity_gaps`] says where the time falls short.
//! - [`case_story_draft`]: a plain-text draft of a case story from chosen lessons.
//!
//! Plain functions of their inputs, tested with worked examples.

use crate::partners::UnknownCode;
use crate::planning::closed_list;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

closed_list!(
    /// A chapter of the partnership lifecycle.
    Chapter, "lifecycle chapter", {
    SectorApproach => ("sector_approach", "Deciding on a sector approach"),
    RegionalNeeds => ("regional_needs", "Assessing regional needs"),
    Convening => ("convening", "Convening partners"),
    Planning => ("planning", "Planning"),
    Managing => ("managing", "Managing meetings and engagement"),
    Marketing => ("marketing", "Marketing and communication"),
    Funding => ("funding", "Funding and sustaining"),
    Measuring => ("measuring", "Measuring progress"),
});

closed_list!(
    /// Who a message is for.
    Audience, "audience", {
    Employers => ("employers", "Employers"),
    Workers => ("workers", "Jobseekers and workers"),
    Partners => ("partners", "Partners"),
    Funders => ("funders", "Funders"),
    Officials => ("officials", "Public officials"),
});

closed_list!(
    /// How a communication travels.
    CommsChannel, "channel", {
    Email => ("email", "Email"),
    Newsletter => ("newsletter", "Newsletter"),
    Social => ("social", "Social media"),
    Website => ("website", "Website"),
    Press => ("press", "Press and media"),
    Event => ("event", "Event or presentation"),
    Meeting => ("meeting", "Meeting"),
    Print => ("print", "Print"),
});

closed_list!(
    /// What a communication item makes.
    CommsProduct, "communication product", {
    CaseStory => ("case_story", "Case story"),
    Brochure => ("brochure", "Brochure"),
    WebsiteCopy => ("website_copy", "Website copy"),
    FactSheet => ("fact_sheet", "Fact sheet"),
    Presentation => ("presentation", "Presentation"),
    Post => ("post", "Post or announcement"),
    Other => ("other", "Other"),
});

closed_list!(
    /// Where a product or service of the partnership stands.
    ProductStatus, "product status", {
    Idea => ("idea", "Idea"),
    Planned => ("planned", "Planned"),
    Developing => ("developing", "In development"),
    Available => ("available", "Available"),
    Retired => ("retired", "Retired"),
});

closed_list!(
    /// A role the partnership needs filled.
    CapacityRole, "capacity role", {
    Coordinator => ("coordinator", "Coordinator / convener"),
    Data => ("data", "Data and evaluation"),
    Marketing => ("marketing", "Marketing and communication"),
    Fiscal => ("fiscal", "Fiscal agent and grants"),
    EmployerLiaison => ("employer_liaison", "Employer liaison / business services"),
    Other => ("other", "Other"),
});

/// Staff time in hundredths of a full-time equivalent (0.5 FTE = 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Fte(u32);

/// Text that is not an FTE.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an FTE: write a number of full-time equivalents from 0 to 100 with at most two decimals, like 0.5 or 1.25"
)]
pub struct BadFte(pub String);

impl Fte {
    pub const ZERO: Fte = Fte(0);

    pub fn from_hundredths(h: u32) -> Fte {
        Fte(h)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// `self − other`, or zero.
    pub fn saturating_sub(self, other: Fte) -> Fte {
        Fte(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Fte {
    /// `0.5`, `1`, `1.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = (self.0 / 100, self.0 % 100);
        match h {
            0 => write!(f, "{w}"),
            h if h % 10 == 0 => write!(f, "{w}.{}", h / 10),
            h => write!(f, "{w}.{h:02}"),
        }
    }
}

impl FromStr for Fte {
    type Err = BadFte;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || BadFte(s.to_string());
        let t = s.trim();
        let (w, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if (w.is_empty() && frac.is_empty()) || !digits(w) || !digits(frac) || frac.len() > 2 {
            return Err(err());
        }
        let w: u32 = if w.is_empty() {
            0
        } else {
            w.parse().map_err(|_| err())?
        };
        let h: u32 = format!("{frac:0<2}").parse().map_err(|_| err())?;
        let v = w
            .checked_mul(100)
            .and_then(|x| x.checked_add(h))
            .ok_or_else(err)?;
        if v > 10_000 {
            return Err(err());
        }
        Ok(Fte(v))
    }
}

/// A role of the capacity plan: what it needs and what is filled.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleNeed {
    pub role: CapacityRole,
    pub needed: Fte,
    pub filled: Fte,
}

/// Needs, filled time and gaps by role (in the order of [`CapacityRole::ALL`], roles without
/// entries left out), and the totals. A role filled beyond its need has no gap, and its extra
/// time does not close another role's gap.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySummary {
    pub by_role: Vec<(CapacityRole, Fte, Fte, Fte)>,
    pub needed: Fte,
    pub filled: Fte,
    pub gap: Fte,
}

pub fn capacity_gaps(needs: &[RoleNeed]) -> CapacitySummary {
    let mut by_role = Vec::new();
    for &r in CapacityRole::ALL {
        let rows: Vec<&RoleNeed> = needs.iter().filter(|n| n.role == r).collect();
        if rows.is_empty() {
            continue;
        }
        let needed = Fte(rows.iter().map(|n| n.needed.0).sum());
        let filled = Fte(rows.iter().map(|n| n.filled.0).sum());
        by_role.push((r, needed, filled, needed.saturating_sub(filled)));
    }
    CapacitySummary {
        needed: Fte(by_role.iter().map(|r| r.1.0).sum()),
        filled: Fte(by_role.iter().map(|r| r.2.0).sum()),
        gap: Fte(by_role.iter().map(|r| r.3.0).sum()),
        by_role,
    }
}

/// A lesson as the case-story draft uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonText<'a> {
    pub day: &'a str,
    pub chapter: Chapter,
    pub worked: &'a str,
    pub did_not: &'a str,
    pub why: &'a str,
    pub change: &'a str,
}

/// A plain-text case-story draft: a title, then what the partnership did and learned, from the
/// lessons in date order, in the order a case story reads (the work, what worked, what was hard
/// and why, what changes). Empty parts are left out; the draft is for a person to finish.
pub fn case_story_draft(partnership: &str, lessons: &[LessonText<'_>]) -> String {
    let mut ls: Vec<&LessonText<'_>> = lessons.iter().collect();
    ls.sort_by_key(|l| l.day);
    let mut out = format!("{partnership}: what we learned\n");
    let section = |out: &mut String, title: &str, parts: Vec<String>| {
        if !parts.is_empty() {
            out.push_str(&format!("\n{title}\n"));
            for p in parts {
                out.push_str(&format!("- {p}\n"));
            }
        }
    };
    let chapters: Vec<String> = {
        let mut c: Vec<Chapter> = ls.iter().map(|l| l.chapter).collect();
        c.sort();
        c.dedup();
        c.into_iter().map(|c| c.label().to_string()).collect()
    };
    section(&mut out, "The work", chapters);
    let pick = |f: for<'x> fn(&'x LessonText<'x>) -> &'x str| -> Vec<String> {
        ls.iter()
            .filter(|l| !f(l).trim().is_empty())
            .map(|l| format!("{} ({})", f(l).trim(), l.day))
            .collect()
    };
    section(&mut out, "What worked", pick(|l| l.worked));
    section(&mut out, "What did not, and why", {
        ls.iter()
            .filter(|l| !l.did_not.trim().is_empty())
            .map(|l| {
                if l.why.trim().is_empty() {
                    format!("{} ({})", l.did_not.trim(), l.day)
                } else {
                    format!("{}: {} ({})", l.did_not.trim(), l.why.trim(), l.day)
                }
            })
            .collect()
    });
    section(&mut out, "What we are changing", pick(|l| l.change));
    out.push_str("\nQuote from an employer partner: [to add]\nResults so far: [to add, with figures from the Metrics section]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fte_parses_prints_and_is_bounded() {
        let f = |s: &str| s.parse::<Fte>().map(Fte::hundredths);
        assert_eq!(f("0.5"), Ok(50));
        assert_eq!(f("1"), Ok(100));
        assert_eq!(f("1.25"), Ok(125));
        assert_eq!(f(".75"), Ok(75));
        assert_eq!(f(" 2. "), Ok(200));
        for bad in ["", ".", "-1", "0.125", "1,5", "abc", "101", "99999999999"] {
            assert!(bad.parse::<Fte>().is_err(), "{bad}");
        }
        for (h, s) in [
            (50, "0.5"),
            (100, "1"),
            (125, "1.25"),
            (5, "0.05"),
            (0, "0"),
        ] {
            assert_eq!(Fte::from_hundredths(h).to_string(), s);
        }
    }

    #[test]
    fn gaps_by_role_do_not_borrow_from_other_roles() {
        let n = |role, needed: &str, filled: &str| RoleNeed {
            role,
            needed: needed.parse().unwrap(),
            filled: filled.parse().unwrap(),
        };
        let s = capacity_gaps(&[
            n(CapacityRole::Data, "0.5", "0"),
            n(CapacityRole::Coordinator, "1", "0.5"),
            n(CapacityRole::Coordinator, "0.25", "0.25"),
            n(CapacityRole::Fiscal, "0.1", "0.3"),
        ]);
        let show: Vec<String> = s
            .by_role
            .iter()
            .map(|(r, a, b, g)| format!("{} {a}/{b} gap {g}", r.code()))
            .collect();
        assert_eq!(
            show,
            [
                "coordinator 1.25/0.75 gap 0.5",
                "data 0.5/0 gap 0.5",
                "fiscal 0.1/0.3 gap 0"
            ]
        );
        // The fiscal surplus (0.2) does not close the others' gaps.
        assert_eq!(
            (
                s.needed.to_string(),
                s.filled.to_string(),
                s.gap.to_string()
            ),
            ("1.85".into(), "1.05".into(), "1".into())
        );
    }

    #[test]
    fn a_case_story_reads_in_order_and_skips_empty_parts() {
        let l = |day, chapter, worked, did_not, why, change| LessonText {
            day,
            chapter,
            worked,
            did_not,
            why,
            change,
        };
        let d = case_story_draft(
            "Insurance Partners",
            &[
                l(
                    "2027-03-01",
                    Chapter::Managing,
                    "Employers chaired the meetings",
                    "",
                    "",
                    "",
                ),
                l(
                    "2026-11-10",
                    Chapter::Convening,
                    "",
                    "Few small agencies came",
                    "Meetings were at 9 am on weekdays",
                    "Meet at lunch, online",
                ),
            ],
        );
        assert_eq!(
            d,
            "Insurance Partners: what we learned\n\
             \nThe work\n- Convening partners\n- Managing meetings and engagement\n\
             \nWhat worked\n- Employers chaired the meetings (2027-03-01)\n\
             \nWhat did not, and why\n- Few small agencies came: Meetings were at 9 am on weekdays (2026-11-10)\n\
             \nWhat we are changing\n- Meet at lunch, online (2026-11-10)\n\
             \nQuote from an employer partner: [to add]\nResults so far: [to add, with figures from the Metrics section]\n"
        );
    }
}
