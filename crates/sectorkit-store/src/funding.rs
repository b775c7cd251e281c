//! Funding records: the partnership's funding streams, budget lines by phase, allocations
//! (which stream pays how much of which line) and partners' commitments.
//!
//! Amounts are stored as whole cents (`sectorkit_core::funding::Money`, never negative; the
//! schema checks it too). The braided view — totals by phase and by stream, gaps, over-commitment
//! and expiry — is computed by `sectorkit_core::funding::braid` from these records, not stored.
//! Every change writes an audit entry in the same transaction; a reference to another
//! partnership's record is refused (`NotFound`). Streams and lines are archived, not deleted.

use crate::partners::{audit, corrupt};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::day::Day;
use sectorkit_core::funding::{
    Allocation, BudgetLine, CommitmentKind, CommitmentStatus, Money, Phase, Stream, StreamKind,
};

fn money(column: &'static str, cents: i64) -> Result<Money> {
    Money::from_cents(cents).ok_or_else(|| corrupt(column, &cents.to_string()))
}

fn opt_day(column: &'static str, s: Option<String>) -> Result<Option<Day>> {
    s.map(|s| s.parse().map_err(|_| corrupt(column, &s)))
        .transpose()
}

/// A new funding stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamFields {
    pub name: String,
    pub kind: StreamKind,
    pub catalog_code: String,
    pub available: Money,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
    pub notes: String,
}

/// A stored funding stream.
#[derive(Debug, Clone, PartialEq)]
pub struct FundingStream {
    pub id: i64,
    pub fields: StreamFields,
}

impl FundingStream {
    /// The stream as the braid computation takes it.
    pub fn as_core(&self) -> Stream {
        Stream {
            id: self.id,
            name: self.fields.name.clone(),
            kind: self.fields.kind,
            available: self.fields.available,
            ends_on: self.fields.ends_on,
        }
    }
}

#[derive(sqlx::FromRow)]
struct StreamRow {
    id: i64,
    name: String,
    kind: String,
    catalog_code: String,
    available: i64,
    starts_on: Option<String>,
    ends_on: Option<String>,
    notes: String,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    phase: String,
    name: String,
    amount: i64,
}

#[derive(sqlx::FromRow)]
struct AllocationRow {
    line_id: i64,
    stream_id: i64,
    amount: i64,
}

/// A new commitment by a partner organization.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentFields {
    pub organization_id: i64,
    pub stream_id: Option<i64>,
    pub kind: CommitmentKind,
    pub amount: Money,
    pub status: CommitmentStatus,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
    pub notes: String,
}

/// A stored commitment with its organization's and stream's names.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCommitment {
    pub id: i64,
    pub fields: CommitmentFields,
    pub organization: String,
    pub stream: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CommitmentRow {
    id: i64,
    organization_id: i64,
    stream_id: Option<i64>,
    kind: String,
    amount: i64,
    status: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    notes: String,
    organization: String,
    stream: Option<String>,
}

/// Checks inside a transaction that `id` of `table` belongs to `pid` and is not archived.
macro_rules! live {
    ($tx:expr, $table:literal, $id:expr, $pid:expr) => {
        let n = sqlx::query_scalar::<_, i64>(concat!(
            "SELECT COUNT(*) FROM ",
            $table,
            " WHERE id = $1 AND partnership_id = $2 AND archived_at IS NULL"
        ))
        .bind($id)
        .bind($pid)
        .fetch_one(&mut *$tx)
        .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
    };
}

impl Store {
    /// Saves a new funding stream.
    pub async fn create_stream(
        &self,
        pid: PartnershipId,
        f: &StreamFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "name": [null, f.name], "kind": [null, f.kind.code()],
            "available": [null, f.available.to_string()],
            "ends_on": [null, f.ends_on.map(|d| d.to_string())],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO funding_streams (partnership_id, name, kind, catalog_code,
                   available, starts_on, ends_on, notes, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(pid)
            .bind(f.name.trim())
            .bind(f.kind.code())
            .bind(&f.catalog_code)
            .bind(f.available.cents())
            .bind(f.starts_on.map(|d| d.to_string()))
            .bind(f.ends_on.map(|d| d.to_string()))
            .bind(f.notes.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "funding_stream", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's streams (not archived), by name.
    pub async fn streams(&self, pid: PartnershipId) -> Result<Vec<FundingStream>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, StreamRow>(
                "SELECT id, name, kind, catalog_code, available, starts_on, ends_on, notes
                 FROM funding_streams WHERE partnership_id = $1 AND archived_at IS NULL
                 ORDER BY LOWER(name), id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(FundingStream {
                    id: r.id,
                    fields: StreamFields {
                        kind: r
                            .kind
                            .parse()
                            .map_err(|_| corrupt("funding_streams.kind", &r.kind))?,
                        name: r.name,
                        catalog_code: r.catalog_code,
                        available: money("funding_streams.available", r.available)?,
                        starts_on: opt_day("funding_streams.starts_on", r.starts_on)?,
                        ends_on: opt_day("funding_streams.ends_on", r.ends_on)?,
                        notes: r.notes,
                    },
                })
            })
            .collect()
    }

    /// Saves a new budget line.
    pub async fn create_line(
        &self,
        pid: PartnershipId,
        phase: Phase,
        name: &str,
        amount: Money,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "phase": [null, phase.code()], "name": [null, name.trim()],
            "amount": [null, amount.to_string()],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO budget_lines (partnership_id, phase, name, amount, created_by,
                   created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(pid)
            .bind(phase.code())
            .bind(name.trim())
            .bind(amount.cents())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "budget_line", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's budget lines (not archived), by phase then entry order.
    pub async fn budget_lines(&self, pid: PartnershipId) -> Result<Vec<BudgetLine>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, LineRow>(
                "SELECT id, phase, name, amount FROM budget_lines
                 WHERE partnership_id = $1 AND archived_at IS NULL ORDER BY id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        let mut lines = rows
            .into_iter()
            .map(|r| {
                Ok(BudgetLine {
                    id: r.id,
                    phase: r
                        .phase
                        .parse()
                        .map_err(|_| corrupt("budget_lines.phase", &r.phase))?,
                    name: r.name,
                    amount: money("budget_lines.amount", r.amount)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        lines.sort_by_key(|l| l.phase);
        Ok(lines)
    }

    /// Archives a stream or a budget line (`entity` "funding_stream" or "budget_line"): it
    /// leaves the budget with its allocations; its history stays.
    pub async fn archive_funding_record(
        &self,
        pid: PartnershipId,
        entity: &'static str,
        id: i64,
        by: UserId,
    ) -> Result<()> {
        let sql = match entity {
            "funding_stream" => {
                "UPDATE funding_streams SET archived_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NULL"
            }
            "budget_line" => {
                "UPDATE budget_lines SET archived_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NULL"
            }
            other => unreachable!("{other} is not a funding record"),
        };
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql)
                .bind(now)
                .bind(id)
                .bind(pid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, pid, by, now, entity, id, "archive", "{}");
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets how much of `line` the stream pays (0 removes the allocation). Both must be live
    /// records of the partnership.
    pub async fn set_allocation(
        &self,
        pid: PartnershipId,
        line: i64,
        stream: i64,
        amount: Money,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "stream_id": [null, stream.to_string()], "amount": [null, amount.to_string()],
        })
        .to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            live!(tx, "budget_lines", line, pid);
            live!(tx, "funding_streams", stream, pid);
            sqlx::query("DELETE FROM allocations WHERE line_id = $1 AND stream_id = $2")
                .bind(line)
                .bind(stream)
                .execute(&mut *tx)
                .await?;
            if amount > Money::ZERO {
                sqlx::query(
                    "INSERT INTO allocations (partnership_id, line_id, stream_id, amount)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(pid)
                .bind(line)
                .bind(stream)
                .bind(amount.cents())
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, pid, by, now, "budget_line", line, "allocation", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The allocations between live lines and live streams.
    pub async fn allocations(&self, pid: PartnershipId) -> Result<Vec<Allocation>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AllocationRow>(
                "SELECT a.line_id, a.stream_id, a.amount FROM allocations a
                 JOIN budget_lines l ON l.id = a.line_id AND l.archived_at IS NULL
                 JOIN funding_streams s ON s.id = a.stream_id AND s.archived_at IS NULL
                 WHERE a.partnership_id = $1 ORDER BY a.line_id, a.stream_id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Allocation {
                    line_id: r.line_id,
                    stream_id: r.stream_id,
                    amount: money("allocations.amount", r.amount)?,
                })
            })
            .collect()
    }

    /// Saves a partner's commitment.
    pub async fn create_commitment(
        &self,
        pid: PartnershipId,
        f: &CommitmentFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "organization_id": [null, f.organization_id.to_string()],
            "amount": [null, f.amount.to_string()], "kind": [null, f.kind.code()],
            "status": [null, f.status.code()],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM organizations WHERE id = $1 AND partnership_id = $2",
            )
            .bind(f.organization_id)
            .bind(pid)
            .fetch_one(&mut *tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            if let Some(s) = f.stream_id {
                live!(tx, "funding_streams", s, pid);
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO commitments (partnership_id, organization_id, stream_id, kind,
                   amount, status, starts_on, ends_on, notes, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(pid)
            .bind(f.organization_id)
            .bind(f.stream_id)
            .bind(f.kind.code())
            .bind(f.amount.cents())
            .bind(f.status.code())
            .bind(f.starts_on.map(|d| d.to_string()))
            .bind(f.ends_on.map(|d| d.to_string()))
            .bind(f.notes.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "commitment", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes a commitment's status (pledged → committed → received, or back).
    pub async fn set_commitment_status(
        &self,
        pid: PartnershipId,
        id: i64,
        status: CommitmentStatus,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let old: Option<String> = sqlx::query_scalar(
                "SELECT status FROM commitments WHERE id = $1 AND partnership_id = $2",
            )
            .bind(id)
            .bind(pid)
            .fetch_optional(&mut *tx)
            .await?;
            let old = old.ok_or(StoreError::NotFound)?;
            sqlx::query("UPDATE commitments SET status = $1 WHERE id = $2 AND partnership_id = $3")
                .bind(status.code())
                .bind(id)
                .bind(pid)
                .execute(&mut *tx)
                .await?;
            let d = serde_json::json!({"status": [old, status.code()]}).to_string();
            audit!(tx, pid, by, now, "commitment", id, "update", &d);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The partnership's commitments, newest first.
    pub async fn commitments(&self, pid: PartnershipId) -> Result<Vec<StoredCommitment>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, CommitmentRow>(
                "SELECT c.id, c.organization_id, c.stream_id, c.kind, c.amount, c.status,
                        c.starts_on, c.ends_on, c.notes, o.name AS organization,
                        s.name AS stream
                 FROM commitments c JOIN organizations o ON o.id = c.organization_id
                 LEFT JOIN funding_streams s ON s.id = c.stream_id
                 WHERE c.partnership_id = $1 ORDER BY c.id DESC",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(StoredCommitment {
                    id: r.id,
                    fields: CommitmentFields {
                        organization_id: r.organization_id,
                        stream_id: r.stream_id,
                        kind: r
                            .kind
                            .parse()
                            .map_err(|_| corrupt("commitments.kind", &r.kind))?,
                        amount: money("commitments.amount", r.amount)?,
                        status: r
                            .status
                            .parse()
                            .map_err(|_| corrupt("commitments.status", &r.status))?,
                        starts_on: opt_day("commitments.starts_on", r.starts_on)?,
                        ends_on: opt_day("commitments.ends_on", r.ends_on)?,
                        notes: r.notes,
                    },
                    organization: r.organization,
                    stream: r.stream,
                })
            })
            .collect()
    }
}
