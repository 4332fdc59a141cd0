//! The POST side of the status page: withdraw, rate, add the documents staff asked for. Each
//! form names its dossier by code and key like the lookup, counts against the same per-client
//! limit, and ends with a redirect back to the status page (or the page again with the
//! problem next to the field).

use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::uploads::{UploadForm, discard, place, unplace};
use crate::http::{form_map, moved_on, refuse, refuse_upload, render_with_feedback, see_other};
use crate::routes::filing::read_documents;
use app::client::LookupCounted;
use app::db::tracking::{RateOutcome, SupplementOutcome};
use app::domain::back_office::CITIZEN_ACTOR;
use app::domain::dossier::DossierCode;
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::{LookupKey, field};
use app::domain::lifecycle::Status;
use app::domain::notifications::{Channel, PushSubscription, push_field};
use app::domain::tracking::lookup_field;
use app::domain::tracking::{EventDetails, Rating, supplement_slots};
use app::paths;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::collections::BTreeMap;

/// The dossier a form names, once its key has opened it: its code and its status page.
struct Opened {
    code: String,
    status_page: String,
    /// The page that sends the papers asked for, where a refused supplement is shown again.
    supplement_page: String,
}

/// Judges the request by the lookup limit and checks the key, counting it against the limit only
/// when it opens nothing (the outcome is noted in `parts`, so the page shown back for this
/// request neither checks nor counts it again); otherwise the answer is the status page as a
/// lookup with these values would show it (too many lookups, or not found).
async fn open(
    state: &AppState,
    parts: &mut Parts,
    code: &str,
    key: &str,
) -> Result<Opened, HttpError> {
    let page = paths::status(code, key);
    let bucket = app::client::bucket("tra-cuu", parts, &state.site.trusted_proxies);
    let limit = state.site.lookup_limit;
    let limited = state
        .db
        .rate_limit_wait(&bucket, limit.hits, limit.window_seconds, state.db.now())
        .await?;
    parts
        .extensions
        .insert(LookupCounted::from_retry_seconds(limited));
    let (Ok(code), Ok(key)) = (DossierCode::parse(code), LookupKey::parse(key)) else {
        return Err(HttpError::Answer(
            render_with_feedback(
                state,
                parts,
                &page,
                FormFeedback::default(),
                StatusCode::NOT_FOUND,
            )
            .await,
        ));
    };
    let code = code.to_string();
    let opens = limited.is_none() && state.db.lookup_key_opens(&code, key.as_str()).await?;
    if !opens && limited.is_none() {
        state
            .db
            .hit_rate_limit(&bucket, limit.hits, limit.window_seconds, state.db.now())
            .await?;
    }
    if !opens {
        // The page says "too many" (from the count left in `parts`) or "not found".
        let status = if limited.is_some() {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::NOT_FOUND
        };
        return Err(HttpError::Answer(
            render_with_feedback(state, parts, &page, FormFeedback::default(), status).await,
        ));
    }
    Ok(Opened {
        status_page: paths::status(&code, &key.to_string()),
        supplement_page: paths::supplement(&code, &key.to_string()),
        code,
    })
}

/// A urlencoded form of the status page and the dossier it names.
async fn open_form(
    state: &AppState,
    parts: &mut Parts,
    values: Vec<(String, String)>,
) -> Result<(Opened, BTreeMap<String, String>), HttpError> {
    let form = form_map(values);
    let dossier = open_named(state, parts, &form).await?;
    Ok((dossier, form))
}

/// `open` for the dossier a form names by its code and key fields.
async fn open_named(
    state: &AppState,
    parts: &mut Parts,
    form: &BTreeMap<String, String>,
) -> Result<Opened, HttpError> {
    let (code, key) = (
        value(form, lookup_field::CODE),
        value(form, lookup_field::KEY),
    );
    open(state, parts, code, key).await
}

fn value<'a>(form: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(String::as_str).unwrap_or_default()
}

/// `GET /tra-cuu/phieu.pdf?ma=…&khoa=…&so=…`: a paper the center sent about the dossier, as a
/// PDF, for whoever holds its code and key (counted like a lookup); the phone number masked as
/// on the receipt.
pub(crate) async fn paper_pdf(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    mut parts: Parts,
) -> Handled {
    let form = form_map(query);
    let dossier = open_named(&state, &mut parts, &form).await?;
    let event = value(&form, paths::PAPER_FIELD)
        .parse::<i64>()
        .map_err(|_| HttpError::NotFound)?;
    let own = app::api::citizen_reach(&dossier.code);
    let mut view = app::api::papers_ssr::paper(&state.db, &own, &dossier.code, event)
        .await?
        .ok_or(HttpError::NotFound)?;
    view.dossier.applicant_phone =
        app::domain::dossier::PhoneNumber::parse(&view.dossier.applicant_phone)
            .map(|phone| phone.masked())
            .unwrap_or_default();
    let t = crate::http::lang_of(&parts.headers).texts();
    Ok(crate::routes::papers::pdf_answer(
        &app::pages::papers::paper_sheet(t, &view),
        &crate::routes::papers::paper_file_name(view.paper.kind.form(), &view.dossier.code),
    ))
}

/// `GET /tra-cuu/to-khai.pdf?ma=…&khoa=…`: the declaration filled in the e-form.
pub(crate) async fn declaration_pdf(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    mut parts: Parts,
) -> Handled {
    let form = form_map(query);
    let dossier = open_named(&state, &mut parts, &form).await?;
    let own = app::api::citizen_reach(&dossier.code);
    let view = app::api::papers_ssr::declaration(&state.db, &own, &dossier.code)
        .await?
        .ok_or(HttpError::NotFound)?
        .for_citizen();
    let t = crate::http::lang_of(&parts.headers).texts();
    Ok(crate::routes::papers::pdf_answer(
        &app::pages::papers::declaration_sheet(t, &view),
        &crate::routes::papers::declaration_file_name(&view),
    ))
}

/// `GET /giay-hen.pdf?ma=…&khoa=…`: the receipt as a PDF, counted like a lookup.
pub(crate) async fn receipt_pdf(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    mut parts: Parts,
) -> Handled {
    let form = form_map(query);
    let dossier = open_named(&state, &mut parts, &form).await?;
    crate::routes::papers::receipt_pdf(
        &state,
        &parts.headers,
        &dossier.code,
        value(&form, lookup_field::KEY),
    )
    .await
}

/// `POST /tra-cuu/rut`: the citizen withdraws a dossier that is not resolved yet.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    mut parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (dossier, form) = open_form(&state, &mut parts, values).await?;
    if value(&form, lookup_field::CONFIRM_WITHDRAWAL).is_empty() {
        let feedback =
            FormFeedback::single(lookup_field::CONFIRM_WITHDRAWAL, Problem::Required, None);
        return Ok(refuse(&state, &parts, &dossier.status_page, feedback).await);
    }
    // Whatever the transition table says (a resolved dossier cannot be withdrawn), the status
    // page shows where the dossier stands.
    state
        .db
        .change_status(
            &dossier.code,
            Status::Withdrawn,
            CITIZEN_ACTOR,
            "",
            None,
            state.db.now(),
        )
        .await?;
    Ok(see_other(&dossier.status_page))
}

/// `POST /tra-cuu/bao-tin`: how the citizen wants to be told of news from now on.
pub(crate) async fn change_notify(
    State(state): State<AppState>,
    mut parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (dossier, form) = open_form(&state, &mut parts, values).await?;
    let problem = match Channel::from_key(value(&form, field::NOTIFY)) {
        None => Some(Problem::TextMalformed),
        Some(channel)
            if channel != Channel::None && !state.site.notify_channels.contains(&channel) =>
        {
            Some(Problem::NotifyUnavailable)
        }
        Some(channel) => match state.db.set_notify_channel(&dossier.code, channel).await? {
            true => None,
            false if channel == Channel::Email => Some(Problem::NotifyNeedsEmail),
            false => Some(Problem::NotifyNeedsPhone),
        },
    };
    Ok(match problem {
        None => see_other(&dossier.status_page),
        Some(problem) => {
            let typed = value(&form, field::NOTIFY).to_owned();
            let feedback = FormFeedback::single(field::NOTIFY, problem, Some(typed));
            refuse(&state, &parts, &dossier.status_page, feedback).await
        }
    })
}

/// `POST /tra-cuu/nhan-tin-tren-may` (sent by the status page's script): this phone's push
/// subscription; web push becomes the dossier's channel.
pub(crate) async fn subscribe_push(
    State(state): State<AppState>,
    mut parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (dossier, form) = open_form(&state, &mut parts, values).await?;
    let subscription = state.push_hosts.as_ref().and_then(|hosts| {
        PushSubscription::parse(
            value(&form, push_field::ENDPOINT),
            value(&form, push_field::P256DH),
            value(&form, push_field::AUTH),
            hosts,
        )
    });
    let Some(subscription) = subscription else {
        let feedback = FormFeedback::single(field::NOTIFY, Problem::NotifyUnavailable, None);
        return Ok(refuse(&state, &parts, &dossier.status_page, feedback).await);
    };
    state
        .db
        .set_push_subscription(&dossier.code, &subscription, state.db.now())
        .await?;
    Ok(see_other(&dossier.status_page))
}

/// `POST /tra-cuu/danh-gia`: one rating per dossier, once the result is ready.
pub(crate) async fn rate(
    State(state): State<AppState>,
    mut parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (dossier, form) = open_form(&state, &mut parts, values).await?;
    let rating = match Rating::from_form(&form) {
        Ok(rating) => rating,
        Err(feedback) => return Ok(refuse(&state, &parts, &dossier.status_page, feedback).await),
    };
    Ok(
        match state
            .db
            .rate(&dossier.code, &rating, state.db.now())
            .await?
        {
            RateOutcome::Recorded => see_other(&dossier.status_page),
            // The page shows the rating recorded first, or that rating is not open yet.
            RateOutcome::AlreadyRated | RateOutcome::NotYet => {
                render_with_feedback(
                    &state,
                    &parts,
                    &dossier.status_page,
                    FormFeedback::default(),
                    StatusCode::CONFLICT,
                )
                .await
            }
        },
    )
}

/// `POST /tra-cuu/bo-sung` (multipart): files for the documents staff asked for. The files
/// join the dossier; its status stays 5 until staff have looked at them.
pub(crate) async fn supplement(
    State(state): State<AppState>,
    mut parts: Parts,
    mut multipart: Multipart,
) -> Handled {
    let settings = &state.filing;
    let admit = async |form: &BTreeMap<String, String>| {
        let dossier = open_named(&state, &mut parts, form).await?;
        let events = state.db.dossier_events(&dossier.code).await?;
        let request = events.last().and_then(|event| match &event.details {
            Some(EventDetails::Supplement { documents, .. })
                if event.status == Status::SupplementRequested =>
            {
                Some((event.id, documents.clone()))
            }
            _ => None,
        });
        match request {
            Some((event_id, documents)) => Ok((dossier, event_id, supplement_slots(&documents))),
            // Nothing asked for (any more): the status page says where the dossier stands.
            None => Err(HttpError::Answer(see_other(&dossier.status_page))),
        }
    };
    let (
        (dossier, event_id, documents),
        UploadForm {
            files: incoming,
            mut problems,
            fields: _,
        },
    ) = read_documents(&mut multipart, settings, admit).await?;
    if incoming.is_empty() && problems.is_empty() {
        problems.insert(field::document(0), Problem::DocumentRequired);
    }
    if incoming
        .iter()
        .any(|i| i.file.document_index >= documents.len())
    {
        problems.insert(field::UPLOADS.to_owned(), Problem::FileUnreadable);
    }
    if !problems.is_empty() {
        discard(&incoming).await;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(refuse_upload(&state, &parts, &dossier.supplement_page, problems, status).await);
    }
    let files: Vec<_> = incoming
        .iter()
        .map(|item| {
            let document = documents[item.file.document_index].clone();
            (item.file.clone(), document)
        })
        .collect();
    if let Err(error) = place(&settings.files, &incoming).await {
        return Err(HttpError::internal(error));
    }
    let max_files = settings.limits.files_per_dossier;
    // The commit may have landed all the same: the files stay (a stray one is cleaned up).
    Ok(
        match state
            .db
            .add_supplement_files(&dossier.code, event_id, &files, max_files, state.db.now())
            .await?
        {
            SupplementOutcome::Added => moved_on(&parts, &dossier.status_page),
            SupplementOutcome::NotWaiting => {
                unplace(&settings.files, &incoming).await;
                moved_on(&parts, &dossier.status_page)
            }
            SupplementOutcome::TooManyFiles => {
                unplace(&settings.files, &incoming).await;
                let problems = BTreeMap::from([(field::UPLOADS.to_owned(), Problem::TooManyFiles)]);
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                refuse_upload(&state, &parts, &dossier.supplement_page, problems, status).await
            }
        },
    )
}

/// `GET /tra-cuu/ban-sao.pdf?ma=…&khoa=…`: the dossier's electronic certified copy, for whoever
/// holds its code and key (counted like a lookup), exactly as signed.
pub(crate) async fn certified_copy(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    mut parts: Parts,
) -> Handled {
    let form = form_map(query);
    let dossier = open_named(&state, &mut parts, &form).await?;
    let entry = state
        .db
        .copy_of_dossier(&dossier.code)
        .await?
        .ok_or(HttpError::NotFound)?;
    let copy = entry.signed.ok_or(HttpError::NotFound)?;
    let bytes = state.filing.files.read(&copy.stored_name).await?;
    Ok(crate::routes::papers::download(
        bytes,
        "application/pdf",
        &format!(
            "ban-sao-chung-thuc-{}-{}.pdf",
            entry.number.serial, entry.number.year
        ),
    ))
}

/// `POST /xac-minh/{token}` with a PDF: is this file the copy the register holds, and is its
/// signature sound? The page answers with both (a file changed by one byte is neither). The file
/// is read, checked and dropped: nothing is kept.
pub(crate) async fn verify_upload(
    State(state): State<AppState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    parts: Parts,
    mut multipart: Multipart,
) -> Handled {
    use app::domain::certification::{UPLOAD_FIELD, UploadedCheck};
    use app::domain::filing::FileKind;
    let entry = state
        .db
        .register_entry(&token)
        .await?
        .ok_or(HttpError::NotFound)?;
    let ((), form) = crate::http::uploads::read_upload_form(
        &mut multipart,
        &state.filing.files,
        state.filing.limits,
        |name| (name == UPLOAD_FIELD).then_some((0, 0)),
        async |_| Ok(()),
    )
    .await?;
    let first = form.files.first();
    let check = match (form.problems.into_values().next(), first) {
        (Some(problem), _) => UploadedCheck::Refused(problem),
        (None, None) => UploadedCheck::Refused(Problem::DocumentRequired),
        (None, Some(file)) if file.file.content_type != FileKind::Pdf.content_type() => {
            UploadedCheck::Refused(Problem::FileType)
        }
        (None, Some(file)) => {
            let bytes = tokio::fs::read(&file.temporary).await?;
            let sha256 = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
            let now = state.db.now();
            let signers = state.signers.clone();
            let signature = tokio::task::spawn_blocking(move || signers.check(&bytes, now))
                .await
                .map_err(HttpError::internal)?;
            UploadedCheck::Checked {
                matches_register: entry
                    .signed
                    .as_ref()
                    .is_some_and(|copy| copy.sha256 == sha256),
                sha256,
                signature,
            }
        }
    };
    discard(&form.files).await;
    let status = match check {
        UploadedCheck::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
        UploadedCheck::Checked { .. } => StatusCode::OK,
    };
    Ok(crate::http::render_with(&state, &parts, &paths::verification(&token), check, status).await)
}
