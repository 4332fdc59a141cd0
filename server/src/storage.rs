//! Where dossier files are kept: a folder on this server's disk (the default), or an
//! S3-compatible object store that every app server of a deployment shares
//! (`MOTCUA_STORAGE=s3://bucket/prefix`).
//!
//! Either way a file first arrives in a temporary file in the local staging folder, where it is
//! checked while it is read, and is then `keep`-ed under its stored name: renamed within the
//! folder, or sent to the object store and the temporary removed. The rows that name a file are
//! written only after `keep` returned (see `http::uploads::place`).

use app::domain::filing::FileKind;
use object_store::ObjectStore;
use object_store::path::Path as ObjectPath;
use std::io;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How the object store is reached: its bucket and the prefix of every key, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectStorage {
    pub bucket: String,
    /// Keys are `{prefix}/{stored name}`; empty for the bucket's top level.
    pub prefix: String,
    /// `https://…` or `http://…` of an S3-compatible server; `None` for Amazon S3 itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: crate::notify::Secret,
}

impl ObjectStorage {
    /// Reads `s3://bucket` or `s3://bucket/prefix/…` (a prefix's slashes kept, the outer ones
    /// dropped): the bucket and the prefix, or `None` when it is not such an address.
    pub fn parse_address(address: &str) -> Option<(String, String)> {
        let rest = address.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // S3's rule for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens.
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && !bucket.starts_with(['.', '-'])
            && !bucket.ends_with(['.', '-']);
        let prefix = prefix.trim_matches('/');
        let prefix_ok = prefix.split('/').all(|part| {
            prefix.is_empty()
                || (!part.is_empty()
                    && part != "."
                    && part != ".."
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)))
        });
        (bucket_ok && prefix_ok).then(|| (bucket.to_owned(), prefix.to_owned()))
    }

    /// `s3://bucket/prefix`, for messages.
    pub fn address(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

/// The files of dossiers and drafts, by their stored names (random, made by the server).
#[derive(Clone)]
pub struct FileStore {
    staging: PathBuf,
    kept_in: KeptIn,
}

#[derive(Clone)]
enum KeptIn {
    /// In the staging folder itself.
    Folder,
    Objects {
        store: Arc<dyn ObjectStore>,
        prefix: String,
        address: String,
    },
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A stored file's name and when it was last written, in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub name: String,
    pub written_at: i64,
}

/// The suffix of a file still being received.
const RECEIVING: &str = ".part";

/// Whether `name` has the shape of a name this server gives a file (32 hex digits and the
/// extension its content showed): the clean-up removes only such files, never anything else an
/// operator or another program keeps beside them.
pub fn is_stored_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(stem, extension)| {
        stem.len() == 32
            && stem
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            && FileKind::ALL
                .iter()
                .any(|kind| kind.extension() == extension)
    })
}

impl FileStore {
    /// Files kept in `dir` on this server's disk.
    pub fn folder(dir: PathBuf) -> FileStore {
        FileStore {
            staging: dir,
            kept_in: KeptIn::Folder,
        }
    }

    /// Files kept in an object store, received first into `staging` on this server's disk.
    pub fn objects(settings: &ObjectStorage, staging: PathBuf) -> Result<FileStore, String> {
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key.0)
            // A citizen waits for the answer: a few quick tries, never the default minutes.
            .with_retry(object_store::RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(20),
                backoff: object_store::BackoffConfig::default(),
            })
            .with_client_options(
                object_store::ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(30)),
            );
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let store = builder.build().map_err(|error| error.to_string())?;
        Ok(FileStore {
            staging,
            kept_in: KeptIn::Objects {
                store: Arc::new(store),
                prefix: settings.prefix.clone(),
                address: settings.address(),
            },
        })
    }

    /// Where files are received to, on this server's disk.
    pub fn staging(&self) -> &FsPath {
        &self.staging
    }

    /// A new temporary file's path in the staging folder.
    pub fn receiving_path(&self, stem: &str) -> PathBuf {
        self.staging.join(format!("{stem}{RECEIVING}"))
    }

    /// The folder or the object store, for messages and logs (never a key).
    pub fn describe(&self) -> String {
        match &self.kept_in {
            KeptIn::Folder => format!("thư mục {}", self.staging.display()),
            KeptIn::Objects { address, .. } => address.clone(),
        }
    }

    /// Checks at start-up that files can be listed (the clean-up does), written, read back and
    /// removed, so a wrong key or bucket stops the server with its reason rather than failing a
    /// citizen's upload.
    pub async fn check(&self) -> io::Result<()> {
        tokio::fs::create_dir_all(&self.staging).await?;
        // Listed first (one page is enough): some S3 servers make a missing bucket on a write.
        self.list_first().await?;
        // A name of its own: servers sharing a store may start at the same moment.
        let stem = crate::http::random_file_stem()
            .ok_or_else(|| io::Error::other("no random name could be made"))?;
        let temporary = self.receiving_path(&stem);
        tokio::fs::write(&temporary, b"motcua").await?;
        let name = format!("kiem-tra-{stem}.txt");
        self.keep(&temporary, &name).await?;
        let read = self.read(&name).await;
        self.remove(&name).await?;
        if read? != b"motcua" {
            return Err(io::Error::other(
                "a file read back differs from what was written",
            ));
        }
        Ok(())
    }

    /// Lists at most one page of the store: whether it can be listed at all.
    async fn list_first(&self) -> io::Result<()> {
        match &self.kept_in {
            KeptIn::Folder => folder_entries(&self.staging).await.map(drop),
            KeptIn::Objects { store, prefix, .. } => {
                use futures_util::StreamExt;
                match store.list(under(prefix).as_ref()).next().await {
                    Some(Err(error)) => Err(store_error(error)),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Stores a received temporary file under `name`; the temporary is gone afterwards when
    /// this succeeds.
    pub async fn keep(&self, temporary: &FsPath, name: &str) -> io::Result<()> {
        match &self.kept_in {
            KeptIn::Folder => tokio::fs::rename(temporary, self.staging.join(name)).await,
            KeptIn::Objects { .. } => {
                // At most the per-file upload limit (10 MB by default): sent in one request.
                self.write(name, tokio::fs::read(temporary).await?).await?;
                let _ = tokio::fs::remove_file(temporary).await;
                Ok(())
            }
        }
    }

    /// Stores `bytes` under `name` (a restore writes files this way).
    pub async fn write(&self, name: &str, bytes: Vec<u8>) -> io::Result<()> {
        match &self.kept_in {
            KeptIn::Folder => {
                tokio::fs::create_dir_all(&self.staging).await?;
                let temporary = self.receiving_path(name);
                tokio::fs::write(&temporary, &bytes).await?;
                tokio::fs::rename(&temporary, self.staging.join(name)).await
            }
            KeptIn::Objects { store, prefix, .. } => store
                .put(&key(prefix, name), bytes.into())
                .await
                .map(|_| ())
                .map_err(store_error),
        }
    }

    /// A stored file's bytes; `NotFound` when there is none of that name.
    pub async fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        match &self.kept_in {
            KeptIn::Folder => tokio::fs::read(self.staging.join(name)).await,
            KeptIn::Objects { store, prefix, .. } => {
                let found = store.get(&key(prefix, name)).await.map_err(store_error)?;
                Ok(found.bytes().await.map_err(store_error)?.to_vec())
            }
        }
    }

    /// Removes a stored file; one already gone is no error.
    pub async fn remove(&self, name: &str) -> io::Result<()> {
        let outcome = match &self.kept_in {
            KeptIn::Folder => tokio::fs::remove_file(self.staging.join(name)).await,
            KeptIn::Objects { store, prefix, .. } => {
                store.delete(&key(prefix, name)).await.map_err(store_error)
            }
        };
        match outcome {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }

    /// Removes what a refused or failed request left: a `remove` whose error is only logged,
    /// as the clean-up finds any file left behind.
    pub async fn forget(&self, name: &str) {
        if let Err(error) = self.remove(name).await {
            tracing::warn!(%error, "a file could not be removed; the hourly clean-up will");
        }
    }

    /// Every stored file (not the temporaries being received), with when it was written: the
    /// files of the folder, or the objects directly under the prefix (not those of folders
    /// below it).
    pub async fn list(&self) -> io::Result<Vec<StoredEntry>> {
        match &self.kept_in {
            KeptIn::Folder => Ok(folder_entries(&self.staging)
                .await?
                .into_iter()
                .filter(|entry| !entry.name.ends_with(RECEIVING))
                .collect()),
            KeptIn::Objects { store, prefix, .. } => {
                let found = store
                    .list_with_delimiter(under(prefix).as_ref())
                    .await
                    .map_err(store_error)?;
                Ok(found
                    .objects
                    .into_iter()
                    .filter_map(|meta| {
                        let name = meta.location.filename()?.to_owned();
                        Some(StoredEntry {
                            name,
                            written_at: meta.last_modified.timestamp(),
                        })
                    })
                    .collect())
            }
        }
    }

    /// Removes temporaries older than `before` (Unix seconds): a request cut off mid-upload,
    /// or a crash, leaves them.
    pub async fn remove_stale_temporaries(&self, before: i64) -> io::Result<usize> {
        let mut removed = 0;
        for entry in folder_entries(&self.staging).await? {
            if entry.name.ends_with(RECEIVING)
                && entry.written_at < before
                && tokio::fs::remove_file(self.staging.join(&entry.name))
                    .await
                    .is_ok()
            {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// What to list: the prefix, or the whole bucket.
fn under(prefix: &str) -> Option<ObjectPath> {
    (!prefix.is_empty()).then(|| ObjectPath::from(prefix))
}

fn key(prefix: &str, name: &str) -> ObjectPath {
    if prefix.is_empty() {
        ObjectPath::from(name)
    } else {
        ObjectPath::from(format!("{prefix}/{name}"))
    }
}

fn store_error(error: object_store::Error) -> io::Error {
    match error {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, error),
        other => io::Error::other(other),
    }
}

/// The files of a folder (none when it does not exist yet) and their modification times.
async fn folder_entries(dir: &FsPath) -> io::Result<Vec<StoredEntry>> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut found = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let Ok(metadata) = entry.metadata().await else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        let written_at = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_secs() as i64);
        found.push(StoredEntry {
            name: entry.file_name().to_string_lossy().into_owned(),
            written_at,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_a_bucket_and_a_prefix() {
        assert_eq!(
            ObjectStorage::parse_address("s3://ho-so-tinh/motcua/tep"),
            Some(("ho-so-tinh".to_owned(), "motcua/tep".to_owned()))
        );
        assert_eq!(
            ObjectStorage::parse_address("s3://ho-so-tinh/"),
            Some(("ho-so-tinh".to_owned(), String::new()))
        );
        assert_eq!(
            ObjectStorage::parse_address("s3://ho-so-tinh"),
            Some(("ho-so-tinh".to_owned(), String::new()))
        );
    }

    #[test]
    fn a_bad_address_is_refused() {
        for address in [
            "ho-so-tinh",
            "https://ho-so-tinh/tep",
            "s3://",
            "s3://HoSo",
            "s3://ab",
            "s3://-ho-so",
            "s3://ho-so/../tep",
            "s3://ho-so/a//b",
            "s3://ho-so/tệp",
        ] {
            assert_eq!(ObjectStorage::parse_address(address), None, "{address}");
        }
    }

    #[test]
    fn only_names_the_server_gives_are_its_own() {
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.pdf"));
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.jpg"));
        for name in [
            "0123456789abcdef0123456789abcdef.part",
            "0123456789ABCDEF0123456789abcdef.pdf",
            "0123456789abcdef0123456789abcde.pdf",
            "0123456789abcdef0123456789abcdef.pdf.pdf",
            "kiem-tra-0123456789abcdef0123456789abcdef.txt",
            "sao-luu-2026-12-06.tar",
            "demo-000.00.00.H00-261207-0001.pdf",
        ] {
            assert!(!is_stored_name(name), "{name}");
        }
    }

    #[test]
    fn keys_sit_under_the_prefix() {
        assert_eq!(key("motcua/tep", "abc.pdf").as_ref(), "motcua/tep/abc.pdf");
        assert_eq!(key("", "abc.pdf").as_ref(), "abc.pdf");
    }
}
