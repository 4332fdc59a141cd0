//! The dossier lifecycle (DESIGN.md §2): the national status codes, which changes are allowed,
//! and whether a dossier is on time. Overdue is never stored: it is derived from the appointment
//! date, the time spent waiting on the citizen (statuses 5 and 6 pause the clock) and now.
//! The staff back office and the citizen's own actions (withdraw, supplement) both go through
//! `Status::can_become`, so an illegal change is refused here, whatever the page.

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::working_days::Calendar;

/// The national status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// 1 Mới đăng ký: submitted online, not yet checked.
    Submitted,
    /// 2 Được tiếp nhận: accepted; the processing clock starts.
    Accepted,
    /// 3 Không được tiếp nhận: refused at intake, with a reason.
    Refused,
    /// 4 Đang xử lý.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ: the clock is paused.
    SupplementRequested,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính: the clock is paused.
    FeeRequested,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 Dừng xử lý, with a reason.
    Stopped,
    /// 9 Đã xử lý xong: the result is ready.
    ResultReady,
    /// 10 Đã trả kết quả.
    HandedOver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a dossier cannot go from status {from} to status {to}")]
pub struct IllegalTransition {
    pub from: i64,
    pub to: i64,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::Refused,
        Status::Processing,
        Status::SupplementRequested,
        Status::FeeRequested,
        Status::Withdrawn,
        Status::Stopped,
        Status::ResultReady,
        Status::HandedOver,
    ];

    pub fn code(self) -> i64 {
        match self {
            Status::Submitted => 1,
            Status::Accepted => 2,
            Status::Refused => 3,
            Status::Processing => 4,
            Status::SupplementRequested => 5,
            Status::FeeRequested => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::ResultReady => 9,
            Status::HandedOver => 10,
        }
    }

    pub fn from_code(code: i64) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Nothing happens to the dossier any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Refused | Status::Withdrawn | Status::Stopped | Status::HandedOver
        )
    }

    /// The clock stops while the center waits on the citizen.
    pub fn pauses_clock(self) -> bool {
        matches!(self, Status::SupplementRequested | Status::FeeRequested)
    }

    /// The center's work is over: the result is ready, handed over, or there will be none.
    pub fn is_resolved(self) -> bool {
        matches!(self, Status::ResultReady | Status::HandedOver) || self.is_terminal()
    }

    /// The allowed changes. Intake (1) accepts or refuses; processing (2, 4) may ask for
    /// documents (5) or a fee (6), finish (9) or stop (8); an answered request goes back to
    /// processing; a ready result is handed over. The citizen may withdraw (7) until resolved.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        let withdrawable = !self.is_resolved();
        match (self, to) {
            (_, Withdrawn) => withdrawable,
            // An incomplete dossier goes back for completion at intake (Mẫu 02), not refused,
            // and is accepted once complete.
            (Submitted, Accepted | Refused | SupplementRequested) => true,
            (SupplementRequested, Accepted) => true,
            (Accepted, Processing | SupplementRequested | FeeRequested | Stopped) => true,
            (Processing, SupplementRequested | FeeRequested | ResultReady | Stopped) => true,
            (SupplementRequested, Processing | Stopped) => true,
            (FeeRequested, Processing | ResultReady | Stopped) => true,
            (ResultReady, HandedOver) => true,
            _ => false,
        }
    }

    pub fn check_transition(self, to: Status) -> Result<(), IllegalTransition> {
        if self.can_become(to) {
            Ok(())
        } else {
            Err(IllegalTransition {
                from: self.code(),
                to: to.code(),
            })
        }
    }
}

/// One recorded status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub on: Date,
    pub status: Status,
}

/// Whether the dossier keeps its promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timeliness {
    /// Resolved in time, due later than "due soon", or with its clock paused.
    OnTime,
    /// The clock runs and the due date is today or within `DUE_SOON_WORKING_DAYS` working days.
    DueSoon,
    /// Past the (extended) appointment date and not resolved in time.
    Overdue,
    /// No appointment date yet (not accepted), or the dossier ended without a result.
    NotApplicable,
}

/// "Due soon" (Sắp đến hạn) means due today or within this many working days. One rule for the
/// staff queue's filter, the staff dossier page and the citizen's status page.
pub const DUE_SOON_WORKING_DAYS: u32 = 2;

/// Today as the deadline rules read it: the date, and the last day that is "due soon".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Today {
    pub date: Date,
    pub due_soon_until: Date,
}

impl Today {
    /// `calendar` must cover the next `DUE_SOON_WORKING_DAYS` working days.
    pub fn new(date: Date, calendar: &Calendar) -> Today {
        Today {
            date,
            due_soon_until: calendar.add_working_days(date, DUE_SOON_WORKING_DAYS),
        }
    }
}

/// The appointment date moved on by the working days spent waiting on the citizen (statuses 5
/// and 6): each working day from the one a pause began to the one it ended, a pause still going
/// counting up to `today`. The clock stops in working time, so a due date never lands on a day
/// off because of a pause.
pub fn extended_due_date(
    appointment: Date,
    history: &[Change],
    today: Date,
    calendar: &Calendar,
) -> Date {
    let working_days = |from: Date, to: Date| {
        let mut day = from;
        let mut count = 0;
        while day < to {
            if calendar.is_working_day(day) {
                count += 1;
            }
            day = day.add_days(1);
        }
        count
    };
    let mut paused = 0;
    let mut paused_since: Option<Date> = None;
    for change in history {
        match (paused_since, change.status.pauses_clock()) {
            (None, true) => paused_since = Some(change.on),
            (Some(start), false) => {
                paused += working_days(start, change.on);
                paused_since = None;
            }
            _ => {}
        }
    }
    if let Some(start) = paused_since {
        paused += working_days(start, today);
    }
    calendar.add_working_days(appointment, paused)
}

/// On time, due soon or overdue, from the history (oldest first) and today. A dossier waiting on
/// the citizen (statuses 5 and 6) is never due soon: its clock is stopped, and the queue's
/// due-soon filter leaves it out for the same reason.
/// `due` is the due date with the pauses counted (`extended_due_date`).
pub fn timeliness(due: Option<Date>, history: &[Change], today: Today) -> Timeliness {
    let Today {
        date: today,
        due_soon_until,
    } = today;
    let Some(due) = due else {
        return Timeliness::NotApplicable;
    };
    let Some(current) = history.last().map(|c| c.status) else {
        return Timeliness::NotApplicable;
    };
    if matches!(current, Status::ResultReady | Status::HandedOver) {
        let finished = history
            .iter()
            .find(|c| c.status == Status::ResultReady)
            .map_or(today, |c| c.on);
        return if finished <= due {
            Timeliness::OnTime
        } else {
            Timeliness::Overdue
        };
    }
    if current.is_terminal() {
        return Timeliness::NotApplicable;
    }
    if today > due {
        Timeliness::Overdue
    } else if due <= due_soon_until && !current.pauses_clock() {
        Timeliness::DueSoon
    } else {
        Timeliness::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::working_days::{DayState, Decision};
    use Status::*;

    #[test]
    fn codes_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
        }
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
    }

    #[test]
    fn every_allowed_and_every_forbidden_pair() {
        let allowed: &[(Status, Status)] = &[
            (Submitted, Accepted),
            (Submitted, Refused),
            (Submitted, SupplementRequested),
            (Submitted, Withdrawn),
            (Accepted, Processing),
            (Accepted, SupplementRequested),
            (Accepted, FeeRequested),
            (Accepted, Stopped),
            (Accepted, Withdrawn),
            (Processing, SupplementRequested),
            (Processing, FeeRequested),
            (Processing, ResultReady),
            (Processing, Stopped),
            (Processing, Withdrawn),
            (SupplementRequested, Accepted),
            (SupplementRequested, Processing),
            (SupplementRequested, Stopped),
            (SupplementRequested, Withdrawn),
            (FeeRequested, Processing),
            (FeeRequested, ResultReady),
            (FeeRequested, Stopped),
            (FeeRequested, Withdrawn),
            (ResultReady, HandedOver),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                let expected = allowed.contains(&(from, to));
                assert_eq!(from.can_become(to), expected, "{from:?} → {to:?}");
                assert_eq!(from.check_transition(to).is_ok(), expected);
            }
        }
        assert_eq!(
            HandedOver.check_transition(Processing),
            Err(IllegalTransition { from: 10, to: 4 })
        );
    }

    #[test]
    fn terminal_statuses_go_nowhere() {
        for from in [Refused, Withdrawn, Stopped, HandedOver] {
            assert!(from.is_terminal());
            assert!(
                Status::ALL.iter().all(|to| !from.can_become(*to)),
                "{from:?}"
            );
        }
    }

    fn day(month: u32, day: u32) -> Date {
        Date::new(2026, month, day)
    }

    fn changes(list: &[(u32, u32, Status)]) -> Vec<Change> {
        list.iter()
            .map(|(m, d, status)| Change {
                on: day(*m, *d),
                status: *status,
            })
            .collect()
    }

    /// Today, in a calendar of weekends only.
    fn on(date: Date) -> Today {
        Today::new(date, &Calendar::default())
    }

    #[test]
    fn a_dossier_is_on_time_due_soon_or_overdue_by_the_date() {
        let history = changes(&[(11, 2, Submitted), (11, 3, Accepted), (11, 4, Processing)]);
        let due = Some(day(11, 10));
        for (today, expected) in [
            (day(11, 5), Timeliness::OnTime),
            (day(11, 8), Timeliness::DueSoon),
            (day(11, 10), Timeliness::DueSoon),
            (day(11, 11), Timeliness::Overdue),
        ] {
            assert_eq!(timeliness(due, &history, on(today)), expected, "{today:?}");
        }
        assert_eq!(
            timeliness(None, &history, on(day(11, 11))),
            Timeliness::NotApplicable
        );
    }

    #[test]
    fn due_soon_counts_working_days_and_never_a_paused_clock() {
        let running = changes(&[(11, 2, Accepted), (11, 3, Processing)]);
        // Friday 13 Nov: Monday 16 Nov is one working day away, Tuesday 17 two, Wednesday three.
        let friday = on(day(11, 13));
        assert_eq!(
            timeliness(Some(day(11, 16)), &running, friday),
            Timeliness::DueSoon
        );
        assert_eq!(
            timeliness(Some(day(11, 17)), &running, friday),
            Timeliness::DueSoon
        );
        assert_eq!(
            timeliness(Some(day(11, 18)), &running, friday),
            Timeliness::OnTime
        );
        // A holiday on Monday moves the horizon to Wednesday.
        let monday_off = Decision {
            date: day(11, 16),
            state: DayState::Off,
            note: "Nghỉ".into(),
            reference: String::new(),
        };
        let before_holiday = Today::new(day(11, 13), &Calendar::new([], vec![monday_off]));
        assert_eq!(before_holiday.due_soon_until, day(11, 18));
        assert_eq!(
            timeliness(Some(day(11, 18)), &running, before_holiday),
            Timeliness::DueSoon
        );
        // Waiting on the citizen, due tomorrow: not due soon, the clock is stopped.
        for pause in [SupplementRequested, FeeRequested] {
            let waiting = changes(&[(11, 2, Accepted), (11, 13, pause)]);
            assert_eq!(
                timeliness(Some(day(11, 16)), &waiting, friday),
                Timeliness::OnTime,
                "{pause:?}"
            );
        }
    }

    /// The due date with the pauses counted, in a calendar of weekends only.
    fn due(appointment: Date, history: &[Change], today: Date) -> Date {
        extended_due_date(appointment, history, today, &Calendar::default())
    }

    #[test]
    fn time_waiting_on_the_citizen_moves_the_date_in_working_days() {
        // Due Tue 10 Nov; waited for documents from Thu 5 to Mon 9 Nov: two working days (Thu,
        // Fri), so due Thu 12 Nov, not Saturday 14 as four calendar days would make it.
        let history = changes(&[
            (11, 3, Accepted),
            (11, 5, SupplementRequested),
            (11, 9, Processing),
        ]);
        let extended = due(day(11, 10), &history, day(11, 12));
        assert_eq!(extended, day(11, 12));
        assert_eq!(
            timeliness(Some(extended), &history, on(day(11, 12))),
            Timeliness::DueSoon
        );
        assert_eq!(
            timeliness(Some(extended), &history, on(day(11, 13))),
            Timeliness::Overdue
        );
        // Still waiting since Thu 5 Nov: 17 working days up to Mon 30 Nov, so never overdue
        // meanwhile.
        let waiting = changes(&[(11, 3, Accepted), (11, 5, FeeRequested)]);
        let extended = due(day(11, 10), &waiting, day(11, 30));
        assert_eq!(extended, day(12, 3));
        assert_eq!(
            timeliness(Some(extended), &waiting, on(day(11, 30))),
            Timeliness::OnTime
        );
        // Two pauses add up: Wed–Thu for documents; the fee over the weekend costs nothing.
        let twice = changes(&[
            (11, 3, Accepted),
            (11, 4, SupplementRequested),
            (11, 6, Processing),
            (11, 7, FeeRequested),
            (11, 8, Processing),
        ]);
        assert_eq!(due(day(11, 10), &twice, day(11, 9)), day(11, 12));
        // A pause begun and ended the same day costs nothing.
        let brief = changes(&[
            (11, 3, Accepted),
            (11, 4, FeeRequested),
            (11, 4, Processing),
        ]);
        assert_eq!(due(day(11, 10), &brief, day(11, 9)), day(11, 10));
    }

    #[test]
    fn a_finished_dossier_is_judged_by_its_finish_date() {
        let paused_then_finished = changes(&[
            (11, 3, Accepted),
            (11, 5, SupplementRequested),
            (11, 9, Processing),
            (11, 12, ResultReady),
            (11, 20, HandedOver),
        ]);
        // Due 10 Nov, two working days paused: finishing on 12 Nov is on time, whenever asked.
        let extended = due(day(11, 10), &paused_then_finished, day(12, 30));
        assert_eq!(
            timeliness(Some(extended), &paused_then_finished, on(day(12, 30))),
            Timeliness::OnTime
        );
        let late = changes(&[(11, 3, Accepted), (11, 12, ResultReady)]);
        assert_eq!(
            timeliness(Some(day(11, 10)), &late, on(day(11, 12))),
            Timeliness::Overdue
        );
        let withdrawn = changes(&[(11, 3, Accepted), (11, 20, Withdrawn)]);
        assert_eq!(
            timeliness(Some(day(11, 10)), &withdrawn, on(day(11, 25))),
            Timeliness::NotApplicable
        );
    }
}
