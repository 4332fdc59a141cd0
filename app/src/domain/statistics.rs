//! The center's public statistics (DESIGN.md §6, §7): the period asked for, the counts the
//! database gives for it, and the rates a commune reports, each with its formula.
//!
//! Every figure is about the dossiers **received in the period** (their cohort): how they came
//! in, how many are finished and whether in time, how many are still open, and how their
//! applicants rated the service. A dossier finished counts as early when its result was ready
//! before the due date, on time on the due date, late after it; the due date is the promised
//! date plus the days the clock was paused (`tracking::Promise`).

use serde::{Deserialize, Serialize};

use super::calendar::Date;

/// What kind of period the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Custom,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] = [
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
        PeriodKind::Custom,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PeriodKind::Month => "thang",
            PeriodKind::Quarter => "quy",
            PeriodKind::Year => "nam",
            PeriodKind::Custom => "tuy-chon",
        }
    }
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub first: Date,
    pub last: Date,
}

/// The longest custom period: a year and a day, as long as the yearly report. A longer range
/// costs a statistics query ten times more for a report nobody files, and anyone may ask for it
/// (issue 14: ten years on 100,000 dossiers took 110 ms each, 19 requests a second filled both
/// cores). Longer spans are read a year at a time.
pub const CUSTOM_MAX_DAYS: i64 = 366;

fn last_day_of_month(year: i32, month: u32) -> Date {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Date::new(next_year, next_month, 1).add_days(-1)
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            kind: PeriodKind::Month,
            first: Date::new(year, month, 1),
            last: last_day_of_month(year, month),
        }
    }

    pub fn quarter(year: i32, quarter: u32) -> Period {
        let first_month = (quarter.clamp(1, 4) - 1) * 3 + 1;
        Period {
            kind: PeriodKind::Quarter,
            first: Date::new(year, first_month, 1),
            last: last_day_of_month(year, first_month + 2),
        }
    }

    pub fn year(year: i32) -> Period {
        Period {
            kind: PeriodKind::Year,
            first: Date::new(year, 1, 1),
            last: Date::new(year, 12, 31),
        }
    }

    /// From the query string (`ky`, `nam`, `thang`, `quy`, `tu`, `den`); what cannot be read
    /// falls back to this month (the default), this year, or a sane range.
    pub fn from_query(get: impl Fn(&str) -> Option<String>, today: Date) -> Period {
        let value = |name: &str| get(name).unwrap_or_default().trim().to_owned();
        let year = value("nam")
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(today.year);
        match value("ky").as_str() {
            "quy" => {
                let quarter = value("quy")
                    .parse()
                    .ok()
                    .filter(|q| (1..=4).contains(q))
                    .unwrap_or((today.month - 1) / 3 + 1);
                Period::quarter(year, quarter)
            }
            "nam" => Period::year(year),
            "tuy-chon" => {
                let first = Date::parse_typed(&value("tu")).unwrap_or(Date::new(today.year, 1, 1));
                let last = Date::parse_typed(&value("den")).unwrap_or(today);
                let (first, last) = if first <= last {
                    (first, last)
                } else {
                    (last, first)
                };
                Period {
                    kind: PeriodKind::Custom,
                    first: first.max(last.add_days(-CUSTOM_MAX_DAYS)),
                    last,
                }
            }
            _ => {
                let month = value("thang")
                    .parse()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .unwrap_or(today.month);
                Period::month(year, month)
            }
        }
    }

    /// `from_query` over the query string's (name, value) pairs.
    pub fn from_pairs(query: &[(String, String)], today: Date) -> Period {
        Period::from_query(|name| super::url::query_value(query, name), today)
    }

    /// The query string that gives this period back.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![("ky", self.kind.key().to_owned())];
        match self.kind {
            PeriodKind::Month => {
                query.push(("nam", self.first.year.to_string()));
                query.push(("thang", self.first.month.to_string()));
            }
            PeriodKind::Quarter => {
                query.push(("nam", self.first.year.to_string()));
                query.push(("quy", ((self.first.month - 1) / 3 + 1).to_string()));
            }
            PeriodKind::Year => query.push(("nam", self.first.year.to_string())),
            PeriodKind::Custom => {
                query.push(("tu", self.first.iso()));
                query.push(("den", self.last.iso()));
            }
        }
        query
    }

    /// `[start, end)` in Unix seconds: from the first day's midnight in Vietnam to the midnight
    /// after the last day.
    pub fn instants(&self) -> (i64, i64) {
        (
            self.first.start_in_vietnam(),
            self.last.add_days(1).start_in_vietnam(),
        )
    }
}

/// How a finished dossier kept its promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finish {
    Early,
    OnTime,
    Late,
}

impl Finish {
    /// The result was ready on `finished`; it was due on `due` (none: no promise to break).
    pub fn of(finished: Date, due: Option<Date>) -> Finish {
        match due {
            Some(due) if finished < due => Finish::Early,
            Some(due) if finished > due => Finish::Late,
            _ => Finish::OnTime,
        }
    }
}

/// The counts of one period's dossiers, as the database gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub received: i64,
    pub counter: i64,
    pub online: i64,
    pub postal: i64,
    pub digitised: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    /// Still open now (statuses 1, 2, 4, 5, 6).
    pub in_progress: i64,
    /// Open, the clock running, and past the due date.
    pub overdue: i64,
    pub withdrawn: i64,
    pub refused: i64,
    pub stopped: i64,
}

impl Counts {
    /// Adds another group's counts (a procedure's) to these.
    pub fn add(&mut self, other: &Counts) {
        self.received += other.received;
        self.counter += other.counter;
        self.online += other.online;
        self.postal += other.postal;
        self.digitised += other.digitised;
        self.early += other.early;
        self.on_time += other.on_time;
        self.late += other.late;
        self.in_progress += other.in_progress;
        self.overdue += other.overdue;
        self.withdrawn += other.withdrawn;
        self.refused += other.refused;
        self.stopped += other.stopped;
    }
}

/// One procedure's dossiers in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureCounts {
    pub code: String,
    pub name: String,
    pub received: i64,
    pub finished: i64,
    /// Finished early or on time.
    pub in_time: i64,
}

/// An item of the rating form: total score (2/1/0 each) and how many forms answered it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub total: i64,
    pub answered: i64,
}

impl ItemScore {
    /// Average score per form that answered (DESIGN.md §6), 0–2.
    pub fn average(self) -> Option<f64> {
        (self.answered > 0).then(|| self.total as f64 / self.answered as f64)
    }
}

/// The ratings of the period's dossiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingCounts {
    pub forms: i64,
    /// Forms whose overall answer is satisfied or very satisfied.
    pub satisfied: i64,
    pub overall: ItemScore,
    pub counter_visits: ItemScore,
    pub agencies_contacted: ItemScore,
    pub staff_attitude: ItemScore,
    pub online_ease: ItemScore,
}

/// Everything the statistics page shows for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub period: Period,
    pub counts: Counts,
    pub procedures: Vec<ProcedureCounts>,
    pub ratings: RatingCounts,
}

/// `part / whole × 100`, or nothing when there is no whole.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The points Decision 766/QĐ-TTg gives the satisfaction group.
pub const SATISFACTION_POINTS: f64 = 18.0;

impl Statistics {
    pub fn finished(&self) -> i64 {
        self.counts.early + self.counts.on_time + self.counts.late
    }

    /// Finished early or on time, over all finished.
    pub fn in_time_rate(&self) -> Option<f64> {
        percent(self.counts.early + self.counts.on_time, self.finished())
    }

    pub fn digitised_share(&self) -> Option<f64> {
        percent(self.counts.digitised, self.counts.received)
    }

    pub fn online_share(&self) -> Option<f64> {
        percent(self.counts.online, self.counts.received)
    }

    /// Satisfied forms over all forms (DESIGN.md §6).
    pub fn satisfaction(&self) -> Option<f64> {
        percent(self.ratings.satisfied, self.ratings.forms)
    }

    /// The satisfaction group's points out of `SATISFACTION_POINTS`.
    pub fn satisfaction_points(&self) -> Option<f64> {
        self.satisfaction().map(|p| p * SATISFACTION_POINTS / 100.0)
    }

    /// Still open and on time: open minus overdue.
    pub fn open_on_time(&self) -> i64 {
        self.counts.in_progress - self.counts.overdue
    }
}

/// A figure's value: a count, a percentage or an average score (none when undefined).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Count(i64),
    Percent(Option<f64>),
    Score(Option<f64>),
}

/// The figures of the report, in the order the page, the CSV and the JSON give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray)]
pub enum Figure {
    Received,
    Counter,
    Online,
    Postal,
    OnlineShare,
    Digitised,
    DigitisedShare,
    Resolved,
    Early,
    OnTime,
    Late,
    InTimeRate,
    InProgress,
    InProgressOnTime,
    InProgressOverdue,
    Withdrawn,
    Refused,
    Stopped,
    Ratings,
    Satisfied,
    SatisfactionRate,
    SatisfactionPoints,
    AverageOverall,
    AverageCounterVisits,
    AverageAgenciesContacted,
    AverageStaffAttitude,
    AverageOnlineEase,
}

impl Figure {
    /// The key of the figure in the JSON and in links.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Received => "tiep-nhan",
            Figure::Counter => "truc-tiep",
            Figure::Online => "truc-tuyen",
            Figure::Postal => "buu-chinh",
            Figure::OnlineShare => "ti-le-truc-tuyen",
            Figure::Digitised => "so-hoa",
            Figure::DigitisedShare => "ti-le-so-hoa",
            Figure::Resolved => "da-giai-quyet",
            Figure::Early => "truoc-han",
            Figure::OnTime => "dung-han",
            Figure::Late => "qua-han",
            Figure::InTimeRate => "ti-le-dung-han",
            Figure::InProgress => "dang-giai-quyet",
            Figure::InProgressOnTime => "dang-giai-quyet-trong-han",
            Figure::InProgressOverdue => "dang-giai-quyet-qua-han",
            Figure::Withdrawn => "rut",
            Figure::Refused => "khong-tiep-nhan",
            Figure::Stopped => "dung-xu-ly",
            Figure::Ratings => "phieu-danh-gia",
            Figure::Satisfied => "hai-long",
            Figure::SatisfactionRate => "ti-le-hai-long",
            Figure::SatisfactionPoints => "diem-hai-long-766",
            Figure::AverageOverall => "diem-tb-chung",
            Figure::AverageCounterVisits => "diem-tb-so-lan-den",
            Figure::AverageAgenciesContacted => "diem-tb-so-co-quan",
            Figure::AverageStaffAttitude => "diem-tb-thai-do",
            Figure::AverageOnlineEase => "diem-tb-truc-tuyen",
        }
    }
}

impl Statistics {
    /// The value of `figure`.
    pub fn figure(&self, figure: Figure) -> Value {
        let c = &self.counts;
        let r = &self.ratings;
        match figure {
            Figure::Received => Value::Count(c.received),
            Figure::Counter => Value::Count(c.counter),
            Figure::Online => Value::Count(c.online),
            Figure::Postal => Value::Count(c.postal),
            Figure::OnlineShare => Value::Percent(self.online_share()),
            Figure::Digitised => Value::Count(c.digitised),
            Figure::DigitisedShare => Value::Percent(self.digitised_share()),
            Figure::Resolved => Value::Count(self.finished()),
            Figure::Early => Value::Count(c.early),
            Figure::OnTime => Value::Count(c.on_time),
            Figure::Late => Value::Count(c.late),
            Figure::InTimeRate => Value::Percent(self.in_time_rate()),
            Figure::InProgress => Value::Count(c.in_progress),
            Figure::InProgressOnTime => Value::Count(self.open_on_time()),
            Figure::InProgressOverdue => Value::Count(c.overdue),
            Figure::Withdrawn => Value::Count(c.withdrawn),
            Figure::Refused => Value::Count(c.refused),
            Figure::Stopped => Value::Count(c.stopped),
            Figure::Ratings => Value::Count(r.forms),
            Figure::Satisfied => Value::Count(r.satisfied),
            Figure::SatisfactionRate => Value::Percent(self.satisfaction()),
            Figure::SatisfactionPoints => Value::Score(self.satisfaction_points()),
            Figure::AverageOverall => Value::Score(r.overall.average()),
            Figure::AverageCounterVisits => Value::Score(r.counter_visits.average()),
            Figure::AverageAgenciesContacted => Value::Score(r.agencies_contacted.average()),
            Figure::AverageStaffAttitude => Value::Score(r.staff_attitude.average()),
            Figure::AverageOnlineEase => Value::Score(r.online_ease.average()),
        }
    }
}

/// A value as the CSV and JSON give it: counts whole, rates and scores with two decimals
/// (a dot), nothing when undefined.
pub fn plain(value: Value) -> String {
    match value {
        Value::Count(n) => n.to_string(),
        Value::Percent(v) | Value::Score(v) => v.map(|v| format!("{v:.2}")).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{Change, Status};
    use crate::domain::tracking::Promise;

    fn query(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn periods_read_from_the_query_and_written_back() {
        let today = Date::new(2026, 11, 30);
        let month = Period::from_query(query(&[]), today);
        assert_eq!(month, Period::month(2026, 11));
        assert_eq!(month.last, Date::new(2026, 11, 30));
        assert_eq!(Period::month(2024, 2).last, Date::new(2024, 2, 29));
        assert_eq!(Period::month(2026, 12).last, Date::new(2026, 12, 31));
        let quarter = Period::from_query(
            query(&[("ky", "quy"), ("nam", "2025"), ("quy", "3")]),
            today,
        );
        assert_eq!(
            (quarter.first, quarter.last),
            (Date::new(2025, 7, 1), Date::new(2025, 9, 30))
        );
        let custom = Period::from_query(
            query(&[
                ("ky", "tuy-chon"),
                ("tu", "31/12/2026"),
                ("den", "2026-07-01"),
            ]),
            today,
        );
        assert_eq!(
            (custom.first, custom.last),
            (Date::new(2026, 7, 1), Date::new(2026, 12, 31))
        );
        let ten_years = Period::from_query(
            query(&[
                ("ky", "tuy-chon"),
                ("tu", "01/01/2016"),
                ("den", "31/12/2025"),
            ]),
            today,
        );
        assert_eq!(
            (ten_years.first, ten_years.last),
            (Date::new(2024, 12, 30), Date::new(2025, 12, 31)),
            "a custom range ends where asked and spans at most a year and a day"
        );
        for period in [month, quarter, custom, Period::year(2025)] {
            let written = period.to_query();
            let again = Period::from_query(
                |name| {
                    written
                        .iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v.clone())
                },
                today,
            );
            assert_eq!(again, period);
        }
        let junk = Period::from_query(query(&[("nam", "99999"), ("thang", "13")]), today);
        assert_eq!(junk, Period::month(2026, 11));
        let (start, end) = Period::month(2026, 11).instants();
        assert_eq!(Date::in_vietnam(start), Date::new(2026, 11, 1));
        assert_eq!(Date::in_vietnam(end - 1), Date::new(2026, 11, 30));
        assert_eq!(Date::in_vietnam(end), Date::new(2026, 12, 1));
    }

    fn statistics(counts: Counts, ratings: RatingCounts) -> Statistics {
        Statistics {
            period: Period::month(2026, 11),
            counts,
            procedures: Vec::new(),
            ratings,
        }
    }

    #[test]
    fn no_dossiers_give_no_rates_rather_than_zero_or_nan() {
        let empty = statistics(Counts::default(), RatingCounts::default());
        assert_eq!(empty.finished(), 0);
        assert_eq!(empty.in_time_rate(), None);
        assert_eq!(empty.digitised_share(), None);
        assert_eq!(empty.online_share(), None);
        assert_eq!(empty.satisfaction(), None);
        assert_eq!(empty.satisfaction_points(), None);
        assert_eq!(RatingCounts::default().overall.average(), None);
    }

    #[test]
    fn the_reported_rates_follow_their_formulas() {
        // The commune of the brief: 772 received, 738 of them digitised (95.59 %).
        let counts = Counts {
            received: 772,
            counter: 500,
            online: 270,
            postal: 2,
            digitised: 738,
            early: 600,
            on_time: 55,
            late: 0,
            in_progress: 100,
            overdue: 0,
            withdrawn: 10,
            refused: 5,
            stopped: 2,
        };
        let ratings = RatingCounts {
            forms: 200,
            satisfied: 190,
            overall: ItemScore {
                total: 350,
                answered: 200,
            },
            counter_visits: ItemScore {
                total: 90,
                answered: 50,
            },
            ..RatingCounts::default()
        };
        let stats = statistics(counts, ratings);
        assert_eq!(stats.finished(), 655);
        assert_eq!(stats.in_time_rate(), Some(100.0));
        assert!((stats.digitised_share().unwrap() - 95.59).abs() < 0.01);
        assert!((stats.online_share().unwrap() - 34.97).abs() < 0.01);
        assert_eq!(stats.satisfaction(), Some(95.0));
        assert_eq!(stats.satisfaction_points(), Some(17.1));
        assert_eq!(stats.ratings.overall.average(), Some(1.75));
        assert_eq!(stats.ratings.counter_visits.average(), Some(1.8));
        assert_eq!(stats.ratings.staff_attitude.average(), None);
        assert_eq!(stats.open_on_time(), 100);
    }

    #[test]
    fn every_figure_has_a_value() {
        let stats = statistics(
            Counts {
                received: 4,
                online: 1,
                ..Counts::default()
            },
            RatingCounts::default(),
        );
        let keys: std::collections::BTreeSet<&str> = <Figure as strum::VariantArray>::VARIANTS
            .iter()
            .map(|f| f.key())
            .collect();
        assert_eq!(
            keys.len(),
            <Figure as strum::VariantArray>::VARIANTS.len(),
            "every figure has its own key"
        );
        assert_eq!(plain(stats.figure(Figure::OnlineShare)), "25.00");
        assert_eq!(plain(stats.figure(Figure::SatisfactionRate)), "");
    }

    #[test]
    fn all_late_is_zero_percent_in_time() {
        let stats = statistics(
            Counts {
                received: 3,
                late: 3,
                in_progress: 0,
                ..Counts::default()
            },
            RatingCounts::default(),
        );
        assert_eq!(stats.in_time_rate(), Some(0.0));
    }

    #[test]
    fn a_dossier_paused_for_a_supplement_can_finish_after_the_appointment_and_be_on_time() {
        let appointment = Date::new(2026, 11, 10);
        let history = [
            Change {
                on: Date::new(2026, 11, 2),
                status: Status::Accepted,
            },
            Change {
                on: Date::new(2026, 11, 4),
                status: Status::SupplementRequested,
            },
            Change {
                on: Date::new(2026, 11, 7),
                status: Status::Processing,
            },
            Change {
                on: Date::new(2026, 11, 12),
                status: Status::ResultReady,
            },
        ];
        let promise = Promise {
            appointment: Some(appointment),
            apology: None,
            apologies: 0,
            history: history.to_vec(),
        };
        let calendar = crate::domain::working_days::Calendar::default();
        let due = promise.due(Date::new(2026, 11, 12), &calendar);
        assert_eq!(
            due,
            Some(Date::new(2026, 11, 13)),
            "three working days paused"
        );
        assert_eq!(Finish::of(Date::new(2026, 11, 12), due), Finish::Early);
        assert_eq!(Finish::of(Date::new(2026, 11, 13), due), Finish::OnTime);
        assert_eq!(Finish::of(Date::new(2026, 11, 14), due), Finish::Late);
        assert_eq!(Finish::of(Date::new(2026, 11, 14), None), Finish::OnTime);
    }
}
