//! The forms of Circular 03/2025 over HTTP, on both back ends: papers 02–05 numbered per form
//! and year, printed for staff and for the dossier's own citizen only, as pages and PDFs; the
//! hand-overs of the control slip (Mẫu 06); the tracking book (Mẫu 07) and its spreadsheet.

mod common;

use app::domain::back_office::{Action, Role};
use app::domain::calendar::Date;
use app::domain::lifecycle::Status;
use common::TestApp;
use common::filing::{location, submitted_dossier};
use common::staff::{Staff, create_user, signed_in};
use sqlx::Row;

fn today() -> Date {
    Date::in_vietnam(app::db::unix_now())
}

async fn act(
    app: &TestApp,
    staff: &Staff,
    code: &str,
    action: Action,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let checks = common::staff::checks_for(action);
    let form: Vec<(&str, &str)> = form
        .iter()
        .copied()
        .chain(checks.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    staff
        .post(
            app,
            &format!("/can-bo/ho-so/{code}/{}", action.key()),
            &form,
        )
        .await
}

async fn operator_moves(app: &TestApp, code: &str, path: &[Status]) {
    for status in path {
        app.db
            .change_status(
                code,
                *status,
                "quan-tri:test",
                "",
                None,
                app::db::unix_now(),
            )
            .await
            .unwrap();
    }
}

/// The (event id, paper number) of the dossier's last event.
async fn last_paper(app: &TestApp, code: &str) -> (i64, Option<i64>) {
    let row = sqlx::query(
        "SELECT id, paper_number FROM dossier_events WHERE dossier_code = $1 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(code)
    .fetch_one(app.db.writer())
    .await
    .unwrap();
    (
        row.try_get("id").unwrap(),
        row.try_get("paper_number").unwrap(),
    )
}

async fn first_event(app: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT MIN(id) AS id FROM dossier_events WHERE dossier_code = $1")
        .bind(code)
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

fn paper_url(code: &str, key: &str, event: i64, pdf: bool) -> String {
    app::paths::citizen_paper(code, key, event, pdf)
}

/// Whether the answer is a one-page PDF, kept by no cache.
async fn is_pdf(response: reqwest::Response) -> bool {
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    headers["content-type"] == "application/pdf"
        && headers["cache-control"] == "private, no-store"
        && bytes.starts_with(b"%PDF-")
        && String::from_utf8_lossy(&bytes).contains("/Type/Pages/Count 1/")
}

on_both_databases!(
    papers_are_numbered_per_form_and_year_and_printed_for_their_dossier_only,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        let year = today().year;
        let deadline = today().add_days(7).iso();

        // Mẫu 02 at intake (1 → 5), and again later on another dossier: numbers 1 and 2.
        let (first, first_key) = submitted_dossier(&app, "Đỗ Văn Hùng").await;
        let response = act(
            &app,
            &admin,
            &first,
            Action::RequestSupplement,
            &[
                (
                    "giay-to-can",
                    "Tờ khai đăng ký khai sinh\nBản sao Giấy chứng nhận kết hôn",
                ),
                ("han-bo-sung", &deadline),
                ("ghi-chu", "Tờ khai chưa có chữ ký"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        let (supplement_event, number) = last_paper(&app, &first).await;
        assert_eq!(number, Some(1));
        let (second, _) = submitted_dossier(&app, "Mai Thị Hoa").await;
        operator_moves(&app, &second, &[Status::Accepted, Status::Processing]).await;
        act(
            &app,
            &admin,
            &second,
            Action::RequestSupplement,
            &[("giay-to-can", "Bản sao CCCD"), ("han-bo-sung", &deadline)],
        )
        .await;
        assert_eq!(last_paper(&app, &second).await.1, Some(2));

        // Mẫu 03, 04 and 05 each start their own sequence.
        let (refused, _) = submitted_dossier(&app, "Lý Văn Tư").await;
        act(
            &app,
            &admin,
            &refused,
            Action::Refuse,
            &[("ly-do", "Không thuộc thẩm quyền của xã")],
        )
        .await;
        assert_eq!(last_paper(&app, &refused).await.1, Some(1));
        let (stopped, stopped_key) = submitted_dossier(&app, "Hồ Thị Năm").await;
        operator_moves(&app, &stopped, &[Status::Accepted, Status::Processing]).await;
        let new_date = today().add_days(12).iso();
        let response = act(
            &app,
            &admin,
            &stopped,
            Action::Apologise,
            &[
                ("ngay-hen-moi", &new_date),
                ("loi-xin-loi", "Phải xác minh thêm ở xã khác"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        let (apology_event, number) = last_paper(&app, &stopped).await;
        assert_eq!(number, Some(1));
        act(
            &app,
            &admin,
            &stopped,
            Action::Stop,
            &[("ly-do", "Người nộp đề nghị dừng")],
        )
        .await;
        let (stop_event, number) = last_paper(&app, &stopped).await;
        assert_eq!(number, Some(1));
        // A status that issues no form gets no number.
        act(&app, &admin, &second, Action::StartProcessing, &[]).await;
        assert_eq!(last_paper(&app, &second).await.1, None);

        // Staff read and print each paper, with its number, its words and who signs it.
        let page = admin
            .get(
                &app,
                &format!("/can-bo/ho-so/{first}/phieu/{supplement_event}"),
            )
            .await
            .text()
            .await
            .unwrap();
        for expected in [
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            &format!("Số: 1/{year}"),
            "Mẫu số 02",
            "Tờ khai đăng ký khai sinh",
            "Bản sao Giấy chứng nhận kết hôn",
            "Tờ khai chưa có chữ ký",
            "NGƯỜI HƯỚNG DẪN",
            "Cán bộ lanh.dao",
            "Đỗ Văn Hùng",
            "0912345678",
            "sheet sheet-a5",
        ] {
            assert!(page.contains(expected), "{expected} in {page}");
        }
        let page = admin
            .get(
                &app,
                &format!("/can-bo/ho-so/{stopped}/phieu/{apology_event}"),
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
                && page.contains("1/PXL")
                && page.contains("Phải xác minh thêm ở xã khác")
                && page.contains(&Date::parse_iso(&new_date).unwrap().day_month_year())
        );
        let page = admin
            .get(&app, &format!("/can-bo/ho-so/{stopped}/phieu/{stop_event}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
                && page.contains("Người nộp đề nghị dừng")
        );
        let page = admin
            .get(&app, &format!("/can-bo/ho-so/{first}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("/can-bo/ho-so/{first}/phieu/{supplement_event}")));
        for path in [
            format!("/can-bo/ho-so/{first}/phieu/{supplement_event}/pdf"),
            format!("/can-bo/ho-so/{stopped}/phieu/{apology_event}/pdf"),
            format!("/can-bo/ho-so/{stopped}/phieu/{stop_event}/pdf"),
        ] {
            assert!(is_pdf(admin.get(&app, &path).await).await, "{path}");
        }
        // An event that issued no paper, and a paper of another dossier, are not found.
        let submitted_event = first_event(&app, &first).await;
        for path in [
            format!("/can-bo/ho-so/{first}/phieu/{submitted_event}"),
            format!("/can-bo/ho-so/{first}/phieu/{stop_event}"),
            format!("/can-bo/ho-so/{first}/phieu/{stop_event}/pdf"),
        ] {
            assert_eq!(admin.get(&app, &path).await.status(), 404, "{path}");
        }
        // Without a session, staff papers lead to sign-in.
        let response = app
            .get(&format!(
                "/can-bo/ho-so/{first}/phieu/{supplement_event}/pdf"
            ))
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/can-bo/dang-nhap");

        // The citizen finds the paper on the status page and opens it with the key; the phone
        // is masked as on the receipt.
        let (_, status) = app
            .get_text(&format!("/tra-cuu?ma={first}&khoa={first_key}"))
            .await;
        assert!(status.contains("Phiếu, giấy tờ của hồ sơ"));
        assert!(
            status.contains(&format!("/tra-cuu/phieu?ma={first}&amp;khoa="))
                && status.contains(&format!("&amp;so={supplement_event}\"")),
            "{status}"
        );
        let link = paper_url(&first, &first_key, supplement_event, false);
        let (code, page) = app.get_text(&link).await;
        assert_eq!(code, 200);
        assert!(page.contains("PHIẾU YÊU CẦU BỔ SUNG") && page.contains("Tờ khai chưa có chữ ký"));
        assert!(page.contains("09******78") && !page.contains("0912345678"));
        assert!(
            is_pdf(
                app.get(&paper_url(&first, &first_key, supplement_event, true))
                    .await
            )
            .await
        );
        // Another dossier's key, or this key with another dossier's paper, opens nothing.
        for url in [
            paper_url(&first, &stopped_key, supplement_event, false),
            paper_url(&first, &first_key, stop_event, false),
            paper_url(&stopped, &first_key, stop_event, false),
        ] {
            assert_eq!(app.get_text(&url).await.0, 404, "{url}");
        }
        for url in [
            paper_url(&first, &stopped_key, supplement_event, true),
            paper_url(&first, &first_key, stop_event, true),
        ] {
            assert_eq!(app.get(&url).await.status(), 404, "{url}");
        }

        // The receipt (Mẫu 01) as a one-page PDF: for the code and key, and for staff.
        let receipt = format!("?ma={first}&khoa={first_key}");
        assert!(is_pdf(app.get(&format!("/giay-hen.pdf{receipt}")).await).await);
        assert!(
            is_pdf(
                admin
                    .get(&app, &format!("/can-bo/giay-hen.pdf{receipt}"))
                    .await
            )
            .await
        );
        let wrong = format!("/giay-hen.pdf?ma={first}&khoa={stopped_key}");
        assert_eq!(app.get(&wrong).await.status(), 404);
        let response = app.get(&format!("/can-bo/giay-hen.pdf{receipt}")).await;
        assert_eq!(response.status(), 303, "staff's copy needs a session");
        app.stop().await;
    }
);

on_both_databases!(
    hand_overs_fill_the_control_slip_and_refuse_who_cannot_take_the_dossier,
    |backend| async move {
        // Tuesday 8 December 2026, 10:00 in Vietnam: in office hours, so the dossier accepted now
        // is due on a later day whatever the hour the test runs at (accepted at 00:30, it would
        // be due at 17:00 the same day, and every hand-over would be "on time", not "early").
        let tuesday_morning = 1_796_698_800;
        let app =
            TestApp::spawn_with_clock(backend, app::db::Clock::manual(tuesday_morning), |_| {})
                .await
                .unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let specialist = signed_in(&app, "xu.ly", Role::Specialist).await;
        create_user(&app, "nghi.viec", Role::Specialist).await;
        sqlx::query("UPDATE staff_users SET active = 0 WHERE username = 'nghi.viec'")
            .execute(app.db.writer())
            .await
            .unwrap();
        let (code, _) = submitted_dossier(&app, "Trịnh Văn Bảy").await;

        // Not accepted yet: nothing to hand on.
        let response = act(
            &app,
            &clerk,
            &code,
            Action::PassOn,
            &[("nguoi-nhan", "xu.ly")],
        )
        .await;
        assert_eq!(response.status(), 409);
        assert_eq!(
            act(&app, &clerk, &code, Action::Accept, &[]).await.status(),
            303
        );

        // To oneself, to nobody, to someone unknown or gone: refused, with the field named.
        for (receiver, status, message) in [
            ("tiep.nhan", 422, "Người này không nhận được hồ sơ"),
            ("", 422, "Chọn cán bộ nhận hồ sơ."),
            ("khong.co", 422, "Người này không nhận được hồ sơ"),
            ("nghi.viec", 422, "Người này không nhận được hồ sơ"),
        ] {
            let response = act(
                &app,
                &clerk,
                &code,
                Action::PassOn,
                &[("nguoi-nhan", receiver)],
            )
            .await;
            assert_eq!(response.status(), status, "{receiver}");
            let page = response.text().await.unwrap();
            assert!(page.contains(message), "{receiver}: {page}");
        }
        let response = act(
            &app,
            &clerk,
            &code,
            Action::PassOn,
            &[
                ("nguoi-nhan", "xu.ly"),
                ("ghi-chu", "Đủ giấy tờ, chuyển xử lý"),
            ],
        )
        .await;
        assert_eq!(response.status(), 303);
        act(&app, &specialist, &code, Action::StartProcessing, &[]).await;
        act(
            &app,
            &specialist,
            &code,
            Action::PassOn,
            &[("nguoi-nhan", "tiep.nhan")],
        )
        .await;

        let page = specialist
            .get(&app, &format!("/can-bo/ho-so/{code}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Đang giữ hồ sơ: Cán bộ tiep.nhan"), "{page}");
        let slip = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}/phieu-kiem-soat"))
            .await
            .text()
            .await
            .unwrap();
        assert!(slip.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"));
        // The applicant to the clerk, the clerk to the specialist, and back: three rows, each
        // early (the dossier is due days from now).
        assert_eq!(slip.matches("Trước hạn").count(), 3, "{slip}");
        assert!(
            slip.contains("Người nộp: Trịnh Văn Bảy") && slip.contains("Đủ giấy tờ, chuyển xử lý")
        );
        let response = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}/phieu-kiem-soat/pdf"))
            .await;
        assert!(is_pdf(response).await);
        app.stop().await;
    }
);

on_both_databases!(
    the_tracking_book_lists_received_dossiers_and_exports_them,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let (accepted, _) = submitted_dossier(&app, "Phan Văn Mười").await;
        act(&app, &clerk, &accepted, Action::Accept, &[]).await;
        let (waiting, _) = submitted_dossier(&app, "Cao Thị Một").await;
        let (refused, _) = submitted_dossier(&app, "Bùi Văn Hai").await;
        act(
            &app,
            &clerk,
            &refused,
            Action::Refuse,
            &[("ly-do", "Sai thủ tục")],
        )
        .await;

        let book = clerk
            .get(&app, "/can-bo/so-theo-doi")
            .await
            .text()
            .await
            .unwrap();
        assert!(book.contains("SỔ THEO DÕI HỒ SƠ") && book.contains("sheet-a4-landscape"));
        assert!(book.contains(&accepted) && book.contains("Phan Văn Mười"));
        assert!(
            !book.contains(&waiting) && !book.contains(&refused),
            "never received"
        );
        let other_procedure = clerk
            .get(&app, "/can-bo/so-theo-doi?thu-tuc=1.000000")
            .await
            .text()
            .await
            .unwrap();
        assert!(!other_procedure.contains(&accepted));
        let tomorrow = today().add_days(1).iso();
        let later = clerk
            .get(
                &app,
                &format!("/can-bo/so-theo-doi?tu={tomorrow}&den={tomorrow}"),
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(!later.contains(&accepted) && later.contains("Không có hồ sơ nào"));

        let response = clerk.get(&app, "/can-bo/so-theo-doi.xlsx").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = response.bytes().await.unwrap();
        let strings = common::xlsx::part(&bytes, "xl/sharedStrings.xml");
        for expected in [
            accepted.as_str(),
            "Phan Văn Mười",
            "Mã hồ sơ",
            "SỔ THEO DÕI HỒ SƠ",
        ] {
            assert!(strings.contains(expected), "{expected}");
        }
        assert!(!strings.contains(&waiting));
        let workbook = common::xlsx::part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("Sổ theo dõi hồ sơ"), "{workbook}");
        // The row number and the dates are numbers, not text.
        let sheet = common::xlsx::part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<c r=\"A7\" s=\"0\"><v>1</v></c>")
                || sheet.contains("<c r=\"A7\"><v>1</v></c>"),
            "{sheet}"
        );
        assert!(app.get("/can-bo/so-theo-doi.xlsx").await.status() == 303);
        let response = clerk.get(&app, "/can-bo/so-theo-doi.pdf").await;
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
        app.stop().await;
    }
);
