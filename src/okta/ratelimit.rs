//! Okta's rate limits as the client sees them: a budget per bucket read from
//! the `X-Rate-Limit-*` headers of every answer, and one governor for every
//! request of the process, so that none of our requests earns a 429,
//! interactive requests come first and jobs use the rest.
//!
//! Okta counts per bucket (an endpoint group, per method). We key buckets by
//! method and path pattern (`GET /api/v1/users/{id}`), which is at least as
//! fine as Okta's grouping: the headers tell us each bucket's real numbers.

use super::governor::{BucketView, GovernorPolicy, JobBudget, Priority, Wait, when_to_send};
use reqwest::Method;
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::sync::Notify;
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
    /// The governor holds the request: the share of the bucket it may
    /// spend (oktui's under the capacity cap, or a job's) is spent until
    /// the window resets.
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

/// Waits shorter than this are not worth a word.
const WORTH_SAYING: Duration = Duration::from_secs(1);

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
}

impl Bucket {
    fn view(&self) -> BucketView {
        BucketView { limit: self.limit, remaining: self.remaining, in_flight: self.in_flight, reset_at: self.reset_at }
    }
}

/// The buckets of one client, shared by its clones.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimiter {
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
    /// Told of every answer and every request that ended, so waiting
    /// requests look again.
    changed: Arc<Notify>,
    policy: GovernorPolicy,
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
    pub fn new(policy: GovernorPolicy) -> Self {
        Self { buckets: Arc::default(), changed: Arc::default(), policy, waits: Arc::default() }
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

    /// Waits until the governor lets a request to `key` go, then counts it
    /// as in flight until the returned ticket is dropped.
    pub async fn acquire(&self, key: &str, priority: Priority) -> Ticket {
        loop {
            // Registered before looking, so a change made between the look
            // and the wait still wakes us.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let wait = {
                let mut buckets = self.lock();
                let Some(bucket) = buckets.get_mut(key) else {
                    return Ticket { limiter: self.clone(), key: None, answered: false };
                };
                match when_to_send(&self.policy, &bucket.view(), priority, Instant::now()) {
                    Wait::Now => {
                        bucket.in_flight += 1;
                        return Ticket { limiter: self.clone(), key: Some(key.to_owned()), answered: false };
                    }
                    other => other,
                }
            };
            match wait {
                Wait::Until(at) => {
                    let ms = at.saturating_duration_since(Instant::now()).as_millis() as u64;
                    tracing::debug!(bucket = key, ?priority, wait_ms = ms, "waiting for the rate budget");
                    let _said = self.waiting(key, WaitReason::Pacing, at);
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = &mut changed => {}
                    }
                }
                _ => changed.await,
            }
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
            // `Date` is whole seconds, so each answer puts the reset at most
            // a second late and never early: the earliest is the closest.
            bucket.reset_at = bucket.reset_at.min(reset_at);
        }
    }

    /// A request to `key` ended; without an answer the org may still have
    /// counted it, so it stays spent until the reset.
    fn release(&self, key: &str, answered: bool) {
        if let Some(bucket) = self.lock().get_mut(key) {
            bucket.in_flight = bucket.in_flight.saturating_sub(1);
            if !answered && Instant::now() < bucket.reset_at {
                bucket.remaining = bucket.remaining.saturating_sub(1);
            }
        }
        self.changed.notify_waiters();
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

    /// What a job may still spend of `key`'s budget in this window (`None`
    /// before the first answer): how a job plans its requests.
    pub fn job_budget(&self, key: &str) -> Option<JobBudget> {
        let buckets = self.lock();
        let b = buckets.get(key)?;
        let now = Instant::now();
        let usable = self.policy.usable(b.limit);
        let per_window = usable - self.policy.headroom(usable);
        let fresh = now >= b.reset_at;
        let remaining = if fresh { b.limit } else { b.remaining };
        let now_left = remaining.saturating_sub(b.in_flight).saturating_sub(b.limit - usable);
        let reset_in = b.reset_at.saturating_duration_since(now);
        let now = now_left.saturating_sub(self.policy.headroom(usable));
        Some(JobBudget { now, per_window, limit: b.limit, reset_in })
    }
}

/// A request counted in flight; dropping it ends that.
pub(crate) struct Ticket {
    limiter: RateLimiter,
    key: Option<String>,
    answered: bool,
}

impl Ticket {
    /// The org answered (its headers, if any, are recorded already).
    pub fn answered(mut self) {
        self.answered = true;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        match self.key.take() {
            Some(key) => self.limiter.release(&key, self.answered),
            None => self.limiter.changed.notify_waiters(),
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

    #[test]
    fn the_earliest_reset_an_answer_implies_is_kept() {
        let limiter = RateLimiter::new(GovernorPolicy::default());
        let date = |second: i64| {
            let ts = jiff::Timestamp::from_second(second).unwrap();
            jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&ts).unwrap()
        };
        let answer = |remaining: &str, second: i64| {
            headers(&[
                ("x-rate-limit-limit", "10"),
                ("x-rate-limit-remaining", remaining),
                ("x-rate-limit-reset", "1757607760"),
                ("date", &date(second)),
            ])
        };
        let now = Instant::now();
        // 10 s before the reset by the first answer's whole-second Date;
        // 0.3 s later another answer's Date has ticked: 9 s before it.
        limiter.record("GET /api/v1/users", &answer("9", 1_757_607_750), now);
        limiter.record("GET /api/v1/users", &answer("8", 1_757_607_751), now + Duration::from_millis(300));
        let budget = limiter.tightest().unwrap();
        assert_eq!(budget.remaining, 8);
        assert!(budget.reset_in <= Duration::from_millis(9300), "{:?}", budget.reset_in);
    }

    #[tokio::test]
    async fn a_request_held_until_a_reset_is_reported_while_it_waits() {
        let limiter = RateLimiter::new(GovernorPolicy::default());
        let key = "GET /api/v1/users";
        let reset = unix_seconds(SystemTime::now()) + 30;
        let h = headers(&[
            ("x-rate-limit-limit", "600"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &reset.to_string()),
        ]);
        limiter.record(key, &h, Instant::now());
        assert_eq!(limiter.current_wait(), None, "nothing waits yet");
        let waiting = limiter.clone();
        let task = tokio::spawn(async move { waiting.acquire(key, Priority::Interactive).await });
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
        assert!(wait.left > Duration::from_secs(20), "until the reset: {:?}", wait.left);
        task.abort();
        let _ = task.await;
        assert_eq!(limiter.current_wait(), None, "a cancelled request no longer waits");
    }
}
