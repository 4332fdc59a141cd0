//! Telling citizens without being asked (issue 20): the channel a citizen chose, what each event
//! of a dossier says on each channel and in each language, when a failed delivery is tried
//! again, and when Zalo may send. Pure: the outbox (`db::notifications`) keeps what happened in
//! the same transaction as the change; the server's worker composes and delivers it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calendar::{Date, vietnam_second_of_day};
use super::lifecycle::Status;
use super::search::strip_diacritics;
use super::tracking::EventDetails;
use crate::i18n::Lang;

/// How a citizen asked to be told. "None" is a choice too: nothing is written to the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Channel {
    #[default]
    None,
    Email,
    Sms,
    Zalo,
    /// The browser of the phone the citizen filed or looked up from (no account, no app).
    WebPush,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::None,
        Channel::Email,
        Channel::Sms,
        Channel::Zalo,
        Channel::WebPush,
    ];

    /// The form value and the database's word for the channel.
    pub fn key(self) -> &'static str {
        match self {
            Channel::None => "none",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Zalo => "zalo",
            Channel::WebPush => "web-push",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|channel| channel.key() == key)
    }

    /// Whether messages on this channel go to the applicant's phone number.
    pub fn needs_phone(self) -> bool {
        matches!(self, Channel::Sms | Channel::Zalo)
    }

    /// The address a message on this channel goes to, from the applicant's details; `None`
    /// when the citizen gave none (a web push subscription is stored apart, by the browser).
    pub fn recipient<'a>(self, phone: &'a str, email: &'a str) -> Option<&'a str> {
        let address = match self {
            Channel::Email => email,
            Channel::Sms | Channel::Zalo => phone,
            Channel::None | Channel::WebPush => return None,
        };
        (!address.is_empty()).then_some(address)
    }
}

/// What a message tells: one kind per status a dossier reaches, the apology for a late dossier,
/// and the reminder before a supplement's deadline. Kept as JSON in the outbox with what the
/// message needs, so a message says what was true when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    Received,
    Accepted {
        appointment: Option<Date>,
    },
    Refused {
        reason: String,
    },
    Processing,
    SupplementRequested {
        documents: Vec<String>,
        /// None only for a request recorded without its details.
        deadline: Option<Date>,
    },
    FeeRequested {
        amount_dong: i64,
        how_to_pay: String,
    },
    Withdrawn,
    Stopped {
        reason: String,
    },
    ResultReady {
        pickup: String,
    },
    HandedOver,
    Apology {
        new_date: Date,
    },
    SupplementReminder {
        deadline: Date,
    },
}

impl Notice {
    /// The message a status change sends, from its details (the reason, the documents missing,
    /// the fee…); the public note stands in for a reason the details do not give.
    pub fn of_change(
        to: Status,
        details: Option<&EventDetails>,
        public_note: &str,
        appointment: Option<Date>,
    ) -> Notice {
        let reason = || match details {
            Some(EventDetails::Reason { text }) => text.clone(),
            _ => public_note.to_owned(),
        };
        match (to, details) {
            (Status::Submitted, _) => Notice::Received,
            (Status::Accepted, _) => Notice::Accepted { appointment },
            (Status::Refused, _) => Notice::Refused { reason: reason() },
            (Status::Processing, _) => Notice::Processing,
            (
                Status::SupplementRequested,
                Some(EventDetails::Supplement {
                    documents,
                    deadline,
                }),
            ) => Notice::SupplementRequested {
                documents: documents.clone(),
                deadline: Some(*deadline),
            },
            (Status::SupplementRequested, _) => Notice::SupplementRequested {
                documents: vec![public_note.to_owned()],
                deadline: None,
            },
            (
                Status::FeeRequested,
                Some(EventDetails::Fee {
                    amount_dong,
                    how_to_pay,
                }),
            ) => Notice::FeeRequested {
                amount_dong: *amount_dong,
                how_to_pay: how_to_pay.clone(),
            },
            (Status::FeeRequested, _) => Notice::FeeRequested {
                amount_dong: 0,
                how_to_pay: public_note.to_owned(),
            },
            (Status::Withdrawn, _) => Notice::Withdrawn,
            (Status::Stopped, _) => Notice::Stopped { reason: reason() },
            (Status::ResultReady, Some(EventDetails::Result { pickup, .. })) => {
                Notice::ResultReady {
                    pickup: pickup.clone(),
                }
            }
            (Status::ResultReady, _) => Notice::ResultReady {
                pickup: public_note.to_owned(),
            },
            (Status::HandedOver, _) => Notice::HandedOver,
        }
    }

    /// The kind's name: the outbox's `kind` column, the templates' key, the staff page's label.
    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::Received => NoticeKind::Received,
            Notice::Accepted { .. } => NoticeKind::Accepted,
            Notice::Refused { .. } => NoticeKind::Refused,
            Notice::Processing => NoticeKind::Processing,
            Notice::SupplementRequested { .. } => NoticeKind::SupplementRequested,
            Notice::FeeRequested { .. } => NoticeKind::FeeRequested,
            Notice::Withdrawn => NoticeKind::Withdrawn,
            Notice::Stopped { .. } => NoticeKind::Stopped,
            Notice::ResultReady { .. } => NoticeKind::ResultReady,
            Notice::HandedOver => NoticeKind::HandedOver,
            Notice::Apology { .. } => NoticeKind::Apology,
            Notice::SupplementReminder { .. } => NoticeKind::SupplementReminder,
        }
    }

    /// The values a template fills in besides the dossier's own (`Facts`).
    fn values(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            Notice::Received | Notice::Processing | Notice::Withdrawn | Notice::HandedOver => {
                Vec::new()
            }
            Notice::Accepted { appointment } => vec![(
                "appointment",
                appointment.map(Date::day_month_year).unwrap_or_default(),
            )],
            Notice::Refused { reason } | Notice::Stopped { reason } => {
                vec![("reason", reason.clone())]
            }
            Notice::SupplementRequested {
                documents,
                deadline,
            } => vec![
                ("documents", documents.join("; ")),
                (
                    "deadline",
                    deadline.map(Date::day_month_year).unwrap_or_default(),
                ),
            ],
            Notice::FeeRequested {
                amount_dong,
                how_to_pay,
            } => vec![
                ("amount", lang.number(*amount_dong)),
                ("how_to_pay", how_to_pay.clone()),
            ],
            Notice::ResultReady { pickup } => vec![("pickup", pickup.clone())],
            Notice::Apology { new_date } => vec![("new_date", new_date.day_month_year())],
            Notice::SupplementReminder { deadline } => {
                vec![("deadline", deadline.day_month_year())]
            }
        }
    }
}

/// The kinds of message, as stored and as templates are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NoticeKind {
    Received,
    Accepted,
    Refused,
    Processing,
    SupplementRequested,
    FeeRequested,
    Withdrawn,
    Stopped,
    ResultReady,
    HandedOver,
    Apology,
    SupplementReminder,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 12] = [
        NoticeKind::Received,
        NoticeKind::Accepted,
        NoticeKind::Refused,
        NoticeKind::Processing,
        NoticeKind::SupplementRequested,
        NoticeKind::FeeRequested,
        NoticeKind::Withdrawn,
        NoticeKind::Stopped,
        NoticeKind::ResultReady,
        NoticeKind::HandedOver,
        NoticeKind::Apology,
        NoticeKind::SupplementReminder,
    ];

    pub fn key(self) -> &'static str {
        match self {
            NoticeKind::Received => "received",
            NoticeKind::Accepted => "accepted",
            NoticeKind::Refused => "refused",
            NoticeKind::Processing => "processing",
            NoticeKind::SupplementRequested => "supplement",
            NoticeKind::FeeRequested => "fee",
            NoticeKind::Withdrawn => "withdrawn",
            NoticeKind::Stopped => "stopped",
            NoticeKind::ResultReady => "result-ready",
            NoticeKind::HandedOver => "handed-over",
            NoticeKind::Apology => "apology",
            NoticeKind::SupplementReminder => "supplement-reminder",
        }
    }

    pub fn from_key(key: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// What every message about a dossier may name: its code, procedure, center, and the address
/// of the lookup form with the code filled in. The lookup key is never in a message: only its
/// hash is kept, and a text message can be read over a shoulder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts<'a> {
    pub code: &'a str,
    pub procedure: &'a str,
    pub center: &'a str,
    /// `https://…/tra-cuu?ma=CODE`.
    pub link: String,
}

/// One kind's words in one language: the subject (an email's, a push notification's title),
/// the full text (email, web push) and the short text for SMS, which is sent without
/// diacritics so that it fits one SMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
    pub short: String,
}

/// A message ready for a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    /// The text as simple HTML (paragraphs, the link clickable), escaped.
    pub html: String,
    /// For SMS: ASCII, at most `SMS_LENGTH` characters.
    pub short: String,
    /// The text's first paragraph, without the footer: a push notification's body.
    pub lead: String,
    /// Every value the templates could name, for a provider that fills its own registered
    /// template (Zalo ZNS).
    pub values: BTreeMap<String, String>,
}

/// One SMS without Unicode: 160 GSM characters.
pub const SMS_LENGTH: usize = 160;

/// The placeholders a template may use, and what each holds.
pub const PLACEHOLDERS: [&str; 12] = [
    "code",
    "procedure",
    "center",
    "link",
    "appointment",
    "reason",
    "documents",
    "deadline",
    "amount",
    "how_to_pay",
    "pickup",
    "new_date",
];

/// Fills `{name}` placeholders; an unknown name is left as written, so a typo shows in the
/// preview instead of vanishing.
pub fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if values.contains_key(&after[..close]) => {
                out.push_str(&values[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The parts of a template an administrator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TemplatePart {
    Subject,
    Body,
    Short,
}

/// What is wrong with a part of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateProblem {
    Empty,
    TooLong,
    /// A `{name}` that is not one of `PLACEHOLDERS` (it would be sent as typed).
    UnknownPlaceholder,
}

impl TemplatePart {
    /// The longest text the part may hold, in characters: a subject is one line, a short text
    /// is cut to one SMS when it is sent.
    pub fn longest(self) -> usize {
        match self {
            TemplatePart::Subject => 150,
            TemplatePart::Body => 2000,
            TemplatePart::Short => 300,
        }
    }
}

impl Template {
    /// The template's problems, part by part; none when it can be saved.
    pub fn problems(&self) -> BTreeMap<TemplatePart, TemplateProblem> {
        [
            (TemplatePart::Subject, &self.subject),
            (TemplatePart::Body, &self.body),
            (TemplatePart::Short, &self.short),
        ]
        .into_iter()
        .filter_map(|(part, text)| {
            let problem = if text.trim().is_empty() {
                TemplateProblem::Empty
            } else if text.chars().count() > part.longest() {
                TemplateProblem::TooLong
            } else if placeholders_in(text).any(|name| !PLACEHOLDERS.contains(&name)) {
                TemplateProblem::UnknownPlaceholder
            } else {
                return None;
            };
            Some((part, problem))
        })
        .collect()
    }
}

/// The `{name}`s a text uses (a name of letters, digits and `_`).
fn placeholders_in(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|after| {
        let name = &after[..after.find('}')?];
        (!name.is_empty() && name.chars().all(|ch| ch.is_alphanumeric() || ch == '_'))
            .then_some(name)
    })
}

/// A made-up dossier for an administrator's preview of a template.
pub fn sample_notice(kind: NoticeKind) -> Notice {
    let date = Date {
        year: 2026,
        month: 12,
        day: 18,
    };
    match kind {
        NoticeKind::Received => Notice::Received,
        NoticeKind::Accepted => Notice::Accepted {
            appointment: Some(date),
        },
        NoticeKind::Refused => Notice::Refused {
            reason: "Thủ tục này không thuộc thẩm quyền của xã".to_owned(),
        },
        NoticeKind::Processing => Notice::Processing,
        NoticeKind::SupplementRequested => Notice::SupplementRequested {
            documents: vec!["Giấy chứng sinh (bản chính)".to_owned()],
            deadline: Some(date),
        },
        NoticeKind::FeeRequested => Notice::FeeRequested {
            amount_dong: 8_000,
            how_to_pay: "Nộp tại quầy hoặc chuyển khoản".to_owned(),
        },
        NoticeKind::Withdrawn => Notice::Withdrawn,
        NoticeKind::Stopped => Notice::Stopped {
            reason: "Theo yêu cầu của người nộp".to_owned(),
        },
        NoticeKind::ResultReady => Notice::ResultReady {
            pickup: "Quầy số 2, Trung tâm Phục vụ hành chính công xã".to_owned(),
        },
        NoticeKind::HandedOver => Notice::HandedOver,
        NoticeKind::Apology => Notice::Apology { new_date: date },
        NoticeKind::SupplementReminder => Notice::SupplementReminder { deadline: date },
    }
}

/// The fields of the administrator's template form, and what its buttons ask.
pub mod template_field {
    pub const KIND: &str = "loai";
    pub const LANGUAGE: &str = "ngon-ngu";
    pub const SUBJECT: &str = "tieu-de";
    /// Not `noi-dung`: that is the id of every page's main content.
    pub const BODY: &str = "noi-dung-tin";
    pub const SHORT: &str = "tin-ngan";
    pub const ACTION: &str = "viec";
    pub const PREVIEW: &str = "xem-truoc";
    pub const SAVE: &str = "luu";
    pub const RESET: &str = "mac-dinh";
    /// In the address after a save: the page says so.
    pub const SAVED: &str = "da-luu";
}

impl TemplatePart {
    /// The form field the part is written in.
    pub fn field(self) -> &'static str {
        match self {
            TemplatePart::Subject => template_field::SUBJECT,
            TemplatePart::Body => template_field::BODY,
            TemplatePart::Short => template_field::SHORT,
        }
    }
}

/// Composes a notice with `template` for the dossier described by `facts`.
pub fn compose(notice: &Notice, facts: &Facts, template: &Template, lang: Lang) -> Composed {
    let mut values: BTreeMap<String, String> = [
        ("code", facts.code.to_owned()),
        ("procedure", facts.procedure.to_owned()),
        ("center", facts.center.to_owned()),
        ("link", facts.link.clone()),
    ]
    .into_iter()
    .chain(notice.values(lang))
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    for name in PLACEHOLDERS {
        values.entry(name.to_owned()).or_default();
    }
    let text = fill(&template.body, &values);
    Composed {
        subject: single_line(&fill(&template.subject, &values)),
        lead: text
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        html: text_to_html(&text),
        short: fit_sms(&template.short, &values),
        text,
        values,
    }
}

fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The short template filled without diacritics, in one SMS: the values people wrote (a
/// reason, the documents, the procedure's name) are shortened, longest first, never the code or
/// the link.
pub fn fit_sms(template: &str, values: &BTreeMap<String, String>) -> String {
    const SHORTENABLE: [&str; 5] = ["documents", "reason", "how_to_pay", "pickup", "procedure"];
    let mut values: BTreeMap<String, String> = values
        .iter()
        .map(|(name, value)| (name.clone(), sms_text(value)))
        .collect();
    // The template's own braces are its placeholders: kept until it is filled.
    let template = ascii_for_sms(template, true);
    loop {
        let text = single_line(&fill(&template, &values));
        let length = text.chars().count();
        if length <= SMS_LENGTH {
            return text;
        }
        let longest = SHORTENABLE
            .iter()
            .filter(|name| values.get(**name).is_some_and(|value| value.len() > 3))
            .max_by_key(|name| values[**name].chars().count());
        let Some(name) = longest else {
            // Only the fixed words, the code and the link are left: cut the end.
            return text.chars().take(SMS_LENGTH).collect();
        };
        let value = &values[*name];
        let keep = value
            .chars()
            .count()
            .saturating_sub(length - SMS_LENGTH + 3);
        let shortened = format!(
            "{}...",
            value.chars().take(keep).collect::<String>().trim_end()
        );
        values.insert((*name).to_owned(), shortened);
        if keep == 0 {
            values.insert((*name).to_owned(), String::new());
        }
    }
}

/// Vietnamese without diacritics, keeping case and punctuation, in printable ASCII: what a
/// non-Unicode SMS carries.
pub fn sms_text(text: &str) -> String {
    ascii_for_sms(text, false)
}

fn ascii_for_sms(text: &str, keep_braces: bool) -> String {
    strip_diacritics(text)
        .chars()
        .map(|ch| match ch {
            '{' | '}' if keep_braces => ch,
            '\n' | '\t' => ' ',
            '–' | '—' => '-',
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '…' => '.',
            // GSM 7-bit's extension characters take two places, and ` is not in it: plain
            // characters instead, so the count is the count the SMS is charged by.
            '[' | '{' => '(',
            ']' | '}' => ')',
            '\\' | '|' => '/',
            '~' => '-',
            '^' => ' ',
            '`' => '\'',
            ch if ch.is_ascii() && !ch.is_ascii_control() => ch,
            _ => '?',
        })
        .collect()
}

/// Plain text as escaped HTML paragraphs, with `http(s)://` addresses made into links.
pub fn text_to_html(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .filter(|paragraph| !paragraph.trim().is_empty())
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.lines().map(linked).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect();
    paragraphs.join("\n")
}

fn linked(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                let address = escape(word);
                format!("<a href=\"{address}\">{address}</a>")
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch => out.push(ch),
        }
    }
    out
}

/// The center's words for each kind of message until an administrator changes them.
pub fn default_template(kind: NoticeKind, lang: Lang) -> Template {
    let (subject, body, short) = match lang {
        Lang::Vi => vietnamese(kind),
        Lang::En => english(kind),
    };
    let footer = match lang {
        Lang::Vi => {
            "\n\nXem hồ sơ: {link}\n(Nhập mã tra cứu in trên giấy hẹn để mở hồ sơ.)\n\n{center}"
        }
        Lang::En => {
            "\n\nSee the application: {link}\n(Enter the lookup key printed on your receipt to open it.)\n\n{center}"
        }
    };
    Template {
        subject: subject.to_owned(),
        body: format!("{body}{footer}"),
        short: short.to_owned(),
    }
}

fn vietnamese(kind: NoticeKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        NoticeKind::Received => (
            "Đã nhận hồ sơ {code}",
            "Trung tâm đã nhận hồ sơ {procedure} của ông/bà, mã hồ sơ {code}. Cán bộ sẽ kiểm tra và báo lại.",
            "Da nhan ho so {code}. Xem: {link}",
        ),
        NoticeKind::Accepted => (
            "Hồ sơ {code} đã được tiếp nhận",
            "Hồ sơ {procedure} (mã {code}) đã được tiếp nhận. Ngày hẹn trả kết quả: {appointment}.",
            "Ho so {code} da duoc tiep nhan, hen tra {appointment}. Xem: {link}",
        ),
        NoticeKind::Refused => (
            "Hồ sơ {code} không được tiếp nhận",
            "Hồ sơ {procedure} (mã {code}) không được tiếp nhận. Lý do: {reason}",
            "Ho so {code} khong duoc tiep nhan: {reason}. Xem: {link}",
        ),
        NoticeKind::Processing => (
            "Hồ sơ {code} đang được giải quyết",
            "Hồ sơ {procedure} (mã {code}) đang được cán bộ giải quyết.",
            "Ho so {code} dang duoc giai quyet. Xem: {link}",
        ),
        NoticeKind::SupplementRequested => (
            "Hồ sơ {code} cần bổ sung giấy tờ",
            "Hồ sơ {procedure} (mã {code}) cần bổ sung: {documents}.\nHạn bổ sung: {deadline}. Ông/bà có thể gửi trên trang tra cứu hoặc mang đến Trung tâm.",
            "Ho so {code} can bo sung: {documents}. Han {deadline}. Xem: {link}",
        ),
        NoticeKind::FeeRequested => (
            "Hồ sơ {code}: mời nộp phí, lệ phí",
            "Hồ sơ {procedure} (mã {code}) cần nộp {amount} đồng.\nCách nộp: {how_to_pay}",
            "Ho so {code} can nop {amount} dong. Xem: {link}",
        ),
        NoticeKind::Withdrawn => (
            "Hồ sơ {code} đã được rút",
            "Hồ sơ {procedure} (mã {code}) đã được rút theo yêu cầu của ông/bà.",
            "Ho so {code} da duoc rut theo yeu cau. Xem: {link}",
        ),
        NoticeKind::Stopped => (
            "Hồ sơ {code} đã dừng xử lý",
            "Hồ sơ {procedure} (mã {code}) đã dừng xử lý. Lý do: {reason}",
            "Ho so {code} da dung xu ly: {reason}. Xem: {link}",
        ),
        NoticeKind::ResultReady => (
            "Hồ sơ {code} đã có kết quả",
            "Hồ sơ {procedure} (mã {code}) đã có kết quả.\nNơi nhận: {pickup}\nKhi đến nhận, mang theo giấy hẹn và căn cước.",
            "Ho so {code} da co ket qua. Nhan tai: {pickup}. Xem: {link}",
        ),
        NoticeKind::HandedOver => (
            "Hồ sơ {code} đã trả kết quả",
            "Hồ sơ {procedure} (mã {code}) đã trả kết quả. Mời ông/bà đánh giá sự hài lòng trên trang tra cứu.",
            "Ho so {code} da tra ket qua. Moi danh gia: {link}",
        ),
        NoticeKind::Apology => (
            "Hồ sơ {code}: xin lỗi vì trễ hẹn",
            "Trung tâm xin lỗi vì hồ sơ {procedure} (mã {code}) chưa có kết quả đúng hẹn. Ngày hẹn mới: {new_date}.",
            "Xin loi: ho so {code} tre hen, hen moi {new_date}. Xem: {link}",
        ),
        NoticeKind::SupplementReminder => (
            "Nhắc: hồ sơ {code} cần bổ sung trước {deadline}",
            "Hồ sơ {procedure} (mã {code}) vẫn chờ giấy tờ bổ sung. Hạn bổ sung: {deadline}.",
            "Nhac: ho so {code} can bo sung truoc {deadline}. Xem: {link}",
        ),
    }
}

fn english(kind: NoticeKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        NoticeKind::Received => (
            "Application {code} received",
            "The center received your application for {procedure}, code {code}. Staff will check it and tell you.",
            "Application {code} received. See: {link}",
        ),
        NoticeKind::Accepted => (
            "Application {code} accepted",
            "Your application for {procedure} (code {code}) was accepted. The result is due on {appointment}.",
            "Application {code} accepted, due {appointment}. See: {link}",
        ),
        NoticeKind::Refused => (
            "Application {code} not accepted",
            "Your application for {procedure} (code {code}) was not accepted. Reason: {reason}",
            "Application {code} not accepted: {reason}. See: {link}",
        ),
        NoticeKind::Processing => (
            "Application {code} is being processed",
            "Your application for {procedure} (code {code}) is being processed.",
            "Application {code} is being processed. See: {link}",
        ),
        NoticeKind::SupplementRequested => (
            "Application {code} needs more papers",
            "Your application for {procedure} (code {code}) needs: {documents}.\nDeadline: {deadline}. You can send them from the lookup page or bring them to the center.",
            "Application {code} needs: {documents}. Deadline {deadline}. See: {link}",
        ),
        NoticeKind::FeeRequested => (
            "Application {code}: fee to pay",
            "Your application for {procedure} (code {code}) needs a payment of {amount} dong.\nHow to pay: {how_to_pay}",
            "Application {code}: please pay {amount} dong. See: {link}",
        ),
        NoticeKind::Withdrawn => (
            "Application {code} withdrawn",
            "Your application for {procedure} (code {code}) was withdrawn as you asked.",
            "Application {code} withdrawn as asked. See: {link}",
        ),
        NoticeKind::Stopped => (
            "Application {code} stopped",
            "Processing of your application for {procedure} (code {code}) stopped. Reason: {reason}",
            "Application {code} stopped: {reason}. See: {link}",
        ),
        NoticeKind::ResultReady => (
            "Application {code}: the result is ready",
            "The result of your application for {procedure} (code {code}) is ready.\nWhere: {pickup}\nBring your receipt and your identity card.",
            "Application {code}: result ready at {pickup}. See: {link}",
        ),
        NoticeKind::HandedOver => (
            "Application {code}: result handed over",
            "The result of your application for {procedure} (code {code}) was handed over. Please rate the service on the lookup page.",
            "Application {code} handed over. Please rate us: {link}",
        ),
        NoticeKind::Apology => (
            "Application {code}: sorry for the delay",
            "The center apologises: your application for {procedure} (code {code}) is late. New date: {new_date}.",
            "Sorry: application {code} is late, new date {new_date}. See: {link}",
        ),
        NoticeKind::SupplementReminder => (
            "Reminder: application {code} needs papers by {deadline}",
            "Your application for {procedure} (code {code}) still waits for papers. Deadline: {deadline}.",
            "Reminder: application {code} needs papers by {deadline}. See: {link}",
        ),
    }
}

/// A dossier on a member of staff's daily reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDossier {
    pub code: String,
    pub procedure: String,
    pub due: Date,
}

/// The daily email to a member of staff (in Vietnamese, the back office's language): the
/// dossiers past their date first, then those due within `DUE_SOON_WORKING_DAYS` working days,
/// each with its code, procedure and date (no citizen's name: the list travels by email), and
/// the link to the staff queue.
pub fn staff_reminder(
    name: &str,
    dossiers: &[DueDossier],
    today: Date,
    center: &str,
    queue_link: &str,
) -> Composed {
    let (overdue, due_soon): (Vec<&DueDossier>, Vec<&DueDossier>) =
        dossiers.iter().partition(|dossier| dossier.due < today);
    let lines = |dossiers: &[&DueDossier]| {
        dossiers
            .iter()
            .map(|dossier| {
                format!(
                    "- {} · {} · hạn {}",
                    dossier.code,
                    dossier.procedure,
                    dossier.due.day_month_year()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut sections = vec![format!("Chào {name},")];
    if !overdue.is_empty() {
        sections.push(format!(
            "Hồ sơ quá hạn ({}):\n{}",
            overdue.len(),
            lines(&overdue)
        ));
    }
    if !due_soon.is_empty() {
        sections.push(format!(
            "Hồ sơ sắp đến hạn, trong {} ngày làm việc ({}):\n{}",
            super::lifecycle::DUE_SOON_WORKING_DAYS,
            due_soon.len(),
            lines(&due_soon)
        ));
    }
    sections.push(format!("Xem trên trang cán bộ: {queue_link}"));
    sections.push(center.to_owned());
    let text = sections.join("\n\n");
    let subject = format!(
        "Nhắc việc {}: {} hồ sơ quá hạn, {} hồ sơ sắp đến hạn",
        today.day_month_year(),
        overdue.len(),
        due_soon.len()
    );
    Composed {
        lead: subject.clone(),
        subject,
        html: text_to_html(&text),
        short: String::new(),
        text,
        values: BTreeMap::new(),
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageState {
    Pending,
    Sending,
    Sent,
    /// Given up after its tries, or refused by the provider: staff may resend it.
    Dead,
}

impl MessageState {
    pub fn key(self) -> &'static str {
        match self {
            MessageState::Pending => "pending",
            MessageState::Sending => "sending",
            MessageState::Sent => "sent",
            MessageState::Dead => "dead",
        }
    }

    pub fn from_key(key: &str) -> Option<MessageState> {
        [
            MessageState::Pending,
            MessageState::Sending,
            MessageState::Sent,
            MessageState::Dead,
        ]
        .into_iter()
        .find(|state| state.key() == key)
    }
}

/// A message as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRecord {
    pub id: i64,
    pub dossier_code: String,
    pub kind: NoticeKind,
    pub channel: Channel,
    pub recipient: String,
    pub state: MessageState,
    pub attempts: u32,
    pub provider_answer: String,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
}

/// What a delivery attempt came to, as a provider's answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered {
        answer: String,
    },
    /// Worth trying again later (a network error, a busy provider, an empty balance).
    Retry {
        answer: String,
    },
    /// Trying again cannot help (a bad number, a refused template): staff see it and resend.
    GiveUp {
        answer: String,
    },
}

/// When to try a failed message again, and when to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub first_delay_seconds: i64,
    pub longest_delay_seconds: i64,
    pub attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min, … up to an hour between tries; ten tries (about five hours) in all.
    fn default() -> Self {
        RetryPolicy {
            first_delay_seconds: 30,
            longest_delay_seconds: 3600,
            attempts: 10,
        }
    }
}

impl RetryPolicy {
    /// After `attempts` failed tries: the delay before the next, or `None` to give up.
    pub fn delay_after(self, attempts: u32) -> Option<i64> {
        if attempts >= self.attempts {
            return None;
        }
        let doubled = self
            .first_delay_seconds
            .saturating_mul(1_i64 << attempts.saturating_sub(1).min(40));
        Some(doubled.min(self.longest_delay_seconds))
    }
}

/// The push services browsers use; our server posts only to these (a subscription is typed by
/// whoever holds a dossier's key: without this list it could make the server call any address).
pub const PUSH_HOSTS: [&str; 5] = [
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
];

/// The fields the status page's script posts a push subscription in (the names of the
/// browser's `PushSubscription.toJSON()`).
pub mod push_field {
    pub const ENDPOINT: &str = "endpoint";
    pub const P256DH: &str = "p256dh";
    pub const AUTH: &str = "auth";
}

/// A browser's push subscription as the status page sends it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

impl PushSubscription {
    /// `endpoint` must be `https://` on one of `hosts` (a host or a parent domain of it), or
    /// `http://127.0.0.1` when `hosts` names it (the tests' push service); the keys must be
    /// base64url of a P-256 point (65 bytes) and a 16-byte secret.
    pub fn parse(
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        hosts: &[String],
    ) -> Option<PushSubscription> {
        let endpoint = endpoint.trim();
        // Only the characters a URL may hold unescaped, and no backslash: an HTTP client reads
        // a backslash, `?` and `#` as the end of the host, so none may hide a host behind an
        // allowed name.
        let url_characters = endpoint
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b));
        let (scheme, rest) = endpoint.split_once("://")?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let host = host.to_ascii_lowercase();
        let plain_host = !host.is_empty()
            && !host.starts_with('.')
            && !host.ends_with('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        let allowed = hosts
            .iter()
            .filter(|allowed| !allowed.is_empty())
            .any(|allowed| host == *allowed || host.ends_with(&format!(".{allowed}")));
        let loopback = host == "127.0.0.1";
        let scheme_and_port_ok = match (scheme, port) {
            ("https", None | Some("443")) => true,
            ("https" | "http", Some(port)) if loopback => port.parse::<u16>().is_ok(),
            _ => false,
        };
        if !url_characters
            || !plain_host
            || !allowed
            || !scheme_and_port_ok
            || !path.starts_with('/')
            || endpoint.len() > 1000
        {
            return None;
        }
        // Unpadded base64url of 65 bytes is 87 characters, of 16 bytes 22.
        let base64url_of = |text: &str, characters: usize| {
            let text = text.trim().trim_end_matches('=');
            text.len() == characters
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        (base64url_of(p256dh, 87) && base64url_of(auth, 22)).then(|| PushSubscription {
            endpoint: endpoint.to_owned(),
            p256dh: p256dh.trim().trim_end_matches('=').to_owned(),
            auth: auth.trim().trim_end_matches('=').to_owned(),
        })
    }
}

/// How many working days before a supplement's deadline the citizen is reminded.
pub const REMINDER_WORKING_DAYS: u32 = 2;

/// Whether the citizen asked on `requested` for papers due on `deadline` is reminded `today`:
/// from two working days before the deadline to the deadline itself, unless the request was
/// made within that span (its own message is still fresh).
pub fn reminds_today(
    requested: Date,
    deadline: Date,
    today: Date,
    calendar: &super::working_days::Calendar,
) -> bool {
    let mut first_day = deadline;
    for _ in 0..REMINDER_WORKING_DAYS {
        first_day = first_day.add_days(-1);
        while !calendar.is_working_day(first_day) {
            first_day = first_day.add_days(-1);
        }
    }
    requested < first_day && first_day <= today && today <= deadline
}

/// Reminders are written from 07:00 to 20:00 in Vietnam, not at the hour a server happens to
/// look at night.
pub fn reminder_hours(now: i64) -> bool {
    (7 * 3600..20 * 3600).contains(&vietnam_second_of_day(now))
}

/// Zalo sends notification messages between 06:00 and 22:00 (Vietnam): the first moment at or
/// after `now` (Unix seconds) inside that window.
pub fn zalo_window(now: i64) -> i64 {
    const OPENS: i64 = 6 * 3600;
    const CLOSES: i64 = 22 * 3600;
    let second_of_day = vietnam_second_of_day(now);
    if second_of_day < OPENS {
        now + OPENS - second_of_day
    } else if second_of_day >= CLOSES {
        now + 86_400 - second_of_day + OPENS
    } else {
        now
    }
}

/// eSMS's `CodeResult` (developers.esms.vn, "Table of error codes"): 100 accepted; 124 a
/// `RequestId` it already took (an earlier try of this message reached it: delivered, never
/// twice); a full balance (103) and its own trouble (99 is a blocked number: give up) may pass;
/// a wrong key, brandname, template, number or address cannot.
pub fn esms_outcome(code_result: &str, answer: String) -> Outcome {
    match code_result {
        "100" | "124" => Outcome::Delivered { answer },
        "103" | "199" => Outcome::Retry { answer },
        "99" | "101" | "102" | "104" | "108" | "118" | "140" | "146" | "177" => {
            Outcome::GiveUp { answer }
        }
        _ => Outcome::Retry { answer },
    }
}

/// Zalo ZNS's `error` (zalo.cloud, "Cách xử lý mã lỗi", for 0 to -112; the names of -113 to
/// -119 in the same table's order from a reseller's copy of it, -118 "Zalo account not
/// existed" confirmed by another provider's published callback; -124 is an expired access
/// token, which the adapter answers by refreshing it). A wrong set-up (application, secret,
/// template), a number that is not on Zalo or refuses ZNS cannot pass by trying again; Zalo's
/// own trouble (-100) and an empty quota (-115, refilled daily or by a top-up) may.
pub fn zns_outcome(error: i64, answer: String) -> Outcome {
    match error {
        0 => Outcome::Delivered { answer },
        -119..=-116 | -114..=-101 => Outcome::GiveUp { answer },
        _ => Outcome::Retry { answer },
    }
}

/// The phone number as ZNS takes it: `84` and the number without its leading zero.
pub fn zns_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) => format!("84{rest}"),
        None => digits,
    }
}

/// The longest value a ZNS template parameter is given (Zalo refuses a message whose values
/// are longer than its template's parameters allow, -112).
pub const ZNS_PARAMETER_LENGTH: usize = 100;

/// The values a registered ZNS template is filled with: the code, the procedure and what the
/// notice's own words name (`{deadline}`, `{documents}`…), under the templates' placeholder
/// names, each cut to `ZNS_PARAMETER_LENGTH` characters. Never the lookup key, never a link
/// with it: a ZNS template's button carries the center's lookup address, registered with Zalo.
pub fn zns_template_data(
    notice: &Notice,
    values: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    ["code", "procedure"]
        .into_iter()
        .chain(notice.values(Lang::Vi).into_iter().map(|(name, _)| name))
        .map(|name| {
            let value = values.get(name).map(String::as_str).unwrap_or_default();
            let value = if value.chars().count() > ZNS_PARAMETER_LENGTH {
                let kept: String = value.chars().take(ZNS_PARAMETER_LENGTH - 1).collect();
                format!("{}…", kept.trim_end())
            } else {
                value.to_owned()
            };
            (name.to_owned(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts<'static> {
        Facts {
            code: "000.00.12.H56-261206-0001",
            procedure: "Đăng ký khai sinh",
            center: "Trung tâm Phục vụ hành chính công xã Tân Lập",
            link: "https://motcua.tanlap.gov.vn/tra-cuu?ma=000.00.12.H56-261206-0001".to_owned(),
        }
    }

    fn date(day: u32) -> Date {
        Date {
            year: 2026,
            month: 12,
            day,
        }
    }

    #[test]
    fn channels_round_trip_and_know_their_address() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_key(channel.key()), Some(channel));
        }
        assert_eq!(Channel::from_key("fax"), None);
        assert_eq!(
            Channel::Sms.recipient("0912345678", "a@b.vn"),
            Some("0912345678")
        );
        assert_eq!(Channel::Email.recipient("0912345678", ""), None);
        assert_eq!(Channel::WebPush.recipient("0912345678", "a@b.vn"), None);
    }

    #[test]
    fn a_status_change_says_what_its_details_say() {
        let supplement = EventDetails::Supplement {
            documents: vec!["Giấy chứng sinh".to_owned()],
            deadline: date(20),
        };
        assert_eq!(
            Notice::of_change(Status::SupplementRequested, Some(&supplement), "", None),
            Notice::SupplementRequested {
                documents: vec!["Giấy chứng sinh".to_owned()],
                deadline: Some(date(20))
            }
        );
        let reason = EventDetails::Reason {
            text: "Không thuộc thẩm quyền".to_owned(),
        };
        assert_eq!(
            Notice::of_change(Status::Refused, Some(&reason), "ghi chú", None),
            Notice::Refused {
                reason: "Không thuộc thẩm quyền".to_owned()
            }
        );
        assert_eq!(
            Notice::of_change(Status::Stopped, None, "Theo yêu cầu", None),
            Notice::Stopped {
                reason: "Theo yêu cầu".to_owned()
            }
        );
        assert_eq!(
            Notice::of_change(Status::Accepted, None, "", Some(date(12))),
            Notice::Accepted {
                appointment: Some(date(12))
            }
        );
    }

    #[test]
    fn kinds_round_trip() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::from_key(kind.key()), Some(kind));
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_unknown_ones() {
        let values = BTreeMap::from([("code".to_owned(), "X-1".to_owned())]);
        assert_eq!(fill("Hồ sơ {code} {mã} {", &values), "Hồ sơ X-1 {mã} {");
        assert_eq!(fill("{code}{code}", &values), "X-1X-1");
    }

    #[test]
    fn every_default_template_uses_only_known_placeholders() {
        for kind in NoticeKind::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let template = default_template(kind, lang);
                for text in [&template.subject, &template.body, &template.short] {
                    let mut rest = text.as_str();
                    while let Some(open) = rest.find('{') {
                        let close = rest[open..].find('}').expect("closed placeholder") + open;
                        let name = &rest[open + 1..close];
                        assert!(PLACEHOLDERS.contains(&name), "{kind:?} {lang:?}: {name}");
                        rest = &rest[close + 1..];
                    }
                }
                assert!(template.short.contains("{link}") || template.short.contains("{code}"));
            }
        }
    }

    #[test]
    fn a_supplement_email_names_the_papers_the_deadline_and_the_link() {
        let notice = Notice::SupplementRequested {
            documents: vec!["Giấy chứng sinh".to_owned(), "Tờ khai".to_owned()],
            deadline: Some(date(20)),
        };
        let template = default_template(NoticeKind::SupplementRequested, Lang::Vi);
        let composed = compose(&notice, &facts(), &template, Lang::Vi);
        assert_eq!(
            composed.subject,
            "Hồ sơ 000.00.12.H56-261206-0001 cần bổ sung giấy tờ"
        );
        assert!(composed.text.contains("Giấy chứng sinh; Tờ khai"));
        assert!(composed.text.contains("20/12/2026"));
        assert!(
            composed.html.contains(
                "<a href=\"https://motcua.tanlap.gov.vn/tra-cuu?ma=000.00.12.H56-261206-0001\">"
            ),
            "{}",
            composed.html
        );
        assert!(composed.short.is_ascii());
        assert!(composed.short.contains("Giay chung sinh"));
        assert!(composed.lead.starts_with("Hồ sơ Đăng ký khai sinh"));
        assert!(
            !composed.lead.contains("Xem hồ sơ"),
            "the footer is not in the lead"
        );
    }

    #[test]
    fn an_sms_fits_one_message_and_keeps_the_code_and_link() {
        let notice = Notice::SupplementRequested {
            documents: vec!["Bản sao giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất".to_owned(); 3],
            deadline: Some(date(20)),
        };
        for lang in [Lang::Vi, Lang::En] {
            let template = default_template(NoticeKind::SupplementRequested, lang);
            let short = compose(&notice, &facts(), &template, lang).short;
            assert!(short.chars().count() <= SMS_LENGTH, "{short}");
            assert!(short.is_ascii());
            assert!(short.contains("000.00.12.H56-261206-0001"));
            assert!(short.ends_with(&facts().link), "{short}");
            assert!(short.contains("..."));
        }
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            text_to_html("a <b> & \"c\"\n\nhttps://x.vn/?a=1&b=2"),
            "<p>a &lt;b&gt; &amp; &quot;c&quot;</p>\n<p><a href=\"https://x.vn/?a=1&amp;b=2\">https://x.vn/?a=1&amp;b=2</a></p>"
        );
    }

    #[test]
    fn sms_text_drops_diacritics_but_keeps_case() {
        assert_eq!(
            sms_text("Đăng ký Khai sinh – “ABC”"),
            "Dang ky Khai sinh - \"ABC\""
        );
        assert_eq!(sms_text("[a]{b}~c|d^e`f\\"), "(a)(b)-c/d e'f/");
    }

    #[test]
    fn retries_double_up_to_a_cap_then_stop() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_after(1), Some(30));
        assert_eq!(policy.delay_after(2), Some(60));
        assert_eq!(policy.delay_after(3), Some(120));
        assert_eq!(policy.delay_after(9), Some(3600));
        assert_eq!(policy.delay_after(10), None);
    }

    #[test]
    fn a_supplement_is_reminded_two_working_days_before_its_deadline() {
        use crate::domain::working_days::Calendar;
        let calendar = Calendar::new([2026], Vec::new());
        let day = |day| Date {
            year: 2026,
            month: 12,
            day,
        };
        // Friday 11 December: reminded from Wednesday 9 to the Friday itself.
        let (requested, deadline) = (day(1), day(11));
        assert!(!reminds_today(requested, deadline, day(8), &calendar));
        assert!(reminds_today(requested, deadline, day(9), &calendar));
        assert!(reminds_today(requested, deadline, day(11), &calendar));
        assert!(
            !reminds_today(requested, deadline, day(12), &calendar),
            "too late"
        );
        // Monday 14: the weekend does not count, so from Thursday 10.
        assert!(!reminds_today(requested, day(14), day(9), &calendar));
        assert!(reminds_today(requested, day(14), day(10), &calendar));
        // Asked on the Thursday for the Monday: its own message is the reminder.
        assert!(!reminds_today(day(10), day(14), day(11), &calendar));
        let midnight = day(9).start_in_vietnam();
        assert!(!reminder_hours(midnight + 6 * 3600 + 3599));
        assert!(reminder_hours(midnight + 7 * 3600));
        assert!(!reminder_hours(midnight + 20 * 3600));
    }

    #[test]
    fn push_subscriptions_go_only_to_known_push_services() {
        let key = "B".repeat(87);
        let secret = "s-_".repeat(7) + "x";
        let hosts: Vec<String> = PUSH_HOSTS.iter().map(|h| h.to_string()).collect();
        let ok =
            |endpoint: &str| PushSubscription::parse(endpoint, &key, &secret, &hosts).is_some();
        assert!(ok("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(ok("https://wns2-bn3p.notify.windows.com/w/?token=x"));
        assert!(ok("https://web.push.apple.com/QGuQ"));
        assert!(
            !ok("http://fcm.googleapis.com/fcm/send/abc"),
            "not over TLS"
        );
        assert!(!ok("https://evil.example/fcm.googleapis.com"));
        assert!(!ok("https://fcm.googleapis.com.evil.example/x"));
        assert!(!ok("https://user@fcm.googleapis.com/x"));
        assert!(
            !ok("https://internal-host?.fcm.googleapis.com/x"),
            "a query is not a host"
        );
        assert!(!ok("https://internal-host#.fcm.googleapis.com/x"));
        assert!(
            !ok("https://internal-host\\.fcm.googleapis.com/x"),
            "a backslash ends the host"
        );
        assert!(!ok("https://fcm.googleapis.com:8443/x"), "another port");
        assert!(!ok("https://fcm.googleapis.com./x"));
        assert!(!ok("https://fcm.googleapis.com"), "no path");
        let with_empty = vec![String::new(), "fcm.googleapis.com".to_owned()];
        assert!(
            PushSubscription::parse("https://evil.com./x", &key, &secret, &with_empty).is_none()
        );
        assert!(!ok("http://127.0.0.1:9/push"), "loopback only when named");
        let tests = vec!["127.0.0.1".to_owned()];
        assert!(
            PushSubscription::parse("http://127.0.0.1:9/push/1", &key, &secret, &tests).is_some()
        );
        assert!(
            PushSubscription::parse("https://fcm.googleapis.com/x", "AAAA", &secret, &hosts)
                .is_none()
        );
        assert!(
            PushSubscription::parse("https://fcm.googleapis.com/x", &key, "AAAA", &hosts).is_none()
        );
    }

    #[test]
    fn zalo_waits_for_six_in_the_morning() {
        // 2026-12-06 00:00 in Vietnam is 2026-12-05 17:00 UTC.
        let midnight = Date {
            year: 2026,
            month: 12,
            day: 6,
        }
        .start_in_vietnam();
        let six = midnight + 6 * 3600;
        assert_eq!(zalo_window(midnight + 3600), six);
        assert_eq!(zalo_window(six), six);
        assert_eq!(
            zalo_window(midnight + 21 * 3600 + 3599),
            midnight + 21 * 3600 + 3599
        );
        assert_eq!(zalo_window(midnight + 22 * 3600), six + 86_400);
        assert_eq!(zalo_window(midnight + 23 * 3600 + 59), six + 86_400);
    }

    #[test]
    fn esms_duplicates_count_as_delivered_and_bad_numbers_give_up() {
        assert!(matches!(
            esms_outcome("124", String::new()),
            Outcome::Delivered { .. }
        ));
        assert!(matches!(
            esms_outcome("108", String::new()),
            Outcome::GiveUp { .. }
        ));
        assert!(matches!(
            esms_outcome("103", String::new()),
            Outcome::Retry { .. }
        ));
        assert!(matches!(
            esms_outcome("500", String::new()),
            Outcome::Retry { .. }
        ));
    }

    #[test]
    fn zns_codes_say_whether_to_try_again() {
        assert!(matches!(
            zns_outcome(0, String::new()),
            Outcome::Delivered { .. }
        ));
        for refused in [-101, -108, -109, -112, -113, -114, -116, -118, -119] {
            assert!(
                matches!(zns_outcome(refused, String::new()), Outcome::GiveUp { .. }),
                "{refused}"
            );
        }
        for passing in [-100, -115, -124, -999] {
            assert!(
                matches!(zns_outcome(passing, String::new()), Outcome::Retry { .. }),
                "{passing}"
            );
        }
    }

    #[test]
    fn zns_gets_the_number_with_the_country_code() {
        assert_eq!(zns_phone("0912345678"), "84912345678");
        assert_eq!(zns_phone("+84 912 345 678"), "84912345678");
        assert_eq!(zns_phone("84912345678"), "84912345678");
    }

    #[test]
    fn a_zns_template_gets_the_notice_values_cut_to_fit() {
        let notice = Notice::SupplementRequested {
            documents: vec!["Giấy chứng sinh".repeat(10)],
            deadline: Some(date(20)),
        };
        let composed = compose(
            &notice,
            &facts(),
            &default_template(notice.kind(), Lang::Vi),
            Lang::Vi,
        );
        let data = zns_template_data(&notice, &composed.values);
        assert_eq!(
            data.keys().collect::<Vec<_>>(),
            ["code", "deadline", "documents", "procedure"]
        );
        assert_eq!(data["code"], "000.00.12.H56-261206-0001");
        assert_eq!(data["deadline"], "20/12/2026");
        assert_eq!(data["documents"].chars().count(), ZNS_PARAMETER_LENGTH);
        assert!(data["documents"].ends_with('…'));
        assert!(data.values().all(|value| !value.contains("http")));
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_or_nothing_in_it_is_refused() {
        let good = default_template(NoticeKind::Accepted, Lang::Vi);
        assert!(good.problems().is_empty());
        let bad = Template {
            subject: "  ".to_owned(),
            body: "Hồ sơ {ma_ho_so} đã xong {".to_owned(),
            short: "x".repeat(301),
        };
        assert_eq!(
            bad.problems(),
            BTreeMap::from([
                (TemplatePart::Subject, TemplateProblem::Empty),
                (TemplatePart::Body, TemplateProblem::UnknownPlaceholder),
                (TemplatePart::Short, TemplateProblem::TooLong),
            ])
        );
        // A brace that opens no name is plain text; a name not known is refused.
        let plain = Template {
            body: "Giờ làm việc {sáng 7h} và { và } {code}".to_owned(),
            ..good.clone()
        };
        assert!(plain.problems().is_empty());
        let unknown = Template {
            body: "Mã {mã}".to_owned(),
            ..good
        };
        assert_eq!(
            unknown.problems().get(&TemplatePart::Body),
            Some(&TemplateProblem::UnknownPlaceholder)
        );
    }

    #[test]
    fn every_kind_has_a_sample_for_the_preview() {
        for kind in NoticeKind::ALL {
            assert_eq!(sample_notice(kind).kind(), kind);
        }
    }

    #[test]
    fn a_staff_reminder_lists_the_late_first_then_the_soon() {
        let dossier = |code: &str, day: u32| DueDossier {
            code: code.to_owned(),
            procedure: "Đăng ký khai sinh".to_owned(),
            due: date(day),
        };
        let reminder = staff_reminder(
            "Nguyễn Thu",
            &[dossier("A-1", 7), dossier("A-2", 8), dossier("A-3", 10)],
            date(8),
            "Trung tâm xã Thử Nghiệm",
            "https://motcua.example.vn/can-bo/ho-so",
        );
        assert_eq!(
            reminder.subject,
            "Nhắc việc 08/12/2026: 1 hồ sơ quá hạn, 2 hồ sơ sắp đến hạn"
        );
        let late = reminder.text.find("A-1").unwrap();
        let soon = reminder.text.find("Hồ sơ sắp đến hạn").unwrap();
        assert!(late < soon && soon < reminder.text.find("A-2").unwrap());
        assert!(
            reminder
                .text
                .contains("- A-3 · Đăng ký khai sinh · hạn 10/12/2026")
        );
        assert!(
            reminder
                .html
                .contains("href=\"https://motcua.example.vn/can-bo/ho-so\"")
        );
        let only_soon = staff_reminder("T", &[dossier("B-1", 9)], date(8), "X", "https://x");
        assert!(!only_soon.text.contains("quá hạn ("));
    }
}
