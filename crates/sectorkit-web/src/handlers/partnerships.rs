//! Partnership pages: the start page, creating a partnership, its overview, members and
//! invitations, and the lifecycle sections.

use crate::AppState;
use crate::auth::{self, Auth};
use crate::error::AppError;
use crate::policy::Tenant;
use crate::templates::{
    self, Chrome, HomeTemplate, MembersTemplate, NewPartnershipTemplate, OverviewTemplate,
    SectionTemplate, page,
};
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::role::Role;
use sectorkit_store::{StoreError, UserId};
use serde::Deserialize;

pub async fn home(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
) -> Result<Response, AppError> {
    let user = auth.user()?.clone();
    let partnerships = state.store.partnerships_of(user.id).await?;
    Ok(page(&HomeTemplate {
        chrome: Chrome::new(Some(&auth), None),
        user,
        partnerships,
    })?
    .into_response())
}

pub async fn new_page(Extension(auth): Extension<Auth>) -> Result<Response, AppError> {
    Ok(page(&NewPartnershipTemplate {
        chrome: Chrome::new(Some(&auth), None),
        name: String::new(),
        slug: String::new(),
        description: String::new(),
        error_name: None,
        error_slug: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct NewPartnershipForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
}

/// Makes a URL-safe short name from a partnership's name.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn slug_problem(slug: &str) -> Option<&'static str> {
    let ok = !slug.is_empty()
        && slug.len() <= 60
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-');
    (!ok).then_some(
        "Use 1 to 60 lower-case letters, digits and dashes, starting with a letter or digit.",
    )
}

pub async fn create(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Form(form): Form<NewPartnershipForm>,
) -> Result<Response, AppError> {
    let user = auth.user()?.clone();
    let name = form.name.trim().to_string();
    let slug = if form.slug.trim().is_empty() {
        slugify(&name)
    } else {
        form.slug.trim().to_string()
    };
    let mut error_name = None;
    let mut error_slug = None;
    if name.is_empty() {
        error_name = Some("Give the partnership a name.".to_string());
    } else if name.chars().count() > 200 {
        error_name = Some("Use at most 200 characters.".to_string());
    } else if let Some(p) = slug_problem(&slug) {
        error_slug = Some(p.to_string());
    }
    if error_name.is_none() && error_slug.is_none() {
        match state
            .store
            .create_partnership(&slug, &name, &form.description, user.id)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/p/{id}")).into_response()),
            Err(StoreError::Conflict(_)) => {
                error_slug = Some(format!(
                    "The short name \"{slug}\" is taken; choose another."
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&NewPartnershipTemplate {
            chrome: Chrome::new(Some(&auth), None),
            name,
            slug: form.slug,
            description: form.description,
            error_name,
            error_slug,
        })?,
    )
        .into_response())
}

pub async fn overview(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
) -> Result<Response, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let members = state.store.members(tenant.id).await?;
    let open = state
        .store
        .open_invitations(tenant.id, sectorkit_store::now_unix())
        .await?;
    let by_role = Role::ALL
        .iter()
        .map(|r| (*r, members.iter().filter(|m| m.role == *r).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let today = crate::handlers::convening::today();
    let health = crate::handlers::convening::health(&state, &tenant, today).await?;
    let open_items: Vec<_> = health
        .actions
        .iter()
        .filter(|a| a.status == sectorkit_core::engagement::ActionStatus::Open)
        .collect();
    Ok(page(&OverviewTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, ""),
        flags: crate::handlers::convening::flag_views(tenant.id.0, &health.flags),
        meetings_held: health.trend.len(),
        open_actions: open_items.len(),
        overdue_actions: open_items
            .iter()
            .filter(|a| a.due_on.is_some_and(|d| d < today))
            .count(),
        role: tenant.role,
        member_count: members.len(),
        open_invitations: open.len(),
        by_role,
        partnership,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct MembersQuery {
    notice: Option<String>,
    error: Option<String>,
    /// `csv` with `table=members` (default) or `table=invitations`.
    format: Option<String>,
    table: Option<String>,
}

async fn members_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    new_link: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    form_email: String,
) -> Result<MembersTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let members = state.store.members(tenant.id).await?;
    let invitations = state
        .store
        .open_invitations(tenant.id, sectorkit_store::now_unix())
        .await?;
    let grantable = Role::ALL
        .iter()
        .copied()
        .filter(|r| tenant.role.can_grant(*r))
        .collect();
    Ok(MembersTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "members"),
        role: tenant.role,
        me: tenant.user.id.0,
        members,
        invitations,
        grantable,
        all_roles: &Role::ALL,
        new_link,
        notice,
        error,
        form_email,
        partnership,
    })
}

pub async fn members_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<MembersQuery>,
) -> Result<Response, AppError> {
    if let Some(f) = q.format.as_deref() {
        if f != "csv" {
            return Err(AppError::BadRequest(format!("format: {f:?} is not csv")));
        }
        use crate::handlers::downloads::{csv_file, unknown_table};
        use crate::templates::datetime;
        return match q.table.as_deref().unwrap_or("members") {
            "members" => {
                let members = state.store.members(tenant.id).await?;
                csv_file(
                    "sectorkit-members.csv",
                    &["name", "email", "role", "joined_at"],
                    members.iter().map(|m| {
                        vec![
                            m.name.clone(),
                            m.email.clone(),
                            m.role.as_str().to_string(),
                            datetime(&m.joined_at),
                        ]
                    }),
                )
            }
            "invitations" => {
                let open = state
                    .store
                    .open_invitations(tenant.id, sectorkit_store::now_unix())
                    .await?;
                csv_file(
                    "sectorkit-invitations.csv",
                    &["email", "role", "created_at", "expires_at"],
                    open.iter().map(|i| {
                        vec![
                            i.email.clone(),
                            i.role.as_str().to_string(),
                            datetime(&i.created_at),
                            datetime(&i.expires_at),
                        ]
                    }),
                )
            }
            other => Err(unknown_table(other, &["members", "invitations"])),
        };
    }
    let notice = q.notice.as_deref().and_then(|n| match n {
        "role" => Some("The member's role was changed.".to_string()),
        "removed" => Some("The member was removed.".to_string()),
        "revoked" => Some("The invitation was revoked.".to_string()),
        _ => None,
    });
    let error = q.error.as_deref().and_then(|e| match e {
        "last-owner" => Some(
            "A partnership needs at least one owner: make someone else owner first.".to_string(),
        ),
        _ => None,
    });
    let view = members_view(&state, &auth, &tenant, None, notice, error, String::new()).await?;
    Ok(page(&view)?.into_response())
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.cookie_secure {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub async fn invite(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let role: Role = form
        .role
        .parse()
        .map_err(|e: sectorkit_core::role::UnknownRole| AppError::BadRequest(e.to_string()))?;
    if !tenant.role.can_grant(role) {
        return Err(AppError::Forbidden(format!(
            "As {} you cannot invite someone as {}.",
            tenant.role.label(),
            role.label()
        )));
    }
    if !auth::looks_like_email(&form.email) {
        let view = members_view(
            &state,
            &auth,
            &tenant,
            None,
            None,
            Some(format!(
                "\"{}\" is not an email address.",
                form.email.trim()
            )),
            form.email.clone(),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&view)?).into_response());
    }
    let token = auth::random_token();
    let expires = sectorkit_store::now_unix() + state.config.invitation_ttl.as_secs() as i64;
    state
        .store
        .create_invitation(
            tenant.id,
            &form.email,
            role,
            &auth::token_hash(&token),
            tenant.user.id,
            expires,
        )
        .await?;
    let link = format!("{}/invite/{token}", base_url(&state, &headers));
    let view = members_view(
        &state,
        &auth,
        &tenant,
        Some(link),
        Some(format!(
            "Invitation created for {} as {}.",
            form.email.trim(),
            role.label()
        )),
        None,
        String::new(),
    )
    .await?;
    Ok(page(&view)?.into_response())
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    state.store.revoke_invitation(tenant.id, id).await?;
    Ok(Redirect::to(&format!("/p/{}/members?notice=revoked", tenant.id)).into_response())
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, uid)): Path<(String, i64)>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let role: Role = form
        .role
        .parse()
        .map_err(|e: sectorkit_core::role::UnknownRole| AppError::BadRequest(e.to_string()))?;
    match state
        .store
        .change_member_role(tenant.id, UserId(uid), role)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/p/{}/members?notice=role", tenant.id)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/p/{}/members?error=last-owner", tenant.id)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_member(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_pid, uid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    match state.store.remove_member(tenant.id, UserId(uid)).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/p/{}/members?notice=removed", tenant.id)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/p/{}/members?error=last-owner", tenant.id)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn section(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_pid, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let section = templates::section(&slug).ok_or(AppError::NotFound)?;
    let partnership = state.store.partnership(tenant.id).await?;
    Ok(page(&SectionTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, section.slug),
        partnership,
        section,
    })?
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Central Ohio Manufacturing Partnership!"),
            "central-ohio-manufacturing-partnership"
        );
        assert_eq!(slugify("  --Health  Care-- "), "health-care");
        assert!(slug_problem("ok-slug-1").is_none());
        assert!(slug_problem("Bad Slug").is_some());
        assert!(slug_problem("").is_some());
    }

    #[test]
    fn emails() {
        use crate::auth::looks_like_email;
        assert!(looks_like_email("ana@example.org"));
        assert!(!looks_like_email("ana@example"));
        assert!(!looks_like_email("ana example@x.org"));
        assert!(!looks_like_email("@x.org"));
    }
}
