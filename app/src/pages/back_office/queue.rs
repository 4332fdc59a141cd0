//! `/can-bo/ho-so`: the dossier queue.

use super::{StaffNav, staff_page};
use crate::api::{ForStaff, QueueView, staff_queue};
use crate::domain::back_office::{CLOCK_RUNNING, Deadline, QueueFilter, QueueSort, queue_field};
use crate::domain::calendar::Date;
use crate::domain::lifecycle::Status;
use crate::domain::procedure::ChannelKind;
use crate::domain::url::with_query;
use crate::pages::layout::title_text;
use crate::paths::{self, QUEUE};
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use strum::VariantArray;

/// A search typed by a scanner is a receipt's whole address, lookup key included: the page is
/// answered with a redirect to the same list by the code alone, so the key leaves the address bar.
fn drop_scanned_address(filter: &QueueFilter) {
    #[cfg(feature = "ssr")]
    {
        let typed = leptos_router::hooks::use_query_map()
            .with_untracked(|q| q.get(queue_field::QUERY))
            .unwrap_or_default();
        let scanned = crate::domain::back_office::code_in_scanned_address(&typed).is_some();
        if let (true, Some(response)) = (scanned, use_context::<leptos_axum::ResponseOptions>())
            && let Ok(clean) = http::HeaderValue::from_str(&paths::queue(filter))
        {
            response.set_status(http::StatusCode::SEE_OTHER);
            response.insert_header(http::header::LOCATION, clean);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = filter;
}

/// Keeps the filter in a cookie so that the dossier page leads back to this same list.
fn remember(filter: &QueueFilter) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let value = crate::domain::url::encode_query_value(&filter.query_string());
        let cookie = format!(
            "{}={value}; Path=/can-bo; HttpOnly; SameSite=Strict",
            crate::domain::back_office::QUEUE_COOKIE
        );
        if let Ok(header) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, header);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = filter;
}

/// The queue as last filtered in this browser (the whole queue when it was never opened).
pub(crate) fn remembered_queue() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>()
        && let Some(kept) =
            crate::api::cookie_value(&parts.headers, crate::domain::back_office::QUEUE_COOKIE)
    {
        let text: String = form_urlencoded::parse(format!("v={kept}").as_bytes())
            .map(|(_, value)| value.into_owned())
            .next()
            .unwrap_or_default();
        return paths::queue(&QueueFilter::from_query_string(&text));
    }
    QUEUE.to_owned()
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
    drop_scanned_address(&filter);
    remember(&filter);
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
            with_query(QUEUE, &pairs)
        }
    };
    let current = filter.status;
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
    let today = view.today;
    view! {
        <Title text=title_text(format!("{} · {}", s.queue_title, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.queue_title}</h1>
        <nav aria-label=s.queue_tabs>
            <ul class="sector-list">{tabs}</ul>
        </nav>
        <form method="get" action=QUEUE class="search-form filters" role="search">
            {current.map(|status| view! { <input type="hidden" name=queue_field::STATUS value=status.code().to_string() /> })}
            <div class="field">
                <label for="q">{s.queue_search}</label>
                <p class="hint" id="q-goi-y">{s.queue_search_hint}</p>
                <input id="q" name=queue_field::QUERY type="search" value=filter.query.clone() maxlength="300" aria-describedby="q-goi-y" />
            </div>
            <div class="field">
                <label for="loc-thu-tuc">{s.procedure}</label>
                <select id="loc-thu-tuc" name=queue_field::PROCEDURE>
                    <option value="">{s.all_statuses}</option>
                    {view.procedures.iter().map(|(code, name)| view! {
                        <option value=code.clone() selected=*code == filter.procedure>{format!("{name} ({code})")}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="loc-kenh">{s.channel_heading}</label>
                <select id="loc-kenh" name=queue_field::CHANNEL>
                    <option value="">{s.all_statuses}</option>
                    {ChannelKind::VARIANTS.iter().map(|&channel| view! {
                        <option value=channel.code().to_string() selected=filter.channel == Some(channel.code())>{s.channel(channel)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="loc-tu-ngay">{s.received_from}</label>
                <input id="loc-tu-ngay" name=queue_field::FROM type="date" value=filter.received_from.map(Date::iso).unwrap_or_default() />
            </div>
            <div class="field">
                <label for="loc-den-ngay">{s.to_date}</label>
                <input id="loc-den-ngay" name=queue_field::TO type="date" value=filter.received_to.map(Date::iso).unwrap_or_default() />
            </div>
            <div class="field">
                <label for="loc-han">{s.processing_deadline}</label>
                <select id="loc-han" name=queue_field::DEADLINE>
                    <option value="">{s.all_statuses}</option>
                    <option value=Deadline::DueSoon.key() selected=filter.deadline == Some(Deadline::DueSoon)>{s.due_within_2_working}</option>
                    <option value=Deadline::Overdue.key() selected=filter.deadline == Some(Deadline::Overdue)>{s.overdue}</option>
                </select>
            </div>
            <div class="field">
                <label for="loc-xep">{s.sort_label}</label>
                <select id="loc-xep" name=queue_field::SORT>
                    {QueueSort::VARIANTS.iter().map(|&sort| view! {
                        <option value=sort.key() selected=filter.sort == sort>{s.sort(sort)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="choice">
                <input type="checkbox" id="loc-bo-sung" name=queue_field::SUPPLEMENT_SENT value="1" checked=filter.supplement_sent />
                <label for="loc-bo-sung">{s.supplement_sent_only}</label>
            </div>
            <button type="submit">{t.search_button}</button>
        </form>
        <p class="result-count">{s.queue_count(page.total)}</p>
        <div class="table-scroll">
            <table class="queue-table">
                <thead>
                    <tr>
                        <th scope="col">{s.queue_code}</th>
                        <th scope="col">{s.applicant}</th>
                        <th scope="col">{s.procedure}</th>
                        <th scope="col">{s.queue_status}</th>
                        <th scope="col">{s.queue_received}</th>
                        <th scope="col">{s.processing_due}</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .rows
                        .into_iter()
                        .map(|row| {
                            let due = row.due_date.as_deref().and_then(Date::parse_iso);
                            let running = CLOCK_RUNNING.contains(&row.status);
                            let late = running && due.is_some_and(|d| d < today);
                            view! {
                                <tr class=late.then_some("late")>
                                    <td><a class="code" href=paths::staff_dossier(&row.code)>{row.code.clone()}</a></td>
                                    <td><strong>{row.applicant_name.clone()}</strong></td>
                                    <td>{row.procedure_name.clone()}<span class="meta">{s.channel(row.channel)}</span></td>
                                    <td>
                                        {f.status_name(row.status)}
                                        {row.supplement_sent.then(|| view! { " " <span class="badge supplement">{s.supplement_sent_badge}</span> })}
                                    </td>
                                    <td>{Date::in_vietnam(row.received_at).day_month_year()}</td>
                                    <td>
                                        {due.map(Date::day_month_year)}
                                        {late.then(|| view! { " " <span class="badge late">{s.overdue_badge}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {(page.page_count > 1).then(|| view! {
            <nav class="pagination" aria-label=t.pagination_label>
                {(page.page > 1).then(|| view! { <a href=link(current, page.page - 1)>{t.previous_page}</a> })}
                <span>{t.page_of(page.page, page.page_count)}</span>
                {(page.page < page.page_count).then(|| view! { <a href=link(current, page.page + 1)>{t.next_page}</a> })}
            </nav>
        })}
    }
}
