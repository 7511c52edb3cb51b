//! What the progress line of `oktui bulk` says (drawn by
//! [`crate::display::StderrLine`]): done of total, the rate, and the time
//! left at that rate.

use super::job::Progress;
use super::plan::about;
use crate::display::thousands;
use std::time::Duration;

/// `1,200 of 5,000 users (24%) · 1,150 changed · 3 failed · 95 users/s · about 40 s left`
pub fn render(p: &Progress) -> String {
    let t = &p.tally;
    let done = t.done();
    let share = if t.total == 0 { 100.0 } else { done as f64 * 100.0 / t.total as f64 };
    let rate = p.done_here as f64 / p.elapsed.as_secs_f64().max(1e-3);
    let mut line =
        format!("{} of {} users ({share:.0}%) · {} changed", thousands(done), thousands(t.total), thousands(t.changed));
    if t.failed > 0 {
        line.push_str(&format!(" · {} failed", thousands(t.failed)));
    }
    line.push_str(&format!(" · {} users/s", thousands(rate.round() as u64)));
    let left = t.total.saturating_sub(done);
    if left > 0 && rate > 0.0 {
        line.push_str(&format!(" · {} left", about(Duration::from_secs_f64(left as f64 / rate))));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::job::Tally;

    #[test]
    fn renders_done_rate_and_time_left() {
        let tally = Tally { total: 5_000, changed: 1_150, unchanged: 47, skipped: 0, failed: 3 };
        let p = Progress { tally, done_here: 1_000, elapsed: Duration::from_secs(10) };
        assert_eq!(render(&p), "1,200 of 5,000 users (24%) · 1,150 changed · 3 failed · 100 users/s · about 38 s left");
    }
}
