//! The Funding section: streams, budget lines by phase, allocations, commitments; the braided
//! view with its gaps and flags, totals that reconcile, bad input refused with the field named,
//! a commitment over its stream flagged, CSV, roles, audit, tenant isolation.

use crate::PW;
use crate::harness::TestApp;
use sectorkit_core::day::Day;
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::OrganizationFields;

scenarios!(streams_lines_allocations_and_commitments);

async fn streams_lines_allocations_and_commitments(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let acme = app
        .store
        .create_organization(
            pid,
            &OrganizationFields {
                name: "Acme Claims".into(),
                category: OrgCategory::Employer,
                ..OrganizationFields::default()
            },
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let f = format!("/p/{pid}/funding");
    let (code, html) = b.text(&f).await;
    assert_eq!(code, 200);
    assert!(html.contains("No funding streams yet"));

    // Streams: bad input names its field.
    let soon = Day::from_unix(sectorkit_store::now_unix())
        .plus(60)
        .to_string();
    let r = b
        .post(
            &format!("{f}/streams"),
            &f,
            &[
                ("name", "WIOA Adult"),
                ("kind", "federal"),
                ("available", "-5"),
                ("starts_on", "2026-07-01"),
                ("ends_on", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#s-available\""), "negative amount");
    assert!(body.contains("amounts cannot be negative"));
    assert!(body.contains("href=\"#s-ends_on\"") && body.contains("Dates out of order"));
    assert!(
        app.store.streams(pid).await.unwrap().is_empty(),
        "nothing saved"
    );
    for (name, kind, available, ends) in [
        ("WIOA Adult", "federal", "$50,000", ""),
        (
            "Community Foundation",
            "philanthropy",
            "20,000.50",
            soon.as_str(),
        ),
    ] {
        let r = b
            .post(
                &format!("{f}/streams"),
                &f,
                &[
                    ("name", name),
                    ("kind", kind),
                    ("available", available),
                    ("ends_on", ends),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{name}");
    }
    let streams = app.store.streams(pid).await.unwrap();
    let (found, wioa) = (streams[0].id, streams[1].id);
    assert_eq!(streams[0].fields.available.cents(), 2_000_050);

    // Lines by phase; a negative line refused.
    let r = b
        .post(
            &format!("{f}/lines"),
            &f,
            &[("phase", "launch"), ("name", "Bad"), ("amount", "-1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#l-amount\""));
    for (phase, name, amount) in [
        ("planning", "Coordinator (planning)", "30,000"),
        ("launch", "Curriculum design", "25,000"),
        ("implementation", "Supportive services", "40,000"),
    ] {
        let r = b
            .post(
                &format!("{f}/lines"),
                &f,
                &[("phase", phase), ("name", name), ("amount", amount)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let lines = app.store.budget_lines(pid).await.unwrap();
    let id = |n: &str| lines.iter().find(|l| l.name.starts_with(n)).unwrap().id;
    // Allocations: WIOA pays the coordinator and part of services; the foundation the
    // curriculum (over-allocated by $5,000).
    for (line, stream, amount) in [
        (id("Coordinator"), wioa, "30000"),
        (id("Supportive"), wioa, "15000"),
        (id("Curriculum"), found, "30000"),
    ] {
        let r = b
            .post(
                &format!("{f}/lines/{line}/allocations"),
                &f,
                &[("stream", &stream.to_string()), ("amount", amount)],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let r = b
        .post(
            &format!("{f}/lines/{}/allocations", id("Supportive")),
            &f,
            &[("stream", &wioa.to_string()), ("amount", "1.234")],
        )
        .await;
    assert_eq!(r.status(), 422, "three decimals");
    let (_, html) = b.text(&f).await;
    // Total 95,000; funded 30,000 + 25,000 (capped) + 15,000 = 70,000; unfunded 25,000.
    assert!(html.contains("Total $95,000.00"), "{html}");
    assert!(html.contains("funded $70,000.00"));
    assert!(html.contains("unfunded $25,000.00"));
    assert!(html.contains("over-allocated by $5,000.00"));
    assert!(html.contains("Community Foundation") && html.contains("ends in 60 days"));
    // The CSV reconciles: the stream columns plus unfunded make each phase total and the total.
    let csv = b
        .get(&format!("{f}?format=csv&table=braid"))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "phase",
            "Community Foundation",
            "WIOA Adult",
            "unfunded",
            "total"
        ]
    );
    let cents = |s: &str| -> i64 { s.replace('.', "").parse().unwrap() };
    for r in &rows[1..] {
        let sum: i64 = r[1..4].iter().map(|c| cents(c)).sum();
        assert_eq!(sum, cents(r[4]), "{r:?}");
    }
    let last = rows.last().unwrap();
    assert_eq!(
        last,
        &["total", "25000.00", "45000.00", "25000.00", "95000.00"]
    );
    let phase_total: i64 = rows[1..rows.len() - 1].iter().map(|r| cents(r[4])).sum();
    assert_eq!(phase_total, cents(last[4]));

    // Commitments: dates out of order refused; one over its stream saved and flagged.
    let r = b
        .post(
            &format!("{f}/commitments"),
            &f,
            &[
                ("organization", &acme.to_string()),
                ("kind", "cash"),
                ("amount", "1000"),
                ("status", "pledged"),
                ("starts_on", "2026-06-01"),
                ("ends_on", "2026-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#c-ends_on\""));
    let r = b
        .post(
            &format!("{f}/commitments"),
            &f,
            &[
                ("organization", &acme.to_string()),
                ("stream", &found.to_string()),
                ("kind", "cash"),
                ("amount", "25,000"),
                ("status", "pledged"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&f).await;
    assert!(html.contains("exceeds stream"), "flagged");
    assert!(html.contains("Pledged $25,000.00"));
    let cid = app.store.commitments(pid).await.unwrap()[0].id;
    let r = b
        .post(
            &format!("{f}/commitments/{cid}/status"),
            &f,
            &[("status", "committed")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&f).await;
    assert!(html.contains("Committed $25,000.00"));

    // Archiving a stream takes its allocations out of the braid.
    let r = b
        .post(&format!("{f}/streams/{found}/archive"), &f, &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&f).await;
    assert!(html.contains("unfunded $50,000.00"));

    // The reference catalog: searchable, filterable by type; a stream can name its entry.
    let (code, html) = b.text(&format!("{f}/catalog?q=apprenticeship")).await;
    assert_eq!(code, 200);
    assert!(html.contains("id=\"registered_apprenticeship\""));
    assert!(!html.contains("id=\"tanf\""));
    let (_, html) = b.text(&format!("{f}/catalog?kind=philanthropy")).await;
    assert!(html.contains("id=\"philanthropy\"") && !html.contains("id=\"wioa_adult\""));
    assert_eq!(b.get(&format!("{f}/catalog?kind=gold")).await.status(), 422);
    let r = b
        .post(
            &format!("{f}/streams"),
            &f,
            &[
                ("name", "X"),
                ("kind", "federal"),
                ("available", "1"),
                ("catalog_code", "nope"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#s-catalog_code\""));
    let r = b
        .post(
            &format!("{f}/streams"),
            &f,
            &[
                ("name", "SNAP E&T 50-50"),
                ("kind", "federal"),
                ("available", "0"),
                ("catalog_code", "snap_et"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // Roles, audit, isolation.
    let v = app.signed_in("vi@example.org", PW).await;
    assert_eq!(v.get(&f).await.status(), 200);
    assert_eq!(
        v.post(
            &format!("{f}/lines"),
            &f,
            &[("phase", "launch"), ("name", "X"), ("amount", "1")]
        )
        .await
        .status(),
        403
    );
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    for e in ["funding_stream", "budget_line", "commitment"] {
        assert!(log.iter().any(|l| l.entity == e), "{e}");
    }
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&f).await.status(), 404);
    let bf = format!("/p/{beta}/funding");
    let r = o
        .post(
            &format!("{bf}/lines/{}/allocations", id("Supportive")),
            &bf,
            &[("stream", &wioa.to_string()), ("amount", "1")],
        )
        .await;
    assert_eq!(r.status(), 422, "alpha's line from beta");
    let (_, html) = o.text(&bf).await;
    assert!(!html.contains("WIOA Adult"));
}
