//! Start-up: the database (schema, holidays, demo data), the listener, the hourly clean-up (and
//! summary of the statistics' days that ended) and a graceful stop.

use crate::config::Config;
use crate::notify::Notifier;
use crate::router::router;
use crate::routes::filing;
use crate::storage::FileStore;
use crate::{connections, import};
use app::db::Database;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] app::db::DbError),
    #[error("không mở được cổng {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("không nạp được dữ liệu mẫu: {0}")]
    DemoData(#[from] import::ImportError),
    #[error("lỗi máy chủ: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Notify(#[from] crate::notify::NotifyError),
    #[error("mã cơ quan không đúng: {0}")]
    Agency(String),
    #[error("không lưu được tệp vào {place}: {reason}")]
    Files { place: String, reason: String },
    #[error("không đọc được khóa ký số MOTCUA_SIGNING_P12: {0}")]
    Signing(String),
}

/// The center's signing key for certified copies, read and checked at start (a wrong password
/// or file stops the start instead of failing the first certification).
pub fn open_signers(config: &Config) -> Result<crate::signing::Signers, StartError> {
    let signers = crate::signing::Signers::load(config.signing.as_ref(), &config.agency_code)
        .map_err(StartError::Signing)?;
    if config.signing.is_some() {
        tracing::info!(centers = ?signers.agencies(), "certified copies are signed");
    }
    Ok(signers)
}

/// Where the files are kept, checked by writing, reading and removing one: a wrong bucket, key
/// or folder stops the start with its reason instead of failing a citizen's first upload.
pub async fn open_files(config: &Config) -> Result<FileStore, StartError> {
    let files = match &config.storage {
        None => FileStore::folder(config.upload_dir.clone()),
        Some(settings) => {
            FileStore::objects(settings, config.upload_dir.clone()).map_err(|reason| {
                StartError::Files {
                    place: settings.address(),
                    reason,
                }
            })?
        }
    };
    files.check().await.map_err(|error| StartError::Files {
        place: files.describe(),
        reason: error.to_string(),
    })?;
    Ok(files)
}

/// Opens the database, brings its schema up to date, makes the configured center the default
/// one, and fills an empty catalogue with the demo procedures when configured to.
pub async fn prepare_database(config: &Config) -> Result<Database, StartError> {
    let db = Database::connect(&config.database_url)
        .await?
        .with_common_procedures(&config.popular_procedures);
    db.migrate().await?;
    let agency = app::domain::dossier::AgencyCode::parse(&config.agency_code)
        .map_err(|_| StartError::Agency(config.agency_code.clone()))?;
    db.ensure_default_center(&agency, &config.center_name, db.now())
        .await?;
    seed_calendar(&db).await?;
    if let Some(demo) = &config.demo_data
        && db.procedure_count().await? == 0
    {
        let report = import::import_file(&db, demo).await?;
        tracing::info!(
            inserted = report.inserted.len(),
            file = %demo.display(),
            "catalogue was empty: demo procedures loaded"
        );
    }
    Ok(db)
}

/// The Leptos settings cargo-leptos passes in the environment; without it (tests, a bare
/// `cargo run`) the defaults point at `target/site`.
pub fn leptos_options(bind: SocketAddr) -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("motcua").build());
    options.site_addr = bind;
    options
}

/// Serves until the process is stopped (Ctrl-C or SIGTERM), finishing requests in flight.
pub async fn serve(mut config: Config) -> Result<(), StartError> {
    let db = prepare_database(&config).await?;
    let push_key = crate::notify::prepare_push(&db, &mut config.notifications).await?;
    crate::notify::prepare_zalo(&db, &config.notifications).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(StartError::Serve)?;
    let files = open_files(&config).await?;
    tracing::info!(files = %files.describe(), "files are kept there");
    tokio::spawn(clean_up_periodically(
        db.clone(),
        files.clone(),
        config.notifications.email.is_some(),
    ));
    let notifier = Notifier::new(
        db.clone(),
        config.notifications.clone(),
        config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}")),
    )?;
    let notifier = match push_key {
        Some(key) => notifier.with_push(key)?,
        None => notifier,
    };
    tokio::spawn(notifier.run());
    let signers = open_signers(&config)?;
    let app = router(&config, db, files, signers, leptos_options(addr));
    let limits = config.connection_limits.within_open_file_limit();
    tracing::info!(%addr, max_connections = limits.total, "motcua is listening");
    connections::serve(listener, app, limits, shutdown_signal()).await;
    Ok(())
}

/// The published decisions the program ships, for the years appointments are counted in now:
/// the last two, this one and the next.
async fn seed_calendar(db: &Database) -> Result<(), app::db::DbError> {
    let this_year = app::domain::calendar::Date::in_vietnam(db.now()).year;
    db.seed_calendar(&[this_year - 2, this_year - 1, this_year, this_year + 1])
        .await
}

/// Expired drafts, stray upload files and old rate-limit counts go away at start-up and then
/// every hour; a server running across New Year gets the decisions of the year after.
async fn clean_up_periodically(db: Database, files: FileStore, staff_email: bool) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match filing::clean_up(&db, &files).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired drafts and stray uploads deleted"),
            Err(error) => tracing::error!(%error, "cleaning up drafts failed"),
        }
        if let Err(error) = seed_calendar(&db).await {
            tracing::error!(%error, "seeding the calendar failed");
        }
        // The daily figures of the days that ended, so no report waits for them.
        let yesterday = app::domain::calendar::Date::in_vietnam(db.now()).add_days(-1);
        if let Err(error) = db.summarise_through(yesterday).await {
            tracing::error!(%error, "summarising the statistics' days failed");
        }
        match db.remind_supplements(db.now()).await {
            Ok(0) => {}
            Ok(written) => tracing::info!(written, "supplement reminders written"),
            Err(error) => tracing::error!(%error, "writing supplement reminders failed"),
        }
        if staff_email {
            match db.write_staff_reminders(db.now()).await {
                Ok(0) => {}
                Ok(written) => tracing::info!(written, "staff reminders written"),
                Err(error) => tracing::error!(%error, "writing staff reminders failed"),
            }
        }
        // The longest window is a day, and a sliding window reads the one before it.
        let two_days_ago = db.now() - 2 * 86_400;
        if let Err(error) = db.purge_rate_limits(two_days_ago).await {
            tracing::error!(%error, "purging old rate-limit counts failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
