//! The plan on a page, the roadmap, the logic model and the action plan: strategies under
//! priorities, key actions that are the same records as the meetings' action items, milestones,
//! dependencies refused when they close a cycle, the trace from an action back to its priority
//! and evidence, owner and funding line; bad input by field; CSV; roles; tenant isolation.

use crate::PW;
use crate::harness::{TestApp, location};
use sectorkit_core::funding::{Money, Phase};
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::planning::EvidenceKind;
use sectorkit_core::role::Role;
use sectorkit_store::{ActionFields, EvidenceFields, IssueFields, OrganizationFields};

scenarios!(plan_on_a_page_roadmap_logic_model_and_action_plan);

async fn plan_on_a_page_roadmap_logic_model_and_action_plan(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let s = &app.store;
    let issue = |t: &str| IssueFields {
        title: t.into(),
        statement: format!("{t}: the statement"),
        ..IssueFields::default()
    };
    let i1 = s
        .create_issue(pid, &issue("Adjusters leave"), owner)
        .await
        .unwrap();
    let i2 = s
        .create_issue(pid, &issue("Underwriters retire"), owner)
        .await
        .unwrap();
    s.add_evidence(
        pid,
        i1,
        &EvidenceFields {
            kind: EvidenceKind::Note,
            finding_id: None,
            region_id: None,
            code: String::new(),
            note: "Exit interviews at three carriers".into(),
        },
        owner,
    )
    .await
    .unwrap();
    s.confirm_priorities(pid, None, &[i1, i2], &[], "", "", owner)
        .await
        .unwrap();
    let prios = s.priorities(pid).await.unwrap();
    let p1 = prios.iter().find(|p| p.issue_id == i1).unwrap().id;
    let acme = s
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
    let line = s
        .create_line(
            pid,
            Phase::Launch,
            "Mentor training",
            Money::parse("12,000").unwrap(),
            owner,
        )
        .await
        .unwrap();
    let meeting_item = s
        .create_action(
            pid,
            &ActionFields {
                meeting_id: None,
                text: "Send the survey to carriers".into(),
                owner_contact_id: None,
                due_on: None,
            },
            owner,
        )
        .await
        .unwrap();

    let b = app.signed_in("ana@example.org", PW).await;
    let base = format!("/p/{pid}/plan");
    let (code, html) = b.text(&format!("{base}/page")).await;
    assert_eq!(code, 200);
    assert!(html.contains("Priority 1: <a"));
    assert!(html.contains("No vision statement yet."));
    assert!(html.contains("No strategies yet."));

    // Strategies: a priority is required, and must be this partnership's.
    let ap = format!("{base}/actions");
    let r = b
        .post(
            &format!("{base}/strategies"),
            &ap,
            &[("priority", ""), ("title", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#k-s_title\"") && body.contains("href=\"#k-s_priority\""));
    let r = b
        .post(
            &format!("{base}/strategies"),
            &ap,
            &[
                ("priority", &p1.to_string()),
                ("title", "Shared onboarding and mentoring"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let strategy = s.strategies(pid).await.unwrap()[0].id;

    // A key action: a bad quarter and a missing text are refused by field; nothing saved.
    let r = b
        .post(
            &ap,
            &ap,
            &[
                ("text", ""),
                ("strategy", &strategy.to_string()),
                ("quarter", "2027Q5"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#k-text\"") && body.contains("href=\"#k-quarter\""));
    assert!(body.contains("2027Q5"), "the quarter typed is kept");
    assert_eq!(s.actions(pid, None).await.unwrap().len(), 1);
    let (st, ln, org) = (strategy.to_string(), line.to_string(), acme.to_string());
    let r = b
        .post(
            &ap,
            &ap,
            &[
                ("text", "Design the mentoring model"),
                ("strategy", &st),
                ("organization", &org),
                ("quarter", "2027Q1"),
                ("due_on", "2027-03-15"),
                ("budget_line", &ln),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let design = s
        .actions(pid, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.text == "Design the mentoring model")
        .unwrap()
        .id;
    assert!(location(&r).ends_with(&format!("#a-{design}")));
    let r = b
        .post(
            &ap,
            &ap,
            &[
                ("text", "Pilot mentoring at two carriers"),
                ("strategy", &st),
                ("organization", &org),
                ("quarter", "2027Q2"),
                ("due_on", "2027-02-01"),
                ("depends_on", &design.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let pilot = s
        .actions(pid, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.text.starts_with("Pilot"))
        .unwrap()
        .id;
    // The design depending on the pilot would close a cycle: refused, naming it.
    let r = b
        .post(
            &format!("{ap}/{design}"),
            &format!("/p/{pid}/partners/actions/{design}"),
            &[
                ("strategy", &st),
                ("quarter", "2027Q1"),
                ("depends_on", &pilot.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#p-depends_on\""));
    assert!(
        body.contains(&format!("#{design} → #{pilot} → #{design}")),
        "the cycle is named"
    );
    // A meeting's item joins the plan from its page: one list, not two.
    let r = b
        .post(
            &format!("{ap}/{meeting_item}"),
            &format!("/p/{pid}/partners/actions/{meeting_item}"),
            &[("strategy", &st), ("quarter", "2026Q4")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Milestones.
    let r = b
        .post(
            &format!("{base}/milestones"),
            &ap,
            &[("title", "Model adopted"), ("quarter", "Q2")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#k-m_quarter\""));
    let r = b
        .post(
            &format!("{base}/milestones"),
            &ap,
            &[
                ("title", "Model adopted"),
                ("quarter", "2027Q2"),
                ("priority", &p1.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Vision and impact.
    let r = b
        .post(
            &format!("{base}/page"),
            &format!("{base}/page"),
            &[
                (
                    "vision",
                    "Every insurance employer can hire and keep the talent it needs.",
                ),
                ("impact", "Lower first-year turnover in claims."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The plan on a page: the action with its owner organization and quarter, the milestone.
    let (_, html) = b.text(&format!("{base}/page")).await;
    assert!(html.contains("Every insurance employer can hire and keep the talent it needs."));
    assert!(html.contains("Shared onboarding and mentoring"));
    assert!(html.contains(&format!(
        "<a href=\"/p/{pid}/partners/actions/{design}\">Design the mentoring model</a>"
    )));
    assert!(html.contains("— Acme Claims, 2027Q1"));
    assert!(html.contains("2027Q2: Model adopted"));
    assert!(html.contains("Lower first-year turnover in claims."));
    assert!(
        html.contains("Send the survey to carriers"),
        "the meeting's item is on it"
    );
    // The action plan: the conflict (due before what it waits for) and the dependency.
    let (_, html) = b.text(&ap).await;
    assert!(html.contains(&format!("due before #{design}")));
    let (_, html) = b.text(&format!("{ap}?q=pilot")).await;
    assert!(html.contains("Pilot mentoring") && !html.contains(">Design the mentoring model<"));
    // The roadmap: quarters in order with the gap filled, the milestone in its cell.
    let (code, html) = b.text(&format!("{base}/roadmap")).await;
    assert_eq!(code, 200);
    let cols: Vec<usize> = ["2026Q4", "2027Q1", "2027Q2"]
        .iter()
        .map(|q| html.find(&format!(">{q}</th>")).expect(q))
        .collect();
    assert!(cols.windows(2).all(|w| w[0] < w[1]));
    assert!(html.contains("◆ Model adopted"));

    // From the action, the trace: priority, evidence, owner, funding line, outcome.
    let (_, html) = b.text(&format!("/p/{pid}/partners/actions/{design}")).await;
    assert!(html.contains(&format!(
        "<a href=\"/p/{pid}/plan/issues/{i1}\">Adjusters leave</a>"
    )));
    assert!(html.contains("Exit interviews at three carriers"));
    assert!(html.contains(&format!(
        "<a href=\"/p/{pid}/partners/organizations/{acme}\">Acme Claims</a>"
    )));
    assert!(html.contains(&format!("/p/{pid}/funding#line-{line}")));
    assert!(html.contains("Launch — Mentor training ($12,000"));
    assert!(html.contains("Outcome indicators come with the Metrics section"));
    let (_, funding) = b.text(&format!("/p/{pid}/funding")).await;
    assert!(
        funding.contains(&format!("id=\"line-{line}\"")),
        "the link lands"
    );

    // Logic model: bad column refused; elements by column; filter by priority; CSV.
    let r = b
        .post(
            &format!("{base}/logic"),
            &format!("{base}/logic"),
            &[("kind", "outcome"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#l-kind\""));
    for (kind, text, prio) in [
        ("input", "Carrier HR staff time", p1.to_string()),
        ("short_term", "Mentors trained", p1.to_string()),
        ("impact", "A stable claims workforce", String::new()),
    ] {
        let r = b
            .post(
                &format!("{base}/logic"),
                &format!("{base}/logic"),
                &[("kind", kind), ("text", text), ("priority", &prio)],
            )
            .await;
        assert_eq!(r.status(), 303, "{kind}");
    }
    let (_, html) = b.text(&format!("{base}/logic")).await;
    let input = html.find("Carrier HR staff time").unwrap();
    let short = html.find("Mentors trained").unwrap();
    let impact = html.find("A stable claims workforce").unwrap();
    assert!(
        input < short && short < impact,
        "columns read left to right"
    );
    let (_, html) = b.text(&format!("{base}/logic?priority={p1}")).await;
    assert!(html.contains("Mentors trained") && !html.contains("A stable claims workforce"));
    let r = b.get(&format!("{base}/logic?format=csv")).await;
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("column,text,priority"));
    assert!(csv.contains("short_term,Mentors trained,Adjusters leave"));
    let r = b.get(&format!("{ap}?format=csv")).await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.contains(&format!(
        "{pilot},Pilot mentoring at two carriers,Adjusters leave,Shared onboarding and mentoring,,Acme Claims,2027Q2,2027-02-01,Open,{design},,"
    )));
    assert_eq!(
        b.get(&format!("{ap}?format=csv&table=nope")).await.status(),
        400
    );

    // Audit, roles, isolation.
    let log = s.audit_log(pid, None, 200).await.unwrap();
    for e in ["strategy", "milestone", "logic_element", "plan_page"] {
        assert!(log.iter().any(|l| l.entity == e), "{e} audited");
    }
    let v = app.signed_in("vi@example.org", PW).await;
    for path in ["page", "roadmap", "logic", "actions"] {
        assert_eq!(
            v.get(&format!("{base}/{path}")).await.status(),
            200,
            "{path}"
        );
    }
    let (_, html) = v.text(&format!("/p/{pid}/partners/actions/{design}")).await;
    assert!(html.contains("Adjusters leave") && !html.contains("Place it in the plan"));
    assert_eq!(
        v.post(&ap, &ap, &[("text", "x"), ("strategy", &st)])
            .await
            .status(),
        403
    );
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&format!("{base}/page")).await.status(), 404);
    // Another partnership's strategy, line or action cannot be referenced.
    let bap = format!("/p/{beta}/plan/actions");
    let r = o
        .post(
            &bap,
            &bap,
            &[("text", "Steal"), ("strategy", &st), ("budget_line", &ln)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#k-strategy\""));
    let r = o
        .post(&format!("{bap}/{design}"), &bap, &[("quarter", "2027Q1")])
        .await;
    assert_eq!(r.status(), 404);
}
