//! What goes wrong here, on both databases: the papers a center most often asked for again are
//! shown on the procedure's page (only the catalogue's own papers) and, with what was typed and
//! the refusals, to the clerk at the counter.

mod common;

use app::domain::back_office::Role;
use common::TestApp;
use common::filing::{ONE_CASE, sent_back_for};
use common::staff::signed_in;

async fn procedure_page(app: &TestApp) -> String {
    app.get_text(&format!("/thu-tuc/{ONE_CASE}")).await.1
}

on_both_databases!(
    the_papers_most_often_asked_for_again_are_shown_to_citizens_and_clerks,
    |backend| async move {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let procedure = app.db.procedure_by_code(ONE_CASE).await.unwrap().unwrap();
        let paper = procedure.cases[0].documents[0].name.clone();
        let typed = "Giấy xác nhận của ông Lê Văn Tư";
        // Once is not a pattern.
        sent_back_for(&app, "Nguyễn Văn Một", &[&paper, typed]).await;
        assert!(
            !procedure_page(&app)
                .await
                .contains("Hồ sơ thủ tục này hay thiếu")
        );

        sent_back_for(&app, "Nguyễn Văn Hai", &[&paper, typed]).await;
        let shown = procedure_page(&app).await;
        assert!(shown.contains("Hồ sơ thủ tục này hay thiếu"), "{shown}");
        assert!(shown.contains(&format!("{paper} (2 lần)")));
        assert!(
            !shown.contains("Lê Văn Tư"),
            "a paper typed by a clerk stays off the public page"
        );

        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let intake = clerk
            .get(&app, &format!("/can-bo/tiep-nhan?thu-tuc={ONE_CASE}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(intake.contains("hay sai ở đâu"), "{intake}");
        assert!(intake.contains(&format!("{paper} (2 lần)")));
        assert!(intake.contains(&format!("{typed} (2 lần)")));
        app.stop().await;
    }
);
