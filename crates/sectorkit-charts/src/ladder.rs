//! The career ladder of one industry: its occupations grouped into rungs (O*NET job zone 1–5, or
//! BLS typical education for entry), one column per rung from the least preparation on the
//! left to the most on the right, arrows between the columns, and in each column the highest
//! median wage first.
//!
//! Each occupation is a box with its title (two lines at most, full text in the tooltip), its
//! median annual wage ("≥ $239,200" when top-coded, "wage not available" when unknown), its
//! estimated employment and a small wage bar on a scale shared by all boxes. **An unknown wage
//! has no bar** (a hatched swatch and the words "wage not available" instead), so it never reads
//! as $0; a top-coded wage's bar ends in an open arrow ("at least"). Entry points (chosen by the
//! caller, typically no formal credential, high school or short-term on-the-job training) carry
//! an orange accent, a thicker border and an "Entry point" tag.
//!
//! The chart is wide (one ~180-unit column per rung); the root has a `min-width` so that on a
//! 360-px phone it keeps a readable size and the page's container scrolls sideways (wrap it in
//! `overflow-x:auto`), while on a desktop it scales to the container like the other charts.
//!
//! Input is plain data: the caller maps job zones or education levels to rung indexes and says
//! which occupations are entry points. This module computes nothing about the occupations.

use crate::attrs;
use crate::bar::hatch_pattern;
use crate::format::{NumberFormat, grouped};
use crate::palette;
use crate::svg::{
    Root, Svg, chart_id, draw_title, text_width_weight, title_lines, truncate_to_width,
    truncate_weight, wrap,
};

/// A median annual wage as published.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum LadderWage {
    /// Dollars per year.
    Annual(f64),
    /// Top-coded: at or above this many dollars per year.
    AtLeast(f64),
    /// Not published.
    #[default]
    NotAvailable,
}

/// One occupation on the ladder.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LadderOccupation {
    /// SOC code, written to `data-code`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Index into [`LadderOptions::rungs`] (0 = least preparation; for
    /// [`LadderOptions::job_zones`], job zone − 1). An index outside the rungs is not drawn and
    /// is counted in the text alternative.
    pub rung: usize,
    /// Median annual wage.
    pub median_wage: LadderWage,
    /// Estimated employment in the industry and region; `None` = not available.
    pub employment: Option<f64>,
    /// Marked as an entry point.
    pub entry_point: bool,
}

/// One rung (a column).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LadderRung {
    /// Column heading, e.g. `Job Zone 2`.
    pub label: String,
    /// Second line of the heading, e.g. `Some preparation`.
    pub note: String,
}

/// How to draw a career ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct LadderOptions {
    /// Chart title.
    pub title: String,
    /// The rungs, least preparation first.
    pub rungs: Vec<LadderRung>,
    /// What the rungs are, for the subtitle and the text alternative (`O*NET job zone`).
    pub rung_kind: String,
    /// After the employment figure, e.g. `employed (est.)`.
    pub employment_label: String,
    /// Legend text of entry points.
    pub entry_label: String,
    /// At most this many boxes per rung; the rest is summarised in a "+ N more" box.
    pub max_per_rung: usize,
    /// Draw rungs without occupations (an empty column saying so); `false` leaves them out.
    pub show_empty_rungs: bool,
}

impl Default for LadderOptions {
    fn default() -> Self {
        LadderOptions {
            title: String::new(),
            rungs: Vec::new(),
            rung_kind: "preparation".into(),
            employment_label: "employed (est.)".into(),
            entry_label: "Entry point: no formal credential, high school diploma or short-term \
                          training"
                .into(),
            max_per_rung: 12,
            show_empty_rungs: true,
        }
    }
}

impl LadderOptions {
    /// Five rungs, O*NET job zones 1–5 (`rung` = zone − 1); empty zones are shown.
    pub fn job_zones(title: &str) -> LadderOptions {
        let notes = [
            "Little or no preparation",
            "Some preparation",
            "Medium preparation",
            "Considerable preparation",
            "Extensive preparation",
        ];
        LadderOptions {
            title: title.into(),
            rungs: notes
                .iter()
                .enumerate()
                .map(|(i, n)| LadderRung {
                    label: format!("Job Zone {}", i + 1),
                    note: (*n).into(),
                })
                .collect(),
            rung_kind: "O*NET job zone".into(),
            ..LadderOptions::default()
        }
    }

    /// Eight rungs, BLS typical education needed for entry, from "No formal educational
    /// credential" (0) to "Doctoral or professional degree" (7); empty levels are left out.
    pub fn typical_education(title: &str) -> LadderOptions {
        let levels = [
            ("No formal credential", ""),
            ("High school diploma", "or equivalent"),
            ("Some college", "no degree"),
            ("Postsecondary", "nondegree award"),
            ("Associate's degree", ""),
            ("Bachelor's degree", ""),
            ("Master's degree", ""),
            ("Doctoral or", "professional degree"),
        ];
        LadderOptions {
            title: title.into(),
            rungs: levels
                .iter()
                .map(|(l, n)| LadderRung {
                    label: (*l).into(),
                    note: (*n).into(),
                })
                .collect(),
            rung_kind: "typical education for entry".into(),
            show_empty_rungs: false,
            ..LadderOptions::default()
        }
    }
}

const FS: f64 = 12.0;
const COL_W: f64 = 180.0;
const GUTTER: f64 = 26.0;
const M: f64 = 10.0;
const HEADER_H: f64 = 66.0;
const BOX_H: f64 = 84.0;
const BOX_GAP: f64 = 10.0;
const MORE_H: f64 = 30.0;
const PAD: f64 = 8.0;
const ACCENT: f64 = 6.0;
/// The narrowest the chart is drawn, as a share of its width (keeps 12-unit text ≥ 10 px).
const MIN_SCALE: f64 = 0.85;
const NOT_AVAILABLE: &str = "wage not available";
const ENTRY_TAG: &str = "Entry point";

fn usable(v: f64) -> Option<f64> {
    (0.0..=crate::MAX_ABS_VALUE).contains(&v).then_some(v)
}

impl LadderWage {
    /// Only finite, non-negative wages count; anything else is not available.
    fn clean(self) -> LadderWage {
        match self {
            LadderWage::Annual(v) => usable(v).map_or(LadderWage::NotAvailable, LadderWage::Annual),
            LadderWage::AtLeast(v) => {
                usable(v).map_or(LadderWage::NotAvailable, LadderWage::AtLeast)
            }
            LadderWage::NotAvailable => LadderWage::NotAvailable,
        }
    }

    fn value(self) -> Option<f64> {
        match self.clean() {
            LadderWage::Annual(v) | LadderWage::AtLeast(v) => Some(v),
            LadderWage::NotAvailable => None,
        }
    }

    /// `Median $52,340`, `Median ≥ $239,200`, `wage not available`.
    fn text(self) -> String {
        match self.clean() {
            LadderWage::Annual(v) => format!("Median {}", NumberFormat::Dollars.format(v)),
            LadderWage::AtLeast(v) => format!("Median ≥ {}", NumberFormat::Dollars.format(v)),
            LadderWage::NotAvailable => NOT_AVAILABLE.into(),
        }
    }

    /// Sort key: highest first, a top-coded wage above an equal published one, unknown last.
    fn rank(self) -> (u8, f64) {
        match self.clean() {
            LadderWage::AtLeast(v) => (0, -v),
            LadderWage::Annual(v) => (1, -v),
            LadderWage::NotAvailable => (2, 0.0),
        }
    }
}

fn employment_text(o: &LadderOccupation, opts: &LadderOptions) -> String {
    match o
        .employment
        .filter(|e| e.is_finite() && e.abs() <= crate::MAX_ABS_VALUE)
    {
        Some(e) => format!("{} {}", grouped(e, 0), opts.employment_label),
        None => "employment not available".into(),
    }
}

fn tooltip(o: &LadderOccupation, opts: &LadderOptions) -> String {
    let name = if o.code.is_empty() {
        o.title.clone()
    } else {
        format!("{} {}", o.code, o.title)
    };
    let wage = match o.median_wage.clean() {
        LadderWage::NotAvailable => NOT_AVAILABLE.to_string(),
        w => format!(
            "median annual wage {}",
            w.text().trim_start_matches("Median ")
        ),
    };
    let mut t = format!("{name}: {wage}; {}", employment_text(o, opts));
    if o.entry_point {
        t.push_str("; entry point");
    }
    t
}

/// Renders the career ladder as a self-contained SVG document.
pub fn career_ladder(occupations: &[LadderOccupation], opts: &LadderOptions) -> String {
    let n_rungs = opts.rungs.len();
    let mut by_rung: Vec<Vec<&LadderOccupation>> = vec![Vec::new(); n_rungs];
    let mut unplaced = 0usize;
    for o in occupations {
        match by_rung.get_mut(o.rung) {
            Some(v) => v.push(o),
            None => unplaced += 1,
        }
    }
    for v in &mut by_rung {
        v.sort_by(|a, b| {
            let (ra, rb) = (a.median_wage.rank(), b.median_wage.rank());
            ra.0.cmp(&rb.0)
                .then(ra.1.total_cmp(&rb.1))
                .then_with(|| a.title.cmp(&b.title))
        });
    }
    let columns: Vec<usize> = (0..n_rungs)
        .filter(|&i| opts.show_empty_rungs || !by_rung[i].is_empty())
        .collect();
    let max_per = opts.max_per_rung.max(1);
    let wage_max = occupations
        .iter()
        .filter(|o| o.rung < n_rungs)
        .filter_map(|o| o.median_wage.value())
        .fold(0.0f64, f64::max);
    let any_entry = occupations
        .iter()
        .any(|o| o.entry_point && o.rung < n_rungs);
    let any_na = occupations
        .iter()
        .any(|o| o.rung < n_rungs && o.median_wage.value().is_none());
    let any_top = occupations
        .iter()
        .any(|o| o.rung < n_rungs && matches!(o.median_wage.clean(), LadderWage::AtLeast(_)));

    // ---- horizontal layout ----
    let n_cols = columns.len().max(1) as f64;
    let w = (2.0 * M + n_cols * COL_W + (n_cols - 1.0) * GUTTER).max(320.0);
    let col_x = |k: usize| M + k as f64 * (COL_W + GUTTER);

    // ---- vertical layout ----
    let (title, title_h) = title_lines(&opts.title, w);
    let top = if title.is_empty() { 8.0 } else { title_h };
    let subtitle = format!(
        "Rungs: {}, least preparation on the left. In each rung: highest median wage first.",
        opts.rung_kind
    );
    let sub_lines = wrap(&subtitle, w - 2.0 * M, FS, false, 2);
    let head_y = top + 16.0 * sub_lines.len() as f64 + 6.0;
    let boxes_y = head_y + HEADER_H + 4.0;
    let col_h = |v: &Vec<&LadderOccupation>| -> f64 {
        if v.is_empty() {
            return MORE_H;
        }
        let shown = v.len().min(max_per);
        let more = if v.len() > max_per {
            MORE_H + BOX_GAP
        } else {
            0.0
        };
        shown as f64 * (BOX_H + BOX_GAP) - BOX_GAP + more
    };
    let body_h = columns
        .iter()
        .map(|&i| col_h(&by_rung[i]))
        .fold(MORE_H, f64::max);
    let mut legend: Vec<(&str, String)> = Vec::new();
    if any_entry {
        legend.push(("entry", opts.entry_label.clone()));
    }
    if any_top {
        legend.push((
            "top",
            "▸ Wage top-coded: at or above the amount shown".into(),
        ));
    }
    if any_na {
        legend.push((
            "na",
            "No wage bar: wage not available (not zero)".to_string(),
        ));
    }
    // One legend item per row, its text wrapped to the chart's width.
    let legend_lines: Vec<Vec<String>> = legend
        .iter()
        .map(|(_, t)| wrap(t, w - 2.0 * M - 22.0, FS, false, 3))
        .collect();
    let legend_y = boxes_y + body_h + 16.0;
    let mut legend_pos = Vec::new();
    let mut legend_h = 0.0;
    for lines in &legend_lines {
        legend_pos.push((M, legend_h));
        legend_h += 16.0 * lines.len() as f64 + 6.0;
    }
    let note_y = legend_y
        + if legend.is_empty() {
            0.0
        } else {
            legend_h + 8.0
        };
    let h = note_y + if unplaced > 0 { 20.0 } else { 0.0 } + 8.0;

    let desc = describe(&by_rung, &columns, unplaced, opts);
    let id = chart_id("ladder", &[&opts.title, &desc]);
    let hatch_id = format!("{id}-hatch");
    let hatch_fill = format!("url(#{hatch_id})");
    let style = format!(
        "max-width:100%;min-width:{}px;height:auto",
        crate::svg::num(w * MIN_SCALE, 0)
    );
    let mut s = Svg::with_style(
        &Root {
            width: w,
            height: h,
            title: if opts.title.is_empty() {
                "Career ladder"
            } else {
                &opts.title
            },
            desc: &desc,
            class: "sk-chart sk-career-ladder",
            id: &id,
        },
        &style,
    );
    if any_na {
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
    s.open(
        "g",
        attrs![
            ("class", "subtitle"),
            ("font-size", FS),
            ("fill", palette::TEXT_MUTED)
        ],
    );
    for (i, l) in sub_lines.iter().enumerate() {
        s.text(
            "text",
            attrs![("x", M), ("y", top + 12.0 + 16.0 * i as f64)],
            l,
        );
    }
    s.close();

    // ---- columns ----
    for (k, &ri) in columns.iter().enumerate() {
        let x = col_x(k);
        let rung = &opts.rungs[ri];
        let occs = &by_rung[ri];
        s.open(
            "g",
            attrs![
                ("class", "rung"),
                ("data-rung", ri as f64),
                ("font-size", FS)
            ],
        );
        // Heading band.
        s.leaf(
            "rect",
            attrs![
                ("class", "rung-head"),
                ("x", x),
                ("y", head_y),
                ("width", COL_W),
                ("height", HEADER_H - 8.0),
                ("rx", 4.0),
                ("fill", palette::COUNTY)
            ],
        );
        s.text(
            "text",
            attrs![
                ("class", "rung-label"),
                ("x", x + PAD),
                ("y", head_y + 17.0),
                ("font-size", 13.0),
                ("font-weight", "700"),
                ("fill", palette::TEXT)
            ],
            &truncate_weight(&rung.label, COL_W - 2.0 * PAD, 13.0, true),
        );
        let count = match occs.len() {
            1 => "1 occupation".to_string(),
            n => format!("{n} occupations"),
        };
        if !rung.note.is_empty() {
            s.text(
                "text",
                attrs![
                    ("class", "rung-note"),
                    ("x", x + PAD),
                    ("y", head_y + 33.0),
                    ("fill", palette::TEXT)
                ],
                &truncate_to_width(&rung.note, COL_W - 2.0 * PAD, FS),
            );
        }
        s.text(
            "text",
            attrs![
                ("class", "rung-count"),
                ("x", x + PAD),
                ("y", head_y + 49.0),
                ("fill", palette::TEXT_MUTED)
            ],
            &count,
        );
        if occs.is_empty() {
            s.text(
                "text",
                attrs![
                    ("class", "rung-empty"),
                    ("x", x + PAD),
                    ("y", boxes_y + 18.0),
                    ("font-style", "italic"),
                    ("fill", palette::TEXT_MUTED)
                ],
                "No occupations in this rung",
            );
        }
        for (j, o) in occs.iter().take(max_per).enumerate() {
            let y = boxes_y + j as f64 * (BOX_H + BOX_GAP);
            occupation_box(&mut s, o, x, y, wage_max, &hatch_fill, opts);
        }
        if occs.len() > max_per {
            let y = boxes_y + max_per as f64 * (BOX_H + BOX_GAP);
            let more = occs.len() - max_per;
            s.leaf(
                "rect",
                attrs![
                    ("class", "more"),
                    ("x", x),
                    ("y", y),
                    ("width", COL_W),
                    ("height", MORE_H),
                    ("rx", 4.0),
                    ("fill", palette::BACKGROUND),
                    ("stroke", palette::AXIS),
                    ("stroke-dasharray", "3 2")
                ],
            );
            s.text(
                "text",
                attrs![
                    ("x", x + PAD),
                    ("y", y + 19.0),
                    ("fill", palette::TEXT_MUTED)
                ],
                &format!(
                    "+ {more} more {}",
                    if more == 1 {
                        "occupation"
                    } else {
                        "occupations"
                    }
                ),
            );
        }
        s.close();
    }

    // ---- arrows between rungs: the next step up ----
    s.open(
        "g",
        attrs![
            ("class", "steps"),
            ("stroke", palette::AXIS),
            ("fill", palette::AXIS)
        ],
    );
    for k in 1..columns.len() {
        let x0 = col_x(k - 1) + COL_W + 4.0;
        let x1 = col_x(k) - 4.0;
        let y = head_y + (HEADER_H - 8.0) / 2.0;
        s.leaf(
            "line",
            attrs![
                ("x1", x0),
                ("x2", x1 - 6.0),
                ("y1", y),
                ("y2", y),
                ("stroke-width", 2.0)
            ],
        );
        let d = format!(
            "M{} {}L{} {}L{} {}Z",
            crate::svg::num(x1 - 7.0, 2),
            crate::svg::num(y - 5.0, 2),
            crate::svg::num(x1, 2),
            crate::svg::num(y, 2),
            crate::svg::num(x1 - 7.0, 2),
            crate::svg::num(y + 5.0, 2)
        );
        s.path_raw(attrs![("stroke", "none")], &d, false);
    }
    s.close();

    // ---- legend ----
    if !legend.is_empty() {
        s.open(
            "g",
            attrs![
                ("class", "legend"),
                ("font-size", FS),
                ("fill", palette::TEXT)
            ],
        );
        for (((kind, _), lines), (lx, dy)) in legend.iter().zip(&legend_lines).zip(&legend_pos) {
            let y = legend_y + dy;
            match *kind {
                "entry" => s.leaf(
                    "rect",
                    attrs![
                        ("x", *lx),
                        ("y", y),
                        ("width", 14.0),
                        ("height", 12.0),
                        ("fill", palette::HIGHLIGHT),
                        ("stroke", palette::HIGHLIGHT_DARK),
                        ("stroke-width", 1.5)
                    ],
                ),
                "top" => s.leaf(
                    "rect",
                    attrs![
                        ("x", *lx),
                        ("y", y + 3.0),
                        ("width", 14.0),
                        ("height", 6.0),
                        ("fill", palette::MARK)
                    ],
                ),
                _ => s.leaf(
                    "rect",
                    attrs![
                        ("x", *lx),
                        ("y", y),
                        ("width", 14.0),
                        ("height", 12.0),
                        ("fill", hatch_fill.as_str()),
                        ("stroke", palette::HATCH),
                        ("stroke-dasharray", "3 2")
                    ],
                ),
            }
            for (i, l) in lines.iter().enumerate() {
                s.text(
                    "text",
                    attrs![("x", lx + 20.0), ("y", y + 10.5 + 16.0 * i as f64)],
                    l,
                );
            }
        }
        s.close();
    }
    if unplaced > 0 {
        s.text(
            "text",
            attrs![
                ("class", "note"),
                ("x", M),
                ("y", note_y + 12.0),
                ("font-size", FS),
                ("fill", palette::TEXT_MUTED)
            ],
            &format!(
                "Not shown: {unplaced} {} without a rung",
                if unplaced == 1 {
                    "occupation"
                } else {
                    "occupations"
                }
            ),
        );
    }
    s.finish()
}

fn occupation_box(
    s: &mut Svg,
    o: &LadderOccupation,
    x: f64,
    y: f64,
    wage_max: f64,
    hatch_fill: &str,
    opts: &LadderOptions,
) {
    let wage = o.median_wage.clean();
    let class = match (o.entry_point, wage) {
        (true, LadderWage::NotAvailable) => "occupation entry wage-na",
        (false, LadderWage::NotAvailable) => "occupation wage-na",
        (true, _) => "occupation entry",
        (false, _) => "occupation",
    };
    s.open("g", attrs![("class", class), ("data-code", &o.code)]);
    s.title(&tooltip(o, opts));
    let (stroke, sw) = if o.entry_point {
        (palette::HIGHLIGHT_DARK, 2.0)
    } else {
        (palette::AXIS, 1.0)
    };
    s.leaf(
        "rect",
        attrs![
            ("class", "box"),
            ("x", x),
            ("y", y),
            ("width", COL_W),
            ("height", BOX_H),
            ("rx", 4.0),
            ("fill", palette::BACKGROUND),
            ("stroke", stroke),
            ("stroke-width", sw)
        ],
    );
    let tx = if o.entry_point {
        s.leaf(
            "rect",
            attrs![
                ("class", "entry-accent"),
                ("x", x + 1.0),
                ("y", y + 1.0),
                ("width", ACCENT),
                ("height", BOX_H - 2.0),
                ("fill", palette::HIGHLIGHT)
            ],
        );
        x + ACCENT + PAD
    } else {
        x + PAD
    };
    let inner = x + COL_W - PAD - tx;
    let lines = wrap(&o.title, inner, FS, true, 2);
    s.open(
        "text",
        attrs![
            ("class", "occ-title"),
            ("font-weight", "700"),
            ("fill", palette::TEXT)
        ],
    );
    for (i, l) in lines.iter().enumerate() {
        s.text(
            "tspan",
            attrs![("x", tx), ("y", y + 17.0 + 14.0 * i as f64)],
            l,
        );
    }
    s.close();
    match wage {
        LadderWage::NotAvailable => s.text(
            "text",
            attrs![
                ("class", "occ-wage na"),
                ("x", tx),
                ("y", y + 50.0),
                ("font-style", "italic"),
                ("fill", palette::TEXT_MUTED)
            ],
            NOT_AVAILABLE,
        ),
        w => s.text(
            "text",
            attrs![
                ("class", "occ-wage"),
                ("x", tx),
                ("y", y + 50.0),
                ("fill", palette::TEXT)
            ],
            &w.text(),
        ),
    }
    s.text(
        "text",
        attrs![
            ("class", "occ-employment"),
            ("x", tx),
            ("y", y + 65.0),
            ("font-size", 11.0),
            ("fill", palette::TEXT_MUTED)
        ],
        &truncate_to_width(&employment_text(o, opts), inner, 11.0),
    );
    if o.entry_point {
        // A tag on the top border, right-aligned: white on dark orange.
        let tw = text_width_weight(ENTRY_TAG, 10.0, true) + 10.0;
        let bx = x + COL_W - PAD - tw;
        s.leaf(
            "rect",
            attrs![
                ("class", "entry-tag-bg"),
                ("x", bx),
                ("y", y - 7.0),
                ("width", tw),
                ("height", 14.0),
                ("rx", 7.0),
                ("fill", palette::HIGHLIGHT_DARK)
            ],
        );
        s.text(
            "text",
            attrs![
                ("class", "entry-tag"),
                ("x", bx + tw / 2.0),
                ("y", y + 3.5),
                ("text-anchor", "middle"),
                ("font-size", 10.0),
                ("font-weight", "700"),
                ("fill", palette::BACKGROUND)
            ],
            ENTRY_TAG,
        );
    }
    // Wage bar on the shared scale; none for an unknown wage.
    let by = y + BOX_H - 12.0;
    match wage {
        LadderWage::Annual(v) | LadderWage::AtLeast(v) if wage_max > 0.0 => {
            let bw = (v / wage_max * (inner - 8.0)).max(1.0);
            s.leaf(
                "rect",
                attrs![
                    ("class", "wage-bar"),
                    ("x", tx),
                    ("y", by),
                    ("width", bw),
                    ("height", 6.0),
                    ("fill", palette::MARK)
                ],
            );
            if matches!(wage, LadderWage::AtLeast(_)) {
                let d = format!(
                    "M{} {}L{} {}L{} {}Z",
                    crate::svg::num(tx + bw + 1.0, 2),
                    crate::svg::num(by - 2.0, 2),
                    crate::svg::num(tx + bw + 7.0, 2),
                    crate::svg::num(by + 3.0, 2),
                    crate::svg::num(tx + bw + 1.0, 2),
                    crate::svg::num(by + 8.0, 2)
                );
                s.path_raw(
                    attrs![("class", "top-coded"), ("fill", palette::MARK)],
                    &d,
                    false,
                );
            }
        }
        _ => s.leaf(
            "rect",
            attrs![
                ("class", "wage-na"),
                ("x", tx),
                ("y", by - 2.0),
                ("width", 14.0),
                ("height", 10.0),
                ("fill", hatch_fill),
                ("stroke", palette::HATCH),
                ("stroke-dasharray", "3 2")
            ],
        ),
    }
    s.close();
}

fn describe(
    by_rung: &[Vec<&LadderOccupation>],
    columns: &[usize],
    unplaced: usize,
    opts: &LadderOptions,
) -> String {
    let total: usize = by_rung.iter().map(Vec::len).sum();
    let mut d = format!(
        "Career ladder of {total} {} in {} {} by {}, least preparation first; in each rung, \
         highest median wage first.",
        if total == 1 {
            "occupation"
        } else {
            "occupations"
        },
        columns.len(),
        if columns.len() == 1 { "rung" } else { "rungs" },
        opts.rung_kind
    );
    for &ri in columns {
        let occs = &by_rung[ri];
        let listed: Vec<String> = occs
            .iter()
            .take(10)
            .map(|o| {
                let mut t = format!("{}, {}", o.title, o.median_wage.text().to_lowercase());
                if o.entry_point {
                    t.push_str(", entry point");
                }
                t
            })
            .collect();
        d.push_str(&format!(" {} ({}): ", opts.rungs[ri].label, occs.len()));
        if listed.is_empty() {
            d.push_str("none.");
        } else {
            d.push_str(&listed.join("; "));
            if occs.len() > 10 {
                d.push_str(&format!("; and {} more", occs.len() - 10));
            }
            d.push('.');
        }
    }
    let na = by_rung
        .iter()
        .flatten()
        .filter(|o| o.median_wage.value().is_none())
        .count();
    if na > 0 {
        d.push_str(&format!(
            " {na} without a published wage (no wage bar; not zero)."
        ));
    }
    let entries = by_rung.iter().flatten().filter(|o| o.entry_point).count();
    if entries > 0 {
        d.push_str(&format!(" {entries} marked as entry points."));
    }
    if unplaced > 0 {
        d.push_str(&format!(" Not shown: {unplaced} without a rung."));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wage_order_and_text() {
        let mut w = [
            LadderWage::NotAvailable,
            LadderWage::Annual(50_000.0),
            LadderWage::AtLeast(239_200.0),
            LadderWage::Annual(239_200.0),
            LadderWage::Annual(f64::NAN),
        ];
        w.sort_by(|a, b| {
            let (x, y) = (a.rank(), b.rank());
            x.0.cmp(&y.0).then(x.1.total_cmp(&y.1))
        });
        assert_eq!(w[0], LadderWage::AtLeast(239_200.0));
        assert_eq!(w[1], LadderWage::Annual(239_200.0));
        assert_eq!(w[2], LadderWage::Annual(50_000.0));
        assert_eq!(LadderWage::AtLeast(239_200.0).text(), "Median ≥ $239,200");
        assert_eq!(LadderWage::Annual(f64::NAN).text(), "wage not available");
        assert_eq!(LadderWage::Annual(-1.0).value(), None);
    }
}
