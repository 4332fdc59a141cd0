//! Backups that restore (`server backup DIR`, `server restore DIR`), on each database: the drill
//! under load with the real binary, a damaged backup refused before anything is written, a
//! restore that never writes over data, and files on the object store backed up and restored
//! into another store.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bench::s3::S3Server;
use bench::scenario::{BackupMoment, LoadOptions, backup_drill};
use bench::server::Site;
use common::TestApp;
use common::filing::*;
use server::backup::{BackupError, backup, restore};
use server::config::Config;

fn server_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_server"))
}

on_both_databases!(
    a_backup_under_load_restores_every_dossier_acknowledged_before_it,
    |backend: common::Backend| async move {
        let backend = backend.for_harness().unwrap();
        let site = Site::new(&backend, "t_drill").await.unwrap();
        let restored = Site::new(&backend, "t_drill_to").await.unwrap();
        let report = backup_drill(
            server_binary(),
            &site,
            &restored,
            LoadOptions {
                citizens: 8,
                duration: Duration::from_secs(6),
                file_one_in: 2,
                request_timeout: Duration::from_secs(30),
                ask_email: false,
                keep_alive: true,
            },
            BackupMoment {
                not_before: Duration::from_secs(1),
                receipts_before: 4,
            },
        )
        .await
        .unwrap();
        eprintln!(
            "backup drill: {} receipts, {} before the backup; backup {:.2} s, restore {:.2} s\n{}",
            report.load.receipts.len(),
            report.acknowledged_before,
            report.backup_seconds,
            report.restore_seconds,
            report.output
        );
        let kept = &report.integrity;
        assert!(report.acknowledged_before > 0, "{:#?}", report.load.figures);
        assert_eq!(kept.present, report.acknowledged_before, "{kept:#?}");
        assert_eq!(kept.intact, report.acknowledged_before, "{kept:#?}");
        assert_eq!(kept.rows_without_file, 0, "{kept:#?}");
        assert_eq!(kept.files_without_row, 0, "{kept:#?}");
        assert_eq!(report.load.failed, 0, "{:#?}", report.load.figures);
        assert_eq!(report.panics, 0);
        site.remove().await;
        restored.remove().await;
    }
);

/// The configuration of `app` pointed at another, empty site.
fn config_for(app: &TestApp, site: &Site) -> Config {
    let mut config = app.config.clone();
    config.database_url = site.database_url.clone();
    config.upload_dir = site.upload_dir.clone();
    config
}

async fn dossier_count(url: &str) -> i64 {
    let db = app::db::Database::connect(url).await.unwrap();
    let count = db.dossier_count().await.unwrap();
    db.close().await;
    count
}

on_both_databases!(
    a_damaged_backup_is_refused_and_a_restore_never_writes_over_data,
    |backend: common::Backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, _) = submitted_dossier(&app, "Lê Thị Hoa").await;
        let folder = app.site().folder.join("sao-luu");
        let made = backup(&app.config, &folder).await.unwrap();
        assert_eq!(made.manifest.dossiers, 1);
        assert!(!made.manifest.files.is_empty());
        assert!(matches!(
            backup(&app.config, &folder).await,
            Err(BackupError::FolderNotEmpty(_))
        ));

        // The backup's checksums are the ones `sha256sum -c` checks.
        let checked = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", server::backup::CHECKSUMS])
            .current_dir(&folder)
            .status()
            .unwrap();
        assert!(checked.success());

        let harness = backend.for_harness().unwrap();
        let target = Site::new(&harness, "t_restore").await.unwrap();
        let config = config_for(&app, &target);
        let one_file = folder.join("files").join(&made.manifest.files[0].name);
        let good = std::fs::read(&one_file).unwrap();
        let mut flipped = good.clone();
        flipped[3] ^= 0x01;
        std::fs::write(&one_file, &flipped).unwrap();
        let refused = restore(&config, &folder).await.unwrap_err();
        assert!(matches!(refused, BackupError::Damaged(_)), "{refused}");
        assert!(
            refused.to_string().contains(&made.manifest.files[0].name),
            "{refused}"
        );
        let untouched = match app::db::sqlite_file(&config.database_url) {
            Some(file) => !file.exists(),
            None => {
                let db = app::db::Database::connect(&config.database_url)
                    .await
                    .unwrap();
                let empty = db.holds_no_tables().await.unwrap();
                db.close().await;
                empty
            }
        };
        assert!(untouched, "nothing was written for a damaged backup");
        assert!(
            !target.upload_dir.exists()
                || std::fs::read_dir(&target.upload_dir)
                    .unwrap()
                    .next()
                    .is_none()
        );

        std::fs::write(&one_file, &good).unwrap();
        assert!(matches!(
            restore(&app.config, &folder).await,
            Err(BackupError::PlaceNotEmpty(_))
        ));
        // A SQLite journal left by an earlier database would be replayed onto the restored one.
        if let Some(file) = app::db::sqlite_file(&config.database_url) {
            let journal = PathBuf::from(format!("{}-wal", file.display()));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&journal, b"an old journal").unwrap();
            assert!(matches!(
                restore(&config, &folder).await,
                Err(BackupError::PlaceNotEmpty(place)) if place.ends_with("-wal")
            ));
            std::fs::remove_file(&journal).unwrap();
        }
        let restored = restore(&config, &folder).await.unwrap();
        assert_eq!(restored.dossiers, 1);
        assert_eq!(dossier_count(&target.database_url).await, 1);
        let names = dossier_file_names(&app, &code).await;
        for name in names {
            assert_eq!(
                std::fs::read(target.upload_dir.join(&name)).unwrap(),
                std::fs::read(app.upload_dir.join(&name)).unwrap()
            );
        }
        assert!(matches!(
            restore(&config, &folder).await,
            Err(BackupError::PlaceNotEmpty(_))
        ));
        target.remove().await;
        app.stop().await;
    }
);

/// A folder removed when the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_on_the_object_store_are_backed_up_and_restored_into_another() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("motcua-s3-backup-{}", std::process::id())));
    let s3 = S3Server::start(&scratch.0.join("s3")).unwrap();
    let on_store = |config: &mut Config, prefix: &str| {
        let env = s3
            .environment(prefix)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        config.storage = Config::from_sources(&env, None).unwrap().storage;
    };
    let app = TestApp::spawn_with(common::Backend::Sqlite, |config| on_store(config, "xa-a"))
        .await
        .unwrap();
    let (code, _) = submitted_dossier(&app, "Phạm Văn Tâm").await;
    let folder = scratch.0.join("sao-luu");
    let made = backup(&app.config, &folder).await.unwrap();
    let target = Site::new(&bench::server::Backend::Sqlite, "t_restore_s3")
        .await
        .unwrap();
    let mut config = config_for(&app, &target);
    on_store(&mut config, "xa-b");
    let restored = restore(&config, &folder).await.unwrap();
    assert_eq!(restored.files, made.manifest.files.len());
    let names = dossier_file_names(&app, &code).await;
    assert!(!names.is_empty());
    for name in names {
        assert_eq!(
            std::fs::read(s3.object_path(&format!("xa-b/{name}"))).unwrap(),
            std::fs::read(s3.object_path(&format!("xa-a/{name}"))).unwrap(),
            "{name} is in the other store as it was"
        );
    }
    target.remove().await;
    app.stop().await;
}
