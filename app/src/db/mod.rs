//! All database access, for SQLite (the default, one file) and PostgreSQL alike.
//!
//! One SQL text serves both back ends through sqlx's `Any` driver: placeholders are written
//! `$1, $2, …`, which both accept, and only portable types (TEXT, BIGINT) cross the boundary.
//! One set of migrations serves both (`schema`): where their DDL differs, a file holds both.

pub mod back_office;
pub mod backup;
pub mod calendar;
pub mod catalogue;
pub mod centers;
pub mod certification;
pub mod connections;
pub mod demo;
pub mod filing;
pub mod intake;
pub mod notifications;
pub mod often_wrong;
pub mod papers;
pub mod schema;
pub mod statistics;
pub mod tracking;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

pub use connections::Connections;

use crate::domain::filing::ResultDelivery;
use crate::domain::lifecycle::Status;
use crate::domain::procedure::ChannelKind;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL phải bắt đầu bằng sqlite: hoặc postgres:// (đang là \"{0}\")")]
    UnsupportedUrl(String),
    #[error("không tạo được thư mục cho cơ sở dữ liệu {path}: {source}")]
    CreateDirectory {
        path: String,
        source: std::io::Error,
    },
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("lỗi cập nhật lược đồ cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("dữ liệu trong cơ sở dữ liệu bị hỏng: {0}")]
    Corrupt(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// The shared database: cheap to clone (handles to its connections).
#[derive(Clone, Debug)]
pub struct Database {
    writers: Connections,
    /// Connections for statements that only read (`Database::reader`).
    readers: Connections,
    backend: Backend,
    clock: Clock,
    search: Arc<catalogue::SearchCache>,
    /// The procedures this center files most (its "thủ tục thường làm"): search ranks them
    /// first among equals.
    common_procedures: Arc<[String]>,
    /// Procedure versions read for dossiers (a version never changes once written).
    versions: Arc<filing::VersionCache>,
    /// The calendar pages show due dates with (`calendar::CalendarCache`).
    calendar: Arc<calendar::CalendarCache>,
    /// The centers pages name (`centers::CenterCache`).
    centers: Arc<centers::CenterCache>,
    /// Rung after a commit that may have written to the notification outbox.
    outbox: Arc<tokio::sync::Notify>,
}

/// Where the server's "now" comes from: the system's clock, or a clock moved by hand, so that
/// a test can place requests in a rate-limit window without waiting for it.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// A clock that stands at `at` (Unix seconds) until it is set or moved.
    pub fn manual(at: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(at))))
    }

    pub fn now(&self) -> i64 {
        self.0
            .as_ref()
            .map_or_else(unix_now, |at| at.load(Ordering::SeqCst))
    }

    /// Moves a manual clock on by `seconds`; the system's clock cannot be moved.
    pub fn advance(&self, seconds: i64) {
        if let Some(at) = &self.0 {
            at.fetch_add(seconds, Ordering::SeqCst);
        }
    }
}

impl Database {
    /// Now, in Unix seconds, by this database's clock (the system's unless a test set one).
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The same database read with `clock`.
    pub fn with_clock(self, clock: Clock) -> Database {
        Database { clock, ..self }
    }

    /// The same database, its search favouring the center's common procedures.
    pub fn with_common_procedures(self, codes: &[String]) -> Database {
        Database {
            common_procedures: Arc::from(codes),
            ..self
        }
    }

    /// Connects, creating the SQLite file (and its folder) when missing. SQLite runs in WAL mode
    /// so readers never wait for the writer, with a busy timeout so writers queue instead of failing.
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_folder(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let (writers, readers) = match backend {
            Backend::Sqlite => {
                let writers = sqlite_connections(&options, false).await?;
                // An in-memory database is private to its connection.
                let readers = match sqlite_file(&url) {
                    Some(_) => sqlite_connections(&options, true).await?,
                    None => writers.clone(),
                };
                (writers, readers)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                (Connections::Pool(pool.clone()), Connections::Pool(pool))
            }
        };
        Ok(Database {
            writers,
            readers,
            backend,
            clock: Clock::default(),
            search: Arc::default(),
            common_procedures: Arc::from([]),
            versions: Arc::default(),
            calendar: Arc::default(),
            centers: Arc::default(),
            outbox: Arc::default(),
        })
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        let mut connection = self.writers.acquire().await?;
        sqlx::migrate::Migrator::new(schema::Schema(self.backend))
            .await?
            .run(&mut *connection)
            .await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connections that write. On SQLite there is one: a statement sent through it while a
    /// transaction of it is open waits for that transaction, so inside one, use the transaction.
    pub fn writer(&self) -> &Connections {
        &self.writers
    }

    /// The connections for statements that only read, outside a transaction that writes. On
    /// SQLite these are connections of their own, which may not write (`sqlite_connections`):
    /// reads never wait for the one writer connection, which writers queue for. On PostgreSQL
    /// it is the one pool.
    pub fn reader(&self) -> &Connections {
        &self.readers
    }

    pub async fn close(&self) {
        self.readers.close().await;
        self.writers.close().await;
    }
}

/// Connections to the SQLite database `options` names, in WAL mode, held for good
/// (`connections`).
/// - Writers (`read_only` false) get one connection. SQLite lets one connection write at a time;
///   with eight, the others waited in SQLite's busy handler, which sleeps and polls (1, 2, 5, …
///   100 ms), so a freed lock could sit unused while every waiter slept. In our queue they take
///   their turn as soon as the connection is back (the busy timeout stays for other processes,
///   such as `server backup`).
/// - Readers get eight, which may not write (`query_only`): WAL lets them read while the
///   writer writes.
async fn sqlite_connections(
    options: &AnyConnectOptions,
    read_only: bool,
) -> Result<Connections, DbError> {
    let setup = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";
    if read_only {
        Connections::hold(options, 8, &format!("{setup} PRAGMA query_only = ON;")).await
    } else {
        Connections::hold(options, 1, setup).await
    }
}

/// The path and the query of a `sqlite:` URL (`sqlite:var/motcua.sqlite`,
/// `sqlite:///tmp/m.sqlite?mode=rwc`).
fn sqlite_path_and_query(url: &str) -> (&str, &str) {
    let without_scheme = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    without_scheme
        .split_once('?')
        .unwrap_or((without_scheme, ""))
}

/// The file a `sqlite:` URL names; `None` for another database or an in-memory one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let (path, _) = sqlite_path_and_query(url);
    (url.starts_with("sqlite:") && path != ":memory:" && !path.is_empty())
        .then(|| std::path::PathBuf::from(path))
}

/// `sqlite:var/motcua.sqlite` → the same URL with `mode=rwc` (create if missing), after making
/// sure the folder exists.
fn sqlite_url_creating_folder(url: &str) -> Result<String, DbError> {
    let (path, query) = sqlite_path_and_query(url);
    if path != ":memory:"
        && let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDirectory {
            path: parent.display().to_string(),
            source,
        })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A status column read as a `Status`: an unknown code is a damaged row, not a number to pass on.
pub(crate) fn status_column(row: &sqlx::any::AnyRow, column: &str) -> Result<Status, DbError> {
    let code: i64 = sqlx::Row::try_get(row, column)?;
    Status::from_code(code).ok_or_else(|| DbError::Corrupt(format!("{column} = {code}")))
}

/// A channel column read as a `ChannelKind`.
pub(crate) fn channel_column(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> Result<ChannelKind, DbError> {
    let code: i64 = sqlx::Row::try_get(row, column)?;
    ChannelKind::from_code(code).ok_or_else(|| DbError::Corrupt(format!("{column} = {code}")))
}

/// The `result_delivery` column read as a `ResultDelivery`.
pub(crate) fn result_delivery_column(row: &sqlx::any::AnyRow) -> Result<ResultDelivery, DbError> {
    let key: String = sqlx::Row::try_get(row, "result_delivery")?;
    ResultDelivery::from_key(&key).ok_or_else(|| corrupt("result delivery", key))
}

/// The `notify_channel` column read as a `notifications::Channel`.
pub(crate) fn notify_channel_column(
    row: &sqlx::any::AnyRow,
) -> Result<crate::domain::notifications::Channel, DbError> {
    let key: String = sqlx::Row::try_get(row, "notify_channel")?;
    crate::domain::notifications::Channel::from_key(&key)
        .ok_or_else(|| corrupt("notify channel", key))
}

/// Whether `key` can name a row at all: PostgreSQL refuses text with a null byte (an error, not
/// "no such row"), so lookups by a key from an address or a form answer "none" for it first.
pub(crate) fn can_be_key(key: &str) -> bool {
    !key.contains('\0')
}

/// SHA-256 as lower-case hex: content hashes of procedures, stored lookup keys and session
/// tokens, the files of a backup.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes.as_ref()))
}

/// Seconds since the Unix epoch: the portable way we store instants.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The value behind a per-server cache's lock. The caches hold whole values swapped in one
/// assignment, so a panic elsewhere cannot leave one half written: a poisoned lock is read as
/// it is.
pub(crate) fn cache_lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A stored value the program cannot read back: the database was changed by hand or is damaged.
pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("{what}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_url_scheme() {
        assert_eq!(
            Backend::of_url("sqlite:var/x.sqlite").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgres://postgres@127.0.0.1/test").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("mysql://x").is_err());
    }

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(
            sqlite_file("sqlite:var/motcua.sqlite"),
            Some("var/motcua.sqlite".into())
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/m.sqlite?mode=rwc"),
            Some("/tmp/m.sqlite".into())
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://postgres@127.0.0.1/test"), None);
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = std::env::temp_dir().join(format!("motcua-url-{}", std::process::id()));
        let file = dir.join("db.sqlite");
        let url = sqlite_url_creating_folder(&format!("sqlite:{}", file.display())).unwrap();
        assert_eq!(url, format!("sqlite://{}?mode=rwc", file.display()));
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
        assert_eq!(
            sqlite_url_creating_folder("sqlite::memory:?cache=shared").unwrap(),
            "sqlite://:memory:?cache=shared&mode=rwc"
        );
    }
}
