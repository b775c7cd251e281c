//! Alignment records: the partnership's links to public plans (a plan of the reference catalog
//! in `sectorkit_core::public_plans`, by code, with the year it was last adopted and the
//! priority it carries) and its register of data-sharing agreements. Audited in the same
//! transaction; a priority of another partnership is refused (`NotFound`).

use crate::convening::belongs;
use crate::partners::{audit, corrupt};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::day::Day;

/// A new link to a public plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLinkFields {
    pub plan_code: String,
    pub jurisdiction: String,
    pub last_adopted_year: Option<i32>,
    pub priority_id: Option<i64>,
    pub how: String,
}

/// A stored plan link with its priority's title.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLink {
    pub id: i64,
    pub fields: PlanLinkFields,
    pub priority: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlanLinkRow {
    id: i64,
    plan_code: String,
    jurisdiction: String,
    last_adopted_year: Option<i64>,
    priority_id: Option<i64>,
    how: String,
    priority: Option<String>,
}

/// A data-sharing agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementFields {
    pub title: String,
    pub parties: String,
    pub data_covered: String,
    pub purpose: String,
    pub legal_basis: String,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
    /// draft, active or ended.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: i64,
    pub fields: AgreementFields,
}

#[derive(sqlx::FromRow)]
struct AgreementRow {
    id: i64,
    title: String,
    parties: String,
    data_covered: String,
    purpose: String,
    legal_basis: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    status: String,
}

fn opt_day(column: &'static str, s: Option<String>) -> Result<Option<Day>> {
    s.map(|s| s.parse().map_err(|_| corrupt(column, &s)))
        .transpose()
}

impl Store {
    /// Links the partnership to a public plan.
    pub async fn create_plan_link(
        &self,
        pid: PartnershipId,
        f: &PlanLinkFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "plan_code": [null, f.plan_code], "jurisdiction": [null, f.jurisdiction],
            "last_adopted_year": [null, f.last_adopted_year.map(|y| y.to_string())],
            "priority_id": [null, f.priority_id.map(|p| p.to_string())],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "priorities", f.priority_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO plan_links (partnership_id, plan_code, jurisdiction,
                   last_adopted_year, priority_id, how, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(pid)
            .bind(&f.plan_code)
            .bind(f.jurisdiction.trim())
            .bind(f.last_adopted_year.map(i64::from))
            .bind(f.priority_id)
            .bind(f.how.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "plan_link", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's plan links (not archived).
    pub async fn plan_links(&self, pid: PartnershipId) -> Result<Vec<PlanLink>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, PlanLinkRow>(
                "SELECT l.id, l.plan_code, l.jurisdiction, l.last_adopted_year, l.priority_id,
                        l.how, i.title AS priority
                 FROM plan_links l
                 LEFT JOIN priorities p ON p.id = l.priority_id
                 LEFT JOIN industry_issues i ON i.id = p.issue_id
                 WHERE l.partnership_id = $1 AND l.archived_at IS NULL ORDER BY l.id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(PlanLink {
                    id: r.id,
                    fields: PlanLinkFields {
                        plan_code: r.plan_code,
                        jurisdiction: r.jurisdiction,
                        last_adopted_year: r
                            .last_adopted_year
                            .map(|y| {
                                i32::try_from(y).map_err(|_| {
                                    corrupt("plan_links.last_adopted_year", &y.to_string())
                                })
                            })
                            .transpose()?,
                        priority_id: r.priority_id,
                        how: r.how,
                    },
                    priority: r.priority,
                })
            })
            .collect()
    }

    /// Records a data-sharing agreement.
    pub async fn create_agreement(
        &self,
        pid: PartnershipId,
        f: &AgreementFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "title": [null, f.title], "parties": [null, f.parties],
            "ends_on": [null, f.ends_on.map(|d| d.to_string())], "status": [null, f.status],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO data_agreements (partnership_id, title, parties, data_covered,
                   purpose, legal_basis, starts_on, ends_on, status, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(pid)
            .bind(f.title.trim())
            .bind(f.parties.trim())
            .bind(f.data_covered.trim())
            .bind(f.purpose.trim())
            .bind(f.legal_basis.trim())
            .bind(f.starts_on.map(|d| d.to_string()))
            .bind(f.ends_on.map(|d| d.to_string()))
            .bind(&f.status)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "data_agreement", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's agreements (not archived), those ending soonest first.
    pub async fn agreements(&self, pid: PartnershipId) -> Result<Vec<Agreement>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AgreementRow>(
                "SELECT id, title, parties, data_covered, purpose, legal_basis, starts_on,
                        ends_on, status
                 FROM data_agreements WHERE partnership_id = $1 AND archived_at IS NULL
                 ORDER BY CASE WHEN ends_on IS NULL THEN 1 ELSE 0 END, ends_on, id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Agreement {
                    id: r.id,
                    fields: AgreementFields {
                        title: r.title,
                        parties: r.parties,
                        data_covered: r.data_covered,
                        purpose: r.purpose,
                        legal_basis: r.legal_basis,
                        starts_on: opt_day("data_agreements.starts_on", r.starts_on)?,
                        ends_on: opt_day("data_agreements.ends_on", r.ends_on)?,
                        status: r.status,
                    },
                })
            })
            .collect()
    }
}
