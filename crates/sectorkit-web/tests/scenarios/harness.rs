//! Test harness: the real app on a random port over a fresh database of either backend.
//!
//! PostgreSQL: each app gets its own database `sk_test_<random>` on the server named by
//! `SECTORKIT_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`), dropped when the
//! app is dropped. An unreachable server fails the test: it is never skipped.

use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use sectorkit_store::{PartnershipId, Store, UserId};
use sectorkit_web::{AppState, WebConfig};
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_admin_url() -> String {
    std::env::var("SECTORKIT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Drops the test database (PostgreSQL) or folder (SQLite) when the test ends, pass or fail.
pub enum Cleanup {
    Dir(std::path::PathBuf),
    PgDatabase(String),
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::PgDatabase(name) => {
                let name = name.clone();
                // A fresh runtime on its own thread: Drop may run inside the test's runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        if let Ok(admin) = Store::connect(&pg_admin_url()).await {
                            let _ = admin
                                .execute_admin(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub backend: Backend,
    _cleanup: Cleanup,
}

fn random_suffix() -> String {
    sectorkit_web::auth::random_token()[..12].to_string()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, WebConfig::default()).await
    }

    pub async fn spawn_with(backend: Backend, config: WebConfig) -> TestApp {
        let (store, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("sk-test-{}", random_suffix()));
                std::fs::create_dir_all(&dir).unwrap();
                let store = Store::connect(&format!("sqlite:{}", dir.join("t.db").display()))
                    .await
                    .expect("open SQLite test database");
                (store, Cleanup::Dir(dir))
            }
            Backend::Postgres => {
                let admin_url = pg_admin_url();
                let admin = Store::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server at {admin_url} (set SECTORKIT_TEST_PG_URL): {e}"
                    )
                });
                let name = format!("sk_test_{}", random_suffix());
                admin
                    .execute_admin(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await;
                let url = match admin_url.rsplit_once('/') {
                    Some((base, _db)) => format!("{base}/{name}"),
                    None => panic!("SECTORKIT_TEST_PG_URL must end with /DATABASE"),
                };
                let store = Store::connect(&url).await.expect("open test database");
                (store, Cleanup::PgDatabase(name))
            }
        };
        store.migrate().await.expect("migrations apply");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(store.clone(), config);
        tokio::spawn(sectorkit_web::serve(
            listener,
            state,
            std::future::pending::<()>(),
        ));
        TestApp {
            addr,
            store,
            backend,
            _cleanup: cleanup,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> Browser {
        Browser {
            base: format!("http://{}", self.addr),
            http: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// Creates a user directly in the store.
    pub async fn user(&self, email: &str, password: &str, admin: bool) -> UserId {
        let hash = sectorkit_web::auth::hash_password(password).unwrap();
        self.store
            .create_user(email, email.split('@').next().unwrap(), &hash, admin)
            .await
            .unwrap()
    }

    /// Creates a partnership owned by `owner`.
    pub async fn partnership(&self, slug: &str, owner: UserId) -> PartnershipId {
        self.store
            .create_partnership(slug, &format!("Partnership {slug}"), "", owner)
            .await
            .unwrap()
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> Browser {
        let b = self.client();
        let res = b.login(email, password).await;
        assert_eq!(res.status(), 303, "login of {email} should succeed");
        b
    }
}

/// A client that behaves like a browser session.
pub struct Browser {
    pub base: String,
    pub http: Client,
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.unwrap())
    }

    /// The CSRF token that forms on `path` carry.
    pub async fn csrf_from(&self, path: &str) -> String {
        let (_, body) = self.text(path).await;
        extract_csrf(&body).unwrap_or_else(|| panic!("no csrf token on {path}"))
    }

    /// POSTs a form with exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}{}", self.base, path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// POSTs a form with the CSRF token taken from `token_page`.
    pub async fn post(&self, path: &str, token_page: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf_from(token_page).await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &csrf));
        self.post_raw(path, &all).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/login",
            "/login",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}
