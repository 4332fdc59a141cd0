//! The SMTP server the load run's notifications go to (`scripts/lib/smtp_sink.py`: aiosmtpd,
//! STARTTLS required), and when each message arrived there.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::SystemTime;

pub struct SmtpSink {
    child: Child,
    folder: PathBuf,
    port: u16,
    ca: PathBuf,
}

impl SmtpSink {
    /// Starts the sink keeping messages in `folder`; fails when python3 or aiosmtpd is missing
    /// (`scripts/setup --tests` installs it).
    pub fn start(folder: &Path) -> Result<SmtpSink, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lib/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the SMTP sink: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("the SMTP sink has no output")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            ["READY", port, ca] => Ok(SmtpSink {
                port: port.parse().map_err(|_| format!("sink said {line:?}"))?,
                ca: PathBuf::from(ca),
                folder: folder.to_owned(),
                child,
            }),
            _ => {
                let _ = child.kill();
                Err(format!("the SMTP sink did not start: {line:?}"))
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The CA certificate (PEM) the sink's certificate is signed by.
    pub fn ca(&self) -> &Path {
        &self.ca
    }

    /// Where the sink keeps messages, one `NNNN.eml` file each.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The server's settings that send email here.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MOTCUA_SMTP_HOST", "127.0.0.1".to_owned()),
            ("MOTCUA_SMTP_PORT", self.port.to_string()),
            ("MOTCUA_SMTP_SECURITY", "starttls".to_owned()),
            (
                "MOTCUA_SMTP_FROM",
                "Trung tâm xã <motcua@example.vn>".to_owned(),
            ),
            ("MOTCUA_SMTP_CA_FILE", self.ca.display().to_string()),
        ]
    }

    /// Every message received so far: its envelope recipient and when its file was written.
    pub fn arrivals(&self) -> Vec<(String, SystemTime)> {
        let Ok(entries) = std::fs::read_dir(&self.folder) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "eml"))
            .filter_map(|entry| {
                let written = entry.metadata().ok()?.modified().ok()?;
                let file = std::fs::File::open(entry.path()).ok()?;
                let mut first = String::new();
                BufReader::new(file).read_line(&mut first).ok()?;
                let to = first
                    .strip_prefix("X-Sink-Envelope-To: ")?
                    .trim()
                    .to_owned();
                Some((to, written))
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
