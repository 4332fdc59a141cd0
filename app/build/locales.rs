//! The translators' files (`app/locales/<lang>.toml`) turned into the Rust that serves them.
//!
//! Vietnamese is the source: its file decides which messages exist and which arguments each
//! takes. Every other language must have the same keys, lists of the same length and messages
//! with the same arguments; anything else stops the build with the key named. The output is one
//! struct per TOML table (plain fields, so pages read `t.filing.intro`) and one method per message
//! with arguments. Pure string work, so the test `app/tests/locales.rs` runs it directly.

use std::collections::{BTreeMap, BTreeSet};

/// The languages, Vietnamese (the source) first: file stem and `Lang` variant.
pub const LANGUAGES: [(&str, &str); 2] = [("vi", "Vi"), ("en", "En")];

/// The CLDR plural categories each language distinguishes for whole and decimal numbers.
fn plural_categories(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &["one", "other"],
        _ => &["other"],
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    /// `{name}`
    Argument(String),
    /// `{name, number}`, or `#` inside a plural form: a number written the language's way.
    Count(String),
    /// `{name, plural, one {…} other {…}}`
    Plural {
        argument: String,
        one: Option<Vec<Piece>>,
        other: Vec<Piece>,
    },
}

#[derive(Debug, PartialEq)]
pub enum Entry {
    Text(String),
    Message(Vec<Piece>),
    List(Vec<String>),
    Table(Catalog),
}

pub type Catalog = BTreeMap<String, Entry>;

/// One language's file, read and checked on its own.
pub fn parse_catalog(lang: &str, source: &str) -> Result<Catalog, String> {
    let table: toml::Table = source
        .parse()
        .map_err(|error| format!("{lang}.toml: {error}"))?;
    read_table(lang, "", &table)
}

fn read_table(lang: &str, path: &str, table: &toml::Table) -> Result<Catalog, String> {
    let mut catalog = Catalog::new();
    for (key, value) in table {
        let at = join(path, key);
        if !is_identifier(key) || key == "lang" {
            return Err(format!(
                "{lang}.toml: `{at}`: a key is lower-case letters, digits and _ (and not `lang`)"
            ));
        }
        let entry = match value {
            toml::Value::String(text) => {
                let pieces =
                    parse_message(text).map_err(|why| format!("{lang}.toml: `{at}`: {why}"))?;
                check_plural_forms(lang, &at, &pieces)?;
                match pieces.as_slice() {
                    [] => Entry::Text(String::new()),
                    [Piece::Text(text)] => Entry::Text(text.clone()),
                    _ => Entry::Message(pieces),
                }
            }
            toml::Value::Array(items) => Entry::List(
                items
                    .iter()
                    .map(|item| match item {
                        toml::Value::String(text) if !text.contains(['{', '}']) => Ok(text.clone()),
                        _ => Err(format!(
                            "{lang}.toml: `{at}`: a list holds plain texts only"
                        )),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            toml::Value::Table(inner) => Entry::Table(read_table(lang, &at, inner)?),
            _ => return Err(format!("{lang}.toml: `{at}`: write the text in quotes")),
        };
        catalog.insert(key.clone(), entry);
    }
    Ok(catalog)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Reads `Trang {page}/{pages}` and `{n, plural, one {# tệp} other {# tệp}}`.
pub fn parse_message(text: &str) -> Result<Vec<Piece>, String> {
    let mut chars = text.chars().peekable();
    let pieces = parse_pieces(&mut chars, None)?;
    match chars.next() {
        None => Ok(pieces),
        Some(_) => Err("a `}` without its `{`".to_owned()),
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Pieces up to the end of the text, or up to the `}` closing a plural form of `counted`.
fn parse_pieces(chars: &mut Chars, counted: Option<&str>) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    while let Some(&c) = chars.peek() {
        match c {
            '}' => break,
            '{' => {
                chars.next();
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(parse_placeholder(chars)?);
            }
            '#' if counted.is_some() => {
                chars.next();
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Count(counted.unwrap_or_default().to_owned()));
            }
            _ => {
                chars.next();
                text.push(c);
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn parse_placeholder(chars: &mut Chars) -> Result<Piece, String> {
    let name = word(chars);
    if !is_identifier(&name) {
        return Err(format!("`{{{name}` is not an argument name"));
    }
    skip_spaces(chars);
    match chars.next() {
        Some('}') => Ok(Piece::Argument(name)),
        Some(',') => {
            skip_spaces(chars);
            match word(chars).as_str() {
                "plural" => {}
                "number" => {
                    skip_spaces(chars);
                    return match chars.next() {
                        Some('}') => Ok(Piece::Count(name)),
                        _ => Err(format!("`{{{name}, number` is not closed with `}}`")),
                    };
                }
                _ => {
                    return Err(format!(
                        "`{{{name}, …}}`: only `plural` and `number` are known"
                    ));
                }
            }
            skip_spaces(chars);
            if chars.next() != Some(',') {
                return Err(format!("`{{{name}, plural` needs a `,` and its forms"));
            }
            parse_plural_forms(chars, name)
        }
        _ => Err(format!("`{{{name}` is not closed with `}}`")),
    }
}

fn parse_plural_forms(chars: &mut Chars, argument: String) -> Result<Piece, String> {
    let (mut one, mut other) = (None, None);
    loop {
        skip_spaces(chars);
        if chars.peek() == Some(&'}') {
            chars.next();
            break;
        }
        let category = word(chars);
        skip_spaces(chars);
        if chars.next() != Some('{') {
            return Err(format!(
                "`{argument}`: the form `{category}` needs its text in {{…}}"
            ));
        }
        let form = parse_pieces(chars, Some(&argument))?;
        if chars.next() != Some('}') {
            return Err(format!("`{argument}`: the form `{category}` is not closed"));
        }
        match category.as_str() {
            "one" => one = Some(form),
            "other" => other = Some(form),
            _ => return Err(format!("`{argument}`: unknown plural form `{category}`")),
        }
    }
    let other = other.ok_or(format!("`{argument}`: a plural needs its `other` form"))?;
    Ok(Piece::Plural {
        argument,
        one,
        other,
    })
}

fn word(chars: &mut Chars) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_alphanumeric() || c == '_' {
            name.push(c);
            chars.next();
        } else {
            break;
        }
    }
    name
}

fn skip_spaces(chars: &mut Chars) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

fn check_plural_forms(lang: &str, at: &str, pieces: &[Piece]) -> Result<(), String> {
    for piece in pieces {
        if let Piece::Plural { one, other, .. } = piece {
            if one.is_some() && !plural_categories(lang).contains(&"one") {
                return Err(format!(
                    "{lang}.toml: `{at}`: this language has no `one` form; write `other` only"
                ));
            }
            for form in one.iter().chain([other]) {
                check_plural_forms(lang, at, form)?;
            }
        }
    }
    Ok(())
}

/// The arguments a message takes, and which of them are counted numbers.
fn arguments(pieces: &[Piece], names: &mut BTreeSet<String>, counted: &mut BTreeSet<String>) {
    for piece in pieces {
        match piece {
            Piece::Text(_) => {}
            Piece::Argument(name) => {
                names.insert(name.clone());
            }
            Piece::Count(name) => {
                names.insert(name.clone());
                counted.insert(name.clone());
            }
            Piece::Plural {
                argument,
                one,
                other,
            } => {
                names.insert(argument.clone());
                counted.insert(argument.clone());
                for form in one.iter().chain([other]) {
                    arguments(form, names, counted);
                }
            }
        }
    }
}

fn argument_names(pieces: &[Piece]) -> BTreeSet<String> {
    let (mut names, mut counted) = (BTreeSet::new(), BTreeSet::new());
    arguments(pieces, &mut names, &mut counted);
    names
}

/// A translation must have exactly the source's keys, list lengths and message arguments.
pub fn check_translation(
    lang: &str,
    source: &Catalog,
    translation: &Catalog,
    path: &str,
) -> Result<(), String> {
    for (key, entry) in source {
        let at = join(path, key);
        let Some(translated) = translation.get(key) else {
            return Err(format!("{lang}.toml: `{at}` is missing"));
        };
        match (entry, translated) {
            (Entry::Text(_), Entry::Text(_)) => {}
            (Entry::Text(_), Entry::Message(_)) | (Entry::Message(_), Entry::Text(_)) => {
                return Err(format!(
                    "{lang}.toml: `{at}` must take the same arguments as vi.toml"
                ));
            }
            (Entry::Message(ours), Entry::Message(theirs)) => {
                let (ours, theirs) = (argument_names(ours), argument_names(theirs));
                if ours != theirs {
                    return Err(format!(
                        "{lang}.toml: `{at}` takes {theirs:?}, but vi.toml takes {ours:?}"
                    ));
                }
            }
            (Entry::List(ours), Entry::List(theirs)) if ours.len() == theirs.len() => {}
            (Entry::List(ours), Entry::List(_)) => {
                return Err(format!(
                    "{lang}.toml: `{at}` must list {} texts",
                    ours.len()
                ));
            }
            (Entry::Table(ours), Entry::Table(theirs)) => {
                check_translation(lang, ours, theirs, &at)?;
            }
            _ => {
                return Err(format!(
                    "{lang}.toml: `{at}` is not the same kind as in vi.toml"
                ));
            }
        }
    }
    match translation.keys().find(|key| !source.contains_key(*key)) {
        Some(extra) => Err(format!(
            "{lang}.toml: `{}` is not in vi.toml",
            join(path, extra)
        )),
        None => Ok(()),
    }
}

/// Every language's catalog, source first, as Rust.
pub fn generate(catalogs: &[(&str, &str, Catalog)]) -> String {
    let mut out =
        String::from("// Generated by app/build.rs from app/locales/*.toml: edit those.\n");
    generate_table(&mut out, catalogs, &[]);
    out
}

/// The table at `path`, which `check_translation` has shown every catalog to have.
fn table_at<'a>(catalog: &'a Catalog, path: &[&str]) -> &'a Catalog {
    path.iter()
        .fold(catalog, |table, key| match table.get(*key) {
            Some(Entry::Table(inner)) => inner,
            _ => unreachable!("checked by check_translation"),
        })
}

fn generate_table(out: &mut String, catalogs: &[(&str, &str, Catalog)], path: &[&str]) {
    let select = |catalog| table_at(catalog, path);
    let name = struct_name(path);
    let source = select(&catalogs[0].2);
    out.push_str(&format!("\npub struct {name} {{\n    pub lang: Lang,\n"));
    for (key, entry) in source {
        let field_type = match entry {
            Entry::Text(_) => "&'static str".to_owned(),
            Entry::List(items) => format!("[&'static str; {}]", items.len()),
            Entry::Table(_) => {
                let inner: Vec<&str> = path.iter().copied().chain([key.as_str()]).collect();
                format!("&'static {}", struct_name(&inner))
            }
            Entry::Message(_) => continue,
        };
        out.push_str(&format!("    pub {key}: {field_type},\n"));
    }
    out.push_str("}\n");

    for (_, variant, catalog) in catalogs {
        let words = select(catalog);
        out.push_str(&format!(
            "\npub static {}: {name} = {name} {{\n    lang: Lang::{variant},\n",
            static_name(path, variant)
        ));
        for (key, entry) in words {
            let value = match entry {
                Entry::Text(text) => format!("{text:?}"),
                Entry::List(items) => format!("{items:?}"),
                Entry::Table(_) => {
                    let inner: Vec<&str> = path.iter().copied().chain([key.as_str()]).collect();
                    format!("&{}", static_name(&inner, variant))
                }
                Entry::Message(_) => continue,
            };
            out.push_str(&format!("    {key}: {value},\n"));
        }
        out.push_str("};\n");
    }

    let messages: Vec<&String> = source
        .iter()
        .filter(|(_, entry)| matches!(entry, Entry::Message(_)))
        .map(|(key, _)| key)
        .collect();
    if !messages.is_empty() {
        out.push_str(&format!("\nimpl {name} {{"));
        for key in messages {
            generate_message(out, catalogs, path, key);
        }
        out.push_str("}\n");
    }

    for (key, entry) in source {
        if let Entry::Table(_) = entry {
            let inner: Vec<&str> = path.iter().copied().chain([key.as_str()]).collect();
            generate_table(out, catalogs, &inner);
        }
    }
}

fn generate_message(
    out: &mut String,
    catalogs: &[(&str, &str, Catalog)],
    path: &[&str],
    key: &str,
) {
    let pieces_of = |catalog: &Catalog| -> Vec<Piece> {
        match table_at(catalog, path).get(key) {
            Some(Entry::Message(pieces)) => pieces.clone(),
            _ => unreachable!("checked by check_translation"),
        }
    };
    let (mut names, mut counted) = (BTreeSet::new(), BTreeSet::new());
    for (_, _, catalog) in catalogs {
        arguments(&pieces_of(catalog), &mut names, &mut counted);
    }
    let parameters: Vec<String> = names
        .iter()
        .map(|name| {
            let kind = if counted.contains(name) {
                "impl Count"
            } else {
                "impl std::fmt::Display"
            };
            format!("{name}: {kind}")
        })
        .collect();
    out.push_str(&format!(
        "\n    pub fn {key}(&self, {}) -> String {{\n",
        parameters.join(", ")
    ));
    for name in &counted {
        out.push_str(&format!("        let {name} = {name}.amount();\n"));
    }
    out.push_str("        let mut text = String::new();\n        match self.lang {\n");
    for (_, variant, catalog) in catalogs {
        out.push_str(&format!("            Lang::{variant} => {{\n"));
        generate_pieces(out, variant, &pieces_of(catalog), &counted, 4);
        out.push_str("            }\n");
    }
    out.push_str("        }\n        text\n    }\n");
}

fn generate_pieces(
    out: &mut String,
    variant: &str,
    pieces: &[Piece],
    counted: &BTreeSet<String>,
    depth: usize,
) {
    let indent = "    ".repeat(depth);
    for piece in pieces {
        match piece {
            Piece::Text(text) if text.chars().count() == 1 => out.push_str(&format!(
                "{indent}text.push({:?});\n",
                text.chars().next().unwrap_or(' ')
            )),
            Piece::Text(text) => out.push_str(&format!("{indent}text.push_str({text:?});\n")),
            Piece::Argument(name) | Piece::Count(name) if counted.contains(name) => out.push_str(
                &format!("{indent}text.push_str(&Lang::{variant}.number({name}));\n"),
            ),
            Piece::Argument(name) | Piece::Count(name) => {
                out.push_str(&format!("{indent}text.push_str(&{name}.to_string());\n"))
            }
            Piece::Plural {
                argument,
                one,
                other,
            } => match one {
                Some(one) => {
                    out.push_str(&format!(
                        "{indent}if Lang::{variant}.plural({argument}) == Plural::One {{\n"
                    ));
                    generate_pieces(out, variant, one, counted, depth + 1);
                    out.push_str(&format!("{indent}}} else {{\n"));
                    generate_pieces(out, variant, other, counted, depth + 1);
                    out.push_str(&format!("{indent}}}\n"));
                }
                None => generate_pieces(out, variant, other, counted, depth),
            },
        }
    }
}

/// `[]` → `Texts`, `["filing", "problems"]` → `FilingProblemsTexts`.
fn struct_name(path: &[&str]) -> String {
    let mut name = String::new();
    for segment in path {
        for part in segment.split('_') {
            let mut letters = part.chars();
            if let Some(first) = letters.next() {
                name.push(first.to_ascii_uppercase());
                name.extend(letters);
            }
        }
    }
    name + "Texts"
}

/// `[]` → `VI`, `["filing", "problems"]` → `FILING_PROBLEMS_VI`.
fn static_name(path: &[&str], variant: &str) -> String {
    path.iter()
        .map(|segment| segment.to_ascii_uppercase())
        .chain([variant.to_ascii_uppercase()])
        .collect::<Vec<_>>()
        .join("_")
}
