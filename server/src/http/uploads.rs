//! Files sent with a multipart form: read with the limits of `UploadLimits`, checked by content,
//! written under a server-made name, and removed again when the form is refused.

use crate::http::error::HttpError;
use crate::http::random_file_stem;
use crate::storage::FileStore;
use app::domain::feedback::Problem;
use app::domain::filing::{FileKind, StoredFile, UploadLimits, display_file_name, field};
use axum::extract::Multipart;
use axum::http::StatusCode;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

/// A text field of a multipart form is at most this many bytes (buttons, a staff note).
const TEXT_FIELD_MAX: usize = 4096;

/// A photo's thumbnail (`field::THUMBNAIL_PREFIX`) is at most this many bytes: the browser
/// makes it 160 pixels on its long side, a few kilobytes.
const THUMBNAIL_MAX: usize = 24 * 1024;

/// A file written to disk under a temporary name while the request is read.
pub(crate) struct IncomingFile {
    pub temporary: PathBuf,
    pub file: StoredFile,
}

pub(crate) async fn discard(files: &[IncomingFile]) {
    for incoming in files {
        let _ = tokio::fs::remove_file(&incoming.temporary).await;
    }
}

/// Stores received files under their stored names. Files go in place before the rows that name
/// them are written: a crash in between leaves a file nobody names, which `clean_up` removes,
/// never a row whose file is missing. When one cannot be stored, those stored before it are
/// removed and every temporary discarded: nothing of the request stays.
pub(crate) async fn place(files: &FileStore, incoming: &[IncomingFile]) -> std::io::Result<()> {
    for (stored, item) in incoming.iter().enumerate() {
        if let Err(error) = files.keep(&item.temporary, &item.file.stored_name).await {
            unplace(files, &incoming[..stored]).await;
            discard(incoming).await;
            return Err(error);
        }
    }
    Ok(())
}

/// Removes files whose rows were not written, wherever they are (placed or not yet).
pub(crate) async fn unplace(files: &FileStore, incoming: &[IncomingFile]) {
    for item in incoming {
        files.forget(&item.file.stored_name).await;
    }
    discard(incoming).await;
}

/// Reads one file field to a temporary file, checking its type by content and its size.
pub(crate) async fn receive_file(
    field: &mut axum::extract::multipart::Field<'_>,
    files: &FileStore,
    limits: UploadLimits,
) -> Result<Option<(PathBuf, FileKind, u64)>, Problem> {
    let name = random_file_stem().ok_or(Problem::FileUnreadable)?;
    let temporary = files.receiving_path(&name);
    let mut head: Vec<u8> = Vec::with_capacity(FileKind::SNIFF_LEN);
    let mut size: u64 = 0;
    let mut out: Option<tokio::fs::File> = None;
    let result = loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break Ok(()),
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                break Err(Problem::DossierTooLarge);
            }
            Err(_) => break Err(Problem::FileUnreadable),
        };
        if chunk.is_empty() {
            continue;
        }
        size += chunk.len() as u64;
        if size > limits.per_file {
            break Err(Problem::FileTooLarge);
        }
        if head.len() < FileKind::SNIFF_LEN {
            let take = (FileKind::SNIFF_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == FileKind::SNIFF_LEN && FileKind::sniff(&head).is_none() {
                break Err(Problem::FileType);
            }
        }
        if out.is_none() {
            match tokio::fs::File::create(&temporary).await {
                Ok(file) => out = Some(file),
                Err(error) => {
                    tracing::error!(%error, "cannot create an upload file");
                    break Err(Problem::FileUnreadable);
                }
            }
        }
        if let Some(file) = out.as_mut()
            && file.write_all(&chunk).await.is_err()
        {
            break Err(Problem::FileUnreadable);
        }
    };
    let finished = match (result, out) {
        (Ok(()), Some(file)) => match file.sync_all().await {
            Ok(()) => FileKind::sniff(&head)
                .map(|kind| Some((temporary.clone(), kind, size)))
                .ok_or(Problem::FileType),
            Err(_) => Err(Problem::FileUnreadable),
        },
        // An empty file input still sends a part: no file chosen.
        (Ok(()), None) => Ok(None),
        (Err(problem), _) => Err(problem),
    };
    if !matches!(finished, Ok(Some(_))) {
        let _ = tokio::fs::remove_file(&temporary).await;
    }
    finished
}

/// A multipart form of files (fields that `file_slot` gives a case and a document index) and
/// short text fields.
pub(crate) struct UploadForm {
    /// Received to temporary files, type and size checked, each with the random name it is
    /// stored under once `place`d.
    pub files: Vec<IncomingFile>,
    /// Per file field (or `giay-to` for the whole body): why something was refused.
    pub problems: BTreeMap<String, Problem>,
    /// The other fields, first value of each, at most `TEXT_FIELD_MAX` bytes.
    pub fields: BTreeMap<String, String>,
}

/// Reads a whole upload form. Files go to temporary files in the staging folder; on any problem the caller
/// discards them, so nothing of a refused request stays.
///
/// `admit` looks at the text fields sent before the first file (a form puts its code and key
/// first) and runs once, before any file is written, or at the end when no file comes: a request
/// it refuses stops there and never makes a file on disk.
pub(crate) async fn read_upload_form<T>(
    multipart: &mut Multipart,
    files: &FileStore,
    limits: UploadLimits,
    file_slot: impl Fn(&str) -> Option<(usize, usize)>,
    admit: impl AsyncFnOnce(&BTreeMap<String, String>) -> Result<T, HttpError>,
) -> Result<(T, UploadForm), HttpError> {
    let mut gate = Gate::Closed(admit);
    let mut form = UploadForm {
        files: Vec::new(),
        problems: BTreeMap::new(),
        fields: BTreeMap::new(),
    };
    loop {
        let mut part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => {
                let problem = if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Problem::DossierTooLarge
                } else {
                    Problem::FileUnreadable
                };
                form.problems.insert(field::UPLOADS.to_owned(), problem);
                break;
            }
        };
        let name = part.name().unwrap_or_default().to_owned();
        if let Some(thumbnail_of) = name
            .strip_prefix(field::THUMBNAIL_PREFIX)
            .and_then(&file_slot)
        {
            let thumbnail = read_thumbnail(&mut part).await;
            // It follows its photo: the last file received, if that is of the same field.
            if let (Some(thumbnail), Some(photo)) = (thumbnail, form.files.last_mut())
                && (photo.file.case_index, photo.file.document_index) == thumbnail_of
                && photo.file.content_type != FileKind::Pdf.content_type()
                && photo.file.thumbnail.is_none()
            {
                photo.file.thumbnail = Some(thumbnail);
            }
            continue;
        }
        let slot = file_slot(&name);
        // A file input left empty still sends a part, with no file name and no bytes.
        let no_file_chosen = part.file_name().is_some_and(str::is_empty);
        if let Some((case_index, document_index)) = slot.filter(|_| !no_file_chosen) {
            if let Gate::Closed(_) = gate {
                match gate.pass(&form.fields).await {
                    Ok(admitted) => gate = Gate::Open(admitted),
                    Err(refused) => {
                        // Read to the end (nothing kept) so the browser gets the answer rather
                        // than a connection cut off mid-upload.
                        while let Ok(Some(_)) = part.chunk().await {}
                        drop(part);
                        while let Ok(Some(mut rest)) = multipart.next_field().await {
                            while let Ok(Some(_)) = rest.chunk().await {}
                        }
                        return Err(refused);
                    }
                }
                tokio::fs::create_dir_all(files.staging()).await?;
            }
            // Counted before the file is read: beyond the limit, parts are read and dropped,
            // so thousands of tiny files in one body make no temporary file, and the browser
            // still gets its answer (a server that stops reading cuts the upload off instead).
            let for_document = form
                .files
                .iter()
                .filter(|f| {
                    f.file.case_index == case_index && f.file.document_index == document_index
                })
                .count();
            if form.files.len() >= limits.files_per_dossier as usize
                || for_document >= limits.files_per_document as usize
            {
                form.problems
                    .insert(field::UPLOADS.to_owned(), Problem::TooManyFiles);
                while let Ok(Some(_)) = part.chunk().await {}
                continue;
            }
            let client_name = part.file_name().unwrap_or_default().to_owned();
            match receive_file(&mut part, files, limits).await {
                Ok(Some((temporary, kind, size))) => form.files.push(IncomingFile {
                    file: StoredFile {
                        // The temporary's random name with the extension its content shows.
                        stored_name: temporary
                            .with_extension(kind.extension())
                            .file_name()
                            .map(|name| name.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        case_index,
                        document_index,
                        content_type: kind.content_type().to_owned(),
                        size_bytes: size,
                        original_name: display_file_name(&client_name, kind),
                        thumbnail: None,
                        certified_copy: None,
                    },
                    temporary,
                }),
                Ok(None) => {}
                Err(problem) => {
                    form.problems.entry(name).or_insert(problem);
                    if problem == Problem::DossierTooLarge {
                        break;
                    }
                }
            }
            continue;
        }
        if let Ok(text) = part.text().await
            && text.len() <= TEXT_FIELD_MAX
        {
            form.fields.entry(name).or_insert(text);
        }
    }
    Ok((gate.pass(&form.fields).await?, form))
}

/// A thumbnail part as a `data:` URL, when it is a JPEG of at most `THUMBNAIL_MAX` bytes;
/// anything else is read to its end and dropped (the photo goes without one).
async fn read_thumbnail(part: &mut axum::extract::multipart::Field<'_>) -> Option<String> {
    use base64::Engine;
    let mut bytes: Vec<u8> = Vec::new();
    let mut fits = true;
    while let Ok(Some(chunk)) = part.chunk().await {
        if bytes.len() + chunk.len() > THUMBNAIL_MAX {
            fits = false;
        }
        if fits {
            bytes.extend_from_slice(&chunk);
        }
    }
    let jpeg = fits && FileKind::sniff(&bytes) == Some(FileKind::Jpeg);
    jpeg.then(|| {
        format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        )
    })
}

/// Whether `read_upload_form`'s `admit` has let the request in yet.
enum Gate<F, T> {
    Closed(F),
    Open(T),
}

impl<F, T> Gate<F, T>
where
    F: AsyncFnOnce(&BTreeMap<String, String>) -> Result<T, HttpError>,
{
    async fn pass(self, fields: &BTreeMap<String, String>) -> Result<T, HttpError> {
        match self {
            Gate::Closed(admit) => admit(fields).await,
            Gate::Open(admitted) => Ok(admitted),
        }
    }
}
