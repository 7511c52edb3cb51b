//! The fault matrix, end to end: the real binary in a pseudo-terminal
//! against an embedded org whose fault knobs the test turns.

use crate::e2e_tui::{E2e, new_user};
use crate::pty::keys;
use crate::support::{Api, TOKEN, valid_profile};
use futures::TryStreamExt;
use oktui::emulator::{Faults, OrgConfig};
use oktui::okta::UserQuery;
use serde_json::json;
use std::time::{Duration, Instant};

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

/// Retries the client logged so far.
fn retries_logged(e: &E2e) -> usize {
    std::fs::read_to_string(&e.tui.log_file).unwrap_or_default().matches("retrying: ").count()
}

/// Pages to the end of the list, pressing R wherever a page failed;
/// returns how many failed.
fn page_through_retrying(e: &mut E2e) -> usize {
    let done = |s: &str| s.contains(" users ─") || s.contains(" users ·");
    let mut failed = 0;
    for _ in 0..200 {
        let screen = e.tui.wait_stable();
        if screen.contains("R retries") {
            failed += 1;
            e.tui.send("R");
        } else if done(&screen) && !screen.contains("loaded") {
            return failed;
        } else {
            e.tui.send("G");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the list never completed:\n{}", e.tui.screen());
}

#[test]
fn the_list_completes_through_5xx_429_and_dropped_connections() {
    let config = OrgConfig::demo(TOKEN).with_users(700).with_rate_limit(100_000);
    let mut e =
        E2e::start_no_wait(config.with_faults(Faults { error_rate: 1.0, error_status: 500, ..Faults::default() }), &[]);
    // Every request fails at first: the failure is on screen and logged.
    e.tui.wait_text("Could not load users");
    let faulty = Faults { error_rate: 0.2, throttle_rate: 0.1, drop_rate: 0.05, latency_ms: 200, ..Faults::default() };
    // At these rates a listing may meet no fault at all, which would prove
    // nothing: list again until one was met (retried, or failed and
    // retried by hand), each listing complete.
    let expected = listed_count(&e);
    let retries_before = retries_logged(&e);
    let mut failed_pages = 0;
    for _ in 0..8 {
        set(&e, faulty);
        let complete = format!("Users · {expected} users");
        e.tui.send("R");
        // R keeps the loaded rows until the new first page arrives (or fails).
        e.tui.wait_for("the listing to start over", |s| !s.contains(&complete) || s.contains("R retries"));
        failed_pages += page_through_retrying(&mut e);
        let screen = e.tui.wait_stable();
        assert!(screen.contains(&complete), "all {expected}, none twice, none missing:\n{screen}");
        if failed_pages > 0 || retries_logged(&e) > retries_before {
            break;
        }
    }
    assert!(failed_pages > 0 || retries_logged(&e) > retries_before, "eight listings met no fault");
    e.tui.send("m");
    let log = e.tui.wait_text("Messages");
    assert!(
        log.contains("Could not load users: gave up after 3 attempts: Internal Server Error"),
        "failures are in the log, in words (500 is retried, then given up on):\n{log}"
    );
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
    // Refresh recovers the list without a restart: the whole list again,
    // no error, the created user still shown.
    let expected = listed_count(&e);
    e.tui.send("R");
    e.tui.wait_text(&format!("Users · {expected} users"));
    e.quit();
}

/// Waits until the TUI's log holds `line`; the log is written on a thread
/// of its own, so a line may land a moment after the screen changed.
fn wait_for_log(e: &E2e, line: &str) -> String {
    let deadline = Instant::now() + crate::pty::WAIT;
    loop {
        let log = std::fs::read_to_string(&e.tui.log_file).unwrap_or_default();
        if log.contains(line) || Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_create_whose_answer_never_comes_is_not_duplicated() {
    // Every write is carried out, then its connection is held silent past
    // the client's 2 s timeout and closed: the answer never comes.
    let lost = Faults { lose_rate: 1.0, lose_hold_ms: 4_000, ..Faults::default() };
    let config = OrgConfig::demo(TOKEN).with_rate_limit(100_000);
    let mut e = E2e::start_no_wait(config, &["--request-timeout", "2"]);
    e.tui.wait_text("Demo Admin");
    set(&e, lost);

    // The fault bites: a create sent straight to the org gets no answer,
    // yet the user exists.
    let api = Api::new(&e.org);
    let probe = "lost.probe@example.com";
    let sent = e.rt.block_on(async {
        api.raw()
            .post(api.absolute("/api/v1/users?activate=false"))
            .header("authorization", format!("SSWS {TOKEN}"))
            .timeout(Duration::from_secs(2))
            .json(&json!({ "profile": valid_profile(probe) }))
            .send()
            .await
    });
    assert!(sent.is_err(), "the answer to the create was lost: {sent:?}");
    assert_eq!(e.user(probe).login(), probe, "and yet the create was carried out");

    // The TUI's create meets the same fault, finds its user and says so.
    new_user(&mut e, "Timeout", "time.out@example.com");
    e.tui.send(keys::CTRL_S);
    let screen = e.tui.wait_for("the create to resolve", |s| {
        s.contains("Created time.out@example.com") || s.contains("did not answer") || s.contains("already exists")
    });
    assert!(screen.contains("Created time.out@example.com"), "resolved as created:\n{screen}");
    let log = wait_for_log(&e, "create answer lost; looking the login up");
    assert!(log.contains("create answer lost; looking the login up"), "the answer really was lost:\n{log}");
    assert!(!log.contains("sending it once more"), "a timed-out create is never sent again:\n{log}");
    set(&e, Faults::default());
    let found: Vec<_> = e
        .rt
        .block_on(e.client.list_users(UserQuery::search("profile.login eq \"time.out@example.com\"")).try_collect())
        .unwrap();
    assert_eq!(found.iter().map(|p| p.items.len()).sum::<usize>(), 1, "exactly one user");
    e.quit();
}
