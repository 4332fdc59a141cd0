//! What the forms of Circular 03/2025 print from (domain::papers): the numbers of the papers
//! events issue, the hand-overs between staff (Mẫu 06) and the tracking book (Mẫu 07).

use sqlx::Row;

use super::{Database, DbError, can_be_key, result_delivery_column, status_column};
use crate::domain::calendar::Date;
use crate::domain::center::Reach;
use crate::domain::lifecycle::Status;
use crate::domain::papers::{Handover, PaperKind, RegisterFilter, RegisterRow, can_be_handed_on};
use crate::domain::tracking::EventDetails;

/// The number of the paper an event moving dossier `code` to `status` with `details` at `at`
/// issues, if it issues one: the next of the sequence of the dossier's agency, that form and
/// that year. Taken in the event's own transaction (its row is inserted with it, as audit rows
/// are never changed), so a number is never given twice nor lost.
pub(super) async fn next_paper_number(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    status: Status,
    details: Option<&EventDetails>,
    at: i64,
) -> Result<Option<i64>, DbError> {
    let Some(kind) = PaperKind::issued_by(status, details) else {
        return Ok(None);
    };
    let agency: String = sqlx::query("SELECT agency FROM dossiers WHERE code = $1")
        .bind(code)
        .fetch_one(&mut **tx)
        .await?
        .try_get("agency")?;
    let number: i64 = sqlx::query(
        "INSERT INTO paper_sequences (agency, form, year, last_number) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (agency, form, year) DO UPDATE \
         SET last_number = paper_sequences.last_number + 1 RETURNING last_number",
    )
    .bind(agency)
    .bind(kind.form())
    .bind(i64::from(Date::in_vietnam(at).year))
    .fetch_one(&mut **tx)
    .await?
    .try_get("last_number")?;
    Ok(Some(number))
}

/// What became of a hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOnOutcome {
    Recorded,
    /// No such dossier, or the center no longer works on it.
    NotOpen,
    /// The receiver is the giver, unknown or not active.
    NotAColleague,
}

/// A hand-over asked for by a member of staff.
pub struct HandOn<'a> {
    pub code: &'a str,
    pub from_username: &'a str,
    pub to_username: &'a str,
    pub note: &'a str,
    pub now: i64,
}

impl Database {
    /// Records that `from_username` handed the dossier to `to_username`, who holds it from now.
    pub async fn hand_on(&self, handover: &HandOn<'_>) -> Result<HandOnOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        // The same lock as a status change: the status read here cannot move under us.
        let status: Option<i64> =
            sqlx::query("UPDATE dossiers SET holder = $1 WHERE code = $2 RETURNING status")
                .bind(handover.to_username)
                .bind(handover.code)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("status"))
                .transpose()?;
        if !status
            .and_then(Status::from_code)
            .is_some_and(can_be_handed_on)
        {
            return Ok(HandOnOutcome::NotOpen);
        }
        // Only to a colleague of the dossier's own center.
        let receiver_active: Option<i64> = sqlx::query(
            "SELECT u.active FROM staff_users u JOIN dossiers d ON d.agency = u.center \
             WHERE u.username = $1 AND d.code = $2",
        )
        .bind(handover.to_username)
        .bind(handover.code)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get("active"))
        .transpose()?;
        if receiver_active != Some(1) || handover.to_username == handover.from_username {
            return Ok(HandOnOutcome::NotAColleague);
        }
        sqlx::query(
            "INSERT INTO dossier_handovers (dossier_code, at, from_username, to_username, note) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(handover.code)
        .bind(handover.now)
        .bind(handover.from_username)
        .bind(handover.to_username)
        .bind(handover.note)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(HandOnOutcome::Recorded)
    }

    /// The hand-overs of a dossier, oldest first, with the members' display names.
    pub async fn handovers(&self, code: &str) -> Result<Vec<Handover>, DbError> {
        sqlx::query(
            "SELECT h.at, h.note, h.from_username, h.to_username, \
             g.display_name AS giver, r.display_name AS receiver FROM dossier_handovers h \
             LEFT JOIN staff_users g ON g.username = h.from_username \
             LEFT JOIN staff_users r ON r.username = h.to_username \
             WHERE h.dossier_code = $1 ORDER BY h.at, h.id",
        )
        .bind(code)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            let name = |name: &str, username: &str| -> Result<String, DbError> {
                Ok(match row.try_get::<Option<String>, _>(name)? {
                    Some(display) => display,
                    None => row.try_get(username)?,
                })
            };
            Ok(Handover {
                at: row.try_get("at")?,
                from: name("giver", "from_username")?,
                to: name("receiver", "to_username")?,
                note: row.try_get("note")?,
            })
        })
        .collect()
    }

    /// Active members of the center `agency` as (username, display name): whom its dossiers
    /// can be handed to.
    pub async fn active_staff(&self, agency: &str) -> Result<Vec<(String, String)>, DbError> {
        sqlx::query(
            "SELECT username, display_name FROM staff_users \
             WHERE active = 1 AND center = $1 ORDER BY display_name, username",
        )
        .bind(agency)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("username")?, row.try_get("display_name")?)))
        .collect()
    }

    /// The tracking book: dossiers accepted or registered at the counter that were received in
    /// the query's days, oldest first, at most `limit` rows. Online submissions never accepted
    /// (status 1, or refused at intake) are not in the book, as they were never received.
    pub async fn register(
        &self,
        query: &RegisterFilter,
        reach: &Reach,
        limit: usize,
    ) -> Result<Vec<RegisterRow>, DbError> {
        let procedure = query.procedure.as_deref().filter(|code| can_be_key(code));
        sqlx::query(
            "SELECT d.code, d.procedure_name, d.applicant_name, d.applicant_address, \
             d.applicant_phone, d.status, d.received_at, d.appointment_date, \
             d.appointment_time, d.result_delivery, \
             (SELECT MIN(e.at) FROM dossier_events e WHERE e.dossier_code = d.code \
              AND e.to_status = $1) AS returned_at FROM dossiers d \
             WHERE d.day >= $2 AND d.day <= $3 AND ($4 = '' OR d.procedure_code = $4) \
             AND EXISTS (SELECT 1 FROM dossier_events a WHERE a.dossier_code = d.code \
              AND a.to_status = $5) AND ($7 = '*' OR d.agency = $7) \
             ORDER BY d.received_at, d.code LIMIT $6",
        )
        .bind(Status::HandedOver.code())
        .bind(query.first.iso())
        .bind(query.last.iso())
        .bind(procedure.unwrap_or(""))
        .bind(Status::Accepted.code())
        .bind(limit as i64)
        .bind(reach.agency_filter().to_owned())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(RegisterRow {
                code: row.try_get("code")?,
                procedure_name: row.try_get("procedure_name")?,
                applicant_name: row.try_get("applicant_name")?,
                applicant_address: row.try_get("applicant_address")?,
                applicant_phone: row.try_get("applicant_phone")?,
                status: status_column(row, "status")?,
                received_at: row.try_get("received_at")?,
                appointment_date: row
                    .try_get::<Option<String>, _>("appointment_date")?
                    .as_deref()
                    .and_then(Date::parse_iso),
                appointment_time: row.try_get("appointment_time")?,
                returned_at: row.try_get("returned_at")?,
                result_delivery: result_delivery_column(row)?,
            })
        })
        .collect()
    }
}
