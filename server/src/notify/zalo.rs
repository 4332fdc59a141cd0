//! Zalo ZNS: a template registered with Zalo, filled with the message's values, sent to the
//! citizen's phone number (developers.zalo.me, "Gửi ZNS": `POST
//! https://business.openapi.zalo.me/message/template` with the Official Account's
//! `access_token` header and JSON `phone`, `template_id`, `template_data`, `tracking_id`; the
//! answer's `error`, 0 for sent).
//!
//! The access token lives about a day; it is renewed with the refresh token (`POST
//! https://oauth.zaloapp.com/v4/oa/access_token`, header `secret_key`, form `app_id`,
//! `grant_type=refresh_token`, `refresh_token`), which Zalo takes once and answers with the
//! next. Both live in the database (`provider_tokens`), so every app server sends with the same
//! token and only one of them, holding the row's refresh lease, spends the refresh token.
//!
//! ZNS takes `tracking_id` (our message's key) but does not promise to refuse a second
//! message with the same one: a worker that dies after Zalo accepted a message and before
//! recording it makes the citizen receive it twice (docs/notifications.md).

use super::{NotifyError, ZaloSettings};
use app::db::Database;
use app::db::notifications::{OutgoingMessage, ProviderToken};
use app::domain::notifications::{Composed, Outcome, zns_outcome, zns_phone, zns_template_data};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The name of Zalo's row in `provider_tokens`.
pub const PROVIDER: &str = "zalo";
/// An access token is renewed this long before Zalo says it ends.
const RENEW_BEFORE: i64 = 300;
/// How long a server may hold the right to spend the refresh token: well over the OAuth call's
/// 20 s timeout, so no other server spends the same token while an answer may still come.
const REFRESH_LEASE: i64 = 90;
/// How often, and how long apart, a message looks again while another caller renews the token.
const WAIT_FOR_RENEWAL: (u32, Duration) = (80, Duration::from_millis(250));
/// Zalo's answer to an access token it no longer takes.
const ACCESS_TOKEN_INVALID: i64 = -124;

pub(super) struct ZaloChannel {
    client: reqwest::Client,
    settings: ZaloSettings,
    db: Database,
}

#[derive(Serialize)]
struct SendRequest<'a> {
    phone: String,
    template_id: &'a str,
    template_data: BTreeMap<String, String>,
    tracking_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
}

#[derive(Deserialize)]
struct SendAnswer {
    error: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: Option<SentData>,
}

#[derive(Deserialize)]
struct SentData {
    #[serde(default)]
    msg_id: Option<String>,
}

/// The OAuth answer: the new pair, or Zalo's error.
#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    /// Seconds, which Zalo writes as a string.
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<i64>,
    #[serde(default)]
    error_description: Option<String>,
}

impl ZaloChannel {
    pub(super) fn new(settings: &ZaloSettings, db: Database) -> Result<ZaloChannel, NotifyError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| NotifyError::Http(e.to_string()))?;
        Ok(ZaloChannel {
            client,
            settings: settings.clone(),
            db,
        })
    }

    pub(super) async fn send(&self, message: &OutgoingMessage, composed: &Composed) -> Outcome {
        let Some(template_id) = self.settings.templates.get(&message.notice.kind()) else {
            return Outcome::GiveUp {
                answer: format!(
                    "chưa có mẫu ZNS cho loại tin \"{}\" (MOTCUA_ZALO_TEMPLATES)",
                    message.notice.kind().key()
                ),
            };
        };
        let token = match self.access_token().await {
            Ok(token) => token,
            Err(outcome) => return outcome,
        };
        let request = SendRequest {
            phone: zns_phone(&message.recipient),
            template_id,
            template_data: zns_template_data(&message.notice, &composed.values),
            tracking_id: &message.idempotency_key,
            mode: self.settings.development.then_some("development"),
        };
        let response = match self
            .client
            .post(&self.settings.endpoint)
            .header("access_token", &token.access_token)
            .json(&request)
            .send()
            .await
        {
            Ok(response) => response,
            Err(error) => {
                return Outcome::Retry {
                    answer: format!("không gọi được Zalo: {}", super::without_url(&error)),
                };
            }
        };
        let status = response.status();
        if !status.is_success() {
            return Outcome::Retry {
                answer: format!("Zalo: HTTP {status}"),
            };
        }
        let answer = match response.json::<SendAnswer>().await {
            Ok(answer) => answer,
            Err(error) => {
                return Outcome::Retry {
                    answer: format!(
                        "câu trả lời của Zalo không đọc được: {}",
                        super::without_url(&error)
                    ),
                };
            }
        };
        let text = format!(
            "error {}{}{}",
            answer.error,
            if answer.message.is_empty() {
                String::new()
            } else {
                format!(": {}", answer.message)
            },
            answer
                .data
                .and_then(|data| data.msg_id)
                .map(|id| format!(", msg_id {id}"))
                .unwrap_or_default(),
        );
        if answer.error == ACCESS_TOKEN_INVALID {
            // Revoked or ended early: the next try renews it.
            if let Err(error) = self.db.expire_access_token(PROVIDER, token.version).await {
                tracing::error!(%error, "marking Zalo's access token expired failed");
            }
            return Outcome::Retry { answer: text };
        }
        zns_outcome(answer.error, text)
    }

    /// A valid access token: the stored one, or a new one when it ends within five minutes.
    /// One caller (of any server) renews it, holding the refresh lease; the others wait for
    /// its answer, up to `WAIT_FOR_RENEWAL`.
    async fn access_token(&self) -> Result<ProviderToken, Outcome> {
        for _ in 0..WAIT_FOR_RENEWAL.0 {
            let now = self.db.now();
            let token = self
                .db
                .provider_token(PROVIDER)
                .await
                .map_err(super::database_trouble)?
                .ok_or_else(|| Outcome::Retry {
                    answer: "chưa có mã làm mới của Zalo (MOTCUA_ZALO_REFRESH_TOKEN)".to_owned(),
                })?;
            if !token.access_token.is_empty() && token.expires_at > now + RENEW_BEFORE {
                return Ok(token);
            }
            if token.refreshing_until > now
                || !self
                    .db
                    .begin_token_refresh(PROVIDER, token.version, now, REFRESH_LEASE)
                    .await
                    .map_err(super::database_trouble)?
            {
                tokio::time::sleep(WAIT_FOR_RENEWAL.1).await;
                continue;
            }
            return self.renew(token, now + REFRESH_LEASE).await;
        }
        Err(Outcome::Retry {
            answer: "máy chủ khác đang làm mới mã truy cập Zalo".to_owned(),
        })
    }

    /// Spends the stored refresh token (the caller holds the lease until `lease_until`) and
    /// stores the new pair.
    async fn renew(
        &self,
        token: ProviderToken,
        lease_until: i64,
    ) -> Result<ProviderToken, Outcome> {
        match self.refresh(&token.refresh_token).await {
            Ok((access_token, refresh_token, lifetime)) => {
                let now = self.db.now();
                let stored = self
                    .db
                    .finish_token_refresh(
                        PROVIDER,
                        token.version,
                        lease_until,
                        &access_token,
                        &refresh_token,
                        now + lifetime,
                        now,
                    )
                    .await
                    .map_err(super::database_trouble)?;
                if !stored {
                    // The configured token was replaced meanwhile, or the lease ran out: the
                    // next try starts from what is stored.
                    tracing::error!("Zalo's renewed token could not be stored: renewal overtaken");
                    return Err(Outcome::Retry {
                        answer: "mã làm mới của Zalo vừa được thay".to_owned(),
                    });
                }
                tracing::info!("Zalo access token renewed");
                Ok(ProviderToken {
                    access_token,
                    refresh_token,
                    expires_at: now + lifetime,
                    refreshing_until: 0,
                    version: token.version + 1,
                })
            }
            Err(answer) => {
                if let Err(error) = self.db.abandon_token_refresh(PROVIDER, token.version).await {
                    tracing::error!(%error, "freeing Zalo's refresh lease failed");
                }
                // Zalo refusing its refresh token needs the operator: say so in the log.
                tracing::error!(reason = %answer, "renewing Zalo's access token failed");
                Err(Outcome::Retry { answer })
            }
        }
    }

    /// Spends `refresh_token`: the new access token, the next refresh token, and the access
    /// token's lifetime in seconds.
    async fn refresh(&self, refresh_token: &str) -> Result<(String, String, i64), String> {
        let response = self
            .client
            .post(&self.settings.oauth_endpoint)
            .header("secret_key", &self.settings.secret_key.0)
            .form(&[
                ("app_id", self.settings.app_id.as_str()),
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ])
            .send()
            .await
            .map_err(|error| {
                format!(
                    "không gọi được máy chủ cấp mã của Zalo: {}",
                    super::without_url(&error)
                )
            })?;
        let status = response.status();
        let answer: TokenAnswer = response.json().await.map_err(|_| {
            format!("máy chủ cấp mã của Zalo trả lời không đọc được (HTTP {status})")
        })?;
        let lifetime = answer.expires_in.as_ref().and_then(|value| match value {
            serde_json::Value::String(text) => text.parse::<i64>().ok(),
            serde_json::Value::Number(number) => number.as_i64(),
            _ => None,
        });
        match (answer.access_token, answer.refresh_token, lifetime) {
            (Some(access), Some(refresh), Some(lifetime))
                if !access.is_empty() && !refresh.is_empty() && lifetime > 0 =>
            {
                Ok((access, refresh, lifetime))
            }
            _ => Err(format!(
                "Zalo không làm mới mã truy cập (error {}: {}): cần cấp lại MOTCUA_ZALO_REFRESH_TOKEN",
                answer.error.unwrap_or_default(),
                answer.error_description.unwrap_or_default()
            )),
        }
    }
}
