//! The center's key on a PKCS#11 token. SoftHSM 2 (Debian's `softhsm2`, a real PKCS#11 module)
//! holds the test CA's RSA and ECDSA keys; copies signed through the token are judged valid by
//! pyHanko and by our verifier, and a certification over HTTP with the token configured gives a
//! copy that verifies. A wrong PIN, an unknown key or a chain that is not the key's own stop the
//! start with the reason.
//!
//! One test in its own binary: SoftHSM reads its configuration from the environment, which is
//! set once here before the module is loaded.

mod common;

use app::domain::back_office::Role;
use app::domain::certification::{OriginalCheck, field};
use app::paths;
use common::signing::{PAGE_ONE, der_of, pyhanko, signed_copy, test_ca};
use common::staff::signed_in;
use common::{Backend, TestApp};
use server::signing::{Pkcs11Settings, Pkcs11Signer, Verdict, verify_pdf};
use std::path::{Path, PathBuf};
use std::process::Command;
use strum::VariantArray;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "motcua-test";
const PIN: &str = "654321";

/// A SoftHSM token in its own folder, holding each CA's signer key under its label.
fn token_with(keys: &[(&Path, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("motcua-softhsm-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    let softhsm = |args: &[&str]| {
        let output = Command::new("softhsm2-util")
            .args(args)
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("softhsm2-util runs (scripts/setup --tests installs softhsm2)");
        assert!(
            output.status.success(),
            "softhsm2-util {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    softhsm(&[
        "--init-token",
        "--free",
        "--label",
        TOKEN,
        "--so-pin",
        "123456",
        "--pin",
        PIN,
    ]);
    for (index, (ca, label)) in keys.iter().enumerate() {
        let key = ca.join("signer.key");
        let id = format!("{:02}", index + 1);
        softhsm(&[
            "--import",
            key.to_str().unwrap(),
            "--token",
            TOKEN,
            "--label",
            label,
            "--id",
            &id,
            "--pin",
            PIN,
        ]);
    }
    conf
}

/// The signer's certificate, then the CA's: the chain a token's configuration names.
fn leaf_first_chain(ca: &Path) -> PathBuf {
    let chain = ca.join("token-chain.pem");
    let pem = [
        std::fs::read(ca.join("signer.pem")).unwrap(),
        std::fs::read(ca.join("chain.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(&chain, pem).unwrap();
    chain
}

fn settings(key: &str, chain: PathBuf, pin: &str) -> Pkcs11Settings {
    Pkcs11Settings {
        module: PathBuf::from(MODULE),
        token: TOKEN.to_owned(),
        key: key.to_owned(),
        pin: server::notify::Secret(pin.to_owned()),
        chain,
    }
}

#[test]
fn a_key_on_a_pkcs11_token_signs_copies_that_verify_and_a_wrong_setting_stops_the_start() {
    assert!(
        Path::new(MODULE).exists(),
        "SoftHSM 2 is missing: scripts/setup --tests installs softhsm2"
    );
    let (rsa, ec) = (test_ca("rsa"), test_ca("ec"));
    let conf = token_with(&[(&rsa, "ky-rsa"), (&ec, "ky-ec")]);
    // SAFETY: the only test of this binary sets it before any other thread runs or reads the
    // environment; SoftHSM reads it when the module is initialised.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
    let now = app::db::unix_now();

    for (ca, label) in [(&rsa, "ky-rsa"), (&ec, "ky-ec")] {
        let signer = Pkcs11Signer::open(&settings(label, leaf_first_chain(ca), PIN))
            .unwrap_or_else(|error| panic!("{label}: {error}"));
        let copy = signed_copy(&signer, now);
        let (valid, printed) = pyhanko(&copy, &ca.join("root.pem"), ca, "token-copy.pdf");
        assert!(valid, "{label}: {printed}");
        let root = vec![der_of(&ca.join("root.pem"))];
        assert_eq!(
            verify_pdf(&copy, &root, now).verdict,
            Verdict::Valid,
            "{label}"
        );
    }

    let refused = |settings: Pkcs11Settings| match Pkcs11Signer::open(&settings) {
        Ok(_) => panic!("opened with {settings:?}"),
        Err(error) => error.to_string(),
    };
    let wrong_pin = refused(settings("ky-rsa", leaf_first_chain(&rsa), "000000"));
    assert!(wrong_pin.contains("PIN"), "{wrong_pin}");
    let unknown = refused(settings("ky-khac", leaf_first_chain(&rsa), PIN));
    assert!(
        unknown.contains("no private key labelled ky-khac"),
        "{unknown}"
    );
    // Another RSA key's certificate (the probe does not verify), and an ECDSA one (the RSA key
    // cannot sign as it says).
    let other_rsa = test_ca("rsa");
    for chain in [leaf_first_chain(&other_rsa), leaf_first_chain(&ec)] {
        let not_its_own = refused(settings("ky-rsa", chain, PIN));
        assert!(not_its_own.contains("not the key's own"), "{not_its_own}");
    }

    // The server with the token as the default center's key certifies over HTTP.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let signing = server::config::SigningSettings {
            p12: None,
            password: server::notify::Secret(String::new()),
            keys_dir: None,
            pkcs11: Some(settings("ky-rsa", leaf_first_chain(&rsa), PIN)),
            trust: Some(rsa.join("root.pem")),
        };
        let app = TestApp::spawn_with(Backend::Sqlite, move |config| {
            config.signing = Some(signing)
        })
        .await
        .expect("SQLite always runs");
        let clerk = signed_in(&app, "chung.thuc", Role::Clerk).await;
        let mut form = vec![
            (field::DOCUMENT.to_owned(), "Giấy khai sinh".to_owned()),
            (field::APPLICANT.to_owned(), "Nguyễn Thị Mẫu".to_owned()),
            (field::APPLICANT_ID.to_owned(), "001208012345".to_owned()),
        ];
        for check in OriginalCheck::VARIANTS {
            form.push((check.field().to_owned(), "1".to_owned()));
        }
        let pages = vec![(field::PAGES.to_owned(), "trang-1.jpg", PAGE_ONE)];
        let response = clerk
            .post_multipart(&app, paths::CERTIFY, &form, &pages)
            .await;
        assert_eq!(response.status(), 303);
        let token: String = sqlx::query_scalar("SELECT token FROM certified_copies")
            .fetch_one(app.db.writer())
            .await
            .unwrap();
        let (status, page) = app.get_text(&paths::verification(&token)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Hợp lệ"), "{page}");
        app.stop().await;
    });
    for dir in [rsa, ec, other_rsa, conf.parent().unwrap().to_owned()] {
        std::fs::remove_dir_all(dir).ok();
    }
}
