//! A bulk job started in the TUI, the process killed with SIGKILL about
//! halfway, and oktui started again on the same org: the unfinished job is
//! offered, Enter resumes it, and every user is suspended exactly once
//! (the org's own counters), none skipped, the results file complete.

use crate::bulk_support::{ACTIVE_SYNTHETIC, JobFiles, outcomes, results, served, set_latency, users};
use crate::e2e_tui::E2e;
use crate::pty::{Pty, keys};
use crate::support::TOKEN;
use oktui::display::thousands;
use oktui::emulator::OrgConfig;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

fn ids(users: &[serde_json::Value]) -> BTreeSet<String> {
    users.iter().filter_map(|u| u["id"].as_str().map(str::to_owned)).collect()
}

/// The one job under `state`, once its journal exists.
fn find_job(state: &Path) -> Option<JobFiles> {
    let jobs = state.join("oktui").join("jobs");
    for org in std::fs::read_dir(jobs).ok()?.filter_map(Result::ok) {
        for file in std::fs::read_dir(org.path()).ok()?.filter_map(Result::ok) {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(target) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".journal")) {
                return Some(JobFiles::beside(&org.path().join(target)));
            }
        }
    }
    None
}

fn wait_long(tui: &Pty, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let screen = tui.screen();
        if pred(&screen) {
            return screen;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Searches the active synthetic users, selects all that match and plans
/// their suspension: the plan's screen.
fn plan_suspend_of_the_active(tui: &mut Pty) -> String {
    tui.wait_text("Users ·");
    tui.send("/");
    tui.type_text(ACTIVE_SYNTHETIC);
    tui.send(keys::ENTER);
    // `*` takes the search as applied: wait until the list is the search's
    // (a demo user of the first rows has gone).
    tui.wait_for("the search's users", |s| s.contains("loaded") && !s.contains("Iris Yarrowdale"));
    tui.send("*");
    tui.wait_text("all matching");
    tui.send("a");
    tui.wait_text("Bulk operation");
    tui.send(keys::ENTER);
    wait_long(tui, "the plan", |s| s.contains("Enter starts the job"))
}

/// A suspend of the active synthetic users of an org of `users` started
/// in the TUI and killed with SIGKILL once `share` of them are recorded:
/// the org, the job's files, the users selected and those recorded.
fn killed_mid_job(users_in_org: u32, share: f64) -> (E2e, JobFiles, BTreeSet<String>, BTreeSet<String>) {
    let config = OrgConfig::demo(TOKEN).with_users(users_in_org).with_rate_limit(1_000_000);
    let mut e = E2e::start_no_wait(config, &[]);
    let selected = ids(&e.rt.block_on(users(&e.org, ACTIVE_SYNTHETIC)));
    let state = e.tui.dir().join("state");

    let plan = plan_suspend_of_the_active(&mut e.tui);
    assert!(plan.contains(&format!("Plan: suspend on {} users", thousands(selected.len() as u64))), "{plan}");
    set_latency(&e.org, 15);
    e.tui.send(keys::ENTER);

    // By the journal: then SIGKILL, no chance to tidy up.
    let deadline = Instant::now() + Duration::from_secs(180);
    let wanted = (selected.len() as f64 * share) as usize;
    let files = loop {
        if let Some(files) = find_job(&state)
            && files.checkpointed().len() >= wanted
        {
            break files;
        }
        assert!(Instant::now() < deadline, "{wanted} users not recorded; screen:\n{}", e.tui.screen());
        std::thread::sleep(Duration::from_millis(20));
    };
    let pid = e.tui.pid().expect("oktui's pid") as libc::pid_t;
    // SAFETY: signals the child this test spawned.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0, "SIGKILL");
    e.tui.wait_exit();
    set_latency(&e.org, 0);

    let recorded = files.checkpointed();
    let suspended_first = served(&e.org, "userUpdate");
    assert!(recorded.len() < selected.len(), "killed mid-job: {} recorded", recorded.len());
    assert!((suspended_first as usize) < selected.len(), "killed before the org saw every user");
    assert!(!files.target.exists(), "no results at the final path before the job is done");
    let suspended_now = suspended(&e);
    let unrecorded_but_done =
        files.sent().into_iter().filter(|id| !recorded.contains(id) && suspended_now.contains(id)).count();
    assert!(unrecorded_but_done > 0, "the kill left users changed at the org but not in the journal");
    (e, files, selected, recorded)
}

/// The users recorded as sent to but of unknown outcome.
fn unknown_outcome(results: &std::collections::BTreeMap<String, serde_json::Value>) -> BTreeSet<String> {
    let to_check = |r: &serde_json::Value| r["errorSummary"].as_str().is_some_and(|s| s.contains("check this user"));
    results.iter().filter(|(_, r)| r["outcome"] == "failed" && to_check(r)).map(|(id, _)| id.clone()).collect()
}

fn suspended(e: &E2e) -> BTreeSet<String> {
    ids(&e.rt.block_on(users(&e.org, &ACTIVE_SYNTHETIC.replace("ACTIVE", "SUSPENDED"))))
}

/// oktui again, on the same org and state directory as `e`'s.
fn again(e: &E2e) -> Pty {
    let url = e.org.url();
    let state_dir = e.tui.dir().join("state").to_string_lossy().into_owned();
    Pty::spawn_with_env(&["--org-url", &url, "--token", TOKEN], 140, 45, &[("XDG_STATE_HOME", &state_dir)])
}

fn quit(mut tui: Pty) {
    tui.send(keys::CTRL_C);
    std::thread::sleep(Duration::from_millis(150));
    if tui.screen().contains("Quit?") {
        tui.send("y");
    }
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn a_tui_job_killed_halfway_is_offered_at_the_next_start_and_resumed_exactly_once() {
    let (e, files, selected, recorded) = killed_mid_job(5_950, 0.5);
    assert!(selected.len() >= 5_000, "{} users", selected.len());

    let mut again = again(&e);
    let offer = again.wait_text("Unfinished bulk job");
    let done_of_total =
        format!("{} of {} users done", thousands(recorded.len() as u64), thousands(selected.len() as u64));
    assert!(offer.contains(&done_of_total), "the offer counts the checkpoint's users:\n{offer}");
    assert!(offer.contains("suspend on search: "), "{offer}");
    again.send(keys::ENTER);
    let screen = wait_long(&again, "the job's end", |s| s.contains("results in"));
    assert!(screen.contains(&format!("done, {} users", thousands(selected.len() as u64))), "{screen}");

    let results = results(&files.target);
    let lines = std::fs::read_to_string(&files.target).expect("results").lines().count();
    assert_eq!((results.len(), lines), (selected.len(), selected.len()), "every user recorded once");
    assert!(results.keys().all(|id| selected.contains(id)));
    assert_eq!(outcomes(&results).get("changed"), Some(&selected.len()), "every user changed, none skipped or failed");
    assert_eq!(served(&e.org, "userUpdate"), selected.len() as u64, "exactly one suspend per user across both runs");
    assert!(e.rt.block_on(users(&e.org, ACTIVE_SYNTHETIC)).is_empty(), "no user left active");
    assert!(!files.partial.exists() && !files.journal.exists() && !files.sent.exists(), "the job's files are gone");
    quit(again);
}

#[test]
fn a_tui_job_ended_where_it_stopped_records_every_user_it_may_have_touched() {
    let (e, files, selected, recorded) = killed_mid_job(400, 0.3);
    let sent_unrecorded: BTreeSet<String> = files.sent().into_iter().filter(|id| !recorded.contains(id)).collect();

    let mut again = again(&e);
    again.wait_text("Unfinished bulk job");
    again.send("d");
    again.wait_text("End the job?");
    again.send("y");
    let screen = again.wait_text("Bulk job ended where it stopped");
    let results = results(&files.target);
    let lines = std::fs::read_to_string(&files.target).expect("results").lines().count();
    assert_eq!(lines, results.len(), "each user once");
    let in_file: BTreeSet<String> = results.keys().cloned().collect();
    let done_of_total = format!("{} of {}", thousands(in_file.len() as u64), thousands(selected.len() as u64));
    assert!(screen.contains(&done_of_total), "{screen}");
    let by_the_job: BTreeSet<String> = suspended(&e).intersection(&selected).cloned().collect();
    assert!(by_the_job.len() > recorded.len(), "the org suspended users the checkpoint does not hold");
    assert!(by_the_job.iter().all(|id| in_file.contains(id)), "every user the job suspended is recorded");
    assert_eq!(in_file.len(), recorded.len() + sent_unrecorded.len(), "those recorded, and those sent to");
    // A record the kill left on disk after the checkpoint is kept; a user
    // sent to without one is of unknown outcome, to check.
    let unknown = unknown_outcome(&results);
    assert!(!unknown.is_empty() && unknown.is_subset(&sent_unrecorded), "{} of unknown outcome", unknown.len());
    let kept_after_checkpoint: Vec<&String> = sent_unrecorded.difference(&unknown).collect();
    assert!(kept_after_checkpoint.iter().all(|id| results[*id]["outcome"] == "changed" && by_the_job.contains(*id)));
    assert!(!files.partial.exists() && !files.journal.exists() && !files.sent.exists(), "the job is over");
    quit(again);
    let third = self::again(&e);
    third.wait_text("Users ·");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!third.screen().contains("Unfinished bulk job"), "an ended job is not offered again");
    quit(third);
}

#[test]
fn a_tui_job_cancelled_midway_ends_with_its_results_in_place_and_is_not_offered_again() {
    let config = OrgConfig::demo(TOKEN).with_users(400).with_rate_limit(1_000_000);
    let mut e = E2e::start_no_wait(config, &[]);
    let selected = ids(&e.rt.block_on(users(&e.org, ACTIVE_SYNTHETIC)));
    let state = e.tui.dir().join("state");
    plan_suspend_of_the_active(&mut e.tui);
    set_latency(&e.org, 15);
    e.tui.send(keys::ENTER);
    let deadline = Instant::now() + Duration::from_secs(180);
    let files = loop {
        if let Some(files) = find_job(&state)
            && files.checkpointed().len() >= selected.len() / 4
        {
            break files;
        }
        assert!(Instant::now() < deadline, "users not recorded; screen:\n{}", e.tui.screen());
        std::thread::sleep(Duration::from_millis(20));
    };
    e.tui.send("c");
    e.tui.wait_text("Cancel the job?");
    e.tui.send("y");
    let screen = e.tui.wait_text("Bulk job ended where it stopped");
    set_latency(&e.org, 0);

    let results = results(&files.target);
    let in_file: BTreeSet<String> = results.keys().cloned().collect();
    let by_the_job: BTreeSet<String> = suspended(&e).intersection(&selected).cloned().collect();
    assert!(!by_the_job.is_empty() && by_the_job.len() < selected.len(), "cancelled midway: {}", by_the_job.len());
    assert!(by_the_job.iter().all(|id| in_file.contains(id)), "every user the job suspended is recorded");
    let unknown = unknown_outcome(&results);
    assert!(unknown.len() <= 4, "only the users in flight (4 at once) are of unknown outcome: {}", unknown.len());
    assert!(
        screen.contains(&format!("{} of {}", thousands(in_file.len() as u64), thousands(selected.len() as u64))),
        "{screen}"
    );
    assert!(!files.partial.exists() && !files.journal.exists() && !files.sent.exists(), "the job is over");
    let again = again(&e);
    again.wait_text("Users ·");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!again.screen().contains("Unfinished bulk job"), "a cancelled job is not offered");
    quit(again);
    e.quit();
}
