//! `/can-bo/trung-tam`, for the province: the communes' centers side by side for a period,
//! ranked, with the province's total; every center with its public address; a form to add one
//! (`server::routes::back_office::centers`).

use super::calendar::calendar_section;
use super::{StaffNav, staff_page};
use crate::api::{CentersAdminView, ForStaff, staff_centers};
use crate::domain::back_office::{Action, action_field, settings_field};
use crate::domain::center::center_field;
use crate::domain::feedback::FormFeedback;
use crate::domain::statistics::{Figure, Figures, Filter, Period};
use crate::domain::url::with_query;
use crate::pages::centers::receiving_days_text;
use crate::pages::forms::{error_summary, line, problem_message, text_input};
use crate::pages::layout::title_text;
use crate::pages::statistics::{link, period_fields, report_query, shown, span};
use crate::paths;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The figures each center is compared by: the period report's headline, in its order.
const COMPARED: [Figure; 10] = [
    Figure::CarriedOver,
    Figure::Received,
    Figure::SubmittedOnline,
    Figure::Resolved,
    Figure::InTimeRate,
    Figure::InProgress,
    Figure::InProgressOverdue,
    Figure::DigitisedShare,
    Figure::Ratings,
    Figure::SatisfactionRate,
];

#[component]
pub fn StaffCentersPage() -> impl IntoView {
    let query: Vec<(String, String)> = use_query_map().with_untracked(|q| {
        ["ky", "nam", "thang", "quy", "tu", "den"]
            .iter()
            .filter_map(|name| q.get(name).map(|v| (name.to_string(), v)))
            .collect()
    });
    let page = Resource::new_blocking(move || query.clone(), staff_centers);
    staff_page(page, |page| view! { <Centers page /> })
}

/// One center's full period report (the public statistics page).
fn report_link(agency: &str, period: &Period) -> String {
    let of_center = Filter {
        agency: Some(agency.to_owned()),
        ..Filter::default()
    };
    link(paths::STATISTICS, &report_query(period, &of_center))
}

#[component]
fn Centers(page: ForStaff<CentersAdminView>) -> impl IntoView {
    let t = use_texts();
    let (c, s) = (t.centers, t.stats);
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let lang = t.lang;
    let cells = move |figures: &Figures| {
        COMPARED
            .iter()
            .map(|&figure| {
                let value = figures
                    .figure(figure)
                    .map_or_else(|| "—".to_owned(), |v| shown(lang, v));
                view! { <td class="num">{value}</td> }
            })
            .collect_view()
    };
    let (period, today) = (page.period, page.today);
    let rows = page
        .ranking
        .iter()
        .enumerate()
        .map(|(place, center)| {
            view! {
                <tr>
                    <td class="num">{(place + 1).to_string()}</td>
                    <th scope="row">
                        <a href=report_link(&center.agency, &period)>{center.name.clone()}</a>
                        <br /><span class="note">{center.agency.clone()}</span>
                    </th>
                    {cells(&center.figures)}
                </tr>
            }
        })
        .collect_view();
    let listed = page.centers.iter().map(|center| {
        view! {
            <li>
                <strong>{center.name.clone()}</strong>
                {center.is_default.then(|| format!(" ({})", c.default_mark))}
                <br />{format!("{}: {}", c.agency, center.agency)}
                <br />{c.link}": "<a href=paths::center(&center.slug)>{paths::center(&center.slug)}</a>
                <br />{format!("{}: {}", c.receiving_days, receiving_days_text(t, center.receiving_days))}
            </li>
        }
    }).collect_view();
    let day_checked = |day: usize| {
        feedback
            .value(center_field::RECEIVING_DAYS)
            .map_or(day <= 5, |typed| {
                typed.split(',').any(|d| d == day.to_string())
            })
    };
    let day_boxes = (1..=7usize)
        .map(|day| {
            view! {
                <label class="choice">
                    <input type="checkbox" name=center_field::RECEIVING_DAYS value=day.to_string() checked=day_checked(day) />
                    {c.weekday_names[day - 1]}
                </label>
            }
        })
        .collect_view();
    let values = feedback.values.clone();
    let year = period.first.year;
    let csrf = me.csrf_token.clone();
    let calendar_hidden =
        move || view! { <input type="hidden" name=action_field::CSRF value=csrf.clone() /> };
    view! {
        <Title text=title_text(format!("{} · {}", c.list_title, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{c.list_title}</h1>
        {error_summary(t, &feedback.problems)}
        <section aria-labelledby="so-sanh">
            <h2 id="so-sanh">{format!("{} · {}", s.report_title, span(&period))}</h2>
            <form method="get" action=paths::STAFF_CENTERS class="search-form filters">
                {period_fields(s, period, today)}
                <button type="submit">{s.show}</button>
            </form>
            <p><a href=link(paths::STAFF_CENTERS, &period.previous().to_query())>{format!("← {}", s.previous_period(span(&period.previous())))}</a></p>
            <p class="note">{c.full_report_hint}</p>
            <div class="table-scroll">
                <table class="figures">
                    <thead><tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{s.center}</th>
                        {COMPARED.iter().map(|&figure| view! { <th scope="col">{s.figure(figure)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                    <tfoot><tr>
                        <td></td>
                        <th scope="row">{c.whole_province}</th>
                        {cells(&page.total)}
                    </tr></tfoot>
                </table>
            </div>
        </section>
        <section aria-labelledby="ngay-nghi">
            <h2 id="ngay-nghi">{format!("{} {year} · {}", t.staff.action(Action::ManageHolidays), c.national_calendar)}</h2>
            <p>{c.national_calendar_intro}</p>
            <p>
                <a href=with_query(paths::STAFF_CENTERS, &[(settings_field::YEAR, (year - 1).to_string())])>{format!("← {}", year - 1)}</a>
                " · "
                <a href=with_query(paths::STAFF_CENTERS, &[(settings_field::YEAR, (year + 1).to_string())])>{format!("{} →", year + 1)}</a>
            </p>
            {calendar_section(t, year, page.calendar.clone(), &feedback, move || calendar_hidden().into_any())}
        </section>
        <section aria-labelledby="trung-tam">
            <h2 id="trung-tam">{c.list_title}</h2>
            <p>{c.list_intro}</p>
            <ul class="center-list">{listed}</ul>
        </section>
        <section aria-labelledby="them-trung-tam">
            <h2 id="them-trung-tam">{c.add_title}</h2>
            <form method="post" action=paths::STAFF_CENTERS class="stack">
                <input type="hidden" name=action_field::CSRF value=me.csrf_token.clone() />
                {text_input(t, &values, &feedback, center_field::AGENCY, c.agency_label, Some(c.agency_hint), line("text", "text", "off", "13", true))}
                {text_input(t, &values, &feedback, center_field::NAME, c.name_label, None, line("text", "text", "off", "200", true))}
                {text_input(t, &values, &feedback, center_field::SLUG, c.slug_label, Some(c.slug_hint), line("text", "text", "off", "60", false))}
                {text_input(t, &values, &feedback, center_field::ADDRESS, c.address, None, line("text", "text", "street-address", "300", true))}
                {text_input(t, &values, &feedback, center_field::OFFICE_HOURS, c.office_hours, None, line("text", "text", "off", "300", true))}
                <fieldset class=if feedback.problem(center_field::RECEIVING_DAYS).is_some() { "field has-error" } else { "field" } id=center_field::RECEIVING_DAYS>
                    <legend>{c.receiving_days}</legend>
                    {problem_message(t, center_field::RECEIVING_DAYS, feedback.problem(center_field::RECEIVING_DAYS))}
                    {day_boxes}
                </fieldset>
                {text_input(t, &values, &feedback, center_field::CAVEATS, c.caveats, Some(c.caveats_hint), line("text", "text", "off", "1000", false))}
                <button type="submit" class="primary">{c.add_button}</button>
            </form>
        </section>
    }
}
