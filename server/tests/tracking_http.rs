//! Following a dossier over HTTP, on both back ends: lookups that do not tell a wrong code from
//! a wrong key, the per-client limit, the status page's timeline and next step, supplements,
//! withdrawal and rating. Status changes go through the same database function the back
//! office uses (`Database::change_status`, guarded by the lifecycle's transition table).

mod common;

use app::LookupLimit;
use app::db::Clock;
use app::db::tracking::{ApologyOutcome, ChangeOutcome};
use app::domain::calendar::Date;
use app::domain::feedback::Problem;
use app::domain::lifecycle::Status;
use app::domain::tracking::EventDetails;
use app::domain::working_days::{DayState, Decision};
use common::TestApp;
use common::filing::*;
use reqwest::multipart::{Form, Part};
use sqlx::Row;

async fn move_to(app: &TestApp, code: &str, path: &[Status]) {
    for status in path {
        let outcome = app
            .db
            .change_status(code, *status, "can-bo:test", "", None, app::db::unix_now())
            .await
            .unwrap();
        assert!(
            matches!(outcome, ChangeOutcome::Changed { .. }),
            "{status:?}: {outcome:?}"
        );
    }
}

fn status_url(code: &str, key: &str) -> String {
    format!("/tra-cuu?ma={code}&khoa={key}")
}

fn dossier_form(code: &str, key: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![
        ("ma".to_owned(), code.to_owned()),
        ("khoa".to_owned(), key.to_owned()),
    ];
    form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form
}

on_both_databases!(
    a_status_lookup_is_answered_while_a_write_is_open,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Trần Văn Chờ").await;
        // An uncommitted write to this very dossier holds the writer connection (on SQLite
        // the only one): the lookup reads on connections of its own and does not wait for it.
        let mut writer = app.db.writer().acquire().await.unwrap();
        let mut writing = writer.begin().await.unwrap();
        sqlx::query("UPDATE dossiers SET applicant_phone = '0900000000' WHERE code = $1")
            .bind(&code)
            .execute(&mut *writing)
            .await
            .unwrap();
        let lookup = tokio::time::timeout(
            std::time::Duration::from_secs(8),
            app.get_text(&status_url(&code, &key)),
        )
        .await
        .expect("the lookup waited for the open write");
        assert_eq!(lookup.0, 200);
        assert!(lookup.1.contains(&code));
        writing.rollback().await.unwrap();
        if matches!(backend, common::Backend::Sqlite) {
            let refused = sqlx::query("DELETE FROM rate_limits")
                .execute(app.db.reader())
                .await;
            assert!(refused.is_err(), "the readers' connections may not write");
        }
        app.stop().await;
    }
);

on_both_databases!(
    lookups_do_not_tell_which_part_was_wrong,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Nguyễn Thị Lan").await;

        let response = app.get(&status_url(&code, &key)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Mới đăng ký, chờ cán bộ kiểm tra"),
            "plain status"
        );
        assert!(
            page.contains("Bạn chưa cần làm gì"),
            "next step for status 1"
        );
        assert!(
            page.contains("09******78") && !page.contains("0912345678"),
            "phone masked"
        );
        assert!(page.contains("Rút hồ sơ"), "status 1 may be withdrawn");

        let other_code = code.replace("-0001", "-0002");
        let (wrong_key_status, wrong_key) = app.get_text(&status_url(&code, "ZZZZ-ZZZZ")).await;
        let (wrong_code_status, wrong_code) = app.get_text(&status_url(&other_code, &key)).await;
        assert_eq!((wrong_key_status, wrong_code_status), (404, 404));
        assert_eq!(without_echoes(&wrong_key), without_echoes(&wrong_code));
        // What cannot be a code or a key at all is said next to its field, and tells nothing of
        // any dossier.
        let (garbage_status, garbage) = app.get_text(&status_url("x'--", "<b>")).await;
        assert_eq!(garbage_status, 400);
        assert!(
            garbage.contains("Mã hồ sơ chưa đúng dạng")
                && garbage.contains("Khóa tra cứu chưa đúng dạng")
        );
        assert!(!garbage.contains("<b>"), "typed values are escaped");
        let (_, code_only) = app.get_text(&status_url("x'--", &key)).await;
        assert!(
            code_only.contains("Mã hồ sơ chưa đúng dạng")
                && !code_only.contains("Khóa tra cứu chưa đúng dạng")
        );
        // The code as people type it from the paper: no dots or dashes, lower case, spaces.
        let compact: String = code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let typed_key = key.replace('-', " ").to_lowercase();
        let (status, page) = app
            .get_text(&format!(
                "/tra-cuu?ma={compact}&khoa={}",
                typed_key.replace(' ', "+")
            ))
            .await;
        assert_eq!(status, 200, "{compact} {typed_key}");
        assert!(page.contains(&code));
        app.stop().await;
    }
);

/// A server whose lookup limit is `hits` per window of `window_seconds`, on a clock the test
/// moves by hand. It starts at the beginning of a window (2026-01-01 07:00 in Vietnam, a
/// multiple of every window used here).
async fn with_lookup_limit(
    backend: common::Backend,
    hits: i64,
    window_seconds: i64,
) -> (TestApp, Clock) {
    const START: i64 = 1_767_225_600;
    assert_eq!(START % window_seconds, 0);
    let clock = Clock::manual(START);
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |config| {
        config.lookup_limit = LookupLimit {
            hits,
            window_seconds,
        };
    })
    .await
    .unwrap();
    (app, clock)
}

/// A key of the right shape that opens nothing.
const WRONG_KEY: &str = "ZZZZ-ZZZZ";

async fn lookup_counts(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limits WHERE bucket LIKE 'tra-cuu%'",
    )
    .await
}

on_both_databases!(
    only_failed_lookups_count_and_the_limit_trips_and_recovers,
    |backend| async move {
        let (app, clock) = with_lookup_limit(backend, 3, 2).await;
        let (code, key) = submitted_dossier(&app, "Trần Văn Bình").await;
        // Two windows on: whatever filing counted no longer weighs.
        clock.advance(4);
        // The right key, as often as the citizen likes: nothing is written.
        for _ in 0..5 {
            assert_eq!(app.get(&status_url(&code, &key)).await.status(), 200);
        }
        assert_eq!(lookup_counts(&app).await, 0, "a right key costs no write");
        for _ in 0..3 {
            assert_eq!(app.get(&status_url(&code, WRONG_KEY)).await.status(), 404);
        }
        assert_eq!(lookup_counts(&app).await, 3);
        // Over the limit, even the right key waits: a guesser cannot tell a hit from a miss.
        let (status, page) = app.get_text(&status_url(&code, &key)).await;
        assert_eq!(status, 429);
        assert!(page.contains("Vui lòng thử lại sau 1 phút"));
        // Forms too: a withdrawal is refused while limited, and changes nothing.
        let response = app
            .client
            .post(app.url("/tra-cuu/rut"))
            .form(&dossier_form(&code, &key, &[("xac-nhan", "1")]))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossiers WHERE status = 7").await,
            0
        );
        assert_eq!(lookup_counts(&app).await, 3, "refusals are not counted");
        // The window slides: at the start of the next window the misses above still weigh in
        // full…
        clock.advance(2);
        assert_eq!(app.get(&status_url(&code, &key)).await.status(), 429);
        // …and no longer once a whole window has passed since the last of them.
        clock.advance(4);
        assert_eq!(
            app.get(&status_url(&code, &key)).await.status(),
            200,
            "a window later"
        );
        app.stop().await;
    }
);

on_both_databases!(
    the_limit_holds_across_a_window_boundary,
    |backend| async move {
        let (app, clock) = with_lookup_limit(backend, 3, 2).await;
        let (code, key) = submitted_dossier(&app, "Phạm Văn Nam").await;
        // The whole limit of misses in the last second of a window…
        clock.advance(4 + 1);
        for _ in 0..3 {
            assert_eq!(app.get(&status_url(&code, WRONG_KEY)).await.status(), 404);
        }
        // …does not buy the same again at the start of the next.
        clock.advance(1);
        assert_eq!(
            app.get(&status_url(&code, WRONG_KEY)).await.status(),
            429,
            "a fixed window would allow this"
        );
        assert_eq!(app.get(&status_url(&code, &key)).await.status(), 429);
        app.stop().await;
    }
);

on_both_databases!(
    ratings_open_at_the_result_and_count_once,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Lê Thị Hoa").await;
        let rate = |fields: &'static [(&'static str, &'static str)]| {
            let form = dossier_form(&code, &key, fields);
            let app = &app;
            async move {
                app.client
                    .post(app.url("/tra-cuu/danh-gia"))
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            rate(&[("muc-do", "2")]).await.status(),
            409,
            "not before the result"
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 0);

        move_to(
            &app,
            &code,
            &[Status::Accepted, Status::Processing, Status::ResultReady],
        )
        .await;
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(page.contains("Đánh giá sự hài lòng") && page.contains("Chưa hài lòng"));

        let response = rate(&[("muc-do", "0"), ("ly-do", " ")]).await;
        assert_eq!(response.status(), 422);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("vì sao bạn chưa hài lòng")
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM ratings").await, 0);

        let response = rate(&[
            ("muc-do", "0"),
            ("ly-do", "Phải đi lại hai lần"),
            ("so-lan-den", "1"),
        ])
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM ratings WHERE overall = 0 AND counter_visits = 1"
            )
            .await,
            1
        );

        let response = rate(&[("muc-do", "2")]).await;
        assert_eq!(response.status(), 409, "one rating per dossier");
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Mỗi hồ sơ chỉ đánh giá một lần") && page.contains("Phải đi lại hai lần")
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM ratings WHERE overall = 0").await,
            1
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_supplement_attaches_files_and_moves_nothing_else,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Phạm Văn Cường").await;
        let files_before = count(&app, "SELECT COUNT(*) FROM dossier_files").await;
        let deadline = Date::in_vietnam(app::db::unix_now()).add_days(10);
        move_to(&app, &code, &[Status::Accepted, Status::Processing]).await;
        let request = EventDetails::Supplement {
            documents: vec![
                "Bản sao Giấy khai sinh".to_owned(),
                "Ảnh giấy chứng nhận kết hôn cũ".to_owned(),
            ],
            deadline,
        };
        app.db
            .change_status(
                &code,
                Status::SupplementRequested,
                "can-bo:test",
                "Thiếu giấy khai sinh",
                Some(&request),
                app::db::unix_now(),
            )
            .await
            .unwrap();
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(
            page.contains("Bản sao Giấy khai sinh") && page.contains(&deadline.day_month_year())
        );
        assert!(
            page.contains("Thiếu giấy khai sinh"),
            "the officer's public note"
        );
        // While the clock waits for the citizen, the page says so instead of a date.
        assert!(page.contains("<dd>Tạm dừng – chờ bạn bổ sung giấy tờ</dd>"));
        // The status page stays plain HTML; its button opens the page that sends the papers,
        // which alone loads the upload island.
        let supplement_page = format!("/tra-cuu/bo-sung?ma={code}&amp;khoa=");
        assert!(
            page.contains(&supplement_page),
            "the way to the supplement page"
        );
        assert!(!page.contains(".wasm") && !page.contains("type=\"file\""));
        let (status, form_page) = app
            .get_text(&format!("/tra-cuu/bo-sung?ma={code}&khoa={key}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            form_page.contains("Thiếu giấy khai sinh")
                && form_page.contains("Bản sao Giấy khai sinh")
        );
        assert!(form_page.contains("name=\"giay-to-2\"") && form_page.contains("<leptos-island"));
        assert!(
            form_page.contains("src=\"/islands.js\"") && !form_page.contains(".wasm"),
            "the loader of the island's bundle, which it fetches when the form is used"
        );
        let (status, _) = app
            .get_text(&format!("/tra-cuu/bo-sung?ma={code}&khoa=ZZZZ-ZZZZ"))
            .await;
        assert_eq!(status, 404, "a wrong key opens nothing");

        let send = |part: Part| {
            let form = Form::new()
                .text("ma", code.clone())
                .text("khoa", key.clone())
                .part("giay-to-0", part);
            let app = &app;
            async move {
                app.client
                    .post(app.url("/tra-cuu/bo-sung"))
                    .multipart(form)
                    .send()
                    .await
                    .unwrap()
            }
        };
        // A wrong key is refused before any file is written: with the upload folder gone, the
        // refusal does not even make the folder again.
        let parked = app.upload_dir.with_extension("parked");
        std::fs::rename(&app.upload_dir, &parked).unwrap();
        let wrong_key = Form::new()
            .text("ma", code.clone())
            .text("khoa", "ZZZZ-ZZZZ")
            .part(
                "giay-to-0",
                Part::bytes(JPEG.to_vec()).file_name("khai-sinh.jpg"),
            );
        let response = app
            .client
            .post(app.url("/tra-cuu/bo-sung"))
            .multipart(wrong_key)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            404,
            "the same answer as a wrong key anywhere"
        );
        assert!(
            !app.upload_dir.exists(),
            "nothing written for a refused request"
        );
        std::fs::rename(&parked, &app.upload_dir).unwrap();
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossier_files").await,
            files_before
        );

        let response = send(Part::bytes(EXE.to_vec()).file_name("khai-sinh.jpg")).await;
        assert_eq!(response.status(), 422);
        let refused = response.text().await.unwrap();
        assert!(
            refused.contains("<h1>Gửi giấy tờ bổ sung</h1>"),
            "shown again on its own page"
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossier_files").await,
            files_before
        );

        let response = send(Part::bytes(JPEG.to_vec()).file_name("khai-sinh.jpg")).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossier_files").await,
            files_before + 1
        );
        assert_eq!(
        count(&app, "SELECT COUNT(*) FROM dossier_files WHERE supplement_event IS NOT NULL AND document_name = 'Bản sao Giấy khai sinh'").await,
        1
    );
        assert_eq!(
            count(&app, "SELECT status FROM dossiers").await,
            5,
            "the status waits for staff"
        );
        // The slot after the papers asked for takes "other papers the officer asked for"; none
        // beyond it.
        for (slot, status) in [("giay-to-2", 303), ("giay-to-3", 422)] {
            let form = Form::new()
                .text("ma", code.clone())
                .text("khoa", key.clone())
                .part(slot, Part::bytes(JPEG.to_vec()).file_name("khac.jpg"));
            let response = app
                .client
                .post(app.url("/tra-cuu/bo-sung"))
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{slot}");
        }
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM dossier_files WHERE document_name = 'Giấy tờ khác cán bộ yêu cầu'").await,
            1
        );
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(page.contains("Đã gửi bổ sung – chờ cán bộ xem"));
        // Back in processing, the expected date keeps the appointment's hour: waiting on the
        // citizen adds whole working days.
        move_to(&app, &code, &[Status::Processing]).await;
        let time: String = sqlx::query("SELECT appointment_time FROM dossiers")
            .fetch_one(app.db.writer())
            .await
            .unwrap()
            .try_get("appointment_time")
            .unwrap();
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(page.contains(&format!("<dd>{time} ngày ")), "{time}");
        move_to(&app, &code, &[Status::SupplementRequested]).await;

        // Withdrawing needs the confirmation; a resolved dossier can no longer be withdrawn.
        let withdraw = |fields: &'static [(&'static str, &'static str)]| {
            let form = dossier_form(&code, &key, fields);
            let app = &app;
            async move {
                app.client
                    .post(app.url("/tra-cuu/rut"))
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(withdraw(&[]).await.status(), 422);
        assert_eq!(count(&app, "SELECT status FROM dossiers").await, 5);
        assert_eq!(withdraw(&[("xac-nhan", "1")]).await.status(), 303);
        assert_eq!(count(&app, "SELECT status FROM dossiers").await, 7);
        let outcome = app
            .db
            .change_status(
                &code,
                Status::Processing,
                "can-bo:test",
                "",
                None,
                app::db::unix_now(),
            )
            .await
            .unwrap();
        assert!(
            matches!(outcome, ChangeOutcome::Illegal(_)),
            "nothing follows a withdrawal"
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dossier_events WHERE to_status = 7 AND actor = 'cong-dan'"
            )
            .await,
            1
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_calendar_edit_reaches_this_servers_pages_at_once,
    |backend| async move {
        // Pages keep the calendar they read for a minute (`CalendarCache`); an edit made through
        // this server must not wait for that.
        let app = TestApp::spawn(backend).await.unwrap();
        let today = Date::in_vietnam(app.db.now());
        let center = app.db.default_center().await.unwrap().agency;
        let page_calendar =
            || async { app.db.calendar_for_pages(&center, today, 30).await.unwrap() };
        let day = page_calendar().await.next_working_day(today.add_days(7));
        let day_off = Decision {
            date: day,
            state: DayState::Off,
            note: "Nghỉ đột xuất".to_owned(),
            reference: "Thông báo 1/TB-UBND".to_owned(),
        };
        app.db
            .set_calendar_entry(None, &day_off, "can-bo:test", app.db.now())
            .await
            .unwrap();
        assert!(
            !page_calendar().await.is_working_day(day),
            "a day off added"
        );
        app.db.remove_calendar_entry(None, day).await.unwrap();
        assert!(
            page_calendar().await.is_working_day(day),
            "the day off removed"
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_late_dossier_shows_the_apology_and_its_new_date,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let (code, key) = submitted_dossier(&app, "Võ Thị Mai").await;
        move_to(&app, &code, &[Status::Accepted, Status::Processing]).await;
        sqlx::query("UPDATE dossiers SET appointment_date = '2026-01-05', due_date = '2026-01-05'")
            .execute(app.db.writer())
            .await
            .unwrap();
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(page.contains("Đã quá ngày hẹn") && page.contains("05/01/2026"));

        let new_date = Date::in_vietnam(app::db::unix_now()).add_days(20);
        let text = "Trung tâm xin lỗi ông/bà vì hồ sơ bị chậm do phải xác minh thêm.";
        let now = app::db::unix_now();
        let apologise = |new_date| {
            let (app, code) = (&app, &code);
            async move {
                app.db
                    .record_apology(code, new_date, text, "can-bo:test", now)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            apologise(Date::new(2026, 1, 5)).await,
            ApologyOutcome::Refused(Problem::DateNotAfterDue)
        );
        assert_eq!(apologise(new_date).await, ApologyOutcome::Recorded);
        assert_eq!(
            apologise(new_date.add_days(5)).await,
            ApologyOutcome::Refused(Problem::ApologyAlreadyGiven),
            "the return date is set again once"
        );
        let (_, page) = app.get_text(&status_url(&code, &key)).await;
        assert!(page.contains("Thư xin lỗi của Trung tâm") && page.contains(text));
        assert!(
            page.contains(&new_date.day_month_year()),
            "the citizen is told the new date"
        );
        assert!(
            page.contains("Đã quá ngày hẹn"),
            "late by the original due date"
        );
        let due: String = sqlx::query("SELECT due_date FROM dossiers")
            .fetch_one(app.db.writer())
            .await
            .unwrap()
            .try_get("due_date")
            .unwrap();
        assert_eq!(
            due, "2026-01-05",
            "what statistics judge by stays the original"
        );
        assert_eq!(
            count(&app, "SELECT status FROM dossiers").await,
            4,
            "an apology changes no status"
        );

        move_to(&app, &code, &[Status::ResultReady, Status::HandedOver]).await;
        assert_eq!(apologise(new_date).await, ApologyOutcome::NotOpen);
        // Finished before the apology's new date, it is still late in the public statistics.
        let figures: serde_json::Value = app.get("/thong-ke.json").await.json().await.unwrap();
        assert_eq!(figures["figures"]["qua-han"], 1, "{figures}");
        assert_eq!(figures["figures"]["truoc-han"], 0, "{figures}");
        app.stop().await;
    }
);

on_both_databases!(
    a_refused_form_counts_once_against_the_lookup_limit,
    |backend| async move {
        let (app, clock) = with_lookup_limit(backend, 3, 4).await;
        let (code, key) = submitted_dossier(&app, "Lê Thị Thu").await;
        clock.advance(8);
        let withdrawal = async |key: &str| {
            let response = app
                .client
                .post(app.url("/tra-cuu/rut"))
                .form(&dossier_form(&code, key, &[]))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        };
        // Refused with the right key, and the page shown again: nothing counted.
        let (status, refused) = withdrawal(&key).await;
        assert_eq!(status, 422);
        assert!(refused.contains(&code) && refused.contains("action=\"/tra-cuu/rut\""));
        assert_eq!(lookup_counts(&app).await, 0);
        // With a wrong key, the page shown back says "not found": one miss, not two.
        let (status, _) = withdrawal(WRONG_KEY).await;
        assert_eq!(status, 404);
        assert_eq!(lookup_counts(&app).await, 1);
        for _ in 0..2 {
            assert_eq!(app.get(&status_url(&code, WRONG_KEY)).await.status(), 404);
        }
        assert_eq!(app.get(&status_url(&code, &key)).await.status(), 429);
        // Over the limit, a form is refused as too many, and its page says so.
        let (status, page) = withdrawal(&key).await;
        assert_eq!(status, 429);
        assert!(page.contains("Vui lòng thử lại sau 1 phút"), "{page}");
        assert!(
            !page.contains("action=\"/tra-cuu/rut\""),
            "the dossier stays closed"
        );
        app.stop().await;
    }
);

/// A server allowing 3 failed lookups per 10 minutes, trusting `proxies`, with a dossier whose
/// filing no longer weighs on the limit.
async fn behind(backend: common::Backend, proxies: &str) -> (TestApp, String) {
    let clock = Clock::manual(1_767_225_600);
    let proxies = app::domain::rate_limit::TrustedProxies::parse(proxies).unwrap();
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |config| {
        config.lookup_limit = LookupLimit {
            hits: 3,
            window_seconds: 600,
        };
        config.trusted_proxies = proxies;
    })
    .await
    .unwrap();
    let (code, _) = submitted_dossier(&app, "Lê Văn Tâm").await;
    clock.advance(1200);
    (app, code)
}

/// A lookup with a wrong key said to come from `forwarded`: its status code.
async fn lookup_from(app: &TestApp, code: &str, forwarded: &str) -> u16 {
    app.client
        .get(app.url(&status_url(code, WRONG_KEY)))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const FOUR_CITIZENS: [&str; 4] = [
    "198.51.100.1",
    "198.51.100.2",
    "198.51.100.3",
    "198.51.100.4",
];

on_both_databases!(
    only_a_trusted_proxy_says_who_the_client_is,
    |backend| async move {
        // The test client (127.0.0.1) is not the configured balancer: the address it writes in
        // X-Forwarded-For is ignored, so changing it does not escape the limit.
        let (app, code) = behind(backend, "10.9.9.9").await;
        let mut answers = Vec::new();
        for forwarded in FOUR_CITIZENS {
            answers.push(lookup_from(&app, &code, forwarded).await);
        }
        assert_eq!(answers, [404, 404, 404, 429]);
        app.stop().await;

        // Behind the trusted balancer (127.0.0.1 here), each citizen's address counts apart,
        // and one citizen still hits the limit.
        let (app, code) = behind(backend, "127.0.0.0/8").await;
        let mut answers = Vec::new();
        for forwarded in FOUR_CITIZENS {
            answers.push(lookup_from(&app, &code, forwarded).await);
        }
        assert_eq!(answers, [404, 404, 404, 404]);
        for _ in 0..3 {
            lookup_from(&app, &code, "198.51.100.9").await;
        }
        assert_eq!(lookup_from(&app, &code, "198.51.100.9").await, 429);
        // A client cannot hide behind an address of the balancer's own network.
        assert_eq!(
            lookup_from(&app, &code, "198.51.100.9, 127.0.0.1").await,
            429
        );
        app.stop().await;
    }
);
