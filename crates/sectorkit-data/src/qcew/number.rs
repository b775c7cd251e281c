//! Fast, strict parsing of the numeric text found in QCEW fields.
//!
//! Integers (`727016`, `-38413`), decimals (`1.00`, `-5.0`, pandas' `1.0`) and, through the
//! standard library, anything else `f64` accepts that is finite. An empty field is `Ok(None)`;
//! anything that is not a number is `Err(())` for the caller to turn into a located error.
//! Pure functions: no IO, no allocation on the fast paths.

/// Powers of ten exactly representable as `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Strips ASCII blanks at both ends.
#[inline]
pub(crate) fn trim(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// Digits only, into a `u64`; `None` on overflow or a non-digit.
#[inline]
fn digits(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// Splits an integer written with an all-zero fraction (`12.0`, as pandas writes integer
/// columns that once held a NaN) into its integer part.
#[inline]
fn integer_part(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == b'.') {
        Some(dot) if b[dot + 1..].iter().all(|&c| c == b'0') => &b[..dot],
        _ => b,
    }
}

/// A non-negative integer count or dollar amount.
#[inline]
pub(crate) fn parse_u64(raw: &[u8]) -> Result<Option<u64>, ()> {
    let b = trim(raw);
    if b.is_empty() {
        return Ok(None);
    }
    digits(integer_part(b)).map(Some).ok_or(())
}

/// A signed integer (over-the-year level changes).
#[inline]
pub(crate) fn parse_i64(raw: &[u8]) -> Result<Option<i64>, ()> {
    let b = trim(raw);
    if b.is_empty() {
        return Ok(None);
    }
    let (neg, body) = match b {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, b),
    };
    let v = digits(integer_part(body)).ok_or(())?;
    if neg {
        // -(2^63) fits; anything beyond does not.
        if v <= i64::MAX as u64 + 1 {
            Ok(Some((v as i128).wrapping_neg() as i64))
        } else {
            Err(())
        }
    } else {
        i64::try_from(v).map(Some).map_err(|_| ())
    }
}

/// A decimal number (location quotients, percent changes).
///
/// Fast path for plain decimals with at most 15 significant digits: the digits form an integer
/// `m < 2^53` and the value is `m / 10^k`, a single correctly rounded IEEE division of two exact
/// values, so the result equals what `str::parse::<f64>` returns. Everything else goes through
/// the standard parser; non-finite results (`inf`, `NaN`) are rejected.
#[inline]
pub(crate) fn parse_f64(raw: &[u8]) -> Result<Option<f64>, ()> {
    let b = trim(raw);
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(v) = fast_decimal(b) {
        return Ok(Some(v));
    }
    let s = std::str::from_utf8(b).map_err(|_| ())?;
    // The standard parser accepts words such as "inf" and "nan"; we do not.
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return Err(());
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(()),
    }
}

#[inline]
fn fast_decimal(b: &[u8]) -> Option<f64> {
    let (neg, body) = match b {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, b),
    };
    let mut m: u64 = 0;
    let mut n_digits = 0usize;
    let mut frac: Option<usize> = None;
    for &c in body {
        if c == b'.' {
            if frac.is_some() {
                return None;
            }
            frac = Some(0);
            continue;
        }
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        m = m * 10 + u64::from(d);
        n_digits += 1;
        if n_digits > 15 {
            return None;
        }
        if let Some(f) = frac.as_mut() {
            *f += 1;
        }
    }
    if n_digits == 0 {
        return None;
    }
    let v = m as f64 / POW10[frac.unwrap_or(0)];
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b"727016"), Ok(Some(727016)));
        assert_eq!(parse_u64(b" 45718355278 "), Ok(Some(45718355278)));
        assert_eq!(parse_u64(b"12.0"), Ok(Some(12)));
        assert_eq!(parse_u64(b""), Ok(None));
        assert_eq!(parse_u64(b"12x"), Err(()));
        assert_eq!(parse_u64(b"-1"), Err(()));
        assert_eq!(parse_u64(b"12.5"), Err(()));
        assert_eq!(parse_u64(b"99999999999999999999"), Err(()));
        assert_eq!(parse_i64(b"-38413"), Ok(Some(-38413)));
        assert_eq!(parse_i64(b"+7"), Ok(Some(7)));
        assert_eq!(parse_i64(b"-9223372036854775808"), Ok(Some(i64::MIN)));
        assert_eq!(parse_i64(b"9223372036854775808"), Err(()));
        assert_eq!(parse_i64(b"-"), Err(()));
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_f64(b"1.00"), Ok(Some(1.0)));
        assert_eq!(parse_f64(b"1.0"), Ok(Some(1.0)));
        assert_eq!(parse_f64(b"-5.0"), Ok(Some(-5.0)));
        assert_eq!(parse_f64(b"0.48"), Ok(Some(0.48)));
        assert_eq!(parse_f64(b"38.62"), Ok(Some(38.62)));
        assert_eq!(parse_f64(b"1e3"), Ok(Some(1000.0)));
        assert_eq!(
            parse_f64(b"12345678901234567.5"),
            Ok(Some(12345678901234567.5))
        );
        for bad in [&b"inf"[..], b"NaN", b"1.2.3", b".", b"-", b"1,5", b"x"] {
            assert_eq!(
                parse_f64(bad),
                Err(()),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    proptest! {
        #[test]
        fn fast_path_matches_std(int in 0u64..1_000_000_000, frac in 0u32..100_000, k in 0usize..6, neg: bool) {
            let f = format!("{:0width$}", frac % 10u32.pow(k as u32).max(1), width = k);
            let s = if k == 0 { format!("{}{int}", if neg { "-" } else { "" }) } else { format!("{}{int}.{f}", if neg { "-" } else { "" }) };
            let expect: f64 = s.parse().unwrap();
            prop_assert_eq!(parse_f64(s.as_bytes()), Ok(Some(expect)), "{}", s);
        }

        #[test]
        fn any_f64_round_trips(v in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            let s = v.to_string();
            prop_assert_eq!(parse_f64(s.as_bytes()), Ok(Some(v)));
        }
    }
}
