//! Number formatting for labels, tooltips and text alternatives: thousands separators, dollars,
//! percents (optionally signed), fixed decimals and compact `12.3k` / `1.2M`.
//!
//! Formatting only: this module must not round data for computation, and it never prints `NaN`
//! or `inf` (a non-finite value formats as `n/a`). Negative numbers use the typographic minus
//! sign `−` (U+2212), which screen readers read as "minus".

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberFormat {
    /// `1,234,567` (rounded to an integer).
    #[default]
    Integer,
    /// `1,234.57` with the given number of decimals.
    Decimal(u8),
    /// `$52,340` (rounded to whole dollars).
    Dollars,
    /// `12.3%` — the value is already in percent (12.3, not 0.123).
    Percent(u8),
    /// `+12.3%` / `−4.0%` — percent with an explicit sign, for growth.
    SignedPercent(u8),
    /// `950`, `12.3k`, `1.2M`, `3.4B`.
    Compact,
    /// `$950`, `$52.3k`, `$1.2M`.
    CompactDollars,
}

const MINUS: char = '\u{2212}';

impl NumberFormat {
    /// Formats `v`; a non-finite value gives `n/a`.
    pub fn format(self, v: f64) -> String {
        if !v.is_finite() {
            return "n/a".to_string();
        }
        match self {
            NumberFormat::Integer => grouped(v, 0),
            NumberFormat::Decimal(d) => grouped(v, d),
            NumberFormat::Dollars => dollars(v, |a| grouped(a, 0)),
            NumberFormat::Percent(d) => format!("{}%", grouped(v, d)),
            NumberFormat::SignedPercent(d) => {
                let s = grouped(v, d);
                if s.starts_with(MINUS) || s.chars().all(|c| c == '0' || c == '.') {
                    format!("{s}%")
                } else {
                    format!("+{s}%")
                }
            }
            NumberFormat::Compact => compact(v),
            NumberFormat::CompactDollars => dollars(v, compact),
        }
    }
}

fn dollars(v: f64, f: impl Fn(f64) -> String) -> String {
    let s = f(v.abs());
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("{MINUS}${s}")
    } else {
        format!("${s}")
    }
}

/// `v` rounded to `decimals`, with `,` between groups of three digits.
pub fn grouped(v: f64, decimals: u8) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{:.*}", decimals as usize, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + 8);
    let zero = s.bytes().all(|b| b == b'0' || b == b'.');
    if v < 0.0 && !zero {
        out.push(MINUS);
    }
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `950`, `12.3k`, `123k`, `1.2M`, `3.4B`: three significant digits at most, trailing `.0`
/// dropped.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    let sign = if v < 0.0 && a >= 0.5 {
        MINUS.to_string()
    } else {
        String::new()
    };
    // A unit is used once the value rounds to at least 1 of it: 999,500 is "1M", not "1000k".
    for (scale, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] {
        if a >= scale * 0.9995 {
            return format!("{sign}{}{suffix}", trim(a / scale));
        }
    }
    format!("{sign}{}", a.round())
}

fn trim(x: f64) -> String {
    let s = if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_get_thousands_separators() {
        assert_eq!(NumberFormat::Integer.format(0.0), "0");
        assert_eq!(NumberFormat::Integer.format(999.4), "999");
        assert_eq!(NumberFormat::Integer.format(1234567.0), "1,234,567");
        assert_eq!(NumberFormat::Integer.format(-1234.0), "−1,234");
        assert_eq!(NumberFormat::Integer.format(-0.2), "0");
        assert_eq!(NumberFormat::Decimal(2).format(1234.567), "1,234.57");
    }

    #[test]
    fn dollars_and_percents() {
        assert_eq!(NumberFormat::Dollars.format(52340.4), "$52,340");
        assert_eq!(NumberFormat::Dollars.format(-1500.0), "−$1,500");
        assert_eq!(NumberFormat::Percent(1).format(12.345), "12.3%");
        assert_eq!(NumberFormat::SignedPercent(1).format(4.46), "+4.5%");
        assert_eq!(NumberFormat::SignedPercent(1).format(-4.0), "−4.0%");
        assert_eq!(NumberFormat::SignedPercent(1).format(-0.01), "0.0%");
        assert_eq!(NumberFormat::SignedPercent(0).format(0.0), "0%");
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12_345.0), "12.3k");
        assert_eq!(compact(123_456.0), "123k");
        assert_eq!(compact(1_000.0), "1k");
        assert_eq!(compact(999_950.0), "1M");
        assert_eq!(compact(1_234_567.0), "1.2M");
        assert_eq!(compact(-2_500.0), "−2.5k");
        assert_eq!(compact(3.4e9), "3.4B");
        assert_eq!(NumberFormat::CompactDollars.format(52_340.0), "$52.3k");
    }

    #[test]
    fn non_finite_is_not_a_number_string() {
        for f in [
            NumberFormat::Integer,
            NumberFormat::Compact,
            NumberFormat::Dollars,
            NumberFormat::SignedPercent(1),
        ] {
            assert_eq!(f.format(f64::NAN), "n/a");
            assert_eq!(f.format(f64::NEG_INFINITY), "n/a");
        }
    }
}
