//! The intake checklist (issue 22): what a clerk checks before accepting a dossier, built from
//! the catalogue for the dossier's procedure and case. Each paper with its originals and copies;
//! the papers the state already holds, which must not be asked for (Resolution 66.7/2025/NQ-CP
//! Art. 2: look the data up, ask for the paper only when the lookup fails) with the database to
//! look in; the conditions; the fee and the legal time to tell the citizen. The clerk's ticks go
//! into the acceptance's audit entry; an unticked required item blocks acceptance (a supplement
//! can still be asked for).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::feedback::Problem;
use super::procedure::{ChannelKind, Procedure};
use super::search::fold;

/// Every tick's form field starts so.
pub const CHECK_PREFIX: &str = "kiem-";

/// A national database a clerk looks a paper's data up in instead of asking for the paper: the
/// databases of Resolution 66.7/2025/NQ-CP Art. 4 (docs/back_office.md has the sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
pub enum StateRecord {
    /// Cơ sở dữ liệu quốc gia về dân cư (identity and residence; shown in VNeID).
    Population,
    /// Cơ sở dữ liệu hộ tịch điện tử (births, marriages, deaths registered electronically).
    CivilStatus,
    /// Cơ sở dữ liệu quốc gia về bảo hiểm (health-insurance cards, social-insurance books).
    Insurance,
    /// Cơ sở dữ liệu về giấy phép lái xe.
    DrivingLicences,
    /// Cơ sở dữ liệu về đăng ký phương tiện (vehicle registrations).
    Vehicles,
    /// Cơ sở dữ liệu lý lịch tư pháp (criminal-record certificates).
    CriminalRecords,
    /// Sổ sức khỏe điện tử (health check certificates).
    HealthRecords,
    /// Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp (enterprises, household businesses,
    /// cooperatives).
    BusinessRegistration,
}

/// How the names of papers whose data a database holds begin (folded: no diacritics, lower
/// case), after "bản sao" or "bản chính". A name is matched at its start only: "Giấy tờ chứng
/// minh quan hệ (giấy khai sinh…)" or "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" name other
/// papers. Land-use certificates are left out although Art. 4 names the land database: it
/// covers residential land only at first, which a paper's name does not tell.
const HELD_BY_THE_STATE: &[(&str, StateRecord)] = &[
    ("giay to tuy than", StateRecord::Population),
    ("the can cuoc", StateRecord::Population),
    ("can cuoc", StateRecord::Population),
    ("giay chung nhan can cuoc", StateRecord::Population),
    ("chung minh nhan dan", StateRecord::Population),
    ("giay chung minh nhan dan", StateRecord::Population),
    ("cmnd", StateRecord::Population),
    ("cccd", StateRecord::Population),
    // Abolished as proof of residence since 1/1/2023 (Decree 104/2022): the residence data is
    // looked up instead.
    ("so ho khau", StateRecord::Population),
    ("so tam tru", StateRecord::Population),
    ("giay xac nhan thong tin ve cu tru", StateRecord::Population),
    ("xac nhan thong tin ve cu tru", StateRecord::Population),
    ("giay xac nhan noi cu tru", StateRecord::Population),
    ("giay khai sinh", StateRecord::CivilStatus),
    ("trich luc khai sinh", StateRecord::CivilStatus),
    ("giay chung nhan ket hon", StateRecord::CivilStatus),
    ("trich luc ket hon", StateRecord::CivilStatus),
    ("trich luc dang ky ket hon", StateRecord::CivilStatus),
    (
        "giay xac nhan tinh trang hon nhan",
        StateRecord::CivilStatus,
    ),
    ("giay chung tu", StateRecord::CivilStatus),
    ("trich luc khai tu", StateRecord::CivilStatus),
    // The other civil-status extracts Decision 3458/QĐ-BTP published for lookup.
    ("trich luc thay doi", StateRecord::CivilStatus),
    ("trich luc cai chinh", StateRecord::CivilStatus),
    ("trich luc bo sung", StateRecord::CivilStatus),
    ("trich luc dang ky nhan cha", StateRecord::CivilStatus),
    ("trich luc nhan cha", StateRecord::CivilStatus),
    ("trich luc dang ky giam ho", StateRecord::CivilStatus),
    ("trich luc giam ho", StateRecord::CivilStatus),
    ("trich luc ghi chu", StateRecord::CivilStatus),
    ("giay chung nhan nuoi con nuoi", StateRecord::CivilStatus),
    ("the bao hiem y te", StateRecord::Insurance),
    ("the bhyt", StateRecord::Insurance),
    ("so bao hiem xa hoi", StateRecord::Insurance),
    ("so bhxh", StateRecord::Insurance),
    ("giay phep lai xe", StateRecord::DrivingLicences),
    ("giay chung nhan dang ky xe", StateRecord::Vehicles),
    ("phieu ly lich tu phap", StateRecord::CriminalRecords),
    ("giay kham suc khoe", StateRecord::HealthRecords),
    (
        "giay chung nhan dang ky doanh nghiep",
        StateRecord::BusinessRegistration,
    ),
    (
        "giay chung nhan dang ky ho kinh doanh",
        StateRecord::BusinessRegistration,
    ),
    (
        "giay chung nhan dang ky hop tac xa",
        StateRecord::BusinessRegistration,
    ),
];

/// How a paper's name begins (folded), to tell "A hoặc B" of two papers from "… của cha hoặc mẹ".
const PAPER_WORDS: [&str; 12] = [
    "giay",
    "ban ",
    "trich luc",
    "so ",
    "the ",
    "phieu",
    "to khai",
    "van ban",
    "quyet dinh",
    "hop dong",
    "chung",
    "can cuoc",
];

/// A paper handed back to the center ("… đã được cấp trước đó (nộp lại)") is the paper itself,
/// not its data.
const HANDED_BACK: &str = "nop lai";

impl StateRecord {
    /// The database that holds the data of the paper called `name`, if any.
    pub fn of_paper(name: &str) -> Option<StateRecord> {
        let folded = fold(name);
        if folded.contains(HANDED_BACK) {
            return None;
        }
        // "Giấy chứng tử hoặc Trích lục khai tử" is looked up when every alternative is held by
        // the same database; "Giấy chứng nhận đăng ký xe hoặc giấy tờ chứng minh quyền sở hữu…"
        // is not, since the citizen may bring the one no database holds.
        // "… của cha hoặc mẹ" is one paper: an alternative names a paper only when it starts as
        // papers are named.
        let mut records = folded
            .split(" hoac ")
            .enumerate()
            .filter(|(index, alternative)| {
                *index == 0 || PAPER_WORDS.iter().any(|word| alternative.starts_with(word))
            })
            .map(|(_, alternative)| {
                let paper = ["ban sao ", "ban chinh "]
                    .iter()
                    .find_map(|kind| alternative.strip_prefix(kind))
                    .unwrap_or(alternative);
                HELD_BY_THE_STATE
                    .iter()
                    .find(|(start, _)| paper.starts_with(start))
                    .map(|(_, record)| *record)
            });
        let first = records.next()??;
        records.all(|record| record == Some(first)).then_some(first)
    }
}

/// What one line of the checklist is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Paper {
        name: String,
        originals: u32,
        copies: u32,
        /// Shown at the counter, not handed in.
        present_only: bool,
        /// Not to be asked for: its data is looked up there.
        held_by: Option<StateRecord>,
    },
    Condition(String),
    /// The fee to tell the citizen, as the catalogue states it.
    Fee(String),
    /// The legal time, as the catalogue states it.
    LegalTime(String),
}

impl StateRecord {
    /// The database's name, as the audit trail and the counter read it.
    pub fn name(self) -> &'static str {
        match self {
            StateRecord::Population => "Cơ sở dữ liệu quốc gia về dân cư (VNeID)",
            StateRecord::CivilStatus => "Cơ sở dữ liệu hộ tịch điện tử",
            StateRecord::Insurance => "Cơ sở dữ liệu quốc gia về bảo hiểm",
            StateRecord::DrivingLicences => "Cơ sở dữ liệu về giấy phép lái xe",
            StateRecord::Vehicles => "Cơ sở dữ liệu về đăng ký phương tiện",
            StateRecord::CriminalRecords => "Cơ sở dữ liệu lý lịch tư pháp",
            StateRecord::HealthRecords => "Sổ sức khỏe điện tử",
            StateRecord::BusinessRegistration => "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// The form field of its tick.
    pub field: String,
    pub kind: ItemKind,
    /// Acceptance needs it ticked.
    pub required: bool,
}

impl ChecklistItem {
    /// The item in words, in the records' language (Vietnamese): what the audit trail keeps of
    /// a tick, so it reads the same after the catalogue changes.
    pub fn label(&self) -> String {
        match &self.kind {
            ItemKind::Paper {
                name,
                held_by: Some(record),
                ..
            } => format!("{name}: đã tra cứu {}", record.name()),
            ItemKind::Paper {
                name,
                present_only: true,
                ..
            } => format!("{name}: đã xem bản chính"),
            ItemKind::Paper {
                name,
                originals,
                copies,
                ..
            } => format!("{name}: {originals} bản chính, {copies} bản sao"),
            ItemKind::Condition(text) => format!("Điều kiện: {text}"),
            ItemKind::Fee(text) => format!("Đã báo lệ phí: {text}"),
            ItemKind::LegalTime(text) => format!("Đã báo thời hạn: {text}"),
        }
    }
}

/// The checklist of `procedure`'s case `case_index` for a dossier that came in by `channel`.
pub fn checklist(
    procedure: &Procedure,
    case_index: usize,
    channel: ChannelKind,
) -> Vec<ChecklistItem> {
    let mut items = Vec::new();
    if let Some(case) = procedure.cases.get(case_index) {
        for (index, paper) in case.documents.iter().enumerate() {
            let held_by = StateRecord::of_paper(&paper.name);
            items.push(ChecklistItem {
                field: format!("kiem-giay-{index}"),
                required: paper.required && held_by.is_none(),
                kind: ItemKind::Paper {
                    name: paper.name.clone(),
                    originals: paper.originals,
                    copies: paper.copies,
                    present_only: paper.present_only,
                    held_by,
                },
            });
        }
    }
    for (index, condition) in conditions(&procedure.conditions).into_iter().enumerate() {
        items.push(ChecklistItem {
            field: format!("kiem-dieu-kien-{index}"),
            required: true,
            kind: ItemKind::Condition(condition),
        });
    }
    let channel = procedure
        .channels
        .iter()
        .find(|candidate| candidate.kind == channel)
        .or_else(|| procedure.channels.first());
    if let Some(channel) = channel {
        let fees: Vec<String> = channel.fees.iter().filter_map(fee_words).collect();
        if !fees.is_empty() {
            items.push(ChecklistItem {
                field: "kiem-le-phi".to_owned(),
                required: false,
                kind: ItemKind::Fee(fees.join("; ")),
            });
        }
        if !channel.time.description.trim().is_empty() {
            items.push(ChecklistItem {
                field: "kiem-thoi-han".to_owned(),
                required: false,
                kind: ItemKind::LegalTime(channel.time.description.trim().to_owned()),
            });
        }
    }
    items
}

/// A fee as the catalogue words it, or its kind and amount when it has no words.
fn fee_words(fee: &super::procedure::Fee) -> Option<String> {
    let words = fee.description.trim();
    if !words.is_empty() {
        return Some(words.to_owned());
    }
    fee.amount_dong
        .map(|amount| format!("{}: {amount} đồng{}", fee.kind.trim(), fee.per_unit))
}

/// The catalogue's conditions as separate lines to check; none for "Không" and the like.
fn conditions(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().trim_start_matches(['-', '+', '•', '*']).trim())
        .filter(|line| !line.is_empty())
        .filter(|line| !matches!(fold(line).trim_end_matches('.'), "khong" | "khong co"))
        .map(str::to_owned)
        .collect()
}

/// What the clerk ticked, in words (`ChecklistItem::label`), or the problem of each unticked
/// required item by its field.
pub fn ticks(
    items: &[ChecklistItem],
    ticked: &BTreeSet<String>,
) -> Result<Vec<String>, BTreeMap<String, Problem>> {
    let missing: BTreeMap<String, Problem> = items
        .iter()
        .filter(|item| item.required && !ticked.contains(&item.field))
        .map(|item| (item.field.clone(), Problem::CheckRequired))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(items
        .iter()
        .filter(|item| ticked.contains(&item.field))
        .map(ChecklistItem::label)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::procedure::{
        Channel, Fee, ProcedureCase, ProcessingTime, RequiredDocument, TimeUnit,
    };

    fn paper(name: &str, required: bool) -> RequiredDocument {
        RequiredDocument {
            name: name.to_owned(),
            originals: 1,
            copies: 0,
            required,
            present_only: false,
            forms: Vec::new(),
        }
    }

    fn procedure() -> Procedure {
        let mut procedure =
            crate::domain::procedure::bare_procedure("1.001193", "Đăng ký khai sinh");
        procedure.cases = vec![ProcedureCase {
            name: String::new(),
            steps: Vec::new(),
            documents: vec![
                paper("Tờ khai đăng ký khai sinh", true),
                paper("Bản sao Giấy khai sinh của cha hoặc mẹ", true),
                paper("Căn cước của người đi đăng ký", true),
                paper("Văn bản ủy quyền (nếu có)", false),
            ],
            notes: Vec::new(),
        }];
        procedure.conditions =
            "- Người yêu cầu từ đủ 18 tuổi.\n- Có năng lực hành vi dân sự".to_owned();
        procedure.channels = vec![Channel {
            kind: ChannelKind::Counter,
            time: ProcessingTime {
                amount: Some(1.0),
                unit: TimeUnit::WorkingDays,
                description: "1 ngày làm việc".to_owned(),
            },
            fees: vec![Fee {
                kind: "Lệ phí".to_owned(),
                amount_dong: Some(8_000),
                per_unit: String::new(),
                description: String::new(),
            }],
        }];
        procedure
    }

    #[test]
    fn papers_the_state_holds_are_looked_up_not_required() {
        assert_eq!(
            StateRecord::of_paper("Bản sao Giấy khai sinh"),
            Some(StateRecord::CivilStatus)
        );
        assert_eq!(
            StateRecord::of_paper("Thẻ Căn cước công dân"),
            Some(StateRecord::Population)
        );
        assert_eq!(StateRecord::of_paper("Tờ khai đăng ký khai sinh"), None);
        assert_eq!(
            StateRecord::of_paper("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
            None,
            "the request form is not the paper"
        );
        assert_eq!(
            StateRecord::of_paper("Giấy xác nhận tình trạng hôn nhân"),
            Some(StateRecord::CivilStatus)
        );
        assert_eq!(
            StateRecord::of_paper("Bản sao Thẻ bảo hiểm y tế"),
            Some(StateRecord::Insurance)
        );
        assert_eq!(
            StateRecord::of_paper("Phiếu lý lịch tư pháp số 1"),
            Some(StateRecord::CriminalRecords)
        );
        assert_eq!(
            StateRecord::of_paper("Giấy chứng nhận quyền sử dụng đất"),
            None,
            "the land database covers residential land only so far"
        );
        assert_eq!(
            StateRecord::of_paper(
                "Giấy tờ chứng minh quan hệ giữa người để lại di sản và người được hưởng di sản \
                 (giấy khai sinh, giấy chứng nhận kết hôn…)"
            ),
            None,
            "a paper that may be one of several is not looked up"
        );
        assert_eq!(
            StateRecord::of_paper(
                "Giấy xác nhận tình trạng hôn nhân đã được cấp trước đó (nộp lại)"
            ),
            None,
            "a paper handed back is the paper itself"
        );
        assert_eq!(
            StateRecord::of_paper(
                "Giấy chứng nhận đăng ký xe hoặc giấy tờ chứng minh quyền sở hữu động sản"
            ),
            None,
            "one of the alternatives may be held nowhere"
        );
        assert_eq!(
            StateRecord::of_paper("Giấy chứng tử hoặc Trích lục khai tử của người để lại di sản"),
            Some(StateRecord::CivilStatus)
        );
        let items = checklist(&procedure(), 0, ChannelKind::Counter);
        let required: Vec<&str> = items
            .iter()
            .filter(|item| item.required)
            .map(|item| item.field.as_str())
            .collect();
        // The form and the two conditions; not the birth certificate, the identity card (both
        // looked up) or the optional authorisation.
        assert_eq!(
            required,
            ["kiem-giay-0", "kiem-dieu-kien-0", "kiem-dieu-kien-1"]
        );
        assert!(
            items
                .iter()
                .any(|item| item.label() == "Đã báo lệ phí: Lệ phí: 8000 đồng")
        );
        assert!(
            items
                .iter()
                .any(|item| item.label() == "Đã báo thời hạn: 1 ngày làm việc")
        );
    }

    #[test]
    fn an_unticked_required_item_is_named_and_the_ticks_are_kept_in_words() {
        let items = checklist(&procedure(), 0, ChannelKind::Counter);
        let ticked: BTreeSet<String> = ["kiem-giay-0", "kiem-dieu-kien-0", "kiem-giay-1"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            ticks(&items, &ticked).unwrap_err(),
            BTreeMap::from([("kiem-dieu-kien-1".to_owned(), Problem::CheckRequired)])
        );
        let mut all = ticked.clone();
        all.insert("kiem-dieu-kien-1".to_owned());
        let words = ticks(&items, &all).unwrap();
        assert_eq!(
            words,
            [
                "Tờ khai đăng ký khai sinh: 1 bản chính, 0 bản sao",
                "Bản sao Giấy khai sinh của cha hoặc mẹ: đã tra cứu Cơ sở dữ liệu hộ tịch điện tử",
                "Điều kiện: Người yêu cầu từ đủ 18 tuổi.",
                "Điều kiện: Có năng lực hành vi dân sự",
            ]
        );
    }

    #[test]
    fn no_condition_means_nothing_to_tick() {
        assert!(conditions("Không").is_empty());
        assert!(conditions("không có.").is_empty());
        assert_eq!(conditions("a\n\n- b"), ["a", "b"]);
    }
}
