//! The SQLite and PostgreSQL schemas are written twice (applied migrations cannot be edited,
//! sqlx checks their checksums), so this test keeps them one schema: the same files, and the
//! same text in each pair except the dialect lines listed here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the two dialects must differ: (migration, SQLite text, PostgreSQL text).
const DIALECT: &[(&str, &str, &str)] = &[
    (
        "0002_filing.sql",
        "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n",
        "    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n",
    ),
    (
        "0004_staff.sql",
        "CREATE TRIGGER dossier_events_never_updated BEFORE UPDATE ON dossier_events\n\
         BEGIN\n\
         \x20   SELECT RAISE(ABORT, 'audit entries are never changed');\n\
         END;\n\
         CREATE TRIGGER dossier_events_never_deleted BEFORE DELETE ON dossier_events\n\
         BEGIN\n\
         \x20   SELECT RAISE(ABORT, 'audit entries are never removed');\n\
         END;\n",
        "CREATE FUNCTION dossier_events_are_final() RETURNS trigger AS $$\n\
         BEGIN\n\
         \x20   RAISE EXCEPTION 'audit entries are never changed or removed';\n\
         END;\n\
         $$ LANGUAGE plpgsql;\n\
         CREATE TRIGGER dossier_events_never_changed BEFORE UPDATE OR DELETE ON dossier_events\n\
         \x20   FOR EACH ROW EXECUTE FUNCTION dossier_events_are_final();\n",
    ),
    (
        "0006_statistics.sql",
        "UPDATE dossiers SET finished_day = date(finished_at + 25200, 'unixepoch')\n",
        "UPDATE dossiers SET finished_day = to_char(to_timestamp(finished_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')\n",
    ),
];

fn folder(dialect: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect)
}

fn names(dialect: &str) -> BTreeSet<String> {
    std::fs::read_dir(folder(dialect))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The migration's text with its listed dialect part replaced by a marker.
fn without_dialect(dialect: &str, name: &str) -> String {
    let text = std::fs::read_to_string(folder(dialect).join(name)).unwrap();
    DIALECT
        .iter()
        .filter(|(file, _, _)| *file == name)
        .enumerate()
        .fold(text, |text, (index, (_, sqlite, postgres))| {
            let part = if dialect == "sqlite" {
                sqlite
            } else {
                postgres
            };
            assert_eq!(
                text.matches(part).count(),
                1,
                "{dialect}/{name} should hold its listed dialect part once:\n{part}"
            );
            text.replace(part, &format!("-- dialect part {index}\n"))
        })
}

#[test]
fn both_databases_get_the_same_migrations() {
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"));
    assert!(sqlite.len() >= 9, "{sqlite:?}");
}

#[test]
fn the_schemas_differ_only_in_the_listed_dialect_lines() {
    for name in names("sqlite") {
        let (sqlite, postgres) = (
            without_dialect("sqlite", &name),
            without_dialect("postgres", &name),
        );
        if sqlite != postgres {
            let first_difference = sqlite
                .lines()
                .zip(postgres.lines())
                .position(|(a, b)| a != b)
                .map_or_else(
                    || "one is longer".to_owned(),
                    |line| format!("line {}", line + 1),
                );
            panic!(
                "{name}: the two schemas differ ({first_difference}) beyond the listed dialect lines"
            );
        }
    }
}
