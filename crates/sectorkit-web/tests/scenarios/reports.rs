//! Scenarios of the printable reports: the needs-assessment summary of a region and the
//! partnership one-pager, and the print stylesheet.

use super::{PW, load_2020q1, load_occupations, location, table_row};
use crate::harness::TestApp;
use sectorkit_core::role::Role;

scenarios!(needs_assessment_report, one_pager_report, print_stylesheet);

/// The texts of a table row's `<td>` cells, in order.
fn cells(row: &str) -> Vec<String> {
    row.split("<td")
        .skip(1)
        .map(|c| {
            let start = c.find('>').unwrap() + 1;
            let end = c.find("</td>").unwrap_or(c.len());
            c[start..end].to_string()
        })
        .collect()
}

/// Saves a page for looking at it in a browser (`SECTORKIT_REPORT_HTML_DIR`), with the
/// stylesheets inlined so the file renders on its own.
fn save_for_print(name: &str, html: &str) {
    let Ok(dir) = std::env::var("SECTORKIT_REPORT_HTML_DIR") else {
        return;
    };
    let css = format!(
        "<style>{}\n{}</style>",
        include_str!("../../static/app.css"),
        include_str!("../../static/print.css")
    );
    let html = html
        .replace("<link rel=\"stylesheet\" href=\"/static/app.css\">", "")
        .replace("<link rel=\"stylesheet\" href=\"/static/print.css\">", &css);
    std::fs::write(std::path::Path::new(&dir).join(name), html).unwrap();
}

async fn needs_assessment_report(app: TestApp) {
    load_2020q1(&app).await;
    load_occupations(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let outsider = app.user("out@example.org", PW, false).await;
    let other = app.partnership("beta", outsider).await;
    let b = app.signed_in("ana@example.org", PW).await;
    let r = b
        .post(
            &format!("/p/{pid}/regions"),
            &format!("/p/{pid}/region"),
            &[("name", "Central Ohio core"), ("codes", "39049,39041")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let table_url = location(&r);
    let rid = app.store.regions(pid).await.unwrap()[0].id;
    // Nothing shortlisted yet: the report takes the occupations of the top-ranked industry.
    let report_url = format!("/p/{pid}/regions/{rid}/report?period=2020Q1");
    let (s, html) = b.text(&report_url).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("The partnership has not shortlisted any industry yet."));
    assert!(
        html.contains("The top-ranked industry."),
        "occupations of the top industry"
    );
    // Shortlist Insurance carriers (524) with a reason, and comment on it.
    let r = b
        .post(
            &format!("/p/{pid}/shortlist"),
            &table_url,
            &[
                ("region", &rid.to_string()),
                ("industry", "524"),
                ("period", "2020Q1"),
                (
                    "note",
                    "Large, well-paid employers with openings at every level",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let sid = app.store.shortlist(pid).await.unwrap()[0].id;
    app.store
        .add_shortlist_comment(pid, sid, owner, "Agreed at the May convening <b>")
        .await
        .unwrap();

    // Linked from the target table and the region home.
    let (_, table_html) = b.text(&format!("{table_url}?period=2020Q1")).await;
    assert!(
        table_html.contains(&format!("/p/{pid}/regions/{rid}/report?period=2020Q1")),
        "the table links to its report with its settings"
    );
    let (_, home) = b.text(&format!("/p/{pid}/region")).await;
    assert!(home.contains(&format!("/p/{pid}/regions/{rid}/report\"")));

    // A viewer sees the report.
    let v = app.signed_in("vi@example.org", PW).await;
    let (s, html) = v.text(&report_url).await;
    assert_eq!(s, 200, "{html}");
    save_for_print("needs-assessment.html", &html);
    // Title block: partnership, region and its counties, period, base period, ownership, sources.
    assert!(html.contains("Partnership alpha · Regional needs assessment"));
    assert!(html.contains("Central Ohio core"));
    assert!(
        html.contains("Delaware County, Ohio (39041)")
            && html.contains("Franklin County, Ohio (39049)"),
        "the region's counties"
    );
    assert!(html.contains("<dt>Period</dt><dd>2020Q1</dd>"));
    assert!(html.contains("<dt>Growth since</dt><dd>2019Q1</dd>"));
    assert!(html.contains("<dt>Ownership</dt><dd>Private</dd>"));
    assert!(html.contains("morpc-qcew-2020-1-39049.csv") && html.contains("SHA-256"));
    assert!(html.contains("BLS OEWS") && html.contains("BLS Employment Projections"));
    // The top industries: the engine's ranking, with the target table's very cells.
    let mut req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    req.base_period = Some("2019Q1".parse().unwrap());
    let (table, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    let ranked = table.ranked_rows();
    assert!(ranked.len() >= 10);
    let region_emp = sectorkit_web::format_count(
        sectorkit_engine::table::figure_value(&table.region_employment).unwrap(),
    );
    assert!(html.contains(&format!("<strong>{region_emp}</strong> private jobs")));
    assert!(html.contains("Top 10 industries by score"));
    let mut last = 0;
    for (i, row) in ranked.iter().take(10).enumerate() {
        let code = row.industry_code.as_str();
        let mine = table_row(&html, code);
        let at = html.find(&format!("data-code=\"{code}\"")).unwrap();
        assert!(at > last, "industries in rank order");
        last = at;
        let c = cells(mine);
        assert_eq!(c[0], (i + 1).to_string(), "rank of {code}");
        // Employment, pay, LQ, growth and score as on the table page.
        let theirs = cells(table_row(&table_html, code));
        assert_eq!(c[0], theirs[0], "rank of {code} on the table page");
        assert_eq!(c[1], theirs[1], "employment of {code}");
        assert_eq!(c[2], theirs[3], "pay of {code}");
        assert_eq!(c[3], theirs[4], "LQ of {code}");
        assert_eq!(c[4], theirs[5], "growth of {code}");
        assert_eq!(c.last(), theirs.iter().rev().nth(1), "score of {code}");
        if let Some(e) = sectorkit_engine::table::figure_value(&row.employment)
            && row.status.as_str() == "disclosed"
        {
            assert_eq!(
                c[1],
                sectorkit_web::format_count(e),
                "engine employment of {code}"
            );
        }
        if let Some(lq) = row.lq_employment {
            assert!(c[3].contains(&format!("{lq:.2}")), "engine LQ of {code}");
        }
    }
    let top_table = &html[..html.find("id=\"bubble-h\"").unwrap()];
    let top_table = &top_table[..top_table.find("id=\"supp-h\"").unwrap_or(top_table.len())];
    assert_eq!(
        top_table.matches("<tr class=\"st-").count(),
        10,
        "only the top 10"
    );
    // Suppressed industries outside the top 10 are listed as suppressed, never as 0.
    let not_disclosed: Vec<_> = table
        .rows
        .iter()
        .filter(|r| r.status.as_str() != "disclosed")
        .collect();
    assert!(
        !not_disclosed.is_empty(),
        "the test data has suppressed industries"
    );
    for r in not_disclosed {
        let c = cells(table_row(&html, r.industry_code.as_str()));
        assert!(
            c[1] == "(N)" || c[1].starts_with("≥ "),
            "{} marked: {:?}",
            r.industry_code.as_str(),
            c
        );
    }
    assert!(
        html.contains("class=\"num supp\" title=\"Suppressed by BLS")
            || html.contains("class=\"num partial\" title=\"Partial")
    );
    // The bubble chart, inline and accessible.
    assert!(html.contains("<figure class=\"report-chart\"><svg"));
    assert!(html.contains("role=\"img\"") && html.contains("growth and concentration"));
    // The shortlist with its reason and comments (escaped).
    assert!(html.contains("Reason: Large, well-paid employers with openings at every level"));
    assert!(html.contains("Agreed at the May convening &#60;b&#62;"));
    // The occupations of the first shortlisted industry, from the occupations engine.
    assert!(
        html.contains("Occupations of 524 Insurance carriers"),
        "occupations heading"
    );
    assert!(html.contains("The first shortlisted industry."));
    let mut oreq = sectorkit_engine::occupations::OccupationRequest::new(
        "39049,39041",
        vec!["524".to_string()],
    );
    oreq.period = Some("2020Q1".parse().unwrap());
    let occ = sectorkit_engine::occupations::compute_occupations(&app.store, &oreq)
        .await
        .unwrap();
    let first = &occ.lines[0];
    let emp = sectorkit_web::format_count(first.employment.unwrap().round());
    assert!(
        html.contains(&format!(
            "<tr data-soc=\"{}\"><th scope=\"row\"><span class=\"code\">{}</span> {}</th><td class=\"num\">{emp}</td>",
            first.code, first.code, first.title
        )),
        "first occupation {} with employment {emp}",
        first.code
    );
    assert_eq!(
        html.matches("<tr data-soc=").count(),
        occ.lines.len().min(15)
    );
    assert!(
        html.contains("Bachelor") || html.contains("High school"),
        "typical education"
    );
    // Footnotes on suppression and methods, the print button, the running source line.
    assert!(html.contains("unknown, not zero"));
    assert!(html.contains("onclick=\"window.print()\""));
    assert!(html.contains("@bottom-left { content: \"Partnership alpha \\b7  Central Ohio core"));
    // Estimates on request are labelled.
    let (s, est) = v
        .text(&format!(
            "/p/{pid}/regions/{rid}/report?period=2020Q1&level=4&est=1&top=100"
        ))
        .await;
    assert_eq!(s, 200);
    save_for_print("estimates.html", &est);
    assert!(
        est.contains(" est\">") && est.contains("ᵉ"),
        "estimates labelled"
    );
    // Bad settings are a clear 400.
    let (s, bad) = v
        .text(&format!("/p/{pid}/regions/{rid}/report?period=2020Q9"))
        .await;
    assert_eq!(s, 400, "{bad}");
    // Non-members get 404, for this partnership's report and for another's region id.
    let o = app.signed_in("out@example.org", PW).await;
    let (s, body) = o.text(&report_url).await;
    assert_eq!(s, 404);
    assert!(!body.contains("Central Ohio core"));
    let (s, _) = o
        .text(&format!("/p/{}/regions/{rid}/report", other.0))
        .await;
    assert_eq!(s, 404, "a region of another partnership is not found");
}

async fn one_pager_report(app: TestApp) {
    load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    for (email, role) in [
        ("sam@example.org", Role::Staff),
        ("pat@example.org", Role::Partner),
        ("vi@example.org", Role::Viewer),
    ] {
        let u = app.user(email, PW, false).await;
        app.store.set_member_role(pid, u, role).await.unwrap();
    }
    let outsider = app.user("out@example.org", PW, false).await;
    app.partnership("beta", outsider).await;
    let v = app.signed_in("vi@example.org", PW).await;
    // Linked from the overview; without a region it says so.
    let (_, overview) = v.text(&format!("/p/{pid}")).await;
    assert!(overview.contains(&format!("/p/{pid}/one-pager")));
    let url = format!("/p/{pid}/one-pager");
    let (s, html) = v.text(&url).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("not defined yet") && html.contains("No region yet, so no numbers."));
    assert!(html.contains("not chosen yet"));
    // A region and a shortlisted industry.
    let counties = vec!["39041".to_string(), "39049".to_string()];
    let rid = app
        .store
        .create_region(
            pid,
            "Central Ohio core",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let r = b
        .post(
            &format!("/p/{pid}/shortlist"),
            &format!("/p/{pid}/regions/{rid}"),
            &[
                ("region", &rid.to_string()),
                ("industry", "551"),
                ("period", "2020Q1"),
                ("note", "Headquarters cluster"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (s, html) = v.text(&url).await;
    assert_eq!(s, 200);
    save_for_print("one-pager.html", &html);
    assert!(html.contains("<h1 id=\"report-h\">Partnership alpha</h1>"));
    assert!(
        html.contains("Management of companies and enterprises (551)"),
        "industry focus"
    );
    assert!(html.contains("Central Ohio core: Delaware County, Ohio; Franklin County, Ohio"));
    // Members by role.
    for (role, name) in [
        ("Owner", "ana"),
        ("Staff", "sam"),
        ("Partner", "pat"),
        ("Viewer", "vi"),
    ] {
        assert!(
            html.contains(&format!("<dt>{role}</dt><dd>{name}</dd>")),
            "{role}: {name}"
        );
    }
    assert!(
        html.contains("Headquarters cluster"),
        "the shortlist's reason"
    );
    // Key numbers of the primary region: the engine's.
    let mut req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    req.base_period = Some("2019Q1".parse().unwrap());
    let (table, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    let region_emp = sectorkit_web::format_count(
        sectorkit_engine::table::figure_value(&table.region_employment).unwrap(),
    );
    assert!(html.contains(&format!(
        "<strong>{region_emp}</strong> private jobs, 2020Q1"
    )));
    let ranked = table.ranked_rows();
    for (i, row) in ranked.iter().take(5).enumerate() {
        let c = cells(table_row(&html, row.industry_code.as_str()));
        assert_eq!(c[0], (i + 1).to_string());
    }
    assert_eq!(html.matches("<tr class=\"st-").count(), 5, "only the top 5");
    // The sections not built yet, said plainly.
    assert!(html.contains("Not built yet in sectorkit"));
    assert!(
        html.contains("<li><strong>Guide</strong>:"),
        "Guide listed as not built"
    );
    for s in ["Occupations", "Partners", "Plan", "Funding", "Metrics"] {
        assert!(
            !html.contains(&format!("<li><strong>{s}</strong>:")),
            "built section {s} is not listed"
        );
    }
    assert!(html.contains("onclick=\"window.print()\""));
    // Non-members: 404 without the name.
    let o = app.signed_in("out@example.org", PW).await;
    let (s, body) = o.text(&url).await;
    assert_eq!(s, 404);
    assert!(!body.contains("Partnership alpha"));
}

async fn print_stylesheet(app: TestApp) {
    let b = app.client();
    let r = b.get("/static/print.css").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let css = r.text().await.unwrap();
    let print = &css[css.find("@media print").expect("print rules")..];
    for rule in [
        "display: none",
        "break-inside: avoid",
        "color: #000",
        "thead { display: table-header-group; }",
        "svg { max-width: 100%",
    ] {
        assert!(print.contains(rule), "print rule {rule}");
    }
    let page = &css[css.find("@page").expect("@page rule")..];
    assert!(page.contains("margin:") && page.contains("counter(page)"));
    // Every page loads it.
    let (_, login) = b.text("/login").await;
    assert!(login.contains("<link rel=\"stylesheet\" href=\"/static/print.css\">"));
}
