//! The center's period report (DESIGN.md §6, §7), as official reports count: carried over from
//! the period before (open at its start) + received in it (accepted into processing) = to
//! process; of these, resolved in the period (early / on time / late against the due date),
//! withdrawn, stopped, and in progress at its end (within time / overdue). Every figure is
//! what the dossiers' event history says as of the period's end (`history`), so a closed period
//! never changes. A dossier counts as resolved early when its result was ready before the due
//! date, on time on it, late after it; the due date is the appointment moved on by the working
//! days the clock was paused, never by an apology's new date.
//!
//! Rates are cut, not rounded, to two decimals (`hundredths`): 99.996 % shows 99.99 %, so
//! "100 %" always means every one.

pub mod decision_766;
pub mod history;

use std::collections::{BTreeMap, HashMap};

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

    /// The period of the same kind just before this one (a custom range: as many days).
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Month => {
                let day_before = self.first.add_days(-1);
                Period::month(day_before.year, day_before.month)
            }
            PeriodKind::Quarter => {
                let day_before = self.first.add_days(-1);
                Period::quarter(day_before.year, (day_before.month - 1) / 3 + 1)
            }
            PeriodKind::Year => Period::year(self.first.year - 1),
            PeriodKind::Custom => {
                let days = self.last.julian_day() - self.first.julian_day() + 1;
                Period {
                    kind: PeriodKind::Custom,
                    first: self.first.add_days(-days),
                    last: self.first.add_days(-1),
                }
            }
        }
    }
}

/// How a resolved dossier kept its promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    Early,
    OnTime,
    Late,
}

impl Finish {
    /// The result was ready on `finished`; it was due on `due`.
    pub fn of(finished: Date, due: Date) -> Finish {
        match finished.cmp(&due) {
            std::cmp::Ordering::Less => Finish::Early,
            std::cmp::Ordering::Equal => Finish::OnTime,
            std::cmp::Ordering::Greater => Finish::Late,
        }
    }
}

/// `part / whole × 100` in hundredths of a per cent, cut (not rounded) to two decimals; nothing
/// when there is no whole.
pub fn hundredths(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part.saturating_mul(10_000) / whole)
}

/// Sum and count of the answers to one item of the rating form (2/1/0 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub total: i64,
    pub answered: i64,
}

impl ItemScore {
    pub fn add(&mut self, score: Option<i64>) {
        if let Some(score) = score {
            self.total += score;
            self.answered += 1;
        }
    }

    fn merge(&mut self, other: ItemScore) {
        self.total += other.total;
        self.answered += other.answered;
    }

    /// Average score per form that answered (DESIGN.md §6), 0–2, in hundredths, cut.
    pub fn average(self) -> Option<i64> {
        (self.answered > 0).then(|| self.total * 100 / self.answered)
    }
}

/// The rating forms given in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingCounts {
    pub forms: i64,
    /// Overall: satisfied or very satisfied.
    pub satisfied: i64,
    pub not_satisfied: i64,
    pub overall: ItemScore,
    pub counter_visits: ItemScore,
    pub agencies_contacted: ItemScore,
    pub staff_attitude: ItemScore,
    pub online_ease: ItemScore,
}

impl RatingCounts {
    fn add(&mut self, other: &RatingCounts) {
        self.forms += other.forms;
        self.satisfied += other.satisfied;
        self.not_satisfied += other.not_satisfied;
        self.overall.merge(other.overall);
        self.counter_visits.merge(other.counter_visits);
        self.agencies_contacted.merge(other.agencies_contacted);
        self.staff_attitude.merge(other.staff_attitude);
        self.online_ease.merge(other.online_ease);
    }
}

/// What happened in a span of days (`history::Flows::count_change` says which event counts
/// where).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flows {
    /// Filed online (status 1), before any intake.
    pub submitted_online: i64,
    /// Accepted into processing (status 2): the period's "received".
    pub received: i64,
    /// Of `received`, those whose papers are all in the system as files.
    pub received_digitised: i64,
    /// Refused at intake (status 3).
    pub refused: i64,
    /// Requests for a supplement (status 5), at intake or during processing.
    pub supplement_requests: i64,
    /// Withdrawn before intake (an online filing never accepted).
    pub withdrawn_before_intake: i64,
    pub resolved_early: i64,
    pub resolved_on_time: i64,
    pub resolved_late: i64,
    /// Resolved with no due date (no time limit was set).
    pub resolved_undated: i64,
    /// Withdrawn by the citizen after acceptance (status 7).
    pub withdrawn: i64,
    /// Processing stopped (status 8).
    pub stopped: i64,
    pub ratings: RatingCounts,
}

impl Flows {
    pub fn add(&mut self, other: &Flows) {
        self.submitted_online += other.submitted_online;
        self.received += other.received;
        self.received_digitised += other.received_digitised;
        self.refused += other.refused;
        self.supplement_requests += other.supplement_requests;
        self.withdrawn_before_intake += other.withdrawn_before_intake;
        self.resolved_early += other.resolved_early;
        self.resolved_on_time += other.resolved_on_time;
        self.resolved_late += other.resolved_late;
        self.resolved_undated += other.resolved_undated;
        self.withdrawn += other.withdrawn;
        self.stopped += other.stopped;
        self.ratings.add(&other.ratings);
    }

    pub fn resolved(&self) -> i64 {
        self.resolved_early + self.resolved_on_time + self.resolved_late + self.resolved_undated
    }
}

/// What was open at an instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stock {
    /// Accepted and not resolved, withdrawn or stopped.
    pub in_progress: i64,
    /// Of `in_progress`, those whose clock runs and whose due date has passed.
    pub overdue: i64,
    /// Filed online (or sent back at intake) and not yet accepted or refused.
    pub awaiting_intake: i64,
}

impl Stock {
    pub fn add(&mut self, other: &Stock) {
        self.in_progress += other.in_progress;
        self.overdue += other.overdue;
        self.awaiting_intake += other.awaiting_intake;
    }
}

/// A period's figures for some dossiers: the stock at its start, its flows, the stock at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub carried: Stock,
    pub flows: Flows,
    pub end: Stock,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.carried.add(&other.carried);
        self.flows.add(&other.flows);
        self.end.add(&other.end);
    }

    /// Carried over + received.
    pub fn to_process(&self) -> i64 {
        self.carried.in_progress + self.flows.received
    }

    /// Resolved early or on time, of those resolved with a due date.
    pub fn in_time(&self) -> (i64, i64) {
        let f = &self.flows;
        let in_time = f.resolved_early + f.resolved_on_time;
        (in_time, in_time + f.resolved_late)
    }

    /// What the period's books must balance: everything to process was resolved, withdrawn,
    /// stopped or is still in progress at the end.
    pub fn balances(&self) -> bool {
        let f = &self.flows;
        self.to_process() == f.resolved() + f.withdrawn + f.stopped + self.end.in_progress
    }

    /// The value of `figure` for these dossiers; none for the figures split by channel
    /// (received at the counter, online, by post, and the online share), which need the
    /// dossiers' channels (`Report::figure`).
    pub fn figure(&self, figure: Figure) -> Option<Value> {
        let f = &self.flows;
        let r = &f.ratings;
        Some(match figure {
            Figure::CarriedOver => Value::Count(self.carried.in_progress),
            Figure::Received => Value::Count(f.received),
            Figure::ToProcess => Value::Count(self.to_process()),
            Figure::Resolved => Value::Count(f.resolved()),
            Figure::ResolvedEarly => Value::Count(f.resolved_early),
            Figure::ResolvedOnTime => Value::Count(f.resolved_on_time),
            Figure::ResolvedLate => Value::Count(f.resolved_late),
            Figure::ResolvedUndated => Value::Count(f.resolved_undated),
            Figure::InTimeRate => {
                let (in_time, dated) = self.in_time();
                Value::Percent(hundredths(in_time, dated))
            }
            Figure::InProgress => Value::Count(self.end.in_progress),
            Figure::InProgressWithinTime => Value::Count(self.end.in_progress - self.end.overdue),
            Figure::InProgressOverdue => Value::Count(self.end.overdue),
            Figure::Withdrawn => Value::Count(f.withdrawn),
            Figure::Stopped => Value::Count(f.stopped),
            Figure::SubmittedOnline => Value::Count(f.submitted_online),
            Figure::AwaitingIntake => Value::Count(self.end.awaiting_intake),
            Figure::Refused => Value::Count(f.refused),
            Figure::SupplementRequests => Value::Count(f.supplement_requests),
            Figure::WithdrawnBeforeIntake => Value::Count(f.withdrawn_before_intake),
            Figure::Digitised => Value::Count(f.received_digitised),
            Figure::DigitisedShare => Value::Percent(hundredths(f.received_digitised, f.received)),
            Figure::Ratings => Value::Count(r.forms),
            Figure::Satisfied => Value::Count(r.satisfied),
            Figure::NotSatisfied => Value::Count(r.not_satisfied),
            Figure::SatisfactionRate => Value::Percent(hundredths(r.satisfied, r.forms)),
            Figure::AverageOverall => Value::Score(r.overall.average()),
            Figure::AverageCounterVisits => Value::Score(r.counter_visits.average()),
            Figure::AverageAgenciesContacted => Value::Score(r.agencies_contacted.average()),
            Figure::AverageStaffAttitude => Value::Score(r.staff_attitude.average()),
            Figure::AverageOnlineEase => Value::Score(r.online_ease.average()),
            Figure::ReceivedCounter
            | Figure::ReceivedOnline
            | Figure::ReceivedPostal
            | Figure::OnlineShare => return None,
        })
    }
}

/// The columns of a row of figures (per channel, sector or procedure), as the official form
/// orders them: to process (carried over, received), resolved (early, on time, late, without a
/// due date), in progress at the end (overdue), withdrawn, stopped, digitised, the in-time rate.
pub const ROW_FIGURES: [Figure; 14] = [
    Figure::CarriedOver,
    Figure::Received,
    Figure::ToProcess,
    Figure::Resolved,
    Figure::ResolvedEarly,
    Figure::ResolvedOnTime,
    Figure::ResolvedLate,
    Figure::ResolvedUndated,
    Figure::InProgress,
    Figure::InProgressOverdue,
    Figure::Withdrawn,
    Figure::Stopped,
    Figure::Digitised,
    Figure::InTimeRate,
];

/// A procedure's dossiers that came in by one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    pub procedure: String,
    pub channel: i64,
    pub figures: Figures,
}

/// A procedure as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureInfo {
    pub code: String,
    pub name: String,
    pub sector: String,
}

/// Which dossiers a report covers (nothing set: all of them). From `thu-tuc`, `linh-vuc`,
/// `kenh` and `trung-tam` in the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub procedure: Option<String>,
    pub sector: Option<String>,
    pub channel: Option<i64>,
    /// One center's dossiers, by its agency code; none: the whole province's.
    pub agency: Option<String>,
}

/// The query parameter naming a report's center; `PROVINCE` asks for every center.
pub const CENTER_PARAMETER: &str = "trung-tam";
pub const PROVINCE: &str = "tinh";

impl Filter {
    pub fn from_pairs(query: &[(String, String)]) -> Filter {
        let value = |name: &str| {
            super::url::query_value(query, name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Filter {
            procedure: value("thu-tuc").filter(|code| code.len() <= 40),
            sector: value("linh-vuc").filter(|sector| sector.chars().count() <= 200),
            channel: value("kenh")
                .and_then(|v| v.parse().ok())
                .filter(|c| (1..=3).contains(c)),
            agency: value(CENTER_PARAMETER)
                .filter(|code| super::dossier::AgencyCode::parse(code).is_ok()),
        }
    }

    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(code) = &self.procedure {
            query.push(("thu-tuc", code.clone()));
        }
        if let Some(sector) = &self.sector {
            query.push(("linh-vuc", sector.clone()));
        }
        if let Some(channel) = self.channel {
            query.push(("kenh", channel.to_string()));
        }
        if let Some(agency) = &self.agency {
            query.push((CENTER_PARAMETER, agency.clone()));
        }
        query
    }

    fn keeps(&self, slice: &Slice, sector: Option<&str>) -> bool {
        self.procedure
            .as_ref()
            .is_none_or(|code| *code == slice.procedure)
            && self.channel.is_none_or(|channel| channel == slice.channel)
            && self
                .sector
                .as_deref()
                .is_none_or(|wanted| sector == Some(wanted))
    }
}

/// A period's report: its slices, filtered, with the procedures they name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    pub filter: Filter,
    /// The period is not over: its end figures are as of now.
    pub open: bool,
    pub slices: Vec<Slice>,
    pub procedures: Vec<ProcedureInfo>,
}

/// The national channel codes, in the order reports give them.
pub const CHANNELS: [i64; 3] = [1, 2, 3];

impl Report {
    /// Keeps the slices `filter` selects, and the procedures they name.
    pub fn new(
        period: Period,
        filter: Filter,
        open: bool,
        slices: Vec<Slice>,
        catalogue: &[ProcedureInfo],
    ) -> Report {
        let info: HashMap<&str, &ProcedureInfo> =
            catalogue.iter().map(|p| (p.code.as_str(), p)).collect();
        let info = |code: &str| info.get(code).copied();
        let mut slices: Vec<Slice> = slices
            .into_iter()
            .filter(|slice| filter.keeps(slice, info(&slice.procedure).map(|p| p.sector.as_str())))
            .collect();
        slices.sort_by(|a, b| (&a.procedure, a.channel).cmp(&(&b.procedure, b.channel)));
        let mut procedures: Vec<ProcedureInfo> = Vec::new();
        for slice in &slices {
            if procedures.last().is_none_or(|p| p.code != slice.procedure) {
                procedures.push(info(&slice.procedure).cloned().unwrap_or(ProcedureInfo {
                    code: slice.procedure.clone(),
                    name: slice.procedure.clone(),
                    sector: String::new(),
                }));
            }
        }
        Report {
            period,
            filter,
            open,
            slices,
            procedures,
        }
    }

    fn sum(&self, keep: impl Fn(&Slice) -> bool) -> Figures {
        let mut figures = Figures::default();
        for slice in self.slices.iter().filter(|s| keep(s)) {
            figures.add(&slice.figures);
        }
        figures
    }

    pub fn totals(&self) -> Figures {
        self.sum(|_| true)
    }

    pub fn channel(&self, channel: i64) -> Figures {
        self.sum(|slice| slice.channel == channel)
    }

    /// Per sector, most to process first.
    pub fn by_sector(&self) -> Vec<(String, Figures)> {
        let sector_of: HashMap<&str, &str> = self
            .procedures
            .iter()
            .map(|p| (p.code.as_str(), p.sector.as_str()))
            .collect();
        let mut sectors: BTreeMap<&str, Figures> = BTreeMap::new();
        for slice in &self.slices {
            let sector = sector_of
                .get(slice.procedure.as_str())
                .copied()
                .unwrap_or("");
            sectors.entry(sector).or_default().add(&slice.figures);
        }
        let mut rows: Vec<(String, Figures)> = sectors
            .into_iter()
            .map(|(sector, figures)| (sector.to_owned(), figures))
            .collect();
        rows.sort_by(|a, b| b.1.to_process().cmp(&a.1.to_process()).then(a.0.cmp(&b.0)));
        rows
    }

    /// Per procedure, most to process first.
    pub fn by_procedure(&self) -> Vec<(ProcedureInfo, Figures)> {
        let mut figures: HashMap<&str, Figures> = HashMap::new();
        for slice in &self.slices {
            figures
                .entry(slice.procedure.as_str())
                .or_default()
                .add(&slice.figures);
        }
        let mut rows: Vec<(ProcedureInfo, Figures)> = self
            .procedures
            .iter()
            .map(|p| {
                let sum = figures.get(p.code.as_str()).copied().unwrap_or_default();
                (p.clone(), sum)
            })
            .collect();
        rows.sort_by(|a, b| {
            b.1.to_process()
                .cmp(&a.1.to_process())
                .then_with(|| a.0.code.cmp(&b.0.code))
        });
        rows
    }

    /// The Decision 766 indicators of the whole report.
    pub fn decision_766(&self) -> Vec<decision_766::Indicator> {
        decision_766::indicators(&self.totals(), self.channel(2).flows.received)
    }

    /// The value of `figure` over the whole report: from its totals, or, for the figures split
    /// by channel, from its slices.
    pub fn figure(&self, figure: Figure) -> Value {
        let totals = self.totals();
        if let Some(value) = totals.figure(figure) {
            return value;
        }
        let received = |channel| self.channel(channel).flows.received;
        match figure {
            Figure::ReceivedCounter => Value::Count(received(1)),
            Figure::ReceivedPostal => Value::Count(received(3)),
            Figure::OnlineShare => Value::Percent(hundredths(received(2), totals.flows.received)),
            _ => Value::Count(received(2)),
        }
    }
}

/// A figure's value: a count, a percentage or an average score (hundredths, cut; none when
/// undefined).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Count(i64),
    Percent(Option<i64>),
    Score(Option<i64>),
}

impl Value {
    /// As a plain number: counts whole, rates and scores with their two decimals.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Percent(h) | Value::Score(h) => h.map(|h| h as f64 / 100.0),
        }
    }
}

/// The figures of the report, in the order the page, the spreadsheet, the CSV and the JSON give
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray)]
pub enum Figure {
    CarriedOver,
    Received,
    ReceivedCounter,
    ReceivedOnline,
    ReceivedPostal,
    ToProcess,
    Resolved,
    ResolvedEarly,
    ResolvedOnTime,
    ResolvedLate,
    ResolvedUndated,
    InTimeRate,
    InProgress,
    InProgressWithinTime,
    InProgressOverdue,
    Withdrawn,
    Stopped,
    SubmittedOnline,
    AwaitingIntake,
    Refused,
    SupplementRequests,
    WithdrawnBeforeIntake,
    Digitised,
    DigitisedShare,
    OnlineShare,
    Ratings,
    Satisfied,
    NotSatisfied,
    SatisfactionRate,
    AverageOverall,
    AverageCounterVisits,
    AverageAgenciesContacted,
    AverageStaffAttitude,
    AverageOnlineEase,
}

impl Figure {
    /// The key of the figure in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            Figure::CarriedOver => "ky-truoc-chuyen-sang",
            Figure::Received => "tiep-nhan-trong-ky",
            Figure::ReceivedCounter => "tiep-nhan-truc-tiep",
            Figure::ReceivedOnline => "tiep-nhan-truc-tuyen",
            Figure::ReceivedPostal => "tiep-nhan-buu-chinh",
            Figure::ToProcess => "phai-giai-quyet",
            Figure::Resolved => "da-giai-quyet",
            Figure::ResolvedEarly => "truoc-han",
            Figure::ResolvedOnTime => "dung-han",
            Figure::ResolvedLate => "qua-han",
            Figure::ResolvedUndated => "khong-co-han",
            Figure::InTimeRate => "ti-le-dung-han",
            Figure::InProgress => "dang-giai-quyet",
            Figure::InProgressWithinTime => "dang-giai-quyet-trong-han",
            Figure::InProgressOverdue => "dang-giai-quyet-qua-han",
            Figure::Withdrawn => "rut",
            Figure::Stopped => "dung-xu-ly",
            Figure::SubmittedOnline => "nop-truc-tuyen",
            Figure::AwaitingIntake => "cho-tiep-nhan",
            Figure::Refused => "khong-tiep-nhan",
            Figure::SupplementRequests => "yeu-cau-bo-sung",
            Figure::WithdrawnBeforeIntake => "rut-truoc-tiep-nhan",
            Figure::Digitised => "so-hoa",
            Figure::DigitisedShare => "ti-le-so-hoa",
            Figure::OnlineShare => "ti-le-truc-tuyen",
            Figure::Ratings => "phieu-danh-gia",
            Figure::Satisfied => "hai-long",
            Figure::NotSatisfied => "khong-hai-long",
            Figure::SatisfactionRate => "ti-le-hai-long",
            Figure::AverageOverall => "diem-tb-chung",
            Figure::AverageCounterVisits => "diem-tb-so-lan-den",
            Figure::AverageAgenciesContacted => "diem-tb-so-co-quan",
            Figure::AverageStaffAttitude => "diem-tb-thai-do",
            Figure::AverageOnlineEase => "diem-tb-truc-tuyen",
        }
    }
}

/// A value as the CSV gives it: counts whole, rates and scores with two decimals (a dot), nothing
/// when undefined.
pub fn plain(value: Value) -> String {
    match value {
        Value::Count(n) => n.to_string(),
        Value::Percent(h) | Value::Score(h) => h
            .map(|h| format!("{}.{:02}", h / 100, h % 100))
            .unwrap_or_default(),
    }
}

/// One center's figures in the province's comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterFigures {
    pub agency: String,
    pub name: String,
    pub figures: Figures,
}

/// The centers in the order the province compares them: the largest share resolved in time
/// first (those with nothing dated resolved yet last), then the most resolved, then by name.
pub fn ranked_centers(mut centers: Vec<CenterFigures>) -> Vec<CenterFigures> {
    let key = |center: &CenterFigures| {
        let (in_time, dated) = center.figures.in_time();
        (
            std::cmp::Reverse(hundredths(in_time, dated).map_or(-1, |rate| rate)),
            std::cmp::Reverse(center.figures.flows.resolved()),
        )
    };
    centers.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name)));
    centers
}

#[cfg(test)]
mod tests {
    #[test]
    fn centers_rank_by_the_share_resolved_in_time_then_by_how_many() {
        let center = |name: &str, early: i64, late: i64| CenterFigures {
            agency: format!("000.00.0{}.H56", name.len()),
            name: name.to_owned(),
            figures: Figures {
                flows: Flows {
                    resolved_early: early,
                    resolved_late: late,
                    ..Flows::default()
                },
                ..Figures::default()
            },
        };
        let ranked = ranked_centers(vec![
            center("Xã Chưa", 0, 0),
            center("Xã Ba", 9, 1),
            center("Xã An", 9, 1),
            center("Xã Đủ", 2, 0),
            center("Xã Nhiều", 20, 0),
        ]);
        let names: Vec<&str> = ranked.iter().map(|c| c.name.as_str()).collect();
        // 100 % of 20 before 100 % of 2; equal 90 % by name; nothing resolved last.
        assert_eq!(names, ["Xã Nhiều", "Xã Đủ", "Xã An", "Xã Ba", "Xã Chưa"]);
    }

    use super::*;

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
        // A period runs from its first day's midnight in Vietnam to the midnight after its last.
        let november = Period::month(2026, 11);
        let (start, end) = (
            november.first.start_in_vietnam(),
            november.last.add_days(1).start_in_vietnam(),
        );
        assert_eq!(Date::in_vietnam(start), Date::new(2026, 11, 1));
        assert_eq!(Date::in_vietnam(end - 1), Date::new(2026, 11, 30));
        assert_eq!(Date::in_vietnam(end), Date::new(2026, 12, 1));
    }

    #[test]
    fn rates_are_cut_to_two_decimals_never_rounded_up() {
        // The article's month: 738 of 772 digitised is 95.596… %, reported as 95,59 %.
        assert_eq!(hundredths(738, 772), Some(9_559));
        assert_eq!(plain(Value::Percent(hundredths(738, 772))), "95.59");
        // One late in 30,000 is not 100 %.
        assert_eq!(hundredths(29_999, 30_000), Some(9_999));
        assert_eq!(hundredths(3, 3), Some(10_000));
        assert_eq!(plain(Value::Percent(Some(10_000))), "100.00");
        assert_eq!(hundredths(1, 0), None);
        assert_eq!(plain(Value::Percent(None)), "");
        assert_eq!(
            ItemScore {
                total: 7,
                answered: 4
            }
            .average(),
            Some(175)
        );
        assert_eq!(
            ItemScore {
                total: 2,
                answered: 3
            }
            .average(),
            Some(66)
        );
    }

    fn slice(procedure: &str, channel: i64, received: i64, early: i64, end: i64) -> Slice {
        Slice {
            procedure: procedure.to_owned(),
            channel,
            figures: Figures {
                carried: Stock {
                    in_progress: 2,
                    overdue: 0,
                    awaiting_intake: 0,
                },
                flows: Flows {
                    received,
                    received_digitised: received,
                    resolved_early: early,
                    ..Flows::default()
                },
                end: Stock {
                    in_progress: end,
                    overdue: 1,
                    awaiting_intake: 0,
                },
            },
        }
    }

    fn catalogue() -> Vec<ProcedureInfo> {
        let info = |code: &str, name: &str, sector: &str| ProcedureInfo {
            code: code.to_owned(),
            name: name.to_owned(),
            sector: sector.to_owned(),
        };
        vec![
            info("1.001193", "Đăng ký khai sinh", "Hộ tịch"),
            info("2.000815", "Chứng thực bản sao", "Chứng thực"),
            info("1.000656", "Đăng ký khai tử", "Hộ tịch"),
        ]
    }

    #[test]
    fn a_report_adds_its_slices_by_channel_sector_and_procedure() {
        let slices = vec![
            slice("1.001193", 1, 10, 9, 3),
            slice("1.001193", 2, 5, 5, 2),
            slice("2.000815", 1, 40, 40, 2),
            slice("1.000656", 3, 1, 0, 3),
        ];
        let report = Report::new(
            Period::month(2026, 11),
            Filter::default(),
            false,
            slices.clone(),
            &catalogue(),
        );
        let totals = report.totals();
        assert_eq!(totals.to_process(), 8 + 56);
        assert_eq!(report.figure(Figure::ReceivedOnline), Value::Count(5));
        assert_eq!(
            report.figure(Figure::OnlineShare),
            Value::Percent(Some(892))
        );
        let sectors = report.by_sector();
        assert_eq!(sectors[0].0, "Chứng thực");
        assert_eq!(sectors[1].0, "Hộ tịch");
        assert_eq!(sectors[1].1.to_process(), 6 + 16);
        let procedures = report.by_procedure();
        assert_eq!(procedures[0].0.code, "2.000815");
        assert_eq!(procedures[1].0.name, "Đăng ký khai sinh");
        assert_eq!(
            (
                procedures[1].1.flows.resolved(),
                procedures[1].1.to_process()
            ),
            (14, 19),
            "resolved / to process, both channels"
        );

        let civil_status = Report::new(
            Period::month(2026, 11),
            Filter {
                sector: Some("Hộ tịch".to_owned()),
                channel: Some(1),
                procedure: None,
                agency: None,
            },
            false,
            slices,
            &catalogue(),
        );
        assert_eq!(civil_status.slices.len(), 1);
        assert_eq!(civil_status.figure(Figure::Received), Value::Count(10));
    }

    #[test]
    fn a_balanced_period_accounts_for_every_dossier_to_process() {
        let figures = Figures {
            carried: Stock {
                in_progress: 5,
                ..Stock::default()
            },
            flows: Flows {
                received: 10,
                resolved_on_time: 6,
                resolved_undated: 1,
                withdrawn: 1,
                stopped: 1,
                ..Flows::default()
            },
            end: Stock {
                in_progress: 6,
                ..Stock::default()
            },
        };
        assert!(figures.balances());
        assert!(
            !Figures {
                end: Stock::default(),
                ..figures
            }
            .balances()
        );
        assert_eq!(
            figures.in_time(),
            (6, 6),
            "no due date: neither in time nor late"
        );
    }

    #[test]
    fn filters_read_from_the_query_and_written_back() {
        let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let filter = Filter::from_pairs(&pairs(&[
            ("thu-tuc", "1.001193"),
            ("linh-vuc", "Hộ tịch"),
            ("kenh", "2"),
            ("trung-tam", "000.00.12.H56"),
        ]));
        assert_eq!(filter.channel, Some(2));
        assert_eq!(filter.agency.as_deref(), Some("000.00.12.H56"));
        let again: Vec<(String, String)> = filter
            .to_query()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert_eq!(Filter::from_pairs(&again), filter);
        assert_eq!(
            Filter::from_pairs(&pairs(&[
                ("kenh", "9"),
                ("thu-tuc", " "),
                ("trung-tam", "tinh")
            ])),
            Filter::default()
        );
    }

    #[test]
    fn the_period_before() {
        assert_eq!(Period::month(2026, 1).previous(), Period::month(2025, 12));
        assert_eq!(
            Period::quarter(2026, 1).previous(),
            Period::quarter(2025, 4)
        );
        assert_eq!(Period::year(2026).previous(), Period::year(2025));
        let custom = Period {
            kind: PeriodKind::Custom,
            first: Date::new(2026, 11, 10),
            last: Date::new(2026, 11, 19),
        };
        let before = custom.previous();
        assert_eq!(
            (before.first, before.last),
            (Date::new(2026, 10, 31), Date::new(2026, 11, 9))
        );
    }
}
