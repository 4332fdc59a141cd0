//! The notification settings: each channel is off until its settings are given.

use crate::config::ConfigError;
use app::domain::notifications::{Channel, NoticeKind, RetryPolicy};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// A password or key: kept out of `Debug` output, so it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub email: Option<EmailSettings>,
    pub sms: Option<SmsSettings>,
    pub zalo: Option<ZaloSettings>,
    /// Web push: on wherever the site has a public address (links and the VAPID contact).
    pub push: Option<PushSettings>,
    /// How often the worker looks for due messages.
    pub poll: Duration,
    /// How long a worker holds a message it took: longer than any provider's timeout, so a
    /// slow answer is never overtaken by another worker's retry.
    pub lease: Duration,
    pub retry: RetryPolicy,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            email: None,
            sms: None,
            zalo: None,
            push: None,
            poll: Duration::from_secs(1),
            lease: Duration::from_secs(120),
            retry: RetryPolicy::default(),
        }
    }
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a mail server on this machine.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// `Trung tâm … <motcua@xa.gov.vn>`.
    pub from: String,
    /// A certificate (PEM) trusted besides the public roots: a center's own mail server.
    pub ca_file: Option<PathBuf>,
}

/// Web push settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSettings {
    /// The VAPID contact push services may write to: the site's public address.
    pub subject: String,
    /// The push services the server posts to (`MOTCUA_PUSH_HOSTS`).
    pub hosts: Vec<String>,
    /// The server's VAPID public key, once start-up has read (or made) it.
    pub public_key: Option<String>,
}

/// eSMS's brandname SMS (developers.esms.vn, SendMultipleMessage_V4_post_json).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsSettings {
    pub endpoint: String,
    pub api_key: Secret,
    pub secret_key: Secret,
    pub brandname: String,
    /// eSMS's test mode: checked and answered, not delivered, not charged.
    pub sandbox: bool,
}

/// Zalo ZNS (developers.zalo.me, "Gửi ZNS" and "Lấy Access Token từ Refresh Token").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZaloSettings {
    pub endpoint: String,
    pub oauth_endpoint: String,
    pub app_id: String,
    pub secret_key: Secret,
    /// The refresh token of the Official Account's authorisation: the first of the chain the
    /// servers keep in the database.
    pub refresh_token: Secret,
    /// The template registered with Zalo for each kind of message; a kind without one is not
    /// sent by Zalo (given up, with the reason, for staff to see).
    pub templates: BTreeMap<NoticeKind, String>,
    /// ZNS's development mode: sent only to the application's testers, not charged.
    pub development: bool,
}

pub const ZNS_ENDPOINT: &str = "https://business.openapi.zalo.me/message/template";
pub const ZALO_OAUTH_ENDPOINT: &str = "https://oauth.zaloapp.com/v4/oa/access_token";

pub const ESMS_ENDPOINT: &str =
    "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/";

impl NotifySettings {
    /// The channels set up, in the order the filing form offers them.
    pub fn channels(&self) -> Vec<Channel> {
        let mut channels = Vec::new();
        if self.email.is_some() {
            channels.push(Channel::Email);
        }
        if self.sms.is_some() {
            channels.push(Channel::Sms);
        }
        if self.zalo.is_some() {
            channels.push(Channel::Zalo);
        }
        channels
    }

    /// Reads the `MOTCUA_SMTP_*`, `MOTCUA_SMS_*`, `MOTCUA_ZALO_*` and `MOTCUA_NOTIFY_*`
    /// settings.
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> Result<NotifySettings, ConfigError> {
        let invalid = |key: &'static str, value: String, reason: &'static str| {
            ConfigError::Invalid { key, value, reason }
        };
        let given = |key: &str| get(key).filter(|value| !value.is_empty());
        let email = match given("MOTCUA_SMTP_HOST") {
            None => None,
            Some(host) => {
                let security = match given("MOTCUA_SMTP_SECURITY").as_deref() {
                    None | Some("starttls") => SmtpSecurity::StartTls,
                    Some("tls") => SmtpSecurity::Tls,
                    Some("none") => SmtpSecurity::None,
                    Some(other) => {
                        return Err(invalid(
                            "MOTCUA_SMTP_SECURITY",
                            other.to_owned(),
                            "cần starttls, tls hoặc none",
                        ));
                    }
                };
                if security == SmtpSecurity::None
                    && !matches!(host.as_str(), "127.0.0.1" | "::1" | "localhost")
                {
                    return Err(invalid(
                        "MOTCUA_SMTP_SECURITY",
                        "none".to_owned(),
                        "chỉ gửi thư không mã hoá đến máy chủ thư trên chính máy này",
                    ));
                }
                let default_port = match security {
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::None => 25,
                };
                let port = match given("MOTCUA_SMTP_PORT") {
                    None => default_port,
                    Some(text) => {
                        text.parse::<u16>()
                            .ok()
                            .filter(|port| *port > 0)
                            .ok_or(invalid(
                                "MOTCUA_SMTP_PORT",
                                text,
                                "cần số cổng, từ 1 đến 65535",
                            ))?
                    }
                };
                let from = given("MOTCUA_SMTP_FROM").ok_or(invalid(
                    "MOTCUA_SMTP_FROM",
                    String::new(),
                    "cần địa chỉ gửi, ví dụ Trung tâm xã <motcua@xa.gov.vn>",
                ))?;
                if from.parse::<lettre::message::Mailbox>().is_err() {
                    return Err(invalid(
                        "MOTCUA_SMTP_FROM",
                        from,
                        "cần địa chỉ gửi, ví dụ Trung tâm xã <motcua@xa.gov.vn>",
                    ));
                }
                Some(EmailSettings {
                    host,
                    port,
                    security,
                    user: given("MOTCUA_SMTP_USER"),
                    password: given("MOTCUA_SMTP_PASSWORD").map(Secret),
                    from,
                    ca_file: given("MOTCUA_SMTP_CA_FILE").map(PathBuf::from),
                })
            }
        };
        let sms = match given("MOTCUA_SMS_API_KEY") {
            None => None,
            Some(api_key) => {
                let required = |key: &'static str| {
                    given(key).ok_or(invalid(key, String::new(), "cần khi có MOTCUA_SMS_API_KEY"))
                };
                let endpoint = given("MOTCUA_SMS_URL").unwrap_or_else(|| ESMS_ENDPOINT.to_owned());
                if !(endpoint.starts_with("https://") || on_loopback(&endpoint)) {
                    return Err(invalid(
                        "MOTCUA_SMS_URL",
                        endpoint,
                        "cần địa chỉ https:// của dịch vụ SMS",
                    ));
                }
                Some(SmsSettings {
                    endpoint,
                    api_key: Secret(api_key),
                    secret_key: Secret(required("MOTCUA_SMS_SECRET_KEY")?),
                    brandname: required("MOTCUA_SMS_BRANDNAME")?,
                    sandbox: matches!(given("MOTCUA_SMS_SANDBOX").as_deref(), Some("1" | "true")),
                })
            }
        };
        let web_address = |key: &'static str, default: &str| match given(key) {
            None => Ok(default.to_owned()),
            Some(url) if url.starts_with("https://") || on_loopback(&url) => Ok(url),
            Some(url) => Err(invalid(key, url, "cần địa chỉ https://")),
        };
        let zalo = match given("MOTCUA_ZALO_APP_ID") {
            None => None,
            Some(app_id) => {
                let required = |key: &'static str| {
                    given(key).ok_or(invalid(key, String::new(), "cần khi có MOTCUA_ZALO_APP_ID"))
                };
                let listed = required("MOTCUA_ZALO_TEMPLATES")?;
                let templates = zns_templates(&listed).ok_or(invalid(
                    "MOTCUA_ZALO_TEMPLATES",
                    listed,
                    "cần dạng loại=mã mẫu, cách nhau bởi dấu phẩy, ví dụ accepted=231001,result-ready=231002",
                ))?;
                Some(ZaloSettings {
                    endpoint: web_address("MOTCUA_ZALO_URL", ZNS_ENDPOINT)?,
                    oauth_endpoint: web_address("MOTCUA_ZALO_OAUTH_URL", ZALO_OAUTH_ENDPOINT)?,
                    app_id,
                    secret_key: Secret(required("MOTCUA_ZALO_SECRET_KEY")?),
                    refresh_token: Secret(required("MOTCUA_ZALO_REFRESH_TOKEN")?),
                    templates,
                    development: matches!(
                        given("MOTCUA_ZALO_DEVELOPMENT").as_deref(),
                        Some("1" | "true")
                    ),
                })
            }
        };
        let poll = match given("MOTCUA_NOTIFY_POLL_MS") {
            None => Duration::from_secs(1),
            Some(text) => Duration::from_millis(
                text.parse::<u64>()
                    .ok()
                    .filter(|ms| (10..=60_000).contains(ms))
                    .ok_or(invalid(
                        "MOTCUA_NOTIFY_POLL_MS",
                        text,
                        "cần số mili giây, từ 10 đến 60000",
                    ))?,
            ),
        };
        let lease = match given("MOTCUA_NOTIFY_LEASE_SECONDS") {
            None => Duration::from_secs(120),
            Some(text) => Duration::from_secs(
                text.parse::<u64>()
                    .ok()
                    .filter(|seconds| (1..=3600).contains(seconds))
                    .ok_or(invalid(
                        "MOTCUA_NOTIFY_LEASE_SECONDS",
                        text,
                        "cần số giây, từ 1 đến 3600",
                    ))?,
            ),
        };
        Ok(NotifySettings {
            email,
            sms,
            zalo,
            push: None,
            poll,
            lease,
            retry: RetryPolicy::default(),
        })
    }
}

/// `http://127.0.0.1`, with a port or a path or neither: a test server on this machine (the
/// host read whole, so `http://127.0.0.1.example.vn` is not one).
fn on_loopback(url: &str) -> bool {
    url.strip_prefix("http://127.0.0.1")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
}

/// `accepted=231001,result-ready=231002`: each kind (`NoticeKind::key`) once, with the
/// numeric id Zalo gave its template.
fn zns_templates(listed: &str) -> Option<BTreeMap<NoticeKind, String>> {
    let mut templates = BTreeMap::new();
    for pair in listed
        .split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let (kind, id) = pair.split_once('=')?;
        let kind = NoticeKind::from_key(kind.trim())?;
        let id = id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if templates.insert(kind, id.to_owned()).is_some() {
            return None;
        }
    }
    (!templates.is_empty()).then_some(templates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<NotifySettings, ConfigError> {
        let values: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        NotifySettings::read(&|key| values.get(key).cloned())
    }

    #[test]
    fn channels_are_off_until_set_up() {
        let settings = read(&[]).unwrap();
        assert_eq!(settings.channels(), vec![]);
        let settings = read(&[
            ("MOTCUA_SMTP_HOST", "mail.xa.gov.vn"),
            ("MOTCUA_SMTP_FROM", "Trung tâm <motcua@xa.gov.vn>"),
            ("MOTCUA_SMS_API_KEY", "k"),
            ("MOTCUA_SMS_SECRET_KEY", "s"),
            ("MOTCUA_SMS_BRANDNAME", "XA-TANLAP"),
        ])
        .unwrap();
        assert_eq!(settings.channels(), vec![Channel::Email, Channel::Sms]);
        let email = settings.email.unwrap();
        assert_eq!((email.port, email.security), (587, SmtpSecurity::StartTls));
        assert_eq!(settings.sms.unwrap().endpoint, ESMS_ENDPOINT);
    }

    #[test]
    fn unencrypted_mail_only_goes_to_this_machine() {
        let refused = read(&[
            ("MOTCUA_SMTP_HOST", "mail.xa.gov.vn"),
            ("MOTCUA_SMTP_SECURITY", "none"),
            ("MOTCUA_SMTP_FROM", "motcua@xa.gov.vn"),
        ]);
        assert!(matches!(
            refused,
            Err(ConfigError::Invalid {
                key: "MOTCUA_SMTP_SECURITY",
                ..
            })
        ));
        assert!(
            read(&[
                ("MOTCUA_SMTP_HOST", "127.0.0.1"),
                ("MOTCUA_SMTP_SECURITY", "none"),
                ("MOTCUA_SMTP_FROM", "motcua@xa.gov.vn"),
            ])
            .is_ok()
        );
    }

    #[test]
    fn half_set_up_channels_are_refused() {
        assert!(matches!(
            read(&[("MOTCUA_SMTP_HOST", "mail.xa.gov.vn")]),
            Err(ConfigError::Invalid {
                key: "MOTCUA_SMTP_FROM",
                ..
            })
        ));
        assert!(matches!(
            read(&[("MOTCUA_SMS_API_KEY", "k"), ("MOTCUA_SMS_SECRET_KEY", "s")]),
            Err(ConfigError::Invalid {
                key: "MOTCUA_SMS_BRANDNAME",
                ..
            })
        ));
        assert!(matches!(
            read(&[
                ("MOTCUA_SMS_API_KEY", "k"),
                ("MOTCUA_SMS_SECRET_KEY", "s"),
                ("MOTCUA_SMS_BRANDNAME", "B"),
                ("MOTCUA_SMS_URL", "http://sms.example.vn/"),
            ]),
            Err(ConfigError::Invalid {
                key: "MOTCUA_SMS_URL",
                ..
            })
        ));
    }

    #[test]
    fn zalo_needs_its_keys_and_a_template_per_kind_it_sends() {
        let settings = read(&[
            ("MOTCUA_ZALO_APP_ID", "4291763606161179100"),
            ("MOTCUA_ZALO_SECRET_KEY", "s"),
            ("MOTCUA_ZALO_REFRESH_TOKEN", "r"),
            (
                "MOTCUA_ZALO_TEMPLATES",
                "accepted=231001, result-ready=231002",
            ),
        ])
        .unwrap();
        assert_eq!(settings.channels(), vec![Channel::Zalo]);
        let zalo = settings.zalo.unwrap();
        assert_eq!(zalo.endpoint, ZNS_ENDPOINT);
        assert_eq!(zalo.templates[&NoticeKind::ResultReady], "231002");
        assert!(!zalo.templates.contains_key(&NoticeKind::Received));
        for templates in [
            "accepted",
            "accepted=abc",
            "arrived=1",
            "accepted=1,accepted=2",
            "",
        ] {
            let refused = read(&[
                ("MOTCUA_ZALO_APP_ID", "1"),
                ("MOTCUA_ZALO_SECRET_KEY", "s"),
                ("MOTCUA_ZALO_REFRESH_TOKEN", "r"),
                ("MOTCUA_ZALO_TEMPLATES", templates),
            ]);
            assert!(
                matches!(
                    refused,
                    Err(ConfigError::Invalid {
                        key: "MOTCUA_ZALO_TEMPLATES",
                        ..
                    })
                ),
                "{templates}"
            );
        }
        assert!(matches!(
            read(&[
                ("MOTCUA_ZALO_APP_ID", "1"),
                ("MOTCUA_ZALO_SECRET_KEY", "s"),
                ("MOTCUA_ZALO_TEMPLATES", "accepted=1"),
            ]),
            Err(ConfigError::Invalid {
                key: "MOTCUA_ZALO_REFRESH_TOKEN",
                ..
            })
        ));
    }

    #[test]
    fn only_this_machine_may_be_called_without_tls() {
        assert!(on_loopback("http://127.0.0.1:8080/zns"));
        assert!(on_loopback("http://127.0.0.1/"));
        assert!(!on_loopback("http://127.0.0.1.example.vn/"));
        assert!(!on_loopback("http://10.0.0.1/"));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let settings = read(&[
            ("MOTCUA_SMS_API_KEY", "the-api-key"),
            ("MOTCUA_SMS_SECRET_KEY", "the-secret"),
            ("MOTCUA_SMS_BRANDNAME", "B"),
        ])
        .unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("the-api-key") && !shown.contains("the-secret"));
    }
}
