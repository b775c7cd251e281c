//! The target-industry bubble chart: growth across, location quotient up, bubble **area**
//! proportional to employment, reference lines at growth = 0 and LQ = 1 that split the plot into
//! four labelled quadrants, labels for the largest and the highlighted industries, and a legend.
//!
//! Values arrive computed (growth in percent, LQ as a ratio); this module must not compute
//! statistics, and it never draws a point whose position is unknown: points without x or y are
//! counted in the text alternative instead. A point whose size is unknown is drawn as a small
//! dashed outline and the legend says what that means.

use crate::attrs;
use crate::format::NumberFormat;
use crate::layout::{Rect, flow};
use crate::palette;
use crate::svg::{
    Root, Svg, chart_id, draw_title, num, text_width, text_width_weight, title_lines,
    truncate_to_width, truncate_weight,
};
use crate::ticks::{Linear, decimals_for_step, fit_ticks, tight_ticks};

/// One industry on the bubble chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BubblePoint {
    /// Industry code (NAICS), written to `data-code`.
    pub code: String,
    /// Industry title.
    pub title: String,
    /// Growth in percent (change over the base period, or projected growth); `None` = unknown.
    pub x: Option<f64>,
    /// Location quotient (employment); `None` = unknown.
    pub y: Option<f64>,
    /// Employment (bubble area); `None` = not disclosed.
    pub size: Option<f64>,
    /// Highlight this industry (e.g. shortlisted): other colour, outline, always labelled.
    pub highlighted: bool,
}

/// How to draw a bubble chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BubbleOptions {
    /// Chart title (drawn at the top, class `sk-title`; also the accessible name).
    pub title: String,
    /// Horizontal axis title with units, e.g. `Employment growth 2019–2024 (%)`.
    pub x_label: String,
    /// Vertical axis title, e.g. `Location quotient (employment)`.
    pub y_label: String,
    /// Width of the drawing in SVG units (clamped to 240–4,000; about the container's width in pixels).
    pub width: f64,
    /// Height (clamped to 200–4,000).
    pub height: f64,
    /// Label the N largest bubbles (highlighted ones are labelled in addition).
    pub label_top_n: usize,
    /// Short name of x in tooltips and the description.
    pub x_name: String,
    /// Short name of y.
    pub y_name: String,
    /// Short name of the size variable.
    pub size_name: String,
    /// Format of x values.
    pub x_format: NumberFormat,
    /// Format of y values.
    pub y_format: NumberFormat,
    /// Format of sizes.
    pub size_format: NumberFormat,
    /// Legend text for highlighted bubbles.
    pub highlight_name: String,
    /// Radius of the largest bubble; default from the chart size.
    pub max_radius: Option<f64>,
}

impl Default for BubbleOptions {
    fn default() -> Self {
        BubbleOptions {
            title: String::new(),
            x_label: "Employment growth (%)".into(),
            y_label: "Location quotient (employment)".into(),
            width: 720.0,
            height: 480.0,
            label_top_n: 8,
            x_name: "growth".into(),
            y_name: "LQ".into(),
            size_name: "employment".into(),
            x_format: NumberFormat::SignedPercent(1),
            y_format: NumberFormat::Decimal(2),
            size_format: NumberFormat::Integer,
            highlight_name: "Shortlisted".into(),
            max_radius: None,
        }
    }
}

/// Smallest radius drawn, so that tiny industries stay visible (areas below it are not to
/// scale; the floor is far below the legend's smallest circle).
pub const MIN_RADIUS: f64 = 1.5;

/// Radius of a bubble of `size` when the largest size `max_size` has radius `max_radius`:
/// `max_radius × √(size / max_size)`, so the **area** is proportional to the size; never below
/// [`MIN_RADIUS`], and [`MIN_RADIUS`] for a non-positive or non-finite size.
pub fn bubble_radius(size: f64, max_size: f64, max_radius: f64) -> f64 {
    if !(size.is_finite() && max_size.is_finite()) || size <= 0.0 || max_size <= 0.0 {
        return MIN_RADIUS;
    }
    (max_radius * (size / max_size).min(1.0).sqrt()).max(MIN_RADIUS)
}

const FS_TICK: f64 = 12.0;
const FS_LABEL: f64 = 12.0;
const FS_AXIS: f64 = 13.0;
const LINE: f64 = 15.0;

/// A usable value: finite and within ±[`crate::MAX_ABS_VALUE`] (anything else is treated as
/// missing).
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite() && x.abs() <= crate::MAX_ABS_VALUE)
}

/// Same kind of format with as many decimals as the tick step needs.
pub(crate) fn tick_format(f: NumberFormat, step: f64) -> NumberFormat {
    let d = decimals_for_step(step);
    match f {
        NumberFormat::Decimal(_) => NumberFormat::Decimal(d),
        NumberFormat::Percent(_) => NumberFormat::Percent(d),
        NumberFormat::SignedPercent(_) => NumberFormat::SignedPercent(d),
        NumberFormat::Integer if d > 0 => NumberFormat::Decimal(d),
        other => other,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Largest 1, 2, 3, 4 or 5 × 10ⁿ not above `v`.
fn nice_floor(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 0.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    [5.0, 4.0, 3.0, 2.0, 1.0]
        .iter()
        .map(|m| m * mag)
        .find(|c| *c <= v * (1.0 + 1e-9))
        .unwrap_or(mag)
}

struct Drawn<'a> {
    p: &'a BubblePoint,
    cx: f64,
    cy: f64,
    r: f64,
}

enum LegendItem {
    Heading(String),
    Sizes(Vec<(f64, f64, String)>), // (value, radius, label)
    Highlight(String),
    Undisclosed(String),
}

impl LegendItem {
    fn size(&self) -> (f64, f64) {
        match self {
            LegendItem::Heading(t) => (text_width(t, FS_LABEL), LINE),
            LegendItem::Sizes(v) => {
                let w: f64 = v
                    .iter()
                    .map(|(_, r, l)| (2.0 * r).max(text_width(l, 11.0)))
                    .sum::<f64>()
                    + 8.0 * (v.len().saturating_sub(1)) as f64;
                let h = v.iter().map(|(_, r, _)| 2.0 * r).fold(0.0, f64::max) + 16.0;
                (w, h)
            }
            LegendItem::Highlight(t) => (18.0 + text_width_weight(t, FS_LABEL, true), LINE),
            LegendItem::Undisclosed(t) => (18.0 + text_width(t, FS_LABEL), LINE),
        }
    }
}

/// Renders the bubble chart as a self-contained SVG document.
pub fn bubble_chart(points: &[BubblePoint], opts: &BubbleOptions) -> String {
    let w = if opts.width.is_finite() {
        opts.width.clamp(240.0, 4000.0)
    } else {
        720.0
    };
    let h = if opts.height.is_finite() {
        opts.height.clamp(200.0, 4000.0)
    } else {
        480.0
    };
    let rmax = opts
        .max_radius
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or((w.min(h) / 16.0).clamp(6.0, 30.0))
        .min(w.min(h) / 6.0);

    let placed: Vec<&BubblePoint> = points
        .iter()
        .filter(|p| finite(p.x).is_some() && finite(p.y).is_some())
        .collect();
    let not_shown = points.len() - placed.len();
    let max_size = placed
        .iter()
        .filter_map(|p| finite(p.size))
        .fold(0.0, f64::max);

    let desc = describe(points, &placed, not_shown, opts);
    let id = chart_id("bubble", &[&opts.title, &desc]);
    let mut s = Svg::new(&Root {
        width: w,
        height: h,
        title: if opts.title.is_empty() {
            "Bubble chart"
        } else {
            &opts.title
        },
        desc: &desc,
        class: "sk-chart sk-bubble-chart",
        id: &id,
    });
    s.leaf(
        "rect",
        attrs![
            ("class", "sk-bg"),
            ("width", w),
            ("height", h),
            ("fill", palette::BACKGROUND)
        ],
    );

    // ---- legend items (their size decides the layout) ----
    let mut legend = Vec::new();
    if max_size > 0.0 {
        legend.push(LegendItem::Heading(format!(
            "Bubble area = {}",
            opts.size_name
        )));
        let v1 = nice_floor(max_size);
        let mut vals = vec![v1];
        for div in [5.0, 25.0] {
            let v = nice_floor(v1 / div);
            if v > 0.0
                && bubble_radius(v, max_size, rmax) >= 3.0
                && vals.last().is_some_and(|l| *l > v)
            {
                vals.push(v);
            }
        }
        vals.reverse();
        legend.push(LegendItem::Sizes(
            vals.iter()
                .map(|v| {
                    let label = match opts.size_format {
                        NumberFormat::Dollars | NumberFormat::CompactDollars => {
                            NumberFormat::CompactDollars.format(*v)
                        }
                        _ => NumberFormat::Compact.format(*v),
                    };
                    (*v, bubble_radius(*v, max_size, rmax), label)
                })
                .collect(),
        ));
    }
    if placed.iter().any(|p| p.highlighted) {
        legend.push(LegendItem::Highlight(opts.highlight_name.clone()));
    }
    if placed.iter().any(|p| finite(p.size).is_none()) {
        legend.push(LegendItem::Undisclosed(format!(
            "{} not disclosed",
            capitalize(&opts.size_name)
        )));
    }
    let sizes: Vec<(f64, f64)> = legend.iter().map(LegendItem::size).collect();
    let column = w >= 600.0 && !legend.is_empty();
    let legend_w = if column {
        sizes
            .iter()
            .map(|s| s.0)
            .fold(0.0, f64::max)
            .clamp(110.0, 170.0)
    } else {
        w - 20.0
    };
    let (legend_pos_rel, legend_h) = flow(&sizes, 0.0, 0.0, legend_w, 14.0, 8.0);

    // ---- plot area ----
    let (title, title_h) = title_lines(&opts.title, w);
    let top = if title.is_empty() {
        14.0
    } else {
        title_h + 6.0
    };
    let bottom_axis = 20.0 + if opts.x_label.is_empty() { 0.0 } else { 20.0 };
    let right = 14.0 + if column { legend_w + 16.0 } else { 0.0 };
    let below = if column || legend.is_empty() {
        0.0
    } else {
        legend_h + 14.0
    };
    let pt = top;
    let pb = (h - bottom_axis - below - 6.0).max(pt + 40.0);

    let xs_vals: Vec<f64> = placed.iter().filter_map(|p| finite(p.x)).collect();
    let ys_vals: Vec<f64> = placed.iter().filter_map(|p| finite(p.y)).collect();
    let (xmin, xmax) = xs_vals
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let (ymin, ymax) = ys_vals
        .iter()
        .fold((0.0f64, 1.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let y_ticks = tight_ticks(
        ymin,
        ymax,
        ((pb - pt) / 55.0).round().clamp(2.0, 10.0) as usize,
    );
    let y_fmt = tick_format(opts.y_format, y_ticks.step);
    let y_tick_w = y_ticks
        .values
        .iter()
        .map(|v| text_width(&y_fmt.format(*v), FS_TICK))
        .fold(0.0, f64::max);
    let pl = 8.0 + if opts.y_label.is_empty() { 0.0 } else { 20.0 } + y_tick_w + 8.0;
    let pr = (w - right).max(pl + 40.0);
    let x_fmt_for = |step: f64| tick_format(opts.x_format, step);
    let x_ticks = fit_ticks(xmin, xmax, pr - pl - 2.0 * rmax, 90.0, |t, v| {
        text_width(&x_fmt_for(t.step).format(v), FS_TICK)
    });
    let x_fmt = tick_format(opts.x_format, x_ticks.step);
    let pad = rmax.min((pr - pl) / 4.0).min((pb - pt) / 4.0);
    let xs = Linear {
        d0: x_ticks.lo,
        d1: x_ticks.hi,
        r0: pl + pad,
        r1: pr - pad,
    };
    let ys = Linear {
        d0: y_ticks.lo,
        d1: y_ticks.hi,
        r0: pb - pad,
        r1: pt + pad,
    };
    let plot = Rect {
        x: pl,
        y: pt,
        w: pr - pl,
        h: pb - pt,
    };

    draw_title(&mut s, &title, palette::TEXT);

    // ---- grid, axes, ticks ----
    s.open(
        "g",
        attrs![
            ("class", "axis"),
            ("font-size", FS_TICK),
            ("fill", palette::TEXT_MUTED)
        ],
    );
    for v in &x_ticks.values {
        let x = xs.map(*v);
        s.leaf(
            "line",
            attrs![
                ("class", "grid"),
                ("x1", x),
                ("x2", x),
                ("y1", pt),
                ("y2", pb),
                ("stroke", palette::GRID)
            ],
        );
        s.text(
            "text",
            attrs![("x", x), ("y", pb + 16.0), ("text-anchor", "middle")],
            &x_fmt.format(*v),
        );
    }
    for v in &y_ticks.values {
        let y = ys.map(*v);
        s.leaf(
            "line",
            attrs![
                ("class", "grid"),
                ("x1", pl),
                ("x2", pr),
                ("y1", y),
                ("y2", y),
                ("stroke", palette::GRID)
            ],
        );
        s.text(
            "text",
            attrs![("x", pl - 6.0), ("y", y + 4.0), ("text-anchor", "end")],
            &y_fmt.format(*v),
        );
    }
    s.leaf(
        "path",
        attrs![
            ("class", "axis-line"),
            (
                "d",
                format!(
                    "M{} {}V{}H{}",
                    num(pl, 2),
                    num(pt, 2),
                    num(pb, 2),
                    num(pr, 2)
                )
                .as_str()
            ),
            ("fill", "none"),
            ("stroke", palette::AXIS)
        ],
    );
    s.close();

    // ---- reference lines and quadrant labels ----
    let x0 = xs.map(0.0).clamp(pl, pr);
    let y1 = ys.map(1.0).clamp(pt, pb);
    s.open(
        "g",
        attrs![
            ("class", "ref-line"),
            ("stroke", palette::TEXT_MUTED),
            ("stroke-width", 1.25),
            ("stroke-dasharray", "5 3")
        ],
    );
    s.leaf(
        "line",
        attrs![("x1", x0), ("x2", x0), ("y1", pt), ("y2", pb)],
    );
    s.leaf(
        "line",
        attrs![("x1", pl), ("x2", pr), ("y1", y1), ("y2", y1)],
    );
    s.close();

    // ---- bubble positions (drawn after the quadrant labels) ----
    let mut drawn: Vec<Drawn> = placed
        .iter()
        .map(|p| {
            let (x, y) = (finite(p.x).unwrap_or(0.0), finite(p.y).unwrap_or(0.0));
            Drawn {
                p,
                cx: xs.map(x),
                cy: ys.map(y),
                r: match finite(p.size) {
                    Some(sz) => bubble_radius(sz, max_size, rmax),
                    None => 4.0,
                },
            }
        })
        .collect();
    // Big ones first so small ones stay visible; highlighted ones last so their outline shows.
    drawn.sort_by(|a, b| {
        a.p.highlighted
            .cmp(&b.p.highlighted)
            .then(b.r.total_cmp(&a.r))
            .then(a.p.code.cmp(&b.p.code))
    });
    let mut obstacles: Vec<Rect> = Vec::new();
    let quadrants = [
        // (name, description, quadrant rect, right-aligned?, top?)
        (
            "Stars",
            "growing and concentrated",
            Rect {
                x: x0,
                y: pt,
                w: pr - x0,
                h: y1 - pt,
            },
            true,
            true,
        ),
        (
            "Mature",
            "concentrated but declining",
            Rect {
                x: pl,
                y: pt,
                w: x0 - pl,
                h: y1 - pt,
            },
            false,
            true,
        ),
        (
            "Emerging",
            "growing, not yet concentrated",
            Rect {
                x: x0,
                y: y1,
                w: pr - x0,
                h: pb - y1,
            },
            true,
            false,
        ),
        (
            "Declining",
            "declining and not concentrated",
            Rect {
                x: pl,
                y: y1,
                w: x0 - pl,
                h: pb - y1,
            },
            false,
            false,
        ),
    ];
    s.open(
        "g",
        attrs![
            ("class", "quadrant-label"),
            ("fill", palette::TEXT_MUTED),
            ("font-size", FS_LABEL)
        ],
    );
    for (name, text, q, right_aligned, at_top) in quadrants {
        let inner = Rect {
            x: q.x + 3.0,
            y: q.y + 3.0,
            w: q.w - 6.0,
            h: q.h - 6.0,
        };
        let name_w = text_width_weight(name, FS_LABEL, true);
        let text_w = text_width(text, FS_LABEL);
        // Narrow charts show the names only: the descriptions would crowd out bubble labels.
        let two_lines = w >= 480.0 && text_w + 8.0 <= inner.w && inner.h >= 2.0 * LINE + 4.0;
        let lines: Vec<&str> = if two_lines {
            vec![name, text]
        } else {
            vec![name]
        };
        let bw = if two_lines {
            name_w.max(text_w)
        } else {
            name_w
        };
        let bh = LINE * lines.len() as f64;
        // The quadrant's outer corner first; another corner of the same quadrant if fewer
        // bubbles sit there (the label is drawn under the bubbles and must stay readable).
        let corners = [
            (right_aligned, at_top),
            (right_aligned, !at_top),
            (!right_aligned, at_top),
            (!right_aligned, !at_top),
        ];
        let block_at = |(right, top): (bool, bool)| Rect {
            x: if right {
                inner.right() - 4.0 - bw
            } else {
                inner.x + 4.0
            },
            y: if top {
                inner.y + 2.0
            } else {
                inner.bottom() - 2.0 - bh
            },
            w: bw,
            h: bh,
        };
        let best = corners
            .iter()
            .map(|c| (*c, block_at(*c)))
            .filter(|(_, b)| inner.contains(b))
            .min_by_key(|(_, b)| {
                drawn
                    .iter()
                    .filter(|d| b.hits_circle(d.cx, d.cy, d.r))
                    .count()
            });
        let Some(((right_aligned, _), block)) = best else {
            continue;
        };
        obstacles.push(block);
        let (ax, anchor) = if right_aligned {
            (block.right(), "end")
        } else {
            (block.x, "start")
        };
        for (i, line) in lines.iter().enumerate() {
            let y = block.y + 12.0 + LINE * i as f64;
            if i == 0 {
                s.text(
                    "text",
                    attrs![
                        ("x", ax),
                        ("y", y),
                        ("text-anchor", anchor),
                        ("font-weight", "700")
                    ],
                    line,
                );
            } else {
                s.text(
                    "text",
                    attrs![("x", ax), ("y", y), ("text-anchor", anchor)],
                    line,
                );
            }
        }
    }
    s.close();

    s.open("g", attrs![("class", "bubbles")]);
    for d in &drawn {
        let class = if d.p.highlighted {
            "bubble highlighted"
        } else {
            "bubble"
        };
        s.open("g", attrs![("class", class), ("data-code", &d.p.code)]);
        s.title(&tooltip(d.p, opts));
        let undisclosed = finite(d.p.size).is_none();
        match (d.p.highlighted, undisclosed) {
            (_, true) => s.leaf(
                "circle",
                attrs![
                    ("cx", d.cx),
                    ("cy", d.cy),
                    ("r", d.r),
                    ("fill", palette::BACKGROUND),
                    ("fill-opacity", 0.6),
                    (
                        "stroke",
                        if d.p.highlighted {
                            palette::HIGHLIGHT_DARK
                        } else {
                            palette::MARK_STROKE
                        }
                    ),
                    ("stroke-width", 1.5),
                    ("stroke-dasharray", "2 2")
                ],
            ),
            (true, false) => s.leaf(
                "circle",
                attrs![
                    ("cx", d.cx),
                    ("cy", d.cy),
                    ("r", d.r),
                    ("fill", palette::HIGHLIGHT),
                    ("fill-opacity", 0.75),
                    ("stroke", palette::HIGHLIGHT_DARK),
                    ("stroke-width", 2.0)
                ],
            ),
            (false, false) => s.leaf(
                "circle",
                attrs![
                    ("cx", d.cx),
                    ("cy", d.cy),
                    ("r", d.r),
                    ("fill", palette::MARK),
                    ("fill-opacity", 0.5),
                    ("stroke", palette::MARK_STROKE),
                    ("stroke-width", 1.0)
                ],
            ),
        }
        s.close();
    }
    s.close();

    // ---- bubble labels: highlighted first, then the largest; greedy placement ----
    let mut order: Vec<usize> = (0..drawn.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&drawn[a], &drawn[b]);
        db.p.highlighted
            .cmp(&da.p.highlighted)
            .then(
                finite(db.p.size)
                    .unwrap_or(-1.0)
                    .total_cmp(&finite(da.p.size).unwrap_or(-1.0)),
            )
            .then(da.p.code.cmp(&db.p.code))
    });
    let n_high = drawn.iter().filter(|d| d.p.highlighted).count();
    let wanted = order
        .into_iter()
        .enumerate()
        .filter(|(rank, i)| drawn[*i].p.highlighted || *rank < n_high + opts.label_top_n)
        .map(|(_, i)| i)
        .collect::<Vec<_>>();
    let max_label_w = (plot.w * 0.45).min(230.0);
    let mut labels: Vec<(Rect, f64, f64, &'static str, String, bool)> = Vec::new();
    // Each label is tried at full length, then shortened, before it is given up.
    let attempts: Vec<(usize, f64)> = wanted
        .iter()
        .flat_map(|&i| [(i, max_label_w), (i, (max_label_w * 0.55).max(60.0))])
        .collect();
    let mut done = vec![false; drawn.len()];
    for (i, label_w) in attempts {
        if done[i] {
            continue;
        }
        let d = &drawn[i];
        let bold = d.p.highlighted;
        let text = truncate_weight(&d.p.title, label_w, FS_LABEL, bold);
        let tw = text_width_weight(&text, FS_LABEL, bold);
        let th = 13.0;
        let g = 3.0;
        // Candidate anchor points: (x of text anchor, baseline y, anchor, rect).
        let r = d.r;
        let cands: [(f64, f64, &'static str); 8] = [
            (d.cx + r + g, d.cy + 4.0, "start"),
            (d.cx - r - g, d.cy + 4.0, "end"),
            (d.cx, d.cy - r - g - 2.0, "middle"),
            (d.cx, d.cy + r + g + 10.0, "middle"),
            (d.cx + r * 0.7 + g, d.cy - r * 0.7 - 2.0, "start"),
            (d.cx - r * 0.7 - g, d.cy - r * 0.7 - 2.0, "end"),
            (d.cx + r * 0.7 + g, d.cy + r * 0.7 + 10.0, "start"),
            (d.cx - r * 0.7 - g, d.cy + r * 0.7 + 10.0, "end"),
        ];
        let rect_of = |(ax, by, anchor): (f64, f64, &str)| {
            let x = match anchor {
                "start" => ax,
                "end" => ax - tw,
                _ => ax - tw / 2.0,
            };
            Rect {
                x,
                y: by - 10.0,
                w: tw,
                h: th,
            }
        };
        // Centred on the bubble: only for big bubbles, and only where no clear spot beside it is
        // free (a crowded cluster), because there a label beside the bubble would sit on its
        // neighbours and read as theirs.
        let centre = (d.cx, d.cy + 4.0, "middle");
        let free = |rect: &Rect, strict: bool| {
            plot.contains(rect)
                && !labels.iter().any(|l| l.0.overlaps(rect, 2.0))
                && !obstacles.iter().any(|o| o.overlaps(rect, 1.0))
                && (!strict
                    || !drawn
                        .iter()
                        .enumerate()
                        .any(|(j, o)| j != i && rect.hits_circle(o.cx, o.cy, o.r.max(3.0))))
                && !rect.hits_circle(d.cx, d.cy, d.r)
        };
        let centre_free = || {
            let rect = rect_of(centre);
            d.r >= 10.0
                && plot.contains(&rect)
                && !labels.iter().any(|l| l.0.overlaps(&rect, 2.0))
                && !obstacles.iter().any(|o| o.overlaps(&rect, 1.0))
        };
        let pick = cands
            .iter()
            .find(|c| free(&rect_of(**c), true))
            .or_else(|| centre_free().then_some(&centre))
            .or_else(|| {
                // Crowded: the spot that hides the fewest bubble centres, then touches the
                // fewest bubbles.
                cands
                    .iter()
                    .filter(|c| free(&rect_of(**c), false))
                    .min_by_key(|c| {
                        let r = rect_of(**c);
                        let others = drawn.iter().enumerate().filter(|(j, _)| *j != i);
                        let centres = others
                            .clone()
                            .filter(|(_, o)| r.hits_circle(o.cx, o.cy, 2.0))
                            .count();
                        let touched = others
                            .filter(|(_, o)| r.hits_circle(o.cx, o.cy, o.r))
                            .count();
                        (centres, touched)
                    })
            });
        if let Some(&(ax, by, anchor)) = pick {
            done[i] = true;
            labels.push((
                rect_of((ax, by, anchor)),
                ax,
                by,
                anchor,
                text,
                d.p.highlighted,
            ));
        }
    }
    s.open(
        "g",
        attrs![
            ("class", "bubble-labels"),
            ("font-size", FS_LABEL),
            ("stroke", palette::BACKGROUND),
            ("stroke-width", 3.0),
            ("stroke-linejoin", "round"),
            ("paint-order", "stroke")
        ],
    );
    for (_, ax, by, anchor, text, high) in &labels {
        if *high {
            s.text(
                "text",
                attrs![
                    ("class", "bubble-label highlighted"),
                    ("x", *ax),
                    ("y", *by),
                    ("text-anchor", *anchor),
                    ("font-weight", "700"),
                    ("fill", palette::HIGHLIGHT_DARK)
                ],
                text,
            );
        } else {
            s.text(
                "text",
                attrs![
                    ("class", "bubble-label"),
                    ("x", *ax),
                    ("y", *by),
                    ("text-anchor", *anchor),
                    ("fill", palette::TEXT)
                ],
                text,
            );
        }
    }
    s.close();

    // ---- axis titles ----
    s.open(
        "g",
        attrs![
            ("class", "axis-title"),
            ("font-size", FS_AXIS),
            ("fill", palette::TEXT)
        ],
    );
    // An axis title that does not fit is set smaller (down to 11), then truncated.
    let fit = |label: &str, room: f64| -> (String, f64) {
        let size = if text_width(label, FS_AXIS) <= room {
            FS_AXIS
        } else {
            (FS_AXIS * room / text_width(label, FS_AXIS).max(1.0)).clamp(11.0, FS_AXIS)
        };
        (truncate_to_width(label, room, size), size)
    };
    if !opts.x_label.is_empty() {
        let (text, size) = fit(&opts.x_label, pr - pl);
        s.text(
            "text",
            attrs![
                ("x", (pl + pr) / 2.0),
                ("y", pb + 36.0),
                ("text-anchor", "middle"),
                ("font-size", size)
            ],
            &text,
        );
    }
    if !opts.y_label.is_empty() {
        let cy = (pt + pb) / 2.0;
        let t = format!("rotate(-90 {} {})", num(16.0, 1), num(cy, 1));
        let (text, size) = fit(&opts.y_label, pb - pt);
        s.text(
            "text",
            attrs![
                ("x", 16.0),
                ("y", cy),
                ("text-anchor", "middle"),
                ("font-size", size),
                ("transform", t.as_str())
            ],
            &text,
        );
    }
    s.close();

    // ---- legend ----
    if !legend.is_empty() {
        let (lx, ly) = if column {
            (w - legend_w - 14.0, pt + 4.0)
        } else {
            (10.0, h - legend_h - 8.0)
        };
        s.open(
            "g",
            attrs![
                ("class", "legend"),
                ("font-size", FS_LABEL),
                ("fill", palette::TEXT)
            ],
        );
        for (item, (rx, ry)) in legend.iter().zip(&legend_pos_rel) {
            let (x, y) = (lx + rx, ly + ry);
            match item {
                LegendItem::Heading(t) => {
                    s.text("text", attrs![("x", x), ("y", y + 11.0)], t);
                }
                LegendItem::Sizes(v) => {
                    let base = y + v.iter().map(|c| 2.0 * c.1).fold(0.0, f64::max);
                    let mut cx = x;
                    for (_, r, label) in v {
                        let cw = (2.0 * r).max(text_width(label, 11.0));
                        s.leaf(
                            "circle",
                            attrs![
                                ("cx", cx + cw / 2.0),
                                ("cy", base - r),
                                ("r", *r),
                                ("fill", palette::MARK),
                                ("fill-opacity", 0.5),
                                ("stroke", palette::MARK_STROKE)
                            ],
                        );
                        s.text(
                            "text",
                            attrs![
                                ("x", cx + cw / 2.0),
                                ("y", base + 13.0),
                                ("text-anchor", "middle"),
                                ("font-size", 11.0),
                                ("fill", palette::TEXT_MUTED)
                            ],
                            label,
                        );
                        cx += cw + 8.0;
                    }
                }
                LegendItem::Highlight(t) => {
                    s.leaf(
                        "circle",
                        attrs![
                            ("cx", x + 6.0),
                            ("cy", y + 7.0),
                            ("r", 6.0),
                            ("fill", palette::HIGHLIGHT),
                            ("fill-opacity", 0.75),
                            ("stroke", palette::HIGHLIGHT_DARK),
                            ("stroke-width", 2.0)
                        ],
                    );
                    s.text(
                        "text",
                        attrs![("x", x + 18.0), ("y", y + 11.0), ("font-weight", "700")],
                        t,
                    );
                }
                LegendItem::Undisclosed(t) => {
                    s.leaf(
                        "circle",
                        attrs![
                            ("cx", x + 6.0),
                            ("cy", y + 7.0),
                            ("r", 4.0),
                            ("fill", palette::BACKGROUND),
                            ("stroke", palette::MARK_STROKE),
                            ("stroke-width", 1.5),
                            ("stroke-dasharray", "2 2")
                        ],
                    );
                    s.text("text", attrs![("x", x + 18.0), ("y", y + 11.0)], t);
                }
            }
        }
        s.close();
    }
    s.finish()
}

fn tooltip(p: &BubblePoint, o: &BubbleOptions) -> String {
    let size = match finite(p.size) {
        Some(v) => o.size_format.format(v),
        None => "not disclosed".to_string(),
    };
    let name = if p.code.is_empty() {
        p.title.clone()
    } else {
        format!("{} {}", p.code, p.title)
    };
    format!(
        "{name}: {} {size}; {} {}; {} {}",
        o.size_name,
        o.y_name,
        finite(p.y).map_or("unknown".into(), |v| o.y_format.format(v)),
        o.x_name,
        finite(p.x).map_or("unknown".into(), |v| o.x_format.format(v)),
    )
}

fn describe(
    all: &[BubblePoint],
    placed: &[&BubblePoint],
    not_shown: usize,
    o: &BubbleOptions,
) -> String {
    let mut d = format!(
        "Bubble chart of {} {}: {} across ({}), {} up ({}), bubble area = {}. Reference lines \
         at {} 0 and {} 1.",
        placed.len(),
        if placed.len() == 1 {
            "industry"
        } else {
            "industries"
        },
        o.x_name,
        o.x_label,
        o.y_name,
        o.y_label,
        o.size_name,
        o.x_name,
        o.y_name,
    );
    if !placed.is_empty() {
        let count = |f: &dyn Fn(f64, f64) -> bool| {
            placed
                .iter()
                .filter(|p| f(p.x.unwrap_or(0.0), p.y.unwrap_or(0.0)))
                .count()
        };
        d.push_str(&format!(
            " Stars (growing and concentrated): {}; mature (concentrated but declining): {}; \
             emerging (growing, not yet concentrated): {}; declining and not concentrated: {}.",
            count(&|x, y| x > 0.0 && y > 1.0),
            count(&|x, y| x <= 0.0 && y > 1.0),
            count(&|x, y| x > 0.0 && y <= 1.0),
            count(&|x, y| x <= 0.0 && y <= 1.0),
        ));
        let mut by_size: Vec<&&BubblePoint> =
            placed.iter().filter(|p| finite(p.size).is_some()).collect();
        by_size.sort_by(|a, b| {
            finite(b.size)
                .unwrap_or(0.0)
                .total_cmp(&finite(a.size).unwrap_or(0.0))
        });
        if !by_size.is_empty() {
            let top: Vec<String> = by_size
                .iter()
                .take(3)
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.title,
                        tooltip(p, o).split_once(": ").map_or("", |t| t.1)
                    )
                })
                .collect();
            d.push_str(&format!(" Largest by {}: {}.", o.size_name, top.join(", ")));
        }
        let high: Vec<&str> = placed
            .iter()
            .filter(|p| p.highlighted)
            .map(|p| p.title.as_str())
            .collect();
        if !high.is_empty() {
            d.push_str(&format!(" {}: {}.", o.highlight_name, high.join("; ")));
        }
    }
    if not_shown > 0 {
        let missing: Vec<&str> = all
            .iter()
            .filter(|p| finite(p.x).is_none() || finite(p.y).is_none())
            .map(|p| p.title.as_str())
            .take(10)
            .collect();
        d.push_str(&format!(
            " Not shown: {not_shown} {} without {} or {} ({}{}).",
            if not_shown == 1 {
                "industry"
            } else {
                "industries"
            },
            o.x_name,
            o.y_name,
            missing.join("; "),
            if not_shown > 10 { "; …" } else { "" }
        ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_is_sqrt_of_size() {
        assert_eq!(bubble_radius(100.0, 100.0, 30.0), 30.0);
        assert!((bubble_radius(25.0, 100.0, 30.0) - 15.0).abs() < 1e-12);
        assert_eq!(bubble_radius(0.0, 100.0, 30.0), MIN_RADIUS);
        assert_eq!(bubble_radius(f64::NAN, 100.0, 30.0), MIN_RADIUS);
        assert_eq!(bubble_radius(200.0, 100.0, 30.0), 30.0, "capped");
    }

    #[test]
    fn nice_floor_values() {
        assert_eq!(nice_floor(48_000.0), 40_000.0);
        assert_eq!(nice_floor(52_000.0), 50_000.0);
        assert_eq!(nice_floor(1.0), 1.0);
        assert_eq!(nice_floor(0.0), 0.0);
    }

    #[test]
    fn missing_positions_are_listed_not_drawn() {
        let pts = vec![
            BubblePoint {
                code: "622".into(),
                title: "Hospitals".into(),
                x: Some(3.0),
                y: Some(1.4),
                size: Some(12_000.0),
                highlighted: false,
            },
            BubblePoint {
                code: "211".into(),
                title: "Oil and gas extraction".into(),
                x: None,
                y: Some(0.2),
                size: Some(40.0),
                highlighted: false,
            },
            BubblePoint {
                code: "999".into(),
                title: "Unclassified".into(),
                x: Some(f64::NAN),
                y: Some(1.0),
                size: None,
                highlighted: false,
            },
        ];
        let svg = bubble_chart(&pts, &BubbleOptions::default());
        assert!(
            svg.contains("Not shown: 2 industries without growth or LQ"),
            "{svg}"
        );
        assert_eq!(svg.matches("<g class=\"bubble\"").count(), 1);
        assert!(svg.contains("data-code=\"622\""));
        assert!(!svg.contains("data-code=\"211\""));
    }
}
