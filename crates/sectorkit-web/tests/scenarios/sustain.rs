//! Marketing and communication, products and capacity, lessons learned: bad input refused by
//! field, key messages by audience, the calendar, a case story drafted from lessons, products
//! tied to logic-model outcomes, capacity gaps, search and chapter filter, CSV, roles, isolation.

use crate::PW;
use crate::harness::TestApp;
use sectorkit_core::plan_page::LogicKind;
use sectorkit_core::role::Role;
use sectorkit_store::LogicFields;

scenarios!(marketing_products_capacity_and_lessons);

async fn marketing_products_capacity_and_lessons(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let plan = format!("/p/{pid}/plan");

    // Lessons: a date in the future, an unknown chapter, nothing said: refused by field.
    let l = format!("{plan}/lessons");
    let r = b
        .post(
            &l,
            &l,
            &[("learned_on", "2999-01-01"), ("chapter", "vibes")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["l-learned_on", "l-chapter", "l-worked"] {
        assert!(body.contains(&format!("href=\"#{f}\"")), "{f}");
    }
    for (day, chapter, worked, did_not, why, change) in [
        (
            "2026-03-02",
            "convening",
            "",
            "Few small agencies came",
            "Meetings at 9 am on weekdays",
            "Meet at lunch, online",
        ),
        (
            "2026-06-15",
            "managing",
            "Employers chaired the meetings",
            "",
            "",
            "",
        ),
        (
            "2026-09-01",
            "funding",
            "Braiding WIOA with the foundation grant",
            "",
            "",
            "",
        ),
    ] {
        let r = b
            .post(
                &l,
                &l,
                &[
                    ("learned_on", day),
                    ("chapter", chapter),
                    ("worked", worked),
                    ("did_not", did_not),
                    ("why", why),
                    ("change", change),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{day}");
    }
    let (_, html) = b.text(&l).await;
    let (a, c) = (
        html.find("2026-09-01").unwrap(),
        html.find("2026-03-02").unwrap(),
    );
    assert!(a < c, "newest first");
    let (_, html) = b.text(&format!("{l}?q=lunch")).await;
    assert!(html.contains("Meet at lunch, online") && !html.contains("Employers chaired"));
    let (_, html) = b.text(&format!("{l}?chapter=managing")).await;
    assert!(html.contains("Employers chaired") && !html.contains("Meet at lunch"));
    assert_eq!(b.get(&format!("{l}?chapter=nope")).await.status(), 400);
    let csv = b
        .get(&format!("{l}?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("learned_on,chapter,what_worked,what_did_not,why,what_changes"));
    assert!(csv.contains("2026-03-02,convening,,Few small agencies came,Meetings at 9 am on weekdays,\"Meet at lunch, online\""));

    // Marketing: messages by audience, calendar items, a case story from two lessons.
    let m = format!("{plan}/marketing");
    let r = b
        .post(
            &format!("{m}/messages"),
            &m,
            &[("audience", "donors"), ("message", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#m-audience\"") && body.contains("href=\"#m-message\""));
    let r = b
        .post(
            &format!("{m}/messages"),
            &m,
            &[
                ("audience", "employers"),
                ("message", "Hire trained adjusters sooner"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = b
        .post(
            &format!("{m}/items"),
            &m,
            &[
                ("title", "Employer breakfast"),
                ("audience", "employers"),
                ("channel", "event"),
                ("product", "presentation"),
                ("planned_on", "2026-13-01"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#c-planned_on\""));
    assert!(
        body.contains("value=\"Employer breakfast\""),
        "what was typed is kept"
    );
    let r = b
        .post(
            &format!("{m}/items"),
            &m,
            &[
                ("title", "Employer breakfast"),
                ("audience", "employers"),
                ("channel", "event"),
                ("product", "presentation"),
                ("planned_on", "2020-01-10"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let lessons = app.store.lessons(pid, None, None).await.unwrap();
    let ids: Vec<String> = lessons
        .iter()
        .filter(|l| l.fields.learned_on.to_string() != "2026-09-01")
        .map(|l| l.id.to_string())
        .collect();
    let r = b.post(&format!("{m}/case-story"), &m, &[]).await;
    assert_eq!(r.status(), 422, "no lesson chosen");
    let r = b
        .post(
            &format!("{m}/case-story"),
            &m,
            &[("lesson", ids[0].as_str()), ("lesson", ids[1].as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&m).await;
    assert!(html.contains("Hire trained adjusters sooner"));
    assert!(html.contains("late"), "a past planned item is flagged");
    assert!(html.contains("Case story: "));
    assert!(html.contains("What did not, and why\n- Few small agencies came: Meetings at 9 am on weekdays (2026-03-02)"));
    assert!(html.contains("- Employers chaired the meetings (2026-06-15)"));
    let draft = html
        .split("<pre class=\"draft\">")
        .nth(1)
        .and_then(|d| d.split("</pre>").next())
        .expect("the draft is shown");
    assert!(draft.contains("Employers chaired"));
    assert!(!draft.contains("Braiding WIOA"), "only the lessons chosen");
    let csv = b
        .get(&format!("{m}?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(
        "2020-01-10,Employer breakfast,Employers,Event or presentation,Presentation,planned,"
    ));

    // Products tied to outcomes of the logic model; capacity gaps.
    let outcome = app
        .store
        .create_logic_element(
            pid,
            &LogicFields {
                priority_id: None,
                kind: LogicKind::ShortTerm,
                text: "Mentors trained".into(),
            },
            owner,
        )
        .await
        .unwrap();
    let p = format!("{plan}/products");
    let r = b
        .post(
            &p,
            &p,
            &[("title", ""), ("stage", "late"), ("status", "maybe")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["p-title", "p-stage", "p-status"] {
        assert!(body.contains(&format!("href=\"#{f}\"")), "{f}");
    }
    let r = b
        .post(
            &p,
            &p,
            &[
                ("title", "Mentor training course"),
                ("stage", "early"),
                ("status", "planned"),
                ("outcome", &outcome.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let prod = app.store.products(pid).await.unwrap()[0].id;
    let r = b
        .post(
            &format!("{p}/{prod}/status"),
            &p,
            &[("status", "available")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let c = format!("{plan}/capacity");
    let r = b
        .post(
            &c,
            &p,
            &[("role", "data"), ("needed", "0.125"), ("filled", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#r-needed\"") && body.contains("href=\"#r-filled\""));
    for (role, needed, filled, by) in [
        ("coordinator", "1", "0.5", "Workforce board"),
        ("data", "0.25", "", ""),
        ("fiscal", "0.1", "0.3", "Foundation"),
    ] {
        let r = b
            .post(
                &c,
                &p,
                &[
                    ("role", role),
                    ("needed", needed),
                    ("filled", filled),
                    ("filled_by", by),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{role}");
    }
    let (_, html) = b.text(&p).await;
    assert!(html.contains("Mentor training course"));
    assert!(
        html.contains("<li>Mentors trained</li>"),
        "the outcome it leads to"
    );
    assert!(html.contains("Available"));
    // Gaps: 0.5 + 0.25 + 0 = 0.75; fiscal's extra 0.2 closes nothing.
    assert!(html.contains("<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">1.35</td><td class=\"num\">0.8</td><td class=\"num\"><strong>0.75</strong></td></tr></tfoot>"));
    let csv = b
        .get(&format!("{p}?format=csv&table=capacity"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Coordinator / convener,,Workforce board,1,0.5,0.5,"));
    let csv = b
        .get(&format!("{p}?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Mentor training course,,Early,available,Mentors trained"));

    // Audit, roles, isolation.
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    for e in [
        "lesson",
        "key_message",
        "comms_item",
        "product",
        "capacity_role",
    ] {
        assert!(log.iter().any(|x| x.entity == e), "{e} audited");
    }
    let v = app.signed_in("vi@example.org", PW).await;
    for path in [&l, &m, &p] {
        let (code, html) = v.text(path).await;
        assert_eq!(code, 200);
        assert!(
            !html.contains("type=\"submit\">Add"),
            "no forms for viewers: {path}"
        );
    }
    assert_eq!(
        v.post(
            &l,
            &l,
            &[
                ("learned_on", "2026-01-01"),
                ("chapter", "planning"),
                ("worked", "x")
            ]
        )
        .await
        .status(),
        403
    );
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&l).await.status(), 404);
    let bp = format!("/p/{beta}/plan/products");
    // Another partnership's outcome cannot be linked; its product's status cannot be set.
    let r = o
        .post(
            &bp,
            &bp,
            &[
                ("title", "X"),
                ("stage", "early"),
                ("status", "idea"),
                ("outcome", &outcome.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#p-outcome\""));
    let r = o
        .post(
            &format!("{bp}/{prod}/status"),
            &bp,
            &[("status", "retired")],
        )
        .await;
    assert_eq!(r.status(), 404);
    let (_, html) = o.text(&format!("/p/{beta}/plan/lessons")).await;
    assert!(html.contains("No lessons yet."));
}
