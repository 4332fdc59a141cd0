//! The e-form step, `/ho-so-nhap/{token}/to-khai`: the chosen case's declaration asked as
//! questions (`domain::declaration`), posted to `server::routes::filing::save_declaration`.

use super::{Step, feedback, opened_from_review, step_header, with_draft};
use crate::api::DraftView;
use crate::domain::declaration::{Answer, Question, Words};
use crate::domain::feedback::FormFeedback;
use crate::domain::filing::field;
use crate::i18n::Texts;
use crate::pages::forms::{error_id, error_summary, hint_id, problem_message};
use crate::pages::layout::{escaped, set_status};
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn DeclarationStepPage() -> impl IntoView {
    with_draft(|draft| view! { <DeclarationStep draft /> })
}

#[component]
fn DeclarationStep(draft: DraftView) -> impl IntoView {
    let t = use_texts();
    let f = t.filing;
    let (Some(applicant), Some(form)) = (draft.applicant.clone(), draft.declared_form()) else {
        // No case chosen yet, or a case without an e-form: the steps around it say what to do.
        let next = if draft.applicant.is_none() {
            paths::draft_applicant(&draft.token)
        } else {
            paths::draft_documents(&draft.token)
        };
        return view! {
            {step_header(t, &draft, Step::Declaration)}
            <p><a class="button primary" href=next>{f.save_continue}</a></p>
        }
        .into_any();
    };
    let feedback = feedback();
    if !feedback.problems.is_empty() {
        set_status(422);
    }
    let values = if feedback.values.is_empty() {
        draft
            .fitting_declaration()
            .map(|declaration| declaration.to_form())
            .unwrap_or_default()
    } else {
        feedback.values.clone()
    };
    let back_to_review = opened_from_review(&values);
    let sections = form
        .sections()
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let heading_id = format!("phan-{index}");
            let labelled_by = heading_id.clone();
            let questions = section
                .questions
                .iter()
                .map(|question| question_field(t, question, &values, &feedback))
                .collect_view();
            view! {
                <section class="form-section" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{t.lang.pick(section.heading)}</h2>
                    {questions}
                </section>
            }
        })
        .collect_view();
    view! {
        {step_header(t, &draft, Step::Declaration)}
        {error_summary(t, &feedback.problems)}
        <p class="form-title">
            <strong>{t.lang.pick(form.title())}</strong>
            <span class="hint">" · " {form.basis()}</span>
        </p>
        <p>{f.declaration_intro}</p>
        <p class="hint">{f.declaration_requester(&applicant.full_name)}</p>
        <form method="post" action=paths::draft_declaration(&draft.token) class="stack" novalidate>
            {back_to_review.then(|| view! { <input type="hidden" name=field::RETURN_TO value=field::RETURN_TO_REVIEW /> })}
            {sections}
            <button type="submit" class="primary">{f.save_continue}</button>
        </form>
        <p>
            <a href=paths::draft_applicant(&draft.token)>{f.back}</a>
        </p>
    }
    .into_any()
}

/// One question: its label, hint, message and input, named by the question's key (which the
/// error summary links to).
fn question_field(
    t: &'static Texts,
    question: &Question,
    values: &BTreeMap<String, String>,
    feedback: &FormFeedback,
) -> impl IntoView + use<> {
    let name = question.key;
    let problem = feedback.problem(name);
    let value = values.get(name).cloned().unwrap_or_default();
    let hint = question.hint.map(|hint| t.lang.pick(hint));
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id(name));
    }
    if problem.is_some() {
        described.push(error_id(name));
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    let class = if problem.is_some() {
        "field has-error"
    } else {
        "field"
    };
    let label = label_text(t, question.label, question.required);
    let hint_view = hint.map(|hint| view! { <p class="hint" id=hint_id(name)>{hint}</p> });
    let invalid = problem.map(|_| "true");
    let input = match question.answer {
        Answer::Choice(choices) => {
            let options = choices
                .iter()
                .map(|choice| {
                    let id = format!("{name}-{}", choice.key);
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=name value=choice.key checked=value == choice.key />
                            <label for=id>{t.lang.pick(choice.words)}</label>
                        </div>
                    }
                })
                .collect_view();
            return view! {
                <fieldset id=name class=class aria-describedby=described>
                    <legend>{label}</legend>
                    {hint_view}
                    {problem_message(t, name, problem)}
                    {options}
                </fieldset>
            }
            .into_any();
        }
        Answer::Text(max) => view! {
            <input id=name name=name type="text" maxlength=max.to_string() autocomplete="off" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        Answer::LongText => view! {
            <textarea id=name name=name rows="3" maxlength="2000" aria-describedby=described aria-invalid=invalid>
                {escaped(&value)}
            </textarea>
        }
        .into_any(),
        Answer::PastDate | Answer::BirthDateAged(_) => view! {
            <input id=name name=name type="date" min="1900-01-01" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        Answer::Year => view! {
            <input id=name name=name type="text" inputmode="numeric" maxlength="4" autocomplete="off" class="short" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        Answer::CitizenId => view! {
            <input id=name name=name type="text" inputmode="numeric" maxlength="14" autocomplete="off" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        Answer::Count(max) => view! {
            <input id=name name=name type="number" inputmode="numeric" min="0" max=max.to_string() class="short" value=value aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
    };
    view! {
        <div class=class>
            <label for=name>{label}</label>
            {hint_view}
            {problem_message(t, name, problem)}
            {input}
        </div>
    }
    .into_any()
}

fn label_text(t: &'static Texts, label: Words, required: bool) -> String {
    if required {
        t.lang.pick(label).to_owned()
    } else {
        format!("{} {}", t.lang.pick(label), t.filing.if_any)
    }
}
