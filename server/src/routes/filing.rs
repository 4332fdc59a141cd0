//! The POST side of online filing: plain HTML forms (urlencoded, and multipart for files) with
//! post/redirect/get. A refused form is answered with its page rendered again, the input kept
//! and a message next to each bad field; nothing is written for it.
//!
//! With JavaScript on, the documents step is sent by an island that asks for JSON
//! (`Accept: application/json`) and gets either `{"redirect": …}` or `{"problems": {field: text}}`.

use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::uploads::{UploadForm, discard, place, read_upload_form, unplace};
use crate::http::{
    moved_on, not_found, random, random_file_stem, random_key, refuse, refuse_upload,
    refuse_upload_keeping, see_other,
};
use crate::storage::FileStore;
use app::db::Database;
use app::db::filing::{AddFiles, DraftLookup, DraftRecord, Submission, SubmitOutcome, UploadRoom};
use app::domain::calendar::Date;
use app::domain::certification::{
    CopyReference, ReferenceProblems, RegisterEntry, reused_file_name, unusable,
};
use app::domain::declaration::{Declaration, form_of_case};
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::{
    Applicant, DraftQuota, FileKind, ResumeCode, StoredFile, UploadLimits, field, first_values,
    missing_documents, returns_to_review,
};
use app::domain::procedure::{ChannelKind, Procedure, ProcessingTime};
use app::domain::url::with_query;
use app::domain::working_time::{Moment, WorkingRules, due_moment, is_same_day};
use app::paths;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, request::Parts};
use axum::response::IntoResponse;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What the filing handlers need besides the database.
#[derive(Debug, Clone)]
pub struct FilingSettings {
    /// Where uploaded files are kept (a folder, or the object store all servers share).
    pub files: FileStore,
    pub limits: UploadLimits,
    pub draft_quota: DraftQuota,
    /// How long a draft lives after its last save, in seconds.
    pub draft_lifetime: i64,
    /// Office hours and cut-offs, for due moments.
    pub working: WorkingRules,
}

/// A multipart form of documents (the documents step, a supplement), its files received to
/// the staging folder with the upload limits applied once `admit` has let the request in.
pub(crate) async fn read_documents<T>(
    multipart: &mut Multipart,
    settings: &FilingSettings,
    admit: impl AsyncFnOnce(&BTreeMap<String, String>) -> Result<T, HttpError>,
) -> Result<(T, UploadForm), HttpError> {
    read_upload_form(
        multipart,
        &settings.files,
        settings.limits,
        |name| field::document_index(name).map(|index| (0, index)),
        admit,
    )
    .await
}

/// How long a submitted draft keeps its receipt for a repeated submit or the resume link.
const RECEIPT_KEPT_SECONDS: i64 = 24 * 3600;

/// An open draft, or the response that sends the citizen to the page explaining why not.
async fn open_draft(
    state: &AppState,
    parts: &Parts,
    token: &str,
) -> Result<DraftRecord, HttpError> {
    let Ok(code) = ResumeCode::parse(token) else {
        return Err(HttpError::Answer(not_found(state, parts).await));
    };
    match state.db.draft(code.as_str(), state.db.now()).await? {
        DraftLookup::Found(draft) if draft.submitted.is_none() => Ok(*draft),
        // The draft page explains: submitted (with the receipt link), expired or unknown.
        _ => Err(HttpError::Answer(see_other(&paths::draft_applicant(
            code.as_str(),
        )))),
    }
}

/// `POST /thu-tuc/{code}/nop-truc-tuyen`: starts a draft and goes to its first step.
pub(crate) async fn start(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Handled {
    let Some(procedure) = state
        .db
        .procedure_by_code(&code)
        .await?
        .filter(|procedure| procedure.in_force)
    else {
        return Ok(not_found(&state, &parts).await);
    };
    let center = crate::http::center::picked(&parts)
        .ok_or_else(|| HttpError::internal("no center picked for the request"))?;
    let refusal = if !procedure.online_level.accepts_online_filing() {
        Some(Problem::NotOnline)
    } else if !state.db.receives(&center.agency, &procedure.code).await? {
        Some(Problem::NotReceivedHere)
    } else {
        None
    };
    if let Some(problem) = refusal {
        let feedback = FormFeedback::single(field::PROCEDURE, problem, None);
        let path = paths::filing_start(&code);
        return Ok(refuse(&state, &parts, &path, feedback).await);
    }
    let Some(token) = random::<{ ResumeCode::RANDOM_BYTES }>().map(ResumeCode::from_random) else {
        return Err(HttpError::internal("no resume code could be made"));
    };
    let now = state.db.now();
    let created = state
        .db
        .create_draft(
            token.as_str(),
            &procedure.code,
            &center.agency,
            now,
            now + state.filing.draft_lifetime,
        )
        .await?;
    if !created {
        return Ok(not_found(&state, &parts).await);
    }
    Ok(see_other(&paths::draft_applicant(token.as_str())))
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
) -> Handled {
    let typed = query.ma.unwrap_or_default();
    Ok(match ResumeCode::parse(&typed) {
        Ok(code) => see_other(&paths::draft_applicant(code.as_str())),
        Err(_) => {
            let typed = typed.chars().take(40).collect();
            let feedback =
                FormFeedback::single(field::RESUME_CODE, Problem::DraftExpired, Some(typed));
            refuse(&state, &parts, paths::RESUME_PAGE, feedback).await
        }
    })
}

/// The ways online filing may offer: those set up, and this phone's browser when web push is
/// on (the receipt then asks the phone for its permission).
fn online_channels(state: &AppState) -> Vec<app::domain::notifications::Channel> {
    let mut channels = state.site.notify_channels.clone();
    if state.site.push_public_key.is_some() {
        channels.push(app::domain::notifications::Channel::WebPush);
    }
    channels
}

/// `POST /ho-so-nhap/{token}/nguoi-nop`: the applicant step.
pub(crate) async fn save_applicant(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let draft = open_draft(&state, &parts, &token).await?;
    let form = first_values(values);
    let back_to_review = returns_to_review(&form);
    match Applicant::from_form(&form, draft.procedure.cases.len())
        .and_then(|applicant| applicant.with_notify_offered(&online_channels(&state), &form))
    {
        Err(feedback) => {
            let path = paths::draft_applicant(&draft.token);
            Ok(refuse(&state, &parts, &path, feedback).await)
        }
        Ok(applicant) => {
            let now = state.db.now();
            let expires = now + state.filing.draft_lifetime;
            let saved = state
                .db
                .save_applicant(&draft.token, &applicant, now, expires)
                .await?;
            // The chosen case's e-form is the next step; back from the review, only when it is
            // not yet filled for that form (the case may have changed).
            let e_form = form_of_case(&draft.procedure, applicant.case_index);
            let declared = draft
                .declaration
                .as_ref()
                .is_some_and(|declaration| Some(declaration.form) == e_form);
            Ok(see_other(&if !saved {
                paths::draft_applicant(&draft.token)
            } else if e_form.is_some() && !(declared && back_to_review) {
                paths::draft_declaration(&draft.token)
            } else if back_to_review {
                paths::draft_review(&draft.token)
            } else {
                paths::draft_documents(&draft.token)
            }))
        }
    }
}

/// `POST /ho-so-nhap/{token}/to-khai`: the e-form of the chosen case.
pub(crate) async fn save_declaration(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let draft = open_draft(&state, &parts, &token).await?;
    let Some(applicant) = &draft.applicant else {
        return Ok(see_other(&paths::draft_applicant(&draft.token)));
    };
    let Some(form) = form_of_case(&draft.procedure, applicant.case_index) else {
        return Ok(see_other(&paths::draft_documents(&draft.token)));
    };
    let typed = first_values(values);
    let back_to_review = returns_to_review(&typed);
    let now = state.db.now();
    match Declaration::from_form(form, &typed, Date::in_vietnam(now)) {
        Err(feedback) => {
            let path = paths::draft_declaration(&draft.token);
            Ok(refuse(&state, &parts, &path, feedback).await)
        }
        Ok(declaration) => {
            let expires = now + state.filing.draft_lifetime;
            let saved = state
                .db
                .save_declaration(&draft.token, &declaration, now, expires)
                .await?;
            Ok(see_other(&if !saved {
                paths::draft_applicant(&draft.token)
            } else if back_to_review {
                paths::draft_review(&draft.token)
            } else {
                paths::draft_documents(&draft.token)
            }))
        }
    }
}

/// `POST /ho-so-nhap/{token}/giay-to` (multipart): uploads, removals and "continue".
pub(crate) async fn save_documents(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    mut multipart: Multipart,
) -> Handled {
    let draft = open_draft(&state, &parts, &token).await?;
    let Some(applicant) = draft.applicant.clone() else {
        return Ok(see_other(&paths::draft_applicant(&draft.token)));
    };
    let Some(case) = draft.procedure.cases.get(applicant.case_index) else {
        return Err(HttpError::internal(
            "a draft names a case its procedure does not have",
        ));
    };
    let settings = &state.filing;
    // The draft is the path's: already opened.
    let (
        (),
        UploadForm {
            files: mut incoming,
            mut problems,
            fields,
        },
    ) = read_documents(&mut multipart, settings, async |_| Ok(())).await?;
    for item in &mut incoming {
        item.file.case_index = applicant.case_index;
    }
    if incoming
        .iter()
        .any(|i| i.file.document_index >= case.documents.len())
    {
        problems.insert(field::UPLOADS.to_owned(), Problem::FileUnreadable);
    }
    let action = fields.get(field::STEP_ACTION).cloned().unwrap_or_default();
    let remove = fields.get(field::REMOVE_FILE).cloned();
    let documents_page = paths::draft_documents(&draft.token);
    let refuse_files = |problems: BTreeMap<String, Problem>| {
        refuse_upload(
            &state,
            &parts,
            &documents_page,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    // A problem with one file (its type, its size) refuses that file only: the good files sent
    // with it are kept. Any other problem (too many files, the body too large) refuses them all.
    let per_file_only = problems
        .values()
        .all(|problem| matches!(problem, Problem::FileType | Problem::FileTooLarge));
    if !per_file_only {
        discard(&incoming).await;
        return Ok(refuse_files(problems).await);
    }
    // Only a copy form names copies: the documents form never carries its fields.
    let (reused, copy_feedback) = if action == field::USE_COPY {
        reused_copies(
            &state,
            &parts,
            &draft,
            applicant.case_index,
            case.documents.len(),
            &fields,
        )
        .await?
    } else {
        (Vec::new(), FormFeedback::default())
    };

    if !incoming.is_empty() || !reused.is_empty() {
        let mut files: Vec<_> = incoming.iter().map(|item| item.file.clone()).collect();
        files.extend(reused.iter().cloned());
        if let Err(error) = place(&settings.files, &incoming).await {
            forget_all(&settings.files, &reused).await;
            return Err(HttpError::internal(error));
        }
        let now = state.db.now();
        let uploader = app::client::bucket("tai-len", &parts, &state.site.trusted_proxies);
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
            .await?;
        // Only a definite refusal takes the files back: after an error (answered above by `?`)
        // the commit may still have landed, and a stray file is cleaned up later where a missing
        // one is lost.
        if outcome != AddFiles::Added {
            unplace(&settings.files, &incoming).await;
            forget_all(&settings.files, &reused).await;
        }
        let full = |problem: Problem, status: StatusCode| {
            let problems = BTreeMap::from([(field::UPLOADS.to_owned(), problem)]);
            refuse_upload(&state, &parts, &documents_page, problems, status)
        };
        match outcome {
            AddFiles::Added => {}
            AddFiles::TooManyFiles => {
                return Ok(full(Problem::TooManyFiles, StatusCode::UNPROCESSABLE_ENTITY).await);
            }
            AddFiles::OverAddressQuota => {
                tracing::warn!("draft uploads refused: an address is over its quota");
                return Ok(full(Problem::UploadsFull, StatusCode::TOO_MANY_REQUESTS).await);
            }
            AddFiles::OverTotalQuota => {
                tracing::error!("draft uploads refused: the room for all drafts is full");
                return Ok(full(Problem::UploadsFull, StatusCode::INSUFFICIENT_STORAGE).await);
            }
            AddFiles::OverDossierLimit => {
                let problems = files
                    .iter()
                    .map(|file| {
                        (
                            field::document(file.document_index),
                            Problem::DossierTooLarge,
                        )
                    })
                    .collect();
                return Ok(refuse_upload(
                    &state,
                    &parts,
                    &documents_page,
                    problems,
                    StatusCode::PAYLOAD_TOO_LARGE,
                )
                .await);
            }
            AddFiles::DraftClosed => {
                return Ok(moved_on(&parts, &paths::draft_applicant(&draft.token)));
            }
        }
    }
    problems.extend(copy_feedback.problems);
    if !problems.is_empty() {
        let feedback = FormFeedback {
            values: copy_feedback.values,
            problems,
        };
        return Ok(refuse_upload_keeping(
            &state,
            &parts,
            &documents_page,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }

    if let Some(stored_name) = remove {
        let removed = state
            .db
            .remove_draft_file(&draft.token, &stored_name, state.db.now())
            .await?;
        if removed {
            settings.files.forget(&stored_name).await;
        }
        return Ok(moved_on(&parts, &paths::draft_documents(&draft.token)));
    }
    if action == field::CONTINUE {
        let mut uploaded: Vec<usize> = draft
            .files
            .iter()
            .filter(|f| f.case_index == applicant.case_index)
            .map(|f| f.document_index)
            .collect();
        uploaded.extend(incoming.iter().map(|i| i.file.document_index));
        uploaded.extend(reused.iter().map(|file| file.document_index));
        let missing = missing_documents(
            &draft.procedure,
            applicant.case_index,
            &uploaded,
            draft.declaration.as_ref(),
        );
        if !missing.is_empty() {
            let problems = missing
                .into_iter()
                .map(|index| (field::document(index), Problem::DocumentRequired))
                .collect();
            return Ok(refuse_files(problems).await);
        }
        return Ok(moved_on(&parts, &paths::draft_review(&draft.token)));
    }
    Ok(moved_on(&parts, &paths::draft_documents(&draft.token)))
}

/// The certified copies named on the documents step instead of uploads (a register number and
/// the verification code printed beside the copy's QR code, per document). Each one found and
/// usable is written again under a new name for this draft (the register's file stays the
/// register's); for the others, what was wrong and what was typed. A wrong number or code
/// counts against the same per-client limit as a dossier lookup; a right one costs no write.
async fn reused_copies(
    state: &AppState,
    parts: &Parts,
    draft: &DraftRecord,
    case_index: usize,
    documents: usize,
    fields: &BTreeMap<String, String>,
) -> Result<(Vec<StoredFile>, FormFeedback), HttpError> {
    let mut copies = Vec::new();
    let mut feedback = FormFeedback::default();
    for document_index in 0..documents {
        let (number_field, code_field) = (
            field::copy_number(document_index),
            field::copy_code(document_index),
        );
        let typed = |name: &str| fields.get(name).map(|value| value.trim()).unwrap_or("");
        let (number, code) = (typed(&number_field), typed(&code_field));
        if number.is_empty() && code.is_empty() {
            continue;
        }
        let found = match CopyReference::parse(number, code) {
            Err(ReferenceProblems { number, code }) => {
                Err([(number_field.clone(), number), (code_field.clone(), code)])
            }
            Ok(reference) => {
                let linked = draft.files.iter().any(|file| {
                    file.certified_copy.as_deref() == Some(reference.token.as_str())
                        && (file.case_index, file.document_index) == (case_index, document_index)
                });
                if linked {
                    continue;
                }
                let found = match find_copy(state, parts, &reference).await {
                    Ok(found) => found,
                    Err(error) => {
                        forget_all(&state.filing.files, &copies).await;
                        return Err(error);
                    }
                };
                found.map_err(|problem| {
                    [
                        (number_field.clone(), Some(problem)),
                        (code_field.clone(), None),
                    ]
                })
            }
        };
        match found {
            Ok(entry) => {
                let Some(signed) = &entry.signed else {
                    continue;
                };
                let bytes = match state.filing.files.read(&signed.stored_name).await {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        // The register's own file is gone: an operator must know.
                        tracing::error!(%error, "a certified copy's file cannot be read");
                        forget_all(&state.filing.files, &copies).await;
                        return Err(error.into());
                    }
                };
                let stem =
                    random_file_stem().ok_or_else(|| HttpError::internal("no randomness"))?;
                let file = StoredFile {
                    stored_name: format!("{stem}.pdf"),
                    case_index,
                    document_index,
                    content_type: FileKind::Pdf.content_type().to_owned(),
                    size_bytes: bytes.len() as u64,
                    original_name: reused_file_name(&entry.number, &entry.document),
                    thumbnail: None,
                    certified_copy: Some(entry.token.clone()),
                };
                if let Err(error) = state.filing.files.write(&file.stored_name, bytes).await {
                    forget_all(&state.filing.files, &copies).await;
                    return Err(error.into());
                }
                copies.push(file);
            }
            Err(problems) => {
                feedback
                    .values
                    .insert(number_field.clone(), number.to_owned());
                feedback.values.insert(code_field.clone(), code.to_owned());
                for (name, problem) in problems {
                    if let Some(problem) = problem {
                        feedback.problems.insert(name, problem);
                    }
                }
            }
        }
    }
    Ok((copies, feedback))
}

/// The register entry a reference names, or why it cannot be used.
async fn find_copy(
    state: &AppState,
    parts: &Parts,
    reference: &CopyReference,
) -> Result<Result<RegisterEntry, Problem>, HttpError> {
    let bucket = app::client::bucket("tra-cuu", parts, &state.site.trusted_proxies);
    let limit = state.site.lookup_limit;
    let now = state.db.now();
    if state
        .db
        .rate_limit_wait(&bucket, limit.hits, limit.window_seconds, now)
        .await?
        .is_some()
    {
        return Ok(Err(Problem::TooManyTries));
    }
    let entry = state
        .db
        .register_entry(&reference.token)
        .await?
        .filter(|entry| reference.names(&entry.number));
    let Some(entry) = entry else {
        state
            .db
            .hit_rate_limit(&bucket, limit.hits, limit.window_seconds, now)
            .await?;
        return Ok(Err(Problem::CopyNotFound));
    };
    Ok(match unusable(&entry) {
        Some(problem) => Err(problem),
        None => Ok(entry),
    })
}

async fn forget_all(files: &FileStore, stored: &[StoredFile]) {
    for file in stored {
        files.forget(&file.stored_name).await;
    }
}

/// `POST /ho-so-nhap/{token}/nop`: the declaration ticked, the draft becomes a dossier.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let Ok(code) = ResumeCode::parse(&token) else {
        return Ok(not_found(&state, &parts).await);
    };
    let now = state.db.now();
    let DraftLookup::Found(draft) = state.db.draft(code.as_str(), now).await? else {
        return Ok(see_other(&paths::draft_applicant(code.as_str())));
    };
    if let Some((code, key)) = &draft.submitted {
        return Ok(see_other(&paths::receipt(code, key)));
    }
    let Some(applicant) = &draft.applicant else {
        return Ok(see_other(&paths::draft_applicant(&draft.token)));
    };
    let uploaded: Vec<usize> = draft
        .files
        .iter()
        .filter(|f| f.case_index == applicant.case_index)
        .map(|f| f.document_index)
        .collect();
    if !missing_documents(
        &draft.procedure,
        applicant.case_index,
        &uploaded,
        draft.declaration.as_ref(),
    )
    .is_empty()
    {
        return Ok(see_other(&with_query(
            &paths::draft_documents(&draft.token),
            &[("thieu", "1")],
        )));
    }
    if !values
        .iter()
        .any(|(name, value)| name == field::DECLARATION && !value.is_empty())
    {
        let feedback = FormFeedback::single(field::DECLARATION, Problem::Required, None);
        let path = paths::draft_review(&draft.token);
        return Ok(refuse(&state, &parts, &path, feedback).await);
    }
    // Its center may have stopped receiving the procedure since the draft began.
    if !state
        .db
        .receives(&draft.center, &draft.procedure.code)
        .await?
    {
        let feedback = FormFeedback::single(field::DECLARATION, Problem::NotReceivedHere, None);
        let path = paths::draft_review(&draft.token);
        return Ok(refuse(&state, &parts, &path, feedback).await);
    }

    let appointment = appointment_for(
        &state.db,
        &draft.center,
        &draft.procedure,
        now,
        &[ChannelKind::Online, ChannelKind::Counter],
        &state.filing.working,
    )
    .await?;
    let Some(key) = random_key() else {
        return Err(HttpError::internal("no lookup key could be made"));
    };
    let outcome = state
        .db
        .submit_draft(Submission {
            token: &draft.token,
            now,
            lookup_key: key.as_str(),
            appointment,
            receipt_kept_until: now + RECEIPT_KEPT_SECONDS,
            language: crate::http::lang_of(&parts.headers),
        })
        .await;
    Ok(match outcome? {
        SubmitOutcome::Submitted { code, orphan_files } => {
            for name in orphan_files {
                state.filing.files.forget(&name).await;
            }
            tracing::info!(dossier = %code, "online dossier received");
            see_other(&paths::receipt(&code, key.as_str()))
        }
        SubmitOutcome::AlreadySubmitted { code, lookup_key } => {
            see_other(&paths::receipt(&code, &lookup_key))
        }
        SubmitOutcome::DraftClosed => see_other(&paths::draft_applicant(&draft.token)),
        SubmitOutcome::SequenceExhausted => {
            tracing::error!("all dossier codes of the day are taken");
            HttpError::Busy.into_response()
        }
    })
}

/// The moment the result is promised for a dossier received (or accepted) now at the center
/// `agency`: the processing time of the first channel in `channels` that gives one, counted in
/// the center's working time and on its calendar.
pub async fn appointment_for(
    db: &Database,
    agency: &str,
    procedure: &Procedure,
    now: i64,
    channels: &[ChannelKind],
    rules: &WorkingRules,
) -> Result<Option<Moment>, app::db::DbError> {
    let usable = |time: &ProcessingTime| time.amount.is_some() || is_same_day(time);
    let time = channels
        .iter()
        .find_map(|kind| {
            procedure
                .channels
                .iter()
                .find(|c| c.kind == *kind && usable(&c.time))
        })
        .map(|c| c.time.clone());
    let Some(time) = time else {
        return Ok(None);
    };
    let received = Moment::from_unix(now);
    // Enough calendar days to hold any real processing time with its weekends and holidays.
    let span = (time.amount.unwrap_or(0.0).ceil() as i64).clamp(0, 3650) * 2 + 60;
    let calendar = db.calendar_covering(agency, received.date, span).await?;
    let cut_off = rules.cut_off_for(&procedure.sector.name);
    Ok(due_moment(
        &time,
        received,
        &calendar,
        &rules.hours,
        cut_off,
    ))
}

/// Deletes expired drafts and their files, then stored files that no row names (left by a
/// crash between storing a file and recording it) and temporaries of uploads cut off, when
/// older than an hour. Only files named as the server names them are looked at.
pub async fn clean_up(db: &Database, files: &FileStore) -> Result<usize, app::db::DbError> {
    let now = db.now();
    let mut removed = 0;
    for name in db.purge_expired_drafts(now).await? {
        if files.remove(&name).await.is_ok() {
            removed += 1;
        }
    }
    // Written within the hour, a file's row may still be on its way.
    // The wall clock: files' times are the file system's or the object store's, not the
    // database clock's.
    let an_hour_ago = app::db::unix_now() - 3600;
    let stored = match files.list().await {
        Ok(stored) => stored,
        Err(error) => {
            tracing::error!(%error, files = %files.describe(), "listing the stored files failed");
            Vec::new()
        }
    };
    let old_enough: Vec<String> = stored
        .into_iter()
        .filter(|entry| {
            entry.written_at < an_hour_ago && crate::storage::is_stored_name(&entry.name)
        })
        .map(|entry| entry.name)
        .collect();
    let recorded = db.recorded_among(&old_enough).await?;
    for name in old_enough.iter().filter(|name| !recorded.contains(*name)) {
        if files.remove(name).await.is_ok() {
            removed += 1;
        }
    }
    match files.remove_stale_temporaries(an_hour_ago).await {
        Ok(count) => removed += count,
        Err(error) => tracing::error!(%error, "removing stale temporaries failed"),
    }
    Ok(removed)
}
