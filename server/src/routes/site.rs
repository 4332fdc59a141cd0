//! Site-wide handlers: the health check and the language switch.

use crate::AppState;
use crate::http::cookies::cookie;
use crate::http::error::{Handled, HttpError};
use app::db::Database;
use app::domain::url::local_return_path;
use app::i18n::Lang;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{CookieJar, SameSite};
use serde::Deserialize;

pub(crate) async fn health(State(db): State<Database>) -> Response {
    match sqlx::query("SELECT 1").execute(db.pool()).await {
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
