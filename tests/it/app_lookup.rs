//! Opening a user by exact id or login from a search that found nothing:
//! found, not found, failed, and an answer that comes after the search
//! changed. Pure `update` tests.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::{ApiResult, Effect, Msg, ReqId};
use oktui::okta::User;
use serde_json::json;

/// The lookup for `text`, shown as work in progress.
fn look_up(sim: &mut Sim, text: &str) -> ReqId {
    let req = sim.look_up(text);
    assert!(sim.state.busy(), "the lookup shows as work in progress");
    req
}

fn messages(sim: &Sim) -> Vec<String> {
    sim.state.messages.entries.iter().map(|e| e.text.clone()).collect()
}

#[test]
fn an_exact_id_opens_that_user() {
    let mut sim = Sim::started_with(&users(5), None);
    let req = look_up(&mut sim, "00u00000000000000042");
    sim.send(Msg::Api(req, ApiResult::Lookup(Ok(User::from_json(full_user_json(42, "SUSPENDED")).unwrap()))));
    assert_eq!(sim.state.shown_user().map(User::id), Some("00u00000000000000042"));
    assert_eq!(sim.state.list.rows.len(), 1, "the user is the list's one row");
    assert_eq!(sim.state.list.selected, 0);
    assert!(!sim.state.search.editing, "the search box lets go of the keys");
    // The opened user's groups are asked for, and then nothing is pending.
    sim.answer_groups(&["Everyone"]);
    assert!(!sim.state.busy());
    let screen = sim.screen(120, 40);
    assert!(screen.contains("Casey Fixture42"), "the user is on screen:\n{screen}");
}

#[test]
fn enter_looks_up_only_when_the_search_found_nothing() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('/');
    sim.type_text("avery");
    sim.key(KeyCode::Enter);
    sim.answer_page(&users(1), None);
    sim.ch('/');
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Lookup { .. })), "a search with results opens no lookup");
}

#[test]
fn no_such_user_says_so() {
    let mut sim = Sim::started_with(&users(5), None);
    let req = look_up(&mut sim, "nobody@example.com");
    let not_found = api_error(404, json!({"errorCode": "E0000007", "errorSummary": "Not found: Resource not found"}));
    sim.send(Msg::Api(req, ApiResult::Lookup(Err(not_found))));
    assert!(
        messages(&sim).contains(&"No user has the id or login nobody@example.com".to_owned()),
        "{:?}",
        messages(&sim)
    );
    assert_eq!(sim.state.shown_user(), None);
    assert!(sim.state.list.rows.is_empty(), "nothing is added");
    assert!(!sim.state.busy());
}

#[test]
fn a_failed_lookup_says_why_and_is_not_called_missing() {
    let mut sim = Sim::started_with(&users(5), None);
    let req = look_up(&mut sim, "someone@example.com");
    let failed = api_error(503, json!({"errorCode": "E0000010", "errorSummary": "Service is in read only mode"}));
    sim.send(Msg::Api(req, ApiResult::Lookup(Err(failed))));
    let log = messages(&sim);
    assert!(log.iter().any(|m| m.starts_with("Lookup failed: ") && m.contains("read only mode")), "{log:?}");
    assert!(!log.iter().any(|m| m.starts_with("No user has")), "a failure is not a missing user: {log:?}");
    assert_eq!(sim.state.shown_user(), None);
    assert!(!sim.state.busy());
}

#[test]
fn a_lookup_answer_after_the_search_changed_is_dropped() {
    for change in ["typed on", "cleared"] {
        let mut sim = Sim::started_with(&users(5), None);
        let req = look_up(&mut sim, "zed@example.com");
        match change {
            "typed on" => sim.ch('x'),
            _ => sim.key(KeyCode::Esc),
        }
        assert!(!sim.state.busy() || sim.state.list.is_loading(), "{change}: the lookup no longer counts as work");
        let late = User::from_json(full_user_json(42, "ACTIVE")).unwrap();
        sim.send(Msg::Api(req, ApiResult::Lookup(Ok(late))));
        assert_eq!(sim.state.shown_user(), None, "{change}: the late answer opens nothing");
        assert!(
            !sim.state.list.rows.iter().any(|r| r.id() == "00u00000000000000042"),
            "{change}: the late answer adds no row"
        );
        assert!(!sim.state.dirty, "{change}: a dropped answer draws nothing");
    }
}
