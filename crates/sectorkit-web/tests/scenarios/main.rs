//! Scenario tests: one suite, run unchanged against SQLite and PostgreSQL.
//!
//! Each scenario is an `async fn(TestApp)`; the `scenarios!` macro makes a test of it for each
//! backend (`sqlite::name`, `postgres::name`). The macro works in any module of this crate: an
//! area with many scenarios keeps them in its own file (a `mod` line after the macro) with its own
//! `scenarios!(...)` list, so branches add files rather than edit one list.

mod harness;

use harness::{Backend, TestApp, extract_csrf, location};
use sectorkit_core::role::Role;
use sectorkit_web::auth;

const PW: &str = "a long enough password";

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::harness::TestApp::spawn(crate::harness::Backend::Sqlite).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::harness::TestApp::spawn(crate::harness::Backend::Postgres).await).await
                }
            )*
        }
    };
}

mod workbook;

scenarios!(
    health_and_anonymous_redirects,
    login_is_generic_and_logout_ends_the_session,
    csrf_is_required_on_every_state_change,
    forged_and_expired_sessions_are_signed_out,
    login_is_throttled_per_account_and_per_ip,
    invitation_creates_account_and_joins_once,
    roles_limit_what_members_can_do,
    other_partnerships_are_invisible,
    admins_create_partnerships,
    owners_manage_members_but_keep_an_owner,
    pages_render_errors_helpfully,
    migrations_are_idempotent,
    regions_targets_and_shortlist,
    data_panel_verifies_and_uploads,
    occupations_page,
    commute_page,
);

mod reports;

mod api;

mod downloads;
mod funding;

mod alignment;
mod convening;
mod metrics;
mod partners;
mod plan;
mod plan_page;
mod plan_records;
mod records;
mod sustain;

async fn health_and_anonymous_redirects(app: TestApp) {
    let b = app.client();
    let r = b.get("/healthz").await;
    assert_eq!(r.status(), 200);
    for path in [
        "/",
        "/p/1",
        "/p/1/members",
        "/p/1/region",
        "/account",
        "/partnerships/new",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        let loc = location(&r);
        assert!(loc.starts_with("/login?next="), "{path} -> {loc}");
    }
    let (s, html) = b.text("/login").await;
    assert_eq!(s, 200);
    assert!(html.contains("<label for=\"email\">Email</label>"));
    assert!(html.contains("<label for=\"password\">Password</label>"));
    let css = b.get("/static/app.css").await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

async fn login_is_generic_and_logout_ends_the_session(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;

    // Unknown account and wrong password: same status, same message.
    let b = app.client();
    let unknown = b.login("nobody@example.org", PW).await;
    let unknown_status = unknown.status();
    let unknown_body = unknown.text().await.unwrap();
    let wrong = b.login("ana@example.org", "not the password").await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    assert_eq!(unknown_status, 401);
    assert_eq!(unknown_status, wrong_status);
    assert!(unknown_body.contains(auth::LOGIN_FAILED));
    assert!(wrong_body.contains(auth::LOGIN_FAILED));
    assert!(!wrong_body.contains("nobody"));

    // Success: redirect to `next`, cookie flags, overview visible.
    let csrf = b.csrf_from("/login").await;
    let next = format!("/p/{pid}");
    let r = b
        .post_raw(
            "/login",
            &[
                ("email", "ANA@example.org "),
                ("password", PW),
                ("next", &next),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), next);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sk_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "not configured behind TLS: {cookie}"
    );
    let token = cookie["sk_session=".len()..cookie.find(';').unwrap()].to_string();
    let (s, html) = b.text(&next).await;
    assert_eq!(s, 200);
    assert!(html.contains("Partnership alpha"));
    // Only the hash of the token is stored.
    assert!(app.store.session(&token, 0).await.unwrap().is_none());
    assert!(
        app.store
            .session(&auth::token_hash(&token), 0)
            .await
            .unwrap()
            .is_some()
    );

    // Logout ends the session server-side: replaying the old cookie no longer works.
    let r = b.post("/logout", "/account", &[]).await;
    assert_eq!(r.status(), 303);
    let replay = app.client();
    let r = replay
        .http
        .get(app.url(&next))
        .header("cookie", format!("sk_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "old session must be gone");
}

async fn csrf_is_required_on_every_state_change(app: TestApp) {
    let owner = app.user("ana@example.org", PW, true).await;
    let pid = app.partnership("alpha", owner).await;
    let b = app.signed_in("ana@example.org", PW).await;
    let path = format!("/p/{pid}/invitations");
    let fields = [("email", "new@example.org"), ("role", "partner")];

    // No token, a wrong token, and the anonymous-cookie token of another client: all refused.
    let r = b.post_raw(&path, &fields).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Nothing was changed"));
    let mut wrong = fields.to_vec();
    wrong.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    assert_eq!(b.post_raw(&path, &wrong).await.status(), 403);
    let other = app.client();
    let other_token = other.csrf_from("/login").await;
    let mut theirs = fields.to_vec();
    theirs.push(("csrf", &other_token));
    assert_eq!(b.post_raw(&path, &theirs).await.status(), 403);
    // Cross-site Origin with the right token: refused.
    let csrf = b.csrf_from("/account").await;
    let r = b
        .http
        .post(app.url(&path))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", "new@example.org"),
            ("role", "partner"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        app.store.open_invitations(pid, 0).await.unwrap().is_empty(),
        "nothing changed"
    );

    // Creating a partnership and logging out need it too.
    assert_eq!(
        b.post_raw("/partnerships", &[("name", "X")]).await.status(),
        403
    );
    assert_eq!(b.post_raw("/logout", &[]).await.status(), 403);
    assert_eq!(app.store.partnerships_of(owner).await.unwrap().len(), 1);

    // The anonymous login form needs its token as well.
    let anon = app.client();
    let r = anon
        .post_raw("/login", &[("email", "ana@example.org"), ("password", PW)])
        .await;
    assert_eq!(r.status(), 403);

    // With the token, it works.
    let r = b.post(&path, "/account", &fields).await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.store.open_invitations(pid, 0).await.unwrap().len(), 1);
}

async fn forged_and_expired_sessions_are_signed_out(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let path = format!("/p/{pid}");
    let c = app.client();
    // A forged token.
    let r = c
        .http
        .get(app.url(&path))
        .header("cookie", format!("sk_session={}", auth::random_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // An expired session.
    let token = auth::random_token();
    let csrf = auth::random_token();
    app.store
        .create_session(
            &auth::token_hash(&token),
            owner,
            &csrf,
            sectorkit_store::now_unix() - 1,
        )
        .await
        .unwrap();
    let r = c
        .http
        .get(app.url(&path))
        .header("cookie", format!("sk_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "expired session must not work");
    // And its CSRF token no longer authorizes a change.
    let r = c
        .http
        .post(app.url(&format!("/p/{pid}/invitations")))
        .header("cookie", format!("sk_session={token}"))
        .form(&[
            ("email", "x@example.org"),
            ("role", "viewer"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(app.store.open_invitations(pid, 0).await.unwrap().is_empty());
}

async fn login_is_throttled_per_account_and_per_ip(app: TestApp) {
    app.user("ana@example.org", PW, false).await;
    let b = app.client();
    for _ in 0..auth::MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(
            b.login("ana@example.org", "wrong password!").await.status(),
            401
        );
    }
    // Now even the right password is refused, with the throttle message.
    let r = b.login("ana@example.org", PW).await;
    assert_eq!(r.status(), 429);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Too many failed sign-in attempts")
    );
    // Unknown accounts are throttled the same way (no enumeration by behaviour).
    for _ in 0..auth::MAX_FAILURES_PER_ACCOUNT {
        b.login("ghost@example.org", "wrong password!").await;
    }
    assert_eq!(b.login("ghost@example.org", PW).await.status(), 429);
    // Per IP: failures across many accounts from one address.
    let extra = auth::MAX_FAILURES_PER_IP - 2 * auth::MAX_FAILURES_PER_ACCOUNT;
    app.user("bo@example.org", PW, false).await;
    for i in 0..extra.max(0) {
        b.login(&format!("spray{i}@example.org"), "wrong password!")
            .await;
    }
    let r = b.login("bo@example.org", PW).await;
    assert_eq!(r.status(), 429, "IP limit reached");
}

async fn invitation_creates_account_and_joins_once(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let b = app.signed_in("ana@example.org", PW).await;
    let r = b
        .post(
            &format!("/p/{pid}/invitations"),
            "/account",
            &[("email", "Cy@Example.org"), ("role", "partner")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("/invite/").expect("link shown");
    let token = &html[start + "/invite/".len()..start + "/invite/".len() + 64];
    let link = format!("/invite/{token}");

    // A new visitor sees the sign-up form; a weak password is refused next to the field.
    let c = app.client();
    let (s, page) = c.text(&link).await;
    assert_eq!(s, 200);
    assert!(page.contains("Create account and join"));
    assert!(page.contains("cy@example.org"));
    let r = c
        .post(&link, &link, &[("name", "Cy"), ("password", "short")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("field-error"));
    let r = c
        .post(&link, &link, &[("name", "Cy Young"), ("password", PW)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/p/{pid}"));
    let (s, _) = c.text(&format!("/p/{pid}")).await;
    assert_eq!(s, 200, "new member is signed in and sees the partnership");
    let cy = app
        .store
        .user_by_email("cy@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.store.role_in(cy.id, pid).await.unwrap(),
        Some(Role::Partner)
    );

    // Used once: a second visitor finds it closed.
    let d = app.client();
    let (s, page) = d.text(&link).await;
    assert_eq!(s, 404);
    assert!(page.contains("cannot be used"));
    // A made-up token too.
    let (s, _) = d.text(&format!("/invite/{}", auth::random_token())).await;
    assert_eq!(s, 404);

    // Revoked invitations cannot be used.
    let r = b
        .post(
            &format!("/p/{pid}/invitations"),
            "/account",
            &[("email", "dee@example.org"), ("role", "viewer")],
        )
        .await;
    let html = r.text().await.unwrap();
    let start = html.find("/invite/").unwrap();
    let token2 = html[start + 8..start + 8 + 64].to_string();
    let inv = app.store.open_invitations(pid, 0).await.unwrap();
    assert_eq!(inv.len(), 1);
    let r = b
        .post(
            &format!("/p/{pid}/invitations/{}/revoke", inv[0].id),
            "/account",
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (s, _) = d.text(&format!("/invite/{token2}")).await;
    assert_eq!(s, 404);
}

async fn roles_limit_what_members_can_do(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    let staff = app.user("st@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    app.store
        .set_member_role(pid, staff, Role::Staff)
        .await
        .unwrap();

    let v = app.signed_in("vi@example.org", PW).await;
    assert_eq!(v.get(&format!("/p/{pid}")).await.status(), 200);
    assert_eq!(v.get(&format!("/p/{pid}/members")).await.status(), 200);
    let r = v
        .post(
            &format!("/p/{pid}/invitations"),
            "/account",
            &[("email", "x@example.org"), ("role", "viewer")],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Staff invite partners but not owners or staff; they cannot change roles.
    let s = app.signed_in("st@example.org", PW).await;
    let r = s
        .post(
            &format!("/p/{pid}/invitations"),
            "/account",
            &[("email", "x@example.org"), ("role", "owner")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = s
        .post(
            &format!("/p/{pid}/invitations"),
            "/account",
            &[("email", "x@example.org"), ("role", "partner")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = s
        .post(
            &format!("/p/{pid}/members/{}/role", viewer.0),
            "/account",
            &[("role", "owner")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.store.role_in(viewer, pid).await.unwrap(),
        Some(Role::Viewer)
    );
    // Non-admins cannot create partnerships.
    assert_eq!(s.get("/partnerships/new").await.status(), 403);
    let r = s
        .post("/partnerships", "/account", &[("name", "Mine")])
        .await;
    assert_eq!(r.status(), 403);
}

/// A user of partnership A gets 404 on every URL of partnership B, for every registered route.
async fn other_partnerships_are_invisible(app: TestApp) {
    let a_owner = app.user("a@example.org", PW, true).await;
    let b_owner = app.user("b@example.org", PW, false).await;
    let pa = app.partnership("alpha", a_owner).await;
    let pb = app.partnership("beta", b_owner).await;
    let a = app.signed_in("a@example.org", PW).await;
    let csrf = a.csrf_from("/account").await;
    // A's API token (owner role), for the API routes: B's records are not found with it either.
    let token = format!("skt_{}", auth::random_token());
    app.store
        .create_api_token(&sectorkit_store::NewApiToken {
            partnership: pa,
            user: a_owner,
            name: "a",
            role: Role::Owner,
            token_hash: &auth::token_hash(&token),
            prefix: &token[..12],
            expires_at: None,
        })
        .await
        .unwrap();
    let mut checked = 0;
    for (method, pattern) in sectorkit_web::routes::registered() {
        if !pattern.contains("{pid}") {
            continue;
        }
        let path = pattern
            .replace("{pid}", &pb.0.to_string())
            .replace("{section}", "region")
            .replace("{uid}", &b_owner.0.to_string())
            .replace("{id}", "1")
            .replace("{rid}", "1")
            .replace("{sid}", "1")
            .replace("{tid}", "1")
            .replace("{code}", "551");
        let r = if pattern.starts_with("/api/") {
            a.http
                .get(format!("{}{}", a.base, path))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
        } else if method == "GET" {
            a.get(&path).await
        } else {
            a.post_raw(
                &path,
                &[
                    ("csrf", &csrf),
                    ("role", "viewer"),
                    ("email", "x@example.org"),
                ],
            )
            .await
        };
        assert_eq!(
            r.status(),
            404,
            "{method} {path} must be 404 for a non-member"
        );
        let body = r.text().await.unwrap();
        assert!(
            !body.contains("Partnership beta"),
            "{method} {path} leaks the name"
        );
        checked += 1;
    }
    assert!(
        checked >= 7,
        "expected every partnership route to be checked, got {checked}"
    );
    // Nothing of B changed, and A still works.
    assert_eq!(
        app.store.role_in(b_owner, pb).await.unwrap(),
        Some(Role::Owner)
    );
    assert!(app.store.open_invitations(pb, 0).await.unwrap().is_empty());
    assert_eq!(a.get(&format!("/p/{}", pa.0)).await.status(), 200);
    // The start page lists only A's partnership.
    let (_, home) = a.text("/").await;
    assert!(home.contains("Partnership alpha"));
    assert!(!home.contains("Partnership beta"));
    // Malformed ids are 404 too, not errors.
    for bad in [
        "/p/0",
        "/p/-1",
        "/p/01",
        "/p/abc",
        "/p/99999999999999999999",
    ] {
        assert_eq!(a.get(bad).await.status(), 404, "{bad}");
    }
}

async fn admins_create_partnerships(app: TestApp) {
    app.user("admin@example.org", PW, true).await;
    let b = app.signed_in("admin@example.org", PW).await;
    let (s, html) = b.text("/partnerships/new").await;
    assert_eq!(s, 200);
    assert!(html.contains("<label for=\"name\">Name</label>"));
    // Empty name: error next to the field, nothing saved.
    let r = b
        .post("/partnerships", "/partnerships/new", &[("name", "  ")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"name-error\""));
    let r = b
        .post(
            "/partnerships",
            "/partnerships/new",
            &[
                ("name", "Healthcare Works"),
                ("description", "Nurses and techs"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = location(&r);
    let (s, html) = b.text(&loc).await;
    assert_eq!(s, 200);
    assert!(html.contains("Healthcare Works"));
    for nav in [
        "Overview",
        "industries</a>",
        "Occupations",
        "Partners",
        "Plan",
        "Funding",
        "Metrics",
        "Guide",
    ] {
        assert!(html.contains(nav), "nav shows {nav}");
    }
    // Duplicate short name: error next to the slug field.
    let r = b
        .post(
            "/partnerships",
            "/partnerships/new",
            &[("name", "Healthcare Works")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"slug-error\""));
    // Sections not built yet say so.
    let (s, html) = b.text(&format!("{loc}/guide")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Not built yet"));
    let (s, _) = b.text(&format!("{loc}/nonsense")).await;
    assert_eq!(s, 404);
}

async fn owners_manage_members_but_keep_an_owner(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let bo = app.user("bo@example.org", PW, false).await;
    app.store
        .set_member_role(pid, bo, Role::Partner)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let r = b
        .post(
            &format!("/p/{pid}/members/{}/role", bo.0),
            "/account",
            &[("role", "staff")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.role_in(bo, pid).await.unwrap(), Some(Role::Staff));
    // Removing the only owner is refused with an explanation.
    let r = b
        .post(
            &format!("/p/{pid}/members/{}/remove", owner.0),
            "/account",
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("error=last-owner"));
    assert_eq!(
        app.store.role_in(owner, pid).await.unwrap(),
        Some(Role::Owner)
    );
    let (_, html) = b.text(&location(&r)).await;
    assert!(html.contains("at least one owner"));
    let r = b
        .post(
            &format!("/p/{pid}/members/{}/remove", bo.0),
            "/account",
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.role_in(bo, pid).await.unwrap(), None);
    // An unknown role value is a clear 400.
    let r = b
        .post(
            &format!("/p/{pid}/members/{}/role", owner.0),
            "/account",
            &[("role", "emperor")],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("unknown role"));
}

async fn pages_render_errors_helpfully(app: TestApp) {
    let b = app.client();
    let r = b.get("/no/such/page").await;
    assert_eq!(r.status(), 404);
    let id = r
        .headers()
        .get("x-request-id")
        .expect("request id")
        .to_str()
        .unwrap()
        .to_string();
    let html = r.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(html.contains(&id), "error page shows the request id");
    // A form with a missing field: a page, not a blank error.
    app.user("ana@example.org", PW, false).await;
    let s = app.signed_in("ana@example.org", PW).await;
    let csrf = s.csrf_from("/account").await;
    let r = s
        .http
        .post(app.url("/account/password"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&current=%ZZ"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // Oversized bodies are refused.
    let big = "x".repeat(3 * 1024 * 1024);
    let r = s
        .http
        .post(app.url("/account/password"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&current={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let _ = extract_csrf;
}

async fn migrations_are_idempotent(app: TestApp) {
    assert_eq!(app.store.migrate().await.unwrap(), 0);
    let kind = app.store.kind();
    assert_eq!(
        kind.as_str(),
        match app.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    );
}

/// The target table's row of an industry (the bubble chart also carries `data-code`).
fn table_row<'a>(html: &'a str, code: &str) -> &'a str {
    html.match_indices("<tr class=\"st-")
        .map(|(i, _)| &html[i..i + html[i..].find("</tr>").unwrap()])
        .find(|row| row.contains(&format!("data-code=\"{code}\"")))
        .unwrap_or_else(|| panic!("no table row for {code}"))
}

fn shared(rel: &str) -> std::path::PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    assert!(p.exists(), "shared data file missing: {}", p.display());
    p
}

async fn load_2020q1(app: &TestApp) {
    use sectorkit_engine::import::{ImportSource, import_one};
    for f in [
        "bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz",
        "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv",
        "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39041.csv",
    ] {
        import_one(
            &app.store,
            ImportSource::Path(shared(f)),
            "test",
            u64::MAX,
            None,
        )
        .await
        .unwrap();
    }
}

/// Build a region, open its target table (numbers equal the engine's, i.e. the CLI's), add an
/// industry to the shortlist with a snapshot, comment on it; viewers can look but not change.
async fn regions_targets_and_shortlist(app: TestApp) {
    load_2020q1(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let partner = app.user("pat@example.org", PW, false).await;
    app.store
        .set_member_role(pid, partner, Role::Partner)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let home = format!("/p/{pid}/region");
    let (s, html) = b.text(&home).await;
    assert_eq!(s, 200);
    assert!(html.contains("No region yet"));
    // The map: clicking a county (a plain link) adds it, clicking again removes it.
    let (_, html) = b
        .text(&format!("{home}?mapstate=39&codes=39041&toggle=39049"))
        .await;
    assert!(html.contains("id=\"c39049\""), "Ohio map drawn");
    assert!(
        html.contains("value=\"39041,39049\""),
        "both counties picked"
    );
    assert!(html.contains("toggle=39159"), "counties are links");
    let (_, html) = b
        .text(&format!(
            "{home}?mapstate=39&codes=39041,39049&toggle=39049"
        ))
        .await;
    assert!(html.contains("value=\"39041\""), "second click removes");
    // County search offers counties by name.
    let (_, html) = b.text(&format!("{home}?q=Frankl")).await;
    assert!(
        html.contains("Franklin County, Ohio"),
        "search finds Franklin"
    );
    // A bad code: the error names it, next to the field; nothing saved.
    let r = b
        .post(
            &format!("/p/{pid}/regions"),
            &home,
            &[("codes", "39049,99999")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"codes-error\"") && body.contains("99999"),
        "{body}"
    );
    assert!(app.store.regions(pid).await.unwrap().is_empty());
    // A good region.
    let r = b
        .post(
            &format!("/p/{pid}/regions"),
            &home,
            &[("codes", "39049,39041")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let table_url = location(&r);
    let regions = app.store.regions(pid).await.unwrap();
    assert_eq!(regions.len(), 1);
    assert!(regions[0].is_primary, "the first region is primary");
    assert_eq!(regions[0].counties, "39041,39049");
    let (s, html) = b.text(&table_url).await;
    assert_eq!(s, 200);
    assert!(html.contains("Management of companies"));
    // The needs-assessment workbook of the same settings.
    assert!(html.contains("format=xlsx"), "workbook link");
    let sep = if table_url.contains('?') { '&' } else { '?' };
    let r = b
        .get(&format!("{table_url}{sep}period=2020Q1&format=xlsx"))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let xlsx = r.bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"), "a zip container");
    // The page shows exactly the engine's numbers (the CLI's `sectorkit targets`).
    let req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    let (table, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    let row = table
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == "551")
        .unwrap();
    let row_html = table_row(&html, "551");
    let emp = sectorkit_engine::table::figure_value(&row.employment).unwrap();
    let emp_txt = sectorkit_web::format_count(emp);
    assert!(
        row_html.contains(&emp_txt),
        "employment {emp_txt} in {row_html}"
    );
    assert!(
        row_html.contains(&format!("{:.2}", row.lq_employment.unwrap())),
        "{row_html}"
    );
    // Suppressed cells are marked, never 0.
    assert!(html.contains("class=\"num supp") || html.contains("class=\"num partial"));
    // Settings: sector level, a weight change and sorting by LQ work.
    let (s, html2) = b
        .text(&format!(
            "{table_url}?period=2020Q1&level=sector&w_lq=3&sort=lq&dir=desc"
        ))
        .await;
    assert_eq!(s, 200);
    assert!(html2.contains("Sorted by lq (descending)"));
    // The settings form as a browser submits it (empty number fields) works.
    let (s, _) = b
        .text(&format!("{table_url}?period=2020Q1&base=&own=5&level=3&w_employment=1&w_pay=1&w_growth=1&w_proj=1&w_lq=3&min_emp=&top=10&hl=top"))
        .await;
    assert_eq!(s, 200);
    let (s, bad) = b.text(&format!("{table_url}?top=ten")).await;
    assert_eq!(s, 400);
    assert!(bad.contains("top: &#34;ten&#34; is not a number"), "{bad}");
    // Highlighting is switchable per column: none for employment, top N elsewhere.
    let (_, html3) = b
        .text(&format!("{table_url}?period=2020Q1&hl_employment=none"))
        .await;
    let row3 = table_row(&html3, "551");
    assert!(!row3.contains(&format!("num  hl\">{emp_txt}")), "{row3}");
    assert!(
        row3.contains(" hl\""),
        "other columns still highlighted: {row3}"
    );
    // Charts: the bubble chart and the bar charts are inline, accessible SVG.
    assert!(html.contains("<svg") && html.contains("role=\"img\""));
    // By default growth is over the year, here from the OTY changes BLS published with the
    // 2020Q1 files, so the bubble chart is drawn; with no growth and no projections it says
    // what it needs instead of drawing an empty frame.
    assert!(
        html.contains("growth and concentration"),
        "bubble chart drawn by default"
    );
    assert!(html.contains("over-the-year changes BLS published"));
    let (_, nogrowth) = b.text(&format!("{table_url}?period=2020Q1&base=")).await;
    assert!(nogrowth.contains("The bubble chart plots"));
    // With (test) projections for Ohio the chart is drawn, shortlisted industries highlighted.
    let proj = |code: &str, base: f64, projected: f64| sectorkit_store::ProjectionDbRow {
        area_code: "39000".into(),
        area_name: "Ohio (test)".into(),
        industry_code: code.into(),
        base_year: 2022,
        base_employment: base,
        projected_year: 2032,
        projected_employment: projected,
    };
    app.store
        .import_projections(
            "t.csv",
            "sha-t",
            "test",
            0,
            &[proj("55", 100.0, 110.0), proj("524", 100.0, 95.0)],
        )
        .await
        .unwrap();
    let (_, html) = b.text(&table_url).await;
    assert!(
        html.contains("growth and concentration"),
        "bubble chart drawn"
    );
    assert!(html.contains("data-code=\"551\""));
    assert!(html.contains("Employment of the top"));
    // The industry's detail page: series, counties, nation, with the same employment.
    let (s, detail) = b
        .text(&format!("{table_url}/industries/551?period=2020Q1"))
        .await;
    assert_eq!(s, 200);
    assert!(detail.contains("Franklin County, Ohio") && detail.contains("Delaware County, Ohio"));
    assert!(
        detail.contains(&emp_txt),
        "detail shows the same employment"
    );
    assert!(
        detail.contains("Add to the shortlist"),
        "staff can shortlist with a note here"
    );
    // Every engine column on request.
    let (_, all) = b.text(&format!("{table_url}?period=2020Q1&cols=all")).await;
    for col in [
        "Total wages",
        "Weekly wage",
        "LQ wages",
        "Base employment",
        "CAGR %",
        ">NS<",
        ">IM<",
        ">RS<",
    ] {
        assert!(all.contains(col), "column {col}");
    }
    // Estimates on request: labelled, and the page says how much rests on them.
    let (s, est) = b
        .text(&format!("{table_url}?period=2020Q1&level=4&est=1"))
        .await;
    assert_eq!(s, 200);
    assert!(
        est.contains("class=\"num est") || est.contains(" est\""),
        "estimated cells marked"
    );
    let (s, _) = b.text(&format!("{table_url}/industries/999999x")).await;
    assert_eq!(s, 404);
    // Shortlist: staff add, the snapshot keeps the figures and the data vintage.
    let r = b
        .post(
            &format!("/p/{pid}/shortlist"),
            &table_url,
            &[
                ("region", &regions[0].id.to_string()),
                ("industry", "551"),
                ("period", "2020Q1"),
                ("note", "anchor"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let list = app.store.shortlist(pid).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].industry_code, "551");
    let snap: serde_json::Value = serde_json::from_str(&list[0].snapshot).unwrap();
    assert_eq!(snap["figures"]["industry_code"], "551");
    assert_eq!(snap["data_vintage"].as_array().unwrap().len(), 3);
    // Partners comment but cannot change the shortlist or the regions.
    let p = app.signed_in("pat@example.org", PW).await;
    let r = p
        .post(
            &format!("/p/{pid}/shortlist/{}/comments", list[0].id),
            &home,
            &[("body", "Agreed")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.store
            .shortlist_comments(pid, list[0].id)
            .await
            .unwrap()
            .len(),
        1
    );
    let r = p
        .post(
            &format!("/p/{pid}/shortlist/{}/remove", list[0].id),
            &home,
            &[],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = p
        .post(&format!("/p/{pid}/regions"), &home, &[("codes", "39049")])
        .await;
    assert_eq!(r.status(), 403);
    let (_, home_html) = p.text(&home).await;
    assert!(home_html.contains("Management of companies"));
    assert!(
        !home_html.contains("Save region"),
        "partners see no build form"
    );
}

/// The data panel shows the datasets and the agreement with BLS's own columns; staff upload
/// official files (bad ones are refused whole, with file, line and field).
async fn data_panel_verifies_and_uploads(app: TestApp) {
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let data = format!("/p/{pid}/region/data");
    let csrf = b.csrf_from(&data).await;
    let upload = |name: &str, bytes: Vec<u8>, token: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        // A refused upload is answered before its body is read and the server then closes
        // the connection; `Connection: close` keeps the client from reusing it for the next.
        b.http
            .post(app.url(&format!("{data}?csrf={token}")))
            .header("connection", "close")
            .multipart(form)
            .send()
    };
    // Without the token: refused.
    let us = std::fs::read(shared("bls_qcew_2020_q1_us/qcew_2020_q1_area_US000.csv.gz")).unwrap();
    assert_eq!(
        upload("us.csv.gz", us.clone(), "nope")
            .await
            .unwrap()
            .status(),
        403
    );
    assert!(app.store.datasets().await.unwrap().is_empty());
    // Good uploads.
    let r = upload("qcew_2020_q1_area_US000.csv.gz", us.clone(), &csrf)
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("imported="));
    let fr = std::fs::read(shared(
        "bls_qcew_2020_ohio_and_us/morpc-qcew-2020-1-39049.csv",
    ))
    .unwrap();
    assert_eq!(
        upload("39049.csv", fr.clone(), &csrf)
            .await
            .unwrap()
            .status(),
        303
    );
    // The same file again: nothing changes.
    let r = upload("qcew_2020_q1_area_US000.csv.gz", us, &csrf)
        .await
        .unwrap();
    assert!(location(&r).contains("skipped="));
    assert_eq!(app.store.datasets().await.unwrap().len(), 2);
    // A bad file: 422, the message names file, line and field; nothing imported.
    let text = String::from_utf8(fr).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut f: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    f[9] = "abc".into();
    lines[2] = f.join(",");
    let r = upload("broken.csv", lines.join("\n").into_bytes(), &csrf)
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("broken.csv") && body.contains("line 3"),
        "{body}"
    );
    assert_eq!(app.store.datasets().await.unwrap().len(), 2);
    // Agreement with BLS for the region's counties.
    app.store
        .create_region(
            pid,
            "Franklin",
            "39049",
            &["39049".to_string()],
            true,
            owner,
        )
        .await
        .unwrap();
    let (s, html) = b.text(&data).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("lq_annual_avg_emplvl</strong> agrees on"),
        "verification shown"
    );
    assert!(html.contains("qcew_2020_q1_area_US000.csv.gz"));
    // Viewers see the panel but cannot upload.
    let v = app.signed_in("vi@example.org", PW).await;
    let (s, html) = v.text(&data).await;
    assert_eq!(s, 200);
    assert!(!html.contains("upload-form"));
    let vcsrf = v.csrf_from(&data).await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.csv"),
    );
    let r = v
        .http
        .post(app.url(&format!("{data}?csrf={vcsrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// OEWS slices for the occupations scenario: the national staffing patterns of a few industries
/// and the Columbus, OH metro's cross-industry table, cut from the real files at test time.
async fn load_occupations(app: &TestApp) {
    use std::io::{BufRead, Write};
    let dir = std::env::temp_dir().join(format!("sk-occ-{}", sectorkit_web::auth::random_token()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = |src: &str, keep: &dyn Fn(&str) -> bool, out: &str| {
        let f = std::fs::File::open(shared(src)).unwrap();
        let r = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(f));
        let path = dir.join(out);
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for (i, line) in r.lines().enumerate() {
            let line = line.unwrap();
            if i == 0 || keep(&line) {
                writeln!(w, "{line}").unwrap();
            }
        }
        w.flush().unwrap();
        path
    };
    let national = cut(
        "bls_oews_2025/oews_2025_national_industry.csv.gz",
        &|l| l.contains(",524000,") || l.contains(",622100,") || l.contains(",11--12,"),
        "national_industry.csv",
    );
    let metro = cut(
        "bls_oews_2025/oews_2025_msa_nonmetro.csv.gz",
        &|l| l.starts_with("0018140,"),
        "columbus.csv",
    );
    for f in [
        national,
        shared("bls_oews_2025/oews_2025_national_cross_industry.csv.gz"),
        metro,
    ] {
        sectorkit_engine::occupations::import_oews(&app.store, &f, "test")
            .await
            .unwrap();
    }
    sectorkit_engine::occupations::import_ep(
        &app.store,
        &shared("bls_ep_2024_34/ep_2024-34_occupation.xlsx"),
        "test",
    )
    .await
    .unwrap();
    sectorkit_engine::occupations::import_onet(
        &app.store,
        &shared("onet_27_0/onet27_job_zones.txt"),
        "test",
    )
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The occupations page shows the engine's numbers (the CLI's `sectorkit occupations`), says
/// when an industry has no staffing pattern, exports CSV, and takes a living-wage table from
/// staff only, all or nothing.
async fn occupations_page(app: TestApp) {
    load_2020q1(&app).await;
    load_occupations(&app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let viewer = app.user("vi@example.org", PW, false).await;
    app.store
        .set_member_role(pid, viewer, Role::Viewer)
        .await
        .unwrap();
    let counties = vec!["39041".to_string(), "39049".to_string()];
    let rid = app
        .store
        .create_region(
            pid,
            "Franklin + Delaware",
            "39049,39041",
            &counties,
            true,
            owner,
        )
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let url = format!("/p/{pid}/occupations?region={rid}&industry=524");
    let (s, html) = b.text(&url).await;
    assert_eq!(s, 200, "{html}");
    // The engine's numbers.
    let req = sectorkit_engine::occupations::OccupationRequest::new(
        "39041,39049",
        vec!["524".to_string()],
    );
    let report = sectorkit_engine::occupations::compute_occupations(&app.store, &req)
        .await
        .unwrap();
    let first = &report.lines[0];
    assert_eq!(first.code, "41-3021", "insurance sales agents lead");
    let emp = sectorkit_web::format_count(first.employment.unwrap().round());
    assert!(
        html.contains(&format!("<td class=\"num\">{emp}</td>")),
        "{emp}"
    );
    assert!(html.contains("Insurance Sales Agents"));
    assert!(html.contains("Columbus, OH (0018140)"));
    assert!(html.contains("metro containing the region"));
    assert!(html.contains("Unallocated"));
    assert!(html.contains("Career ladder") && html.contains("<svg"));
    assert!(html.contains("id=\"ladder-table\"") && html.contains("entry point"));
    let sum: f64 = report.lines.iter().filter_map(|l| l.employment).sum();
    assert!((sum + report.unallocated - report.total).abs() < 0.5);
    // An industry OEWS does not survey says so.
    let (s, html) = b
        .text(&format!("/p/{pid}/occupations?region={rid}&industry=111"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("no staffing pattern"), "{html}");
    // CSV export.
    let r = b.get(&format!("{url}&format=csv")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("occ_code,occ_title,employment,share")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("41-3021,Insurance Sales Agents,")
    );
    assert!(csv.lines().last().unwrap().starts_with("unallocated,"));
    // Living wages: viewers may not import; a bad file changes nothing; a good one applies.
    let page = format!("/p/{pid}/occupations");
    let csrf = b.csrf_from(&page).await;
    let upload = |br: &harness::Browser, token: String, body: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name("lw.csv"),
        );
        br.http
            .post(app.url(&format!("/p/{pid}/occupations/living-wages?csrf={token}")))
            .header("connection", "close")
            .multipart(form)
            .send()
    };
    let good = "area_fips,area_name,family_type,hourly,vintage,source\n39049,Franklin,1a0c,24.00,2025,MIT\n39041,Delaware,1a0c,26.00,2025,MIT\n";
    let bad = "area_fips,area_name,family_type,hourly,vintage,source\n39049,Franklin,1a0c,24.00,2025,MIT\n39041,Delaware,1a0c,lots,2025,MIT\n";
    let vb = app.signed_in("vi@example.org", PW).await;
    let vcsrf = vb.csrf_from(&page).await;
    assert_eq!(upload(&vb, vcsrf, good).await.unwrap().status(), 403);
    assert!(app.store.living_wages(pid).await.unwrap().is_empty());
    let r = upload(&b, csrf.clone(), good).await.unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    assert_eq!(app.store.living_wages(pid).await.unwrap().len(), 2);
    let r = upload(&b, csrf.clone(), bad).await.unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("line 3") && body.contains("hourly"), "{body}");
    assert_eq!(app.store.living_wages(pid).await.unwrap().len(), 2, "kept");
    // The threshold is the counties' mean ($25.00) and occupations below it are marked.
    let (_, html) = b.text(&url).await;
    assert!(html.contains("$25.00/h"), "{html}");
    assert!(html.contains("below living wage"));
}

/// The commuting page shows the engine's flows for a region whose LODES files are imported,
/// with the map and the coverage report, and says what to import when none are.
async fn commute_page(app: TestApp) {
    let lodes = |f: &str| shared(&format!("census_lodes7_ri_2019/{f}"));
    sectorkit_engine::commute::import_lodes(
        &app.store,
        &[
            lodes("ri_od_main_JT00_2019.csv.gz"),
            lodes("ri_od_aux_JT00_2019.csv.gz"),
        ],
        &[lodes("ri_xwalk.csv.gz")],
        &Default::default(),
        "test",
    )
    .await
    .unwrap();
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
    let ri = app
        .store
        .create_region(
            pid,
            "Providence",
            "44007",
            &["44007".to_string()],
            true,
            owner,
        )
        .await
        .unwrap();
    let oh = app
        .store
        .create_region(
            pid,
            "Franklin",
            "39049",
            &["39049".to_string()],
            false,
            owner,
        )
        .await
        .unwrap();
    let report = sectorkit_engine::commute::commute_from_store(
        &app.store,
        "44007",
        None,
        sectorkit_data::lodes::JobType::ALL_JOBS,
    )
    .await
    .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let (s, html) = b.text(&format!("/p/{pid}/commute?region={ri}")).await;
    assert_eq!(s, 200, "{html}");
    let inflow = sectorkit_web::format_count(report.flows.inflow as f64);
    assert!(html.contains(&inflow), "inflow {inflow}");
    assert!(html.contains("Labor shed"));
    assert!(html.contains("Providence County"));
    assert!(html.contains("<svg"), "map drawn");
    // The map downloads as SVG and PNG, the whole shed as CSV (every county, shares summing
    // to 1), with the page's settings.
    assert!(html.contains("chart=map&#38;format=png"), "download links");
    let svg = b
        .get(&format!(
            "/p/{pid}/commute?region={ri}&chart=map&format=svg"
        ))
        .await;
    assert_eq!(svg.status(), 200);
    assert_eq!(
        svg.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    assert!(svg.text().await.unwrap().contains("Labor shed"));
    let png = b
        .get(&format!(
            "/p/{pid}/commute?region={ri}&chart=map&format=png"
        ))
        .await;
    assert_eq!(png.status(), 200);
    assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let csv = b
        .get(&format!("/p/{pid}/commute?region={ri}&format=csv"))
        .await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("measure,county,county_name,in_region,jobs,share")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), report.flows.labor_shed.len());
    let total: f64 = rows
        .iter()
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-6, "{total}");
    let (s, _) = b
        .text(&format!("/p/{pid}/commute?region={ri}&format=pdf"))
        .await;
    assert_eq!(s, 400);
    let seg = b
        .get(&format!(
            "/p/{pid}/commute?region={ri}&format=csv&table=segments"
        ))
        .await;
    assert_eq!(seg.status(), 200);
    let seg = seg.text().await.unwrap();
    assert!(
        seg.starts_with("segment,label,interior,inflow,outflow\n"),
        "{seg}"
    );
    assert_eq!(seg.lines().count(), 1 + report.flows.segments.len());
    let first = &report.flows.segments[0];
    let line = seg.lines().nth(1).unwrap();
    assert!(
        line.starts_with(first.segment.code())
            && line.ends_with(&format!(
                ",{},{},{}",
                first.interior, first.inflow, first.outflow
            )),
        "{line}"
    );
    // Massachusetts and Connecticut files are not loaded: the commute shed is a lower bound.
    let (_, html) = b
        .text(&format!("/p/{pid}/commute?region={ri}&shed=commute"))
        .await;
    assert!(html.contains("Commute shed"));
    assert!(html.contains("at least"), "lower bound marked");
    // No Ohio files: the page says what to import.
    let (s, html) = b.text(&format!("/p/{pid}/commute?region={oh}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("lodes import"), "{html}");
}
