//! A partnership's saved regions and its shortlist of target industries (tenant records).
//!
//! Every function takes the [`PartnershipId`] and filters by it. A shortlist entry stores the
//! figures it was chosen on and the data vintage (a JSON snapshot), so later imports never
//! silently rewrite why an industry was picked.

use crate::error::unique_as;
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Region {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub name: String,
    /// The codes as entered (`C1814`, `39049,39041`).
    pub codes: String,
    /// The resolved member counties, comma-separated.
    pub counties: String,
    pub is_primary: bool,
    pub created_at: i64,
}

impl Region {
    pub fn county_list(&self) -> Vec<&str> {
        self.counties.split(',').filter(|s| !s.is_empty()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ShortlistItem {
    pub id: i64,
    pub industry_code: String,
    pub industry_title: String,
    pub own_code: i64,
    pub region_name: String,
    pub period: String,
    pub note: String,
    pub snapshot: String,
    pub added_at: i64,
    pub added_by_name: Option<String>,
    pub comments: i64,
}

#[derive(Debug, Clone)]
pub struct NewShortlistItem<'a> {
    pub industry_code: &'a str,
    pub industry_title: &'a str,
    pub own_code: i64,
    pub region_name: &'a str,
    pub period: &'a str,
    pub note: &'a str,
    pub snapshot: &'a str,
    pub added_by: UserId,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
    pub author: Option<String>,
}

const REGION_COLUMNS: &str = "id, partnership_id, name, codes, counties, is_primary, created_at";

impl Store {
    /// Saves a region. The first region of a partnership becomes its primary region; a region
    /// saved as primary takes over from the previous one.
    pub async fn create_region(
        &self,
        pid: PartnershipId,
        name: &str,
        codes: &str,
        counties: &[String],
        primary: bool,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let counties = counties.join(",");
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let existing: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE partnership_id = $1")
                    .bind(pid)
                    .fetch_one(&mut *tx)
                    .await?;
            let primary = primary || existing == 0;
            if primary {
                sqlx::query("UPDATE regions SET is_primary = FALSE WHERE partnership_id = $1")
                    .bind(pid)
                    .execute(&mut *tx)
                    .await?;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO regions (partnership_id, name, codes, counties, is_primary, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(pid)
            .bind(name.trim())
            .bind(codes.trim())
            .bind(&counties)
            .bind(primary)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(unique_as("a region with this name"))?;
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's regions, primary first, then by name.
    pub async fn regions(&self, pid: PartnershipId) -> Result<Vec<Region>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Region>(sqlx::AssertSqlSafe(format!(
                "SELECT {REGION_COLUMNS} FROM regions WHERE partnership_id = $1
                 ORDER BY is_primary DESC, name"
            )))
            .bind(pid)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One region of this partnership.
    pub async fn region(&self, pid: PartnershipId, id: i64) -> Result<Option<Region>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Region>(sqlx::AssertSqlSafe(format!(
                "SELECT {REGION_COLUMNS} FROM regions WHERE partnership_id = $1 AND id = $2"
            )))
            .bind(pid)
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn set_primary_region(&self, pid: PartnershipId, id: i64) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n =
                sqlx::query("UPDATE regions SET is_primary = (id = $2) WHERE partnership_id = $1")
                    .bind(pid)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            let found: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM regions WHERE partnership_id = $1 AND id = $2",
            )
            .bind(pid)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if n == 0 || found == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn delete_region(&self, pid: PartnershipId, id: i64) -> Result<()> {
        let n = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM regions WHERE partnership_id = $1 AND id = $2")
                .bind(pid)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    // ---- shortlist -------------------------------------------------------------------------

    pub async fn add_to_shortlist(
        &self,
        pid: PartnershipId,
        item: &NewShortlistItem<'_>,
    ) -> Result<i64> {
        let now = crate::now_unix();
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO shortlist (partnership_id, industry_code, industry_title, own_code,
                   region_name, period, note, snapshot, added_by, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(pid)
            .bind(item.industry_code)
            .bind(item.industry_title)
            .bind(item.own_code)
            .bind(item.region_name)
            .bind(item.period)
            .bind(item.note.trim())
            .bind(item.snapshot)
            .bind(item.added_by)
            .bind(now)
            .fetch_one(pool)
            .await
            .map_err(unique_as("this industry on the shortlist"))?
        }))
    }

    /// The shortlist, oldest first, with comment counts.
    pub async fn shortlist(&self, pid: PartnershipId) -> Result<Vec<ShortlistItem>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, ShortlistItem>(
                "SELECT s.id, s.industry_code, s.industry_title, s.own_code, s.region_name, s.period,
                        s.note, s.snapshot, s.added_at, u.name AS added_by_name,
                        (SELECT COUNT(*) FROM shortlist_comments c WHERE c.shortlist_id = s.id) AS comments
                 FROM shortlist s LEFT JOIN users u ON u.id = s.added_by
                 WHERE s.partnership_id = $1 ORDER BY s.added_at, s.id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn remove_from_shortlist(&self, pid: PartnershipId, id: i64) -> Result<()> {
        let n = on_pool!(self, |pool| {
            sqlx::query("DELETE FROM shortlist WHERE partnership_id = $1 AND id = $2")
                .bind(pid)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Adds a comment to a shortlist entry of this partnership.
    pub async fn add_shortlist_comment(
        &self,
        pid: PartnershipId,
        item: i64,
        by: UserId,
        body: &str,
    ) -> Result<i64> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM shortlist WHERE partnership_id = $1 AND id = $2",
            )
            .bind(pid)
            .bind(item)
            .fetch_one(&mut *tx)
            .await?;
            if found == 0 {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO shortlist_comments (partnership_id, shortlist_id, user_id, body, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(pid)
            .bind(item)
            .bind(by)
            .bind(body.trim())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn shortlist_comments(&self, pid: PartnershipId, item: i64) -> Result<Vec<Comment>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Comment>(
                "SELECT c.id, c.body, c.created_at, u.name AS author
                 FROM shortlist_comments c LEFT JOIN users u ON u.id = c.user_id
                 WHERE c.partnership_id = $1 AND c.shortlist_id = $2 ORDER BY c.created_at, c.id",
            )
            .bind(pid)
            .bind(item)
            .fetch_all(pool)
            .await?
        }))
    }
}
