//! Screen snapshots: the UI drawn from fixed state onto a `TestBackend`.

use oktui::app::{self, ApiResult, Effect, Load, Msg, State};
use oktui::okta::{Page, User, rows_from_json};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

fn fixture_users() -> Vec<serde_json::Value> {
    let statuses = ["ACTIVE", "STAGED", "PROVISIONED", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED"];
    statuses
        .iter()
        .enumerate()
        .map(|(i, status)| {
            let first = ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray"][i];
            let login = format!("{}.fixture@example.com", first.to_lowercase());
            json!({
                "id": format!("00u000000000000000{i:02}"),
                "status": status,
                "created": "2024-05-01T10:00:00.000Z",
                "lastLogin": null,
                "lastUpdated": "2024-06-01T10:00:00.000Z",
                "profile": {"firstName": first, "lastName": "Fixture", "email": login, "login": login,
                            "department": "Engineering", "skills": ["rust"]},
                "credentials": {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}},
                "_links": {"self": {"href": format!("https://acme.okta.com/api/v1/users/00u000000000000000{i:02}")}}
            })
        })
        .collect()
}

fn render(state: &State, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            oktui::ui::draw(f, state);
        })
        .unwrap();
    terminal
}

/// Drives the app with the messages the driver would send.
fn loaded_state() -> State {
    let mut state = State::new("acme.okta.com");
    let effects = app::start(&mut state);
    let Some(Effect::FetchPage { req, .. }) = effects.first() else { panic!("first page requested: {effects:?}") };
    let users = fixture_users();
    let rows = rows_from_json(serde_json::to_vec(&users).unwrap().as_slice()).unwrap();
    let effects = app::update(&mut state, Msg::Api(*req, ApiResult::Page(Ok(Page { items: rows, next: None }))));
    let Some(Effect::FetchUser { req, .. }) = effects.first() else { panic!("selected user fetched: {effects:?}") };
    let user = User::from_json(users[0].clone()).unwrap();
    app::update(&mut state, Msg::Api(*req, ApiResult::User(Ok(user))));
    state
}

#[test]
fn loading_screen() {
    let mut state = State::new("acme.okta.com");
    app::start(&mut state);
    insta::assert_snapshot!(render(&state, 120, 20).backend());
}

#[test]
fn list_and_detail_screen() {
    let state = loaded_state();
    assert!(matches!(state.detail, Load::Loaded(_)));
    insta::assert_snapshot!(render(&state, 120, 40).backend());
}
