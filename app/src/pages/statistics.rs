//! `/thong-ke`: the center's public statistics for a period, as a commune reports them. Charts
//! are SVG drawn on the server (no chart script), each with a table that says the same for
//! screen readers and in greyscale; the figures download as CSV and JSON.

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::pages::layout::title_text;
use leptos_router::hooks::use_query_map;

use crate::api::{StatisticsView, get_statistics};
use crate::domain::statistics::{PeriodKind, Statistics, Value};
use crate::domain::url::with_query;
use crate::i18n::{StatsTexts, format_decimal, group_thousands};
use crate::pages::layout::ServerError;
use crate::use_texts;

fn shown(value: Value) -> String {
    match value {
        Value::Count(n) => group_thousands(n),
        Value::Percent(Some(p)) => format!("{} %", format_decimal((p * 100.0).round() / 100.0)),
        Value::Score(Some(s)) => format_decimal((s * 100.0).round() / 100.0),
        Value::Percent(None) | Value::Score(None) => "—".to_owned(),
    }
}

fn figure(stats: &Statistics, key: &str) -> String {
    stats.figure(key).map(shown).unwrap_or_default()
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
        (s.figure("truc-tiep"), c.counter),
        (s.figure("truc-tuyen"), c.online),
        (s.figure("buu-chinh"), c.postal),
    ];
    let outcomes = [
        (s.figure("truoc-han"), c.early),
        (s.figure("dung-han"), c.on_time),
        (s.figure("qua-han"), c.late),
        (s.figure("dang-giai-quyet-trong-han"), stats.open_on_time()),
        (s.figure("dang-giai-quyet-qua-han"), c.overdue),
        (s.figure("rut"), c.withdrawn),
        (s.figure("khong-tiep-nhan"), c.refused),
        (s.figure("dung-xu-ly"), c.stopped),
    ];
    let top: Vec<(String, i64, i64)> = stats
        .procedures
        .iter()
        .take(10)
        .map(|p| (p.name.clone(), p.finished, p.received))
        .collect();
    view! {
        <Title text=title_text(format!("{} · {}", s.pick("Thống kê", "Statistics"), t.site_name)) />
        <Meta name="description" content=s.pick("Số liệu tiếp nhận và giải quyết hồ sơ của Trung tâm, cập nhật trực tiếp.", "Live figures on the dossiers the Center received and resolved.") />
        <h1>{s.pick("Thống kê", "Statistics")}</h1>
        <p class="lead">{s.pick("Kỳ báo cáo", "Period")}": "<strong>{span}</strong></p>
        <PeriodForm period today />
        <p class="note">{s.pick(
            "Mọi số liệu tính trên hồ sơ tiếp nhận trong kỳ, cập nhật đến thời điểm xem. Đúng hạn: có kết quả không muộn hơn ngày hẹn (cộng số ngày chờ người dân bổ sung hoặc nộp phí).",
            "Every figure is about the dossiers received in the period, as of now. In time: the result was ready no later than the due date (plus the days spent waiting on the citizen).",
        )}</p>
        <dl class="summary-figures">
            {["tiep-nhan", "ti-le-dung-han", "ti-le-so-hoa", "ti-le-truc-tuyen", "ti-le-hai-long"].into_iter().map(|key| view! {
                <div><dt>{s.figure(key)}</dt><dd>{figure(&stats, key)}</dd></div>
            }).collect_view()}
        </dl>
        <section aria-labelledby="kenh">
            <h2 id="kenh">{s.pick("Tiếp nhận theo kênh", "Received by channel")}</h2>
            <BarChart id="bieu-do-kenh" caption=s.pick("Số hồ sơ theo kênh nộp", "Dossiers by channel") rows=channels.iter().map(|(l, v)| (l.to_string(), *v)).collect() />
            <FigureTable caption=s.pick("Tiếp nhận và số hóa", "Received and digitised") keys=&["tiep-nhan", "truc-tiep", "truc-tuyen", "buu-chinh", "ti-le-truc-tuyen", "so-hoa", "ti-le-so-hoa"] stats=stats.clone() />
        </section>
        <section aria-labelledby="ket-qua">
            <h2 id="ket-qua">{s.pick("Kết quả giải quyết", "Outcomes")}</h2>
            <BarChart id="bieu-do-ket-qua" caption=s.pick("Hồ sơ theo kết quả", "Dossiers by outcome") rows=outcomes.iter().map(|(l, v)| (l.to_string(), *v)).collect() />
            <FigureTable caption=s.pick("Giải quyết hồ sơ", "Resolution") keys=&["da-giai-quyet", "truoc-han", "dung-han", "qua-han", "ti-le-dung-han", "dang-giai-quyet", "dang-giai-quyet-trong-han", "dang-giai-quyet-qua-han", "rut", "khong-tiep-nhan", "dung-xu-ly"] stats=stats.clone() />
        </section>
        <section aria-labelledby="thu-tuc">
            <h2 id="thu-tuc">{s.pick("Theo thủ tục", "By procedure")}</h2>
            <ProgressChart caption=s.pick("Đã giải quyết trên số tiếp nhận, 10 thủ tục nhiều hồ sơ nhất", "Resolved of received, the 10 busiest procedures") rows=top />
            <table class="figures">
                <caption>{s.pick("Hồ sơ theo thủ tục", "Dossiers by procedure")}</caption>
                <thead><tr>
                    <th scope="col">{s.pick("Thủ tục", "Procedure")}</th>
                    <th scope="col">{s.pick("Đã giải quyết / tiếp nhận", "Resolved / received")}</th>
                    <th scope="col">{s.pick("Đúng hạn", "In time")}</th>
                </tr></thead>
                <tbody>
                    {stats.procedures.iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.name.clone()}</th>
                            <td>{format!("{}/{}", group_thousands(p.finished), group_thousands(p.received))}</td>
                            <td>{shown(Value::Percent(crate::domain::statistics::percent(p.in_time, p.finished)))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="hai-long">
            <h2 id="hai-long">{s.pick("Mức độ hài lòng", "Satisfaction")}</h2>
            <FigureTable caption=s.pick("Đánh giá của người dân (điểm mỗi mục: 2, 1 hoặc 0)", "Citizens' ratings (each item scores 2, 1 or 0)") keys=&["phieu-danh-gia", "hai-long", "ti-le-hai-long", "diem-tb-chung", "diem-tb-so-lan-den", "diem-tb-so-co-quan", "diem-tb-thai-do", "diem-tb-truc-tuyen"] stats=stats.clone() />
        </section>
        <Decision766 stats=stats.clone() />
        <p>
            {s.pick("Tải số liệu: ", "Download: ")}
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
                <label for="ky">{s.pick("Loại kỳ", "Period")}</label>
                <select id="ky" name="ky">
                    {PeriodKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.key() selected=kind == period.kind>{s.period_kind(kind)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="nam">{s.pick("Năm", "Year")}</label>
                <select id="nam" name="nam">
                    {years.into_iter().map(|y| view! { <option value=y.to_string() selected=y == year>{y.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="thang">{s.pick("Tháng", "Month")}</label>
                <select id="thang" name="thang">
                    {(1..=12u32).map(|m| view! { <option value=m.to_string() selected=m == period.first.month>{m.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="quy">{s.pick("Quý", "Quarter")}</label>
                <select id="quy" name="quy">
                    {(1..=4u32).map(|q| view! { <option value=q.to_string() selected=q == (period.first.month - 1) / 3 + 1>{q.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="tu">{s.pick("Từ ngày (khoảng ngày)", "From (date range)")}</label>
                <input id="tu" name="tu" type="date" value=period.first.iso() />
            </div>
            <div class="field">
                <label for="den">{s.pick("Đến ngày", "To")}</label>
                <input id="den" name="den" type="date" value=period.last.iso() />
            </div>
            <button type="submit">{s.pick("Xem", "Show")}</button>
        </form>
    }
}

/// Horizontal bars, one per row, each labelled with its name and value, so the chart reads the
/// same in greyscale; the table next to it carries the figures for screen readers.
#[component]
fn BarChart(id: &'static str, caption: &'static str, rows: Vec<(String, i64)>) -> impl IntoView {
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
                            <text x=format!("{:.1}", width + 4.0) y=y + 23 class="chart-value">{group_thousands(*value)}</text>
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
                            <text x=format!("{:.1}", scale(*received) + 4.0) y=y + 24 class="chart-value">{format!("{}/{}", group_thousands(*finished), group_thousands(*received))}</text>
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
    keys: &'static [&'static str],
    stats: Statistics,
) -> impl IntoView {
    let s = use_texts().stats;
    view! {
        <table class="figures">
            <caption>{caption}</caption>
            <tbody>
                {keys.iter().map(|key| view! {
                    <tr><th scope="row">{s.figure(key)}</th><td>{figure(&stats, key)}</td></tr>
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
            <h2 id="qd-766">{s.pick("Theo Quyết định 766/QĐ-TTg", "Decision 766/QĐ-TTg groups")}</h2>
            <p>{s.pick(
                "Các nhóm chỉ số đo được từ dữ liệu của Trung tâm; nhóm công khai, minh bạch và thanh toán trực tuyến cần số liệu khác nên không tính ở đây.",
                "The groups our data can measure; publicity and online payment need other data and are left out.",
            )}</p>
            <table class="figures">
                <caption>{s.pick("Chỉ số và công thức", "Indicators and formulas")}</caption>
                <thead><tr>
                    <th scope="col">{s.pick("Nhóm", "Group")}</th>
                    <th scope="col">{s.pick("Công thức", "Formula")}</th>
                    <th scope="col">{s.pick("Kết quả", "Value")}</th>
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
            s.pick("Tiến độ, kết quả giải quyết", "Progress and results"),
            s.pick(
                "(trước hạn + đúng hạn) ÷ đã giải quyết × 100",
                "(early + on time) ÷ resolved × 100",
            ),
            figure(stats, "ti-le-dung-han"),
        ),
        (
            s.pick("Số hóa hồ sơ", "Digitisation"),
            s.pick(
                "hồ sơ được số hóa ÷ hồ sơ tiếp nhận × 100",
                "digitised ÷ received × 100",
            ),
            figure(stats, "ti-le-so-hoa"),
        ),
        (
            s.pick("Cung cấp dịch vụ trực tuyến", "Online provision"),
            s.pick(
                "hồ sơ nộp trực tuyến ÷ hồ sơ tiếp nhận × 100",
                "filed online ÷ received × 100",
            ),
            figure(stats, "ti-le-truc-tuyen"),
        ),
        (
            s.pick("Mức độ hài lòng", "Satisfaction"),
            s.pick(
                "phiếu hài lòng ÷ số phiếu × 100; điểm = tỉ lệ × 18 ÷ 100",
                "satisfied ÷ forms × 100; points = rate × 18 ÷ 100",
            ),
            format!(
                "{} · {}",
                figure(stats, "ti-le-hai-long"),
                figure(stats, "diem-hai-long-766")
            ),
        ),
    ]
}
