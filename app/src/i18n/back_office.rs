//! The words of the staff pages.

use super::Lang;
use crate::domain::back_office::Role;
use crate::domain::procedure::ChannelKind;

pub struct StaffTexts {
    pub lang: Lang,
    pub login_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login_button: &'static str,
    pub wrong_credentials: &'static str,
    pub locked: &'static str,
    pub home_title: &'static str,
    pub signed_in_as: &'static str,
    pub logout: &'static str,
    pub queue_title: &'static str,
    pub queue_tabs: &'static str,
    pub queue_search: &'static str,
    pub all_statuses: &'static str,
}

pub static STAFF_VI: StaffTexts = StaffTexts {
    lang: Lang::Vi,
    login_title: "Cán bộ đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    login_button: "Đăng nhập",
    wrong_credentials: "Sai tên đăng nhập hoặc mật khẩu.",
    locked: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
    home_title: "Trang cán bộ",
    signed_in_as: "Đang đăng nhập",
    logout: "Đăng xuất",
    queue_title: "Hồ sơ",
    queue_tabs: "Lọc theo tình trạng",
    queue_search: "Tìm theo mã hồ sơ hoặc tên người nộp",
    all_statuses: "Tất cả",
};

pub static STAFF_EN: StaffTexts = StaffTexts {
    lang: Lang::En,
    login_title: "Staff sign-in",
    username: "Username",
    password: "Password",
    login_button: "Sign in",
    wrong_credentials: "Wrong username or password.",
    locked: "Too many failed sign-ins. Please try again in 15 minutes.",
    home_title: "Staff home",
    signed_in_as: "Signed in as",
    logout: "Sign out",
    queue_title: "Dossiers",
    queue_tabs: "Filter by status",
    queue_search: "Search by dossier code or applicant name",
    all_statuses: "All",
};

impl StaffTexts {
    pub fn queue_count(&self, total: usize) -> String {
        match self.lang {
            Lang::Vi => format!("{total} hồ sơ"),
            Lang::En => format!("{total} dossier(s)"),
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match (role, self.lang) {
            (Role::Clerk, Lang::Vi) => "Tiếp nhận",
            (Role::Clerk, Lang::En) => "Intake clerk",
            (Role::Specialist, Lang::Vi) => "Xử lý",
            (Role::Specialist, Lang::En) => "Specialist",
            (Role::Admin, Lang::Vi) => "Lãnh đạo, quản trị",
            (Role::Admin, Lang::En) => "Leader, administrator",
        }
    }
}

impl StaffTexts {
    /// The back office's words, Vietnamese and English side by side where they are used: the
    /// staff pages have many short labels that only staff read.
    pub fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn action(&self, action: crate::domain::back_office::Action) -> &'static str {
        use crate::domain::back_office::Action::*;
        match action {
            ViewQueue => self.pick("Xem hồ sơ", "View dossiers"),
            Accept => self.pick("Tiếp nhận hồ sơ", "Accept"),
            Refuse => self.pick("Không tiếp nhận", "Refuse"),
            CounterIntake => self.pick("Tiếp nhận tại quầy", "Counter intake"),
            HandOver => self.pick("Trả kết quả", "Hand over the result"),
            StartProcessing => self.pick("Chuyển xử lý", "Start processing"),
            RequestSupplement => self.pick("Yêu cầu bổ sung giấy tờ", "Request documents"),
            RequestFee => self.pick("Yêu cầu nộp phí, lệ phí", "Request a fee"),
            MarkResultReady => self.pick("Đã có kết quả", "Result ready"),
            Stop => self.pick("Dừng xử lý", "Stop processing"),
            Apologise => self.pick("Xin lỗi và hẹn lại ngày trả", "Apologise with a new date"),
            ManageUsers => self.pick("Tài khoản cán bộ", "Staff accounts"),
            ManageHolidays => self.pick("Ngày nghỉ lễ", "Holidays"),
            ManageCaveats => self.pick("Lưu ý cho người dân", "Notes for citizens"),
        }
    }

    pub fn channel(&self, channel: ChannelKind) -> &'static str {
        match channel {
            ChannelKind::Counter => self.pick("Trực tiếp", "At the counter"),
            ChannelKind::Online => self.pick("Trực tuyến", "Online"),
            ChannelKind::Postal => self.pick("Bưu chính", "By post"),
        }
    }
}
