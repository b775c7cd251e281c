//! The career ladder through the public API: snapshots (by job zone, by typical education),
//! an unknown wage never drawn as zero, top-coded wages, entry points, escaping, overflow and a
//! readable minimum width.

mod common;

use common::assert_well_formed;
use proptest::prelude::*;
use sectorkit_charts::{LadderOccupation, LadderOptions, LadderWage, career_ladder};

fn occ(
    code: &str,
    title: &str,
    rung: usize,
    wage: LadderWage,
    employment: Option<f64>,
    entry: bool,
) -> LadderOccupation {
    LadderOccupation {
        code: code.into(),
        title: title.into(),
        rung,
        median_wage: wage,
        employment,
        entry_point: entry,
    }
}

/// A small ladder for motor vehicle parts manufacturing (illustrative figures).
fn parts_plant() -> Vec<LadderOccupation> {
    use LadderWage::*;
    vec![
        occ(
            "53-7062",
            "Laborers and freight, stock, and material movers, hand",
            0,
            Annual(37_280.0),
            Some(1_240.0),
            true,
        ),
        occ(
            "51-2090",
            "Miscellaneous assemblers and fabricators",
            1,
            Annual(41_990.0),
            Some(3_810.0),
            true,
        ),
        occ(
            "51-4121",
            "Welders, cutters, solderers, and brazers",
            2,
            Annual(51_000.0),
            Some(610.0),
            false,
        ),
        occ(
            "51-9061",
            "Inspectors, testers, sorters, samplers, and weighers",
            1,
            Annual(46_540.0),
            Some(540.0),
            true,
        ),
        occ(
            "49-9041",
            "Industrial machinery mechanics",
            2,
            Annual(63_510.0),
            Some(420.0),
            false,
        ),
        occ(
            "51-1011",
            "First-line supervisors of production and operating workers",
            2,
            Annual(70_050.0),
            Some(380.0),
            false,
        ),
        occ(
            "17-2141",
            "Mechanical engineers",
            3,
            Annual(102_320.0),
            Some(260.0),
            false,
        ),
        occ(
            "17-2112",
            "Industrial engineers",
            3,
            NotAvailable,
            Some(310.0),
            false,
        ),
        occ(
            "11-1011",
            "Chief executives",
            4,
            AtLeast(239_200.0),
            None,
            false,
        ),
    ]
}

#[test]
fn snapshot_job_zone_ladder() {
    let svg = career_ladder(
        &parts_plant(),
        &LadderOptions::job_zones("Career ladder: motor vehicle parts manufacturing"),
    );
    assert_well_formed(&svg);
    insta::assert_snapshot!("ladder_job_zones", svg);
}

#[test]
fn snapshot_education_ladder_hides_empty_levels() {
    use LadderWage::*;
    let occs = vec![
        occ(
            "35-2014",
            "Cooks, restaurant",
            0,
            Annual(36_440.0),
            Some(52.0),
            true,
        ),
        occ(
            "35-1012",
            "First-line supervisors of food preparation & serving workers",
            1,
            Annual(40_510.0),
            Some(11.0),
            true,
        ),
        occ(
            "11-9051",
            "Food service managers",
            1,
            Annual(65_310.0),
            Some(4.0),
            false,
        ),
    ];
    let svg = career_ladder(
        &occs,
        &LadderOptions::typical_education("Restaurants <full service>"),
    );
    assert_well_formed(&svg);
    assert_eq!(
        svg.matches("<g class=\"rung\"").count(),
        2,
        "empty levels left out"
    );
    insta::assert_snapshot!("ladder_education", svg);
}

/// The `<g …>…</g>` of one occupation.
fn box_of<'a>(svg: &'a str, code: &str) -> &'a str {
    let start = svg
        .find(&format!("data-code=\"{code}\""))
        .unwrap_or_else(|| panic!("no box for {code}"));
    let end = svg[start..].find("</g>").unwrap() + start;
    &svg[start..end]
}

#[test]
fn an_unknown_wage_is_never_drawn_as_zero() {
    let svg = career_ladder(&parts_plant(), &LadderOptions::job_zones("t"));
    let b = box_of(&svg, "17-2112");
    assert!(b.contains(">wage not available</text>"), "{b}");
    assert!(!b.contains("class=\"wage-bar\""), "no wage bar: {b}");
    assert!(
        b.contains("class=\"wage-na\""),
        "a hatched placeholder instead: {b}"
    );
    assert!(!b.contains("$0"), "{b}");
    assert!(b.contains("<title>17-2112 Industrial engineers: wage not available;"));
    // Also when the value is garbage rather than declared missing.
    for bad in [f64::NAN, f64::INFINITY, -5.0] {
        let svg = career_ladder(
            &[occ("1", "X", 0, LadderWage::Annual(bad), Some(1.0), false)],
            &LadderOptions::job_zones("t"),
        );
        assert_well_formed(&svg);
        let b = box_of(&svg, "1");
        assert!(
            b.contains("wage not available") && !b.contains("wage-bar"),
            "{bad}: {b}"
        );
    }
    // Known wages do get a bar, and the unknown one is last in its rung.
    let b = box_of(&svg, "17-2141");
    assert!(b.contains("class=\"wage-bar\""));
    assert!(
        svg.find("data-code=\"17-2141\"").unwrap() < svg.find("data-code=\"17-2112\"").unwrap()
    );
    assert!(svg.contains("1 without a published wage (no wage bar; not zero)"));
}

#[test]
fn top_coded_and_entry_points_and_order() {
    let svg = career_ladder(&parts_plant(), &LadderOptions::job_zones("t"));
    let ceo = box_of(&svg, "11-1011");
    assert!(ceo.contains(">Median ≥ $239,200</text>"), "{ceo}");
    assert!(ceo.contains("class=\"top-coded\""));
    assert!(ceo.contains("employment not available"));
    let lab = box_of(&svg, "53-7062");
    assert!(lab.starts_with("data-code=\"53-7062\">"));
    assert!(svg.contains("<g class=\"occupation entry\" data-code=\"53-7062\">"));
    assert!(lab.contains(">Entry point</text>"));
    assert!(lab.contains("1,240 employed (est.)"));
    assert!(!box_of(&svg, "17-2141").contains("Entry point"));
    // Zone 3: highest wage first.
    let sup = svg.find("data-code=\"51-1011\"").unwrap();
    let mech = svg.find("data-code=\"49-9041\"").unwrap();
    let weld = svg.find("data-code=\"51-4121\"").unwrap();
    assert!(sup < mech && mech < weld);
    // Five rungs with four arrows between them; zone headings.
    assert_eq!(svg.matches("<g class=\"rung\"").count(), 5);
    let steps = svg.split("<g class=\"steps\"").nth(1).unwrap();
    let steps = &steps[..steps.find("</g>").unwrap()];
    assert_eq!(steps.matches("<line").count(), 4);
    assert!(svg.contains(">Job Zone 5</text>"));
    // Readable on a phone: a minimum width, so the page scrolls instead of shrinking the text.
    assert!(svg.contains("style=\"max-width:100%;min-width:"));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<desc id="));
}

#[test]
fn text_is_escaped_and_overflow_summarised() {
    let many: Vec<LadderOccupation> = (0..15)
        .map(|i| {
            occ(
                &format!("{i}"),
                &format!("Job <{i}> & \"co\""),
                0,
                LadderWage::Annual(30_000.0 + f64::from(i)),
                Some(10.0),
                false,
            )
        })
        .chain([occ("x", "Nowhere", 9, LadderWage::Annual(1.0), None, false)])
        .collect();
    let opts = LadderOptions {
        max_per_rung: 12,
        ..LadderOptions::job_zones("A & B <ladder>")
    };
    let svg = career_ladder(&many, &opts);
    assert_well_formed(&svg);
    assert!(svg.contains("A &amp; B &lt;ladder&gt;"));
    assert!(svg.contains("Job &lt;14&gt; &amp; &quot;co&quot;"));
    assert!(!svg.contains("<14>"));
    assert_eq!(svg.matches("class=\"occupation\"").count(), 12);
    assert!(svg.contains(">+ 3 more occupations</text>"));
    assert!(svg.contains("Not shown: 1 occupation without a rung"));
    assert!(svg.contains("No occupations in this rung"));
}

proptest! {
    #[test]
    fn any_input_is_well_formed(
        items in proptest::collection::vec(
            (0usize..7, prop_oneof![
                Just(LadderWage::NotAvailable),
                (-1e6f64..1e7).prop_map(LadderWage::Annual),
                (0f64..1e7).prop_map(LadderWage::AtLeast),
                Just(LadderWage::Annual(f64::NAN)),
            ], proptest::option::of(-10f64..1e6), any::<bool>(), "[ -~]{0,60}"),
            0..30,
        ),
        education in any::<bool>(),
    ) {
        let occs: Vec<LadderOccupation> = items
            .iter()
            .enumerate()
            .map(|(i, (rung, wage, emp, entry, title))| occ(&i.to_string(), title, *rung, *wage, *emp, *entry))
            .collect();
        let opts = if education {
            LadderOptions::typical_education("t")
        } else {
            LadderOptions::job_zones("t")
        };
        let svg = career_ladder(&occs, &opts);
        assert_well_formed(&svg);
        // Every missing wage says so and has no bar.
        for (i, o) in occs.iter().enumerate() {
            if o.rung >= opts.rungs.len() {
                continue;
            }
            let missing = match o.median_wage {
                LadderWage::NotAvailable => true,
                LadderWage::Annual(v) | LadderWage::AtLeast(v) => !(v.is_finite() && v >= 0.0),
            };
            let start = svg.find(&format!("data-code=\"{i}\""));
            if let (true, Some(start)) = (missing, start) {
                let end = svg[start..].find("</g>").unwrap() + start;
                let b = &svg[start..end];
                prop_assert!(b.contains("wage not available") && !b.contains("wage-bar"));
            }
        }
    }
}
