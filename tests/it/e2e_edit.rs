//! `e` through the real binary in a pseudo-terminal against an embedded
//! org, every result checked through the API: a plain edit, a new login
//! (confirmed first), and a change made through the API while the form
//! was open.

use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::TOKEN;
use oktui::emulator::OrgConfig;
use serde_json::{Map, Value, json};

const LOGIN: &str = "iris.yarrowdale@example.org";

fn profile(e: &E2e, login: &str) -> Map<String, Value> {
    e.user(login).profile().cloned().expect("a profile")
}

/// Shows `login` alone in the list, opens the edit form on it and waits
/// until the form is filled.
fn open_form(e: &mut E2e, login: &str) {
    e.tui.send("/");
    e.tui.type_text(login);
    e.tui.send(keys::ENTER);
    e.tui.wait_for("the user alone in the list", |s| s.contains(login) && !s.contains("Demo Admin"));
    e.tui.wait_text("│Profile");
    e.tui.send("e");
    e.tui.wait_for("the filled form", |s| s.contains(&format!("Edit {login}")) && !s.contains("reading…"));
}

/// Moves the focus to the field titled `title` and replaces its text.
pub fn retype(e: &mut E2e, title: &str, text: &str) {
    for _ in 0..80 {
        if e.tui.cursor_on_line_with(&format!("▸ {title}")) {
            break;
        }
        e.tui.send(keys::TAB);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(e.tui.cursor_on_line_with(&format!("▸ {title}")), "{title} focused:\n{}", e.tui.screen());
    e.tui.send(&"\x7f".repeat(80));
    e.tui.type_text(text);
    e.tui.wait_for(&format!("{title} = {text}"), |s| {
        s.lines().any(|l| l.contains(&format!("▸ {title}")) && l.contains(text))
    });
}

#[test]
fn department_and_mobile_phone_then_a_confirmed_new_login_reach_the_org() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let before = profile(&e, LOGIN);
    open_form(&mut e, LOGIN);
    retype(&mut e, "Department", "Sales Ops");
    retype(&mut e, "Mobile phone", "+1 555 0199");
    e.tui.send(keys::CTRL_S);
    e.tui.wait_text(&format!("Saved {LOGIN}"));
    let mut expected = before.clone();
    expected.insert("department".into(), json!("Sales Ops"));
    expected.insert("mobilePhone".into(), json!("+1 555 0199"));
    assert_eq!(profile(&e, LOGIN), expected, "exactly the two attributes changed");
    e.tui.wait_for("the detail pane shows the saved user", |s| s.contains("Sales Ops") && !s.contains("Edit "));

    let renamed = "iris.renamed@example.org";
    e.tui.send("e");
    e.tui.wait_for("the filled form", |s| s.contains(&format!("Edit {LOGIN}")) && !s.contains("reading…"));
    retype(&mut e, "Username", renamed);
    e.tui.send(keys::CTRL_S);
    e.tui.wait_text("Change the username?");
    e.tui.send("y");
    e.tui.wait_text(&format!("Saved {renamed}"));
    let stored = e.user(renamed);
    assert_eq!(stored.profile_str("login"), Some(renamed));
    assert_eq!(stored.profile_str("department"), Some("Sales Ops"), "the earlier save is kept");
    assert!(e.rt.block_on(e.client.get_user(LOGIN)).is_err_and(|err| err.status() == Some(404)), "old login gone");
    e.quit();
}

#[test]
fn a_change_made_meanwhile_is_shown_and_only_the_chosen_values_are_stored() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    open_form(&mut e, LOGIN);
    retype(&mut e, "Mobile phone", "+1 555 0142");
    retype(&mut e, "Department", "Sales");

    // Another admin, through the API, after the form was filled.
    let read = e.rt.block_on(e.client.read_user(LOGIN)).expect("read");
    let etag = read.etag.clone().expect("an ETag");
    let theirs: Map<String, Value> =
        [("department".to_owned(), json!("Finance")), ("title".to_owned(), json!("Changed elsewhere"))]
            .into_iter()
            .collect();
    e.rt.block_on(e.client.update_profile(read.user.id(), &etag, &theirs)).expect("their change");
    let before_save = profile(&e, LOGIN);

    e.tui.send(keys::CTRL_S);
    let screen = e.tui.wait_text("Changed meanwhile");
    assert!(screen.contains("Finance") && screen.contains("(changed by both)"), "{screen}");
    // Keep my mobile phone; take their department.
    e.tui.send("j");
    e.tui.wait_text("▸ Department");
    e.tui.send("c");
    e.tui.wait_for("Finance chosen", |s| s.lines().any(|l| l.contains("Finance") && l.contains("◀ saved")));
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("Saved {LOGIN}"));

    let mut expected = before_save;
    expected.insert("mobilePhone".into(), json!("+1 555 0142"));
    let stored = profile(&e, LOGIN);
    assert_eq!(stored, expected, "their department and title, my mobile phone, nothing else");
    assert_eq!(stored.get("title"), Some(&json!("Changed elsewhere")), "their untouched change survives");
    e.quit();
}

#[test]
fn a_save_while_the_org_is_gone_keeps_the_input_and_goes_through_once_it_is_back() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let before = profile(&e, LOGIN);
    open_form(&mut e, LOGIN);
    retype(&mut e, "Department", "Night Shift");
    e.rt.block_on(e.org.stop());
    e.tui.send(keys::CTRL_S);
    let screen = e.tui.wait_text("Not saved");
    assert!(screen.contains("cannot reach the org") && screen.contains("input is kept"), "{screen}");
    assert!(screen.lines().any(|l| l.contains("▸ Department") && l.contains("Night Shift")), "{screen}");
    e.rt.block_on(e.org.restart()).expect("org back");
    e.tui.send(keys::CTRL_S);
    e.tui.wait_text(&format!("Saved {LOGIN}"));
    let mut expected = before;
    expected.insert("department".into(), json!("Night Shift"));
    assert_eq!(profile(&e, LOGIN), expected);
    e.quit();
}
