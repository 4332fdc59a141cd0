//! What goes wrong here (`domain::often_wrong`): a procedure's supplement requests and refusals
//! at one center over the look-back, counted.

use sqlx::Row;

use super::{Database, DbError};
use crate::domain::lifecycle::Status;
use crate::domain::often_wrong::{LOOKBACK_DAYS, OftenWrong};
use crate::domain::tracking::EventDetails;

impl Database {
    /// What `agency`'s dossiers of `procedure_code` were most often sent back or refused for in
    /// the last `LOOKBACK_DAYS`.
    pub async fn often_wrong(
        &self,
        agency: &str,
        procedure_code: &str,
        now: i64,
    ) -> Result<OftenWrong, DbError> {
        let rows = sqlx::query(
            "SELECT e.details_json FROM dossier_events e \
             JOIN dossiers d ON d.code = e.dossier_code \
             WHERE d.agency = $1 AND d.procedure_code = $2 AND e.to_status IN ($3, $4) \
             AND e.at >= $5 AND e.details_json IS NOT NULL",
        )
        .bind(agency)
        .bind(procedure_code)
        .bind(Status::SupplementRequested.code())
        .bind(Status::Refused.code())
        .bind(now - LOOKBACK_DAYS * 86_400)
        .fetch_all(self.reader())
        .await?;
        // Details written by an older version that no longer parse are left out of the count.
        let history: Vec<EventDetails> = rows
            .iter()
            .filter_map(|row| row.try_get::<String, _>("details_json").ok())
            .filter_map(|json| serde_json::from_str(&json).ok())
            .collect();
        Ok(OftenWrong::count(&history))
    }
}
