//! BLS QCEW reference data: datasets (one per imported file) and their cells, stored as compact
//! per-(area, year, quarter) chunks.
//!
//! QCEW is public data, identical for every partnership, so it is stored once and shared; it is
//! not a tenant record. An import is atomic: rows stream into one transaction that commits only
//! when the whole file was read without error. Re-importing a file with the same SHA-256 is a
//! no-op. A row whose BLS key was already stored (another vintage of the same cell) is replaced
//! and counted in `rows_replaced`.
//!
//! # Storage: one chunk per (year, qtr, area_fips)
//!
//! Table `qcew_chunks` holds one row per area and period; its `data` column is every cell of that
//! area and period in the encoding of [`crate::chunk`] (sorted by BLS key, one byte of version
//! first). Decision (issue #4): a national annual singlefile has 3.5 M cells; one SQL row per
//! cell made the import spend most of its time inserting into a 7-column primary-key B-tree
//! (about 15 s, SQLite), while every query reads whole areas of one period anyway (a region's
//! counties plus the nation). As ~3,500 blobs the same file inserts in a fraction of a second
//! and the database is less than half the size. The costs: a query decodes whole area chunks
//! (a county is ~1,000 cells, microseconds) and filters ownership, level and size in Rust, and a
//! newer vintage of a cell means decode, merge by key, re-encode of its area's chunk.
//!
//! Import: rows arrive in batches; rows of consecutive equal (year, qtr, area) gather in memory
//! and are written as one chunk (`INSERT … ON CONFLICT DO NOTHING`). When the chunk exists
//! already (an earlier vintage, or an unsorted file returning to an area) it is read, merged by
//! BLS key with the new rows winning, counted, and rewritten. The rows held at once are bounded
//! (`FLUSH_ROWS`, plus the area being read). Encoding runs on the importing task, so with the
//! reader thread parsing and SQLite's own worker thread writing, the work spreads over cores.
//!
//! Values are `Option`s: `None` means unknown (suppressed or not published), never zero; the
//! encoding keeps `None` distinct from 0.

use crate::chunk::{
    ChunkError, ChunkRow, decode_chunk, encode_chunk, has_total, sort_dedup_last_wins,
};
use crate::{Backend, Result, Store, StoreError, on_pool};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use tokio::sync::mpsc::Receiver;

/// Rows an import holds before writing the chunks it has gathered (bounded memory; a file
/// sorted by area writes each chunk once, an unsorted one merges into chunks already written).
const FLUSH_ROWS: usize = 50_000;

/// A chunk's key: (year, qtr, area_fips).
type ChunkKey = (i64, i64, String);

pub(crate) fn corrupt(e: ChunkError) -> StoreError {
    StoreError::Corrupt {
        column: "qcew_chunks.data",
        value: e.0,
    }
}

/// Gathers incoming rows into chunks. Rows of the current key go to `current` without hashing;
/// a key change parks them in `pending` (joining rows of that key seen earlier).
#[derive(Default)]
struct Grouper {
    current_key: Option<ChunkKey>,
    current: Vec<ChunkRow>,
    pending: HashMap<ChunkKey, Vec<ChunkRow>>,
    pending_rows: usize,
}

impl Grouper {
    fn push(&mut self, r: QcewDbRow, dataset_id: i64) {
        let same = matches!(&self.current_key,
            Some((y, q, a)) if *y == r.year && *q == r.qtr && *a == r.area_fips);
        if !same {
            self.park();
            let key = (r.year, r.qtr, r.area_fips.clone());
            self.current = self.pending.remove(&key).unwrap_or_default();
            self.pending_rows -= self.current.len();
            self.current_key = Some(key);
        }
        self.current.push(ChunkRow { row: r, dataset_id });
    }

    fn park(&mut self) {
        if let Some(key) = self.current_key.take() {
            let rows = std::mem::take(&mut self.current);
            if rows.is_empty() {
                return;
            }
            self.pending_rows += rows.len();
            match self.pending.entry(key) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().extend(rows),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(rows);
                }
            }
        }
    }

    /// The chunks to write now, in key order: all of them at the end of the file, otherwise
    /// the parked ones once the rows held reach [`FLUSH_ROWS`] (the current one too if it alone
    /// is that large).
    fn take_ready(&mut self, end: bool) -> Vec<(ChunkKey, Vec<ChunkRow>)> {
        if end || self.current.len() >= FLUSH_ROWS {
            let key = self.current_key.clone();
            self.park();
            if !end {
                // Later rows of this key start a new group, merged into the written chunk.
                self.current_key = key.clone();
                if let Some(k) = key {
                    let rows = self.pending.remove(&k).unwrap_or_default();
                    self.pending_rows -= rows.len();
                    let mut out = self.take_pending();
                    out.push((k, rows));
                    return out;
                }
            }
            return self.take_pending();
        }
        if self.pending_rows + self.current.len() >= FLUSH_ROWS {
            return self.take_pending();
        }
        Vec::new()
    }

    fn take_pending(&mut self) -> Vec<(ChunkKey, Vec<ChunkRow>)> {
        self.pending_rows = 0;
        let mut out: Vec<_> = self.pending.drain().collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

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

/// A row of the pre-0005 `qcew_rows` table.
#[derive(sqlx::FromRow)]
struct LegacyRow {
    #[sqlx(flatten)]
    row: QcewDbRow,
    dataset_id: i64,
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
            let mut grouper = Grouper::default();
            let mut replaced: i64 = 0;
            loop {
                let batch = rows.recv().await;
                let done = batch.is_none();
                for r in batch.into_iter().flatten() {
                    grouper.push(r, id);
                }
                for (key, mut crows) in grouper.take_ready(done) {
                    // Two rows of one key in this file: the later one wins, as before.
                    replaced += sort_dedup_last_wins(&mut crows);
                    let inserted = sqlx::query(
                        "INSERT INTO qcew_chunks (year, qtr, area_fips, dataset_id, n_rows, has_total, data)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (year, qtr, area_fips) DO NOTHING",
                    )
                    .bind(key.0)
                    .bind(key.1)
                    .bind(&key.2)
                    .bind(id)
                    .bind(crows.len() as i64)
                    .bind(has_total(&crows))
                    .bind(encode_chunk(&crows, id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if inserted == 0 {
                        // The chunk exists (an earlier vintage, or an earlier part of this
                        // file): merge by BLS key, the rows of this file winning.
                        let (old_ds, old): (i64, Vec<u8>) = sqlx::query_as(
                            "SELECT dataset_id, data FROM qcew_chunks
                             WHERE year = $1 AND qtr = $2 AND area_fips = $3",
                        )
                        .bind(key.0)
                        .bind(key.1)
                        .bind(&key.2)
                        .fetch_one(&mut *tx)
                        .await?;
                        let mut merged =
                            decode_chunk(key.0, key.1, &key.2, old_ds, &old, |_, _, _, _| true)
                                .map_err(corrupt)?;
                        merged.extend(crows);
                        replaced += sort_dedup_last_wins(&mut merged);
                        sqlx::query(
                            "UPDATE qcew_chunks SET dataset_id = $4, n_rows = $5, has_total = $6,
                               data = $7 WHERE year = $1 AND qtr = $2 AND area_fips = $3",
                        )
                        .bind(key.0)
                        .bind(key.1)
                        .bind(&key.2)
                        .bind(id)
                        .bind(merged.len() as i64)
                        .bind(has_total(&merged))
                        .bind(encode_chunk(&merged, id))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                if done {
                    break;
                }
            }
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

    /// Rows of one period for some areas, ownerships and aggregation levels (all sizes = size
    /// code 0), ordered by area then BLS key. The area chunks are read and decoded, and the
    /// ownership, level and size filters applied while decoding.
    pub async fn qcew_rows(&self, q: &QcewQuery<'_>) -> Result<Vec<QcewDbRow>> {
        self.qcew_rows_where(q, |_| true).await
    }

    /// [`Store::qcew_rows`] keeping only the industry codes `industry` accepts (asked while
    /// decoding, so a refused row is never built): a query that needs a few industries' branch
    /// of the hierarchy does not pay for the whole economy of every area.
    pub async fn qcew_rows_where(
        &self,
        q: &QcewQuery<'_>,
        industry: impl Fn(&str) -> bool,
    ) -> Result<Vec<QcewDbRow>> {
        if q.areas.is_empty() || q.own_codes.is_empty() || q.agglvl_codes.is_empty() {
            return Ok(Vec::new());
        }
        let chunks: Vec<(String, i64, Vec<u8>)> = on_pool!(self, |pool| {
            let mut b = QueryBuilder::new(
                "SELECT area_fips, dataset_id, data FROM qcew_chunks WHERE year = ",
            );
            b.push_bind(q.year);
            b.push(" AND qtr = ").push_bind(q.qtr);
            b.push(" AND area_fips IN (");
            let mut sep = b.separated(", ");
            for a in q.areas {
                sep.push_bind(a.clone());
            }
            b.push(") ORDER BY area_fips");
            b.build_query_as().fetch_all(pool).await?
        });
        let mut out = Vec::new();
        for (area, ds, data) in chunks {
            let rows = decode_chunk(
                q.year,
                q.qtr,
                &area,
                ds,
                &data,
                |own, code, agglvl, size| {
                    size == 0
                        && q.own_codes.contains(&own)
                        && q.agglvl_codes.contains(&agglvl)
                        && industry(code)
                },
            )
            .map_err(corrupt)?;
            out.extend(rows.into_iter().map(|r| r.row));
        }
        Ok(out)
    }

    /// The distinct periods stored, newest first, as (year, qtr).
    pub async fn qcew_periods(&self) -> Result<Vec<(i64, i64)>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, (i64, i64)>(
                "SELECT DISTINCT year, qtr FROM qcew_chunks ORDER BY year DESC, qtr DESC",
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
                "SELECT DISTINCT area_fips FROM qcew_chunks WHERE year = $1 AND qtr = $2 \
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
    /// (Each chunk is one area and period and records whether it holds that total.)
    pub async fn qcew_periods_for(&self, areas: &[String]) -> Result<Vec<(i64, i64, i64)>> {
        if areas.is_empty() {
            return Ok(Vec::new());
        }
        Ok(on_pool!(self, |pool| {
            let mut b = QueryBuilder::new(
                "SELECT year, qtr, COUNT(CASE WHEN has_total THEN 1 END) FROM qcew_chunks \
                 WHERE area_fips IN (",
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

    /// Converts the rows of the pre-0005 `qcew_rows` table, if it still exists, into chunks and
    /// drops it, in one transaction (run by [`Store::migrate`] after migration 0005; a failure
    /// rolls back and leaves the old table for the next attempt). Each (year, qtr, area) is read
    /// through the old primary key and encoded in turn, so memory holds one chunk. Every cell
    /// keeps its dataset id. Should a chunk of that key exist already, its (newer) cells win.
    /// Returns the number of rows converted.
    pub(crate) async fn convert_legacy_qcew_rows(&self) -> Result<i64> {
        let exists_sql = match self.backend {
            Backend::Sqlite(_) => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'qcew_rows'"
            }
            Backend::Postgres(_) => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'qcew_rows'"
            }
        };
        let exists: i64 = on_pool!(self, |pool| {
            sqlx::query_scalar(exists_sql).fetch_one(pool).await?
        });
        if exists == 0 {
            return Ok(0);
        }
        let converted = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let keys: Vec<(i64, i64, String)> = sqlx::query_as(
                "SELECT DISTINCT year, qtr, area_fips FROM qcew_rows ORDER BY year, qtr, area_fips",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut converted: i64 = 0;
            for (year, qtr, area) in keys {
                let legacy: Vec<LegacyRow> = sqlx::query_as(
                    "SELECT year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code, \
                     dataset_id, disclosed, estabs, employment, month1_emp, month2_emp, \
                     total_wages, avg_weekly_wage, avg_annual_pay, lq_disclosed, lq_employment, \
                     lq_total_wages, lq_estabs, oty_disclosed, oty_employment_chg, \
                     oty_employment_pct_chg, oty_total_wages_chg, oty_total_wages_pct_chg, \
                     oty_estabs_chg FROM qcew_rows WHERE year = $1 AND qtr = $2 AND area_fips = $3",
                )
                .bind(year)
                .bind(qtr)
                .bind(&area)
                .fetch_all(&mut *tx)
                .await?;
                converted += legacy.len() as i64;
                let mut rows: Vec<ChunkRow> = legacy
                    .into_iter()
                    .map(|l| ChunkRow {
                        row: l.row,
                        dataset_id: l.dataset_id,
                    })
                    .collect();
                let existing: Option<(i64, Vec<u8>)> = sqlx::query_as(
                    "SELECT dataset_id, data FROM qcew_chunks
                     WHERE year = $1 AND qtr = $2 AND area_fips = $3",
                )
                .bind(year)
                .bind(qtr)
                .bind(&area)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((ds, data)) = &existing {
                    // Legacy rows first, so the chunk's newer cells come last and win.
                    rows.extend(
                        decode_chunk(year, qtr, &area, *ds, data, |_, _, _, _| true)
                            .map_err(corrupt)?,
                    );
                }
                sort_dedup_last_wins(&mut rows);
                let Some(newest) = rows.iter().map(|r| r.dataset_id).max() else {
                    continue;
                };
                let data = encode_chunk(&rows, newest);
                sqlx::query(
                    "INSERT INTO qcew_chunks (year, qtr, area_fips, dataset_id, n_rows, has_total, data)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (year, qtr, area_fips) DO UPDATE SET dataset_id = excluded.dataset_id,
                       n_rows = excluded.n_rows, has_total = excluded.has_total, data = excluded.data",
                )
                .bind(year)
                .bind(qtr)
                .bind(&area)
                .bind(newest)
                .bind(rows.len() as i64)
                .bind(has_total(&rows))
                .bind(data)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("DROP TABLE qcew_rows")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            converted
        });
        if converted > 0 {
            tracing::info!(
                rows = converted,
                "converted the old qcew_rows table into chunks"
            );
        }
        Ok(converted)
    }

    /// Which backend-specific path an import takes (for messages and benchmarks).
    pub fn import_path(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite area chunks",
            Backend::Postgres(_) => "postgres area chunks",
        }
    }
}
