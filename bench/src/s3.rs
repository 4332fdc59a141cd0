//! A real S3-compatible server for the tests and the harness: `s3s-fs` (crates.io, installed by
//! `scripts/setup --tests`), keeping objects as files under a folder of the run's own, on a free
//! port of the loopback interface, with an access key it checks on every request (AWS SigV4).

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BUCKET: &str = "motcua-tep";
const ACCESS_KEY_ID: &str = "motcua-thu";
const SECRET_ACCESS_KEY: &str = "bi-mat-cua-lan-chay-thu";

pub struct S3Server {
    child: Child,
    port: u16,
    root: PathBuf,
}

impl S3Server {
    /// Starts the server keeping its objects under `root`, with the bucket `BUCKET` made;
    /// fails when `s3s-fs` is not installed or does not answer within ten seconds.
    pub fn start(root: &Path) -> Result<S3Server, String> {
        std::fs::create_dir_all(root.join(BUCKET)).map_err(|e| format!("{root:?}: {e}"))?;
        // A port the system gave a moment ago and nobody took since.
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args([
                "--access-key",
                ACCESS_KEY_ID,
                "--secret-key",
                SECRET_ACCESS_KEY,
            ])
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting s3s-fs (scripts/setup --tests installs it): {e}"))?;
        let mut server = S3Server {
            child,
            port,
            root: root.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if Instant::now() > deadline {
                return Err("s3s-fs did not answer within 10 s".to_owned());
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("s3s-fs stopped at start: {status}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's settings that keep files here, under `prefix`.
    pub fn environment(&self, prefix: &str) -> Vec<(&'static str, String)> {
        vec![
            ("MOTCUA_STORAGE", format!("s3://{BUCKET}/{prefix}")),
            ("MOTCUA_S3_ENDPOINT", self.endpoint()),
            ("MOTCUA_S3_ACCESS_KEY_ID", ACCESS_KEY_ID.to_owned()),
            ("MOTCUA_S3_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY.to_owned()),
        ]
    }

    /// Where the object stored under `key` sits on disk (s3s-fs keeps one file per object), for
    /// a test to look at or damage behind the app's back.
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(BUCKET).join(key)
    }

    /// Stops the server (a test of what happens when the store is gone).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}
