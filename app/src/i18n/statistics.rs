//! The words of the statistics page, its CSV and the Decision 766 summary.

use super::Lang;
use crate::domain::statistics::PeriodKind;

pub struct StatsTexts {
    pub lang: Lang,
}

pub static STATS_VI: StatsTexts = StatsTexts { lang: Lang::Vi };
pub static STATS_EN: StatsTexts = StatsTexts { lang: Lang::En };

impl StatsTexts {
    /// Vietnamese and English side by side where they are used.
    pub fn pick(&self, vi: &'static str, en: &'static str) -> &'static str {
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

    /// The label of a figure of `domain::statistics::FIGURES`.
    pub fn figure(&self, key: &str) -> &'static str {
        match key {
            "tiep-nhan" => self.pick("Hồ sơ tiếp nhận", "Dossiers received"),
            "truc-tiep" => self.pick("Nộp trực tiếp tại quầy", "At the counter"),
            "truc-tuyen" => self.pick("Nộp trực tuyến", "Online"),
            "buu-chinh" => self.pick("Nộp qua bưu chính", "By post"),
            "ti-le-truc-tuyen" => self.pick("Tỉ lệ nộp trực tuyến (%)", "Online share (%)"),
            "so-hoa" => self.pick("Hồ sơ được số hóa", "Dossiers digitised"),
            "ti-le-so-hoa" => self.pick("Tỉ lệ số hóa (%)", "Share digitised (%)"),
            "da-giai-quyet" => self.pick("Đã giải quyết", "Resolved"),
            "truoc-han" => self.pick("Giải quyết trước hạn", "Resolved early"),
            "dung-han" => self.pick("Giải quyết đúng hạn", "Resolved on the due date"),
            "qua-han" => self.pick("Giải quyết quá hạn", "Resolved late"),
            "ti-le-dung-han" => self.pick("Tỉ lệ đúng hạn (%)", "Resolved in time (%)"),
            "dang-giai-quyet" => self.pick("Đang giải quyết", "In progress"),
            "dang-giai-quyet-trong-han" => {
                self.pick("Đang giải quyết, còn hạn", "In progress, on time")
            }
            "dang-giai-quyet-qua-han" => {
                self.pick("Đang giải quyết, quá hạn", "In progress, overdue")
            }
            "rut" => self.pick("Người dân rút hồ sơ", "Withdrawn"),
            "khong-tiep-nhan" => self.pick("Không tiếp nhận", "Refused"),
            "dung-xu-ly" => self.pick("Dừng xử lý", "Stopped"),
            "phieu-danh-gia" => self.pick("Số phiếu đánh giá", "Ratings"),
            "hai-long" => self.pick("Phiếu hài lòng", "Satisfied"),
            "ti-le-hai-long" => self.pick("Tỉ lệ hài lòng (%)", "Satisfaction (%)"),
            "diem-hai-long-766" => self.pick(
                "Điểm nhóm hài lòng (trên 18)",
                "Satisfaction points (of 18)",
            ),
            "diem-tb-chung" => self.pick(
                "Điểm TB: mức độ hài lòng chung",
                "Average: overall satisfaction",
            ),
            "diem-tb-so-lan-den" => self.pick(
                "Điểm TB: số lần phải đến quầy",
                "Average: visits to the counter",
            ),
            "diem-tb-so-co-quan" => self.pick(
                "Điểm TB: số cơ quan phải liên hệ",
                "Average: agencies contacted",
            ),
            "diem-tb-thai-do" => self.pick("Điểm TB: thái độ cán bộ", "Average: staff attitude"),
            "diem-tb-truc-tuyen" => self.pick(
                "Điểm TB: dễ dùng dịch vụ trực tuyến",
                "Average: ease of the online service",
            ),
            _ => "",
        }
    }
}
