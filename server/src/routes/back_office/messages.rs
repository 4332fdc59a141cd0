//! `POST /can-bo/tin-nhan/gui-lai`: a message to a citizen that was given up on goes back into
//! the outbox with fresh tries. `POST /can-bo/mau-tin/luu`: the words of messages.

use super::{checked_form, own_center};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::{render_with_feedback, see_other};
use app::domain::back_office::Action;
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::notifications::TemplateProblem;
use app::paths;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::collections::BTreeMap;

pub(crate) async fn resend(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (session, form) = checked_form(&state, &parts, values, Action::ResendMessage).await?;
    let id = form
        .get(paths::MESSAGE_FIELD)
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(HttpError::NotFound)?;
    // Already back in the queue (a second click) is not an error: the page shows where it is.
    state
        .db
        .resend_message(id, &session.member.reach(), state.db.now())
        .await?;
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

/// `POST /can-bo/mau-tin/luu`: an administrator previews, saves or resets the words of one kind
/// of message in one language. A preview and a refused template come back as the page with
/// what was typed; a save or a reset goes back to the page.
pub(crate) async fn save_template(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    use app::domain::notifications::{NoticeKind, Template, TemplatePart, template_field};
    use app::i18n::Lang;
    let (session, form) = checked_form(&state, &parts, values, Action::ManageUsers).await?;
    let agency = own_center(&session).ok_or(HttpError::RoleForbids)?;
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let (Some(kind), Some(language)) = (
        NoticeKind::from_key(get(template_field::KIND)),
        Lang::from_code(get(template_field::LANGUAGE)),
    ) else {
        return Err(HttpError::NotFound);
    };
    let page = paths::staff_templates(kind.key(), language.code());
    // Line ends as browsers send them (CRLF) become the messages' own.
    let typed = |part: TemplatePart| get(part.field()).replace("\r\n", "\n");
    let template = Template {
        subject: typed(TemplatePart::Subject).trim().to_owned(),
        body: typed(TemplatePart::Body).trim().to_owned(),
        short: typed(TemplatePart::Short).trim().to_owned(),
    };
    let again = |problems: BTreeMap<String, Problem>, status: StatusCode| {
        let feedback = FormFeedback {
            values: [
                (template_field::KIND, kind.key().to_owned()),
                (template_field::LANGUAGE, language.code().to_owned()),
                (TemplatePart::Subject.field(), template.subject.clone()),
                (TemplatePart::Body.field(), template.body.clone()),
                (TemplatePart::Short.field(), template.short.clone()),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
            problems,
        };
        render_with_feedback(&state, &parts, &page, feedback, status)
    };
    match get(template_field::ACTION) {
        template_field::RESET => {
            state.db.forget_template(agency, kind, language).await?;
            tracing::info!(kind = kind.key(), language = language.code(), staff = %session.member.username, "message template reset");
            Ok(see_other(&page))
        }
        template_field::SAVE => {
            let problems: BTreeMap<String, Problem> = template
                .problems()
                .into_iter()
                .map(|(part, problem)| {
                    let problem = match problem {
                        TemplateProblem::Empty => Problem::Required,
                        TemplateProblem::TooLong => Problem::TooLong,
                        TemplateProblem::UnknownPlaceholder => Problem::UnknownPlaceholder,
                    };
                    (part.field().to_owned(), problem)
                })
                .collect();
            if !problems.is_empty() {
                return Ok(again(problems, StatusCode::UNPROCESSABLE_ENTITY).await);
            }
            state
                .db
                .save_template(
                    agency,
                    kind,
                    language,
                    &template,
                    &session.member.username,
                    state.db.now(),
                )
                .await?;
            tracing::info!(kind = kind.key(), language = language.code(), staff = %session.member.username, "message template saved");
            Ok(see_other(&format!("{page}&{}=1", template_field::SAVED)))
        }
        _ => Ok(again(BTreeMap::new(), StatusCode::OK).await),
    }
}
