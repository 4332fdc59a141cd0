//! A citizen's query read into the requests it makes: each request with every way it can be
//! found (the words typed, the official words, a number's digits).

use super::fold;
use super::vocabulary::{
    ABBREVIATIONS, FAMILY_WORDS, FILLER_PHRASES, FILLER_WORDS, QUESTION_PHRASES, STOP_WORDS,
    SYNONYMS, TRAILING_PLACES, counted_number, tokens,
};

/// One thing the citizen asked for ("khai sinh", "bhxh", "6"): the readings that can find it,
/// the words as typed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub readings: Vec<Vec<String>>,
    /// A word that comes along with requests ("giấy", "cho con"): it helps, it never counts as
    /// the request itself.
    pub filler: bool,
    /// The typed words are an everyday or old name ("sổ hộ khẩu"): its official reading is as
    /// sure as they are.
    pub everyday: bool,
}

impl Request {
    fn literal(words: Vec<String>, filler: bool) -> Request {
        Request {
            readings: vec![words],
            filler,
            everyday: false,
        }
    }

    fn with_reading(mut self, words: Vec<String>) -> Request {
        if !words.is_empty() && !self.readings.contains(&words) {
            self.readings.push(words);
        }
        self.readings.retain(|reading| !reading.is_empty());
        self
    }
}

/// A query, folded and read into requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub requests: Vec<Request>,
    /// The words asked, in order, stop and filler words included: the pairs they make.
    pub asked: Vec<String>,
    /// The last word, when the query ends inside it (no space or sign after): it may be a word
    /// still being typed ("khai si").
    pub unfinished: Option<String>,
}

impl SearchQuery {
    /// The most requests kept; longer input is cut so a pasted page cannot make search costly.
    pub const MAX_REQUESTS: usize = 8;

    /// Returns `None` when the query has no letters or digits at all.
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        let folded = fold(raw);
        let words: Vec<&str> = tokens(&folded).collect();
        if words.is_empty() {
            return None;
        }
        let unfinished = raw
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric)
            .then(|| words[words.len() - 1].to_owned());
        let asked = without_question_phrases(&words);
        let asked = if asked.is_empty() { words } else { asked };
        let mut requests = read_requests(&asked);
        if requests.is_empty() {
            // Only stop words ("của", "là"): they are what was asked.
            requests = asked
                .iter()
                .map(|w| Request::literal(vec![(*w).to_owned()], false))
                .collect();
        }
        let mut unique: Vec<Request> = Vec::new();
        for request in requests {
            if unique.len() < Self::MAX_REQUESTS && !unique.contains(&request) {
                unique.push(request);
            }
        }
        Some(SearchQuery {
            requests: unique,
            asked: asked.iter().map(|w| (*w).to_owned()).collect(),
            unfinished,
        })
    }

    /// The query as whole phrases, for matches of the phrase in a name: as typed (without stop
    /// and filler words) and in the words of the last reading of each request (the official
    /// words where there are some).
    pub fn phrases(&self) -> Vec<String> {
        let core: Vec<&Request> = self.requests.iter().filter(|r| !r.filler).collect();
        let as_typed: Vec<&str> = core
            .iter()
            .flat_map(|r| r.readings[0].iter().map(String::as_str))
            .collect();
        let official: Vec<&str> = core
            .iter()
            .flat_map(|r| r.readings[r.readings.len() - 1].iter().map(String::as_str))
            .collect();
        let mut phrases = vec![as_typed.join(" ")];
        let official = official.join(" ");
        if !phrases.contains(&official) {
            phrases.push(official);
        }
        phrases.retain(|p| !p.is_empty());
        phrases
    }

    /// Pairs of neighbouring words, as requests of their own: Vietnamese words are mostly two
    /// syllables ("khai tử", "nhà ở", "cơ sở"), so a pair found together in a name is worth
    /// more than its syllables found apart. The pairs of the words as asked (stop words
    /// included: "ở" means nothing alone, "nhà ở" does), and those inside each reading.
    pub fn word_pairs(&self) -> Vec<Request> {
        let pairs_of = |words: &[String]| -> Vec<String> {
            words
                .windows(2)
                .map(|w| format!("{} {}", w[0], w[1]))
                .collect()
        };
        let mut pairs: Vec<Request> = self
            .requests
            .iter()
            .filter_map(|request| {
                let readings: Vec<Vec<String>> = request
                    .readings
                    .iter()
                    .map(|reading| pairs_of(reading))
                    .filter(|pairs| !pairs.is_empty())
                    .collect();
                (!readings.is_empty()).then_some(Request {
                    readings,
                    filler: false,
                    everyday: request.everyday,
                })
            })
            .collect();
        // A filler's pairs ("giấy khai" of "giấy khai sinh") would make it count after all.
        let asked: Vec<&str> = self.asked.iter().map(String::as_str).collect();
        let telling = asked
            .windows(2)
            .filter(|w| !is_filler(w[0]) && !is_filler(w[1]))
            .map(|w| format!("{} {}", w[0], w[1]));
        for pair in telling {
            let request = Request::literal(vec![pair], false);
            if !pairs
                .iter()
                .any(|p| p.readings.contains(&request.readings[0]))
            {
                pairs.push(request);
            }
        }
        pairs
    }
}

/// The words without "ở đâu", "cần giấy tờ gì", "thủ tục", … anywhere, and without where the
/// citizen means to go ("… ở phường") at the end.
fn without_question_phrases<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut kept = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        // The longest phrase here: "ở ubnd xã" before "ở ubnd".
        let longest = QUESTION_PHRASES
            .iter()
            .filter_map(|phrase| phrase_at(words, i, phrase))
            .max();
        match longest {
            Some(len) => i += len,
            None => {
                kept.push(words[i]);
                i += 1;
            }
        }
    }
    for place in TRAILING_PLACES {
        let len = place.split(' ').count();
        if kept.len() > len && phrase_at(&kept, kept.len() - len, place).is_some() {
            kept.truncate(kept.len() - len);
            break;
        }
    }
    kept
}

/// The number of words of `phrase` when `words` hold it from position `at`.
fn phrase_at(words: &[&str], at: usize, phrase: &str) -> Option<usize> {
    let len = phrase.split(' ').count();
    (words.len() >= at + len && phrase.split(' ').eq(words[at..at + len].iter().copied()))
        .then_some(len)
}

fn read_requests(words: &[&str]) -> Vec<Request> {
    let mut requests = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let previous = i.checked_sub(1).map(|p| words[p]);
        if let Some((other, used)) = counted_number(&words[i..], previous) {
            let typed = words[i..i + used].iter().map(|w| (*w).to_owned()).collect();
            requests.push(Request::literal(typed, false).with_reading(vec![other]));
            i += used;
            continue;
        }
        if let Some((len, officials, everyday)) = longest_synonym(&words[i..]) {
            let mut request = Request::literal(meaningful(&words[i..i + len]), false);
            request.everyday = everyday;
            for official in officials {
                request = request.with_reading(official.split(' ').map(str::to_owned).collect());
            }
            requests.push(request);
            i += len;
            continue;
        }
        if let Some(len) = FILLER_PHRASES
            .iter()
            .find_map(|phrase| phrase_at(words, i, phrase))
        {
            let phrase = words[i..i + len].iter().map(|w| (*w).to_owned()).collect();
            requests.push(Request::literal(phrase, true));
            i += len;
            continue;
        }
        let word = words[i];
        if !STOP_WORDS.contains(&word) {
            requests.push(Request::literal(vec![word.to_owned()], is_filler(word)));
        }
        i += 1;
    }
    requests
}

fn is_filler(word: &str) -> bool {
    FILLER_WORDS.contains(&word) || FAMILY_WORDS.contains(&word)
}

/// The longest phrase at the start of `words` that has official readings, with all of them,
/// and whether it is an everyday name (rather than an abbreviation).
fn longest_synonym(words: &[&str]) -> Option<(usize, Vec<&'static str>, bool)> {
    let mut best: Option<(usize, Vec<&'static str>, bool)> = None;
    let everyday = SYNONYMS.iter().map(|entry| (entry, true));
    let abbreviations = ABBREVIATIONS.iter().map(|entry| (entry, false));
    for ((from, to), is_everyday) in everyday.chain(abbreviations) {
        let Some(len) = phrase_at(words, 0, from) else {
            continue;
        };
        match &mut best {
            Some((best_len, readings, _)) if *best_len == len => readings.push(to),
            Some((best_len, _, _)) if *best_len > len => {}
            _ => best = Some((len, vec![to], is_everyday)),
        }
    }
    best
}

fn meaningful(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .filter(|w| !STOP_WORDS.contains(w) && !is_filler(w))
        .map(|w| (*w).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(query: &str) -> Vec<Vec<String>> {
        SearchQuery::parse(query)
            .unwrap()
            .requests
            .iter()
            .map(|r| r.readings.iter().map(|w| w.join(" ")).collect())
            .collect()
    }

    #[test]
    fn abbreviations_add_a_reading_and_keep_the_typed_word() {
        assert_eq!(
            readings("Thủ tục làm CCCD"),
            vec![vec![
                "cccd".to_owned(),
                "can cuoc cong dan".to_owned(),
                "can cuoc".to_owned()
            ]]
        );
        assert_eq!(
            readings("bhxh một lần"),
            vec![
                vec!["bhxh".to_owned(), "bao hiem xa hoi".to_owned()],
                vec!["lan".to_owned()],
            ]
        );
        // "một" alone is a stop word; beside "lần" it is kept in their pair.
        let query = SearchQuery::parse("bhxh một lần").unwrap();
        assert!(
            query
                .word_pairs()
                .iter()
                .any(|p| p.readings[0] == ["mot lan"])
        );
    }

    #[test]
    fn colloquial_phrases_are_read_in_official_words_too() {
        let query = SearchQuery::parse("cắt hộ khẩu").unwrap();
        assert_eq!(
            query.phrases(),
            vec![
                "cat ho khau".to_owned(),
                "xoa dang ky thuong tru".to_owned()
            ]
        );
        let query = SearchQuery::parse("nhập hộ khẩu cho bé").unwrap();
        assert_eq!(query.phrases()[1], "dang ky thuong tru");
        assert!(query.requests[1].filler && query.requests[2].filler);
        assert_eq!(
            SearchQuery::parse("dang ki ket hon").unwrap().phrases()[1],
            "dang ky ket hon"
        );
        // Everyday names of a vehicle's papers and of its change of owner.
        let phrases = SearchQuery::parse("mất cà vẹt xe").unwrap().phrases();
        assert_eq!(phrases[1], "mat chung nhan dang ky xe xe");
        let phrases = SearchQuery::parse("cho tặng xe máy").unwrap().phrases();
        assert_eq!(phrases[1], "sang ten xe may");
    }

    #[test]
    fn question_phrases_and_stop_words_are_dropped() {
        assert_eq!(
            readings("làm giấy khai sinh ở đâu cần giấy tờ gì"),
            vec![vec!["khai sinh".to_owned(), "dang ky khai sinh".to_owned()]]
        );
        assert_eq!(readings("căn cước")[0], vec!["can".to_owned()]);
    }

    #[test]
    fn number_words_are_read_as_digits_too() {
        assert_eq!(
            readings("trẻ dưới sáu tuổi")[2],
            vec!["sau".to_owned(), "6".to_owned()]
        );
        assert_eq!(
            readings("dưới 06 tuổi")[1],
            vec!["6".to_owned(), "sau".to_owned()]
        );
    }

    #[test]
    fn english_names_of_procedures_are_read() {
        assert_eq!(
            SearchQuery::parse("death certificate").unwrap().phrases()[1],
            "khai tu"
        );
    }

    #[test]
    fn query_of_only_stop_words_keeps_them() {
        assert_eq!(
            readings("thủ tục"),
            vec![vec!["thu".to_owned()], vec!["tuc".to_owned()]]
        );
    }

    #[test]
    fn empty_or_symbol_only_query_is_none() {
        assert_eq!(SearchQuery::parse(""), None);
        assert_eq!(SearchQuery::parse("  ?!  "), None);
    }

    #[test]
    fn requests_are_deduplicated_and_bounded() {
        let query = SearchQuery::parse("q b c d e f g h i j k q").unwrap();
        assert_eq!(query.requests.len(), SearchQuery::MAX_REQUESTS);
        assert_eq!(readings("sinh sinh"), vec![vec!["sinh".to_owned()]]);
    }
}
