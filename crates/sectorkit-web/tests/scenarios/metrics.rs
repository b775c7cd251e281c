//! Participant outcomes: a provider's file is matched to our fields (the matching saved for the
//! next file), refused whole with line and field when it has a bad value or a Social Security
//! number, imported all or nothing with pseudonymous keys (a re-import updates the same
//! people), and shown as WIOA-style indicators whose small cells are suppressed on the page and
//! in the CSV. Viewers read, do not import; another partnership sees nothing.

use crate::PW;
use crate::harness::{Browser, TestApp, location};
use sectorkit_core::role::Role;

scenarios!(participant_outcomes_import_and_suppression);

/// 40 exiters of 2024Q1 in one program: 25 women (20 employed in Q2), 12 men (6 employed),
/// 3 with sex not reported (1 employed); ids A-0 … A-39.
fn cohort_csv() -> String {
    let mut s =
        String::from("Client ID,Program Name,Exit Date,Employed Q2,Q2 Earnings,Gender,DOB\n");
    let mut i = 0;
    for (n, employed, sex) in [(25, 20, "F"), (12, 6, "M"), (3, 1, "")] {
        for j in 0..n {
            let emp = j < employed;
            s.push_str(&format!(
                "A-{i},CNC Bootcamp,2024-02-10,{},{},{sex},1990-05-0{}\n",
                if emp { "yes" } else { "no" },
                if emp { "6000" } else { "" },
                1 + (i % 9)
            ));
            i += 1;
        }
    }
    s
}

async fn upload(
    app: &TestApp,
    who: &Browser,
    pid: impl std::fmt::Display,
    name: &str,
    body: &[u8],
) -> reqwest::Response {
    let token = who.csrf_from(&format!("/p/{pid}/metrics")).await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(body.to_vec()).file_name(name.to_string()),
    );
    who.http
        .post(app.url(&format!("/p/{pid}/metrics/participants?csrf={token}")))
        .header("connection", "close")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn participant_outcomes_import_and_suppression(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let m = format!("/p/{pid}/metrics");
    let (code, html) = b.text(&m).await;
    assert_eq!(code, 200);
    assert!(html.contains("No participant records yet."));

    // Upload: staged, then the mapping page with the file's columns.
    let r = upload(&app, &b, pid, "cohort.csv", cohort_csv().as_bytes()).await;
    assert_eq!(r.status(), 303);
    let map = location(&r);
    assert!(
        map.starts_with(&format!("/p/{pid}/metrics/participants/")),
        "{map}"
    );
    let (code, html) = b.text(&map).await;
    assert_eq!(code, 200);
    assert!(html.contains("40 data rows"));
    assert!(html.contains("<option value=\"Client ID\">Client ID</option>"));

    // Required fields not matched: refused at line 1 naming the field; nothing imported.
    let r = b.post(&map, &map, &[("map_exited_on", "Exit Date")]).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Nothing was imported"));
    assert!(body.contains("<code>participant_id</code>") && body.contains("<code>program</code>"));
    assert!(app.store.participants(pid).await.unwrap().is_empty());

    let mapping: [(&str, &str); 6] = [
        ("map_participant_id", "Client ID"),
        ("map_program", "Program Name"),
        ("map_exited_on", "Exit Date"),
        ("map_employed_q2", "Employed Q2"),
        ("map_earnings_q2", "Q2 Earnings"),
        ("map_sex", "Gender"),
    ];
    let mut with_dob: Vec<(&str, &str)> = mapping.to_vec();
    with_dob.push(("map_date_of_birth", "DOB"));
    let r = b.post(&map, &map, &with_dob).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let after = location(&r);
    assert!(
        after.contains("notice=imported&created=40&updated=0"),
        "{after}"
    );
    let stored = app.store.participants(pid).await.unwrap();
    assert_eq!(stored.len(), 40);
    assert!(
        stored
            .iter()
            .all(|p| p.key.len() == 64 && !p.key.contains("A-"))
    );
    assert!(
        stored
            .iter()
            .all(|p| p.demographics.age_band.as_deref() == Some("25-34"))
    );
    // The staged file is gone once imported.
    assert_eq!(b.get(&map).await.status(), 404);

    // The page: overall 67.5% employed; the 3 "not reported" suppressed, the 12 men hidden
    // with them; women 80.0%, +12.5 points.
    let (_, html) = b.text(&after).await;
    assert!(html.contains("Imported: 40 new participant records, 0 updated."));
    assert!(html.contains("67.5%"), "overall rate");
    assert!(
        html.contains("80.0%") && html.contains("+12.5 pts"),
        "women and their gap"
    );
    assert!(!html.contains("50.0%"), "men's rate (6 of 12) is not shown");
    assert!(!html.contains("33.3%"), "the 3's rate is not shown");
    assert!(html.contains("suppressed (fewer than k persons)"));
    assert!(html.contains("suppressed (so another cell cannot be derived)"));
    assert!(
        html.contains("$6,000"),
        "median earnings in the cohort table"
    );
    // The CSV says the same, with the suppressed values empty.
    let r = b
        .get(&format!("{m}?indicator=employment_q2&by=sex&format=csv"))
        .await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains("employment_q2,sex,all,40,0.6750,,published"),
        "{csv}"
    );
    assert!(
        csv.contains("employment_q2,sex,F,25,0.8000,12.50,published"),
        "{csv}"
    );
    assert!(
        csv.contains("employment_q2,sex,M,,,,suppressed_complementary"),
        "{csv}"
    );
    assert!(
        csv.contains("employment_q2,sex,not reported,,,,suppressed_primary"),
        "{csv}"
    );
    // Bad settings are refused with the parameter named.
    let r = b.get(&format!("{m}?by=shoe_size")).await;
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("by: ") && body.contains("shoe_size"),
        "{body}"
    );

    // A second file with the saved matching preselected: a bad value and an SSN refuse it
    // whole, by line and field; nothing changes.
    let bad = "Client ID,Program Name,Exit Date,Employed Q2,Q2 Earnings,Gender,Notes\n\
               A-0,CNC Bootcamp,2024-02-10,maybe,,F,\n\
               A-1,CNC Bootcamp,2024-02-10,yes,,F,123-45-6789\n";
    let r = upload(&app, &b, pid, "bad.csv", bad.as_bytes()).await;
    assert_eq!(r.status(), 303);
    let map2 = location(&r);
    let (_, html) = b.text(&map2).await;
    assert!(
        html.contains("<option value=\"Client ID\" selected>"),
        "saved matching preselected"
    );
    let r = b.post(&map2, &map2, &mapping).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<td class=\"num\">2</td><td><code>employed_q2</code></td>"),
        "{body}"
    );
    assert!(
        body.contains("<td class=\"num\">3</td><td><code>Notes</code></td>"),
        "{body}"
    );
    assert!(body.contains("Social Security"));
    let again = app.store.participants(pid).await.unwrap();
    assert_eq!(again, stored, "nothing changed");

    // A correction re-imported: the same person (same pseudonym) is updated, not added.
    let fix = "Client ID,Program Name,Exit Date,Employed Q2,Q2 Earnings,Gender\n\
               A-39,CNC Bootcamp,2024-02-10,yes,7000,\n";
    let r = upload(&app, &b, pid, "fix.csv", fix.as_bytes()).await;
    let map3 = location(&r);
    let r = b.post(&map3, &map3, &mapping).await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("created=0&updated=1"));
    assert_eq!(app.store.participants(pid).await.unwrap().len(), 40);

    // Not a table: refused at upload.
    let r = upload(&app, &b, pid, "x.csv", &[0xff, 0xfe, 0x00, 0x01]).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("UTF-16"));
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.entity == "participant_import")
            .count(),
        2
    );
    assert!(
        log.iter().all(|e| !e.detail.contains("A-1")),
        "no raw id in the audit trail"
    );
    for action in ["view", "export"] {
        assert!(
            log.iter()
                .any(|e| e.entity == "participant_data" && e.action == action),
            "{action} of participant figures audited"
        );
    }

    // Viewers read the figures but cannot import or open a staged file.
    let v = app.signed_in("vi@example.org", PW).await;
    let (code, html) = v.text(&m).await;
    assert_eq!(code, 200);
    assert!(html.contains("67.5%") || html.contains("70.0%"));
    assert!(!html.contains("Upload and match columns"));
    let r = upload(&app, &v, pid, "cohort.csv", cohort_csv().as_bytes()).await;
    assert_eq!(r.status(), 403);
    // A staged file (the refused one, with its problems) is participant-level: 404 for viewers
    // and partners, as if it did not exist.
    assert_eq!(v.get(&map2).await.status(), 404);
    let partner = app.user("pa@example.org", PW, false).await;
    app.store
        .set_member_role(pid, partner, Role::Partner)
        .await
        .unwrap();
    let pa = app.signed_in("pa@example.org", PW).await;
    assert_eq!(pa.get(&map2).await.status(), 404);
    assert_eq!(pa.post(&map2, &m, &mapping).await.status(), 404);

    // Another partnership: nothing of alpha's; the same ids get other pseudonyms there.
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&m).await.status(), 404);
    let (_, html) = o.text(&format!("/p/{beta}/metrics")).await;
    assert!(html.contains("No participant records yet."));
    let r = upload(&app, &o, beta, "cohort.csv", cohort_csv().as_bytes()).await;
    let omap = location(&r);
    // Alpha's staged file (the refused one, still kept) is not reachable from beta.
    let alpha_upload = map2.rsplit('/').next().unwrap();
    assert_eq!(
        o.get(&format!("/p/{beta}/metrics/participants/{alpha_upload}"))
            .await
            .status(),
        404
    );
    let r = o.post(&omap, &omap, &mapping).await;
    assert_eq!(r.status(), 303);
    let theirs = app.store.participants(beta).await.unwrap();
    assert_eq!(theirs.len(), 40);
    let ours: std::collections::HashSet<String> = stored.iter().map(|p| p.key.clone()).collect();
    assert!(
        theirs.iter().all(|p| !ours.contains(&p.key)),
        "a partnership's key makes its own pseudonyms"
    );
}
