//! Working time (DESIGN.md §5): the center's office hours, the cut-off after which a dossier
//! counts from the next working day, and the moment a processing time ends, to the minute.
//!
//! Conventions, each tested below:
//! - the clock starts when the dossier is received on a working day within office hours and
//!   before the cut-off (during the lunch break: when the afternoon opens; before opening: at
//!   opening); otherwise at the opening of the next working day;
//! - working days and working hours are counted in working minutes (a working day is the
//!   office hours of one day, a fraction of a day that fraction of them); a count that ends
//!   exactly as a period opens ends instead when the period before it closed ("by 17:00 on
//!   Tuesday", not "at 07:30 on Wednesday");
//! - "trong ngày" (same day) ends when the start day closes;
//! - calendar days end when the center closes on that day, moved to the next working day when
//!   it falls on a day off; calendar hours end at that moment, moved to the next opening when
//!   the center is closed then.

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::procedure::{ProcessingTime, TimeUnit};
use super::search::fold;
use super::working_days::Calendar;

/// A minute of the day, 0 to 1439.
pub type Minute = u16;

pub const fn clock(hour: u16, minute: u16) -> Minute {
    hour * 60 + minute
}

/// A moment in Vietnam's time (UTC+7): a date and a minute of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Moment {
    pub date: Date,
    pub minute: Minute,
}

impl Moment {
    pub const fn new(date: Date, minute: Minute) -> Moment {
        Moment { date, minute }
    }

    pub fn from_unix(seconds: i64) -> Moment {
        let date = Date::in_vietnam(seconds);
        let minute = (seconds - date.start_in_vietnam()).div_euclid(60);
        Moment::new(date, minute.clamp(0, 1439) as Minute)
    }

    pub fn unix(self) -> i64 {
        self.date.start_in_vietnam() + i64::from(self.minute) * 60
    }

    /// "16:30".
    pub fn clock_time(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }
}

/// The center's office hours: a morning and an afternoon period on working days. A dossier
/// received outside them (a Saturday-morning desk included) counts from the next working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub morning: (Minute, Minute),
    pub afternoon: (Minute, Minute),
}

impl Default for OfficeHours {
    /// 07:30–11:30 and 13:30–17:00, the hours most commune centers publish.
    fn default() -> OfficeHours {
        OfficeHours {
            morning: (clock(7, 30), clock(11, 30)),
            afternoon: (clock(13, 30), clock(17, 0)),
        }
    }
}

impl OfficeHours {
    /// Reads "07:30-11:30,13:30-17:00" (the configuration's form).
    pub fn parse(text: &str) -> Option<OfficeHours> {
        let period = |text: &str| -> Option<(Minute, Minute)> {
            let (from, to) = text.trim().split_once('-')?;
            let (from, to) = (parse_clock(from)?, parse_clock(to)?);
            (from < to).then_some((from, to))
        };
        let (morning, afternoon) = text.split_once(',')?;
        let (morning, afternoon) = (period(morning)?, period(afternoon)?);
        (morning.1 <= afternoon.0).then_some(OfficeHours { morning, afternoon })
    }

    fn periods(&self) -> [(Minute, Minute); 2] {
        [self.morning, self.afternoon]
    }

    pub fn opening(&self) -> Minute {
        self.morning.0
    }

    pub fn closing(&self) -> Minute {
        self.afternoon.1
    }

    /// The working minutes of one working day.
    pub fn day_minutes(&self) -> u32 {
        self.periods()
            .iter()
            .map(|(from, to)| u32::from(to - from))
            .sum()
    }
}

/// The center's office hours and, per sector, the hour after which a dossier received counts
/// from the next working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingRules {
    pub hours: OfficeHours,
    /// (a sector's name folded, its cut-off).
    pub cut_offs: Vec<(String, Minute)>,
}

impl Default for WorkingRules {
    /// Certifications received after 15:00 are done the next working day (Decree 23/2015/NĐ-CP
    /// on certification, Art. 7(1)).
    fn default() -> WorkingRules {
        WorkingRules {
            hours: OfficeHours::default(),
            cut_offs: vec![("chung thuc".to_owned(), clock(15, 0))],
        }
    }
}

impl WorkingRules {
    /// Reads "Chứng thực=15:00; Hộ tịch=16:00" (empty: no cut-off at all).
    pub fn parse_cut_offs(text: &str) -> Option<Vec<(String, Minute)>> {
        text.split(';')
            .filter(|part| !part.trim().is_empty())
            .map(|part| {
                let (sector, at) = part.split_once('=')?;
                let sector = fold(sector);
                (!sector.is_empty()).then_some(())?;
                Some((sector, parse_clock(at)?))
            })
            .collect()
    }

    /// The cut-off of a procedure in `sector`, if its sector has one.
    pub fn cut_off_for(&self, sector: &str) -> Option<Minute> {
        let sector = fold(sector);
        self.cut_offs
            .iter()
            .find(|(name, _)| sector.contains(name.as_str()))
            .map(|(_, at)| *at)
    }
}

/// "07:30" → 450.
pub fn parse_clock(text: &str) -> Option<Minute> {
    let (hour, minute) = text.trim().split_once(':')?;
    let (hour, minute): (u16, u16) = (hour.parse().ok()?, minute.parse().ok()?);
    (hour < 24 && minute < 60).then_some(clock(hour, minute))
}

/// When the processing clock of a dossier received at `received` starts.
pub fn clock_start(
    received: Moment,
    calendar: &Calendar,
    hours: &OfficeHours,
    cut_off: Option<Minute>,
) -> Moment {
    let today_counts = calendar.is_working_day(received.date)
        && received.minute < hours.closing()
        && cut_off.is_none_or(|cut_off| received.minute < cut_off);
    if !today_counts {
        let next = calendar.next_working_day(received.date.add_days(1));
        return Moment::new(next, hours.opening());
    }
    let minute = hours
        .periods()
        .iter()
        .find(|(_, to)| received.minute < *to)
        .map_or(hours.closing(), |(from, _)| received.minute.max(*from));
    Moment::new(received.date, minute)
}

/// `start` (a working moment) plus `minutes` of working time.
pub fn add_working_minutes(
    start: Moment,
    minutes: u32,
    calendar: &Calendar,
    hours: &OfficeHours,
) -> Moment {
    let mut left = minutes;
    let mut day = start.date;
    let mut from_minute = start.minute;
    loop {
        if calendar.is_working_day(day) {
            for (open, close) in hours.periods() {
                let begin = from_minute.max(open);
                if begin >= close {
                    continue;
                }
                let room = u32::from(close - begin);
                // `<=`: a count that fills the period ends at its close, not at the next opening.
                if left <= room {
                    return Moment::new(day, begin + left as Minute);
                }
                left -= room;
            }
        }
        day = day.add_days(1);
        from_minute = 0;
    }
}

/// Whether a processing time is "trong ngày": no number, and the words say the same day.
pub fn is_same_day(time: &ProcessingTime) -> bool {
    time.amount.is_none() && fold(&time.description).contains("trong ngay")
}

/// The moment the result is due for a dossier received at `received`; `None` when the
/// procedure gives no usable time (staff set the date at intake).
pub fn due_moment(
    time: &ProcessingTime,
    received: Moment,
    calendar: &Calendar,
    hours: &OfficeHours,
    cut_off: Option<Minute>,
) -> Option<Moment> {
    let start = clock_start(received, calendar, hours, cut_off);
    if is_same_day(time) {
        return Some(Moment::new(start.date, hours.closing()));
    }
    let amount = time
        .amount
        .filter(|a| a.is_finite() && *a >= 0.0)?
        .min(3650.0);
    let working = |minutes: f64| add_working_minutes(start, minutes.ceil() as u32, calendar, hours);
    match time.unit {
        TimeUnit::WorkingDays => Some(working(amount * f64::from(hours.day_minutes()))),
        TimeUnit::WorkingHours => Some(working(amount * 60.0)),
        TimeUnit::Days => {
            let day = start.date.add_days(amount.ceil() as i64);
            Some(Moment::new(calendar.next_working_day(day), hours.closing()))
        }
        TimeUnit::Hours => {
            let end = Moment::from_unix(start.unix() + (amount * 3600.0).ceil() as i64);
            Some(next_open_moment(end, calendar, hours))
        }
        TimeUnit::Unknown => None,
    }
}

/// `moment` when the center is open then, or the next opening.
fn next_open_moment(moment: Moment, calendar: &Calendar, hours: &OfficeHours) -> Moment {
    if calendar.is_working_day(moment.date)
        && let Some((open, _)) = hours
            .periods()
            .into_iter()
            .find(|(_, close)| moment.minute <= *close)
    {
        return Moment::new(moment.date, moment.minute.max(open));
    }
    let next = calendar.next_working_day(moment.date.add_days(1));
    Moment::new(next, hours.opening())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::working_days::published_decisions;

    fn calendar() -> Calendar {
        Calendar::new(2024..=2027, published_decisions(2026))
    }

    fn at(year: i32, month: u32, day: u32, hour: u16, minute: u16) -> Moment {
        Moment::new(Date::new(year, month, day), clock(hour, minute))
    }

    fn time(amount: Option<f64>, unit: TimeUnit, description: &str) -> ProcessingTime {
        ProcessingTime {
            amount,
            unit,
            description: description.to_owned(),
        }
    }

    fn due(time: &ProcessingTime, received: Moment, cut_off: Option<Minute>) -> Option<Moment> {
        due_moment(
            time,
            received,
            &calendar(),
            &OfficeHours::default(),
            cut_off,
        )
    }

    #[test]
    fn four_working_hours_from_monday_eight_end_the_same_afternoon() {
        // Mon 7 Dec 2026: 08:00–11:30 is 3½ hours, the last ½ hour after lunch.
        let hours = time(Some(4.0), TimeUnit::WorkingHours, "4 giờ làm việc");
        assert_eq!(
            due(&hours, at(2026, 12, 7, 8, 0), None),
            Some(at(2026, 12, 7, 14, 0))
        );
        // Received at 15:00: 2 hours that day, 2 the next morning.
        assert_eq!(
            due(&hours, at(2026, 12, 7, 15, 0), None),
            Some(at(2026, 12, 8, 9, 30))
        );
        // Received during lunch: the clock starts at 13:30; 3½ hours that afternoon.
        assert_eq!(
            due(&hours, at(2026, 12, 7, 12, 0), None),
            Some(at(2026, 12, 8, 8, 0))
        );
    }

    #[test]
    fn hours_cross_a_weekend_and_a_holiday() {
        let hours = time(Some(4.0), TimeUnit::WorkingHours, "");
        // Friday 16:00: one hour Friday; Saturday, Sunday and the Tết days 16–20 Feb 2026 off;
        // three hours from Monday 23 Feb, 07:30.
        assert_eq!(
            due(&hours, at(2026, 2, 13, 16, 0), None),
            Some(at(2026, 2, 23, 10, 30))
        );
        // Wednesday 29 Apr 2026 at 16:00: 30 Apr, 1 May and the weekend off.
        assert_eq!(
            due(&hours, at(2026, 4, 29, 16, 0), None),
            Some(at(2026, 5, 4, 10, 30))
        );
    }

    #[test]
    fn same_day_procedures_end_at_closing_or_the_next_day_after_the_cut_off() {
        let same_day = time(None, TimeUnit::WorkingDays, "Trong ngày");
        let cut_off = Some(clock(15, 0));
        assert_eq!(
            due(&same_day, at(2026, 12, 7, 9, 0), cut_off),
            Some(at(2026, 12, 7, 17, 0))
        );
        // After 15:00 a certification counts from the next working day (Decree 23/2015, Art. 7).
        assert_eq!(
            due(&same_day, at(2026, 12, 7, 15, 0), cut_off),
            Some(at(2026, 12, 8, 17, 0))
        );
        assert_eq!(
            due(&same_day, at(2026, 12, 7, 15, 0), None),
            Some(at(2026, 12, 7, 17, 0))
        );
        // Friday after the cut-off: Monday.
        assert_eq!(
            due(&same_day, at(2026, 12, 4, 16, 0), cut_off),
            Some(at(2026, 12, 7, 17, 0))
        );
        // A time in words only that is not "the same day" gives no moment.
        assert_eq!(
            due(
                &time(None, TimeUnit::Unknown, "Theo quy định"),
                at(2026, 12, 7, 9, 0),
                None
            ),
            None
        );
    }

    #[test]
    fn working_days_keep_the_hour_and_end_by_closing() {
        let one_day = time(Some(1.0), TimeUnit::WorkingDays, "");
        // Monday 09:00 + 1 working day: Tuesday 09:00.
        assert_eq!(
            due(&one_day, at(2026, 12, 7, 9, 0), None),
            Some(at(2026, 12, 8, 9, 0))
        );
        // Received after closing: the clock starts Tuesday 07:30, so due by Tuesday 17:00.
        assert_eq!(
            due(&one_day, at(2026, 12, 7, 18, 0), None),
            Some(at(2026, 12, 8, 17, 0))
        );
        // Received on Saturday: Monday is the first day, due by its close.
        assert_eq!(
            due(&one_day, at(2026, 12, 5, 9, 0), None),
            Some(at(2026, 12, 7, 17, 0))
        );
        // Half a day is half of 7½ hours.
        let half = time(Some(0.5), TimeUnit::WorkingDays, "");
        assert_eq!(
            due(&half, at(2026, 12, 7, 7, 30), None),
            Some(at(2026, 12, 7, 11, 15))
        );
        // The five measured cases, at 09:00: the same hour on the right day.
        let cases = [
            (at(2025, 8, 28, 9, 0), 2.0, Date::new(2025, 9, 3)),
            (at(2025, 1, 24, 9, 0), 3.0, Date::new(2025, 2, 5)),
            (at(2024, 2, 7, 9, 0), 1.0, Date::new(2024, 2, 15)),
            (at(2024, 4, 26, 9, 0), 1.0, Date::new(2024, 5, 2)),
            (at(2026, 4, 24, 9, 0), 1.0, Date::new(2026, 4, 28)),
        ];
        for (received, days, expected) in cases {
            let calendar = Calendar::new(2023..=2027, published_decisions(received.date.year));
            let time = time(Some(days), TimeUnit::WorkingDays, "");
            let due = due_moment(&time, received, &calendar, &OfficeHours::default(), None);
            assert_eq!(
                due,
                Some(Moment::new(expected, clock(9, 0))),
                "{}",
                received.date.iso()
            );
        }
    }

    #[test]
    fn calendar_days_and_hours_end_when_the_center_is_open() {
        // Mon 27 Apr 2026 (itself off) + 3 days: the clock starts Tue 28, Fri 1 May is a
        // holiday, then the weekend: Monday 4 May at closing.
        let days = time(Some(3.0), TimeUnit::Days, "");
        assert_eq!(
            due(&days, at(2026, 4, 27, 9, 0), None),
            Some(at(2026, 5, 4, 17, 0))
        );
        // 24 hours from Monday 09:00: Tuesday 09:00; from Friday 09:00: Saturday, so Monday's
        // opening.
        let day = time(Some(24.0), TimeUnit::Hours, "");
        assert_eq!(
            due(&day, at(2026, 12, 7, 9, 0), None),
            Some(at(2026, 12, 8, 9, 0))
        );
        assert_eq!(
            due(&day, at(2026, 12, 4, 9, 0), None),
            Some(at(2026, 12, 7, 7, 30))
        );
    }

    #[test]
    fn cut_offs_belong_to_sectors() {
        let rules = WorkingRules::default();
        assert_eq!(rules.cut_off_for("Chứng thực"), Some(clock(15, 0)));
        assert_eq!(rules.cut_off_for("Hộ tịch"), None);
        let parsed = WorkingRules::parse_cut_offs("Chứng thực=15:00; Hộ tịch = 16:30").unwrap();
        assert_eq!(
            parsed,
            vec![
                ("chung thuc".into(), clock(15, 0)),
                ("ho tich".into(), clock(16, 30))
            ]
        );
        assert_eq!(WorkingRules::parse_cut_offs(""), Some(Vec::new()));
        for bad in ["Chứng thực", "=15:00", "Chứng thực=3pm"] {
            assert_eq!(WorkingRules::parse_cut_offs(bad), None, "{bad}");
        }
    }

    #[test]
    fn office_hours_and_clock_times_read_from_text() {
        assert_eq!(
            OfficeHours::parse("07:30-11:30,13:30-17:00"),
            Some(OfficeHours::default())
        );
        assert_eq!(OfficeHours::default().day_minutes(), 450);
        assert_eq!(
            OfficeHours::parse("07:00-11:30, 13:00-16:30").map(|h| h.day_minutes()),
            Some(480)
        );
        for bad in [
            "",
            "07:30-11:30",
            "11:30-07:30,13:30-17:00",
            "07:30-12:00,11:00-17:00",
            "7h-11h,13h-17h",
        ] {
            assert_eq!(OfficeHours::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_clock("15:00"), Some(900));
        assert_eq!(parse_clock("24:00"), None);
        let moment = at(2026, 12, 7, 16, 5);
        assert_eq!(Moment::from_unix(moment.unix()), moment);
        assert_eq!(moment.clock_time(), "16:05");
    }
}
