//! A citizen on the public pages, as a browser with JavaScript off would be: plain GETs and
//! form posts, redirects read by hand so each request is timed on its own.

use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode, header};

use crate::record::{Failure, Recorder, Step};

/// A procedure of the demo catalogue that can be filed entirely online.
pub const ONLINE_PROCEDURE: &str = "1.004884";

/// What citizens type into the search box (with and without diacritics).
pub const QUERIES: [&str; 8] = [
    "khai sinh",
    "đăng ký kết hôn",
    "ket hon",
    "chứng thực bản sao",
    "trợ cấp xã hội",
    "khai tu",
    "hộ tịch",
    "giay xac nhan tinh trang hon nhan",
];

/// A small scanned page: a valid PDF header and some bytes that differ per file.
pub fn small_pdf(seed: u64) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << >> endobj\n".to_vec();
    let mut state = seed | 1;
    for _ in 0..2048 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.push(b'0' + (state % 10) as u8);
    }
    bytes.extend_from_slice(b"\ntrailer << >>\n%%EOF\n");
    bytes
}

/// A file the citizen attached, as sent.
#[derive(Debug, Clone)]
pub struct SentFile {
    pub original_name: String,
    pub bytes: Vec<u8>,
}

/// An application begun: its address (`/ho-so-nhap/{resume code}`) and the file inputs of its
/// documents step. Any app server of the deployment continues it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub path: String,
    pub inputs: Vec<String>,
}

/// What the receipt said: the server has acknowledged the dossier.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub code: String,
    pub key: String,
    pub files: Vec<SentFile>,
    /// The address the citizen asked to be told at (empty: not told).
    pub email: String,
    /// When the receipt came back: the dossier is received, and its first message written.
    pub acknowledged_at: std::time::SystemTime,
}

impl Receipt {
    /// The query that opens the dossier's receipt and status pages.
    fn query(&self) -> [(&str, &str); 2] {
        [("ma", &self.code), ("khoa", &self.key)]
    }
}

/// The HTTP client of every simulated citizen: no redirects followed, a bounded wait.
pub fn client(timeout: Duration) -> Client {
    client_keeping(timeout, true)
}

/// `client`, keeping connections open between requests or not. A browser sends a request
/// again when a kept connection is closed before any answer (Chromium does, once); this client
/// does not, so where a server may die under it the harness opens a connection per request.
pub fn client_keeping(timeout: Duration, keep_alive: bool) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .pool_max_idle_per_host(if keep_alive { 256 } else { 0 })
        .build()
        .expect("a client with these settings can always be built")
}

pub struct Citizen<'a> {
    pub client: &'a Client,
    pub base_url: &'a str,
    pub recorder: &'a Recorder,
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(header::LOCATION)?
        .to_str()
        .ok()
        .map(str::to_owned)
}

impl Citizen<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends one request, records its time and outcome under `step`, and hands back the
    /// response when its status is `expected`.
    async fn timed(
        &self,
        step: Step,
        request: reqwest::RequestBuilder,
        expected: StatusCode,
    ) -> Result<(Vec<u8>, Option<String>), Failure> {
        let began = Instant::now();
        let outcome = match request.send().await {
            Ok(response) if response.status() == expected => {
                let target = location(&response);
                // The body is part of the answer's time: read it before stopping the clock.
                match response.bytes().await {
                    Ok(body) => Ok((body.to_vec(), target)),
                    Err(error) => Err(Failure::NoAnswer(error.to_string())),
                }
            }
            Ok(response) => {
                let status = response.status().as_u16();
                let body = response.bytes().await.unwrap_or_default();
                Err(if status >= 500 && is_app_error_page(&body) {
                    Failure::ErrorPage(status)
                } else {
                    Failure::Status(status)
                })
            }
            Err(error) => Err(Failure::NoAnswer(if error.is_timeout() {
                "timed out".to_owned()
            } else {
                error.to_string()
            })),
        };
        self.recorder
            .record(step, began.elapsed(), outcome.as_ref().err());
        outcome
    }

    /// An answer without what the visit needs (a redirect target, a form): counted as a
    /// failure of `step`, beside the answer's time.
    fn unexpected(&self, step: Step, what: String) -> Failure {
        let failure = Failure::Unexpected(what);
        self.recorder.record(step, Duration::ZERO, Some(&failure));
        failure
    }

    /// A page at `path` with the query `query` (reqwest encodes it).
    async fn page(
        &self,
        step: Step,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<String, Failure> {
        let request = self.client.get(self.url(path)).query(query);
        let (body, _) = self.timed(step, request, StatusCode::OK).await?;
        String::from_utf8(body).map_err(|_| self.unexpected(step, format!("{path}: not UTF-8")))
    }

    /// Searches the catalogue and returns the procedure codes listed.
    pub async fn search(&self, query: &str) -> Result<Vec<String>, Failure> {
        let page = self.page(Step::Search, "/thu-tuc", &[("q", query)]).await?;
        Ok(page
            .split("href=\"/thu-tuc/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|code| !code.is_empty() && !code.contains('/') && !code.contains('?'))
            .map(str::to_owned)
            .collect())
    }

    pub async fn open_procedure(&self, code: &str) -> Result<(), Failure> {
        self.page(Step::Procedure, &format!("/thu-tuc/{code}"), &[])
            .await
            .map(drop)
    }

    /// Files an application with one small PDF per document the form asks for. The receipt
    /// is the submission's redirect: from then on the server has acknowledged the dossier.
    pub async fn file(&self, name: &str, seed: u64) -> Result<Receipt, Failure> {
        self.file_asking_email(name, seed, "").await
    }

    /// `file`, asking to be told by email at `email` (empty: not told).
    pub async fn file_asking_email(
        &self,
        name: &str,
        seed: u64,
        email: &str,
    ) -> Result<Receipt, Failure> {
        let draft = self.begin(name, email).await?;
        let files = self
            .send_files(&draft.path, &draft.inputs, seed, "tiep-tuc")
            .await?;
        self.submit(&draft.path, files, email).await
    }

    /// Starts an application and fills in the applicant: the draft, on its documents step.
    pub async fn begin(&self, name: &str, email: &str) -> Result<Draft, Failure> {
        let start = self
            .timed(
                Step::Start,
                self.client
                    .post(self.url(&format!("/thu-tuc/{ONLINE_PROCEDURE}/nop-truc-tuyen"))),
                StatusCode::SEE_OTHER,
            )
            .await?
            .1
            .ok_or_else(|| self.unexpected(Step::Start, "no redirect".to_owned()))?;
        let path = start
            .strip_suffix("/nguoi-nop")
            .ok_or_else(|| self.unexpected(Step::Start, format!("redirect to {start}")))?
            .to_owned();
        let applicant = [
            ("ho-ten", name),
            ("dien-thoai", "0912 345 678"),
            ("cccd", "001303004567"),
            ("dia-chi", "Thôn Đông, xã Tân Lập"),
            ("email", email),
            ("bao-tin", if email.is_empty() { "none" } else { "email" }),
        ];
        self.timed(
            Step::Applicant,
            self.client
                .post(self.url(&format!("{path}/nguoi-nop")))
                .form(&applicant),
            StatusCode::SEE_OTHER,
        )
        .await?;
        let documents_page = self
            .page(Step::DocumentsPage, &format!("{path}/giay-to"), &[])
            .await?;
        let inputs = file_inputs(&documents_page);
        if inputs.is_empty() {
            return Err(self.unexpected(Step::DocumentsPage, "no file input".to_owned()));
        }
        Ok(Draft { path, inputs })
    }

    /// Sends one small PDF for each of `inputs` (named after its input, so files sent in
    /// several requests keep distinct names), with the button `action` (`tai-len` to stay on
    /// the step, `tiep-tuc` to go on).
    pub async fn send_files(
        &self,
        draft: &str,
        inputs: &[String],
        seed: u64,
        action: &str,
    ) -> Result<Vec<SentFile>, Failure> {
        let mut form = Form::new().text("hanh-dong", action.to_owned());
        let mut files = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let file = SentFile {
                original_name: format!("{input}.pdf"),
                bytes: small_pdf(seed.wrapping_mul(31).wrapping_add(i as u64)),
            };
            form = form.part(
                input.clone(),
                Part::bytes(file.bytes.clone())
                    .file_name(file.original_name.clone())
                    .mime_str("application/pdf")
                    .map_err(|e| self.unexpected(Step::Upload, e.to_string()))?,
            );
            files.push(file);
        }
        self.timed(
            Step::Upload,
            self.client
                .post(self.url(&format!("{draft}/giay-to")))
                .multipart(form),
            StatusCode::SEE_OTHER,
        )
        .await?;
        Ok(files)
    }

    /// Declares and submits the draft whose files are `files`. The receipt is the submission's
    /// redirect: from then on the server has acknowledged the dossier.
    pub async fn submit(
        &self,
        draft: &str,
        files: Vec<SentFile>,
        email: &str,
    ) -> Result<Receipt, Failure> {
        let receipt = self
            .timed(
                Step::Submit,
                self.client
                    .post(self.url(&format!("{draft}/nop")))
                    .form(&[("cam-doan", "1")]),
                StatusCode::SEE_OTHER,
            )
            .await?
            .1
            .ok_or_else(|| self.unexpected(Step::Submit, "no redirect".to_owned()))?;
        let (code, key) = code_and_key(&receipt)
            .ok_or_else(|| self.unexpected(Step::Submit, format!("redirect to {receipt}")))?;
        Ok(Receipt {
            code,
            key,
            files,
            email: email.to_owned(),
            acknowledged_at: std::time::SystemTime::now(),
        })
    }

    /// The receipt page the submission redirects to (code, appointment, QR code).
    pub async fn open_receipt(&self, receipt: &Receipt) -> Result<(), Failure> {
        self.page(Step::Receipt, "/giay-hen", &receipt.query())
            .await
            .map(drop)
    }

    /// Opens the status page of a dossier with its code and key.
    pub async fn look_up(&self, receipt: &Receipt) -> Result<String, Failure> {
        self.page(Step::Status, "/tra-cuu", &receipt.query()).await
    }
}

/// Whether a body is the app's own error page (`server::http::error`; HAProxy answers with a
/// copy of it, `server error-page`): a page in Vietnamese and English with a way home.
pub fn is_app_error_page(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains("<html lang=\"vi\"") && text.contains("<main class=\"wrap\"><h1>")
}

/// The `name` of every `<input type="file">` on a page.
pub fn file_inputs(page: &str) -> Vec<String> {
    page.split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = rest.split('>').next()?;
            if !tag.contains("type=\"file\"") {
                return None;
            }
            let name = tag.split("name=\"").nth(1)?.split('"').next()?;
            Some(name.to_owned())
        })
        .collect()
}

/// `ma` and `khoa` from the receipt's address.
pub fn code_and_key(address: &str) -> Option<(String, String)> {
    let query = address.split_once('?')?.1;
    let value = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    };
    Some((value("ma")?, value("khoa")?))
}
