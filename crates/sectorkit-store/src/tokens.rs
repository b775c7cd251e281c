//! API tokens: created by a member for one partnership and a role, looked up by the SHA-256 of
//! the token (the token itself is never stored), revocable, optionally expiring.
//!
//! [`Store::api_token`] returns a token only while it is live (not revoked, not expired) and its
//! user is still a member of the token's partnership; the caller caps the token's role by the
//! member's current role ([`ApiTokenAuth::effective_role`]), so a demoted or removed member's
//! tokens lose their power at once.

use crate::partnerships::parse_role;
use crate::{PartnershipId, Result, Store, StoreError, User, UserId, on_pool};
use sectorkit_core::role::Role;

/// A new token to record.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    pub partnership: PartnershipId,
    pub user: UserId,
    pub name: &'a str,
    pub role: Role,
    /// SHA-256 (hex) of the token.
    pub token_hash: &'a str,
    /// The token's first characters, shown in lists so a user can tell tokens apart.
    pub prefix: &'a str,
    pub expires_at: Option<i64>,
}

/// A token as lists show it (no hash).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub user_id: UserId,
    pub user_name: String,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiTokenInfo {
    /// Whether the token works at `now` (its user's membership aside).
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A live token, found by its hash, with its user and that user's current role.
#[derive(Debug, Clone)]
pub struct ApiTokenAuth {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub token_role: Role,
    pub member_role: Role,
    pub user: User,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl ApiTokenAuth {
    /// The lower of the token's role and its user's current role in the partnership.
    pub fn effective_role(&self) -> Role {
        self.token_role.min(self.member_role)
    }
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    id: i64,
    partnership_id: PartnershipId,
    user_id: UserId,
    user_name: String,
    name: String,
    role: String,
    prefix: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AuthRow {
    id: i64,
    partnership_id: PartnershipId,
    name: String,
    role: String,
    member_role: String,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    user_id: UserId,
    email: String,
    user_name: String,
    is_admin: bool,
    user_created_at: i64,
}

/// How often (seconds) `last_used_at` is written: at most once a minute per token, so that a
/// busy client does not turn every read into a write.
pub const LAST_USED_RESOLUTION_SECS: i64 = 60;

impl Store {
    /// Records a token; returns its id.
    pub async fn create_api_token(&self, t: &NewApiToken<'_>) -> Result<i64> {
        let now = crate::now_unix();
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO api_tokens
                   (partnership_id, user_id, name, role, token_hash, prefix, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(t.partnership)
            .bind(t.user)
            .bind(t.name)
            .bind(t.role.as_str())
            .bind(t.token_hash)
            .bind(t.prefix)
            .bind(now)
            .bind(t.expires_at)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Tokens of a partnership, newest first: every member's when `user` is `None` (owners see
    /// all), else only that user's. Revoked and expired tokens are listed too, marked as such.
    pub async fn api_tokens(
        &self,
        partnership: PartnershipId,
        user: Option<UserId>,
    ) -> Result<Vec<ApiTokenInfo>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, InfoRow>(
                "SELECT t.id, t.partnership_id, t.user_id, u.name AS user_name, t.name, t.role,
                        t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
                 FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.partnership_id = $1 AND ($2 IS NULL OR t.user_id = $2)
                 ORDER BY t.created_at DESC, t.id DESC",
            )
            .bind(partnership)
            .bind(user.map(|u| u.0))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ApiTokenInfo {
                    id: r.id,
                    partnership_id: r.partnership_id,
                    user_id: r.user_id,
                    user_name: r.user_name,
                    name: r.name,
                    role: parse_role(&r.role)?,
                    prefix: r.prefix,
                    created_at: r.created_at,
                    expires_at: r.expires_at,
                    last_used_at: r.last_used_at,
                    revoked_at: r.revoked_at,
                })
            })
            .collect()
    }

    /// The live token with this hash whose user is still a member of its partnership.
    pub async fn api_token(&self, token_hash: &str, now: i64) -> Result<Option<ApiTokenAuth>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, AuthRow>(
                "SELECT t.id, t.partnership_id, t.name, t.role, m.role AS member_role,
                        t.expires_at, t.last_used_at,
                        u.id AS user_id, u.email, u.name AS user_name, u.is_admin,
                        u.created_at AS user_created_at
                 FROM api_tokens t
                 JOIN users u ON u.id = t.user_id
                 JOIN memberships m ON m.partnership_id = t.partnership_id AND m.user_id = t.user_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL
                   AND (t.expires_at IS NULL OR t.expires_at > $2)",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        row.map(|r| {
            Ok(ApiTokenAuth {
                id: r.id,
                partnership_id: r.partnership_id,
                name: r.name,
                token_role: parse_role(&r.role)?,
                member_role: parse_role(&r.member_role)?,
                expires_at: r.expires_at,
                last_used_at: r.last_used_at,
                user: User {
                    id: r.user_id,
                    email: r.email,
                    name: r.user_name,
                    is_admin: r.is_admin,
                    created_at: r.user_created_at,
                },
            })
        })
        .transpose()
    }

    /// Notes that a token was used at `now` (written at most once per
    /// [`LAST_USED_RESOLUTION_SECS`]).
    pub async fn touch_api_token(&self, id: i64, now: i64) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = $1
                 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now)
            .bind(id)
            .bind(now - LAST_USED_RESOLUTION_SECS)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Revokes a live token of this partnership; with `owner_of_token` set, only if it belongs
    /// to that user. [`StoreError::NotFound`] when there is no such live token.
    pub async fn revoke_api_token(
        &self,
        partnership: PartnershipId,
        id: i64,
        owner_of_token: Option<UserId>,
    ) -> Result<()> {
        let now = crate::now_unix();
        let n = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND revoked_at IS NULL
                   AND ($4 IS NULL OR user_id = $4)",
            )
            .bind(now)
            .bind(id)
            .bind(partnership)
            .bind(owner_of_token.map(|u| u.0))
            .execute(pool)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
