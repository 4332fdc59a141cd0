//! Digital signatures of the electronic certified copies (issue 22, docs/certified-copies.md).
//!
//! A copy is a PDF signed the PAdES way (ETSI EN 319 142-1, baseline B-B): a CMS SignedData,
//! detached, over the whole file but the signature's own hex string, carrying the signer's
//! certificate chain and the ESS signing-certificate-v2 attribute; the signing time is the
//! signature dictionary's `/M`, as PAdES asks (not a CMS signing-time attribute).
//!
//! The key stays behind [`Signer`]: a PKCS#12 file ([`Pkcs12Signer`]) or a PKCS#11 token
//! ([`Pkcs11Signer`]); a remote signing service implements the same three methods
//! (docs/certified-copies.md says how).

mod cms;
mod pdf;
mod pkcs11;
mod pkcs12;
mod signers;
mod verify;

pub use pdf::{SignatureDetails, sign_pdf};
pub use pkcs11::{Pkcs11Settings, Pkcs11Signer};
pub use pkcs12::Pkcs12Signer;
pub use signers::{Signers, StoredCopies};
pub use verify::{Verdict, Verification, verify_pdf};

/// How a signer signs: the two kinds of key official-use certificates come with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSA PKCS #1 v1.5 with SHA-256 (2,048 to 8,192 bits).
    RsaSha256,
    /// ECDSA on P-256 with SHA-256, the signature DER-encoded.
    EcdsaP256Sha256,
}

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("the signing key could not be read: {0}")]
    Key(String),
    #[error("the signer refused to sign: {0}")]
    Refused(String),
    #[error("the document cannot be signed: {0}")]
    Document(&'static str),
    #[error("the signature could not be encoded: {0}")]
    Encoding(String),
}

/// Whoever holds the center's key. `sign` receives the DER of the CMS signed attributes and
/// returns the signature of `algorithm` over them; it may block (a token, a network call), so
/// callers run it off the async workers.
pub trait Signer: Send + Sync {
    /// The signing certificate first, then the certificates that lead to the root, each DER.
    fn chain(&self) -> &[Vec<u8>];
    fn algorithm(&self) -> SignatureAlgorithm;
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningError>;
}
