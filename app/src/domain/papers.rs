//! The papers of Circular 03/2025/TT-VPCP, Annex I (docs/forms.md) that a dossier's history
//! issues: which event issues which form, what the processing-control slip (Mẫu 06) lists, and
//! what the tracking book (Mẫu 07) holds. No I/O: the database hands the history in.

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::filing::ResultDelivery;
use super::lifecycle::Status;
use super::tracking::{Event, EventDetails};

/// A form issued by one event of a dossier's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaperKind {
    /// Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (status 5).
    SupplementRequest,
    /// Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ (status 3).
    Refusal,
    /// Mẫu 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (an apology).
    Apology,
    /// Mẫu 05 Thông báo dừng giải quyết hồ sơ (status 8).
    StopNotice,
}

impl PaperKind {
    /// The form's number in the annex, which is also its key in the paper sequences.
    pub fn form(self) -> &'static str {
        match self {
            PaperKind::SupplementRequest => "02",
            PaperKind::Refusal => "03",
            PaperKind::Apology => "04",
            PaperKind::StopNotice => "05",
        }
    }

    /// The form an event issues, if any: the apology by its details, the others by the status
    /// the dossier moved to.
    pub fn issued_by(status: Status, details: Option<&EventDetails>) -> Option<PaperKind> {
        if matches!(details, Some(EventDetails::Apology { .. })) {
            return Some(PaperKind::Apology);
        }
        match status {
            Status::SupplementRequested => Some(PaperKind::SupplementRequest),
            Status::Refused => Some(PaperKind::Refusal),
            Status::Stopped => Some(PaperKind::StopNotice),
            _ => None,
        }
    }
}

/// A paper as it prints: the event that issued it, its number in the agency's sequence of that
/// form and year, and the member of staff who signs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub kind: PaperKind,
    pub event: Event,
    /// "Số" on the paper; none for papers issued before numbering began.
    pub number: Option<i64>,
    /// The display name of the member who recorded the event.
    pub officer: Option<String>,
}

impl Paper {
    /// The number as printed: "12/2025", with the symbol Mẫu 04 carries ("12/PXL").
    pub fn number_text(&self) -> Option<String> {
        let year = Date::in_vietnam(self.event.at).year;
        self.number.map(|number| match self.kind {
            PaperKind::Apology => format!("{number}/PXL"),
            _ => format!("{number}/{year}"),
        })
    }
}

/// The papers a history issued, oldest first, each as (kind, event id).
pub fn issued_papers(events: &[Event]) -> Vec<(PaperKind, i64)> {
    events
        .iter()
        .filter_map(|event| {
            PaperKind::issued_by(event.status, event.details.as_ref()).map(|kind| (kind, event.id))
        })
        .collect()
}

/// How a step of the processing-control slip stands against the dossier's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepResult {
    Early,
    OnTime,
    Late,
}

impl StepResult {
    /// A step done on `day` for a dossier due on `due`: before the due date, on it, after it.
    /// Without a due date (not accepted yet, or a procedure without a processing time) there is
    /// nothing to judge by.
    pub fn of(day: Date, due: Option<Date>) -> Option<StepResult> {
        let due = due?;
        Some(match day.cmp(&due) {
            std::cmp::Ordering::Less => StepResult::Early,
            std::cmp::Ordering::Equal => StepResult::OnTime,
            std::cmp::Ordering::Greater => StepResult::Late,
        })
    }
}

/// One hand-over of a dossier between two members of staff, with their display names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub at: i64,
    pub from: String,
    pub to: String,
    pub note: String,
}

/// Who gave a dossier to whom on the slip: a member of staff by name, or the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    Applicant(String),
    Staff(String),
}

/// A row of the processing-control slip (Mẫu 06): who gave the dossier, who took it, when (the
/// back office records both in one act, so one moment), and how that stood against the due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipRow {
    pub from: Party,
    pub to: Party,
    pub at: i64,
    pub result: Option<StepResult>,
    pub note: String,
}

/// An event of the history with the display name of the member who recorded it (none for the
/// citizen's own acts and the operators').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEvent {
    pub event: Event,
    pub by: Option<String>,
}

/// The slip of a dossier: the applicant handing it to the member who accepted it, each
/// hand-over between staff, and the member who returned the result handing it to the applicant;
/// in time order, each judged against `due`.
pub fn control_slip(
    applicant: &str,
    events: &[SignedEvent],
    handovers: &[Handover],
    due: Option<Date>,
) -> Vec<SlipRow> {
    let step = |from: Party, to: Party, at: i64, note: &str| SlipRow {
        result: StepResult::of(Date::in_vietnam(at), due),
        from,
        to,
        at,
        note: note.to_owned(),
    };
    let accepted = events
        .iter()
        .find(|signed| signed.event.status == Status::Accepted);
    let returned = events
        .iter()
        .find(|signed| signed.event.status == Status::HandedOver);
    let mut rows: Vec<SlipRow> = accepted
        .into_iter()
        .map(|signed| {
            step(
                Party::Applicant(applicant.to_owned()),
                Party::Staff(signed.by.clone().unwrap_or_default()),
                signed.event.at,
                &signed.event.public_note,
            )
        })
        .chain(handovers.iter().map(|handover| {
            step(
                Party::Staff(handover.from.clone()),
                Party::Staff(handover.to.clone()),
                handover.at,
                &handover.note,
            )
        }))
        .chain(returned.into_iter().map(|signed| {
            step(
                Party::Staff(signed.by.clone().unwrap_or_default()),
                Party::Applicant(applicant.to_owned()),
                signed.event.at,
                &signed.event.public_note,
            )
        }))
        .collect();
    rows.sort_by_key(|row| row.at);
    rows
}

/// Whether a dossier in `status` can be handed from one member of staff to another: while the
/// center works on it, from acceptance until the result is returned.
pub fn can_be_handed_on(status: Status) -> bool {
    matches!(
        status,
        Status::Accepted
            | Status::Processing
            | Status::SupplementRequested
            | Status::FeeRequested
            | Status::ResultReady
    )
}

/// One line of the tracking book (Sổ theo dõi hồ sơ, Mẫu 07), in the columns the 2018 book has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_address: String,
    pub applicant_phone: String,
    pub status: Status,
    pub received_at: i64,
    pub appointment_date: Option<Date>,
    pub appointment_time: Option<String>,
    /// When the result was handed to the applicant (status 10).
    pub returned_at: Option<i64>,
    pub result_delivery: ResultDelivery,
}

/// The dossier a paper is about, as the papers print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperDossier {
    pub code: String,
    pub procedure_name: String,
    pub case_name: String,
    pub applicant_name: String,
    pub applicant_address: String,
    /// As the page may show it: masked on the citizen's pages, like the receipt.
    pub applicant_phone: String,
    pub applicant_email: String,
    pub received_at: i64,
    pub appointment_date: Option<Date>,
    pub appointment_time: Option<String>,
}

/// The paper sizes of the forms: Circular 01/2018/TT-VPCP, Art. 9 prints forms 01–05 on A5 and
/// the tracking book on A4; the control slip's table needs A4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageSize {
    A5,
    A4,
    A4Landscape,
}

impl PageSize {
    /// (width, height) in millimetres.
    pub fn millimetres(self) -> (f32, f32) {
        match self {
            PageSize::A5 => (148.0, 210.0),
            PageSize::A4 => (210.0, 297.0),
            PageSize::A4Landscape => (297.0, 210.0),
        }
    }

    /// The CSS class whose named `@page` has this size.
    pub fn css_class(self) -> &'static str {
        match self {
            PageSize::A5 => "sheet-a5",
            PageSize::A4 => "sheet-a4",
            PageSize::A4Landscape => "sheet-a4-landscape",
        }
    }
}

/// A form as it prints, in words already chosen for one language: the web page and the PDF are
/// both drawn from it, so they cannot say different things.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub size: PageSize,
    /// "Mẫu số 02".
    pub form_label: String,
    /// The issuing center, top left.
    pub issuer: String,
    /// "Số: 12/2025", under the issuer.
    pub number: Option<String>,
    /// The national heading, top right: nation, motto, then the date line.
    pub nation: String,
    pub motto: String,
    pub dated: Option<String>,
    pub title: String,
    pub blocks: Vec<Block>,
    /// An address printed as a QR code after the body (the receipt's status page), with the
    /// caption under it.
    pub qr: Option<(String, String)>,
    pub signatures: Vec<Signature>,
}

/// A piece of a sheet's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Line(String),
    /// A paragraph in bold: what the reader must act on.
    Strong(String),
    Items(Vec<String>),
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Each column's share of the width, in any unit.
        widths: Vec<u16>,
    },
}

/// A signature block: who signs, the hint under it, and the name printed below the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub role: String,
    pub hint: String,
    pub name: String,
}

/// The tracking book's filter fields.
pub mod register_field {
    pub const FROM: &str = "tu";
    pub const TO: &str = "den";
    pub const PROCEDURE: &str = "thu-tuc";
}

/// The longest span the tracking book shows at once: a year and a day.
pub const REGISTER_MAX_DAYS: i64 = 366;

/// Which dossiers the tracking book lists: received from `first` to `last`, of one procedure or
/// of all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterFilter {
    pub first: Date,
    pub last: Date,
    pub procedure: Option<String>,
}

impl RegisterFilter {
    /// From a query string: dates as a date input sends them or as typed; this month up to
    /// `today` by default; the days put in order and cut to `REGISTER_MAX_DAYS`.
    pub fn from_query(get: impl Fn(&str) -> Option<String>, today: Date) -> RegisterFilter {
        let date = |name| get(name).as_deref().and_then(Date::parse_typed);
        let first = date(register_field::FROM).unwrap_or(Date::new(today.year, today.month, 1));
        let last = date(register_field::TO).unwrap_or(today);
        let (first, last) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        let last = last.min(first.add_days(REGISTER_MAX_DAYS - 1));
        let procedure = get(register_field::PROCEDURE)
            .map(|code| code.trim().chars().take(40).collect::<String>())
            .filter(|code| !code.is_empty());
        RegisterFilter {
            first,
            last,
            procedure,
        }
    }

    /// `from_query` over the query string's (name, value) pairs.
    pub fn from_pairs(query: &[(String, String)], today: Date) -> RegisterFilter {
        RegisterFilter::from_query(|name| super::url::query_value(query, name), today)
    }

    /// The query string that gives this filter back.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            (register_field::FROM, self.first.iso()),
            (register_field::TO, self.last.iso()),
        ];
        if let Some(procedure) = &self.procedure {
            pairs.push((register_field::PROCEDURE, procedure.clone()));
        }
        pairs
    }
}

impl RegisterRow {
    /// "Address, phone", as the book's one column holds them.
    pub fn contact(&self) -> String {
        [
            self.applicant_address.as_str(),
            self.applicant_phone.as_str(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// The rows the tracking book shows on one page and puts in one spreadsheet: a month of a busy
/// commune center is under a thousand.
pub const REGISTER_MAX_ROWS: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, at: i64, status: Status, details: Option<EventDetails>) -> Event {
        Event {
            id,
            at,
            status,
            public_note: String::new(),
            details,
        }
    }

    /// 2025-11-10 08:00 in Vietnam.
    const MONDAY: i64 = 1_762_736_400;
    const DAY: i64 = 86_400;

    #[test]
    fn each_paper_comes_from_the_event_that_issues_it() {
        let apology = EventDetails::Apology {
            new_date: Date::new(2025, 11, 30),
            text: "Chờ xác minh".into(),
        };
        let supplement = EventDetails::Supplement {
            documents: vec!["Tờ khai".into()],
            deadline: Date::new(2025, 11, 20),
        };
        let events = vec![
            event(1, MONDAY, Status::Submitted, None),
            event(2, MONDAY, Status::SupplementRequested, Some(supplement)),
            event(3, MONDAY + DAY, Status::Accepted, None),
            event(4, MONDAY + DAY, Status::Processing, None),
            event(5, MONDAY + 9 * DAY, Status::Processing, Some(apology)),
            event(6, MONDAY + 10 * DAY, Status::Stopped, None),
        ];
        assert_eq!(
            issued_papers(&events),
            vec![
                (PaperKind::SupplementRequest, 2),
                (PaperKind::Apology, 5),
                (PaperKind::StopNotice, 6)
            ]
        );
        assert_eq!(
            PaperKind::issued_by(Status::Refused, None),
            Some(PaperKind::Refusal)
        );
        assert_eq!(PaperKind::issued_by(Status::ResultReady, None), None);
    }

    #[test]
    fn numbers_print_with_the_year_or_the_apology_symbol() {
        let paper = |kind, number| Paper {
            kind,
            event: event(1, MONDAY, Status::Refused, None),
            number,
            officer: None,
        };
        assert_eq!(
            paper(PaperKind::Refusal, Some(7)).number_text().as_deref(),
            Some("7/2025")
        );
        assert_eq!(
            paper(PaperKind::Apology, Some(3)).number_text().as_deref(),
            Some("3/PXL")
        );
        assert_eq!(paper(PaperKind::StopNotice, None).number_text(), None);
    }

    #[test]
    fn steps_are_judged_against_the_due_date() {
        let due = Some(Date::new(2025, 11, 14));
        assert_eq!(
            StepResult::of(Date::new(2025, 11, 13), due),
            Some(StepResult::Early)
        );
        assert_eq!(
            StepResult::of(Date::new(2025, 11, 14), due),
            Some(StepResult::OnTime)
        );
        assert_eq!(
            StepResult::of(Date::new(2025, 11, 17), due),
            Some(StepResult::Late)
        );
        assert_eq!(StepResult::of(Date::new(2025, 11, 17), None), None);
    }

    #[test]
    fn the_slip_runs_from_the_applicant_through_staff_back_to_the_applicant() {
        let signed = |id, at, status, by: &str| SignedEvent {
            event: event(id, at, status, None),
            by: Some(by.to_owned()),
        };
        let events = vec![
            signed(1, MONDAY, Status::Accepted, "Lan"),
            signed(2, MONDAY + DAY, Status::Processing, "Minh"),
            signed(3, MONDAY + 3 * DAY, Status::ResultReady, "Minh"),
            signed(4, MONDAY + 5 * DAY, Status::HandedOver, "Lan"),
        ];
        let handovers = vec![
            Handover {
                at: MONDAY + 3 * DAY + 60,
                from: "Minh".into(),
                to: "Lan".into(),
                note: "Đã ký".into(),
            },
            Handover {
                at: MONDAY + 600,
                from: "Lan".into(),
                to: "Minh".into(),
                note: String::new(),
            },
        ];
        // Due Thursday 13 Nov: the hand-back that day is on time, the return on Saturday 15 Nov late.
        let rows = control_slip(
            "Nguyễn Văn A",
            &events,
            &handovers,
            Some(Date::new(2025, 11, 13)),
        );
        let summary: Vec<(Party, Party, Option<StepResult>)> = rows
            .iter()
            .map(|row| (row.from.clone(), row.to.clone(), row.result))
            .collect();
        let staff = |name: &str| Party::Staff(name.to_owned());
        let applicant = Party::Applicant("Nguyễn Văn A".into());
        assert_eq!(
            summary,
            vec![
                (applicant.clone(), staff("Lan"), Some(StepResult::Early)),
                (staff("Lan"), staff("Minh"), Some(StepResult::Early)),
                (staff("Minh"), staff("Lan"), Some(StepResult::OnTime)),
                (staff("Lan"), applicant, Some(StepResult::Late)),
            ]
        );
        assert_eq!(rows[2].note, "Đã ký");
    }

    #[test]
    fn the_books_filter_reads_what_was_typed_and_keeps_within_a_year() {
        let today = Date::new(2025, 11, 19);
        let filter = |pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            RegisterFilter::from_pairs(&pairs, today)
        };
        assert_eq!(
            filter(&[]),
            RegisterFilter {
                first: Date::new(2025, 11, 1),
                last: today,
                procedure: None
            }
        );
        let typed = filter(&[
            ("tu", "20/11/2025"),
            ("den", "2025-10-01"),
            ("thu-tuc", " 1.001193 "),
        ]);
        assert_eq!(
            (typed.first, typed.last, typed.procedure.as_deref()),
            (
                Date::new(2025, 10, 1),
                Date::new(2025, 11, 20),
                Some("1.001193")
            )
        );
        let long = filter(&[("tu", "2020-01-01"), ("den", "2025-01-01")]);
        assert_eq!(long.last, Date::new(2020, 12, 31));
        let back = filter(&[
            ("tu", "2025-10-01"),
            ("den", "2025-10-31"),
            ("thu-tuc", "X"),
        ]);
        let query = back.to_query();
        assert_eq!(
            query,
            vec![
                ("tu", "2025-10-01".to_owned()),
                ("den", "2025-10-31".to_owned()),
                ("thu-tuc", "X".to_owned())
            ]
        );
        assert_eq!(
            filter(&[("tu", "khong-phai-ngay")]).first,
            Date::new(2025, 11, 1)
        );
    }

    #[test]
    fn a_dossier_is_handed_on_only_while_the_center_works_on_it() {
        let open: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|status| can_be_handed_on(*status))
            .collect();
        assert_eq!(
            open,
            vec![
                Status::Accepted,
                Status::Processing,
                Status::SupplementRequested,
                Status::FeeRequested,
                Status::ResultReady
            ]
        );
    }
}
