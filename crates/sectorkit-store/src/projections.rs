//! Industry employment projections: sets (one per imported file) and their rows.
//!
//! Reference data shared by all partnerships. An import is one transaction; a file with the same
//! SHA-256 as an earlier one is a no-op.

use crate::{Result, Store, on_pool};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProjectionSet {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i64,
    pub not_published: i64,
    pub source: String,
    pub imported_at: i64,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProjectionDbRow {
    pub area_code: String,
    pub area_name: String,
    pub industry_code: String,
    pub base_year: i64,
    pub base_employment: f64,
    pub projected_year: i64,
    pub projected_employment: f64,
}

/// A projection area with the newest set that covers it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProjectionArea {
    pub area_code: String,
    pub area_name: String,
    pub set_id: i64,
    pub base_year: i64,
    pub projected_year: i64,
    pub industries: i64,
}

impl Store {
    /// Imports a projections file atomically. Returns the set and whether it is new.
    pub async fn import_projections(
        &self,
        file_name: &str,
        sha256: &str,
        source: &str,
        not_published: i64,
        rows: &[ProjectionDbRow],
    ) -> Result<(ProjectionSet, bool)> {
        let existing = on_pool!(self, |pool| {
            sqlx::query_as::<_, ProjectionSet>("SELECT * FROM projection_sets WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(pool)
                .await?
        });
        if let Some(s) = existing {
            return Ok((s, false));
        }
        let now = crate::now_unix();
        let set = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let set = sqlx::query_as::<_, ProjectionSet>(
                "INSERT INTO projection_sets (file_name, sha256, rows_read, not_published, source, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
            )
            .bind(file_name)
            .bind(sha256)
            .bind(rows.len() as i64)
            .bind(not_published)
            .bind(source)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(crate::error::unique_as("a projections file with this SHA-256"))?;
            for chunk in rows.chunks(2000) {
                let mut b = sqlx::QueryBuilder::new(
                    "INSERT INTO industry_projections (set_id, area_code, area_name, industry_code, \
                     base_year, base_employment, projected_year, projected_employment) ",
                );
                b.push_values(chunk, |mut b, r| {
                    b.push_bind(set.id)
                        .push_bind(r.area_code.clone())
                        .push_bind(r.area_name.clone())
                        .push_bind(r.industry_code.clone())
                        .push_bind(r.base_year)
                        .push_bind(r.base_employment)
                        .push_bind(r.projected_year)
                        .push_bind(r.projected_employment);
                });
                b.build()
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::error::unique_as(
                        "a projection row for the same area and industry in this file",
                    ))?;
            }
            tx.commit().await?;
            set
        });
        Ok((set, true))
    }

    /// Every projection area, with its newest set.
    pub async fn projection_areas(&self) -> Result<Vec<ProjectionArea>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, ProjectionArea>(
                "SELECT p.area_code, MIN(p.area_name) AS area_name, p.set_id,
                        MIN(p.base_year) AS base_year, MAX(p.projected_year) AS projected_year,
                        COUNT(*) AS industries
                 FROM industry_projections p
                 WHERE p.set_id = (SELECT MAX(q.set_id) FROM industry_projections q
                                   WHERE q.area_code = p.area_code)
                 GROUP BY p.area_code, p.set_id ORDER BY p.area_code",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The rows of the newest set that covers `area_code`.
    pub async fn projections_for(&self, area_code: &str) -> Result<Vec<ProjectionDbRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, ProjectionDbRow>(
                "SELECT area_code, area_name, industry_code, base_year, base_employment,
                        projected_year, projected_employment
                 FROM industry_projections
                 WHERE area_code = $1
                   AND set_id = (SELECT MAX(set_id) FROM industry_projections WHERE area_code = $1)
                 ORDER BY industry_code",
            )
            .bind(area_code)
            .fetch_all(pool)
            .await?
        }))
    }
}
