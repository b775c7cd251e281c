//! Alignment with public plans and the data-sharing agreement register: a linked plan shows its
//! next window from its cycle, bad input is refused by field, an agreement about to end is
//! flagged, viewers read but do not write, and another partnership sees nothing.

use crate::PW;
use crate::harness::TestApp;
use sectorkit_core::day::Day;
use sectorkit_core::role::Role;

scenarios!(public_plans_and_data_agreements);

async fn public_plans_and_data_agreements(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let a = format!("/p/{pid}/plan/alignment");
    let (code, html) = b.text(&a).await;
    assert_eq!(code, 200);
    assert!(html.contains("No plans linked yet."));
    assert!(html.contains("No agreements recorded yet."));
    // The catalog is shown with its workforce hooks.
    assert!(html.contains("id=\"plan-ceds\""));
    assert!(html.contains("id=\"plan-wioa_state_plan\""));

    // Bad plan code and bad year: refused, each at its field, nothing saved.
    let r = b
        .post(
            &format!("{a}/links"),
            &a,
            &[("plan_code", "nope"), ("last_adopted_year", "20x4")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("href=\"#k-plan_code\""), "plan code");
    assert!(body.contains("href=\"#k-last_adopted_year\""), "year");
    assert!(body.contains("No plans linked yet."));
    // A priority that is not this partnership's: refused at the priority field.
    let r = b
        .post(
            &format!("{a}/links"),
            &a,
            &[("plan_code", "ceds"), ("priority", "999999")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("href=\"#k-priority\""));

    // A CEDS (five-year cycle) adopted four years ago is next due one year from now; the years
    // are computed from today so the test does not age.
    let this_year = Day::from_unix(sectorkit_store::now_unix())
        .year_month_day()
        .0;
    let last = this_year - 4;
    let r = b
        .post(
            &format!("{a}/links"),
            &a,
            &[
                ("plan_code", "ceds"),
                ("jurisdiction", "Mid-Ohio region"),
                ("last_adopted_year", &last.to_string()),
                ("how", "Claims-processing pipeline as a talent goal"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = b
        .post(
            &format!("{a}/links"),
            &a,
            &[("plan_code", "lrstp"), ("jurisdiction", "Columbus")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&a).await;
    let next = format!("<td>{}</td>", last + 5);
    assert!(html.contains(&next), "next CEDS window {}", last + 5);
    assert!(html.contains("Claims-processing pipeline as a talent goal"));
    assert!(html.contains("irregular:"), "a plan without a cycle");
    // Regular windows come before irregular ones.
    assert!(html.find(&next).unwrap() < html.find("irregular:").unwrap());

    // Agreements: dates out of order, a missing title, an unknown status: refused by field.
    let r = b
        .post(
            &format!("{a}/agreements"),
            &a,
            &[
                ("title", ""),
                ("parties", "State UI agency; the board"),
                ("starts_on", "2026-07-01"),
                ("ends_on", "2026-01-01"),
                ("status", "maybe"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["g-title", "g-ends_on", "g-status"] {
        assert!(body.contains(&format!("href=\"#{f}\"")), "{f}");
    }
    assert!(body.contains("No agreements recorded yet."));
    let today = Day::from_unix(sectorkit_store::now_unix());
    let r = b
        .post(
            &format!("{a}/agreements"),
            &a,
            &[
                ("title", "UI wage records match"),
                ("parties", "State UI agency; the board"),
                ("data_covered", "Quarterly wages of program completers"),
                ("purpose", "Employment and earnings outcomes"),
                ("legal_basis", "20 CFR 603"),
                ("starts_on", &today.plus(-300).to_string()),
                ("ends_on", &today.plus(30).to_string()),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = b
        .post(
            &format!("{a}/agreements"),
            &a,
            &[
                ("title", "College completer file"),
                ("parties", "College; the board"),
                ("ends_on", &today.plus(400).to_string()),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&a).await;
    assert!(html.contains("UI wage records match"));
    assert!(html.contains(&format!("expires in 30 days ({})", today.plus(30))));
    assert_eq!(
        html.matches("expires in").count(),
        1,
        "only the one ending soon"
    );

    // Viewers read but do not write; other partnerships see nothing.
    let v = app.signed_in("vi@example.org", PW).await;
    let (code, html) = v.text(&a).await;
    assert_eq!(code, 200);
    assert!(html.contains("UI wage records match"));
    assert!(!html.contains("Record agreement"), "no form for viewers");
    assert_eq!(
        v.post(&format!("{a}/links"), &a, &[("plan_code", "ceds")])
            .await
            .status(),
        403
    );
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    for e in ["plan_link", "data_agreement"] {
        assert!(log.iter().any(|l| l.entity == e), "{e} audited");
    }
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&a).await.status(), 404);
    let (_, html) = o.text(&format!("/p/{beta}/plan/alignment")).await;
    assert!(!html.contains("UI wage records match"));
    assert!(html.contains("No plans linked yet."));
}
