//! Partnerships (the tenant), their memberships and their invitations.
//!
//! Every function that touches a partnership's records takes its [`PartnershipId`] and filters by
//! it, so a record of one partnership is never reachable through another's id.

use crate::error::unique_as;
use crate::{Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::role::Role;
use serde::Serialize;

/// A partnership's id: the tenant key carried by every tenant record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, sqlx::Type)]
#[sqlx(transparent)]
pub struct PartnershipId(pub i64);

impl std::fmt::Display for PartnershipId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Partnership {
    pub id: PartnershipId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub created_at: i64,
}

/// A partnership as listed for one user, with that user's role in it.
#[derive(Debug, Clone)]
pub struct MyPartnership {
    pub partnership: Partnership,
    pub role: Role,
}

/// A member of a partnership.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at: i64,
}

/// An invitation to join a partnership.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub email: String,
    pub role: Role,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Invitation {
    /// Whether the invitation can still be accepted at `now`.
    pub fn is_open(&self, now: i64) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none() && self.expires_at > now
    }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    partnership_id: PartnershipId,
    email: String,
    role: String,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(r: InvitationRow) -> Result<Self> {
        Ok(Invitation {
            id: r.id,
            partnership_id: r.partnership_id,
            email: r.email,
            role: parse_role(&r.role)?,
            created_at: r.created_at,
            expires_at: r.expires_at,
            accepted_at: r.accepted_at,
            revoked_at: r.revoked_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MyPartnershipRow {
    id: PartnershipId,
    slug: String,
    name: String,
    description: String,
    created_at: i64,
    role: String,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: UserId,
    email: String,
    name: String,
    role: String,
    created_at: i64,
}

pub(crate) fn parse_role(s: &str) -> Result<Role> {
    s.parse().map_err(|_| StoreError::Corrupt {
        column: "role",
        value: s.to_string(),
    })
}

const INVITATION_COLUMNS: &str =
    "id, partnership_id, email, role, created_at, expires_at, accepted_at, revoked_at";

/// Outcome of accepting an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// The user joined (or their role was raised to the invited one).
    Joined(PartnershipId),
    /// The invitation was already used, revoked or expired.
    NotOpen,
}

impl Store {
    /// Creates a partnership and makes `owner` its owner, in one transaction.
    pub async fn create_partnership(
        &self,
        slug: &str,
        name: &str,
        description: &str,
        owner: UserId,
    ) -> Result<PartnershipId> {
        let now = crate::now_unix();
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO partnerships (slug, name, description, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(slug)
            .bind(name.trim())
            .bind(description.trim())
            .bind(owner)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(unique_as("a partnership with this short name"))?;
            sqlx::query(
                "INSERT INTO memberships (partnership_id, user_id, role, created_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(owner)
            .bind(Role::Owner.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        });
        Ok(PartnershipId(id))
    }

    pub async fn partnership_by_slug(&self, slug: &str) -> Result<Option<Partnership>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Partnership>(
                "SELECT id, slug, name, description, created_at FROM partnerships WHERE slug = $1",
            )
            .bind(slug)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The partnership itself. Callers hold a `PartnershipId` only after a membership check.
    pub async fn partnership(&self, id: PartnershipId) -> Result<Partnership> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Partnership>(
                "SELECT id, slug, name, description, created_at FROM partnerships WHERE id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// The partnerships a user belongs to, with their role, by name.
    pub async fn partnerships_of(&self, user: UserId) -> Result<Vec<MyPartnership>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MyPartnershipRow>(
                "SELECT p.id, p.slug, p.name, p.description, p.created_at, m.role
                 FROM memberships m JOIN partnerships p ON p.id = m.partnership_id
                 WHERE m.user_id = $1 ORDER BY p.name, p.id",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(MyPartnership {
                    role: parse_role(&r.role)?,
                    partnership: Partnership {
                        id: r.id,
                        slug: r.slug,
                        name: r.name,
                        description: r.description,
                        created_at: r.created_at,
                    },
                })
            })
            .collect()
    }

    /// The user's role in a partnership, or `None` when not a member (or no such partnership).
    pub async fn role_in(&self, user: UserId, partnership: PartnershipId) -> Result<Option<Role>> {
        let role = on_pool!(self, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT role FROM memberships WHERE user_id = $1 AND partnership_id = $2",
            )
            .bind(user)
            .bind(partnership)
            .fetch_optional(pool)
            .await?
        });
        role.as_deref().map(parse_role).transpose()
    }

    pub async fn members(&self, partnership: PartnershipId) -> Result<Vec<Member>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MemberRow>(
                "SELECT m.user_id, u.email, u.name, m.role, m.created_at
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.partnership_id = $1 ORDER BY u.name, u.email",
            )
            .bind(partnership)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Member {
                    user_id: r.user_id,
                    email: r.email,
                    name: r.name,
                    role: parse_role(&r.role)?,
                    joined_at: r.created_at,
                })
            })
            .collect()
    }

    /// Adds a member, or sets the role of an existing one.
    pub async fn set_member_role(
        &self,
        partnership: PartnershipId,
        user: UserId,
        role: Role,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO memberships (partnership_id, user_id, role, created_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (partnership_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(partnership)
            .bind(user)
            .bind(role.as_str())
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Changes an existing member's role, refusing to leave the partnership without an owner.
    pub async fn change_member_role(
        &self,
        partnership: PartnershipId,
        user: UserId,
        role: Role,
    ) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE memberships SET role = $1 WHERE partnership_id = $2 AND user_id = $3",
            )
            .bind(role.as_str())
            .bind(partnership)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let owners = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM memberships WHERE partnership_id = $1 AND role = 'owner'",
            )
            .bind(partnership)
            .fetch_one(&mut *tx)
            .await?;
            if owners == 0 {
                return Err(StoreError::Conflict("a partnership with no owner"));
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes a member, refusing to remove the last owner.
    pub async fn remove_member(&self, partnership: PartnershipId, user: UserId) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n =
                sqlx::query("DELETE FROM memberships WHERE partnership_id = $1 AND user_id = $2")
                    .bind(partnership)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let owners = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM memberships WHERE partnership_id = $1 AND role = 'owner'",
            )
            .bind(partnership)
            .fetch_one(&mut *tx)
            .await?;
            if owners == 0 {
                return Err(StoreError::Conflict("a partnership with no owner"));
            }
            tx.commit().await?;
        });
        Ok(())
    }

    // ---- invitations ----------------------------------------------------------------------

    /// Records an invitation; `token_hash` is the SHA-256 (hex) of the link's secret.
    pub async fn create_invitation(
        &self,
        partnership: PartnershipId,
        email: &str,
        role: Role,
        token_hash: &str,
        invited_by: UserId,
        expires_at: i64,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let email = crate::normalize_email(email);
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO invitations
                   (partnership_id, email, role, token_hash, invited_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(partnership)
            .bind(&email)
            .bind(role.as_str())
            .bind(token_hash)
            .bind(invited_by)
            .bind(now)
            .bind(expires_at)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Invitations of a partnership that are still open at `now`, newest first.
    pub async fn open_invitations(
        &self,
        partnership: PartnershipId,
        now: i64,
    ) -> Result<Vec<Invitation>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, InvitationRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {INVITATION_COLUMNS} FROM invitations
                 WHERE partnership_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                   AND expires_at > $2
                 ORDER BY created_at DESC, id DESC"
            )))
            .bind(partnership)
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// The invitation whose link secret hashes to `token_hash` (any state).
    pub async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<Invitation>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, InvitationRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1"
            )))
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        row.map(Invitation::try_from).transpose()
    }

    /// Revokes an open invitation of this partnership.
    pub async fn revoke_invitation(&self, partnership: PartnershipId, id: i64) -> Result<()> {
        let now = crate::now_unix();
        let n = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE invitations SET revoked_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(partnership)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Uses an invitation once: marks it accepted by `user` and grants its role (never lowering
    /// a role the user already has), atomically. A second use finds it closed.
    pub async fn accept_invitation(&self, token_hash: &str, user: UserId) -> Result<Accepted> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row = sqlx::query_as::<_, (i64, PartnershipId, String)>(
                "UPDATE invitations SET accepted_at = $1, accepted_by = $2
                 WHERE token_hash = $3 AND accepted_at IS NULL AND revoked_at IS NULL
                   AND expires_at > $1
                 RETURNING id, partnership_id, role",
            )
            .bind(now)
            .bind(user)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((_id, pid, role)) = row else {
                return Ok(Accepted::NotOpen);
            };
            let invited = parse_role(&role)?;
            let current = sqlx::query_scalar::<_, String>(
                "SELECT role FROM memberships WHERE partnership_id = $1 AND user_id = $2",
            )
            .bind(pid)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
            let keep = match current.as_deref().map(parse_role).transpose()? {
                Some(r) if r >= invited => r,
                _ => invited,
            };
            sqlx::query(
                "INSERT INTO memberships (partnership_id, user_id, role, created_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (partnership_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(pid)
            .bind(user)
            .bind(keep.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Accepted::Joined(pid))
        })
    }
}
