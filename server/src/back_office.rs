//! The POST side of the back office: actions on a dossier, counter intake, the settings, and the
//! staff-only file download. Every handler checks, in this order: a session (else the sign-in
//! page), the form's CSRF token (else 403), the role (else 403), then the dossier and the input
//! (else the page again with the problem, as citizens' forms do). Pages only hide what a role
//! cannot do; these checks are the guard.

use std::collections::BTreeMap;

use app::db::staff::{CounterIntake, StaffSession};
use app::db::tracking::{ChangeOutcome, StatusChange};
use app::domain::application::{
    Applicant, FileKind, FormFeedback, Problem, display_file_name, receipt_path,
};
use app::domain::calendar::Date;
use app::domain::lifecycle::Status;
use app::domain::procedure::ChannelKind;
use app::domain::staff::{
    Action, ActionRequest, CredentialProblem, Role, StaffMember, action_field, check_password,
    check_username, staff_actor,
};
use app::domain::tracking::EventDetails;
use app::pages::staff::{ACTION_FIELD, LOGIN_PATH, dossier_path};
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::filing::{
    IncomingFile, UploadForm, appointment_for, discard, form_map, internal, now, random_file_stem,
    random_key, read_upload_form, render_with_feedback, see_other,
};

/// The signed-in staff member, or the redirect to the sign-in page.
pub(crate) async fn signed_in(state: &AppState, parts: &Parts) -> Result<StaffSession, Response> {
    let Some(token) = app::api::cookie_value(&parts.headers, app::api::STAFF_COOKIE) else {
        return Err(see_other(LOGIN_PATH));
    };
    match state.db.staff_session(&token, now()).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(see_other(LOGIN_PATH)),
        Err(error) => Err(internal(error)),
    }
}

/// Whether the form carries this session's CSRF token (compared in constant time).
pub(crate) fn csrf_matches(session: &StaffSession, form: &BTreeMap<String, String>) -> bool {
    let sent = form
        .get(action_field::CSRF)
        .map(String::as_str)
        .unwrap_or_default();
    bool::from(sent.as_bytes().ct_eq(session.csrf_token.as_bytes()))
}

/// 403 for a form without this session's token: a stale page, or a forged request.
pub(crate) fn stale_form() -> Response {
    (
        StatusCode::FORBIDDEN,
        "Biểu mẫu đã cũ, vui lòng tải lại trang. / This form has expired: reload the page.",
    )
        .into_response()
}

/// 403 for an action the member's role does not allow.
fn forbidden(session: &StaffSession, action: Action) -> Response {
    tracing::warn!(staff = %session.member.username, ?action, "action refused for this role");
    (
        StatusCode::FORBIDDEN,
        "Vai trò của bạn không được làm việc này. / Your role does not allow this.",
    )
        .into_response()
}

/// A staff form: urlencoded, or multipart when it carries a file (the scanned result).
struct StaffForm {
    fields: BTreeMap<String, String>,
    files: Vec<IncomingFile>,
    problems: BTreeMap<String, Problem>,
}

async fn read_form(state: &AppState, parts: &Parts, body: Body) -> Result<StaffForm, Response> {
    let is_multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let request = Request::from_parts(parts.clone(), body);
    if !is_multipart {
        let axum::Form(values) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        return Ok(StaffForm {
            fields: form_map(values),
            files: Vec::new(),
            problems: BTreeMap::new(),
        });
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let settings = &state.filing;
    tokio::fs::create_dir_all(&settings.upload_dir)
        .await
        .map_err(internal)?;
    let UploadForm {
        files,
        problems,
        fields,
    } = read_upload_form(
        &mut multipart,
        &settings.upload_dir,
        settings.limits,
        |name| (name == action_field::RESULT_FILE).then_some(0),
    )
    .await;
    Ok(StaffForm {
        fields,
        files,
        problems,
    })
}

/// The dossier page again with the refused form open and its problems (`status`).
async fn refuse_action(
    state: &AppState,
    parts: &Parts,
    code: &str,
    action: Action,
    mut feedback: FormFeedback,
    status: StatusCode,
) -> Response {
    feedback
        .values
        .insert(ACTION_FIELD.to_owned(), action.key().to_owned());
    render_with_feedback(state, parts, &dossier_path(code), feedback, status).await
}

/// `POST /can-bo/ho-so/{code}/{action}`: one action on one dossier. The status change and its
/// audit entry are one transaction (`Database::apply_change`).
pub(crate) async fn dossier_action(
    State(state): State<AppState>,
    Path((code, action)): Path<(String, String)>,
    parts: Parts,
    body: Body,
) -> Response {
    let session = match signed_in(&state, &parts).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(action) = Action::on_a_dossier(&action) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let form = match read_form(&state, &parts, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let response = act(&state, &parts, &session, &code, action, &form).await;
    if !response.status().is_redirection() {
        discard(&form.files).await;
    }
    response
}

async fn act(
    state: &AppState,
    parts: &Parts,
    session: &StaffSession,
    code: &str,
    action: Action,
    form: &StaffForm,
) -> Response {
    if !csrf_matches(session, &form.fields) {
        return stale_form();
    }
    if !session.member.role.may(action) {
        return forbidden(session, action);
    }
    let dossier = match state.db.staff_dossier(code).await {
        Ok(Some(dossier)) => dossier,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    let moved_on =
        |problem| FormFeedback::single(ACTION_FIELD, problem, Some(action.key().to_owned()));
    let applies = Status::from_code(dossier.status).is_some_and(|s| action.applies_to(s));
    if !applies {
        let feedback = moved_on(Problem::StatusChanged);
        return refuse_action(state, parts, code, action, feedback, StatusCode::CONFLICT).await;
    }
    let now = now();
    let today = Date::in_vietnam(now);
    let request = match ActionRequest::from_form(action, &form.fields, today) {
        Ok(request) if form.problems.is_empty() => request,
        result => {
            let mut feedback = result.err().unwrap_or_else(|| FormFeedback {
                values: typed_values(&form.fields),
                problems: BTreeMap::new(),
            });
            feedback.problems.extend(form.problems.clone());
            return refuse_action(
                state,
                parts,
                code,
                action,
                feedback,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let actor = staff_actor(&session.member.username);
    let done = app::domain::url::with_query(&dossier_path(code), &[("xong", action.key())]);
    if let Some(EventDetails::Apology { new_date, text }) = &request.details {
        return match state
            .db
            .record_apology(code, *new_date, text, &actor, now)
            .await
        {
            Ok(true) => see_other(&done),
            Ok(false) => {
                let feedback = moved_on(Problem::StatusChanged);
                refuse_action(state, parts, code, action, feedback, StatusCode::CONFLICT).await
            }
            Err(error) => internal(error),
        };
    }
    let Some(to) = action.target_status() else {
        return internal("a dossier action without a status to go to");
    };
    let new_appointment = if action == Action::Accept {
        // Acceptance starts the clock: the appointment is counted from now, on the processing
        // time of the channel the dossier came through.
        let order = if dossier.channel == 1 {
            [ChannelKind::Counter, ChannelKind::Online]
        } else {
            [ChannelKind::Online, ChannelKind::Counter]
        };
        match state.db.procedure_by_code(&dossier.procedure_code).await {
            Ok(Some(procedure)) => {
                match appointment_for(&state.db, &procedure, now, &order).await {
                    Ok(date) => date,
                    Err(error) => return internal(error),
                }
            }
            Ok(None) => None,
            Err(error) => return internal(error),
        }
    } else {
        None
    };
    let result_file = match (action, form.files.first()) {
        (Action::MarkResultReady, Some(incoming)) => {
            let Some(stem) = random_file_stem() else {
                return internal("no file name could be made");
            };
            let mut file = incoming.file.clone();
            file.stored_name = format!("{stem}.{}", incoming.kind.extension());
            let target = state.filing.upload_dir.join(&file.stored_name);
            if let Err(error) = tokio::fs::rename(&incoming.temporary, &target).await {
                return internal(error);
            }
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
        let _ = tokio::fs::remove_file(state.filing.upload_dir.join(&file.stored_name)).await;
    }
    match outcome {
        Ok(ChangeOutcome::Changed { .. }) => {
            tracing::info!(dossier = %code, staff = %session.member.username, to = to.code(), "dossier status changed");
            see_other(&done)
        }
        Ok(ChangeOutcome::Illegal(_)) => {
            let feedback = moved_on(Problem::StatusChanged);
            refuse_action(state, parts, code, action, feedback, StatusCode::CONFLICT).await
        }
        Ok(ChangeOutcome::Missing) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error),
    }
}

/// The fields as typed, without the CSRF token, to show a refused form again.
fn typed_values(fields: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter(|(name, _)| name.as_str() != action_field::CSRF)
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// `GET /can-bo/ho-so/{code}/tep/{name}`: a dossier's file, to staff only, with its own type
/// (checked by content when it was uploaded) and its name as uploaded.
pub(crate) async fn dossier_file(
    State(state): State<AppState>,
    Path((code, stored_name)): Path<(String, String)>,
    parts: Parts,
) -> Response {
    let session = match signed_in(&state, &parts).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    if !session.member.role.may(Action::ViewQueue) {
        return forbidden(&session, Action::ViewQueue);
    }
    let (content_type, original_name) = match state.db.dossier_file(&code, &stored_name).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(error),
    };
    // The name comes from the database, never from the path: no way out of the folder.
    let bytes = match tokio::fs::read(state.filing.upload_dir.join(&stored_name)).await {
        Ok(bytes) => bytes,
        Err(error) => return internal(error),
    };
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
    response
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

/// RFC 5987 percent-encoding of a UTF-8 file name.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The counter intake form's field names beyond the applicant's.
pub mod intake_field {
    pub const PROCEDURE: &str = "thu-tuc";
    pub const NOTE: &str = "ghi-chu";

    /// The "received" tick of the document at `index`.
    pub fn received(index: usize) -> String {
        format!("nhan-{index}")
    }

    /// The "scanned" tick of the document at `index`.
    pub fn scanned(index: usize) -> String {
        format!("so-hoa-{index}")
    }
}

/// `POST /can-bo/tiep-nhan`: a clerk registers a walk-in dossier; the answer is its receipt, to
/// print and hand over.
pub(crate) async fn counter_intake(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Response {
    let session = match signed_in(&state, &parts).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let form = form_map(values);
    if !csrf_matches(&session, &form) {
        return stale_form();
    }
    if !session.member.role.may(Action::CounterIntake) {
        return forbidden(&session, Action::CounterIntake);
    }
    let procedure_code = form
        .get(intake_field::PROCEDURE)
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    let procedure = match state.db.procedure_by_code(&procedure_code).await {
        Ok(Some(procedure)) => procedure,
        Ok(None) => return see_other(app::pages::staff::INTAKE_PATH),
        Err(error) => return internal(error),
    };
    let page = app::domain::url::with_query(
        app::pages::staff::INTAKE_PATH,
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
        .map(|n| app::domain::application::text(n, 1000, false))
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
        return render_with_feedback(
            &state,
            &parts,
            &page,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let now = now();
    let appointment = match appointment_for(
        &state.db,
        &procedure,
        now,
        &[ChannelKind::Counter, ChannelKind::Online],
    )
    .await
    {
        Ok(date) => date,
        Err(error) => return internal(error),
    };
    let Some(key) = random_key() else {
        return internal("no lookup key could be made");
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
    match outcome {
        Ok(Some(code)) => {
            tracing::info!(dossier = %code, staff = %session.member.username, "counter dossier received");
            let receipt = receipt_path(&code, key.as_str());
            see_other(&format!("/can-bo{receipt}"))
        }
        Ok(None) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(error) => internal(error),
    }
}

/// The settings forms' field names.
pub mod settings_field {
    pub const USERNAME: &str = "ten";
    pub const DISPLAY_NAME: &str = "ho-ten";
    pub const ROLE: &str = "vai-tro";
    pub const PASSWORD: &str = "mat-khau";
    pub const ACTIVE: &str = "dang-dung";
    pub const DAY: &str = "ngay";
    pub const HOLIDAY_NAME: &str = "ten-ngay";
    pub const PROCEDURE: &str = "thu-tuc";
    pub const CAVEAT: &str = "luu-y";
}

/// An admin's settings form, checked for session, token and role.
async fn admin_form(
    state: &AppState,
    parts: &Parts,
    values: Vec<(String, String)>,
    action: Action,
) -> Result<(StaffSession, BTreeMap<String, String>), Response> {
    let session = signed_in(state, parts).await?;
    let form = form_map(values);
    if !csrf_matches(&session, &form) {
        return Err(stale_form());
    }
    if !session.member.role.may(action) {
        return Err(forbidden(&session, action));
    }
    Ok((session, form))
}

async fn refuse_settings(
    state: &AppState,
    parts: &Parts,
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
        app::pages::staff::SETTINGS_PATH,
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
) -> Response {
    use settings_field::*;
    let (session, form) = match admin_form(&state, &parts, values, Action::ManageUsers).await {
        Ok(checked) => checked,
        Err(response) => return response,
    };
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
    let display_name = app::domain::application::text(get(DISPLAY_NAME), 100, true)
        .map_err(|problem| problems.insert(DISPLAY_NAME.to_owned(), problem))
        .ok();
    let role = Role::from_key(get(ROLE));
    if role.is_none() {
        problems.insert(ROLE.to_owned(), Problem::Required);
    }
    let (Some(display_name), Some(role), true) = (display_name, role, problems.is_empty()) else {
        return refuse_settings(&state, &parts, &form, problems).await;
    };
    let hash = match tokio::task::spawn_blocking(move || app::password::hash(&password)).await {
        Ok(Ok(hash)) => hash,
        Ok(Err(error)) => return internal(error),
        Err(error) => return internal(error),
    };
    let member = StaffMember {
        username: username.clone(),
        display_name,
        role,
    };
    match state.db.create_staff_user(&member, &hash, now()).await {
        Ok(true) => {
            tracing::info!(staff = %session.member.username, new = %username, "staff account added");
            see_other(app::pages::staff::SETTINGS_PATH)
        }
        Ok(false) => {
            let problems = BTreeMap::from([(USERNAME.to_owned(), Problem::UsernameTaken)]);
            refuse_settings(&state, &parts, &form, problems).await
        }
        Err(error) => internal(error),
    }
}

/// `POST /can-bo/quan-tri/can-bo/{username}`: changes an account's role or switches it off.
/// Admins cannot change their own account, so the center always keeps one admin.
pub(crate) async fn update_user(
    State(state): State<AppState>,
    Path(username): Path<String>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Response {
    use settings_field::*;
    let (session, form) = match admin_form(&state, &parts, values, Action::ManageUsers).await {
        Ok(checked) => checked,
        Err(response) => return response,
    };
    let Some(role) = form.get(ROLE).and_then(|r| Role::from_key(r)) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    if username == session.member.username {
        return (
            StatusCode::CONFLICT,
            "Không thể tự đổi vai trò hay tự khóa tài khoản của mình. / You cannot change your own account.",
        )
            .into_response();
    }
    let active = form.get(ACTIVE).is_some_and(|v| !v.is_empty());
    match state.db.update_staff_user(&username, role, active).await {
        Ok(true) => {
            tracing::info!(staff = %session.member.username, changed = %username, role = role.key(), active, "staff account changed");
            see_other(app::pages::staff::SETTINGS_PATH)
        }
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error),
    }
}

/// `POST /can-bo/quan-tri/ngay-nghi`: adds (or renames) a holiday; with `xoa`, removes one.
pub(crate) async fn holiday(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Response {
    use settings_field::*;
    let (_, form) = match admin_form(&state, &parts, values, Action::ManageHolidays).await {
        Ok(checked) => checked,
        Err(response) => return response,
    };
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let mut problems = BTreeMap::new();
    let day = Date::parse_typed(get(DAY));
    if day.is_none() {
        problems.insert(DAY.to_owned(), Problem::DateMalformed);
    }
    let removing = form.contains_key("xoa");
    let name = if removing {
        Some(String::new())
    } else {
        app::domain::application::text(get(HOLIDAY_NAME), 100, true)
            .map_err(|problem| problems.insert(HOLIDAY_NAME.to_owned(), problem))
            .ok()
    };
    let (Some(day), Some(name), true) = (day, name, problems.is_empty()) else {
        return refuse_settings(&state, &parts, &form, problems).await;
    };
    let result = if removing {
        state.db.remove_holiday(day).await
    } else {
        state.db.set_holiday(day, &name).await
    };
    match result {
        Ok(()) => see_other(&app::domain::url::with_query(
            app::pages::staff::SETTINGS_PATH,
            &[("nam", &day.year.to_string())],
        )),
        Err(error) => internal(error),
    }
}

/// `POST /can-bo/quan-tri/luu-y`: sets (or, empty, removes) the center's caveat on a procedure,
/// shown to citizens on its page.
pub(crate) async fn caveat(
    State(state): State<AppState>,
    parts: Parts,
    axum::Form(values): axum::Form<Vec<(String, String)>>,
) -> Response {
    use settings_field::*;
    let (session, form) = match admin_form(&state, &parts, values, Action::ManageCaveats).await {
        Ok(checked) => checked,
        Err(response) => return response,
    };
    let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let text = match app::domain::application::text(get(CAVEAT), 1000, false) {
        Ok(text) => text,
        Err(problem) => {
            let problems = BTreeMap::from([(CAVEAT.to_owned(), problem)]);
            return refuse_settings(&state, &parts, &form, problems).await;
        }
    };
    let actor = staff_actor(&session.member.username);
    match state
        .db
        .set_caveat(get(PROCEDURE).trim(), &text, &actor, now())
        .await
    {
        Ok(true) => see_other(app::pages::staff::SETTINGS_PATH),
        Ok(false) => {
            let problems = BTreeMap::from([(PROCEDURE.to_owned(), Problem::Required)]);
            refuse_settings(&state, &parts, &form, problems).await
        }
        Err(error) => internal(error),
    }
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
