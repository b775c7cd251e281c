//! A field splitter for plain CSV lines, ahead of the general CSV parser.
//!
//! Nearly every line of an official QCEW file is plain: fields are either bare (no `"`, no
//! `,`) or wholly quoted with no `"` inside (`"01001","1","10",...`). For such a line the
//! splitter only records where each field starts and ends, copying nothing, which measured
//! about a fifth of a national import's time in the general parser (its state machine and the
//! copy of every field into a `ByteRecord`). Anything else (an escaped `""`, a `"` inside a bare
//! field, bytes after a closing quote, a quoted field running past the line end) makes the
//! splitter say no, and the caller parses that input with the `csv` crate instead, so every
//! line means exactly what the general parser makes of it (a property test checks that the
//! two agree wherever the splitter says yes).
//!
//! The line is what lies before a `\n` (a CRLF's `\r` stays in the last field, as with the
//! general parser configured by `record_reader`).

use std::ops::Index;

use super::Fields;

/// One split line: the line's bytes and the `(start, end)` of each field in them.
pub(crate) struct Line<'a> {
    pub bytes: &'a [u8],
    pub bounds: &'a [(usize, usize)],
}

impl Index<usize> for Line<'_> {
    type Output = [u8];
    #[inline]
    fn index(&self, i: usize) -> &[u8] {
        let (s, e) = self.bounds[i];
        &self.bytes[s..e]
    }
}

impl Fields for Line<'_> {
    #[inline]
    fn count(&self) -> usize {
        self.bounds.len()
    }
}

/// Lines up to this long are split through bit masks; longer ones byte by byte.
const MASK_BYTES: usize = 256;
const WORDS: usize = MASK_BYTES / 64;

/// Splits a plain `line` (no `\n` in it) into `out`; `false` when the line is not plain (see
/// the module docs), and then `out` means nothing.
///
/// Decision: bit masks, not a byte loop. A byte loop branches at every `,` of fields a few
/// bytes long and measured about 13% of a national import in mispredicted branches; here the
/// bytes become masks of `,` and `"` eight at a time (SWAR, portable, no `unsafe`), the quoted
/// spans come from a prefix XOR of the quote mask (as simdjson finds strings), and the checks
/// that make a line plain are a few mask operations per 64 bytes.
#[inline]
pub(crate) fn split_line(line: &[u8], out: &mut Vec<(usize, usize)>) -> bool {
    let n = line.len();
    if n > MASK_BYTES {
        return split_line_bytes(line, out);
    }
    out.clear();
    let nw = n.div_ceil(64);
    let (mut comma, mut quote) = ([0u64; WORDS], [0u64; WORDS]);
    let mut put = |k: usize, w: u64| {
        let shift = (k % 8) * 8;
        comma[k / 8] |= eq_bits(w, b',') << shift;
        quote[k / 8] |= eq_bits(w, b'"') << shift;
    };
    let chunks = line.chunks_exact(8);
    let rest = chunks.remainder();
    let full = n / 8;
    for (k, chunk) in chunks.enumerate() {
        // A fixed-size read: no call to memcpy (which a copy of a variable length is).
        put(k, u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
    }
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        put(full, u64::from_le_bytes(w));
    }
    // in_quotes bit i: an odd number of `"` at positions <= i (so an opening quote is inside
    // and a closing one outside).
    let mut in_quotes = [0u64; WORDS];
    let mut carry = 0u64;
    for w in 0..nw {
        in_quotes[w] = prefix_xor(quote[w]) ^ carry;
        carry = ((in_quotes[w] as i64) >> 63) as u64;
    }
    if carry != 0 {
        return false; // a quoted field runs past the line
    }
    let mut sep = [0u64; WORDS];
    for w in 0..nw {
        sep[w] = comma[w] & !in_quotes[w];
    }
    let last = n.wrapping_sub(1);
    for w in 0..nw {
        let open = quote[w] & in_quotes[w];
        let close = quote[w] & !in_quotes[w];
        // Bit i: a field starts at i (i = 0, or a separator at i - 1).
        let starts = (sep[w] << 1) | if w == 0 { 1 } else { sep[w - 1] >> 63 };
        // Bit i: a field ends just after i (a separator at i + 1, or the line's last byte).
        let mut ends = (sep[w] >> 1) | if w + 1 < nw { sep[w + 1] << 63 } else { 0 };
        if last / 64 == w {
            ends |= 1 << (last % 64);
        }
        if open & !starts != 0 || close & !ends != 0 {
            return false;
        }
    }
    let mut start = 0;
    for (w, &bits) in sep.iter().enumerate().take(nw) {
        let mut bits = bits;
        while bits != 0 {
            let at = w * 64 + bits.trailing_zeros() as usize;
            push_field(line, start, at, out);
            start = at + 1;
            bits &= bits - 1;
        }
    }
    push_field(line, start, n, out);
    true
}

/// A field `[s, e)` of a checked line: a quoted one without its quotes.
#[inline]
fn push_field(line: &[u8], s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    if s < e && line[s] == b'"' {
        out.push((s + 1, e - 1));
    } else {
        out.push((s, e));
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Bit k (0..8) set ⇔ byte k of the little-endian word `w` is `c`.
#[inline]
fn eq_bits(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    // High bit of each byte set ⇔ that byte of x is zero (exact: no carry crosses bytes).
    let zero = !(((x & LOW7) + LOW7) | x) & HIGH;
    // Gathers the eight high bits into the low byte, byte k to bit k.
    (zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Bit i of the result: the XOR of bits 0..=i of `x`.
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// [`split_line`] byte by byte, for long lines (and the reference the tests compare with).
fn split_line_bytes(line: &[u8], out: &mut Vec<(usize, usize)>) -> bool {
    out.clear();
    let n = line.len();
    let (mut start, mut i) = (0, 0);
    while i < n {
        match line[i] {
            b',' => {
                out.push((start, i));
                start = i + 1;
            }
            b'"' => {
                // Only a field that starts with a quote is quoted; a bare field's `"` is odd.
                if i != start {
                    return false;
                }
                let mut j = i + 1;
                while j < n && line[j] != b'"' {
                    j += 1;
                }
                if j == n {
                    return false;
                }
                out.push((i + 1, j));
                if j + 1 == n {
                    return true;
                }
                if line[j + 1] != b',' {
                    return false;
                }
                start = j + 2;
                i = start;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, n));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<Vec<String>> {
        let (mut b, mut c) = (Vec::new(), Vec::new());
        let masks = split_line(s.as_bytes(), &mut b);
        let bytes = split_line_bytes(s.as_bytes(), &mut c);
        assert_eq!(masks, bytes, "{s:?}");
        if masks {
            assert_eq!(b, c, "{s:?}");
        }
        masks.then(|| {
            let l = Line {
                bytes: s.as_bytes(),
                bounds: &b,
            };
            (0..l.count())
                .map(|i| String::from_utf8(l[i].to_vec()).unwrap())
                .collect()
        })
    }

    /// What the general parser, configured as the reader configures it, makes of one line.
    fn general(s: &str) -> Vec<String> {
        let mut r = super::super::record_reader(s.as_bytes(), 64);
        let mut rec = csv::ByteRecord::new();
        assert!(r.read_byte_record(&mut rec).unwrap());
        rec.iter()
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn plain_lines_split_like_the_general_parser() {
        for s in [
            "\"01000\",\"1\",\"10\",2023,\"A\",,12.5,N",
            "a,b,",
            "\"a\",",
            ",",
            "x",
            "\"\"",
            "\"a,b\",c",
            "1,2\r",
        ] {
            assert_eq!(split(s), Some(general(s)), "{s:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_parser() {
        for s in ["\"a\"\"b\",1", "a\"b,1", "\"a\"b,1", "\"open,1", "1,\"x"] {
            assert_eq!(split(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        /// Wherever the splitter says yes, it agrees with the general parser.
        #[test]
        fn agrees_with_the_general_parser(s in "[a1 \",\r]{1,40}") {
            if let Some(fields) = split(&s) {
                proptest::prop_assert_eq!(fields, general(&s));
            }
        }

        /// Plain lines of any length (across 64-byte words, and past the mask limit) split
        /// the same both ways and like the general parser.
        #[test]
        fn long_plain_lines(fields in proptest::collection::vec("(\"[a ,]{0,9}\"|[a1]{0,9})", 1..60)) {
            let s = fields.join(",");
            proptest::prop_assume!(!s.is_empty()); // no line, no record
            let got = split(&s);
            proptest::prop_assert!(got.is_some(), "{:?}", s);
            proptest::prop_assert_eq!(got.unwrap(), general(&s));
        }

        /// Lines near the word edges with a stray quote anywhere.
        #[test]
        fn odd_quotes_near_word_edges(s in "[a,\"]{60,140}") {
            if let Some(fields) = split(&s) {
                proptest::prop_assert_eq!(fields, general(&s));
            }
        }
    }
}
