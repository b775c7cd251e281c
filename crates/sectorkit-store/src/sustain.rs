//! Marketing and communication (key messages by audience, a calendar of communication items),
//! products and services linked to the logic model's outcomes, the capacity plan, and the log of
//! lessons learned. Every write is audited in its transaction; a reference to another
//! partnership's record is refused (`NotFound`).

use crate::convening::belongs;
use crate::partners::{audit, corrupt, like_pattern};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::day::Day;
use sectorkit_core::sustain::{
    Audience, CapacityRole, Chapter, CommsChannel, CommsProduct, Fte, ProductStatus,
};

/// A lesson learned.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonFields {
    pub learned_on: Day,
    pub chapter: Chapter,
    pub worked: String,
    pub did_not: String,
    pub why: String,
    pub change: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: i64,
    pub fields: LessonFields,
}

#[derive(sqlx::FromRow)]
struct LessonRow {
    id: i64,
    learned_on: String,
    chapter: String,
    worked: String,
    did_not: String,
    why: String,
    what_changes: String,
}

/// A key message for an audience.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMessage {
    pub id: i64,
    pub audience: Audience,
    pub message: String,
}

/// An item of the communication calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CommsFields {
    pub title: String,
    pub audience: Audience,
    pub channel: CommsChannel,
    pub product: CommsProduct,
    pub planned_on: Option<Day>,
    /// planned, draft or done.
    pub status: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommsItem {
    pub id: i64,
    pub fields: CommsFields,
}

#[derive(sqlx::FromRow)]
struct CommsRow {
    id: i64,
    title: String,
    audience: String,
    channel: String,
    product: String,
    planned_on: Option<String>,
    status: String,
    body: String,
}

/// A product or service of the partnership, with the outcomes (logic-model elements) it is a
/// pre-condition for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductFields {
    pub title: String,
    pub description: String,
    /// early or mid.
    pub stage: String,
    pub status: ProductStatus,
    pub outcomes: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: i64,
    pub fields: ProductFields,
    /// The outcomes' texts, in the order of `fields.outcomes`.
    pub outcome_texts: Vec<String>,
}

/// A role of the capacity plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityFields {
    pub role: CapacityRole,
    pub title: String,
    pub filled_by: String,
    pub needed: Fte,
    pub filled: Fte,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    pub id: i64,
    pub fields: CapacityFields,
}

#[derive(sqlx::FromRow)]
struct CapacityRow {
    id: i64,
    role: String,
    title: String,
    filled_by: String,
    fte_needed: i64,
    fte_filled: i64,
    notes: String,
}

fn code<T: std::str::FromStr>(column: &'static str, v: &str) -> Result<T> {
    v.parse().map_err(|_| corrupt(column, v))
}

fn fte(column: &'static str, v: i64) -> Result<Fte> {
    u32::try_from(v)
        .map(Fte::from_hundredths)
        .map_err(|_| corrupt(column, &v.to_string()))
}

impl Store {
    /// Logs a lesson learned.
    pub async fn create_lesson(
        &self,
        pid: PartnershipId,
        f: &LessonFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "learned_on": [null, f.learned_on.to_string()], "chapter": [null, f.chapter.code()],
            "worked": [null, f.worked], "did_not": [null, f.did_not], "why": [null, f.why],
            "change": [null, f.change],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO lessons (partnership_id, learned_on, chapter, worked, did_not, why,
                   what_changes, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(pid)
            .bind(f.learned_on.to_string())
            .bind(f.chapter.code())
            .bind(f.worked.trim())
            .bind(f.did_not.trim())
            .bind(f.why.trim())
            .bind(f.change.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "lesson", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The lessons (not archived), newest first; matching `search` in any text, of `chapter`.
    pub async fn lessons(
        &self,
        pid: PartnershipId,
        search: Option<&str>,
        chapter: Option<Chapter>,
    ) -> Result<Vec<Lesson>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, LessonRow>(
                "SELECT id, learned_on, chapter, worked, did_not, why, what_changes FROM lessons
                 WHERE partnership_id = $1 AND archived_at IS NULL
                   AND ($2 IS NULL OR LOWER(worked) LIKE $2 OR LOWER(did_not) LIKE $2
                        OR LOWER(why) LIKE $2 OR LOWER(what_changes) LIKE $2)
                   AND ($3 IS NULL OR chapter = $3)
                 ORDER BY learned_on DESC, id DESC",
            )
            .bind(pid)
            .bind(pattern.as_deref())
            .bind(chapter.map(|c| c.code()))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Lesson {
                    id: r.id,
                    fields: LessonFields {
                        learned_on: code("lessons.learned_on", &r.learned_on)?,
                        chapter: code("lessons.chapter", &r.chapter)?,
                        worked: r.worked,
                        did_not: r.did_not,
                        why: r.why,
                        change: r.what_changes,
                    },
                })
            })
            .collect()
    }

    /// Adds a key message for an audience.
    pub async fn create_message(
        &self,
        pid: PartnershipId,
        audience: Audience,
        message: &str,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "audience": [null, audience.code()], "message": [null, message.trim()],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO key_messages (partnership_id, audience, message, created_by,
                   created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(pid)
            .bind(audience.code())
            .bind(message.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "key_message", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The key messages (not archived), as entered.
    pub async fn messages(&self, pid: PartnershipId) -> Result<Vec<KeyMessage>> {
        let rows: Vec<(i64, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, audience, message FROM key_messages
                 WHERE partnership_id = $1 AND archived_at IS NULL ORDER BY id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(id, a, message)| {
                Ok(KeyMessage {
                    id,
                    audience: code("key_messages.audience", &a)?,
                    message,
                })
            })
            .collect()
    }

    /// Adds an item to the communication calendar.
    pub async fn create_comms_item(
        &self,
        pid: PartnershipId,
        f: &CommsFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "title": [null, f.title.trim()], "audience": [null, f.audience.code()],
            "channel": [null, f.channel.code()], "product": [null, f.product.code()],
            "planned_on": [null, f.planned_on.map(|d| d.to_string())], "status": [null, f.status],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO comms_items (partnership_id, title, audience, channel, product,
                   planned_on, status, body, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(pid)
            .bind(f.title.trim())
            .bind(f.audience.code())
            .bind(f.channel.code())
            .bind(f.product.code())
            .bind(f.planned_on.map(|d| d.to_string()))
            .bind(&f.status)
            .bind(&f.body)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "comms_item", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The communication calendar (not archived): dated items by date, then undated ones.
    pub async fn comms_items(&self, pid: PartnershipId) -> Result<Vec<CommsItem>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, CommsRow>(
                "SELECT id, title, audience, channel, product, planned_on, status, body
                 FROM comms_items WHERE partnership_id = $1 AND archived_at IS NULL
                 ORDER BY CASE WHEN planned_on IS NULL THEN 1 ELSE 0 END, planned_on, id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(CommsItem {
                    id: r.id,
                    fields: CommsFields {
                        title: r.title,
                        audience: code("comms_items.audience", &r.audience)?,
                        channel: code("comms_items.channel", &r.channel)?,
                        product: code("comms_items.product", &r.product)?,
                        planned_on: r
                            .planned_on
                            .map(|d| code("comms_items.planned_on", &d))
                            .transpose()?,
                        status: r.status,
                        body: r.body,
                    },
                })
            })
            .collect()
    }

    /// Adds a product or service with the outcomes it leads to (logic-model elements of the
    /// partnership).
    pub async fn create_product(
        &self,
        pid: PartnershipId,
        f: &ProductFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "title": [null, f.title.trim()], "stage": [null, f.stage],
            "status": [null, f.status.code()],
            "outcomes": [null, f.outcomes.iter().map(|o| format!("#{o}")).collect::<Vec<_>>().join(", ")],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for o in &f.outcomes {
                belongs!(tx, "logic_elements", Some(*o), pid);
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO products (partnership_id, title, description, stage, status,
                   created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(f.title.trim())
            .bind(f.description.trim())
            .bind(&f.stage)
            .bind(f.status.code())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let mut outcomes = f.outcomes.clone();
            outcomes.sort_unstable();
            outcomes.dedup();
            for o in outcomes {
                sqlx::query(
                    "INSERT INTO product_outcomes (partnership_id, product_id, logic_element_id)
                     VALUES ($1, $2, $3)",
                )
                .bind(pid)
                .bind(id)
                .bind(o)
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, pid, by, now, "product", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes a product's status (audited).
    pub async fn set_product_status(
        &self,
        pid: PartnershipId,
        id: i64,
        status: ProductStatus,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let old: Option<String> = sqlx::query_scalar(
                "SELECT status FROM products
                 WHERE id = $1 AND partnership_id = $2 AND archived_at IS NULL",
            )
            .bind(id)
            .bind(pid)
            .fetch_optional(&mut *tx)
            .await?;
            let old = old.ok_or(StoreError::NotFound)?;
            if old == status.code() {
                return Ok(());
            }
            sqlx::query("UPDATE products SET status = $1 WHERE id = $2 AND partnership_id = $3")
                .bind(status.code())
                .bind(id)
                .bind(pid)
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({ "status": [old, status.code()] }).to_string();
            audit!(tx, pid, by, now, "product", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The products and services (not archived), early ones first.
    pub async fn products(&self, pid: PartnershipId) -> Result<Vec<Product>> {
        type Row = (i64, String, String, String, String);
        let (rows, links): (Vec<Row>, Vec<(i64, i64, String)>) = on_pool!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT id, title, description, stage, status FROM products
                 WHERE partnership_id = $1 AND archived_at IS NULL
                 ORDER BY CASE stage WHEN 'early' THEN 0 ELSE 1 END, id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?;
            let links = sqlx::query_as(
                "SELECT po.product_id, po.logic_element_id, e.text
                 FROM product_outcomes po JOIN logic_elements e ON e.id = po.logic_element_id
                 WHERE po.partnership_id = $1 ORDER BY po.product_id, po.logic_element_id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?;
            (rows, links)
        });
        rows.into_iter()
            .map(|(id, title, description, stage, status)| {
                let mine: Vec<&(i64, i64, String)> = links.iter().filter(|l| l.0 == id).collect();
                Ok(Product {
                    id,
                    fields: ProductFields {
                        title,
                        description,
                        stage,
                        status: code("products.status", &status)?,
                        outcomes: mine.iter().map(|l| l.1).collect(),
                    },
                    outcome_texts: mine.iter().map(|l| l.2.clone()).collect(),
                })
            })
            .collect()
    }

    /// Adds a role to the capacity plan.
    pub async fn create_capacity_role(
        &self,
        pid: PartnershipId,
        f: &CapacityFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "role": [null, f.role.code()], "title": [null, f.title.trim()],
            "filled_by": [null, f.filled_by.trim()], "needed": [null, f.needed.to_string()],
            "filled": [null, f.filled.to_string()],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO capacity_roles (partnership_id, role, title, filled_by, fte_needed,
                   fte_filled, notes, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(pid)
            .bind(f.role.code())
            .bind(f.title.trim())
            .bind(f.filled_by.trim())
            .bind(i64::from(f.needed.hundredths()))
            .bind(i64::from(f.filled.hundredths()))
            .bind(f.notes.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "capacity_role", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The capacity plan (not archived), as entered.
    pub async fn capacity_roles(&self, pid: PartnershipId) -> Result<Vec<Capacity>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, CapacityRow>(
                "SELECT id, role, title, filled_by, fte_needed, fte_filled, notes
                 FROM capacity_roles WHERE partnership_id = $1 AND archived_at IS NULL
                 ORDER BY id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Capacity {
                    id: r.id,
                    fields: CapacityFields {
                        role: code("capacity_roles.role", &r.role)?,
                        title: r.title,
                        filled_by: r.filled_by,
                        needed: fte("capacity_roles.fte_needed", r.fte_needed)?,
                        filled: fte("capacity_roles.fte_filled", r.fte_filled)?,
                        notes: r.notes,
                    },
                })
            })
            .collect()
    }
}
