//! Staff sign-in and sign-out. Sessions live in the database (several app servers share them);
//! the cookie is `HttpOnly`, `SameSite=Lax`, scoped to `/can-bo`, and `Secure` when configured.
//! Every state-changing staff form carries the session's CSRF token.

use crate::AppState;
use crate::http::cookies::cookie;
use crate::http::error::{Handled, HttpError};
use crate::http::privacy::posted_from_this_site;
use crate::http::{form_map, random_hex, render_with_feedback, see_other};
use crate::routes::back_office::csrf_matches;
use app::api::{STAFF_COOKIE, cookie_value};
use app::db::sha256_hex;
use app::domain::back_office::sign_in_field;
use app::domain::back_office::{
    CHECKS_PER_ADDRESS, CHECKS_PER_KNOWN_DEVICE, CHECKS_PER_USERNAME, LOCKOUT_WINDOW_SECONDS,
    failure_delay_millis,
};
use app::domain::feedback::{FormFeedback, Problem};
use app::paths;
use app::paths::SIGN_IN;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::collections::BTreeMap;

/// How long a staff session lasts: a working day and some.
const SESSION_SECONDS: i64 = 10 * 3600;

fn session_cookie(token: String, seconds: i64, secure: bool) -> Cookie<'static> {
    cookie(
        (STAFF_COOKIE, token),
        paths::STAFF_HOME,
        seconds,
        SameSite::Lax,
        secure,
    )
}

/// `POST /can-bo/dang-nhap`. Each password check is counted before it runs, atomically in the
/// database, against the budgets of `domain::back_office` (docs/back_office.md, "Password guessing"): the
/// username's and the address's, or, on a device where this username signed in before, that
/// device's own.
/// A wrong password costs a growing pause; over a budget, sign-in is refused for the rest of the
/// window, even with the right password.
pub(crate) async fn login(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    if !posted_from_this_site(&parts.headers, state.site.public_url.as_deref()) {
        tracing::warn!("sign-in posted from another site: refused");
        return Err(HttpError::StaleForm);
    }
    let form = form_map(values);
    let username = form
        .get(sign_in_field::USERNAME)
        .map(|u| app::domain::procedure::typed_text(u, 100).to_lowercase())
        .unwrap_or_default();
    let password = form
        .get(sign_in_field::PASSWORD)
        .cloned()
        .unwrap_or_default();
    let now = state.db.now();
    let refuse = |locked: bool| {
        let mut values = BTreeMap::from([(sign_in_field::USERNAME.to_owned(), username.clone())]);
        if locked {
            values.insert(sign_in_field::LOCKED.to_owned(), "1".to_owned());
        }
        FormFeedback {
            values,
            problems: BTreeMap::from([(sign_in_field::REFUSED.to_owned(), Problem::Required)]),
        }
    };
    let device = cookie_value(&parts.headers, DEVICE_COOKIE).filter(|token| token.len() == 64);
    let known_device = match &device {
        Some(token) => state.db.is_known_staff_device(token, &username).await?,
        None => false,
    };
    let budgets = match (&device, known_device) {
        (Some(token), true) => vec![(
            format!("dang-nhap-thiet-bi:{}", &sha256_hex(token)[..24]),
            CHECKS_PER_KNOWN_DEVICE,
        )],
        _ => vec![
            (format!("dang-nhap:{username}"), CHECKS_PER_USERNAME),
            (
                app::client::bucket("dang-nhap", &parts, &state.site.trusted_proxies),
                CHECKS_PER_ADDRESS,
            ),
        ],
    };
    // The first budget that is used up refuses, and the ones charged before it get their
    // check back: no check ran.
    let mut charged = Vec::new();
    let mut checks_before = 0;
    for (bucket, limit) in &budgets {
        let hit = state
            .db
            .hit_rate_limit(bucket, *limit, LOCKOUT_WINDOW_SECONDS, now)
            .await?;
        if hit.wait.is_some() {
            refund(&state, &charged, now).await?;
            return Ok(render_with_feedback(
                &state,
                &parts,
                SIGN_IN,
                refuse(true),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await);
        }
        charged.push(bucket);
        checks_before = checks_before.max(hit.hits_this_window - 1);
    }
    let credentials = state.db.staff_credentials(&username).await?;
    let stored = credentials.as_ref().map(|(_, hash)| hash.clone());
    let checked = crate::password_checks::check(password, stored)
        .await
        .map_err(HttpError::internal)?;
    let member = match (checked, credentials) {
        (true, Some((member, _))) => member,
        _ => {
            tokio::time::sleep(std::time::Duration::from_millis(failure_delay_millis(
                checks_before,
            )))
            .await;
            return Ok(render_with_feedback(
                &state,
                &parts,
                SIGN_IN,
                refuse(false),
                StatusCode::UNAUTHORIZED,
            )
            .await);
        }
    };
    // The right password was no guess: the budgets get their check back.
    refund(&state, &charged, now).await?;
    let (Some(token), Some(csrf)) = (random_hex::<32>(), random_hex::<32>()) else {
        return Err(HttpError::internal("no randomness for a session"));
    };
    let Some(device) = device.or_else(random_hex::<32>) else {
        return Err(HttpError::internal("no randomness for a device"));
    };
    state
        .db
        .remember_staff_device(&device, &member.username, now)
        .await?;
    state
        .db
        .create_staff_session(&token, &member.username, &csrf, now, now + SESSION_SECONDS)
        .await?;
    tracing::info!(staff = %member.username, "staff signed in");
    let cookies = CookieJar::new()
        .add(session_cookie(token, SESSION_SECONDS, state.secure_cookies))
        .add(device_cookie(device, state.secure_cookies));
    Ok((cookies, see_other(paths::STAFF_HOME)).into_response())
}

/// Gives each budget in `buckets` its check back.
async fn refund(state: &AppState, buckets: &[&String], now: i64) -> Result<(), app::db::DbError> {
    for bucket in buckets {
        state
            .db
            .refund_rate_limit(bucket, LOCKOUT_WINDOW_SECONDS, now)
            .await?;
    }
    Ok(())
}

/// The cookie that marks a device where a staff member signed in: it only gives sign-in there
/// its own attempt budget, never access.
fn device_cookie(token: String, secure: bool) -> Cookie<'static> {
    cookie(
        (DEVICE_COOKIE, token),
        paths::SIGN_IN,
        DEVICE_SECONDS,
        SameSite::Strict,
        secure,
    )
}

/// How long a device is remembered: a year.
const DEVICE_SECONDS: i64 = 365 * 86_400;

const DEVICE_COOKIE: &str = "motcua_thiet_bi";

/// `POST /can-bo/dang-xuat`: needs the session's CSRF token.
pub(crate) async fn logout(
    State(state): State<AppState>,
    parts: Parts,
    Form(values): Form<Vec<(String, String)>>,
) -> Handled {
    let session = super::signed_in(&state, &parts).await?;
    if !csrf_matches(&session, &form_map(values)) {
        return Err(HttpError::StaleForm);
    }
    // `signed_in` found the session by this cookie.
    if let Some(token) = cookie_value(&parts.headers, STAFF_COOKIE) {
        state.db.delete_staff_session(&token).await?;
    }
    let ended = session_cookie(String::new(), 0, state.secure_cookies);
    Ok((CookieJar::new().add(ended), see_other(SIGN_IN)).into_response())
}
