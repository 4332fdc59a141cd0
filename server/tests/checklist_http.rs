//! The intake checklist on both databases: a clerk cannot accept a dossier while a required
//! item is unticked (the page names it and keeps the ticks); with every required item ticked the
//! dossier is accepted and the ticks are in its audit trail, in words; a supplement can still be
//! asked for without ticking anything.

mod common;

use app::domain::back_office::Role;
use app::domain::intake_checklist::checklist;
use common::TestApp;
use common::filing::{count, submitted_dossier};
use common::staff::signed_in;

async fn status_of(app: &TestApp, code: &str) -> i64 {
    count(
        app,
        &format!("SELECT status FROM dossiers WHERE code = '{code}'"),
    )
    .await
}

on_both_databases!(
    a_clerk_cannot_accept_with_an_unticked_required_item,
    |backend| async move {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let (code, _) = submitted_dossier(&app, "Đỗ Thị Kiểm").await;
        let dossier = app
            .db
            .staff_dossier(&code, &app::domain::center::Reach::Province)
            .await
            .unwrap()
            .unwrap();
        let procedure = app
            .db
            .procedure_by_code(&dossier.procedure_code)
            .await
            .unwrap()
            .unwrap();
        let items = checklist(&procedure, dossier.applicant.case_index, dossier.channel);
        let required: Vec<&str> = items
            .iter()
            .filter(|item| item.required)
            .map(|item| item.field.as_str())
            .collect();
        assert!(
            !required.is_empty(),
            "the test procedure has required items"
        );
        let accept = format!("/can-bo/ho-so/{code}/tiep-nhan");

        // The page offers the checklist in the accept form.
        let page = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Kiểm tra trước khi tiếp nhận"), "{page}");
        assert!(page.contains(&format!("name=\"{}\"", required[0])));

        // All but the last required item: refused, nothing changed, the missing one named.
        let ticked: Vec<(&str, &str)> = required[..required.len() - 1]
            .iter()
            .map(|field| (*field, "1"))
            .collect();
        let refused = clerk.post(&app, &accept, &ticked).await;
        assert_eq!(refused.status(), 422);
        let body = refused.text().await.unwrap();
        assert!(body.contains("Chưa đánh dấu điều này"), "{body}");
        assert!(body.contains(&format!("tiep-nhan-{}", required[required.len() - 1])));
        assert_eq!(status_of(&app, &code).await, 1);

        // A supplement can still be asked for at intake without ticking anything.
        let later = app::domain::calendar::Date::in_vietnam(app.db.now())
            .add_days(7)
            .iso();
        let other = submitted_dossier(&app, "Đỗ Văn Thiếu").await.0;
        let asked = clerk
            .post(
                &app,
                &format!("/can-bo/ho-so/{other}/yeu-cau-bo-sung"),
                &[("giay-to-can", "Tờ khai"), ("han-bo-sung", later.as_str())],
            )
            .await;
        assert_eq!(asked.status(), 303);
        assert_eq!(status_of(&app, &other).await, 5);

        // Every required item ticked: accepted, and the audit trail keeps the ticks in words.
        let all: Vec<(&str, &str)> = required.iter().map(|field| (*field, "1")).collect();
        let accepted = clerk.post(&app, &accept, &all).await;
        assert_eq!(accepted.status(), 303);
        assert_eq!(status_of(&app, &code).await, 2);
        let page = clerk
            .get(&app, &format!("/can-bo/ho-so/{code}"))
            .await
            .text()
            .await
            .unwrap();
        let first = items.iter().find(|item| item.required).unwrap().label();
        assert!(
            page.contains(&format!("Đã kiểm khi tiếp nhận: {first}")),
            "{page}"
        );
        app.stop().await;
    }
);
