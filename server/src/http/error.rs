//! One error type for every handler: `?` turns a failure into the answer a person can read.
//! Whatever went wrong on our side is logged and answered with a generic page (never the
//! details); the answers for people's own mistakes are translated pages too, never an empty body.

use app::i18n::{Lang, Texts};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub(crate) enum HttpError {
    /// A failure of ours (database, disk, randomness): logged, answered with 500.
    Internal(String),
    /// The answer is already made: a redirect, or a page rendered again with the problem.
    Answer(Response),
    /// Nothing here by that name (404).
    NotFound,
    /// A staff form without this session's CSRF token (403).
    StaleForm,
    /// An action the signed-in member's role does not allow (403).
    RoleForbids,
    /// No room or no randomness right now; worth trying again (503).
    Busy,
    /// A form the site's own pages never send (400).
    UnreadableForm,
    /// An admin changing their own role or switching their own account off (409): the center
    /// must keep an admin.
    OwnAccount,
}

/// What a handler returns.
pub(crate) type Handled = Result<Response, HttpError>;

impl HttpError {
    pub(crate) fn internal(error: impl std::fmt::Display) -> HttpError {
        HttpError::Internal(error.to_string())
    }

    fn status(&self) -> StatusCode {
        match self {
            HttpError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            HttpError::Answer(response) => response.status(),
            HttpError::NotFound => StatusCode::NOT_FOUND,
            HttpError::StaleForm | HttpError::RoleForbids => StatusCode::FORBIDDEN,
            HttpError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::UnreadableForm => StatusCode::BAD_REQUEST,
            HttpError::OwnAccount => StatusCode::CONFLICT,
        }
    }

    /// Title and text of the page, in one language.
    fn words(&self, texts: &'static Texts) -> (&'static str, &'static str) {
        match self {
            HttpError::Internal(_) | HttpError::Answer(_) => (texts.error_title, texts.error_text),
            HttpError::NotFound => (texts.not_found_title, texts.not_found_text),
            HttpError::StaleForm => (texts.forbidden_title, texts.stale_form_text),
            HttpError::RoleForbids => (texts.forbidden_title, texts.role_forbids_text),
            HttpError::Busy => (texts.busy_title, texts.busy_text),
            HttpError::UnreadableForm => (texts.unreadable_form_title, texts.unreadable_form_text),
            HttpError::OwnAccount => (texts.forbidden_title, texts.own_account_text),
        }
    }
}

impl From<Response> for HttpError {
    fn from(response: Response) -> HttpError {
        HttpError::Answer(response)
    }
}

impl From<app::db::DbError> for HttpError {
    fn from(error: app::db::DbError) -> HttpError {
        HttpError::internal(error)
    }
}

impl From<std::io::Error> for HttpError {
    fn from(error: std::io::Error) -> HttpError {
        HttpError::internal(error)
    }
}

impl HttpError {
    /// The page a person sees. In both languages: the request's language is not worth a second
    /// failure, and these pages are short.
    fn page(&self) -> String {
        let (vi, en) = (self.words(Lang::Vi.texts()), self.words(Lang::En.texts()));
        format!(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <link rel=\"stylesheet\" href=\"/pkg/motcua.css\"><title>{} / {}</title></head>\
             <body><main class=\"wrap\"><h1>{}</h1><p>{}</p>\
             <p lang=\"en\">{} {}</p><p><a href=\"/\">{} / <span lang=\"en\">{}</span></a></p>\
             </main></body></html>",
            vi.0,
            en.0,
            vi.0,
            vi.1,
            en.0,
            en.1,
            Lang::Vi.texts().back_home,
            Lang::En.texts().back_home
        )
    }
}

/// The app's "busy" page as a whole HTTP response, for a load balancer to answer with when no
/// app server can (HAProxy's `errorfile`, docs/operations.md): citizens read the app's own
/// words, never the balancer's.
pub fn busy_response() -> String {
    let page = HttpError::Busy.page();
    format!(
        "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n\
         Cache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    )
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        if let HttpError::Answer(response) = self {
            return response;
        }
        if let HttpError::Internal(error) = &self {
            tracing::error!(%error, "request failed");
        }
        let page = self.page();
        (
            self.status(),
            [(header::CACHE_CONTROL, "no-store")],
            Html(page),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(error: HttpError) -> (StatusCode, String) {
        let response = error.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn every_error_a_person_sees_is_a_page_in_both_languages() {
        let cases = [
            (
                HttpError::internal("disk full"),
                500,
                "Có lỗi xảy ra",
                "Something went wrong",
            ),
            (
                HttpError::NotFound,
                404,
                "Không tìm thấy trang",
                "Page not found",
            ),
            (
                HttpError::StaleForm,
                403,
                "Biểu mẫu đã cũ",
                "This form has expired",
            ),
            (
                HttpError::RoleForbids,
                403,
                "Vai trò của bạn",
                "Your role does not allow",
            ),
            (
                HttpError::Busy,
                503,
                "Hệ thống đang bận",
                "The system is busy",
            ),
            (
                HttpError::UnreadableForm,
                400,
                "Không đọc được biểu mẫu",
                "could not be read",
            ),
            (
                HttpError::OwnAccount,
                409,
                "tài khoản của chính mình",
                "your own account",
            ),
        ];
        for (error, status, vi, en) in cases {
            let (got, page) = body_of(error).await;
            assert_eq!(got.as_u16(), status);
            assert!(page.contains(vi) && page.contains(en), "{status}: {page}");
            assert!(!page.contains("disk full"), "no details of our failures");
        }
    }

    #[tokio::test]
    async fn the_balancer_answers_with_the_apps_busy_page() {
        let response = busy_response();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.0 503 "), "{head}");
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{head}"
        );
        assert_eq!(body, body_of(HttpError::Busy).await.1);
    }

    #[tokio::test]
    async fn a_made_answer_passes_through() {
        let redirect = axum::response::Redirect::to("/tra-cuu").into_response();
        let response = HttpError::from(redirect).into_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
}
