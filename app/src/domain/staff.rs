//! The center's staff (DESIGN.md §8): roles, what each may do, and the rules of signing in.
//! The server checks `Role::may` before every back-office action; pages only hide what a role
//! cannot do.

use serde::{Deserialize, Serialize};

use super::lifecycle::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Tiếp nhận: checks new dossiers, registers walk-ins, hands results over.
    Clerk,
    /// Xử lý: processes accepted dossiers.
    Specialist,
    /// Lãnh đạo / quản trị: everything, plus users, holidays and procedure caveats.
    Admin,
}

/// What a staff member does in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    ViewQueue,
    Accept,
    Refuse,
    CounterIntake,
    HandOver,
    StartProcessing,
    RequestSupplement,
    RequestFee,
    MarkResultReady,
    Stop,
    Apologise,
    ManageUsers,
    ManageHolidays,
    ManageCaveats,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::ViewQueue,
        Action::Accept,
        Action::Refuse,
        Action::CounterIntake,
        Action::HandOver,
        Action::StartProcessing,
        Action::RequestSupplement,
        Action::RequestFee,
        Action::MarkResultReady,
        Action::Stop,
        Action::Apologise,
        Action::ManageUsers,
        Action::ManageHolidays,
        Action::ManageCaveats,
    ];

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
    pub const ALL: [Role; 3] = [Role::Clerk, Role::Specialist, Role::Admin];

    /// The stable key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::Clerk => "tiep-nhan",
            Role::Specialist => "xu-ly",
            Role::Admin => "quan-tri",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Clerk => matches!(
                action,
                ViewQueue | Accept | Refuse | CounterIntake | HandOver
            ),
            Role::Specialist => matches!(
                action,
                ViewQueue
                    | StartProcessing
                    | RequestSupplement
                    | RequestFee
                    | MarkResultReady
                    | Stop
                    | Apologise
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
}

/// What the dossier queue shows: one status tab (all when `None`), an optional search by
/// dossier code or applicant name (case and diacritics folded), one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub status: Option<Status>,
    pub query: String,
    pub page: usize,
}

impl QueueFilter {
    pub const PAGE_SIZE: usize = 25;

    /// From the query string as typed; anything unreadable means "no filter" / page 1.
    pub fn new(status: &str, query: &str, page: &str) -> QueueFilter {
        QueueFilter {
            status: status.trim().parse().ok().and_then(Status::from_code),
            query: query.trim().chars().take(100).collect(),
            page: page.trim().parse().unwrap_or(1).max(1),
        }
    }
}

/// One dossier in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub channel: i64,
    pub status: i64,
    pub received_at: i64,
    pub appointment_date: Option<String>,
}

/// A page of the queue with the count of every status tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: usize,
    pub page: usize,
    pub page_count: usize,
    /// (status code, dossiers in it), for every status that has any.
    pub counts: Vec<(i64, i64)>,
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

/// Failed sign-ins allowed for one username in `LOCKOUT_WINDOW_SECONDS`; beyond that, sign-in
/// is refused until the window ends, even with the right password.
pub const FAILURES_BEFORE_LOCKOUT: i64 = 5;
/// The same for one address, higher: a commune office's staff share one address, and one
/// clerk's typos must not lock out the others.
pub const FAILURES_BEFORE_ADDRESS_LOCKOUT: i64 = 20;
pub const LOCKOUT_WINDOW_SECONDS: i64 = 15 * 60;

/// The pause before answering a failed sign-in: it grows with the failures already counted, so
/// guessing is slow even below the lock-out, while one typo costs half a second.
pub fn failure_delay_millis(failures_so_far: i64) -> u64 {
    let failures = failures_so_far.clamp(0, 3) as u32;
    500 * 2u64.pow(failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn each_role_may_do_its_own_work_and_nothing_else() {
        let clerk = [ViewQueue, Accept, Refuse, CounterIntake, HandOver];
        let specialist = [
            ViewQueue,
            StartProcessing,
            RequestSupplement,
            RequestFee,
            MarkResultReady,
            Stop,
            Apologise,
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
            assert!(Role::Admin.may(action), "admin {action:?}");
        }
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

    #[test]
    fn queue_filters_read_what_was_typed() {
        let filter = QueueFilter::new("5", "  Nguyễn Lan ", "3");
        assert_eq!(filter.status, Some(Status::SupplementRequested));
        assert_eq!(filter.query, "Nguyễn Lan");
        assert_eq!(filter.page, 3);
        let filter = QueueFilter::new("99", "", "-2");
        assert_eq!((filter.status, filter.page), (None, 1));
        assert_eq!(QueueFilter::new("", &"x".repeat(500), "").query.len(), 100);
    }

    #[test]
    fn failed_sign_ins_cost_more_and_more() {
        assert_eq!(failure_delay_millis(0), 500);
        assert_eq!(failure_delay_millis(1), 1000);
        assert_eq!(failure_delay_millis(3), 4000);
        assert_eq!(failure_delay_millis(40), 4000);
        assert_eq!(failure_delay_millis(-1), 500);
    }
}
