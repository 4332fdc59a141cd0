//! Staff sign-in over HTTP, on both back ends: sessions in the database, cookie flags, the
//! CSRF token on sign-out, the lock-out after repeated failures, parallel guesses, and a
//! guesser who cannot lock out the real user.

mod common;

use app::domain::back_office::{Role, StaffMember};
use common::TestApp;
use common::filing::{count, location};
use common::staff::{PASSWORD, csrf_of, result_count, session_cookie, sign_in};

async fn with_clerk(app: &TestApp) {
    common::staff::create_user(app, "lan.tiepnhan", Role::Clerk).await;
    let hash = app::password::hash(PASSWORD).unwrap();
    let member = StaffMember {
        username: "lan.tiepnhan".to_owned(),
        display_name: "Nguyễn Thị Lan".to_owned(),
        role: Role::Clerk,
        center: None,
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
            .execute(app.db.writer())
            .await;
    assert!(update.is_err(), "an audit entry cannot be changed");
    let delete = sqlx::query("DELETE FROM dossier_events WHERE dossier_code = $1")
        .bind(&code)
        .execute(app.db.writer())
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
        assert!(result_count(&all) == 3 && all.contains("Trần Văn Bình") && all.contains(&first));
        let submitted = page("/can-bo/ho-so?trang-thai=1").await;
        assert!(result_count(&submitted) == 2 && !submitted.contains("Nguyễn Thị Lan"));
        let accepted = page("/can-bo/ho-so?trang-thai=2").await;
        assert!(result_count(&accepted) == 1 && accepted.contains("Nguyễn Thị Lan"));
        let folded = page("/can-bo/ho-so?q=tran+van+binh").await;
        assert!(
            result_count(&folded) == 1 && folded.contains("Trần Văn Bình"),
            "without diacritics"
        );
        let by_code = page("/can-bo/ho-so?q=-0001").await;
        assert!(result_count(&by_code) == 1 && by_code.contains(&first));
        let nothing = page("/can-bo/ho-so?q=%25").await;
        assert!(
            result_count(&nothing) == 0,
            "LIKE wildcards are taken literally"
        );
        app.stop().await;
    }
);

on_both_databases!(
    parallel_guesses_get_no_more_checks_than_the_budget,
    |backend| async move {
        let app = std::sync::Arc::new(TestApp::spawn(backend).await.unwrap());
        with_clerk(&app).await;
        let guesses: Vec<_> = (0..40)
            .map(|n| {
                let app = app.clone();
                tokio::spawn(async move {
                    sign_in(&app, "lan.tiepnhan", &format!("đoán lần thứ {n}"))
                        .await
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut answers = Vec::new();
        for guess in guesses {
            answers.push(guess.await.unwrap());
        }
        let checked = answers.iter().filter(|&&status| status == 401).count();
        let refused = answers.iter().filter(|&&status| status == 429).count();
        eprintln!("40 parallel wrong passwords: {checked} checked, {refused} refused");
        assert_eq!((checked, refused), (5, 35), "{answers:?}");
        std::sync::Arc::into_inner(app).unwrap().stop().await;
    }
);

/// Wrong passwords for `usernames`, all sent at once.
async fn guess_at_once(app: &TestApp, usernames: Vec<String>) {
    let guesses: Vec<_> = usernames
        .into_iter()
        .map(|username| {
            let request = app
                .client
                .post(app.url("/can-bo/dang-nhap"))
                .form(&[("ten", username.as_str()), ("mat-khau", "đoán mò")]);
            tokio::spawn(request.send())
        })
        .collect();
    for guess in guesses {
        assert!(matches!(
            guess.await.unwrap().unwrap().status().as_u16(),
            401 | 429
        ));
    }
}

/// Signs in with the cookies a browser holds for the sign-in address.
async fn sign_in_on(app: &TestApp, device: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/can-bo/dang-nhap"))
        .header("cookie", device)
        .form(&[("ten", "lan.tiepnhan"), ("mat-khau", password)])
        .send()
        .await
        .unwrap()
}

on_both_databases!(
    a_guesser_cannot_lock_the_real_user_out_of_their_own_device,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        with_clerk(&app).await;
        // The clerk signed in at her desk once: the browser keeps a device cookie, scoped to
        // the sign-in address.
        let first = sign_in(&app, "lan.tiepnhan", PASSWORD).await;
        assert_eq!(first.status(), 303);
        let device = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap())
            .find(|value| value.starts_with("motcua_thiet_bi="))
            .expect("a device cookie")
            .to_owned();
        assert!(
            device.contains("Path=/can-bo/dang-nhap")
                && device.contains("HttpOnly")
                && device.contains("SameSite=Strict"),
            "{device}"
        );
        let device = device.split(';').next().unwrap().to_owned();

        // Someone elsewhere guesses her password, and then other accounts', from one address.
        guess_at_once(&app, vec!["lan.tiepnhan".to_owned(); 8]).await;
        guess_at_once(&app, (0..30).map(|n| format!("nguoi-khac-{n}")).collect()).await;
        assert_eq!(sign_in(&app, "lan.tiepnhan", PASSWORD).await.status(), 429);
        assert_eq!(
            sign_in(&app, "ai-do", PASSWORD).await.status(),
            429,
            "the address is over its budget"
        );

        // At her own desk she still gets in, with a budget of her own for typos.
        assert_eq!(sign_in_on(&app, &device, "gõ nhầm").await.status(), 401);
        let response = sign_in_on(&app, &device, PASSWORD).await;
        assert_eq!(response.status(), 303, "the real user is not locked out");
        assert!(session_cookie(&response).starts_with("motcua_can_bo="));
        // The device cookie is hers only: another username on it has no device budget.
        let other = app
            .client
            .post(app.url("/can-bo/dang-nhap"))
            .header("cookie", &device)
            .form(&[("ten", "ai-do"), ("mat-khau", "đoán mò")])
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 429);
        // Right passwords are no guesses: many sign-ins at her desk never lock her out.
        for _ in 0..15 {
            assert_eq!(sign_in_on(&app, &device, PASSWORD).await.status(), 303);
        }
        app.stop().await;
    }
);

on_both_databases!(
    another_site_cannot_sign_a_visitor_in,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        with_clerk(&app).await;
        let post_from = |origin: &str| {
            app.client
                .post(app.url("/can-bo/dang-nhap"))
                .header("origin", origin.to_owned())
                .form(&[("ten", "lan.tiepnhan"), ("mat-khau", PASSWORD)])
                .send()
        };
        // Login CSRF: a form on another site posting the attacker's own credentials.
        for origin in ["https://ke-gian.example", "null"] {
            let response = post_from(origin).await.unwrap();
            assert_eq!(response.status(), 403, "{origin}");
            assert!(!response.headers().contains_key("set-cookie"), "{origin}");
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 0);
        let own = format!("http://{}", app.addr);
        assert_eq!(post_from(&own).await.unwrap().status(), 303);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM staff_sessions").await, 1);
        app.stop().await;
    }
);
