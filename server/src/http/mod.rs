//! What every handler shares: reading forms, answering with a redirect or with the page again
//! (the refused input kept, a message next to each bad field), the error page, randomness.

pub mod api_errors;
pub mod center;
pub mod cookies;
pub mod error;
pub mod privacy;
pub mod request_owner;
pub mod uploads;

use error::HttpError;

use crate::AppState;
use app::client::LookupCounted;
use app::domain::feedback::FormFeedback;
use app::domain::filing::LookupKey;
use app::i18n::Lang;
use app::shell;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::config::LeptosOptions;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// Bytes from the operating system's random source; `None` (logged) if it fails.
pub(crate) fn random<const N: usize>() -> Option<[u8; N]> {
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
    random::<N>().map(hex::encode)
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

/// The page at the request's own address, as a 404: the draft or procedure page then says
/// what is missing, in the citizen's language.
pub(crate) async fn not_found(state: &AppState, parts: &Parts) -> Response {
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

pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
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
    render_with(state, parts, path, feedback, status).await
}

/// Renders the page at `path` for this request with `value` in its context: what the handler
/// found out (a refused form's problems, a checked file) and the page shows.
pub(crate) async fn render_with<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    parts: &Parts,
    path: &str,
    value: T,
    status: StatusCode,
) -> Response {
    let mut request = Request::builder().method("GET").uri(path);
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE, header::HOST] {
        if let Some(value) = parts.headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let Ok(mut request) = request.body(Body::empty()) else {
        return HttpError::internal("rebuilding the request for a refused form").into_response();
    };
    // The page may look up a dossier, which is rate-limited by the client's address.
    if let Some(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        request.extensions_mut().insert(*peer);
    }
    if let Some(counted) = parts.extensions.get::<LookupCounted>() {
        request.extensions_mut().insert(*counted);
    }
    // The page names the commune the request is for, and reads its notes and procedures.
    if let Some(picked) = parts.extensions.get::<app::domain::center::PickedCenter>() {
        request.extensions_mut().insert(picked.clone());
    }
    let options: LeptosOptions = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            state.provide_page_context();
            leptos::prelude::provide_context(value.clone());
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

/// Answers an upload form that went through (the documents step, a supplement): the next page,
/// as a redirect, or as `{"redirect": …}` for the upload island, which asked for JSON.
pub(crate) fn moved_on(parts: &Parts, path: &str) -> Response {
    if wants_json(&parts.headers) {
        axum::Json(serde_json::json!({ "redirect": path })).into_response()
    } else {
        see_other(path)
    }
}

/// Answers a refused upload form: `{"problems": {field: message}}` for the upload island, the
/// page at `path` again otherwise.
pub(crate) async fn refuse_upload(
    state: &AppState,
    parts: &Parts,
    path: &str,
    problems: BTreeMap<String, app::domain::feedback::Problem>,
    status: StatusCode,
) -> Response {
    let feedback = FormFeedback {
        values: BTreeMap::new(),
        problems,
    };
    refuse_upload_keeping(state, parts, path, feedback, status).await
}

/// `refuse_upload` of a form whose text fields are shown again as typed (the island's page
/// still holds them).
pub(crate) async fn refuse_upload_keeping(
    state: &AppState,
    parts: &Parts,
    path: &str,
    feedback: FormFeedback,
    status: StatusCode,
) -> Response {
    if wants_json(&parts.headers) {
        let texts = lang_of(&parts.headers).texts();
        let messages: BTreeMap<String, &str> = feedback
            .problems
            .into_iter()
            .map(|(field, problem)| (field, texts.problem(problem)))
            .collect();
        return (
            status,
            axum::Json(serde_json::json!({ "problems": messages })),
        )
            .into_response();
    }
    render_with_feedback(state, parts, path, feedback, status).await
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
