//! Dates: the civil date in Vietnam and the Vietnamese lunar calendar, on which the holidays of
//! `working_days` are counted.
//!
//! The lunar conversion follows the astronomical method published by Hồ Ngọc Đức (new moons and
//! the sun's longitude at UTC+7), which is how Vietnamese calendars are computed; it is checked
//! below against published dates of Tết and of the Hùng Kings' day.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

/// A civil (Gregorian) date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Julian day number (noon-based, integer).
    pub fn julian_day(self) -> i64 {
        let a = (14 - i64::from(self.month)) / 12;
        let y = i64::from(self.year) + 4800 - a;
        let m = i64::from(self.month) + 12 * a - 3;
        i64::from(self.day) + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    pub fn from_julian_day(jd: i64) -> Date {
        let a = jd + 32044;
        let b = (4 * a + 3) / 146_097;
        let c = a - b * 146_097 / 4;
        let d = (4 * c + 3) / 1461;
        let e = c - 1461 * d / 4;
        let m = (5 * e + 2) / 153;
        let day = e - (153 * m + 2) / 5 + 1;
        let month = m + 3 - 12 * (m / 10);
        let year = b * 100 + d - 4800 + m / 10;
        Date::new(year as i32, month as u32, day as u32)
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_julian_day(self.julian_day() + days)
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        self.julian_day().rem_euclid(7) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// The date in Vietnam (UTC+7, no daylight saving) at `unix_seconds`.
    pub fn in_vietnam(unix_seconds: i64) -> Date {
        let local = unix_seconds + VIETNAM_OFFSET_SECONDS;
        Date::from_julian_day(local.div_euclid(86_400) + UNIX_EPOCH_JULIAN_DAY)
    }

    /// The instant this day begins in Vietnam, in Unix seconds.
    pub fn start_in_vietnam(self) -> i64 {
        (self.julian_day() - UNIX_EPOCH_JULIAN_DAY) * 86_400 - VIETNAM_OFFSET_SECONDS
    }

    /// A date as typed: `YYYY-MM-DD` (what a date input sends) or `dd/mm/yyyy`.
    pub fn parse_typed(text: &str) -> Option<Date> {
        let text = text.trim();
        Date::parse_iso(text).or_else(|| {
            let mut parts = text.splitn(3, '/');
            let day: u32 = parts.next()?.trim().parse().ok()?;
            let month: u32 = parts.next()?.trim().parse().ok()?;
            let year: i32 = parts.next()?.trim().parse().ok()?;
            Date::parse_iso(&Date::new(year, month, day).iso())
        })
    }

    /// `YYYY-MM-DD`: how dates are stored.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let date = Date::new(year, month, day);
        (Date::from_julian_day(date.julian_day()) == date).then_some(date)
    }

    /// `dd/mm/yyyy`, as dates are written in Vietnam.
    pub fn day_month_year(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

const VIETNAM_OFFSET_SECONDS: i64 = 7 * 3600;
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// Seconds since midnight in Vietnam at `unix_seconds`.
pub fn vietnam_second_of_day(unix_seconds: i64) -> i64 {
    (unix_seconds + VIETNAM_OFFSET_SECONDS).rem_euclid(86_400)
}

/// `hh:mm` in Vietnam at `unix_seconds`.
pub fn vietnam_clock_time(unix_seconds: i64) -> String {
    let seconds = vietnam_second_of_day(unix_seconds);
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

const TIME_ZONE: f64 = 7.0;

/// Julian day of the k-th new moon after 1900-01-01 (in local time, whole day).
fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    let jd_new = jd1 + c1 - delta_t;
    (jd_new + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's longitude at the start of a local day, as one of 12 sectors (0 = from the spring
/// equinox), which decides the lunar months.
fn sun_longitude_sector(day_number: i64) -> i64 {
    let t = (day_number as f64 - 2_451_545.5 - TIME_ZONE / 24.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    (l / PI * 6.0).floor() as i64
}

/// The first day of the lunar 11th month (the month holding the winter solstice) of `year`.
fn lunar_month_11(year: i32) -> i64 {
    let off = Date::new(year, 12, 31).julian_day() - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let mut nm = new_moon_day(k);
    if sun_longitude_sector(nm) >= 9 {
        nm = new_moon_day(k - 1);
    }
    nm
}

/// Which month after the 11th is the leap month, in a lunar year with 13 months.
fn leap_month_offset(month_11: i64) -> i64 {
    let k = ((month_11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut last;
    let mut i = 1;
    let mut arc = sun_longitude_sector(new_moon_day(k + i));
    loop {
        last = arc;
        i += 1;
        arc = sun_longitude_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The civil date of a lunar date (`leap` for the repeated month of a leap year); `None` when
/// that lunar date does not exist (a leap month that year does not have).
pub fn lunar_to_solar(
    lunar_year: i32,
    lunar_month: u32,
    lunar_day: u32,
    leap: bool,
) -> Option<Date> {
    let (a11, b11) = if lunar_month < 11 {
        (lunar_month_11(lunar_year - 1), lunar_month_11(lunar_year))
    } else {
        (lunar_month_11(lunar_year), lunar_month_11(lunar_year + 1))
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut offset = i64::from(lunar_month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        let mut leap_month = leap_offset - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if leap && i64::from(lunar_month) != leap_month {
            return None;
        }
        if leap || offset >= leap_offset {
            offset += 1;
        }
    } else if leap {
        return None;
    }
    let month_start = new_moon_day(k + offset);
    Some(Date::from_julian_day(
        month_start + i64::from(lunar_day) - 1,
    ))
}

/// The first day of the lunar new year (Tết Nguyên đán) that falls in civil `year`.
pub fn tet(year: i32) -> Date {
    lunar_to_solar(year, 1, 1, false).expect("the first lunar month always exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_days_round_trip_and_weekdays() {
        let date = Date::new(2025, 7, 1);
        assert_eq!(Date::from_julian_day(date.julian_day()), date);
        assert_eq!(date.weekday(), 1, "1 July 2025 was a Tuesday");
        assert_eq!(Date::new(2000, 1, 1).julian_day(), 2_451_545);
        assert_eq!(Date::new(2024, 2, 28).add_days(1), Date::new(2024, 2, 29));
        assert_eq!(Date::new(2025, 12, 31).add_days(1), Date::new(2026, 1, 1));
        assert!(Date::new(2026, 11, 29).is_weekend(), "a Sunday");
    }

    #[test]
    fn a_day_starts_at_midnight_in_vietnam_and_is_typed_two_ways() {
        let day = Date::new(2026, 11, 30);
        assert_eq!(Date::in_vietnam(day.start_in_vietnam()), day);
        assert_eq!(
            Date::in_vietnam(day.start_in_vietnam() - 1),
            day.add_days(-1)
        );
        assert_eq!(Date::parse_typed(" 2026-11-30 "), Some(day));
        assert_eq!(Date::parse_typed("30/11/2026"), Some(day));
        assert_eq!(Date::parse_typed("31/11/2026"), None);
        assert_eq!(Date::parse_typed("ngày mai"), None);
    }

    #[test]
    fn dates_in_vietnam_and_their_text_forms() {
        // 2026-11-29 16:59:59 UTC is 23:59:59 in Vietnam; one second later it is the 30th.
        assert_eq!(Date::in_vietnam(1_795_971_599), Date::new(2026, 11, 29));
        assert_eq!(Date::in_vietnam(1_795_971_600), Date::new(2026, 11, 30));
        assert_eq!(vietnam_clock_time(1_795_971_599), "23:59");
        assert_eq!(vietnam_clock_time(0), "07:00");
        assert_eq!(Date::in_vietnam(-1), Date::new(1970, 1, 1));
        let date = Date::new(2026, 2, 7);
        assert_eq!(date.iso(), "2026-02-07");
        assert_eq!(date.day_month_year(), "07/02/2026");
        assert_eq!(Date::parse_iso("2026-02-07"), Some(date));
        assert_eq!(Date::parse_iso("2026-02-30"), None);
        assert_eq!(Date::parse_iso("2026-02"), None);
    }

    #[test]
    fn tet_matches_published_dates() {
        let published = [
            (2020, Date::new(2020, 1, 25)),
            (2021, Date::new(2021, 2, 12)),
            (2022, Date::new(2022, 2, 1)),
            (2023, Date::new(2023, 1, 22)),
            (2024, Date::new(2024, 2, 10)),
            (2025, Date::new(2025, 1, 29)),
            (2026, Date::new(2026, 2, 17)),
            (2027, Date::new(2027, 2, 6)),
            (2028, Date::new(2028, 1, 26)),
        ];
        for (year, date) in published {
            assert_eq!(tet(year), date, "Tết {year}");
        }
    }

    #[test]
    fn hung_kings_day_matches_published_dates() {
        for (year, date) in [
            (2023, Date::new(2023, 4, 29)),
            (2024, Date::new(2024, 4, 18)),
            (2025, Date::new(2025, 4, 7)),
            (2026, Date::new(2026, 4, 26)),
        ] {
            assert_eq!(lunar_to_solar(year, 3, 10, false), Some(date), "{year}");
        }
    }

    #[test]
    fn leap_months_exist_only_where_they_do() {
        // 2023 had a leap second month (tháng 2 nhuận): it began on 22 March 2023.
        assert_eq!(
            lunar_to_solar(2023, 2, 1, true),
            Some(Date::new(2023, 3, 22))
        );
        assert_eq!(
            lunar_to_solar(2023, 3, 1, false),
            Some(Date::new(2023, 4, 20))
        );
        assert_eq!(lunar_to_solar(2024, 2, 1, true), None);
        assert_eq!(lunar_to_solar(2023, 5, 1, true), None);
    }
}
