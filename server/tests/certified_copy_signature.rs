//! The signed copies checked by an independent verifier (pyHanko, from PyPI) against a test CA
//! made by `scripts/lib/test-ca` with openssl, and by our own verifier: a copy verifies, chains
//! to the test root and only to it, and a byte changed anywhere in it is caught by both.

use app::domain::calendar::{Date, vietnam_second_of_day};
use server::signing::{Pkcs12Signer, Verdict, verify_pdf};
use std::path::Path;

mod common;
use common::signing::{P12_PASSWORD, PAGE_ONE, der_of, pyhanko, test_ca};

/// Signed now: the test CA's certificates are valid from the moment the script made them.
fn signed_at() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(now.as_secs()).unwrap()
}

/// How pyHanko prints a signing time in Vietnam: `2026-12-07T10:04:05+07:00`.
fn iso_in_vietnam(unix_seconds: i64) -> String {
    let Date { year, month, day } = Date::in_vietnam(unix_seconds);
    let second = vietnam_second_of_day(unix_seconds);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+07:00",
        second / 3600,
        second % 3600 / 60,
        second % 60
    )
}

fn signed_copy(ca: &Path, signed_at: i64) -> Vec<u8> {
    let signer =
        Pkcs12Signer::from_pkcs12(&std::fs::read(ca.join("signer.p12")).unwrap(), P12_PASSWORD)
            .unwrap();
    common::signing::signed_copy(&signer, signed_at)
}

fn roots(ca: &Path, file: &str) -> Vec<Vec<u8>> {
    vec![der_of(&ca.join(file))]
}

fn check(kind: &str) {
    let ca = test_ca(kind);
    let signed_at = signed_at();
    let copy = signed_copy(&ca, signed_at);
    let signing_time = format!(
        "Signing time as reported by signer: {}",
        iso_in_vietnam(signed_at)
    );
    let trusted = roots(&ca, "root.pem");

    let (valid, printed) = pyhanko(&copy, &ca.join("root.pem"), &ca, "copy.pdf");
    assert!(valid, "pyHanko refused the copy:\n{printed}");
    for said in [
        "The signature is cryptographically sound.",
        "The digest algorithm used was 'sha256'.",
        "The signer's certificate is trusted.",
        "Trust anchor: \"Common Name: Test Root CA",
        "The signature covers the entire file.",
        &signing_time,
        "The signature is judged VALID.",
    ] {
        assert!(
            printed.contains(said),
            "pyHanko did not say {said:?}:\n{printed}"
        );
    }
    let ours = verify_pdf(&copy, &trusted, signed_at);
    assert_eq!(ours.verdict, Verdict::Valid);
    assert_eq!(ours.signed_at, Some(signed_at));
    assert!(ours.signer.unwrap().contains("UBND xa Test"));

    // Trusting another root, neither verifier trusts the copy, though it is unchanged.
    let (valid, printed) = pyhanko(&copy, &ca.join("other-root.pem"), &ca, "copy.pdf");
    assert!(
        !valid,
        "pyHanko trusted a copy under another root:\n{printed}"
    );
    assert!(
        printed.contains("The signature is cryptographically sound."),
        "{printed}"
    );
    assert_eq!(
        verify_pdf(&copy, &roots(&ca, "other-root.pem"), signed_at).verdict,
        Verdict::Untrusted
    );

    // One byte changed in the first scan, in the certification's page, or after signing.
    let scan_at = copy
        .windows(PAGE_ONE.len().min(64))
        .position(|window| window == &PAGE_ONE[..64])
        .expect("the scan is embedded as it is")
        + 5_000;
    let last_page_at = copy.len() / 2;
    for (at, what) in [(scan_at, "scan"), (last_page_at, "middle")] {
        let mut changed = copy.clone();
        changed[at] ^= 0x01;
        let (valid, printed) = pyhanko(&changed, &ca.join("root.pem"), &ca, "changed.pdf");
        assert!(
            !valid,
            "pyHanko accepted a copy with its {what} changed:\n{printed}"
        );
        assert_eq!(
            verify_pdf(&changed, &trusted, signed_at).verdict,
            Verdict::Modified,
            "{what}"
        );
    }
    let mut appended = copy.clone();
    appended.extend_from_slice(b"\n% added after signing\n");
    assert_eq!(
        verify_pdf(&appended, &trusted, signed_at).verdict,
        Verdict::Modified
    );
    assert_eq!(
        verify_pdf(&copy[..copy.len() - 10], &trusted, signed_at).verdict,
        Verdict::Modified
    );
    assert_eq!(
        verify_pdf(PAGE_ONE, &trusted, signed_at).verdict,
        Verdict::NotSigned
    );
    std::fs::remove_dir_all(&ca).ok();
}

#[test]
fn a_copy_signed_with_an_rsa_key_verifies_independently_and_a_changed_byte_does_not() {
    check("rsa");
}

#[test]
fn a_copy_signed_with_an_ecdsa_key_verifies_independently_and_a_changed_byte_does_not() {
    check("ec");
}
