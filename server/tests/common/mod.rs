//! Test helpers: a real server on a random port, on a fresh database of either back end.

#![allow(dead_code)] // each test file uses its own part of these helpers

pub mod centers;
pub mod filing;
pub mod signing;
pub mod staff;
pub mod xlsx;

use std::net::SocketAddr;
use std::path::PathBuf;

use app::db::{Clock, Database};
use bench::server::Site;
use server::config::Config;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The harness's description of this back end; `None` for PostgreSQL when
    /// `MOTCUA_TEST_POSTGRES_URL` is not set.
    pub fn for_harness(self) -> Option<bench::server::Backend> {
        match self {
            Backend::Sqlite => Some(bench::server::Backend::Sqlite),
            Backend::Postgres => std::env::var("MOTCUA_TEST_POSTGRES_URL")
                .ok()
                .map(bench::server::Backend::Postgres),
        }
    }
}

/// A fresh, empty database that belongs to one test, with a folder for its uploads: the
/// harness's `Site`, which the crash tests use too.
pub struct TestDb {
    pub url: String,
    site: Site,
}

impl TestDb {
    /// `None` when PostgreSQL is asked for but `MOTCUA_TEST_POSTGRES_URL` is not set.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let site = Site::new(&backend.for_harness()?, "t")
            .await
            .unwrap_or_else(|e| panic!("a test database: {e}"));
        Some(TestDb {
            url: site.database_url.clone(),
            site,
        })
    }

    pub fn upload_dir(&self) -> PathBuf {
        self.site.upload_dir.clone()
    }

    /// Drops the PostgreSQL database; the folder goes with the value.
    pub async fn cleanup(self) {
        self.site.remove().await;
    }
}

/// A fresh database with the schema and nothing else.
pub async fn empty_database(backend: Backend) -> (TestDb, Database) {
    let test_db = TestDb::new(backend).await.unwrap();
    let db = Database::connect(&test_db.url).await.unwrap();
    db.migrate().await.unwrap();
    (test_db, db)
}

pub fn demo_data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/demo-procedures.json")
}

pub fn test_config(db: &TestDb) -> Config {
    let mut config = Config::from_sources(&Default::default(), None).unwrap();
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.database_url = db.url.clone();
    config.demo_data = Some(demo_data_path());
    config.center_name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm".to_owned();
    config.upload_dir = db.upload_dir();
    // Every test client comes from 127.0.0.1, some with a hundred requests at once.
    config.connection_limits.per_client = Some(100_000);
    config
}

/// The files a built site serves beside its pages (`cargo leptos build` puts them in
/// `target/site`, which a test run may not have yet): the stylesheet and the public folder,
/// in the test's own folder.
fn static_site(db: &TestDb) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let site = db.site.folder.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::copy(root.join("style/main.css"), site.join("pkg/motcua.css")).unwrap();
    for file in std::fs::read_dir(root.join("public")).unwrap() {
        let file = file.unwrap();
        std::fs::copy(file.path(), site.join(file.file_name())).unwrap();
    }
    site
}

/// The real router, served on a random port of the loopback interface.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Database,
    /// The clock the server reads (a manual one moves when a test says).
    pub clock: Clock,
    /// The configuration the server was started with.
    pub config: Config,
    pub client: reqwest::Client,
    pub upload_dir: PathBuf,
    /// Where the server keeps its files (the upload folder, or the test's object store).
    pub files: server::storage::FileStore,
    test_db: TestDb,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with the test's own changes to the configuration.
    pub async fn spawn_with(
        backend: Backend,
        configure: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        TestApp::spawn_with_clock(backend, Clock::default(), configure).await
    }

    /// Like `spawn_with`, with the server's "now" read from `clock` (a manual one lets a test
    /// place its requests in time without waiting).
    pub async fn spawn_with_clock(
        backend: Backend,
        clock: Clock,
        configure: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let test_db = TestDb::new(backend).await?;
        let mut config = test_config(&test_db);
        configure(&mut config);
        let db = server::prepare_database(&config)
            .await
            .unwrap()
            .with_clock(clock.clone());
        server::notify::prepare_push(&db, &mut config.notifications)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind(config.bind).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut leptos_options = server::leptos_options(addr);
        leptos_options.site_root = static_site(&test_db).to_string_lossy().into();
        let files = server::open_files(&config).await.unwrap();
        let signers = server::open_signers(&config).unwrap();
        let router = server::router(&config, db.clone(), files.clone(), signers, leptos_options);
        let limits = config.connection_limits;
        tokio::spawn(server::connections::serve(
            listener,
            router,
            limits,
            std::future::pending(),
        ));
        // A request that never gets an answer fails the test instead of hanging the run.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap();
        Some(TestApp {
            addr,
            db,
            clock,
            client,
            upload_dir: config.upload_dir.clone(),
            files,
            config,
            test_db,
        })
    }

    /// The folder of the built site's static files this server serves.
    pub fn site_root(&self) -> String {
        self.test_db
            .site
            .folder
            .join("site")
            .to_string_lossy()
            .into_owned()
    }

    pub fn database_url(&self) -> String {
        self.test_db.url.clone()
    }

    /// The database and upload folder, for the real server binary to start on.
    pub fn site(&self) -> &Site {
        &self.test_db.site
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn stop(self) {
        let _ = std::fs::remove_dir_all(&self.upload_dir);
        // The server task shares this pool and is never shut down; closing waits for every
        // connection to come back, so it is bounded rather than trusted.
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.db.close())
            .await
            .is_err()
        {
            eprintln!("the database pool did not close within 10 s");
        }
        self.test_db.cleanup().await;
    }
}

/// Runs a test body on SQLite, and on PostgreSQL as a test that is ignored unless asked for
/// (`--include-ignored`, as `scripts/test` does when `MOTCUA_TEST_POSTGRES_URL` is set): a run
/// without PostgreSQL shows these as ignored, never as passed. Asked for without the URL, they
/// fail.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(common::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL: MOTCUA_TEST_POSTGRES_URL and --include-ignored"]
            async fn postgres() {
                assert!(
                    std::env::var("MOTCUA_TEST_POSTGRES_URL").is_ok(),
                    "MOTCUA_TEST_POSTGRES_URL is not set"
                );
                ($body)(common::Backend::Postgres).await;
            }
        }
    };
}

/// The names of the procedures listed on a catalogue page, in order.
pub fn listed_names(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ul class=\"procedure-list\">") else {
        return Vec::new();
    };
    let list = &html[start..];
    let list = &list[..list.find("</ul>").unwrap_or(list.len())];
    list.split("<li>")
        .skip(1)
        .filter_map(|item| {
            let after_href = &item[item.find("\">")? + 2..];
            Some(after_href[..after_href.find("</a>")?].to_owned())
        })
        .collect()
}
