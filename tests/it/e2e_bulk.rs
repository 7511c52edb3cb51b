//! Bulk operations from the TUI end to end: the real binary in a
//! pseudo-terminal against an embedded org on loopback, the users checked
//! through the API and the results file afterwards.

use crate::bulk_support::{SYNTHETIC, results, status_of, users};
use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::TOKEN;
use oktui::display::thousands;
use oktui::emulator::OrgConfig;

#[test]
fn select_all_matching_a_search_of_1000_most_not_loaded_and_suspend_them() {
    let config = OrgConfig::demo(TOKEN).with_users(1_000).with_rate_limit(1_000_000);
    let mut e = E2e::start_no_wait(config, &[]);
    let before = e.rt.block_on(users(&e.org, SYNTHETIC));
    assert_eq!(before.len(), 1_000);
    // The list, and so `*`, leaves out the deprovisioned by default, as the
    // Admin Console does: the test shows every status, so all 1,000 match.
    let listed = before.len();
    assert!(before.iter().any(|u| status_of(u) == "DEPROVISIONED"), "some are skipped for their status");
    let suspended = before.iter().filter(|u| status_of(u) == "SUSPENDED").count();
    let can_suspend = ["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED"];
    let changing = before.iter().filter(|u| can_suspend.contains(&status_of(u))).count();
    assert!(suspended > 0 && changing > 800, "{suspended} suspended, {changing} to change");

    search_every_status(&mut e.tui, SYNTHETIC);
    e.tui.send("*");
    e.tui.wait_text("all matching (counting…)");
    e.tui.send("a");
    e.tui.wait_text("Bulk operation");
    e.tui.send(keys::ENTER);
    let plan = e.tui.wait_text("Enter starts the job");
    assert!(plan.contains(&format!("Plan: suspend on {} users", thousands(listed as u64))), "{plan}");
    let unchanged = plan.lines().find(|l| l.contains("unchanged ")).unwrap_or_default().to_owned();
    assert!(
        unchanged.contains(&format!("unchanged {suspended:>5}"))
            || unchanged.contains(&format!(" {suspended}  already")),
        "{unchanged}"
    );
    assert!(
        plan.contains(&format!("all {} matching", thousands(listed as u64))),
        "the survey's paging counted the selection:\n{plan}"
    );
    e.tui.send(keys::ENTER);
    e.tui.wait_text("results in");

    let after = e.rt.block_on(users(&e.org, SYNTHETIC));
    let now_suspended = after.iter().filter(|u| status_of(u) == "SUSPENDED").count();
    assert_eq!(now_suspended, suspended + changing, "every user that could be suspended is, as the API shows");
    let file = results_in_state_dir(e.tui.dir()).into_iter().next().expect("a results file");
    let lines = std::fs::read_to_string(&file).expect("results").lines().count();
    let recorded = results(&file);
    assert_eq!((recorded.len(), lines), (listed, listed), "each user once, in {}", file.display());
    e.quit();
}

/// The TUI's results files: under the state directory the pty sets
/// (`XDG_STATE_HOME`), in the org's own directory, none left unfinished.
pub fn results_in_state_dir(home: &std::path::Path) -> Vec<std::path::PathBuf> {
    let jobs = home.join("state").join("oktui").join("jobs");
    let orgs = std::fs::read_dir(&jobs).unwrap_or_else(|e| panic!("{}: {e}", jobs.display()));
    let files: Vec<std::path::PathBuf> = orgs
        .filter_map(Result::ok)
        .flat_map(|org| std::fs::read_dir(org.path()).into_iter().flatten().filter_map(Result::ok))
        .map(|f| f.path())
        .collect();
    let unfinished: Vec<_> = files.iter().filter(|p| p.to_string_lossy().ends_with(".journal")).collect();
    assert!(unfinished.is_empty(), "jobs left unfinished: {unfinished:?}");
    files.into_iter().filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("bulk-"))).collect()
}

/// Searches `search` with every status shown: the default filter hides
/// the deprovisioned, and a selection of all that match would miss them.
pub fn search_every_status(tui: &mut crate::pty::Pty, search: &str) {
    tui.wait_text("Users ·");
    tui.send("/");
    tui.type_text(search);
    tui.send(keys::ENTER);
    tui.wait_text("loaded · more");
    tui.send("s");
    tui.wait_text("Show users with status");
    tui.send("a");
    tui.send(keys::ENTER);
    tui.wait_text("loaded · more");
}
