//! The CMS SignedData (RFC 5652) inside a PAdES signature: detached (the PDF's bytes are the
//! content), SHA-256, signed attributes content-type, message-digest and ESS
//! signing-certificate-v2 (RFC 5035), every certificate of the chain embedded.

use super::{SignatureAlgorithm, Signer, SigningError};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Null, ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use ring::digest::{SHA256, digest};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;

pub(super) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub(super) const ID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(super) const ID_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub(super) const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub(super) const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub(super) const ID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(super) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub(super) const ECDSA_WITH_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// ESSCertIDv2 with the default hash (SHA-256) left out, as DER requires.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn encoding(error: der::Error) -> SigningError {
    SigningError::Encoding(error.to_string())
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SigningError> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(encoding)?,
    })
}

fn certificate(der: &[u8]) -> Result<Certificate, SigningError> {
    Certificate::from_der(der).map_err(|error| SigningError::Key(error.to_string()))
}

/// The certificates of a PEM file (a chain, or trust roots), each DER, in the file's order.
pub(super) fn pem_certificates(path: &std::path::Path) -> Result<Vec<Vec<u8>>, SigningError> {
    let unreadable =
        |error: &dyn std::fmt::Display| SigningError::Key(format!("{}: {error}", path.display()));
    let pem = std::fs::read(path).map_err(|error| unreadable(&error))?;
    Certificate::load_pem_chain(&pem)
        .map_err(|error| unreadable(&error))?
        .iter()
        .map(|certificate| certificate.to_der().map_err(encoding))
        .collect()
}

/// The public key a certificate names, as the bytes of its subjectPublicKey bit string.
pub(super) fn subject_public_key(der: &[u8]) -> Result<Vec<u8>, SigningError> {
    Ok(certificate(der)?
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
        .to_vec())
}

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// How the key a certificate names signs: RSA, or ECDSA (P-256 is checked when it signs).
pub(super) fn key_algorithm(der: &[u8]) -> Result<SignatureAlgorithm, SigningError> {
    match certificate(der)?
        .tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid
    {
        RSA_ENCRYPTION => Ok(SignatureAlgorithm::RsaSha256),
        EC_PUBLIC_KEY => Ok(SignatureAlgorithm::EcdsaP256Sha256),
        other => Err(SigningError::Key(format!(
            "the certificate's key ({other}) is neither RSA nor ECDSA"
        ))),
    }
}

pub(super) fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

fn signature_algorithm(algorithm: SignatureAlgorithm) -> AlgorithmIdentifierOwned {
    match algorithm {
        SignatureAlgorithm::RsaSha256 => AlgorithmIdentifierOwned {
            oid: SHA256_WITH_RSA,
            parameters: Some(Any::from(Null)),
        },
        SignatureAlgorithm::EcdsaP256Sha256 => AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA256,
            parameters: None,
        },
    }
}

/// The DER of a ContentInfo holding the SignedData over content whose SHA-256 is
/// `content_digest`, signed by `signer`.
pub(super) fn signed_data(
    signer: &dyn Signer,
    content_digest: &[u8],
) -> Result<Vec<u8>, SigningError> {
    let chain = signer.chain();
    let leaf_der = chain
        .first()
        .ok_or(SigningError::Document("the signer has no certificate"))?;
    let leaf = certificate(leaf_der)?;
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(digest(&SHA256, leaf_der).as_ref()).map_err(encoding)?,
        }],
    };
    let signed_attributes = SetOfVec::try_from(vec![
        attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_DATA).map_err(encoding)?,
        )?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(content_digest).map_err(encoding)?)
                .map_err(encoding)?,
        )?,
        attribute(
            ID_SIGNING_CERTIFICATE_V2,
            Any::encode_from(&signing_certificate).map_err(encoding)?,
        )?,
    ])
    .map_err(encoding)?;
    // What is signed is the attributes' DER as a SET OF (RFC 5652 §5.4), not their [0] form.
    let signature = signer.sign(&signed_attributes.to_der().map_err(encoding)?)?;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: leaf.tbs_certificate().issuer().clone(),
            serial_number: leaf.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: sha256_algorithm(),
        signed_attrs: Some(signed_attributes),
        signature_algorithm: signature_algorithm(signer.algorithm()),
        signature: OctetString::new(signature).map_err(encoding)?,
        unsigned_attrs: None,
    };
    let certificates = chain
        .iter()
        .map(|der| certificate(der).map(CertificateChoices::Certificate))
        .collect::<Result<Vec<_>, _>>()?;
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_algorithm()]).map_err(encoding)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(certificates).map_err(encoding)?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(encoding)?),
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed).map_err(encoding)?,
    }
    .to_der()
    .map_err(encoding)
}
