//! The real server binary, started on a free loopback port with a database and an upload folder
//! of its own, and stopped or killed by the harness.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

/// Where the harness keeps a site's database.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// A server URL whose user may create databases, e.g. `postgres://postgres@127.0.0.1/test`.
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

/// A database and an upload folder that outlive the server processes run on them.
pub struct Site {
    pub database_url: String,
    pub upload_dir: PathBuf,
    pub folder: PathBuf,
    postgres: Option<(String, String)>,
}

/// Unique across processes (the id and the clock) and within one, where tests make sites at
/// the same moment (the counter).
fn unique_name(label: &str) -> String {
    static MADE: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "motcua_{label}_{}_{}_{nanos}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    )
}

impl Site {
    pub async fn new(backend: &Backend, label: &str) -> Result<Site, String> {
        let name = unique_name(label);
        let folder = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let (database_url, postgres) = match backend {
            Backend::Sqlite => (format!("sqlite:{}/motcua.sqlite", folder.display()), None),
            Backend::Postgres(admin_url) => {
                sqlx::any::install_default_drivers();
                let mut admin = sqlx::AnyConnection::connect(admin_url)
                    .await
                    .map_err(|e| format!("PostgreSQL at {admin_url}: {e}"))?;
                // The name is made here, never from input: identifiers cannot be bound.
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .map_err(|e| format!("creating database {name}: {e}"))?;
                let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
                let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
                let url = if query.is_empty() {
                    format!("{server}/{name}")
                } else {
                    format!("{server}/{name}?{query}")
                };
                (url, Some((admin_url.clone(), name)))
            }
        };
        Ok(Site {
            database_url,
            upload_dir: folder.join("uploads"),
            folder,
            postgres,
        })
    }

    /// `binary` (the server) set up for this site: its database, its upload folder, the demo
    /// catalogue, run from the repository, with no configuration file.
    pub fn command(&self, binary: &Path) -> Command {
        let mut command = Command::new(binary);
        command
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .env("DATABASE_URL", &self.database_url)
            .env("MOTCUA_UPLOAD_DIR", &self.upload_dir)
            .env("MOTCUA_DEMO_DATA", demo_procedures())
            .env("RUST_LOG", "warn")
            .env_remove("MOTCUA_CONFIG");
        command
    }

    /// The database name on PostgreSQL (for cutting its connections).
    pub fn postgres_database(&self) -> Option<(&str, &str)> {
        self.postgres
            .as_ref()
            .map(|(admin, name)| (admin.as_str(), name.as_str()))
    }

    /// Drops the PostgreSQL database; the folder goes when the site is dropped.
    pub async fn remove(self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = sqlx::AnyConnection::connect(admin_url).await
        {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

/// A run that stops early (an error, a failed assertion) still leaves no folder behind; its
/// PostgreSQL database, if any, needs `remove`.
impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// One run of the server binary.
pub struct Server {
    child: Child,
    pub base_url: String,
    log_path: PathBuf,
    /// From spawning the process to its first healthy answer.
    pub started_in: Duration,
}

/// The repository's demo catalogue, which the server imports into an empty database.
pub fn demo_procedures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/demo-procedures.json")
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

impl Server {
    /// Starts `binary` on `site` and waits (at most two minutes) until it answers `/healthz`.
    /// The server's output goes to `server-N.log` in the site's folder.
    pub async fn start(binary: &Path, site: &Site, run: usize) -> Result<Server, String> {
        Server::start_with(binary, site, run, &[]).await
    }

    /// `start`, with settings of its own in `environment` (they win over the harness's).
    pub async fn start_with(
        binary: &Path,
        site: &Site,
        run: usize,
        environment: &[(&str, &str)],
    ) -> Result<Server, String> {
        let port = free_port()?;
        let log_path = site.folder.join(format!("server-{run}.log"));
        let log = File::create(&log_path).map_err(|e| e.to_string())?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        let began = Instant::now();
        let child = site
            .command(binary)
            .env("MOTCUA_BIND", format!("127.0.0.1:{port}"))
            // Every simulated citizen comes from 127.0.0.1: one address's lookup limit would
            // otherwise stop the status step after a few dozen lookups.
            .env("MOTCUA_LOOKUP_LIMIT", "100000")
            // And they hold hundreds of connections at once.
            .env("MOTCUA_MAX_CONNECTIONS_PER_CLIENT", "100000")
            .envs(environment.iter().copied())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", binary.display()))?;
        let mut server = Server {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log_path,
            started_in: Duration::ZERO,
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        while began.elapsed() < Duration::from_secs(120) {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server stopped at start ({status}):\n{}",
                    server.log()
                ));
            }
            // The port was free when chosen; the answer counts only if our process still
            // runs (another one could have taken the port in between).
            if let Ok(response) = client.get(server.url("/healthz")).send().await
                && response.status().is_success()
                && matches!(server.child.try_wait(), Ok(None))
            {
                server.started_in = began.elapsed();
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server.kill();
        Err(format!(
            "the server did not answer within 2 minutes:\n{}",
            server.log()
        ))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// SIGKILL: no shutdown code runs, as in a power cut of the process.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and SIGKILL if it has not stopped within ten seconds.
    pub fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let began = Instant::now();
        while began.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Panics the server wrote to its log (a panic never reaches a citizen as a page, but it
    /// is still a bug).
    pub fn panics(&self) -> usize {
        self.log().matches("panicked at").count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}
