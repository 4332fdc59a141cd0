//! The public statistics over HTTP, on both back ends: the page, the CSV and the JSON give the
//! same figures, and they match a count made here from the rows themselves.

mod common;

use std::collections::HashMap;

use app::domain::calendar::Date;
use app::domain::demo::{DemoRng, demo_dossiers};
use app::domain::dossier::AgencyCode;
use app::domain::lifecycle::Status;
use common::TestApp;
use sqlx::Row;

/// The figures counted here, from every dossier row received in `[start, end)`.
async fn direct_count(
    app: &TestApp,
    start: i64,
    end: i64,
    today: Date,
) -> HashMap<&'static str, i64> {
    let rows = sqlx::query(
        "SELECT channel, status, digitised, due_date, finished_day FROM dossiers \
         WHERE received_at >= $1 AND received_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut counts: HashMap<&'static str, i64> = HashMap::new();
    let mut add = |key| *counts.entry(key).or_default() += 1;
    for row in &rows {
        add("tiep-nhan");
        match row.try_get::<i64, _>("channel").unwrap() {
            1 => add("truc-tiep"),
            2 => add("truc-tuyen"),
            _ => add("buu-chinh"),
        }
        if row.try_get::<i64, _>("digitised").unwrap() == 1 {
            add("so-hoa");
        }
        let due = row
            .try_get::<Option<String>, _>("due_date")
            .unwrap()
            .and_then(|d| Date::parse_iso(&d));
        if let Some(finished) = row
            .try_get::<Option<String>, _>("finished_day")
            .unwrap()
            .and_then(|d| Date::parse_iso(&d))
        {
            add("da-giai-quyet");
            // Before the due day is early, after it late; the day itself (or no due day) on time.
            add(match due {
                Some(due) if finished < due => "truoc-han",
                Some(due) if finished > due => "qua-han",
                _ => "dung-han",
            });
        }
        let status = Status::from_code(row.try_get("status").unwrap()).unwrap();
        if !status.is_resolved() {
            add("dang-giai-quyet");
            let running = matches!(
                status,
                Status::Submitted | Status::Accepted | Status::Processing
            );
            if running && due.is_some_and(|d| d < today) {
                add("dang-giai-quyet-qua-han");
            }
        }
        match status {
            Status::Withdrawn => add("rut"),
            Status::Refused => add("khong-tiep-nhan"),
            Status::Stopped => add("dung-xu-ly"),
            _ => {}
        }
    }
    let ratings = sqlx::query(
        "SELECT r.overall FROM ratings r JOIN dossiers d ON d.code = r.dossier_code \
         WHERE d.received_at >= $1 AND d.received_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    counts.insert("phieu-danh-gia", ratings.len() as i64);
    counts.insert(
        "hai-long",
        ratings
            .iter()
            .filter(|r| r.try_get::<i64, _>("overall").unwrap() >= 1)
            .count() as i64,
    );
    counts
}

on_both_databases!(
    the_page_the_csv_and_the_json_agree_with_a_direct_count,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let now = app::db::unix_now();
        let today = Date::in_vietnam(now);
        // A dossier finished through the real flow, and a year of demo dossiers.
        let (code, _) = common::filing::submitted_dossier(&app, "Lò Văn Páo").await;
        for status in [Status::Accepted, Status::Processing, Status::ResultReady] {
            app.db
                .change_status(&code, status, "quan-tri:test", "", None, now)
                .await
                .unwrap();
        }
        let agency = AgencyCode::parse("000.00.00.H00").unwrap();
        let procedures = app.db.demo_procedures().await.unwrap();
        let mut sequences = app.db.last_sequences(&agency).await.unwrap();
        let dossiers = demo_dossiers(
            &mut DemoRng::new(3),
            &agency,
            &procedures,
            600,
            now,
            &mut sequences,
        );
        app.db
            .insert_demo_dossiers(&agency, &procedures, &dossiers)
            .await
            .unwrap();

        let from = today.add_days(-app::domain::statistics::CUSTOM_MAX_DAYS);
        let query = format!("ky=tuy-chon&tu={}&den={}", from.iso(), today.iso());
        let expected = direct_count(
            &app,
            from.start_in_vietnam(),
            today.add_days(1).start_in_vietnam(),
            today,
        )
        .await;
        let received = dossiers.len() as i64 + 1;
        assert_eq!(expected["tiep-nhan"], received);
        assert!(
            expected["qua-han"] > 0 && expected["phieu-danh-gia"] > 0,
            "{expected:?}"
        );

        let response = app.get(&format!("/thong-ke.json?{query}")).await;
        assert_eq!(response.status(), 200);
        let json: serde_json::Value = response.json().await.unwrap();
        for (key, count) in &expected {
            assert_eq!(json["figures"][key].as_i64(), Some(*count), "{key}");
        }
        for key in [
            "dung-han",
            "truoc-han",
            "qua-han",
            "rut",
            "khong-tiep-nhan",
            "dung-xu-ly",
        ] {
            let expected = expected.get(key).copied().unwrap_or(0);
            assert_eq!(json["figures"][key].as_i64(), Some(expected), "{key}");
        }
        let procedures_total: i64 = json["procedures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["received"].as_i64().unwrap())
            .sum();
        assert_eq!(procedures_total, received);

        let response = app.get(&format!("/thong-ke.csv?{query}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
        let csv_value = |label: &str| {
            csv.lines()
                .find_map(|line| line.strip_prefix(&format!("{label},")))
                .unwrap_or_else(|| panic!("{label} in the CSV"))
                .to_owned()
        };
        assert_eq!(csv_value("Hồ sơ tiếp nhận"), received.to_string());
        assert_eq!(
            csv_value("Giải quyết quá hạn"),
            expected["qua-han"].to_string()
        );
        // The on-time rate worked out from the counts above: early and on time over finished.
        let on_time = expected.get("truoc-han").copied().unwrap_or(0)
            + expected.get("dung-han").copied().unwrap_or(0);
        let rate = on_time as f64 * 100.0 / (on_time + expected["qua-han"]) as f64;
        // The JSON gives percentages to two decimals, as the page and the CSV write them.
        let served = json["figures"]["ti-le-dung-han"].as_f64().unwrap();
        let rounded = (rate * 100.0).round() / 100.0;
        assert!((served - rounded).abs() < 1e-9, "{served} ≠ {rate}");
        assert_eq!(csv_value("Tỉ lệ đúng hạn (%)"), format!("{rate:.2}"));

        let (status, page) = app.get_text(&format!("/thong-ke?{query}")).await;
        assert_eq!(status, 200);
        let row = |label: &str| format!("<th scope=\"row\">{label}</th><td>");
        for (label, key) in [
            ("Hồ sơ tiếp nhận", "tiep-nhan"),
            ("Giải quyết quá hạn", "qua-han"),
        ] {
            let shown = app::i18n::Lang::Vi.number(expected[key]);
            assert!(
                page.contains(&format!("{}{shown}</td>", row(label))),
                "{label} {shown}"
            );
        }
        let shown_rate = app::i18n::Lang::Vi.number(rate);
        assert!(page.contains(&format!("{}{shown_rate} %</td>", row("Tỉ lệ đúng hạn (%)"))));
        assert!(page.contains("<svg") && page.contains("<figcaption"));

        // A month with nothing received shows dashes, not a division by zero.
        let (status, empty) = app.get_text("/thong-ke?ky=thang&nam=2001&thang=2").await;
        assert_eq!(status, 200);
        assert!(empty.contains(&format!("{}—</td>", row("Tỉ lệ đúng hạn (%)"))));
        app.stop().await;
    }
);

on_both_databases!(
    a_closed_period_is_read_again_from_the_cache_for_a_while,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let today = Date::in_vietnam(app::db::unix_now());
        let last_month = today.add_days(-i64::from(today.day));
        let closed = format!(
            "/thong-ke.json?ky=thang&nam={}&thang={}",
            last_month.year, last_month.month
        );
        let this_month = format!(
            "/thong-ke.json?ky=thang&nam={}&thang={}",
            today.year, today.month
        );
        let received = |path: String| {
            let app = &app;
            async move {
                let json: serde_json::Value = app.get(&path).await.json().await.unwrap();
                json["figures"]["tiep-nhan"].as_i64().unwrap()
            }
        };
        assert_eq!(received(closed.clone()).await, 0);
        assert_eq!(received(this_month.clone()).await, 0);
        // An old record arrives in last month, and a new dossier in this one.
        let (old, _) = common::filing::submitted_dossier(&app, "Hà Văn Cũ").await;
        sqlx::query("UPDATE dossiers SET received_at = $1 WHERE code = $2")
            .bind(last_month.start_in_vietnam() + 3600)
            .bind(&old)
            .execute(app.db.pool())
            .await
            .unwrap();
        common::filing::submitted_dossier(&app, "Hà Thị Mới").await;
        assert_eq!(
            received(this_month).await,
            1,
            "the open month is counted live"
        );
        assert_eq!(
            received(closed.clone()).await,
            0,
            "the closed month, from the cache"
        );
        // Once its time is up, the closed month is counted again.
        let kept = app::db::statistics::CLOSED_PERIOD_KEPT_SECONDS;
        sqlx::query("UPDATE statistics_cache SET computed_at = computed_at - $1")
            .bind(kept + 1)
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(received(closed).await, 1);
        app.stop().await;
    }
);
