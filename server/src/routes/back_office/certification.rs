//! `POST /can-bo/chung-thuc`: the counter certifies an electronic copy of a paper original. The
//! clerk sends the page scans, the document, the applicant and the ticked checks of the original;
//! the register gives the number, the copy is drawn, signed with the center's key and stored,
//! and the dossier it was made in gets it as its result. The clerk lands on the receipt, which
//! prints the number, the fee, the citizen's code and key, and where to check the copy.

use super::{StaffForm, checked_form, csrf_matches, forbidden, own_center, read_form, signed_in};
use crate::AppState;
use crate::http::error::{Handled, HttpError};
use crate::http::uploads::{IncomingFile, discard, place, unplace};
use crate::http::{random_file_stem, random_hex, random_key, render_with_feedback, see_other};
use crate::pdf::{CopySheet, certified_copy};
use crate::signing::{SignatureDetails, Signer, Signers, sign_pdf};
use app::db::certification::{CertifyOutcome, NewCertifiedCopy, Signing};
use app::domain::back_office::{Action, staff_actor};
use app::domain::calendar::Date;
use app::domain::certification::{
    NewCertification, RegisterNumber, SignedCopy, annulment_reason, field, page_footer, statement,
    verification_caption, verification_code,
};
use app::domain::dossier::AgencyCode;
use app::domain::feedback::{FormFeedback, Problem};
use app::domain::filing::{FileKind, StoredFile};
use app::domain::url::with_query;
use app::paths;
use axum::Form;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use ring::digest::{SHA256, digest};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The scans arrive in the one file field `trang`, in page order.
fn page_slot(name: &str) -> Option<(usize, usize)> {
    (name == field::PAGES).then_some((0, 0))
}

pub(crate) async fn certify(State(state): State<AppState>, parts: Parts, body: Body) -> Handled {
    let session = signed_in(&state, &parts).await?;
    let StaffForm {
        fields,
        files: incoming,
        problems,
    } = read_form(&state, &parts, body, page_slot).await?;
    if !csrf_matches(&session, &fields) {
        discard(&incoming).await;
        return Err(HttpError::StaleForm);
    }
    let Some(agency) = session
        .member
        .center
        .as_deref()
        .and_then(|center| AgencyCode::parse(center).ok())
        .filter(|_| session.member.role.may(Action::Certify))
    else {
        discard(&incoming).await;
        return Err(forbidden(&session, Action::Certify));
    };
    let refused = async |incoming: &[IncomingFile], feedback: FormFeedback, status| {
        discard(incoming).await;
        Ok(render_with_feedback(&state, &parts, paths::CERTIFY, feedback, status).await)
    };
    let Some(signer) = state.signers.for_center(agency.as_str()) else {
        // The page says so too; a form sent anyway is refused without registering anything.
        let feedback = FormFeedback::single(field::PAGES, Problem::SigningUnavailable, None);
        return refused(&incoming, feedback, StatusCode::SERVICE_UNAVAILABLE).await;
    };
    // Scans only: a PDF from a scanner is not drawn into the copy (its pages are not pictures).
    let scans = match problems.into_values().next() {
        Some(problem) => Err(problem),
        None if incoming
            .iter()
            .any(|item| item.file.content_type == FileKind::Pdf.content_type()) =>
        {
            Err(Problem::FileType)
        }
        None => Ok(incoming.len()),
    };
    let certification = match NewCertification::from_form(&fields, scans) {
        Ok(certification) => certification,
        Err(feedback) => {
            return refused(&incoming, feedback, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let mut scans = Vec::with_capacity(incoming.len());
    for item in &incoming {
        scans.push(tokio::fs::read(&item.temporary).await?);
    }
    let (Some(key), Some(token)) = (random_key(), random_hex::<10>()) else {
        discard(&incoming).await;
        return Err(HttpError::internal("no randomness for a key"));
    };
    place(&state.filing.files, &incoming).await?;
    let stored: Vec<StoredFile> = incoming.iter().map(|item| item.file.clone()).collect();
    let now = state.db.now();
    let actor = staff_actor(&session.member.username);
    let outcome = state
        .db
        .register_certification(&NewCertifiedCopy {
            agency: &agency,
            certification: &certification,
            scans: &stored,
            lookup_key: key.as_str(),
            token: &token,
            officer_name: &session.member.display_name,
            actor: &actor,
            now,
        })
        .await;
    let (code, number) = match outcome {
        Ok(CertifyOutcome::Registered { code, number }) => (code, number),
        other => {
            unplace(&state.filing.files, &incoming).await;
            return Err(match other {
                Ok(CertifyOutcome::Busy) => HttpError::Busy,
                Ok(_) => HttpError::internal("the catalogue has no procedure 2.000815"),
                Err(error) => error.into(),
            });
        }
    };
    let center = state.db.center_name_of(agency.as_str()).await?;
    let verification_url = format!(
        "{}{}",
        app::api::base_url(&state.site, Some(&parts.headers)),
        paths::verification(&token)
    );
    let made = make_copy(
        signer,
        scans,
        number,
        CopyWords {
            officer: session.member.display_name.clone(),
            center,
            verification_url,
            verification_code: verification_code(&token),
            now,
        },
    )
    .await;
    let pdf = match made {
        Ok(pdf) => pdf,
        Err(reason) => {
            // The number stays taken (a register never gives one twice); the entry shows as not
            // signed, and the receipt tells the clerk.
            tracing::error!(%reason, code, "a certified copy could not be signed");
            return Ok(see_other(&paths::staff_receipt(&code, &key.to_string())));
        }
    };
    let stem = random_file_stem().ok_or_else(|| HttpError::internal("no randomness"))?;
    let copy = SignedCopy {
        stored_name: format!("{stem}.pdf"),
        sha256: hex::encode(digest(&SHA256, &pdf)),
        size_bytes: pdf.len() as u64,
        signed_at: now,
    };
    let result = StoredFile {
        stored_name: copy.stored_name.clone(),
        case_index: 0,
        document_index: 0,
        content_type: FileKind::Pdf.content_type().to_owned(),
        size_bytes: copy.size_bytes,
        original_name: format!("ban-sao-chung-thuc-{}-{}.pdf", number.serial, number.year),
        thumbnail: None,
        certified_copy: None,
    };
    state.filing.files.write(&copy.stored_name, pdf).await?;
    let recorded = state
        .db
        .record_signed_copy(&Signing {
            token: &token,
            copy: &copy,
            result: &result,
            actor: &actor,
            now,
        })
        .await?;
    if !recorded {
        state.filing.files.forget(&copy.stored_name).await;
    }
    Ok(see_other(&paths::staff_receipt(&code, &key.to_string())))
}

/// `POST /can-bo/chung-thuc/huy`: a leader annuls a signed copy of their center, with the
/// reason (the chairman's decision, TT 01/2020 Art. 7). The verification page says so from then
/// on and the copy can no longer be reused. A missing reason comes back as the page, the form
/// open with what was typed.
pub(crate) async fn annul(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let (session, form) = checked_form(&state, &parts, values, Action::AnnulCopy).await?;
    let agency = own_center(&session).ok_or(HttpError::RoleForbids)?;
    let get = |name: &str| form.get(name).cloned().unwrap_or_default();
    let (token, typed) = (get(field::COPY), get(field::REASON));
    let entry = state
        .db
        .register_entry(&token)
        .await?
        .filter(|entry| entry.agency == agency)
        .ok_or(HttpError::NotFound)?;
    let year = ("nam", entry.number.year.to_string());
    let register = with_query(paths::CERTIFY, std::slice::from_ref(&year));
    let reason = match annulment_reason(&typed) {
        Ok(reason) => reason,
        Err(problem) => {
            let feedback = FormFeedback {
                values: BTreeMap::from([
                    (field::COPY.to_owned(), token),
                    (field::REASON.to_owned(), typed),
                ]),
                problems: BTreeMap::from([(field::REASON.to_owned(), problem)]),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(render_with_feedback(&state, &parts, &register, feedback, status).await);
        }
    };
    let actor = staff_actor(&session.member.username);
    let now = state.db.now();
    // Annulled already (a second click): the register shows it so.
    if state
        .db
        .annul_copy(&token, agency, &reason, &actor, now)
        .await?
    {
        tracing::info!(
            staff = %session.member.username,
            number = %entry.number.printed(),
            "certified copy annulled"
        );
    }
    Ok(see_other(&with_query(
        paths::CERTIFY,
        &[year, (paths::ANNULLED_FIELD, token)],
    )))
}

/// What the copy says besides its scans.
struct CopyWords {
    officer: String,
    center: String,
    verification_url: String,
    verification_code: String,
    now: i64,
}

/// Draws and signs the copy off the async workers (a token or a remote service may block).
async fn make_copy(
    signer: Arc<dyn Signer>,
    scans: Vec<Vec<u8>>,
    number: RegisterNumber,
    words: CopyWords,
) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || {
        let pages = scans.len();
        let started = std::time::Instant::now();
        let statement = statement(
            &number,
            Date::in_vietnam(words.now),
            &words.center,
            &words.officer,
            &words.center,
        );
        let pdf = certified_copy(&CopySheet {
            pages: scans
                .iter()
                .enumerate()
                .map(|(index, scan)| (scan.as_slice(), page_footer(&number, index + 1, pages)))
                .collect(),
            statement: &statement,
            verification_url: &words.verification_url,
            verification_caption: &verification_caption(&number, &words.verification_code),
        })
        .map_err(|error| error.to_string())?;
        let drawn = std::time::Instant::now();
        let signed = sign_pdf(
            &pdf,
            signer.as_ref(),
            &SignatureDetails {
                signer_name: &Signers::subject_of(signer.as_ref()),
                reason: "Chứng thực bản sao từ bản chính",
                location: &words.center,
                signed_at: words.now,
            },
        )
        .map_err(|error| error.to_string())?;
        // The operator's figures: what a copy costs the server, and how large it is.
        tracing::info!(
            pages,
            draw_ms = (drawn - started).as_secs_f64() * 1e3,
            sign_ms = drawn.elapsed().as_secs_f64() * 1e3,
            bytes = signed.len(),
            "certified copy signed"
        );
        Ok(signed)
    })
    .await
    .map_err(|error| error.to_string())?
}
