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
    Notifier::new(db, settings, PUBLIC_URL.to_owned()).unwrap()
}

/// A dossier's messages, oldest first, as (state, kind, attempts, event id).
async fn messages(app: &TestApp, code: &str) -> Vec<(String, String, i64, Option<i64>)> {
    sqlx::query(
        "SELECT state, kind, attempts, event_id FROM notification_messages \
         WHERE dossier_code = $1 ORDER BY id",
    )
    .bind(code)
    .fetch_all(app.db.writer())
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
        .fetch_one(app.db.writer())
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
            .execute(app.db.writer())
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
            .fetch_one(app.db.writer())
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
        .execute(app.db.writer())
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
            .fetch_one(app.db.writer())
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
        let dead = app
            .db
            .dead_messages(&app::domain::center::Reach::Province, 10)
            .await
            .unwrap();
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
            .fetch_one(app.db.writer())
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
            .fetch_one(app.db.writer())
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
            .fetch_all(app.db.writer())
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
                .fetch_one(app.db.writer())
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
                    .fetch_one(app.db.writer())
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
        let answer = |message: &app::db::notifications::OutgoingMessage, outcome| {
            app::db::notifications::Delivery {
                message: message.clone(),
                outcome,
                sent_text: String::new(),
            }
        };
        let late = || app::domain::notifications::Outcome::GiveUp {
            answer: "late".to_owned(),
        };
        app.db
            .record_deliveries(&[answer(&slow[0], late())], policy, app.db.now())
            .await
            .unwrap();
        assert_eq!(messages(&app, &code).await[0].0, "sending");
        // In one write with the second worker's answer, the late one neither stops it nor
        // overrides it.
        let sent = app::domain::notifications::Outcome::Delivered {
            answer: "100".to_owned(),
        };
        app.db
            .record_deliveries(
                &[answer(&slow[0], late()), answer(&retaken[0], sent)],
                policy,
                app.db.now(),
            )
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
        .execute(app.db.writer())
        .await
        .unwrap();
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &readable).await[0].0, "sent");
        assert_eq!(messages(&app, &unreadable).await[0].0, "dead");
        let dead = app
            .db
            .dead_messages(&app::domain::center::Reach::Province, 10)
            .await
            .unwrap();
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
        // The filing form offers this phone's browser, hidden until the page's script finds a
        // browser that can take push messages (with JavaScript off it is never shown).
        let token = start(&app, ONE_CASE).await;
        let form = app
            .get_text(&format!("/ho-so-nhap/{token}/nguoi-nop"))
            .await
            .1;
        assert!(form.contains("<div hidden class=\"choice push-choice\">"));
        assert!(form.contains("value=\"web-push\""));
        assert!(form.contains("src=\"/push.js\""));
        let (code, key) = submitted_dossier_with(&app, &[(field::NOTIFY, "web-push")]).await;
        // Nothing is written before the phone subscribed; the receipt asks it to.
        assert_eq!(messages(&app, &code).await, vec![]);
        let receipt = app
            .get_text(&format!("/giay-hen?ma={code}&khoa={key}"))
            .await
            .1;
        assert!(receipt.contains("bấm nút dưới đây và cho phép thông báo để hoàn tất"));
        assert!(receipt.contains("class=\"push-offer\""));
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
        let receipt = app
            .get_text(&format!("/giay-hen?ma={code}&khoa={key}"))
            .await
            .1;
        assert!(
            !receipt.contains("để hoàn tất") && !receipt.contains("class=\"push-offer\""),
            "subscribed: nothing more to ask"
        );

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
            .fetch_one(app.db.writer())
            .await
            .unwrap()
            .get("notify_channel");
        assert_eq!(channel, "none");
        app.stop().await;
    }
);

/// The real SMTP server (`bench::mail::SmtpSink`, stopped when dropped), in a folder of its
/// own, with what the tests read of it.
struct SmtpSink(bench::mail::SmtpSink);

impl SmtpSink {
    fn start() -> SmtpSink {
        let folder = std::env::temp_dir()
            .join(format!("motcua-smtp-{}", std::process::id()))
            .join(format!("{:x}", rand_suffix()));
        SmtpSink(
            bench::mail::SmtpSink::start(&folder)
                .expect("python3 runs the SMTP sink (scripts/setup --tests installs aiosmtpd)"),
        )
    }

    /// Settings that send to this sink with STARTTLS, trusting its CA.
    fn settings(&self) -> EmailSettings {
        EmailSettings {
            host: "127.0.0.1".to_owned(),
            port: self.0.port(),
            security: SmtpSecurity::StartTls,
            user: None,
            password: None,
            from: "Trung tâm xã Thử Nghiệm <motcua@xa-thunghiem.gov.vn>".to_owned(),
            ca_file: Some(self.0.ca().to_owned()),
        }
    }

    /// The messages received so far, parsed by Python's email package (an independent reader
    /// of MIME and RFC 2047): headers decoded, the text and HTML parts.
    fn received(&self) -> Vec<serde_json::Value> {
        let reader =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lib/read_mail.py");
        let output = std::process::Command::new("python3")
            .arg(reader)
            .arg(self.0.folder())
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
        let _ = std::fs::remove_dir_all(self.0.folder());
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_reaches_a_real_smtp_server_with_the_link_and_vietnamese_text() {
    let sink = SmtpSink::start();
    let email = sink.settings();
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
    assert!(!page.contains("web-push"), "web push is off");
    let refused_push = post_form(
        &app,
        &format!("/ho-so-nhap/{token}/nguoi-nop"),
        &applicant_form(&[(field::NOTIFY, "web-push")]),
    )
    .await;
    assert_eq!(refused_push.status(), 422);

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

/// ZNS templates the local Zalo has registered, by id: the kind and the parameters each needs.
const ZNS_TEMPLATES: &[(&str, &str, &[&str])] = &[
    ("231001", "received", &["code", "procedure"]),
    ("231002", "accepted", &["code", "procedure", "appointment"]),
    ("231003", "processing", &["code", "procedure"]),
];
const ZNS_PATH: &str = "/message/template";
const ZALO_OAUTH_PATH: &str = "/v4/oa/access_token";
/// A Zalo account that does not exist (ZNS answers -118).
const NOT_ON_ZALO: &str = "0900000118";

/// What the local Zalo holds and was sent.
#[derive(Debug, Default, Clone)]
struct ZaloLog {
    /// The access token it takes now ("" before the first renewal).
    access_token: String,
    /// The refresh token it takes next (each is taken once).
    refresh_token: String,
    renewals: u32,
    /// Every message it accepted, as (tracking_id, phone, template_id, template_data).
    sent: Vec<(String, String, String, serde_json::Value)>,
    /// Every answer's `error`, in order.
    answers: Vec<i64>,
}

/// A local Zalo implementing ZNS's documented contract: the OAuth refresh (header
/// `secret_key`, form `app_id`, `grant_type`, `refresh_token`; a refresh token taken once;
/// `expires_in` a string) and the template message (header `access_token`; `phone` as 84…,
/// a registered `template_id` with all its parameters; the `error` codes -124, -109, -108,
/// -112, -118). Its refusal of a refresh token is `error` -1 (we read only that no token came).
#[derive(Clone)]
struct Zalo(Arc<Mutex<ZaloLog>>);

impl Zalo {
    fn new() -> Zalo {
        Zalo(Arc::new(Mutex::new(ZaloLog {
            refresh_token: "refresh-0".to_owned(),
            ..Default::default()
        })))
    }

    async fn start(&self) -> String {
        let router = axum::Router::new()
            .route(ZNS_PATH, axum::routing::post(zns_send))
            .route(ZALO_OAUTH_PATH, axum::routing::post(zalo_renew))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}")
    }

    fn log(&self) -> std::sync::MutexGuard<'_, ZaloLog> {
        self.0.lock().unwrap()
    }
}

async fn zalo_renew(
    State(zalo): State<Zalo>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Json<serde_json::Value> {
    // Slow enough that messages sent at once all find the token being renewed.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut log = zalo.log();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if headers.get("secret_key").and_then(|v| v.to_str().ok()) != Some("zalo-secret")
        || field("app_id") != "zalo-app"
        || field("grant_type") != "refresh_token"
        || field("refresh_token") != log.refresh_token
    {
        return Json(serde_json::json!({
            "error": -1, "error_description": "Invalid refresh token"
        }));
    }
    log.renewals += 1;
    log.access_token = format!("access-{}", log.renewals);
    log.refresh_token = format!("refresh-{}", log.renewals);
    Json(serde_json::json!({
        "access_token": log.access_token,
        "refresh_token": log.refresh_token,
        "expires_in": "90000",
    }))
}

async fn zns_send(
    State(zalo): State<Zalo>,
    headers: axum::http::HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Json<serde_json::Value> {
    let mut log = zalo.log();
    let text = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    let phone = text("phone");
    let template = ZNS_TEMPLATES
        .iter()
        .find(|(id, _, _)| *id == body["template_id"].as_str().unwrap_or_default());
    let token = headers.get("access_token").and_then(|v| v.to_str().ok());
    let error = if log.access_token.is_empty() || token != Some(log.access_token.as_str()) {
        -124
    } else if template.is_none() {
        -109
    } else if phone.len() != 11
        || !phone.starts_with("84")
        || !phone.bytes().all(|b| b.is_ascii_digit())
    {
        -108
    } else if template.unwrap().2.iter().any(|name| {
        body["template_data"][name]
            .as_str()
            .is_none_or(|value| value.is_empty() || value.chars().count() > 100)
    }) {
        -112
    } else if phone == format!("84{}", &NOT_ON_ZALO[1..]) {
        -118
    } else {
        log.sent.push((
            text("tracking_id"),
            phone,
            text("template_id"),
            body["template_data"].clone(),
        ));
        0
    };
    log.answers.push(error);
    let count = log.sent.len();
    Json(match error {
        0 => serde_json::json!({
            "error": 0, "message": "Success",
            "data": {"msg_id": format!("zns-{count}"), "sent_time": "1796608800000",
                     "quota": {"dailyQuota": "500", "remainingQuota": "499"}},
        }),
        error => serde_json::json!({"error": error, "message": "refused"}),
    })
}

fn zalo_settings(base: &str) -> server::notify::ZaloSettings {
    server::notify::ZaloSettings {
        endpoint: format!("{base}{ZNS_PATH}"),
        oauth_endpoint: format!("{base}{ZALO_OAUTH_PATH}"),
        app_id: "zalo-app".to_owned(),
        secret_key: Secret("zalo-secret".to_owned()),
        refresh_token: Secret("refresh-0".to_owned()),
        templates: ZNS_TEMPLATES
            .iter()
            .map(|(id, kind, _)| {
                (
                    app::domain::notifications::NoticeKind::from_key(kind).unwrap(),
                    (*id).to_owned(),
                )
            })
            .collect(),
        development: false,
    }
}

/// The app with Zalo set up through `zalo`, at `now` on a manual clock, and a worker for it.
async fn app_with_zalo(
    backend: common::Backend,
    zalo: &Zalo,
    now: i64,
) -> Option<(TestApp, Notifier)> {
    let settings = zalo_settings(&zalo.start().await);
    let configured = settings.clone();
    let app = TestApp::spawn_with_clock(backend, Clock::manual(now), |config| {
        config.public_url = Some(PUBLIC_URL.to_owned());
        config.notifications.zalo = Some(configured);
    })
    .await?;
    let notifier = zalo_worker(app.db.clone(), settings).await;
    Some((app, notifier))
}

async fn zalo_worker(db: app::db::Database, zalo: server::notify::ZaloSettings) -> Notifier {
    let settings = server::notify::NotifySettings {
        zalo: Some(zalo),
        ..Default::default()
    };
    server::notify::prepare_zalo(&db, &settings).await.unwrap();
    Notifier::new(db, settings, PUBLIC_URL.to_owned()).unwrap()
}

async fn provider_answer(app: &TestApp, code: &str, kind: &str) -> String {
    sqlx::query(
        "SELECT provider_answer FROM notification_messages WHERE dossier_code = $1 AND kind = $2",
    )
    .bind(code)
    .bind(kind)
    .fetch_one(app.db.writer())
    .await
    .unwrap()
    .get("provider_answer")
}

const BY_ZALO: &[(&str, &str)] = &[(field::NOTIFY, "zalo")];

on_both_databases!(
    zalo_waits_for_six_in_the_morning_and_fills_the_registered_template,
    |backend| async move {
        let zalo = Zalo::new();
        // Sunday 6 December 2026, 23:30 in Vietnam.
        let late_evening = MONDAY_MORNING - 9 * 3600 - 1800;
        let Some((app, notifier)) = app_with_zalo(backend, &zalo, late_evening).await else {
            return;
        };
        // The filing form offers Zalo, now that it is set up.
        let token = common::filing::start(&app, ONE_CASE).await;
        let form = app
            .client
            .get(app.url(&format!("/ho-so-nhap/{token}/nguoi-nop")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(form.contains("value=\"zalo\""), "Zalo offered");

        let (code, key) = submitted_dossier_with(&app, BY_ZALO).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 0);
        advance(&app, 6 * 3600 + 1800 - 1);
        assert_eq!(
            notifier.deliver_due(app.db.now()).await.unwrap(),
            0,
            "05:59:59: Zalo does not send yet"
        );
        advance(&app, 1);
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[0].0, "sent");
        let tracking: String = sqlx::query(
            "SELECT idempotency_key FROM notification_messages WHERE dossier_code = $1",
        )
        .bind(&code)
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .get("idempotency_key");
        {
            let log = zalo.log();
            assert_eq!(
                log.renewals, 1,
                "the first message renewed the access token"
            );
            let (sent_tracking, phone, template, data) = &log.sent[0];
            assert_eq!(sent_tracking, &tracking);
            assert_eq!(phone, "84912345678");
            assert_eq!(template, "231001");
            assert_eq!(data["code"], code.as_str());
            assert!(!data.to_string().contains(&key), "never the lookup key");
        }
        assert!(
            provider_answer(&app, &code, "received")
                .await
                .starts_with("error 0")
        );

        // The next message uses the same token; the date goes into its template.
        change(&app, &code, Status::Accepted).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        {
            let log = zalo.log();
            assert_eq!(log.renewals, 1);
            assert_eq!(log.sent[1].2, "231002");
            assert!(
                log.sent[1].3["appointment"]
                    .as_str()
                    .unwrap()
                    .ends_with("/2026")
            );
        }

        // Zalo stops taking the token before its time (-124): the message waits, the token is
        // renewed, and the next try sends it once.
        zalo.log().access_token = "access-revoked".to_owned();
        change(&app, &code, Status::Processing).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[2].0, "pending");
        advance(&app, 30);
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[2].0, "sent");
        assert_eq!(zalo.log().renewals, 2);
        assert_eq!(zalo.log().answers, vec![0, 0, -124, 0]);

        // A kind the center registered no template for is given up with the reason.
        change(&app, &code, Status::ResultReady).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(messages(&app, &code).await[3].0, "dead");
        assert!(
            provider_answer(&app, &code, "result-ready")
                .await
                .contains("MOTCUA_ZALO_TEMPLATES")
        );
        app.stop().await;
    }
);

on_both_databases!(
    two_servers_sending_at_once_renew_the_zalo_token_once,
    |backend| async move {
        let zalo = Zalo::new();
        let Some((app, first)) = app_with_zalo(backend, &zalo, MONDAY_MORNING).await else {
            return;
        };
        let mut codes = Vec::new();
        for _ in 0..6 {
            codes.push(submitted_dossier_with(&app, BY_ZALO).await.0);
        }
        let (not_on_zalo, _) = submitted_dossier_with(
            &app,
            &[(field::NOTIFY, "zalo"), (field::PHONE, NOT_ON_ZALO)],
        )
        .await;
        let other_server = app::db::Database::connect(&app.database_url())
            .await
            .unwrap()
            .with_clock(app.clock.clone());
        let settings = app.config.notifications.zalo.clone().unwrap();
        let second = zalo_worker(other_server, settings).await;
        let now = app.db.now();
        let (a, b) = tokio::join!(first.deliver_due(now), second.deliver_due(now));
        assert_eq!(a.unwrap() + b.unwrap(), 7);
        let log = zalo.log().clone();
        assert_eq!(
            log.renewals, 1,
            "one renewal for all the messages sent at once"
        );
        assert_eq!(log.sent.len(), 6);
        let mut tracking: Vec<&String> = log.sent.iter().map(|(id, ..)| id).collect();
        tracking.sort();
        tracking.dedup();
        assert_eq!(tracking.len(), 6, "each message sent once");
        for code in &codes {
            assert_eq!(messages(&app, code).await[0].0, "sent");
        }
        // A number without a Zalo account cannot be helped by trying again.
        assert_eq!(messages(&app, &not_on_zalo).await[0].0, "dead");
        assert!(
            provider_answer(&app, &not_on_zalo, "received")
                .await
                .starts_with("error -118")
        );
        // Restarting with the same configured token keeps the chain the servers renewed.
        zalo_worker(
            app.db.clone(),
            app.config.notifications.zalo.clone().unwrap(),
        )
        .await;
        let stored = app.db.provider_token("zalo").await.unwrap().unwrap();
        assert_eq!(stored.refresh_token, "refresh-1");
        app.stop().await;
    }
);

on_both_databases!(
    an_administrator_previews_saves_and_resets_a_template,
    |backend| async move {
        use app::domain::back_office::Role;
        use app::domain::notifications::{NoticeKind, template_field};
        use app::i18n::Lang;
        let gateway = Gateway::default();
        let Some((app, notifier)) = app_with_sms(backend, &gateway).await else {
            return;
        };
        let admin = common::staff::signed_in(&app, "quantri", Role::Admin).await;
        let page_path = app::paths::staff_templates("accepted", "vi");
        let page = admin.get(&app, &page_path).await.text().await.unwrap();
        assert!(
            page.contains("Hồ sơ {code} đã được tiếp nhận"),
            "the words in use"
        );
        assert!(
            page.contains("Hồ sơ 000.00.12.H56-261218-0001 đã được tiếp nhận"),
            "previewed on a sample dossier"
        );
        let form = |action: &'static str, short: &'static str| {
            vec![
                (template_field::KIND, "accepted"),
                (template_field::LANGUAGE, "vi"),
                (template_field::SUBJECT, "Đã nhận hồ sơ {code} của ông/bà"),
                (
                    template_field::BODY,
                    "Hồ sơ {procedure} đã được nhận.\r\n\r\nHẹn trả: {appointment}.",
                ),
                (template_field::SHORT, short),
                (template_field::ACTION, action),
            ]
        };
        let saved = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                let agency = db.default_center().await.unwrap().agency;
                db.saved_template(&agency, NoticeKind::Accepted, Lang::Vi)
                    .await
                    .unwrap()
            }
        };

        // A preview shows the typed words filled in, keeps them in the form, saves nothing.
        let preview = admin
            .post(
                &app,
                app::paths::STAFF_TEMPLATE_SAVE,
                &form(
                    template_field::PREVIEW,
                    "Nhan ho so {code}, hen {appointment}",
                ),
            )
            .await;
        assert_eq!(preview.status(), 200);
        let preview = preview.text().await.unwrap();
        assert!(preview.contains("Đã nhận hồ sơ 000.00.12.H56-261218-0001 của ông/bà"));
        assert!(preview.contains("Nhan ho so 000.00.12.H56-261218-0001, hen 18/12/2026"));
        assert!(preview.contains("value=\"Đã nhận hồ sơ {code} của ông/bà\""));
        assert_eq!(saved(&app).await, None);

        // A name that is not a placeholder is refused, with what was typed kept.
        let refused = admin
            .post(
                &app,
                app::paths::STAFF_TEMPLATE_SAVE,
                &form(template_field::SAVE, "Ho so {ma_ho_so}"),
            )
            .await;
        assert_eq!(refused.status(), 422);
        let refused = refused.text().await.unwrap();
        assert!(
            refused.contains("không có trong danh sách chỗ trống"),
            "the problem, in Vietnamese"
        );
        assert!(
            refused.contains("Ho so {ma_ho_so}"),
            "what was typed is kept"
        );
        assert_eq!(saved(&app).await, None);

        // Only an administrator may change the words.
        let clerk = common::staff::signed_in(&app, "thu", Role::Clerk).await;
        let forbidden = clerk
            .post(
                &app,
                app::paths::STAFF_TEMPLATE_SAVE,
                &form(template_field::SAVE, "Ho so {code}"),
            )
            .await;
        assert_eq!(forbidden.status(), 403);
        assert_eq!(saved(&app).await, None);

        let saving = admin
            .post(
                &app,
                app::paths::STAFF_TEMPLATE_SAVE,
                &form(template_field::SAVE, "Nhan ho so {code}. Xem: {link}"),
            )
            .await;
        assert_eq!(saving.status(), 303);
        assert_eq!(
            location(&saving),
            format!("{page_path}&{}=1", template_field::SAVED)
        );
        let stored = saved(&app).await.expect("saved");
        assert_eq!(
            stored.body, "Hồ sơ {procedure} đã được nhận.\n\nHẹn trả: {appointment}.",
            "line ends as the messages' own"
        );

        // The next message of that kind is sent with the new words.
        let (code, _) = submitted_dossier_with(&app, BY_SMS).await;
        change(&app, &code, Status::Accepted).await;
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        assert_eq!(notifier.deliver_due(app.db.now()).await.unwrap(), 1);
        let sent = gateway.seen().requests.last().unwrap().2.clone();
        assert_eq!(
            sent,
            format!("Nhan ho so {code}. Xem: {PUBLIC_URL}/tra-cuu?ma={code}")
        );

        // And back to the program's words.
        let reset = admin
            .post(
                &app,
                app::paths::STAFF_TEMPLATE_SAVE,
                &[
                    (template_field::KIND, "accepted"),
                    (template_field::LANGUAGE, "vi"),
                    (template_field::ACTION, template_field::RESET),
                ],
            )
            .await;
        assert_eq!(reset.status(), 303);
        assert_eq!(saved(&app).await, None);
        app.stop().await;
    }
);

on_both_databases!(
    each_clerk_and_specialist_gets_one_morning_email_of_their_dossiers_due_or_late,
    |backend| async move {
        use app::domain::back_office::{Role, settings_field};
        let sink = SmtpSink::start();
        let email = sink.settings();
        // Tuesday 8 December 2026, 06:59 in Vietnam.
        let before_seven = MONDAY_MORNING + 86_400 - 2 * 3600 - 60;
        let configured = email.clone();
        let Some(app) = TestApp::spawn_with_clock(backend, Clock::manual(before_seven), |config| {
            config.public_url = Some(PUBLIC_URL.to_owned());
            config.notifications.email = Some(configured);
        })
        .await
        else {
            return;
        };
        let notifier = worker(app.db.clone(), None, Some(email));
        let admin = common::staff::signed_in(&app, "quantri", Role::Admin).await;
        common::staff::create_user(&app, "thu", Role::Clerk).await;
        common::staff::create_user(&app, "lan", Role::Specialist).await;
        common::staff::create_user(&app, "nam", Role::Specialist).await;
        // The admin gives two of them an address on the settings page; a wrong one is refused.
        for (username, role, address) in [
            ("thu", "tiep-nhan", "thu@xa-thunghiem.gov.vn"),
            ("lan", "xu-ly", "lan@xa-thunghiem.gov.vn"),
        ] {
            let response = admin
                .post(
                    &app,
                    &app::paths::user(username),
                    &[
                        (settings_field::ROLE, role),
                        (settings_field::ACTIVE, "1"),
                        (settings_field::EMAIL, address),
                    ],
                )
                .await;
            assert_eq!(response.status(), 303);
        }
        let refused = admin
            .post(
                &app,
                &app::paths::user("nam"),
                &[
                    (settings_field::ROLE, "xu-ly"),
                    (settings_field::ACTIVE, "1"),
                    (settings_field::EMAIL, "nam@"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 422);
        let refused = refused.text().await.unwrap();
        assert!(
            refused.contains("id=\"thu-dien-tu-nam\"") && refused.contains("value=\"nam@\""),
            "the row keeps what was typed"
        );
        assert!(
            refused.contains("id=\"thu-dien-tu-nam-loi\""),
            "its message is by it"
        );
        let settings = admin
            .get(&app, app::paths::SETTINGS)
            .await
            .text()
            .await
            .unwrap();
        assert!(settings.contains("value=\"lan@xa-thunghiem.gov.vn\""));

        // Five dossiers: lan's late one, lan's due tomorrow, lan's due in two weeks, one nobody
        // holds due today (the clerks'), and nam's (no address: no email).
        let mut codes = Vec::new();
        for (holder, due) in [
            (Some("lan"), "2026-12-07"),
            (Some("lan"), "2026-12-09"),
            (Some("lan"), "2026-12-22"),
            (None, "2026-12-08"),
            (Some("nam"), "2026-12-08"),
        ] {
            let (code, _) = submitted_dossier(&app, "Trần Văn Bình").await;
            sqlx::query("UPDATE dossiers SET due_date = $1, holder = $2 WHERE code = $3")
                .bind(due)
                .bind(holder)
                .bind(&code)
                .execute(app.db.writer())
                .await
                .unwrap();
            codes.push(code);
        }

        assert_eq!(
            app.db.write_staff_reminders(app.db.now()).await.unwrap(),
            0,
            "06:59"
        );
        advance(&app, 60);
        assert_eq!(app.db.write_staff_reminders(app.db.now()).await.unwrap(), 2);
        let other_server = app::db::Database::connect(&app.database_url())
            .await
            .unwrap()
            .with_clock(app.clock.clone());
        assert_eq!(
            other_server
                .write_staff_reminders(app.db.now())
                .await
                .unwrap(),
            0,
            "once a day, whichever server looks"
        );
        assert_eq!(
            notifier
                .deliver_staff_reminders(app.db.now())
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            notifier
                .deliver_staff_reminders(app.db.now())
                .await
                .unwrap(),
            0
        );

        let mail = sink.received();
        assert_eq!(mail.len(), 2);
        let to = |address: &str| {
            mail.iter()
                .find(|m| m["to"].as_str().unwrap().contains(address))
                .unwrap_or_else(|| panic!("no mail to {address}"))
                .clone()
        };
        let lan = to("lan@xa-thunghiem.gov.vn");
        assert_eq!(
            lan["subject"],
            "Nhắc việc 08/12/2026: 1 hồ sơ quá hạn, 1 hồ sơ sắp đến hạn"
        );
        let text = lan["text"].as_str().unwrap();
        assert!(text.contains(&format!("- {} ·", codes[0])) && text.contains("hạn 07/12/2026"));
        assert!(text.contains(&codes[1]));
        assert!(!text.contains(&codes[2]), "not due yet");
        assert!(
            !text.contains(&codes[3]) && !text.contains(&codes[4]),
            "not lan's"
        );
        assert!(
            !text.contains("Trần Văn Bình"),
            "no citizen's name in the email"
        );
        assert!(
            lan["html"]
                .as_str()
                .unwrap()
                .contains(&format!("href=\"{PUBLIC_URL}/can-bo/ho-so\""))
        );
        let thu = to("thu@xa-thunghiem.gov.vn");
        let text = thu["text"].as_str().unwrap();
        assert!(text.contains(&codes[3]) && !text.contains(&codes[0]));

        // A reminder retried after its day has passed is closed without an email: that day's
        // own reminder carries the list.
        sqlx::query(
            "INSERT INTO staff_reminders (day, username, state, attempts, next_attempt_at, \
             provider_answer, created_at) VALUES ('2026-12-07', 'lan', 'pending', 3, 0, '', 0)",
        )
        .execute(app.db.writer())
        .await
        .unwrap();
        assert_eq!(
            notifier
                .deliver_staff_reminders(app.db.now())
                .await
                .unwrap(),
            1
        );
        assert_eq!(sink.received().len(), 2, "no email for a day gone");
        let closed: String = sqlx::query(
            "SELECT state FROM staff_reminders WHERE day = '2026-12-07' AND username = 'lan'",
        )
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .get("state");
        assert_eq!(closed, "sent");

        // No reminder on a Saturday.
        advance(&app, 4 * 86_400);
        assert_eq!(app.db.write_staff_reminders(app.db.now()).await.unwrap(), 0);
        app.stop().await;
    }
);
