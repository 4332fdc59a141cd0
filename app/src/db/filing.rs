//! Online filing: drafts and their files, submission into a dossier with its code, receipts,
//! and the holiday calendar the appointment date is computed with.
//!
//! Every transaction that writes starts with a write. On SQLite a transaction that reads first
//! and writes later cannot wait for a writer of another process (it fails with "database is
//! locked"); one that writes first simply queues behind the busy timeout. Within this server,
//! writers queue for the one writer connection (`Database::connect`).

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::Row;
use subtle::ConstantTimeEq;

use super::{Database, DbError, cache_lock, corrupt, sha256_hex};
use crate::domain::back_office::CITIZEN_ACTOR;
use crate::domain::calendar::Date;
use crate::domain::certification::RegisterEntry;
use crate::domain::declaration::Declaration;
use crate::domain::dossier::{AgencyCode, DossierCode};
use crate::domain::filing::{Applicant, DraftQuota, Receipt, StoredFile, UploadLimits};
use crate::domain::lifecycle::Status;
use crate::domain::notifications::Notice;
use crate::domain::procedure::{ChannelKind, Procedure};
use crate::domain::tracking::{Event, Rating};
use crate::domain::working_time::Moment;
use crate::i18n::Lang;

/// A dossier as its citizen sees it once code and key matched (`Database::opened_dossier`).
#[derive(Debug)]
pub struct OpenedDossier {
    pub receipt: Receipt,
    /// Its status changes, oldest first.
    pub events: Vec<Event>,
    pub rating: Option<Rating>,
    /// The copy certified in it, if it is a certification dossier that has one.
    pub certified_copy: Option<RegisterEntry>,
    /// Whether a browser subscribed to its news by web push.
    pub push_subscribed: bool,
}

/// Names asked about in one query by `recorded_among` (SQLite looks bound parameters up by
/// name: small statements are faster there).
const RECORDED_PER_QUERY: usize = 100;

/// A draft as stored, with its files.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRecord {
    pub token: String,
    pub procedure: Procedure,
    pub procedure_version: i64,
    pub applicant: Option<Applicant>,
    /// The e-form as last saved; it may be of another case's form if the case changed since.
    pub declaration: Option<Declaration>,
    pub files: Vec<StoredFile>,
    pub expires_at: i64,
    /// Set once submitted: the dossier code and the lookup key of its receipt.
    pub submitted: Option<(String, String)>,
    /// The agency code of the center it is filed with.
    pub center: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DraftLookup {
    Found(Box<DraftRecord>),
    Expired,
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddFiles {
    Added,
    /// The draft expired, was submitted or never existed.
    DraftClosed,
    /// The files would take the dossier over its size limit.
    OverDossierLimit,
    /// The files would be more than a document or the dossier may have.
    TooManyFiles,
    /// Unfinished applications uploaded from this client's address hold their whole quota.
    OverAddressQuota,
    /// Unfinished applications from everyone hold the whole room kept for them.
    OverTotalQuota,
}

/// Who uploads, and the limits that apply.
#[derive(Debug, Clone, Copy)]
pub struct UploadRoom<'a> {
    /// The uploader's rate-limit bucket (`client::bucket`), never the address itself.
    pub uploader: &'a str,
    pub limits: UploadLimits,
    pub quota: DraftQuota,
}

/// What becomes of a draft on submit, computed by the caller from the draft and the calendar.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub token: &'a str,
    pub now: i64,
    pub lookup_key: &'a str,
    pub appointment: Option<Moment>,
    /// Kept after submission so a repeated submit finds the same receipt.
    pub receipt_kept_until: i64,
    /// The citizen's language: the messages they asked for are written in it.
    pub language: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted {
        code: String,
        orphan_files: Vec<String>,
    },
    /// Submitted before (double tap): the same code and key.
    AlreadySubmitted {
        code: String,
        lookup_key: String,
    },
    DraftClosed,
    /// All 9,999 codes of the day are taken.
    SequenceExhausted,
}

/// The lookup key is stored only as its SHA-256, so a copy of the database does not open
/// anyone's dossier.
pub fn lookup_key_hash(key: &str) -> String {
    sha256_hex(key)
}

/// Whether `lookup_key` is the key whose hash is stored, compared in constant time.
pub fn key_matches(stored_hash: &str, lookup_key: &str) -> bool {
    bool::from(
        stored_hash
            .as_bytes()
            .ct_eq(lookup_key_hash(lookup_key).as_bytes()),
    )
}

/// The procedure versions this server has read, at most `VersionCache::CAPACITY` of them.
#[derive(Debug, Default)]
pub(crate) struct VersionCache(std::sync::Mutex<HashMap<(String, i64), Arc<Procedure>>>);

impl VersionCache {
    /// A commune's catalogue with a few versions each fits; a province's whole list is read
    /// again after a reset, which costs one query per version.
    const CAPACITY: usize = 2048;

    fn get(&self, key: &(String, i64)) -> Option<Arc<Procedure>> {
        cache_lock(&self.0).get(key).cloned()
    }

    fn put(&self, key: (String, i64), procedure: Arc<Procedure>) {
        let mut versions = cache_lock(&self.0);
        if versions.len() >= Self::CAPACITY {
            versions.clear();
        }
        versions.insert(key, procedure);
    }
}

/// A dossier about to be written: online (channel 2, status 1) or at the counter (channel 1,
/// accepted there and then).
pub(crate) struct NewDossier<'a> {
    pub agency: &'a AgencyCode,
    pub now: i64,
    pub procedure: &'a Procedure,
    pub procedure_version: i64,
    pub applicant: &'a Applicant,
    pub channel: ChannelKind,
    pub status: Status,
    pub lookup_key: &'a str,
    pub appointment: Option<Moment>,
    pub digitised: bool,
    pub declaration: Option<&'a Declaration>,
    pub language: Lang,
}

/// Takes the day's next number and writes the dossier; its code, or `None` when the day's
/// 9,999 numbers are all taken.
pub(crate) async fn insert_dossier(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    new: &NewDossier<'_>,
) -> Result<Option<String>, DbError> {
    let case = new
        .procedure
        .cases
        .get(new.applicant.case_index)
        .ok_or_else(|| corrupt("dossier case", new.applicant.case_index))?;
    let day = Date::in_vietnam(new.now);
    let sequence: i64 = sqlx::query(
        "INSERT INTO dossier_sequences (agency, day, last_sequence) VALUES ($1, $2, 1) \
         ON CONFLICT (agency, day) DO UPDATE \
         SET last_sequence = dossier_sequences.last_sequence + 1 RETURNING last_sequence",
    )
    .bind(new.agency.as_str())
    .bind(day.iso())
    .fetch_one(&mut **tx)
    .await?
    .try_get("last_sequence")?;
    let Some(code) = u32::try_from(sequence)
        .ok()
        .and_then(|sequence| DossierCode::new(new.agency.clone(), day, sequence))
    else {
        return Ok(None);
    };
    let code = code.to_string();
    let applicant = new.applicant;
    let proxy = applicant.proxy.clone().unwrap_or_default();
    let appointment = new.appointment.map(|at| at.date.iso());
    let appointment_time = new.appointment.map(Moment::clock_time);
    sqlx::query(
        "INSERT INTO dossiers (code, agency, day, sequence, procedure_code, procedure_version, \
         procedure_name, case_index, case_name, channel, status, applicant_name, \
         applicant_name_folded, applicant_phone, applicant_citizen_id, applicant_address, \
         applicant_email, proxy_name, proxy_citizen_id, proxy_relationship, lookup_key_hash, \
         received_at, appointment_date, due_date, digitised, appointment_time, result_delivery, \
         declaration_json, accepted_at, notify_channel, language) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22, $23, $23, $24, $25, $26, $27, $28, $29, $30)",
    )
    .bind(&code)
    .bind(new.agency.as_str())
    .bind(day.iso())
    .bind(sequence)
    .bind(&new.procedure.code)
    .bind(new.procedure_version)
    .bind(&new.procedure.name)
    .bind(applicant.case_index as i64)
    .bind(&case.name)
    .bind(new.channel.code())
    .bind(new.status.code())
    .bind(&applicant.full_name)
    .bind(crate::domain::search::fold(&applicant.full_name))
    .bind(&applicant.phone)
    .bind(&applicant.citizen_id)
    .bind(&applicant.address)
    .bind(&applicant.email)
    .bind(&proxy.full_name)
    .bind(&proxy.citizen_id)
    .bind(&proxy.relationship)
    .bind(lookup_key_hash(new.lookup_key))
    .bind(new.now)
    .bind(appointment)
    .bind(i64::from(new.digitised))
    .bind(appointment_time)
    .bind(applicant.result_delivery.key())
    .bind(new.declaration.map(declaration_json).transpose()?)
    .bind((new.status == Status::Accepted).then_some(new.now))
    .bind(applicant.notify.key())
    .bind(new.language.code())
    .execute(&mut **tx)
    .await?;
    Ok(Some(code))
}

/// A file of a new dossier, under the name of the document it stands for.
pub(crate) async fn insert_dossier_file(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    file: &StoredFile,
    document_name: &str,
    now: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO dossier_files (stored_name, dossier_code, document_index, document_name, \
         content_type, size_bytes, original_name, uploaded_at, certified_copy) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&file.stored_name)
    .bind(code)
    .bind(file.document_index as i64)
    .bind(document_name)
    .bind(&file.content_type)
    .bind(file.size_bytes as i64)
    .bind(&file.original_name)
    .bind(now)
    .bind(&file.certified_copy)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The event that opens a dossier's history, and the message telling the citizen of it.
pub(crate) async fn insert_first_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    status: Status,
    actor: &str,
    public_note: &str,
    now: i64,
) -> Result<(), DbError> {
    let event_id: i64 = sqlx::query(
        "INSERT INTO dossier_events (dossier_code, at, from_status, to_status, actor, public_note) \
         VALUES ($1, $2, NULL, $3, $4, $5) RETURNING id",
    )
    .bind(code)
    .bind(now)
    .bind(status.code())
    .bind(actor)
    .bind(public_note)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    super::notifications::enqueue(
        tx,
        code,
        Some(event_id),
        |appointment| Notice::of_change(status, None, public_note, appointment),
        now,
    )
    .await
}

fn declaration_json(declaration: &Declaration) -> Result<String, DbError> {
    serde_json::to_string(declaration).map_err(|e| corrupt("declaration", e))
}

/// The declaration kept in a row's `declaration_json`.
pub(crate) fn declaration_column(row: &sqlx::any::AnyRow) -> Result<Option<Declaration>, DbError> {
    row.try_get::<Option<String>, _>("declaration_json")?
        .map(|json| serde_json::from_str(&json).map_err(|e| corrupt("declaration", e)))
        .transpose()
}

pub(crate) fn file_from_row(row: &sqlx::any::AnyRow) -> Result<StoredFile, DbError> {
    Ok(StoredFile {
        stored_name: row.try_get("stored_name")?,
        case_index: row.try_get::<i64, _>("case_index")? as usize,
        document_index: row.try_get::<i64, _>("document_index")? as usize,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get::<i64, _>("size_bytes")? as u64,
        original_name: row.try_get("original_name")?,
        thumbnail: row.try_get("thumbnail")?,
        certified_copy: row.try_get("certified_copy")?,
    })
}

impl Database {
    /// Starts a draft for the current version of a procedure, to be filed with the center
    /// `center` (its agency code); `false` when there is no such procedure.
    pub async fn create_draft(
        &self,
        token: &str,
        procedure_code: &str,
        center: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO drafts (token, procedure_code, procedure_version, applicant_json, \
             dossier_code, lookup_key, created_at, updated_at, expires_at, center) \
             SELECT $1, code, version, NULL, NULL, NULL, $2, $2, $3, $5 FROM procedures \
             WHERE code = $4 AND in_force = 1",
        )
        .bind(token)
        .bind(now)
        .bind(expires_at)
        .bind(procedure_code)
        .bind(center)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// The draft with the procedure version it was started under.
    pub async fn draft(&self, token: &str, now: i64) -> Result<DraftLookup, DbError> {
        let Some(row) = sqlx::query(
            "SELECT d.procedure_code, d.procedure_version, d.applicant_json, d.declaration_json, \
             d.dossier_code, d.lookup_key, d.expires_at, v.content_json, \
             COALESCE(d.center, (SELECT agency FROM centers WHERE is_default = 1)) AS center \
             FROM drafts d JOIN procedure_versions v \
             ON v.code = d.procedure_code AND v.version = d.procedure_version \
             WHERE d.token = $1",
        )
        .bind(token)
        .fetch_optional(self.reader())
        .await?
        else {
            return Ok(DraftLookup::Missing);
        };
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at <= now {
            return Ok(DraftLookup::Expired);
        }
        let procedure: Procedure = serde_json::from_str(&row.try_get::<String, _>("content_json")?)
            .map_err(|e| corrupt("draft procedure", e))?;
        let applicant = row
            .try_get::<Option<String>, _>("applicant_json")?
            .map(|json| serde_json::from_str(&json).map_err(|e| corrupt("draft applicant", e)))
            .transpose()?;
        let submitted = match (
            row.try_get::<Option<String>, _>("dossier_code")?,
            row.try_get::<Option<String>, _>("lookup_key")?,
        ) {
            (Some(code), Some(key)) => Some((code, key)),
            _ => None,
        };
        let files = sqlx::query(
            "SELECT stored_name, case_index, document_index, content_type, size_bytes, \
             original_name, thumbnail, certified_copy FROM draft_files WHERE draft_token = $1 \
             ORDER BY uploaded_at, stored_name",
        )
        .bind(token)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(file_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(DraftLookup::Found(Box::new(DraftRecord {
            token: token.to_owned(),
            procedure,
            procedure_version: row.try_get("procedure_version")?,
            applicant,
            declaration: declaration_column(&row)?,
            files,
            expires_at,
            submitted,
            center: row.try_get("center")?,
        })))
    }

    /// Saves the applicant step and pushes the expiry back; `false` when the draft is closed.
    pub async fn save_applicant(
        &self,
        token: &str,
        applicant: &Applicant,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, DbError> {
        let json = serde_json::to_string(applicant).map_err(|e| corrupt("applicant", e))?;
        self.save_step(
            "UPDATE drafts SET applicant_json = $1, updated_at = $2, expires_at = $3 \
             WHERE token = $4 AND expires_at > $2 AND dossier_code IS NULL",
            json,
            token,
            (now, expires_at),
        )
        .await
    }

    /// Saves the declaration step and pushes the expiry back; `false` when the draft is closed.
    pub async fn save_declaration(
        &self,
        token: &str,
        declaration: &Declaration,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, DbError> {
        self.save_step(
            "UPDATE drafts SET declaration_json = $1, updated_at = $2, expires_at = $3 \
             WHERE token = $4 AND expires_at > $2 AND dossier_code IS NULL",
            declaration_json(declaration)?,
            token,
            (now, expires_at),
        )
        .await
    }

    /// Runs one step's `update` (JSON, now, expiry, token) on an open draft.
    async fn save_step(
        &self,
        update: &'static str,
        json: String,
        token: &str,
        (now, expires_at): (i64, i64),
    ) -> Result<bool, DbError> {
        let updated = sqlx::query(update)
            .bind(json)
            .bind(now)
            .bind(expires_at)
            .bind(token)
            .execute(self.writer())
            .await?
            .rows_affected();
        Ok(updated == 1)
    }

    /// Links files already written to disk to the draft, all or none. The dossier limit counts
    /// the files of the same case, which are the ones that will be submitted.
    pub async fn add_draft_files(
        &self,
        token: &str,
        files: &[StoredFile],
        room: UploadRoom<'_>,
        now: i64,
        expires_at: i64,
    ) -> Result<AddFiles, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let open = sqlx::query(
            "UPDATE drafts SET updated_at = $1, expires_at = $2 \
             WHERE token = $3 AND expires_at > $1 AND dossier_code IS NULL",
        )
        .bind(now)
        .bind(expires_at)
        .bind(token)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if open != 1 {
            return Ok(AddFiles::DraftClosed);
        }
        // Two uploads from one address at once wait here for each other (PostgreSQL locks the
        // row; SQLite has one writer anyway), so they cannot both take the last of its quota.
        sqlx::query(
            "INSERT INTO upload_quota_locks (bucket) VALUES ($1) \
             ON CONFLICT (bucket) DO UPDATE SET bucket = excluded.bucket",
        )
        .bind(room.uploader)
        .execute(&mut *tx)
        .await?;
        let limits = room.limits;
        let mut cases: Vec<usize> = files.iter().map(|f| f.case_index).collect();
        cases.sort_unstable();
        cases.dedup();
        for case_index in cases {
            let stored = sqlx::query(
                "SELECT document_index, COUNT(*) AS files, \
                 CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes FROM draft_files \
                 WHERE draft_token = $1 AND case_index = $2 GROUP BY document_index",
            )
            .bind(token)
            .bind(case_index as i64)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("document_index")?,
                    row.try_get("files")?,
                    row.try_get("bytes")?,
                ))
            })
            .collect::<Result<Vec<(i64, i64, i64)>, DbError>>()?;
            let adding: Vec<&StoredFile> = files
                .iter()
                .filter(|f| f.case_index == case_index)
                .collect();
            let bytes = stored.iter().map(|s| s.2 as u64).sum::<u64>()
                + adding.iter().map(|f| f.size_bytes).sum::<u64>();
            if bytes > limits.per_dossier {
                return Ok(AddFiles::OverDossierLimit);
            }
            let count = stored.iter().map(|s| s.1 as u64).sum::<u64>() + adding.len() as u64;
            let over_a_document = adding.iter().any(|file| {
                let document = file.document_index as i64;
                let before = stored.iter().find(|s| s.0 == document).map_or(0, |s| s.1);
                let now_adding = adding
                    .iter()
                    .filter(|f| f.document_index == file.document_index);
                before as u64 + now_adding.count() as u64 > u64::from(limits.files_per_document)
            });
            if count > u64::from(limits.files_per_dossier) || over_a_document {
                return Ok(AddFiles::TooManyFiles);
            }
        }
        let adding: u64 = files.iter().map(|f| f.size_bytes).sum();
        let held = |uploader: Option<&str>| {
            sqlx::query(
                "SELECT CAST(COALESCE(SUM(f.size_bytes), 0) AS BIGINT) AS bytes \
                 FROM draft_files f JOIN drafts d ON d.token = f.draft_token \
                 WHERE ($1 = '' OR f.uploader = $1) AND d.dossier_code IS NULL \
                 AND d.expires_at > $2",
            )
            .bind(uploader.unwrap_or_default().to_owned())
            .bind(now)
        };
        let by_uploader: i64 = held(Some(room.uploader))
            .fetch_one(&mut *tx)
            .await?
            .try_get("bytes")?;
        if by_uploader as u64 + adding > room.quota.per_address {
            return Ok(AddFiles::OverAddressQuota);
        }
        // The whole is a safety net for the disk, read without a lock: uploads at the same
        // moment from different addresses may pass it by a few files.
        let by_everyone: i64 = held(None).fetch_one(&mut *tx).await?.try_get("bytes")?;
        if by_everyone as u64 + adding > room.quota.total {
            return Ok(AddFiles::OverTotalQuota);
        }
        for file in files {
            sqlx::query(
                "INSERT INTO draft_files (stored_name, draft_token, case_index, document_index, \
                 content_type, size_bytes, original_name, uploaded_at, uploader, thumbnail, \
                 certified_copy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&file.stored_name)
            .bind(token)
            .bind(file.case_index as i64)
            .bind(file.document_index as i64)
            .bind(&file.content_type)
            .bind(file.size_bytes as i64)
            .bind(&file.original_name)
            .bind(now)
            .bind(room.uploader)
            .bind(&file.thumbnail)
            .bind(&file.certified_copy)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(AddFiles::Added)
    }

    /// Unlinks one file from an open draft; `true` when it was there (then the caller deletes it
    /// from disk).
    pub async fn remove_draft_file(
        &self,
        token: &str,
        stored_name: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let removed = sqlx::query(
            "DELETE FROM draft_files WHERE stored_name = $1 AND draft_token IN \
             (SELECT token FROM drafts WHERE token = $2 AND expires_at > $3 AND dossier_code IS NULL)",
        )
        .bind(stored_name)
        .bind(token)
        .bind(now)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(removed == 1)
    }

    /// Turns a draft into a dossier in status 1 (Mới đăng ký), channel 2 (online), with the next
    /// code of the day. The files of the chosen case move to the dossier; files left from
    /// another case are returned for the caller to delete from disk.
    pub async fn submit_draft(&self, submission: Submission<'_>) -> Result<SubmitOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let claimed = sqlx::query(
            "UPDATE drafts SET updated_at = $1 \
             WHERE token = $2 AND expires_at > $1 AND dossier_code IS NULL AND applicant_json IS NOT NULL",
        )
        .bind(submission.now)
        .bind(submission.token)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            drop(tx);
            drop(writer);
            return self
                .previous_submission(submission.token, submission.now)
                .await;
        }
        // Drafts from before many centers name none: the default center receives them.
        let row = sqlx::query(
            "SELECT d.procedure_code, d.procedure_version, d.applicant_json, d.declaration_json, \
             v.content_json, COALESCE(d.center, \
             (SELECT agency FROM centers WHERE is_default = 1)) AS center \
             FROM drafts d JOIN procedure_versions v \
             ON v.code = d.procedure_code AND v.version = d.procedure_version WHERE d.token = $1",
        )
        .bind(submission.token)
        .fetch_one(&mut *tx)
        .await?;
        let procedure: Procedure = serde_json::from_str(&row.try_get::<String, _>("content_json")?)
            .map_err(|e| corrupt("draft procedure", e))?;
        let applicant: Applicant =
            serde_json::from_str(&row.try_get::<String, _>("applicant_json")?)
                .map_err(|e| corrupt("draft applicant", e))?;
        let case = procedure
            .cases
            .get(applicant.case_index)
            .ok_or_else(|| corrupt("draft case", applicant.case_index))?;
        // A declaration of another case's form (the case changed after it) is not kept.
        let declaration = declaration_column(&row)?.filter(|declared| declared.fits(case));

        let center: String = row.try_get("center")?;
        let agency = AgencyCode::parse(&center).map_err(|_| corrupt("draft center", &center))?;
        let new = NewDossier {
            agency: &agency,
            now: submission.now,
            procedure: &procedure,
            procedure_version: row.try_get::<i64, _>("procedure_version")?,
            applicant: &applicant,
            channel: ChannelKind::Online,
            status: Status::Submitted,
            lookup_key: submission.lookup_key,
            appointment: submission.appointment,
            digitised: true,
            declaration: declaration.as_ref(),
            language: submission.language,
        };
        let Some(code) = insert_dossier(&mut tx, &new).await? else {
            return Ok(SubmitOutcome::SequenceExhausted);
        };
        let files = sqlx::query(
            "DELETE FROM draft_files WHERE draft_token = $1 RETURNING stored_name, case_index, \
             document_index, content_type, size_bytes, original_name, thumbnail, certified_copy",
        )
        .bind(submission.token)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(file_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        let mut orphan_files = Vec::new();
        for file in files {
            let document = case.documents.get(file.document_index);
            let Some(document) = document.filter(|_| file.case_index == applicant.case_index)
            else {
                orphan_files.push(file.stored_name);
                continue;
            };
            insert_dossier_file(&mut tx, &code, &file, &document.name, submission.now).await?;
        }
        insert_first_event(
            &mut tx,
            &code,
            Status::Submitted,
            CITIZEN_ACTOR,
            "",
            submission.now,
        )
        .await?;
        sqlx::query(
            "UPDATE drafts SET dossier_code = $1, lookup_key = $2, expires_at = $3 WHERE token = $4",
        )
        .bind(&code)
        .bind(submission.lookup_key)
        .bind(submission.receipt_kept_until)
        .bind(submission.token)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.outbox_written();
        Ok(SubmitOutcome::Submitted { code, orphan_files })
    }

    async fn previous_submission(&self, token: &str, now: i64) -> Result<SubmitOutcome, DbError> {
        let row = sqlx::query(
            "SELECT dossier_code, lookup_key FROM drafts WHERE token = $1 AND expires_at > $2",
        )
        .bind(token)
        .bind(now)
        .fetch_optional(self.reader())
        .await?;
        let previous = row
            .map(|row| {
                Ok::<_, DbError>((
                    row.try_get::<Option<String>, _>("dossier_code")?,
                    row.try_get::<Option<String>, _>("lookup_key")?,
                ))
            })
            .transpose()?;
        Ok(match previous {
            Some((Some(code), Some(lookup_key))) => {
                SubmitOutcome::AlreadySubmitted { code, lookup_key }
            }
            _ => SubmitOutcome::DraftClosed,
        })
    }

    /// A procedure as it was at `version` (what a dossier was filed under). Versions never
    /// change once written, so this server keeps the ones it read: every status lookup needs
    /// one, and reading it was a statement and a parse of the whole procedure each time.
    async fn procedure_version(
        &self,
        code: &str,
        version: i64,
    ) -> Result<Option<Arc<Procedure>>, DbError> {
        let key = (code.to_owned(), version);
        if let Some(procedure) = self.versions.get(&key) {
            return Ok(Some(procedure));
        }
        let json: Option<String> = sqlx::query(
            "SELECT content_json FROM procedure_versions WHERE code = $1 AND version = $2",
        )
        .bind(code)
        .bind(version)
        .fetch_optional(self.reader())
        .await?
        .map(|r| r.try_get("content_json"))
        .transpose()?;
        // A version that no longer reads (stored by an older program) leaves the page without
        // the documents' names, not without the dossier.
        let procedure = json
            .and_then(|json| {
                serde_json::from_str::<Procedure>(&json)
                    .inspect_err(|e| tracing::warn!(code, version, "procedure version: {e}"))
                    .ok()
            })
            .map(Arc::new);
        if let Some(procedure) = &procedure {
            self.versions.put(key, Arc::clone(procedure));
        }
        Ok(procedure)
    }

    /// The dossier `code` as its citizen sees it on the receipt and status pages, when
    /// `lookup_key` is its key. A wrong code and a wrong key give the same `None`, and the key
    /// is compared in constant time.
    ///
    /// Two statements: the dossier's row (with its receiving officer, its rating and whether it
    /// holds a certified copy or a push subscription), then its documents and events together;
    /// a third, for the few dossiers that hold a certified copy, reads the copy.
    /// On SQLite every statement is a round trip to the connection's thread, the status page's
    /// largest cost under load (docs/performance.md).
    pub async fn opened_dossier(
        &self,
        code: &str,
        lookup_key: &str,
    ) -> Result<Option<OpenedDossier>, DbError> {
        // The member who moved it to "accepted" (at the counter: the clerk who took it).
        let Some(row) = sqlx::query(
            "SELECT d.code, d.procedure_code, d.procedure_name, d.case_name, d.channel, d.status, \
             d.applicant_name, d.applicant_phone, d.applicant_address, d.applicant_email, \
             d.proxy_name, d.received_at, d.appointment_date, d.appointment_time, \
             d.lookup_key_hash, d.procedure_version, d.case_index, d.result_delivery, \
             d.declaration_json, d.notify_channel, \
             (SELECT u.display_name FROM dossier_events e \
              JOIN staff_users u ON e.actor = 'can-bo:' || u.username \
              WHERE e.dossier_code = d.code AND e.to_status = $2 \
              ORDER BY e.id LIMIT 1) AS receiving_officer, \
             r.overall, r.counter_visits, r.agencies_contacted, r.staff_attitude, \
             r.online_ease, r.reason, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM certified_copies c \
              WHERE c.dossier_code = d.code) THEN 1 ELSE 0 END AS BIGINT) AS has_certified_copy, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM push_subscriptions p \
              WHERE p.dossier_code = d.code) THEN 1 ELSE 0 END AS BIGINT) AS push_subscribed \
             FROM dossiers d LEFT JOIN ratings r ON r.dossier_code = d.code WHERE d.code = $1",
        )
        .bind(code)
        .bind(Status::Accepted.code())
        .fetch_optional(self.reader())
        .await?
        else {
            return Ok(None);
        };
        if !key_matches(&row.try_get::<String, _>("lookup_key_hash")?, lookup_key) {
            return Ok(None);
        }
        let DossierRows {
            file_counts,
            paper_documents,
            events,
        } = dossier_rows(self.reader(), code).await?;
        let procedure = self
            .procedure_version(
                &row.try_get::<String, _>("procedure_code")?,
                row.try_get::<i64, _>("procedure_version")?,
            )
            .await?;
        let case_index = row.try_get::<i64, _>("case_index")? as usize;
        let channel = super::channel_column(&row, "channel")?;
        let processing_time = procedure.as_ref().and_then(|procedure| {
            procedure
                .channels
                .iter()
                .find(|c| c.kind == channel)
                .or(procedure.channels.first())
                .map(|c| c.time.clone())
        });
        let receiving_officer: Option<String> = row.try_get("receiving_officer")?;
        // A paper received at the counter is listed once, as paper (scanned or not), not again
        // as the file of its scan.
        let on_paper = |index: usize| paper_documents.iter().any(|(i, _, _)| *i == index);
        let documents = procedure
            .as_deref()
            .and_then(|procedure| procedure.cases.get(case_index))
            .map(|case| {
                case.documents
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| !on_paper(*index))
                    .filter_map(|(index, document)| {
                        let files = file_counts
                            .iter()
                            .find(|(i, _)| *i == index)
                            .map_or(0, |(_, n)| *n);
                        (files > 0).then_some((document.name.clone(), files))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let paper_documents = paper_documents
            .into_iter()
            .map(|(_, name, scanned)| (name, scanned))
            .collect();
        let receipt = Receipt {
            code: row.try_get("code")?,
            procedure_code: row.try_get("procedure_code")?,
            procedure_name: row.try_get("procedure_name")?,
            case_name: row.try_get("case_name")?,
            channel,
            status: super::status_column(&row, "status")?,
            applicant_name: row.try_get("applicant_name")?,
            applicant_phone: row.try_get("applicant_phone")?,
            applicant_address: row.try_get("applicant_address")?,
            proxy_name: row.try_get("proxy_name")?,
            received_at: row.try_get("received_at")?,
            appointment_date: row.try_get("appointment_date")?,
            appointment_time: row.try_get("appointment_time")?,
            applicant_email: row.try_get("applicant_email")?,
            result_delivery: super::result_delivery_column(&row)?,
            processing_time,
            receiving_officer,
            documents,
            declaration: declaration_column(&row)?.map(|declaration| declaration.form),
            paper_documents,
            notify: super::notify_channel_column(&row)?,
        };
        Ok(Some(OpenedDossier {
            receipt,
            events,
            rating: super::tracking::rating_from_row(&row)?,
            certified_copy: if row.try_get::<i64, _>("has_certified_copy")? != 0 {
                self.copy_of_dossier(code).await?
            } else {
                None
            },
            push_subscribed: row.try_get::<i64, _>("push_subscribed")? != 0,
        }))
    }

    /// Whether `lookup_key` opens the dossier `code`. A wrong code and a wrong key are alike.
    pub async fn lookup_key_opens(&self, code: &str, lookup_key: &str) -> Result<bool, DbError> {
        let stored: Option<String> =
            sqlx::query("SELECT lookup_key_hash FROM dossiers WHERE code = $1")
                .bind(code)
                .fetch_optional(self.reader())
                .await?
                .map(|row| row.try_get("lookup_key_hash"))
                .transpose()?;
        // Without a dossier the key is still hashed and compared, so both take the same time.
        Ok(key_matches(stored.as_deref().unwrap_or(""), lookup_key) && stored.is_some())
    }

    /// Deletes drafts past their expiry with their file rows, and returns the stored names of
    /// those files for the caller to delete from disk.
    pub async fn purge_expired_drafts(&self, now: i64) -> Result<Vec<String>, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let names = sqlx::query(
            "DELETE FROM draft_files WHERE draft_token IN \
             (SELECT token FROM drafts WHERE expires_at <= $1) RETURNING stored_name",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| row.try_get::<String, _>("stored_name"))
        .collect::<Result<Vec<_>, _>>()?;
        sqlx::query("DELETE FROM drafts WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(names)
    }

    /// Of `names`, those a draft or a dossier row names (to find files left by a crash between
    /// storing a file and recording it), asked a batch at a time.
    pub async fn recorded_among(
        &self,
        names: &[String],
    ) -> Result<std::collections::HashSet<String>, DbError> {
        let mut recorded = std::collections::HashSet::new();
        for batch in names.chunks(RECORDED_PER_QUERY) {
            // The text depends only on the batch's length; the names are all bound.
            let list = super::demo::placeholders(batch.len(), 1);
            let sql = format!(
                "SELECT stored_name FROM draft_files WHERE stored_name IN ({list}) \
                 UNION SELECT stored_name FROM dossier_files WHERE stored_name IN ({list})"
            );
            let mut query = sqlx::query(&sql);
            for name in batch {
                query = query.bind(name);
            }
            for row in query.fetch_all(self.writer()).await? {
                recorded.insert(row.try_get::<String, _>("stored_name")?);
            }
        }
        Ok(recorded)
    }

    /// The codes an agency gave out on a day, in sequence order.
    pub async fn dossier_codes_of_day(
        &self,
        agency: &AgencyCode,
        day: Date,
    ) -> Result<Vec<String>, DbError> {
        sqlx::query("SELECT code FROM dossiers WHERE agency = $1 AND day = $2 ORDER BY sequence")
            .bind(agency.as_str())
            .bind(day.iso())
            .fetch_all(self.writer())
            .await?
            .iter()
            .map(|row| row.try_get("code").map_err(DbError::from))
            .collect()
    }
}

/// What `dossier_rows` reads of a dossier.
struct DossierRows {
    /// (document index, uploaded files), by document index.
    file_counts: Vec<(usize, usize)>,
    /// (document index, name, scanned) of the papers received at the counter.
    paper_documents: Vec<(usize, String, bool)>,
    /// The status changes, oldest first.
    events: Vec<Event>,
}

/// A dossier's uploaded files counted per document, the papers received at the counter and its
/// status changes, read in one statement (`kind` 0, 1 and 2; each kind's columns, the others'
/// zero): the receipt and status pages read all three.
async fn dossier_rows(
    connections: &super::Connections,
    code: &str,
) -> Result<DossierRows, DbError> {
    let rows = sqlx::query(
        "SELECT CAST(0 AS BIGINT) AS kind, document_index, '' AS document_name, \
         CAST(COUNT(*) AS BIGINT) AS files, CAST(0 AS BIGINT) AS scanned, \
         CAST(0 AS BIGINT) AS id, CAST(0 AS BIGINT) AS at, CAST(0 AS BIGINT) AS to_status, \
         '' AS public_note, CAST(NULL AS TEXT) AS details_json \
         FROM dossier_files WHERE dossier_code = $1 GROUP BY document_index \
         UNION ALL SELECT 1, document_index, document_name, 0, scanned, 0, 0, 0, '', NULL \
         FROM dossier_paper_documents WHERE dossier_code = $1 \
         UNION ALL SELECT 2, 0, '', 0, 0, id, at, to_status, public_note, details_json \
         FROM dossier_events WHERE dossier_code = $1 \
         ORDER BY 1, 2, 7, 6",
    )
    .bind(code)
    .fetch_all(connections)
    .await?;
    let mut read = DossierRows {
        file_counts: Vec::new(),
        paper_documents: Vec::new(),
        events: Vec::new(),
    };
    for row in &rows {
        let index = row.try_get::<i64, _>("document_index")? as usize;
        match row.try_get::<i64, _>("kind")? {
            0 => read
                .file_counts
                .push((index, row.try_get::<i64, _>("files")? as usize)),
            1 => read.paper_documents.push((
                index,
                row.try_get::<String, _>("document_name")?,
                row.try_get::<i64, _>("scanned")? != 0,
            )),
            _ => read.events.push(super::tracking::event_from_row(row)?),
        }
    }
    Ok(read)
}
