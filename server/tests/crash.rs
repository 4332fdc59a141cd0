//! The quick versions of the harness (`scripts/load` runs the full ones): the real server
//! binary under a small load, killed with SIGKILL during a submission burst, and cut off from
//! PostgreSQL under load.

mod common;

use std::path::Path;
use std::time::Duration;

use bench::check::integrity;
use bench::s3::S3Server;
use bench::scenario::{
    BalancedOptions, CrashOptions, Cut, LoadOptions, balanced, crash, load, reconnect,
};
use bench::server::{Backend, Server, Site};
use sqlx::{Connection, Row};

fn server_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_server"))
}

async fn a_small_load_leaves_every_dossier_whole(backend: Backend) {
    let site = Site::new(&backend, "t_load").await.unwrap();
    let mut server = Server::start(server_binary(), &site, 1).await.unwrap();
    let report = load(
        &server.base_url,
        &LoadOptions {
            citizens: 8,
            duration: Duration::from_secs(3),
            file_one_in: 2,
            request_timeout: Duration::from_secs(30),
            ask_email: false,
            keep_alive: true,
        },
    )
    .await;
    server.stop();
    assert_eq!(report.failed, 0, "{:#?}", report.figures);
    assert!(
        !report.receipts.is_empty(),
        "no citizen filed: {:#?}",
        report.figures
    );
    let checked = integrity(&site, &report.receipts).await.unwrap();
    assert!(checked.is_whole(), "{checked:#?}");
    assert_eq!(checked.present, report.receipts.len());
    assert_eq!(server.panics(), 0, "{}", server.log());

    // The check sees damage: a stored file gone (first dossier), a file changed on disk (second
    // dossier), a stray file.
    assert!(report.receipts.len() >= 2, "{:#?}", report.figures);
    let mut db = sqlx::AnyConnection::connect(&site.database_url)
        .await
        .unwrap();
    let mut first_file_of = async |code: &str| -> String {
        sqlx::query("SELECT stored_name FROM dossier_files WHERE dossier_code = $1 LIMIT 1")
            .bind(code.to_owned())
            .fetch_one(&mut db)
            .await
            .unwrap()
            .get(0)
    };
    let gone = first_file_of(&report.receipts[0].code).await;
    let changed = first_file_of(&report.receipts[1].code).await;
    drop(db);
    std::fs::remove_file(site.upload_dir.join(gone)).unwrap();
    std::fs::write(site.upload_dir.join(changed), b"%PDF-1.4 changed").unwrap();
    std::fs::write(site.upload_dir.join("stray.pdf"), b"%PDF-1.4").unwrap();
    let damaged = integrity(&site, &report.receipts).await.unwrap();
    assert!(!damaged.is_whole());
    assert_eq!(damaged.present, report.receipts.len());
    assert_eq!(damaged.intact, report.receipts.len() - 2, "{damaged:#?}");
    assert_eq!(damaged.rows_without_file, 1, "{damaged:#?}");
    assert_eq!(damaged.files_without_row, 1, "{damaged:#?}");
    site.remove().await;
}

async fn kill_9_loses_no_acknowledged_dossier(backend: Backend) {
    let site = Site::new(&backend, "t_crash").await.unwrap();
    let report = crash(
        server_binary(),
        &site,
        &CrashOptions {
            filers: 8,
            kill_after: 12,
        },
    )
    .await
    .unwrap();
    let kept = &report.integrity;
    eprintln!(
        "kill -9: {} acknowledged, {} present, {} whole, {} found by code and key, {} stray \
         uploads; restarted in {:.2} s",
        report.acknowledged,
        kept.present,
        kept.intact,
        report.found_by_citizens,
        kept.files_without_row,
        report.restarted_in.as_secs_f64()
    );
    assert!(report.acknowledged >= 12);
    assert_eq!(kept.present, report.acknowledged, "{kept:#?}");
    assert_eq!(kept.intact, report.acknowledged, "{kept:#?}");
    assert_eq!(report.found_by_citizens, report.acknowledged);
    assert_eq!(kept.repeated_codes, 0);
    assert_eq!(kept.rows_without_file, 0, "{kept:#?}");
    assert_eq!(report.panics, 0);
    site.remove().await;
}

on_both_databases!(
    a_small_load_leaves_every_dossier_whole,
    |backend: common::Backend| {
        a_small_load_leaves_every_dossier_whole(backend.for_harness().unwrap())
    }
);

on_both_databases!(
    kill_9_loses_no_acknowledged_dossier,
    |backend: common::Backend| {
        kill_9_loses_no_acknowledged_dossier(backend.for_harness().unwrap())
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: MOTCUA_TEST_POSTGRES_URL and --include-ignored"]
async fn postgres_connections_cut_under_load_come_back() {
    let backend = common::Backend::Postgres
        .for_harness()
        .expect("MOTCUA_TEST_POSTGRES_URL is not set");
    let site = Site::new(&backend, "t_cut").await.unwrap();
    let server = Server::start(server_binary(), &site, 1).await.unwrap();
    let report = reconnect(&server, &site, &Cut::TerminateConnections)
        .await
        .unwrap();
    drop(server);
    site.remove().await;
    eprintln!("connections cut: {report:?}");
    assert!(report.requests > 20, "{report:?}");
    assert_eq!(report.bad_failures, 0, "a hang or a bare error: {report:?}");
    assert_eq!(report.failed_after_return, 0, "{report:?}");
    assert!(
        report.back_in.is_some_and(|d| d < Duration::from_secs(5)),
        "{report:?}"
    );
    assert!(report.slowest < Duration::from_secs(15), "{report:?}");
    assert_eq!(report.panics, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: MOTCUA_TEST_POSTGRES_URL and --include-ignored"]
async fn postgres_two_servers_behind_haproxy_lose_nothing_when_one_is_killed() {
    let backend = common::Backend::Postgres
        .for_harness()
        .expect("MOTCUA_TEST_POSTGRES_URL is not set");
    let site = Site::new(&backend, "t_two").await.unwrap();
    let s3 = S3Server::start(&site.folder.join("s3")).unwrap();
    let report = balanced(
        server_binary(),
        &site,
        &s3,
        &BalancedOptions {
            load: LoadOptions {
                citizens: 8,
                duration: Duration::from_secs(6),
                file_one_in: 2,
                request_timeout: Duration::from_secs(30),
                ask_email: false,
                keep_alive: true,
            },
            kill_after: Duration::from_secs(3),
            lookup_limit: 20,
        },
    )
    .await
    .unwrap();
    drop(s3);
    site.remove().await;
    let kept = &report.integrity;
    eprintln!(
        "two servers, one killed: {} receipts, {} whole; {} app error pages, {} worse; probes \
         {} of {} failed, the last {:?} after the kill",
        kept.acknowledged,
        kept.intact,
        report.error_pages,
        report.worse_than_error_page,
        report.probes_failed,
        report.probes_after_kill,
        report.last_failure_after_kill
    );
    assert!(kept.acknowledged > 2, "{:#?}", report.load.figures);
    assert_eq!(kept.present, kept.acknowledged, "{kept:#?}");
    assert_eq!(kept.intact, kept.acknowledged, "{kept:#?}");
    assert_eq!(kept.repeated_codes, 0);
    assert_eq!(kept.rows_without_file, 0, "{kept:#?}");
    assert_eq!(
        report.worse_than_error_page, 0,
        "{:#?}",
        report.load.figures
    );
    assert_eq!(report.draft_continued, Ok(()));
    assert_eq!(report.session_held, Ok(()));
    assert_eq!(report.rate_limit_held, Ok(()));
    assert!(report.probes_after_kill > 50);
    assert!(
        report
            .last_failure_after_kill
            .is_none_or(|at| at < Duration::from_secs(3)),
        "the balancer still sends citizens to the dead server: {report:#?}"
    );
    assert_eq!(report.panics, 0);
}
