//! Configuration from the environment, and optionally from a `KEY=value` file named by
//! `MOTCUA_CONFIG` (the environment wins). A bad value stops start-up with one clear line.

use crate::connections::ConnectionLimits;
use crate::notify::NotifySettings;
use crate::storage::ObjectStorage;
use app::LookupLimit;
use app::domain::filing::{DraftQuota, UploadLimits};
use app::domain::working_time::{OfficeHours, WorkingRules};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    /// Where uploaded files are kept, or with object storage where they are received first.
    pub upload_dir: PathBuf,
    /// The S3-compatible object store files are kept in, shared by all app servers
    /// (`MOTCUA_STORAGE=s3://bucket/prefix`); `None` keeps them in `upload_dir`.
    pub storage: Option<ObjectStorage>,
    pub center_name: String,
    /// The receiving agency's electronic identifier (QCVN 102:2016/BTTTT), e.g. `000.00.12.H56`:
    /// the first part of every dossier code.
    pub agency_code: String,
    /// Procedures loaded into an empty catalogue at start-up; `None` leaves it empty.
    pub demo_data: Option<PathBuf>,
    pub popular_procedures: Vec<String>,
    pub upload_limits: UploadLimits,
    /// Room for the files of unfinished applications, per client address and in all.
    pub draft_quota: DraftQuota,
    /// Days a draft application is kept after its last save.
    pub draft_days: u32,
    /// The address citizens reach the site at (for the receipt's QR code), e.g.
    /// `https://motcua.xa-tanlap.gov.vn`; without it, the request's `Host` is used.
    pub public_url: Option<String>,
    /// Dossier lookups allowed per client address and window.
    pub lookup_limit: LookupLimit,
    /// Take the client address from `X-Forwarded-For` (only behind a load balancer that sets it).
    pub trusted_proxies: app::domain::rate_limit::TrustedProxies,
    /// Mark the staff session cookie `Secure` (when the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Connections open at once, in all and per client, and the time to send headers.
    pub connection_limits: ConnectionLimits,
    /// Office hours and the sectors' cut-offs that due moments are counted on.
    pub working: WorkingRules,
    /// How citizens are told of news (each channel off until set up).
    pub notifications: NotifySettings,
    /// The key the default center signs its electronic certified copies with; `None`: the
    /// counter cannot certify copies.
    pub signing: Option<SigningSettings>,
}

/// The centers' signing keys: `MOTCUA_SIGNING_P12` (a PKCS#12 file) with its password
/// `MOTCUA_SIGNING_P12_PASSWORD` for the default center; `MOTCUA_SIGNING_KEYS`, a folder of
/// other centers' keys (`{agency code}.p12`, its password in `{agency code}.password`); and the
/// roots the verification page trusts, `MOTCUA_SIGNING_TRUST` (a PEM file; without it, the root
/// at the end of each key's chain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSettings {
    pub p12: Option<PathBuf>,
    pub password: crate::notify::Secret,
    pub keys_dir: Option<PathBuf>,
    /// The default center's key on a PKCS#11 token instead of a file.
    pub pkcs11: Option<crate::signing::Pkcs11Settings>,
    pub trust: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cấu hình sai: {key}=\"{value}\": {reason}")]
    Invalid {
        key: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("không đọc được tệp cấu hình {path}: {reason}")]
    File { path: String, reason: String },
    #[error("tệp cấu hình {path}, dòng {line}: cần dạng KHÓA=giá trị")]
    FileSyntax { path: String, line: usize },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite:var/motcua.sqlite";
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";
const MEGABYTE: u64 = 1024 * 1024;
const DEFAULT_POPULAR: &str =
    "1.001193,1.000894,1.000656,2.000815,2.000884,1.004873,2.000635,dp-tro-cap-huu-tri-xa-hoi";

impl Config {
    /// Reads the process environment (and the file it names).
    pub fn from_env() -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let file = match env.get("MOTCUA_CONFIG") {
            Some(path) if !path.is_empty() => Some((
                path.clone(),
                std::fs::read_to_string(path).map_err(|e| ConfigError::File {
                    path: path.clone(),
                    reason: e.to_string(),
                })?,
            )),
            _ => None,
        };
        Config::from_sources(&env, file.as_ref().map(|(p, c)| (p.as_str(), c.as_str())))
    }

    /// Builds the configuration from environment variables and an optional file's contents.
    pub fn from_sources(
        env: &HashMap<String, String>,
        file: Option<(&str, &str)>,
    ) -> Result<Config, ConfigError> {
        let mut values = match file {
            Some((path, contents)) => parse_file(path, contents)?,
            None => HashMap::new(),
        };
        values.extend(env.iter().map(|(k, v)| (k.clone(), v.clone())));
        let get = |key: &str| values.get(key).map(|v| v.trim().to_owned());

        let bind_text = get("MOTCUA_BIND")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text.parse().map_err(|_| ConfigError::Invalid {
            key: "MOTCUA_BIND",
            value: bind_text.clone(),
            reason: "cần địa chỉ IP:cổng, ví dụ 127.0.0.1:3000",
        })?;

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if app::db::Backend::of_url(&database_url).is_err() {
            return Err(ConfigError::Invalid {
                key: "DATABASE_URL",
                value: database_url,
                reason: "cần sqlite:đường/dẫn.sqlite hoặc postgres://…",
            });
        }

        let upload_dir =
            PathBuf::from(get("MOTCUA_UPLOAD_DIR").unwrap_or_else(|| "var/uploads".to_owned()));
        let storage = object_storage(&get)?;
        let center_name = get("MOTCUA_CENTER_NAME")
            .unwrap_or_else(|| "Trung tâm Phục vụ hành chính công xã (bản chạy thử)".to_owned());
        if center_name.is_empty() || center_name.chars().count() > 200 {
            return Err(ConfigError::Invalid {
                key: "MOTCUA_CENTER_NAME",
                value: center_name,
                reason: "cần tên trung tâm, từ 1 đến 200 ký tự",
            });
        }
        let agency_code = get("MOTCUA_AGENCY_CODE").unwrap_or_else(|| "000.00.00.H00".to_owned());
        if app::domain::dossier::AgencyCode::parse(&agency_code).is_err() {
            return Err(ConfigError::Invalid {
                key: "MOTCUA_AGENCY_CODE",
                value: agency_code,
                reason: "cần mã định danh cơ quan dạng 000.00.12.H56",
            });
        }
        let demo_data = match get("MOTCUA_DEMO_DATA") {
            Some(path) if path.is_empty() => None,
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from("data/demo-procedures.json")),
        };
        let popular_procedures = get("MOTCUA_POPULAR")
            .unwrap_or_else(|| DEFAULT_POPULAR.to_owned())
            .split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect();
        let megabytes = |key: &'static str, default: u64| -> Result<u64, ConfigError> {
            match get(key) {
                None => Ok(default * MEGABYTE),
                Some(text) => text
                    .parse::<u64>()
                    .ok()
                    .filter(|mb| (1..=1024).contains(mb))
                    .map(|mb| mb * MEGABYTE)
                    .ok_or(ConfigError::Invalid {
                        key,
                        value: text,
                        reason: "cần số MB nguyên, từ 1 đến 1024",
                    }),
            }
        };
        let number =
            |key: &'static str, default: i64, max: i64, reason: &'static str| match get(key) {
                None => Ok(default),
                Some(text) => text
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or(ConfigError::Invalid {
                        key,
                        value: text,
                        reason,
                    }),
            };
        let count = |key: &'static str, default: i64, max: i64, reason: &'static str| {
            number(key, default, max, reason).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let upload_limits = UploadLimits {
            per_file: megabytes("MOTCUA_MAX_FILE_MB", 10)?,
            per_dossier: megabytes("MOTCUA_MAX_DOSSIER_MB", 30)?,
            files_per_document: count(
                "MOTCUA_MAX_FILES_PER_DOCUMENT",
                10,
                100,
                "cần số tệp, từ 1 đến 100",
            )?,
            files_per_dossier: count(
                "MOTCUA_MAX_FILES_PER_DOSSIER",
                40,
                500,
                "cần số tệp, từ 1 đến 500",
            )?,
        };
        let quota_megabytes = |key: &'static str, default: i64| {
            number(
                key,
                default,
                10_000_000,
                "cần số MB nguyên, từ 1 đến 10000000",
            )
            .map(|mb| mb as u64 * MEGABYTE)
        };
        let draft_quota = DraftQuota {
            per_address: quota_megabytes("MOTCUA_DRAFT_QUOTA_MB_PER_ADDRESS", 300)?,
            total: quota_megabytes("MOTCUA_DRAFT_QUOTA_MB", 10_000)?,
        };
        if upload_limits.per_file > upload_limits.per_dossier {
            return Err(ConfigError::Invalid {
                key: "MOTCUA_MAX_FILE_MB",
                value: (upload_limits.per_file / MEGABYTE).to_string(),
                reason: "không được lớn hơn MOTCUA_MAX_DOSSIER_MB",
            });
        }
        let draft_days = match get("MOTCUA_DRAFT_DAYS") {
            None => 30,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|days| (1..=365).contains(days))
                .ok_or(ConfigError::Invalid {
                    key: "MOTCUA_DRAFT_DAYS",
                    value: text,
                    reason: "cần số ngày, từ 1 đến 365",
                })?,
        };
        let public_url = match get("MOTCUA_PUBLIC_URL") {
            None => None,
            Some(url) if url.is_empty() => None,
            Some(url) => {
                if !is_web_address(&url, &['?', '#', ' ']) {
                    return Err(ConfigError::Invalid {
                        key: "MOTCUA_PUBLIC_URL",
                        value: url,
                        reason: "cần địa chỉ dạng https://ten-mien",
                    });
                }
                Some(url.trim_end_matches('/').to_owned())
            }
        };
        let lookup_limit = LookupLimit {
            hits: number(
                "MOTCUA_LOOKUP_LIMIT",
                30,
                100_000,
                "cần số lần, từ 1 đến 100000",
            )?,
            window_seconds: 60
                * number(
                    "MOTCUA_LOOKUP_WINDOW_MINUTES",
                    10,
                    1440,
                    "cần số phút, từ 1 đến 1440",
                )?,
        };
        let flag = |key: &'static str| match get(key).as_deref() {
            None | Some("" | "0" | "false") => Ok(false),
            Some("1" | "true") => Ok(true),
            Some(other) => Err(ConfigError::Invalid {
                key,
                value: other.to_owned(),
                reason: "cần true hoặc false",
            }),
        };
        if get("MOTCUA_TRUST_FORWARDED_FOR").is_some_and(|v| !v.is_empty()) {
            return Err(ConfigError::Invalid {
                key: "MOTCUA_TRUST_FORWARDED_FOR",
                value: get("MOTCUA_TRUST_FORWARDED_FOR").unwrap_or_default(),
                reason: "thay bằng MOTCUA_TRUSTED_PROXIES: địa chỉ các bộ cân bằng tải",
            });
        }
        let proxies_given = get("MOTCUA_TRUSTED_PROXIES").unwrap_or_default();
        let trusted_proxies = app::domain::rate_limit::TrustedProxies::parse(&proxies_given)
            .ok_or(ConfigError::Invalid {
                key: "MOTCUA_TRUSTED_PROXIES",
                value: proxies_given.clone(),
                reason: "cần địa chỉ IP hoặc mạng, cách nhau bởi dấu phẩy, ví dụ 10.0.0.5, 10.1.0.0/16",
            })?;
        // Served over HTTPS (its public address says so), cookies are Secure unless told not.
        let secure_cookies = match get("MOTCUA_SECURE_COOKIES") {
            None => public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
            Some(_) => flag("MOTCUA_SECURE_COOKIES")?,
        };
        let connection_limits = ConnectionLimits {
            total: number(
                "MOTCUA_MAX_CONNECTIONS",
                4096,
                1_000_000,
                "cần số kết nối, từ 1 đến 1000000",
            )? as usize,
            // Behind a load balancer every connection comes from it: no cap per client then.
            per_client: if !trusted_proxies.is_empty() {
                None
            } else {
                Some(number(
                    "MOTCUA_MAX_CONNECTIONS_PER_CLIENT",
                    64,
                    100_000,
                    "cần số kết nối, từ 1 đến 100000",
                )? as usize)
            },
            header_timeout: std::time::Duration::from_secs(number(
                "MOTCUA_HEADER_TIMEOUT_SECONDS",
                10,
                300,
                "cần số giây, từ 1 đến 300",
            )? as u64),
        };
        let mut working = WorkingRules::default();
        if let Some(text) = get("MOTCUA_OFFICE_HOURS") {
            working.hours = OfficeHours::parse(&text).ok_or(ConfigError::Invalid {
                key: "MOTCUA_OFFICE_HOURS",
                value: text,
                reason: "cần dạng 07:30-11:30,13:30-17:00 (sáng, chiều)",
            })?;
        }
        if let Some(text) = get("MOTCUA_CUT_OFFS") {
            working.cut_offs = WorkingRules::parse_cut_offs(&text).ok_or(ConfigError::Invalid {
                key: "MOTCUA_CUT_OFFS",
                value: text,
                reason: "cần dạng Chứng thực=15:00; Hộ tịch=16:00",
            })?;
        }
        let mut notifications = NotifySettings::read(&get)?;
        // Web push costs nothing: on wherever the site has a public address, unless turned off.
        // Its VAPID contact is `MOTCUA_PUSH_CONTACT` (mailto: or https:), else the site's
        // address when it is https (push services refuse others).
        let push_contact = match get("MOTCUA_PUSH_CONTACT").filter(|c| !c.is_empty()) {
            Some(contact) if contact.starts_with("mailto:") || contact.starts_with("https://") => {
                Some(contact)
            }
            Some(contact) => {
                return Err(ConfigError::Invalid {
                    key: "MOTCUA_PUSH_CONTACT",
                    value: contact,
                    reason: "cần mailto:địa-chỉ hoặc https://…",
                });
            }
            None => public_url.clone().filter(|url| url.starts_with("https://")),
        };
        if public_url.is_some()
            && let Some(contact) = push_contact
            && !matches!(get("MOTCUA_PUSH").as_deref(), Some("false" | "0"))
        {
            notifications.push = Some(crate::notify::PushSettings {
                subject: contact,
                hosts: get("MOTCUA_PUSH_HOSTS")
                    .filter(|hosts| !hosts.is_empty())
                    .map(|hosts| {
                        hosts
                            .split(',')
                            .map(|h| h.trim().to_ascii_lowercase())
                            .filter(|h| !h.is_empty())
                            .collect()
                    })
                    .unwrap_or_else(|| {
                        app::domain::notifications::PUSH_HOSTS
                            .iter()
                            .map(|h| h.to_string())
                            .collect()
                    }),
                public_key: None,
            });
        }
        if !notifications.channels().is_empty() && public_url.is_none() {
            return Err(ConfigError::Invalid {
                key: "MOTCUA_PUBLIC_URL",
                value: String::new(),
                reason: "cần khi gửi tin cho công dân: đường dẫn trong tin trỏ về đó",
            });
        }
        Ok(Config {
            bind,
            database_url,
            upload_dir,
            storage,
            center_name,
            agency_code,
            demo_data,
            popular_procedures,
            upload_limits,
            draft_quota,
            draft_days,
            public_url,
            lookup_limit,
            trusted_proxies,
            secure_cookies,
            connection_limits,
            working,
            notifications,
            signing: signing(&get)?,
        })
    }
}

fn signing(get: &impl Fn(&str) -> Option<String>) -> Result<Option<SigningSettings>, ConfigError> {
    let path = |key: &str| get(key).filter(|path| !path.is_empty()).map(PathBuf::from);
    let (p12, keys_dir) = (path("MOTCUA_SIGNING_P12"), path("MOTCUA_SIGNING_KEYS"));
    let pkcs11 = pkcs11(get)?;
    if p12.is_none() && keys_dir.is_none() && pkcs11.is_none() {
        return Ok(None);
    }
    if p12.is_some() && pkcs11.is_some() {
        return Err(ConfigError::Invalid {
            key: "MOTCUA_SIGNING_PKCS11_MODULE",
            value: String::new(),
            reason: "trung tâm mặc định chỉ có một khóa: tệp MOTCUA_SIGNING_P12 hoặc token PKCS#11",
        });
    }
    Ok(Some(SigningSettings {
        p12,
        password: crate::notify::Secret(get("MOTCUA_SIGNING_P12_PASSWORD").unwrap_or_default()),
        keys_dir,
        pkcs11,
        trust: path("MOTCUA_SIGNING_TRUST"),
    }))
}

/// The value of `key`, which a setting given needs: its absence is refused with `reason`.
fn required_value(
    get: &impl Fn(&str) -> Option<String>,
    key: &'static str,
    reason: &'static str,
) -> Result<String, ConfigError> {
    get(key)
        .filter(|value| !value.is_empty())
        .ok_or(ConfigError::Invalid {
            key,
            value: String::new(),
            reason,
        })
}

/// `MOTCUA_SIGNING_PKCS11_MODULE` with the token's label (`_TOKEN`), the key's label (`_KEY`),
/// the PIN (`_PIN`) and the certificate chain (`_CHAIN`, PEM): all or none.
fn pkcs11(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::signing::Pkcs11Settings>, ConfigError> {
    let Some(module) = get("MOTCUA_SIGNING_PKCS11_MODULE").filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    let required = |key| {
        required_value(
            get,
            key,
            "cần có khi dùng token PKCS#11 (MOTCUA_SIGNING_PKCS11_MODULE)",
        )
    };
    Ok(Some(crate::signing::Pkcs11Settings {
        module: PathBuf::from(module),
        token: required("MOTCUA_SIGNING_PKCS11_TOKEN")?,
        key: required("MOTCUA_SIGNING_PKCS11_KEY")?,
        pin: crate::notify::Secret(required("MOTCUA_SIGNING_PKCS11_PIN")?),
        chain: PathBuf::from(required("MOTCUA_SIGNING_PKCS11_CHAIN")?),
    }))
}

/// Whether `url` is `https://…` or `http://…` with something after the scheme and none of
/// `refused` in it.
fn is_web_address(url: &str, refused: &[char]) -> bool {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(refused))
}

/// `MOTCUA_STORAGE=s3://bucket/prefix` with the store's address and keys
/// (`MOTCUA_S3_ENDPOINT`, `MOTCUA_S3_REGION`, `MOTCUA_S3_ACCESS_KEY_ID`,
/// `MOTCUA_S3_SECRET_ACCESS_KEY`); unset or empty for the local folder.
fn object_storage(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<Option<ObjectStorage>, ConfigError> {
    let Some(address) = get("MOTCUA_STORAGE").filter(|a| !a.is_empty()) else {
        return Ok(None);
    };
    let (bucket, prefix) =
        ObjectStorage::parse_address(&address).ok_or_else(|| ConfigError::Invalid {
            key: "MOTCUA_STORAGE",
            value: address.clone(),
            reason: "cần s3://tên-bucket/tiền-tố (tên bucket viết thường, 3 đến 63 ký tự)",
        })?;
    let endpoint = match get("MOTCUA_S3_ENDPOINT").filter(|e| !e.is_empty()) {
        None => None,
        Some(endpoint) => {
            if !is_web_address(&endpoint, &['?', '#', ' ', '@']) {
                return Err(ConfigError::Invalid {
                    key: "MOTCUA_S3_ENDPOINT",
                    // A key written into the address stays out of the message.
                    value: if endpoint.contains('@') {
                        "…@…".to_owned()
                    } else {
                        endpoint
                    },
                    reason: "cần địa chỉ máy chủ lưu trữ dạng https://ten-mien:cổng",
                });
            }
            Some(endpoint.trim_end_matches('/').to_owned())
        }
    };
    let required = |key| required_value(get, key, "cần khi lưu tệp ở MOTCUA_STORAGE=s3://…");
    Ok(Some(ObjectStorage {
        bucket,
        prefix,
        endpoint,
        region: get("MOTCUA_S3_REGION")
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "us-east-1".to_owned()),
        access_key_id: required("MOTCUA_S3_ACCESS_KEY_ID")?,
        secret_access_key: crate::notify::Secret(required("MOTCUA_S3_SECRET_ACCESS_KEY")?),
    }))
}

/// `KEY=value` lines; blank lines and lines starting with `#` are ignored.
fn parse_file(path: &str, contents: &str) -> Result<HashMap<String, String>, ConfigError> {
    let mut values = HashMap::new();
    for (index, line) in contents.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(ConfigError::FileSyntax {
                path: path.to_owned(),
                line: index + 1,
            });
        };
        values.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_run_on_sqlite_with_demo_data() {
        let config = Config::from_sources(&env(&[]), None).unwrap();
        assert_eq!(config.bind, DEFAULT_BIND.parse().unwrap());
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(
            config.demo_data,
            Some(PathBuf::from("data/demo-procedures.json"))
        );
        assert_eq!(config.agency_code, "000.00.00.H00");
        assert!(!config.popular_procedures.is_empty());
        assert_eq!(config.upload_limits, UploadLimits::default());
        assert_eq!(config.draft_quota, DraftQuota::default());
        assert_eq!(config.draft_days, 30);
        assert_eq!(config.public_url, None);
        assert_eq!(
            config.lookup_limit,
            LookupLimit {
                hits: 30,
                window_seconds: 600
            }
        );
        assert!(config.trusted_proxies.is_empty());
        assert!(!config.secure_cookies);
        assert_eq!(config.working, WorkingRules::default());
        assert_eq!(
            config.connection_limits,
            ConnectionLimits {
                total: 4096,
                per_client: Some(64),
                header_timeout: std::time::Duration::from_secs(10),
            }
        );
    }

    #[test]
    fn signing_keys_come_from_the_default_file_a_folder_or_both() {
        let signing = |pairs: &[(&str, &str)]| {
            Config::from_sources(&env(pairs), None)
                .unwrap()
                .signing
                .map(|settings| (settings.p12, settings.keys_dir))
        };
        assert_eq!(signing(&[]), None);
        assert_eq!(signing(&[("MOTCUA_SIGNING_P12", "")]), None);
        assert_eq!(
            signing(&[("MOTCUA_SIGNING_KEYS", "/etc/motcua/keys")]),
            Some((None, Some(PathBuf::from("/etc/motcua/keys"))))
        );
        assert_eq!(
            signing(&[
                ("MOTCUA_SIGNING_P12", "xa.p12"),
                ("MOTCUA_SIGNING_KEYS", "keys")
            ]),
            Some((Some(PathBuf::from("xa.p12")), Some(PathBuf::from("keys"))))
        );
        let token = [
            (
                "MOTCUA_SIGNING_PKCS11_MODULE",
                "/usr/lib/softhsm/libsofthsm2.so",
            ),
            ("MOTCUA_SIGNING_PKCS11_TOKEN", "UBND xa"),
            ("MOTCUA_SIGNING_PKCS11_KEY", "ky-so"),
            ("MOTCUA_SIGNING_PKCS11_PIN", "654321"),
            ("MOTCUA_SIGNING_PKCS11_CHAIN", "chain.pem"),
        ];
        let settings = Config::from_sources(&env(&token), None)
            .unwrap()
            .signing
            .and_then(|settings| settings.pkcs11)
            .unwrap();
        assert_eq!(settings.token, "UBND xa");
        assert_eq!(settings.chain, PathBuf::from("chain.pem"));
        let refused = |pairs: &[(&str, &str)]| match Config::from_sources(&env(pairs), None) {
            Err(ConfigError::Invalid { key, .. }) => key,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused(&token[..4]), "MOTCUA_SIGNING_PKCS11_CHAIN");
        let both = [&token[..], &[("MOTCUA_SIGNING_P12", "xa.p12")]].concat();
        assert_eq!(refused(&both), "MOTCUA_SIGNING_PKCS11_MODULE");
    }

    #[test]
    fn web_push_needs_a_public_address_and_a_contact_push_services_take() {
        let push = |pairs: &[(&str, &str)]| {
            Config::from_sources(&env(pairs), None).map(|config| config.notifications.push)
        };
        assert_eq!(push(&[]).unwrap(), None, "no public address");
        let https = ("MOTCUA_PUBLIC_URL", "https://motcua.xa.gov.vn");
        let on = push(&[https]).unwrap().unwrap();
        assert_eq!(on.subject, "https://motcua.xa.gov.vn");
        assert!(on.hosts.iter().any(|h| h == "fcm.googleapis.com"));
        assert_eq!(push(&[https, ("MOTCUA_PUSH", "false")]).unwrap(), None);
        let http = ("MOTCUA_PUBLIC_URL", "http://127.0.0.1:3000");
        assert_eq!(
            push(&[http]).unwrap(),
            None,
            "an http address is no VAPID contact"
        );
        let contact = ("MOTCUA_PUSH_CONTACT", "mailto:motcua@xa.gov.vn");
        assert_eq!(
            push(&[http, contact]).unwrap().unwrap().subject,
            "mailto:motcua@xa.gov.vn"
        );
        assert!(push(&[http, ("MOTCUA_PUSH_CONTACT", "motcua@xa.gov.vn")]).is_err());
        let hosts = ("MOTCUA_PUSH_HOSTS", "Push.Example, ,");
        assert_eq!(
            push(&[https, hosts]).unwrap().unwrap().hosts,
            vec!["push.example"]
        );
    }

    #[test]
    fn object_storage_needs_an_s3_address_and_its_keys() {
        let storage = |pairs: &[(&str, &str)]| {
            Config::from_sources(&env(pairs), None).map(|config| config.storage)
        };
        assert_eq!(storage(&[]).unwrap(), None, "files stay in the folder");
        assert_eq!(storage(&[("MOTCUA_STORAGE", "")]).unwrap(), None);
        let address = ("MOTCUA_STORAGE", "s3://ho-so-tinh/motcua");
        let keys = [
            ("MOTCUA_S3_ACCESS_KEY_ID", "khoa"),
            ("MOTCUA_S3_SECRET_ACCESS_KEY", "bi-mat"),
        ];
        let endpoint = ("MOTCUA_S3_ENDPOINT", "http://10.0.0.9:8014/");
        let on = storage(&[address, keys[0], keys[1], endpoint])
            .unwrap()
            .unwrap();
        assert_eq!(on.bucket, "ho-so-tinh");
        assert_eq!(on.prefix, "motcua");
        assert_eq!(on.endpoint.as_deref(), Some("http://10.0.0.9:8014"));
        assert_eq!(on.region, "us-east-1");
        assert!(
            !format!("{on:?}").contains("bi-mat"),
            "the secret key never reaches a log"
        );
        let missing = storage(&[address, keys[0]]).unwrap_err();
        assert!(
            matches!(
                missing,
                ConfigError::Invalid {
                    key: "MOTCUA_S3_SECRET_ACCESS_KEY",
                    ..
                }
            ),
            "{missing}"
        );
        for (key, value) in [
            ("MOTCUA_STORAGE", "/var/motcua/tep"),
            ("MOTCUA_STORAGE", "s3://Ho_So"),
            ("MOTCUA_S3_ENDPOINT", "10.0.0.9:8014"),
            ("MOTCUA_S3_ENDPOINT", "https://khoa:bi-mat@kho.example"),
        ] {
            let refused = {
                let mut pairs = vec![address, keys[0], keys[1]];
                pairs.retain(|(k, _)| *k != key);
                pairs.push((key, value));
                storage(&pairs).unwrap_err().to_string()
            };
            assert!(!refused.contains("bi-mat"), "{refused}");
            let mut pairs = vec![address, keys[0], keys[1]];
            pairs.retain(|(k, _)| *k != key);
            pairs.push((key, value));
            assert!(
                matches!(storage(&pairs), Err(ConfigError::Invalid { key: k, .. }) if k == key),
                "{key}={value}"
            );
        }
    }

    #[test]
    fn an_https_public_address_makes_cookies_secure_unless_told_not() {
        let https = ("MOTCUA_PUBLIC_URL", "https://motcua.example.vn");
        let secure = |pairs: &[(&str, &str)]| {
            Config::from_sources(&env(pairs), None)
                .unwrap()
                .secure_cookies
        };
        assert!(secure(&[https]));
        assert!(!secure(&[("MOTCUA_PUBLIC_URL", "http://10.0.0.5:3000")]));
        assert!(!secure(&[https, ("MOTCUA_SECURE_COOKIES", "false")]));
        assert!(secure(&[("MOTCUA_SECURE_COOKIES", "true")]));
    }

    #[test]
    fn upload_limits_draft_days_and_public_url() {
        let config = Config::from_sources(
            &env(&[
                ("MOTCUA_MAX_FILE_MB", "5"),
                ("MOTCUA_MAX_DOSSIER_MB", "20"),
                ("MOTCUA_DRAFT_DAYS", "7"),
                ("MOTCUA_PUBLIC_URL", "https://motcua.example.vn/"),
                ("MOTCUA_MAX_FILES_PER_DOCUMENT", "3"),
                ("MOTCUA_MAX_FILES_PER_DOSSIER", "12"),
                ("MOTCUA_DRAFT_QUOTA_MB_PER_ADDRESS", "50"),
                ("MOTCUA_DRAFT_QUOTA_MB", "2000"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(config.upload_limits.per_file, 5 * 1024 * 1024);
        assert_eq!(config.upload_limits.per_dossier, 20 * 1024 * 1024);
        assert_eq!(config.upload_limits.files_per_document, 3);
        assert_eq!(config.upload_limits.files_per_dossier, 12);
        assert_eq!(config.draft_quota.per_address, 50 * 1024 * 1024);
        assert_eq!(config.draft_quota.total, 2000 * 1024 * 1024);
        assert_eq!(config.draft_days, 7);
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://motcua.example.vn")
        );
        for (key, value) in [
            ("MOTCUA_MAX_FILE_MB", "0"),
            ("MOTCUA_MAX_FILE_MB", "40"),
            ("MOTCUA_MAX_DOSSIER_MB", "ten"),
            ("MOTCUA_DRAFT_DAYS", "0"),
            ("MOTCUA_PUBLIC_URL", "motcua.example.vn"),
            ("MOTCUA_LOOKUP_LIMIT", "0"),
            ("MOTCUA_LOOKUP_WINDOW_MINUTES", "x"),
            ("MOTCUA_TRUST_FORWARDED_FOR", "true"),
            ("MOTCUA_TRUSTED_PROXIES", "balancer.xa.gov.vn"),
            ("MOTCUA_MAX_FILES_PER_DOCUMENT", "0"),
            ("MOTCUA_MAX_FILES_PER_DOSSIER", "many"),
            ("MOTCUA_DRAFT_QUOTA_MB", "-5"),
            ("MOTCUA_MAX_CONNECTIONS", "0"),
            ("MOTCUA_HEADER_TIMEOUT_SECONDS", "3600"),
            ("MOTCUA_OFFICE_HOURS", "7h30-17h"),
            ("MOTCUA_CUT_OFFS", "Chứng thực=3 giờ chiều"),
        ] {
            let error = Config::from_sources(&env(&[(key, value)]), None).unwrap_err();
            assert!(error.to_string().contains(key), "{key}={value}: {error}");
        }
    }

    #[test]
    fn environment_overrides_file_and_cargo_leptos_address() {
        let file =
            "# comment\nMOTCUA_CENTER_NAME = Trung tâm xã A\nMOTCUA_AGENCY_CODE=000.00.12.H56\n\n";
        let config = Config::from_sources(
            &env(&[
                ("MOTCUA_CENTER_NAME", "Trung tâm xã B"),
                ("LEPTOS_SITE_ADDR", "127.0.0.1:3005"),
                ("MOTCUA_DEMO_DATA", ""),
                ("MOTCUA_POPULAR", " 1.001193 , ,2.000815"),
            ]),
            Some(("motcua.env", file)),
        )
        .unwrap();
        assert_eq!(config.center_name, "Trung tâm xã B");
        assert_eq!(config.agency_code, "000.00.12.H56");
        assert_eq!(config.bind, "127.0.0.1:3005".parse().unwrap());
        assert_eq!(config.demo_data, None);
        assert_eq!(config.popular_procedures, vec!["1.001193", "2.000815"]);
    }

    #[test]
    fn bad_values_give_one_clear_line() {
        let error = Config::from_sources(&env(&[("MOTCUA_BIND", "localhost")]), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cấu hình sai: MOTCUA_BIND=\"localhost\": cần địa chỉ IP:cổng, ví dụ 127.0.0.1:3000"
        );
        let error = Config::from_sources(&env(&[("DATABASE_URL", "mysql://x")]), None).unwrap_err();
        assert!(error.to_string().starts_with("cấu hình sai: DATABASE_URL="));
        let error = Config::from_sources(&env(&[("MOTCUA_AGENCY_CODE", "H56")]), None).unwrap_err();
        assert!(error.to_string().contains("MOTCUA_AGENCY_CODE"));
        let error = Config::from_sources(&env(&[]), Some(("x.env", "oops"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "tệp cấu hình x.env, dòng 1: cần dạng KHÓA=giá trị"
        );
    }
}
