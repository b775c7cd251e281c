//! The SVG writer every chart uses: XML escaping, number output that can never print `NaN` or
//! `inf`, balanced elements, and the accessible root element (`role="img"`, `<title>`, `<desc>`,
//! `aria-labelledby`, a `viewBox`).
//!
//! All text and attribute values pass through [`escape`]; callers never write raw markup. This
//! module must not know about any particular chart, and must not emit references to anything
//! outside the document (no external images, fonts or stylesheets).

use std::fmt::Write as _;

/// The font stack of every text element (set once on the root `<svg>`).
pub const FONT_FAMILY: &str = "system-ui, sans-serif";

/// Escapes the five XML special characters (`& < > " '`) so the text is safe both as element
/// content and inside a double- or single-quoted attribute. Control characters other than tab,
/// newline and carriage return are not allowed in XML 1.0 and are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `v` with at most `decimals` decimals and no trailing zeros (`12`, `12.5`, `-0.25`).
/// A non-finite value is written as `0` (charts filter such values out before this point; this
/// is the last line of defence that keeps `NaN` out of the document).
pub fn num(v: f64, decimals: u8) -> String {
    let mut s = String::new();
    push_num(&mut s, v, decimals);
    s
}

/// [`num`] appending to a buffer.
pub fn push_num(out: &mut String, v: f64, decimals: u8) {
    let v = if v.is_finite() { v } else { 0.0 };
    let p = 10f64.powi(i32::from(decimals));
    let r = (v * p).round() / p;
    let r = if r == 0.0 { 0.0 } else { r }; // no "-0"
    let start = out.len();
    let _ = write!(out, "{:.*}", decimals as usize, r);
    if decimals > 0 {
        while out.ends_with('0') {
            out.pop();
        }
        if out.ends_with('.') {
            out.pop();
        }
    }
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// An attribute value: text (escaped when written) or a number (two decimals at most).
#[derive(Debug, Clone, Copy)]
pub enum Val<'a> {
    /// Text, escaped on output.
    Str(&'a str),
    /// A number, written with [`num`] (2 decimals).
    Num(f64),
}

impl<'a> From<&'a str> for Val<'a> {
    fn from(s: &'a str) -> Self {
        Val::Str(s)
    }
}
impl<'a> From<&'a String> for Val<'a> {
    fn from(s: &'a String) -> Self {
        Val::Str(s.as_str())
    }
}
impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Num(v)
    }
}

/// Builds an attribute list: `attrs![("x", 1.0), ("class", "tick")]`.
#[macro_export]
#[doc(hidden)]
macro_rules! attrs {
    ($(($k:expr, $v:expr)),* $(,)?) => {
        &[$(($k, $crate::svg::Val::from($v))),*]
    };
}

/// A streaming SVG writer that keeps elements balanced.
#[derive(Debug)]
pub struct Svg {
    out: String,
    stack: Vec<&'static str>,
    id: String,
}

/// What the root element says about the chart.
#[derive(Debug, Clone)]
pub struct Root<'a> {
    /// Width of the `viewBox` (also the nominal `width`).
    pub width: f64,
    /// Height of the `viewBox` (also the nominal `height`).
    pub height: f64,
    /// Short title (the accessible name).
    pub title: &'a str,
    /// Text alternative summarising the data.
    pub desc: &'a str,
    /// Classes of the root element, e.g. `sk-chart sk-bubble-chart`.
    pub class: &'a str,
    /// Prefix of the ids of this document (title, desc, patterns), unique per chart.
    pub id: &'a str,
}

impl Svg {
    /// Opens the root `<svg>` with `<title>` and `<desc>`. The document scales to its container
    /// (`viewBox`, `max-width:100%`, `height:auto`) and keeps its aspect ratio.
    pub fn new(root: &Root<'_>) -> Svg {
        Svg::with_style(root, "max-width:100%;height:auto")
    }

    /// [`Svg::new`] with another inline `style` on the root, e.g. a `min-width` so that a wide
    /// chart keeps a readable size and its container scrolls on a narrow screen.
    pub fn with_style(root: &Root<'_>, style: &str) -> Svg {
        let id = escape(root.id);
        let mut s = Svg {
            out: String::with_capacity(16 * 1024),
            stack: Vec::new(),
            id: root.id.to_string(),
        };
        let (w, h) = (num(root.width, 1), num(root.height, 1));
        let _ = write!(
            s.out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
             height=\"{h}\" style=\"{}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" class=\"{}\" font-family=\"{FONT_FAMILY}\">",
            escape(style),
            escape(root.class)
        );
        s.stack.push("svg");
        s.out.push('\n');
        let _ = writeln!(
            s.out,
            "<title id=\"{id}-title\">{}</title>",
            escape(root.title)
        );
        let _ = writeln!(s.out, "<desc id=\"{id}-desc\">{}</desc>", escape(root.desc));
        s
    }

    /// The id prefix of this document.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn write_attrs(&mut self, attrs: &[(&str, Val<'_>)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            match v {
                Val::Str(s) => self.out.push_str(&escape(s)),
                Val::Num(n) => push_num(&mut self.out, *n, 2),
            }
            self.out.push('"');
        }
    }

    /// Opens `<tag …>`; close it with [`Svg::close`].
    pub fn open(&mut self, tag: &'static str, attrs: &[(&str, Val<'_>)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.write_attrs(attrs);
        self.out.push('>');
        if tag != "text" {
            // One element per line keeps diffs and snapshots readable (never inside <text>,
            // where the newline would be text).
            self.out.push('\n');
        }
        self.stack.push(tag);
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if self.stack.len() > 1 {
            let tag = self.stack.pop().unwrap_or("g");
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push_str(">\n");
        }
    }

    /// An empty element `<tag …/>`.
    pub fn leaf(&mut self, tag: &'static str, attrs: &[(&str, Val<'_>)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.write_attrs(attrs);
        self.out.push_str("/>\n");
    }

    /// An element with escaped text content: `<tag …>text</tag>`.
    pub fn text(&mut self, tag: &'static str, attrs: &[(&str, Val<'_>)], text: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.write_attrs(attrs);
        self.out.push('>');
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// A `<title>` child (the browser's tooltip and the element's accessible name).
    pub fn title(&mut self, text: &str) {
        self.text("title", &[], text);
    }

    /// A `<path …attrs d="…">` whose `d` is already valid path data (numbers and command letters
    /// only, produced by this crate), written without escaping to save time on large maps. With
    /// `open`, the element stays open for children (a `<title>`); close it with [`Svg::close`].
    pub fn path_raw(&mut self, attrs: &[(&str, Val<'_>)], d: &str, open: bool) {
        debug_assert!(
            d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" .-,".contains(&b))
        );
        self.out.push_str("<path");
        self.write_attrs(attrs);
        self.out.push_str(" d=\"");
        self.out.push_str(d);
        self.out.push('"');
        if open {
            self.out.push('>');
            self.stack.push("path");
        } else {
            self.out.push_str("/>\n");
        }
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while let Some(tag) = self.stack.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push_str(">\n");
        }
        self.out
    }
}

/// A short, stable id prefix for a chart: `sk-` + kind + a hash of the content that makes its
/// text alternative (so two different charts on one page get different ids).
pub fn chart_id(kind: &str, parts: &[&str]) -> String {
    // FNV-1a, 32 bits: stable across builds and platforms.
    let mut h: u32 = 0x811c_9dc5;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    let kind: String = kind
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("sk-{kind}-{h:08x}")
}

/// Advance widths of ASCII 32–126 in DejaVu Sans (the font `system-ui` resolves to on a
/// typical Linux server and in rsvg), in thousandths of an em. DejaVu is wider than the UI fonts
/// of Windows, macOS and Android, so layouts based on it leave room in browsers too.
const WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The same for DejaVu Sans Bold.
const WIDTHS_BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

fn char_em(c: char, bold: bool) -> f64 {
    let table = if bold { &WIDTHS_BOLD } else { &WIDTHS };
    let code = c as u32;
    if (32..127).contains(&code) {
        return f64::from(table[(code - 32) as usize]) / 1000.0;
    }
    match c {
        '…' | '—' => 1.0,
        '−' | '×' => 0.838,
        '–' => 0.5,
        '’' | '‘' => 0.35,
        _ => {
            if bold {
                0.75
            } else {
                0.68
            }
        }
    }
}

/// Estimated advance width of `text` at `font_size` (regular weight). No font metrics are
/// available on the server; see the width table above.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text_width_weight(text, font_size, false)
}

/// Estimated advance width of `text` at `font_size`, regular or bold.
pub fn text_width_weight(text: &str, font_size: f64, bold: bool) -> f64 {
    text.chars().map(|c| char_em(c, bold)).sum::<f64>() * font_size
}

/// Cuts `text` so that it fits `max_width` at `font_size`, ending it with `…` when cut.
pub fn truncate_to_width(text: &str, max_width: f64, font_size: f64) -> String {
    truncate_weight(text, max_width, font_size, false)
}

/// [`truncate_to_width`] for regular or bold text.
pub fn truncate_weight(text: &str, max_width: f64, font_size: f64, bold: bool) -> String {
    if text_width_weight(text, font_size, bold) <= max_width {
        return text.to_string();
    }
    let ell = char_em('…', bold) * font_size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_em(c, bold) * font_size;
        if w + cw + ell > max_width {
            break;
        }
        out.push(c);
        w += cw;
    }
    let trimmed = out.trim_end().trim_end_matches(',').to_string();
    format!("{trimmed}…")
}

/// Breaks `text` at spaces into at most `max_lines` lines of at most `max_width`; the last line
/// is truncated with `…` if the text does not fit.
pub fn wrap(
    text: &str,
    max_width: f64,
    font_size: f64,
    bold: bool,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let candidate = if cur.is_empty() {
            words[i].to_string()
        } else {
            format!("{cur} {}", words[i])
        };
        if text_width_weight(&candidate, font_size, bold) <= max_width || cur.is_empty() {
            cur = candidate;
            i += 1;
        } else if lines.len() + 1 >= max_lines.max(1) {
            // `cur` is the last line allowed: it takes the rest, truncated.
            let rest = format!("{cur} {}", words[i..].join(" "));
            lines.push(truncate_weight(&rest, max_width, font_size, bold));
            return lines;
        } else {
            let line = std::mem::take(&mut cur);
            lines.push(truncate_weight(&line, max_width, font_size, bold));
        }
    }
    if !cur.is_empty() {
        lines.push(truncate_weight(&cur, max_width, font_size, bold));
    }
    lines
}

/// Font size of chart titles.
pub const TITLE_SIZE: f64 = 15.0;

/// A chart title wrapped to the chart's width (two lines at most), and the height it takes from
/// the top of the chart (0 without a title).
pub fn title_lines(title: &str, width: f64) -> (Vec<String>, f64) {
    let lines = wrap(title, width - 20.0, TITLE_SIZE, true, 2);
    let h = if lines.is_empty() {
        0.0
    } else {
        22.0 + 19.0 * (lines.len() - 1) as f64 + 12.0
    };
    (lines, h)
}

/// Draws title lines (from [`title_lines`]) at the top left, class `sk-title`.
pub fn draw_title(s: &mut Svg, lines: &[String], fill: &str) {
    if lines.is_empty() {
        return;
    }
    s.open(
        "text",
        &[
            ("class", Val::Str("sk-title")),
            ("font-size", Val::Num(TITLE_SIZE)),
            ("font-weight", Val::Str("700")),
            ("fill", Val::Str(fill)),
        ],
    );
    for (i, l) in lines.iter().enumerate() {
        s.text(
            "tspan",
            &[
                ("x", Val::Num(10.0)),
                ("y", Val::Num(22.0 + 19.0 * i as f64)),
            ],
            l,
        );
    }
    s.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_all_special_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("bell\u{7}tab\t"), "belltab\t");
    }

    #[test]
    fn numbers_never_print_nan_or_negative_zero() {
        assert_eq!(num(f64::NAN, 1), "0");
        assert_eq!(num(f64::INFINITY, 1), "0");
        assert_eq!(num(-0.04, 1), "0");
        assert_eq!(num(12.0, 2), "12");
        assert_eq!(num(12.25, 1), "12.3");
        assert_eq!(num(-3.10, 2), "-3.1");
        assert_eq!(num(1234.5678, 0), "1235");
    }

    #[test]
    fn builder_balances_elements() {
        let mut s = Svg::new(&Root {
            width: 100.0,
            height: 50.0,
            title: "T",
            desc: "D",
            class: "c",
            id: "x",
        });
        s.open("g", attrs![("class", "a")]);
        s.leaf("rect", attrs![("x", 1.5), ("y", f64::NAN)]);
        let out = s.finish();
        assert!(out.ends_with("</g>\n</svg>\n"));
        assert!(out.contains(r#"<rect x="1.5" y="0"/>"#));
        assert!(out.contains(r#"aria-labelledby="x-title x-desc""#));
    }

    #[test]
    fn truncation_adds_ellipsis_only_when_needed() {
        assert_eq!(truncate_to_width("Hospitals", 200.0, 12.0), "Hospitals");
        let t = truncate_to_width(
            "Professional, scientific, and technical services",
            100.0,
            12.0,
        );
        assert!(t.ends_with('…'), "{t}");
        assert!(text_width(&t, 12.0) <= 100.0);
        assert!(text_width_weight("Stars", 12.0, true) > text_width("Stars", 12.0));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_truncates_the_last_line() {
        assert_eq!(wrap("Short title", 300.0, 15.0, true, 2), ["Short title"]);
        let lines = wrap(
            "Columbus, OH MSA: industries by growth and concentration over five years",
            300.0,
            15.0,
            true,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| text_width_weight(l, 15.0, true) <= 300.0)
        );
        assert!(wrap("", 100.0, 12.0, false, 2).is_empty());
    }

    #[test]
    fn chart_ids_are_stable_and_content_dependent() {
        assert_eq!(chart_id("bubble", &["a"]), chart_id("bubble", &["a"]));
        assert_ne!(chart_id("bubble", &["a"]), chart_id("bubble", &["b"]));
        assert!(chart_id("bu<b>", &["a"]).starts_with("sk-bub-"));
    }
}
