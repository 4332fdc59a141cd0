//! Every string a person sees, in Vietnamese (the source) and English.
//!
//! The words live in `app/locales/{vi,en}.toml`, which translators edit without reading Rust;
//! `app/build.rs` turns them into one struct per table with a static per language, so a page reads
//! `t.filing.intro` and a missing or mismatched translation stops the build. The submodules here
//! only map our enums (statuses, problems, figures…) to their words.

/// The words of `$status` in a table with a key per status (`[filing.statuses]`,
/// `[tracking.next_steps]`).
macro_rules! by_status {
    ($words:expr, $status:expr) => {{
        use crate::domain::lifecycle::Status;
        let words = $words;
        match $status {
            Status::Submitted => words.submitted,
            Status::Accepted => words.accepted,
            Status::Refused => words.refused,
            Status::Processing => words.processing,
            Status::SupplementRequested => words.supplement_requested,
            Status::FeeRequested => words.fee_requested,
            Status::Withdrawn => words.withdrawn,
            Status::Stopped => words.stopped,
            Status::ResultReady => words.result_ready,
            Status::HandedOver => words.handed_over,
        }
    }};
}

mod back_office;
mod filing;
mod papers;
mod statistics;
mod tracking;

use serde::{Deserialize, Serialize};

pub use filing::file_size;

use crate::domain::procedure::{ChannelKind, OnlineLevel, TimeUnit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const COOKIE: &'static str = "motcua_lang";

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language chosen in the `Cookie` header; Vietnamese when none is chosen.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == Lang::COOKIE)
            .and_then(|(_, value)| Lang::from_code(value.trim()))
            .unwrap_or_default()
    }

    /// A label the domain carries in both languages (the e-forms' questions, which keep the
    /// official form's Vietnamese words).
    pub fn pick(self, words: crate::domain::declaration::Words) -> &'static str {
        match self {
            Lang::Vi => words.vi,
            Lang::En => words.en,
        }
    }

    /// A declaration's answer in this language: a choice by its words, anything else as given.
    pub fn answer_text(self, answer: &crate::domain::declaration::ShownAnswer) -> String {
        answer.choice.map_or_else(
            || answer.text.clone(),
            |choice| self.pick(choice).to_owned(),
        )
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

// The structs `Texts`, `FilingTexts`, … and their statics `VI`, `EN`, `FILING_VI`, …, generated from
// `app/locales/*.toml` by `app/build.rs`.
include!(concat!(env!("OUT_DIR"), "/texts.rs"));

/// A translated line with a count in it, carried into an island as data. An island that read
/// `Lang::texts` would pull every translation of both languages into the WebAssembly bundle;
/// this carries one line: its wording for one, and for any other count the text before and
/// after the number (so the island writes only the number, in the translators' word order).
/// The island writes the number without thousands separators: it counts lists, not thousands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountedLine {
    one: String,
    before: String,
    after: String,
}

impl CountedLine {
    pub fn new(lang: Lang, line: impl Fn(usize) -> String) -> CountedLine {
        // A count no list reaches marks where the number goes in the translated line.
        const MARK: usize = 987_654_321;
        let many = line(MARK);
        let split = many
            .split_once(&lang.number(MARK))
            .or_else(|| many.split_once(&MARK.to_string()));
        let (before, after) = match split {
            Some((before, after)) => (before.to_owned(), after.to_owned()),
            None => (String::new(), many.clone()),
        };
        CountedLine {
            one: line(1),
            before,
            after,
        }
    }

    /// The line for `count`.
    pub fn with(&self, count: usize) -> String {
        match count {
            1 => self.one.clone(),
            _ => format!("{}{count}{}", self.before, self.after),
        }
    }

    /// The line again from the words `with(1)` and `around_count` gave, as an island reads them
    /// from the page.
    #[cfg(feature = "hydrate")]
    pub fn from_words(one: String, before: String, after: String) -> CountedLine {
        CountedLine { one, before, after }
    }

    /// The text around the number, for a page whose script writes the number itself.
    pub fn around_count(&self) -> (&str, &str) {
        (&self.before, &self.after)
    }
}

/// A number a message counts or writes: whole counts and decimal amounts alike.
pub trait Count: Copy {
    fn amount(self) -> f64;
}

macro_rules! count_as_f64 {
    ($($number:ty),*) => {
        $(impl Count for $number {
            fn amount(self) -> f64 {
                self as f64
            }
        })*
    };
}
count_as_f64!(usize, u32, u64, i32, i64, f64);

/// The CLDR plural categories our languages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

impl Lang {
    /// Vietnamese nouns have one form; English (CLDR) takes the singular for exactly 1.
    pub fn plural(self, n: impl Count) -> Plural {
        match self {
            Lang::En if n.amount() == 1.0 => Plural::One,
            _ => Plural::Other,
        }
    }

    /// A number the way the language writes it, with at most two decimals:
    /// 1234567 → "1.234.567" / "1,234,567"; 0.5 → "0,5" / "0.5".
    pub fn number(self, value: impl Count) -> String {
        let value = value.amount();
        let (thousands, decimal) = match self {
            Lang::Vi => ('.', ','),
            Lang::En => (',', '.'),
        };
        let fixed = format!("{:.2}", value.abs());
        let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let fraction = fraction.trim_end_matches('0');
        let mut text = String::with_capacity(fixed.len() + whole.len() / 3 + 1);
        if value < 0.0 && fixed.bytes().any(|b| matches!(b, b'1'..=b'9')) {
            text.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                text.push(thousands);
            }
            text.push(digit);
        }
        if !fraction.is_empty() {
            text.push(decimal);
            text.push_str(fraction);
        }
        text
    }
}

impl Texts {
    pub fn problem(&self, problem: crate::domain::feedback::Problem) -> &'static str {
        self.filing.problem(problem)
    }

    pub fn online_level_name(&self, level: OnlineLevel) -> &'static str {
        let words = self.online_levels;
        match level {
            OnlineLevel::Full => words.full,
            OnlineLevel::Partial => words.partial,
            OnlineLevel::InformationOnly => words.information_only,
        }
    }

    pub fn channel_name(&self, kind: ChannelKind) -> &'static str {
        let words = self.channel_names;
        match kind {
            ChannelKind::Counter => words.counter,
            ChannelKind::Online => words.online,
            ChannelKind::Postal => words.postal,
        }
    }

    /// A processing time: "5 ngày làm việc", "1 working day", "0.5 working days".
    pub fn duration(&self, amount: f64, unit: TimeUnit) -> String {
        let words = self.durations;
        match unit {
            TimeUnit::WorkingDays => words.working_days(amount),
            TimeUnit::Days => words.days(amount),
            TimeUnit::WorkingHours => words.working_hours(amount),
            TimeUnit::Hours => words.hours(amount),
            TimeUnit::Unknown => self.lang.number(amount),
        }
    }

    /// A procedure's processing time as it states it: "5 ngày làm việc", or its own words
    /// ("Trong ngày"); none when it gives neither.
    pub fn processing_time(
        &self,
        time: &crate::domain::procedure::ProcessingTime,
    ) -> Option<String> {
        match time.amount {
            Some(amount) => Some(self.duration(amount, time.unit)),
            None => (!time.description.is_empty()).then(|| time.description.clone()),
        }
    }

    /// For citizens: the center looks the paper's data up in `record` (Resolution 66.7/2025).
    pub fn held_by(&self, record: crate::domain::intake_checklist::StateRecord) -> &'static str {
        use crate::domain::intake_checklist::StateRecord;
        match record {
            StateRecord::Population => self.held_population,
            StateRecord::CivilStatus => self.held_civil_status,
            StateRecord::Insurance => self.held_insurance,
            StateRecord::DrivingLicences => self.held_driving_licences,
            StateRecord::Vehicles => self.held_vehicles,
            StateRecord::CriminalRecords => self.held_criminal_records,
            StateRecord::HealthRecords => self.held_health_records,
            StateRecord::BusinessRegistration => self.held_business,
        }
    }

    /// "2 bản chính, 1 bản sao" / "2 originals, 1 copy"; empty when neither is asked for.
    pub fn document_counts(&self, originals: u32, copies: u32) -> String {
        let mut counts = Vec::new();
        if originals > 0 {
            counts.push(self.originals(originals));
        }
        if copies > 0 {
            counts.push(self.copies(copies));
        }
        counts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_line_carries_both_plurals_and_the_translators_word_order() {
        let found = CountedLine::new(Lang::En, |n| EN.results_found(n));
        assert_eq!(found.with(1), "1 procedure");
        assert_eq!(found.with(0), "0 procedures");
        assert_eq!(found.with(12), EN.results_found(12));
        let found = CountedLine::new(Lang::Vi, |n| VI.results_found(n));
        assert_eq!(found.with(1), "Có 1 thủ tục");
        assert_eq!(found.with(7), "Có 7 thủ tục");
        let ready = CountedLine::new(Lang::En, |n| EN.prepared_count(n, 5));
        assert_eq!(ready.around_count(), ("", " of 5 documents ready"));
        let ready = CountedLine::new(Lang::Vi, |n| VI.prepared_count(n, 5));
        assert_eq!(ready.around_count(), ("Đã có ", "/5 giấy tờ"));
    }

    #[test]
    fn counts_take_the_plural_their_language_asks_for() {
        assert_eq!(EN.staff.queue_count(1), "1 dossier");
        assert_eq!(EN.staff.queue_count(0), "0 dossiers");
        assert_eq!(EN.staff.queue_count(11), "11 dossiers");
        assert_eq!(EN.staff.queue_count(1_200), "1,200 dossiers");
        assert_eq!(VI.staff.queue_count(1_200), "1.200 hồ sơ");
        assert_eq!(EN.document_counts(1, 2), "1 original, 2 copies");
        assert_eq!(EN.document_counts(0, 1), "1 copy");
        assert_eq!(VI.document_counts(2, 1), "2 bản chính, 1 bản sao");
        assert_eq!(VI.document_counts(0, 0), "");
        assert_eq!(EN.duration(1.0, TimeUnit::WorkingDays), "1 working day");
        assert_eq!(EN.duration(0.5, TimeUnit::WorkingDays), "0.5 working days");
        assert_eq!(VI.duration(0.5, TimeUnit::WorkingDays), "0,5 ngày làm việc");
        assert_eq!(VI.duration(5.0, TimeUnit::Days), "5 ngày");
        assert_eq!(EN.results_found(1), "1 procedure");
        assert_eq!(EN.filing.files_count(1), "1 file");
        assert_eq!(VI.filing.files_count(3), "3 tệp");
        assert_eq!(
            EN.tracking.limited_text(1),
            "There have been too many lookups from your network. Please try again in 1 minute."
        );
        assert_eq!(
            EN.filing.draft_kept(30),
            "An unfinished application is kept for 30 days after it was last saved."
        );
    }

    #[test]
    fn messages_fill_in_their_arguments_by_name() {
        assert_eq!(VI.page_of(2, 7), "Trang 2/7");
        assert_eq!(EN.page_of(2, 7), "Page 2 of 7");
        assert_eq!(EN.prepared_count(1, 4), "1 of 4 documents ready");
        assert_eq!(VI.filing.step_of("Giấy tờ", 2, 3), "Bước 2/3: Giấy tờ");
        assert_eq!(EN.tracking.amount(50_000), "50,000 VND");
        assert_eq!(VI.tracking.amount(50_000), "50.000 đồng");
    }

    #[test]
    fn language_comes_from_the_cookie_and_defaults_to_vietnamese() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("a=b; motcua_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("motcua_lang=fr"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("xmotcua_lang=en"), Lang::Vi);
    }

    #[test]
    fn texts_differ_per_language() {
        assert_eq!(Lang::Vi.texts().search_button, "Tìm");
        assert_eq!(Lang::En.texts().search_button, "Search");
        assert_eq!(VI.online_level_name(OnlineLevel::Full), "Toàn trình");
        assert_eq!(EN.online_level_name(OnlineLevel::Full), "Fully online");
        assert_eq!(VI.results_found(3), "Có 3 thủ tục");
    }

    #[test]
    fn numbers_are_written_the_way_each_language_writes_them() {
        assert_eq!(Lang::Vi.number(0), "0");
        assert_eq!(Lang::Vi.number(2000), "2.000");
        assert_eq!(Lang::Vi.number(1_234_567), "1.234.567");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Vi.number(-50_000), "-50.000");
        assert_eq!(Lang::Vi.number(3.0), "3");
        assert_eq!(Lang::Vi.number(0.5), "0,5");
        assert_eq!(Lang::En.number(0.5), "0.5");
        assert_eq!(Lang::Vi.number(1234.25), "1.234,25");
        assert_eq!(Lang::En.number(99.999), "100");
        assert_eq!(Lang::Vi.number(-0.001), "0");
        assert_eq!(Lang::En.plural(1), Plural::One);
        assert_eq!(Lang::En.plural(1.5), Plural::Other);
        assert_eq!(Lang::Vi.plural(1), Plural::Other);
    }
}
