//! The intake page's procedure search. An island: without JavaScript it is a search form whose
//! answer is the page again with what it found; with it, the list follows what the clerk types
//! (the same search, asked of `/can-bo/tiep-nhan/tim` a moment after the last key).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::intake::{FoundProcedure, field};
use crate::i18n::{CountedLine, Texts};
use crate::paths::INTAKE;

const RESULTS_ID: &str = "tim-ket-qua";
const HINT_ID: &str = "tim-goi-y";

/// The island's words, carried in its props: reading `Lang::texts` in the island would put every
/// translation into the WebAssembly bundle (docs/performance.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinderTexts {
    label: String,
    hint: String,
    find: String,
    nothing_found: String,
    found: CountedLine,
}

impl FinderTexts {
    pub fn new(t: &Texts) -> FinderTexts {
        FinderTexts {
            label: t.staff.find_procedure.to_owned(),
            hint: t.staff.find_procedure_hint.to_owned(),
            find: t.staff.find.to_owned(),
            nothing_found: t.staff.nothing_found.to_owned(),
            found: CountedLine::new(t.lang, |count| t.results_found(count)),
        }
    }
}

#[island]
pub fn ProcedureFinder(
    texts: FinderTexts,
    search: String,
    found: Vec<FoundProcedure>,
) -> impl IntoView {
    let FinderTexts {
        label,
        hint,
        find,
        nothing_found,
        found: found_line,
    } = texts;
    let searched = RwSignal::new(!search.trim().is_empty());
    let results = RwSignal::new(found);
    // Set once the island runs: the list then follows the typing.
    let live = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    #[cfg(feature = "hydrate")]
    let on_input = live::searcher(searched, results);
    #[cfg(not(feature = "hydrate"))]
    let on_input = |_: leptos::ev::Event| {};
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        live.set(true);
        // What was typed before the island ran is searched now.
        if let Some(input) = input.get()
            && !input.value().trim().is_empty()
            && let Ok(event) = web_sys::Event::new("input")
        {
            let _ = input.dispatch_event(&event);
        }
    });
    view! {
        <form method="get" action=INTAKE role="search" class="finder stack" data-live=move || live.get().then_some("")>
            <div class="field">
                <label for=field::SEARCH>{label}</label>
                <p class="hint" id=HINT_ID>{hint}</p>
                <div class="search-row">
                    <input
                        type="search"
                        id=field::SEARCH
                        name=field::SEARCH
                        value=search
                        autocomplete="off"
                        aria-describedby=HINT_ID
                        aria-controls=RESULTS_ID
                        node_ref=input
                        on:input=on_input
                    />
                    <button type="submit" class="secondary">{find}</button>
                </div>
            </div>
            <div id=RESULTS_ID>
                <p class="finder-count" aria-live="polite">
                    {move || {
                        let count = results.with(Vec::len);
                        match (searched.get(), count) {
                            (false, _) => String::new(),
                            (true, 0) => nothing_found.clone(),
                            (true, count) => found_line.with(count),
                        }
                    }}
                </p>
                <ul class="finder-results">
                    {move || {
                        results
                            .get()
                            .into_iter()
                            .map(|found| {
                                let href = crate::domain::url::with_query(INTAKE, &[(field::PROCEDURE, found.code.as_str())]);
                                view! { <li><a href=href>{found.name}" "<span class="muted">{format!("({})", found.code)}</span></a></li> }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use gloo::timers::callback::Timeout;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::XmlHttpRequest;

    use crate::domain::intake::{FoundProcedure, field};
    use crate::paths::INTAKE_FINDER;

    /// Typing pauses this long (milliseconds) before the search is asked: one request per word,
    /// not per key.
    const PAUSE_MS: u32 = 200;

    /// The input handler: waits for a pause in typing, asks the server, shows the answer of the
    /// latest request only (an older one may arrive after it).
    pub fn searcher(
        searched: RwSignal<bool>,
        results: RwSignal<Vec<FoundProcedure>>,
    ) -> impl Fn(leptos::ev::Event) + 'static {
        // Replacing the pending timeout drops it, and a dropped gloo timeout never fires.
        let pending = StoredValue::new_local(None::<Timeout>);
        let latest = StoredValue::new(0u32);
        move |event| {
            let typed = event_target_value(&event);
            pending.set_value(None);
            if typed.trim().is_empty() {
                searched.set(false);
                results.set(Vec::new());
                return;
            }
            latest.update_value(|n| *n += 1);
            let asked = latest.get_value();
            let timeout = Timeout::new(PAUSE_MS, move || {
                leptos::task::spawn_local(async move {
                    match ask(&typed).await {
                        Ok(found) if latest.get_value() == asked => {
                            searched.set(true);
                            results.set(found);
                        }
                        Ok(_) => {}
                        Err(error) => leptos::logging::warn!("search failed: {error:?}"),
                    }
                });
            });
            pending.set_value(Some(timeout));
        }
    }

    async fn ask(typed: &str) -> Result<Vec<FoundProcedure>, JsValue> {
        let url = crate::domain::url::with_query(INTAKE_FINDER, &[(field::SEARCH, typed)]);
        let request = XmlHttpRequest::new()?;
        request.open_with_async("GET", &url, true)?;
        request.set_request_header("Accept", "application/json")?;
        let finished = {
            let request = request.clone();
            js_sys::Promise::new(&mut |resolve, reject| {
                request.set_onload(Some(resolve.unchecked_ref()));
                request.set_onerror(Some(reject.unchecked_ref()));
            })
        };
        request.send()?;
        JsFuture::from(finished).await?;
        if request.status()? != 200 {
            return Err(JsValue::from_str("the search answered an error"));
        }
        let body = request.response_text()?.unwrap_or_default();
        serde_json::from_str(&body).map_err(|error| JsValue::from_str(&error.to_string()))
    }
}
