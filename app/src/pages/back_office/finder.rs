//! The intake page's procedure search. Without JavaScript it is a search form whose answer is
//! the page again with what it found; with it, an island makes the list follow what the clerk
//! types (the same search, asked of `/can-bo/tiep-nhan/tim` a moment after the last key).
//!
//! The island takes no props: Leptos reads an island's props with `serde_json`, whose code would
//! go into the WebAssembly bundle every page with an island loads, citizens' pages included
//! (docs/performance.md). Its words are attributes of the form, rendered by the server.

use leptos::prelude::*;

use crate::domain::intake::{FoundProcedure, field};
use crate::i18n::{CountedLine, Texts};
use crate::paths::INTAKE;

const FORM_ID: &str = "tim-thu-tuc";
const RESULTS_ID: &str = "tim-ket-qua";
const HINT_ID: &str = "tim-goi-y";

#[component]
pub fn ProcedureFinder(
    t: &'static Texts,
    search: String,
    found: Vec<FoundProcedure>,
) -> impl IntoView {
    let s = &t.staff;
    let found_line = CountedLine::new(t.lang, |count| t.results_found(count));
    let (found_before, found_after) = found_line.around_count();
    let searched = (!search.trim().is_empty()).then_some(found.len());
    let count_line = count_line(searched, s.nothing_found, &found_line);
    view! {
        <form
            id=FORM_ID
            method="get"
            action=INTAKE
            role="search"
            class="finder stack"
            data-nothing-found=s.nothing_found
            data-found-one=found_line.with(1)
            data-found-before=found_before.to_owned()
            data-found-after=found_after.to_owned()
        >
            <div class="field">
                <label for=field::SEARCH>{s.find_procedure}</label>
                <p class="hint" id=HINT_ID>{s.find_procedure_hint}</p>
                <div class="search-row">
                    <input
                        type="search"
                        id=field::SEARCH
                        name=field::SEARCH
                        value=search
                        autocomplete="off"
                        aria-describedby=HINT_ID
                        aria-controls=RESULTS_ID
                    />
                    <button type="submit" class="secondary">{s.find}</button>
                </div>
            </div>
            <div id=RESULTS_ID>
                <p class="finder-count" aria-live="polite">{count_line}</p>
                <ul class="finder-results">
                    {found
                        .into_iter()
                        .map(|found| {
                            let href = result_link(&found.code);
                            view! { <li><a href=href>{found.name}" "<span class="muted">{format!("({})", found.code)}</span></a></li> }
                        })
                        .collect_view()}
                </ul>
            </div>
            // Inside the form: the island loader starts when a form holding an island is used.
            <FinderEnhancer />
        </form>
    }
}

/// What the count line says: nothing before a search (`None`), else how many were found.
fn count_line(found: Option<usize>, nothing_found: &str, line: &CountedLine) -> String {
    match found {
        None => String::new(),
        Some(0) => nothing_found.to_owned(),
        Some(count) => line.with(count),
    }
}

/// The intake page for a procedure the search found.
fn result_link(code: &str) -> String {
    crate::domain::url::with_query(INTAKE, &[(field::PROCEDURE, code)])
}

#[island]
fn FinderEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::attach(FORM_ID);
}

#[cfg(feature = "hydrate")]
mod live {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use gloo::timers::callback::Timeout;
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, HtmlInputElement, XmlHttpRequest};

    use super::{RESULTS_ID, count_line, result_link};
    use crate::domain::intake::field;
    use crate::i18n::CountedLine;
    use crate::paths::INTAKE_FINDER;

    /// Typing pauses this long (milliseconds) before the search is asked: one request per word,
    /// not per key.
    const PAUSE_MS: u32 = 200;

    /// Makes the list follow the typing: waits for a pause, asks the server, shows the answer
    /// of the latest request only (an older one may arrive after it).
    pub fn attach(form_id: &str) {
        let document = document();
        let Some(form) = document.get_element_by_id(form_id) else {
            return;
        };
        let Some(input) = document
            .get_element_by_id(field::SEARCH)
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        // Replacing the pending timeout drops it, and a dropped gloo timeout never fires.
        let pending = Rc::new(RefCell::new(None::<Timeout>));
        let latest = Rc::new(Cell::new(0u32));
        let list = form.clone();
        let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(typed) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|input| input.value())
            else {
                return;
            };
            pending.borrow_mut().take();
            latest.set(latest.get() + 1);
            if typed.trim().is_empty() {
                show(&list, None);
                return;
            }
            let asked = latest.get();
            let latest = latest.clone();
            let list = list.clone();
            let timeout = Timeout::new(PAUSE_MS, move || {
                wasm_bindgen_futures::spawn_local(async move {
                    match ask(&typed).await {
                        Ok(found) if latest.get() == asked => show(&list, Some(found)),
                        Ok(_) => {}
                        Err(error) => web_sys::console::warn_1(&error),
                    }
                });
            });
            *pending.borrow_mut() = Some(timeout);
        });
        let _ = input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_input.forget();
        let _ = form.set_attribute("data-live", "");
        // What was typed before the island ran is searched now.
        if !input.value().trim().is_empty()
            && let Ok(event) = web_sys::Event::new("input")
        {
            let _ = input.dispatch_event(&event);
        }
    }

    /// A found procedure, as the server's JSON answer has it.
    struct Found {
        code: String,
        name: String,
    }

    async fn ask(typed: &str) -> Result<Vec<Found>, JsValue> {
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
        // The browser's own JSON parser: serde_json would add its code to the bundle.
        let body = request.response_text()?.unwrap_or_default();
        let answer: js_sys::Array = js_sys::JSON::parse(&body)?.dyn_into()?;
        let member = |entry: &JsValue, name: &str| {
            js_sys::Reflect::get(entry, &JsValue::from_str(name))
                .ok()
                .and_then(|value| value.as_string())
        };
        Ok(answer
            .iter()
            .filter_map(|entry| {
                Some(Found {
                    code: member(&entry, "code")?,
                    name: member(&entry, "name")?,
                })
            })
            .collect())
    }

    /// Writes the count line and the list: `None` when nothing is searched.
    fn show(form: &Element, found: Option<Vec<Found>>) {
        let word = |name: &str| form.get_attribute(name).unwrap_or_default();
        let found_line = CountedLine::from_words(
            word("data-found-one"),
            word("data-found-before"),
            word("data-found-after"),
        );
        let count_line = count_line(
            found.as_ref().map(Vec::len),
            &word("data-nothing-found"),
            &found_line,
        );
        let document = document();
        let Some(results) = document.get_element_by_id(RESULTS_ID) else {
            return;
        };
        if let Ok(Some(count)) = results.query_selector(".finder-count") {
            count.set_text_content(Some(&count_line));
        }
        let Ok(Some(list)) = results.query_selector(".finder-results") else {
            return;
        };
        list.set_text_content(None);
        for found in found.unwrap_or_default() {
            let item = || -> Result<(), JsValue> {
                let entry = document.create_element("li")?;
                let link = document.create_element("a")?;
                link.set_attribute("href", &result_link(&found.code))?;
                link.append_with_str_1(&format!("{} ", found.name))?;
                let code = document.create_element("span")?;
                code.set_class_name("muted");
                code.set_text_content(Some(&format!("({})", found.code)));
                link.append_child(&code)?;
                entry.append_child(&link)?;
                list.append_child(&entry)?;
                Ok(())
            };
            let _ = item();
        }
    }
}
