//! The center's key and certificate chain from a PKCS#12 file (`.p12`/`.pfx`), as a CA hands an
//! official-use certificate out when it is not on a token, and as `openssl pkcs12 -export` makes.

use super::{SignatureAlgorithm, Signer, SigningError};
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};

enum Key {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
}

pub struct Pkcs12Signer {
    key: Key,
    chain: Vec<Vec<u8>>,
    random: SystemRandom,
}

impl std::fmt::Debug for Pkcs12Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs12Signer")
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl Pkcs12Signer {
    /// The first key of the file with its chain (leaf first). The key must be RSA (2,048 bits or
    /// more) or ECDSA P-256, and the first certificate must be the key's own.
    pub fn from_pkcs12(data: &[u8], password: &str) -> Result<Pkcs12Signer, SigningError> {
        let store = KeyStore::from_pkcs12(data, password, Pkcs12ImportPolicy::Strict)
            .map_err(|error| SigningError::Key(error.to_string()))?;
        let (_, entry) = store
            .private_key_chain()
            .ok_or_else(|| SigningError::Key("the file holds no private key".into()))?;
        let pkcs8 = entry.key().as_der();
        let random = SystemRandom::new();
        let key = match RsaKeyPair::from_pkcs8(pkcs8) {
            Ok(pair) => Key::Rsa(pair),
            Err(_) => {
                EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8, &random)
                    .map(Key::Ecdsa)
                    .map_err(|_| {
                        SigningError::Key(
                            "the key is neither RSA (2,048+ bits) nor ECDSA P-256".into(),
                        )
                    })?
            }
        };
        let chain: Vec<Vec<u8>> = entry
            .certs()
            .iter()
            .map(|certificate| certificate.as_der().to_vec())
            .collect();
        let signer = Pkcs12Signer { key, chain, random };
        signer.check_leaf()?;
        Ok(signer)
    }

    /// The leaf certificate must name this key: a file whose first certificate is another one's
    /// would make copies no verifier accepts.
    fn check_leaf(&self) -> Result<(), SigningError> {
        let leaf = self
            .chain
            .first()
            .ok_or_else(|| SigningError::Key("the file holds no certificate for the key".into()))?;
        let public = super::cms::subject_public_key(leaf)?;
        let own = match &self.key {
            Key::Rsa(pair) => pair.public().as_ref().to_vec(),
            Key::Ecdsa(pair) => pair.public_key().as_ref().to_vec(),
        };
        if public == own {
            Ok(())
        } else {
            Err(SigningError::Key(
                "the first certificate is not the key's own".into(),
            ))
        }
    }
}

impl Signer for Pkcs12Signer {
    fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        match self.key {
            Key::Rsa(_) => SignatureAlgorithm::RsaSha256,
            Key::Ecdsa(_) => SignatureAlgorithm::EcdsaP256Sha256,
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        match &self.key {
            Key::Rsa(pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &self.random,
                    message,
                    &mut signature,
                )
                .map_err(|_| SigningError::Refused("RSA signing failed".into()))?;
                Ok(signature)
            }
            Key::Ecdsa(pair) => pair
                .sign(&self.random, message)
                .map(|signature| signature.as_ref().to_vec())
                .map_err(|_| SigningError::Refused("ECDSA signing failed".into())),
        }
    }
}
