//! Every string a citizen sees, in Vietnamese (the source of truth) and English.
//!
//! A plain struct per language keeps translations checked by the compiler: a missing English
//! string is a build error, not a blank on the page.

mod back_office;
mod filing;
mod statistics;
mod tracking;

use serde::{Deserialize, Serialize};

pub use back_office::{STAFF_EN, STAFF_VI, StaffTexts};
pub use filing::{FILING_EN, FILING_VI, FilingTexts, file_size};
pub use statistics::StatsTexts;
pub use tracking::{TRACKING_EN, TRACKING_VI, TrackingTexts};

use crate::domain::procedure::{ChannelKind, OnlineLevel, TimeUnit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const COOKIE: &'static str = "motcua_lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language chosen in the `Cookie` header; Vietnamese when none is chosen.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == Lang::COOKIE)
            .and_then(|(_, value)| Lang::from_code(value.trim()))
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

pub struct Texts {
    pub lang: Lang,
    pub site_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_catalogue: &'static str,
    pub switch_language: &'static str,
    pub footer_note: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub sectors_heading: &'static str,
    pub popular_heading: &'static str,
    pub all_procedures: &'static str,
    pub catalogue_title: &'static str,
    pub catalogue_description: &'static str,
    pub filter_sector: &'static str,
    pub filter_online: &'static str,
    pub any_sector: &'static str,
    pub any_online: &'static str,
    pub apply_filters: &'static str,
    pub no_results: &'static str,
    pub no_results_hint: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub pagination_label: &'static str,
    pub procedure_code: &'static str,
    pub sector: &'static str,
    pub online_level: &'static str,
    pub apply_online: &'static str,
    pub counter_only_note: &'static str,
    pub who_may_apply: &'static str,
    pub conditions: &'static str,
    pub case_heading: &'static str,
    pub steps_heading: &'static str,
    pub documents_heading: &'static str,
    /// A count of originals, singular and plural: (one, other).
    pub originals: (&'static str, &'static str),
    pub copies: (&'static str, &'static str),
    pub optional_document: &'static str,
    pub form_template: &'static str,
    pub channels_heading: &'static str,
    pub processing_time: &'static str,
    pub fees: &'static str,
    pub free: &'static str,
    pub no_information: &'static str,
    pub dong: &'static str,
    pub results_heading: &'static str,
    pub legal_basis_heading: &'static str,
    pub caveats_heading: &'static str,
    pub where_to_submit: &'static str,
    pub agency: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub forbidden_title: &'static str,
    /// A staff form without this session's token: an old page, or a request made elsewhere.
    pub stale_form_text: &'static str,
    pub role_forbids_text: &'static str,
    pub busy_title: &'static str,
    pub busy_text: &'static str,
    pub unreadable_form_title: &'static str,
    pub unreadable_form_text: &'static str,
    pub online_filing_title: &'static str,
    pub back_to_procedure: &'static str,
    pub checklist_hint: &'static str,
    pub document_notes: &'static str,
    pub present_only: &'static str,
    pub unparsed_heading: &'static str,
    pub unparsed_note: &'static str,
    pub filing: &'static FilingTexts,
    pub tracking: &'static TrackingTexts,
    pub staff: &'static StaffTexts,
    pub stats: &'static StatsTexts,
}

pub static VI: Texts = Texts {
    lang: Lang::Vi,
    site_name: "Một cửa",
    skip_to_content: "Bỏ qua, đến nội dung chính",
    nav_label: "Điều hướng chính",
    nav_home: "Trang chủ",
    nav_catalogue: "Thủ tục",
    switch_language: "English",
    footer_note: "Trung tâm Phục vụ hành chính công xã. Dữ liệu thủ tục trong bản chạy thử là dữ liệu mẫu.",
    home_title: "Tra cứu và nộp hồ sơ thủ tục hành chính",
    home_intro: "Tìm thủ tục bạn cần: giấy tờ phải mang, lệ phí, bao lâu có kết quả. Không cần tài khoản.",
    search_label: "Bạn cần làm thủ tục gì?",
    search_placeholder: "Ví dụ: khai sinh, kết hôn, chứng thực",
    search_button: "Tìm",
    sectors_heading: "Lĩnh vực",
    popular_heading: "Thủ tục thường làm",
    all_procedures: "Xem tất cả thủ tục",
    catalogue_title: "Danh mục thủ tục",
    catalogue_description: "Danh mục thủ tục hành chính của Trung tâm Phục vụ hành chính công xã: giấy tờ, lệ phí, thời hạn.",
    filter_sector: "Lĩnh vực",
    filter_online: "Nộp trực tuyến",
    any_sector: "Tất cả lĩnh vực",
    any_online: "Tất cả",
    apply_filters: "Lọc",
    no_results: "Không tìm thấy thủ tục nào.",
    no_results_hint: "Thử gõ ít chữ hơn, ví dụ \"khai sinh\" thay vì \"làm giấy khai sinh cho con\".",
    previous_page: "Trang trước",
    next_page: "Trang sau",
    pagination_label: "Chuyển trang",
    procedure_code: "Mã thủ tục",
    sector: "Lĩnh vực",
    online_level: "Mức độ trực tuyến",
    apply_online: "Nộp hồ sơ trực tuyến",
    counter_only_note: "Thủ tục này chỉ nộp tại Trung tâm (hoặc qua bưu điện nếu có ghi bên dưới).",
    who_may_apply: "Ai được làm",
    conditions: "Điều kiện",
    case_heading: "Trường hợp",
    steps_heading: "Các bước",
    documents_heading: "Giấy tờ cần có",
    originals: ("bản chính", "bản chính"),
    copies: ("bản sao", "bản sao"),
    optional_document: "không bắt buộc",
    form_template: "Mẫu đơn",
    channels_heading: "Cách nộp, thời hạn và lệ phí",
    processing_time: "Thời hạn giải quyết",
    fees: "Phí, lệ phí",
    free: "Miễn phí",
    no_information: "Không có thông tin",
    dong: "đồng",
    results_heading: "Kết quả nhận được",
    legal_basis_heading: "Căn cứ pháp lý",
    caveats_heading: "Lưu ý",
    where_to_submit: "Nơi nộp hồ sơ",
    agency: "Cơ quan thực hiện",
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Trang hoặc thủ tục bạn tìm không có. Có thể đường dẫn bị gõ sai.",
    back_home: "Về trang chủ",
    error_title: "Có lỗi xảy ra",
    error_text: "Hệ thống đang gặp sự cố. Bạn vui lòng thử lại sau ít phút.",
    forbidden_title: "Không được phép",
    stale_form_text: "Biểu mẫu đã cũ. Bạn vui lòng tải lại trang rồi làm lại.",
    role_forbids_text: "Vai trò của bạn không được làm việc này.",
    busy_title: "Hệ thống đang bận",
    busy_text: "Chưa làm được ngay lúc này. Bạn vui lòng thử lại sau ít phút; những gì đã nhập vẫn được giữ.",
    unreadable_form_title: "Không đọc được biểu mẫu",
    unreadable_form_text: "Biểu mẫu gửi lên không đúng. Bạn vui lòng quay lại trang trước và gửi lại.",
    online_filing_title: "Nộp hồ sơ trực tuyến",
    back_to_procedure: "Xem lại thủ tục",
    checklist_hint: "Đánh dấu giấy tờ bạn đã có; điện thoại này sẽ nhớ.",
    document_notes: "Ghi chú về giấy tờ",
    present_only: "chỉ mang theo để xuất trình, không phải nộp",
    unparsed_heading: "Nội dung gốc",
    unparsed_note: "Phần này được giữ nguyên như trên Cổng Dịch vụ công quốc gia vì hệ thống chưa đọc được đầy đủ.",
    filing: &FILING_VI,
    tracking: &TRACKING_VI,
    staff: &STAFF_VI,
    stats: &statistics::STATS_VI,
};

pub static EN: Texts = Texts {
    lang: Lang::En,
    site_name: "One door",
    skip_to_content: "Skip to main content",
    nav_label: "Main navigation",
    nav_home: "Home",
    nav_catalogue: "Procedures",
    switch_language: "Tiếng Việt",
    footer_note: "Commune Public Administrative Service Center. Procedure data in this trial are demo data.",
    home_title: "Find and file administrative procedures",
    home_intro: "Find the procedure you need: which papers to bring, fees, how long it takes. No account needed.",
    search_label: "Which procedure do you need?",
    search_placeholder: "For example: birth, marriage, certified copy",
    search_button: "Search",
    sectors_heading: "Sectors",
    popular_heading: "Most used procedures",
    all_procedures: "See all procedures",
    catalogue_title: "Procedure catalogue",
    catalogue_description: "Administrative procedures of the commune Public Administrative Service Center: documents, fees, processing times.",
    filter_sector: "Sector",
    filter_online: "Online filing",
    any_sector: "All sectors",
    any_online: "Any",
    apply_filters: "Filter",
    no_results: "No procedure found.",
    no_results_hint: "Try fewer words, for example \"khai sinh\" instead of a whole sentence.",
    previous_page: "Previous page",
    next_page: "Next page",
    pagination_label: "Pages",
    procedure_code: "Procedure code",
    sector: "Sector",
    online_level: "Online level",
    apply_online: "Apply online",
    counter_only_note: "This procedure is filed at the Center only (or by post where listed below).",
    who_may_apply: "Who may apply",
    conditions: "Conditions",
    case_heading: "Case",
    steps_heading: "Steps",
    documents_heading: "Documents you need",
    originals: ("original", "originals"),
    copies: ("copy", "copies"),
    optional_document: "optional",
    form_template: "Form",
    channels_heading: "How to file, processing time and fees",
    processing_time: "Processing time",
    fees: "Fees",
    free: "Free",
    no_information: "No information",
    dong: "VND",
    results_heading: "What you receive",
    legal_basis_heading: "Legal basis",
    caveats_heading: "Please note",
    where_to_submit: "Where to file",
    agency: "Handled by",
    not_found_title: "Page not found",
    not_found_text: "The page or procedure you are looking for does not exist. The address may be mistyped.",
    back_home: "Back to home",
    error_title: "Something went wrong",
    error_text: "The system has a problem. Please try again in a few minutes.",
    forbidden_title: "Not allowed",
    stale_form_text: "This form has expired. Please reload the page and try again.",
    role_forbids_text: "Your role does not allow this.",
    busy_title: "The system is busy",
    busy_text: "This cannot be done right now. Please try again in a few minutes; what you typed is kept.",
    unreadable_form_title: "The form could not be read",
    unreadable_form_text: "The form that was sent is not valid. Please go back to the previous page and send it again.",
    online_filing_title: "Apply online",
    back_to_procedure: "Back to the procedure",
    checklist_hint: "Tick the documents you already have; this phone remembers them.",
    document_notes: "Notes on the documents",
    present_only: "to show at the counter, not to hand in",
    unparsed_heading: "Original text",
    unparsed_note: "Kept as published on the National Public Service Portal, because the system could not read it fully.",
    filing: &FILING_EN,
    tracking: &TRACKING_EN,
    staff: &STAFF_EN,
    stats: &statistics::STATS_EN,
};

impl Texts {
    pub fn problem(&self, problem: crate::domain::feedback::Problem) -> &'static str {
        self.filing.problem(problem)
    }

    pub fn online_level_name(&self, level: OnlineLevel) -> &'static str {
        let vi = self.lang == Lang::Vi;
        match (level, vi) {
            (OnlineLevel::Full, true) => "Toàn trình",
            (OnlineLevel::Full, false) => "Fully online",
            (OnlineLevel::Partial, true) => "Một phần",
            (OnlineLevel::Partial, false) => "Partly online",
            (OnlineLevel::InformationOnly, true) => "Chỉ nộp trực tiếp",
            (OnlineLevel::InformationOnly, false) => "At the counter only",
        }
    }

    pub fn channel_name(&self, kind: ChannelKind) -> &'static str {
        let vi = self.lang == Lang::Vi;
        match (kind, vi) {
            (ChannelKind::Counter, true) => "Trực tiếp tại Trung tâm",
            (ChannelKind::Counter, false) => "In person at the Center",
            (ChannelKind::Online, true) => "Trực tuyến",
            (ChannelKind::Online, false) => "Online",
            (ChannelKind::Postal, true) => "Qua bưu điện",
            (ChannelKind::Postal, false) => "By post",
        }
    }

    /// A processing time: "5 ngày làm việc", "1 working day", "0,5 working days".
    pub fn duration(&self, amount: f64, unit: TimeUnit) -> String {
        let (vi, en_one, en_other) = match unit {
            TimeUnit::WorkingDays => ("ngày làm việc", "working day", "working days"),
            TimeUnit::Days => ("ngày", "day", "days"),
            TimeUnit::WorkingHours => ("giờ làm việc", "working hour", "working hours"),
            TimeUnit::Hours => ("giờ", "hour", "hours"),
            TimeUnit::Unknown => return format_decimal(amount),
        };
        let shown = format_decimal(amount);
        match self.lang {
            Lang::Vi => format!("{shown} {vi}"),
            Lang::En => format!("{shown} {}", if amount == 1.0 { en_one } else { en_other }),
        }
    }

    /// "2 bản chính, 1 bản sao" / "2 originals, 1 copy"; empty when neither is asked for.
    pub fn document_counts(&self, originals: u32, copies: u32) -> String {
        [(originals, self.originals), (copies, self.copies)]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, (one, other))| counted(self.lang, i64::from(n), one, other))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn results_found(&self, total: usize) -> String {
        match self.lang {
            Lang::Vi => format!("Có {total} thủ tục"),
            Lang::En => counted(Lang::En, total as i64, "procedure", "procedures"),
        }
    }

    pub fn prepared_count(&self, done: usize, total: usize) -> String {
        if self.lang == Lang::Vi {
            format!("Đã có {done}/{total} giấy tờ")
        } else {
            format!("{done} of {total} documents ready")
        }
    }

    pub fn page_of(&self, page: usize, page_count: usize) -> String {
        if self.lang == Lang::Vi {
            format!("Trang {page}/{page_count}")
        } else {
            format!("Page {page} of {page_count}")
        }
    }
}

/// Groups thousands with dots, the Vietnamese way: 1234567 → "1.234.567".
pub fn group_thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if amount < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// 0.5 → "0,5"; 3.0 → "3".
pub fn format_decimal(value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        let fixed = format!("{value:.2}");
        fixed.trim_end_matches('0').to_owned()
    };
    text.replace('.', ",")
}

/// `n` with its noun in the plural form the language's rule picks. Vietnamese nouns have one
/// form; English (CLDR) takes the singular for exactly 1 and the plural otherwise.
pub fn counted(lang: Lang, n: i64, one: &str, other: &str) -> String {
    match lang {
        Lang::Vi => format!("{n} {one}"),
        Lang::En => format!("{n} {}", if n == 1 { one } else { other }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_plural_their_language_asks_for() {
        assert_eq!(counted(Lang::En, 1, "dossier", "dossiers"), "1 dossier");
        assert_eq!(counted(Lang::En, 0, "dossier", "dossiers"), "0 dossiers");
        assert_eq!(counted(Lang::En, 12, "dossier", "dossiers"), "12 dossiers");
        assert_eq!(counted(Lang::Vi, 2, "hồ sơ", "hồ sơ"), "2 hồ sơ");
        assert_eq!(EN.document_counts(1, 2), "1 original, 2 copies");
        assert_eq!(EN.document_counts(0, 1), "1 copy");
        assert_eq!(VI.document_counts(2, 1), "2 bản chính, 1 bản sao");
        assert_eq!(VI.document_counts(0, 0), "");
        assert_eq!(EN.duration(1.0, TimeUnit::WorkingDays), "1 working day");
        assert_eq!(EN.duration(0.5, TimeUnit::WorkingDays), "0,5 working days");
        assert_eq!(VI.duration(5.0, TimeUnit::Days), "5 ngày");
        assert_eq!(EN.results_found(1), "1 procedure");
        assert_eq!(EN.staff.queue_count(11), "11 dossiers");
        assert_eq!(EN.filing.files_count(1), "1 file");
        assert_eq!(VI.filing.files_count(3), "3 tệp");
    }

    #[test]
    fn language_comes_from_the_cookie_and_defaults_to_vietnamese() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("a=b; motcua_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("motcua_lang=fr"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("xmotcua_lang=en"), Lang::Vi);
    }

    #[test]
    fn texts_differ_per_language() {
        assert_eq!(Lang::Vi.texts().search_button, "Tìm");
        assert_eq!(Lang::En.texts().search_button, "Search");
        assert_eq!(VI.online_level_name(OnlineLevel::Full), "Toàn trình");
        assert_eq!(EN.online_level_name(OnlineLevel::Full), "Fully online");
        assert_eq!(VI.results_found(3), "Có 3 thủ tục");
    }

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(2000), "2.000");
        assert_eq!(group_thousands(1_234_567), "1.234.567");
        assert_eq!(group_thousands(-50_000), "-50.000");
        assert_eq!(format_decimal(3.0), "3");
        assert_eq!(format_decimal(0.5), "0,5");
        assert_eq!(format_decimal(1.25), "1,25");
    }
}
