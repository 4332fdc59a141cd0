//! The counter's one-page sheet of a procedure, on both databases: its papers with originals and
//! copies, the database to look up instead of a paper the state holds, what this center most
//! often got wrong; as a page and as a one-page A4 PDF; staff only.

mod common;

use app::domain::back_office::Role;
use common::TestApp;
use common::filing::{ONE_CASE, sent_back_for};
use common::staff::signed_in;

on_both_databases!(
    a_procedure_sheet_for_the_counter_fits_one_a4_page,
    |backend| async move {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let procedure = app.db.procedure_by_code(ONE_CASE).await.unwrap().unwrap();
        let paper = procedure.cases[0].documents[0].name.clone();
        // The center asked twice for the same paper again.
        for name in ["Nguyễn Văn Một", "Nguyễn Văn Hai"] {
            sent_back_for(&app, name, &[&paper]).await;
        }
        let sheet = format!("/can-bo/so-tay/{ONE_CASE}");
        let anonymous = app.client.get(app.url(&sheet)).send().await.unwrap();
        assert!(anonymous.status().is_redirection() || anonymous.status() == 200);
        let anonymous_pdf = app
            .client
            .get(app.url(&format!("{sheet}/pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous_pdf.status(), 303, "the PDF is for staff");

        let clerk = signed_in(&app, "tiep.nhan", Role::Clerk).await;
        let page = clerk.get(&app, &sheet).await.text().await.unwrap();
        assert!(page.contains(&procedure.name.to_uppercase()), "{page}");
        assert!(page.contains(&paper));
        assert!(
            page.contains(&format!("{paper} (2 lần)")),
            "what goes wrong here"
        );
        let pdf = clerk.get(&app, &format!("{sheet}/pdf")).await;
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        let pages = bytes.windows(10).filter(|w| w == b"/Type/Page").count()
            - bytes.windows(11).filter(|w| w == b"/Type/Pages").count();
        assert_eq!(pages, 1, "one A4 page");
        app.stop().await;
    }
);
