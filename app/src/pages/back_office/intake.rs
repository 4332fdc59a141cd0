//! `/can-bo/tiep-nhan`: a dossier brought to the counter on paper.

use super::{StaffNav, staff_page};
use crate::api::{ForStaff, IntakeView, staff_intake};
use crate::domain::back_office::intake_field;
use crate::domain::back_office::{Action, action_field};
use crate::domain::feedback::FormFeedback;
use crate::domain::filing::field;
use crate::pages::forms::{
    error_summary, line, problem_message, result_delivery_choice, text_input, textarea,
};
use crate::pages::layout::title_text;
use crate::paths::INTAKE;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// `/can-bo/tiep-nhan`: a clerk registers a walk-in dossier. First the procedure (and its case),
/// then the applicant and the paper documents received.
#[component]
pub fn StaffIntakePage() -> impl IntoView {
    let procedure =
        use_query_map().with_untracked(|q| q.get(intake_field::PROCEDURE).unwrap_or_default());
    let page = Resource::new_blocking(move || procedure.clone(), staff_intake);
    staff_page(page, |page| view! { <IntakeForm page /> })
}

#[component]
fn IntakeForm(page: ForStaff<IntakeView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let chosen_case = use_query_map()
        .with_untracked(|q| q.get(field::CASE))
        .or_else(|| feedback.value(field::CASE).map(str::to_owned))
        .and_then(|c| c.parse::<usize>().ok());
    let selected = page
        .procedure
        .as_ref()
        .map(|p| p.code.clone())
        .unwrap_or_default();
    let most_filed = (!page.most_filed.is_empty()).then(|| {
        view! {
            <nav aria-label=s.most_filed class="most-filed">
                <p>{s.most_filed}</p>
                <ul class="sector-list">
                    {page.most_filed.iter().map(|(code, name)| {
                        let href = crate::domain::url::with_query(INTAKE, &[(intake_field::PROCEDURE, code.as_str())]);
                        let current = (*code == selected).then_some("page");
                        view! { <li><a href=href aria-current=current>{name.clone()}</a></li> }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    let chooser = view! {
        {most_filed}
        <form method="get" action=INTAKE class="stack">
            <div class="field">
                <label for=intake_field::PROCEDURE>{s.procedure}</label>
                <select id=intake_field::PROCEDURE name=intake_field::PROCEDURE required>
                    <option value="">{s.choose_procedure_option}</option>
                    {page.procedures.iter().map(|(code, name)| view! {
                        <option value=code.clone() selected=*code == selected>{format!("{name} ({code})")}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">{s.choose_procedure}</button>
        </form>
    };
    let body = page.procedure.clone().map(|procedure| {
        let several = procedure.cases.len() > 1;
        match (several, chosen_case.filter(|c| *c < procedure.cases.len())) {
            (true, None) => view! {
                <form method="get" action=INTAKE class="stack">
                    <input type="hidden" name=intake_field::PROCEDURE value=procedure.code.clone() />
                    <fieldset>
                        <legend>{f.case_legend}</legend>
                        {procedure.cases.iter().enumerate().map(|(index, case)| view! {
                            <div class="choice">
                                <input type="radio" id=format!("truong-hop-{index}") name=field::CASE value=index.to_string() required />
                                <label for=format!("truong-hop-{index}")>{case.name.clone()}</label>
                            </div>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="secondary">{s.choose_case}</button>
                </form>
            }.into_any(),
            (_, case) => {
                let case_index = case.unwrap_or(0);
                let documents = procedure.cases[case_index].documents.clone();
                let values: BTreeMap<String, String> = feedback.values.clone();
                let ticked = move |name: &str| values.get(name).is_some_and(|v| !v.is_empty());
                view! {
                    {error_summary(t, &feedback.problems)}
                    <form method="post" action=INTAKE class="stack">
                        <input type="hidden" name=action_field::CSRF value=me.csrf_token.clone() />
                        <input type="hidden" name=intake_field::PROCEDURE value=procedure.code.clone() />
                        <input type="hidden" name=field::CASE value=case_index.to_string() />
                        {several.then(|| view! { <p><strong>{f.case_legend}": "</strong>{procedure.cases[case_index].name.clone()}</p> })}
                        <h2>{s.applicant}</h2>
                        {text_input(t, &feedback.values, &feedback, field::FULL_NAME, f.full_name, None, line("text", "text", "off", "100", true))}
                        {text_input(t, &feedback.values, &feedback, field::PHONE, f.phone, Some(s.leave_empty_if_citizen), line("tel", "tel", "off", "20", false))}
                        {text_input(t, &feedback.values, &feedback, field::CITIZEN_ID, f.citizen_id, None, line("text", "numeric", "off", "20", true))}
                        {text_input(t, &feedback.values, &feedback, field::ADDRESS, f.address, None, line("text", "text", "off", "300", true))}
                        {result_delivery_choice(t, &feedback.values, &feedback)}
                        <h2>{s.documents_received}</h2>
                        <table class="documents">
                            <thead><tr>
                                <th scope="col">{s.document}</th>
                                <th scope="col">{s.received_tick}</th>
                                <th scope="col">{s.scanned_tick}</th>
                            </tr></thead>
                            <tbody>
                                {documents.iter().enumerate().map(|(index, document)| {
                                    let received = intake_field::received(index);
                                    let scanned = intake_field::scanned(index);
                                    let problem = feedback.problem(&received);
                                    view! {
                                        <tr class=problem.map(|_| "has-error")>
                                            <th scope="row">
                                                <span id=format!("{received}-ten")>{document.name.clone()}</span>
                                                {(document.required && !document.present_only).then(|| view! { " " <span class="tag">{f.required}</span> })}
                                                {problem_message(t, &received, problem)}
                                            </th>
                                            <td><input type="checkbox" id=received.clone() name=received.clone() value="1" checked=ticked(&received) aria-labelledby=format!("{received}-ten") /></td>
                                            <td><input type="checkbox" id=scanned.clone() name=scanned.clone() value="1" checked=ticked(&scanned) aria-label=format!("{} {}", s.scanned_tick, document.name) /></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {textarea(t, &feedback, intake_field::NOTE.to_owned(), intake_field::NOTE, s.note_citizen_optional, None, false)}
                        <button type="submit" class="primary">{s.accept_print_receipt}</button>
                    </form>
                }.into_any()
            }
        }
    });
    view! {
        <Title text=title_text(format!("{} · {}", s.action(Action::CounterIntake), t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.action(Action::CounterIntake)}</h1>
        <p>{s.register_dossier_brought_counter}</p>
        {chooser}
        {body}
    }
}
