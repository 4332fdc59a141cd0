//! Demo dossiers for a commune center's past year: what `server seed-demo` writes, so the queue
//! and the statistics can be seen and measured on realistic volumes. Each dossier follows the
//! lifecycle (DESIGN.md §2) with plausible delays: most are handed over on time, some are late,
//! some wait for documents or a fee, a few are refused, stopped or withdrawn, and many handed-over
//! dossiers are rated. Pseudo-random from a seed, so a run can be repeated.

use std::collections::HashMap;

use super::back_office::CITIZEN_ACTOR;
use super::calendar::Date;
use super::dossier::{AgencyCode, DossierCode};
use super::lifecycle::{Change, Status, extended_due_date};
use super::procedure::ChannelKind;
use super::search::fold;
use super::tracking::{EventDetails, Rating};
use super::working_days::Calendar;

/// SplitMix64: small, fast and good enough for demo data (not for anything secret).
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

impl DemoRng {
    pub fn new(seed: u64) -> DemoRng {
        DemoRng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A procedure dossiers can be filed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProcedure {
    pub code: String,
    pub name: String,
    pub version: i64,
}

/// One status change of a demo dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEvent {
    pub at: i64,
    pub from: Option<Status>,
    pub to: Status,
    pub actor: &'static str,
    pub details: Option<EventDetails>,
}

/// A demo dossier with its history and, maybe, its rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDossier {
    pub code: String,
    pub day: Date,
    pub sequence: u32,
    pub procedure: usize,
    /// 1 counter, 2 online, 3 post.
    pub channel: ChannelKind,
    pub status: Status,
    pub applicant_name: String,
    pub phone: String,
    pub citizen_id: String,
    pub address: String,
    pub received_at: i64,
    pub appointment: Date,
    pub due: Date,
    pub digitised: bool,
    pub events: Vec<DemoEvent>,
    pub rating: Option<(Rating, i64)>,
}

const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Sáu",
    "Tám", "Thu", "Tuấn",
];
const HAMLETS: [&str; 6] = [
    "Thôn Đông",
    "Thôn Tây",
    "Thôn Trung",
    "Xóm Bãi",
    "Xóm Chùa",
    "Ấp Mới",
];

pub(crate) const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Makes `count` dossiers received over the year before `now`, numbered after `last_sequences`
/// (the last number already given out per day, which it updates).
pub fn demo_dossiers(
    rng: &mut DemoRng,
    agency: &AgencyCode,
    procedures: &[DemoProcedure],
    count: usize,
    now: i64,
    last_sequences: &mut HashMap<Date, u32>,
) -> Vec<DemoDossier> {
    let today = Date::in_vietnam(now);
    (0..count)
        .filter_map(|_| demo_dossier(rng, agency, procedures, today, now, last_sequences))
        .collect()
}

fn demo_dossier(
    rng: &mut DemoRng,
    agency: &AgencyCode,
    procedures: &[DemoProcedure],
    today: Date,
    now: i64,
    last_sequences: &mut HashMap<Date, u32>,
) -> Option<DemoDossier> {
    let channel = match rng.below(100) {
        0..=57 => ChannelKind::Counter,
        58..=97 => ChannelKind::Online,
        _ => ChannelKind::Postal,
    };
    let mut day = today.add_days(-(rng.below(365) as i64));
    // The counter and the post office work on weekdays.
    while channel != ChannelKind::Online && day.is_weekend() {
        day = day.add_days(-1);
    }
    let received_at = day.start_in_vietnam() + 7 * HOUR + rng.below(10 * HOUR as u64) as i64;
    if received_at > now {
        return None;
    }
    let sequence = last_sequences.entry(day).or_insert(0);
    *sequence += 1;
    let sequence = *sequence;
    let code = DossierCode::new(agency.clone(), day, sequence)?.to_string();
    let processing_days = [3, 5, 7, 10, 12, 15][rng.below(6) as usize];
    let calendar = Calendar::new(day.year..=day.year + 1, Vec::new());
    let appointment = calendar.add_working_days(day, processing_days);

    let mut events = Vec::new();
    let mut at = received_at;
    let mut status = if channel == ChannelKind::Online {
        Status::Submitted
    } else {
        Status::Accepted
    };
    events.push(DemoEvent {
        at,
        from: None,
        to: status,
        actor: if channel == ChannelKind::Online {
            CITIZEN_ACTOR
        } else {
            "can-bo:demo.tiepnhan"
        },
        details: None,
    });
    let mut paused_days = 0;
    let late = rng.chance(5);
    let due_at = |paused: i64| appointment.add_days(paused).start_in_vietnam() + 16 * HOUR;
    loop {
        let (next, delay, actor, details) = match status {
            Status::Submitted if rng.chance(3) => (
                Status::Refused,
                rng.below(DAY as u64) as i64 + HOUR,
                "can-bo:demo.tiepnhan",
                Some(EventDetails::Reason {
                    text: "Hồ sơ nộp sai thủ tục.".to_owned(),
                }),
            ),
            Status::Submitted => (
                Status::Accepted,
                rng.below(DAY as u64) as i64 + HOUR,
                "can-bo:demo.tiepnhan",
                None,
            ),
            _ if !status.is_resolved() && rng.chance(1) => (
                Status::Withdrawn,
                rng.below(3 * DAY as u64) as i64,
                CITIZEN_ACTOR,
                None,
            ),
            Status::Accepted => (
                Status::Processing,
                rng.below(DAY as u64) as i64 + HOUR,
                "can-bo:demo.xuly",
                None,
            ),
            Status::Processing if rng.chance(6) => (
                Status::SupplementRequested,
                rng.below(2 * DAY as u64) as i64 + HOUR,
                "can-bo:demo.xuly",
                Some(EventDetails::Supplement {
                    documents: vec!["Bản sao giấy khai sinh".to_owned()],
                    deadline: Date::in_vietnam(at).add_days(10),
                }),
            ),
            Status::Processing if rng.chance(4) => (
                Status::FeeRequested,
                rng.below(DAY as u64) as i64 + HOUR,
                "can-bo:demo.xuly",
                Some(EventDetails::Fee {
                    amount_dong: [8_000, 20_000, 50_000][rng.below(3) as usize],
                    how_to_pay: "Nộp tại quầy thu phí của Trung tâm".to_owned(),
                }),
            ),
            Status::Processing if rng.chance(2) => (
                Status::Stopped,
                rng.below(2 * DAY as u64) as i64 + HOUR,
                "can-bo:demo.xuly",
                Some(EventDetails::Reason {
                    text: "Người nộp đề nghị dừng.".to_owned(),
                }),
            ),
            Status::Processing => {
                // Finished some time before the due date, or a few days after it when late.
                let due = due_at(paused_days);
                let finish = if late {
                    due + (1 + rng.below(8) as i64) * DAY
                } else {
                    at + (rng.below((due - at).max(HOUR) as u64) as i64).max(HOUR)
                };
                (
                    Status::ResultReady,
                    finish - at,
                    "can-bo:demo.xuly",
                    Some(EventDetails::Result {
                        pickup: "Bộ phận Một cửa".to_owned(),
                        number: format!("{}/KQ", 1 + rng.below(999)),
                    }),
                )
            }
            Status::SupplementRequested | Status::FeeRequested => {
                let pause = 1 + rng.below(5) as i64;
                paused_days += pause;
                (Status::Processing, pause * DAY, "can-bo:demo.xuly", None)
            }
            Status::ResultReady => (
                Status::HandedOver,
                rng.below(4 * DAY as u64) as i64 + HOUR,
                "can-bo:demo.tiepnhan",
                None,
            ),
            _ => break,
        };
        if at + delay > now {
            break;
        }
        at += delay;
        events.push(DemoEvent {
            at,
            from: Some(status),
            to: next,
            actor,
            details,
        });
        status = next;
    }
    let rating = (status == Status::HandedOver && rng.chance(45)).then(|| {
        let overall = match rng.below(100) {
            0..=69 => 2,
            70..=94 => 1,
            _ => 0,
        };
        let item = |rng: &mut DemoRng| match rng.below(10) {
            0..=6 => Some(2),
            7..=8 => Some(1),
            _ => None,
        };
        let rating = Rating {
            overall,
            counter_visits: item(rng),
            agencies_contacted: item(rng),
            staff_attitude: item(rng),
            online_ease: if channel == ChannelKind::Online {
                item(rng)
            } else {
                None
            },
            reason: if overall == 0 {
                "Phải đi lại nhiều lần.".to_owned()
            } else {
                String::new()
            },
        };
        (rating, (at + HOUR).min(now))
    });
    let person = DemoPerson::new(rng);
    let history: Vec<Change> = events
        .iter()
        .map(|event| Change {
            on: Date::in_vietnam(event.at),
            status: event.to,
        })
        .collect();
    Some(DemoDossier {
        code,
        day,
        sequence,
        procedure: rng.below(procedures.len().max(1) as u64) as usize,
        channel,
        status,
        phone: person.phone,
        citizen_id: person.citizen_id,
        address: person.address,
        applicant_name: person.name,
        received_at,
        appointment,
        // As the app keeps it: the appointment moved on by the working days paused.
        due: extended_due_date(appointment, &history, today, &calendar),
        digitised: channel == ChannelKind::Online || rng.chance(93),
        events,
        rating,
    })
}

/// A made-up applicant of the commune.
pub(crate) struct DemoPerson {
    pub name: String,
    pub phone: String,
    pub citizen_id: String,
    pub address: String,
}

impl DemoPerson {
    pub(crate) fn new(rng: &mut DemoRng) -> DemoPerson {
        let name = format!(
            "{} {} {}",
            rng.pick(&FAMILY),
            rng.pick(&MIDDLE),
            rng.pick(&GIVEN)
        );
        DemoPerson {
            name,
            phone: format!("09{:08}", rng.below(100_000_000)),
            citizen_id: format!("0012{:08}", rng.below(100_000_000)),
            address: format!("{}, xã Tân Lập", rng.pick(&HAMLETS)),
        }
    }
}

impl DemoDossier {
    /// When the result was ready, if it is.
    pub fn finished_at(&self) -> Option<i64> {
        self.first_reaching(|status| status == Status::ResultReady)
    }

    /// When the dossier first reached a status `wanted` accepts.
    pub fn first_reaching(&self, wanted: impl Fn(Status) -> bool) -> Option<i64> {
        self.events.iter().find(|e| wanted(e.to)).map(|e| e.at)
    }
}

/// The folded name stored for the queue's search.
pub fn folded_name(dossier: &DemoDossier) -> String {
    fold(&dossier.applicant_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedures() -> Vec<DemoProcedure> {
        vec![DemoProcedure {
            code: "1.001193".to_owned(),
            name: "Đăng ký khai sinh".to_owned(),
            version: 1,
        }]
    }

    #[test]
    fn demo_dossiers_follow_the_lifecycle_and_stay_in_the_past() {
        let agency = AgencyCode::parse("000.00.00.H00").unwrap();
        let now = Date::new(2026, 11, 29).start_in_vietnam() + 12 * HOUR;
        let mut sequences = HashMap::new();
        let dossiers = demo_dossiers(
            &mut DemoRng::new(7),
            &agency,
            &procedures(),
            3000,
            now,
            &mut sequences,
        );
        assert!(dossiers.len() > 2900);
        let mut codes = std::collections::HashSet::new();
        for dossier in &dossiers {
            assert!(codes.insert(dossier.code.clone()), "codes are unique");
            assert!(dossier.received_at <= now);
            let mut previous: Option<Status> = None;
            let mut at = 0;
            for event in &dossier.events {
                assert_eq!(event.from, previous);
                if let Some(from) = previous {
                    assert!(from.can_become(event.to), "{from:?} → {:?}", event.to);
                }
                assert!(event.at >= at && event.at <= now);
                at = event.at;
                previous = Some(event.to);
            }
            assert_eq!(Some(dossier.status), previous);
            assert!(dossier.due >= dossier.appointment);
            if dossier.rating.is_some() {
                assert_eq!(dossier.status, Status::HandedOver);
            }
        }
        let count = |f: &dyn Fn(&DemoDossier) -> bool| dossiers.iter().filter(|d| f(d)).count();
        assert!(
            count(&|d| d.channel == ChannelKind::Counter)
                > count(&|d| d.channel == ChannelKind::Online),
            "mostly at the counter"
        );
        assert!(count(&|d| d.status == Status::HandedOver) > dossiers.len() / 2);
        assert!(count(&|d| d.rating.is_some()) > 0);
        let late = count(&|d| {
            d.events
                .iter()
                .any(|e| e.to == Status::ResultReady && Date::in_vietnam(e.at) > d.due)
        });
        assert!(late > 0 && late < dossiers.len() / 10, "some late: {late}");
        // The same seed gives the same dossiers.
        let again = demo_dossiers(
            &mut DemoRng::new(7),
            &agency,
            &procedures(),
            3000,
            now,
            &mut HashMap::new(),
        );
        assert_eq!(again, dossiers);
        // Numbers continue after those already given out.
        assert!(sequences.values().all(|n| *n >= 1));
    }
}
