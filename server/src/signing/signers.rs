//! The signing keys an installation holds, by center, and the roots its verification page
//! trusts; and the check of a stored copy that the pages call (`app::CopyChecker`).

use super::{Pkcs12Signer, Signer, Verdict, verify_pdf};
use crate::config::SigningSettings;
use crate::storage::FileStore;
use app::domain::certification::{CopyCheck, SignatureCheck};
use der::{Decode, Encode};
use std::collections::HashMap;
use std::sync::Arc;
use x509_cert::Certificate;

#[derive(Clone, Default)]
pub struct Signers {
    by_agency: Arc<HashMap<String, Arc<dyn Signer>>>,
    trusted: Arc<Vec<Vec<u8>>>,
}

impl std::fmt::Debug for Signers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signers")
            .field("centers", &self.agencies())
            .finish_non_exhaustive()
    }
}

impl Signers {
    /// The configured key, for the center `agency`; none configured: no center signs.
    pub fn load(settings: Option<&SigningSettings>, agency: &str) -> Result<Signers, String> {
        let Some(settings) = settings else {
            return Ok(Signers::default());
        };
        let data = std::fs::read(&settings.p12)
            .map_err(|error| format!("{}: {error}", settings.p12.display()))?;
        let signer = Pkcs12Signer::from_pkcs12(&data, &settings.password.0)
            .map_err(|error| format!("{}: {error}", settings.p12.display()))?;
        let trusted = match &settings.trust {
            Some(path) => {
                let pem =
                    std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
                Certificate::load_pem_chain(&pem)
                    .map_err(|error| format!("{}: {error}", path.display()))?
                    .iter()
                    .map(|certificate| certificate.to_der())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|error| error.to_string())?
            }
            // The root at the end of the file's chain: the copies verify on this site; a
            // center that uses an official-use CA names its root in MOTCUA_SIGNING_TRUST.
            None => signer.chain().last().cloned().into_iter().collect(),
        };
        Ok(Signers::with(agency, Arc::new(signer), trusted))
    }

    /// `signer` for the center `agency`, copies verified against `trusted` roots.
    pub fn with(agency: &str, signer: Arc<dyn Signer>, trusted: Vec<Vec<u8>>) -> Signers {
        Signers {
            by_agency: Arc::new(HashMap::from([(agency.to_owned(), signer)])),
            trusted: Arc::new(trusted),
        }
    }

    pub fn for_center(&self, agency: &str) -> Option<Arc<dyn Signer>> {
        self.by_agency.get(agency).cloned()
    }

    pub fn agencies(&self) -> Vec<String> {
        self.by_agency.keys().cloned().collect()
    }

    /// The common name of a center's signing certificate, for the copy's signature dictionary.
    pub fn subject_of(signer: &dyn Signer) -> String {
        signer
            .chain()
            .first()
            .and_then(|der| Certificate::from_der(der).ok())
            .map(|certificate| certificate.tbs_certificate().subject().to_string())
            .unwrap_or_default()
    }

    /// Our verifier's answer on `pdf`, in the pages' words.
    pub fn check(&self, pdf: &[u8], now: i64) -> SignatureCheck {
        match verify_pdf(pdf, &self.trusted, now).verdict {
            Verdict::Valid => SignatureCheck::Valid,
            Verdict::Untrusted => SignatureCheck::Untrusted,
            Verdict::Modified => SignatureCheck::Modified,
            Verdict::NotSigned => SignatureCheck::NotSigned,
        }
    }
}

/// Reads a stored copy and checks it, for the verification page and the staff's dossier page.
pub struct StoredCopies {
    pub files: FileStore,
    pub signers: Signers,
    pub db: app::db::Database,
}

impl app::CopyChecker for StoredCopies {
    fn check<'a>(
        &'a self,
        stored_name: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<CopyCheck>> + Send + 'a>> {
        Box::pin(async move {
            let bytes = self.files.read(stored_name).await.ok()?;
            let now = self.db.now();
            let signers = self.signers.clone();
            tokio::task::spawn_blocking(move || CopyCheck {
                sha256: hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes)),
                signature: signers.check(&bytes, now),
            })
            .await
            .ok()
        })
    }
}
