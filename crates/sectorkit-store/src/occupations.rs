//! Occupation reference data (OEWS tables, Employment Projections and O*NET facts per SOC
//! code) and each partnership's living-wage table.
//!
//! OEWS is stored as whole tables — the occupations of one (area, industry) as one JSON
//! document — because it is only ever read that way (an industry's national staffing pattern,
//! an area's wages). The store does not interpret the documents: the engine serialises the
//! reader's types into them and back. Imports are atomic; a file with the same SHA-256 as an
//! earlier one is a no-op; a newer file's table or fact replaces the older one and is counted.
//!
//! Living wages are tenant records: every function takes the [`PartnershipId`].

use crate::{PartnershipId, Result, Store, on_pool};

/// An imported occupation reference file.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OccDataset {
    pub id: i64,
    /// `oews`, `ep` or `onet`.
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i64,
    /// OEWS tables or occupations stored from this file.
    pub items: i64,
    pub source: String,
    pub imported_at: i64,
}

/// One OEWS (area, industry) table.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OewsTableDb {
    pub area_code: String,
    pub industry_code: String,
    pub area_title: String,
    pub area_type: String,
    pub industry_title: String,
    pub industry_level: i64,
    pub occupations: i64,
    /// JSON array of occupation rows (the engine's format).
    pub body: String,
}

/// An OEWS table without its body.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OewsTableInfo {
    pub area_code: String,
    pub industry_code: String,
    pub area_title: String,
    pub area_type: String,
    pub industry_title: String,
    pub industry_level: i64,
    pub occupations: i64,
    pub dataset_id: i64,
}

/// A fact about one occupation from one source.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OccFactDb {
    pub soc_code: String,
    pub title: String,
    /// JSON document (the engine's format).
    pub body: String,
}

/// What an import brings.
#[derive(Debug, Clone)]
pub enum OccImport {
    Oews(Vec<OewsTableDb>),
    /// Facts of one kind (`ep`, `onet`).
    Facts(Vec<OccFactDb>),
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct OccImported {
    pub dataset: OccDataset,
    /// False when a file with the same SHA-256 was already imported (nothing changed).
    pub new: bool,
    /// Tables or facts of earlier files this one replaced.
    pub replaced: i64,
}

/// One living-wage entry.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LivingWageDb {
    pub county_fips: String,
    pub family_type: String,
    pub hourly: f64,
    pub vintage: String,
    pub source: String,
}

impl Store {
    /// Imports an occupation reference file atomically.
    pub async fn import_occ_dataset(
        &self,
        kind: &str,
        file_name: &str,
        sha256: &str,
        source: &str,
        rows_read: i64,
        data: &OccImport,
    ) -> Result<OccImported> {
        let existing = on_pool!(self, |pool| {
            sqlx::query_as::<_, OccDataset>("SELECT * FROM occ_datasets WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(pool)
                .await?
        });
        if let Some(dataset) = existing {
            return Ok(OccImported {
                dataset,
                new: false,
                replaced: 0,
            });
        }
        let items = match data {
            OccImport::Oews(t) => t.len(),
            OccImport::Facts(f) => f.len(),
        } as i64;
        let now = crate::now_unix();
        let (dataset, replaced) = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let dataset = sqlx::query_as::<_, OccDataset>(
                "INSERT INTO occ_datasets (kind, file_name, sha256, rows_read, items, source, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
            )
            .bind(kind)
            .bind(file_name)
            .bind(sha256)
            .bind(rows_read)
            .bind(items)
            .bind(source)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(crate::error::unique_as("a file with this SHA-256"))?;
            let mut replaced = 0i64;
            match data {
                OccImport::Oews(tables) => {
                    for t in tables {
                        let old: Option<i64> = sqlx::query_scalar(
                            "SELECT dataset_id FROM oews_tables WHERE area_code = $1 AND industry_code = $2",
                        )
                        .bind(&t.area_code)
                        .bind(&t.industry_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                        replaced += i64::from(old.is_some());
                        sqlx::query(
                            "INSERT INTO oews_tables (area_code, industry_code, dataset_id, area_title,
                                 area_type, industry_title, industry_level, occupations, body)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                             ON CONFLICT (area_code, industry_code) DO UPDATE SET
                                 dataset_id = excluded.dataset_id, area_title = excluded.area_title,
                                 area_type = excluded.area_type,
                                 industry_title = excluded.industry_title,
                                 industry_level = excluded.industry_level,
                                 occupations = excluded.occupations, body = excluded.body",
                        )
                        .bind(&t.area_code)
                        .bind(&t.industry_code)
                        .bind(dataset.id)
                        .bind(&t.area_title)
                        .bind(&t.area_type)
                        .bind(&t.industry_title)
                        .bind(t.industry_level)
                        .bind(t.occupations)
                        .bind(&t.body)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                OccImport::Facts(facts) => {
                    for f in facts {
                        let old: Option<i64> = sqlx::query_scalar(
                            "SELECT dataset_id FROM occ_facts WHERE kind = $1 AND soc_code = $2",
                        )
                        .bind(kind)
                        .bind(&f.soc_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                        replaced += i64::from(old.is_some());
                        sqlx::query(
                            "INSERT INTO occ_facts (kind, soc_code, dataset_id, title, body)
                             VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (kind, soc_code) DO UPDATE SET
                                 dataset_id = excluded.dataset_id, title = excluded.title,
                                 body = excluded.body",
                        )
                        .bind(kind)
                        .bind(&f.soc_code)
                        .bind(dataset.id)
                        .bind(&f.title)
                        .bind(&f.body)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            tx.commit().await?;
            (dataset, replaced)
        });
        Ok(OccImported {
            dataset,
            new: true,
            replaced,
        })
    }

    /// Every imported occupation reference file, newest first.
    pub async fn occ_datasets(&self) -> Result<Vec<OccDataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, OccDataset>("SELECT * FROM occ_datasets ORDER BY id DESC")
                .fetch_all(pool)
                .await?
        }))
    }

    /// One OEWS table.
    pub async fn oews_table(
        &self,
        area_code: &str,
        industry_code: &str,
    ) -> Result<Option<OewsTableDb>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, OewsTableDb>(
                "SELECT area_code, industry_code, area_title, area_type, industry_title,
                        industry_level, occupations, body
                 FROM oews_tables WHERE area_code = $1 AND industry_code = $2",
            )
            .bind(area_code)
            .bind(industry_code)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The tables of one area (`0000000` for the nation's industries), without bodies.
    pub async fn oews_tables_of_area(&self, area_code: &str) -> Result<Vec<OewsTableInfo>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, OewsTableInfo>(
                "SELECT area_code, industry_code, area_title, area_type, industry_title,
                        industry_level, occupations, dataset_id
                 FROM oews_tables WHERE area_code = $1 ORDER BY industry_code",
            )
            .bind(area_code)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The cross-industry table of every area (`industry_code = '000000'`), without bodies.
    pub async fn oews_areas(&self) -> Result<Vec<OewsTableInfo>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, OewsTableInfo>(
                "SELECT area_code, industry_code, area_title, area_type, industry_title,
                        industry_level, occupations, dataset_id
                 FROM oews_tables WHERE industry_code = '000000' ORDER BY area_code",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every fact of one kind (`ep`, `onet`), by SOC code.
    pub async fn occ_facts(&self, kind: &str) -> Result<Vec<OccFactDb>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, OccFactDb>(
                "SELECT soc_code, title, body FROM occ_facts WHERE kind = $1 ORDER BY soc_code",
            )
            .bind(kind)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the partnership's living-wage table (atomically).
    pub async fn replace_living_wages(
        &self,
        partnership: PartnershipId,
        rows: &[LivingWageDb],
    ) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM living_wages WHERE partnership_id = $1")
                .bind(partnership)
                .execute(&mut *tx)
                .await?;
            for chunk in rows.chunks(1000) {
                let mut b = sqlx::QueryBuilder::new(
                    "INSERT INTO living_wages (partnership_id, county_fips, family_type, hourly, \
                     vintage, source) ",
                );
                b.push_values(chunk, |mut b, r| {
                    b.push_bind(partnership)
                        .push_bind(r.county_fips.clone())
                        .push_bind(r.family_type.clone())
                        .push_bind(r.hourly)
                        .push_bind(r.vintage.clone())
                        .push_bind(r.source.clone());
                });
                b.build()
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::error::unique_as(
                        "two living wages for the same county and family type",
                    ))?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The partnership's living-wage table.
    pub async fn living_wages(&self, partnership: PartnershipId) -> Result<Vec<LivingWageDb>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LivingWageDb>(
                "SELECT county_fips, family_type, hourly, vintage, source FROM living_wages
                 WHERE partnership_id = $1 ORDER BY county_fips, family_type",
            )
            .bind(partnership)
            .fetch_all(pool)
            .await?
        }))
    }
}
