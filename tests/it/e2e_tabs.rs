//! The detail pane's tabs end to end: the real binary in a pseudo-terminal
//! against an embedded org on loopback, every change checked through the
//! API (or the org's own record of session clears) afterwards.

use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::TOKEN;
use oktui::emulator::{Faults, OrgConfig};

const ADMIN: &str = "admin@example.com";

fn group_names(e: &E2e, user_id: &str) -> Vec<String> {
    let groups = e.rt.block_on(e.client.user_groups(user_id)).expect("groups");
    groups.iter().map(|g| g.name().to_owned()).collect()
}

/// The line of the tab's cursor row.
fn cursor_line(screen: &str) -> Option<String> {
    screen.lines().find(|l| l.contains("▸ ")).map(str::to_owned)
}

/// Moves the tab's cursor to the top (`g`: Everyone, the org lists it
/// first), then down (`j`) to the row of `name`, one row at a time.
fn select_row(e: &mut E2e, name: &str) {
    e.tui.send("g");
    let mut screen = e.tui.wait_for("the top row", |s| cursor_line(s).is_some_and(|l| l.contains("▸ Everyone ")));
    for _ in 0..12 {
        if cursor_line(&screen).is_some_and(|l| l.contains(&format!("▸ {name} "))) {
            return;
        }
        let before = cursor_line(&screen);
        e.tui.send("j");
        screen = e.tui.wait_for("the cursor to move", |s| cursor_line(s) != before);
    }
    panic!("{name} not found:\n{screen}");
}

/// The groups tab with its rows loaded.
fn groups_tab(e: &mut E2e) {
    e.tui.wait_text("│Profile");
    e.tui.send("2");
    e.tui.wait_for("the groups", |s| s.contains("[Groups]") && s.contains("OKTA_GROUP"));
}

#[test]
fn add_to_a_group_through_the_picker_and_remove_from_another() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let admin = e.user(ADMIN);
    let before = group_names(&e, admin.id());
    assert!(!before.contains(&"Sales".to_owned()) && before.contains(&"IT".to_owned()), "{before:?}");

    groups_tab(&mut e);
    e.tui.send("+");
    e.tui.wait_text(&format!("Add {ADMIN} to a group"));
    e.tui.type_text("Sal");
    e.tui.wait_for("Sales found", |s| s.contains("Group name: Sal") && s.contains("▸ Sales"));
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Added {ADMIN} to Sales"));
    assert!(group_names(&e, admin.id()).contains(&"Sales".to_owned()), "added, as the API shows");
    e.tui.wait_for("Sales listed in the tab", |s| s.lines().any(|l| l.contains("Sales") && l.contains("OKTA_GROUP")));

    select_row(&mut e, "IT");
    e.tui.send("-");
    e.tui.wait_text(&format!("Remove {ADMIN} from the group IT?"));
    e.tui.send("y");
    e.tui.wait_text(&format!("Removed {ADMIN} from IT"));
    let after = group_names(&e, admin.id());
    assert!(!after.contains(&"IT".to_owned()) && after.contains(&"Sales".to_owned()), "{after:?}");
    e.tui.wait_for("IT gone from the tab", |s| !s.lines().any(|l| l.contains(" IT ") && l.contains("OKTA_GROUP")));

    // Everyone is refused on screen, and nothing reaches the org.
    select_row(&mut e, "Everyone");
    e.tui.send("-");
    e.tui.wait_text("Everyone is built in");
    assert!(group_names(&e, admin.id()).contains(&"Everyone".to_owned()));
    e.quit();
}

#[test]
fn reset_one_factor() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let admin = e.user(ADMIN);
    let factors = e.rt.block_on(e.client.list_factors(admin.id())).expect("factors");
    assert!(factors.len() >= 2, "the demo admin has several factors: {factors:?}");
    let first = &factors[0];
    let label = format!("{} ({})", first.factor_type(), first.provider());

    e.tui.wait_text("│Profile");
    e.tui.send("3");
    e.tui.wait_for("the factors", |s| s.contains(&format!("▸ {}  {}", first.factor_type(), first.provider())));
    e.tui.send("-");
    e.tui.wait_text(&format!("Reset the factor {label} of {ADMIN}?"));
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Reset {label} of {ADMIN}"));

    let after = e.rt.block_on(e.client.list_factors(admin.id())).expect("factors");
    assert_eq!(after.len(), factors.len() - 1, "one factor fewer");
    assert!(after.iter().all(|f| f.id() != first.id()), "the selected one is gone");
    let second = format!("▸ {}  {}", factors[1].factor_type(), factors[1].provider());
    e.tui.wait_for("the tab read again", |s| s.contains(&second));
    e.quit();
}

#[test]
fn clear_sessions_with_the_oauth_tokens() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let admin = e.user(ADMIN);
    e.tui.wait_text("│Profile");
    e.tui.send("a");
    let screen = e.tui.wait_text("1-9 choose");
    let line = screen.lines().find(|l| l.contains("Clear sessions…")).unwrap_or_else(|| panic!("in\n{screen}"));
    let before = &line[..line.find("Clear sessions…").unwrap_or(0)];
    let digit = before.trim_end().chars().last().filter(char::is_ascii_digit).expect("numbered");
    e.tui.send(&digit.to_string());
    e.tui.wait_text("Clear sessions?");
    e.tui.send(" ");
    e.tui.wait_text("[x] Also revoke");
    assert!(e.org.org.session_clears().is_empty(), "nothing sent before Enter");
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Cleared the sessions of {ADMIN} (and its OAuth tokens)"));
    let clears: Vec<(String, bool, bool)> =
        e.org.org.session_clears().iter().map(|c| (c.user.to_string(), c.oauth_tokens, c.forget_devices)).collect();
    assert_eq!(clears, [(admin.id().to_owned(), true, false)]);
    e.quit();
}

#[test]
fn a_removal_whose_answer_is_lost_is_reported_and_the_truth_read_again() {
    let mut e = E2e::start_no_wait(OrgConfig::demo(TOKEN).with_rate_limit(100_000), &["--request-timeout", "2"]);
    e.tui.wait_text("Demo Admin");
    let admin = e.user(ADMIN);
    groups_tab(&mut e);
    select_row(&mut e, "Managers");
    e.tui.send("-");
    e.tui.wait_text("from the group Managers?");
    // The org removes the user, then holds the connection silent past the
    // client's timeout: the answer never comes.
    e.org.org.set_faults(Faults { lose_rate: 1.0, lose_hold_ms: 4_000, ..Faults::default() });
    e.tui.send("y");
    let screen = e.tui.wait_text(&format!("Could not remove {ADMIN} from Managers"));
    assert!(screen.contains("oktui"), "the UI keeps running:\n{screen}");
    e.org.org.set_faults(Faults::default());
    assert!(!group_names(&e, admin.id()).contains(&"Managers".to_owned()), "the removal was carried out");
    // Read again, the tab shows what the org did, not what the answer said.
    e.tui.wait_for("Managers gone from the tab", |s| {
        s.contains("[Groups]")
            && s.contains("OKTA_GROUP")
            && !s.lines().any(|l| l.contains("Managers") && l.contains("OKTA_GROUP"))
    });
    e.quit();
}
