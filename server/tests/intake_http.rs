//! Counter intake over HTTP, on both back ends: one page from the procedure search to the
//! receipt, every problem at once naming its paper, a scan required for a paper marked scanned,
//! and the scans of a refused form kept for the clerk who sent them, and for nobody else.

mod common;

use app::domain::back_office::Role;
use common::TestApp;
use common::filing::{EXE, JPEG, ONE_CASE, PDF, count, files_on_disk, location};
use common::staff::{Staff, signed_in};
use sqlx::Row;

const INTAKE: &str = "/can-bo/tiep-nhan";
/// A procedure with several cases, each with its own papers.
const SEVERAL_CASES: &str = "1.004873";

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The papers of a case the law says must be handed in, and every paper's name.
async fn papers(app: &TestApp, procedure: &str, case: usize) -> (Vec<usize>, Vec<String>) {
    let procedure = app.db.procedure_by_code(procedure).await.unwrap().unwrap();
    let documents = &procedure.cases[case].documents;
    let required = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.required && !d.present_only)
        .map(|(i, _)| i)
        .collect();
    (required, documents.iter().map(|d| d.name.clone()).collect())
}

fn applicant() -> Vec<(String, String)> {
    fields(&[
        ("ho-ten", "Hà Văn Sáu"),
        ("dien-thoai", ""),
        ("cccd", "001203004567"),
        ("dia-chi", "Thôn Tây"),
    ])
}

/// The value of the hidden `name` field of a page.
fn hidden(page: &str, name: &str) -> Option<String> {
    let start = page.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(page[start..].split('"').next()?.to_owned())
}

on_both_databases!(
    a_counter_intake_is_accepted_at_once_and_prints_a_receipt,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let procedure = ONE_CASE;
        let (required, names) = papers(&app, procedure, 0).await;
        let page = clerk
            .get(&app, &format!("{INTAKE}?thu-tuc={procedure}"))
            .await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("name=\"nhan-0-0\"") && page.contains("name=\"quet-0-0\""));
        assert!(page.contains("enctype=\"multipart/form-data\""));

        let mut form = applicant();
        form.insert(0, ("thu-tuc".into(), procedure.into()));
        form[1].1 = String::new();
        // Nothing ticked and no name: every problem at once, each paper named in the summary.
        let response = clerk.post_multipart(&app, INTAKE, &form, &[]).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap().replace("<!>", "");
        assert!(page.contains("Vui lòng điền mục này") && page.contains("value=\"Thôn Tây\""));
        for index in &required {
            let line = format!(
                "{}: Giấy tờ này bắt buộc nhưng chưa đánh dấu",
                names[*index]
            );
            assert!(page.contains(&line), "{line}");
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers").await, 0);

        form[1].1 = "Hà Văn Sáu".into();
        for index in &required {
            form.push((format!("nhan-0-{index}"), "1".into()));
        }
        // Marked scanned, but no scan attached: the digitised share would lie.
        form.push((format!("so-hoa-0-{}", required[0]), "1".into()));
        let response = clerk.post_multipart(&app, INTAKE, &form, &[]).await;
        assert_eq!(response.status(), 422);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("chưa đính kèm tệp quét")
        );
        let specialist = signed_in(&app, "xu.ly", Role::Specialist).await;
        let refused = specialist.post_multipart(&app, INTAKE, &form, &[]).await;
        assert_eq!(refused.status(), 403);

        let scan = format!("quet-0-{}", required[0]);
        let response = clerk
            .post_multipart(&app, INTAKE, &form, &[(scan, "giay-chung-sinh.pdf", PDF)])
            .await;
        assert_eq!(response.status(), 303);
        let receipt = location(&response);
        assert!(receipt.starts_with("/can-bo/giay-hen?ma="), "{receipt}");
        let row = sqlx::query(
            "SELECT code, channel, status, applicant_phone, digitised, appointment_date \
             FROM dossiers",
        )
        .fetch_one(app.db.writer())
        .await
        .unwrap();
        let code: String = row.try_get("code").unwrap();
        assert_eq!(row.try_get::<i64, _>("channel").unwrap(), 1);
        assert_eq!(row.try_get::<i64, _>("status").unwrap(), 2);
        assert_eq!(row.try_get::<String, _>("applicant_phone").unwrap(), "");
        assert_eq!(
            row.try_get::<i64, _>("digitised").unwrap() == 1,
            required.len() == 1
        );
        assert!(
            row.try_get::<Option<String>, _>("appointment_date")
                .unwrap()
                .is_some()
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossier_paper_documents").await,
            required.len() as i64
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dossier_paper_documents WHERE scanned = 1"
            )
            .await,
            1
        );
        // The scan is the dossier's file, named after its paper, for staff to open.
        let file = sqlx::query("SELECT stored_name, document_name FROM dossier_files")
            .fetch_one(app.db.writer())
            .await
            .unwrap();
        assert_eq!(
            file.try_get::<String, _>("document_name").unwrap(),
            names[required[0]]
        );
        let stored: String = file.try_get("stored_name").unwrap();
        let opened = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}/tep/{stored}"))
            .await;
        assert_eq!(opened.status(), 200);
        assert_eq!(opened.bytes().await.unwrap().as_ref(), PDF);

        // The receipt prints with its QR code, as often as the counter needs.
        for _ in 0..3 {
            let page = clerk.get(&app, &receipt).await;
            assert_eq!(page.status(), 200);
            let page = page.text().await.unwrap();
            assert!(page.contains(&code) && page.contains("<svg"));
        }
        // Mẫu 01's fields: who received it, the statutory time, the sets, the signatures; each
        // paper once, the scanned one said so (not again as a file).
        let page = clerk.get(&app, &receipt).await.text().await.unwrap();
        let listed = page.replace("<!>", "");
        let scanned_line = format!("<li>{}: bản giấy, đã quét</li>", names[required[0]]);
        assert!(listed.contains(&scanned_line), "{scanned_line}");
        assert!(!listed.contains("1 tệp"));
        for expected in [
            "<dt>Người tiếp nhận</dt><dd>Cán bộ tiep.nhan</dd>",
            "<dt>Thời gian giải quyết theo quy định</dt><dd>1 ngày làm việc</dd>",
            "<dt>Số lượng hồ sơ</dt><dd>1 bộ</dd>",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
        ] {
            assert!(page.contains(expected), "{expected}");
        }
        app.stop().await;
    }
);

on_both_databases!(
    the_scans_of_a_refused_form_are_kept_for_the_clerk_who_sent_them,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let (required, names) = papers(&app, SEVERAL_CASES, 1).await;
        assert!(names.len() >= 2, "the case has two papers or more");
        let mut form = applicant();
        form.insert(0, ("thu-tuc".into(), SEVERAL_CASES.into()));
        form.push(("truong-hop".into(), "1".into()));
        let without_name: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == "ho-ten" {
                        String::new()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        // The name is missing, one file is not a scan at all, one scan is for another case.
        let response = clerk
            .post_multipart(
                &app,
                INTAKE,
                &without_name,
                &[
                    ("quet-1-0".into(), "trang-1.jpg", JPEG),
                    ("quet-1-1".into(), "chuong-trinh.exe", EXE),
                    ("quet-0-0".into(), "nham-truong-hop.pdf", PDF),
                ],
            )
            .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap().replace("<!>", "");
        assert!(page.contains("Vui lòng điền mục này"));
        assert!(page.contains("không phải ảnh JPG, PNG hay tệp PDF"));
        assert!(
            page.contains("Đã nhận tệp quét: trang-1.jpg"),
            "the good scan is kept"
        );
        let token = hidden(&page, "quet-giu").expect("the kept scans' holder");
        assert_eq!(
            files_on_disk(&app).len(),
            2,
            "both good files wait, the .exe is gone"
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers").await, 0);

        // Another clerk cannot see or use them.
        let other = signed_in(&app, "tiep.nhan2", Role::Clerk).await;
        let page = other
            .get(
                &app,
                &format!("{INTAKE}?thu-tuc={SEVERAL_CASES}&quet-giu={token}"),
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("trang-1.jpg") && hidden(&page, "quet-giu").is_none());

        // Sent again with the name, and the other papers ticked: the kept scan is the
        // dossier's; the other case's scan is removed.
        form.push(("quet-giu".into(), token.clone()));
        for index in required.iter().filter(|i| **i != 0) {
            form.push((format!("nhan-1-{index}"), "1".into()));
        }
        let response = clerk.post_multipart(&app, INTAKE, &form, &[]).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        let row =
            sqlx::query("SELECT document_index, document_name, original_name FROM dossier_files")
                .fetch_all(app.db.writer())
                .await
                .unwrap();
        assert_eq!(row.len(), 1);
        assert_eq!(row[0].try_get::<i64, _>("document_index").unwrap(), 0);
        assert_eq!(
            row[0].try_get::<String, _>("document_name").unwrap(),
            names[0]
        );
        assert_eq!(files_on_disk(&app).len(), 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM drafts").await, 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dossier_paper_documents WHERE document_index = 0 AND scanned = 1"
            )
            .await,
            1
        );
        // The same form again: the scans were taken, nothing is registered twice.
        let again = clerk.post_multipart(&app, INTAKE, &form, &[]).await;
        assert_ne!(again.status(), 303);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM dossiers").await, 1);
        app.stop().await;
    }
);

on_both_databases!(
    the_procedure_search_finds_as_the_clerk_types,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let found = |typed: &'static str| {
            let clerk: &Staff = &clerk;
            let app = &app;
            async move {
                let response = clerk
                    .get(app, &format!("{INTAKE}/tim?tim={}", urlencode(typed)))
                    .await;
                assert_eq!(response.status(), 200);
                response.json::<Vec<serde_json::Value>>().await.unwrap()
            }
        };
        for typed in ["khai sinh", "dang ky khai sinh"] {
            let answers = found(typed).await;
            assert!(!answers.is_empty() && answers.len() <= 8, "{typed}");
            let first = answers[0]["name"].as_str().unwrap().to_lowercase();
            assert!(first.contains("khai sinh"), "{typed}: {first}");
            assert!(answers[0]["code"].as_str().is_some());
        }
        assert!(found("   ").await.is_empty());
        // Not signed in: sent to sign in, nothing listed.
        let response = app.get(&format!("{INTAKE}/tim?tim=khai")).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/can-bo/dang-nhap");
        // With JavaScript off the page's own search lists the same procedures as links.
        let page = clerk
            .get(&app, &format!("{INTAKE}?tim=khai%20sinh"))
            .await
            .text()
            .await
            .unwrap();
        let first_code = found("khai sinh").await[0]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(page.contains(&format!("href=\"/can-bo/tiep-nhan?thu-tuc={first_code}\"")));
        app.stop().await;
    }
);

fn urlencode(text: &str) -> String {
    text.replace(' ', "%20")
}
