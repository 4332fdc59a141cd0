//! Staff sign-in over HTTP, on both back ends: sessions in the database, cookie flags, the
//! CSRF token on sign-out, and the lock-out after repeated failures.

mod common;

use app::domain::staff::{Role, StaffMember};
use common::TestApp;
use common::filing::{count, location};
use common::staff::{PASSWORD, csrf_of, session_cookie, sign_in};

async fn with_clerk(app: &TestApp) {
    common::staff::create_user(app, "lan.tiepnhan", Role::Clerk).await;
    let hash = app::password::hash(PASSWORD).unwrap();
    let member = StaffMember {
        username: "lan.tiepnhan".to_owned(),
        display_name: "Nguyễn Thị Lan".to_owned(),
        role: Role::Clerk,
    };
    assert!(
        !app.db
            .create_staff_user(&member, &hash, app::db::unix_now())
            .await
            .unwrap(),
        "taken"
    );
}

on_both_databases!(staff_sign_in_and_out, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    with_clerk(&app).await;

    // Without a session the staff pages send the browser to sign in.
    let response = app.get("/can-bo").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/can-bo/dang-nhap");

    let response = sign_in(&app, "lan.tiepnhan", "sai mật khẩu rồi").await;
    assert_eq!(response.status(), 401);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Sai tên đăng nhập hoặc mật khẩu.")
            && page.contains("value=\"lan.tiepnhan\"")
    );
    let unknown = sign_in(&app, "khong-co-ai", PASSWORD).await;
    assert_eq!(
        unknown.status(),
        401,
        "an unknown user reads like a wrong password"
    );

    let response = sign_in(&app, "Lan.TiepNhan", PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookie = session_cookie(&response);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 1);
    let page = app
        .client
        .get(app.url("/can-bo"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Cán bộ lan.tiepnhan") && page.contains("Tiếp nhận"));
    let csrf = csrf_of(&page);

    // Signing out needs the session's CSRF token.
    let forged = app
        .client
        .post(app.url("/can-bo/dang-xuat"))
        .header("cookie", &cookie)
        .form(&[("csrf", "0000")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 1);
    let response = app
        .client
        .post(app.url("/can-bo/dang-xuat"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 0);
    let response = app
        .client
        .get(app.url("/can-bo"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "the old cookie opens nothing");
    app.stop().await;
});

on_both_databases!(repeated_failures_lock_the_account, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    with_clerk(&app).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "lan.tiepnhan", "sai mật khẩu rồi")
                .await
                .status(),
            401
        );
    }
    let response = sign_in(&app, "lan.tiepnhan", PASSWORD).await;
    assert_eq!(
        response.status(),
        429,
        "locked even with the right password"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("thử lại sau 15 phút")
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 0);
    app.stop().await;
});

on_both_databases!(audit_entries_cannot_be_changed, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let (code, _) = common::filing::submitted_dossier(&app, "Đỗ Văn Hùng").await;
    let update =
        sqlx::query("UPDATE dossier_events SET public_note = 'sửa' WHERE dossier_code = $1")
            .bind(&code)
            .execute(app.db.pool())
            .await;
    assert!(update.is_err(), "an audit entry cannot be changed");
    let delete = sqlx::query("DELETE FROM dossier_events WHERE dossier_code = $1")
        .bind(&code)
        .execute(app.db.pool())
        .await;
    assert!(delete.is_err(), "nor removed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dossier_events").await, 1);
    app.stop().await;
});

on_both_databases!(
    the_queue_lists_filters_and_searches_dossiers,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        with_clerk(&app).await;
        let response = app.get("/can-bo/ho-so").await;
        assert_eq!(response.status(), 303, "staff only");
        let (first, _) = common::filing::submitted_dossier(&app, "Nguyễn Thị Lan").await;
        common::filing::submitted_dossier(&app, "Trần Văn Bình").await;
        common::filing::submitted_dossier(&app, "Lê Thị Hoa").await;
        app.db
            .change_status(
                &first,
                app::domain::lifecycle::Status::Accepted,
                "can-bo:test",
                "",
                None,
                app::db::unix_now(),
            )
            .await
            .unwrap();
        let cookie = session_cookie(&sign_in(&app, "lan.tiepnhan", PASSWORD).await);
        let page = |path: &'static str| {
            let (app, cookie) = (&app, cookie.clone());
            async move {
                let response = app
                    .client
                    .get(app.url(path))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "{path}");
                response.text().await.unwrap()
            }
        };
        let all = page("/can-bo/ho-so").await;
        assert!(all.contains("3 hồ sơ") && all.contains("Trần Văn Bình") && all.contains(&first));
        let submitted = page("/can-bo/ho-so?trang-thai=1").await;
        assert!(submitted.contains("2 hồ sơ") && !submitted.contains("Nguyễn Thị Lan"));
        let accepted = page("/can-bo/ho-so?trang-thai=2").await;
        assert!(accepted.contains("1 hồ sơ") && accepted.contains("Nguyễn Thị Lan"));
        let folded = page("/can-bo/ho-so?q=tran+van+binh").await;
        assert!(
            folded.contains("1 hồ sơ") && folded.contains("Trần Văn Bình"),
            "without diacritics"
        );
        let by_code = page("/can-bo/ho-so?q=-0001").await;
        assert!(by_code.contains("1 hồ sơ") && by_code.contains(&first));
        let nothing = page("/can-bo/ho-so?q=%25").await;
        assert!(
            nothing.contains("0 hồ sơ"),
            "LIKE wildcards are taken literally"
        );
        app.stop().await;
    }
);
