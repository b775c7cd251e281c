//! The compact binary encoding of one QCEW chunk: every stored cell of one (area, year, quarter).
//!
//! QCEW is stored as one `qcew_chunks` row per (year, qtr, area_fips) whose `data` column holds
//! this encoding (see `crate::qcew` for why). Year, quarter and area are the chunk's key columns
//! and are not repeated inside the blob. The format is small, self-describing enough to be
//! checked on every read, and versioned by its first byte. No dependency beyond std.
//!
//! # Format, version 1
//!
//! ```text
//! chunk  = version:u8 (= 1)  n_rows:uvar  row × n_rows
//! row    = flags:uvar  own_code:svar  industry_code:text  agglvl_code:svar  size_code:svar
//!          dataset_delta:svar  value × (number of presence bits set in flags)
//! text   = len:uvar  UTF-8 bytes × len
//! flags  = bit 0 disclosed, bit 1 lq_disclosed, bit 2 oty_disclosed,
//!          bit 3 + i set ⇔ optional field i is present (not NULL), i in 0..15, in this order:
//!          estabs, employment, month1_emp, month2_emp, total_wages, avg_weekly_wage,
//!          avg_annual_pay, lq_employment, lq_total_wages, lq_estabs, oty_employment_chg,
//!          oty_employment_pct_chg, oty_total_wages_chg, oty_total_wages_pct_chg, oty_estabs_chg
//! value  = integer field: svar
//!          float field:   uvar t; t even ⇒ the value is unzigzag(t >> 1) / 100.0 (BLS publishes
//!                         LQs with 2 decimals and percentages with 1, and the division is
//!                         exact-rounded, so these round-trip bit for bit — the encoder checks);
//!                         t = 1 ⇒ 8 bytes follow: the IEEE-754 bits, little-endian.
//! uvar   = unsigned LEB128 (7 bits per byte, low first, high bit = more)
//! svar   = zigzag-mapped i64 as uvar
//! dataset_delta = the chunk's dataset_id − this row's dataset id (0 for rows written by the
//!          chunk's newest dataset), so each cell keeps the vintage it came from.
//! ```
//!
//! An absent (`None`) value is never written as a number: unknown stays distinct from zero.
//! Rows are kept sorted by BLS key (own_code, industry_code, agglvl_code, size_code) with no
//! duplicate keys. Decoding checks the version, lengths, UTF-8 and trailing bytes and reports a
//! damaged chunk as [`ChunkError`].

use crate::QcewDbRow;
use std::cmp::Ordering;

/// The version byte this module writes and reads.
pub const CHUNK_VERSION: u8 = 1;

/// Decoding failed: the blob is not a valid chunk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad QCEW chunk: {0}")]
pub struct ChunkError(pub String);

fn bad(what: impl Into<String>) -> ChunkError {
    ChunkError(what.into())
}

/// One stored cell with the id of the dataset it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkRow {
    pub row: QcewDbRow,
    pub dataset_id: i64,
}

/// Orders rows of one chunk by BLS key.
pub(crate) fn key_cmp(a: &QcewDbRow, b: &QcewDbRow) -> Ordering {
    a.own_code
        .cmp(&b.own_code)
        .then_with(|| a.industry_code.cmp(&b.industry_code))
        .then_with(|| a.agglvl_code.cmp(&b.agglvl_code))
        .then_with(|| a.size_code.cmp(&b.size_code))
}

/// Sorts rows by key and keeps one row per key: of rows with the same key, the one that came
/// **last** in `rows` wins. Returns how many rows were dropped (each one a replaced cell).
pub(crate) fn sort_dedup_last_wins(rows: &mut Vec<ChunkRow>) -> i64 {
    // Files list an area's cells in key order: then there is nothing to do.
    if rows.is_sorted_by(|a, b| key_cmp(&a.row, &b.row) == Ordering::Less) {
        return 0;
    }
    // A stable sort keeps input order among equal keys, so the last of each run is the newest.
    rows.sort_by(|a, b| key_cmp(&a.row, &b.row));
    let before = rows.len();
    let mut out: Vec<ChunkRow> = Vec::with_capacity(before);
    for r in rows.drain(..) {
        match out.last_mut() {
            Some(last) if key_cmp(&last.row, &r.row) == Ordering::Equal => *last = r,
            _ => out.push(r),
        }
    }
    *rows = out;
    (before - rows.len()) as i64
}

/// Whether the rows hold an all-industry total (own 0, industry 10): chunk metadata used by
/// `Store::qcew_periods_for`.
pub(crate) fn has_total(rows: &[ChunkRow]) -> bool {
    rows.iter()
        .any(|r| r.row.own_code == 0 && r.row.industry_code == "10")
}

#[inline]
fn put_uvar(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

#[inline]
fn put_svar(out: &mut Vec<u8>, v: i64) {
    put_uvar(out, zigzag(v));
}

/// Largest |k| for the scaled float form (2^53: every such integer is an exact f64).
const MAX_SCALED: f64 = 9_007_199_254_740_992.0;

fn put_f64(out: &mut Vec<u8>, v: f64) {
    let k = (v * 100.0).round();
    // Checked through the decoder's own arithmetic (so -0.0, NaN and infinities go raw).
    if k.abs() <= MAX_SCALED && ((k as i64) as f64 / 100.0).to_bits() == v.to_bits() {
        put_uvar(out, zigzag(k as i64) << 1);
    } else {
        out.push(1);
        out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
}

enum Val {
    I(Option<i64>),
    F(Option<f64>),
}

fn optional_fields(r: &QcewDbRow) -> [Val; 15] {
    [
        Val::I(r.estabs),
        Val::I(r.employment),
        Val::I(r.month1_emp),
        Val::I(r.month2_emp),
        Val::I(r.total_wages),
        Val::I(r.avg_weekly_wage),
        Val::I(r.avg_annual_pay),
        Val::F(r.lq_employment),
        Val::F(r.lq_total_wages),
        Val::F(r.lq_estabs),
        Val::I(r.oty_employment_chg),
        Val::F(r.oty_employment_pct_chg),
        Val::I(r.oty_total_wages_chg),
        Val::F(r.oty_total_wages_pct_chg),
        Val::I(r.oty_estabs_chg),
    ]
}

/// Encodes rows (already sorted and de-duplicated by [`sort_dedup_last_wins`]) of a chunk whose
/// newest dataset is `chunk_dataset`.
pub fn encode_chunk(rows: &[ChunkRow], chunk_dataset: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + rows.len() * 48);
    out.push(CHUNK_VERSION);
    put_uvar(&mut out, rows.len() as u64);
    for ChunkRow { row: r, dataset_id } in rows {
        let fields = optional_fields(r);
        let mut flags: u64 =
            (r.disclosed as u64) | ((r.lq_disclosed as u64) << 1) | ((r.oty_disclosed as u64) << 2);
        for (i, f) in fields.iter().enumerate() {
            let present = match f {
                Val::I(v) => v.is_some(),
                Val::F(v) => v.is_some(),
            };
            flags |= (present as u64) << (3 + i);
        }
        put_uvar(&mut out, flags);
        put_svar(&mut out, r.own_code);
        put_uvar(&mut out, r.industry_code.len() as u64);
        out.extend_from_slice(r.industry_code.as_bytes());
        put_svar(&mut out, r.agglvl_code);
        put_svar(&mut out, r.size_code);
        put_svar(&mut out, chunk_dataset.wrapping_sub(*dataset_id));
        for f in &fields {
            match f {
                Val::I(Some(v)) => put_svar(&mut out, *v),
                Val::F(Some(v)) => put_f64(&mut out, *v),
                _ => {}
            }
        }
    }
    out
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn byte(&mut self) -> Result<u8, ChunkError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or_else(|| bad(format!("truncated at byte {}", self.pos)))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn uvar(&mut self) -> Result<u64, ChunkError> {
        let mut v: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return Err(bad(format!("varint overflow at byte {}", self.pos)));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(bad(format!("varint too long at byte {}", self.pos)));
            }
        }
    }

    #[inline]
    fn svar(&mut self) -> Result<i64, ChunkError> {
        Ok(unzigzag(self.uvar()?))
    }

    fn f64(&mut self) -> Result<f64, ChunkError> {
        let t = self.uvar()?;
        if t & 1 == 0 {
            Ok(unzigzag(t >> 1) as f64 / 100.0)
        } else if t == 1 {
            let end = self.pos + 8;
            let bytes = self
                .data
                .get(self.pos..end)
                .ok_or_else(|| bad("truncated float"))?;
            self.pos = end;
            Ok(f64::from_bits(u64::from_le_bytes(
                bytes.try_into().expect("8 bytes"),
            )))
        } else {
            Err(bad(format!("unknown float tag {t}")))
        }
    }

    /// The text borrowed from the chunk (a row that a query skips costs no allocation).
    fn text(&mut self) -> Result<&'a str, ChunkError> {
        let len = usize::try_from(self.uvar()?).map_err(|_| bad("text too long"))?;
        let end = self
            .pos
            .checked_add(len)
            .ok_or_else(|| bad("text too long"))?;
        let bytes = self
            .data
            .get(self.pos..end)
            .ok_or_else(|| bad("truncated text"))?;
        self.pos = end;
        std::str::from_utf8(bytes).map_err(|_| bad("industry code is not UTF-8"))
    }
}

/// Decodes a chunk of (`year`, `qtr`, `area_fips`) whose newest dataset is `chunk_dataset`.
/// `keep` is asked after the key columns of each row are read; rows it refuses are skipped
/// without building them (a query's filters).
pub fn decode_chunk(
    year: i64,
    qtr: i64,
    area_fips: &str,
    chunk_dataset: i64,
    data: &[u8],
    mut keep: impl FnMut(i64, &str, i64, i64) -> bool,
) -> Result<Vec<ChunkRow>, ChunkError> {
    let mut c = Cursor { data, pos: 0 };
    let version = c.byte()?;
    if version != CHUNK_VERSION {
        return Err(bad(format!(
            "version {version}, this build reads {CHUNK_VERSION}"
        )));
    }
    let n = c.uvar()?;
    // Each row takes at least 6 bytes: a count beyond that is damage, not a reason to allocate.
    if n > data.len() as u64 {
        return Err(bad(format!("{n} rows in {} bytes", data.len())));
    }
    let mut rows = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let flags = c.uvar()?;
        if flags >> 18 != 0 {
            return Err(bad(format!("unknown flags {flags:#x}")));
        }
        let own_code = c.svar()?;
        let industry_code = c.text()?;
        let agglvl_code = c.svar()?;
        let size_code = c.svar()?;
        let dataset_id = chunk_dataset.wrapping_sub(c.svar()?);
        let wanted = keep(own_code, industry_code, agglvl_code, size_code);
        let has = |i: u32| flags & (1 << (3 + i)) != 0;
        let int = |c: &mut Cursor, i: u32| -> Result<Option<i64>, ChunkError> {
            if has(i) { c.svar().map(Some) } else { Ok(None) }
        };
        let estabs = int(&mut c, 0)?;
        let employment = int(&mut c, 1)?;
        let month1_emp = int(&mut c, 2)?;
        let month2_emp = int(&mut c, 3)?;
        let total_wages = int(&mut c, 4)?;
        let avg_weekly_wage = int(&mut c, 5)?;
        let avg_annual_pay = int(&mut c, 6)?;
        let flt = |c: &mut Cursor, i: u32| -> Result<Option<f64>, ChunkError> {
            if has(i) { c.f64().map(Some) } else { Ok(None) }
        };
        let lq_employment = flt(&mut c, 7)?;
        let lq_total_wages = flt(&mut c, 8)?;
        let lq_estabs = flt(&mut c, 9)?;
        let oty_employment_chg = int(&mut c, 10)?;
        let oty_employment_pct_chg = flt(&mut c, 11)?;
        let oty_total_wages_chg = int(&mut c, 12)?;
        let oty_total_wages_pct_chg = flt(&mut c, 13)?;
        let oty_estabs_chg = int(&mut c, 14)?;
        if !wanted {
            continue;
        }
        rows.push(ChunkRow {
            row: QcewDbRow {
                year,
                qtr,
                area_fips: area_fips.to_string(),
                own_code,
                industry_code: industry_code.to_string(),
                agglvl_code,
                size_code,
                disclosed: flags & 1 != 0,
                estabs,
                employment,
                month1_emp,
                month2_emp,
                total_wages,
                avg_weekly_wage,
                avg_annual_pay,
                lq_disclosed: flags & 2 != 0,
                lq_employment,
                lq_total_wages,
                lq_estabs,
                oty_disclosed: flags & 4 != 0,
                oty_employment_chg,
                oty_employment_pct_chg,
                oty_total_wages_chg,
                oty_total_wages_pct_chg,
                oty_estabs_chg,
            },
            dataset_id,
        });
    }
    if c.pos != data.len() {
        return Err(bad(format!(
            "{} trailing bytes after {n} rows",
            data.len() - c.pos
        )));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full_row() -> QcewDbRow {
        QcewDbRow {
            year: 2023,
            qtr: 2,
            area_fips: "39049".into(),
            own_code: 5,
            industry_code: "31-33".into(),
            agglvl_code: 74,
            size_code: 0,
            disclosed: true,
            estabs: Some(1),
            employment: Some(2),
            month1_emp: Some(3),
            month2_emp: Some(4),
            total_wages: Some(5_000_000_000_000),
            avg_weekly_wage: Some(6),
            avg_annual_pay: Some(7),
            lq_disclosed: true,
            lq_employment: Some(1.25),
            lq_total_wages: Some(0.1),
            lq_estabs: Some(std::f64::consts::PI),
            oty_disclosed: true,
            oty_employment_chg: Some(-8),
            oty_employment_pct_chg: Some(-2.5),
            oty_total_wages_chg: Some(i64::MIN),
            oty_total_wages_pct_chg: Some(-0.0),
            oty_estabs_chg: Some(i64::MAX),
        }
    }

    fn empty_row() -> QcewDbRow {
        QcewDbRow {
            industry_code: "10".into(),
            own_code: 0,
            agglvl_code: 70,
            disclosed: false,
            estabs: None,
            employment: None,
            month1_emp: None,
            month2_emp: None,
            total_wages: None,
            avg_weekly_wage: None,
            avg_annual_pay: None,
            lq_disclosed: false,
            lq_employment: None,
            lq_total_wages: None,
            lq_estabs: None,
            oty_disclosed: false,
            oty_employment_chg: None,
            oty_employment_pct_chg: None,
            oty_total_wages_chg: None,
            oty_total_wages_pct_chg: None,
            oty_estabs_chg: None,
            ..full_row()
        }
    }

    fn decode_all(data: &[u8], ds: i64) -> Vec<ChunkRow> {
        decode_chunk(2023, 2, "39049", ds, data, |_, _, _, _| true).unwrap()
    }

    fn bits(r: &QcewDbRow) -> Vec<Option<u64>> {
        [
            r.lq_employment,
            r.lq_total_wages,
            r.lq_estabs,
            r.oty_employment_pct_chg,
            r.oty_total_wages_pct_chg,
        ]
        .iter()
        .map(|v| v.map(f64::to_bits))
        .collect()
    }

    #[test]
    fn every_field_and_none_round_trip() {
        let mut rows = vec![
            ChunkRow {
                row: full_row(),
                dataset_id: 7,
            },
            ChunkRow {
                row: empty_row(),
                dataset_id: 3,
            },
        ];
        sort_dedup_last_wins(&mut rows);
        let data = encode_chunk(&rows, 7);
        let back = decode_all(&data, 7);
        assert_eq!(back, rows);
        for (a, b) in back.iter().zip(&rows) {
            assert_eq!(
                bits(&a.row),
                bits(&b.row),
                "floats bit for bit (incl. -0.0)"
            );
        }
        // Unknown stays unknown, never zero.
        let total = back.iter().find(|r| r.row.own_code == 0).unwrap();
        assert_eq!(total.row.employment, None);
        assert_eq!(total.dataset_id, 3);
    }

    #[test]
    fn empty_chunk_and_filter() {
        let data = encode_chunk(&[], 1);
        assert_eq!(decode_all(&data, 1), vec![]);
        let rows = vec![
            ChunkRow {
                row: empty_row(),
                dataset_id: 1,
            },
            ChunkRow {
                row: full_row(),
                dataset_id: 1,
            },
        ];
        let data = encode_chunk(&rows, 1);
        let only5 = decode_chunk(2023, 2, "39049", 1, &data, |own, _, _, _| own == 5).unwrap();
        assert_eq!(only5.len(), 1);
        assert_eq!(only5[0].row, full_row());
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let rows = vec![ChunkRow {
            row: full_row(),
            dataset_id: 1,
        }];
        let data = encode_chunk(&rows, 1);
        for cut in 0..data.len() {
            assert!(decode_chunk(1, 0, "x", 1, &data[..cut], |_, _, _, _| true).is_err());
        }
        let mut longer = data.clone();
        longer.push(0);
        assert!(decode_chunk(1, 0, "x", 1, &longer, |_, _, _, _| true).is_err());
        let mut v2 = data;
        v2[0] = 2;
        let e = decode_chunk(1, 0, "x", 1, &v2, |_, _, _, _| true).unwrap_err();
        assert!(e.to_string().contains("version 2"), "{e}");
    }

    #[test]
    fn dedup_keeps_the_last_and_counts() {
        let mut a = full_row();
        a.employment = Some(1);
        let mut b = full_row();
        b.employment = Some(2);
        let mut rows = vec![
            ChunkRow {
                row: a,
                dataset_id: 1,
            },
            ChunkRow {
                row: empty_row(),
                dataset_id: 1,
            },
            ChunkRow {
                row: b,
                dataset_id: 2,
            },
        ];
        assert_eq!(sort_dedup_last_wins(&mut rows), 1);
        assert_eq!(rows.len(), 2);
        let kept = rows.iter().find(|r| r.row.own_code == 5).unwrap();
        assert_eq!(kept.row.employment, Some(2));
        assert_eq!(kept.dataset_id, 2);
        assert!(has_total(&rows));
    }

    fn opt_i() -> impl Strategy<Value = Option<i64>> {
        prop_oneof![
            Just(None),
            any::<i64>().prop_map(Some),
            (-1000i64..1000).prop_map(Some)
        ]
    }

    fn opt_f() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            Just(None),
            any::<f64>().prop_map(Some),
            (-100_000i64..100_000).prop_map(|k| Some(k as f64 / 100.0)),
            (-10_000i64..10_000).prop_map(|k| Some(k as f64 / 10.0)),
        ]
    }

    prop_compose! {
        fn arb_row()(
            own_code in any::<i64>(), industry_code in "[0-9A-Za-z -]{0,12}",
            agglvl_code in any::<i64>(), size_code in any::<i64>(),
            flags in any::<[bool; 3]>(),
            ints in proptest::array::uniform10(opt_i()),
            floats in proptest::array::uniform5(opt_f()),
            dataset_id in any::<i64>(),
        ) -> ChunkRow {
            ChunkRow {
                row: QcewDbRow {
                    year: 2023, qtr: 2, area_fips: "39049".into(),
                    own_code, industry_code, agglvl_code, size_code,
                    disclosed: flags[0],
                    estabs: ints[0], employment: ints[1], month1_emp: ints[2],
                    month2_emp: ints[3], total_wages: ints[4], avg_weekly_wage: ints[5],
                    avg_annual_pay: ints[6],
                    lq_disclosed: flags[1],
                    lq_employment: floats[0], lq_total_wages: floats[1], lq_estabs: floats[2],
                    oty_disclosed: flags[2],
                    oty_employment_chg: ints[7], oty_employment_pct_chg: floats[3],
                    oty_total_wages_chg: ints[8], oty_total_wages_pct_chg: floats[4],
                    oty_estabs_chg: ints[9],
                },
                dataset_id,
            }
        }
    }

    proptest! {
        #[test]
        fn round_trip(mut rows in proptest::collection::vec(arb_row(), 0..40), ds in any::<i64>()) {
            sort_dedup_last_wins(&mut rows);
            let data = encode_chunk(&rows, ds);
            let back = decode_all(&data, ds);
            prop_assert_eq!(back.len(), rows.len());
            for (a, b) in back.iter().zip(&rows) {
                // NaN != NaN, so compare floats by bits and the rest by value.
                prop_assert_eq!(bits(&a.row), bits(&b.row));
                let strip = |r: &ChunkRow| {
                    let mut r = r.clone();
                    r.row.lq_employment = None;
                    r.row.lq_total_wages = None;
                    r.row.lq_estabs = None;
                    r.row.oty_employment_pct_chg = None;
                    r.row.oty_total_wages_pct_chg = None;
                    r
                };
                prop_assert_eq!(strip(a), strip(b));
            }
        }
    }
}
