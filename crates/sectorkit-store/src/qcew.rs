//! BLS QCEW reference data: datasets (one per imported file) and their rows.
//!
//! QCEW is public data, identical for every partnership, so it is stored once and shared; it is
//! not a tenant record. An import is atomic: rows stream in batches into one transaction that
//! commits only when the whole file was read without error. Re-importing a file with the same
//! SHA-256 is a no-op. A row whose BLS key was already stored (another vintage of the same
//! cell) is replaced and counted in `rows_replaced`.
//!
//! Values are `Option`s: `None` means unknown (suppressed or not published), never zero.

use crate::{Backend, Result, Store, StoreError, on_pool};
use sqlx::QueryBuilder;
use tokio::sync::mpsc::Receiver;

/// A dataset's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct DatasetId(pub i64);

/// An imported QCEW file.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Dataset {
    pub id: DatasetId,
    pub file_name: String,
    pub sha256: String,
    pub layout: String,
    pub periods: String,
    pub rows_read: i64,
    pub suppressed_rows: i64,
    pub rows_replaced: i64,
    pub bytes: i64,
    pub source: String,
    pub imported_at: i64,
}

/// What is known about a file before its rows are read.
#[derive(Debug, Clone)]
pub struct NewDataset {
    pub file_name: String,
    pub bytes: i64,
    pub source: String,
}

/// What is known after reading it.
#[derive(Debug, Clone, Default)]
pub struct DatasetSummary {
    /// SHA-256 of the file as stored, computed while it was read.
    pub sha256: String,
    pub layout: String,
    pub periods: Vec<String>,
    pub rows_read: i64,
    pub suppressed_rows: i64,
}

/// One QCEW cell as stored. Codes are text or small integers exactly as BLS publishes them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct QcewDbRow {
    pub year: i64,
    /// 0 for an annual average, 1..=4 for a quarter.
    pub qtr: i64,
    pub area_fips: String,
    pub own_code: i64,
    pub industry_code: String,
    pub agglvl_code: i64,
    pub size_code: i64,
    pub disclosed: bool,
    pub estabs: Option<i64>,
    pub employment: Option<i64>,
    pub month1_emp: Option<i64>,
    pub month2_emp: Option<i64>,
    pub total_wages: Option<i64>,
    pub avg_weekly_wage: Option<i64>,
    pub avg_annual_pay: Option<i64>,
    pub lq_disclosed: bool,
    pub lq_employment: Option<f64>,
    pub lq_total_wages: Option<f64>,
    pub lq_estabs: Option<f64>,
    pub oty_disclosed: bool,
    pub oty_employment_chg: Option<i64>,
    pub oty_employment_pct_chg: Option<f64>,
    pub oty_total_wages_chg: Option<i64>,
    pub oty_total_wages_pct_chg: Option<f64>,
    pub oty_estabs_chg: Option<i64>,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    /// The file was stored as a new dataset.
    Imported(Dataset),
    /// A file with the same SHA-256 was imported before; nothing changed.
    AlreadyImported(Dataset),
}

/// A query for QCEW rows: one period, some areas, some ownerships, and the aggregation levels
/// wanted (the caller adds the total-covered levels it needs for location quotients).
#[derive(Debug, Clone)]
pub struct QcewQuery<'a> {
    pub year: i64,
    pub qtr: i64,
    pub areas: &'a [String],
    pub own_codes: &'a [i64],
    pub agglvl_codes: &'a [i64],
}

const COLUMNS: &str = "year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code, \
    dataset_id, disclosed, estabs, employment, month1_emp, month2_emp, total_wages, \
    avg_weekly_wage, avg_annual_pay, lq_disclosed, lq_employment, lq_total_wages, lq_estabs, \
    oty_disclosed, oty_employment_chg, oty_employment_pct_chg, oty_total_wages_chg, \
    oty_total_wages_pct_chg, oty_estabs_chg";

const UPSERT_TAIL: &str = " ON CONFLICT (year, qtr, area_fips, own_code, industry_code, \
    agglvl_code, size_code) DO UPDATE SET dataset_id = excluded.dataset_id, \
    disclosed = excluded.disclosed, estabs = excluded.estabs, employment = excluded.employment, \
    month1_emp = excluded.month1_emp, month2_emp = excluded.month2_emp, \
    total_wages = excluded.total_wages, avg_weekly_wage = excluded.avg_weekly_wage, \
    avg_annual_pay = excluded.avg_annual_pay, lq_disclosed = excluded.lq_disclosed, \
    lq_employment = excluded.lq_employment, lq_total_wages = excluded.lq_total_wages, \
    lq_estabs = excluded.lq_estabs, oty_disclosed = excluded.oty_disclosed, \
    oty_employment_chg = excluded.oty_employment_chg, \
    oty_employment_pct_chg = excluded.oty_employment_pct_chg, \
    oty_total_wages_chg = excluded.oty_total_wages_chg, \
    oty_total_wages_pct_chg = excluded.oty_total_wages_pct_chg, \
    oty_estabs_chg = excluded.oty_estabs_chg";

/// Rows per INSERT statement (26 parameters each; SQLite allows 32,766).
pub const BATCH_ROWS: usize = 1000;

macro_rules! push_row {
    ($b:expr, $r:expr, $ds:expr) => {{
        let r = $r;
        $b.push_bind(r.year)
            .push_bind(r.qtr)
            .push_bind(r.area_fips.clone())
            .push_bind(r.own_code)
            .push_bind(r.industry_code.clone())
            .push_bind(r.agglvl_code)
            .push_bind(r.size_code)
            .push_bind($ds)
            .push_bind(r.disclosed)
            .push_bind(r.estabs)
            .push_bind(r.employment)
            .push_bind(r.month1_emp)
            .push_bind(r.month2_emp)
            .push_bind(r.total_wages)
            .push_bind(r.avg_weekly_wage)
            .push_bind(r.avg_annual_pay)
            .push_bind(r.lq_disclosed)
            .push_bind(r.lq_employment)
            .push_bind(r.lq_total_wages)
            .push_bind(r.lq_estabs)
            .push_bind(r.oty_disclosed)
            .push_bind(r.oty_employment_chg)
            .push_bind(r.oty_employment_pct_chg)
            .push_bind(r.oty_total_wages_chg)
            .push_bind(r.oty_total_wages_pct_chg)
            .push_bind(r.oty_estabs_chg);
    }};
}

impl Store {
    pub async fn dataset_by_sha256(&self, sha256: &str) -> Result<Option<Dataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Dataset>("SELECT * FROM qcew_datasets WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// All datasets, newest first.
    pub async fn datasets(&self) -> Result<Vec<Dataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Dataset>(
                "SELECT * FROM qcew_datasets ORDER BY imported_at DESC, id DESC",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Datasets imported from a file of this name and size (candidates for a re-import, to be
    /// confirmed by SHA-256).
    pub async fn datasets_like(&self, file_name: &str, bytes: i64) -> Result<Vec<Dataset>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Dataset>(
                "SELECT * FROM qcew_datasets WHERE file_name = $1 AND bytes = $2",
            )
            .bind(file_name)
            .bind(bytes)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Imports a QCEW file atomically, in one pass. Rows arrive in batches on `rows`; the reader
    /// then sends the summary (with the file's SHA-256), or `Err(message)` when the file is bad,
    /// and then nothing is kept. When a dataset with the same SHA-256 already exists the whole
    /// transaction is rolled back and the existing dataset returned: re-importing is a no-op.
    /// (Callers can skip the read entirely by checking [`Store::datasets_like`] and the hash
    /// first.)
    pub async fn import_qcew(
        &self,
        meta: NewDataset,
        mut rows: Receiver<Vec<QcewDbRow>>,
        summary: tokio::sync::oneshot::Receiver<std::result::Result<DatasetSummary, String>>,
    ) -> Result<ImportOutcome> {
        let now = crate::now_unix();
        let pending = format!(
            "pending:{}:{}",
            meta.file_name,
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO qcew_datasets
                   (file_name, sha256, layout, periods, rows_read, suppressed_rows, bytes, source, imported_at)
                 VALUES ($1, $2, '', '', 0, 0, $3, $4, $5) RETURNING id",
            )
            .bind(&meta.file_name)
            .bind(&pending)
            .bind(meta.bytes)
            .bind(&meta.source)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(crate::error::unique_as("a dataset with this file's SHA-256"))?;
            let count = "SELECT COUNT(*) FROM qcew_rows";
            let before: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await?;
            let mut written: i64 = 0;
            while let Some(batch) = rows.recv().await {
                for chunk in batch.chunks(BATCH_ROWS) {
                    let mut b = QueryBuilder::new(format!("INSERT INTO qcew_rows ({COLUMNS}) "));
                    b.push_values(chunk, |mut b, r| push_row!(b, r, id));
                    b.push(UPSERT_TAIL);
                    b.build().execute(&mut *tx).await?;
                    written += chunk.len() as i64;
                }
            }
            let after: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await?;
            // Rows that landed on an existing key replaced an earlier vintage of that cell.
            let replaced = written - (after - before);
            let summary = match summary.await {
                Ok(Ok(s)) => s,
                Ok(Err(message)) => return Err(StoreError::Import(message)),
                Err(_) => {
                    return Err(StoreError::Import(
                        "the reader stopped before the end of the file".into(),
                    ));
                }
            };
            let existing =
                sqlx::query_as::<_, Dataset>("SELECT * FROM qcew_datasets WHERE sha256 = $1")
                    .bind(&summary.sha256)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(existing) = existing {
                tx.rollback().await?;
                return Ok(ImportOutcome::AlreadyImported(existing));
            }
            sqlx::query(
                "UPDATE qcew_datasets SET sha256 = $7, layout = $1, periods = $2, rows_read = $3,
                   suppressed_rows = $4, rows_replaced = $5 WHERE id = $6",
            )
            .bind(&summary.layout)
            .bind(summary.periods.join(","))
            .bind(summary.rows_read)
            .bind(summary.suppressed_rows)
            .bind(replaced)
            .bind(id)
            .bind(&summary.sha256)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        });
        let ds = on_pool!(self, |pool| {
            sqlx::query_as::<_, Dataset>("SELECT * FROM qcew_datasets WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        Ok(ImportOutcome::Imported(ds))
    }

    /// Rows of one period for some areas, ownerships and aggregation levels.
    pub async fn qcew_rows(&self, q: &QcewQuery<'_>) -> Result<Vec<QcewDbRow>> {
        if q.areas.is_empty() || q.own_codes.is_empty() || q.agglvl_codes.is_empty() {
            return Ok(Vec::new());
        }
        let select = "SELECT year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code, \
             disclosed, estabs, employment, month1_emp, month2_emp, total_wages, avg_weekly_wage, \
             avg_annual_pay, lq_disclosed, lq_employment, lq_total_wages, lq_estabs, oty_disclosed, \
             oty_employment_chg, oty_employment_pct_chg, oty_total_wages_chg, \
             oty_total_wages_pct_chg, oty_estabs_chg FROM qcew_rows WHERE year = ";
        Ok(on_pool!(self, |pool| {
            let mut b = QueryBuilder::new(select);
            b.push_bind(q.year);
            b.push(" AND qtr = ").push_bind(q.qtr);
            b.push(" AND size_code = 0 AND area_fips IN (");
            let mut sep = b.separated(", ");
            for a in q.areas {
                sep.push_bind(a.clone());
            }
            b.push(") AND own_code IN (");
            let mut sep = b.separated(", ");
            for o in q.own_codes {
                sep.push_bind(*o);
            }
            b.push(") AND agglvl_code IN (");
            let mut sep = b.separated(", ");
            for l in q.agglvl_codes {
                sep.push_bind(*l);
            }
            b.push(")");
            b.build_query_as::<QcewDbRow>().fetch_all(pool).await?
        }))
    }

    /// The distinct periods stored, newest first, as (year, qtr).
    pub async fn qcew_periods(&self) -> Result<Vec<(i64, i64)>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, (i64, i64)>(
                "SELECT DISTINCT year, qtr FROM qcew_rows ORDER BY year DESC, qtr DESC",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The distinct area codes with rows in one period, sorted (for exports that walk the whole
    /// store area by area through [`Store::qcew_rows`]).
    pub async fn qcew_areas(&self, year: i64, qtr: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT DISTINCT area_fips FROM qcew_rows WHERE year = $1 AND qtr = $2 \
                 ORDER BY area_fips",
            )
            .bind(year)
            .bind(qtr)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The distinct periods with rows for any of these areas, newest first, with how many of the
    /// areas have all-industry total (own 0, industry 10) rows in that period: `(year, qtr, areas)`.
    pub async fn qcew_periods_for(&self, areas: &[String]) -> Result<Vec<(i64, i64, i64)>> {
        if areas.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, |pool| {
            let mut b = QueryBuilder::new(
                "SELECT year, qtr, COUNT(DISTINCT CASE WHEN own_code = 0 AND industry_code = '10' \
                 THEN area_fips END) FROM qcew_rows WHERE area_fips IN (",
            );
            let mut sep = b.separated(", ");
            for a in areas {
                sep.push_bind(a.clone());
            }
            b.push(") GROUP BY year, qtr ORDER BY year DESC, qtr DESC");
            b.build_query_as::<(i64, i64, i64)>()
                .fetch_all(pool)
                .await?
        }))
    }

    /// Which backend-specific path an import takes (for messages and benchmarks).
    pub fn import_path(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite multi-row upsert",
            Backend::Postgres(_) => "postgres multi-row upsert",
        }
    }
}
