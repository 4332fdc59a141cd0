//! Electronic certified copies over HTTP, on both databases: the counter certifies a two-page
//! original; the receipt prints the number and the fee; the citizen downloads the copy with code
//! and key; the copy verifies with pyHanko and our page; a changed copy does not; an unticked
//! check refuses everything; concurrent certifications never share a number.

mod common;

use app::domain::back_office::Role;
use app::domain::certification::{OriginalCheck, field};
use app::paths;
use common::filing::{count, location};
use common::signing::{PAGE_ONE, PAGE_TWO, der_of, pyhanko, signing_settings, test_ca};
use common::staff::{Staff, signed_in};
use common::{Backend, TestApp};
use server::signing::{Verdict, verify_pdf};
use std::path::{Path, PathBuf};
use strum::VariantArray;

async fn spawn_signing(backend: Backend) -> Option<(TestApp, PathBuf)> {
    let ca = test_ca("rsa");
    let settings = signing_settings(&ca);
    let app = TestApp::spawn_with(backend, move |config| config.signing = Some(settings)).await?;
    Some((app, ca))
}

fn form(document: &str, unticked: Option<OriginalCheck>) -> Vec<(String, String)> {
    let mut fields = vec![
        (field::DOCUMENT.to_owned(), document.to_owned()),
        (field::APPLICANT.to_owned(), "Nguyễn Thị Mẫu".to_owned()),
        (field::APPLICANT_ID.to_owned(), "001208012345".to_owned()),
        (field::COPIES.to_owned(), "1".to_owned()),
    ];
    for check in OriginalCheck::VARIANTS {
        if Some(*check) != unticked {
            fields.push((check.field().to_owned(), "1".to_owned()));
        }
    }
    fields
}

fn two_pages() -> Vec<(String, &'static str, &'static [u8])> {
    vec![
        (field::PAGES.to_owned(), "trang-1.jpg", PAGE_ONE),
        (field::PAGES.to_owned(), "trang-2.jpg", PAGE_TWO),
    ]
}

async fn certify(app: &TestApp, clerk: &Staff, document: &str) -> reqwest::Response {
    clerk
        .post_multipart(app, paths::CERTIFY, &form(document, None), &two_pages())
        .await
}

/// The value of `name` in a `?ma=…&khoa=…` address.
fn query_value(address: &str, name: &str) -> String {
    let query = address.split_once('?').map(|(_, q)| q).unwrap_or_default();
    // Codes and keys are letters, digits, dots and dashes: nothing is percent-encoded.
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .unwrap_or_default()
}

/// The verification page's address printed on a receipt.
fn verification_path(receipt: &str) -> String {
    let start = receipt
        .find("/xac-minh/")
        .expect("the receipt names the page");
    let end = receipt[start..]
        .find(['"', '<'])
        .map_or(receipt.len(), |end| start + end);
    receipt[start..end].to_owned()
}

async fn check_file(app: &TestApp, path: &str, pdf: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "tep",
        reqwest::multipart::Part::bytes(pdf)
            .file_name("ban-sao.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let response = app
        .client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn root(ca: &Path) -> Vec<Vec<u8>> {
    vec![der_of(&ca.join("root.pem"))]
}

on_both_databases!(
    a_clerk_certifies_a_two_page_original_and_the_citizen_gets_a_copy_that_verifies,
    |backend| async move {
        let Some((app, ca)) = spawn_signing(backend).await else {
            return;
        };
        let clerk = signed_in(&app, "chung.thuc", Role::Clerk).await;
        let page = clerk.get(&app, paths::CERTIFY).await.text().await.unwrap();
        assert!(page.contains("Chứng thực và ký số"), "the form is offered");

        let response = certify(&app, &clerk, "Bằng tốt nghiệp THPT").await;
        assert_eq!(response.status(), 303);
        let receipt_path = location(&response);
        assert!(
            receipt_path.starts_with("/can-bo/giay-hen?ma="),
            "{receipt_path}"
        );
        let (code, key) = (
            query_value(&receipt_path, "ma"),
            query_value(&receipt_path, "khoa"),
        );
        let receipt = clerk.get(&app, &receipt_path).await.text().await.unwrap();
        let year = app::domain::calendar::Date::in_vietnam(app.db.now()).year;
        assert!(receipt.contains(&format!("Số 1, quyển số 01/{year}-SCT/BS")));
        // Two pages, the electronic copy and one on paper: 2 × 4,000 đồng.
        assert!(receipt.contains("2 trang · 2 bản: 8.000 đồng"), "{receipt}");

        // The dossier holds the scans and, as its result, the signed copy (status 9).
        assert_eq!(
            count(
                &app,
                &format!("SELECT status FROM dossiers WHERE code = '{code}'")
            )
            .await,
            9
        );
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM dossier_files WHERE dossier_code = '{code}'")
            )
            .await,
            3
        );

        // The citizen, with code and key only, finds the copy on the status page and downloads
        // it; a wrong key gets nothing.
        let copy_path = paths::certified_copy(&code, &key);
        let (status, status_page) = app.get_text(&paths::status(&code, &key)).await;
        assert_eq!(status, 200);
        assert!(
            status_page.contains(&copy_path.replace('&', "&amp;")),
            "the status page offers the copy"
        );
        let download = app.client.get(app.url(&copy_path)).send().await.unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        let copy = download.bytes().await.unwrap().to_vec();
        let wrong = app
            .client
            .get(app.url(&paths::certified_copy(&code, "AAAA-AAAA")))
            .send()
            .await
            .unwrap();
        assert_ne!(wrong.status(), 200);

        // An independent verifier and ours agree: valid, chained to the test root.
        let (valid, printed) = pyhanko(&copy, &ca.join("root.pem"), &ca, "downloaded.pdf");
        assert!(valid, "{printed}");
        assert_eq!(
            verify_pdf(&copy, &root(&ca), app.db.now()).verdict,
            Verdict::Valid
        );

        // The QR code's page: the register's facts and the fingerprint, never the applicant.
        let verification = verification_path(&receipt);
        let (status, public) = app.get_text(&verification).await;
        assert_eq!(status, 200);
        let fingerprint = hex::encode(ring::digest::digest(&ring::digest::SHA256, &copy));
        assert!(public.contains("Hợp lệ"), "{public}");
        assert!(public.contains(&fingerprint));
        assert!(public.contains("Bằng tốt nghiệp THPT"));
        assert!(!public.contains("Nguyễn Thị Mẫu") && !public.contains("001208012345"));

        // The copy itself checks out; one byte changed does not, and the page says so.
        let (status, answer) = check_file(&app, &verification, copy.clone()).await;
        assert_eq!(status, 200);
        assert!(answer.contains("Tệp này đúng từng byte"), "{answer}");
        let mut changed = copy.clone();
        let middle = changed.len() / 3;
        changed[middle] ^= 0x01;
        let (status, answer) = check_file(&app, &verification, changed).await;
        assert_eq!(status, 200);
        assert!(answer.contains("Tệp này KHÁC"), "{answer}");
        assert!(answer.contains("Không hợp lệ: tệp đã bị sửa"), "{answer}");

        // The register lists it, with the applicant, for staff.
        let register = clerk.get(&app, paths::CERTIFY).await.text().await.unwrap();
        assert!(register.contains("Nguyễn Thị Mẫu") && register.contains(&code));
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);

on_both_databases!(
    an_unticked_check_or_a_pdf_scan_refuses_the_certification_and_keeps_what_was_typed,
    |backend| async move {
        let Some((app, ca)) = spawn_signing(backend).await else {
            return;
        };
        let clerk = signed_in(&app, "chung.thuc", Role::Clerk).await;
        let response = clerk
            .post_multipart(
                &app,
                paths::CERTIFY,
                &form("Giấy khai sinh", Some(OriginalCheck::Unaltered)),
                &two_pages(),
            )
            .await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("Chưa đánh dấu điều này"), "{page}");
        assert!(page.contains("Giấy khai sinh"), "what was typed is kept");

        let pdf_scan = vec![(field::PAGES.to_owned(), "trang.pdf", common::filing::PDF)];
        let response = clerk
            .post_multipart(
                &app,
                paths::CERTIFY,
                &form("Giấy khai sinh", None),
                &pdf_scan,
            )
            .await;
        assert_eq!(response.status(), 422);
        for table in ["certified_copies", "dossiers", "certification_serials"] {
            assert_eq!(
                count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
                0,
                "{table}"
            );
        }
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);

on_both_databases!(
    concurrent_certifications_never_share_a_number,
    |backend| async move {
        let Some((app, ca)) = spawn_signing(backend).await else {
            return;
        };
        let clerks = [
            signed_in(&app, "quay.mot", Role::Clerk).await,
            signed_in(&app, "quay.hai", Role::Clerk).await,
            signed_in(&app, "quay.ba", Role::Admin).await,
        ];
        let made = 12;
        let requests = (0..made).map(|index| {
            let (app, clerk) = (&app, &clerks[index % clerks.len()]);
            async move {
                certify(app, clerk, &format!("Giấy tờ số {index}"))
                    .await
                    .status()
            }
        });
        let statuses = futures_util::future::join_all(requests).await;
        assert!(statuses.iter().all(|status| *status == 303), "{statuses:?}");
        let serials: Vec<i64> =
            sqlx::query_scalar::<_, i64>("SELECT serial FROM certified_copies ORDER BY serial")
                .fetch_all(app.db.writer())
                .await
                .unwrap();
        assert_eq!(serials, (1..=made as i64).collect::<Vec<_>>());
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM certified_copies WHERE stored_name IS NOT NULL"
            )
            .await,
            made as i64
        );
        std::fs::remove_dir_all(&ca).ok();
        app.stop().await;
    }
);

on_both_databases!(
    without_a_key_the_counter_says_so_and_the_province_may_not_certify,
    |backend| async move {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let clerk = signed_in(&app, "chung.thuc", Role::Clerk).await;
        let page = clerk.get(&app, paths::CERTIFY).await.text().await.unwrap();
        assert!(page.contains("chưa cài chữ ký số"), "{page}");
        assert!(!page.contains("Chứng thực và ký số"));
        let response = certify(&app, &clerk, "Bằng tốt nghiệp THPT").await;
        assert_eq!(response.status(), 503);
        let province = signed_in(&app, "tinh", Role::Province).await;
        let response = certify(&app, &province, "Bằng tốt nghiệp THPT").await;
        assert_eq!(response.status(), 403);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM certified_copies").await,
            0
        );
        app.stop().await;
    }
);

/// A keys folder holding the key of `agency`, made by the test CA in `ca`.
fn keys_folder(ca: &Path, agency: &str) -> PathBuf {
    let dir = ca.join("keys");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(ca.join("signer.p12"), dir.join(format!("{agency}.p12"))).unwrap();
    std::fs::write(
        dir.join(format!("{agency}.password")),
        format!("{}\n", common::signing::P12_PASSWORD),
    )
    .unwrap();
    dir
}

/// The signed copy a certification's receipt leads to, with the citizen's code and key.
async fn copy_of(app: &TestApp, certified: reqwest::Response) -> Vec<u8> {
    assert_eq!(certified.status(), 303);
    let receipt = location(&certified);
    let path = paths::certified_copy(&query_value(&receipt, "ma"), &query_value(&receipt, "khoa"));
    let response = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

on_both_databases!(
    each_center_signs_with_its_own_key_and_numbers_its_own_register,
    |backend| async move {
        use common::centers::{OTHER_AGENCY, add_other_center};
        let (ca_here, ca_there) = (test_ca("rsa"), test_ca("ec"));
        let settings = server::config::SigningSettings {
            keys_dir: Some(keys_folder(&ca_there, OTHER_AGENCY)),
            // Without trust roots named: the root of each key's chain.
            trust: None,
            ..signing_settings(&ca_here)
        };
        let Some(app) =
            TestApp::spawn_with(backend, move |config| config.signing = Some(settings)).await
        else {
            return;
        };
        add_other_center(&app).await;
        let here = signed_in(&app, "chung.thuc", Role::Clerk).await;
        let there = common::staff::signed_in_at(
            &app,
            "chung.thuc.binh.an",
            Role::Clerk,
            Some(OTHER_AGENCY),
        )
        .await;
        let copy_here = copy_of(&app, certify(&app, &here, "Giấy khai sinh").await).await;
        let copy_there = copy_of(&app, certify(&app, &there, "Giấy khai sinh").await).await;

        // Each copy leads to its own center's root only.
        let now = app.db.now();
        for (copy, own, other) in [
            (&copy_here, &ca_here, &ca_there),
            (&copy_there, &ca_there, &ca_here),
        ] {
            assert_eq!(verify_pdf(copy, &root(own), now).verdict, Verdict::Valid);
            assert_eq!(
                verify_pdf(copy, &root(other), now).verdict,
                Verdict::Untrusted
            );
        }
        // Each center's register starts at 1; the site trusts both roots.
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM certified_copies WHERE serial = 1"
            )
            .await,
            2
        );
        let tokens: Vec<String> = sqlx::query_scalar("SELECT token FROM certified_copies")
            .fetch_all(app.db.writer())
            .await
            .unwrap();
        for token in tokens {
            let (status, page) = app.get_text(&paths::verification(&token)).await;
            assert_eq!(status, 200);
            assert!(page.contains("Hợp lệ"), "{page}");
        }
        for ca in [ca_here, ca_there] {
            std::fs::remove_dir_all(&ca).ok();
        }
        app.stop().await;
    }
);

#[test]
fn a_key_not_named_by_an_agency_code_or_without_its_password_stops_the_start() {
    let ca = test_ca("rsa");
    let settings = |dir: PathBuf| server::config::SigningSettings {
        p12: None,
        keys_dir: Some(dir),
        ..signing_settings(&ca)
    };
    let loaded =
        |dir: PathBuf| server::signing::Signers::load(Some(&settings(dir)), "000.00.12.H56");
    let good = keys_folder(&ca, "000.00.13.H56");
    let signers = loaded(good.clone()).expect("a well-named key loads");
    assert_eq!(signers.agencies(), vec!["000.00.13.H56".to_owned()]);
    assert!(
        signers.for_center("000.00.12.H56").is_none(),
        "no default key given"
    );

    std::fs::copy(good.join("000.00.13.H56.p12"), good.join("xa-binh-an.p12")).unwrap();
    let refused = loaded(good.clone()).unwrap_err();
    assert!(refused.contains("agency code"), "{refused}");
    std::fs::remove_file(good.join("xa-binh-an.p12")).unwrap();

    std::fs::remove_file(good.join("000.00.13.H56.password")).unwrap();
    let refused = loaded(good).unwrap_err();
    assert!(refused.contains("000.00.13.H56.password"), "{refused}");
    std::fs::remove_dir_all(&ca).ok();
}
