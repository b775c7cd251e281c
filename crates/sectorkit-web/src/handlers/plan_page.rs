//! The Plan section, second part: the plan on a page (vision, priorities, strategies, key actions
//! with owner organization and quarter, milestones, long-term impact — one printable landscape
//! page), the roadmap by quarter, the logic model, and the action plan.
//!
//! The action plan is the partnership's one list of action items: the meetings' items and the
//! plan's key actions are the same records (`action_items`); an item joins the plan by getting a
//! strategy, a quarter, an owning organization, a budget line and dependencies. Each action's
//! own page (`handlers/records`) traces it back: strategy → priority → the industry issue → the
//! evidence behind it, its owner, the budget line that pays for it, and its outcome indicator
//! once the Metrics section exists.
//!
//! Roles: every member reads; staff and owners write.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{can_edit, parse_id, today};
use crate::handlers::downloads::{csv_file, unknown_table};
use crate::handlers::occupations::Choice;
use crate::handlers::plan::{EvidenceView, all_ids, evidence_view, one, pairs};
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::engagement::ActionStatus;
use sectorkit_core::plan_page::{LogicKind, PlanQuarter, quarter_span, schedule_conflicts};
use sectorkit_store::{
    ActionFields, ActionItem, ActionPlanFields, LogicFields, MilestoneFields, Partnership,
    PlanPage, PlannedAction, Priority, StoreError, Strategy,
};
use std::collections::BTreeMap;

/// Longest title or line of text accepted, in characters.
const MAX_TITLE: usize = 300;
/// Longest vision or impact statement.
const MAX_TEXT: usize = 2_000;
/// Most quarters a roadmap shows (four years).
const MAX_QUARTERS: usize = 16;

/// Everything the plan pages draw from, loaded once per request.
struct PlanData {
    partnership: Partnership,
    page: PlanPage,
    priorities: Vec<Priority>,
    strategies: Vec<Strategy>,
    actions: Vec<ActionItem>,
    planned: BTreeMap<i64, PlannedAction>,
    milestones: Vec<sectorkit_store::Milestone>,
}

async fn load(state: &AppState, tenant: &Tenant) -> Result<PlanData, AppError> {
    let s = &state.store;
    let pid = tenant.id;
    Ok(PlanData {
        partnership: s.partnership(pid).await?,
        page: s.plan_page(pid).await?,
        priorities: s
            .priorities(pid)
            .await?
            .into_iter()
            .filter(|p| p.active())
            .collect(),
        strategies: s.strategies(pid).await?,
        actions: s.actions(pid, None).await?,
        planned: s
            .planned_actions(pid)
            .await?
            .into_iter()
            .map(|p| (p.action_id, p))
            .collect(),
        milestones: s.milestones(pid).await?,
    })
}

/// A key action as the plan pages show it.
pub struct ActionView {
    pub id: i64,
    pub text: String,
    /// The owning organization (the owner contact's, else the one named on the action).
    pub owner_org: String,
    pub owner: String,
    pub quarter: String,
    pub due: String,
    pub status: &'static str,
    pub done: bool,
    pub overdue: bool,
    pub strategy: String,
    pub priority: String,
    pub meeting: String,
    pub budget_line: String,
    pub depends_on: Vec<i64>,
    /// Dependencies due after this action is due.
    pub conflicts: Vec<i64>,
}

fn action_views(d: &PlanData) -> Vec<ActionView> {
    let now = today();
    let due: BTreeMap<i64, Day> = d
        .actions
        .iter()
        .filter_map(|a| a.due_on.map(|x| (a.id, x)))
        .collect();
    let edges: Vec<(i64, i64)> = d
        .planned
        .values()
        .flat_map(|p| p.fields.depends_on.iter().map(|&b| (p.action_id, b)))
        .collect();
    let conflicts = schedule_conflicts(&due, &edges);
    let priority_title = |id: Option<i64>| {
        id.and_then(|id| d.priorities.iter().find(|p| p.id == id))
            .map(|p| p.title.clone())
            .unwrap_or_default()
    };
    d.actions
        .iter()
        .map(|a| {
            let p = d.planned.get(&a.id);
            ActionView {
                id: a.id,
                text: a.text.clone(),
                owner_org: a
                    .owner_organization
                    .clone()
                    .or_else(|| p.and_then(|p| p.organization.clone()))
                    .unwrap_or_default(),
                owner: a.owner.clone().unwrap_or_default(),
                quarter: p
                    .and_then(|p| p.fields.quarter)
                    .map(|q| q.to_string())
                    .unwrap_or_default(),
                due: a.due_on.map(|x| x.to_string()).unwrap_or_default(),
                status: a.status.label(),
                done: a.status == ActionStatus::Done,
                overdue: a.status == ActionStatus::Open && a.due_on.is_some_and(|x| x < now),
                strategy: p.and_then(|p| p.strategy.clone()).unwrap_or_default(),
                priority: priority_title(p.and_then(|p| p.priority_id)),
                meeting: a.meeting_title.clone().unwrap_or_default(),
                budget_line: p.and_then(|p| p.budget_line.clone()).unwrap_or_default(),
                depends_on: p.map(|p| p.fields.depends_on.clone()).unwrap_or_default(),
                conflicts: conflicts
                    .iter()
                    .filter(|(x, _)| *x == a.id)
                    .map(|(_, b)| *b)
                    .collect(),
            }
        })
        .collect()
}

// ----- the plan on a page -----

pub struct StrategyView {
    pub title: String,
    pub actions: Vec<ActionView>,
}

pub struct PriorityBlock {
    pub id: i64,
    pub issue_id: i64,
    pub title: String,
    pub strategies: Vec<StrategyView>,
    pub milestones: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan_page.html")]
pub struct PlanPageTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub page: PlanPage,
    pub blocks: Vec<PriorityBlock>,
    pub errors: Vec<(String, String)>,
    pub printed: String,
}

fn blocks(d: &PlanData) -> Vec<PriorityBlock> {
    let mut views: BTreeMap<i64, ActionView> =
        action_views(d).into_iter().map(|v| (v.id, v)).collect();
    d.priorities
        .iter()
        .map(|p| PriorityBlock {
            id: p.id,
            issue_id: p.issue_id,
            title: p.title.clone(),
            strategies: d
                .strategies
                .iter()
                .filter(|s| s.priority_id == p.id)
                .map(|s| {
                    let ids: Vec<i64> = d
                        .planned
                        .values()
                        .filter(|a| a.fields.strategy_id == Some(s.id))
                        .map(|a| a.action_id)
                        .collect();
                    let mut actions: Vec<ActionView> =
                        ids.iter().filter_map(|id| views.remove(id)).collect();
                    actions.sort_by(|a, b| (&a.quarter, a.id).cmp(&(&b.quarter, b.id)));
                    actions.retain(|a| a.status != ActionStatus::Dropped.label());
                    StrategyView {
                        title: s.title.clone(),
                        actions,
                    }
                })
                .collect(),
            milestones: d
                .milestones
                .iter()
                .filter(|m| m.fields.priority_id == Some(p.id))
                .map(|m| {
                    format!(
                        "{}{}: {}",
                        if m.fields.done { "✓ " } else { "" },
                        m.fields.quarter,
                        m.fields.title
                    )
                })
                .collect(),
        })
        .collect()
}

async fn plan_page_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    form: Option<PlanPage>,
    errors: Vec<(String, String)>,
) -> Result<PlanPageTemplate, AppError> {
    let d = load(state, tenant).await?;
    Ok(PlanPageTemplate {
        chrome: Chrome::for_partnership(auth, &d.partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        blocks: blocks(&d),
        page: form.unwrap_or_else(|| d.page.clone()),
        errors,
        printed: today().to_string(),
        partnership: d.partnership,
    })
}

/// `GET /p/{pid}/plan/page`: the plan on a page.
pub async fn plan_on_a_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
) -> Result<Response, AppError> {
    let t = plan_page_view(&state, &auth, &tenant, None, Vec::new()).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/page`: the vision and the long-term impact.
pub async fn save_plan_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let f = PlanPage {
        vision: one(&p, "vision").trim().to_string(),
        impact: one(&p, "impact").trim().to_string(),
    };
    let mut errors = Vec::new();
    for (name, v) in [("vision", &f.vision), ("impact", &f.impact)] {
        if v.chars().count() > MAX_TEXT {
            errors.push((name.to_string(), format!("At most {MAX_TEXT} characters.")));
        }
    }
    if errors.is_empty() {
        state
            .store
            .set_plan_page(tenant.id, &f, tenant.user.id)
            .await?;
        return Ok(Redirect::to(&format!("/p/{}/plan/page", tenant.id)).into_response());
    }
    let t = plan_page_view(&state, &auth, &tenant, Some(f), errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

// ----- the roadmap -----

pub struct RoadmapRow {
    pub title: String,
    /// One cell per quarter: actions (id, text, done) and milestones.
    pub cells: Vec<RoadmapCell>,
}

#[derive(Default)]
pub struct RoadmapCell {
    pub actions: Vec<(i64, String, bool)>,
    pub milestones: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "roadmap.html")]
pub struct RoadmapTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub quarters: Vec<String>,
    pub current: String,
    pub cut: bool,
    pub rows: Vec<RoadmapRow>,
    pub unscheduled: usize,
}

/// `GET /p/{pid}/plan/roadmap`: key actions and milestones by quarter, a row per priority.
pub async fn roadmap(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
) -> Result<Response, AppError> {
    let d = load(&state, &tenant).await?;
    let live = |a: &ActionItem| a.status != ActionStatus::Dropped;
    let quarter_of = |id: i64| d.planned.get(&id).and_then(|p| p.fields.quarter);
    let (quarters, cut) = quarter_span(
        d.actions
            .iter()
            .filter(|a| live(a))
            .filter_map(|a| quarter_of(a.id))
            .chain(d.milestones.iter().map(|m| m.fields.quarter)),
        MAX_QUARTERS,
    );
    let col = |q: PlanQuarter| quarters.iter().position(|x| *x == q);
    // Rows: each active priority, then "Other" for scheduled actions outside them.
    let mut keys: Vec<(Option<i64>, String)> = d
        .priorities
        .iter()
        .map(|p| (Some(p.id), p.title.clone()))
        .collect();
    keys.push((None, "Other actions".to_string()));
    let mut rows: Vec<RoadmapRow> = keys
        .iter()
        .map(|(_, t)| RoadmapRow {
            title: t.clone(),
            cells: quarters.iter().map(|_| RoadmapCell::default()).collect(),
        })
        .collect();
    let row_of = |prio: Option<i64>| {
        keys.iter()
            .position(|(k, _)| *k == prio && prio.is_some())
            .unwrap_or(keys.len() - 1)
    };
    let mut unscheduled = 0;
    for a in d.actions.iter().filter(|a| live(a)) {
        let p = d.planned.get(&a.id);
        match quarter_of(a.id).and_then(col) {
            Some(c) => rows[row_of(p.and_then(|p| p.priority_id))].cells[c]
                .actions
                .push((a.id, a.text.clone(), a.status == ActionStatus::Done)),
            None if p.is_some_and(|p| p.fields.strategy_id.is_some()) => unscheduled += 1,
            None => {}
        }
    }
    for m in &d.milestones {
        if let Some(c) = col(m.fields.quarter) {
            rows[row_of(m.fields.priority_id)].cells[c]
                .milestones
                .push((m.fields.title.clone(), m.fields.done));
        }
    }
    if rows.last().is_some_and(|r| {
        r.cells
            .iter()
            .all(|c| c.actions.is_empty() && c.milestones.is_empty())
    }) {
        rows.pop();
    }
    let t = RoadmapTemplate {
        chrome: Chrome::for_partnership(&auth, &d.partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        quarters: quarters.iter().map(|q| q.to_string()).collect(),
        current: PlanQuarter::of(today()).to_string(),
        cut,
        rows,
        unscheduled,
        partnership: d.partnership,
    };
    Ok(page(&t)?.into_response())
}

// ----- the logic model -----

pub struct LogicColumn {
    pub code: &'static str,
    pub label: &'static str,
    pub items: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "logic.html")]
pub struct LogicTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub columns: Vec<LogicColumn>,
    pub priority_filter: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub filtered: bool,
    pub form_text: String,
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LogicQuery {
    priority: Option<String>,
    format: Option<String>,
}

async fn logic_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    priority: Option<i64>,
    form: (String, String, String),
    errors: Vec<(String, String)>,
) -> Result<LogicTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let priorities: Vec<Priority> = state
        .store
        .priorities(tenant.id)
        .await?
        .into_iter()
        .filter(|p| p.active())
        .collect();
    let title = |id: Option<i64>| {
        id.and_then(|id| priorities.iter().find(|p| p.id == id))
            .map(|p| p.title.clone())
            .unwrap_or_else(|| "The whole partnership".into())
    };
    let elements = state.store.logic_elements(tenant.id).await?;
    let columns = LogicKind::ALL
        .iter()
        .map(|&k| LogicColumn {
            code: k.code(),
            label: k.label(),
            items: elements
                .iter()
                .filter(|e| e.fields.kind == k)
                .filter(|e| priority.is_none() || e.fields.priority_id == priority)
                .map(|e| (e.fields.text.clone(), title(e.fields.priority_id)))
                .collect(),
        })
        .collect();
    let choice = |p: &Priority, sel: Option<i64>| Choice {
        value: p.id.to_string(),
        label: p.title.clone(),
        selected: sel == Some(p.id),
    };
    Ok(LogicTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        columns,
        priority_filter: priorities.iter().map(|p| choice(p, priority)).collect(),
        priorities: priorities
            .iter()
            .map(|p| choice(p, parse_id(&form.1)))
            .collect(),
        kinds: LogicKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: k.label().into(),
                selected: form.0 == k.code(),
            })
            .collect(),
        filtered: priority.is_some(),
        form_text: form.2,
        errors,
        partnership,
    })
}

/// `GET /p/{pid}/plan/logic[?priority=][&format=csv]`: the logic model, columns in order.
pub async fn logic_model(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<LogicQuery>,
) -> Result<Response, AppError> {
    let priority = q.priority.as_deref().and_then(parse_id);
    if q.format.as_deref() == Some("csv") {
        let t = logic_view(&state, &auth, &tenant, priority, Default::default(), vec![]).await?;
        let rows = t.columns.iter().flat_map(|c| {
            c.items
                .iter()
                .map(|(text, p)| vec![c.code.to_string(), text.clone(), p.clone()])
        });
        return csv_file("logic-model.csv", &["column", "text", "priority"], rows);
    }
    let t = logic_view(&state, &auth, &tenant, priority, Default::default(), vec![]).await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/plan/logic`: adds an element.
pub async fn create_logic_element(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let (kind, prio, text) = (one(&p, "kind"), one(&p, "priority"), one(&p, "text").trim());
    let mut errors = Vec::new();
    let k = kind
        .parse::<LogicKind>()
        .map_err(|e| errors.push(("kind".into(), e.to_string())))
        .ok();
    if text.is_empty() {
        errors.push(("text".into(), "Required.".into()));
    } else if text.chars().count() > MAX_TITLE {
        errors.push(("text".into(), format!("At most {MAX_TITLE} characters.")));
    }
    if let (Some(kind), true) = (k, errors.is_empty()) {
        let f = LogicFields {
            priority_id: parse_id(prio),
            kind,
            text: text.to_string(),
        };
        match state
            .store
            .create_logic_element(tenant.id, &f, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/p/{}/plan/logic", tenant.id)).into_response());
            }
            Err(StoreError::NotFound) => errors.push((
                "priority".into(),
                "That priority is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let form = (kind.to_string(), prio.to_string(), text.to_string());
    let t = logic_view(&state, &auth, &tenant, None, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

// ----- the action plan -----

/// The form of a key action (new, or the plan fields of an existing one).
#[derive(Debug, Clone, Default)]
pub struct KeyActionForm {
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub strategy: String,
    pub organization: String,
    pub quarter: String,
    pub budget_line: String,
    pub depends_on: Vec<i64>,
}

impl KeyActionForm {
    fn from_pairs(p: &[(String, String)]) -> KeyActionForm {
        KeyActionForm {
            text: one(p, "text").trim().to_string(),
            owner: one(p, "owner").to_string(),
            due_on: one(p, "due_on").trim().to_string(),
            strategy: one(p, "strategy").to_string(),
            organization: one(p, "organization").to_string(),
            quarter: one(p, "quarter").trim().to_string(),
            budget_line: one(p, "budget_line").to_string(),
            depends_on: all_ids(p, "depends_on"),
        }
    }

    /// The plan fields, or the errors by field.
    pub fn plan_fields(&self, errors: &mut Vec<(String, String)>) -> ActionPlanFields {
        let quarter = match self.quarter.as_str() {
            "" => None,
            q => q
                .parse::<PlanQuarter>()
                .map_err(|e| errors.push(("quarter".into(), e.to_string())))
                .ok(),
        };
        ActionPlanFields {
            strategy_id: parse_id(&self.strategy),
            organization_id: parse_id(&self.organization),
            quarter,
            budget_line_id: parse_id(&self.budget_line),
            depends_on: self.depends_on.clone(),
        }
    }
}

/// The choices of the key-action forms.
pub struct PlanChoices {
    pub strategies: Vec<Choice>,
    pub organizations: Vec<Choice>,
    pub owners: Vec<Choice>,
    pub lines: Vec<Choice>,
    pub actions: Vec<Choice>,
    pub priorities: Vec<Choice>,
}

/// The choices of the forms, with `f`'s values selected; `except` is left out of the
/// dependencies (an action cannot wait for itself).
pub async fn plan_choices(
    state: &AppState,
    tenant: &Tenant,
    f: &KeyActionForm,
    except: Option<i64>,
) -> Result<PlanChoices, AppError> {
    let s = &state.store;
    let pid = tenant.id;
    let priorities: Vec<Priority> = s
        .priorities(pid)
        .await?
        .into_iter()
        .filter(|p| p.active())
        .collect();
    let ptitle = |id: i64| {
        priorities
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.title.as_str())
            .unwrap_or("a retired priority")
    };
    let c = |value: String, label: String, selected: bool| Choice {
        value,
        label,
        selected,
    };
    Ok(PlanChoices {
        strategies: s
            .strategies(pid)
            .await?
            .into_iter()
            .map(|x| {
                c(
                    x.id.to_string(),
                    format!("{} — {}", ptitle(x.priority_id), x.title),
                    f.strategy == x.id.to_string(),
                )
            })
            .collect(),
        organizations: s
            .organizations(pid, None, false)
            .await?
            .into_iter()
            .map(|o| {
                c(
                    o.id.to_string(),
                    o.fields.name.clone(),
                    f.organization == o.id.to_string(),
                )
            })
            .collect(),
        owners: s
            .contacts(pid, None, None)
            .await?
            .into_iter()
            .map(|x| {
                c(
                    x.id.to_string(),
                    format!("{} ({})", x.fields.name, x.organization),
                    f.owner == x.id.to_string(),
                )
            })
            .collect(),
        lines: s
            .budget_lines(pid)
            .await?
            .into_iter()
            .map(|l| {
                c(
                    l.id.to_string(),
                    format!("{} — {} ({})", l.phase.label(), l.name, l.amount),
                    f.budget_line == l.id.to_string(),
                )
            })
            .collect(),
        actions: s
            .actions(pid, None)
            .await?
            .into_iter()
            .filter(|a| Some(a.id) != except && a.status != ActionStatus::Dropped)
            .map(|a| {
                c(
                    a.id.to_string(),
                    format!("#{} {}", a.id, a.text),
                    f.depends_on.contains(&a.id),
                )
            })
            .collect(),
        priorities: priorities
            .iter()
            .map(|p| c(p.id.to_string(), p.title.clone(), false))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "action_plan.html")]
pub struct ActionPlanTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub q: String,
    pub actions: Vec<ActionView>,
    pub choices: PlanChoices,
    pub form: KeyActionForm,
    pub errors: Vec<(String, String)>,
    pub error_form: &'static str,
    pub milestone_title: String,
    pub milestone_quarter: String,
    pub strategy_title: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ActionPlanQuery {
    q: Option<String>,
    format: Option<String>,
    table: Option<String>,
}

fn matches(a: &ActionView, q: &str) -> bool {
    let q = q.to_lowercase();
    [
        &a.text,
        &a.owner,
        &a.owner_org,
        &a.strategy,
        &a.priority,
        &a.meeting,
        &a.budget_line,
        &a.quarter,
    ]
    .iter()
    .any(|s| s.to_lowercase().contains(&q))
}

#[allow(clippy::too_many_arguments)] // the three forms of the page and their errors
async fn action_plan_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    q: &str,
    form: KeyActionForm,
    errors: Vec<(String, String)>,
    error_form: &'static str,
    other: (String, String, String),
) -> Result<ActionPlanTemplate, AppError> {
    let d = load(state, tenant).await?;
    let mut actions = action_views(&d);
    if !q.trim().is_empty() {
        actions.retain(|a| matches(a, q.trim()));
    }
    Ok(ActionPlanTemplate {
        chrome: Chrome::for_partnership(auth, &d.partnership, tenant.role, "plan"),
        pid: tenant.id.0,
        can_edit: can_edit(tenant),
        q: q.to_string(),
        actions,
        choices: plan_choices(state, tenant, &form, None).await?,
        form,
        errors,
        error_form,
        milestone_title: other.0,
        milestone_quarter: other.1,
        strategy_title: other.2,
        partnership: d.partnership,
    })
}

/// `GET /p/{pid}/plan/actions[?q=][&format=csv&table=actions|milestones]`: the action plan —
/// every action item, the meetings' and the plan's, with strategy, owner, quarter, due date,
/// status, dependencies and funding line.
pub async fn action_plan(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<ActionPlanQuery>,
) -> Result<Response, AppError> {
    let search = q.q.clone().unwrap_or_default();
    if q.format.as_deref() == Some("csv") {
        let d = load(&state, &tenant).await?;
        return match q.table.as_deref().unwrap_or("actions") {
            "actions" => {
                let mut v = action_views(&d);
                if !search.trim().is_empty() {
                    v.retain(|a| matches(a, search.trim()));
                }
                let ids = |v: &[i64]| {
                    v.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                csv_file(
                    "action-plan.csv",
                    &[
                        "id",
                        "action",
                        "priority",
                        "strategy",
                        "owner",
                        "owner_organization",
                        "quarter",
                        "due_on",
                        "status",
                        "depends_on",
                        "budget_line",
                        "meeting",
                    ],
                    v.into_iter().map(|a| {
                        vec![
                            a.id.to_string(),
                            a.text,
                            a.priority,
                            a.strategy,
                            a.owner,
                            a.owner_org,
                            a.quarter,
                            a.due,
                            a.status.to_string(),
                            ids(&a.depends_on),
                            a.budget_line,
                            a.meeting,
                        ]
                    }),
                )
            }
            "milestones" => csv_file(
                "milestones.csv",
                &["quarter", "milestone", "priority", "done"],
                d.milestones.iter().map(|m| {
                    vec![
                        m.fields.quarter.to_string(),
                        m.fields.title.clone(),
                        m.fields
                            .priority_id
                            .and_then(|id| d.priorities.iter().find(|p| p.id == id))
                            .map(|p| p.title.clone())
                            .unwrap_or_default(),
                        if m.fields.done { "yes" } else { "no" }.to_string(),
                    ]
                }),
            ),
            other => Err(unknown_table(other, &["actions", "milestones"])),
        };
    }
    let t = action_plan_view(
        &state,
        &auth,
        &tenant,
        &search,
        KeyActionForm::default(),
        Vec::new(),
        "",
        Default::default(),
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// Maps a store refusal of a key action's references to field errors.
fn reference_error(e: StoreError, errors: &mut Vec<(String, String)>) -> Result<(), AppError> {
    match e {
        StoreError::NotFound => errors.push((
            "strategy".into(),
            "A strategy, organization, owner, budget line or dependency is not one of this partnership's.".into(),
        )),
        StoreError::Refused(why) => errors.push(("depends_on".into(), why)),
        e => return Err(e.into()),
    }
    Ok(())
}

/// `POST /p/{pid}/plan/actions`: a new key action.
pub async fn create_key_action(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let f = KeyActionForm::from_pairs(&pairs(&form));
    let mut errors = Vec::new();
    if f.text.is_empty() {
        errors.push(("text".into(), "Required: what is to be done.".into()));
    } else if f.text.chars().count() > MAX_TITLE {
        errors.push(("text".into(), format!("At most {MAX_TITLE} characters.")));
    }
    let due_on = match f.due_on.as_str() {
        "" => None,
        d => d
            .parse::<Day>()
            .map_err(|e| errors.push(("due_on".into(), e.to_string())))
            .ok(),
    };
    if f.strategy.is_empty() {
        errors.push((
            "strategy".into(),
            "Required: the strategy the action carries out (add one first).".into(),
        ));
    }
    let plan = f.plan_fields(&mut errors);
    if errors.is_empty() {
        let a = ActionFields {
            meeting_id: None,
            text: f.text.clone(),
            owner_contact_id: parse_id(&f.owner),
            due_on,
        };
        match state
            .store
            .create_planned_action(tenant.id, &a, &plan, tenant.user.id)
            .await
        {
            Ok(id) => {
                return Ok(
                    Redirect::to(&format!("/p/{}/plan/actions#a-{id}", tenant.id)).into_response(),
                );
            }
            Err(e) => reference_error(e, &mut errors)?,
        }
    }
    let t = action_plan_view(
        &state,
        &auth,
        &tenant,
        "",
        f,
        errors,
        "action",
        Default::default(),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/actions/{aid}`: an existing action item's plan fields (from its page).
pub async fn set_action_plan(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, aid)): Path<(i64, i64)>,
    form: RawForm,
) -> Result<Response, AppError> {
    let f = KeyActionForm::from_pairs(&pairs(&form));
    if state.store.action(tenant.id, aid).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let mut errors = Vec::new();
    let plan = f.plan_fields(&mut errors);
    if errors.is_empty() {
        match state
            .store
            .set_action_plan(tenant.id, aid, &plan, tenant.user.id)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!(
                    "/p/{}/partners/actions/{aid}?notice=plan#trace",
                    tenant.id
                ))
                .into_response());
            }
            Err(e) => reference_error(e, &mut errors)?,
        }
    }
    let t = crate::handlers::records::action_view_with_plan(&state, &auth, &tenant, aid, f, errors)
        .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/strategies`: a strategy under a priority.
pub async fn create_strategy(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let title = one(&p, "title").trim().to_string();
    let mut errors = Vec::new();
    if title.is_empty() {
        errors.push(("s_title".into(), "Required.".into()));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(("s_title".into(), format!("At most {MAX_TITLE} characters.")));
    }
    let prio = parse_id(one(&p, "priority"));
    if prio.is_none() {
        errors.push(("s_priority".into(), "Choose the priority it serves.".into()));
    }
    if let (Some(prio), true) = (prio, errors.is_empty()) {
        match state
            .store
            .create_strategy(tenant.id, prio, &title, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/p/{}/plan/actions#strategies", tenant.id))
                        .into_response(),
                );
            }
            Err(StoreError::NotFound) => errors.push((
                "s_priority".into(),
                "That priority is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = action_plan_view(
        &state,
        &auth,
        &tenant,
        "",
        KeyActionForm::default(),
        errors,
        "strategy",
        (String::new(), String::new(), title),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

/// `POST /p/{pid}/plan/milestones`: a milestone in a quarter.
pub async fn create_milestone(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    form: RawForm,
) -> Result<Response, AppError> {
    let p = pairs(&form);
    let title = one(&p, "title").trim().to_string();
    let quarter = one(&p, "quarter").trim().to_string();
    let mut errors = Vec::new();
    if title.is_empty() {
        errors.push(("m_title".into(), "Required.".into()));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(("m_title".into(), format!("At most {MAX_TITLE} characters.")));
    }
    let q = quarter
        .parse::<PlanQuarter>()
        .map_err(|e| errors.push(("m_quarter".into(), e.to_string())))
        .ok();
    if let (Some(q), true) = (q, errors.is_empty()) {
        let f = MilestoneFields {
            priority_id: parse_id(one(&p, "priority")),
            title: title.clone(),
            quarter: q,
            done: one(&p, "done") == "on",
        };
        match state
            .store
            .create_milestone(tenant.id, &f, tenant.user.id)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/p/{}/plan/actions#milestones", tenant.id))
                        .into_response(),
                );
            }
            Err(StoreError::NotFound) => errors.push((
                "m_priority".into(),
                "That priority is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    let t = action_plan_view(
        &state,
        &auth,
        &tenant,
        "",
        KeyActionForm::default(),
        errors,
        "milestone",
        (title, quarter, String::new()),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

// ----- the trace of one action -----

/// Where one action comes from and what carries it, for its page.
pub struct Trace {
    pub strategy: Option<String>,
    pub priority: Option<(i64, String)>,
    pub evidence: Vec<EvidenceView>,
    pub owner_org: Option<(i64, String)>,
    pub quarter: String,
    pub budget_line: Option<(i64, String)>,
    pub depends_on: Vec<(i64, String, bool)>,
    /// What the page says about the outcome indicator.
    pub outcome: &'static str,
}

/// The trace of action `a` (the plan fields from `planned`).
pub async fn trace_of(
    state: &AppState,
    tenant: &Tenant,
    a: &ActionItem,
    planned: Option<&PlannedAction>,
) -> Result<Trace, AppError> {
    let s = &state.store;
    let pid = tenant.id;
    let mut t = Trace {
        strategy: planned.and_then(|p| p.strategy.clone()),
        priority: None,
        evidence: Vec::new(),
        owner_org: a
            .owner_organization_id
            .zip(a.owner_organization.clone())
            .or_else(|| planned.and_then(|p| p.fields.organization_id.zip(p.organization.clone()))),
        quarter: planned
            .and_then(|p| p.fields.quarter)
            .map(|q| q.to_string())
            .unwrap_or_default(),
        budget_line: None,
        depends_on: Vec::new(),
        outcome: "Outcome indicators come with the Metrics section, which is not built yet.",
    };
    let Some(p) = planned else { return Ok(t) };
    if let Some(prio) = p.priority_id
        && let Some(prio) = s.priorities(pid).await?.into_iter().find(|x| x.id == prio)
    {
        if let Some(issue) = s.issue(pid, prio.issue_id).await? {
            t.evidence = s
                .evidence(pid, Some(issue.id))
                .await?
                .iter()
                .map(|e| evidence_view(pid.0, &issue, e))
                .collect();
        }
        t.priority = Some((prio.issue_id, prio.title));
    }
    if let Some(l) = p.fields.budget_line_id {
        t.budget_line = s
            .budget_lines(pid)
            .await?
            .into_iter()
            .find(|x| x.id == l)
            .map(|x| {
                (
                    x.id,
                    format!("{} — {} ({})", x.phase.label(), x.name, x.amount),
                )
            });
    }
    if !p.fields.depends_on.is_empty() {
        let all = s.actions(pid, None).await?;
        t.depends_on = p
            .fields
            .depends_on
            .iter()
            .filter_map(|d| all.iter().find(|x| x.id == *d))
            .map(|x| (x.id, x.text.clone(), x.status == ActionStatus::Done))
            .collect();
    }
    Ok(t)
}
