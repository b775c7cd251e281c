//! sectorkit-web: the web application.
//!
//! An axum router of server-rendered pages (askama templates, compile-checked), a small embedded
//! stylesheet, and the layers every request passes through, outermost first:
//! request id → tracing → error pages → session → CSRF check → routing → route policy → handler.
//!
//! Authorization is declared per route in one table ([`policy::POLICIES`]); the policy layer looks
//! every matched route up there and fails closed when a route has none. Handlers of partnership
//! pages receive a [`policy::Tenant`] from that layer and pass its id to the store; they never
//! look up membership themselves and never hold SQL.
//!
//! The JSON API ([`api`], `/api/v1`) shares the router, the policy table and the error layer;
//! it authenticates by bearer token only and answers errors as JSON.
//!
//! What this crate must not do: SQL (that is `sectorkit-store`) or statistics (`sectorkit-core`).

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
mod handlers;
pub mod policy;
pub mod routes;
mod templates;

pub use config::WebConfig;
pub use handlers::tokens::check_new_token;

/// How the pages format counts (`1,234,567`), for tests that compare pages with the engine.
pub fn format_count(x: f64) -> String {
    handlers::region::thousands(x)
}

use axum::Router;
use sectorkit_store::Store;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Shared state of the web app.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
        }
    }
}

/// The whole application as a router, with every layer applied.
pub fn app(state: AppState) -> Router {
    routes::build(state)
}

/// Serves the app on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    // Housekeeping: drop expired sessions and old login failures every ten minutes.
    let janitor = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = sectorkit_store::now_unix();
            if let Err(e) = store.purge_expired(now, now - 86_400).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
        }
    });
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    janitor.abort();
    result
}
