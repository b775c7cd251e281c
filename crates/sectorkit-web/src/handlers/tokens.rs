//! The API tokens page of a partnership: create a token (shown once), list and revoke.
//!
//! Any member may create tokens for themself with a role no higher than their own; they see and
//! revoke their own tokens; owners see and revoke everyone's in the partnership.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::policy::Tenant;
use crate::templates::{Chrome, datetime, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::role::Role;
use sectorkit_store::{NewApiToken, Partnership};
use serde::Deserialize;

/// Longest token name.
pub const MAX_NAME: usize = 80;
/// Longest lifetime a token can be given, in days.
pub const MAX_DAYS: i64 = 3650;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub member: String,
    pub role: &'static str,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub live: bool,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub is_owner: bool,
    pub tokens: Vec<TokenRow>,
    pub grantable: Vec<Role>,
    pub new_token: Option<String>,
    pub base_url: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub form_name: String,
}

#[derive(Deserialize, Default)]
pub struct TokensQuery {
    notice: Option<String>,
    /// `csv`: the tokens table as a file (never the tokens themselves).
    format: Option<String>,
}

async fn view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    headers: &HeaderMap,
) -> Result<TokensTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let is_owner = tenant.role == Role::Owner;
    let now = sectorkit_store::now_unix();
    let tokens = state
        .store
        .api_tokens(tenant.id, (!is_owner).then_some(tenant.user.id))
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            live: t.is_live(now),
            state: if t.revoked_at.is_some() {
                "revoked"
            } else if t.is_live(now) {
                "live"
            } else {
                "expired"
            },
            name: t.name,
            prefix: t.prefix,
            member: t.user_name,
            role: t.role.label(),
            created: datetime(&t.created_at),
            expires: t
                .expires_at
                .map(|e| datetime(&e))
                .unwrap_or_else(|| "never".into()),
            last_used: t
                .last_used_at
                .map(|e| datetime(&e))
                .unwrap_or_else(|| "never".into()),
        })
        .collect();
    Ok(TokensTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "members"),
        is_owner,
        tokens,
        grantable: Role::ALL
            .iter()
            .copied()
            .filter(|r| tenant.role.allows(*r))
            .collect(),
        new_token: None,
        base_url: crate::handlers::partnerships::base_url(state, headers),
        notice: None,
        error: None,
        form_name: String::new(),
        partnership,
    })
}

/// `GET /p/{pid}/tokens`.
pub async fn tokens_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    headers: HeaderMap,
    Query(q): Query<TokensQuery>,
) -> Result<Response, AppError> {
    let mut v = view(&state, &auth, &tenant, &headers).await?;
    if let Some(f) = q.format.as_deref() {
        if f != "csv" {
            return Err(AppError::BadRequest(format!("format: {f:?} is not csv")));
        }
        return crate::handlers::downloads::csv_file(
            "sectorkit-api-tokens.csv",
            &[
                "id",
                "name",
                "prefix",
                "member",
                "role",
                "created",
                "expires",
                "last_used",
                "state",
            ],
            v.tokens.iter().map(|t| {
                vec![
                    t.id.to_string(),
                    t.name.clone(),
                    t.prefix.clone(),
                    t.member.clone(),
                    t.role.to_string(),
                    t.created.clone(),
                    t.expires.clone(),
                    t.last_used.clone(),
                    t.state.to_string(),
                ]
            }),
        );
    }
    v.notice = match q.notice.as_deref() {
        Some("revoked") => Some("The token was revoked: it no longer works.".into()),
        _ => None,
    };
    Ok(page(&v)?.into_response())
}

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    days: String,
}

/// Checks a new token's name, role and lifetime; the message names the field.
pub fn check_new_token(
    my_role: Role,
    name: &str,
    role: &str,
    days: &str,
) -> Result<(String, Role, Option<i64>), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Name: give the token a name, such as what it is for.".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("Name: use at most {MAX_NAME} characters."));
    }
    let role: Role = role
        .parse()
        .map_err(|e: sectorkit_core::role::UnknownRole| format!("Role: {e}"))?;
    if !my_role.allows(role) {
        return Err(format!(
            "Role: a token cannot have more power than you; yours is {}.",
            my_role.label()
        ));
    }
    let days = days.trim();
    let days = if days.is_empty() {
        None
    } else {
        match days.parse::<i64>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => Some(d),
            _ => {
                return Err(format!(
                    "Expires after: {days:?} is not a whole number of days from 1 to {MAX_DAYS}."
                ));
            }
        }
    };
    Ok((name.to_string(), role, days))
}

/// `POST /p/{pid}/tokens`: creates a token and shows it once.
pub async fn create(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    headers: HeaderMap,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, AppError> {
    match check_new_token(tenant.role, &form.name, &form.role, &form.days) {
        Err(msg) => {
            let mut v = view(&state, &auth, &tenant, &headers).await?;
            v.error = Some(msg);
            v.form_name = form.name;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&v)?).into_response())
        }
        Ok((name, role, days)) => {
            let (token, prefix) = crate::api::new_token();
            let hash = crate::auth::token_hash(&token);
            state
                .store
                .create_api_token(&NewApiToken {
                    partnership: tenant.id,
                    user: tenant.user.id,
                    name: &name,
                    role,
                    token_hash: &hash,
                    prefix: &prefix,
                    expires_at: days.map(|d| sectorkit_store::now_unix() + d * 86_400),
                })
                .await?;
            tracing::info!(partnership = tenant.id.0, user = tenant.user.id.0, %prefix, role = %role, "API token created");
            let mut v = view(&state, &auth, &tenant, &headers).await?;
            v.new_token = Some(token);
            Ok(page(&v)?.into_response())
        }
    }
}

/// `POST /p/{pid}/tokens/{tid}/revoke`: own tokens; owners any token of the partnership.
pub async fn revoke(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, tid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let only_mine = (tenant.role != Role::Owner).then_some(tenant.user.id);
    state
        .store
        .revoke_api_token(tenant.id, tid, only_mine)
        .await?;
    tracing::info!(partnership = tenant.id.0, token = tid, "API token revoked");
    Ok(Redirect::to(&format!("/p/{}/tokens?notice=revoked", tenant.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_token_rules() {
        assert!(check_new_token(Role::Staff, "dash", "viewer", "90").is_ok());
        assert_eq!(
            check_new_token(Role::Staff, " dash ", "staff", "").unwrap(),
            ("dash".to_string(), Role::Staff, None)
        );
        let e = check_new_token(Role::Staff, "dash", "owner", "").unwrap_err();
        assert!(e.starts_with("Role:"), "{e}");
        assert!(
            check_new_token(Role::Viewer, "", "viewer", "")
                .unwrap_err()
                .starts_with("Name:")
        );
        for bad in ["0", "-3", "3651", "1.5", "ten"] {
            let e = check_new_token(Role::Owner, "x", "viewer", bad).unwrap_err();
            assert!(e.starts_with("Expires after:"), "{bad}: {e}");
        }
    }
}
