//! `sectorkit export parquet`: the imported QCEW data as a partitioned Parquet dataset for
//! DuckDB, Spark, polars or pandas (see `docs/parquet.md`). The writing lives in
//! `sectorkit-parquet`; this module parses arguments and reports.

use anyhow::{Context, Result};
use sectorkit_parquet::{ParquetOptions, export_parquet};
use sectorkit_store::Store;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ParquetArgs {
    /// The dataset folder to create (year=YYYY/area_type=TYPE/part-0.parquet inside). Written
    /// to a hidden sibling folder first and renamed at the end.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only these years, comma-separated (default: every imported year).
    #[arg(long, value_name = "YEARS", value_delimiter = ',')]
    pub years: Vec<i64>,
    /// Only these area codes, comma-separated (US000, 39000, 39049, C1814, CS198…).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub areas: Vec<String>,
    /// Rows per Parquet row group (bounds memory per open file).
    #[arg(long, value_name = "N", default_value_t = sectorkit_parquet::DEFAULT_ROW_GROUP_ROWS)]
    pub row_group_rows: usize,
    /// Replace DIR if it exists (the old folder is removed only after the new one is in place).
    #[arg(long)]
    pub replace: bool,
}

pub async fn parquet_cmd(store: &Store, args: &ParquetArgs) -> Result<()> {
    let mut opts = ParquetOptions::new(&args.out);
    opts.years = (!args.years.is_empty()).then(|| args.years.clone());
    opts.areas = (!args.areas.is_empty()).then(|| {
        args.areas
            .iter()
            .map(|a| a.trim().to_ascii_uppercase())
            .filter(|a| !a.is_empty())
            .collect()
    });
    opts.row_group_rows = args.row_group_rows;
    opts.replace = args.replace;
    let s = export_parquet(store, &opts)
        .await
        .with_context(|| format!("Parquet export to {} failed", args.out.display()))?;
    for f in &s.files {
        println!("{:>10} rows  {}", f.rows, f.path);
    }
    let periods: Vec<String> = s
        .periods
        .iter()
        .map(|&(y, q)| {
            if q == 0 {
                format!("{y}")
            } else {
                format!("{y}Q{q}")
            }
        })
        .collect();
    println!(
        "Wrote {} rows of {} areas ({}) in {} files to {}",
        s.rows,
        s.areas,
        periods.join(", "),
        s.files.len(),
        s.out.display()
    );
    if !s.missing_areas.is_empty() {
        eprintln!(
            "warning: no rows for {} in the exported years",
            s.missing_areas.join(", ")
        );
    }
    Ok(())
}
