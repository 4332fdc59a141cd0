//! Many commune centers in one installation (issue 21), on both back ends: a citizen picks a
//! commune by its own link and files with it; a dossier's code names its center; staff see
//! their own center's dossiers only, and every staff page and action on another center's dossier
//! is refused; the province's role reads every center, compares them and adds centers, and
//! changes no dossier.

mod common;

use app::domain::back_office::{Action, Role};
use app::domain::dossier::agency_of;
use common::TestApp;
use common::centers::{OTHER_AGENCY, OTHER_NAME, OTHER_SLUG, add_other_center};
use common::filing::{count, dossier_file_names, location, submitted_dossier};
use common::staff::{PASSWORD, Staff, signed_in_at};
use sqlx::Row;

/// What `visit` does as a citizen who opened the commune's link `slug` first (the cookie it
/// sets goes with every request of `app.client` meanwhile).
async fn as_citizen_of<T>(
    app: &mut TestApp,
    slug: &str,
    visit: impl AsyncFnOnce(&TestApp) -> T,
) -> T {
    let response = app.get(&format!("/xa/{slug}")).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    let set = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.starts_with(&format!("motcua_xa={slug};")), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let plain = app.client.clone();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    app.client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    let result = visit(app).await;
    app.client = plain;
    result
}

/// A dossier filed online by a citizen of the commune `slug`.
async fn filed_in(app: &mut TestApp, slug: &str, name: &str) -> (String, String) {
    as_citizen_of(app, slug, async |app| submitted_dossier(app, name).await).await
}

/// Whether the tracking book's spreadsheet, as `member` downloads it, has the dossier `code`.
async fn book_shows(app: &TestApp, member: &Staff, code: &str) -> bool {
    let book = member.get(app, "/can-bo/so-theo-doi.xlsx").await;
    let rows = common::xlsx::sheet_rows(&book.bytes().await.unwrap(), 1);
    rows.iter().flatten().any(|cell| cell.contains(code))
}

async fn status_of(app: &TestApp, code: &str) -> i64 {
    count(
        app,
        &format!("SELECT status AS n FROM dossiers WHERE code = '{code}'"),
    )
    .await
}

on_both_databases!(
    a_citizen_files_with_the_commune_whose_link_they_opened,
    |backend| async move {
        let mut app = TestApp::spawn(backend).await.unwrap();
        add_other_center(&app).await;
        let home = app.db.default_center().await.unwrap();

        // Without a choice, the default center receives; the commune's link picks another.
        let (own_code, _) = submitted_dossier(&app, "Nguyễn Văn Mặc Định").await;
        assert_eq!(agency_of(&own_code), home.agency);
        let (code, key) = filed_in(&mut app, OTHER_SLUG, "Trần Thị Bình").await;
        assert_eq!(agency_of(&code), OTHER_AGENCY, "{code}");

        // The status page and the receipt find it by code and key alone, with no cookie, and name
        // the center that received it.
        let (status, page) = app
            .get_text(&format!("/giay-hen?ma={code}&khoa={key}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains(OTHER_NAME), "the receipt names its center");
        let (status, _) = app
            .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
            .await;
        assert_eq!(status, 200);

        // The header names the picked commune and offers to change it; the picker finds a commune
        // typed without diacritics, and only the ones that match.
        let (_, picker) = app.get_text("/xa?q=binh%20an").await;
        assert!(picker.contains("href=\"/xa/xa-binh-an\""), "{picker}");
        assert!(!picker.contains(&format!("href=\"/xa/{}\"", home.slug)));
        let (_, none) = app.get_text("/xa?q=khong%20co%20xa%20nay").await;
        assert!(none.contains("role=\"status\""));
        let picked = app
            .client
            .get(app.url("/"))
            .header("cookie", format!("motcua_xa={OTHER_SLUG}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(picked.contains(OTHER_NAME) && picked.contains("href=\"/xa\""));
        assert!(
            picked.contains("Thôn 2, xã Bình An"),
            "the center's address on the home page"
        );

        // A link goes on to the page after the slug; nothing leads off the site; an unknown commune
        // is a 404 and a stale cookie falls back to the default center.
        let response = app.get("/xa/xa-binh-an/thu-tuc?q=khai%20sinh").await;
        assert_eq!(location(&response), "/thu-tuc?q=khai%20sinh");
        let response = app.get("/xa/xa-binh-an?q=khai%20sinh").await;
        assert_eq!(location(&response), "/?q=khai%20sinh");
        let response = app.get("/xa/xa-binh-an//evil.example").await;
        assert_eq!(location(&response), "/");
        assert_eq!(app.get("/xa/khong-co").await.status(), 404);
        let stale = app
            .client
            .get(app.url("/"))
            .header("cookie", "motcua_xa=khong-co")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 200);
        assert!(stale.text().await.unwrap().contains(&home.name));

        // The public statistics are of the picked commune, or of the whole province when asked.
        let (_, stats) = app.get_text("/thong-ke?trung-tam=tinh").await;
        assert!(stats.contains("Toàn tỉnh") && stats.contains(OTHER_NAME));
        app.stop().await;
    }
);

on_both_databases!(staff_reach_their_own_center_only, |backend| async move {
    let mut app = TestApp::spawn(backend).await.unwrap();
    add_other_center(&app).await;
    let home = app.db.default_center().await.unwrap().agency;
    let own_admin = signed_in_at(&app, "an.quantri", Role::Admin, Some(&home)).await;
    let own_clerk = signed_in_at(&app, "ba.tiepnhan", Role::Clerk, Some(&home)).await;
    let other_admin = signed_in_at(&app, "binh.quantri", Role::Admin, Some(OTHER_AGENCY)).await;
    let other_clerk = signed_in_at(&app, "binh.tiepnhan", Role::Clerk, Some(OTHER_AGENCY)).await;

    // Center A's dossier, accepted (so it is in A's book), then sent back for a paper (Mẫu 02),
    // with its files and its e-form.
    let (code, key) = submitted_dossier(&app, "Lê Thị Riêng Tư").await;
    let today = app::domain::calendar::Date::in_vietnam(app.db.now());
    let later = today.add_days(30).iso();
    let on = |action: &str| format!("/can-bo/ho-so/{code}/{action}");
    let checks = common::staff::every_check();
    let ticked: Vec<(&str, &str)> = checks
        .iter()
        .map(|(field, value)| (field.as_str(), value.as_str()))
        .collect();
    let accepted = own_clerk.post(&app, &on("tiep-nhan"), &ticked).await;
    let processing = own_admin.post(&app, &on("chuyen-xu-ly"), &[]).await;
    let supplement = [
        ("giay-to-can", "Bản sao CCCD"),
        ("han-bo-sung", later.as_str()),
    ];
    let requested = own_admin
        .post(&app, &on("yeu-cau-bo-sung"), &supplement)
        .await;
    for answer in [accepted, processing, requested] {
        assert_eq!(answer.status(), 303);
    }
    let (other_code, _) = filed_in(&mut app, OTHER_SLUG, "Phạm Văn Bình").await;
    // The to-do counts are each center's: B's one dossier waits for intake, A's none.
    let waiting = |counts: Vec<(app::domain::back_office::Todo, i64)>| counts[0].1;
    let reach_of = |agency: &str| app::domain::center::Reach::Center(agency.to_owned());
    let day = app::domain::lifecycle::Today::new(
        today,
        &app.db.calendar_covering("", today, 30).await.unwrap(),
    );
    assert_eq!(
        waiting(
            app.db
                .todo_counts(&reach_of(OTHER_AGENCY), day)
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        waiting(app.db.todo_counts(&reach_of(&home), day).await.unwrap()),
        0
    );
    let accepted = status_of(&app, &code).await;
    let file = dossier_file_names(&app, &code).await.remove(0);
    let event = count(
        &app,
        &format!("SELECT MAX(id) AS n FROM dossier_events WHERE dossier_code = '{code}'"),
    )
    .await;

    // Every staff page of A's dossier, as B's admin: not found, as if it did not exist.
    let pages = [
        format!("/can-bo/ho-so/{code}"),
        format!("/can-bo/ho-so/{code}/tep/{file}"),
        format!("/can-bo/ho-so/{code}/phieu/{event}"),
        format!("/can-bo/ho-so/{code}/phieu/{event}/pdf"),
        format!("/can-bo/ho-so/{code}/phieu-kiem-soat"),
        format!("/can-bo/ho-so/{code}/phieu-kiem-soat/pdf"),
        format!("/can-bo/ho-so/{code}/to-khai"),
        format!("/can-bo/ho-so/{code}/to-khai/pdf"),
        format!("/can-bo/giay-hen.pdf?ma={code}&khoa={key}"),
    ];
    for page in &pages {
        // The same page opens for A's admin: the refusal is the center's, not a broken page.
        let own = own_admin.get(&app, page).await.status();
        assert_eq!(own, 200, "{page} as A's admin");
        let other = other_admin.get(&app, page).await.status();
        assert_eq!(other, 404, "{page} as B's admin");
    }
    // Every action on it: refused, nothing changed.
    for action in Action::ON_A_DOSSIER {
        let form = [
            ("ly-do", "Thiếu giấy tờ"),
            ("ghi-chu", "Ghi chú"),
            ("giay-to-can", "Bản sao giấy khai sinh"),
            ("han-bo-sung", later.as_str()),
            ("so-tien", "50000"),
            ("cach-nop", "Nộp tại trung tâm"),
            ("so-ket-qua", "12/2025"),
            ("ngay-hen-moi", later.as_str()),
            ("loi-xin-loi", "Xin lỗi ông bà"),
            ("nguoi-nhan", "binh.tiepnhan"),
            ("nguoi-lay-ket-qua", "Lê Thị Riêng Tư"),
            ("cccd-nguoi-lay", "001303004567"),
            ("quan-he", "ban-than"),
        ];
        let path = format!("/can-bo/ho-so/{code}/{}", action.key());
        let answer = other_admin.post(&app, &path, &form).await.status();
        assert_eq!(answer, 404, "{action:?} as B's admin");
    }
    assert_eq!(
        status_of(&app, &code).await,
        accepted,
        "A's dossier unchanged"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM dossier_handovers WHERE dossier_code = '{code}'")
        )
        .await,
        0
    );

    // No listing, search, book, count or export of B shows A's dossier; A's show it.
    let name = "Lê Thị Riêng Tư";
    let listings = [
        "/can-bo/ho-so".to_owned(),
        format!("/can-bo/ho-so?q={code}"),
        "/can-bo/ho-so?q=le%20thi%20rieng".to_owned(),
        "/can-bo/ho-so?q=001303004567".to_owned(),
        "/can-bo/so-theo-doi".to_owned(),
    ];
    // (A search by the code shows the code typed: the dossier's link and its applicant are what
    // must not show.)
    let link = format!("/can-bo/ho-so/{code}\"");
    for listing in &listings {
        let own = own_admin.get(&app, listing).await.text().await.unwrap();
        assert!(own.contains(name), "{listing} shows A's dossier to A");
        let answer = other_admin.get(&app, listing).await;
        assert_eq!(answer.status(), 200, "{listing}");
        let body = answer.text().await.unwrap();
        assert!(
            !body.contains(&link) && !body.contains(name),
            "{listing} shows A's dossier to B"
        );
    }
    assert!(book_shows(&app, &own_admin, &code).await, "A's book");
    assert!(!book_shows(&app, &other_admin, &code).await, "B's book");
    // B's own dossier is in B's queue, not in A's.
    let other_queue = other_admin
        .get(&app, "/can-bo/ho-so")
        .await
        .text()
        .await
        .unwrap();
    assert!(other_queue.contains(&other_code));
    let own_queue = own_admin
        .get(&app, "/can-bo/ho-so")
        .await
        .text()
        .await
        .unwrap();
    assert!(!own_queue.contains(&other_code));

    // A message to A's citizen that was given up on: on A's list of failed messages only, and
    // only A's staff may send it again.
    sqlx::query(
        "INSERT INTO notification_messages (dossier_code, procedure_name, kind, notice_json, \
         channel, recipient, language, state, attempts, next_attempt_at, idempotency_key, \
         provider_answer, created_at) VALUES ($1, 'Thủ tục', 'accepted', '{}', 'email', \
         'lan@example.vn', 'vi', 'dead', 5, 0, 'khoa-thu', 'Hộp thư không tồn tại', 0)",
    )
    .bind(&code)
    .execute(app.db.writer())
    .await
    .unwrap();
    let id = count(&app, "SELECT MAX(id) AS n FROM notification_messages").await;
    let failed = own_admin.get(&app, "/can-bo/tin-nhan").await;
    assert!(failed.text().await.unwrap().contains(&link));
    let failed = other_admin.get(&app, "/can-bo/tin-nhan").await;
    assert!(!failed.text().await.unwrap().contains(&link));
    let resend = [("tin", id.to_string())];
    let resend: Vec<(&str, &str)> = resend.iter().map(|(k, v)| (*k, v.as_str())).collect();
    other_admin
        .post(&app, "/can-bo/tin-nhan/gui-lai", &resend)
        .await;
    let state = "SELECT COUNT(*) AS n FROM notification_messages WHERE state = 'dead'";
    assert_eq!(
        count(&app, state).await,
        1,
        "B cannot send A's message again"
    );
    own_clerk
        .post(&app, "/can-bo/tin-nhan/gui-lai", &resend)
        .await;
    assert_eq!(count(&app, state).await, 0, "A's clerk can");

    // Looking a dossier up: its own center's staff are not counted against the address's limit
    // of wrong keys, another center's staff are, as any visitor.
    let wrong = format!("/giay-hen?ma={code}&khoa=ZZZZ-ZZZZ");
    for _ in 0..40 {
        assert_eq!(own_admin.get(&app, &wrong).await.status(), 404);
    }
    let mut answers = Vec::new();
    for _ in 0..40 {
        answers.push(other_admin.get(&app, &wrong).await.status().as_u16());
    }
    assert_eq!(answers.first(), Some(&404));
    assert_eq!(answers.last(), Some(&429), "{answers:?}");

    // Accounts: B's admin sees and changes only B's staff.
    let settings = other_admin
        .get(&app, "/can-bo/quan-tri")
        .await
        .text()
        .await
        .unwrap();
    assert!(settings.contains("binh.tiepnhan") && !settings.contains("ba.tiepnhan"));
    let answer = other_admin
        .post(
            &app,
            "/can-bo/quan-tri/can-bo/ba.tiepnhan",
            &[("vai-tro", "quan-tri")],
        )
        .await;
    assert_eq!(answer.status(), 404);
    assert_eq!(
        count(
            &app,
            "SELECT active AS n FROM staff_users WHERE username = 'ba.tiepnhan'"
        )
        .await,
        1,
        "A's clerk still signs in"
    );
    // A dossier is handed only to a colleague of its own center.
    let accept = format!("/can-bo/ho-so/{other_code}/tiep-nhan");
    let checks = common::staff::every_check();
    let ticked: Vec<(&str, &str)> = checks
        .iter()
        .map(|(field, value)| (field.as_str(), value.as_str()))
        .collect();
    assert_eq!(other_clerk.post(&app, &accept, &ticked).await.status(), 303);
    let pass_on = format!("/can-bo/ho-so/{other_code}/chuyen-can-bo");
    let to = |receiver| [("nguoi-nhan", receiver)];
    let answer = other_clerk.post(&app, &pass_on, &to("ba.tiepnhan")).await;
    assert_eq!(answer.status(), 422, "to A's clerk");
    let answer = other_clerk.post(&app, &pass_on, &to("binh.quantri")).await;
    assert_eq!(answer.status(), 303, "to B's admin");
    // An account B's admin adds belongs to B.
    let answer = other_admin
        .post(
            &app,
            "/can-bo/quan-tri/can-bo",
            &[
                ("ten", "binh.xuly"),
                ("ho-ten", "Cán bộ xử lý Bình An"),
                ("vai-tro", "xu-ly"),
                ("mat-khau", PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status(), 303);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM staff_users WHERE username = 'binh.xuly' \
                 AND center = '{OTHER_AGENCY}'"
            )
        )
        .await,
        1
    );
    app.stop().await;
});

on_both_databases!(
    the_province_reads_every_center_and_changes_no_dossier,
    |backend| async move {
        let mut app = TestApp::spawn(backend).await.unwrap();
        add_other_center(&app).await;
        let province = signed_in_at(&app, "tinh.theodoi", Role::Province, None).await;
        let (code, _) = submitted_dossier(&app, "Đỗ Văn Mặc Định").await;
        let (other_code, _) = filed_in(&mut app, OTHER_SLUG, "Hồ Thị Bình").await;

        let queue = province
            .get(&app, "/can-bo/ho-so")
            .await
            .text()
            .await
            .unwrap();
        assert!(queue.contains(&code) && queue.contains(&other_code));
        assert_eq!(
            province
                .get(&app, &format!("/can-bo/ho-so/{code}"))
                .await
                .status(),
            200
        );
        let answer = province
            .post(&app, &format!("/can-bo/ho-so/{code}/tiep-nhan"), &[])
            .await;
        assert_eq!(answer.status(), 403);
        assert_eq!(status_of(&app, &code).await, 1);
        for page in ["/can-bo/tiep-nhan", "/can-bo/quan-tri", "/can-bo/mau-tin"] {
            assert_eq!(province.get(&app, page).await.status(), 403, "{page}");
        }

        // The comparison: both centers, ranked, and the province's total.
        let centers = province.get(&app, "/can-bo/trung-tam").await;
        assert_eq!(centers.status(), 200);
        let page = centers.text().await.unwrap();
        assert!(
            page.contains(OTHER_NAME)
                && page.contains("Toàn tỉnh")
                && page.contains("/xa/xa-binh-an")
        );
        // Each center's name opens its full report of the period; a year is chosen by the form.
        assert!(
            page.contains(&format!("trung-tam={OTHER_AGENCY}\"")),
            "a link to B's report"
        );
        let year = app::domain::calendar::Date::in_vietnam(app.db.now()).year;
        let page = province
            .get(&app, &format!("/can-bo/trung-tam?ky=nam&nam={year}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("01/01/{year} – 31/12/{year}")));
        let (status, report) = app
            .get_text(&format!(
                "/thong-ke?ky=nam&nam={year}&trung-tam={OTHER_AGENCY}"
            ))
            .await;
        assert_eq!(status, 200);
        assert!(report.contains(&format!("<strong>{OTHER_NAME}</strong>")));

        // Adding a center: every problem named, nothing lost; then added; a taken code refused.
        let bad = province
            .post(
                &app,
                "/can-bo/trung-tam",
                &[
                    ("ma-co-quan", "12.H56"),
                    ("ten", "Trung tâm Phục vụ hành chính công xã Đắk Sơn"),
                    ("dia-chi", ""),
                    ("gio-lam-viec", "7 giờ 30 – 17 giờ"),
                ],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let page = bad.text().await.unwrap();
        assert!(
            page.contains("value=\"12.H56\"")
                && page.contains("value=\"Trung tâm Phục vụ hành chính công xã Đắk Sơn\""),
            "values kept"
        );
        assert!(
            page.contains("Mã cơ quan phải có dạng") && page.contains("Vui lòng điền mục này."),
            "problems named"
        );
        let good = [
            ("ma-co-quan", "000.00.12.H56"),
            ("ten", "Trung tâm Phục vụ hành chính công xã Đắk Sơn"),
            ("dia-chi", "Thôn 1, xã Đắk Sơn"),
            ("gio-lam-viec", "7 giờ 30 – 17 giờ"),
            ("ngay-tiep-nhan", "1"),
            ("ngay-tiep-nhan", "6"),
        ];
        assert_eq!(
            province
                .post(&app, "/can-bo/trung-tam", &good)
                .await
                .status(),
            303
        );
        let added = app.db.center_by_slug("xa-dak-son").await.unwrap().unwrap();
        assert_eq!(
            (
                added.agency.as_str(),
                added.receiving_days.digits().as_str()
            ),
            ("000.00.12.H56", "16")
        );
        assert_eq!(app.get("/xa/xa-dak-son").await.status(), 303);
        assert_eq!(
            province
                .post(&app, "/can-bo/trung-tam", &good)
                .await
                .status(),
            422
        );
        // A center's admin cannot add one.
        let home = app.db.default_center().await.unwrap().agency;
        let admin = signed_in_at(&app, "an.quantri", Role::Admin, Some(&home)).await;
        assert_eq!(
            admin.post(&app, "/can-bo/trung-tam", &good).await.status(),
            403
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_center_has_its_own_days_on_the_national_calendar,
    |backend| async move {
        let mut app = TestApp::spawn(backend).await.unwrap();
        add_other_center(&app).await;
        let home = app.db.default_center().await.unwrap().agency;
        let province = signed_in_at(&app, "tinh.lich", Role::Province, None).await;
        let other_admin = signed_in_at(&app, "binh.quantri", Role::Admin, Some(OTHER_AGENCY)).await;
        // Two Wednesdays next year, ordinary working days for now.
        let year = app::domain::calendar::Date::in_vietnam(app.db.now()).year + 1;
        let (own_day, national_day) = (
            app::domain::calendar::Date::new(year, 6, 3),
            app::domain::calendar::Date::new(year, 6, 10),
        );
        let working = |agency: String, day| {
            let db = app.db.clone();
            async move {
                db.calendar_covering(&agency, day, 30)
                    .await
                    .unwrap()
                    .is_working_day(day)
            }
        };
        let day_off = |day: app::domain::calendar::Date, note: &'static str| {
            [
                ("ngay", day.iso()),
                ("ngay-nay", "nghi".to_owned()),
                ("ghi-chu-ngay", note.to_owned()),
                ("van-ban", "Quyết định 1/QĐ-UBND".to_owned()),
            ]
        };
        let posted = |member: &Staff, form: [(&'static str, String); 4]| {
            let form: Vec<(&str, String)> = form.to_vec();
            let request = app
                .client
                .post(app.url("/can-bo/quan-tri/ngay-nghi"))
                .header("cookie", &member.cookie)
                .form(&[form, vec![("csrf", member.csrf.clone())]].concat())
                .send();
            async move { request.await.unwrap() }
        };

        // B's administrator closes B on a day: B's own, A works.
        let answer = posted(&other_admin, day_off(own_day, "Lễ hội xã Bình An")).await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), format!("/can-bo/quan-tri?nam={year}"));
        assert!(!working(OTHER_AGENCY.to_owned(), own_day).await);
        assert!(working(home.clone(), own_day).await);
        let settings = other_admin
            .get(&app, &format!("/can-bo/quan-tri?nam={year}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(settings.contains("Lễ hội xã Bình An"));

        // The province enters a national day off: every center is closed.
        let answer = posted(&province, day_off(national_day, "Nghỉ toàn quốc")).await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), format!("/can-bo/trung-tam?nam={year}"));
        assert!(!working(OTHER_AGENCY.to_owned(), national_day).await);
        assert!(!working(home.clone(), national_day).await);
        let page = province
            .get(&app, &format!("/can-bo/trung-tam?nam={year}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Nghỉ toàn quốc") && !page.contains("Lễ hội xã Bình An"));

        // B's administrator removing the national day removes nothing national.
        let remove = [
            ("ngay", national_day.iso()),
            ("xoa", "1".to_owned()),
            ("ngay-nay", String::new()),
            ("ghi-chu-ngay", String::new()),
        ];
        assert_eq!(posted(&other_admin, remove).await.status(), 303);
        assert!(!working(home.clone(), national_day).await);

        // B closed for the next two weeks: a dossier filed there now is promised later than one
        // filed at A, its appointment counted on B's own calendar.
        let today = app::domain::calendar::Date::in_vietnam(app.db.now());
        for offset in 0..14 {
            let answer = posted(&other_admin, day_off(today.add_days(offset), "Sửa trụ sở")).await;
            assert_eq!(answer.status(), 303);
        }
        let (own_code, _) = submitted_dossier(&app, "Vũ Văn An").await;
        let (other_code, _) = filed_in(&mut app, OTHER_SLUG, "Vũ Thị Bình").await;
        let appointment = |code: String| {
            let db = app.db.clone();
            async move {
                sqlx::query("SELECT appointment_date FROM dossiers WHERE code = $1")
                    .bind(code)
                    .fetch_one(db.writer())
                    .await
                    .unwrap()
                    .try_get::<String, _>("appointment_date")
                    .unwrap()
            }
        };
        let (own, other) = (appointment(own_code).await, appointment(other_code).await);
        assert!(other > today.add_days(13).iso(), "{other}");
        assert!(own < other, "{own} at A, {other} at B");
        app.stop().await;
    }
);

on_both_databases!(
    a_center_says_which_procedures_it_does_not_receive,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        add_other_center(&app).await;
        let home = app.db.default_center().await.unwrap();
        let other_admin = signed_in_at(&app, "binh.quantri", Role::Admin, Some(OTHER_AGENCY)).await;
        let other_clerk =
            signed_in_at(&app, "binh.tiepnhan", Role::Clerk, Some(OTHER_AGENCY)).await;
        let own_admin = signed_in_at(&app, "an.quantri", Role::Admin, Some(&home.agency)).await;
        let procedure = common::filing::ONE_CASE;
        // A draft begun at B before B stops receiving the procedure.
        let mut app = app;
        let begun = as_citizen_of(&mut app, OTHER_SLUG, async |app| {
            common::filing::ready_draft(app, procedure, "Đinh Thị Bình").await
        })
        .await;
        let in_commune = |slug: &str, path: &str, post: bool| {
            let url = app.url(path);
            let request = if post {
                app.client.post(url)
            } else {
                app.client.get(url)
            };
            request.header("cookie", format!("motcua_xa={slug}")).send()
        };
        let start = format!("/thu-tuc/{procedure}/nop-truc-tuyen");
        let apply_link = format!("href=\"{start}\"");

        // B stops receiving it: B's citizens are told and cannot start it online; A's still can.
        let withhold = [("thu-tuc", procedure), ("nhan", "0")];
        let answer = other_admin
            .post(&app, "/can-bo/quan-tri/khong-nhan", &withhold)
            .await;
        assert_eq!(answer.status(), 303);
        let procedure_page = format!("/thu-tuc/{procedure}");
        let page = in_commune(OTHER_SLUG, &procedure_page, false)
            .await
            .unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("không nhận thủ tục này") && !page.contains(&apply_link));
        let before = count(&app, "SELECT COUNT(*) AS n FROM drafts").await;
        let refused = in_commune(OTHER_SLUG, &start, true).await.unwrap();
        assert_eq!(refused.status(), 422);
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("không nhận thủ tục này")
        );
        let after = count(&app, "SELECT COUNT(*) AS n FROM drafts").await;
        assert_eq!(after, before, "no draft started");
        // The draft begun before is not filed either: its review page says why.
        let declared = vec![("cam-doan".to_owned(), "1".to_owned())];
        let submit = format!("/ho-so-nhap/{begun}/nop");
        let refused = common::filing::post_form(&app, &submit, &declared).await;
        assert_eq!(refused.status(), 422);
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("không nhận thủ tục này")
        );
        let filed = count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM dossiers WHERE agency = '{OTHER_AGENCY}'"),
        )
        .await;
        assert_eq!(filed, 0);
        // A code of no center in the statistics' query is the whole province.
        let (_, stats) = app.get_text("/thong-ke?trung-tam=000.00.99.H99").await;
        assert!(stats.contains("<strong>Toàn tỉnh</strong>"));
        let started = in_commune(&home.slug, &start, true).await.unwrap();
        assert_eq!(started.status(), 303);
        let page = in_commune(&home.slug, &procedure_page, false)
            .await
            .unwrap();
        assert!(page.text().await.unwrap().contains(&apply_link));

        // B's counter does not offer it; B's settings list it, A's do not.
        let name = app
            .db
            .procedure_by_code(procedure)
            .await
            .unwrap()
            .unwrap()
            .name;
        let finder = format!("/can-bo/tiep-nhan/tim?tim={}", name.replace(' ', "%20"));
        let found = other_clerk.get(&app, &finder).await.text().await.unwrap();
        assert!(!found.contains(procedure), "{found}");
        let found = own_admin.get(&app, &finder).await.text().await.unwrap();
        assert!(found.contains(procedure), "{found}");
        let settings = other_admin
            .get(&app, "/can-bo/quan-tri")
            .await
            .text()
            .await
            .unwrap();
        assert!(settings.contains("Nhận lại"));
        let settings = own_admin
            .get(&app, "/can-bo/quan-tri")
            .await
            .text()
            .await
            .unwrap();
        assert!(!settings.contains("Nhận lại"));

        // A's admin cannot give it back to B; B's admin can; a clerk may not change it.
        let again = [("thu-tuc", procedure), ("nhan", "1")];
        own_admin
            .post(&app, "/can-bo/quan-tri/khong-nhan", &again)
            .await;
        assert!(!app.db.receives(OTHER_AGENCY, procedure).await.unwrap());
        other_admin
            .post(&app, "/can-bo/quan-tri/khong-nhan", &again)
            .await;
        assert!(app.db.receives(OTHER_AGENCY, procedure).await.unwrap());
        let started = in_commune(OTHER_SLUG, &start, true).await.unwrap();
        assert_eq!(started.status(), 303);
        let answer = other_clerk
            .post(&app, "/can-bo/quan-tri/khong-nhan", &withhold)
            .await;
        assert_eq!(answer.status(), 403);
        app.stop().await;
    }
);
