//! The signing keys an installation holds, by center, and the roots its verification page
//! trusts; and the check of a stored copy that the pages call (`app::CopyChecker`).

use super::{Pkcs11Signer, Pkcs12Signer, Signer, Verdict, verify_pdf};
use crate::config::SigningSettings;
use crate::storage::FileStore;
use app::domain::certification::{CopyCheck, SignatureCheck};
use app::domain::dossier::AgencyCode;
use der::Decode;
use std::collections::HashMap;
use std::path::Path;
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
    /// The configured keys: `MOTCUA_SIGNING_P12` or the PKCS#11 token for the default center
    /// `agency`, and each key of the keys folder for the center its name gives; none
    /// configured: no center signs.
    pub fn load(settings: Option<&SigningSettings>, agency: &str) -> Result<Signers, String> {
        let Some(settings) = settings else {
            return Ok(Signers::default());
        };
        let mut keys: Vec<(String, Arc<dyn Signer>)> = Vec::new();
        if let Some(p12) = &settings.p12 {
            keys.push((
                agency.to_owned(),
                Arc::new(read_key(p12, &settings.password.0)?),
            ));
        }
        if let Some(token) = &settings.pkcs11 {
            let signer = Pkcs11Signer::open(token)
                .map_err(|error| format!("{}: {error}", token.module.display()))?;
            keys.push((agency.to_owned(), Arc::new(signer)));
        }
        if let Some(dir) = &settings.keys_dir {
            for (agency, signer) in keys_in(dir)? {
                keys.push((agency, Arc::new(signer)));
            }
        }
        let mut by_agency: HashMap<String, Arc<dyn Signer>> = HashMap::new();
        for (agency, signer) in keys {
            if by_agency.insert(agency.clone(), signer).is_some() {
                return Err(format!("two signing keys for the center {agency}"));
            }
        }
        let trusted = match &settings.trust {
            Some(path) => super::cms::pem_certificates(path).map_err(|error| error.to_string())?,
            // The root at the end of each key's chain: the copies verify on this site; centers
            // that use an official-use CA name its root in MOTCUA_SIGNING_TRUST.
            None => {
                let mut roots: Vec<Vec<u8>> = Vec::new();
                for root in by_agency
                    .values()
                    .filter_map(|signer| signer.chain().last())
                {
                    if !roots.contains(root) {
                        roots.push(root.clone());
                    }
                }
                roots
            }
        };
        Ok(Signers {
            by_agency: Arc::new(by_agency),
            trusted: Arc::new(trusted),
        })
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

fn read_key(path: &Path, password: &str) -> Result<Pkcs12Signer, String> {
    let data = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    Pkcs12Signer::from_pkcs12(&data, password)
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// The keys of a folder: `{agency code}.p12` each, its password on the first line of
/// `{agency code}.password` beside it. A key named otherwise stops the start: skipped, it would
/// leave its center unable to certify without a word.
fn keys_in(dir: &Path) -> Result<Vec<(String, Pkcs12Signer)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut keys = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .path();
        if path.extension().and_then(|extension| extension.to_str()) != Some("p12") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default();
        let agency = AgencyCode::parse(stem).map_err(|_| {
            format!(
                "{}: a key is named by its center's agency code, e.g. 000.00.12.H56.p12",
                path.display()
            )
        })?;
        let password_file = path.with_extension("password");
        let password = std::fs::read_to_string(&password_file)
            .map_err(|error| format!("{}: {error}", password_file.display()))?;
        let password = password.lines().next().unwrap_or_default();
        keys.push((agency.as_str().to_owned(), read_key(&path, password)?));
    }
    Ok(keys)
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
