//! A procedure's page: everything a citizen needs before filing, case by case.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_params_map;

use crate::api::get_procedure;
use crate::domain::procedure::{Channel, Fee, Procedure, ProcedureCase, RequiredDocument};
use crate::i18n::Texts;
use crate::pages::catalogue::checklist::{ChecklistItem, DocumentChecklist};
use crate::pages::layout::{NotFound, ServerError, sector_href};
use crate::use_texts;

/// Loads the procedure named in the URL and renders `found` with it, or the 404 / error page.
fn with_procedure<V: IntoView + 'static>(
    found: impl Fn(Procedure) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let procedure = Resource::new_blocking(move || code.clone(), get_procedure);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match procedure.await {
                    Ok(Some(procedure)) => found(procedure).into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ProcedurePage() -> impl IntoView {
    with_procedure(|procedure| view! { <ProcedureDetail procedure /> })
}

#[component]
fn ProcedureDetail(procedure: Procedure) -> impl IntoView {
    let t = use_texts();
    let description = format!("{} · {}", procedure.name, procedure.sector.name);
    let several_cases = procedure.cases.len() > 1;
    let apply_href = paths::filing_start(&procedure.code);
    view! {
        <Title text=title_text(format!("{} · {}", procedure.name, t.site_name)) />
        <Meta name="description" content=description />
        <article class="procedure">
            <h1>{procedure.name.clone()}</h1>
            <dl class="facts">
                <div>
                    <dt>{t.procedure_code}</dt>
                    <dd>{procedure.code.clone()}</dd>
                </div>
                <div>
                    <dt>{t.sector}</dt>
                    <dd>
                        <a href=sector_href(&procedure.sector.name)>{procedure.sector.name.clone()}</a>
                    </dd>
                </div>
                <div>
                    <dt>{t.online_level}</dt>
                    <dd>{t.online_level_name(procedure.online_level)}</dd>
                </div>
            </dl>
            {if procedure.online_level.accepts_online_filing() {
                view! {
                    <p>
                        <a class="button primary" href=apply_href>{t.apply_online}</a>
                    </p>
                }
                    .into_any()
            } else {
                view! { <p class="note">{t.counter_only_note}</p> }.into_any()
            }}
            {list_section("luu-y", "caveats", t.caveats_heading, procedure.caveats.clone())}
            {text_section("ai-duoc-lam", t.who_may_apply, procedure.applicants.clone())}
            {text_section("dieu-kien", t.conditions, procedure.conditions.clone())}
            {procedure
                .cases
                .iter()
                .enumerate()
                .map(|(index, case)| {
                    view! { <CaseSection code=procedure.code.clone() case=case.clone() index several=several_cases /> }
                })
                .collect_view()}
            <section aria-labelledby="cach-nop">
                <h2 id="cach-nop">{t.channels_heading}</h2>
                <ul class="channels">
                    {procedure.channels.iter().cloned().map(|c| channel_item(t, c)).collect_view()}
                </ul>
            </section>
            {list_section("ket-qua", "", t.results_heading, procedure.results.clone())}
            {text_section("noi-nop", t.where_to_submit, procedure.where_to_submit.clone())}
            {text_section("co-quan", t.agency, procedure.agency.clone())}
            {(!procedure.legal_basis.is_empty())
                .then(|| {
                    view! {
                        <details class="legal">
                            <summary>
                                <h2>{t.legal_basis_heading}</h2>
                            </summary>
                            <ul>
                                {procedure
                                    .legal_basis
                                    .iter()
                                    .map(|doc| {
                                        view! {
                                            <li>
                                                <strong>{doc.title.clone()}</strong>
                                                {(!doc.title.contains(&doc.number)).then(|| format!(" {}", doc.number))}
                                                {(!doc.issued_on.is_empty() || !doc.issuer.is_empty())
                                                    .then(|| format!(" ({} {})", doc.issuer, doc.issued_on))}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </details>
                    }
                })}
            {(!procedure.unparsed.is_empty())
                .then(|| {
                    view! {
                        <details class="unparsed">
                            <summary>
                                <h2>{t.unparsed_heading}</h2>
                            </summary>
                            <p class="note">{t.unparsed_note}</p>
                            {procedure
                                .unparsed
                                .iter()
                                .map(|u| view! { <p class="prewrap">{u.text.clone()}</p> })
                                .collect_view()}
                        </details>
                    }
                })}
        </article>
    }
}

fn list_section(
    id: &'static str,
    class: &'static str,
    heading: &'static str,
    items: Vec<String>,
) -> Option<impl IntoView> {
    (!items.is_empty()).then(|| {
        view! {
            <section class=class aria-labelledby=id>
                <h2 id=id>{heading}</h2>
                <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
            </section>
        }
    })
}

fn text_section(id: &'static str, heading: &'static str, text: String) -> Option<impl IntoView> {
    (!text.is_empty()).then(|| {
        view! {
            <section aria-labelledby=id>
                <h2 id=id>{heading}</h2>
                <p class="prewrap">{text}</p>
            </section>
        }
    })
}

#[component]
fn CaseSection(code: String, case: ProcedureCase, index: usize, several: bool) -> impl IntoView {
    let t = use_texts();
    // Real records list up to dozens of steps: a long list starts folded, so the documents
    // (what a citizen must bring) stay near the top on a phone.
    let steps_open = case.steps.len() <= 5;
    let steps_count = case.steps.len();
    let documents_id = format!("giay-to-{index}");
    let documents_label = documents_id.clone();
    let inner = view! {
        <section aria-labelledby=documents_label>
            <h3 id=documents_id>{t.documents_heading}</h3>
            <DocumentChecklist
                storage_key=format!("motcua.chuan-bi.{code}.{index}")
                lang=t.lang
                items=case.documents.into_iter().map(|d| checklist_item(t, d)).collect()
            />
        </section>
        {(!case.notes.is_empty())
            .then(|| {
                view! {
                    <details class="notes">
                        <summary>{format!("{} ({})", t.document_notes, case.notes.len())}</summary>
                        <ul>{case.notes.into_iter().map(|n| view! { <li class="prewrap">{n}</li> }).collect_view()}</ul>
                    </details>
                }
            })}
        <details class="steps-section" open=steps_open>
            <summary>
                <h3>{format!("{} ({steps_count})", t.steps_heading)}</h3>
            </summary>
            <ol class="steps">
                {case.steps.into_iter().map(|s| view! { <li class="prewrap">{s}</li> }).collect_view()}
            </ol>
        </details>
    };
    if several {
        view! {
            <details class="case" open=index == 0>
                <summary>
                    <h2>{format!("{}: {}", t.case_heading, case.name)}</h2>
                </summary>
                {inner}
            </details>
        }
        .into_any()
    } else {
        view! { <div class="case">{inner}</div> }.into_any()
    }
}

/// A required document as the checklist shows it: counts and form templates under its name.
fn checklist_item(t: &Texts, document: RequiredDocument) -> ChecklistItem {
    let counts = t.document_counts(document.originals, document.copies);
    let mut details = Vec::new();
    if !counts.is_empty() {
        details.push(counts);
    }
    if document.present_only {
        details.push(t.present_only.to_owned());
    }
    details.extend(
        document
            .forms
            .iter()
            .map(|form| format!("{}: {}", t.form_template, form.name)),
    );
    ChecklistItem {
        name: document.name,
        details,
        optional: !document.required,
    }
}

fn channel_item(t: &'static Texts, channel: Channel) -> impl IntoView {
    let time = &channel.time;
    let mut time_text = match time.amount {
        Some(amount) => t.duration(amount, time.unit),
        None => String::new(),
    };
    if !time.description.is_empty() {
        if !time_text.is_empty() {
            time_text.push_str(". ");
        }
        time_text.push_str(&time.description);
    }
    if time_text.is_empty() {
        time_text = t.no_information.to_owned();
    }
    view! {
        <li>
            <h3>{t.channel_name(channel.kind)}</h3>
            <p>
                <strong>{t.processing_time}": "</strong>
                {time_text.trim().to_owned()}
            </p>
            <p>
                <strong>{t.fees}": "</strong>
                {if channel.fees.is_empty() {
                    t.no_information.to_owned()
                } else {
                    channel.fees.iter().map(|fee| fee_text(t, fee)).collect::<Vec<_>>().join("; ")
                }}
            </p>
        </li>
    }
}

/// "Miễn phí", "Lệ phí: 2.000 đồng (/trang)", or the description when there is no amount.
fn fee_text(t: &Texts, fee: &Fee) -> String {
    let amount = match fee.amount_dong {
        Some(0) => t.free.to_owned(),
        Some(amount) => format!("{} {}{}", t.lang.number(amount), t.dong, fee.per_unit),
        None => t.no_information.to_owned(),
    };
    let kind = if fee.kind.is_empty() {
        String::new()
    } else {
        format!("{}: ", fee.kind)
    };
    if fee.description.is_empty() {
        format!("{kind}{amount}")
    } else {
        format!("{kind}{amount} ({})", fee.description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, VI};

    fn fee(amount: Option<i64>, description: &str) -> Fee {
        Fee {
            kind: "Lệ phí".to_owned(),
            amount_dong: amount,
            per_unit: String::new(),
            description: description.to_owned(),
        }
    }

    #[test]
    fn fees_read_naturally() {
        assert_eq!(fee_text(&VI, &fee(Some(0), "")), "Lệ phí: Miễn phí");
        assert_eq!(
            fee_text(&VI, &fee(Some(2000), "/trang")),
            "Lệ phí: 2.000 đồng (/trang)"
        );
        assert_eq!(fee_text(&EN, &fee(Some(50_000), "")), "Lệ phí: 50,000 VND");
        assert_eq!(
            fee_text(&VI, &fee(None, "Theo quy định")),
            "Lệ phí: Không có thông tin (Theo quy định)"
        );
    }
}
