//! The catalogue: search and filter procedures, one page of results at a time.

pub mod checklist;
pub mod procedure;

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_query_map;

use crate::api::{list_sectors, search_procedures};
use crate::domain::procedure::{CatalogueFilter, OnlineLevel, ProcedureSummary};
use crate::domain::url::with_query;
use crate::pages::layout::{SearchForm, ServerError};
use crate::use_texts;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let t = use_texts();
    let query_map = use_query_map();
    let filter = query_map.with_untracked(|q| {
        CatalogueFilter::new(
            &q.get("q").unwrap_or_default(),
            &q.get("linh-vuc").unwrap_or_default(),
            &q.get("muc-do").unwrap_or_default(),
            &q.get("trang").unwrap_or_default(),
        )
    });
    let results = Resource::new_blocking(
        {
            let filter = filter.clone();
            move || filter.clone()
        },
        search_procedures,
    );
    let sectors = Resource::new_blocking(|| (), |_| list_sectors());
    let title = if filter.query.is_empty() {
        format!("{} · {}", t.catalogue_title, t.site_name)
    } else {
        format!("{} · {} · {}", filter.query, t.catalogue_title, t.site_name)
    };
    view! {
        <Title text=title_text(title) />
        <Meta name="description" content=t.catalogue_description />
        <h1>{t.catalogue_title}</h1>
        <Suspense>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match (results.await, sectors.await) {
                        (Ok(page), Ok(sectors)) => {
                            let selected_level = filter.online_level;
                            let page_link = {
                                let filter = filter.clone();
                                move |page: usize| {
                                    with_query(
                                        "/thu-tuc",
                                        &[
                                            ("q", filter.query.as_str()),
                                            ("linh-vuc", filter.sector.as_str()),
                                            ("muc-do", filter.online_level.map(OnlineLevel::key).unwrap_or("")),
                                            ("trang", &page.to_string()),
                                        ],
                                    )
                                }
                            };
                            view! {
                                <SearchForm query=filter.query.clone()>
                                    <div class="filters">
                                        <div class="field">
                                            <label for="linh-vuc-chon">{t.filter_sector}</label>
                                            <select id="linh-vuc-chon" name="linh-vuc">
                                                <option value="">{t.any_sector}</option>
                                                {sectors
                                                    .into_iter()
                                                    .map(|s| {
                                                        let selected = s.name == filter.sector;
                                                        view! {
                                                            <option value=s.name.clone() selected=selected>
                                                                {s.name.clone()}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for="muc-do-chon">{t.filter_online}</label>
                                            <select id="muc-do-chon" name="muc-do">
                                                <option value="">{t.any_online}</option>
                                                {OnlineLevel::ALL
                                                    .into_iter()
                                                    .map(|level| {
                                                        view! {
                                                            <option value=level.key() selected=selected_level == Some(level)>
                                                                {t.online_level_name(level)}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </div>
                                        <button type="submit" class="secondary">{t.apply_filters}</button>
                                    </div>
                                </SearchForm>
                                <p class="result-count" role="status">{t.results_found(page.total)}</p>
                                {if page.items.is_empty() {
                                    view! {
                                        <p>{t.no_results}</p>
                                        <p class="hint">{t.no_results_hint}</p>
                                    }
                                        .into_any()
                                } else {
                                    view! { <ProcedureList items=page.items /> }.into_any()
                                }}
                                {(page.page_count > 1)
                                    .then(|| {
                                        view! {
                                            <nav class="pagination" aria-label=t.pagination_label>
                                                {(page.page > 1)
                                                    .then(|| {
                                                        view! {
                                                            <a href=page_link(page.page - 1) rel="prev">{t.previous_page}</a>
                                                        }
                                                    })}
                                                <span>{t.page_of(page.page, page.page_count)}</span>
                                                {(page.page < page.page_count)
                                                    .then(|| {
                                                        view! {
                                                            <a href=page_link(page.page + 1) rel="next">{t.next_page}</a>
                                                        }
                                                    })}
                                            </nav>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                        _ => view! { <ServerError /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A list of procedures linking to their pages.
#[component]
pub fn ProcedureList(items: Vec<ProcedureSummary>) -> impl IntoView {
    let t = use_texts();
    view! {
        <ul class="procedure-list">
            {items
                .into_iter()
                .map(|item| {
                    let online = item.online_level.accepts_online_filing();
                    view! {
                        <li>
                            <a href=paths::procedure(&item.code)>{item.name.clone()}</a>
                            <span class="meta">
                                {item.sector.clone()}
                                {online
                                    .then(|| {
                                        view! {
                                            " · "
                                            <span class="badge">{t.online_level_name(item.online_level)}</span>
                                        }
                                    })}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
