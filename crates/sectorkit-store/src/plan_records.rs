//! The plan's records taken together: archiving and restoring any of them (with the list of what
//! is archived, so nothing archived is lost from sight), a keyword search across every table of
//! the planning chapters, and the file attached to a data-sharing agreement.
//!
//! Search here is a plain case-insensitive substring match (`LOWER(column) LIKE '%term%'`) over
//! the partnership's own rows, the same on both backends; it is the planning chapters' own search
//! box. Ranked full-text search across the whole app is the guide's (issue 11) job.

use crate::partners::{audit, like_pattern};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};

/// A kind of plan record that can be archived and found by the plan search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanRecordKind {
    IndustryIssue,
    Strategy,
    Milestone,
    LogicElement,
    KeyMessage,
    CommsItem,
    Product,
    CapacityRole,
    Lesson,
    PlanLink,
    DataAgreement,
    FundingStream,
    BudgetLine,
    Action,
}

impl PlanRecordKind {
    /// The kinds archived and restored through [`Store::archive_plan_record`] (issues, funding
    /// streams and budget lines have their own pages and routes; actions are dropped, not
    /// archived).
    pub const ARCHIVABLE: [PlanRecordKind; 10] = [
        PlanRecordKind::Strategy,
        PlanRecordKind::Milestone,
        PlanRecordKind::LogicElement,
        PlanRecordKind::KeyMessage,
        PlanRecordKind::CommsItem,
        PlanRecordKind::Product,
        PlanRecordKind::CapacityRole,
        PlanRecordKind::Lesson,
        PlanRecordKind::PlanLink,
        PlanRecordKind::DataAgreement,
    ];

    /// The code used in URLs and as the audit trail's entity name.
    pub fn code(self) -> &'static str {
        match self {
            PlanRecordKind::IndustryIssue => "industry_issue",
            PlanRecordKind::Strategy => "strategy",
            PlanRecordKind::Milestone => "milestone",
            PlanRecordKind::LogicElement => "logic_element",
            PlanRecordKind::KeyMessage => "key_message",
            PlanRecordKind::CommsItem => "comms_item",
            PlanRecordKind::Product => "product",
            PlanRecordKind::CapacityRole => "capacity_role",
            PlanRecordKind::Lesson => "lesson",
            PlanRecordKind::PlanLink => "plan_link",
            PlanRecordKind::DataAgreement => "data_agreement",
            PlanRecordKind::FundingStream => "funding_stream",
            PlanRecordKind::BudgetLine => "budget_line",
            PlanRecordKind::Action => "action",
        }
    }

    pub fn parse(code: &str) -> Option<PlanRecordKind> {
        use PlanRecordKind::*;
        [
            IndustryIssue,
            Strategy,
            Milestone,
            LogicElement,
            KeyMessage,
            CommsItem,
            Product,
            CapacityRole,
            Lesson,
            PlanLink,
            DataAgreement,
            FundingStream,
            BudgetLine,
            Action,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// What the record is called, in words.
    pub fn label(self) -> &'static str {
        match self {
            PlanRecordKind::IndustryIssue => "Industry issue",
            PlanRecordKind::Strategy => "Strategy",
            PlanRecordKind::Milestone => "Milestone",
            PlanRecordKind::LogicElement => "Logic model element",
            PlanRecordKind::KeyMessage => "Key message",
            PlanRecordKind::CommsItem => "Communication item",
            PlanRecordKind::Product => "Product or service",
            PlanRecordKind::CapacityRole => "Capacity role",
            PlanRecordKind::Lesson => "Lesson learned",
            PlanRecordKind::PlanLink => "Linked public plan",
            PlanRecordKind::DataAgreement => "Data-sharing agreement",
            PlanRecordKind::FundingStream => "Funding stream",
            PlanRecordKind::BudgetLine => "Budget line",
            PlanRecordKind::Action => "Key action",
        }
    }

    pub fn archivable(self) -> bool {
        Self::ARCHIVABLE.contains(&self)
    }
}

/// An archivable plan record, for the lists it is archived from and restored from.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecord {
    pub kind: PlanRecordKind,
    pub id: i64,
    /// Its title or text (for a plan link: the catalog code; the web layer names the plan).
    pub label: String,
    /// When it was archived (Unix seconds); 0 for a current record.
    pub archived_at: i64,
}

/// One record the plan search found.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanHit {
    pub kind: PlanRecordKind,
    pub id: i64,
    pub label: String,
    /// The record's searchable text, joined (the web layer cuts the snippet around the match).
    pub text: String,
}

#[derive(sqlx::FromRow)]
struct KindRow {
    kind: String,
    id: i64,
    label: String,
    extra: String,
    at: i64,
}

/// The most hits the plan search returns.
pub const MAX_PLAN_HITS: usize = 200;

/// The signed copy of a data-sharing agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

/// What is known about an agreement's file without its bytes.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AgreementFileInfo {
    pub agreement_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: i64,
}

#[derive(sqlx::FromRow)]
struct FileRow {
    file_name: String,
    content_type: String,
    sha256: String,
    data: Vec<u8>,
}

// Each branch: kind code, id, label, a second part of the label, archived_at (0 when not
// archived). `{STATE}` becomes `IS NOT NULL` (the archived records) or `IS NULL` (the current ones).
const RECORDS_SQL: &str = "
    SELECT 'strategy' AS kind, id, title AS label, '' AS extra, COALESCE(archived_at, 0) AS at FROM strategies
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'milestone', id, title || ' (' || quarter || ')', '', COALESCE(archived_at, 0) FROM milestones
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'logic_element', id, text, '', COALESCE(archived_at, 0) FROM logic_elements
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'key_message', id, message, '', COALESCE(archived_at, 0) FROM key_messages
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'comms_item', id, title, '', COALESCE(archived_at, 0) FROM comms_items
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'product', id, title, '', COALESCE(archived_at, 0) FROM products
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'capacity_role', id, CASE WHEN title = '' THEN role ELSE title END, '',
        COALESCE(archived_at, 0) FROM capacity_roles
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'lesson', id, learned_on || ': ' || CASE WHEN worked = '' THEN did_not ELSE worked END,
        '', COALESCE(archived_at, 0) FROM lessons
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'plan_link', id, plan_code, jurisdiction, COALESCE(archived_at, 0) FROM plan_links
      WHERE partnership_id = $1 AND archived_at {STATE}
    UNION ALL SELECT 'data_agreement', id, title, '', COALESCE(archived_at, 0) FROM data_agreements
      WHERE partnership_id = $1 AND archived_at {STATE}
    ORDER BY at DESC, kind, label, id";

// $2 is the lower-cased `%term%` pattern; every text column of a branch is matched.
const SEARCH_SQL: &str = "
    SELECT 'industry_issue' AS kind, id, title AS label,
        title || ' · ' || statement || ' · ' || root_causes || ' · ' || impact AS extra, CAST(0 AS BIGINT) AS at
      FROM industry_issues WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(title) LIKE $2 OR LOWER(statement) LIKE $2 OR LOWER(root_causes) LIKE $2
            OR LOWER(impact) LIKE $2)
    UNION ALL SELECT 'action', id, text, text, 0 FROM action_items
      WHERE partnership_id = $1 AND LOWER(text) LIKE $2
    UNION ALL SELECT 'strategy', id, title, title, 0 FROM strategies
      WHERE partnership_id = $1 AND archived_at IS NULL AND LOWER(title) LIKE $2
    UNION ALL SELECT 'milestone', id, title, title || ' (' || quarter || ')', 0 FROM milestones
      WHERE partnership_id = $1 AND archived_at IS NULL AND LOWER(title) LIKE $2
    UNION ALL SELECT 'logic_element', id, text, text, 0 FROM logic_elements
      WHERE partnership_id = $1 AND archived_at IS NULL AND LOWER(text) LIKE $2
    UNION ALL SELECT 'key_message', id, message, message, 0 FROM key_messages
      WHERE partnership_id = $1 AND archived_at IS NULL AND LOWER(message) LIKE $2
    UNION ALL SELECT 'comms_item', id, title, title || ' · ' || body, 0 FROM comms_items
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(title) LIKE $2 OR LOWER(body) LIKE $2)
    UNION ALL SELECT 'product', id, title, title || ' · ' || description, 0 FROM products
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(title) LIKE $2 OR LOWER(description) LIKE $2)
    UNION ALL SELECT 'capacity_role', id, CASE WHEN title = '' THEN role ELSE title END,
        role || ' · ' || title || ' · ' || filled_by || ' · ' || notes, 0 FROM capacity_roles
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(role) LIKE $2 OR LOWER(title) LIKE $2 OR LOWER(filled_by) LIKE $2
            OR LOWER(notes) LIKE $2)
    UNION ALL SELECT 'lesson', id, learned_on,
        worked || ' · ' || did_not || ' · ' || why || ' · ' || what_changes, 0 FROM lessons
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(worked) LIKE $2 OR LOWER(did_not) LIKE $2 OR LOWER(why) LIKE $2
            OR LOWER(what_changes) LIKE $2)
    UNION ALL SELECT 'plan_link', id, plan_code, jurisdiction || ' · ' || how, 0 FROM plan_links
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(jurisdiction) LIKE $2 OR LOWER(how) LIKE $2)
    UNION ALL SELECT 'data_agreement', id, title,
        title || ' · ' || parties || ' · ' || data_covered || ' · ' || purpose || ' · ' || legal_basis,
        0 FROM data_agreements
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(title) LIKE $2 OR LOWER(parties) LIKE $2 OR LOWER(data_covered) LIKE $2
            OR LOWER(purpose) LIKE $2 OR LOWER(legal_basis) LIKE $2)
    UNION ALL SELECT 'funding_stream', id, name, name || ' · ' || notes, 0 FROM funding_streams
      WHERE partnership_id = $1 AND archived_at IS NULL
       AND (LOWER(name) LIKE $2 OR LOWER(notes) LIKE $2)
    UNION ALL SELECT 'budget_line', id, name, name || ' (' || phase || ')', 0 FROM budget_lines
      WHERE partnership_id = $1 AND archived_at IS NULL AND LOWER(name) LIKE $2
    ORDER BY kind, id";

impl Store {
    /// Archives (`archive`) or restores one plan record of an archivable kind, audited.
    /// `NotFound` when it is not the partnership's, or already in the asked state.
    pub async fn archive_plan_record(
        &self,
        pid: PartnershipId,
        kind: PlanRecordKind,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        if !kind.archivable() {
            return Err(StoreError::NotFound);
        }
        self.set_archived(pid, kind.code(), id, archive, by).await
    }

    /// The partnership's archivable plan records: the archived ones (`archived`, most recently
    /// archived first) or the current ones (by kind, then label).
    pub async fn plan_records(
        &self,
        pid: PartnershipId,
        archived: bool,
    ) -> Result<Vec<PlanRecord>> {
        let sql = RECORDS_SQL.replace("{STATE}", if archived { "IS NOT NULL" } else { "IS NULL" });
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, KindRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(pid)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|r| {
                let kind = PlanRecordKind::parse(&r.kind)
                    .ok_or_else(|| crate::partners::corrupt("archived kind", &r.kind))?;
                let label = if r.extra.is_empty() {
                    r.label
                } else {
                    format!("{} · {}", r.label, r.extra)
                };
                Ok(PlanRecord {
                    kind,
                    id: r.id,
                    label,
                    archived_at: r.at,
                })
            })
            .collect()
    }

    /// The partnership's plan records (not archived) whose text contains `term`, ignoring case,
    /// grouped by kind; at most [`MAX_PLAN_HITS`]. An empty term finds nothing.
    pub async fn search_plan(&self, pid: PartnershipId, term: &str) -> Result<Vec<PlanHit>> {
        let Some(pattern) = like_pattern(Some(term)) else {
            return Ok(Vec::new());
        };
        if pattern == "%%" {
            return Ok(Vec::new());
        }
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, KindRow>(SEARCH_SQL)
                .bind(pid)
                .bind(&pattern)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .take(MAX_PLAN_HITS)
            .map(|r| {
                let kind = PlanRecordKind::parse(&r.kind)
                    .ok_or_else(|| crate::partners::corrupt("search kind", &r.kind))?;
                Ok(PlanHit {
                    kind,
                    id: r.id,
                    label: r.label,
                    text: r.extra,
                })
            })
            .collect()
    }

    /// Attaches (or replaces) the file of one of the partnership's agreements, audited with the
    /// file's name, size and SHA-256 (and the replaced file's).
    pub async fn put_agreement_file(
        &self,
        pid: PartnershipId,
        agreement_id: i64,
        file: &AgreementFile,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        let size = file.data.len() as i64;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM data_agreements
                 WHERE id = $1 AND partnership_id = $2 AND archived_at IS NULL",
            )
            .bind(agreement_id)
            .bind(pid)
            .fetch_one(&mut *tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let old = sqlx::query_as::<_, (String, i64, String)>(
                "SELECT file_name, size_bytes, sha256 FROM agreement_files WHERE agreement_id = $1",
            )
            .bind(agreement_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM agreement_files WHERE agreement_id = $1")
                .bind(agreement_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO agreement_files (agreement_id, partnership_id, file_name,
                   content_type, size_bytes, sha256, data, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(agreement_id)
            .bind(pid)
            .bind(&file.file_name)
            .bind(&file.content_type)
            .bind(size)
            .bind(&file.sha256)
            .bind(&file.data)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let was = old.map(|(name, size, sha)| {
                serde_json::json!({"file_name": name, "size_bytes": size, "sha256": sha})
            });
            let detail = serde_json::json!({
                "file": [was, {"file_name": file.file_name, "size_bytes": size, "sha256": file.sha256}],
            })
            .to_string();
            audit!(
                tx,
                pid,
                by,
                now,
                "data_agreement",
                agreement_id,
                "attach",
                &detail
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The name, size and hash of each of the partnership's agreement files.
    pub async fn agreement_files(&self, pid: PartnershipId) -> Result<Vec<AgreementFileInfo>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, AgreementFileInfo>(
                "SELECT agreement_id, file_name, size_bytes, sha256, uploaded_at
                 FROM agreement_files WHERE partnership_id = $1 ORDER BY agreement_id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The file of one of the partnership's agreements, if it has one.
    pub async fn agreement_file(
        &self,
        pid: PartnershipId,
        agreement_id: i64,
    ) -> Result<Option<AgreementFile>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, FileRow>(
                "SELECT file_name, content_type, sha256, data FROM agreement_files
                 WHERE agreement_id = $1 AND partnership_id = $2",
            )
            .bind(agreement_id)
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| AgreementFile {
            file_name: r.file_name,
            content_type: r.content_type,
            sha256: r.sha256,
            data: r.data,
        }))
    }
}
