//! A real load balancer in front of the app servers: HAProxy from Debian (`haproxy`, installed by
//! `scripts/setup --tests`), on a free loopback port, with the settings docs/operations.md gives
//! a province: health checks on `/healthz`, a connection refused by a dead server tried again on
//! another, and the app's own "busy" page (`server error-page`) for what it cannot answer.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Balancer {
    child: Child,
    pub base_url: String,
    log_path: PathBuf,
}

/// The HAProxy configuration for app servers at `servers` (`127.0.0.1:PORT`), listening on
/// `port`, answering with `error_page` (a whole HTTP response) when no server can.
pub fn configuration(port: u16, servers: &[String], error_page: &Path) -> String {
    let mut text = format!(
        "global\n\
         \x20   maxconn 4000\n\
         \x20   log stderr format raw local0 info\n\
         defaults\n\
         \x20   mode http\n\
         \x20   log global\n\
         \x20   option httplog\n\
         \x20   timeout connect 2s\n\
         \x20   timeout client 60s\n\
         \x20   timeout server 60s\n\
         \x20   timeout http-request 10s\n\
         \x20   timeout queue 30s\n\
         \x20   option forwardfor\n\
         \x20   retries 3\n\
         \x20   option redispatch 1\n\
         \x20   errorfile 502 {page}\n\
         \x20   errorfile 503 {page}\n\
         \x20   errorfile 504 {page}\n\
         frontend citizens\n\
         \x20   bind 127.0.0.1:{port}\n\
         \x20   default_backend app\n\
         backend app\n\
         \x20   balance roundrobin\n\
         \x20   option httpchk GET /healthz\n\
         \x20   http-check expect status 200\n\
         \x20   default-server inter 500ms fall 2 rise 2 maxconn 2000\n",
        page = error_page.display()
    );
    for (index, server) in servers.iter().enumerate() {
        text.push_str(&format!("    server app{} {server} check\n", index + 1));
    }
    text
}

impl Balancer {
    /// Starts HAProxy in front of `servers`, its configuration and log in `folder`, and waits
    /// (at most ten seconds) until it accepts connections.
    pub fn start(folder: &Path, servers: &[String], error_page: &Path) -> Result<Balancer, String> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let config_path = folder.join("haproxy.cfg");
        std::fs::write(&config_path, configuration(port, servers, error_page))
            .map_err(|e| format!("{}: {e}", config_path.display()))?;
        let log_path = folder.join("haproxy.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        // -db: in the foreground, so the harness owns the process and its end.
        let child = Command::new("haproxy")
            .args(["-db", "-f"])
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("starting haproxy (scripts/setup --tests installs it): {e}"))?;
        let mut balancer = Balancer {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log_path,
        };
        let began = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Ok(Some(status)) = balancer.child.try_wait() {
                return Err(format!(
                    "haproxy stopped at start ({status}): {}",
                    balancer.log()
                ));
            }
            if began.elapsed() > Duration::from_secs(10) {
                return Err(format!(
                    "haproxy did not listen within 10 s: {}",
                    balancer.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(balancer)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_one_haproxy_accepts() {
        let folder = std::env::temp_dir().join(format!("motcua-haproxy-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let page = folder.join("503.http");
        std::fs::write(&page, "HTTP/1.0 503 Service Unavailable\r\n\r\nbận\n").unwrap();
        let config = folder.join("haproxy.cfg");
        let servers = ["127.0.0.1:3001".to_owned(), "127.0.0.1:3002".to_owned()];
        std::fs::write(&config, configuration(3000, &servers, &page)).unwrap();
        let checked = Command::new("haproxy")
            .arg("-c")
            .arg("-f")
            .arg(&config)
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all(&folder);
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
}
