//! Which commune center a citizen's request is for: the one they picked (`/xa/{slug}` left its
//! slug in a cookie), else the default. Pages name it and online filing files with it.

use crate::http::error::HttpError;
use app::db::Database;
use app::domain::center::{CENTER_COOKIE, Center, PickedCenter};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Puts the request's `PickedCenter` in its extensions, for handlers and pages.
pub(crate) async fn pick_center(
    State(db): State<Database>,
    mut request: Request,
    next: Next,
) -> Response {
    let slug = app::api::cookie_value(request.headers(), CENTER_COOKIE);
    match db.picked_center(slug.as_deref()).await {
        Ok(picked) => {
            request.extensions_mut().insert(picked);
            next.run(request).await
        }
        Err(error) => HttpError::from(error).into_response(),
    }
}

/// The center `pick_center` put in the request (none only for a router without that layer).
pub(crate) fn picked(parts: &Parts) -> Option<&Center> {
    parts
        .extensions
        .get::<PickedCenter>()
        .map(|picked| &picked.center)
}
