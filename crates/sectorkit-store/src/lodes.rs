//! LODES origin–destination data on both backends: one dataset per imported OD file (its
//! state, part, job type, year and totals) and its county-pair flows with the nine segment
//! columns, plus the county names of the crosswalks.
//!
//! Reference data shared by all partnerships. An import is one transaction: the dataset, all its
//! flows and the county names commit together or not at all. A file whose SHA-256 was imported
//! before is a no-op; a different file for a state/part/job type/year already held is refused.

use sqlx::QueryBuilder;

use crate::{Result, Store, StoreError, on_pool};

/// An imported LODES OD file.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LodesDataset {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    /// 2-digit FIPS code of the workplace state.
    pub state: String,
    /// `main` or `aux`.
    pub part: String,
    /// `JT00` … `JT05`.
    pub job_type: String,
    pub year: i64,
    /// 2010 (LODES 7) or 2020 (LODES 8).
    pub block_vintage: i64,
    pub rows_read: i64,
    /// Sum of S000 over the file.
    pub s000_total: i64,
    pub county_pairs: i64,
    pub source: String,
    pub imported_at: i64,
}

/// What to record about a new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLodesDataset {
    pub file_name: String,
    pub sha256: String,
    pub state: String,
    pub part: String,
    pub job_type: String,
    pub year: i64,
    pub block_vintage: i64,
    pub rows_read: i64,
    pub s000_total: i64,
    pub source: String,
}

/// Jobs of one county pair (S000 and SA01 … SI03).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LodesFlowRow {
    pub w_county: String,
    pub h_county: String,
    pub s000: i64,
    /// SA01, SA02, SA03, SE01, SE02, SE03, SI01, SI02, SI03.
    pub segments: [i64; 9],
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LodesImport {
    /// A new dataset.
    Imported(LodesDataset),
    /// The same file (SHA-256) was imported before; nothing changed.
    AlreadyImported(LodesDataset),
}

const FLOW_COLUMNS: &str =
    "w_county, h_county, s000, sa01, sa02, sa03, se01, se02, se03, si01, si02, si03";

fn flow_from_row<R>(r: &R) -> Result<LodesFlowRow>
where
    R: sqlx::Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let mut segments = [0i64; 9];
    for (i, c) in [
        "sa01", "sa02", "sa03", "se01", "se02", "se03", "si01", "si02", "si03",
    ]
    .into_iter()
    .enumerate()
    {
        segments[i] = r.try_get(c)?;
    }
    Ok(LodesFlowRow {
        w_county: r.try_get("w_county")?,
        h_county: r.try_get("h_county")?,
        s000: r.try_get("s000")?,
        segments,
    })
}

impl Store {
    /// The dataset imported from a file with this SHA-256, if any.
    pub async fn lodes_dataset_by_sha256(&self, sha256: &str) -> Result<Option<LodesDataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LodesDataset>("SELECT * FROM lodes_datasets WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Imports one OD file's county-pair flows (and the crosswalk's county names) atomically.
    pub async fn import_lodes(
        &self,
        ds: &NewLodesDataset,
        flows: &[LodesFlowRow],
        county_names: &[(String, String)],
    ) -> Result<LodesImport> {
        if let Some(d) = self.lodes_dataset_by_sha256(&ds.sha256).await? {
            return Ok(LodesImport::AlreadyImported(d));
        }
        let same_key = on_pool!(self, |pool| {
            sqlx::query_as::<_, LodesDataset>(
                "SELECT * FROM lodes_datasets
                 WHERE state = $1 AND part = $2 AND job_type = $3 AND year = $4",
            )
            .bind(&ds.state)
            .bind(&ds.part)
            .bind(&ds.job_type)
            .bind(ds.year)
            .fetch_optional(pool)
            .await?
        });
        if let Some(d) = same_key {
            return Err(StoreError::Import(format!(
                "{}: state {} {} {} {} is already held as dataset #{} ({}, sha256 {}…), a \
                 different file",
                ds.file_name,
                ds.state,
                ds.part,
                ds.job_type,
                ds.year,
                d.id,
                d.file_name,
                &d.sha256[..d.sha256.len().min(12)]
            )));
        }
        let s000_sum: i64 = flows.iter().map(|f| f.s000).sum();
        if s000_sum != ds.s000_total {
            return Err(StoreError::Import(format!(
                "{}: the county pairs hold {s000_sum} jobs, the file total is {}",
                ds.file_name, ds.s000_total
            )));
        }
        let now = crate::now_unix();
        let d = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let d = sqlx::query_as::<_, LodesDataset>(
                "INSERT INTO lodes_datasets (file_name, sha256, state, part, job_type, year,
                     block_vintage, rows_read, s000_total, county_pairs, source, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *",
            )
            .bind(&ds.file_name)
            .bind(&ds.sha256)
            .bind(&ds.state)
            .bind(&ds.part)
            .bind(&ds.job_type)
            .bind(ds.year)
            .bind(ds.block_vintage)
            .bind(ds.rows_read)
            .bind(ds.s000_total)
            .bind(flows.len() as i64)
            .bind(&ds.source)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(crate::error::unique_as(
                "a LODES file with this SHA-256 or state/part/job type/year",
            ))?;
            for chunk in flows.chunks(1000) {
                let mut b = QueryBuilder::new(format!(
                    "INSERT INTO lodes_flows (dataset_id, {FLOW_COLUMNS}) "
                ));
                b.push_values(chunk, |mut b, f| {
                    b.push_bind(d.id)
                        .push_bind(f.w_county.clone())
                        .push_bind(f.h_county.clone())
                        .push_bind(f.s000);
                    for s in f.segments {
                        b.push_bind(s);
                    }
                });
                b.build()
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::error::unique_as("a county pair twice in one file"))?;
            }
            for chunk in county_names.chunks(1000) {
                let mut b = QueryBuilder::new("INSERT INTO lodes_counties (county, name) ");
                b.push_values(chunk, |mut b, (c, n)| {
                    b.push_bind(c.clone()).push_bind(n.clone());
                });
                b.push(" ON CONFLICT (county) DO UPDATE SET name = excluded.name");
                b.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            d
        });
        Ok(LodesImport::Imported(d))
    }

    /// Every imported LODES dataset, by state, year, job type and part.
    pub async fn lodes_datasets(&self) -> Result<Vec<LodesDataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LodesDataset>(
                "SELECT * FROM lodes_datasets ORDER BY year, job_type, state, part, id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The flows of `year` and `job_type` that touch a county of `counties` (as workplace or as
    /// residence), one row per dataset and county pair.
    pub async fn lodes_flows_for(
        &self,
        counties: &[String],
        year: i64,
        job_type: &str,
    ) -> Result<Vec<LodesFlowRow>> {
        if counties.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, |pool| {
            let mut b = QueryBuilder::new(format!(
                "SELECT {FLOW_COLUMNS} FROM lodes_flows f
                 JOIN lodes_datasets d ON d.id = f.dataset_id
                 WHERE d.year = "
            ));
            b.push_bind(year);
            b.push(" AND d.job_type = ");
            b.push_bind(job_type.to_string());
            for (i, col) in ["f.w_county", "f.h_county"].into_iter().enumerate() {
                b.push(if i == 0 { " AND (" } else { " OR " });
                b.push(col).push(" IN (");
                let mut sep = b.separated(", ");
                for c in counties {
                    sep.push_bind(c.clone());
                }
                b.push(")");
            }
            b.push(") ORDER BY f.w_county, f.h_county");
            let rows = b.build().fetch_all(pool).await?;
            rows.iter().map(flow_from_row).collect()
        })
    }

    /// County names recorded from crosswalks, for the counties asked for.
    pub async fn lodes_county_names(&self, counties: &[String]) -> Result<Vec<(String, String)>> {
        if counties.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, |pool| {
            let mut b =
                QueryBuilder::new("SELECT county, name FROM lodes_counties WHERE county IN (");
            let mut sep = b.separated(", ");
            for c in counties {
                sep.push_bind(c.clone());
            }
            b.push(") ORDER BY county");
            b.build_query_as::<(String, String)>()
                .fetch_all(pool)
                .await?
        }))
    }
}
