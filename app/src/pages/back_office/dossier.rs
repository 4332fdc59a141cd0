//! `/can-bo/ho-so/{code}`: one dossier, its documents, its audit trail and the actions the
//! signed-in role may take.

use super::{StaffNav, staff_page};
use crate::api::{DossierView, ForStaff, staff_dossier};
use crate::domain::back_office::{Action, CITIZEN_ACTOR, StaffDossier, TrailLine, action_field};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::certification::LinkedCopy;
use crate::domain::feedback::FormFeedback;
use crate::domain::intake_checklist::ChecklistItem;
use crate::domain::papers::issued_papers;
use crate::domain::tracking::EventDetails;
use crate::i18n::Texts;
use crate::pages::forms::{error_summary, input, problem_message, textarea};
use crate::pages::layout::title_text;
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::BTreeMap;

/// `/can-bo/ho-so/{code}`: everything about one dossier and what this member may do with it.
#[component]
pub fn StaffDossierPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let page = Resource::new_blocking(move || code.clone(), staff_dossier);
    staff_page(page, |page| view! { <DossierDetail page /> })
}

#[component]
fn DossierDetail(page: ForStaff<DossierView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    let ForStaff { me, page } = page;
    let DossierView {
        dossier,
        today,
        timeliness,
        due_date,
        staff,
        case_documents,
        checklist,
        messages,
        linked_copies,
    } = page;
    let colleagues: Vec<(String, String)> = staff
        .into_iter()
        .filter(|(username, _)| *username != me.member.username)
        .collect();
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let done = use_query_map()
        .with_untracked(|q| q.get(action_field::DONE))
        .and_then(|key| Action::on_a_dossier(&key));
    // Recorded on the dossier before this one ("accept and open the next"): named, as a link.
    let done_on = use_query_map()
        .with_untracked(|q| q.get(action_field::DONE_ON))
        .and_then(|code| crate::domain::dossier::DossierCode::parse(&code).ok())
        .map(|code| code.to_string());
    let actions: Vec<Action> = Action::ON_A_DOSSIER
        .into_iter()
        .filter(|a| me.member.role.may_on(*a, dossier.status) && dossier.allows(*a))
        .collect();
    let open_action = feedback
        .value(action_field::ACTION)
        .and_then(Action::on_a_dossier);
    let applicant = dossier.applicant.clone();
    let holder = dossier.holder.clone().map(|username| {
        colleagues
            .iter()
            .chain(std::iter::once(&(
                me.member.username.clone(),
                me.member.display_name.clone(),
            )))
            .find(|(name, _)| *name == username)
            .map_or(username.clone(), |(_, display)| display.clone())
    });
    view! {
        <Title text=title_text(format!("{} {} · {}", s.dossier, dossier.code, t.site_name)) />
        <StaffNav me=me.clone() />
        <p><a href=super::queue::remembered_queue()>{s.all_dossiers}</a></p>
        <h1>{s.dossier}" "<span class="code">{dossier.code.clone()}</span></h1>
        {done.map(|action| view! {
            <p class="notice" role="status">
                {s.recorded}": "{s.action(action)}
                {done_on.clone().map(|code| view! {
                    " · " <a href=paths::staff_dossier(&code)>{code.clone()}</a> " · " {s.next_dossier_opened}
                })}
            </p>
        })}
        {feedback.problem(action_field::ACTION).map(|problem| view! {
            <p class="field-error" role="alert">{t.problem(problem)}</p>
        })}
        <p class="lead">
            <strong>{f.status_name(dossier.status)}</strong>
            {t.tracking.timeliness(timeliness).map(|label| format!(" · {label}"))}
            {due_date.map(|d| format!(" · {}: {}", s.processing_due, d.day_month_year()))}
        </p>
        {holder.map(|name| view! { <p>{t.papers.holder(name)}</p> })}
        <section aria-labelledby="thu-tuc">
            <h2 id="thu-tuc">{s.procedure}</h2>
            <dl class="facts">
                <div><dt>{s.procedure_name}</dt><dd>{format!("{} ({})", dossier.procedure_name, dossier.procedure_code)}</dd></div>
                {(!dossier.case_name.is_empty()).then(|| view! {
                    <div><dt>{s.case}</dt><dd>{dossier.case_name.clone()}</dd></div>
                })}
                <div><dt>{s.channel_heading}</dt><dd>{s.channel(dossier.channel)}</dd></div>
                <div><dt>{s.received}</dt><dd>{format!("{} {}", vietnam_clock_time(dossier.received_at), Date::in_vietnam(dossier.received_at).day_month_year())}</dd></div>
                {dossier.appointment_date.map(|d| {
                    let shown = match &dossier.appointment_time {
                        Some(time) => f.at_time(d.day_month_year(), time),
                        None => d.day_month_year(),
                    };
                    view! { <div><dt>{f.appointment}</dt><dd>{shown}</dd></div> }
                })}
            </dl>
        </section>
        <section aria-labelledby="nguoi-nop">
            <h2 id="nguoi-nop">{s.applicant}</h2>
            <dl class="facts">
                <div><dt>{f.full_name}</dt><dd>{applicant.full_name.clone()}</dd></div>
                <div><dt>{f.phone}</dt><dd>{if applicant.phone.is_empty() { "—".to_owned() } else { applicant.phone.clone() }}</dd></div>
                <div><dt>{f.citizen_id}</dt><dd>{applicant.citizen_id.clone()}</dd></div>
                <div><dt>{f.address}</dt><dd>{applicant.address.clone()}</dd></div>
                {(!applicant.email.is_empty()).then(|| view! { <div><dt>{f.email}</dt><dd>{applicant.email.clone()}</dd></div> })}
                <div><dt>{f.result_where}</dt><dd>{f.result_delivery(applicant.result_delivery)}</dd></div>
                {applicant.proxy.clone().map(|proxy| view! {
                    <div><dt>{f.proxy_name}</dt><dd>{format!("{} · {} · {}", proxy.full_name, proxy.citizen_id, proxy.relationship)}</dd></div>
                })}
            </dl>
        </section>
        <div class="dossier-work">
        <DossierDocuments dossier=dossier.clone() linked_copies />
        <section class="actions-panel" aria-labelledby="viec-can-lam">
            <h2 id="viec-can-lam">{s.what_you_can_do}</h2>
            {if actions.is_empty() {
                view! { <p>{s.your_role_has_nothing}</p> }.into_any()
            } else {
                actions
                    .into_iter()
                    .map(|action| {
                        let feedback = if open_action == Some(action) { feedback.clone() } else { FormFeedback::default() };
                        view! { <DossierActionForm code=dossier.code.clone() action csrf=me.csrf_token.clone() feedback today colleagues=colleagues.clone() case_documents=case_documents.clone() checklist=checklist.clone() applicant_name=applicant.full_name.clone() applicant_id=applicant.citizen_id.clone() /> }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
        </div>
        <DossierPapers dossier=dossier.clone() />
        <AuditTrail dossier=dossier.clone() />
        <section aria-labelledby="tin-nhan">
            <h2 id="tin-nhan">{s.messages_heading}</h2>
            <p>{s.citizen_told_by}" "<strong>{f.notify_channel(applicant.notify)}</strong></p>
            {(!messages.is_empty()).then(|| {
                let csrf = me.member.role.may(Action::ResendMessage).then_some(me.csrf_token.as_str());
                super::messages::messages_table(t, &messages, csrf, false)
            })}
        </section>
        {dossier.rating.clone().map(|rating| view! {
            <section aria-labelledby="danh-gia">
                <h2 id="danh-gia">{s.citizens_rating}</h2>
                <p>{t.tracking.rating_levels.get(rating.overall as usize).copied().unwrap_or_default()}</p>
                {(!rating.reason.is_empty()).then(|| view! { <p>{rating.reason.clone()}</p> })}
            </section>
        })}
    }
}

/// A reused certified copy under its file: verified or not, and the register's entry.
fn linked_copy(t: &'static Texts, copy: &LinkedCopy) -> impl IntoView + use<> {
    let c = t.certification;
    let verified = copy.verified();
    let signature = copy.check.as_ref().map(|check| check.signature);
    view! {
        <div class=if verified { "linked-copy verified" } else { "linked-copy not-verified" }>
            <p>
                <strong>{if verified { c.linked_verified } else { c.linked_not_verified }}</strong>
            </p>
            <dl class="facts">
                <div><dt>{c.number}</dt><dd>{copy.number.printed()}</dd></div>
                <div><dt>{c.document}</dt><dd>{copy.document.clone()}</dd></div>
                <div><dt>{c.center}</dt><dd>{copy.center_name.clone()}</dd></div>
                <div><dt>{c.certified_on}</dt><dd>{Date::in_vietnam(copy.certified_at).day_month_year()}</dd></div>
                <div><dt>{c.linked_requested_by}</dt><dd>{format!("{} · {}", copy.applicant_name, copy.applicant_id)}</dd></div>
                <div><dt>{c.signature}</dt><dd>{crate::pages::certification::signature_words(t, signature)}</dd></div>
                {copy.annulled.clone().map(|annulled| view! {
                    <div><dt>{c.annulled}</dt><dd>{format!("{} · {}", Date::in_vietnam(annulled.at).day_month_year(), annulled.reason)}</dd></div>
                })}
            </dl>
            <p><a href=paths::verification(&copy.token) target="_blank" rel="noopener">{c.verify_title}</a></p>
        </div>
    }
}

#[component]
fn DossierDocuments(dossier: StaffDossier, linked_copies: Vec<LinkedCopy>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let code = dossier.code.clone();
    view! {
        <section aria-labelledby="giay-to">
            <h2 id="giay-to">{s.documents}</h2>
            {(!dossier.paper_documents.is_empty()).then(|| view! {
                <h3>{s.paper_documents_received}</h3>
                <ul>
                    {dossier.paper_documents.iter().map(|paper| view! {
                        <li>
                            {paper.document_name.clone()}" — "
                            {if paper.scanned { s.scanned } else { s.paper_only }}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {if dossier.files.is_empty() {
                (dossier.paper_documents.is_empty()).then(|| view! { <p>{s.no_files_yet}</p> }).into_any()
            } else {
                view! {
                    <ul class="files">
                        {dossier.files.iter().map(|file| {
                            let href = paths::staff_file(&code, &file.stored_name);
                            let tag = if file.result {
                                Some(s.result)
                            } else if file.supplement {
                                Some(s.supplement)
                            } else {
                                None
                            };
                            let preview = if file.content_type.starts_with("image/") {
                                view! { <img src=href.clone() alt=file.document_name.clone() loading="lazy" /> }.into_any()
                            } else {
                                view! {
                                    <object data=href.clone() type="application/pdf" aria-label=file.document_name.clone()>
                                        <a href=href.clone()>{s.open_pdf}</a>
                                    </object>
                                }.into_any()
                            };
                            view! {
                                <li>
                                    <strong>{file.document_name.clone()}</strong>
                                    {tag.map(|tag| view! { " " <span class="tag">{tag}</span> })}
                                    " · "
                                    <a href=href.clone() target="_blank" rel="noopener">{file.original_name.clone()}</a>
                                    {format!(" ({} KB)", file.size_bytes.div_ceil(1024))}
                                    <details class="preview">
                                        <summary>{s.preview}</summary>
                                        {preview}
                                    </details>
                                    {linked_copies
                                        .iter()
                                        .find(|copy| copy.stored_name == file.stored_name)
                                        .map(|copy| linked_copy(t, copy))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The papers the dossier's history issued (Mẫu 02–05) and its control slip (Mẫu 06).
#[component]
fn DossierPapers(dossier: StaffDossier) -> impl IntoView {
    let t = use_texts();
    let p = t.papers;
    let events: Vec<_> = dossier
        .audit
        .iter()
        .map(|entry| entry.event.clone())
        .collect();
    let code = dossier.code.clone();
    view! {
        <section aria-labelledby="phieu">
            <h2 id="phieu">{p.papers_heading}</h2>
            <ul>
                {issued_papers(&events)
                    .into_iter()
                    .map(|(kind, event)| view! {
                        <li>
                            <a href=paths::staff_paper(&code, event)>{t.papers.link(kind)}</a>
                            " · "
                            <a href=paths::staff_paper_pdf(&code, event)>"PDF"</a>
                        </li>
                    })
                    .collect_view()}
                {dossier.declaration.as_ref().map(|declaration| view! {
                    <li>
                        <a href=paths::staff_declaration(&code)>{format!("{} ({})", t.lang.pick(declaration.form.title()), p.declaration_link)}</a>
                        " · "
                        <a href=paths::staff_declaration_pdf(&code)>"PDF"</a>
                    </li>
                })}
                <li><a href=paths::staff_slip(&code)>{p.control_slip_link}</a></li>
            </ul>
        </section>
    }
}

#[component]
fn AuditTrail(dossier: StaffDossier) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    view! {
        <section aria-labelledby="qua-trinh">
            <h2 id="qua-trinh">{s.history}</h2>
            <ol class="timeline">
                {dossier.trail().into_iter().map(|line| {
                    let at = line.at();
                    let when = format!("{} {}", vietnam_clock_time(at), Date::in_vietnam(at).day_month_year());
                    let entry = match line {
                        TrailLine::Event(entry) => entry,
                        TrailLine::SupplementSent { documents, files, .. } => {
                            return view! {
                                <li class="supplement-sent">
                                    <p><strong>{s.supplement_arrived}</strong>{format!(" · {when} · {}", s.citizen)}</p>
                                    <p class="meta">{format!("{} ({})", documents.join(", "), f.files_count(files))}</p>
                                </li>
                            }
                            .into_any();
                        }
                    };
                    let moved = match entry.from_status {
                        Some(from) if from != entry.event.status => format!("{} → {}", f.status_name(from), f.status_name(entry.event.status)),
                        _ => f.status_name(entry.event.status).to_owned(),
                    };
                    let who = match entry.actor.strip_prefix("can-bo:") {
                        Some(username) => entry.actor_name.clone().unwrap_or_else(|| username.to_owned()),
                        None if entry.actor == CITIZEN_ACTOR => s.citizen.to_owned(),
                        None => entry.actor.clone(),
                    };
                    view! {
                        <li>
                            <p><strong>{moved}</strong>{format!(" · {when} · {who}")}</p>
                            {(!entry.event.public_note.is_empty()).then(|| view! { <p>{entry.event.public_note.clone()}</p> })}
                            {entry.event.details.clone().map(|details| view! { <p class="meta">{details_summary(t, &details)}</p> })}
                        </li>
                    }
                    .into_any()
                }).collect_view()}
            </ol>
        </section>
    }
}

/// One line for what a status change told the citizen.
fn details_summary(t: &'static Texts, details: &EventDetails) -> String {
    let s = t.staff;
    let k = t.tracking;
    match details {
        EventDetails::Supplement {
            documents,
            deadline,
        } => format!(
            "{}: {} ({} {})",
            s.documents_asked,
            documents.join("; "),
            s.due_by,
            deadline.day_month_year()
        ),
        EventDetails::Fee {
            amount_dong,
            how_to_pay,
        } => format!("{} · {how_to_pay}", k.amount(*amount_dong)),
        EventDetails::Result { pickup, number } => {
            format!(
                "{}: {number} · {}: {pickup}",
                k.result_number, k.pickup_where
            )
        }
        EventDetails::Reason { text } => format!("{}: {text}", k.reason),
        EventDetails::Collected {
            by,
            citizen_id,
            relation,
        } => format!("{}: {by} ({citizen_id}, {relation})", t.papers.collected_by),
        EventDetails::Apology { new_date, text } => {
            format!("{}: {} · {text}", k.new_date, new_date.day_month_year())
        }
        EventDetails::Checked { items } => format!("{}: {}", s.checked_at_intake, items.join("; ")),
    }
}

/// The form of one action, folded unless it was just refused.
#[component]
fn DossierActionForm(
    code: String,
    action: Action,
    csrf: String,
    feedback: FormFeedback,
    today: Date,
    /// Whom the dossier can be handed to, as (username, display name).
    colleagues: Vec<(String, String)>,
    /// The papers of the dossier's case, to tick as missing.
    case_documents: Vec<String>,
    /// What to check before accepting.
    checklist: Vec<ChecklistItem>,
    /// Who most likely takes the result: the applicant (name, identity number).
    applicant_name: String,
    applicant_id: String,
) -> impl IntoView {
    use action_field::*;
    let t = use_texts();
    let s = t.staff;
    let open = !feedback.problems.is_empty();
    let key = action.key();
    let id = |name: &str| format!("{key}-{name}");
    let tomorrow = today.add_days(1).iso();
    let fields = match action {
        Action::Refuse | Action::Stop => textarea(t, &feedback, id(REASON), REASON, s.reason_citizen_reads_it, None, true).into_any(),
        Action::RequestSupplement => view! {
            {(!case_documents.is_empty()).then(|| view! {
                <fieldset class="field picked-documents">
                    <legend>{s.documents_pick}</legend>
                    {case_documents.iter().enumerate().map(|(index, name)| {
                        let field = format!("{PICKED_DOCUMENT}{index}");
                        let checkbox = id(&field);
                        let checked = feedback.value(&field).is_some();
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=checkbox.clone() name=field value=name.clone() checked=checked />
                                <label for=checkbox>{name.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            {textarea(t, &feedback, id(DOCUMENTS), DOCUMENTS, s.documents_needed, Some(s.one_document_per_line), case_documents.is_empty())}
            {input(t, &feedback, id(SUPPLEMENT_DEADLINE), SUPPLEMENT_DEADLINE, s.deadline, "date", today.add_days(7).iso(), Some(("min", tomorrow.clone())))}
            {textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen, None, false)}
        }.into_any(),
        Action::RequestFee => view! {
            {input(t, &feedback, id(AMOUNT), AMOUNT, s.amount_dong, "text", String::new(), None)}
            {input(t, &feedback, id(HOW_TO_PAY), HOW_TO_PAY, s.how_pay, "text", s.at_centers_cash_desk.to_owned(), None)}
            {textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen, None, false)}
        }.into_any(),
        Action::MarkResultReady => view! {
            {input(t, &feedback, id(RESULT_NUMBER), RESULT_NUMBER, s.result_number, "text", String::new(), None)}
            {input(t, &feedback, id(PICKUP), PICKUP, s.where_collect_it, "text", s.one_stop_counter_commune.to_owned(), None)}
            <div class=if feedback.problem(RESULT_FILE).is_some() { "field has-error" } else { "field" }>
                <label for=id(RESULT_FILE)>{s.scanned_result_optional}</label>
                {problem_message(t, &id(RESULT_FILE), feedback.problem(RESULT_FILE))}
                <input id=id(RESULT_FILE) name=RESULT_FILE type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
            </div>
            {textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen, None, false)}
        }.into_any(),
        Action::HandOver => {
            let p = t.papers;
            view! {
                {input(t, &feedback, id(COLLECTED_BY), COLLECTED_BY, p.collected_by, "text", applicant_name.clone(), None)}
                {input(t, &feedback, id(COLLECTOR_ID), COLLECTOR_ID, p.collector_id, "text", applicant_id.clone(), Some(("inputmode", "numeric".to_owned())))}
                {input(t, &feedback, id(RELATION), RELATION, p.relation, "text", p.relation_self.to_owned(), None)}
                {textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen_optional, None, false)}
            }
            .into_any()
        }
        Action::Apologise => view! {
            {input(t, &feedback, id(NEW_DATE), NEW_DATE, s.new_date, "date", String::new(), Some(("min", tomorrow.clone())))}
            {textarea(t, &feedback, id(APOLOGY), APOLOGY, s.apology_citizen_reads_it, None, true)}
        }.into_any(),
        Action::PassOn => {
            let p = t.papers;
            let problem = feedback.problem(RECEIVER);
            let chosen = feedback.value(RECEIVER).unwrap_or_default().to_owned();
            view! {
                <div class=if problem.is_some() { "field has-error" } else { "field" }>
                    <label for=id(RECEIVER)>{p.receiver_label}</label>
                    {problem_message(t, &id(RECEIVER), problem)}
                    <select id=id(RECEIVER) name=RECEIVER required aria-invalid=problem.map(|_| "true")>
                        <option value="">{p.receiver_choose}</option>
                        {colleagues.into_iter().map(|(username, name)| {
                            let selected = username == chosen;
                            view! { <option value=username.clone() selected=selected>{format!("{name} ({username})")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {textarea(t, &feedback, id(NOTE), NOTE, p.handover_note, None, false)}
            }
            .into_any()
        }
        Action::Accept => view! {
            {checklist_fields(t, &checklist, &feedback, &id)}
            {textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen_optional, None, false)}
        }
        .into_any(),
        _ => textarea(t, &feedback, id(NOTE), NOTE, s.note_citizen_optional, None, false).into_any(),
    };
    let enctype = (action == Action::MarkResultReady).then_some("multipart/form-data");
    let danger = matches!(action, Action::Refuse | Action::Stop);
    view! {
        <details class="action" open=open>
            <summary>{s.action(action)}</summary>
            {error_summary(t, &feedback.problems.iter().filter(|(name, _)| name.as_str() != action_field::ACTION).map(|(n, p)| (format!("{key}-{n}"), *p)).collect::<BTreeMap<_, _>>())}
            <form method="post" action=paths::staff_action(&code, key) enctype=enctype class="stack">
                <input type="hidden" name=CSRF value=csrf />
                {fields}
                <button type="submit" class=if danger { "secondary" } else { "primary" }>{s.action(action)}</button>
                {(action == Action::Accept).then(|| view! {
                    <button type="submit" name=action_field::OPEN_NEXT value="1" class="secondary">{s.accept_open_next}</button>
                })}
            </form>
        </details>
    }
}

/// The intake checklist of the accept form: a box per item, the required ones marked, the papers
/// the state holds with the database to look them up in.
fn checklist_fields(
    t: &'static crate::i18n::Texts,
    checklist: &[ChecklistItem],
    feedback: &FormFeedback,
    id: &dyn Fn(&str) -> String,
) -> impl IntoView + use<> {
    let s = t.staff;
    (!checklist.is_empty()).then(|| {
        let boxes = checklist
            .iter()
            .map(|item| {
                let field = item.field.clone();
                let checkbox = id(&field);
                let problem = feedback.problem(&field);
                let checked = feedback.value(&field).is_some();
                view! {
                    <div class=if problem.is_some() { "choice has-error" } else { "choice" }>
                        {problem_message(t, &checkbox, problem)}
                        <input type="checkbox" id=checkbox.clone() name=field value="1" checked=checked />
                        <label for=checkbox>
                            {item.label()}
                            {item.required.then(|| view! { " " <span class="tag">{s.checklist_required}</span> })}
                        </label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="field checklist">
                <legend>{s.checklist_legend}</legend>
                <p class="hint">{s.checklist_hint}</p>
                {boxes}
            </fieldset>
        }
    })
}
