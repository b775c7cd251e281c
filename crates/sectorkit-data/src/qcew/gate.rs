//! The line gate: ahead of the CSV parser, drops whole lines whose first field is not a wanted
//! area, so that a region query over a national file hands the parser a few thousand lines
//! instead of millions (the parser, not the disk, is what a filtered read spends its time on).
//!
//! It is used only when the [`RowFilter`](super::RowFilter) names areas, and only decides on
//! lines it can read safely:
//! - it switches itself on only when the header's first field is `area_fips` (every QCEW CSV
//!   layout; otherwise everything passes);
//! - the header (the first non-blank line) and blank lines always pass;
//! - a line with an odd number of `"` may start a quoted field that spans lines (no QCEW file has
//!   one): from that line on everything passes, and the parser sees the file as it is.
//!
//! A dropped line is a data row the row filter would have refused anyway (same area test on the
//! same text), so the rows handed on are exactly those of the ungated read. Dropped lines are
//! counted ([`GateLog::skipped_rows`]) so the summary's row count is unchanged, and the log maps
//! the parser's line numbers back to the file's, so error messages name the real line.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use super::number::trim;

/// What the gate did, shared with the reader that owns the CSV parser.
#[derive(Debug, Default)]
pub(crate) struct GateLog {
    /// Data lines dropped (blank lines are never dropped).
    pub skipped_rows: u64,
    /// (line in the gated stream, line in the file) where a run of consecutive passed lines
    /// starts; 1-based. Grows by one entry per dropped-then-passed transition.
    runs: Vec<(u64, u64)>,
    /// Lines handed on so far.
    passed: u64,
}

impl GateLog {
    /// The file's line number of line `gated` (1-based) of the gated stream.
    pub fn original_line(&self, gated: u64) -> u64 {
        let i = self.runs.partition_point(|(g, _)| *g <= gated);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((g, o)) => o + (gated - g),
            None => gated,
        }
    }

    fn pass(&mut self, original: u64) {
        self.passed += 1;
        let gated = self.passed;
        let contiguous = self
            .runs
            .last()
            .map(|(g, o)| o + (gated - g) == original)
            .unwrap_or(original == gated);
        if !contiguous {
            self.runs.push((gated, original));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before the header.
    Header,
    /// Filtering on the first field.
    Filter,
    /// Everything passes from here on.
    Open,
}

/// A `Read` adapter that hands on only the lines that may hold a wanted area.
pub(crate) struct LineGate<R> {
    inner: R,
    /// Sorted area codes.
    areas: Vec<Vec<u8>>,
    buf: Vec<u8>,
    /// Bytes of `buf` not yet decided (a partial line at the end of the last block).
    pending: usize,
    out: Vec<u8>,
    out_pos: usize,
    line: u64,
    mode: Mode,
    eof: bool,
    log: Rc<RefCell<GateLog>>,
}

const BLOCK: usize = 1 << 18;

impl<R: Read> LineGate<R> {
    pub fn new(inner: R, mut areas: Vec<Vec<u8>>, log: Rc<RefCell<GateLog>>) -> Self {
        areas.sort();
        areas.dedup();
        LineGate {
            inner,
            areas,
            buf: vec![0; BLOCK],
            pending: 0,
            out: Vec::with_capacity(BLOCK),
            out_pos: 0,
            line: 0,
            mode: Mode::Header,
            eof: false,
            log,
        }
    }

    /// Decides one line (with its `\n`, if any).
    fn decide(&mut self, line: &[u8]) -> bool {
        self.line += 1;
        let body = trim(line);
        if body.is_empty() {
            return true;
        }
        match self.mode {
            Mode::Open => true,
            Mode::Header => {
                let first = first_field(strip_bom(body));
                self.mode = if first.eq_ignore_ascii_case(b"area_fips") {
                    Mode::Filter
                } else {
                    Mode::Open
                };
                true
            }
            Mode::Filter => {
                if memchr::memchr_iter(b'"', line).count() % 2 == 1 {
                    self.mode = Mode::Open;
                    return true;
                }
                let area = first_field(body);
                self.areas
                    .binary_search_by(|a| a.as_slice().cmp(area))
                    .is_ok()
            }
        }
    }

    /// Moves the decided lines of `buf[..end]` (`end` just after a `\n`, or the end of input)
    /// into `out`.
    fn sift(&mut self, end: usize) {
        let buf = std::mem::take(&mut self.buf);
        let mut start = 0;
        while start < end {
            let stop = memchr::memchr(b'\n', &buf[start..end]).map_or(end, |i| start + i + 1);
            let line = &buf[start..stop];
            let keep = self.decide(line);
            let mut log = self.log.borrow_mut();
            if keep {
                self.out.extend_from_slice(line);
                log.pass(self.line);
            } else {
                log.skipped_rows += 1;
            }
            start = stop;
        }
        self.buf = buf;
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !(self.eof && self.pending == 0) {
            if self.pending == self.buf.len() {
                // A line longer than the buffer: grow it.
                self.buf.resize(self.buf.len() * 2, 0);
            }
            let n = if self.eof {
                0
            } else {
                let n = self.inner.read(&mut self.buf[self.pending..])?;
                self.eof = n == 0;
                n
            };
            let filled = self.pending + n;
            let end = if self.eof {
                filled
            } else {
                match memchr::memrchr(b'\n', &self.buf[..filled]) {
                    Some(i) => i + 1,
                    None => {
                        self.pending = filled;
                        continue;
                    }
                }
            };
            self.sift(end);
            self.buf.copy_within(end..filled, 0);
            self.pending = filled - end;
        }
        Ok(())
    }
}

impl<R: Read> Read for LineGate<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.out.len() {
            self.refill()?;
        }
        let n = dst.len().min(self.out.len() - self.out_pos);
        dst[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// The first field of a line, without surrounding blanks and quotes.
fn first_field(line: &[u8]) -> &[u8] {
    let end = memchr::memchr(b',', line).unwrap_or(line.len());
    let f = trim(&line[..end]);
    let f = f
        .strip_prefix(b"\"")
        .and_then(|f| f.strip_suffix(b"\""))
        .unwrap_or(f);
    trim(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(input: &str, areas: &[&str]) -> (String, Rc<RefCell<GateLog>>) {
        let log = Rc::new(RefCell::new(GateLog::default()));
        let mut g = LineGate::new(
            input.as_bytes(),
            areas.iter().map(|a| a.as_bytes().to_vec()).collect(),
            log.clone(),
        );
        let mut out = String::new();
        g.read_to_string(&mut out).unwrap();
        (out, log)
    }

    #[test]
    fn keeps_the_header_blank_lines_and_wanted_areas() {
        let input = "\u{feff}\"area_fips\",\"own_code\"\n\"01001\",\"0\"\n\n\"39049\",\"5\"\r\n 01003 ,1\n\"39049\",\"0\"";
        let (out, log) = gate(input, &["39049"]);
        assert_eq!(
            out,
            "\u{feff}\"area_fips\",\"own_code\"\n\n\"39049\",\"5\"\r\n\"39049\",\"0\""
        );
        let log = log.borrow();
        assert_eq!(log.skipped_rows, 2);
        // Gated lines 1..4 are file lines 1, 3, 4, 6.
        let lines: Vec<u64> = (1..=4).map(|g| log.original_line(g)).collect();
        assert_eq!(lines, [1, 3, 4, 6]);
    }

    #[test]
    fn other_headers_and_odd_quotes_open_the_gate() {
        let (out, _) = gate("year,area_fips\n2020,01001\n", &["39049"]);
        assert_eq!(out, "year,area_fips\n2020,01001\n");
        let input = "area_fips,title\n01001,\"a\n39049,b\"\n01003,c\n";
        let (out, log) = gate(input, &["39049"]);
        assert_eq!(out, input, "everything passes from the odd-quote line on");
        assert_eq!(log.borrow().skipped_rows, 0);
    }

    #[test]
    fn long_lines_and_small_reads() {
        let long = "x".repeat(3 * BLOCK);
        let input = format!("area_fips,t\n01001,{long}\n39049,{long}\n");
        let (out, log) = gate(&input, &["39049"]);
        assert_eq!(out, format!("area_fips,t\n39049,{long}\n"));
        assert_eq!(log.borrow().original_line(2), 3);
    }
}
