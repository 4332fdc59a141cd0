//! The staff side, under `/can-bo`: sign-in, and the home page of a signed-in staff member.
//! Pages need a session; the handlers in `server::staff` sign in and out.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;

use super::back_office::staff_page;
use super::layout::{ServerError, set_status};
use crate::api::{ForStaff, QueueView, SignedInStaff, current_staff, staff_queue};
use crate::domain::application::FormFeedback;
use crate::domain::calendar::Date;
use crate::domain::lifecycle::Status;
use crate::domain::staff::{Action, CLOCK_RUNNING, Deadline, QueueFilter, queue_field};
use crate::domain::url::with_query;
use crate::use_texts;

/// Where the sign-in form posts, and where a page without a session sends the browser.
pub const LOGIN_PATH: &str = "/can-bo/dang-nhap";
pub const QUEUE_PATH: &str = "/can-bo/ho-so";
pub const INTAKE_PATH: &str = "/can-bo/tiep-nhan";
pub const SETTINGS_PATH: &str = "/can-bo/quan-tri";
/// The field a refused dossier action is named by, so its page opens that form again.
pub const ACTION_FIELD: &str = "hanh-dong";

/// The page of one dossier; its actions post to `{this}/{action key}`.
pub fn dossier_path(code: &str) -> String {
    format!("{QUEUE_PATH}/{code}")
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let refused = feedback.problems.contains_key("dang-nhap");
    let locked = feedback.value("khoa").is_some();
    if refused {
        set_status(if locked { 429 } else { 401 });
    }
    let username = feedback.value("ten").unwrap_or_default().to_owned();
    view! {
        <Title text=title_text(format!("{} · {}", s.login_title, t.site_name)) />
        <Meta name="robots" content="noindex" />
        <h1>{s.login_title}</h1>
        {refused.then(|| view! {
            <p class="field-error" role="alert">{if locked { s.locked } else { s.wrong_credentials }}</p>
        })}
        <form method="post" action=LOGIN_PATH class="stack">
            <div class="field">
                <label for="ten">{s.username}</label>
                <input id="ten" name="ten" value=username autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="40" required />
            </div>
            <div class="field">
                <label for="mat-khau">{s.password}</label>
                <input id="mat-khau" name="mat-khau" type="password" autocomplete="current-password" maxlength="200" required />
            </div>
            <button type="submit" class="primary">{s.login_button}</button>
        </form>
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let staff = Resource::new_blocking(|| (), |_| current_staff());
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                let s = t.staff;
                match staff.await {
                    Ok(Some(me)) => {
                        let role = me.member.role;
                        view! {
                            <Title text=title_text(format!("{} · {}", s.home_title, t.site_name)) />
                            <StaffNav me=me.clone() />
                            <h1>{s.home_title}</h1>
                            <p>
                                {s.signed_in_as}": "
                                <strong>{me.member.display_name.clone()}</strong>
                                {format!(" ({})", s.role(role))}
                            </p>
                            <ul class="sector-list">
                                <li><a href=QUEUE_PATH>{s.queue_title}</a></li>
                                <li><a href=with_query(QUEUE_PATH, &[(queue_field::DEADLINE, Deadline::DueSoon.key())])>{s.pick("Sắp đến hạn", "Due soon")}</a></li>
                                <li><a href=with_query(QUEUE_PATH, &[(queue_field::DEADLINE, Deadline::Overdue.key())])>{s.pick("Quá hạn", "Overdue")}</a></li>
                                {role.may(Action::CounterIntake).then(|| view! { <li><a href=INTAKE_PATH>{s.action(Action::CounterIntake)}</a></li> })}
                                {role.may(Action::ManageUsers).then(|| view! { <li><a href=SETTINGS_PATH>{s.pick("Quản trị", "Settings")}</a></li> })}
                            </ul>
                        }
                        .into_any()
                    }
                    Ok(None) => {
                        send_to_login();
                        view! { <p><a href=LOGIN_PATH>{s.login_title}</a></p> }.into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The back office's links and the sign-out button, on every staff page.
#[component]
pub fn StaffNav(me: SignedInStaff) -> impl IntoView {
    let s = use_texts().staff;
    let role = me.member.role;
    view! {
        <nav class="staff-nav" aria-label=s.pick("Trang cán bộ", "Staff pages")>
            <a href="/can-bo">{s.home_title}</a>
            <a href=QUEUE_PATH>{s.queue_title}</a>
            {role.may(Action::CounterIntake).then(|| view! { <a href=INTAKE_PATH>{s.action(Action::CounterIntake)}</a> })}
            {role.may(Action::ManageUsers).then(|| view! { <a href=SETTINGS_PATH>{s.pick("Quản trị", "Settings")}</a> })}
            <form method="post" action="/can-bo/dang-xuat">
                <input type="hidden" name="csrf" value=me.csrf_token.clone() />
                <button type="submit" class="link">{format!("{} ({})", s.logout, me.member.username)}</button>
            </form>
        </nav>
    }
}

/// Without a session, a staff page answers with a redirect to the sign-in page.
pub(super) fn send_to_login() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static(LOGIN_PATH),
        );
    }
}

fn queue_filter() -> QueueFilter {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| QueueFilter::from_query(|name| q.get(name)))
}

/// `/can-bo/ho-so`: dossiers by status, newest first, searchable by code or applicant name and
/// narrowed by procedure, channel, day received and deadline.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let filter = queue_filter();
    let queue = Resource::new_blocking(move || filter.clone(), staff_queue);
    staff_page(queue, |page| view! { <QueueList page /> })
}

#[component]
fn QueueList(page: ForStaff<QueueView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    let ForStaff { me, page: view } = page;
    let page = view.queue;
    let filter = queue_filter();
    let link = {
        let filter = filter.clone();
        move |status: Option<Status>, page: usize| {
            let query = filter.to_query(status, page);
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            with_query(QUEUE_PATH, &pairs)
        }
    };
    let current = filter.status;
    let all: i64 = page.counts.iter().map(|(_, n)| n).sum();
    let tabs = std::iter::once((None, s.all_statuses.to_owned(), all))
        .chain(page.counts.iter().map(|(status, n)| (Status::from_code(*status), f.status_name(*status).to_owned(), *n)))
        .map(|(status, label, count)| {
            let href = link(status, 1);
            let selected = status == current;
            view! {
                <li>
                    <a href=href aria-current=selected.then_some("page")>{label}" "<span class="count">{count}</span></a>
                </li>
            }
        })
        .collect_view();
    let today = view.today;
    view! {
        <Title text=title_text(format!("{} · {}", s.queue_title, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.queue_title}</h1>
        <nav aria-label=s.queue_tabs>
            <ul class="sector-list">{tabs}</ul>
        </nav>
        <form method="get" action=QUEUE_PATH class="search-form filters" role="search">
            {current.map(|status| view! { <input type="hidden" name=queue_field::STATUS value=status.code().to_string() /> })}
            <div class="field">
                <label for="q">{s.queue_search}</label>
                <input id="q" name=queue_field::QUERY type="search" value=filter.query.clone() maxlength="100" />
            </div>
            <div class="field">
                <label for="loc-thu-tuc">{s.pick("Thủ tục", "Procedure")}</label>
                <select id="loc-thu-tuc" name=queue_field::PROCEDURE>
                    <option value="">{s.all_statuses}</option>
                    {view.procedures.iter().map(|(code, name)| view! {
                        <option value=code.clone() selected=*code == filter.procedure>{format!("{name} ({code})")}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="loc-kenh">{s.pick("Kênh nộp", "Channel")}</label>
                <select id="loc-kenh" name=queue_field::CHANNEL>
                    <option value="">{s.all_statuses}</option>
                    {[1, 2, 3].into_iter().map(|channel| view! {
                        <option value=channel.to_string() selected=filter.channel == Some(channel)>{s.channel(channel)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="loc-tu-ngay">{s.pick("Nhận từ ngày", "Received from")}</label>
                <input id="loc-tu-ngay" name=queue_field::FROM type="date" value=filter.received_from.map(Date::iso).unwrap_or_default() />
            </div>
            <div class="field">
                <label for="loc-den-ngay">{s.pick("đến ngày", "to")}</label>
                <input id="loc-den-ngay" name=queue_field::TO type="date" value=filter.received_to.map(Date::iso).unwrap_or_default() />
            </div>
            <div class="field">
                <label for="loc-han">{s.pick("Hạn xử lý", "Deadline")}</label>
                <select id="loc-han" name=queue_field::DEADLINE>
                    <option value="">{s.all_statuses}</option>
                    <option value=Deadline::DueSoon.key() selected=filter.deadline == Some(Deadline::DueSoon)>{s.pick("Sắp đến hạn (≤ 2 ngày làm việc)", "Due within 2 working days")}</option>
                    <option value=Deadline::Overdue.key() selected=filter.deadline == Some(Deadline::Overdue)>{s.pick("Quá hạn", "Overdue")}</option>
                </select>
            </div>
            <button type="submit">{t.search_button}</button>
        </form>
        <p class="result-count">{s.queue_count(page.total)}</p>
        <ul class="procedure-list queue">
            {page
                .rows
                .into_iter()
                .map(|row| {
                    let due = row.due_date.as_deref().and_then(Date::parse_iso);
                    let running = Status::from_code(row.status).is_some_and(|s| CLOCK_RUNNING.contains(&s));
                    let late = running && due.is_some_and(|d| d < today);
                    view! {
                        <li class=late.then_some("late")>
                            <a class="code" href=dossier_path(&row.code)>{row.code.clone()}</a>
                            " · "
                            <strong>{row.applicant_name.clone()}</strong>
                            <span class="meta">
                                {format!(
                                    "{} · {} · {} · {}",
                                    row.procedure_name,
                                    f.status_name(row.status),
                                    s.channel(row.channel),
                                    Date::in_vietnam(row.received_at).day_month_year()
                                )}
                                {due.map(|d| format!(" · {}: {}", s.pick("Hạn", "Due"), d.day_month_year()))}
                                {late.then(|| format!(" · {}", s.pick("QUÁ HẠN", "OVERDUE")))}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {(page.page_count > 1).then(|| view! {
            <nav class="pagination" aria-label=t.pagination_label>
                {(page.page > 1).then(|| view! { <a href=link(current, page.page - 1)>{t.previous_page}</a> })}
                <span>{t.page_of(page.page, page.page_count)}</span>
                {(page.page < page.page_count).then(|| view! { <a href=link(current, page.page + 1)>{t.next_page}</a> })}
            </nav>
        })}
    }
}
