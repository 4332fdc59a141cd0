//! A test certificate authority made by `scripts/lib/test-ca` (openssl), the scanned pages of an
//! original, and pyHanko, the independent verifier of signed PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PAGE_ONE: &[u8] = include_bytes!("../fixtures/original-page-1.jpg");
pub const PAGE_TWO: &[u8] = include_bytes!("../fixtures/original-page-2.jpg");
pub const P12_PASSWORD: &str = "test-password";

/// A new test CA in its own folder: `root.pem`, `other-root.pem`, `signer.p12` (`kind`: `rsa`
/// or `ec`, the signer's key).
pub fn test_ca(kind: &str) -> PathBuf {
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "motcua-test-ca-{kind}-{}-{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    ));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lib/test-ca");
    let status = Command::new(script)
        .arg(&dir)
        .arg(kind)
        .status()
        .expect("scripts/lib/test-ca runs (openssl must be installed)");
    assert!(status.success(), "the test CA was not made");
    dir
}

/// The configuration that signs with the test CA's key, trusting its root.
pub fn signing_settings(ca: &Path) -> server::config::SigningSettings {
    server::config::SigningSettings {
        p12: Some(ca.join("signer.p12")),
        password: server::notify::Secret(P12_PASSWORD.to_owned()),
        keys_dir: None,
        pkcs11: None,
        trust: Some(ca.join("root.pem")),
    }
}

/// The DER of the first certificate of a PEM file.
pub fn der_of(pem_file: &Path) -> Vec<u8> {
    use base64::Engine;
    let pem = std::fs::read_to_string(pem_file).unwrap();
    let body: String = pem
        .lines()
        .skip_while(|line| !line.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|line| !line.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

/// pyHanko's verdict on `pdf` trusting only `root`: whether it judged it valid, and what it
/// printed.
pub fn pyhanko(pdf: &[u8], root: &Path, dir: &Path, name: &str) -> (bool, String) {
    let file = dir.join(name);
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("python3")
        .args([
            "-m",
            "pyhanko",
            "sign",
            "validate",
            "--pretty-print",
            "--no-revocation-check",
            "--trust-replace",
            "--trust",
        ])
        .arg(root)
        .arg(&file)
        .output()
        .expect("python3 runs");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !printed.contains("No module named pyhanko"),
        "pyHanko is missing: scripts/setup --tests installs it"
    );
    (output.status.success(), printed)
}

/// A two-page copy numbered 7 in 2026, signed by `signer` at `signed_at`.
pub fn signed_copy(signer: &dyn server::signing::Signer, signed_at: i64) -> Vec<u8> {
    use app::domain::calendar::Date;
    use app::domain::certification::{RegisterNumber, page_footer, statement};
    use server::pdf::{CopySheet, certified_copy};
    use server::signing::{SignatureDetails, sign_pdf};
    let number = RegisterNumber {
        year: 2026,
        book: 1,
        serial: 7,
    };
    let words = statement(
        &number,
        Date::in_vietnam(signed_at),
        "Xã Kiểm Thử",
        "Trần Văn Cán",
        "UBND xã Kiểm Thử",
    );
    let pdf = certified_copy(&CopySheet {
        pages: vec![
            (PAGE_ONE, page_footer(&number, 1, 2)),
            (PAGE_TWO, page_footer(&number, 2, 2)),
        ],
        statement: &words,
        verification_url: "https://motcua.example/xac-minh/0123456789abcdef0123",
        verification_caption: "Quét mã QR để kiểm tra bản sao và chữ ký số.",
    })
    .unwrap();
    sign_pdf(
        &pdf,
        signer,
        &SignatureDetails {
            signer_name: "UBND xã Kiểm Thử",
            reason: "Chứng thực bản sao từ bản chính",
            location: "Xã Kiểm Thử",
            signed_at,
        },
    )
    .unwrap()
}
