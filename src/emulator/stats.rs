//! What the org saw, counted per rate-limit bucket since it started (or
//! since the counters were reset): requests received, 429s sent because a
//! bucket was spent, faults injected, and the most requests one window
//! took. Benchmarks and tests read these at `/emulator/v1/stats` to count
//! what any client (oktui or an official SDK) did without trusting it.

use super::ratelimit::Bucket;
use serde_json::{Map, Value, json};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// How one request ended, as far as the counters care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Routed to the API (whatever it answered).
    Served,
    /// 429 because the bucket's window was spent.
    RateLimited,
    /// A fault knob answered: 429, 5xx, or a dropped connection.
    Injected429,
    Injected5xx,
    Dropped,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    served: AtomicU64,
    rate_limited: AtomicU64,
    injected_429: AtomicU64,
    injected_5xx: AtomicU64,
    dropped: AtomicU64,
    /// The most requests counted against the bucket in one window.
    peak_window: AtomicU64,
}

#[derive(Debug)]
pub struct Stats {
    buckets: [Counters; Bucket::ALL.len()],
    /// API writes (`POST`/`PUT`/`DELETE`) served, whatever their bucket:
    /// how a test shows that a run changed nothing.
    writes: AtomicU64,
    since: Mutex<jiff::Timestamp>,
}

impl Default for Stats {
    fn default() -> Self {
        Self { buckets: Default::default(), writes: AtomicU64::new(0), since: Mutex::new(jiff::Timestamp::now()) }
    }
}

impl Stats {
    pub fn count(&self, bucket: Bucket, outcome: Outcome) {
        let c = &self.buckets[bucket.index()];
        c.requests.fetch_add(1, Ordering::Relaxed);
        let counter = match outcome {
            Outcome::Served => &c.served,
            Outcome::RateLimited => &c.rate_limited,
            Outcome::Injected429 => &c.injected_429,
            Outcome::Injected5xx => &c.injected_5xx,
            Outcome::Dropped => &c.dropped,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_write(&self) {
        self.writes.fetch_add(1, Ordering::Relaxed);
    }

    /// `used`: requests counted in the bucket's current window so far.
    pub fn window_used(&self, bucket: Bucket, used: u32) {
        self.buckets[bucket.index()].peak_window.fetch_max(u64::from(used), Ordering::Relaxed);
    }

    pub fn reset(&self) {
        for c in &self.buckets {
            for counter in
                [&c.requests, &c.served, &c.rate_limited, &c.injected_429, &c.injected_5xx, &c.dropped, &c.peak_window]
            {
                counter.store(0, Ordering::Relaxed);
            }
        }
        self.writes.store(0, Ordering::Relaxed);
        *self.since.lock().unwrap_or_else(|p| p.into_inner()) = jiff::Timestamp::now();
    }

    /// `{since, buckets: {users: {…}, …}, total: {…}}`; buckets nobody
    /// used are left out.
    pub fn to_json(&self) -> Value {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut buckets = Map::new();
        let mut total = [0u64; 6];
        for bucket in Bucket::ALL {
            let c = &self.buckets[bucket.index()];
            let values = [
                load(&c.requests),
                load(&c.served),
                load(&c.rate_limited),
                load(&c.injected_429),
                load(&c.injected_5xx),
                load(&c.dropped),
            ];
            if values[0] == 0 {
                continue;
            }
            for (sum, v) in total.iter_mut().zip(values) {
                *sum += v;
            }
            let mut entry = counters_json(values);
            entry["peakPerWindow"] = json!(load(&c.peak_window));
            buckets.insert(bucket.name().into(), entry);
        }
        let since = self.since.lock().unwrap_or_else(|p| p.into_inner()).to_string();
        json!({ "since": since, "buckets": buckets, "total": counters_json(total), "writes": load(&self.writes) })
    }
}

fn counters_json([requests, served, rate_limited, injected_429, injected_5xx, dropped]: [u64; 6]) -> Value {
    json!({
        "requests": requests,
        "served": served,
        "rateLimited": rate_limited,
        "injected": { "rateLimited": injected_429, "serverErrors": injected_5xx, "dropped": dropped },
    })
}
