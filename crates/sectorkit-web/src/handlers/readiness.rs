//! The readiness self-assessment page: the form (each item scored 1–4 with evidence), the
//! latest result weakest first, the history of every assessment item by item, and a chart of
//! the two group means over time. Staff and owners take it; everyone reads it.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::today;
use crate::handlers::downloads::csv_file;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::readiness::{Answer, Group, ITEMS, SCALE, check, group_mean, weakest_first};
use sectorkit_core::role::Role;
use sectorkit_store::{Assessment, Partnership};
use serde::Deserialize;
use std::collections::BTreeMap;

pub struct ItemForm {
    pub key: &'static str,
    pub label: &'static str,
    pub question: &'static str,
    pub group: &'static str,
    pub score: u8,
    pub evidence: String,
}

pub struct WeakView {
    pub label: &'static str,
    pub score: u8,
    pub meaning: &'static str,
    pub evidence: String,
}

pub struct HistoryRow {
    pub label: &'static str,
    pub scores: Vec<String>,
}

#[derive(Template)]
#[template(path = "readiness.html")]
pub struct ReadinessTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub items: Vec<ItemForm>,
    pub scale: Vec<(u8, &'static str)>,
    pub taken_on: String,
    pub errors: Vec<String>,
    pub latest: Option<String>,
    pub weakest: Vec<WeakView>,
    pub dates: Vec<String>,
    pub history: Vec<HistoryRow>,
    pub means: Vec<(String, String, String)>,
    pub chart_svg: String,
}

fn mean_text(x: Option<f64>) -> String {
    x.map(|m| format!("{m:.2}")).unwrap_or_default()
}

/// Two lines (convening, high road) of group means over the assessments, on the 1–4 scale.
pub fn chart_svg(list: &[Assessment]) -> String {
    use std::fmt::Write;
    if list.len() < 2 {
        return String::new();
    }
    let (w, h) = (60.0 * list.len() as f64 + 60.0, 160.0);
    let y = |m: f64| 130.0 - (m - 1.0) / 3.0 * 110.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"rd-t\"><title id=\"rd-t\">Mean readiness scores over time (1 to 4)</title>"
    );
    for v in 1..=4 {
        let _ = write!(
            s,
            "<line x1=\"30\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/><text x=\"20\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{v}</text>",
            w - 10.0,
            y(f64::from(v)),
            y(f64::from(v)),
            y(f64::from(v)) + 3.0
        );
    }
    for (group, color) in [(Group::Convening, "#0b5cad"), (Group::HighRoad, "#b35900")] {
        let pts: Vec<String> = list
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                group_mean(&a.answers, group)
                    .map(|m| format!("{:.1},{:.1}", 50.0 + 60.0 * i as f64, y(m)))
            })
            .collect();
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"><title>{}</title></polyline>",
            pts.join(" "),
            group.label()
        );
    }
    for (i, a) in list.iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"150\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
            50.0 + 60.0 * i as f64,
            a.taken_on
        );
    }
    s.push_str("</svg>");
    s
}

async fn view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    answers: Option<BTreeMap<String, Answer>>,
    taken_on: String,
    errors: Vec<String>,
) -> Result<ReadinessTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let list = state.store.assessments(tenant.id).await?;
    let last = list.last();
    // The form starts from the last assessment, so a repeat changes only what moved.
    let start = answers
        .or_else(|| last.map(|a| a.answers.clone()))
        .unwrap_or_default();
    let items = ITEMS
        .iter()
        .map(|i| ItemForm {
            key: i.key,
            label: i.label,
            question: i.question,
            group: i.group.label(),
            score: start.get(i.key).map(|a| a.score).unwrap_or(0),
            evidence: start
                .get(i.key)
                .map(|a| a.evidence.clone())
                .unwrap_or_default(),
        })
        .collect();
    let weakest = last
        .map(|a| {
            weakest_first(&a.answers)
                .into_iter()
                .map(|(i, s)| WeakView {
                    label: i.label,
                    score: s,
                    meaning: SCALE
                        .iter()
                        .find(|(n, _)| *n == s)
                        .map(|(_, m)| *m)
                        .unwrap_or(""),
                    evidence: a
                        .answers
                        .get(i.key)
                        .map(|x| x.evidence.clone())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let history = ITEMS
        .iter()
        .map(|i| HistoryRow {
            label: i.label,
            scores: list
                .iter()
                .map(|a| {
                    a.answers
                        .get(i.key)
                        .map(|x| x.score.to_string())
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    Ok(ReadinessTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "partners"),
        pid: tenant.id.0,
        can_edit: tenant.role >= Role::Staff,
        items,
        scale: SCALE.to_vec(),
        taken_on,
        errors,
        latest: last.map(|a| a.taken_on.to_string()),
        weakest,
        dates: list.iter().map(|a| a.taken_on.to_string()).collect(),
        history,
        means: list
            .iter()
            .map(|a| {
                (
                    a.taken_on.to_string(),
                    mean_text(group_mean(&a.answers, Group::Convening)),
                    mean_text(group_mean(&a.answers, Group::HighRoad)),
                )
            })
            .collect(),
        chart_svg: chart_svg(&list),
        partnership,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ReadinessQuery {
    format: Option<String>,
}

/// `GET /p/{pid}/partners/readiness`; every answer of every assessment as CSV with `format=csv`.
pub async fn readiness_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<ReadinessQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        let list = state.store.assessments(tenant.id).await?;
        let rows = list.iter().flat_map(|a| {
            ITEMS.iter().map(move |i| {
                let ans = a.answers.get(i.key);
                vec![
                    a.taken_on.to_string(),
                    i.group.label().to_string(),
                    i.key.to_string(),
                    ans.map(|x| x.score.to_string()).unwrap_or_default(),
                    ans.map(|x| x.evidence.clone()).unwrap_or_default(),
                ]
            })
        });
        return csv_file(
            "readiness.csv",
            &["taken_on", "group", "item", "score", "evidence"],
            rows.collect::<Vec<_>>(),
        );
    }
    let t = view(
        &state,
        &auth,
        &tenant,
        None,
        today().to_string(),
        Vec::new(),
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/partners/readiness`: fields `taken_on`, `s_{item}` (1–4), `e_{item}`.
pub async fn save_readiness(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut taken_on = String::new();
    let mut evidence: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &form {
        if k == "taken_on" {
            taken_on = v.trim().to_string();
        } else if let Some(key) = k.strip_prefix("s_") {
            match v.trim().parse::<u8>() {
                Ok(score) => {
                    answers.insert(
                        key.to_string(),
                        Answer {
                            score,
                            evidence: String::new(),
                        },
                    );
                }
                Err(_) => errors.push(format!("{key}: {v:?} is not a score from 1 to 4")),
            }
        } else if let Some(key) = k.strip_prefix("e_") {
            if v.chars().count() > 2000 {
                errors.push(format!(
                    "{key}: the evidence is longer than 2000 characters"
                ));
            }
            evidence.insert(key.to_string(), v.trim().to_string());
        }
    }
    for (k, e) in evidence {
        if let Some(a) = answers.get_mut(&k) {
            a.evidence = e;
        }
    }
    if let Err(es) = check(&answers) {
        errors.extend(es.into_iter().map(|e| e.to_string()));
    }
    let day = match taken_on.parse::<Day>() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(format!("Date: {e}"));
            None
        }
    };
    match (day, errors.is_empty()) {
        (Some(d), true) => {
            state
                .store
                .create_assessment(tenant.id, d, &answers, tenant.user.id)
                .await?;
            Ok(
                Redirect::to(&format!("/p/{}/partners/readiness#result", tenant.id))
                    .into_response(),
            )
        }
        _ => {
            let t = view(&state, &auth, &tenant, Some(answers), taken_on, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
        }
    }
}
