//! The period report over HTTP, on both back ends: the page, the spreadsheet, the CSV and the
//! JSON give the figures a recount of the raw events gives; a closed month never changes; the
//! article's month comes out as the center reported it.

mod common;

use std::collections::HashMap;

use app::db::Clock;
use app::domain::calendar::Date;
use app::domain::demo::{DemoRng, demo_dossiers};
use app::domain::dossier::AgencyCode;
use app::domain::lifecycle::{Change, Status, extended_due_date};
use common::TestApp;
use sqlx::Row;

/// One dossier as the recount reads it.
struct Recorded {
    channel: i64,
    digitised: bool,
    appointment: Option<Date>,
    /// (at, from, to), oldest first.
    events: Vec<(i64, Option<i64>, i64)>,
}

async fn recorded(app: &TestApp) -> HashMap<String, Recorded> {
    let mut dossiers: HashMap<String, Recorded> = HashMap::new();
    for row in sqlx::query("SELECT code, channel, digitised, appointment_date FROM dossiers")
        .fetch_all(app.db.writer())
        .await
        .unwrap()
    {
        let appointment: Option<String> = row.try_get("appointment_date").unwrap();
        dossiers.insert(
            row.try_get("code").unwrap(),
            Recorded {
                channel: row.try_get("channel").unwrap(),
                digitised: row.try_get::<i64, _>("digitised").unwrap() == 1,
                appointment: appointment.and_then(|d| Date::parse_iso(&d)),
                events: Vec::new(),
            },
        );
    }
    for row in sqlx::query(
        "SELECT dossier_code, at, from_status, to_status FROM dossier_events ORDER BY at, id",
    )
    .fetch_all(app.db.writer())
    .await
    .unwrap()
    {
        let code: String = row.try_get("dossier_code").unwrap();
        dossiers.get_mut(&code).unwrap().events.push((
            row.try_get("at").unwrap(),
            row.try_get("from_status").unwrap(),
            row.try_get("to_status").unwrap(),
        ));
    }
    dossiers
}

/// The figures of the month from `first` to `last`, counted here dossier by dossier from the
/// raw events before the month's end, by the definitions in docs/statistics.md.
async fn recount(app: &TestApp, first: Date, last: Date) -> HashMap<&'static str, i64> {
    let (start, end) = (
        first.start_in_vietnam(),
        last.add_days(1).start_in_vietnam(),
    );
    // The center's calendar, with the days it recorded as worked or off.
    let center = app.db.default_center().await.unwrap().agency;
    let calendar = app
        .db
        .calendar_covering(&center, first.add_days(-366), 800)
        .await
        .unwrap();
    let mut counts: HashMap<&'static str, i64> = HashMap::new();
    let mut add = |key: &'static str| *counts.entry(key).or_default() += 1;
    for dossier in recorded(app).await.values() {
        let known: Vec<_> = dossier.events.iter().filter(|e| e.0 < end).collect();
        let first_at = |wanted: &[i64]| known.iter().find(|e| wanted.contains(&e.2)).map(|e| e.0);
        let accepted = first_at(&[2]);
        let closed = first_at(&[3, 7, 8, 9]);
        let in_period = |at: i64| (start..end).contains(&at);
        let history_until = |until: i64| -> Vec<Change> {
            known
                .iter()
                .filter(|e| e.0 <= until)
                .map(|e| Change {
                    on: Date::in_vietnam(e.0),
                    status: Status::from_code(e.2).unwrap(),
                })
                .collect()
        };
        if accepted.is_some_and(|a| a < start) && closed.is_none_or(|c| c >= start) {
            add("ky-truoc-chuyen-sang");
        }
        if accepted.is_some_and(in_period) {
            add("tiep-nhan-trong-ky");
            add(match dossier.channel {
                1 => "tiep-nhan-truc-tiep",
                2 => "tiep-nhan-truc-tuyen",
                _ => "tiep-nhan-buu-chinh",
            });
            if dossier.digitised {
                add("so-hoa");
            }
        }
        for &&(at, from, to) in known.iter().filter(|e| in_period(e.0)) {
            if from == Some(to) {
                continue;
            }
            match to {
                1 => add("nop-truc-tuyen"),
                3 => add("khong-tiep-nhan"),
                5 => add("yeu-cau-bo-sung"),
                7 if accepted.is_some_and(|a| a < at) => add("rut"),
                7 => add("rut-truoc-tiep-nhan"),
                8 => add("dung-xu-ly"),
                9 => {
                    add("da-giai-quyet");
                    let day = Date::in_vietnam(at);
                    let due = dossier.appointment.map(|appointment| {
                        extended_due_date(appointment, &history_until(at), day, &calendar)
                    });
                    add(match due {
                        None => "khong-co-han",
                        Some(due) if day < due => "truoc-han",
                        Some(due) if day == due => "dung-han",
                        Some(_) => "qua-han",
                    });
                }
                _ => {}
            }
        }
        let open_at_end = closed.is_none_or(|c| c >= end);
        if open_at_end && accepted.is_some() {
            add("dang-giai-quyet");
            let status = known.last().map(|e| e.2).unwrap();
            let due = dossier.appointment.map(|appointment| {
                extended_due_date(appointment, &history_until(end), last, &calendar)
            });
            if matches!(status, 2 | 4) && due.is_some_and(|due| due <= last) {
                add("dang-giai-quyet-qua-han");
            }
        } else if open_at_end && !known.is_empty() {
            add("cho-tiep-nhan");
        }
    }
    let ratings = sqlx::query("SELECT overall FROM ratings WHERE rated_at >= $1 AND rated_at < $2")
        .bind(start)
        .bind(end)
        .fetch_all(app.db.writer())
        .await
        .unwrap();
    for rating in &ratings {
        add("phieu-danh-gia");
        add(match rating.try_get::<i64, _>("overall").unwrap() {
            0 => "khong-hai-long",
            _ => "hai-long",
        });
    }
    counts
}

const COUNTED: [&str; 24] = [
    "ky-truoc-chuyen-sang",
    "tiep-nhan-trong-ky",
    "tiep-nhan-truc-tiep",
    "tiep-nhan-truc-tuyen",
    "tiep-nhan-buu-chinh",
    "so-hoa",
    "nop-truc-tuyen",
    "khong-tiep-nhan",
    "yeu-cau-bo-sung",
    "rut",
    "rut-truoc-tiep-nhan",
    "dung-xu-ly",
    "da-giai-quyet",
    "truoc-han",
    "dung-han",
    "qua-han",
    "khong-co-han",
    "dang-giai-quyet",
    "dang-giai-quyet-qua-han",
    "cho-tiep-nhan",
    "phieu-danh-gia",
    "hai-long",
    "khong-hai-long",
    "phai-giai-quyet",
];

async fn seed_demo(app: &TestApp, count: usize, now: i64) {
    let agency = AgencyCode::parse("000.00.00.H00").unwrap();
    let procedures = app.db.demo_procedures().await.unwrap();
    let mut sequences = app.db.last_sequences(&agency).await.unwrap();
    let dossiers = demo_dossiers(
        &mut DemoRng::new(3),
        &agency,
        &procedures,
        count,
        now,
        &mut sequences,
    );
    app.db
        .insert_demo_dossiers(&agency, &procedures, &dossiers)
        .await
        .unwrap();
}

fn month_query(day: Date) -> String {
    format!("ky=thang&nam={}&thang={}", day.year, day.month)
}

async fn json(app: &TestApp, query: &str) -> serde_json::Value {
    let response = app.get(&format!("/thong-ke.json?{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// October 2026's report as JSON, CSV and page.
async fn october_files(app: &TestApp) -> (Vec<u8>, Vec<u8>, String) {
    let october = "ky=thang&nam=2026&thang=10";
    let bytes = |path: String| async move { app.get(&path).await.bytes().await.unwrap().to_vec() };
    (
        bytes(format!("/thong-ke.json?{october}")).await,
        bytes(format!("/thong-ke.csv?{october}")).await,
        without_nonces(&app.get_text(&format!("/thong-ke?{october}")).await.1),
    )
}

/// The page without its scripts' nonces, which are new on every answer.
fn without_nonces(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find("nonce=\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 7..];
        rest = &after[after.find('"').map_or(after.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}

on_both_databases!(
    the_report_the_spreadsheet_and_the_csv_agree_with_a_recount_of_the_events,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let now = app.db.now();
        let today = Date::in_vietnam(now);
        seed_demo(&app, 1500, now).await;
        // A dossier that goes through the real flow today.
        let (code, _) = common::filing::submitted_dossier(&app, "Lò Văn Páo").await;
        for status in [Status::Accepted, Status::Processing, Status::ResultReady] {
            app.db
                .change_status(&code, status, "quan-tri:test", "", None, now)
                .await
                .unwrap();
        }
        // Three closed months back from last month's last day.
        let mut last = today.add_days(-i64::from(today.day));
        for _ in 0..3 {
            let first = Date::new(last.year, last.month, 1);
            let mut expected = recount(&app, first, last).await;
            expected.insert(
                "phai-giai-quyet",
                expected.get("ky-truoc-chuyen-sang").copied().unwrap_or(0)
                    + expected.get("tiep-nhan-trong-ky").copied().unwrap_or(0),
            );
            assert!(expected["tiep-nhan-trong-ky"] > 50, "{expected:?}");
            let query = month_query(first);
            let report = json(&app, &query).await;
            assert_eq!(report["period"]["closed"], true);
            for key in COUNTED {
                let want = expected.get(key).copied().unwrap_or(0);
                assert_eq!(
                    report["figures"][key].as_i64(),
                    Some(want),
                    "{key} in {query}"
                );
            }
            // The books balance: to process = resolved + withdrawn + stopped + in progress.
            let f = &report["figures"];
            let n = |key: &str| f[key].as_i64().unwrap();
            assert_eq!(
                n("phai-giai-quyet"),
                n("da-giai-quyet") + n("rut") + n("dung-xu-ly") + n("dang-giai-quyet")
            );
            // The rows per procedure and per channel add up to the totals.
            for rows in ["procedures", "channels", "sectors"] {
                let sum: i64 = report[rows]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|row| row["phai-giai-quyet"].as_i64().unwrap())
                    .sum();
                assert_eq!(sum, n("phai-giai-quyet"), "{rows}");
            }

            let response = app.get(&format!("/thong-ke.xlsx?{query}")).await;
            assert_eq!(response.status(), 200);
            let bytes = response.bytes().await.unwrap();
            assert_eq!(
                common::xlsx::sheet_names(&bytes),
                [
                    "Tổng hợp",
                    "Theo kênh",
                    "Theo lĩnh vực",
                    "Theo thủ tục",
                    "QĐ 766"
                ]
            );
            let summary = common::xlsx::sheet_rows(&bytes, 1);
            let cell = |label: &str| {
                summary
                    .iter()
                    .find(|row| row[0] == label)
                    .unwrap_or_else(|| panic!("{label} in the spreadsheet"))[1]
                    .clone()
            };
            assert_eq!(
                cell("Tiếp nhận trong kỳ"),
                n("tiep-nhan-trong-ky").to_string()
            );
            assert_eq!(cell("Giải quyết quá hạn"), n("qua-han").to_string());
            assert_eq!(
                cell("Từ ngày"),
                (first.julian_day() - 2_415_019).to_string()
            );

            let csv = app.get_text(&format!("/thong-ke.csv?{query}")).await.1;
            let line = csv
                .lines()
                .find(|line| line.starts_with("Đang giải quyết cuối kỳ,"))
                .unwrap();
            assert!(line.starts_with(&format!(
                "Đang giải quyết cuối kỳ,{},",
                n("dang-giai-quyet")
            )));

            let (status, page) = app.get_text(&format!("/thong-ke?{query}")).await;
            assert_eq!(status, 200);
            let shown = app::i18n::Lang::Vi.number(n("phai-giai-quyet"));
            assert!(
                page.contains(&format!(
                    "<th scope=\"row\">Tổng số phải giải quyết</th><td>{shown}</td>"
                )),
                "{shown}"
            );
            last = first.add_days(-1);
        }
        app.stop().await;
    }
);

on_both_databases!(
    a_closed_month_never_changes_when_later_events_come,
    |backend| async move {
        let start = Date::new(2026, 11, 3).start_in_vietnam() + 10 * 3600;
        let clock = Clock::manual(start);
        let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {})
            .await
            .unwrap();
        seed_demo(&app, 1200, start).await;
        let before = october_files(&app).await;
        let november_before = json(&app, "ky=thang&nam=2026&thang=11").await;

        // Later: every dossier October left open moves on, some are rated, new ones come in.
        clock.advance(12 * 86_400);
        let now = app.db.now();
        let open_from_october = sqlx::query(
            "SELECT code, status FROM dossiers WHERE closed_at IS NULL AND accepted_at < $1",
        )
        .bind(Date::new(2026, 11, 1).start_in_vietnam())
        .fetch_all(app.db.writer())
        .await
        .unwrap();
        assert!(open_from_october.len() > 3, "open at October's end");
        for row in &open_from_october {
            let code: String = row.try_get("code").unwrap();
            let status = Status::from_code(row.try_get("status").unwrap()).unwrap();
            let path: &[Status] = match status {
                Status::Accepted => &[Status::Processing, Status::ResultReady],
                Status::Processing | Status::FeeRequested => &[Status::ResultReady],
                Status::SupplementRequested => &[Status::Processing, Status::ResultReady],
                _ => &[Status::Withdrawn],
            };
            for next in path {
                app.db
                    .change_status(&code, *next, "quan-tri:test", "", None, now)
                    .await
                    .unwrap();
            }
        }
        // Applicants of October's dossiers rate the service now.
        let rated = sqlx::query(
            "INSERT INTO ratings (dossier_code, overall, reason, rated_at) \
             SELECT code, 0, 'Chậm.', $1 FROM dossiers \
             WHERE received_at >= $2 AND received_at < $3 AND status = 10 \
             AND code NOT IN (SELECT dossier_code FROM ratings)",
        )
        .bind(now)
        .bind(Date::new(2026, 10, 1).start_in_vietnam())
        .bind(Date::new(2026, 11, 1).start_in_vietnam())
        .execute(app.db.writer())
        .await
        .unwrap()
        .rows_affected();
        assert!(rated > 3, "{rated} ratings of October's dossiers");
        common::filing::submitted_dossier(&app, "Hà Thị Mới").await;
        // Even with every day summarised again from the history.
        sqlx::query("DELETE FROM statistics_flows")
            .execute(app.db.writer())
            .await
            .unwrap();
        sqlx::query("DELETE FROM statistics_stocks")
            .execute(app.db.writer())
            .await
            .unwrap();
        sqlx::query("UPDATE statistics_progress SET summarised_through = NULL")
            .execute(app.db.writer())
            .await
            .unwrap();
        // Four requests at once find the days missing: one summarises them, the others wait
        // for it or find them done, and all four give the same figures.
        let october = "ky=thang&nam=2026&thang=10";
        let at_once = tokio::join!(
            json(&app, october),
            json(&app, october),
            json(&app, october),
            json(&app, october)
        );
        let first: serde_json::Value = serde_json::from_slice(&before.0).unwrap();
        for answer in [at_once.0, at_once.1, at_once.2, at_once.3] {
            assert_eq!(answer, first);
        }
        let after = october_files(&app).await;
        assert!(
            before.0 == after.0,
            "the JSON of October is byte for byte the same"
        );
        assert!(
            before.1 == after.1,
            "the CSV of October is byte for byte the same"
        );
        assert_eq!(before.2, after.2, "the page of October is the same");
        let november_after = json(&app, "ky=thang&nam=2026&thang=11").await;
        assert_ne!(
            november_before["figures"]["da-giai-quyet"], november_after["figures"]["da-giai-quyet"],
            "the month the events happened in moved"
        );
        assert_eq!(
            november_before["figures"]["ky-truoc-chuyen-sang"],
            november_after["figures"]["ky-truoc-chuyen-sang"],
            "what October handed on did not"
        );
        app.stop().await;
    }
);

on_both_databases!(
    the_articles_month_as_the_center_reported_it,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let agency = AgencyCode::parse("000.00.00.H00").unwrap();
        assert_eq!(app.db.seed_article_month(&agency).await.unwrap(), Some(772));
        assert_eq!(
            app.db.seed_article_month(&agency).await.unwrap(),
            Some(0),
            "once"
        );
        let query = "ky=thang&nam=2025&thang=7";
        let report = json(&app, query).await;
        let f = &report["figures"];
        assert_eq!(f["ky-truoc-chuyen-sang"], 0);
        assert_eq!(f["tiep-nhan-trong-ky"], 772);
        assert_eq!(f["so-hoa"], 738);
        assert_eq!(f["ti-le-so-hoa"], 95.59);
        assert_eq!(f["da-giai-quyet"], 655);
        assert_eq!(f["qua-han"], 0);
        assert_eq!(f["ti-le-dung-han"], 100.0);
        let pension = report["procedures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Trợ cấp hưu trí xã hội")
            .unwrap();
        assert_eq!(
            (&pension["da-giai-quyet"], &pension["phai-giai-quyet"]),
            (&224.into(), &317.into())
        );

        let (status, page) = app.get_text(&format!("/thong-ke?{query}")).await;
        assert_eq!(status, 200);
        for (label, value) in [
            ("Tiếp nhận trong kỳ", "772"),
            ("Tỉ lệ số hóa (%)", "95,59 %"),
            ("Đã giải quyết", "655"),
            ("Tỉ lệ trước hạn và đúng hạn (%)", "100 %"),
        ] {
            assert!(
                page.contains(&format!("<dt>{label}</dt><dd>{value}</dd>"))
                    || page.contains(&format!("<th scope=\"row\">{label}</th><td>{value}</td>")),
                "{label}: {value}"
            );
        }
        assert!(page.contains("Trợ cấp hưu trí xã hội</a></th><td>224/317</td>"));

        let bytes = app
            .get(&format!("/thong-ke.xlsx?{query}"))
            .await
            .bytes()
            .await
            .unwrap();
        let summary = common::xlsx::sheet_rows(&bytes, 1);
        let cell = |label: &str| {
            summary
                .iter()
                .find(|row| row[0] == label)
                .unwrap_or_else(|| panic!("{label}"))[1]
                .clone()
        };
        assert_eq!(cell("Tiếp nhận trong kỳ"), "772");
        assert_eq!(cell("Hồ sơ tiếp nhận được số hóa"), "738");
        assert_eq!(cell("Tỉ lệ số hóa (%)"), "95.59");
        assert_eq!(cell("Đã giải quyết"), "655");
        // Numbers as numbers: a text cell's value would be an index into the shared strings.
        let sheet = common::xlsx::part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<v>95.59</v>") && sheet.contains("<v>772</v>"));
        let procedures = common::xlsx::sheet_rows(&bytes, 4);
        let pension = procedures
            .iter()
            .find(|row| row.get(1).map(String::as_str) == Some("Trợ cấp hưu trí xã hội"))
            .unwrap();
        // Code, name, sector, carried over, received, to process, resolved.
        assert_eq!(pension[3..7], ["0", "317", "317", "224"]);
        app.stop().await;
    }
);
