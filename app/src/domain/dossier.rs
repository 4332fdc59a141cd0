//! Dossier identifiers and applicant data that must be valid before anything is stored:
//! the dossier code (DESIGN.md §3), the agency code it starts with, phone numbers and citizen
//! identity numbers. Each type can only be made through `parse`, so a value in hand is valid.

use std::fmt;

use super::calendar::Date;

/// Why a value was refused; the page shows the matching translated message next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Empty,
    Malformed,
}

/// Exactly `count` ASCII digits.
fn digits(text: &str, count: usize) -> bool {
    text.len() == count && text.chars().all(|c| c.is_ascii_digit())
}

/// The receiving agency's electronic identifier (QCVN 102:2016/BTTTT), e.g. `000.00.12.H56`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgencyCode(String);

impl AgencyCode {
    /// `ddd.dd.dd.Xdd`.
    pub fn parse(text: &str) -> Result<AgencyCode, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Invalid::Empty);
        }
        let parts: Vec<&str> = text.split('.').collect();
        let valid = parts.len() == 4
            && digits(parts[0], 3)
            && digits(parts[1], 2)
            && digits(parts[2], 2)
            && parts[3].len() == 3
            && parts[3].starts_with(|c: char| c.is_ascii_uppercase())
            && digits(&parts[3][1..], 2);
        if valid {
            Ok(AgencyCode(text.to_owned()))
        } else {
            Err(Invalid::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The agency code a dossier code begins with: the center that received the dossier.
pub fn agency_of(code: &str) -> &str {
    code.split_once('-').map_or(code, |(agency, _)| agency)
}

/// `{agency code}-{yyMMdd}-{NNNN}`: the sequence counts per agency per day from 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    pub agency: AgencyCode,
    pub date: Date,
    pub sequence: u32,
}

impl DossierCode {
    /// Four digits per day per agency.
    pub const MAX_SEQUENCE: u32 = 9999;

    pub fn new(agency: AgencyCode, date: Date, sequence: u32) -> Option<DossierCode> {
        let in_range =
            (1..=Self::MAX_SEQUENCE).contains(&sequence) && (2000..2100).contains(&date.year);
        in_range.then_some(DossierCode {
            agency,
            date,
            sequence,
        })
    }

    /// Accepts the code as printed, in any letter case and with spaces around it, and as people
    /// type it from a paper: without the dots and dashes, or with spaces instead
    /// (`000 00 00 h00 251110 0001`, `0000000H002511100001`).
    pub fn parse(text: &str) -> Result<DossierCode, Invalid> {
        let text = text.trim().to_ascii_uppercase();
        if text.is_empty() {
            return Err(Invalid::Empty);
        }
        DossierCode::parse_printed(&text).or_else(|invalid| {
            DossierCode::parse_printed(&DossierCode::punctuated(&text).ok_or(invalid)?)
        })
    }

    /// The 20 letters and digits of a code typed without separators, with the dots and dashes
    /// of the printed code put back; none when they cannot be a code.
    fn punctuated(text: &str) -> Option<String> {
        let compact: String = text.chars().filter(char::is_ascii_alphanumeric).collect();
        let shaped = compact.len() == 20
            && compact.char_indices().all(|(i, c)| {
                if i == 7 {
                    c.is_ascii_uppercase()
                } else {
                    c.is_ascii_digit()
                }
            });
        shaped.then(|| {
            format!(
                "{}.{}.{}.{}-{}-{}",
                &compact[0..3],
                &compact[3..5],
                &compact[5..7],
                &compact[7..10],
                &compact[10..16],
                &compact[16..20]
            )
        })
    }

    /// The code exactly as printed (upper case).
    fn parse_printed(text: &str) -> Result<DossierCode, Invalid> {
        let mut parts = text.rsplitn(3, '-');
        let (Some(sequence), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Invalid::Malformed);
        };
        if !digits(sequence, 4) || !digits(date, 6) {
            return Err(Invalid::Malformed);
        }
        let number = |range: std::ops::Range<usize>| date[range].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (2000 + number(0..2) as i32, number(2..4), number(4..6));
        let parsed = Date::new(year, month, day);
        if !(1..=12).contains(&month)
            || day == 0
            || Date::from_julian_day(parsed.julian_day()) != parsed
        {
            return Err(Invalid::Malformed);
        }
        let agency = AgencyCode::parse(agency).map_err(|_| Invalid::Malformed)?;
        DossierCode::new(agency, parsed, sequence.parse().unwrap_or(0)).ok_or(Invalid::Malformed)
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.agency.as_str(),
            self.date.year % 100,
            self.date.month,
            self.date.day,
            self.sequence
        )
    }
}

/// A Vietnamese mobile number, normalised to ten digits starting with 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `0912 345 678`, `0912.345.678`, `+84 912 345 678`, `84912345678`.
    pub fn parse(text: &str) -> Result<PhoneNumber, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Invalid::Empty);
        }
        if text
            .chars()
            .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')')))
        {
            return Err(Invalid::Malformed);
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() == 9) {
            format!("0{rest}")
        } else {
            digits
        };
        // Mobile prefixes in use since the 2018 renumbering: 03, 05, 07, 08, 09.
        let valid = national.len() == 10
            && national.starts_with('0')
            && matches!(national.as_bytes()[1], b'3' | b'5' | b'7' | b'8' | b'9');
        if valid {
            Ok(PhoneNumber(national))
        } else {
            Err(Invalid::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For pages that must not show the whole number: `09******78`.
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..2], &self.0[8..])
    }
}

/// A citizen identity number (số định danh cá nhân / CCCD): 12 digits, starting with the code of
/// the province of birth registration (001–096) and a digit for sex and century.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenId(String);

impl CitizenId {
    pub fn parse(text: &str) -> Result<CitizenId, Invalid> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(Invalid::Empty);
        }
        let valid = compact.len() == 12
            && compact.chars().all(|c| c.is_ascii_digit())
            && compact[..3]
                .parse::<u32>()
                .is_ok_and(|p| (1..=96).contains(&p));
        if valid {
            Ok(CitizenId(compact))
        } else {
            Err(Invalid::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency() -> AgencyCode {
        AgencyCode::parse("000.00.12.H56").unwrap()
    }

    #[test]
    fn agency_codes_follow_the_national_shape() {
        assert!(AgencyCode::parse("000.00.12.H56").is_ok());
        assert_eq!(agency_of("000.00.12.H56-251201-0007"), "000.00.12.H56");
        assert_eq!(AgencyCode::parse(" "), Err(Invalid::Empty));
        for bad in [
            "000.00.12.h56",
            "000.00.12",
            "0000.00.12.H56",
            "000.00.12.H5X",
        ] {
            assert_eq!(AgencyCode::parse(bad), Err(Invalid::Malformed), "{bad}");
        }
    }

    #[test]
    fn dossier_codes_format_and_parse_back() {
        let code = DossierCode::new(agency(), Date::new(2025, 7, 1), 1).unwrap();
        assert_eq!(code.to_string(), "000.00.12.H56-250701-0001");
        assert_eq!(
            DossierCode::parse("000.00.12.H56-250701-0001"),
            Ok(code.clone())
        );
        assert_eq!(
            DossierCode::parse("  000.00.12.h56-250701-0001 "),
            Ok(code.clone())
        );
        // As people type it from the paper: no dots, spaces instead, lower case.
        for typed in [
            "0000012H562507010001",
            "000 00 12 h56 250701 0001",
            "000.00.12.H56 250701 0001",
            "000.00.12.H56-2507010001",
            "00000.12h56-250701-0001",
        ] {
            assert_eq!(DossierCode::parse(typed), Ok(code.clone()), "{typed}");
        }
        let last = DossierCode::new(agency(), Date::new(2026, 12, 31), 9999).unwrap();
        assert_eq!(DossierCode::parse(&last.to_string()), Ok(last));
    }

    #[test]
    fn malformed_dossier_codes_are_refused() {
        assert_eq!(DossierCode::parse(""), Err(Invalid::Empty));
        for bad in [
            "000.00.12.H56-250701-001",
            "000.00.12.H56-250701-0000",
            "000.00.12.H56-250231-0001",
            "000.00.12.H56-251301-0001",
            "H56-250701-0001",
            "0000012H56250701000",
            "00000121562507010001",
            "0000012H5625O7010001",
            "000.00.12.H56-25O701-0001",
            "000.00.12.H56-250701-0001-1",
        ] {
            assert_eq!(DossierCode::parse(bad), Err(Invalid::Malformed), "{bad}");
        }
        assert!(DossierCode::new(agency(), Date::new(2025, 7, 1), 10_000).is_none());
        assert!(DossierCode::new(agency(), Date::new(2025, 7, 1), 0).is_none());
    }

    #[test]
    fn phone_numbers_are_normalised() {
        for written in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84 912 345 678",
            "84912345678",
            "(+84) 912-345-678",
        ] {
            assert_eq!(
                PhoneNumber::parse(written).unwrap().as_str(),
                "0912345678",
                "{written}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("0362345678").unwrap().as_str(),
            "0362345678"
        );
        assert_eq!(PhoneNumber::parse(""), Err(Invalid::Empty));
        for bad in [
            "091234567",
            "09123456789",
            "0212345678",
            "1912345678",
            "0912a45678",
            "+1 912 345 678",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(Invalid::Malformed), "{bad}");
        }
    }

    #[test]
    fn phone_numbers_are_masked() {
        assert_eq!(
            PhoneNumber::parse("0912345678").unwrap().masked(),
            "09******78"
        );
    }

    #[test]
    fn citizen_ids_have_twelve_digits_and_a_province() {
        assert_eq!(
            CitizenId::parse("001 099 012 345").unwrap().as_str(),
            "001099012345"
        );
        assert_eq!(CitizenId::parse(""), Err(Invalid::Empty));
        for bad in [
            "00109901234",
            "0010990123456",
            "000099012345",
            "097099012345",
            "00109901234a",
        ] {
            assert_eq!(CitizenId::parse(bad), Err(Invalid::Malformed), "{bad}");
        }
    }
}
