//! A dossier as its citizen follows it: status changes (through the lifecycle's transition
//! table, the one way any status changes), supplements, ratings, and the shared rate-limit
//! counters of lookups.

use sqlx::Row;

use super::{Database, DbError, corrupt};
use crate::domain::calendar::Date;
use crate::domain::feedback::Problem;
use crate::domain::filing::StoredFile;
use crate::domain::lifecycle::{IllegalTransition, Status};
use crate::domain::notifications::Notice;
use crate::domain::rate_limit::{RateLimitHit, sliding_window_wait};
use crate::domain::tracking::{Event, EventDetails, Promise, Rating, check_apology};
use crate::domain::working_time::Moment;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed { event_id: i64 },
    Illegal(IllegalTransition),
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateOutcome {
    Recorded,
    AlreadyRated,
    /// Ratings open once the result is ready (status 9 or 10).
    NotYet,
}

/// Takes the write lock on a dossier's row for the rest of `tx` (an update that changes
/// nothing), so that its status is read and changed by one writer at a time; false when there is
/// no such dossier.
pub(crate) async fn lock_dossier(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
) -> Result<bool, DbError> {
    let found = sqlx::query("UPDATE dossiers SET status = status WHERE code = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(found == 1)
}

/// The rating in a row's `overall, counter_visits, agencies_contacted, staff_attitude,
/// online_ease, reason`; none where `overall` is empty (a dossier not rated).
pub(super) fn rating_from_row(row: &sqlx::any::AnyRow) -> Result<Option<Rating>, DbError> {
    let Some(overall) = optional_score(row, "overall")? else {
        return Ok(None);
    };
    Ok(Some(Rating {
        overall,
        counter_visits: optional_score(row, "counter_visits")?,
        agencies_contacted: optional_score(row, "agencies_contacted")?,
        staff_attitude: optional_score(row, "staff_attitude")?,
        online_ease: optional_score(row, "online_ease")?,
        reason: row.try_get("reason")?,
    }))
}

fn optional_score(row: &sqlx::any::AnyRow, column: &str) -> Result<Option<u8>, DbError> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(|s| s as u8))
}

/// A status change asked for by staff, the citizen or an operator.
pub struct StatusChange<'a> {
    pub code: &'a str,
    pub to: Status,
    /// `cong-dan`, `can-bo:{username}` or `quan-tri:dong-lenh`.
    pub actor: &'a str,
    pub public_note: &'a str,
    pub details: Option<&'a EventDetails>,
    /// Acceptance restarts the clock: the appointment counted from then.
    pub new_appointment: Option<Moment>,
    /// A scanned result, already on disk under its stored name.
    pub result_file: Option<&'a StoredFile>,
    pub now: i64,
}

async fn events_of<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    code: &str,
) -> Result<Vec<Event>, DbError> {
    sqlx::query(
        "SELECT id, at, to_status, public_note, details_json FROM dossier_events \
         WHERE dossier_code = $1 ORDER BY at, id",
    )
    .bind(code)
    .fetch_all(executor)
    .await?
    .iter()
    .map(event_from_row)
    .collect()
}

/// An event from a row with its `id, at, to_status, public_note, details_json`.
pub(super) fn event_from_row(row: &sqlx::any::AnyRow) -> Result<Event, DbError> {
    Ok(Event {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        status: super::status_column(row, "to_status")?,
        public_note: row.try_get("public_note")?,
        details: row
            .try_get::<Option<String>, _>("details_json")?
            .map(|json| serde_json::from_str(&json).map_err(|e| corrupt("details", e)))
            .transpose()?,
    })
}

/// The body of `apply_change` inside `tx`, whose dossier row is already locked: checks the
/// transition and writes the status, the audit entry, the result file, the milestones, the due
/// date and the citizen's notice. The caller commits (and wakes the outbox).
pub(crate) async fn change_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    change: &StatusChange<'_>,
) -> Result<ChangeOutcome, DbError> {
    let code = change.code;
    let current: i64 = sqlx::query("SELECT status FROM dossiers WHERE code = $1")
        .bind(code)
        .fetch_one(&mut **tx)
        .await?
        .try_get("status")?;
    let from = Status::from_code(current).ok_or_else(|| corrupt("dossier status", current))?;
    if let Err(illegal) = from.check_transition(change.to) {
        return Ok(ChangeOutcome::Illegal(illegal));
    }
    sqlx::query(
        "UPDATE dossiers SET status = $1, appointment_date = COALESCE($2, appointment_date), \
             appointment_time = COALESCE($3, appointment_time) WHERE code = $4",
    )
    .bind(change.to.code())
    .bind(change.new_appointment.map(|at| at.date.iso()))
    .bind(change.new_appointment.map(Moment::clock_time))
    .bind(code)
    .execute(&mut **tx)
    .await?;
    let details = change
        .details
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| corrupt("event details", e))?;
    let paper_number =
        super::papers::next_paper_number(tx, code, change.to, change.details, change.now).await?;
    let event_id: i64 = sqlx::query(
        "INSERT INTO dossier_events (dossier_code, at, from_status, to_status, actor, \
             public_note, details_json, paper_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
    )
    .bind(code)
    .bind(change.now)
    .bind(current)
    .bind(change.to.code())
    .bind(change.actor)
    .bind(change.public_note)
    .bind(details)
    .bind(paper_number)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    if let Some(file) = change.result_file {
        sqlx::query(
            "INSERT INTO dossier_files (stored_name, dossier_code, document_index, \
                 document_name, content_type, size_bytes, original_name, uploaded_at, \
                 result_event) VALUES ($1, $2, -1, 'Kết quả', $3, $4, $5, $6, $7)",
        )
        .bind(&file.stored_name)
        .bind(code)
        .bind(&file.content_type)
        .bind(file.size_bytes as i64)
        .bind(&file.original_name)
        .bind(change.now)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    }
    // The statistics' milestones: the first acceptance, and the end of the center's work.
    if change.to == Status::Accepted || change.to.is_resolved() {
        let statement = if change.to == Status::Accepted {
            "UPDATE dossiers SET accepted_at = COALESCE(accepted_at, $1) WHERE code = $2"
        } else {
            "UPDATE dossiers SET closed_at = COALESCE(closed_at, $1) WHERE code = $2"
        };
        sqlx::query(statement)
            .bind(change.now)
            .bind(code)
            .execute(&mut **tx)
            .await?;
    }
    if change.to == Status::ResultReady {
        sqlx::query("UPDATE dossiers SET finished_at = $1, finished_day = $2 WHERE code = $3")
            .bind(change.now)
            .bind(Date::in_vietnam(change.now).iso())
            .bind(code)
            .execute(&mut **tx)
            .await?;
    }
    refresh_due_date(tx, code, change.now).await?;
    super::notifications::enqueue(
        tx,
        code,
        Some(event_id),
        |appointment| Notice::of_change(change.to, change.details, change.public_note, appointment),
        change.now,
    )
    .await?;
    Ok(ChangeOutcome::Changed { event_id })
}

/// Keeps `dossiers.due_date` (what the queue's deadline filters read) equal to the due date the
/// history gives, after an event was added in `tx`.
async fn refresh_due_date(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    now: i64,
) -> Result<(), DbError> {
    let appointment: Option<String> =
        sqlx::query("SELECT appointment_date FROM dossiers WHERE code = $1")
            .bind(code)
            .fetch_one(&mut **tx)
            .await?
            .try_get("appointment_date")?;
    let events = events_of(&mut **tx, code).await?;
    let today = Date::in_vietnam(now);
    let agency = crate::domain::dossier::agency_of(code);
    let calendar = super::calendar::calendar_covering(&mut **tx, agency, today, 30).await?;
    let due = Promise::of(appointment.as_deref().and_then(Date::parse_iso), &events)
        .due(today, &calendar);
    sqlx::query("UPDATE dossiers SET due_date = $1 WHERE code = $2")
        .bind(due.map(Date::iso))
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What became of an apology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApologyOutcome {
    Recorded,
    /// No such dossier, or it is resolved.
    NotOpen,
    /// Too early (the dossier is not late and will not be) or a new date not after the due date.
    Refused(Problem),
}

/// What became of a supplement upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplementOutcome {
    Added,
    /// The dossier no longer waits for this supplement.
    NotWaiting,
    /// The supplement would have more files than a dossier may.
    TooManyFiles,
}

impl Database {
    /// Moves a dossier to `to` if the transition table allows it from its current status, and
    /// records the change (who, when, note, details) in the same transaction.
    pub async fn change_status(
        &self,
        code: &str,
        to: Status,
        actor: &str,
        public_note: &str,
        details: Option<&EventDetails>,
        now: i64,
    ) -> Result<ChangeOutcome, DbError> {
        self.apply_change(&StatusChange {
            code,
            to,
            actor,
            public_note,
            details,
            new_appointment: None,
            result_file: None,
            now,
        })
        .await
    }

    /// `change_status` with what staff actions add: a new appointment date (acceptance starts
    /// the clock) and a scanned result. The status, the audit entry, the file and the due date
    /// land together or not at all.
    pub async fn apply_change(&self, change: &StatusChange<'_>) -> Result<ChangeOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        // Take the write lock first (see db::filing), then read the current status under it.
        if !lock_dossier(&mut tx, change.code).await? {
            return Ok(ChangeOutcome::Missing);
        }
        let outcome = change_in(&mut tx, change).await?;
        if let ChangeOutcome::Changed { .. } = outcome {
            tx.commit().await?;
            self.outbox_written();
        }
        Ok(outcome)
    }

    /// Records the center's apology for a late dossier with the new appointment date, as an
    /// event that keeps the status, when `check_apology` allows it.
    pub async fn record_apology(
        &self,
        code: &str,
        new_date: crate::domain::calendar::Date,
        text: &str,
        actor: &str,
        now: i64,
    ) -> Result<ApologyOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        if !lock_dossier(&mut tx, code).await? {
            return Ok(ApologyOutcome::NotOpen);
        }
        let row = sqlx::query("SELECT status, due_date FROM dossiers WHERE code = $1")
            .bind(code)
            .fetch_one(&mut *tx)
            .await?;
        let current: i64 = row.try_get("status")?;
        let Some(status) = Status::from_code(current).filter(|status| !status.is_resolved()) else {
            return Ok(ApologyOutcome::NotOpen);
        };
        let due: Option<String> = row.try_get("due_date")?;
        let due = due.as_deref().and_then(Date::parse_iso);
        let today = Date::in_vietnam(now);
        let agency = crate::domain::dossier::agency_of(code);
        let calendar = super::calendar::calendar_covering(&mut *tx, agency, today, 30).await?;
        let earlier = Promise::of(None, &events_of(&mut *tx, code).await?).apologies;
        if let Err(problem) = check_apology(due, today, new_date, earlier, &calendar) {
            return Ok(ApologyOutcome::Refused(problem));
        }
        let apology = EventDetails::Apology {
            new_date,
            text: text.to_owned(),
        };
        let details = serde_json::to_string(&apology).map_err(|e| corrupt("apology", e))?;
        let paper_number =
            super::papers::next_paper_number(&mut tx, code, status, Some(&apology), now).await?;
        let event_id: i64 = sqlx::query(
            "INSERT INTO dossier_events (dossier_code, at, from_status, to_status, actor, \
             public_note, details_json, paper_number) VALUES ($1, $2, $3, $3, $4, '', $5, $6) \
             RETURNING id",
        )
        .bind(code)
        .bind(now)
        .bind(current)
        .bind(actor)
        .bind(details)
        .bind(paper_number)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        refresh_due_date(&mut tx, code, now).await?;
        super::notifications::enqueue(
            &mut tx,
            code,
            Some(event_id),
            |_| Notice::Apology { new_date },
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_written();
        Ok(ApologyOutcome::Recorded)
    }

    /// The status changes of a dossier, oldest first.
    pub async fn dossier_events(&self, code: &str) -> Result<Vec<Event>, DbError> {
        events_of(self.reader(), code).await
    }

    /// Files the citizen added for a supplement request, as (document name, file count).
    pub async fn supplement_files(
        &self,
        code: &str,
        event_id: i64,
    ) -> Result<Vec<(String, usize)>, DbError> {
        sqlx::query(
            "SELECT document_name, COUNT(*) AS files FROM dossier_files \
             WHERE dossier_code = $1 AND supplement_event = $2 \
             GROUP BY document_name ORDER BY document_name",
        )
        .bind(code)
        .bind(event_id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get("document_name")?,
                row.try_get::<i64, _>("files")? as usize,
            ))
        })
        .collect()
    }

    /// Links files written to disk to a dossier waiting for a supplement (status 5), all or
    /// none; the status does not change (staff look at the files and move it on). `false` when
    /// the dossier is no longer waiting for this request.
    pub async fn add_supplement_files(
        &self,
        code: &str,
        event_id: i64,
        files: &[(StoredFile, String)],
        max_files: u32,
        now: i64,
    ) -> Result<SupplementOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let waiting = sqlx::query(
            "UPDATE dossiers SET status = status WHERE code = $1 AND status = $2 AND $3 = \
             (SELECT MAX(id) FROM dossier_events WHERE dossier_code = $1)",
        )
        .bind(code)
        .bind(Status::SupplementRequested.code())
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if waiting != 1 {
            return Ok(SupplementOutcome::NotWaiting);
        }
        let sent: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM dossier_files WHERE dossier_code = $1 \
             AND supplement_event = $2",
        )
        .bind(code)
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if sent as u64 + files.len() as u64 > u64::from(max_files) {
            return Ok(SupplementOutcome::TooManyFiles);
        }
        for (file, document_name) in files {
            sqlx::query(
                "INSERT INTO dossier_files (stored_name, dossier_code, document_index, \
                 document_name, content_type, size_bytes, original_name, uploaded_at, \
                 supplement_event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&file.stored_name)
            .bind(code)
            .bind(file.document_index as i64)
            .bind(document_name)
            .bind(&file.content_type)
            .bind(file.size_bytes as i64)
            .bind(&file.original_name)
            .bind(now)
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(SupplementOutcome::Added)
    }

    /// Records the citizen's rating: only at status 9 or 10, only once.
    pub async fn rate(
        &self,
        code: &str,
        rating: &Rating,
        now: i64,
    ) -> Result<RateOutcome, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let ready = sqlx::query(
            "UPDATE dossiers SET status = status WHERE code = $1 AND status IN ($2, $3)",
        )
        .bind(code)
        .bind(Status::ResultReady.code())
        .bind(Status::HandedOver.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ready != 1 {
            return Ok(RateOutcome::NotYet);
        }
        let inserted = sqlx::query(
            "INSERT INTO ratings (dossier_code, overall, counter_visits, agencies_contacted, \
             staff_attitude, online_ease, reason, rated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dossier_code) DO NOTHING",
        )
        .bind(code)
        .bind(i64::from(rating.overall))
        .bind(rating.counter_visits.map(i64::from))
        .bind(rating.agencies_contacted.map(i64::from))
        .bind(rating.staff_attitude.map(i64::from))
        .bind(rating.online_ease.map(i64::from))
        .bind(&rating.reason)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(if inserted == 1 {
            RateOutcome::Recorded
        } else {
            RateOutcome::AlreadyRated
        })
    }

    pub async fn rating(&self, code: &str) -> Result<Option<Rating>, DbError> {
        match sqlx::query(
            "SELECT overall, counter_visits, agencies_contacted, staff_attitude, online_ease, \
             reason FROM ratings WHERE dossier_code = $1",
        )
        .bind(code)
        .fetch_optional(self.reader())
        .await?
        {
            Some(row) => rating_from_row(&row),
            None => Ok(None),
        }
    }

    /// Counts one hit for `bucket` (atomically, whatever the concurrency) and judges it on a
    /// window of `window` seconds sliding with now (`domain::rate_limit`).
    pub async fn hit_rate_limit(
        &self,
        bucket: &str,
        limit: i64,
        window: i64,
        now: i64,
    ) -> Result<RateLimitHit, DbError> {
        let window_start = now - now.rem_euclid(window);
        // One statement: the status page pays for this on every lookup.
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
             RETURNING hits, COALESCE((SELECT earlier.hits FROM rate_limits earlier \
             WHERE earlier.bucket = $1 AND earlier.window_start = $3), 0) AS previous",
        )
        .bind(bucket)
        .bind(window_start)
        .bind(window_start - window)
        .fetch_one(self.writer())
        .await?;
        let (current, previous): (i64, i64) = (row.try_get("hits")?, row.try_get("previous")?);
        Ok(RateLimitHit {
            hits_this_window: current,
            wait: sliding_window_wait(previous, current, limit, window, now - window_start),
        })
    }

    /// Whether one more hit of `bucket` would be allowed now, without counting one: `None` when
    /// it would, else the seconds to wait. A read: what only failures count (lookups) checks
    /// with it, and writes a hit only when the attempt fails.
    pub async fn rate_limit_wait(
        &self,
        bucket: &str,
        limit: i64,
        window: i64,
        now: i64,
    ) -> Result<Option<i64>, DbError> {
        let window_start = now - now.rem_euclid(window);
        let (mut current, mut previous) = (0, 0);
        for row in sqlx::query(
            "SELECT window_start, hits FROM rate_limits \
             WHERE bucket = $1 AND window_start IN ($2, $3)",
        )
        .bind(bucket)
        .bind(window_start)
        .bind(window_start - window)
        .fetch_all(self.reader())
        .await?
        {
            let hits: i64 = row.try_get("hits")?;
            if row.try_get::<i64, _>("window_start")? == window_start {
                current = hits;
            } else {
                previous = hits;
            }
        }
        Ok(sliding_window_wait(
            previous,
            current + 1,
            limit,
            window,
            now - window_start,
        ))
    }

    /// Takes back one hit of `bucket` in the current window: for a counted attempt that turned
    /// out not to be one (a sign-in with the right password).
    pub async fn refund_rate_limit(
        &self,
        bucket: &str,
        window: i64,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE rate_limits SET hits = hits - 1 \
             WHERE bucket = $1 AND window_start = $2 AND hits > 0",
        )
        .bind(bucket)
        .bind(now - now.rem_euclid(window))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Forgets counters of windows that ended before `before`.
    pub async fn purge_rate_limits(&self, before: i64) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
                .bind(before)
                .execute(self.writer())
                .await?
                .rows_affected(),
        )
    }
}
