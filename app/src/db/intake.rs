//! Counter intake: a walk-in dossier registered by a clerk, with its paper documents and their
//! scans. The scans of a form refused for another reason wait in a draft (the same rows and
//! clean-up as an online application's files) until the form is sent again.

use sqlx::Row;

use super::filing::{
    NewDossier, file_from_row, insert_dossier, insert_dossier_file, insert_first_event,
};
use super::{Database, DbError};
use crate::domain::dossier::AgencyCode;
use crate::domain::filing::{Applicant, StoredFile};
use crate::domain::intake::{FINDER_RESULTS, FoundProcedure, PaperReceived};
use crate::domain::lifecycle::Status;
use crate::domain::procedure::{CatalogueFilter, ChannelKind, Procedure};
use crate::domain::working_time::Moment;
use crate::i18n::Lang;

/// A walk-in dossier registered by a clerk.
pub struct CounterIntake<'a> {
    pub agency: &'a AgencyCode,
    pub procedure_code: &'a str,
    pub applicant: &'a Applicant,
    pub papers: &'a [PaperReceived],
    /// The scans of the papers: sent with this form, and already placed under their stored names.
    pub scans: &'a [StoredFile],
    /// The draft holding scans kept from a refused form (`counter_scans`), and their uploader.
    pub kept_scans: Option<KeptScans<'a>>,
    pub lookup_key: &'a str,
    pub appointment: Option<Moment>,
    /// `can-bo:{username}` of the clerk.
    pub actor: &'a str,
    pub note: &'a str,
    pub now: i64,
}

/// Where the scans of a refused counter form wait: a draft, and the clerk's upload bucket.
#[derive(Clone, Copy)]
pub struct KeptScans<'a> {
    pub token: &'a str,
    pub uploader: &'a str,
}

/// What registering a walk-in dossier gave.
#[derive(Debug, PartialEq, Eq)]
pub enum CounterOutcome {
    /// The dossier's code, and the stored names of kept scans that belong to no paper received
    /// (another case's), for the caller to delete from disk.
    Registered {
        code: String,
        orphan_files: Vec<String>,
    },
    /// No such procedure or case, or the kept scans were taken by a form sent twice.
    Gone,
    /// The day's dossier numbers are all given out.
    Busy,
}

/// The stored name of the uploader of counter scans: a clerk, never a citizen's address bucket,
/// so a clerk's scans never count against a citizen's quota.
pub fn scan_uploader(username: &str) -> String {
    format!("can-bo:{username}")
}

impl Database {
    /// The first procedures the catalogue's search ranks for what a clerk typed; none for
    /// nothing typed.
    pub async fn find_procedures(&self, typed: &str) -> Result<Vec<FoundProcedure>, DbError> {
        let filter = CatalogueFilter::new(typed, "", "", "1");
        if filter.query.trim().is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .search_catalogue(&filter)
            .await?
            .items
            .into_iter()
            .take(FINDER_RESULTS)
            .map(|item| FoundProcedure {
                code: item.code,
                name: item.name,
            })
            .collect())
    }

    /// The scans kept for a refused counter form, when `kept.token` is an open draft of
    /// `kept.uploader`'s.
    pub async fn counter_scans(
        &self,
        kept: KeptScans<'_>,
        now: i64,
    ) -> Result<Vec<StoredFile>, DbError> {
        sqlx::query(
            "SELECT f.stored_name, f.case_index, f.document_index, f.content_type, f.size_bytes, \
             f.original_name, f.thumbnail, f.certified_copy FROM draft_files f JOIN drafts d ON d.token = f.draft_token \
             WHERE f.draft_token = $1 AND f.uploader = $2 AND d.expires_at > $3 \
             AND d.dossier_code IS NULL ORDER BY f.uploaded_at, f.stored_name",
        )
        .bind(kept.token)
        .bind(kept.uploader)
        .bind(now)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(file_from_row)
        .collect()
    }

    /// Registers a dossier brought to the counter: accepted there and then (status 2, the clock
    /// starts), with the paper documents received, each scanned when a scan of it is attached.
    pub async fn register_at_counter(
        &self,
        intake: &CounterIntake<'_>,
    ) -> Result<CounterOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        // Write first (see db::filing): the sequence upsert in `insert_dossier` is the first
        // write, so read the procedure after taking a harmless write lock on its row.
        let found = sqlx::query("UPDATE procedures SET version = version WHERE code = $1")
            .bind(intake.procedure_code)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if found != 1 {
            return Ok(CounterOutcome::Gone);
        }
        let row = sqlx::query("SELECT version, content_json FROM procedures WHERE code = $1")
            .bind(intake.procedure_code)
            .fetch_one(&mut *tx)
            .await?;
        let procedure: Procedure = serde_json::from_str(&row.try_get::<String, _>("content_json")?)
            .map_err(|e| DbError::Corrupt(format!("procedure: {e}")))?;
        let case_index = intake.applicant.case_index;
        let Some(case) = procedure.cases.get(case_index) else {
            return Ok(CounterOutcome::Gone);
        };
        let mut scans: Vec<StoredFile> = intake.scans.to_vec();
        if let Some(kept) = intake.kept_scans {
            scans.extend(
                sqlx::query(
                    "DELETE FROM draft_files WHERE draft_token = $1 AND uploader = $2 \
                     RETURNING stored_name, case_index, document_index, content_type, \
                     size_bytes, original_name, thumbnail, certified_copy",
                )
                .bind(kept.token)
                .bind(kept.uploader)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(file_from_row)
                .collect::<Result<Vec<_>, _>>()?,
            );
            let closed = sqlx::query("DELETE FROM drafts WHERE token = $1")
                .bind(kept.token)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if closed != 1 {
                return Ok(CounterOutcome::Gone);
            }
        }
        let received = |index: usize| intake.papers.iter().any(|p| p.index == index);
        let (scans, orphans): (Vec<StoredFile>, Vec<StoredFile>) = scans
            .into_iter()
            .partition(|scan| scan.case_index == case_index && received(scan.document_index));
        let new = NewDossier {
            agency: intake.agency,
            now: intake.now,
            procedure: &procedure,
            procedure_version: row.try_get("version")?,
            applicant: intake.applicant,
            channel: ChannelKind::Counter,
            status: Status::Accepted,
            lookup_key: intake.lookup_key,
            appointment: intake.appointment,
            digitised: intake.papers.iter().all(|paper| paper.scanned),
            declaration: None,
            // The counter works in Vietnamese; a citizen may change it on the status page.
            language: Lang::Vi,
        };
        let Some(code) = insert_dossier(&mut tx, &new).await? else {
            return Ok(CounterOutcome::Busy);
        };
        for paper in intake.papers {
            let Some(document) = case.documents.get(paper.index) else {
                return Ok(CounterOutcome::Gone);
            };
            sqlx::query(
                "INSERT INTO dossier_paper_documents (dossier_code, document_index, \
                 document_name, scanned) VALUES ($1, $2, $3, $4)",
            )
            .bind(&code)
            .bind(paper.index as i64)
            .bind(&document.name)
            .bind(i64::from(paper.scanned))
            .execute(&mut *tx)
            .await?;
        }
        for scan in &scans {
            let Some(document) = case.documents.get(scan.document_index) else {
                return Ok(CounterOutcome::Gone);
            };
            insert_dossier_file(&mut tx, &code, scan, &document.name, intake.now).await?;
        }
        insert_first_event(
            &mut tx,
            &code,
            Status::Accepted,
            intake.actor,
            intake.note,
            intake.now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_written();
        Ok(CounterOutcome::Registered {
            code,
            orphan_files: orphans.into_iter().map(|f| f.stored_name).collect(),
        })
    }
}
