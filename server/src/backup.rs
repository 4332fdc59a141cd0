//! `server backup DIR` and `server restore DIR` (docs/operations.md).
//!
//! A backup is taken while the app serves: one consistent snapshot of the database (SQLite's
//! `VACUUM INTO`; on PostgreSQL `pg_dump` on a snapshot exported by a transaction that also
//! reads which files the rows name), then a copy of each of those files, from the folder or the
//! object store, with its SHA-256. `manifest.json` is written last: a folder without it is no
//! backup. A restore checks every checksum first, then fills an empty database and an empty
//! file store; it never writes over what is there.

use crate::config::Config;
use crate::storage::FileStore;
use app::db::backup::{RecordedFile, SnapshotContents};
use app::db::{Backend, Database, DbError};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;
use std::time::Instant;

pub const MANIFEST: &str = "manifest.json";
/// The files' checksums in `sha256sum` form, for an operator to check by hand
/// (`cd DIR && sha256sum -c SHA256SUMS`).
pub const CHECKSUMS: &str = "SHA256SUMS";
const FORMAT: &str = "motcua-backup/1";
const FILES: &str = "files";
const SQLITE_COPY: &str = "motcua.sqlite";
const POSTGRES_DUMP: &str = "motcua.pgdump";
/// Files copied at once: enough to keep an object store busy, few enough for a small server.
const AT_ONCE: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// When the snapshot was taken (Unix seconds): every dossier acknowledged before is in it.
    pub taken_at: i64,
    /// `sqlite` or `postgres`: a backup is restored on the same kind of database.
    pub backend: String,
    pub database: BackedUpFile,
    /// Dossiers in the snapshot.
    pub dossiers: i64,
    /// Every file the snapshot's rows name that could be copied.
    pub files: Vec<BackedUpFile>,
    /// Files of drafts closed between the snapshot and the copy (the citizen removed the file,
    /// or the draft expired): their rows are dropped at restore.
    pub closed_draft_files: Vec<String>,
    /// Files of dossiers the store did not have: damage found by the backup, reported.
    pub missing_dossier_files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackedUpFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("thư mục {0} đã có nội dung: cần một thư mục mới hoặc trống")]
    FolderNotEmpty(String),
    #[error("{program} không chạy được: {reason}")]
    Tool {
        program: &'static str,
        reason: String,
    },
    #[error("{0} không phải bản sao lưu dùng được: {1}")]
    Unusable(String, String),
    #[error("nơi phục hồi chưa trống ({0}): phục hồi không ghi đè dữ liệu đang có")]
    PlaceNotEmpty(String),
    #[error(
        "tệp {0} của bản sao lưu đã bị thay đổi hoặc hỏng (SHA-256 không khớp): không phục hồi"
    )]
    Damaged(String),
    #[error(transparent)]
    Start(#[from] crate::StartError),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What `backup` did, for the operator.
#[derive(Debug)]
pub struct BackupReport {
    pub manifest: Manifest,
    pub bytes: u64,
    pub seconds: f64,
}

/// Takes a backup of the configured database and files into `dir` (new or empty).
pub async fn backup(config: &Config, dir: &Path) -> Result<BackupReport, BackupError> {
    let began = Instant::now();
    ensure_empty_folder(dir).await?;
    tokio::fs::create_dir_all(dir.join(FILES))
        .await
        .map_err(io_error(dir))?;
    let db = Database::connect(&config.database_url).await?;
    let taken_at = db.now();
    let (database_file, contents) = match db.backend() {
        Backend::Sqlite => {
            let copy = dir.join(SQLITE_COPY);
            db.copy_into(&copy.to_string_lossy()).await?;
            let snapshot = Database::connect(&format!("sqlite:{}", copy.display())).await?;
            let contents = snapshot.snapshot_contents().await?;
            snapshot.close().await;
            // The copy was opened in WAL mode: back to one self-contained file.
            for suffix in ["-wal", "-shm"] {
                let _ = tokio::fs::remove_file(sqlite_companion(&copy, suffix)).await;
            }
            (copy, contents)
        }
        Backend::Postgres => {
            let dump = dir.join(POSTGRES_DUMP);
            let mut snapshot = db.export_snapshot().await?;
            let contents = snapshot.contents().await?;
            let dumped = pg_dump(&config.database_url, &snapshot.id, &dump).await;
            snapshot.close().await?;
            dumped?;
            (dump, contents)
        }
    };
    let backend = db.backend();
    db.close().await;
    let files = crate::open_files(config).await?;
    let (copied, closed_draft_files, missing_dossier_files) =
        copy_files_out(&files, &contents, &dir.join(FILES)).await?;
    let database = checksum_of(&database_file).await?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        taken_at,
        backend: backend_name(backend).to_owned(),
        database,
        dossiers: contents.dossiers,
        files: copied,
        closed_draft_files,
        missing_dossier_files,
    };
    write_checksums(dir, &manifest).await?;
    write_manifest(dir, &manifest).await?;
    let bytes = manifest.database.size + manifest.files.iter().map(|f| f.size).sum::<u64>();
    Ok(BackupReport {
        manifest,
        bytes,
        seconds: began.elapsed().as_secs_f64(),
    })
}

/// What `restore` did, for the operator.
#[derive(Debug)]
pub struct RestoreReport {
    pub dossiers: i64,
    pub files: usize,
    pub closed_draft_files: u64,
    pub seconds: f64,
}

/// Restores the backup in `dir` into the configured database and file store, both empty.
pub async fn restore(config: &Config, dir: &Path) -> Result<RestoreReport, BackupError> {
    let began = Instant::now();
    let manifest = read_manifest(dir).await?;
    let backend = Backend::of_url(&config.database_url)?;
    if manifest.backend != backend_name(backend) {
        return Err(BackupError::Unusable(
            dir.display().to_string(),
            format!(
                "sao lưu từ {}, phục hồi vào {} thì cần cùng loại cơ sở dữ liệu",
                manifest.backend,
                backend_name(backend)
            ),
        ));
    }
    // Everything is checked before anything is written.
    let database_file = dir.join(match backend {
        Backend::Sqlite => SQLITE_COPY,
        Backend::Postgres => POSTGRES_DUMP,
    });
    if checksum_of(&database_file).await? != manifest.database {
        return Err(BackupError::Damaged(database_file.display().to_string()));
    }
    let files_dir = dir.join(FILES);
    futures_util::stream::iter(manifest.files.iter().map(Ok))
        .try_for_each_concurrent(AT_ONCE, |file| {
            let files_dir = &files_dir;
            async move {
                let path = files_dir.join(safe_name(&file.name, dir)?);
                if checksum_of(&path).await? == *file {
                    Ok(())
                } else {
                    Err(BackupError::Damaged(path.display().to_string()))
                }
            }
        })
        .await?;
    let sqlite_target = app::db::sqlite_file(&config.database_url);
    match &sqlite_target {
        Some(target) => {
            // A journal left by an earlier database would be replayed onto the restored one.
            for path in [target.clone(), sqlite_companion(target, "-wal")] {
                if tokio::fs::metadata(&path)
                    .await
                    .is_ok_and(|meta| meta.len() > 0)
                {
                    return Err(BackupError::PlaceNotEmpty(path.display().to_string()));
                }
            }
        }
        None => {
            let db = Database::connect(&config.database_url).await?;
            let empty = db.holds_no_tables().await?;
            db.close().await;
            if !empty {
                return Err(BackupError::PlaceNotEmpty("DATABASE_URL".to_owned()));
            }
        }
    }
    let files = crate::open_files(config).await?;
    if !files.list().await.map_err(io_error(dir))?.is_empty() {
        return Err(BackupError::PlaceNotEmpty(files.describe()));
    }

    // Files first, then the rows that name them, as the app itself writes (see `place`).
    futures_util::stream::iter(manifest.files.iter().map(Ok))
        .try_for_each_concurrent(AT_ONCE, |file| {
            let files = &files;
            let path = files_dir.join(&file.name);
            async move {
                let bytes = tokio::fs::read(&path).await.map_err(io_error(&path))?;
                files
                    .write(&file.name, bytes)
                    .await
                    .map_err(io_error(&path))
            }
        })
        .await?;
    match &sqlite_target {
        Some(target) => {
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                tokio::fs::create_dir_all(parent)
                    .await
                    .map_err(io_error(parent))?;
            }
            let partial = target.with_extension("restoring");
            tokio::fs::copy(&database_file, &partial)
                .await
                .map_err(io_error(&partial))?;
            // On disk before it takes the database's name.
            tokio::fs::File::open(&partial)
                .await
                .map_err(io_error(&partial))?
                .sync_all()
                .await
                .map_err(io_error(&partial))?;
            tokio::fs::rename(&partial, target)
                .await
                .map_err(io_error(target))?;
        }
        None => pg_restore(&config.database_url, &database_file).await?,
    }
    let db = Database::connect(&config.database_url).await?;
    // A backup of an older version is brought up to this one's schema.
    db.migrate().await?;
    let closed_draft_files = db.forget_draft_files(&manifest.closed_draft_files).await?;
    let dossiers = db.dossier_count().await?;
    db.close().await;
    if dossiers != manifest.dossiers {
        return Err(BackupError::Unusable(
            dir.display().to_string(),
            format!(
                "phục hồi được {dossiers} hồ sơ, bản sao lưu ghi {}",
                manifest.dossiers
            ),
        ));
    }
    Ok(RestoreReport {
        dossiers,
        files: manifest.files.len(),
        closed_draft_files,
        seconds: began.elapsed().as_secs_f64(),
    })
}

/// `motcua.sqlite-wal` beside `motcua.sqlite`.
fn sqlite_companion(file: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

async fn ensure_empty_folder(dir: &Path) -> Result<(), BackupError> {
    match tokio::fs::read_dir(dir).await {
        Ok(mut entries) => match entries.next_entry().await.map_err(io_error(dir))? {
            Some(_) => Err(BackupError::FolderNotEmpty(dir.display().to_string())),
            None => Ok(()),
        },
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error(dir)(error)),
    }
}

/// A stored name as a file name in the backup: the server makes them (random letters and an
/// extension), so anything else, such as a path, means the manifest was tampered with.
fn safe_name<'a>(name: &'a str, dir: &Path) -> Result<&'a str, BackupError> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if plain {
        Ok(name)
    } else {
        Err(BackupError::Unusable(
            dir.display().to_string(),
            format!("tên tệp không hợp lệ trong {MANIFEST}: {name:?}"),
        ))
    }
}

/// Copies the snapshot's files into `to`: the copied ones with their checksums, the draft
/// files gone since the snapshot, and the dossier files the store did not have.
async fn copy_files_out(
    files: &FileStore,
    contents: &SnapshotContents,
    to: &Path,
) -> Result<(Vec<BackedUpFile>, Vec<String>, Vec<String>), BackupError> {
    enum Copied {
        File(BackedUpFile),
        Closed(String),
        Missing(String),
    }
    let copy_one = |recorded: &RecordedFile| {
        let path = to.join(&recorded.stored_name);
        let recorded = recorded.clone();
        async move {
            safe_name(&recorded.stored_name, to)?;
            match files.read(&recorded.stored_name).await {
                Ok(bytes) => {
                    tokio::fs::write(&path, &bytes)
                        .await
                        .map_err(io_error(&path))?;
                    Ok(Copied::File(BackedUpFile {
                        name: recorded.stored_name,
                        size: bytes.len() as u64,
                        sha256: app::db::sha256_hex(&bytes),
                    }))
                }
                Err(error) if error.kind() == io::ErrorKind::NotFound => {
                    Ok(if recorded.of_dossier {
                        Copied::Missing(recorded.stored_name)
                    } else {
                        Copied::Closed(recorded.stored_name)
                    })
                }
                Err(error) => Err(io_error(&path)(error)),
            }
        }
    };
    let outcomes: Vec<Copied> = futures_util::stream::iter(contents.files.iter())
        .map(copy_one)
        .buffer_unordered(AT_ONCE)
        .try_collect()
        .await?;
    let mut copied = Vec::new();
    let mut closed = Vec::new();
    let mut missing = Vec::new();
    for outcome in outcomes {
        match outcome {
            Copied::File(file) => copied.push(file),
            Copied::Closed(name) => closed.push(name),
            Copied::Missing(name) => missing.push(name),
        }
    }
    copied.sort_by(|a, b| a.name.cmp(&b.name));
    closed.sort();
    missing.sort();
    Ok((copied, closed, missing))
}

/// A file's name (its last component), size and SHA-256, read in pieces.
async fn checksum_of(path: &Path) -> Result<BackedUpFile, BackupError> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await.map_err(io_error(path))?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0; 256 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer).await.map_err(io_error(path))?;
        if read == 0 {
            break;
        }
        size += read as u64;
        context.update(&buffer[..read]);
    }
    Ok(BackedUpFile {
        name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size,
        sha256: hex::encode(context.finish()),
    })
}

async fn write_checksums(dir: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let mut text = format!("{}  {}\n", manifest.database.sha256, manifest.database.name);
    for file in &manifest.files {
        text.push_str(&format!("{}  {FILES}/{}\n", file.sha256, file.name));
    }
    let path = dir.join(CHECKSUMS);
    tokio::fs::write(&path, text).await.map_err(io_error(&path))
}

/// Written to a temporary name, flushed, then renamed: a manifest is there whole or not at all.
async fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    use tokio::io::AsyncWriteExt;
    let json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| BackupError::Unusable(dir.display().to_string(), e.to_string()))?;
    let partial = dir.join(format!("{MANIFEST}.partial"));
    let mut file = tokio::fs::File::create(&partial)
        .await
        .map_err(io_error(&partial))?;
    file.write_all(&json).await.map_err(io_error(&partial))?;
    file.sync_all().await.map_err(io_error(&partial))?;
    let path = dir.join(MANIFEST);
    tokio::fs::rename(&partial, &path)
        .await
        .map_err(io_error(&path))
}

async fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let unusable = |reason: String| BackupError::Unusable(dir.display().to_string(), reason);
    let text = tokio::fs::read(&path).await.map_err(|e| {
        unusable(format!(
            "không đọc được {MANIFEST} ({e}): bản sao lưu chưa xong?"
        ))
    })?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| unusable(format!("{MANIFEST}: {e}")))?;
    if manifest.format != FORMAT {
        return Err(unusable(format!(
            "định dạng {:?}, chương trình này đọc {FORMAT}",
            manifest.format
        )));
    }
    Ok(manifest)
}

/// A PostgreSQL URL for libpq's tools, with its password moved to `PGPASSWORD` so it never
/// shows in the process list; `None` when it cannot be read as a URL.
fn libpq_target(url: &str) -> Option<(String, Option<String>)> {
    let mut parsed = reqwest::Url::parse(url).ok()?;
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    parsed.set_password(None).ok()?;
    Some((parsed.to_string(), password))
}

async fn run_tool(
    program: &'static str,
    url: &str,
    arguments: &[&std::ffi::OsStr],
) -> Result<(), BackupError> {
    let (target, password) = libpq_target(url).ok_or(BackupError::Tool {
        program,
        reason: "DATABASE_URL không đọc được như một địa chỉ postgres://…".to_owned(),
    })?;
    let mut command = tokio::process::Command::new(program);
    command.args(arguments).arg("--dbname").arg(target);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|e| BackupError::Tool {
        program,
        reason: format!("{e} (cài gói postgresql-client cùng phiên bản với máy chủ)"),
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool {
            program,
            reason: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

/// `pg_dump` in its custom format (compressed, restored by `pg_restore`), of the snapshot.
async fn pg_dump(url: &str, snapshot: &str, to: &Path) -> Result<(), BackupError> {
    let snapshot = format!("--snapshot={snapshot}");
    run_tool(
        "pg_dump",
        url,
        &[
            "--format=custom".as_ref(),
            "--no-owner".as_ref(),
            "--no-privileges".as_ref(),
            snapshot.as_ref(),
            "--file".as_ref(),
            to.as_os_str(),
        ],
    )
    .await
}

/// `pg_restore` in one transaction: a failure leaves the database as empty as it was.
async fn pg_restore(url: &str, dump: &Path) -> Result<(), BackupError> {
    run_tool(
        "pg_restore",
        url,
        &[
            "--no-owner".as_ref(),
            "--no-privileges".as_ref(),
            "--single-transaction".as_ref(),
            "--exit-on-error".as_ref(),
            dump.as_os_str(),
        ],
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_reaches_the_command_line() {
        let (target, password) =
            libpq_target("postgres://motcua:m%E1%BA%ADt@10.0.0.5:5432/xa").unwrap();
        assert_eq!(target, "postgres://motcua@10.0.0.5:5432/xa");
        assert_eq!(password.as_deref(), Some("mật"));
        let (target, password) = libpq_target("postgres://postgres@127.0.0.1:5432/test").unwrap();
        assert_eq!(target, "postgres://postgres@127.0.0.1:5432/test");
        assert_eq!(password, None);
    }

    #[test]
    fn only_names_the_server_makes_are_taken_from_a_manifest() {
        let dir = Path::new("/sao-luu");
        assert!(safe_name("a1B2-c3_d4.pdf", dir).is_ok());
        for name in [
            "",
            "../motcua.sqlite",
            "/etc/passwd",
            ".an",
            "a/b.pdf",
            "tệp.pdf",
        ] {
            assert!(safe_name(name, dir).is_err(), "{name:?}");
        }
    }
}
