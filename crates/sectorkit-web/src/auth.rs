//! Authentication: password hashing, random tokens, the session and CSRF layers, and login
//! throttling.
//!
//! - Passwords: argon2id (RFC 9106 defaults of the `argon2` crate), PHC strings.
//! - Sessions: a random 256-bit token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` when
//!   configured); the database keeps only its SHA-256. Sessions expire after `session_ttl`.
//! - CSRF: a synchronizer token. A signed-in session has its own token (stored with the session);
//!   an anonymous visitor gets one in an `HttpOnly` cookie (double submit). Every request that is
//!   not GET/HEAD/OPTIONS must carry the token (form field `csrf`, header `X-CSRF-Token`, or query
//!   parameter `csrf` for multipart uploads) or it is refused before any handler runs.
//! - Throttling: failed logins are logged per normalized email and per client IP; past
//!   [`MAX_FAILURES_PER_ACCOUNT`] or [`MAX_FAILURES_PER_IP`] in [`THROTTLE_WINDOW_SECS`], logins
//!   are refused with the same message whether or not the account exists.

use crate::AppState;
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use sectorkit_store::{SessionInfo, User};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "sk_session";
pub const CSRF_COOKIE: &str = "sk_csrf";
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const MIN_PASSWORD_LEN: usize = 10;
pub const MAX_PASSWORD_LEN: usize = 1024;

/// The generic failure message: the same whether the email is unknown or the password wrong.
pub const LOGIN_FAILED: &str = "The email or password is not correct.";
/// Shown when throttled: also the same for existing and unknown accounts.
pub const LOGIN_THROTTLED: &str =
    "Too many failed sign-in attempts. Wait 15 minutes, then try again.";

// ---- passwords ------------------------------------------------------------------------------

/// Hashes a password with argon2id into a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("could not hash password: {e}"))
}

/// Checks a password against a PHC string. A malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A valid hash of a random password, verified against when the account does not exist so that
/// a login for an unknown email costs the same time as one for a known email.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Checks a new password against the rules; returns the message to show next to the field.
pub fn password_problem(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        Some(format!(
            "Use at least {MIN_PASSWORD_LEN} characters (a few words make a good password)."
        ))
    } else if n > MAX_PASSWORD_LEN {
        Some(format!("Use at most {MAX_PASSWORD_LEN} characters."))
    } else {
        None
    }
}

/// Whether text looks like an email address (one `@`, something on both sides, a dot after).
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !s.contains(char::is_whitespace)
                && s.len() <= 254
        }
        None => false,
    }
}

// ---- tokens ---------------------------------------------------------------------------------

/// 256 random bits from the OS, hex-encoded.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("the operating system's random source failed");
    hex::encode(buf)
}

/// SHA-256 of a token, hex-encoded: what the database stores instead of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

// ---- cookies --------------------------------------------------------------------------------

/// The value of cookie `name` in the request, if present.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` header value for one of our cookies. `max_age` of 0 deletes it.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .expect("cookie values are hex and names are constants")
}

// ---- the request's identity -------------------------------------------------------------------

/// Who is making the request, put in the request's extensions by [`session_layer`].
#[derive(Clone, Debug)]
pub struct Auth {
    /// The signed-in user, if any.
    pub user: Option<User>,
    /// The CSRF token that forms on this page must carry.
    pub csrf: String,
    /// SHA-256 of the session token, when signed in.
    pub session_hash: Option<String>,
    /// The client's address, for throttling and logs.
    pub ip: String,
}

impl Auth {
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::LoginRequired)
    }
}

/// Loads the session from its cookie (or makes an anonymous CSRF token) and records the result as
/// an [`Auth`] extension. A session that is unknown or expired counts as signed out.
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let ip = client_ip(&req, state.config.trust_proxy);
    let now = sectorkit_store::now_unix();
    let mut session: Option<(SessionInfo, String)> = None;
    if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        let hash = token_hash(token);
        match state.store.session(&hash, now).await {
            Ok(Some(info)) => session = Some((info, hash)),
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response_with_log(),
        }
    }
    let mut new_csrf_cookie = None;
    let auth = match session {
        Some((info, hash)) => Auth {
            user: Some(info.user),
            csrf: info.csrf_token,
            session_hash: Some(hash),
            ip,
        },
        None => {
            let csrf = match cookie(req.headers(), CSRF_COOKIE) {
                Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    t.to_string()
                }
                _ => {
                    let t = random_token();
                    new_csrf_cookie = Some(t.clone());
                    t
                }
            };
            Auth {
                user: None,
                csrf,
                session_hash: None,
                ip,
            }
        }
    };
    req.extensions_mut().insert(auth);
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(t) = new_csrf_cookie.filter(|_| is_html) {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &t, 30 * 86_400, state.config.cookie_secure),
        );
    }
    res
}

fn client_ip(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return first.trim().to_string();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Refuses any state-changing request whose CSRF token does not match the session's (or the
/// anonymous cookie's) token, before a handler can run. Also refuses a cross-site `Origin`.
pub async fn csrf_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The API authenticates by bearer token only (never by the session cookie), so a forged
    // cross-site request carries no credentials there: the CSRF check does not apply.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || crate::error::is_api_path(req.uri().path())
    {
        return next.run(req).await;
    }
    let Some(expected) = req.extensions().get::<Auth>().map(|a| a.csrf.clone()) else {
        return AppError::Internal("session layer missing".into()).into_response_with_log();
    };
    if !origin_matches_host(req.headers()) {
        return AppError::Csrf.into_response_with_log();
    }
    // 1. header, 2. query parameter, 3. urlencoded form field.
    let from_header = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let from_query = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v))
    });
    let (submitted, req) = match from_header.or(from_query) {
        Some(t) => (Some(t), req),
        None => {
            let is_form = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            if !is_form {
                (None, req)
            } else {
                let (parts, body) = req.into_parts();
                let bytes = match to_bytes(body, state.config.max_body_bytes).await {
                    Ok(b) => b,
                    Err(_) => return AppError::TooLarge.into_response_with_log(),
                };
                let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                    .ok()
                    .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
                (token, Request::from_parts(parts, Body::from(bytes)))
            }
        }
    };
    match submitted {
        Some(t) if same(&t, &expected) => next.run(req).await,
        _ => AppError::Csrf.into_response_with_log(),
    }
}

/// `Origin`, when the browser sends it, must name the host the request was sent to.
fn origin_matches_host(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
    origin_host.eq_ignore_ascii_case(host)
}

// ---- throttling -------------------------------------------------------------------------------

/// Whether a login for this account key / IP is currently refused.
pub async fn throttled(state: &AppState, account_key: &str, ip: &str) -> Result<bool, AppError> {
    let since = sectorkit_store::now_unix() - THROTTLE_WINDOW_SECS;
    let (a, i) = state
        .store
        .login_failures_since(account_key, ip, since)
        .await?;
    Ok(a >= MAX_FAILURES_PER_ACCOUNT || i >= MAX_FAILURES_PER_IP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterx", &h));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sk_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(origin_matches_host(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(origin_matches_host(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!origin_matches_host(&h));
    }

    #[test]
    fn password_rules() {
        assert!(password_problem("short").is_some());
        assert!(password_problem("long enough words").is_none());
    }
}
