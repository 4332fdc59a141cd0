//! The procedure (thủ tục hành chính) model, after the national procedure package (DESIGN.md §1).

use serde::{Deserialize, Serialize};

/// How much of a procedure can be done online (mức độ dịch vụ công trực tuyến).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub enum OnlineLevel {
    /// Information only: the citizen must come to the counter.
    InformationOnly,
    /// Partly online (một phần): submitted online, some steps at the counter.
    Partial,
    /// Fully online (toàn trình).
    Full,
}

impl OnlineLevel {
    pub const ALL: [OnlineLevel; 3] = [
        OnlineLevel::Full,
        OnlineLevel::Partial,
        OnlineLevel::InformationOnly,
    ];

    /// The stable key used in the database and in URLs.
    pub fn key(self) -> &'static str {
        match self {
            OnlineLevel::InformationOnly => "thong-tin",
            OnlineLevel::Partial => "mot-phan",
            OnlineLevel::Full => "toan-trinh",
        }
    }

    pub fn from_key(key: &str) -> Option<OnlineLevel> {
        OnlineLevel::ALL
            .into_iter()
            .find(|level| level.key() == key)
    }

    /// Whether a citizen can file this procedure online (the "apply online" button).
    pub fn accepts_online_filing(self) -> bool {
        matches!(self, OnlineLevel::Partial | OnlineLevel::Full)
    }
}

/// Where a dossier is handed in (DESIGN.md §2: 1 counter, 2 online, 3 postal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::VariantArray)]
pub enum ChannelKind {
    Counter,
    Online,
    Postal,
}

impl ChannelKind {
    /// The national code, as stored.
    pub fn code(self) -> i64 {
        match self {
            ChannelKind::Counter => 1,
            ChannelKind::Online => 2,
            ChannelKind::Postal => 3,
        }
    }

    pub fn from_code(code: i64) -> Option<ChannelKind> {
        <ChannelKind as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .find(|c| c.code() == code)
    }
}

/// The unit of a processing time; the portal sometimes gives a bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeUnit {
    WorkingDays,
    Days,
    WorkingHours,
    Hours,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessingTime {
    /// `None` when the source gives no number ("Trong ngày" stays in `description`).
    pub amount: Option<f64>,
    pub unit: TimeUnit,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fee {
    /// The kind of charge as published ("Lệ phí", "Phí").
    pub kind: String,
    /// In đồng; `None` when the source gives no amount.
    pub amount_dong: Option<i64>,
    /// What the amount is charged per, e.g. "/trang" (per page); empty when charged once.
    #[serde(default)]
    pub per_unit: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    pub kind: ChannelKind,
    pub time: ProcessingTime,
    pub fees: Vec<Fee>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormTemplate {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    pub required: bool,
    /// Shown at the counter (giấy tờ phải xuất trình) rather than handed in.
    #[serde(default)]
    pub present_only: bool,
    pub forms: Vec<FormTemplate>,
}

/// One case (trường hợp) with its own steps and documents. A procedure without named cases has
/// one case whose name is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureCase {
    pub name: String,
    pub steps: Vec<String>,
    pub documents: Vec<RequiredDocument>,
    /// Notes listed among the documents ("Lưu ý", lines with no copies to hand in).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalDocument {
    pub number: String,
    pub title: String,
    pub issued_on: String,
    pub issuer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sector {
    pub code: String,
    pub name: String,
}

/// A whole procedure as the catalogue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code (`MaTTHC`, e.g. `1.001193`); our own slug when the source has none.
    pub code: String,
    pub name: String,
    pub decision: String,
    pub levels: Vec<String>,
    pub online_level: OnlineLevel,
    pub sector: Sector,
    pub keywords: String,
    pub applicants: String,
    pub agency: String,
    pub where_to_submit: String,
    pub cases: Vec<ProcedureCase>,
    pub channels: Vec<Channel>,
    pub conditions: String,
    pub results: Vec<String>,
    pub legal_basis: Vec<LegalDocument>,
    pub caveats: Vec<String>,
    /// Source text an importer could not read into the fields above, kept word for word.
    #[serde(default)]
    pub unparsed: Vec<UnparsedText>,
    /// The code of the agency that published it (`MACOQUANCONGBO`), when the source gives it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher_code: String,
    /// False for a procedure the source says is no longer in force (`TRANGTHAI` other than 1):
    /// kept for the dossiers filed under it, hidden from citizens. Left out of the stored text
    /// when true, so procedures stored before it have the same text and version.
    #[serde(default = "in_force", skip_serializing_if = "is_in_force")]
    pub in_force: bool,
}

fn in_force() -> bool {
    true
}

fn is_in_force(value: &bool) -> bool {
    *value
}

/// A field of the source kept as published because it could not be parsed (fully).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnparsedText {
    pub field: String,
    pub text: String,
}

impl Procedure {
    /// Everything a citizen might search for besides name, keywords and sector.
    pub fn body_text(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.applicants, &self.conditions];
        for case in &self.cases {
            parts.push(&case.name);
            parts.extend(case.steps.iter().map(String::as_str));
            parts.extend(case.documents.iter().map(|d| d.name.as_str()));
        }
        parts.extend(self.results.iter().map(String::as_str));
        parts.extend(self.legal_basis.iter().map(|l| l.title.as_str()));
        parts.extend(self.legal_basis.iter().map(|l| l.number.as_str()));
        parts.join(" \n ")
    }

    /// The processing time shown in lists: the counter channel's, else the first one's.
    pub fn headline_time(&self) -> Option<&ProcessingTime> {
        self.channels
            .iter()
            .find(|c| c.kind == ChannelKind::Counter)
            .or_else(|| self.channels.first())
            .map(|c| &c.time)
    }
}

/// One line of the catalogue list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub sector: String,
    pub online_level: OnlineLevel,
}

/// A sector with how many procedures it has, for the home page and filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorCount {
    pub name: String,
    pub count: i64,
}

/// A page of catalogue results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub items: Vec<ProcedureSummary>,
    pub total: usize,
    pub page: usize,
    pub page_count: usize,
}

/// What the catalogue list is asked for: all of it comes from the URL's query string.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CatalogueFilter {
    pub query: String,
    pub sector: String,
    pub online_level: Option<OnlineLevel>,
    pub page: usize,
}

impl CatalogueFilter {
    pub const PAGE_SIZE: usize = 20;
    /// Longer search text is cut: nobody types more, and it bounds the work per request.
    pub const MAX_QUERY_CHARS: usize = 200;

    pub fn new(query: &str, sector: &str, online_level: &str, page: &str) -> CatalogueFilter {
        CatalogueFilter {
            query: typed_text(query, Self::MAX_QUERY_CHARS),
            sector: typed_text(sector, Self::MAX_QUERY_CHARS),
            online_level: OnlineLevel::from_key(online_level.trim()),
            page: page.trim().parse::<usize>().unwrap_or(1).clamp(1, 10_000),
        }
    }

    /// This filter as the catalogue page reads it from the address: a server function's caller
    /// may send any value, and gets the page's limits.
    pub fn bounded(&self) -> CatalogueFilter {
        CatalogueFilter::new(
            &self.query,
            &self.sector,
            self.online_level.map_or("", OnlineLevel::key),
            &self.page.to_string(),
        )
    }
}

/// Search text as typed, trimmed, without control characters (a null byte would be refused by
/// PostgreSQL), at most `max` characters.
pub fn typed_text(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

/// Splits `total` items into pages; the requested page is clamped into range.
pub fn paginate(total: usize, requested_page: usize, page_size: usize) -> (usize, usize) {
    let page_count = total.div_ceil(page_size).max(1);
    let page = requested_page.clamp(1, page_count);
    (page, page_count)
}

/// A procedure with nothing but a code and a name, for tests to fill in.
#[cfg(test)]
pub(crate) fn bare_procedure(code: &str, name: &str) -> Procedure {
    Procedure {
        code: code.into(),
        name: name.into(),
        decision: String::new(),
        levels: vec![],
        online_level: OnlineLevel::Full,
        sector: Sector {
            code: String::new(),
            name: "Hộ tịch".into(),
        },
        keywords: String::new(),
        applicants: String::new(),
        agency: String::new(),
        where_to_submit: String::new(),
        cases: vec![],
        channels: vec![],
        conditions: String::new(),
        results: vec![],
        legal_basis: vec![],
        caveats: vec![],
        unparsed: vec![],
        publisher_code: String::new(),
        in_force: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_loses_control_characters_and_excess() {
        assert_eq!(typed_text("  khai\u{0}sinh\r\n ", 200), "khaisinh");
        assert_eq!(typed_text("ảảả", 2), "ảả");
    }

    #[test]
    fn online_level_keys_round_trip() {
        for level in OnlineLevel::ALL {
            assert_eq!(OnlineLevel::from_key(level.key()), Some(level));
        }
        assert_eq!(OnlineLevel::from_key("bogus"), None);
    }

    #[test]
    fn only_partial_and_full_accept_online_filing() {
        assert!(OnlineLevel::Full.accepts_online_filing());
        assert!(OnlineLevel::Partial.accepts_online_filing());
        assert!(!OnlineLevel::InformationOnly.accepts_online_filing());
    }

    #[test]
    fn filter_from_query_string_is_bounded_and_forgiving() {
        let filter = CatalogueFilter::new("  khai sinh ", "Hộ tịch", "toan-trinh", "abc");
        assert_eq!(filter.query, "khai sinh");
        assert_eq!(filter.online_level, Some(OnlineLevel::Full));
        assert_eq!(filter.page, 1);
        let long = "a".repeat(1000);
        assert_eq!(
            CatalogueFilter::new(&long, "", "", "0").query.len(),
            CatalogueFilter::MAX_QUERY_CHARS
        );
        assert_eq!(CatalogueFilter::new("", "", "", "0").page, 1);
    }

    #[test]
    fn pagination_clamps_the_page() {
        assert_eq!(paginate(0, 3, 20), (1, 1));
        assert_eq!(paginate(20, 1, 20), (1, 1));
        assert_eq!(paginate(21, 2, 20), (2, 2));
        assert_eq!(paginate(21, 9, 20), (2, 2));
    }
}
