//! Every address of the site, written once: the pages' links and form actions and the server's
//! routes use these, so a renamed address changes both sides or neither.
//!
//! Constants are the addresses as typed; a pattern (`…_ROUTE`) is the same address with its
//! parts in axum's `{name}` syntax, and the function beside it fills them in. The Leptos routes
//! of `crate::App` use the same words through `path!`, which only takes literals: the server's
//! tests check that every page here is one of those routes.

use crate::domain::tracking::lookup_field;
use crate::domain::url::with_query;

pub const HOME: &str = "/";
pub const HEALTH: &str = "/healthz";
pub const LANGUAGE_ROUTE: &str = "/ngon-ngu/{lang}";

// The catalogue of procedures.
/// The commune picker; `/xa/{slug}` (and anything after it) picks a commune and goes on.
pub const CENTERS: &str = "/xa";
pub const CENTER_ROUTE: &str = "/xa/{slug}";
pub const CENTER_PATH_ROUTE: &str = "/xa/{slug}/{*rest}";
pub const CATALOGUE: &str = "/thu-tuc";
pub const PROCEDURE_ROUTE: &str = "/thu-tuc/{code}";

// Filing an application online.
pub const FILING_START_ROUTE: &str = "/thu-tuc/{code}/nop-truc-tuyen";
pub const RESUME_PAGE: &str = "/tiep-tuc";
pub const RESUME: &str = "/ho-so-nhap";
pub const DRAFT_APPLICANT_ROUTE: &str = "/ho-so-nhap/{token}/nguoi-nop";
pub const DRAFT_DECLARATION_ROUTE: &str = "/ho-so-nhap/{token}/to-khai";
pub const DRAFT_DOCUMENTS_ROUTE: &str = "/ho-so-nhap/{token}/giay-to";
pub const DRAFT_REVIEW_ROUTE: &str = "/ho-so-nhap/{token}/kiem-tra";
pub const DRAFT_SUBMIT_ROUTE: &str = "/ho-so-nhap/{token}/nop";

// Tracking a dossier.
pub const RECEIPT: &str = "/giay-hen";
/// The receipt as a PDF, for whoever holds the code and key (staff: `STAFF_RECEIPT_PDF`).
pub const RECEIPT_PDF: &str = "/giay-hen.pdf";
pub const STATUS: &str = "/tra-cuu";
pub const WITHDRAW: &str = "/tra-cuu/rut";
pub const RATE: &str = "/tra-cuu/danh-gia";
pub const SUPPLEMENT: &str = "/tra-cuu/bo-sung";
/// How the citizen wants to be told of news, changed from the status page.
pub const NOTIFY_CHOICE: &str = "/tra-cuu/bao-tin";
/// Where the status page's script sends this phone's push subscription.
pub const PUSH_SUBSCRIBE: &str = "/tra-cuu/nhan-tin-tren-may";
/// The status page's script that subscribes this phone, and the service worker that shows the
/// messages (`public/`).
pub const PUSH_SCRIPT: &str = "/push.js";
pub const PUSH_WORKER: &str = "/push-sw.js";
/// A paper the center sent about a dossier (Mẫu 02–05), opened with code, key and its number.
pub const CITIZEN_PAPER: &str = "/tra-cuu/phieu";
pub const CITIZEN_PAPER_PDF: &str = "/tra-cuu/phieu.pdf";
/// The declaration filled in the e-form, opened with code and key.
pub const CITIZEN_DECLARATION: &str = "/tra-cuu/to-khai";
pub const CITIZEN_DECLARATION_PDF: &str = "/tra-cuu/to-khai.pdf";
/// The dossier's electronic certified copy (PDF), opened with code and key.
pub const CERTIFIED_COPY: &str = "/tra-cuu/ban-sao.pdf";
/// The public verification page of a certified copy, where its QR code leads.
pub const VERIFICATION_ROUTE: &str = "/xac-minh/{token}";
/// The public list of annulled certified copies (TT 01/2020 Art. 7: posted publicly).
pub const ANNULLED_COPIES: &str = "/ban-sao-da-huy";
/// What comes before the token in a verification address (a citizen may paste the whole one).
pub const VERIFICATION_PREFIX: &str = "/xac-minh/";

// Public statistics.
pub const STATISTICS: &str = "/thong-ke";
pub const STATISTICS_CSV: &str = "/thong-ke.csv";
pub const STATISTICS_JSON: &str = "/thong-ke.json";
pub const STATISTICS_XLSX: &str = "/thong-ke.xlsx";

// The back office.
pub const STAFF_HOME: &str = "/can-bo";
/// Where the sign-in form posts, and where a page without a session sends the browser.
pub const SIGN_IN: &str = "/can-bo/dang-nhap";
pub const SIGN_OUT: &str = "/can-bo/dang-xuat";
pub const QUEUE: &str = "/can-bo/ho-so";
pub const STAFF_DOSSIER_ROUTE: &str = "/can-bo/ho-so/{code}";
pub const STAFF_ACTION_ROUTE: &str = "/can-bo/ho-so/{code}/{action}";
pub const STAFF_FILE_ROUTE: &str = "/can-bo/ho-so/{code}/tep/{name}";
/// A paper of the dossier (Mẫu 02–05) by the id of the event that issued it.
pub const STAFF_PAPER_ROUTE: &str = "/can-bo/ho-so/{code}/phieu/{event}";
pub const STAFF_PAPER_PDF_ROUTE: &str = "/can-bo/ho-so/{code}/phieu/{event}/pdf";
/// The processing-control slip (Mẫu 06).
pub const STAFF_SLIP_ROUTE: &str = "/can-bo/ho-so/{code}/phieu-kiem-soat";
pub const STAFF_SLIP_PDF_ROUTE: &str = "/can-bo/ho-so/{code}/phieu-kiem-soat/pdf";
/// The declaration the citizen filled in the e-form.
pub const STAFF_DECLARATION_ROUTE: &str = "/can-bo/ho-so/{code}/to-khai";
pub const STAFF_DECLARATION_PDF_ROUTE: &str = "/can-bo/ho-so/{code}/to-khai/pdf";
/// The tracking book (Mẫu 07) and its spreadsheet.
pub const REGISTER: &str = "/can-bo/so-theo-doi";
pub const REGISTER_XLSX: &str = "/can-bo/so-theo-doi.xlsx";
pub const REGISTER_PDF: &str = "/can-bo/so-theo-doi.pdf";
pub const INTAKE: &str = "/can-bo/tiep-nhan";
/// The intake page's procedure type-ahead (JSON).
pub const INTAKE_FINDER: &str = "/can-bo/tiep-nhan/tim";
pub const STAFF_RECEIPT: &str = "/can-bo/giay-hen";
pub const STAFF_RECEIPT_PDF: &str = "/can-bo/giay-hen.pdf";
pub const SETTINGS: &str = "/can-bo/quan-tri";
/// The messages to citizens that were given up on, and the form that sends one again.
pub const STAFF_MESSAGES: &str = "/can-bo/tin-nhan";
pub const STAFF_RESEND: &str = "/can-bo/tin-nhan/gui-lai";
/// The administrator's message templates (`?loai=KIND&ngon-ngu=LANG`), and where the form posts.
pub const STAFF_TEMPLATES: &str = "/can-bo/mau-tin";
pub const STAFF_TEMPLATE_SAVE: &str = "/can-bo/mau-tin/luu";
/// The resend form's field naming the message, and the dossier whose page it was sent from.
pub const MESSAGE_FIELD: &str = "tin";
pub const RETURN_FIELD: &str = "ve";
pub const USERS: &str = "/can-bo/quan-tri/can-bo";
pub const USER_ROUTE: &str = "/can-bo/quan-tri/can-bo/{username}";
pub const HOLIDAYS: &str = "/can-bo/quan-tri/ngay-nghi";
pub const CAVEATS: &str = "/can-bo/quan-tri/luu-y";
/// Where a center says it does not (or again does) receive a procedure.
pub const WITHHELD: &str = "/can-bo/quan-tri/khong-nhan";
/// The province's list of centers, where it adds one.
pub const STAFF_CENTERS: &str = "/can-bo/trung-tam";
/// A procedure's one-page sheet for the counter (A4), and the same as a PDF.
pub const STAFF_CHEAT_SHEET_ROUTE: &str = "/can-bo/so-tay/{code}";
pub const STAFF_CHEAT_SHEET_PDF_ROUTE: &str = "/can-bo/so-tay/{code}/pdf";
/// The counter's certification of copies from originals, and the year's register.
pub const CERTIFY: &str = "/can-bo/chung-thuc";
/// Where a leader's annulment of a certified copy posts.
pub const CERTIFY_ANNUL: &str = "/can-bo/chung-thuc/huy";
/// The query an annulment returns to the register with: the annulled copy's token.
pub const ANNULLED_FIELD: &str = "da-huy";

/// The pages rendered by `crate::App` (the rest are handlers and files).
pub const PAGES: &[&str] = &[
    HOME,
    CENTERS,
    CATALOGUE,
    PROCEDURE_ROUTE,
    FILING_START_ROUTE,
    RESUME_PAGE,
    DRAFT_APPLICANT_ROUTE,
    DRAFT_DECLARATION_ROUTE,
    DRAFT_DOCUMENTS_ROUTE,
    DRAFT_REVIEW_ROUTE,
    RECEIPT,
    STATUS,
    SUPPLEMENT,
    STATISTICS,
    STAFF_HOME,
    SIGN_IN,
    QUEUE,
    STAFF_DOSSIER_ROUTE,
    STAFF_PAPER_ROUTE,
    STAFF_SLIP_ROUTE,
    STAFF_DECLARATION_ROUTE,
    REGISTER,
    CITIZEN_PAPER,
    CITIZEN_DECLARATION,
    INTAKE,
    STAFF_RECEIPT,
    SETTINGS,
    STAFF_MESSAGES,
    STAFF_TEMPLATES,
    STAFF_CENTERS,
    CERTIFY,
    VERIFICATION_ROUTE,
    ANNULLED_COPIES,
    STAFF_CHEAT_SHEET_ROUTE,
];

/// The counter's sheet of the procedure `code`.
pub fn staff_cheat_sheet(code: &str) -> String {
    fill(STAFF_CHEAT_SHEET_ROUTE, &[code])
}

pub fn staff_cheat_sheet_pdf(code: &str) -> String {
    fill(STAFF_CHEAT_SHEET_PDF_ROUTE, &[code])
}

/// The verification page of the copy with `token`.
pub fn verification(token: &str) -> String {
    fill(VERIFICATION_ROUTE, &[token])
}

/// The certified copy of the dossier `code`, opened with its `key`.
pub fn certified_copy(code: &str, key: &str) -> String {
    with_query(
        CERTIFIED_COPY,
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

/// The template page for `kind` (`NoticeKind::key`) in `language` (`Lang::code`).
pub fn staff_templates(kind: &str, language: &str) -> String {
    format!("{STAFF_TEMPLATES}?loai={kind}&ngon-ngu={language}")
}

/// `pattern` with each `{name}` replaced by the next of `values`, in order.
fn fill(pattern: &str, values: &[&str]) -> String {
    let mut filled = String::with_capacity(pattern.len() + 16);
    let mut values = values.iter();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |i| open + i + 1);
        filled.push_str(values.next().copied().unwrap_or_default());
        rest = &rest[close..];
    }
    filled.push_str(rest);
    filled
}

/// Whether `path` is an address of `pattern`: each `{name}` stands for one non-empty segment.
pub fn matches(pattern: &str, path: &str) -> bool {
    let (mut wanted, mut given) = (pattern.split('/'), path.split('/'));
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(part), Some(segment)) if part.starts_with('{') => {
                if segment.is_empty() {
                    return false;
                }
            }
            (Some(part), Some(segment)) if part == segment => {}
            _ => return false,
        }
    }
}

pub fn language(lang: &str) -> String {
    fill(LANGUAGE_ROUTE, &[lang])
}

/// The public address of the center with this slug.
pub fn center(slug: &str) -> String {
    format!("{CENTERS}/{slug}")
}

pub fn procedure(code: &str) -> String {
    fill(PROCEDURE_ROUTE, &[code])
}

pub fn filing_start(code: &str) -> String {
    fill(FILING_START_ROUTE, &[code])
}

pub fn draft_applicant(token: &str) -> String {
    fill(DRAFT_APPLICANT_ROUTE, &[token])
}

pub fn draft_declaration(token: &str) -> String {
    fill(DRAFT_DECLARATION_ROUTE, &[token])
}

pub fn draft_documents(token: &str) -> String {
    fill(DRAFT_DOCUMENTS_ROUTE, &[token])
}

pub fn draft_review(token: &str) -> String {
    fill(DRAFT_REVIEW_ROUTE, &[token])
}

pub fn draft_submit(token: &str) -> String {
    fill(DRAFT_SUBMIT_ROUTE, &[token])
}

/// The page of one dossier; its actions post to `{this}/{action key}`.
pub fn staff_dossier(code: &str) -> String {
    fill(STAFF_DOSSIER_ROUTE, &[code])
}

pub fn staff_action(code: &str, action: &str) -> String {
    fill(STAFF_ACTION_ROUTE, &[code, action])
}

pub fn staff_file(code: &str, name: &str) -> String {
    fill(STAFF_FILE_ROUTE, &[code, name])
}

pub fn staff_paper(code: &str, event: i64) -> String {
    fill(STAFF_PAPER_ROUTE, &[code, &event.to_string()])
}

pub fn staff_paper_pdf(code: &str, event: i64) -> String {
    fill(STAFF_PAPER_PDF_ROUTE, &[code, &event.to_string()])
}

pub fn staff_slip(code: &str) -> String {
    fill(STAFF_SLIP_ROUTE, &[code])
}

pub fn staff_slip_pdf(code: &str) -> String {
    fill(STAFF_SLIP_PDF_ROUTE, &[code])
}

/// The queue with `filter` (its status tab and page included).
pub fn queue(filter: &crate::domain::back_office::QueueFilter) -> String {
    with_query(QUEUE, &filter.to_query(filter.status, filter.page))
}

pub fn staff_declaration(code: &str) -> String {
    fill(STAFF_DECLARATION_ROUTE, &[code])
}

pub fn staff_declaration_pdf(code: &str) -> String {
    fill(STAFF_DECLARATION_PDF_ROUTE, &[code])
}

/// The declaration as the citizen opens it from the status page; `pdf` for its PDF.
pub fn citizen_declaration(code: &str, key: &str, pdf: bool) -> String {
    with_query(
        if pdf {
            CITIZEN_DECLARATION_PDF
        } else {
            CITIZEN_DECLARATION
        },
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

/// The field that names a paper by the id of the event that issued it.
pub const PAPER_FIELD: &str = "so";

/// A paper as the citizen opens it from the status page; `pdf` for its PDF.
pub fn citizen_paper(code: &str, key: &str, event: i64, pdf: bool) -> String {
    let event = event.to_string();
    with_query(
        if pdf {
            CITIZEN_PAPER_PDF
        } else {
            CITIZEN_PAPER
        },
        &[
            (lookup_field::CODE, code),
            (lookup_field::KEY, key),
            (PAPER_FIELD, event.as_str()),
        ],
    )
}

pub fn user(username: &str) -> String {
    fill(USER_ROUTE, &[username])
}

/// Where the receipt of a dossier is shown, with the key that opens it.
pub fn receipt(code: &str, key: &str) -> String {
    with_query(
        RECEIPT,
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

/// The receipt as staff print it at the counter.
pub fn staff_receipt(code: &str, key: &str) -> String {
    with_query(
        STAFF_RECEIPT,
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

/// The status page of a dossier with code and key filled in: what the receipt's QR code opens.
/// The page that sends the papers asked for.
pub fn supplement(code: &str, key: &str) -> String {
    with_query(
        SUPPLEMENT,
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

pub fn status(code: &str, key: &str) -> String {
    with_query(
        STATUS,
        &[(lookup_field::CODE, code), (lookup_field::KEY, key)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_its_addresses_only() {
        assert!(matches(PROCEDURE_ROUTE, "/thu-tuc/1.001193"));
        assert!(matches(DRAFT_DOCUMENTS_ROUTE, "/ho-so-nhap/ABC/giay-to"));
        assert!(matches(HOME, "/"));
        assert!(!matches(PROCEDURE_ROUTE, "/thu-tuc/"));
        assert!(!matches(PROCEDURE_ROUTE, "/thu-tuc"));
        assert!(!matches(PROCEDURE_ROUTE, "/thu-tuc/a/b"));
        assert!(!matches(DRAFT_DOCUMENTS_ROUTE, "/ho-so-nhap/ABC/nguoi-nop"));
        assert!(!matches(CATALOGUE, "/thu-tuc/x"));
    }

    #[test]
    fn builders_fill_their_patterns() {
        assert_eq!(procedure("1.001193"), "/thu-tuc/1.001193");
        assert_eq!(filing_start("1.001193"), "/thu-tuc/1.001193/nop-truc-tuyen");
        assert_eq!(draft_applicant("ABCD"), "/ho-so-nhap/ABCD/nguoi-nop");
        assert_eq!(draft_documents("ABCD"), "/ho-so-nhap/ABCD/giay-to");
        assert_eq!(draft_review("ABCD"), "/ho-so-nhap/ABCD/kiem-tra");
        assert_eq!(draft_submit("ABCD"), "/ho-so-nhap/ABCD/nop");
        assert_eq!(
            staff_dossier("000.00.00.H00-250701-0001"),
            "/can-bo/ho-so/000.00.00.H00-250701-0001"
        );
        assert_eq!(staff_action("X", "tiep-nhan"), "/can-bo/ho-so/X/tiep-nhan");
        assert_eq!(staff_file("X", "a.pdf"), "/can-bo/ho-so/X/tep/a.pdf");
        assert_eq!(user("lan"), "/can-bo/quan-tri/can-bo/lan");
        assert_eq!(language("en"), "/ngon-ngu/en");
        assert_eq!(receipt("A B", "K"), "/giay-hen?ma=A+B&khoa=K");
        assert_eq!(staff_receipt("A", "K"), "/can-bo/giay-hen?ma=A&khoa=K");
        assert_eq!(status("A", "K"), "/tra-cuu?ma=A&khoa=K");
    }

    #[test]
    fn addresses_are_absolute_and_distinct() {
        let all = [
            HOME,
            HEALTH,
            CATALOGUE,
            RESUME_PAGE,
            RESUME,
            RECEIPT,
            STATUS,
            WITHDRAW,
            RATE,
            SUPPLEMENT,
            STATISTICS,
            STATISTICS_CSV,
            STATISTICS_JSON,
            STATISTICS_XLSX,
            STAFF_HOME,
            SIGN_IN,
            SIGN_OUT,
            QUEUE,
            INTAKE,
            INTAKE_FINDER,
            STAFF_RECEIPT,
            SETTINGS,
            USERS,
            HOLIDAYS,
            CAVEATS,
        ];
        let distinct: std::collections::BTreeSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        assert!(all.iter().all(|path| path.starts_with('/')));
    }
}
