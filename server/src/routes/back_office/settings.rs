//! `POST /can-bo/quan-tri/…`: staff accounts, holidays, procedure caveats.

use super::{checked_form, own_center, typed_values};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::{render_with_feedback, see_other};
use app::domain::back_office::settings_field;
use app::domain::back_office::{
    Action, CredentialProblem, Role, StaffMember, calendar_entry, check_password, check_username,
    staff_actor,
};
use app::domain::calendar::Date;
use app::domain::feedback::{FormFeedback, Problem};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use std::collections::BTreeMap;

async fn refuse_settings(
    state: &AppState,
    parts: &Parts,
    form: &BTreeMap<String, String>,
    problems: BTreeMap<String, Problem>,
) -> Response {
    refuse_on(state, parts, app::paths::SETTINGS, form, problems).await
}

/// The page `path` again with the refused form's values (never a password) and problems.
async fn refuse_on(
    state: &AppState,
    parts: &Parts,
    path: &str,
    form: &BTreeMap<String, String>,
    problems: BTreeMap<String, Problem>,
) -> Response {
    let feedback = FormFeedback {
        values: typed_values(form)
            .into_iter()
            .filter(|(name, _)| name != settings_field::PASSWORD)
            .collect(),
        problems,
    };
    render_with_feedback(
        state,
        parts,
        path,
        feedback,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /can-bo/quan-tri/can-bo`: adds a staff account with a first password.
pub(crate) async fn add_user(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    use settings_field::*;
    let (session, form) = checked_form(&state, &parts, values, Action::ManageUsers).await?;
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let username = get(USERNAME).trim().to_lowercase();
    let password = get(PASSWORD).to_owned();
    let mut problems = BTreeMap::new();
    let credential_problem = |problem| match problem {
        CredentialProblem::UsernameMalformed => Problem::UsernameMalformed,
        CredentialProblem::PasswordTooShort => Problem::PasswordTooShort,
        CredentialProblem::PasswordIsUsername => Problem::PasswordIsUsername,
    };
    if let Err(problem) = check_username(&username) {
        problems.insert(USERNAME.to_owned(), credential_problem(problem));
    }
    if let Err(problem) = check_password(&username, &password) {
        problems.insert(PASSWORD.to_owned(), credential_problem(problem));
    }
    let display_name = app::domain::feedback::text(get(DISPLAY_NAME), 100, true)
        .map_err(|problem| problems.insert(DISPLAY_NAME.to_owned(), problem))
        .ok();
    let role = Role::from_key(get(ROLE));
    if role.is_none() {
        problems.insert(ROLE.to_owned(), Problem::Required);
    }
    let email = app::domain::filing::email(get(EMAIL))
        .map_err(|_| problems.insert(EMAIL.to_owned(), Problem::EmailMalformed))
        .unwrap_or_default();
    let (Some(display_name), Some(role), true) = (display_name, role, problems.is_empty()) else {
        return Ok(refuse_settings(&state, &parts, &form, problems).await);
    };
    let hash = tokio::task::spawn_blocking(move || app::password::hash(&password))
        .await
        .map_err(HttpError::internal)?
        .map_err(HttpError::internal)?;
    // An account is added to its admin's own center.
    let member = StaffMember {
        username: username.clone(),
        display_name,
        role,
        center: session.member.center.clone(),
    };
    let created = state
        .db
        .create_staff_user(&member, &hash, state.db.now())
        .await?;
    if !created {
        let problems = BTreeMap::from([(USERNAME.to_owned(), Problem::UsernameTaken)]);
        return Ok(refuse_settings(&state, &parts, &form, problems).await);
    }
    state
        .db
        .set_staff_email(&username, &session.member.reach(), &email)
        .await?;
    tracing::info!(staff = %session.member.username, new = %username, "staff account added");
    Ok(see_other(app::paths::SETTINGS))
}

/// `POST /can-bo/quan-tri/can-bo/{username}`: changes an account's role or switches it off.
/// Admins cannot change their own account, so the center always keeps one admin.
pub(crate) async fn update_user(
    State(state): State<AppState>,
    Path(username): Path<String>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    use settings_field::*;
    let (session, form) = checked_form(&state, &parts, values, Action::ManageUsers).await?;
    let Some(role) = form.get(ROLE).and_then(|r| Role::from_key(r)) else {
        return Err(HttpError::UnreadableForm);
    };
    if username == session.member.username {
        return Err(HttpError::OwnAccount);
    }
    let active = form.get(ACTIVE).is_some_and(|v| !v.is_empty());
    let Ok(email) = app::domain::filing::email(form.get(EMAIL).map(String::as_str).unwrap_or(""))
    else {
        // Keyed by the row's field: the message and the typed address show there.
        let problems = BTreeMap::from([(format!("{EMAIL}-{username}"), Problem::EmailMalformed)]);
        return Ok(refuse_settings(&state, &parts, &form, problems).await);
    };
    let reach = session.member.reach();
    if !state
        .db
        .update_staff_user(&username, &reach, role, active)
        .await?
        || !state.db.set_staff_email(&username, &reach, &email).await?
    {
        return Err(HttpError::NotFound);
    }
    tracing::info!(staff = %session.member.username, changed = %username, role = role.key(), active, "staff account changed");
    Ok(see_other(app::paths::SETTINGS))
}

/// `POST /can-bo/quan-tri/ngay-nghi`: records a day of a published decision (off, or worked);
/// with `xoa`, removes the entry so the rule decides that day again. A center's administrator
/// enters the center's own days; the province, the national calendar's (on its page of
/// centers).
pub(crate) async fn calendar_day(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    let (session, form) = checked_form(&state, &parts, values, Action::ManageHolidays).await?;
    // The province enters the national calendar; any other role, its own center's days.
    let place = match session.member.role {
        Role::Province => None,
        _ => Some(own_center(&session).ok_or(HttpError::RoleForbids)?),
    };
    let page = match place {
        Some(_) => app::paths::SETTINGS,
        None => app::paths::STAFF_CENTERS,
    };
    let day = if form.contains_key(settings_field::REMOVE) {
        let Some(day) = form
            .get(settings_field::DAY)
            .and_then(|d| Date::parse_iso(d))
        else {
            return Err(HttpError::UnreadableForm);
        };
        state.db.remove_calendar_entry(place, day).await?;
        day
    } else {
        let entry = match calendar_entry(&form) {
            Ok(entry) => entry,
            Err(problems) => return Ok(refuse_on(&state, &parts, page, &form, problems).await),
        };
        let actor = staff_actor(&session.member.username);
        state
            .db
            .set_calendar_entry(place, &entry, &actor, state.db.now())
            .await?;
        tracing::info!(staff = %session.member.username, day = %entry.date.iso(), state = entry.state.key(), "calendar day entered");
        entry.date
    };
    Ok(see_other(&app::domain::url::with_query(
        page,
        &[(settings_field::YEAR, &day.year.to_string())],
    )))
}

/// `POST /can-bo/quan-tri/luu-y`: sets (or, empty, removes) the center's caveat on a procedure,
/// shown to citizens on its page.
pub(crate) async fn caveat(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    use settings_field::*;
    let (session, form) = checked_form(&state, &parts, values, Action::ManageCaveats).await?;
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let text = match app::domain::feedback::text(get(CAVEAT), 1000, false) {
        Ok(text) => text,
        Err(problem) => {
            let problems = BTreeMap::from([(CAVEAT.to_owned(), problem)]);
            return Ok(refuse_settings(&state, &parts, &form, problems).await);
        }
    };
    let agency = own_center(&session).ok_or(HttpError::RoleForbids)?;
    let actor = staff_actor(&session.member.username);
    let set = state
        .db
        .set_caveat(agency, get(PROCEDURE).trim(), &text, &actor, state.db.now())
        .await?;
    if !set {
        let problems = BTreeMap::from([(PROCEDURE.to_owned(), Problem::Required)]);
        return Ok(refuse_settings(&state, &parts, &form, problems).await);
    }
    Ok(see_other(app::paths::SETTINGS))
}

/// `POST /can-bo/quan-tri/khong-nhan`: the center stops (`nhan=0`) or starts again (`nhan=1`)
/// receiving a procedure of the shared catalogue.
pub(crate) async fn withheld(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Handled {
    use settings_field::*;
    let (session, form) = checked_form(&state, &parts, values, Action::ManageProcedures).await?;
    let agency = own_center(&session).ok_or(HttpError::RoleForbids)?;
    let receives = match form.get(RECEIVES).map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(HttpError::UnreadableForm),
    };
    let code = form.get(PROCEDURE).map(|c| c.trim()).unwrap_or_default();
    let actor = staff_actor(&session.member.username);
    if !state
        .db
        .set_receives(agency, code, receives, &actor, state.db.now())
        .await?
    {
        let problems = BTreeMap::from([(PROCEDURE.to_owned(), Problem::Required)]);
        return Ok(refuse_settings(&state, &parts, &form, problems).await);
    }
    tracing::info!(staff = %session.member.username, procedure = code, receives, "center's procedures changed");
    Ok(see_other(app::paths::SETTINGS))
}
