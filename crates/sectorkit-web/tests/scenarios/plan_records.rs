//! The plan's records taken together: archive and restore (the record leaves its page and comes
//! back, audited), the plan search (highlighted snippets, never another partnership's records),
//! and the signed copy of a data-sharing agreement (typed by extension, bounded, staff-only to
//! download, replaced with the old file's hash in the audit trail).

use crate::PW;
use crate::harness::{Browser, TestApp};
use sectorkit_core::role::Role;

scenarios!(archive_search_and_agreement_files);

async fn archive_search_and_agreement_files(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let plan = format!("/p/{pid}/plan");

    // A lesson, a key message and an agreement that all mention machinists.
    let l = format!("{plan}/lessons");
    let r = b
        .post(
            &l,
            &l,
            &[
                ("learned_on", "2026-06-15"),
                ("chapter", "managing"),
                ("worked", "Employers chaired the meetings"),
                ("why", "CNC Machinist shortages were their own agenda"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let m = format!("{plan}/marketing");
    let r = b
        .post(
            &format!("{m}/messages"),
            &m,
            &[
                ("audience", "workers"),
                ("message", "Machinists earn a living wage in two years"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let a = format!("{plan}/alignment");
    let r = b
        .post(
            &format!("{a}/agreements"),
            &a,
            &[
                ("title", "UI wage records match"),
                ("parties", "State UI agency; the board"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The records page lists them by kind; archiving the lesson takes it off the lessons page.
    let rec = format!("{plan}/records");
    let (code, html) = b.text(&rec).await;
    assert_eq!(code, 200);
    let lesson_id = id_after(&html, "id=\"lesson-");
    let message_id = id_after(&html, "id=\"key_message-");
    let agreement_id = id_after(&html, "id=\"data_agreement-");
    assert!(html.contains("Nothing is archived."));
    let r = b
        .post(&format!("{rec}/lesson/{lesson_id}/archive"), &rec, &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(crate::harness::location(&r).contains("notice=archived"));
    let (_, html) = b.text(&l).await;
    assert!(
        !html.contains("Employers chaired the meetings"),
        "archived lesson gone from its page"
    );
    let (_, html) = b.text(&rec).await;
    assert!(html.contains(&format!("id=\"archived-lesson-{lesson_id}\"")));
    assert!(!html.contains("Nothing is archived."));
    // Archiving twice, an unknown kind, a kind archived elsewhere: not found.
    for path in [
        format!("{rec}/lesson/{lesson_id}/archive"),
        format!("{rec}/vibes/{lesson_id}/archive"),
        format!("{rec}/industry_issue/{lesson_id}/archive"),
    ] {
        assert_eq!(b.post(&path, &rec, &[]).await.status(), 404, "{path}");
    }
    // The search does not find archived records.
    let (_, html) = b.text(&format!("{plan}/search?q=chaired")).await;
    assert!(html.contains("Nothing in the plan contains"), "{html}");
    let r = b
        .post(&format!("{rec}/lesson/{lesson_id}/restore"), &rec, &[])
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&l).await;
    assert!(html.contains("Employers chaired the meetings"), "restored");
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    for action in ["archive", "restore"] {
        assert!(
            log.iter()
                .any(|e| e.entity == "lesson" && e.entity_id == lesson_id && e.action == action),
            "{action} audited"
        );
    }

    // Search: case-insensitive, several kinds, the match highlighted in its snippet.
    let (code, html) = b.text(&format!("{plan}/search?q=MACHINIST")).await;
    assert_eq!(code, 200);
    assert!(html.contains("2 records found"), "{html}");
    assert!(html.contains("<mark>Machinist</mark>"), "lesson snippet");
    assert!(html.contains("<mark>Machinists</mark>") || html.contains("<mark>Machinist</mark>s"));
    assert!(html.contains(&format!("/p/{pid}/plan/lessons#lesson-{lesson_id}")));
    assert!(html.contains(&format!("/p/{pid}/plan/marketing#messages")));
    let _ = message_id;
    // A term that is too long is refused with a message, not an error page.
    let long = "x".repeat(101);
    let (code, html) = b.text(&format!("{plan}/search?q={long}")).await;
    assert_eq!(code, 200);
    assert!(html.contains("Search for at most 100 characters."));

    // Agreement file: a wrong type and an empty file are refused; nothing is attached.
    let upload = |who: &Browser, gid: i64, name: &str, bytes: Vec<u8>, token: String| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        who.http
            .post(app.url(&format!(
                "/p/{pid}/plan/alignment/agreements/{gid}/file?csrf={token}"
            )))
            .header("connection", "close")
            .multipart(form)
            .send()
    };
    let csrf = b.csrf_from(&a).await;
    let r = upload(&b, agreement_id, "dsa.exe", b"MZ".to_vec(), csrf.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("dsa.exe") && body.contains("Nothing was saved"),
        "{body}"
    );
    let r = upload(&b, agreement_id, "dsa.pdf", Vec::new(), csrf.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let too_big = vec![b'%'; 5 * 1024 * 1024 + 1];
    let r = upload(&b, agreement_id, "dsa.pdf", too_big, csrf.clone())
        .await
        .unwrap();
    assert!(
        r.status() == 400 || r.status() == 413,
        "oversize: {}",
        r.status()
    );
    let file = format!("{a}/agreements/{agreement_id}/file");
    assert_eq!(b.get(&file).await.status(), 404, "nothing attached yet");

    // A real one, then a replacement: the download is the latest, typed from the extension.
    let pdf = b"%PDF-1.4\n% signed copy v1\n".to_vec();
    let r = upload(
        &b,
        agreement_id,
        "C:\\scans\\DSA \"signed\".PDF",
        pdf,
        csrf.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = b.text(&a).await;
    assert!(
        html.contains("DSA signed.PDF"),
        "the cleaned name is listed"
    );
    let v2 = b"%PDF-1.4\n% signed copy v2, with the amendment\n".to_vec();
    let r = upload(&b, agreement_id, "dsa-v2.pdf", v2.clone(), csrf.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = b.get(&file).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    assert_eq!(
        r.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"dsa-v2.pdf\""
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().to_vec(), v2);
    let log = app.store.audit_log(pid, None, 200).await.unwrap();
    let attaches: Vec<_> = log
        .iter()
        .filter(|e| e.entity == "data_agreement" && e.action == "attach")
        .collect();
    assert_eq!(attaches.len(), 2);
    assert!(
        attaches
            .iter()
            .any(|e| e.detail.contains("DSA signed.PDF") && e.detail.contains("dsa-v2.pdf")),
        "the replacement names the replaced file"
    );

    // Viewers: read the records page and the search, see the file's name, but cannot download,
    // attach, archive or restore.
    let v = app.signed_in("vi@example.org", PW).await;
    let (code, html) = v.text(&rec).await;
    assert_eq!(code, 200);
    assert!(
        !html.contains("/archive\""),
        "no archive buttons for viewers"
    );
    assert_eq!(v.text(&format!("{plan}/search?q=machinist")).await.0, 200);
    assert_eq!(v.get(&file).await.status(), 403);
    assert_eq!(
        v.post(
            &format!("{rec}/key_message/{message_id}/archive"),
            &rec,
            &[]
        )
        .await
        .status(),
        403
    );
    let vcsrf = v.csrf_from(&a).await;
    let r = upload(&v, agreement_id, "x.pdf", b"%PDF".to_vec(), vcsrf)
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Another partnership: none of it, by id or by search.
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let o = app.signed_in("bob@example.org", PW).await;
    assert_eq!(o.get(&rec).await.status(), 404);
    assert_eq!(o.get(&file).await.status(), 404);
    let bp = format!("/p/{beta}/plan");
    let (_, html) = o.text(&format!("{bp}/search?q=machinist")).await;
    assert!(html.contains("Nothing in the plan contains"), "{html}");
    let brec = format!("{bp}/records");
    assert_eq!(
        o.post(&format!("{brec}/lesson/{lesson_id}/archive"), &brec, &[])
            .await
            .status(),
        404,
        "another partnership's lesson id"
    );
    assert_eq!(
        o.get(&format!("{bp}/alignment/agreements/{agreement_id}/file"))
            .await
            .status(),
        404
    );
    let bcsrf = o.csrf_from(&format!("{bp}/alignment")).await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF".to_vec()).file_name("x.pdf"),
    );
    let r = o
        .http
        .post(app.url(&format!(
            "{bp}/alignment/agreements/{agreement_id}/file?csrf={bcsrf}"
        )))
        .header("connection", "close")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "attach to another partnership's agreement");
    let r = o.get(&file).await;
    assert_eq!(r.status(), 404);
    // Alpha's file is unchanged.
    assert_eq!(b.get(&file).await.bytes().await.unwrap().to_vec(), v2);
}

/// The number right after `prefix` in `html` (an element id like `lesson-12`).
fn id_after(html: &str, prefix: &str) -> i64 {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {html}"))
        + prefix.len();
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}
