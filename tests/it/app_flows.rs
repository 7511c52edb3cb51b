//! Pure `update` tests: every flow driven through messages, asserting the
//! state and the effects. No network, no terminal.

use crate::sim::{Sim, api_error, full_user_json, user_json, users};
use crossterm::event::KeyCode;
use oktui::app::list::Paging;
use oktui::app::{ApiResult, Effect, Load, Msg, Overlay, PageFrom, Pane};
use oktui::okta::User;
use serde_json::json;

const NEXT: &str = "https://acme.okta.com/api/v1/users?after=abc&limit=200";

fn query_of(from: &PageFrom) -> oktui::okta::UserQuery {
    match from {
        PageFrom::First(q) => q.clone(),
        PageFrom::Next(url) => panic!("expected a first page, got {url}"),
    }
}

#[test]
fn start_asks_for_me_and_the_first_page_only() {
    let mut sim = Sim::new();
    sim.start();
    assert_eq!(sim.effects.len(), 4, "me, schema, types and one page: {:#?}", sim.effects);
    let (_, from) = sim.take_page_request();
    assert_eq!(query_of(&from), oktui::okta::UserQuery::default().with_limit(200), "the plain listing, cheapest call");
    assert!(sim.state.busy());
}

#[test]
fn pages_load_as_the_cursor_nears_the_end_following_the_next_link() {
    let page: Vec<_> = (0..200).map(|i| user_json(i, "ACTIVE")).collect();
    let mut sim = Sim::new();
    sim.start();
    sim.answer_me("admin@example.com");
    sim.answer_page(&page, Some(NEXT));
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "not near the end yet");
    for _ in 0..149 {
        sim.key(KeyCode::Down);
    }
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })));
    sim.key(KeyCode::Down);
    let (req, from) = sim.take_page_request();
    assert_eq!(from, PageFrom::Next(NEXT.parse().unwrap()), "the Link is followed as given");
    assert_eq!(sim.state.list.paging, Paging::Loading(req));
    sim.answer_page_for(req, &users(5), None);
    assert_eq!(sim.state.list.rows.len(), 205);
    assert_eq!(sim.state.list.paging, Paging::Done);
}

#[test]
fn bottom_goes_to_the_last_loaded_row_and_loads_more() {
    let page: Vec<_> = (0..200).map(|i| user_json(i, "ACTIVE")).collect();
    let mut sim = Sim::started_with(&page, Some(NEXT));
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "far from the end: nothing asked yet");
    sim.ch('G');
    assert_eq!(sim.state.list.selected, 199);
    let (_, from) = sim.take_page_request();
    assert_eq!(from, PageFrom::Next(NEXT.parse().unwrap()), "G asks for the next page");
}

#[test]
fn a_failed_page_is_shown_and_refresh_recovers() {
    let mut sim = Sim::new();
    sim.start();
    let (req, _) = sim.take_page_request();
    sim.send(Msg::Api(
        req,
        ApiResult::Page(Err(api_error(503, json!({"errorCode": "E0000009", "errorSummary": "Service unavailable"})))),
    ));
    assert!(matches!(sim.state.list.paging, Paging::Failed(ref e) if e.contains("Service unavailable")));
    assert!(sim.state.messages.entries.iter().any(|e| e.text.contains("Service unavailable")));
    sim.ch('R');
    sim.answer_page(&users(3), None);
    assert_eq!(sim.state.list.rows.len(), 3);
}

#[test]
fn detail_is_fetched_when_the_cursor_rests_and_stale_answers_are_dropped() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.fire_timers();
    let Effect::FetchUser { req: first, id } = sim.take("fetch", |e| matches!(e, Effect::FetchUser { .. })) else {
        unreachable!()
    };
    assert_eq!(id, "00u00000000000000000");
    // The cursor moves on before the answer arrives.
    sim.key(KeyCode::Down);
    sim.send(Msg::Api(first, ApiResult::User(Ok(User::from_json(full_user_json(0, "ACTIVE")).unwrap()))));
    assert_eq!(sim.state.detail.user, Load::Idle, "the answer for the old row is dropped");
    // Moving twice quickly schedules two timers; only the latest fetches.
    sim.key(KeyCode::Down);
    sim.fire_timers();
    let fetches: Vec<_> = sim.effects.iter().filter(|e| matches!(e, Effect::FetchUser { .. })).collect();
    assert_eq!(fetches.len(), 1, "{fetches:#?}");
    sim.answer_detail(full_user_json(2, "PROVISIONED"));
    assert_eq!(sim.state.shown_user().map(User::id), Some("00u00000000000000002"));
}

#[test]
fn revisiting_a_user_uses_the_cache() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.key(KeyCode::Down);
    sim.answer_detail(full_user_json(1, "STAGED"));
    sim.key(KeyCode::Up);
    assert!(matches!(sim.state.detail.user, Load::Loaded(ref u) if u.id() == "00u00000000000000000"));
    sim.fire_timers();
    assert!(!sim.has(|e| matches!(e, Effect::FetchUser { .. })), "no refetch");
}

#[test]
fn detail_pane_scrolls_and_toggles_raw_json() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.key(KeyCode::Tab);
    assert_eq!(sim.state.focus, Pane::Detail);
    sim.ch('j');
    sim.ch('j');
    assert_eq!(sim.state.detail.scroll, 2);
    assert_eq!(sim.state.list.selected, 0, "j scrolls the pane, not the list");
    sim.ch('r');
    assert_eq!(sim.state.detail.view, oktui::app::detail::View::Raw);
    assert_eq!(sim.state.detail.scroll, 0);
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.focus, Pane::List);
}

#[test]
fn typing_a_search_is_debounced_and_only_the_latest_applies() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('/');
    sim.type_text("ada");
    let timers = sim
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::Schedule { timer: oktui::app::Timer::SearchDebounce(_), .. }))
        .count();
    assert_eq!(timers, 3, "one timer per keystroke");
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "nothing sent while typing");
    sim.fire_timers();
    let (_, from) = sim.take_page_request();
    let query = query_of(&from);
    let search = query.search.expect("a search= query");
    assert!(search.contains(r#"profile.login sw "ada""#), "{search}");
    assert!(search.contains(r#"profile.lastName sw "ada""#), "{search}");
    assert!(search.contains(r#"status lt "DEPROVISIONED""#), "deactivated users stay hidden: {search}");
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "older timers did not refetch");
}

#[test]
fn very_short_input_uses_q() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('/');
    sim.type_text("ad");
    sim.fire_timers();
    let query = query_of(&sim.take_page_request().1);
    assert_eq!(query.q.as_deref(), Some("ad"));
    assert_eq!(query.search, None);
}

#[test]
fn an_expression_is_checked_before_sending() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('/');
    sim.type_text(r#"profile.department eq "Sales"#);
    assert!(sim.state.search.error.is_some(), "unclosed string is reported");
    assert!(
        !sim.has(|e| matches!(e, Effect::Schedule { .. } | Effect::FetchPage { .. })) || {
            sim.fire_timers();
            !sim.has(|e| matches!(e, Effect::FetchPage { .. }))
        }
    );
    sim.ch('"');
    assert_eq!(sim.state.search.error, None);
    sim.type_text(r#" and status eq "ACTIVE""#);
    sim.fire_timers();
    let search = query_of(&sim.take_page_request().1).search.expect("search");
    assert!(search.contains(r#"profile.department eq "Sales""#), "{search}");
    assert!(search.contains(r#"status eq "ACTIVE""#), "{search}");
}

#[test]
fn esc_clears_the_search_and_lists_everyone_again() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('/');
    sim.type_text("blake");
    sim.fire_timers();
    sim.answer_page(&users(1), None);
    sim.key(KeyCode::Esc);
    let query = query_of(&sim.take_page_request().1);
    assert_eq!(query, oktui::okta::UserQuery::default().with_limit(200));
    assert_eq!(sim.state.search.input.value(), "");
}

#[test]
fn enter_on_an_empty_result_opens_the_exact_login_directly() {
    let mut sim = Sim::started_with(&users(5), None);
    let req = sim.look_up("zed@example.com");
    let found = User::from_json(full_user_json(42, "SUSPENDED")).unwrap();
    sim.send(Msg::Api(req, ApiResult::Lookup(Ok(found))));
    assert_eq!(sim.state.list.rows.len(), 1);
    assert_eq!(sim.state.shown_user().map(User::id), Some("00u00000000000000042"));
}

#[test]
fn status_filter_builds_a_status_search() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('s');
    let Some(Overlay::StatusPicker { .. }) = sim.state.overlay else { panic!("picker open") };
    // Untick everything but ACTIVE and SUSPENDED: start from none.
    for _ in 0..8 {
        sim.ch(' ');
        sim.key(KeyCode::Down);
    }
    // Now only DEPROVISIONED is ticked (it was the only unticked one).
    sim.key(KeyCode::Enter);
    let search = query_of(&sim.take_page_request().1).search.expect("search");
    assert_eq!(search, r#"status eq "DEPROVISIONED""#);
}

#[test]
fn sort_cycles_and_is_sent_as_sort_by() {
    let mut sim = Sim::started_with(&users(5), None);
    sim.ch('S');
    let q = query_of(&sim.take_page_request().1);
    assert_eq!((q.sort_by.as_deref(), q.sort_desc), (Some("status"), false));
    assert!(q.search.is_some(), "Okta sorts searches only");
    sim.ch('S');
    let q = query_of(&sim.take_page_request().1);
    assert_eq!((q.sort_by.as_deref(), q.sort_desc), (Some("status"), true));
    sim.ch('S');
    let q = query_of(&sim.take_page_request().1);
    assert_eq!(q.sort_by.as_deref(), Some("profile.lastName"));
}

#[test]
fn copy_keys_copy_the_shown_user() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.ch('y');
    sim.ch('Y');
    sim.ch('J');
    let copies: Vec<String> = sim
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Copy(t) => Some(t.expose().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(copies[0], "00u00000000000000000");
    assert_eq!(copies[1], "avery.fixture0@example.com");
    assert!(copies[2].contains("\"_links\""));
}

#[test]
fn ctrl_c_with_unsaved_form_input_asks_first() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('n');
    sim.type_text("Ro");
    sim.ctrl('c');
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)));
    assert!(!sim.has(|e| matches!(e, Effect::Quit)));
    sim.ch('n');
    assert_eq!(sim.state.form.as_ref().unwrap().field("firstName").unwrap().input.value(), "Ro", "still there");
    sim.ctrl('c');
    sim.ch('y');
    assert!(sim.has(|e| matches!(e, Effect::Quit)));
}

#[test]
fn q_types_into_inputs_and_quits_elsewhere() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('/');
    sim.ch('q');
    assert!(!sim.has(|e| matches!(e, Effect::Quit)));
    assert_eq!(sim.state.search.input.value(), "q");
    sim.key(KeyCode::Down);
    sim.ch('q');
    assert!(sim.has(|e| matches!(e, Effect::Quit)));
}

#[test]
fn nothing_changed_means_no_frame() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('Z');
    assert!(!sim.state.dirty, "an unbound key draws nothing");
    sim.send(Msg::Api(
        oktui::app::ReqId(9999),
        ApiResult::User(Ok(User::from_json(full_user_json(0, "ACTIVE")).unwrap())),
    ));
    assert!(!sim.state.dirty, "a stale answer draws nothing");
    sim.key(KeyCode::Down);
    assert!(sim.state.dirty);
}

/// Where `text` is on `screen`: (column, row).
fn position_of(screen: &str, text: &str) -> (u16, u16) {
    let (row, line) = screen.lines().enumerate().find(|(_, l)| l.contains(text)).unwrap_or_else(|| {
        panic!("{text:?} is not on screen:\n{screen}");
    });
    let column = line[..line.find(text).unwrap_or(0)].chars().count();
    (column as u16, row as u16)
}

#[test]
fn mouse_wheel_scrolls_and_a_click_selects() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let at = |kind, (column, row): (u16, u16)| {
        Msg::Mouse(MouseEvent { kind, column, row, modifiers: crossterm::event::KeyModifiers::NONE })
    };
    for (w, h) in [(80, 24), (140, 42)] {
        let mut sim = Sim::started_with(&users(10), None);
        sim.answer_detail(full_user_json(0, "ACTIVE"));
        // Where things are comes from the real layout's frame.
        let screen = sim.resize(w, h);
        sim.send(at(MouseEventKind::ScrollDown, position_of(&screen, "Blake Fixture1")));
        assert_eq!(sim.state.list.selected, 3, "{w}×{h}: the wheel over the list moves the cursor");
        sim.send(at(MouseEventKind::Down(MouseButton::Left), position_of(&screen, "Harper Fixture7")));
        assert_eq!(sim.state.list.selected, 7, "{w}×{h}: a click selects the row clicked");
        sim.send(at(MouseEventKind::ScrollDown, position_of(&screen, "Profile")));
        assert_eq!(sim.state.detail.scroll, 3, "{w}×{h}: the wheel over the detail pane scrolls it");
    }
}

#[test]
fn a_failed_next_page_is_retried_where_it_failed() {
    let mut sim = Sim::started_with(&users(7), Some(NEXT));
    let (req, from) = sim.take_page_request();
    assert_eq!(from, PageFrom::Next(NEXT.parse().unwrap()));
    sim.send(Msg::Api(
        req,
        ApiResult::Page(Err(api_error(500, json!({"errorCode": "E0000009", "errorSummary": "Internal Server Error"})))),
    ));
    assert_eq!(sim.state.list.rows.len(), 7, "rows kept");
    sim.ch('R');
    let (req, from) = sim.take_page_request();
    assert_eq!(from, PageFrom::Next(NEXT.parse().unwrap()), "the failed page, not the first");
    sim.answer_page_for(req, &users(3), None);
    assert_eq!(sim.state.list.rows.len(), 10);
}
