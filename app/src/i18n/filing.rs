//! The words of online filing, the receipt and the lookup page.

use super::Lang;
use crate::domain::feedback::Problem;
use crate::domain::filing::UploadLimits;
use crate::domain::lifecycle::Status;

pub struct FilingTexts {
    pub lang: Lang,
    pub intro: &'static str,
    pub steps_label: &'static str,
    pub step_applicant: &'static str,
    pub step_documents: &'static str,
    pub step_review: &'static str,
    pub prepare_heading: &'static str,
    pub prepare_id: &'static str,
    pub start_button: &'static str,
    pub documents_of_case: &'static str,
    pub resume_heading: &'static str,
    pub resume_title: &'static str,
    pub resume_label: &'static str,
    pub resume_hint: &'static str,
    pub resume_button: &'static str,
    pub resume_code_is: &'static str,
    pub draft_expired_title: &'static str,
    pub draft_expired_text: &'static str,
    pub draft_missing_title: &'static str,
    pub draft_missing_text: &'static str,
    pub draft_submitted_title: &'static str,
    pub see_receipt: &'static str,
    pub errors_heading: &'static str,
    pub case_legend: &'static str,
    pub full_name: &'static str,
    pub full_name_hint: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub citizen_id: &'static str,
    pub citizen_id_hint: &'static str,
    pub address: &'static str,
    pub address_hint: &'static str,
    pub email: &'static str,
    pub on_behalf: &'static str,
    pub on_behalf_hint: &'static str,
    pub proxy_name: &'static str,
    pub proxy_citizen_id: &'static str,
    pub relationship: &'static str,
    pub relationship_hint: &'static str,
    pub save_continue: &'static str,
    pub back: &'static str,
    pub documents_intro: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub choose_files: &'static str,
    pub uploaded: &'static str,
    pub remove: &'static str,
    pub upload_button: &'static str,
    pub no_documents: &'static str,
    pub download_form: &'static str,
    pub bring_original: &'static str,
    pub uploading: &'static str,
    pub shrinking: &'static str,
    pub upload_failed: &'static str,
    pub review_intro: &'static str,
    pub change: &'static str,
    pub applicant_heading: &'static str,
    pub procedure_label: &'static str,
    pub case_label: &'static str,
    pub not_uploaded: &'static str,
    pub declaration: &'static str,
    pub submit_button: &'static str,
    pub receipt_title: &'static str,
    pub submitted_banner: &'static str,
    pub dossier_code: &'static str,
    pub lookup_key: &'static str,
    pub keep_codes: &'static str,
    pub received_at: &'static str,
    pub appointment: &'static str,
    pub appointment_later: &'static str,
    pub appointment_note: &'static str,
    pub status: &'static str,
    pub channel: &'static str,
    pub applicant: &'static str,
    pub phone_short: &'static str,
    pub address_short: &'static str,
    pub proxy: &'static str,
    pub documents_received: &'static str,
    pub result_where: &'static str,
    pub qr_caption: &'static str,
    pub print_hint: &'static str,
    pub next_heading: &'static str,
    pub next_text: &'static str,
    pub receipt_not_found: &'static str,
    pub lookup_title: &'static str,
    pub lookup_intro: &'static str,
    pub code_hint: &'static str,
    pub key_hint: &'static str,
    pub lookup_button: &'static str,
    pub nav_lookup: &'static str,
}

pub static FILING_VI: FilingTexts = FilingTexts {
    lang: Lang::Vi,
    intro: "Không cần tài khoản. Bạn làm 3 bước; mỗi bước đều được lưu lại, nên nếu mất mạng bạn vẫn làm tiếp được.",
    steps_label: "Các bước nộp hồ sơ",
    step_applicant: "Người nộp hồ sơ",
    step_documents: "Giấy tờ",
    step_review: "Kiểm tra và nộp",
    prepare_heading: "Cần chuẩn bị",
    prepare_id: "Số điện thoại di động và số căn cước (CCCD) của người nộp.",
    start_button: "Bắt đầu nộp hồ sơ",
    documents_of_case: "Giấy tờ cần có",
    resume_heading: "Đã bắt đầu từ trước?",
    resume_title: "Làm tiếp hồ sơ đang nộp",
    resume_label: "Mã tiếp tục",
    resume_hint: "16 ký tự, ví dụ ABCD-EFGH-JKMN-PQRS",
    resume_button: "Làm tiếp",
    resume_code_is: "Mã tiếp tục của bạn",
    draft_expired_title: "Hồ sơ nháp đã hết hạn",
    draft_expired_text: "Hồ sơ nháp này đã quá thời hạn lưu nên đã bị xóa cùng các tệp. Vui lòng bắt đầu lại từ trang thủ tục.",
    draft_missing_title: "Không tìm thấy hồ sơ nháp",
    draft_missing_text: "Mã tiếp tục không đúng. Kiểm tra lại mã, hoặc bắt đầu hồ sơ mới từ trang thủ tục.",
    draft_submitted_title: "Hồ sơ này đã được nộp",
    see_receipt: "Xem giấy tiếp nhận",
    errors_heading: "Vui lòng sửa các mục sau",
    case_legend: "Trường hợp của bạn",
    full_name: "Họ và tên",
    full_name_hint: "Ghi đúng như trên căn cước.",
    phone: "Số điện thoại di động",
    phone_hint: "Ví dụ 0912 345 678. Cán bộ gọi số này khi cần.",
    citizen_id: "Số căn cước (CCCD)",
    citizen_id_hint: "12 chữ số.",
    address: "Địa chỉ nơi ở",
    address_hint: "Thôn/xóm, xã, tỉnh.",
    email: "Thư điện tử (không bắt buộc)",
    on_behalf: "Tôi nộp thay cho người khác",
    on_behalf_hint: "Đánh dấu khi bạn nộp hộ người thân. Khi đó phần trên là thông tin của người cần làm thủ tục, phần dưới là của bạn.",
    proxy_name: "Họ và tên người nộp thay",
    proxy_citizen_id: "Số căn cước của người nộp thay",
    relationship: "Quan hệ với người làm thủ tục",
    relationship_hint: "Ví dụ: con, vợ, chồng, cháu.",
    save_continue: "Lưu và tiếp tục",
    back: "Quay lại",
    documents_intro: "Chụp ảnh hoặc chọn tệp cho từng giấy tờ. Giấy tờ bắt buộc cần ít nhất một ảnh hoặc tệp.",
    required: "Bắt buộc",
    optional: "Không bắt buộc",
    choose_files: "Chụp ảnh hoặc chọn tệp",
    uploaded: "Đã tải lên",
    remove: "Xóa",
    upload_button: "Tải lên",
    no_documents: "Thủ tục này không cần nộp kèm giấy tờ.",
    download_form: "Tải mẫu",
    bring_original: "Mang bản chính đến Trung tâm khi nhận kết quả.",
    uploading: "Đang tải lên",
    shrinking: "Đang thu nhỏ ảnh",
    upload_failed: "Chưa tải lên được. Kiểm tra kết nối mạng rồi bấm lại.",
    review_intro: "Kiểm tra lại trước khi nộp. Bấm \"Sửa\" để thay đổi.",
    change: "Sửa",
    applicant_heading: "Người nộp",
    procedure_label: "Thủ tục",
    case_label: "Trường hợp",
    not_uploaded: "Chưa có tệp",
    declaration: "Tôi cam đoan các thông tin và giấy tờ trên là đúng sự thật.",
    submit_button: "Nộp hồ sơ",
    receipt_title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    submitted_banner: "Hồ sơ của bạn đã được gửi đến Trung tâm.",
    dossier_code: "Mã hồ sơ",
    lookup_key: "Khóa tra cứu",
    keep_codes: "Giữ mã hồ sơ và khóa tra cứu để xem tình trạng hồ sơ: chụp màn hình hoặc in trang này.",
    received_at: "Thời gian nhận",
    appointment: "Ngày hẹn trả kết quả",
    appointment_later: "Cán bộ sẽ báo ngày hẹn khi tiếp nhận hồ sơ.",
    appointment_note: "Ngày hẹn tính theo ngày làm việc và có thể được điều chỉnh khi cán bộ tiếp nhận hồ sơ.",
    status: "Tình trạng",
    channel: "Hình thức nộp",
    applicant: "Người nộp",
    phone_short: "Điện thoại",
    address_short: "Địa chỉ",
    proxy: "Người nộp thay",
    documents_received: "Giấy tờ đã nhận",
    result_where: "Nơi trả kết quả",
    qr_caption: "Quét mã QR để xem tình trạng hồ sơ",
    print_hint: "Muốn in: dùng chức năng In của trình duyệt.",
    next_heading: "Việc tiếp theo",
    next_text: "Cán bộ sẽ kiểm tra hồ sơ trong giờ làm việc. Nếu cần bổ sung giấy tờ, cán bộ sẽ gọi điện cho bạn.",
    receipt_not_found: "Không tìm thấy hồ sơ với mã hồ sơ và khóa tra cứu này. Kiểm tra lại cả hai.",
    lookup_title: "Tra cứu hồ sơ",
    lookup_intro: "Nhập mã hồ sơ và khóa tra cứu in trên giấy tiếp nhận.",
    code_hint: "Ví dụ 000.00.12.H56-250701-0001",
    key_hint: "8 ký tự, ví dụ ABCD-EFGH",
    lookup_button: "Tra cứu",
    nav_lookup: "Tra cứu hồ sơ",
};

pub static FILING_EN: FilingTexts = FilingTexts {
    lang: Lang::En,
    intro: "No account needed. There are 3 steps; each one is saved, so you can carry on if your connection drops.",
    steps_label: "Steps of the application",
    step_applicant: "Applicant",
    step_documents: "Documents",
    step_review: "Check and submit",
    prepare_heading: "What you need",
    prepare_id: "The applicant's mobile number and citizen ID (CCCD) number.",
    start_button: "Start the application",
    documents_of_case: "Documents needed",
    resume_heading: "Started before?",
    resume_title: "Continue an application",
    resume_label: "Resume code",
    resume_hint: "16 characters, e.g. ABCD-EFGH-JKMN-PQRS",
    resume_button: "Continue",
    resume_code_is: "Your resume code",
    draft_expired_title: "This draft has expired",
    draft_expired_text: "This draft was kept past its time limit and has been deleted with its files. Please start again from the procedure's page.",
    draft_missing_title: "Draft not found",
    draft_missing_text: "The resume code is not right. Check it, or start a new application from the procedure's page.",
    draft_submitted_title: "This application has been submitted",
    see_receipt: "See the receipt",
    errors_heading: "Please correct the following",
    case_legend: "Your case",
    full_name: "Full name",
    full_name_hint: "As written on the ID card.",
    phone: "Mobile phone number",
    phone_hint: "For example 0912 345 678. Staff call this number when needed.",
    citizen_id: "Citizen ID number (CCCD)",
    citizen_id_hint: "12 digits.",
    address: "Home address",
    address_hint: "Village, commune, province.",
    email: "Email (optional)",
    on_behalf: "I am filing for someone else",
    on_behalf_hint: "Tick this when filing for a relative. The fields above are then about the person the procedure is for, and these about you.",
    proxy_name: "Your full name",
    proxy_citizen_id: "Your citizen ID number",
    relationship: "Relationship to that person",
    relationship_hint: "For example: son, wife, husband, grandchild.",
    save_continue: "Save and continue",
    back: "Back",
    documents_intro: "Take a photo or choose a file for each document. Required documents need at least one photo or file.",
    required: "Required",
    optional: "Optional",
    choose_files: "Take a photo or choose a file",
    uploaded: "Uploaded",
    remove: "Remove",
    upload_button: "Upload",
    no_documents: "This procedure needs no documents attached.",
    download_form: "Download the form",
    bring_original: "Bring the original to the Center when you collect the result.",
    uploading: "Uploading",
    shrinking: "Making the photo smaller",
    upload_failed: "The upload did not go through. Check your connection and try again.",
    review_intro: "Check everything before you submit. Press \"Change\" to correct something.",
    change: "Change",
    applicant_heading: "Applicant",
    procedure_label: "Procedure",
    case_label: "Case",
    not_uploaded: "No file yet",
    declaration: "I declare that the information and documents above are true.",
    submit_button: "Submit the application",
    receipt_title: "Dossier receipt and appointment slip",
    submitted_banner: "Your application has been sent to the Center.",
    dossier_code: "Dossier code",
    lookup_key: "Lookup key",
    keep_codes: "Keep the dossier code and the lookup key to follow your dossier: take a screenshot or print this page.",
    received_at: "Received",
    appointment: "Result promised for",
    appointment_later: "Staff will give the date when they accept the dossier.",
    appointment_note: "The date counts working days and may change when staff accept the dossier.",
    status: "Status",
    channel: "Filed",
    applicant: "Applicant",
    phone_short: "Phone",
    address_short: "Address",
    proxy: "Filed by",
    documents_received: "Documents received",
    result_where: "Result handed over at",
    qr_caption: "Scan the QR code to see the dossier's status",
    print_hint: "To print: use your browser's Print command.",
    next_heading: "What happens next",
    next_text: "Staff check the dossier during working hours. If a document is missing, they will call you.",
    receipt_not_found: "No dossier was found with this dossier code and lookup key. Check both.",
    lookup_title: "Find your dossier",
    lookup_intro: "Enter the dossier code and the lookup key printed on your receipt.",
    code_hint: "For example 000.00.12.H56-250701-0001",
    key_hint: "8 characters, e.g. ABCD-EFGH",
    lookup_button: "Find",
    nav_lookup: "Find your dossier",
};

impl FilingTexts {
    pub fn problem(&self, problem: Problem) -> &'static str {
        let vi = self.lang == Lang::Vi;
        match (problem, vi) {
            (Problem::Required, true) => "Vui lòng điền mục này.",
            (Problem::Required, false) => "Please fill this in.",
            (Problem::TooLong, true) => "Nội dung quá dài.",
            (Problem::TooLong, false) => "This is too long.",
            (Problem::PhoneMalformed, true) => {
                "Số di động chưa đúng: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09."
            }
            (Problem::PhoneMalformed, false) => {
                "This is not a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09."
            }
            (Problem::CitizenIdMalformed, true) => "Số căn cước chưa đúng: cần đủ 12 chữ số.",
            (Problem::CitizenIdMalformed, false) => "A citizen ID number has 12 digits.",
            (Problem::EmailMalformed, true) => "Thư điện tử chưa đúng, ví dụ ten@gmail.com.",
            (Problem::EmailMalformed, false) => "Enter an email like name@gmail.com.",
            (Problem::TextMalformed, true) => "Có ký tự không dùng được, vui lòng gõ lại.",
            (Problem::TextMalformed, false) => {
                "This has characters that cannot be used; please retype it."
            }
            (Problem::CaseRequired, true) => "Vui lòng chọn trường hợp của bạn.",
            (Problem::CaseRequired, false) => "Please choose your case.",
            (Problem::DocumentRequired, true) => {
                "Giấy tờ này bắt buộc: vui lòng tải lên ít nhất một ảnh hoặc tệp."
            }
            (Problem::DocumentRequired, false) => {
                "This document is required: please upload at least one photo or file."
            }
            (Problem::FileType, true) => {
                "Tệp này không phải ảnh JPG, PNG hay tệp PDF. Vui lòng chọn tệp khác."
            }
            (Problem::FileType, false) => {
                "This file is not a JPG, PNG or PDF. Please choose another."
            }
            (Problem::FileTooLarge, true) => {
                "Tệp quá lớn. Hãy chụp lại ảnh nhỏ hơn hoặc chọn tệp khác."
            }
            (Problem::FileTooLarge, false) => {
                "This file is too large. Take a smaller photo or choose another file."
            }
            (Problem::DossierTooLarge, true) => {
                "Cả hồ sơ vượt dung lượng cho phép. Hãy xóa bớt tệp hoặc dùng ảnh nhỏ hơn."
            }
            (Problem::DossierTooLarge, false) => {
                "The dossier is over its size limit. Remove a file or use smaller photos."
            }
            (Problem::TooManyFiles, true) => {
                "Quá nhiều tệp. Hãy xóa bớt tệp, hoặc gộp nhiều trang vào một tệp PDF."
            }
            (Problem::TooManyFiles, false) => {
                "Too many files. Remove some, or put several pages into one PDF file."
            }
            (Problem::UploadsFull, true) => {
                "Máy chủ tạm thời không nhận thêm tệp: đang giữ quá nhiều hồ sơ làm dở. Vui lòng \
                 nộp hoặc xóa bớt hồ sơ đang làm dở, hoặc thử lại sau."
            }
            (Problem::UploadsFull, false) => {
                "The server cannot take more files for now: it holds too many unfinished \
                 applications. Please submit or clear one, or try again later."
            }
            (Problem::FileUnreadable, true) => "Không nhận được tệp. Vui lòng thử lại.",
            (Problem::FileUnreadable, false) => "The file did not arrive. Please try again.",
            (Problem::NotOnline, true) => {
                "Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp trực tiếp tại Trung tâm."
            }
            (Problem::NotOnline, false) => {
                "This procedure is not taken online yet. Please file it at the Center."
            }
            (Problem::DraftExpired, true) => "Mã tiếp tục không đúng hoặc hồ sơ nháp đã hết hạn.",
            (Problem::DraftExpired, false) => {
                "The resume code is not right, or the draft has expired."
            }
            (Problem::ReasonRequired, true) => "Vui lòng cho biết vì sao bạn chưa hài lòng.",
            (Problem::ReasonRequired, false) => "Please tell us why you are not satisfied.",
            (Problem::DateMalformed, true) => "Ngày chưa đúng, ví dụ 25/12/2026.",
            (Problem::DateMalformed, false) => "This is not a date; write it like 25/12/2026.",
            (Problem::DateNotAfterToday, true) => "Vui lòng chọn một ngày sau hôm nay.",
            (Problem::DateNotAfterToday, false) => "Please choose a day after today.",
            (Problem::AmountMalformed, true) => "Số tiền chưa đúng, ví dụ 50.000.",
            (Problem::AmountMalformed, false) => "This is not an amount; write it like 50.000.",
            (Problem::UsernameMalformed, true) => {
                "Tên đăng nhập gồm 3–40 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới."
            }
            (Problem::UsernameMalformed, false) => {
                "A username has 3–40 lower-case letters without accents, digits, dots, hyphens or underscores."
            }
            (Problem::UsernameTaken, true) => "Tên đăng nhập này đã có người dùng.",
            (Problem::UsernameTaken, false) => "This username is taken.",
            (Problem::PasswordTooShort, true) => "Mật khẩu cần ít nhất 10 ký tự.",
            (Problem::PasswordTooShort, false) => "A password needs at least 10 characters.",
            (Problem::PasswordIsUsername, true) => "Mật khẩu không được trùng tên đăng nhập.",
            (Problem::PasswordIsUsername, false) => "The password cannot be the username.",
            (Problem::StatusChanged, true) => {
                "Hồ sơ vừa chuyển sang tình trạng khác nên không làm được việc này. Vui lòng xem lại."
            }
            (Problem::StatusChanged, false) => {
                "The dossier has just moved to another status, so this cannot be done. Please check it again."
            }
        }
    }

    /// The national status names (DESIGN.md §2) in plain words.
    pub fn status_name(&self, status: Status) -> &'static str {
        let vi = self.lang == Lang::Vi;
        match (status, vi) {
            (Status::Submitted, true) => "Mới đăng ký, chờ cán bộ kiểm tra",
            (Status::Submitted, false) => "Submitted, waiting for staff to check it",
            (Status::Accepted, true) => "Đã tiếp nhận",
            (Status::Accepted, false) => "Accepted",
            (Status::Refused, true) => "Không được tiếp nhận",
            (Status::Refused, false) => "Not accepted",
            (Status::Processing, true) => "Đang xử lý",
            (Status::Processing, false) => "Being processed",
            (Status::SupplementRequested, true) => "Cần bổ sung giấy tờ",
            (Status::SupplementRequested, false) => "Documents to add",
            (Status::FeeRequested, true) => "Cần nộp phí, lệ phí",
            (Status::FeeRequested, false) => "Fee to pay",
            (Status::Withdrawn, true) => "Đã rút hồ sơ",
            (Status::Withdrawn, false) => "Withdrawn",
            (Status::Stopped, true) => "Dừng xử lý",
            (Status::Stopped, false) => "Processing stopped",
            (Status::ResultReady, true) => "Đã có kết quả, chờ nhận",
            (Status::ResultReady, false) => "Result ready to collect",
            (Status::HandedOver, true) => "Đã trả kết quả",
            (Status::HandedOver, false) => "Result handed over",
        }
    }

    /// "Nhận ảnh JPG, PNG và tệp PDF. Mỗi tệp tối đa 10 MB; cả hồ sơ tối đa 30 MB, 40 tệp."
    pub fn limits_note(&self, limits: UploadLimits) -> String {
        let (file, dossier) = (megabytes(limits.per_file), megabytes(limits.per_dossier));
        let (per_document, files) = (limits.files_per_document, limits.files_per_dossier);
        if self.lang == Lang::Vi {
            format!(
                "Nhận ảnh JPG, PNG và tệp PDF. Mỗi tệp tối đa {file} MB; mỗi giấy tờ tối đa \
                 {per_document} tệp; cả hồ sơ tối đa {dossier} MB, {files} tệp."
            )
        } else {
            format!(
                "JPG and PNG photos and PDF files are accepted, up to {file} MB each, \
                 {per_document} files per document, and {dossier} MB and {files} files in all."
            )
        }
    }

    pub fn draft_kept(&self, days: u32) -> String {
        if self.lang == Lang::Vi {
            format!("Hồ sơ đang làm dở được giữ {days} ngày kể từ lần lưu cuối.")
        } else {
            format!("An unfinished application is kept for {days} days after it was last saved.")
        }
    }

    pub fn resume_note(&self, until: &str) -> String {
        if self.lang == Lang::Vi {
            format!(
                "Ghi lại mã này (hoặc lưu địa chỉ trang) để làm tiếp, kể cả trên máy khác. Hồ sơ nháp được giữ đến hết ngày {until}."
            )
        } else {
            format!(
                "Write this code down (or keep this page's address) to carry on later, even on another device. The draft is kept until {until}."
            )
        }
    }

    pub fn step_of(&self, step: usize, name: &str) -> String {
        if self.lang == Lang::Vi {
            format!("Bước {step}/3: {name}")
        } else {
            format!("Step {step} of 3: {name}")
        }
    }

    pub fn files_count(&self, count: usize) -> String {
        super::counted(
            self.lang,
            count as i64,
            if self.lang == Lang::Vi {
                "tệp"
            } else {
                "file"
            },
            "files",
        )
    }
}

fn megabytes(bytes: u64) -> String {
    super::format_decimal((bytes as f64 / (1024.0 * 1024.0) * 10.0).round() / 10.0)
}

/// A file size for people: "850 KB", "1,2 MB".
pub fn file_size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{} MB", megabytes(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_limits_read_naturally() {
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(870_000), "850 KB");
        assert_eq!(file_size(1_258_291), "1,2 MB");
        assert_eq!(
            FILING_VI.limits_note(UploadLimits::default()),
            "Nhận ảnh JPG, PNG và tệp PDF. Mỗi tệp tối đa 10 MB; mỗi giấy tờ tối đa 10 tệp; \
             cả hồ sơ tối đa 30 MB, 40 tệp."
        );
    }

    #[test]
    fn every_problem_and_status_has_words_in_both_languages() {
        use strum::VariantArray;
        assert_eq!(Problem::VARIANTS.len(), 25);
        for problem in Problem::VARIANTS {
            let (vi, en) = (FILING_VI.problem(*problem), FILING_EN.problem(*problem));
            assert!(!vi.is_empty() && !en.is_empty(), "{problem:?}");
            assert_ne!(vi, en, "{problem:?}");
        }
        for status in Status::ALL {
            assert_ne!(FILING_VI.status_name(status), FILING_EN.status_name(status));
        }
    }
}
