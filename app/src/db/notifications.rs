//! The notification outbox (issue 20). A message is written in the transaction of the change it
//! tells of, so the two commit together or not at all; workers take due messages with a lease
//! (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so two app servers never take the same one), only
//! the oldest unsent message of each dossier at a time (messages arrive in order), and record
//! what the provider answered.

use sqlx::Row;

use super::{Backend, Database, DbError, corrupt};
use crate::domain::back_office::Role;
use crate::domain::calendar::Date;
use crate::domain::center::Reach;
use crate::domain::lifecycle::{Status, Today};
use crate::domain::notifications::{
    Channel, DueDossier, MessageRecord, MessageState, Notice, NoticeKind, Outcome,
    PushSubscription, RetryPolicy, Template, default_template, reminder_hours, reminds_today,
    zalo_window,
};
use crate::domain::tracking::EventDetails;
use crate::i18n::Lang;

/// What a provider answered to one try of a message, and the text it was sent.
pub struct Delivery {
    pub message: OutgoingMessage,
    pub outcome: Outcome,
    pub sent_text: String,
}

/// Records one try's outcome inside `record_deliveries`'s transaction.
async fn record_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    delivery: &Delivery,
    policy: RetryPolicy,
    now: i64,
) -> Result<(), DbError> {
    let message = &delivery.message;
    let query = match &delivery.outcome {
        Outcome::Delivered { answer } => sqlx::query(
            "UPDATE notification_messages SET state = 'sent', sent_at = $1, \
             provider_answer = $2, sent_text = $3, lease_until = NULL \
             WHERE id = $4 AND state = 'sending' AND attempts = $5",
        )
        .bind(now)
        .bind(clip(answer))
        .bind(delivery.sent_text.as_str())
        .bind(message.id)
        .bind(i64::from(message.attempts)),
        outcome @ (Outcome::Retry { answer } | Outcome::GiveUp { answer }) => {
            let retry_at = match outcome {
                Outcome::Retry { .. } => policy.delay_after(message.attempts).map(|delay| {
                    let at = now + delay;
                    if message.channel == Channel::Zalo {
                        zalo_window(at)
                    } else {
                        at
                    }
                }),
                _ => None,
            };
            let state = match retry_at {
                Some(_) => MessageState::Pending,
                None => MessageState::Dead,
            };
            sqlx::query(
                "UPDATE notification_messages SET state = $1, \
                 next_attempt_at = COALESCE($2, next_attempt_at), provider_answer = $3, \
                 lease_until = NULL WHERE id = $4 AND state = 'sending' AND attempts = $5",
            )
            .bind(state.key())
            .bind(retry_at)
            .bind(clip(answer))
            .bind(message.id)
            .bind(i64::from(message.attempts))
        }
    };
    query.execute(&mut **tx).await?;
    Ok(())
}

/// A message as a worker took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub id: i64,
    pub dossier_code: String,
    pub procedure_name: String,
    pub notice: Notice,
    pub channel: Channel,
    pub recipient: String,
    pub language: Lang,
    /// Tries so far, this one included.
    pub attempts: u32,
    pub idempotency_key: String,
}

/// A provider's access token and the refresh token that renews it (Zalo's OA tokens).
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderToken {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
    pub refreshing_until: i64,
    pub version: i64,
}

impl std::fmt::Debug for ProviderToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderToken")
            .field("expires_at", &self.expires_at)
            .field("refreshing_until", &self.refreshing_until)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// Writes the message telling the citizen of `notice` (made from the dossier's appointment date
/// when it needs one), when the citizen asked to be told and left an address for the channel.
pub(crate) async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &str,
    event_id: Option<i64>,
    notice: impl FnOnce(Option<Date>) -> Notice,
    now: i64,
) -> Result<(), DbError> {
    let row = sqlx::query(
        "SELECT notify_channel, applicant_phone, applicant_email, language, appointment_date, \
         procedure_name FROM dossiers WHERE code = $1",
    )
    .bind(code)
    .fetch_one(&mut **tx)
    .await?;
    let channel_key: String = row.try_get("notify_channel")?;
    let channel =
        Channel::from_key(&channel_key).ok_or_else(|| corrupt("notify channel", &channel_key))?;
    let phone: String = row.try_get("applicant_phone")?;
    let email: String = row.try_get("applicant_email")?;
    let recipient = match channel {
        Channel::WebPush => {
            sqlx::query("SELECT endpoint FROM push_subscriptions WHERE dossier_code = $1")
                .bind(code)
                .fetch_optional(&mut **tx)
                .await?
                .map(|row| row.try_get::<String, _>("endpoint"))
                .transpose()?
        }
        channel => channel.recipient(&phone, &email).map(str::to_owned),
    };
    let Some(recipient) = recipient else {
        return Ok(());
    };
    let appointment: Option<String> = row.try_get("appointment_date")?;
    let notice = notice(appointment.as_deref().and_then(Date::parse_iso));
    let notice_json = serde_json::to_string(&notice).map_err(|e| corrupt("notice", e))?;
    let due = match channel {
        Channel::Zalo => zalo_window(now),
        _ => now,
    };
    sqlx::query(
        "INSERT INTO notification_messages (dossier_code, procedure_name, event_id, kind, \
         notice_json, channel, recipient, language, state, next_attempt_at, idempotency_key, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11) \
         ON CONFLICT DO NOTHING",
    )
    .bind(code)
    .bind(row.try_get::<String, _>("procedure_name")?)
    .bind(event_id)
    .bind(notice.kind().key())
    .bind(notice_json)
    .bind(channel.key())
    .bind(recipient)
    .bind(row.try_get::<String, _>("language")?)
    .bind(due)
    .bind(idempotency_key()?)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A random key of 32 hex digits: within eSMS's 50 characters for `RequestId`.
fn idempotency_key() -> Result<String, DbError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| corrupt("random source", e))?;
    Ok(hex::encode(bytes))
}

/// The statement that takes due messages, each the oldest unsent one of its dossier, with the
/// row lock clause of the back end. A message whose lease ran out (its worker died between
/// taking and recording it) is due again.
macro_rules! claim_statement {
    ($lock:literal) => {
        concat!(
            "UPDATE notification_messages \
             SET state = 'sending', lease_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT m.id FROM notification_messages m \
               WHERE ((m.state = 'pending' AND m.next_attempt_at <= $2) \
                      OR (m.state = 'sending' AND m.lease_until < $2)) \
                 AND NOT EXISTS (SELECT 1 FROM notification_messages e \
                      WHERE e.dossier_code = m.dossier_code AND e.id < m.id \
                        AND e.state IN ('pending', 'sending')) \
               ORDER BY m.id LIMIT $3",
            $lock,
            ") RETURNING id, dossier_code, procedure_name, notice_json, channel, recipient, \
             language, attempts, idempotency_key"
        )
    };
}

/// SQLite has one writer at a time: the statement is atomic as it stands.
const CLAIM_SQLITE: &str = claim_statement!("");
/// PostgreSQL, where several app servers' workers run at once: rows another worker is taking
/// are skipped, never waited for or taken twice.
const CLAIM_POSTGRES: &str = claim_statement!(" FOR UPDATE SKIP LOCKED");

/// Takes due staff reminders like `claim_statement!` takes messages.
macro_rules! claim_reminders_statement {
    ($lock:literal) => {
        concat!(
            "UPDATE staff_reminders \
             SET state = 'sending', lease_until = $1, attempts = attempts + 1 \
             WHERE (day, username) IN (SELECT r.day, r.username FROM staff_reminders r \
               WHERE (r.state = 'pending' AND r.next_attempt_at <= $2) \
                  OR (r.state = 'sending' AND r.lease_until < $2) \
               ORDER BY r.day, r.username LIMIT $3",
            $lock,
            ") RETURNING day, username, attempts"
        )
    };
}

const CLAIM_REMINDERS_SQLITE: &str = claim_reminders_statement!("");
const CLAIM_REMINDERS_POSTGRES: &str = claim_reminders_statement!(" FOR UPDATE SKIP LOCKED");

/// A member of staff's daily reminder as a worker took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffReminder {
    /// The working day it is for (ISO).
    pub day: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// Whether the account may still sign in (a member switched off gets no list).
    pub active: bool,
    /// Tries so far, this one included.
    pub attempts: u32,
}

impl Database {
    /// Tells this server's worker that a message may be waiting (after a commit that wrote
    /// one), so it need not wait for its next poll; other servers' workers find it by polling.
    pub(crate) fn outbox_written(&self) {
        self.outbox.notify_one();
    }

    /// Wakes when this server commits a change that may have written a message.
    pub async fn outbox_written_here(&self) {
        self.outbox.notified().await;
    }

    /// Takes up to `limit` due messages for `lease_seconds`.
    pub async fn claim_messages(
        &self,
        now: i64,
        lease_seconds: i64,
        limit: i64,
    ) -> Result<Vec<OutgoingMessage>, DbError> {
        let statement = match self.backend() {
            Backend::Sqlite => CLAIM_SQLITE,
            Backend::Postgres => CLAIM_POSTGRES,
        };
        let rows = sqlx::query(statement)
            .bind(now + lease_seconds)
            .bind(now)
            .bind(limit)
            .fetch_all(self.writer())
            .await?;
        let mut messages = Vec::with_capacity(rows.len());
        for row in &rows {
            match outgoing_from_row(row) {
                Ok(message) => messages.push(message),
                // A row this server cannot read (written by a newer version, or damaged) must
                // not hold up the others: it is given up, with why, for staff to see.
                Err(error) => {
                    sqlx::query(
                        "UPDATE notification_messages SET state = 'dead', provider_answer = $1, \
                         lease_until = NULL WHERE id = $2",
                    )
                    .bind(clip(&format!("không đọc được tin: {error}")))
                    .bind(row.try_get::<i64, _>("id")?)
                    .execute(self.writer())
                    .await?;
                }
            }
        }
        messages.sort_by_key(|message| message.id);
        Ok(messages)
    }

    /// Records tries' outcomes, in one transaction however many: sent, tried again after the
    /// policy's delay (Zalo's at the window's next opening), or given up. Only the worker
    /// holding a message records it: a worker whose lease ran out while its provider was slow
    /// finds the message taken again (its try count moved on) and records nothing for it.
    pub async fn record_deliveries(
        &self,
        deliveries: &[Delivery],
        policy: RetryPolicy,
        now: i64,
    ) -> Result<(), DbError> {
        if deliveries.is_empty() {
            return Ok(()); // every send of the group stopped: nothing to record, no writer turn
        }
        // One transaction: on SQLite every write waits its turn for the one writer connection,
        // so a round of 32 answers costs one turn, not 32.
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        for delivery in deliveries {
            record_one(&mut tx, delivery, policy, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes the reminders due now for supplements not yet sent (`reminds_today`), once per
    /// request whichever app servers look; how many were written.
    pub async fn remind_supplements(&self, now: i64) -> Result<usize, DbError> {
        if !reminder_hours(now) {
            return Ok(0);
        }
        let today = Date::in_vietnam(now);
        let rows = sqlx::query(
            "SELECT d.code, e.id, e.at, e.details_json FROM dossiers d \
             JOIN dossier_events e ON e.dossier_code = d.code \
             WHERE d.status = $1 AND d.notify_channel <> 'none' \
               AND e.id = (SELECT MAX(l.id) FROM dossier_events l \
                           WHERE l.dossier_code = d.code AND l.to_status = $1 \
                             AND l.from_status <> $1) \
               AND NOT EXISTS (SELECT 1 FROM notification_messages n \
                               WHERE n.event_id = e.id AND n.kind = $2) \
               AND NOT EXISTS (SELECT 1 FROM dossier_files f WHERE f.supplement_event = e.id)",
        )
        .bind(Status::SupplementRequested.code())
        .bind(NoticeKind::SupplementReminder.key())
        .fetch_all(self.writer())
        .await?;
        let calendars = self.calendars_covering(today.add_days(-14), 28).await?;
        let mut written = 0;
        for row in rows {
            let details: Option<String> = row.try_get("details_json")?;
            let Some(EventDetails::Supplement { deadline, .. }) = details
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| corrupt("supplement request", e))?
            else {
                continue;
            };
            let requested = Date::in_vietnam(row.try_get("at")?);
            let code: String = row.try_get("code")?;
            let calendar = calendars.of(crate::domain::dossier::agency_of(&code));
            if !reminds_today(requested, deadline, today, calendar) {
                continue;
            }
            let request: i64 = row.try_get("id")?;
            // Under the dossier's lock, as a status change takes it: still waiting for this
            // request's papers, or no reminder (staff may have moved it on meanwhile).
            let mut writer = self.writer().acquire().await?;
            let mut tx = writer.begin().await?;
            if !super::tracking::lock_dossier(&mut tx, &code).await? {
                continue;
            }
            let still_waiting = sqlx::query(
                "SELECT 1 AS waiting FROM dossiers d WHERE d.code = $1 AND d.status = $2 \
                 AND (SELECT MAX(l.id) FROM dossier_events l WHERE l.dossier_code = d.code \
                      AND l.to_status = $2 AND l.from_status <> $2) = $3 \
                 AND NOT EXISTS (SELECT 1 FROM dossier_files f WHERE f.supplement_event = $3)",
            )
            .bind(&code)
            .bind(Status::SupplementRequested.code())
            .bind(request)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
            if !still_waiting {
                continue;
            }
            enqueue(
                &mut tx,
                &code,
                Some(request),
                |_| Notice::SupplementReminder { deadline },
                now,
            )
            .await?;
            tx.commit().await?;
            written += 1;
        }
        if written > 0 {
            self.outbox_written();
        }
        Ok(written)
    }

    /// Keeps the browser subscription the citizen made on the status page (replacing an
    /// earlier one) and makes web push the dossier's channel.
    pub async fn set_push_subscription(
        &self,
        code: &str,
        subscription: &PushSubscription,
        now: i64,
    ) -> Result<(), DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        sqlx::query(
            "INSERT INTO push_subscriptions (dossier_code, endpoint, p256dh, auth, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dossier_code) DO UPDATE \
             SET endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth, \
             created_at = excluded.created_at",
        )
        .bind(code)
        .bind(&subscription.endpoint)
        .bind(&subscription.p256dh)
        .bind(&subscription.auth)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE dossiers SET notify_channel = $1 WHERE code = $2")
            .bind(Channel::WebPush.key())
            .bind(code)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a dossier's browser subscription its push service says is gone (the citizen
    /// unsubscribed, or the browser dropped it): the dossier is told no more that way.
    pub async fn remove_push_subscription(&self, code: &str) -> Result<(), DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        sqlx::query("DELETE FROM push_subscriptions WHERE dossier_code = $1")
            .bind(code)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE dossiers SET notify_channel = $1 WHERE code = $2 AND notify_channel = $3",
        )
        .bind(Channel::None.key())
        .bind(code)
        .bind(Channel::WebPush.key())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The browser subscription of a dossier, if its citizen made one.
    pub async fn push_subscription(&self, code: &str) -> Result<Option<PushSubscription>, DbError> {
        sqlx::query("SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE dossier_code = $1")
            .bind(code)
            .fetch_optional(self.reader())
            .await?
            .map(|row| {
                Ok(PushSubscription {
                    endpoint: row.try_get("endpoint")?,
                    p256dh: row.try_get("p256dh")?,
                    auth: row.try_get("auth")?,
                })
            })
            .transpose()
    }

    /// The key named `name` that every app server shares: made by `make` on the first call
    /// anywhere (a second server's key, made at the same moment, is dropped for the first's).
    pub async fn server_key(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
        now: i64,
    ) -> Result<String, DbError> {
        if let Some(row) = sqlx::query("SELECT value FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(self.writer())
            .await?
        {
            return Ok(row.try_get("value")?);
        }
        sqlx::query(
            "INSERT INTO server_keys (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(sqlx::query("SELECT value FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_one(self.writer())
            .await?
            .try_get("value")?)
    }

    /// Stores the refresh token given in configuration for `provider`, unless the same one was
    /// stored before (the chain it started may have moved on since): a new one replaces the
    /// chain, and its access token is fetched at the next message.
    pub async fn configure_provider_token(
        &self,
        provider: &str,
        refresh_token: &str,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO provider_tokens (provider, access_token, refresh_token, expires_at, \
             refreshing_until, version, configured_hash, updated_at) \
             VALUES ($1, '', $2, 0, 0, 0, $3, $4) \
             ON CONFLICT (provider) DO UPDATE SET access_token = '', \
             refresh_token = excluded.refresh_token, expires_at = 0, refreshing_until = 0, \
             version = provider_tokens.version + 1, configured_hash = excluded.configured_hash, \
             updated_at = excluded.updated_at \
             WHERE provider_tokens.configured_hash <> excluded.configured_hash",
        )
        .bind(provider)
        .bind(refresh_token)
        .bind(super::sha256_hex(refresh_token))
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// `provider`'s tokens as stored.
    pub async fn provider_token(&self, provider: &str) -> Result<Option<ProviderToken>, DbError> {
        sqlx::query(
            "SELECT access_token, refresh_token, expires_at, refreshing_until, version \
             FROM provider_tokens WHERE provider = $1",
        )
        .bind(provider)
        .fetch_optional(self.reader())
        .await?
        .map(|row| {
            Ok(ProviderToken {
                access_token: row.try_get("access_token")?,
                refresh_token: row.try_get("refresh_token")?,
                expires_at: row.try_get("expires_at")?,
                refreshing_until: row.try_get("refreshing_until")?,
                version: row.try_get("version")?,
            })
        })
        .transpose()
    }

    /// Takes the right to spend `provider`'s refresh token for `lease` seconds: true for one
    /// caller only, while the tokens are still those of `version` and nobody else holds it.
    pub async fn begin_token_refresh(
        &self,
        provider: &str,
        version: i64,
        now: i64,
        lease: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE provider_tokens SET refreshing_until = $1 \
             WHERE provider = $2 AND version = $3 AND refreshing_until <= $4",
        )
        .bind(now + lease)
        .bind(provider)
        .bind(version)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores the tokens a refresh of `version` brought, if the caller still holds the right
    /// to refresh it took until `lease_until`, and frees that right.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_token_refresh(
        &self,
        provider: &str,
        version: i64,
        lease_until: i64,
        access_token: &str,
        refresh_token: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE provider_tokens SET access_token = $1, refresh_token = $2, expires_at = $3, \
             refreshing_until = 0, version = version + 1, updated_at = $4 \
             WHERE provider = $5 AND version = $6 AND refreshing_until = $7",
        )
        .bind(access_token)
        .bind(refresh_token)
        .bind(expires_at)
        .bind(now)
        .bind(provider)
        .bind(version)
        .bind(lease_until)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Frees the right to refresh after a refresh that failed (the token was not spent).
    pub async fn abandon_token_refresh(&self, provider: &str, version: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE provider_tokens SET refreshing_until = 0 WHERE provider = $1 AND version = $2",
        )
        .bind(provider)
        .bind(version)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Marks the access token of `version` expired (the provider refused it before its time):
    /// the next message renews it.
    pub async fn expire_access_token(&self, provider: &str, version: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE provider_tokens SET expires_at = 0 WHERE provider = $1 AND version = $2",
        )
        .bind(provider)
        .bind(version)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The words of `kind` in `language` as the administrator of the center `agency` saved
    /// them; `None` for the program's own (`default_template`).
    pub async fn saved_template(
        &self,
        agency: &str,
        kind: NoticeKind,
        language: Lang,
    ) -> Result<Option<Template>, DbError> {
        sqlx::query(
            "SELECT subject, body, short FROM center_templates \
             WHERE agency = $1 AND kind = $2 AND language = $3",
        )
        .bind(agency)
        .bind(kind.key())
        .bind(language.code())
        .fetch_optional(self.reader())
        .await?
        .map(|row| {
            Ok(Template {
                subject: row.try_get("subject")?,
                body: row.try_get("body")?,
                short: row.try_get("short")?,
            })
        })
        .transpose()
    }

    /// The words the center `agency` sends messages of `kind` in `language` with: saved, else
    /// the program's.
    pub async fn template(
        &self,
        agency: &str,
        kind: NoticeKind,
        language: Lang,
    ) -> Result<Template, DbError> {
        Ok(self
            .saved_template(agency, kind, language)
            .await?
            .unwrap_or_else(|| default_template(kind, language)))
    }

    /// Saves the words of the center `agency`'s administrator for `kind` in `language` (checked
    /// by the caller).
    pub async fn save_template(
        &self,
        agency: &str,
        kind: NoticeKind,
        language: Lang,
        template: &Template,
        by: &str,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO center_templates \
             (kind, language, subject, body, short, updated_at, updated_by, agency) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (agency, kind, language) DO UPDATE SET subject = excluded.subject, \
             body = excluded.body, short = excluded.short, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(kind.key())
        .bind(language.code())
        .bind(&template.subject)
        .bind(&template.body)
        .bind(&template.short)
        .bind(now)
        .bind(by)
        .bind(agency)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Goes back to the program's words for `kind` in `language` at the center `agency`.
    pub async fn forget_template(
        &self,
        agency: &str,
        kind: NoticeKind,
        language: Lang,
    ) -> Result<(), DbError> {
        sqlx::query(
            "DELETE FROM center_templates WHERE agency = $1 AND kind = $2 AND language = $3",
        )
        .bind(agency)
        .bind(kind.key())
        .bind(language.code())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Writes today's reminder for each active clerk and specialist with an email address and
    /// a dossier due within two working days or overdue (`staff_due_dossiers`), on working
    /// days between 07:00 and 20:00; once per member and day whichever servers look. How many
    /// were written.
    pub async fn write_staff_reminders(&self, now: i64) -> Result<usize, DbError> {
        if !reminder_hours(now) {
            return Ok(0);
        }
        let date = Date::in_vietnam(now);
        // Reminders go out on the national calendar's working days.
        let calendar = self.calendar_covering("", date, 30).await?;
        if !calendar.is_working_day(date) {
            return Ok(0);
        }
        let today = Today::new(date, &calendar);
        let written = sqlx::query(
            "INSERT INTO staff_reminders (day, username, state, attempts, next_attempt_at, \
             provider_answer, created_at) \
             SELECT $1, s.username, 'pending', 0, $2, '', $2 FROM staff_users s \
             WHERE s.active = 1 AND s.email <> '' AND s.role IN ($3, $4) \
               AND EXISTS (SELECT 1 FROM dossiers d WHERE d.status IN (1, 2, 4) \
                   AND d.agency = s.center AND d.due_date <= $5 \
                   AND (d.holder = s.username OR (s.role = $3 AND d.holder IS NULL))) \
             ON CONFLICT (day, username) DO NOTHING",
        )
        .bind(date.iso())
        .bind(now)
        .bind(Role::Clerk.key())
        .bind(Role::Specialist.key())
        .bind(today.due_soon_until.iso())
        .execute(self.writer())
        .await?
        .rows_affected();
        if written > 0 {
            self.outbox_written();
        }
        Ok(written as usize)
    }

    /// The dossiers on `member`'s reminder: those the clock runs on (received, accepted,
    /// processing) that are overdue or due by `today.due_soon_until`, which they hold — and for
    /// a clerk, those nobody holds yet — soonest first.
    pub async fn staff_due_dossiers(
        &self,
        username: &str,
        role: Role,
        today: Today,
    ) -> Result<Vec<DueDossier>, DbError> {
        sqlx::query(
            "SELECT code, procedure_name, due_date FROM dossiers \
             WHERE status IN (1, 2, 4) AND due_date <= $1 \
               AND (holder = $2 OR ($3 = 1 AND holder IS NULL)) \
               AND agency = (SELECT center FROM staff_users WHERE username = $2) \
             ORDER BY due_date, code",
        )
        .bind(today.due_soon_until.iso())
        .bind(username)
        .bind(i64::from(role == Role::Clerk))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            let due: String = row.try_get("due_date")?;
            Ok(DueDossier {
                code: row.try_get("code")?,
                procedure: row.try_get("procedure_name")?,
                due: Date::parse_iso(&due).ok_or_else(|| corrupt("due_date", &due))?,
            })
        })
        .collect()
    }

    /// Takes up to `limit` due staff reminders for `lease_seconds`.
    pub async fn claim_staff_reminders(
        &self,
        now: i64,
        lease_seconds: i64,
        limit: i64,
    ) -> Result<Vec<StaffReminder>, DbError> {
        let statement = match self.backend() {
            Backend::Sqlite => CLAIM_REMINDERS_SQLITE,
            Backend::Postgres => CLAIM_REMINDERS_POSTGRES,
        };
        let taken = sqlx::query(statement)
            .bind(now + lease_seconds)
            .bind(now)
            .bind(limit)
            .fetch_all(self.writer())
            .await?;
        let mut reminders = Vec::with_capacity(taken.len());
        for row in &taken {
            let username: String = row.try_get("username")?;
            let member = sqlx::query(
                "SELECT display_name, email, role, active FROM staff_users WHERE username = $1",
            )
            .bind(&username)
            .fetch_one(self.writer())
            .await?;
            let role: String = member.try_get("role")?;
            reminders.push(StaffReminder {
                active: member.try_get::<i64, _>("active")? == 1,
                day: row.try_get("day")?,
                display_name: member.try_get("display_name")?,
                email: member.try_get("email")?,
                role: Role::from_key(&role).ok_or_else(|| corrupt("role", &role))?,
                attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                username,
            });
        }
        Ok(reminders)
    }

    /// Records a staff reminder's try, as `record_deliveries` does a round's messages.
    pub async fn record_staff_reminder(
        &self,
        reminder: &StaffReminder,
        outcome: &Outcome,
        policy: RetryPolicy,
        now: i64,
    ) -> Result<(), DbError> {
        let (state, answer, retry_at, sent_at) = match outcome {
            Outcome::Delivered { answer } => (MessageState::Sent, answer, None, Some(now)),
            Outcome::Retry { answer } => match policy.delay_after(reminder.attempts) {
                Some(delay) => (MessageState::Pending, answer, Some(now + delay), None),
                None => (MessageState::Dead, answer, None, None),
            },
            Outcome::GiveUp { answer } => (MessageState::Dead, answer, None, None),
        };
        sqlx::query(
            "UPDATE staff_reminders SET state = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
             provider_answer = $3, sent_at = $4, lease_until = NULL \
             WHERE day = $5 AND username = $6 AND state = 'sending' AND attempts = $7",
        )
        .bind(state.key())
        .bind(retry_at)
        .bind(clip(answer))
        .bind(sent_at)
        .bind(&reminder.day)
        .bind(&reminder.username)
        .bind(i64::from(reminder.attempts))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// A dossier's messages, oldest first (the staff dossier page).
    pub async fn dossier_messages(&self, code: &str) -> Result<Vec<MessageRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT id, dossier_code, kind, channel, recipient, state, attempts, \
             provider_answer, created_at, next_attempt_at, sent_at FROM notification_messages \
             WHERE dossier_code = $1 ORDER BY id",
        )
        .bind(code)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Messages given up on of the dossiers within `reach`, newest first (the staff page of
    /// failed messages).
    pub async fn dead_messages(
        &self,
        reach: &Reach,
        limit: i64,
    ) -> Result<Vec<MessageRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT m.id, m.dossier_code, m.kind, m.channel, m.recipient, m.state, m.attempts, \
             m.provider_answer, m.created_at, m.next_attempt_at, m.sent_at \
             FROM notification_messages m JOIN dossiers d ON d.code = m.dossier_code \
             WHERE m.state = 'dead' AND ($2 = '*' OR d.agency = $2) ORDER BY m.id DESC LIMIT $1",
        )
        .bind(limit)
        .bind(reach.agency_filter().to_owned())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Puts a given-up message back in the queue with fresh tries and a new key (a provider
    /// that remembers the old one must not take the resend for a repeat); `false` when it is
    /// not (or no longer) given up, or not of a dossier within `reach`.
    pub async fn resend_message(&self, id: i64, reach: &Reach, now: i64) -> Result<bool, DbError> {
        let changed = sqlx::query(
            "UPDATE notification_messages SET state = 'pending', attempts = 0, \
             next_attempt_at = $1, idempotency_key = $2 WHERE id = $3 AND state = 'dead' \
             AND dossier_code IN (SELECT code FROM dossiers WHERE $4 = '*' OR agency = $4)",
        )
        .bind(now)
        .bind(idempotency_key()?)
        .bind(id)
        .bind(reach.agency_filter().to_owned())
        .execute(self.writer())
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Changes how the citizen of a dossier is told from now on (the status page); messages
    /// already written keep their channel. `false` when the dossier has no address for the
    /// channel (no email given, no phone number).
    pub async fn set_notify_channel(&self, code: &str, channel: Channel) -> Result<bool, DbError> {
        let Some(row) =
            sqlx::query("SELECT applicant_phone, applicant_email FROM dossiers WHERE code = $1")
                .bind(code)
                .fetch_optional(self.writer())
                .await?
        else {
            return Ok(false);
        };
        let phone: String = row.try_get("applicant_phone")?;
        let email: String = row.try_get("applicant_email")?;
        let reachable = match channel {
            Channel::None | Channel::WebPush => true,
            channel => channel.recipient(&phone, &email).is_some(),
        };
        if reachable {
            sqlx::query("UPDATE dossiers SET notify_channel = $1 WHERE code = $2")
                .bind(channel.key())
                .bind(code)
                .execute(self.writer())
                .await?;
        }
        Ok(reachable)
    }
}

/// Providers' answers are kept for staff, never whole pages of them.
fn clip(answer: &str) -> String {
    answer.chars().take(1000).collect()
}

fn outgoing_from_row(row: &sqlx::any::AnyRow) -> Result<OutgoingMessage, DbError> {
    let notice: String = row.try_get("notice_json")?;
    let channel: String = row.try_get("channel")?;
    let language: String = row.try_get("language")?;
    Ok(OutgoingMessage {
        id: row.try_get("id")?,
        dossier_code: row.try_get("dossier_code")?,
        procedure_name: row.try_get("procedure_name")?,
        notice: serde_json::from_str(&notice).map_err(|e| corrupt("notice", e))?,
        channel: Channel::from_key(&channel).ok_or_else(|| corrupt("channel", &channel))?,
        recipient: row.try_get("recipient")?,
        language: Lang::from_code(&language).unwrap_or_default(),
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        idempotency_key: row.try_get("idempotency_key")?,
    })
}

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<MessageRecord, DbError> {
    let kind: String = row.try_get("kind")?;
    let channel: String = row.try_get("channel")?;
    let state: String = row.try_get("state")?;
    Ok(MessageRecord {
        id: row.try_get("id")?,
        dossier_code: row.try_get("dossier_code")?,
        kind: NoticeKind::from_key(&kind).ok_or_else(|| corrupt("notice kind", &kind))?,
        channel: Channel::from_key(&channel).ok_or_else(|| corrupt("channel", &channel))?,
        recipient: row.try_get("recipient")?,
        state: MessageState::from_key(&state).ok_or_else(|| corrupt("message state", &state))?,
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        provider_answer: row.try_get("provider_answer")?,
        created_at: row.try_get("created_at")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        sent_at: row.try_get("sent_at")?,
    })
}
