//! Staff accounts and their sessions. Passwords are hashed with Argon2id by the caller, off the
//! async runtime (`crate::password`); session tokens are stored only as their SHA-256.

use sqlx::Row;

use super::{Database, DbError, sha256_hex};
use crate::domain::back_office::{
    AuditEntry, Deadline, DossierFile, PaperDocument, QueueFilter, QueuePage, QueueRow,
    QueueSearch, QueueSort, Role, StaffAccount, StaffDossier, StaffMember, Todo, due_window,
};
use crate::domain::calendar::Date;
use crate::domain::center::Reach;
use crate::domain::filing::{Applicant, Proxy};
use crate::domain::lifecycle::{Status, Today};
use crate::domain::procedure::paginate;
use crate::domain::search::fold;

/// A signed-in staff member with the CSRF token of their session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub member: StaffMember,
    pub csrf_token: String,
}

/// A dossier (of the outer `dossiers` row) waiting for a supplement that the citizen has sent:
/// files exist for its latest supplement request.
macro_rules! supplement_sent {
    () => {
        "(status = 5 AND EXISTS (SELECT 1 FROM dossier_files f \
         WHERE f.dossier_code = dossiers.code AND f.supplement_event = \
         (SELECT MAX(e.id) FROM dossier_events e \
         WHERE e.dossier_code = dossiers.code AND e.to_status = 5)))"
    };
}

/// The queue's filter: `$1` a status (0 for all), `$2` the search as typed ('' for none),
/// `$3` a pattern on the code, `$4` a pattern on the folded applicant name, `$5` a procedure
/// code ('' for all), `$6` a channel (0 for all), `$7`/`$8` received from/before (0 for open),
/// `$9`/`$10` the due-date window of a deadline filter ('' for none), applied only where the
/// clock runs (statuses 1, 2, 4), `$11`/`$12` the phone and identity number the search reads as
/// ('' for none), `$13` 1 for the supplements citizens sent only, `$14` the staff member's
/// reach (`Reach::agency_filter`). A literal, so the queue's queries share it and no SQL is
/// built at run time.
macro_rules! queue_condition {
    () => {
        concat!(
        "($14 = '*' OR agency = $14) AND ($1 = 0 OR status = $1) AND ($2 = '' OR code LIKE $3 ESCAPE '\\' \
         OR applicant_name_folded LIKE $4 ESCAPE '\\' \
         OR ($11 <> '' AND applicant_phone = $11) OR ($12 <> '' AND applicant_citizen_id = $12)) \
         AND ($5 = '' OR procedure_code = $5) AND ($6 = 0 OR channel = $6) \
         AND ($7 = 0 OR received_at >= $7) AND ($8 = 0 OR received_at < $8) \
         AND ($9 = '' OR (status IN (1, 2, 4) AND due_date >= $9 AND due_date <= $10)) \
         AND ($13 = 0 OR ",
        supplement_sent!(),
        ")"
        )
    };
}

/// `text` inside a LIKE pattern whose escape character is a backslash: its `%`, `_` and
/// backslashes then match themselves.
fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn member(row: &sqlx::any::AnyRow) -> Result<StaffMember, DbError> {
    let role: String = row.try_get("role")?;
    Ok(StaffMember {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_stored_key(&role)
            .ok_or_else(|| DbError::Corrupt(format!("role {role}")))?,
        center: row.try_get("center")?,
    })
}

impl Database {
    /// Adds a staff account; `false` when the username is taken.
    pub async fn create_staff_user(
        &self,
        member: &StaffMember,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let inserted = sqlx::query(
            "INSERT INTO staff_users (username, display_name, role, password_hash, active, \
             created_at, center) VALUES ($1, $2, $3, $4, 1, $5, $6) \
             ON CONFLICT (username) DO NOTHING",
        )
        .bind(&member.username)
        .bind(&member.display_name)
        .bind(member.role.key())
        .bind(password_hash)
        .bind(now)
        .bind(member.center.clone())
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// An active account with its password hash, for signing in.
    pub async fn staff_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(StaffMember, String)>, DbError> {
        sqlx::query(
            "SELECT username, display_name, role, center, password_hash FROM staff_users \
             WHERE username = $1 AND active = 1",
        )
        .bind(username)
        .fetch_optional(self.reader())
        .await?
        .map(|row| Ok((member(&row)?, row.try_get("password_hash")?)))
        .transpose()
    }

    /// Remembers that `username` signed in on the device holding `device_token`.
    pub async fn remember_staff_device(
        &self,
        device_token: &str,
        username: &str,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO staff_devices (token_hash, username, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (token_hash, username) DO NOTHING",
        )
        .bind(sha256_hex(device_token))
        .bind(username)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Whether `username` signed in before on the device holding `device_token`.
    pub async fn is_known_staff_device(
        &self,
        device_token: &str,
        username: &str,
    ) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "SELECT 1 AS known FROM staff_devices WHERE token_hash = $1 AND username = $2",
        )
        .bind(sha256_hex(device_token))
        .bind(username)
        .fetch_optional(self.reader())
        .await?
        .is_some())
    }

    pub async fn create_staff_session(
        &self,
        token: &str,
        username: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, username, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sha256_hex(token))
        .bind(username)
        .bind(csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The live session of this cookie token, if any (the account must still be active).
    pub async fn staff_session(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<StaffSession>, DbError> {
        sqlx::query(
            "SELECT u.username, u.display_name, u.role, u.center, s.csrf_token FROM staff_sessions s \
             JOIN staff_users u ON u.username = s.username \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(sha256_hex(token))
        .bind(now)
        .fetch_optional(self.reader())
        .await?
        .map(|row| {
            Ok(StaffSession {
                member: member(&row)?,
                csrf_token: row.try_get("csrf_token")?,
            })
        })
        .transpose()
    }

    pub async fn delete_staff_session(&self, token: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The online dossier waiting for intake that is due soonest (the oldest first among equals),
    /// other than `except`.
    pub async fn next_waiting_intake(
        &self,
        except: &str,
        reach: &Reach,
    ) -> Result<Option<String>, DbError> {
        Ok(sqlx::query(
            "SELECT code FROM dossiers WHERE status = 1 AND code <> $1 \
             AND ($2 = '*' OR agency = $2) \
             ORDER BY COALESCE(due_date, '9999-12-31'), received_at, code LIMIT 1",
        )
        .bind(except)
        .bind(reach.agency_filter().to_owned())
        .fetch_optional(self.reader())
        .await?
        .map(|row| row.try_get("code"))
        .transpose()?)
    }

    /// How many dossiers wait for each kind of work on the staff home page.
    pub async fn todo_counts(
        &self,
        reach: &Reach,
        today: Today,
    ) -> Result<Vec<(Todo, i64)>, DbError> {
        let (soon_from, soon_to) = due_window(Deadline::DueSoon, today);
        let (late_from, late_to) = due_window(Deadline::Overdue, today);
        let row = sqlx::query(concat!(
            "SELECT COALESCE(SUM(CASE WHEN status = 1 THEN 1 ELSE 0 END), 0) AS intake, \
             COALESCE(SUM(CASE WHEN ",
            supplement_sent!(),
            " THEN 1 ELSE 0 END), 0) AS supplements, \
             COALESCE(SUM(CASE WHEN status = 9 THEN 1 ELSE 0 END), 0) AS ready, \
             COALESCE(SUM(CASE WHEN status IN (1, 2, 4) AND due_date >= $1 AND due_date <= $2 \
             THEN 1 ELSE 0 END), 0) AS soon, \
             COALESCE(SUM(CASE WHEN status IN (1, 2, 4) AND due_date >= $3 AND due_date <= $4 \
             THEN 1 ELSE 0 END), 0) AS late FROM dossiers WHERE ($5 = '*' OR agency = $5)"
        ))
        .bind(soon_from.iso())
        .bind(soon_to.iso())
        .bind(late_from.iso())
        .bind(late_to.iso())
        .bind(reach.agency_filter().to_owned())
        .fetch_one(self.reader())
        .await?;
        let count = |name: &str| row.try_get::<i64, _>(name);
        Ok(vec![
            (Todo::WaitingIntake, count("intake")?),
            (Todo::SupplementSent, count("supplements")?),
            (Todo::ReadyToHandOver, count("ready")?),
            (Todo::DueSoon, count("soon")?),
            (Todo::Overdue, count("late")?),
        ])
    }

    /// One page of the dossier queue, in the filter's order, with the count of each status under
    /// the same filters. `today` places the deadline filters.
    pub async fn queue(
        &self,
        filter: &QueueFilter,
        reach: &Reach,
        today: Today,
    ) -> Result<QueuePage, DbError> {
        let status = filter.status.map(|s| s.code()).unwrap_or(0);
        let folded = fold(&filter.query);
        let search = QueueSearch::of(&filter.query);
        let code_pattern = format!("%{}%", like_literal(&search.code));
        // A search with nothing left after folding (say "%") matches no name: `LIKE ''` only
        // matches the empty string, and names are never empty.
        let name_pattern = if folded.is_empty() {
            String::new()
        } else {
            format!("%{}%", like_literal(&folded))
        };
        let from = filter.received_from.map_or(0, Date::start_in_vietnam);
        let before = filter
            .received_to
            .map_or(0, |day| day.add_days(1).start_in_vietnam());
        let (due_from, due_to) = filter
            .deadline
            .map(|deadline| due_window(deadline, today))
            .map_or((String::new(), String::new()), |(from, to)| {
                (from.iso(), to.iso())
            });
        let bind =
            |query: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>>,
             status: i64| {
                query
                    .bind(status)
                    .bind(filter.query.clone())
                    .bind(code_pattern.clone())
                    .bind(name_pattern.clone())
                    .bind(filter.procedure.clone())
                    .bind(filter.channel.unwrap_or(0))
                    .bind(from)
                    .bind(before)
                    .bind(due_from.clone())
                    .bind(due_to.clone())
                    .bind(search.phone.clone())
                    .bind(search.citizen_id.clone())
                    .bind(i64::from(filter.supplement_sent))
                    .bind(reach.agency_filter().to_owned())
            };
        let counts = bind(
            sqlx::query(concat!(
                "SELECT status, COUNT(*) AS n FROM dossiers WHERE ",
                queue_condition!(),
                " GROUP BY status ORDER BY status"
            )),
            0,
        )
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| Ok((super::status_column(row, "status")?, row.try_get("n")?)))
        .collect::<Result<Vec<(Status, i64)>, DbError>>()?;
        let total = counts
            .iter()
            .filter(|(s, _)| filter.status.is_none_or(|wanted| *s == wanted))
            .map(|(_, n)| n)
            .sum::<i64>();
        let (page, page_count) = paginate(total as usize, filter.page, QueueFilter::PAGE_SIZE);
        let rows = bind(
            sqlx::query(concat!(
                "SELECT code, procedure_name, applicant_name, channel, status, received_at, \
                 appointment_date, due_date, CASE WHEN ",
                supplement_sent!(),
                " THEN 1 ELSE 0 END AS supplement_sent FROM dossiers WHERE ",
                queue_condition!(),
                // Soonest due first for a to-do list (no due date last), else newest first.
                " ORDER BY CASE WHEN $15 = 1 THEN COALESCE(due_date, '9999-12-31') ELSE '' END, \
                 received_at DESC, code DESC LIMIT $16 OFFSET $17"
            )),
            status,
        )
        .bind(i64::from(filter.sort == QueueSort::DueFirst))
        .bind(QueueFilter::PAGE_SIZE as i64)
        .bind(((page - 1) * QueueFilter::PAGE_SIZE) as i64)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(QueueRow {
                code: row.try_get("code")?,
                procedure_name: row.try_get("procedure_name")?,
                applicant_name: row.try_get("applicant_name")?,
                channel: super::channel_column(row, "channel")?,
                status: super::status_column(row, "status")?,
                received_at: row.try_get("received_at")?,
                appointment_date: row.try_get("appointment_date")?,
                due_date: row.try_get("due_date")?,
                supplement_sent: row.try_get::<i64, _>("supplement_sent")? == 1,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        Ok(QueuePage {
            rows,
            total: total as usize,
            page,
            page_count,
            counts,
        })
    }

    /// Everything staff see of one dossier.
    /// Everything staff see of one dossier, if it is within `reach`.
    pub async fn staff_dossier(
        &self,
        code: &str,
        reach: &Reach,
    ) -> Result<Option<StaffDossier>, DbError> {
        if !super::can_be_key(code) {
            return Ok(None);
        }
        let Some(row) = sqlx::query(
            "SELECT code, procedure_code, procedure_name, case_index, case_name, channel, status, \
             applicant_name, applicant_phone, applicant_citizen_id, applicant_address, \
             applicant_email, proxy_name, proxy_citizen_id, proxy_relationship, received_at, \
             appointment_date, appointment_time, digitised, result_delivery, holder, \
             declaration_json, notify_channel FROM dossiers \
             WHERE code = $1 AND ($2 = '*' OR agency = $2)",
        )
        .bind(code)
        .bind(reach.agency_filter().to_owned())
        .fetch_optional(self.reader())
        .await?
        else {
            return Ok(None);
        };
        let proxy_name: String = row.try_get("proxy_name")?;
        let applicant = Applicant {
            for_child: false,
            case_index: row.try_get::<i64, _>("case_index")? as usize,
            full_name: row.try_get("applicant_name")?,
            phone: row.try_get("applicant_phone")?,
            citizen_id: row.try_get("applicant_citizen_id")?,
            address: row.try_get("applicant_address")?,
            email: row.try_get("applicant_email")?,
            result_delivery: super::result_delivery_column(&row)?,
            notify: super::notify_channel_column(&row)?,
            proxy: if proxy_name.is_empty() {
                None
            } else {
                Some(Proxy {
                    full_name: proxy_name,
                    citizen_id: row.try_get("proxy_citizen_id")?,
                    relationship: row.try_get("proxy_relationship")?,
                })
            },
        };
        let files = sqlx::query(
            "SELECT stored_name, document_name, content_type, size_bytes, original_name, \
             uploaded_at, supplement_event, result_event, certified_copy FROM dossier_files \
             WHERE dossier_code = $1 ORDER BY uploaded_at, document_index, stored_name",
        )
        .bind(code)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(DossierFile {
                stored_name: row.try_get("stored_name")?,
                document_name: row.try_get("document_name")?,
                content_type: row.try_get("content_type")?,
                size_bytes: row.try_get::<i64, _>("size_bytes")? as u64,
                original_name: row.try_get("original_name")?,
                uploaded_at: row.try_get("uploaded_at")?,
                supplement: row.try_get::<Option<i64>, _>("supplement_event")?.is_some(),
                result: row.try_get::<Option<i64>, _>("result_event")?.is_some(),
                certified_copy: row.try_get("certified_copy")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let paper_documents = sqlx::query(
            "SELECT document_name, scanned FROM dossier_paper_documents \
             WHERE dossier_code = $1 ORDER BY document_index",
        )
        .bind(code)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(PaperDocument {
                document_name: row.try_get("document_name")?,
                scanned: row.try_get::<i64, _>("scanned")? == 1,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        let audit = sqlx::query(
            "SELECT e.id, e.at, e.from_status, e.to_status, e.actor, e.public_note, \
             e.details_json, e.paper_number, u.display_name FROM dossier_events e \
             LEFT JOIN staff_users u ON e.actor = 'can-bo:' || u.username \
             WHERE e.dossier_code = $1 ORDER BY e.at, e.id",
        )
        .bind(code)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                event: super::tracking::event_from_row(row)?,
                from_status: row
                    .try_get::<Option<i64>, _>("from_status")?
                    .map(|code| {
                        Status::from_code(code)
                            .ok_or_else(|| DbError::Corrupt(format!("from_status = {code}")))
                    })
                    .transpose()?,
                actor: row.try_get("actor")?,
                actor_name: row.try_get("display_name")?,
                paper_number: row.try_get("paper_number")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        Ok(Some(StaffDossier {
            code: row.try_get("code")?,
            procedure_code: row.try_get("procedure_code")?,
            procedure_name: row.try_get("procedure_name")?,
            case_name: row.try_get("case_name")?,
            channel: super::channel_column(&row, "channel")?,
            status: super::status_column(&row, "status")?,
            applicant,
            received_at: row.try_get("received_at")?,
            appointment_date: row
                .try_get::<Option<String>, _>("appointment_date")?
                .as_deref()
                .and_then(Date::parse_iso),
            appointment_time: row.try_get("appointment_time")?,
            digitised: row.try_get::<i64, _>("digitised")? == 1,
            declaration: super::filing::declaration_column(&row)?,
            files,
            paper_documents,
            audit,
            handovers: self.handovers(code).await?,
            holder: row.try_get("holder")?,
            rating: self.rating(code).await?,
        }))
    }

    /// A file of the dossier `code` by its stored name: (content type, name as uploaded).
    pub async fn dossier_file(
        &self,
        code: &str,
        stored_name: &str,
        reach: &Reach,
    ) -> Result<Option<(String, String)>, DbError> {
        if !super::can_be_key(code) || !super::can_be_key(stored_name) {
            return Ok(None);
        }
        sqlx::query(
            "SELECT f.content_type, f.original_name FROM dossier_files f \
             JOIN dossiers d ON d.code = f.dossier_code \
             WHERE f.dossier_code = $1 AND f.stored_name = $2 AND ($3 = '*' OR d.agency = $3)",
        )
        .bind(code)
        .bind(stored_name)
        .bind(reach.agency_filter().to_owned())
        .fetch_optional(self.reader())
        .await?
        .map(|row| Ok((row.try_get("content_type")?, row.try_get("original_name")?)))
        .transpose()
    }

    /// Every procedure as (code, name), by name: the choices of the queue filter and of
    /// counter intake.
    pub async fn procedure_choices(&self) -> Result<Vec<(String, String)>, DbError> {
        sqlx::query("SELECT code, name FROM procedures ORDER BY name, code")
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| Ok((row.try_get("code")?, row.try_get("name")?)))
            .collect()
    }

    /// The procedures this center's dossiers name most, as (code, name), the most filed first:
    /// the counter's one-tap choices.
    pub async fn most_filed_procedures(
        &self,
        reach: &Reach,
        limit: i64,
    ) -> Result<Vec<(String, String)>, DbError> {
        sqlx::query(
            "SELECT p.code, p.name, COUNT(*) AS filed FROM dossiers d \
             JOIN procedures p ON p.code = d.procedure_code \
             WHERE ($2 = '*' OR d.agency = $2) \
             GROUP BY p.code, p.name ORDER BY filed DESC, p.code LIMIT $1",
        )
        .bind(limit)
        .bind(reach.agency_filter().to_owned())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("code")?, row.try_get("name")?)))
        .collect()
    }

    /// Every staff account within `reach`, active ones first.
    pub async fn staff_users(&self, reach: &Reach) -> Result<Vec<StaffAccount>, DbError> {
        sqlx::query(
            "SELECT username, display_name, role, center, active, email FROM staff_users \
             WHERE ($1 = '*' OR center = $1) ORDER BY active DESC, username",
        )
        .bind(reach.agency_filter().to_owned())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(StaffAccount {
                member: member(row)?,
                active: row.try_get::<i64, _>("active")? == 1,
                email: row.try_get("email")?,
            })
        })
        .collect()
    }

    /// Sets the address a member's daily reminder goes to (empty: none). `false` when there is
    /// no such account within `reach`.
    pub async fn set_staff_email(
        &self,
        username: &str,
        reach: &Reach,
        email: &str,
    ) -> Result<bool, DbError> {
        let updated = sqlx::query(
            "UPDATE staff_users SET email = $1 WHERE username = $2 AND ($3 = '*' OR center = $3)",
        )
        .bind(email)
        .bind(username)
        .bind(reach.agency_filter().to_owned())
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Changes an account's role and whether it may sign in; a deactivated account loses its
    /// sessions. `false` when there is no such account within `reach`.
    pub async fn update_staff_user(
        &self,
        username: &str,
        reach: &Reach,
        role: Role,
        active: bool,
    ) -> Result<bool, DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        let updated = sqlx::query(
            "UPDATE staff_users SET role = $1, active = $2 \
             WHERE username = $3 AND ($4 = '*' OR center = $4)",
        )
        .bind(role.key())
        .bind(i64::from(active))
        .bind(username)
        .bind(reach.agency_filter().to_owned())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 1 && !active {
            sqlx::query("DELETE FROM staff_sessions WHERE username = $1")
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(updated == 1)
    }

    /// What the center `agency` tells citizens about a procedure, if anything.
    pub async fn caveat(
        &self,
        agency: &str,
        procedure_code: &str,
    ) -> Result<Option<String>, DbError> {
        sqlx::query("SELECT text FROM center_caveats WHERE agency = $1 AND procedure_code = $2")
            .bind(agency)
            .bind(procedure_code)
            .fetch_optional(self.reader())
            .await?
            .map(|row| Ok(row.try_get("text")?))
            .transpose()
    }

    /// Every caveat of the center `agency` as (procedure code, procedure name, text), by
    /// procedure name.
    pub async fn caveats(&self, agency: &str) -> Result<Vec<(String, String, String)>, DbError> {
        sqlx::query(
            "SELECT c.procedure_code, COALESCE(p.name, '') AS name, c.text \
             FROM center_caveats c LEFT JOIN procedures p ON p.code = c.procedure_code \
             WHERE c.agency = $1 ORDER BY name, c.procedure_code",
        )
        .bind(agency)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get("procedure_code")?,
                row.try_get("name")?,
                row.try_get("text")?,
            ))
        })
        .collect()
    }

    /// Sets the center's caveat on a procedure; an empty text removes it. `false` when there is
    /// no such procedure.
    pub async fn set_caveat(
        &self,
        agency: &str,
        procedure_code: &str,
        text: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        if !super::can_be_key(procedure_code) {
            return Ok(false);
        }
        let known = sqlx::query("SELECT 1 AS one FROM procedures WHERE code = $1")
            .bind(procedure_code)
            .fetch_optional(self.writer())
            .await?
            .is_some();
        if !known {
            return Ok(false);
        }
        if text.is_empty() {
            sqlx::query("DELETE FROM center_caveats WHERE agency = $1 AND procedure_code = $2")
                .bind(agency)
                .bind(procedure_code)
                .execute(self.writer())
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO center_caveats (agency, procedure_code, text, updated_by, updated_at) \
                 VALUES ($5, $1, $2, $3, $4) ON CONFLICT (agency, procedure_code) DO UPDATE \
                 SET text = excluded.text, updated_by = excluded.updated_by, \
                 updated_at = excluded.updated_at",
            )
            .bind(procedure_code)
            .bind(text)
            .bind(by)
            .bind(now)
            .bind(agency)
            .execute(self.writer())
            .await?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::like_literal;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(like_literal("lan"), "lan");
    }
}
