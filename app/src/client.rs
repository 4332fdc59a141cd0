//! Who is asking: the client address behind rate limits, kept only as a hash.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::request::Parts;
use sha2::{Digest, Sha256};

use crate::domain::rate_limit::{TrustedProxies, forwarded_for};

/// Left in a request's extensions by a handler that has counted the request against the lookup
/// limit: a page rendered for the same request (a refused form shown again) reads the outcome
/// here instead of counting the request a second time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupCounted {
    /// Minutes to wait, when the client is over the limit.
    pub retry_minutes: Option<i64>,
}

impl LookupCounted {
    /// From the seconds left in the window when over the limit (rounded up to whole minutes).
    pub fn from_retry_seconds(seconds: Option<i64>) -> LookupCounted {
        LookupCounted {
            retry_minutes: seconds.map(|s| (s + 59) / 60),
        }
    }
}

/// The client's address: the peer of the connection, or, when the peer is one of `proxies`, the
/// nearest address the proxies did not add themselves to `Forwarded` (else `X-Forwarded-For`).
pub fn client_address(parts: &Parts, proxies: &TrustedProxies) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())?;
    if !proxies.contains(peer) {
        return Some(peer);
    }
    let values = |name: &str| -> Vec<String> {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    };
    let mut hops: Vec<IpAddr> = values("forwarded")
        .iter()
        .flat_map(|value| forwarded_for(value))
        .collect();
    if hops.is_empty() {
        hops = values("x-forwarded-for")
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
            .collect();
    }
    Some(proxies.client(peer, &hops))
}

/// The rate-limit bucket of `what` for this client (an IPv6 client by its /64 network): a hash,
/// so the database never holds the address itself.
pub fn bucket(what: &str, parts: &Parts, proxies: &TrustedProxies) -> String {
    let address = client_address(parts, proxies)
        .map(crate::domain::rate_limit::rate_limit_key)
        .unwrap_or_default();
    let digest = Sha256::digest(format!("motcua:{what}:{address}").as_bytes());
    format!("{what}:{}", hex::encode(&digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = http::Request::builder().uri("/tra-cuu");
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        parts
    }

    #[test]
    fn the_address_is_the_peer_unless_a_trusted_proxy_says_otherwise() {
        let none = TrustedProxies::default();
        let proxy = TrustedProxies::parse("10.0.0.5").unwrap();
        let request = parts("10.0.0.5:4000", Some("203.0.113.9, 198.51.100.7"));
        assert_eq!(client_address(&request, &none), "10.0.0.5".parse().ok());
        assert_eq!(
            client_address(&request, &proxy),
            "198.51.100.7".parse().ok()
        );
        let spoofed = parts("10.0.0.5:4000", Some("not an address"));
        assert_eq!(client_address(&spoofed, &proxy), "10.0.0.5".parse().ok());
        // A client that is not the proxy cannot choose its address.
        let direct = parts("203.0.113.50:4000", Some("198.51.100.7"));
        assert_eq!(client_address(&direct, &proxy), "203.0.113.50".parse().ok());
        // `Forwarded` is read first.
        let mut both = parts("10.0.0.5:4000", Some("198.51.100.7"));
        both.headers
            .insert("forwarded", "for=\"[2001:db8::5]:443\"".parse().unwrap());
        assert_eq!(client_address(&both, &proxy), "2001:db8::5".parse().ok());
    }

    #[test]
    fn buckets_hide_the_address_and_separate_clients() {
        let none = TrustedProxies::default();
        let a = bucket("tra-cuu", &parts("203.0.113.9:1", None), &none);
        let b = bucket("tra-cuu", &parts("203.0.113.10:1", None), &none);
        assert!(a.starts_with("tra-cuu:") && !a.contains("203.0.113"));
        assert_ne!(a, b);
        assert_eq!(a, bucket("tra-cuu", &parts("203.0.113.9:2", None), &none));
    }
}
