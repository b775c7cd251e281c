//! A calendar day (proleptic Gregorian, no time zone), stored and shown as `YYYY-MM-DD`.
//!
//! Meetings, action-item due dates and outreach touches are days, not instants: a meeting "on
//! 2026-03-04" is on that day wherever the server runs. Days count from 1970-01-01 so that
//! differences are plain subtraction (the civil-from-days algorithm of H. Hinnant).

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// A text that is not a `YYYY-MM-DD` day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: write it as YYYY-MM-DD, such as 2026-03-04")]
pub struct BadDay(pub String);

fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Day {
    /// The day of a year, month (1–12) and day of month, if it exists.
    pub fn ymd(y: i32, m: u32, d: u32) -> Option<Day> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
            .then(|| Day(days_from_civil(y, m, d)))
    }

    /// The UTC day of a Unix time in seconds.
    pub fn from_unix(secs: i64) -> Day {
        Day(secs.div_euclid(86_400) as i32)
    }

    /// Days since 1970-01-01.
    pub fn number(self) -> i32 {
        self.0
    }

    /// This day plus `n` days (negative goes back).
    pub fn plus(self, n: i32) -> Day {
        Day(self.0 + n)
    }

    /// Days from `earlier` to `self`.
    pub fn since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }

    pub fn year_month_day(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Day {
    type Err = BadDay;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || BadDay(s.to_string());
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, BadDay> {
            let part = &t[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Day::ymd(y as i32, m, d).ok_or_else(bad)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        assert_eq!(Day::ymd(1970, 1, 1).unwrap().number(), 0);
        assert_eq!(Day::ymd(2000, 3, 1).unwrap().number(), 11_017);
        let d: Day = "2026-12-07".parse().unwrap();
        assert_eq!(d.to_string(), "2026-12-07");
        // 2026-12-07 00:00:00 UTC is 1796601600.
        assert_eq!(Day::from_unix(1_796_601_600), d);
        assert_eq!(Day::from_unix(1_796_601_600 + 86_399), d);
        assert_eq!(d.since("2026-10-08".parse().unwrap()), 60);
        assert_eq!(
            "2024-02-29".parse::<Day>().unwrap().plus(1).to_string(),
            "2024-03-01"
        );
    }

    #[test]
    fn bad_days_are_refused() {
        for s in [
            "",
            "2026-2-1",
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "20x6-01-01",
            "2026/01/01",
        ] {
            assert!(s.parse::<Day>().is_err(), "{s}");
        }
        assert_eq!(
            "31/12/2026".parse::<Day>().unwrap_err().to_string(),
            "\"31/12/2026\" is not a date: write it as YYYY-MM-DD, such as 2026-03-04"
        );
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(n in -200_000i32..200_000) {
            let d = Day(n);
            let back: Day = d.to_string().parse().unwrap();
            prop_assert_eq!(back, d);
            prop_assert_eq!(d.plus(1).since(d), 1);
        }
    }
}
