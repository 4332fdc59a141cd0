//! Building links with query strings, and checking where a redirect may go.

/// A query-string value (UTF-8) as `application/x-www-form-urlencoded` writes it: what browsers
/// send for a GET form, so a link and the form it stands for read the same.
pub fn encode_query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The first value of `name` among a query string's (name, value) pairs.
pub fn query_value(query: &[(String, String)], name: &str) -> Option<String> {
    query
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// `path?k=v&…` with the empty values left out.
pub fn with_query(path: &str, params: &[(impl AsRef<str>, impl AsRef<str>)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.as_ref().is_empty())
        .map(|(key, value)| format!("{}={}", key.as_ref(), encode_query_value(value.as_ref())))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A redirect target taken from a link is only followed when it stays on this site:
/// a path starting with one `/` (not `//host` nor `/\host`, which browsers treat as another site).
pub fn local_return_path(candidate: &str) -> &str {
    let is_local = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(char::is_control);
    if is_local { candidate } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_vietnamese_and_reserved_characters() {
        assert_eq!(encode_query_value("Hộ tịch"), "H%E1%BB%99+t%E1%BB%8Bch");
        assert_eq!(encode_query_value("a&b=c/d"), "a%26b%3Dc%2Fd");
        assert_eq!(encode_query_value("1.001193"), "1.001193");
    }

    #[test]
    fn builds_query_strings_without_empty_values() {
        assert_eq!(
            with_query("/thu-tuc", &[("q", ""), ("trang", "")]),
            "/thu-tuc"
        );
        assert_eq!(
            with_query(
                "/thu-tuc",
                &[("q", "khai sinh"), ("linh-vuc", ""), ("trang", "2")]
            ),
            "/thu-tuc?q=khai+sinh&trang=2"
        );
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_return_path("/thu-tuc?q=a"), "/thu-tuc?q=a");
        assert_eq!(local_return_path("//evil.example"), "/");
        assert_eq!(local_return_path("/\\evil.example"), "/");
        assert_eq!(local_return_path("https://evil.example"), "/");
        assert_eq!(local_return_path("/a\r\nSet-Cookie: x"), "/");
        assert_eq!(local_return_path(""), "/");
    }
}
