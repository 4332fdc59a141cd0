//! The period report's figures (`domain::statistics`). Each past day is summarised once, when
//! it is over, by sweeping the event history (`history::Sweep`) into `statistics_flows` (what
//! happened that day) and `statistics_stocks` (what was open at its end). A period then adds
//! its days' flows and reads two stocks, whatever the number of dossiers; a period that is not
//! over adds today's events and the open dossiers as they stand now.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;

use super::{Database, DbError, corrupt};
use crate::domain::calendar::Date;
use crate::domain::lifecycle::{Change, Status};
use crate::domain::statistics::history::{
    DayFigures, DossierFacts, Group, OpenDossier, RatingEvent, StatusEvent, Sweep,
};
use crate::domain::statistics::{
    Figures, Filter, Flows, ItemScore, Period, ProcedureInfo, RatingCounts, Report, Slice, Stock,
};

/// Days summarised per transaction: a month's events at most are held in memory, and the lock
/// that keeps two servers from summarising the same days is held that long.
const DAYS_PER_SWEEP: i64 = 31;

/// Rows per insert statement: small statements are faster on SQLite (see `demo`).
const ROWS_PER_INSERT: usize = 40;

/// The flows' columns after the key, in `Flows` order.
const FLOW_COLUMNS: [&str; 25] = [
    "submitted_online",
    "received",
    "received_digitised",
    "refused",
    "supplement_requests",
    "withdrawn_before_intake",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_undated",
    "withdrawn",
    "stopped",
    "rating_forms",
    "rating_satisfied",
    "rating_not_satisfied",
    "overall_total",
    "overall_answered",
    "counter_visits_total",
    "counter_visits_answered",
    "agencies_contacted_total",
    "agencies_contacted_answered",
    "staff_attitude_total",
    "staff_attitude_answered",
    "online_ease_total",
    "online_ease_answered",
];

fn flow_values(f: &Flows) -> [i64; 25] {
    let r = &f.ratings;
    [
        f.submitted_online,
        f.received,
        f.received_digitised,
        f.refused,
        f.supplement_requests,
        f.withdrawn_before_intake,
        f.resolved_early,
        f.resolved_on_time,
        f.resolved_late,
        f.resolved_undated,
        f.withdrawn,
        f.stopped,
        r.forms,
        r.satisfied,
        r.not_satisfied,
        r.overall.total,
        r.overall.answered,
        r.counter_visits.total,
        r.counter_visits.answered,
        r.agencies_contacted.total,
        r.agencies_contacted.answered,
        r.staff_attitude.total,
        r.staff_attitude.answered,
        r.online_ease.total,
        r.online_ease.answered,
    ]
}

fn flows_from(v: [i64; 25]) -> Flows {
    let item = |total, answered| ItemScore { total, answered };
    Flows {
        submitted_online: v[0],
        received: v[1],
        received_digitised: v[2],
        refused: v[3],
        supplement_requests: v[4],
        withdrawn_before_intake: v[5],
        resolved_early: v[6],
        resolved_on_time: v[7],
        resolved_late: v[8],
        resolved_undated: v[9],
        withdrawn: v[10],
        stopped: v[11],
        ratings: RatingCounts {
            forms: v[12],
            satisfied: v[13],
            not_satisfied: v[14],
            overall: item(v[15], v[16]),
            counter_visits: item(v[17], v[18]),
            agencies_contacted: item(v[19], v[20]),
            staff_attitude: item(v[21], v[22]),
            online_ease: item(v[23], v[24]),
        },
    }
}

/// Forgets every summarised day: for tools that write history into the past (demo data, the
/// article's month), never for the app's own events, which are always now.
pub(crate) async fn forget_summaries(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), DbError> {
    sqlx::query("UPDATE statistics_progress SET summarised_through = NULL WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM statistics_flows")
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM statistics_stocks")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn date_of(text: &str) -> Result<Date, DbError> {
    Date::parse_iso(text).ok_or_else(|| corrupt("statistics day", text))
}

fn optional_date(row: &sqlx::any::AnyRow, column: &str) -> Result<Option<Date>, DbError> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| date_of(&text))
        .transpose()
}

fn status_of(code: i64) -> Result<Status, DbError> {
    Status::from_code(code).ok_or_else(|| corrupt("status", code))
}

fn group_of(row: &sqlx::any::AnyRow) -> Result<Group, DbError> {
    Ok(Group {
        agency: row.try_get("agency")?,
        procedure: row.try_get("procedure_code")?,
        channel: row.try_get("channel")?,
    })
}

fn facts_of(row: &sqlx::any::AnyRow) -> Result<DossierFacts, DbError> {
    Ok(DossierFacts {
        group: group_of(row)?,
        digitised: row.try_get::<i64, _>("digitised")? == 1,
        appointment: optional_date(row, "appointment_date")?,
    })
}

fn stock_of(row: &sqlx::any::AnyRow) -> Result<(Group, Stock), DbError> {
    Ok((
        group_of(row)?,
        Stock {
            in_progress: row.try_get("in_progress")?,
            overdue: row.try_get("overdue")?,
            awaiting_intake: row.try_get("awaiting_intake")?,
        },
    ))
}

fn rating_of(row: &sqlx::any::AnyRow) -> Result<RatingEvent, DbError> {
    Ok(RatingEvent {
        at: row.try_get("rated_at")?,
        group: group_of(row)?,
        overall: row.try_get("overall")?,
        items: [
            row.try_get("counter_visits")?,
            row.try_get("agencies_contacted")?,
            row.try_get("staff_attitude")?,
            row.try_get("online_ease")?,
        ],
    })
}

const RATINGS_BETWEEN: &str = "SELECT r.rated_at, r.overall, r.counter_visits, \
     r.agencies_contacted, r.staff_attitude, r.online_ease, d.agency, d.procedure_code, \
     d.channel FROM ratings r JOIN dossiers d ON d.code = r.dossier_code \
     WHERE r.rated_at >= $1 AND r.rated_at < $2 ORDER BY r.rated_at";

/// The dossiers not closed before `at` that had come in by then: open at `at`.
const OPEN_AT: &str = "SELECT code, agency, procedure_code, channel, digitised, \
     appointment_date FROM dossiers WHERE closed_at IS NULL AND received_at < $1 \
     UNION ALL SELECT code, agency, procedure_code, channel, digitised, appointment_date \
     FROM dossiers WHERE closed_at >= $1 AND received_at < $1";

impl Database {
    /// The report of `period` for the dossiers `filter` selects, as of the period's end (or of
    /// `now`, when the period is not over); `catalogue` names its procedures and sectors
    /// (`procedure_infos`).
    pub async fn period_report(
        &self,
        period: Period,
        filter: Filter,
        now: i64,
        catalogue: &[ProcedureInfo],
    ) -> Result<Report, DbError> {
        let agency = filter.agency.clone();
        let (open, slices) = self
            .period_figures(period, now, |group| {
                agency
                    .as_ref()
                    .is_none_or(|wanted| *wanted == group.agency)
                    .then_some((group.procedure, group.channel))
            })
            .await?;
        let slices = slices
            .into_iter()
            .map(|((procedure, channel), figures)| Slice {
                procedure,
                channel,
                figures,
            })
            .collect();
        Ok(Report::new(period, filter, open, slices, catalogue))
    }

    /// Each center's figures for `period` (by agency code): the province's comparison.
    pub async fn figures_by_center(
        &self,
        period: Period,
        now: i64,
    ) -> Result<BTreeMap<String, Figures>, DbError> {
        Ok(self
            .period_figures(period, now, |group| Some(group.agency))
            .await?
            .1)
    }

    /// The figures of `period` (as of its end, or of `now` when it is not over) summed under
    /// the key `key` gives each group, leaving out the groups it gives none; and whether the
    /// period is still open.
    async fn period_figures<K: Ord>(
        &self,
        period: Period,
        now: i64,
        key: impl Fn(Group) -> Option<K>,
    ) -> Result<(bool, BTreeMap<K, Figures>), DbError> {
        let today = Date::in_vietnam(now);
        let open = period.last >= today;
        let last_closed_day = period.last.min(today.add_days(-1));
        self.summarise_through(last_closed_day).await?;
        let mut sums: BTreeMap<K, Figures> = BTreeMap::new();
        fn entry<K: Ord>(sums: &mut BTreeMap<K, Figures>, key: Option<K>) -> Option<&mut Figures> {
            key.map(|key| sums.entry(key).or_default())
        }
        if period.first <= today {
            for (group, stock) in self.stocks_on(period.first.add_days(-1)).await? {
                if let Some(figures) = entry(&mut sums, key(group)) {
                    figures.carried.add(&stock);
                }
            }
            for (group, flows) in self.flows_between(period.first, last_closed_day).await? {
                if let Some(figures) = entry(&mut sums, key(group)) {
                    figures.flows.add(&flows);
                }
            }
        }
        if open {
            if period.first <= today {
                for (group, flows) in self.flows_today(today, now).await? {
                    if let Some(figures) = entry(&mut sums, key(group)) {
                        figures.flows.add(&flows);
                    }
                }
                for (group, stock) in self.stocks_now(today).await? {
                    if let Some(figures) = entry(&mut sums, key(group)) {
                        figures.end.add(&stock);
                    }
                }
            }
        } else {
            for (group, stock) in self.stocks_on(period.last).await? {
                if let Some(figures) = entry(&mut sums, key(group)) {
                    figures.end.add(&stock);
                }
            }
        }
        Ok((open, sums))
    }

    /// The catalogue's procedures with their sectors, for naming a report's rows and filtering
    /// it by sector.
    pub async fn procedure_infos(&self) -> Result<Vec<ProcedureInfo>, DbError> {
        sqlx::query("SELECT code, name, sector FROM procedures ORDER BY code")
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| {
                Ok(ProcedureInfo {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    sector: row.try_get("sector")?,
                })
            })
            .collect()
    }

    /// The stock at the end of `day`, per group.
    async fn stocks_on(&self, day: Date) -> Result<Vec<(Group, Stock)>, DbError> {
        sqlx::query(
            "SELECT agency, procedure_code, channel, in_progress, overdue, awaiting_intake \
             FROM statistics_stocks WHERE day = $1",
        )
        .bind(day.iso())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(stock_of)
        .collect()
    }

    /// The flows of the days from `first` to `last`, per group.
    async fn flows_between(&self, first: Date, last: Date) -> Result<Vec<(Group, Flows)>, DbError> {
        if last < first {
            return Ok(Vec::new());
        }
        let sums: Vec<String> = FLOW_COLUMNS
            .iter()
            .map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}"))
            .collect();
        // The column list is this module's constant, never input.
        let sql = format!(
            "SELECT agency, procedure_code, channel, {} FROM statistics_flows \
             WHERE day >= $1 AND day <= $2 GROUP BY agency, procedure_code, channel",
            sums.join(", ")
        );
        sqlx::query(&sql)
            .bind(first.iso())
            .bind(last.iso())
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| {
                let mut values = [0; 25];
                for (value, column) in values.iter_mut().zip(FLOW_COLUMNS) {
                    *value = row.try_get(column)?;
                }
                Ok((group_of(row)?, flows_from(values)))
            })
            .collect()
    }

    /// Today's flows so far, by the rule the sweep applies (`Flows::count_change`): the due date
    /// of a dossier resolved today is the one kept on it, which the same history gave.
    async fn flows_today(&self, today: Date, now: i64) -> Result<Vec<(Group, Flows)>, DbError> {
        let start = today.start_in_vietnam();
        let events = sqlx::query(
            "SELECT e.at, e.from_status, e.to_status, d.agency, d.procedure_code, d.channel, \
             d.digitised, d.accepted_at, d.due_date FROM dossier_events e \
             JOIN dossiers d ON d.code = e.dossier_code WHERE e.at >= $1 AND e.at <= $2",
        )
        .bind(start)
        .bind(now)
        .fetch_all(self.reader());
        let ratings = sqlx::query(RATINGS_BETWEEN)
            .bind(start)
            .bind(now + 1)
            .fetch_all(self.reader());
        let (events, ratings) = tokio::try_join!(events, ratings)?;
        let mut flows: HashMap<Group, Flows> = HashMap::new();
        for row in &events {
            let at: i64 = row.try_get("at")?;
            let accepted_at: Option<i64> = row.try_get("accepted_at")?;
            let from = row
                .try_get::<Option<i64>, _>("from_status")?
                .map(status_of)
                .transpose()?;
            flows.entry(group_of(row)?).or_default().count_change(
                today,
                from,
                status_of(row.try_get("to_status")?)?,
                row.try_get::<i64, _>("digitised")? == 1,
                accepted_at.is_some_and(|accepted| accepted < at),
                optional_date(row, "due_date")?,
            );
        }
        for row in &ratings {
            let rating = rating_of(row)?;
            flows
                .entry(rating.group.clone())
                .or_default()
                .count_rating(&rating);
        }
        Ok(flows.into_iter().collect())
    }

    /// The open dossiers as they stand now: overdue when the clock runs and the due date is
    /// before today.
    async fn stocks_now(&self, today: Date) -> Result<Vec<(Group, Stock)>, DbError> {
        sqlx::query(
            "SELECT agency, procedure_code, channel, \
             CAST(SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) \
             AS in_progress, \
             CAST(SUM(CASE WHEN accepted_at IS NOT NULL AND status IN (2, 4) \
             AND due_date < $1 THEN 1 ELSE 0 END) AS BIGINT) AS overdue, \
             CAST(SUM(CASE WHEN accepted_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
             AS awaiting_intake \
             FROM dossiers WHERE closed_at IS NULL GROUP BY agency, procedure_code, channel",
        )
        .bind(today.iso())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(stock_of)
        .collect()
    }

    /// Summarises every day up to `last` not summarised yet, a month per transaction.
    pub async fn summarise_through(&self, last: Date) -> Result<(), DbError> {
        loop {
            // Most reports find the days done: they read, and take no lock.
            let through = self.summarised_through().await?;
            let first = match through {
                Some(day) => day.add_days(1),
                None => {
                    let earliest: Option<i64> =
                        sqlx::query("SELECT MIN(at) AS earliest FROM dossier_events")
                            .fetch_one(self.writer())
                            .await?
                            .try_get("earliest")?;
                    earliest.map_or(last.add_days(1), Date::in_vietnam)
                }
            };
            if through.is_some() && first > last {
                return Ok(());
            }
            let chunk_last = last.min(first.add_days(DAYS_PER_SWEEP - 1));
            // The days are over, so their history no longer moves: they are swept without a
            // lock, and only the writing waits for one (citizens' filings wait that long only).
            let days = if first <= chunk_last {
                sweep_days(self.writer(), first, chunk_last).await?
            } else {
                Vec::new()
            };
            let mut writer = self.writer().acquire().await?;
            let mut tx = writer.begin().await?;
            // The write comes first: it takes the lock another server would wait on.
            sqlx::query(
                "UPDATE statistics_progress SET summarised_through = summarised_through \
                 WHERE id = 1",
            )
            .execute(&mut *tx)
            .await?;
            let now_through: Option<String> =
                sqlx::query("SELECT summarised_through FROM statistics_progress WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("summarised_through")?;
            if now_through.as_deref().map(date_of).transpose()? != through {
                // Another server wrote these days meanwhile.
                tx.rollback().await?;
                continue;
            }
            write_days(&mut tx, &days).await?;
            sqlx::query("UPDATE statistics_progress SET summarised_through = $1 WHERE id = 1")
                .bind(chunk_last.max(first.add_days(-1)).iso())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if chunk_last >= last {
                return Ok(());
            }
        }
    }

    async fn summarised_through(&self) -> Result<Option<Date>, DbError> {
        sqlx::query("SELECT summarised_through FROM statistics_progress WHERE id = 1")
            .fetch_one(self.reader())
            .await?
            .try_get::<Option<String>, _>("summarised_through")?
            .as_deref()
            .map(date_of)
            .transpose()
    }
}

/// The figures of the days from `first` to `last`, from the dossiers open when `first` began
/// and the events and ratings of those days.
async fn sweep_days(
    connections: &super::Connections,
    first: Date,
    last: Date,
) -> Result<Vec<(Date, DayFigures)>, DbError> {
    let start = first.start_in_vietnam();
    let end = last.add_days(1).start_in_vietnam();
    let mut open: HashMap<String, OpenDossier> = HashMap::new();
    for row in sqlx::query(OPEN_AT)
        .bind(start)
        .fetch_all(connections)
        .await?
    {
        open.insert(row.try_get("code")?, OpenDossier::new(facts_of(&row)?));
    }
    let history = format!(
        "SELECT e.dossier_code, e.at, e.to_status FROM dossier_events e \
         WHERE e.at < $1 AND e.dossier_code IN (SELECT code FROM ({OPEN_AT}) open_dossiers) \
         ORDER BY e.at, e.id"
    );
    for row in sqlx::query(&history)
        .bind(start)
        .fetch_all(connections)
        .await?
    {
        let code: String = row.try_get("dossier_code")?;
        let at: i64 = row.try_get("at")?;
        if let Some(dossier) = open.get_mut(&code) {
            dossier.record(Change {
                on: Date::in_vietnam(at),
                status: status_of(row.try_get("to_status")?)?,
            });
        }
    }
    let events = sqlx::query(
        "SELECT e.dossier_code, e.at, e.from_status, e.to_status, d.agency, d.procedure_code, \
         d.channel, d.digitised, d.appointment_date FROM dossier_events e \
         JOIN dossiers d ON d.code = e.dossier_code WHERE e.at >= $1 AND e.at < $2 \
         ORDER BY e.at, e.id",
    )
    .bind(start)
    .bind(end)
    .fetch_all(connections)
    .await?
    .iter()
    .map(|row| {
        Ok(StatusEvent {
            dossier: row.try_get("dossier_code")?,
            at: row.try_get("at")?,
            from: row
                .try_get::<Option<i64>, _>("from_status")?
                .map(status_of)
                .transpose()?,
            to: status_of(row.try_get("to_status")?)?,
            facts: facts_of(row)?,
        })
    })
    .collect::<Result<Vec<_>, DbError>>()?;
    let ratings = sqlx::query(RATINGS_BETWEEN)
        .bind(start)
        .bind(end)
        .fetch_all(connections)
        .await?
        .iter()
        .map(rating_of)
        .collect::<Result<Vec<_>, DbError>>()?;
    // Pauses that began up to a year before and due dates up to a year after.
    let calendars = super::calendar::calendars_covering(
        connections,
        first.add_days(-366),
        last.julian_day() - first.julian_day() + 2 * 366,
    )
    .await?;
    Ok(Sweep::new(open).run(first, last, &events, &ratings, &calendars))
}

/// Writes the days' flows and stocks.
async fn write_days(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    days: &[(Date, DayFigures)],
) -> Result<(), DbError> {
    let flows: Vec<(Date, &Group, &Flows)> = days
        .iter()
        .flat_map(|(day, f)| f.flows.iter().map(move |(g, flows)| (*day, g, flows)))
        .collect();
    for chunk in flows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO statistics_flows (day, agency, procedure_code, channel, {}) VALUES {}",
            FLOW_COLUMNS.join(", "),
            super::demo::placeholders(chunk.len(), 4 + FLOW_COLUMNS.len())
        );
        let mut query = sqlx::query(&sql);
        for (day, group, flows) in chunk {
            query = query
                .bind(day.iso())
                .bind(group.agency.clone())
                .bind(group.procedure.clone())
                .bind(group.channel);
            for value in flow_values(flows) {
                query = query.bind(value);
            }
        }
        query.execute(&mut **tx).await?;
    }
    let stocks: Vec<(Date, &Group, &Stock)> = days
        .iter()
        .flat_map(|(day, f)| f.stocks.iter().map(move |(g, stock)| (*day, g, stock)))
        .collect();
    for chunk in stocks.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO statistics_stocks (day, agency, procedure_code, channel, in_progress, \
             overdue, awaiting_intake) VALUES {}",
            super::demo::placeholders(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (day, group, stock) in chunk {
            query = query
                .bind(day.iso())
                .bind(group.agency.clone())
                .bind(group.procedure.clone())
                .bind(group.channel)
                .bind(stock.in_progress)
                .bind(stock.overdue)
                .bind(stock.awaiting_intake);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
