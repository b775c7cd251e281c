//! Users, sessions and the login-failure log used for throttling.
//!
//! Secrets never reach this module in the clear: sessions are looked up by the SHA-256 of their
//! token and passwords are stored as argon2id PHC strings computed by the caller.

use crate::error::unique_as;
use crate::{Result, Store, StoreError, on_pool};
use serde::Serialize;

/// A user's id. Users are global (one account, many partnerships).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[sqlx(transparent)]
pub struct UserId(pub i64);

/// A user as pages see it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub created_at: i64,
}

/// What login needs: the id and the stored hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserCredentials {
    pub id: UserId,
    pub password_hash: String,
}

/// A live session joined with its user.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: UserId,
    email: String,
    name: String,
    is_admin: bool,
    created_at: i64,
    csrf_token: String,
    expires_at: i64,
}

/// Normalizes an email for storage and lookup: trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Creates a user. The email is normalized; a duplicate is [`StoreError::Conflict`].
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        is_admin: bool,
    ) -> Result<UserId> {
        let email = normalize_email(email);
        let now = crate::now_unix();
        let id = on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO users (email, name, password_hash, is_admin, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&email)
            .bind(name.trim())
            .bind(password_hash)
            .bind(is_admin)
            .bind(now)
            .fetch_one(pool)
            .await
            .map_err(unique_as("an account with this email"))?
        });
        Ok(UserId(id))
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, User>(
                "SELECT id, email, name, is_admin, created_at FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let email = normalize_email(email);
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, User>(
                "SELECT id, email, name, is_admin, created_at FROM users WHERE email = $1",
            )
            .bind(&email)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn credentials_by_email(&self, email: &str) -> Result<Option<UserCredentials>> {
        let email = normalize_email(email);
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, UserCredentials>(
                "SELECT id, password_hash FROM users WHERE email = $1",
            )
            .bind(&email)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn credentials(&self, id: UserId) -> Result<Option<UserCredentials>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, UserCredentials>(
                "SELECT id, password_hash FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Replaces a user's password hash and ends all of that user's sessions.
    pub async fn set_password(&self, id: UserId, password_hash: &str) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn set_admin(&self, id: UserId, is_admin: bool) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
                .bind(is_admin)
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
                .fetch_one(pool)
                .await?
        }))
    }

    // ---- sessions -------------------------------------------------------------------------

    /// Records a new session. `token_hash` is the SHA-256 (hex) of the cookie's token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user)
            .bind(csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The live (unexpired at `now`) session with this token hash, with its user.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionInfo>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, SessionRow>(
                "SELECT u.id, u.email, u.name, u.is_admin, u.created_at, s.csrf_token, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| SessionInfo {
            user: User {
                id: r.id,
                email: r.email,
                name: r.name,
                is_admin: r.is_admin,
                created_at: r.created_at,
            },
            csrf_token: r.csrf_token,
            expires_at: r.expires_at,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes expired sessions and old login failures; returns how many rows went.
    pub async fn purge_expired(&self, now: i64, failures_before: i64) -> Result<u64> {
        Ok(on_pool!(self, |pool| {
            let a = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected();
            let b = sqlx::query("DELETE FROM login_failures WHERE at < $1")
                .bind(failures_before)
                .execute(pool)
                .await?
                .rows_affected();
            a + b
        }))
    }

    // ---- login throttling -----------------------------------------------------------------

    pub async fn record_login_failure(&self, account_key: &str, ip: &str, at: i64) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO login_failures (account_key, ip, at) VALUES ($1, $2, $3)")
                .bind(account_key)
                .bind(ip)
                .bind(at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Failures since `since` for this account key and for this IP: `(account, ip)`.
    pub async fn login_failures_since(
        &self,
        account_key: &str,
        ip: &str,
        since: i64,
    ) -> Result<(i64, i64)> {
        Ok(on_pool!(self, |pool| {
            let a = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND at >= $2",
            )
            .bind(account_key)
            .bind(since)
            .fetch_one(pool)
            .await?;
            let b = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2",
            )
            .bind(ip)
            .bind(since)
            .fetch_one(pool)
            .await?;
            (a, b)
        }))
    }

    /// Forgets an account's failures after a successful login.
    pub async fn clear_login_failures(&self, account_key: &str) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM login_failures WHERE account_key = $1")
                .bind(account_key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
