//! The electronic certification register (`domain::certification`): a walk-in dossier of the
//! procedure "Chứng thực bản sao từ bản chính" with its register entry and page scans, then the
//! signed copy as the dossier's result.

use sqlx::Row;

use super::filing::{NewDossier, insert_dossier, insert_dossier_file, insert_first_event};
use super::tracking::{ChangeOutcome, StatusChange, change_in, lock_dossier};
use super::{Database, DbError};
use crate::domain::calendar::Date;
use crate::domain::center::Reach;
use crate::domain::certification::{
    Annulment, BOOK, NewCertification, PROCEDURE_CODE, RegisterEntry, RegisterNumber, SignedCopy,
};
use crate::domain::dossier::AgencyCode;
use crate::domain::filing::{Applicant, ResultDelivery, StoredFile};
use crate::domain::lifecycle::Status;
use crate::domain::procedure::{ChannelKind, Procedure};
use crate::domain::tracking::EventDetails;
use crate::domain::working_time::Moment;
use crate::i18n::Lang;

/// A certification asked for at the counter, its scans already placed under their names.
pub struct NewCertifiedCopy<'a> {
    pub agency: &'a AgencyCode,
    pub certification: &'a NewCertification,
    pub scans: &'a [StoredFile],
    pub lookup_key: &'a str,
    pub token: &'a str,
    pub officer_name: &'a str,
    /// `can-bo:{username}` of the clerk.
    pub actor: &'a str,
    pub now: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CertifyOutcome {
    Registered {
        code: String,
        number: RegisterNumber,
    },
    /// The catalogue has no procedure 2.000815.
    NoProcedure,
    /// The day's dossier numbers are all given out.
    Busy,
}

/// What the counter needs to sign an entry's copy once it is registered.
pub struct Signing<'a> {
    pub token: &'a str,
    pub copy: &'a SignedCopy,
    /// The copy as the dossier's result, already placed under `copy.stored_name`.
    pub result: &'a StoredFile,
    pub actor: &'a str,
    pub now: i64,
}

const ENTRY_COLUMNS: &str = "token, agency, year, book, serial, certified_at, document_title, \
     pages, paper_copies, fee_dong, applicant_name, applicant_id, officer_name, dossier_code, \
     stored_name, copy_sha256, signed_size, signed_at, annulled_at, annulled_reason";

fn entry(row: &sqlx::any::AnyRow) -> Result<RegisterEntry, DbError> {
    let count = |column: &str| -> Result<u32, DbError> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|_| super::corrupt(column, value))
    };
    let stored_name: Option<String> = row.try_get("stored_name")?;
    let signed = match stored_name {
        Some(stored_name) => Some(SignedCopy {
            stored_name,
            sha256: row
                .try_get::<Option<String>, _>("copy_sha256")?
                .unwrap_or_default(),
            size_bytes: row
                .try_get::<Option<i64>, _>("signed_size")?
                .and_then(|size| u64::try_from(size).ok())
                .unwrap_or_default(),
            signed_at: row
                .try_get::<Option<i64>, _>("signed_at")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    let annulled = match row.try_get::<Option<i64>, _>("annulled_at")? {
        Some(at) => Some(Annulment {
            at,
            reason: row
                .try_get::<Option<String>, _>("annulled_reason")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(RegisterEntry {
        token: row.try_get("token")?,
        agency: row.try_get("agency")?,
        number: RegisterNumber {
            year: i32::try_from(row.try_get::<i64, _>("year")?)
                .map_err(|_| super::corrupt("year", "out of range"))?,
            book: count("book")?,
            serial: count("serial")?,
        },
        certified_at: row.try_get("certified_at")?,
        document: row.try_get("document_title")?,
        pages: count("pages")?,
        paper_copies: count("paper_copies")?,
        fee_dong: row.try_get("fee_dong")?,
        applicant_name: row.try_get("applicant_name")?,
        applicant_id: row.try_get("applicant_id")?,
        officer_name: row.try_get("officer_name")?,
        dossier_code: row.try_get("dossier_code")?,
        signed,
        annulled,
    })
}

impl Database {
    /// Registers a certification: the walk-in dossier (accepted, status 2), the register's next
    /// number for the center and year, the entry and the page scans, in one transaction. The
    /// number is taken by an upsert on the center's counter row, so two clerks certifying at
    /// the same moment wait for each other there and never share a number.
    pub async fn register_certification(
        &self,
        new: &NewCertifiedCopy<'_>,
    ) -> Result<CertifyOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        // Write first (see db::filing): a harmless write lock on the procedure's row.
        let found = sqlx::query("UPDATE procedures SET version = version WHERE code = $1")
            .bind(PROCEDURE_CODE)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if found != 1 {
            return Ok(CertifyOutcome::NoProcedure);
        }
        let row = sqlx::query("SELECT version, content_json FROM procedures WHERE code = $1")
            .bind(PROCEDURE_CODE)
            .fetch_one(&mut *tx)
            .await?;
        let procedure: Procedure = serde_json::from_str(&row.try_get::<String, _>("content_json")?)
            .map_err(|e| DbError::Corrupt(format!("procedure: {e}")))?;
        let certification = new.certification;
        let applicant = Applicant {
            case_index: 0,
            full_name: certification.applicant.clone(),
            phone: String::new(),
            citizen_id: certification.applicant_id.clone(),
            address: String::new(),
            email: String::new(),
            proxy: None,
            for_child: false,
            result_delivery: ResultDelivery::Online,
            notify: Default::default(),
        };
        let dossier = NewDossier {
            agency: new.agency,
            now: new.now,
            procedure: &procedure,
            procedure_version: row.try_get("version")?,
            applicant: &applicant,
            channel: ChannelKind::Counter,
            status: Status::Accepted,
            lookup_key: new.lookup_key,
            // Certified there and then (ND 23/2015 Art. 7: the same day): the result is due now.
            appointment: Some(Moment::from_unix(new.now)),
            digitised: true,
            declaration: None,
            language: Lang::Vi,
        };
        let Some(code) = insert_dossier(&mut tx, &dossier).await? else {
            return Ok(CertifyOutcome::Busy);
        };
        let year = Date::in_vietnam(new.now).year;
        let serial: i64 = sqlx::query(
            "INSERT INTO certification_serials (agency, year, last_serial) VALUES ($1, $2, 1) \
             ON CONFLICT (agency, year) DO UPDATE \
             SET last_serial = certification_serials.last_serial + 1 RETURNING last_serial",
        )
        .bind(new.agency.as_str())
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?
        .try_get("last_serial")?;
        let number = RegisterNumber {
            year,
            book: BOOK,
            serial: u32::try_from(serial).map_err(|_| super::corrupt("serial", serial))?,
        };
        sqlx::query(
            "INSERT INTO certified_copies (token, agency, year, book, serial, certified_at, \
             document_title, pages, paper_copies, fee_dong, applicant_name, applicant_id, \
             officer, officer_name, dossier_code) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(new.token)
        .bind(new.agency.as_str())
        .bind(i64::from(year))
        .bind(i64::from(BOOK))
        .bind(serial)
        .bind(new.now)
        .bind(&certification.document)
        .bind(i64::from(certification.pages))
        .bind(i64::from(certification.paper_copies))
        .bind(certification.fee_dong())
        .bind(&certification.applicant)
        .bind(&certification.applicant_id)
        .bind(new.actor)
        .bind(new.officer_name)
        .bind(&code)
        .execute(&mut *tx)
        .await?;
        for scan in new.scans {
            insert_dossier_file(&mut tx, &code, scan, "Bản chính (bản quét)", new.now).await?;
        }
        insert_first_event(&mut tx, &code, Status::Accepted, new.actor, "", new.now).await?;
        tx.commit().await?;
        self.outbox_written();
        Ok(CertifyOutcome::Registered { code, number })
    }

    /// Records the signed copy of an entry not signed yet, and makes it the dossier's result
    /// (status 4, then 9 with the copy), all together. `false` when the entry is unknown or
    /// already signed.
    pub async fn record_signed_copy(&self, signing: &Signing<'_>) -> Result<bool, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let code: Option<String> = sqlx::query(
            "UPDATE certified_copies SET stored_name = $1, copy_sha256 = $2, signed_size = $3, \
             signed_at = $4 WHERE token = $5 AND stored_name IS NULL RETURNING dossier_code",
        )
        .bind(&signing.copy.stored_name)
        .bind(&signing.copy.sha256)
        .bind(i64::try_from(signing.copy.size_bytes).unwrap_or(i64::MAX))
        .bind(signing.copy.signed_at)
        .bind(signing.token)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get("dossier_code"))
        .transpose()?;
        let Some(code) = code else {
            return Ok(false);
        };
        if !lock_dossier(&mut tx, &code).await? {
            return Ok(false);
        }
        let number: String =
            sqlx::query("SELECT year, book, serial FROM certified_copies WHERE token = $1")
                .bind(signing.token)
                .fetch_one(&mut *tx)
                .await
                .map(|row| -> Result<String, DbError> {
                    Ok(RegisterNumber {
                        year: i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or_default(),
                        book: u32::try_from(row.try_get::<i64, _>("book")?).unwrap_or_default(),
                        serial: u32::try_from(row.try_get::<i64, _>("serial")?).unwrap_or_default(),
                    }
                    .printed())
                })??;
        let details = EventDetails::Result {
            pickup: "Tải bản sao điện tử ở trang tra cứu hồ sơ (mã hồ sơ và mã tra cứu)".into(),
            number,
        };
        for (to, details, file) in [
            (Status::Processing, None, None),
            (Status::ResultReady, Some(&details), Some(signing.result)),
        ] {
            let change = StatusChange {
                code: &code,
                to,
                actor: signing.actor,
                public_note: "",
                details,
                new_appointment: None,
                result_file: file,
                now: signing.now,
            };
            if !matches!(
                change_in(&mut tx, &change).await?,
                ChangeOutcome::Changed { .. }
            ) {
                return Ok(false);
            }
        }
        tx.commit().await?;
        self.outbox_written();
        Ok(true)
    }

    /// Annuls a signed copy of the center `agency` not annulled yet; `false` when there is no
    /// such copy (another center's, already annulled, never signed).
    pub async fn annul_copy(
        &self,
        token: &str,
        agency: &str,
        reason: &str,
        actor: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let annulled = sqlx::query(
            "UPDATE certified_copies SET annulled_at = $1, annulled_reason = $2, annulled_by = $3 \
             WHERE token = $4 AND agency = $5 AND annulled_at IS NULL AND stored_name IS NOT NULL",
        )
        .bind(now)
        .bind(reason)
        .bind(actor)
        .bind(token)
        .bind(agency)
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(annulled == 1)
    }

    /// The annulled copies of every center, most recently annulled first.
    pub async fn annulled_copies(&self, limit: i64) -> Result<Vec<RegisterEntry>, DbError> {
        sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM certified_copies WHERE annulled_at IS NOT NULL \
             ORDER BY annulled_at DESC, token LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(entry)
        .collect()
    }

    /// The entry behind a verification token.
    pub async fn register_entry(&self, token: &str) -> Result<Option<RegisterEntry>, DbError> {
        sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM certified_copies WHERE token = $1"
        ))
        .bind(token)
        .fetch_optional(self.reader())
        .await?
        .as_ref()
        .map(entry)
        .transpose()
    }

    /// The copy certified in a dossier, signed or not, for its receipt and status page (the
    /// caller has checked code and key).
    pub async fn copy_of_dossier(&self, code: &str) -> Result<Option<RegisterEntry>, DbError> {
        sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM certified_copies WHERE dossier_code = $1"
        ))
        .bind(code)
        .fetch_optional(self.reader())
        .await?
        .as_ref()
        .map(entry)
        .transpose()
    }

    /// The register of `year`, newest first, for the staff member's reach.
    pub async fn register_of_year(
        &self,
        reach: &Reach,
        year: i32,
    ) -> Result<Vec<RegisterEntry>, DbError> {
        sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM certified_copies \
             WHERE year = $1 AND ($2 = '*' OR agency = $2) ORDER BY agency, serial DESC"
        ))
        .bind(i64::from(year))
        .bind(reach.agency_filter())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(entry)
        .collect()
    }
}
