//! `e` in the TUI: the list as shown becomes a JSON-lines file, in the
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
        Effect::Export { req, query, file } => (req, query, file),
        _ => unreachable!(),
    }
}

fn last(sim: &Sim) -> (Level, String) {
    let entry = sim.state.messages.entries.last().expect("a message");
    (entry.level, entry.text.clone())
}

#[test]
fn e_exports_the_plain_list_and_says_where_the_file_is() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('e');
    let (req, query, file) = take_export(&mut sim);
    assert_eq!(query, Query::All, "the unfiltered list exports as the plain listing");
    assert_eq!(file, PathBuf::from("oktui-users-20240610-120000.jsonl"));
    assert!(sim.state.busy(), "the spinner runs while exporting");

    // One export at a time.
    sim.ch('e');
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
    sim.ch('e');
    let (_, query, _) = take_export(&mut sim);
    assert_eq!(query, Query::Search(r#"profile.department eq "Sales" and status eq "ACTIVE""#.into()));
}

#[test]
fn quitting_during_an_export_asks_first_and_a_failure_says_nothing_was_written() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('e');
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
    e.tui.send("e");
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
