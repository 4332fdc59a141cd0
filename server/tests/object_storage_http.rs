//! Files on an S3-compatible object store (`MOTCUA_STORAGE=s3://…`), against a real S3 server
//! (`s3s-fs`, started here) on each database: what a citizen sends on one app server is read by
//! staff on another, a draft started on one continues on the other, nothing stays on a server's
//! own disk, the clean-up removes objects nobody names, and a store that is down or refuses the
//! keys gives the app's error answer, never a row without its file.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;

use app::domain::back_office::Role;
use bench::s3::S3Server;
use common::TestApp;
use common::filing::*;
use common::staff::signed_in;
use sqlx::Row;

const PREFIX: &str = "xa-thu/tep";

/// The test's app on files kept in `s3` under `PREFIX`.
async fn app_on(backend: common::Backend, s3: &S3Server) -> TestApp {
    let environment = s3.environment(PREFIX);
    TestApp::spawn_with(backend, |config| {
        let get = |key: &str| {
            environment
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        };
        let mut env = std::collections::HashMap::new();
        for key in [
            "MOTCUA_STORAGE",
            "MOTCUA_S3_ENDPOINT",
            "MOTCUA_S3_ACCESS_KEY_ID",
            "MOTCUA_S3_SECRET_ACCESS_KEY",
        ] {
            env.insert(key.to_owned(), get(key).unwrap());
        }
        config.storage = server::config::Config::from_sources(&env, None)
            .unwrap()
            .storage;
    })
    .await
    .unwrap()
}

/// A second app server on the same database and object store, with a staging folder of its
/// own (another machine's disk): its address.
async fn second_server(app: &TestApp, staging: PathBuf) -> SocketAddr {
    let mut config = app.config.clone();
    config.upload_dir = staging;
    let files = server::open_files(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut options = server::leptos_options(addr);
    options.site_root = app.site_root().into();
    let router = server::router(
        &config,
        app.db.clone(),
        files,
        server::signing::Signers::default(),
        options,
    );
    tokio::spawn(server::connections::serve(
        listener,
        router,
        config.connection_limits,
        std::future::pending(),
    ));
    addr
}

on_both_databases!(
    files_live_in_the_object_store_every_server_reads,
    |backend| async move {
        let root = tempfile_root();
        let s3 = S3Server::start(&root).unwrap();
        let app = app_on(backend, &s3).await;

        let (code, _key) = submitted_dossier(&app, "Nguyễn Thị Lan").await;
        let names = dossier_file_names(&app, &code).await;
        assert!(!names.is_empty());
        for name in &names {
            let object = std::fs::read(s3.object_path(&format!("{PREFIX}/{name}"))).unwrap();
            assert_eq!(object, PDF, "{name} is the object the citizen sent");
        }
        assert!(
            files_on_disk(&app).is_empty(),
            "nothing stays on the receiving server's disk: {:?}",
            files_on_disk(&app)
        );

        // Staff on another server read the file the first one received.
        let other = second_server(&app, app.site().folder.join("staging-b")).await;
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let file = app
            .client
            .get(format!(
                "http://{other}/can-bo/ho-so/{code}/tep/{}",
                names[0]
            ))
            .header("cookie", &clerk.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

        // A draft started on the first server continues on the second: a file sent there,
        // another removed there, the draft submitted on the first.
        let token = draft_at_documents(&app, UPLOADS).await;
        let required = required_documents(&app, UPLOADS).await;
        let first = upload(
            &app,
            &token,
            &[(required[0], "mat-truoc.jpg", JPEG)],
            "tai-len",
        )
        .await;
        assert_eq!(first.status(), 303);
        let mut form = reqwest::multipart::Form::new();
        for (position, index) in required.iter().enumerate() {
            let (name, bytes) = if position == 0 {
                ("ban-sao.pdf", PDF)
            } else {
                ("anh.png", PNG)
            };
            form = form.part(
                app::domain::filing::field::document(*index),
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name),
            );
        }
        let on_other = app
            .client
            .post(format!("http://{other}/ho-so-nhap/{token}/giay-to"))
            .multipart(form.text("hanh-dong", "tai-len"))
            .send()
            .await
            .unwrap();
        assert_eq!(on_other.status(), 303);
        let draft_files: Vec<(String, String)> = sqlx::query(
            "SELECT stored_name, original_name FROM draft_files ORDER BY original_name",
        )
        .fetch_all(app.db.writer())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
        assert_eq!(draft_files.len(), required.len() + 1, "{draft_files:?}");
        let photo = &draft_files
            .iter()
            .find(|(_, original)| original == "mat-truoc.jpg")
            .unwrap()
            .0;
        let photo_object = s3.object_path(&format!("{PREFIX}/{photo}"));
        assert!(photo_object.exists());
        let removed = app
            .client
            .post(format!("http://{other}/ho-so-nhap/{token}/giay-to"))
            .multipart(reqwest::multipart::Form::new().text("xoa", photo.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), 303);
        assert!(
            !photo_object.exists(),
            "a file removed on one server is gone from the store"
        );
        let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
        let submitted = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
        assert_eq!(submitted.status(), 303);
        assert!(
            location(&submitted).starts_with(app::paths::RECEIPT),
            "{}",
            location(&submitted)
        );
        let filed: i64 = count(&app, "SELECT COUNT(*) FROM dossier_files").await;
        assert_eq!(filed, (names.len() + required.len()) as i64);
        app.stop().await;
    }
);

on_both_databases!(
    the_clean_up_removes_objects_nobody_names,
    |backend| async move {
        let root = tempfile_root();
        let s3 = S3Server::start(&root).unwrap();
        let app = app_on(backend, &s3).await;
        let (code, _) = submitted_dossier(&app, "Trần Văn Bình").await;
        let recorded = dossier_file_names(&app, &code).await;
        // Names as the server gives them, that no row names: a crash between storing and
        // recording. And beside them what is not the server's: an operator's file in the
        // prefix, and a file in a folder below it.
        let old_stray = "0123456789abcdef0123456789abcdef.pdf";
        let young_stray = "fedcba9876543210fedcba9876543210.pdf";
        let not_ours = "ghi-chu-cua-van-hanh.pdf";
        for name in [old_stray, young_stray, not_ours] {
            app.files.write(name, PDF.to_vec()).await.unwrap();
        }
        // Enough old strays, listed first, that the recorded files are asked about in a later
        // batch than the first.
        let many: Vec<String> = (0..150).map(|n| format!("{n:032x}.jpg")).collect();
        for name in &many {
            app.files.write(name, JPEG.to_vec()).await.unwrap();
        }
        let below = s3.object_path(&format!("{PREFIX}/cu/0123456789abcdef0123456789abcde0.pdf"));
        std::fs::create_dir_all(below.parent().unwrap()).unwrap();
        std::fs::write(&below, PDF).unwrap();
        // Written two hours ago, all but the young stray.
        let aged: Vec<PathBuf> = recorded
            .iter()
            .chain(&many)
            .map(String::as_str)
            .chain([
                old_stray,
                not_ours,
                "cu/0123456789abcdef0123456789abcde0.pdf",
            ])
            .map(|name| s3.object_path(&format!("{PREFIX}/{name}")))
            .collect();
        let status = std::process::Command::new("touch")
            .args(["-d", "2 hours ago"])
            .args(&aged)
            .status()
            .unwrap();
        assert!(status.success());
        server::routes::filing::clean_up(&app.db, &app.files)
            .await
            .unwrap();
        let left: Vec<String> = app
            .files
            .list()
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.name)
            .collect();
        assert!(!left.contains(&old_stray.to_owned()), "{left:?}");
        assert!(many.iter().all(|name| !left.contains(name)), "{left:?}");
        assert!(
            left.contains(&young_stray.to_owned()),
            "a file written within the hour may still get its row: {left:?}"
        );
        assert!(
            left.contains(&not_ours.to_owned()),
            "a file the server did not name is never removed: {left:?}"
        );
        assert!(below.exists(), "nor one in a folder below the prefix");
        for name in &recorded {
            assert!(left.contains(name), "{name} is recorded: {left:?}");
        }
        app.stop().await;
    }
);

on_both_databases!(
    a_store_that_is_down_loses_nothing_and_records_nothing,
    |backend| async move {
        let root = tempfile_root();
        let mut s3 = S3Server::start(&root).unwrap();
        let app = app_on(backend, &s3).await;
        let token = draft_at_documents(&app, UPLOADS).await;
        let required = required_documents(&app, UPLOADS).await;
        s3.stop();
        let response = upload(
            &app,
            &token,
            &[(required[0], "giay-to.pdf", PDF)],
            "tai-len",
        )
        .await;
        assert_eq!(response.status(), 500);
        let page = response.text().await.unwrap();
        assert!(page.contains("<html"), "the app's own error page");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 0);
        assert!(
            files_on_disk(&app).is_empty(),
            "the temporary went too: {:?}",
            files_on_disk(&app)
        );
        app.stop().await;
    }
);

#[tokio::test]
async fn wrong_keys_or_bucket_stop_the_start_with_the_reason() {
    let root = tempfile_root();
    let s3 = S3Server::start(&root).unwrap();
    let staging = root.join("staging");
    let settings = |pairs: &[(&str, String)]| {
        let mut env: std::collections::HashMap<String, String> = s3
            .environment("xa")
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        for (key, value) in pairs {
            env.insert((*key).to_owned(), value.clone());
        }
        let mut config = server::config::Config::from_sources(&env, None).unwrap();
        config.upload_dir = staging.clone();
        config
    };
    let good = settings(&[]);
    assert!(server::open_files(&good).await.is_ok());
    let wrong_secret = "khoa-bi-mat-sai-9f2c";
    let wrong_key = settings(&[("MOTCUA_S3_SECRET_ACCESS_KEY", wrong_secret.to_owned())]);
    let refused = server::open_files(&wrong_key)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("s3://motcua-tep/xa"), "{refused}");
    assert!(
        !refused.contains(wrong_secret),
        "no secret in the message: {refused}"
    );
    let no_bucket = settings(&[("MOTCUA_STORAGE", "s3://khong-co/xa".to_owned())]);
    let refused = server::open_files(&no_bucket)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("s3://khong-co/xa"), "{refused}");
}

/// A folder of this test's own for the S3 server's objects, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempfile_root() -> Scratch {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Scratch(std::env::temp_dir().join(format!("motcua-s3-{}-{n}", std::process::id())))
}
