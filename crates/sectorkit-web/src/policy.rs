//! Route policies: who may use which route, declared in one table.
//!
//! [`POLICIES`] maps every (method, route pattern) to a [`Policy`]. The [`policy_layer`] runs on
//! every matched route, looks the route up, and refuses the request when the policy is not met;
//! a route missing from the table is refused with a 500 and logged (fail closed). A test walks
//! every registered route and fails if one has no policy.
//!
//! Partnership routes carry `{pid}`. For them the layer checks membership and role and inserts a
//! [`Tenant`] into the request; a non-member gets 404 (the partnership's existence is not
//! revealed), a member with too low a role gets 403.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sectorkit_core::role::Role;
use sectorkit_store::{PartnershipId, User};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A site administrator.
    Admin,
    /// A member of the partnership named by `{pid}` with at least this role.
    Member(Role),
    /// As `Member`, but a member below the role gets 404, not 403: the page holds
    /// participant-level data whose very existence is not shown to partners and viewers.
    Hidden(Role),
    /// An API request with a bearer token of the partnership named by `{pid}` whose effective
    /// role (the token's role capped by its user's current role) is at least this. The session
    /// cookie is ignored.
    Token(Role),
}

use Policy::*;
use Role::*;

/// The one place where authorization is declared: (method, route pattern) → policy.
pub const POLICIES: &[(&str, &str, Policy)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/static/{file}", Public),
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("POST", "/logout", SignedIn),
    ("GET", "/", SignedIn),
    ("GET", "/account", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("GET", "/invite/{token}", Public),
    ("POST", "/invite/{token}", Public),
    ("GET", "/partnerships/new", Admin),
    ("POST", "/partnerships", Admin),
    ("GET", "/p/{pid}", Member(Viewer)),
    ("GET", "/p/{pid}/members", Member(Viewer)),
    ("POST", "/p/{pid}/invitations", Member(Staff)),
    ("POST", "/p/{pid}/invitations/{id}/revoke", Member(Staff)),
    ("POST", "/p/{pid}/members/{uid}/role", Member(Owner)),
    ("POST", "/p/{pid}/members/{uid}/remove", Member(Owner)),
    ("GET", "/p/{pid}/region", Member(Viewer)),
    ("GET", "/p/{pid}/region/data", Member(Viewer)),
    ("POST", "/p/{pid}/region/data", Member(Staff)),
    ("POST", "/p/{pid}/regions", Member(Staff)),
    ("GET", "/p/{pid}/regions/{rid}", Member(Viewer)),
    (
        "GET",
        "/p/{pid}/regions/{rid}/industries/{code}",
        Member(Viewer),
    ),
    ("GET", "/p/{pid}/regions/{rid}/report", Member(Viewer)),
    ("GET", "/p/{pid}/one-pager", Member(Viewer)),
    ("POST", "/p/{pid}/regions/{rid}/primary", Member(Staff)),
    ("POST", "/p/{pid}/regions/{rid}/delete", Member(Staff)),
    ("POST", "/p/{pid}/shortlist", Member(Staff)),
    ("POST", "/p/{pid}/shortlist/{sid}/remove", Member(Staff)),
    ("POST", "/p/{pid}/shortlist/{sid}/comments", Member(Partner)),
    ("GET", "/p/{pid}/occupations", Member(Viewer)),
    ("GET", "/p/{pid}/commute", Member(Viewer)),
    ("POST", "/p/{pid}/occupations/living-wages", Member(Staff)),
    ("GET", "/p/{pid}/tokens", Member(Viewer)),
    ("POST", "/p/{pid}/tokens", Member(Viewer)),
    ("POST", "/p/{pid}/tokens/{tid}/revoke", Member(Viewer)),
    ("GET", "/p/{pid}/partners", Member(Viewer)),
    ("POST", "/p/{pid}/partners/organizations", Member(Staff)),
    (
        "GET",
        "/p/{pid}/partners/organizations/{oid}",
        Member(Viewer),
    ),
    // Partners edit their own organization (the handler checks they are one of its contacts).
    (
        "POST",
        "/p/{pid}/partners/organizations/{oid}",
        Member(Partner),
    ),
    (
        "POST",
        "/p/{pid}/partners/organizations/{oid}/archive",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/partners/organizations/{oid}/restore",
        Member(Staff),
    ),
    ("POST", "/p/{pid}/partners/contacts", Member(Staff)),
    ("POST", "/p/{pid}/partners/import", Member(Staff)),
    ("GET", "/p/{pid}/partners/meetings", Member(Viewer)),
    ("POST", "/p/{pid}/partners/meetings", Member(Staff)),
    ("GET", "/p/{pid}/partners/meetings/{mid}", Member(Viewer)),
    ("POST", "/p/{pid}/partners/meetings/{mid}", Member(Staff)),
    (
        "POST",
        "/p/{pid}/partners/meetings/{mid}/attendance",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/partners/meetings/{mid}/actions",
        Member(Staff),
    ),
    // Partners change their own action items (the handler checks ownership).
    (
        "POST",
        "/p/{pid}/partners/actions/{aid}/status",
        Member(Partner),
    ),
    ("POST", "/p/{pid}/partners/settings", Member(Staff)),
    ("GET", "/p/{pid}/partners/readiness", Member(Viewer)),
    ("POST", "/p/{pid}/partners/readiness", Member(Staff)),
    ("GET", "/p/{pid}/funding", Member(Viewer)),
    ("GET", "/p/{pid}/funding/catalog", Member(Viewer)),
    ("POST", "/p/{pid}/funding/streams", Member(Staff)),
    (
        "POST",
        "/p/{pid}/funding/streams/{sid}/archive",
        Member(Staff),
    ),
    ("POST", "/p/{pid}/funding/lines", Member(Staff)),
    (
        "POST",
        "/p/{pid}/funding/lines/{lid}/archive",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/funding/lines/{lid}/allocations",
        Member(Staff),
    ),
    ("POST", "/p/{pid}/funding/commitments", Member(Staff)),
    (
        "POST",
        "/p/{pid}/funding/commitments/{cid}/status",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/plan", Member(Viewer)),
    ("GET", "/p/{pid}/plan/page", Member(Viewer)),
    ("POST", "/p/{pid}/plan/page", Member(Staff)),
    ("GET", "/p/{pid}/plan/roadmap", Member(Viewer)),
    ("GET", "/p/{pid}/plan/logic", Member(Viewer)),
    ("POST", "/p/{pid}/plan/logic", Member(Staff)),
    ("GET", "/p/{pid}/plan/actions", Member(Viewer)),
    ("POST", "/p/{pid}/plan/actions", Member(Staff)),
    ("POST", "/p/{pid}/plan/actions/{aid}", Member(Staff)),
    ("POST", "/p/{pid}/plan/strategies", Member(Staff)),
    ("POST", "/p/{pid}/plan/milestones", Member(Staff)),
    ("GET", "/p/{pid}/plan/marketing", Member(Viewer)),
    ("POST", "/p/{pid}/plan/marketing/messages", Member(Staff)),
    ("POST", "/p/{pid}/plan/marketing/items", Member(Staff)),
    ("POST", "/p/{pid}/plan/marketing/case-story", Member(Staff)),
    ("GET", "/p/{pid}/plan/products", Member(Viewer)),
    ("POST", "/p/{pid}/plan/products", Member(Staff)),
    (
        "POST",
        "/p/{pid}/plan/products/{prid}/status",
        Member(Staff),
    ),
    ("POST", "/p/{pid}/plan/capacity", Member(Staff)),
    ("GET", "/p/{pid}/plan/lessons", Member(Viewer)),
    ("POST", "/p/{pid}/plan/lessons", Member(Staff)),
    ("GET", "/p/{pid}/plan/alignment", Member(Viewer)),
    ("POST", "/p/{pid}/plan/alignment/links", Member(Staff)),
    ("POST", "/p/{pid}/plan/alignment/agreements", Member(Staff)),
    // The signed copy carries signatures and named contacts: staff only (see plan_records.rs).
    (
        "GET",
        "/p/{pid}/plan/alignment/agreements/{gid}/file",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/plan/alignment/agreements/{gid}/file",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/plan/records", Member(Viewer)),
    (
        "POST",
        "/p/{pid}/plan/records/{kind}/{rid}/archive",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/plan/records/{kind}/{rid}/restore",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/plan/search", Member(Viewer)),
    ("GET", "/p/{pid}/metrics", Member(Viewer)),
    ("POST", "/p/{pid}/metrics/participants", Member(Staff)),
    // The staged file and its problems (values of named lines) are participant-level data.
    ("GET", "/p/{pid}/metrics/participants/{uid}", Hidden(Staff)),
    ("POST", "/p/{pid}/metrics/participants/{uid}", Hidden(Staff)),
    ("POST", "/p/{pid}/plan/settings", Member(Staff)),
    ("POST", "/p/{pid}/plan/issues", Member(Staff)),
    ("GET", "/p/{pid}/plan/issues/{iid}", Member(Viewer)),
    ("POST", "/p/{pid}/plan/issues/{iid}", Member(Staff)),
    ("POST", "/p/{pid}/plan/issues/{iid}/archive", Member(Staff)),
    ("POST", "/p/{pid}/plan/issues/{iid}/restore", Member(Staff)),
    ("POST", "/p/{pid}/plan/issues/{iid}/evidence", Member(Staff)),
    (
        "POST",
        "/p/{pid}/plan/issues/{iid}/evidence/{eid}/remove",
        Member(Staff),
    ),
    ("POST", "/p/{pid}/plan/rounds", Member(Staff)),
    ("GET", "/p/{pid}/plan/rounds/{rid}", Member(Viewer)),
    // Partners vote; viewers do not.
    ("POST", "/p/{pid}/plan/rounds/{rid}/ballot", Member(Partner)),
    ("POST", "/p/{pid}/plan/rounds/{rid}/close", Member(Staff)),
    ("POST", "/p/{pid}/plan/rounds/{rid}/confirm", Member(Staff)),
    (
        "POST",
        "/p/{pid}/plan/priorities/{prid}/retire",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/partners/history", Member(Viewer)),
    ("GET", "/p/{pid}/partners/actions/{aid}", Member(Viewer)),
    // Partners change their own action items and the touches they logged (handlers check).
    ("POST", "/p/{pid}/partners/actions/{aid}", Member(Partner)),
    ("GET", "/p/{pid}/partners/outreach/{tid}", Member(Viewer)),
    ("POST", "/p/{pid}/partners/outreach/{tid}", Member(Partner)),
    (
        "POST",
        "/p/{pid}/partners/outreach/{tid}/archive",
        Member(Partner),
    ),
    (
        "POST",
        "/p/{pid}/partners/outreach/{tid}/restore",
        Member(Partner),
    ),
    ("GET", "/p/{pid}/partners/voice/{fid}", Member(Viewer)),
    ("POST", "/p/{pid}/partners/voice/{fid}", Member(Staff)),
    (
        "POST",
        "/p/{pid}/partners/voice/{fid}/archive",
        Member(Staff),
    ),
    (
        "POST",
        "/p/{pid}/partners/voice/{fid}/restore",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/partners/outreach", Member(Viewer)),
    // Every partner organization logs its own touches with employers.
    ("POST", "/p/{pid}/partners/outreach", Member(Partner)),
    ("GET", "/p/{pid}/partners/voice", Member(Viewer)),
    ("POST", "/p/{pid}/partners/voice", Member(Staff)),
    ("POST", "/p/{pid}/partners/import/confirm", Member(Staff)),
    (
        "POST",
        "/p/{pid}/partners/contacts/{cid}/archive",
        Member(Staff),
    ),
    ("GET", "/p/{pid}/{section}", Member(Viewer)),
    // The JSON API (crate::api): bearer tokens only.
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/partnerships/{pid}", Token(Viewer)),
    ("GET", "/api/v1/partnerships/{pid}/regions", Token(Viewer)),
    (
        "GET",
        "/api/v1/partnerships/{pid}/regions/{rid}",
        Token(Viewer),
    ),
    (
        "GET",
        "/api/v1/partnerships/{pid}/regions/{rid}/targets",
        Token(Viewer),
    ),
    ("GET", "/api/v1/partnerships/{pid}/shortlist", Token(Viewer)),
    (
        "GET",
        "/api/v1/partnerships/{pid}/occupations",
        Token(Viewer),
    ),
];

/// The policy declared for a route, if any.
pub fn policy_for(method: &Method, pattern: &str) -> Option<Policy> {
    POLICIES
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == pattern)
        .map(|(_, _, policy)| *policy)
}

/// The partnership a request is about, and the signed-in member's role in it. Only the policy
/// layer creates one, after checking membership.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: PartnershipId,
    pub role: Role,
    pub user: User,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Tenant {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Tenant>().cloned().ok_or_else(|| {
            AppError::Internal(
                "handler expects a tenant but its route is not a member route".into(),
            )
        })
    }
}

/// Enforces [`POLICIES`] on every matched route.
pub async fn policy_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(pattern) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
    else {
        return AppError::Internal("policy layer ran outside routing".into()).into_response();
    };
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let Some(policy) = policy_for(&method, &pattern) else {
        // The path exists with other methods: a 405 naming them (no handler runs).
        let allowed: Vec<&str> = POLICIES
            .iter()
            .filter(|(_, p, _)| *p == pattern)
            .map(|(m, _, _)| *m)
            .collect();
        if !allowed.is_empty() {
            let mut allow = allowed.join(", ");
            if allowed.contains(&"GET") {
                allow.push_str(", HEAD");
            }
            let mut res = axum::http::StatusCode::METHOD_NOT_ALLOWED.into_response();
            if let Ok(v) = axum::http::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(axum::http::header::ALLOW, v);
            }
            return res;
        }
        return AppError::Internal(format!("route {method} {pattern} has no declared policy"))
            .into_response();
    };
    let auth = req.extensions().get::<Auth>().cloned();
    let user = auth.and_then(|a| a.user);
    match policy {
        Public => {}
        SignedIn => {
            if user.is_none() {
                return AppError::LoginRequired.into_response();
            }
        }
        Admin => match &user {
            None => return AppError::LoginRequired.into_response(),
            Some(u) if !u.is_admin => {
                return AppError::Forbidden(
                    "Only a site administrator can do this. Ask yours, or use `sectorkit user \
                     add --admin` on the server."
                        .into(),
                )
                .into_response();
            }
            Some(_) => {}
        },
        Member(required) | Hidden(required) => {
            let Some(user) = user else {
                return AppError::LoginRequired.into_response();
            };
            let pid = match pid_param(&mut req).await {
                Some(pid) => pid,
                None => return AppError::NotFound.into_response(),
            };
            let role = match state.store.role_in(user.id, pid).await {
                Ok(Some(role)) => role,
                Ok(None) => return AppError::NotFound.into_response(),
                Err(e) => return AppError::from(e).into_response(),
            };
            if !role.allows(required) && matches!(policy, Hidden(_)) {
                return AppError::NotFound.into_response();
            }
            if !role.allows(required) {
                return AppError::Forbidden(format!(
                    "This needs the {} role or higher in this partnership; yours is {}.",
                    required.label(),
                    role.label()
                ))
                .into_response();
            }
            req.extensions_mut().insert(Tenant {
                id: pid,
                role,
                user,
            });
        }
        Token(required) => match token_tenant(&state, &mut req, required).await {
            Ok((tenant, token)) => {
                req.extensions_mut().insert(tenant);
                req.extensions_mut().insert(token);
            }
            Err(e) => return e.into_response(),
        },
    }
    next.run(req).await
}

/// The bearer token of a request (`Authorization: Bearer …`), if any.
fn bearer(req: &Request) -> Option<&str> {
    let v = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves an API request's token into the tenant it may act for.
async fn token_tenant(
    state: &AppState,
    req: &mut Request,
    required: Role,
) -> Result<(Tenant, sectorkit_store::ApiTokenAuth), AppError> {
    let Some(raw) = bearer(req) else {
        return Err(AppError::TokenRequired(
            "Send an API token: `Authorization: Bearer skt_…` (create one on the partnership's \
             API tokens page or with `sectorkit token create`)."
                .into(),
        ));
    };
    let unknown = || {
        AppError::TokenRequired(
            "The API token is not valid: unknown, revoked or expired, or its user is no longer \
             a member of the partnership."
                .into(),
        )
    };
    if !crate::api::looks_like_token(raw) {
        return Err(unknown());
    }
    let now = sectorkit_store::now_unix();
    let hash = crate::auth::token_hash(raw);
    let token = state
        .store
        .api_token(&hash, now)
        .await?
        .ok_or_else(unknown)?;
    let pid = pid_param(req).await.ok_or(AppError::NotFound)?;
    if pid != token.partnership_id {
        // Another partnership's records: not revealed, as for pages.
        return Err(AppError::NotFound);
    }
    let role = token.effective_role();
    if !role.allows(required) {
        return Err(AppError::Forbidden(format!(
            "This needs the {} role or higher; this token acts as {}.",
            required.label(),
            role.label()
        )));
    }
    let stale = token
        .last_used_at
        .is_none_or(|t| t < now - sectorkit_store::LAST_USED_RESOLUTION_SECS);
    if stale && let Err(e) = state.store.touch_api_token(token.id, now).await {
        tracing::warn!(error = %e, "could not record API token use");
    }
    Ok((
        Tenant {
            id: pid,
            role,
            user: token.user.clone(),
        },
        token,
    ))
}

async fn pid_param(req: &mut Request) -> Option<PartnershipId> {
    use axum::extract::FromRequestParts;
    let (mut parts, body) = std::mem::take(req).into_parts();
    let params = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .ok();
    *req = Request::from_parts(parts, body);
    let params = params?;
    let raw = params.iter().find(|(k, _)| *k == "pid").map(|(_, v)| v)?;
    // Only canonical decimal ids: no sign, no leading zeros, no whitespace.
    if raw.is_empty() || raw.starts_with('0') || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse::<i64>().ok().map(PartnershipId)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates() {
        for (i, a) in POLICIES.iter().enumerate() {
            for b in &POLICIES[i + 1..] {
                assert!(
                    !(a.0 == b.0 && a.1 == b.1),
                    "duplicate policy for {} {}",
                    a.0,
                    a.1
                );
            }
        }
    }

    #[test]
    fn partnership_routes_require_membership() {
        for (m, p, policy) in POLICIES {
            if p.starts_with("/api/") {
                assert!(
                    matches!(policy, Token(_) | Public),
                    "{m} {p}: API routes take tokens, never sessions"
                );
                if p.contains("{pid}") {
                    assert!(matches!(policy, Token(_)), "{m} {p} must be a token route");
                }
            } else if p.contains("{pid}") {
                assert!(
                    matches!(policy, Member(_) | Hidden(_)),
                    "{m} {p} must be a member route"
                );
            }
            if matches!(policy, Token(_)) {
                assert!(
                    p.starts_with("/api/"),
                    "{m} {p}: token routes live under /api/"
                );
            }
        }
    }
}
