//! Online filing over HTTP, on the real router and a fresh database of each back end: the
//! steps with their refusals, uploads and their limits, resuming a draft, the receipt, and
//! concurrent submissions getting distinct codes in sequence.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use app::domain::calendar::Date;
use app::domain::dossier::AgencyCode;
use app::domain::filing::field;
use common::TestApp;
use common::filing::*;
use reqwest::multipart::{Form, Part};
use sha2::Digest;
use sqlx::Row;

/// Three cases (demo data).
const SEVERAL_CASES: &str = "1.004873";
/// Information only: filed at the counter.
const COUNTER_ONLY: &str = "2.000815";

on_both_databases!(applying_online_ends_with_a_receipt, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let token = start(&app, UPLOADS).await;
    let (status, page) = app
        .get_text(&format!("/ho-so-nhap/{token}/nguoi-nop"))
        .await;
    assert_eq!(status, 200);
    let shown_code = format!(
        "{}-{}-{}-{}",
        &token[..4],
        &token[4..8],
        &token[8..12],
        &token[12..]
    );
    assert!(
        page.contains(&shown_code),
        "the resume code is shown at the first step"
    );

    // A bad applicant step: every problem named, the input kept, nothing saved.
    let bad = applicant_form(&[
        (field::PHONE, "0123"),
        (field::CITIZEN_ID, "12345"),
        (field::FULL_NAME, ""),
    ]);
    let response = post_form(&app, &format!("/ho-so-nhap/{token}/nguoi-nop"), &bad).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Số di động chưa đúng"), "phone message");
    assert!(page.contains("Số căn cước chưa đúng"), "ID message");
    assert!(page.contains("Vui lòng điền mục này."), "required message");
    assert!(page.contains("value=\"0123\""), "typed phone kept");
    assert!(page.contains("Thôn Đông, xã Tân Lập"), "typed address kept");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM drafts WHERE applicant_json IS NOT NULL"
        )
        .await,
        0
    );

    let response = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/ho-so-nhap/{token}/giay-to"));

    // Continuing without the required documents is refused, naming them.
    let response = upload(&app, &token, &[], "tiep-tuc").await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Giấy tờ này bắt buộc")
    );

    // An executable named like a photo is refused by its content; the good photo sent with it
    // is kept (nothing is lost with JavaScript off), and the page names both.
    let required = required_documents(&app, UPLOADS).await;
    assert!(!required.is_empty());
    let response = upload(
        &app,
        &token,
        &[
            (required[0], "anh.jpg", JPEG),
            (required[0], "giay.png", EXE),
        ],
        "tai-len",
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("không phải ảnh JPG, PNG hay tệp PDF"));
    assert!(page.contains("anh.jpg"), "the good file is listed");
    assert_eq!(
        files_on_disk(&app).len(),
        1,
        "only the good file stays on disk"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 1);
    // Removed again, so what follows starts from an empty draft.
    let kept: String = sqlx::query("SELECT stored_name FROM draft_files")
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .try_get("stored_name")
        .unwrap();
    let response = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .multipart(Form::new().text("xoa", kept))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(files_on_disk(&app).is_empty());

    // Two files for the first required document, a file for each other one, then continue.
    let mut files: Vec<(usize, &str, &[u8])> = vec![
        (required[0], "../../mat-truoc.jpg", JPEG),
        (required[0], "mat-sau.pdf", PDF),
    ];
    files.extend(required[1..].iter().map(|i| (*i, "to-khai.pdf", PDF)));
    // Browsers also send a part for each file input left empty: no name, no bytes.
    let mut sent = files.clone();
    sent.push((0, "", b""));
    let response = upload(&app, &token, &sent, "tiep-tuc").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/ho-so-nhap/{token}/kiem-tra"));
    let stored = files_on_disk(&app);
    assert_eq!(stored.len(), files.len());
    assert!(
        stored
            .iter()
            .all(|name| name.len() == 36 && !name.contains("mat")),
        "server-made names: {stored:?}"
    );
    let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/giay-to")).await;
    assert!(
        page.contains("mat-truoc.jpg"),
        "the citizen sees their file's name, without folders"
    );
    assert!(!page.contains("../"), "no client path is shown");

    // The check page lists everything; the declaration must be ticked.
    let (status, page) = app.get_text(&format!("/ho-so-nhap/{token}/kiem-tra")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Nguyễn Thị Lan") && page.contains("0912345678") && page.contains("2 tệp")
    );
    let response = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &[]).await;
    assert_eq!(response.status(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers").await, 0);

    let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
    let response = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
    assert_eq!(response.status(), 303);
    let receipt_path = location(&response);
    assert!(
        receipt_path.starts_with("/giay-hen?ma=000.00.00.H00-"),
        "{receipt_path}"
    );
    // A second tap on "submit" finds the same dossier.
    let again = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
    assert_eq!(location(&again), receipt_path);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers").await, 1);

    let row = sqlx::query(
        "SELECT code, status, channel, appointment_date, lookup_key_hash FROM dossiers",
    )
    .fetch_one(app.db.writer())
    .await
    .unwrap();
    let code: String = row.try_get("code").unwrap();
    assert_eq!(row.try_get::<i64, _>("status").unwrap(), 1);
    assert_eq!(row.try_get::<i64, _>("channel").unwrap(), 2);
    let today = Date::in_vietnam(app::db::unix_now());
    assert!(code.ends_with("-0001"));
    assert!(code.contains(&format!(
        "-{:02}{:02}{:02}-",
        today.year % 100,
        today.month,
        today.day
    )));
    let appointment =
        Date::parse_iso(&row.try_get::<String, _>("appointment_date").unwrap()).unwrap();
    assert!(appointment > today && !appointment.is_weekend());
    let key = receipt_path.rsplit("khoa=").next().unwrap().to_owned();
    // Stored as its SHA-256 (worked out here, not by the code under test), never as itself.
    let sha256: String = sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(
        row.try_get::<String, _>("lookup_key_hash").unwrap(),
        sha256,
        "the key is stored hashed"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM dossier_files").await,
        files.len() as i64
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dossier_events WHERE to_status = 1"
        )
        .await,
        1
    );

    let response = app.get(&receipt_path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let page = response.text().await.unwrap();
    assert!(page.contains(&code));
    assert!(page.contains(&appointment.day_month_year()));
    assert!(page.contains("<svg"), "QR code");
    assert!(
        page.contains(&format!("/tra-cuu?ma={code}&amp;khoa=")),
        "QR link to the status page"
    );
    assert!(page.contains("09******78"), "phone masked");
    assert!(page.contains("2 tệp"), "documents received with counts");

    // Code and key open the receipt later; a wrong key and a wrong code read the same.
    let (status, _) = app
        .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
        .await;
    assert_eq!(status, 200);
    let (wrong_key_status, wrong_key) = app
        .get_text(&format!("/tra-cuu?ma={code}&khoa=ZZZZ-ZZZZ"))
        .await;
    let other_code = code.replace("-0001", "-0002");
    let (wrong_code_status, wrong_code) = app
        .get_text(&format!("/tra-cuu?ma={other_code}&khoa={key}"))
        .await;
    assert_eq!((wrong_key_status, wrong_code_status), (404, 404));
    assert_eq!(without_echoes(&wrong_key), without_echoes(&wrong_code));
    assert!(wrong_key.contains("Không tìm thấy hồ sơ với mã hồ sơ và khóa tra cứu này"));
    app.stop().await;
});

on_both_databases!(cases_and_counter_only_procedures, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    // A procedure taken only at the counter cannot be started online.
    let response = app
        .client
        .post(app.url(&format!("/thu-tuc/{COUNTER_ONLY}/nop-truc-tuyen")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("chưa nhận hồ sơ trực tuyến")
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM drafts").await, 0);
    let response = app
        .client
        .post(app.url("/thu-tuc/khong-co/nop-truc-tuyen"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // With several cases the citizen must choose one, and the documents follow the choice.
    let token = start(&app, SEVERAL_CASES).await;
    let response = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Vui lòng chọn trường hợp")
    );
    let response = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[(field::CASE, "1")]),
    )
    .await;
    assert_eq!(response.status(), 303);
    let procedure = app
        .db
        .procedure_by_code(SEVERAL_CASES)
        .await
        .unwrap()
        .unwrap();
    let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/giay-to")).await;
    for document in &procedure.cases[1].documents {
        assert!(
            page.contains(&document.name),
            "document of the chosen case listed"
        );
    }
    app.stop().await;
});

on_both_databases!(upload_limits_hold, |backend| async move {
    let app = TestApp::spawn_with(backend, |config| {
        config.upload_limits.per_file = 100_000;
        config.upload_limits.per_dossier = 250_000;
    })
    .await
    .unwrap();
    let token = start(&app, UPLOADS).await;
    post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    let photo = |size: usize| {
        let mut bytes = JPEG.to_vec();
        bytes.resize(size, 0x55);
        bytes
    };
    let big = photo(100_001);
    let response = upload(&app, &token, &[(0, "to.jpg", &big)], "tai-len").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Tệp quá lớn"));
    assert!(files_on_disk(&app).is_empty());

    let fits = photo(90_000);
    for _ in 0..2 {
        let response = upload(&app, &token, &[(0, "vua.jpg", &fits)], "tai-len").await;
        assert_eq!(response.status(), 303);
    }
    let response = upload(&app, &token, &[(1, "vua.jpg", &fits)], "tai-len").await;
    assert_eq!(
        response.status(),
        413,
        "a third file would take the dossier over 250 kB"
    );
    assert!(response.text().await.unwrap().contains("vượt dung lượng"));
    assert_eq!(files_on_disk(&app).len(), 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 2);

    // A body far over the dossier limit is cut off while read, with the same clear answer.
    let huge = photo(400_000);
    let response = upload(
        &app,
        &token,
        &[(0, "a.jpg", &fits), (1, "b.jpg", &huge)],
        "tai-len",
    )
    .await;
    assert!(matches!(response.status().as_u16(), 413 | 422));
    assert!(
        files_on_disk(&app).len() == 2,
        "nothing of the refused request stays"
    );

    // JavaScript asks for JSON and gets the message per field.
    let response = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .header("accept", "application/json")
        .multipart(Form::new().part("giay-to-0", Part::bytes(EXE.to_vec()).file_name("x.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let reply: serde_json::Value = response.json().await.unwrap();
    assert!(
        reply["problems"]["giay-to-0"]
            .as_str()
            .unwrap()
            .contains("không phải ảnh")
    );

    // Removing a file deletes it from the draft and from disk.
    let stored = files_on_disk(&app)[0].clone();
    let response = app
        .client
        .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
        .multipart(Form::new().text("xoa", stored.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(!files_on_disk(&app).contains(&stored));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 1);
    app.stop().await;
});

on_both_databases!(drafts_resume_and_expire, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let token = start(&app, UPLOADS).await;
    post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    upload(&app, &token, &[(0, "anh.jpg", JPEG)], "tai-len").await;

    // Typed back from paper in lower case with dashes: the same draft, as saved.
    let typed = format!(
        "{}-{}-{}-{}",
        &token[..4],
        &token[4..8],
        &token[8..12],
        &token[12..]
    )
    .to_lowercase();
    let response = app.get(&format!("/ho-so-nhap?ma={typed}")).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/ho-so-nhap/{token}/nguoi-nop")
    );
    let (_, page) = app
        .get_text(&format!("/ho-so-nhap/{token}/nguoi-nop"))
        .await;
    assert!(page.contains("value=\"Nguyễn Thị Lan\"") && page.contains("value=\"0912345678\""));
    let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/giay-to")).await;
    assert!(page.contains("anh.jpg"));
    let response = app.get("/ho-so-nhap?ma=khong-dung").await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Mã tiếp tục không đúng")
    );
    let (status, page) = app.get_text("/ho-so-nhap/ABCDEFGHJKMNPQRS/nguoi-nop").await;
    assert_eq!(status, 404);
    assert!(page.contains("Không tìm thấy hồ sơ nháp"));
    // A form posted to a draft that cannot exist gets the same page, not a bare error.
    let response = post_form(
        &app,
        "/ho-so-nhap/%3Cscript%3E/nguoi-nop",
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(response.status(), 404);
    let page = response.text().await.unwrap();
    assert!(page.contains("Không tìm thấy hồ sơ nháp") && !page.contains("<script>"));

    // Past its expiry the draft says so, takes nothing more, and the clean-up removes it.
    sqlx::query("UPDATE drafts SET expires_at = 1")
        .execute(app.db.writer())
        .await
        .unwrap();
    let (status, page) = app
        .get_text(&format!("/ho-so-nhap/{token}/nguoi-nop"))
        .await;
    assert_eq!(status, 410);
    assert!(page.contains("Hồ sơ nháp đã hết hạn"));
    let response = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[]),
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = upload(&app, &token, &[(0, "anh.jpg", JPEG)], "tai-len").await;
    assert_eq!(response.status(), 303);
    assert_eq!(files_on_disk(&app).len(), 1);
    server::routes::filing::clean_up(&app.db, &app.files)
        .await
        .unwrap();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM drafts").await, 0);
    assert!(
        files_on_disk(&app).is_empty(),
        "expired draft files are deleted"
    );
    app.stop().await;
});

on_both_databases!(
    concurrent_submissions_get_distinct_codes_in_sequence,
    |backend| async move {
        let app = Arc::new(TestApp::spawn(backend).await.unwrap());
        let mut tokens = Vec::new();
        for n in 0..100 {
            tokens.push(ready_draft(&app, UPLOADS, &format!("Người nộp {n}")).await);
        }
        let barrier = Arc::new(tokio::sync::Barrier::new(tokens.len()));
        let submissions: Vec<_> = tokens
            .into_iter()
            .map(|token| {
                let (app, barrier) = (app.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
                    let response =
                        post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
                    assert_eq!(response.status(), 303);
                    location(&response)
                })
            })
            .collect();
        let mut receipts = Vec::new();
        for submission in submissions {
            receipts.push(submission.await.unwrap());
        }
        assert_eq!(receipts.iter().collect::<HashSet<_>>().len(), 100);
        let agency = AgencyCode::parse("000.00.00.H00").unwrap();
        let today = Date::in_vietnam(app::db::unix_now());
        let codes = app.db.dossier_codes_of_day(&agency, today).await.unwrap();
        let expected: Vec<String> = (1..=100)
            .map(|n| {
                format!(
                    "000.00.00.H00-{:02}{:02}{:02}-{n:04}",
                    today.year % 100,
                    today.month,
                    today.day
                )
            })
            .collect();
        assert_eq!(codes, expected);
        Arc::try_unwrap(app).ok().unwrap().stop().await;
    }
);

on_both_databases!(
    many_files_are_refused_before_they_fill_the_disk,
    |backend| async move {
        let app = TestApp::spawn_with(backend, |config| {
            config.upload_limits.files_per_dossier = 12;
        })
        .await
        .unwrap();
        let required = required_documents(&app, UPLOADS).await;
        let token = draft_at_documents(&app, UPLOADS).await;
        // Two thousand tiny files in one body: refused, and reading stops at the limit.
        let flood = copies(2_000, required[0], "a.jpg", JPEG);
        let response = upload(&app, &token, &flood, "tai-len").await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("Quá nhiều tệp"));
        assert!(files_on_disk(&app).is_empty(), "{:?}", files_on_disk(&app));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 0);

        // Ten pages of one paper are fine; an eleventh, in a later request, is not.
        let ten = copies(10, required[0], "trang.jpg", JPEG);
        assert_eq!(upload(&app, &token, &ten, "tai-len").await.status(), 303);
        let one_more = upload(&app, &token, &[(required[0], "trang.jpg", JPEG)], "tai-len").await;
        assert_eq!(one_more.status(), 422);
        // The dossier as a whole: 10 + 3 is over its 12.
        let three = copies(3, required[1], "b.pdf", PDF);
        assert_eq!(upload(&app, &token, &three, "tai-len").await.status(), 422);
        assert_eq!(
            upload(&app, &token, &three[..2], "tai-len").await.status(),
            303
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 12);
        assert_eq!(
            files_on_disk(&app).len(),
            12,
            "nothing of the refused uploads kept"
        );
        app.stop().await;
    }
);

on_both_databases!(
    unfinished_applications_have_a_quota_per_address_and_in_all,
    |backend| async move {
        let pdf = PDF.len() as u64;
        let app = TestApp::spawn_with(backend, |config| {
            config.trusted_proxies =
                app::domain::rate_limit::TrustedProxies::parse("127.0.0.1").unwrap();
            config.draft_quota = app::domain::filing::DraftQuota {
                per_address: 4 * pdf,
                total: 6 * pdf,
            };
        })
        .await
        .unwrap();
        let required = required_documents(&app, UPLOADS).await;
        let pdfs = |n: usize| {
            let mut files = copies(n.div_ceil(2), required[0], "giay.pdf", PDF);
            files.extend(copies(n / 2, required[1], "giay.pdf", PDF));
            files
        };
        let (first, second, third) = (
            draft_at_documents(&app, UPLOADS).await,
            draft_at_documents(&app, UPLOADS).await,
            draft_at_documents(&app, UPLOADS).await,
        );
        let (home, neighbour) = (Some("203.0.113.7"), Some("198.51.100.20"));
        assert_eq!(
            upload_from(&app, home, &first, &pdfs(3), "tai-len")
                .await
                .status(),
            303
        );
        // A second draft from the same address: 3 + 2 files is over its quota of 4.
        let response = upload_from(&app, home, &second, &pdfs(2), "tai-len").await;
        assert_eq!(response.status(), 429);
        assert!(response.text().await.unwrap().contains("hồ sơ làm dở"));
        assert_eq!(
            upload_from(&app, home, &second, &pdfs(1), "tai-len")
                .await
                .status(),
            303
        );
        // Another address has its own quota, but everyone's together is 6.
        let response = upload_from(&app, neighbour, &third, &pdfs(3), "tai-len").await;
        assert_eq!(response.status(), 507);
        assert_eq!(
            upload_from(&app, neighbour, &third, &pdfs(2), "tai-len")
                .await
                .status(),
            303
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 6);
        assert_eq!(
            files_on_disk(&app).len(),
            6,
            "nothing of the refused uploads kept"
        );
        // A submitted application no longer holds room: its files belong to the dossier.
        let declared = [("cam-doan".to_owned(), "1".to_owned())];
        let submitted = post_form(&app, &format!("/ho-so-nhap/{first}/nop"), &declared).await;
        assert_eq!(submitted.status(), 303);
        assert_eq!(
            upload_from(&app, home, &second, &pdfs(3), "tai-len")
                .await
                .status(),
            303
        );
        app.stop().await;
    }
);

on_both_databases!(
    the_citizen_chooses_where_the_result_goes,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let token = start(&app, UPLOADS).await;
        let path = format!("/ho-so-nhap/{token}/nguoi-nop");
        let bogus = applicant_form(&[(field::RESULT_DELIVERY, "bang-bo-cau")]);
        let response = post_form(&app, &path, &bogus).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Có ký tự không dùng được") && page.contains("Nguyễn Thị Lan"));

        let by_post = applicant_form(&[(field::RESULT_DELIVERY, "buu-dien")]);
        assert_eq!(post_form(&app, &path, &by_post).await.status(), 303);
        let required = required_documents(&app, UPLOADS).await;
        let files: Vec<(usize, &str, &[u8])> =
            required.iter().map(|i| (*i, "to-khai.pdf", PDF)).collect();
        assert_eq!(upload(&app, &token, &files, "tiep-tuc").await.status(), 303);
        let (_, review) = app.get_text(&format!("/ho-so-nhap/{token}/kiem-tra")).await;
        let chosen = "Qua bưu điện, gửi về địa chỉ ở trên";
        assert!(review.contains(chosen), "the review step shows the choice");
        let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
        let response = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
        assert_eq!(response.status(), 303);
        let (_, receipt) = app.get_text(&location(&response)).await;
        assert!(receipt.contains(&format!("<dt>Nơi trả kết quả</dt><dd>{chosen}")));
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dossiers WHERE result_delivery = 'buu-dien'"
            )
            .await,
            1
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_photo_is_listed_with_the_thumbnail_the_browser_made,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let token = draft_at_documents(&app, UPLOADS).await;
        let required = required_documents(&app, UPLOADS).await;
        let photo_field = field::document(required[0]);
        let thumbnail_field = format!("{}{photo_field}", field::THUMBNAIL_PREFIX);
        let small_jpeg = [JPEG, b" thumbnail"].concat();
        let part =
            |bytes: &[u8], name: &str| Part::bytes(bytes.to_vec()).file_name(name.to_owned());
        // A photo with its thumbnail; a PDF with one (dropped: PDFs get none); a photo whose
        // "thumbnail" is not a JPEG (dropped); a photo with a thumbnail far too large (dropped).
        let form = Form::new()
            .text("hanh-dong", "tai-len")
            .part(photo_field.clone(), part(JPEG, "mat-truoc.jpg"))
            .part(thumbnail_field.clone(), part(&small_jpeg, "anh-nho.jpg"))
            .part(photo_field.clone(), part(PDF, "giay.pdf"))
            .part(thumbnail_field.clone(), part(&small_jpeg, "anh-nho.jpg"))
            .part(photo_field.clone(), part(JPEG, "mat-sau.jpg"))
            .part(thumbnail_field.clone(), part(EXE, "anh-nho.jpg"))
            .part(photo_field.clone(), part(PNG, "ban-chup.png"))
            .part(
                thumbnail_field.clone(),
                part(&[JPEG, &vec![0u8; 30 * 1024]].concat(), "anh-nho.jpg"),
            );
        let response = app
            .client
            .post(app.url(&format!("/ho-so-nhap/{token}/giay-to")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM draft_files").await, 4);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM draft_files WHERE thumbnail IS NOT NULL"
            )
            .await,
            1
        );
        // No file on disk for a thumbnail: it lives in its photo's row.
        assert_eq!(files_on_disk(&app).len(), 4);
        let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/giay-to")).await;
        use base64::Engine;
        let expected = format!(
            "src=\"data:image/jpeg;base64,{}\"",
            base64::engine::general_purpose::STANDARD.encode(&small_jpeg)
        );
        assert_eq!(page.matches("class=\"thumb\"").count(), 1);
        assert!(page.contains(&expected));
        assert_eq!(page.matches("class=\"thumb file-kind\"").count(), 3);
        assert_eq!(page.matches("<img ").count(), 1);
        // The check page names each file with its picture.
        let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/kiem-tra")).await;
        assert!(page.contains(&expected));
        for name in ["mat-truoc.jpg", "giay.pdf", "mat-sau.jpg", "ban-chup.png"] {
            assert!(page.contains(name), "{name}");
        }
        app.stop().await;
    }
);
