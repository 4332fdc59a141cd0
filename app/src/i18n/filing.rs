//! The words of online filing, the receipt and the lookup page.

use super::{FilingTexts, Lang};
use crate::domain::feedback::Problem;
use crate::domain::filing::{ResultDelivery, UploadLimits};
use crate::domain::lifecycle::Status;

impl FilingTexts {
    pub fn problem(&self, problem: Problem) -> &'static str {
        let words = self.problems;
        match problem {
            Problem::Required => words.required,
            Problem::TooLong => words.too_long,
            Problem::PhoneMalformed => words.phone_malformed,
            Problem::CitizenIdMalformed => words.citizen_id_malformed,
            Problem::EmailMalformed => words.email_malformed,
            Problem::TextMalformed => words.text_malformed,
            Problem::CaseRequired => words.case_required,
            Problem::NotifyNeedsEmail => words.notify_needs_email,
            Problem::NotifyNeedsPhone => words.notify_needs_phone,
            Problem::NotifyUnavailable => words.notify_unavailable,
            Problem::DocumentRequired => words.document_required,
            Problem::FileType => words.file_type,
            Problem::FileTooLarge => words.file_too_large,
            Problem::DossierTooLarge => words.dossier_too_large,
            Problem::TooManyFiles => words.too_many_files,
            Problem::UploadsFull => words.uploads_full,
            Problem::FileUnreadable => words.file_unreadable,
            Problem::NotOnline => words.not_online,
            Problem::DraftExpired => words.draft_expired,
            Problem::ReasonRequired => words.reason_required,
            Problem::DateMalformed => words.date_malformed,
            Problem::DateNotAfterToday => words.date_not_after_today,
            Problem::DateNotAfterDue => words.date_not_after_due,
            Problem::ApologyTooEarly => words.apology_too_early,
            Problem::ApologyAlreadyGiven => words.apology_already_given,
            Problem::AmountMalformed => words.amount_malformed,
            Problem::UsernameMalformed => words.username_malformed,
            Problem::UsernameTaken => words.username_taken,
            Problem::PasswordTooShort => words.password_too_short,
            Problem::PasswordIsUsername => words.password_is_username,
            Problem::StatusChanged => words.status_changed,
            Problem::ChooseColleague => words.choose_colleague,
            Problem::NotAColleague => words.not_a_colleague,
            Problem::DateInFuture => words.date_in_future,
            Problem::UnderAge => words.under_age,
            Problem::YearMalformed => words.year_malformed,
            Problem::CountMalformed => words.count_malformed,
            Problem::DeclarationMissing => words.declaration_missing,
            Problem::ScanMissing => words.scan_missing,
            Problem::PaperRequired => words.paper_required,
            Problem::UnknownPlaceholder => words.unknown_placeholder,
            Problem::AgencyMalformed => words.agency_malformed,
            Problem::SlugMalformed => words.slug_malformed,
            Problem::AgencyTaken => words.agency_taken,
            Problem::SlugTaken => words.slug_taken,
            Problem::NotReceivedHere => words.not_received_here,
            Problem::CheckRequired => words.check_required,
            Problem::SigningUnavailable => words.signing_unavailable,
            Problem::CopyNumberMalformed => words.copy_number_malformed,
            Problem::VerificationCodeMalformed => words.verification_code_malformed,
            Problem::CopyNotFound => words.copy_not_found,
            Problem::CopyAnnulled => words.copy_annulled,
            Problem::CopyNotSigned => words.copy_not_signed,
            Problem::TooManyTries => words.too_many_tries,
        }
    }

    /// How a paper received at the counter is listed: on paper, and scanned when it was.
    pub fn paper_received(&self, scanned: bool) -> &'static str {
        if scanned {
            self.on_paper_scanned
        } else {
            self.on_paper
        }
    }

    pub fn result_delivery(&self, delivery: ResultDelivery) -> &'static str {
        let words = self.result_deliveries;
        match delivery {
            ResultDelivery::AtCenter => words.at_center,
            ResultDelivery::ByPost => words.by_post,
            ResultDelivery::Online => words.online,
        }
    }

    pub fn notify_channel(&self, channel: crate::domain::notifications::Channel) -> &'static str {
        use crate::domain::notifications::Channel;
        let words = self.notify_channels;
        match channel {
            Channel::None => words.none,
            Channel::Email => words.email,
            Channel::Sms => words.sms,
            Channel::Zalo => words.zalo,
            Channel::WebPush => words.web_push,
        }
    }

    /// The national status names (DESIGN.md §2) in plain words.
    pub fn status_name(&self, status: Status) -> &'static str {
        by_status!(self.statuses, status)
    }

    /// "Nhận ảnh JPG, PNG và tệp PDF. Mỗi tệp tối đa 10 MB; cả hồ sơ tối đa 30 MB, 40 tệp."
    pub fn upload_limits(&self, limits: UploadLimits) -> String {
        self.limits_note(
            megabytes(limits.per_dossier),
            megabytes(limits.per_file),
            limits.files_per_dossier,
            limits.files_per_document,
        )
    }
}

/// Megabytes to one decimal.
fn megabytes(bytes: u64) -> f64 {
    (bytes as f64 / (1024.0 * 1024.0) * 10.0).round() / 10.0
}

/// A file size for people: "850 KB", "1,2 MB" / "1.2 MB".
pub fn file_size(lang: Lang, bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", lang.number(bytes.div_ceil(1024)))
    } else {
        format!("{} MB", lang.number(megabytes(bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{FILING_EN, FILING_VI};

    #[test]
    fn sizes_and_limits_read_naturally() {
        assert_eq!(file_size(Lang::Vi, 1), "1 KB");
        assert_eq!(file_size(Lang::Vi, 870_000), "850 KB");
        assert_eq!(file_size(Lang::Vi, 1_258_291), "1,2 MB");
        assert_eq!(file_size(Lang::En, 1_258_291), "1.2 MB");
        assert_eq!(
            FILING_VI.upload_limits(UploadLimits::default()),
            "Nhận ảnh JPG, PNG và tệp PDF. Mỗi tệp tối đa 10 MB; mỗi giấy tờ tối đa 10 tệp; \
             cả hồ sơ tối đa 30 MB, 40 tệp."
        );
    }

    #[test]
    fn every_problem_and_status_has_words_in_both_languages() {
        use strum::VariantArray;
        assert_eq!(Problem::VARIANTS.len(), 54);
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
