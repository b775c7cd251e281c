//! The JSON API and its tokens: tokens are made on the tokens page (shown once, stored hashed),
//! scoped to one partnership, capped by the member's current role, revocable; the API answers
//! JSON (errors too), pages with `{items, next}`, and its numbers are the engine's.

use crate::PW;
use crate::harness::TestApp;
use sectorkit_core::role::Role;
use sectorkit_store::NewShortlistItem;
use serde_json::Value;

scenarios!(api_tokens_and_json_api, api_errors_are_json_and_isolated);

/// The token shown once on the page after creating it.
fn shown_token(html: &str) -> String {
    let key = "id=\"new-token\" class=\"wide\" readonly value=\"";
    let i = html.find(key).expect("token shown") + key.len();
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    fn new(app: &TestApp) -> Api {
        Api {
            base: app.url(""),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    async fn get(
        &self,
        token: Option<&str>,
        path: &str,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut rb = self.http.get(format!("{}{}", self.base, path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let ct = headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            ct.starts_with("application/json"),
            "{path}: content-type {ct}"
        );
        let body: Value = r.json().await.unwrap();
        if status >= 400 {
            assert_eq!(body["error"]["status"], status, "{path}: {body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
        (status, headers, body)
    }
}

async fn setup(app: &TestApp) -> (sectorkit_store::PartnershipId, i64) {
    super::load_2020q1(app).await;
    let owner = app.user("ana@example.org", PW, false).await;
    let pid = app.partnership("alpha", owner).await;
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
    app.store
        .add_to_shortlist(
            pid,
            &NewShortlistItem {
                industry_code: "524",
                industry_title: "Insurance carriers and related activities",
                own_code: 5,
                region_name: "Franklin + Delaware",
                period: "2020Q1",
                note: "large and well paid",
                snapshot: "{\"employment\": 1}",
                added_by: owner,
            },
        )
        .await
        .unwrap();
    (pid, rid)
}

async fn api_tokens_and_json_api(app: TestApp) {
    let (pid, rid) = setup(&app).await;
    let sam = app.user("sam@example.org", PW, false).await;
    app.store
        .set_member_role(pid, sam, Role::Staff)
        .await
        .unwrap();
    let b = app.signed_in("sam@example.org", PW).await;
    let page = format!("/p/{pid}/tokens");
    let (s, html) = b.text(&page).await;
    assert_eq!(s, 200);
    assert!(html.contains("Create a token"));
    // Bad forms name the field and create nothing.
    for (fields, msg) in [
        (
            vec![("name", ""), ("role", "viewer"), ("days", "30")],
            "Name:",
        ),
        (
            vec![("name", "dash"), ("role", "owner"), ("days", "30")],
            "Role:",
        ),
        (
            vec![("name", "dash"), ("role", "staff"), ("days", "0")],
            "Expires after:",
        ),
    ] {
        let r = b.post(&page, &page, &fields).await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains(msg), "{msg}");
    }
    assert!(app.store.api_tokens(pid, None).await.unwrap().is_empty());
    let r = b
        .post(
            &page,
            &page,
            &[("name", "dash"), ("role", "staff"), ("days", "30")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let token = shown_token(&r.text().await.unwrap());
    assert!(token.starts_with("skt_") && token.len() == 68, "{token}");
    let listed = app.store.api_tokens(pid, None).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].prefix, token[..12]);
    assert!(listed[0].expires_at.is_some());
    // The list shows the prefix, never the token again.
    let (_, html) = b.text(&page).await;
    assert!(html.contains(&listed[0].prefix) && !html.contains(&token));

    let api = Api::new(&app);
    let t = Some(token.as_str());
    let (s, _, p) = api.get(t, &format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(s, 200);
    assert_eq!(p["role"], "staff");
    assert_eq!(p["token"]["name"], "dash");
    assert!(
        app.store.api_tokens(pid, None).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    // Regions.
    let (s, _, regions) = api
        .get(t, &format!("/api/v1/partnerships/{pid}/regions"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(regions["items"][0]["id"], rid);
    assert_eq!(
        regions["items"][0]["counties"],
        serde_json::json!(["39041", "39049"])
    );
    assert!(regions["next"].is_null());
    let (s, _, detail) = api
        .get(t, &format!("/api/v1/partnerships/{pid}/regions/{rid}"))
        .await;
    assert_eq!(s, 200);
    assert!(
        detail["periods"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "2020Q1")
    );
    // The target table: the engine's numbers; suppressed cells null, never 0.
    let base = format!("/api/v1/partnerships/{pid}/regions/{rid}/targets?period=2020Q1");
    let (s, _, table) = api.get(t, &base).await;
    assert_eq!(s, 200, "{table}");
    // The API's defaults are the page's: growth over the year, every weight 1.
    let mut req =
        sectorkit_engine::targets::TargetRequest::new("39049,39041", "2020Q1".parse().unwrap());
    req.base_period = Some("2019Q1".parse().unwrap());
    let (engine, _) = sectorkit_engine::targets::compute_targets(Some(&app.store), &req, None)
        .await
        .unwrap();
    assert_eq!(table["total"], engine.rows.len());
    let items = table["items"].as_array().unwrap();
    let row = items.iter().find(|r| r["industry_code"] == "551").unwrap();
    let e = engine
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == "551")
        .unwrap();
    assert_eq!(
        row["employment"]["value"].as_f64(),
        sectorkit_engine::table::figure_value(&e.employment)
    );
    assert_eq!(row["lq_employment"].as_f64(), e.lq_employment);
    assert_eq!(row["ranking"]["score"].as_f64(), e.score());
    let hidden: Vec<&Value> = items
        .iter()
        .filter(|r| r["employment"]["status"] != "disclosed")
        .collect();
    assert!(!hidden.is_empty(), "the demo region has suppressed cells");
    for r in hidden {
        assert!(r["employment"]["value"].is_null(), "{r}");
    }
    let shortlisted = items.iter().find(|r| r["industry_code"] == "524").unwrap();
    assert_eq!(shortlisted["shortlisted"], true);
    // Ranked rows come first, in order of position.
    let positions: Vec<u64> = items
        .iter()
        .filter_map(|r| r["ranking"]["position"].as_u64())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(items[0]["ranking"]["position"], 1);
    // Pagination: following `next` visits every row once.
    let mut seen = Vec::new();
    let mut next = Some(format!("{base}&limit=7"));
    let mut pages = 0;
    while let Some(url) = next {
        let (s, _, page) = api.get(t, &url).await;
        assert_eq!(s, 200);
        let n = page["items"].as_array().unwrap().len();
        assert!(n <= 7 && n > 0);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["industry_code"].as_str().unwrap().to_string()),
        );
        next = page["next"].as_str().map(str::to_string);
        assert!(next.as_deref().is_none_or(|u| u.contains("period=2020Q1")));
        pages += 1;
    }
    assert_eq!(pages, engine.rows.len().div_ceil(7));
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), engine.rows.len());
    assert_eq!(seen.len(), engine.rows.len());
    // Settings: what the schema forbids is a 400, what cannot be computed a 422 or 404.
    for (q, status) in [
        ("&limit=0", 400),
        ("&limit=abc", 400),
        ("&own=4", 400),
        ("&level=7", 400),
        ("&w_lq=-1", 400),
        ("&w_employment=0&w_pay=0&w_growth=0&w_proj=0&w_lq=0", 422),
    ] {
        let (s, _, body) = api.get(t, &format!("{base}{q}")).await;
        assert_eq!(s, status, "{q}: {body}");
    }
    let (s, _, body) = api
        .get(
            t,
            &format!("/api/v1/partnerships/{pid}/regions/{rid}/targets?period=1999"),
        )
        .await;
    assert_eq!(s, 404);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2020Q1"),
        "{body}"
    );
    let (s, _, lq) = api
        .get(t, &format!("{base}&level=sector&own=5&top=3"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(lq["level"], "sector");
    // The shortlist.
    let (s, _, sl) = api
        .get(t, &format!("/api/v1/partnerships/{pid}/shortlist"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(sl["items"][0]["industry_code"], "524");
    assert_eq!(sl["items"][0]["note"], "large and well paid");
    assert_eq!(sl["items"][0]["snapshot"]["employment"], 1);
    // Occupations need OEWS data: without it the API says so (422), as JSON.
    let (s, _, body) = api
        .get(
            t,
            &format!("/api/v1/partnerships/{pid}/occupations?industry=524"),
        )
        .await;
    assert_eq!(s, 422, "{body}");

    // The role is capped by the member's current role, at once.
    app.store
        .set_member_role(pid, sam, Role::Viewer)
        .await
        .unwrap();
    let (_, _, p) = api.get(t, &format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(p["role"], "viewer");
    assert_eq!(p["token"]["role"], "staff");
    // A member who leaves takes their tokens' power with them.
    app.store.remove_member(pid, sam).await.unwrap();
    let (s, _, _) = api.get(t, &format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(s, 401);
    app.store
        .set_member_role(pid, sam, Role::Staff)
        .await
        .unwrap();
    let (s, _, _) = api.get(t, &format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(s, 200);

    // Revocation: a viewer's own token; the owner sees every token and revokes it.
    let vic = app.user("vic@example.org", PW, false).await;
    app.store
        .set_member_role(pid, vic, Role::Viewer)
        .await
        .unwrap();
    let v = app.signed_in("vic@example.org", PW).await;
    let r = v
        .post(
            &page,
            &page,
            &[("name", "mine"), ("role", "viewer"), ("days", "")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let vic_token = shown_token(&r.text().await.unwrap());
    let (_, html) = v.text(&page).await;
    assert!(
        !html.contains(&listed[0].prefix),
        "a viewer sees only their own tokens"
    );
    // Vic cannot revoke Sam's token.
    let r = v
        .post(&format!("{page}/{}/revoke", listed[0].id), &page, &[])
        .await;
    assert_eq!(r.status(), 404);
    let (s, _, _) = api.get(t, &format!("/api/v1/partnerships/{pid}")).await;
    assert_eq!(s, 200);
    let a = app.signed_in("ana@example.org", PW).await;
    let (_, html) = a.text(&page).await;
    assert!(html.contains(&listed[0].prefix) && html.contains(&vic_token[..12]));
    let vic_id = app.store.api_tokens(pid, Some(vic)).await.unwrap()[0].id;
    let (s, _, _) = api
        .get(
            Some(&vic_token),
            &format!("/api/v1/partnerships/{pid}/regions"),
        )
        .await;
    assert_eq!(s, 200);
    let r = a.post(&format!("{page}/{vic_id}/revoke"), &page, &[]).await;
    assert_eq!(r.status(), 303);
    let (s, h, _) = api
        .get(
            Some(&vic_token),
            &format!("/api/v1/partnerships/{pid}/regions"),
        )
        .await;
    assert_eq!(s, 401);
    assert!(
        h["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let (_, html) = a.text(&page).await;
    assert!(html.contains("revoked"));
}

async fn api_errors_are_json_and_isolated(app: TestApp) {
    let (pid, rid) = setup(&app).await;
    let bob = app.user("bob@example.org", PW, false).await;
    let beta = app.partnership("beta", bob).await;
    let beta_region = app
        .store
        .create_region(beta, "Beta", "39049", &["39049".to_string()], true, bob)
        .await
        .unwrap();
    let b = app.signed_in("ana@example.org", PW).await;
    let page = format!("/p/{pid}/tokens");
    let r = b
        .post(
            &page,
            &page,
            &[("name", "ci"), ("role", "viewer"), ("days", "1")],
        )
        .await;
    let token = shown_token(&r.text().await.unwrap());
    let t = Some(token.as_str());
    let api = Api::new(&app);
    // No token, a malformed one, an unknown one: 401 JSON with a Bearer challenge.
    for bad in [
        None,
        Some("nonsense"),
        Some(&*format!("skt_{}", "0".repeat(64))),
    ] {
        let (s, h, body) = api
            .get(bad, &format!("/api/v1/partnerships/{pid}/regions"))
            .await;
        assert_eq!(s, 401, "{body}");
        assert!(
            h["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
    }
    // The signed-in session cookie does not authenticate the API (and is not redirected).
    let r = b.get(&format!("/api/v1/partnerships/{pid}/regions")).await;
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    // Another partnership's records do not exist for this token.
    let (s, _, _) = api
        .get(t, &format!("/api/v1/partnerships/{beta}/regions"))
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = api
        .get(
            t,
            &format!("/api/v1/partnerships/{pid}/regions/{beta_region}"),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = api
        .get(
            t,
            &format!("/api/v1/partnerships/{pid}/regions/{beta_region}/targets"),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = api
        .get(
            t,
            &format!("/api/v1/partnerships/{pid}/occupations?region={beta_region}"),
        )
        .await;
    assert_eq!(s, 404);
    // Unknown endpoints and methods: JSON, with Allow on a 405; no CSRF page for the API.
    let (s, _, _) = api.get(t, "/api/v1/nothing-here").await;
    assert_eq!(s, 404);
    let r = api
        .http
        .post(app.url(&format!("/api/v1/partnerships/{pid}/regions")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers()["allow"].to_str().unwrap().contains("GET"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["status"], 405);
    // Malformed path parameters are 400 JSON.
    let (s, _, _) = api
        .get(t, &format!("/api/v1/partnerships/{pid}/regions/abc"))
        .await;
    assert_eq!(s, 400);
    let _ = rid;
    // The document is public and describes the endpoints.
    let (s, _, doc) = api.get(None, "/api/v1/openapi.json").await;
    assert_eq!(s, 200);
    assert!(doc["paths"]["/api/v1/partnerships/{pid}/regions/{rid}/targets"]["get"].is_object());
    // An expired token stops working.
    let expired = format!("skt_{}", "ab".repeat(32));
    let owner = app
        .store
        .user_by_email("ana@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.store
        .create_api_token(&sectorkit_store::NewApiToken {
            partnership: pid,
            user: owner,
            name: "old",
            role: Role::Viewer,
            token_hash: &sectorkit_web::auth::token_hash(&expired),
            prefix: &expired[..12],
            expires_at: Some(sectorkit_store::now_unix() - 1),
        })
        .await
        .unwrap();
    let (s, _, _) = api
        .get(Some(&expired), &format!("/api/v1/partnerships/{pid}"))
        .await;
    assert_eq!(s, 401);
}
