//! Meetings, attendance, action items, engagement health and red flags, the outreach ledger
//! (recent touches before a new ask), employer voice (shown beside the target table),
//! thresholds, CSV exports, roles, and tenant isolation.

use crate::PW;
use crate::harness::{TestApp, location};
use sectorkit_core::engagement::{ActionStatus, AttendanceStatus};
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::{ContactFields, NewShortlistItem, OrganizationFields, StoreError};

scenarios!(
    meetings_engagement_outreach_and_voice,
    readiness_assessment_repeats_with_history
);

async fn meetings_engagement_outreach_and_voice(app: TestApp) {
    crate::load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let partner = app.user("dana@buckeye.example", PW, false).await;
    app.store
        .set_member_role(pid, partner, Role::Partner)
        .await
        .unwrap();
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
    let org = |name: &str, category: OrgCategory| OrganizationFields {
        name: name.into(),
        category,
        county: Some("39049".into()),
        naics: (category == OrgCategory::Employer).then(|| "524126".into()),
        ..OrganizationFields::default()
    };
    let buckeye = app
        .store
        .create_organization(pid, &org("Buckeye Mutual", OrgCategory::Employer), owner)
        .await
        .unwrap();
    let acme = app
        .store
        .create_organization(pid, &org("Acme Claims", OrgCategory::Employer), owner)
        .await
        .unwrap();
    let cscc = app
        .store
        .create_organization(
            pid,
            &org("Columbus State", OrgCategory::EducationCollege),
            owner,
        )
        .await
        .unwrap();
    let person = |o: i64, name: &str, email: &str| ContactFields {
        organization_id: o,
        name: name.into(),
        email: email.into(),
        ..ContactFields::default()
    };
    let dana = app
        .store
        .create_contact(
            pid,
            &person(buckeye, "Dana Ruiz", "dana@buckeye.example"),
            owner,
        )
        .await
        .unwrap();
    let lee = app
        .store
        .create_contact(pid, &person(acme, "Lee Park", "lee@acme.example"), owner)
        .await
        .unwrap();
    let sam = app
        .store
        .create_contact(pid, &person(cscc, "Sam Ortiz", "sam@cscc.example"), owner)
        .await
        .unwrap();

    let b = app.signed_in("ana@example.org", PW).await;
    let list = format!("/p/{pid}/partners/meetings");
    let (s, html) = b.text(&list).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("No meeting recorded yet"),
        "red flag before any meeting"
    );
    // The first-meeting template fills the agenda.
    let (_, html) = b.text(&format!("{list}?template=first")).await;
    assert!(html.contains("Governance: who convenes"));
    // Bad input names the field; nothing saved.
    let r = b
        .post(
            &list,
            &list,
            &[
                ("kind", "webinar"),
                ("title", ""),
                ("held_on", "2026-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["kind", "title", "held_on"] {
        assert!(body.contains(&format!("href=\"#m-{f}\"")), "{f}");
    }
    assert!(app.store.meetings(pid, None).await.unwrap().is_empty());
    // A meeting held today.
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix()).to_string();
    let r = b
        .post(
            &list,
            &list,
            &[
                ("kind", "industry_roundtable"),
                ("title", "Insurance roundtable"),
                ("held_on", &today),
                ("agenda", "Hiring needs\nNext steps"),
                ("decisions", "Form a claims-adjuster working group"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let murl = location(&r);
    let mid: i64 = murl.rsplit('/').next().unwrap().parse().unwrap();
    // Attendance by person.
    let r = b
        .post(
            &format!("{murl}/attendance"),
            &murl,
            &[
                (&format!("a{dana}") as &str, "attended"),
                (&format!("a{sam}"), "attended"),
                (&format!("a{lee}"), "invited"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&murl).await;
    assert!(html.contains("2 present, 1 from employers"), "{html}");
    assert!(html.contains("Form a claims-adjuster working group"));
    let att = app.store.attendance(pid, Some(mid)).await.unwrap();
    assert_eq!(att.len(), 3);
    assert!(
        att.iter()
            .any(|a| a.contact_id == lee && a.status == AttendanceStatus::Invited)
    );
    // Action items: an owner is required; an overdue one owned by the college.
    let r = b
        .post(
            &format!("{murl}/actions"),
            &murl,
            &[("text", "Draft the survey"), ("owner", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Choose who owns it"));
    let r = b
        .post(
            &format!("{murl}/actions"),
            &murl,
            &[
                ("text", "Map the adjuster curriculum"),
                ("owner", &sam.to_string()),
                ("due_on", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&list).await;
    assert!(html.contains("overdue"));
    assert!(html.contains("Sam Ortiz"));
    assert!(
        html.contains("No employer leads any of the 1 action items"),
        "red flag"
    );
    assert!(!html.contains("No meeting recorded yet"));
    // The overview shows the red flags.
    let (_, html) = b.text(&format!("/p/{pid}")).await;
    assert!(html.contains("No employer leads any of the 1 action items"));
    // The partners page shows engagement per organization.
    let (_, html) = b.text(&format!("/p/{pid}/partners")).await;
    assert!(
        html.contains("present at 1 of 1 meetings"),
        "engagement column"
    );
    // A partner changes only their own action items.
    let actions = app.store.actions(pid, None).await.unwrap();
    let sams = actions[0].id;
    let p = app.signed_in("dana@buckeye.example", PW).await;
    let r = p
        .post(
            &format!("/p/{pid}/partners/actions/{sams}/status"),
            &list,
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // A partner edits the organization they represent (one of its contacts has their email),
    // and no other; the edit is audited under their name.
    let borg = format!("/p/{pid}/partners/organizations/{buckeye}");
    let aorg = format!("/p/{pid}/partners/organizations/{acme}");
    let (code, html) = p.text(&borg).await;
    assert_eq!(code, 200);
    assert!(html.contains("because you are listed as one of its contacts"));
    assert!(
        !html.contains("/archive\""),
        "no archive form for a partner"
    );
    let (_, html) = p.text(&aorg).await;
    assert!(
        !html.contains("id=\"edit-h\""),
        "no edit form for another organization"
    );
    let edit = [
        ("name", "Buckeye Mutual Insurance"),
        ("category", "employer"),
        ("naics", "524126"),
        ("county", "39049"),
    ];
    let r = p.post(&borg, &borg, &edit).await;
    assert_eq!(r.status(), 303);
    let o = app.store.organization(pid, buckeye).await.unwrap().unwrap();
    assert_eq!(o.fields.name, "Buckeye Mutual Insurance");
    let r = p
        .post(
            &aorg,
            &borg,
            &[("name", "Taken over"), ("category", "employer")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let o = app.store.organization(pid, acme).await.unwrap().unwrap();
    assert_eq!(o.fields.name, "Acme Claims", "nothing changed");
    let r = p
        .post(&format!("{borg}/archive"), &borg, &[("confirm", "yes")])
        .await;
    assert_eq!(r.status(), 403, "archiving stays with staff");
    let r = b
        .post(
            &format!("{murl}/actions"),
            &murl,
            &[("text", "Host a site tour"), ("owner", &dana.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let danas = app
        .store
        .actions(pid, None)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.owner_contact_id == Some(dana))
        .unwrap()
        .id;
    let r = p
        .post(
            &format!("/p/{pid}/partners/actions/{danas}/status"),
            &list,
            &[("status", "done"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/p/{pid}/partners/meetings#actions"),
        "no open redirect"
    );
    assert_eq!(
        app.store.action(pid, danas).await.unwrap().unwrap().status,
        ActionStatus::Done
    );
    // With an employer-led item, that flag clears.
    let (_, html) = b.text(&list).await;
    assert!(!html.contains("No employer leads"));
    // Viewers read only.
    let v = app.signed_in("vi@example.org", PW).await;
    assert_eq!(v.get(&murl).await.status(), 200);
    let r = v
        .post(
            &list,
            &list,
            &[("kind", "forum"), ("title", "X"), ("held_on", &today)],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Outreach: a second touch of the same employer within 30 days asks first.
    let out = format!("/p/{pid}/partners/outreach");
    let touch = |ack: bool| {
        let mut f = vec![
            ("employer", acme.to_string()),
            ("employer_contact", lee.to_string()),
            ("by_organization", cscc.to_string()),
            ("by_name", "Sam Ortiz".to_string()),
            ("touched_on", today.clone()),
            ("channel", "phone".to_string()),
            ("purpose", "Invite to the roundtable".to_string()),
        ];
        if ack {
            f.push(("acknowledged", "1".into()));
        }
        f
    };
    let as_refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let f1 = as_refs(&touch(false));
    let f1: Vec<(&str, &str)> = f1.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = p.post(&out, &out, &f1).await;
    assert_eq!(r.status(), 303, "partners log touches");
    let r = b.post(&out, &out, &f1).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Acme Claims was contacted in the last 30 days"),
        "{html}"
    );
    assert!(
        html.contains("Invite to the roundtable"),
        "the earlier touch is shown"
    );
    let f2 = touch(true);
    let f2: Vec<(&str, &str)> = f2.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&out, &out, &f2).await;
    assert_eq!(r.status(), 303);
    let r = b
        .post(
            &out,
            &out,
            &[
                ("employer", &acme.to_string()),
                ("touched_on", "2999-01-01"),
                ("channel", "fax"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["touched_on", "channel", "purpose"] {
        assert!(body.contains(&format!("href=\"#t-{f}\"")), "{f}");
    }
    assert_eq!(app.store.touches(pid, Some(acme)).await.unwrap().len(), 2);
    let (_, html) = b.text(&format!("{out}?employer={acme}")).await;
    assert!(html.contains("Touches of Acme Claims in the last 90 days"));
    assert_eq!(
        v.post(&out, &out, &f2).await.status(),
        403,
        "viewers do not log"
    );

    // Employer voice, shown beside the target-industry table.
    let voice = format!("/p/{pid}/partners/voice");
    let r = b
        .post(
            &voice,
            &voice,
            &[
                ("statement", ""),
                ("kind", "skills_gap"),
                ("employers", "0"),
                ("occupations", "13-1031x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = b
        .post(
            &voice,
            &voice,
            &[
                ("statement", "New adjusters lack estimating software skills"),
                ("kind", "skills_gap"),
                ("industry_code", "524"),
                ("occupations", "13-1031"),
                ("employers", "4"),
                ("source", &format!("m{mid}")),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&voice).await;
    assert!(html.contains("New adjusters lack estimating software skills"));
    assert!(html.contains("Insurance roundtable, "), "source");
    let (s, html) = b.text(&format!("/p/{pid}/regions/{rid}")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("What employers say about these industries"),
        "beside the table"
    );
    assert!(html.contains("New adjusters lack estimating software skills"));

    // Thresholds: checked, saved, used.
    let r = b
        .post(
            &format!("/p/{pid}/partners/settings"),
            &list,
            &[("min_target_employers", "abc")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = b
        .post(
            &format!("/p/{pid}/partners/settings"),
            &list,
            &[
                ("min_target_employers", "2"),
                ("falling_meetings", "3"),
                ("lost_window_days", "90"),
                ("lost_max", "2"),
                ("voices_meetings", "5"),
                ("voices_max", "2"),
                ("overdue_max", "1"),
                ("quiet_days", "60"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store.settings(pid).await.unwrap().min_target_employers,
        2
    );
    let (_, html) = b.text(&list).await;
    assert!(
        html.contains("1 action items are past due"),
        "overdue_max 1 fires"
    );
    let (_, html) = b.text(&format!("/p/{pid}/partners")).await;
    assert!(html.contains("at least 2 of their employers"));

    // CSV exports.
    for (url, needle) in [
        (
            format!("{list}?format=csv&table=meetings"),
            "Insurance roundtable",
        ),
        (
            format!("{list}?format=csv&table=actions"),
            "Map the adjuster curriculum",
        ),
        (format!("{out}?format=csv"), "Invite to the roundtable"),
        (format!("{voice}?format=csv"), "estimating software"),
    ] {
        let r = b.get(&url).await;
        assert_eq!(r.status(), 200, "{url}");
        assert!(r.text().await.unwrap().contains(needle), "{url}");
    }
    assert_eq!(
        b.get(&format!("{list}?format=csv&table=nope"))
            .await
            .status(),
        400
    );

    // The audit trail has every kind of change.
    let log = app.store.audit_log(pid, None, 100).await.unwrap();
    for e in [
        "meeting",
        "action_item",
        "outreach_touch",
        "voice_finding",
        "settings",
    ] {
        assert!(log.iter().any(|l| l.entity == e), "{e} audited");
    }

    // Another partnership sees none of it and cannot point at it.
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&murl).await.status(), 404);
    assert_eq!(
        o.get(&format!("/p/{beta}/partners/meetings/{mid}"))
            .await
            .status(),
        404
    );
    let (_, html) = o.text(&format!("/p/{beta}/partners/outreach")).await;
    assert!(!html.contains("Acme Claims"));
    let err = app
        .store
        .set_attendance(beta, mid, &[(dana, Some(AttendanceStatus::Attended))], bob)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
    let bm = app
        .store
        .create_meeting(
            beta,
            &sectorkit_store::MeetingFields {
                kind: sectorkit_core::engagement::MeetingKind::Forum,
                title: "Beta forum".into(),
                held_on: today.parse().unwrap(),
                location: String::new(),
                agenda: vec![],
                notes: String::new(),
                decisions: vec![],
            },
            bob,
        )
        .await
        .unwrap();
    let err = app
        .store
        .set_attendance(beta, bm, &[(dana, Some(AttendanceStatus::Attended))], bob)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound),
        "alpha's contact in beta's meeting"
    );
}

/// The readiness self-assessment: every item required, weakest first, history over time.
async fn readiness_assessment_repeats_with_history(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let b = app.signed_in("ana@example.org", PW).await;
    let url = format!("/p/{pid}/partners/readiness");
    let (s, html) = b.text(&url).await;
    assert_eq!(s, 200);
    assert!(html.contains("No assessment yet"));
    let keys: Vec<&str> = sectorkit_core::readiness::ITEMS
        .iter()
        .map(|i| i.key)
        .collect();
    // Missing items are named; nothing saved.
    let r = b
        .post(
            &url,
            &url,
            &[("taken_on", "2026-01-15"), ("s_challenge", "3")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Culture: choose a score from 1 to 4")
    );
    assert!(app.store.assessments(pid).await.unwrap().is_empty());
    for (day, weak) in [("2026-01-15", "infrastructure"), ("2026-06-15", "capacity")] {
        let names: Vec<String> = keys.iter().map(|k| format!("s_{k}")).collect();
        let mut f: Vec<(&str, &str)> = vec![("taken_on", day)];
        for (k, n) in keys.iter().zip(&names) {
            f.push((n.as_str(), if *k == weak { "1" } else { "3" }));
        }
        f.push(("e_infrastructure", "No charter yet"));
        let r = b.post(&url, &url, &f).await;
        assert_eq!(r.status(), 303, "{day}");
    }
    let (_, html) = b.text(&url).await;
    // Latest result, weakest first.
    let result = &html[html.find("id=\"result\"").unwrap()..html.find("id=\"history\"").unwrap()];
    let first_row = &result[result.find("<tbody>").unwrap()..];
    assert!(
        first_row.starts_with("<tbody><tr><th scope=\"row\">Capacity</th><td class=\"num\">1</td>"),
        "{first_row}"
    );
    assert!(
        html.contains("2026-01-15") && html.contains("2026-06-15"),
        "history"
    );
    assert!(html.contains("<polyline"), "chart over time");
    let csv = b
        .get(&format!("{url}?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("2026-01-15,High-road partnership elements,infrastructure,1,No charter yet"),
        "{csv}"
    );
    // Viewers read only.
    let v = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, v, Role::Viewer)
        .await
        .unwrap();
    let vb = app.signed_in("vi@example.org", PW).await;
    assert_eq!(
        vb.post(&url, &url, &[("taken_on", "2026-07-01")])
            .await
            .status(),
        403
    );
}
