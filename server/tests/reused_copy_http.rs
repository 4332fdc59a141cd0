//! A certified copy reused in a later online application, on both databases: the citizen names
//! it on the documents step by its number and the verification code printed under its QR code
//! instead of uploading it; the draft gets its own copy of the signed file; the staff's dossier
//! page shows it verified against the register (and not verified once the file was changed).
//! A wrong or malformed reference is refused by field, keeps what was typed and adds nothing;
//! wrong tries count against the lookup limit, right ones cost no write. A leader (not the
//! counter, not another center) annuls a copy with a reason; the verification page says so and
//! the copy is refused from then on.

mod common;

use app::domain::back_office::Role;
use app::domain::certification::{OriginalCheck, field as certify_field};
use app::domain::filing::field;
use app::paths;
use common::filing::{
    PDF, UPLOADS, count, draft_at_documents, location, post_form, required_documents,
};
use common::signing::{PAGE_ONE, PAGE_TWO, signing_settings, test_ca};
use common::staff::{Staff, signed_in};
use common::{Backend, TestApp};
use reqwest::multipart::{Form, Part};
use std::path::PathBuf;
use strum::VariantArray;

/// Wrong tries allowed per window in these tests.
const TRIES: i64 = 4;

/// A server that signs copies, and a birth certificate a clerk certified there.
struct Certified {
    app: TestApp,
    ca: PathBuf,
    clerk: Staff,
    /// As typed later: `1/2026`.
    number: String,
    token: String,
    /// The register's SHA-256 of the signed copy.
    sha256: String,
}

async fn certified(backend: Backend) -> Option<Certified> {
    let ca = test_ca("rsa");
    let settings = signing_settings(&ca);
    let app = TestApp::spawn_with(backend, move |config| {
        config.signing = Some(settings);
        config.lookup_limit = app::LookupLimit {
            hits: TRIES,
            window_seconds: 3600,
        };
    })
    .await?;
    let clerk = signed_in(&app, "chung.thuc", Role::Clerk).await;
    let (number, token, sha256) = certified_birth_certificate(&app, &clerk).await;
    Some(Certified {
        app,
        ca,
        clerk,
        number,
        token,
        sha256,
    })
}

/// A birth certificate certified at the counter: its number as typed later (`1/2026`), its
/// verification token, and the register's SHA-256 of the signed copy.
async fn certified_birth_certificate(app: &TestApp, clerk: &Staff) -> (String, String, String) {
    let mut form = vec![
        (
            certify_field::DOCUMENT.to_owned(),
            "Giấy khai sinh".to_owned(),
        ),
        (
            certify_field::APPLICANT.to_owned(),
            "Nguyễn Thị Mẫu".to_owned(),
        ),
        (
            certify_field::APPLICANT_ID.to_owned(),
            "001208012345".to_owned(),
        ),
        (certify_field::COPIES.to_owned(), "0".to_owned()),
    ];
    for check in OriginalCheck::VARIANTS {
        form.push((check.field().to_owned(), "1".to_owned()));
    }
    let pages = vec![
        (certify_field::PAGES.to_owned(), "trang-1.jpg", PAGE_ONE),
        (certify_field::PAGES.to_owned(), "trang-2.jpg", PAGE_TWO),
    ];
    let response = clerk
        .post_multipart(app, paths::CERTIFY, &form, &pages)
        .await;
    assert_eq!(response.status(), 303);
    let row = sqlx::query("SELECT token, serial, year, copy_sha256 FROM certified_copies")
        .fetch_one(app.db.writer())
        .await
        .unwrap();
    use sqlx::Row;
    let number = format!(
        "{}/{}",
        row.get::<i64, _>("serial"),
        row.get::<i64, _>("year")
    );
    (number, row.get("token"), row.get("copy_sha256"))
}

/// Sends the documents step with text fields only (the copy's number and code), as a browser
/// without JavaScript does, or as the upload island does when `json`.
async fn name_copy(
    app: &TestApp,
    draft: &str,
    fields: &[(String, String)],
    json: bool,
) -> reqwest::Response {
    let mut form = Form::new().text(field::STEP_ACTION, field::USE_COPY);
    for (name, value) in fields {
        form = form.text(name.clone(), value.clone());
    }
    let mut request = app
        .client
        .post(app.url(&paths::draft_documents(draft)))
        .multipart(form);
    if json {
        request = request.header("accept", "application/json");
    }
    request.send().await.unwrap()
}

fn reference(document: usize, number: &str, code: &str) -> Vec<(String, String)> {
    vec![
        (field::copy_number(document), number.to_owned()),
        (field::copy_code(document), code.to_owned()),
    ]
}

/// A leader's annulment of the copy `token`, by `staff`.
async fn annul(app: &TestApp, staff: &Staff, token: &str, reason: &str) -> reqwest::Response {
    staff
        .post(
            app,
            paths::CERTIFY_ANNUL,
            &[
                (certify_field::COPY, token),
                (certify_field::REASON, reason),
            ],
        )
        .await
}

async fn draft_copies(app: &TestApp, draft: &str) -> Vec<(String, Option<String>, i64)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT stored_name, certified_copy, document_index FROM draft_files \
         WHERE draft_token = $1 ORDER BY uploaded_at, stored_name",
    )
    .bind(draft.to_owned())
    .fetch_all(app.db.writer())
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get(0), row.get(1), row.get(2)))
    .collect()
}

on_both_databases!(
    a_citizen_reuses_a_certified_copy_by_number_and_code_and_staff_see_it_verified,
    |backend| async move {
        let Some(Certified {
            app,
            ca,
            clerk,
            number,
            token,
            sha256: register_sha256,
        }) = certified(backend).await
        else {
            return;
        };

        // The verification page (where the QR code leads) prints the two lines to type.
        let (status, public) = app.get_text(&paths::verification(&token)).await;
        assert_eq!(status, 200);
        let printed_code = app::domain::certification::verification_code(&token);
        assert!(public.contains(&printed_code), "{public}");
        assert!(public.contains(&format!("<strong>{number}</strong>")));

        let draft = draft_at_documents(&app, UPLOADS).await;
        let required = required_documents(&app, UPLOADS).await;
        let (first, others) = required.split_first().expect("papers to upload");
        let page = app.get_text(&paths::draft_documents(&draft)).await.1;
        assert!(
            page.contains(&field::copy_code(*first)),
            "the step offers it"
        );

        // Typed as printed, in capitals: the copy is linked to the first paper.
        let response = name_copy(
            &app,
            &draft,
            &reference(*first, &number, &printed_code.to_uppercase()),
            false,
        )
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), paths::draft_documents(&draft));
        let linked = draft_copies(&app, &draft).await;
        assert_eq!(linked.len(), 1);
        let (stored_name, linked_token, document) = &linked[0];
        assert_eq!(linked_token.as_deref(), Some(token.as_str()));
        assert_eq!(*document as usize, *first);
        let register_file: String = sqlx::query_scalar::<_, String>(
            "SELECT stored_name FROM certified_copies WHERE token = $1",
        )
        .bind(token.clone())
        .fetch_one(app.db.writer())
        .await
        .unwrap();
        assert_ne!(stored_name, &register_file, "the draft has its own copy");
        let reused = std::fs::read(app.upload_dir.join(stored_name)).unwrap();
        assert_eq!(
            hex::encode(ring::digest::digest(&ring::digest::SHA256, &reused)),
            register_sha256,
            "byte for byte the signed copy"
        );
        let page = app.get_text(&paths::draft_documents(&draft)).await.1;
        assert!(page.contains("Bản sao chứng thực số 1-"), "{page}");
        assert!(page.contains("Bản sao chứng thực điện tử"));

        // Sent with an upload instead of its own form (the documents form never carries the
        // copy's fields, but a request may): ignored, nothing counted.
        let counted = || async {
            count(
                &app,
                "SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limits",
            )
            .await
        };
        let before = counted().await;
        let mut stray = Form::new().text(field::STEP_ACTION, field::UPLOAD);
        for (name, value) in reference(*first, &number, "0000 0000 0000 0000 0000") {
            stray = stray.text(name, value);
        }
        let response = app
            .client
            .post(app.url(&paths::draft_documents(&draft)))
            .multipart(stray)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(
            counted().await,
            before,
            "a reference not sent by its own form is not even looked at"
        );
        // Named again (a double tap): not linked twice.
        let again = name_copy(&app, &draft, &reference(*first, &number, &token), false).await;
        assert_eq!(again.status(), 303);
        assert_eq!(draft_copies(&app, &draft).await.len(), 1);

        // The other papers as uploads, then submit.
        let mut form = Form::new().text(field::STEP_ACTION, field::CONTINUE);
        for index in others {
            form = form.part(
                field::document(*index),
                Part::bytes(PDF.to_vec()).file_name("giay-to.pdf"),
            );
        }
        let response = app
            .client
            .post(app.url(&paths::draft_documents(&draft)))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), paths::draft_review(&draft));
        let declared = vec![(field::DECLARATION.to_owned(), "1".to_owned())];
        let response = post_form(&app, &format!("/ho-so-nhap/{draft}/nop"), &declared).await;
        assert_eq!(response.status(), 303);
        let code: String = sqlx::query_scalar::<_, String>(
            "SELECT dossier_code FROM dossier_files WHERE certified_copy = $1",
        )
        .bind(token.clone())
        .fetch_one(app.db.writer())
        .await
        .unwrap();

        // Staff see it verified, with the register's entry.
        let page = clerk
            .get(&app, &paths::staff_dossier(&code))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Đã xác minh: tệp đúng từng byte"), "{page}");
        assert!(page.contains(&format!("Số 1, quyển số 01/{}-SCT/BS", &number[2..])));
        assert!(page.contains("Nguyễn Thị Mẫu · 001208012345"));

        // The dossier's file changed on disk: no longer verified.
        let mut changed = reused.clone();
        let middle = changed.len() / 2;
        changed[middle] ^= 0x01;
        std::fs::write(app.upload_dir.join(stored_name), changed).unwrap();
        let page = clerk
            .get(&app, &paths::staff_dossier(&code))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("CHƯA xác minh được"), "{page}");
        assert!(!page.contains("Đã xác minh: tệp đúng từng byte"));
        // The register's own file was never touched.
        let (status, _) = app.get_text(&paths::verification(&token)).await;
        assert_eq!(status, 200);
        assert!(app.upload_dir.join(&register_file).exists());
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);

on_both_databases!(
    a_wrong_or_malformed_reference_is_refused_by_field_keeps_what_was_typed_and_is_counted,
    |backend| async move {
        let Some(Certified {
            app,
            ca,
            number,
            token,
            ..
        }) = certified(backend).await
        else {
            return;
        };
        let draft = draft_at_documents(&app, UPLOADS).await;
        let first = required_documents(&app, UPLOADS).await[0];
        let tries = || async {
            count(
                &app,
                "SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limits",
            )
            .await
        };

        // Malformed halves: named by field, typed values shown again, not counted.
        let response = name_copy(&app, &draft, &reference(first, "mười lăm", "abc"), false).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Số chứng thực chưa đúng"), "{page}");
        assert!(page.contains("Mã xác minh gồm 20 chữ số"));
        assert!(
            page.contains("value=\"mười lăm\""),
            "what was typed is kept"
        );
        let at = page.find("class=\"reuse-copy\"").unwrap();
        let tag = &page[page[..at].rfind('<').unwrap()..at + page[at..].find('>').unwrap()];
        assert!(tag.contains(" open"), "the offer comes back open: {tag}");
        assert_eq!(tries().await, 0);

        // Another copy's number with this code: not found, counted.
        let year = &number[number.find('/').unwrap() + 1..];
        let response = name_copy(
            &app,
            &draft,
            &reference(first, &format!("2/{year}"), &token),
            false,
        )
        .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Không tìm thấy bản sao có số và mã xác minh này"));
        assert_eq!(tries().await, 1);

        // The island asks for JSON: the problems by field id.
        let response = name_copy(
            &app,
            &draft,
            &reference(first, &number, "0000 0000 0000 0000 0000"),
            true,
        )
        .await;
        assert_eq!(response.status(), 422);
        let answer: serde_json::Value = response.json().await.unwrap();
        assert!(
            answer["problems"][field::copy_number(first)]
                .as_str()
                .unwrap()
                .starts_with("Không tìm thấy"),
            "{answer}"
        );
        assert_eq!(tries().await, 2);
        assert!(draft_copies(&app, &draft).await.is_empty(), "nothing added");

        // The right reference costs no write.
        let response = name_copy(&app, &draft, &reference(first, &number, &token), false).await;
        assert_eq!(response.status(), 303);
        assert_eq!(tries().await, 2);
        assert_eq!(draft_copies(&app, &draft).await.len(), 1);

        // Wrong tries up to the limit (in another draft: the limit is the client's); then even
        // a right one waits.
        let other_draft = draft_at_documents(&app, UPLOADS).await;
        for _ in 2..TRIES {
            let wrong = reference(first, &number, "1111 1111 1111 1111 1111");
            let response = name_copy(&app, &other_draft, &wrong, false).await;
            assert_eq!(response.status(), 422);
        }
        assert_eq!(tries().await, TRIES);
        let right = reference(first, &number, &token);
        let response = name_copy(&app, &other_draft, &right, false).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Bạn đã thử sai quá nhiều lần"), "{page}");
        assert!(draft_copies(&app, &other_draft).await.is_empty());
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);

on_both_databases!(
    a_leader_annuls_a_copy_which_the_verification_page_then_shows_and_nobody_can_reuse,
    |backend| async move {
        let Some(Certified {
            app,
            ca,
            clerk,
            number,
            token,
            ..
        }) = certified(backend).await
        else {
            return;
        };
        let (_, list) = app.get_text(paths::ANNULLED_COPIES).await;
        assert!(list.contains("Chưa có bản sao nào bị hủy."), "{list}");
        // The counter certifies; annulling is the leader's.
        let page = clerk.get(&app, paths::CERTIFY).await.text().await.unwrap();
        assert!(!page.contains("Hủy bản sao này"));
        assert_eq!(annul(&app, &clerk, &token, "Cấp nhầm").await.status(), 403);
        let leader = signed_in(&app, "lanh.dao", Role::Admin).await;
        let page = leader.get(&app, paths::CERTIFY).await.text().await.unwrap();
        assert!(page.contains("Hủy bản sao này"), "{page}");
        // Without a reason: refused, the form open again, nothing annulled.
        let refused = annul(&app, &leader, &token, "  ").await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("Vui lòng điền mục này."), "{page}");
        assert!(
            page.contains("id=\"ly-do-huy\""),
            "the refused form's field, as the summary links"
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM certified_copies WHERE annulled_at IS NOT NULL"
            )
            .await,
            0
        );
        let done = annul(&app, &leader, &token, "Bản chính bị tẩy xóa; QĐ 12/QĐ-UBND").await;
        assert_eq!(done.status(), 303);
        assert!(location(&done).contains(&format!("da-huy={token}")));
        let register = leader
            .get(&app, &location(&done))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            register.contains("Đã hủy bản sao: Số 1, quyển số"),
            "{register}"
        );
        let (_, public) = app.get_text(&paths::verification(&token)).await;
        assert!(public.contains("Bản sao này đã bị hủy"), "{public}");
        assert!(public.contains("Bản chính bị tẩy xóa; QĐ 12/QĐ-UBND"));
        assert!(
            !public.contains("Dùng bản sao này"),
            "no longer offered for reuse"
        );
        assert!(public.contains(paths::ANNULLED_COPIES));
        let (status, list) = app.get_text(paths::ANNULLED_COPIES).await;
        assert_eq!(status, 200);
        assert!(list.contains("Số 1, quyển số"), "{list}");
        assert!(list.contains("Bản chính bị tẩy xóa; QĐ 12/QĐ-UBND"));
        assert!(!list.contains("Nguyễn Thị Mẫu") && !list.contains("001208012345"));
        // Another center's leader does not find it.
        common::centers::add_other_center(&app).await;
        let elsewhere = common::staff::signed_in_at(
            &app,
            "lanh.dao.binh.an",
            Role::Admin,
            Some(common::centers::OTHER_AGENCY),
        )
        .await;
        assert_eq!(annul(&app, &elsewhere, &token, "Thử").await.status(), 404);
        let draft = draft_at_documents(&app, UPLOADS).await;
        let first = required_documents(&app, UPLOADS).await[0];
        let response = name_copy(&app, &draft, &reference(first, &number, &token), false).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Bản sao này đã bị hủy"), "{page}");
        assert!(draft_copies(&app, &draft).await.is_empty());
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);
