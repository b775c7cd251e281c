//! "Nice" axis ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) and the linear scale that maps data to
//! SVG coordinates.
//!
//! Pure arithmetic on finite numbers: non-finite input is replaced by a unit range, so an axis
//! always exists. This module must not format labels (see [`crate::format`]).

/// Ticks covering a data range.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// First tick (≤ the data minimum).
    pub lo: f64,
    /// Last tick (≥ the data maximum).
    pub hi: f64,
    /// Distance between ticks.
    pub step: f64,
    /// Tick values from `lo` to `hi`.
    pub values: Vec<f64>,
}

/// Nice ticks spanning `[min, max]` with about `target` intervals (at least 1).
///
/// `nice_ticks(0.0, 87.0, 5)` → `0, 20, 40, 60, 80, 100`.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    // Beyond ±1e15 the arithmetic below loses meaning; charts never pass such values.
    const LIMIT: f64 = 1e15;
    let (mut min, mut max) = if min.is_finite() && max.is_finite() {
        (
            min.min(max).clamp(-LIMIT, LIMIT),
            min.max(max).clamp(-LIMIT, LIMIT),
        )
    } else {
        (0.0, 1.0)
    };
    if max - min < 1e-12 {
        // A single value: open a range around it.
        let pad = if min.abs() > 1e-12 {
            min.abs() * 0.1
        } else {
            1.0
        };
        min -= pad;
        max += pad;
        if min < 0.0 && min + pad >= 0.0 {
            // Keep an all-non-negative value's axis non-negative.
            min = 0.0;
        }
    }
    let target = target.max(1) as f64;
    let raw = (max - min) / target;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    let lo = (min / step).floor() * step;
    let hi = (max / step).ceil() * step;
    let n = ((hi - lo) / step).round() as usize;
    if !(1..=1000).contains(&n) || !step.is_finite() {
        return nice_ticks(0.0, 1.0, 5);
    }
    let p = 10f64.powi(i32::from(decimals_for_step(step)));
    let values = (0..=n)
        .map(|i| {
            // Snap away binary noise (0.6000000000000001) and -0.
            let v = ((lo + step * i as f64) * p).round() / p;
            if v == 0.0 { 0.0 } else { v }
        })
        .collect();
    Ticks {
        lo,
        hi,
        step,
        values,
    }
}

/// [`nice_ticks`] for `target`, `target + 1` and `target + 2` intervals, keeping the one that
/// overshoots the data least (ties: fewer ticks), so an axis does not run far past its data.
pub fn tight_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let target = target.max(1);
    (target..=target + 2)
        .map(|t| nice_ticks(min, max, t))
        .min_by(|a, b| {
            (a.hi - a.lo)
                .total_cmp(&(b.hi - b.lo))
                .then(a.values.len().cmp(&b.values.len()))
        })
        .unwrap_or_else(|| nice_ticks(min, max, target))
}

/// Ticks for an axis `length` pixels long whose labels must not collide: among 1 to 10
/// intervals, those whose labels (`label_width` of each tick value, plus a 12-pixel gap) fit
/// between neighbouring ticks; of these, the one that overshoots the data least, then the one
/// closest to a tick every `spacing` pixels. Falls back to the fewest ticks.
pub fn fit_ticks(
    min: f64,
    max: f64,
    length: f64,
    spacing: f64,
    label_width: impl Fn(&Ticks, f64) -> f64,
) -> Ticks {
    let desired = (length / spacing.max(1.0)).max(1.0);
    let fits = |t: &Ticks| {
        let n = t.values.len().max(2) - 1;
        let gap = length / n as f64;
        t.values.iter().all(|v| label_width(t, *v) + 12.0 <= gap)
    };
    let mut best: Option<Ticks> = None;
    for target in 1..=10 {
        let t = nice_ticks(min, max, target);
        if !fits(&t) {
            continue;
        }
        let better = match &best {
            None => true,
            Some(b) => {
                let (sa, sb) = (t.hi - t.lo, b.hi - b.lo);
                sa < sb * (1.0 - 1e-9)
                    || ((sa - sb).abs() <= sb * 1e-9
                        && ((t.values.len() - 1) as f64 - desired).abs()
                            < ((b.values.len() - 1) as f64 - desired).abs())
            }
        };
        if better {
            best = Some(t);
        }
    }
    best.unwrap_or_else(|| nice_ticks(min, max, 1))
}

/// Decimals needed to print every multiple of `step` exactly (`0.25` → 2, `5` → 0).
pub fn decimals_for_step(step: f64) -> u8 {
    let mut d = 0u8;
    let mut s = step.abs();
    while d < 6 && (s - s.round()).abs() > 1e-9 * s.max(1.0) {
        s *= 10.0;
        d += 1;
    }
    d
}

/// A linear map from a data domain to a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Data start.
    pub d0: f64,
    /// Data end.
    pub d1: f64,
    /// Pixel position of `d0`.
    pub r0: f64,
    /// Pixel position of `d1`.
    pub r1: f64,
}

impl Linear {
    /// The pixel position of `v`.
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < 1e-300 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_ranges() {
        assert_eq!(
            nice_ticks(0.0, 87.0, 5).values,
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = nice_ticks(-12.3, 31.0, 5);
        assert_eq!(t.values, vec![-20.0, -10.0, 0.0, 10.0, 20.0, 30.0, 40.0]);
        let t = nice_ticks(0.0, 2.3, 4);
        assert_eq!(t.step, 1.0);
        let t = nice_ticks(0.1, 0.9, 4);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn ticks_cover_the_data() {
        for (a, b) in [
            (0.3, 0.31),
            (-5.0, -1.0),
            (1e6, 3.2e6),
            (0.0, 0.0),
            (7.0, 7.0),
        ] {
            let t = nice_ticks(a, b, 5);
            assert!(t.lo <= a && t.hi >= b, "{a} {b} {t:?}");
            assert!(t.values.len() >= 2 && t.values.len() <= 12, "{t:?}");
        }
        let t = nice_ticks(f64::NAN, 1.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
    }

    #[test]
    fn tight_ticks_overshoot_less() {
        assert_eq!(nice_ticks(0.0, 121_500.0, 4).hi, 150_000.0);
        let t = tight_ticks(0.0, 121_500.0, 4);
        assert_eq!((t.hi, t.step), (125_000.0, 25_000.0));
    }

    #[test]
    fn fitted_ticks_leave_room_for_labels() {
        // 125 px for 0–121,500 with 40-px labels: at most 2 intervals fit.
        let t = fit_ticks(0.0, 121_500.0, 125.0, 90.0, |_, _| 40.0);
        assert!(t.values.len() <= 3, "{t:?}");
        assert!(t.hi >= 121_500.0);
        // Plenty of room: the tightest range wins.
        let t = fit_ticks(0.0, 121_500.0, 600.0, 90.0, |_, _| 40.0);
        assert_eq!(t.hi, 125_000.0);
    }

    #[test]
    fn decimals() {
        assert_eq!(decimals_for_step(5.0), 0);
        assert_eq!(decimals_for_step(0.25), 2);
        assert_eq!(decimals_for_step(0.2), 1);
    }

    #[test]
    fn linear_scale() {
        let s = Linear {
            d0: 0.0,
            d1: 10.0,
            r0: 100.0,
            r1: 0.0,
        };
        assert_eq!(s.map(5.0), 50.0);
        let flat = Linear { d1: 0.0, ..s };
        assert_eq!(flat.map(3.0), 50.0);
    }
}
