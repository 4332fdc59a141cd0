//! Staff sign-in and sign-out. Sessions live in the database (several app servers share them);
//! the cookie is `HttpOnly`, `SameSite=Lax`, scoped to `/can-bo`, and `Secure` when configured.
//! Every state-changing staff form carries the session's CSRF token.

use std::collections::BTreeMap;

use app::api::{STAFF_COOKIE, cookie_value};
use app::domain::application::{FormFeedback, Problem};
use app::domain::staff::{
    FAILURES_BEFORE_ADDRESS_LOCKOUT, FAILURES_BEFORE_LOCKOUT, LOCKOUT_WINDOW_SECONDS,
    failure_delay_millis,
};
use app::pages::staff::LOGIN_PATH;
use axum::Form;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::AppState;
use crate::back_office::{csrf_matches, stale_form};
use crate::filing::{form_map, internal, now, random_hex, render_with_feedback, see_other};

/// How long a staff session lasts: a working day and some.
const SESSION_SECONDS: i64 = 10 * 3600;

fn session_cookie(token: &str, max_age: i64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{STAFF_COOKIE}={token}; Path=/can-bo; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// `POST /can-bo/dang-nhap`: a wrong password costs a growing pause; after
/// `FAILURES_BEFORE_LOCKOUT` failures for a username (or `FAILURES_BEFORE_ADDRESS_LOCKOUT` from
/// an address), sign-in is refused for the rest of the window, even with the right password.
pub(crate) async fn login(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    let form: BTreeMap<String, String> = values.into_iter().collect();
    let username = form
        .get("ten")
        .map(|u| app::domain::procedure::typed_text(u, 100).to_lowercase())
        .unwrap_or_default();
    let password = form.get("mat-khau").cloned().unwrap_or_default();
    let now = now();
    let user_bucket = format!("dang-nhap:{username}");
    let address_bucket = app::client::bucket("dang-nhap", &parts, state.site.trust_forwarded_for);
    let mut failures = [0, 0];
    for (count, bucket) in failures.iter_mut().zip([&user_bucket, &address_bucket]) {
        match state
            .db
            .rate_limit_hits(bucket, LOCKOUT_WINDOW_SECONDS, now)
            .await
        {
            Ok(hits) => *count = hits,
            Err(error) => return internal(error),
        }
    }
    let [user_failures, address_failures] = failures;
    let refuse = |locked: bool| {
        let mut values = BTreeMap::from([("ten".to_owned(), username.clone())]);
        if locked {
            values.insert("khoa".to_owned(), "1".to_owned());
        }
        FormFeedback {
            values,
            problems: BTreeMap::from([("dang-nhap".to_owned(), Problem::Required)]),
        }
    };
    if user_failures >= FAILURES_BEFORE_LOCKOUT
        || address_failures >= FAILURES_BEFORE_ADDRESS_LOCKOUT
    {
        return render_with_feedback(
            &state,
            &parts,
            LOGIN_PATH,
            refuse(true),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let credentials = match state.db.staff_credentials(&username).await {
        Ok(credentials) => credentials,
        Err(error) => return internal(error),
    };
    let stored = credentials.as_ref().map(|(_, hash)| hash.clone());
    let checked = tokio::task::spawn_blocking(move || match stored {
        Some(stored) => app::password::verify(&password, &stored),
        // An unknown user costs the same hashing as a known one.
        None => {
            let _ = app::password::verify(&password, dummy_hash());
            false
        }
    })
    .await;
    let member = match (checked, credentials) {
        (Ok(true), Some((member, _))) => member,
        (Ok(_), _) => {
            for bucket in [&user_bucket, &address_bucket] {
                if let Err(error) = state
                    .db
                    .hit_rate_limit(bucket, i64::MAX, LOCKOUT_WINDOW_SECONDS, now)
                    .await
                {
                    return internal(error);
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(failure_delay_millis(
                user_failures.max(address_failures),
            )))
            .await;
            return render_with_feedback(
                &state,
                &parts,
                LOGIN_PATH,
                refuse(false),
                StatusCode::UNAUTHORIZED,
            )
            .await;
        }
        (Err(error), _) => return internal(error),
    };
    let (Some(token), Some(csrf)) = (random_hex::<32>(), random_hex::<32>()) else {
        return internal("no randomness for a session");
    };
    if let Err(error) = state
        .db
        .create_staff_session(&token, &member.username, &csrf, now, now + SESSION_SECONDS)
        .await
    {
        return internal(error);
    }
    tracing::info!(staff = %member.username, "staff signed in");
    let mut response = see_other("/can-bo");
    if let Some(cookie) = session_cookie(&token, SESSION_SECONDS, state.secure_cookies) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// A hash to check against when the username is unknown, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| app::password::hash("khong-phai-mat-khau-nao").unwrap_or_default())
}

/// `POST /can-bo/dang-xuat`: needs the session's CSRF token.
pub(crate) async fn logout(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Response {
    let Some(token) = cookie_value(&parts.headers, STAFF_COOKIE) else {
        return see_other(LOGIN_PATH);
    };
    let session = match state.db.staff_session(&token, now()).await {
        Ok(Some(session)) => session,
        Ok(None) => return see_other(LOGIN_PATH),
        Err(error) => return internal(error),
    };
    if !csrf_matches(&session, &form_map(values)) {
        return stale_form();
    }
    if let Err(error) = state.db.delete_staff_session(&token).await {
        return internal(error);
    }
    let mut response = see_other(LOGIN_PATH);
    if let Some(cookie) = session_cookie("", 0, state.secure_cookies) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
