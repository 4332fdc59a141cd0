//! The back office over HTTP, on both back ends: every dossier action for every role, refused
//! transitions and forms, the audit entry landing with its change or not at all, staff-only
//! files, counter intake, the queue's filters and the settings.

mod common;

use app::db::Clock;
use app::domain::back_office::{Action, Role};
use app::domain::calendar::Date;
use app::domain::lifecycle::Status;
use common::filing::{
    JPEG, PDF, PNG, UPLOADS, applicant_form, location, post_form, required_documents, start,
    submitted_dossier, upload,
};
use common::staff::{PASSWORD, Staff, create_user, result_count, sign_in, signed_in};
use common::{Backend, TestApp};
use sqlx::Row;

/// The member every hand-over in these tests goes to.
const COLLEAGUE: &str = "dong.nghiep";

fn today() -> Date {
    Date::in_vietnam(app::db::unix_now())
}

async fn status_of(app: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT status FROM dossiers WHERE code = $1")
        .bind(code)
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .try_get("status")
        .unwrap()
}

async fn events_of(app: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM dossier_events WHERE dossier_code = $1")
        .bind(code)
        .fetch_one(app.db.writer())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// An online dossier moved (by an operator) to `status` along the lifecycle.
async fn dossier_in(app: &TestApp, name: &str, status: Status) -> String {
    dossier_and_key_in(app, name, status).await.0
}

/// The same, with the lookup key that opens its status page.
async fn dossier_and_key_in(app: &TestApp, name: &str, status: Status) -> (String, String) {
    let (code, key) = submitted_dossier(app, name).await;
    let path: &[Status] = match status {
        Status::Submitted => &[],
        Status::Accepted => &[Status::Accepted],
        Status::Processing => &[Status::Accepted, Status::Processing],
        Status::ResultReady => &[Status::Accepted, Status::Processing, Status::ResultReady],
        Status::SupplementRequested => &[
            Status::Accepted,
            Status::Processing,
            Status::SupplementRequested,
        ],
        other => panic!("no path to {other:?} here"),
    };
    for step in path {
        app.db
            .change_status(&code, *step, "quan-tri:test", "", None, app::db::unix_now())
            .await
            .unwrap();
    }
    (code, key)
}

/// A status the action applies to, and a valid form for it.
fn setting_for(action: Action) -> (Status, Vec<(&'static str, String)>) {
    let later = |days| today().add_days(days).iso();
    match action {
        Action::Accept => (Status::Submitted, vec![("ghi-chu", "Đủ giấy tờ".into())]),
        Action::Refuse => (Status::Submitted, vec![("ly-do", "Sai thủ tục".into())]),
        Action::StartProcessing => (Status::Accepted, vec![]),
        Action::RequestSupplement => (
            Status::Processing,
            vec![
                ("giay-to-can", "Bản sao giấy khai sinh".into()),
                ("han-bo-sung", later(7)),
            ],
        ),
        Action::RequestFee => (
            Status::Processing,
            vec![
                ("so-tien", "50.000".into()),
                ("cach-nop", "Tại quầy".into()),
            ],
        ),
        Action::MarkResultReady => (
            Status::Processing,
            vec![
                ("so-ket-qua", "15/GCN".into()),
                ("noi-nhan", "Quầy 2".into()),
            ],
        ),
        Action::HandOver => (
            Status::ResultReady,
            vec![
                ("nguoi-lay-ket-qua", "Phạm Văn Nam".into()),
                ("cccd-nguoi-lay", "001203004567".into()),
                ("quan-he", "Con trai người nộp".into()),
            ],
        ),
        Action::PassOn => (Status::Accepted, vec![("nguoi-nhan", COLLEAGUE.into())]),
        Action::Stop => (
            Status::Processing,
            vec![("ly-do", "Người nộp đề nghị".into())],
        ),
        Action::Apologise => (
            Status::Processing,
            vec![
                ("ngay-hen-moi", later(10)),
                ("loi-xin-loi", "Xin lỗi ông bà".into()),
            ],
        ),
        other => panic!("{other:?} is not a dossier action"),
    }
}

async fn act(
    app: &TestApp,
    staff: &Staff,
    code: &str,
    action: Action,
    form: &[(&str, String)],
) -> reqwest::Response {
    let checks = common::staff::checks_for(action);
    let form: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .chain(checks.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    staff
        .post(
            app,
            &format!("/can-bo/ho-so/{code}/{}", action.key()),
            &form,
        )
        .await
}

on_both_databases!(
    every_action_is_allowed_for_its_role_and_forbidden_for_the_others,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let staff = [
            (Role::Clerk, signed_in(&app, "tiep.nhan", Role::Clerk).await),
            (
                Role::Specialist,
                signed_in(&app, "xu.ly", Role::Specialist).await,
            ),
            (Role::Admin, signed_in(&app, "lanh.dao", Role::Admin).await),
        ];
        create_user(&app, COLLEAGUE, Role::Clerk).await;
        // Who may take each action (clerk, specialist, admin) and the status it leads to, as
        // docs/back_office.md states them: written out here, not asked of `Role::may`.
        let table = [
            (Action::Accept, [true, false, true], Some(2)),
            (Action::Refuse, [true, false, true], Some(3)),
            (Action::StartProcessing, [false, true, true], Some(4)),
            (Action::RequestSupplement, [false, true, true], Some(5)),
            (Action::RequestFee, [false, true, true], Some(6)),
            (Action::MarkResultReady, [false, true, true], Some(9)),
            (Action::HandOver, [true, false, true], Some(10)),
            (Action::PassOn, [true, true, true], None),
            (Action::Stop, [false, true, true], Some(8)),
            (Action::Apologise, [false, true, true], None),
        ];
        assert_eq!(table.len(), Action::ON_A_DOSSIER.len());
        for (action, allowed, target) in table {
            let (from, form) = setting_for(action);
            for ((role, member), allowed) in staff.iter().zip(allowed) {
                let code = dossier_in(&app, "Phạm Thị Mai", from).await;
                let events = events_of(&app, &code).await;
                let response = act(&app, member, &code, action, &form).await;
                if allowed {
                    assert_eq!(response.status(), 303, "{role:?} {action:?}");
                    assert_eq!(
                        location(&response),
                        format!("/can-bo/ho-so/{code}?xong={}", action.key())
                    );
                    let expected = target.unwrap_or(from.code());
                    assert_eq!(status_of(&app, &code).await, expected);
                    if action == Action::PassOn {
                        // A hand-over is a row of the control slip, not a status change.
                        let handover = sqlx::query(
                            "SELECT from_username, to_username FROM dossier_handovers \
                             WHERE dossier_code = $1",
                        )
                        .bind(&code)
                        .fetch_one(app.db.writer())
                        .await
                        .unwrap();
                        assert_eq!(
                            handover.try_get::<String, _>("from_username").unwrap(),
                            member.username
                        );
                        assert_eq!(
                            handover.try_get::<String, _>("to_username").unwrap(),
                            COLLEAGUE
                        );
                        assert_eq!(events_of(&app, &code).await, events);
                        continue;
                    }
                    let entry = sqlx::query(
                        "SELECT actor, from_status, to_status FROM dossier_events \
                         WHERE dossier_code = $1 ORDER BY id DESC LIMIT 1",
                    )
                    .bind(&code)
                    .fetch_one(app.db.writer())
                    .await
                    .unwrap();
                    assert_eq!(
                        entry.try_get::<String, _>("actor").unwrap(),
                        format!("can-bo:{}", member.username)
                    );
                    assert_eq!(entry.try_get::<i64, _>("from_status").unwrap(), from.code());
                    assert_eq!(entry.try_get::<i64, _>("to_status").unwrap(), expected);
                    assert_eq!(events_of(&app, &code).await, events + 1);
                } else {
                    assert_eq!(response.status(), 403, "{role:?} {action:?}");
                    let page = response.text().await.unwrap();
                    assert!(
                        page.contains("Vai trò của bạn không được làm việc này.")
                            && page.contains("Your role does not allow this."),
                        "a page that says why, in both languages: {page}"
                    );
                    assert_eq!(status_of(&app, &code).await, from.code());
                    assert_eq!(events_of(&app, &code).await, events, "nothing recorded");
                }
            }
        }
        app.stop().await;
    }
);

on_both_databases!(
    refused_transitions_forms_and_requests_change_nothing,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        let code = dossier_in(&app, "Võ Văn Tám", Status::Processing).await;
        let events = events_of(&app, &code).await;

        // A transition the lifecycle forbids: the page says the dossier moved on.
        for action in [Action::Accept, Action::HandOver] {
            let (_, form) = setting_for(action);
            let response = act(&app, &admin, &code, action, &form).await;
            assert_eq!(response.status(), 409, "{action:?}");
            let page = response.text().await.unwrap();
            assert!(page.contains("Hồ sơ vừa chuyển sang tình trạng khác"));
        }
        // A form missing what the citizen must be told: the page again, with the message.
        let response = act(&app, &admin, &code, Action::Stop, &[("ly-do", "  ".into())]).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Vui lòng điền mục này.")
                && page.contains("<details open class=\"action\">")
        );
        let response = act(
            &app,
            &admin,
            &code,
            Action::RequestSupplement,
            &[
                ("giay-to-can", "Ảnh".into()),
                ("han-bo-sung", today().iso()),
            ],
        )
        .await;
        assert_eq!(response.status(), 422);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Vui lòng chọn một ngày sau hôm nay.")
        );

        // Without the session's CSRF token, or without a session, nothing happens.
        let forged = app
            .client
            .post(app.url(&format!("/can-bo/ho-so/{code}/dung-xu-ly")))
            .header("cookie", &admin.cookie)
            .form(&[("ly-do", "Giả mạo")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let page = forged.text().await.unwrap();
        assert!(page.contains("Biểu mẫu đã cũ") && page.contains("This form has expired"));
        let anonymous = app
            .client
            .post(app.url(&format!("/can-bo/ho-so/{code}/dung-xu-ly")))
            .form(&[("ly-do", "Giả mạo"), ("csrf", admin.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 303);
        assert_eq!(location(&anonymous), "/can-bo/dang-nhap");
        let unknown = act(&app, &admin, &code, Action::ManageUsers, &[]).await;
        assert_eq!(unknown.status(), 404, "not an action on a dossier");
        let missing = act(
            &app,
            &admin,
            "000.00.00.H00-991231-9999",
            Action::Stop,
            &[("ly-do", "x".into())],
        )
        .await;
        assert_eq!(missing.status(), 404);

        assert_eq!(status_of(&app, &code).await, Status::Processing.code());
        assert_eq!(events_of(&app, &code).await, events);
        app.stop().await;
    }
);

on_both_databases!(
    a_status_change_and_its_audit_entry_land_together,
    |backend| async move {
        // Tuesday 8 December 2026, 10:00 in Vietnam: inside office hours, so acceptance puts the
        // appointment after today whatever the hour the test runs at (at 00:30 a same-day
        // procedure would be due that very day).
        let tuesday_morning = 1_796_698_800;
        let app = TestApp::spawn_with_clock(backend, Clock::manual(tuesday_morning), |_| {})
            .await
            .unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let code = dossier_in(&app, "Bùi Thị Thu", Status::Submitted).await;
        // The audit insert fails after the status update in the same transaction.
        let inject = match backend {
            Backend::Sqlite => vec![
                "CREATE TRIGGER fail_audit BEFORE INSERT ON dossier_events \
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
            ],
            Backend::Postgres => vec![
                "CREATE FUNCTION fail_audit() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'injected failure'; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER fail_audit BEFORE INSERT ON dossier_events \
                 FOR EACH ROW EXECUTE FUNCTION fail_audit()",
            ],
        };
        for sql in inject {
            sqlx::query(sql).execute(app.db.writer()).await.unwrap();
        }
        let (_, form) = setting_for(Action::Accept);
        let response = act(&app, &clerk, &code, Action::Accept, &form).await;
        assert_eq!(response.status(), 500);
        assert!(
            !response.text().await.unwrap().contains("injected"),
            "no detail leaks"
        );
        assert_eq!(
            status_of(&app, &code).await,
            1,
            "the status did not change alone"
        );
        assert_eq!(events_of(&app, &code).await, 1);

        sqlx::query(match backend {
            Backend::Sqlite => "DROP TRIGGER fail_audit",
            Backend::Postgres => "DROP TRIGGER fail_audit ON dossier_events",
        })
        .execute(app.db.writer())
        .await
        .unwrap();
        let response = act(&app, &clerk, &code, Action::Accept, &form).await;
        assert_eq!(response.status(), 303);
        assert_eq!(status_of(&app, &code).await, 2);
        assert_eq!(events_of(&app, &code).await, 2);
        // Acceptance starts the clock: the appointment and the due date are set from now.
        let row = sqlx::query("SELECT appointment_date, due_date FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(app.db.writer())
            .await
            .unwrap();
        let appointment: Option<String> = row.try_get("appointment_date").unwrap();
        let due: Option<String> = row.try_get("due_date").unwrap();
        assert!(
            appointment
                .as_deref()
                .and_then(Date::parse_iso)
                .is_some_and(|d| d > Date::in_vietnam(tuesday_morning))
        );
        assert_eq!(appointment, due);
        app.stop().await;
    }
);

on_both_databases!(
    files_are_offered_under_their_checked_type_and_no_hidden_characters,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let token = start(&app, UPLOADS).await;
        let path = format!("/ho-so-nhap/{token}/nguoi-nop");
        assert_eq!(
            post_form(&app, &path, &applicant_form(&[])).await.status(),
            303
        );
        let required = required_documents(&app, UPLOADS).await;
        let files: [(usize, &str, &[u8]); 3] = [
            (required[0], "bao-cao.html", PDF),
            (required[0], "anh.svg", PNG),
            (required[1], "hoa-don\u{202E}gpj.exe", JPEG),
        ];
        assert_eq!(upload(&app, &token, &files, "tiep-tuc").await.status(), 303);
        let declared = [("cam-doan".to_owned(), "1".to_owned())];
        let response = post_form(&app, &format!("/ho-so-nhap/{token}/nop"), &declared).await;
        assert_eq!(response.status(), 303);
        // A name stored before names were cleaned at upload is cleaned when offered.
        sqlx::query("UPDATE dossier_files SET original_name = $1 WHERE content_type = $2")
            .bind("cu\u{202E}lmth.html")
            .bind("image/png")
            .execute(app.db.writer())
            .await
            .unwrap();
        let rows = sqlx::query(
            "SELECT dossier_code, stored_name, content_type FROM dossier_files ORDER BY content_type",
        )
        .fetch_all(app.db.writer())
        .await
        .unwrap();
        let mut offered = Vec::new();
        for row in rows {
            let code: String = row.try_get("dossier_code").unwrap();
            let stored: String = row.try_get("stored_name").unwrap();
            let file = clerk
                .get(&app, &format!("/can-bo/ho-so/{code}/tep/{stored}"))
                .await;
            assert_eq!(file.status(), 200);
            offered.push((
                row.try_get::<String, _>("content_type").unwrap(),
                file.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .to_owned(),
            ));
        }
        assert_eq!(
            offered,
            [
                (
                    "application/pdf".to_owned(),
                    "inline; filename=\"bao-cao.pdf\"; filename*=UTF-8''bao-cao.pdf".to_owned()
                ),
                (
                    "image/jpeg".to_owned(),
                    "inline; filename=\"hoa-dongpj.jpg\"; filename*=UTF-8''hoa-dongpj.jpg"
                        .to_owned()
                ),
                (
                    "image/png".to_owned(),
                    "inline; filename=\"culmth.png\"; filename*=UTF-8''culmth.png".to_owned()
                ),
            ]
        );
        app.stop().await;
    }
);

on_both_databases!(
    the_dossier_page_and_its_files_are_for_staff_only,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let specialist = signed_in(&app, "xu.ly", Role::Specialist).await;
        let code = dossier_in(&app, "Đặng Văn Long", Status::Processing).await;
        let stored: String =
            sqlx::query("SELECT stored_name FROM dossier_files WHERE dossier_code = $1")
                .bind(&code)
                .fetch_one(app.db.writer())
                .await
                .unwrap()
                .try_get("stored_name")
                .unwrap();
        let file_path = format!("/can-bo/ho-so/{code}/tep/{stored}");

        let page = specialist.get(&app, &format!("/can-bo/ho-so/{code}")).await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("Đặng Văn Long") && page.contains(&file_path));
        // A specialist sees the processing actions, not the clerk's.
        assert!(page.contains("/yeu-cau-bo-sung\"") && !page.contains("/tiep-nhan\""));

        let file = specialist.get(&app, &file_path).await;
        assert_eq!(file.status(), 200);
        assert_eq!(file.headers()["content-type"], "application/pdf");
        assert_eq!(file.headers()["x-content-type-options"], "nosniff");
        let disposition = file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.starts_with("inline;") && disposition.contains("giay-to.pdf"));
        assert_eq!(file.bytes().await.unwrap().as_ref(), common::filing::PDF);

        let anonymous = app.get(&file_path).await;
        assert_eq!(
            anonymous.status(),
            303,
            "citizens and strangers are sent to sign in"
        );
        assert_eq!(
            app.get(&format!("/can-bo/ho-so/{code}")).await.status(),
            303
        );
        for wrong in [
            format!("/can-bo/ho-so/{code}/tep/..%2F..%2Fetc%2Fpasswd"),
            format!("/can-bo/ho-so/000.00.00.H00-991231-9999/tep/{stored}"),
        ] {
            assert_eq!(specialist.get(&app, &wrong).await.status(), 404, "{wrong}");
        }
        assert_eq!(
            specialist
                .get(&app, "/can-bo/ho-so/000.00.00.H00-991231-9999")
                .await
                .status(),
            404
        );
        app.stop().await;
    }
);

on_both_databases!(
    the_queue_filters_by_procedure_channel_days_and_deadline,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let overdue = dossier_in(&app, "Quá Hạn", Status::Accepted).await;
        let due_soon = dossier_in(&app, "Sắp Hạn", Status::Accepted).await;
        let later = dossier_in(&app, "Còn Lâu", Status::Accepted).await;
        let paused = dossier_in(&app, "Đang Chờ", Status::SupplementRequested).await;
        for (code, due) in [
            (&overdue, today().add_days(-3)),
            (&due_soon, today()),
            (&later, today().add_days(40)),
            (&paused, today().add_days(-3)),
        ] {
            sqlx::query("UPDATE dossiers SET due_date = $1 WHERE code = $2")
                .bind(due.iso())
                .bind(code)
                .execute(app.db.writer())
                .await
                .unwrap();
        }
        let listed = |query: String| {
            let (app, clerk) = (&app, clerk.clone());
            async move {
                let response = clerk.get(app, &format!("/can-bo/ho-so?{query}")).await;
                assert_eq!(response.status(), 200, "{query}");
                response.text().await.unwrap()
            }
        };
        let page = listed("han=qua-han".into()).await;
        assert!(
            result_count(&page) == 1 && page.contains(&overdue),
            "paused dossiers are not late"
        );
        let page = listed("han=sap-den-han".into()).await;
        assert!(result_count(&page) == 1 && page.contains(&due_soon));
        let page = listed(format!("thu-tuc={}&kenh=2", common::filing::ONE_CASE)).await;
        assert!(result_count(&page) == 4);
        assert_eq!(result_count(&listed("kenh=1".into()).await), 0);
        let tomorrow = format!("tu-ngay={}", today().add_days(1).iso());
        assert!(result_count(&listed(tomorrow).await) == 0);
        let today_only = format!("tu-ngay={0}&den-ngay={0}", today().day_month_year());
        assert!(result_count(&listed(today_only).await) == 4);

        // A citizen at the counter is found by phone, identity number or code as typed.
        sqlx::query(
            "UPDATE dossiers SET applicant_phone = '0987654321', \
             applicant_citizen_id = '079123456789' WHERE code = $1",
        )
        .bind(&later)
        .execute(app.db.writer())
        .await
        .unwrap();
        let compact: String = later.chars().filter(char::is_ascii_alphanumeric).collect();
        for typed in [
            "0987+654+321",
            "%2B84+987654321",
            "079+123+456+789",
            compact.to_lowercase().as_str(),
        ] {
            let page = listed(format!("q={typed}")).await;
            assert!(result_count(&page) == 1 && page.contains(&later), "{typed}");
        }
        assert_eq!(result_count(&listed("q=0911111111".into()).await), 0);
        app.stop().await;
    }
);

on_both_databases!(
    due_soon_is_one_rule_on_the_staff_page_the_queue_and_the_status_page,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let running = dossier_and_key_in(&app, "Đang Chạy", Status::Processing).await;
        let paused = dossier_and_key_in(&app, "Đang Chờ", Status::SupplementRequested).await;
        // Both were promised for today; only the one whose clock runs is due soon.
        sqlx::query("UPDATE dossiers SET appointment_date = $1, due_date = $1")
            .bind(today().iso())
            .execute(app.db.writer())
            .await
            .unwrap();
        let queue = clerk.get(&app, "/can-bo/ho-so?han=sap-den-han").await;
        let queue = queue.text().await.unwrap();
        assert!(
            queue.contains(&running.0),
            "running dossier in the due-soon filter"
        );
        assert!(
            !queue.contains(&paused.0),
            "paused dossier in the due-soon filter"
        );
        for ((code, key), due_soon) in [(&running, true), (&paused, false)] {
            let staff_page = clerk.get(&app, &format!("/can-bo/ho-so/{code}")).await;
            let staff_page = staff_page.text().await.unwrap();
            assert_eq!(
                staff_page.contains("· Sắp đến hạn"),
                due_soon,
                "staff page of {code}"
            );
            let (status, citizen_page) = app
                .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
                .await;
            assert_eq!(status, 200);
            // The citizen reads when to expect the result, or that the clock waits for them;
            // "due soon" is the staff's word.
            assert!(
                !citizen_page.contains("Sắp đến hạn"),
                "status page of {code}"
            );
            assert_eq!(
                citizen_page.contains("Tạm dừng – chờ bạn bổ sung giấy tờ"),
                !due_soon,
                "status page of {code}"
            );
        }
        app.stop().await;
    }
);

on_both_databases!(admins_manage_accounts_and_caveats, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
    let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
    assert_eq!(clerk.get(&app, "/can-bo/quan-tri").await.status(), 403);
    assert_eq!(admin.get(&app, "/can-bo/quan-tri").await.status(), 200);

    let new_user = [
        ("ten", "mai.xuly"),
        ("ho-ten", "Lê Thị Mai"),
        ("vai-tro", "xu-ly"),
        ("mat-khau", "ngan"),
    ];
    let response = admin.post(&app, "/can-bo/quan-tri/can-bo", &new_user).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Mật khẩu cần ít nhất 10 ký tự.") && !page.contains("value=\"ngan\""));
    let mut new_user = new_user;
    new_user[3].1 = PASSWORD;
    assert_eq!(
        clerk
            .post(&app, "/can-bo/quan-tri/can-bo", &new_user)
            .await
            .status(),
        403
    );
    assert_eq!(
        admin
            .post(&app, "/can-bo/quan-tri/can-bo", &new_user)
            .await
            .status(),
        303
    );
    let response = admin.post(&app, "/can-bo/quan-tri/can-bo", &new_user).await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Tên đăng nhập này đã có người dùng.")
    );
    assert_eq!(sign_in(&app, "mai.xuly", PASSWORD).await.status(), 303);

    // Switching an account off ends its sessions; admins cannot switch themselves off.
    let response = admin
        .post(
            &app,
            "/can-bo/quan-tri/can-bo/tiep.nhan",
            &[("vai-tro", "tiep-nhan")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(clerk.get(&app, "/can-bo").await.status(), 303);
    assert_eq!(sign_in(&app, "tiep.nhan", PASSWORD).await.status(), 401);
    let own = admin
        .post(
            &app,
            "/can-bo/quan-tri/can-bo/lanh.dao",
            &[("vai-tro", "tiep-nhan")],
        )
        .await;
    assert_eq!(own.status(), 409);

    let procedure = common::filing::ONE_CASE;
    let caveat = "Mang theo bản chính giấy tờ <b>gốc</b> khi nhận kết quả.";
    let response = admin
        .post(
            &app,
            "/can-bo/quan-tri/luu-y",
            &[("thu-tuc", procedure), ("luu-y", caveat)],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = app.get_text(&format!("/thu-tuc/{procedure}")).await;
    assert!(
        page.contains("Mang theo bản chính giấy tờ &lt;b&gt;gốc&lt;/b&gt;"),
        "shown to citizens, escaped"
    );
    admin
        .post(
            &app,
            "/can-bo/quan-tri/luu-y",
            &[("thu-tuc", procedure), ("luu-y", "")],
        )
        .await;
    let (_, page) = app.get_text(&format!("/thu-tuc/{procedure}")).await;
    assert!(!page.contains("Mang theo bản chính giấy tờ"));
    app.stop().await;
});

on_both_databases!(a_wrong_password_costs_time, |backend| async move {
    let app = TestApp::spawn(backend).await.unwrap();
    common::staff::create_user(&app, "tiep.nhan", Role::Clerk).await;
    // A lower bound, so it cannot fail on a slow machine: guessing is slowed down.
    let started = std::time::Instant::now();
    assert_eq!(
        sign_in(&app, "tiep.nhan", "doan-mo-mat-khau")
            .await
            .status(),
        401
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
    let started = std::time::Instant::now();
    assert_eq!(
        sign_in(&app, "tiep.nhan", "doan-mo-lan-hai").await.status(),
        401
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(1000),
        "and more each time"
    );
    app.stop().await;
});

/// The appointment a clerk's acceptance gives a new online dossier (one working day): its
/// date, after checking that its hour is the hour of acceptance and that the citizen's status
/// page shows both.
async fn appointment_of_a_new_dossier(app: &TestApp, clerk: &Staff, name: &str) -> Date {
    let (code, key) = submitted_dossier(app, name).await;
    let (_, form) = setting_for(Action::Accept);
    let accepted = act(app, clerk, &code, Action::Accept, &form).await;
    assert_eq!(accepted.status(), 303);
    let row =
        sqlx::query("SELECT appointment_date, appointment_time FROM dossiers WHERE code = $1")
            .bind(&code)
            .fetch_one(app.db.writer())
            .await
            .unwrap();
    let date: String = row.try_get("appointment_date").unwrap();
    let time: String = row.try_get("appointment_time").unwrap();
    assert_eq!(time, "09:00", "one working day keeps the hour");
    let date = Date::parse_iso(&date).unwrap();
    let (_, page) = app
        .get_text(&format!("/tra-cuu?ma={code}&khoa={key}"))
        .await;
    let shown = format!("09:00 ngày {}", date.day_month_year());
    assert!(page.contains(&shown), "{shown}");
    date
}

on_both_databases!(
    a_day_the_admin_enters_moves_the_next_appointment,
    |backend| async move {
        // Friday 4 December 2026, 09:00 in Vietnam; the procedure takes one working day.
        let friday = Date::new(2026, 12, 4).start_in_vietnam() + 9 * 3600;
        let app = TestApp::spawn_with_clock(backend, Clock::manual(friday), |_| {})
            .await
            .unwrap();
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        assert_eq!(
            appointment_of_a_new_dossier(&app, &clerk, "Nguyễn Văn An").await,
            Date::new(2026, 12, 7),
            "Monday"
        );

        let enter = |pairs: &'static [(&'static str, &'static str)]| {
            let (app, admin) = (&app, &admin);
            async move { admin.post(app, "/can-bo/quan-tri/ngay-nghi", pairs).await }
        };
        let monday_off = &[
            ("ngay", "07/12/2026"),
            ("ngay-nay", "nghi"),
            ("ghi-chu-ngay", "Nghỉ hoán đổi"),
            ("van-ban", "Thông báo 1/TB-UBND ngày 1/12/2026"),
        ];
        assert_eq!(enter(monday_off).await.status(), 303);
        assert_eq!(
            appointment_of_a_new_dossier(&app, &clerk, "Trần Thị Bình").await,
            Date::new(2026, 12, 8),
            "Monday is off now"
        );
        let saturday_worked = &[
            ("ngay", "05/12/2026"),
            ("ngay-nay", "lam-viec"),
            ("ghi-chu-ngay", "Làm bù cho thứ Hai 7/12"),
            ("van-ban", "Thông báo 1/TB-UBND ngày 1/12/2026"),
        ];
        assert_eq!(enter(saturday_worked).await.status(), 303);
        assert_eq!(
            appointment_of_a_new_dossier(&app, &clerk, "Lê Văn Cường").await,
            Date::new(2026, 12, 5),
            "the Saturday is worked"
        );

        // The year's page shows both days with their reasons, and the rule's own days.
        let page = admin
            .get(&app, "/can-bo/quan-tri?nam=2026")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Thứ Bảy, 05/12/2026</strong>: Làm việc"),
            "{page}"
        );
        assert!(page.contains("Làm bù cho thứ Hai 7/12 (Thông báo 1/TB-UBND ngày 1/12/2026)"));
        assert!(page.contains("Chủ nhật, 26/04/2026</strong>: Nghỉ. Giỗ Tổ Hùng Vương"));
        assert!(page.contains("Thứ Hai, 27/04/2026</strong>: Nghỉ. Nghỉ bù Giỗ Tổ Hùng Vương"));
        assert!(
            page.contains("Làm bù cho thứ Hai 31/8"),
            "the shipped 2026 notice is seeded"
        );

        // A bad entry is refused with its problems; removing an entry gives the day back to the
        // rule; a clerk may not enter days.
        let bad = admin
            .post(
                &app,
                "/can-bo/quan-tri/ngay-nghi",
                &[("ngay", "31/02/2026"), ("ngay-nay", "nghi")],
            )
            .await;
        assert_eq!(bad.status(), 422);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("Ngày chưa đúng") && bad.contains("Vui lòng điền mục này."));
        assert_eq!(
            clerk
                .post(&app, "/can-bo/quan-tri/ngay-nghi", monday_off)
                .await
                .status(),
            403
        );
        let removed = admin
            .post(
                &app,
                "/can-bo/quan-tri/ngay-nghi",
                &[("ngay", "2026-12-07"), ("xoa", "1")],
            )
            .await;
        assert_eq!(removed.status(), 303);
        let removed = admin
            .post(
                &app,
                "/can-bo/quan-tri/ngay-nghi",
                &[("ngay", "2026-12-05"), ("xoa", "1")],
            )
            .await;
        assert_eq!(removed.status(), 303);
        assert_eq!(
            appointment_of_a_new_dossier(&app, &clerk, "Phạm Thị Dung").await,
            Date::new(2026, 12, 7)
        );
        app.stop().await;
    }
);

on_both_databases!(
    an_incomplete_dossier_goes_back_for_completion_at_intake_and_is_then_accepted,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let (code, _) = submitted_dossier(&app, "Đinh Văn Tám").await;
        let (_, form) = setting_for(Action::RequestSupplement);
        let response = act(&app, &clerk, &code, Action::RequestSupplement, &form).await;
        assert_eq!(response.status(), 303, "1 → 5 at intake, not a refusal");
        assert_eq!(status_of(&app, &code).await, 5);
        // Not accepted yet: it cannot go on to processing, only be accepted.
        let (_, none) = setting_for(Action::StartProcessing);
        let specialist = signed_in(&app, "xu.ly", Role::Specialist).await;
        let response = act(&app, &specialist, &code, Action::StartProcessing, &none).await;
        assert_eq!(response.status(), 409);
        assert_eq!(status_of(&app, &code).await, 5);
        let page = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("/tiep-nhan\"") && !page.contains("/chuyen-xu-ly\""));
        let (_, accept) = setting_for(Action::Accept);
        let response = act(&app, &clerk, &code, Action::Accept, &accept).await;
        assert_eq!(response.status(), 303, "5 → 2 once complete");
        assert_eq!(status_of(&app, &code).await, 2);

        // A supplement asked for later goes back to processing, never to a second acceptance.
        let response = act(&app, &specialist, &code, Action::StartProcessing, &none).await;
        assert_eq!(response.status(), 303);
        let response = act(&app, &specialist, &code, Action::RequestSupplement, &form).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            act(&app, &clerk, &code, Action::Accept, &accept)
                .await
                .status(),
            409
        );
        let response = act(&app, &specialist, &code, Action::StartProcessing, &none).await;
        assert_eq!(response.status(), 303);
        assert_eq!(status_of(&app, &code).await, 4);
        app.stop().await;
    }
);

/// The count the staff home page shows for the work named `name`.
fn todo_count(page: &str, name: &str) -> i64 {
    let page = page.replace("<!>", "");
    let at = page
        .find(&format!("<span class=\"todo-name\">{name}</span>"))
        .unwrap_or_else(|| panic!("no to-do {name}"));
    let before = &page[..at];
    let count = &before[before.rfind("<span class=\"todo-count\">").unwrap() + 25..];
    count[..count.find('<').unwrap()].parse().unwrap()
}

on_both_databases!(
    the_home_page_counts_the_work_and_the_queue_lists_it_soonest_due_first,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let admin = signed_in(&app, "lanh.dao", Role::Admin).await;
        dossier_in(&app, "Chờ Tiếp Nhận", Status::Submitted).await;
        dossier_in(&app, "Chờ Trả", Status::ResultReady).await;
        let asked = dossier_in(&app, "Chưa Gửi", Status::Processing).await;
        let (sent, key) = dossier_and_key_in(&app, "Đã Gửi", Status::Processing).await;
        let (_, request) = setting_for(Action::RequestSupplement);
        for code in [&asked, &sent] {
            let response = act(&app, &admin, code, Action::RequestSupplement, &request).await;
            assert_eq!(response.status(), 303);
        }
        // One citizen sends the paper asked for; the other has not yet.
        let form = reqwest::multipart::Form::new()
            .text("ma", sent.clone())
            .text("khoa", key.clone())
            .part(
                "giay-to-0",
                reqwest::multipart::Part::bytes(JPEG.to_vec()).file_name("khai-sinh.jpg"),
            );
        // Sent by the upload island, which asks for JSON: told where to go next.
        let response = app
            .client
            .post(app.url("/tra-cuu/bo-sung"))
            .header("accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let reply: serde_json::Value = response.json().await.unwrap();
        assert!(reply["redirect"].as_str().unwrap().starts_with("/tra-cuu?"));

        // The sending is a line of the dossier's audit trail, after the request it answers.
        let page = admin
            .get(&app, &format!("/can-bo/ho-so/{sent}"))
            .await
            .text()
            .await
            .unwrap()
            .replace("<!>", "");
        let arrived = page
            .find("Người dân gửi bổ sung")
            .expect("the arrival in the trail");
        assert!(page[..arrived].contains("Qua-trinh") || page[..arrived].contains("qua-trinh"));
        assert!(page[arrived..].contains("(1 tệp)"));
        let page = admin
            .get(&app, &format!("/can-bo/ho-so/{asked}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("Người dân gửi bổ sung"));

        let home = admin.get(&app, "/can-bo").await.text().await.unwrap();
        assert_eq!(todo_count(&home, "Chờ tiếp nhận"), 1);
        assert_eq!(todo_count(&home, "Dân đã gửi bổ sung"), 1);
        assert_eq!(todo_count(&home, "Chờ trả kết quả"), 1);
        assert!(
            home.contains("bo-sung-moi=1"),
            "each count links to its list"
        );

        let response = admin.get(&app, "/can-bo/ho-so?bo-sung-moi=1&xep=han").await;
        let remembered = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("motcua_ds="))
            .expect("the queue remembers its filter");
        assert!(remembered.contains("HttpOnly") && remembered.contains("Path=/can-bo"));
        let queue = response.text().await.unwrap();
        assert_eq!(result_count(&queue), 1);
        assert!(queue.contains(&sent) && !queue.contains(&asked));
        assert!(queue.contains("Dân đã gửi bổ sung"));

        // Back from a dossier, the list is the one left.
        let cookie = remembered.split(';').next().unwrap();
        let dossier = app
            .client
            .get(app.url(&format!("/can-bo/ho-so/{sent}")))
            .header("cookie", format!("{}; {cookie}", admin.cookie))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            dossier.contains("href=\"/can-bo/ho-so?bo-sung-moi=1&amp;xep=han\""),
            "the way back keeps the filter"
        );
        app.stop().await;
    }
);

on_both_databases!(
    accept_and_open_the_next_goes_to_the_next_dossier_waiting,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let first = dossier_in(&app, "Người Thứ Nhất", Status::Submitted).await;
        let second = dossier_in(&app, "Người Thứ Hai", Status::Submitted).await;
        let (_, mut form) = setting_for(Action::Accept);
        form.push(("mo-tiep", "1".into()));
        let response = act(&app, &clerk, &first, Action::Accept, &form).await;
        assert_eq!(response.status(), 303);
        let next = location(&response);
        assert!(
            next.starts_with(&format!("/can-bo/ho-so/{second}?")),
            "{next}"
        );
        assert_eq!(status_of(&app, &first).await, Status::Accepted.code());
        let page = clerk.get(&app, &next).await.text().await.unwrap();
        assert!(
            page.contains(&format!("href=\"/can-bo/ho-so/{first}\"")),
            "the one just accepted is named"
        );

        // The last one waiting: back to its own page.
        let response = act(&app, &clerk, &second, Action::Accept, &form).await;
        assert_eq!(
            location(&response),
            format!("/can-bo/ho-so/{second}?xong={}", Action::Accept.key())
        );
        app.stop().await;
    }
);

on_both_databases!(
    a_scanned_receipt_finds_its_dossier_and_leaves_the_key_behind,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let (code, key) = submitted_dossier(&app, "Người Có Giấy Hẹn").await;
        let scanned = format!("http://127.0.0.1/tra-cuu?ma={code}&khoa={key}");
        let path = app::domain::url::with_query("/can-bo/ho-so", &[("q", scanned.as_str())]);
        let response = clerk.get(&app, &path).await;
        assert_eq!(response.status(), 303);
        let clean = location(&response);
        assert!(!clean.contains(&key) && !clean.contains("khoa"), "{clean}");
        let page = clerk.get(&app, &clean).await.text().await.unwrap();
        assert_eq!(result_count(&page), 1);
        assert!(page.contains(&code));
        app.stop().await;
    }
);

on_both_databases!(
    the_counter_offers_the_procedures_filed_most_as_one_tap_choices,
    |backend| async move {
        let app = TestApp::spawn(backend).await.unwrap();
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let empty = clerk
            .get(&app, "/can-bo/tiep-nhan")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !empty.contains("class=\"most-filed\""),
            "nothing filed yet, no choices"
        );
        submitted_dossier(&app, "Người Thứ Nhất").await;
        submitted_dossier(&app, "Người Thứ Hai").await;
        let page = clerk
            .get(&app, "/can-bo/tiep-nhan")
            .await
            .text()
            .await
            .unwrap();
        let choices = &page[page.find("class=\"most-filed\"").expect("the choices")..];
        assert!(choices.contains("href=\"/can-bo/tiep-nhan?thu-tuc=2.000635\""));
        app.stop().await;
    }
);
