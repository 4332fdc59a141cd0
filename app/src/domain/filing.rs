//! An online application before it becomes a dossier: what the citizen types (checked field by
//! field), the files they upload (checked by content), the codes they get back (resume code,
//! lookup key) and the appointment date. Pure code: no I/O, no clock, no randomness source.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::declaration::{Declaration, DeclarationForm, replaced_by_citizen_id};
use super::dossier::{CitizenId, Invalid, PhoneNumber};
use super::feedback::{FormFeedback, Problem, text};
use super::intake_checklist::StateRecord;
use super::lifecycle::Status;
use super::notifications::Channel;
use super::procedure::{ChannelKind, Procedure, RequiredDocument};

/// The form fields of the applicant step, by their HTML names.
pub mod field {
    pub const CASE: &str = "truong-hop";
    pub const FULL_NAME: &str = "ho-ten";
    pub const PHONE: &str = "dien-thoai";
    pub const CITIZEN_ID: &str = "cccd";
    pub const ADDRESS: &str = "dia-chi";
    pub const EMAIL: &str = "email";
    pub const RESULT_DELIVERY: &str = "nhan-ket-qua";
    /// How the citizen wants to be told of news: a `notifications::Channel` key.
    pub const NOTIFY: &str = "bao-tin";
    /// "Bạn nộp cho ai?": one of `filing_for`.
    pub const FILING_FOR: &str = "nop-cho";
    pub const PROXY_NAME: &str = "nguoi-nop-thay";
    pub const PROXY_CITIZEN_ID: &str = "cccd-nguoi-nop-thay";
    pub const PROXY_RELATIONSHIP: &str = "quan-he";
    /// The procedure a refused start names.
    pub const PROCEDURE: &str = "thu-tuc";
    /// The resume code typed on the resume page.
    pub const RESUME_CODE: &str = "ma";
    /// Where the applicant step goes next: back to the review when it was opened from there.
    pub const RETURN_TO: &str = "tiep";
    pub const RETURN_TO_REVIEW: &str = "kiem-tra";
    /// The documents form, and the key of problems with the upload as a whole.
    pub const UPLOADS: &str = "giay-to";
    /// The button pressed on the documents step: upload more, or go on.
    pub const STEP_ACTION: &str = "hanh-dong";
    pub const UPLOAD: &str = "tai-len";
    /// Before a file field's name: the thumbnail the browser made of the photo sent just
    /// before it in that field.
    pub const THUMBNAIL_PREFIX: &str = "anh-nho-";
    pub const CONTINUE: &str = "tiep-tuc";
    /// The remove button of an uploaded file (its value names the file).
    pub const REMOVE_FILE: &str = "xoa";
    /// The declaration ticked before submitting.
    pub const DECLARATION: &str = "cam-doan";

    /// The file input of the document at `index` on the documents step.
    pub fn document(index: usize) -> String {
        format!("giay-to-{index}")
    }

    /// The register number of a certified copy reused for the document at `index`.
    pub fn copy_number(index: usize) -> String {
        format!("ban-sao-so-{index}")
    }

    /// The verification code of a certified copy reused for the document at `index`.
    pub fn copy_code(index: usize) -> String {
        format!("ban-sao-ma-{index}")
    }

    /// The form of its own that names a certified copy for the document at `index`: its fields
    /// sit beside the document's upload but are not sent with the uploads (nor with the files
    /// the upload island sends as soon as they are chosen), and Enter in them sends only them.
    pub fn copy_form(index: usize) -> String {
        format!("ban-sao-{index}")
    }

    /// The step action of a copy form.
    pub const USE_COPY: &str = "dung-ban-sao";

    /// The document index of a file input named by `document`.
    pub fn document_index(name: &str) -> Option<usize> {
        name.strip_prefix("giay-to-")?.parse().ok()
    }
}

/// The answers to "Bạn nộp cho ai?".
pub mod filing_for {
    pub const MYSELF: &str = "ban-than";
    /// For one's child or grandchild: the person asking is the parent or grandparent, and the
    /// child (who has no identity card yet) is described in the declaration.
    pub const CHILD: &str = "con-chau";
    /// On someone else's behalf: the proxy fields apply.
    pub const OTHER: &str = "nguoi-khac";
    pub const ALL: [&str; 3] = [MYSELF, CHILD, OTHER];
}

/// Whether a step's form was opened from the review ("Sửa"), so that saving it goes back there.
pub fn returns_to_review(values: &BTreeMap<String, String>) -> bool {
    values
        .get(field::RETURN_TO)
        .is_some_and(|v| v == field::RETURN_TO_REVIEW)
}

/// A posted form's fields, the first value of each.
pub fn first_values(values: Vec<(String, String)>) -> BTreeMap<String, String> {
    let mut form = BTreeMap::new();
    for (name, value) in values {
        form.entry(name).or_insert(value);
    }
    form
}

/// The applicant step, validated and normalised (phone as ten digits, trimmed text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub case_index: usize,
    pub full_name: String,
    pub phone: String,
    pub citizen_id: String,
    pub address: String,
    /// Empty when not given.
    pub email: String,
    pub proxy: Option<Proxy>,
    /// Filed by a parent or grandparent for a child (only the form's answer: the dossier's
    /// applicant is the parent or grandparent either way).
    #[serde(default)]
    pub for_child: bool,
    /// Drafts saved before the choice existed read as "at the center".
    #[serde(default)]
    pub result_delivery: ResultDelivery,
    /// How to tell the citizen of news; drafts saved before the choice existed read as "not".
    #[serde(default)]
    pub notify: Channel,
}

/// How the citizen gets the result: Mẫu 01's "Đăng ký nhận kết quả tại".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, strum::VariantArray,
)]
pub enum ResultDelivery {
    #[default]
    AtCenter,
    /// To the applicant's address, through the public postal service.
    ByPost,
    /// A download on the status page, where the procedure gives an electronic result.
    Online,
}

impl ResultDelivery {
    /// The stable key used in forms and in the database.
    pub fn key(self) -> &'static str {
        match self {
            ResultDelivery::AtCenter => "tai-trung-tam",
            ResultDelivery::ByPost => "buu-dien",
            ResultDelivery::Online => "truc-tuyen",
        }
    }

    pub fn from_key(key: &str) -> Option<ResultDelivery> {
        <ResultDelivery as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|delivery| delivery.key() == key)
    }
}

/// The person filing on the applicant's behalf.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    pub full_name: String,
    pub citizen_id: String,
    pub relationship: String,
}

const NAME_MAX: usize = 100;
const ADDRESS_MAX: usize = 300;
const EMAIL_MAX: usize = 254;
const RELATIONSHIP_MAX: usize = 50;

/// An email address as typed (empty when none was): trimmed, checked for one `@` and a dotted
/// domain.
pub fn email(value: &str) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    if value.len() > EMAIL_MAX {
        return Err(Problem::TooLong);
    }
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(value.to_owned())
    } else {
        Err(Problem::EmailMalformed)
    }
}

fn phone_number(value: &str) -> Result<String, Problem> {
    PhoneNumber::parse(value)
        .map(|phone| phone.as_str().to_owned())
        .map_err(|invalid| match invalid {
            Invalid::Empty => Problem::Required,
            Invalid::Malformed => Problem::PhoneMalformed,
        })
}

fn citizen_id_number(value: &str) -> Result<String, Problem> {
    CitizenId::parse(value)
        .map(|id| id.as_str().to_owned())
        .map_err(|invalid| match invalid {
            Invalid::Empty => Problem::Required,
            Invalid::Malformed => Problem::CitizenIdMalformed,
        })
}

impl Applicant {
    /// Checks the applicant step as posted. `case_count` is the number of cases of the
    /// procedure: with several, the citizen must pick one.
    pub fn from_form(
        values: &BTreeMap<String, String>,
        case_count: usize,
    ) -> Result<Applicant, FormFeedback> {
        Applicant::read(values, case_count, true)
    }

    /// The same form filled in by a clerk at the counter, where a citizen may have no phone.
    pub fn from_counter_form(
        values: &BTreeMap<String, String>,
        case_count: usize,
    ) -> Result<Applicant, FormFeedback> {
        Applicant::read(values, case_count, false)
    }

    fn read(
        values: &BTreeMap<String, String>,
        case_count: usize,
        phone_required: bool,
    ) -> Result<Applicant, FormFeedback> {
        let get = |name: &str| values.get(name).map(String::as_str).unwrap_or("");
        let mut problems = BTreeMap::new();
        let mut check = |name: &str, result: Result<String, Problem>| match result {
            Ok(value) => value,
            Err(problem) => {
                problems.insert(name.to_owned(), problem);
                String::new()
            }
        };
        let case_index = if case_count <= 1 {
            Ok(0)
        } else {
            get(field::CASE)
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|index| *index < case_count)
                .ok_or(Problem::CaseRequired)
        };
        let case_index = check(field::CASE, case_index.map(|i| i.to_string()));
        let full_name = check(
            field::FULL_NAME,
            text(get(field::FULL_NAME), NAME_MAX, true),
        );
        let phone = if phone_required || !get(field::PHONE).trim().is_empty() {
            phone_number(get(field::PHONE))
        } else {
            Ok(String::new())
        };
        let phone = check(field::PHONE, phone);
        let citizen_id = check(field::CITIZEN_ID, citizen_id_number(get(field::CITIZEN_ID)));
        let address = check(field::ADDRESS, text(get(field::ADDRESS), ADDRESS_MAX, true));
        let email = check(field::EMAIL, email(get(field::EMAIL)));
        let filing_for = get(field::FILING_FOR).trim();
        let proxy = (filing_for == filing_for::OTHER).then(|| Proxy {
            full_name: check(
                field::PROXY_NAME,
                text(get(field::PROXY_NAME), NAME_MAX, true),
            ),
            citizen_id: check(
                field::PROXY_CITIZEN_ID,
                citizen_id_number(get(field::PROXY_CITIZEN_ID)),
            ),
            relationship: check(
                field::PROXY_RELATIONSHIP,
                text(get(field::PROXY_RELATIONSHIP), RELATIONSHIP_MAX, true),
            ),
        });
        // Not chosen: at the center, where every result can be collected.
        let result_delivery = match get(field::RESULT_DELIVERY).trim() {
            "" => ResultDelivery::AtCenter,
            key => ResultDelivery::from_key(key).unwrap_or_else(|| {
                problems.insert(field::RESULT_DELIVERY.to_owned(), Problem::TextMalformed);
                ResultDelivery::AtCenter
            }),
        };
        let notify = match get(field::NOTIFY).trim() {
            "" => Channel::None,
            key => Channel::from_key(key).unwrap_or_else(|| {
                problems.insert(field::NOTIFY.to_owned(), Problem::TextMalformed);
                Channel::None
            }),
        };
        let missing_address = match notify {
            Channel::Email if email.is_empty() => Some(Problem::NotifyNeedsEmail),
            channel if channel.needs_phone() && phone.is_empty() => Some(Problem::NotifyNeedsPhone),
            _ => None,
        };
        if let Some(problem) = missing_address {
            problems.entry(field::NOTIFY.to_owned()).or_insert(problem);
        }
        if !problems.is_empty() {
            return Err(FormFeedback {
                values: values.clone(),
                problems,
            });
        }
        Ok(Applicant {
            case_index: case_index.parse().unwrap_or(0),
            full_name,
            phone,
            citizen_id,
            address,
            email,
            proxy,
            for_child: filing_for == filing_for::CHILD,
            result_delivery,
            notify,
        })
    }

    /// Refuses a way of being told that the center has not set up (`offered`), as a problem of
    /// the form `values` came from.
    pub fn with_notify_offered(
        self,
        offered: &[Channel],
        values: &BTreeMap<String, String>,
    ) -> Result<Applicant, FormFeedback> {
        if self.notify == Channel::None || offered.contains(&self.notify) {
            return Ok(self);
        }
        Err(FormFeedback {
            values: values.clone(),
            problems: BTreeMap::from([(field::NOTIFY.to_owned(), Problem::NotifyUnavailable)]),
        })
    }

    /// The form values that show this applicant again in the form.
    pub fn to_form(&self) -> BTreeMap<String, String> {
        let mut values = BTreeMap::from([
            (field::CASE.to_owned(), self.case_index.to_string()),
            (field::FULL_NAME.to_owned(), self.full_name.clone()),
            (field::PHONE.to_owned(), self.phone.clone()),
            (field::CITIZEN_ID.to_owned(), self.citizen_id.clone()),
            (field::ADDRESS.to_owned(), self.address.clone()),
            (field::EMAIL.to_owned(), self.email.clone()),
            (
                field::RESULT_DELIVERY.to_owned(),
                self.result_delivery.key().to_owned(),
            ),
            (field::NOTIFY.to_owned(), self.notify.key().to_owned()),
        ]);
        let filing_for = if self.proxy.is_some() {
            filing_for::OTHER
        } else if self.for_child {
            filing_for::CHILD
        } else {
            filing_for::MYSELF
        };
        values.insert(field::FILING_FOR.to_owned(), filing_for.to_owned());
        if let Some(proxy) = &self.proxy {
            values.insert(field::PROXY_NAME.to_owned(), proxy.full_name.clone());
            values.insert(field::PROXY_CITIZEN_ID.to_owned(), proxy.citizen_id.clone());
            values.insert(
                field::PROXY_RELATIONSHIP.to_owned(),
                proxy.relationship.clone(),
            );
        }
        values
    }
}

/// The kinds of file we accept, recognised by their first bytes, never by name or by the type
/// the browser claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Jpeg,
    Png,
    Pdf,
}

impl FileKind {
    pub const ALL: [FileKind; 3] = [FileKind::Jpeg, FileKind::Png, FileKind::Pdf];

    /// How many leading bytes `sniff` needs.
    pub const SNIFF_LEN: usize = 8;

    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Pdf => "application/pdf",
        }
    }

    /// The kind stored under `content_type`, as `content_type` wrote it.
    pub fn from_content_type(content_type: &str) -> Option<FileKind> {
        FileKind::ALL
            .into_iter()
            .find(|kind| kind.content_type() == content_type)
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Pdf => "pdf",
        }
    }
}

/// Limits of uploads: sizes in bytes, and how many files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub per_file: u64,
    pub per_dossier: u64,
    /// Files for one document (pages of one paper).
    pub files_per_document: u32,
    /// Files of one dossier, all documents together.
    pub files_per_dossier: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            per_file: 10 * 1024 * 1024,
            per_dossier: 30 * 1024 * 1024,
            files_per_document: 10,
            files_per_dossier: 40,
        }
    }
}

/// How many bytes unfinished applications may hold on the server: the files of drafts uploaded
/// from one client address (an IPv6 client by its /64), and from everyone. Without it a script
/// could fill the disk with drafts that are kept for weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftQuota {
    pub per_address: u64,
    pub total: u64,
}

impl Default for DraftQuota {
    fn default() -> Self {
        DraftQuota {
            per_address: 300 * 1024 * 1024,
            total: 10_000 * 1024 * 1024,
        }
    }
}

/// An uploaded file as recorded: where it is (a server-generated name under the upload
/// directory) and which document of which case it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub stored_name: String,
    pub case_index: usize,
    pub document_index: usize,
    pub content_type: String,
    pub size_bytes: u64,
    pub original_name: String,
    /// A small JPEG of a photo as a `data:` URL, made by the browser when it sent the photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    /// A certified copy reused instead of an upload: the register entry's verification token
    /// (`domain::certification::CopyReference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certified_copy: Option<String>,
}

/// What the receipt shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub case_name: String,
    pub channel: ChannelKind,
    pub status: Status,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_address: String,
    pub proxy_name: String,
    pub received_at: i64,
    pub appointment_date: Option<String>,
    /// "16:30", when the appointment was counted in working time.
    pub appointment_time: Option<String>,
    pub applicant_email: String,
    pub result_delivery: ResultDelivery,
    /// The statutory processing time of the dossier's channel, as the procedure states it.
    pub processing_time: Option<crate::domain::procedure::ProcessingTime>,
    /// Who accepted the dossier (Mẫu 01's receiving officer); none while it waits for intake.
    pub receiving_officer: Option<String>,
    /// Document names with the number of files received for each, in the procedure's order.
    pub documents: Vec<(String, usize)>,
    /// Documents received on paper at the counter, in the procedure's order, and whether each
    /// was scanned.
    pub paper_documents: Vec<(String, bool)>,
    /// The e-form the citizen answered, if the declaration was filled online.
    #[serde(default)]
    pub declaration: Option<DeclarationForm>,
    /// How the citizen asked to be told of news.
    #[serde(default)]
    pub notify: Channel,
}

/// A client's file name as shown and offered for download: the base name (no folders), without
/// control, bidirectional or invisible characters (a right-to-left override makes
/// `hoa-don` + U+202E + `gpj.exe` read as `hoa-donexe.jpg`), with the extension of the type found in its
/// content, never the one the uploader typed; at most 100 characters.
pub fn display_file_name(client_name: &str, kind: FileKind) -> String {
    let base = client_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect::<String>();
    let base = base.trim();
    let stem = match base.rsplit_once('.') {
        Some((stem, extension))
            if (1..=5).contains(&extension.len())
                && extension.chars().all(|c| c.is_ascii_alphanumeric())
                && extension.chars().any(|c| c.is_ascii_alphabetic()) =>
        {
            stem.trim_end()
        }
        _ => base,
    };
    let extension = kind.extension();
    let stem: String = stem.chars().take(100 - 1 - extension.len()).collect();
    let stem = if stem.trim().is_empty() {
        "tep"
    } else {
        stem.trim()
    };
    format!("{stem}.{extension}")
}

/// Characters that change how text around them is shown without showing themselves: the
/// bidirectional marks, embeddings, overrides and isolates, zero-width characters, the BOM.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud or typed from paper do
/// not mix up 1/I/L and 0/O.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(CROCKFORD[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(CROCKFORD[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Upper case without separators, reading the letters people confuse as the digits they mean.
fn normalise_base32(text: &str, length: usize) -> Option<String> {
    let mut out = String::with_capacity(length);
    for c in text.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '.' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if CROCKFORD.contains(&(c as u8)) && c.is_ascii() => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == length).then_some(out)
}

/// A random code people copy from paper or a screen: `BYTES` random bytes written as
/// `BYTES × 8 / 5` base-32 characters, shown in groups of four (`ABCD-EFGH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RandomCode<const BYTES: usize>(String);

/// The secret printed on the receipt that, with the dossier code, opens the dossier's status:
/// 8 characters = 40 random bits, typed as `ABCD-EFGH`.
pub type LookupKey = RandomCode<5>;

/// Opens a draft again: 16 characters = 80 random bits, shown as `ABCD-EFGH-JKMN-PQRS` and
/// inside the resume link. Longer than the lookup key because it alone opens the draft.
pub type ResumeCode = RandomCode<10>;

impl<const BYTES: usize> RandomCode<BYTES> {
    pub const RANDOM_BYTES: usize = BYTES;
    const LENGTH: usize = BYTES * 8 / 5;

    pub fn from_random(bytes: [u8; BYTES]) -> Self {
        RandomCode(base32(&bytes))
    }

    /// Accepts the code as typed: any case, with or without separators, O for 0 and I/L for 1.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if text.trim().is_empty() {
            return Err(Invalid::Empty);
        }
        normalise_base32(text, Self::LENGTH)
            .map(RandomCode)
            .ok_or(Invalid::Malformed)
    }

    /// Without separators: as in links, and as stored (the lookup key hashed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const BYTES: usize> fmt::Display for RandomCode<BYTES> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = self
            .0
            .as_bytes()
            .chunks(4)
            .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
            .collect();
        f.write_str(&groups.join("-"))
    }
}

/// How an online applicant provides a document of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provision {
    /// A photo or a file.
    Upload,
    /// Answered in the declaration step: the system fills the form in.
    Declaration(DeclarationForm),
    /// The identity number given in the applicant step stands for it.
    CitizenIdNumber,
    /// Only shown at the counter (present-only).
    AtCounter,
    /// Its data is looked up in a national database (Resolution 66.7/2025): not required online,
    /// though the citizen may send it in case the lookup fails.
    LookedUp(StateRecord),
}

impl Provision {
    pub fn of(document: &RequiredDocument) -> Provision {
        if document.present_only {
            Provision::AtCounter
        } else if let Some(form) = DeclarationForm::of_document(document) {
            Provision::Declaration(form)
        } else if replaced_by_citizen_id(document) {
            Provision::CitizenIdNumber
        } else if let Some(record) = StateRecord::of_paper(&document.name) {
            Provision::LookedUp(record)
        } else {
            Provision::Upload
        }
    }
}

/// Required documents of a case that are still missing: no file among `uploaded` (document
/// indexes) for one to upload, no `declaration` of its form for one the e-form answers.
pub fn missing_documents(
    procedure: &Procedure,
    case_index: usize,
    uploaded: &[usize],
    declaration: Option<&Declaration>,
) -> Vec<usize> {
    procedure
        .cases
        .get(case_index)
        .map(|case| {
            case.documents
                .iter()
                .enumerate()
                .filter(|(index, document)| {
                    document.required
                        && match Provision::of(document) {
                            Provision::Upload => !uploaded.contains(index),
                            Provision::Declaration(form) => {
                                declaration.is_none_or(|declared| declared.form != form)
                            }
                            Provision::CitizenIdNumber
                            | Provision::AtCounter
                            | Provision::LookedUp(_) => false,
                        }
                })
                .map(|(index, _)| index)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn valid_form() -> BTreeMap<String, String> {
        form(&[
            (field::FULL_NAME, "  Nguyễn   Văn An "),
            (field::PHONE, "+84 912 345 678"),
            (field::CITIZEN_ID, "001203004567"),
            (field::ADDRESS, "Thôn Đông, xã Tân Lập"),
            (field::EMAIL, ""),
        ])
    }

    #[test]
    fn a_valid_applicant_is_normalised() {
        let applicant = Applicant::from_form(&valid_form(), 1).unwrap();
        assert_eq!(applicant.full_name, "Nguyễn Văn An");
        assert_eq!(applicant.phone, "0912345678");
        assert_eq!(applicant.case_index, 0);
        assert_eq!(applicant.proxy, None);
        let again = Applicant::from_form(&applicant.to_form(), 1).unwrap();
        assert_eq!(
            again, applicant,
            "a saved applicant shows again as the same form"
        );
    }

    #[test]
    fn every_bad_field_is_reported_and_the_input_is_kept() {
        let mut values = form(&[
            (field::FULL_NAME, ""),
            (field::PHONE, "0123"),
            (field::CITIZEN_ID, "12345"),
            (field::ADDRESS, &"x".repeat(301)),
            (field::EMAIL, "an@"),
            (field::FILING_FOR, filing_for::OTHER),
            (field::PROXY_CITIZEN_ID, "001203004567"),
        ]);
        values.insert(field::PROXY_NAME.into(), "Trần\u{0}Bình".into());
        let feedback = Applicant::from_form(&values, 3).unwrap_err();
        assert_eq!(feedback.values, values);
        let expected = [
            (field::CASE, Problem::CaseRequired),
            (field::FULL_NAME, Problem::Required),
            (field::PHONE, Problem::PhoneMalformed),
            (field::CITIZEN_ID, Problem::CitizenIdMalformed),
            (field::ADDRESS, Problem::TooLong),
            (field::EMAIL, Problem::EmailMalformed),
            (field::PROXY_NAME, Problem::TextMalformed),
            (field::PROXY_RELATIONSHIP, Problem::Required),
        ];
        assert_eq!(
            feedback.problems,
            expected
                .iter()
                .map(|(k, p)| (k.to_string(), *p))
                .collect::<BTreeMap<_, _>>()
        );
    }

    #[test]
    fn a_case_must_be_one_of_the_procedure() {
        let mut values = valid_form();
        values.insert(field::CASE.into(), "2".into());
        assert_eq!(Applicant::from_form(&values, 3).unwrap().case_index, 2);
        values.insert(field::CASE.into(), "3".into());
        assert_eq!(
            Applicant::from_form(&values, 3)
                .unwrap_err()
                .problem(field::CASE),
            Some(Problem::CaseRequired)
        );
    }

    #[test]
    fn filing_on_behalf_keeps_the_proxy() {
        let mut values = valid_form();
        values.extend(form(&[
            (field::FILING_FOR, filing_for::OTHER),
            (field::PROXY_NAME, "Trần Thị Bình"),
            (field::PROXY_CITIZEN_ID, "001303004568"),
            (field::PROXY_RELATIONSHIP, "Con gái"),
            (field::EMAIL, "binh@example.vn"),
        ]));
        let applicant = Applicant::from_form(&values, 1).unwrap();
        assert_eq!(applicant.email, "binh@example.vn");
        assert_eq!(applicant.proxy.clone().unwrap().relationship, "Con gái");
        assert_eq!(
            Applicant::from_form(&applicant.to_form(), 1).unwrap(),
            applicant
        );
    }

    #[test]
    fn a_child_is_filed_for_by_the_person_asking_without_proxy_fields() {
        let mut values = valid_form();
        values.extend(form(&[
            (field::FILING_FOR, filing_for::CHILD),
            (field::PROXY_NAME, "left over from another answer"),
        ]));
        let applicant = Applicant::from_form(&values, 1).unwrap();
        assert!(applicant.for_child && applicant.proxy.is_none());
        assert_eq!(applicant.to_form()[field::FILING_FOR], filing_for::CHILD);
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n"), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(b"MZ\x90\0\x03\0\0\0"),
            None,
            "a Windows program"
        );
        assert_eq!(FileKind::sniff(b"\x89PNG"), None, "a truncated header");
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[test]
    fn client_file_names_lose_their_folders() {
        use FileKind::*;
        assert_eq!(display_file_name("../../etc/passwd", Pdf), "passwd.pdf");
        assert_eq!(
            display_file_name("C:\\Ảnh\\giấy khai sinh.jpg", Jpeg),
            "giấy khai sinh.jpg"
        );
        assert_eq!(display_file_name("a\u{0}b\n.pdf", Pdf), "ab.pdf");
        assert_eq!(display_file_name("/", Png), "tep.png");
        assert_eq!(display_file_name(".pdf", Pdf), "tep.pdf");
        let long = display_file_name(&"x".repeat(300), Jpeg);
        assert_eq!(long.chars().count(), 100);
        assert!(long.ends_with("x.jpg"));
    }

    #[test]
    fn offered_names_carry_the_checked_type_and_no_hidden_characters() {
        use FileKind::*;
        assert_eq!(display_file_name("bao-cao.html", Pdf), "bao-cao.pdf");
        assert_eq!(display_file_name("anh.svg", Png), "anh.png");
        assert_eq!(
            display_file_name("hoa-don\u{202E}gpj.exe", Jpeg),
            "hoa-dongpj.jpg"
        );
        assert_eq!(display_file_name("a\u{200B}b\u{2066}c.PDF", Pdf), "abc.pdf");
        // A dot inside the name is not an extension unless it looks like one.
        assert_eq!(
            display_file_name("Số 12. Giấy khai sinh", Pdf),
            "Số 12. Giấy khai sinh.pdf"
        );
        assert_eq!(
            display_file_name("scan 2024.11.30", Jpeg),
            "scan 2024.11.30.jpg"
        );
    }

    #[test]
    fn lookup_keys_are_eight_unambiguous_characters() {
        let key = LookupKey::from_random([0, 0, 0, 0, 0]);
        assert_eq!(key.as_str(), "00000000");
        let key = LookupKey::from_random([0xFF; 5]);
        assert_eq!(key.as_str(), "ZZZZZZZZ");
        assert_eq!(key.to_string(), "ZZZZ-ZZZZ");
        let key = LookupKey::from_random([0x12, 0x34, 0x56, 0x78, 0x9A]);
        assert_eq!(key.as_str(), "28T5CY4T");
        // Typed back from paper: any case, with or without the dash, O for 0 and I/L for 1.
        assert_eq!(LookupKey::parse(" 28t5-cy4t ").unwrap(), key);
        assert_eq!(LookupKey::parse("O0OO-IL11").unwrap().as_str(), "00001111");
        assert_eq!(LookupKey::parse(""), Err(Invalid::Empty));
        assert_eq!(LookupKey::parse("28T5CY4"), Err(Invalid::Malformed));
        assert_eq!(
            LookupKey::parse("28T5CY4U"),
            Err(Invalid::Malformed),
            "no U"
        );
        assert_eq!(LookupKey::parse("28T5CY4Ť"), Err(Invalid::Malformed));
    }

    #[test]
    fn distinct_random_bytes_give_distinct_keys() {
        let mut seen = std::collections::HashSet::new();
        for n in 0u32..5000 {
            let b = n.to_be_bytes();
            assert!(seen.insert(LookupKey::from_random([b[0], b[1], b[2], b[3], 7]).to_string()));
        }
    }

    #[test]
    fn resume_codes_are_sixteen_characters_in_groups() {
        let code = ResumeCode::from_random([0xAB; 10]);
        assert_eq!(code.as_str().len(), 16);
        let shown = code.to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
        assert_eq!(ResumeCode::parse(&shown.to_lowercase()).unwrap(), code);
        assert!(ResumeCode::parse("ABCD").is_err());
    }

    fn procedure_with(documents: Vec<(&str, bool, bool)>) -> Procedure {
        use super::super::procedure::{ProcedureCase, RequiredDocument, bare_procedure};
        Procedure {
            cases: vec![ProcedureCase {
                name: String::new(),
                steps: vec![],
                documents: documents
                    .into_iter()
                    .map(|(name, required, present_only)| RequiredDocument {
                        name: name.into(),
                        originals: 1,
                        copies: 0,
                        required,
                        present_only,
                        forms: vec![],
                    })
                    .collect(),
                notes: vec![],
            }],
            ..bare_procedure("1.000001", "Thủ tục thử")
        }
    }

    #[test]
    fn only_required_uploadable_documents_can_be_missing() {
        let procedure = procedure_with(vec![
            ("Giấy chứng sinh", true, false),
            ("Văn bản ủy quyền", false, false),
            ("Sổ hộ khẩu", true, true),
            ("Giấy báo tử", true, false),
        ]);
        assert_eq!(missing_documents(&procedure, 0, &[], None), vec![0, 3]);
        assert_eq!(missing_documents(&procedure, 0, &[3, 1], None), vec![0]);
        assert!(missing_documents(&procedure, 0, &[0, 3], None).is_empty());
        assert!(
            missing_documents(&procedure, 5, &[], None).is_empty(),
            "no such case"
        );
    }

    #[test]
    fn a_paper_the_state_holds_is_looked_up_not_required_online() {
        let procedure = procedure_with(vec![
            ("Bản sao Giấy khai sinh của trẻ", true, false),
            ("Giấy khám sức khỏe của trẻ", true, false),
            ("Giấy tờ chứng minh quan hệ (giấy khai sinh…)", true, false),
        ]);
        let documents = &procedure.cases[0].documents;
        assert_eq!(
            Provision::of(&documents[0]),
            Provision::LookedUp(StateRecord::CivilStatus)
        );
        assert_eq!(
            Provision::of(&documents[1]),
            Provision::LookedUp(StateRecord::HealthRecords)
        );
        assert_eq!(Provision::of(&documents[2]), Provision::Upload);
        assert_eq!(missing_documents(&procedure, 0, &[], None), vec![2]);
    }

    #[test]
    fn the_declaration_answers_its_form_and_the_id_number_replaces_the_id_paper() {
        use crate::domain::declaration::{Declaration, DeclarationForm};
        let procedure = procedure_with(vec![
            ("Tờ khai đăng ký khai sinh (theo mẫu)", true, false),
            (
                "Giấy tờ tùy thân còn giá trị (Thẻ căn cước, Hộ chiếu...)",
                true,
                false,
            ),
            ("Giấy chứng sinh", true, false),
        ]);
        let documents = &procedure.cases[0].documents;
        assert_eq!(
            Provision::of(&documents[0]),
            Provision::Declaration(DeclarationForm::Birth)
        );
        assert_eq!(Provision::of(&documents[1]), Provision::CitizenIdNumber);
        assert_eq!(Provision::of(&documents[2]), Provision::Upload);
        let declared = |form| Declaration {
            form,
            answers: BTreeMap::new(),
        };
        assert_eq!(missing_documents(&procedure, 0, &[], None), vec![0, 2]);
        assert_eq!(
            missing_documents(&procedure, 0, &[], Some(&declared(DeclarationForm::Death))),
            vec![0, 2],
            "another form's declaration answers nothing here"
        );
        assert_eq!(
            missing_documents(&procedure, 0, &[0], Some(&declared(DeclarationForm::Birth))),
            vec![2],
            "a file is no declaration, the declaration is"
        );
    }

    #[test]
    fn the_citizen_chooses_where_the_result_goes() {
        let mut values = valid_form();
        let applicant = Applicant::from_form(&values, 1).unwrap();
        assert_eq!(
            applicant.result_delivery,
            ResultDelivery::AtCenter,
            "none chosen"
        );
        values.insert(field::RESULT_DELIVERY.into(), "buu-dien".into());
        let applicant = Applicant::from_form(&values, 1).unwrap();
        assert_eq!(applicant.result_delivery, ResultDelivery::ByPost);
        assert_eq!(applicant.to_form()[field::RESULT_DELIVERY], "buu-dien");
        values.insert(field::RESULT_DELIVERY.into(), "bang-bo-cau".into());
        let refused = Applicant::from_form(&values, 1).unwrap_err();
        assert_eq!(
            refused.problem(field::RESULT_DELIVERY),
            Some(Problem::TextMalformed)
        );
        // A draft saved before the choice existed reads as "at the center".
        let old: Applicant = serde_json::from_str(
            r#"{"case_index":0,"full_name":"A","phone":"","citizen_id":"","address":"","email":"","proxy":null}"#,
        )
        .unwrap();
        assert_eq!(old.result_delivery, ResultDelivery::AtCenter);
    }

    #[test]
    fn a_way_of_being_told_needs_its_address_and_the_centers_set_up() {
        let mut values = valid_form();
        assert_eq!(
            Applicant::from_form(&values, 1).unwrap().notify,
            Channel::None,
            "none chosen"
        );
        values.insert(field::NOTIFY.into(), "email".into());
        assert_eq!(
            Applicant::from_form(&values, 1)
                .unwrap_err()
                .problem(field::NOTIFY),
            Some(Problem::NotifyNeedsEmail)
        );
        values.insert(field::EMAIL.into(), "an@example.vn".into());
        let applicant = Applicant::from_form(&values, 1).unwrap();
        assert_eq!(applicant.notify, Channel::Email);
        assert_eq!(applicant.to_form()[field::NOTIFY], "email");
        assert_eq!(
            applicant
                .clone()
                .with_notify_offered(&[Channel::Sms], &values)
                .unwrap_err()
                .problem(field::NOTIFY),
            Some(Problem::NotifyUnavailable)
        );
        assert!(
            applicant
                .with_notify_offered(&[Channel::Email], &values)
                .is_ok()
        );
        // At the counter a citizen without a phone cannot be sent an SMS.
        values.insert(field::PHONE.into(), "".into());
        values.insert(field::NOTIFY.into(), "sms".into());
        assert_eq!(
            Applicant::from_counter_form(&values, 1)
                .unwrap_err()
                .problem(field::NOTIFY),
            Some(Problem::NotifyNeedsPhone)
        );
        values.insert(field::NOTIFY.into(), "bo-cau".into());
        assert_eq!(
            Applicant::from_counter_form(&values, 1)
                .unwrap_err()
                .problem(field::NOTIFY),
            Some(Problem::TextMalformed)
        );
    }

    #[test]
    fn at_the_counter_a_phone_may_be_left_out_but_not_mistyped() {
        let mut values = valid_form();
        values.insert(field::PHONE.to_owned(), " ".to_owned());
        assert_eq!(
            Applicant::from_form(&values, 1)
                .unwrap_err()
                .problem(field::PHONE),
            Some(Problem::Required)
        );
        assert_eq!(Applicant::from_counter_form(&values, 1).unwrap().phone, "");
        values.insert(field::PHONE.to_owned(), "12345".to_owned());
        assert_eq!(
            Applicant::from_counter_form(&values, 1)
                .unwrap_err()
                .problem(field::PHONE),
            Some(Problem::PhoneMalformed)
        );
    }
}
