//! The documents of a case as a checklist the citizen can tick while gathering papers at home.
//! An island: without JavaScript it is the plain list; with it, each document gets a checkbox
//! and the ticks are kept in the phone's local storage, per procedure and case.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// One document as the list shows it: its name and the lines under it (counts, forms, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub name: String,
    pub details: Vec<String>,
    pub optional: bool,
}

#[island]
pub fn DocumentChecklist(
    storage_key: String,
    lang: Lang,
    items: Vec<ChecklistItem>,
) -> impl IntoView {
    let t = lang.texts();
    let total = items.len();
    let ticked = RwSignal::new(vec![false; total]);
    // Checkboxes appear only once the island runs: without JavaScript they could not be kept.
    let interactive = RwSignal::new(false);
    let key = StoredValue::new(storage_key);
    Effect::new(move |_| {
        if let Some(saved) = load_ticks(&key.get_value())
            && saved.len() == total
        {
            ticked.set(saved);
        }
        interactive.set(true);
    });
    let toggle = move |index: usize, checked: bool| {
        ticked.update(|ticks| ticks[index] = checked);
        save_ticks(&key.get_value(), &ticked.get_untracked());
    };
    view! {
        <Show when=move || interactive.get()>
            <p class="checklist-hint">{t.checklist_hint}</p>
            <p class="checklist-progress" aria-live="polite">
                {move || t.prepared_count(ticked.with(|v| v.iter().filter(|x| **x).count()), total)}
            </p>
        </Show>
        <ul class="documents">
            {items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    view! {
                        <li>
                            <label class="doc-name">
                                <Show when=move || interactive.get()>
                                    <input
                                        type="checkbox"
                                        prop:checked=move || ticked.with(|v| v[index])
                                        on:change=move |ev| toggle(index, event_target_checked(&ev))
                                    />
                                </Show>
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
    }
}

#[cfg(feature = "hydrate")]
fn load_ticks(key: &str) -> Option<Vec<bool>> {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::get(key).ok()
}

#[cfg(feature = "hydrate")]
fn save_ticks(key: &str, ticks: &[bool]) {
    use gloo::storage::{LocalStorage, Storage};
    // A full or disabled storage only means the ticks are not remembered.
    let _ = LocalStorage::set(key, ticks);
}

#[cfg(not(feature = "hydrate"))]
fn load_ticks(_key: &str) -> Option<Vec<bool>> {
    None
}

#[cfg(not(feature = "hydrate"))]
fn save_ticks(_key: &str, _ticks: &[bool]) {}
