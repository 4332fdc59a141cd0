//! `/tra-cuu?ma=…&khoa=…`: a dossier's status, its timeline, what the citizen must do next,
//! and what they may do (add documents, withdraw, rate). Every action is a plain form posted
//! to `server::routes::tracking`, which redirects back here.

pub mod receipt;

use crate::api::{Lookup, StatusPage, get_status};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::dossier::PhoneNumber;
use crate::domain::feedback::FormFeedback;
use crate::domain::filing::{UploadLimits, field};
use crate::domain::lifecycle::{Status, Timeliness};
use crate::domain::notifications::Channel;
use crate::domain::tracking::{
    EventDetails, Rating, lookup_field, mask_name, rating_field, supplement_slots,
};
use crate::i18n::Texts;
use crate::pages::forms::{notify_choice, problem_message};
use crate::pages::layout::{ServerError, escaped, term, title_text};
use crate::pages::upload::UploadProgress;
use crate::{paths, use_texts};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use receipt::{Limited, LookupForm, code_and_key, private_page};
use std::collections::BTreeMap;

#[component]
pub fn StatusRoute() -> impl IntoView {
    dossier_page(|page| view! { <StatusView page /> }.into_any())
}

/// `/tra-cuu/bo-sung?ma=…&khoa=…`: the papers asked for, sent from the phone. A page of its own
/// so that only it loads the upload island (shrinking, progress, sizes checked first), while the
/// status page stays plain HTML.
#[component]
pub fn SupplementRoute() -> impl IntoView {
    dossier_page(|page| view! { <SupplementView page /> }.into_any())
}

/// A page about one dossier, found by its code and key (the lookup form when not found).
fn dossier_page(shown: fn(StatusPage) -> AnyView) -> impl IntoView {
    private_page();
    let (code, key) = code_and_key();
    let asked = !code.is_empty() || !key.is_empty();
    let status = Resource::new_blocking(
        move || (code.clone(), key.clone()),
        move |(code, key)| async move {
            if asked {
                get_status(code, key).await
            } else {
                Ok(Lookup::NotFound)
            }
        },
    );
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(Lookup::Found(page)) => shown(*page),
                    Ok(Lookup::NotFound) => view! { <LookupForm not_found=asked /> }.into_any(),
                    Ok(Lookup::Mistyped { code, key }) => view! { <LookupForm not_found=false mistyped=(code, key) /> }.into_any(),
                    Ok(Lookup::Limited { retry_minutes }) => view! { <Limited retry_minutes /> }.into_any(),
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn day_and_time(at: i64) -> String {
    format!(
        "{} {}",
        Date::in_vietnam(at).day_month_year(),
        vietnam_clock_time(at)
    )
}

/// The hidden fields that name the dossier in every form of the page.
fn dossier_fields(code: &str, key: &str) -> impl IntoView + use<> {
    view! {
        <input type="hidden" name=lookup_field::CODE value=code.to_owned() />
        <input type="hidden" name=lookup_field::KEY value=key.to_owned() />
    }
}

/// Links to the papers the center sent about the dossier (Mẫu 02–05), each with its PDF.
fn papers_section(
    t: &'static crate::i18n::Texts,
    code: &str,
    key: &str,
    events: &[crate::domain::tracking::Event],
) -> impl IntoView + use<> {
    let papers = crate::domain::papers::issued_papers(events);
    let p = t.papers;
    (!papers.is_empty()).then(|| {
        view! {
            <section aria-labelledby="phieu">
                <h2 id="phieu">{p.papers_heading}</h2>
                <p>{p.papers_intro}</p>
                <ul>
                    {papers
                        .into_iter()
                        .map(|(kind, event)| view! {
                            <li>
                                <a href=paths::citizen_paper(code, key, event, false)>{t.papers.link(kind)}</a>
                                " · "
                                <a href=paths::citizen_paper(code, key, event, true)>"PDF"</a>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn StatusView(page: StatusPage) -> impl IntoView {
    let t = use_texts();
    let k = t.tracking;
    let f = t.filing;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    if !feedback.problems.is_empty() {
        crate::pages::layout::set_status(422);
    }
    let receipt = &page.receipt.receipt;
    let code = receipt.code.clone();
    let key = page.receipt.lookup_key.clone();
    let status = receipt.status;
    let latest = page.events.last().cloned();
    let phone = PhoneNumber::parse(&receipt.applicant_phone)
        .map(|p| p.masked())
        .unwrap_or_default();
    // In the citizen's words: when to expect the result, or that the clock waits for them; the
    // staff's "due soon" is not theirs to worry about, only a promise already broken.
    let expected = match status {
        Status::SupplementRequested => k.paused_supplement.to_owned(),
        Status::FeeRequested => k.paused_fee.to_owned(),
        _ => match (&page.due_date, &page.due_time) {
            (Some(date), Some(time)) => f.at_time(date, time),
            (Some(date), None) => date.clone(),
            (None, _) => f.appointment_later.to_owned(),
        },
    };
    let late = page.timeliness == Timeliness::Overdue;
    let waits_for_citizen = matches!(status, Status::SupplementRequested | Status::FeeRequested);
    let supplement_sent =
        status == Status::SupplementRequested && !page.supplement_uploaded.is_empty();
    let apology = page
        .events
        .iter()
        .rev()
        .find_map(|event| match &event.details {
            Some(EventDetails::Apology { new_date, text }) => Some((*new_date, text.clone())),
            _ => None,
        });
    view! {
        <Title text=title_text(format!("{} {} · {}", k.title, code, t.site_name)) />
        <h1>{k.title}</h1>
        <p class="code big">{code.clone()}</p>
        <dl class="summary">
            <div>
                <dt>{f.status}</dt>
                <dd>
                    <strong>{f.status_name(receipt.status)}</strong>
                    {late.then(|| view! { " " <span class="badge late">{k.past_promised}</span> })}
                </dd>
            </div>
            {term(k.due_date, expected)}
            {term(f.procedure_label, receipt.procedure_name.clone())}
            {term(f.received_at, day_and_time(receipt.received_at))}
            {term(f.applicant, mask_name(&receipt.applicant_name))}
            {term(f.phone_short, phone)}
        </dl>
        {apology.map(|(new_date, text)| view! {
            <section class="apology" aria-labelledby="xin-loi">
                <h2 id="xin-loi">{k.apology_heading}</h2>
                <p class="prewrap">{text}</p>
                <p><strong>{k.new_date}": "</strong>{new_date.day_month_year()}</p>
            </section>
        })}
        <section class="todo" aria-labelledby="can-lam">
            <h2 id="can-lam">{k.todo_heading}</h2>
            // What the officer wrote comes first: it is why the citizen is asked.
            {latest
                .as_ref()
                .filter(|event| waits_for_citizen && !event.public_note.is_empty())
                .map(|event| view! { <p class="officer-note"><strong>{k.officer_note}": "</strong><span class="prewrap">{event.public_note.clone()}</span></p> })}
            {(!supplement_sent).then(|| view! { <p>{k.next_step(receipt.status)}</p> })}
            {latest.as_ref().and_then(|event| event.details.clone()).map(|details| request_details(t, details))}
            {(status == Status::SupplementRequested).then(|| supplement_way(t, &code, &key, &page.supplement_uploaded))}
        </section>
        {page.receipt.certified_copy.clone().map(|copy| receipt::certified_copy_section(t, &copy, &code, &key))}
        {matches!(status, Status::ResultReady | Status::HandedOver)
            .then(|| rating_section(t, &code, &key, page.rating.clone(), &feedback))}
        {notify_section(t, &code, &key, receipt.notify, &feedback)}
        <section aria-labelledby="qua-trinh">
            <h2 id="qua-trinh">{k.timeline_heading}</h2>
            <ol class="timeline">
                {page
                    .events
                    .iter()
                    .map(|event| {
                        view! {
                            <li>
                                <span class="when">{day_and_time(event.at)}</span>
                                <strong>
                                    {match &event.details {
                                        Some(EventDetails::Apology { new_date, .. }) => format!("{}: {} {}", k.apology_heading, k.new_date.to_lowercase(), new_date.day_month_year()),
                                        _ => f.status_name(event.status).to_owned(),
                                    }}
                                </strong>
                                {(!event.public_note.is_empty()).then(|| view! { <p class="prewrap">{event.public_note.clone()}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        {page.receipt.receipt.declaration.map(|form| view! {
            <p class="declaration-link">
                <a href=paths::citizen_declaration(&code, &key, false)>{k.declaration_link}</a>
                " (" {t.lang.pick(form.title())} ") · "
                <a href=paths::citizen_declaration(&code, &key, true)>"PDF"</a>
            </p>
        })}
        {papers_section(t, &code, &key, &page.events)}
        <p>
            <a href=paths::receipt(&code, &key)>{k.see_receipt}</a>
        </p>
        {status
            .can_become(Status::Withdrawn)
            .then(|| {
                let problem = feedback.problem(lookup_field::CONFIRM_WITHDRAWAL);
                view! {
                    <details class="withdraw" open=problem.is_some()>
                        <summary>{k.withdraw_heading}</summary>
                        <form method="post" action=paths::WITHDRAW class="stack">
                            {dossier_fields(&code, &key)}
                            {problem_message(t, lookup_field::CONFIRM_WITHDRAWAL, problem)}
                            <div class="choice">
                                <input type="checkbox" id=lookup_field::CONFIRM_WITHDRAWAL name=lookup_field::CONFIRM_WITHDRAWAL value="1" required />
                                <label for=lookup_field::CONFIRM_WITHDRAWAL>{k.withdraw_confirm}</label>
                            </div>
                            <button type="submit" class="secondary">{k.withdraw_button}</button>
                        </form>
                    </details>
                }
            })}
    }
}

/// How the citizen is told of news, and the form to change it (when the center sends any).
fn notify_section(
    t: &'static Texts,
    code: &str,
    key: &str,
    current: Channel,
    feedback: &FormFeedback,
) -> impl IntoView + use<> {
    let k = t.tracking;
    let offered = crate::pages::filing::offered_channels();
    let problem = feedback.problem(field::NOTIFY);
    let values = if problem.is_some() {
        feedback.values.clone()
    } else {
        BTreeMap::from([(field::NOTIFY.to_owned(), current.key().to_owned())])
    };
    let push_offer = push_offer(t, code, key);
    (!offered.is_empty() || current != Channel::None || push_offer.is_some()).then(|| {
        view! {
            <section aria-labelledby="cach-bao-tin">
                <h2 id="cach-bao-tin">{k.notify_heading}</h2>
                <p>{k.notify_now}" "<strong>{t.filing.notify_channel(current)}</strong></p>
                {push_offer}
                {(!offered.is_empty()).then(|| view! {
                    <details class="notify" open=problem.is_some()>
                        <summary>{k.notify_change}</summary>
                        <form method="post" action=paths::NOTIFY_CHOICE class="stack">
                            {dossier_fields(code, key)}
                            {notify_choice(t, &values, feedback, &offered, false)}
                            <button type="submit" class="secondary">{k.notify_save}</button>
                        </form>
                    </details>
                })}
            </section>
        }
    })
}

/// "Báo cho tôi trên điện thoại này", when web push is on: hidden until the script finds a
/// browser that can take push messages (with JavaScript off, or on a browser without them,
/// the offer is not shown).
pub(crate) fn push_offer(
    t: &'static Texts,
    code: &str,
    key: &str,
) -> Option<impl IntoView + use<>> {
    let k = t.tracking;
    let public_key = use_context::<crate::SiteInfo>().and_then(|site| site.push_public_key)?;
    Some(view! {
        <div class="push-offer" hidden data-key=public_key data-code=code.to_owned() data-lookup=key.to_owned() data-action=paths::PUSH_SUBSCRIBE data-worker=paths::PUSH_WORKER>
            <button type="button" class="secondary">{k.push_offer}</button>
            <p class="hint">{k.push_hint}</p>
            <p class="field-error push-failed" role="alert" hidden>{k.push_failed}</p>
        </div>
        <script src=paths::PUSH_SCRIPT defer nonce=leptos::nonce::use_nonce()></script>
    })
}

/// What the latest status change asks or tells, beyond its note.
fn request_details(t: &'static Texts, details: EventDetails) -> impl IntoView + use<> {
    let k = t.tracking;
    match details {
        EventDetails::Supplement {
            documents,
            deadline,
        } => view! {
            <ul>{documents.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            <p><strong>{k.supplement_deadline}": "</strong>{deadline.day_month_year()}</p>
        }
        .into_any(),
        EventDetails::Fee {
            amount_dong,
            how_to_pay,
        } => view! {
            <p class="amount"><strong>{k.amount(amount_dong)}</strong></p>
            <p><strong>{k.pay_how}": "</strong>{how_to_pay}</p>
        }
        .into_any(),
        EventDetails::Result { pickup, number } => view! {
            {(!number.is_empty()).then(|| view! { <p><strong>{k.result_number}": "</strong>{number.clone()}</p> })}
            <p><strong>{k.pickup_where}": "</strong>{pickup}</p>
        }
        .into_any(),
        EventDetails::Reason { text } => view! {
            <p><strong>{k.reason}": "</strong>{text}</p>
        }
        .into_any(),
        EventDetails::Collected { by, .. } => view! {
            <p><strong>{t.papers.collected_by}": "</strong>{by}</p>
        }
        .into_any(),
        // What the clerk checked at intake is the center's record, not a request to the citizen.
        EventDetails::Apology { .. } | EventDetails::Checked { .. } => ().into_any(),
    }
}

/// Status 5 on the status page: what was sent, and the way to the page that sends papers.
fn supplement_way(
    t: &'static Texts,
    code: &str,
    key: &str,
    uploaded: &[(String, usize)],
) -> impl IntoView + use<> {
    let k = t.tracking;
    let href = paths::supplement(code, key);
    if uploaded.is_empty() {
        view! { <p><a class="button primary" href=href>{k.supplement_upload}</a></p> }.into_any()
    } else {
        view! {
            {sent_summary(t, uploaded)}
            // Once sent, the page stops asking: more papers stay one tap away.
            <p><a href=href>{k.supplement_more}</a></p>
        }
        .into_any()
    }
}

/// "Sent, waiting for the officer", with what was sent.
fn sent_summary(t: &'static Texts, uploaded: &[(String, usize)]) -> impl IntoView + use<> {
    let k = t.tracking;
    let f = t.filing;
    let sent = uploaded
        .iter()
        .map(|(name, count)| format!("{name} ({})", f.files_count(*count)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <p class="success" role="status"><strong>{k.supplement_waiting}</strong><br />{sent}</p>
    }
}

#[component]
fn SupplementView(page: StatusPage) -> impl IntoView {
    let t = use_texts();
    let k = t.tracking;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    if !feedback.problems.is_empty() {
        crate::pages::layout::set_status(422);
    }
    let code = page.receipt.receipt.code.clone();
    let key = page.receipt.lookup_key.clone();
    let request = page
        .events
        .last()
        .filter(|event| event.status == Status::SupplementRequested)
        .and_then(|event| match &event.details {
            Some(EventDetails::Supplement { documents, .. }) => {
                Some((event.clone(), documents.clone()))
            }
            _ => None,
        });
    let body = match (page.receipt.receipt.status, request) {
        (Status::SupplementRequested, Some((event, documents))) => view! {
            {(!event.public_note.is_empty()).then(|| view! { <p class="officer-note"><strong>{k.officer_note}": "</strong><span class="prewrap">{event.public_note.clone()}</span></p> })}
            {event.details.clone().map(|details| request_details(t, details))}
            {supplement_form(t, &code, &key, documents, &page.supplement_uploaded, page.upload_limits, &feedback)}
        }
        .into_any(),
        // Nothing asked for (any more): the status page says where the dossier stands.
        _ => view! { <p>{k.nothing_to_send}</p> }.into_any(),
    };
    view! {
        <Title text=title_text(format!("{} {} · {}", k.supplement_upload, code, t.site_name)) />
        <h1>{k.supplement_upload}</h1>
        <p class="code big">{code.clone()}</p>
        {body}
        <p><a href=paths::status(&code, &key)>{k.back_to_status}</a></p>
    }
}

/// Status 5: a file input per missing document (and one for other papers), posted as
/// multipart, after what was sent already.
fn supplement_form(
    t: &'static Texts,
    code: &str,
    key: &str,
    documents: Vec<String>,
    uploaded: &[(String, usize)],
    limits: UploadLimits,
    feedback: &FormFeedback,
) -> impl IntoView + use<> {
    let k = t.tracking;
    let f = t.filing;
    let general = feedback.problem(field::UPLOADS);
    let slots = supplement_slots(&documents);
    let other = slots.len() - 1;
    view! {
        {(!uploaded.is_empty()).then(|| sent_summary(t, uploaded))}
        {general.map(|p| view! { <p class="field-error">{t.problem(p)}</p> })}
        <form id=field::UPLOADS method="post" action=paths::SUPPLEMENT enctype="multipart/form-data" class="stack">
            {dossier_fields(code, key)}
            {slots
                .into_iter()
                .enumerate()
                .map(|(index, name)| {
                    let input = field::document(index);
                    let problem = feedback.problem(&input);
                    // The last slot's stored name is data; its label is in the page's language.
                    let label = if index == other { k.other_papers.to_owned() } else { name };
                    view! {
                        <div class=if problem.is_some() { "field has-error" } else { "field" }>
                            <label for=input.clone()>{label}</label>
                            {problem_message(t, &input, problem)}
                            <input type="file" id=input.clone() name=input multiple accept="image/jpeg,image/png,application/pdf" />
                        </div>
                    }
                })
                .collect_view()}
            <p class="hint">{f.upload_limits(limits)}</p>
            // The same island as the documents step: photos made smaller, sizes checked before
            // sending, progress shown.
            <UploadProgress t per_file=limits.per_file send_on_choice=false />
            <button type="submit" class="primary">{k.supplement_upload}</button>
        </form>
    }
}

/// Statuses 9 and 10: the one-tap rating, or the rating already recorded.
fn rating_section(
    t: &'static Texts,
    code: &str,
    key: &str,
    rating: Option<Rating>,
    feedback: &FormFeedback,
) -> impl IntoView + use<> {
    let k = t.tracking;
    if let Some(rating) = rating {
        return view! {
            <section class="rating" aria-labelledby="danh-gia">
                <h2 id="danh-gia">{k.rating_heading}</h2>
                <p class="success">{k.rating_recorded}</p>
                <p><strong>{k.rating_levels[usize::from(rating.overall.min(2))]}</strong></p>
                {(!rating.reason.is_empty()).then(|| view! { <p class="prewrap">{rating.reason.clone()}</p> })}
            </section>
        }
        .into_any();
    }
    let question = |name: &'static str, legend: &'static str, answers: [&'static str; 3]| {
        let chosen = feedback.value(name).unwrap_or_default().to_owned();
        view! {
            <fieldset>
                <legend>{legend}</legend>
                {(0..3u8)
                    .rev()
                    .map(|score| {
                        let id = format!("{name}-{score}");
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name=name value=score.to_string() checked=chosen == score.to_string() />
                                <label for=id>{answers[usize::from(score)]}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    };
    let reason_problem = feedback.problem(rating_field::REASON);
    let overall_problem = feedback.problem(rating_field::OVERALL);
    let reason = feedback
        .value(rating_field::REASON)
        .unwrap_or_default()
        .to_owned();
    view! {
        <section class="rating" aria-labelledby="danh-gia">
            <h2 id="danh-gia">{k.rating_heading}</h2>
            <form method="post" action=paths::RATE class="stack">
                {dossier_fields(code, key)}
                <p class="hint">{k.rating_optional}</p>
                {question(rating_field::COUNTER_VISITS, k.rating_visits, k.rating_visits_answers)}
                {question(rating_field::AGENCIES, k.rating_agencies, k.rating_agencies_answers)}
                {question(rating_field::ATTITUDE, k.rating_attitude, k.rating_attitude_answers)}
                {question(rating_field::ONLINE_EASE, k.rating_ease, k.rating_ease_answers)}
                <div class=if reason_problem.is_some() { "field has-error" } else { "field" }>
                    <label for=rating_field::REASON>{k.rating_reason}</label>
                    {problem_message(t, rating_field::REASON, reason_problem)}
                    <textarea id=rating_field::REASON name=rating_field::REASON rows="3" maxlength="1000" aria-invalid=reason_problem.map(|_| "true")>{escaped(&reason)}</textarea>
                </div>
                <fieldset id=rating_field::OVERALL>
                    <legend>{k.rating_overall}</legend>
                    {overall_problem.map(|p| view! { <p class="field-error">{t.problem(p)}</p> })}
                    <div class="rating-buttons">
                        {(0..3u8)
                            .rev()
                            .map(|score| view! {
                                <button type="submit" name=rating_field::OVERALL value=score.to_string() class=if score == 0 { "secondary" } else { "primary" }>
                                    {k.rating_levels[usize::from(score)]}
                                </button>
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            </form>
        </section>
    }
    .into_any()
}
