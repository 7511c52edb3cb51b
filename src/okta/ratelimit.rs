//! Okta's rate limits as the client sees them: a budget per bucket read from
//! the `X-Rate-Limit-*` headers of every answer, and proactive pacing so our
//! own requests never spend a bucket's last request.
//!
//! Okta counts per bucket (an endpoint group, per method). We key buckets by
//! method and path pattern (`GET /api/v1/users/{id}`), which is at least as
//! fine as Okta's grouping: the headers tell us each bucket's real numbers.

use reqwest::Method;
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// The budget of one bucket, for the header line of the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateBudget {
    /// `GET /api/v1/users`, `POST /api/v1/users/{id}/lifecycle/{op}`, …
    pub bucket: String,
    pub limit: u32,
    pub remaining: u32,
    /// When the window resets, as the org announced it (epoch seconds).
    pub reset: jiff::Timestamp,
    /// Time left until that reset, measured on our clock.
    pub reset_in: Duration,
}

/// Why requests to a bucket are held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Our pacing keeps the bucket's last requests for the org's other
    /// clients until its window resets.
    Pacing,
    /// The org answered 429: the bucket is spent until its window resets.
    Throttled,
}

/// A request held back until a bucket's window resets, for the UI to say
/// why nothing seems to happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateWait {
    pub bucket: String,
    pub reason: WaitReason,
    /// Time left until the request may go, when this was read.
    pub left: Duration,
}

/// Waits shorter than this are pacing's even spreading, not worth a word.
const WORTH_SAYING: Duration = Duration::from_secs(1);

/// How hard to pace. Below `free_fraction` of the limit left, requests are
/// spread evenly over the time to reset; `reserve` requests are never spent
/// by us, so the org's `Remaining` stays above zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacingPolicy {
    pub free_fraction: f64,
    pub reserve: u32,
    /// Extra wait after a reset before trusting that the window rolled over
    /// (the header has one-second resolution).
    pub reset_margin: Duration,
}

impl Default for PacingPolicy {
    fn default() -> Self {
        Self { free_fraction: 0.5, reserve: 1, reset_margin: Duration::from_millis(100) }
    }
}

/// What we know about one bucket at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketView {
    pub limit: u32,
    pub remaining: u32,
    /// Our requests sent to this bucket whose answer has not arrived yet:
    /// the org may already have counted them.
    pub in_flight: u32,
    pub reset_at: Instant,
    pub last_sent: Option<Instant>,
}

/// When the next request to a bucket may go (the policy, without I/O).
///
/// - window over (our numbers are stale): now;
/// - at or below the reserve: after the reset;
/// - plenty left: now;
/// - otherwise: the remaining spendable requests spread evenly until reset.
pub fn next_send_at(policy: &PacingPolicy, b: &BucketView, now: Instant) -> Instant {
    if now >= b.reset_at || b.limit == 0 {
        return now;
    }
    let available = b.remaining.saturating_sub(b.in_flight);
    if available <= policy.reserve {
        return b.reset_at + policy.reset_margin;
    }
    if f64::from(available) > f64::from(b.limit) * policy.free_fraction {
        return now;
    }
    let spendable = available - policy.reserve;
    let interval = (b.reset_at - now) / spendable;
    match b.last_sent {
        Some(last) => (last + interval).max(now),
        None => now,
    }
}

/// The rate-limit headers of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub limit: u32,
    pub remaining: u32,
    /// `X-Rate-Limit-Reset` (the smallest when several are sent).
    pub reset: i64,
    /// `Reset − Date`: time to reset on the org's clock.
    pub reset_in: Duration,
}

/// Reads `X-Rate-Limit-Limit/Remaining/Reset` and `Date`. Without `Date`,
/// our own clock stands in for the org's.
pub fn observe(headers: &HeaderMap, now: SystemTime) -> Option<Observation> {
    let limit = min_number(headers, "x-rate-limit-limit")?;
    let remaining = min_number(headers, "x-rate-limit-remaining")?;
    let reset = min_number(headers, "x-rate-limit-reset")?;
    let date = server_date(headers).unwrap_or_else(|| unix_seconds(now));
    let reset_in = Duration::from_secs(u64::try_from(reset - date).unwrap_or(0));
    Some(Observation {
        limit: u32::try_from(limit).unwrap_or(u32::MAX),
        remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
        reset,
        reset_in,
    })
}

/// The smallest integer among all values of a header (repeated or
/// comma-joined), as the SDKs do for duplicated rate-limit headers.
pub fn min_number(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|v| v.trim().parse::<i64>().ok())
        .min()
}

/// The `Date` header in epoch seconds.
pub fn server_date(headers: &HeaderMap) -> Option<i64> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    jiff::fmt::rfc2822::parse(text).ok().map(|z| z.timestamp().as_second())
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The bucket a request counts against: method plus path with ids replaced.
pub fn bucket_key(method: &Method, path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    out.push_str(method.as_str());
    out.push(' ');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut previous = "";
    for (i, segment) in segments.iter().enumerate() {
        out.push('/');
        // In `/users/{id}`, `/groups/{id}` and `/meta/{schemas|types}/user/{id}`
        // the segment after the collection is an id; lifecycle and
        // credential operations share one bucket per kind.
        let is_id = match previous {
            "users" | "groups" | "apps" => i >= 2,
            "user" => segments.get(i.wrapping_sub(2)).is_some_and(|s| *s == "schemas" || *s == "types"),
            "lifecycle" | "credentials" => {
                out.push_str("{op}");
                previous = "{op}";
                continue;
            }
            _ => false,
        };
        if is_id {
            out.push_str("{id}");
            previous = "{id}";
        } else {
            out.push_str(segment);
            previous = segment;
        }
    }
    if segments.is_empty() {
        out.push('/');
    }
    out
}

#[derive(Debug)]
struct Bucket {
    limit: u32,
    remaining: u32,
    reset: i64,
    reset_at: Instant,
    in_flight: u32,
    last_sent: Option<Instant>,
}

impl Bucket {
    fn view(&self) -> BucketView {
        BucketView {
            limit: self.limit,
            remaining: self.remaining,
            in_flight: self.in_flight,
            reset_at: self.reset_at,
            last_sent: self.last_sent,
        }
    }
}

/// The buckets of one client, shared by its clones.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimiter {
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
    policy: PacingPolicy,
    /// Requests sleeping until a reset, by a number that identifies each.
    waits: Arc<Mutex<Waits>>,
}

#[derive(Debug, Default)]
struct Waits {
    next: u64,
    sleeping: HashMap<u64, (String, WaitReason, Instant)>,
}

/// A registered wait; dropping it (woken or cancelled) ends it.
pub(crate) struct WaitGuard {
    waits: Arc<Mutex<Waits>>,
    id: u64,
}

impl Drop for WaitGuard {
    fn drop(&mut self) {
        lock(&self.waits).sleeping.remove(&self.id);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain numbers inside: a panic elsewhere cannot leave them half-updated
    // in a harmful way.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl RateLimiter {
    pub fn new(policy: PacingPolicy) -> Self {
        Self { buckets: Arc::default(), policy, waits: Arc::default() }
    }

    /// Records that a request to `bucket` sleeps until `until`, for as long
    /// as the guard lives. Short waits are not recorded.
    pub fn waiting(&self, bucket: &str, reason: WaitReason, until: Instant) -> Option<WaitGuard> {
        if until.saturating_duration_since(Instant::now()) < WORTH_SAYING {
            return None;
        }
        let mut waits = lock(&self.waits);
        waits.next += 1;
        let id = waits.next;
        waits.sleeping.insert(id, (bucket.to_owned(), reason, until));
        Some(WaitGuard { waits: self.waits.clone(), id })
    }

    /// The longest wait for a reset under way, if any.
    pub fn current_wait(&self) -> Option<RateWait> {
        let now = Instant::now();
        lock(&self.waits).sleeping.values().max_by_key(|(_, _, until)| *until).map(|(bucket, reason, until)| RateWait {
            bucket: bucket.clone(),
            reason: *reason,
            left: until.saturating_duration_since(now),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Bucket>> {
        lock(&self.buckets)
    }

    /// Waits until the policy lets a request to `key` go, then counts it as
    /// in flight until the returned ticket is dropped or recorded.
    pub async fn acquire(&self, key: &str) -> Ticket {
        loop {
            let wake = {
                let mut buckets = self.lock();
                let now = Instant::now();
                match buckets.get_mut(key) {
                    None => return Ticket { limiter: self.clone(), key: None },
                    Some(bucket) => {
                        let at = next_send_at(&self.policy, &bucket.view(), now);
                        if at <= now {
                            bucket.in_flight += 1;
                            bucket.last_sent = Some(now);
                            return Ticket { limiter: self.clone(), key: Some(key.to_owned()) };
                        }
                        at
                    }
                }
            };
            tracing::debug!(bucket = key, wait_ms = (wake - Instant::now()).as_millis() as u64, "pacing");
            let _said = self.waiting(key, WaitReason::Pacing, wake);
            tokio::time::sleep_until(wake).await;
        }
    }

    /// Takes in the rate-limit headers of an answer to `key`.
    pub fn record(&self, key: &str, headers: &HeaderMap, received: Instant) {
        let Some(obs) = observe(headers, SystemTime::now()) else { return };
        // A concurrency 429 reports 0/0 and an estimate; it says nothing
        // about the bucket.
        if obs.limit == 0 {
            return;
        }
        let reset_at = received + obs.reset_in;
        let mut buckets = self.lock();
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            limit: obs.limit,
            remaining: obs.remaining,
            reset: obs.reset,
            reset_at,
            in_flight: 0,
            last_sent: None,
        });
        bucket.limit = obs.limit;
        if obs.reset > bucket.reset {
            // A new window.
            bucket.remaining = obs.remaining;
            bucket.reset = obs.reset;
            bucket.reset_at = reset_at;
        } else if obs.reset == bucket.reset {
            // Answers may arrive out of order: within one window the lowest
            // `Remaining` is the freshest.
            bucket.remaining = bucket.remaining.min(obs.remaining);
            bucket.reset_at = bucket.reset_at.max(reset_at);
        }
    }

    fn release(&self, key: &str) {
        if let Some(bucket) = self.lock().get_mut(key) {
            bucket.in_flight = bucket.in_flight.saturating_sub(1);
        }
    }

    /// The bucket with the smallest share left whose window is still open.
    pub fn tightest(&self) -> Option<RateBudget> {
        let now = Instant::now();
        self.lock()
            .iter()
            .filter(|(_, b)| b.reset_at > now && b.limit > 0)
            .min_by(|(_, a), (_, b)| {
                let share = |x: &Bucket| f64::from(x.remaining) / f64::from(x.limit);
                share(a).total_cmp(&share(b))
            })
            .map(|(key, b)| RateBudget {
                bucket: key.clone(),
                limit: b.limit,
                remaining: b.remaining,
                reset: jiff::Timestamp::from_second(b.reset).unwrap_or_default(),
                reset_in: b.reset_at - now,
            })
    }
}

/// A request counted in flight; dropping it (answer or not) ends that.
pub(crate) struct Ticket {
    limiter: RateLimiter,
    key: Option<String>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.limiter.release(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn bucket_keys_group_ids_and_operations() {
        let get = Method::GET;
        assert_eq!(bucket_key(&get, "/api/v1/users"), "GET /api/v1/users");
        assert_eq!(bucket_key(&get, "/api/v1/users/00u1"), "GET /api/v1/users/{id}");
        assert_eq!(bucket_key(&get, "/api/v1/users/me"), "GET /api/v1/users/{id}");
        assert_eq!(
            bucket_key(&Method::POST, "/api/v1/users/00u1/lifecycle/activate"),
            "POST /api/v1/users/{id}/lifecycle/{op}"
        );
        assert_eq!(
            bucket_key(&Method::POST, "/api/v1/users/00u1/credentials/change_password"),
            "POST /api/v1/users/{id}/credentials/{op}"
        );
        assert_eq!(bucket_key(&Method::PUT, "/api/v1/groups/00g1/users/00u1"), "PUT /api/v1/groups/{id}/users/{id}");
        assert_eq!(bucket_key(&get, "/api/v1/meta/types/user"), "GET /api/v1/meta/types/user");
        assert_eq!(bucket_key(&get, "/api/v1/meta/schemas/user/default"), "GET /api/v1/meta/schemas/user/{id}");
        assert_eq!(bucket_key(&Method::POST, "/oauth2/v1/token"), "POST /oauth2/v1/token");
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn observation_uses_the_org_clock_and_the_smallest_reset() {
        let h = headers(&[
            ("x-rate-limit-limit", "600"),
            ("x-rate-limit-remaining", "17"),
            ("x-rate-limit-reset", "1757607758"),
            ("x-rate-limit-reset", "1757607750"),
            ("date", "Thu, 11 Sep 2025 16:22:20 GMT"),
        ]);
        let obs = observe(&h, SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!((obs.limit, obs.remaining, obs.reset), (600, 17, 1_757_607_750));
        assert_eq!(obs.reset_in, Duration::from_secs(10));
        assert!(observe(&headers(&[("x-rate-limit-limit", "1")]), SystemTime::now()).is_none());
    }

    fn view(limit: u32, remaining: u32, in_flight: u32, reset_in: u64, now: Instant) -> BucketView {
        BucketView { limit, remaining, in_flight, reset_at: now + Duration::from_secs(reset_in), last_sent: None }
    }

    #[test]
    fn plenty_left_goes_now_and_the_reserve_waits_for_reset() {
        let p = PacingPolicy::default();
        let now = Instant::now();
        assert_eq!(next_send_at(&p, &view(600, 500, 0, 30, now), now), now);
        let at_reserve = view(10, 1, 0, 30, now);
        assert_eq!(next_send_at(&p, &at_reserve, now), at_reserve.reset_at + p.reset_margin);
        // In-flight requests count as spent.
        let in_flight = view(10, 3, 2, 30, now);
        assert!(next_send_at(&p, &in_flight, now) > now + Duration::from_secs(29));
        // A window that is over says nothing.
        let stale = BucketView { reset_at: now, ..at_reserve };
        assert_eq!(next_send_at(&p, &stale, now + Duration::from_millis(1)), now + Duration::from_millis(1));
    }

    #[tokio::test]
    async fn a_request_held_until_a_reset_is_reported_while_it_waits() {
        let limiter = RateLimiter::new(PacingPolicy::default());
        let key = "GET /api/v1/users";
        let reset = unix_seconds(SystemTime::now()) + 30;
        let h = headers(&[
            ("x-rate-limit-limit", "600"),
            ("x-rate-limit-remaining", "1"),
            ("x-rate-limit-reset", &reset.to_string()),
        ]);
        limiter.record(key, &h, Instant::now());
        assert_eq!(limiter.current_wait(), None, "nothing waits yet");
        let waiting = limiter.clone();
        let task = tokio::spawn(async move { waiting.acquire(key).await });
        let mut seen = None;
        for _ in 0..1000 {
            seen = limiter.current_wait();
            if seen.is_some() {
                break;
            }
            tokio::task::yield_now().await;
        }
        let wait = seen.expect("the held request is reported");
        assert_eq!((wait.bucket.as_str(), wait.reason), (key, WaitReason::Pacing));
        assert!(wait.left > Duration::from_secs(20), "until the reset, not a pacing step: {:?}", wait.left);
        task.abort();
        let _ = task.await;
        assert_eq!(limiter.current_wait(), None, "a cancelled request no longer waits");
    }

    #[test]
    fn low_budget_is_spread_until_reset() {
        let p = PacingPolicy::default();
        let now = Instant::now();
        // 5 of 10 left, 1 kept back: 4 spendable over 8 s = one every 2 s.
        let b = BucketView { last_sent: Some(now), ..view(10, 5, 0, 8, now) };
        assert_eq!(next_send_at(&p, &b, now), now + Duration::from_secs(2));
        let long_ago = BucketView { last_sent: Some(now - Duration::from_secs(5)), ..b };
        assert_eq!(next_send_at(&p, &long_ago, now), now);
    }
}
