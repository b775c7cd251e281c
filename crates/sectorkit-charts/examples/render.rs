//! Writes sample SVGs to `/tmp/sectorkit-charts/` (or the directory given as the first
//! argument): a bubble chart of ~40 industries, bar charts of employment and pay, the Ohio
//! county map with the Columbus MSA selected and a choropleth, a Delaware map, a whole-U.S. map,
//! and narrow (360-wide) versions. Prints sizes and render times.
//!
//! The industry figures are illustrative (shaped like a mid-size metro's 3-digit NAICS table),
//! not published data.
//!
//! `cargo run --release -p sectorkit-charts --example render`

use std::collections::HashMap;
use std::time::Instant;

use sectorkit_charts::bar::Reference;
use sectorkit_charts::{
    BarItem, BarOptions, BubbleOptions, BubblePoint, Choropleth, Classing, CountyValue, MapRequest,
    NumberFormat, bar_chart, bubble_chart, counties_in_state, county_map,
};

/// (code, title, employment, LQ, growth %, average annual pay)
#[allow(clippy::type_complexity)]
const INDUSTRIES: &[(
    &str,
    &str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
)] = &[
    (
        "622",
        "Hospitals",
        Some(48_210.0),
        Some(1.18),
        Some(6.2),
        Some(71_400.0),
    ),
    (
        "722",
        "Food services and drinking places",
        Some(92_640.0),
        Some(1.02),
        Some(3.1),
        Some(22_300.0),
    ),
    (
        "541",
        "Professional and technical services",
        Some(71_350.0),
        Some(1.08),
        Some(11.4),
        Some(98_200.0),
    ),
    (
        "561",
        "Administrative and support services",
        Some(66_900.0),
        Some(1.21),
        Some(-2.3),
        Some(41_800.0),
    ),
    (
        "493",
        "Warehousing and storage",
        Some(38_420.0),
        Some(2.35),
        Some(24.8),
        Some(52_100.0),
    ),
    (
        "524",
        "Insurance carriers and related activities",
        Some(36_800.0),
        Some(2.06),
        Some(-1.4),
        Some(93_700.0),
    ),
    (
        "611",
        "Educational services",
        Some(21_300.0),
        Some(0.88),
        Some(4.0),
        Some(54_900.0),
    ),
    (
        "621",
        "Ambulatory health care services",
        Some(45_700.0),
        Some(0.97),
        Some(9.8),
        Some(68_300.0),
    ),
    (
        "623",
        "Nursing and residential care facilities",
        Some(24_900.0),
        Some(0.92),
        Some(-6.7),
        Some(36_200.0),
    ),
    (
        "452",
        "General merchandise retailers",
        Some(25_300.0),
        Some(1.12),
        Some(1.9),
        Some(29_800.0),
    ),
    (
        "445",
        "Food and beverage retailers",
        Some(17_800.0),
        Some(0.83),
        Some(-0.8),
        Some(30_500.0),
    ),
    (
        "522",
        "Credit intermediation",
        Some(29_400.0),
        Some(1.63),
        Some(-4.5),
        Some(88_400.0),
    ),
    (
        "551",
        "Management of companies and enterprises",
        Some(31_200.0),
        Some(1.88),
        Some(7.3),
        Some(121_500.0),
    ),
    (
        "423",
        "Merchant wholesalers, durable goods",
        Some(19_600.0),
        Some(0.94),
        Some(2.6),
        Some(82_700.0),
    ),
    (
        "424",
        "Merchant wholesalers, nondurable goods",
        Some(13_900.0),
        Some(1.05),
        Some(5.1),
        Some(79_300.0),
    ),
    (
        "484",
        "Truck transportation",
        Some(14_300.0),
        Some(1.14),
        Some(-3.2),
        Some(58_600.0),
    ),
    (
        "492",
        "Couriers and messengers",
        Some(12_100.0),
        Some(1.47),
        Some(18.9),
        Some(49_200.0),
    ),
    (
        "481",
        "Air transportation",
        Some(3_900.0),
        Some(0.71),
        Some(14.2),
        Some(77_800.0),
    ),
    (
        "236",
        "Construction of buildings",
        Some(11_200.0),
        Some(0.91),
        Some(8.7),
        Some(74_100.0),
    ),
    (
        "238",
        "Specialty trade contractors",
        Some(28_700.0),
        Some(0.86),
        Some(6.9),
        Some(63_500.0),
    ),
    (
        "237",
        "Heavy and civil engineering construction",
        Some(4_100.0),
        Some(0.62),
        Some(3.5),
        Some(79_900.0),
    ),
    (
        "311",
        "Food manufacturing",
        Some(9_800.0),
        Some(0.81),
        Some(-1.1),
        Some(55_700.0),
    ),
    (
        "332",
        "Fabricated metal products",
        Some(6_200.0),
        Some(0.68),
        Some(-5.8),
        Some(61_200.0),
    ),
    (
        "333",
        "Machinery manufacturing",
        Some(4_300.0),
        Some(0.57),
        Some(-3.9),
        Some(69_800.0),
    ),
    (
        "334",
        "Computer and electronic products",
        Some(2_900.0),
        Some(0.38),
        Some(21.5),
        Some(104_300.0),
    ),
    (
        "336",
        "Transportation equipment",
        Some(10_400.0),
        Some(1.02),
        Some(12.6),
        Some(78_400.0),
    ),
    (
        "325",
        "Chemical manufacturing",
        Some(3_600.0),
        Some(0.64),
        Some(-8.4),
        Some(86_900.0),
    ),
    (
        "326",
        "Plastics and rubber products",
        Some(5_100.0),
        Some(0.93),
        Some(1.2),
        Some(57_300.0),
    ),
    (
        "327",
        "Nonmetallic mineral products",
        Some(2_200.0),
        Some(0.71),
        Some(-2.0),
        Some(62_600.0),
    ),
    (
        "518",
        "Computing infrastructure, data processing & hosting",
        Some(6_900.0),
        Some(2.74),
        Some(38.6),
        Some(131_800.0),
    ),
    (
        "513",
        "Publishing industries",
        Some(5_300.0),
        Some(0.95),
        Some(-9.6),
        Some(112_400.0),
    ),
    (
        "517",
        "Telecommunications",
        Some(4_400.0),
        Some(0.89),
        Some(-12.3),
        Some(91_300.0),
    ),
    (
        "531",
        "Real estate",
        Some(12_800.0),
        Some(1.01),
        Some(4.4),
        Some(61_800.0),
    ),
    (
        "532",
        "Rental and leasing services",
        Some(3_700.0),
        Some(0.93),
        Some(-0.4),
        Some(54_100.0),
    ),
    (
        "713",
        "Amusement, gambling, and recreation",
        Some(11_900.0),
        Some(0.87),
        Some(15.3),
        Some(24_600.0),
    ),
    (
        "721",
        "Accommodation",
        Some(7_300.0),
        Some(0.71),
        Some(9.2),
        Some(31_900.0),
    ),
    (
        "811",
        "Repair and maintenance",
        Some(8_100.0),
        Some(0.90),
        Some(2.2),
        Some(48_300.0),
    ),
    (
        "812",
        "Personal and laundry services",
        Some(9_600.0),
        Some(0.96),
        Some(7.8),
        Some(33_700.0),
    ),
    (
        "813",
        "Religious, civic & professional organizations",
        Some(10_200.0),
        Some(0.82),
        Some(0.9),
        Some(44_900.0),
    ),
    (
        "525",
        "Funds, trusts, and other financial vehicles",
        None,
        None,
        None,
        None,
    ),
    (
        "212",
        "Mining (except oil and gas)",
        Some(600.0),
        Some(0.31),
        None,
        Some(72_300.0),
    ),
    (
        "486",
        "Pipeline transportation",
        None,
        Some(0.52),
        Some(2.0),
        None,
    ),
];

const SHORTLIST: &[&str] = &["493", "518", "541", "336"];

const COLUMBUS: &[&str] = &[
    "39041", "39045", "39049", "39073", "39089", "39097", "39117", "39127", "39129", "39159",
];

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/sectorkit-charts".to_string());
    std::fs::create_dir_all(&dir)?;
    let write = |name: &str, svg: &str| -> std::io::Result<()> {
        let path = format!("{dir}/{name}");
        std::fs::write(&path, svg)?;
        println!("{path}: {} bytes", svg.len());
        Ok(())
    };

    // ---- bubble chart ----
    let points: Vec<BubblePoint> = INDUSTRIES
        .iter()
        .map(|(code, title, emp, lq, growth, _)| BubblePoint {
            code: code.to_string(),
            title: title.to_string(),
            x: *growth,
            y: *lq,
            size: *emp,
            highlighted: SHORTLIST.contains(code),
        })
        .collect();
    let opts = BubbleOptions {
        title: "Columbus, OH MSA: industries by growth and concentration".into(),
        x_label: "Employment change, 2019–2024 (%)".into(),
        y_label: "Location quotient (employment)".into(),
        label_top_n: 10,
        ..Default::default()
    };
    write("bubble.svg", &bubble_chart(&points, &opts))?;
    write(
        "bubble-360.svg",
        &bubble_chart(
            &points,
            &BubbleOptions {
                width: 360.0,
                height: 420.0,
                label_top_n: 5,
                ..opts.clone()
            },
        ),
    )?;

    // ---- bar charts ----
    let mut by_emp: Vec<_> = INDUSTRIES.iter().collect();
    by_emp.sort_by(|a, b| b.2.unwrap_or(0.0).total_cmp(&a.2.unwrap_or(0.0)));
    let mut bars: Vec<BarItem> = by_emp
        .iter()
        .take(12)
        .map(|(code, title, emp, ..)| BarItem {
            code: code.to_string(),
            label: title.to_string(),
            value: *emp,
            status_note: None,
            highlighted: SHORTLIST.contains(code),
        })
        .collect();
    bars.push(BarItem {
        code: "525".into(),
        label: "Funds, trusts, and other financial vehicles".into(),
        value: None,
        status_note: Some("suppressed".into()),
        highlighted: false,
    });
    let bar_opts = BarOptions {
        title: "Employment of the largest industries, 2024".into(),
        value_label: "Employment, annual average".into(),
        format: NumberFormat::Integer,
        ..Default::default()
    };
    write("bars-employment.svg", &bar_chart(&bars, &bar_opts))?;
    let pay: Vec<BarItem> = by_emp
        .iter()
        .take(12)
        .map(|(code, title, _, _, _, pay)| BarItem {
            code: code.to_string(),
            label: title.to_string(),
            value: *pay,
            status_note: None,
            highlighted: SHORTLIST.contains(code),
        })
        .chain(std::iter::once(BarItem {
            code: "486".into(),
            label: "Pipeline transportation".into(),
            value: None,
            status_note: Some("suppressed".into()),
            highlighted: false,
        }))
        .collect();
    let pay_opts = BarOptions {
        title: "Average annual pay of the largest industries, 2024".into(),
        value_label: "Average annual pay (USD)".into(),
        format: NumberFormat::Dollars,
        reference: Some(Reference {
            value: 63_480.0,
            label: "Regional average".into(),
        }),
        ..Default::default()
    };
    write("bars-pay.svg", &bar_chart(&pay, &pay_opts))?;
    write(
        "bars-pay-360.svg",
        &bar_chart(
            &pay,
            &BarOptions {
                width: 360.0,
                ..pay_opts.clone()
            },
        ),
    )?;

    // ---- maps ----
    // A smooth, deterministic pseudo-LQ per county, a few suppressed, a few without data.
    let t = Instant::now();
    let _ = sectorkit_charts::atlas::atlas();
    println!("atlas decoded in {:?} (once per process)", t.elapsed());
    let ohio = counties_in_state("39");
    let mut values = HashMap::new();
    for (i, fips) in ohio.iter().enumerate() {
        let n: u32 = fips[2..].parse().unwrap_or(1);
        let v = match n % 17 {
            3 | 11 => Some(CountyValue::Suppressed),
            7 => None,
            _ => Some(CountyValue::Value(
                0.25 + f64::from((n * 37 + i as u32 * 11) % 240) / 100.0,
            )),
        };
        if let Some(v) = v {
            values.insert(fips.clone(), v);
        }
    }
    let names =
        |fips: &str| -> Option<String> { ohio_name(fips).map(|n| format!("{n} County, Ohio")) };
    let req = MapRequest {
        title: "Manufacturing concentration, Ohio counties".into(),
        states: vec!["39".into()],
        selected: COLUMBUS.iter().map(|s| s.to_string()).collect(),
        county_name: Some(&names),
        choropleth: Some(Choropleth {
            label: "Location quotient, manufacturing".into(),
            values,
            format: NumberFormat::Decimal(2),
            classing: Classing::Quantiles,
        }),
        link_template: Some("?toggle={fips}".into()),
        width: 640.0,
        ..Default::default()
    };
    let t = Instant::now();
    let first = county_map(&req);
    let first_time = t.elapsed();
    let n = 50;
    let t = Instant::now();
    let mut svg = String::new();
    for _ in 0..n {
        svg = county_map(&req);
    }
    let per = t.elapsed() / n;
    assert_eq!(svg, first);
    write("ohio.svg", &svg)?;
    println!("ohio.svg: first render {first_time:?}, then {per:?} per render (mean of {n})");
    write(
        "ohio-360.svg",
        &county_map(&MapRequest {
            width: 360.0,
            ..req.clone()
        }),
    )?;
    write(
        "ohio-select.svg",
        &county_map(&MapRequest {
            title: "Your region: Columbus, OH MSA".into(),
            choropleth: None,
            ..req.clone()
        }),
    )?;
    write(
        "delaware.svg",
        &county_map(&MapRequest {
            title: "Delaware".into(),
            states: vec!["10".into()],
            selected: vec!["10003".into()],
            link_template: Some("?toggle={fips}".into()),
            width: 360.0,
            ..Default::default()
        }),
    )?;
    let t = Instant::now();
    let us = county_map(&MapRequest {
        title: "United States".into(),
        selected: COLUMBUS.iter().map(|s| s.to_string()).collect(),
        width: 975.0,
        ..Default::default()
    });
    println!("us.svg: {:?}", t.elapsed());
    write("us.svg", &us)?;
    Ok(())
}

fn ohio_name(fips: &str) -> Option<&'static str> {
    Some(match fips {
        "39041" => "Delaware",
        "39045" => "Fairfield",
        "39049" => "Franklin",
        "39073" => "Hocking",
        "39089" => "Licking",
        "39097" => "Madison",
        "39117" => "Morrow",
        "39127" => "Perry",
        "39129" => "Pickaway",
        "39159" => "Union",
        _ => return None,
    })
}
