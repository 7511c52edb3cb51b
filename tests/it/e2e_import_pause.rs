//! Pausing an import from the TUI end to end: the real binary in a
//! pseudo-terminal against an org served by the test, its writes counted
//! by the org itself.

use crate::e2e_tui::E2e;
use crate::pty::keys;
use oktui::emulator::{Faults, OrgConfig, RunningOrg};
use std::time::Duration;

const ROWS: u64 = 200;

fn writes(org: &RunningOrg) -> u64 {
    org.org.stats().to_json()["writes"].as_u64().expect("a writes counter")
}

/// The screen's `N of 200 rows`: rows done so far.
fn done_on(screen: &str) -> Option<u64> {
    let before = &screen[..screen.find(&format!(" of {ROWS} rows"))?];
    before.rsplit(' ').next()?.replace(',', "").parse().ok()
}

#[test]
fn p_holds_a_running_import_so_the_org_sees_no_write_and_p_again_finishes_it_each_row_once() {
    let mut e = E2e::start(OrgConfig::demo(crate::support::TOKEN));
    let mut csv = String::from("login,firstName,lastName,email\n");
    for i in 0..ROWS {
        csv.push_str(&format!("paused.e2e{i}@example.com,Pau{i},Sed,paused.e2e{i}@example.com\n"));
    }
    std::fs::write(e.tui.dir().join("paused-import.csv"), csv).expect("the CSV");
    e.tui.send("i");
    e.tui.wait_text("Tab complete");
    e.tui.type_text("paused-import.csv");
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Enter import {ROWS} rows"));

    // Slow answers make the import last seconds; a row started before the
    // pause finishes within one answer.
    e.org.org.set_faults(Faults { latency_ms: 200, ..Faults::default() });
    let before = writes(&e.org);
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Write {ROWS} users"));
    e.tui.send("y");
    e.tui.wait_for("the import partway", |s| done_on(s).is_some_and(|n| n >= 16));
    e.tui.send("p");
    e.tui.wait_text("Paused: importing");
    std::thread::sleep(Duration::from_millis(1_000));
    let first = writes(&e.org) - before;
    std::thread::sleep(Duration::from_millis(1_500));
    let second = writes(&e.org) - before;
    assert_eq!(first, second, "no write reaches the org while the import is paused");
    assert!(first > 0 && first < ROWS, "paused partway: {first} of {ROWS} written");

    e.tui.send("p");
    let screen = e.tui.wait_text("Results file:");
    assert!(screen.contains(&format!("created        {ROWS}")), "{screen}");
    e.org.org.set_faults(Faults::default());
    assert_eq!(writes(&e.org) - before, ROWS, "each row written once");
    let results = std::fs::read_to_string(e.tui.dir().join("paused-import.results.csv")).expect("results file");
    assert_eq!(results.lines().filter(|l| l.contains(",created,")).count() as u64, ROWS, "{results}");
    e.tui.send(keys::ENTER);
    e.tui.wait_for("the screen to close", |s| !s.contains("Import users"));
    e.quit();
}
