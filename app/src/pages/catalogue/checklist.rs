//! The documents of a case as a checklist the citizen can tick while gathering papers at home.
//! Plain HTML, not an island: every document has a native checkbox, with or without JavaScript.
//! With JavaScript, `public/checklist.js` (a few hundred bytes, where an island would bring the
//! whole WebAssembly bundle: docs/performance.md) counts the ticks and keeps them in the phone's
//! local storage, per procedure and case.

use leptos::prelude::*;

use crate::i18n::{CountedLine, Texts};

/// Where the script is served from (the `public/` folder is the site's root).
const SCRIPT: &str = "/checklist.js";

/// One document as the list shows it: its name and the lines under it (counts, forms, …).
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub name: String,
    pub details: Vec<String>,
    pub optional: bool,
}

/// The list of one case. `storage_key` names the ticks in local storage; the script reads it
/// from `data-checklist`, and the hint and the count stay hidden until the script shows them,
/// since without it nothing is counted or remembered.
#[component]
pub fn DocumentChecklist(
    storage_key: String,
    t: &'static Texts,
    items: Vec<ChecklistItem>,
) -> impl IntoView {
    let total = items.len();
    let progress = CountedLine::new(t.lang, |done| t.prepared_count(done, total));
    let (before_count, after_count) = progress.around_count();
    let (before_count, after_count) = (before_count.to_owned(), after_count.to_owned());
    view! {
        <div class="checklist" data-checklist=storage_key>
            <p class="checklist-hint" hidden>{t.checklist_hint}</p>
            <ul class="documents">
                {items
                    .into_iter()
                    .map(|item| {
                        view! {
                            <li>
                                <label class="doc-name">
                                    <input type="checkbox" />
                                    {item.name}
                                </label>
                                {item
                                    .details
                                    .into_iter()
                                    .map(|line| view! { <span class="doc-count">{line}</span> })
                                    .collect_view()}
                                {item
                                    .optional
                                    .then(|| view! { <span class="badge muted">{t.optional_document}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="checklist-progress" aria-live="polite" hidden>
                {before_count}
                <span class="checklist-done">"0"</span>
                {after_count}
            </p>
        </div>
    }
}

/// The script that makes the lists count and remember: once per page, after the lists. It
/// carries the page's nonce like every script of a page (the content policy would let a script
/// from this site run without it, but no page has to rely on that).
#[component]
pub fn ChecklistScript() -> impl IntoView {
    view! { <script src=SCRIPT defer nonce=leptos::nonce::use_nonce()></script> }
}
