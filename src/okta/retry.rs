//! When to try a request again, and how long to wait first.
//!
//! - 429: the org refused without doing anything, so every method is retried,
//!   after `Reset − Date + 1 s` (the SDKs' rule, smallest reset when several)
//!   plus jitter so parallel clients do not return in lockstep.
//! - 503/504 and connections lost after sending: only requests that are safe
//!   to repeat (`GET`, `HEAD`, `PUT`, `OPTIONS`), with capped exponential
//!   backoff. `DELETE` is left out on purpose: Okta's user delete is two
//!   steps, so repeating a delete that did happen would delete for good.
//! - A connection that could not even be opened: every method (nothing was
//!   sent).
//! - Timeouts are not retried: the admin waited long enough already.

use super::ratelimit::{min_number, server_date};
use reqwest::Method;
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// Bounded retries. `max_retries` defaults to 2, like the official SDKs: a
/// TUI should say "try later" within a minute rather than hammer a throttled
/// org, and two 429 waits already span two rate-limit windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    /// First backoff for 503/504/connection errors; doubles each attempt.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    /// The longest 429 wait we accept; a longer announced reset is capped.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_rate_limit_wait: Duration::from_secs(65),
        }
    }
}

/// Why a request failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    Status(u16, &'a HeaderMap),
    /// The connection could not be opened: nothing reached the org.
    NotSent,
    /// The connection broke after the request may have been sent.
    Lost,
    Timeout,
}

pub fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS)
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based), or `None` to give up.
    /// `jitter` in `[0, 1)` spreads the waits.
    pub fn wait(&self, method: &Method, failure: Failure<'_>, retry: u32, jitter: f64) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        match failure {
            Failure::Status(429, headers) => {
                let base = rate_limit_wait(headers, SystemTime::now())
                    .unwrap_or_else(|| self.backoff(retry))
                    .min(self.max_rate_limit_wait);
                Some(base + Duration::from_millis(1000).mul_f64(jitter.clamp(0.0, 1.0)))
            }
            Failure::Status(503 | 504, _) | Failure::Lost if is_idempotent(method) => {
                Some(self.backoff(retry).mul_f64(1.0 + 0.25 * jitter.clamp(0.0, 1.0)))
            }
            Failure::NotSent => Some(self.backoff(retry)),
            _ => None,
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// `Reset − Date + 1 s`, using the smallest `X-Rate-Limit-Reset` and the
/// org's `Date` (our clock when it is missing).
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset = min_number(headers, "x-rate-limit-reset")?;
    let date = server_date(headers).unwrap_or_else(|| {
        now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    let seconds = u64::try_from(reset - date).unwrap_or(0) + 1;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn rate_limited_waits_reset_minus_date_plus_one() {
        let headers = h(&[
            ("x-rate-limit-reset", "1757607770"),
            ("x-rate-limit-reset", "1757607745"),
            ("date", "Thu, 11 Sep 2025 16:22:20 GMT"),
        ]);
        // 16:22:20 is 1757607740; the smallest reset is 5 s later.
        assert_eq!(rate_limit_wait(&headers, SystemTime::UNIX_EPOCH), Some(Duration::from_secs(6)));
        let p = RetryPolicy::default();
        let wait = p.wait(&Method::POST, Failure::Status(429, &headers), 1, 0.5).unwrap();
        assert_eq!(wait, Duration::from_millis(6500));
        assert_eq!(p.wait(&Method::POST, Failure::Status(429, &headers), 3, 0.0), None, "bounded");
    }

    #[test]
    fn only_safe_requests_are_retried_after_server_errors() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        assert_eq!(p.wait(&Method::GET, Failure::Status(503, &none), 1, 0.0), Some(Duration::from_millis(500)));
        assert_eq!(p.wait(&Method::GET, Failure::Status(504, &none), 2, 0.0), Some(Duration::from_secs(1)));
        assert_eq!(p.wait(&Method::POST, Failure::Status(503, &none), 1, 0.0), None);
        assert_eq!(p.wait(&Method::DELETE, Failure::Lost, 1, 0.0), None);
        assert_eq!(p.wait(&Method::POST, Failure::NotSent, 1, 0.0), Some(Duration::from_millis(500)));
        assert_eq!(p.wait(&Method::GET, Failure::Timeout, 1, 0.0), None);
        assert_eq!(p.wait(&Method::GET, Failure::Status(500, &none), 1, 0.0), None);
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy { max_retries: 20, ..RetryPolicy::default() };
        assert_eq!(p.wait(&Method::GET, Failure::Lost, 20, 0.0), Some(p.max_backoff));
    }
}
