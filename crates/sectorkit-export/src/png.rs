//! Charts as PNG: rasterizes sectorkit's SVG charts with `resvg`, using the DejaVu Sans fonts
//! embedded in the binary (`fonts/`), so the labels are the same on every machine and no system
//! font is needed. The SVG stays the source of truth; the PNG is a picture of it.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Largest PNG side in pixels (a bound on memory: 4096² RGBA is 64 MiB).
pub const MAX_SIDE: u32 = 4096;

/// Why a chart could not be rasterized.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the chart is not valid SVG: {0}")]
    Svg(String),
    #[error("the chart has no area to draw")]
    Empty,
    #[error("the picture would be {0}×{1} pixels, larger than {MAX_SIDE} on a side")]
    TooLarge(u32, u32),
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        // The charts ask for `system-ui, sans-serif`; both resolve to DejaVu Sans.
        db.set_sans_serif_family("DejaVu Sans");
        usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Rasterizes an SVG document at `scale` × its own size (2 gives a sharp picture on high-density
/// screens and in slides), on a white background (a chart pasted into a document should not
/// be transparent).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| PngError::Svg(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    if w == 0 || h == 0 {
        return Err(PngError::Empty);
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(PngError::TooLarge(w, h));
    }
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(PngError::Empty)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

/// [`svg_to_png`] at `scale`, or at the largest scale that keeps both sides within
/// [`MAX_SIDE`] when `scale` would not (wide charts such as a long career ladder).
pub fn svg_to_png_fit(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| PngError::Svg(e.to_string()))?;
    let side = tree.size().width().max(tree.size().height());
    let most = if side > 0.0 {
        MAX_SIDE as f32 / side
    } else {
        scale
    };
    // Just under the limit when shrinking, so that rounding up cannot cross it.
    svg_to_png(svg, if scale <= most { scale } else { most * 0.999 })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" font-family="system-ui, sans-serif">
<rect x="10" y="10" width="80" height="80" fill="#1f77b4"/>
<text x="100" y="55" font-size="20" fill="#000">Jobs</text>
</svg>"##;

    fn decode(png: &[u8]) -> tiny_skia::Pixmap {
        tiny_skia::Pixmap::decode_png(png).unwrap()
    }

    #[test]
    fn draws_shapes_and_text_at_scale() {
        let png = svg_to_png(SVG, 2.0).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let p = decode(&png);
        assert_eq!((p.width(), p.height()), (400, 200));
        // The square is blue, the background white.
        let px = |x: u32, y: u32| p.pixel(x, y).unwrap();
        let blue = px(100, 100);
        assert_eq!((blue.red(), blue.green(), blue.blue()), (0x1f, 0x77, 0xb4));
        let bg = px(5, 5);
        assert_eq!((bg.red(), bg.green(), bg.blue()), (255, 255, 255));
        // The text was drawn with the embedded font: dark pixels right of the square.
        let dark = (200..400)
            .flat_map(|x| (60..140).map(move |y| (x, y)))
            .filter(|&(x, y)| px(x, y).red() < 100)
            .count();
        assert!(dark > 100, "only {dark} text pixels: no font?");
    }

    #[test]
    fn fits_wide_charts() {
        let wide = SVG
            .replace("width=\"200\"", "width=\"3000\"")
            .replace("0 0 200 100", "0 0 3000 100");
        let p = decode(&svg_to_png_fit(&wide, 2.0).unwrap());
        assert!(p.width() <= MAX_SIDE && p.width() > 4000, "{}", p.width());
        let p = decode(&svg_to_png_fit(SVG, 2.0).unwrap());
        assert_eq!(p.width(), 400);
    }

    #[test]
    fn refuses_bad_and_huge_input() {
        assert!(matches!(svg_to_png("<svg", 1.0), Err(PngError::Svg(_))));
        assert!(matches!(
            svg_to_png(SVG, 100.0),
            Err(PngError::TooLarge(20000, 10000))
        ));
    }
}
