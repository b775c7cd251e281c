//! Rendering tests through the public API: snapshots of a small bubble chart, a bar chart with a
//! suppressed item and the Delaware map; escaping; properties over random inputs (well-formed,
//! no `NaN`/`inf`, missing values never drawn as numbers); bubble radii monotone in size.

mod common;

use std::collections::HashMap;

use common::assert_well_formed;
use proptest::prelude::*;
use sectorkit_charts::bar::Reference;
use sectorkit_charts::layout::Rect;
use sectorkit_charts::svg::text_width_weight;
use sectorkit_charts::{
    BarItem, BarOptions, BubbleOptions, BubblePoint, Choropleth, Classing, CountyValue, MapRequest,
    NumberFormat, bar_chart, bubble_chart, bubble_radius, counties_in_state, county_map,
};

fn point(
    code: &str,
    title: &str,
    x: Option<f64>,
    y: Option<f64>,
    size: Option<f64>,
) -> BubblePoint {
    BubblePoint {
        code: code.into(),
        title: title.into(),
        x,
        y,
        size,
        highlighted: false,
    }
}

/// Number of bubble groups in a chart.
fn bubbles(svg: &str) -> usize {
    svg.matches("<g class=\"bubble\" data-code").count()
        + svg
            .matches("<g class=\"bubble highlighted\" data-code")
            .count()
}

fn small_bubbles() -> Vec<BubblePoint> {
    vec![
        point("622", "Hospitals", Some(6.2), Some(1.18), Some(48_210.0)),
        BubblePoint {
            highlighted: true,
            ..point(
                "493",
                "Warehousing and storage",
                Some(24.8),
                Some(2.35),
                Some(38_420.0),
            )
        },
        point(
            "333",
            "Machinery manufacturing",
            Some(-3.9),
            Some(0.57),
            Some(4_300.0),
        ),
        point(
            "486",
            "Pipeline transportation",
            Some(2.0),
            Some(0.52),
            None,
        ),
        point(
            "525",
            "Funds, trusts, and other financial vehicles",
            None,
            None,
            None,
        ),
    ]
}

#[test]
fn snapshot_small_bubble_chart() {
    let svg = bubble_chart(
        &small_bubbles(),
        &BubbleOptions {
            title: "Target industries".into(),
            x_label: "Employment change, 2019–2024 (%)".into(),
            width: 480.0,
            height: 360.0,
            label_top_n: 3,
            ..Default::default()
        },
    );
    assert_well_formed(&svg);
    insta::assert_snapshot!("bubble_small", svg);
}

#[test]
fn bubble_chart_structure() {
    let svg = bubble_chart(&small_bubbles(), &BubbleOptions::default());
    assert_well_formed(&svg);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 480\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("font-family=\"system-ui, sans-serif\""));
    assert_eq!(bubbles(&svg), 4);
    assert!(svg.contains("<g class=\"bubble highlighted\" data-code=\"493\">"));
    assert!(svg.contains("<title>622 Hospitals: employment 48,210; LQ 1.18; growth +6.2%</title>"));
    assert!(svg.contains("Not shown: 1 industry without growth or LQ"));
    assert!(
        svg.contains("stroke-dasharray=\"2 2\""),
        "undisclosed size is dashed"
    );
    assert!(svg.contains(">Stars</text>"));
    // No external references of any kind.
    assert!(!svg.contains("http://") || svg.matches("http://").count() == 1);
    assert!(!svg.contains("href"));
    assert!(!svg.contains("<image"));
    assert!(!svg.contains("<style"));
}

#[test]
fn bubble_labels_do_not_overlap() {
    // Twenty bubbles on a line: every label that is drawn has its own box.
    let pts: Vec<BubblePoint> = (0..20)
        .map(|i| {
            point(
                &format!("{i}"),
                &format!("Industry number {i}"),
                Some(f64::from(i) * 0.5),
                Some(1.0 + f64::from(i % 3) * 0.01),
                Some(1000.0 + f64::from(i) * 100.0),
            )
        })
        .collect();
    let svg = bubble_chart(
        &pts,
        &BubbleOptions {
            label_top_n: 20,
            ..Default::default()
        },
    );
    let labels: Vec<Rect> = svg
        .lines()
        .filter(|l| l.starts_with("<text class=\"bubble-label"))
        .map(|l| {
            let attr = |name: &str| -> &str {
                let k = format!(" {name}=\"");
                let s = &l[l.find(&k).unwrap() + k.len()..];
                &s[..s.find('"').unwrap()]
            };
            let text = &l[l.find('>').unwrap() + 1..l.rfind("</text>").unwrap()];
            let w = text_width_weight(text, 12.0, l.contains("highlighted"));
            let (x, y): (f64, f64) = (attr("x").parse().unwrap(), attr("y").parse().unwrap());
            let left = match attr("text-anchor") {
                "start" => x,
                "end" => x - w,
                _ => x - w / 2.0,
            };
            Rect {
                x: left,
                y: y - 10.0,
                w,
                h: 13.0,
            }
        })
        .collect();
    assert!(labels.len() >= 5, "{}", labels.len());
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!a.overlaps(b, 0.0), "labels overlap: {a:?} {b:?}");
        }
    }
}

fn bar_items() -> Vec<BarItem> {
    vec![
        BarItem {
            code: "622".into(),
            label: "Hospitals".into(),
            value: Some(71_400.0),
            status_note: None,
            highlighted: false,
        },
        BarItem {
            code: "486".into(),
            label: "Pipeline transportation".into(),
            value: None,
            status_note: Some("suppressed".into()),
            highlighted: false,
        },
        BarItem {
            code: "541".into(),
            label: "Professional, scientific, and technical services".into(),
            value: Some(98_200.0),
            status_note: None,
            highlighted: true,
        },
    ]
}

#[test]
fn snapshot_bar_chart_with_suppressed_item() {
    let svg = bar_chart(
        &bar_items(),
        &BarOptions {
            title: "Average annual pay".into(),
            value_label: "Average annual pay (USD)".into(),
            format: NumberFormat::Dollars,
            width: 420.0,
            reference: Some(Reference {
                value: 63_480.0,
                label: "Regional average".into(),
            }),
            ..Default::default()
        },
    );
    assert_well_formed(&svg);
    insta::assert_snapshot!("bar_with_suppressed", svg);
}

#[test]
fn bar_chart_never_draws_a_suppressed_value_as_zero() {
    let svg = bar_chart(&bar_items(), &BarOptions::default());
    assert_well_formed(&svg);
    let start = svg.find("data-code=\"486\"").unwrap();
    let row = &svg[start..start + svg[start..].find("</g>").unwrap()];
    assert!(row.contains(">suppressed</text>"));
    assert!(row.contains("class=\"placeholder\""));
    assert!(!row.contains(sectorkit_charts::palette::MARK));
    assert!(!svg.contains(">0</text>\n<text class=\"bar-value\" data-code=\"486\""));
    assert!(!svg.contains("class=\"bar-value\" data-code=\"486\""));
    assert!(svg.contains("1 without a published value"));
}

fn delaware() -> MapRequest<'static> {
    let mut values = HashMap::new();
    values.insert("10001".to_string(), CountyValue::Value(0.84));
    values.insert("10003".to_string(), CountyValue::Suppressed);
    MapRequest {
        title: "Delaware".into(),
        states: vec!["10".into()],
        selected: vec!["10003".into()],
        choropleth: Some(Choropleth {
            label: "LQ, manufacturing".into(),
            values,
            format: NumberFormat::Decimal(2),
            classing: Classing::Quantiles,
        }),
        link_template: Some("?region=C1814&toggle={fips}".into()),
        width: 300.0,
        ..Default::default()
    }
}

#[test]
fn snapshot_delaware_map() {
    let svg = county_map(&delaware());
    assert_well_formed(&svg);
    insta::assert_snapshot!("map_delaware", svg);
}

#[test]
fn map_structure() {
    let names = |fips: &str| (fips == "10003").then(|| "New Castle County, DE".to_string());
    let svg = county_map(&MapRequest {
        county_name: Some(&names),
        ..delaware()
    });
    assert_well_formed(&svg);
    assert_eq!(svg.matches("class=\"county").count(), 3);
    assert!(svg.contains(
        "<a href=\"?region=C1814&amp;toggle=10003\" aria-label=\"New Castle County, DE, selected\">"
    ));
    assert!(svg.contains("<path id=\"c10003\" class=\"county selected\" data-fips=\"10003\""));
    assert!(svg.contains("<path id=\"c10005\" class=\"county\" data-fips=\"10005\""));
    assert!(svg.contains("Kent, Delaware (10001): LQ, manufacturing 0.84"));
    assert!(svg.contains("New Castle County, DE (10003): LQ, manufacturing suppressed — selected"));
    assert!(svg.contains(">Suppressed</text>") && svg.contains(">No data</text>"));
    assert!(svg.contains("class=\"state\" data-fips=\"10\""));
    assert!(
        svg.contains("pointer-events=\"none\""),
        "outlines do not take the clicks"
    );
    // Selected counties come last, so their outline is on top.
    assert!(svg.find("c10003").unwrap() > svg.find("c10005").unwrap());
}

#[test]
fn map_reports_counties_it_cannot_draw() {
    let svg = county_map(&MapRequest {
        states: vec!["09".into()],
        selected: vec!["09110".into(), "09003".into(), "39049".into()],
        ..Default::default()
    });
    assert_well_formed(&svg);
    assert_eq!(
        svg.matches("class=\"county").count(),
        8,
        "legacy CT counties"
    );
    assert!(svg.contains("09110 (no boundary in the 2017 atlas)"));
    assert!(svg.contains("39049 (outside the map area)"));
    let empty = county_map(&MapRequest {
        states: vec!["72".into()],
        ..Default::default()
    });
    assert_well_formed(&empty);
    assert!(empty.contains("No county boundaries for this area"));
}

#[test]
fn ohio_map_crops_to_ohio() {
    let svg = county_map(&MapRequest {
        states: vec!["39".into()],
        width: 600.0,
        ..Default::default()
    });
    assert_well_formed(&svg);
    assert_eq!(svg.matches("class=\"county\"").count(), 88);
    assert_eq!(counties_in_state("39").len(), 88);
    // Every path coordinate lies inside the viewBox: Ohio fills the frame, not the U.S.
    let vb: Vec<f64> = {
        let s = &svg[svg.find("viewBox=\"").unwrap() + 9..];
        s[..s.find('"').unwrap()]
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect()
    };
    assert_eq!(vb[2], 600.0);
    assert!(vb[3] > 500.0 && vb[3] < 800.0, "{vb:?}");
    for d in svg.split(" d=\"M").skip(1) {
        let start = &d[..d.find('l').unwrap()];
        let mut it = start.splitn(2, [' ', '-']);
        let x: f64 = it.next().unwrap().parse().unwrap();
        assert!((0.0..=600.0).contains(&x), "{start}");
    }
}

#[test]
fn hostile_text_cannot_break_the_svg() {
    let evil = r#"</title></svg><script>alert("x")</script> & 'quotes' <&"'>"#;
    let svg = bubble_chart(
        &[BubblePoint {
            code: evil.into(),
            title: evil.into(),
            x: Some(1.0),
            y: Some(2.0),
            size: Some(10.0),
            highlighted: true,
        }],
        &BubbleOptions {
            title: evil.into(),
            x_label: evil.into(),
            y_label: evil.into(),
            x_name: evil.into(),
            highlight_name: evil.into(),
            ..Default::default()
        },
    );
    assert_well_formed(&svg);
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &lt;&amp;&quot;&#39;&gt;"));
    let bars = bar_chart(
        &[BarItem {
            code: evil.into(),
            label: evil.into(),
            value: None,
            status_note: Some(evil.into()),
            highlighted: true,
        }],
        &BarOptions {
            title: evil.into(),
            value_label: evil.into(),
            reference: Some(Reference {
                value: 1.0,
                label: evil.into(),
            }),
            highlight_name: evil.into(),
            ..Default::default()
        },
    );
    assert_well_formed(&bars);
    assert!(!bars.contains("<script"));
    let name = |_: &str| Some(evil.to_string());
    let map = county_map(&MapRequest {
        title: evil.into(),
        states: vec!["11".into()],
        selected: vec!["11001".into()],
        county_name: Some(&name),
        link_template: Some(format!("{evil}{{fips}}")),
        choropleth: Some(Choropleth {
            label: evil.into(),
            ..Default::default()
        }),
        ..Default::default()
    });
    assert_well_formed(&map);
    assert!(!map.contains("<script"));
}

// ---------------------------------------------------------------- properties

fn number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => (-100.0f64..100.0).prop_map(Some),
        2 => (0.0f64..200_000.0).prop_map(Some),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NEG_INFINITY)),
        1 => Just(Some(0.0)),
        1 => Just(Some(-0.0)),
        1 => prop::num::f64::NORMAL.prop_map(Some),
    ]
}

/// Text without the letters of "NaN" and "inf", so a match in the output can only come from a
/// number; with every XML special character.
fn text() -> impl Strategy<Value = String> {
    "[<>&\"' a-hA-H0-9,.()éü…-]{0,40}"
}

fn bubble_point() -> impl Strategy<Value = BubblePoint> {
    (text(), text(), number(), number(), number(), any::<bool>()).prop_map(
        |(code, title, x, y, size, highlighted)| BubblePoint {
            code,
            title,
            x,
            y,
            size,
            highlighted,
        },
    )
}

fn no_nan_or_inf(svg: &str) {
    assert!(!svg.contains("NaN"), "NaN in output");
    assert!(!svg.to_lowercase().contains("inf"), "inf in output");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn bubble_charts_are_well_formed(
        pts in prop::collection::vec(bubble_point(), 0..25),
        title in text(),
        width in prop_oneof![Just(f64::NAN), 0.0f64..2000.0],
        height in 0.0f64..1500.0,
        label_top_n in 0usize..12,
    ) {
        let svg = bubble_chart(&pts, &BubbleOptions {
            title,
            width,
            height,
            label_top_n,
            x_label: "Growth (%)".into(),
            y_label: "LQ".into(),
            ..Default::default()
        });
        assert_well_formed(&svg);
        no_nan_or_inf(&svg);
        let ok = |v: Option<f64>| v.is_some_and(|v| v.is_finite() && v.abs() <= 1e12);
        let drawn = pts.iter().filter(|p| ok(p.x) && ok(p.y)).count();
        prop_assert_eq!(bubbles(&svg), drawn);
        if drawn < pts.len() {
            let expected = format!("Not shown: {}", pts.len() - drawn);
            prop_assert!(svg.contains(&expected));
        }
    }

    #[test]
    fn bar_charts_are_well_formed(
        items in prop::collection::vec(
            (text(), text(), number(), prop::option::of(text()), any::<bool>()),
            0..20,
        ),
        width in 0.0f64..2000.0,
        reference in number(),
        sort in any::<bool>(),
    ) {
        let items: Vec<BarItem> = items
            .into_iter()
            .map(|(code, label, value, status_note, highlighted)| BarItem {
                code, label, value, status_note, highlighted,
            })
            .collect();
        let svg = bar_chart(&items, &BarOptions {
            title: "Pay".into(),
            width,
            sort,
            format: NumberFormat::Dollars,
            reference: reference.map(|value| Reference { value, label: "Average".into() }),
            ..Default::default()
        });
        assert_well_formed(&svg);
        no_nan_or_inf(&svg);
        let ok = |v: Option<f64>| v.is_some_and(|v| v.is_finite() && v.abs() <= 1e12);
        let missing = items.iter().filter(|i| !ok(i.value)).count();
        prop_assert_eq!(svg.matches("class=\"placeholder\"").count(), missing);
        prop_assert_eq!(svg.matches("class=\"bar-value\"").count(), items.len() - missing);
    }

    #[test]
    fn maps_are_well_formed(
        state in prop::sample::select(vec!["10", "11", "44", "15"]),
        picks in prop::collection::vec((0usize..10, number(), any::<bool>(), any::<bool>()), 0..10),
        width in 0.0f64..1500.0,
        quantiles in any::<bool>(),
        link in any::<bool>(),
    ) {
        let counties = counties_in_state(state);
        let mut values = HashMap::new();
        let mut selected = Vec::new();
        for (i, v, suppressed, sel) in picks {
            let fips = counties[i % counties.len()].clone();
            if sel { selected.push(fips.clone()); }
            match (suppressed, v) {
                (true, _) => { values.insert(fips, CountyValue::Suppressed); }
                (false, Some(v)) => { values.insert(fips, CountyValue::Value(v)); }
                (false, None) => {}
            }
        }
        let svg = county_map(&MapRequest {
            title: "Map".into(),
            states: vec![state.to_string()],
            selected,
            choropleth: Some(Choropleth {
                label: "Value".into(),
                values,
                format: NumberFormat::Decimal(2),
                classing: if quantiles {
                    Classing::Quantiles
                } else {
                    Classing::Breaks(vec![0.5, 1.0, f64::NAN, 2.0, 5.0, 9.0])
                },
            }),
            link_template: link.then(|| "?t={fips}&x='1'".to_string()),
            width,
            ..Default::default()
        });
        assert_well_formed(&svg);
        no_nan_or_inf(&svg);
        prop_assert_eq!(svg.matches("class=\"county").count(), counties.len());
    }

    #[test]
    fn bubble_radii_are_monotone_in_size(
        a in 0.0f64..1e7,
        b in 0.0f64..1e7,
        max in 1.0f64..1e7,
        rmax in 1.0f64..60.0,
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (rl, rh) = (bubble_radius(lo, max, rmax), bubble_radius(hi, max, rmax));
        prop_assert!(rl <= rh);
        prop_assert!(rh <= rmax.max(sectorkit_charts::bubble::MIN_RADIUS));
        // Area proportional to size while above the floor and below the cap.
        if lo > 0.0 && hi <= max && rl > sectorkit_charts::bubble::MIN_RADIUS {
            let ratio = (rh * rh) / (rl * rl);
            prop_assert!((ratio - hi / lo).abs() <= 1e-6 * (hi / lo));
        }
    }

    #[test]
    fn number_formats_never_print_nan(v in number(), d in 0u8..4) {
        let v = v.unwrap_or(f64::NAN);
        for f in [
            NumberFormat::Integer,
            NumberFormat::Decimal(d),
            NumberFormat::Dollars,
            NumberFormat::Percent(d),
            NumberFormat::SignedPercent(d),
            NumberFormat::Compact,
            NumberFormat::CompactDollars,
        ] {
            let s = f.format(v);
            prop_assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
        }
    }
}
