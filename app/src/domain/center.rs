//! The commune centers of one installation (issue 21). A province runs one installation for all
//! its communes: each center is a row, not configuration. Its agency code (QCVN 102) begins the
//! codes of the dossiers it receives; its slug is its public address, `/xa/{slug}`, printed on
//! the commune's own links and posters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dossier::AgencyCode;
use super::feedback::{FormFeedback, Problem, text};
use super::search::fold;

/// The cookie that remembers which commune a citizen picked (its slug).
pub const CENTER_COOKIE: &str = "motcua_xa";

/// Fields of the form that adds a center, shared by the page and its handler.
pub mod center_field {
    pub const AGENCY: &str = "ma-co-quan";
    pub const SLUG: &str = "duong-dan";
    pub const NAME: &str = "ten";
    pub const ADDRESS: &str = "dia-chi";
    pub const OFFICE_HOURS: &str = "gio-lam-viec";
    /// One checkbox per weekday, value 1 (Monday) to 7 (Sunday).
    pub const RECEIVING_DAYS: &str = "ngay-tiep-nhan";
    pub const CAVEATS: &str = "luu-y";
}

/// The words every center's name begins with, left out of the slug made from a name.
const NAME_PREFIX: &str = "trung tam phuc vu hanh chinh cong ";

/// The last part of a center's public address: lower-case letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CenterSlug(String);

impl CenterSlug {
    pub fn parse(text: &str) -> Result<CenterSlug, Problem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        if text.len() > 60 {
            return Err(Problem::TooLong);
        }
        let well_formed = text.len() >= 2
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        if well_formed {
            Ok(CenterSlug(text.to_owned()))
        } else {
            Err(Problem::SlugMalformed)
        }
    }

    /// The slug a center's name suggests: its words without diacritics, joined by hyphens,
    /// without the "Trung tâm Phục vụ hành chính công" every name starts with.
    pub fn from_name(name: &str) -> Option<CenterSlug> {
        let folded = fold(name);
        let words = folded.strip_prefix(NAME_PREFIX).unwrap_or(&folded);
        let mut slug = words.replace(' ', "-");
        slug.truncate(60);
        CenterSlug::parse(slug.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The days of the week a center receives dossiers, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivingDays([bool; 7]);

impl ReceivingDays {
    /// Monday to Friday, as the law's working week.
    pub const WORKING_WEEK: ReceivingDays =
        ReceivingDays([true, true, true, true, true, false, false]);

    /// From the digits 1 (Monday) to 7 (Sunday), as stored and as the form sends them.
    pub fn parse<'a>(digits: impl IntoIterator<Item = &'a str>) -> Result<ReceivingDays, Problem> {
        let mut days = [false; 7];
        for digit in digits {
            match digit.trim().parse::<usize>() {
                Ok(day @ 1..=7) => days[day - 1] = true,
                _ => return Err(Problem::TextMalformed),
            }
        }
        if days.iter().any(|&day| day) {
            Ok(ReceivingDays(days))
        } else {
            Err(Problem::Required)
        }
    }

    /// From the stored form, e.g. "123456".
    pub fn from_digits(digits: &str) -> Result<ReceivingDays, Problem> {
        ReceivingDays::parse(
            digits
                .char_indices()
                .map(|(at, c)| &digits[at..at + c.len_utf8()]),
        )
    }

    /// The stored form: the days' digits, e.g. "123456".
    pub fn digits(self) -> String {
        (1..=7)
            .filter(|&day| self.receives(day))
            .map(|day| char::from(b'0' + day as u8))
            .collect()
    }

    /// Whether the center receives on `day`, 1 (Monday) to 7 (Sunday).
    pub fn receives(self, day: usize) -> bool {
        (1..=7).contains(&day) && self.0[day - 1]
    }
}

/// A center as pages show it and requests are routed to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Center {
    /// The agency code (QCVN 102): the first part of its dossier codes.
    pub agency: String,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub office_hours: String,
    pub receiving_days: ReceivingDays,
    /// What citizens should know before they come (a text shown on the center's pages).
    pub caveats: String,
    /// The center of visitors who have not picked one.
    pub is_default: bool,
}

impl Center {
    /// Whether `typed` (folded, without diacritics) names this center: every word of it is the
    /// start of a word of the name or of the slug.
    pub fn matches(&self, typed: &str) -> bool {
        let name = fold(&self.name);
        let haystack: Vec<&str> = name
            .split(' ')
            .chain(self.slug.split('-'))
            .collect::<Vec<_>>();
        fold(typed)
            .split(' ')
            .filter(|word| !word.is_empty())
            .all(|word| haystack.iter().any(|candidate| candidate.starts_with(word)))
    }
}

/// The center a citizen's request is for, and whether there are others to pick from (the
/// pages then offer to change it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickedCenter {
    pub center: Center,
    pub others: bool,
}

/// A new center, checked: what `server create-center` and the province's settings page add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCenter {
    pub agency: AgencyCode,
    pub slug: CenterSlug,
    pub name: String,
    pub address: String,
    pub office_hours: String,
    pub receiving_days: ReceivingDays,
    pub caveats: String,
}

impl NewCenter {
    /// Reads the form (`center_field`); an empty slug is made from the name. Every problem
    /// is keyed by its field, with the values as typed.
    pub fn from_form(
        fields: &BTreeMap<String, String>,
        receiving_days: &[String],
    ) -> Result<NewCenter, FormFeedback> {
        let get = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
        let mut problems = BTreeMap::new();
        let mut check = |name: &str, result: Result<String, Problem>| {
            result
                .map_err(|problem| problems.insert(name.to_owned(), problem))
                .unwrap_or_default()
        };
        let name = check(center_field::NAME, text(get(center_field::NAME), 200, true));
        let address = check(
            center_field::ADDRESS,
            text(get(center_field::ADDRESS), 300, true),
        );
        let office_hours = check(
            center_field::OFFICE_HOURS,
            text(get(center_field::OFFICE_HOURS), 300, true),
        );
        let caveats = check(
            center_field::CAVEATS,
            text(get(center_field::CAVEATS), 1000, false),
        );
        let agency = AgencyCode::parse(get(center_field::AGENCY));
        if agency.is_err() {
            let problem = if get(center_field::AGENCY).trim().is_empty() {
                Problem::Required
            } else {
                Problem::AgencyMalformed
            };
            problems.insert(center_field::AGENCY.to_owned(), problem);
        }
        let typed_slug = get(center_field::SLUG).trim();
        let slug = if typed_slug.is_empty() {
            CenterSlug::from_name(&name).ok_or(Problem::Required)
        } else {
            CenterSlug::parse(typed_slug)
        };
        if let Err(problem) = &slug {
            problems.insert(center_field::SLUG.to_owned(), *problem);
        }
        let days = ReceivingDays::parse(receiving_days.iter().map(String::as_str));
        if let Err(problem) = &days {
            problems.insert(center_field::RECEIVING_DAYS.to_owned(), *problem);
        }
        match (agency, slug, days) {
            (Ok(agency), Ok(slug), Ok(receiving_days)) if problems.is_empty() => Ok(NewCenter {
                agency,
                slug,
                name,
                address,
                office_hours,
                receiving_days,
                caveats,
            }),
            _ => {
                let mut values = fields.clone();
                values.insert(
                    center_field::RECEIVING_DAYS.to_owned(),
                    receiving_days.join(","),
                );
                Err(FormFeedback { values, problems })
            }
        }
    }
}

/// Which centers' dossiers a member of staff reaches: their own center's, or, for the
/// province's role, every center's (to read only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reach {
    Center(String),
    Province,
}

impl Reach {
    /// The value the staff queries compare a dossier's agency with: `*` reaches every center
    /// (no agency code can be `*`); a center's code reaches its own; an empty one nothing.
    pub fn agency_filter(&self) -> &str {
        match self {
            Reach::Center(agency) => agency,
            Reach::Province => "*",
        }
    }

    /// The calendar a member counts days on: their center's; the province's, the national one
    /// ('').
    pub fn calendar_agency(&self) -> &str {
        match self {
            Reach::Center(agency) => agency,
            Reach::Province => "",
        }
    }

    /// Whether a dossier of `agency` is within reach.
    pub fn reaches(&self, agency: &str) -> bool {
        match self {
            Reach::Center(own) => own == agency,
            Reach::Province => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn complete() -> BTreeMap<String, String> {
        form(&[
            (center_field::AGENCY, "000.00.12.H56"),
            (
                center_field::NAME,
                "Trung tâm Phục vụ hành chính công xã Đắk Sơn",
            ),
            (center_field::ADDRESS, "Thôn 3, xã Đắk Sơn"),
            (center_field::OFFICE_HOURS, "7 giờ 30 – 17 giờ"),
        ])
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert!(CenterSlug::parse("xa-dak-son").is_ok());
        assert!(CenterSlug::parse("phuong-1").is_ok());
        for bad in [
            "Xa-Dak", "xa--dak", "-xa", "xa-", "xã", "a", "xa dak", "xa/dak",
        ] {
            assert_eq!(CenterSlug::parse(bad), Err(Problem::SlugMalformed), "{bad}");
        }
        assert_eq!(CenterSlug::parse(" "), Err(Problem::Required));
        assert_eq!(CenterSlug::parse(&"a".repeat(61)), Err(Problem::TooLong));
    }

    #[test]
    fn a_name_suggests_its_slug_without_the_common_words() {
        let slug = CenterSlug::from_name("Trung tâm Phục vụ hành chính công xã Đắk Sơn");
        assert_eq!(slug.unwrap().as_str(), "xa-dak-son");
        let slug = CenterSlug::from_name("Phường Bến Thành");
        assert_eq!(slug.unwrap().as_str(), "phuong-ben-thanh");
        assert_eq!(CenterSlug::from_name("—"), None);
    }

    #[test]
    fn receiving_days_round_trip_through_their_digits() {
        let days = ReceivingDays::parse(["1", "2", "3", "4", "5", "6"]).unwrap();
        assert_eq!(days.digits(), "123456");
        assert_eq!(ReceivingDays::from_digits("123456"), Ok(days));
        assert!(days.receives(6) && !days.receives(7) && !days.receives(0));
        assert_eq!(ReceivingDays::WORKING_WEEK.digits(), "12345");
        assert_eq!(ReceivingDays::parse(["8"]), Err(Problem::TextMalformed));
        assert_eq!(ReceivingDays::parse([]), Err(Problem::Required));
    }

    #[test]
    fn a_complete_form_makes_a_center_with_a_slug_from_its_name() {
        let days = vec!["1".to_owned(), "6".to_owned()];
        let center = NewCenter::from_form(&complete(), &days).unwrap();
        assert_eq!(center.agency.as_str(), "000.00.12.H56");
        assert_eq!(center.slug.as_str(), "xa-dak-son");
        assert_eq!(center.receiving_days.digits(), "16");
        assert_eq!(center.caveats, "");
    }

    #[test]
    fn every_problem_of_the_form_is_keyed_by_its_field_and_the_values_kept() {
        let mut fields = complete();
        fields.insert(center_field::AGENCY.to_owned(), "12.H56".to_owned());
        fields.insert(center_field::SLUG.to_owned(), "Xã Đắk".to_owned());
        fields.insert(center_field::ADDRESS.to_owned(), String::new());
        let feedback = NewCenter::from_form(&fields, &[]).unwrap_err();
        assert_eq!(
            feedback.problem(center_field::AGENCY),
            Some(Problem::AgencyMalformed)
        );
        assert_eq!(
            feedback.problem(center_field::SLUG),
            Some(Problem::SlugMalformed)
        );
        assert_eq!(
            feedback.problem(center_field::ADDRESS),
            Some(Problem::Required)
        );
        assert_eq!(
            feedback.problem(center_field::RECEIVING_DAYS),
            Some(Problem::Required)
        );
        assert_eq!(feedback.value(center_field::SLUG), Some("Xã Đắk"));
    }

    #[test]
    fn a_center_is_found_by_the_start_of_its_words_with_or_without_diacritics() {
        let center = Center {
            agency: "000.00.12.H56".to_owned(),
            slug: "xa-dak-son".to_owned(),
            name: "Trung tâm Phục vụ hành chính công xã Đắk Sơn".to_owned(),
            address: String::new(),
            office_hours: String::new(),
            receiving_days: ReceivingDays::WORKING_WEEK,
            caveats: String::new(),
            is_default: false,
        };
        for typed in ["Đắk Sơn", "dak son", "DAK", "xa dak", "  son  ", ""] {
            assert!(center.matches(typed), "{typed}");
        }
        for typed in ["dak lap", "ak", "son la"] {
            assert!(!center.matches(typed), "{typed}");
        }
    }

    #[test]
    fn the_province_reaches_every_center_and_a_center_only_its_own() {
        assert!(Reach::Province.reaches("000.00.12.H56"));
        let own = Reach::Center("000.00.12.H56".to_owned());
        assert!(own.reaches("000.00.12.H56"));
        assert!(!own.reaches("000.00.13.H56"));
        assert_eq!(Reach::Province.agency_filter(), "*");
        assert_eq!(own.agency_filter(), "000.00.12.H56");
    }
}
