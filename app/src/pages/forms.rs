//! The pieces every form of the site is built from: inputs with their label, hint and
//! message, and the summary of what was refused (`domain::feedback`).

use crate::domain::feedback::{FormFeedback, Problem};
use crate::i18n::Texts;
use crate::pages::layout::escaped;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The id of a field's hint, which its input names in `aria-describedby`.
pub(crate) fn hint_id(name: &str) -> String {
    format!("{name}-goi-y")
}

/// The id of a field's message, which its input names in `aria-describedby`.
pub(crate) fn error_id(name: &str) -> String {
    format!("{name}-loi")
}

/// The message under a field, with the id its input points to.
pub(crate) fn problem_message(
    t: &'static Texts,
    name: &str,
    problem: Option<Problem>,
) -> impl IntoView + use<> {
    problem.map(|problem| {
        view! {
            <p class="field-error" id=error_id(name)>
                {t.problem(problem)}
            </p>
        }
    })
}

/// The list of problems at the top of a refused form, each linking to its field.
pub(crate) fn error_summary(
    t: &'static Texts,
    problems: &BTreeMap<String, Problem>,
) -> impl IntoView + use<> {
    error_summary_naming(t, problems, &|_| None)
}

/// `error_summary` whose lines start with what `subject` says a field is about (a paper of a
/// list, where every row has the same message).
pub(crate) fn error_summary_naming(
    t: &'static Texts,
    problems: &BTreeMap<String, Problem>,
    subject: &dyn Fn(&str) -> Option<String>,
) -> impl IntoView + use<> {
    (!problems.is_empty()).then(|| {
        let lines: Vec<(String, String)> = problems
            .iter()
            .map(|(name, problem)| {
                let message = t.problem(*problem);
                let line = match subject(name) {
                    Some(subject) => format!("{subject}: {message}"),
                    None => message.to_owned(),
                };
                (name.clone(), line)
            })
            .collect();
        view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{t.filing.errors_heading}</h2>
                <ul>
                    {lines
                        .into_iter()
                        .map(|(name, line)| view! { <li><a href=format!("#{name}")>{line}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A text input with its label, hint and message; the value as typed or as saved.
pub(crate) fn text_input(
    t: &'static Texts,
    values: &BTreeMap<String, String>,
    feedback: &FormFeedback,
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    attributes: InputKind,
) -> impl IntoView + use<> {
    let problem = feedback.problem(name);
    let value = values.get(name).cloned().unwrap_or_default();
    // Only a textarea needs this: input values are attributes, which Leptos escapes.
    let text = escaped(&value);
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(hint_id(name));
    }
    if problem.is_some() {
        described.push(error_id(name));
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    let input = match attributes {
        InputKind::Multiline => view! {
            <textarea
                id=name
                name=name
                rows="2"
                maxlength="300"
                autocomplete="street-address"
                aria-describedby=described
                aria-invalid=problem.map(|_| "true")
            >
                {text}
            </textarea>
        }
        .into_any(),
        InputKind::Line {
            kind,
            mode,
            autocomplete,
            max,
            required,
        } => view! {
            <input
                id=name
                name=name
                type=kind
                inputmode=mode
                autocomplete=autocomplete
                maxlength=max
                required=required
                value=value
                aria-describedby=described
                aria-invalid=problem.map(|_| "true")
            />
        }
        .into_any(),
    };
    view! {
        <div class=if problem.is_some() { "field has-error" } else { "field" }>
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id(name)>{hint}</p> })}
            {problem_message(t, name, problem)}
            {input}
        </div>
    }
}

#[derive(Clone, Copy)]
pub(crate) enum InputKind {
    Line {
        kind: &'static str,
        mode: &'static str,
        autocomplete: &'static str,
        max: &'static str,
        required: bool,
    },
    Multiline,
}

pub(crate) const fn line(
    kind: &'static str,
    mode: &'static str,
    autocomplete: &'static str,
    max: &'static str,
    required: bool,
) -> InputKind {
    InputKind::Line {
        kind,
        mode,
        autocomplete,
        max,
        required,
    }
}

/// Where the citizen wants the result (Mẫu 01), as radios; "at the center" when none is chosen.
pub(crate) fn result_delivery_choice(
    t: &'static Texts,
    values: &BTreeMap<String, String>,
    feedback: &FormFeedback,
) -> impl IntoView + use<> {
    use crate::domain::filing::{ResultDelivery, field::RESULT_DELIVERY};
    let chosen = values
        .get(RESULT_DELIVERY)
        .and_then(|key| ResultDelivery::from_key(key))
        .unwrap_or_default();
    let problem = feedback.problem(RESULT_DELIVERY);
    let options = <ResultDelivery as strum::VariantArray>::VARIANTS.iter().map(move |delivery| {
        let id = format!("{RESULT_DELIVERY}-{}", delivery.key());
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name=RESULT_DELIVERY value=delivery.key() checked=*delivery == chosen />
                <label for=id>{t.filing.result_delivery(*delivery)}</label>
            </div>
        }
    });
    view! {
        <fieldset id=RESULT_DELIVERY class=if problem.is_some() { "field has-error" } else { "field" }>
            <legend>{t.filing.result_delivery_legend}</legend>
            {problem_message(t, RESULT_DELIVERY, problem)}
            {options.collect_view()}
        </fieldset>
    }
}

/// How the citizen wants to be told of news, as radios: "not told" and each way the center has
/// set up (none set up: no question at all). With `this_browser` (online filing with web push
/// on), also "this phone's browser", hidden until `public/push.js` finds a browser that can take
/// push messages: with JavaScript off it is never shown.
pub(crate) fn notify_choice(
    t: &'static Texts,
    values: &BTreeMap<String, String>,
    feedback: &FormFeedback,
    offered: &[crate::domain::notifications::Channel],
    this_browser: bool,
) -> impl IntoView + use<> {
    use crate::domain::filing::field::NOTIFY;
    use crate::domain::notifications::Channel;
    let chosen = values
        .get(NOTIFY)
        .and_then(|key| Channel::from_key(key))
        .unwrap_or_default();
    let problem = feedback.problem(NOTIFY);
    let choices: Vec<Channel> = std::iter::once(Channel::None)
        .chain(offered.iter().copied())
        .collect();
    // Only "not told" and a hidden choice: the question shows when the script shows the choice.
    let only_browser = choices.len() == 1;
    (choices.len() > 1 || this_browser).then(|| {
        let radio = move |channel: Channel| {
            let id = format!("{NOTIFY}-{}", channel.key());
            view! {
                <input type="radio" id=id.clone() name=NOTIFY value=channel.key() checked=channel == chosen />
                <label for=id>{t.filing.notify_channel(channel)}</label>
            }
        };
        let options = choices
            .into_iter()
            .map(move |channel| view! { <div class="choice">{radio(channel)}</div> })
            .collect_view();
        let browser = this_browser.then(|| {
            view! {
                <div class="choice push-choice" hidden>{radio(Channel::WebPush)}</div>
                <script src=crate::paths::PUSH_SCRIPT defer nonce=leptos::nonce::use_nonce()></script>
            }
        });
        view! {
            <fieldset
                id=NOTIFY
                hidden=only_browser
                class=if problem.is_some() { "field has-error" } else { "field" }
                aria-describedby=if problem.is_some() { format!("{} {}", hint_id(NOTIFY), error_id(NOTIFY)) } else { hint_id(NOTIFY) }
            >
                <legend>{t.filing.notify_legend}</legend>
                <p class="hint" id=hint_id(NOTIFY)>{t.filing.notify_hint}</p>
                {problem_message(t, NOTIFY, problem)}
                {options}
                {browser}
            </fieldset>
        }
    })
}

/// A textarea with its label and message.
pub(crate) fn textarea(
    t: &'static Texts,
    feedback: &FormFeedback,
    id: String,
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    required: bool,
) -> impl IntoView + use<> {
    let problem = feedback.problem(name);
    let value = escaped(feedback.value(name).unwrap_or_default());
    let message_id = error_id(&id);
    view! {
        <div class=if problem.is_some() { "field has-error" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint">{hint}</p> })}
            {problem_message(t, &id, problem)}
            <textarea
                id=id
                name=name
                rows="3"
                maxlength="1000"
                required=required
                aria-invalid=problem.map(|_| "true")
                aria-describedby=problem.map(|_| message_id)
            >
                {value}
            </textarea>
        </div>
    }
}

/// A one-line input with its label and message; `kind` is the input type.
#[allow(clippy::too_many_arguments)]
pub(crate) fn input(
    t: &'static Texts,
    feedback: &FormFeedback,
    id: String,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    default: String,
    extra: Option<(&'static str, String)>,
) -> impl IntoView + use<> {
    let problem = feedback.problem(name);
    let value = feedback.value(name).map(str::to_owned).unwrap_or(default);
    let message_id = error_id(&id);
    let min = extra
        .filter(|(attribute, _)| *attribute == "min")
        .map(|(_, v)| v);
    view! {
        <div class=if problem.is_some() { "field has-error" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {problem_message(t, &id, problem)}
            <input
                id=id
                name=name
                type=kind
                value=value
                min=min
                maxlength="300"
                aria-invalid=problem.map(|_| "true")
                aria-describedby=problem.map(|_| message_id)
            />
        </div>
    }
}
