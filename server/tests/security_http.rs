//! What every response says about its own safety (headers, cookie flags), and a crawl of the
//! staff pages: every address a signed-in admin can reach is refused to an anonymous visitor.

mod common;

use std::collections::{BTreeSet, VecDeque};

use app::domain::back_office::Role;
use common::TestApp;
use common::filing::{location, submitted_dossier};
use common::staff::{PASSWORD, create_user, sign_in, signed_in};

/// The values of `attribute="…"` in a page, for attributes like `href` and `action`.
fn attribute_values(page: &str, attribute: &str) -> Vec<String> {
    let marker = format!("{attribute}=\"");
    page.split(&marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|value| value.replace("&amp;", "&"))
        .collect()
}

/// The `action` of each `<form>` in a page, with whether it posts.
fn form_actions(page: &str) -> Vec<(bool, String)> {
    page.split("<form")
        .skip(1)
        .filter_map(|rest| {
            let tag = rest.split('>').next()?;
            let posts = tag.contains("method=\"post\"");
            let action = attribute_values(tag, "action").into_iter().next()?;
            Some((posts, action))
        })
        .collect()
}

/// The opening `<script …>` tags of a page.
fn script_tags(page: &str) -> Vec<String> {
    page.split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or("").to_owned())
        .collect()
}

/// The nonce a content policy lets scripts run with, if any.
fn script_nonce(policy: &str) -> Option<String> {
    let rest = policy.split("'nonce-").nth(1)?;
    Some(rest.split('\'').next()?.to_owned())
}

fn same_site_staff_path(value: &str) -> Option<String> {
    let path = value.split('#').next()?;
    (path.starts_with("/can-bo") && path != "/can-bo/dang-nhap").then(|| path.to_owned())
}

on_both_databases!(responses_carry_their_safety_headers, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let (code, key) = submitted_dossier(&app, "Mai Thị Hương").await;
    for path in [
        "/".to_owned(),
        "/thu-tuc".to_owned(),
        "/thu-tuc/2.000635".to_owned(),
        format!("/tra-cuu?ma={code}&khoa={key}"),
        "/thong-ke".to_owned(),
        "/thong-ke.csv".to_owned(),
        "/can-bo/dang-nhap".to_owned(),
        "/khong-co-trang-nay".to_owned(),
    ] {
        let response = app.get(&path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let policy = headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("script-src"), "{path}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert!(!policy.contains("'unsafe-eval'"), "{path}: {policy}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        let is_html = headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html");
        let page = response.text().await.unwrap();
        let scripts = script_tags(&page);
        match script_nonce(&policy) {
            Some(nonce) => {
                assert!(is_html, "{path}: a nonce for a {policy}");
                for tag in &scripts {
                    assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: {tag}");
                }
            }
            None => {
                assert!(policy.contains("script-src 'none'"), "{path}: {policy}");
                assert!(scripts.is_empty(), "{path}: scripts without a nonce");
            }
        }
    }
    // The procedure page has a script (its checklist's): it runs because it carries the nonce,
    // and each response has its own.
    let page_with_script = |response: reqwest::Response| async move {
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        (
            script_nonce(&policy).unwrap(),
            response.text().await.unwrap(),
        )
    };
    let (first, page) = page_with_script(app.get("/thu-tuc/2.000635").await).await;
    assert!(!script_tags(&page).is_empty());
    let (second, _) = page_with_script(app.get("/thu-tuc/2.000635").await).await;
    assert_ne!(first, second);
    assert!(first.len() >= 16);
    let receipt = app.get(&format!("/giay-hen?ma={code}&khoa={key}")).await;
    assert_eq!(
        receipt.headers()["referrer-policy"],
        "no-referrer",
        "the key stays out of referrers"
    );
    app.stop().await;
});

on_both_databases!(
    every_staff_address_is_closed_to_anonymous_visitors,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        submitted_dossier(&app, "Mai Thị Hương").await;
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        // The admin's crawl: every staff link and form reachable from /can-bo.
        let mut pages: VecDeque<String> = VecDeque::from(["/can-bo".to_owned()]);
        let mut seen = BTreeSet::new();
        let mut forms = BTreeSet::new();
        while let Some(path) = pages.pop_front() {
            if !seen.insert(path.clone()) || seen.len() > 200 {
                continue;
            }
            let response = admin.get(&app, &path).await;
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            let cache = response.headers()["cache-control"].to_str().unwrap();
            assert!(cache.contains("no-store"), "{path} may be stored: {cache}");
            let is_html = response
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
            if !is_html {
                continue;
            }
            let page = response.text().await.unwrap();
            for link in attribute_values(&page, "href") {
                if let Some(link) = same_site_staff_path(&link) {
                    pages.push_back(link);
                }
            }
            for (posts, action) in form_actions(&page) {
                if let Some(action) = same_site_staff_path(&action) {
                    if posts {
                        forms.insert(action);
                    } else {
                        pages.push_back(action);
                    }
                }
            }
        }
        // The crawl found the pages and forms that matter.
        for expected in ["/can-bo/ho-so", "/can-bo/tiep-nhan", "/can-bo/quan-tri"] {
            assert!(
                seen.iter().any(|p| p.starts_with(expected)),
                "{expected} in {seen:?}"
            );
        }
        assert!(
            seen.iter().any(|p| p.contains("/tep/")),
            "a dossier file: {seen:?}"
        );
        assert!(forms.iter().any(|f| f.ends_with("/tiep-nhan")), "{forms:?}");
        assert!(forms.len() >= 6, "{forms:?}");

        let refused = |status: u16, target: &str| {
            matches!(status, 401 | 403) || (status == 303 && target == "/can-bo/dang-nhap")
        };
        for path in &seen {
            let response = app.get(path).await;
            let status = response.status().as_u16();
            assert!(
                refused(status, &location(&response)),
                "GET {path}: {status}"
            );
        }
        let dossiers_before = common::filing::count(&app, "SELECT COUNT(*) FROM dossiers").await;
        let events_before =
            common::filing::count(&app, "SELECT COUNT(*) FROM dossier_events").await;
        for action in &forms {
            let response = app
                .client
                .post(app.url(action))
                .form(&[
                    ("csrf", admin.csrf.as_str()),
                    ("ly-do", "x"),
                    ("ten", "ke.xau"),
                    ("mat-khau", "mot mat khau dai"),
                ])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert!(
                refused(status, &location(&response)),
                "POST {action}: {status}"
            );
        }
        assert_eq!(
            common::filing::count(&app, "SELECT COUNT(*) FROM dossiers").await,
            dossiers_before
        );
        assert_eq!(
            common::filing::count(&app, "SELECT COUNT(*) FROM dossier_events").await,
            events_before
        );
        assert_eq!(
            common::filing::count(&app, "SELECT COUNT(*) FROM staff_users").await,
            1
        );
        app.stop().await;
    }
);

on_both_databases!(
    cookies_are_closed_to_scripts_and_other_sites,
    |backend| async move {
        // Behind HTTPS (MOTCUA_SECURE_COOKIES=true) every cookie is also Secure.
        for secure in [false, true] {
            let app = TestApp::spawn_with(backend, |config| config.secure_cookies = secure)
                .await
                .unwrap();
            create_user(&app, "lanh.dao", Role::Admin).await;
            let session = sign_in(&app, "lanh.dao", PASSWORD).await;
            let language = app.get("/ngon-ngu/en?tiep=/thu-tuc").await;
            // Sign-in sets the session (Lax, for /can-bo) and the device (Strict, for the
            // sign-in page only); the language switch sets the language for the whole site.
            let expected = [
                ("motcua_can_bo=", "SameSite=Lax", "Path=/can-bo;"),
                (
                    "motcua_thiet_bi=",
                    "SameSite=Strict",
                    "Path=/can-bo/dang-nhap;",
                ),
                ("motcua_lang=", "SameSite=Lax", "Path=/;"),
            ];
            let mut seen = 0;
            for response in [&session, &language] {
                for cookie in response.headers().get_all("set-cookie") {
                    let cookie = format!("{};", cookie.to_str().unwrap());
                    let (_, same_site, path) = expected
                        .iter()
                        .find(|(name, _, _)| cookie.starts_with(name))
                        .unwrap_or_else(|| panic!("an unexpected cookie: {cookie}"));
                    assert!(cookie.contains("HttpOnly"), "{cookie}");
                    assert!(
                        cookie.contains(same_site) && cookie.contains(path),
                        "{cookie}"
                    );
                    assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
                    seen += 1;
                }
            }
            assert_eq!(seen, expected.len());
            app.stop().await;
        }
    }
);

on_both_databases!(
    pages_with_personal_data_are_never_stored,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Mai Thị Hương").await;
        let draft = common::filing::start(&app, common::filing::ONE_CASE).await;
        let cache = |response: &reqwest::Response| {
            response
                .headers()
                .get("cache-control")
                .map(|value| value.to_str().unwrap().to_owned())
        };
        for path in [
            format!("/ho-so-nhap/{draft}/nguoi-nop"),
            format!("/ho-so-nhap/{draft}/giay-to"),
            format!("/giay-hen?ma={code}&khoa={key}"),
            format!("/tra-cuu?ma={code}&khoa={key}"),
            "/tra-cuu".to_owned(),
            "/can-bo/dang-nhap".to_owned(),
        ] {
            let response = app.get(&path).await;
            assert_eq!(cache(&response).as_deref(), Some("no-store"), "{path}");
            assert!(!response.headers().contains_key("strict-transport-security"));
        }
        for path in ["/", "/thu-tuc", "/thong-ke", "/pkg/motcua.css"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_ne!(cache(&response).as_deref(), Some("no-store"), "{path}");
        }
        app.stop().await;
    }
);

on_both_databases!(
    behind_https_browsers_are_told_to_keep_to_it,
    |backend| async move {
        let app = TestApp::spawn_with(backend, |config| {
            config.public_url = Some("https://motcua.xa-tanlap.gov.vn".to_owned());
        })
        .await
        .unwrap();
        for path in ["/", "/tra-cuu", "/pkg/motcua.css", "/khong-co"] {
            let response = app.get(path).await;
            assert_eq!(
                response.headers()["strict-transport-security"],
                "max-age=31536000",
                "{path}"
            );
        }
        app.stop().await;
    }
);
