//! Filing an application over HTTP, step by step, for the tests that need a dossier.

use app::domain::filing::field;
use reqwest::multipart::{Form, Part};
use sqlx::Row;

use super::TestApp;

/// One case, fully online, one working day, with an e-form and nothing required to upload
/// (demo data: copies of civil-status extracts).
pub const ONE_CASE: &str = "2.000635";

/// One case, fully online, with papers to upload and no e-form (demo data: "Đăng ký lại khai
/// sinh", whose declaration is not one of the e-forms).
pub const UPLOADS: &str = "1.004884";

/// Valid answers to the e-form of `ONE_CASE` (Tờ khai cấp bản sao trích lục hộ tịch).
pub fn copy_declaration() -> Vec<(String, String)> {
    [
        ("quan-he", "Bản thân"),
        ("loai-viec", "khai-sinh"),
        ("ho-ten", "Nguyễn Thị Lan"),
        ("ngay-sinh", "1990-05-12"),
        ("noi-dang-ky", "Ủy ban nhân dân xã Tân Lập"),
        ("so-ban-sao", "2"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Answers the e-form when the applicant step leads to it (`next` is where it redirected).
pub async fn declare_if_asked(app: &TestApp, next: &str) {
    if next.ends_with("/to-khai") {
        let response = post_form(app, next, &copy_declaration()).await;
        assert_eq!(response.status(), 303, "the e-form is answered");
    }
}

pub const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 a photo of a paper";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a picture";
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
pub const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF";

/// `n` uploads of the same file for `document`, as `upload` takes them.
pub fn copies(
    n: usize,
    document: usize,
    name: &'static str,
    bytes: &'static [u8],
) -> Vec<(usize, &'static str, &'static [u8])> {
    (0..n).map(|_| (document, name, bytes)).collect()
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub async fn start(app: &TestApp, procedure: &str) -> String {
    let response = app
        .client
        .post(app.url(&format!("/thu-tuc/{procedure}/nop-truc-tuyen")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let target = location(&response);
    let token = target
        .strip_prefix("/ho-so-nhap/")
        .and_then(|rest| rest.strip_suffix("/nguoi-nop"))
        .unwrap_or_else(|| panic!("unexpected redirect {target}"));
    assert_eq!(token.len(), 16);
    token.to_owned()
}

pub fn applicant_form(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        (field::FULL_NAME, "Nguyễn Thị Lan"),
        (field::PHONE, "0912 345 678"),
        (field::CITIZEN_ID, "001303004567"),
        (field::ADDRESS, "Thôn Đông, xã Tân Lập"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push((k.to_string(), v.to_string()));
    }
    form
}

pub async fn post_form(app: &TestApp, path: &str, form: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .unwrap()
}

pub async fn upload(
    app: &TestApp,
    token: &str,
    files: &[(usize, &str, &[u8])],
    action: &str,
) -> reqwest::Response {
    upload_from(app, None, token, files, action).await
}

/// `upload`, from the client address `forwarded_for` (the server must trust the header).
pub async fn upload_from(
    app: &TestApp,
    forwarded_for: Option<&str>,
    token: &str,
    files: &[(usize, &str, &[u8])],
    action: &str,
) -> reqwest::Response {
    let mut form = Form::new();
    for (document, name, bytes) in files {
        form = form.part(
            field::document(*document),
            Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    form = form.text("hanh-dong", action.to_owned());
    let mut request = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .multipart(form);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

/// A draft with its applicant saved, on the documents step.
pub async fn draft_at_documents(app: &TestApp, procedure: &str) -> String {
    let token = start(app, procedure).await;
    let response = post_form(
        app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(response.status(), 303);
    declare_if_asked(app, &location(&response)).await;
    token
}

/// The indexes of the required documents citizens upload, for the first case.
pub async fn required_documents(app: &TestApp, procedure: &str) -> Vec<usize> {
    let procedure = app.db.procedure_by_code(procedure).await.unwrap().unwrap();
    procedure.cases[0]
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.required
                && app::domain::filing::Provision::of(d) == app::domain::filing::Provision::Upload
        })
        .map(|(i, _)| i)
        .collect()
}

pub fn files_on_disk(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(&app.upload_dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The stored names of a dossier's files.
pub async fn dossier_file_names(app: &TestApp, code: &str) -> Vec<String> {
    sqlx::query("SELECT stored_name FROM dossier_files WHERE dossier_code = $1")
        .bind(code.to_owned())
        .fetch_all(app.db.writer())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

/// A page without what differs from request to request by design: the values typed into
/// the form (echoed back), the address in the language link, the script nonces.
pub fn without_echoes(page: &str) -> String {
    let mut out = page.to_owned();
    for start in ["value=\"", "tiep=", "nonce=\""] {
        let mut result = String::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find(start) {
            result.push_str(&rest[..at + start.len()]);
            rest = &rest[at + start.len()..];
            rest = &rest[rest.find('"').unwrap_or(rest.len())..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// A draft with its applicant saved and a file for every required document.
pub async fn ready_draft(app: &TestApp, procedure: &str, name: &str) -> String {
    ready_draft_with(app, procedure, &[(field::FULL_NAME, name)]).await
}

/// `ready_draft` with these answers on the applicant step.
pub async fn ready_draft_with(app: &TestApp, procedure: &str, answers: &[(&str, &str)]) -> String {
    let token = start(app, procedure).await;
    let response = post_form(
        app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(answers),
    )
    .await;
    assert_eq!(response.status(), 303);
    declare_if_asked(app, &location(&response)).await;
    // A file for every required paper; where none is required (the e-form answers the
    // declaration), one for the first paper that can be uploaded: the tests' dossiers carry a file.
    let mut documents = required_documents(app, procedure).await;
    if documents.is_empty() {
        let procedure = app.db.procedure_by_code(procedure).await.unwrap().unwrap();
        documents.extend(procedure.cases[0].documents.iter().position(|d| {
            app::domain::filing::Provision::of(d) == app::domain::filing::Provision::Upload
        }));
    }
    let files: Vec<(usize, &str, &[u8])> =
        documents.iter().map(|i| (*i, "giay-to.pdf", PDF)).collect();
    let response = upload(app, &token, &files, "tiep-tuc").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/ho-so-nhap/{token}/kiem-tra"));
    token
}

/// A submitted dossier: its code and lookup key, from the receipt's address.
pub async fn submitted_dossier(app: &TestApp, name: &str) -> (String, String) {
    submitted_dossier_with(app, &[(field::FULL_NAME, name)]).await
}

/// `submitted_dossier` with these answers on the applicant step.
pub async fn submitted_dossier_with(app: &TestApp, answers: &[(&str, &str)]) -> (String, String) {
    let token = ready_draft_with(app, ONE_CASE, answers).await;
    let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
    let response = post_form(app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
    assert_eq!(response.status(), 303);
    let receipt = location(&response);
    let query = receipt.split_once('?').unwrap().1;
    let mut code = String::new();
    let mut key = String::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("ma", value)) => code = value.to_owned(),
            Some(("khoa", value)) => key = value.to_owned(),
            _ => {}
        }
    }
    (code, key)
}

/// A dossier filed online by `name`, accepted, then sent back for `papers` (a supplement
/// request), as the history "what goes wrong here" counts.
pub async fn sent_back_for(app: &TestApp, name: &str, papers: &[&str]) {
    use app::domain::lifecycle::Status;
    use app::domain::tracking::EventDetails;
    let (code, _) = submitted_dossier(app, name).await;
    let now = app.db.now();
    for status in [Status::Accepted, Status::Processing] {
        app.db
            .change_status(&code, status, "can-bo:test", "", None, now)
            .await
            .unwrap();
    }
    let details = EventDetails::Supplement {
        documents: papers.iter().map(|paper| (*paper).to_owned()).collect(),
        deadline: app::domain::calendar::Date::in_vietnam(now).add_days(7),
    };
    app.db
        .change_status(
            &code,
            Status::SupplementRequested,
            "can-bo:test",
            "",
            Some(&details),
            now,
        )
        .await
        .unwrap();
}
