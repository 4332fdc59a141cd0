//! `/can-bo/quan-tri`: staff accounts, the working calendar and procedure caveats.

use super::calendar::calendar_section;
use super::{StaffNav, staff_page};
use crate::api::{ForStaff, SettingsView, staff_settings};
use crate::domain::back_office::settings_field;
use crate::domain::back_office::{Action, Role, action_field};
use crate::domain::feedback::FormFeedback;
use crate::domain::url::with_query;
use crate::pages::forms::{error_id, error_summary, line, problem_message, text_input, textarea};
use crate::pages::layout::title_text;
use crate::paths::{self, CAVEATS, SETTINGS, USERS, WITHHELD};
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// `/can-bo/quan-tri`: staff accounts, the working calendar of a year, notes for citizens.
#[component]
pub fn StaffSettingsPage() -> impl IntoView {
    let year = use_query_map().with_untracked(|q| {
        q.get(settings_field::YEAR)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let page = Resource::new_blocking(move || year, staff_settings);
    staff_page(page, |page| view! { <Settings page /> })
}

#[component]
fn Settings(page: ForStaff<SettingsView>) -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let ForStaff { me, page } = page;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let csrf = me.csrf_token.clone();
    let hidden =
        move || view! { <input type="hidden" name=action_field::CSRF value=csrf.clone() /> };
    let calendar_hidden = hidden.clone();
    let withheld_hidden = hidden.clone();
    let role_options = move |current: Option<Role>| {
        Role::ALL
            .into_iter()
            .map(|role| view! { <option value=role.key() selected=Some(role) == current>{s.role(role)}</option> })
            .collect_view()
    };
    let year = page.year;
    view! {
        <Title text=title_text(format!("{} · {}", s.settings, t.site_name)) />
        <StaffNav me=me.clone() />
        <h1>{s.settings}</h1>
        {error_summary(t, &feedback.problems)}
        <section aria-labelledby="tai-khoan">
            <h2 id="tai-khoan">{s.action(Action::ManageUsers)}</h2>
            <ul class="users">
                {page.users.iter().map(|account| {
                    let (member, active) = (&account.member, &account.active);
                    let own = member.username == me.member.username;
                    let email_id = format!("{}-{}", settings_field::EMAIL, member.username);
                    let email_problem = feedback.problem(&email_id);
                    // A refused address stays as typed, with its message.
                    let email = match email_problem {
                        Some(_) => feedback.value(settings_field::EMAIL).unwrap_or_default().to_owned(),
                        None => account.email.clone(),
                    };
                    view! {
                        <li>
                            <form method="post" action=paths::user(&member.username) class="row">
                                {hidden()}
                                <strong>{member.display_name.clone()}</strong>
                                {format!(" ({}) ", member.username)}
                                <label>
                                    {s.role}" "
                                    <select name=settings_field::ROLE disabled=own>{role_options(Some(member.role))}</select>
                                </label>
                                <label>
                                    <input type="checkbox" name=settings_field::ACTIVE value="1" checked=*active disabled=own />
                                    {s.may_sign}
                                </label>
                                <label for=email_id.clone()>{s.reminder_email}</label>
                                {problem_message(t, &email_id, email_problem)}
                                <input
                                    id=email_id.clone()
                                    type="email"
                                    name=settings_field::EMAIL
                                    value=email
                                    maxlength="254"
                                    autocomplete="off"
                                    disabled=own
                                    aria-invalid=email_problem.map(|_| "true")
                                    aria-describedby=email_problem.map(|_| error_id(&email_id))
                                />
                                {(!own).then(|| view! { <button type="submit" class="secondary">{s.save}</button> })}
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{s.add_account}</h3>
            <form method="post" action=USERS class="stack">
                {hidden()}
                {text_input(t, &feedback.values, &feedback, settings_field::USERNAME, s.username, Some(s.lower_case_without_accents), line("text", "text", "off", "40", true))}
                {text_input(t, &feedback.values, &feedback, settings_field::DISPLAY_NAME, s.full_name, None, line("text", "text", "off", "100", true))}
                <div class="field">
                    <label for=settings_field::ROLE>{s.role}</label>
                    <select id=settings_field::ROLE name=settings_field::ROLE>{role_options(Role::from_key(feedback.value(settings_field::ROLE).unwrap_or("tiep-nhan")))}</select>
                </div>
                {text_input(t, &feedback.values, &feedback, settings_field::EMAIL, s.reminder_email, Some(s.reminder_email_hint), line("email", "email", "off", "254", false))}
                {text_input(t, &BTreeMap::new(), &feedback, settings_field::PASSWORD, s.first_password, Some(s.at_least_10_characters), line("password", "text", "new-password", "200", true))}
                <button type="submit" class="primary">{s.add}</button>
            </form>
        </section>
        <section aria-labelledby="ngay-nghi">
            <h2 id="ngay-nghi">{format!("{} {year}", s.action(Action::ManageHolidays))}</h2>
            <p>{t.centers.own_calendar_intro}</p>
            <p>
                <a href=with_query(SETTINGS, &[(settings_field::YEAR, (year - 1).to_string())])>{format!("← {}", year - 1)}</a>
                " · "
                <a href=with_query(SETTINGS, &[(settings_field::YEAR, (year + 1).to_string())])>{format!("{} →", year + 1)}</a>
            </p>
            {calendar_section(t, year, page.calendar.clone(), &feedback, move || calendar_hidden().into_any())}
        </section>
        <section aria-labelledby="luu-y">
            <h2 id="luu-y">{s.action(Action::ManageCaveats)}</h2>
            <p>{s.shown_first_under_notes}</p>
            <ul>
                {page.caveats.iter().map(|(code, name, text)| view! {
                    <li><strong>{format!("{name} ({code})")}</strong>": "{text.clone()}</li>
                }).collect_view()}
            </ul>
            <form method="post" action=CAVEATS class="stack">
                {hidden()}
                <div class="field">
                    <label for="luu-y-thu-tuc">{s.procedure}</label>
                    <select id="luu-y-thu-tuc" name=settings_field::PROCEDURE required>
                        {page.procedures.iter().map(|(code, name)| view! {
                            <option value=code.clone()>{format!("{name} ({code})")}</option>
                        }).collect_view()}
                    </select>
                </div>
                {textarea(t, &feedback, "luu-y-noi-dung".to_owned(), settings_field::CAVEAT, s.note, None, false)}
                <button type="submit" class="primary">{s.save_note}</button>
            </form>
        </section>
        <section aria-labelledby="khong-nhan">
            <h2 id="khong-nhan">{s.action(Action::ManageProcedures)}</h2>
            <p>{t.centers.withheld_intro}</p>
            <ul>
                {page.withheld.iter().map(|(code, name)| view! {
                    <li>
                        <form method="post" action=WITHHELD class="row">
                            {withheld_hidden()}
                            <input type="hidden" name=settings_field::PROCEDURE value=code.clone() />
                            <input type="hidden" name=settings_field::RECEIVES value="1" />
                            <strong>{format!("{name} ({code})")}</strong>" "
                            <button type="submit" class="secondary">
                                {t.centers.receive_again}
                                <span class="visually-hidden">{format!(": {name}")}</span>
                            </button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
            <form method="post" action=WITHHELD class="stack">
                {withheld_hidden()}
                <input type="hidden" name=settings_field::RECEIVES value="0" />
                <div class="field">
                    <label for="khong-nhan-thu-tuc">{s.procedure}</label>
                    <select id="khong-nhan-thu-tuc" name=settings_field::PROCEDURE required>
                        {page.procedures.iter().map(|(code, name)| view! {
                            <option value=code.clone()>{format!("{name} ({code})")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary">{t.centers.withhold}</button>
            </form>
        </section>
    }
}
