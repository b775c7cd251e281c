//! The colours of every chart and map, chosen to stay distinguishable with the common colour
//! vision deficiencies and to meet WCAG contrast on the white background.
//!
//! Categorical colours are from the Okabe–Ito palette (blue `#0072B2` for ordinary marks,
//! vermillion `#D55E00` for highlighted ones — a blue/orange contrast that survives
//! deuteranopia, protanopia and tritanopia); highlighted marks also differ by outline and bold
//! labels, never by colour alone. The sequential map scale is a single-hue blue ramp with evenly
//! falling lightness. Text colours pass WCAG AA (4.5:1) on white; lines and marks that carry
//! meaning pass 3:1 (WCAG 1.4.11). The tests check those ratios.
//!
//! This module must not hold layout or chart logic.

/// Chart background.
pub const BACKGROUND: &str = "#ffffff";
/// Main text: titles, labels, values.
pub const TEXT: &str = "#1f2328";
/// Secondary text: tick labels, notes, quadrant labels.
pub const TEXT_MUTED: &str = "#4f5862";
/// Axis lines, reference lines.
pub const AXIS: &str = "#6e7781";
/// Grid lines (decorative, deliberately faint).
pub const GRID: &str = "#e1e4e8";
/// Ordinary marks (bubbles, bars): Okabe–Ito blue.
pub const MARK: &str = "#0072B2";
/// Outline of ordinary marks.
pub const MARK_STROKE: &str = "#00466e";
/// Highlighted marks (e.g. shortlisted industries): Okabe–Ito vermillion.
pub const HIGHLIGHT: &str = "#D55E00";
/// Outline of highlighted marks, and text in the highlight colour (passes 4.5:1).
pub const HIGHLIGHT_DARK: &str = "#8a3d00";
/// Placeholders for suppressed values: hatch lines.
pub const HATCH: &str = "#6e7781";
/// A county without data.
pub const NO_DATA: &str = "#ffffff";
/// County fill on a map without values.
pub const COUNTY: &str = "#e9edf1";
/// County borders.
pub const COUNTY_STROKE: &str = "#ffffff";
/// State outlines.
pub const STATE_STROKE: &str = "#3d444d";
/// Selected counties on a map without values.
pub const SELECTED: &str = "#0072B2";
/// Outline of selected counties on a choropleth map.
pub const SELECTED_STROKE: &str = "#D55E00";

/// Five-class sequential scale for choropleth maps, light (low) to dark (high).
pub const SEQUENTIAL: [&str; 5] = ["#dbe9f6", "#a3c8e6", "#5fa2d4", "#2a73b3", "#0b3f7a"];

/// `n` colours (1 ≤ n ≤ 5) of the sequential scale, spread across its range.
pub fn sequential(n: usize) -> Vec<&'static str> {
    match n {
        0 => Vec::new(),
        1 => vec![SEQUENTIAL[2]],
        2 => vec![SEQUENTIAL[1], SEQUENTIAL[3]],
        3 => vec![SEQUENTIAL[0], SEQUENTIAL[2], SEQUENTIAL[4]],
        4 => vec![SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[3], SEQUENTIAL[4]],
        _ => SEQUENTIAL.to_vec(),
    }
}

/// WCAG relative luminance of a `#rrggbb` colour (`None` if it is not one).
pub fn relative_luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let ch = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * ch(0)? + 0.7152 * ch(2)? + 0.0722 * ch(4)?)
}

/// WCAG contrast ratio between two `#rrggbb` colours (1 to 21).
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (relative_luminance(a)?, relative_luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_meets_wcag_aa_on_the_background() {
        for c in [TEXT, TEXT_MUTED, HIGHLIGHT_DARK] {
            let r = contrast_ratio(c, BACKGROUND).unwrap();
            assert!(r >= 4.5, "{c}: {r:.2}");
        }
    }

    #[test]
    fn meaningful_graphics_meet_3_to_1() {
        for c in [AXIS, MARK, HIGHLIGHT, HATCH, STATE_STROKE, SELECTED] {
            let r = contrast_ratio(c, BACKGROUND).unwrap();
            assert!(r >= 3.0, "{c}: {r:.2}");
        }
        // The selection outline stands out from the darkest and lightest classes alike.
        assert!(contrast_ratio(SELECTED_STROKE, SEQUENTIAL[4]).unwrap() >= 2.5);
        assert!(contrast_ratio(SELECTED_STROKE, SEQUENTIAL[0]).unwrap() >= 2.5);
    }

    #[test]
    fn sequential_scale_darkens_steadily() {
        let l: Vec<f64> = SEQUENTIAL
            .iter()
            .map(|c| relative_luminance(c).unwrap())
            .collect();
        for w in l.windows(2) {
            assert!(w[0] > w[1], "{l:?}");
        }
        // Neighbouring classes differ clearly (contrast ≥ 1.4 between each pair).
        for w in SEQUENTIAL.windows(2) {
            assert!(contrast_ratio(w[0], w[1]).unwrap() >= 1.4, "{w:?}");
        }
        // "No data" is distinguishable from the lightest class.
        assert!(contrast_ratio(NO_DATA, SEQUENTIAL[0]).unwrap() >= 1.15);
        assert_eq!(sequential(3).len(), 3);
    }

    #[test]
    fn luminance_of_black_and_white() {
        assert_eq!(relative_luminance("#000000"), Some(0.0));
        assert!((contrast_ratio("#000000", "#ffffff").unwrap() - 21.0).abs() < 1e-9);
        assert_eq!(relative_luminance("red"), None);
    }
}
