//! From the dossiers' status history to the figures of each day (DESIGN.md §7): what happened
//! during the day (the flows) and what was open at its end (the stock). A period's report adds
//! its days' flows and reads the stocks at the ends of the day before it and of its last day, so
//! every figure is what the history said **as of the period's end**: later events land on later
//! days and never move a closed period.
//!
//! One rule per status change, shared by the sweep over past days and by today's live figures
//! (`Flows::count_change`).

use std::collections::{BTreeMap, HashMap};

use super::{Finish, Flows, Stock};
use crate::domain::calendar::Date;
use crate::domain::lifecycle::{Change, Status, extended_due_date};
use crate::domain::working_days::Calendars;

/// What a dossier's figures are counted under: the receiving center, the procedure and the
/// channel it came in by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub agency: String,
    pub procedure: String,
    /// 1 counter, 2 online, 3 post.
    pub channel: i64,
}

/// What the counting needs to know of a dossier besides its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierFacts {
    pub group: Group,
    pub digitised: bool,
    /// The appointment date the processing clock counts from (none: no time limit).
    pub appointment: Option<Date>,
}

/// One recorded event: a status change, or an event that kept the status (an apology).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    pub dossier: String,
    pub at: i64,
    /// None for the event that created the dossier.
    pub from: Option<Status>,
    pub to: Status,
    pub facts: DossierFacts,
}

/// A rating form, counted on the day it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingEvent {
    pub at: i64,
    pub group: Group,
    pub overall: i64,
    /// Counter visits, agencies contacted, staff attitude, online ease: 2/1/0 or unanswered.
    pub items: [Option<i64>; 4],
}

/// A dossier still open: awaiting intake, or accepted and not resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDossier {
    pub facts: DossierFacts,
    pub status: Status,
    pub accepted: bool,
    pub history: Vec<Change>,
}

impl OpenDossier {
    /// A dossier before its first recorded change.
    pub fn new(facts: DossierFacts) -> OpenDossier {
        OpenDossier {
            facts,
            status: Status::Submitted,
            accepted: false,
            history: Vec::new(),
        }
    }

    /// Notes a change of its history: its status now, and whether it was ever accepted.
    pub fn record(&mut self, change: Change) {
        self.history.push(change);
        self.status = change.status;
        self.accepted |= change.status == Status::Accepted;
    }

    /// The due date as of now: the appointment moved on by the working days the clock was
    /// paused (`extended_due_date`; an apology's new date never moves it).
    fn due(&self, today: Date, calendars: &Calendars) -> Option<Date> {
        let calendar = calendars.of(&self.facts.group.agency);
        self.facts
            .appointment
            .map(|appointment| extended_due_date(appointment, &self.history, today, calendar))
    }
}

impl Flows {
    /// Counts one event. `accepted_before`: the dossier had been accepted into processing;
    /// `due`: its due date when the event is a finish (status 9).
    pub fn count_change(
        &mut self,
        event_day: Date,
        from: Option<Status>,
        to: Status,
        digitised: bool,
        accepted_before: bool,
        due: Option<Date>,
    ) {
        if from == Some(to) {
            // An apology or a note: the status stays.
            return;
        }
        match to {
            Status::Submitted => self.submitted_online += 1,
            Status::Accepted if !accepted_before => {
                self.received += 1;
                if digitised {
                    self.received_digitised += 1;
                }
            }
            Status::Refused => self.refused += 1,
            Status::SupplementRequested => self.supplement_requests += 1,
            Status::Withdrawn if accepted_before => self.withdrawn += 1,
            Status::Withdrawn => self.withdrawn_before_intake += 1,
            Status::Stopped => self.stopped += 1,
            Status::ResultReady => match due.map(|due| Finish::of(event_day, due)) {
                Some(Finish::Early) => self.resolved_early += 1,
                Some(Finish::OnTime) => self.resolved_on_time += 1,
                Some(Finish::Late) => self.resolved_late += 1,
                None => self.resolved_undated += 1,
            },
            Status::Accepted | Status::Processing | Status::FeeRequested | Status::HandedOver => {}
        }
    }

    pub fn count_rating(&mut self, rating: &RatingEvent) {
        let r = &mut self.ratings;
        r.forms += 1;
        match rating.overall {
            0 => r.not_satisfied += 1,
            _ => r.satisfied += 1,
        }
        r.overall.add(Some(rating.overall));
        for (item, score) in [
            &mut r.counter_visits,
            &mut r.agencies_contacted,
            &mut r.staff_attitude,
            &mut r.online_ease,
        ]
        .into_iter()
        .zip(rating.items)
        {
            item.add(score);
        }
    }
}

/// The figures of one day: its flows and the stock at its end, per group (groups with nothing
/// are left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayFigures {
    pub flows: BTreeMap<Group, Flows>,
    pub stocks: BTreeMap<Group, Stock>,
}

/// Walks the history day by day, keeping the open dossiers.
#[derive(Debug, Default)]
pub struct Sweep {
    open: HashMap<String, OpenDossier>,
}

impl Sweep {
    /// Starts from the dossiers open at the first instant to be swept.
    pub fn new(open: HashMap<String, OpenDossier>) -> Sweep {
        Sweep { open }
    }

    /// The figures of each day from `first` to `last`, from `events` and `ratings` in those days
    /// (oldest first). `calendars` must cover the days and the due dates the dossiers reach;
    /// each dossier's days are counted on its own center's.
    pub fn run(
        &mut self,
        first: Date,
        last: Date,
        events: &[StatusEvent],
        ratings: &[RatingEvent],
        calendars: &Calendars,
    ) -> Vec<(Date, DayFigures)> {
        let mut events = events.iter().peekable();
        let mut ratings = ratings.iter().peekable();
        let mut days = Vec::new();
        let mut day = first;
        while day <= last {
            let end = day.add_days(1).start_in_vietnam();
            let mut figures = DayFigures::default();
            while let Some(event) = events.next_if(|event| event.at < end) {
                self.apply(day, event, &mut figures, calendars);
            }
            while let Some(rating) = ratings.next_if(|rating| rating.at < end) {
                figures
                    .flows
                    .entry(rating.group.clone())
                    .or_default()
                    .count_rating(rating);
            }
            self.count_stock(day, &mut figures, calendars);
            days.push((day, figures));
            day = day.add_days(1);
        }
        days
    }

    fn apply(
        &mut self,
        day: Date,
        event: &StatusEvent,
        figures: &mut DayFigures,
        calendars: &Calendars,
    ) {
        if event.from.is_none() {
            self.open
                .insert(event.dossier.clone(), OpenDossier::new(event.facts.clone()));
        }
        // A dossier resolved earlier only goes on to be handed over, which counts nothing.
        let Some(dossier) = self.open.get_mut(&event.dossier) else {
            return;
        };
        let accepted_before = dossier.accepted;
        dossier.record(Change {
            on: day,
            status: event.to,
        });
        let due = (event.to == Status::ResultReady)
            .then(|| dossier.due(day, calendars))
            .flatten();
        figures
            .flows
            .entry(dossier.facts.group.clone())
            .or_default()
            .count_change(
                day,
                event.from,
                event.to,
                dossier.facts.digitised,
                accepted_before,
                due,
            );
        if event.to.is_resolved() {
            self.open.remove(&event.dossier);
        }
    }

    /// The stock at the end of `day`: a dossier whose clock runs is overdue once its due date
    /// is `day` or earlier (it was due by the end of that day).
    fn count_stock(&self, day: Date, figures: &mut DayFigures, calendars: &Calendars) {
        for dossier in self.open.values() {
            let stock = figures
                .stocks
                .entry(dossier.facts.group.clone())
                .or_default();
            if !dossier.accepted {
                stock.awaiting_intake += 1;
                continue;
            }
            stock.in_progress += 1;
            let running = !dossier.status.pauses_clock();
            if running && dossier.due(day, calendars).is_some_and(|due| due <= day) {
                stock.overdue += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::statistics::Stock;

    const HOUR: i64 = 3600;

    fn group(procedure: &str) -> Group {
        Group {
            agency: "000.00.00.H00".to_owned(),
            procedure: procedure.to_owned(),
            channel: 1,
        }
    }

    fn facts(appointment: Option<Date>) -> DossierFacts {
        DossierFacts {
            group: group("1.001193"),
            digitised: true,
            appointment,
        }
    }

    /// An event at 9:00 on `day`.
    fn event(
        dossier: &str,
        day: Date,
        from: Option<Status>,
        to: Status,
        appointment: Option<Date>,
    ) -> StatusEvent {
        StatusEvent {
            dossier: dossier.to_owned(),
            at: day.start_in_vietnam() + 9 * HOUR,
            from,
            to,
            facts: facts(appointment),
        }
    }

    fn calendar() -> Calendars {
        Calendars::new(2025..=2027, Vec::new(), Default::default())
    }

    fn sum_flows(days: &[(Date, DayFigures)]) -> Flows {
        let mut total = Flows::default();
        for (_, figures) in days {
            for flows in figures.flows.values() {
                total.add(flows);
            }
        }
        total
    }

    fn stock_at(days: &[(Date, DayFigures)], day: Date) -> Stock {
        let mut total = Stock::default();
        for (_, figures) in days.iter().filter(|(d, _)| *d == day) {
            for stock in figures.stocks.values() {
                total.add(stock);
            }
        }
        total
    }

    #[test]
    fn a_dossier_open_at_a_month_end_is_carried_into_the_next_month() {
        use Status::*;
        let due = Date::new(2026, 12, 4);
        let events = [
            event("A", Date::new(2026, 11, 27), None, Accepted, Some(due)),
            event(
                "A",
                Date::new(2026, 11, 28),
                Some(Accepted),
                Processing,
                Some(due),
            ),
            event(
                "A",
                Date::new(2026, 12, 3),
                Some(Processing),
                ResultReady,
                Some(due),
            ),
        ];
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 12, 31),
            &events,
            &[],
            &calendar(),
        );
        let (november, december): (Vec<_>, Vec<_>) =
            days.into_iter().partition(|(day, _)| day.month == 11);
        let in_november = sum_flows(&november);
        assert_eq!((in_november.received, in_november.resolved()), (1, 0));
        assert_eq!(stock_at(&november, Date::new(2026, 11, 30)).in_progress, 1);
        let in_december = sum_flows(&december);
        assert_eq!(in_december.received, 0, "received in November, not again");
        assert_eq!(
            in_december.resolved_early, 1,
            "resolved in December, before its due date"
        );
        assert_eq!(
            stock_at(&december, Date::new(2026, 12, 31)),
            Stock::default()
        );
    }

    #[test]
    fn a_dossier_resolved_after_an_apology_is_still_late() {
        use Status::*;
        let due = Date::new(2026, 11, 10);
        let mut apology = event(
            "A",
            Date::new(2026, 11, 9),
            Some(Processing),
            Processing,
            Some(due),
        );
        apology.at += HOUR;
        let events = [
            event("A", Date::new(2026, 11, 2), None, Accepted, Some(due)),
            event(
                "A",
                Date::new(2026, 11, 3),
                Some(Accepted),
                Processing,
                Some(due),
            ),
            apology,
            event(
                "A",
                Date::new(2026, 11, 13),
                Some(Processing),
                ResultReady,
                Some(due),
            ),
        ];
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 11, 30),
            &events,
            &[],
            &calendar(),
        );
        assert_eq!(stock_at(&days, Date::new(2026, 11, 9)).overdue, 0);
        assert_eq!(
            stock_at(&days, Date::new(2026, 11, 10)).overdue,
            1,
            "not resolved by the end of its due day"
        );
        let flows = sum_flows(&days);
        assert_eq!((flows.resolved_late, flows.resolved()), (1, 1));
    }

    #[test]
    fn a_paused_dossier_is_not_overdue_and_its_due_date_moves_on() {
        use Status::*;
        // Due Tuesday 10 November; paused Wednesday 4 to Monday 9 (three working days).
        let due = Date::new(2026, 11, 10);
        let events = [
            event("A", Date::new(2026, 11, 2), None, Accepted, Some(due)),
            event(
                "A",
                Date::new(2026, 11, 3),
                Some(Accepted),
                Processing,
                Some(due),
            ),
            event(
                "A",
                Date::new(2026, 11, 4),
                Some(Processing),
                SupplementRequested,
                Some(due),
            ),
            event(
                "A",
                Date::new(2026, 11, 9),
                Some(SupplementRequested),
                Processing,
                Some(due),
            ),
            event(
                "A",
                Date::new(2026, 11, 13),
                Some(Processing),
                ResultReady,
                Some(due),
            ),
        ];
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 11, 30),
            &events,
            &[],
            &calendar(),
        );
        for day in 4..=12 {
            assert_eq!(
                stock_at(&days, Date::new(2026, 11, day)).overdue,
                0,
                "11/{day}: paused, then within the moved due date (13/11)"
            );
        }
        let flows = sum_flows(&days);
        assert_eq!(flows.supplement_requests, 1);
        assert_eq!(flows.resolved_on_time, 1, "resolved on its moved due date");
    }

    #[test]
    fn withdrawals_before_and_after_intake_are_told_apart() {
        use Status::*;
        let mut online = event("B", Date::new(2026, 11, 2), None, Submitted, None);
        online.facts.group.channel = 2;
        let mut online_withdrawn = event(
            "B",
            Date::new(2026, 11, 3),
            Some(Submitted),
            Withdrawn,
            None,
        );
        online_withdrawn.facts.group.channel = 2;
        let due = Date::new(2026, 11, 20);
        let events = [
            event("A", Date::new(2026, 11, 2), None, Accepted, Some(due)),
            online,
            online_withdrawn,
            event(
                "A",
                Date::new(2026, 11, 5),
                Some(Accepted),
                Withdrawn,
                Some(due),
            ),
        ];
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 11, 30),
            &events,
            &[],
            &calendar(),
        );
        assert_eq!(stock_at(&days, Date::new(2026, 11, 2)).awaiting_intake, 1);
        assert_eq!(stock_at(&days, Date::new(2026, 11, 3)).awaiting_intake, 0);
        let flows = sum_flows(&days);
        assert_eq!(
            (
                flows.submitted_online,
                flows.withdrawn_before_intake,
                flows.received,
                flows.withdrawn
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(stock_at(&days, Date::new(2026, 11, 30)), Stock::default());
    }

    #[test]
    fn a_dossier_without_a_due_date_is_resolved_undated_never_on_time() {
        use Status::*;
        let events = [
            event("A", Date::new(2026, 11, 2), None, Accepted, None),
            event(
                "A",
                Date::new(2026, 11, 30),
                Some(Accepted),
                Processing,
                None,
            ),
            event(
                "A",
                Date::new(2026, 11, 30),
                Some(Processing),
                ResultReady,
                None,
            ),
        ];
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 11, 30),
            &events,
            &[],
            &calendar(),
        );
        assert_eq!(stock_at(&days, Date::new(2026, 11, 20)).overdue, 0);
        let flows = sum_flows(&days);
        assert_eq!((flows.resolved_undated, flows.resolved_on_time), (1, 0));
    }

    #[test]
    fn ratings_count_on_the_day_they_are_given() {
        let rating = |overall, day: Date| RatingEvent {
            at: day.start_in_vietnam() + HOUR,
            group: group("1.001193"),
            overall,
            items: [Some(2), None, Some(1), None],
        };
        let days = Sweep::default().run(
            Date::new(2026, 11, 1),
            Date::new(2026, 11, 30),
            &[],
            &[
                rating(2, Date::new(2026, 11, 3)),
                rating(0, Date::new(2026, 11, 4)),
            ],
            &calendar(),
        );
        let flows = sum_flows(&days);
        let r = flows.ratings;
        assert_eq!((r.forms, r.satisfied, r.not_satisfied), (2, 1, 1));
        assert_eq!((r.counter_visits.total, r.counter_visits.answered), (4, 2));
        assert_eq!(r.agencies_contacted.answered, 0);
    }
}
