//! The staff side, under `/can-bo`: sign-in, and the home page of a signed-in staff member.
//! Pages need a session; the handlers in `server::staff` sign in and out.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::layout::{ServerError, set_status};
use crate::api::current_staff;
use crate::domain::application::FormFeedback;
use crate::use_texts;

/// Where the sign-in form posts, and where a page without a session sends the browser.
pub const LOGIN_PATH: &str = "/can-bo/dang-nhap";

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let refused = feedback.problems.contains_key("dang-nhap");
    let locked = feedback.value("khoa").is_some();
    if refused {
        set_status(if locked { 429 } else { 401 });
    }
    let username = feedback.value("ten").unwrap_or_default().to_owned();
    view! {
        <Title text=format!("{} · {}", s.login_title, t.site_name) />
        <Meta name="robots" content="noindex" />
        <h1>{s.login_title}</h1>
        {refused.then(|| view! {
            <p class="field-error" role="alert">{if locked { s.locked } else { s.wrong_credentials }}</p>
        })}
        <form method="post" action=LOGIN_PATH class="stack">
            <div class="field">
                <label for="ten">{s.username}</label>
                <input id="ten" name="ten" value=username autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="40" required />
            </div>
            <div class="field">
                <label for="mat-khau">{s.password}</label>
                <input id="mat-khau" name="mat-khau" type="password" autocomplete="current-password" maxlength="200" required />
            </div>
            <button type="submit" class="primary">{s.login_button}</button>
        </form>
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let staff = Resource::new_blocking(|| (), |_| current_staff());
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense>
            {move || Suspend::new(async move {
                let t = use_texts();
                let s = t.staff;
                match staff.await {
                    Ok(Some(me)) => view! {
                        <Title text=format!("{} · {}", s.home_title, t.site_name) />
                        <h1>{s.home_title}</h1>
                        <p>
                            {s.signed_in_as}": "
                            <strong>{me.member.display_name.clone()}</strong>
                            {format!(" ({})", s.role(me.member.role))}
                        </p>
                        <p>{s.home_intro}</p>
                        <form method="post" action="/can-bo/dang-xuat">
                            <input type="hidden" name="csrf" value=me.csrf_token.clone() />
                            <button type="submit" class="secondary">{s.logout}</button>
                        </form>
                    }
                    .into_any(),
                    Ok(None) => {
                        send_to_login();
                        view! { <p><a href=LOGIN_PATH>{s.login_title}</a></p> }.into_any()
                    }
                    Err(_) => view! { <ServerError /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Without a session, a staff page answers with a redirect to the sign-in page.
fn send_to_login() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(
            http::header::LOCATION,
            http::HeaderValue::from_static(LOGIN_PATH),
        );
    }
}
