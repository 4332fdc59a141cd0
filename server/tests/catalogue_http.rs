//! The catalogue over HTTP, against the real router and a fresh database of each back end.

mod common;

use common::{TestApp, listed_names};

on_both_databases!(
    home_lists_popular_procedures_and_sectors,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (status, html) = app.get_text("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"vi\""), "{html}");
        assert!(html.contains("Thủ tục thường làm"));
        assert!(html.contains("Trung tâm Phục vụ hành chính công xã Thử Nghiệm"));
        assert!(
            html.contains("href=\"/thu-tuc/1.001193\""),
            "popular list links the birth registration"
        );
        assert!(
            html.contains("href=\"/thu-tuc?linh-vuc=H%E1%BB%99+t%E1%BB%8Bch\""),
            "sector link"
        );
        assert!(html.contains("<title>"));
        app.stop().await;
    }
);

on_both_databases!(search_folds_diacritics_and_case, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    for query in [
        "dang+ky+khai+sinh",
        "%C4%90%C4%82NG+K%C3%9D+KHAI+SINH",
        "khai+sinh",
    ] {
        let (status, html) = app.get_text(&format!("/thu-tuc?q={query}")).await;
        assert_eq!(status, 200);
        let names = listed_names(&html);
        assert_eq!(
            names.first().map(String::as_str),
            Some("Đăng ký khai sinh"),
            "{query}: {names:?}"
        );
    }
    app.stop().await;
});

on_both_databases!(name_matches_rank_above_body_matches, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let (_, html) = app.get_text("/thu-tuc?q=khai+tu").await;
    let names = listed_names(&html);
    assert_eq!(
        names.first().map(String::as_str),
        Some("Đăng ký khai tử"),
        "{names:?}"
    );
    // Every procedure with the words in its name comes before every one with them elsewhere.
    let in_name: Vec<bool> = names
        .iter()
        .map(|n| n.to_lowercase().contains("khai tử"))
        .collect();
    assert!(in_name.windows(2).all(|w| w[0] >= w[1]), "{names:?}");
    app.stop().await;
});

on_both_databases!(filters_and_pagination, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let (_, html) = app
        .get_text("/thu-tuc?linh-vuc=Ch%E1%BB%A9ng+th%E1%BB%B1c")
        .await;
    let names = listed_names(&html);
    assert!(!names.is_empty());
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("Chứng thực") || n.starts_with("Cấp bản sao")),
        "{names:?}"
    );

    let (_, html) = app.get_text("/thu-tuc?muc-do=toan-trinh").await;
    assert!(listed_names(&html).contains(&"Đăng ký khai sinh".to_owned()));
    assert!(
        !listed_names(&html)
            .iter()
            .any(|n| n.starts_with("Chứng thực chữ ký"))
    );

    let total = app.db.procedure_count().await.unwrap() as usize;
    assert!(total > 20, "demo data has more than one page");
    let (_, first) = app.get_text("/thu-tuc").await;
    let (_, second) = app.get_text("/thu-tuc?trang=2").await;
    let (first, second) = (listed_names(&first), listed_names(&second));
    assert_eq!(first.len(), 20);
    assert_eq!(first.len() + second.len(), total);
    assert!(first.iter().all(|n| !second.contains(n)));
    app.stop().await;
});

on_both_databases!(
    detail_page_shows_documents_fees_and_apply_button,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (status, html) = app.get_text("/thu-tuc/1.001193").await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>Đăng ký khai sinh</h1>"));
        assert!(html.contains("Giấy tờ cần có"));
        assert!(html.contains("bản chính"));
        assert!(html.contains("Phí, lệ phí"));
        assert!(
            html.contains("href=\"/thu-tuc/1.001193/nop-truc-tuyen\""),
            "online-capable: apply button"
        );

        let (status, html) = app.get_text("/thu-tuc/2.000815").await;
        assert_eq!(status, 200);
        assert!(html.contains("đồng"), "certified copy has a fee in đồng");
        assert!(
            !html.contains("/nop-truc-tuyen\""),
            "counter-only: no apply button"
        );
        app.stop().await;
    }
);

on_both_databases!(unknown_pages_are_404, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    for path in [
        "/thu-tuc/9.999999",
        "/khong-co-trang-nay",
        "/thu-tuc/9.999999/nop-truc-tuyen",
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Không tìm thấy trang"), "{path}");
    }
    app.stop().await;
});

on_both_databases!(english_is_one_click_away, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let response = app.get("/ngon-ngu/en?tiep=/thu-tuc%3Fq%3Dkhai+sinh").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/thu-tuc?q=khai sinh");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("motcua_lang=en;"), "{cookie}");

    let html = app
        .client
        .get(app.url("/thu-tuc?q=khai+sinh"))
        .header("cookie", "motcua_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Procedure catalogue"));

    let response = app.get("/ngon-ngu/en?tiep=//evil.example").await;
    assert_eq!(response.headers()["location"], "/");
    app.stop().await;
});

on_both_databases!(
    pages_are_compressed_and_health_answers,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let response = app
            .client
            .get(app.url("/thu-tuc"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], "br");
        let (status, body) = app.get_text("/healthz").await;
        assert_eq!((status, body.as_str()), (200, "ok"));
        app.stop().await;
    }
);

on_both_databases!(catalogue_json_api_answers, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let response = app
        .client
        .post(app.url("/api/procedure"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body("code=1.001193")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let json: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(json["name"], "Đăng ký khai sinh");
    assert_eq!(json["received_here"], true);
    app.stop().await;
});

on_both_databases!(
    a_package_as_the_portal_sends_it_is_imported_and_what_is_not_in_force_is_hidden,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let fixture = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../app/tests/fixtures/lay-thu-tuc.json");
        let report = server::import::import_file(&app.db, &fixture)
            .await
            .unwrap();
        assert_eq!(report.inserted, ["1.000001"]);
        assert_eq!(report.updated, ["1.001193"]);

        let (status, page) = app.get_text("/thu-tuc/1.001193").await;
        assert_eq!(status, 200);
        for shown in [
            "Ủy ban nhân dân cấp xã",
            "To khai dang ky khai sinh (TT 04-2024-TT-BTP).docx",
            "Giấy khai sinh",
        ] {
            assert!(page.contains(shown), "{shown}");
        }
        // The form template keeps its link.
        let birth = app.db.procedure_by_code("1.001193").await.unwrap().unwrap();
        assert_eq!(
            birth.cases[0].documents[0].forms[0].url,
            "https://csdl.dichvucong.gov.vn/web/jsp/download_file.jsp?ma=to-khai-khai-sinh"
        );

        // Not in force: not listed, not found, not fileable; kept for its dossiers.
        let (_, listed) = app.get_text("/thu-tuc?q=khai+sinh+luu+dong+cu").await;
        assert!(
            !listed_names(&listed).contains(&"Thủ tục đăng ký khai sinh lưu động cũ".to_owned()),
            "{:?}",
            listed_names(&listed)
        );
        assert_eq!(app.get("/thu-tuc/1.000001").await.status(), 404);
        let start = common::filing::post_form(&app, "/thu-tuc/1.000001/nop-truc-tuyen", &[]).await;
        assert_eq!(start.status(), 404);
        let kept = app.db.procedure_by_code("1.000001").await.unwrap().unwrap();
        assert!(!kept.in_force);
        app.stop().await;
    }
);
