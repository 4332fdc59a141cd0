//! `POST /can-bo/tiep-nhan`: counter intake, and `GET /can-bo/tiep-nhan/tim`: the procedure
//! type-ahead of its page.

use super::{StaffForm, csrf_matches, forbidden, own_center, read_form, signed_in, typed_values};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::uploads::{IncomingFile, discard, place, unplace};
use crate::http::{random, random_key, render_with_feedback, see_other};
use crate::routes::filing::appointment_for;
use app::db::filing::{AddFiles, UploadRoom};
use app::db::intake::{CounterIntake, CounterOutcome, KeptScans, scan_uploader};
use app::domain::back_office::{Action, staff_actor};
use app::domain::dossier::AgencyCode;
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::{Applicant, ResumeCode, StoredFile};
use app::domain::intake::{field as intake_field, papers_received};
use app::domain::procedure::{ChannelKind, Procedure};
use app::paths;
use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `POST /can-bo/tiep-nhan`: a clerk registers a walk-in dossier; the answer is its receipt, to
/// print and hand over. Every problem of the form is reported at once; the scans sent with a
/// refused form are kept (in a draft of the clerk's) and shown again, so none is chosen twice.
pub(crate) async fn counter_intake(
    State(state): State<AppState>,
    parts: Parts,
    body: Body,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    let StaffForm {
        fields: form,
        files: mut incoming,
        mut problems,
    } = read_form(&state, &parts, body, intake_field::scan_slot).await?;
    if !csrf_matches(&session, &form) {
        discard(&incoming).await;
        return Err(HttpError::StaleForm);
    }
    if !session.member.role.may(Action::CounterIntake) {
        discard(&incoming).await;
        return Err(forbidden(&session, Action::CounterIntake));
    }
    // Registered here, the dossier is the member's own center's.
    let Some(agency) = session
        .member
        .center
        .as_deref()
        .and_then(|center| AgencyCode::parse(center).ok())
    else {
        discard(&incoming).await;
        return Err(forbidden(&session, Action::CounterIntake));
    };
    let procedure_code = form
        .get(intake_field::PROCEDURE)
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    // A procedure this center does not receive is not offered, as one that does not exist.
    let procedure = match state.db.procedure_by_code(&procedure_code).await? {
        Some(procedure) if state.db.receives(agency.as_str(), &procedure.code).await? => procedure,
        _ => {
            discard(&incoming).await;
            return Ok(see_other(paths::INTAKE));
        }
    };
    if incoming.iter().any(|item| !fits(&procedure, &item.file)) {
        problems.insert(
            app::domain::filing::field::UPLOADS.to_owned(),
            Problem::FileUnreadable,
        );
    }
    // A problem with one file (its type, its size) refuses that file only; any other (too many
    // files, the body too large) refuses them all.
    if !problems
        .values()
        .all(|problem| matches!(problem, Problem::FileType | Problem::FileTooLarge))
    {
        discard(&incoming).await;
        incoming.clear();
    }
    let now = state.db.now();
    let uploader = scan_uploader(&session.member.username);
    let mut kept_token = form
        .get(intake_field::KEPT_SCANS)
        .and_then(|token| ResumeCode::parse(token).ok());
    let kept_files = match &kept_token {
        Some(token) => {
            let kept = KeptScans {
                token: token.as_str(),
                uploader: &uploader,
            };
            state.db.counter_scans(kept, now).await?
        }
        None => Vec::new(),
    };
    // The scans it names were taken by the same form sent a moment before (or have expired):
    // registering it again would make a second dossier.
    if kept_token.is_some() && kept_files.is_empty() {
        problems.insert(
            app::domain::filing::field::UPLOADS.to_owned(),
            Problem::StatusChanged,
        );
        kept_token = None;
    }
    let kept = kept_token.as_ref().map(|token| KeptScans {
        token: token.as_str(),
        uploader: &uploader,
    });

    let applicant = match Applicant::from_counter_form(&form, procedure.cases.len())
        .and_then(|applicant| applicant.with_notify_offered(&state.site.notify_channels, &form))
    {
        Ok(applicant) => Some(applicant),
        Err(feedback) => {
            problems.extend(feedback.problems);
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
    // The papers are checked even when the applicant is not right, so that every problem shows
    // at once; the case is the one chosen, whatever else is wrong.
    let case_index = if procedure.cases.len() <= 1 {
        Some(0)
    } else {
        form.get(app::domain::filing::field::CASE)
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|c| *c < procedure.cases.len())
    };
    let scans_of = |case_index: usize, index: usize| {
        let slot = |f: &StoredFile| f.case_index == case_index && f.document_index == index;
        incoming.iter().filter(|i| slot(&i.file)).count()
            + kept_files.iter().filter(|f| slot(f)).count()
    };
    let papers = case_index.map(|case_index| {
        papers_received(
            &procedure.cases[case_index],
            case_index,
            |name| form.get(name).is_some_and(|v| !v.is_empty()),
            |index| scans_of(case_index, index),
        )
    });
    let papers = match papers {
        Some(Ok(papers)) => Some(papers),
        Some(Err(paper_problems)) => {
            problems.extend(paper_problems);
            None
        }
        None => None,
    };
    let (Some(applicant), Ok(note), Some(papers), true) =
        (applicant, note, papers, problems.is_empty())
    else {
        return refuse(
            &state,
            &parts,
            &procedure,
            RefusedForm {
                values: typed_values(&form),
                problems,
                incoming,
                kept_token: kept_token.as_ref().map(ResumeCode::as_str),
                uploader: &uploader,
                center: agency.as_str(),
            },
        )
        .await;
    };

    let appointment = appointment_for(
        &state.db,
        agency.as_str(),
        &procedure,
        now,
        &[ChannelKind::Counter, ChannelKind::Online],
        &state.filing.working,
    )
    .await;
    let appointment = match appointment {
        Ok(appointment) => appointment,
        Err(error) => {
            discard(&incoming).await;
            return Err(error.into());
        }
    };
    let Some(key) = random_key() else {
        discard(&incoming).await;
        return Err(HttpError::internal("no lookup key could be made"));
    };
    let files = &state.filing.files;
    // Files go in place before the rows that name them (see `place`).
    if let Err(error) = place(files, &incoming).await {
        return Err(HttpError::internal(error));
    }
    let scans: Vec<StoredFile> = incoming.iter().map(|i| i.file.clone()).collect();
    let actor = staff_actor(&session.member.username);
    let outcome = state
        .db
        .register_at_counter(&CounterIntake {
            agency: &agency,
            procedure_code: &procedure.code,
            applicant: &applicant,
            papers: &papers,
            scans: &scans,
            kept_scans: kept,
            lookup_key: key.as_str(),
            appointment,
            actor: &actor,
            note: &note,
            now,
        })
        .await?;
    Ok(match outcome {
        CounterOutcome::Registered { code, orphan_files } => {
            for stored_name in orphan_files {
                files.forget(&stored_name).await;
            }
            tracing::info!(dossier = %code, staff = %session.member.username, "counter dossier received");
            see_other(&paths::staff_receipt(&code, key.as_str()))
        }
        CounterOutcome::Gone => {
            unplace(files, &incoming).await;
            see_other(&intake_page(&procedure.code, None))
        }
        CounterOutcome::Busy => {
            unplace(files, &incoming).await;
            HttpError::Busy.into_response()
        }
    })
}

/// Whether a scan names a paper of the procedure.
fn fits(procedure: &Procedure, file: &StoredFile) -> bool {
    procedure
        .cases
        .get(file.case_index)
        .is_some_and(|case| file.document_index < case.documents.len())
}

/// The intake page of `procedure`, with the kept scans of `kept_token`.
fn intake_page(procedure: &str, kept_token: Option<&str>) -> String {
    let mut query = vec![(intake_field::PROCEDURE, procedure)];
    query.extend(kept_token.map(|token| (intake_field::KEPT_SCANS, token)));
    app::domain::url::with_query(paths::INTAKE, &query)
}

/// A counter form refused: what was typed, the problems, and the good scans sent with it.
struct RefusedForm<'a> {
    values: BTreeMap<String, String>,
    problems: BTreeMap<String, Problem>,
    incoming: Vec<IncomingFile>,
    kept_token: Option<&'a str>,
    uploader: &'a str,
    /// The clerk's center, which a draft that keeps the scans is for.
    center: &'a str,
}

/// The intake page again with every problem, the good scans kept in the clerk's draft.
async fn refuse(
    state: &AppState,
    parts: &Parts,
    procedure: &Procedure,
    form: RefusedForm<'_>,
) -> Handled {
    let RefusedForm {
        values,
        mut problems,
        incoming,
        kept_token,
        uploader,
        center,
    } = form;
    let kept = keep_scans(state, procedure, kept_token, (uploader, center), &incoming).await;
    let kept_token = match kept {
        Ok(token) => token,
        Err(problem) => {
            problems.insert(app::domain::filing::field::UPLOADS.to_owned(), problem);
            kept_token.map(str::to_owned)
        }
    };
    let page = intake_page(&procedure.code, kept_token.as_deref());
    let feedback = FormFeedback { values, problems };
    Ok(render_with_feedback(
        state,
        parts,
        &page,
        feedback,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await)
}

/// Keeps the scans of a refused form in the clerk's draft (started now when there is none):
/// the draft's token, or why the scans could not be kept (then they are removed). The draft is
/// the uploader's, for their center.
async fn keep_scans(
    state: &AppState,
    procedure: &Procedure,
    kept_token: Option<&str>,
    (uploader, center): (&str, &str),
    incoming: &[IncomingFile],
) -> Result<Option<String>, Problem> {
    if incoming.is_empty() {
        return Ok(kept_token.map(str::to_owned));
    }
    let settings = &state.filing;
    let now = state.db.now();
    let expires_at = now + settings.draft_lifetime;
    let token = match kept_token {
        Some(token) => token.to_owned(),
        None => {
            let Some(token) = random::<{ ResumeCode::RANDOM_BYTES }>().map(ResumeCode::from_random)
            else {
                discard(incoming).await;
                return Err(Problem::FileUnreadable);
            };
            let created = state
                .db
                .create_draft(token.as_str(), &procedure.code, center, now, expires_at)
                .await;
            if !matches!(created, Ok(true)) {
                discard(incoming).await;
                return Err(Problem::FileUnreadable);
            }
            token.as_str().to_owned()
        }
    };
    if place(&settings.files, incoming).await.is_err() {
        return Err(Problem::FileUnreadable);
    }
    let files: Vec<StoredFile> = incoming.iter().map(|i| i.file.clone()).collect();
    let room = UploadRoom {
        uploader,
        limits: settings.limits,
        quota: settings.draft_quota,
    };
    let outcome = state
        .db
        .add_draft_files(&token, &files, room, now, expires_at)
        .await;
    match outcome {
        Ok(AddFiles::Added) => Ok(Some(token)),
        Ok(AddFiles::TooManyFiles) => {
            unplace(&settings.files, incoming).await;
            Err(Problem::TooManyFiles)
        }
        Ok(AddFiles::OverDossierLimit) => {
            unplace(&settings.files, incoming).await;
            Err(Problem::DossierTooLarge)
        }
        Ok(AddFiles::OverAddressQuota | AddFiles::OverTotalQuota) => {
            unplace(&settings.files, incoming).await;
            Err(Problem::UploadsFull)
        }
        Ok(AddFiles::DraftClosed) => {
            unplace(&settings.files, incoming).await;
            Err(Problem::DraftExpired)
        }
        // After an error the commit may still have landed: a stray file is cleaned up later,
        // where a missing one would be lost.
        Err(error) => {
            tracing::error!(%error, "counter scans could not be kept");
            Err(Problem::FileUnreadable)
        }
    }
}

#[derive(Deserialize)]
pub struct FinderQuery {
    #[serde(default)]
    tim: String,
}

/// `GET /can-bo/tiep-nhan/tim?tim=…`: the first procedures the catalogue's search finds, for the
/// intake page's type-ahead (with JavaScript off, the page's own search form does the same).
pub(crate) async fn find_procedure(
    State(state): State<AppState>,
    Query(query): Query<FinderQuery>,
    parts: Parts,
) -> Handled {
    let session = signed_in(&state, &parts).await?;
    if !session.member.role.may(Action::CounterIntake) {
        return Err(forbidden(&session, Action::CounterIntake));
    }
    let agency = own_center(&session).unwrap_or_default();
    let withheld = state.db.withheld_procedures(agency).await?;
    let mut found = state.db.find_procedures(&query.tim).await?;
    found.retain(|procedure| withheld.iter().all(|(code, _)| *code != procedure.code));
    Ok(Json(found).into_response())
}
