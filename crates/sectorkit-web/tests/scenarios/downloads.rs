//! Charts as files: every chart of the target table, the industry page and the occupations page
//! downloads as SVG and PNG from the page's URL with the page's settings; an unknown chart is a
//! 400, a chart not drawn for the settings a 404 that says why; non-members get 404.

use crate::PW;
use crate::harness::{Browser, TestApp};

scenarios!(charts_download_as_svg_and_png);

/// Width and height from a PNG's IHDR chunk.
fn png_size(b: &[u8]) -> (u32, u32) {
    assert!(b.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

/// The `width` attribute of the root `<svg>`.
fn svg_width(svg: &str) -> f64 {
    let i = svg.find("<svg").unwrap();
    let w = &svg[i..][svg[i..].find(" width=\"").unwrap() + 8..];
    w[..w.find('"').unwrap()].parse().unwrap()
}

async fn check_chart(b: &Browser, page: &str, chart: &str, must_contain: &str) {
    let sep = if page.contains('?') { '&' } else { '?' };
    let r = b.get(&format!("{page}{sep}chart={chart}&format=svg")).await;
    assert_eq!(r.status(), 200, "{page} {chart}");
    assert_eq!(r.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cd.starts_with("attachment; filename=\"sectorkit-") && cd.ends_with(".svg\""),
        "{cd}"
    );
    let svg = r.text().await.unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(must_contain), "{chart}: {must_contain}");
    let r = b.get(&format!("{page}{sep}chart={chart}&format=png")).await;
    assert_eq!(r.status(), 200, "{page} {chart} png");
    assert_eq!(r.headers()["content-type"], "image/png");
    let (w, h) = png_size(&r.bytes().await.unwrap());
    let want = (2.0 * svg_width(&svg)).ceil() as u32;
    assert!(
        w == want || (w <= 4096 && w >= 4000),
        "{chart}: {w} px for an svg {want}/2 wide"
    );
    assert!(h > 50);
}

async fn charts_download_as_svg_and_png(app: TestApp) {
    crate::load_2020q1(&app).await;
    crate::load_occupations(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    app.user("out@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let counties = vec!["39041".to_string(), "39049".to_string()];
    let rid = app
        .store
        .create_region(
            pid,
            "Franklin + Delaware",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let table = format!("/p/{pid}/regions/{rid}?period=2020Q1&w_lq=2");
    let (s, html) = b.text(&table).await;
    assert_eq!(s, 200);
    // The page links each chart's files with its settings.
    let i = html.find("chart-downloads").unwrap_or(0);
    assert!(
        html.contains("w_lq=2&#38;chart=bubble&#38;format=svg"),
        "bubble links: {}",
        &html[i..(i + 400).min(html.len())]
    );
    assert!(html.contains("chart=employment&#38;format=png"));
    assert!(html.contains("chart=pay&#38;format=svg"));
    check_chart(&b, &table, "bubble", "growth and concentration").await;
    check_chart(&b, &table, "employment", "Employment of the top").await;
    check_chart(&b, &table, "pay", "<svg").await;
    let (s, body) = b.text(&format!("{table}&chart=pie&format=svg")).await;
    assert_eq!(s, 400);
    assert!(body.contains("bubble, employment, pay"), "{body}");
    // No growth: no bubble chart, and the download says why.
    let (s, body) = b
        .text(&format!(
            "/p/{pid}/regions/{rid}?period=2020Q1&base=&chart=bubble&format=svg"
        ))
        .await;
    assert_eq!(s, 404);
    assert!(body.contains("needs growth"), "{body}");
    // The industry page's county map.
    let industry = format!("/p/{pid}/regions/{rid}/industries/524?period=2020Q1");
    check_chart(&b, &industry, "map", "<svg").await;
    // The occupations page's career ladder.
    let occ = format!("/p/{pid}/occupations?region={rid}&industry=524");
    let (s, html) = b.text(&occ).await;
    assert_eq!(s, 200);
    assert!(html.contains("chart=ladder&#38;format=png"), "ladder links");
    check_chart(&b, &occ, "ladder", "<svg").await;
    // Non-members see nothing.
    let out = app.signed_in("out@example.org", PW).await;
    let r = out.get(&format!("{table}&chart=bubble&format=png")).await;
    assert_eq!(r.status(), 404);
}
