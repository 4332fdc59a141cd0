//! The home page: search first, then sectors and the procedures people need most.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;

use crate::api::home_data;
use crate::domain::center::PickedCenter;
use crate::pages::catalogue::ProcedureList;
use crate::pages::centers::CenterFacts;
use crate::pages::layout::{SearchForm, ServerError, sector_href};
use crate::use_texts;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let data = Resource::new_blocking(|| (), |_| home_data());
    // Named only when the installation serves several communes, or the center has something
    // to tell: one center alone stays the page it was.
    let picked = use_context::<PickedCenter>().filter(|picked| {
        picked.others || !picked.center.address.is_empty() || !picked.center.caveats.is_empty()
    });
    view! {
        <Title text=title_text(format!("{} · {}", t.home_title, t.site_name)) />
        <Meta name="description" content=t.home_intro />
        <h1>{t.home_title}</h1>
        <p class="lead">{t.home_intro}</p>
        <SearchForm query="" />
        {picked.map(|picked| {
            let change = picked.others.then(|| view! { <p><a href=paths::CENTERS>{t.centers.change}</a></p> });
            view! {
                <section aria-labelledby="trung-tam">
                    <h2 id="trung-tam">{format!("{}: {}", t.centers.your_center, picked.center.name)}</h2>
                    <CenterFacts center=picked.center />
                    {change}
                </section>
            }
        })}
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        view! {
                            <section aria-labelledby="thuong-lam">
                                <h2 id="thuong-lam">{t.popular_heading}</h2>
                                <ProcedureList items=data.popular />
                                <p>
                                    <a href=paths::CATALOGUE>{t.all_procedures}</a>
                                </p>
                            </section>
                            <section aria-labelledby="linh-vuc">
                                <h2 id="linh-vuc">{t.sectors_heading}</h2>
                                <ul class="sector-list">
                                    {data
                                        .sectors
                                        .into_iter()
                                        .map(|sector| {
                                            view! {
                                                <li>
                                                    <a href=sector_href(&sector.name)>
                                                        {sector.name.clone()}
                                                        <span class="count">{sector.count}</span>
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
