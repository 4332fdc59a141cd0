//! The words of the forms of Circular 03/2025 that depend on which form it is.

use super::PapersTexts;
use crate::domain::papers::PaperKind;

impl PapersTexts {
    /// The form's title as it prints ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ").
    pub fn title(&self, kind: PaperKind) -> &'static str {
        match kind {
            PaperKind::SupplementRequest => self.supplement_title,
            PaperKind::Refusal => self.refusal_title,
            PaperKind::Apology => self.apology_title,
            PaperKind::StopNotice => self.stop_title,
        }
    }

    /// The form as its link reads: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu số 02)".
    pub fn link(&self, kind: PaperKind) -> String {
        format!(
            "{} ({})",
            sentence_case(self.title(kind)),
            self.form_label(kind.form())
        )
    }
}

/// "PHIẾU YÊU CẦU…" as "Phiếu yêu cầu…".
fn sentence_case(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::sentence_case;
    use crate::domain::papers::PaperKind;
    use crate::i18n::Lang;

    #[test]
    fn titles_read_as_sentences_in_links() {
        assert_eq!(
            sentence_case("PHIẾU TỪ CHỐI TIẾP NHẬN"),
            "Phiếu từ chối tiếp nhận"
        );
        assert_eq!(sentence_case(""), "");
        assert_eq!(
            Lang::Vi.texts().papers.link(PaperKind::Apology),
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Mẫu số 04)"
        );
    }
}
