//! The frame of every page, and the pages for "not found" and "server error".

use crate::paths;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::center::PickedCenter;
use crate::domain::url::with_query;
use crate::{request_uri, use_texts};

/// Text for the two places this version of Leptos writes into the page unescaped: a `<title>`
/// (leptos_meta's `Title`) and the content of a `<textarea>`. `&`, `<` and `>` are escaped here,
/// so what someone typed or searched can never close the element; browsers decode them back.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `escaped` for a page title.
pub fn title_text(text: String) -> String {
    escaped(&text)
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    // The commune the citizen picked (`server::http::center`); a way to change it when the
    // installation serves more than one.
    let picked = use_context::<PickedCenter>();
    let center = picked
        .as_ref()
        .map(|picked| picked.center.name.clone())
        .unwrap_or_default();
    let change = picked.filter(|picked| picked.others).map(|_| {
        view! { <a class="center-switch" href=paths::CENTERS>{t.centers.change}</a> }
    });
    let switch_href = with_query(
        &paths::language(t.lang.other().code()),
        &[("tiep", &current_path_and_query())],
    );
    view! {
        <a class="skip-link" href="#noi-dung">
            {t.skip_to_content}
        </a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-name">{t.site_name}</span>
                    <span class="brand-center">{center}</span>
                </a>
                {change}
                <a class="lang-switch" href=switch_href hreflang=t.lang.other().code() lang=t.lang.other().code()>
                    {t.switch_language}
                </a>
            </div>
            // One "Menu" control on a narrow screen (and at 200 % zoom), the links in a row on a
            // wide one; no script either way.
            <details class="wrap menu">
                <summary>{t.menu}</summary>
                <nav class="site-nav" aria-label=t.nav_label>
                    <a href="/">{t.nav_home}</a>
                    <a href=paths::CATALOGUE>{t.nav_catalogue}</a>
                    <a href=paths::STATUS>{t.filing.nav_lookup}</a>
                    <a href=paths::STATISTICS>{t.stats.statistics}</a>
                </nav>
            </details>
        </header>
        <main id="noi-dung" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p class="wrap">{t.footer_note}</p>
        </footer>
    }
}

/// The path and query of the request being rendered, to come back to it.
fn current_path_and_query() -> String {
    request_uri()
        .and_then(|uri| uri.path_and_query().map(|pq| pq.as_str().to_owned()))
        .unwrap_or_else(|| "/".to_owned())
}

/// Sets the HTTP status of the page being rendered.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// One term and its value in a description list (`<dl>`): the receipt, the status page and the
/// review step list a dossier's details this way.
pub fn term(label: &'static str, value: String) -> impl IntoView + use<> {
    view! {
        <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let t = use_texts();
    view! {
        <Title text=title_text(format!("{} · {}", t.not_found_title, t.site_name)) />
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_text}</p>
        <p class="actions">
            <a class="button" href="/">{t.back_home}</a>
            <a href=paths::CATALOGUE>{t.all_procedures}</a>
        </p>
    }
}

#[component]
pub fn ServerError() -> impl IntoView {
    set_status(500);
    let t = use_texts();
    view! {
        <Title text=title_text(format!("{} · {}", t.error_title, t.site_name)) />
        <h1>{t.error_title}</h1>
        <p>{t.error_text}</p>
        <p class="actions">
            <a class="button" href="/">{t.back_home}</a>
        </p>
    }
}

/// The search form of the home and catalogue pages: a plain GET form, so it works without
/// JavaScript and its result pages can be bookmarked and shared.
#[component]
pub fn SearchForm(
    #[prop(into)] query: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <form class="search-form" role="search" method="get" action=paths::CATALOGUE>
            <label for="q">{t.search_label}</label>
            <div class="search-row">
                <input
                    id="q"
                    name="q"
                    type="search"
                    value=query
                    placeholder=t.search_placeholder
                    maxlength="200"
                    autocomplete="off"
                    enterkeyhint="search"
                />
                <button type="submit">{t.search_button}</button>
            </div>
            {children.map(|children| children())}
        </form>
    }
}

/// Link to the catalogue filtered by one sector.
pub fn sector_href(sector: &str) -> String {
    with_query(paths::CATALOGUE, &[("linh-vuc", sector)])
}
