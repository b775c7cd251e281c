//! Exports of sectorkit's stored data for other tools.
//!
//! [`export_parquet`] writes the imported QCEW cells as a Hive-partitioned Parquet dataset,
//! `DIR/year=2020/area_type=county/part-0.parquet`, readable by DuckDB, Spark, polars and pandas.
//! The schema is [`schema`] and is documented in `docs/parquet.md`: codes are strings exactly as
//! BLS publishes them, a suppressed value is NULL (never 0) with `disclosed = false`, and `qtr`
//! is 0 for an annual average. `year` and `area_type` are the partition columns (directory
//! names), not columns inside the files.
//!
//! The store is read through its public API only (periods → areas of a period → rows of a few
//! areas at a time), so memory stays bounded: at most one batch of areas plus one open row group
//! per area type. Output is atomic: everything is written to a hidden sibling folder that is
//! renamed to `DIR` only after the last file was closed and synced; on any error it is removed.

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sectorkit_core::codes::{AreaFips, AreaKind};
use sectorkit_store::{QcewDbRow, QcewQuery, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The `area_type` partition values, in the order of [`AreaKind`].
pub const AREA_TYPES: [&str; 6] = ["nation", "state", "msa", "csa", "county", "other"];

/// Rows per Parquet row group unless told otherwise (bounds the writer's memory per file).
pub const DEFAULT_ROW_GROUP_ROWS: usize = 65_536;

/// Areas read from the store per query.
const AREAS_PER_QUERY: usize = 32;

/// The `area_type` partition of an area code, from [`AreaFips::kind`]; a code that is not a
/// valid area code is `other`.
pub fn area_type(area_fips: &str) -> &'static str {
    match area_fips.parse::<AreaFips>().map(|a| a.kind()) {
        Ok(AreaKind::Nation) => "nation",
        Ok(AreaKind::State) => "state",
        Ok(AreaKind::Msa) => "msa",
        Ok(AreaKind::Csa) => "csa",
        Ok(AreaKind::County) => "county",
        Ok(AreaKind::Other) | Err(_) => "other",
    }
}

/// The columns of every file (the partition columns `year` and `area_type` are not in the files).
pub fn schema() -> SchemaRef {
    let int = |n: &str| Field::new(n, DataType::Int64, true);
    let float = |n: &str| Field::new(n, DataType::Float64, true);
    let text = |n: &str| Field::new(n, DataType::Utf8, false);
    let flag = |n: &str| Field::new(n, DataType::Boolean, false);
    Arc::new(Schema::new(vec![
        Field::new("qtr", DataType::Int32, false),
        text("area_fips"),
        text("own_code"),
        text("industry_code"),
        text("agglvl_code"),
        flag("disclosed"),
        int("estabs"),
        int("employment"),
        int("month1_emp"),
        int("month2_emp"),
        int("total_wages"),
        int("avg_weekly_wage"),
        int("avg_annual_pay"),
        flag("lq_disclosed"),
        float("lq_employment"),
        float("lq_total_wages"),
        float("lq_estabs"),
        flag("oty_disclosed"),
        int("oty_employment_chg"),
        float("oty_employment_pct_chg"),
        int("oty_total_wages_chg"),
        float("oty_total_wages_pct_chg"),
        int("oty_estabs_chg"),
    ]))
}

/// What went wrong; each message names the path or the argument at fault.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0} already exists; choose another folder or pass --replace")]
    Exists(PathBuf),
    #[error("nothing to export: {0}")]
    Empty(String),
    #[error("{0:?} is not an area code: {1}")]
    BadArea(String, String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the Parquet file {path}: {source}")]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },
    #[error("cannot read the QCEW data: {0}")]
    Store(#[from] StoreError),
}

type Result<T> = std::result::Result<T, ExportError>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ParquetOptions {
    /// The dataset folder to create.
    pub out: PathBuf,
    /// Only these years (all when `None`).
    pub years: Option<Vec<i64>>,
    /// Only these area codes (all when `None`).
    pub areas: Option<Vec<String>>,
    /// Rows per row group.
    pub row_group_rows: usize,
    /// Replace `out` when it exists (the old folder is removed only after the new one is in
    /// place).
    pub replace: bool,
}

impl ParquetOptions {
    pub fn new(out: impl Into<PathBuf>) -> ParquetOptions {
        ParquetOptions {
            out: out.into(),
            years: None,
            areas: None,
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            replace: false,
        }
    }
}

/// One file written.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    /// Relative to the dataset folder, e.g. `year=2020/area_type=county/part-0.parquet`.
    pub path: String,
    pub rows: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSummary {
    pub out: PathBuf,
    pub rows: u64,
    pub files: Vec<FileSummary>,
    /// `(year, qtr)` exported, oldest first.
    pub periods: Vec<(i64, i64)>,
    /// Distinct areas exported.
    pub areas: usize,
    /// Requested areas without any row in the exported periods.
    pub missing_areas: Vec<String>,
}

/// One open `part-0.parquet`.
pub struct PartWriter {
    path: PathBuf,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl PartWriter {
    /// Creates the file (Snappy-compressed, row groups of `row_group_rows`).
    pub fn create(path: &Path, row_group_rows: usize) -> Result<PartWriter> {
        let file = File::create(path).map_err(io(path))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_size(row_group_rows.max(1))
            .set_created_by(format!("sectorkit {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(file, schema(), Some(props)).map_err(|source| {
            ExportError::Parquet {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(PartWriter {
            path: path.to_path_buf(),
            writer,
            rows: 0,
        })
    }

    /// Appends rows (the writer flushes a row group whenever it holds `row_group_rows`).
    pub fn write(&mut self, rows: &[&QcewDbRow]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let batch = arrow_array::RecordBatch::try_new(schema(), columns(rows)).map_err(|e| {
            ExportError::Parquet {
                path: self.path.clone(),
                source: e.into(),
            }
        })?;
        self.writer
            .write(&batch)
            .map_err(|source| ExportError::Parquet {
                path: self.path.clone(),
                source,
            })?;
        self.rows += rows.len() as u64;
        Ok(())
    }

    /// Writes the footer and syncs the file to disk; returns the rows written.
    pub fn finish(self) -> Result<u64> {
        let file = self
            .writer
            .into_inner()
            .map_err(|source| ExportError::Parquet {
                path: self.path.clone(),
                source,
            })?;
        file.sync_all().map_err(io(&self.path))?;
        Ok(self.rows)
    }
}

fn columns(rows: &[&QcewDbRow]) -> Vec<ArrayRef> {
    fn ints(rows: &[&QcewDbRow], f: impl Fn(&QcewDbRow) -> Option<i64>) -> ArrayRef {
        Arc::new(rows.iter().map(|r| f(r)).collect::<Int64Array>())
    }
    fn floats(rows: &[&QcewDbRow], f: impl Fn(&QcewDbRow) -> Option<f64>) -> ArrayRef {
        Arc::new(rows.iter().map(|r| f(r)).collect::<Float64Array>())
    }
    fn texts(rows: &[&QcewDbRow], f: impl Fn(&QcewDbRow) -> String) -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<StringArray>())
    }
    fn flags(rows: &[&QcewDbRow], f: impl Fn(&QcewDbRow) -> bool) -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<BooleanArray>())
    }
    vec![
        Arc::new(
            rows.iter()
                .map(|r| Some(r.qtr as i32))
                .collect::<Int32Array>(),
        ),
        texts(rows, |r| r.area_fips.clone()),
        texts(rows, |r| r.own_code.to_string()),
        texts(rows, |r| r.industry_code.clone()),
        texts(rows, |r| r.agglvl_code.to_string()),
        flags(rows, |r| r.disclosed),
        ints(rows, |r| r.estabs),
        ints(rows, |r| r.employment),
        ints(rows, |r| r.month1_emp),
        ints(rows, |r| r.month2_emp),
        ints(rows, |r| r.total_wages),
        ints(rows, |r| r.avg_weekly_wage),
        ints(rows, |r| r.avg_annual_pay),
        flags(rows, |r| r.lq_disclosed),
        floats(rows, |r| r.lq_employment),
        floats(rows, |r| r.lq_total_wages),
        floats(rows, |r| r.lq_estabs),
        flags(rows, |r| r.oty_disclosed),
        ints(rows, |r| r.oty_employment_chg),
        floats(rows, |r| r.oty_employment_pct_chg),
        ints(rows, |r| r.oty_total_wages_chg),
        floats(rows, |r| r.oty_total_wages_pct_chg),
        ints(rows, |r| r.oty_estabs_chg),
    ]
}

/// Writes the stored QCEW cells (establishment size class 0, i.e. all sizes) as a partitioned
/// Parquet dataset at `opts.out`, atomically.
pub async fn export_parquet(store: &Store, opts: &ParquetOptions) -> Result<ExportSummary> {
    let out = &opts.out;
    if out.exists() && !opts.replace {
        return Err(ExportError::Exists(out.clone()));
    }
    if let Some(areas) = &opts.areas {
        for a in areas {
            a.parse::<AreaFips>()
                .map_err(|e| ExportError::BadArea(a.clone(), e.to_string()))?;
        }
    }
    let name = out
        .file_name()
        .ok_or_else(|| ExportError::Io {
            path: out.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a folder name"),
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let tag = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let tmp = parent.join(format!(".{name}.partial-{tag}"));
    std::fs::create_dir(&tmp).map_err(io(&tmp))?;
    let written = match write_dataset(store, opts, &tmp).await {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    // Put the finished folder in place.
    let old = parent.join(format!(".{name}.old-{tag}"));
    let had_old = out.exists();
    let swap = (|| {
        if had_old {
            std::fs::rename(out, &old).map_err(io(out))?;
        }
        std::fs::rename(&tmp, out).map_err(io(out))
    })();
    if let Err(e) = swap {
        if had_old && !out.exists() {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(ExportSummary {
        out: out.clone(),
        ..written
    })
}

async fn write_dataset(store: &Store, opts: &ParquetOptions, dir: &Path) -> Result<ExportSummary> {
    let mut periods: Vec<(i64, i64)> = store.qcew_periods().await?;
    if periods.is_empty() {
        return Err(ExportError::Empty(
            "no QCEW data is imported (sectorkit qcew import FILE…)".into(),
        ));
    }
    let stored_years: BTreeSet<i64> = periods.iter().map(|p| p.0).collect();
    if let Some(years) = &opts.years {
        let missing: Vec<String> = years
            .iter()
            .filter(|y| !stored_years.contains(y))
            .map(|y| y.to_string())
            .collect();
        if !missing.is_empty() {
            let stored: Vec<String> = stored_years.iter().map(|y| y.to_string()).collect();
            return Err(ExportError::Empty(format!(
                "no QCEW data for {} (imported years: {})",
                missing.join(", "),
                stored.join(", ")
            )));
        }
        periods.retain(|p| years.contains(&p.0));
    }
    periods.sort();
    let wanted: Option<BTreeSet<&str>> = opts
        .areas
        .as_ref()
        .map(|a| a.iter().map(String::as_str).collect());
    let own_codes: Vec<i64> = (0..=9).collect();
    let agglvl_codes: Vec<i64> = (0..=99).collect();

    let mut files = Vec::new();
    let mut seen_areas: BTreeSet<String> = BTreeSet::new();
    let mut total = 0u64;
    let mut by_year: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &(y, q) in &periods {
        by_year.entry(y).or_default().push(q);
    }
    for (year, qtrs) in by_year {
        let mut writers: BTreeMap<&'static str, PartWriter> = BTreeMap::new();
        for qtr in qtrs {
            let mut areas = store.qcew_areas(year, qtr).await?;
            if let Some(w) = &wanted {
                areas.retain(|a| w.contains(a.as_str()));
            }
            for chunk in areas.chunks(AREAS_PER_QUERY) {
                let mut rows = store
                    .qcew_rows(&QcewQuery {
                        year,
                        qtr,
                        areas: chunk,
                        own_codes: &own_codes,
                        agglvl_codes: &agglvl_codes,
                    })
                    .await?;
                rows.sort_by(|a, b| {
                    (&a.area_fips, a.own_code, a.agglvl_code, &a.industry_code).cmp(&(
                        &b.area_fips,
                        b.own_code,
                        b.agglvl_code,
                        &b.industry_code,
                    ))
                });
                let mut parts: BTreeMap<&'static str, Vec<&QcewDbRow>> = BTreeMap::new();
                for r in &rows {
                    parts.entry(area_type(&r.area_fips)).or_default().push(r);
                }
                for (kind, part) in parts {
                    let w = match writers.entry(kind) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            let d = dir.join(format!("year={year}/area_type={kind}"));
                            std::fs::create_dir_all(&d).map_err(io(&d))?;
                            e.insert(PartWriter::create(
                                &d.join("part-0.parquet"),
                                opts.row_group_rows,
                            )?)
                        }
                    };
                    w.write(&part)?;
                }
                seen_areas.extend(chunk.iter().cloned());
            }
        }
        for (kind, w) in writers {
            let rows = w.finish()?;
            total += rows;
            files.push(FileSummary {
                path: format!("year={year}/area_type={kind}/part-0.parquet"),
                rows,
            });
        }
    }
    let missing_areas: Vec<String> = opts
        .areas
        .iter()
        .flatten()
        .filter(|a| !seen_areas.contains(*a))
        .cloned()
        .collect();
    if total == 0 {
        return Err(ExportError::Empty(match &opts.areas {
            Some(a) => format!("no QCEW rows for the areas {}", a.join(", ")),
            None => "no QCEW rows in the selected years".into(),
        }));
    }
    Ok(ExportSummary {
        out: dir.to_path_buf(),
        rows: total,
        files,
        periods,
        areas: seen_areas.len(),
        missing_areas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn area_types_follow_area_kind() {
        assert_eq!(area_type("US000"), "nation");
        assert_eq!(area_type("39000"), "state");
        assert_eq!(area_type("39049"), "county");
        assert_eq!(area_type("39999"), "other");
        assert_eq!(area_type("USMSA"), "other");
        assert_eq!(area_type("C1814"), "msa");
        assert_eq!(area_type("CS198"), "csa");
        assert_eq!(area_type("not a code"), "other");
        for t in AREA_TYPES {
            assert!(t.chars().all(|c| c.is_ascii_lowercase()));
        }
    }

    fn row(industry: &str, employment: Option<i64>) -> QcewDbRow {
        QcewDbRow {
            year: 2020,
            qtr: 1,
            area_fips: "39049".into(),
            own_code: 5,
            industry_code: industry.into(),
            agglvl_code: 75,
            size_code: 0,
            disclosed: employment.is_some(),
            estabs: Some(3),
            employment,
            month1_emp: employment,
            month2_emp: employment,
            total_wages: employment.map(|e| e * 1000),
            avg_weekly_wage: None,
            avg_annual_pay: None,
            lq_disclosed: false,
            lq_employment: None,
            lq_total_wages: None,
            lq_estabs: Some(1.25),
            oty_disclosed: false,
            oty_employment_chg: None,
            oty_employment_pct_chg: None,
            oty_total_wages_chg: None,
            oty_total_wages_pct_chg: None,
            oty_estabs_chg: None,
        }
    }

    /// Suppressed values come back as NULL, codes as text, in row groups of the asked size.
    #[test]
    fn a_part_file_round_trips_with_nulls_and_row_groups() {
        let dir = std::env::temp_dir().join(format!("sk-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("part-0.parquet");
        let rows = [row("311", Some(120)), row("312", None), row("313", Some(0))];
        let mut w = PartWriter::create(&path, 2).unwrap();
        w.write(&rows.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!(w.finish().unwrap(), 3);

        let b = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap()).unwrap();
        assert_eq!(b.metadata().num_row_groups(), 2);
        assert_eq!(b.schema().as_ref(), schema().as_ref());
        let batches: Vec<_> = b
            .build()
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        let mut employment = Vec::new();
        let mut codes = Vec::new();
        for b in &batches {
            let e = b
                .column_by_name("employment")
                .unwrap()
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap();
            employment.extend((0..e.len()).map(|i| (!e.is_null(i)).then(|| e.value(i))));
            let c = b
                .column_by_name("own_code")
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap();
            codes.extend((0..c.len()).map(|i| c.value(i).to_string()));
        }
        assert_eq!(employment, vec![Some(120), None, Some(0)]);
        assert_eq!(codes, vec!["5", "5", "5"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
