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
    "cac", "mot", "toi", "minh", "be", "muon", "bi",
];

/// What citizens type → the words procedure names use (all folded). Longer phrases are tried
/// first, so "cắt hộ khẩu" is not read as "hộ khẩu".
const SYNONYMS: &[(&str, &str)] = &[
    ("lam giay khai sinh", "dang ky khai sinh"),
    ("lam khai sinh", "dang ky khai sinh"),
    ("lam giay chung tu", "dang ky khai tu"),
    ("tro cap mai tang", "che do tu tuat"),
    ("nguoi nuoc ngoai", "yeu to nuoc ngoai"),
    ("hop dong", "giao dich"),
    ("nhap ho khau", "dang ky thuong tru"),
    ("cat ho khau", "xoa dang ky thuong tru"),
    ("giay chung tu", "khai tu"),
    ("chia thua ke", "phan chia di san"),
    ("nhan con nuoi", "nuoi con nuoi"),
    ("xin con nuoi", "nuoi con nuoi"),
    ("rut bao hiem", "huong bao hiem"),
    ("so do", "giay chung nhan"),
    ("so hong", "giay chung nhan"),
    ("cong chung", "chung thuc"),
    ("sao y", "ban sao"),
    ("ho khau", "thuong tru"),
    ("lay vo", "ket hon"),
    ("lay chong", "ket hon"),
    ("chung tu", "khai tu"),
    ("doc than", "tinh trang hon nhan"),
    ("sua ten", "thay doi cai chinh"),
    ("doi ten", "thay doi ho tich"),
    ("thua ke", "di san"),
    ("sua nha", "sua chua"),
    ("xin phep", "giay phep"),
    ("photo", "ban sao"),
    ("cccd", "can cuoc"),
    ("cmnd", "chung minh nhan dan"),
    ("cmt", "chung minh nhan dan"),
    ("gks", "khai sinh"),
    ("ks", "khai sinh"),
    ("hn", "hon nhan"),
    ("dk", "dang ky"),
    ("dky", "dang ky"),
    ("ki", "ky"),
    ("btxh", "bao tro xa hoi"),
    ("bhyt", "bao hiem y te"),
    ("bhxh", "bao hiem xa hoi"),
    ("gcn", "giay chung nhan"),
    // The English site's visitors (issue 17): what the procedures are called in English.
    ("birth certificate", "khai sinh"),
    ("birth registration", "dang ky khai sinh"),
    ("register a birth", "dang ky khai sinh"),
    ("birth", "khai sinh"),
    ("marriage certificate", "dang ky ket hon"),
    ("marriage registration", "dang ky ket hon"),
    ("marriage", "ket hon"),
    ("marital status", "tinh trang hon nhan"),
    ("death certificate", "khai tu"),
    ("death registration", "dang ky khai tu"),
    ("death", "khai tu"),
    ("certified copy", "chung thuc ban sao"),
    ("permanent residence", "thuong tru"),
    ("temporary residence", "tam tru"),
];

/// Replaces the colloquial phrases of a folded, split query by the words of procedure names.
fn apply_synonyms(words: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let replacement = SYNONYMS
            .iter()
            .filter_map(|(from, to)| {
                let from_words: Vec<&str> = from.split(' ').collect();
                let matches = words.len() >= i + from_words.len()
                    && words[i..i + from_words.len()] == from_words[..];
                matches.then_some((from_words.len(), *to))
            })
            .max_by_key(|(len, _)| *len);
        match replacement {
            Some((len, to)) => {
                out.extend(to.split(' ').map(str::to_owned));
                i += len;
            }
            None => {
                out.push(words[i].to_owned());
                i += 1;
            }
        }
    }
    out
}

/// A query, folded and split into the words that must be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The whole folded query, synonyms applied, for phrase matches.
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
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let expanded = apply_synonyms(&words);
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
            phrase: terms.join(" "),
            terms,
        })
    }
}

/// The folded fields of one procedure that ranking looks at. The body (steps, documents, …)
/// is long, so the database only says which query words it contains, in query order.
#[derive(Debug, Clone, Copy)]
pub struct SearchFields<'a> {
    pub name: &'a str,
    pub keywords: &'a str,
    pub sector: &'a str,
    pub in_body: &'a [bool],
}

/// How well a word of the query is found in a text: 4 as a whole word, 2 as the beginning of a
/// word (partial typing), 1 one typo away (only when `fuzzy`, and only between words of three
/// letters or more: "hon" is not a typo of "ho"), 0 not at all.
fn word_quality(text: &str, term: &str, fuzzy: bool) -> u32 {
    let mut best = 0;
    for word in text.split(' ') {
        if word == term {
            return 4;
        }
        if word.starts_with(term) {
            best = 2;
        } else if fuzzy
            && best == 0
            && term.len() >= 3
            && word.len() >= 3
            && one_edit_apart(word, term)
        {
            best = 1;
        }
    }
    best
}

/// True when `a` becomes `b` by changing, inserting or deleting one character.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 || long.is_empty() {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        prefix < short.len() && short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// How a procedure answers a query: how many query words it contains, and how well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub matched: usize,
    pub points: f64,
}

/// Names often start with "Thủ tục"; it says nothing, and it hides a phrase at the start.
fn meaningful_name(name: &str) -> &str {
    name.strip_prefix("thu tuc ").unwrap_or(name)
}

/// How well each query word is found in a procedure: in the name it weighs most, then keywords,
/// sector, and the body; typos are forgiven in name, keywords and sector only.
fn term_qualities(query: &SearchQuery, fields: SearchFields<'_>) -> Vec<u32> {
    let name = meaningful_name(fields.name);
    query
        .terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            [
                10 * word_quality(name, term, true),
                5 * word_quality(fields.keywords, term, true),
                3 * word_quality(fields.sector, term, true),
                if fields.in_body.get(i).copied().unwrap_or(false) {
                    2
                } else {
                    0
                },
            ]
            .into_iter()
            .max()
            .unwrap_or(0)
        })
        .collect()
}

/// Scores a procedure: each word found counts by where and how well it was found, times how
/// rare the word is (`idf`, one per query word), so "nước ngoài" outweighs "người". The whole
/// phrase inside the name multiplies the score, more at its start; so does a name holding every
/// query word.
pub fn score(query: &SearchQuery, fields: SearchFields<'_>, idf: &[f64]) -> Score {
    let qualities = term_qualities(query, fields);
    let matched = qualities.iter().filter(|q| **q > 0).count();
    let mut points: f64 = qualities
        .iter()
        .zip(idf)
        .map(|(quality, weight)| f64::from(*quality) * weight)
        .sum();
    let name = meaningful_name(fields.name);
    if matched > 0 && (query.phrase.contains(' ') || query.terms.len() == 1) {
        if name.starts_with(&query.phrase) {
            points *= 1.6;
        } else if contains_phrase(name, &query.phrase) {
            points *= 1.35;
        } else if contains_phrase(fields.keywords, &query.phrase) {
            points *= 1.15;
        }
    }
    if query
        .terms
        .iter()
        .all(|term| word_quality(name, term, true) > 0)
    {
        points *= 1.2;
    }
    Score { matched, points }
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    text == phrase
        || text.starts_with(&format!("{phrase} "))
        || text.contains(&format!(" {phrase} "))
        || text.ends_with(&format!(" {phrase}"))
}

/// Orders candidates best first. `catalogue_size` is the number of procedures searched, for the
/// rarity of each word. Only candidates holding (nearly) the most query words are kept — one
/// word may be missing from queries of three words or more — so an unknown word does not empty
/// the list and half matches do not flood it; ties go to the shorter name, then the given order.
pub fn rank<T>(
    query: &SearchQuery,
    candidates: Vec<T>,
    catalogue_size: usize,
    fields: impl Fn(&T) -> SearchFields<'_>,
) -> Vec<T> {
    let qualities: Vec<Vec<u32>> = candidates
        .iter()
        .map(|c| term_qualities(query, fields(c)))
        .collect();
    let total = catalogue_size.max(candidates.len()) as f64;
    let idf: Vec<f64> = (0..query.terms.len())
        .map(|i| {
            let containing = qualities.iter().filter(|q| q[i] > 0).count() as f64;
            ((total + 1.0) / (containing + 0.5)).ln().max(0.05)
        })
        .collect();
    let mut scored: Vec<(Score, usize, usize, T)> = candidates
        .into_iter()
        .enumerate()
        .map(|(index, candidate)| {
            let f = fields(&candidate);
            let name_len = f.name.len();
            (score(query, f, &idf), name_len, index, candidate)
        })
        .collect();
    let best_matched = scored.iter().map(|s| s.0.matched).max().unwrap_or(0);
    let allowed_missing = usize::from(query.terms.len() >= 3);
    scored.retain(|s| s.0.matched > 0 && s.0.matched + allowed_missing >= best_matched);
    scored.sort_by(|a, b| {
        b.0.points
            .total_cmp(&a.0.points)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
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
    fn colloquial_phrases_become_the_words_of_names() {
        let q = SearchQuery::parse("cắt hộ khẩu").unwrap();
        assert_eq!(q.phrase, "xoa dang ky thuong tru");
        let q = SearchQuery::parse("nhập hộ khẩu cho bé").unwrap();
        assert_eq!(q.phrase, "dang ky thuong tru");
        let q = SearchQuery::parse("công chứng giấy tờ").unwrap();
        assert_eq!(q.terms, vec!["chung", "thuc", "giay", "to"]);
        let q = SearchQuery::parse("dang ki ket hon").unwrap();
        assert_eq!(q.phrase, "dang ky ket hon");
    }

    #[test]
    fn english_names_of_procedures_find_them() {
        for (query, first) in [
            ("birth", "dang ky khai sinh"),
            ("Birth certificate", "dang ky khai sinh"),
            ("marriage", "dang ky ket hon"),
        ] {
            assert_eq!(names(query, catalogue())[0], first, "{query}");
        }
        assert_eq!(
            SearchQuery::parse("death certificate").unwrap().phrase,
            "khai tu"
        );
    }

    #[test]
    fn one_typo_is_one_edit() {
        assert!(one_edit_apart("sao", "sau"));
        assert!(one_edit_apart("thuc", "thu"));
        assert!(one_edit_apart("hon", "hoan"));
        assert!(!one_edit_apart("sao", "sao"));
        assert!(!one_edit_apart("sao", "sinh"));
        assert!(!one_edit_apart("ab", "ba"));
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
        // As the database does: which query words the body contains (SQL `LIKE '%word%'`).
        let rows: Vec<(Row, Vec<bool>)> = rows
            .into_iter()
            .map(|r| {
                let flags = q
                    .terms
                    .iter()
                    .map(|t| r.body.contains(t.as_str()))
                    .collect();
                (r, flags)
            })
            .collect();
        let size = rows.len();
        rank(&q, rows, size, |(r, flags)| SearchFields {
            name: &r.name,
            keywords: &r.keywords,
            sector: &r.sector,
            in_body: flags,
        })
        .into_iter()
        .map(|(r, _)| r.name)
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
    fn only_the_procedures_with_the_most_query_words_are_listed() {
        assert_eq!(names("ban sao", catalogue()).len(), 2);
        // No procedure has all of "khai sinh lấy vợ": those with most of it are listed.
        let found = names("khai sinh lay vo", catalogue());
        assert_eq!(found, vec!["dang ky ket hon"]);
        assert!(names("xyzxyz", catalogue()).is_empty());
    }

    #[test]
    fn typos_in_names_are_forgiven() {
        assert_eq!(
            names("chung thuc ban sau", catalogue())[0],
            "chung thuc ban sao tu ban chinh"
        );
        assert_eq!(names("dang ky ket hoon", catalogue())[0], "dang ky ket hon");
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
