//! Convening records of a partnership: meetings (agenda, notes, decisions), attendance by
//! person, action items, the employer outreach ledger, employer-voice findings, and the
//! partnership's settings (composition and red-flag thresholds).
//!
//! As in `partners`: every function filters by the [`PartnershipId`], every change writes its
//! audit entry in the same transaction, and a reference to another record (a contact, a
//! meeting, an organization) must belong to the same partnership or the call is
//! [`StoreError::NotFound`] — one partnership cannot point at another's records.

use crate::partners::{audit, corrupt, diff, like_pattern};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::day::Day;
use sectorkit_core::engagement::{
    ActionStatus, AttendanceStatus, Channel, HealthSettings, MeetingKind, VoiceType,
};
use sectorkit_core::partners::OrgCategory;
use serde::{Deserialize, Serialize};

fn day(column: &'static str, s: &str) -> Result<Day> {
    s.parse().map_err(|_| corrupt(column, s))
}

fn opt_day(column: &'static str, s: Option<String>) -> Result<Option<Day>> {
    s.as_deref().map(|s| day(column, s)).transpose()
}

/// A partnership's settings of the composition check and the red flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnershipSettings {
    /// Employers of the target industries the table should have (composition check).
    pub min_target_employers: usize,
    pub health: HealthSettings,
    /// Priorities kept active at once (pick and stick).
    pub max_priorities: usize,
}

impl Default for PartnershipSettings {
    fn default() -> Self {
        PartnershipSettings {
            min_target_employers: 5,
            health: HealthSettings::default(),
            max_priorities: sectorkit_core::planning::DEFAULT_MAX_PRIORITIES,
        }
    }
}

/// A meeting's editable fields.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFields {
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Day,
    pub location: String,
    /// One item per entry.
    pub agenda: Vec<String>,
    pub notes: String,
    /// One decision per entry.
    pub decisions: Vec<String>,
}

impl MeetingFields {
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", self.kind.code().to_string()),
            ("title", self.title.clone()),
            ("held_on", self.held_on.to_string()),
            ("location", self.location.clone()),
            ("agenda", self.agenda.join(" | ")),
            ("notes", self.notes.clone()),
            ("decisions", self.decisions.join(" | ")),
        ]
    }
}

/// A stored meeting with its attendance counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub fields: MeetingFields,
    /// People invited or present.
    pub invited: i64,
    /// People present (attended or sent a delegate).
    pub present: i64,
    /// Employer people present.
    pub employer_present: i64,
    pub open_actions: i64,
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    kind: String,
    title: String,
    held_on: String,
    location: String,
    agenda: String,
    notes: String,
    decisions: String,
    invited: i64,
    present: i64,
    employer_present: i64,
    open_actions: i64,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = StoreError;
    fn try_from(r: MeetingRow) -> Result<Self> {
        Ok(Meeting {
            id: r.id,
            fields: MeetingFields {
                kind: r
                    .kind
                    .parse()
                    .map_err(|_| corrupt("meetings.kind", &r.kind))?,
                title: r.title,
                held_on: day("meetings.held_on", &r.held_on)?,
                location: r.location,
                agenda: lines(&r.agenda),
                notes: r.notes,
                decisions: lines(&r.decisions),
            },
            invited: r.invited,
            present: r.present,
            employer_present: r.employer_present,
            open_actions: r.open_actions,
        })
    }
}

const MEETING_COLUMNS: &str = "m.id, m.kind, m.title, m.held_on, m.location, m.agenda, m.notes, \
     m.decisions, \
     (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id) AS invited, \
     (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id \
        AND a.status <> 'invited') AS present, \
     (SELECT COUNT(*) FROM meeting_attendance a JOIN contacts c ON c.id = a.contact_id \
        JOIN organizations o ON o.id = c.organization_id \
        WHERE a.meeting_id = m.id AND a.status <> 'invited' AND o.category = 'employer') \
        AS employer_present, \
     (SELECT COUNT(*) FROM action_items ai WHERE ai.meeting_id = m.id AND ai.status = 'open') \
        AS open_actions";

/// One person's attendance, with who they are.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceRecord {
    pub meeting_id: i64,
    pub held_on: Day,
    pub contact_id: i64,
    pub contact: String,
    pub organization_id: i64,
    pub organization: String,
    pub category: OrgCategory,
    pub status: AttendanceStatus,
}

#[derive(sqlx::FromRow)]
struct AttendanceRow {
    meeting_id: i64,
    held_on: String,
    contact_id: i64,
    contact: String,
    organization_id: i64,
    organization: String,
    category: String,
    status: String,
}

impl TryFrom<AttendanceRow> for AttendanceRecord {
    type Error = StoreError;
    fn try_from(r: AttendanceRow) -> Result<Self> {
        Ok(AttendanceRecord {
            meeting_id: r.meeting_id,
            held_on: day("meetings.held_on", &r.held_on)?,
            contact_id: r.contact_id,
            contact: r.contact,
            organization_id: r.organization_id,
            organization: r.organization,
            category: r
                .category
                .parse()
                .map_err(|_| corrupt("organizations.category", &r.category))?,
            status: r
                .status
                .parse()
                .map_err(|_| corrupt("meeting_attendance.status", &r.status))?,
        })
    }
}

/// A new action item.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFields {
    pub meeting_id: Option<i64>,
    pub text: String,
    pub owner_contact_id: Option<i64>,
    pub due_on: Option<Day>,
}

/// A stored action item with its owner and meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    pub id: i64,
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub text: String,
    pub owner_contact_id: Option<i64>,
    pub owner: Option<String>,
    pub owner_email: Option<String>,
    pub owner_organization_id: Option<i64>,
    pub owner_organization: Option<String>,
    pub owner_category: Option<OrgCategory>,
    pub due_on: Option<Day>,
    pub status: ActionStatus,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    meeting_id: Option<i64>,
    meeting_title: Option<String>,
    text: String,
    owner_contact_id: Option<i64>,
    owner: Option<String>,
    owner_email: Option<String>,
    owner_organization_id: Option<i64>,
    owner_organization: Option<String>,
    owner_category: Option<String>,
    due_on: Option<String>,
    status: String,
}

impl TryFrom<ActionRow> for ActionItem {
    type Error = StoreError;
    fn try_from(r: ActionRow) -> Result<Self> {
        Ok(ActionItem {
            id: r.id,
            meeting_id: r.meeting_id,
            meeting_title: r.meeting_title,
            text: r.text,
            owner_contact_id: r.owner_contact_id,
            owner: r.owner,
            owner_email: r.owner_email,
            owner_organization_id: r.owner_organization_id,
            owner_organization: r.owner_organization,
            owner_category: r
                .owner_category
                .as_deref()
                .map(|c| c.parse().map_err(|_| corrupt("organizations.category", c)))
                .transpose()?,
            due_on: opt_day("action_items.due_on", r.due_on)?,
            status: r
                .status
                .parse()
                .map_err(|_| corrupt("action_items.status", &r.status))?,
        })
    }
}

/// A new outreach touch with an employer.
#[derive(Debug, Clone, PartialEq)]
pub struct TouchFields {
    pub employer_id: i64,
    pub employer_contact_id: Option<i64>,
    /// The partner organization that made the touch.
    pub by_organization_id: Option<i64>,
    /// The person who made it.
    pub by_name: String,
    pub touched_on: Day,
    pub channel: Channel,
    pub purpose: String,
    pub outcome: String,
    pub next_step: String,
}

/// A stored outreach touch.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub id: i64,
    pub fields: TouchFields,
    pub employer: String,
    pub employer_contact: Option<String>,
    pub by_organization: Option<String>,
    /// The user who logged it (partners may edit the touches they logged).
    pub created_by: Option<i64>,
    pub archived: bool,
}

impl TouchFields {
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            ("employer_id", self.employer_id.to_string()),
            ("employer_contact_id", id(self.employer_contact_id)),
            ("by_organization_id", id(self.by_organization_id)),
            ("by_name", self.by_name.clone()),
            ("touched_on", self.touched_on.to_string()),
            ("channel", self.channel.code().to_string()),
            ("purpose", self.purpose.clone()),
            ("outcome", self.outcome.clone()),
            ("next_step", self.next_step.clone()),
        ]
    }
}

#[derive(sqlx::FromRow)]
struct TouchRow {
    id: i64,
    employer_id: i64,
    employer_contact_id: Option<i64>,
    by_organization_id: Option<i64>,
    by_name: String,
    touched_on: String,
    channel: String,
    purpose: String,
    outcome: String,
    next_step: String,
    employer: String,
    employer_contact: Option<String>,
    by_organization: Option<String>,
    created_by: Option<i64>,
    archived_at: Option<i64>,
}

impl TryFrom<TouchRow> for Touch {
    type Error = StoreError;
    fn try_from(r: TouchRow) -> Result<Self> {
        Ok(Touch {
            id: r.id,
            fields: TouchFields {
                employer_id: r.employer_id,
                employer_contact_id: r.employer_contact_id,
                by_organization_id: r.by_organization_id,
                by_name: r.by_name,
                touched_on: day("outreach_touches.touched_on", &r.touched_on)?,
                channel: r
                    .channel
                    .parse()
                    .map_err(|_| corrupt("outreach_touches.channel", &r.channel))?,
                purpose: r.purpose,
                outcome: r.outcome,
                next_step: r.next_step,
            },
            employer: r.employer,
            employer_contact: r.employer_contact,
            by_organization: r.by_organization,
            created_by: r.created_by,
            archived: r.archived_at.is_some(),
        })
    }
}

/// A new employer-voice finding.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingFields {
    pub statement: String,
    pub kind: VoiceType,
    /// The NAICS code it concerns ('' when it is about the sector as a whole).
    pub industry_code: String,
    /// SOC codes it concerns.
    pub occupations: Vec<String>,
    /// How many employers voiced it (at least 1).
    pub employers: i64,
    pub meeting_id: Option<i64>,
    pub touch_id: Option<i64>,
}

/// A stored finding with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceFinding {
    pub id: i64,
    pub fields: FindingFields,
    /// The source, in words ("Industry roundtable 2026-03-04", "Touch: Acme, 2026-02-01").
    pub source: Option<String>,
    pub created_at: i64,
    pub archived: bool,
}

impl FindingFields {
    fn audit_pairs(&self) -> Vec<(&'static str, String)> {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        vec![
            ("statement", self.statement.clone()),
            ("kind", self.kind.code().to_string()),
            ("industry_code", self.industry_code.clone()),
            ("occupations", self.occupations.join(",")),
            ("employers", self.employers.to_string()),
            ("meeting_id", id(self.meeting_id)),
            ("touch_id", id(self.touch_id)),
        ]
    }
}

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: i64,
    statement: String,
    kind: String,
    industry_code: String,
    occupations: String,
    employers: i64,
    meeting_id: Option<i64>,
    touch_id: Option<i64>,
    meeting_title: Option<String>,
    meeting_on: Option<String>,
    touch_employer: Option<String>,
    touch_on: Option<String>,
    created_at: i64,
    archived_at: Option<i64>,
}

impl TryFrom<FindingRow> for VoiceFinding {
    type Error = StoreError;
    fn try_from(r: FindingRow) -> Result<Self> {
        let source = match (&r.meeting_title, &r.touch_employer) {
            (Some(t), _) => Some(format!("{t}, {}", r.meeting_on.clone().unwrap_or_default())),
            (None, Some(e)) => Some(format!(
                "Outreach to {e}, {}",
                r.touch_on.clone().unwrap_or_default()
            )),
            (None, None) => None,
        };
        Ok(VoiceFinding {
            id: r.id,
            fields: FindingFields {
                statement: r.statement,
                kind: r
                    .kind
                    .parse()
                    .map_err(|_| corrupt("voice_findings.kind", &r.kind))?,
                industry_code: r.industry_code,
                occupations: r
                    .occupations
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                employers: r.employers,
                meeting_id: r.meeting_id,
                touch_id: r.touch_id,
            },
            source,
            created_at: r.created_at,
            archived: r.archived_at.is_some(),
        })
    }
}

/// Checks inside a transaction that `id` of `table` belongs to `pid` (tables are fixed names).
macro_rules! belongs {
    ($tx:expr, $table:literal, $id:expr, $pid:expr) => {
        if let Some(id) = $id {
            let n = sqlx::query_scalar::<_, i64>(concat!(
                "SELECT COUNT(*) FROM ",
                $table,
                " WHERE id = $1 AND partnership_id = $2"
            ))
            .bind(id)
            .bind($pid)
            .fetch_one(&mut *$tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
        }
    };
}
pub(crate) use belongs;

/// Checks inside a transaction that a touch's employer, partner organization and employer
/// contact belong to `pid` (and the contact to the employer).
macro_rules! touch_refs {
    ($tx:expr, $pid:expr, $f:expr) => {
        belongs!($tx, "organizations", Some($f.employer_id), $pid);
        belongs!($tx, "organizations", $f.by_organization_id, $pid);
        if let Some(c) = $f.employer_contact_id {
            let n = sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM contacts
                 WHERE id = $1 AND partnership_id = $2 AND organization_id = $3",
            )
            .bind(c)
            .bind($pid)
            .bind($f.employer_id)
            .fetch_one(&mut *$tx)
            .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
        }
    };
}

impl Store {
    /// The partnership's settings (the defaults until changed).
    pub async fn settings(&self, pid: PartnershipId) -> Result<PartnershipSettings> {
        let json: Option<String> = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT settings FROM partnership_settings WHERE partnership_id = $1",
            )
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        match json {
            None => Ok(PartnershipSettings::default()),
            Some(j) => {
                serde_json::from_str(&j).map_err(|_| corrupt("partnership_settings.settings", &j))
            }
        }
    }

    /// Saves the partnership's settings (audited).
    pub async fn set_settings(
        &self,
        pid: PartnershipId,
        s: &PartnershipSettings,
        by: UserId,
    ) -> Result<()> {
        let old = self.settings(pid).await?;
        let now = crate::now_unix();
        let json = serde_json::to_string(s).expect("settings serialize");
        let old_json = serde_json::to_string(&old).expect("settings serialize");
        let detail = serde_json::json!({ "settings": [old_json, json] }).to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO partnership_settings (partnership_id, settings) VALUES ($1, $2)
                 ON CONFLICT (partnership_id) DO UPDATE SET settings = excluded.settings",
            )
            .bind(pid)
            .bind(&json)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "settings", pid, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Saves a new meeting.
    pub async fn create_meeting(
        &self,
        pid: PartnershipId,
        f: &MeetingFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = diff(None, &f.audit_pairs()).to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO meetings (partnership_id, kind, title, held_on, location, agenda,
                   notes, decisions, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(pid)
            .bind(f.kind.code())
            .bind(f.title.trim())
            .bind(f.held_on.to_string())
            .bind(&f.location)
            .bind(f.agenda.join("\n"))
            .bind(&f.notes)
            .bind(f.decisions.join("\n"))
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "meeting", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes a meeting's fields; the audit entry lists what changed.
    pub async fn update_meeting(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &MeetingFields,
        by: UserId,
    ) -> Result<()> {
        let old = self.meeting(pid, id).await?.ok_or(StoreError::NotFound)?;
        let detail = diff(Some(&old.fields.audit_pairs()), &f.audit_pairs());
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE meetings SET kind = $1, title = $2, held_on = $3, location = $4,
                   agenda = $5, notes = $6, decisions = $7, updated_at = $8
                 WHERE id = $9 AND partnership_id = $10",
            )
            .bind(f.kind.code())
            .bind(f.title.trim())
            .bind(f.held_on.to_string())
            .bind(&f.location)
            .bind(f.agenda.join("\n"))
            .bind(&f.notes)
            .bind(f.decisions.join("\n"))
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "meeting", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// One meeting of the partnership.
    pub async fn meeting(&self, pid: PartnershipId, id: i64) -> Result<Option<Meeting>> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {MEETING_COLUMNS} FROM meetings m
                 WHERE m.id = $1 AND m.partnership_id = $2 AND m.archived_at IS NULL"
            )))
            .bind(id)
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        row.map(Meeting::try_from).transpose()
    }

    /// The partnership's meetings, newest first; `search` matches the title.
    pub async fn meetings(&self, pid: PartnershipId, search: Option<&str>) -> Result<Vec<Meeting>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(format!(
                "SELECT {MEETING_COLUMNS} FROM meetings m
                 WHERE m.partnership_id = $1 AND m.archived_at IS NULL
                   AND ($2 IS NULL OR LOWER(m.title) LIKE $2)
                 ORDER BY m.held_on DESC, m.id DESC"
            )))
            .bind(pid)
            .bind(pattern.as_deref())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Meeting::try_from).collect()
    }

    /// Replaces a meeting's attendance: `None` removes the person from the list. The audit
    /// entry lists each change as `{"contact 12": [old, new]}`.
    pub async fn set_attendance(
        &self,
        pid: PartnershipId,
        meeting: i64,
        changes: &[(i64, Option<AttendanceStatus>)],
        by: UserId,
    ) -> Result<usize> {
        let now = crate::now_unix();
        let before: std::collections::BTreeMap<i64, AttendanceStatus> = self
            .attendance(pid, Some(meeting))
            .await?
            .into_iter()
            .map(|a| (a.contact_id, a.status))
            .collect();
        let mut detail = serde_json::Map::new();
        for (c, new) in changes {
            let old = before.get(c).copied();
            if old != *new {
                detail.insert(
                    format!("contact {c}"),
                    serde_json::json!([old.map(|s| s.code()), new.map(|s| s.code())]),
                );
            }
        }
        if detail.is_empty() {
            return Ok(0);
        }
        let n = detail.len();
        let detail = serde_json::Value::Object(detail).to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "meetings", Some(meeting), pid);
            for (c, status) in changes {
                belongs!(tx, "contacts", Some(*c), pid);
                sqlx::query(
                    "DELETE FROM meeting_attendance WHERE meeting_id = $1 AND contact_id = $2",
                )
                .bind(meeting)
                .bind(c)
                .execute(&mut *tx)
                .await?;
                if let Some(s) = status {
                    sqlx::query(
                        "INSERT INTO meeting_attendance (partnership_id, meeting_id, contact_id, status)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(pid)
                    .bind(meeting)
                    .bind(c)
                    .bind(s.code())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            audit!(tx, pid, by, now, "meeting", meeting, "attendance", &detail);
            tx.commit().await?;
        });
        Ok(n)
    }

    /// Attendance records of one meeting, or of all the partnership's meetings (oldest first),
    /// with each person's organization.
    pub async fn attendance(
        &self,
        pid: PartnershipId,
        meeting: Option<i64>,
    ) -> Result<Vec<AttendanceRecord>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AttendanceRow>(
                "SELECT a.meeting_id, m.held_on, a.contact_id, c.name AS contact,
                        o.id AS organization_id, o.name AS organization, o.category, a.status
                 FROM meeting_attendance a
                 JOIN meetings m ON m.id = a.meeting_id
                 JOIN contacts c ON c.id = a.contact_id
                 JOIN organizations o ON o.id = c.organization_id
                 WHERE a.partnership_id = $1 AND m.archived_at IS NULL
                   AND ($2 IS NULL OR a.meeting_id = $2)
                 ORDER BY m.held_on, a.meeting_id, LOWER(o.name), LOWER(c.name)",
            )
            .bind(pid)
            .bind(meeting)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AttendanceRecord::try_from).collect()
    }

    /// Saves a new action item (open).
    pub async fn create_action(
        &self,
        pid: PartnershipId,
        f: &ActionFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "text": [null, f.text],
            "owner_contact_id": [null, f.owner_contact_id],
            "due_on": [null, f.due_on.map(|d| d.to_string())],
            "meeting_id": [null, f.meeting_id],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "meetings", f.meeting_id, pid);
            belongs!(tx, "contacts", f.owner_contact_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO action_items (partnership_id, meeting_id, text, owner_contact_id,
                   due_on, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id",
            )
            .bind(pid)
            .bind(f.meeting_id)
            .bind(f.text.trim())
            .bind(f.owner_contact_id)
            .bind(f.due_on.map(|d| d.to_string()))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "action_item", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Changes an action item's status (audited).
    pub async fn set_action_status(
        &self,
        pid: PartnershipId,
        id: i64,
        status: ActionStatus,
        by: UserId,
    ) -> Result<()> {
        let old = self.action(pid, id).await?.ok_or(StoreError::NotFound)?;
        if old.status == status {
            return Ok(());
        }
        let now = crate::now_unix();
        let detail =
            serde_json::json!({ "status": [old.status.code(), status.code()] }).to_string();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE action_items SET status = $1, updated_at = $2
                 WHERE id = $3 AND partnership_id = $4",
            )
            .bind(status.code())
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "action_item", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// One action item of the partnership.
    pub async fn action(&self, pid: PartnershipId, id: i64) -> Result<Option<ActionItem>> {
        Ok(self
            .actions_where(pid, Some(id), None)
            .await?
            .into_iter()
            .next())
    }

    /// The partnership's action items (of one meeting when given): open first, by due date.
    pub async fn actions(
        &self,
        pid: PartnershipId,
        meeting: Option<i64>,
    ) -> Result<Vec<ActionItem>> {
        self.actions_where(pid, None, meeting).await
    }

    async fn actions_where(
        &self,
        pid: PartnershipId,
        id: Option<i64>,
        meeting: Option<i64>,
    ) -> Result<Vec<ActionItem>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, ActionRow>(
                "SELECT ai.id, ai.meeting_id, m.title AS meeting_title, ai.text,
                        ai.owner_contact_id, c.name AS owner, c.email AS owner_email,
                        o.id AS owner_organization_id, o.name AS owner_organization,
                        o.category AS owner_category, ai.due_on, ai.status
                 FROM action_items ai
                 LEFT JOIN meetings m ON m.id = ai.meeting_id
                 LEFT JOIN contacts c ON c.id = ai.owner_contact_id
                 LEFT JOIN organizations o ON o.id = c.organization_id
                 WHERE ai.partnership_id = $1 AND ($2 IS NULL OR ai.id = $2)
                   AND ($3 IS NULL OR ai.meeting_id = $3)
                 ORDER BY CASE ai.status WHEN 'open' THEN 0 ELSE 1 END,
                          CASE WHEN ai.due_on IS NULL THEN 1 ELSE 0 END, ai.due_on, ai.id",
            )
            .bind(pid)
            .bind(id)
            .bind(meeting)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ActionItem::try_from).collect()
    }

    /// Logs an outreach touch. The employer must be an employer organization of the
    /// partnership; the contact must belong to it.
    pub async fn create_touch(
        &self,
        pid: PartnershipId,
        f: &TouchFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "employer_id": [null, f.employer_id],
            "touched_on": [null, f.touched_on.to_string()],
            "channel": [null, f.channel.code()],
            "purpose": [null, f.purpose],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            touch_refs!(tx, pid, f);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO outreach_touches (partnership_id, employer_id, employer_contact_id,
                   by_organization_id, by_name, touched_on, channel, purpose, outcome, next_step,
                   created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(pid)
            .bind(f.employer_id)
            .bind(f.employer_contact_id)
            .bind(f.by_organization_id)
            .bind(f.by_name.trim())
            .bind(f.touched_on.to_string())
            .bind(f.channel.code())
            .bind(f.purpose.trim())
            .bind(f.outcome.trim())
            .bind(f.next_step.trim())
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "outreach_touch", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The outreach ledger (of one employer when given), newest first; archived touches left out.
    pub async fn touches(&self, pid: PartnershipId, employer: Option<i64>) -> Result<Vec<Touch>> {
        self.touches_where(pid, None, employer, None).await
    }

    /// The ledger's touches whose employer, person, partner organization, purpose, outcome or
    /// next step contains `search` (case-insensitive), newest first.
    pub async fn search_touches(&self, pid: PartnershipId, search: &str) -> Result<Vec<Touch>> {
        self.touches_where(pid, None, None, Some(search)).await
    }

    /// One touch of the partnership (archived too).
    pub async fn touch(&self, pid: PartnershipId, id: i64) -> Result<Option<Touch>> {
        Ok(self
            .touches_where(pid, Some(id), None, None)
            .await?
            .into_iter()
            .next())
    }

    async fn touches_where(
        &self,
        pid: PartnershipId,
        id: Option<i64>,
        employer: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<Touch>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, TouchRow>(
                "SELECT t.id, t.employer_id, t.employer_contact_id, t.by_organization_id,
                        t.by_name, t.touched_on, t.channel, t.purpose, t.outcome, t.next_step,
                        e.name AS employer, c.name AS employer_contact,
                        b.name AS by_organization, t.created_by, t.archived_at
                 FROM outreach_touches t
                 JOIN organizations e ON e.id = t.employer_id
                 LEFT JOIN contacts c ON c.id = t.employer_contact_id
                 LEFT JOIN organizations b ON b.id = t.by_organization_id
                 WHERE t.partnership_id = $1 AND ($2 IS NULL OR t.employer_id = $2)
                   AND (($3 IS NULL AND t.archived_at IS NULL) OR t.id = $3)
                   AND ($4 IS NULL OR LOWER(e.name) LIKE $4 OR LOWER(COALESCE(c.name, '')) LIKE $4
                        OR LOWER(COALESCE(b.name, '')) LIKE $4 OR LOWER(t.by_name) LIKE $4
                        OR LOWER(t.purpose) LIKE $4 OR LOWER(t.outcome) LIKE $4
                        OR LOWER(t.next_step) LIKE $4)
                 ORDER BY t.touched_on DESC, t.id DESC",
            )
            .bind(pid)
            .bind(employer)
            .bind(id)
            .bind(pattern.as_deref())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Touch::try_from).collect()
    }

    /// Changes a touch (same checks as logging one); the audit entry lists what changed.
    pub async fn update_touch(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &TouchFields,
        by: UserId,
    ) -> Result<()> {
        let old = self.touch(pid, id).await?.ok_or(StoreError::NotFound)?;
        let detail = diff(Some(&old.fields.audit_pairs()), &f.audit_pairs());
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            touch_refs!(tx, pid, f);
            sqlx::query(
                "UPDATE outreach_touches SET employer_id = $1, employer_contact_id = $2,
                   by_organization_id = $3, by_name = $4, touched_on = $5, channel = $6,
                   purpose = $7, outcome = $8, next_step = $9
                 WHERE id = $10 AND partnership_id = $11",
            )
            .bind(f.employer_id)
            .bind(f.employer_contact_id)
            .bind(f.by_organization_id)
            .bind(f.by_name.trim())
            .bind(f.touched_on.to_string())
            .bind(f.channel.code())
            .bind(f.purpose.trim())
            .bind(f.outcome.trim())
            .bind(f.next_step.trim())
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "outreach_touch", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Archives (`archive = true`) or restores a touch: it leaves the ledger, its history stays.
    pub async fn set_touch_archived(
        &self,
        pid: PartnershipId,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        self.set_archived(pid, "outreach_touch", id, archive, by)
            .await
    }

    /// Saves an employer-voice finding.
    pub async fn create_finding(
        &self,
        pid: PartnershipId,
        f: &FindingFields,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let detail = serde_json::json!({
            "statement": [null, f.statement],
            "kind": [null, f.kind.code()],
            "industry_code": [null, f.industry_code],
            "employers": [null, f.employers],
        })
        .to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "meetings", f.meeting_id, pid);
            belongs!(tx, "outreach_touches", f.touch_id, pid);
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO voice_findings (partnership_id, statement, kind, industry_code,
                   occupations, employers, meeting_id, touch_id, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(pid)
            .bind(f.statement.trim())
            .bind(f.kind.code())
            .bind(&f.industry_code)
            .bind(f.occupations.join(","))
            .bind(f.employers)
            .bind(f.meeting_id)
            .bind(f.touch_id)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "voice_finding", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// Employer-voice findings, most voiced first; `search` matches the statement. Archived
    /// findings are left out.
    pub async fn findings(
        &self,
        pid: PartnershipId,
        search: Option<&str>,
    ) -> Result<Vec<VoiceFinding>> {
        self.findings_where(pid, None, search).await
    }

    /// One finding of the partnership (archived too).
    pub async fn finding(&self, pid: PartnershipId, id: i64) -> Result<Option<VoiceFinding>> {
        Ok(self
            .findings_where(pid, Some(id), None)
            .await?
            .into_iter()
            .next())
    }

    async fn findings_where(
        &self,
        pid: PartnershipId,
        id: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<VoiceFinding>> {
        let pattern = like_pattern(search);
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, FindingRow>(
                "SELECT f.id, f.statement, f.kind, f.industry_code, f.occupations, f.employers,
                        f.meeting_id, f.touch_id, m.title AS meeting_title, m.held_on AS meeting_on,
                        e.name AS touch_employer, t.touched_on AS touch_on, f.created_at,
                        f.archived_at
                 FROM voice_findings f
                 LEFT JOIN meetings m ON m.id = f.meeting_id
                 LEFT JOIN outreach_touches t ON t.id = f.touch_id
                 LEFT JOIN organizations e ON e.id = t.employer_id
                 WHERE f.partnership_id = $1
                   AND (($3 IS NULL AND f.archived_at IS NULL) OR f.id = $3)
                   AND ($2 IS NULL OR LOWER(f.statement) LIKE $2)
                 ORDER BY f.employers DESC, f.id",
            )
            .bind(pid)
            .bind(pattern.as_deref())
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(VoiceFinding::try_from).collect()
    }

    /// Changes a finding; the audit entry lists what changed.
    pub async fn update_finding(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &FindingFields,
        by: UserId,
    ) -> Result<()> {
        let old = self.finding(pid, id).await?.ok_or(StoreError::NotFound)?;
        let detail = diff(Some(&old.fields.audit_pairs()), &f.audit_pairs());
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "meetings", f.meeting_id, pid);
            belongs!(tx, "outreach_touches", f.touch_id, pid);
            sqlx::query(
                "UPDATE voice_findings SET statement = $1, kind = $2, industry_code = $3,
                   occupations = $4, employers = $5, meeting_id = $6, touch_id = $7
                 WHERE id = $8 AND partnership_id = $9",
            )
            .bind(f.statement.trim())
            .bind(f.kind.code())
            .bind(&f.industry_code)
            .bind(f.occupations.join(","))
            .bind(f.employers)
            .bind(f.meeting_id)
            .bind(f.touch_id)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "voice_finding", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Archives (`archive = true`) or restores a finding: it leaves the lists, its history stays.
    pub async fn set_finding_archived(
        &self,
        pid: PartnershipId,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        self.set_archived(pid, "voice_finding", id, archive, by)
            .await
    }

    /// Sets or clears `archived_at` of one record of an archivable table, with its audit entry.
    pub(crate) async fn set_archived(
        &self,
        pid: PartnershipId,
        entity: &'static str,
        id: i64,
        archive: bool,
        by: UserId,
    ) -> Result<()> {
        // The table name comes from this fixed list, never from input.
        let table = match entity {
            "outreach_touch" => "outreach_touches",
            "voice_finding" => "voice_findings",
            "industry_issue" => "industry_issues",
            "strategy" => "strategies",
            "milestone" => "milestones",
            "logic_element" => "logic_elements",
            "key_message" => "key_messages",
            "comms_item" => "comms_items",
            "product" => "products",
            "capacity_role" => "capacity_roles",
            "lesson" => "lessons",
            "plan_link" => "plan_links",
            "data_agreement" => "data_agreements",
            other => unreachable!("{other} is not archivable"),
        };
        let sql = if archive {
            format!(
                "UPDATE {table} SET archived_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NULL"
            )
        } else {
            format!(
                "UPDATE {table} SET archived_at = NULL
                 WHERE id = $2 AND partnership_id = $3 AND archived_at IS NOT NULL AND $1 > 0"
            )
        };
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
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
            audit!(tx, pid, by, now, entity, id, action, "{}");
            tx.commit().await?;
        });
        Ok(())
    }

    /// Changes an action item: its text, owner, due date and status (audited with what changed).
    pub async fn update_action(
        &self,
        pid: PartnershipId,
        id: i64,
        f: &ActionFields,
        status: ActionStatus,
        by: UserId,
    ) -> Result<()> {
        let old = self.action(pid, id).await?.ok_or(StoreError::NotFound)?;
        let pairs = |text: &str, owner: Option<i64>, due: Option<Day>, st: ActionStatus| {
            vec![
                ("text", text.to_string()),
                (
                    "owner_contact_id",
                    owner.map(|v| v.to_string()).unwrap_or_default(),
                ),
                ("due_on", due.map(|d| d.to_string()).unwrap_or_default()),
                ("status", st.code().to_string()),
            ]
        };
        let detail = diff(
            Some(&pairs(
                &old.text,
                old.owner_contact_id,
                old.due_on,
                old.status,
            )),
            &pairs(f.text.trim(), f.owner_contact_id, f.due_on, status),
        );
        if detail.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(());
        }
        let detail = detail.to_string();
        let now = crate::now_unix();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            belongs!(tx, "contacts", f.owner_contact_id, pid);
            sqlx::query(
                "UPDATE action_items SET text = $1, owner_contact_id = $2, due_on = $3,
                   status = $4, updated_at = $5
                 WHERE id = $6 AND partnership_id = $7",
            )
            .bind(f.text.trim())
            .bind(f.owner_contact_id)
            .bind(f.due_on.map(|d| d.to_string()))
            .bind(status.code())
            .bind(now)
            .bind(id)
            .bind(pid)
            .execute(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "action_item", id, "update", &detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The days employer organizations were archived (for the "employers lost" flag).
    pub async fn archived_employer_days(&self, pid: PartnershipId) -> Result<Vec<Day>> {
        let at: Vec<i64> = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT archived_at FROM organizations
                 WHERE partnership_id = $1 AND category = 'employer' AND archived_at IS NOT NULL",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        Ok(at.into_iter().map(Day::from_unix).collect())
    }
}

/// A stored readiness assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: i64,
    pub taken_on: Day,
    pub answers: std::collections::BTreeMap<String, sectorkit_core::readiness::Answer>,
    pub by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: i64,
    taken_on: String,
    answers: String,
    by_name: Option<String>,
}

impl Store {
    /// Saves a readiness assessment (checked by the caller with `readiness::check`).
    pub async fn create_assessment(
        &self,
        pid: PartnershipId,
        taken_on: Day,
        answers: &std::collections::BTreeMap<String, sectorkit_core::readiness::Answer>,
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        let json = serde_json::to_string(answers).expect("answers serialize");
        let detail = serde_json::json!({ "taken_on": [null, taken_on.to_string()] }).to_string();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO readiness_assessments (partnership_id, taken_on, answers, created_by,
                   created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(pid)
            .bind(taken_on.to_string())
            .bind(&json)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, pid, by, now, "readiness", id, "create", &detail);
            tx.commit().await?;
            id
        }))
    }

    /// The partnership's assessments, oldest first.
    pub async fn assessments(&self, pid: PartnershipId) -> Result<Vec<Assessment>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AssessmentRow>(
                "SELECT r.id, r.taken_on, r.answers, u.name AS by_name
                 FROM readiness_assessments r LEFT JOIN users u ON u.id = r.created_by
                 WHERE r.partnership_id = $1 ORDER BY r.taken_on, r.id",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Assessment {
                    id: r.id,
                    taken_on: day("readiness_assessments.taken_on", &r.taken_on)?,
                    answers: serde_json::from_str(&r.answers)
                        .map_err(|_| corrupt("readiness_assessments.answers", &r.answers))?,
                    by: r.by_name,
                })
            })
            .collect()
    }
}
