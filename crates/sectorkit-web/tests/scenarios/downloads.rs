//! Charts as files: every chart of the target table, the industry page and the occupations page
//! downloads as SVG and PNG from the page's URL with the page's settings; an unknown chart is a
//! 400, a chart not drawn for the settings a 404 that says why; non-members get 404.

use crate::PW;
use crate::harness::{Browser, TestApp};

scenarios!(charts_download_as_svg_and_png, every_table_downloads_as_csv);

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
        w == want || (4000..=4096).contains(&w),
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

/// A CSV download: status 200, text/csv, an attachment; returns the header and rows.
async fn csv(b: &Browser, url: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let r = b.get(url).await;
    assert_eq!(r.status(), 200, "{url}");
    assert_eq!(
        r.headers()["content-type"],
        "text/csv; charset=utf-8",
        "{url}"
    );
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cd.starts_with("attachment;") && cd.ends_with(".csv\""),
        "{cd}"
    );
    let text = r.text().await.unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let header = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no {name} in {header:?}"))
}

async fn every_table_downloads_as_csv(app: TestApp) {
    crate::load_2020q1(&app).await;
    crate::load_occupations(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    app.user("out@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let counties = vec!["39041".to_string(), "39049".to_string()];
    // A region name that a spreadsheet would run as a formula.
    let rid = app
        .store
        .create_region(
            pid,
            "=HYPERLINK(\"x\")",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    app.store
        .add_to_shortlist(
            pid,
            &sectorkit_store::NewShortlistItem {
                industry_code: "524",
                industry_title: "Insurance carriers and related activities",
                own_code: 5,
                region_name: "=HYPERLINK(\"x\")",
                period: "2020Q1",
                note: "@SUM(1)",
                snapshot: "{}",
                added_by: owner,
            },
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    // Each page links its tables' files.
    for (page, link) in [
        (format!("/p/{pid}/region"), "table=shortlist"),
        (format!("/p/{pid}/region/data"), "region/data?format=csv"),
        (format!("/p/{pid}/members"), "table=members"),
        (format!("/p/{pid}/tokens"), "tokens?format=csv"),
        (
            format!("/p/{pid}/regions/{rid}/industries/524?period=2020Q1"),
            "table=counties",
        ),
        (
            format!("/p/{pid}/occupations?region={rid}&industry=524"),
            "table=ladder",
        ),
        (
            format!("/p/{pid}/regions/{rid}/report?period=2020Q1"),
            "chart=bubble",
        ),
    ] {
        let (s, html) = b.text(&page).await;
        assert_eq!(s, 200, "{page}");
        assert!(html.contains(link), "{page} links {link}");
    }
    // Regions and shortlist; user text is neutralised, never a formula.
    let (h, rows) = csv(&b, &format!("/p/{pid}/region?format=csv&table=regions")).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][col(&h, "name")], "'=HYPERLINK(\"x\")");
    assert_eq!(rows[0][col(&h, "counties")], "39041 39049");
    let (h, rows) = csv(&b, &format!("/p/{pid}/region?format=csv&table=shortlist")).await;
    assert_eq!(rows[0][col(&h, "industry_code")], "524");
    assert_eq!(rows[0][col(&h, "note")], "'@SUM(1)");
    // Datasets: the imported files with their hashes.
    let (h, rows) = csv(&b, &format!("/p/{pid}/region/data?format=csv")).await;
    let datasets = app.store.datasets().await.unwrap();
    assert_eq!(rows.len(), datasets.len());
    assert!(
        rows.iter()
            .any(|r| r[col(&h, "sha256")] == datasets[0].sha256)
    );
    // Members, invitations, tokens.
    let (h, rows) = csv(&b, &format!("/p/{pid}/members?format=csv")).await;
    assert_eq!(rows[0][col(&h, "email")], "ana@example.org");
    assert_eq!(rows[0][col(&h, "role")], "owner");
    let (h, _) = csv(
        &b,
        &format!("/p/{pid}/members?format=csv&table=invitations"),
    )
    .await;
    assert_eq!(h, ["email", "role", "created_at", "expires_at"]);
    let (h, rows) = csv(&b, &format!("/p/{pid}/tokens?format=csv")).await;
    assert!(rows.is_empty() && h.contains(&"prefix".to_string()));
    // The industry page: its series and its counties, raw numbers, suppressed cells empty.
    let ind = format!("/p/{pid}/regions/{rid}/industries/524?period=2020Q1");
    let (h, rows) = csv(&b, &format!("{ind}&format=csv&table=series")).await;
    let q1 = rows
        .iter()
        .find(|r| r[0] == "2020Q1")
        .expect("2020Q1 in the series");
    let mut req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    req.level = "3".parse().unwrap();
    let (t, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    let row = t
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == "524")
        .unwrap();
    assert_eq!(q1[col(&h, "status")], row.status.as_str());
    if row.status.as_str() == "disclosed" {
        assert_eq!(
            q1[col(&h, "employment")].parse::<f64>().ok(),
            sectorkit_engine::table::figure_value(&row.employment)
        );
    } else {
        assert_eq!(
            q1[col(&h, "employment")],
            "",
            "suppressed is empty, never 0"
        );
    }
    let (h, rows) = csv(&b, &format!("{ind}&format=csv&table=counties")).await;
    assert_eq!(rows.len(), 2);
    for r in &rows {
        let status = &r[col(&h, "status")];
        let emp = &r[col(&h, "employment")];
        match status.as_str() {
            "disclosed" => assert!(emp.parse::<f64>().is_ok() && !emp.contains(',')),
            "suppressed" => assert_eq!(emp, ""),
            "no_establishments" => assert_eq!(emp, "0"),
            other => panic!("status {other}"),
        }
    }
    let (s, body) = b.text(&format!("{ind}&format=csv&table=nope")).await;
    assert_eq!(s, 400);
    assert!(body.contains("series, counties"), "{body}");
    // The career ladder as a table.
    let (h, rows) = csv(
        &b,
        &format!("/p/{pid}/occupations?region={rid}&industry=524&format=csv&table=ladder"),
    )
    .await;
    assert!(!rows.is_empty());
    assert!(rows.iter().any(|r| r[col(&h, "entry_point")] == "true"));
    assert!(rows.iter().all(|r| {
        let st = &r[col(&h, "wage_status")];
        (st == "published") != r[col(&h, "median_annual_wage")].is_empty()
    }));
    // Non-members get nothing.
    let out = app.signed_in("out@example.org", PW).await;
    for url in [
        format!("/p/{pid}/region?format=csv&table=regions"),
        format!("/p/{pid}/members?format=csv"),
        format!("{ind}&format=csv"),
    ] {
        assert_eq!(out.get(&url).await.status(), 404, "{url}");
    }
}
