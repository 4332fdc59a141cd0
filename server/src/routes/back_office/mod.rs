//! The POST side of the back office: actions on a dossier, counter intake, the settings, and the
//! staff-only file download. Every handler checks, in this order: a session (else the sign-in
//! page), the form's CSRF token (else 403), the role (else 403), then the dossier and the input
//! (else the page again with the problem, as citizens' forms do). Pages only hide what a role
//! cannot do; these checks are the guard.

use crate::AppState;
use crate::http::error::HttpError;
use crate::http::uploads::{IncomingFile, UploadForm, read_upload_form};
use crate::http::{form_map, render_with_feedback, see_other};
use app::db::back_office::StaffSession;
use app::domain::back_office::{Action, action_field};
use app::domain::feedback::{FormFeedback, Problem};
use app::paths::{SIGN_IN, staff_dossier};
use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::request::Parts;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

pub mod centers;
pub mod certification;
pub mod dossier;
pub mod intake;
pub mod messages;
pub mod settings;
pub mod sign_in;

/// The signed-in staff member, or the redirect to the sign-in page.
pub(crate) async fn signed_in(state: &AppState, parts: &Parts) -> Result<StaffSession, HttpError> {
    let Some(token) = app::api::cookie_value(&parts.headers, app::api::STAFF_COOKIE) else {
        return Err(HttpError::Answer(see_other(SIGN_IN)));
    };
    state
        .db
        .staff_session(&token, state.db.now())
        .await?
        .ok_or_else(|| HttpError::Answer(see_other(SIGN_IN)))
}

/// Whether the form carries this session's CSRF token (compared in constant time).
pub(crate) fn csrf_matches(session: &StaffSession, form: &BTreeMap<String, String>) -> bool {
    let sent = form
        .get(action_field::CSRF)
        .map(String::as_str)
        .unwrap_or_default();
    bool::from(sent.as_bytes().ct_eq(session.csrf_token.as_bytes()))
}

/// 403 for an action the member's role does not allow.
pub(crate) fn forbidden(session: &StaffSession, action: Action) -> HttpError {
    tracing::warn!(staff = %session.member.username, ?action, "action refused for this role");
    HttpError::RoleForbids
}

/// The agency code of the member's own center: what their center's settings are saved under.
/// A member without one (the province's role) has none to change.
pub(crate) fn own_center(session: &StaffSession) -> Option<&str> {
    session.member.center.as_deref()
}

/// A staff form, checked for session, CSRF token and the role `action` needs.
pub(crate) async fn checked_form(
    state: &AppState,
    parts: &Parts,
    values: Vec<(String, String)>,
    action: Action,
) -> Result<(StaffSession, BTreeMap<String, String>), HttpError> {
    let session = signed_in(state, parts).await?;
    let form = form_map(values);
    if !csrf_matches(&session, &form) {
        return Err(HttpError::StaleForm);
    }
    if !session.member.role.may(action) {
        return Err(forbidden(&session, action));
    }
    Ok((session, form))
}

/// A staff form: urlencoded, or multipart when it carries a file (the scanned result).
pub(crate) struct StaffForm {
    pub(crate) fields: BTreeMap<String, String>,
    pub(crate) files: Vec<IncomingFile>,
    problems: BTreeMap<String, Problem>,
}

/// A staff form, url-encoded or multipart; in a multipart one, `file_slot` names the file
/// fields (see `read_upload_form`).
pub(crate) async fn read_form(
    state: &AppState,
    parts: &Parts,
    body: Body,
    file_slot: impl Fn(&str) -> Option<(usize, usize)>,
) -> Result<StaffForm, HttpError> {
    let is_multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let request = Request::from_parts(parts.clone(), body);
    if !is_multipart {
        let axum::Form(values) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|_| HttpError::UnreadableForm)?;
        return Ok(StaffForm {
            fields: form_map(values),
            files: Vec::new(),
            problems: BTreeMap::new(),
        });
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| HttpError::UnreadableForm)?;
    let settings = &state.filing;
    // The member is signed in already; the form's CSRF token is checked with its other fields.
    let (
        (),
        UploadForm {
            files,
            problems,
            fields,
        },
    ) = read_upload_form(
        &mut multipart,
        &settings.files,
        settings.limits,
        file_slot,
        async |_| Ok(()),
    )
    .await?;
    Ok(StaffForm {
        fields,
        files,
        problems,
    })
}

/// The dossier page again with the refused form open and its problems (`status`).
pub(crate) async fn refuse_action(
    state: &AppState,
    parts: &Parts,
    code: &str,
    action: Action,
    mut feedback: FormFeedback,
    status: StatusCode,
) -> Response {
    feedback
        .values
        .insert(action_field::ACTION.to_owned(), action.key().to_owned());
    render_with_feedback(state, parts, &staff_dossier(code), feedback, status).await
}

/// The fields as typed, without the CSRF token, to show a refused form again.
pub(crate) fn typed_values(fields: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter(|(name, _)| name.as_str() != action_field::CSRF)
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}
