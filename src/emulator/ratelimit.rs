//! Per-bucket rate limits with Okta's `X-Rate-Limit-*` headers: a window
//! of a minute (as Okta's management buckets), or shorter for tests.

use super::config::RateLimits;
use axum::http::Method;
use std::sync::{Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Users,
    UserGet,
    UserUpdate,
    Groups,
    Other,
    /// `GET /api/v1/logs`: the System Log has a bucket of its own.
    Logs,
}

impl Bucket {
    pub const ALL: [Bucket; 6] =
        [Bucket::Users, Bucket::UserGet, Bucket::UserUpdate, Bucket::Groups, Bucket::Other, Bucket::Logs];

    /// The name `/emulator/v1/stats` reports the bucket by.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Users => "users",
            Bucket::UserGet => "userGet",
            Bucket::UserUpdate => "userUpdate",
            Bucket::Groups => "groups",
            Bucket::Other => "other",
            Bucket::Logs => "logs",
        }
    }

    pub fn of(method: &Method, path: &str) -> Self {
        let path = path.trim_end_matches('/');
        if path == "/api/v1/users" {
            return Bucket::Users;
        }
        if path.starts_with("/api/v1/users/") {
            return if method == Method::GET { Bucket::UserGet } else { Bucket::UserUpdate };
        }
        if path == "/api/v1/groups" || path.starts_with("/api/v1/groups/") {
            return Bucket::Groups;
        }
        if path == "/api/v1/logs" {
            return Bucket::Logs;
        }
        Bucket::Other
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    fn limit(self, limits: &RateLimits) -> u32 {
        match self {
            Bucket::Users => limits.users,
            Bucket::UserGet => limits.user_get,
            Bucket::UserUpdate => limits.user_update,
            Bucket::Groups => limits.groups,
            Bucket::Other => limits.other,
            Bucket::Logs => limits.logs,
        }
    }
}

/// What the headers of one response say about its bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Epoch seconds at which the window resets.
    pub reset: u64,
    /// Requests counted in this window, this one included.
    pub used: u32,
}

#[derive(Debug, Default, Clone, Copy)]
struct Window {
    start: u64,
    used: u32,
}

#[derive(Debug)]
pub struct RateLimiter {
    limits: RwLock<RateLimits>,
    windows: Mutex<[Window; Bucket::ALL.len()]>,
    /// Window length in seconds.
    window: u64,
}

pub fn epoch_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl RateLimiter {
    /// `window_secs` is clamped to at least one second (the headers' resolution).
    pub fn new(limits: RateLimits, window_secs: u64) -> Self {
        Self {
            limits: RwLock::new(limits),
            windows: Mutex::new([Window::default(); Bucket::ALL.len()]),
            window: window_secs.max(1),
        }
    }

    pub fn limits(&self) -> RateLimits {
        *self.limits.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn limit_of(&self, bucket: Bucket) -> u32 {
        bucket.limit(&self.limits())
    }

    /// New limits start fresh windows.
    pub fn set_limits(&self, limits: RateLimits) {
        *self.limits.write().unwrap_or_else(|p| p.into_inner()) = limits;
        *self.windows.lock().unwrap_or_else(|p| p.into_inner()) = [Window::default(); Bucket::ALL.len()];
    }

    /// Counts one request against its bucket.
    pub fn check(&self, bucket: Bucket) -> Verdict {
        let limit = bucket.limit(&self.limits());
        let now = epoch_seconds();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let Some(w) = windows.get_mut(bucket.index()) else {
            return Verdict { allowed: true, limit, remaining: limit, reset: now + self.window, used: 0 };
        };
        if now >= w.start + self.window {
            *w = Window { start: now, used: 0 };
        }
        let allowed = w.used < limit;
        if allowed {
            w.used += 1;
        }
        Verdict { allowed, limit, remaining: limit.saturating_sub(w.used), reset: w.start + self.window, used: w.used }
    }
}
