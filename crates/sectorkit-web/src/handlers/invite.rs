//! One-time invitation links: `/invite/{token}` shows the invitation and accepts it, creating the
//! account first when the invited email has none.

use crate::AppState;
use crate::auth::{self, Auth};
use crate::error::AppError;
use crate::templates::{Chrome, InviteState, InviteTemplate, page};
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_store::{Accepted, Invitation, StoreError};
use serde::Deserialize;

async fn load(state: &AppState, token: &str) -> Result<Option<Invitation>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let inv = state
        .store
        .invitation_by_token(&auth::token_hash(token))
        .await?;
    Ok(inv.filter(|i| i.is_open(sectorkit_store::now_unix())))
}

async fn state_for(
    state: &AppState,
    auth: &Auth,
    inv: &Invitation,
) -> Result<InviteState, AppError> {
    Ok(match &auth.user {
        Some(u) if u.email == inv.email => InviteState::Accept,
        Some(u) => InviteState::WrongAccount(u.email.clone()),
        None => {
            if state.store.user_by_email(&inv.email).await?.is_some() {
                InviteState::SignIn
            } else {
                InviteState::SignUp
            }
        }
    })
}

fn closed(auth: &Auth, token: String) -> Result<Response, AppError> {
    Ok((
        StatusCode::NOT_FOUND,
        page(&InviteTemplate {
            chrome: Chrome::new(Some(auth), None),
            token,
            partnership_name: String::new(),
            email: String::new(),
            role: sectorkit_core::role::Role::Viewer,
            state: InviteState::Closed,
            name: String::new(),
            error_name: None,
            error_password: None,
        })?,
    )
        .into_response())
}

pub async fn invite_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(inv) = load(&state, &token).await? else {
        return closed(&auth, token);
    };
    let partnership = state.store.partnership(inv.partnership_id).await?;
    let view_state = state_for(&state, &auth, &inv).await?;
    Ok(page(&InviteTemplate {
        chrome: Chrome::new(Some(&auth), None),
        token,
        partnership_name: partnership.name,
        email: inv.email,
        role: inv.role,
        state: view_state,
        name: String::new(),
        error_name: None,
        error_password: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub async fn accept(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(inv) = load(&state, &token).await? else {
        return closed(&auth, token);
    };
    let hash = auth::token_hash(&token);
    match state_for(&state, &auth, &inv).await? {
        InviteState::Accept => {
            let user = auth.user()?;
            match state.store.accept_invitation(&hash, user.id).await? {
                Accepted::Joined(pid) => Ok(Redirect::to(&format!("/p/{pid}")).into_response()),
                Accepted::NotOpen => closed(&auth, token),
            }
        }
        InviteState::SignUp => {
            let name = form.name.trim().to_string();
            let error_name = if name.is_empty() {
                Some("Tell us your name.".to_string())
            } else if name.chars().count() > 200 {
                Some("Use at most 200 characters.".to_string())
            } else {
                None
            };
            let error_password = auth::password_problem(&form.password);
            if error_name.is_some() || error_password.is_some() {
                let partnership = state.store.partnership(inv.partnership_id).await?;
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    page(&InviteTemplate {
                        chrome: Chrome::new(Some(&auth), None),
                        token,
                        partnership_name: partnership.name,
                        email: inv.email,
                        role: inv.role,
                        state: InviteState::SignUp,
                        name,
                        error_name,
                        error_password,
                    })?,
                )
                    .into_response());
            }
            let password = form.password.clone();
            let phc = tokio::task::spawn_blocking(move || auth::hash_password(&password))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(AppError::Internal)?;
            let user_id = match state
                .store
                .create_user(&inv.email, &name, &phc, false)
                .await
            {
                Ok(id) => id,
                // Someone created the account in between: ask them to sign in instead.
                Err(StoreError::Conflict(_)) => {
                    return Ok(Redirect::to(&format!("/invite/{token}")).into_response());
                }
                Err(e) => return Err(e.into()),
            };
            let pid = match state.store.accept_invitation(&hash, user_id).await? {
                Accepted::Joined(pid) => pid,
                Accepted::NotOpen => return closed(&auth, token),
            };
            // Sign the new user in.
            let session = auth::random_token();
            let ttl = state.config.session_ttl.as_secs() as i64;
            state
                .store
                .create_session(
                    &auth::token_hash(&session),
                    user_id,
                    &auth::random_token(),
                    sectorkit_store::now_unix() + ttl,
                )
                .await?;
            let mut res = Redirect::to(&format!("/p/{pid}")).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                auth::set_cookie(
                    auth::SESSION_COOKIE,
                    &session,
                    ttl,
                    state.config.cookie_secure,
                ),
            );
            Ok(res)
        }
        InviteState::SignIn => {
            Ok(Redirect::to(&format!("/login?next=/invite/{token}")).into_response())
        }
        InviteState::WrongAccount(_) | InviteState::Closed => Err(AppError::Forbidden(
            "This invitation was sent to another email address. Sign out, then open the link \
             again."
                .into(),
        )),
    }
}
