//! A small TopoJSON decoder: quantized, delta-encoded arcs, arc reversal (`~i`), `Polygon`,
//! `MultiPolygon` and `GeometryCollection`, and SVG path data for the decoded rings.
//!
//! Decoding follows the TopoJSON 1.0 specification: with a `transform`, each arc's positions
//! are deltas from the previous position (the first one from 0,0) in quantized integer units;
//! the absolute quantized position `q` maps to `q × scale + translate`. A negative arc index
//! `i` means arc `!i` (`~i`, i.e. `-i - 1`) walked backwards. Arcs of a ring share their end
//! points, so every arc after the first drops its first position.
//!
//! This module knows nothing about the U.S. atlas or about maps (see [`crate::atlas`] and
//! [`crate::map`]); it does no IO and never projects: coordinates come out as they are stored.
//! Point, line and null geometries are skipped (the atlas has none).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A position `[x, y]`.
pub type Point = [f64; 2];

/// A closed ring (the last point is not repeated).
pub type Ring = Vec<Point>;

/// What can go wrong decoding a TopoJSON document.
#[derive(Debug, thiserror::Error)]
pub enum TopoError {
    /// Not JSON, or not the shape of a TopoJSON topology.
    #[error("TopoJSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    /// The top-level `type` is not `Topology`.
    #[error("expected a Topology, found type {0:?}")]
    NotTopology(String),
    /// A position with fewer than two coordinates, or a non-finite one.
    #[error("arc {arc}: position {position} is not a pair of finite numbers")]
    BadPosition {
        /// The arc.
        arc: usize,
        /// The position within the arc.
        position: usize,
    },
    /// A geometry refers to an arc that does not exist.
    #[error("geometry {id:?} refers to arc {index}, but there are {count} arcs")]
    ArcOutOfRange {
        /// The geometry's id, if it has one.
        id: Option<String>,
        /// The arc index as written (possibly negative).
        index: i64,
        /// Number of arcs in the topology.
        count: usize,
    },
    /// The requested object is not in the topology.
    #[error("no object named {0:?}")]
    NoSuchObject(String),
}

#[derive(Deserialize)]
struct RawTopology {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    transform: Option<RawTransform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: BTreeMap<String, RawGeometry>,
}

#[derive(Deserialize, Clone, Copy)]
struct RawTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum RawGeometry {
    GeometryCollection {
        geometries: Vec<RawGeometry>,
    },
    Polygon {
        arcs: Vec<Vec<i64>>,
        #[serde(default)]
        id: Option<Value>,
        #[serde(default)]
        properties: Option<serde_json::Map<String, Value>>,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<i64>>>,
        #[serde(default)]
        id: Option<Value>,
        #[serde(default)]
        properties: Option<serde_json::Map<String, Value>>,
    },
    #[serde(other)]
    Other,
}

/// An axis-aligned bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// Smallest x.
    pub min_x: f64,
    /// Smallest y.
    pub min_y: f64,
    /// Largest x.
    pub max_x: f64,
    /// Largest y.
    pub max_y: f64,
}

impl BBox {
    /// The empty box (union identity).
    pub const EMPTY: BBox = BBox {
        min_x: f64::INFINITY,
        min_y: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        max_y: f64::NEG_INFINITY,
    };

    /// `true` if no point was added.
    pub fn is_empty(&self) -> bool {
        self.min_x > self.max_x || self.min_y > self.max_y
    }

    /// Grows the box to contain `p`.
    pub fn add(&mut self, p: Point) {
        self.min_x = self.min_x.min(p[0]);
        self.min_y = self.min_y.min(p[1]);
        self.max_x = self.max_x.max(p[0]);
        self.max_y = self.max_y.max(p[1]);
    }

    /// The smallest box containing both.
    pub fn union(&self, o: &BBox) -> BBox {
        BBox {
            min_x: self.min_x.min(o.min_x),
            min_y: self.min_y.min(o.min_y),
            max_x: self.max_x.max(o.max_x),
            max_y: self.max_y.max(o.max_y),
        }
    }

    /// `true` if `o` lies within `self` (with a tolerance `eps`).
    pub fn contains(&self, o: &BBox, eps: f64) -> bool {
        o.min_x >= self.min_x - eps
            && o.min_y >= self.min_y - eps
            && o.max_x <= self.max_x + eps
            && o.max_y <= self.max_y + eps
    }

    /// Width.
    pub fn width(&self) -> f64 {
        self.max_x - self.min_x
    }

    /// Height.
    pub fn height(&self) -> f64 {
        self.max_y - self.min_y
    }
}

/// One decoded polygonal geometry: polygons of rings (first ring exterior, others holes).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The geometry's `id` (strings as they are, numbers as written in JSON).
    pub id: Option<String>,
    /// `properties.name`, if present.
    pub name: Option<String>,
    /// Polygons; each is a list of rings.
    pub polygons: Vec<Vec<Ring>>,
    /// Bounding box of all rings.
    pub bbox: BBox,
}

/// A decoded topology: absolute arcs and the polygonal geometries of each object.
#[derive(Debug, Clone)]
pub struct Topology {
    arcs: Vec<Vec<Point>>,
    objects: BTreeMap<String, Vec<Feature>>,
}

impl Topology {
    /// Parses and decodes a TopoJSON document.
    pub fn parse(json: &str) -> Result<Topology, TopoError> {
        let raw: RawTopology = serde_json::from_str(json)?;
        if raw.kind != "Topology" {
            return Err(TopoError::NotTopology(raw.kind));
        }
        let arcs = decode_arcs(&raw.arcs, raw.transform)?;
        let mut objects = BTreeMap::new();
        for (name, geom) in &raw.objects {
            let mut features = Vec::new();
            collect(geom, &arcs, &mut features)?;
            objects.insert(name.clone(), features);
        }
        Ok(Topology { arcs, objects })
    }

    /// The decoded arcs (absolute positions).
    pub fn arcs(&self) -> &[Vec<Point>] {
        &self.arcs
    }

    /// The polygonal features of an object (a `GeometryCollection` is flattened).
    pub fn features(&self, object: &str) -> Result<&[Feature], TopoError> {
        self.objects
            .get(object)
            .map(Vec::as_slice)
            .ok_or_else(|| TopoError::NoSuchObject(object.to_string()))
    }

    /// Takes the features of an object out of the topology.
    pub fn into_features(mut self, object: &str) -> Result<Vec<Feature>, TopoError> {
        self.objects
            .remove(object)
            .ok_or_else(|| TopoError::NoSuchObject(object.to_string()))
    }

    /// Object names.
    pub fn object_names(&self) -> impl Iterator<Item = &str> {
        self.objects.keys().map(String::as_str)
    }
}

fn decode_arcs(
    raw: &[Vec<Vec<f64>>],
    transform: Option<RawTransform>,
) -> Result<Vec<Vec<Point>>, TopoError> {
    raw.iter()
        .enumerate()
        .map(|(a, arc)| {
            let (mut qx, mut qy) = (0.0, 0.0);
            arc.iter()
                .enumerate()
                .map(|(p, pos)| {
                    let (x, y) = match pos.as_slice() {
                        [x, y, ..] if x.is_finite() && y.is_finite() => (*x, *y),
                        _ => {
                            return Err(TopoError::BadPosition {
                                arc: a,
                                position: p,
                            });
                        }
                    };
                    Ok(match transform {
                        Some(t) => {
                            qx += x;
                            qy += y;
                            [
                                qx * t.scale[0] + t.translate[0],
                                qy * t.scale[1] + t.translate[1],
                            ]
                        }
                        None => [x, y],
                    })
                })
                .collect()
        })
        .collect()
}

fn id_string(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn collect(
    geom: &RawGeometry,
    arcs: &[Vec<Point>],
    out: &mut Vec<Feature>,
) -> Result<(), TopoError> {
    let (id, properties, polys): (_, _, Vec<&Vec<Vec<i64>>>) = match geom {
        RawGeometry::GeometryCollection { geometries } => {
            for g in geometries {
                collect(g, arcs, out)?;
            }
            return Ok(());
        }
        RawGeometry::Other => return Ok(()),
        RawGeometry::Polygon {
            arcs: a,
            id,
            properties,
        } => (id, properties, vec![a]),
        RawGeometry::MultiPolygon {
            arcs: a,
            id,
            properties,
        } => (id, properties, a.iter().collect()),
    };
    let id = id_string(id);
    let name = properties
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut bbox = BBox::EMPTY;
    let mut polygons = Vec::with_capacity(polys.len());
    for poly in polys {
        let mut rings = Vec::with_capacity(poly.len());
        for ring in poly {
            let r = stitch(ring, arcs, &id)?;
            for p in &r {
                bbox.add(*p);
            }
            rings.push(r);
        }
        polygons.push(rings);
    }
    out.push(Feature {
        id,
        name,
        polygons,
        bbox,
    });
    Ok(())
}

/// Joins the arcs of one ring into its points (closing point not repeated).
fn stitch(ring: &[i64], arcs: &[Vec<Point>], id: &Option<String>) -> Result<Ring, TopoError> {
    let mut pts: Vec<Point> = Vec::new();
    for &i in ring {
        let (idx, reversed) = if i < 0 { (!i, true) } else { (i, false) };
        let arc = usize::try_from(idx)
            .ok()
            .and_then(|u| arcs.get(u))
            .ok_or_else(|| TopoError::ArcOutOfRange {
                id: id.clone(),
                index: i,
                count: arcs.len(),
            })?;
        let skip = usize::from(!pts.is_empty());
        if reversed {
            pts.extend(arc.iter().rev().skip(skip));
        } else {
            pts.extend(arc.iter().skip(skip));
        }
    }
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    Ok(pts)
}

/// Appends SVG path data for `rings` to `out`, after mapping every point with `f`.
///
/// Coordinates are rounded to one decimal (tenths), then written compactly: an absolute
/// `M x y` per ring, relative `l dx dy` pairs for the rest (differences of the *rounded*
/// values, so rounding never accumulates), and `z`. Points that round onto the previous one
/// are dropped, and so are rings left with fewer than three points. Numbers drop a leading
/// zero (`.5`, `-.5`); a space separates numbers unless the next one starts with `-`.
///
/// `[[0,0],[10,0],[10,5.25]]` → `M0 0l10 0 0 5.3z`.
pub fn push_path_data<'a, I, F>(out: &mut String, rings: I, f: F)
where
    I: IntoIterator<Item = &'a Ring>,
    F: Fn(Point) -> Point,
{
    let mut tenths: Vec<(i64, i64)> = Vec::new();
    for ring in rings {
        tenths.clear();
        for p in ring {
            let q = f(*p);
            if !(q[0].is_finite() && q[1].is_finite()) {
                continue;
            }
            let t = ((q[0] * 10.0).round() as i64, (q[1] * 10.0).round() as i64);
            if tenths.last() != Some(&t) {
                tenths.push(t);
            }
        }
        while tenths.len() > 1 && tenths.first() == tenths.last() {
            tenths.pop();
        }
        if tenths.len() < 3 {
            continue;
        }
        let (x0, y0) = tenths[0];
        out.push('M');
        push_tenths(out, x0, false);
        push_tenths(out, y0, true);
        out.push('l');
        let mut first = true;
        let mut prev = (x0, y0);
        for &(x, y) in &tenths[1..] {
            push_tenths(out, x - prev.0, !first);
            push_tenths(out, y - prev.1, true);
            first = false;
            prev = (x, y);
        }
        out.push('z');
    }
}

/// Path data of `rings` as a new string (see [`push_path_data`]).
pub fn path_data<'a, I, F>(rings: I, f: F) -> String
where
    I: IntoIterator<Item = &'a Ring>,
    F: Fn(Point) -> Point,
{
    let mut s = String::new();
    push_path_data(&mut s, rings, f);
    s
}

/// Writes a number given in tenths: `15` → `1.5`, `-5` → `-.5`, `20` → `2`.
fn push_tenths(out: &mut String, t: i64, separate: bool) {
    if t < 0 {
        out.push('-');
    } else if separate {
        out.push(' ');
    }
    let a = t.unsigned_abs();
    let (int, frac) = (a / 10, a % 10);
    if int > 0 || frac == 0 {
        out.push_str(&int.to_string());
    }
    if frac > 0 {
        out.push('.');
        out.push(char::from(b'0' + frac as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares sharing an edge, quantized and delta-encoded:
    ///
    /// ```text
    /// (0,0)──arc0──(2,0)──arc2──(4,0)
    ///   │            │            │
    ///   └─arc0       arc1         arc2
    /// (0,2)────────(2,2)────────(4,2)
    /// ```
    ///
    /// `transform`: scale (0.5, 0.25), translate (10, 20). Arc 0 runs (2,2)→(0,2)→(0,0)→(2,0)
    /// (three sides of the left square), arc 1 is the shared edge (2,0)→(2,2), arc 2 runs
    /// (2,0)→(4,0)→(4,2)→(2,2). "left" = [0, 1]; "right" uses arc 1 reversed: [2, ~1] = [2, -2].
    /// "both" is a MultiPolygon of the two, the second with a hole given as its own arc 3.
    const TINY: &str = r#"{
      "type": "Topology",
      "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
      "objects": {
        "squares": {"type": "GeometryCollection", "geometries": [
          {"type": "Polygon", "id": "left", "properties": {"name": "Left & <Co>"}, "arcs": [[0, 1]]},
          {"type": "Polygon", "id": 7, "arcs": [[2, -2]]},
          {"type": "MultiPolygon", "id": "both", "arcs": [[[0, 1]], [[2, -2], [3]]]},
          {"type": "Point", "coordinates": [1, 1]}
        ]},
        "bad": {"type": "Polygon", "arcs": [[9]]}
      },
      "arcs": [
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [0, 2]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
        [[3, 1], [0, 1], [0, -1]]
      ]
    }"#;

    fn tiny() -> Result<Topology, TopoError> {
        // "bad" refers to a missing arc: drop it for the happy-path tests.
        let mut v: Value = serde_json::from_str(TINY).unwrap();
        v["objects"].as_object_mut().unwrap().remove("bad");
        Topology::parse(&v.to_string())
    }

    #[test]
    fn arcs_are_delta_decoded_and_transformed() {
        let t = tiny().unwrap();
        // Arc 0: quantized (2,2),(0,2),(0,0),(2,0) → ×(0.5,0.25) + (10,20).
        assert_eq!(
            t.arcs()[0],
            vec![[11.0, 20.5], [10.0, 20.5], [10.0, 20.0], [11.0, 20.0]]
        );
        assert_eq!(t.arcs()[1], vec![[11.0, 20.0], [11.0, 20.5]]);
    }

    #[test]
    fn rings_stitch_arcs_and_reverse_negative_indices() {
        let t = tiny().unwrap();
        let f = t.features("squares").unwrap();
        assert_eq!(f.len(), 3, "the Point is skipped");
        assert_eq!(f[0].id.as_deref(), Some("left"));
        assert_eq!(f[0].name.as_deref(), Some("Left & <Co>"));
        assert_eq!(
            f[0].polygons,
            vec![vec![vec![
                [11.0, 20.5],
                [10.0, 20.5],
                [10.0, 20.0],
                [11.0, 20.0]
            ]]]
        );
        // Numeric id; arc 2 then arc 1 backwards: (2,2)→(2,0) drops its first point.
        assert_eq!(f[1].id.as_deref(), Some("7"));
        assert_eq!(
            f[1].polygons,
            vec![vec![vec![
                [11.0, 20.0],
                [12.0, 20.0],
                [12.0, 20.5],
                [11.0, 20.5]
            ]]]
        );
        assert_eq!(
            f[1].bbox,
            BBox {
                min_x: 11.0,
                min_y: 20.0,
                max_x: 12.0,
                max_y: 20.5
            }
        );
    }

    #[test]
    fn exact_path_strings() {
        let t = tiny().unwrap();
        let f = t.features("squares").unwrap();
        // Identity mapping: absolute start, relative steps, one decimal, no leading zeros.
        assert_eq!(
            path_data(f[0].polygons.iter().flatten(), |p| p),
            "M11 20.5l-1 0 0-.5 1 0z"
        );
        // A scale of 10 keeps the tenths exact.
        assert_eq!(
            path_data(f[1].polygons.iter().flatten(), |p| [
                (p[0] - 10.0) * 10.0,
                (p[1] - 20.0) * 10.0
            ]),
            "M10 0l10 0 0 5-10 0z"
        );
        // MultiPolygon: two polygons, the second with a hole (arc 3: (3,1)→(3,2)→(3,1) is
        // degenerate after closing, so it is dropped as a ring with fewer than 3 points).
        assert_eq!(f[2].polygons.len(), 2);
        assert_eq!(f[2].polygons[1].len(), 2);
        assert_eq!(
            path_data(f[2].polygons.iter().flatten(), |p| p),
            "M11 20.5l-1 0 0-.5 1 0zM11 20l1 0 0 .5-1 0z"
        );
    }

    #[test]
    fn rounding_drops_repeated_points_and_does_not_drift() {
        let ring: Ring = vec![
            [0.04, 0.0],
            [0.33, 0.0],
            [0.36, 0.0],
            [0.66, 0.33],
            [0.0, 0.66],
        ];
        // (0,0) (.3,0) (.4,0) (.7,.3) (0,.7): deltas of the rounded values.
        assert_eq!(path_data([&ring], |p| p), "M0 0l.3 0 .1 0 .3 .3-.7 .4z");
        let tiny_ring: Ring = vec![[0.0, 0.0], [0.01, 0.0], [0.0, 0.01]];
        assert_eq!(path_data([&tiny_ring], |p| p), "");
        let nan_ring: Ring = vec![[f64::NAN, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert_eq!(path_data([&nan_ring], |p| p), "M1 0l0 1-1 0z");
    }

    #[test]
    fn errors_are_reported() {
        assert!(matches!(
            Topology::parse(TINY),
            Err(TopoError::ArcOutOfRange { index: 9, .. })
        ));
        assert!(matches!(
            Topology::parse(r#"{"type":"FeatureCollection","arcs":[],"objects":{}}"#),
            Err(TopoError::NotTopology(_))
        ));
        assert!(matches!(
            Topology::parse(r#"{"type":"Topology","arcs":[[[1]]],"objects":{}}"#),
            Err(TopoError::BadPosition {
                arc: 0,
                position: 0
            })
        ));
        assert!(matches!(Topology::parse("{"), Err(TopoError::Json(_))));
        let t = tiny().unwrap();
        assert!(matches!(
            t.features("nope"),
            Err(TopoError::NoSuchObject(_))
        ));
    }

    #[test]
    fn without_transform_positions_are_absolute() {
        let t = Topology::parse(
            r#"{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[[0]]}},
                "arcs":[[[1,1],[3,1],[3,4],[1,1]]]}"#,
        )
        .unwrap();
        let f = t.features("o").unwrap();
        assert_eq!(
            f[0].polygons[0][0],
            vec![[1.0, 1.0], [3.0, 1.0], [3.0, 4.0]]
        );
        assert_eq!(f[0].id, None);
    }
}
