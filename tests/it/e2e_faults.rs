//! The fault matrix, end to end: the real binary in a pseudo-terminal
//! against an embedded org whose fault knobs the test turns.

use crate::e2e_tui::{E2e, new_user};
use crate::pty::keys;
use crate::support::TOKEN;
use futures::TryStreamExt;
use oktui::emulator::{Faults, OrgConfig};
use oktui::okta::UserQuery;

fn set(e: &E2e, faults: Faults) {
    e.org.org.set_faults(faults);
}

/// Users the plain listing shows (DEPROVISIONED omitted), counted
/// through the API with the faults off.
fn listed_count(e: &E2e) -> usize {
    set(e, Faults::default());
    let pages: Vec<_> = e.rt.block_on(e.client.list_users(UserQuery::default()).try_collect()).expect("listing");
    pages.iter().map(|p| p.items.len()).sum()
}

#[test]
fn keys_are_handled_while_requests_hang() {
    let slow = Faults { latency_ms: 4000, ..Faults::default() };
    let mut e = E2e::start_no_wait(OrgConfig::demo(TOKEN).with_faults(slow), &[]);
    e.tui.wait_text("Loading users");
    e.tui.send("?");
    // Help is up while the first page is still on its way: the header's
    // activity indicator and the help screen are on the same frame.
    let screen = e.tui.wait_text("Everywhere");
    assert!(screen.contains("working"), "a request is still out:\n{screen}");
    e.tui.send(keys::ESC);
    e.tui.wait_text("Demo Admin");
    e.quit();
}

#[test]
fn the_list_completes_through_5xx_429_and_dropped_connections() {
    let config = OrgConfig::demo(TOKEN).with_users(700).with_rate_limit(100_000);
    let mut e =
        E2e::start_no_wait(config.with_faults(Faults { error_rate: 1.0, error_status: 500, ..Faults::default() }), &[]);
    // Every request fails at first: the failure is on screen and logged.
    e.tui.wait_text("Could not load users");
    set(&e, Faults { error_rate: 0.2, throttle_rate: 0.1, drop_rate: 0.05, latency_ms: 200, ..Faults::default() });
    e.tui.send("R");
    // Page through everything, retrying wherever a page failed.
    let done = |s: &str| s.contains(" users ─") || s.contains(" users ·");
    for _ in 0..200 {
        let screen = e.tui.wait_stable();
        if screen.contains("R retries") {
            e.tui.send("R");
        } else if done(&screen) && !screen.contains("loaded") {
            break;
        } else {
            e.tui.send("G");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let screen = e.tui.wait_stable();
    let expected = listed_count(&e);
    assert!(
        screen.contains(&format!("Users · {expected} users")),
        "all {expected}, none twice, none missing:\n{screen}"
    );
    e.tui.send("m");
    let log = e.tui.wait_text("Messages");
    assert!(log.contains("Could not load users: Internal Server Error"), "failures are in the log, in words:\n{log}");
    e.quit();
}

#[test]
fn an_org_that_goes_away_and_comes_back() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    e.rt.block_on(e.org.stop());
    // A create while the org is gone fails clearly and loses nothing.
    new_user(&mut e, "Comeback", "come.back@example.com");
    e.tui.send(keys::CTRL_S);
    let screen = e.tui.wait_text("cannot reach the org");
    assert!(screen.contains("First name *           Comeback"), "typed data kept:\n{screen}");
    assert!(screen.contains("Username *             come.back@example.com"));
    e.rt.block_on(e.org.restart()).expect("org back");
    e.tui.send(keys::CTRL_S);
    e.tui.wait_text("Created come.back@example.com");
    assert_eq!(e.user("come.back@example.com").login(), "come.back@example.com");
    // Refresh recovers the list without a restart (the cursor stays on the
    // created user, at the end; g goes back to the first).
    e.tui.send("R");
    e.tui.send("g");
    e.tui.wait_text("Demo Admin");
    e.quit();
}

#[test]
fn a_create_whose_answer_never_comes_is_not_duplicated() {
    // The org answers after the client gave up, and so does the lookup that
    // follows; 2 s leaves room for ordinary requests on a loaded CI machine.
    let slow = Faults { latency_ms: 4500, ..Faults::default() };
    let config = OrgConfig::demo(TOKEN).with_rate_limit(100_000);
    let mut e = E2e::start_no_wait(config, &["--request-timeout", "2"]);
    e.tui.wait_text("Demo Admin");
    new_user(&mut e, "Timeout", "time.out@example.com");
    set(&e, slow);
    e.tui.send(keys::CTRL_S);
    let mut screen = e.tui.wait_for("the create to give up", |s| s.contains("did not answer") || s.contains("Created"));
    set(&e, Faults::default());
    // Sending again either creates it (the first never happened) or finds
    // it taken (it did): there is never a second user. A machine busy
    // enough to time out the retry too gets another go, as a user would.
    let answered = |s: &str| s.contains("Created time.out@example.com") || s.contains("already exists");
    for _ in 0..3 {
        if answered(&screen) {
            break;
        }
        assert!(screen.contains("First name *           Timeout"), "typed data kept:\n{screen}");
        e.tui.send(keys::CTRL_S);
        e.tui.wait_for("the retry to be sent", |s| s.contains("creating…") || answered(s));
        screen = e.tui.wait_for("an answer", |s| !s.contains("creating…"));
    }
    assert!(answered(&screen), "the retry was answered:\n{screen}");
    let found: Vec<_> = e
        .rt
        .block_on(e.client.list_users(UserQuery::search("profile.login eq \"time.out@example.com\"")).try_collect())
        .unwrap();
    assert_eq!(found.iter().map(|p| p.items.len()).sum::<usize>(), 1, "exactly one user");
    e.quit();
}
