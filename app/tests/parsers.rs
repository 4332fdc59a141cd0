//! Property tests for every parser of citizen input: whatever arrives, they answer (no panic),
//! and what they accept they accept again in their own written form.
//!
//! Each property runs `MOTCUA_FUZZ_CASES` cases (1,000 by default, so the test command stays
//! quick); `scripts/load` runs 20,000.

use app::domain::calendar::Date;
use app::domain::dossier::{AgencyCode, CitizenId, DossierCode, PhoneNumber};
use app::domain::filing::{LookupKey, ResumeCode};
use app::domain::national_package::{parse_dong, parse_package};
use app::domain::portal::parse_portal_lines;
use app::domain::search::{SearchQuery, fold};
use app::domain::url::local_return_path;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("MOTCUA_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

/// Text as it comes from forms and addresses: any Unicode, with a bias towards the characters
/// the parsers look at (digits, separators, Vietnamese letters, control characters).
/// Dossier codes as people type them: mostly well formed (some with impossible dates or in
/// lower case), so that the checks on what parses run in most cases.
fn dossier_code_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => typed_text(),
        3 => "[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Ha-h][0-9]{2}-[0-9]{2}[01][0-9][0-3][0-9]-[0-9]{4}",
    ]
}

/// Mobile numbers spelled as people write them: `0912 345 678`, `0912.345.678`, `+84 912…`,
/// with a prefix of any mobile network or (rarely) another.
fn phone_text() -> impl Strategy<Value = String> {
    let spelled = ("0[0-9]", "[0-9]{8}", 0..3usize, any::<bool>()).prop_map(
        |(prefix, rest, separator, international)| {
            let digits = format!("{prefix}{rest}");
            let sep = ["", " ", "."][separator];
            let body = format!(
                "{}{sep}{}{sep}{}",
                &digits[..4],
                &digits[4..7],
                &digits[7..]
            );
            if international {
                format!("+84{sep}{}", &body[1..])
            } else {
                body
            }
        },
    );
    prop_oneof![1 => typed_text(), 3 => spelled]
}

/// Citizen ID numbers as typed: twelve digits, grouped or not, some from no province.
fn citizen_id_text() -> impl Strategy<Value = String> {
    let spelled = ("[0-9]{3}", "[0-9]{9}", any::<bool>()).prop_map(|(province, rest, spaced)| {
        let id = format!("{province}{rest}");
        if spaced {
            format!("{} {} {}", &id[..4], &id[4..8], &id[8..])
        } else {
            id
        }
    });
    prop_oneof![1 => typed_text(), 3 => spelled]
}

fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 .+()\\-]{0,20}",
        "[0-9A-Za-z.\\-]{0,30}",
        "[ắằẳẵặăâấầẩẫậđêếềểễệôốồổỗộơớờởỡợưứừửữựĐ a-z0-9\\x00\\u{202E}\\r\\n]{0,40}",
    ]
}

fn demo_package() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/demo-procedures.json"
    ))
    .unwrap()
}

/// A real record of the national portal, in the importer's line format (the corpus of
/// `MOTCUA_CATALOGUE_CORPUS`, by default the one beside the repository).
fn portal_line() -> String {
    let path = std::env::var("MOTCUA_CATALOGUE_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/national-portal-commune-procedures.jsonl"
        )
        .to_owned()
    });
    let corpus = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the national portal's records ({path}) are needed: {e}"));
    let line = corpus.lines().next().expect("the corpus has a record");
    assert!(
        parse_portal_lines(line).is_ok(),
        "the first record reads as it is"
    );
    line.to_owned()
}

/// The text with its first `cut` characters kept and `noise` put before character `at`.
fn damaged(text: &str, cut: usize, at: usize, noise: &str) -> String {
    let mut kept: String = text.chars().take(cut).collect();
    let at = kept
        .char_indices()
        .map(|(i, _)| i)
        .nth(at)
        .unwrap_or(kept.len());
    kept.insert_str(at, noise);
    kept
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn dossier_codes_print_and_read_back(
        sequence in 1u32..=DossierCode::MAX_SEQUENCE,
        day in 0i64..36_500,
        lower in any::<bool>(),
        padding in "[ \\t]{0,3}",
    ) {
        let date = Date::from_julian_day(Date::new(2000, 1, 1).julian_day() + day);
        prop_assume!(date.year < 2100);
        let agency = AgencyCode::parse("000.00.12.H56").unwrap();
        let code = DossierCode::new(agency, date, sequence).unwrap();
        let printed = code.to_string();
        let typed = if lower { printed.to_lowercase() } else { printed.clone() };
        prop_assert_eq!(DossierCode::parse(&format!("{padding}{typed}{padding}")), Ok(code));
    }

    #[test]
    fn any_text_as_a_dossier_code_is_answered(text in dossier_code_text()) {
        if let Ok(code) = DossierCode::parse(&text) {
            prop_assert_eq!(DossierCode::parse(&code.to_string()), Ok(code.clone()));
            prop_assert!(code.to_string().is_ascii());
        }
    }

    #[test]
    fn phone_numbers_are_ten_digits_whatever_the_spelling(text in phone_text()) {
        if let Ok(phone) = PhoneNumber::parse(&text) {
            let digits = phone.as_str();
            prop_assert_eq!(digits.len(), 10);
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(digits.starts_with('0'));
            prop_assert_eq!(PhoneNumber::parse(digits), Ok(phone.clone()));
            let international = format!("+84 {}", &digits[1..]);
            prop_assert_eq!(PhoneNumber::parse(&international), Ok(phone.clone()));
            prop_assert_eq!(phone.masked().len(), 10);
        }
    }

    #[test]
    fn citizen_ids_are_twelve_digits_from_a_province(text in citizen_id_text()) {
        if let Ok(id) = CitizenId::parse(&text) {
            prop_assert_eq!(id.as_str().len(), 12);
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_digit()));
            let province: u32 = id.as_str()[..3].parse().unwrap();
            prop_assert!((1..=96).contains(&province));
            prop_assert_eq!(CitizenId::parse(id.as_str()), Ok(id.clone()));
        }
    }

    #[test]
    fn valid_citizen_ids_are_read_with_spaces(province in 1u32..=96, rest in "[0-9]{9}") {
        let id = format!("{province:03}{rest}");
        let spaced = format!(" {} {} {} ", &id[..4], &id[4..8], &id[8..]);
        prop_assert_eq!(CitizenId::parse(&spaced).map(|c| c.as_str().to_owned()), Ok(id));
    }

    #[test]
    fn lookup_keys_and_resume_codes_read_back_as_printed(
        key in any::<[u8; 5]>(),
        resume in any::<[u8; 10]>(),
        text in prop_oneof![1 => typed_text(), 3 => "[0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4}"],
    ) {
        let key = LookupKey::from_random(key);
        prop_assert_eq!(LookupKey::parse(&key.to_string().to_lowercase()), Ok(key.clone()));
        let resume = ResumeCode::from_random(resume);
        prop_assert_eq!(ResumeCode::parse(&resume.to_string()), Ok(resume.clone()));
        if let Ok(parsed) = LookupKey::parse(&text) {
            prop_assert_eq!(parsed.as_str().len(), 8);
            prop_assert!(parsed.as_str().is_ascii());
        }
    }

    #[test]
    fn search_ignores_diacritics_and_stays_small(text in typed_text()) {
        let folded = fold(&text);
        prop_assert_eq!(fold(&folded), folded.clone());
        prop_assert!(!folded.contains("  ") && !folded.starts_with(' '));
        prop_assert!(folded.chars().all(|c| c == ' ' || c.is_alphanumeric()));
        let query = SearchQuery::parse(&text);
        // Read the same with or without diacritics (only a trailing sign, which folding drops,
        // may say the last word is finished).
        let requests = |q: &Option<SearchQuery>| q.as_ref().map(|q| (q.requests.clone(), q.asked.clone()));
        prop_assert_eq!(requests(&query), requests(&SearchQuery::parse(&folded)));
        if let Some(query) = query {
            prop_assert!(!query.requests.is_empty());
            prop_assert!(query.requests.len() <= SearchQuery::MAX_REQUESTS);
            for request in &query.requests {
                prop_assert!(!request.readings.is_empty());
                prop_assert!(request.readings.iter().flatten().all(|w| !w.is_empty() && !w.contains(' ')));
            }
            let mut unique = query.requests.clone();
            unique.dedup();
            prop_assert_eq!(unique.len(), query.requests.len());
        }
    }

    #[test]
    fn redirect_targets_never_leave_the_site(
        text in prop_oneof![typed_text(), "[/\\\\]{1,3}[a-z.:/\\x00\\t]{0,12}"],
    ) {
        let target = local_return_path(&text);
        prop_assert!(target.starts_with('/'));
        prop_assert!(!target.starts_with("//") && !target.starts_with("/\\"));
        prop_assert!(!target.chars().any(char::is_control));
    }

    #[test]
    fn amounts_in_dong_read_back_as_written(
        amount in 0i64..=999_999_999_999,
        separator in prop::sample::select(vec!["", ".", ",", " "]),
        unit in prop::sample::select(vec!["", " đồng", "đ", " VNĐ"]),
        text in typed_text(),
    ) {
        let digits = amount.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push_str(separator);
            }
            grouped.push(digit);
        }
        prop_assert_eq!(parse_dong(&format!("{grouped}{unit}")), Some(amount));
        prop_assert_eq!(parse_dong(&format!("-{grouped}")), None);
        // Any other text: an answer, and never a negative one.
        prop_assert!(parse_dong(&text).is_none_or(|read| read >= 0));
    }

    #[test]
    fn any_text_as_a_national_package_is_answered(text in typed_text()) {
        let _ = parse_package(&text);
        let _ = parse_portal_lines(&text);
    }
}

proptest! {
    // A damaged file is a whole parse of a real package: fewer cases, same bound for all.
    #![proptest_config(ProptestConfig::with_cases(cases() / 10 + 1))]

    #[test]
    fn a_damaged_national_package_is_refused_or_read(
        cut in 0usize..200_000,
        at in 0usize..200_000,
        noise in prop_oneof![Just(String::new()), any::<String>(), "[\\[\\]{}\",:0-9]{1,4}".prop_map(String::from)],
    ) {
        let package = demo_package();
        match parse_package(&damaged(&package, cut, at, &noise)) {
            Ok(procedures) => prop_assert!(procedures.iter().all(|p| !p.code.is_empty())),
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn a_damaged_portal_record_is_refused_or_read(
        cut in 0usize..20_000,
        at in 0usize..20_000,
        noise in prop_oneof![Just(String::new()), any::<String>(), "[\\[\\]{}\",:0-9]{1,4}".prop_map(String::from)],
    ) {
        let line = portal_line();
        match parse_portal_lines(&damaged(&line, cut, at, &noise)) {
            Ok(records) => prop_assert!(records.len() <= 1),
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }
}
