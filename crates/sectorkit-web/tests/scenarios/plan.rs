//! The Plan section's first part: industry issues with evidence (references to a finding, a
//! target-table row and an occupation), a dot-voting round with results by partner category,
//! votes refused after the round closes, priorities confirmed under the pick-and-stick rule
//! (retire or override, each with a reason), CSV, roles, audit and tenant isolation.

use crate::PW;
use crate::harness::{TestApp, location};
use sectorkit_core::engagement::VoiceType;
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::{ContactFields, FindingFields, OrganizationFields};

scenarios!(issues_rounds_and_priorities);

async fn issues_rounds_and_priorities(app: TestApp) {
    crate::load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    // Two partners: one from an employer, one from a college.
    for (email, org, cat) in [
        ("lee@acme.example", "Acme Claims", OrgCategory::Employer),
        (
            "sam@cscc.example",
            "Columbus State",
            OrgCategory::EducationCollege,
        ),
    ] {
        let u = app.user(email, PW, false).await;
        app.store
            .set_member_role(pid, u, Role::Partner)
            .await
            .unwrap();
        let o = app
            .store
            .create_organization(
                pid,
                &OrganizationFields {
                    name: org.into(),
                    category: cat,
                    ..OrganizationFields::default()
                },
                owner,
            )
            .await
            .unwrap();
        app.store
            .create_contact(
                pid,
                &ContactFields {
                    organization_id: o,
                    name: email.into(),
                    email: email.into(),
                    ..ContactFields::default()
                },
                owner,
            )
            .await
            .unwrap();
    }
    let rid = app
        .store
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
    let fid = app
        .store
        .create_finding(
            pid,
            &FindingFields {
                statement: "Adjusters leave within a year".into(),
                kind: VoiceType::Turnover,
                industry_code: "524".into(),
                occupations: vec![],
                employers: 3,
                meeting_id: None,
                touch_id: None,
            },
            owner,
        )
        .await
        .unwrap();

    let b = app.signed_in("ana@example.org", PW).await;
    let plan = format!("/p/{pid}/plan");
    let (code, html) = b.text(&plan).await;
    assert_eq!(code, 200);
    assert!(html.contains("No issues recorded yet"));

    // Issues: bad input names its fields; good input saved.
    let r = b
        .post(
            &format!("{plan}/issues"),
            &plan,
            &[
                ("title", ""),
                ("industry_code", "52x"),
                ("strategy", "magic"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["title", "industry_code", "strategy"] {
        assert!(body.contains(&format!("href=\"#i-{f}\"")), "{f}");
    }
    let mut ids = Vec::new();
    for (title, strategy) in [
        ("High adjuster turnover", "retention"),
        ("Too few licensed adjusters", "training"),
        ("Small carriers lack HR staff", "hr_capacity"),
        ("No pipeline from high schools", "pipeline"),
    ] {
        let r = b
            .post(
                &format!("{plan}/issues"),
                &plan,
                &[
                    ("title", title),
                    ("statement", "Employers say so and the data agrees."),
                    ("industry_code", "524"),
                    ("root_causes", "Low starting pay\nNo mentoring"),
                    ("strategy", strategy),
                    ("strategy", "other"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        ids.push(
            location(&r)
                .rsplit('/')
                .next()
                .unwrap()
                .parse::<i64>()
                .unwrap(),
        );
    }
    let issue = format!("{plan}/issues/{}", ids[0]);
    let (_, html) = b.text(&issue).await;
    assert!(html.contains("Low starting pay") && html.contains("Retention and job quality"));

    // Evidence: a finding, a table row, an occupation, a note — references, linked.
    for form in [
        vec![
            ("kind", "finding".to_string()),
            ("finding", fid.to_string()),
        ],
        vec![
            ("kind", "industry".to_string()),
            ("region", rid.to_string()),
            ("code", "524".to_string()),
        ],
        vec![
            ("kind", "occupation".to_string()),
            ("region", rid.to_string()),
            ("code", "13-1031".to_string()),
        ],
        vec![
            ("kind", "note".to_string()),
            ("note", "HR roundtable notes".to_string()),
        ],
    ] {
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = b.post(&format!("{issue}/evidence"), &issue, &f).await;
        assert_eq!(r.status(), 303);
    }
    let r = b
        .post(
            &format!("{issue}/evidence"),
            &issue,
            &[
                ("kind", "occupation"),
                ("region", &rid.to_string()),
                ("code", "131031"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("is not a SOC code"));
    let (_, html) = b.text(&issue).await;
    assert!(
        html.contains(&format!("href=\"/p/{pid}/partners/voice/{fid}\"")),
        "finding link"
    );
    assert!(html.contains("“Adjusters leave within a year” (3 employers)"));
    assert!(
        html.contains(&format!("href=\"/p/{pid}/regions/{rid}/industries/524\"")),
        "table-row link"
    );
    assert!(
        html.contains(&format!(
            "/p/{pid}/occupations?region={rid}&#38;industry=524"
        )),
        "occupation link (askama escapes & as &#38;)"
    );
    assert!(html.contains("HR roundtable notes"));
    // The linked pages exist.
    for url in [
        format!("/p/{pid}/regions/{rid}/industries/524"),
        format!("/p/{pid}/partners/voice/{fid}"),
        format!("/p/{pid}/occupations?region={rid}&industry=524"),
    ] {
        assert_eq!(b.get(&url).await.status(), 200, "{url}");
    }
    // Another partnership's finding cannot be pointed at.
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let beta_finding = app
        .store
        .create_finding(
            beta,
            &FindingFields {
                statement: "Beta secret".into(),
                kind: VoiceType::Other,
                industry_code: String::new(),
                occupations: vec![],
                employers: 1,
                meeting_id: None,
                touch_id: None,
            },
            bob,
        )
        .await
        .unwrap();
    let r = b
        .post(
            &format!("{issue}/evidence"),
            &issue,
            &[("kind", "finding"), ("finding", &beta_finding.to_string())],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.store.evidence(pid, Some(ids[0])).await.unwrap().len(),
        4
    );

    // A dot-voting round over the four issues.
    let r = b
        .post(
            &format!("{plan}/rounds"),
            &plan,
            &[
                ("title", "Spring round"),
                ("method", "dots"),
                ("dots", "3"),
                ("issue", &ids[0].to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "one issue is not a choice");
    let mut f = vec![
        ("title", "Spring round".to_string()),
        ("method", "dots".to_string()),
        ("dots", "3".to_string()),
    ];
    for i in &ids {
        f.push(("issue", i.to_string()));
    }
    let fr: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&format!("{plan}/rounds"), &plan, &fr).await;
    assert_eq!(r.status(), 303);
    let round = location(&r);
    let m = |i: usize| format!("mark_{}", ids[i]);
    let lee = app.signed_in("lee@acme.example", PW).await;
    let sam = app.signed_in("sam@cscc.example", PW).await;
    let v = app.signed_in("vi@example.org", PW).await;
    let (_, html) = lee.text(&round).await;
    assert!(html.contains("You vote as: Employer"));
    assert!(
        html.contains("The results are shown when the round closes"),
        "no early results"
    );
    let r = lee
        .post(
            &format!("{round}/ballot"),
            &round,
            &[(&m(0), "2"), (&m(1), "2")],
        )
        .await;
    assert_eq!(r.status(), 422, "4 dots of 3");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("4 dots given, but each voter has 3")
    );
    let r = lee
        .post(
            &format!("{round}/ballot"),
            &round,
            &[(&m(0), "2"), (&m(2), "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = sam
        .post(&format!("{round}/ballot"), &round, &[(&m(1), "3")])
        .await;
    assert_eq!(r.status(), 303);
    // A changed ballot replaces the earlier one.
    let r = sam
        .post(
            &format!("{round}/ballot"),
            &round,
            &[(&m(1), "2"), (&m(0), "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        v.post(&format!("{round}/ballot"), &round, &[(&m(0), "1")])
            .await
            .status(),
        403,
        "viewers do not vote"
    );
    // Staff see live results, by category, employers first.
    let (_, html) = b.text(&round).await;
    let emp = html.find(">Employer</th>").expect("employer column");
    let edu = html.find(">Education").expect("education column");
    assert!(emp < edu);
    assert_eq!(
        app.store
            .round(pid, round_id(&round))
            .await
            .unwrap()
            .unwrap()
            .voters,
        2
    );
    // Close; a vote after that is refused and changes nothing.
    assert_eq!(
        sam.post(&format!("{round}/close"), &round, &[])
            .await
            .status(),
        403,
        "staff close"
    );
    assert_eq!(
        b.post(&format!("{round}/close"), &round, &[])
            .await
            .status(),
        303
    );
    let r = lee
        .post(&format!("{round}/ballot"), &round, &[(&m(3), "3")])
        .await;
    assert_eq!(r.status(), 409);
    let votes = app.store.votes(pid, round_id(&round)).await.unwrap();
    assert_eq!(votes.len(), 4, "{votes:?}");
    assert!(!votes.iter().any(|v| v.issue_id == ids[3]));
    let (_, html) = lee.text(&round).await;
    assert!(html.contains("High adjuster turnover"));
    // Totals: turnover 2+1 = 3, licensed 2, HR 1, pipeline 0.
    let pos = |t: &str| html.find(t).unwrap();
    assert!(pos("High adjuster turnover") < pos("Too few licensed adjusters"));
    assert!(pos("Too few licensed adjusters") < pos("Small carriers lack HR staff"));

    // Pick and stick: limit 2 here.
    let r = b
        .post(
            &format!("{plan}/settings"),
            &plan,
            &[("max_priorities", "2")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let confirm = format!("{round}/confirm");
    let three: Vec<(&str, String)> = (0..3).map(|i| ("issue", ids[i].to_string())).collect();
    let three: Vec<(&str, &str)> = three.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&confirm, &round, &three).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("keeps at most 2: retire 1 of them")
    );
    let r = b
        .post(
            &confirm,
            &round,
            &[
                ("issue", &ids[0].to_string()),
                ("issue", &ids[1].to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&plan).await;
    assert!(html.contains("Priorities (2 of at most 2)"));
    // A third needs a retirement with a reason, or an override with a reason.
    let r = b
        .post(&confirm, &round, &[("issue", &ids[2].to_string())])
        .await;
    assert_eq!(r.status(), 422);
    let r = b
        .post(
            &confirm,
            &round,
            &[("issue", &ids[2].to_string()), ("override", "1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("give the reason for overriding")
    );
    let active = app.store.priorities(pid).await.unwrap();
    let first = active.iter().find(|p| p.issue_id == ids[0]).unwrap().id;
    let r = b
        .post(
            &confirm,
            &round,
            &[
                ("issue", &ids[2].to_string()),
                ("retire", &first.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "retiring needs a reason");
    let r = b
        .post(
            &confirm,
            &round,
            &[
                ("issue", &ids[2].to_string()),
                ("retire", &first.to_string()),
                ("retire_reason", "Retention program launched"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let ps = app.store.priorities(pid).await.unwrap();
    let active: Vec<i64> = ps
        .iter()
        .filter(|p| p.active())
        .map(|p| p.issue_id)
        .collect();
    assert_eq!(active, [ids[1], ids[2]]);
    let retired = ps.iter().find(|p| !p.active()).unwrap();
    assert_eq!(retired.retired_reason, "Retention program launched");
    // Over the limit with an override and its reason.
    let r = b
        .post(
            &confirm,
            &round,
            &[
                ("issue", &ids[3].to_string()),
                ("override", "1"),
                ("override_reason", "Required by the state grant"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&plan).await;
    assert!(html.contains("over the limit because: Required by the state grant"));
    assert!(html.contains("Retention program launched"), "retired list");
    // An active priority's issue cannot be archived; retire it first (with a reason).
    let i3 = format!("{plan}/issues/{}", ids[3]);
    assert_eq!(
        b.post(&format!("{i3}/archive"), &i3, &[]).await.status(),
        409
    );
    let p3 = app
        .store
        .priorities(pid)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.issue_id == ids[3])
        .unwrap()
        .id;
    let retire = format!("{plan}/priorities/{p3}/retire");
    assert_eq!(
        b.post(&retire, &plan, &[("reason", " ")]).await.status(),
        422
    );
    assert_eq!(
        b.post(&retire, &plan, &[("reason", "Grant ended")])
            .await
            .status(),
        303
    );
    assert_eq!(
        b.post(&format!("{i3}/archive"), &i3, &[]).await.status(),
        303
    );
    let (_, html) = b.text(&plan).await;
    let table = section(&html, "id=\"is-h\"", "id=\"rounds\"");
    assert!(table.contains("Too few licensed adjusters"));
    assert!(
        !table.contains("No pipeline from high schools"),
        "archived issue off the list"
    );

    // Search and CSV.
    let (_, html) = b.text(&format!("{plan}?q=LICENSED")).await;
    let table = section(&html, "id=\"is-h\"", "id=\"rounds\"");
    assert!(table.contains("Too few licensed adjusters"));
    assert!(!table.contains("Small carriers lack HR staff"));
    let r = b.get(&format!("{plan}?format=csv&table=issues")).await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("id,title,statement,naics,root_causes,impact,strategies,evidence"));
    assert!(csv.contains("Low starting pay | No mentoring"));
    let r = b.get(&format!("{plan}?format=csv&table=priorities")).await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Retention program launched")
    );
    assert_eq!(
        b.get(&format!("{plan}?format=csv&table=x")).await.status(),
        400
    );

    // Roles: viewers read, partners do not write issues.
    assert_eq!(v.get(&issue).await.status(), 200);
    assert_eq!(
        sam.post(&format!("{plan}/issues"), &plan, &[("title", "X")])
            .await
            .status(),
        403
    );
    // Audited.
    let log = app.store.audit_log(pid, None, 500).await.unwrap();
    for (e, a) in [
        ("industry_issue", "create"),
        ("industry_issue", "evidence"),
        ("priority_round", "vote"),
        ("priority_round", "close"),
        ("priority", "confirm"),
        ("priority", "retire"),
    ] {
        assert!(
            log.iter().any(|l| l.entity == e && l.action == a),
            "{e} {a}"
        );
    }
    // Another partnership sees none of it.
    let o = app.signed_in("bob@example.org", PW).await;
    for url in [&plan, &issue, &round] {
        assert_eq!(o.get(url).await.status(), 404, "{url}");
    }
    let (_, html) = o.text(&format!("/p/{beta}/plan")).await;
    assert!(html.contains("No issues recorded yet"));
    assert_eq!(
        o.get(&format!("/p/{beta}/plan/issues/{}", ids[0]))
            .await
            .status(),
        404
    );
}

fn round_id(url: &str) -> i64 {
    url.rsplit('/').next().unwrap().parse().unwrap()
}

/// The part of a page between two markers.
fn section<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let a = html.find(from).expect("start marker");
    let b = a + html[a..].find(to).expect("end marker");
    &html[a..b]
}
