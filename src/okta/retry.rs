//! When to try a request again, and how long to wait first.
//!
//! - 429: the org refused without doing anything, so every method is retried,
//!   after `Reset − Date + 1 s` (the SDKs' rule, smallest reset when several;
//!   `Retry-After` when the reset is missing) plus jitter so parallel
//!   clients do not return in lockstep.
//! - 500, 502, 503, 504 and connections lost after sending: only requests
//!   that are safe to repeat (`GET`, `HEAD`, `PUT`, `OPTIONS`), with capped
//!   exponential backoff and jitter (`Retry-After` when the org sends one).
//!   `DELETE` is left out on purpose: Okta's user delete is two steps, so
//!   repeating a delete that did happen would delete for good. A create
//!   (`POST`) is never resent blindly.
//! - A connection that could not even be opened: every method (nothing was
//!   sent).
//! - Timeouts: retried for a job's safe requests only; the admin looking
//!   at the screen has waited long enough already.
//!
//! 429s and transient failures are counted separately, each against its
//! own bound, so a throttled request does not use up the retries that a
//! flaky network needs, and the other way round.
//!
//! The bounds. Interactive requests: `max_retries` (2 by default, like the
//! official SDKs): the admin should read "try later" within a minute rather
//! than wait on a throttled org. Jobs: at least `JOB_MIN_RETRIES` (10) of
//! each kind. With attempts failing independently with probability `p`, a
//! request gives up when `r + 1` attempts in a row fail (for a mix, when
//! `r + 1` failures of one kind come before a success):
//!
//! - a million users are 4,900 pages; at `p` = 5 % transient faults, three
//!   attempts fail a page with 0.05³ = 1.25e-4, so the export fails with
//!   1 − (1 − 1.25e-4)^4900 ≈ 46 %; eleven attempts: 4,900 × 0.05¹¹ ≈ 2.4e-11;
//! - 3,000 users (16 pages) under 20 % 503 + 10 % 429: the 429 bound is
//!   reached when 11 429s come before a success, (0.1 / 0.8)¹¹ ≈ 1.2e-10 per
//!   page; the 503 bound (0.2 / 0.9)¹¹ ≈ 6.5e-8 per page, 1e-6 for the
//!   export (three attempts: (0.3)³ ≈ 2.7 % per page, 35 % per export);
//! - 20 % 5xx + 5 % dropped + 10 % 429 (the fault test): (0.25 / 0.9)¹¹
//!   ≈ 7.7e-7 per page.
//!
//! The waits stay bounded too: backoff doubles from `base_backoff` to
//! `max_backoff` (8 s), so ten transient retries wait at most ~1 minute; a
//! 429 waits at most `max_rate_limit_wait` (65 s, one window) each time.

use super::governor::Priority;
use super::ratelimit::{min_number, server_date};
use reqwest::Method;
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// Retries of each kind a job makes at least (see the module comment).
pub const JOB_MIN_RETRIES: u32 = 10;

/// Bounded retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of each kind for an interactive request (`rateLimit.maxRetries`).
    pub max_retries: u32,
    /// First backoff for transient failures; doubles each attempt.
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

/// The two kinds of retry, each with its own count and bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 429: the org did nothing and said when to come back.
    Throttled,
    /// 5xx, a lost or refused connection, a timeout.
    Transient,
}

/// The retries a request has made so far, of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retries {
    pub throttled: u32,
    pub transient: u32,
}

impl Retries {
    pub fn total(&self) -> u32 {
        self.throttled + self.transient
    }
}

/// What to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again after this wait (the retry is counted).
    Retry(Duration),
    /// Retryable, but this kind's bound is reached.
    GiveUp,
    /// Not to be retried at all.
    Fail,
}

pub fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::OPTIONS)
}

impl RetryPolicy {
    /// Whether `failure` may be retried at all, and as which kind.
    pub fn kind(&self, method: &Method, failure: Failure<'_>, priority: Priority) -> Option<Kind> {
        match failure {
            Failure::Status(429, _) => Some(Kind::Throttled),
            Failure::Status(500 | 502 | 503 | 504, _) | Failure::Lost if is_idempotent(method) => Some(Kind::Transient),
            Failure::Timeout if priority == Priority::Job && is_idempotent(method) => Some(Kind::Transient),
            Failure::NotSent => Some(Kind::Transient),
            _ => None,
        }
    }

    /// Whether and when to retry after `failure`, counting the retry in
    /// `so_far`. `jitter` in `[0, 1)` spreads the waits.
    pub fn next(
        &self,
        method: &Method,
        failure: Failure<'_>,
        priority: Priority,
        so_far: &mut Retries,
        jitter: f64,
    ) -> Next {
        let Some(kind) = self.kind(method, failure, priority) else { return Next::Fail };
        let count = match kind {
            Kind::Throttled => &mut so_far.throttled,
            Kind::Transient => &mut so_far.transient,
        };
        if *count >= self.bound(priority) {
            return Next::GiveUp;
        }
        *count += 1;
        Next::Retry(self.delay(failure, *count, jitter))
    }

    /// Retries of one kind a request of `priority` may make.
    pub fn bound(&self, priority: Priority) -> u32 {
        match priority {
            Priority::Interactive => self.max_retries,
            Priority::Job => self.max_retries.max(JOB_MIN_RETRIES),
        }
    }

    /// The wait before the `nth` retry (1-based) of `failure`'s kind.
    /// `jitter` in `[0, 1)` spreads the waits.
    pub fn delay(&self, failure: Failure<'_>, nth: u32, jitter: f64) -> Duration {
        let jitter = jitter.clamp(0.0, 1.0);
        let now = SystemTime::now();
        match failure {
            Failure::Status(429, headers) => {
                let base = rate_limit_wait(headers, now)
                    .or_else(|| retry_after(headers, now))
                    .unwrap_or_else(|| self.backoff(nth))
                    .min(self.max_rate_limit_wait);
                base + Duration::from_millis(1000).mul_f64(jitter)
            }
            Failure::Status(_, headers) if retry_after(headers, now).is_some() => {
                let asked = retry_after(headers, now).unwrap_or_default().min(self.max_rate_limit_wait);
                asked + Duration::from_millis(250).mul_f64(jitter)
            }
            _ => self.backoff(nth).mul_f64(0.5 + 0.5 * jitter),
        }
    }

    fn backoff(&self, nth: u32) -> Duration {
        let factor = 2u32.saturating_pow(nth.saturating_sub(1));
        self.base_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// `Reset − Date + 1 s`, using the smallest `X-Rate-Limit-Reset` and the
/// org's `Date` (our clock when it is missing).
pub fn rate_limit_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset = min_number(headers, "x-rate-limit-reset")?;
    let date = server_date(headers).unwrap_or_else(|| unix_seconds(now));
    let seconds = u64::try_from(reset - date).unwrap_or(0) + 1;
    Some(Duration::from_secs(seconds))
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(text).ok()?.timestamp().as_second();
    Some(Duration::from_secs(u64::try_from(at - unix_seconds(now)).unwrap_or(0)))
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Priority::{Interactive, Job};
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
        assert_eq!(p.kind(&Method::POST, Failure::Status(429, &headers), Interactive), Some(Kind::Throttled));
        assert_eq!(p.delay(Failure::Status(429, &headers), 1, 0.5), Duration::from_millis(6500));
    }

    #[test]
    fn retry_after_is_honored_when_sent() {
        let p = RetryPolicy::default();
        let seconds = h(&[("retry-after", "7")]);
        assert_eq!(p.delay(Failure::Status(503, &seconds), 1, 0.0), Duration::from_secs(7));
        assert_eq!(p.delay(Failure::Status(429, &seconds), 1, 0.0), Duration::from_secs(7), "no reset header");
        let date = h(&[("retry-after", "Thu, 11 Sep 2025 16:22:30 GMT")]);
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_757_607_740);
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(10)));
        let huge = h(&[("retry-after", "86400")]);
        assert_eq!(p.delay(Failure::Status(503, &huge), 1, 0.0), p.max_rate_limit_wait, "capped");
    }

    #[test]
    fn only_safe_requests_are_retried_after_server_errors() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        for status in [500, 502, 503, 504] {
            assert_eq!(p.kind(&Method::GET, Failure::Status(status, &none), Interactive), Some(Kind::Transient));
            assert_eq!(p.kind(&Method::POST, Failure::Status(status, &none), Job), None, "a create is never resent");
        }
        assert_eq!(p.kind(&Method::PUT, Failure::Lost, Interactive), Some(Kind::Transient));
        assert_eq!(p.kind(&Method::DELETE, Failure::Lost, Job), None);
        assert_eq!(p.kind(&Method::POST, Failure::NotSent, Interactive), Some(Kind::Transient));
        assert_eq!(p.kind(&Method::GET, Failure::Status(501, &none), Job), None);
        assert_eq!(p.kind(&Method::GET, Failure::Status(404, &none), Job), None);
        assert_eq!(p.kind(&Method::GET, Failure::Timeout, Interactive), None);
        assert_eq!(p.kind(&Method::GET, Failure::Timeout, Job), Some(Kind::Transient));
        assert_eq!(p.kind(&Method::POST, Failure::Timeout, Job), None);
    }

    #[test]
    fn jobs_persist_longer_than_interactive_requests() {
        let p = RetryPolicy::default();
        assert_eq!((p.bound(Interactive), p.bound(Job)), (2, JOB_MIN_RETRIES));
        // Each kind counts against its own bound.
        let (none, throttled) = (HeaderMap::new(), h(&[("retry-after", "0")]));
        let mut so_far = Retries::default();
        for _ in 0..2 {
            assert!(matches!(p.next(&Method::GET, Failure::Lost, Interactive, &mut so_far, 0.0), Next::Retry(_)));
            let r = p.next(&Method::GET, Failure::Status(429, &throttled), Interactive, &mut so_far, 0.0);
            assert!(matches!(r, Next::Retry(_)));
        }
        assert_eq!(so_far, Retries { throttled: 2, transient: 2 });
        assert_eq!(p.next(&Method::GET, Failure::Status(502, &none), Interactive, &mut so_far, 0.0), Next::GiveUp);
        assert_eq!(p.next(&Method::GET, Failure::Status(404, &none), Interactive, &mut so_far, 0.0), Next::Fail);
        let mut job = Retries { transient: 9, ..Retries::default() };
        assert!(matches!(p.next(&Method::GET, Failure::Lost, Job, &mut job, 0.0), Next::Retry(_)));
        assert_eq!(p.next(&Method::GET, Failure::Lost, Job, &mut job, 0.0), Next::GiveUp);
        let more = RetryPolicy { max_retries: 20, ..p };
        assert_eq!(more.bound(Job), 20, "a larger configured bound applies to jobs too");
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let p = RetryPolicy::default();
        let none = HeaderMap::new();
        assert_eq!(p.delay(Failure::Lost, 1, 0.0), Duration::from_millis(250));
        assert_eq!(p.delay(Failure::Status(503, &none), 2, 0.999_999).as_millis(), 999);
        assert_eq!(p.delay(Failure::Lost, 20, 1.0), p.max_backoff);
    }
}
