//! `POST /can-bo/tiep-nhan`: counter intake.

use super::{csrf_matches, forbidden, signed_in, typed_values};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::{form_map, random_key, render_with_feedback, see_other};
use crate::routes::filing::appointment_for;
use app::db::back_office::CounterIntake;
use app::domain::back_office::intake_field;
use app::domain::back_office::{Action, staff_actor};
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::Applicant;
use app::domain::procedure::ChannelKind;
use app::paths;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use std::collections::BTreeMap;

/// `POST /can-bo/tiep-nhan`: a clerk registers a walk-in dossier; the answer is its receipt, to
/// print and hand over.
pub(crate) async fn counter_intake(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    let form = form_map(values);
    if !csrf_matches(&session, &form) {
        return Err(HttpError::StaleForm);
    }
    if !session.member.role.may(Action::CounterIntake) {
        return Err(forbidden(&session, Action::CounterIntake));
    }
    let procedure_code = form
        .get(intake_field::PROCEDURE)
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    let Some(procedure) = state.db.procedure_by_code(&procedure_code).await? else {
        return Ok(see_other(app::paths::INTAKE));
    };
    let page = app::domain::url::with_query(
        app::paths::INTAKE,
        &[(intake_field::PROCEDURE, &procedure.code)],
    );
    let mut problems = BTreeMap::new();
    let applicant = match Applicant::from_counter_form(&form, procedure.cases.len()) {
        Ok(applicant) => Some(applicant),
        Err(feedback) => {
            problems = feedback.problems;
            None
        }
    };
    let note = form
        .get(intake_field::NOTE)
        .map(|n| app::domain::feedback::text(n, 1000, false))
        .unwrap_or(Ok(String::new()));
    if let Err(problem) = &note {
        problems.insert(intake_field::NOTE.to_owned(), *problem);
    }
    let ticked = |name: String| form.get(&name).is_some_and(|v| !v.is_empty());
    let mut paper = Vec::new();
    if let Some(applicant) = &applicant
        && let Some(case) = procedure.cases.get(applicant.case_index)
    {
        for (index, document) in case.documents.iter().enumerate() {
            if ticked(intake_field::received(index)) {
                paper.push((index, ticked(intake_field::scanned(index))));
            } else if document.required && !document.present_only {
                problems.insert(intake_field::received(index), Problem::DocumentRequired);
            }
        }
    }
    let (Some(applicant), Ok(note), true) = (applicant, note, problems.is_empty()) else {
        let feedback = FormFeedback {
            values: typed_values(&form),
            problems,
        };
        return Ok(render_with_feedback(
            &state,
            &parts,
            &page,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    };
    let now = state.db.now();
    let appointment = appointment_for(
        &state.db,
        &procedure,
        now,
        &[ChannelKind::Counter, ChannelKind::Online],
        &state.filing.working,
    )
    .await?;
    let Some(key) = random_key() else {
        return Err(HttpError::internal("no lookup key could be made"));
    };
    let actor = staff_actor(&session.member.username);
    let outcome = state
        .db
        .register_at_counter(&CounterIntake {
            agency: &state.filing.agency,
            procedure_code: &procedure.code,
            applicant: &applicant,
            paper_documents: &paper,
            lookup_key: key.as_str(),
            appointment,
            actor: &actor,
            note: &note,
            now,
        })
        .await;
    Ok(match outcome? {
        Some(code) => {
            tracing::info!(dossier = %code, staff = %session.member.username, "counter dossier received");
            see_other(&paths::staff_receipt(&code, key.as_str()))
        }
        None => HttpError::Busy.into_response(),
    })
}
