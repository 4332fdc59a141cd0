//! Vietnamese search: folding (case and diacritics) and ranking of procedures for a query.
//!
//! Citizens type on phones without Vietnamese keyboards, so "dang ky khai sinh",
//! "ĐĂNG KÝ KHAI SINH" and "khai sinh" must all find "Đăng ký khai sinh". Everything here is
//! pure: the database stores folded text made by [`fold`], and [`rank`] orders candidate rows.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips Vietnamese diacritics (`đ` → `d`), keeping letters and digits and
/// turning every other character into a single space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut last_was_space = true;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if ch.is_alphanumeric() {
            folded.extend(ch.to_lowercase());
            last_was_space = false;
        } else if !last_was_space {
            folded.push(' ');
            last_was_space = true;
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// Vietnamese tone and vowel marks decompose (NFD) into combining marks in U+0300–U+036F.
fn is_combining_mark(ch: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&ch)
}

/// Words that carry no meaning for finding a procedure ("thủ tục làm giấy ..." asks for the
/// "giấy ..."); they are dropped from queries unless nothing else is left.
const STOP_WORDS: &[&str] = &[
    "thu", "tuc", "lam", "xin", "cho", "cua", "va", "the", "nao", "o", "tai", "de", "gi", "nhung",
    "cac", "mot",
];

/// Abbreviations citizens and clerks use, expanded to the words of procedure names.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("cccd", "can cuoc"),
    ("cmnd", "can cuoc"),
    ("gks", "khai sinh"),
    ("ks", "khai sinh"),
    ("kh", "ket hon"),
    ("btxh", "bao tro xa hoi"),
    ("bhyt", "bao hiem y te"),
    ("gcn", "giay chung nhan"),
];

/// A query, folded and split into the words that must be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The whole folded query, for phrase matches.
    pub phrase: String,
    /// The meaningful folded words, in order, without duplicates.
    pub terms: Vec<String>,
}

impl SearchQuery {
    /// The longest query kept; longer input is cut so a pasted page cannot make search costly.
    pub const MAX_TERMS: usize = 8;

    /// Returns `None` when the query has no letters or digits at all.
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        let folded = fold(raw);
        let mut expanded = Vec::new();
        for word in folded.split(' ').filter(|w| !w.is_empty()) {
            match ABBREVIATIONS.iter().find(|(abbr, _)| *abbr == word) {
                Some((_, words)) => expanded.extend(words.split(' ').map(str::to_owned)),
                None => expanded.push(word.to_owned()),
            }
        }
        if expanded.is_empty() {
            return None;
        }
        let meaningful: Vec<String> = expanded
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        let chosen = if meaningful.is_empty() {
            expanded.clone()
        } else {
            meaningful
        };
        let mut terms: Vec<String> = Vec::new();
        for term in chosen {
            if !terms.contains(&term) && terms.len() < Self::MAX_TERMS {
                terms.push(term);
            }
        }
        Some(SearchQuery {
            phrase: expanded.join(" "),
            terms,
        })
    }
}

/// The folded fields of one procedure that ranking looks at.
#[derive(Debug, Clone, Copy)]
pub struct SearchFields<'a> {
    pub name: &'a str,
    pub keywords: &'a str,
    pub sector: &'a str,
    pub body: &'a str,
}

/// How a word was found in a field: as a whole word, or as the beginning of one (partial typing).
fn word_match(text: &str, term: &str) -> Option<u32> {
    let mut best = None;
    for word in text.split(' ') {
        if word == term {
            return Some(2);
        }
        if word.starts_with(term) {
            best = Some(1);
        }
    }
    best
}

/// Scores a procedure for a query; `None` when some query word is found nowhere.
///
/// Name matches weigh most, then keywords, sector, and the body (steps, documents, …); the whole
/// phrase inside the name adds a bonus, and a name that begins with it adds more, so
/// "khai sinh" puts "Đăng ký khai sinh" above "Đăng ký lại khai sinh" only by phrase closeness.
pub fn score(query: &SearchQuery, fields: SearchFields<'_>) -> Option<u32> {
    let mut total = 0;
    for term in &query.terms {
        let in_name = word_match(fields.name, term).map(|m| 20 * m);
        let in_keywords = word_match(fields.keywords, term).map(|m| 8 * m);
        let in_sector = word_match(fields.sector, term).map(|m| 4 * m);
        let in_body = word_match(fields.body, term);
        total += [in_name, in_keywords, in_sector, in_body]
            .into_iter()
            .flatten()
            .max()?;
    }
    if query.phrase.contains(' ') || query.terms.len() == 1 {
        if fields.name.starts_with(&query.phrase) {
            total += 60;
        } else if contains_phrase(fields.name, &query.phrase) {
            total += 40;
        } else if contains_phrase(fields.keywords, &query.phrase) {
            total += 20;
        }
    }
    Some(total)
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    text == phrase
        || text.starts_with(&format!("{phrase} "))
        || text.contains(&format!(" {phrase} "))
        || text.ends_with(&format!(" {phrase}"))
}

/// Orders candidates by score (best first); ties keep the shorter name first, then the given order.
/// Candidates that do not match every query word are dropped.
pub fn rank<T>(
    query: &SearchQuery,
    candidates: Vec<T>,
    fields: impl Fn(&T) -> SearchFields<'_>,
) -> Vec<T> {
    let mut scored: Vec<(u32, usize, usize, T)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(index, candidate)| {
            let f = fields(&candidate);
            let name_len = f.name.len();
            score(query, f).map(|s| (s, name_len, index, candidate))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(_, _, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("ĐĂNG KÝ KHAI SINH"), "dang ky khai sinh");
        assert_eq!(fold("Chứng thực bản sao"), "chung thuc ban sao");
        assert_eq!(fold("Trợ cấp hưu trí xã hội"), "tro cap huu tri xa hoi");
        assert_eq!(fold("ưởng ỡ ặ ự ỵ"), "uong o a u y");
    }

    #[test]
    fn folding_turns_punctuation_into_single_spaces() {
        assert_eq!(
            fold("  Luật 47/2014/QH13;  (sửa đổi) "),
            "luat 47 2014 qh13 sua doi"
        );
        assert_eq!(fold("---"), "");
    }

    #[test]
    fn folding_handles_precomposed_and_decomposed_input_alike() {
        let precomposed = "Kết hôn";
        let decomposed: String = precomposed.nfd().collect();
        assert_ne!(precomposed, decomposed);
        assert_eq!(fold(precomposed), fold(&decomposed));
    }

    #[test]
    fn query_drops_stop_words_and_expands_abbreviations() {
        let q = SearchQuery::parse("Thủ tục làm CCCD").unwrap();
        assert_eq!(q.terms, vec!["can", "cuoc"]);
        let q = SearchQuery::parse("xin gks cho con").unwrap();
        assert_eq!(q.terms, vec!["khai", "sinh", "con"]);
    }

    #[test]
    fn query_of_only_stop_words_keeps_them() {
        let q = SearchQuery::parse("thủ tục").unwrap();
        assert_eq!(q.terms, vec!["thu", "tuc"]);
    }

    #[test]
    fn empty_or_symbol_only_query_is_none() {
        assert_eq!(SearchQuery::parse(""), None);
        assert_eq!(SearchQuery::parse("  ?!  "), None);
    }

    #[test]
    fn query_terms_are_deduplicated_and_bounded() {
        let q = SearchQuery::parse("a b c d e f g h i j k a").unwrap();
        assert_eq!(q.terms.len(), SearchQuery::MAX_TERMS);
        let q = SearchQuery::parse("sinh sinh").unwrap();
        assert_eq!(q.terms, vec!["sinh"]);
    }

    struct Row {
        name: String,
        keywords: String,
        sector: String,
        body: String,
    }

    fn row(name: &str, keywords: &str, sector: &str, body: &str) -> Row {
        Row {
            name: fold(name),
            keywords: fold(keywords),
            sector: fold(sector),
            body: fold(body),
        }
    }

    fn names(query: &str, rows: Vec<Row>) -> Vec<String> {
        let q = SearchQuery::parse(query).unwrap();
        rank(&q, rows, |r| SearchFields {
            name: &r.name,
            keywords: &r.keywords,
            sector: &r.sector,
            body: &r.body,
        })
        .into_iter()
        .map(|r| r.name)
        .collect()
    }

    fn catalogue() -> Vec<Row> {
        vec![
            row(
                "Đăng ký kết hôn",
                "lấy vợ lấy chồng",
                "Hộ tịch",
                "Tờ khai đăng ký kết hôn. Giấy khai sinh không bắt buộc.",
            ),
            row(
                "Đăng ký lại khai sinh",
                "",
                "Hộ tịch",
                "Bản sao giấy khai sinh cũ",
            ),
            row(
                "Đăng ký khai sinh",
                "làm giấy khai sinh",
                "Hộ tịch",
                "Tờ khai đăng ký khai sinh",
            ),
            row(
                "Chứng thực bản sao từ bản chính",
                "sao y",
                "Chứng thực",
                "Bản chính giấy tờ",
            ),
        ]
    }

    #[test]
    fn unaccented_upper_and_partial_queries_find_the_same_procedure_first() {
        for query in [
            "dang ky khai sinh",
            "ĐĂNG KÝ KHAI SINH",
            "khai sinh",
            "Đăng ký khai sinh",
        ] {
            assert_eq!(names(query, catalogue())[0], "dang ky khai sinh", "{query}");
        }
    }

    #[test]
    fn name_matches_rank_above_body_matches() {
        let found = names("khai sinh", catalogue());
        assert_eq!(
            found,
            vec![
                "dang ky khai sinh",
                "dang ky lai khai sinh",
                "dang ky ket hon"
            ]
        );
    }

    #[test]
    fn every_word_must_be_found() {
        assert!(names("khai sinh sao y", catalogue()).is_empty());
        assert_eq!(names("ban sao", catalogue()).len(), 2);
    }

    #[test]
    fn word_prefixes_match_partial_typing() {
        assert_eq!(
            names("chung th", catalogue())[0],
            "chung thuc ban sao tu ban chinh"
        );
    }

    #[test]
    fn keywords_find_colloquial_names() {
        assert_eq!(names("lay vo", catalogue()), vec!["dang ky ket hon"]);
    }

    #[test]
    fn abbreviations_find_the_full_name() {
        assert_eq!(names("gks", catalogue())[0], "dang ky khai sinh");
    }
}
