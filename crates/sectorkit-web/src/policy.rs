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
    ("GET", "/p/{pid}/{section}", Member(Viewer)),
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
        Member(required) => {
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
    }
    next.run(req).await
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
            if p.contains("{pid}") {
                assert!(
                    matches!(policy, Member(_)),
                    "{m} {p} must be a member route"
                );
            }
        }
    }
}
