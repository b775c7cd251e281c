//! Parsing one CSV on several threads, in file order.
//!
//! The reader's sequential loop (`Reader::read_records`) spends most of a national import in the
//! CSV state machine and the field parsers, on one core. Here the calling thread only cuts the
//! input into blocks of whole records and hands them to worker threads, which split the records
//! and run [`parse_row`]; the calling thread then takes the parsed blocks back **in file order**
//! and feeds their rows to the visitor exactly as the sequential loop does (same counts, same
//! summary, same first error, same line numbers). Memory stays bounded: at most
//! [`IN_FLIGHT_PER_WORKER`] blocks per worker are out at once, and block buffers are reused.
//!
//! # Where a block may end
//!
//! A block ends just after a `\n` at which the number of `"` bytes since the start of the input
//! is even: outside any quoted field (an escaped quote `""` adds two). So a quoted field that
//! holds a newline is never cut, and a block of records parses the same on its own as inside the
//! whole file. When a buffer has no such newline it grows until it has one (or the input ends).

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use csv::ByteRecord;

use super::error::QcewErrorKind;
use super::filter::RowFilter;
use super::is_blank;
use super::layout::{Columns, Layout};
use super::parse::{Memo, parse_row};
use super::row::QcewRow;

/// Target size of one block (whole records are added past it only to reach a record end).
pub(crate) const BLOCK_BYTES: usize = 1 << 20;
/// Blocks handed out per worker before the calling thread waits for results.
const IN_FLIGHT_PER_WORKER: usize = 3;

/// Worker threads for a parse: the machine's parallelism, at most 4 (the calling thread, the
/// hashing thread and the consumer of the rows need cores too).
pub(crate) fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// Whole records cut from the input.
pub(crate) struct Block {
    pub bytes: Vec<u8>,
    /// The file line (1-based) of the block's first byte.
    pub first_line: u64,
}

/// Cuts a stream into [`Block`]s that end at record boundaries (see the module docs).
pub(crate) struct BlockReader<R> {
    input: R,
    carry: Vec<u8>,
    eof: bool,
    /// Newlines in the bytes already handed out.
    lines_before: u64,
    /// Bytes handed out.
    pub bytes_out: u64,
    spare: Vec<Vec<u8>>,
    /// A read error met after whole records, returned by the next call.
    pending_err: Option<io::Error>,
}

/// The number of `"` bytes. Counted in runs of 255 into a `u8`, a loop the compiler turns into
/// byte-wide vector compares (the plain `filter().count()` measured 3% of a national import).
fn quotes(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| c.iter().fold(0u8, |n, &x| n + u8::from(x == b'"')) as usize)
        .sum()
}

impl<R: Read> BlockReader<R> {
    pub fn new(input: R) -> BlockReader<R> {
        BlockReader {
            input,
            carry: Vec::new(),
            eof: false,
            lines_before: 0,
            bytes_out: 0,
            spare: Vec::new(),
            pending_err: None,
        }
    }

    /// Gives a used block buffer back for reuse.
    pub fn recycle(&mut self, mut buf: Vec<u8>) {
        buf.clear();
        if self.spare.len() < 8 {
            self.spare.push(buf);
        }
    }

    /// The next block of at least `target` bytes (unless the input ends first), or `None` at
    /// the end of the input.
    pub fn next_block(&mut self, target: usize) -> io::Result<Option<Block>> {
        if let Some(e) = self.pending_err.take() {
            return Err(e);
        }
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut want = target.max(1);
        loop {
            while buf.len() < want && !self.eof {
                let have = buf.len();
                buf.resize(want, 0);
                let n = loop {
                    match self.input.read(&mut buf[have..]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => {
                            buf.truncate(have);
                            // Hand out the whole records read before the error first, so the
                            // error's line is that of the first record it cut.
                            if let Some(end) = record_end(&buf) {
                                self.pending_err = Some(e);
                                self.carry.extend_from_slice(&buf[end..]);
                                buf.truncate(end);
                                return Ok(Some(self.hand_out(buf)));
                            }
                            return Err(e);
                        }
                    }
                };
                buf.truncate(have + n);
                if n == 0 {
                    self.eof = true;
                }
            }
            if self.eof {
                if buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.hand_out(buf)));
            }
            if let Some(end) = record_end(&buf) {
                self.carry.extend_from_slice(&buf[end..]);
                buf.truncate(end);
                return Ok(Some(self.hand_out(buf)));
            }
            // No record ends in the buffer: read more.
            want = buf.len() * 2;
        }
    }

    fn hand_out(&mut self, bytes: Vec<u8>) -> Block {
        let first_line = self.lines_before + 1;
        self.lines_before += memchr::memchr_iter(b'\n', &bytes).count() as u64;
        self.bytes_out += bytes.len() as u64;
        Block { bytes, first_line }
    }
}

/// The end (exclusive) of the last whole record in `buf`, which starts outside any quoted
/// field: just past the last `\n` with an even number of `"` before it.
fn record_end(buf: &[u8]) -> Option<usize> {
    let mut nl = memchr::memrchr(b'\n', buf)?;
    let mut q = quotes(&buf[..=nl]);
    while q % 2 == 1 {
        let prev = memchr::memrchr(b'\n', &buf[..nl])?;
        q -= quotes(&buf[prev + 1..=nl]);
        nl = prev;
    }
    Some(nl + 1)
}

/// What the reader's summary needs of a row (the row itself may be mapped to another type).
pub(crate) struct RowMeta {
    pub disclosure: super::row::Disclosure,
    pub period: sectorkit_core::codes::Period,
    /// The row's area when it differs from the previous row's (`None`: the same).
    pub area: Option<sectorkit_core::codes::AreaFips>,
}

impl RowMeta {
    /// The meta of `row`; `prev` is the previous row's area (`None` when unknown).
    pub fn of(row: &QcewRow, prev: Option<&sectorkit_core::codes::AreaFips>) -> RowMeta {
        RowMeta {
            disclosure: row.disclosure,
            period: row.period,
            area: (prev != Some(&row.area)).then(|| row.area.clone()),
        }
    }
}

/// One parsed record of a block, or why the block stopped.
pub(crate) enum Parsed<T> {
    /// A data row that passed the filter, with its file line, mapped.
    Row(u64, RowMeta, T),
    /// A data row the filter refused (counted, not parsed).
    Refused,
    /// The first problem of the block; nothing after it was parsed. `column` names the field.
    Failed {
        line: u64,
        kind: QcewErrorKind,
        column: Option<usize>,
    },
}

/// A block's records, parsed.
pub(crate) struct Done<T> {
    pub items: Vec<Parsed<T>>,
    /// The file line of the block's last record (or its first line when it had none).
    pub last_line: u64,
    pub buf: Vec<u8>,
}

/// What workers share.
pub(crate) struct Shared<'a, T> {
    pub layout: Layout,
    pub cols: &'a Columns,
    pub ncols: usize,
    pub filter: Option<&'a RowFilter>,
    /// Applied to each row on the worker that parsed it.
    pub map: &'a (dyn Fn(QcewRow) -> T + Sync),
}

/// Parses one block's records (no header in it): line by line with the plain-line splitter
/// when every line of the block is plain and parses, otherwise (an unusual line, or any
/// problem, so that its message is the general parser's) all of it with the `csv` crate.
pub(crate) fn parse_block<T>(block: Block, sh: &Shared<'_, T>) -> Done<T> {
    if let Some((items, last_line)) = parse_plain_block(&block.bytes, block.first_line, sh) {
        return Done {
            items,
            last_line,
            buf: block.bytes,
        };
    }
    parse_block_csv(block, sh)
}

/// [`parse_block`] for a block of plain lines (see `super::split`); `None` at the first line
/// that is not plain, has the wrong number of fields or does not parse.
fn parse_plain_block<T>(
    bytes: &[u8],
    first_line: u64,
    sh: &Shared<'_, T>,
) -> Option<(Vec<Parsed<T>>, u64)> {
    let mut bounds = Vec::with_capacity(sh.ncols + 1);
    let mut memo = Memo::default();
    let mut items = Vec::with_capacity(bytes.len() / 100);
    let mut prev_area: Option<sectorkit_core::codes::AreaFips> = None;
    let (mut line, mut last_line, mut pos) = (first_line, first_line, 0usize);
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |o| pos + o);
        let text = &bytes[pos..end];
        let this = line;
        pos = end + 1;
        line += 1;
        // The general parser skips empty lines without a record.
        if text.is_empty() {
            continue;
        }
        if !super::split::split_line(text, &mut bounds) {
            return None;
        }
        let rec = super::split::Line {
            bytes: text,
            bounds: &bounds,
        };
        last_line = this;
        if is_blank(&rec) {
            continue;
        }
        if bounds.len() != sh.ncols {
            return None;
        }
        if let Some(f) = sh.filter
            && !f.matches(&rec, sh.cols)
        {
            items.push(Parsed::Refused);
            continue;
        }
        let row = parse_row(&rec, sh.cols, &sh.layout, &mut memo).ok()?;
        let meta = RowMeta::of(&row, prev_area.as_ref());
        if let Some(a) = &meta.area {
            prev_area = Some(a.clone());
        }
        items.push(Parsed::Row(this, meta, (sh.map)(row)));
    }
    Some((items, last_line))
}

/// [`parse_block`] with the `csv` crate, for any block.
fn parse_block_csv<T>(block: Block, sh: &Shared<'_, T>) -> Done<T> {
    let mut csv = super::record_reader(&block.bytes[..], super::SLICE_CSV_BUFFER);
    let mut rec = ByteRecord::new();
    let mut memo = Memo::default();
    let mut items = Vec::with_capacity(block.bytes.len() / 100);
    let base = block.first_line - 1;
    let mut last_line = block.first_line;
    let mut prev_area: Option<sectorkit_core::codes::AreaFips> = None;
    loop {
        match csv.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                items.push(Parsed::Failed {
                    line: last_line + 1,
                    kind: super::csv_error_kind(e),
                    column: None,
                });
                break;
            }
        }
        let line = rec.position().map_or(last_line + 1, |p| base + p.line());
        last_line = line;
        if is_blank(&rec) {
            continue;
        }
        if rec.len() != sh.ncols {
            items.push(Parsed::Failed {
                line,
                kind: QcewErrorKind::FieldCount {
                    expected: sh.ncols,
                    found: rec.len(),
                },
                column: None,
            });
            break;
        }
        if let Some(f) = sh.filter
            && !f.matches(&rec, sh.cols)
        {
            items.push(Parsed::Refused);
            continue;
        }
        match parse_row(&rec, sh.cols, &sh.layout, &mut memo) {
            Ok(row) => {
                let meta = RowMeta::of(&row, prev_area.as_ref());
                if let Some(a) = &meta.area {
                    prev_area = Some(a.clone());
                }
                items.push(Parsed::Row(line, meta, (sh.map)(row)));
            }
            Err(fe) => {
                items.push(Parsed::Failed {
                    line,
                    kind: fe.kind,
                    column: Some(fe.column),
                });
                break;
            }
        }
    }
    Done {
        items,
        last_line,
        buf: block.bytes,
    }
}

/// Runs `blocks` through `n` workers and hands each parsed block to `consume` in file order.
/// `consume` returning an error stops the run (workers finish the block at hand and exit). A
/// read error of the input comes back in file order, after every block before it was consumed,
/// as `Ok(Some((error, line)))` with the line the unread bytes start on.
pub(crate) fn run<R, T, C, E>(
    n: usize,
    reader: &mut BlockReader<R>,
    sh: &Shared<'_, T>,
    mut consume: C,
) -> Result<Option<(io::Error, u64)>, E>
where
    R: Read,
    T: Send,
    C: FnMut(Done<T>) -> Result<(), E>,
{
    let n = n.max(1);
    std::thread::scope(|s| {
        let (job_tx, job_rx) = mpsc::sync_channel::<(u64, Block)>(n * IN_FLIGHT_PER_WORKER);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done_rx) = mpsc::channel::<(u64, Done<T>)>();
        for _ in 0..n {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, block)) = job else { return };
                    if done_tx.send((seq, parse_block(block, sh))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let limit = (n * IN_FLIGHT_PER_WORKER) as u64;
        let (mut sent, mut next) = (0u64, 0u64);
        let mut read_error: Option<(u64, io::Error, u64)> = None; // (seq, error, line)
        let mut eof = false;
        let mut waiting: BTreeMap<u64, Done<T>> = BTreeMap::new();
        loop {
            while !eof && sent - next < limit {
                match reader.next_block(BLOCK_BYTES) {
                    Ok(Some(b)) => {
                        if job_tx.send((sent, b)).is_err() {
                            eof = true;
                            break;
                        }
                        sent += 1;
                    }
                    Ok(None) => eof = true,
                    Err(e) => {
                        read_error = Some((sent, e, reader.lines_before + 1));
                        eof = true;
                    }
                }
            }
            if next == sent {
                break;
            }
            let Ok((seq, done)) = done_rx.recv() else {
                break;
            };
            waiting.insert(seq, done);
            while let Some(mut done) = waiting.remove(&next) {
                next += 1;
                let buf = std::mem::take(&mut done.buf);
                consume(done)?;
                reader.recycle(buf);
            }
        }
        drop(job_tx);
        Ok(read_error.map(|(_, e, line)| (e, line)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(input: &[u8], target: usize) -> Vec<(String, u64)> {
        let mut r = BlockReader::new(input);
        let mut out = Vec::new();
        while let Some(b) = r.next_block(target).unwrap() {
            out.push((String::from_utf8(b.bytes).unwrap(), b.first_line));
        }
        out
    }

    #[test]
    fn blocks_end_after_a_newline_and_keep_every_byte() {
        let input = b"a,b\n1,2\n3,4\n5,6";
        // Each buffer of 5 bytes holds one whole record; the last has no newline.
        let blocks = cut(input, 5);
        assert_eq!(
            blocks,
            vec![
                ("a,b\n".to_string(), 1),
                ("1,2\n".to_string(), 2),
                ("3,4\n".to_string(), 3),
                ("5,6".to_string(), 4)
            ]
        );
        // A larger target takes several records at once.
        assert_eq!(cut(input, 9)[0], ("a,b\n1,2\n".to_string(), 1));
    }

    #[test]
    fn a_quoted_newline_is_never_cut() {
        // The newline inside "x\ny" is at an odd quote count: the block must run past it.
        let input = b"\"x\ny\",1\n2,3\n";
        // 4 bytes hold only the quoted newline: the buffer grows to 8 and ends after `1`.
        let blocks = cut(input, 4);
        assert_eq!(blocks[0].0, "\"x\ny\",1\n");
        assert_eq!(blocks[1], ("2,3\n".to_string(), 3));
        let joined: String = blocks.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(joined.as_bytes(), input);
    }

    #[test]
    fn escaped_quotes_count_twice() {
        let input = b"\"a\"\"b\",1\n\"c\",2\n";
        let blocks = cut(input, 9);
        assert_eq!(blocks[0].0, "\"a\"\"b\",1\n");
        assert_eq!(blocks[1].0, "\"c\",2\n");
    }

    #[test]
    fn record_end_skips_back_over_an_open_quote() {
        // Last newline is inside an open quoted field; the one before is outside.
        assert_eq!(record_end(b"1\n\"a\nb"), Some(2));
        assert_eq!(record_end(b"\"a\nb"), None);
        assert_eq!(record_end(b"no newline"), None);
    }

    proptest::proptest! {
        /// Cutting never loses, duplicates or reorders a byte, and every block but the last
        /// ends with a newline outside quotes; first lines count the newlines before.
        #[test]
        fn cutting_is_lossless(input in "[a\"\n,]{0,200}", target in 1usize..40) {
            let blocks = cut(input.as_bytes(), target);
            let joined: String = blocks.iter().map(|b| b.0.as_str()).collect();
            proptest::prop_assert_eq!(&joined, &input);
            let mut lines = 1u64;
            for (i, (b, first)) in blocks.iter().enumerate() {
                proptest::prop_assert_eq!(*first, lines);
                lines += b.matches('\n').count() as u64;
                if i + 1 < blocks.len() {
                    proptest::prop_assert!(b.ends_with('\n'));
                    let before: String = blocks[..=i].iter().map(|b| b.0.as_str()).collect();
                    proptest::prop_assert_eq!(before.matches('"').count() % 2, 0);
                }
            }
        }
    }
}
