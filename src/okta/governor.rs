//! The governor's policy, without I/O: how much of each rate-limit bucket
//! a request may spend now, by who asks (the admin, or a long job), under
//! the capacity cap. `ratelimit` keeps the buckets and applies it.

use std::time::Duration;
use tokio::time::Instant;

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

/// A job's share of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobBudget {
    /// Requests a job may send before the current window resets.
    pub now: u32,
    /// Requests a job may send in each later window.
    pub per_window: u32,
    pub limit: u32,
    /// Until the current window resets.
    pub reset_in: Duration,
}

impl JobBudget {
    /// How many resets `requests` more requests would wait for.
    pub fn resets_for(&self, requests: u64) -> u64 {
        let beyond = requests.saturating_sub(u64::from(self.now));
        if beyond == 0 { 0 } else { beyond.div_ceil(u64::from(self.per_window.max(1))) }
    }

    /// The least time `requests` more requests take: nothing while the
    /// current window holds them, else until its reset and a window for
    /// each further reset (Okta's windows are a minute).
    pub fn wait_for(&self, requests: u64) -> Duration {
        match self.resets_for(requests) {
            0 => Duration::ZERO,
            resets => self.reset_in + Duration::from_secs(60) * (resets - 1) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let b = JobBudget { now: 100, per_window: 108, limit: 120, reset_in: Duration::from_secs(20) };
        assert_eq!((b.resets_for(100), b.resets_for(101), b.resets_for(208), b.resets_for(209)), (0, 1, 1, 2));
        let secs = |n| b.wait_for(n).as_secs();
        assert_eq!((secs(100), secs(101), secs(208), secs(209)), (0, 20, 20, 80), "the reset, then whole windows");
    }
}
