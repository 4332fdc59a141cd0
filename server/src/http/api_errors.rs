//! Server functions answer every error with 500 (server_fn's `error_response`), even when the
//! caller sent arguments that cannot be read. Those are the caller's fault: this layer answers
//! them with 400, and with a fixed message, since the decoder's words may quote the input.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Where leptos serves server functions.
const SERVER_FUNCTIONS: &str = "/api/";

/// An error answer of a server function is this small; anything larger is left as it is.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub async fn caller_errors_are_400(request: Request, next: Next) -> Response {
    let server_function = request.uri().path().starts_with(SERVER_FUNCTIONS);
    let response = next.run(request).await;
    if !server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<AppError>(&bytes) {
        Ok(AppError::Transport(detail)) => {
            tracing::debug!(%detail, "server function called with arguments it cannot read");
            parts.status = StatusCode::BAD_REQUEST;
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            let message = AppError::Transport("the request could not be read".to_owned());
            Body::from(serde_json::to_vec(&message).unwrap_or_default())
        }
        _ => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}
