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
}
