//! The database schema: one set of migrations (`app/migrations`) for SQLite and PostgreSQL.
//! Where the two dialects differ, a file holds both between marker lines
//! (`-- dialect sqlite`, `-- dialect postgres`, `-- dialect end`), and each database gets its
//! own lines only. What each database receives is exactly what the per-dialect files held
//! before, so databases migrated with them keep their recorded checksums.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

use super::Backend;

/// Every migration, in order: (file name, text).
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_catalogue.sql",
        include_str!("../../migrations/0001_catalogue.sql"),
    ),
    (
        "0002_filing.sql",
        include_str!("../../migrations/0002_filing.sql"),
    ),
    (
        "0003_tracking.sql",
        include_str!("../../migrations/0003_tracking.sql"),
    ),
    (
        "0004_staff.sql",
        include_str!("../../migrations/0004_staff.sql"),
    ),
    (
        "0005_back_office.sql",
        include_str!("../../migrations/0005_back_office.sql"),
    ),
    (
        "0006_statistics.sql",
        include_str!("../../migrations/0006_statistics.sql"),
    ),
    (
        "0007_staff_devices.sql",
        include_str!("../../migrations/0007_staff_devices.sql"),
    ),
    (
        "0008_draft_quota.sql",
        include_str!("../../migrations/0008_draft_quota.sql"),
    ),
    (
        "0009_statistics_cache.sql",
        include_str!("../../migrations/0009_statistics_cache.sql"),
    ),
    (
        "0010_calendar.sql",
        include_str!("../../migrations/0010_calendar.sql"),
    ),
    (
        "0011_appointment_time.sql",
        include_str!("../../migrations/0011_appointment_time.sql"),
    ),
    (
        "0012_result_delivery.sql",
        include_str!("../../migrations/0012_result_delivery.sql"),
    ),
    (
        "0013_papers.sql",
        include_str!("../../migrations/0013_papers.sql"),
    ),
    (
        "0014_declarations.sql",
        include_str!("../../migrations/0014_declarations.sql"),
    ),
    (
        "0015_thumbnails.sql",
        include_str!("../../migrations/0015_thumbnails.sql"),
    ),
    (
        "0016_period_statistics.sql",
        include_str!("../../migrations/0016_period_statistics.sql"),
    ),
    (
        "0017_procedures_in_force.sql",
        include_str!("../../migrations/0017_procedures_in_force.sql"),
    ),
    (
        "0018_ratings_without_reception.sql",
        include_str!("../../migrations/0018_ratings_without_reception.sql"),
    ),
    (
        "0019_catalogue_generation.sql",
        include_str!("../../migrations/0019_catalogue_generation.sql"),
    ),
    (
        "0020_notifications.sql",
        include_str!("../../migrations/0020_notifications.sql"),
    ),
    (
        "0021_supplement_reminders.sql",
        include_str!("../../migrations/0021_supplement_reminders.sql"),
    ),
    (
        "0022_web_push.sql",
        include_str!("../../migrations/0022_web_push.sql"),
    ),
    (
        "0023_provider_tokens.sql",
        include_str!("../../migrations/0023_provider_tokens.sql"),
    ),
    (
        "0024_notification_templates.sql",
        include_str!("../../migrations/0024_notification_templates.sql"),
    ),
    (
        "0025_staff_reminders.sql",
        include_str!("../../migrations/0025_staff_reminders.sql"),
    ),
    (
        "0026_centers.sql",
        include_str!("../../migrations/0026_centers.sql"),
    ),
    (
        "0027_center_settings.sql",
        include_str!("../../migrations/0027_center_settings.sql"),
    ),
    (
        "0028_center_procedures.sql",
        include_str!("../../migrations/0028_center_procedures.sql"),
    ),
    (
        "0029_certified_copies.sql",
        include_str!("../../migrations/0029_certified_copies.sql"),
    ),
    (
        "0030_often_wrong.sql",
        include_str!("../../migrations/0030_often_wrong.sql"),
    ),
    (
        "0031_reused_copies.sql",
        include_str!("../../migrations/0031_reused_copies.sql"),
    ),
    (
        "0032_copy_annulment.sql",
        include_str!("../../migrations/0032_copy_annulment.sql"),
    ),
];

const MARKER: &str = "-- dialect ";

fn dialect_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The text of a migration as `backend` runs it: the shared lines and its own.
pub fn render(text: &str, backend: Backend) -> String {
    let own = dialect_name(backend);
    let mut section: Option<&str> = None;
    text.split('\n')
        .filter(|line| match line.strip_prefix(MARKER) {
            Some(name) => {
                section = (name.trim() != "end").then_some(name.trim());
                false
            }
            None => section.is_none_or(|name| name == own),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The migrations of `backend`, as sqlx's migrator takes them.
#[derive(Debug, Clone, Copy)]
pub struct Schema(pub Backend);

impl Schema {
    pub fn migrations(self) -> Vec<Migration> {
        MIGRATIONS
            .iter()
            .map(|(name, text)| {
                let (version, description) = name
                    .trim_end_matches(".sql")
                    .split_once('_')
                    .expect("migration files are named VERSION_DESCRIPTION.sql");
                Migration::new(
                    version.parse().expect("a migration's version is a number"),
                    Cow::Owned(description.replace('_', " ")),
                    MigrationType::Simple,
                    Cow::Owned(render(text, self.0)),
                    false,
                )
            })
            .collect()
    }
}

impl<'s> MigrationSource<'s> for Schema {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move { Ok(self.migrations()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-384 of each migration as SQLite and PostgreSQL ran it when it was written (the
    /// checksums databases already hold): a change to an applied migration fails here, not at
    /// a center's next start.
    const APPLIED: &[(&str, &str, &str)] = &[
        (
            "0001_catalogue.sql",
            "b576276c374cbb848d2fb68218e30a1098cee2a5c60d07a2a14167ac291464e0174ba9def110fe6f29ad1a9f570dad5e",
            "b576276c374cbb848d2fb68218e30a1098cee2a5c60d07a2a14167ac291464e0174ba9def110fe6f29ad1a9f570dad5e",
        ),
        (
            "0002_filing.sql",
            "bffba2846bfb556ce36ddb022b0a6cf80cd867b8147ea179b41c563ee30fb7a8d5ac555460c9689ef4ee9495e6a3be3b",
            "732c9c491dd2fe318031596f671f9beb75c02c2328b37e55db5e1fa9c24765241b02f14a662a1aaf3b414e669e44e3e3",
        ),
        (
            "0003_tracking.sql",
            "0546041ecaf09fbef19b883d8c22704e4c8e6fb56c3ddf72bda2b4c993b5202c3b6146f93c8f0ea85c14311fbc30a720",
            "0546041ecaf09fbef19b883d8c22704e4c8e6fb56c3ddf72bda2b4c993b5202c3b6146f93c8f0ea85c14311fbc30a720",
        ),
        (
            "0004_staff.sql",
            "49d0c6abb599747bbf0918d14010c0a0e5f9bafdfb79676c881400df0168a1846d1204994d60fae0c31d83579ca000ed",
            "a9447ee5f1d855938c461bffb2498b00bb4ef705226c55524c27c7d43e05f44dfbc30f4c4bc5d74229410fddb304a5bc",
        ),
        (
            "0005_back_office.sql",
            "24358f18897d7c588b04c20ec8e491820023be0816868768d8a5018923e1429a521e3d95ed0d4b7ef6d3464abff1e4d5",
            "24358f18897d7c588b04c20ec8e491820023be0816868768d8a5018923e1429a521e3d95ed0d4b7ef6d3464abff1e4d5",
        ),
        (
            "0006_statistics.sql",
            "b35eb2bfbb2beb4973f1e5cf6068ffde24bc385b40b732df0c22c4af291a92403020edd073533281b405e8acb6d9c1ab",
            "2d4c778c545026191e45f9739e89934ce1eeecc621158f9c4b93c5b8e688a02c4332287e5ec06d286bcec076c77919a0",
        ),
        (
            "0007_staff_devices.sql",
            "8bda874f63a4f106a471ce921f87fe03212d854cc5b3df11b6d57185be0ce09d45fc892beb4bd2e1714cc24c46ea894b",
            "8bda874f63a4f106a471ce921f87fe03212d854cc5b3df11b6d57185be0ce09d45fc892beb4bd2e1714cc24c46ea894b",
        ),
        (
            "0008_draft_quota.sql",
            "d5730eb1a793790b2eded2982934ce4e4690fbc3bea261784d4e4dfdba6822cb343efc231af6d1304a055dddcfff882e",
            "d5730eb1a793790b2eded2982934ce4e4690fbc3bea261784d4e4dfdba6822cb343efc231af6d1304a055dddcfff882e",
        ),
        (
            "0009_statistics_cache.sql",
            "b3ab999d3409713df8222cff7c1682742615a42d93ac226295c82ee4e8f3bfaab46c4b681f1d5bc0457e3ead7fc43d7c",
            "b3ab999d3409713df8222cff7c1682742615a42d93ac226295c82ee4e8f3bfaab46c4b681f1d5bc0457e3ead7fc43d7c",
        ),
        (
            "0010_calendar.sql",
            "2e11b7cb0837edcff9efe3235f4a256d247091db11dfad7e599e7db30ba4c81ab2436d2045488a179d2f60a5db27deb0",
            "2e11b7cb0837edcff9efe3235f4a256d247091db11dfad7e599e7db30ba4c81ab2436d2045488a179d2f60a5db27deb0",
        ),
        (
            "0011_appointment_time.sql",
            "fb34a79dafa9d4201fbc834374e8f2ed408e4fcab8207f1c1f321c23d866940d31b7993706e63bd093b038bb1a80671e",
            "fb34a79dafa9d4201fbc834374e8f2ed408e4fcab8207f1c1f321c23d866940d31b7993706e63bd093b038bb1a80671e",
        ),
        (
            "0012_result_delivery.sql",
            "02a9e39101c82ef03d02611a0bc5316ff088a9bd70e83a9c013717f09a0da7bb39668ac5f5cb68c78972de257874917d",
            "02a9e39101c82ef03d02611a0bc5316ff088a9bd70e83a9c013717f09a0da7bb39668ac5f5cb68c78972de257874917d",
        ),
        (
            "0013_papers.sql",
            "bd9015ac66900a4df8722eb854b1d3b800aab0acb488c09dbccbc84f9c3167b3ae9c50ca19724cc3588ede2ddf2fb723",
            "d79f00238b894f6197ccbf720255c3a33f877790653582f32e5625e1262a259046042cc6483782cd847db04ac6deb8c2",
        ),
        (
            "0014_declarations.sql",
            "6d552d3614b846de79edaff216920eaf1ba2cb9cc500435f1825112168ab3a704bca872cebafc63c65f7af4256bbbe73",
            "6d552d3614b846de79edaff216920eaf1ba2cb9cc500435f1825112168ab3a704bca872cebafc63c65f7af4256bbbe73",
        ),
        (
            "0015_thumbnails.sql",
            "e9a88dc73f9e0851bb9d7338b4dc251c8dc8b77e42f0fb20e98fd6874cff40a93d5ca8d76b5b76f0f992e3e3a6faf5d3",
            "e9a88dc73f9e0851bb9d7338b4dc251c8dc8b77e42f0fb20e98fd6874cff40a93d5ca8d76b5b76f0f992e3e3a6faf5d3",
        ),
        (
            "0016_period_statistics.sql",
            "d830da5f62cbf37291be9869b1f1ee5e49dd2e61299230ff951be5522544ac413d79a466709e4dcd1fe93420428d7d47",
            "d830da5f62cbf37291be9869b1f1ee5e49dd2e61299230ff951be5522544ac413d79a466709e4dcd1fe93420428d7d47",
        ),
        (
            "0017_procedures_in_force.sql",
            "32b3ef7b0b9778403b6bf85d28d77761238859b82fcf725606c1b50d11c3374aee395b1821f73d3d5c317a36f88bdcbe",
            "32b3ef7b0b9778403b6bf85d28d77761238859b82fcf725606c1b50d11c3374aee395b1821f73d3d5c317a36f88bdcbe",
        ),
        (
            "0018_ratings_without_reception.sql",
            "87dab945cb4ab43c72123c139df7b44532b8c4e7d35daaeb8a94764994fe523c7ca006b0790d8b27f3cae8664059e630",
            "87dab945cb4ab43c72123c139df7b44532b8c4e7d35daaeb8a94764994fe523c7ca006b0790d8b27f3cae8664059e630",
        ),
        (
            "0019_catalogue_generation.sql",
            "75a0cc2254fd0c14e2dbbeb30aa8ae204220677c62a57b3f3edc58e8846afd305a6e34845b2ec852bc98faf667223c35",
            "75a0cc2254fd0c14e2dbbeb30aa8ae204220677c62a57b3f3edc58e8846afd305a6e34845b2ec852bc98faf667223c35",
        ),
        (
            "0020_notifications.sql",
            "081df67ae6a8279b1303ecc90043dcb5ea87fb8298587bab290f39e85f00b0fbf45ff7dc2e82ed859f55d06633ac029e",
            "fc5a24a8991af9fcc18cf6ef2fed9bf075340dbe5da919542793b73c16d4d11e5649aa3fc18f354aec7b76c5ee08dab3",
        ),
        (
            "0021_supplement_reminders.sql",
            "9b002e4299781de13c0d7334d0d5c2ab0b290303ab7a683658de364e18635acf0398909a6b156a762db534d04c47ce22",
            "9b002e4299781de13c0d7334d0d5c2ab0b290303ab7a683658de364e18635acf0398909a6b156a762db534d04c47ce22",
        ),
        (
            "0022_web_push.sql",
            "4940155a4e1732c4903865daac869fb90fa5c59148667062ff5db68ebbfd7450c40ce6031e029665780b2247a8433d24",
            "4940155a4e1732c4903865daac869fb90fa5c59148667062ff5db68ebbfd7450c40ce6031e029665780b2247a8433d24",
        ),
        (
            "0023_provider_tokens.sql",
            "8cb1f26fe4cc362c6e914a7a8d4e5639217e094bef99e34804e2460a27fa0acd9547d0ea93da8e2bd33376eaca82bc05",
            "8cb1f26fe4cc362c6e914a7a8d4e5639217e094bef99e34804e2460a27fa0acd9547d0ea93da8e2bd33376eaca82bc05",
        ),
        (
            "0024_notification_templates.sql",
            "924b0789c39d3d16fbb121cffda359d40d9dd64520f05bd507612985e353d10e6c55c45c99df22b6ba3b4ca06fd7c03c",
            "924b0789c39d3d16fbb121cffda359d40d9dd64520f05bd507612985e353d10e6c55c45c99df22b6ba3b4ca06fd7c03c",
        ),
        (
            "0025_staff_reminders.sql",
            "b7940034cd95318a81e2a8e2bda3e484134458784f6877a4d656a062c75a22b9c27e12b60905841d198e139ec01a17ff",
            "b7940034cd95318a81e2a8e2bda3e484134458784f6877a4d656a062c75a22b9c27e12b60905841d198e139ec01a17ff",
        ),
        (
            "0026_centers.sql",
            "afc77700a955642628ad6608dd0d4802fa0e96d01ad568eb83115d57f55b093e4ff0a7fd754deddef4338a86b4447609",
            "afc77700a955642628ad6608dd0d4802fa0e96d01ad568eb83115d57f55b093e4ff0a7fd754deddef4338a86b4447609",
        ),
        (
            "0027_center_settings.sql",
            "0cb205d62afb4db3e366c21ba7db50c2399563da4a4976ac73c608c924e9773485933e1678ec9ef10f75c5c254ec5088",
            "0cb205d62afb4db3e366c21ba7db50c2399563da4a4976ac73c608c924e9773485933e1678ec9ef10f75c5c254ec5088",
        ),
        (
            "0028_center_procedures.sql",
            "9b9e4b61e9c3c25064e04818ba6ee7f82b7f6dba90dc4dd0cce9f5fbe2d2b4146e24f4f7f248029bcd724b2e762868fc",
            "9b9e4b61e9c3c25064e04818ba6ee7f82b7f6dba90dc4dd0cce9f5fbe2d2b4146e24f4f7f248029bcd724b2e762868fc",
        ),
        (
            "0029_certified_copies.sql",
            "14cc6149ec2062642f25151f665ed618b7d43fe607cc7a47fa40ffe050f44b6f5270a26ea6e58986e1f348efe80560ed",
            "14cc6149ec2062642f25151f665ed618b7d43fe607cc7a47fa40ffe050f44b6f5270a26ea6e58986e1f348efe80560ed",
        ),
        (
            "0030_often_wrong.sql",
            "4d5772f3e27f0fa5ea54ebbfd58da68b7d8058255da8ebbb9b1f0c168196dc656626296310dad3d1809499295ffe4228",
            "4d5772f3e27f0fa5ea54ebbfd58da68b7d8058255da8ebbb9b1f0c168196dc656626296310dad3d1809499295ffe4228",
        ),
        (
            "0031_reused_copies.sql",
            "6cdde877d5e215b4ae0cdc9e1838ee0dce8524ff155da100f951c1edbf81aaf0d02047d768f4a043573310ce6a917982",
            "6cdde877d5e215b4ae0cdc9e1838ee0dce8524ff155da100f951c1edbf81aaf0d02047d768f4a043573310ce6a917982",
        ),
        (
            "0032_copy_annulment.sql",
            "ccdcdc2765e00271df8291983d2ef0c97da34b3428e92860a6c6a37e2bc37e3d51fb9fedefcc13178a04df08171442eb",
            "ccdcdc2765e00271df8291983d2ef0c97da34b3428e92860a6c6a37e2bc37e3d51fb9fedefcc13178a04df08171442eb",
        ),
    ];

    #[test]
    fn applied_migrations_keep_their_checksums_on_both_databases() {
        for (backend, column) in [(Backend::Sqlite, 1), (Backend::Postgres, 2)] {
            let migrations = Schema(backend).migrations();
            assert!(migrations.len() >= APPLIED.len());
            for (migration, applied) in migrations.iter().zip(APPLIED) {
                let expected = if column == 1 { applied.1 } else { applied.2 };
                assert_eq!(
                    hex::encode(&migration.checksum),
                    expected,
                    "{} on {backend:?}",
                    applied.0
                );
            }
        }
    }

    #[test]
    fn every_file_in_the_folder_is_a_migration_in_order() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, listed);
        let versions: Vec<i64> = Schema(Backend::Sqlite)
            .migrations()
            .iter()
            .map(|m| m.version)
            .collect();
        assert!(
            versions.windows(2).all(|pair| pair[0] < pair[1]),
            "{versions:?}"
        );
    }

    #[test]
    fn each_database_gets_its_own_lines_and_no_markers() {
        let text = "a\n-- dialect sqlite\nb\n-- dialect postgres\nc\n-- dialect end\nd\n";
        assert_eq!(render(text, Backend::Sqlite), "a\nb\nd\n");
        assert_eq!(render(text, Backend::Postgres), "a\nc\nd\n");
        for backend in [Backend::Sqlite, Backend::Postgres] {
            for migration in Schema(backend).migrations() {
                assert!(!migration.sql.contains(MARKER), "{}", migration.description);
            }
        }
    }
}
