//! What a backup reads from the database and a restore checks: a consistent snapshot while the
//! app serves (SQLite's `VACUUM INTO`; on PostgreSQL a snapshot that `pg_dump --snapshot` reads
//! too), the files its rows name as of that snapshot, and whether a database is an empty place.

use super::{Backend, Database, DbError};
use sqlx::{Any, Row, Transaction};

/// A file a row names, as of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedFile {
    pub stored_name: String,
    pub size_bytes: i64,
    /// A dossier's file is kept for good; a draft's goes with its draft (removed by the citizen,
    /// or expired), so it may be gone by the time the backup copies it.
    pub of_dossier: bool,
}

const DOSSIER_FILES: &str =
    "SELECT stored_name, size_bytes FROM dossier_files ORDER BY stored_name";
const DRAFT_FILES: &str = "SELECT stored_name, size_bytes FROM draft_files ORDER BY stored_name";
const DOSSIER_COUNT: &str = "SELECT COUNT(*) FROM dossiers";

/// The files and the number of dossiers of one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotContents {
    pub files: Vec<RecordedFile>,
    pub dossiers: i64,
}

fn files_of(rows: &[sqlx::any::AnyRow], of_dossier: bool) -> Result<Vec<RecordedFile>, DbError> {
    rows.iter()
        .map(|row| {
            Ok(RecordedFile {
                stored_name: row.try_get(0)?,
                size_bytes: row.try_get(1)?,
                of_dossier,
            })
        })
        .collect()
}

impl Database {
    /// SQLite: writes a consistent copy of the whole database to `path` (which must not exist)
    /// while other connections go on reading and writing.
    pub async fn copy_into(&self, path: &str) -> Result<(), DbError> {
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The files rows name and the number of dossiers, read in one transaction.
    pub async fn snapshot_contents(&self) -> Result<SnapshotContents, DbError> {
        let mut reader = self.reader().acquire().await?;
        let mut transaction = reader.begin().await?;
        let contents = read_contents(&mut transaction).await?;
        transaction.rollback().await?;
        Ok(contents)
    }

    /// How many dossiers the database holds.
    pub async fn dossier_count(&self) -> Result<i64, DbError> {
        Ok(sqlx::query(DOSSIER_COUNT)
            .fetch_one(self.reader())
            .await?
            .try_get(0)?)
    }

    /// PostgreSQL: opens a read-only snapshot of the database as it is now and exports it, so
    /// `pg_dump --snapshot` dumps exactly what `ExportedSnapshot::contents` reads. The snapshot
    /// lives until `ExportedSnapshot::close`.
    pub async fn export_snapshot(&self) -> Result<ExportedSnapshot, DbError> {
        let pool = self.writer().shared_pool().ok_or_else(|| {
            sqlx::Error::Configuration("chỉ PostgreSQL xuất được ảnh chụp dữ liệu".into())
        })?;
        let mut transaction = pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *transaction)
            .await?;
        let id: String = sqlx::query("SELECT pg_export_snapshot()")
            .fetch_one(&mut *transaction)
            .await?
            .try_get(0)?;
        Ok(ExportedSnapshot { transaction, id })
    }

    /// Whether the database holds no tables at all: a place a backup may be restored into.
    pub async fn holds_no_tables(&self) -> Result<bool, DbError> {
        let sql = match self.backend() {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema()"
            }
        };
        let tables: i64 = sqlx::query(sql)
            .fetch_one(self.reader())
            .await?
            .try_get(0)?;
        Ok(tables == 0)
    }

    /// After a restore: drops the rows of draft files the backup could not copy (their draft
    /// was closed between the snapshot and the copy), so no row names a missing file.
    pub async fn forget_draft_files(&self, names: &[String]) -> Result<u64, DbError> {
        let mut forgotten = 0;
        let mut writer = self.writer().acquire().await?;
        let mut transaction = writer.begin().await?;
        for name in names {
            forgotten += sqlx::query("DELETE FROM draft_files WHERE stored_name = $1")
                .bind(name)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        }
        transaction.commit().await?;
        Ok(forgotten)
    }
}

async fn read_contents(
    transaction: &mut Transaction<'_, Any>,
) -> Result<SnapshotContents, DbError> {
    let mut files = files_of(
        &sqlx::query(DOSSIER_FILES)
            .fetch_all(&mut **transaction)
            .await?,
        true,
    )?;
    files.extend(files_of(
        &sqlx::query(DRAFT_FILES)
            .fetch_all(&mut **transaction)
            .await?,
        false,
    )?);
    let dossiers: i64 = sqlx::query(DOSSIER_COUNT)
        .fetch_one(&mut **transaction)
        .await?
        .try_get(0)?;
    Ok(SnapshotContents { files, dossiers })
}

/// A PostgreSQL snapshot held open for `pg_dump`.
pub struct ExportedSnapshot {
    transaction: Transaction<'static, Any>,
    /// What `pg_dump --snapshot` is given.
    pub id: String,
}

impl ExportedSnapshot {
    /// The files and dossiers as of the snapshot.
    pub async fn contents(&mut self) -> Result<SnapshotContents, DbError> {
        read_contents(&mut self.transaction).await
    }

    /// Ends the snapshot (after `pg_dump` is done with it).
    pub async fn close(self) -> Result<(), DbError> {
        self.transaction.rollback().await?;
        Ok(())
    }
}
