//! The county map: the counties of one or more states (or the whole U.S.) from the embedded
//! atlas, cropped to their bounding box, with selected counties marked, state outlines on top,
//! optional choropleth colours with a legend, and optional plain links on every county so a
//! region can be built without JavaScript.
//!
//! **Cropping.** The map is fitted to the width asked for: atlas coordinates are scaled and
//! translated into a `0 0 width height` `viewBox` before the path data is written, so the
//! 1-decimal rounding of [`crate::topojson::push_path_data`] is 0.1 unit *of the output* (in the
//! atlas' own 975×610 units, 0.1 would be 1% of Delaware's width). The decoded rings are cached
//! once ([`crate::atlas::atlas`]); only the path strings are produced per map.
//!
//! **Classes.** [`Classing::Quantiles`] (the default) puts the drawn counties' values into up to
//! five classes of about equal count; the four class breaks are the type-7 quantiles at 20/40/
//! 60/80 %, **rounded to what the legend shows** (the format's decimals, or two significant
//! digits for integers and dollars) so that a county's colour always matches the legend text.
//! Classes include their lower bound. Equal breaks merge, giving fewer classes.
//! [`Classing::Breaks`] takes fixed breaks instead (e.g. LQ 0.8, 1.0, 1.25, 2.0).
//!
//! This module must not decide which counties belong to a region or look up names itself
//! beyond the atlas' own (the caller passes a name lookup), and it never draws a suppressed
//! value as a number: suppressed and no-data counties have their own fills and legend entries.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::atlas::{FRAME, atlas};
use crate::attrs;
use crate::format::NumberFormat;
use crate::layout::flow;
use crate::palette;
use crate::svg::{Root, Svg, chart_id, draw_title, text_width, title_lines, truncate_weight};
use crate::topojson::{BBox, Feature, push_path_data};

/// The value of one county on a choropleth map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CountyValue {
    /// A published value.
    Value(f64),
    /// The value exists but is suppressed (confidentiality).
    Suppressed,
}

/// How choropleth values are put into classes.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Classing {
    /// Up to five classes of about equal count (quantile breaks, rounded to the legend's
    /// precision).
    #[default]
    Quantiles,
    /// Fixed breaks, ascending (at most four are used: five classes). A value `v` is in class
    /// `i` when `breaks[i-1] ≤ v < breaks[i]`.
    Breaks(Vec<f64>),
}

/// Values per county for a choropleth map.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choropleth {
    /// What the values are, e.g. `Location quotient, manufacturing` (legend heading).
    pub label: String,
    /// Values by 5-digit county FIPS; a county absent here is "no data".
    pub values: HashMap<String, CountyValue>,
    /// Format of the legend and tooltips.
    pub format: NumberFormat,
    /// Classing method.
    pub classing: Classing,
}

/// Looks up a county's display name (e.g. `Franklin County, Ohio`) by FIPS.
pub type NameLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What map to draw.
#[derive(Clone)]
pub struct MapRequest<'a> {
    /// Title (drawn, class `sk-title`, and the accessible name).
    pub title: String,
    /// 2-digit state FIPS codes to draw; empty = the whole U.S. (50 states + DC).
    pub states: Vec<String>,
    /// Selected counties (5-digit FIPS): class `selected`, drawn on top.
    pub selected: Vec<String>,
    /// County names; without it (or when it returns `None`) the atlas' name and the state name
    /// are used ("Franklin, Ohio").
    pub county_name: Option<NameLookup<'a>>,
    /// Optional values per county.
    pub choropleth: Option<Choropleth>,
    /// Wraps each county in `<a href>` with `{fips}` replaced, e.g. `?toggle={fips}`.
    pub link_template: Option<String>,
    /// Width in SVG units (clamped to 240–4,000); the height follows from the area's shape.
    pub width: f64,
    /// Upper bound of the map's height as a multiple of its width (default 1.2).
    pub max_aspect: f64,
}

impl std::fmt::Debug for MapRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapRequest")
            .field("title", &self.title)
            .field("states", &self.states)
            .field("selected", &self.selected)
            .field("county_name", &self.county_name.map(|_| "fn"))
            .field("choropleth", &self.choropleth)
            .field("link_template", &self.link_template)
            .field("width", &self.width)
            .field("max_aspect", &self.max_aspect)
            .finish()
    }
}

impl Default for MapRequest<'_> {
    fn default() -> Self {
        MapRequest {
            title: String::new(),
            states: Vec::new(),
            selected: Vec::new(),
            county_name: None,
            choropleth: None,
            link_template: None,
            width: 640.0,
            max_aspect: 1.2,
        }
    }
}

const FS: f64 = 12.0;
const MARGIN: f64 = 8.0;

/// The classes of a choropleth: breaks (ascending) and legend labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    /// Class breaks: class `i` holds `breaks[i-1] ≤ v < breaks[i]`.
    pub breaks: Vec<f64>,
    /// One label per class.
    pub labels: Vec<String>,
}

impl Classes {
    /// The class of `v`.
    pub fn class_of(&self, v: f64) -> usize {
        self.breaks.iter().take_while(|b| v >= **b).count()
    }
}

/// Rounds a break to what `format` displays.
fn round_for_display(v: f64, format: NumberFormat) -> f64 {
    let decimals = match format {
        NumberFormat::Decimal(d) | NumberFormat::Percent(d) | NumberFormat::SignedPercent(d) => {
            Some(d)
        }
        _ => None,
    };
    match decimals {
        Some(d) => {
            let p = 10f64.powi(i32::from(d));
            (v * p).round() / p
        }
        None => {
            // Two significant digits.
            if v == 0.0 {
                return 0.0;
            }
            let mag = 10f64.powf(v.abs().log10().floor() - 1.0).max(1.0);
            (v / mag).round() * mag
        }
    }
}

/// Computes the classes of `values` (finite values only) by `classing`.
pub fn classify(values: &[f64], classing: &Classing, format: NumberFormat) -> Classes {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let (min, max) = match (v.first(), v.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => {
            return Classes {
                breaks: Vec::new(),
                labels: Vec::new(),
            };
        }
    };
    let quantiles = matches!(classing, Classing::Quantiles);
    let mut breaks: Vec<f64> = match classing {
        Classing::Quantiles => (1..5)
            .map(|k| {
                let pos = (v.len() - 1) as f64 * k as f64 / 5.0;
                let (i, frac) = (pos.floor() as usize, pos - pos.floor());
                let q = v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * frac;
                round_for_display(q, format)
            })
            .filter(|b| *b > min && *b <= max)
            .collect(),
        Classing::Breaks(b) => b.iter().copied().filter(|x| x.is_finite()).collect(),
    };
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    breaks.truncate(4);
    let f = |x: f64| format.format(x);
    let n = breaks.len() + 1;
    let labels = (0..n)
        .map(|i| {
            let lo = if i == 0 { None } else { Some(breaks[i - 1]) };
            let hi = breaks.get(i).copied();
            match (lo, hi, quantiles) {
                (None, None, _) => {
                    if min == max {
                        f(min)
                    } else {
                        format!("{}–{}", f(min), f(max))
                    }
                }
                (None, Some(h), true) => format!("{}–{}", f(min), f(h)),
                (Some(l), None, true) => format!("{}–{}", f(l), f(max)),
                (None, Some(h), false) => format!("under {}", f(h)),
                (Some(l), None, false) => format!("{} and over", f(l)),
                (Some(l), Some(h), _) => format!("{}–{}", f(l), f(h)),
            }
        })
        .collect();
    Classes { breaks, labels }
}

enum Legend {
    Heading(String),
    Swatch {
        fill: String,
        stroke: &'static str,
        stroke_width: f64,
        dashed: bool,
        text: String,
    },
}

/// Renders the county map as a self-contained SVG document.
pub fn county_map(req: &MapRequest<'_>) -> String {
    let a = atlas();
    let width = if req.width.is_finite() {
        req.width.clamp(240.0, 4000.0)
    } else {
        640.0
    };
    let max_aspect = if req.max_aspect.is_finite() && req.max_aspect > 0.1 {
        req.max_aspect
    } else {
        1.2
    };

    // ---- what to draw ----
    let whole_us = req.states.is_empty();
    let mut states: Vec<&Feature> = Vec::new();
    let mut seen = BTreeSet::new();
    if whole_us {
        states.extend(a.states());
    } else {
        for st in &req.states {
            if let Some(f) = a.state(st)
                && seen.insert(f.id.clone())
            {
                states.push(f);
            }
        }
    }
    let state_ids: BTreeSet<&str> = states.iter().filter_map(|s| s.id.as_deref()).collect();
    let counties: Vec<&Feature> = a
        .counties()
        .iter()
        .filter(|c| {
            c.id.as_deref()
                .is_some_and(|id| state_ids.contains(&id[..2]))
        })
        .collect();
    let selected: BTreeSet<&str> = req.selected.iter().map(String::as_str).collect();
    let drawn: BTreeSet<&str> = counties.iter().filter_map(|c| c.id.as_deref()).collect();

    let mut bbox = BBox::EMPTY;
    for s in &states {
        bbox = bbox.union(&s.bbox);
    }
    for c in &counties {
        bbox = bbox.union(&c.bbox);
    }
    if bbox.is_empty() {
        bbox = BBox {
            min_x: 0.0,
            min_y: 0.0,
            max_x: FRAME.0,
            max_y: FRAME.1,
        };
    }

    // ---- choropleth classes ----
    let choro = req.choropleth.as_ref();
    // A value that is not a usable number counts as "no data", never as a class colour.
    let value_of = |fips: &str| -> Option<CountyValue> {
        choro
            .and_then(|c| c.values.get(fips))
            .copied()
            .filter(|v| match v {
                CountyValue::Value(x) => x.is_finite() && x.abs() <= crate::MAX_ABS_VALUE,
                CountyValue::Suppressed => true,
            })
    };
    let drawn_values: Vec<f64> = counties
        .iter()
        .filter_map(|c| match value_of(c.id.as_deref().unwrap_or("")) {
            Some(CountyValue::Value(v)) => Some(v),
            _ => None,
        })
        .collect();
    let classes = choro.map(|c| classify(&drawn_values, &c.classing, c.format));
    let colours = classes
        .as_ref()
        .map(|c| palette::sequential(c.labels.len()))
        .unwrap_or_default();

    // ---- names ----
    let state_name = |fips: &str| -> String {
        a.state(&fips[..2.min(fips.len())])
            .and_then(|s| s.name.clone())
            .unwrap_or_default()
    };
    let name_of = |c: &Feature| -> String {
        let id = c.id.as_deref().unwrap_or("");
        req.county_name
            .and_then(|f| f(id))
            .or_else(|| c.name.as_ref().map(|n| format!("{n}, {}", state_name(id))))
            .unwrap_or_else(|| id.to_string())
    };

    // ---- legend ----
    let mut legend: Vec<Legend> = Vec::new();
    let n_suppressed = counties
        .iter()
        .filter(|c| value_of(c.id.as_deref().unwrap_or("")) == Some(CountyValue::Suppressed))
        .count();
    let n_nodata = if choro.is_some() {
        counties
            .iter()
            .filter(|c| value_of(c.id.as_deref().unwrap_or("")).is_none())
            .count()
    } else {
        0
    };
    let any_selected = counties
        .iter()
        .any(|c| selected.contains(c.id.as_deref().unwrap_or("")));
    let id = chart_id(
        "map",
        &[
            &req.title,
            &req.states.join(","),
            &req.selected.join(","),
            choro.map_or("", |c| c.label.as_str()),
        ],
    );
    let hatch_id = format!("{id}-hatch");
    let dots_id = format!("{id}-nodata");
    if let (Some(c), Some(cl)) = (choro, &classes) {
        if !c.label.is_empty() {
            legend.push(Legend::Heading(c.label.clone()));
        }
        for (label, colour) in cl.labels.iter().zip(&colours) {
            legend.push(Legend::Swatch {
                fill: colour.to_string(),
                stroke: palette::AXIS,
                stroke_width: 0.5,
                dashed: false,
                text: label.clone(),
            });
        }
        if n_suppressed > 0 {
            legend.push(Legend::Swatch {
                fill: format!("url(#{hatch_id})"),
                stroke: palette::AXIS,
                stroke_width: 0.5,
                dashed: false,
                text: "Suppressed".into(),
            });
        }
        if n_nodata > 0 {
            legend.push(Legend::Swatch {
                fill: format!("url(#{dots_id})"),
                stroke: palette::AXIS,
                stroke_width: 0.5,
                dashed: false,
                text: "No data".into(),
            });
        }
        if any_selected {
            legend.push(Legend::Swatch {
                fill: palette::BACKGROUND.into(),
                stroke: palette::SELECTED_STROKE,
                stroke_width: 2.5,
                dashed: false,
                text: "Selected".into(),
            });
        }
    } else if any_selected {
        legend.push(Legend::Swatch {
            fill: palette::SELECTED.into(),
            stroke: palette::STATE_STROKE,
            stroke_width: 0.5,
            dashed: false,
            text: "Selected".into(),
        });
        legend.push(Legend::Swatch {
            fill: palette::COUNTY.into(),
            stroke: palette::AXIS,
            stroke_width: 0.5,
            dashed: false,
            text: "Not selected".into(),
        });
    }
    let sizes: Vec<(f64, f64)> = legend
        .iter()
        .map(|l| match l {
            // A heading takes a row of its own.
            Legend::Heading(_) => (width - 20.0, 14.0),
            Legend::Swatch { text, .. } => (22.0 + text_width(text, FS), 14.0),
        })
        .collect();
    let (legend_pos, legend_h) = flow(&sizes, 10.0, 0.0, width - 20.0, 14.0, 8.0);

    // ---- fit the area into the width ----
    let (title, title_h) = title_lines(&req.title, width);
    let top = if title.is_empty() { MARGIN } else { title_h };
    let (bw, bh) = (bbox.width().max(1e-6), bbox.height().max(1e-6));
    let mut k = (width - 2.0 * MARGIN) / bw;
    if bh * k > width * max_aspect {
        k = width * max_aspect / bh;
    }
    let ox = (width - bw * k) / 2.0;
    let oy = top;
    let map_h = bh * k;
    let height = top
        + map_h
        + MARGIN
        + if legend.is_empty() {
            0.0
        } else {
            legend_h + 10.0
        };
    let tf = move |p: [f64; 2]| [(p[0] - bbox.min_x) * k + ox, (p[1] - bbox.min_y) * k + oy];

    // ---- document ----
    let desc = describe(
        req,
        &states,
        &counties,
        &selected,
        &drawn,
        classes.as_ref(),
        &value_of,
        &name_of,
    );
    let mut s = Svg::new(&Root {
        width,
        height,
        title: if req.title.is_empty() {
            "County map"
        } else {
            &req.title
        },
        desc: &desc,
        class: "sk-chart sk-county-map",
        id: &id,
    });
    if n_suppressed > 0 || n_nodata > 0 {
        s.open("defs", &[]);
        if n_suppressed > 0 {
            crate::bar::hatch_pattern(&mut s, &hatch_id);
        }
        if n_nodata > 0 {
            dot_pattern(&mut s, &dots_id);
        }
        s.close();
    }
    draw_title(&mut s, &title, palette::TEXT);
    if counties.is_empty() {
        s.text(
            "text",
            attrs![
                ("x", width / 2.0),
                ("y", top + map_h / 2.0),
                ("text-anchor", "middle"),
                ("font-size", FS),
                ("fill", palette::TEXT_MUTED)
            ],
            "No county boundaries for this area",
        );
    }

    let (county_stroke, county_stroke_w) = if choro.is_some() {
        ("#ffffff", 0.6)
    } else {
        (palette::COUNTY_STROKE, 0.75)
    };
    s.open(
        "g",
        attrs![
            ("class", "counties"),
            ("stroke", county_stroke),
            ("stroke-width", county_stroke_w),
            ("stroke-linejoin", "round"),
            ("fill-rule", "evenodd")
        ],
    );
    // Unselected first, selected on top so their outline is not covered by neighbours.
    let mut d = String::with_capacity(4096);
    for pass_selected in [false, true] {
        for c in &counties {
            let fips = c.id.as_deref().unwrap_or("");
            let is_sel = selected.contains(fips);
            if is_sel != pass_selected {
                continue;
            }
            d.clear();
            push_path_data(&mut d, c.polygons.iter().flatten(), tf);
            if d.is_empty() {
                continue;
            }
            let name = name_of(c);
            let value = value_of(fips);
            let fill: String = match (choro, value, &classes) {
                (Some(_), Some(CountyValue::Value(v)), Some(cl)) => colours
                    .get(cl.class_of(v))
                    .copied()
                    .unwrap_or(palette::NO_DATA)
                    .to_string(),
                (Some(_), Some(CountyValue::Suppressed), _) => format!("url(#{hatch_id})"),
                (Some(_), _, _) => format!("url(#{dots_id})"),
                (None, _, _) => if is_sel {
                    palette::SELECTED
                } else {
                    palette::COUNTY
                }
                .to_string(),
            };
            let mut tip = format!("{name} ({fips})");
            if let Some(ch) = choro {
                let v = match value {
                    Some(CountyValue::Value(v)) => ch.format.format(v),
                    Some(CountyValue::Suppressed) => "suppressed".into(),
                    None => "no data".into(),
                };
                if ch.label.is_empty() {
                    tip.push_str(&format!(": {v}"));
                } else {
                    tip.push_str(&format!(": {} {v}", ch.label));
                }
            }
            if is_sel {
                tip.push_str(" — selected");
            }
            let link = req
                .link_template
                .as_ref()
                .map(|t| t.replace("{fips}", fips));
            if let Some(href) = &link {
                let label = if is_sel {
                    format!("{name}, selected")
                } else {
                    name.clone()
                };
                s.open("a", attrs![("href", href), ("aria-label", label.as_str())]);
            }
            let pid = format!("c{fips}");
            let class = if is_sel { "county selected" } else { "county" };
            if is_sel && choro.is_some() {
                s.path_raw(
                    attrs![
                        ("id", pid.as_str()),
                        ("class", class),
                        ("data-fips", fips),
                        ("fill", fill.as_str()),
                        ("stroke", palette::SELECTED_STROKE),
                        ("stroke-width", 2.5)
                    ],
                    &d,
                    true,
                );
            } else {
                s.path_raw(
                    attrs![
                        ("id", pid.as_str()),
                        ("class", class),
                        ("data-fips", fips),
                        ("fill", fill.as_str())
                    ],
                    &d,
                    true,
                );
            }
            s.title(&tip);
            s.close();
            if link.is_some() {
                s.close();
            }
        }
    }
    s.close();

    // ---- state outlines ----
    s.open(
        "g",
        attrs![
            ("class", "states"),
            ("fill", "none"),
            ("stroke", palette::STATE_STROKE),
            ("stroke-width", if whole_us { 0.8 } else { 1.5 }),
            ("stroke-linejoin", "round"),
            ("pointer-events", "none")
        ],
    );
    for st in &states {
        d.clear();
        push_path_data(&mut d, st.polygons.iter().flatten(), tf);
        if d.is_empty() {
            continue;
        }
        let sid = st.id.as_deref().unwrap_or("");
        s.path_raw(attrs![("class", "state"), ("data-fips", sid)], &d, false);
    }
    s.close();

    // ---- legend ----
    if !legend.is_empty() {
        let ly = top + map_h + MARGIN + 4.0;
        s.open(
            "g",
            attrs![
                ("class", "legend"),
                ("font-size", FS),
                ("fill", palette::TEXT)
            ],
        );
        for (item, (x, dy)) in legend.iter().zip(&legend_pos) {
            let y = ly + dy;
            match item {
                Legend::Heading(t) => {
                    s.text(
                        "text",
                        attrs![("x", *x), ("y", y + 11.0), ("font-weight", "600")],
                        &truncate_weight(t, width - 20.0, FS, true),
                    );
                }
                Legend::Swatch {
                    fill,
                    stroke,
                    stroke_width,
                    dashed,
                    text,
                } => {
                    if *dashed {
                        s.leaf(
                            "rect",
                            attrs![
                                ("x", *x + 1.0),
                                ("y", y + 1.0),
                                ("width", 14.0),
                                ("height", 12.0),
                                ("fill", fill),
                                ("stroke", *stroke),
                                ("stroke-width", *stroke_width),
                                ("stroke-dasharray", "2 2")
                            ],
                        );
                    } else {
                        s.leaf(
                            "rect",
                            attrs![
                                ("x", *x + 1.0),
                                ("y", y + 1.0),
                                ("width", 14.0),
                                ("height", 12.0),
                                ("fill", fill),
                                ("stroke", *stroke),
                                ("stroke-width", *stroke_width)
                            ],
                        );
                    }
                    s.text("text", attrs![("x", *x + 22.0), ("y", y + 11.0)], text);
                }
            }
        }
        s.close();
    }
    s.finish()
}

/// A dotted pattern (`id`) for counties without data: sparse grey dots on white, distinct from
/// the suppressed hatch and from every class colour.
fn dot_pattern(s: &mut Svg, id: &str) {
    s.open(
        "pattern",
        attrs![
            ("id", id),
            ("width", 5.0),
            ("height", 5.0),
            ("patternUnits", "userSpaceOnUse")
        ],
    );
    s.leaf(
        "rect",
        attrs![("width", 5.0), ("height", 5.0), ("fill", palette::NO_DATA)],
    );
    s.leaf(
        "circle",
        attrs![
            ("cx", 2.5),
            ("cy", 2.5),
            ("r", 0.9),
            ("fill", palette::HATCH)
        ],
    );
    s.close();
}

/// `1 county`, `3 counties`.
fn counties_n(n: usize) -> String {
    if n == 1 {
        "1 county".to_string()
    } else {
        format!("{n} counties")
    }
}

#[allow(clippy::too_many_arguments)]
fn describe(
    req: &MapRequest<'_>,
    states: &[&Feature],
    counties: &[&Feature],
    selected: &BTreeSet<&str>,
    drawn: &BTreeSet<&str>,
    classes: Option<&Classes>,
    value_of: &dyn Fn(&str) -> Option<CountyValue>,
    name_of: &dyn Fn(&Feature) -> String,
) -> String {
    let a = atlas();
    let place = if req.states.is_empty() {
        "the United States".to_string()
    } else {
        let names: Vec<String> = states.iter().filter_map(|s| s.name.clone()).collect();
        match names.len() {
            0 => "no known state".to_string(),
            1 => names[0].clone(),
            _ => {
                let (last, rest) = names.split_last().expect("two or more");
                format!("{} and {last}", rest.join(", "))
            }
        }
    };
    let mut d = format!("Map of the {} of {place}.", counties_n(counties.len()));
    let sel: Vec<String> = counties
        .iter()
        .filter(|c| selected.contains(c.id.as_deref().unwrap_or("")))
        .map(|c| name_of(c))
        .collect();
    if !sel.is_empty() {
        d.push_str(&format!(
            " Selected: {} ({}{}).",
            sel.len(),
            sel.iter().take(30).cloned().collect::<Vec<_>>().join("; "),
            if sel.len() > 30 { "; …" } else { "" }
        ));
    }
    if req.link_template.is_some() {
        d.push_str(" Each county is a link that adds it to or removes it from the selection.");
    }
    if let (Some(ch), Some(cl)) = (&req.choropleth, classes) {
        let method = match ch.classing {
            Classing::Quantiles => "quantile",
            Classing::Breaks(_) => "fixed",
        };
        let mut counts = vec![0usize; cl.labels.len()];
        let mut vals: Vec<(f64, &Feature)> = Vec::new();
        let (mut sup, mut none) = (0, 0);
        for c in counties {
            match value_of(c.id.as_deref().unwrap_or("")) {
                Some(CountyValue::Value(v)) => {
                    if let Some(n) = counts.get_mut(cl.class_of(v)) {
                        *n += 1;
                    }
                    vals.push((v, c));
                }
                Some(CountyValue::Suppressed) => sup += 1,
                None => none += 1,
            }
        }
        let label = if ch.label.is_empty() {
            "Values"
        } else {
            ch.label.as_str()
        };
        let parts: Vec<String> = cl
            .labels
            .iter()
            .zip(&counts)
            .map(|(l, n)| format!("{l}: {n}"))
            .collect();
        d.push_str(&format!(
            " Colour shows {label} in {} {method} {} (counties per class: {}).",
            cl.labels.len(),
            if cl.labels.len() == 1 {
                "class"
            } else {
                "classes"
            },
            parts.join("; ")
        ));
        vals.sort_by(|x, y| y.0.total_cmp(&x.0));
        if !vals.is_empty() {
            let top: Vec<String> = vals
                .iter()
                .take(3)
                .map(|(v, c)| format!("{} {}", name_of(c), ch.format.format(*v)))
                .collect();
            d.push_str(&format!(" Highest: {}.", top.join("; ")));
        }
        if sup > 0 {
            d.push_str(&format!(" Suppressed: {}.", counties_n(sup)));
        }
        if none > 0 {
            d.push_str(&format!(" No data: {}.", counties_n(none)));
        }
    }
    // Counties asked for (selected or valued) that cannot be drawn.
    let mut wanted: BTreeMap<&str, &str> = BTreeMap::new();
    for f in &req.selected {
        wanted.insert(f.as_str(), "");
    }
    if let Some(ch) = &req.choropleth {
        let state_ids: BTreeSet<&str> = states.iter().filter_map(|s| s.id.as_deref()).collect();
        for f in ch.values.keys() {
            if f.len() >= 2 && state_ids.contains(&f[..2]) {
                wanted.insert(f.as_str(), "");
            }
        }
    }
    let not_drawn: Vec<String> = wanted
        .keys()
        .filter(|f| !drawn.contains(*f))
        .map(|f| {
            if a.county(f).is_none() {
                format!("{f} (no boundary in the 2017 atlas)")
            } else {
                format!("{f} (outside the map area)")
            }
        })
        .collect();
    if !not_drawn.is_empty() {
        d.push_str(&format!(" Not drawn: {}.", not_drawn.join(", ")));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_classes_round_to_the_legend() {
        let v: Vec<f64> = (1..=100).map(|i| f64::from(i) / 10.0).collect(); // 0.1 … 10.0
        let c = classify(&v, &Classing::Quantiles, NumberFormat::Decimal(1));
        assert_eq!(c.breaks, vec![2.1, 4.1, 6.0, 8.0]);
        assert_eq!(c.labels[0], "0.1–2.1");
        assert_eq!(c.labels[4], "8.0–10.0");
        assert_eq!(c.class_of(0.1), 0);
        assert_eq!(c.class_of(2.1), 1, "lower bound inclusive");
        assert_eq!(c.class_of(10.0), 4);
    }

    #[test]
    fn ties_merge_classes() {
        let c = classify(
            &[1.0, 1.0, 1.0, 1.0, 5.0],
            &Classing::Quantiles,
            NumberFormat::Integer,
        );
        // 20/40/60 % quantiles are all 1 (dropped: not above the minimum); 80 % is 1.8 → 2.
        assert_eq!(c.breaks, vec![2.0]);
        assert_eq!(c.labels, vec!["1–2", "2–5"]);
        let one = classify(&[3.0], &Classing::Quantiles, NumberFormat::Integer);
        assert_eq!(one.labels, vec!["3"]);
        assert!(
            classify(&[], &Classing::Quantiles, NumberFormat::Integer)
                .labels
                .is_empty()
        );
    }

    #[test]
    fn integer_breaks_use_two_significant_digits() {
        assert_eq!(round_for_display(12_345.0, NumberFormat::Integer), 12_000.0);
        assert_eq!(round_for_display(987.0, NumberFormat::Dollars), 990.0);
        assert_eq!(round_for_display(7.4, NumberFormat::Integer), 7.0);
    }

    #[test]
    fn fixed_breaks() {
        let c = classify(
            &[0.3, 0.9, 1.1, 3.0],
            &Classing::Breaks(vec![2.0, 0.8, 1.25, f64::NAN]),
            NumberFormat::Decimal(2),
        );
        assert_eq!(c.breaks, vec![0.8, 1.25, 2.0]);
        assert_eq!(
            c.labels,
            vec!["under 0.80", "0.80–1.25", "1.25–2.00", "2.00 and over"]
        );
    }
}
