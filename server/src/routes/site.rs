//! Site-wide handlers: the health check, the language switch and the commune's own link.

use crate::AppState;
use crate::http::cookies::cookie;
use crate::http::error::{Handled, HttpError};
use app::db::Database;
use app::domain::center::CENTER_COOKIE;
use app::domain::url::local_return_path;
use app::i18n::Lang;
use app::paths;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{CookieJar, SameSite};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(crate) async fn health(State(db): State<Database>) -> Response {
    match sqlx::query("SELECT 1").execute(db.writer()).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct SwitchLanguage {
    tiep: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to the page the citizen was on.
pub(crate) async fn switch_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<SwitchLanguage>,
) -> Handled {
    let lang = Lang::from_code(&lang).ok_or(HttpError::NotFound)?;
    let target = local_return_path(query.tiep.as_deref().unwrap_or("/"));
    let remembered = cookie(
        (Lang::COOKIE, lang.code().to_owned()),
        "/",
        365 * 86_400,
        SameSite::Lax,
        state.secure_cookies,
    );
    Ok((CookieJar::new().add(remembered), Redirect::to(target)).into_response())
}

/// `/xa/{slug}` and `/xa/{slug}/…`: the commune's own link or QR code. Remembers the commune in
/// a cookie and goes on to the page after the slug (the home page without one).
pub(crate) async fn pick_center(
    State(state): State<AppState>,
    Path(path): Path<BTreeMap<String, String>>,
    uri: Uri,
) -> Handled {
    let slug = path.get("slug").map(String::as_str).unwrap_or_default();
    let center = state
        .db
        .center_by_slug(slug)
        .await?
        .ok_or(HttpError::NotFound)?;
    // The rest as it was sent (still percent-encoded), so it goes into `Location` unchanged.
    let rest = uri
        .path()
        .strip_prefix(&paths::center(&center.slug))
        .unwrap_or_default();
    let rest = if rest.is_empty() { "/" } else { rest };
    let target = match uri.query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    let remembered = cookie(
        (CENTER_COOKIE, center.slug),
        "/",
        365 * 86_400,
        SameSite::Lax,
        state.secure_cookies,
    );
    Ok((
        CookieJar::new().add(remembered),
        Redirect::to(local_return_path(&target)),
    )
        .into_response())
}
