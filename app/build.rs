//! Turns the translators' files in `locales/` into Rust; see `build/locales.rs`.

#[path = "build/locales.rs"]
mod locales;

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=locales");
    println!("cargo::rerun-if-changed=build/locales.rs");
    let mut catalogs = Vec::new();
    for (lang, variant) in locales::LANGUAGES {
        let file = format!("locales/{lang}.toml");
        let source =
            std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{file}: {error}"));
        let catalog =
            locales::parse_catalog(lang, &source).unwrap_or_else(|error| panic!("{error}"));
        catalogs.push((lang, variant, catalog));
    }
    for (lang, _, catalog) in &catalogs[1..] {
        if let Err(error) = locales::check_translation(lang, &catalogs[0].2, catalog, "") {
            panic!("{error}");
        }
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("texts.rs");
    std::fs::write(&out, locales::generate(&catalogs))
        .unwrap_or_else(|error| panic!("{}: {error}", out.display()));
}
