//! `POST /can-bo/trung-tam`: the province adds a commune center.

use super::{checked_form, typed_values};
use crate::AppState;
use crate::http::error::Handled;
use crate::http::{render_with_feedback, see_other};
use app::db::centers::CenterOutcome;
use app::domain::back_office::Action;
use app::domain::center::{NewCenter, center_field};
use app::domain::feedback::{FormFeedback, Problem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::collections::BTreeMap;

pub(crate) async fn add_center(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    let days: Vec<String> = values
        .iter()
        .filter(|(name, _)| name == center_field::RECEIVING_DAYS)
        .map(|(_, day)| day.clone())
        .collect();
    let (session, form) = checked_form(&state, &parts, values, Action::ManageCenters).await?;
    let fields = typed_values(&form);
    let refused = |feedback: FormFeedback| async {
        render_with_feedback(
            &state,
            &parts,
            app::paths::STAFF_CENTERS,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
    };
    let center = match NewCenter::from_form(&fields, &days) {
        Ok(center) => center,
        Err(feedback) => return Ok(refused(feedback).await),
    };
    let taken = |field: &str, problem| {
        let mut values = fields.clone();
        values.insert(center_field::RECEIVING_DAYS.to_owned(), days.join(","));
        FormFeedback {
            values,
            problems: BTreeMap::from([(field.to_owned(), problem)]),
        }
    };
    match state.db.create_center(&center, state.db.now()).await? {
        CenterOutcome::Created => {
            tracing::info!(staff = %session.member.username, agency = center.agency.as_str(), "center added");
            Ok(see_other(app::paths::STAFF_CENTERS))
        }
        CenterOutcome::AgencyTaken => {
            Ok(refused(taken(center_field::AGENCY, Problem::AgencyTaken)).await)
        }
        CenterOutcome::SlugTaken => {
            Ok(refused(taken(center_field::SLUG, Problem::SlugTaken)).await)
        }
    }
}
