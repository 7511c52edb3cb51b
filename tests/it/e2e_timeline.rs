//! The System Log timeline in the real binary, in a pseudo-terminal,
//! against an embedded org: a department edit and a suspension made in the
//! TUI are on the user's timeline, the edit as
//! `department: old → new` with its actor and transaction; following
//! shows an event made through the API at the next poll. Tab 6 of the
//! detail pane shows the same events.

use crate::client_logs::{count, logs_stats};
use crate::e2e_edit::retype;
use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::TOKEN;
use futures::TryStreamExt;
use oktui::emulator::OrgConfig;
use oktui::okta::logs::LogQuery;
use oktui::okta::{LifecycleOp, LifecycleOptions};

#[test]
fn a_department_edit_and_a_suspension_in_the_tui_on_the_users_timeline_then_a_followed_event() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let login = e.first_login_with("status eq \"ACTIVE\" and profile.department eq \"Sales\"");
    e.search(&login, |s| s.contains(" 1 user "));
    // The department through the edit form, then a suspension through the
    // actions menu.
    e.tui.wait_text("│Profile");
    e.tui.send("e");
    e.tui.wait_for("the filled form", |s| s.contains(&format!("Edit {login}")) && !s.contains("reading…"));
    retype(&mut e, "Department", "Finance");
    e.tui.send(keys::CTRL_S);
    e.tui.wait_text(&format!("Saved {login}"));
    e.tui.wait_for("the form closed", |s| !s.contains(&format!("Edit {login}")));
    e.run_action("Suspend", None);
    let id = e.user(&login).id().to_owned();

    // Tab 6 shows them in the detail pane; `l` shows that tab maximised.
    e.tui.send("6");
    let tab = e.tui.wait_text("Profile changed: department");
    assert!(tab.contains("[Log]") && tab.contains("Suspended"), "{tab}");
    e.tui.send("l");
    let maximised = format!("┌ System Log · {login}");
    let screen = e.tui.wait_for("the tab maximised", |s| s.contains(&maximised) && s.contains("Profile changed"));
    let line = |text: &str| screen.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("{text}:\n{screen}"));
    assert!(line("Profile changed: department").contains("by admin@example.com"), "{screen}");
    assert!(line("Suspended").contains("by admin@example.com"), "{screen}");
    assert!(screen.contains(&format!("System Log · {login}")), "{screen}");

    // The edit, under the newer suspension: expanded, it shows the change,
    // who made it and in which request.
    e.tui.send("j");
    e.tui.send(keys::ENTER);
    let expanded = e.tui.wait_text("department: Sales → Finance");
    let query = LogQuery {
        filter: Some(format!(r#"target.id eq "{id}" and eventType eq "user.account.update_profile""#)),
        until: Some(jiff::Timestamp::now()),
        ..LogQuery::default()
    };
    let pages: Vec<_> = e.rt.block_on(e.client.list_logs(query).try_collect()).expect("the edit's event");
    let transaction = pages[0].items[0].transaction_id().expect("a transaction").to_owned();
    assert!(expanded.contains("Actor        admin@example.com"), "{expanded}");
    assert!(expanded.contains(&format!("Transaction  {transaction}")), "{expanded}");

    // Follow, then unsuspend through the API: the next poll shows it.
    e.tui.send(keys::ESC);
    e.tui.wait_for("the list again", |s| !s.contains("Raw JSON"));
    e.tui.send("f");
    e.tui.wait_text("following, 0 new");
    let polls_before = e.rt.block_on(logs_stats(&e.org)).clone();
    e.rt.block_on(e.client.run_lifecycle(&id, LifecycleOp::Unsuspend, &LifecycleOptions::default()))
        .expect("unsuspend");
    let screen = e.tui.wait_text("following, 1 new");
    assert!(screen.contains("Unsuspended · by admin@example.com"), "{screen}");
    let polls = count(&e.rt.block_on(logs_stats(&e.org)), "requests") - count(&polls_before, "requests");
    // The poll after the change brought it (one more may have been in
    // flight when the change was made): within one polling interval.
    assert!(polls <= 2, "{polls} polls before the event showed");
    e.quit();
}
