//! Layout helpers shared by the charts: rectangles and overlap tests for label placement, and a
//! flow layout for legends (entries left to right, wrapping to new rows).
//!
//! Geometry only: this module must not write SVG.

/// An axis-aligned rectangle in SVG coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// `true` if the two overlap by more than `margin` is allowed to separate them (a positive
    /// margin keeps rectangles that far apart).
    pub fn overlaps(&self, o: &Rect, margin: f64) -> bool {
        self.x < o.right() + margin
            && o.x < self.right() + margin
            && self.y < o.bottom() + margin
            && o.y < self.bottom() + margin
    }

    /// `true` if `o` lies entirely inside.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    /// `true` if the circle (`cx`, `cy`, `r`) touches the rectangle.
    pub fn hits_circle(&self, cx: f64, cy: f64, r: f64) -> bool {
        let nx = cx.clamp(self.x, self.right());
        let ny = cy.clamp(self.y, self.bottom());
        (nx - cx).powi(2) + (ny - cy).powi(2) < r * r
    }
}

/// Places boxes of the given sizes in rows of at most `max_width`, `gap_x` apart, rows
/// `gap_y` apart, starting at (`x`, `y`). Returns the top-left corner of each box and the total
/// height used. A box wider than `max_width` gets a row of its own.
pub fn flow(
    sizes: &[(f64, f64)],
    x: f64,
    y: f64,
    max_width: f64,
    gap_x: f64,
    gap_y: f64,
) -> (Vec<(f64, f64)>, f64) {
    let mut out = Vec::with_capacity(sizes.len());
    let (mut cx, mut cy, mut row_h) = (x, y, 0.0f64);
    for &(w, h) in sizes {
        if cx > x && cx + w > x + max_width {
            cx = x;
            cy += row_h + gap_y;
            row_h = 0.0;
        }
        out.push((cx, cy));
        cx += w + gap_x;
        row_h = row_h.max(h);
    }
    let height = if sizes.is_empty() {
        0.0
    } else {
        cy + row_h - y
    };
    (out, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
        };
        let b = Rect { x: 12.0, ..a };
        assert!(!a.overlaps(&b, 0.0));
        assert!(a.overlaps(&b, 3.0));
        assert!(a.hits_circle(15.0, 5.0, 6.0));
        assert!(!a.hits_circle(15.0, 5.0, 4.0));
        assert!(a.contains(&Rect {
            x: 1.0,
            y: 1.0,
            w: 2.0,
            h: 2.0
        }));
    }

    #[test]
    fn flow_wraps_rows() {
        let (pos, h) = flow(
            &[(50.0, 10.0), (50.0, 20.0), (50.0, 10.0)],
            0.0,
            0.0,
            110.0,
            5.0,
            4.0,
        );
        assert_eq!(pos, vec![(0.0, 0.0), (55.0, 0.0), (0.0, 24.0)]);
        assert_eq!(h, 34.0);
        let (pos, _) = flow(&[(200.0, 10.0)], 0.0, 0.0, 100.0, 5.0, 4.0);
        assert_eq!(pos, vec![(0.0, 0.0)]);
    }
}
