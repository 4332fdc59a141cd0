//! The words of the statistics page, its CSV and the Decision 766 summary.

use super::Lang;
use crate::domain::statistics::{Figure, PeriodKind};

pub struct StatsTexts {
    pub lang: Lang,
    pub statistics: &'static str,
    pub live_figures_dossiers_center: &'static str,
    pub period: &'static str,
    pub every_figure_about_dossiers: &'static str,
    pub received_channel: &'static str,
    pub dossiers_channel: &'static str,
    pub received_digitised: &'static str,
    pub outcomes: &'static str,
    pub dossiers_outcome: &'static str,
    pub resolution: &'static str,
    pub procedure: &'static str,
    pub resolved_received_10_busiest: &'static str,
    pub dossiers_procedure: &'static str,
    pub procedure_column: &'static str,
    pub resolved_received: &'static str,
    pub time: &'static str,
    pub satisfaction: &'static str,
    pub citizens_ratings_each_item: &'static str,
    pub download: &'static str,
    pub period_kind_label: &'static str,
    pub year: &'static str,
    pub month: &'static str,
    pub quarter: &'static str,
    pub from_date_range: &'static str,
    pub to_date: &'static str,
    pub show: &'static str,
    pub decision_766_q_ttg: &'static str,
    pub groups_our_data_can: &'static str,
    pub indicators_formulas: &'static str,
    pub group: &'static str,
    pub formula: &'static str,
    pub value: &'static str,
    pub progress_results: &'static str,
    pub early_time_resolved_100: &'static str,
    pub digitisation: &'static str,
    pub digitised_received_100: &'static str,
    pub online_provision: &'static str,
    pub filed_online_received_100: &'static str,
    pub satisfied_forms_100_points: &'static str,
    pub csv_figure: &'static str,
    pub csv_value: &'static str,
    pub csv_from: &'static str,
    pub csv_procedure_code: &'static str,
    pub csv_received: &'static str,
    pub csv_resolved: &'static str,
}

pub static STATS_VI: StatsTexts = StatsTexts {
    lang: Lang::Vi,
    statistics: "Thống kê",
    live_figures_dossiers_center: "Số liệu tiếp nhận và giải quyết hồ sơ của Trung tâm, cập nhật trực tiếp.",
    period: "Kỳ báo cáo",
    every_figure_about_dossiers: "Mọi số liệu tính trên hồ sơ tiếp nhận trong kỳ, cập nhật đến thời điểm xem. Đúng hạn: có kết quả không muộn hơn ngày hẹn (cộng số ngày chờ người dân bổ sung hoặc nộp phí).",
    received_channel: "Tiếp nhận theo kênh",
    dossiers_channel: "Số hồ sơ theo kênh nộp",
    received_digitised: "Tiếp nhận và số hóa",
    outcomes: "Kết quả giải quyết",
    dossiers_outcome: "Hồ sơ theo kết quả",
    resolution: "Giải quyết hồ sơ",
    procedure: "Theo thủ tục",
    resolved_received_10_busiest: "Đã giải quyết trên số tiếp nhận, 10 thủ tục nhiều hồ sơ nhất",
    dossiers_procedure: "Hồ sơ theo thủ tục",
    procedure_column: "Thủ tục",
    resolved_received: "Đã giải quyết / tiếp nhận",
    time: "Đúng hạn",
    satisfaction: "Mức độ hài lòng",
    citizens_ratings_each_item: "Đánh giá của người dân (điểm mỗi mục: 2, 1 hoặc 0)",
    download: "Tải số liệu: ",
    period_kind_label: "Loại kỳ",
    year: "Năm",
    month: "Tháng",
    quarter: "Quý",
    from_date_range: "Từ ngày (khoảng ngày)",
    to_date: "Đến ngày",
    show: "Xem",
    decision_766_q_ttg: "Theo Quyết định 766/QĐ-TTg",
    groups_our_data_can: "Các nhóm chỉ số đo được từ dữ liệu của Trung tâm; nhóm công khai, minh bạch và thanh toán trực tuyến cần số liệu khác nên không tính ở đây.",
    indicators_formulas: "Chỉ số và công thức",
    group: "Nhóm",
    formula: "Công thức",
    value: "Kết quả",
    progress_results: "Tiến độ, kết quả giải quyết",
    early_time_resolved_100: "(trước hạn + đúng hạn) ÷ đã giải quyết × 100",
    digitisation: "Số hóa hồ sơ",
    digitised_received_100: "hồ sơ được số hóa ÷ hồ sơ tiếp nhận × 100",
    online_provision: "Cung cấp dịch vụ trực tuyến",
    filed_online_received_100: "hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận × 100",
    satisfied_forms_100_points: "phiếu hài lòng ÷ số phiếu × 100; điểm = tỉ lệ × 18 ÷ 100",
    csv_figure: "Chỉ tiêu",
    csv_value: "Giá trị",
    csv_from: "Từ ngày",
    csv_procedure_code: "Mã thủ tục",
    csv_received: "Tiếp nhận",
    csv_resolved: "Đã giải quyết",
};
pub static STATS_EN: StatsTexts = StatsTexts {
    lang: Lang::En,
    statistics: "Statistics",
    live_figures_dossiers_center: "Live figures on the dossiers the Center received and resolved.",
    period: "Period",
    every_figure_about_dossiers: "Every figure is about the dossiers received in the period, as of now. In time: the result was ready no later than the due date (plus the days spent waiting on the citizen).",
    received_channel: "Received by channel",
    dossiers_channel: "Dossiers by channel",
    received_digitised: "Received and digitised",
    outcomes: "Outcomes",
    dossiers_outcome: "Dossiers by outcome",
    resolution: "Resolution",
    procedure: "By procedure",
    resolved_received_10_busiest: "Resolved of received, the 10 busiest procedures",
    dossiers_procedure: "Dossiers by procedure",
    procedure_column: "Procedure",
    resolved_received: "Resolved / received",
    time: "In time",
    satisfaction: "Satisfaction",
    citizens_ratings_each_item: "Citizens' ratings (each item scores 2, 1 or 0)",
    download: "Download: ",
    period_kind_label: "Period",
    year: "Year",
    month: "Month",
    quarter: "Quarter",
    from_date_range: "From (date range)",
    to_date: "To",
    show: "Show",
    decision_766_q_ttg: "Decision 766/QĐ-TTg groups",
    groups_our_data_can: "The groups our data can measure; publicity and online payment need other data and are left out.",
    indicators_formulas: "Indicators and formulas",
    group: "Group",
    formula: "Formula",
    value: "Value",
    progress_results: "Progress and results",
    early_time_resolved_100: "(early + on time) ÷ resolved × 100",
    digitisation: "Digitisation",
    digitised_received_100: "digitised ÷ received × 100",
    online_provision: "Online provision",
    filed_online_received_100: "filed online ÷ received × 100",
    satisfied_forms_100_points: "satisfied ÷ forms × 100; points = rate × 18 ÷ 100",
    csv_figure: "Figure",
    csv_value: "Value",
    csv_from: "From",
    csv_procedure_code: "Procedure code",
    csv_received: "Received",
    csv_resolved: "Resolved",
};

impl StatsTexts {
    /// Vietnamese and English side by side where they are used.
    fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn period_kind(&self, kind: PeriodKind) -> &'static str {
        match kind {
            PeriodKind::Month => self.pick("Tháng", "Month"),
            PeriodKind::Quarter => self.pick("Quý", "Quarter"),
            PeriodKind::Year => self.pick("Năm", "Year"),
            PeriodKind::Custom => self.pick("Khoảng ngày", "Date range"),
        }
    }

    /// The label of a figure.
    pub fn figure(&self, figure: Figure) -> &'static str {
        match figure {
            Figure::Received => self.pick("Hồ sơ tiếp nhận", "Dossiers received"),
            Figure::Counter => self.pick("Nộp trực tiếp tại quầy", "At the counter"),
            Figure::Online => self.pick("Nộp trực tuyến", "Online"),
            Figure::Postal => self.pick("Nộp qua bưu chính", "By post"),
            Figure::OnlineShare => self.pick("Tỉ lệ nộp trực tuyến (%)", "Online share (%)"),
            Figure::Digitised => self.pick("Hồ sơ được số hóa", "Dossiers digitised"),
            Figure::DigitisedShare => self.pick("Tỉ lệ số hóa (%)", "Share digitised (%)"),
            Figure::Resolved => self.pick("Đã giải quyết", "Resolved"),
            Figure::Early => self.pick("Giải quyết trước hạn", "Resolved early"),
            Figure::OnTime => self.pick("Giải quyết đúng hạn", "Resolved on the due date"),
            Figure::Late => self.pick("Giải quyết quá hạn", "Resolved late"),
            Figure::InTimeRate => self.pick("Tỉ lệ đúng hạn (%)", "Resolved in time (%)"),
            Figure::InProgress => self.pick("Đang giải quyết", "In progress"),
            Figure::InProgressOnTime => {
                self.pick("Đang giải quyết, còn hạn", "In progress, on time")
            }
            Figure::InProgressOverdue => {
                self.pick("Đang giải quyết, quá hạn", "In progress, overdue")
            }
            Figure::Withdrawn => self.pick("Người dân rút hồ sơ", "Withdrawn"),
            Figure::Refused => self.pick("Không tiếp nhận", "Refused"),
            Figure::Stopped => self.pick("Dừng xử lý", "Stopped"),
            Figure::Ratings => self.pick("Số phiếu đánh giá", "Ratings"),
            Figure::Satisfied => self.pick("Phiếu hài lòng", "Satisfied"),
            Figure::SatisfactionRate => self.pick("Tỉ lệ hài lòng (%)", "Satisfaction (%)"),
            Figure::SatisfactionPoints => self.pick(
                "Điểm nhóm hài lòng (trên 18)",
                "Satisfaction points (of 18)",
            ),
            Figure::AverageOverall => self.pick(
                "Điểm TB: mức độ hài lòng chung",
                "Average: overall satisfaction",
            ),
            Figure::AverageCounterVisits => self.pick(
                "Điểm TB: số lần phải đến quầy",
                "Average: visits to the counter",
            ),
            Figure::AverageAgenciesContacted => self.pick(
                "Điểm TB: số cơ quan phải liên hệ",
                "Average: agencies contacted",
            ),
            Figure::AverageStaffAttitude => {
                self.pick("Điểm TB: thái độ cán bộ", "Average: staff attitude")
            }
            Figure::AverageOnlineEase => self.pick(
                "Điểm TB: dễ dùng dịch vụ trực tuyến",
                "Average: ease of the online service",
            ),
        }
    }
}
