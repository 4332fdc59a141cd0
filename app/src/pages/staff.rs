//! The staff side, under `/can-bo`: sign-in, and the home page of a signed-in staff member.
//! Pages need a session; the handlers in `server::staff` sign in and out.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::layout::{ServerError, set_status};
use crate::api::{current_staff, staff_queue};
use crate::domain::application::FormFeedback;
use crate::domain::calendar::Date;
use crate::domain::staff::{QueueFilter, QueuePage};
use crate::domain::url::with_query;
use crate::use_texts;

/// Where the sign-in form posts, and where a page without a session sends the browser.
pub const LOGIN_PATH: &str = "/can-bo/dang-nhap";

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
        <Title text=format!("{} · {}", s.login_title, t.site_name) />
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
                    Ok(Some(me)) => view! {
                        <Title text=format!("{} · {}", s.home_title, t.site_name) />
                        <h1>{s.home_title}</h1>
                        <p>
                            {s.signed_in_as}": "
                            <strong>{me.member.display_name.clone()}</strong>
                            {format!(" ({})", s.role(me.member.role))}
                        </p>
                        <p><a class="button primary" href="/can-bo/ho-so">{s.queue_title}</a></p>
                        <form method="post" action="/can-bo/dang-xuat">
                            <input type="hidden" name="csrf" value=me.csrf_token.clone() />
                            <button type="submit" class="secondary">{s.logout}</button>
                        </form>
                    }
                    .into_any(),
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

/// Without a session, a staff page answers with a redirect to the sign-in page.
fn send_to_login() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static(LOGIN_PATH),
        );
    }
}

/// `/can-bo/ho-so`: dossiers by status, newest first, searchable by code or applicant name.
#[component]
pub fn StaffQueuePage() -> impl IntoView {
    let filter = leptos_router::hooks::use_query_map().with_untracked(|q| {
        QueueFilter::new(
            &q.get("trang-thai").unwrap_or_default(),
            &q.get("q").unwrap_or_default(),
            &q.get("trang").unwrap_or_default(),
        )
    });
    let queue = Resource::new_blocking(move || filter.clone(), staff_queue);
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(Some(page)) => view! { <QueueView page /> }.into_any(),
                    Ok(None) => {
                        send_to_login();
                        view! { <p><a href=LOGIN_PATH>{use_texts().staff.login_title}</a></p> }.into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(page: QueuePage) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let f = t.filing;
    let filter = leptos_router::hooks::use_query_map().with_untracked(|q| {
        QueueFilter::new(
            &q.get("trang-thai").unwrap_or_default(),
            &q.get("q").unwrap_or_default(),
            &q.get("trang").unwrap_or_default(),
        )
    });
    let link = {
        let query = filter.query.clone();
        move |status: Option<i64>, page: usize| {
            with_query(
                "/can-bo/ho-so",
                &[
                    (
                        "trang-thai",
                        &status.map(|s| s.to_string()).unwrap_or_default(),
                    ),
                    ("q", &query),
                    ("trang", &page.to_string()),
                ],
            )
        }
    };
    let current = filter.status.map(|s| s.code());
    let all: i64 = page.counts.iter().map(|(_, n)| n).sum();
    let tabs = std::iter::once((None, s.all_statuses.to_owned(), all))
        .chain(page.counts.iter().map(|(status, n)| (Some(*status), f.status_name(*status).to_owned(), *n)))
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
    view! {
        <Title text=format!("{} · {}", s.queue_title, t.site_name) />
        <h1>{s.queue_title}</h1>
        <nav aria-label=s.queue_tabs>
            <ul class="sector-list">{tabs}</ul>
        </nav>
        <form method="get" action="/can-bo/ho-so" class="search-form" role="search">
            <label for="q">{s.queue_search}</label>
            {current.map(|status| view! { <input type="hidden" name="trang-thai" value=status.to_string() /> })}
            <div class="search-row">
                <input id="q" name="q" type="search" value=filter.query.clone() maxlength="100" />
                <button type="submit">{t.search_button}</button>
            </div>
        </form>
        <p class="result-count">{s.queue_count(page.total)}</p>
        <ul class="procedure-list queue">
            {page
                .rows
                .into_iter()
                .map(|row| {
                    view! {
                        <li>
                            <span class="code">{row.code.clone()}</span>
                            " · "
                            <strong>{row.applicant_name.clone()}</strong>
                            <span class="meta">
                                {format!(
                                    "{} · {} · {}",
                                    row.procedure_name,
                                    f.status_name(row.status),
                                    Date::in_vietnam(row.received_at).day_month_year()
                                )}
                                {row
                                    .appointment_date
                                    .as_deref()
                                    .and_then(Date::parse_iso)
                                    .map(|d| format!(" · {}: {}", f.appointment, d.day_month_year()))}
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
