//! Online filing without an account: a start page, three draft steps (applicant, documents,
//! check and submit) and the resume page. Every step is a plain HTML form posted to the
//! handlers in `server::routes::filing`, which redirect on success and render the page again with
//! the input kept and the problems next to the fields on failure (`FormFeedback` in context).

use crate::api::{DraftPage, DraftView, ProcedureHere, get_draft, get_procedure};
use crate::domain::feedback::{FormFeedback, Problem};
use crate::domain::filing::{
    Applicant, Provision, StoredFile, field, filing_for, missing_documents,
};
use crate::domain::procedure::RequiredDocument;
use crate::domain::url::with_query;
use crate::i18n::{Texts, file_size};
use crate::pages::forms::{
    InputKind, error_id, error_summary, hint_id, line, notify_choice, problem_message,
    result_delivery_choice, text_input,
};
use crate::pages::layout::{NotFound, ServerError, set_status, term, title_text};
use crate::pages::upload::UploadProgress;
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;

pub mod declaration;

fn feedback() -> FormFeedback {
    use_context::<FormFeedback>().unwrap_or_default()
}

/// `/thu-tuc/{code}/nop-truc-tuyen`: what filing online takes, and the button that starts it.
#[component]
pub fn ApplyStartPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let procedure = Resource::new_blocking(move || code.clone(), get_procedure);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match procedure.await {
                    Ok(Some(found)) => view! { <ApplyStart found /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The ways of being told of news this center has set up (`SiteInfo::notify_channels`).
/// Whether web push is on: online filing may offer this phone's browser.
fn push_on() -> bool {
    use_context::<crate::SiteInfo>().is_some_and(|site| site.push_public_key.is_some())
}

pub(crate) fn offered_channels() -> Vec<crate::domain::notifications::Channel> {
    use_context::<crate::SiteInfo>()
        .map(|site| site.notify_channels)
        .unwrap_or_default()
}

#[component]
fn ApplyStart(found: ProcedureHere) -> impl IntoView {
    let ProcedureHere {
        procedure,
        received_here,
        ..
    } = found;
    let t = use_texts();
    let f = t.filing;
    let site = use_context::<crate::SiteInfo>();
    let limits = site.as_ref().map(|s| s.upload_limits).unwrap_or_default();
    let draft_days = site.as_ref().map_or(30, |s| s.draft_days);
    let online = procedure.online_level.accepts_online_filing() && received_here;
    if !online {
        set_status(422);
    }
    // In the order the server refuses them.
    let refusal = if procedure.online_level.accepts_online_filing() {
        Problem::NotReceivedHere
    } else {
        Problem::NotOnline
    };
    let several = procedure.cases.len() > 1;
    let e_form = crate::domain::declaration::form_of_any_case(&procedure);
    let documents = procedure
        .cases
        .iter()
        .map(|case| {
            let names = case
                .documents
                .iter()
                .map(|d| view! { <li>{d.name.clone()}</li> })
                .collect_view();
            view! {
                {several.then(|| view! { <h3>{format!("{}: {}", t.case_heading, case.name)}</h3> })}
                <ul>{names}</ul>
            }
        })
        .collect_view();
    view! {
        <Title text=title_text(format!("{} · {} · {}", t.online_filing_title, procedure.name, t.site_name)) />
        <h1>{t.online_filing_title}</h1>
        <p class="lead">{procedure.name.clone()}</p>
        {if online {
            view! {
                <p>{f.intro}</p>
                <ol class="step-list" aria-label=f.steps_label>
                    <li>{f.step_applicant}</li>
                    {e_form.map(|form| view! { <li>{f.step_declaration} " (" {t.lang.pick(form.title())} ")"</li> })}
                    <li>{f.step_documents}</li>
                    <li>{f.step_review}</li>
                </ol>
                <section aria-labelledby="chuan-bi">
                    <h2 id="chuan-bi">{f.prepare_heading}</h2>
                    <ul>
                        <li>{f.prepare_id}</li>
                        <li>{f.upload_limits(limits)}</li>
                    </ul>
                    <details>
                        <summary>{f.documents_of_case}</summary>
                        {documents}
                    </details>
                </section>
                <form method="post" action=paths::filing_start(&procedure.code)>
                    <button type="submit" class="primary">{f.start_button}</button>
                </form>
                <p class="note">{f.draft_kept(draft_days)}</p>
                <ResumeForm heading=true />
            }
                .into_any()
        } else {
            view! {
                <p class="note field-error">{t.problem(refusal)}</p>
                <section aria-labelledby="chuan-bi">
                    <h2 id="chuan-bi">{f.documents_of_case}</h2>
                    {documents}
                </section>
            }
                .into_any()
        }}
        <p>
            <a href=paths::procedure(&procedure.code)>{t.back_to_procedure}</a>
        </p>
    }
}

/// The form that reopens a draft by its resume code (a GET form: it changes nothing).
#[component]
fn ResumeForm(heading: bool) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let feedback = feedback();
    let problem = feedback.problem(field::RESUME_CODE);
    let value = feedback
        .value(field::RESUME_CODE)
        .unwrap_or_default()
        .to_owned();
    let mut described = hint_id(field::RESUME_CODE);
    if problem.is_some() {
        described = format!("{described} {}", error_id(field::RESUME_CODE));
    }
    view! {
        <form class="resume-form" method="get" action=paths::RESUME>
            {heading.then(|| view! { <h2>{f.resume_heading}</h2> })}
            <label for=field::RESUME_CODE>{f.resume_label}</label>
            <p class="hint" id=hint_id(field::RESUME_CODE)>{f.resume_hint}</p>
            {problem_message(t, field::RESUME_CODE, problem)}
            <div class="search-row">
                <input
                    id=field::RESUME_CODE
                    name=field::RESUME_CODE
                    value=value
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="40"
                    aria-describedby=described
                    aria-invalid=problem.map(|_| "true")
                />
                <button type="submit">{f.resume_button}</button>
            </div>
        </form>
    }
}

/// `/tiep-tuc`: reopen a draft by typing its resume code.
#[component]
pub fn ResumePage() -> impl IntoView {
    let t = use_texts();
    if feedback().problem(field::RESUME_CODE).is_some() {
        set_status(422);
    }
    view! {
        <Title text=title_text(format!("{} · {}", t.filing.resume_title, t.site_name)) />
        <h1>{t.filing.resume_title}</h1>
        <ResumeForm heading=false />
    }
}

/// Loads the draft named in the URL; renders `open` with it, or says why it cannot.
fn with_draft<V: IntoView + 'static>(
    open: impl Fn(DraftView) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let draft = Resource::new_blocking(move || token.clone(), get_draft);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                let f = t.filing;
                match draft.await {
                    Ok(DraftPage::Open(draft)) => open(*draft).into_any(),
                    Ok(DraftPage::Submitted { receipt_path }) => {
                        view! {
                            <Title text=title_text(format!("{} · {}", f.draft_submitted_title, t.site_name)) />
                            <h1>{f.draft_submitted_title}</h1>
                            <p>
                                <a class="button primary" href=receipt_path>{f.see_receipt}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Ok(DraftPage::Expired) => {
                        set_status(410);
                        view! {
                            <Title text=title_text(format!("{} · {}", f.draft_expired_title, t.site_name)) />
                            <h1>{f.draft_expired_title}</h1>
                            <p>{f.draft_expired_text}</p>
                            <p><a href=paths::CATALOGUE>{t.all_procedures}</a></p>
                        }
                            .into_any()
                    }
                    Ok(DraftPage::Missing) => {
                        set_status(404);
                        view! {
                            <Title text=title_text(format!("{} · {}", f.draft_missing_title, t.site_name)) />
                            <h1>{f.draft_missing_title}</h1>
                            <p>{f.draft_missing_text}</p>
                            <ResumeForm heading=false />
                        }
                            .into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether the step was opened from the review: by its link, or by the form sent back refused.
fn opened_from_review(values: &std::collections::BTreeMap<String, String>) -> bool {
    use_query_map().with_untracked(|q| {
        q.get(field::RETURN_TO)
            .is_some_and(|v| v == field::RETURN_TO_REVIEW)
    }) || crate::domain::filing::returns_to_review(values)
}

/// The steps of a draft; the declaration only where the chosen case has an e-form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Applicant,
    Declaration,
    Documents,
    Review,
}

/// Title, heading and the resume code of a step.
fn step_header(t: &'static Texts, draft: &DraftView, step: Step) -> impl IntoView + use<> {
    let f = t.filing;
    let declared = draft.declared_form().is_some();
    let steps: &[Step] = if declared {
        &[
            Step::Applicant,
            Step::Declaration,
            Step::Documents,
            Step::Review,
        ]
    } else {
        &[Step::Applicant, Step::Documents, Step::Review]
    };
    let number = steps.iter().position(|s| *s == step).unwrap_or(0) + 1;
    let name = match step {
        Step::Applicant => f.step_applicant,
        Step::Declaration => f.step_declaration,
        Step::Documents => f.step_documents,
        Step::Review => f.step_review,
    };
    let heading = f.step_of(name, number, steps.len());
    view! {
        <Title text=title_text(format!("{heading} · {} · {}", draft.procedure.name, t.site_name)) />
        <p class="lead">{draft.procedure.name.clone()}</p>
        <h1>{heading}</h1>
        <aside class="resume-box" aria-label=f.resume_code_is>
            <p>
                {f.resume_code_is}": "
                <strong class="code">{draft.resume_code.clone()}</strong>
            </p>
            <p class="hint">{f.resume_note(&draft.kept_until)}</p>
        </aside>
    }
}

/// Step 1, `/ho-so-nhap/{token}/nguoi-nop`: the case and who applies.
#[component]
pub fn ApplicantStepPage() -> impl IntoView {
    with_draft(|draft| view! { <ApplicantStep draft /> })
}

#[component]
fn ApplicantStep(draft: DraftView) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let feedback = feedback();
    if !feedback.problems.is_empty() {
        set_status(422);
    }
    let values = if feedback.values.is_empty() {
        draft
            .applicant
            .as_ref()
            .map(Applicant::to_form)
            .unwrap_or_default()
    } else {
        feedback.values.clone()
    };
    let back_to_review = opened_from_review(&values);
    let several = draft.procedure.cases.len() > 1;
    let case_problem = feedback.problem(field::CASE);
    let chosen_case = values.get(field::CASE).cloned().unwrap_or_default();
    let filing_for = values
        .get(field::FILING_FOR)
        .map(String::as_str)
        .filter(|answer| filing_for::ALL.contains(answer))
        .unwrap_or(filing_for::MYSELF)
        .to_owned();
    let who = [
        (filing_for::MYSELF, f.for_myself, None),
        (filing_for::CHILD, f.for_child, Some(f.for_child_hint)),
        (filing_for::OTHER, f.for_other, Some(f.on_behalf_hint)),
    ]
    .into_iter()
    .map(|(answer, label, hint)| {
        let id = format!("{}-{answer}", field::FILING_FOR);
        let hint_id = format!("{id}-goi-y");
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name=field::FILING_FOR value=answer checked=filing_for == answer aria-describedby=hint.map(|_| hint_id.clone()) />
                <label for=id>
                    {label}
                    {hint.map(|hint| view! { <span class="hint choice-hint" id=hint_id>{hint}</span> })}
                </label>
            </div>
        }
    })
    .collect_view();
    let cases = several.then(|| {
        view! {
            <fieldset id=field::CASE class=if case_problem.is_some() { "field has-error" } else { "field" }>
                <legend>{f.case_legend}</legend>
                {problem_message(t, field::CASE, case_problem)}
                {draft
                    .procedure
                    .cases
                    .iter()
                    .enumerate()
                    .map(|(index, case)| {
                        let id = format!("truong-hop-{index}");
                        view! {
                            <div class="choice">
                                <input
                                    type="radio"
                                    id=id.clone()
                                    name=field::CASE
                                    value=index.to_string()
                                    checked=chosen_case == index.to_string()
                                />
                                <label for=id>{case.name.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    });
    view! {
        {step_header(t, &draft, Step::Applicant)}
        {error_summary(t, &feedback.problems)}
        <form method="post" action=paths::draft_applicant(&draft.token) class="stack">
            {back_to_review.then(|| view! { <input type="hidden" name=field::RETURN_TO value=field::RETURN_TO_REVIEW /> })}
            {cases}
            <fieldset id=field::FILING_FOR class="filing-for">
                <legend>{f.filing_for_question}</legend>
                {who}
            </fieldset>
            {text_input(t, &values, &feedback, field::FULL_NAME, f.full_name, Some(f.full_name_hint), line("text", "text", "name", "100", true))}
            {text_input(t, &values, &feedback, field::PHONE, f.phone, Some(f.phone_hint), line("tel", "tel", "tel", "20", true))}
            {text_input(t, &values, &feedback, field::CITIZEN_ID, f.citizen_id, Some(f.citizen_id_hint), line("text", "numeric", "off", "14", true))}
            {text_input(t, &values, &feedback, field::ADDRESS, f.address, Some(f.address_hint), InputKind::Multiline)}
            {text_input(t, &values, &feedback, field::EMAIL, f.email, None, line("email", "email", "email", "254", false))}
            {result_delivery_choice(t, &values, &feedback)}
            {notify_choice(t, &values, &feedback, &offered_channels(), push_on())}
            <fieldset class="on-behalf proxy-fields">
                <legend>{f.proxy_legend}</legend>
                {text_input(t, &values, &feedback, field::PROXY_NAME, f.proxy_name, None, line("text", "text", "off", "100", false))}
                {text_input(t, &values, &feedback, field::PROXY_CITIZEN_ID, f.proxy_citizen_id, None, line("text", "numeric", "off", "14", false))}
                {text_input(t, &values, &feedback, field::PROXY_RELATIONSHIP, f.relationship, Some(f.relationship_hint), line("text", "text", "off", "50", false))}
            </fieldset>
            <button type="submit" class="primary">{f.save_continue}</button>
        </form>
    }
}

/// Step 2, `/ho-so-nhap/{token}/giay-to`: files for each document of the chosen case.
#[component]
pub fn DocumentsStepPage() -> impl IntoView {
    with_draft(|draft| view! { <DocumentsStep draft /> })
}

#[component]
fn DocumentsStep(draft: DraftView) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let Some(applicant) = draft.applicant.clone() else {
        // The documents depend on the case, chosen in step 1.
        return view! { <ApplicantStep draft /> }.into_any();
    };
    let FormFeedback {
        values: typed,
        mut problems,
    } = feedback();
    let case_files: Vec<_> = draft
        .files
        .iter()
        .filter(|file| file.case_index == applicant.case_index)
        .cloned()
        .collect();
    // After "continue" or "submit" with documents missing, the redirect says so.
    if use_query_map().with_untracked(|q| q.get("thieu").is_some()) {
        let uploaded: Vec<usize> = case_files.iter().map(|f| f.document_index).collect();
        let declared = draft.declaration.as_ref();
        for index in missing_documents(&draft.procedure, applicant.case_index, &uploaded, declared)
        {
            problems
                .entry(field::document(index))
                .or_insert(Problem::DocumentRequired);
        }
    }
    if !problems.is_empty() {
        set_status(422);
    }
    let case = draft.procedure.cases.get(applicant.case_index).cloned();
    let documents = case.map(|case| case.documents).unwrap_or_default();
    let copy_forms = documents.len();
    let action = paths::draft_documents(&draft.token);
    let general_problem = problems.get(field::UPLOADS).copied();
    view! {
        {step_header(t, &draft, Step::Documents)}
        {error_summary(t, &problems)}
        <p>{f.documents_intro}</p>
        <p class="hint">{f.upload_limits(draft.limits)}</p>
        {problem_message(t, field::UPLOADS, general_problem)}
        <form id=field::UPLOADS method="post" action=action.clone() enctype="multipart/form-data" class="stack upload-form">
            {documents.is_empty().then(|| view! { <p>{f.no_documents}</p> })}
            {documents
                .into_iter()
                .enumerate()
                .map(|(index, document)| {
                    let files: Vec<_> = case_files.iter().filter(|file| file.document_index == index).cloned().collect();
                    let problem = problems.get(&field::document(index)).copied();
                    let reuse = ReuseFields::of(index, &typed, &problems);
                    match Provision::of(&document) {
                        Provision::Declaration(_) => declared_field(t, &draft, index, document, problem).into_any(),
                        Provision::CitizenIdNumber => view! {
                            <div class="document">
                                <p class="document-name">{document.name.clone()}</p>
                                <p class="hint">{f.by_citizen_id}</p>
                            </div>
                        }
                        .into_any(),
                        Provision::Upload | Provision::AtCounter => {
                            document_field(t, index, document, files, problem, reuse, None).into_any()
                        }
                        Provision::LookedUp(record) => {
                            document_field(t, index, document, files, problem, reuse, Some(t.held_by(record))).into_any()
                        }
                    }
                })
                .collect_view()}
            <UploadProgress t per_file=draft.limits.per_file send_on_choice=true />
            <div class="actions">
                <button type="submit" name=field::STEP_ACTION value=field::UPLOAD class="secondary upload-button">{f.upload_button}</button>
                <button type="submit" name=field::STEP_ACTION value=field::CONTINUE class="primary">{f.save_continue}</button>
            </div>
        </form>
        // The copy forms, empty: their fields are in the documents above (`form=` attributes).
        {(0..copy_forms)
            .map(|index| view! { <form id=field::copy_form(index) method="post" action=action.clone() enctype="multipart/form-data"></form> })
            .collect_view()}
        <p>
            <a href=paths::draft_applicant(&draft.token)>{f.back}</a>
        </p>
    }
    .into_any()
}

/// The declaration in the documents list: answered in its own step, never uploaded.
fn declared_field(
    t: &'static Texts,
    draft: &DraftView,
    index: usize,
    document: RequiredDocument,
    problem: Option<Problem>,
) -> impl IntoView + use<> {
    let f = t.filing;
    let declared = draft.fitting_declaration().is_some();
    view! {
        <div class=if problem.is_some() { "document has-error" } else { "document" } id=field::document(index)>
            <p class="document-name">{document.name.clone()}</p>
            {problem_message(t, &field::document(index), problem.map(|_| Problem::DeclarationMissing))}
            <p class=if declared { "hint done" } else { "hint" }>
                {if declared { f.declared_here } else { f.declaration_missing }}
            </p>
            <p>
                <a href=paths::draft_declaration(&draft.token)>
                    {if declared { f.edit_declaration } else { f.fill_declaration }}
                </a>
            </p>
        </div>
    }
}

/// The fields naming a certified copy to reuse for one document, as typed and refused.
struct ReuseFields {
    number: (String, String, Option<Problem>),
    code: (String, String, Option<Problem>),
}

impl ReuseFields {
    fn of(
        index: usize,
        typed: &BTreeMap<String, String>,
        problems: &BTreeMap<String, Problem>,
    ) -> Self {
        let field = |name: String| {
            let value = typed.get(&name).cloned().unwrap_or_default();
            let problem = problems.get(&name).copied();
            (name, value, problem)
        };
        ReuseFields {
            number: field(field::copy_number(index)),
            code: field(field::copy_code(index)),
        }
    }

    /// Open when something was typed (and refused), closed otherwise.
    fn open(&self) -> bool {
        !self.number.1.is_empty() || !self.code.1.is_empty()
    }
}

/// "Already have an electronic certified copy?": its number and verification code instead of
/// an upload (`domain::certification::CopyReference`).
fn reuse_copy(t: &'static Texts, index: usize, reuse: ReuseFields) -> impl IntoView + use<> {
    let c = t.certification;
    let open = reuse.open();
    let form = field::copy_form(index);
    let input_form = form.clone();
    let input = move |(name, value, problem): (String, String, Option<Problem>),
                      label: &'static str,
                      hint: Option<&'static str>| {
        let hint_id = hint_id(&name);
        let described = [
            hint.map(|_| hint_id.clone()),
            problem.map(|_| error_id(&name)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        view! {
            <div class=if problem.is_some() { "field has-error" } else { "field" }>
                <label for=name.clone()>{label}</label>
                {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
                {problem_message(t, &name, problem)}
                <input
                    type="text"
                    id=name.clone()
                    name=name
                    form=input_form.clone()
                    value=value
                    maxlength="200"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    aria-describedby=(!described.is_empty()).then_some(described)
                    aria-invalid=problem.map(|_| "true")
                />
            </div>
        }
    };
    view! {
        <details class="reuse-copy" open=open>
            <summary>{c.reuse_summary}</summary>
            <p class="hint">{c.reuse_hint}</p>
            {input(reuse.number, c.reuse_number, Some(c.reuse_number_hint))}
            {input(reuse.code, c.reuse_code, None)}
            <button type="submit" form=form name=field::STEP_ACTION value=field::USE_COPY class="secondary">{c.reuse_button}</button>
        </details>
    }
}

fn document_field(
    t: &'static Texts,
    index: usize,
    document: RequiredDocument,
    files: Vec<StoredFile>,
    problem: Option<Problem>,
    reuse: ReuseFields,
    looked_up: Option<&'static str>,
) -> impl IntoView + use<> {
    let f = t.filing;
    let name = field::document(index);
    let required = document.required && !document.present_only && looked_up.is_none();
    let counts = t.document_counts(document.originals, document.copies);
    let described = if problem.is_some() {
        error_id(&name)
    } else {
        String::new()
    };
    view! {
        <fieldset class=if problem.is_some() { "document has-error" } else { "document" }>
            <legend>
                {document.name.clone()}
                " "
                <span class=if required { "badge required" } else { "badge" }>
                    {if required { f.required } else { f.optional }}
                </span>
            </legend>
            {(!counts.is_empty()).then(|| view! { <p class="hint">{counts}</p> })}
            {document.present_only.then(|| view! { <p class="hint">{f.bring_original}</p> })}
            {looked_up.map(|note| view! { <p class="hint">{note}</p> })}
            {document
                .forms
                .iter()
                .filter(|form| !form.url.is_empty())
                .map(|form| {
                    view! {
                        <p class="hint">
                            <a href=form.url.clone() rel="noopener">{format!("{}: {}", f.download_form, form.name)}</a>
                        </p>
                    }
                })
                .collect_view()}
            {(!files.is_empty())
                .then(|| {
                    view! {
                        <ul class="uploaded" aria-label=f.uploaded>
                            {files
                                .into_iter()
                                .map(|file| {
                                    view! {
                                        <li>
                                            {file_thumbnail(&file)}
                                            <span class="file-name">{file.original_name.clone()}</span>
                                            {reused_tag(t, &file)}
                                            " "
                                            <span class="hint">{file_size(f.lang, file.size_bytes)}</span>
                                            <button type="submit" name=field::REMOVE_FILE value=file.stored_name.clone() class="link" formnovalidate>
                                                {f.remove}
                                                <span class="visually-hidden">{format!(" {}", file.original_name)}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {problem_message(t, &name, problem)}
            <label for=name.clone()>{f.choose_files}</label>
            <input
                type="file"
                id=name.clone()
                name=name
                multiple
                accept="image/jpeg,image/png,application/pdf"
                aria-describedby=(!described.is_empty()).then_some(described)
                aria-invalid=problem.map(|_| "true")
            />
            {reuse_copy(t, index, reuse)}
        </fieldset>
    }
}

/// The tag of a file that is a reused certified copy.
fn reused_tag(t: &'static Texts, file: &StoredFile) -> Option<impl IntoView + use<>> {
    file.certified_copy
        .as_ref()
        .map(|_| view! { " " <span class="tag">{t.certification.reused_tag}</span> })
}

/// A file's small picture: the photo's thumbnail made when it was sent, else its kind.
fn file_thumbnail(file: &StoredFile) -> AnyView {
    match &file.thumbnail {
        Some(data) => {
            view! { <img class="thumb" src=data.clone() alt="" width="48" height="48" /> }
                .into_any()
        }
        None => {
            let kind = match file.content_type.as_str() {
                "application/pdf" => "PDF",
                "image/png" => "PNG",
                _ => "JPG",
            };
            view! { <span class="thumb file-kind" aria-hidden="true">{kind}</span> }.into_any()
        }
    }
}

/// Step 3, `/ho-so-nhap/{token}/kiem-tra`: everything once more, the declaration, submit.
#[component]
pub fn ReviewStepPage() -> impl IntoView {
    with_draft(|draft| view! { <ReviewStep draft /> })
}

#[component]
fn ReviewStep(draft: DraftView) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let Some(applicant) = draft.applicant.clone() else {
        return view! { <ApplicantStep draft /> }.into_any();
    };
    let feedback = feedback();
    if !feedback.problems.is_empty() {
        set_status(422);
    }
    let change_applicant = with_query(
        &paths::draft_applicant(&draft.token),
        &[(field::RETURN_TO, field::RETURN_TO_REVIEW)],
    );
    let change_documents = paths::draft_documents(&draft.token);
    let change_declaration = with_query(
        &paths::draft_declaration(&draft.token),
        &[(field::RETURN_TO, field::RETURN_TO_REVIEW)],
    );
    let declaration = draft.fitting_declaration().cloned();
    let case = draft.procedure.cases.get(applicant.case_index).cloned();
    let several = draft.procedure.cases.len() > 1;
    let declaration_problem = feedback.problem(field::DECLARATION);
    let mut rows = vec![
        term(f.full_name, applicant.full_name.clone()).into_any(),
        term(f.phone, applicant.phone.clone()).into_any(),
        term(f.citizen_id, applicant.citizen_id.clone()).into_any(),
        term(f.address, applicant.address.clone()).into_any(),
    ];
    if !applicant.email.is_empty() {
        rows.push(term(f.email, applicant.email.clone()).into_any());
    }
    let delivery = f.result_delivery(applicant.result_delivery).to_owned();
    rows.push(term(f.result_delivery_legend, delivery).into_any());
    if let Some(proxy) = &applicant.proxy {
        rows.push(
            term(
                f.proxy,
                format!(
                    "{} ({}), {}",
                    proxy.full_name, proxy.relationship, proxy.citizen_id
                ),
            )
            .into_any(),
        );
    }
    let documents = case.as_ref().map(|case| {
        case.documents
            .iter()
            .enumerate()
            .map(|(index, document)| {
                let files: Vec<StoredFile> = draft
                    .files
                    .iter()
                    .filter(|file| {
                        file.case_index == applicant.case_index && file.document_index == index
                    })
                    .cloned()
                    .collect();
                let count = files.len();
                let text = match Provision::of(document) {
                    Provision::Declaration(_) if declaration.is_some() => {
                        f.declared_here.to_owned()
                    }
                    Provision::CitizenIdNumber => f.by_citizen_id.to_owned(),
                    Provision::LookedUp(record) if count == 0 => t.held_by(record).to_owned(),
                    _ if count == 0 => f.not_uploaded.to_owned(),
                    _ => f.files_count(count),
                };
                view! {
                    <div>
                        <dt>{document.name.clone()}</dt>
                        <dd>
                            {text}
                            {(!files.is_empty()).then(|| view! {
                                <ul class="uploaded compact">
                                    {files.iter().map(|file| view! {
                                        <li>{file_thumbnail(file)}<span class="file-name">{file.original_name.clone()}</span>{reused_tag(t, file)}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </dd>
                    </div>
                }
                .into_any()
            })
            .collect_view()
    });
    view! {
        {step_header(t, &draft, Step::Review)}
        {error_summary(t, &feedback.problems)}
        <p>{f.review_intro}</p>
        <section aria-labelledby="xem-thu-tuc">
            <h2 id="xem-thu-tuc">{f.procedure_label}</h2>
            <dl class="summary">
                {term(f.procedure_label, draft.procedure.name.clone())}
                {several.then(|| term(f.case_label, case.as_ref().map(|c| c.name.clone()).unwrap_or_default()))}
            </dl>
        </section>
        <section aria-labelledby="xem-nguoi-nop">
            <div class="section-head">
                <h2 id="xem-nguoi-nop">{f.applicant_heading}</h2>
                <a href=change_applicant>{f.change}<span class="visually-hidden">{format!(" {}", f.applicant_heading)}</span></a>
            </div>
            <dl class="summary">{rows}</dl>
        </section>
        {declaration.as_ref().map(|declaration| {
            let answers = declaration
                .shown()
                .into_iter()
                .flat_map(|(_, answers)| answers)
                .map(|answer| {
                    term(t.lang.pick(answer.label), t.lang.answer_text(&answer))
                })
                .collect_view();
            view! {
                <section aria-labelledby="xem-to-khai">
                    <div class="section-head">
                        <h2 id="xem-to-khai">{t.lang.pick(declaration.form.title())}</h2>
                        <a href=change_declaration>{f.change}<span class="visually-hidden">{format!(" {}", f.step_declaration)}</span></a>
                    </div>
                    <dl class="summary">{answers}</dl>
                </section>
            }
        })}
        <section aria-labelledby="xem-giay-to">
            <div class="section-head">
                <h2 id="xem-giay-to">{f.step_documents}</h2>
                <a href=change_documents>{f.change}<span class="visually-hidden">{format!(" {}", f.step_documents)}</span></a>
            </div>
            <dl class="summary">{documents}</dl>
        </section>
        <form method="post" action=paths::draft_submit(&draft.token) class="stack">
            <div class=if declaration_problem.is_some() { "field has-error" } else { "field" }>
                {problem_message(t, field::DECLARATION, declaration_problem)}
                <div class="choice">
                    <input type="checkbox" id=field::DECLARATION name=field::DECLARATION value="1" required aria-invalid=declaration_problem.map(|_| "true") />
                    <label for=field::DECLARATION>{f.declaration}</label>
                </div>
            </div>
            <button type="submit" class="primary">{f.submit_button}</button>
        </form>
    }
    .into_any()
}
