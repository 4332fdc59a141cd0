//! `POST /can-bo/tin-nhan/gui-lai`: a message to a citizen that was given up on goes back into
//! the outbox with fresh tries.

use super::{csrf_matches, forbidden, signed_in};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::{form_map, see_other};
use app::domain::back_office::Action;
use app::paths;
use axum::Form;
use axum::extract::State;
use axum::http::request::Parts;

pub(crate) async fn resend(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    let form = form_map(values);
    if !csrf_matches(&session, &form) {
        return Err(HttpError::StaleForm);
    }
    if !session.member.role.may(Action::ViewQueue) {
        return Err(forbidden(&session, Action::ViewQueue));
    }
    let id = form
        .get(paths::MESSAGE_FIELD)
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(HttpError::NotFound)?;
    // Already back in the queue (a second click) is not an error: the page shows where it is.
    state.db.resend_message(id, state.db.now()).await?;
    tracing::info!(id, staff = %session.member.username, "message to a citizen queued again");
    Ok(see_other(
        match form.get(paths::RETURN_FIELD).map(String::as_str) {
            Some(code) if app::domain::dossier::DossierCode::parse(code).is_ok() => {
                paths::staff_dossier(code)
            }
            _ => paths::STAFF_MESSAGES.to_owned(),
        }
        .as_str(),
    ))
}
