//! SMS through eSMS's brandname API (developers.esms.vn: "Send OTP/Customer care message",
//! `SendMultipleMessage_V4_post_json`, and its table of error codes). The message's key goes in
//! `RequestId`, which eSMS refuses to take twice within 24 hours (code 124): a message retried
//! after a crash between sending and recording is therefore never sent twice.

use super::{NotifyError, SmsSettings};
use app::db::notifications::OutgoingMessage;
use app::domain::notifications::{Composed, Outcome, esms_outcome};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub(super) struct SmsChannel {
    client: reqwest::Client,
    settings: SmsSettings,
}

/// The request body, field for field as eSMS documents it (all strings).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendRequest<'a> {
    api_key: &'a str,
    secret_key: &'a str,
    phone: &'a str,
    content: &'a str,
    brandname: &'a str,
    /// 2: customer care (a message about the customer's own business with the sender).
    sms_type: &'static str,
    /// 0: without diacritics, so a message is one SMS of 160 characters.
    is_unicode: &'static str,
    sandbox: &'static str,
    request_id: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendAnswer {
    code_result: String,
    #[serde(default, rename = "SMSID")]
    sms_id: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

impl SmsChannel {
    pub(super) fn new(settings: &SmsSettings) -> Result<SmsChannel, NotifyError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| NotifyError::Http(e.to_string()))?;
        Ok(SmsChannel {
            client,
            settings: settings.clone(),
        })
    }

    pub(super) async fn send(&self, message: &OutgoingMessage, composed: &Composed) -> Outcome {
        let request = SendRequest {
            api_key: &self.settings.api_key.0,
            secret_key: &self.settings.secret_key.0,
            phone: &message.recipient,
            content: &composed.short,
            brandname: &self.settings.brandname,
            sms_type: "2",
            is_unicode: "0",
            sandbox: if self.settings.sandbox { "1" } else { "0" },
            request_id: &message.idempotency_key,
        };
        let response = match self
            .client
            .post(&self.settings.endpoint)
            .json(&request)
            .send()
            .await
        {
            Ok(response) => response,
            Err(error) => {
                return Outcome::Retry {
                    answer: format!("không gọi được dịch vụ SMS: {}", super::without_url(&error)),
                };
            }
        };
        let status = response.status();
        if !status.is_success() {
            let answer = format!("HTTP {status}");
            return if status.is_server_error() || status.as_u16() == 429 {
                Outcome::Retry { answer }
            } else {
                Outcome::GiveUp { answer }
            };
        }
        match response.json::<SendAnswer>().await {
            Ok(answer) => {
                let text = format!(
                    "CodeResult {}{}{}",
                    answer.code_result,
                    answer
                        .sms_id
                        .map(|id| format!(", SMSID {id}"))
                        .unwrap_or_default(),
                    answer
                        .error_message
                        .filter(|text| !text.is_empty())
                        .map(|text| format!(": {text}"))
                        .unwrap_or_default(),
                );
                esms_outcome(&answer.code_result, text)
            }
            Err(error) => Outcome::Retry {
                answer: format!("câu trả lời không đọc được: {}", super::without_url(&error)),
            },
        }
    }
}
