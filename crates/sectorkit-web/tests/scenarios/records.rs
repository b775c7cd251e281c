//! Single convening records: an action item, an outreach touch and an employer-voice finding
//! opened, edited (with each role's limits), archived and restored, each with its history; the
//! partnership's History page with its filter and paging; and tenant isolation of all of it.

use crate::PW;
use crate::harness::{TestApp, location};
use sectorkit_core::engagement::{ActionStatus, Channel, VoiceType};
use sectorkit_core::partners::OrgCategory;
use sectorkit_core::role::Role;
use sectorkit_store::{
    ActionFields, ContactFields, FindingFields, OrganizationFields, TouchFields,
};

scenarios!(records_edit_archive_and_history);

async fn records_edit_archive_and_history(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let partner = app.user("dana@cscc.example", PW, false).await;
    app.store
        .set_member_role(pid, partner, Role::Partner)
        .await
        .unwrap();
    let org = |name: &str, category: OrgCategory| OrganizationFields {
        name: name.into(),
        category,
        county: Some("39049".into()),
        ..OrganizationFields::default()
    };
    let acme = app
        .store
        .create_organization(pid, &org("Acme Claims", OrgCategory::Employer), owner)
        .await
        .unwrap();
    let zen = app
        .store
        .create_organization(pid, &org("Zenith Mutual", OrgCategory::Employer), owner)
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
        .create_contact(pid, &person(cscc, "Dana Ruiz", "dana@cscc.example"), owner)
        .await
        .unwrap();
    let lee = app
        .store
        .create_contact(pid, &person(acme, "Lee Park", "lee@acme.example"), owner)
        .await
        .unwrap();
    let zoe = app
        .store
        .create_contact(pid, &person(zen, "Zoe Kim", "zoe@zenith.example"), owner)
        .await
        .unwrap();
    let action = |text: &str, who: i64| ActionFields {
        meeting_id: None,
        text: text.into(),
        owner_contact_id: Some(who),
        due_on: Some("2026-06-01".parse().unwrap()),
    };
    let danas = app
        .store
        .create_action(pid, &action("Draft the curriculum map", dana), owner)
        .await
        .unwrap();
    let lees = app
        .store
        .create_action(pid, &action("Host a site tour", lee), owner)
        .await
        .unwrap();

    let b = app.signed_in("ana@example.org", PW).await;
    let p = app.signed_in("dana@cscc.example", PW).await;
    let v = app.signed_in("vi@example.org", PW).await;

    // ----- an action item -----
    let aurl = format!("/p/{pid}/partners/actions/{danas}");
    let (code, html) = v.text(&aurl).await;
    assert_eq!(code, 200);
    assert!(html.contains("Draft the curriculum map"));
    assert!(!html.contains("id=\"edit-h\""), "viewers get no form");
    let (_, html) = p.text(&aurl).await;
    assert!(html.contains("id=\"edit-h\""), "the owner gets the form");
    assert!(
        !html.contains("id=\"a-owner\""),
        "a partner cannot reassign"
    );
    // The owner changes text, due date and status; an owner in the form is ignored.
    let r = p
        .post(
            &aurl,
            &aurl,
            &[
                ("text", "Draft the adjuster curriculum map"),
                ("owner", &lee.to_string()),
                ("due_on", "2026-07-01"),
                ("status", "done"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{aurl}?notice=saved"));
    let a = app.store.action(pid, danas).await.unwrap().unwrap();
    assert_eq!(a.text, "Draft the adjuster curriculum map");
    assert_eq!(a.owner_contact_id, Some(dana), "owner kept");
    assert_eq!(a.due_on, Some("2026-07-01".parse().unwrap()));
    assert_eq!(a.status, ActionStatus::Done);
    let (_, html) = b.text(&aurl).await;
    assert!(
        html.contains("due_on: 2026-06-01 → 2026-07-01"),
        "its history says what changed"
    );
    assert!(html.contains("status: open → done"));
    // Not someone else's item.
    let lurl = format!("/p/{pid}/partners/actions/{lees}");
    let r = p
        .post(&lurl, &lurl, &[("text", "Mine now"), ("status", "open")])
        .await;
    assert_eq!(r.status(), 403);
    // Staff reassign it; bad input names its field and saves nothing.
    let r = b
        .post(
            &lurl,
            &lurl,
            &[
                ("text", ""),
                ("owner", &zoe.to_string()),
                ("due_on", "2026-02-30"),
                ("status", "someday"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for f in ["text", "due_on", "status"] {
        assert!(body.contains(&format!("href=\"#a-{f}\"")), "{f}");
    }
    assert_eq!(
        app.store.action(pid, lees).await.unwrap().unwrap().text,
        "Host a site tour"
    );
    let r = b
        .post(
            &lurl,
            &lurl,
            &[
                ("text", "Host a site tour"),
                ("owner", &zoe.to_string()),
                ("due_on", ""),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = app.store.action(pid, lees).await.unwrap().unwrap();
    assert_eq!((a.owner_contact_id, a.due_on), (Some(zoe), None));

    // ----- an outreach touch -----
    let out = format!("/p/{pid}/partners/outreach");
    let today = sectorkit_core::day::Day::from_unix(sectorkit_store::now_unix()).to_string();
    let r = p
        .post(
            &out,
            &out,
            &[
                ("employer", &acme.to_string()),
                ("employer_contact", &lee.to_string()),
                ("by_organization", &cscc.to_string()),
                ("by_name", "Dana Ruiz"),
                ("touched_on", &today),
                ("channel", "phone"),
                ("purpose", "Invite to the roundtable"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mine = app.store.touches(pid, Some(acme)).await.unwrap()[0].id;
    let staffs = app
        .store
        .create_touch(
            pid,
            &TouchFields {
                employer_id: zen,
                employer_contact_id: Some(zoe),
                by_organization_id: None,
                by_name: "Ana".into(),
                touched_on: today.parse().unwrap(),
                channel: Channel::Email,
                purpose: "Ask for job postings".into(),
                outcome: String::new(),
                next_step: String::new(),
            },
            owner,
        )
        .await
        .unwrap();
    let (_, html) = b.text(&out).await;
    assert!(
        html.contains(&format!("href=\"{out}/{mine}\"")),
        "the ledger links each touch"
    );
    // The ledger is searchable (employer, person, partner, purpose, outcome, next step).
    let (_, html) = b.text(&format!("{out}?q=job+POSTINGS")).await;
    assert!(html.contains("Ask for job postings"));
    assert!(!html.contains("Invite to the roundtable"), "only the match");
    let (_, html) = b.text(&format!("{out}?q=columbus")).await;
    assert!(
        html.contains("Invite to the roundtable"),
        "by partner organization"
    );
    assert!(!html.contains("Ask for job postings"));
    let (_, html) = b.text(&format!("{out}?q=nothing-like-this")).await;
    assert!(html.contains("No touches match"));
    let turl = format!("{out}/{mine}");
    let edited = |outcome: &str, contact: i64| {
        vec![
            ("employer", acme.to_string()),
            ("employer_contact", contact.to_string()),
            ("by_organization", cscc.to_string()),
            ("by_name", "Dana Ruiz".to_string()),
            ("touched_on", today.clone()),
            ("channel", "phone".to_string()),
            ("purpose", "Invite to the roundtable".to_string()),
            ("outcome", outcome.to_string()),
        ]
    };
    let refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let f = refs(&edited("Will attend", lee));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = p.post(&turl, &turl, &f).await;
    assert_eq!(r.status(), 303, "the partner who logged it edits it");
    let t = app.store.touch(pid, mine).await.unwrap().unwrap();
    assert_eq!(t.fields.outcome, "Will attend");
    // Zenith's person is not Acme's: refused, nothing saved.
    let f = refs(&edited("Changed", zoe));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&turl, &turl, &f).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("href=\"#t-employer_contact\"")
    );
    assert_eq!(
        app.store
            .touch(pid, mine)
            .await
            .unwrap()
            .unwrap()
            .fields
            .outcome,
        "Will attend"
    );
    // Not another partner's or staff's touch.
    let surl = format!("{out}/{staffs}");
    let r = p.post(&surl, &surl, &f).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        p.post(&format!("{surl}/archive"), &surl, &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        v.post(&format!("{turl}/archive"), &turl, &[])
            .await
            .status(),
        403,
        "viewers read"
    );
    // Archived: out of the ledger and the recent-touch warning; history kept; restorable.
    let r = b.post(&format!("{turl}/archive"), &turl, &[]).await;
    assert_eq!(r.status(), 303);
    assert!(app.store.touches(pid, Some(acme)).await.unwrap().is_empty());
    let (_, html) = b.text(&out).await;
    assert!(!html.contains("Invite to the roundtable"));
    let (code, html) = b.text(&turl).await;
    assert_eq!(code, 200);
    assert!(html.contains("This touch is archived"));
    assert!(html.contains("outcome: — → Will attend"), "history kept");
    let r = b.post(&format!("{turl}/restore"), &turl, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.touches(pid, Some(acme)).await.unwrap().len(), 1);

    // ----- an employer-voice finding -----
    let fid = app
        .store
        .create_finding(
            pid,
            &FindingFields {
                statement: "New adjusters lack estimating software skills".into(),
                kind: VoiceType::SkillsGap,
                industry_code: "524".into(),
                occupations: vec!["13-1031".into()],
                employers: 4,
                meeting_id: None,
                touch_id: Some(mine),
            },
            owner,
        )
        .await
        .unwrap();
    let voice = format!("/p/{pid}/partners/voice");
    let furl = format!("{voice}/{fid}");
    let (_, html) = b.text(&voice).await;
    assert!(html.contains(&format!("href=\"{furl}\"")));
    let (_, html) = b.text(&furl).await;
    assert!(
        html.contains(&format!("value=\"t{mine}\" selected")),
        "the form starts from the record"
    );
    let fields = |employers: &str, source: &str| {
        vec![
            (
                "statement",
                "New adjusters lack estimating software skills".to_string(),
            ),
            ("kind", "skills_gap".to_string()),
            ("industry_code", "524".to_string()),
            ("occupations", "13-1031, 13-1032".to_string()),
            ("employers", employers.to_string()),
            ("source", source.to_string()),
        ]
    };
    let f = refs(&fields("5", &format!("t{mine}")));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(p.post(&furl, &furl, &f).await.status(), 403, "staff only");
    let r = b.post(&furl, &furl, &f).await;
    assert_eq!(r.status(), 303);
    let got = app.store.finding(pid, fid).await.unwrap().unwrap();
    assert_eq!(got.fields.employers, 5);
    assert_eq!(got.fields.occupations, ["13-1031", "13-1032"]);
    let (_, html) = b.text(&furl).await;
    assert!(
        html.contains("employers: 4 → 5"),
        "numbers read in the history"
    );
    let bad = refs(&fields("0", "t999999"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&furl, &furl, &bad).await;
    assert_eq!(r.status(), 422);
    let r = b.post(&format!("{furl}/archive"), &furl, &[]).await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&voice).await;
    assert!(
        !html.contains("estimating software"),
        "archived: off the list"
    );
    assert!(app.store.findings(pid, None).await.unwrap().is_empty());
    let (_, html) = v.text(&furl).await;
    assert!(html.contains("This finding is archived"));
    assert_eq!(
        b.post(&format!("{furl}/restore"), &furl, &[])
            .await
            .status(),
        303
    );
    assert_eq!(app.store.findings(pid, None).await.unwrap().len(), 1);

    // ----- the History page -----
    let hist = format!("/p/{pid}/partners/history");
    let (code, html) = v.text(&hist).await;
    assert_eq!(code, 200, "every member reads the trail");
    for needle in [
        "Draft the adjuster curriculum map",
        "archive outreach_touch",
        "restore voice_finding",
        "create organization",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(
        html.contains(&format!("href=\"{furl}\"")),
        "entries link to the record"
    );
    let (_, html) = b.text(&format!("{hist}?kind=outreach_touch")).await;
    assert!(html.contains("archive outreach_touch"));
    assert!(!html.contains("create organization"), "filtered");
    assert_eq!(b.get(&format!("{hist}?kind=bogus")).await.status(), 422);
    // Paging: 100 to a page, the rest behind "Older changes".
    for i in 0..90 {
        let st = if i % 2 == 0 {
            ActionStatus::Dropped
        } else {
            ActionStatus::Open
        };
        app.store
            .set_action_status(pid, lees, st, owner)
            .await
            .unwrap();
    }
    let total = app.store.audit_log(pid, None, 1000).await.unwrap().len();
    assert!(total > 100, "{total}");
    let (_, html) = b.text(&hist).await;
    assert_eq!(html.matches("<tr><td>").count(), 100);
    let older = html
        .split("href=\"")
        .find(|s| s.contains("history?before="))
        .and_then(|s| s.split('"').next())
        .expect("a link to older changes")
        .replace("&amp;", "&");
    let (_, html) = b.text(&older).await;
    assert_eq!(html.matches("<tr><td>").count(), total - 100);
    assert!(html.contains("create organization"), "the oldest entries");

    // ----- another partnership sees none of it -----
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    for url in [&aurl, &turl, &furl, &hist] {
        assert_eq!(o.get(url).await.status(), 404, "{url}");
    }
    for url in [
        format!("/p/{beta}/partners/actions/{danas}"),
        format!("/p/{beta}/partners/outreach/{mine}"),
        format!("/p/{beta}/partners/voice/{fid}"),
    ] {
        assert_eq!(o.get(&url).await.status(), 404, "{url}");
    }
    let r = o
        .post(
            &format!("/p/{beta}/partners/outreach/{mine}/archive"),
            &format!("/p/{beta}/partners/history"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    let (_, html) = o.text(&format!("/p/{beta}/partners/history")).await;
    assert!(!html.contains("Acme Claims") && !html.contains("curriculum"));
    assert_eq!(app.store.touches(pid, Some(acme)).await.unwrap().len(), 1);
}
