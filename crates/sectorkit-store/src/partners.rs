//! A partnership's partners: organizations, their contacts, and the audit trail.
//!
//! Every function takes the [`PartnershipId`] and filters by it. Every change writes an
//! `audit_log` row (who, when, what changed as `{"field": [old, new]}`) in the same transaction,
//! so the trail cannot miss a change that was saved. Organizations and contacts are archived,
//! never deleted, once created; a duplicate organization (same normalized name and county) is a
//! [`StoreError::Conflict`].

use crate::error::unique_as;
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::partners::{ContactLevel, Influence, OrgCategory, SizeBand};
use serde_json::{Map, Value, json};

/// Normalizes an organization name for duplicate detection: lower case, letters and digits
/// only, common legal suffixes and a leading "the" dropped ("The Acme Co., Inc." → "acme").
pub fn name_key(name: &str) -> String {
    let words: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    const SUFFIXES: [&str; 10] = [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "co",
        "corp",
        "corporation",
        "company",
        "lp",
        "llp",
    ];
    let mut w: &[String] = &words;
    if w.first().is_some_and(|f| f == "the") && w.len() > 1 {
        w = &w[1..];
    }
    while w.len() > 1 && w.last().is_some_and(|l| SUFFIXES.contains(&l.as_str())) {
        w = &w[..w.len() - 1];
    }
    w.join(" ")
}

/// An organization's editable fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganizationFields {
    pub name: String,
    pub category: OrgCategory,
    pub naics: Option<String>,
    pub size_band: Option<SizeBand>,
    /// 5-digit county FIPS.
    pub county: Option<String>,
    pub website: String,
    pub notes: String,
    pub is_intermediary: bool,
    /// `convening`, `data`, `coordination`, `fiscal_agent`.
    pub intermediary_roles: Vec<String>,
}

/// A stored organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub fields: OrganizationFields,
    pub category: OrgCategory,
    pub archived_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Live contacts.
    pub contacts: i64,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    partnership_id: PartnershipId,
    name: String,
    county_key: String,
    category: String,
    naics: Option<String>,
    size_band: Option<String>,
    website: String,
    notes: String,
    is_intermediary: bool,
    intermediary_roles: String,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    contacts: i64,
}

/// `%text%` for a case-insensitive LIKE (wildcards in the text dropped), or `None` for no
/// filter.
pub(crate) fn like_pattern(search: Option<&str>) -> Option<String> {
    search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")))
}

pub(crate) fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_string(),
    }
}

impl TryFrom<OrgRow> for Organization {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<Self> {
        let category: OrgCategory = r
            .category
            .parse()
            .map_err(|_| corrupt("organizations.category", &r.category))?;
        let size_band = r
            .size_band
            .as_deref()
            .map(|s| s.parse().map_err(|_| corrupt("organizations.size_band", s)))
            .transpose()?;
        Ok(Organization {
            id: r.id,
            partnership_id: r.partnership_id,
            category,
            fields: OrganizationFields {
                name: r.name,
                category,
                naics: r.naics,
                size_band,
                county: (!r.county_key.is_empty()).then_some(r.county_key),
                website: r.website,
                notes: r.notes,
                is_intermediary: r.is_intermediary,
                intermediary_roles: r
                    .intermediary_roles
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            archived_at: r.archived_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            contacts: r.contacts,
        })
    }
}

impl OrganizationFields {
    /// The fields as (name, text) pairs, for the audit trail's diffs.
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("category", self.category.code().to_string()),
            ("naics", self.naics.clone().unwrap_or_default()),
            (
                "size_band",
                self.size_band
                    .map(|b| b.code().to_string())
                    .unwrap_or_default(),
            ),
            ("county", self.county.clone().unwrap_or_default()),
            ("website", self.website.clone()),
            ("notes", self.notes.clone()),
            ("is_intermediary", self.is_intermediary.to_string()),
            ("intermediary_roles", self.intermediary_roles.join(",")),
        ]
    }
}

/// A contact's editable fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactFields {
    pub organization_id: i64,
    pub name: String,
    pub title: String,
    pub level: Option<ContactLevel>,
    pub email: String,
    pub phone: String,
    pub influence: Option<Influence>,
    pub resource: bool,
    pub decision_maker: bool,
    pub champion: bool,
}

impl ContactFields {
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("organization_id", self.organization_id.to_string()),
            ("name", self.name.clone()),
            ("title", self.title.clone()),
            (
                "level",
                self.level.map(|l| l.code().to_string()).unwrap_or_default(),
            ),
            ("email", self.email.clone()),
            ("phone", self.phone.clone()),
            (
                "influence",
                self.influence
                    .map(|i| i.code().to_string())
                    .unwrap_or_default(),
            ),
            ("resource", self.resource.to_string()),
            ("decision_maker", self.decision_maker.to_string()),
            ("champion", self.champion.to_string()),
        ]
    }
}

/// A stored contact, with its organization's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub fields: ContactFields,
    pub organization: String,
    pub organization_category: OrgCategory,
    pub archived_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: i64,
    organization_id: i64,
    name: String,
    title: String,
    level: Option<String>,
    email: String,
    phone: String,
    influence: Option<String>,
    resource: bool,
    decision_maker: bool,
    champion: bool,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    organization: String,
    organization_category: String,
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> Result<Self> {
        Ok(Contact {
            id: r.id,
            fields: ContactFields {
                organization_id: r.organization_id,
                name: r.name,
                title: r.title,
                level: r
                    .level
                    .as_deref()
                    .map(|s| s.parse().map_err(|_| corrupt("contacts.level", s)))
                    .transpose()?,
                email: r.email,
                phone: r.phone,
                influence: r
                    .influence
                    .as_deref()
                    .map(|s| s.parse().map_err(|_| corrupt("contacts.influence", s)))
                    .transpose()?,
                resource: r.resource,
                decision_maker: r.decision_maker,
                champion: r.champion,
            },
            organization: r.organization,
            organization_category: r
                .organization_category
                .parse()
                .map_err(|_| corrupt("organizations.category", &r.organization_category))?,
            archived_at: r.archived_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user_name: Option<String>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub detail: String,
}

/// `{"field": [old, new]}` for the fields that differ (`old` null on create).
pub(crate) fn diff(
    old: Option<&[(&'static str, String)]>,
    new: &[(&'static str, String)],
) -> Value {
    let mut m = Map::new();
    for (i, (k, v)) in new.iter().enumerate() {
        match old {
            None => {
                if !v.is_empty() && v != "false" {
                    m.insert((*k).to_string(), json!([Value::Null, v]));
                }
            }
            Some(o) => {
                let before = &o[i].1;
                if before != v {
                    m.insert((*k).to_string(), json!([before, v]));
                }
            }
        }
    }
    Value::Object(m)
}

const ORG_COLUMNS: &str = "o.id, o.partnership_id, o.name, o.county_key, o.category, o.naics, \
     o.size_band, o.website, o.notes, o.is_intermediary, o.intermediary_roles, o.archived_at, \
     o.created_at, o.updated_at, \
     (SELECT COUNT(*) FROM contacts c WHERE c.organization_id = o.id AND c.archived_at IS NULL) \
     AS contacts";

const CONTACT_COLUMNS: &str = "c.id, c.organization_id, c.name, c.title, c.level, c.email, \
     c.phone, c.influence, c.resource, c.decision_maker, c.champion, c.archived_at, \
     c.created_at, c.updated_at, o.name AS organization, o.category AS organization_category";

macro_rules! audit {
    ($tx:expr, $pid:expr, $by:expr, $now:expr, $entity:expr, $id:expr, $action:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (partnership_id, user_id, at, entity, entity_id, action, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($pid)
        .bind($by)
        .bind($now)
        .bind($entity)
        .bind($id)
        .bind($action)
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use audit;

impl Store {
    /// Saves a new organization (and its audit entry). The first intermediary takes the mark
    /// from any other: a partnership has one intermediary.
    pub async fn create_organization(
        &self,
        pid: PartnershipId,
        f: &OrganizationFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let category = f.category;
        let detail = diff(None, &f.audit_pairs()).to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if f.is_intermediary {
                sqlx::query(
                    "UPDATE organizations SET is_intermediary = FALSE WHERE partnership_id = $1",
                )
                .bind(pid)
                .execute(&mut *tx)
                .await?;
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO organizations (partnership_id, name, name_key, county_key, category,
                   naics, size_band, website, notes, is_intermediary, intermediary_roles,
                   created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
                 RETURNING id",
            )
            .bind(pid)
            .bind(f.name.trim())
            .bind(name_key(&f.name))
            .bind(f.county.clone().unwrap_or_default())
            .bind(category.code())
            .bind(f.naics.as_deref())
            .bind(f.size_band.map(|b| b.code()))
            .bind(&f.website)
            .bind(&f.notes)
            .bind(f.is_intermediary)
            .bind(f.intermediary_roles.join(","))
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(unique_as("an organization with this name in this county"))?;
            audit!(tx, pid, by, now, "organization", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes an organization's fields; the audit entry lists what changed.
    pub async fn update_organization(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &OrganizationFields,
        by: UserId,
    ) -> Result<()> {
        let old = self
            .organization(pid, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let category = f.category;
        let detail = diff(Some(&old.fields.audit_pairs()), &f.audit_pairs());
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if f.is_intermediary {
                sqlx::query(
                    "UPDATE organizations SET is_intermediary = FALSE
                     WHERE partnership_id = $1 AND id <> $2",
                )
                .bind(pid)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let n = sqlx::query(
                "UPDATE organizations SET name = $1, name_key = $2, county_key = $3,
                   category = $4, naics = $5, size_band = $6, website = $7, notes = $8,
                   is_intermediary = $9, intermediary_roles = $10, updated_at = $11
                 WHERE id = $12 AND partnership_id = $13",
            )
            .bind(f.name.trim())
            .bind(name_key(&f.name))
            .bind(f.county.clone().unwrap_or_default())
            .bind(category.code())
            .bind(f.naics.as_deref())
            .bind(f.size_band.map(|b| b.code()))
            .bind(&f.website)
            .bind(&f.notes)
            .bind(f.is_intermediary)
            .bind(f.intermediary_roles.join(","))
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await
            .map_err(unique_as("an organization with this name in this county"))?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, pid, by, now, "organization", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Archives (`archive = true`) or restores an organization; its history stays.
    pub async fn set_organization_archived(
        &self,
        pid: PartnershipId,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(if archive {
                "UPDATE organizations SET archived_at = $1, is_intermediary = FALSE, updated_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NULL"
            } else {
                "UPDATE organizations SET archived_at = NULL, updated_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NOT NULL"
            })
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let action = if archive { "archive" } else { "restore" };
            audit!(tx, pid, by, now, "organization", id, action, "{}");
            tx.commit().await?;
        });
        Ok(())
    }

    /// One organization of the partnership (archived too).
    pub async fn organization(&self, pid: PartnershipId, id: i64) -> Result<Option<Organization>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, OrgRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ORG_COLUMNS} FROM organizations o WHERE o.id = $1 AND o.partnership_id = $2"
            )))
            .bind(id)
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        row.map(Organization::try_from).transpose()
    }

    /// The partnership's organizations by name; `search` matches any part of the name (case
    /// insensitive); archived ones only when asked for.
    pub async fn organizations(
        &self,
        pid: PartnershipId,
        search: Option<&str>,
        include_archived: bool,
    ) -> Result<Vec<Organization>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, OrgRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ORG_COLUMNS} FROM organizations o
                 WHERE o.partnership_id = $1 AND ($2 OR o.archived_at IS NULL)
                   AND ($3 IS NULL OR LOWER(o.name) LIKE $3)
                 ORDER BY LOWER(o.name), o.id"
            )))
            .bind(pid)
            .bind(include_archived)
            .bind(pattern.as_deref())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Organization::try_from).collect()
    }

    /// A live organization with the same normalized name and county, if any (duplicates are
    /// offered for merge rather than created twice).
    pub async fn organization_like(
        &self,
        pid: PartnershipId,
        name: &str,
        county: Option<&str>,
    ) -> Result<Option<Organization>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, OrgRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ORG_COLUMNS} FROM organizations o
                 WHERE o.partnership_id = $1 AND o.name_key = $2 AND o.county_key = $3"
            )))
            .bind(pid)
            .bind(name_key(name))
            .bind(county.unwrap_or(""))
            .fetch_optional(pool)
            .await?
        });
        row.map(Organization::try_from).transpose()
    }

    /// Saves a new contact of one of the partnership's organizations.
    pub async fn create_contact(
        &self,
        pid: PartnershipId,
        f: &ContactFields,
        by: UserId,
    ) -> Result<i64> {
        if self.organization(pid, f.organization_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let now = crate::now_unix();
        let detail = diff(None, &f.audit_pairs()).to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO contacts (partnership_id, organization_id, name, title, level, email,
                   phone, influence, resource, decision_maker, champion, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(pid)
            .bind(f.organization_id)
            .bind(f.name.trim())
            .bind(f.title.trim())
            .bind(f.level.map(|l| l.code()))
            .bind(f.email.trim())
            .bind(f.phone.trim())
            .bind(f.influence.map(|i| i.code()))
            .bind(f.resource)
            .bind(f.decision_maker)
            .bind(f.champion)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "contact", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes a contact; the audit entry lists what changed.
    pub async fn update_contact(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &ContactFields,
        by: UserId,
    ) -> Result<()> {
        let old = self.contact(pid, id).await?.ok_or(StoreError::NotFound)?;
        if self.organization(pid, f.organization_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let detail = diff(Some(&old.fields.audit_pairs()), &f.audit_pairs());
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE contacts SET organization_id = $1, name = $2, title = $3, level = $4,
                   email = $5, phone = $6, influence = $7, resource = $8, decision_maker = $9,
                   champion = $10, updated_at = $11
                 WHERE id = $12 AND partnership_id = $13",
            )
            .bind(f.organization_id)
            .bind(f.name.trim())
            .bind(f.title.trim())
            .bind(f.level.map(|l| l.code()))
            .bind(f.email.trim())
            .bind(f.phone.trim())
            .bind(f.influence.map(|i| i.code()))
            .bind(f.resource)
            .bind(f.decision_maker)
            .bind(f.champion)
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "contact", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Archives or restores a contact.
    pub async fn set_contact_archived(
        &self,
        pid: PartnershipId,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(if archive {
                "UPDATE contacts SET archived_at = $1, updated_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NULL"
            } else {
                "UPDATE contacts SET archived_at = NULL, updated_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NOT NULL"
            })
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let action = if archive { "archive" } else { "restore" };
            audit!(tx, pid, by, now, "contact", id, action, "{}");
            tx.commit().await?;
        });
        Ok(())
    }

    /// One contact of the partnership.
    pub async fn contact(&self, pid: PartnershipId, id: i64) -> Result<Option<Contact>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, ContactRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {CONTACT_COLUMNS} FROM contacts c
                 JOIN organizations o ON o.id = c.organization_id
                 WHERE c.id = $1 AND c.partnership_id = $2"
            )))
            .bind(id)
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        row.map(Contact::try_from).transpose()
    }

    /// Live contacts of the partnership (of one organization when given), by name; `search`
    /// matches the name, title or email.
    pub async fn contacts(
        &self,
        pid: PartnershipId,
        organization: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<Contact>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, ContactRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {CONTACT_COLUMNS} FROM contacts c
                 JOIN organizations o ON o.id = c.organization_id
                 WHERE c.partnership_id = $1 AND c.archived_at IS NULL AND o.archived_at IS NULL
                   AND ($2 IS NULL OR c.organization_id = $2)
                   AND ($3 IS NULL OR LOWER(c.name) LIKE $3 OR LOWER(c.title) LIKE $3
                        OR LOWER(c.email) LIKE $3)
                 ORDER BY LOWER(c.name), c.id"
            )))
            .bind(pid)
            .bind(organization)
            .bind(pattern.as_deref())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Contact::try_from).collect()
    }

    /// The newest audit entries of the partnership (of one record when given).
    pub async fn audit_log(
        &self,
        pid: PartnershipId,
        entity: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let (kind, id) = match entity {
            Some((k, i)) => (Some(k), Some(i)),
            None => (None, None),
        };
        self.audit_trail(pid, kind, id, None, limit).await
    }

    /// A page of the partnership's audit trail, newest first: of one kind of record and one
    /// record when given, older than the entry `before` when given (for paging).
    pub async fn audit_trail(
        &self,
        pid: PartnershipId,
        kind: Option<&str>,
        id: Option<i64>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, AuditEntry>(
                "SELECT a.id, a.at, u.name AS user_name, a.entity, a.entity_id, a.action, a.detail
                 FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
                 WHERE a.partnership_id = $1 AND ($2 IS NULL OR a.entity = $2)
                   AND ($3 IS NULL OR a.entity_id = $3) AND ($5 IS NULL OR a.id < $5)
                 ORDER BY a.id DESC LIMIT $4",
            )
            .bind(pid)
            .bind(kind)
            .bind(id)
            .bind(limit)
            .bind(before)
            .fetch_all(pool)
            .await?
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_match_the_same_organization() {
        assert_eq!(name_key("The Acme Co., Inc."), "acme");
        assert_eq!(name_key("ACME  co"), "acme");
        assert_eq!(
            name_key("Columbus State Community College"),
            "columbus state community college"
        );
        assert_eq!(name_key("Inc"), "inc");
        assert_ne!(name_key("Acme Tools"), name_key("Acme"));
    }

    #[test]
    fn diffs_list_changed_fields() {
        let a = vec![("name", "A".to_string()), ("notes", String::new())];
        let b = vec![("name", "B".to_string()), ("notes", String::new())];
        assert_eq!(diff(Some(&a), &b), json!({"name": ["A", "B"]}));
        assert_eq!(diff(None, &b), json!({"name": [null, "B"]}));
        assert_eq!(diff(Some(&b), &b), json!({}));
    }
}

/// One organization of an import: new (`existing: None`) or an existing one the rows merge into
/// (its fields are left as they are; its new contacts are added).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOrganization {
    pub existing: Option<i64>,
    pub fields: OrganizationFields,
    /// `organization_id` is ignored: the contacts belong to this organization.
    pub contacts: Vec<ContactFields>,
}

/// What an import saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub organizations_created: usize,
    pub organizations_merged: usize,
    pub contacts_created: usize,
}

impl Store {
    /// Saves an import in one transaction: all of it, or (on any error) nothing. Every record
    /// created gets an `import` audit entry.
    pub async fn import_partners(
        &self,
        pid: PartnershipId,
        items: &[ImportOrganization],
        by: UserId,
    ) -> Result<ImportCounts> {
        let now = crate::now_unix();
        let mut counts = ImportCounts::default();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for item in items {
                let f = &item.fields;
                let oid = match item.existing {
                    Some(id) => {
                        let found = sqlx::query_scalar::<_, i64>(
                            "SELECT id FROM organizations WHERE id = $1 AND partnership_id = $2",
                        )
                        .bind(id)
                        .bind(pid)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if found.is_none() {
                            return Err(StoreError::NotFound);
                        }
                        counts.organizations_merged += 1;
                        id
                    }
                    None => {
                        let id = sqlx::query_scalar::<_, i64>(
                            "INSERT INTO organizations (partnership_id, name, name_key, county_key,
                               category, naics, size_band, website, notes, is_intermediary,
                               intermediary_roles, created_by, created_at, updated_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, '', $10, $11, $11)
                             RETURNING id",
                        )
                        .bind(pid)
                        .bind(f.name.trim())
                        .bind(name_key(&f.name))
                        .bind(f.county.clone().unwrap_or_default())
                        .bind(f.category.code())
                        .bind(f.naics.as_deref())
                        .bind(f.size_band.map(|b| b.code()))
                        .bind(&f.website)
                        .bind(&f.notes)
                        .bind(by)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(unique_as("an organization with this name in this county"))?;
                        let detail = diff(None, &f.audit_pairs()).to_string();
                        audit!(tx, pid, by, now, "organization", id, "import", &detail);
                        counts.organizations_created += 1;
                        id
                    }
                };
                for c in &item.contacts {
                    let mut c = c.clone();
                    c.organization_id = oid;
                    let id = sqlx::query_scalar::<_, i64>(
                        "INSERT INTO contacts (partnership_id, organization_id, name, title, level,
                           email, phone, influence, resource, decision_maker, champion,
                           created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
                         RETURNING id",
                    )
                    .bind(pid)
                    .bind(oid)
                    .bind(c.name.trim())
                    .bind(c.title.trim())
                    .bind(c.level.map(|l| l.code()))
                    .bind(c.email.trim())
                    .bind(c.phone.trim())
                    .bind(c.influence.map(|i| i.code()))
                    .bind(c.resource)
                    .bind(c.decision_maker)
                    .bind(c.champion)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    let detail = diff(None, &c.audit_pairs()).to_string();
                    audit!(tx, pid, by, now, "contact", id, "import", &detail);
                    counts.contacts_created += 1;
                }
            }
            tx.commit().await?;
        });
        Ok(counts)
    }
}
