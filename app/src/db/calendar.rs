//! The working calendar's stored part: the published decisions staff enter (and the ones the
//! program ships), read back as a `Calendar` over the rule.

use std::ops::RangeInclusive;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::Row;

use super::{Database, DbError, cache_lock, corrupt};
use crate::domain::calendar::Date;
use crate::domain::working_days::{Calendar, DayState, Decision, published_decisions};

/// Who entered the decisions the program ships.
const SHIPPED: &str = "he-thong";

/// The calendar this server read last for its pages. Every page with a due date (the status
/// page above all) needs the calendar, and its entries change a few times a year: reading them
/// once a minute instead of once a page takes a statement off each of those pages. An edit made
/// through this server clears it at once (a page reading the entries at that very moment may
/// put the older copy back, which then lasts `FRESH_FOR` at most); one made through another app
/// server reaches this one within `FRESH_FOR`. What is written (a dossier's appointment, a due
/// date in a transaction) never reads it: those read the entries themselves.
#[derive(Debug, Default)]
pub(crate) struct CalendarCache(Mutex<Option<CachedCalendar>>);

#[derive(Debug)]
struct CachedCalendar {
    read_at: Instant,
    years: RangeInclusive<i32>,
    calendar: Calendar,
}

impl CalendarCache {
    const FRESH_FOR: Duration = Duration::from_secs(60);

    fn get(&self, years: &RangeInclusive<i32>) -> Option<Calendar> {
        cache_lock(&self.0)
            .as_ref()
            .filter(|c| c.read_at.elapsed() < Self::FRESH_FOR)
            .filter(|c| c.years.contains(years.start()) && c.years.contains(years.end()))
            .map(|c| c.calendar.clone())
    }

    fn put(&self, years: RangeInclusive<i32>, calendar: Calendar) {
        *cache_lock(&self.0) = Some(CachedCalendar {
            read_at: Instant::now(),
            years,
            calendar,
        });
    }

    fn forget(&self) {
        *cache_lock(&self.0) = None;
    }
}

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
        self.calendar.forget();
        Ok(())
    }

    /// The calendar from `from` for `days` days (with a year's margin either side).
    pub async fn calendar_covering(&self, from: Date, days: i64) -> Result<Calendar, DbError> {
        calendar_covering(self.pool(), from, days).await
    }

    /// The same calendar for a page to show dates with: this server's copy while it is fresh
    /// (`CalendarCache`), else read and kept.
    pub async fn calendar_for_pages(&self, from: Date, days: i64) -> Result<Calendar, DbError> {
        let years = covered_years(from, days);
        if let Some(calendar) = self.calendar.get(&years) {
            return Ok(calendar);
        }
        let calendar = calendar_covering(self.pool(), from, days).await?;
        self.calendar.put(years, calendar.clone());
        Ok(calendar)
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
        self.calendar.forget();
        Ok(())
    }

    /// Removes the entry of `day`: the rule decides that day again.
    pub async fn remove_calendar_entry(&self, day: Date) -> Result<(), DbError> {
        sqlx::query("DELETE FROM calendar_entries WHERE day = $1")
            .bind(day.iso())
            .execute(self.pool())
            .await?;
        self.calendar.forget();
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
    let years = covered_years(from, days);
    let (first, last) = (*years.start(), *years.end());
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
    Ok(Calendar::new(years, decisions))
}

/// The years a calendar from `from` for `days` days is read for: a year's margin either side.
fn covered_years(from: Date, days: i64) -> RangeInclusive<i32> {
    from.year - 1..=from.add_days(days).year + 1
}
