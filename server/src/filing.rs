//! The POST side of online filing: plain HTML forms (urlencoded, and multipart for files) with
//! post/redirect/get. A refused form is answered with its page rendered again, the input kept
//! and a message next to each bad field; nothing is written for it.
//!
//! With JavaScript on, the documents step is sent by an island that asks for JSON
//! (`Accept: application/json`) and gets either `{"redirect": …}` or `{"problems": {field: text}}`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path as FsPath, PathBuf};

use app::client::LookupCounted;
use app::db::Database;
use app::db::filing::{AddFiles, DraftLookup, DraftRecord, Submission, SubmitOutcome, UploadRoom};
use app::domain::application::{
    Applicant, DraftQuota, FileKind, FormFeedback, LookupKey, Problem, ResumeCode, StoredFile,
    UploadLimits, appointment_date, display_file_name, field, missing_documents, receipt_path,
};
use app::domain::calendar::Date;
use app::domain::dossier::AgencyCode;
use app::domain::procedure::{ChannelKind, Procedure};
use app::domain::url::with_query;
use app::i18n::Lang;
use app::shell;
use axum::Form;
use axum::body::Body;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{HeaderMap, Request, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::config::LeptosOptions;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::AppState;

/// What the filing handlers need besides the database.
#[derive(Debug, Clone)]
pub struct FilingSettings {
    pub agency: AgencyCode,
    pub upload_dir: PathBuf,
    pub limits: UploadLimits,
    pub draft_quota: DraftQuota,
    /// How long a draft lives after its last save, in seconds.
    pub draft_lifetime: i64,
}

/// How long a submitted draft keeps its receipt for a repeated submit or the resume link.
const RECEIPT_KEPT_SECONDS: i64 = 24 * 3600;

/// A text field of a multipart form is at most this many bytes (buttons, a staff note).
const TEXT_FIELD_MAX: usize = 4096;

pub(crate) fn now() -> i64 {
    app::db::unix_now()
}

/// Bytes from the operating system's random source; `None` (logged) if it fails.
fn random<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    match getrandom::fill(&mut bytes) {
        Ok(()) => Some(bytes),
        Err(error) => {
            tracing::error!(%error, "no randomness from the operating system");
            None
        }
    }
}

/// `2 × N` random hex digits: file names on disk (16 bytes), session and CSRF tokens.
pub(crate) fn random_hex<const N: usize>() -> Option<String> {
    random::<N>().map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new lookup key for a dossier; `None` (logged) without randomness.
pub(crate) fn random_key() -> Option<LookupKey> {
    random::<{ LookupKey::RANDOM_BYTES }>().map(LookupKey::from_random)
}

/// 32 hex digits: the name a file gets on disk.
pub(crate) fn random_file_stem() -> Option<String> {
    random_hex::<16>()
}

/// A urlencoded form by field name, the first value of each.
pub(crate) fn form_map(values: Vec<(String, String)>) -> BTreeMap<String, String> {
    let mut form = BTreeMap::new();
    for (name, value) in values {
        form.entry(name).or_insert(value);
    }
    form
}

pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// Logs what broke and answers with a short page in both languages (the request's language is
/// not worth a second failure): the citizen's input is still in the draft or in their browser.
pub(crate) fn internal(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "filing request failed");
    let (vi, en) = (Lang::Vi.texts(), Lang::En.texts());
    let page = format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"/pkg/motcua.css\"><title>{}</title></head>\
         <body><main class=\"wrap\"><h1>{}</h1><p>{}</p>\
         <p lang=\"en\">{} {}</p><p><a href=\"/\">{}</a></p></main></body></html>",
        vi.error_title, vi.error_title, vi.error_text, en.error_title, en.error_text, vi.back_home
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CACHE_CONTROL, "no-store")],
        axum::response::Html(page),
    )
        .into_response()
}

/// The page at the request's own address, as a 404: the draft or procedure page then says
/// what is missing, in the citizen's language.
async fn not_found(state: &AppState, parts: &Parts) -> Response {
    let path = parts.uri.path().to_owned();
    render_with_feedback(
        state,
        parts,
        &path,
        FormFeedback::default(),
        StatusCode::NOT_FOUND,
    )
    .await
}

fn draft_path(token: &str, step: &str) -> String {
    format!("/ho-so-nhap/{token}/{step}")
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

pub(crate) fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default()
}

/// Renders the page at `path` again for this request, with the refused input and its problems.
pub(crate) async fn render_with_feedback(
    state: &AppState,
    parts: &Parts,
    path: &str,
    feedback: FormFeedback,
    status: StatusCode,
) -> Response {
    let mut request = Request::builder().method("GET").uri(path);
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::HOST] {
        if let Some(value) = parts.headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let Ok(mut request) = request.body(Body::empty()) else {
        return internal("rebuilding the request for a refused form");
    };
    // The page may look up a dossier, which is rate-limited by the client's address.
    if let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        request.extensions_mut().insert(*peer);
    }
    if let Some(counted) = parts.extensions.get::<LookupCounted>() {
        request.extensions_mut().insert(*counted);
    }
    let options: LeptosOptions = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            state.provide_page_context();
            leptos::prelude::provide_context(feedback.clone());
        }
    };
    let handler =
        leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    let mut response = handler(request).await;
    // The page knows only that its form was refused (422); the handler knows why.
    if !response.status().is_server_error() {
        *response.status_mut() = status;
    }
    response
}

/// Answers a refused form with its page again (422).
pub(crate) async fn refuse(
    state: &AppState,
    parts: &Parts,
    path: &str,
    feedback: FormFeedback,
) -> Response {
    render_with_feedback(
        state,
        parts,
        path,
        feedback,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Answers a refused documents step: JSON for the island, the page again otherwise.
async fn refuse_documents(
    state: &AppState,
    parts: &Parts,
    token: &str,
    problems: BTreeMap<String, Problem>,
    status: StatusCode,
) -> Response {
    if wants_json(&parts.headers) {
        let texts = lang_of(&parts.headers).texts();
        let messages: BTreeMap<String, &str> = problems
            .into_iter()
            .map(|(field, problem)| (field, texts.problem(problem)))
            .collect();
        return (
            status,
            axum::Json(serde_json::json!({ "problems": messages })),
        )
            .into_response();
    }
    let feedback = FormFeedback {
        values: BTreeMap::new(),
        problems,
    };
    render_with_feedback(
        state,
        parts,
        &draft_path(token, "giay-to"),
        feedback,
        status,
    )
    .await
}

fn moved_on(parts: &Parts, path: &str) -> Response {
    if wants_json(&parts.headers) {
        axum::Json(serde_json::json!({ "redirect": path })).into_response()
    } else {
        see_other(path)
    }
}

/// An open draft, or the response that sends the citizen to the page explaining why not.
async fn open_draft(state: &AppState, parts: &Parts, token: &str) -> Result<DraftRecord, Response> {
    let Ok(code) = ResumeCode::parse(token) else {
        return Err(not_found(state, parts).await);
    };
    match state
        .db
        .draft(code.as_str(), now())
        .await
        .map_err(internal)?
    {
        DraftLookup::Found(draft) if draft.submitted.is_none() => Ok(*draft),
        // The draft page explains: submitted (with the receipt link), expired or unknown.
        _ => Err(see_other(&draft_path(code.as_str(), "nguoi-nop"))),
    }
}

/// `POST /thu-tuc/{code}/nop-truc-tuyen`: starts a draft and goes to its first step.
pub(crate) async fn start(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Response {
    let procedure = match state.db.procedure_by_code(&code).await {
        Ok(Some(procedure)) => procedure,
        Ok(None) => return not_found(&state, &parts).await,
        Err(error) => return internal(error),
    };
    if !procedure.online_level.accepts_online_filing() {
        let feedback = FormFeedback::single("thu-tuc", Problem::NotOnline, None);
        let path = format!("/thu-tuc/{code}/nop-truc-tuyen");
        return refuse(&state, &parts, &path, feedback).await;
    }
    let Some(token) = random::<{ ResumeCode::RANDOM_BYTES }>().map(ResumeCode::from_random) else {
        return internal("no resume code could be made");
    };
    let now = now();
    match state
        .db
        .create_draft(
            token.as_str(),
            &procedure.code,
            now,
            now + state.filing.draft_lifetime,
        )
        .await
    {
        Ok(true) => see_other(&draft_path(token.as_str(), "nguoi-nop")),
        Ok(false) => not_found(&state, &parts).await,
        Err(error) => internal(error),
    }
}

#[derive(Deserialize)]
pub struct ResumeQuery {
    ma: Option<String>,
}

/// `GET /ho-so-nhap?ma=…`: the resume form; a malformed code shows the form again.
pub(crate) async fn resume(
    State(state): State<AppState>,
    Query(query): Query<ResumeQuery>,
    parts: Parts,
) -> Response {
    let typed = query.ma.unwrap_or_default();
    match ResumeCode::parse(&typed) {
        Ok(code) => see_other(&draft_path(code.as_str(), "nguoi-nop")),
        Err(_) => {
            let typed = typed.chars().take(40).collect();
            let feedback = FormFeedback::single("ma", Problem::DraftExpired, Some(typed));
            refuse(&state, &parts, "/tiep-tuc", feedback).await
        }
    }
}

/// `POST /ho-so-nhap/{token}/nguoi-nop`: the applicant step.
pub(crate) async fn save_applicant(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    let draft = match open_draft(&state, &parts, &token).await {
        Ok(draft) => draft,
        Err(response) => return response,
    };
    let mut form = BTreeMap::new();
    for (name, value) in values {
        form.entry(name).or_insert(value);
    }
    let back_to_review = form.get("tiep").is_some_and(|v| v == "kiem-tra");
    match Applicant::from_form(&form, draft.procedure.cases.len()) {
        Err(feedback) => {
            let path = draft_path(&draft.token, "nguoi-nop");
            refuse(&state, &parts, &path, feedback).await
        }
        Ok(applicant) => {
            let now = now();
            let expires = now + state.filing.draft_lifetime;
            match state
                .db
                .save_applicant(&draft.token, &applicant, now, expires)
                .await
            {
                Ok(true) if back_to_review => see_other(&draft_path(&draft.token, "kiem-tra")),
                Ok(true) => see_other(&draft_path(&draft.token, "giay-to")),
                Ok(false) => see_other(&draft_path(&draft.token, "nguoi-nop")),
                Err(error) => internal(error),
            }
        }
    }
}

/// A file written to disk under a temporary name while the request is read.
pub(crate) struct IncomingFile {
    pub temporary: PathBuf,
    pub kind: FileKind,
    pub file: StoredFile,
}

pub(crate) async fn discard(files: &[IncomingFile]) {
    for incoming in files {
        let _ = tokio::fs::remove_file(&incoming.temporary).await;
    }
}

/// Moves received files to their stored names. Files go in place before the rows that name
/// them are written: a crash in between leaves a file nobody names, which `clean_up` removes,
/// never a row whose file is missing.
pub(crate) async fn place(dir: &FsPath, files: &[IncomingFile]) -> std::io::Result<()> {
    for incoming in files {
        tokio::fs::rename(&incoming.temporary, dir.join(&incoming.file.stored_name)).await?;
    }
    Ok(())
}

/// Removes files whose rows were not written, wherever they are (placed or not yet).
pub(crate) async fn unplace(dir: &FsPath, files: &[IncomingFile]) {
    for incoming in files {
        let _ = tokio::fs::remove_file(dir.join(&incoming.file.stored_name)).await;
    }
    discard(files).await;
}

/// Reads one file field to a temporary file, checking its type by content and its size.
pub(crate) async fn receive_file(
    field: &mut axum::extract::multipart::Field<'_>,
    dir: &FsPath,
    limits: UploadLimits,
) -> Result<Option<(PathBuf, FileKind, u64)>, Problem> {
    let name = random_file_stem().ok_or(Problem::FileUnreadable)?;
    let temporary = dir.join(format!("{name}.part"));
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

/// A multipart form of files (fields that `file_index` gives a document index) and short text
/// fields.
pub(crate) struct UploadForm {
    /// Received to temporary files, type and size checked; `case_index` is left at 0.
    pub files: Vec<IncomingFile>,
    /// Per file field (or `giay-to` for the whole body): why something was refused.
    pub problems: BTreeMap<String, Problem>,
    /// The other fields, first value of each, at most `TEXT_FIELD_MAX` bytes.
    pub fields: BTreeMap<String, String>,
}

/// Reads a whole upload form. Files go to temporary files in `dir`; on any problem the caller
/// discards them, so nothing of a refused request stays.
pub(crate) async fn read_upload_form(
    multipart: &mut Multipart,
    dir: &FsPath,
    limits: UploadLimits,
    file_index: impl Fn(&str) -> Option<usize>,
) -> UploadForm {
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
                form.problems.insert("giay-to".to_owned(), problem);
                break;
            }
        };
        let name = part.name().unwrap_or_default().to_owned();
        let document_index = file_index(&name);
        // A file input left empty still sends a part, with no file name and no bytes.
        let no_file_chosen = part.file_name().is_some_and(str::is_empty);
        if let Some(document_index) = document_index.filter(|_| !no_file_chosen) {
            // Counted before the file is read: beyond the limit, parts are read and dropped,
            // so thousands of tiny files in one body make no temporary file, and the browser
            // still gets its answer (a server that stops reading cuts the upload off instead).
            let for_document = form
                .files
                .iter()
                .filter(|f| f.file.document_index == document_index)
                .count();
            if form.files.len() >= limits.files_per_dossier as usize
                || for_document >= limits.files_per_document as usize
            {
                form.problems
                    .insert("giay-to".to_owned(), Problem::TooManyFiles);
                while let Ok(Some(_)) = part.chunk().await {}
                continue;
            }
            let client_name = part.file_name().unwrap_or_default().to_owned();
            match receive_file(&mut part, dir, limits).await {
                Ok(Some((temporary, kind, size))) => form.files.push(IncomingFile {
                    temporary,
                    kind,
                    file: StoredFile {
                        stored_name: String::new(),
                        case_index: 0,
                        document_index,
                        content_type: kind.content_type().to_owned(),
                        size_bytes: size,
                        original_name: display_file_name(&client_name, kind),
                    },
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
    form
}

/// `POST /ho-so-nhap/{token}/giay-to` (multipart): uploads, removals and "continue".
pub(crate) async fn save_documents(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    mut multipart: Multipart,
) -> Response {
    let draft = match open_draft(&state, &parts, &token).await {
        Ok(draft) => draft,
        Err(response) => return response,
    };
    let Some(applicant) = draft.applicant.clone() else {
        return see_other(&draft_path(&draft.token, "nguoi-nop"));
    };
    let Some(case) = draft.procedure.cases.get(applicant.case_index) else {
        return internal("a draft names a case its procedure does not have");
    };
    let settings = &state.filing;
    if let Err(error) = tokio::fs::create_dir_all(&settings.upload_dir).await {
        return internal(error);
    }

    let UploadForm {
        files: mut incoming,
        mut problems,
        fields,
    } = read_upload_form(
        &mut multipart,
        &settings.upload_dir,
        settings.limits,
        field::document_index,
    )
    .await;
    for item in &mut incoming {
        item.file.case_index = applicant.case_index;
    }
    if incoming
        .iter()
        .any(|i| i.file.document_index >= case.documents.len())
    {
        problems.insert("giay-to".to_owned(), Problem::FileUnreadable);
    }
    let action = fields.get("hanh-dong").cloned().unwrap_or_default();
    let remove = fields.get("xoa").cloned();
    if !problems.is_empty() {
        discard(&incoming).await;
        return refuse_documents(
            &state,
            &parts,
            &draft.token,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    if !incoming.is_empty() {
        let mut files = Vec::with_capacity(incoming.len());
        for item in &mut incoming {
            let Some(name) = random_file_stem() else {
                discard(&incoming).await;
                return internal("no file name could be made");
            };
            item.file.stored_name = format!("{name}.{}", item.kind.extension());
            files.push(item.file.clone());
        }
        if let Err(error) = place(&settings.upload_dir, &incoming).await {
            unplace(&settings.upload_dir, &incoming).await;
            return internal(error);
        }
        let now = now();
        let uploader = app::client::bucket("tai-len", &parts, state.site.trust_forwarded_for);
        let room = UploadRoom {
            uploader: &uploader,
            limits: settings.limits,
            quota: settings.draft_quota,
        };
        let outcome = state
            .db
            .add_draft_files(
                &draft.token,
                &files,
                room,
                now,
                now + settings.draft_lifetime,
            )
            .await;
        // Only a definite refusal takes the files back: after an error the commit may still
        // have landed, and a stray file is cleaned up later where a missing one is lost.
        if matches!(&outcome, Ok(outcome) if *outcome != AddFiles::Added) {
            unplace(&settings.upload_dir, &incoming).await;
        }
        let full = |problem: Problem, status: StatusCode| {
            let problems = BTreeMap::from([("giay-to".to_owned(), problem)]);
            refuse_documents(&state, &parts, &draft.token, problems, status)
        };
        match outcome {
            Ok(AddFiles::Added) => {}
            Ok(AddFiles::TooManyFiles) => {
                return full(Problem::TooManyFiles, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            Ok(AddFiles::OverAddressQuota) => {
                tracing::warn!("draft uploads refused: an address is over its quota");
                return full(Problem::UploadsFull, StatusCode::TOO_MANY_REQUESTS).await;
            }
            Ok(AddFiles::OverTotalQuota) => {
                tracing::error!("draft uploads refused: the room for all drafts is full");
                return full(Problem::UploadsFull, StatusCode::INSUFFICIENT_STORAGE).await;
            }
            Ok(AddFiles::OverDossierLimit) => {
                let problems = incoming
                    .iter()
                    .map(|item| {
                        (
                            field::document(item.file.document_index),
                            Problem::DossierTooLarge,
                        )
                    })
                    .collect();
                return refuse_documents(
                    &state,
                    &parts,
                    &draft.token,
                    problems,
                    StatusCode::PAYLOAD_TOO_LARGE,
                )
                .await;
            }
            Ok(AddFiles::DraftClosed) => {
                return moved_on(&parts, &draft_path(&draft.token, "nguoi-nop"));
            }
            Err(error) => return internal(error),
        }
    }

    if let Some(stored_name) = remove {
        match state
            .db
            .remove_draft_file(&draft.token, &stored_name, now())
            .await
        {
            Ok(true) => {
                let _ = tokio::fs::remove_file(settings.upload_dir.join(&stored_name)).await;
            }
            Ok(false) => {}
            Err(error) => return internal(error),
        }
        return moved_on(&parts, &draft_path(&draft.token, "giay-to"));
    }
    if action == "tiep-tuc" {
        let mut uploaded: Vec<usize> = draft
            .files
            .iter()
            .filter(|f| f.case_index == applicant.case_index)
            .map(|f| f.document_index)
            .collect();
        uploaded.extend(incoming.iter().map(|i| i.file.document_index));
        let missing = missing_documents(&draft.procedure, applicant.case_index, &uploaded);
        if !missing.is_empty() {
            let problems = missing
                .into_iter()
                .map(|index| (field::document(index), Problem::DocumentRequired))
                .collect();
            return refuse_documents(
                &state,
                &parts,
                &draft.token,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        return moved_on(&parts, &draft_path(&draft.token, "kiem-tra"));
    }
    moved_on(&parts, &draft_path(&draft.token, "giay-to"))
}

/// `POST /ho-so-nhap/{token}/nop`: the declaration ticked, the draft becomes a dossier.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    let Ok(code) = ResumeCode::parse(&token) else {
        return not_found(&state, &parts).await;
    };
    let now = now();
    let draft = match state.db.draft(code.as_str(), now).await {
        Ok(DraftLookup::Found(draft)) => *draft,
        Ok(_) => return see_other(&draft_path(code.as_str(), "nguoi-nop")),
        Err(error) => return internal(error),
    };
    if let Some((code, key)) = &draft.submitted {
        return see_other(&receipt_path(code, key));
    }
    let Some(applicant) = &draft.applicant else {
        return see_other(&draft_path(&draft.token, "nguoi-nop"));
    };
    let uploaded: Vec<usize> = draft
        .files
        .iter()
        .filter(|f| f.case_index == applicant.case_index)
        .map(|f| f.document_index)
        .collect();
    if !missing_documents(&draft.procedure, applicant.case_index, &uploaded).is_empty() {
        return see_other(&with_query(
            &draft_path(&draft.token, "giay-to"),
            &[("thieu", "1")],
        ));
    }
    if !values
        .iter()
        .any(|(name, value)| name == "cam-doan" && !value.is_empty())
    {
        let feedback = FormFeedback::single("cam-doan", Problem::Required, None);
        let path = draft_path(&draft.token, "kiem-tra");
        return refuse(&state, &parts, &path, feedback).await;
    }

    let appointment = match appointment_for(
        &state.db,
        &draft.procedure,
        now,
        &[ChannelKind::Online, ChannelKind::Counter],
    )
    .await
    {
        Ok(date) => date,
        Err(error) => return internal(error),
    };
    let Some(key) = random_key() else {
        return internal("no lookup key could be made");
    };
    let outcome = state
        .db
        .submit_draft(Submission {
            token: &draft.token,
            agency: &state.filing.agency,
            now,
            lookup_key: key.as_str(),
            appointment,
            receipt_kept_until: now + RECEIPT_KEPT_SECONDS,
        })
        .await;
    match outcome {
        Ok(SubmitOutcome::Submitted { code, orphan_files }) => {
            for name in orphan_files {
                let _ = tokio::fs::remove_file(state.filing.upload_dir.join(name)).await;
            }
            tracing::info!(dossier = %code, "online dossier received");
            see_other(&receipt_path(&code, key.as_str()))
        }
        Ok(SubmitOutcome::AlreadySubmitted { code, lookup_key }) => {
            see_other(&receipt_path(&code, &lookup_key))
        }
        Ok(SubmitOutcome::DraftClosed) => see_other(&draft_path(&draft.token, "nguoi-nop")),
        Ok(SubmitOutcome::SequenceExhausted) => {
            tracing::error!("all dossier codes of the day are taken");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Err(error) => internal(error),
    }
}

/// The appointment date for a dossier received (or accepted) now: the processing time of the
/// first channel in `channels` that gives one, counted on the stored holidays.
pub async fn appointment_for(
    db: &Database,
    procedure: &Procedure,
    now: i64,
    channels: &[ChannelKind],
) -> Result<Option<Date>, app::db::DbError> {
    let time = channels
        .iter()
        .find_map(|kind| {
            procedure
                .channels
                .iter()
                .find(|c| c.kind == *kind && c.time.amount.is_some())
        })
        .map(|c| c.time.clone());
    let Some(time) = time else {
        return Ok(None);
    };
    let today = Date::in_vietnam(now);
    // Enough calendar days to hold any real processing time with its weekends and holidays.
    let span = (time.amount.unwrap_or(0.0).ceil() as i64).clamp(0, 3650) * 2 + 60;
    let holidays = db.holidays_from(today, span).await?;
    Ok(appointment_date(&time, today, &holidays))
}

/// Deletes expired drafts and their files, then files in the upload folder that no row
/// names (left by a crash between writing a file and recording it), when older than an hour.
pub async fn clean_up(db: &Database, upload_dir: &FsPath) -> Result<usize, app::db::DbError> {
    let now = now();
    let mut removed = 0;
    for name in db.purge_expired_drafts(now).await? {
        if tokio::fs::remove_file(upload_dir.join(&name)).await.is_ok() {
            removed += 1;
        }
    }
    let Ok(mut entries) = tokio::fs::read_dir(upload_dir).await else {
        return Ok(removed);
    };
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    while let Ok(Some(entry)) = entries.next_entry().await {
        let old = entry
            .metadata()
            .await
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified < an_hour_ago);
        let name = entry.file_name().to_string_lossy().into_owned();
        if old
            && !db.file_is_recorded(&name).await?
            && tokio::fs::remove_file(entry.path()).await.is_ok()
        {
            removed += 1;
        }
    }
    Ok(removed)
}
