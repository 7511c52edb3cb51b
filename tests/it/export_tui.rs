//! `x` in the TUI: the list as shown becomes a JSON-lines file, in the
//! pure app and through the real binary against an embedded org.

use crate::e2e_tui::E2e;
use crate::sim::{Sim, api_error, users};
use oktui::app::export::Exported;
use oktui::app::messages::Level;
use oktui::app::{ApiResult, Effect, Msg, Overlay, ReqId};
use oktui::emulator::OrgConfig;
use oktui::export::{Query, Summary};
use oktui::okta::UserStatus;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

fn take_export(sim: &mut Sim) -> (ReqId, Query, PathBuf) {
    match sim.take("export", |e| matches!(e, Effect::Export { .. })) {
        Effect::Export { req, query, file, .. } => (req, query, file),
        _ => unreachable!(),
    }
}

fn last(sim: &Sim) -> (Level, String) {
    let entry = sim.state.messages.entries.last().expect("a message");
    (entry.level, entry.text.clone())
}

#[test]
fn x_exports_the_plain_list_and_says_where_the_file_is() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('x');
    sim.key(crossterm::event::KeyCode::Enter);
    let (req, query, file) = take_export(&mut sim);
    assert_eq!(query, Query::All, "the unfiltered list exports as the plain listing");
    assert_eq!(file, PathBuf::from("oktui-users-20240610-120000.jsonl"));
    assert!(sim.state.busy(), "the spinner runs while exporting");

    // One export at a time.
    sim.ch('x');
    assert!(!sim.has(|e| matches!(e, Effect::Export { .. })));
    assert_eq!(last(&sim).0, Level::Error);
    assert!(last(&sim).1.contains("still running"), "{:?}", last(&sim));

    sim.send(Msg::Api(req, ApiResult::ExportProgress(200)));
    assert_eq!(sim.state.export.as_ref().map(|j| j.users), Some(200));
    // A stale progress report (another request id) changes nothing.
    sim.send(Msg::Api(ReqId(9999), ApiResult::ExportProgress(5)));
    assert_eq!(sim.state.export.as_ref().map(|j| j.users), Some(200));

    let summary = Summary {
        users: 3,
        pages: 1,
        discarded_pages: 0,
        partitions: 1,
        elapsed: Duration::from_millis(40),
        retries: 0,
    };
    let path = PathBuf::from("/home/admin/oktui-users-20240610-120000.jsonl");
    sim.send(Msg::Api(req, ApiResult::Exported(Ok(Exported { path, summary }))));
    assert!(sim.state.export.is_none());
    assert!(!sim.state.busy());
    assert_eq!(
        last(&sim),
        (Level::Success, "Exported 3 users to /home/admin/oktui-users-20240610-120000.jsonl in 0.0 s".into())
    );
}

#[test]
fn the_search_and_the_status_filter_export_as_one_search_without_the_sort() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('S');
    sim.ch('/');
    sim.type_text("profile.department eq \"Sales\"");
    sim.key(crossterm::event::KeyCode::Enter);
    sim.state.statuses.0.retain(|s| *s == UserStatus::Active);
    sim.ch('x');
    sim.key(crossterm::event::KeyCode::Enter);
    let (_, query, _) = take_export(&mut sim);
    assert_eq!(query, Query::Search(r#"profile.department eq "Sales" and status eq "ACTIVE""#.into()));
}

#[test]
fn quitting_during_an_export_asks_first_and_a_failure_says_nothing_was_written() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('x');
    sim.key(crossterm::event::KeyCode::Enter);
    let (req, _, _) = take_export(&mut sim);
    sim.ch('q');
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)), "q asks while an export runs");
    assert!(!sim.has(|e| matches!(e, Effect::Quit)));
    let screen = format!("{:?}", sim.render(100, 30).backend());
    assert!(screen.contains("The export to oktui-users-20240610-120000.jsonl is still running."), "{screen}");
    sim.ch('n');
    assert!(sim.state.overlay.is_none() && !sim.has(|e| matches!(e, Effect::Quit)));

    let failure = oktui::export::Error::Org { users: 400, source: api_error(500, json!({"errorCode": "E0000009"})) };
    sim.send(Msg::Api(req, ApiResult::Exported(Err(failure))));
    let (level, text) = last(&sim);
    assert_eq!(level, Level::Error);
    assert!(
        text.starts_with(
            "Export to oktui-users-20240610-120000.jsonl failed, no file written: the export stopped after 400 users"
        ),
        "{text}"
    );
    sim.ch('q');
    assert!(sim.has(|e| matches!(e, Effect::Quit)), "nothing left to lose: q quits");
}

#[test]
fn the_binary_writes_every_listed_user_to_the_file_it_names() {
    let mut e = E2e::start(OrgConfig::demo(crate::support::TOKEN));
    let listed = e.tui.wait_for("the whole first page", |s| s.contains(" users ─") || s.contains(" users·"));
    e.tui.send("x");
    e.tui.wait_text("Enter export");
    e.tui.send("\r");
    let screen = e.tui.wait_for("the export", |s| s.contains("Exported ") || s.contains("failed"));
    let line = screen.lines().find(|l| l.contains("Exported ")).unwrap_or_else(|| panic!("no summary:\n{screen}"));
    let path = line.split(" to ").nth(1).and_then(|rest| rest.split(" in ").next()).expect("a path").trim();
    let path = PathBuf::from(path);
    assert!(path.is_absolute() && path.starts_with(e.tui.dir()), "{path:?} beside where oktui runs");
    let text = std::fs::read_to_string(&path).expect("the file");
    let exported: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let count = |s: &str| s.split(" users").next().and_then(|t| t.rsplit(' ').next()).and_then(|n| n.parse().ok());
    let shown: usize = listed.lines().find_map(|l| l.split("Users · ").nth(1)).and_then(count).expect("list count");
    assert_eq!(exported.len(), shown, "the file holds the users the list counts");
    let mut ids: Vec<&str> = exported.iter().map(|u| u["id"].as_str().expect("id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), shown, "no user twice");
    assert!(exported.iter().all(|u| u["status"] != "DEPROVISIONED"), "as listed: no deactivated users");
    assert!(exported.iter().all(|u| u["profile"]["login"].is_string()), "full objects, not rows");
    e.quit();
}

fn take_export_format(sim: &mut Sim) -> (ReqId, oktui::export::Format, PathBuf) {
    match sim.take("export", |e| matches!(e, Effect::Export { .. })) {
        Effect::Export { req, format, file, .. } => (req, format, file),
        _ => unreachable!(),
    }
}

#[test]
fn csv_and_its_columns_are_chosen_as_on_the_command_line() {
    use crossterm::event::KeyCode;
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('x');
    assert!(matches!(sim.state.overlay, Some(Overlay::Export(_))), "e asks first");
    sim.key(KeyCode::Right);
    sim.key(KeyCode::Tab);
    // Replace the default columns with two of our own, one of them bad.
    for _ in 0..200 {
        sim.key(KeyCode::Backspace);
    }
    sim.type_text("id,profile.login,not a column");
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Export { .. })), "a bad column is not sent");
    let Some(Overlay::Export(dialog)) = &sim.state.overlay else { panic!("the dialog stays") };
    assert!(dialog.error.as_deref().is_some_and(|e| e.contains("'not a column' is not a column")), "{dialog:?}");
    for _ in 0.."not a column".len() + 1 {
        sim.key(KeyCode::Backspace);
    }
    sim.key(KeyCode::Enter);
    let (_, format, file) = take_export_format(&mut sim);
    let expected = oktui::export::Format::csv(&["id".into(), "profile.login".into()]).expect("columns");
    assert_eq!(format, expected);
    assert_eq!(file, PathBuf::from("oktui-users-20240610-120000.csv"));
}

#[test]
fn an_export_that_matches_nobody_says_so_instead_of_writing_an_empty_file() {
    let mut sim = Sim::started_with(&[], None);
    sim.ch('x');
    assert!(sim.state.overlay.is_none() && !sim.has(|e| matches!(e, Effect::Export { .. })), "nothing to ask");
    assert!(last(&sim).1.contains("Nothing to export"), "{:?}", last(&sim));
    // When the list was not all loaded, the org's answer tells.
    let mut sim = Sim::started_with(&users(3), Some("https://acme.okta.com/api/v1/users?after=x"));
    sim.ch('x');
    sim.key(crossterm::event::KeyCode::Enter);
    let (req, _, _) = take_export(&mut sim);
    let summary = Summary {
        users: 0,
        pages: 1,
        discarded_pages: 0,
        partitions: 1,
        elapsed: Duration::from_millis(5),
        retries: 0,
    };
    sim.send(Msg::Api(req, ApiResult::Exported(Ok(Exported { path: "/tmp/x.jsonl".into(), summary }))));
    assert!(last(&sim).1.contains("no file written"), "{:?}", last(&sim));
}

#[test]
fn the_binary_writes_the_chosen_csv_columns_and_no_file_when_nothing_matches() {
    let mut e = E2e::start(OrgConfig::demo(crate::support::TOKEN));
    e.tui.send("x");
    e.tui.wait_text("Enter export");
    e.tui.send("\x1b[C"); // Right: CSV
    e.tui.wait_text("Columns");
    e.tui.send("\t");
    e.tui.send(&"\x7f".repeat(120));
    e.tui.type_text("id,profile.login");
    e.tui.send("\r");
    let screen = e.tui.wait_for("the export", |s| s.contains("Exported ") || s.contains("failed"));
    let line = screen.lines().find(|l| l.contains("Exported ")).unwrap_or_else(|| panic!("no summary:\n{screen}"));
    let path = line.split(" to ").nth(1).and_then(|rest| rest.split(" in ").next()).expect("a path").trim();
    let text = std::fs::read_to_string(path).expect("the file");
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("id,profile.login"), "the chosen columns");
    assert!(rows.next().is_some_and(|r| r.starts_with("00u")), "{text}");
    // A search that matches nobody, exported before the empty list shows.
    e.tui.send("/");
    e.tui.type_text("profile.login eq \"nobody@nowhere.example\"");
    e.tui.send("\r");
    e.tui.wait_text("No users match");
    e.tui.send("x");
    e.tui.wait_text("Nothing to export");
    let files: Vec<_> = std::fs::read_dir(e.tui.dir()).expect("dir").flatten().map(|f| f.file_name()).collect();
    let exports = files.iter().filter(|f| f.to_string_lossy().starts_with("oktui-users-")).count();
    assert_eq!(exports, 1, "only the CSV: {files:?}");
    e.quit();
}
