//! The readiness self-assessment: the four readiness questions of convening and the six
//! elements of a high-road partnership, each scored 1–4 with evidence notes. A partnership
//! repeats it over time; the result lists the weakest elements first.

use serde::Serialize;
use std::collections::BTreeMap;

/// The two parts of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Group {
    /// Is the region ready to convene?
    Convening,
    /// Does the partnership have the elements of a high-road partnership?
    HighRoad,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::Convening => "Readiness to convene",
            Group::HighRoad => "High-road partnership elements",
        }
    }
}

/// One item of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    pub key: &'static str,
    pub group: Group,
    pub label: &'static str,
    /// The question the score answers.
    pub question: &'static str,
}

/// Every item, in the order of the form.
pub const ITEMS: &[Item] = &[
    Item {
        key: "challenge",
        group: Group::Convening,
        label: "Clarity of the challenge",
        question: "Do partners agree on the industry's workforce problem, and is it backed by data and employers' own words?",
    },
    Item {
        key: "industry_support",
        group: Group::Convening,
        label: "Industry support to act",
        question: "Do employers of the industry want to act together, and will some of them lead?",
    },
    Item {
        key: "intermediary",
        group: Group::Convening,
        label: "A willing, capable intermediary",
        question: "Is there an organization trusted by employers with the time, skills and neutrality to convene?",
    },
    Item {
        key: "stakeholders",
        group: Group::Convening,
        label: "The right community stakeholders",
        question: "Are education, workforce, labor, economic development and community partners identified and willing?",
    },
    Item {
        key: "composition",
        group: Group::HighRoad,
        label: "Composition",
        question: "Are employers, workers and their organizations, education and community partners all at the table?",
    },
    Item {
        key: "commitment",
        group: Group::HighRoad,
        label: "Commitment",
        question: "Do partners give time, money or in-kind resources, and keep coming?",
    },
    Item {
        key: "infrastructure",
        group: Group::HighRoad,
        label: "Infrastructure",
        question: "Is there a charter or MOU, an agreed decision method, and staff support?",
    },
    Item {
        key: "culture",
        group: Group::HighRoad,
        label: "Culture",
        question: "Is the work industry-led and worker-centered, with trust and candor among partners?",
    },
    Item {
        key: "capacity",
        group: Group::HighRoad,
        label: "Capacity",
        question: "Does the partnership have the data, skills and people to carry out its plan?",
    },
    Item {
        key: "comprehensiveness",
        group: Group::HighRoad,
        label: "Comprehensiveness",
        question: "Does the work cover recruitment, training, supports, job quality and advancement, not one program?",
    },
];

/// What each score means.
pub const SCALE: [(u8, &str); 4] = [
    (1, "Not in place"),
    (2, "Beginning"),
    (3, "Mostly in place"),
    (4, "Strong"),
];

pub fn item(key: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.key == key)
}

/// One item's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Answer {
    pub score: u8,
    pub evidence: String,
}

/// A problem with an assessment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadinessError {
    #[error("{label}: choose a score from 1 to 4")]
    Missing {
        key: &'static str,
        label: &'static str,
    },
    #[error("{label}: {score} is not a score from 1 to 4")]
    OutOfRange {
        key: &'static str,
        label: &'static str,
        score: u8,
    },
    #[error("{key:?} is not an item of the assessment")]
    UnknownItem { key: String },
}

/// Checks that every item has a score from 1 to 4 and no unknown item is present.
pub fn check(answers: &BTreeMap<String, Answer>) -> Result<(), Vec<ReadinessError>> {
    let mut errors: Vec<ReadinessError> = answers
        .keys()
        .filter(|k| item(k).is_none())
        .map(|k| ReadinessError::UnknownItem { key: k.clone() })
        .collect();
    for i in ITEMS {
        match answers.get(i.key) {
            None => errors.push(ReadinessError::Missing {
                key: i.key,
                label: i.label,
            }),
            Some(a) if !(1..=4).contains(&a.score) => errors.push(ReadinessError::OutOfRange {
                key: i.key,
                label: i.label,
                score: a.score,
            }),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The items scored, weakest first (ties in the form's order).
pub fn weakest_first(answers: &BTreeMap<String, Answer>) -> Vec<(&'static Item, u8)> {
    let mut v: Vec<(usize, &'static Item, u8)> = ITEMS
        .iter()
        .enumerate()
        .filter_map(|(n, i)| answers.get(i.key).map(|a| (n, i, a.score)))
        .collect();
    v.sort_by_key(|(n, _, s)| (*s, *n));
    v.into_iter().map(|(_, i, s)| (i, s)).collect()
}

/// The mean score of a group's items (of those answered), if any was.
pub fn group_mean(answers: &BTreeMap<String, Answer>, group: Group) -> Option<f64> {
    let scores: Vec<f64> = ITEMS
        .iter()
        .filter(|i| i.group == group)
        .filter_map(|i| answers.get(i.key).map(|a| f64::from(a.score)))
        .collect();
    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(scores: &[(&str, u8)]) -> BTreeMap<String, Answer> {
        scores
            .iter()
            .map(|(k, s)| {
                (
                    k.to_string(),
                    Answer {
                        score: *s,
                        evidence: String::new(),
                    },
                )
            })
            .collect()
    }

    fn all(score: u8) -> BTreeMap<String, Answer> {
        answers(&ITEMS.iter().map(|i| (i.key, score)).collect::<Vec<_>>())
    }

    #[test]
    fn ten_items_in_two_groups() {
        assert_eq!(ITEMS.len(), 10);
        assert_eq!(
            ITEMS.iter().filter(|i| i.group == Group::Convening).count(),
            4
        );
    }

    #[test]
    fn check_needs_every_item_scored_1_to_4() {
        assert_eq!(check(&all(3)), Ok(()));
        let mut a = all(3);
        a.remove("culture");
        a.get_mut("capacity").unwrap().score = 5;
        a.insert(
            "vibes".into(),
            Answer {
                score: 2,
                evidence: String::new(),
            },
        );
        let e = check(&a).unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            [
                "\"vibes\" is not an item of the assessment",
                "Culture: choose a score from 1 to 4",
                "Capacity: 5 is not a score from 1 to 4",
            ]
        );
    }

    #[test]
    fn weakest_first_and_group_means() {
        let mut a = all(3);
        a.get_mut("infrastructure").unwrap().score = 1;
        a.get_mut("challenge").unwrap().score = 2;
        a.get_mut("culture").unwrap().score = 2;
        let w = weakest_first(&a);
        let keys: Vec<&str> = w.iter().take(3).map(|(i, _)| i.key).collect();
        assert_eq!(keys, ["infrastructure", "challenge", "culture"]);
        assert_eq!(w.len(), 10);
        // Convening: 2, 3, 3, 3 → 2.75; high road: 3, 3, 1, 2, 3, 3 → 2.5.
        assert_eq!(group_mean(&a, Group::Convening), Some(2.75));
        assert_eq!(group_mean(&a, Group::HighRoad), Some(2.5));
        assert_eq!(group_mean(&BTreeMap::new(), Group::HighRoad), None);
    }
}
