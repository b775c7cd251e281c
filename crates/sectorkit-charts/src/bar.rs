//! Horizontal bar charts ("employment of the top industries", "average pay of the top
//! industries"): one row per item, sorted by value, category labels on the left (truncated with
//! `…`, full text in the tooltip), value labels at the bar ends, a value axis, an optional
//! reference line (e.g. the regional average pay) and a legend.
//!
//! A missing value (suppressed, not disclosed) is drawn as a dashed, hatched placeholder with its
//! status text — never as a bar of length zero that would read as 0. The chart's height follows
//! from the number of rows. This module must not compute the values it shows.

use crate::attrs;
use crate::bubble::tick_format;
use crate::format::NumberFormat;
use crate::layout::flow;
use crate::palette;
use crate::svg::{
    Root, Svg, chart_id, draw_title, text_width, text_width_weight, title_lines, truncate_to_width,
    truncate_weight,
};
use crate::ticks::{Linear, nice_ticks};

/// One bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarItem {
    /// Industry code, written to `data-code`.
    pub code: String,
    /// Category label (e.g. the industry title).
    pub label: String,
    /// The value; `None` = suppressed or otherwise unavailable.
    pub value: Option<f64>,
    /// Why the value is missing (shown instead of a bar, e.g. `suppressed`), or a note on a
    /// published value (shown in the tooltip).
    pub status_note: Option<String>,
    /// Highlight this bar (e.g. shortlisted): other colour and bold label.
    pub highlighted: bool,
}

/// A labelled reference value drawn as a vertical dashed line across the bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The value.
    pub value: f64,
    /// What it is, e.g. `Regional average, all industries`.
    pub label: String,
}

/// How to draw a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarOptions {
    /// Chart title (drawn, class `sk-title`; also the accessible name).
    pub title: String,
    /// Value axis title with units, e.g. `Employment, 2024 annual average`.
    pub value_label: String,
    /// Format of values, ticks and the reference.
    pub format: NumberFormat,
    /// Width in SVG units (clamped to 240–4,000). The height follows from the number of bars.
    pub width: f64,
    /// Sort from highest to lowest (missing values last); `false` keeps the input order.
    pub sort: bool,
    /// Optional reference line.
    pub reference: Option<Reference>,
    /// Legend text for highlighted bars.
    pub highlight_name: String,
}

impl Default for BarOptions {
    fn default() -> Self {
        BarOptions {
            title: String::new(),
            value_label: String::new(),
            format: NumberFormat::Integer,
            width: 640.0,
            sort: true,
            reference: None,
            highlight_name: "Shortlisted".into(),
        }
    }
}

const FS: f64 = 12.0;
const ROW: f64 = 26.0;
const BAR_H: f64 = 18.0;
const SUPPRESSED: &str = "suppressed";

/// A usable value: finite and within ±[`crate::MAX_ABS_VALUE`] (anything else is treated as
/// missing).
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite() && x.abs() <= crate::MAX_ABS_VALUE)
}

fn missing_text(it: &BarItem) -> String {
    it.status_note
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| SUPPRESSED.to_string())
}

/// Renders a horizontal bar chart as a self-contained SVG document.
pub fn bar_chart(items: &[BarItem], opts: &BarOptions) -> String {
    let w = if opts.width.is_finite() {
        opts.width.clamp(240.0, 4000.0)
    } else {
        640.0
    };
    let mut rows: Vec<&BarItem> = items.iter().collect();
    if opts.sort {
        rows.sort_by(|a, b| match (finite(a.value), finite(b.value)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    let reference = opts
        .reference
        .as_ref()
        .filter(|r| finite(Some(r.value)).is_some());
    let fmt = opts.format;
    let any_missing = rows.iter().any(|r| finite(r.value).is_none());
    let any_high = rows.iter().any(|r| r.highlighted);

    // ---- horizontal layout ----
    let label_w = rows
        .iter()
        .map(|r| text_width_weight(&r.label, FS, r.highlighted))
        .fold(0.0, f64::max)
        .clamp(40.0, (w * 0.4).max(60.0));
    let value_w = rows
        .iter()
        .filter_map(|r| finite(r.value))
        .map(|v| text_width(&fmt.format(v), FS))
        .fold(0.0, f64::max);
    let pl = 10.0 + label_w + 8.0;
    let pr = (w - 12.0 - value_w - 6.0).max(pl + 60.0);
    let vals: Vec<f64> = rows.iter().filter_map(|r| finite(r.value)).collect();
    let (mut lo, mut hi) = vals
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    if let Some(r) = reference {
        lo = lo.min(r.value);
        hi = hi.max(r.value);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let tick_fmt = |step: f64| match fmt {
        NumberFormat::Integer => NumberFormat::Compact,
        NumberFormat::Dollars => NumberFormat::CompactDollars,
        f => tick_format(f, step),
    };
    // The axis spans the data (bars may reach the right edge); ticks are the nice values inside
    // it, as many as fit without their labels colliding, about one per 90 units.
    let span = pr - pl;
    let desired = (span / 90.0).max(1.0);
    let ticks = (1..=10)
        .map(|t| {
            let mut tk = nice_ticks(lo, hi, t);
            let eps = tk.step * 1e-9;
            tk.values.retain(|v| *v >= lo - eps && *v <= hi + eps);
            tk
        })
        .filter(|tk| {
            let gap = tk.step / (hi - lo) * span;
            tk.values
                .iter()
                .all(|v| text_width(&tick_fmt(tk.step).format(*v), FS) + 12.0 <= gap)
        })
        .min_by(|a, b| {
            let da = ((a.values.len() as f64) - 1.0 - desired).abs();
            let db = ((b.values.len() as f64) - 1.0 - desired).abs();
            da.total_cmp(&db)
        })
        .unwrap_or_else(|| {
            let mut tk = nice_ticks(lo, hi, 1);
            tk.values.retain(|v| *v >= lo && *v <= hi);
            tk
        });
    let xs = Linear {
        d0: lo,
        d1: hi,
        r0: pl,
        r1: pr,
    };
    let tfmt = tick_fmt(ticks.step);

    // ---- vertical layout ----
    let (title, title_h) = title_lines(&opts.title, w);
    let top = if title.is_empty() { 8.0 } else { title_h };
    let ref_row = if reference.is_some() { 18.0 } else { 0.0 };
    let pt = top + ref_row + 4.0;
    let pb = pt + ROW * rows.len().max(1) as f64;
    let axis_h = 20.0
        + if opts.value_label.is_empty() {
            0.0
        } else {
            20.0
        };
    let mut legend: Vec<(bool, String)> = Vec::new();
    if any_high {
        legend.push((true, opts.highlight_name.clone()));
    }
    if any_missing {
        legend.push((
            false,
            "No bar: value suppressed or not available".to_string(),
        ));
    }
    let sizes: Vec<(f64, f64)> = legend
        .iter()
        .map(|(high, t)| (22.0 + text_width_weight(t, FS, *high), 14.0))
        .collect();
    let (legend_pos, legend_h) = flow(&sizes, 10.0, 0.0, w - 20.0, 18.0, 6.0);
    let h = pb
        + axis_h
        + if legend.is_empty() {
            4.0
        } else {
            legend_h + 16.0
        };

    let desc = describe(&rows, opts);
    let id = chart_id("bar", &[&opts.title, &desc]);
    let hatch_id = format!("{id}-hatch");
    let hatch_fill = format!("url(#{hatch_id})");
    let mut s = Svg::new(&Root {
        width: w,
        height: h,
        title: if opts.title.is_empty() {
            "Bar chart"
        } else {
            &opts.title
        },
        desc: &desc,
        class: "sk-chart sk-bar-chart",
        id: &id,
    });
    if any_missing {
        s.open("defs", &[]);
        hatch_pattern(&mut s, &hatch_id);
        s.close();
    }
    s.leaf(
        "rect",
        attrs![
            ("class", "sk-bg"),
            ("width", w),
            ("height", h),
            ("fill", palette::BACKGROUND)
        ],
    );
    draw_title(&mut s, &title, palette::TEXT);

    // ---- grid and axis ----
    s.open(
        "g",
        attrs![
            ("class", "axis"),
            ("font-size", FS),
            ("fill", palette::TEXT_MUTED)
        ],
    );
    for v in &ticks.values {
        let x = xs.map(*v);
        let stroke = if *v == 0.0 {
            palette::AXIS
        } else {
            palette::GRID
        };
        s.leaf(
            "line",
            attrs![
                ("class", "grid"),
                ("x1", x),
                ("x2", x),
                ("y1", pt),
                ("y2", pb),
                ("stroke", stroke)
            ],
        );
        s.text(
            "text",
            attrs![("x", x), ("y", pb + 16.0), ("text-anchor", "middle")],
            &tfmt.format(*v),
        );
    }
    if !opts.value_label.is_empty() {
        s.text(
            "text",
            attrs![
                ("class", "axis-title"),
                ("x", (pl + pr) / 2.0),
                ("y", pb + 36.0),
                ("text-anchor", "middle"),
                ("font-size", 13.0),
                ("fill", palette::TEXT)
            ],
            &truncate_to_width(&opts.value_label, w - 20.0, 13.0),
        );
    }
    s.close();

    // ---- bars (marks and category labels; values come after the reference line) ----
    let x0 = xs.map(0.0);
    let row_y = |i: usize| pt + ROW * i as f64;
    s.open("g", attrs![("class", "bars"), ("font-size", FS)]);
    for (i, it) in rows.iter().enumerate() {
        let y = row_y(i);
        let by = y + (ROW - BAR_H) / 2.0;
        let mid = y + ROW / 2.0 + 4.0;
        let value = finite(it.value);
        let class = match (it.highlighted, value.is_some()) {
            (false, true) => "bar",
            (true, true) => "bar highlighted",
            (false, false) => "bar suppressed",
            (true, false) => "bar highlighted suppressed",
        };
        s.open("g", attrs![("class", class), ("data-code", &it.code)]);
        s.title(&tooltip(it, fmt));
        let label = truncate_weight(&it.label, label_w, FS, it.highlighted);
        let (weight, fill) = if it.highlighted {
            ("700", palette::HIGHLIGHT_DARK)
        } else {
            ("400", palette::TEXT)
        };
        s.text(
            "text",
            attrs![
                ("class", "bar-label"),
                ("x", pl - 8.0),
                ("y", mid),
                ("text-anchor", "end"),
                ("font-weight", weight),
                ("fill", fill)
            ],
            &label,
        );
        match value {
            Some(v) => {
                let x1 = xs.map(v);
                let (bx, bw) = if x1 >= x0 {
                    (x0, x1 - x0)
                } else {
                    (x1, x0 - x1)
                };
                let (fill, stroke, sw) = if it.highlighted {
                    (palette::HIGHLIGHT, palette::HIGHLIGHT_DARK, 1.5)
                } else {
                    (palette::MARK, palette::MARK_STROKE, 0.0)
                };
                s.leaf(
                    "rect",
                    attrs![
                        ("x", bx),
                        ("y", by),
                        ("width", bw.max(0.5)),
                        ("height", BAR_H),
                        ("fill", fill),
                        ("stroke", stroke),
                        ("stroke-width", sw)
                    ],
                );
            }
            None => {
                let text =
                    truncate_to_width(&missing_text(it), (w - 12.0 - x0 - 26.0).max(40.0), FS);
                let pw = text_width(&text, FS) + 28.0;
                s.leaf(
                    "rect",
                    attrs![
                        ("class", "placeholder"),
                        ("x", x0 + 0.5),
                        ("y", by),
                        ("width", pw),
                        ("height", BAR_H),
                        ("fill", palette::BACKGROUND),
                        ("stroke", palette::HATCH),
                        ("stroke-dasharray", "3 2")
                    ],
                );
                s.leaf(
                    "rect",
                    attrs![
                        ("x", x0 + 3.5),
                        ("y", by + 3.0),
                        ("width", 14.0),
                        ("height", BAR_H - 6.0),
                        ("fill", hatch_fill.as_str())
                    ],
                );
                s.text(
                    "text",
                    attrs![
                        ("class", "bar-status"),
                        ("x", x0 + 22.0),
                        ("y", mid),
                        ("font-style", "italic"),
                        ("fill", palette::TEXT_MUTED)
                    ],
                    &text,
                );
            }
        }
        s.close();
    }
    s.close();

    // ---- reference line ----
    if let Some(r) = reference {
        let x = xs.map(r.value);
        let text = format!("{}: {}", r.label, fmt.format(r.value));
        let text = truncate_to_width(&text, w - 20.0, FS);
        let tw = text_width(&text, FS);
        let (tx, anchor) = if x + tw / 2.0 > w - 10.0 {
            (w - 10.0, "end")
        } else if x - tw / 2.0 < 10.0 {
            (10.0, "start")
        } else {
            (x, "middle")
        };
        s.open("g", attrs![("class", "ref-line")]);
        s.leaf(
            "line",
            attrs![
                ("x1", x),
                ("x2", x),
                ("y1", pt - 4.0),
                ("y2", pb),
                ("stroke", palette::TEXT),
                ("stroke-width", 1.5),
                ("stroke-dasharray", "4 3")
            ],
        );
        s.text(
            "text",
            attrs![
                ("x", tx),
                ("y", pt - 8.0),
                ("text-anchor", anchor),
                ("font-size", FS),
                ("fill", palette::TEXT)
            ],
            &text,
        );
        s.close();
    }

    // ---- value labels, on top of the reference line, with a white halo ----
    s.open(
        "g",
        attrs![
            ("class", "bar-values"),
            ("font-size", FS),
            ("fill", palette::TEXT),
            ("stroke", palette::BACKGROUND),
            ("stroke-width", 3.0),
            ("stroke-linejoin", "round"),
            ("paint-order", "stroke")
        ],
    );
    for (i, it) in rows.iter().enumerate() {
        if let Some(v) = finite(it.value) {
            let x1 = xs.map(v);
            let (tx, anchor) = if v >= 0.0 {
                (x1 + 4.0, "start")
            } else {
                (x1 - 4.0, "end")
            };
            s.text(
                "text",
                attrs![
                    ("class", "bar-value"),
                    ("data-code", &it.code),
                    ("x", tx),
                    ("y", row_y(i) + ROW / 2.0 + 4.0),
                    ("text-anchor", anchor)
                ],
                &fmt.format(v),
            );
        }
    }
    s.close();

    // ---- legend ----
    if !legend.is_empty() {
        let ly = pb + axis_h + 8.0;
        s.open(
            "g",
            attrs![
                ("class", "legend"),
                ("font-size", FS),
                ("fill", palette::TEXT)
            ],
        );
        for ((high, text), (x, dy)) in legend.iter().zip(&legend_pos) {
            let y = ly + dy;
            if *high {
                s.leaf(
                    "rect",
                    attrs![
                        ("x", *x),
                        ("y", y),
                        ("width", 14.0),
                        ("height", 12.0),
                        ("fill", palette::HIGHLIGHT),
                        ("stroke", palette::HIGHLIGHT_DARK),
                        ("stroke-width", 1.5)
                    ],
                );
                s.text(
                    "text",
                    attrs![("x", x + 20.0), ("y", y + 10.5), ("font-weight", "700")],
                    text,
                );
            } else {
                s.leaf(
                    "rect",
                    attrs![
                        ("x", *x),
                        ("y", y),
                        ("width", 14.0),
                        ("height", 12.0),
                        ("fill", hatch_fill.as_str()),
                        ("stroke", palette::HATCH),
                        ("stroke-dasharray", "3 2")
                    ],
                );
                s.text("text", attrs![("x", x + 20.0), ("y", y + 10.5)], text);
            }
        }
        s.close();
    }
    s.finish()
}

/// A diagonal hatch pattern (`id`) for "suppressed" placeholders.
pub(crate) fn hatch_pattern(s: &mut Svg, id: &str) {
    s.open(
        "pattern",
        attrs![
            ("id", id),
            ("width", 6.0),
            ("height", 6.0),
            ("patternUnits", "userSpaceOnUse"),
            ("patternTransform", "rotate(45)")
        ],
    );
    s.leaf(
        "rect",
        attrs![
            ("width", 6.0),
            ("height", 6.0),
            ("fill", palette::BACKGROUND)
        ],
    );
    s.leaf(
        "line",
        attrs![
            ("x1", 0.0),
            ("y1", 0.0),
            ("x2", 0.0),
            ("y2", 6.0),
            ("stroke", palette::HATCH),
            ("stroke-width", 2.0)
        ],
    );
    s.close();
}

fn tooltip(it: &BarItem, fmt: NumberFormat) -> String {
    let name = if it.code.is_empty() {
        it.label.clone()
    } else {
        format!("{} {}", it.code, it.label)
    };
    match finite(it.value) {
        Some(v) => match &it.status_note {
            Some(n) if !n.trim().is_empty() => format!("{name}: {} ({n})", fmt.format(v)),
            _ => format!("{name}: {}", fmt.format(v)),
        },
        None => format!("{name}: {}", missing_text(it)),
    }
}

fn describe(rows: &[&BarItem], o: &BarOptions) -> String {
    let what = if o.value_label.is_empty() {
        "value".to_string()
    } else {
        o.value_label.clone()
    };
    let mut d = format!(
        "Horizontal bar chart of {} {} by {}",
        rows.len(),
        if rows.len() == 1 { "item" } else { "items" },
        what
    );
    if o.sort {
        d.push_str(", highest first");
    }
    d.push('.');
    let listed: Vec<String> = rows
        .iter()
        .take(20)
        .map(|r| match finite(r.value) {
            Some(v) => format!("{} {}", r.label, o.format.format(v)),
            None => format!("{} {}", r.label, missing_text(r)),
        })
        .collect();
    if !listed.is_empty() {
        d.push_str(&format!(
            " {}{}.",
            listed.join("; "),
            if rows.len() > 20 { "; …" } else { "" }
        ));
    }
    let missing = rows.iter().filter(|r| finite(r.value).is_none()).count();
    if missing > 0 {
        d.push_str(&format!(
            " {missing} without a published value (drawn as a placeholder, not as zero)."
        ));
    }
    if let Some(r) = o
        .reference
        .as_ref()
        .filter(|r| finite(Some(r.value)).is_some())
    {
        d.push_str(&format!(
            " Reference line: {} {}.",
            r.label,
            o.format.format(r.value)
        ));
    }
    let high: Vec<&str> = rows
        .iter()
        .filter(|r| r.highlighted)
        .map(|r| r.label.as_str())
        .collect();
    if !high.is_empty() {
        d.push_str(&format!(" {}: {}.", o.highlight_name, high.join("; ")));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, label: &str, value: Option<f64>) -> BarItem {
        BarItem {
            code: code.into(),
            label: label.into(),
            value,
            ..Default::default()
        }
    }

    #[test]
    fn sorted_descending_missing_last_and_never_a_zero_bar() {
        let items = vec![
            item("1", "Small", Some(10.0)),
            item("2", "Secret", None),
            item("3", "Big", Some(100.0)),
        ];
        let svg = bar_chart(&items, &BarOptions::default());
        let big = svg.find("data-code=\"3\"").unwrap();
        let small = svg.find("data-code=\"1\"").unwrap();
        let secret = svg.find("data-code=\"2\"").unwrap();
        assert!(big < small && small < secret);
        assert!(svg.contains("class=\"bar suppressed\""));
        assert!(svg.contains(">suppressed</text>"));
        // The suppressed row has no solid bar: only the dashed placeholder and the swatch.
        let row = &svg[secret..svg[secret..].find("</g>").unwrap() + secret];
        assert!(!row.contains(palette::MARK), "{row}");
    }

    #[test]
    fn long_labels_are_truncated_with_full_text_in_title() {
        let long = "Professional, scientific, and technical services and a very long tail";
        let svg = bar_chart(
            &[item("54", long, Some(5.0))],
            &BarOptions {
                width: 320.0,
                ..Default::default()
            },
        );
        assert!(svg.contains(&format!("<title>54 {long}: 5</title>")));
        assert!(svg.contains('…'));
    }
}
