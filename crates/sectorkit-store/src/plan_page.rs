//! The plan on a page, the logic model and the action plan: the vision and long-term impact,
//! strategies per priority, key actions, milestones, logic-model elements.
//!
//! Key actions are action items (`convening.rs`): one list with the meetings' items. An action
//! item gets its plan fields — strategy, owning organization (when no contact owns it), quarter,
//! budget line, dependencies — here, in the same transaction as its creation or on their own,
//! audited. Every reference is checked to be the partnership's (`NotFound` otherwise); a
//! dependency that would close a cycle is refused (`Refused`, naming the cycle) by
//! `sectorkit_core::plan_page::check_dependency` over the edges read inside the transaction.

use crate::convening::belongs;
use crate::partners::{audit, corrupt};
use crate::{ActionFields, PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::plan_page::{LogicKind, PlanQuarter, check_dependency};

/// The vision and the long-term impact at the top and bottom of the plan on a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanPage {
    pub vision: String,
    pub impact: String,
}

/// A strategy under a priority.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub id: i64,
    pub priority_id: i64,
    pub title: String,
}

/// The plan fields of an action item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionPlanFields {
    pub strategy_id: Option<i64>,
    /// The owning organization when no contact owns the action.
    pub organization_id: Option<i64>,
    pub quarter: Option<PlanQuarter>,
    pub budget_line_id: Option<i64>,
    /// The actions this one waits for.
    pub depends_on: Vec<i64>,
}

/// An action item's plan fields with the names they refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedAction {
    pub action_id: i64,
    pub fields: ActionPlanFields,
    pub strategy: Option<String>,
    pub priority_id: Option<i64>,
    pub organization: Option<String>,
    pub budget_line: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlannedRow {
    id: i64,
    strategy_id: Option<i64>,
    organization_id: Option<i64>,
    quarter: Option<String>,
    budget_line_id: Option<i64>,
    strategy: Option<String>,
    priority_id: Option<i64>,
    organization: Option<String>,
    budget_line: Option<String>,
}

/// A milestone on the roadmap.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneFields {
    pub priority_id: Option<i64>,
    pub title: String,
    pub quarter: PlanQuarter,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: i64,
    pub fields: MilestoneFields,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    id: i64,
    priority_id: Option<i64>,
    title: String,
    quarter: String,
    done: bool,
}

/// An element of the logic model.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicFields {
    pub priority_id: Option<i64>,
    pub kind: LogicKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogicElement {
    pub id: i64,
    pub fields: LogicFields,
}

#[derive(sqlx::FromRow)]
struct LogicRow {
    id: i64,
    priority_id: Option<i64>,
    kind: String,
    text: String,
}

/// Writes an action item's plan fields and replaces its dependencies, inside a transaction:
/// every reference checked, each dependency checked against the cycles it could close.
macro_rules! write_plan {
    ($tx:expr, $pid:expr, $id:expr, $f:expr) => {
        belongs!($tx, "strategies", $f.strategy_id, $pid);
        belongs!($tx, "organizations", $f.organization_id, $pid);
        belongs!($tx, "budget_lines", $f.budget_line_id, $pid);
        for d in &$f.depends_on {
            belongs!($tx, "action_items", Some(*d), $pid);
        }
        sqlx::query(
            "UPDATE action_items SET strategy_id = $1, organization_id = $2, quarter = $3,
               budget_line_id = $4
             WHERE id = $5 AND partnership_id = $6",
        )
        .bind($f.strategy_id)
        .bind($f.organization_id)
        .bind($f.quarter.map(|q| q.to_string()))
        .bind($f.budget_line_id)
        .bind($id)
        .bind($pid)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("DELETE FROM action_dependencies WHERE action_id = $1 AND partnership_id = $2")
            .bind($id)
            .bind($pid)
            .execute(&mut *$tx)
            .await?;
        let mut edges: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT action_id, depends_on_id FROM action_dependencies WHERE partnership_id = $1",
        )
        .bind($pid)
        .fetch_all(&mut *$tx)
        .await?;
        let mut deps = $f.depends_on.clone();
        deps.sort_unstable();
        deps.dedup();
        for d in deps {
            check_dependency(&edges, $id, d).map_err(|e| StoreError::Refused(e.to_string()))?;
            edges.push(($id, d));
            sqlx::query(
                "INSERT INTO action_dependencies (partnership_id, action_id, depends_on_id)
                 VALUES ($1, $2, $3)",
            )
            .bind($pid)
            .bind($id)
            .bind(d)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

fn plan_detail(f: &ActionPlanFields) -> serde_json::Value {
    let id = |v: Option<i64>| v.map(|v| v.to_string());
    serde_json::json!({
        "strategy_id": [null, id(f.strategy_id)],
        "organization_id": [null, id(f.organization_id)],
        "quarter": [null, f.quarter.map(|q| q.to_string())],
        "budget_line_id": [null, id(f.budget_line_id)],
        "depends_on": [null, f.depends_on.iter().map(|d| format!("#{d}")).collect::<Vec<_>>().join(", ")],
    })
}

impl Store {
    /// The vision and long-term impact (empty until written).
    pub async fn plan_page(&self, pid: PartnershipId) -> Result<PlanPage> {
        let row: Option<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT vision, impact FROM plan_pages WHERE partnership_id = $1")
                .bind(pid)
                .fetch_optional(pool)
                .await?
        });
        Ok(row
            .map(|(vision, impact)| PlanPage { vision, impact })
            .unwrap_or_default())
    }

    /// Writes the vision and long-term impact (audited with what changed).
    pub async fn set_plan_page(&self, pid: PartnershipId, p: &PlanPage, by: UserId) -> Result<()> {
        let old = self.plan_page(pid).await?;
        let detail = serde_json::json!({
            "vision": [old.vision, p.vision.trim()],
            "impact": [old.impact, p.impact.trim()],
        })
        .to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO plan_pages (partnership_id, vision, impact, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (partnership_id) DO UPDATE SET vision = excluded.vision,
                   impact = excluded.impact, updated_by = excluded.updated_by,
                   updated_at = excluded.updated_at",
            )
            .bind(pid)
            .bind(p.vision.trim())
            .bind(p.impact.trim())
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "plan_page", pid.0, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a strategy under one of the partnership's priorities.
    pub async fn create_strategy(
        &self,
        pid: PartnershipId,
        priority_id: i64,
        title: &str,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "priority_id": [null, priority_id.to_string()], "title": [null, title.trim()],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "priorities", Some(priority_id), pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO strategies (partnership_id, priority_id, title, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(pid)
            .bind(priority_id)
            .bind(title.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "strategy", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's strategies (not archived), by priority then as entered.
    pub async fn strategies(&self, pid: PartnershipId) -> Result<Vec<Strategy>> {
        let rows: Vec<(i64, i64, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, priority_id, title FROM strategies
                 WHERE partnership_id = $1 AND archived_at IS NULL ORDER BY priority_id, id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, priority_id, title)| Strategy {
                id,
                priority_id,
                title,
            })
            .collect())
    }

    /// Saves a new key action: an action item (open) with its plan fields, in one transaction.
    pub async fn create_planned_action(
        &self,
        pid: PartnershipId,
        a: &ActionFields,
        f: &ActionPlanFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let mut detail = plan_detail(f);
        detail["text"] = serde_json::json!([null, a.text.trim()]);
        detail["owner_contact_id"] = serde_json::json!([null, a.owner_contact_id]);
        detail["due_on"] = serde_json::json!([null, a.due_on.map(|d| d.to_string())]);
        let detail = detail.to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "meetings", a.meeting_id, pid);
            belongs!(tx, "contacts", a.owner_contact_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO action_items (partnership_id, meeting_id, text, owner_contact_id,
                   due_on, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id",
            )
            .bind(pid)
            .bind(a.meeting_id)
            .bind(a.text.trim())
            .bind(a.owner_contact_id)
            .bind(a.due_on.map(|d| d.to_string()))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            write_plan!(tx, pid, id, f);
            audit!(tx, pid, by, now, "action_item", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Replaces an existing action item's plan fields (a meeting's item joins the plan this way).
    pub async fn set_action_plan(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &ActionPlanFields,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        let old = self
            .planned_actions(pid)
            .await?
            .into_iter()
            .find(|p| p.action_id == id)
            .ok_or(StoreError::NotFound)?;
        let mut detail = plan_detail(f);
        let o = plan_detail(&old.fields);
        if let (Some(d), Some(o)) = (detail.as_object_mut(), o.as_object()) {
            for (k, v) in d.iter_mut() {
                v[0] = o[k][1].clone();
            }
            d.retain(|_, v| v[0] != v[1]);
            if d.is_empty() {
                return Ok(());
            }
        }
        let detail = detail.to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            write_plan!(tx, pid, id, f);
            sqlx::query(
                "UPDATE action_items SET updated_at = $1 WHERE id = $2 AND partnership_id = $3",
            )
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "action_item", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The plan fields of every action item of the partnership (in the order of `actions`'s ids).
    pub async fn planned_actions(&self, pid: PartnershipId) -> Result<Vec<PlannedAction>> {
        let (rows, edges): (Vec<PlannedRow>, Vec<(i64, i64)>) = on_pool!(self, |pool| {
            let rows = sqlx::query_as::<_, PlannedRow>(
                "SELECT ai.id, ai.strategy_id, ai.organization_id, ai.quarter, ai.budget_line_id,
                        s.title AS strategy, s.priority_id, o.name AS organization,
                        b.name AS budget_line
                 FROM action_items ai
                 LEFT JOIN strategies s ON s.id = ai.strategy_id
                 LEFT JOIN organizations o ON o.id = ai.organization_id
                 LEFT JOIN budget_lines b ON b.id = ai.budget_line_id
                 WHERE ai.partnership_id = $1 ORDER BY ai.id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?;
            let edges = sqlx::query_as(
                "SELECT action_id, depends_on_id FROM action_dependencies
                 WHERE partnership_id = $1 ORDER BY action_id, depends_on_id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?;
            (rows, edges)
        });
        rows.into_iter()
            .map(|r| {
                Ok(PlannedAction {
                    action_id: r.id,
                    fields: ActionPlanFields {
                        strategy_id: r.strategy_id,
                        organization_id: r.organization_id,
                        quarter: r
                            .quarter
                            .map(|q| q.parse().map_err(|_| corrupt("action_items.quarter", &q)))
                            .transpose()?,
                        budget_line_id: r.budget_line_id,
                        depends_on: edges
                            .iter()
                            .filter(|(a, _)| *a == r.id)
                            .map(|(_, b)| *b)
                            .collect(),
                    },
                    strategy: r.strategy,
                    priority_id: r.priority_id,
                    organization: r.organization,
                    budget_line: r.budget_line,
                })
            })
            .collect()
    }

    /// Adds a milestone.
    pub async fn create_milestone(
        &self,
        pid: PartnershipId,
        f: &MilestoneFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "title": [null, f.title.trim()], "quarter": [null, f.quarter.to_string()],
            "priority_id": [null, f.priority_id.map(|p| p.to_string())],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "priorities", f.priority_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO milestones (partnership_id, priority_id, title, quarter, done,
                   created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(f.priority_id)
            .bind(f.title.trim())
            .bind(f.quarter.to_string())
            .bind(f.done)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "milestone", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's milestones (not archived), by quarter.
    pub async fn milestones(&self, pid: PartnershipId) -> Result<Vec<Milestone>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MilestoneRow>(
                "SELECT id, priority_id, title, quarter, done FROM milestones
                 WHERE partnership_id = $1 AND archived_at IS NULL ORDER BY quarter, id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Milestone {
                    id: r.id,
                    fields: MilestoneFields {
                        priority_id: r.priority_id,
                        quarter: r
                            .quarter
                            .parse()
                            .map_err(|_| corrupt("milestones.quarter", &r.quarter))?,
                        title: r.title,
                        done: r.done,
                    },
                })
            })
            .collect()
    }

    /// Adds an element to the logic model.
    pub async fn create_logic_element(
        &self,
        pid: PartnershipId,
        f: &LogicFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "kind": [null, f.kind.code()], "text": [null, f.text.trim()],
            "priority_id": [null, f.priority_id.map(|p| p.to_string())],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "priorities", f.priority_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO logic_elements (partnership_id, priority_id, kind, text, created_by,
                   created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(pid)
            .bind(f.priority_id)
            .bind(f.kind.code())
            .bind(f.text.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "logic_element", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The logic model's elements (not archived), as entered.
    pub async fn logic_elements(&self, pid: PartnershipId) -> Result<Vec<LogicElement>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, LogicRow>(
                "SELECT id, priority_id, kind, text FROM logic_elements
                 WHERE partnership_id = $1 AND archived_at IS NULL ORDER BY id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(LogicElement {
                    id: r.id,
                    fields: LogicFields {
                        priority_id: r.priority_id,
                        kind: r
                            .kind
                            .parse()
                            .map_err(|_| corrupt("logic_elements.kind", &r.kind))?,
                        text: r.text,
                    },
                })
            })
            .collect()
    }
}
