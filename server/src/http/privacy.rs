//! Headers that depend on what an answer shows: pages with personal data are never stored by
//! a browser or a proxy, and a site served over HTTPS tells browsers to use nothing else.

use app::paths;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Addresses whose answers may show personal data: the back office, drafts of applications,
/// receipts and dossier lookups.
const PERSONAL_DATA_PATHS: [&str; 4] = [
    paths::STAFF_HOME,
    paths::RESUME,
    paths::RECEIPT,
    paths::STATUS,
];

/// Whether `path` is one of `PERSONAL_DATA_PATHS` or below one.
pub fn shows_personal_data(path: &str) -> bool {
    PERSONAL_DATA_PATHS.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Middleware: `Cache-Control: no-store` on answers that may show personal data (unless the
/// handler set a stricter one), and `Strict-Transport-Security` when `https` is true.
pub async fn privacy_headers(State(https): State<bool>, request: Request, next: Next) -> Response {
    let private = shows_personal_data(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if private {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Whether a form post comes from this site's own pages, by its `Origin` (or, from browsers
/// that send none, its `Referer`): another site's page cannot post a form here in a visitor's
/// name (login CSRF). A post with neither header comes from no browser page and is let through;
/// `Origin: null` (a sandboxed or privacy-stripped page) is not.
pub fn posted_from_this_site(headers: &axum::http::HeaderMap, public_url: Option<&str>) -> bool {
    let source = match (headers.get(header::ORIGIN), headers.get(header::REFERER)) {
        (Some(origin), _) => origin,
        (None, Some(referer)) => referer,
        (None, None) => return true,
    };
    let Some(source_host) = source.to_str().ok().and_then(host_of) else {
        return false;
    };
    let own_host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    own_host == Some(source_host) || public_url.and_then(host_of) == Some(source_host)
}

/// `host[:port]` of an absolute `http(s)://` address.
fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_lives_under_four_addresses() {
        for path in [
            "/can-bo",
            "/can-bo/ho-so/X",
            "/ho-so-nhap/ABC/nguoi-nop",
            "/giay-hen",
            "/tra-cuu",
            "/tra-cuu/bo-sung",
        ] {
            assert!(shows_personal_data(path), "{path}");
        }
        for path in [
            "/",
            "/thu-tuc",
            "/thong-ke",
            "/can-bo-khac",
            "/pkg/motcua.css",
        ] {
            assert!(!shows_personal_data(path), "{path}");
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> axum::http::HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    #[test]
    fn only_this_sites_pages_may_post() {
        let host = (header::HOST, "xa.example:3000");
        let from = |name: header::HeaderName, value: &str| headers(&[host.clone(), (name, value)]);
        assert!(posted_from_this_site(
            &from(header::ORIGIN, "http://xa.example:3000"),
            None
        ));
        assert!(posted_from_this_site(
            &from(header::REFERER, "http://xa.example:3000/can-bo/dang-nhap"),
            None
        ));
        assert!(!posted_from_this_site(
            &from(header::ORIGIN, "https://ke-gian.example"),
            None
        ));
        assert!(!posted_from_this_site(&from(header::ORIGIN, "null"), None));
        assert!(!posted_from_this_site(
            &from(header::REFERER, "https://xa.example:3000.ke-gian.example/"),
            None
        ));
        assert!(posted_from_this_site(
            &headers(std::slice::from_ref(&host)),
            None
        ));
        // Behind a load balancer the Host may be internal; the public address counts.
        let internal = headers(&[
            (header::HOST, "10.0.0.5:3000"),
            (header::ORIGIN, "https://motcua.xa.gov.vn"),
        ]);
        assert!(posted_from_this_site(
            &internal,
            Some("https://motcua.xa.gov.vn")
        ));
        assert!(!posted_from_this_site(&internal, None));
    }
}
