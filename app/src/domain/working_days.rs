//! Which days the center works: a year's calendar is the statutory rule, plus the
//! compensatory rule, plus that year's published decisions (DESIGN.md §5).
//!
//! - The rule: the public holidays of the Labour Code 2019 (Bộ luật Lao động 45/2019/QH14),
//!   Art. 112(1): 1 January; five days of Tết Nguyên đán; the Hùng Kings' day (10th day of the
//!   3rd lunar month); 30 April; 1 May; 2 September and one adjacent day. Art. 112(3) leaves the
//!   exact Tết days and the adjacent day of 2 September to the Prime Minister each year; the
//!   rule's placement is only a default (the last day of the old lunar year and the first four of
//!   the new; the adjacent day as below).
//! - The compensatory rule, Art. 111(3): a holiday on a weekly rest day (Saturday or Sunday for
//!   civil servants) gives a day off on the next working day.
//! - The year's decisions: the government's notice for civil servants moves days (a weekday
//!   off, a Saturday worked in exchange) and fixes the Tết and National Day dates. Staff enter
//!   them as dated entries, "off" or "working", each with the decision's reference; an entry
//!   wins over the rule on its day.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::{Date, lunar_to_solar, tet};

/// A public holiday of the Labour Code, Art. 112(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Holiday {
    NewYear,
    Tet,
    HungKings,
    Reunification,
    Labour,
    NationalDay,
}

/// The statutory holidays of `year`, in date order, with the rule's default placement of the
/// days the Prime Minister picks.
pub fn statutory_holidays(year: i32) -> Vec<(Date, Holiday)> {
    let new_year = tet(year);
    let mut days = vec![(Date::new(year, 1, 1), Holiday::NewYear)];
    days.extend((-1..=3).map(|offset| (new_year.add_days(offset), Holiday::Tet)));
    if let Some(hung_kings) = lunar_to_solar(year, 3, 10, false) {
        days.push((hung_kings, Holiday::HungKings));
    }
    days.push((Date::new(year, 4, 30), Holiday::Reunification));
    days.push((Date::new(year, 5, 1), Holiday::Labour));
    let national_day = Date::new(year, 9, 2);
    days.push((national_day, Holiday::NationalDay));
    days.push((national_day_adjacent(year), Holiday::NationalDay));
    days.sort();
    days
}

/// The day next to 2 September that the rule proposes: the one that joins the holiday to a
/// weekend where one does (Tuesday → Monday 1 Sep, Thursday → Friday 3 Sep), as the notices of
/// 2024 (Monday → 3 Sep), 2025 (Tuesday → 1 Sep) and 2026 (Wednesday → 1 Sep) chose.
fn national_day_adjacent(year: i32) -> Date {
    let national_day = Date::new(year, 9, 2);
    // Date::weekday: 0 = Monday … 6 = Sunday.
    match national_day.weekday() {
        0 | 3 | 6 => national_day.add_days(1),
        _ => national_day.add_days(-1),
    }
}

/// Art. 111(3): each holiday on a Saturday or Sunday gives the next working day off (a day
/// that is neither a weekend, a holiday nor already given).
pub fn compensatory_days(holidays: &[(Date, Holiday)]) -> Vec<(Date, Holiday)> {
    let mut given: Vec<(Date, Holiday)> = Vec::new();
    let is_taken = |day: Date, given: &[(Date, Holiday)]| {
        day.is_weekend()
            || holidays.iter().any(|(d, _)| *d == day)
            || given.iter().any(|(d, _)| *d == day)
    };
    for &(day, holiday) in holidays {
        if day.is_weekend() {
            let mut off = day.add_days(1);
            while is_taken(off, &given) {
                off = off.add_days(1);
            }
            given.push((off, holiday));
        }
    }
    given
}

/// Whether a day is worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayState {
    Working,
    Off,
}

impl DayState {
    /// The stable key used in the database and in forms.
    pub fn key(self) -> &'static str {
        match self {
            DayState::Working => "lam-viec",
            DayState::Off => "nghi",
        }
    }

    pub fn from_key(key: &str) -> Option<DayState> {
        match key {
            "lam-viec" => Some(DayState::Working),
            "nghi" => Some(DayState::Off),
            _ => None,
        }
    }
}

/// One day of a published decision, as staff enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub date: Date,
    pub state: DayState,
    /// What the day is, in the notice's words ("Nghỉ bù Tết", "Làm bù cho thứ Hai 29/4").
    pub note: String,
    /// The notice: "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023".
    pub reference: String,
}

/// Why a day is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayReason {
    Weekday,
    Weekend,
    Holiday(Holiday),
    Compensatory(Holiday),
    Decided { note: String, reference: String },
}

/// The center's working calendar over some years: the rule's days and the decisions entered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    rule: BTreeMap<Date, DayReason>,
    decisions: BTreeMap<Date, Decision>,
}

/// Every center's calendar: the national one, and for a center with days of its own the
/// national one with those days on top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendars {
    national: Calendar,
    centers: std::collections::HashMap<String, Calendar>,
}

impl Calendars {
    /// From the national decisions and each center's own (by agency code), over `years`.
    pub fn new(
        years: std::ops::RangeInclusive<i32>,
        national: Vec<Decision>,
        own: std::collections::HashMap<String, Vec<Decision>>,
    ) -> Calendars {
        let centers = own
            .into_iter()
            .map(|(agency, days)| {
                let decisions = national.iter().cloned().chain(days).collect();
                (agency, Calendar::new(years.clone(), decisions))
            })
            .collect();
        Calendars {
            national: Calendar::new(years, national),
            centers,
        }
    }

    /// The calendar of the center `agency` (the national one when it has no days of its own).
    pub fn of(&self, agency: &str) -> &Calendar {
        self.centers.get(agency).unwrap_or(&self.national)
    }
}

impl Calendar {
    /// The calendar of `years` (the rule) with `decisions` over it; of two decisions on one
    /// day, the later in the list stands (a center's own over the national one).
    pub fn new(years: impl IntoIterator<Item = i32>, decisions: Vec<Decision>) -> Calendar {
        let mut rule = BTreeMap::new();
        for year in years {
            let holidays = statutory_holidays(year);
            for &(day, holiday) in &holidays {
                rule.insert(day, DayReason::Holiday(holiday));
            }
            for (day, holiday) in compensatory_days(&holidays) {
                rule.entry(day).or_insert(DayReason::Compensatory(holiday));
            }
        }
        Calendar {
            rule,
            decisions: decisions.into_iter().map(|d| (d.date, d)).collect(),
        }
    }

    /// What `date` is, and why.
    pub fn day(&self, date: Date) -> (DayState, DayReason) {
        if let Some(decision) = self.decisions.get(&date) {
            let reason = DayReason::Decided {
                note: decision.note.clone(),
                reference: decision.reference.clone(),
            };
            return (decision.state, reason);
        }
        match self.rule.get(&date) {
            Some(reason) => (DayState::Off, reason.clone()),
            None if date.is_weekend() => (DayState::Off, DayReason::Weekend),
            None => (DayState::Working, DayReason::Weekday),
        }
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        match self.decisions.get(&date) {
            Some(decision) => decision.state == DayState::Working,
            None => !date.is_weekend() && !self.rule.contains_key(&date),
        }
    }

    /// Every day of `year` with its state and reason, for the settings page's grid.
    pub fn year(&self, year: i32) -> Vec<(Date, DayState, DayReason)> {
        let first = Date::new(year, 1, 1);
        (0..)
            .map(|offset| first.add_days(offset))
            .take_while(|day| day.year == year)
            .map(|day| {
                let (state, reason) = self.day(day);
                (day, state, reason)
            })
            .collect()
    }

    /// `date` itself when it is worked, or the first working day after it.
    pub fn next_working_day(&self, mut date: Date) -> Date {
        while !self.is_working_day(date) {
            date = date.add_days(1);
        }
        date
    }

    /// The day `working_days` working days after `start`; `start` itself does not count.
    pub fn add_working_days(&self, start: Date, working_days: u32) -> Date {
        let mut day = start;
        for _ in 0..working_days {
            day = self.next_working_day(day.add_days(1));
        }
        day
    }
}

/// The decisions published for civil servants that we have checked, so a new installation
/// starts with the real calendar of these years; staff enter the later ones.
pub fn published_decisions(year: i32) -> Vec<Decision> {
    let entry = |date: Date, state: DayState, note: &str, reference: &str| Decision {
        date,
        state,
        note: note.to_owned(),
        reference: reference.to_owned(),
    };
    use DayState::{Off, Working};
    const Y2024: &str = "Thông báo 5015/TB-LĐTBXH ngày 22/11/2023";
    const Y2024_APRIL: &str = "Công văn 2450/VPCP-KGVX ngày 12/4/2024";
    const Y2025_TET: &str = "Công văn 8726/VPCP-KGVX ngày 26/11/2024";
    const Y2025: &str = "Thông báo 6150/TB-LĐTBXH (2024)";
    const Y2026_NEW_YEAR: &str = "Công văn 12729/VPCP-KGVX ngày 25/12/2025";
    const Y2026: &str = "Công văn 9859/VPCP-KGVX (10/2025); Thông báo 9441/TB-BNV";
    match year {
        2024 => vec![
            // Tết fell on Saturday 10 Feb: the two compensatory days went to 8 and 14 Feb.
            entry(
                Date::new(2024, 2, 8),
                Off,
                "Nghỉ Tết Nguyên đán (nghỉ bù)",
                Y2024,
            ),
            entry(
                Date::new(2024, 2, 15),
                Working,
                "Đi làm (nghỉ bù chuyển sang 8/2)",
                Y2024,
            ),
            entry(
                Date::new(2024, 4, 29),
                Off,
                "Nghỉ hoán đổi (làm bù thứ Bảy 4/5)",
                Y2024_APRIL,
            ),
            entry(
                Date::new(2024, 5, 4),
                Working,
                "Làm bù cho thứ Hai 29/4",
                Y2024_APRIL,
            ),
        ],
        2025 => vec![
            // Tết ran 27–31 Jan (two days before the new year, three after).
            entry(
                Date::new(2025, 1, 27),
                Off,
                "Nghỉ Tết Nguyên đán",
                Y2025_TET,
            ),
            entry(
                Date::new(2025, 2, 3),
                Working,
                "Đi làm (Tết đã nghỉ 27–31/1)",
                Y2025_TET,
            ),
            entry(
                Date::new(2025, 4, 26),
                Working,
                "Làm bù cho thứ Sáu 2/5",
                Y2025,
            ),
            entry(
                Date::new(2025, 5, 2),
                Off,
                "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)",
                Y2025,
            ),
        ],
        2026 => vec![
            entry(
                Date::new(2026, 1, 2),
                Off,
                "Nghỉ hoán đổi (làm bù thứ Bảy 10/1)",
                Y2026_NEW_YEAR,
            ),
            entry(
                Date::new(2026, 1, 10),
                Working,
                "Làm bù cho thứ Sáu 2/1",
                Y2026_NEW_YEAR,
            ),
            entry(
                Date::new(2026, 8, 22),
                Working,
                "Làm bù cho thứ Hai 31/8",
                Y2026,
            ),
            entry(
                Date::new(2026, 8, 31),
                Off,
                "Nghỉ hoán đổi (làm bù thứ Bảy 22/8)",
                Y2026,
            ),
        ],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_center_has_the_national_days_with_its_own_on_top() {
        let decision = |date: Date, state: DayState, note: &str| Decision {
            date,
            state,
            note: note.to_owned(),
            reference: String::new(),
        };
        // Wednesday 3 June 2026 off everywhere; Thursday 4 June off at one center; Saturday
        // 6 June worked there; the national holiday of 2 September worked there too (its own
        // decision wins).
        let national = vec![decision(Date::new(2026, 6, 3), DayState::Off, "Nghỉ")];
        let own = std::collections::HashMap::from([(
            "000.00.12.H56".to_owned(),
            vec![
                decision(Date::new(2026, 6, 4), DayState::Off, "Lễ hội xã"),
                decision(Date::new(2026, 6, 6), DayState::Working, "Làm bù"),
                decision(Date::new(2026, 9, 2), DayState::Working, "Trực"),
            ],
        )]);
        let calendars = Calendars::new(2025..=2027, national, own);
        let (center, other) = (calendars.of("000.00.12.H56"), calendars.of("000.00.13.H56"));
        assert!(!center.is_working_day(Date::new(2026, 6, 3)));
        assert!(!other.is_working_day(Date::new(2026, 6, 3)));
        assert!(!center.is_working_day(Date::new(2026, 6, 4)));
        assert!(other.is_working_day(Date::new(2026, 6, 4)));
        assert!(center.is_working_day(Date::new(2026, 6, 6)));
        assert!(!other.is_working_day(Date::new(2026, 6, 6)));
        assert!(center.is_working_day(Date::new(2026, 9, 2)));
        assert!(!other.is_working_day(Date::new(2026, 9, 2)));
    }

    /// The days off of a year that are not Saturdays or Sundays, and the Saturdays worked, as
    /// the notices for civil servants list them (the sources are in `published_decisions`):
    /// - 2024 (Thông báo 5015/TB-LĐTBXH; Công văn 2450/VPCP-KGVX): 1 Jan; Tết 8–14 Feb;
    ///   Hùng Kings 18 Apr; 29 Apr–1 May with Sat 4 May worked; 2–3 Sep.
    /// - 2025 (Công văn 8726/VPCP-KGVX; Thông báo 6150/TB-LĐTBXH): 1 Jan; Tết 27–31 Jan;
    ///   Hùng Kings 7 Apr; 30 Apr–2 May with Sat 26 Apr worked; 1–2 Sep.
    /// - 2026 (Công văn 12729/VPCP-KGVX, 9859/VPCP-KGVX): 1–2 Jan with Sat 10 Jan worked; Tết
    ///   16–20 Feb; Mon 27 Apr (Hùng Kings on Sunday 26 Apr); 30 Apr–1 May; 31 Aug–2 Sep with
    ///   Sat 22 Aug worked.
    fn published(year: i32) -> (Vec<Date>, Vec<Date>) {
        let d = |m, day| Date::new(year, m, day);
        match year {
            2024 => (
                vec![
                    d(1, 1),
                    d(2, 8),
                    d(2, 9),
                    d(2, 12),
                    d(2, 13),
                    d(2, 14),
                    d(4, 18),
                    d(4, 29),
                    d(4, 30),
                    d(5, 1),
                    d(9, 2),
                    d(9, 3),
                ],
                vec![d(5, 4)],
            ),
            2025 => (
                vec![
                    d(1, 1),
                    d(1, 27),
                    d(1, 28),
                    d(1, 29),
                    d(1, 30),
                    d(1, 31),
                    d(4, 7),
                    d(4, 30),
                    d(5, 1),
                    d(5, 2),
                    d(9, 1),
                    d(9, 2),
                ],
                vec![d(4, 26)],
            ),
            2026 => (
                vec![
                    d(1, 1),
                    d(1, 2),
                    d(2, 16),
                    d(2, 17),
                    d(2, 18),
                    d(2, 19),
                    d(2, 20),
                    d(4, 27),
                    d(4, 30),
                    d(5, 1),
                    d(8, 31),
                    d(9, 1),
                    d(9, 2),
                ],
                vec![d(1, 10), d(8, 22)],
            ),
            _ => unreachable!("only the years checked above"),
        }
    }

    fn calendar_of(year: i32) -> Calendar {
        Calendar::new(year - 1..=year + 1, published_decisions(year))
    }

    #[test]
    fn the_calendar_of_2024_to_2026_is_the_published_one_day_for_day() {
        for year in [2024, 2025, 2026] {
            let calendar = calendar_of(year);
            let (weekdays_off, saturdays_worked) = published(year);
            let days = calendar.year(year);
            assert_eq!(days.len(), if year == 2024 { 366 } else { 365 });
            for (day, state, _) in days {
                assert_eq!(state == DayState::Working, calendar.is_working_day(day));
                let expected = if day.is_weekend() {
                    saturdays_worked.contains(&day)
                } else {
                    !weekdays_off.contains(&day)
                };
                assert_eq!(calendar.is_working_day(day), expected, "{}", day.iso());
            }
        }
    }

    #[test]
    fn the_five_measured_cases_land_on_working_days() {
        let cases = [
            // Thu 28 Aug 2025 + 2: Fri 29, (1–2 Sep off), Wed 3 Sep.
            (Date::new(2025, 8, 28), 2, Date::new(2025, 9, 3)),
            // Fri 24 Jan 2025 + 3: Tết 27–31 Jan, then Mon 3, Tue 4, Wed 5 Feb.
            (Date::new(2025, 1, 24), 3, Date::new(2025, 2, 5)),
            // Wed 7 Feb 2024 + 1: 8–14 Feb off, Thu 15 Feb.
            (Date::new(2024, 2, 7), 1, Date::new(2024, 2, 15)),
            // Fri 26 Apr 2024 + 1: 29 Apr–1 May off, Thu 2 May.
            (Date::new(2024, 4, 26), 1, Date::new(2024, 5, 2)),
            // Fri 24 Apr 2026 + 1: Mon 27 Apr off, Tue 28 Apr.
            (Date::new(2026, 4, 24), 1, Date::new(2026, 4, 28)),
        ];
        for (start, days, expected) in cases {
            let calendar = calendar_of(start.year);
            assert_eq!(
                calendar.add_working_days(start, days),
                expected,
                "{}",
                start.iso()
            );
        }
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let calendar = calendar_of(2026);
        // Friday + 1 working day = Monday; + 0 is the day itself.
        assert_eq!(
            calendar.add_working_days(Date::new(2026, 11, 27), 1),
            Date::new(2026, 11, 30)
        );
        assert_eq!(
            calendar.add_working_days(Date::new(2026, 4, 29), 0),
            Date::new(2026, 4, 29)
        );
        // Friday 13 Feb 2026 + 3 crosses Tết (16–20 Feb) and two weekends.
        assert_eq!(
            calendar.add_working_days(Date::new(2026, 2, 13), 3),
            Date::new(2026, 2, 25)
        );
        // Wednesday 29 Apr 2026 + 1: 30 Apr and 1 May, then a weekend.
        assert_eq!(
            calendar.add_working_days(Date::new(2026, 4, 29), 1),
            Date::new(2026, 5, 4)
        );
        // The rule alone still gives the statutory days (here with no decision at all).
        let holidays = statutory_holidays(2026);
        assert_eq!(holidays.len(), 11);
        assert!(holidays.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_worked_saturday_counts_and_a_decided_day_off_does_not() {
        let calendar = calendar_of(2024);
        // Fri 3 May 2024 + 1: Sat 4 May was worked.
        assert_eq!(
            calendar.add_working_days(Date::new(2024, 5, 3), 1),
            Date::new(2024, 5, 4)
        );
        let (state, reason) = calendar.day(Date::new(2024, 5, 4));
        assert_eq!(state, DayState::Working);
        assert!(
            matches!(reason, DayReason::Decided { reference, .. } if reference.contains("2450"))
        );
        assert_eq!(
            calendar.day(Date::new(2024, 4, 18)),
            (DayState::Off, DayReason::Holiday(Holiday::HungKings))
        );
    }

    #[test]
    fn every_holiday_on_a_weekend_from_2020_to_2035_gives_the_next_working_day_off() {
        let mut checked = 0;
        for year in 2020..=2035 {
            let holidays = statutory_holidays(year);
            let given = compensatory_days(&holidays);
            let weekend: Vec<_> = holidays.iter().filter(|(d, _)| d.is_weekend()).collect();
            assert_eq!(
                given.len(),
                weekend.len(),
                "{year}: one day per holiday on a weekend"
            );
            let calendar = Calendar::new(year..=year, Vec::new());
            for ((day, holiday), (off, for_holiday)) in weekend.iter().zip(&given) {
                assert_eq!(holiday, for_holiday);
                assert!(off > day && !off.is_weekend(), "{}", off.iso());
                // Every day between the holiday and its compensatory day is off already.
                let mut between = day.add_days(1);
                while between < *off {
                    assert!(!calendar.is_working_day(between), "{}", between.iso());
                    between = between.add_days(1);
                }
                assert_eq!(
                    calendar.day(*off),
                    (DayState::Off, DayReason::Compensatory(*holiday))
                );
                checked += 1;
            }
        }
        assert!(
            checked > 20,
            "the years hold many weekend holidays: {checked}"
        );
    }

    #[test]
    fn the_compensatory_rule_on_known_weekends() {
        // 1 Jan 2022 was a Saturday: Monday 3 Jan off.
        let days = compensatory_days(&statutory_holidays(2022));
        assert!(days.contains(&(Date::new(2022, 1, 3), Holiday::NewYear)));
        // Hùng Kings 2026 on Sunday 26 April: Monday 27 April off.
        let days = compensatory_days(&statutory_holidays(2026));
        assert_eq!(days, vec![(Date::new(2026, 4, 27), Holiday::HungKings)]);
        // 30 April and 1 May 2022 on Saturday and Sunday: Monday 2 and Tuesday 3 May.
        let days = compensatory_days(&statutory_holidays(2022));
        assert!(days.contains(&(Date::new(2022, 5, 2), Holiday::Reunification)));
        assert!(days.contains(&(Date::new(2022, 5, 3), Holiday::Labour)));
    }

    #[test]
    fn the_national_day_takes_the_adjacent_day_the_notices_chose() {
        let adjacent = |year| {
            statutory_holidays(year)
                .into_iter()
                .filter(|(d, h)| *h == Holiday::NationalDay && d.day != 2)
                .map(|(d, _)| d)
                .collect::<Vec<_>>()
        };
        assert_eq!(adjacent(2024), vec![Date::new(2024, 9, 3)]);
        assert_eq!(adjacent(2025), vec![Date::new(2025, 9, 1)]);
        assert_eq!(adjacent(2026), vec![Date::new(2026, 9, 1)]);
    }

    #[test]
    fn day_states_read_back_from_their_keys() {
        for state in [DayState::Working, DayState::Off] {
            assert_eq!(DayState::from_key(state.key()), Some(state));
        }
        assert_eq!(DayState::from_key("x"), None);
    }
}
