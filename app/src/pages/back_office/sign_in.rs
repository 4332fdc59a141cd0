//! `/can-bo/dang-nhap`: the sign-in page; its form posts to `server::routes::back_office::sign_in`.

use crate::domain::back_office::sign_in_field;
use crate::domain::feedback::FormFeedback;
use crate::pages::layout::{set_status, title_text};
use crate::paths::SIGN_IN;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let t = use_texts();
    let s = t.staff;
    let feedback = use_context::<FormFeedback>().unwrap_or_default();
    let refused = feedback.problems.contains_key(sign_in_field::REFUSED);
    let locked = feedback.value(sign_in_field::LOCKED).is_some();
    if refused {
        set_status(if locked { 429 } else { 401 });
    }
    let username = feedback
        .value(sign_in_field::USERNAME)
        .unwrap_or_default()
        .to_owned();
    view! {
        <Title text=title_text(format!("{} · {}", s.login_title, t.site_name)) />
        <Meta name="robots" content="noindex" />
        <h1>{s.login_title}</h1>
        {refused.then(|| view! {
            <p class="field-error" role="alert">{if locked { s.locked } else { s.wrong_credentials }}</p>
        })}
        <form method="post" action=SIGN_IN class="stack">
            <div class="field">
                <label for=sign_in_field::USERNAME>{s.username}</label>
                <input id=sign_in_field::USERNAME name=sign_in_field::USERNAME value=username autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="40" required />
            </div>
            <div class="field">
                <label for=sign_in_field::PASSWORD>{s.password}</label>
                <input id=sign_in_field::PASSWORD name=sign_in_field::PASSWORD type="password" autocomplete="current-password" maxlength="200" required />
            </div>
            <button type="submit" class="primary">{s.login_button}</button>
        </form>
    }
}
