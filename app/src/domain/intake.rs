//! Counter intake (tiếp nhận trực tiếp): which paper documents a clerk received from a walk-in,
//! and which of them were scanned. A paper counts as digitised only when a scan of it is
//! attached, so the digitised share of the statistics means a file exists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::feedback::Problem;
use super::procedure::ProcedureCase;

/// The intake form's field names. Every case's papers are on the page at once (the case is a
/// plain choice above them), so each paper's fields name the case too.
pub mod field {
    pub const PROCEDURE: &str = "thu-tuc";
    /// The type-ahead procedure search.
    pub const SEARCH: &str = "tim";
    pub const NOTE: &str = "ghi-chu";
    /// The holder of the scans of a form refused for another reason, so they are not lost.
    pub const KEPT_SCANS: &str = "quet-giu";

    /// The "received" tick of the document at `index` of case `case`.
    pub fn received(case: usize, index: usize) -> String {
        format!("nhan-{case}-{index}")
    }

    /// The "scanned" tick of the document at `index` of case `case`.
    pub fn scanned(case: usize, index: usize) -> String {
        format!("so-hoa-{case}-{index}")
    }

    /// The scan file input of the document at `index` of case `case`.
    pub fn scan(case: usize, index: usize) -> String {
        format!("quet-{case}-{index}")
    }

    /// The (case, document) of a scan file input's name.
    pub fn scan_slot(name: &str) -> Option<(usize, usize)> {
        let (case, index) = name.strip_prefix("quet-")?.split_once('-')?;
        Some((case.parse().ok()?, index.parse().ok()?))
    }
}

/// How many procedures the intake page's search offers at once.
pub const FINDER_RESULTS: usize = 8;

/// A procedure the intake page's search offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundProcedure {
    pub code: String,
    pub name: String,
}

/// One paper document received at the counter: its index in the case, and whether a scan of
/// it is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperReceived {
    pub index: usize,
    pub scanned: bool,
}

/// Reads the papers ticked for case `case_index`. `ticked` tells whether a tick field is set,
/// `scans` how many scan files the document has (sent now or kept from a refused form).
///
/// A scan attached means the paper was received and scanned, ticked or not: the clerk holds it.
/// A paper ticked "scanned" without a scan, and a required paper neither ticked nor scanned, are
/// refused, each under its own field, all at once.
pub fn papers_received(
    case: &ProcedureCase,
    case_index: usize,
    ticked: impl Fn(&str) -> bool,
    scans: impl Fn(usize) -> usize,
) -> Result<Vec<PaperReceived>, BTreeMap<String, Problem>> {
    let mut received = Vec::new();
    let mut problems = BTreeMap::new();
    for (index, document) in case.documents.iter().enumerate() {
        let has_scan = scans(index) > 0;
        let scanned_ticked = ticked(&field::scanned(case_index, index));
        if scanned_ticked && !has_scan {
            problems.insert(field::scan(case_index, index), Problem::ScanMissing);
        }
        if has_scan || ticked(&field::received(case_index, index)) || scanned_ticked {
            received.push(PaperReceived {
                index,
                scanned: has_scan,
            });
        } else if document.required && !document.present_only {
            problems.insert(field::received(case_index, index), Problem::PaperRequired);
        }
    }
    if problems.is_empty() {
        Ok(received)
    } else {
        Err(problems)
    }
}

/// The paper a problem's field is about, as (case, document index), to name it in the list of
/// errors.
pub fn paper_of_field(name: &str) -> Option<(usize, usize)> {
    let rest = ["nhan-", "so-hoa-", "quet-"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))?;
    let (case, index) = rest.split_once('-')?;
    Some((case.parse().ok()?, index.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::procedure::RequiredDocument;

    fn document(name: &str, required: bool, present_only: bool) -> RequiredDocument {
        RequiredDocument {
            name: name.to_owned(),
            originals: 1,
            copies: 0,
            required,
            present_only,
            forms: Vec::new(),
        }
    }

    fn case() -> ProcedureCase {
        ProcedureCase {
            name: String::new(),
            steps: Vec::new(),
            documents: vec![
                document("Tờ khai", true, false),
                document("Giấy chứng sinh", true, false),
                document("Giấy tờ tùy thân", true, true),
                document("Văn bản ủy quyền", false, false),
            ],
            notes: Vec::new(),
        }
    }

    #[test]
    fn every_required_paper_missing_is_named_at_once() {
        let problems = papers_received(&case(), 1, |_| false, |_| 0).unwrap_err();
        assert_eq!(
            problems,
            BTreeMap::from([
                ("nhan-1-0".to_owned(), Problem::PaperRequired),
                ("nhan-1-1".to_owned(), Problem::PaperRequired),
            ])
        );
    }

    #[test]
    fn a_paper_ticked_scanned_needs_its_scan() {
        let ticks = ["nhan-0-0", "so-hoa-0-0", "nhan-0-1"];
        let problems =
            papers_received(&case(), 0, |name| ticks.contains(&name), |_| 0).unwrap_err();
        assert_eq!(
            problems,
            BTreeMap::from([("quet-0-0".to_owned(), Problem::ScanMissing)])
        );
        let papers = papers_received(
            &case(),
            0,
            |name| ticks.contains(&name),
            |index| usize::from(index == 0),
        )
        .unwrap();
        assert_eq!(
            papers,
            vec![
                PaperReceived {
                    index: 0,
                    scanned: true
                },
                PaperReceived {
                    index: 1,
                    scanned: false
                },
            ]
        );
    }

    #[test]
    fn a_scan_attached_means_the_paper_was_received() {
        let papers = papers_received(
            &case(),
            0,
            |name| name == "nhan-0-0",
            |index| usize::from(index == 1),
        )
        .unwrap();
        assert_eq!(
            papers,
            vec![
                PaperReceived {
                    index: 0,
                    scanned: false
                },
                PaperReceived {
                    index: 1,
                    scanned: true
                },
            ]
        );
    }

    #[test]
    fn another_cases_ticks_do_not_count() {
        let problems =
            papers_received(&case(), 1, |name| name.starts_with("nhan-0-"), |_| 0).unwrap_err();
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn field_names_lead_back_to_their_paper() {
        assert_eq!(field::scan_slot(&field::scan(2, 11)), Some((2, 11)));
        assert_eq!(field::scan_slot("quet-giu"), None);
        assert_eq!(field::scan_slot("giay-to-1"), None);
        for name in [
            field::received(3, 4),
            field::scanned(3, 4),
            field::scan(3, 4),
        ] {
            assert_eq!(paper_of_field(&name), Some((3, 4)), "{name}");
        }
        assert_eq!(paper_of_field("ho-ten"), None);
        assert_eq!(paper_of_field(field::KEPT_SCANS), None);
    }
}
