//! Importing official QCEW files into the store: streamed from a reader thread into one
//! transaction, atomic and idempotent (see `sectorkit_store::Store::import_qcew`).

use crate::convert::into_db_row;
use crate::{EngineError, Result, bail};
use sectorkit_data::qcew::{Progress, ReadOptions, read_path_mapped, read_reader_mapped};
use sectorkit_store::{DatasetSummary, ImportOutcome, NewDataset, QcewDbRow, Store, StoreError};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// Rows per batch sent from the reader thread to the importer.
const IMPORT_BATCH: usize = 5_000;
/// Default upper bound on rows per imported file (a national annual singlefile has ~3.6 M).
pub const DEFAULT_MAX_ROWS: u64 = 20_000_000;

/// A progress callback, called from the reader thread.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Where the bytes of an import come from.
pub enum ImportSource {
    Path(PathBuf),
    /// An in-memory file (embedded demo data, an upload): name and bytes.
    Bytes(String, Arc<[u8]>),
}

impl ImportSource {
    fn name(&self) -> String {
        match self {
            ImportSource::Path(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            ImportSource::Bytes(n, _) => n.clone(),
        }
    }

    fn len(&self) -> Result<u64> {
        Ok(match self {
            ImportSource::Path(p) => std::fs::metadata(p)
                .map_err(|e| EngineError::Io(format!("cannot read {}: {e}", p.display())))?
                .len(),
            ImportSource::Bytes(_, b) => b.len() as u64,
        })
    }

    fn sha256(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        match self {
            ImportSource::Path(p) => {
                let mut f = std::fs::File::open(p)
                    .map_err(|e| EngineError::Io(format!("cannot read {}: {e}", p.display())))?;
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let n = f.read(&mut buf).map_err(|e| {
                        EngineError::Io(format!("cannot read {}: {e}", p.display()))
                    })?;
                    if n == 0 {
                        break;
                    }
                    h.update(&buf[..n]);
                }
            }
            ImportSource::Bytes(_, b) => h.update(&b[..]),
        }
        Ok(hex::encode(h.finalize()))
    }
}

/// Imports one file atomically; returns the outcome. Re-importing the same bytes is a no-op.
pub async fn import_one(
    store: &Store,
    src: ImportSource,
    origin: &str,
    max_rows: u64,
    progress: Option<ProgressFn>,
) -> Result<ImportOutcome> {
    import_one_with(store, src, origin, max_rows, progress, None).await
}

/// [`import_one`] with the number of threads that parse records (`None`: the reader's default;
/// `Some(1)`: one thread, record by record; see `sectorkit_data::qcew::ReadOptions::threads`).
pub async fn import_one_with(
    store: &Store,
    src: ImportSource,
    origin: &str,
    max_rows: u64,
    progress: Option<ProgressFn>,
    threads: Option<usize>,
) -> Result<ImportOutcome> {
    let name = src.name();
    let bytes = src.len()?;
    // Cheap no-op check: same name and size imported before → confirm by hash, skip reading.
    let candidates = store.datasets_like(&name, bytes as i64).await?;
    if !candidates.is_empty() {
        let sha = src.sha256()?;
        if let Some(ds) = candidates.into_iter().find(|d| d.sha256 == sha) {
            return Ok(ImportOutcome::AlreadyImported(ds));
        }
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<QcewDbRow>>(4);
    let (stx, srx) = tokio::sync::oneshot::channel();
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch: Vec<QcewDbRow> = Vec::with_capacity(IMPORT_BATCH);
        let mut count: u64 = 0;
        let report = |p: Progress| {
            if let Some(f) = &progress {
                f(p);
            }
        };
        let mut opts = ReadOptions::new().progress(&report);
        if let Some(n) = threads {
            opts = opts.threads(n);
        }
        // Rows become store rows on the threads that parse them (a store row is less than half
        // the size of a parsed one, and this moves the conversion off the reading thread).
        let visit = |row: QcewDbRow| -> std::result::Result<(), String> {
            count += 1;
            if count > max_rows {
                return Err(format!(
                    "the file has more than {max_rows} rows, the import limit (--max-rows)"
                ));
            }
            batch.push(row);
            if batch.len() >= IMPORT_BATCH {
                tx.blocking_send(std::mem::take(&mut batch))
                    .map_err(|_| "the database stopped the import".to_string())?;
                batch.reserve(IMPORT_BATCH);
            }
            Ok(())
        };
        let result = match &src {
            ImportSource::Path(p) => read_path_mapped(p, opts, into_db_row, visit),
            ImportSource::Bytes(n, b) => {
                read_reader_mapped(n, std::io::Cursor::new(&b[..]), opts, into_db_row, visit)
            }
        };
        let summary = match result {
            Ok(s) => {
                if !batch.is_empty() && tx.blocking_send(batch).is_err() {
                    return;
                }
                Ok(DatasetSummary {
                    sha256: s.sha256.clone(),
                    layout: s
                        .layouts
                        .iter()
                        .map(|l| layout_label(l.kind))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    periods: s.periods.iter().map(|p| p.to_string()).collect(),
                    rows_read: s.rows_matched as i64,
                    suppressed_rows: s.suppressed_rows as i64,
                })
            }
            Err(e) => Err(e.to_string()),
        };
        drop(tx);
        let _ = stx.send(summary);
    });
    let out = store
        .import_qcew(
            NewDataset {
                file_name: name,
                bytes: bytes as i64,
                source: origin.to_string(),
            },
            rx,
            srx,
        )
        .await;
    reader
        .await
        .map_err(|e| EngineError::Io(format!("the file reader crashed: {e}")))?;
    match out {
        Ok(o) => Ok(o),
        Err(StoreError::Import(msg)) => bail!("{msg}; nothing was imported"),
        Err(e) => Err(e.into()),
    }
}

pub fn layout_label(k: sectorkit_data::qcew::LayoutKind) -> &'static str {
    use sectorkit_data::qcew::LayoutKind::*;
    match k {
        AnnualUntitled => "annual (untitled)",
        AnnualTitled => "annual (titled)",
        QuarterlyUntitled => "quarterly (untitled)",
        QuarterlyTitled => "quarterly (titled)",
    }
}
