//! A reader that turns `\r\n` and lone `\r` into `\n`, so the `csv` crate's line numbers are the
//! file's line numbers whatever the line endings (with `\r\n` it reports a record's start at the
//! previous line's `\n`). Streams; every input byte becomes at most one output byte.

use std::io::{self, Read};

pub(crate) struct Newlines<R> {
    inner: R,
    skip_lf: bool,
}

impl<R: Read> Newlines<R> {
    pub(crate) fn new(inner: R) -> Self {
        Newlines {
            inner,
            skip_lf: false,
        }
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
                if b == b'\r' {
                    out[w] = b'\n';
                    self.skip_lf = true;
                } else {
                    out[w] = b;
                }
                w += 1;
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
    fn line_endings() {
        assert_eq!(through(b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(through(b"a\rb\r"), b"a\nb\n");
        assert_eq!(through(b"a\nb"), b"a\nb");
        assert_eq!(through(b"a\r\r\nb"), b"a\n\nb");
        assert_eq!(through(b"\r\n\r\n"), b"\n\n");
    }
}
