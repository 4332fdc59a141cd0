//! The back office's working pages: one dossier with its actions, counter intake and the
//! settings. Plain HTML forms posting to `server::back_office`; every form carries the session's
//! CSRF token, and a role sees only the actions it may take (the server checks again).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::{escaped, title_text};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::apply::{error_summary, line, problem_message, text_input};
use super::layout::{ServerError, set_status};
use super::staff::{
    INTAKE_PATH, LOGIN_PATH, QUEUE_PATH, SETTINGS_PATH, StaffNav, dossier_path, send_to_login,
};
use crate::api::{
    DossierView, ForStaff, IntakeView, SettingsView, StaffPage, staff_dossier, staff_intake,
    staff_settings,
};
use crate::domain::application::{FormFeedback, field};
use crate::domain::calendar::{Date, vietnam_clock_time};
use crate::domain::staff::{Action, Role, StaffDossier, action_field};
use crate::domain::tracking::EventDetails;
use crate::i18n::Texts;
use crate::use_texts;

/// Renders a staff page's data, or what stands in its way: the sign-in redirect, 403, 404.
pub(super) fn staff_page<T, V>(
    page: Resource<Result<StaffPage<T>, crate::error::AppError>>,
    shown: impl Fn(ForStaff<T>) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let s = use_texts().staff;
                match page.await {
                    Ok(StaffPage::Shown(page)) => shown(*page).into_any(),
                    Ok(StaffPage::NotSignedIn) => {
                        send_to_login();
                        view! { <p><a href=LOGIN_PATH>{s.login_title}</a></p> }.into_any()
                    }
                    Ok(StaffPage::Forbidden) => {
                        set_status(403);
                        view! {
                            <h1>{s.pick("Không có quyền", "Not allowed")}</h1>
                            <p>{s.pick("Vai trò của bạn không mở được trang này.", "Your role cannot open this page.")}</p>
                            <p><a href="/can-bo">{s.home_title}</a></p>
                        }
                        .into_any()
                    }
                    Ok(StaffPage::NotFound) => {
                        set_status(404);
                        view! {
                            <h1>{s.pick("Không có hồ sơ này", "No such dossier")}</h1>
                            <p><a href=QUEUE_PATH>{s.queue_title}</a></p>
                        }
                        .into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A textarea with its label and message.
fn textarea(
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
    let error_id = format!("{id}-loi");
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
                aria-describedby=problem.map(|_| error_id)
            >
                {value}
            </textarea>
        </div>
    }
}

/// A one-line input with its label and message; `kind` is the input type.
#[allow(clippy::too_many_arguments)]
fn input(
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
    let error_id = format!("{id}-loi");
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
                aria-describedby=problem.map(|_| error_id)
            />
        </div>
    }
}

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
    } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let done = use_query_map()
        .with_untracked(|q| q.get("xong"))
        .and_then(|key| Action::on_a_dossier(&key));
    let status = crate::domain::lifecycle::Status::from_code(dossier.status);
    let actions: Vec<Action> = Action::ON_A_DOSSIER
        .into_iter()
        .filter(|a| me.member.role.may(*a) && status.is_some_and(|s| a.applies_to(s)))
        .collect();
    let open_action = feedback
        .value(crate::pages::staff::ACTION_FIELD)
        .and_then(Action::on_a_dossier);
    let applicant = dossier.applicant.clone();
    view! {
        <Title text=title_text(format!("{} {} · {}", s.pick("Hồ sơ", "Dossier"), dossier.code, t.site_name)) />
        <StaffNav me=me.clone() />
        <p><a href=QUEUE_PATH>{s.pick("← Danh sách hồ sơ", "← All dossiers")}</a></p>
        <h1>{s.pick("Hồ sơ", "Dossier")}" "<span class="code">{dossier.code.clone()}</span></h1>
        {done.map(|action| view! {
            <p class="notice" role="status">{s.pick("Đã ghi", "Recorded")}": "{s.action(action)}</p>
        })}
        {feedback.problem(crate::pages::staff::ACTION_FIELD).map(|problem| view! {
            <p class="field-error" role="alert">{t.problem(problem)}</p>
        })}
        <p class="lead">
            <strong>{f.status_name(dossier.status)}</strong>
            {t.tracking.timeliness(timeliness).map(|label| format!(" · {label}"))}
            {due_date.map(|d| format!(" · {}: {}", s.pick("Hạn xử lý", "Due"), d.day_month_year()))}
        </p>
        <section aria-labelledby="thu-tuc">
            <h2 id="thu-tuc">{s.pick("Thủ tục", "Procedure")}</h2>
            <dl class="facts">
                <div><dt>{s.pick("Tên thủ tục", "Name")}</dt><dd>{format!("{} ({})", dossier.procedure_name, dossier.procedure_code)}</dd></div>
                {(!dossier.case_name.is_empty()).then(|| view! {
                    <div><dt>{s.pick("Trường hợp", "Case")}</dt><dd>{dossier.case_name.clone()}</dd></div>
                })}
                <div><dt>{s.pick("Kênh nộp", "Channel")}</dt><dd>{s.channel(dossier.channel)}</dd></div>
                <div><dt>{s.pick("Nhận lúc", "Received")}</dt><dd>{format!("{} {}", vietnam_clock_time(dossier.received_at), Date::in_vietnam(dossier.received_at).day_month_year())}</dd></div>
                {dossier.appointment_date.map(|d| view! {
                    <div><dt>{f.appointment}</dt><dd>{d.day_month_year()}</dd></div>
                })}
            </dl>
        </section>
        <section aria-labelledby="nguoi-nop">
            <h2 id="nguoi-nop">{s.pick("Người nộp", "Applicant")}</h2>
            <dl class="facts">
                <div><dt>{f.full_name}</dt><dd>{applicant.full_name.clone()}</dd></div>
                <div><dt>{f.phone}</dt><dd>{if applicant.phone.is_empty() { "—".to_owned() } else { applicant.phone.clone() }}</dd></div>
                <div><dt>{f.citizen_id}</dt><dd>{applicant.citizen_id.clone()}</dd></div>
                <div><dt>{f.address}</dt><dd>{applicant.address.clone()}</dd></div>
                {(!applicant.email.is_empty()).then(|| view! { <div><dt>{f.email}</dt><dd>{applicant.email.clone()}</dd></div> })}
                {applicant.proxy.clone().map(|proxy| view! {
                    <div><dt>{f.proxy_name}</dt><dd>{format!("{} · {} · {}", proxy.full_name, proxy.citizen_id, proxy.relationship)}</dd></div>
                })}
            </dl>
        </section>
        <DossierDocuments dossier=dossier.clone() />
        <section aria-labelledby="viec-can-lam">
            <h2 id="viec-can-lam">{s.pick("Việc có thể làm", "What you can do")}</h2>
            {if actions.is_empty() {
                view! { <p>{s.pick("Vai trò của bạn không có việc gì với hồ sơ ở tình trạng này.", "Your role has nothing to do with a dossier in this status.")}</p> }.into_any()
            } else {
                actions
                    .into_iter()
                    .map(|action| {
                        let feedback = if open_action == Some(action) { feedback.clone() } else { FormFeedback::default() };
                        view! { <ActionForm code=dossier.code.clone() action csrf=me.csrf_token.clone() feedback today /> }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
        <AuditTrail dossier=dossier.clone() />
        {dossier.rating.clone().map(|rating| view! {
            <section aria-labelledby="danh-gia">
                <h2 id="danh-gia">{s.pick("Đánh giá của người dân", "The citizen's rating")}</h2>
                <p>{t.tracking.rating_levels.get(rating.overall as usize).copied().unwrap_or_default()}</p>
                {(!rating.reason.is_empty()).then(|| view! { <p>{rating.reason.clone()}</p> })}
            </section>
        })}
    }
}

#[component]
fn DossierDocuments(dossier: StaffDossier) -> impl IntoView {
    let s = use_texts().staff;
    let code = dossier.code.clone();
    view! {
        <section aria-labelledby="giay-to">
            <h2 id="giay-to">{s.pick("Giấy tờ", "Documents")}</h2>
            {(!dossier.paper_documents.is_empty()).then(|| view! {
                <h3>{s.pick("Bản giấy nhận tại quầy", "Paper documents received")}</h3>
                <ul>
                    {dossier.paper_documents.iter().map(|paper| view! {
                        <li>
                            {paper.document_name.clone()}" — "
                            {if paper.scanned { s.pick("đã quét (số hóa)", "scanned") } else { s.pick("chỉ có bản giấy", "paper only") }}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {if dossier.files.is_empty() {
                (dossier.paper_documents.is_empty()).then(|| view! { <p>{s.pick("Chưa có tệp nào.", "No files yet.")}</p> }).into_any()
            } else {
                view! {
                    <ul class="files">
                        {dossier.files.iter().map(|file| {
                            let href = format!("{}/tep/{}", dossier_path(&code), file.stored_name);
                            let tag = if file.result {
                                Some(s.pick("Kết quả", "Result"))
                            } else if file.supplement {
                                Some(s.pick("Bổ sung", "Supplement"))
                            } else {
                                None
                            };
                            let preview = if file.content_type.starts_with("image/") {
                                view! { <img src=href.clone() alt=file.document_name.clone() loading="lazy" /> }.into_any()
                            } else {
                                view! {
                                    <object data=href.clone() type="application/pdf" aria-label=file.document_name.clone()>
                                        <a href=href.clone()>{s.pick("Mở tệp PDF", "Open the PDF")}</a>
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
                                        <summary>{s.pick("Xem trước", "Preview")}</summary>
                                        {preview}
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
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
            <h2 id="qua-trinh">{s.pick("Quá trình xử lý", "History")}</h2>
            <ol class="timeline">
                {dossier.audit.iter().map(|entry| {
                    let when = format!("{} {}", vietnam_clock_time(entry.event.at), Date::in_vietnam(entry.event.at).day_month_year());
                    let moved = match entry.from_status {
                        Some(from) if from != entry.event.status => format!("{} → {}", f.status_name(from), f.status_name(entry.event.status)),
                        _ => f.status_name(entry.event.status).to_owned(),
                    };
                    let who = match entry.actor.strip_prefix("can-bo:") {
                        Some(username) => username.to_owned(),
                        None if entry.actor == "cong-dan" => s.pick("người dân", "citizen").to_owned(),
                        None => entry.actor.clone(),
                    };
                    view! {
                        <li>
                            <p><strong>{moved}</strong>{format!(" · {when} · {who}")}</p>
                            {(!entry.event.public_note.is_empty()).then(|| view! { <p>{entry.event.public_note.clone()}</p> })}
                            {entry.event.details.clone().map(|details| view! { <p class="meta">{details_summary(t, &details)}</p> })}
                        </li>
                    }
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
            s.pick("Cần bổ sung", "Documents asked for"),
            documents.join("; "),
            s.pick("hạn", "by"),
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
        EventDetails::Apology { new_date, text } => {
            format!("{}: {} · {text}", k.new_date, new_date.day_month_year())
        }
    }
}

/// The form of one action, folded unless it was just refused.
#[component]
fn ActionForm(
    code: String,
    action: Action,
    csrf: String,
    feedback: FormFeedback,
    today: Date,
) -> impl IntoView {
    use action_field::*;
    let t = use_texts();
    let s = t.staff;
    let open = !feedback.problems.is_empty();
    let key = action.key();
    let id = |name: &str| format!("{key}-{name}");
    let tomorrow = today.add_days(1).iso();
    let fields = match action {
        Action::Refuse | Action::Stop => textarea(t, &feedback, id(REASON), REASON, s.pick("Lý do (người dân sẽ đọc)", "Reason (the citizen reads it)"), None, true).into_any(),
        Action::RequestSupplement => view! {
            {textarea(t, &feedback, id(DOCUMENTS), DOCUMENTS, s.pick("Giấy tờ cần bổ sung", "Documents needed"), Some(s.pick("Mỗi giấy tờ một dòng.", "One document per line.")), true)}
            {input(t, &feedback, id(SUPPLEMENT_DEADLINE), SUPPLEMENT_DEADLINE, s.pick("Hạn bổ sung", "Deadline"), "date", today.add_days(7).iso(), Some(("min", tomorrow.clone())))}
            {textarea(t, &feedback, id(NOTE), NOTE, s.pick("Ghi chú cho người dân", "Note for the citizen"), None, false)}
        }.into_any(),
        Action::RequestFee => view! {
            {input(t, &feedback, id(AMOUNT), AMOUNT, s.pick("Số tiền (đồng)", "Amount (đồng)"), "text", String::new(), None)}
            {input(t, &feedback, id(HOW_TO_PAY), HOW_TO_PAY, s.pick("Cách nộp", "How to pay"), "text", s.pick("Nộp tại quầy thu phí của Trung tâm", "At the Center's cash desk").to_owned(), None)}
            {textarea(t, &feedback, id(NOTE), NOTE, s.pick("Ghi chú cho người dân", "Note for the citizen"), None, false)}
        }.into_any(),
        Action::MarkResultReady => view! {
            {input(t, &feedback, id(RESULT_NUMBER), RESULT_NUMBER, s.pick("Số kết quả (số văn bản, số giấy)", "Result number"), "text", String::new(), None)}
            {input(t, &feedback, id(PICKUP), PICKUP, s.pick("Nơi nhận kết quả", "Where to collect it"), "text", s.pick("Bộ phận Một cửa, Trung tâm Phục vụ hành chính công xã", "The one-stop counter of the commune center").to_owned(), None)}
            <div class=if feedback.problem(RESULT_FILE).is_some() { "field has-error" } else { "field" }>
                <label for=id(RESULT_FILE)>{s.pick("Bản quét kết quả (không bắt buộc)", "Scanned result (optional)")}</label>
                {problem_message(t, &id(RESULT_FILE), feedback.problem(RESULT_FILE))}
                <input id=id(RESULT_FILE) name=RESULT_FILE type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
            </div>
            {textarea(t, &feedback, id(NOTE), NOTE, s.pick("Ghi chú cho người dân", "Note for the citizen"), None, false)}
        }.into_any(),
        Action::Apologise => view! {
            {input(t, &feedback, id(NEW_DATE), NEW_DATE, s.pick("Ngày hẹn mới", "New date"), "date", String::new(), Some(("min", tomorrow.clone())))}
            {textarea(t, &feedback, id(APOLOGY), APOLOGY, s.pick("Lời xin lỗi (người dân sẽ đọc)", "Apology (the citizen reads it)"), None, true)}
        }.into_any(),
        _ => textarea(t, &feedback, id(NOTE), NOTE, s.pick("Ghi chú cho người dân (không bắt buộc)", "Note for the citizen (optional)"), None, false).into_any(),
    };
    let enctype = (action == Action::MarkResultReady).then_some("multipart/form-data");
    let danger = matches!(action, Action::Refuse | Action::Stop);
    view! {
        <details class="action" open=open>
            <summary>{s.action(action)}</summary>
            {error_summary(t, &feedback.problems.iter().filter(|(name, _)| name.as_str() != crate::pages::staff::ACTION_FIELD).map(|(n, p)| (format!("{key}-{n}"), *p)).collect::<BTreeMap<_, _>>())}
            <form method="post" action=format!("{}/{key}", dossier_path(&code)) enctype=enctype class="stack">
                <input type="hidden" name=CSRF value=csrf />
                {fields}
                <button type="submit" class=if danger { "secondary" } else { "primary" }>{s.action(action)}</button>
            </form>
        </details>
    }
}

/// `/can-bo/tiep-nhan`: a clerk registers a walk-in dossier. First the procedure (and its case),
/// then the applicant and the paper documents received.
#[component]
pub fn StaffIntakePage() -> impl IntoView {
    let procedure = use_query_map().with_untracked(|q| q.get("thu-tuc").unwrap_or_default());
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
    let chooser = view! {
        <form method="get" action=INTAKE_PATH class="stack">
            <div class="field">
                <label for="thu-tuc">{s.pick("Thủ tục", "Procedure")}</label>
                <select id="thu-tuc" name="thu-tuc" required>
                    <option value="">{s.pick("— Chọn thủ tục —", "— Choose —")}</option>
                    {page.procedures.iter().map(|(code, name)| view! {
                        <option value=code.clone() selected=*code == selected>{format!("{name} ({code})")}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">{s.pick("Chọn thủ tục", "Choose")}</button>
        </form>
    };
    let body = page.procedure.clone().map(|procedure| {
        let several = procedure.cases.len() > 1;
        match (several, chosen_case.filter(|c| *c < procedure.cases.len())) {
            (true, None) => view! {
                <form method="get" action=INTAKE_PATH class="stack">
                    <input type="hidden" name="thu-tuc" value=procedure.code.clone() />
                    <fieldset>
                        <legend>{f.case_legend}</legend>
                        {procedure.cases.iter().enumerate().map(|(index, case)| view! {
                            <div class="choice">
                                <input type="radio" id=format!("truong-hop-{index}") name=field::CASE value=index.to_string() required />
                                <label for=format!("truong-hop-{index}")>{case.name.clone()}</label>
                            </div>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="secondary">{s.pick("Chọn trường hợp", "Choose the case")}</button>
                </form>
            }.into_any(),
            (_, case) => {
                let case_index = case.unwrap_or(0);
                let documents = procedure.cases[case_index].documents.clone();
                let values: BTreeMap<String, String> = feedback.values.clone();
                let ticked = move |name: &str| values.get(name).is_some_and(|v| !v.is_empty());
                view! {
                    {error_summary(t, &feedback.problems)}
                    <form method="post" action=INTAKE_PATH class="stack">
                        <input type="hidden" name=action_field::CSRF value=me.csrf_token.clone() />
                        <input type="hidden" name="thu-tuc" value=procedure.code.clone() />
                        <input type="hidden" name=field::CASE value=case_index.to_string() />
                        {several.then(|| view! { <p><strong>{f.case_legend}": "</strong>{procedure.cases[case_index].name.clone()}</p> })}
                        <h2>{s.pick("Người nộp", "Applicant")}</h2>
                        {text_input(t, &feedback.values, &feedback, field::FULL_NAME, f.full_name, None, line("text", "text", "off", "100", true))}
                        {text_input(t, &feedback.values, &feedback, field::PHONE, f.phone, Some(s.pick("Để trống nếu người dân không có điện thoại.", "Leave empty if the citizen has no phone.")), line("tel", "tel", "off", "20", false))}
                        {text_input(t, &feedback.values, &feedback, field::CITIZEN_ID, f.citizen_id, None, line("text", "numeric", "off", "20", true))}
                        {text_input(t, &feedback.values, &feedback, field::ADDRESS, f.address, None, line("text", "text", "off", "300", true))}
                        <h2>{s.pick("Giấy tờ đã nhận", "Documents received")}</h2>
                        <table class="documents">
                            <thead><tr>
                                <th scope="col">{s.pick("Giấy tờ", "Document")}</th>
                                <th scope="col">{s.pick("Đã nhận", "Received")}</th>
                                <th scope="col">{s.pick("Đã quét", "Scanned")}</th>
                            </tr></thead>
                            <tbody>
                                {documents.iter().enumerate().map(|(index, document)| {
                                    let received = format!("nhan-{index}");
                                    let scanned = format!("so-hoa-{index}");
                                    let problem = feedback.problem(&received);
                                    view! {
                                        <tr class=problem.map(|_| "has-error")>
                                            <th scope="row">
                                                <span id=format!("{received}-ten")>{document.name.clone()}</span>
                                                {(document.required && !document.present_only).then(|| view! { " " <span class="tag">{f.required}</span> })}
                                                {problem_message(t, &received, problem)}
                                            </th>
                                            <td><input type="checkbox" id=received.clone() name=received.clone() value="1" checked=ticked(&received) aria-labelledby=format!("{received}-ten") /></td>
                                            <td><input type="checkbox" id=scanned.clone() name=scanned.clone() value="1" checked=ticked(&scanned) aria-label=format!("{} {}", s.pick("Đã quét", "Scanned"), document.name) /></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {textarea(t, &feedback, "ghi-chu".to_owned(), "ghi-chu", s.pick("Ghi chú cho người dân (không bắt buộc)", "Note for the citizen (optional)"), None, false)}
                        <button type="submit" class="primary">{s.pick("Tiếp nhận và in giấy hẹn", "Accept and print the receipt")}</button>
                    </form>
                }.into_any()
            }
        }
    });
    view! {
        <Title text=title_text(format!("{} · {}", s.action(Action::CounterIntake), t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.action(Action::CounterIntake)}</h1>
        <p>{s.pick("Đăng ký hồ sơ người dân mang đến quầy. Hồ sơ được tiếp nhận ngay và có giấy hẹn với mã QR để in.", "Register a dossier brought to the counter. It is accepted at once and gets a receipt with a QR code to print.")}</p>
        {chooser}
        {body}
    }
}

/// `/can-bo/quan-tri`: staff accounts, the holiday calendar of a year, notes for citizens.
#[component]
pub fn StaffSettingsPage() -> impl IntoView {
    let year = use_query_map().with_untracked(|q| {
        q.get("nam")
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let page = Resource::new_blocking(move || year, staff_settings);
    staff_page(page, |page| view! { <Settings page /> })
}

#[component]
fn Settings(page: ForStaff<SettingsView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let csrf = me.csrf_token.clone();
    let hidden =
        move || view! { <input type="hidden" name=action_field::CSRF value=csrf.clone() /> };
    let role_options = move |current: Option<Role>| {
        Role::ALL
            .into_iter()
            .map(|role| view! { <option value=role.key() selected=Some(role) == current>{s.role(role)}</option> })
            .collect_view()
    };
    let year = page.year;
    view! {
        <Title text=title_text(format!("{} · {}", s.pick("Quản trị", "Settings"), t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.pick("Quản trị", "Settings")}</h1>
        {error_summary(t, &feedback.problems)}
        <section aria-labelledby="tai-khoan">
            <h2 id="tai-khoan">{s.action(Action::ManageUsers)}</h2>
            <ul class="users">
                {page.users.iter().map(|(member, active)| {
                    let own = member.username == me.member.username;
                    view! {
                        <li>
                            <form method="post" action=format!("{SETTINGS_PATH}/can-bo/{}", member.username) class="row">
                                {hidden()}
                                <strong>{member.display_name.clone()}</strong>
                                {format!(" ({}) ", member.username)}
                                <label>
                                    {s.pick("Vai trò", "Role")}" "
                                    <select name="vai-tro" disabled=own>{role_options(Some(member.role))}</select>
                                </label>
                                <label>
                                    <input type="checkbox" name="dang-dung" value="1" checked=*active disabled=own />
                                    {s.pick(" Được đăng nhập", " May sign in")}
                                </label>
                                {(!own).then(|| view! { <button type="submit" class="secondary">{s.pick("Lưu", "Save")}</button> })}
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{s.pick("Thêm tài khoản", "Add an account")}</h3>
            <form method="post" action=format!("{SETTINGS_PATH}/can-bo") class="stack">
                {hidden()}
                {text_input(t, &feedback.values, &feedback, "ten", s.username, Some(s.pick("Chữ thường không dấu, ví dụ lan.nguyen", "Lower case without accents, e.g. lan.nguyen")), line("text", "text", "off", "40", true))}
                {text_input(t, &feedback.values, &feedback, "ho-ten", s.pick("Họ và tên", "Full name"), None, line("text", "text", "off", "100", true))}
                <div class="field">
                    <label for="vai-tro">{s.pick("Vai trò", "Role")}</label>
                    <select id="vai-tro" name="vai-tro">{role_options(Role::from_key(feedback.value("vai-tro").unwrap_or("tiep-nhan")))}</select>
                </div>
                {text_input(t, &BTreeMap::new(), &feedback, "mat-khau", s.pick("Mật khẩu ban đầu", "First password"), Some(s.pick("Ít nhất 10 ký tự; báo riêng cho người dùng.", "At least 10 characters; tell the user in person.")), line("password", "text", "new-password", "200", true))}
                <button type="submit" class="primary">{s.pick("Thêm", "Add")}</button>
            </form>
        </section>
        <section aria-labelledby="ngay-nghi">
            <h2 id="ngay-nghi">{format!("{} {year}", s.action(Action::ManageHolidays))}</h2>
            <p>
                <a href=format!("{SETTINGS_PATH}?nam={}", year - 1)>{format!("← {}", year - 1)}</a>
                " · "
                <a href=format!("{SETTINGS_PATH}?nam={}", year + 1)>{format!("{} →", year + 1)}</a>
            </p>
            <ul class="holidays">
                {page.holidays.iter().map(|(day, name)| view! {
                    <li>
                        <form method="post" action=format!("{SETTINGS_PATH}/ngay-nghi") class="row">
                            {hidden()}
                            <input type="hidden" name="ngay" value=day.iso() />
                            {format!("{} · {name} ", day.day_month_year())}
                            <button type="submit" name="xoa" value="1" class="secondary">{s.pick("Bỏ ngày này", "Remove")}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=format!("{SETTINGS_PATH}/ngay-nghi") class="stack">
                {hidden()}
                {text_input(t, &feedback.values, &feedback, "ngay", s.pick("Ngày (ví dụ 02/09/2027)", "Day (e.g. 02/09/2027)"), None, line("text", "text", "off", "10", true))}
                {text_input(t, &feedback.values, &feedback, "ten-ngay", s.pick("Tên ngày nghỉ", "Name"), None, line("text", "text", "off", "100", true))}
                <button type="submit" class="primary">{s.pick("Thêm ngày nghỉ", "Add the holiday")}</button>
            </form>
        </section>
        <section aria-labelledby="luu-y">
            <h2 id="luu-y">{s.action(Action::ManageCaveats)}</h2>
            <p>{s.pick("Hiện ở đầu mục “Lưu ý” trên trang thủ tục. Để trống để bỏ.", "Shown first under “Notes” on the procedure's page. Leave empty to remove.")}</p>
            <ul>
                {page.caveats.iter().map(|(code, name, text)| view! {
                    <li><strong>{format!("{name} ({code})")}</strong>": "{text.clone()}</li>
                }).collect_view()}
            </ul>
            <form method="post" action=format!("{SETTINGS_PATH}/luu-y") class="stack">
                {hidden()}
                <div class="field">
                    <label for="luu-y-thu-tuc">{s.pick("Thủ tục", "Procedure")}</label>
                    <select id="luu-y-thu-tuc" name="thu-tuc" required>
                        {page.procedures.iter().map(|(code, name)| view! {
                            <option value=code.clone()>{format!("{name} ({code})")}</option>
                        }).collect_view()}
                    </select>
                </div>
                {textarea(t, &feedback, "luu-y-noi-dung".to_owned(), "luu-y", s.pick("Lưu ý", "Note"), None, false)}
                <button type="submit" class="primary">{s.pick("Lưu lưu ý", "Save the note")}</button>
            </form>
        </section>
    }
}
