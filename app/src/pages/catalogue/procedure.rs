//! A procedure's page: everything a citizen needs before filing, case by case.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_params_map;

use crate::api::{ProcedureHere, get_procedure};
use crate::domain::intake_checklist::StateRecord;
use crate::domain::procedure::{
    Channel, ChannelKind, Fee, OnlineLevel, Procedure, ProcedureCase, RequiredDocument,
};
use crate::i18n::Texts;
use crate::pages::catalogue::checklist::{ChecklistItem, ChecklistScript, DocumentChecklist};
use crate::pages::layout::{NotFound, ServerError, sector_href};
use crate::use_texts;

/// Loads the procedure named in the URL and renders `found` with it, or the 404 / error page.
fn with_procedure<V: IntoView + 'static>(
    found: impl Fn(ProcedureHere) -> V + Send + Sync + Copy + 'static,
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
    with_procedure(|found| view! { <ProcedureDetail found /> })
}

#[component]
fn ProcedureDetail(found: ProcedureHere) -> impl IntoView {
    let ProcedureHere {
        procedure,
        received_here,
        often_missing,
    } = found;
    let t = use_texts();
    let description = format!("{} · {}", procedure.name, procedure.sector.name);
    let several_cases = procedure.cases.len() > 1;
    let apply_href = paths::filing_start(&procedure.code);
    view! {
        <Title text=title_text(format!("{} · {}", procedure.name, t.site_name)) />
        <Meta name="description" content=description />
        <article class="procedure">
            <h1>{procedure.name.clone()}</h1>
            <p class="summary-line" aria-label=t.summary_label>{summary(t, &procedure).join(" · ")}</p>
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
                    <dd>
                        {t.online_level_name(procedure.online_level)}
                        {online_level_hint(t, procedure.online_level).map(|hint| view! { <span class="hint level-hint">{hint}</span> })}
                    </dd>
                </div>
            </dl>
            {if !received_here {
                view! {
                    <p class="note field-error" role="status">
                        {t.problem(crate::domain::feedback::Problem::NotReceivedHere)}
                    </p>
                }
                    .into_any()
            } else if procedure.online_level.accepts_online_filing() {
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
            {(!often_missing.is_empty()).then(|| view! {
                <section class="often-missing" aria-labelledby="hay-thieu">
                    <h2 id="hay-thieu">{t.often_missing_heading}</h2>
                    <p>{t.often_missing_intro}</p>
                    <ul>
                        {often_missing.iter().map(|trouble| view! {
                            <li>{format!("{} ({} {})", trouble.text, trouble.times, t.often_times)}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
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
                    {same_terms(&procedure.channels).into_iter().map(|group| channel_item(t, group)).collect_view()}
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
        <ChecklistScript />
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
                t
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
    // Resolution 66.7/2025: the center looks the data up instead of asking for the paper.
    if let Some(record) = StateRecord::of_paper(&document.name) {
        details.push(t.held_by(record).to_owned());
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

/// The procedure in one line under its title: how to file, how long, what it costs.
fn summary(t: &Texts, procedure: &Procedure) -> Vec<String> {
    let mut parts = vec![
        match procedure.online_level {
            OnlineLevel::Full => t.summary_online_full,
            OnlineLevel::Partial => t.summary_online_partial,
            OnlineLevel::InformationOnly => t.summary_counter_only,
        }
        .to_owned(),
    ];
    // The counter's terms when it has some: that is where most citizens go.
    let mut channels: Vec<&Channel> = procedure.channels.iter().collect();
    channels.sort_by_key(|c| c.kind != ChannelKind::Counter);
    if let Some(time) = channels
        .iter()
        .find_map(|c| c.time.amount.map(|a| (a, c.time.unit)))
    {
        parts.push(t.summary_time(t.duration(time.0, time.1)));
    }
    if let Some(fee) = channels.iter().find_map(|c| c.fees.first()) {
        parts.push(match fee.amount_dong {
            Some(0) => t.free.to_owned(),
            Some(amount) => t.summary_fee(amount_text(t, amount, &fee.per_unit)),
            None => fee_text(t, fee),
        });
    }
    parts
}

fn online_level_hint(t: &Texts, level: OnlineLevel) -> Option<&'static str> {
    match level {
        OnlineLevel::Full => Some(t.online_level_full_hint),
        OnlineLevel::Partial => Some(t.online_level_partial_hint),
        OnlineLevel::InformationOnly => None,
    }
}

/// Channels grouped by identical time and fees, in their order: one block when every way of
/// filing has the same terms, instead of the same lines three times.
fn same_terms(channels: &[Channel]) -> Vec<Vec<Channel>> {
    let mut groups: Vec<Vec<Channel>> = Vec::new();
    for channel in channels {
        match groups
            .iter_mut()
            .find(|group| group[0].time == channel.time && group[0].fees == channel.fees)
        {
            Some(group) => group.push(channel.clone()),
            None => groups.push(vec![channel.clone()]),
        }
    }
    groups
}

fn channel_item(t: &'static Texts, group: Vec<Channel>) -> impl IntoView {
    let names = group
        .iter()
        .map(|c| t.channel_name(c.kind))
        .collect::<Vec<_>>()
        .join(", ");
    let channel = group.into_iter().next().expect("a group has a channel");
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
            <h3>{names}</h3>
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

/// "2.000 đồng/trang".
fn amount_text(t: &Texts, amount: i64, per_unit: &str) -> String {
    format!("{} {}{per_unit}", t.lang.number(amount), t.dong)
}

/// "Miễn phí", "Lệ phí: 2.000 đồng (/trang)", or the description when there is no amount.
pub(crate) fn fee_text(t: &Texts, fee: &Fee) -> String {
    let amount = match fee.amount_dong {
        Some(0) => t.free.to_owned(),
        Some(amount) => amount_text(t, amount, &fee.per_unit),
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

    fn channel(kind: ChannelKind, days: Option<f64>, fees: Vec<Fee>) -> Channel {
        Channel {
            kind,
            time: crate::domain::procedure::ProcessingTime {
                amount: days,
                unit: crate::domain::procedure::TimeUnit::WorkingDays,
                description: String::new(),
            },
            fees,
        }
    }

    #[test]
    fn a_paper_the_state_holds_says_where_the_center_looks_it_up() {
        let paper = |name: &str| RequiredDocument {
            name: name.to_owned(),
            originals: 0,
            copies: 1,
            required: true,
            present_only: false,
            forms: vec![],
        };
        let item = checklist_item(&VI, paper("Bản sao Giấy khai sinh"));
        assert!(
            item.details
                .iter()
                .any(|d| d.contains("Cơ sở dữ liệu hộ tịch điện tử"))
        );
        let item = checklist_item(&EN, paper("Căn cước của người yêu cầu"));
        assert!(
            item.details
                .iter()
                .any(|d| d.contains("national population database"))
        );
        let item = checklist_item(&VI, paper("Tờ khai đăng ký khai sinh"));
        assert!(!item.details.iter().any(|d| d.contains("tra cứu")));
    }

    #[test]
    fn the_summary_says_how_to_file_how_long_and_what_it_costs() {
        let mut procedure =
            crate::domain::procedure::bare_procedure("2.000635", "Cấp bản sao Trích lục hộ tịch");
        procedure.channels = vec![
            channel(ChannelKind::Online, Some(3.0), vec![fee(Some(0), "")]),
            channel(ChannelKind::Counter, Some(1.0), vec![fee(Some(8000), "")]),
        ];
        assert_eq!(
            summary(&VI, &procedure),
            [
                "Nộp online được toàn bộ, không cần đến Trung tâm để nộp",
                "Có kết quả trong 1 ngày làm việc",
                "Lệ phí 8.000 đồng",
            ]
        );
        procedure.online_level = OnlineLevel::InformationOnly;
        procedure.channels = vec![channel(ChannelKind::Counter, None, vec![fee(Some(0), "")])];
        assert_eq!(
            summary(&VI, &procedure),
            ["Chỉ nộp trực tiếp tại Trung tâm", "Miễn phí"]
        );
    }

    #[test]
    fn channels_with_the_same_terms_share_one_block() {
        let same = |kind| channel(kind, Some(1.0), vec![fee(Some(8000), "")]);
        let groups = same_terms(&[
            same(ChannelKind::Counter),
            same(ChannelKind::Online),
            channel(ChannelKind::Postal, Some(3.0), vec![]),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].len(), 2);
        assert_eq!(groups[1][0].kind, ChannelKind::Postal);
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
