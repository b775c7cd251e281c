//! Participant outcomes: the partnership's pseudonymization key, the saved column mapping, files
//! waiting for their mapping, and participant records imported all or nothing.
//!
//! No raw participant id and no date of birth reach this module: the records arrive keyed by
//! their HMAC pseudonym with an age band (`sectorkit_data::participants`). The key itself never
//! leaves the database except to the import that uses it.

use crate::partners::{audit, corrupt};
use crate::{PartnershipId, Result, Store, StoreError, UserId, on_pool};
use sectorkit_core::day::Day;
use sectorkit_core::outcomes::{Credential, Demographics, Participant, ParticipantRecord};
use std::collections::HashSet;

/// A staged upload is kept this long (seconds) for its mapping to be confirmed.
pub const UPLOAD_TTL_SECS: i64 = 24 * 3600;

/// What one import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParticipantImportCounts {
    pub import_id: i64,
    pub created: u64,
    pub updated: u64,
}

/// One past import.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ParticipantImport {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i64,
    pub created: i64,
    pub updated: i64,
    pub imported_at: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    pkey: String,
    program: String,
    enrolled_on: Option<String>,
    exited_on: Option<String>,
    is_excluded: bool,
    in_training: bool,
    completed: Option<bool>,
    credential: Option<String>,
    credential_on: Option<String>,
    postsecondary_enrolled: Option<bool>,
    skill_gain: Option<bool>,
    employed_q2: Option<bool>,
    earnings_q2: Option<f64>,
    employer_q2: Option<String>,
    employed_q4: Option<bool>,
    earnings_q4: Option<f64>,
    employer_q4: Option<String>,
    same_employer: Option<bool>,
    hourly_wage: Option<f64>,
    hours: Option<f64>,
    wage_before: Option<f64>,
    benefits: Option<bool>,
    bargaining: Option<bool>,
    county: Option<String>,
    sex: Option<String>,
    race_ethnicity: Option<String>,
    age_band: Option<String>,
    veteran: Option<bool>,
    disability: Option<bool>,
    low_income: Option<bool>,
    justice_involved: Option<bool>,
    english_learner: Option<bool>,
}

fn credential_code(c: Credential) -> &'static str {
    match c {
        Credential::None => "none",
        Credential::Postsecondary => "postsecondary",
        Credential::SecondaryDiploma => "secondary",
    }
}

fn day_of(column: &'static str, v: Option<String>) -> Result<Option<Day>> {
    v.map(|s| s.parse::<Day>().map_err(|_| corrupt(column, &s)))
        .transpose()
}

impl TryFrom<Row> for ParticipantRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        let credential = match r.credential.as_deref() {
            None => None,
            Some("none") => Some(Credential::None),
            Some("postsecondary") => Some(Credential::Postsecondary),
            Some("secondary") => Some(Credential::SecondaryDiploma),
            Some(other) => return Err(corrupt("participants.credential", other)),
        };
        Ok(ParticipantRecord {
            key: r.pkey,
            program: r.program,
            enrolled_on: day_of("participants.enrolled_on", r.enrolled_on)?,
            completed: r.completed,
            county: r.county,
            employer_q2: r.employer_q2,
            employer_q4: r.employer_q4,
            earnings_q4: r.earnings_q4,
            hours: r.hours,
            outcome: Participant {
                exited_on: day_of("participants.exited_on", r.exited_on)?,
                excluded: r.is_excluded,
                in_training: r.in_training,
                credential,
                credential_on: day_of("participants.credential_on", r.credential_on)?,
                postsecondary_enrolled: r.postsecondary_enrolled,
                skill_gain: r.skill_gain,
                employed_q2: r.employed_q2,
                employed_q4: r.employed_q4,
                earnings_q2: r.earnings_q2,
                same_employer: r.same_employer,
                hourly_wage: r.hourly_wage,
                wage_before: r.wage_before,
                benefits: r.benefits,
                bargaining: r.bargaining,
                living_wage: None,
            },
            demographics: Demographics {
                sex: r.sex,
                race_ethnicity: r.race_ethnicity,
                age_band: r.age_band,
                veteran: r.veteran,
                disability: r.disability,
                low_income: r.low_income,
                justice_involved: r.justice_involved,
                english_learner: r.english_learner,
            },
        })
    }
}

const UPSERT: &str = "INSERT INTO participants (partnership_id, pkey, program, import_id,
    enrolled_on, exited_on, is_excluded, in_training, completed, credential, credential_on,
    postsecondary_enrolled, skill_gain, employed_q2, earnings_q2, employer_q2, employed_q4,
    earnings_q4, employer_q4, same_employer, hourly_wage, hours, wage_before, benefits,
    bargaining, county, sex, race_ethnicity, age_band, veteran, disability, low_income,
    justice_involved, english_learner)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
    $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)
  ON CONFLICT (partnership_id, pkey, program) DO UPDATE SET
    import_id = excluded.import_id, enrolled_on = excluded.enrolled_on,
    exited_on = excluded.exited_on, is_excluded = excluded.is_excluded,
    in_training = excluded.in_training, completed = excluded.completed,
    credential = excluded.credential, credential_on = excluded.credential_on,
    postsecondary_enrolled = excluded.postsecondary_enrolled, skill_gain = excluded.skill_gain,
    employed_q2 = excluded.employed_q2, earnings_q2 = excluded.earnings_q2,
    employer_q2 = excluded.employer_q2, employed_q4 = excluded.employed_q4,
    earnings_q4 = excluded.earnings_q4, employer_q4 = excluded.employer_q4,
    same_employer = excluded.same_employer, hourly_wage = excluded.hourly_wage,
    hours = excluded.hours, wage_before = excluded.wage_before, benefits = excluded.benefits,
    bargaining = excluded.bargaining, county = excluded.county, sex = excluded.sex,
    race_ethnicity = excluded.race_ethnicity, age_band = excluded.age_band,
    veteran = excluded.veteran, disability = excluded.disability,
    low_income = excluded.low_income, justice_involved = excluded.justice_involved,
    english_learner = excluded.english_learner";

impl Store {
    /// The partnership's pseudonymization key, created from `fresh` (random bytes the caller
    /// draws) the first time; afterwards `fresh` is ignored and the stored key returned.
    pub async fn partnership_hmac_key(&self, pid: PartnershipId, fresh: &[u8]) -> Result<Vec<u8>> {
        let now = crate::now_unix();
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO partnership_keys (partnership_id, hmac_key, created_at)
                 VALUES ($1, $2, $3) ON CONFLICT (partnership_id) DO NOTHING",
            )
            .bind(pid)
            .bind(fresh)
            .bind(now)
            .execute(pool)
            .await?;
            sqlx::query_scalar::<_, Vec<u8>>(
                "SELECT hmac_key FROM partnership_keys WHERE partnership_id = $1",
            )
            .bind(pid)
            .fetch_one(pool)
            .await?
        }))
    }

    /// The saved column mapping: `(field, column)` pairs.
    pub async fn participant_mapping(&self, pid: PartnershipId) -> Result<Vec<(String, String)>> {
        let json = on_pool!(self, |pool| {
            sqlx::query_scalar::<_, String>(
                "SELECT mapping FROM participant_mappings WHERE partnership_id = $1",
            )
            .bind(pid)
            .fetch_optional(pool)
            .await?
        });
        match json {
            None => Ok(Vec::new()),
            Some(j) => serde_json::from_str(&j).map_err(|_| corrupt("participant_mappings", &j)),
        }
    }

    /// Saves the column mapping (audited).
    pub async fn save_participant_mapping(
        &self,
        pid: PartnershipId,
        pairs: &[(String, String)],
        by: UserId,
    ) -> Result<()> {
        let now = crate::now_unix();
        let json = serde_json::to_string(pairs).expect("pairs serialize");
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO participant_mappings (partnership_id, mapping, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (partnership_id) DO UPDATE SET mapping = excluded.mapping,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(pid)
            .bind(&json)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit!(
                tx,
                pid,
                by,
                now,
                "participant_mapping",
                0i64,
                "update",
                &json
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Keeps an uploaded file until its mapping is confirmed; drops the partnership's uploads
    /// older than [`UPLOAD_TTL_SECS`].
    pub async fn stage_participant_upload(
        &self,
        pid: PartnershipId,
        file_name: &str,
        data: &[u8],
        by: UserId,
    ) -> Result<i64> {
        let now = crate::now_unix();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM participant_uploads WHERE partnership_id = $1 AND uploaded_at < $2",
            )
            .bind(pid)
            .bind(now - UPLOAD_TTL_SECS)
            .execute(&mut *tx)
            .await?;
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO participant_uploads (partnership_id, file_name, data, uploaded_by,
                   uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(pid)
            .bind(file_name)
            .bind(data)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            id
        }))
    }

    /// A staged upload of the partnership: its file name and bytes.
    pub async fn participant_upload(
        &self,
        pid: PartnershipId,
        id: i64,
    ) -> Result<Option<(String, Vec<u8>)>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, (String, Vec<u8>)>(
                "SELECT file_name, data FROM participant_uploads
                 WHERE id = $1 AND partnership_id = $2",
            )
            .bind(id)
            .bind(pid)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Saves the records of one file, all or nothing: new participants are added, known ones
    /// (same pseudonym and program) replaced; the staged upload is removed. Audited with the
    /// counts only.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_participants(
        &self,
        pid: PartnershipId,
        upload_id: Option<i64>,
        file_name: &str,
        sha256: &str,
        rows_read: usize,
        records: &[ParticipantRecord],
        by: UserId,
    ) -> Result<ParticipantImportCounts> {
        let now = crate::now_unix();
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let known: HashSet<(String, String)> = sqlx::query_as::<_, (String, String)>(
                "SELECT pkey, program FROM participants WHERE partnership_id = $1",
            )
            .bind(pid)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
            let updated = records
                .iter()
                .filter(|r| known.contains(&(r.key.clone(), r.program.clone())))
                .count() as u64;
            let created = records.len() as u64 - updated;
            let import_id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO participant_imports (partnership_id, file_name, sha256, rows_read,
                   created, updated, imported_by, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(pid)
            .bind(file_name)
            .bind(sha256)
            .bind(rows_read as i64)
            .bind(created as i64)
            .bind(updated as i64)
            .bind(by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for r in records {
                let o = &r.outcome;
                let d = &r.demographics;
                sqlx::query(UPSERT)
                    .bind(pid)
                    .bind(&r.key)
                    .bind(&r.program)
                    .bind(import_id)
                    .bind(r.enrolled_on.map(|d| d.to_string()))
                    .bind(o.exited_on.map(|d| d.to_string()))
                    .bind(o.excluded)
                    .bind(o.in_training)
                    .bind(r.completed)
                    .bind(o.credential.map(credential_code))
                    .bind(o.credential_on.map(|d| d.to_string()))
                    .bind(o.postsecondary_enrolled)
                    .bind(o.skill_gain)
                    .bind(o.employed_q2)
                    .bind(o.earnings_q2)
                    .bind(&r.employer_q2)
                    .bind(o.employed_q4)
                    .bind(r.earnings_q4)
                    .bind(&r.employer_q4)
                    .bind(o.same_employer)
                    .bind(o.hourly_wage)
                    .bind(r.hours)
                    .bind(o.wage_before)
                    .bind(o.benefits)
                    .bind(o.bargaining)
                    .bind(&r.county)
                    .bind(&d.sex)
                    .bind(&d.race_ethnicity)
                    .bind(&d.age_band)
                    .bind(d.veteran)
                    .bind(d.disability)
                    .bind(d.low_income)
                    .bind(d.justice_involved)
                    .bind(d.english_learner)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(u) = upload_id {
                sqlx::query(
                    "DELETE FROM participant_uploads WHERE id = $1 AND partnership_id = $2",
                )
                .bind(u)
                .bind(pid)
                .execute(&mut *tx)
                .await?;
            }
            let detail = serde_json::json!({
                "file_name": file_name, "sha256": sha256, "rows_read": rows_read,
                "created": created, "updated": updated,
            })
            .to_string();
            audit!(
                tx,
                pid,
                by,
                now,
                "participant_import",
                import_id,
                "create",
                &detail
            );
            tx.commit().await?;
            ParticipantImportCounts {
                import_id,
                created,
                updated,
            }
        }))
    }

    /// Every participant record of the partnership, by program then pseudonym.
    pub async fn participants(&self, pid: PartnershipId) -> Result<Vec<ParticipantRecord>> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, Row>(
                "SELECT pkey, program, enrolled_on, exited_on, is_excluded, in_training, completed,
                        credential, credential_on, postsecondary_enrolled, skill_gain,
                        employed_q2, earnings_q2, employer_q2, employed_q4, earnings_q4,
                        employer_q4, same_employer, hourly_wage, hours, wage_before, benefits,
                        bargaining, county, sex, race_ethnicity, age_band, veteran, disability,
                        low_income, justice_involved, english_learner
                 FROM participants WHERE partnership_id = $1 ORDER BY program, pkey",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ParticipantRecord::try_from).collect()
    }

    /// The partnership's imports, newest first.
    pub async fn participant_imports(&self, pid: PartnershipId) -> Result<Vec<ParticipantImport>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, ParticipantImport>(
                "SELECT id, file_name, sha256, rows_read, created, updated, imported_at
                 FROM participant_imports WHERE partnership_id = $1 ORDER BY id DESC",
            )
            .bind(pid)
            .fetch_all(pool)
            .await?
        }))
    }
}
