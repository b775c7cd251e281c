//! The BLS QCEW reader: every official CSV layout, plain, gzipped or inside a BLS zip archive,
//! streamed row by row in constant memory.
//!
//! - **Layouts** are recognised from the header by column name ([`Layout`]): annual or
//!   quarterly, titled or untitled, `…estabs` or `…estabs_count`. Several quarters in one file,
//!   a UTF-8 BOM, CRLF or LF line ends, quoted or unquoted fields all simply work.
//! - **Compression** is detected from magic bytes ([`Compression`]); zip members are streamed one
//!   by one (never extracted to disk, never loaded whole).
//! - **Values**: codes become the core's validated types (text underneath); a suppressed (`N`)
//!   measure is `None`, never the 0 BLS writes (see [`QcewRow`]).
//! - **Speed**: one reused `csv::ByteRecord`, an early [`RowFilter`] on raw bytes before any
//!   parsing, and only the needed fields parsed.
//! - **Provenance**: [`FileSummary::sha256`] is the SHA-256 of the file **as stored on disk**
//!   (the `.gz`/`.zip` bytes for compressed files), computed while streaming, so that the
//!   importer can recognise a file it has already imported.
//!
//! What this module must not do: compute statistics, touch a database, or draw progress bars
//! (it calls the [`ReadOptions::progress`] callback; the CLI draws).

mod error;
mod filter;
mod gate;
mod layout;
mod number;
mod parallel;
mod parse;
mod row;
mod source;
mod split;

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use csv::ByteRecord;
use flate2::read::MultiGzDecoder;
use sectorkit_core::codes::Period;
use serde::Serialize;

pub use error::{QcewError, QcewErrorKind};
pub use filter::RowFilter;
pub use layout::{EstabsColumn, Layout, LayoutKind};
pub use row::{Disclosure, LocationQuotients, OverTheYear, QcewRow};
pub use source::Compression;

use error::classify_io;
use parse::{Memo, parse_row};
use source::{HashingReader, SkipBom, sniff};

/// How often (in rows read) the progress callback is called, besides the end of each file.
const PROGRESS_EVERY_ROWS: u64 = 1 << 16;

/// CSV parser buffer.
const CSV_BUFFER: usize = 1 << 18;

/// The parser's buffer for an in-memory block (the csv crate's default; a block is already in
/// memory, so a large buffer would only add an allocation per block).
const SLICE_CSV_BUFFER: usize = 8 << 10;

/// Progress of a read, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Bytes of the file (as stored, i.e. compressed) consumed so far.
    pub bytes_read: u64,
    /// Size of the file, when known.
    pub bytes_total: Option<u64>,
    /// Data rows read so far (all rows, before filtering).
    pub rows: u64,
}

/// Options of a read.
#[derive(Default, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Which rows to hand to the visitor (default: all).
    pub filter: Option<&'a RowFilter>,
    /// Called every 65,536 rows and at the end of each CSV (file or zip member).
    pub progress: Option<&'a dyn Fn(Progress)>,
    /// Skip computing the file's SHA-256 ([`FileSummary::sha256`] is then empty): for reads that
    /// import nothing, such as computing a table straight from files.
    pub skip_hash: bool,
    /// Worker threads parsing records (`None`: the machine's parallelism, at most 4; `Some(1)`:
    /// the single-threaded loop). Rows reach the visitor in file order either way.
    pub threads: Option<usize>,
}

impl<'a> ReadOptions<'a> {
    /// Every row, no progress callback.
    pub fn new() -> ReadOptions<'a> {
        ReadOptions::default()
    }

    /// Keeps only the rows `filter` accepts.
    pub fn filter(mut self, filter: &'a RowFilter) -> ReadOptions<'a> {
        self.filter = Some(filter);
        self
    }

    /// Reports progress to `f`.
    pub fn progress(mut self, f: &'a dyn Fn(Progress)) -> ReadOptions<'a> {
        self.progress = Some(f);
        self
    }

    /// Does not compute the file's SHA-256.
    /// Parses with `n` worker threads (1 = on the calling thread, record by record).
    pub fn threads(mut self, n: usize) -> ReadOptions<'a> {
        self.threads = Some(n.max(1));
        self
    }

    pub fn without_hash(mut self) -> ReadOptions<'a> {
        self.skip_hash = true;
        self
    }
}

impl std::fmt::Debug for ReadOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadOptions")
            .field("filter", &self.filter)
            .field("progress", &self.progress.map(|_| "callback"))
            .finish()
    }
}

/// What a read saw. Row statistics (`suppressed_rows`, `periods`, `areas_seen`) cover the rows
/// that passed the filter; `rows` counts every data row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    /// The file name as given (without directories).
    pub file: String,
    /// How the file is packed.
    pub compression: Compression,
    /// The layout of each CSV read, distinct, in order of first appearance (one for a plain or
    /// gzip file; a zip could in principle mix).
    pub layouts: Vec<Layout>,
    /// The zip members read, in archive order (empty for plain and gzip files).
    pub entries: Vec<String>,
    /// Zip members skipped because they are not `.csv` files (directories are not listed).
    pub skipped_entries: Vec<String>,
    /// Data rows read (header and blank lines excluded), before filtering.
    pub rows: u64,
    /// Rows that passed the filter, were parsed and handed to the visitor.
    pub rows_matched: u64,
    /// Matched rows with `disclosure_code = N`.
    pub suppressed_rows: u64,
    /// Matched rows with `disclosure_code = -` (no establishments).
    pub no_establishment_rows: u64,
    /// Distinct periods of the matched rows, sorted (a year before its quarters).
    pub periods: Vec<Period>,
    /// Number of distinct `area_fips` among the matched rows.
    pub areas_seen: usize,
    /// SHA-256 (hex) of the file's bytes as stored on disk (compressed bytes for .gz / .zip).
    pub sha256: String,
    /// Size of the file as stored, in bytes.
    pub bytes: u64,
    /// Bytes of CSV text parsed (after decompression).
    pub csv_bytes: u64,
}

impl FileSummary {
    /// The single layout of the file, if all its CSVs share one.
    pub fn layout(&self) -> Option<Layout> {
        match self.layouts.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// Reads a QCEW file (`.csv`, `.csv.gz` or BLS `.zip`; detected from its first bytes) and hands
/// every row that passes `opts.filter` to `visit`, in file order.
///
/// `visit` may refuse a row by returning an error: reading stops and the error comes back as
/// [`QcewErrorKind::Visitor`], located at that row.
///
/// ```no_run
/// use sectorkit_data::qcew::{read_path, ReadOptions};
/// let mut total = 0u64;
/// let summary = read_path("2020.annual.singlefile.csv", ReadOptions::new(), |row| {
///     total += row.employment.unwrap_or(0);
///     Ok::<(), std::convert::Infallible>(())
/// })?;
/// println!("{} rows, sha256 {}", summary.rows, summary.sha256);
/// # Ok::<(), sectorkit_data::qcew::QcewError>(())
/// ```
pub fn read_path<P, F, E>(
    path: P,
    opts: ReadOptions<'_>,
    visit: F,
) -> Result<FileSummary, QcewError>
where
    P: AsRef<Path>,
    F: FnMut(QcewRow) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = path.as_ref();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file = File::open(path).map_err(|e| QcewError::new(&name, None, QcewErrorKind::Io(e)))?;
    let total = file.metadata().ok().map(|m| m.len());
    read_source(&name, file, total, opts, |r: QcewRow| r, visit)
}

/// [`read_path`] with each row passed through `map` first, on the thread that parsed it: the
/// visitor receives `map(row)` in file order. A map to a smaller type (the store's row) saves
/// moving the full [`QcewRow`] between threads.
pub fn read_path_mapped<P, T, M, F, E>(
    path: P,
    opts: ReadOptions<'_>,
    map: M,
    visit: F,
) -> Result<FileSummary, QcewError>
where
    P: AsRef<Path>,
    T: Send,
    M: Fn(QcewRow) -> T + Sync,
    F: FnMut(T) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = path.as_ref();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file = File::open(path).map_err(|e| QcewError::new(&name, None, QcewErrorKind::Io(e)))?;
    let total = file.metadata().ok().map(|m| m.len());
    read_source(&name, file, total, opts, map, visit)
}

/// [`read_reader`] with `map` applied as in [`read_path_mapped`].
pub fn read_reader_mapped<R, T, M, F, E>(
    name: &str,
    reader: R,
    opts: ReadOptions<'_>,
    map: M,
    visit: F,
) -> Result<FileSummary, QcewError>
where
    R: Read + Seek,
    T: Send,
    M: Fn(QcewRow) -> T + Sync,
    F: FnMut(T) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut reader = reader;
    let total = reader
        .seek(SeekFrom::End(0))
        .and_then(|len| reader.seek(SeekFrom::Start(0)).map(|_| len))
        .map_err(|e| QcewError::new(name, None, classify_io(e)))?;
    read_source(name, reader, Some(total), opts, map, visit)
}

/// Like [`read_path`], for any seekable byte source (an open file, an in-memory upload). `name`
/// is used in errors and in the summary.
pub fn read_reader<R, F, E>(
    name: &str,
    reader: R,
    opts: ReadOptions<'_>,
    visit: F,
) -> Result<FileSummary, QcewError>
where
    R: Read + Seek,
    F: FnMut(QcewRow) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut reader = reader;
    let total = reader
        .seek(SeekFrom::End(0))
        .and_then(|len| reader.seek(SeekFrom::Start(0)).map(|_| len))
        .map_err(|e| QcewError::new(name, None, classify_io(e)))?;
    read_source(name, reader, Some(total), opts, |r: QcewRow| r, visit)
}

/// State shared by the CSVs of one file.
struct Reader<'o, 'm, F, M> {
    file: String,
    opts: ReadOptions<'o>,
    visit: F,
    /// A reference, so that workers can hold it while the reader is borrowed mutably.
    map: &'m M,
    progress_bytes: Rc<Cell<u64>>,
    bytes_total: Option<u64>,
    layouts: Vec<Layout>,
    rows: u64,
    rows_matched: u64,
    suppressed: u64,
    no_estabs: u64,
    periods: Vec<Period>,
    areas: std::collections::HashSet<sectorkit_core::codes::AreaFips>,
    last_area: Option<sectorkit_core::codes::AreaFips>,
    csv_bytes: u64,
}

fn read_source<R, T, M, F, E>(
    name: &str,
    reader: R,
    total: Option<u64>,
    opts: ReadOptions<'_>,
    map: M,
    visit: F,
) -> Result<FileSummary, QcewError>
where
    R: Read + Seek,
    T: Send,
    M: Fn(QcewRow) -> T + Sync,
    F: FnMut(T) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let progress_bytes = Rc::new(Cell::new(0));
    let mut src = HashingReader::new(reader, progress_bytes.clone(), !opts.skip_hash);
    let io_err = |e| QcewError::new(name, None, classify_io(e));
    let compression = sniff(&mut src)
        .map_err(io_err)?
        .ok_or_else(|| QcewError::new(name, None, QcewErrorKind::Empty))?;
    let mut r = Reader {
        file: name.to_string(),
        opts,
        visit,
        map: &map,
        progress_bytes,
        bytes_total: total,
        layouts: Vec::new(),
        rows: 0,
        rows_matched: 0,
        suppressed: 0,
        no_estabs: 0,
        periods: Vec::new(),
        areas: std::collections::HashSet::new(),
        last_area: None,
        csv_bytes: 0,
    };
    let mut entries = Vec::new();
    let mut skipped_entries = Vec::new();
    match compression {
        Compression::None => r.read_csv(None, &mut src)?,
        Compression::Gzip => r.read_csv(None, MultiGzDecoder::new(&mut src))?,
        Compression::Zip => {
            let mut archive = zip::ZipArchive::new(&mut src)
                .map_err(|e| QcewError::new(name, None, QcewErrorKind::Zip(e.to_string())))?;
            for i in 0..archive.len() {
                let entry = archive
                    .by_index(i)
                    .map_err(|e| QcewError::new(name, None, QcewErrorKind::Zip(e.to_string())))?;
                let entry_name = entry
                    .name()
                    .map_err(|e| QcewError::new(name, None, QcewErrorKind::Zip(e.to_string())))?
                    .to_string();
                if entry.is_dir() {
                    continue;
                }
                if !entry_name.to_ascii_lowercase().ends_with(".csv") {
                    skipped_entries.push(entry_name);
                    continue;
                }
                r.read_csv(Some(&entry_name), entry)?;
                entries.push(entry_name);
            }
            if entries.is_empty() {
                return Err(QcewError::new(name, None, QcewErrorKind::NoCsvInArchive));
            }
        }
    }
    let (sha256, bytes) = src.finish().map_err(io_err)?;
    let mut periods = r.periods;
    periods.sort_by_key(|p| (p.year(), p.quarter().map_or(0, |q| q.number())));
    periods.dedup();
    Ok(FileSummary {
        file: r.file,
        compression,
        layouts: r.layouts,
        entries,
        skipped_entries,
        rows: r.rows,
        rows_matched: r.rows_matched,
        suppressed_rows: r.suppressed,
        no_establishment_rows: r.no_estabs,
        periods,
        areas_seen: r.areas.len(),
        sha256,
        bytes,
        csv_bytes: r.csv_bytes,
    })
}

impl<T, M, F, E> Reader<'_, '_, F, M>
where
    T: Send,
    M: Fn(QcewRow) -> T + Sync,
    F: FnMut(T) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn err(&self, entry: Option<&str>, kind: QcewErrorKind) -> QcewError {
        QcewError::new(&self.file, entry, kind)
    }

    fn report(&self) {
        if let Some(p) = self.opts.progress {
            p(Progress {
                bytes_read: self.progress_bytes.get(),
                bytes_total: self.bytes_total,
                rows: self.rows,
            });
        }
    }

    /// Reads one CSV (the file itself, or one zip member), through the [`gate::LineGate`] when
    /// the filter names areas.
    fn read_csv<I: Read>(&mut self, entry: Option<&str>, input: I) -> Result<(), QcewError> {
        match self.opts.filter.and_then(|f| f.area_codes()) {
            Some(areas) => {
                let log = Rc::new(RefCell::new(gate::GateLog::default()));
                let gated = gate::LineGate::new(input, areas.to_vec(), log.clone());
                self.read_records(entry, gated, Some(&log))
            }
            None if self.opts.threads == Some(1) => self.read_records(entry, input, None),
            None => self.read_records_parallel(entry, input),
        }
    }

    fn read_records<I: Read>(
        &mut self,
        entry: Option<&str>,
        input: I,
        gate: Option<&Rc<RefCell<gate::GateLog>>>,
    ) -> Result<(), QcewError> {
        // The file's line number of a parser line (the gate drops lines).
        let orig = |l: u64| gate.map_or(l, |g| g.borrow().original_line(l));
        let mut csv = record_reader(SkipBom::new(input), CSV_BUFFER);
        let mut rec = ByteRecord::new();
        let mut last_line = 0u64;
        let csv_err = |this: &Self, e: csv::Error, after: u64| -> QcewError {
            this.err(entry, csv_error_kind(e)).at_line(after + 1)
        };

        // Header: the first non-blank record.
        let (layout, cols) = loop {
            match csv.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => return Err(self.err(entry, QcewErrorKind::Empty)),
                Err(e) => return Err(csv_err(self, e, last_line)),
            }
            last_line = rec.position().map_or(last_line + 1, |p| orig(p.line()));
            if is_blank(&rec) {
                continue;
            }
            match layout::detect(&rec) {
                Ok(found) => break found,
                Err(m) => return Err(self.err(entry, unknown_layout(m)).at_line(last_line)),
            }
        };
        if !self.layouts.contains(&layout) {
            self.layouts.push(layout);
        }
        let ncols = rec.len();
        let mut memo = Memo::default();
        let mut rows_here = 0u64;
        loop {
            match csv.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_err(self, e, last_line)),
            }
            let line = rec.position().map_or(last_line + 1, |p| orig(p.line()));
            last_line = line;
            if is_blank(&rec) {
                continue;
            }
            if rec.len() != ncols {
                return Err(self
                    .err(
                        entry,
                        QcewErrorKind::FieldCount {
                            expected: ncols,
                            found: rec.len(),
                        },
                    )
                    .at_line(line));
            }
            self.rows += 1;
            rows_here += 1;
            if self.rows.is_multiple_of(PROGRESS_EVERY_ROWS) {
                self.report();
            }
            if let Some(f) = self.opts.filter
                && !f.matches(&rec, &cols)
            {
                continue;
            }
            let row = parse_row(&rec, &cols, &layout, &mut memo).map_err(|fe| {
                self.err(entry, fe.kind)
                    .at_line(line)
                    .in_field(cols.name(fe.column))
            })?;
            let meta = parallel::RowMeta::of(&row, None);
            let mapped = (self.map)(row);
            self.accept(entry, line, meta, mapped)?;
        }
        self.csv_bytes += csv.position().byte();
        if let Some(g) = gate {
            // Rows the gate dropped were read (and refused by the area filter) all the same.
            let skipped = g.borrow().skipped_rows;
            self.rows += skipped;
            rows_here += skipped;
        }
        if rows_here == 0 {
            return Err(self
                .err(entry, QcewErrorKind::NoDataRows)
                .at_line(last_line));
        }
        self.report();
        Ok(())
    }

    /// Takes one parsed data row (the sequential and the parallel loop share this).
    fn accept(
        &mut self,
        entry: Option<&str>,
        line: u64,
        meta: parallel::RowMeta,
        row: T,
    ) -> Result<(), QcewError> {
        self.rows_matched += 1;
        match meta.disclosure {
            Disclosure::Suppressed => self.suppressed += 1,
            Disclosure::NoEstablishments => self.no_estabs += 1,
            Disclosure::Disclosed => {}
        }
        if self.periods.last() != Some(&meta.period) && !self.periods.contains(&meta.period) {
            self.periods.push(meta.period);
        }
        if let Some(area) = meta.area
            && self.last_area.as_ref() != Some(&area)
        {
            self.areas.insert(area.clone());
            self.last_area = Some(area);
        }
        (self.visit)(row).map_err(|e| {
            self.err(entry, QcewErrorKind::Visitor(e.into()))
                .at_line(line)
        })
    }

    /// [`Self::read_records`] without a line gate, with the records parsed on worker threads
    /// (see [`parallel`]): same rows in the same order, same counts and the same first error.
    fn read_records_parallel<I: Read>(
        &mut self,
        entry: Option<&str>,
        input: I,
    ) -> Result<(), QcewError> {
        let mut blocks = parallel::BlockReader::new(SkipBom::new(input));
        let io_err = |this: &Self, e: std::io::Error, line: u64| {
            this.err(entry, classify_io(e)).at_line(line)
        };
        // Header: the first non-blank record, parsed from the first block(s).
        let mut rec = ByteRecord::new();
        let mut last_line = 0u64;
        let (layout, cols, rest) = 'header: loop {
            let block = match blocks.next_block(parallel::BLOCK_BYTES) {
                Ok(Some(b)) => b,
                Ok(None) => return Err(self.err(entry, QcewErrorKind::Empty)),
                Err(e) => return Err(io_err(self, e, last_line + 1)),
            };
            let base = block.first_line - 1;
            let mut csv = record_reader(&block.bytes[..], SLICE_CSV_BUFFER);
            loop {
                match csv.read_byte_record(&mut rec) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        return Err(self.err(entry, csv_error_kind(e)).at_line(last_line + 1));
                    }
                }
                last_line = rec.position().map_or(last_line + 1, |p| base + p.line());
                if is_blank(&rec) {
                    continue;
                }
                match layout::detect(&rec) {
                    Ok((layout, cols)) => {
                        let pos = csv.position();
                        let start = pos.byte() as usize;
                        let rest = parallel::Block {
                            bytes: block.bytes[start..].to_vec(),
                            first_line: base + pos.line(),
                        };
                        break 'header (layout, cols, rest);
                    }
                    Err(m) => {
                        return Err(self.err(entry, unknown_layout(m)).at_line(last_line));
                    }
                }
            }
        };
        if !self.layouts.contains(&layout) {
            self.layouts.push(layout);
        }
        let map: &M = self.map;
        let shared = parallel::Shared {
            layout,
            cols: &cols,
            ncols: rec.len(),
            filter: self.opts.filter,
            map: &|r| map(r),
        };
        let mut rows_here = 0u64;
        let mut take = |this: &mut Self, done: parallel::Done<T>| -> Result<(), QcewError> {
            last_line = last_line.max(done.last_line);
            for item in done.items {
                if !matches!(item, parallel::Parsed::Failed { .. }) {
                    this.rows += 1;
                    rows_here += 1;
                    if this.rows.is_multiple_of(PROGRESS_EVERY_ROWS) {
                        this.report();
                    }
                }
                match item {
                    parallel::Parsed::Row(line, meta, row) => {
                        this.accept(entry, line, meta, row)?
                    }
                    parallel::Parsed::Refused => {}
                    parallel::Parsed::Failed { line, kind, column } => {
                        let e = this.err(entry, kind).at_line(line);
                        return Err(match column {
                            Some(c) => e.in_field(cols.name(c)),
                            None => e,
                        });
                    }
                }
            }
            Ok(())
        };
        let workers = self.opts.threads.unwrap_or_else(parallel::workers);
        // The rest of the header's block first, on this thread (it is often the whole file).
        take(self, parallel::parse_block(rest, &shared))?;
        if let Some((e, line)) =
            parallel::run(workers, &mut blocks, &shared, |done| take(self, done))?
        {
            return Err(io_err(self, e, line));
        }
        self.csv_bytes += blocks.bytes_out;
        if rows_here == 0 {
            return Err(self
                .err(entry, QcewErrorKind::NoDataRows)
                .at_line(last_line));
        }
        self.report();
        Ok(())
    }
}

/// The CSV parser every QCEW loop uses. Records end at `\n` only: a CRLF's `\r` stays at the
/// end of the last field, where the field parsers trim it (with the parser's CRLF handling the
/// record would end at `\r` and every reported line number of a CRLF file would be one short).
fn record_reader<R: Read>(input: R, capacity: usize) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(capacity)
        .from_reader(input)
}

/// What a parser error means for the user (an IO error keeps its own classification).
fn csv_error_kind(e: csv::Error) -> QcewErrorKind {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => classify_io(io),
        other => QcewErrorKind::Csv(format!("{other:?}")),
    }
}

fn unknown_layout(m: layout::LayoutMismatch) -> QcewErrorKind {
    QcewErrorKind::UnknownLayout {
        closest: m.closest,
        missing: m.missing,
    }
}

/// The fields of one CSV record as the field parsers read them: a `csv::ByteRecord`, or the
/// splitter's view of one plain line ([`split::Line`]), which copies nothing.
pub(crate) trait Fields: std::ops::Index<usize, Output = [u8]> {
    /// The number of fields.
    fn count(&self) -> usize;
}

impl Fields for ByteRecord {
    #[inline]
    fn count(&self) -> usize {
        self.len()
    }
}

/// A blank line (the CSV parser yields it as one empty field, or skips it).
fn is_blank<F: Fields + ?Sized>(rec: &F) -> bool {
    rec.count() == 1 && number::trim(&rec[0]).is_empty()
}
