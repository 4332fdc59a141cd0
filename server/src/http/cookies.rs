//! The cookies this site sets: always `HttpOnly`, scoped to the path that reads them, `Secure`
//! behind an https public address (`Config::secure_cookies`).

use axum_extra::extract::cookie::{Cookie, SameSite};

/// A cookie for `path` that lasts `seconds` (0 removes it).
pub(crate) fn cookie(
    (name, value): (&'static str, String),
    path: &'static str,
    seconds: i64,
    same_site: SameSite,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .max_age(cookie::time::Duration::seconds(seconds))
        .http_only(true)
        .same_site(same_site)
        .secure(secure)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_scoped_and_secure_when_asked() {
        let set = cookie(
            ("motcua_lang", "en".to_owned()),
            "/",
            60,
            SameSite::Lax,
            true,
        );
        assert_eq!(
            set.to_string(),
            "motcua_lang=en; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=60"
        );
        let plain = cookie(("a", "b".to_owned()), "/can-bo", 0, SameSite::Strict, false);
        assert_eq!(
            plain.to_string(),
            "a=b; HttpOnly; SameSite=Strict; Path=/can-bo; Max-Age=0"
        );
    }
}
