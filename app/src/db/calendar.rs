//! The working calendar's stored part: the published decisions staff enter (and the ones the
//! program ships), read back as a `Calendar` over the rule.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::Row;

use super::{Database, DbError, cache_lock, corrupt};
use crate::domain::calendar::Date;
use crate::domain::working_days::{Calendar, Calendars, DayState, Decision, published_decisions};

/// Who entered the decisions the program ships.
const SHIPPED: &str = "he-thong";

/// The calendar this server read last for its pages. Every page with a due date (the status
/// page above all) needs the calendar, and its entries change a few times a year: reading them
/// once a minute instead of once a page takes a statement off each of those pages. An edit made
/// through this server clears it at once (a page reading the entries at that very moment may
/// put the older copy back, which then lasts `FRESH_FOR` at most); one made through another app
/// server reaches this one within `FRESH_FOR`. What is written (a dossier's appointment, a due
/// date in a transaction) never reads it: those read the entries themselves.
/// One copy per center (by agency code; '' for the national calendar).
#[derive(Debug, Default)]
pub(crate) struct CalendarCache(Mutex<HashMap<String, CachedCalendar>>);

#[derive(Debug)]
struct CachedCalendar {
    read_at: Instant,
    years: RangeInclusive<i32>,
    calendar: Calendar,
}

impl CalendarCache {
    const FRESH_FOR: Duration = Duration::from_secs(60);

    fn get(&self, agency: &str, years: &RangeInclusive<i32>) -> Option<Calendar> {
        cache_lock(&self.0)
            .get(agency)
            .filter(|c| c.read_at.elapsed() < Self::FRESH_FOR)
            .filter(|c| c.years.contains(years.start()) && c.years.contains(years.end()))
            .map(|c| c.calendar.clone())
    }

    fn put(&self, agency: &str, years: RangeInclusive<i32>, calendar: Calendar) {
        let cached = CachedCalendar {
            read_at: Instant::now(),
            years,
            calendar,
        };
        cache_lock(&self.0).insert(agency.to_owned(), cached);
    }

    fn forget(&self) {
        cache_lock(&self.0).clear();
    }
}

impl Database {
    /// Adds the shipped decisions of each year not given them before; an entry staff changed or
    /// deleted since is left as it is.
    pub async fn seed_calendar(&self, years: &[i32]) -> Result<(), DbError> {
        let now = self.now();
        for &year in years {
            let mut writer = self.writer().acquire().await?;
            let mut tx = writer.begin().await?;
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

    /// The calendar of the center `agency` ('' for the national one) from `from` for `days`
    /// days (with a year's margin either side).
    pub async fn calendar_covering(
        &self,
        agency: &str,
        from: Date,
        days: i64,
    ) -> Result<Calendar, DbError> {
        calendar_covering(self.reader(), agency, from, days).await
    }

    /// Every center's calendar over the same days.
    pub async fn calendars_covering(&self, from: Date, days: i64) -> Result<Calendars, DbError> {
        calendars_covering(self.reader(), from, days).await
    }

    /// The same calendar for a page to show dates with: this server's copy while it is fresh
    /// (`CalendarCache`), else read and kept.
    pub async fn calendar_for_pages(
        &self,
        agency: &str,
        from: Date,
        days: i64,
    ) -> Result<Calendar, DbError> {
        let years = covered_years(from, days);
        if let Some(calendar) = self.calendar.get(agency, &years) {
            return Ok(calendar);
        }
        let calendar = calendar_covering(self.reader(), agency, from, days).await?;
        self.calendar.put(agency, years, calendar.clone());
        Ok(calendar)
    }

    /// Records (or replaces) the entry of its day: the national one (`place` none, the
    /// province's) or a center's own.
    pub async fn set_calendar_entry(
        &self,
        place: Option<&str>,
        decision: &Decision,
        actor: &str,
        now: i64,
    ) -> Result<(), DbError> {
        let sql = match place {
            None => {
                "INSERT INTO calendar_entries (day, state, note, reference, entered_by, \
                 entered_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO UPDATE SET \
                 state = excluded.state, note = excluded.note, reference = excluded.reference, \
                 entered_by = excluded.entered_by, entered_at = excluded.entered_at"
            }
            Some(_) => {
                "INSERT INTO center_calendar_entries (day, state, note, reference, entered_by, \
                 entered_at, agency) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (agency, day) DO UPDATE SET \
                 state = excluded.state, note = excluded.note, reference = excluded.reference, \
                 entered_by = excluded.entered_by, entered_at = excluded.entered_at"
            }
        };
        let query = sqlx::query(sql)
            .bind(decision.date.iso())
            .bind(decision.state.key())
            .bind(&decision.note)
            .bind(&decision.reference)
            .bind(actor)
            .bind(now);
        match place {
            None => query.execute(self.writer()).await?,
            Some(agency) => query.bind(agency).execute(self.writer()).await?,
        };
        self.calendar.forget();
        Ok(())
    }

    /// Removes the entry of `day` (national, or the center's own): the rule, or the national
    /// calendar, decides that day again.
    pub async fn remove_calendar_entry(
        &self,
        place: Option<&str>,
        day: Date,
    ) -> Result<(), DbError> {
        let query = match place {
            None => sqlx::query("DELETE FROM calendar_entries WHERE day = $1").bind(day.iso()),
            Some(agency) => {
                sqlx::query("DELETE FROM center_calendar_entries WHERE day = $1 AND agency = $2")
                    .bind(day.iso())
                    .bind(agency.to_owned())
            }
        };
        query.execute(self.writer()).await?;
        self.calendar.forget();
        Ok(())
    }
}

/// The calendar of the center `agency` ('' for the national one) from `from` for `days` days,
/// read through `executor` (the pool, or a transaction that must see the same rows it writes
/// beside): the national entries with the center's own on top.
pub(crate) async fn calendar_covering<'e, E>(
    executor: E,
    agency: &str,
    from: Date,
    days: i64,
) -> Result<Calendar, DbError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let calendars = read_calendars(executor, agency, from, days).await?;
    Ok(calendars.of(agency).clone())
}

/// Every center's calendar from `from` for `days` days: the statistics and the reminders count
/// each dossier's days on its own center's.
pub(crate) async fn calendars_covering<'e, E>(
    executor: E,
    from: Date,
    days: i64,
) -> Result<Calendars, DbError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    read_calendars(executor, "*", from, days).await
}

/// The national entries and the own entries of the center `agency` (`*`: of every center).
async fn read_calendars<'e, E>(
    executor: E,
    agency: &str,
    from: Date,
    days: i64,
) -> Result<Calendars, DbError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let years = covered_years(from, days);
    let (first, last) = year_bounds(&years);
    let rows = sqlx::query(
        "SELECT '' AS agency, day, state, note, reference FROM calendar_entries \
         WHERE day >= $1 AND day <= $2 \
         UNION ALL SELECT agency, day, state, note, reference FROM center_calendar_entries \
         WHERE ($3 = '*' OR agency = $3) AND day >= $1 AND day <= $2 ORDER BY agency, day",
    )
    .bind(first)
    .bind(last)
    .bind(agency)
    .fetch_all(executor)
    .await?;
    let mut national = Vec::new();
    let mut own: HashMap<String, Vec<Decision>> = HashMap::new();
    for row in &rows {
        let agency: String = row.try_get("agency")?;
        let day = decision(row)?;
        if agency.is_empty() {
            national.push(day);
        } else {
            own.entry(agency).or_default().push(day);
        }
    }
    Ok(Calendars::new(years, national, own))
}

/// The first and last day of the years, as stored.
fn year_bounds(years: &RangeInclusive<i32>) -> (String, String) {
    (
        Date::new(*years.start(), 1, 1).iso(),
        Date::new(*years.end(), 12, 31).iso(),
    )
}

fn decision(row: &sqlx::any::AnyRow) -> Result<Decision, DbError> {
    let day: String = row.try_get("day")?;
    let state: String = row.try_get("state")?;
    Ok(Decision {
        date: Date::parse_iso(&day).ok_or_else(|| corrupt("calendar day", day))?,
        state: DayState::from_key(&state).ok_or_else(|| corrupt("calendar day state", state))?,
        note: row.try_get("note")?,
        reference: row.try_get("reference")?,
    })
}

/// The years a calendar from `from` for `days` days is read for: a year's margin either side.
fn covered_years(from: Date, days: i64) -> RangeInclusive<i32> {
    from.year - 1..=from.add_days(days).year + 1
}
