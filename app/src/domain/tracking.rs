//! What a citizen sees of their dossier and may do with it: the details a status change
//! carries (what to bring, what to pay, where to collect, why), the satisfaction rating
//! (DESIGN.md §6) and the masking of personal data on the status page.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::feedback::{FormFeedback, Problem};
use super::lifecycle::{Change, Status, Timeliness, Today, extended_due_date, timeliness};
use super::working_days::Calendar;

/// What a status change tells the citizen beyond its public note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventDetails {
    /// Status 5: the documents to add, by name, and the last day to add them.
    Supplement {
        documents: Vec<String>,
        deadline: Date,
    },
    /// Status 6: the amount in đồng and how to pay it.
    Fee {
        amount_dong: i64,
        how_to_pay: String,
    },
    /// Status 9: the result's number (số văn bản, số giấy chứng nhận…) and where it can be
    /// collected.
    Result {
        pickup: String,
        #[serde(default)]
        number: String,
    },
    /// Statuses 3 and 8: why.
    Reason { text: String },
    /// A late dossier: the apology and the new appointment date.
    Apology { new_date: Date, text: String },
    /// Status 2: what the clerk checked on the intake checklist (`domain::intake_checklist`),
    /// in words.
    Checked { items: Vec<String> },
    /// Status 10: who took the result at the counter, their identity number and who they are to
    /// the applicant (a relative, an authorised person).
    Collected {
        by: String,
        citizen_id: String,
        relation: String,
    },
}

/// The name files sent for "other papers the officer asked for" are kept under (data, so in the
/// records' language whatever the page's).
pub const OTHER_PAPERS: &str = "Giấy tờ khác cán bộ yêu cầu";

/// What a supplement request lets the citizen send: a slot for each paper asked for, then one
/// for other papers the officer asked for in the note.
pub fn supplement_slots(documents: &[String]) -> Vec<String> {
    documents
        .iter()
        .cloned()
        .chain(std::iter::once(OTHER_PAPERS.to_owned()))
        .collect()
}

/// One recorded status change as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The status it moved to.
    pub status: Status,
    pub public_note: String,
    pub details: Option<EventDetails>,
}

/// What the center promised a dossier and what happened since: the appointment on the receipt,
/// the new dates of its apologies (Mẫu 04) and the status history. The due date that decides
/// whether the dossier is on time (the queue, the statistics) is the appointment's with the
/// pauses counted; an apology tells the citizen a later date but never moves that due date, so a
/// late dossier stays late (DESIGN.md §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub appointment: Option<Date>,
    /// The latest apology's new date.
    pub apology: Option<Date>,
    /// How many apologies the dossier had.
    pub apologies: usize,
    pub history: Vec<Change>,
}

impl Promise {
    /// From the appointment date on the receipt and the events, oldest first.
    pub fn of(appointment: Option<Date>, events: &[Event]) -> Promise {
        let history = events
            .iter()
            .map(|event| Change {
                on: Date::in_vietnam(event.at),
                status: event.status,
            })
            .collect();
        let new_dates: Vec<Date> = events
            .iter()
            .filter_map(|event| match &event.details {
                Some(EventDetails::Apology { new_date, .. }) => Some(*new_date),
                _ => None,
            })
            .collect();
        Promise {
            appointment,
            apology: new_dates.last().copied(),
            apologies: new_dates.len(),
            history,
        }
    }

    /// The date the center must finish by: the appointment, paused working days added.
    pub fn due(&self, today: Date, calendar: &Calendar) -> Option<Date> {
        self.appointment
            .map(|date| extended_due_date(date, &self.history, today, calendar))
    }

    /// The date the citizen is told: the latest apology's, or the due date.
    pub fn promised(&self, today: Date, calendar: &Calendar) -> Option<Date> {
        self.apology.or_else(|| self.due(today, calendar))
    }

    pub fn timeliness(&self, today: Today, calendar: &Calendar) -> Timeliness {
        timeliness(self.due(today.date, calendar), &self.history, today)
    }
}

/// Whether an apology (Mẫu 04) with `new_date` may be recorded today for a dossier due on `due`
/// (none when no appointment was set) that had `earlier` apologies. Decree 118/2025/NĐ-CP,
/// Art. 19(6), as Decree 61/2018/NĐ-CP, Art. 19(9) before it: for a dossier that will be late,
/// the agency sends a written apology "trong thời hạn chậm nhất 01 ngày trước ngày hết hạn", and
/// "việc hẹn lại ngày trả kết quả được thực hiện không quá một lần": so from one working day
/// before the due date on, for a later date, once.
pub fn check_apology(
    due: Option<Date>,
    today: Date,
    new_date: Date,
    earlier: usize,
    calendar: &Calendar,
) -> Result<(), Problem> {
    if earlier > 0 {
        return Err(Problem::ApologyAlreadyGiven);
    }
    let Some(due) = due else {
        return Ok(());
    };
    if calendar.add_working_days(today, 1) < due {
        return Err(Problem::ApologyTooEarly);
    }
    if new_date <= due {
        return Err(Problem::DateNotAfterDue);
    }
    Ok(())
}

/// A rating item's answer as scored by the official index: 2, 1 or 0.
pub type Score = u8;

/// The citizen's rating of one dossier. `overall`: 2 Rất hài lòng, 1 Hài lòng, 0 Không hài lòng.
/// The other items are optional; each is scored 2/1/0 (best first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub overall: Score,
    /// Times they had to come back to the counter: none 2, once 1, more 0.
    pub counter_visits: Option<Score>,
    /// Agencies they had to contact: one 2, two 1, more 0.
    pub agencies_contacted: Option<Score>,
    pub staff_attitude: Option<Score>,
    pub online_ease: Option<Score>,
    /// Required when not satisfied.
    pub reason: String,
}

/// The fields that name a dossier on the status page's forms, and the withdrawal's tick.
pub mod lookup_field {
    pub const CODE: &str = "ma";
    pub const KEY: &str = "khoa";
    pub const CONFIRM_WITHDRAWAL: &str = "xac-nhan";
}

/// The rating form's field names.
pub mod rating_field {
    pub const OVERALL: &str = "muc-do";
    pub const COUNTER_VISITS: &str = "so-lan-den";
    pub const AGENCIES: &str = "so-co-quan";
    pub const ATTITUDE: &str = "thai-do";
    pub const ONLINE_EASE: &str = "de-dung";
    pub const REASON: &str = "ly-do";
}

const REASON_MAX: usize = 1000;

fn score(text: Option<&String>) -> Result<Option<Score>, Problem> {
    match text.map(|t| t.trim()) {
        None | Some("") => Ok(None),
        Some("2") => Ok(Some(2)),
        Some("1") => Ok(Some(1)),
        Some("0") => Ok(Some(0)),
        Some(_) => Err(Problem::TextMalformed),
    }
}

impl Rating {
    pub fn from_form(values: &BTreeMap<String, String>) -> Result<Rating, FormFeedback> {
        use rating_field::*;
        let mut problems = BTreeMap::new();
        let mut item = |name: &str| {
            score(values.get(name)).unwrap_or_else(|problem| {
                problems.insert(name.to_owned(), problem);
                None
            })
        };
        let overall = item(OVERALL);
        let counter_visits = item(COUNTER_VISITS);
        let agencies_contacted = item(AGENCIES);
        let staff_attitude = item(ATTITUDE);
        let online_ease = item(ONLINE_EASE);
        if overall.is_none() && !problems.contains_key(OVERALL) {
            problems.insert(OVERALL.to_owned(), Problem::Required);
        }
        let reason = values.get(REASON).map(|r| r.trim()).unwrap_or_default();
        if reason.chars().count() > REASON_MAX {
            problems.insert(REASON.to_owned(), Problem::TooLong);
        } else if reason
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            problems.insert(REASON.to_owned(), Problem::TextMalformed);
        } else if overall == Some(0) && reason.is_empty() {
            problems.insert(REASON.to_owned(), Problem::ReasonRequired);
        }
        match overall {
            Some(overall) if problems.is_empty() => Ok(Rating {
                overall,
                counter_visits,
                agencies_contacted,
                staff_attitude,
                online_ease,
                reason: reason.to_owned(),
            }),
            _ => Err(FormFeedback {
                values: values.clone(),
                problems,
            }),
        }
    }
}

/// `Nguyễn Thị Lan` → `Nguyễn T. L.`: enough for the citizen to recognise, not to identify.
pub fn mask_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let initials: Vec<String> = words
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    if initials.is_empty() {
        first.to_owned()
    } else {
        format!("{first} {}", initials.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::working_days::Calendar;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_rating_needs_an_overall_answer_and_a_reason_when_not_satisfied() {
        use rating_field::*;
        let rating = Rating::from_form(&form(&[(OVERALL, "2"), (COUNTER_VISITS, "1")])).unwrap();
        assert_eq!(rating.overall, 2);
        assert_eq!(rating.counter_visits, Some(1));
        assert_eq!(rating.staff_attitude, None);

        let refused = Rating::from_form(&form(&[(OVERALL, "0"), (REASON, "  ")])).unwrap_err();
        assert_eq!(refused.problem(REASON), Some(Problem::ReasonRequired));
        let rating =
            Rating::from_form(&form(&[(OVERALL, "0"), (REASON, "Phải đi lại 3 lần")])).unwrap();
        assert_eq!(rating.reason, "Phải đi lại 3 lần");

        let refused = Rating::from_form(&form(&[])).unwrap_err();
        assert_eq!(refused.problem(OVERALL), Some(Problem::Required));
        let refused = Rating::from_form(&form(&[(OVERALL, "5"), (ATTITUDE, "x")])).unwrap_err();
        assert_eq!(refused.problem(OVERALL), Some(Problem::TextMalformed));
        assert_eq!(refused.problem(ATTITUDE), Some(Problem::TextMalformed));
        let long = "a".repeat(1001);
        let refused = Rating::from_form(&form(&[(OVERALL, "1"), (REASON, &long)])).unwrap_err();
        assert_eq!(refused.problem(REASON), Some(Problem::TooLong));
    }

    fn event(at: i64, status: i64, details: Option<EventDetails>) -> Event {
        Event {
            id: at,
            at,
            status: Status::from_code(status).unwrap(),
            public_note: String::new(),
            details,
        }
    }

    #[test]
    fn the_promise_counts_paused_working_days() {
        let day = |d: u32| Date::new(2026, 11, d).start_in_vietnam() + 3600;
        let appointment = Some(Date::new(2026, 11, 10));
        // Waiting on the citizen from Wednesday 4 to Saturday 7 Nov: Wed, Thu, Fri.
        let events = [
            event(day(2), 1, None),
            event(day(3), 2, None),
            event(day(4), 5, None),
            event(day(7), 4, None),
        ];
        let promise = Promise::of(appointment, &events);
        let calendar = Calendar::default();
        let today = Date::new(2026, 11, 8);
        assert_eq!(promise.due(today, &calendar), Some(Date::new(2026, 11, 13)));
        assert_eq!(
            promise.promised(today, &calendar),
            Some(Date::new(2026, 11, 13))
        );
        assert_eq!(
            promise.timeliness(Today::new(today, &calendar), &calendar),
            Timeliness::OnTime
        );
        assert_eq!(
            promise.timeliness(Today::new(Date::new(2026, 11, 16), &calendar), &calendar),
            Timeliness::Overdue
        );
        assert_eq!(Promise::of(None, &events[..1]).due(today, &calendar), None);
    }

    #[test]
    fn an_apology_tells_a_new_date_but_a_late_dossier_stays_late() {
        // Due 10 Nov, apologised on 11 Nov with a new date of 30 Nov, finished 20 Nov.
        let day = |d: u32| Date::new(2026, 11, d).start_in_vietnam() + 3600;
        let apology = |new_day: u32| {
            Some(EventDetails::Apology {
                new_date: Date::new(2026, 11, new_day),
                text: "Xin lỗi".to_owned(),
            })
        };
        let events = [
            event(day(3), 2, None),
            event(day(4), 4, None),
            event(day(11), 4, apology(30)),
            event(day(20), 9, None),
        ];
        let promise = Promise::of(Some(Date::new(2026, 11, 10)), &events);
        let calendar = Calendar::default();
        let today = Date::new(2026, 11, 21);
        assert_eq!(
            promise.promised(today, &calendar),
            Some(Date::new(2026, 11, 30))
        );
        assert_eq!(promise.due(today, &calendar), Some(Date::new(2026, 11, 10)));
        assert_eq!(promise.apologies, 1);
        assert_eq!(
            promise.timeliness(Today::new(today, &calendar), &calendar),
            Timeliness::Overdue,
            "finished after the original due date"
        );
    }

    #[test]
    fn an_apology_is_for_a_dossier_late_or_about_to_be() {
        let calendar = Calendar::default();
        let due = Date::new(2026, 11, 10); // a Tuesday
        let later = Date::new(2026, 11, 20);
        // Friday 6 Nov: two working days before; Monday 9: one; Tuesday and after: late.
        assert_eq!(
            check_apology(Some(due), Date::new(2026, 11, 6), later, 0, &calendar),
            Err(Problem::ApologyTooEarly)
        );
        for today in [9, 10, 12] {
            assert_eq!(
                check_apology(Some(due), Date::new(2026, 11, today), later, 0, &calendar),
                Ok(())
            );
        }
        assert_eq!(
            check_apology(Some(due), Date::new(2026, 11, 12), due, 0, &calendar),
            Err(Problem::DateNotAfterDue)
        );
        assert_eq!(
            check_apology(Some(due), Date::new(2026, 11, 12), later, 1, &calendar),
            Err(Problem::ApologyAlreadyGiven),
            "the return date is set again once"
        );
        // No appointment to be late against: nothing to time, but still once.
        let today = Date::new(2026, 11, 12);
        assert_eq!(check_apology(None, today, later, 0, &calendar), Ok(()));
        assert_eq!(
            check_apology(None, today, later, 1, &calendar),
            Err(Problem::ApologyAlreadyGiven)
        );
    }

    #[test]
    fn names_are_masked_to_initials() {
        assert_eq!(mask_name("Nguyễn Thị Lan"), "Nguyễn T. L.");
        assert_eq!(mask_name("  Đỗ   Ánh "), "Đỗ Á.");
        assert_eq!(mask_name("Lan"), "Lan");
        assert_eq!(mask_name(""), "");
    }
}
