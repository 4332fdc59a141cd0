//! `/thong-ke`: the center's period report as official reports count (DESIGN.md §7), beside the
//! period before it; by channel, sector and procedure; the Decision 766 scores; downloads as a
//! spreadsheet, CSV and JSON; printable on A4. Charts are SVG drawn on the server (no chart
//! script), each next to a table that says the same for screen readers and in greyscale.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_query_map;

use crate::api::{StatisticsView, get_statistics};
use crate::domain::statistics::decision_766::{self, Group};
use crate::domain::statistics::{
    CENTER_PARAMETER, CHANNELS, Figure, Figures, Filter, PROVINCE, Period, PeriodKind, Report,
    Value, hundredths,
};
use crate::domain::url::with_query;
use crate::i18n::{Lang, StatsTexts};
use crate::pages::layout::ServerError;
use crate::use_texts;
use strum::VariantArray;

/// The query string's names the report reads.
const QUERY_NAMES: [&str; 10] = [
    "ky",
    "nam",
    "thang",
    "quy",
    "tu",
    "den",
    "thu-tuc",
    "linh-vuc",
    "kenh",
    CENTER_PARAMETER,
];

pub(crate) fn shown(lang: Lang, value: Value) -> String {
    match value {
        Value::Count(n) => lang.number(n),
        Value::Percent(Some(h)) => format!("{} %", lang.number(h as f64 / 100.0)),
        Value::Score(Some(h)) => lang.number(h as f64 / 100.0),
        Value::Percent(None) | Value::Score(None) => "—".to_owned(),
    }
}

fn percent(lang: Lang, part: i64, whole: i64) -> String {
    shown(lang, Value::Percent(hundredths(part, whole)))
}

/// The query string of `period` and `filter`.
pub(crate) fn report_query(period: &Period, filter: &Filter) -> Vec<(&'static str, String)> {
    let mut query = period.to_query();
    query.extend(filter.to_query());
    query
}

pub(crate) fn link(path: &str, query: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    with_query(path, &pairs)
}

pub(crate) fn span(period: &Period) -> String {
    format!(
        "{} – {}",
        period.first.day_month_year(),
        period.last.day_month_year()
    )
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query: Vec<(String, String)> = use_query_map().with_untracked(|q| {
        QUERY_NAMES
            .iter()
            .filter_map(|name| q.get(name).map(|v| (name.to_string(), v)))
            .collect()
    });
    let view = Resource::new_blocking(move || query.clone(), get_statistics);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => view! { <ReportPage view /> }.into_any(),
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportPage(view: StatisticsView) -> impl IntoView {
    let t = use_texts();
    let s = t.stats;
    let StatisticsView {
        center_name,
        report,
        previous,
        today,
        sectors,
        centers,
    } = view;
    let scope = if center_name.is_empty() {
        t.centers.whole_province.to_owned()
    } else {
        center_name
    };
    let period = report.period;
    let query = report_query(&period, &report.filter);
    let as_of = if report.open {
        s.as_of_now.to_owned()
    } else {
        s.as_of_end(period.last.day_month_year())
    };
    let totals = report.totals();
    let outcomes = outcome_rows(s, &totals);
    view! {
        <Title text=title_text(format!("{} · {}", s.statistics, t.site_name)) />
        <Meta name="description" content=s.live_figures_dossiers_center />
        <div class="statistics-report">
            <h1>{s.report_title}</h1>
            <p class="lead">
                {s.center}": "<strong>{scope}</strong><br />
                {s.period}": "<strong>{span(&period)}</strong>
            </p>
            <p class="note">{as_of}</p>
            <PeriodForm period filter=report.filter.clone() today sectors centers />
            <dl class="summary-figures">
                {[Figure::ToProcess, Figure::Resolved, Figure::InTimeRate, Figure::DigitisedShare, Figure::OnlineShare].into_iter().map(|key| view! {
                    <div><dt>{s.figure(key)}</dt><dd>{shown(s.lang, report.figure(key))}</dd></div>
                }).collect_view()}
            </dl>
            <p class="note">{s.definitions}</p>
            <section aria-labelledby="giai-quyet">
                <h2 id="giai-quyet">{s.processing}</h2>
                <BarChart id="bieu-do-ket-qua" caption=s.outcomes_chart rows=outcomes />
                <Comparison caption=s.processing report=report.clone() previous=previous.clone() figures=&[
                    Figure::CarriedOver, Figure::Received, Figure::ReceivedCounter, Figure::ReceivedOnline,
                    Figure::ReceivedPostal, Figure::ToProcess, Figure::Resolved, Figure::ResolvedEarly,
                    Figure::ResolvedOnTime, Figure::ResolvedLate, Figure::ResolvedUndated, Figure::InTimeRate,
                    Figure::InProgress, Figure::InProgressWithinTime, Figure::InProgressOverdue,
                    Figure::Withdrawn, Figure::Stopped,
                ] />
            </section>
            <section aria-labelledby="tiep-nhan">
                <h2 id="tiep-nhan">{s.intake}</h2>
                <Comparison caption=s.intake report=report.clone() previous=previous.clone() figures=&[
                    Figure::SubmittedOnline, Figure::AwaitingIntake, Figure::Refused,
                    Figure::SupplementRequests, Figure::WithdrawnBeforeIntake,
                ] />
            </section>
            <ChannelTable report=report.clone() />
            <SectorTable report=report.clone() />
            <ProcedureTable report=report.clone() query=query.clone() />
            <section aria-labelledby="hai-long">
                <h2 id="hai-long">{s.satisfaction}</h2>
                <p class="note">{s.ratings_note}</p>
                <Comparison caption=s.satisfaction report=report.clone() previous=previous.clone() figures=&[
                    Figure::Ratings, Figure::Satisfied, Figure::NotSatisfied, Figure::SatisfactionRate,
                    Figure::AverageOverall, Figure::AverageCounterVisits, Figure::AverageAgenciesContacted,
                    Figure::AverageStaffAttitude, Figure::AverageOnlineEase,
                ] />
            </section>
            <Decision766 report=report.clone() />
            <p class="no-print">
                {s.downloads}" "
                <a href=link(paths::STATISTICS_XLSX, &query) download>{s.spreadsheet}</a>" · "
                <a href=link(paths::STATISTICS_CSV, &query) download>"CSV"</a>" · "
                <a href=link(paths::STATISTICS_JSON, &query)>"JSON"</a>
            </p>
            <p class="note no-print">{s.print_hint}</p>
        </div>
    }
}

/// The outcomes of the dossiers to process, for the chart.
fn outcome_rows(s: &StatsTexts, totals: &Figures) -> Vec<(String, i64)> {
    let f = &totals.flows;
    let end = &totals.end;
    [
        (Figure::ResolvedEarly, f.resolved_early),
        (Figure::ResolvedOnTime, f.resolved_on_time),
        (Figure::ResolvedLate, f.resolved_late),
        (Figure::ResolvedUndated, f.resolved_undated),
        (Figure::InProgressWithinTime, end.in_progress - end.overdue),
        (Figure::InProgressOverdue, end.overdue),
        (Figure::Withdrawn, f.withdrawn),
        (Figure::Stopped, f.stopped),
    ]
    .into_iter()
    .map(|(figure, value)| (s.figure(figure).to_owned(), value))
    .collect()
}

/// Figures of this period beside the period before.
#[component]
fn Comparison(
    caption: &'static str,
    report: Report,
    previous: Report,
    figures: &'static [Figure],
) -> impl IntoView {
    let s = use_texts().stats;
    view! {
        <table class="figures">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{s.figure_column}</th>
                <th scope="col">{s.this_period}</th>
                <th scope="col">{s.previous_period(span(&previous.period))}</th>
            </tr></thead>
            <tbody>
                {figures.iter().map(|&key| view! {
                    <tr>
                        <th scope="row">{s.figure(key)}</th>
                        <td>{shown(s.lang, report.figure(key))}</td>
                        <td>{shown(s.lang, previous.figure(key))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ChannelTable(report: Report) -> impl IntoView {
    let s = use_texts().stats;
    let lang = s.lang;
    let rows: Vec<(i64, Figures)> = CHANNELS
        .iter()
        .map(|&channel| (channel, report.channel(channel)))
        .collect();
    let chart: Vec<(String, i64)> = rows
        .iter()
        .map(|(channel, f)| (s.channel(*channel).to_owned(), f.flows.received))
        .collect();
    view! {
        <section aria-labelledby="kenh">
            <h2 id="kenh">{s.channels}</h2>
            <BarChart id="bieu-do-kenh" caption=s.channels rows=chart />
            <table class="figures">
                <caption>{s.channels}</caption>
                <thead><tr>
                    <th scope="col">{s.channel_column}</th>
                    <th scope="col">{s.figure(Figure::Received)}</th>
                    <th scope="col">{s.figure(Figure::Digitised)}</th>
                    <th scope="col">{s.figure(Figure::DigitisedShare)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(channel, f)| view! {
                        <tr>
                            <th scope="row">{s.channel(channel)}</th>
                            <td>{lang.number(f.flows.received)}</td>
                            <td>{lang.number(f.flows.received_digitised)}</td>
                            <td>{percent(lang, f.flows.received_digitised, f.flows.received)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="note">{s.shares_definition}</p>
        </section>
    }
}

#[component]
fn SectorTable(report: Report) -> impl IntoView {
    let s = use_texts().stats;
    let rows = report
        .by_sector()
        .into_iter()
        .map(|(sector, figures)| (sector, None, figures))
        .collect();
    view! {
        <section aria-labelledby="linh-vuc">
            <h2 id="linh-vuc">{s.sectors}</h2>
            <ProgressTable caption=s.sectors heading=s.sector_column rows />
        </section>
    }
}

#[component]
fn ProcedureTable(report: Report, query: Vec<(&'static str, String)>) -> impl IntoView {
    let s = use_texts().stats;
    let by_procedure = report.by_procedure();
    let top: Vec<(String, i64, i64)> = by_procedure
        .iter()
        .take(10)
        .map(|(p, f)| (p.name.clone(), f.flows.resolved(), f.to_process()))
        .collect();
    let link_to = |code: &str| {
        let mut query: Vec<(&'static str, String)> = query
            .iter()
            .filter(|(k, _)| *k != "thu-tuc")
            .cloned()
            .collect();
        query.push(("thu-tuc", code.to_owned()));
        link(paths::STATISTICS, &query)
    };
    let rows = by_procedure
        .into_iter()
        .map(|(p, figures)| {
            let href = link_to(&p.code);
            (p.name, Some(href), figures)
        })
        .collect();
    view! {
        <section aria-labelledby="thu-tuc">
            <h2 id="thu-tuc">{s.procedures}</h2>
            <p class="note">{s.procedure_definition}</p>
            <ProgressChart caption=s.procedures_chart rows=top />
            <ProgressTable caption=s.procedures heading=s.procedure_column rows />
        </section>
    }
}

/// Rows of resolved / to process, in progress at the end and the in-time rate; a row's name
/// links to its own report when it has an address.
#[component]
fn ProgressTable(
    caption: &'static str,
    heading: &'static str,
    rows: Vec<(String, Option<String>, Figures)>,
) -> impl IntoView {
    let s = use_texts().stats;
    let lang = s.lang;
    view! {
        <table class="figures">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{heading}</th>
                <th scope="col">{s.resolved_to_process}</th>
                <th scope="col">{s.in_progress_end}</th>
                <th scope="col">{s.in_time_column}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, href, f)| {
                    let (in_time, dated) = f.in_time();
                    let name = match href {
                        Some(href) => view! { <a href=href>{name}</a> }.into_any(),
                        None => name.into_any(),
                    };
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{format!("{}/{}", lang.number(f.flows.resolved()), lang.number(f.to_process()))}</td>
                            <td>{lang.number(f.end.in_progress)}</td>
                            <td>{percent(lang, in_time, dated)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn PeriodForm(
    period: Period,
    filter: Filter,
    today: crate::domain::calendar::Date,
    sectors: Vec<String>,
    centers: Vec<(String, String)>,
) -> impl IntoView {
    let t = use_texts();
    let s = t.stats;
    // With several centers, one of them or the whole province.
    let center_choice = (!centers.is_empty()).then(|| {
        let chosen = filter.agency.clone().unwrap_or_else(|| PROVINCE.to_owned());
        view! {
            <div class="field">
                <label for="trung-tam-loc">{s.center}</label>
                <select id="trung-tam-loc" name=CENTER_PARAMETER>
                    <option value=PROVINCE selected=chosen == PROVINCE>{t.centers.whole_province}</option>
                    {centers.into_iter().map(|(agency, name)| {
                        let selected = chosen == agency;
                        view! { <option value=agency selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    });
    let clear_procedure = filter.procedure.clone().map(|code| {
        let without = Filter {
            procedure: None,
            ..filter.clone()
        };
        (
            code,
            link(paths::STATISTICS, &report_query(&period, &without)),
        )
    });
    view! {
        <form method="get" action=paths::STATISTICS class="search-form filters no-print" aria-label=s.filters>
            {center_choice}
            {period_fields(s, period, today)}
            <div class="field">
                <label for="linh-vuc-loc">{s.sector_filter}</label>
                <select id="linh-vuc-loc" name="linh-vuc">
                    <option value="">{s.all_sectors}</option>
                    {sectors.into_iter().map(|sector| {
                        let selected = filter.sector.as_deref() == Some(sector.as_str());
                        view! { <option value=sector.clone() selected=selected>{sector.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="kenh-loc">{s.channel_filter}</label>
                <select id="kenh-loc" name="kenh">
                    <option value="">{s.all_channels}</option>
                    {CHANNELS.into_iter().map(|channel| view! {
                        <option value=channel.to_string() selected=filter.channel == Some(channel)>{s.channel(channel)}</option>
                    }).collect_view()}
                </select>
            </div>
            {filter.procedure.clone().map(|code| view! { <input type="hidden" name="thu-tuc" value=code /> })}
            <button type="submit">{s.show}</button>
        </form>
        {clear_procedure.map(|(code, href)| view! {
            <p>{s.procedure_only}" "<strong>{code}</strong>" · "<a class="no-print" href=href>{s.clear_procedure}</a></p>
        })}
    }
    .into_any()
}

/// The fields that choose a report's period (its kind, year, month, quarter or days), for the
/// statistics page and the province's comparison of centers.
pub(crate) fn period_fields(
    s: &'static StatsTexts,
    period: Period,
    today: crate::domain::calendar::Date,
) -> impl IntoView + use<> {
    let year = period.first.year;
    let years: Vec<i32> = (2025.min(today.year - 5)..=today.year).rev().collect();
    view! {
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

/// One bar per procedure: the outline is what it had to process, the filled part what is
/// resolved.
#[component]
fn ProgressChart(caption: &'static str, rows: Vec<(String, i64, i64)>) -> impl IntoView {
    let lang = use_texts().lang;
    let max = rows.iter().map(|(_, _, r)| *r).max().unwrap_or(0).max(1);
    let height = rows.len() * 30 + 4;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 320 {height}") width="100%" role="img" aria-labelledby="bieu-do-thu-tuc-chu-thich" preserveAspectRatio="xMinYMin meet">
                {rows.iter().enumerate().map(|(i, (name, resolved, to_process))| {
                    let y = i * 30 + 2;
                    let scale = |v: i64| v as f64 / max as f64 * 220.0;
                    let label: String = name.chars().take(48).collect();
                    view! {
                        <g>
                            <text x="0" y=y + 11 class="chart-label">{label}</text>
                            <rect x="0" y=y + 14 width=format!("{:.1}", scale(*to_process)) height="12" class="chart-track" />
                            <rect x="0" y=y + 14 width=format!("{:.1}", scale(*resolved)) height="12" class="chart-bar" />
                            <text x=format!("{:.1}", scale(*to_process) + 4.0) y=y + 24 class="chart-value">{format!("{}/{}", lang.number(*resolved), lang.number(*to_process))}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption id="bieu-do-thu-tuc-chu-thich">{caption}</figcaption>
        </figure>
    }
}

/// Decision 766: every indicator with its ratio, target, points and score, or why it is not
/// measured; each group's score over its measured points.
#[component]
fn Decision766(report: Report) -> impl IntoView {
    let s = use_texts().stats;
    let lang = s.lang;
    let indicators = report.decision_766();
    let points = |hundredths: i64| lang.number(hundredths as f64 / 100.0);
    let (score, measured) = decision_766::measured_score(&indicators);
    view! {
        <section aria-labelledby="qd-766">
            <h2 id="qd-766">{s.decision_766}</h2>
            <p class="note">{s.decision_766_note}</p>
            <p><strong>{s.measured_points(points(measured), points(score))}</strong></p>
            <table class="figures">
                <caption>{s.decision_766}</caption>
                <thead><tr>
                    <th scope="col">{s.indicator_column}</th>
                    <th scope="col">{s.ratio_column}</th>
                    <th scope="col">{s.target_column}</th>
                    <th scope="col">{s.max_points_column}</th>
                    <th scope="col">{s.points_column}</th>
                </tr></thead>
                {Group::VARIANTS.iter().map(|&group| {
                    let (score, max) = decision_766::group_score(&indicators, group);
                    view! {
                        <tbody>
                            <tr class="group-row">
                                <th scope="rowgroup">{s.group(group)}</th>
                                <td></td>
                                <td></td>
                                <td>{group.points()}</td>
                                <td>{(max > 0).then(|| format!("{} / {}", points(score), points(max)))}</td>
                            </tr>
                            {indicators.iter().filter(|i| i.group == group).map(|indicator| {
                                let name = s.indicator_line(indicator.number);
                                match indicator.measure {
                                    Ok(ratio) => view! {
                                        <tr>
                                            <th scope="row">{name}</th>
                                            <td>{shown(lang, Value::Percent(ratio.value))}</td>
                                            <td>{shown(lang, Value::Percent(Some(indicator.target)))}</td>
                                            <td>{indicator.points}</td>
                                            <td>{indicator.score().map_or_else(|| "—".to_owned(), points)}</td>
                                        </tr>
                                    }.into_any(),
                                    Err(reason) => view! {
                                        <tr class="not-measured">
                                            <th scope="row">{name}</th>
                                            <td class="text" colspan="2">{s.not_measured}": "{s.not_measured_reason(reason)}</td>
                                            <td>{indicator.points}</td>
                                            <td>{s.not_measured}</td>
                                        </tr>
                                    }.into_any(),
                                }
                            }).collect_view()}
                        </tbody>
                    }
                }).collect_view()}
            </table>
        </section>
    }
    .into_any()
}
