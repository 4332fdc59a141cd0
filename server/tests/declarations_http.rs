//! E-forms over HTTP, on both back ends: a grandparent registers a grandchild's birth without
//! uploading a declaration; the answers are checked, kept through the steps, printed for staff
//! and for the dossier's own citizen (identity number masked), and never for anyone else.

mod common;

use app::domain::back_office::Role;
use app::domain::calendar::Date;
use common::TestApp;
use common::filing::{PDF, location, post_form, start, upload};
use common::staff::signed_in;
use sqlx::Row;

const BIRTH: &str = "1.001193";

fn pairs(form: &[(&str, &str)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn query_value(url: &str, name: &str) -> String {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

on_both_databases!(
    a_grandparent_registers_a_birth_through_the_e_form,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let procedure = app.db.procedure_by_code(BIRTH).await.unwrap().unwrap();
        let on_time = procedure
            .cases
            .iter()
            .position(|case| case.name.contains("đúng hạn"))
            .expect("the birth procedure has its on-time case");
        let case = &procedure.cases[on_time];
        let declared_index = case
            .documents
            .iter()
            .position(|d| d.name.starts_with("Tờ khai đăng ký khai sinh"))
            .unwrap();
        let certificate = case
            .documents
            .iter()
            .position(|d| d.name.starts_with("Giấy chứng sinh"))
            .unwrap();

        let token = start(&app, BIRTH).await;
        let applicant = pairs(&[
            ("truong-hop", &on_time.to_string()),
            ("ho-ten", "Nguyễn Văn Bảy"),
            ("dien-thoai", "0912345678"),
            ("cccd", "001303004567"),
            ("dia-chi", "Thôn Đông, xã Tân Lập"),
        ]);
        let response = post_form(&app, &format!("/ho-so-nhap/{token}/nguoi-nop"), &applicant).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/ho-so-nhap/{token}/to-khai"));

        let (status, page) = app.get_text(&format!("/ho-so-nhap/{token}/to-khai")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Bước 2/4: Tờ khai"), "{page}");
        assert!(page.contains("Người được khai sinh") && page.contains("Nguyễn Văn Bảy"));

        // Bad answers: every one named, what was typed kept, nothing saved.
        let tomorrow = Date::in_vietnam(app::db::unix_now()).add_days(1).iso();
        let bad = pairs(&[
            ("quan-he", "Ông nội"),
            ("tre-ngay-sinh", &tomorrow),
            ("tre-gioi-tinh", "nam"),
            ("me-nam-sinh", "98"),
            ("me-ho-ten", "Trần Thị Lan"),
        ]);
        let response = post_form(&app, &format!("/ho-so-nhap/{token}/to-khai"), &bad).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        for message in [
            "Ngày này chưa tới",
            "Năm sinh cần đủ 4 chữ số",
            "Vui lòng điền mục này",
        ] {
            assert!(page.contains(message), "{message}");
        }
        assert!(page.contains("value=\"Trần Thị Lan\""));
        let saved = sqlx::query("SELECT declaration_json FROM drafts WHERE token = $1")
            .bind(&token)
            .fetch_one(app.db.writer())
            .await
            .unwrap()
            .try_get::<Option<String>, _>("declaration_json")
            .unwrap();
        assert_eq!(saved, None);

        let born = Date::in_vietnam(app::db::unix_now()).add_days(-10);
        let good = pairs(&[
            ("quan-he", "Ông nội"),
            ("tre-ho-ten", "Nguyễn Minh Khôi"),
            ("tre-ngay-sinh", &born.iso()),
            ("tre-gioi-tinh", "nam"),
            ("tre-dan-toc", "Kinh"),
            ("tre-quoc-tich", "Việt Nam"),
            ("tre-noi-sinh", "Trạm y tế xã Tân Lập"),
            ("tre-que-quan", "xã Tân Lập"),
            ("me-ho-ten", "Trần Thị Lan"),
            ("me-nam-sinh", "1998"),
            ("me-dan-toc", "Kinh"),
            ("me-quoc-tich", "Việt Nam"),
            ("me-noi-cu-tru", "Thôn Đông, xã Tân Lập"),
            ("so-ban-sao", "1"),
        ]);
        let response = post_form(&app, &format!("/ho-so-nhap/{token}/to-khai"), &good).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/ho-so-nhap/{token}/giay-to"));

        // The declaration is no upload; the identity paper neither.
        let (_, page) = app.get_text(&format!("/ho-so-nhap/{token}/giay-to")).await;
        assert!(page.contains("Đã khai ở bước Tờ khai"));
        assert!(page.contains("cán bộ tra cứu theo số căn cước"));
        assert!(!page.contains(&format!("name=\"giay-to-{declared_index}\"")));
        assert!(page.contains(&format!("name=\"giay-to-{certificate}\"")));
        let response = upload(
            &app,
            &token,
            &[(certificate, "giay-chung-sinh.pdf", PDF)],
            "tiep-tuc",
        )
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/ho-so-nhap/{token}/kiem-tra"));
        let (_, review) = app.get_text(&format!("/ho-so-nhap/{token}/kiem-tra")).await;
        assert!(review.contains("Nguyễn Minh Khôi") && review.contains(&born.day_month_year()));

        let response = post_form(
            &app,
            &format!("/ho-so-nhap/{token}/nop"),
            &pairs(&[("cam-doan", "1")]),
        )
        .await;
        assert_eq!(response.status(), 303);
        let receipt = location(&response);
        let (code, key) = (query_value(&receipt, "ma"), query_value(&receipt, "khoa"));
        let (_, receipt_page) = app.get_text(&receipt).await;
        let received = receipt_page.replace("<!>", "");
        assert!(
            received.contains("Tờ khai đăng ký khai sinh: khai trực tuyến"),
            "{received}"
        );

        // Staff see the filled declaration, as a page and a PDF; anonymous callers do not.
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let dossier = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(dossier.contains(&format!("/can-bo/ho-so/{code}/to-khai")));
        let sheet = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}/to-khai"))
            .await
            .text()
            .await
            .unwrap();
        for expected in [
            "TỜ KHAI ĐĂNG KÝ KHAI SINH",
            "Nguyễn Minh Khôi",
            "Quan hệ với người được khai sinh: Ông nội",
            "Giới tính: Nam",
            "Bằng chữ: Ngày",
            "001303004567",
            "Thông tư số 04/2024/TT-BTP",
        ] {
            assert!(sheet.contains(expected), "{expected}");
        }
        let pdf = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}/to-khai/pdf"))
            .await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
        let anonymous = app.get(&format!("/can-bo/ho-so/{code}/to-khai/pdf")).await;
        assert_ne!(anonymous.status(), 200);

        // The citizen's copy: the identity number masked; a wrong key shows nothing of it.
        let mine = app::paths::citizen_declaration(&code, &key, false);
        let (status, page) = app.get_text(&mine).await;
        assert_eq!(status, 200);
        assert!(page.contains("Nguyễn Minh Khôi") && page.contains("••••••••4567"));
        assert!(!page.contains("001303004567"));
        let pdf = app
            .get(&app::paths::citizen_declaration(&code, &key, true))
            .await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let wrong = app::paths::citizen_declaration(&code, "ABCD-EFGH", false);
        let (_, page) = app.get_text(&wrong).await;
        assert!(!page.contains("Nguyễn Minh Khôi"));
        let wrong_pdf = app
            .get(&app::paths::citizen_declaration(&code, "ABCD-EFGH", true))
            .await;
        assert_ne!(wrong_pdf.status(), 200);
        let (_, status_page) = app.get_text(&app::paths::status(&code, &key)).await;
        assert!(status_page.contains("Xem tờ khai bạn đã khai"));
        app.stop().await;
    }
);

on_both_databases!(
    submitting_without_the_declaration_asks_for_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        // Marital status: one case asks the e-form, one case (the general one) does not.
        let procedure = app.db.procedure_by_code("1.004873").await.unwrap().unwrap();
        let with_form = procedure
            .cases
            .iter()
            .position(|case| app::domain::declaration::declared_document(case).is_some())
            .unwrap();
        let token = start(&app, "1.004873").await;
        let applicant = |case: usize| {
            pairs(&[
                ("truong-hop", &case.to_string()),
                ("ho-ten", "Lê Thị Hoa"),
                ("dien-thoai", "0912345678"),
                ("cccd", "025308001234"),
                ("dia-chi", "xã Tân Lập"),
            ])
        };
        let response = post_form(
            &app,
            &format!("/ho-so-nhap/{token}/nguoi-nop"),
            &applicant(with_form),
        )
        .await;
        assert_eq!(location(&response), format!("/ho-so-nhap/{token}/to-khai"));
        // Submitting before the declaration is answered sends the citizen back to the list.
        let response = post_form(
            &app,
            &format!("/ho-so-nhap/{token}/nop"),
            &pairs(&[("cam-doan", "1")]),
        )
        .await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).contains("/giay-to?thieu=1"));
        let (_, page) = app
            .get_text(&format!("/ho-so-nhap/{token}/giay-to?thieu=1"))
            .await;
        assert!(page.contains("Vui lòng trả lời các câu hỏi của tờ khai"));
        app.stop().await;
    }
);
