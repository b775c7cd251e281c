//! A reader that turns `\r\n` and lone `\r` into `\n` and remembers where every line ends, so
//! readers built on the `csv` crate report the file's own line numbers. (`csv` counts a record's
//! line from where it started looking for it: after `\r\n` or a skipped blank line that is the
//! line before.) Streams; every input byte becomes at most one output byte.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

pub(crate) struct Newlines<R> {
    inner: R,
    skip_lf: bool,
    /// Output offset of the next byte.
    pos: u64,
    index: LineIndex,
}

/// Offsets (in the normalised stream) of every `\n` read so far.
#[derive(Clone, Default)]
pub(crate) struct LineIndex(Rc<RefCell<Vec<u64>>>);

impl LineIndex {
    /// The 1-based line of a record that `csv` says starts at `byte`: leading line ends are
    /// skipped (records never start with one), then the line ends before it are counted.
    pub(crate) fn line_of(&self, byte: u64) -> u64 {
        let ends = self.0.borrow();
        let mut i = ends.partition_point(|&e| e < byte);
        let mut b = byte;
        while ends.get(i) == Some(&b) {
            i += 1;
            b += 1;
        }
        i as u64 + 1
    }
}

impl<R: Read> Newlines<R> {
    pub(crate) fn new(inner: R) -> Self {
        Newlines {
            inner,
            skip_lf: false,
            pos: 0,
            index: LineIndex::default(),
        }
    }

    /// The line index this reader fills as it is read.
    pub(crate) fn index(&self) -> LineIndex {
        self.index.clone()
    }
}

impl<R: Read> Read for Newlines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(out)?;
            if n == 0 {
                return Ok(0);
            }
            let mut w = 0;
            for i in 0..n {
                let b = out[i];
                if std::mem::take(&mut self.skip_lf) && b == b'\n' {
                    continue;
                }
                let b = if b == b'\r' {
                    self.skip_lf = true;
                    b'\n'
                } else {
                    b
                };
                if b == b'\n' {
                    self.index.0.borrow_mut().push(self.pos);
                }
                out[w] = b;
                w += 1;
                self.pos += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads through a reader that hands out one byte at a time (buffer boundaries everywhere).
    fn through(s: &[u8]) -> Vec<u8> {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                match self.0.split_first() {
                    Some((b, rest)) if !out.is_empty() => {
                        out[0] = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let mut v = Vec::new();
        Newlines::new(OneByte(s)).read_to_end(&mut v).unwrap();
        let mut w = Vec::new();
        Newlines::new(s).read_to_end(&mut w).unwrap();
        assert_eq!(v, w);
        v
    }

    #[test]
    fn line_numbers_of_records() {
        let text = "h\r\n\r\na\r\nb\n\n\nc";
        let r = Newlines::new(text.as_bytes());
        let index = r.index();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(r);
        let lines: Vec<u64> = rdr
            .records()
            .map(|r| index.line_of(r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(lines, [1, 3, 4, 7]);
    }

    #[test]
    fn line_endings() {
        assert_eq!(through(b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(through(b"a\rb\r"), b"a\nb\n");
        assert_eq!(through(b"a\nb"), b"a\nb");
        assert_eq!(through(b"a\r\r\nb"), b"a\n\nb");
        assert_eq!(through(b"\r\n\r\n"), b"\n\n");
    }
}
