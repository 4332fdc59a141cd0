//! `/thong-ke`: the center's public statistics for a period, as a commune reports them. Charts
//! are SVG drawn on the server (no chart script), each with a table that says the same for
//! screen readers and in greyscale; the figures download as CSV and JSON.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_query_map;

use crate::api::{StatisticsView, get_statistics};
use crate::domain::statistics::{Figure, PeriodKind, Statistics, Value};
use crate::domain::url::with_query;
use crate::i18n::{Lang, StatsTexts};
use crate::pages::layout::ServerError;
use crate::use_texts;

fn shown(lang: Lang, value: Value) -> String {
    match value {
        Value::Count(n) => lang.number(n),
        Value::Percent(Some(p)) => format!("{} %", lang.number(p)),
        Value::Score(Some(s)) => lang.number(s),
        Value::Percent(None) | Value::Score(None) => "—".to_owned(),
    }
}

fn figure(lang: Lang, stats: &Statistics, figure: Figure) -> String {
    shown(lang, stats.figure(figure))
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query: Vec<(String, String)> = use_query_map().with_untracked(|q| {
        ["ky", "nam", "thang", "quy", "tu", "den"]
            .iter()
            .filter_map(|name| q.get(name).map(|v| (name.to_string(), v)))
            .collect()
    });
    let view = Resource::new_blocking(move || query.clone(), get_statistics);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => view! { <Report view /> }.into_any(),
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(view: StatisticsView) -> impl IntoView {
    let t = use_texts();
    let s = t.stats;
    let StatisticsView { stats, today } = view;
    let period = stats.period;
    let span = format!(
        "{} – {}",
        period.first.day_month_year(),
        period.last.day_month_year()
    );
    let query = period.to_query();
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let csv = with_query(paths::STATISTICS_CSV, &pairs);
    let json = with_query(paths::STATISTICS_JSON, &pairs);
    let c = &stats.counts;
    let channels = [
        (s.figure(Figure::Counter), c.counter),
        (s.figure(Figure::Online), c.online),
        (s.figure(Figure::Postal), c.postal),
    ];
    let outcomes = [
        (s.figure(Figure::Early), c.early),
        (s.figure(Figure::OnTime), c.on_time),
        (s.figure(Figure::Late), c.late),
        (s.figure(Figure::InProgressOnTime), stats.open_on_time()),
        (s.figure(Figure::InProgressOverdue), c.overdue),
        (s.figure(Figure::Withdrawn), c.withdrawn),
        (s.figure(Figure::Refused), c.refused),
        (s.figure(Figure::Stopped), c.stopped),
    ];
    let top: Vec<(String, i64, i64)> = stats
        .procedures
        .iter()
        .take(10)
        .map(|p| (p.name.clone(), p.finished, p.received))
        .collect();
    view! {
        <Title text=title_text(format!("{} · {}", s.statistics, t.site_name)) />
        <Meta name="description" content=s.live_figures_dossiers_center />
        <h1>{s.statistics}</h1>
        <p class="lead">{s.period}": "<strong>{span}</strong></p>
        <PeriodForm period today />
        <p class="note">{s.every_figure_about_dossiers}</p>
        <dl class="summary-figures">
            {[Figure::Received, Figure::InTimeRate, Figure::DigitisedShare, Figure::OnlineShare, Figure::SatisfactionRate].into_iter().map(|key| view! {
                <div><dt>{s.figure(key)}</dt><dd>{figure(s.lang, &stats, key)}</dd></div>
            }).collect_view()}
        </dl>
        <section aria-labelledby="kenh">
            <h2 id="kenh">{s.received_channel}</h2>
            <BarChart id="bieu-do-kenh" caption=s.dossiers_channel rows=channels.iter().map(|(l, v)| (l.to_string(), *v)).collect() />
            <FigureTable caption=s.received_digitised figures=&[Figure::Received, Figure::Counter, Figure::Online, Figure::Postal, Figure::OnlineShare, Figure::Digitised, Figure::DigitisedShare] stats=stats.clone() />
        </section>
        <section aria-labelledby="ket-qua">
            <h2 id="ket-qua">{s.outcomes}</h2>
            <BarChart id="bieu-do-ket-qua" caption=s.dossiers_outcome rows=outcomes.iter().map(|(l, v)| (l.to_string(), *v)).collect() />
            <FigureTable caption=s.resolution figures=&[Figure::Resolved, Figure::Early, Figure::OnTime, Figure::Late, Figure::InTimeRate, Figure::InProgress, Figure::InProgressOnTime, Figure::InProgressOverdue, Figure::Withdrawn, Figure::Refused, Figure::Stopped] stats=stats.clone() />
        </section>
        <section aria-labelledby="thu-tuc">
            <h2 id="thu-tuc">{s.procedure}</h2>
            <ProgressChart caption=s.resolved_received_10_busiest rows=top />
            <table class="figures">
                <caption>{s.dossiers_procedure}</caption>
                <thead><tr>
                    <th scope="col">{s.procedure_column}</th>
                    <th scope="col">{s.resolved_received}</th>
                    <th scope="col">{s.time}</th>
                </tr></thead>
                <tbody>
                    {stats.procedures.iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.name.clone()}</th>
                            <td>{format!("{}/{}", t.lang.number(p.finished), t.lang.number(p.received))}</td>
                            <td>{shown(s.lang, Value::Percent(crate::domain::statistics::percent(p.in_time, p.finished)))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="hai-long">
            <h2 id="hai-long">{s.satisfaction}</h2>
            <FigureTable caption=s.citizens_ratings_each_item figures=&[Figure::Ratings, Figure::Satisfied, Figure::SatisfactionRate, Figure::AverageOverall, Figure::AverageCounterVisits, Figure::AverageAgenciesContacted, Figure::AverageStaffAttitude, Figure::AverageOnlineEase] stats=stats.clone() />
        </section>
        <Decision766 stats=stats.clone() />
        <p>
            {s.download}
            <a href=csv download>"CSV"</a>" · "<a href=json>"JSON"</a>
        </p>
    }
}

#[component]
fn PeriodForm(
    period: crate::domain::statistics::Period,
    today: crate::domain::calendar::Date,
) -> impl IntoView {
    let s = use_texts().stats;
    let year = period.first.year;
    let years: Vec<i32> = (today.year - 5..=today.year).rev().collect();
    view! {
        <form method="get" action=paths::STATISTICS class="search-form filters">
            <div class="field">
                <label for="ky">{s.period_kind_label}</label>
                <select id="ky" name="ky">
                    {PeriodKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.key() selected=kind == period.kind>{s.period_kind(kind)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="nam">{s.year}</label>
                <select id="nam" name="nam">
                    {years.into_iter().map(|y| view! { <option value=y.to_string() selected=y == year>{y.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="thang">{s.month}</label>
                <select id="thang" name="thang">
                    {(1..=12u32).map(|m| view! { <option value=m.to_string() selected=m == period.first.month>{m.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="quy">{s.quarter}</label>
                <select id="quy" name="quy">
                    {(1..=4u32).map(|q| view! { <option value=q.to_string() selected=q == (period.first.month - 1) / 3 + 1>{q.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="tu">{s.from_date_range}</label>
                <input id="tu" name="tu" type="date" value=period.first.iso() />
            </div>
            <div class="field">
                <label for="den">{s.to_date}</label>
                <input id="den" name="den" type="date" value=period.last.iso() />
            </div>
            <button type="submit">{s.show}</button>
        </form>
    }
}

/// Horizontal bars, one per row, each labelled with its name and value, so the chart reads the
/// same in greyscale; the table next to it carries the figures for screen readers.
#[component]
fn BarChart(id: &'static str, caption: &'static str, rows: Vec<(String, i64)>) -> impl IntoView {
    let lang = use_texts().lang;
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = rows.len() * 28 + 4;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 320 {height}") width="100%" role="img" aria-labelledby=format!("{id}-chu-thich") preserveAspectRatio="xMinYMin meet">
                {rows.iter().enumerate().map(|(i, (label, value))| {
                    let y = i * 28 + 2;
                    let width = (*value as f64 / max as f64 * 200.0).max(if *value > 0 { 1.0 } else { 0.0 });
                    view! {
                        <g>
                            <text x="0" y=y + 11 class="chart-label">{label.clone()}</text>
                            <rect x="0" y=y + 14 width=format!("{width:.1}") height="10" class="chart-bar" />
                            <text x=format!("{:.1}", width + 4.0) y=y + 23 class="chart-value">{lang.number(*value)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption id=format!("{id}-chu-thich")>{caption}</figcaption>
        </figure>
    }
}

/// One bar per procedure: the outline is what was received, the filled part what is resolved.
#[component]
fn ProgressChart(caption: &'static str, rows: Vec<(String, i64, i64)>) -> impl IntoView {
    let lang = use_texts().lang;
    let max = rows.iter().map(|(_, _, r)| *r).max().unwrap_or(0).max(1);
    let height = rows.len() * 30 + 4;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 320 {height}") width="100%" role="img" aria-labelledby="bieu-do-thu-tuc-chu-thich" preserveAspectRatio="xMinYMin meet">
                {rows.iter().enumerate().map(|(i, (name, finished, received))| {
                    let y = i * 30 + 2;
                    let scale = |v: i64| v as f64 / max as f64 * 220.0;
                    let label: String = name.chars().take(48).collect();
                    view! {
                        <g>
                            <text x="0" y=y + 11 class="chart-label">{label}</text>
                            <rect x="0" y=y + 14 width=format!("{:.1}", scale(*received)) height="12" class="chart-track" />
                            <rect x="0" y=y + 14 width=format!("{:.1}", scale(*finished)) height="12" class="chart-bar" />
                            <text x=format!("{:.1}", scale(*received) + 4.0) y=y + 24 class="chart-value">{format!("{}/{}", lang.number(*finished), lang.number(*received))}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption id="bieu-do-thu-tuc-chu-thich">{caption}</figcaption>
        </figure>
    }
}

#[component]
fn FigureTable(
    caption: &'static str,
    figures: &'static [Figure],
    stats: Statistics,
) -> impl IntoView {
    let s = use_texts().stats;
    view! {
        <table class="figures">
            <caption>{caption}</caption>
            <tbody>
                {figures.iter().map(|&key| view! {
                    <tr><th scope="row">{s.figure(key)}</th><td>{figure(s.lang, &stats, key)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The Decision 766/QĐ-TTg groups our data can measure, each with its formula.
#[component]
fn Decision766(stats: Statistics) -> impl IntoView {
    let s = use_texts().stats;
    let rows = decision_766_rows(s, &stats);
    view! {
        <section aria-labelledby="qd-766">
            <h2 id="qd-766">{s.decision_766_q_ttg}</h2>
            <p>{s.groups_our_data_can}</p>
            <table class="figures">
                <caption>{s.indicators_formulas}</caption>
                <thead><tr>
                    <th scope="col">{s.group}</th>
                    <th scope="col">{s.formula}</th>
                    <th scope="col">{s.value}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(group, formula, value)| view! {
                        <tr><th scope="row">{group}</th><td>{formula}</td><td>{value}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn decision_766_rows(
    s: &StatsTexts,
    stats: &Statistics,
) -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            s.progress_results,
            s.early_time_resolved_100,
            figure(s.lang, stats, Figure::InTimeRate),
        ),
        (
            s.digitisation,
            s.digitised_received_100,
            figure(s.lang, stats, Figure::DigitisedShare),
        ),
        (
            s.online_provision,
            s.filed_online_received_100,
            figure(s.lang, stats, Figure::OnlineShare),
        ),
        (
            s.satisfaction,
            s.satisfied_forms_100_points,
            format!(
                "{} · {}",
                figure(s.lang, stats, Figure::SatisfactionRate),
                figure(s.lang, stats, Figure::SatisfactionPoints)
            ),
        ),
    ]
}
