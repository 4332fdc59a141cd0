//! The notification worker (issue 20): takes due messages from the outbox, composes each in the
//! citizen's language for its channel, hands it to the provider and records the answer. Every
//! app server runs one; the outbox's lease and `SKIP LOCKED` keep them from sending a message
//! twice, and a message whose worker died is taken again when its lease runs out.

mod email;
pub mod push;
mod settings;
mod sms;
pub mod zalo;

pub use settings::{
    EmailSettings, NotifySettings, PushSettings, Secret, SmsSettings, SmtpSecurity, ZaloSettings,
};

use app::db::Database;
use app::db::notifications::{Delivery, OutgoingMessage, StaffReminder};
use app::domain::calendar::Date;
use app::domain::dossier::agency_of;
use app::domain::lifecycle::Today;
use app::domain::notifications::{Channel, Composed, Facts, Outcome, compose, staff_reminder};
use app::i18n::Lang;
use std::sync::Arc;

/// Messages taken per round; sent at once (each to a different dossier).
const BATCH: i64 = 32;

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("không đọc được chứng chỉ SMTP {path}: {reason}")]
    Certificate { path: String, reason: String },
    #[error("cấu hình SMTP sai: {0}")]
    Smtp(String),
    #[error("không tạo được kết nối HTTP: {0}")]
    Http(String),
    #[error("không đọc, ghi được cơ sở dữ liệu: {0}")]
    Database(#[from] app::db::DbError),
}

/// The worker and its channels.
#[derive(Clone)]
pub struct Notifier {
    db: Database,
    settings: NotifySettings,
    email: Option<Arc<email::EmailChannel>>,
    sms: Option<Arc<sms::SmsChannel>>,
    zalo: Option<Arc<zalo::ZaloChannel>>,
    push: Option<Arc<push::PushChannel>>,
    public_url: String,
}

impl Notifier {
    /// The worker for `settings`; `public_url` is where message links point (the lookup form).
    pub fn new(
        db: Database,
        settings: NotifySettings,
        public_url: String,
    ) -> Result<Notifier, NotifyError> {
        let email = settings
            .email
            .as_ref()
            .map(email::EmailChannel::new)
            .transpose()?
            .map(Arc::new);
        let sms = settings
            .sms
            .as_ref()
            .map(sms::SmsChannel::new)
            .transpose()?
            .map(Arc::new);
        let zalo = settings
            .zalo
            .as_ref()
            .map(|zalo| zalo::ZaloChannel::new(zalo, db.clone()))
            .transpose()?
            .map(Arc::new);
        Ok(Notifier {
            db,
            settings,
            email,
            sms,
            zalo,
            push: None,
            public_url,
        })
    }

    /// The same worker sending web push signed with `key`.
    pub fn with_push(self, key: push::VapidKey) -> Result<Notifier, NotifyError> {
        Ok(Notifier {
            push: Some(Arc::new(
                push::PushChannel::new(key).map_err(NotifyError::Http)?,
            )),
            ..self
        })
    }

    /// Takes the messages due at `now`, sends them all at once and records the answers as they
    /// come: every answer that came in while the last ones were being written goes in the next
    /// write, so a slow provider holds up no other message's record, and a busy database gets
    /// few writes rather than one per message. How many were taken.
    pub async fn deliver_due(&self, now: i64) -> Result<usize, app::db::DbError> {
        let lease = self.settings.lease.as_secs() as i64;
        let messages = self.db.claim_messages(now, lease, BATCH).await?;
        let taken = messages.len();
        let mut sending = tokio::task::JoinSet::new();
        for message in messages {
            let notifier = self.clone();
            sending.spawn(async move {
                let (outcome, sent_text) = notifier.send(&message).await;
                Delivery {
                    message,
                    outcome,
                    sent_text,
                }
            });
        }
        while let Some(first) = sending.join_next().await {
            let mut answered = vec![first];
            while let Some(more) = sending.try_join_next() {
                answered.push(more);
            }
            let deliveries: Vec<Delivery> = answered
                .into_iter()
                .filter_map(|joined| match joined {
                    Ok(delivery) => Some(delivery),
                    // Its lease runs out and the message is taken again.
                    Err(error) => {
                        tracing::error!(%error, "sending a message stopped");
                        None
                    }
                })
                .collect();
            let recorded = self
                .db
                .record_deliveries(&deliveries, self.settings.retry, self.db.now())
                .await;
            for delivery in &deliveries {
                log_delivery(delivery, &recorded);
            }
        }
        Ok(taken)
    }

    /// Sends the staff reminders due at `now` by email (none without email set up), all at
    /// once like messages; how many were taken.
    pub async fn deliver_staff_reminders(&self, now: i64) -> Result<usize, app::db::DbError> {
        let Some(email) = self.email.clone() else {
            return Ok(0);
        };
        let lease = self.settings.lease.as_secs() as i64;
        let reminders = self.db.claim_staff_reminders(now, lease, BATCH).await?;
        let taken = reminders.len();
        if taken == 0 {
            return Ok(0);
        }
        // One day for the round: the reminders' lists are all of it.
        let date = Date::in_vietnam(self.db.now());
        let today = Today::new(date, &self.db.calendar_covering("", date, 30).await?);
        let mut sending = tokio::task::JoinSet::new();
        for reminder in reminders {
            let (notifier, email) = (self.clone(), email.clone());
            sending.spawn(async move {
                let outcome = match notifier.staff_reminder(&reminder, today).await {
                    Ok(Some(composed)) => {
                        let key = format!("nhac-viec-{}-{}", reminder.day, reminder.username);
                        email
                            .send_to(&reminder.email, &key, Lang::Vi, &composed)
                            .await
                    }
                    Ok(None) => Outcome::Delivered {
                        answer: "không còn gì cần nhắc".to_owned(),
                    },
                    Err(error) => database_trouble(error),
                };
                // The member's username only: the address is personal data.
                match &outcome {
                    Outcome::Delivered { .. } => {
                        tracing::debug!(staff = %reminder.username, "staff reminder sent")
                    }
                    _ => tracing::warn!(
                        staff = %reminder.username,
                        attempts = reminder.attempts,
                        "staff reminder not sent"
                    ),
                }
                let recorded = notifier
                    .db
                    .record_staff_reminder(
                        &reminder,
                        &outcome,
                        notifier.settings.retry,
                        notifier.db.now(),
                    )
                    .await;
                if let Err(error) = recorded {
                    tracing::error!(%error, "recording a staff reminder failed");
                }
            });
        }
        while sending.join_next().await.is_some() {}
        Ok(taken)
    }

    /// The reminder's email, from the dossiers due as it is sent; `None` when nothing is left
    /// to remind, the member was switched off, or the day it was for has passed (that day's
    /// own reminder has the list).
    async fn staff_reminder(
        &self,
        reminder: &StaffReminder,
        today: Today,
    ) -> Result<Option<Composed>, app::db::DbError> {
        if !reminder.active || reminder.day != today.date.iso() {
            return Ok(None);
        }
        let dossiers = self
            .db
            .staff_due_dossiers(&reminder.username, reminder.role, today)
            .await?;
        // A member's dossiers are all of their own center.
        let Some(first) = dossiers.first() else {
            return Ok(None);
        };
        let center = self.db.center_name_of(agency_of(&first.code)).await?;
        Ok(Some(staff_reminder(
            &reminder.display_name,
            &dossiers,
            today.date,
            &center,
            &format!("{}{}", self.public_url, app::paths::QUEUE),
        )))
    }

    /// Delivers due messages until the process ends: a round at once when this server wrote
    /// a message or the last round was full, else one per poll interval (messages other
    /// servers wrote, retries coming due).
    pub async fn run(self) {
        loop {
            if let Err(error) = self.deliver_staff_reminders(self.db.now()).await {
                tracing::error!(%error, "sending staff reminders failed");
            }
            match self.deliver_due(self.db.now()).await {
                Ok(taken) if taken as i64 == BATCH => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "taking messages from the outbox failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.poll) => {}
                () = self.db.outbox_written_here() => {}
            }
        }
    }

    /// The message as its channel carries it, and what the provider answered.
    async fn send(&self, message: &OutgoingMessage) -> (Outcome, String) {
        let composed = match self.compose(message).await {
            Ok(composed) => composed,
            Err(error) => return (database_trouble(error), String::new()),
        };
        match message.channel {
            Channel::Email => match &self.email {
                Some(email) => (
                    email.send(message, &composed).await,
                    format!("{}\n\n{}", composed.subject, composed.text),
                ),
                None => not_set_up("email"),
            },
            Channel::Sms => match &self.sms {
                Some(sms) => (sms.send(message, &composed).await, composed.short),
                None => not_set_up("SMS"),
            },
            Channel::Zalo => match &self.zalo {
                Some(zalo) => (
                    zalo.send(message, &composed).await,
                    format!("{}\n\n{}", composed.subject, composed.lead),
                ),
                None => not_set_up("Zalo"),
            },
            Channel::WebPush => match &self.push {
                Some(push) => self.send_push(push, message, &composed).await,
                None => not_set_up("web push"),
            },
            Channel::None => (
                Outcome::GiveUp {
                    answer: "không có kênh".to_owned(),
                },
                String::new(),
            ),
        }
    }

    /// A web push message to the phone subscribed to the dossier; a subscription the push
    /// service calls gone is forgotten.
    async fn send_push(
        &self,
        push: &push::PushChannel,
        message: &OutgoingMessage,
        composed: &Composed,
    ) -> (Outcome, String) {
        let subscription = match self.db.push_subscription(&message.dossier_code).await {
            Ok(Some(subscription)) => subscription,
            Ok(None) => {
                return (
                    Outcome::GiveUp {
                        answer: "công dân không còn đăng ký nhận tin trên trình duyệt".to_owned(),
                    },
                    String::new(),
                );
            }
            Err(error) => return (database_trouble(error), String::new()),
        };
        let (outcome, gone) = push
            .send(message, &subscription, composed, self.db.now())
            .await;
        if gone
            && let Err(error) = self
                .db
                .remove_push_subscription(&message.dossier_code)
                .await
        {
            tracing::error!(%error, "forgetting a gone push subscription failed");
        }
        (
            outcome,
            format!("{}\n\n{}", composed.subject, composed.lead),
        )
    }

    /// The message in the words an administrator saved for its kind and language (else the
    /// program's), read when it is sent.
    async fn compose(&self, message: &OutgoingMessage) -> Result<Composed, app::db::DbError> {
        let center = self
            .db
            .center_name_of(agency_of(&message.dossier_code))
            .await?;
        let facts = Facts {
            code: &message.dossier_code,
            procedure: &message.procedure_name,
            center: &center,
            link: format!(
                "{}{}",
                self.public_url,
                app::paths::status(&message.dossier_code, "")
            ),
        };
        let template = self
            .db
            .template(
                agency_of(&message.dossier_code),
                message.notice.kind(),
                message.language,
            )
            .await?;
        Ok(compose(
            &message.notice,
            &facts,
            &template,
            message.language,
        ))
    }
}

/// With web push on, the VAPID key (made on the first start), its public half written into
/// the settings for the pages to offer; `None` with web push off.
pub async fn prepare_push(
    db: &Database,
    settings: &mut NotifySettings,
) -> Result<Option<push::VapidKey>, NotifyError> {
    let Some(push) = settings.push.as_mut() else {
        return Ok(None);
    };
    let key = vapid_key(db, push.subject.clone()).await?;
    push.public_key = Some(key.public_key());
    Ok(Some(key))
}

/// With Zalo on, stores the refresh token configuration gives (when it is a new one) for the
/// app servers to renew the access token from.
pub async fn prepare_zalo(db: &Database, settings: &NotifySettings) -> Result<(), NotifyError> {
    if let Some(zalo) = &settings.zalo {
        db.configure_provider_token(zalo::PROVIDER, &zalo.refresh_token.0, db.now())
            .await?;
    }
    Ok(())
}

/// The VAPID key every app server shares: made and kept in the database on the first start.
pub async fn vapid_key(db: &Database, subject: String) -> Result<push::VapidKey, NotifyError> {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    // Made before asking: used only if no server has stored one yet.
    let fresh = push::VapidKey::generate().map_err(NotifyError::Http)?;
    let stored = db
        .server_key("vapid-pkcs8", || STANDARD.encode(fresh), db.now())
        .await?;
    let pkcs8 = STANDARD
        .decode(stored)
        .map_err(|_| NotifyError::Http("the stored VAPID key is damaged".to_owned()))?;
    push::VapidKey::from_pkcs8(&pkcs8, subject).map_err(NotifyError::Http)
}

/// The message's id and channel only: its recipient is personal data.
fn log_delivery(delivery: &Delivery, recorded: &Result<(), app::db::DbError>) {
    let message = &delivery.message;
    match (recorded, &delivery.outcome) {
        (Err(error), _) => {
            tracing::error!(id = message.id, %error, "recording a delivery failed")
        }
        (Ok(()), Outcome::Delivered { .. }) => {
            tracing::debug!(
                id = message.id,
                channel = message.channel.key(),
                "message sent"
            )
        }
        (Ok(()), Outcome::Retry { .. }) => tracing::warn!(
            id = message.id,
            channel = message.channel.key(),
            attempts = message.attempts,
            "message not sent: will try again"
        ),
        (Ok(()), Outcome::GiveUp { .. }) => tracing::warn!(
            id = message.id,
            channel = message.channel.key(),
            "message given up: staff can resend it"
        ),
    }
}

/// A database error while sending: worth trying again (its text already says it is the
/// database's).
fn database_trouble(error: app::db::DbError) -> Outcome {
    Outcome::Retry {
        answer: error.to_string(),
    }
}

/// A message for a channel this server has no settings for: given up, so staff see it and can
/// resend it once the channel is set up.
fn not_set_up(channel: &str) -> (Outcome, String) {
    (
        Outcome::GiveUp {
            answer: format!("kênh {channel} chưa được cấu hình trên máy chủ"),
        },
        String::new(),
    )
}

/// A reqwest error without the address it called (keys are not in it, but the answer stays
/// short).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "");
    }
    text
}
