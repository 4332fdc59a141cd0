//! `server import-procedures FILE`: reads a national-package JSON file and upserts it.

use std::fmt;
use std::path::Path;

use app::db::Database;
use app::db::catalogue::ImportReport;
use app::domain::national_package::{ImportProblem, parse_package};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("không đọc được tệp {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{}", ProblemList(.0))]
    Invalid(Vec<ImportProblem>),
    #[error(transparent)]
    Database(#[from] app::db::DbError),
}

struct ProblemList<'a>(&'a [ImportProblem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "tệp có {} lỗi, không ghi gì vào cơ sở dữ liệu:",
            self.0.len()
        )?;
        for problem in self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// Parses the whole file first and writes only when every record is good, in one transaction.
pub async fn import_file(db: &Database, path: &Path) -> Result<ImportReport, ImportError> {
    let json = tokio::fs::read_to_string(path)
        .await
        .map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })?;
    let procedures = parse_package(&json).map_err(ImportError::Invalid)?;
    Ok(db.upsert_procedures(&procedures).await?)
}

/// The report printed after an import.
pub fn describe(report: &ImportReport) -> String {
    let mut text = format!(
        "Đã nhập: {} thủ tục mới, {} cập nhật (phiên bản mới), {} không đổi.",
        report.inserted.len(),
        report.updated.len(),
        report.unchanged.len()
    );
    for (label, codes) in [("Mới", &report.inserted), ("Cập nhật", &report.updated)] {
        if !codes.is_empty() {
            text.push_str(&format!("\n{label}: {}", codes.join(", ")));
        }
    }
    text
}
