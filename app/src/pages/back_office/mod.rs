//! The back office, under `/can-bo`: sign-in, the queue, one dossier with its actions,
//! counter intake and the settings. Plain HTML forms posting to `server::routes::back_office`;
//! every form carries the session's CSRF token, and a role sees only the actions it may take
//! (the server checks again).

pub mod calendar;
pub mod centers;
pub mod certification;
pub mod dossier;
pub mod finder;
pub mod intake;
pub mod messages;
pub mod queue;
pub mod settings;
pub mod sign_in;
pub mod templates;

use crate::api::{ForStaff, SignedInStaff, StaffPage, staff_home};
use crate::domain::back_office::Action;
use crate::domain::back_office::action_field;
use crate::pages::layout::{ServerError, set_status, title_text};
use crate::paths;
use crate::paths::{INTAKE, QUEUE, SETTINGS, SIGN_IN};
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Renders a staff page's data, or what stands in its way: the sign-in redirect, 403, 404.
pub(crate) fn staff_page<T, V>(
    page: Resource<Result<StaffPage<T>, crate::error::AppError>>,
    shown: impl Fn(ForStaff<T>) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let s = use_texts().staff;
                match page.await {
                    Ok(StaffPage::Shown(page)) => shown(*page).into_any(),
                    Ok(StaffPage::NotSignedIn) => {
                        send_to_login();
                        view! { <p><a href=SIGN_IN>{s.login_title}</a></p> }.into_any()
                    }
                    Ok(StaffPage::Forbidden) => {
                        set_status(403);
                        view! {
                            <h1>{s.not_allowed}</h1>
                            <p>{s.your_role_cannot_open}</p>
                            <p><a href=paths::STAFF_HOME>{s.home_title}</a></p>
                        }
                        .into_any()
                    }
                    Ok(StaffPage::NotFound) => {
                        set_status(404);
                        view! {
                            <h1>{s.no_such_dossier}</h1>
                            <p><a href=QUEUE>{s.queue_title}</a></p>
                        }
                        .into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let home = Resource::new_blocking(|| (), |_| staff_home());
    staff_page(home, |page| {
        let t = use_texts();
        let s = t.staff;
        let ForStaff { me, page: todo } = page;
        let role = me.member.role;
        let nothing = todo.iter().all(|(_, count)| *count == 0);
        let items = todo
            .into_iter()
            .map(|(todo, count)| {
                let class = if count > 0 { "todo has-work" } else { "todo" };
                let href = paths::queue(&todo.filter());
                view! {
                    <li class=class>
                        <a href=href>
                            <span class="todo-count">{count}</span>
                            <span class="todo-name">{s.todo(todo)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <Title text=title_text(format!("{} · {}", s.home_title, t.site_name)) />
            <StaffNav me=me.clone() />
            <h1>{s.home_title}</h1>
            <p>
                {s.signed_in_as}": "
                <strong>{me.member.display_name.clone()}</strong>
                {format!(" ({})", s.role(role))}
            </p>
            <section aria-labelledby="viec-can-lam">
                <h2 id="viec-can-lam">{s.todo_heading}</h2>
                {nothing.then(|| view! { <p>{s.todo_none}</p> })}
                <ul class="todo-list">{items}</ul>
            </section>
            <ul class="sector-list">
                <li><a href=QUEUE>{s.queue_title}</a></li>
                {role.may(Action::CounterIntake).then(|| view! { <li><a href=INTAKE>{s.action(Action::CounterIntake)}</a></li> })}
                {role.may(Action::Certify).then(|| view! { <li><a href=paths::CERTIFY>{s.action(Action::Certify)}</a></li> })}
                {role.may(Action::ManageUsers).then(|| view! { <li><a href=SETTINGS>{s.settings}</a></li> })}
                {role.may(Action::ManageUsers).then(|| view! { <li><a href=paths::STAFF_TEMPLATES>{s.templates_title}</a></li> })}
                {role.may(Action::ManageCenters).then(|| view! { <li><a href=paths::STAFF_CENTERS>{s.action(Action::ManageCenters)}</a></li> })}
            </ul>
        }
    })
}

/// The back office's links and the sign-out button, on every staff page.
#[component]
pub fn StaffNav(me: SignedInStaff) -> impl IntoView {
    let s = use_texts().staff;
    let role = me.member.role;
    view! {
        <nav class="staff-nav" aria-label=s.staff_pages>
            <a href=paths::STAFF_HOME>{s.home_title}</a>
            <a href=QUEUE>{s.queue_title}</a>
            <a href=paths::REGISTER>{use_texts().papers.register_link}</a>
            {role.may(Action::CounterIntake).then(|| view! { <a href=INTAKE>{s.action(Action::CounterIntake)}</a> })}
            {role.may(Action::Certify).then(|| view! { <a href=paths::CERTIFY>{s.action(Action::Certify)}</a> })}
            <a href=paths::STAFF_MESSAGES>{s.failed_messages}</a>
            {role.may(Action::ManageUsers).then(|| view! { <a href=SETTINGS>{s.settings}</a> })}
            {role.may(Action::ManageCenters).then(|| view! { <a href=paths::STAFF_CENTERS>{s.action(Action::ManageCenters)}</a> })}
            <form method="post" action=paths::SIGN_OUT>
                <input type="hidden" name=action_field::CSRF value=me.csrf_token.clone() />
                <button type="submit" class="link">{format!("{} ({})", s.logout, me.member.username)}</button>
            </form>
        </nav>
    }
}

/// Without a session, a staff page answers with a redirect to the sign-in page.
pub(crate) fn send_to_login() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static(SIGN_IN),
        );
    }
}
