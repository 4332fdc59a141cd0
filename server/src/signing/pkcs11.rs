//! The center's key on a PKCS#11 token (the usual official-use USB token, or an HSM): the
//! vendor's module is loaded, the token found by its label and logged in to with the PIN, and
//! the private key found by its label; the certificate chain comes from a PEM file (signing
//! certificate first), since tokens differ in what they keep. Tested with SoftHSM 2.

use super::{SignatureAlgorithm, Signer, SigningError};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::asn1::Uint;
use der::{Encode, Sequence};
use ring::signature::{ECDSA_P256_SHA256_ASN1, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use std::path::PathBuf;
use std::sync::Mutex;

/// Where the key is: `MOTCUA_SIGNING_PKCS11_*` (docs/certified-copies.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkcs11Settings {
    /// The vendor's PKCS#11 module (a `.so`).
    pub module: PathBuf,
    /// The token's label.
    pub token: String,
    /// The private key's label on the token.
    pub key: String,
    pub pin: crate::notify::Secret,
    /// The signing certificate and the certificates that lead to the root, PEM.
    pub chain: PathBuf,
}

/// An ECDSA signature as CMS carries it (RFC 5753): PKCS#11 gives `r ‖ s`.
#[derive(Sequence)]
struct EcdsaSignature {
    r: Uint,
    s: Uint,
}

pub struct Pkcs11Signer {
    /// One session, logged in: a token signs one thing at a time anyway.
    session: Mutex<Session>,
    key: ObjectHandle,
    chain: Vec<Vec<u8>>,
    algorithm: SignatureAlgorithm,
}

impl std::fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("certificates", &self.chain.len())
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

fn key_error(what: &str) -> impl Fn(cryptoki::error::Error) -> SigningError + '_ {
    move |error| SigningError::Key(format!("{what}: {error}"))
}

impl Pkcs11Signer {
    /// Opens the token and finds the key; checks that the chain's first certificate is the
    /// key's own by signing a probe with the token and verifying it with that certificate.
    pub fn open(settings: &Pkcs11Settings) -> Result<Pkcs11Signer, SigningError> {
        let chain = super::cms::pem_certificates(&settings.chain)?;
        let leaf = chain.first().ok_or_else(|| {
            SigningError::Key(format!("{}: no certificate", settings.chain.display()))
        })?;
        let algorithm = super::cms::key_algorithm(leaf)?;
        let context = Pkcs11::new(&settings.module).map_err(key_error("the PKCS#11 module"))?;
        context
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(key_error("the PKCS#11 module"))?;
        let slot = context
            .get_slots_with_token()
            .map_err(key_error("the token's slot"))?
            .into_iter()
            .find(|slot| {
                context
                    .get_token_info(*slot)
                    .is_ok_and(|info| info.label().trim_end() == settings.token)
            })
            .ok_or_else(|| SigningError::Key(format!("no token labelled {}", settings.token)))?;
        let session = context
            .open_ro_session(slot)
            .map_err(key_error("the token's session"))?;
        let pin = AuthPin::new(settings.pin.0.clone().into());
        session
            .login(UserType::User, Some(&pin))
            .map_err(key_error("the token's PIN"))?;
        let key = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Label(settings.key.as_bytes().to_vec()),
            ])
            .map_err(key_error("the key"))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                SigningError::Key(format!("no private key labelled {}", settings.key))
            })?;
        let signer = Pkcs11Signer {
            session: Mutex::new(session),
            key,
            chain,
            algorithm,
        };
        signer.check_leaf()?;
        Ok(signer)
    }

    fn check_leaf(&self) -> Result<(), SigningError> {
        let probe = b"motcua: is the first certificate this key's own?";
        // A key of another kind than the certificate's cannot even sign the probe.
        let signature = self.sign(probe).map_err(|error| {
            SigningError::Key(format!(
                "the first certificate is not the key's own: the key cannot sign as its \
                 certificate says ({error})"
            ))
        })?;
        let public = super::cms::subject_public_key(&self.chain[0])?;
        let verifier: &dyn ring::signature::VerificationAlgorithm = match self.algorithm {
            SignatureAlgorithm::RsaSha256 => &RSA_PKCS1_2048_8192_SHA256,
            SignatureAlgorithm::EcdsaP256Sha256 => &ECDSA_P256_SHA256_ASN1,
        };
        UnparsedPublicKey::new(verifier, public)
            .verify(probe, &signature)
            .map_err(|_| SigningError::Key("the first certificate is not the key's own".into()))
    }
}

impl Signer for Pkcs11Signer {
    fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        let session = self
            .session
            .lock()
            .map_err(|_| SigningError::Refused("the token's session was poisoned".into()))?;
        let refused = |error: cryptoki::error::Error| SigningError::Refused(error.to_string());
        match self.algorithm {
            SignatureAlgorithm::RsaSha256 => session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(refused),
            SignatureAlgorithm::EcdsaP256Sha256 => {
                // Tokens rarely offer ECDSA with SHA-256 in one mechanism: hash here.
                let digest = ring::digest::digest(&ring::digest::SHA256, message);
                let raw = session
                    .sign(&Mechanism::Ecdsa, self.key, digest.as_ref())
                    .map_err(refused)?;
                let (r, s) = raw.split_at(raw.len() / 2);
                let encoding = |error: der::Error| SigningError::Encoding(error.to_string());
                EcdsaSignature {
                    r: Uint::new(r).map_err(encoding)?,
                    s: Uint::new(s).map_err(encoding)?,
                }
                .to_der()
                .map_err(encoding)
            }
        }
    }
}
