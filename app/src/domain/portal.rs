//! Reading the national portal's published procedure pages (JSON Lines, one page per line),
//! whose tables arrive flattened into text, header cells glued to values (see
//! ../shared/data/README.md and docs/catalogue.md).
//!
//! Each field is parsed into the procedure model; what cannot be parsed is kept word for word in
//! `Procedure::unparsed` and the field is reported as partly or not parsed, never dropped.

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::national_package::ImportProblem;
use super::procedure::{
    Channel, ChannelKind, Fee, FormTemplate, LegalDocument, OnlineLevel, Procedure, ProcedureCase,
    ProcessingTime, RequiredDocument, Sector, TimeUnit, UnparsedText,
};
use super::search::fold;

/// One line of the portal file. Every field is a string; missing ones are empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PortalRecord {
    pub ma_thu_tuc: String,
    pub ten_thu_tuc: String,
    pub so_quyet_dinh: String,
    pub cap_thuc_hien: String,
    pub linh_vuc: String,
    pub doi_tuong_thuc_hien: String,
    pub co_quan_thuc_hien: String,
    pub dia_chi_tiep_nhan: String,
    pub trinh_tu_thuc_hien: String,
    pub cach_thuc_thuc_hien: String,
    pub thanh_phan_ho_so: String,
    pub can_cu_phap_ly: String,
    pub yeu_cau_dieu_kien: String,
    pub ket_qua_xu_ly: String,
}

/// How much of a field was read into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coverage {
    Full,
    Partial,
    NotParsed,
}

/// The fields whose parsing is reported, in report order.
pub const REPORTED_FIELDS: [&str; 5] = [
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "trinh_tu_thuc_hien",
    "can_cu_phap_ly",
    "ket_qua_xu_ly",
];

#[derive(Debug, Clone)]
pub struct ParsedRecord {
    pub procedure: Procedure,
    /// One entry per [`REPORTED_FIELDS`] item, in the same order.
    pub coverage: Vec<Coverage>,
}

/// Parses a whole JSON Lines file; a line that is not a JSON object is a problem of that record.
pub fn parse_portal_lines(text: &str) -> Result<Vec<ParsedRecord>, Vec<ImportProblem>> {
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<PortalRecord>(line) {
            Ok(record) if record.ten_thu_tuc.trim().is_empty() => problems.push(ImportProblem {
                record: index + 1,
                code: record.ma_thu_tuc.clone(),
                field: "ten_thu_tuc".to_owned(),
                message: "thiếu tên thủ tục".to_owned(),
            }),
            Ok(record) => parsed.push(parse_portal_record(&record)),
            Err(error) => problems.push(ImportProblem {
                record: index + 1,
                code: String::new(),
                field: String::new(),
                message: format!("dòng không phải đối tượng JSON hợp lệ ({error})"),
            }),
        }
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

/// NFC (some records arrive decomposed), no invisible marks, plain spaces.
fn clean(text: &str) -> String {
    text.nfc()
        .filter(|c| *c != '\u{200e}' && *c != '\u{200b}')
        .map(|c| if c == '\u{a0}' || c == '\t' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

const NO_INFORMATION: &str = "Không có thông tin";

/// The field's text, empty when the portal says it has no information.
fn meaningful(text: &str) -> String {
    let cleaned = clean(text);
    if cleaned == NO_INFORMATION {
        String::new()
    } else {
        cleaned
    }
}

pub fn parse_portal_record(record: &PortalRecord) -> ParsedRecord {
    let mut unparsed = Vec::new();
    let mut keep = |field: &str, text: String| {
        if !text.trim().is_empty() {
            unparsed.push(UnparsedText {
                field: field.to_owned(),
                text,
            });
        }
    };

    let (channels, channels_coverage) = parse_channels(&clean(&record.cach_thuc_thuc_hien));
    if channels_coverage != Coverage::Full {
        keep("cach_thuc_thuc_hien", clean(&record.cach_thuc_thuc_hien));
    }
    let documents = parse_documents(&clean(&record.thanh_phan_ho_so));
    if documents.coverage != Coverage::Full {
        keep("thanh_phan_ho_so", clean(&record.thanh_phan_ho_so));
    }
    let (steps, steps_coverage) = parse_steps(&clean(&record.trinh_tu_thuc_hien));
    let (legal_basis, legal_coverage) = parse_legal_basis(&clean(&record.can_cu_phap_ly));
    if legal_coverage != Coverage::Full {
        keep("can_cu_phap_ly", clean(&record.can_cu_phap_ly));
    }
    let (results, results_coverage) = parse_results(&clean(&record.ket_qua_xu_ly));
    if results_coverage != Coverage::Full {
        keep("ket_qua_xu_ly", clean(&record.ket_qua_xu_ly));
    }

    let documents_coverage = documents.coverage;
    let cases = documents.into_cases(steps);
    let online_level = if channels.iter().any(|c| c.kind == ChannelKind::Online) {
        OnlineLevel::Partial
    } else {
        OnlineLevel::InformationOnly
    };
    let code = clean(&record.ma_thu_tuc);
    let procedure = Procedure {
        code,
        name: clean(&record.ten_thu_tuc),
        decision: meaningful(&record.so_quyet_dinh),
        levels: meaningful(&record.cap_thuc_hien)
            .split(", ")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        online_level,
        sector: Sector {
            code: String::new(),
            name: meaningful(&record.linh_vuc),
        },
        keywords: String::new(),
        applicants: meaningful(&record.doi_tuong_thuc_hien),
        agency: meaningful(&record.co_quan_thuc_hien),
        where_to_submit: meaningful(&record.dia_chi_tiep_nhan),
        cases,
        channels,
        conditions: meaningful(&record.yeu_cau_dieu_kien),
        results,
        legal_basis,
        caveats: Vec::new(),
        unparsed,
        publisher_code: String::new(),
        in_force: true,
    };
    ParsedRecord {
        procedure,
        coverage: vec![
            channels_coverage,
            documents_coverage,
            steps_coverage,
            legal_coverage,
            results_coverage,
        ],
    }
}

// ---- channels: "Hình thức nộpThời gianPhí, lệ phíMô tả" + rows --------------------------------

const CHANNEL_LABELS: [(&str, ChannelKind); 3] = [
    ("Trực tiếp", ChannelKind::Counter),
    ("Trực tuyến", ChannelKind::Online),
    ("Dịch vụ bưu chính", ChannelKind::Postal),
];
const CURRENCIES: [(&str, bool); 3] = [(" VNĐ", true), (" Việt Nam Đồng", true), (" USD", false)];

/// Splits the flattened table into rows, after the offset where the first row starts. A label
/// starts a row only when a time follows it (a digit, "Không…", "Hệ thống giải quyết"); inside
/// descriptions labels are followed by ":", a space or "(".
fn channel_rows(text: &str) -> (usize, Vec<(ChannelKind, &str)>) {
    let mut starts: Vec<(usize, usize, ChannelKind)> = Vec::new();
    for (label, kind) in CHANNEL_LABELS {
        for (at, _) in text.match_indices(label) {
            let after = &text[at + label.len()..];
            if after.starts_with(|c: char| c.is_ascii_digit())
                || after.starts_with("Không")
                || after.starts_with("Hệ thống giải quyết")
            {
                starts.push((at, label.len(), kind));
            }
        }
    }
    starts.sort_by_key(|(at, _, _)| *at);
    let first = starts.first().map_or(text.len(), |(at, _, _)| *at);
    let rows = starts
        .iter()
        .enumerate()
        .map(|(i, (at, len, kind))| {
            let end = starts.get(i + 1).map_or(text.len(), |next| next.0);
            (*kind, &text[at + len..end])
        })
        .collect();
    (first, rows)
}

fn parse_channels(text: &str) -> (Vec<Channel>, Coverage) {
    let body = text
        .strip_prefix("Hình thức nộpThời gianPhí, lệ phíMô tả")
        .unwrap_or(text);
    if body.trim().is_empty() {
        return (Vec::new(), Coverage::Full);
    }
    let (first_row, rows) = channel_rows(body);
    if rows.is_empty() {
        return (Vec::new(), Coverage::NotParsed);
    }
    let mut all_read = body[..first_row].trim().is_empty();
    let channels = rows
        .into_iter()
        .map(|(kind, row)| {
            let (channel, read) = parse_channel_row(kind, row);
            all_read &= read;
            channel
        })
        .collect();
    (
        channels,
        if all_read {
            Coverage::Full
        } else {
            Coverage::Partial
        },
    )
}

/// An amount of money at the start of `text`: grouped digits and a currency.
/// Returns the amount, whether it is in đồng, and the length read.
fn amount_at(text: &str) -> Option<(i64, bool, usize)> {
    let digits_len = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ','))
        .map_or(text.len(), |(i, _)| i);
    let digits = &text[..digits_len];
    if digits.is_empty()
        || !digits.starts_with(|c: char| c.is_ascii_digit())
        || digits.ends_with(',')
    {
        return None;
    }
    let (currency, in_dong) = CURRENCIES
        .iter()
        .find(|(currency, _)| text[digits_len..].starts_with(currency))?;
    let value = digits.replace(',', "").parse().ok()?;
    Some((value, *in_dong, digits_len + currency.len()))
}

/// Where the fee cell starts, searching from `from` (the time cell is never empty).
fn fee_start(row: &str, from: usize) -> Option<usize> {
    row.char_indices()
        .map(|(i, _)| i)
        .filter(|i| *i >= from)
        .find(|&i| {
            let rest = &row[i..];
            let after_digit = row[..i].ends_with(|c: char| c.is_ascii_digit() || c == ',');
            rest.starts_with("Miễn phí")
                || rest.starts_with(NO_INFORMATION)
                || (!after_digit && amount_at(rest).is_some())
        })
}

fn parse_channel_row(kind: ChannelKind, row: &str) -> (Channel, bool) {
    // A bare one-digit time glued to an amount: "120,000 VNĐ" is time 1, fee 20,000.
    let glued = row.starts_with(|c: char| c.is_ascii_digit())
        && row[1..].starts_with(|c: char| c.is_ascii_digit())
        && amount_at(&row[1..]).is_some();
    let split = if glued { Some(1) } else { fee_start(row, 1) };
    let (time_text, fee_text) = match split {
        Some(at) => (&row[..at], &row[at..]),
        None => (row, ""),
    };
    let time = parse_time(time_text.trim());
    let (fee, fee_read) = parse_fee(fee_text);
    (
        Channel {
            kind,
            time,
            fees: fee.into_iter().collect(),
        },
        split.is_some() && fee_read,
    )
}

fn parse_time(text: &str) -> ProcessingTime {
    let digits_len = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(text.len(), |(i, _)| i);
    if digits_len > 0 {
        let unit = match text[digits_len..].trim() {
            "Ngày làm việc" => Some(TimeUnit::WorkingDays),
            "Ngày" => Some(TimeUnit::Days),
            "Giờ" => Some(TimeUnit::Hours),
            "Giờ làm việc" => Some(TimeUnit::WorkingHours),
            "" => Some(TimeUnit::Unknown),
            _ => None,
        };
        if let Some(unit) = unit {
            return ProcessingTime {
                amount: text[..digits_len].parse().ok(),
                unit,
                description: String::new(),
            };
        }
    }
    ProcessingTime {
        amount: None,
        unit: TimeUnit::Unknown,
        description: if text == NO_INFORMATION {
            String::new()
        } else {
            text.to_owned()
        },
    }
}

/// The fee cell: "Miễn phí", "Không có thông tin" or an amount, then an optional "(note)"
/// (a per-unit note such as "/trang", or an explanation), then the row's description.
fn parse_fee(text: &str) -> (Option<Fee>, bool) {
    let text = text.trim();
    if text.is_empty() {
        return (None, true);
    }
    let (amount_dong, read_len, mut description) = if text.starts_with("Miễn phí") {
        (Some(0), "Miễn phí".len(), String::new())
    } else if text.starts_with(NO_INFORMATION) {
        (None, NO_INFORMATION.len(), String::new())
    } else if let Some((value, in_dong, len)) = amount_at(text) {
        // Amounts under 1.000 đồng are the portal's mistakes (e.g. "20 VNĐ" for 20.000): kept
        // as written in the description rather than shown as a price.
        if in_dong && value >= 1000 {
            (Some(value), len, String::new())
        } else {
            (None, len, text[..len].to_owned())
        }
    } else {
        return (
            Some(Fee {
                kind: String::new(),
                amount_dong: None,
                per_unit: String::new(),
                description: text.to_owned(),
            }),
            false,
        );
    };
    let mut rest = &text[read_len..];
    let mut per_unit = String::new();
    if rest.starts_with('(')
        && !starts_with_numbered_item(rest)
        && let Some(close) = balanced_close(rest)
    {
        let note = rest[1..close].trim();
        if note.starts_with('/') {
            per_unit = note.to_owned();
        } else {
            push_sentence(&mut description, note);
        }
        rest = &rest[close + 1..];
    }
    push_sentence(&mut description, rest.trim().trim_end_matches(';'));
    (
        Some(Fee {
            kind: String::new(),
            amount_dong,
            per_unit,
            description,
        }),
        true,
    )
}

/// "(1) Trường hợp…" starts a description, not a note.
fn starts_with_numbered_item(text: &str) -> bool {
    let inner = &text[1..];
    let digits = inner.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && inner[digits..].starts_with(") ")
}

fn balanced_close(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn push_sentence(target: &mut String, sentence: &str) {
    if sentence.is_empty() {
        return;
    }
    if !target.is_empty() {
        target.push(' ');
    }
    target.push_str(sentence);
}

// ---- documents: groups of "Tên giấy tờMẫu đơn, tờ khaiSố lượng" tables ----------------------------

const DOCUMENT_TABLE_HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";
const FORM_EXTENSIONS: [&str; 5] = [".docx", ".doc", ".pdf", ".xlsx", ".xls"];

#[derive(Debug, Clone, PartialEq)]
enum Group {
    Submit,
    Present,
    Notes,
    Case(String),
}

fn classify_heading(heading: &str) -> Group {
    let trimmed = heading
        .trim()
        .trim_start_matches(['*', '-', '+', ' '])
        .trim();
    let folded = fold(trimmed);
    if folded.starts_with("luu y") {
        Group::Notes
    } else if folded.contains("xuat trinh") {
        Group::Present
    } else if folded.starts_with("truong hop") && trimmed.ends_with(':') {
        Group::Case(trimmed.trim_end_matches(':').trim().to_owned())
    } else {
        Group::Submit
    }
}

/// A quantity marker "N bản chính[, M bản sao]" ending a document: its start, end and counts.
fn next_marker(text: &str, from: usize) -> Option<(usize, usize, u32, u32)> {
    const ORIGINALS: &str = " bản chính";
    let mut search = from;
    while let Some(found) = text[search..].find(ORIGINALS) {
        let at = search + found;
        search = at + ORIGINALS.len();
        let digits_start = text[from..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()
            .map(|(i, _)| from + i);
        let Some(digits_start) = digits_start else {
            continue;
        };
        let digits = &text[digits_start..at];
        // "nộp 02 bản chính tờ khai" is running text, not the quantity column.
        let in_text = text[..digits_start].ends_with([' ', '('])
            && digits.starts_with('0')
            && digits.len() > 1;
        if in_text {
            continue;
        }
        // The column holds one digit; digits before it belong to the name ("Mẫu số 18" + "1").
        let quantity_start = at - 1;
        let originals = digits[digits.len() - 1..].parse().unwrap_or(0);
        let mut end = at + ORIGINALS.len();
        let mut copies = 0;
        let after = &text[end..];
        let copies_text = after.strip_prefix(',').map(str::trim_start);
        if let Some(copies_text) = copies_text {
            let count_len = copies_text.chars().take_while(char::is_ascii_digit).count();
            if count_len > 0 && copies_text[count_len..].starts_with(" bản sao") {
                copies = copies_text[..count_len].parse().unwrap_or(0);
                end = text.len() - copies_text.len() + count_len + " bản sao".len();
            }
        }
        return Some((quantity_start, end, originals, copies));
    }
    None
}

/// Splits a trailing form template file name ("…theo mẫuTờ khai.docx") off a document's text.
fn split_form(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_lowercase();
    let Some(extension) = FORM_EXTENSIONS.iter().find(|ext| lower.ends_with(*ext)) else {
        return (text, None);
    };
    let stem_end = text.len() - extension.len();
    let chars: Vec<(usize, char)> = text[..stem_end].char_indices().collect();
    let mut start = 0;
    for window in chars.windows(2) {
        let ((_, before), (at, current)) = (window[0], window[1]);
        let boundary = current.is_uppercase()
            && (before.is_lowercase() || matches!(before, ')' | '.' | ';' | ':'));
        if boundary {
            start = at;
        }
    }
    if start == 0 {
        return ("", Some(text));
    }
    (&text[..start], Some(&text[start..]))
}

/// A list item without its bullet ("- ", "+ ", "* ", "•").
fn without_bullet(text: &str) -> String {
    text.trim()
        .trim_start_matches(['-', '+', '*', '•', ' '])
        .trim()
        .to_owned()
}

struct Documents {
    general: Vec<RequiredDocument>,
    general_notes: Vec<String>,
    cases: Vec<(String, Vec<RequiredDocument>, Vec<String>)>,
    coverage: Coverage,
}

impl Documents {
    fn into_cases(self, steps: Vec<String>) -> Vec<ProcedureCase> {
        if self.cases.is_empty() {
            return vec![ProcedureCase {
                name: String::new(),
                steps,
                documents: self.general,
                notes: self.general_notes,
            }];
        }
        self.cases
            .into_iter()
            .map(|(name, documents, notes)| ProcedureCase {
                name,
                steps: steps.clone(),
                documents: self.general.iter().cloned().chain(documents).collect(),
                notes: self.general_notes.iter().cloned().chain(notes).collect(),
            })
            .collect()
    }
}

fn parse_documents(text: &str) -> Documents {
    let mut documents = Documents {
        general: Vec::new(),
        general_notes: Vec::new(),
        cases: Vec::new(),
        coverage: Coverage::Full,
    };
    if text.is_empty() {
        return documents;
    }
    let segments: Vec<&str> = text.split(DOCUMENT_TABLE_HEADER).collect();
    let (mut heading, tables): (String, &[&str]) = if segments.len() == 1 {
        (String::new(), &segments[..])
    } else {
        (segments[0].to_owned(), &segments[1..])
    };
    let mut found_any = false;
    let mut leftover = false;
    for (index, table) in tables.iter().enumerate() {
        let group = classify_heading(&heading);
        let mut position = 0;
        let mut items: Vec<(String, u32, u32)> = Vec::new();
        while let Some((start, end, originals, copies)) = next_marker(table, position) {
            items.push((table[position..start].to_owned(), originals, copies));
            position = end;
        }
        let tail = table[position..].trim();
        let is_last = index + 1 == tables.len();
        if is_last && !tail.is_empty() {
            // Text after the last quantity in the file: no quantity column, so a note.
            leftover |= items.is_empty();
            items.push((tail.to_owned(), 0, 0));
        }
        heading = if is_last {
            String::new()
        } else {
            tail.to_owned()
        };
        found_any |= !items.is_empty();
        for (raw, originals, copies) in items {
            let (name_text, form) = split_form(raw.trim());
            let name = without_bullet(name_text);
            let name = if name.is_empty() {
                form.unwrap_or_default().to_owned()
            } else {
                name
            };
            if name.is_empty() {
                continue;
            }
            let (case_documents, case_notes) = match &group {
                Group::Case(case) => {
                    if !documents.cases.iter().any(|(n, _, _)| n == case) {
                        documents.cases.push((case.clone(), Vec::new(), Vec::new()));
                    }
                    let entry = documents
                        .cases
                        .iter_mut()
                        .find(|(n, _, _)| n == case)
                        .expect("just added");
                    (&mut entry.1, &mut entry.2)
                }
                _ => (&mut documents.general, &mut documents.general_notes),
            };
            if group == Group::Notes || (originals == 0 && copies == 0) {
                case_notes.push(name);
                continue;
            }
            case_documents.push(RequiredDocument {
                required: !fold(&name).contains("neu co"),
                name,
                originals,
                copies,
                present_only: group == Group::Present,
                forms: form
                    .into_iter()
                    .map(|f| FormTemplate {
                        name: f.to_owned(),
                        url: String::new(),
                    })
                    .collect(),
            });
        }
    }
    documents.coverage = if !found_any {
        Coverage::NotParsed
    } else if leftover {
        Coverage::Partial
    } else {
        Coverage::Full
    };
    documents
}

// ---- steps -----------------------------------------------------------------------------------

/// One step per "Bước N" when the text numbers its steps, else one per line.
fn parse_steps(text: &str) -> (Vec<String>, Coverage) {
    if text.is_empty() {
        return (Vec::new(), Coverage::Full);
    }
    let mut starts: Vec<usize> = text
        .match_indices("Bước")
        .map(|(at, _)| at)
        .filter(|&at| {
            let rest = text[at + "Bước".len()..].trim_start();
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].trim_start().starts_with([':', '.'])
        })
        .collect();
    let steps: Vec<String> = if starts.is_empty() {
        text.lines()
            .map(without_bullet)
            .filter(|line| !line.is_empty())
            .collect()
    } else {
        let preface = text[..starts[0]].trim();
        starts.push(text.len());
        let mut steps: Vec<String> = starts
            .windows(2)
            .map(|w| text[w[0]..w[1]].trim().to_owned())
            .collect();
        if !preface.is_empty() {
            steps.insert(0, preface.to_owned());
        }
        steps
    };
    (steps, Coverage::Full)
}

// ---- legal basis: "Tên văn bản pháp lýMã văn bản" + title/number pairs glued ------------------

/// Issuer codes after the year in Vietnamese document numbers, longest alternatives first.
const ISSUERS: [&str; 39] = [
    "BLĐTBXH", "BNNPTNT", "BVHTTDL", "UBTVQH", "BKHĐT", "BNNMT", "BTNMT", "BTTTT", "BGTVT", "VBHN",
    "VPCP", "VPQH", "BHXH", "TTLT", "NQLT", "HĐTP", "HĐND", "UBND", "TTg", "BTC", "BCA", "BTP",
    "BXD", "BYT", "BQP", "BCT", "BNV", "BNN", "CTN", "NĐ", "ND", "QĐ", "NQ", "QH", "TT", "CP",
    "UB", "L", "C",
];

fn issuer_at(text: &str) -> Option<usize> {
    let issuer = ISSUERS.iter().find(|issuer| text.starts_with(*issuer))?;
    let mut len = issuer.len();
    // "QH13", "UBTVQH14": the legislature's term follows.
    if matches!(*issuer, "QH" | "UBTVQH") {
        let digits = text[len..]
            .chars()
            .take_while(char::is_ascii_digit)
            .take(2)
            .count();
        len += digits;
    }
    Some(len)
}

/// A document number at the start of `text`, e.g. `123/2015/NĐ-CP`, `2628/QĐ-BTC`,
/// `54/2014/QH13`, `48/VBHN-VPQH`; its length.
fn document_number_at(text: &str) -> Option<usize> {
    let mut len = text.chars().take_while(char::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    if text[len..].starts_with('.') {
        let decimals = text[len + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        if decimals > 0 {
            len += 1 + decimals;
        }
    }
    let rest = text[len..].strip_prefix('/')?;
    len += 1;
    let year = rest.chars().take_while(char::is_ascii_digit).count();
    if year == 4 && rest[4..].starts_with('/') {
        len += 5;
    }
    len += issuer_at(&text[len..])?;
    while let Some(more) = text[len..].strip_prefix('-') {
        match issuer_at(more) {
            Some(issuer_len) => len += 1 + issuer_len,
            None => break,
        }
    }
    Some(len)
}

fn parse_legal_basis(text: &str) -> (Vec<LegalDocument>, Coverage) {
    let body = text
        .strip_prefix("Tên văn bản pháp lýMã văn bản")
        .unwrap_or(text);
    let body = body
        .split("Cơ quan thực hiện")
        .next()
        .unwrap_or(body)
        .trim();
    if body.is_empty() || body == NO_INFORMATION {
        return (Vec::new(), Coverage::Full);
    }
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let previous = body[..at].chars().next_back();
        let token_end = tokens.last().map(|t| t.1);
        let may_start = token_end == Some(at)
            || !previous.is_some_and(|c| c.is_ascii_digit() || c == '/' || c == '.');
        if may_start && let Some(len) = document_number_at(&body[at..]) {
            tokens.push((at, at + len));
            at += len;
            continue;
        }
        at += body[at..].chars().next().map_or(1, char::len_utf8);
    }
    let mut documents = Vec::new();
    let mut entry_start = 0;
    for (index, &(start, end)) in tokens.iter().enumerate() {
        let number = &body[start..end];
        let next_same = tokens
            .get(index + 1)
            .is_some_and(|&(s, e)| s == end && &body[s..e] == number);
        if next_same {
            continue; // the title ends with the number; the number column follows
        }
        let glued = start > 0 && !body[..start].ends_with(char::is_whitespace);
        let after = &body[end..];
        let closes = after.is_empty()
            || after.starts_with(|c: char| c.is_uppercase())
            || (after.starts_with(char::is_whitespace)
                && after.trim_start().starts_with(|c: char| c.is_uppercase()));
        if glued && closes && !after.trim_start().starts_with("ngày") {
            let title = body[entry_start..start].trim();
            documents.push(LegalDocument {
                number: number.to_owned(),
                title: if title.is_empty() {
                    number.to_owned()
                } else {
                    title.to_owned()
                },
                issued_on: String::new(),
                issuer: String::new(),
            });
            entry_start = end;
        }
    }
    let leftover = body[entry_start..].trim();
    let coverage = if documents.is_empty() {
        Coverage::NotParsed
    } else if leftover.is_empty() {
        Coverage::Full
    } else {
        Coverage::Partial
    };
    (documents, coverage)
}

// ---- results: (NAME "Mã: " CODE)+ "Từ khóa…Mô tả…" ---------------------------------------------

fn parse_results(text: &str) -> (Vec<String>, Coverage) {
    let body = text.split("Chọn cơ quan thực hiện").next().unwrap_or(text);
    let body = body.split("Từ khóa").next().unwrap_or(body).trim();
    if body.is_empty() || body == NO_INFORMATION {
        return (Vec::new(), Coverage::Full);
    }
    let mut results = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("Mã: ") {
        let name = rest[..at].trim();
        if !name.is_empty() {
            results.push(name.to_owned());
        }
        let after = &rest[at + "Mã: ".len()..];
        // The result code (e.g. KQ.G12.000327) ends at its last digit.
        let code_end = after
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.')
            .filter(|(_, c)| c.is_ascii_digit())
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        rest = &after[code_end..];
    }
    let tail = rest.trim();
    if !tail.is_empty() {
        results.push(tail.to_owned());
    }
    let coverage = if body.contains("Mã: ") {
        Coverage::Full
    } else {
        Coverage::Partial
    };
    (results, coverage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_of_a_free_procedure_with_three_channels() {
        let (channels, coverage) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
        );
        assert_eq!(coverage, Coverage::Full);
        let kinds: Vec<ChannelKind> = channels.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ChannelKind::Online,
                ChannelKind::Postal,
                ChannelKind::Counter
            ]
        );
        assert!(channels.iter().all(|c| c.fees[0].amount_dong == Some(0)));
        assert_eq!(channels[0].time.amount, Some(1.0));
        assert_eq!(channels[0].time.unit, TimeUnit::Unknown);
    }

    #[test]
    fn per_page_fee_and_foreign_currency() {
        let (channels, coverage) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã: 2.000 đồng/trang;Trực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản.",
        );
        assert_eq!(coverage, Coverage::Full);
        assert_eq!(channels.len(), 2);
        let fee = &channels[0].fees[0];
        assert_eq!(fee.amount_dong, Some(2000));
        assert_eq!(fee.per_unit, "/trang");
        assert_eq!(
            fee.description,
            "Tại Ủy ban nhân dân cấp xã: 2.000 đồng/trang"
        );
        assert_eq!(channels[0].time.amount, None);
        let usd = &channels[1].fees[0];
        assert_eq!(usd.amount_dong, None);
        assert!(usd.description.starts_with("10 USD"), "{usd:?}");
    }

    #[test]
    fn times_with_units_notes_and_glued_amounts() {
        let (channels, _) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp3 Ngày làm việcMiễn phí(Miễn lệ phí cho người thuộc hộ nghèo.)Trực tuyến120,000 VNĐ(Theo Thông tư (số 172))Dịch vụ bưu chính15 Ngày50,000 VNĐ",
        );
        assert_eq!(channels[0].time.amount, Some(3.0));
        assert_eq!(channels[0].time.unit, TimeUnit::WorkingDays);
        assert_eq!(
            channels[0].fees[0].description,
            "Miễn lệ phí cho người thuộc hộ nghèo."
        );
        assert_eq!(channels[1].time.amount, Some(1.0));
        assert_eq!(channels[1].fees[0].amount_dong, Some(20_000));
        assert_eq!(channels[1].fees[0].description, "Theo Thông tư (số 172)");
        assert_eq!(
            (channels[2].time.amount, channels[2].time.unit),
            (Some(15.0), TimeUnit::Days)
        );
        assert_eq!(channels[2].fees[0].amount_dong, Some(50_000));
    }

    #[test]
    fn labels_inside_descriptions_do_not_start_rows() {
        let (channels, _) = parse_channels(
            "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp2 NgàyMiễn phíNộp Trực tuyến: qua Cổng dịch vụ công",
        );
        assert_eq!(channels.len(), 1);
        assert_eq!(
            channels[0].fees[0].description,
            "Nộp Trực tuyến: qua Cổng dịch vụ công"
        );
    }

    #[test]
    fn unreadable_channels_are_not_parsed() {
        let (channels, coverage) =
            parse_channels("Hình thức nộpThời gianPhí, lệ phíMô tảNộp tại xã");
        assert!(channels.is_empty());
        assert_eq!(coverage, Coverage::NotParsed);
    }

    #[test]
    fn documents_are_grouped_under_their_headings() {
        let text = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký khai sinh theo mẫuTờ khai khai sinh.docx1 bản chính- Văn bản ủy quyền (nếu có).1 bản chính,1 bản saoKhông phải nộp bản giấy.0 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu hoặc căn cước.1 bản chính* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượngMang bản chính khi nhận kết quả.1 bản chính";
        let documents = parse_documents(text);
        assert_eq!(documents.coverage, Coverage::Full);
        let names: Vec<&str> = documents.general.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Tờ khai đăng ký khai sinh theo mẫu",
                "Văn bản ủy quyền (nếu có).",
                "Hộ chiếu hoặc căn cước."
            ]
        );
        assert_eq!(documents.general[0].forms[0].name, "Tờ khai khai sinh.docx");
        assert!(documents.general[0].required);
        assert!(!documents.general[1].required);
        assert_eq!(
            (documents.general[1].originals, documents.general[1].copies),
            (1, 1)
        );
        assert!(documents.general[2].present_only);
        assert_eq!(
            documents.general_notes,
            vec![
                "Không phải nộp bản giấy.",
                "Mang bản chính khi nhận kết quả."
            ]
        );
    }

    #[test]
    fn case_headings_make_cases_and_running_text_counts_are_not_markers() {
        let text = "Trường hợp đăng ký lần đầu:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị, nộp 02 bản chính tờ khai theo Mẫu số 181 bản chínhTrường hợp đăng ký lại:Tên giấy tờMẫu đơn, tờ khaiSố lượngBản sao giấy cũ0 bản chính, 1 bản sao";
        let documents = parse_documents(text);
        assert_eq!(documents.cases.len(), 2);
        let (first_name, first_documents, _) = &documents.cases[0];
        assert_eq!(first_name, "Trường hợp đăng ký lần đầu");
        assert_eq!(
            first_documents[0].name,
            "Đơn đề nghị, nộp 02 bản chính tờ khai theo Mẫu số 18"
        );
        assert_eq!(first_documents[0].originals, 1);
        let (_, second_documents, _) = &documents.cases[1];
        assert_eq!(
            (second_documents[0].originals, second_documents[0].copies),
            (0, 1)
        );
        let cases = documents.into_cases(vec!["Bước 1: Nộp".to_owned()]);
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[1].steps, vec!["Bước 1: Nộp"]);
    }

    #[test]
    fn steps_split_on_numbered_markers_or_lines() {
        let (steps, _) = parse_steps("Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả. Bước 3 : Trả");
        assert_eq!(
            steps,
            vec![
                "Bước 1: Nộp hồ sơ.",
                "Bước 2: Nhận kết quả.",
                "Bước 3 : Trả"
            ]
        );
        let (steps, _) = parse_steps("- Nộp hồ sơ\n\n- Nhận kết quả");
        assert_eq!(steps, vec!["Nộp hồ sơ", "Nhận kết quả"]);
    }

    #[test]
    fn legal_basis_splits_glued_titles_and_numbers() {
        let (documents, coverage) = parse_legal_basis(
            "Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13Thông tư Hướng dẫn về phí85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ hướng dẫn Luật Hộ tịch123/2015/NĐ-CP",
        );
        assert_eq!(coverage, Coverage::Full, "{documents:?}");
        let pairs: Vec<(&str, &str)> = documents
            .iter()
            .map(|d| (d.title.as_str(), d.number.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("Luật 54/2014/QH13", "54/2014/QH13"),
                ("Thông tư Hướng dẫn về phí", "85/2019/TT-BTC"),
                (
                    "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ hướng dẫn Luật Hộ tịch",
                    "123/2015/NĐ-CP"
                ),
            ]
        );
    }

    #[test]
    fn document_numbers_of_every_shape() {
        for number in [
            "123/2015/NĐ-CP",
            "2628/QĐ-BTC",
            "54/2014/QH13",
            "48/VBHN-VPQH",
            "66.7/2025/NQ-CP",
            "04/2020/TT-BTP",
        ] {
            assert_eq!(document_number_at(number), Some(number.len()), "{number}");
        }
        assert_eq!(document_number_at("15/11/2015 của"), None);
        assert_eq!(document_number_at("Luật"), None);
    }

    #[test]
    fn results_drop_codes_and_page_furniture() {
        let (results, coverage) = parse_results(
            "Giấy xác nhận tình trạng hôn nhânMã: KQ.G15.000038Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phố",
        );
        assert_eq!(coverage, Coverage::Full);
        assert_eq!(results, vec!["Giấy xác nhận tình trạng hôn nhân"]);
    }

    #[test]
    fn a_whole_record_becomes_a_procedure() {
        let record = PortalRecord {
            ma_thu_tuc: "1.004873".to_owned(),
            ten_thu_tuc: "Cấp Giấy xác nhận tình trạng hôn nhân".to_owned(),
            cap_thuc_hien: "Cấp tỉnh, Cấp xã".to_owned(),
            linh_vuc: "Hộ tịch".to_owned(),
            yeu_cau_dieu_kien: NO_INFORMATION.to_owned(),
            cach_thuc_thuc_hien: "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3Miễn phí"
                .to_owned(),
            thanh_phan_ho_so: "Nộp lại giấy cũ.1 bản chính".to_owned(),
            can_cu_phap_ly: "Không đọc được".to_owned(),
            ..PortalRecord::default()
        };
        let parsed = parse_portal_record(&record);
        let procedure = parsed.procedure;
        assert_eq!(procedure.levels, vec!["Cấp tỉnh", "Cấp xã"]);
        assert_eq!(procedure.online_level, OnlineLevel::Partial);
        assert_eq!(procedure.conditions, "");
        assert_eq!(procedure.cases[0].documents[0].name, "Nộp lại giấy cũ.");
        assert_eq!(parsed.coverage[3], Coverage::NotParsed);
        assert_eq!(procedure.unparsed[0].field, "can_cu_phap_ly");
        assert_eq!(procedure.unparsed[0].text, "Không đọc được");
    }

    #[test]
    fn decomposed_text_is_normalised() {
        let decomposed: String = "Căn cước".nfd().collect();
        assert_eq!(clean(&format!("{decomposed}\u{200e}\u{a0}")), "Căn cước");
    }

    #[test]
    fn bad_lines_are_reported_by_line() {
        let problems = parse_portal_lines("{\"ma_thu_tuc\": \"1.1\", \"ten_thu_tuc\": \"A\"}\nnot json\n{\"ma_thu_tuc\": \"1.2\"}").unwrap_err();
        let located: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.record, p.field.as_str()))
            .collect();
        assert_eq!(located, vec![(2, ""), (3, "ten_thu_tuc")]);
    }
}

/// How well a whole file parsed: per field, how many records parsed fully, partly or not at
/// all, and the records with the most fields not fully parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageReport {
    pub records: usize,
    pub per_field: Vec<(&'static str, usize, usize, usize)>,
    pub worst: Vec<(String, String, usize)>,
}

impl CoverageReport {
    pub const WORST_LISTED: usize = 10;

    pub fn of(parsed: &[ParsedRecord]) -> CoverageReport {
        let per_field = REPORTED_FIELDS
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let count = |wanted: Coverage| {
                    parsed
                        .iter()
                        .filter(|p| p.coverage[index] == wanted)
                        .count()
                };
                (
                    *field,
                    count(Coverage::Full),
                    count(Coverage::Partial),
                    count(Coverage::NotParsed),
                )
            })
            .collect();
        let mut worst: Vec<(String, String, usize)> = parsed
            .iter()
            .map(|p| {
                let not_full = p.coverage.iter().filter(|c| **c != Coverage::Full).count();
                (p.procedure.code.clone(), p.procedure.name.clone(), not_full)
            })
            .filter(|(_, _, not_full)| *not_full > 0)
            .collect();
        worst.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        worst.truncate(Self::WORST_LISTED);
        CoverageReport {
            records: parsed.len(),
            per_field,
            worst,
        }
    }
}

impl std::fmt::Display for CoverageReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Mức đọc được theo trường ({} bản ghi):", self.records)?;
        writeln!(
            f,
            "  {:<22} {:>8} {:>8} {:>8}",
            "trường", "đủ", "một phần", "không"
        )?;
        for (field, full, partial, not_parsed) in &self.per_field {
            writeln!(f, "  {field:<22} {full:>8} {partial:>8} {not_parsed:>8}")?;
        }
        if !self.worst.is_empty() {
            writeln!(f, "Bản ghi đọc kém nhất (số trường chưa đọc đủ):")?;
            for (code, name, count) in &self.worst {
                let short: String = name.chars().take(60).collect();
                writeln!(f, "  {code} ({count}): {short}")?;
            }
        }
        Ok(())
    }
}
