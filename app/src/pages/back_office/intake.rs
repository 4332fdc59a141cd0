//! `/can-bo/tiep-nhan`: a dossier brought to the counter on paper, on one page: the procedure
//! (the common ones as buttons, a search that finds the others as the clerk types), then one
//! form with the case, the papers received with their scans, and the applicant.

use super::finder::ProcedureFinder;
use super::{StaffNav, staff_page};
use crate::api::{ForStaff, IntakeView, staff_intake};
use crate::domain::back_office::{Action, action_field};
use crate::domain::feedback::FormFeedback;
use crate::domain::filing::{StoredFile, field};
use crate::domain::intake::{field as intake_field, paper_of_field};
use crate::domain::procedure::{Procedure, ProcedureCase};
use crate::i18n::Texts;
use crate::pages::forms::{
    error_summary_naming, line, notify_choice, problem_message, result_delivery_choice, text_input,
    textarea,
};
use crate::pages::layout::title_text;
use crate::paths::INTAKE;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/can-bo/tiep-nhan`: a clerk registers a walk-in dossier.
#[component]
pub fn StaffIntakePage() -> impl IntoView {
    let (procedure, search, kept_token) = use_query_map().with_untracked(|q| {
        let get = |name: &str| q.get(name).unwrap_or_default();
        (
            get(intake_field::PROCEDURE),
            get(intake_field::SEARCH),
            get(intake_field::KEPT_SCANS),
        )
    });
    let page = Resource::new_blocking(
        move || (procedure.clone(), search.clone(), kept_token.clone()),
        |(procedure, search, kept_token)| staff_intake(procedure, search, kept_token),
    );
    staff_page(page, |page| view! { <IntakeForm page /> })
}

#[component]
fn IntakeForm(page: ForStaff<IntakeView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let ForStaff { me, page } = page;
    let chooser = match &page.procedure {
        Some(procedure) => view! {
            <p class="chosen-procedure">
                <strong>{s.chosen_procedure}": "</strong>{format!("{} ({})", procedure.name, procedure.code)}
                " " <a href=INTAKE>{s.change_procedure}</a>
                " · " <a href=crate::paths::staff_cheat_sheet(&procedure.code)>{t.papers.cheat_sheet_link}</a>
            </p>
            {often_wrong_note(t, &page.often_wrong)}
        }
        .into_any(),
        None => procedure_chooser(t, &page).into_any(),
    };
    let form = page
        .procedure
        .clone()
        .map(|procedure| view! { <PapersForm procedure kept_scans=page.kept_scans.clone() kept_token=page.kept_token.clone() csrf=me.csrf_token.clone() /> });
    view! {
        <Title text=title_text(format!("{} · {}", s.action(Action::CounterIntake), t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.action(Action::CounterIntake)}</h1>
        <p>{s.register_dossier_brought_counter}</p>
        {chooser}
        {form}
    }
}

/// The common procedures as buttons, the search, and the whole list.
fn procedure_chooser(t: &'static Texts, page: &IntakeView) -> impl IntoView + use<> {
    let s = t.staff;
    let most_filed = (!page.most_filed.is_empty()).then(|| {
        view! {
            <nav aria-label=s.most_filed class="most-filed">
                <p>{s.most_filed}</p>
                <ul class="sector-list">
                    {page.most_filed.iter().map(|(code, name)| {
                        let href = crate::domain::url::with_query(INTAKE, &[(intake_field::PROCEDURE, code.as_str())]);
                        view! { <li><a href=href>{name.clone()}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    view! {
        {most_filed}
        <ProcedureFinder t search=page.search.clone() found=page.found.clone() />
        <details class="all-procedures">
            <summary>{s.all_procedures}</summary>
            <form method="get" action=INTAKE class="stack">
                <div class="field">
                    <label for=intake_field::PROCEDURE>{s.procedure}</label>
                    <select id=intake_field::PROCEDURE name=intake_field::PROCEDURE required>
                        <option value="">{s.choose_procedure_option}</option>
                        {page.procedures.iter().map(|(code, name)| view! {
                            <option value=code.clone()>{format!("{name} ({code})")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">{s.choose_procedure}</button>
            </form>
        </details>
    }
}

/// The one form of a counter intake: the case, the papers with their scans, the applicant.
#[component]
fn PapersForm(
    procedure: Procedure,
    kept_scans: Vec<StoredFile>,
    kept_token: String,
    csrf: String,
) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let chosen_case = use_query_map()
        .with_untracked(|q| q.get(field::CASE))
        .or_else(|| feedback.value(field::CASE).map(str::to_owned))
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c < procedure.cases.len());
    let paper_name = {
        let procedure = procedure.clone();
        move |name: &str| {
            let (case, index) = paper_of_field(name)?;
            Some(
                procedure
                    .cases
                    .get(case)?
                    .documents
                    .get(index)?
                    .name
                    .clone(),
            )
        }
    };
    let tables = |case_index: usize, case: &ProcedureCase| {
        papers_table(t, &feedback, case_index, case, &kept_scans)
    };
    let papers = if procedure.cases.len() > 1 {
        let problem = feedback.problem(field::CASE);
        view! {
            <fieldset class=if problem.is_some() { "cases has-error" } else { "cases" } id=field::CASE>
                <legend>{f.case_legend}</legend>
                {problem_message(t, field::CASE, problem)}
                <p class="hint choose-case-hint">{s.choose_case_first}</p>
                {procedure.cases.iter().enumerate().map(|(index, case)| {
                    let id = format!("truong-hop-{index}");
                    view! {
                        <div class="case-choice">
                            <input type="radio" id=id.clone() name=field::CASE value=index.to_string() checked=chosen_case == Some(index) />
                            <label for=id>{case.name.clone()}</label>
                            <div class="case-papers">{tables(index, case)}</div>
                        </div>
                    }
                    .into_any()
                }).collect_view()}
            </fieldset>
        }
        .into_any()
    } else {
        procedure
            .cases
            .first()
            .map(|case| tables(0, case))
            .into_any()
    };
    view! {
        {error_summary_naming(t, &feedback.problems, &paper_name)}
        <form method="post" action=INTAKE enctype="multipart/form-data" class="stack intake-form">
            <input type="hidden" name=action_field::CSRF value=csrf />
            <input type="hidden" name=intake_field::PROCEDURE value=procedure.code.clone() />
            {(!kept_token.is_empty()).then(|| view! { <input type="hidden" name=intake_field::KEPT_SCANS value=kept_token.clone() /> })}
            <h2>{s.documents_received}</h2>
            <p class="hint">{s.papers_hint}</p>
            <div id=field::UPLOADS>{problem_message(t, field::UPLOADS, feedback.problem(field::UPLOADS))}</div>
            {papers}
            <h2>{s.applicant}</h2>
            {text_input(t, &feedback.values, &feedback, field::FULL_NAME, f.full_name, None, line("text", "text", "off", "100", true))}
            {text_input(t, &feedback.values, &feedback, field::PHONE, f.phone, Some(s.leave_empty_if_citizen), line("tel", "tel", "off", "20", false))}
            {text_input(t, &feedback.values, &feedback, field::CITIZEN_ID, f.citizen_id, None, line("text", "numeric", "off", "20", true))}
            {text_input(t, &feedback.values, &feedback, field::ADDRESS, f.address, None, line("text", "text", "off", "300", true))}
            {result_delivery_choice(t, &feedback.values, &feedback)}
            {notify_choice(t, &feedback.values, &feedback, &crate::pages::filing::offered_channels(), false)}
            {textarea(t, &feedback, intake_field::NOTE.to_owned(), intake_field::NOTE, s.note_citizen_optional, None, false)}
            <button type="submit" class="primary">{s.accept_print_receipt}</button>
        </form>
    }
}

/// The papers of one case: received, scanned, and the scan itself.
fn papers_table(
    t: &'static Texts,
    feedback: &FormFeedback,
    case_index: usize,
    case: &ProcedureCase,
    kept_scans: &[StoredFile],
) -> AnyView {
    let s = t.staff;
    let f = t.filing;
    let ticked = |name: &str| feedback.value(name).is_some_and(|v| !v.is_empty());
    let rows = case.documents.iter().enumerate().map(|(index, document)| {
        let received = intake_field::received(case_index, index);
        let scanned = intake_field::scanned(case_index, index);
        let scan = intake_field::scan(case_index, index);
        let name_id = format!("{received}-ten");
        let received_problem = feedback.problem(&received);
        let scan_problem = feedback.problem(&scan);
        let kept: Vec<String> = kept_scans
            .iter()
            .filter(|f| f.case_index == case_index && f.document_index == index)
            .map(|f| f.original_name.clone())
            .collect();
        let has_kept = !kept.is_empty();
        view! {
            <tr class=(received_problem.is_some() || scan_problem.is_some()).then_some("has-error")>
                <th scope="row">
                    <span id=name_id.clone()>{document.name.clone()}</span>
                    {(document.required && !document.present_only).then(|| view! { " " <span class="tag">{f.required}</span> })}
                    {problem_message(t, &received, received_problem)}
                </th>
                <td data-label=s.received_tick><input type="checkbox" id=received.clone() name=received.clone() value="1" checked=ticked(&received) || has_kept aria-labelledby=name_id /></td>
                <td data-label=s.scanned_tick><input type="checkbox" id=scanned.clone() name=scanned.clone() value="1" checked=ticked(&scanned) || has_kept aria-label=format!("{} {}", s.scanned_tick, document.name) /></td>
                <td class="scan" data-label=s.scan_file>
                    {problem_message(t, &scan, scan_problem)}
                    <input type="file" id=scan.clone() name=scan.clone() multiple accept="image/jpeg,image/png,application/pdf" aria-label=format!("{} {}", s.scan_file, document.name) />
                    {has_kept.then(|| view! { <p class="kept-scans">{s.scans_kept}" "{kept.join(", ")}</p> })}
                </td>
            </tr>
        }
        .into_any()
    }).collect_view();
    view! {
        <table class="documents">
            <thead><tr>
                <th scope="col">{s.document}</th>
                <th scope="col">{s.received_tick}</th>
                <th scope="col">{s.scanned_tick}</th>
                <th scope="col">{s.scan_file}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// What this center's dossiers of the procedure most often went wrong for, so the clerk checks
/// it first.
fn often_wrong_note(
    t: &'static crate::i18n::Texts,
    often: &crate::domain::often_wrong::OftenWrong,
) -> impl IntoView + use<> {
    let s = t.staff;
    let list = |troubles: &[crate::domain::often_wrong::Trouble]| {
        troubles
            .iter()
            .map(|trouble| format!("{} ({} {})", trouble.text, trouble.times, t.often_times))
            .collect::<Vec<_>>()
            .join("; ")
    };
    (!often.missing.is_empty() || !often.refused.is_empty()).then(|| view! {
        <div class="note often-wrong" role="note">
            <p><strong>{s.often_wrong_heading}</strong></p>
            {(!often.missing.is_empty()).then(|| view! { <p>{s.often_missing_label}": "{list(&often.missing)}</p> })}
            {(!often.refused.is_empty()).then(|| view! { <p>{s.often_refused_label}": "{list(&often.refused)}</p> })}
        </div>
    })
}
