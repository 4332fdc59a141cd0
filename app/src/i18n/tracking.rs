//! The words of the status page: timeline, what to do next, withdrawal, rating.

use super::{Lang, group_thousands};
use crate::domain::lifecycle::{Status, Timeliness};

pub struct TrackingTexts {
    pub lang: Lang,
    pub title: &'static str,
    pub limited_title: &'static str,
    pub due_date: &'static str,
    pub timeline_heading: &'static str,
    pub todo_heading: &'static str,
    pub apology_heading: &'static str,
    pub new_date: &'static str,
    pub supplement_upload: &'static str,
    pub supplement_sent: &'static str,
    pub supplement_deadline: &'static str,
    pub pay_how: &'static str,
    pub pickup_where: &'static str,
    pub result_number: &'static str,
    pub reason: &'static str,
    pub withdraw_heading: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_button: &'static str,
    pub rating_heading: &'static str,
    pub rating_overall: &'static str,
    pub rating_levels: [&'static str; 3],
    pub rating_visits: &'static str,
    pub rating_visits_answers: [&'static str; 3],
    pub rating_agencies: &'static str,
    pub rating_agencies_answers: [&'static str; 3],
    pub rating_attitude: &'static str,
    pub rating_attitude_answers: [&'static str; 3],
    pub rating_ease: &'static str,
    pub rating_ease_answers: [&'static str; 3],
    pub rating_optional: &'static str,
    pub rating_reason: &'static str,
    pub rating_send: &'static str,
    pub rating_recorded: &'static str,
    pub see_receipt: &'static str,
    pub by_citizen: &'static str,
}

pub static TRACKING_VI: TrackingTexts = TrackingTexts {
    lang: Lang::Vi,
    title: "Tình trạng hồ sơ",
    limited_title: "Tạm dừng tra cứu",
    due_date: "Hạn trả kết quả",
    timeline_heading: "Quá trình giải quyết",
    todo_heading: "Việc bạn cần làm",
    apology_heading: "Thư xin lỗi của Trung tâm",
    new_date: "Ngày hẹn mới",
    supplement_upload: "Gửi giấy tờ bổ sung",
    supplement_sent: "Đã gửi bổ sung",
    supplement_deadline: "Hạn bổ sung",
    pay_how: "Cách nộp",
    pickup_where: "Nơi nhận kết quả",
    result_number: "Số kết quả",
    reason: "Lý do",
    withdraw_heading: "Rút hồ sơ",
    withdraw_confirm: "Tôi muốn rút hồ sơ này. Tôi hiểu rằng hồ sơ sẽ dừng giải quyết.",
    withdraw_button: "Rút hồ sơ",
    rating_heading: "Đánh giá sự hài lòng",
    rating_overall: "Bạn có hài lòng với việc giải quyết hồ sơ này không?",
    rating_levels: ["Chưa hài lòng", "Hài lòng", "Rất hài lòng"],
    rating_visits: "Bạn phải đến Trung tâm thêm mấy lần?",
    rating_visits_answers: ["Nhiều lần", "1 lần", "Không lần nào"],
    rating_agencies: "Bạn phải liên hệ mấy cơ quan?",
    rating_agencies_answers: ["3 cơ quan trở lên", "2 cơ quan", "1 cơ quan"],
    rating_attitude: "Thái độ của cán bộ",
    rating_attitude_answers: ["Chưa tốt", "Bình thường", "Lịch sự, tận tình"],
    rating_ease: "Nộp hồ sơ trực tuyến có dễ không?",
    rating_ease_answers: ["Khó", "Bình thường", "Dễ"],
    rating_optional: "Các câu dưới đây không bắt buộc.",
    rating_reason: "Vì sao? (bắt buộc nếu chưa hài lòng)",
    rating_send: "Gửi đánh giá",
    rating_recorded: "Cảm ơn bạn đã đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.",
    see_receipt: "Xem và in giấy tiếp nhận",
    by_citizen: "Bạn",
};

pub static TRACKING_EN: TrackingTexts = TrackingTexts {
    lang: Lang::En,
    title: "Dossier status",
    limited_title: "Too many lookups",
    due_date: "Result due",
    timeline_heading: "What has happened",
    todo_heading: "What you need to do",
    apology_heading: "The Center's apology",
    new_date: "New date",
    supplement_upload: "Send the documents",
    supplement_sent: "Sent",
    supplement_deadline: "Send them by",
    pay_how: "How to pay",
    pickup_where: "Collect the result at",
    result_number: "Result number",
    reason: "Reason",
    withdraw_heading: "Withdraw the dossier",
    withdraw_confirm: "I want to withdraw this dossier. I understand that it will no longer be processed.",
    withdraw_button: "Withdraw",
    rating_heading: "How satisfied are you?",
    rating_overall: "Are you satisfied with how this dossier was handled?",
    rating_levels: ["Not satisfied", "Satisfied", "Very satisfied"],
    rating_visits: "How many more times did you have to come to the Center?",
    rating_visits_answers: ["Several", "Once", "None"],
    rating_agencies: "How many agencies did you have to contact?",
    rating_agencies_answers: ["3 or more", "2", "1"],
    rating_attitude: "Staff attitude",
    rating_attitude_answers: ["Poor", "Average", "Polite and helpful"],
    rating_ease: "Was filing online easy?",
    rating_ease_answers: ["Hard", "Average", "Easy"],
    rating_optional: "The questions below are optional.",
    rating_reason: "Why? (required if not satisfied)",
    rating_send: "Send",
    rating_recorded: "Thank you for your rating. Each dossier is rated once.",
    see_receipt: "See and print the receipt",
    by_citizen: "You",
};

impl TrackingTexts {
    fn vi(&self) -> bool {
        self.lang == Lang::Vi
    }

    pub fn limited_text(&self, minutes: i64) -> String {
        if self.vi() {
            format!(
                "Có quá nhiều lượt tra cứu từ mạng của bạn. Vui lòng thử lại sau {minutes} phút."
            )
        } else {
            format!(
                "There have been too many lookups from your network. Please try again in {}.",
                super::counted(Lang::En, minutes, "minute", "minutes")
            )
        }
    }

    pub fn timeliness(&self, timeliness: Timeliness) -> Option<&'static str> {
        match (timeliness, self.vi()) {
            (Timeliness::OnTime, true) => Some("Đúng hạn"),
            (Timeliness::OnTime, false) => Some("On time"),
            (Timeliness::DueSoon, true) => Some("Sắp đến hạn"),
            (Timeliness::DueSoon, false) => Some("Due soon"),
            (Timeliness::Overdue, true) => Some("Quá hạn"),
            (Timeliness::Overdue, false) => Some("Overdue"),
            (Timeliness::NotApplicable, _) => None,
        }
    }

    /// What the citizen should do, by status code.
    pub fn next_step(&self, status: Status) -> &'static str {
        match (status, self.vi()) {
            (Status::Submitted, true) => {
                "Cán bộ sẽ kiểm tra hồ sơ trong giờ làm việc. Bạn chưa cần làm gì."
            }
            (Status::Submitted, false) => {
                "Staff will check the dossier during working hours. Nothing to do yet."
            }
            (Status::Accepted | Status::Processing, true) => {
                "Hồ sơ đang được giải quyết. Bạn chưa cần làm gì; hãy chờ đến hạn trả kết quả."
            }
            (Status::Accepted | Status::Processing, false) => {
                "The dossier is being handled. Nothing to do; wait for the result date."
            }
            (Status::Refused, true) => {
                "Hồ sơ không được tiếp nhận. Bạn có thể nộp lại khi đã đủ điều kiện."
            }
            (Status::Refused, false) => {
                "The dossier was not accepted. You may file again once the conditions are met."
            }
            (Status::SupplementRequested, true) => {
                "Bạn cần gửi thêm các giấy tờ dưới đây. Chụp ảnh và gửi ngay trên trang này, hoặc mang đến Trung tâm."
            }
            (Status::SupplementRequested, false) => {
                "Please send the documents below. Photograph and send them on this page, or bring them to the Center."
            }
            (Status::FeeRequested, true) => {
                "Bạn cần nộp phí, lệ phí dưới đây để hồ sơ được giải quyết tiếp."
            }
            (Status::FeeRequested, false) => "Please pay the fee below so the dossier can go on.",
            (Status::Withdrawn, true) => "Bạn đã rút hồ sơ này. Hồ sơ không được giải quyết tiếp.",
            (Status::Withdrawn, false) => "You withdrew this dossier. It is no longer processed.",
            (Status::Stopped, true) => "Hồ sơ đã dừng giải quyết.",
            (Status::Stopped, false) => "Processing of the dossier has stopped.",
            (Status::ResultReady, true) => {
                "Đã có kết quả. Mang giấy tiếp nhận (hoặc mã hồ sơ) và căn cước khi đến nhận."
            }
            (Status::ResultReady, false) => {
                "The result is ready. Bring the receipt (or the dossier code) and your ID card to collect it."
            }
            (Status::HandedOver, true) => "Bạn đã nhận kết quả. Cảm ơn bạn.",
            (Status::HandedOver, false) => "You have received the result. Thank you.",
        }
    }

    pub fn amount(&self, dong: i64) -> String {
        if self.vi() {
            format!("{} đồng", group_thousands(dong))
        } else {
            format!("{} VND", group_thousands(dong))
        }
    }
}
