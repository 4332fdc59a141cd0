//! `/xa`: the citizen picks their commune, by name with or without diacritics. Each commune is
//! a link to `/xa/{slug}`, which remembers it (`server::routes::site::pick_center`): the same
//! address the commune prints on its own posters and QR codes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::list_centers;
use crate::domain::center::{Center, ReceivingDays};
use crate::i18n::Texts;
use crate::pages::layout::{ServerError, title_text};
use crate::paths;
use crate::use_texts;

#[component]
pub fn CentersPage() -> impl IntoView {
    let t = use_texts();
    let c = t.centers;
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let view_data = Resource::new_blocking(
        {
            let query = query.clone();
            move || query.clone()
        },
        list_centers,
    );
    view! {
        <Title text=title_text(format!("{} · {}", c.picker_title, t.site_name)) />
        <h1>{c.picker_title}</h1>
        <p class="lead">{c.picker_intro}</p>
        <form class="search-form" role="search" method="get" action=paths::CENTERS>
            <label for="tim-xa">{c.search_label}</label>
            <p class="hint" id="tim-xa-goi-y">{c.search_hint}</p>
            <div class="search-row">
                <input id="tim-xa" name="q" type="search" value=query maxlength="100"
                    autocomplete="off" enterkeyhint="search" aria-describedby="tim-xa-goi-y" />
                <button type="submit">{c.search_button}</button>
            </div>
        </form>
        <Suspense>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) if data.centers.is_empty() => view! { <p role="status">{c.none_found}</p> }.into_any(),
                    Ok(data) => {
                        let items = data
                            .centers
                            .iter()
                            .map(|center| {
                                let chosen = center.slug == data.picked;
                                view! {
                                    <li>
                                        <a href=paths::center(&center.slug) aria-current=chosen.then_some("true")>
                                            {center.name.clone()}
                                        </a>
                                        {chosen.then(|| view! { <strong>{format!(" · {}", c.chosen)}</strong> })}
                                        {(!center.address.is_empty()).then(|| view! { <br /><span>{center.address.clone()}</span> })}
                                    </li>
                                }
                            })
                            .collect_view();
                        view! { <ul class="center-list">{items}</ul> }.into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The days a center receives, in words: "Thứ Hai, Thứ Ba, …".
pub fn receiving_days_text(t: &'static Texts, days: ReceivingDays) -> String {
    t.centers
        .weekday_names
        .iter()
        .enumerate()
        .filter(|(index, _)| days.receives(index + 1))
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a citizen should know about a center before going: address, hours, days, caveats.
#[component]
pub fn CenterFacts(center: Center) -> impl IntoView {
    let t = use_texts();
    let c = t.centers;
    let fact = |label: &'static str, value: String| {
        (!value.is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> })
    };
    view! {
        <dl class="center-facts">
            {fact(c.address, center.address.clone())}
            {fact(c.office_hours, center.office_hours.clone())}
            {fact(c.receiving_days, receiving_days_text(t, center.receiving_days))}
            {fact(c.caveats, center.caveats.clone())}
        </dl>
    }
}
