//! Electronic certified copies from paper originals (chứng thực bản sao điện tử từ bản chính):
//! the register number, the fee, the clerk's checks of the original and the words of the
//! certification. The legal basis, and what is still unconfirmed, is in docs/certified-copies.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::Date;
use super::dossier::{CitizenId, Invalid};
use super::feedback::{FormFeedback, Problem, text};

/// The catalogue's procedure "Chứng thực bản sao từ bản chính…" (Decision 3152/QĐ-BTP).
pub const PROCEDURE_CODE: &str = "2.000815";

/// The type code of the register of copies (ND 23/2015 Art. 13(4)).
pub const REGISTER_CODE: &str = "SCT/BS";

/// The electronic register keeps one book a year (ND 23/2015 Art. 13(3): a computer register
/// is merged into one book a year); the number restarts at 1 each year (Art. 13(2)).
pub const BOOK: u32 = 1;

/// Most pages one original may have here: a longer one is certified in parts.
pub const MAX_PAGES: usize = 40;

/// Most copies printed on paper besides the electronic one.
pub const MAX_COPIES: u32 = 20;

/// Fee per copy (Circular 226/2016/TT-BTC Art. 4): 2,000 đồng for each of the first two pages,
/// 1,000 from the third, at most 200,000; pages counted on the original.
pub const FIRST_PAGES_FEE: i64 = 2_000;
pub const LATER_PAGES_FEE: i64 = 1_000;
pub const FEE_CAP: i64 = 200_000;

/// A number in the register: `serial` within `year`'s book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterNumber {
    pub year: i32,
    pub book: u32,
    pub serial: u32,
}

impl RegisterNumber {
    /// The book, as written after the number: `01/2026-SCT/BS`.
    pub fn book_label(&self) -> String {
        format!("{:02}/{}-{REGISTER_CODE}", self.book, self.year)
    }

    /// The whole number as printed on the copy: `Số 15, quyển số 01/2026-SCT/BS`.
    pub fn printed(&self) -> String {
        format!("Số {}, quyển số {}", self.serial, self.book_label())
    }

    /// The number as a citizen types it later to reuse the copy: `15/2026-SCT/BS` or just
    /// `15/2026`.
    pub fn short(&self) -> String {
        format!("{}/{}", self.serial, self.year)
    }
}

/// The fee for `copies` certified copies of an original of `pages` pages.
pub fn fee_dong(pages: u32, copies: u32) -> i64 {
    let pages = i64::from(pages);
    let per_copy =
        (FIRST_PAGES_FEE * pages.min(2) + LATER_PAGES_FEE * (pages - 2).max(0)).min(FEE_CAP);
    per_copy * i64::from(copies)
}

/// What the clerk checks on the original before certifying (ND 23/2015 Art. 22, the cases in
/// which a copy must not be certified; TT 01/2020 Arts. 10–11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray, Serialize, Deserialize)]
pub enum OriginalCheck {
    /// Issued or certified by a competent authority (not made by the person alone).
    IssuedByAuthority,
    /// No erasures, corrections, additions or removals.
    Unaltered,
    /// Not torn or worn so that its content cannot be read.
    Legible,
    /// Not marked secret or "not to be copied".
    NotRestricted,
    /// Its content is lawful and not against social morals.
    LawfulContent,
    /// Issued abroad: legalised by a consulate, or exempt (or not a foreign paper).
    ForeignLegalised,
    /// The scan has every page that carries information, readable, in order.
    EveryPageScanned,
}

impl OriginalCheck {
    pub fn field(self) -> &'static str {
        match self {
            OriginalCheck::IssuedByAuthority => "kiem-tra-co-quan-cap",
            OriginalCheck::Unaltered => "kiem-tra-khong-sua",
            OriginalCheck::Legible => "kiem-tra-doc-duoc",
            OriginalCheck::NotRestricted => "kiem-tra-khong-mat",
            OriginalCheck::LawfulContent => "kiem-tra-noi-dung",
            OriginalCheck::ForeignLegalised => "kiem-tra-hop-phap-hoa",
            OriginalCheck::EveryPageScanned => "kiem-tra-du-trang",
        }
    }
}

/// Form field names of the counter's certification form.
pub mod field {
    pub const DOCUMENT: &str = "giay-to";
    pub const APPLICANT: &str = "ho-ten";
    pub const APPLICANT_ID: &str = "so-dinh-danh";
    pub const COPIES: &str = "so-ban-giay";
    pub const PAGES: &str = "trang";
    /// The annulment form: which copy (its token), and why.
    pub const COPY: &str = "ban-sao";
    pub const REASON: &str = "ly-do-huy";
}

/// Longest reason for an annulment.
const REASON_MAX: usize = 500;

/// The reason an annulment gives, checked: required, at most 500 characters.
pub fn annulment_reason(typed: &str) -> Result<String, Problem> {
    text(typed, REASON_MAX, true)
}

/// Longest name of a document.
const DOCUMENT_MAX: usize = 200;
/// Longest name of a person.
const NAME_MAX: usize = 100;

/// A certification the clerk asked for, checked: the scans are counted by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertification {
    pub document: String,
    pub applicant: String,
    pub applicant_id: String,
    /// Paper copies printed besides the electronic one (0: the electronic copy alone).
    pub paper_copies: u32,
    pub pages: u32,
}

impl NewCertification {
    /// Reads the form; `scans` is the number of page scans that came with it, or what was wrong
    /// with them. Every check of the original must be ticked.
    pub fn from_form(
        values: &BTreeMap<String, String>,
        scans: Result<usize, Problem>,
    ) -> Result<NewCertification, FormFeedback> {
        let mut problems = BTreeMap::new();
        let value = |name: &str| values.get(name).map(|text| text.trim()).unwrap_or_default();
        let document = text(value(field::DOCUMENT), DOCUMENT_MAX, true)
            .map_err(|problem| problems.insert(field::DOCUMENT.to_owned(), problem))
            .ok();
        let applicant = text(value(field::APPLICANT), NAME_MAX, true)
            .map_err(|problem| problems.insert(field::APPLICANT.to_owned(), problem))
            .ok();
        let applicant_id = CitizenId::parse(value(field::APPLICANT_ID))
            .map(|id| id.as_str().to_owned())
            .map_err(|invalid| {
                let problem = match invalid {
                    Invalid::Empty => Problem::Required,
                    Invalid::Malformed => Problem::CitizenIdMalformed,
                };
                problems.insert(field::APPLICANT_ID.to_owned(), problem)
            })
            .ok();
        let copies_text = value(field::COPIES);
        let paper_copies = if copies_text.is_empty() {
            Some(0)
        } else {
            copies_text
                .parse::<u32>()
                .ok()
                .filter(|copies| *copies <= MAX_COPIES)
        };
        if paper_copies.is_none() {
            problems.insert(field::COPIES.to_owned(), Problem::CountMalformed);
        }
        let pages = match scans {
            Ok(0) => Err(Problem::DocumentRequired),
            Ok(pages) if pages > MAX_PAGES => Err(Problem::TooManyFiles),
            other => other,
        };
        let pages = pages
            .map_err(|problem| problems.insert(field::PAGES.to_owned(), problem))
            .unwrap_or_default();
        for check in <OriginalCheck as strum::VariantArray>::VARIANTS {
            if value(check.field()).is_empty() {
                problems.insert(check.field().to_owned(), Problem::CheckRequired);
            }
        }
        match (document, applicant, applicant_id, paper_copies) {
            (Some(document), Some(applicant), Some(applicant_id), Some(paper_copies))
                if problems.is_empty() =>
            {
                Ok(NewCertification {
                    document,
                    applicant,
                    applicant_id,
                    paper_copies,
                    pages: u32::try_from(pages).unwrap_or(u32::MAX),
                })
            }
            _ => Err(FormFeedback {
                values: values
                    .iter()
                    .filter(|(name, _)| name.as_str() != super::back_office::action_field::CSRF)
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
                problems,
            }),
        }
    }

    /// The fee: the electronic copy and each paper copy are one copy each.
    pub fn fee_dong(&self) -> i64 {
        fee_dong(self.pages, self.paper_copies + 1)
    }
}

/// A line of the register (sổ chứng thực), as staff read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    /// The verification page's token.
    pub token: String,
    pub agency: String,
    pub number: RegisterNumber,
    pub certified_at: i64,
    pub document: String,
    pub pages: u32,
    pub paper_copies: u32,
    pub fee_dong: i64,
    pub applicant_name: String,
    pub applicant_id: String,
    pub officer_name: String,
    pub dossier_code: String,
    /// The signed copy, once signed.
    pub signed: Option<SignedCopy>,
    pub annulled: Option<Annulment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCopy {
    pub stored_name: String,
    /// SHA-256 of the whole signed PDF, lower-case hex.
    pub sha256: String,
    pub size_bytes: u64,
    pub signed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annulment {
    pub at: i64,
    pub reason: String,
}

/// What the public verification page shows of an entry: the register's facts and the copy's
/// fingerprint, never who asked for it (TT 01/2020 Art. 7 posts annulled copies publicly; the
/// applicant's name and number stay in the register).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEntry {
    pub number: RegisterNumber,
    pub certified_at: i64,
    pub document: String,
    pub pages: u32,
    pub officer_name: String,
    pub center_name: String,
    /// SHA-256 of the signed copy (hex), once signed.
    pub sha256: Option<String>,
    pub signed_at: Option<i64>,
    pub annulled: Option<Annulment>,
}

impl RegisterEntry {
    pub fn public(&self, center_name: &str) -> PublicEntry {
        PublicEntry {
            number: self.number,
            certified_at: self.certified_at,
            document: self.document.clone(),
            pages: self.pages,
            officer_name: self.officer_name.clone(),
            center_name: center_name.to_owned(),
            sha256: self.signed.as_ref().map(|copy| copy.sha256.clone()),
            signed_at: self.signed.as_ref().map(|copy| copy.signed_at),
            annulled: self.annulled.clone(),
        }
    }
}

/// A check of a copy's signature, as the verification page reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureCheck {
    /// Unchanged since signing; the signer's certificate leads to a trusted root.
    Valid,
    /// Unchanged, but signed by a certificate we do not trust (or not valid then).
    Untrusted,
    /// Changed after signing.
    Modified,
    /// Not a signed PDF.
    NotSigned,
}

/// A stored file checked now: its fingerprint and its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyCheck {
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    pub signature: SignatureCheck,
}

/// A certified copy a citizen reused in a dossier, as staff see it next to the file: the
/// register's entry, and the dossier's file checked now against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedCopy {
    /// The dossier's file that is the copy.
    pub stored_name: String,
    pub number: RegisterNumber,
    pub document: String,
    pub center_name: String,
    pub certified_at: i64,
    /// Who asked for the copy (staff compare it with the dossier's applicant).
    pub applicant_name: String,
    pub applicant_id: String,
    pub token: String,
    /// The register's fingerprint of the signed copy.
    pub register_sha256: Option<String>,
    /// The dossier's file checked now; `None` when it could not be read.
    pub check: Option<CopyCheck>,
    pub annulled: Option<Annulment>,
}

impl LinkedCopy {
    pub fn of(entry: RegisterEntry, stored_name: &str, center_name: String) -> LinkedCopy {
        LinkedCopy {
            stored_name: stored_name.to_owned(),
            number: entry.number,
            center_name,
            certified_at: entry.certified_at,
            register_sha256: entry.signed.map(|copy| copy.sha256),
            document: entry.document,
            applicant_name: entry.applicant_name,
            applicant_id: entry.applicant_id,
            token: entry.token,
            check: None,
            annulled: entry.annulled,
        }
    }

    /// Verified: not annulled, and the file is byte for byte the copy in the register, with
    /// a valid signature that leads to a trusted root.
    pub fn verified(&self) -> bool {
        self.annulled.is_none()
            && self.check.as_ref().is_some_and(|check| {
                check.signature == SignatureCheck::Valid
                    && self.register_sha256.as_deref() == Some(check.sha256.as_str())
            })
    }
}

/// What the verification page found of a file someone sent to check against the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadedCheck {
    Checked {
        /// SHA-256 of the file sent, lower-case hex.
        sha256: String,
        /// Whether it is byte for byte the copy the register holds.
        matches_register: bool,
        signature: SignatureCheck,
    },
    /// No file, or not a PDF, or too large.
    Refused(Problem),
}

/// The form field of the verification page's file.
pub const UPLOAD_FIELD: &str = "tep";

/// Characters of a verification token (`random_hex::<10>`): 80 random bits.
pub const TOKEN_LENGTH: usize = 20;

/// The verification token as printed for a person to type it: `3f2a 9c01 7d4e 0b12 88aa`.
pub fn verification_code(token: &str) -> String {
    token
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words beside the copy's QR code, before its address: how to check it, and how to use it
/// again online (the number and the code, which only the copy carries).
pub fn verification_caption(number: &RegisterNumber, code: &str) -> String {
    format!(
        "Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra bản sao và chữ ký số. \
         Dùng lại bản sao khi nộp hồ sơ trực tuyến: số chứng thực {}, mã xác minh {code}.",
        number.short()
    )
}

/// A certified copy a citizen names to use it in an online application instead of uploading
/// it: its register number, and the verification code printed beside its QR code. The number
/// alone is guessable (1, 2, 3… each year); the code is the secret that only the copy carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReference {
    pub serial: u32,
    pub year: i32,
    /// Given when the whole number was typed (`Số 15, quyển số 01/2026-SCT/BS`).
    pub book: Option<u32>,
    pub token: String,
}

/// What was wrong with each half of a `CopyReference`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferenceProblems {
    pub number: Option<Problem>,
    pub code: Option<Problem>,
}

/// The words a citizen may type around the numbers of a register number.
const NUMBER_WORDS: [&str; 5] = ["so", "quyen", "nam", "sct", "bs"];

impl CopyReference {
    /// Reads the number as printed or shortened (`15/2026`, `15/2026-SCT/BS`, `Số 15, quyển
    /// số 01/2026-SCT/BS`) and the code as printed (spaces and case do not matter) or as the
    /// whole verification address a phone read from the QR code.
    pub fn parse(number: &str, code: &str) -> Result<CopyReference, ReferenceProblems> {
        let number = Self::parse_number(number);
        let token = Self::parse_code(code);
        match (number, token) {
            (Ok((serial, book, year)), Ok(token)) => Ok(CopyReference {
                serial,
                year,
                book,
                token,
            }),
            (number, token) => Err(ReferenceProblems {
                number: number.err(),
                code: token.err(),
            }),
        }
    }

    fn parse_number(typed: &str) -> Result<(u32, Option<u32>, i32), Problem> {
        let folded = super::search::fold(typed);
        if folded.is_empty() {
            return Err(Problem::Required);
        }
        let numbers = folded
            .split(' ')
            .filter(|word| !NUMBER_WORDS.contains(word))
            .map(|word| {
                word.parse::<u32>()
                    .map_err(|_| Problem::CopyNumberMalformed)
            })
            .collect::<Result<Vec<u32>, Problem>>()?;
        let (serial, book, year) = match numbers[..] {
            [serial, year] => (serial, None, year),
            [serial, book, year] => (serial, Some(book), year),
            _ => return Err(Problem::CopyNumberMalformed),
        };
        if serial == 0 || !(2000..=2100).contains(&year) {
            return Err(Problem::CopyNumberMalformed);
        }
        Ok((serial, book, year as i32))
    }

    fn parse_code(typed: &str) -> Result<String, Problem> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Err(Problem::Required);
        }
        let code = match typed.rsplit_once(crate::paths::VERIFICATION_PREFIX) {
            Some((_, after)) => after.split(['?', '#', '/']).next().unwrap_or_default(),
            None => typed,
        };
        let token: String = code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
            .collect::<String>()
            .to_ascii_lowercase();
        if token.len() == TOKEN_LENGTH && token.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(token)
        } else {
            Err(Problem::VerificationCodeMalformed)
        }
    }

    /// Whether `entry` is the copy this reference names: the same number (and book, when
    /// typed). The token was looked up already.
    pub fn names(&self, number: &RegisterNumber) -> bool {
        number.serial == self.serial
            && number.year == self.year
            && self.book.is_none_or(|book| book == number.book)
    }
}

/// Why a named copy cannot be used, once found.
pub fn unusable(entry: &RegisterEntry) -> Option<Problem> {
    if entry.annulled.is_some() {
        Some(Problem::CopyAnnulled)
    } else if entry.signed.is_none() {
        Some(Problem::CopyNotSigned)
    } else {
        None
    }
}

/// The name a reused copy is listed under in the new dossier.
pub fn reused_file_name(number: &RegisterNumber, document: &str) -> String {
    let document: String = document
        .split(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '"'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(80)
        .collect();
    format!(
        "Bản sao chứng thực số {}-{} ({document}).pdf",
        number.serial, number.year
    )
}

/// The words of the certification (lời chứng) printed under the copy's last page, in
/// Vietnamese whatever the clerk's language: it is an official paper.
pub fn statement(
    number: &RegisterNumber,
    certified_on: Date,
    place: &str,
    officer: &str,
    center: &str,
) -> Vec<String> {
    vec![
        "LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC".to_owned(),
        "Chứng thực bản sao điện tử này đúng với bản chính.".to_owned(),
        format!("{}.", number.printed()),
        format!(
            "{place}, ngày {:02} tháng {:02} năm {}.",
            certified_on.day, certified_on.month, certified_on.year
        ),
        format!("Người thực hiện chứng thực: {officer}."),
        format!("Ký số: {center}."),
    ]
}

/// The line at the foot of every page: the pages of one copy belong together (as the seal across
/// the sheets of a paper copy does).
pub fn page_footer(number: &RegisterNumber, page: usize, pages: usize) -> String {
    format!(
        "Bản sao điện tử chứng thực từ bản chính · {} · Trang {page}/{pages}",
        number.printed()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn number() -> RegisterNumber {
        RegisterNumber {
            year: 2026,
            book: 1,
            serial: 15,
        }
    }

    #[test]
    fn the_number_is_printed_with_its_book_and_type() {
        assert_eq!(number().printed(), "Số 15, quyển số 01/2026-SCT/BS");
        assert_eq!(number().short(), "15/2026");
    }

    #[test]
    fn the_fee_follows_circular_226() {
        assert_eq!(fee_dong(1, 1), 2_000);
        assert_eq!(fee_dong(2, 1), 4_000);
        assert_eq!(fee_dong(3, 1), 5_000);
        assert_eq!(fee_dong(10, 1), 12_000);
        // 2 × 2,000 + 300 × 1,000 = 304,000 is capped at 200,000 a copy.
        assert_eq!(fee_dong(302, 1), 200_000);
        assert_eq!(fee_dong(2, 3), 12_000);
        assert_eq!(fee_dong(302, 2), 400_000);
    }

    fn form(unticked: Option<OriginalCheck>) -> BTreeMap<String, String> {
        let mut values = BTreeMap::from([
            (
                field::DOCUMENT.to_owned(),
                "Bằng tốt nghiệp THPT".to_owned(),
            ),
            (field::APPLICANT.to_owned(), "Nguyễn Thị Mẫu".to_owned()),
            (field::APPLICANT_ID.to_owned(), "001208012345".to_owned()),
            (field::COPIES.to_owned(), "2".to_owned()),
        ]);
        for check in OriginalCheck::VARIANTS {
            if Some(*check) != unticked {
                values.insert(check.field().to_owned(), "on".to_owned());
            }
        }
        values
    }

    #[test]
    fn a_whole_form_with_every_check_ticked_is_accepted() {
        let certification = NewCertification::from_form(&form(None), Ok(2)).unwrap();
        assert_eq!(certification.document, "Bằng tốt nghiệp THPT");
        assert_eq!(certification.paper_copies, 2);
        assert_eq!(certification.pages, 2);
        assert_eq!(certification.fee_dong(), 12_000);
    }

    #[test]
    fn each_unticked_check_is_refused_by_name_and_keeps_what_was_typed() {
        for check in OriginalCheck::VARIANTS {
            let refused = NewCertification::from_form(&form(Some(*check)), Ok(2)).unwrap_err();
            assert_eq!(
                refused.problems,
                BTreeMap::from([(check.field().to_owned(), Problem::CheckRequired)])
            );
            assert_eq!(refused.values[field::DOCUMENT], "Bằng tốt nghiệp THPT");
        }
    }

    #[test]
    fn no_scan_too_many_scans_and_bad_fields_are_refused() {
        let refused = NewCertification::from_form(&form(None), Ok(0)).unwrap_err();
        assert_eq!(refused.problems[field::PAGES], Problem::DocumentRequired);
        let refused = NewCertification::from_form(&form(None), Ok(MAX_PAGES + 1)).unwrap_err();
        assert_eq!(refused.problems[field::PAGES], Problem::TooManyFiles);
        let refused = NewCertification::from_form(&form(None), Err(Problem::FileType)).unwrap_err();
        assert_eq!(refused.problems[field::PAGES], Problem::FileType);
        let mut values = form(None);
        values.insert(field::APPLICANT_ID.to_owned(), "12345".to_owned());
        values.insert(field::COPIES.to_owned(), "21".to_owned());
        values.insert(field::DOCUMENT.to_owned(), " ".to_owned());
        let refused = NewCertification::from_form(&values, Ok(1)).unwrap_err();
        assert_eq!(
            refused.problems[field::APPLICANT_ID],
            Problem::CitizenIdMalformed
        );
        assert_eq!(refused.problems[field::COPIES], Problem::CountMalformed);
        assert_eq!(refused.problems[field::DOCUMENT], Problem::Required);
    }

    #[test]
    fn a_copy_is_named_by_its_number_as_printed_or_short_and_its_code_however_pasted() {
        let token = "3f2a9c017d4e0b1288aa";
        let named = |number: &str, code: &str| CopyReference::parse(number, code);
        let expected = CopyReference {
            serial: 15,
            year: 2026,
            book: None,
            token: token.to_owned(),
        };
        assert_eq!(named("15/2026", token), Ok(expected.clone()));
        assert_eq!(
            named(" 15 / 2026-SCT/BS ", "3F2A 9C01 7D4E 0B12 88AA"),
            Ok(expected.clone())
        );
        assert_eq!(
            named(
                "15/2026",
                "https://motcua.example/xac-minh/3f2a9c017d4e0b1288aa?x=1"
            ),
            Ok(expected.clone())
        );
        let whole = named("Số 15, quyển số 01/2026-SCT/BS", &verification_code(token)).unwrap();
        assert_eq!(whole.book, Some(1));
        assert!(whole.names(&number()));
        assert!(expected.names(&number()));
        let other_year = RegisterNumber {
            year: 2025,
            ..number()
        };
        assert!(!expected.names(&other_year));
        let other_book = named("số 15 quyển 02/2026", token).unwrap();
        assert!(!other_book.names(&number()));
    }

    #[test]
    fn a_bad_number_or_code_is_refused_by_half() {
        let token = "3f2a9c017d4e0b1288aa";
        let problems = |number: &str, code: &str| CopyReference::parse(number, code).unwrap_err();
        assert_eq!(
            problems("", ""),
            ReferenceProblems {
                number: Some(Problem::Required),
                code: Some(Problem::Required),
            }
        );
        for number in [
            "15",
            "0/2026",
            "15/26",
            "15/2026/3/4",
            "mười lăm/2026",
            "15/3000",
        ] {
            assert_eq!(
                problems(number, token).number,
                Some(Problem::CopyNumberMalformed),
                "{number}"
            );
        }
        for code in [
            "3f2a9c017d4e0b1288a",
            "3f2a9c017d4e0b1288aaa",
            "zz2a9c017d4e0b1288aa",
        ] {
            assert_eq!(
                problems("15/2026", code),
                ReferenceProblems {
                    number: None,
                    code: Some(Problem::VerificationCodeMalformed),
                },
                "{code}"
            );
        }
        assert_eq!(verification_code(token), "3f2a 9c01 7d4e 0b12 88aa");
        let caption = verification_caption(&number(), &verification_code(token));
        assert!(caption.ends_with("số chứng thực 15/2026, mã xác minh 3f2a 9c01 7d4e 0b12 88aa."));
    }

    fn entry() -> RegisterEntry {
        RegisterEntry {
            token: "3f2a9c017d4e0b1288aa".to_owned(),
            agency: "000.00.12.H56".to_owned(),
            number: number(),
            certified_at: 1_800_000_000,
            document: "Giấy khai sinh".to_owned(),
            pages: 1,
            paper_copies: 0,
            fee_dong: 2_000,
            applicant_name: "Nguyễn Thị Mẫu".to_owned(),
            applicant_id: "001208012345".to_owned(),
            officer_name: "Trần Văn Cán".to_owned(),
            dossier_code: "000.00.12.H56-261207-0001".to_owned(),
            signed: Some(SignedCopy {
                stored_name: "a.pdf".to_owned(),
                sha256: "ab".repeat(32),
                size_bytes: 1000,
                signed_at: 1_800_000_001,
            }),
            annulled: None,
        }
    }

    #[test]
    fn only_a_signed_copy_not_annulled_is_usable_and_verified_when_byte_for_byte_valid() {
        assert_eq!(unusable(&entry()), None);
        let unsigned = RegisterEntry {
            signed: None,
            ..entry()
        };
        assert_eq!(unusable(&unsigned), Some(Problem::CopyNotSigned));
        let annulled = RegisterEntry {
            annulled: Some(Annulment {
                at: 1,
                reason: "Cấp nhầm".to_owned(),
            }),
            ..entry()
        };
        assert_eq!(unusable(&annulled), Some(Problem::CopyAnnulled));

        let checked = |sha256: String, signature| LinkedCopy {
            check: Some(CopyCheck { sha256, signature }),
            ..LinkedCopy::of(entry(), "b.pdf", "UBND xã Kiểm Thử".to_owned())
        };
        assert!(checked("ab".repeat(32), SignatureCheck::Valid).verified());
        assert!(!checked("cd".repeat(32), SignatureCheck::Valid).verified());
        assert!(!checked("ab".repeat(32), SignatureCheck::Untrusted).verified());
        assert!(!LinkedCopy::of(entry(), "b.pdf", String::new()).verified());
        let mut annulled = checked("ab".repeat(32), SignatureCheck::Valid);
        annulled.annulled = Some(Annulment {
            at: 1,
            reason: String::new(),
        });
        assert!(!annulled.verified());
        assert_eq!(
            reused_file_name(&number(), "Giấy khai sinh / bản sao"),
            "Bản sao chứng thực số 15-2026 (Giấy khai sinh bản sao).pdf"
        );
    }

    #[test]
    fn an_annulment_needs_a_reason() {
        assert_eq!(annulment_reason("  "), Err(Problem::Required));
        assert_eq!(annulment_reason(&"x".repeat(501)), Err(Problem::TooLong));
        assert_eq!(
            annulment_reason(" Sai bản chính; QĐ 12/QĐ-UBND "),
            Ok("Sai bản chính; QĐ 12/QĐ-UBND".to_owned())
        );
    }

    #[test]
    fn the_statement_names_number_date_place_and_officer() {
        let words = statement(
            &number(),
            Date::new(2026, 12, 7),
            "Xã Kiểm Thử",
            "Trần Văn Cán",
            "UBND xã Kiểm Thử",
        );
        assert!(words.contains(&"Số 15, quyển số 01/2026-SCT/BS.".to_owned()));
        assert!(words.contains(&"Xã Kiểm Thử, ngày 07 tháng 12 năm 2026.".to_owned()));
        assert!(words.iter().any(|line| line.contains("Trần Văn Cán")));
        assert_eq!(
            page_footer(&number(), 1, 2),
            "Bản sao điện tử chứng thực từ bản chính · Số 15, quyển số 01/2026-SCT/BS · Trang 1/2"
        );
    }
}
