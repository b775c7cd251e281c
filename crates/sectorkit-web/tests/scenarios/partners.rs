//! The Partners section: organizations and people, the live composition check, duplicates,
//! validation that names the field, archiving with confirmation, the audit trail, CSV exports,
//! and roles (viewers read, staff edit).

use crate::PW;
use crate::harness::{TestApp, location};
use sectorkit_core::role::Role;
use sectorkit_store::NewShortlistItem;

scenarios!(
    partners_organizations_people_and_composition,
    partners_import_previews_merges_and_saves_all_or_nothing
);

async fn partners_organizations_people_and_composition(app: TestApp) {
    crate::load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    app.store
        .create_region(
            pid,
            "FD",
            "39049,39041",
            &["39041".into(), "39049".into()],
            true,
            owner,
        )
        .await
        .unwrap();
    app.store
        .add_to_shortlist(
            pid,
            &NewShortlistItem {
                industry_code: "524",
                industry_title: "Insurance carriers and related activities",
                own_code: 5,
                region_name: "FD",
                period: "2020Q1",
                note: "",
                snapshot: "{}",
                added_by: owner,
            },
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let page = format!("/p/{pid}/partners");
    let (s, html) = b.text(&page).await;
    assert_eq!(s, 200);
    // An empty table lacks everything, each finding with a link to its fix.
    assert!(html.contains("No employer champion"));
    assert!(html.contains("0 employers of the target industries"));
    assert!(html.contains("No labor or worker voice"));
    assert!(html.contains("category=labor#add-org"), "fix link");
    // The region's establishments of the target industry are shown beside the count.
    assert!(html.contains("Region establishments"));
    // Bad input names the field; nothing is saved.
    let r = b
        .post(
            &format!("/p/{pid}/partners/organizations"),
            &page,
            &[
                ("name", ""),
                ("category", "school"),
                ("county", "99999"),
                ("naics", "52x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["name", "category", "naics", "county"] {
        assert!(
            body.contains(&format!("href=\"#org-{f}\"")),
            "error for {f}"
        );
    }
    assert!(
        app.store
            .organizations(pid, None, true)
            .await
            .unwrap()
            .is_empty()
    );
    // Add an employer of the target industry.
    let r = b
        .post(
            &format!("/p/{pid}/partners/organizations"),
            &page,
            &[
                ("name", "Buckeye Mutual Insurance Co."),
                ("category", "employer"),
                ("naics", "524126"),
                ("size_band", "250-999"),
                ("county", "39049"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let org_url = location(&r);
    let (s, html) = b.text(&org_url).await;
    assert_eq!(s, 200);
    assert!(html.contains("Buckeye Mutual Insurance Co."));
    assert!(html.contains("create organization"), "audit trail");
    // Its share of the region's 524 jobs (March 2020: Delaware 26,865 + Franklin 2,255 =
    // 29,120) is a range from its size band: 250/29,120 = 0.9% to 999/29,120 = 3.4%.
    let (_, html) = b.text(&page).await;
    assert!(html.contains("29,120"), "region employment");
    assert!(html.contains("0.9–3.4%"), "employment share range");
    // The same organization again (another spelling) is refused with a link to it.
    let r = b
        .post(
            &format!("/p/{pid}/partners/organizations"),
            &page,
            &[
                ("name", "buckeye mutual insurance"),
                ("category", "employer"),
                ("county", "39049"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(&format!("href=\"{org_url}\""))
    );
    // A contact: bad email and phone are named; then a champion who decides.
    let oid = org_url.rsplit('/').next().unwrap().to_string();
    let r = b
        .post(
            &format!("/p/{pid}/partners/contacts"),
            &org_url,
            &[
                ("organization", &oid),
                ("name", "Dana Ruiz"),
                ("email", "dana@"),
                ("phone", "12"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("email: ") && body.contains("phone: "),
        "{body}"
    );
    let r = b
        .post(
            &format!("/p/{pid}/partners/contacts"),
            &org_url,
            &[
                ("organization", &oid),
                ("name", "Dana Ruiz"),
                ("title", "VP, Talent"),
                ("level", "executive"),
                ("email", "dana@buckeye.example"),
                ("phone", "614-555-0100"),
                ("champion", "1"),
                ("decision_maker", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&page).await;
    assert!(
        !html.contains("No employer champion"),
        "the champion clears it"
    );
    assert!(!html.contains("No decision-makers"));
    assert!(html.contains("1 employer of the target industries"));
    assert!(html.contains("Dana Ruiz"));
    // Search finds people and organizations by name.
    let (_, found) = b.text(&format!("{page}?q=dana")).await;
    assert!(found.contains("Dana Ruiz"));
    let (_, none) = b.text(&format!("{page}?q=zzz")).await;
    assert!(none.contains("No organizations match"));
    // Edit: the audit trail records what changed.
    let r = b
        .post(
            &org_url,
            &org_url,
            &[
                ("name", "Buckeye Mutual Insurance Co."),
                ("category", "employer"),
                ("naics", "5241"),
                ("size_band", "1000+"),
                ("county", "39049"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&org_url).await;
    assert!(html.contains("size_band: 250-999 → 1000+"), "audit diff");
    // A 1000+ band has no upper bound: only "at least 1,000/29,120 = 3.4%" is known.
    let (_, html) = b.text(&page).await;
    assert!(
        html.contains("at least 3.4%"),
        "open-ended employment share"
    );
    let log = app.store.audit_log(pid, None, 10).await.unwrap();
    assert_eq!(log.len(), 3, "create org, create contact, update org");
    // The only employer marked as the intermediary: a conflict of interest, with two fixes
    // (recruit other employers, or review the intermediary's role on its page).
    let fields = [
        ("name", "Buckeye Mutual Insurance Co."),
        ("category", "employer"),
        ("naics", "5241"),
        ("size_band", "1000+"),
        ("county", "39049"),
    ];
    let mut marked = fields.to_vec();
    marked.push(("intermediary", "on"));
    assert_eq!(b.post(&org_url, &org_url, &marked).await.status(), 303);
    let (_, html) = b.text(&page).await;
    assert!(html.contains("is both the intermediary and the only employer"));
    assert!(
        html.contains(&format!("href=\"{org_url}#edit-h\"")),
        "review link"
    );
    assert!(html.contains("or review Buckeye Mutual Insurance Co."));
    assert_eq!(b.post(&org_url, &org_url, &fields).await.status(), 303);
    let (_, html) = b.text(&page).await;
    assert!(!html.contains("only employer"), "cleared");
    // CSV exports.
    let csv = b.get(&format!("{page}?format=csv&table=contacts")).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(text.contains("Dana Ruiz") && text.contains("dana@buckeye.example"));
    let csv = b.get(&format!("{page}?format=csv")).await;
    assert!(
        csv.text()
            .await
            .unwrap()
            .contains("Buckeye Mutual Insurance Co.,employer,5241")
    );
    // Viewers read but cannot change.
    let v = app.signed_in("vi@example.org", PW).await;
    let (s, html) = v.text(&page).await;
    assert_eq!(s, 200);
    assert!(!html.contains("Add an organization"));
    let r = v
        .post(
            &format!("/p/{pid}/partners/organizations"),
            &page,
            &[("name", "X"), ("category", "labor")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // Archiving asks for confirmation, keeps the history, and can be undone.
    let r = b.post(&format!("{org_url}/archive"), &org_url, &[]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.store
            .organizations(pid, None, false)
            .await
            .unwrap()
            .len(),
        1
    );
    let r = b
        .post(
            &format!("{org_url}/archive"),
            &org_url,
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        app.store
            .organizations(pid, None, false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        app.store
            .contacts(pid, None, None)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, html) = b.text(&format!("{page}?archived=1")).await;
    assert!(html.contains("archived"));
    let r = b.post(&format!("{org_url}/restore"), &org_url, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.contacts(pid, None, None).await.unwrap().len(), 1);
    // Another partnership sees none of it.
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    assert!(
        app.store
            .organizations(beta, None, true)
            .await
            .unwrap()
            .is_empty()
    );
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&org_url).await.status(), 404);
    assert_eq!(
        o.get(&format!("/p/{beta}/partners/organizations/{oid}"))
            .await
            .status(),
        404
    );
}

/// CSV import: a bad file is refused whole with line and column; a good one is previewed
/// (duplicates matched to the recorded organization), then saved in one step on confirm.
async fn partners_import_previews_merges_and_saves_all_or_nothing(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let page = format!("/p/{pid}/partners");
    let r = b
        .post(
            &format!("/p/{pid}/partners/organizations"),
            &page,
            &[
                ("name", "Buckeye Mutual Insurance Co."),
                ("category", "employer"),
                ("county", "39049"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let upload = |who: &crate::harness::Browser, name: &str, body: &str, token: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name.to_string()),
        );
        who.http
            .post(app.url(&format!("/p/{pid}/partners/import?csrf={token}")))
            .header("connection", "close")
            .multipart(form)
            .send()
    };
    let csrf = b.csrf_from(&page).await;
    // A bad file: every problem with its line and column; nothing saved.
    let bad = "organization,category,contact_name,email,county\n\
               Columbus State,education_college,,,39049\n\
               Local 8,,Pat Lee,x@,39049\n\
               ,employer,,,99999\n";
    let r = upload(&b, "bad.csv", bad, &csrf).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nothing was saved"), "{html}");
    for (line, col) in [
        (3, "category"),
        (3, "email"),
        (4, "organization"),
        (4, "county"),
    ] {
        assert!(
            html.contains(&format!(
                "<tr><td class=\"num\">{line}</td><td><code>{col}</code></td>"
            )),
            "line {line} {col}: {html}"
        );
    }
    assert_eq!(
        app.store
            .organizations(pid, None, true)
            .await
            .unwrap()
            .len(),
        1
    );
    // An unknown column is named.
    let r = upload(
        &b,
        "cols.csv",
        "organization,category,fax\nA,labor,1\n",
        &csrf,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("fax"));
    // A good file: one row merges into the recorded employer, two rows are one new college.
    let good = "Organization,Category,County,Contact_Name,Email,Champion\n\
                buckeye mutual insurance,employer,39049,Lee Park,lee@buckeye.example,yes\n\
                Columbus State Community College,education_college,39049,Sam Ortiz,sam@cscc.example,\n\
                Columbus State Community College,Education: community or technical college,39049,Kim Wu,,no\n";
    let r = upload(&b, "good.csv", good, &csrf).await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("merge into Buckeye Mutual Insurance Co."),
        "{html}"
    );
    assert!(html.contains("1 new organization, 1 already recorded"));
    assert!(html.contains("Sam Ortiz, Kim Wu"));
    assert_eq!(
        app.store
            .organizations(pid, None, true)
            .await
            .unwrap()
            .len(),
        1,
        "the preview saves nothing"
    );
    // Viewers cannot import.
    let v = app.signed_in("vi@example.org", PW).await;
    let vcsrf = v.csrf_from(&page).await;
    assert_eq!(
        upload(&v, "good.csv", good, &vcsrf).await.unwrap().status(),
        403
    );
    // Confirm: checked again, saved in one transaction.
    let r = b
        .post(
            &format!("/p/{pid}/partners/import/confirm"),
            &page,
            &[("file_name", "good.csv"), ("data", good)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.contains("created=1&merged=1&people=3"), "{to}");
    let (_, html) = b.text(&to).await;
    assert!(html.contains("Imported"), "notice");
    let orgs = app.store.organizations(pid, None, true).await.unwrap();
    assert_eq!(orgs.len(), 2);
    assert_eq!(app.store.contacts(pid, None, None).await.unwrap().len(), 3);
    // A tampered confirmation is checked, not trusted.
    let r = b
        .post(
            &format!("/p/{pid}/partners/import/confirm"),
            &page,
            &[("file_name", "good.csv"), ("data", bad)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.store.contacts(pid, None, None).await.unwrap().len(), 3);
}
