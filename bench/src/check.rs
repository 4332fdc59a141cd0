//! What the database and the upload folder hold after a run, against what the citizens were told.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row};

use crate::citizen::Receipt;
use crate::server::Site;

/// The integrity of a site after a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Integrity {
    /// Receipts the citizens got.
    pub acknowledged: usize,
    /// Of those, dossiers found in the database.
    pub present: usize,
    /// Of those, dossiers whose every sent file is recorded and on disk, byte for byte.
    pub intact: usize,
    /// Receipts naming a dossier code that an earlier receipt named too.
    pub repeated_codes: usize,
    /// Recorded files (of drafts or dossiers) missing from the upload folder.
    pub rows_without_file: usize,
    /// Files in the upload folder that no row names.
    pub files_without_row: usize,
    /// The first problems found, for the report.
    pub problems: Vec<String>,
}

impl Integrity {
    /// Every acknowledged dossier is there with its files, and nothing is doubled or orphaned.
    pub fn is_whole(&self) -> bool {
        self.present == self.acknowledged
            && self.intact == self.acknowledged
            && self.repeated_codes == 0
            && self.rows_without_file == 0
            && self.files_without_row == 0
    }

    fn problem(&mut self, text: String) {
        if self.problems.len() < 20 {
            self.problems.push(text);
        }
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// Reads the site's database and upload folder (with the server stopped or running).
pub async fn integrity(site: &Site, receipts: &[Receipt]) -> Result<Integrity, String> {
    integrity_in(site, &site.upload_dir, receipts).await
}

/// `integrity` with the files kept in `files` (an object store's folder on disk, as s3s-fs
/// keeps them) instead of the site's upload folder.
pub async fn integrity_in(
    site: &Site,
    files: &Path,
    receipts: &[Receipt],
) -> Result<Integrity, String> {
    sqlx::any::install_default_drivers();
    let mut db = AnyConnection::connect(&site.database_url)
        .await
        .map_err(|e| format!("opening {}: {e}", site.database_url))?;
    let sql_error = |e: sqlx::Error| e.to_string();
    let mut report = Integrity {
        acknowledged: receipts.len(),
        ..Integrity::default()
    };
    for receipt in receipts {
        let found = sqlx::query("SELECT code FROM dossiers WHERE code = $1")
            .bind(&receipt.code)
            .fetch_optional(&mut db)
            .await
            .map_err(sql_error)?;
        if found.is_none() {
            report.problem(format!("{}: acknowledged but not stored", receipt.code));
            continue;
        }
        report.present += 1;
        let rows = sqlx::query(
            "SELECT stored_name, original_name FROM dossier_files WHERE dossier_code = $1",
        )
        .bind(&receipt.code)
        .fetch_all(&mut db)
        .await
        .map_err(sql_error)?;
        let recorded_rows = rows.len();
        let stored: BTreeMap<String, String> = rows
            .iter()
            .filter_map(|row| {
                Some((
                    row.try_get::<String, _>("original_name").ok()?,
                    row.try_get::<String, _>("stored_name").ok()?,
                ))
            })
            .collect();
        let whole = receipt.files.iter().all(|sent| {
            stored.get(&sent.original_name).is_some_and(|name| {
                std::fs::read(files.join(name))
                    .is_ok_and(|bytes| sha256(&bytes) == sha256(&sent.bytes))
            })
        });
        if whole && recorded_rows == receipt.files.len() {
            report.intact += 1;
        } else {
            report.problem(format!(
                "{}: {} files sent, {} recorded, not all on disk as sent",
                receipt.code,
                receipt.files.len(),
                recorded_rows
            ));
        }
    }
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for receipt in receipts {
        *codes.entry(receipt.code.as_str()).or_default() += 1;
    }
    report.repeated_codes = codes.values().filter(|n| **n > 1).map(|n| n - 1).sum();
    let recorded: BTreeSet<String> = sqlx::query(
        "SELECT stored_name FROM draft_files UNION SELECT stored_name FROM dossier_files",
    )
    .fetch_all(&mut db)
    .await
    .map_err(sql_error)?
    .iter()
    .filter_map(|row| row.try_get::<String, _>("stored_name").ok())
    .collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(files)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for name in recorded.difference(&on_disk) {
        report.rows_without_file += 1;
        report.problem(format!("{name}: recorded, not on disk"));
    }
    for name in on_disk.difference(&recorded) {
        report.files_without_row += 1;
        report.problem(format!("{name}: on disk, not recorded"));
    }
    let _ = db.close().await;
    Ok(report)
}
