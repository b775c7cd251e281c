//! One error type for the web layer, and the layer that turns every error response into a helpful
//! page.
//!
//! Handlers return `Result<_, AppError>`. An `AppError` becomes a bare response carrying an
//! [`ErrorPage`] extension; [`error_page_layer`] then renders it (with the request id, so a user
//! can quote it) in the site layout. The same layer dresses axum's own plain-text rejections
//! (a malformed form, an unknown route) so the user never sees a blank page.

use crate::AppState;
use crate::auth::Auth;
use crate::templates::{Chrome, ErrorTemplate, render_string};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_store::StoreError;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    /// A 404 that says why (an API answer about data that is not there).
    #[error("not found: {0}")]
    NotFoundBecause(String),
    /// An API request without a usable token (401 with `WWW-Authenticate: Bearer`).
    #[error("token required: {0}")]
    TokenRequired(String),
    /// Well-formed settings that cannot be computed with (422).
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("sign-in required")]
    LoginRequired,
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("form token mismatch")]
    Csrf,
    #[error("request too large")]
    TooLarge,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(format!("{what} already exists")),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// What the error page says; attached to the response by [`AppError`].
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub title: String,
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::NotFoundBecause(_) => StatusCode::NOT_FOUND,
            AppError::TokenRequired(_) => StatusCode::UNAUTHORIZED,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::LoginRequired => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn page(&self) -> ErrorPage {
        let (title, message) = match self {
            AppError::NotFound => (
                "Page not found",
                "There is no page at this address, or you do not have access to it.".to_string(),
            ),
            AppError::NotFoundBecause(why) => ("Not found", why.clone()),
            AppError::TokenRequired(why) => ("API token required", why.clone()),
            AppError::Unprocessable(why) => ("Cannot compute this", why.clone()),
            AppError::LoginRequired => ("Sign in required", "Please sign in to continue.".into()),
            AppError::Forbidden(why) => ("Not allowed", why.clone()),
            AppError::BadRequest(why) => ("Something is wrong with the request", why.clone()),
            AppError::Csrf => (
                "This form has expired",
                "The form was not accepted because its security token is missing, expired or \
                 from another site. Nothing was changed. Go back, reload the page and try again."
                    .into(),
            ),
            AppError::TooLarge => (
                "Too large",
                "The request is larger than this server accepts. Nothing was saved.".into(),
            ),
            AppError::Conflict(why) => ("Conflict", why.clone()),
            AppError::Internal(_) => (
                "Something went wrong",
                "The server could not complete the request. Nothing was changed by the failed \
                 step. If it happens again, give the request id below to your administrator."
                    .into(),
            ),
        };
        ErrorPage {
            title: title.to_string(),
            message,
        }
    }

    /// Same as `into_response`, named for call sites in layers.
    pub fn into_response_with_log(self) -> Response {
        self.into_response()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(detail) => tracing::error!(error = %detail, "internal error"),
            AppError::Csrf => tracing::warn!("refused request: CSRF token mismatch"),
            _ => {}
        }
        let mut res = self.status().into_response();
        res.extensions_mut().insert(self.page());
        res
    }
}

/// Renders error responses as pages: ours (with an [`ErrorPage`]) and axum's plain-text ones.
/// A `401` on a page request becomes a redirect to the login page that returns here afterwards.
pub async fn error_page_layer(
    State(_state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let method = req.method().clone();
    let auth = req.extensions().get::<Auth>().cloned();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    if is_api_path(&path_and_query) {
        return api_error_response(res, request_id).await;
    }
    if status == StatusCode::UNAUTHORIZED && method == axum::http::Method::GET {
        let next = urlencode(&path_and_query);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let page = match res.extensions().get::<ErrorPage>() {
        Some(p) => p.clone(),
        None => {
            let is_html = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
            if is_html {
                return res;
            }
            let (parts, body) = res.into_parts();
            let text = axum::body::to_bytes(body, 64 * 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let title = parts
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string();
            let message = match parts.status {
                StatusCode::NOT_FOUND => {
                    "There is no page at this address, or you do not have access to it.".into()
                }
                StatusCode::METHOD_NOT_ALLOWED => {
                    "This address does not accept that kind of request.".into()
                }
                _ if text.is_empty() => title.clone(),
                _ => text,
            };
            ErrorPage { title, message }
        }
    };
    let chrome = Chrome::new(auth.as_ref(), None);
    let body = render_string(&ErrorTemplate {
        chrome,
        status: status.as_u16(),
        title: page.title,
        message: page.message,
        request_id,
    });
    let mut out = (status, body).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out
}

/// Whether a path is under the JSON API (errors there are JSON, never pages or redirects).
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/api?")
}

/// An error response of the API as JSON ([`crate::api::ApiError`]); the original headers (such
/// as `Allow` on a 405) are kept. A 401 says how to authenticate (`WWW-Authenticate: Bearer`).
async fn api_error_response(res: Response, request_id: String) -> Response {
    let (mut parts, body) = res.into_parts();
    let page = match parts.extensions.get::<ErrorPage>() {
        Some(p) => p.clone(),
        None => {
            let text = axum::body::to_bytes(body, 64 * 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let title = parts
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string();
            let message = match parts.status {
                StatusCode::NOT_FOUND => "There is no API endpoint at this address.".to_string(),
                StatusCode::METHOD_NOT_ALLOWED => {
                    "This endpoint does not accept that method; see the Allow header.".to_string()
                }
                _ if text.trim().is_empty() => title.clone(),
                _ => text.trim().to_string(),
            };
            ErrorPage { title, message }
        }
    };
    let (title, message) = match parts.status {
        StatusCode::UNAUTHORIZED if page.title == "Sign in required" => (
            "API token required".to_string(),
            "Send an API token: `Authorization: Bearer skt_…` (create one on the partnership's              API tokens page or with `sectorkit token create`)."
                .to_string(),
        ),
        _ => (page.title, page.message),
    };
    let body = serde_json::to_vec(&crate::api::ApiError {
        error: crate::api::ApiErrorDetail {
            status: parts.status.as_u16(),
            title,
            message,
            request_id,
        },
    })
    .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if parts.status == StatusCode::UNAUTHORIZED {
        parts.headers.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"sectorkit\""),
        );
    }
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|q| q[2..].to_string())
        .unwrap_or_default()
}
