//! What the progress line of `oktui bulk` says (drawn by
//! [`crate::display::StderrLine`]): done of total, the rate, and the time
//! left at that rate.

use super::job::Progress;
use super::plan::about;
use crate::display::thousands;

/// `1,200 of 5,000 users (24%) · 1,150 changed · 3 failed · 95 users/s · about 40 s left`
pub fn render(p: &Progress) -> String {
    let t = &p.tally;
    let done = t.done();
    let share = if t.total == 0 { 100.0 } else { done as f64 * 100.0 / t.total as f64 };
    let rate = p.rate();
    let mut line =
        format!("{} of {} users ({share:.0}%) · {} changed", thousands(done), thousands(t.total), thousands(t.changed));
    if t.failed > 0 {
        line.push_str(&format!(" · {} failed", thousands(t.failed)));
    }
    line.push_str(&format!(" · {} users/s", thousands(rate.round() as u64)));
    if let Some(left) = p.time_left().filter(|_| done < t.total) {
        line.push_str(&format!(" · {} left", about(left)));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::job::Tally;
    use std::time::Duration;

    #[test]
    fn renders_done_rate_and_time_left() {
        let tally = Tally { total: 5_000, changed: 1_150, unchanged: 47, skipped: 0, failed: 3 };
        let p = Progress { tally, done_here: 1_000, elapsed: Duration::from_secs(10), budget_wait: Duration::ZERO };
        assert_eq!(render(&p), "1,200 of 5,000 users (24%) · 1,150 changed · 3 failed · 100 users/s · about 38 s left");
        // The window's budget is spent: the time left is the budget's.
        let waiting = Progress { budget_wait: Duration::from_secs(200), ..p };
        assert!(render(&waiting).ends_with("100 users/s · about 3 min 20 s left"), "{}", render(&waiting));
    }
}
