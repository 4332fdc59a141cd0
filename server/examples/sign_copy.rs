//! Figures for the certified copies: the time to draw a two-page copy, the time to sign it, and
//! the signed file's size, with a key from a test CA made by `scripts/lib/test-ca` (openssl).
//!
//! `cargo run --release -p server --example sign_copy -- [rsa|ec] [ROUNDS] [OUT.pdf]` (with
//! `OUT.pdf`, the last copy is written there, to look at or to check with another verifier).

use app::domain::calendar::Date;
use app::domain::certification::{RegisterNumber, page_footer, statement};
use server::pdf::{CopySheet, certified_copy};
use server::signing::{Pkcs12Signer, SignatureDetails, sign_pdf};
use std::time::{Duration, Instant};

const PAGE_ONE: &[u8] = include_bytes!("../tests/fixtures/original-page-1.jpg");
const PAGE_TWO: &[u8] = include_bytes!("../tests/fixtures/original-page-2.jpg");

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "rsa".to_owned());
    let rounds: usize = args.next().map_or(Ok(50), |n| n.parse())?;
    let out = args.next();
    let ca = std::env::temp_dir().join(format!("motcua-sign-copy-{}", std::process::id()));
    let status = std::process::Command::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lib/test-ca"),
    )
    .arg(&ca)
    .arg(&kind)
    .status()?;
    if !status.success() {
        return Err("scripts/lib/test-ca failed".into());
    }
    let signer =
        Pkcs12Signer::from_pkcs12(&std::fs::read(ca.join("signer.p12"))?, "test-password")?;
    let number = RegisterNumber {
        year: 2026,
        book: 1,
        serial: 1234,
    };
    let words = statement(
        &number,
        Date::new(2026, 12, 7),
        "Xã Kiểm Thử",
        "Trần Văn Cán",
        "UBND xã Kiểm Thử",
    );
    let sheet = CopySheet {
        pages: vec![
            (PAGE_ONE, page_footer(&number, 1, 2)),
            (PAGE_TWO, page_footer(&number, 2, 2)),
        ],
        statement: &words,
        verification_url: "https://motcua.example.gov.vn/xac-minh/0123456789abcdef0123",
        verification_caption: "Quét mã QR để kiểm tra bản sao và chữ ký số.",
    };
    let details = SignatureDetails {
        signer_name: "UBND xã Kiểm Thử",
        reason: "Chứng thực bản sao từ bản chính",
        location: "Xã Kiểm Thử",
        signed_at: 1_796_612_645,
    };
    let (mut drawing, mut signing) = (Vec::new(), Vec::new());
    let mut signed = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let pdf = certified_copy(&sheet)?;
        let drawn = Instant::now();
        signed = sign_pdf(&pdf, &signer, &details)?;
        signing.push(drawn.elapsed());
        drawing.push(drawn - started);
    }
    let scans = PAGE_ONE.len() + PAGE_TWO.len();
    println!("key: {kind}; rounds: {rounds}");
    println!("scans: 2 pages, {} bytes", scans);
    println!(
        "draw a two-page copy (median): {:.2} ms",
        median(drawing).as_secs_f64() * 1e3
    );
    println!(
        "sign it (median): {:.2} ms",
        median(signing).as_secs_f64() * 1e3
    );
    println!(
        "signed copy: {} bytes ({} over the scans)",
        signed.len(),
        signed.len() - scans
    );
    if let Some(out) = out {
        std::fs::write(&out, &signed)?;
        std::fs::copy(ca.join("root.pem"), format!("{out}.root.pem"))?;
    }
    std::fs::remove_dir_all(&ca)?;
    Ok(())
}
