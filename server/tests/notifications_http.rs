//! Telling citizens (issue 20), on both back ends: the outbox row commits with its status change
//! or not at all; the worker retries a failing provider and delivers once; a message sent but
//! not recorded (a worker that died) is not sent twice by a provider that honours its key; two
//! workers never send the same message and keep each dossier's messages in order; the citizen
//! changes the channel from the status page; an email reaches a real SMTP server (aiosmtpd,
//! STARTTLS) with the right link and Vietnamese text.
//!
//! The SMS provider is a local HTTP server implementing eSMS's documented contract
//! (`SendMultipleMessage_V4_post_json`: its fields, its result codes, `RequestId` refused a
//! second time with 124): the real service cannot be reached from here.

mod common;

use app::db::Clock;
use app::db::tracking::ChangeOutcome;
use app::domain::filing::field;
use app::domain::lifecycle::Status;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use common::TestApp;
use common::filing::*;
use server::notify::{EmailSettings, Notifier, Secret, SmsSettings, SmtpSecurity};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const PUBLIC_URL: &str = "https://motcua.xa-thunghiem.gov.vn";
const ESMS_PATH: &str = "/MainService.svc/json/SendMultipleMessage_V4_post_json/";
/// 2026-12-07 09:00 in Vietnam.
const MONDAY_MORNING: i64 = 1_796_608_800;

/// What the gateway was sent.
#[derive(Debug, Default, Clone)]
struct GatewayLog {
    /// Every request, as (RequestId, phone, content), in arrival order.
    requests: Vec<(String, String, String)>,
    /// The RequestIds it accepted (code 100), in order.
    accepted: Vec<String>,
    /// Answers left to fail with HTTP 503 before working again.
    failures_left: u32,
    /// How long it takes to answer after taking a message (a slow provider).
    answer_after: std::time::Duration,
}

/// A local eSMS: checks the request as the documentation describes it and answers its codes.
#[derive(Clone, Default)]
struct Gateway(Arc<Mutex<GatewayLog>>);

impl Gateway {
    async fn start(&self) -> String {
        let router = axum::Router::new()
            .route(ESMS_PATH, axum::routing::post(esms_send))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}{ESMS_PATH}")
    }

    fn log(&self) -> std::sync::MutexGuard<'_, GatewayLog> {
        self.0.lock().unwrap()
    }

    /// What it was sent so far.
    fn seen(&self) -> GatewayLog {
        self.log().clone()
    }
}

async fn esms_send(
    State(gateway): State<Gateway>,
    Json(body): Json<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    let field = |name: &str| body.get(name).cloned().unwrap_or_default();
    let (code, count, answer_after) = {
        let mut log = gateway.log();
        log.requests
            .push((field("RequestId"), field("Phone"), field("Content")));
        if log.failures_left > 0 {
            log.failures_left -= 1;
            return Err(StatusCode::SERVICE_UNAVAILABLE);
        }
        let phone = field("Phone");
        let code = if field("ApiKey") != "test-key" || field("SecretKey") != "test-secret" {
            "101"
        } else if field("Brandname") != "XA-THUNGHIEM" {
            "104"
        } else if field("SmsType") != "2" {
            "118"
        } else if phone.len() != 10
            || !phone.starts_with('0')
            || !phone.bytes().all(|b| b.is_ascii_digit())
        {
            "108"
        } else if log.accepted.contains(&field("RequestId")) {
            "124"
        } else {
            log.accepted.push(field("RequestId"));
            "100"
        };
        (code, log.requests.len(), log.answer_after)
    };
    // Taken (or refused) first, answered later: a worker killed in between never hears.
    tokio::time::sleep(answer_after).await;
    Ok(Json(serde_json::json!({
        "CodeResult": code,
        "CountRegenerate": 0,
        "SMSID": format!("sms-{count}"),
    })))
}

fn sms_settings(endpoint: String) -> SmsSettings {
    SmsSettings {
        endpoint,
        api_key: Secret("test-key".to_owned()),
        secret_key: Secret("test-secret".to_owned()),
        brandname: "XA-THUNGHIEM".to_owned(),
        sandbox: false,
    }
}

/// The app with SMS set up through `gateway`, on a clock the test moves, and a worker for it
/// (the test runs the worker's rounds itself).
async fn app_with_sms(backend: common::Backend, gateway: &Gateway) -> Option<(TestApp, Notifier)> {
    let endpoint = gateway.start().await;
    let sms = sms_settings(endpoint);
    let configured = sms.clone();
    let app = TestApp::spawn_with_clock(backend, Clock::manual(MONDAY_MORNING), |config| {
        config.public_url = Some(PUBLIC_URL.to_owned());
        config.notifications.sms = Some(configured);
    })
    .await?;
    let notifier = worker(app.db.clone(), Some(sms), None);
    Some((app, notifier))
}

fn worker(
    db: app::db::Database,
    sms: Option<SmsSettings>,
    email: Option<EmailSettings>,
) -> Notifier {
    let settings = server::notify::NotifySettings {
        sms,
        email,
        ..Default::default()
    };
    Notifier::new(
        db,
        settings,
        "Trung tâm Phục vụ hành chính công xã Thử Nghiệm".to_owned(),
        PUBLIC_URL.to_owned(),
    )
    .unwrap()
}

/// A dossier's messages, oldest first, as (state, kind, attempts, event id).
async fn messages(app: &TestApp, code: &str) -> Vec<(String, String, i64, Option<i64>)> {
    sqlx::query(
        "SELECT state, kind, attempts, event_id FROM notification_messages \
         WHERE dossier_code = $1 ORDER BY id",
    )
    .bind(code)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.get::<String, _>("state"),
            row.get::<String, _>("kind"),
            row.get::<i64, _>("attempts"),
            row.get::<Option<i64>, _>("event_id"),
        )
    })
    .collect()
}

async fn change(app: &TestApp, code: &str, to: Status) -> ChangeOutcome {
    app.db
        .change_status(code, to, "can-bo:test", "", None, app.db.now())
        .await
        .unwrap()
}

async fn last_event_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT MAX(id) AS id FROM dossier_events WHERE dossier_code = $1")
        .bind(code)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("id")
}

const BY_SMS: &[(&str, &str)] = &[(field::NOTIFY, "sms")];

on_both_databases!(
    a_status_change_and_its_message_commit_together,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, _)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        let received = last_event_id(&app, &code).await;
        assert_eq!(
            messages(&app, &code).await,
            vec![(
                "pending".to_owned(),
                "received".to_owned(),
                0,
                Some(received)
            )]
        );

        assert!(matches!(
            change(&app, &code, Status::Accepted).await,
            ChangeOutcome::Changed { .. }
        ));
        let accepted = last_event_id(&app, &code).await;
        assert_eq!(
            messages(&app, &code).await[1],
            (
                "pending".to_owned(),
                "accepted".to_owned(),
                0,
                Some(accepted)
            )
        );

        // An outbox that cannot be written takes the change down with it.
        sqlx::query("DROP TABLE notification_messages")
            .execute(app.db.pool())
            .await
            .unwrap();
        let failed = app
            .db
            .change_status(
                &code,
                Status::Processing,
                "can-bo:test",
                "",
                None,
                app.db.now(),
            )
            .await;
        assert!(failed.is_err());
        let status: i64 = sqlx::query("SELECT status FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, Status::Accepted.code());
        assert_eq!(last_event_id(&app, &code).await, accepted);
        app.stop().await;
    }
);

on_both_databases!(
    a_dossier_without_a_channel_writes_no_message,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, _)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier(&app, "Trần Văn Bình").await;
        change(&app, &code, Status::Accepted).await;
        assert_eq!(messages(&app, &code).await, vec![]);
        app.stop().await;
    }
);

on_both_databases!(
    a_provider_failing_three_times_then_working_delivers_once,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, notifier)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        gateway.log().failures_left = 3;
        let clock = app.db.clone();
        // Tries at once, then 30 s, 60 s and 120 s after each failure.
        for (wait, state_after) in [
            (0, "pending"),
            (30, "pending"),
            (60, "pending"),
            (120, "sent"),
        ] {
            advance(&app, wait - 1);
            assert_eq!(
                notifier.deliver_due(clock.now()).await.unwrap(),
                0,
                "not due {wait} s in"
            );
            advance(&app, 1);
            assert_eq!(notifier.deliver_due(clock.now()).await.unwrap(), 1);
            assert_eq!(messages(&app, &code).await[0].0, state_after);
        }
        let log = gateway.seen();
        assert_eq!(log.requests.len(), 4);
        assert_eq!(log.accepted.len(), 1);
        // The same key every time; the text one SMS, without diacritics, with the code and link.
        assert!(
            log.requests
                .iter()
                .all(|(key, _, _)| *key == log.accepted[0])
        );
        let (_, phone, content) = &log.requests[3];
        assert_eq!(phone, "0912345678");
        assert!(
            content.is_ascii() && content.chars().count() <= 160,
            "{content}"
        );
        assert!(
            content.contains(&format!("{PUBLIC_URL}/tra-cuu?ma={code}")),
            "{content}"
        );
        assert_eq!(messages(&app, &code).await[0].2, 4);
        app.stop().await;
    }
);

/// Moves the app's manual clock by `seconds` (the worker reads the same clock).
fn advance(app: &TestApp, seconds: i64) {
    app.clock.advance(seconds);
}

on_both_databases!(
    a_message_sent_but_not_recorded_is_not_sent_twice,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, notifier)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        // As if the worker had died after the provider took the message and before recording it:
        // the row still says "sending", its lease running.
        sqlx::query(
            "UPDATE notification_messages SET state = 'sending', lease_until = $1, sent_at = NULL",
        )
        .bind(app.db.now() + 120)
        .execute(app.db.pool())
        .await
        .unwrap();
        assert_eq!(
            notifier.deliver_due(app.db.now()).await.unwrap(),
            0,
            "held by its lease"
        );
        advance(&app, 121);
        assert_eq!(
            notifier.deliver_due(app.db.now()).await.unwrap(),
            1,
            "taken again"
        );
        let log = gateway.seen();
        assert_eq!(log.requests.len(), 2);
        assert_eq!(log.accepted.len(), 1, "eSMS refused the second with 124");
        let answer: String = sqlx::query("SELECT provider_answer FROM notification_messages")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("provider_answer");
        assert!(answer.starts_with("CodeResult 124"), "{answer}");
        assert_eq!(messages(&app, &code).await[0].0, "sent");
        app.stop().await;
    }
);

on_both_databases!(
    a_refused_message_waits_for_staff_to_resend_it,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, _)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        // A worker with the wrong key: eSMS answers 101, which no retry mends.
        let mut wrong = sms_settings(endpoint(&app));
        wrong.api_key = Secret("old-key".to_owned());
        let misconfigured = worker(app.db.clone(), Some(wrong), None);
        assert_eq!(misconfigured.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[0].0, "dead");
        let dead = app.db.dead_messages(10).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert!(dead[0].provider_answer.starts_with("CodeResult 101"));
        // Staff resend it from the page of failed messages; the mended worker delivers it.
        let staff =
            common::staff::signed_in(&app, "thu", app::domain::back_office::Role::Clerk).await;
        let page = staff
            .get(&app, app::paths::STAFF_MESSAGES)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&code), "the failed message is listed");
        let id = dead[0].id.to_string();
        let key_before: String = sqlx::query("SELECT idempotency_key FROM notification_messages")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("idempotency_key");
        let response = staff
            .post(
                &app,
                app::paths::STAFF_RESEND,
                &[(app::paths::MESSAGE_FIELD, id.as_str())],
            )
            .await;
        assert_eq!(response.status(), 303);
        let key_after: String = sqlx::query("SELECT idempotency_key FROM notification_messages")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("idempotency_key");
        assert_ne!(
            key_before, key_after,
            "a resend is a new request to the provider"
        );
        let mended = worker(app.db.clone(), Some(sms_settings(endpoint(&app))), None);
        assert_eq!(mended.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[0].0, "sent");
        assert_eq!(gateway.seen().accepted.len(), 1);
        app.stop().await;
    }
);

/// The endpoint of the test's gateway, as the app was configured with it.
fn endpoint(app: &TestApp) -> String {
    app.config
        .notifications
        .sms
        .as_ref()
        .expect("SMS set up")
        .endpoint
        .clone()
}

/// Enough dossiers and workers that workers taking messages at once meet in every run (without
/// `SKIP LOCKED` this test saw messages sent twice in each of five runs on PostgreSQL).
const DOSSIERS: usize = 24;
const WORKERS: usize = 4;

on_both_databases!(
    two_workers_never_send_the_same_message_and_keep_each_dossiers_order,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, first)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let mut codes = Vec::new();
        for _ in 0..DOSSIERS {
            let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
            for status in [
                Status::Accepted,
                Status::Processing,
                Status::ResultReady,
                Status::HandedOver,
            ] {
                change(&app, &code, status).await;
            }
            codes.push(code);
        }
        // Four app servers' workers, each with its own connections to the same database, taking
        // rounds at the same moments (a barrier before each), until none finds anything left.
        let mut workers = vec![first];
        for _ in 1..WORKERS {
            let db = app::db::Database::connect(&app.database_url())
                .await
                .unwrap()
                .with_clock(app.clock.clone());
            workers.push(worker(db, Some(sms_settings(endpoint(&app))), None));
        }
        let barrier = Arc::new(tokio::sync::Barrier::new(WORKERS));
        let now = app.db.now();
        let rounds = workers.into_iter().map(|notifier| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let mut sent = 0;
                for _ in 0..DOSSIERS * 5 {
                    barrier.wait().await;
                    sent += notifier.deliver_due(now).await.unwrap();
                }
                sent
            })
        });
        let mut total = 0;
        for round in rounds.collect::<Vec<_>>() {
            total += round.await.unwrap();
        }
        assert_eq!(total, DOSSIERS * 5);
        let log = gateway.seen();
        assert_eq!(log.requests.len(), DOSSIERS * 5, "no message sent twice");
        assert_eq!(log.accepted.len(), DOSSIERS * 5);
        for code in &codes {
            let kinds: Vec<String> = messages(&app, code)
                .await
                .into_iter()
                .map(|m| m.1)
                .collect();
            assert_eq!(
                kinds,
                [
                    "received",
                    "accepted",
                    "processing",
                    "result-ready",
                    "handed-over"
                ]
            );
            let order: Vec<String> = sqlx::query("SELECT idempotency_key FROM notification_messages WHERE dossier_code = $1 ORDER BY id")
            .bind(code)
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get("idempotency_key"))
            .collect();
            let log = gateway.seen();
            let arrival: Vec<&String> = log
                .accepted
                .iter()
                .filter(|key| order.contains(key))
                .collect();
            assert_eq!(
                arrival,
                order.iter().collect::<Vec<_>>(),
                "{code}: sent in order"
            );
        }
        app.stop().await;
    }
);

on_both_databases!(
    the_citizen_changes_the_channel_from_the_status_page,
    |backend| async move {
        let gateway = Gateway::default();
        let endpoint = gateway.start().await;
        let Some(app) =
            TestApp::spawn_with_clock(backend, Clock::manual(MONDAY_MORNING), |config| {
                config.public_url = Some(PUBLIC_URL.to_owned());
                config.notifications.sms = Some(sms_settings(endpoint.clone()));
                // Offered on the form; this test never sends an email.
                config.notifications.email = Some(EmailSettings {
                    host: "127.0.0.1".to_owned(),
                    port: 9,
                    security: SmtpSecurity::None,
                    user: None,
                    password: None,
                    from: "motcua@xa-thunghiem.gov.vn".to_owned(),
                    ca_file: None,
                });
            })
            .await
        else {
            return;
        };
        let notifier = worker(app.db.clone(), Some(sms_settings(endpoint)), None);
        let (code, key) = submitted_dossier(&app, "Lê Thị Hoa").await;
        let page = app
            .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
            .await
            .1;
        assert!(
            page.contains("Không cần báo, tôi tự tra cứu"),
            "the current choice is shown"
        );
        let post = |channel: &str, key: &str| {
            let form = vec![
                ("ma".to_owned(), code.clone()),
                ("khoa".to_owned(), key.to_owned()),
                (field::NOTIFY.to_owned(), channel.to_owned()),
            ];
            let app = &app;
            async move { post_form(app, app::paths::NOTIFY_CHOICE, &form).await }
        };
        // Email was given no address: refused, in words, the choice kept.
        let refused = post("email", &key).await;
        assert_eq!(refused.status(), 422);
        let body = refused.text().await.unwrap();
        assert!(body.contains("vui lòng điền địa chỉ thư điện tử"), "{body}");
        assert!(body.contains("value=\"email\" checked"));
        // A way the center has not set up, and a wrong key, change nothing.
        let unavailable = post("zalo", &key).await;
        assert_eq!(unavailable.status(), 422);
        assert!(
            unavailable
                .text()
                .await
                .unwrap()
                .contains("Trung tâm chưa gửi tin theo cách này")
        );
        assert_eq!(post("sms", "AAAA-AAAA").await.status(), 404);
        let moved = post("sms", &key).await;
        assert_eq!(moved.status(), 303);
        assert!(location(&moved).starts_with(&format!("/tra-cuu?ma={code}&khoa=")));
        change(&app, &code, Status::Accepted).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        let log = gateway.seen();
        assert_eq!(log.accepted.len(), 1);
        assert!(
            log.requests[0].2.contains("tiep nhan"),
            "{}",
            log.requests[0].2
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_supplement_is_reminded_once_two_working_days_before_its_deadline,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, notifier)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        change(&app, &code, Status::Accepted).await;
        // Monday 7 December: papers asked for by Friday 11 December.
        let deadline = app::domain::calendar::Date {
            year: 2026,
            month: 12,
            day: 11,
        };
        let details = app::domain::tracking::EventDetails::Supplement {
            documents: vec!["Giấy chứng sinh".to_owned()],
            deadline,
        };
        app.db
            .change_status(
                &code,
                Status::SupplementRequested,
                "can-bo:test",
                "",
                Some(&details),
                app.db.now(),
            )
            .await
            .unwrap();
        let requested = last_event_id(&app, &code).await;
        assert_eq!(
            app.db.remind_supplements(app.db.now()).await.unwrap(),
            0,
            "Monday"
        );
        advance(&app, 86_400);
        assert_eq!(
            app.db.remind_supplements(app.db.now()).await.unwrap(),
            0,
            "Tuesday"
        );
        advance(&app, 86_400);
        assert_eq!(
            app.db.remind_supplements(app.db.now()).await.unwrap(),
            1,
            "Wednesday"
        );
        assert_eq!(
            app.db.remind_supplements(app.db.now()).await.unwrap(),
            0,
            "once"
        );
        let other_server = app::db::Database::connect(&app.database_url())
            .await
            .unwrap()
            .with_clock(app.clock.clone());
        assert_eq!(
            other_server.remind_supplements(app.db.now()).await.unwrap(),
            0,
            "once for all servers"
        );
        let written = messages(&app, &code).await;
        assert_eq!(
            written.last().unwrap(),
            &(
                "pending".to_owned(),
                "supplement-reminder".to_owned(),
                0,
                Some(requested)
            )
        );
        while notifier.deliver_due(app.db.now()).await.unwrap() > 0 {}
        let sent = gateway.seen();
        assert!(
            sent.requests
                .last()
                .unwrap()
                .2
                .contains("can bo sung truoc 11/12/2026"),
            "{:?}",
            sent.requests.last()
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_server_killed_with_messages_in_flight_delivers_each_once_after_restart,
    |backend| async move {
        let gateway = Gateway::default();
        let sms = gateway.start().await;
        // On the system's clock: the server binary reads it.
        let Some(app) = TestApp::spawn_with(backend, |config| {
            config.public_url = Some(PUBLIC_URL.to_owned());
            config.notifications.sms = Some(sms_settings(sms.clone()));
        })
        .await
        else {
            return;
        };
        // Ten citizens who asked for SMS, three messages each, waiting in the outbox.
        let mut codes = Vec::new();
        for _ in 0..10 {
            let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
            change(&app, &code, Status::Accepted).await;
            change(&app, &code, Status::Processing).await;
            codes.push(code);
        }
        let total = 30;
        // A slow provider: it takes a message, then answers 300 ms later.
        gateway.log().answer_after = std::time::Duration::from_millis(300);
        let binary = std::path::Path::new(env!("CARGO_BIN_EXE_server"));
        let environment = [
            ("MOTCUA_PUBLIC_URL", PUBLIC_URL),
            ("MOTCUA_SMS_URL", sms.as_str()),
            ("MOTCUA_SMS_API_KEY", "test-key"),
            ("MOTCUA_SMS_SECRET_KEY", "test-secret"),
            ("MOTCUA_SMS_BRANDNAME", "XA-THUNGHIEM"),
            ("MOTCUA_NOTIFY_POLL_MS", "50"),
            ("MOTCUA_NOTIFY_LEASE_SECONDS", "2"),
        ];
        let mut server = bench::server::Server::start_with(binary, app.site(), 1, &environment)
            .await
            .unwrap();
        // Killed while the provider has taken messages the server has not heard back about.
        let began = std::time::Instant::now();
        while gateway.seen().accepted.is_empty() {
            assert!(
                began.elapsed().as_secs() < 60,
                "the worker sent nothing: {}",
                server.log()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        server.kill();
        let at_kill = gateway.seen().accepted.len();
        let in_flight: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM notification_messages WHERE state = 'sending'")
                .fetch_one(app.db.pool())
                .await
                .unwrap()
                .get("n");
        assert!(in_flight > 0, "messages were in flight at the kill");
        assert!(at_kill < total, "the kill came before the end");

        let mut server = bench::server::Server::start_with(binary, app.site(), 2, &environment)
            .await
            .unwrap();
        let began = std::time::Instant::now();
        loop {
            let sent: i64 =
                sqlx::query("SELECT COUNT(*) AS n FROM notification_messages WHERE state = 'sent'")
                    .fetch_one(app.db.pool())
                    .await
                    .unwrap()
                    .get("n");
            if sent == total as i64 {
                break;
            }
            assert!(
                began.elapsed().as_secs() < 90,
                "{sent} of {total} sent: {}",
                server.log()
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        server.stop();
        assert_eq!(server.panics(), 0, "{}", server.log());
        let seen = gateway.seen();
        let mut unique = seen.accepted.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            seen.accepted.len(),
            total,
            "each message taken by the provider once"
        );
        assert_eq!(unique.len(), total);
        assert!(
            seen.requests.len() > total,
            "the messages in flight were sent again, and refused as duplicates"
        );
        for code in &codes {
            let kinds: Vec<String> = messages(&app, code)
                .await
                .into_iter()
                .map(|m| m.1)
                .collect();
            assert_eq!(kinds, ["received", "accepted", "processing"]);
        }
        app.stop().await;
    }
);

on_both_databases!(
    a_slow_worker_whose_lease_ran_out_records_nothing,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, _)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        let slow = app.db.claim_messages(app.db.now(), 120, 10).await.unwrap();
        advance(&app, 121);
        let retaken = app.db.claim_messages(app.db.now(), 120, 10).await.unwrap();
        assert_eq!((slow.len(), retaken.len()), (1, 1));
        // The first worker's answer comes in late: the message is the second's now.
        let policy = app::domain::notifications::RetryPolicy::default();
        let late = app::domain::notifications::Outcome::GiveUp {
            answer: "late".to_owned(),
        };
        app.db
            .record_delivery(&slow[0], &late, "", policy, app.db.now())
            .await
            .unwrap();
        assert_eq!(messages(&app, &code).await[0].0, "sending");
        let sent = app::domain::notifications::Outcome::Delivered {
            answer: "100".to_owned(),
        };
        app.db
            .record_delivery(&retaken[0], &sent, "", policy, app.db.now())
            .await
            .unwrap();
        assert_eq!(messages(&app, &code).await[0].0, "sent");
        app.stop().await;
    }
);

on_both_databases!(
    a_message_this_server_cannot_read_does_not_hold_up_the_others,
    |backend| async move {
        let gateway = Gateway::default();
        let Some((app, notifier)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let (unreadable, _) = submitted_dossier_with(&app, BY_SMS).await;
        let (readable, _) = submitted_dossier_with(&app, BY_SMS).await;
        // As a newer version might write it.
        sqlx::query("UPDATE notification_messages SET notice_json = '\"FutureNotice\"' WHERE dossier_code = $1")
        .bind(&unreadable)
        .execute(app.db.pool())
        .await
        .unwrap();
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &readable).await[0].0, "sent");
        assert_eq!(messages(&app, &unreadable).await[0].0, "dead");
        let dead = app.db.dead_messages(10).await.unwrap();
        assert!(
            dead[0].provider_answer.starts_with("không đọc được tin"),
            "{dead:?}"
        );
        app.stop().await;
    }
);

/// A browser's push service on loopback that decrypts and checks what it gets with an
/// independent implementation (`scripts/lib/push_endpoint.py`: http_ece, cryptography).
struct PushService {
    child: std::process::Child,
    port: u16,
    subscription: serde_json::Value,
}

impl PushService {
    fn start(answer: u16) -> PushService {
        use std::io::BufRead;
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scripts/lib/push_endpoint.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(answer.to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs the push service (scripts/setup --tests installs http_ece)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let mut parts = line.splitn(3, ' ');
        assert_eq!(
            parts.next(),
            Some("READY"),
            "the push service did not start: {line:?}"
        );
        PushService {
            port: parts.next().unwrap().parse().unwrap(),
            subscription: serde_json::from_str(parts.next().unwrap()).unwrap(),
            child,
        }
    }

    fn form(&self, code: &str, key: &str) -> Vec<(String, String)> {
        let field = |name: &str, value: &serde_json::Value| {
            (name.to_owned(), value.as_str().unwrap().to_owned())
        };
        vec![
            ("ma".to_owned(), code.to_owned()),
            ("khoa".to_owned(), key.to_owned()),
            field("endpoint", &self.subscription["endpoint"]),
            field("p256dh", &self.subscription["keys"]["p256dh"]),
            field("auth", &self.subscription["keys"]["auth"]),
        ]
    }

    async fn received(&self) -> Vec<serde_json::Value> {
        reqwest::get(format!("http://127.0.0.1:{}/received", self.port))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

on_both_databases!(
    a_phone_subscribed_on_the_status_page_gets_an_encrypted_signed_push,
    |backend| async move {
        let phone = PushService::start(201);
        let unsubscribed = PushService::start(410);
        let Some(app) = TestApp::spawn_with(backend, |config| {
            config.public_url = Some(PUBLIC_URL.to_owned());
            config.notifications.push = Some(server::notify::PushSettings {
                subject: PUBLIC_URL.to_owned(),
                hosts: vec!["127.0.0.1".to_owned()],
                public_key: None,
            });
        })
        .await
        else {
            return;
        };
        let (code, key) = submitted_dossier(&app, "Phạm Thị Mai").await;
        let page = app
            .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
            .await
            .1;
        let public_key = app
            .config
            .notifications
            .push
            .as_ref()
            .unwrap()
            .public_key
            .clone()
            .unwrap();
        assert!(
            page.contains(&public_key),
            "the status page carries the server's public key"
        );

        // A subscription naming another address than a push service is refused.
        let mut evil = phone.form(&code, &key);
        evil[2].1 = "https://evil.example/push".to_owned();
        assert_eq!(
            post_form(&app, app::paths::PUSH_SUBSCRIBE, &evil)
                .await
                .status(),
            422
        );
        let subscribed =
            post_form(&app, app::paths::PUSH_SUBSCRIBE, &phone.form(&code, &key)).await;
        assert_eq!(subscribed.status(), 303);
        assert!(app.db.push_subscription(&code).await.unwrap().is_some());

        change(&app, &code, Status::Accepted).await;
        let vapid = server::notify::vapid_key(&app.db, PUBLIC_URL.to_owned())
            .await
            .unwrap();
        assert_eq!(
            vapid.public_key(),
            public_key,
            "one key, kept in the database"
        );
        let notifier = worker(app.db.clone(), None, None).with_push(vapid).unwrap();
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        let received = phone.received().await;
        assert_eq!(received.len(), 1, "{received:?}");
        let push = &received[0];
        assert!(push.get("error").is_none(), "{push}");
        assert_eq!(push["Content-Encoding"], "aes128gcm");
        assert_eq!(push["vapid"]["sub"], PUBLIC_URL);
        assert_eq!(
            push["payload"]["title"],
            format!("Hồ sơ {code} đã được tiếp nhận")
        );
        assert_eq!(
            push["payload"]["url"],
            format!("{PUBLIC_URL}/tra-cuu?ma={code}")
        );
        assert!(
            push["payload"]["body"]
                .as_str()
                .unwrap()
                .contains("đã được tiếp nhận")
        );
        assert!(push["Topic"].as_str().unwrap().len() <= 32);
        assert_eq!(messages(&app, &code).await[0].0, "sent");

        // A browser that unsubscribed: its push service answers 410, and the message is given up.
        let (other, other_key) = submitted_dossier(&app, "Vũ Văn Nam").await;
        let gone = post_form(
            &app,
            app::paths::PUSH_SUBSCRIBE,
            &unsubscribed.form(&other, &other_key),
        )
        .await;
        assert_eq!(gone.status(), 303);
        change(&app, &other, Status::Accepted).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &other).await[0].0, "dead");
        assert_eq!(unsubscribed.received().await.len(), 1);
        assert!(
            app.db.push_subscription(&other).await.unwrap().is_none(),
            "a gone subscription is forgotten"
        );
        let channel: String = sqlx::query("SELECT notify_channel FROM dossiers WHERE code = $1")
            .bind(&other)
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("notify_channel");
        assert_eq!(channel, "none");
        app.stop().await;
    }
);

/// The folder a running SMTP sink keeps messages in, and the sink (stopped when dropped).
struct SmtpSink {
    child: std::process::Child,
    folder: std::path::PathBuf,
    port: u16,
    ca: std::path::PathBuf,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        use std::io::BufRead;
        let folder = std::env::temp_dir()
            .join(format!("motcua-smtp-{}", std::process::id()))
            .join(format!("{:x}", rand_suffix()));
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lib/smtp_sink.py");
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(&folder)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP sink (scripts/setup --tests installs aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            parts.first(),
            Some(&"READY"),
            "the SMTP sink did not start: {line:?}"
        );
        SmtpSink {
            port: parts[1].parse().unwrap(),
            ca: parts[2].into(),
            folder,
            child,
        }
    }

    /// The messages received so far, parsed by Python's email package (an independent reader
    /// of MIME and RFC 2047): headers decoded, the text and HTML parts.
    fn received(&self) -> Vec<serde_json::Value> {
        let output = std::process::Command::new("python3")
            .arg("-c")
            .arg(READ_MESSAGES)
            .arg(&self.folder)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

const READ_MESSAGES: &str = r#"
import email, email.policy, glob, json, sys
out = []
for name in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    with open(name, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    out.append({
        "subject": str(message["Subject"]), "to": str(message["To"]), "from": str(message["From"]),
        "message_id": str(message["Message-ID"]), "transport": str(message["X-Sink-Transport"]),
        "content_type": message.get_content_type(),
        "text": text.get_content() if text else "", "html": html.get_content() if html else "",
    })
print(json.dumps(out))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_reaches_a_real_smtp_server_with_the_link_and_vietnamese_text() {
    let sink = SmtpSink::start();
    let email = EmailSettings {
        host: "127.0.0.1".to_owned(),
        port: sink.port,
        security: SmtpSecurity::StartTls,
        user: None,
        password: None,
        from: "Trung tâm xã Thử Nghiệm <motcua@xa-thunghiem.gov.vn>".to_owned(),
        ca_file: Some(sink.ca.clone()),
    };
    let configured = email.clone();
    let app = TestApp::spawn_with(common::Backend::Sqlite, |config| {
        config.public_url = Some(PUBLIC_URL.to_owned());
        config.notifications.email = Some(configured);
    })
    .await
    .unwrap();
    // The filing form offers email; without an address the choice is refused in words.
    let token = start(&app, ONE_CASE).await;
    let page = app
        .get_text(&format!("/ho-so-nhap/{token}/nguoi-nop"))
        .await
        .1;
    assert!(page.contains("value=\"email\""), "email is offered");
    assert!(!page.contains("value=\"sms\""), "SMS is not set up");
    let refused = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[(field::NOTIFY, "email")]),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let refused_sms = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[(field::NOTIFY, "sms")]),
    )
    .await;
    assert_eq!(
        refused_sms.status(),
        422,
        "a channel the center has not set up"
    );

    let (code, key) = submitted_dossier_with(
        &app,
        &[
            (field::NOTIFY, "email"),
            (field::EMAIL, "lan.nguyen@example.vn"),
        ],
    )
    .await;
    let receipt = app
        .get_text(&format!("/giay-hen?ma={code}&khoa={key}"))
        .await
        .1;
    assert!(
        receipt.contains("Thư điện tử (email) ở trên"),
        "the receipt names the channel"
    );
    let notifier = worker(app.db.clone(), None, Some(email));
    assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
    change(&app, &code, Status::Accepted).await;
    assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);

    let received = sink.received();
    assert_eq!(received.len(), 2, "{received:?}");
    let first = &received[0];
    assert_eq!(first["subject"], format!("Đã nhận hồ sơ {code}"));
    assert_eq!(first["to"], "lan.nguyen@example.vn");
    assert_eq!(
        first["from"],
        "Trung tâm xã Thử Nghiệm <motcua@xa-thunghiem.gov.vn>"
    );
    assert_eq!(first["transport"], "tls", "sent after STARTTLS");
    assert_eq!(first["content_type"], "multipart/alternative");
    let link = format!("{PUBLIC_URL}/tra-cuu?ma={code}");
    let text = first["text"].as_str().unwrap();
    assert!(
        text.contains(&link) && text.contains("Trung tâm đã nhận hồ sơ"),
        "{text}"
    );
    assert!(!text.contains(&key), "the lookup key is never in a message");
    let html = first["html"].as_str().unwrap();
    assert!(html.contains(&format!("<a href=\"{link}\">")), "{html}");
    assert!(
        first["message_id"]
            .as_str()
            .unwrap()
            .ends_with("@xa-thunghiem.gov.vn>")
    );
    assert_eq!(
        received[1]["subject"],
        format!("Hồ sơ {code} đã được tiếp nhận")
    );
    let staff = common::staff::signed_in(&app, "thu", app::domain::back_office::Role::Clerk).await;
    let dossier_page = staff
        .get(&app, &app::paths::staff_dossier(&code))
        .await
        .text()
        .await
        .unwrap();
    assert!(dossier_page.contains("lan.nguyen@example.vn") && dossier_page.contains("Đã gửi"));
    app.stop().await;
}
