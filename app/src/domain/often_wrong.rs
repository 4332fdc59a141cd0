//! What goes wrong here (issue 22): per procedure, what this center most often sent dossiers
//! back for (the papers of its supplement requests) or refused them for, counted from its own
//! history. Clerks see both at intake; citizens see only the papers, and only those named in the
//! catalogue: a paper or a reason a clerk typed may name a person, and the procedure page is
//! public.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::search::fold;
use super::tracking::{EventDetails, OTHER_PAPERS};

/// How far back the history is counted.
pub const LOOKBACK_DAYS: i64 = 365;
/// A paper or reason counts once it came up this often: one case is not a pattern.
pub const MIN_TIMES: u32 = 2;
/// How many are shown.
pub const SHOWN: usize = 3;

/// One thing that went wrong, and how often in the look-back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trouble {
    pub text: String,
    pub times: u32,
}

/// What went wrong with a procedure's dossiers at a center.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OftenWrong {
    /// Papers asked for in supplement requests, most often first.
    pub missing: Vec<Trouble>,
    /// Refusal reasons written the same way at least `MIN_TIMES`, most often first.
    pub refused: Vec<Trouble>,
}

impl OftenWrong {
    /// Counts the supplement requests and refusals in `history` (the events' details).
    pub fn count<'a>(history: impl IntoIterator<Item = &'a EventDetails>) -> OftenWrong {
        let mut missing: BTreeMap<String, (String, u32)> = BTreeMap::new();
        let mut refused: BTreeMap<String, (String, u32)> = BTreeMap::new();
        let tally = |counts: &mut BTreeMap<String, (String, u32)>, text: &str| {
            let text = text.trim().trim_end_matches('.').trim();
            if text.is_empty() {
                return;
            }
            counts
                .entry(fold(text))
                .or_insert_with(|| (text.to_owned(), 0))
                .1 += 1;
        };
        for details in history {
            match details {
                EventDetails::Supplement { documents, .. } => {
                    // A paper named twice in one request counts once.
                    let mut named: Vec<&String> = documents
                        .iter()
                        .filter(|name| name.as_str() != OTHER_PAPERS)
                        .collect();
                    named.sort_by_key(|name| fold(name));
                    named.dedup_by_key(|name| fold(name));
                    for name in named {
                        tally(&mut missing, name);
                    }
                }
                EventDetails::Reason { text } => tally(&mut refused, text),
                _ => {}
            }
        }
        OftenWrong {
            missing: top(missing),
            refused: top(refused),
        }
    }

    /// What citizens may read: the missing papers that the catalogue itself names (`papers`),
    /// never a reason or a paper typed by a clerk.
    pub fn for_citizens(&self, papers: &[String]) -> Vec<Trouble> {
        let known: Vec<String> = papers.iter().map(|paper| fold(paper)).collect();
        self.missing
            .iter()
            .filter(|trouble| known.contains(&fold(&trouble.text)))
            .cloned()
            .collect()
    }
}

fn top(counts: BTreeMap<String, (String, u32)>) -> Vec<Trouble> {
    let mut troubles: Vec<Trouble> = counts
        .into_values()
        .filter(|(_, times)| *times >= MIN_TIMES)
        .map(|(text, times)| Trouble { text, times })
        .collect();
    // Most often first; among equals, in the order of the words.
    troubles.sort_by(|a, b| b.times.cmp(&a.times).then_with(|| a.text.cmp(&b.text)));
    troubles.truncate(SHOWN);
    troubles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Date;

    fn supplement(documents: &[&str]) -> EventDetails {
        EventDetails::Supplement {
            documents: documents.iter().map(|d| (*d).to_owned()).collect(),
            deadline: Date::new(2026, 12, 31),
        }
    }

    fn refusal(text: &str) -> EventDetails {
        EventDetails::Reason {
            text: text.to_owned(),
        }
    }

    #[test]
    fn the_papers_asked_for_most_often_come_first_and_one_case_is_not_a_pattern() {
        let history = [
            supplement(&["Bản sao Giấy khai sinh", "Tờ khai"]),
            supplement(&["Bản sao giấy khai sinh", OTHER_PAPERS]),
            supplement(&["Bản sao Giấy khai sinh", "Bản sao Giấy khai sinh"]),
            supplement(&["Tờ khai"]),
            supplement(&["Giấy ủy quyền"]),
            refusal("Không thuộc thẩm quyền của xã."),
            refusal("không thuộc thẩm quyền của xã"),
            refusal("Ông Nguyễn Văn A chưa đủ tuổi"),
            EventDetails::Fee {
                amount_dong: 8_000,
                how_to_pay: "Tiền mặt".into(),
            },
        ];
        let counted = OftenWrong::count(&history);
        assert_eq!(
            counted.missing,
            vec![
                Trouble {
                    text: "Bản sao Giấy khai sinh".into(),
                    times: 3
                },
                Trouble {
                    text: "Tờ khai".into(),
                    times: 2
                },
            ]
        );
        assert_eq!(
            counted.refused,
            vec![Trouble {
                text: "Không thuộc thẩm quyền của xã".into(),
                times: 2
            }]
        );
    }

    #[test]
    fn citizens_see_only_papers_the_catalogue_names() {
        let history = [
            supplement(&[
                "Bản sao Giấy khai sinh",
                "Giấy xác nhận của ông Nguyễn Văn A",
            ]),
            supplement(&[
                "Bản sao Giấy khai sinh",
                "Giấy xác nhận của ông Nguyễn Văn A",
            ]),
        ];
        let counted = OftenWrong::count(&history);
        assert_eq!(counted.missing.len(), 2);
        let shown = counted.for_citizens(&["Bản sao giấy khai sinh".to_owned()]);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].text, "Bản sao Giấy khai sinh");
    }

    #[test]
    fn at_most_three_are_shown() {
        let history: Vec<EventDetails> = ["A", "B", "C", "D"]
            .iter()
            .flat_map(|paper| [supplement(&[paper]), supplement(&[paper])])
            .collect();
        assert_eq!(OftenWrong::count(&history).missing.len(), SHOWN);
    }
}
