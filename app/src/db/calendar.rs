//! The working calendar's stored part: the published decisions staff enter (and the ones the
//! program ships), read back as a `Calendar` over the rule.

use sqlx::Row;

use super::{Database, DbError, corrupt};
use crate::domain::calendar::Date;
use crate::domain::working_days::{Calendar, DayState, Decision, published_decisions};

/// Who entered the decisions the program ships.
const SHIPPED: &str = "he-thong";

impl Database {
    /// Adds the shipped decisions of each year not given them before; an entry staff changed or
    /// deleted since is left as it is.
    pub async fn seed_calendar(&self, years: &[i32]) -> Result<(), DbError> {
        let now = self.now();
        for &year in years {
            let mut tx = self.pool().begin().await?;
            let new_year = sqlx::query(
                "INSERT INTO calendar_years (year) VALUES ($1) ON CONFLICT (year) DO NOTHING",
            )
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if new_year == 1 {
                for decision in published_decisions(year) {
                    sqlx::query(
                        "INSERT INTO calendar_entries (day, state, note, reference, entered_by, entered_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO NOTHING",
                    )
                    .bind(decision.date.iso())
                    .bind(decision.state.key())
                    .bind(&decision.note)
                    .bind(&decision.reference)
                    .bind(SHIPPED)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// The calendar from `from` for `days` days (with a year's margin either side).
    pub async fn calendar_covering(&self, from: Date, days: i64) -> Result<Calendar, DbError> {
        calendar_covering(self.pool(), from, days).await
    }

    /// Records (or replaces) the entry of its day.
    pub async fn set_calendar_entry(
        &self,
        decision: &Decision,
        actor: &str,
        now: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO calendar_entries (day, state, note, reference, entered_by, entered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO UPDATE SET \
             state = excluded.state, note = excluded.note, reference = excluded.reference, \
             entered_by = excluded.entered_by, entered_at = excluded.entered_at",
        )
        .bind(decision.date.iso())
        .bind(decision.state.key())
        .bind(&decision.note)
        .bind(&decision.reference)
        .bind(actor)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes the entry of `day`: the rule decides that day again.
    pub async fn remove_calendar_entry(&self, day: Date) -> Result<(), DbError> {
        sqlx::query("DELETE FROM calendar_entries WHERE day = $1")
            .bind(day.iso())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// The calendar from `from` for `days` days, read through `executor` (the pool, or a transaction
/// that must see the same rows it writes beside).
pub(crate) async fn calendar_covering<'e, E>(
    executor: E,
    from: Date,
    days: i64,
) -> Result<Calendar, DbError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let first = from.year - 1;
    let last = from.add_days(days).year + 1;
    let decisions = sqlx::query(
        "SELECT day, state, note, reference FROM calendar_entries \
         WHERE day >= $1 AND day <= $2 ORDER BY day",
    )
    .bind(Date::new(first, 1, 1).iso())
    .bind(Date::new(last, 12, 31).iso())
    .fetch_all(executor)
    .await?
    .iter()
    .map(|row| {
        let day: String = row.try_get("day")?;
        let state: String = row.try_get("state")?;
        Ok(Decision {
            date: Date::parse_iso(&day).ok_or_else(|| corrupt("calendar day", day))?,
            state: DayState::from_key(&state)
                .ok_or_else(|| corrupt("calendar day state", state))?,
            note: row.try_get("note")?,
            reference: row.try_get("reference")?,
        })
    })
    .collect::<Result<Vec<_>, DbError>>()?;
    Ok(Calendar::new(first..=last, decisions))
}
