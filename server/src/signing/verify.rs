//! Our own check of a signed copy, for the public verification page: is the file exactly what
//! was signed, does the signature verify with the embedded certificate, does that certificate
//! chain to a root we trust, and was it valid when the copy was signed. (Revocation is not
//! checked: no CRL or OCSP responder is reachable from a commune's server; docs/certified-copies.md.)
//!
//! The tests check the same files with an independent verifier (pyHanko), so this code is not
//! its own judge.

use super::cms::{ECDSA_WITH_SHA256, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, SHA256_WITH_RSA};
use super::pdf::find;
use app::domain::calendar::Date;
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use ring::digest::{Context, SHA256};
use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use x509_cert::Certificate;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// The answer, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Unchanged since signing, signed by a certificate that chains to a trusted root and was
    /// valid at the signing time.
    Valid,
    /// The signature is sound but its certificate does not lead to a root we trust, or was not
    /// valid when the copy was signed.
    Untrusted,
    /// Bytes were changed or added after signing, or the signature does not match them.
    Modified,
    /// No signature we can read.
    NotSigned,
}

#[derive(Clone, Debug)]
pub struct Verification {
    pub verdict: Verdict,
    /// The signing certificate's subject (RFC 4514), when the signature could be read.
    pub signer: Option<String>,
    /// The signature dictionary's `/M`, as Unix seconds.
    pub signed_at: Option<i64>,
}

impl Verification {
    fn only(verdict: Verdict) -> Verification {
        Verification {
            verdict,
            signer: None,
            signed_at: None,
        }
    }
}

/// Checks the last signature of `pdf` against the roots in `trusted` (DER certificates), at
/// `now` when the signature names no signing time.
pub fn verify_pdf(pdf: &[u8], trusted: &[Vec<u8>], now: i64) -> Verification {
    let Some(signature) = Signature::find(pdf) else {
        return Verification::only(Verdict::NotSigned);
    };
    let mut answer = Verification::only(Verdict::Modified);
    answer.signed_at = signature.signed_at;
    let Some(cms) = signature.cms(pdf) else {
        return answer;
    };
    let Ok(content) = ContentInfo::from_der(&cms) else {
        return Verification::only(Verdict::NotSigned);
    };
    if content.content_type != ID_SIGNED_DATA {
        return Verification::only(Verdict::NotSigned);
    }
    let Ok(signed) = content.content.decode_as::<SignedData>() else {
        return Verification::only(Verdict::NotSigned);
    };
    let certificates: Vec<&Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(certificate) => Some(certificate),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let Some(info) = signed.signer_infos.0.iter().next() else {
        return Verification::only(Verdict::NotSigned);
    };
    let SignerIdentifier::IssuerAndSerialNumber(id) = &info.sid else {
        return answer;
    };
    let Some(leaf) = certificates.iter().copied().find(|certificate| {
        certificate.tbs_certificate().issuer() == &id.issuer
            && certificate.tbs_certificate().serial_number() == &id.serial_number
    }) else {
        return answer;
    };
    answer.signer = Some(leaf.tbs_certificate().subject().to_string());

    let digest = signature.digest(pdf);
    let Some(attributes) = &info.signed_attrs else {
        return answer;
    };
    let digest_matches = attributes
        .iter()
        .filter(|attribute| attribute.oid == ID_MESSAGE_DIGEST)
        .flat_map(|attribute| attribute.values.iter())
        .any(|value| {
            value
                .decode_as::<OctetString>()
                .is_ok_and(|stated| stated.as_bytes() == digest)
        });
    let Ok(message) = attributes.to_der() else {
        return answer;
    };
    if !digest_matches
        || !verifies(
            leaf,
            &info.signature_algorithm.oid,
            &message,
            info.signature.as_bytes(),
        )
    {
        return answer;
    }
    let at = signature.signed_at.unwrap_or(now);
    answer.verdict = if chains_to_trust(leaf, &certificates, trusted, at) {
        Verdict::Valid
    } else {
        Verdict::Untrusted
    };
    answer
}

/// Whether `certificate` was valid at `at` and leads, through `pool`, to one of `trusted`.
fn chains_to_trust(
    certificate: &Certificate,
    pool: &[&Certificate],
    trusted: &[Vec<u8>],
    at: i64,
) -> bool {
    let roots: Vec<Certificate> = trusted
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok())
        .collect();
    let mut current = certificate.clone();
    for _ in 0..8 {
        if !valid_at(&current, at) {
            return false;
        }
        if roots.contains(&current) {
            return true;
        }
        let issuer = roots.iter().chain(pool.iter().copied()).find(|candidate| {
            candidate.tbs_certificate().subject() == current.tbs_certificate().issuer()
                && issued(&current, candidate)
        });
        match issuer {
            Some(issuer) if issuer != &current => current = issuer.clone(),
            _ => return false,
        }
    }
    false
}

fn valid_at(certificate: &Certificate, at: i64) -> bool {
    let validity = certificate.tbs_certificate().validity();
    let seconds = |time: &x509_cert::time::Time| {
        i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
    };
    seconds(&validity.not_before) <= at && at <= seconds(&validity.not_after)
}

/// Whether `issuer`'s key signed `certificate`.
fn issued(certificate: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = certificate.tbs_certificate().to_der() else {
        return false;
    };
    verifies(
        issuer,
        &certificate.signature_algorithm().oid,
        &tbs,
        certificate.signature().raw_bytes(),
    )
}

/// Whether `signature` over `message` verifies with `signer`'s public key under `algorithm`.
fn verifies(
    signer: &Certificate,
    algorithm: &ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let key = signer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    let candidates: &[&'static dyn VerificationAlgorithm] = match *algorithm {
        oid if oid == SHA256_WITH_RSA || oid == RSA_ENCRYPTION => {
            &[&signature::RSA_PKCS1_2048_8192_SHA256]
        }
        oid if oid == SHA384_WITH_RSA => &[&signature::RSA_PKCS1_2048_8192_SHA384],
        oid if oid == SHA512_WITH_RSA => &[&signature::RSA_PKCS1_2048_8192_SHA512],
        oid if oid == ECDSA_WITH_SHA256 => &[
            &signature::ECDSA_P256_SHA256_ASN1,
            &signature::ECDSA_P384_SHA256_ASN1,
        ],
        oid if oid == ECDSA_WITH_SHA384 => &[
            &signature::ECDSA_P384_SHA384_ASN1,
            &signature::ECDSA_P256_SHA384_ASN1,
        ],
        _ => &[],
    };
    candidates.iter().any(|&candidate| {
        UnparsedPublicKey::new(candidate, key)
            .verify(message, signature)
            .is_ok()
    })
}

/// Where the last signature dictionary puts its signature, and what it says of its time.
struct Signature {
    /// Start of the `<hex>` string and the offset just after it.
    contents: (usize, usize),
    covers_all: bool,
    signed_at: Option<i64>,
}

impl Signature {
    fn find(pdf: &[u8]) -> Option<Signature> {
        let at = pdf
            .windows(10)
            .rposition(|window| window == b"/ByteRange")?;
        let rest = std::str::from_utf8(&pdf[at + 10..(at + 200).min(pdf.len())]).ok()?;
        let list = rest.trim_start().strip_prefix('[')?.split_once(']')?.0;
        let numbers: Vec<usize> = list
            .split_ascii_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let &[start, first_length, second_start, second_length] = numbers.as_slice() else {
            return None;
        };
        // The signature must cover the file from its first byte to its last: anything added
        // after signing is a change.
        let covers_all = start == 0
            && first_length < second_start
            && second_start.checked_add(second_length) == Some(pdf.len());
        let signed_at = pdf
            .get(at..)
            .and_then(|rest| find(rest, b"/M (D:").map(|offset| &rest[offset + 6..]))
            .and_then(parse_pdf_date);
        Some(Signature {
            contents: (first_length, second_start),
            covers_all,
            signed_at,
        })
    }

    /// The DER of the CMS, when the signature covers the whole file, its hex string is whole and
    /// nothing but zeros pads it.
    fn cms(&self, pdf: &[u8]) -> Option<Vec<u8>> {
        if !self.covers_all {
            return None;
        }
        let (start, end) = self.contents;
        let hex = pdf
            .get(start..end)?
            .strip_prefix(b"<")?
            .strip_suffix(b">")?;
        let mut bytes = hex::decode(hex).ok()?;
        let length = der_length(&bytes)?;
        let padding = bytes.get(length..)?;
        if !padding.iter().all(|&byte| byte == 0) {
            return None;
        }
        bytes.truncate(length);
        Some(bytes)
    }

    /// SHA-256 of every byte outside the signature's hex string.
    fn digest(&self, pdf: &[u8]) -> Vec<u8> {
        let (start, end) = self.contents;
        let mut context = Context::new(&SHA256);
        context.update(&pdf[..start]);
        context.update(&pdf[end..]);
        context.finish().as_ref().to_vec()
    }
}

/// The length of the DER value that starts `bytes`, header included.
fn der_length(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 {
        return None;
    }
    let length = bytes
        .get(2..2 + count)?
        .iter()
        .fold(0usize, |length, &byte| (length << 8) | usize::from(byte));
    Some(2 + count + length)
}

/// `YYYYMMDDHHmmSS` and an offset (`+07'00'`, `Z`) after `D:`, as Unix seconds.
fn parse_pdf_date(text: &[u8]) -> Option<i64> {
    let digits = std::str::from_utf8(text.get(..14)?).ok()?;
    let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<i64>().ok();
    let date = Date::new(
        i32::try_from(number(0..4)?).ok()?,
        u32::try_from(number(4..6)?).ok()?,
        u32::try_from(number(6..8)?).ok()?,
    );
    let local = (date.julian_day() - 2_440_588) * 86_400
        + number(8..10)? * 3600
        + number(10..12)? * 60
        + number(12..14)?;
    let offset = match text.get(14) {
        Some(b'+' | b'-') => {
            let zone = std::str::from_utf8(text.get(15..21)?).ok()?;
            let hours: i64 = zone.get(0..2)?.parse().ok()?;
            let minutes: i64 = zone.get(3..5)?.parse().ok()?;
            let sign = if text[14] == b'+' { 1 } else { -1 };
            sign * (hours * 3600 + minutes * 60)
        }
        _ => 0,
    };
    Some(local - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_date_reads_back_with_its_offset() {
        assert_eq!(
            parse_pdf_date(b"20261207100405+07'00')"),
            Some(1_796_612_645)
        );
        assert_eq!(parse_pdf_date(b"20261207030405Z)"), Some(1_796_612_645));
    }

    #[test]
    fn der_lengths_in_short_and_long_form() {
        assert_eq!(der_length(&[0x30, 0x03, 1, 2, 3]), Some(5));
        assert_eq!(der_length(&[0x30, 0x82, 0x01, 0x00]), Some(4 + 256));
        assert_eq!(der_length(&[0x30, 0x80]), None);
    }
}
