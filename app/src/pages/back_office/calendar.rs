//! The working calendar on the settings page: the year as month grids, the year's unusual
//! days with why, and the form that enters a day of a published decision.

use crate::domain::back_office::settings_field;
use crate::domain::calendar::Date;
use crate::domain::feedback::FormFeedback;
use crate::domain::working_days::{DayReason, DayState};
use crate::i18n::{StaffTexts, Texts};
use crate::pages::forms::{line, problem_message, text_input};
use crate::paths::HOLIDAYS;
use leptos::prelude::*;

type CalendarDay = (Date, DayState, DayReason);

/// How a day looks in the grid: its class and the mark that tells it without colour.
fn look(state: DayState, reason: &DayReason) -> (&'static str, &'static str) {
    match (state, reason) {
        (_, DayReason::Holiday(_)) => ("holiday", "●"),
        (_, DayReason::Compensatory(_)) => ("compensatory", "○"),
        (DayState::Off, DayReason::Decided { .. }) => ("decided-off", "■"),
        (DayState::Working, DayReason::Decided { .. }) => ("decided-working", "□"),
        (_, DayReason::Weekend) => ("weekend", ""),
        (_, DayReason::Weekday) => ("weekday", ""),
    }
}

/// Why a day is what it is, in words.
fn reason_text(s: &'static StaffTexts, reason: &DayReason) -> String {
    match reason {
        DayReason::Weekday => s.reason_weekday.to_owned(),
        DayReason::Weekend => s.reason_weekend.to_owned(),
        DayReason::Holiday(holiday) => s.holiday(*holiday).to_owned(),
        DayReason::Compensatory(holiday) => s.reason_compensatory(s.holiday(*holiday)),
        DayReason::Decided { note, reference } => format!("{note} ({reference})"),
    }
}

/// The section of the settings page: `hidden` is the form's CSRF field.
pub(crate) fn calendar_section<H>(
    t: &'static Texts,
    year: i32,
    days: Vec<CalendarDay>,
    feedback: &FormFeedback,
    hidden: H,
) -> impl IntoView + use<H>
where
    H: Fn() -> AnyView + Clone + Send + 'static,
{
    let s = t.staff;
    let legend = [
        ("holiday", "●", s.legend_holiday),
        ("compensatory", "○", s.legend_compensatory),
        ("decided-off", "■", s.legend_decided_off),
        ("decided-working", "□", s.legend_decided_working),
    ];
    let unusual: Vec<CalendarDay> = days
        .iter()
        .filter(|(_, _, reason)| !matches!(reason, DayReason::Weekday | DayReason::Weekend))
        .cloned()
        .collect();
    let months: Vec<Vec<CalendarDay>> = (1..=12)
        .map(|month| {
            days.iter()
                .filter(|(d, _, _)| d.month == month)
                .cloned()
                .collect()
        })
        .collect();
    let state_problem = feedback.problem(settings_field::DAY_STATE);
    let chosen_state = feedback
        .value(settings_field::DAY_STATE)
        .unwrap_or("nghi")
        .to_owned();
    let remove_hidden = hidden.clone();
    view! {
        <p>{s.calendar_intro}</p>
        <ul class="calendar-legend" aria-label=s.legend_heading>
            {legend.map(|(class, mark, label)| view! {
                <li><span class=format!("day {class}") aria-hidden="true">{mark}</span>" "{label}</li>
            })}
        </ul>
        <div class="year-grid">
            {months.into_iter().enumerate().map(|(index, days)| month_table(s, year, index, days)).collect_view()}
        </div>
        <h3>{s.days_off_heading}</h3>
        <ul class="unusual-days">
            {unusual.into_iter().map(|(day, state, reason)| {
                let decided = matches!(reason, DayReason::Decided { .. });
                let state_word = match state {
                    DayState::Off => s.state_off,
                    DayState::Working => s.state_worked,
                };
                let hidden = remove_hidden.clone();
                view! {
                    <li>
                        <strong>{format!("{}, {}", s.weekdays[day.weekday() as usize], day.day_month_year())}</strong>
                        {format!(": {state_word}. {}", reason_text(s, &reason))}
                        {decided.then(|| view! {
                            <form method="post" action=HOLIDAYS class="inline">
                                {hidden()}
                                <input type="hidden" name=settings_field::DAY value=day.iso() />
                                <button type="submit" name=settings_field::REMOVE value="1" class="link">
                                    {s.remove_entry}
                                    <span class="visually-hidden">{format!(" {}", day.day_month_year())}</span>
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <form method="post" action=HOLIDAYS class="stack">
            {hidden()}
            {text_input(t, &feedback.values, feedback, settings_field::DAY, s.entry_day, None, line("text", "text", "off", "10", true))}
            <fieldset id=settings_field::DAY_STATE class=if state_problem.is_some() { "field has-error" } else { "field" }>
                <legend>{s.day_state}</legend>
                {problem_message(t, settings_field::DAY_STATE, state_problem)}
                {[(DayState::Off, s.state_off), (DayState::Working, s.state_working)].map(|(state, label)| {
                    let id = format!("{}-{}", settings_field::DAY_STATE, state.key());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=settings_field::DAY_STATE value=state.key() checked=chosen_state == state.key() />
                            <label for=id>{label}</label>
                        </div>
                    }
                })}
            </fieldset>
            {text_input(t, &feedback.values, feedback, settings_field::DAY_NOTE, s.entry_note, None, line("text", "text", "off", "100", true))}
            {text_input(t, &feedback.values, feedback, settings_field::DAY_REFERENCE, s.entry_reference, None, line("text", "text", "off", "200", true))}
            <button type="submit" class="primary">{s.save_entry}</button>
        </form>
    }
}

/// One month: weeks from Monday, each day with its mark; the list below says why.
fn month_table(
    s: &'static StaffTexts,
    year: i32,
    index: usize,
    days: Vec<CalendarDay>,
) -> impl IntoView + use<> {
    let lead = days.first().map_or(0, |(d, _, _)| d.weekday() as usize);
    let mut cells: Vec<Option<CalendarDay>> = vec![None; lead];
    cells.extend(days.into_iter().map(Some));
    let weeks: Vec<Vec<Option<CalendarDay>>> = cells.chunks(7).map(<[_]>::to_vec).collect();
    view! {
        <table class="month">
            <caption>{format!("{} {year}", s.months[index])}</caption>
            <thead>
                <tr>
                    {(0..7).map(|i| view! { <th scope="col" abbr=s.weekdays[i]>{s.weekdays_short[i]}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {weeks.into_iter().map(|week| view! {
                    <tr>
                        {week.into_iter().map(|cell| match cell {
                            None => view! { <td></td> }.into_any(),
                            Some((day, state, reason)) => {
                                let (class, mark) = look(state, &reason);
                                view! {
                                    <td class=format!("day {class}")>
                                        {day.day}
                                        {(!mark.is_empty()).then(|| view! { <span class="mark" aria-hidden="true">{mark}</span> })}
                                    </td>
                                }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
