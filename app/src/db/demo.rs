//! Writing demo dossiers (`domain::demo`) in bulk: many rows per statement, one transaction per
//! batch, so a million dossiers load in minutes on either back end.

use std::collections::HashMap;

use sqlx::Row;

use super::{Database, DbError, sha256_hex};
use crate::domain::calendar::Date;
use crate::domain::demo::{DemoDossier, DemoProcedure, folded_name};
use crate::domain::dossier::AgencyCode;
use crate::domain::lifecycle::Status;

/// `($1, $2, …), (…), …` for `rows` rows of `columns` values. The statement's text depends
/// only on these two counts, never on the data, which is all bound.
pub(super) fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let values: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per statement. sqlx looks each numbered parameter up by name on SQLite, which grows
/// with the square of the parameters in one statement: small statements are much faster there.
const ROWS_PER_STATEMENT: usize = 40;

impl Database {
    /// The procedures demo dossiers are filed under.
    pub async fn demo_procedures(&self) -> Result<Vec<DemoProcedure>, DbError> {
        sqlx::query("SELECT code, name, version FROM procedures ORDER BY code")
            .fetch_all(self.writer())
            .await?
            .iter()
            .map(|row| {
                Ok(DemoProcedure {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    version: row.try_get("version")?,
                })
            })
            .collect()
    }

    /// Brings the planner's statistics (and, on PostgreSQL, the visibility map that lets a
    /// query read an index alone) up to date after a bulk load, as autovacuum would later.
    pub async fn analyse_after_bulk_load(&self) -> Result<(), DbError> {
        let statements: &[&str] = match self.backend() {
            super::Backend::Sqlite => &["ANALYZE"],
            super::Backend::Postgres => &[
                "VACUUM ANALYZE dossiers",
                "VACUUM ANALYZE dossier_events",
                "VACUUM ANALYZE ratings",
            ],
        };
        for statement in statements {
            sqlx::query(statement).execute(self.writer()).await?;
        }
        Ok(())
    }

    /// Adds the article's month (`domain::article_month`: July 2025 as a real commune center
    /// reported it) for `agency`, unless that agency already has dossiers in that month. The
    /// number of dossiers written; none when the catalogue lacks its procedures.
    pub async fn seed_article_month(&self, agency: &AgencyCode) -> Result<Option<usize>, DbError> {
        use crate::domain::article_month::{MONTH, YEAR, article_month};
        let first = Date::new(YEAR, MONTH, 1);
        let taken: i64 = sqlx::query(
            "SELECT COUNT(*) AS taken FROM dossier_sequences              WHERE agency = $1 AND day >= $2 AND day <= $3",
        )
        .bind(agency.as_str())
        .bind(first.iso())
        .bind(Date::new(YEAR, MONTH, 31).iso())
        .fetch_one(self.writer())
        .await?
        .try_get("taken")?;
        if taken > 0 {
            return Ok(Some(0));
        }
        let procedures = self.demo_procedures().await?;
        let calendar =
            super::calendar::calendar_covering(self.writer(), agency.as_str(), first, 366).await?;
        let mut sequences = self.last_sequences(agency).await?;
        let Some(dossiers) = article_month(agency, &procedures, &calendar, &mut sequences) else {
            return Ok(None);
        };
        self.insert_demo_dossiers(agency, &procedures, &dossiers)
            .await?;
        Ok(Some(dossiers.len()))
    }

    /// The last number given out on each day for `agency`.
    pub async fn last_sequences(&self, agency: &AgencyCode) -> Result<HashMap<Date, u32>, DbError> {
        sqlx::query("SELECT day, last_sequence FROM dossier_sequences WHERE agency = $1")
            .bind(agency.as_str())
            .fetch_all(self.writer())
            .await?
            .iter()
            .map(|row| {
                let day: String = row.try_get("day")?;
                Ok((
                    Date::parse_iso(&day).ok_or_else(|| DbError::Corrupt(format!("day {day}")))?,
                    row.try_get::<i64, _>("last_sequence")? as u32,
                ))
            })
            .collect()
    }

    /// Writes one batch of demo dossiers with their events and ratings, and moves each day's
    /// sequence past them, in one transaction.
    pub async fn insert_demo_dossiers(
        &self,
        agency: &AgencyCode,
        procedures: &[DemoProcedure],
        dossiers: &[DemoDossier],
    ) -> Result<(), DbError> {
        let mut writer = self.writer().acquire().await?;
        let mut tx = writer.begin().await?;
        for chunk in dossiers.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO dossiers (code, agency, day, sequence, procedure_code, \
                 procedure_version, procedure_name, case_index, case_name, channel, status, \
                 applicant_name, applicant_name_folded, applicant_phone, applicant_citizen_id, \
                 applicant_address, applicant_email, proxy_name, proxy_citizen_id, \
                 proxy_relationship, lookup_key_hash, received_at, appointment_date, due_date, \
                 digitised, finished_at, finished_day, accepted_at, closed_at) VALUES {}",
                placeholders(chunk.len(), 29)
            );
            let mut query = sqlx::query(&sql);
            for dossier in chunk {
                let procedure = &procedures[dossier.procedure];
                query = query
                    .bind(dossier.code.clone())
                    .bind(agency.as_str().to_owned())
                    .bind(dossier.day.iso())
                    .bind(i64::from(dossier.sequence))
                    .bind(procedure.code.clone())
                    .bind(procedure.version)
                    .bind(procedure.name.clone())
                    .bind(0i64)
                    .bind(String::new())
                    .bind(dossier.channel.code())
                    .bind(dossier.status.code())
                    .bind(dossier.applicant_name.clone())
                    .bind(folded_name(dossier))
                    .bind(dossier.phone.clone())
                    .bind(dossier.citizen_id.clone())
                    .bind(dossier.address.clone())
                    .bind(String::new())
                    .bind(String::new())
                    .bind(String::new())
                    .bind(String::new())
                    // No key opens a demo dossier: the hash is of nothing anyone holds.
                    .bind(sha256_hex(format!("demo:{}", dossier.code)))
                    .bind(dossier.received_at)
                    .bind(dossier.appointment.iso())
                    .bind(dossier.due.iso())
                    .bind(i64::from(dossier.digitised))
                    .bind(dossier.finished_at())
                    .bind(dossier.finished_at().map(|at| Date::in_vietnam(at).iso()))
                    .bind(dossier.first_reaching(|status| status == Status::Accepted))
                    .bind(dossier.first_reaching(Status::is_resolved));
            }
            query.execute(&mut *tx).await?;
        }
        let events: Vec<_> = dossiers
            .iter()
            .flat_map(|d| d.events.iter().map(move |e| (d, e)))
            .collect();
        for chunk in events.chunks(ROWS_PER_STATEMENT * 3) {
            let sql = format!(
                "INSERT INTO dossier_events (dossier_code, at, from_status, to_status, actor, \
                 public_note, details_json) VALUES {}",
                placeholders(chunk.len(), 7)
            );
            let mut query = sqlx::query(&sql);
            for (dossier, event) in chunk {
                let details = event
                    .details
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(|e| DbError::Corrupt(format!("demo details: {e}")))?;
                query = query
                    .bind(dossier.code.clone())
                    .bind(event.at)
                    .bind(event.from.map(|s| s.code()))
                    .bind(event.to.code())
                    .bind(event.actor)
                    .bind(String::new())
                    .bind(details);
            }
            query.execute(&mut *tx).await?;
        }
        let ratings: Vec<_> = dossiers
            .iter()
            .filter_map(|d| d.rating.as_ref().map(|r| (d, r)))
            .collect();
        for chunk in ratings.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO ratings (dossier_code, overall, counter_visits, agencies_contacted, \
                 staff_attitude, online_ease, reason, rated_at) VALUES {}",
                placeholders(chunk.len(), 8)
            );
            let mut query = sqlx::query(&sql);
            for (dossier, (rating, at)) in chunk {
                let score = |s: Option<u8>| s.map(i64::from);
                query = query
                    .bind(dossier.code.clone())
                    .bind(i64::from(rating.overall))
                    .bind(score(rating.counter_visits))
                    .bind(score(rating.agencies_contacted))
                    .bind(score(rating.staff_attitude))
                    .bind(score(rating.online_ease))
                    .bind(rating.reason.clone())
                    .bind(*at);
            }
            query.execute(&mut *tx).await?;
        }
        let mut last: HashMap<Date, u32> = HashMap::new();
        for dossier in dossiers {
            let entry = last.entry(dossier.day).or_insert(0);
            *entry = (*entry).max(dossier.sequence);
        }
        for (day, sequence) in last {
            sqlx::query(
                "INSERT INTO dossier_sequences (agency, day, last_sequence) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency, day) DO UPDATE SET last_sequence = CASE \
                 WHEN excluded.last_sequence > dossier_sequences.last_sequence \
                 THEN excluded.last_sequence ELSE dossier_sequences.last_sequence END",
            )
            .bind(agency.as_str())
            .bind(day.iso())
            .bind(i64::from(sequence))
            .execute(&mut *tx)
            .await?;
        }
        // Their histories reach into days already summarised.
        super::statistics::forget_summaries(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_every_value() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
