//! Planning records: industry issues and their evidence, prioritization rounds with one ballot
//! per member, and the priorities kept.
//!
//! Evidence is a reference — to an employer-voice finding, to a row of a region's target-industry
//! table (region + NAICS code), to an occupation (SOC code) — never a copy, so the issue page
//! always shows today's figures. Every change writes an audit entry in the same transaction; a
//! reference to another partnership's record is refused (`NotFound`). A ballot is refused once
//! its round is closed (checked inside the ballot's transaction). Priorities are retired with a
//! reason, never deleted; the pick-and-stick rule itself is `sectorkit_core::planning`.

use crate::partners::{audit, corrupt, diff, like_pattern};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::planning::{EvidenceKind, StrategyCategory, VoteMethod};

/// An industry issue's editable fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IssueFields {
    pub title: String,
    /// The problem statement.
    pub statement: String,
    /// The NAICS code it concerns ('' for the sector as a whole).
    pub industry_code: String,
    /// The why-chain: each entry answers "why?" of the one before.
    pub root_causes: Vec<String>,
    /// The impact the partnership could have.
    pub impact: String,
    pub strategies: Vec<StrategyCategory>,
}

impl IssueFields {
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("title", self.title.clone()),
            ("statement", self.statement.clone()),
            ("industry_code", self.industry_code.clone()),
            ("root_causes", self.root_causes.join(" | ")),
            ("impact", self.impact.clone()),
            (
                "strategies",
                self.strategies
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ]
    }
}

/// A stored industry issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub id: i64,
    pub fields: IssueFields,
    pub evidence: i64,
    pub archived: bool,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct IssueRow {
    id: i64,
    title: String,
    statement: String,
    industry_code: String,
    root_causes: String,
    impact: String,
    strategies: String,
    evidence: i64,
    archived_at: Option<i64>,
    created_at: i64,
}

impl TryFrom<IssueRow> for Issue {
    type Error = StoreError;
    fn try_from(r: IssueRow) -> Result<Self> {
        let strategies = r
            .strategies
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .map_err(|_| corrupt("industry_issues.strategies", s))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Issue {
            id: r.id,
            fields: IssueFields {
                title: r.title,
                statement: r.statement,
                industry_code: r.industry_code,
                root_causes: r
                    .root_causes
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                impact: r.impact,
                strategies,
            },
            evidence: r.evidence,
            archived: r.archived_at.is_some(),
            created_at: r.created_at,
        })
    }
}

/// A new piece of evidence behind an issue.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFields {
    pub kind: EvidenceKind,
    pub finding_id: Option<i64>,
    pub region_id: Option<i64>,
    /// NAICS (industry) or SOC (occupation) code; '' otherwise.
    pub code: String,
    pub note: String,
}

/// Stored evidence with what it points at, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub id: i64,
    pub issue_id: i64,
    pub fields: EvidenceFields,
    /// The finding's statement (when it points at a finding that still exists).
    pub finding: Option<String>,
    pub finding_employers: Option<i64>,
    /// The region's name (when it points at a region that still exists).
    pub region: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: i64,
    issue_id: i64,
    kind: String,
    finding_id: Option<i64>,
    region_id: Option<i64>,
    code: String,
    note: String,
    finding: Option<String>,
    finding_employers: Option<i64>,
    region: Option<String>,
}

impl TryFrom<EvidenceRow> for Evidence {
    type Error = StoreError;
    fn try_from(r: EvidenceRow) -> Result<Self> {
        Ok(Evidence {
            id: r.id,
            issue_id: r.issue_id,
            fields: EvidenceFields {
                kind: r
                    .kind
                    .parse()
                    .map_err(|_| corrupt("issue_evidence.kind", &r.kind))?,
                finding_id: r.finding_id,
                region_id: r.region_id,
                code: r.code,
                note: r.note,
            },
            finding: r.finding,
            finding_employers: r.finding_employers,
            region: r.region,
        })
    }
}

/// A prioritization round.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: i64,
    pub title: String,
    pub method: VoteMethod,
    pub open: bool,
    /// The issues on the ballot, in the order they were put on it.
    pub issue_ids: Vec<i64>,
    /// Members who cast a ballot.
    pub voters: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: i64,
    title: String,
    method: String,
    dots: i64,
    status: String,
    voters: i64,
    created_at: i64,
    closed_at: Option<i64>,
}

/// One mark of a stored ballot.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VoteMark {
    pub user_id: i64,
    pub issue_id: i64,
    /// Dots given or the rank.
    pub mark: i64,
    pub points: i64,
    pub category: String,
}

/// A priority (active or retired) with its issue's title.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Priority {
    pub id: i64,
    pub issue_id: i64,
    pub title: String,
    pub round_id: Option<i64>,
    pub status: String,
    pub override_reason: String,
    pub confirmed_at: i64,
    pub retired_reason: String,
    pub retired_at: Option<i64>,
}

impl Priority {
    pub fn active(&self) -> bool {
        self.status == "active"
    }
}

/// Checks inside a transaction that every id of `table` in `ids` belongs to `pid`.
macro_rules! all_belong {
    ($tx:expr, $table:literal, $ids:expr, $pid:expr) => {
        for id in $ids {
            let n = sqlx::query_scalar::<_, i64>(concat!(
                "SELECT COUNT(*) FROM ",
                $table,
                " WHERE id = $1 AND partnership_id = $2"
            ))
            .bind(*id)
            .bind($pid)
            .fetch_one(&mut *$tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
        }
    };
}

const ISSUE_COLUMNS: &str = "i.id, i.title, i.statement, i.industry_code, i.root_causes, \
     i.impact, i.strategies, i.archived_at, i.created_at, \
     (SELECT COUNT(*) FROM issue_evidence e WHERE e.issue_id = i.id) AS evidence";

impl Store {
    /// Saves a new industry issue.
    pub async fn create_issue(
        &self,
        pid: PartnershipId,
        f: &IssueFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = diff(None, &f.audit_pairs()).to_string();
        let pairs = f.audit_pairs();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO industry_issues (partnership_id, title, statement, industry_code,
                   root_causes, impact, strategies, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(pid)
            .bind(f.title.trim())
            .bind(f.statement.trim())
            .bind(&f.industry_code)
            .bind(f.root_causes.join("\n"))
            .bind(f.impact.trim())
            .bind(&pairs[5].1)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "industry_issue", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes an issue; the audit entry lists what changed.
    pub async fn update_issue(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &IssueFields,
        by: UserId,
    ) -> Result<()> {
        let old = self.issue(pid, id).await?.ok_or(StoreError::NotFound)?;
        let pairs = f.audit_pairs();
        let detail = diff(Some(&old.fields.audit_pairs()), &pairs);
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE industry_issues SET title = $1, statement = $2, industry_code = $3,
                   root_causes = $4, impact = $5, strategies = $6, updated_at = $7
                 WHERE id = $8 AND partnership_id = $9",
            )
            .bind(f.title.trim())
            .bind(f.statement.trim())
            .bind(&f.industry_code)
            .bind(f.root_causes.join("\n"))
            .bind(f.impact.trim())
            .bind(&pairs[5].1)
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "industry_issue", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// One issue of the partnership (archived too).
    pub async fn issue(&self, pid: PartnershipId, id: i64) -> Result<Option<Issue>> {
        Ok(self
            .issues_where(pid, Some(id), None)
            .await?
            .into_iter()
            .next())
    }

    /// The partnership's issues, oldest first; `search` matches title, statement and impact.
    /// Archived issues are left out.
    pub async fn issues(&self, pid: PartnershipId, search: Option<&str>) -> Result<Vec<Issue>> {
        self.issues_where(pid, None, search).await
    }

    async fn issues_where(
        &self,
        pid: PartnershipId,
        id: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<Issue>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, IssueRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {ISSUE_COLUMNS} FROM industry_issues i
                 WHERE i.partnership_id = $1
                   AND (($2 IS NULL AND i.archived_at IS NULL) OR i.id = $2)
                   AND ($3 IS NULL OR LOWER(i.title) LIKE $3 OR LOWER(i.statement) LIKE $3
                        OR LOWER(i.impact) LIKE $3)
                 ORDER BY i.id"
            )))
            .bind(pid)
            .bind(id)
            .bind(pattern.as_deref())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Issue::try_from).collect()
    }

    /// Archives (`archive = true`) or restores an issue; its history and evidence stay.
    pub async fn set_issue_archived(
        &self,
        pid: PartnershipId,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        self.set_archived(pid, "industry_issue", id, archive, by)
            .await
    }

    /// Adds evidence to an issue: the finding or region must be the partnership's.
    pub async fn add_evidence(
        &self,
        pid: PartnershipId,
        issue: i64,
        f: &EvidenceFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "evidence": [null, format!("{} {}{}{}", f.kind.code(),
                f.finding_id.map(|i| format!("finding {i} ")).unwrap_or_default(),
                f.region_id.map(|i| format!("region {i} ")).unwrap_or_default(),
                if f.code.is_empty() { f.note.clone() } else { f.code.clone() })],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            all_belong!(tx, "industry_issues", &[issue], pid);
            all_belong!(tx, "voice_findings", f.finding_id.iter(), pid);
            all_belong!(tx, "regions", f.region_id.iter(), pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO issue_evidence (partnership_id, issue_id, kind, finding_id,
                   region_id, code, note, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(pid)
            .bind(issue)
            .bind(f.kind.code())
            .bind(f.finding_id)
            .bind(f.region_id)
            .bind(&f.code)
            .bind(f.note.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(
                tx,
                pid,
                by,
                now,
                "industry_issue",
                issue,
                "evidence",
                &detail
            );
            tx.commit().await?;
            id
        }))
    }

    /// Removes one piece of evidence from an issue (audited on the issue).
    pub async fn remove_evidence(
        &self,
        pid: PartnershipId,
        issue: i64,
        evidence: i64,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        let detail =
            serde_json::json!({ "evidence removed": [null, evidence.to_string()] }).to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "DELETE FROM issue_evidence WHERE id = $1 AND issue_id = $2 AND partnership_id = $3",
            )
            .bind(evidence)
            .bind(issue)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(
                tx,
                pid,
                by,
                now,
                "industry_issue",
                issue,
                "evidence",
                &detail
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The evidence behind one issue (all issues when `None`), in the order it was added.
    pub async fn evidence(&self, pid: PartnershipId, issue: Option<i64>) -> Result<Vec<Evidence>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, EvidenceRow>(
                "SELECT e.id, e.issue_id, e.kind, e.finding_id, e.region_id, e.code, e.note,
                        f.statement AS finding, f.employers AS finding_employers,
                        r.name AS region
                 FROM issue_evidence e
                 LEFT JOIN voice_findings f ON f.id = e.finding_id
                 LEFT JOIN regions r ON r.id = e.region_id
                 WHERE e.partnership_id = $1 AND ($2 IS NULL OR e.issue_id = $2)
                 ORDER BY e.id",
            )
            .bind(pid)
            .bind(issue)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Evidence::try_from).collect()
    }

    /// Opens a prioritization round over the given issues (at least two, all the partnership's).
    pub async fn create_round(
        &self,
        pid: PartnershipId,
        title: &str,
        method: VoteMethod,
        issues: &[i64],
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let dots = match method {
            VoteMethod::Dots(n) => i64::from(n),
            VoteMethod::Ranking => 0,
        };
        let detail = serde_json::json!({
            "title": [null, title],
            "method": [null, method.code()],
            "dots": [null, dots],
            "issues": [null, issues.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            all_belong!(tx, "industry_issues", issues, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO priority_rounds (partnership_id, title, method, dots, status,
                   created_by, created_at)
                 VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id",
            )
            .bind(pid)
            .bind(title.trim())
            .bind(method.code())
            .bind(dots)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for issue in issues {
                sqlx::query("INSERT INTO round_issues (round_id, issue_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*issue)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, pid, by, now, "priority_round", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// One round of the partnership.
    pub async fn round(&self, pid: PartnershipId, id: i64) -> Result<Option<Round>> {
        Ok(self.rounds_where(pid, Some(id)).await?.into_iter().next())
    }

    /// The partnership's rounds, newest first.
    pub async fn rounds(&self, pid: PartnershipId) -> Result<Vec<Round>> {
        self.rounds_where(pid, None).await
    }

    async fn rounds_where(&self, pid: PartnershipId, id: Option<i64>) -> Result<Vec<Round>> {
        let (rows, issues) = on_pool!(self, |pool| {
            let rows = sqlx::query_as::<_, RoundRow>(
                "SELECT r.id, r.title, r.method, r.dots, r.status, r.created_at, r.closed_at,
                        (SELECT COUNT(DISTINCT v.user_id) FROM round_votes v
                         WHERE v.round_id = r.id) AS voters
                 FROM priority_rounds r
                 WHERE r.partnership_id = $1 AND ($2 IS NULL OR r.id = $2)
                 ORDER BY r.id DESC",
            )
            .bind(pid)
            .bind(id)
            .fetch_all(pool)
            .await?;
            let issues: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT ri.round_id, ri.issue_id FROM round_issues ri
                 JOIN priority_rounds r ON r.id = ri.round_id
                 WHERE r.partnership_id = $1 AND ($2 IS NULL OR r.id = $2)
                 ORDER BY ri.issue_id",
            )
            .bind(pid)
            .bind(id)
            .fetch_all(pool)
            .await?;
            (rows, issues)
        });
        rows.into_iter()
            .map(|r| {
                let method = match r.method.as_str() {
                    "dots" => VoteMethod::Dots(
                        u32::try_from(r.dots)
                            .map_err(|_| corrupt("priority_rounds.dots", &r.dots.to_string()))?,
                    ),
                    "ranking" => VoteMethod::Ranking,
                    other => return Err(corrupt("priority_rounds.method", other)),
                };
                Ok(Round {
                    issue_ids: issues
                        .iter()
                        .filter(|(round, _)| *round == r.id)
                        .map(|(_, i)| *i)
                        .collect(),
                    id: r.id,
                    title: r.title,
                    method,
                    open: r.status == "open",
                    voters: r.voters,
                    created_at: r.created_at,
                    closed_at: r.closed_at,
                })
            })
            .collect()
    }

    /// Replaces a member's ballot in an open round: `(issue, mark, points)` per issue. Refused
    /// with `Conflict("a closed round")` once the round is closed.
    pub async fn cast_ballot(
        &self,
        pid: PartnershipId,
        round: i64,
        voter: UserId,
        category: &str,
        marks: &[(i64, u32, u32)],
    ) -> Result<()> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "ballot": [null, marks.iter().map(|(i, m, _)| format!("{i}:{m}")).collect::<Vec<_>>().join(",")],
            "category": [null, category],
        })
        .to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let status: Option<String> = sqlx::query_scalar(
                "SELECT status FROM priority_rounds WHERE id = $1 AND partnership_id = $2",
            )
            .bind(round)
            .bind(pid)
            .fetch_optional(&mut *tx)
            .await?;
            match status.as_deref() {
                None => return Err(StoreError::NotFound),
                Some("open") => {}
                Some(_) => return Err(StoreError::Conflict("a closed round")),
            }
            sqlx::query("DELETE FROM round_votes WHERE round_id = $1 AND user_id = $2")
                .bind(round)
                .bind(voter)
                .execute(&mut *tx)
                .await?;
            for (issue, mark, points) in marks {
                let n = sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM round_issues WHERE round_id = $1 AND issue_id = $2",
                )
                .bind(round)
                .bind(*issue)
                .fetch_one(&mut *tx)
                .await?;
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query(
                    "INSERT INTO round_votes (round_id, user_id, issue_id, mark, points,
                       category, voted_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(round)
                .bind(voter)
                .bind(*issue)
                .bind(i64::from(*mark))
                .bind(i64::from(*points))
                .bind(category)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            audit!(
                tx,
                pid,
                voter,
                now,
                "priority_round",
                round,
                "vote",
                &detail
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every mark of a round's ballots.
    pub async fn votes(&self, pid: PartnershipId, round: i64) -> Result<Vec<VoteMark>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, VoteMark>(
                "SELECT v.user_id, v.issue_id, v.mark, v.points, v.category
                 FROM round_votes v JOIN priority_rounds r ON r.id = v.round_id
                 WHERE r.partnership_id = $1 AND v.round_id = $2
                 ORDER BY v.user_id, v.issue_id",
            )
            .bind(pid)
            .bind(round)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Closes an open round: no more ballots.
    pub async fn close_round(&self, pid: PartnershipId, round: i64, by: UserId) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE priority_rounds SET status = 'closed', closed_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND status = 'open'",
            )
            .bind(now)
            .bind(round)
            .bind(pid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, pid, by, now, "priority_round", round, "close", "{}");
            tx.commit().await?;
        });
        Ok(())
    }

    /// In one transaction: retires `retire` (with `retire_reason`) and confirms `issues` as
    /// active priorities from `round` (with `override_reason` when the limit was overridden).
    /// The caller has applied the pick-and-stick rule; an issue already an active priority is
    /// refused with `Conflict`.
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_priorities(
        &self,
        pid: PartnershipId,
        round: Option<i64>,
        issues: &[i64],
        retire: &[i64],
        retire_reason: &str,
        override_reason: &str,
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            all_belong!(tx, "industry_issues", issues, pid);
            all_belong!(tx, "priority_rounds", round.iter(), pid);
            for id in retire {
                let n = sqlx::query(
                    "UPDATE priorities SET status = 'retired', retired_at = $1, retired_reason = $2
                     WHERE id = $3 AND partnership_id = $4 AND status = 'active'",
                )
                .bind(now)
                .bind(retire_reason.trim())
                .bind(*id)
                .bind(pid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                let d = serde_json::json!({"status": ["active", "retired"],
                    "reason": [null, retire_reason.trim()]})
                .to_string();
                audit!(tx, pid, by, now, "priority", *id, "retire", &d);
            }
            for issue in issues {
                let active = sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM priorities
                     WHERE partnership_id = $1 AND issue_id = $2 AND status = 'active'",
                )
                .bind(pid)
                .bind(*issue)
                .fetch_one(&mut *tx)
                .await?;
                if active > 0 {
                    return Err(StoreError::Conflict("an active priority for this issue"));
                }
                let id = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO priorities (partnership_id, issue_id, round_id, status,
                       override_reason, confirmed_by, confirmed_at)
                     VALUES ($1, $2, $3, 'active', $4, $5, $6) RETURNING id",
                )
                .bind(pid)
                .bind(*issue)
                .bind(round)
                .bind(override_reason.trim())
                .bind(by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let d = serde_json::json!({"issue_id": [null, issue.to_string()],
                    "override_reason": [null, override_reason.trim()]})
                .to_string();
                audit!(tx, pid, by, now, "priority", id, "confirm", &d);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The partnership's priorities: active first (oldest first), then retired (newest first).
    pub async fn priorities(&self, pid: PartnershipId) -> Result<Vec<Priority>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Priority>(
                "SELECT p.id, p.issue_id, i.title, p.round_id, p.status, p.override_reason,
                        p.confirmed_at, p.retired_reason, p.retired_at
                 FROM priorities p JOIN industry_issues i ON i.id = p.issue_id
                 WHERE p.partnership_id = $1
                 ORDER BY CASE p.status WHEN 'active' THEN 0 ELSE 1 END,
                          CASE p.status WHEN 'active' THEN p.id ELSE -p.id END",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        }))
    }
}
