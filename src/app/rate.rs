//! What the header says about Okta's rate limits: the tightest bucket by
//! name, counting down to its reset, and any request held back until a
//! reset, with the reason. Times are on the app's clock (`State::now`), so
//! the countdown moves with each tick and tests can set it.

use crate::okta::{RateBudget, RateWait, WaitReason};
use jiff::{SignedDuration, Timestamp};

/// A bucket's numbers as last answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub bucket: String,
    pub limit: u32,
    pub remaining: u32,
    pub resets_at: Timestamp,
}

/// A request sleeping until a bucket's window resets.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub bucket: String,
    pub reason: WaitReason,
    pub until: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rate {
    pub budget: Option<Budget>,
    pub held: Option<Held>,
}

impl Rate {
    pub fn on_budget(&mut self, budget: RateBudget, now: Timestamp) {
        self.budget = Some(Budget {
            bucket: budget.bucket,
            limit: budget.limit,
            remaining: budget.remaining,
            resets_at: later(now, budget.reset_in),
        });
    }

    /// Takes in the client's current wait; returns whether it changed what
    /// the header says.
    pub fn on_wait(&mut self, wait: Option<RateWait>, now: Timestamp) -> bool {
        let held = wait.map(|w| Held { bucket: w.bucket, reason: w.reason, until: later(now, w.left) });
        let changed = match (&self.held, &held) {
            (Some(a), Some(b)) => {
                a.bucket != b.bucket || a.reason != b.reason || seconds(a.until, now) != seconds(b.until, now)
            }
            (None, None) => false,
            _ => true,
        };
        self.held = held;
        changed
    }

    /// The budget while its window is open; an ended window says nothing
    /// about the next one.
    pub fn open_budget(&self, now: Timestamp) -> Option<&Budget> {
        self.budget.as_ref().filter(|b| b.resets_at > now)
    }

    /// Whether the header shows a countdown that a clock tick moves.
    pub fn counts_down(&self, now: Timestamp) -> bool {
        self.held.is_some() || self.open_budget(now).is_some()
    }
}

/// Whole seconds from `now` until `at`, rounded up so that a reset still
/// ahead never reads "0s".
pub fn seconds(at: Timestamp, now: Timestamp) -> u64 {
    let left = at.duration_since(now);
    if left <= SignedDuration::ZERO {
        return 0;
    }
    let whole = left.as_secs() as u64;
    if left.subsec_nanos() > 0 { whole + 1 } else { whole }
}

/// The bucket's name without the common `/api/v1` prefix.
pub fn bucket_name(bucket: &str) -> String {
    bucket.replacen(" /api/v1/", " /", 1)
}

fn later(now: Timestamp, by: std::time::Duration) -> Timestamp {
    SignedDuration::try_from(by).ok().and_then(|d| now.checked_add(d).ok()).unwrap_or(now)
}
