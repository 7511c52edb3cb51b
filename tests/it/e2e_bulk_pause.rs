//! Pausing a bulk job from the TUI end to end: the real binary in a
//! pseudo-terminal against an org served by the test, its writes counted
//! by the org itself.

use crate::bulk_support::{SYNTHETIC, results, status_of, users};
use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::TOKEN;
use oktui::emulator::{OrgConfig, RunningOrg};
use std::time::Duration;

const USERS: u32 = 300;

/// Writes the org carried out (`writes` of `/emulator/v1/stats`).
fn writes(org: &RunningOrg) -> u64 {
    org.org.stats().to_json()["writes"].as_u64().expect("a writes counter")
}

/// The job screen's `suspend: N/300`: users done so far.
fn done_on(screen: &str) -> Option<u64> {
    let rest = &screen[screen.find("suspend: ")? + "suspend: ".len()..];
    rest[..rest.find('/')?].replace(',', "").parse().ok()
}

#[test]
fn p_holds_a_running_job_so_the_org_sees_no_write_and_p_again_finishes_it_each_user_once() {
    // 30 requests a second (windows of one second) makes the job last
    // seconds, and a user started before the pause waits at most one
    // window for its turn before it finishes.
    let config = OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(30).with_rate_window(Duration::from_secs(1));
    let mut e = E2e::start_no_wait(config, &[]);
    let before = e.rt.block_on(users(&e.org, SYNTHETIC));
    let can_suspend = ["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED"];
    let changing = before.iter().filter(|u| can_suspend.contains(&status_of(u))).count() as u64;
    assert!(changing > 200, "{changing} to change");

    crate::e2e_bulk::search_every_status(&mut e.tui, SYNTHETIC);
    e.tui.send("*");
    e.tui.wait_text("all matching");
    e.tui.send("a");
    e.tui.wait_text("Bulk operation");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("Enter starts the job");
    e.tui.send(keys::ENTER);
    e.tui.wait_for("the job partway", |s| done_on(s).is_some_and(|n| n >= 30));

    e.tui.send("p");
    let paused = e.tui.wait_text("· paused");
    assert!(paused.contains("p resumes"), "{paused}");
    // The users already started finish (each within a window): then nothing.
    std::thread::sleep(Duration::from_millis(1_500));
    let first = writes(&e.org);
    let shown = done_on(&e.tui.screen());
    std::thread::sleep(Duration::from_millis(1_500));
    let second = writes(&e.org);
    assert_eq!(first, second, "no write reaches the org while the job is paused");
    assert_eq!(done_on(&e.tui.screen()), shown, "the count stands still while paused");
    assert!(first > 0 && first < changing, "paused partway: {first} of {changing} written");

    e.tui.send("p");
    e.tui.wait_for("the job to go on", |s| !s.contains("· paused"));
    e.tui.wait_text("results in");
    assert_eq!(writes(&e.org), changing, "every user changed once: one write each, none repeated");
    let after = e.rt.block_on(users(&e.org, SYNTHETIC));
    let suspended = |users: &[serde_json::Value]| users.iter().filter(|u| status_of(u) == "SUSPENDED").count();
    assert_eq!(suspended(&after) as u64, suspended(&before) as u64 + changing, "the API shows them suspended");
    let file = crate::e2e_bulk::results_in_state_dir(e.tui.dir())
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bulk-suspend-")))
        .expect("a results file");
    assert_eq!(results(&file).len(), USERS as usize, "each user once in {}", file.display());
    e.quit();
}
