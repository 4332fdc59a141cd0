//! Rate limits as sliding windows, and whose requests count together.
//!
//! Counts are kept per fixed window (a row per bucket and window start, shared by every app
//! server), and a request is judged on the estimate of a window that slides with it: this
//! window's count plus the previous window's count in the share of it that still lies within
//! one window length of now. A fixed window alone lets a client send twice the limit across a
//! boundary (all of it at the end of one window and the start of the next); the sliding
//! estimate does not.

use std::net::IpAddr;

/// One hit counted against a limit: the hits of the current fixed window, this one included,
/// and the verdict of the sliding window (`sliding_window_wait`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHit {
    pub hits_this_window: i64,
    /// `None` when allowed, else the seconds to wait.
    pub wait: Option<i64>,
}

/// Where a request stands against a limit of `limit` hits per `window` seconds, this hit
/// counted: `None` when allowed, else the seconds until the estimate is back within the limit.
/// `previous` and `current` are the counts of the last full window and of this one, which began
/// `elapsed` seconds ago.
pub fn sliding_window_wait(
    previous: i64,
    current: i64,
    limit: i64,
    window: i64,
    elapsed: i64,
) -> Option<i64> {
    // In 128 bits: a limit set near the top of i64 ("no limit") must not overflow.
    let (previous, current, limit) = (i128::from(previous), i128::from(current), i128::from(limit));
    let window = i128::from(window.max(1));
    let elapsed = i128::from(elapsed).clamp(0, window - 1);
    // previous × (window − elapsed) / window + current > limit, in whole numbers.
    if previous * (window - elapsed) <= (limit - current) * window {
        return None;
    }
    let wait = if current <= limit {
        // This window's hits fit: wait until enough of the previous window has slid out.
        let until = (window - (limit - current) * window / previous.max(1)).max(elapsed + 1);
        until - elapsed
    } else {
        // This window alone is over: wait for it to end and slide out far enough in turn.
        let into_next = window - limit.max(0) * window / current;
        window - elapsed + into_next.max(1)
    };
    Some(i64::try_from(wait).unwrap_or(i64::MAX))
}

/// The part of a client's address that its requests are counted by: the whole IPv4 address,
/// and an IPv6 address's /64 network, since one customer of an internet provider usually holds a
/// whole /64 and could otherwise change address at every request.
pub fn rate_limit_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The load balancers whose word on the client's address is taken (`MOTCUA_TRUSTED_PROXIES`):
/// addresses and networks, `10.0.0.5, 10.1.0.0/16, 2001:db8::/32`. Any other peer's
/// `X-Forwarded-For` or `Forwarded` is ignored: a client could write anything there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A comma-separated list; `None` when an entry is not an address or network.
    pub fn parse(list: &str) -> Option<TrustedProxies> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let (address, bits) = match entry.split_once('/') {
                    Some((address, bits)) => (address, Some(bits.parse::<u8>().ok()?)),
                    None => (entry, None),
                };
                let address: IpAddr = address.parse().ok()?;
                let longest = if address.is_ipv4() { 32 } else { 128 };
                let bits = bits.unwrap_or(longest);
                (bits <= longest).then_some((address, bits))
            })
            .collect::<Option<Vec<_>>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `address` is one of the proxies (an IPv4 address written as IPv6 counts as IPv4).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0
            .iter()
            .any(|(network, bits)| match (network, address) {
                (IpAddr::V4(network), IpAddr::V4(address)) => {
                    same_prefix(&network.octets(), &address.octets(), *bits)
                }
                (IpAddr::V6(network), IpAddr::V6(address)) => {
                    same_prefix(&network.octets(), &address.octets(), *bits)
                }
                _ => false,
            })
    }

    /// The client's address for a request from `peer` carrying `hops` (the addresses proxies
    /// added, the nearest last): the peer itself unless it is a proxy; else the nearest hop that
    /// is not one of the proxies.
    pub fn client(&self, peer: IpAddr, hops: &[IpAddr]) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        hops.iter()
            .rev()
            .copied()
            .find(|hop| !self.contains(*hop))
            .or_else(|| hops.first().copied())
            .unwrap_or(peer)
    }
}

fn same_prefix(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let whole = bits / 8;
    if a[..whole] != b[..whole] {
        return false;
    }
    let rest = bits % 8;
    rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0
}

/// The addresses a `Forwarded` header's `for=` parameters name (RFC 7239: quoted, IPv6 in
/// brackets, with or without a port), in order; entries that name none (`unknown`, obfuscated
/// names) are left out.
pub fn forwarded_for(value: &str) -> Vec<IpAddr> {
    value
        .split(',')
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| {
            let (name, node) = pair.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("for") {
                return None;
            }
            let node = node.trim().trim_matches('"');
            if let Some(bracketed) = node.strip_prefix('[') {
                return bracketed.split(']').next()?.parse().ok();
            }
            node.parse::<IpAddr>()
                .ok()
                .or_else(|| node.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_the_limit_is_allowed() {
        assert_eq!(sliding_window_wait(0, 1, 3, 60, 0), None);
        assert_eq!(sliding_window_wait(0, 3, 3, 60, 30), None);
        // Half of the previous window's 4 still counts: 2 + 1 = 3.
        assert_eq!(sliding_window_wait(4, 1, 3, 60, 30), None);
    }

    #[test]
    fn a_burst_across_the_boundary_is_refused() {
        // 3 at the very end of one window, then a 4th at the start of the next.
        assert!(sliding_window_wait(3, 1, 3, 60, 0).is_some());
        // The limit returns when enough of the previous window has slid out: 3 × (60 − e) / 60
        // + 1 ≤ 3 from e = 20.
        assert_eq!(sliding_window_wait(3, 1, 3, 60, 5), Some(15));
        assert_eq!(sliding_window_wait(3, 1, 3, 60, 20), None);
    }

    #[test]
    fn over_the_limit_in_this_window_waits_past_its_end() {
        // 6 hits in this window, limit 3: wait for its end (50 s) and then until 6 × (60 − e)
        // / 60 ≤ 3, e = 30.
        assert_eq!(sliding_window_wait(0, 6, 3, 60, 10), Some(80));
        let wait = sliding_window_wait(0, 6, 3, 60, 10).unwrap();
        assert!(sliding_window_wait(6, 0, 3, 60, 10 + wait - 60).is_none());
    }

    #[test]
    fn the_wait_always_ends_in_an_allowed_moment() {
        for previous in 0..12 {
            for current in 1..12 {
                for elapsed in 0..60 {
                    let Some(wait) = sliding_window_wait(previous, current, 3, 60, elapsed) else {
                        continue;
                    };
                    assert!(wait > 0);
                    let at = elapsed + wait;
                    let allowed = if at < 60 {
                        sliding_window_wait(previous, current, 3, 60, at).is_none()
                    } else {
                        sliding_window_wait(current, 0, 3, 60, at - 60).is_none()
                    };
                    assert!(allowed, "{previous} {current} {elapsed} → {wait}");
                }
            }
        }
    }

    #[test]
    fn a_limit_near_the_top_of_the_range_does_not_overflow() {
        assert_eq!(
            sliding_window_wait(i64::MAX / 2, 5, i64::MAX / 2, 600, 10),
            None
        );
        assert_eq!(sliding_window_wait(1, 1, i64::MAX, 86_400, 0), None);
    }

    #[test]
    fn ipv6_clients_count_by_their_64_network() {
        let key = |text: &str| rate_limit_key(text.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(
            key("::ffff:203.0.113.7"),
            "203.0.113.7",
            "IPv4 mapped in IPv6"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let proxies = TrustedProxies::parse("10.0.0.5, 10.1.0.0/16,2001:db8::/32").unwrap();
        assert!(proxies.contains("10.0.0.5".parse().unwrap()));
        assert!(!proxies.contains("10.0.0.6".parse().unwrap()));
        assert!(proxies.contains("10.1.255.3".parse().unwrap()));
        assert!(!proxies.contains("10.2.0.1".parse().unwrap()));
        assert!(proxies.contains("2001:db8:1::9".parse().unwrap()));
        assert!(proxies.contains("::ffff:10.0.0.5".parse().unwrap()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_none());
        assert!(TrustedProxies::parse("proxy.xa.gov.vn").is_none());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let odd = TrustedProxies::parse("192.168.0.0/17").unwrap();
        assert!(odd.contains("192.168.127.1".parse().unwrap()));
        assert!(!odd.contains("192.168.128.1".parse().unwrap()));
    }

    #[test]
    fn only_a_proxys_word_on_the_client_is_taken() {
        let proxies = TrustedProxies::parse("10.0.0.5,10.0.0.6").unwrap();
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        // A client writing a header itself changes nothing.
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &[ip("1.2.3.4")]),
            ip("203.0.113.9")
        );
        // Behind the proxies: the nearest hop they did not add.
        let hops = [ip("1.2.3.4"), ip("198.51.100.7"), ip("10.0.0.6")];
        assert_eq!(proxies.client(ip("10.0.0.5"), &hops), ip("198.51.100.7"));
        assert_eq!(proxies.client(ip("10.0.0.5"), &[]), ip("10.0.0.5"));
    }

    #[test]
    fn forwarded_headers_name_addresses_with_or_without_ports() {
        assert_eq!(
            forwarded_for(
                "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\", for=unknown, for=198.51.100.2:80"
            ),
            vec![
                "192.0.2.60".parse::<IpAddr>().unwrap(),
                "2001:db8:cafe::17".parse().unwrap(),
                "198.51.100.2".parse().unwrap()
            ]
        );
    }
}
