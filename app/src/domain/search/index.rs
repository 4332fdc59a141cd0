//! The catalogue's search index, kept in memory: built once per version of the catalogue, it
//! answers a query without touching the database.
//!
//! Each procedure is scored BM25F-style: every request of the query counts by where it is found
//! (name and everyday names weigh most, then sector, then the body, whose weight saturates
//! and shrinks with its length) times how rare its words are, and the procedure's standing at
//! a commune (a citizen almost never needs a customs or tax procedure) weighs the total. The
//! figures and their reasons are in docs/search.md.

use std::collections::{HashMap, HashSet};

use super::query::{Request, SearchQuery};
use super::vocabulary::{spelt_out, tokens};
use crate::domain::procedure::{OnlineLevel, ProcedureSummary};

/// One procedure as the index reads it; the text fields are folded (see [`super::fold`]).
#[derive(Debug, Clone)]
pub struct SearchDocument {
    pub summary: ProcedureSummary,
    pub name: String,
    pub keywords: String,
    /// The names of the papers it gives ("giấy khai sinh", "trích lục khai tử"), one per line.
    pub results: String,
    pub sector: String,
    pub body: String,
    /// Whether a commune (cấp xã) performs it; `None` when the source does not say.
    pub at_commune: Option<bool>,
}

/// Which procedures may be listed at all: the catalogue page's sector and online-level filters.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchFilter<'a> {
    pub sector: Option<&'a str>,
    pub online_level: Option<OnlineLevel>,
}

#[derive(Debug)]
struct IndexedDocument {
    summary: ProcedureSummary,
    /// The folded name without a leading "thủ tục".
    name: String,
    keywords: String,
    /// The name's words, as vocabulary ids.
    name_words: Vec<u32>,
    body_words: u32,
    standing: f32,
    /// The follow-up actions its name names ("cấp lại", "điều chỉnh"), as `FOLLOW_UPS` indices.
    follow_ups: Vec<usize>,
    /// Whether its name limits it to organisations (`for_organisations_only`).
    for_organisations: bool,
    /// Whether it registers something afresh: its name starts with "đăng ký", or with "ghi vào
    /// sổ" (recording in the civil status book what was registered abroad).
    registers: bool,
}

/// Where one word (or pair of words) of the vocabulary occurs.
#[derive(Debug, Default)]
struct Postings {
    name: Vec<u32>,
    keywords: Vec<u32>,
    results: Vec<u32>,
    sector: Vec<u32>,
    body: Vec<(u32, u16)>,
}

#[derive(Debug)]
pub struct SearchIndex {
    documents: Vec<IndexedDocument>,
    /// Sorted, so the words beginning with what is typed are one range.
    vocabulary: Vec<String>,
    postings: Vec<Postings>,
    /// The single words of names, keywords and sectors: the only ones a typo is forgiven for.
    title_words: Vec<u32>,
    /// Their pairs: a typo of a real word ("bản sau") shows in its pair ("bản sao").
    title_pairs: Vec<u32>,
    average_body_words: f32,
}

// Field weights: a request found in the name is worth most; everyday names (keywords) were
// written for searching; the body is long and mentions many procedures in passing.
const NAME: f32 = 10.0;
const KEYWORDS: f32 = 8.0;
/// Citizens ask for the paper they want, which the portal names as a procedure's result; many
/// procedures give the same paper ("giấy chứng nhận"), so it counts less than an everyday name,
/// and like the body for coverage.
const RESULTS: f32 = 4.0;
const SECTOR: f32 = 3.0;
const BODY: f32 = 1.5;
// How well a word is found: whole, as the start of a word (typing), one typo away.
const WHOLE: f32 = 1.0;
const BEGINNING: f32 = 0.5;
const TYPO: f32 = 0.25;
// BM25's saturation and length normalisation of the body.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// What was typed, found as typed, is surest; an everyday name's official words nearly as sure
/// ("sổ hộ khẩu" means "thường trú"); what an abbreviation may stand for less so.
const EVERYDAY_READING: f32 = 0.95;
const ABBREVIATION_READING: f32 = 0.9;
/// How much a filler word ("giấy", "cho con") adds, against a request.
const FILLER_WEIGHT: f32 = 0.3;
/// How much two neighbouring words found together add, against a request.
const PAIR_WEIGHT: f32 = 0.6;
/// A request found only in the body counts this much of one found in the name.
const BODY_ONLY_SHARE: f32 = 0.35;
/// How much of the score depends on the share of the requests found.
const COVERAGE_WEIGHT: f32 = 0.6;
/// Every request in the name or keywords.
const ALL_IN_TITLE: f32 = 1.25;
/// Per share of the name's words that the query holds.
const NAME_COVERAGE: f32 = 0.8;
/// The whole query at the start of the name, elsewhere in it, in the keywords.
const PHRASE_AT_START: f32 = 1.6;
const PHRASE_IN_NAME: f32 = 1.35;
const PHRASE_IN_KEYWORDS: f32 = 1.15;
/// One of the procedures the center files most.
const COMMON_PROCEDURE: f32 = 1.2;
/// A procedure that follows another ("cấp lại", "điều chỉnh" …) when the query does not ask for
/// that: a citizen who asks for "sổ đỏ" wants the first registration, not its correction.
const UNASKED_FOLLOW_UP: f32 = 0.85;
const FOLLOW_UPS: &[&str] = &[
    "cap lai",
    "cap doi",
    "dieu chinh",
    "thu hoi",
    "gia han",
    "dinh chinh",
    "huy",
    "xoa",
    "cham dut",
    "tam ngung",
    "thay doi",
    "dang ky lai",
    "ghi vao so",
    "bo sung",
    "sua doi",
    "khai thac thong tin",
];
/// A procedure whose name limits it to organisations, when the query does not speak of one:
/// the portal often has one procedure per kind of applicant ("… lần đầu đối với tổ chức" beside
/// "… lần đầu đối với hộ gia đình, cá nhân"), and the one searching at a commune is a person.
const UNASKED_ORGANISATIONS: f32 = 0.8;

/// A registration ("Đăng ký kết hôn") when the query asks for a copy of one ("trích lục kết hôn",
/// "mất giấy đăng ký kết hôn"): whoever has registered wants the copy, not to register again.
const REGISTRATION_FOR_A_COPY: f32 = 0.8;
const COPY_WORDS: &[&str] = &["trich luc", "ban sao"];

/// Whether a (folded) name limits the procedure to organisations: it names them as its
/// applicants and names no person or household beside them.
fn for_organisations_only(name: &str) -> bool {
    const FOR_ORGANISATIONS: &[&str] = &["doi voi to chuc", "cho to chuc", "cua to chuc"];
    const FOR_PEOPLE: &[&str] = &["ca nhan", "ho gia dinh", "cong dan", "nguoi"];
    FOR_ORGANISATIONS.iter().any(|p| contains_phrase(name, p))
        && !FOR_PEOPLE.iter().any(|p| contains_phrase(name, p))
}

/// A procedure is listed when it scores at least this share of the best, even with fewer
/// requests found than the best.
const LISTED_SHARE: f32 = 0.25;

/// How much a match in this sector counts: what citizens file at a commune center against
/// what businesses file there, and whether a commune performs the procedure at all.
fn commune_standing(sector_folded: &str, at_commune: Option<bool>) -> f32 {
    const BUSINESS: &[&str] = &[
        "hai quan",
        "thue",
        "kho bac",
        "hang hai",
        "bien va hai dao",
        "cong san",
    ];
    const EVERYDAY: &[&str] = &[
        "ho tich",
        "chung thuc",
        "bao tro xa hoi",
        "cu tru",
        "can cuoc",
        "nguoi co cong",
        "bhxh",
        "bhyt",
        "nuoi con nuoi",
        "dat dai",
    ];
    let has = |part: &&str| contains_phrase(sector_folded, part);
    let sector = if BUSINESS.iter().any(has) {
        0.6
    } else if EVERYDAY.iter().any(has) {
        1.1
    } else {
        1.0
    };
    let level = if at_commune == Some(false) { 0.5 } else { 1.0 };
    sector * level
}

/// Names often start with "Thủ tục"; it says nothing, and it hides a phrase at the start.
fn meaningful_name(name: &str) -> &str {
    name.strip_prefix("thu tuc ").unwrap_or(name)
}

impl SearchIndex {
    pub fn build(documents: Vec<SearchDocument>) -> SearchIndex {
        let mut by_word: HashMap<String, Postings> = HashMap::new();
        let mut names: Vec<Vec<String>> = Vec::with_capacity(documents.len());
        let mut indexed = Vec::with_capacity(documents.len());
        let mut total_body_words: u64 = 0;
        for (id, document) in documents.into_iter().enumerate() {
            let id = id as u32;
            let name = meaningful_name(&document.name).to_owned();
            for (field, text) in [
                (Field::Name, name.as_str()),
                (Field::Keywords, document.keywords.as_str()),
                (Field::Results, document.results.as_str()),
                (Field::Sector, document.sector.as_str()),
            ] {
                let words: Vec<&str> = tokens(text).collect();
                // "Cấp thẻ BHYT" is found by "bảo hiểm y tế" as well, words and pairs.
                let spelt: Vec<&str> = words
                    .iter()
                    .flat_map(|word| match spelt_out(word) {
                        Some(long) => tokens(long).collect(),
                        None => vec![*word],
                    })
                    .collect();
                let pairs = words
                    .windows(2)
                    .chain(spelt.windows(2))
                    .map(|pair| format!("{} {}", pair[0], pair[1]));
                for word in words
                    .iter()
                    .chain(&spelt)
                    .map(|w| (*w).to_owned())
                    .chain(pairs)
                {
                    let list = field.list(by_word.entry(word).or_default());
                    if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
            }
            let mut counts: HashMap<&str, u16> = HashMap::new();
            let mut body_words = 0u32;
            for word in tokens(&document.body) {
                let count = counts.entry(word).or_default();
                *count = count.saturating_add(1);
                body_words += 1;
            }
            for (word, count) in counts {
                by_word
                    .entry(word.to_owned())
                    .or_default()
                    .body
                    .push((id, count));
            }
            total_body_words += u64::from(body_words);
            names.push(tokens(&name).map(str::to_owned).collect());
            let follow_ups = (0..FOLLOW_UPS.len())
                .filter(|&i| contains_phrase(&name, FOLLOW_UPS[i]))
                .collect();
            indexed.push(IndexedDocument {
                follow_ups,
                for_organisations: for_organisations_only(&name),
                registers: name.starts_with("dang ky ") || name.starts_with("ghi vao so "),
                standing: commune_standing(&document.sector, document.at_commune),
                summary: document.summary,
                name,
                keywords: document.keywords,
                name_words: Vec::new(),
                body_words,
            });
        }
        let mut words: Vec<(String, Postings)> = by_word.into_iter().collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        let (vocabulary, mut postings): (Vec<String>, Vec<Postings>) = words.into_iter().unzip();
        for list in &mut postings {
            list.body.sort_unstable();
        }
        let (title_pairs, title_words): (Vec<u32>, Vec<u32>) = (0..vocabulary.len())
            .filter(|&id| {
                let p = &postings[id];
                !p.name.is_empty() || !p.keywords.is_empty() || !p.sector.is_empty()
            })
            .map(|id| id as u32)
            .partition(|&id| vocabulary[id as usize].contains(' '));
        let mut index = SearchIndex {
            average_body_words: (total_body_words as f32 / indexed.len().max(1) as f32).max(1.0),
            documents: indexed,
            vocabulary,
            postings,
            title_words,
            title_pairs,
        };
        for (id, name) in names.iter().enumerate() {
            let words = name.iter().filter_map(|word| index.word_id(word)).collect();
            index.documents[id].name_words = words;
        }
        index
    }

    fn word_id(&self, word: &str) -> Option<u32> {
        self.vocabulary
            .binary_search_by(|w| w.as_str().cmp(word))
            .ok()
            .map(|id| id as u32)
    }

    /// How many procedures it holds.
    pub fn procedure_count(&self) -> usize {
        self.documents.len()
    }

    /// The procedures answering `query` that the filter allows, best first; `common` are the
    /// codes the center files most, first among equals.
    pub fn search(
        &self,
        query: &SearchQuery,
        filter: SearchFilter<'_>,
        common: &[String],
    ) -> Vec<&ProcedureSummary> {
        let unfinished = query.unfinished.as_deref();
        let mut scorer = Scorer::new(self);
        let scored_requests: Vec<ScoredRequest> = query
            .requests
            .iter()
            .map(|request| scorer.request(request, unfinished))
            .collect();
        let scored_pairs: Vec<ScoredRequest> = query
            .word_pairs()
            .iter()
            .map(|pair| scorer.request(pair, None))
            .collect();
        let core_count = scored_requests.iter().filter(|r| !r.filler).count();
        let counts_as_core = |r: &ScoredRequest| core_count == 0 || !r.filler;

        let phrases = query.phrases();
        let query_words = self.query_words(query);
        let asked: Vec<&str> = query
            .asked
            .iter()
            .map(String::as_str)
            .chain(
                query
                    .requests
                    .iter()
                    .flat_map(|r| r.readings.iter().flatten().map(String::as_str)),
            )
            .collect();
        // Whether the query (as typed or as read) holds every word of `phrase`.
        let asks = |phrase: &&str| phrase.split(' ').all(|word| asked.contains(&word));
        let asked_for: Vec<bool> = FOLLOW_UPS.iter().map(asks).collect();
        let asked_for_organisations = asks(&"to chuc");
        let asked_for_a_copy = COPY_WORDS.iter().any(asks);
        let mut results: Vec<(f32, usize, u32)> = Vec::new();
        for (id, document) in self.documents.iter().enumerate() {
            if !filter.allows(&document.summary) {
                continue;
            }
            let mut points = 0.0;
            let mut matched = 0;
            let mut found_share = 0.0;
            let mut all_in_title = true;
            for request in &scored_requests {
                let score = request.scores[id];
                if counts_as_core(request) {
                    points += score;
                    if request.matched[id] {
                        matched += 1;
                        found_share += if request.in_title[id] {
                            1.0
                        } else {
                            BODY_ONLY_SHARE
                        };
                    }
                    all_in_title &= request.in_title[id];
                } else {
                    points += FILLER_WEIGHT * score;
                }
            }
            if matched == 0 {
                continue;
            }
            points += PAIR_WEIGHT * scored_pairs.iter().map(|p| p.scores[id]).sum::<f32>();
            let coverage = found_share / core_count.max(1) as f32;
            points *= 1.0 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * coverage;
            points *= phrase_bonus(document, &phrases);
            if all_in_title {
                points *= ALL_IN_TITLE;
            }
            points *= 1.0 + NAME_COVERAGE * name_coverage(document, &query_words);
            points *= document.standing;
            if common.contains(&document.summary.code) {
                points *= COMMON_PROCEDURE;
            }
            if document.follow_ups.iter().any(|&i| !asked_for[i]) {
                points *= UNASKED_FOLLOW_UP;
            }
            if document.for_organisations && !asked_for_organisations {
                points *= UNASKED_ORGANISATIONS;
            }
            if document.registers && asked_for_a_copy {
                points *= REGISTRATION_FOR_A_COPY;
            }
            results.push((points, matched, id as u32));
        }
        let best_points = results.iter().map(|r| r.0).fold(0.0, f32::max);
        let best_matched = results.iter().map(|r| r.1).max().unwrap_or(0);
        let allowed_missing = usize::from(core_count >= 3);
        results.retain(|(points, matched, _)| {
            matched + allowed_missing >= best_matched || *points >= LISTED_SHARE * best_points
        });
        results.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                let (x, y) = (&self.documents[a.2 as usize], &self.documents[b.2 as usize]);
                x.name.len().cmp(&y.name.len()).then(a.2.cmp(&b.2))
            })
        });
        results
            .into_iter()
            .map(|(_, _, id)| &self.documents[id as usize].summary)
            .collect()
    }

    /// The vocabulary ids of every word of every reading, and of the words the unfinished
    /// last word may become.
    fn query_words(&self, query: &SearchQuery) -> HashSet<u32> {
        let mut ids: HashSet<u32> = query
            .requests
            .iter()
            .flat_map(|r| r.readings.iter().flatten())
            .filter_map(|word| self.word_id(word))
            .collect();
        if let Some(unfinished) = &query.unfinished {
            ids.extend(self.word_range(unfinished).map(|id| id as u32));
        }
        ids
    }

    fn word_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.vocabulary.partition_point(|w| w.as_str() < prefix);
        let end = start
            + self.vocabulary[start..]
                .iter()
                .take_while(|w| w.starts_with(prefix))
                .count();
        start..end
    }
}

impl SearchFilter<'_> {
    fn allows(&self, summary: &ProcedureSummary) -> bool {
        self.sector.is_none_or(|sector| summary.sector == sector)
            && self
                .online_level
                .is_none_or(|level| summary.online_level == level)
    }
}

#[derive(Clone, Copy)]
enum Field {
    Name,
    Keywords,
    Results,
    Sector,
}

impl Field {
    fn list(self, postings: &mut Postings) -> &mut Vec<u32> {
        match self {
            Field::Name => &mut postings.name,
            Field::Keywords => &mut postings.keywords,
            Field::Results => &mut postings.results,
            Field::Sector => &mut postings.sector,
        }
    }
}

/// How one word of the query is found in each procedure.
struct WordScores {
    /// The best field's points, 0 when absent.
    points: Vec<f32>,
    in_title: Vec<bool>,
    /// How rare the word is across the catalogue.
    rarity: f32,
}

/// How one request is found in each procedure: its best reading's points.
struct ScoredRequest {
    scores: Vec<f32>,
    matched: Vec<bool>,
    in_title: Vec<bool>,
    filler: bool,
}

/// Scores the words of one query, each word once however many readings hold it.
struct Scorer<'i> {
    index: &'i SearchIndex,
    words: HashMap<(String, bool), WordScores>,
}

impl<'i> Scorer<'i> {
    fn new(index: &'i SearchIndex) -> Scorer<'i> {
        Scorer {
            index,
            words: HashMap::new(),
        }
    }

    /// `unfinished`: the query's last word when it may still be being typed; as typed (not in
    /// a reading of it), the beginning of a word counts for it.
    fn request(&mut self, request: &Request, unfinished: Option<&str>) -> ScoredRequest {
        let n = self.index.documents.len();
        let mut scored = ScoredRequest {
            scores: vec![0.0; n],
            matched: vec![false; n],
            in_title: vec![false; n],
            filler: request.filler,
        };
        for (r, reading) in request.readings.iter().enumerate() {
            let typing =
                |i: usize, word: &str| r == 0 && i + 1 == reading.len() && unfinished == Some(word);
            for (i, word) in reading.iter().enumerate() {
                self.word(word, typing(i, word));
            }
            let found: Vec<&WordScores> = reading
                .iter()
                .enumerate()
                .map(|(i, word)| &self.words[&(word.clone(), typing(i, word))])
                .collect();
            let surety = match (r, request.everyday) {
                (0, _) => 1.0,
                (_, true) => EVERYDAY_READING,
                (_, false) => ABBREVIATION_READING,
            };
            let count = found.len().max(1) as f32;
            // A reading is as specific as its rarest word, and found as well as its words are on
            // average (a missing word counts 0): "bảo hiểm xã hội" weighs like one request, not
            // four, and half of "xóa đăng ký thường trú" is worth half of it.
            let rarity = found.iter().map(|w| w.rarity).fold(0.0, f32::max);
            for doc in 0..n {
                let mut sum = 0.0;
                let mut all = true;
                let mut in_title = true;
                for word in &found {
                    sum += rarity * word.points[doc];
                    all &= word.points[doc] > 0.0;
                    in_title &= word.in_title[doc];
                }
                scored.scores[doc] = scored.scores[doc].max(surety * sum / count);
                scored.matched[doc] |= all;
                scored.in_title[doc] |= all && in_title;
            }
        }
        scored
    }

    fn word(&mut self, word: &str, typing: bool) {
        let key = (word.to_owned(), typing);
        if self.words.contains_key(&key) {
            return;
        }
        let index = self.index;
        let n = index.documents.len();
        let mut points = vec![0.0f32; n];
        let mut in_title = vec![false; n];
        let mut credit = |postings: &Postings, quality: f32, body: bool| {
            for &doc in &postings.name {
                points[doc as usize] = points[doc as usize].max(NAME * quality);
                in_title[doc as usize] = true;
            }
            for &doc in &postings.keywords {
                points[doc as usize] = points[doc as usize].max(KEYWORDS * quality);
                in_title[doc as usize] = true;
            }
            for &doc in &postings.results {
                points[doc as usize] = points[doc as usize].max(RESULTS * quality);
            }
            for &doc in &postings.sector {
                points[doc as usize] = points[doc as usize].max(SECTOR * quality);
            }
            if body {
                for &(doc, count) in &postings.body {
                    let length =
                        index.documents[doc as usize].body_words as f32 / index.average_body_words;
                    let tf = f32::from(count);
                    let saturated = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length));
                    let body = BODY * quality * saturated / (K1 + 1.0);
                    points[doc as usize] = points[doc as usize].max(body);
                }
            }
        };
        let range = index.word_range(word);
        let mut known = false;
        for id in range.clone() {
            let candidate = &index.vocabulary[id];
            if candidate == word {
                known = true;
                credit(&index.postings[id], WHOLE, true);
            } else if typing && word.len() >= 2 && !candidate.contains(' ') {
                credit(&index.postings[id], BEGINNING, true);
            }
        }
        // A word the catalogue holds is taken as meant ("sau" is a word, not a typo of "sao"),
        // and a word being typed that begins some is taken as unfinished: Vietnamese syllables
        // are short, and most lie one letter from several others.
        let completes = typing && range.len() > usize::from(known);
        if word.len() >= 3 && !known && !completes {
            let candidates = if word.contains(' ') {
                &index.title_pairs
            } else {
                &index.title_words
            };
            for &id in candidates {
                let candidate = &index.vocabulary[id as usize];
                if candidate.len() >= 3 && one_edit_apart(candidate.as_bytes(), word.as_bytes()) {
                    credit(&index.postings[id as usize], TYPO, false);
                }
            }
        }
        let containing = points.iter().filter(|p| **p > 0.0).count() as f32;
        let rarity = ((n as f32 + 1.0) / (containing + 0.5)).ln().max(0.05);
        self.words.insert(
            key,
            WordScores {
                points,
                in_title,
                rarity,
            },
        );
    }
}

/// The whole query inside the name multiplies the score, more at its start.
fn phrase_bonus(document: &IndexedDocument, phrases: &[String]) -> f32 {
    let mut bonus: f32 = 1.0;
    for phrase in phrases {
        if !phrase.contains(' ') && phrases.len() > 1 {
            continue;
        }
        let found = if starts_with_phrase(&document.name, phrase) {
            PHRASE_AT_START
        } else if contains_phrase(&document.name, phrase) {
            PHRASE_IN_NAME
        } else if contains_phrase(&document.keywords, phrase) {
            PHRASE_IN_KEYWORDS
        } else {
            1.0
        };
        bonus = bonus.max(found);
    }
    bonus
}

fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    text.strip_prefix(phrase)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Whether `phrase` occurs in `text` as whole words.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
    })
}

/// The share of the name's words the query holds: of two names holding the query, the one
/// that says little else is the better answer ("Tách hộ" over a long name that mentions it).
fn name_coverage(document: &IndexedDocument, query_words: &HashSet<u32>) -> f32 {
    if document.name_words.is_empty() {
        return 0.0;
    }
    let covered = document
        .name_words
        .iter()
        .filter(|id| query_words.contains(id))
        .count();
    covered as f32 / document.name_words.len() as f32
}

/// True when `a` becomes `b` by changing, inserting or deleting one letter (folded words are
/// ASCII letters and digits, so bytes are letters).
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 || a == b {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::super::fold;
    use super::*;

    fn document(
        code: &str,
        name: &str,
        keywords: &str,
        sector: &str,
        body: &str,
    ) -> SearchDocument {
        SearchDocument {
            summary: ProcedureSummary {
                code: code.to_owned(),
                name: name.to_owned(),
                sector: sector.to_owned(),
                online_level: OnlineLevel::Full,
            },
            name: fold(name),
            keywords: fold(keywords),
            results: String::new(),
            sector: fold(sector),
            body: fold(body),
            at_commune: None,
        }
    }

    fn catalogue() -> SearchIndex {
        SearchIndex::build(vec![
            document(
                "ket-hon",
                "Đăng ký kết hôn",
                "lấy vợ lấy chồng",
                "Hộ tịch",
                "Tờ khai đăng ký kết hôn. Giấy khai sinh không bắt buộc.",
            ),
            document(
                "lai-khai-sinh",
                "Đăng ký lại khai sinh",
                "",
                "Hộ tịch",
                "Bản sao giấy khai sinh cũ",
            ),
            document(
                "khai-sinh",
                "Đăng ký khai sinh",
                "làm giấy khai sinh",
                "Hộ tịch",
                "Tờ khai đăng ký khai sinh",
            ),
            document(
                "ban-sao",
                "Chứng thực bản sao từ bản chính",
                "sao y",
                "Chứng thực",
                "Bản chính giấy tờ",
            ),
            document(
                "the-bhyt",
                "Cấp thẻ BHYT cho người tham gia",
                "",
                "Thực hiện chính sách BHYT",
                "Tờ khai tham gia bảo hiểm y tế",
            ),
            document(
                "hai-quan",
                "Khai hải quan cho hàng hóa xuất khẩu của cư dân biên giới",
                "",
                "Hải quan",
                "Tờ khai hải quan. Đăng ký khai sinh, giấy tờ tùy thân, cư dân biên giới, \
                 hàng hóa, xuất khẩu, khai báo, tờ khai, khai hải quan, khai báo lại",
            ),
            document(
                "tach-ho",
                "Tách hộ",
                "",
                "Đăng ký, quản lý cư trú",
                "Đăng ký thường trú",
            ),
            document(
                "thuong-tru",
                "Đăng ký thường trú",
                "",
                "Đăng ký, quản lý cư trú",
                "Tách hộ khi có nhà riêng: người tách hộ làm tờ khai thay đổi thông tin cư \
                 trú, ý kiến của chủ hộ, giấy tờ chứng minh chỗ ở, đăng ký thường trú",
            ),
        ])
    }

    fn codes(query: &str) -> Vec<String> {
        let index = catalogue();
        let query = SearchQuery::parse(query).unwrap();
        index
            .search(&query, SearchFilter::default(), &[])
            .into_iter()
            .map(|s| s.code.clone())
            .collect()
    }

    #[test]
    fn unaccented_upper_and_partial_queries_find_the_same_procedure_first() {
        for query in [
            "dang ky khai sinh",
            "ĐĂNG KÝ KHAI SINH",
            "khai sinh",
            "Đăng ký khai sinh",
            "khai si",
            "gks",
            "làm giấy khai sinh cho con",
        ] {
            assert_eq!(codes(query)[0], "khai-sinh", "{query}");
        }
    }

    #[test]
    fn name_matches_rank_above_body_matches() {
        let found = codes("khai sinh");
        assert_eq!(&found[..2], ["khai-sinh", "lai-khai-sinh"]);
        assert!(found.iter().position(|c| c == "ket-hon") > Some(1));
    }

    #[test]
    fn an_abbreviation_in_a_name_is_found_as_written_and_spelt_out() {
        assert_eq!(codes("the bhyt")[0], "the-bhyt");
        assert_eq!(codes("thẻ bảo hiểm y tế")[0], "the-bhyt");
    }

    #[test]
    fn a_business_procedure_does_not_win_on_common_words_in_its_long_body() {
        assert_eq!(codes("khai sinh giấy tờ")[0], "khai-sinh");
    }

    #[test]
    fn a_short_name_beats_a_long_body_mentioning_more_query_words() {
        assert_eq!(codes("tách hộ")[0], "tach-ho");
        assert_eq!(codes("xin tach ho cho con")[0], "tach-ho");
    }

    #[test]
    fn filler_words_do_not_change_the_answer() {
        for query in [
            "kết hôn",
            "giấy kết hôn",
            "làm kết hôn cho con",
            "xin kết hôn",
        ] {
            assert_eq!(codes(query)[0], "ket-hon", "{query}");
        }
    }

    #[test]
    fn unknown_words_do_not_empty_the_list_and_nonsense_finds_nothing() {
        assert_eq!(codes("khai sinh xyzxyz qwqw")[0], "khai-sinh");
        assert!(codes("xyzxyz").is_empty());
    }

    #[test]
    fn typos_in_names_are_forgiven() {
        assert_eq!(codes("chung thuc ban saoo")[0], "ban-sao");
        // "sau" is a word: its pair with "bản" shows the typo.
        assert_eq!(codes("chung thuc ban sau")[0], "ban-sao");
        assert_eq!(codes("dang ky ket hoon")[0], "ket-hon");
    }

    #[test]
    fn everyday_names_find_the_procedure() {
        assert_eq!(codes("lay vo"), vec!["ket-hon"]);
        assert_eq!(codes("sao y")[0], "ban-sao");
    }

    #[test]
    fn filters_limit_the_list() {
        let index = catalogue();
        let query = SearchQuery::parse("dang ky").unwrap();
        let found = index.search(
            &query,
            SearchFilter {
                sector: Some("Đăng ký, quản lý cư trú"),
                online_level: None,
            },
            &[],
        );
        assert!(!found.is_empty());
        assert!(found.iter().all(|s| s.sector == "Đăng ký, quản lý cư trú"));
    }

    #[test]
    fn one_typo_is_one_edit() {
        let apart = |a: &str, b: &str| one_edit_apart(a.as_bytes(), b.as_bytes());
        assert!(apart("sao", "sau"));
        assert!(apart("thuc", "thu"));
        assert!(apart("hon", "hoan"));
        assert!(!apart("sao", "sao"));
        assert!(!apart("sao", "sinh"));
        assert!(!apart("ab", "ba"));
    }

    #[test]
    fn business_sectors_and_other_levels_stand_below_everyday_ones() {
        assert!(commune_standing("hai quan", None) < commune_standing("thuy loi", None));
        assert!(commune_standing("thuy loi", None) < commune_standing("ho tich", None));
        assert!(commune_standing("ho tich", Some(false)) < commune_standing("ho tich", Some(true)));
    }

    /// The code of the first answer to `query`.
    fn first_code(index: &SearchIndex, query: &str) -> String {
        let query = SearchQuery::parse(query).unwrap();
        index.search(&query, SearchFilter::default(), &[])[0]
            .code
            .clone()
    }

    #[test]
    fn the_paper_a_procedure_gives_finds_it_above_a_body_that_mentions_the_paper() {
        let mut gives = document(
            "tin-nguong",
            "Đăng ký hoạt động tín ngưỡng",
            "",
            "Tôn giáo",
            "",
        );
        gives.results = fold("Văn bản chấp thuận");
        let index = SearchIndex::build(vec![
            document(
                "ton-giao",
                "Thông báo danh mục hoạt động tôn giáo",
                "",
                "Tôn giáo",
                "Hồ sơ gồm bản sao văn bản chấp thuận của cơ quan có thẩm quyền",
            ),
            gives,
        ]);
        assert_eq!(first_code(&index, "văn bản chấp thuận"), "tin-nguong");
    }

    #[test]
    fn a_follow_up_ranks_below_its_procedure_unless_asked_for() {
        let index = SearchIndex::build(vec![
            document(
                "cap-phep",
                "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                "",
                "Hoạt động xây dựng",
                "",
            ),
            document(
                "gia-han",
                "Gia hạn giấy phép xây dựng",
                "",
                "Hoạt động xây dựng",
                "",
            ),
        ]);
        let first = |query: &str| first_code(&index, query);
        assert_eq!(first("giấy phép xây dựng"), "cap-phep");
        assert_eq!(first("gia hạn giấy phép xây dựng"), "gia-han");
    }

    #[test]
    fn a_procedure_for_organisations_ranks_below_the_one_for_people_unless_asked_for() {
        // The longer name for people would lose on length alone.
        let index = SearchIndex::build(vec![
            document(
                "to-chuc",
                "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu đối với tổ chức",
                "",
                "Đất đai",
                "",
            ),
            document(
                "ca-nhan",
                "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu đối với hộ gia đình, cá nhân, \
                 cộng đồng dân cư",
                "",
                "Đất đai",
                "",
            ),
        ]);
        let first = |query: &str| first_code(&index, query);
        assert_eq!(
            first("giấy chứng nhận quyền sử dụng đất lần đầu"),
            "ca-nhan"
        );
        assert_eq!(first("giấy chứng nhận lần đầu cho tổ chức"), "to-chuc");
        assert!(for_organisations_only("cap phep cho to chuc"));
        assert!(!for_organisations_only("dang ky cho to chuc va ca nhan"));
    }

    #[test]
    fn phrases_match_whole_words() {
        assert!(contains_phrase("dang ky ket hon", "ket hon"));
        assert!(!contains_phrase("dang ky ket hop", "ket ho"));
        assert!(starts_with_phrase("ho tich", "ho tich"));
        assert!(!starts_with_phrase("hoa giai", "ho"));
    }
}
