//! The center's staff (DESIGN.md §8): roles, what each may do, and the rules of signing in.
//! The server checks `Role::may` before every back-office action; pages only hide what a role
//! cannot do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::center::Reach;
use super::declaration::Declaration;
use super::dossier::{CitizenId, DossierCode, Invalid, PhoneNumber};
use super::feedback::{FormFeedback, Problem, text};
use super::filing::Applicant;
use super::lifecycle::{Status, Today};
use super::papers::{
    Handover, Paper, PaperDossier, PaperKind, SignedEvent, SlipRow, can_be_handed_on, control_slip,
};
use super::procedure::ChannelKind;
use super::tracking::{Event, EventDetails, Rating};
use super::working_days::{DayState, Decision};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Tiếp nhận: checks new dossiers, registers walk-ins, hands results over.
    Clerk,
    /// Xử lý: processes accepted dossiers.
    Specialist,
    /// Lãnh đạo / quản trị: everything, plus users, holidays and procedure caveats.
    Admin,
    /// Cán bộ tỉnh: belongs to no center; reads every center's dossiers, adds centers, enters
    /// the national calendar's decisions, and changes no dossier.
    Province,
}

/// What a staff member does in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    ViewQueue,
    Accept,
    Refuse,
    CounterIntake,
    HandOver,
    /// Passes the dossier to another member of staff (a row of Mẫu 06).
    PassOn,
    StartProcessing,
    RequestSupplement,
    RequestFee,
    MarkResultReady,
    Stop,
    Apologise,
    ManageUsers,
    ManageHolidays,
    ManageCaveats,
    /// Adds commune centers to the installation (the province's work).
    ManageCenters,
    /// Puts a message to a citizen that was given up on back in the queue.
    ResendMessage,
    /// Says which procedures of the shared catalogue the center does not receive.
    ManageProcedures,
    /// Certifies an electronic copy from a paper original at the counter, and reads the
    /// certification register.
    Certify,
    /// Annuls a certified copy made against the rules (the chairman's decision, TT 01/2020
    /// Art. 7): the leader's, not the counter's.
    AnnulCopy,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::ViewQueue,
        Action::Accept,
        Action::Refuse,
        Action::CounterIntake,
        Action::HandOver,
        Action::PassOn,
        Action::StartProcessing,
        Action::RequestSupplement,
        Action::RequestFee,
        Action::MarkResultReady,
        Action::Stop,
        Action::Apologise,
        Action::ManageUsers,
        Action::ManageHolidays,
        Action::ManageCaveats,
        Action::ManageCenters,
        Action::ResendMessage,
        Action::ManageProcedures,
        Action::Certify,
        Action::AnnulCopy,
    ];

    /// The actions taken on one dossier, in the order the dossier page offers them.
    pub const ON_A_DOSSIER: [Action; 10] = [
        Action::Accept,
        Action::Refuse,
        Action::StartProcessing,
        Action::RequestSupplement,
        Action::RequestFee,
        Action::MarkResultReady,
        Action::PassOn,
        Action::HandOver,
        Action::Stop,
        Action::Apologise,
    ];

    /// The last part of the address an action's form posts to.
    pub fn key(self) -> &'static str {
        match self {
            Action::ViewQueue => "xem",
            Action::Accept => "tiep-nhan",
            Action::Refuse => "tu-choi",
            Action::CounterIntake => "tiep-nhan-truc-tiep",
            Action::HandOver => "tra-ket-qua",
            Action::PassOn => "chuyen-can-bo",
            Action::StartProcessing => "chuyen-xu-ly",
            Action::RequestSupplement => "yeu-cau-bo-sung",
            Action::RequestFee => "yeu-cau-nop-phi",
            Action::MarkResultReady => "co-ket-qua",
            Action::Stop => "dung-xu-ly",
            Action::Apologise => "xin-loi",
            Action::ManageUsers => "can-bo",
            Action::ManageHolidays => "ngay-nghi",
            Action::ManageCaveats => "luu-y",
            Action::ManageCenters => "trung-tam",
            Action::ResendMessage => "gui-lai",
            Action::ManageProcedures => "thu-tuc-nhan",
            Action::Certify => "chung-thuc",
            Action::AnnulCopy => "huy-ban-sao",
        }
    }

    /// One of `ON_A_DOSSIER` by its key.
    pub fn on_a_dossier(key: &str) -> Option<Action> {
        Action::ON_A_DOSSIER.into_iter().find(|a| a.key() == key)
    }

    /// Whether the action can be taken on a dossier in `status` (an apology: while the center
    /// still owes the result; a hand-over between staff: while the center works on it).
    /// `accepted`: the dossier was accepted once (status 2 is in its history). Back from a
    /// supplement asked for at intake, a dossier is accepted, never sent on to processing; back
    /// from one asked for later, it goes on to processing and is not accepted again.
    pub fn applies_to(self, status: Status, accepted: bool) -> bool {
        match (self, status) {
            (Action::Accept, Status::SupplementRequested) => !accepted,
            (Action::StartProcessing, Status::SupplementRequested) => accepted,
            _ => match self.target_status() {
                Some(to) => status.can_become(to),
                None => match self {
                    Action::Apologise => !status.is_resolved(),
                    Action::PassOn => can_be_handed_on(status),
                    _ => false,
                },
            },
        }
    }

    /// The status an action moves a dossier to, for the actions that change one.
    pub fn target_status(self) -> Option<Status> {
        match self {
            Action::Accept => Some(Status::Accepted),
            Action::Refuse => Some(Status::Refused),
            Action::HandOver => Some(Status::HandedOver),
            Action::StartProcessing => Some(Status::Processing),
            Action::RequestSupplement => Some(Status::SupplementRequested),
            Action::RequestFee => Some(Status::FeeRequested),
            Action::MarkResultReady => Some(Status::ResultReady),
            Action::Stop => Some(Status::Stopped),
            _ => None,
        }
    }
}

impl Role {
    /// The roles of a center's staff: what its admin may give.
    pub const ALL: [Role; 3] = [Role::Clerk, Role::Specialist, Role::Admin];

    /// The stable key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::Clerk => "tiep-nhan",
            Role::Specialist => "xu-ly",
            Role::Admin => "quan-tri",
            Role::Province => "tinh",
        }
    }

    /// A center's role by its key (`ALL`): the province's role is given only by the command
    /// line, never through a form.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// Any role by its stored key, the province's included.
    pub fn from_stored_key(key: &str) -> Option<Role> {
        Role::from_key(key).or((key == Role::Province.key()).then_some(Role::Province))
    }

    /// Whether the role may take `action` on a dossier in `status`: its own work, and for the
    /// clerk also sending an incomplete dossier back for completion at intake (1 → 5, Mẫu 02);
    /// a supplement asked for later is the specialist's.
    pub fn may_on(self, action: Action, status: Status) -> bool {
        self.may(action)
            || (self == Role::Clerk
                && action == Action::RequestSupplement
                && status == Status::Submitted)
    }

    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => action != ManageCenters,
            Role::Province => matches!(action, ViewQueue | ManageCenters | ManageHolidays),
            Role::Clerk => matches!(
                action,
                ViewQueue
                    | Accept
                    | Refuse
                    | CounterIntake
                    | HandOver
                    | PassOn
                    | ResendMessage
                    | Certify
            ),
            Role::Specialist => matches!(
                action,
                ViewQueue
                    | PassOn
                    | StartProcessing
                    | RequestSupplement
                    | RequestFee
                    | MarkResultReady
                    | Stop
                    | Apologise
                    | ResendMessage
            ),
        }
    }
}

/// A staff member as the back office knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The agency code of the member's center; none for the province's role.
    pub center: Option<String>,
}

impl StaffMember {
    /// The dossiers the member reaches. Only the province's role reaches every center; a
    /// center's role without a center (a damaged row) reaches none.
    pub fn reach(&self) -> Reach {
        match (self.role, &self.center) {
            (Role::Province, _) => Reach::Province,
            (_, Some(agency)) => Reach::Center(agency.clone()),
            (_, None) => Reach::Center(String::new()),
        }
    }
}

/// The queue's deadline filters, on the due date of dossiers whose clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    /// Due soon, by the one rule of `lifecycle::timeliness` (`DUE_SOON_WORKING_DAYS`).
    DueSoon,
    /// Past the due date.
    Overdue,
}

impl Deadline {
    pub fn key(self) -> &'static str {
        match self {
            Deadline::DueSoon => "sap-den-han",
            Deadline::Overdue => "qua-han",
        }
    }

    fn from_key(key: &str) -> Option<Deadline> {
        [Deadline::DueSoon, Deadline::Overdue]
            .into_iter()
            .find(|d| d.key() == key)
    }
}

/// The cookie that keeps the queue's last filter, for the way back from a dossier.
pub const QUEUE_COOKIE: &str = "motcua_ds";

/// The statuses in which the processing clock runs, so a dossier can be late.
pub const CLOCK_RUNNING: [Status; 3] = [Status::Submitted, Status::Accepted, Status::Processing];

/// What the dossier queue shows: one status tab (all when `None`), an optional search by
/// dossier code or applicant name (case and diacritics folded), narrowed by procedure, channel,
/// the day received and the deadline; one page of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub status: Option<Status>,
    pub query: String,
    /// A procedure code, or empty for all.
    pub procedure: String,
    /// A channel code (1 counter, 2 online, 3 post).
    pub channel: Option<i64>,
    pub received_from: Option<Date>,
    pub received_to: Option<Date>,
    pub deadline: Option<Deadline>,
    /// Only dossiers whose citizen has sent the supplement asked for, not yet looked at.
    pub supplement_sent: bool,
    pub sort: QueueSort,
    pub page: usize,
}

/// The order of the queue: the newest first (to see what came in), or the soonest due first (a
/// to-do list).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray,
)]
pub enum QueueSort {
    #[default]
    Newest,
    DueFirst,
}

impl QueueSort {
    pub fn key(self) -> &'static str {
        match self {
            QueueSort::Newest => "moi",
            QueueSort::DueFirst => "han",
        }
    }

    pub fn from_key(key: &str) -> Option<QueueSort> {
        <QueueSort as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|sort| sort.key() == key)
    }
}

/// The work waiting for staff, as the home page counts it: each a queue filter, soonest due
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
pub enum Todo {
    /// Online submissions awaiting intake (status 1).
    WaitingIntake,
    /// Supplements the citizen sent, waiting to be looked at.
    SupplementSent,
    /// Results ready to hand over (status 9).
    ReadyToHandOver,
    DueSoon,
    Overdue,
}

impl Todo {
    /// The queue that lists this work.
    pub fn filter(self) -> QueueFilter {
        let mut filter = QueueFilter {
            sort: QueueSort::DueFirst,
            page: 1,
            ..QueueFilter::default()
        };
        match self {
            Todo::WaitingIntake => filter.status = Some(Status::Submitted),
            Todo::SupplementSent => filter.supplement_sent = true,
            Todo::ReadyToHandOver => filter.status = Some(Status::ResultReady),
            Todo::DueSoon => filter.deadline = Some(Deadline::DueSoon),
            Todo::Overdue => filter.deadline = Some(Deadline::Overdue),
        }
        filter
    }
}

/// The queue's query-string names.
pub mod queue_field {
    pub const STATUS: &str = "trang-thai";
    pub const QUERY: &str = "q";
    pub const PROCEDURE: &str = "thu-tuc";
    pub const CHANNEL: &str = "kenh";
    pub const FROM: &str = "tu-ngay";
    pub const TO: &str = "den-ngay";
    pub const DEADLINE: &str = "han";
    pub const SUPPLEMENT_SENT: &str = "bo-sung-moi";
    pub const SORT: &str = "xep";
    pub const PAGE: &str = "trang";
}

impl QueueFilter {
    pub const PAGE_SIZE: usize = 25;

    /// From the query string as typed (`get` gives a parameter's value); anything unreadable
    /// means "no filter" / page 1.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> QueueFilter {
        use queue_field::*;
        let value = |name: &str| get(name).unwrap_or_default().trim().to_owned();
        let procedure = value(PROCEDURE);
        QueueFilter {
            status: value(STATUS).parse().ok().and_then(Status::from_code),
            // A receipt's QR code read by a scanner arrives as the status page's address: only its
            // dossier code is kept (never the lookup key beside it).
            query: code_in_scanned_address(&value(QUERY))
                .unwrap_or_else(|| super::procedure::typed_text(&value(QUERY), 100)),
            procedure: if procedure.len() <= 40
                && procedure
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                procedure
            } else {
                String::new()
            },
            channel: value(CHANNEL).parse().ok().filter(|c| (1..=3).contains(c)),
            received_from: Date::parse_typed(&value(FROM)),
            received_to: Date::parse_typed(&value(TO)),
            deadline: Deadline::from_key(&value(DEADLINE)),
            supplement_sent: value(SUPPLEMENT_SENT) == "1",
            sort: QueueSort::from_key(&value(SORT)).unwrap_or_default(),
            page: value(PAGE).parse().unwrap_or(1).max(1),
        }
    }

    /// This filter as its page reads it from the address: a server function's caller may send
    /// any value, and gets the page's limits.
    pub fn bounded(&self) -> QueueFilter {
        let query = self.to_query(self.status, self.page);
        QueueFilter::from_query(|name| {
            query
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
        })
    }

    /// The whole filter as one query string (`trang-thai=1&xep=han`), as the queue remembers it
    /// for the dossier page's way back.
    pub fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.to_query(self.status, self.page))
            .finish()
    }

    /// A filter from `query_string`'s text, with the page's limits (anything else is ignored).
    pub fn from_query_string(text: &str) -> QueueFilter {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect();
        QueueFilter::from_query(|name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })
    }

    /// The query string of this filter at `page` with the status tab `status`.
    pub fn to_query(&self, status: Option<Status>, page: usize) -> Vec<(&'static str, String)> {
        use queue_field::*;
        let mut query = Vec::new();
        let mut put = |name: &'static str, value: String| {
            if !value.is_empty() {
                query.push((name, value));
            }
        };
        put(
            STATUS,
            status.map(|s| s.code().to_string()).unwrap_or_default(),
        );
        put(QUERY, self.query.clone());
        put(PROCEDURE, self.procedure.clone());
        put(
            CHANNEL,
            self.channel.map(|c| c.to_string()).unwrap_or_default(),
        );
        put(FROM, self.received_from.map(Date::iso).unwrap_or_default());
        put(TO, self.received_to.map(Date::iso).unwrap_or_default());
        put(
            DEADLINE,
            self.deadline
                .map(|d| d.key().to_owned())
                .unwrap_or_default(),
        );
        if self.supplement_sent {
            put(SUPPLEMENT_SENT, "1".to_owned());
        }
        if self.sort != QueueSort::default() {
            put(SORT, self.sort.key().to_owned());
        }
        if page > 1 {
            put(PAGE, page.to_string());
        }
        query
    }
}

/// The due dates a deadline filter keeps, inclusive. The queue applies it only to dossiers whose
/// clock runs (statuses 1, 2 and 4), as `lifecycle::timeliness` does.
pub fn due_window(deadline: Deadline, today: Today) -> (Date, Date) {
    match deadline {
        Deadline::DueSoon => (today.date, today.due_soon_until),
        Deadline::Overdue => (Date::new(1, 1, 1), today.date.add_days(-1)),
    }
}

/// The dossier code in a status page's address (`…/tra-cuu?ma=…&khoa=…`), as a USB scanner types
/// it after reading a receipt's QR code.
pub fn code_in_scanned_address(text: &str) -> Option<String> {
    let query = text.trim().split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == super::tracking::lookup_field::CODE)
        .and_then(|(_, code)| DossierCode::parse(&code).ok())
        .map(|code| code.to_string())
}

/// What a queue search looks for besides a name: the code as typed (the whole printed code when
/// what was typed reads as one, dots or not), and the phone or citizen identity number it reads
/// as, normalised as they are stored (empty when it reads as none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSearch {
    pub code: String,
    pub phone: String,
    pub citizen_id: String,
}

impl QueueSearch {
    pub fn of(query: &str) -> QueueSearch {
        QueueSearch {
            code: DossierCode::parse(query)
                .map(|code| code.to_string())
                .unwrap_or_else(|_| query.trim().to_uppercase()),
            phone: PhoneNumber::parse(query)
                .map(|phone| phone.as_str().to_owned())
                .unwrap_or_default(),
            citizen_id: CitizenId::parse(query)
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
        }
    }
}

/// One dossier in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub channel: ChannelKind,
    pub status: Status,
    pub received_at: i64,
    pub appointment_date: Option<String>,
    /// The date the center must finish by (`YYYY-MM-DD`), paused days added.
    pub due_date: Option<String>,
    /// The citizen sent the supplement asked for; staff have not acted since.
    #[serde(default)]
    pub supplement_sent: bool,
}

/// A page of the queue with the count of every status tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: usize,
    pub page: usize,
    pub page_count: usize,
    /// (status, dossiers in it), for every status that has any.
    pub counts: Vec<(Status, i64)>,
}

/// A dossier as staff see it: everything the citizen gave, the files, the paper documents
/// received at the counter, and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDossier {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub case_name: String,
    pub channel: ChannelKind,
    pub status: Status,
    pub applicant: Applicant,
    pub received_at: i64,
    pub appointment_date: Option<Date>,
    /// "16:30", when the appointment was counted in working time.
    pub appointment_time: Option<String>,
    pub digitised: bool,
    /// The e-form the citizen filled instead of uploading the declaration.
    pub declaration: Option<Declaration>,
    pub files: Vec<DossierFile>,
    pub paper_documents: Vec<PaperDocument>,
    pub audit: Vec<AuditEntry>,
    /// Every hand-over between staff, oldest first (Mẫu 06).
    pub handovers: Vec<Handover>,
    /// The username of the member who took it at the last hand-over.
    pub holder: Option<String>,
    pub rating: Option<Rating>,
}

impl StaffDossier {
    /// Whether the dossier was accepted once (a supplement asked for at intake comes before).
    pub fn was_accepted(&self) -> bool {
        self.status == Status::Accepted
            || self
                .audit
                .iter()
                .any(|entry| entry.event.status == Status::Accepted)
    }

    /// Whether `action` can be taken on the dossier as it stands.
    pub fn allows(&self, action: Action) -> bool {
        action.applies_to(self.status, self.was_accepted())
    }

    /// The paper (Mẫu 02–05) the event `event_id` issued, if it issued one.
    pub fn paper(&self, event_id: i64) -> Option<Paper> {
        let entry = self.audit.iter().find(|entry| entry.event.id == event_id)?;
        let kind = PaperKind::issued_by(entry.event.status, entry.event.details.as_ref())?;
        Some(Paper {
            kind,
            event: entry.event.clone(),
            number: entry.paper_number,
            officer: entry.actor_name.clone(),
        })
    }

    /// What the papers print about the dossier.
    pub fn paper_dossier(&self) -> PaperDossier {
        PaperDossier {
            code: self.code.clone(),
            procedure_name: self.procedure_name.clone(),
            case_name: self.case_name.clone(),
            applicant_name: self.applicant.full_name.clone(),
            applicant_address: self.applicant.address.clone(),
            applicant_phone: self.applicant.phone.clone(),
            applicant_email: self.applicant.email.clone(),
            received_at: self.received_at,
            appointment_date: self.appointment_date,
            appointment_time: self.appointment_time.clone(),
        }
    }

    /// Its audit trail, oldest first (see `audit_trail`).
    pub fn trail(&self) -> Vec<TrailLine<'_>> {
        audit_trail(&self.audit, &self.files)
    }

    /// The rows of its processing-control slip (Mẫu 06), judged against `due`.
    pub fn control_slip(&self, due: Option<Date>) -> Vec<SlipRow> {
        let events: Vec<SignedEvent> = self
            .audit
            .iter()
            .map(|entry| SignedEvent {
                event: entry.event.clone(),
                by: entry.actor_name.clone(),
            })
            .collect();
        control_slip(&self.applicant.full_name, &events, &self.handovers, due)
    }
}

/// One line of a dossier's audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailLine<'a> {
    Event(&'a AuditEntry),
    /// The citizen sent papers asked for: when, for which documents, how many files.
    SupplementSent {
        at: i64,
        documents: Vec<String>,
        files: usize,
    },
}

impl TrailLine<'_> {
    pub fn at(&self) -> i64 {
        match self {
            TrailLine::Event(entry) => entry.event.at,
            TrailLine::SupplementSent { at, .. } => *at,
        }
    }
}

/// A dossier's audit trail, oldest first: the recorded events, and each supplement the citizen
/// sent. The supplement's files are its record (rows only ever inserted): the papers of one
/// sending share their upload time. They are not status events, so the due date's pauses, read
/// from the events, are untouched.
pub fn audit_trail<'a>(audit: &'a [AuditEntry], files: &[DossierFile]) -> Vec<TrailLine<'a>> {
    let mut sendings: Vec<TrailLine<'a>> = Vec::new();
    for file in files.iter().filter(|file| file.supplement) {
        match sendings.last_mut() {
            Some(TrailLine::SupplementSent {
                at,
                documents,
                files,
            }) if *at == file.uploaded_at => {
                *files += 1;
                if !documents.contains(&file.document_name) {
                    documents.push(file.document_name.clone());
                }
            }
            _ => sendings.push(TrailLine::SupplementSent {
                at: file.uploaded_at,
                documents: vec![file.document_name.clone()],
                files: 1,
            }),
        }
    }
    let mut trail: Vec<TrailLine<'a>> = audit.iter().map(TrailLine::Event).collect();
    trail.extend(sendings);
    // Stable: at the same second, the event (a request) comes before what answered it.
    trail.sort_by_key(TrailLine::at);
    trail
}

/// A file of a dossier, served only to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierFile {
    pub stored_name: String,
    pub document_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub original_name: String,
    pub uploaded_at: i64,
    /// Added by the citizen for a supplement request.
    pub supplement: bool,
    /// The scanned result.
    pub result: bool,
    /// A certified copy the citizen reused: the register entry's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certified_copy: Option<String>,
}

/// A paper document received at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperDocument {
    pub document_name: String,
    pub scanned: bool,
}

/// One entry of the audit trail: who moved the dossier from which status, and what the
/// citizen was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub event: Event,
    pub from_status: Option<Status>,
    pub actor: String,
    /// The display name of the member of staff `actor` names.
    pub actor_name: Option<String>,
    /// The number of the form the event issued (Mẫu 02–05), in its agency's yearly sequence.
    pub paper_number: Option<i64>,
}

/// The actor recorded in the audit trail for a staff member.
/// Who an audit entry names for what citizens do themselves (file online, withdraw, rate).
pub const CITIZEN_ACTOR: &str = "cong-dan";

pub fn staff_actor(username: &str) -> String {
    format!("can-bo:{username}")
}

/// The sign-in form's field names, and what a refused sign-in keeps to show.
pub mod sign_in_field {
    pub const USERNAME: &str = "ten";
    pub const PASSWORD: &str = "mat-khau";
    /// Where a refused sign-in's message goes.
    pub const REFUSED: &str = "dang-nhap";
    /// Marks a refusal for too many attempts.
    pub const LOCKED: &str = "khoa";
}

/// The settings forms' field names.
/// An account as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub member: StaffMember,
    pub active: bool,
    /// Where the daily reminder goes; empty for none.
    pub email: String,
}

pub mod settings_field {
    pub const USERNAME: &str = "ten";
    pub const DISPLAY_NAME: &str = "ho-ten";
    pub const ROLE: &str = "vai-tro";
    pub const PASSWORD: &str = "mat-khau";
    pub const ACTIVE: &str = "dang-dung";
    /// Where the member's daily reminder goes.
    pub const EMAIL: &str = "thu-dien-tu";
    /// A day of the working calendar, its state (`DayState::key`), note and decision.
    pub const DAY: &str = "ngay";
    pub const DAY_STATE: &str = "ngay-nay";
    pub const DAY_NOTE: &str = "ghi-chu-ngay";
    pub const DAY_REFERENCE: &str = "van-ban";
    pub const PROCEDURE: &str = "thu-tuc";
    pub const CAVEAT: &str = "luu-y";
    /// "1" to receive a procedure again, "0" to stop receiving it.
    pub const RECEIVES: &str = "nhan";
    /// The remove button of a calendar entry.
    pub const REMOVE: &str = "xoa";
    /// The year whose calendar the page shows.
    pub const YEAR: &str = "nam";
}

/// The form fields of the dossier actions.
pub mod action_field {
    /// The query parameter of a dossier page after an action was recorded (its key).
    pub const DONE: &str = "xong";
    /// With `DONE` on the next dossier's page: the dossier the action was recorded on.
    pub const DONE_ON: &str = "ho-so-truoc";
    /// The button that accepts and opens the next online dossier waiting for intake.
    pub const OPEN_NEXT: &str = "mo-tiep";
    /// The field a refused dossier action is named by, so its page opens that form again.
    pub const ACTION: &str = "hanh-dong";
    pub const NOTE: &str = "ghi-chu";
    pub const REASON: &str = "ly-do";
    pub const DOCUMENTS: &str = "giay-to-can";
    /// A paper of the procedure's list ticked as missing: `PICKED_DOCUMENT` + its index, the
    /// paper's name as the value.
    pub const PICKED_DOCUMENT: &str = "chon-giay-to-";
    pub const SUPPLEMENT_DEADLINE: &str = "han-bo-sung";
    pub const AMOUNT: &str = "so-tien";
    pub const HOW_TO_PAY: &str = "cach-nop";
    pub const RESULT_NUMBER: &str = "so-ket-qua";
    pub const PICKUP: &str = "noi-nhan";
    pub const RESULT_FILE: &str = "tep-ket-qua";
    pub const NEW_DATE: &str = "ngay-hen-moi";
    pub const APOLOGY: &str = "loi-xin-loi";
    /// The username of the member a dossier is handed to.
    pub const RECEIVER: &str = "nguoi-nhan";
    /// Who takes the result at the counter: name, identity number, relation to the applicant.
    pub const COLLECTED_BY: &str = "nguoi-lay-ket-qua";
    pub const COLLECTOR_ID: &str = "cccd-nguoi-lay";
    pub const RELATION: &str = "quan-he";
    /// Every state-changing staff form carries its session's CSRF token in this field.
    pub const CSRF: &str = "csrf";
}

const NOTE_MAX: usize = 1000;
const LINE_MAX: usize = 300;
const DOCUMENTS_MAX: usize = 20;
const AMOUNT_MAX_DONG: i64 = 10_000_000_000;

/// What a staff member asked for on a dossier, checked: the note the citizen sees and what the
/// change tells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    pub note: String,
    pub details: Option<EventDetails>,
    /// The username of the member a dossier is handed to (whether they may take it is the
    /// database's to say).
    pub receiver: Option<String>,
}

/// Trimmed text that may hold line breaks, at most `max` characters.
fn long_text(value: &str, max: usize, required: bool) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() && required {
        Err(Problem::Required)
    } else if value.chars().count() > max {
        Err(Problem::TooLong)
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        Err(Problem::TextMalformed)
    } else {
        Ok(value.replace("\r\n", "\n"))
    }
}

/// A date after today, as a date input sends it or as typed (`dd/mm/yyyy`).
fn future_date(value: &str, today: Date) -> Result<Date, Problem> {
    if value.trim().is_empty() {
        return Err(Problem::Required);
    }
    match Date::parse_typed(value) {
        None => Err(Problem::DateMalformed),
        Some(date) if date <= today => Err(Problem::DateNotAfterToday),
        Some(date) => Ok(date),
    }
}

/// An amount in đồng as people write it: `50000`, `50.000`, `50 000 đ`.
fn amount_dong(value: &str) -> Result<i64, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let number = value
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .replace(['.', ',', ' '], "");
    match number.parse::<i64>() {
        Ok(amount) if (1..=AMOUNT_MAX_DONG).contains(&amount) => Ok(amount),
        _ => Err(Problem::AmountMalformed),
    }
}

impl ActionRequest {
    /// Reads the form of `action`; `today` in Vietnam bounds the dates.
    pub fn from_form(
        action: Action,
        values: &BTreeMap<String, String>,
        today: Date,
    ) -> Result<ActionRequest, FormFeedback> {
        use action_field::*;
        let get = |name: &str| values.get(name).map(String::as_str).unwrap_or("");
        let mut problems = BTreeMap::new();
        let mut check = |name: &str, problem: Problem| {
            problems.insert(name.to_owned(), problem);
        };
        let note = long_text(get(NOTE), NOTE_MAX, false).unwrap_or_else(|problem| {
            check(NOTE, problem);
            String::new()
        });
        let mut reason = |required: bool| {
            long_text(get(REASON), NOTE_MAX, required)
                .map_err(|problem| check(REASON, problem))
                .ok()
        };
        let details = match action {
            Action::Refuse | Action::Stop => {
                reason(true).map(|text| Some(EventDetails::Reason { text }))
            }
            Action::RequestSupplement => {
                // The papers ticked from the procedure's list, in its order, then the others
                // typed one per line.
                let mut picked: Vec<(usize, &str)> = values
                    .iter()
                    .filter_map(|(name, value)| {
                        let index = name.strip_prefix(PICKED_DOCUMENT)?.parse().ok()?;
                        Some((index, value.as_str()))
                    })
                    .collect();
                picked.sort_by_key(|(index, _)| *index);
                let documents: Vec<String> = picked
                    .into_iter()
                    .map(|(_, name)| name)
                    .chain(get(DOCUMENTS).lines())
                    .map(|line| line.trim().trim_start_matches(['-', '•', '*']).trim())
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect();
                let documents_ok = if documents.is_empty() {
                    Err(Problem::Required)
                } else if documents.len() > DOCUMENTS_MAX
                    || documents.iter().any(|d| d.chars().count() > LINE_MAX)
                {
                    Err(Problem::TooLong)
                } else if documents.iter().any(|d| d.chars().any(char::is_control)) {
                    Err(Problem::TextMalformed)
                } else {
                    Ok(())
                };
                if let Err(problem) = documents_ok {
                    check(DOCUMENTS, problem);
                }
                let deadline = future_date(get(SUPPLEMENT_DEADLINE), today)
                    .map_err(|problem| check(SUPPLEMENT_DEADLINE, problem))
                    .ok();
                deadline.filter(|_| documents_ok.is_ok()).map(|deadline| {
                    Some(EventDetails::Supplement {
                        documents,
                        deadline,
                    })
                })
            }
            Action::RequestFee => {
                let amount = amount_dong(get(AMOUNT))
                    .map_err(|problem| check(AMOUNT, problem))
                    .ok();
                let how = text(get(HOW_TO_PAY), LINE_MAX, true)
                    .map_err(|problem| check(HOW_TO_PAY, problem))
                    .ok();
                amount.zip(how).map(|(amount_dong, how_to_pay)| {
                    Some(EventDetails::Fee {
                        amount_dong,
                        how_to_pay,
                    })
                })
            }
            Action::MarkResultReady => {
                let number = text(get(RESULT_NUMBER), 100, true)
                    .map_err(|problem| check(RESULT_NUMBER, problem))
                    .ok();
                let pickup = text(get(PICKUP), LINE_MAX, true)
                    .map_err(|problem| check(PICKUP, problem))
                    .ok();
                number
                    .zip(pickup)
                    .map(|(number, pickup)| Some(EventDetails::Result { pickup, number }))
            }
            Action::HandOver => {
                let by = text(get(COLLECTED_BY), LINE_MAX, true)
                    .map_err(|problem| check(COLLECTED_BY, problem))
                    .ok();
                let citizen_id = CitizenId::parse(get(COLLECTOR_ID))
                    .map(|id| id.as_str().to_owned())
                    .map_err(|invalid| {
                        check(
                            COLLECTOR_ID,
                            match invalid {
                                Invalid::Empty => Problem::Required,
                                Invalid::Malformed => Problem::CitizenIdMalformed,
                            },
                        )
                    })
                    .ok();
                let relation = text(get(RELATION), LINE_MAX, true)
                    .map_err(|problem| check(RELATION, problem))
                    .ok();
                match (by, citizen_id, relation) {
                    (Some(by), Some(citizen_id), Some(relation)) => {
                        Some(Some(EventDetails::Collected {
                            by,
                            citizen_id,
                            relation,
                        }))
                    }
                    _ => None,
                }
            }
            Action::Apologise => {
                let new_date = future_date(get(NEW_DATE), today)
                    .map_err(|problem| check(NEW_DATE, problem))
                    .ok();
                let apology = long_text(get(APOLOGY), NOTE_MAX, true)
                    .map_err(|problem| check(APOLOGY, problem))
                    .ok();
                new_date
                    .zip(apology)
                    .map(|(new_date, text)| Some(EventDetails::Apology { new_date, text }))
            }
            _ => Some(None),
        };
        let receiver = (action == Action::PassOn).then(|| get(RECEIVER).trim().to_owned());
        if receiver.as_ref().is_some_and(String::is_empty) {
            check(RECEIVER, Problem::ChooseColleague);
        }
        match details {
            Some(details) if problems.is_empty() => Ok(ActionRequest {
                note,
                details,
                receiver,
            }),
            _ => Err(FormFeedback {
                values: values
                    .iter()
                    .filter(|(name, _)| name.as_str() != CSRF)
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
                problems,
            }),
        }
    }
}

/// Why a new user or password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialProblem {
    UsernameMalformed,
    PasswordTooShort,
    PasswordIsUsername,
}

pub const PASSWORD_MIN_CHARS: usize = 10;

/// Lower-case letters, digits, `.`, `-` and `_`, 3 to 40 characters.
pub fn check_username(username: &str) -> Result<(), CredentialProblem> {
    let valid = (3..=40).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if valid {
        Ok(())
    } else {
        Err(CredentialProblem::UsernameMalformed)
    }
}

pub fn check_password(username: &str, password: &str) -> Result<(), CredentialProblem> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        Err(CredentialProblem::PasswordTooShort)
    } else if password.eq_ignore_ascii_case(username) {
        Err(CredentialProblem::PasswordIsUsername)
    } else {
        Ok(())
    }
}

/// Password checks that may fail in one `LOCKOUT_WINDOW_SECONDS` window for one username, from
/// devices where it never signed in. Each check is counted before it runs (and given back when
/// the password was right), so parallel guesses get no more; beyond it, sign-in from such a
/// device is refused until the window ends, even with the right password.
pub const CHECKS_PER_USERNAME: i64 = 5;
/// The same for one address, higher: a commune office's staff share one address, and one
/// clerk's typos must not lock out the others.
pub const CHECKS_PER_ADDRESS: i64 = 20;
/// The same for one username on a device where it signed in before (its device cookie). This
/// budget is the device's own: a guesser elsewhere, who uses up the two above, cannot touch it,
/// so the real user at their own desk is never locked out by someone else.
pub const CHECKS_PER_KNOWN_DEVICE: i64 = 10;
pub const LOCKOUT_WINDOW_SECONDS: i64 = 15 * 60;

/// The pause before answering a failed sign-in: it grows with the failures already counted, so
/// guessing is slow even below the lock-out, while one typo costs half a second.
pub fn failure_delay_millis(failures_so_far: i64) -> u64 {
    let failures = failures_so_far.clamp(0, 3) as u32;
    500 * 2u64.pow(failures)
}

/// A day of a published decision as the settings form sends it: the day, whether it is off or
/// worked, what it is and the notice it comes from, all required.
pub fn calendar_entry(
    form: &BTreeMap<String, String>,
) -> Result<Decision, BTreeMap<String, Problem>> {
    use settings_field::{DAY, DAY_NOTE, DAY_REFERENCE, DAY_STATE};
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let mut problems = BTreeMap::new();
    let date = Date::parse_typed(get(DAY));
    if date.is_none() {
        problems.insert(DAY.to_owned(), Problem::DateMalformed);
    }
    let state = DayState::from_key(get(DAY_STATE));
    if state.is_none() {
        problems.insert(DAY_STATE.to_owned(), Problem::Required);
    }
    let mut required_text = |name: &str, max: usize| {
        text(get(name), max, true)
            .map_err(|problem| problems.insert(name.to_owned(), problem))
            .ok()
    };
    let note = required_text(DAY_NOTE, 100);
    let reference = required_text(DAY_REFERENCE, 200);
    match (date, state, note, reference) {
        (Some(date), Some(state), Some(note), Some(reference)) if problems.is_empty() => {
            Ok(Decision {
                date,
                state,
                note,
                reference,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, at: i64, status: Status) -> AuditEntry {
        AuditEntry {
            event: Event {
                id,
                at,
                status,
                public_note: String::new(),
                details: None,
            },
            from_status: None,
            actor: CITIZEN_ACTOR.to_owned(),
            actor_name: None,
            paper_number: None,
        }
    }

    fn file(document: &str, at: i64, supplement: bool) -> DossierFile {
        DossierFile {
            stored_name: format!("{document}-{at}.jpg"),
            document_name: document.to_owned(),
            content_type: "image/jpeg".to_owned(),
            size_bytes: 1,
            original_name: "a.jpg".to_owned(),
            uploaded_at: at,
            supplement,
            result: false,
            certified_copy: None,
        }
    }

    #[test]
    fn a_supplement_sent_is_a_line_of_the_trail_in_its_place() {
        let audit = [
            entry(1, 100, Status::Submitted),
            entry(2, 200, Status::SupplementRequested),
            entry(3, 400, Status::Accepted),
        ];
        let files = [
            file("Tờ khai", 100, false),
            file("Giấy chứng sinh", 300, true),
            file("Giấy chứng sinh", 300, true),
            file("Giấy đăng ký kết hôn", 300, true),
            file("Giấy chứng sinh", 350, true),
        ];
        let trail = audit_trail(&audit, &files);
        let ats: Vec<i64> = trail.iter().map(TrailLine::at).collect();
        assert_eq!(ats, vec![100, 200, 300, 350, 400]);
        assert_eq!(
            trail[2],
            TrailLine::SupplementSent {
                at: 300,
                documents: vec![
                    "Giấy chứng sinh".to_owned(),
                    "Giấy đăng ký kết hôn".to_owned()
                ],
                files: 3,
            }
        );
        assert!(matches!(trail[4], TrailLine::Event(e) if e.event.id == 3));
        // Without supplements the trail is the events.
        assert_eq!(audit_trail(&audit, &files[..1]).len(), 3);
    }
    use Action::*;

    #[test]
    fn each_role_may_do_its_own_work_and_nothing_else() {
        let clerk = [
            ViewQueue,
            Accept,
            Refuse,
            CounterIntake,
            HandOver,
            PassOn,
            ResendMessage,
            Certify,
        ];
        let specialist = [
            ViewQueue,
            PassOn,
            StartProcessing,
            RequestSupplement,
            RequestFee,
            MarkResultReady,
            Stop,
            Apologise,
            ResendMessage,
        ];
        for action in Action::ALL {
            assert_eq!(
                Role::Clerk.may(action),
                clerk.contains(&action),
                "clerk {action:?}"
            );
            assert_eq!(
                Role::Specialist.may(action),
                specialist.contains(&action),
                "specialist {action:?}"
            );
            assert_eq!(
                Role::Admin.may(action),
                action != ManageCenters,
                "admin {action:?}"
            );
            assert_eq!(
                Role::Province.may(action),
                [ViewQueue, ManageCenters, ManageHolidays].contains(&action),
                "province {action:?}"
            );
        }
        // The province changes no dossier, whatever its status.
        for action in Action::ON_A_DOSSIER {
            for status in Status::ALL {
                assert!(
                    !Role::Province.may_on(action, status),
                    "province {action:?} on {status:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_province_role_reaches_every_center() {
        let member = |role, center: Option<&str>| StaffMember {
            username: "a".to_owned(),
            display_name: "A".to_owned(),
            role,
            center: center.map(str::to_owned),
        };
        let own = "000.00.12.H56";
        assert_eq!(
            member(Role::Admin, Some(own)).reach(),
            Reach::Center(own.to_owned())
        );
        assert_eq!(member(Role::Province, None).reach(), Reach::Province);
        // A center's role without a center reaches nothing, never everything.
        let lost = member(Role::Admin, None).reach();
        assert!(!lost.reaches(own));
        assert_ne!(lost.agency_filter(), Reach::Province.agency_filter());
    }

    #[test]
    fn status_actions_lead_where_the_lifecycle_allows() {
        // Every action that changes a status has a status it can come from.
        for action in Action::ALL {
            if let Some(to) = action.target_status() {
                assert!(
                    Status::ALL.iter().any(|from| from.can_become(to)),
                    "{action:?} → {to:?}"
                );
            }
        }
        assert_eq!(Accept.target_status(), Some(Status::Accepted));
        assert_eq!(ManageUsers.target_status(), None);
    }

    #[test]
    fn roles_round_trip_through_their_keys() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("admin"), None);
        // No form can give the province's role; the stored key still reads back.
        assert_eq!(Role::from_key("tinh"), None);
        assert_eq!(Role::from_stored_key("tinh"), Some(Role::Province));
    }

    #[test]
    fn usernames_and_passwords_follow_the_rules() {
        assert!(check_username("lan.nguyen").is_ok());
        for bad in ["ab", "Lan", "lan nguyen", "lân", &"a".repeat(41)] {
            assert_eq!(
                check_username(bad),
                Err(CredentialProblem::UsernameMalformed),
                "{bad}"
            );
        }
        assert!(check_password("lan", "một câu mật khẩu dài").is_ok());
        assert_eq!(
            check_password("lan", "ngan"),
            Err(CredentialProblem::PasswordTooShort)
        );
        assert_eq!(
            check_password("tiepnhan01", "TIEPNHAN01"),
            Err(CredentialProblem::PasswordIsUsername)
        );
    }

    fn query(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn queue_filters_read_what_was_typed_and_write_it_back() {
        let typed = query(&[
            ("trang-thai", "5"),
            ("q", "  Nguyễn Lan "),
            ("thu-tuc", "1.001193"),
            ("kenh", "1"),
            ("tu-ngay", "01/11/2026"),
            ("den-ngay", "2026-11-30"),
            ("han", "qua-han"),
            ("bo-sung-moi", "1"),
            ("xep", "han"),
            ("trang", "3"),
        ]);
        let filter = QueueFilter::from_query(|name| typed.get(name).cloned());
        assert!(filter.supplement_sent);
        assert_eq!(filter.sort, QueueSort::DueFirst);
        assert_eq!(filter.status, Some(Status::SupplementRequested));
        assert_eq!(filter.query, "Nguyễn Lan");
        assert_eq!(filter.procedure, "1.001193");
        assert_eq!(filter.channel, Some(1));
        assert_eq!(filter.received_from, Some(Date::new(2026, 11, 1)));
        assert_eq!(filter.received_to, Some(Date::new(2026, 11, 30)));
        assert_eq!(filter.deadline, Some(Deadline::Overdue));
        assert_eq!(filter.page, 3);
        let written: BTreeMap<String, String> = filter
            .to_query(filter.status, filter.page)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let again = QueueFilter::from_query(|name| written.get(name).cloned());
        assert_eq!(again, filter);

        let junk = query(&[
            ("trang-thai", "99"),
            ("thu-tuc", "x' OR 1=1"),
            ("kenh", "7"),
            ("tu-ngay", "hôm qua"),
            ("han", "som"),
            ("xep", "ngau-nhien"),
            ("bo-sung-moi", "co"),
            ("trang", "-2"),
        ]);
        let filter = QueueFilter::from_query(|name| junk.get(name).cloned());
        assert_eq!(
            filter,
            QueueFilter {
                page: 1,
                ..QueueFilter::default()
            }
        );
        let long = "x".repeat(500);
        assert_eq!(
            QueueFilter::from_query(|_| Some(long.clone())).query.len(),
            100
        );
    }

    #[test]
    fn the_remembered_filter_comes_back_whole_and_nothing_else_does() {
        let filter = QueueFilter {
            query: "Nguyễn & Lan".to_owned(),
            status: Some(Status::Submitted),
            sort: QueueSort::DueFirst,
            supplement_sent: true,
            page: 2,
            ..QueueFilter::default()
        };
        assert_eq!(
            QueueFilter::from_query_string(&filter.query_string()),
            filter
        );
        let hostile =
            QueueFilter::from_query_string("trang-thai=1&next=https://evil.example&q=%00x");
        assert_eq!(hostile.status, Some(Status::Submitted));
        assert!(!hostile.query_string().contains("evil"));
    }

    #[test]
    fn a_scanned_receipt_is_searched_by_its_code_and_the_key_is_dropped() {
        let scanned =
            "https://motcua.example.vn/tra-cuu?ma=000.00.00.H00-261206-0001&khoa=ABCD-EFGH";
        assert_eq!(
            code_in_scanned_address(scanned).as_deref(),
            Some("000.00.00.H00-261206-0001")
        );
        let filter = QueueFilter::from_query(|name| {
            (name == queue_field::QUERY).then(|| scanned.to_owned())
        });
        assert_eq!(filter.query, "000.00.00.H00-261206-0001");
        assert!(!filter.query_string().contains("ABCD"));
        assert_eq!(code_in_scanned_address("Nguyễn Văn An"), None);
        assert_eq!(
            code_in_scanned_address("https://x/tra-cuu?ma=khong-phai-ma"),
            None
        );
    }

    #[test]
    fn every_todo_is_a_queue_soonest_due_first() {
        for todo in <Todo as strum::VariantArray>::VARIANTS {
            let filter = todo.filter();
            assert_eq!(filter.sort, QueueSort::DueFirst);
            assert_eq!(
                filter.bounded(),
                filter,
                "{todo:?} survives its own address"
            );
        }
        assert_eq!(Todo::WaitingIntake.filter().status, Some(Status::Submitted));
        assert!(Todo::SupplementSent.filter().supplement_sent);
        assert_eq!(Todo::Overdue.filter().deadline, Some(Deadline::Overdue));
    }

    #[test]
    fn a_filter_from_anywhere_gets_the_pages_limits() {
        let typed = QueueFilter::from_query(|name| {
            Some(match name {
                queue_field::QUERY => "Nguyễn".to_owned(),
                queue_field::FROM => "01/11/2026".to_owned(),
                queue_field::DEADLINE => "qua-han".to_owned(),
                queue_field::PAGE => "3".to_owned(),
                _ => return None,
            })
        });
        assert_eq!(typed.bounded(), typed, "a page's own filter is unchanged");
        let sent = QueueFilter {
            query: "%".repeat(100_000),
            procedure: "1.0'; DROP".to_owned(),
            channel: Some(9),
            page: 0,
            ..typed.clone()
        };
        let bounded = sent.bounded();
        assert_eq!(bounded.query.chars().count(), 100);
        assert_eq!(bounded.procedure, "");
        assert_eq!(bounded.channel, None);
        assert_eq!(bounded.page, 1);
        assert_eq!(bounded.received_from, typed.received_from);
    }

    #[test]
    fn deadline_windows_hold_the_right_due_dates() {
        let today = Today {
            date: Date::new(2026, 11, 30),
            due_soon_until: Date::new(2026, 12, 2),
        };
        assert_eq!(
            due_window(Deadline::DueSoon, today),
            (Date::new(2026, 11, 30), Date::new(2026, 12, 2))
        );
        let (from, to) = due_window(Deadline::Overdue, today);
        assert!(from < Date::new(2000, 1, 1));
        assert_eq!(to, Date::new(2026, 11, 29));
    }

    #[test]
    fn each_action_applies_where_the_lifecycle_allows() {
        assert!(Accept.applies_to(Status::Submitted, false));
        assert!(!Accept.applies_to(Status::Processing, true));
        assert!(HandOver.applies_to(Status::ResultReady, true));
        assert!(Apologise.applies_to(Status::Processing, true));
        assert!(!Apologise.applies_to(Status::HandedOver, true));
        assert!(Role::Clerk.may_on(RequestSupplement, Status::Submitted));
        assert!(!Role::Clerk.may_on(RequestSupplement, Status::Processing));
        assert!(Role::Specialist.may_on(RequestSupplement, Status::Processing));
        // Intake: 1 → 5, and once complete 5 → 2, never 5 → 4.
        assert!(RequestSupplement.applies_to(Status::Submitted, false));
        assert!(Accept.applies_to(Status::SupplementRequested, false));
        assert!(!StartProcessing.applies_to(Status::SupplementRequested, false));
        // Later: 5 → 4, and no second acceptance.
        assert!(StartProcessing.applies_to(Status::SupplementRequested, true));
        assert!(!Accept.applies_to(Status::SupplementRequested, true));
        for action in Action::ON_A_DOSSIER {
            assert_eq!(Action::on_a_dossier(action.key()), Some(action));
        }
        assert_eq!(Action::on_a_dossier("can-bo"), None);
    }

    #[test]
    fn action_forms_need_what_the_citizen_must_be_told() {
        use action_field::*;
        let today = Date::new(2026, 11, 30);
        let read =
            |action, pairs: &[(&str, &str)]| ActionRequest::from_form(action, &query(pairs), today);

        let accepted = read(Accept, &[("ghi-chu", " Đủ giấy tờ "), ("csrf", "t")]).unwrap();
        assert_eq!(
            accepted,
            ActionRequest {
                note: "Đủ giấy tờ".to_owned(),
                details: None,
                receiver: None,
            }
        );
        let passed = read(PassOn, &[("nguoi-nhan", " xu.ly "), ("ghi-chu", "Đã đủ")]).unwrap();
        assert_eq!(passed.receiver.as_deref(), Some("xu.ly"));
        let nobody = read(PassOn, &[("nguoi-nhan", " ")]).unwrap_err();
        assert_eq!(nobody.problem(RECEIVER), Some(Problem::ChooseColleague));

        // Who took the result is recorded: name, identity number, relation.
        let collected = read(
            HandOver,
            &[
                (COLLECTED_BY, " Trần Văn Hai "),
                (COLLECTOR_ID, "001 203 004 567"),
                (RELATION, "Con trai người nộp"),
            ],
        )
        .unwrap();
        assert_eq!(
            collected.details,
            Some(EventDetails::Collected {
                by: "Trần Văn Hai".into(),
                citizen_id: "001203004567".into(),
                relation: "Con trai người nộp".into(),
            })
        );
        let unnamed = read(HandOver, &[(COLLECTOR_ID, "12")]).unwrap_err();
        assert_eq!(unnamed.problem(COLLECTED_BY), Some(Problem::Required));
        assert_eq!(
            unnamed.problem(COLLECTOR_ID),
            Some(Problem::CitizenIdMalformed)
        );
        assert_eq!(unnamed.problem(RELATION), Some(Problem::Required));

        let refused = read(Refuse, &[("ly-do", "  "), ("csrf", "secret")]).unwrap_err();
        assert_eq!(refused.problem(REASON), Some(Problem::Required));
        assert_eq!(refused.value("csrf"), None, "the token is not echoed back");
        let stopped = read(Stop, &[("ly-do", "Người nộp đã mất")]).unwrap();
        assert_eq!(
            stopped.details,
            Some(EventDetails::Reason {
                text: "Người nộp đã mất".to_owned()
            })
        );

        let supplement = read(
            RequestSupplement,
            &[
                ("giay-to-can", "- Bản sao giấy khai sinh\r\n\n• Ảnh 4x6 "),
                ("han-bo-sung", "2026-12-05"),
            ],
        )
        .unwrap();
        assert_eq!(
            supplement.details,
            Some(EventDetails::Supplement {
                documents: vec!["Bản sao giấy khai sinh".to_owned(), "Ảnh 4x6".to_owned()],
                deadline: Date::new(2026, 12, 5),
            })
        );
        // Papers ticked from the procedure's list come first, in the list's order.
        let picked = read(
            RequestSupplement,
            &[
                ("chon-giay-to-10", "Giấy chứng sinh"),
                ("chon-giay-to-2", "Tờ khai đăng ký khai sinh"),
                ("giay-to-can", "Ảnh 4x6"),
                ("han-bo-sung", "2026-12-05"),
            ],
        )
        .unwrap();
        assert_eq!(
            picked.details,
            Some(EventDetails::Supplement {
                documents: vec![
                    "Tờ khai đăng ký khai sinh".to_owned(),
                    "Giấy chứng sinh".to_owned(),
                    "Ảnh 4x6".to_owned()
                ],
                deadline: Date::new(2026, 12, 5),
            })
        );
        let late = read(
            RequestSupplement,
            &[("giay-to-can", ""), ("han-bo-sung", "30/11/2026")],
        )
        .unwrap_err();
        assert_eq!(late.problem(DOCUMENTS), Some(Problem::Required));
        assert_eq!(
            late.problem(SUPPLEMENT_DEADLINE),
            Some(Problem::DateNotAfterToday)
        );
        let garbled = read(
            RequestSupplement,
            &[("giay-to-can", "x"), ("han-bo-sung", "mai")],
        )
        .unwrap_err();
        assert_eq!(
            garbled.problem(SUPPLEMENT_DEADLINE),
            Some(Problem::DateMalformed)
        );

        let fee = read(
            RequestFee,
            &[("so-tien", "50.000 đ"), ("cach-nop", "Nộp tại quầy")],
        )
        .unwrap();
        assert_eq!(
            fee.details,
            Some(EventDetails::Fee {
                amount_dong: 50_000,
                how_to_pay: "Nộp tại quầy".to_owned()
            })
        );
        for bad in ["0", "-5", "năm mươi", "99999999999"] {
            let refused = read(RequestFee, &[("so-tien", bad), ("cach-nop", "x")]).unwrap_err();
            assert_eq!(
                refused.problem(AMOUNT),
                Some(Problem::AmountMalformed),
                "{bad}"
            );
        }

        let result = read(
            MarkResultReady,
            &[("so-ket-qua", "123/GCN"), ("noi-nhan", "Quầy số 2")],
        )
        .unwrap();
        assert_eq!(
            result.details,
            Some(EventDetails::Result {
                pickup: "Quầy số 2".to_owned(),
                number: "123/GCN".to_owned()
            })
        );
        assert!(read(MarkResultReady, &[("noi-nhan", "Quầy số 2")]).is_err());

        let apology = read(
            Apologise,
            &[
                ("ngay-hen-moi", "2026-12-10"),
                ("loi-xin-loi", "Xin lỗi ông bà"),
            ],
        )
        .unwrap();
        assert_eq!(
            apology.details,
            Some(EventDetails::Apology {
                new_date: Date::new(2026, 12, 10),
                text: "Xin lỗi ông bà".to_owned()
            })
        );
        let bad_note = read(HandOver, &[("ghi-chu", "a\u{0}b")]).unwrap_err();
        assert_eq!(bad_note.problem(NOTE), Some(Problem::TextMalformed));
    }

    #[test]
    fn a_queue_search_reads_codes_phones_and_identity_numbers_as_typed() {
        let code = QueueSearch::of("0000000h002511100001");
        assert_eq!(code.code, "000.00.00.H00-251110-0001");
        assert_eq!((code.phone.as_str(), code.citizen_id.as_str()), ("", ""));
        let phone = QueueSearch::of(" 0912 345 678 ");
        assert_eq!(phone.phone, "0912345678");
        assert_eq!(phone.citizen_id, "");
        let id = QueueSearch::of("001 303 004 567");
        assert_eq!(
            (id.citizen_id.as_str(), id.phone.as_str()),
            ("001303004567", "")
        );
        let part = QueueSearch::of("251110-00");
        assert_eq!(part.code, "251110-00");
        assert_eq!(QueueSearch::of("Lan").code, "LAN");
    }

    #[test]
    fn failed_sign_ins_cost_more_and_more() {
        assert_eq!(failure_delay_millis(0), 500);
        assert_eq!(failure_delay_millis(1), 1000);
        assert_eq!(failure_delay_millis(3), 4000);
        assert_eq!(failure_delay_millis(40), 4000);
        assert_eq!(failure_delay_millis(-1), 500);
    }

    #[test]
    fn a_calendar_entry_needs_its_day_state_note_and_decision() {
        use settings_field::*;
        let form = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let entry = calendar_entry(&form(&[
            (DAY, "10/01/2026"),
            (DAY_STATE, "lam-viec"),
            (DAY_NOTE, " Làm bù cho thứ Sáu 2/1 "),
            (DAY_REFERENCE, "Công văn 12729/VPCP-KGVX"),
        ]))
        .unwrap();
        assert_eq!(entry.date, Date::new(2026, 1, 10));
        assert_eq!(entry.state, DayState::Working);
        assert_eq!(entry.note, "Làm bù cho thứ Sáu 2/1");
        let problems = calendar_entry(&form(&[(DAY, "32/01/2026"), (DAY_STATE, "x")])).unwrap_err();
        assert_eq!(
            problems,
            BTreeMap::from([
                (DAY.to_owned(), Problem::DateMalformed),
                (DAY_NOTE.to_owned(), Problem::Required),
                (DAY_REFERENCE.to_owned(), Problem::Required),
                (DAY_STATE.to_owned(), Problem::Required),
            ])
        );
    }
}
