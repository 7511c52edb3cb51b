//! Okta's rate limits as the client sees them: a budget per bucket read from
//! the `X-Rate-Limit-*` headers of every answer, and one governor for every
//! request of the process, so that none of our requests earns a 429,
//! interactive requests come first and jobs use the rest.
//!
//! Okta counts per bucket (an endpoint group, per method). We key buckets by
//! method and path pattern (`GET /api/v1/users/{id}`), which is at least as
//! fine as Okta's grouping: the headers tell us each bucket's real numbers.

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

/// How the governor shares each bucket (see `when_to_send`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GovernorPolicy {
    /// The share of each bucket's limit oktui may use, in percent (1 to
    /// 100); the rest is left to the org's other integrations. Like the
    /// Okta Terraform provider's `max_api_capacity`.
    pub max_capacity: u8,
    /// The share of oktui's usable budget a job leaves for interactive
    /// requests, so the admin's browsing is served while a job runs.
    pub job_headroom: f64,
    /// In the last part of a window the headroom nobody used goes to jobs:
    /// what is left at the reset is lost, and an admin who clicks then
    /// waits at most this long.
    pub headroom_release: Duration,
    /// Extra wait after a reset before trusting that the window rolled over
    /// (the header has one-second resolution).
    pub reset_margin: Duration,
}

/// The default `max_capacity`: all of what the org says this token may use
/// (Okta itself caps each token or OAuth app at a share of the bucket, 50 %
/// unless the admin changed it, and the headers report that ceiling).
pub const DEFAULT_MAX_CAPACITY: u8 = 100;

impl Default for GovernorPolicy {
    fn default() -> Self {
        Self {
            max_capacity: DEFAULT_MAX_CAPACITY,
            job_headroom: 0.1,
            headroom_release: Duration::from_secs(5),
            reset_margin: Duration::from_millis(100),
        }
    }
}

impl GovernorPolicy {
    /// Requests per window oktui may spend of a bucket of `limit`.
    pub fn usable(&self, limit: u32) -> u32 {
        let share = u64::from(limit) * u64::from(self.max_capacity.clamp(1, 100)) / 100;
        u32::try_from(share).unwrap_or(limit).max(1).min(limit)
    }

    /// Requests per window a job leaves to interactive ones: a share of
    /// the usable budget, never all of it.
    pub fn headroom(&self, usable: u32) -> u32 {
        let share = (f64::from(usable) * self.job_headroom.clamp(0.0, 1.0)).ceil() as u32;
        share.min(usable.saturating_sub(1))
    }
}

/// Who is asking: the admin looking at the screen, or a long job (export,
/// bulk, import) that uses what interactive requests leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Priority {
    #[default]
    Interactive,
    Job,
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
}

/// When a request may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Now,
    Until(Instant),
    /// Until an answer (or a failure) of a request in flight tells more.
    ForAnswers,
}

/// The governor's rule (a policy, without I/O). Requests go as fast as the
/// budget allows and then wait for the reset, never spread out: a job that
/// would be done before the reset is not made to last until it.
///
/// - The budget is what the org says remains, less our requests in flight
///   and less the share kept for other integrations (`max_capacity`). A
///   window that is over counts as a whole fresh one.
/// - Interactive requests may spend all of it; jobs leave `headroom` for
///   them, except in the window's last `headroom_release`.
/// - Nothing left: wait for the reset (a job with only the headroom left
///   waits for the release instead); in a fresh window with everything in
///   flight, wait for answers, which tell when the new window resets.
pub fn when_to_send(policy: &GovernorPolicy, b: &BucketView, priority: Priority, now: Instant) -> Wait {
    if b.limit == 0 {
        return Wait::Now;
    }
    let fresh = now >= b.reset_at;
    let remaining = if fresh { b.limit } else { b.remaining };
    let kept_for_others = b.limit - policy.usable(b.limit);
    let available = remaining.saturating_sub(b.in_flight).saturating_sub(kept_for_others);
    let release_at = b.reset_at.checked_sub(policy.headroom_release).unwrap_or(b.reset_at);
    let headroom = match priority {
        Priority::Job if fresh || now < release_at => policy.headroom(policy.usable(b.limit)),
        _ => 0,
    };
    if available > headroom {
        Wait::Now
    } else if fresh {
        Wait::ForAnswers
    } else if available > 0 {
        Wait::Until(release_at)
    } else {
        Wait::Until(b.reset_at + policy.reset_margin)
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
}

impl RateLimiter {
    pub fn new(policy: GovernorPolicy) -> Self {
        Self { buckets: Arc::default(), changed: Arc::default(), policy }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Bucket>> {
        // The map holds plain numbers: a panic elsewhere cannot leave it
        // half-updated in a harmful way.
        self.buckets.lock().unwrap_or_else(|p| p.into_inner())
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
        Some(JobBudget { now: now_left.saturating_sub(self.policy.headroom(usable)), per_window, limit: b.limit })
    }
}

/// A job's share of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobBudget {
    /// Requests a job may send before the current window resets.
    pub now: u32,
    /// Requests a job may send in each later window.
    pub per_window: u32,
    pub limit: u32,
}

impl JobBudget {
    /// How many resets `requests` more requests would wait for.
    pub fn resets_for(&self, requests: u64) -> u64 {
        let beyond = requests.saturating_sub(u64::from(self.now));
        if beyond == 0 { 0 } else { beyond.div_ceil(u64::from(self.per_window.max(1))) }
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

    fn view(limit: u32, remaining: u32, in_flight: u32, reset_in: u64, now: Instant) -> BucketView {
        BucketView { limit, remaining, in_flight, reset_at: now + Duration::from_secs(reset_in) }
    }

    use Priority::{Interactive, Job};

    #[test]
    fn the_budget_is_spent_at_once_then_waits_for_the_reset() {
        let p = GovernorPolicy::default();
        let now = Instant::now();
        // One left: an interactive request spends it, no pacing.
        assert_eq!(when_to_send(&p, &view(120, 1, 0, 30, now), Interactive, now), Wait::Now);
        let spent = view(120, 0, 0, 30, now);
        assert_eq!(when_to_send(&p, &spent, Interactive, now), Wait::Until(spent.reset_at + p.reset_margin));
        // In-flight requests count as spent.
        let in_flight = view(120, 3, 3, 30, now);
        assert_eq!(when_to_send(&p, &in_flight, Interactive, now), Wait::Until(in_flight.reset_at + p.reset_margin));
        // A window that is over is a fresh one; with all of it in flight,
        // the answers tell when the new one resets.
        let later = now + Duration::from_secs(31);
        assert_eq!(when_to_send(&p, &spent, Job, later), Wait::Now);
        let busy = BucketView { in_flight: 120, ..spent };
        assert_eq!(when_to_send(&p, &busy, Interactive, later), Wait::ForAnswers);
    }

    #[test]
    fn jobs_leave_headroom_until_the_window_nearly_ends() {
        let p = GovernorPolicy::default();
        let now = Instant::now();
        // 120 a minute: a job leaves 12.
        assert_eq!(p.headroom(p.usable(120)), 12);
        let b = view(120, 12, 0, 30, now);
        let release = b.reset_at - p.headroom_release;
        assert_eq!(when_to_send(&p, &b, Job, now), Wait::Until(release));
        assert_eq!(when_to_send(&p, &b, Interactive, now), Wait::Now);
        assert_eq!(when_to_send(&p, &view(120, 13, 0, 30, now), Job, now), Wait::Now);
        assert_eq!(when_to_send(&p, &b, Job, release), Wait::Now, "unused headroom goes to the job at the end");
        // A tiny budget is never all headroom.
        assert_eq!(p.headroom(1), 0);
    }

    #[test]
    fn the_capacity_cap_keeps_a_share_for_other_integrations() {
        let p = GovernorPolicy { max_capacity: 25, ..GovernorPolicy::default() };
        let now = Instant::now();
        assert_eq!(p.usable(120), 30);
        // 90 of 120 are kept for others: with 91 left, one is ours.
        assert_eq!(when_to_send(&p, &view(120, 91, 0, 30, now), Interactive, now), Wait::Now);
        let at_cap = view(120, 90, 0, 30, now);
        assert_eq!(when_to_send(&p, &at_cap, Interactive, now), Wait::Until(at_cap.reset_at + p.reset_margin));
        assert_eq!(GovernorPolicy { max_capacity: 1, ..p }.usable(10), 1, "never nothing");
    }

    #[test]
    fn a_job_budget_counts_the_resets_ahead() {
        let b = JobBudget { now: 100, per_window: 108, limit: 120 };
        assert_eq!((b.resets_for(100), b.resets_for(101), b.resets_for(208), b.resets_for(209)), (0, 1, 1, 2));
    }
}
