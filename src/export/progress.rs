//! What the progress line of `oktui export` says (drawn by
//! [`crate::display::StderrLine`]).

use super::Progress;
use crate::display::thousands;
const BAR: usize = 20;

/// `[#######.............]  35% 35,000 of ~100,000 users · 175 pages · 9,800 users/s · ranges 9/32`
pub fn render(p: &Progress) -> String {
    let rate = p.users as f64 / p.elapsed.as_secs_f64().max(1e-3);
    let mut line = String::new();
    match p.estimated_users.filter(|e| *e > 0) {
        Some(estimate) => {
            let share = (p.users as f64 / estimate as f64).clamp(0.0, 1.0);
            let filled = (share * BAR as f64).round() as usize;
            line.push_str(&format!(
                "[{}{}] {:3.0}% {} of ~{} users",
                "#".repeat(filled),
                ".".repeat(BAR - filled),
                share * 100.0,
                thousands(p.users),
                thousands(estimate.max(p.users))
            ));
        }
        None => line.push_str(&format!("{} users", thousands(p.users))),
    }
    line.push_str(&format!(" · {} pages · {} users/s", thousands(p.pages), thousands(rate.round() as u64)));
    if let Some((done, known)) = p.partitions {
        line.push_str(&format!(" · ranges {done}/{known}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn renders_with_and_without_an_estimate() {
        let p = Progress {
            users: 35_000,
            pages: 175,
            partitions: Some((9, 32)),
            estimated_users: Some(100_000),
            elapsed: Duration::from_secs(2),
        };
        assert_eq!(
            render(&p),
            "[#######.............]  35% 35,000 of ~100,000 users · 175 pages · 17,500 users/s · ranges 9/32"
        );
        let p = Progress { partitions: None, estimated_users: None, ..p };
        assert_eq!(render(&p), "35,000 users · 175 pages · 17,500 users/s");
    }
}
