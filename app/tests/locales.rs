//! The checks `app/build.rs` runs on the translators' files: each must stop a wrong file.

#[path = "../build/locales.rs"]
mod locales;

use locales::{Piece, check_translation, generate, parse_catalog, parse_message};

fn checked(vi: &str, en: &str) -> Result<(), String> {
    let source = parse_catalog("vi", vi)?;
    check_translation("en", &source, &parse_catalog("en", en)?, "")
}

#[test]
fn messages_are_read_into_texts_arguments_and_plurals() {
    assert_eq!(
        parse_message("Trang {page}/{pages}").unwrap(),
        vec![
            Piece::Text("Trang ".into()),
            Piece::Argument("page".into()),
            Piece::Text("/".into()),
            Piece::Argument("pages".into()),
        ]
    );
    assert_eq!(
        parse_message("{n, plural, one {# file} other {# files}} left").unwrap(),
        vec![
            Piece::Plural {
                argument: "n".into(),
                one: Some(vec![Piece::Count("n".into()), Piece::Text(" file".into())]),
                other: vec![Piece::Count("n".into()), Piece::Text(" files".into())],
            },
            Piece::Text(" left".into()),
        ]
    );
    assert_eq!(
        parse_message("{dong, number} đồng, #1").unwrap(),
        vec![Piece::Count("dong".into()), Piece::Text(" đồng, #1".into())]
    );
}

#[test]
fn malformed_messages_are_refused() {
    for bad in [
        "Trang {page",
        "Trang page}",
        "{Page}",
        "{n, select, other {x}}",
        "{n, plural, one {# file}}",
        "{n, plural, few {# files} other {# files}}",
        "{n, plural, other {# files}",
        "{n, number",
    ] {
        assert!(parse_message(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_complete_translation_passes() {
    let vi = "title = \"Tìm\"\ncount = \"{n} tệp\"\nlevels = [\"a\", \"b\"]\n[filing]\nintro = \"Giới thiệu\"\n";
    let en = "title = \"Search\"\ncount = \"{n, plural, one {# file} other {# files}}\"\nlevels = [\"A\", \"B\"]\n[filing]\nintro = \"Intro\"\n";
    assert_eq!(checked(vi, en), Ok(()));
}

#[test]
fn every_gap_in_a_translation_stops_the_build_and_names_the_key() {
    let vi = "title = \"Tìm\"\ncount = \"{n} tệp\"\nlevels = [\"a\", \"b\"]\n[filing]\nintro = \"Giới thiệu\"\n";
    let cases = [
        // a missing key, also inside a table
        (
            "count = \"{n}\"\nlevels = [\"A\", \"B\"]\n[filing]\nintro = \"I\"\n",
            "`title` is missing",
        ),
        (
            "title = \"S\"\ncount = \"{n}\"\nlevels = [\"A\", \"B\"]\n[filing]\n",
            "`filing.intro` is missing",
        ),
        // a key the source does not have
        (
            "title = \"S\"\nextra = \"x\"\ncount = \"{n}\"\nlevels = [\"A\", \"B\"]\n[filing]\nintro = \"I\"\n",
            "`extra` is not in vi.toml",
        ),
        // an argument renamed, dropped, or a list of another length
        (
            "title = \"S\"\ncount = \"{count}\"\nlevels = [\"A\", \"B\"]\n[filing]\nintro = \"I\"\n",
            "`count` takes",
        ),
        (
            "title = \"S\"\ncount = \"files\"\nlevels = [\"A\", \"B\"]\n[filing]\nintro = \"I\"\n",
            "`count` must take the same arguments",
        ),
        (
            "title = \"S\"\ncount = \"{n}\"\nlevels = [\"A\"]\n[filing]\nintro = \"I\"\n",
            "`levels` must list 2 texts",
        ),
        // a table where the source has a text
        (
            "title = \"S\"\ncount = \"{n}\"\nlevels = [\"A\", \"B\"]\nfiling = \"x\"\n",
            "`filing` is not the same kind",
        ),
    ];
    for (en, expected) in cases {
        let error = checked(vi, en).expect_err(expected);
        assert!(error.contains(expected), "{error}");
    }
}

#[test]
fn a_language_uses_only_its_own_plural_forms() {
    let error =
        parse_catalog("vi", "count = \"{n, plural, one {# tệp} other {# tệp}}\"").unwrap_err();
    assert!(error.contains("no `one` form"), "{error}");
    assert!(
        parse_catalog(
            "en",
            "count = \"{n, plural, one {# file} other {# files}}\""
        )
        .is_ok()
    );
}

#[test]
fn the_generated_code_has_a_struct_per_table_and_a_method_per_message() {
    let vi = parse_catalog(
        "vi",
        "title = \"Tìm\"\ncount = \"{n} tệp, {name}\"\n[filing.problems]\nrequired = \"Điền\"\n",
    )
    .unwrap();
    let en = parse_catalog("en", "title = \"Search\"\ncount = \"{n, plural, one {# file} other {# files}}, {name}\"\n[filing.problems]\nrequired = \"Fill\"\n").unwrap();
    let code = generate(&[("vi", "Vi", vi), ("en", "En", en)]);
    for expected in [
        "pub struct Texts {",
        "pub static VI: Texts = Texts {",
        "pub struct FilingProblemsTexts {",
        "pub static FILING_PROBLEMS_EN: FilingProblemsTexts",
        "problems: &FILING_PROBLEMS_VI,",
        "pub fn count(&self, n: impl Count, name: impl std::fmt::Display) -> String {",
        "if Lang::En.plural(n) == Plural::One {",
        "text.push_str(&Lang::Vi.number(n));",
    ] {
        assert!(code.contains(expected), "{expected}\n{code}");
    }
}

#[test]
fn the_shipped_files_agree_with_the_source() {
    let read = |lang: &str| {
        let path = format!("{}/locales/{lang}.toml", env!("CARGO_MANIFEST_DIR"));
        parse_catalog(lang, &std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let [(source_lang, _), translations @ ..] = locales::LANGUAGES;
    let source = read(source_lang);
    for (lang, _) in translations {
        assert_eq!(check_translation(lang, &source, &read(lang), ""), Ok(()));
    }
}
