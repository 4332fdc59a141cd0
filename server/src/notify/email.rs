//! Email over SMTP (lettre): plain text with an HTML alternative, in the citizen's language.
//! SMTP has no idempotency key: a worker that dies after the server took a message but before
//! recording it sends it again when the lease runs out (docs/notifications.md). The Message-ID
//! is the message's key, so a mail client shows such a repeat as the same message.

use super::{EmailSettings, NotifyError, SmtpSecurity};
use app::db::notifications::OutgoingMessage;
use app::domain::notifications::{Composed, Outcome};
use app::i18n::Lang;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub(super) struct EmailChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl EmailChannel {
    pub(super) fn new(settings: &EmailSettings) -> Result<EmailChannel, NotifyError> {
        let tls = match settings.security {
            SmtpSecurity::None => Tls::None,
            security => {
                let mut parameters = TlsParameters::builder(settings.host.clone());
                if let Some(path) = &settings.ca_file {
                    let certificate_error = |reason: String| NotifyError::Certificate {
                        path: path.display().to_string(),
                        reason,
                    };
                    let pem = std::fs::read(path).map_err(|e| certificate_error(e.to_string()))?;
                    let certificate = Certificate::from_pem(&pem)
                        .map_err(|e| certificate_error(e.to_string()))?;
                    parameters = parameters.add_root_certificate(certificate);
                }
                let parameters = parameters
                    .build_rustls()
                    .map_err(|e| NotifyError::Smtp(e.to_string()))?;
                match security {
                    SmtpSecurity::Tls => Tls::Wrapper(parameters),
                    _ => Tls::Required(parameters),
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        let from = settings
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| NotifyError::Smtp(e.to_string()))?;
        Ok(EmailChannel {
            transport: builder.build(),
            from,
        })
    }

    pub(super) async fn send(&self, message: &OutgoingMessage, composed: &Composed) -> Outcome {
        self.send_to(
            &message.recipient,
            &message.idempotency_key,
            message.language,
            composed,
        )
        .await
    }

    /// Sends `composed` to `recipient`; `key` makes the Message-ID.
    pub(super) async fn send_to(
        &self,
        recipient: &str,
        key: &str,
        language: Lang,
        composed: &Composed,
    ) -> Outcome {
        let to: Mailbox = match recipient.parse() {
            Ok(to) => to,
            Err(error) => {
                return Outcome::GiveUp {
                    answer: format!("địa chỉ thư không dùng được: {error}"),
                };
            }
        };
        let domain = self.from.email.domain().to_owned();
        let html = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
            language.code(),
            composed.html
        );
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject.clone())
            .message_id(Some(format!("<{key}@{domain}>")))
            .multipart(MultiPart::alternative_plain_html(
                composed.text.clone(),
                html,
            ));
        let email = match email {
            Ok(email) => email,
            Err(error) => {
                return Outcome::GiveUp {
                    answer: format!("không tạo được thư: {error}"),
                };
            }
        };
        match self.transport.send(email).await {
            Ok(response) => Outcome::Delivered {
                answer: format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                ),
            },
            Err(error) if error.is_permanent() => Outcome::GiveUp {
                answer: error.to_string(),
            },
            Err(error) => Outcome::Retry {
                answer: error.to_string(),
            },
        }
    }
}
