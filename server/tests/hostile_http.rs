//! Hostile input at the public forms and addresses (the quick version of issue 7's corpus):
//! script and HTML injection, SQL metacharacters, over-long text, null bytes and control
//! characters, path traversal in file names, an executable named like a photo, a broken
//! multipart body, bytes that are not UTF-8. Expected: never a 5xx, nothing reflected
//! unescaped, nothing stored for what was refused.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use app::domain::back_office::Role;
use app::domain::lifecycle::Status;
use common::TestApp;
use common::filing::{
    EXE, UPLOADS, applicant_form, count, draft_at_documents, files_on_disk, post_form, start,
    submitted_dossier, upload,
};
use common::staff::{result_count, signed_in};

/// Payloads whose raw form must never come back in a page.
const REFLECTED: [&str; 4] = [
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</textarea><svg onload=alert(1)>",
];

fn corpus() -> Vec<String> {
    let mut corpus: Vec<String> = REFLECTED.iter().map(|s| s.to_string()).collect();
    corpus.extend(
        [
            "' OR 1=1; DROP TABLE dossiers; --",
            "%' AND 1=1 --",
            "../../../../etc/passwd",
            "a\u{0}b",
            "\u{202e}gnp.exe",
            "Nguyễn\r\nSet-Cookie: x=1",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    corpus.push("ả".repeat(2_000));
    corpus
}

/// Checks one answer, and counts it in `answered` for the figure printed at the end.
fn assert_safe(answered: &AtomicUsize, what: &str, status: u16, body: &str) {
    answered.fetch_add(1, Ordering::Relaxed);
    assert!(status < 500, "{what}: {status}");
    for raw in REFLECTED {
        assert!(!body.contains(raw), "{what} reflects {raw} unescaped");
    }
}

on_both_databases!(hostile_input_is_refused_cleanly, |backend| async move {
    // Every payload reaches the parsers behind the lookup, so the lookup limit must not.
    let app = TestApp::spawn_with(backend, |config| {
        config.lookup_limit = app::LookupLimit {
            hits: 100_000,
            window_seconds: 3_600,
        };
    })
    .await
    .unwrap();
    let answered = AtomicUsize::new(0);
    let token = start(&app, UPLOADS).await;
    let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
    // A dossier whose result is ready, so that a rating form is read field by field.
    let (code, key) = submitted_dossier(&app, "Lò Thị Hoa").await;
    for status in [Status::Accepted, Status::Processing, Status::ResultReady] {
        app.db
            .change_status(
                &code,
                status,
                "quan-tri:test",
                "",
                None,
                app::db::unix_now(),
            )
            .await
            .unwrap();
    }
    let saved_applicants = "SELECT COUNT(*) FROM drafts WHERE applicant_json IS NOT NULL";
    let saved_before = count(&app, saved_applicants).await;
    let files_before = files_on_disk(&app).len();
    let draft_files = "SELECT COUNT(*) FROM draft_files";
    let draft_files_before = count(&app, draft_files).await;
    for payload in corpus() {
        let encoded = app::domain::url::encode_query_value(&payload);
        for path in [
            format!("/thu-tuc?q={encoded}"),
            format!("/thu-tuc?linh-vuc={encoded}&trang={encoded}"),
            format!("/thu-tuc/{encoded}"),
            format!("/tra-cuu?ma={encoded}&khoa={encoded}"),
            format!("/giay-hen?ma={encoded}&khoa={encoded}"),
            format!("/thong-ke?ky=tuy-chon&tu={encoded}&den={encoded}"),
            format!("/ngon-ngu/vi?tiep={encoded}"),
        ] {
            let (status, body) = app.get_text(&path).await;
            assert_safe(&answered, &path, status, &body);
        }
        // The queue's search, as a signed-in clerk (anyone else is sent to sign in).
        let path = format!("/can-bo/ho-so?q={encoded}");
        let response = clerk.get(&app, &path).await;
        assert_eq!(response.status(), 200, "{path}");
        let page = response.text().await.unwrap();
        assert_eq!(result_count(&page), 0, "{path}");
        assert_safe(&answered, &path, 200, &page);
        // Every field of the applicant step at once.
        let fields = ["ho-ten", "dien-thoai", "cccd", "dia-chi", "email"];
        let pairs: Vec<(&str, &str)> = fields.iter().map(|f| (*f, payload.as_str())).collect();
        let response = post_form(
            &app,
            &format!("/ho-so-nhap/{token}/nguoi-nop"),
            &applicant_form(&pairs),
        )
        .await;
        let status = response.status().as_u16();
        assert_safe(
            &answered,
            "applicant step",
            status,
            &response.text().await.unwrap(),
        );
        for (path, form) in [
            (
                "/can-bo/dang-nhap",
                vec![("ten", payload.as_str()), ("mat-khau", payload.as_str())],
            ),
            (
                "/tra-cuu/rut",
                vec![("ma", payload.as_str()), ("khoa", payload.as_str())],
            ),
            (
                "/tra-cuu/danh-gia",
                vec![
                    ("ma", code.as_str()),
                    ("khoa", key.as_str()),
                    ("muc-do", payload.as_str()),
                    ("so-lan-den", payload.as_str()),
                    ("ly-do", payload.as_str()),
                ],
            ),
        ] {
            let response = app
                .client
                .post(app.url(path))
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert_safe(&answered, path, status, &response.text().await.unwrap());
        }
    }
    // Nothing refused was kept: no applicant saved, no rating, no withdrawal.
    assert_eq!(count(&app, saved_applicants).await, saved_before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM dossiers WHERE status = 9").await,
        1
    );

    // An executable named like a photo, with a path in its name, on a draft at its documents
    // step (so the upload is read): refused, nothing kept.
    let token = draft_at_documents(&app, UPLOADS).await;
    let response = upload(&app, &token, &[(0, "../../../tmp/anh.jpg", EXE)], "tai-len").await;
    assert_eq!(response.status(), 422, "executable upload");
    assert_safe(
        &answered,
        "executable upload",
        response.status().as_u16(),
        &response.text().await.unwrap(),
    );
    assert_eq!(
        files_on_disk(&app).len(),
        files_before,
        "{:?}",
        files_on_disk(&app)
    );
    assert_eq!(count(&app, draft_files).await, draft_files_before);

    // A multipart body that breaks off, and a form body that is not UTF-8.
    let broken = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"giay-to-0\"; filename=\"a.jpg\"\r\n\r\n\u{ff}\u{d8}")
        .send()
        .await
        .unwrap();
    // Read as far as it goes: the page again, saying the file could not be read.
    assert_eq!(broken.status(), 422, "broken multipart");
    assert_safe(
        &answered,
        "broken multipart",
        broken.status().as_u16(),
        &broken.text().await.unwrap(),
    );
    for path in [
        format!("/ho-so-nhap/{token}/nguoi-nop"),
        "/can-bo/dang-nhap".to_owned(),
    ] {
        let response = app
            .client
            .post(app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![
                b'h', b'o', b'-', b't', b'e', b'n', b'=', 0xff, 0xfe, 0x00,
            ])
            .send()
            .await
            .unwrap();
        assert_safe(
            &answered,
            &path,
            response.status().as_u16(),
            &response.text().await.unwrap(),
        );
    }
    // Server functions get the limits of their pages: a 100 KB search runs as the page's
    // first 200 characters, and arguments that cannot be read are the caller's fault (400).
    let huge_search = format!(
        "filter[query]={}&filter[sector]=&filter[page]=1",
        "%a".repeat(50_000)
    );
    for (path, body, expected) in [
        ("/api/catalogue", huge_search.as_str(), 200),
        ("/api/catalogue", "filter[page]=nhieu", 400),
        ("/api/staff/queue", "filter=%ff%fe", 400),
        ("/api/staff/queue", "", 400),
        ("/api/procedure", "ma=", 400),
    ] {
        let response = app
            .client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert_safe(&answered, path, status, &response.text().await.unwrap());
        assert_eq!(status, expected, "{path} {}", &body[..body.len().min(40)]);
    }

    // Bodies far over the limits, on a draft whose applicant is saved (so the documents step
    // reads its body): a 40 MB "photo" (the dossier limit is 30 MB) and a 5 MB applicant form.
    // Refused while being read, with nothing kept.
    let token = start(&app, UPLOADS).await;
    let saved = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(saved.status(), 303);
    // A real JPEG's first bytes, so the size limit is what stops it, not the type check.
    let mut photo = vec![0u8; 40 * 1024 * 1024];
    photo[..4].copy_from_slice(b"\xFF\xD8\xFF\xE0");
    let oversize = reqwest::multipart::Form::new().part(
        "giay-to-0",
        reqwest::multipart::Part::bytes(photo).file_name("anh.jpg"),
    );
    let response = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .multipart(oversize)
        .send()
        .await;
    // The documents step again (422, "too large"), or a connection closed before the whole
    // body was sent; a hang is a failure.
    match response {
        Ok(response) => assert_eq!(response.status(), 422, "oversize upload"),
        Err(error) => assert!(!error.is_timeout(), "oversize upload: {error}"),
    }
    let long_form = format!("ho-ten={}", "A".repeat(5 * 1024 * 1024));
    let response = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/nguoi-nop")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(long_form)
        .send()
        .await;
    // Over the body limit of a form: 413, or a connection closed early; never a hang.
    match response {
        Ok(response) => assert_eq!(response.status(), 413, "oversize form"),
        Err(error) => assert!(!error.is_timeout(), "oversize form: {error}"),
    }
    assert_eq!(files_on_disk(&app).len(), files_before);
    assert_eq!(count(&app, draft_files).await, draft_files_before);
    eprintln!(
        "hostile input ({backend:?}): {} requests answered without a 5xx or a raw reflection",
        answered.load(Ordering::Relaxed)
    );
    app.stop().await;
});
