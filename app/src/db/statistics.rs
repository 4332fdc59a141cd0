//! The counts behind the public statistics, by aggregate queries over the dossiers received in
//! a period (`domain::statistics`): one pass per procedure (the totals are its sums) and one for the
//! ratings, both reading only the `dossiers_statistics` index.

use sqlx::Row;

use super::{Database, DbError};
use crate::domain::calendar::Date;
use crate::domain::statistics::{
    Counts, ItemScore, Period, ProcedureCounts, RatingCounts, Statistics,
};

/// `SUM` of a 0/1 expression as a BIGINT on both back ends (PostgreSQL sums to `numeric`), 0
/// over no rows.
macro_rules! count_where {
    ($condition:expr) => {
        concat!(
            "CAST(COALESCE(SUM(CASE WHEN ",
            $condition,
            " THEN 1 ELSE 0 END), 0) AS BIGINT)"
        )
    };
}

/// Finished early / on time / late, as `domain::statistics::Finish::of` decides.
macro_rules! early {
    () => {
        "finished_day IS NOT NULL AND finished_day < due_date"
    };
}
macro_rules! on_time {
    () => {
        "finished_day IS NOT NULL AND (due_date IS NULL OR finished_day = due_date)"
    };
}
macro_rules! late {
    () => {
        "finished_day IS NOT NULL AND finished_day > due_date"
    };
}

/// Sum and count of answers of a rating item.
macro_rules! item {
    ($column:literal) => {
        concat!(
            "CAST(COALESCE(SUM(r.",
            $column,
            "), 0) AS BIGINT) AS ",
            $column,
            "_total, COUNT(r.",
            $column,
            ") AS ",
            $column,
            "_answered"
        )
    };
}

fn item(row: &sqlx::any::AnyRow, column: &str) -> Result<ItemScore, DbError> {
    Ok(ItemScore {
        total: row.try_get(format!("{column}_total").as_str())?,
        answered: row.try_get(format!("{column}_answered").as_str())?,
    })
}

/// How long the figures of a closed period are served from `statistics_cache`. Its dossiers
/// still move (statistics count the period's dossiers as they stand now), so not for long;
/// issue 18 makes a closed period's figures final, and then they can be kept for good.
pub const CLOSED_PERIOD_KEPT_SECONDS: i64 = 600;

impl Database {
    /// The statistics of the dossiers received in `period`; `today` in Vietnam decides which
    /// open dossiers are overdue. A period that ended before today is read from the cache
    /// when it was computed in the last `CLOSED_PERIOD_KEPT_SECONDS`, so asking for it again and
    /// again costs one small read (shared by every app server).
    pub async fn statistics(&self, period: Period, today: Date) -> Result<Statistics, DbError> {
        if period.last >= today {
            return self.compute_statistics(period, today).await;
        }
        let key = crate::domain::url::with_query("", &period.to_query());
        let now = self.now();
        let cached = sqlx::query(
            "SELECT figures FROM statistics_cache WHERE period_key = $1 AND computed_at > $2",
        )
        .bind(&key)
        .bind(now - CLOSED_PERIOD_KEPT_SECONDS)
        .fetch_optional(self.pool())
        .await?;
        if let Some(row) = cached
            && let Ok(figures) = serde_json::from_str(&row.try_get::<String, _>("figures")?)
        {
            return Ok(figures);
        }
        let figures = self.compute_statistics(period, today).await?;
        let json = serde_json::to_string(&figures)
            .map_err(|error| DbError::Corrupt(format!("statistics as JSON: {error}")))?;
        sqlx::query(
            "INSERT INTO statistics_cache (period_key, computed_at, figures) VALUES ($1, $2, $3) \
             ON CONFLICT (period_key) DO UPDATE SET computed_at = excluded.computed_at, \
             figures = excluded.figures",
        )
        .bind(&key)
        .bind(now)
        .bind(json)
        .execute(self.pool())
        .await?;
        Ok(figures)
    }

    /// `statistics`, read from the dossiers.
    async fn compute_statistics(&self, period: Period, today: Date) -> Result<Statistics, DbError> {
        let (start, end) = period.instants();
        // One pass over the period's dossiers, per procedure; the totals are their sums.
        let groups = sqlx::query(concat!(
            "SELECT procedure_code, COUNT(*) AS received, ",
            count_where!("channel = 1"),
            " AS counter, ",
            count_where!("channel = 2"),
            " AS online, ",
            count_where!("channel = 3"),
            " AS postal, ",
            count_where!("digitised = 1"),
            " AS digitised, ",
            count_where!(early!()),
            " AS early, ",
            count_where!(on_time!()),
            " AS on_time, ",
            count_where!(late!()),
            " AS late, ",
            count_where!("status IN (1, 2, 4, 5, 6)"),
            " AS in_progress, ",
            count_where!("status IN (1, 2, 4) AND due_date < $3"),
            " AS overdue, ",
            count_where!("status = 7"),
            " AS withdrawn, ",
            count_where!("status = 3"),
            " AS refused, ",
            count_where!("status = 8"),
            " AS stopped FROM dossiers WHERE received_at >= $1 AND received_at < $2 \
             GROUP BY procedure_code"
        ))
        .bind(start)
        .bind(end)
        .bind(today.iso())
        .fetch_all(self.pool());
        // Names from the catalogue: reading them from the dossiers would leave the index.
        let names = sqlx::query("SELECT code, name FROM procedures").fetch_all(self.pool());
        let ratings = sqlx::query(concat!(
            "SELECT COUNT(*) AS forms, ",
            count_where!("r.overall >= 1"),
            " AS satisfied, ",
            item!("overall"),
            ", ",
            item!("counter_visits"),
            ", ",
            item!("agencies_contacted"),
            ", ",
            item!("staff_attitude"),
            ", ",
            item!("online_ease"),
            " FROM ratings r WHERE r.received_at >= $1 AND r.received_at < $2"
        ))
        .bind(start)
        .bind(end)
        .fetch_one(self.pool());
        // The three run at once, on three connections.
        let (groups, names, row) = tokio::try_join!(groups, names, ratings)?;
        let names: std::collections::HashMap<String, String> = names
            .iter()
            .map(|row| Ok((row.try_get("code")?, row.try_get("name")?)))
            .collect::<Result<_, DbError>>()?;
        let mut counts = Counts::default();
        let mut procedures = Vec::with_capacity(groups.len());
        for row in &groups {
            let get = |name: &str| row.try_get::<i64, _>(name);
            let group = Counts {
                received: get("received")?,
                counter: get("counter")?,
                online: get("online")?,
                postal: get("postal")?,
                digitised: get("digitised")?,
                early: get("early")?,
                on_time: get("on_time")?,
                late: get("late")?,
                in_progress: get("in_progress")?,
                overdue: get("overdue")?,
                withdrawn: get("withdrawn")?,
                refused: get("refused")?,
                stopped: get("stopped")?,
            };
            let code: String = row.try_get("procedure_code")?;
            procedures.push(ProcedureCounts {
                name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                code,
                received: group.received,
                finished: group.early + group.on_time + group.late,
                in_time: group.early + group.on_time,
            });
            counts.add(&group);
        }
        procedures.sort_by(|a, b| {
            b.received
                .cmp(&a.received)
                .then_with(|| a.code.cmp(&b.code))
        });
        let ratings = RatingCounts {
            forms: row.try_get("forms")?,
            satisfied: row.try_get("satisfied")?,
            overall: item(&row, "overall")?,
            counter_visits: item(&row, "counter_visits")?,
            agencies_contacted: item(&row, "agencies_contacted")?,
            staff_attitude: item(&row, "staff_attitude")?,
            online_ease: item(&row, "online_ease")?,
        };
        Ok(Statistics {
            period,
            counts,
            procedures,
            ratings,
        })
    }
}
