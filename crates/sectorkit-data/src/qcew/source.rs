//! Byte-level plumbing under the CSV parser: the SHA-256 of the file as stored, computed while
//! streaming; compression detection from magic bytes; and UTF-8 BOM removal.
//!
//! Nothing here knows about QCEW columns, and nothing here buffers a whole file.

use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How the file is packed, detected from its first bytes (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Plain CSV text.
    None,
    /// gzip (`1f 8b`), possibly several members.
    Gzip,
    /// zip archive (`PK\x03\x04`, or `PK\x05\x06` for an empty one).
    Zip,
}

/// Largest forward gap the hasher fills by reading it at once (zip local headers, skipped
/// members); larger gaps are left for [`HashingReader::finish`].
const GAP_FILL: u64 = 1 << 20;

/// Bytes handed to the hashing thread at a time.
const HASH_BLOCK: usize = 1 << 20;

/// A SHA-256 computed on a helper thread, so that hashing (~10% of reading a plain file) runs
/// beside the CSV parsing instead of in series with it. The reading thread copies the bytes into
/// 1 MiB blocks and sends them, in order, over a bounded channel (at most a few MiB in flight).
/// When no thread can be started it hashes inline.
pub(crate) enum BackgroundSha {
    Thread {
        block: Vec<u8>,
        tx: std::sync::mpsc::SyncSender<Vec<u8>>,
        handle: std::thread::JoinHandle<String>,
    },
    Inline(Sha256),
}

impl BackgroundSha {
    pub(crate) fn new() -> BackgroundSha {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let spawned = std::thread::Builder::new()
            .name("sha256".into())
            .spawn(move || {
                let mut h = Sha256::new();
                for block in rx {
                    h.update(&block);
                }
                hex::encode(h.finalize())
            });
        match spawned {
            Ok(handle) => BackgroundSha::Thread {
                block: Vec::with_capacity(HASH_BLOCK),
                tx,
                handle,
            },
            Err(_) => BackgroundSha::Inline(Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            BackgroundSha::Inline(h) => h.update(data),
            BackgroundSha::Thread { block, tx, .. } => {
                block.extend_from_slice(data);
                if block.len() >= HASH_BLOCK {
                    let full = std::mem::replace(block, Vec::with_capacity(HASH_BLOCK));
                    // A send fails only if the thread died; `finish` then reports it.
                    let _ = tx.send(full);
                }
            }
        }
    }

    /// The hex digest of every byte passed to [`update`](Self::update), in order.
    pub(crate) fn finish(self) -> io::Result<String> {
        match self {
            BackgroundSha::Inline(h) => Ok(hex::encode(h.finalize())),
            BackgroundSha::Thread { block, tx, handle } => {
                if !block.is_empty() {
                    let _ = tx.send(block);
                }
                drop(tx);
                handle
                    .join()
                    .map_err(|_| io::Error::other("the SHA-256 thread failed"))
            }
        }
    }
}

/// Wraps the file; feeds the SHA-256 with the file's bytes **in order, exactly once**, as they
/// are read, whatever seeks the zip reader makes.
///
/// `hashed` is the length of the prefix already hashed. A read that starts at or before it
/// hashes the new part; a read a little ahead of it first reads and hashes the gap; a read far
/// ahead (the zip central directory at the end) is not hashed now, and
/// [`finish`](HashingReader::finish) hashes whatever remains. Plain and gzip files are read
/// sequentially, so each byte is read once.
pub(crate) struct HashingReader<R> {
    inner: R,
    pos: u64,
    hashed: u64,
    /// `None` when the caller does not need the file's SHA-256 (saves ~15% of a plain read).
    hasher: Option<BackgroundSha>,
    /// Shared with the progress reporter: bytes hashed so far (= bytes consumed in order).
    progress: Rc<Cell<u64>>,
}

impl<R: Read + Seek> HashingReader<R> {
    pub(crate) fn new(inner: R, progress: Rc<Cell<u64>>, hash: bool) -> HashingReader<R> {
        HashingReader {
            inner,
            pos: 0,
            hashed: 0,
            hasher: hash.then(BackgroundSha::new),
            progress,
        }
    }

    fn fill_gap(&mut self, upto: u64) -> io::Result<()> {
        if self.hasher.is_none() {
            self.hashed = self.hashed.max(upto);
            self.progress.set(self.hashed);
            return Ok(());
        }
        self.inner.seek(SeekFrom::Start(self.hashed))?;
        let mut buf = vec![0u8; 64 * 1024];
        while self.hashed < upto {
            let want =
                usize::try_from((upto - self.hashed).min(buf.len() as u64)).unwrap_or(buf.len());
            let n = self.inner.read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            if let Some(h) = self.hasher.as_mut() {
                h.update(&buf[..n]);
            }
            self.hashed += n as u64;
        }
        self.progress.set(self.hashed);
        self.inner.seek(SeekFrom::Start(self.pos))?;
        Ok(())
    }

    /// Hashes the rest of the file and returns (SHA-256 hex, file length).
    /// Hashes the rest of the file and returns (SHA-256 hex — empty when hashing was off —,
    /// file length).
    pub(crate) fn finish(mut self) -> io::Result<(String, u64)> {
        let end = self.inner.seek(SeekFrom::End(0))?;
        self.pos = end;
        if self.hashed < end {
            self.fill_gap(end)?;
        }
        let sha = match self.hasher.take() {
            Some(h) => h.finish()?,
            None => String::new(),
        };
        Ok((sha, end))
    }
}

impl<R: Read + Seek> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos > self.hashed && self.pos - self.hashed <= GAP_FILL {
            let upto = self.pos;
            self.fill_gap(upto)?;
        }
        let n = self.inner.read(buf)?;
        let start = self.pos;
        let end = start + n as u64;
        if start <= self.hashed && end > self.hashed {
            let skip = usize::try_from(self.hashed - start).unwrap_or(0);
            if let Some(h) = self.hasher.as_mut() {
                h.update(&buf[skip..n]);
            }
            self.hashed = end;
            self.progress.set(end);
        }
        self.pos = end;
        Ok(n)
    }
}

impl<R: Seek> Seek for HashingReader<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

/// Reads the first bytes and rewinds. `Ok(None)` for a zero-byte file.
pub(crate) fn sniff<R: Read + Seek>(r: &mut R) -> io::Result<Option<Compression>> {
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < magic.len() {
        let n = r.read(&mut magic[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    r.seek(SeekFrom::Start(0))?;
    Ok(match &magic[..got] {
        [] => None,
        [0x1f, 0x8b, ..] => Some(Compression::Gzip),
        [b'P', b'K', 3, 4] | [b'P', b'K', 5, 6] => Some(Compression::Zip),
        _ => Some(Compression::None),
    })
}

/// Drops a leading UTF-8 byte-order mark, so that the CSV parser sees a clean first field
/// (a BOM before a quoted header would otherwise make the quotes literal).
pub(crate) struct SkipBom<R> {
    inner: R,
    head: [u8; 3],
    head_len: usize,
    head_pos: usize,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    pub(crate) fn new(inner: R) -> SkipBom<R> {
        SkipBom {
            inner,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            checked: false,
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            while self.head_len < 3 {
                let n = self.inner.read(&mut self.head[self.head_len..])?;
                if n == 0 {
                    break;
                }
                self.head_len += n;
            }
            self.checked = true;
            if self.head[..self.head_len] == [0xEF, 0xBB, 0xBF] {
                self.head_pos = 3;
            }
        }
        if self.head_pos < self.head_len {
            let n = (self.head_len - self.head_pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
            self.head_pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn sha(b: &[u8]) -> String {
        hex::encode(Sha256::digest(b))
    }

    #[test]
    fn hash_of_sequential_read_is_file_hash() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut r = HashingReader::new(Cursor::new(data.clone()), Rc::default(), true);
        let mut sink = Vec::new();
        r.read_to_end(&mut sink).unwrap();
        assert_eq!(r.finish().unwrap(), (sha(&data), data.len() as u64));
    }

    #[test]
    fn hash_survives_seeks_rereads_and_far_jumps() {
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 253) as u8).collect();
        let mut r = HashingReader::new(Cursor::new(data.clone()), Rc::default(), true);
        let mut buf = [0u8; 1000];
        // Peek, rewind, jump to the end (like a zip directory read), come back, skip a gap.
        r.read_exact(&mut buf[..4]).unwrap();
        r.seek(SeekFrom::Start(0)).unwrap();
        r.seek(SeekFrom::End(-500)).unwrap();
        r.read_exact(&mut buf[..500]).unwrap();
        r.seek(SeekFrom::Start(0)).unwrap();
        r.read_exact(&mut buf).unwrap();
        r.seek(SeekFrom::Start(5_000)).unwrap();
        r.read_exact(&mut buf).unwrap();
        r.seek(SeekFrom::Start(2_500_000)).unwrap();
        r.read_exact(&mut buf).unwrap();
        assert_eq!(r.finish().unwrap(), (sha(&data), data.len() as u64));
    }

    #[test]
    fn sniffs_magic() {
        for (bytes, want) in [
            (&b""[..], None),
            (b"a", Some(Compression::None)),
            (b"\x1f\x8b\x08\x00", Some(Compression::Gzip)),
            (b"PK\x03\x04rest", Some(Compression::Zip)),
            (b"\"area_fips\"", Some(Compression::None)),
        ] {
            let mut c = Cursor::new(bytes);
            assert_eq!(sniff(&mut c).unwrap(), want);
            assert_eq!(c.position(), 0);
        }
    }

    #[test]
    fn bom_is_dropped_once() {
        let mut out = String::new();
        SkipBom::new(Cursor::new("\u{feff}a,b\n\u{feff}".as_bytes()))
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a,b\n\u{feff}");
        let mut out = String::new();
        SkipBom::new(Cursor::new(&b"ab"[..]))
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "ab");
    }
}
