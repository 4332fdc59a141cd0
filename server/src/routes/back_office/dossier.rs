//! `POST /can-bo/ho-so/{code}/{action}` and the staff-only file download.

use super::{
    StaffForm, csrf_matches, forbidden, read_form, refuse_action, signed_in, typed_values,
};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::see_other;
use crate::http::uploads::discard;
use crate::routes::filing::appointment_for;
use app::db::back_office::StaffSession;
use app::db::papers::{HandOn, HandOnOutcome};
use app::db::tracking::{ApologyOutcome, ChangeOutcome, StatusChange};
use app::domain::back_office::{Action, ActionRequest, action_field, staff_actor};
use app::domain::calendar::Date;
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::{FileKind, display_file_name};
use app::domain::intake_checklist::{CHECK_PREFIX, checklist, ticks};
use app::domain::procedure::ChannelKind;
use app::domain::tracking::EventDetails;
use app::paths::staff_dossier;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use std::collections::{BTreeMap, BTreeSet};

/// `POST /can-bo/ho-so/{code}/{action}`: one action on one dossier. The status change and its
/// audit entry are one transaction (`Database::apply_change`).
pub(crate) async fn dossier_action(
    State(state): State<AppState>,
    Path((code, action)): Path<(String, String)>,
    parts: Parts,
    body: Body,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    let Some(action) = Action::on_a_dossier(&action) else {
        return Err(HttpError::NotFound);
    };
    let form = read_form(&state, &parts, body, |name| {
        (name == action_field::RESULT_FILE).then_some((0, 0))
    })
    .await?;
    let outcome = act(&state, &parts, &session, &code, action, &form).await;
    let done = outcome
        .as_ref()
        .is_ok_and(|response| response.status().is_redirection());
    if !done {
        discard(&form.files).await;
    }
    outcome
}

async fn act(
    state: &AppState,
    parts: &Parts,
    session: &StaffSession,
    code: &str,
    action: Action,
    form: &StaffForm,
) -> Handled {
    if !csrf_matches(session, &form.fields) {
        return Err(HttpError::StaleForm);
    }
    let dossier = state
        .db
        .staff_dossier(code, &session.member.reach())
        .await?
        .ok_or(HttpError::NotFound)?;
    if !session.member.role.may_on(action, dossier.status) {
        return Err(forbidden(session, action));
    }
    let moved_on = |problem| {
        FormFeedback::single(action_field::ACTION, problem, Some(action.key().to_owned()))
    };
    let applies = dossier.allows(action);
    if !applies {
        let feedback = moved_on(Problem::StatusChanged);
        return Ok(refuse_action(state, parts, code, action, feedback, StatusCode::CONFLICT).await);
    }
    let now = state.db.now();
    let today = Date::in_vietnam(now);
    let mut request = match ActionRequest::from_form(action, &form.fields, today) {
        Ok(request) if form.problems.is_empty() => request,
        result => {
            let mut feedback = result.err().unwrap_or_else(|| FormFeedback {
                values: typed_values(&form.fields),
                problems: BTreeMap::new(),
            });
            feedback.problems.extend(form.problems.clone());
            return Ok(refuse_action(
                state,
                parts,
                code,
                action,
                feedback,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    if action == Action::Accept
        && let Some(procedure) = state.db.procedure_by_code(&dossier.procedure_code).await?
    {
        // The intake checklist: every required item ticked, and the ticks go into the audit
        // entry in words. A clerk who finds something missing asks for a supplement instead.
        let items = checklist(&procedure, dossier.applicant.case_index, dossier.channel);
        let ticked: BTreeSet<String> = form
            .fields
            .iter()
            .filter(|(name, value)| name.starts_with(CHECK_PREFIX) && !value.is_empty())
            .map(|(name, _)| name.clone())
            .collect();
        match ticks(&items, &ticked) {
            Ok(items) => request.details = Some(EventDetails::Checked { items }),
            Err(problems) => {
                let feedback = FormFeedback {
                    values: typed_values(&form.fields),
                    problems,
                };
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(refuse_action(state, parts, code, action, feedback, status).await);
            }
        }
    }
    let actor = staff_actor(&session.member.username);
    let done =
        app::domain::url::with_query(&staff_dossier(code), &[(action_field::DONE, action.key())]);
    if let Some(EventDetails::Apology { new_date, text }) = &request.details {
        let outcome = state
            .db
            .record_apology(code, *new_date, text, &actor, now)
            .await?;
        let (problem, status) = match outcome {
            ApologyOutcome::Recorded => return Ok(see_other(&done)),
            ApologyOutcome::NotOpen => (Problem::StatusChanged, StatusCode::CONFLICT),
            ApologyOutcome::Refused(problem) => (problem, StatusCode::UNPROCESSABLE_ENTITY),
        };
        let feedback = moved_on(problem);
        return Ok(refuse_action(state, parts, code, action, feedback, status).await);
    }
    if action == Action::PassOn {
        let receiver = request.receiver.as_deref().unwrap_or_default();
        let outcome = state
            .db
            .hand_on(&HandOn {
                code,
                from_username: &session.member.username,
                to_username: receiver,
                note: &request.note,
                now,
            })
            .await?;
        let (field, problem, status) = match outcome {
            HandOnOutcome::Recorded => {
                tracing::info!(dossier = %code, staff = %session.member.username, "dossier handed on");
                return Ok(see_other(&done));
            }
            HandOnOutcome::NotOpen => (
                action_field::ACTION,
                Problem::StatusChanged,
                StatusCode::CONFLICT,
            ),
            HandOnOutcome::NotAColleague => (
                action_field::RECEIVER,
                Problem::NotAColleague,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        };
        let feedback = FormFeedback::single(field, problem, Some(receiver.to_owned()));
        return Ok(refuse_action(state, parts, code, action, feedback, status).await);
    }
    let Some(to) = action.target_status() else {
        return Err(HttpError::internal(
            "a dossier action without a status to go to",
        ));
    };
    let new_appointment = if action == Action::Accept {
        // Acceptance starts the clock: the appointment is counted from now, on the processing
        // time of the channel the dossier came through.
        let order = if dossier.channel == ChannelKind::Counter {
            [ChannelKind::Counter, ChannelKind::Online]
        } else {
            [ChannelKind::Online, ChannelKind::Counter]
        };
        match state.db.procedure_by_code(&dossier.procedure_code).await? {
            Some(procedure) => {
                let rules = &state.filing.working;
                let agency = app::domain::dossier::agency_of(code);
                appointment_for(&state.db, agency, &procedure, now, &order, rules).await?
            }
            None => None,
        }
    } else {
        None
    };
    let result_file = match (action, form.files.first()) {
        (Action::MarkResultReady, Some(incoming)) => {
            let file = incoming.file.clone();
            // A failure here is answered with an error, and the caller discards the form's
            // temporaries.
            state
                .filing
                .files
                .keep(&incoming.temporary, &file.stored_name)
                .await?;
            Some(file)
        }
        _ => None,
    };
    let outcome = state
        .db
        .apply_change(&StatusChange {
            code,
            to,
            actor: &actor,
            public_note: &request.note,
            details: request.details.as_ref(),
            new_appointment,
            result_file: result_file.as_ref(),
            now,
        })
        .await;
    // After an error the commit may have landed all the same: the file stays then (a stray
    // one is cleaned up later).
    if matches!(
        outcome,
        Ok(ChangeOutcome::Illegal(_) | ChangeOutcome::Missing)
    ) && let Some(file) = &result_file
    {
        state.filing.files.forget(&file.stored_name).await;
    }
    Ok(match outcome? {
        ChangeOutcome::Changed { .. } => {
            tracing::info!(dossier = %code, staff = %session.member.username, to = to.code(), "dossier status changed");
            // "Accept and open the next": the next online dossier waiting for intake, if any.
            let next =
                if action == Action::Accept && form.fields.contains_key(action_field::OPEN_NEXT) {
                    state
                        .db
                        .next_waiting_intake(code, &session.member.reach())
                        .await?
                } else {
                    None
                };
            match next {
                Some(next) => see_other(&app::domain::url::with_query(
                    &staff_dossier(&next),
                    &[
                        (action_field::DONE, action.key()),
                        (action_field::DONE_ON, code),
                    ],
                )),
                None => see_other(&done),
            }
        }
        ChangeOutcome::Illegal(_) => {
            let feedback = moved_on(Problem::StatusChanged);
            refuse_action(state, parts, code, action, feedback, StatusCode::CONFLICT).await
        }
        ChangeOutcome::Missing => HttpError::NotFound.into_response(),
    })
}

/// `GET /can-bo/ho-so/{code}/tep/{name}`: a dossier's file, to staff only, with its own type
/// (checked by content when it was uploaded) and its name as uploaded.
pub(crate) async fn dossier_file(
    State(state): State<AppState>,
    Path((code, stored_name)): Path<(String, String)>,
    parts: Parts,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    if !session.member.role.may(Action::ViewQueue) {
        return Err(forbidden(&session, Action::ViewQueue));
    }
    let (content_type, original_name) = state
        .db
        .dossier_file(&code, &stored_name, &session.member.reach())
        .await?
        .ok_or(HttpError::NotFound)?;
    // The name comes from the database, never from the path: no way out of the folder.
    let bytes = state.filing.files.read(&stored_name).await?;
    // Names stored before they were cleaned at upload are cleaned here too.
    let offered_name = FileKind::from_content_type(&content_type)
        .map_or(original_name.clone(), |kind| {
            display_file_name(&original_name, kind)
        });
    let disposition = format!(
        "inline; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_file_name(&offered_name),
        percent_encode(&offered_name)
    );
    // An image is shown sandboxed; a PDF is not, as Chromium will not show a PDF in a sandbox
    // (its type was checked by content at upload, and it is never served as HTML).
    let policy = if content_type == "application/pdf" {
        "default-src 'none'; frame-ancestors 'self'"
    } else {
        "default-src 'none'; sandbox"
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, content_type.as_str()),
        (header::CONTENT_DISPOSITION, disposition.as_str()),
        (header::CACHE_CONTROL, "private, no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

/// The name for browsers that only read `filename=`: ASCII letters, digits, `.-_`.
fn ascii_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What RFC 5987 leaves as it is in a file name: ASCII letters, digits and `.-_` (a subset of
/// its attr-char, the one every browser reads back).
const FILE_NAME_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_');

/// RFC 5987 percent-encoding of a UTF-8 file name.
fn percent_encode(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, FILE_NAME_KEPT).to_string()
}

#[cfg(test)]
mod tests {
    use super::{ascii_file_name, percent_encode};

    #[test]
    fn file_names_are_safe_in_a_header() {
        assert_eq!(ascii_file_name("giấy khai sinh.pdf"), "gi_y_khai_sinh.pdf");
        assert_eq!(percent_encode("ảnh 1.jpg"), "%E1%BA%A3nh%201.jpg");
        assert_eq!(ascii_file_name("a\"b\r\n.pdf"), "a_b__.pdf");
    }
}
