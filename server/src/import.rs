//! `server import-procedures FILE`: reads a national-package JSON file and upserts it.

use app::db::Database;
use app::db::catalogue::ImportReport;
use app::domain::national_package::{ImportProblem, parse_package};
use app::domain::portal::{CoverageReport, parse_portal_lines};
use std::fmt;
use std::path::Path;

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

/// The two shapes a catalogue file comes in (named on the command line as `package`, `portal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Gói thủ tục quốc gia (JSON). / The national procedure package: a JSON array of records
    /// (`MaTTHC`, `TENTTHC`, …).
    Package,
    /// Trang Cổng DVC quốc gia (JSON Lines). / The portal's published pages: JSON Lines
    /// (`ma_thu_tuc`, `ten_thu_tuc`, …).
    Portal,
}

impl Format {
    /// A file whose first line is an object with the portal's `ma_thu_tuc` is portal JSON
    /// Lines; anything else is read as a national package.
    pub fn detect(text: &str) -> Format {
        let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let is_portal_line = serde_json::from_str::<serde_json::Value>(first_line)
            .ok()
            .is_some_and(|v| v.get("ma_thu_tuc").is_some());
        if is_portal_line {
            Format::Portal
        } else {
            Format::Package
        }
    }
}

/// What an import did, and for portal files how well each field could be read.
#[derive(Debug)]
pub struct ImportOutcome {
    pub report: ImportReport,
    pub coverage: Option<CoverageReport>,
}

/// Parses the whole file first and writes only when every record is good, in one transaction.
/// The format is detected unless given.
pub async fn import_file_as(
    db: &Database,
    path: &Path,
    format: Option<Format>,
) -> Result<ImportOutcome, ImportError> {
    let text = tokio::fs::read_to_string(path)
        .await
        .map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })?;
    let (procedures, coverage) = match format.unwrap_or_else(|| Format::detect(&text)) {
        Format::Package => (parse_package(&text).map_err(ImportError::Invalid)?, None),
        Format::Portal => {
            let parsed = parse_portal_lines(&text).map_err(ImportError::Invalid)?;
            let coverage = CoverageReport::of(&parsed);
            (
                parsed.into_iter().map(|p| p.procedure).collect(),
                Some(coverage),
            )
        }
    };
    Ok(ImportOutcome {
        report: db.upsert_procedures(&procedures).await?,
        coverage,
    })
}

/// [`import_file_as`] with the format detected from the contents.
pub async fn import_file(db: &Database, path: &Path) -> Result<ImportReport, ImportError> {
    Ok(import_file_as(db, path, None).await?.report)
}

/// The report printed after an import.
pub fn describe(report: &ImportReport) -> String {
    let mut text = format!(
        "Đã nhập: {} thủ tục mới, {} cập nhật (phiên bản mới), {} không đổi.",
        report.inserted.len(),
        report.updated.len(),
        report.unchanged.len()
    );
    const LISTED: usize = 20;
    for (label, codes) in [("Mới", &report.inserted), ("Cập nhật", &report.updated)] {
        if !codes.is_empty() {
            let listed = codes[..codes.len().min(LISTED)].join(", ");
            let more = codes.len().saturating_sub(LISTED);
            let more = if more > 0 {
                format!(" và {more} thủ tục khác")
            } else {
                String::new()
            };
            text.push_str(&format!("\n{label}: {listed}{more}"));
        }
    }
    text
}
