//! Sign in, sign out, and the account page (password change).

use crate::AppState;
use crate::auth::{self, Auth};
use crate::error::AppError;
use crate::templates::{AccountTemplate, Chrome, LoginTemplate, page};
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::{LOGIN_FAILED, LOGIN_THROTTLED};

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site absolute paths are allowed as a redirect target after login.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn login_page(
    Extension(auth): Extension<Auth>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if auth.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    Ok(page(&LoginTemplate {
        chrome: Chrome::new(Some(&auth), None),
        next,
        email: String::new(),
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    let account_key = sectorkit_store::normalize_email(&form.email);
    let fail = |status: StatusCode, msg: &str| -> Result<Response, AppError> {
        Ok((
            status,
            page(&LoginTemplate {
                chrome: Chrome::new(Some(&auth), None),
                next: next.clone(),
                email: form.email.clone(),
                error: Some(msg.to_string()),
            })?,
        )
            .into_response())
    };
    if auth::throttled(&state, &account_key, &auth.ip).await? {
        tracing::warn!(ip = %auth.ip, "login throttled");
        return fail(StatusCode::TOO_MANY_REQUESTS, LOGIN_THROTTLED);
    }
    let creds = state.store.credentials_by_email(&account_key).await?;
    let password = form.password.clone();
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let user_id = match (ok, creds) {
        (true, Some(c)) => c.id,
        _ => {
            state
                .store
                .record_login_failure(&account_key, &auth.ip, sectorkit_store::now_unix())
                .await?;
            return fail(StatusCode::UNAUTHORIZED, LOGIN_FAILED);
        }
    };
    state.store.clear_login_failures(&account_key).await?;
    // A fresh session on every login (the old one, if any, is ended).
    if let Some(old) = &auth.session_hash {
        state.store.delete_session(old).await?;
    }
    let token = auth::random_token();
    let ttl = state.config.session_ttl.as_secs() as i64;
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            user_id,
            &auth::random_token(),
            sectorkit_store::now_unix() + ttl,
        )
        .await?;
    tracing::info!(user = user_id.0, "signed in");
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(
            auth::SESSION_COOKIE,
            &token,
            ttl,
            state.config.cookie_secure,
        ),
    );
    Ok(res)
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
) -> Result<Response, AppError> {
    if let Some(hash) = &auth.session_hash {
        state.store.delete_session(hash).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.config.cookie_secure),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn account_page(
    Extension(auth): Extension<Auth>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let user = auth.user()?.clone();
    let notice = match q.notice.as_deref() {
        Some("password") => Some("Your password was changed.".to_string()),
        _ => None,
    };
    Ok(page(&AccountTemplate {
        chrome: Chrome::new(Some(&auth), None),
        user,
        notice,
        error_current: None,
        error_new: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = auth.user()?.clone();
    let creds = state
        .store
        .credentials(user.id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let current = form.current.clone();
    let ok =
        tokio::task::spawn_blocking(move || auth::verify_password(&current, &creds.password_hash))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    let (error_current, error_new) = if !ok {
        (Some("This is not your current password.".to_string()), None)
    } else {
        (None, auth::password_problem(&form.new))
    };
    if error_current.is_some() || error_new.is_some() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&AccountTemplate {
                chrome: Chrome::new(Some(&auth), None),
                user,
                notice: None,
                error_current,
                error_new,
            })?,
        )
            .into_response());
    }
    let new = form.new.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    // Ends every session of this user, this one included: sign in again with the new password.
    state.store.set_password(user.id, &hash).await?;
    Ok(Redirect::to("/login?next=/account%3Fnotice%3Dpassword").into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/p/1")), "/p/1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
