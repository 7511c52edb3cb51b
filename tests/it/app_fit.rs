//! Pure `update` tests for the fit-and-finish issue's behaviour bugs: what
//! a new admin ran into, each driven through messages as the driver would.

use crate::sim::{Sim, api_error, full_user_json, user_json, users};
use crossterm::event::KeyCode;
use oktui::app::list::{Column, Paging, Sort};
use oktui::app::{ApiResult, Created, Effect, Load, Msg, Overlay};
use oktui::okta::{Error, LifecycleOp, User};
use serde_json::json;

fn user(i: usize, status: &str) -> User {
    User::from_json(full_user_json(i, status)).expect("user")
}

/// Answers whatever detail and groups fetches are pending, as the driver
/// would, until nothing is left to fetch.
fn settle(sim: &mut Sim) {
    for _ in 0..5 {
        sim.fire_timers();
        let pending: Vec<Effect> = sim
            .effects
            .iter()
            .filter(|e| matches!(e, Effect::FetchUser { .. } | Effect::FetchGroups { .. }))
            .cloned()
            .collect();
        sim.effects.retain(|e| !matches!(e, Effect::FetchUser { .. } | Effect::FetchGroups { .. }));
        for effect in pending {
            match effect {
                Effect::FetchUser { req, id } => {
                    let i: usize = id.trim_start_matches("00u").parse().expect("fixture id");
                    sim.send(Msg::Api(req, ApiResult::User(Ok(user(i, "ACTIVE")))));
                }
                Effect::FetchGroups { req, .. } => sim.send(Msg::Api(req, ApiResult::Groups(Ok(Vec::new())))),
                _ => {}
            }
        }
    }
}

fn assert_groups_settled(sim: &Sim, how: &str) {
    assert!(
        matches!(sim.state.detail.groups, Load::Loaded(_) | Load::Failed(_)),
        "after {how} the groups must end loaded or failed, not {:?}",
        sim.state.detail.groups
    );
}

fn created(sim: &mut Sim, req: oktui::app::ReqId, user: User) {
    sim.send(Msg::Api(req, ApiResult::Created(Ok(Created { user, activation: None }))));
}

/// Opens the form, fills it and sends it; returns the create's request id.
fn create(sim: &mut Sim, another: bool) -> oktui::app::ReqId {
    sim.ch('n');
    for text in ["Robin", "Case", "robin.case@example.com"] {
        sim.type_text(text);
        sim.key(KeyCode::Tab);
    }
    if another {
        for _ in 0..200 {
            if sim.state.form.as_ref().is_some_and(|f| f.focus == oktui::app::form::Item::CreateAnother) {
                break;
            }
            sim.key(KeyCode::Tab);
        }
        sim.key(KeyCode::Enter);
    } else {
        sim.ctrl('s');
    }
    match sim.take("create", |e| matches!(e, Effect::CreateUser { .. })) {
        Effect::CreateUser { req, .. } => req,
        _ => unreachable!(),
    }
}

#[test]
fn groups_end_loaded_after_opening_a_user_by_id_from_search() {
    let mut sim = Sim::started_with(&users(3), None);
    settle(&mut sim);
    let req = sim.look_up("00u00000000000000042");
    sim.send(Msg::Api(req, ApiResult::Lookup(Ok(user(42, "ACTIVE")))));
    settle(&mut sim);
    assert_groups_settled(&sim, "opening by id");
}

#[test]
fn groups_end_loaded_after_creating_a_user_and_after_create_another() {
    for another in [false, true] {
        let mut sim = Sim::started_with(&users(3), None);
        settle(&mut sim);
        let req = create(&mut sim, another);
        created(&mut sim, req, user(60, "ACTIVE"));
        settle(&mut sim);
        assert_eq!(sim.state.detail.id.as_deref(), Some("00u00000000000000060"), "another: {another}");
        assert_groups_settled(&sim, if another { "create and add another" } else { "create" });
    }
}

#[test]
fn groups_end_loaded_whichever_way_the_cursor_reaches_a_user() {
    let mut sim = Sim::started_with(&users(5), None);
    settle(&mut sim);
    assert_groups_settled(&sim, "the first page");
    sim.key(KeyCode::Down);
    settle(&mut sim);
    assert_groups_settled(&sim, "moving down");
    sim.key(KeyCode::Up);
    settle(&mut sim);
    assert_groups_settled(&sim, "coming back to a cached user");
    sim.ch('G');
    settle(&mut sim);
    assert_groups_settled(&sim, "G");
    sim.ch('R');
    sim.answer_page(&users(5), None);
    settle(&mut sim);
    assert_groups_settled(&sim, "R");
}

fn run_lifecycle(sim: &mut Sim, label: &str) -> oktui::app::ReqId {
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| op.label() == label).unwrap_or_else(|| panic!("{label} offered"));
    sim.ch(char::from(b'1' + i as u8));
    if sim.state.overlay.as_ref().is_some_and(|o| matches!(o, Overlay::Confirm(c) if c.typed.is_some())) {
        let login = sim.state.shown_user().map(|u| u.login().to_owned()).unwrap_or_default();
        sim.type_text(&login);
    }
    sim.key(KeyCode::Enter);
    match sim.take("lifecycle", |e| matches!(e, Effect::RunLifecycle { .. })) {
        Effect::RunLifecycle { req, .. } => req,
        _ => unreachable!(),
    }
}

fn lost_answer() -> Error {
    Error::Network("connection closed before the answer came".into())
}

#[test]
fn after_a_lost_lifecycle_answer_the_user_is_read_again_and_the_truth_shown() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    let req = run_lifecycle(&mut sim, "Suspend");
    sim.send(Msg::Api(req, ApiResult::Lifecycle(Err(lost_answer()))));
    assert!(sim.state.overlay.is_none(), "the dialog closes: its premise is stale");
    assert!(sim.state.messages.entries.iter().any(|e| e.text.contains("Suspend failed")));
    // The org carried the suspend out before the answer was lost.
    sim.answer_detail(full_user_json(0, "SUSPENDED"));
    assert_eq!(sim.state.list.rows[0].status(), Some(oktui::okta::UserStatus::Suspended), "list");
    assert_eq!(sim.state.shown_user().map(User::status_str), Some("SUSPENDED"), "detail");
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    assert!(menu.ops.contains(&LifecycleOp::Unsuspend) && !menu.ops.contains(&LifecycleOp::Suspend), "menu");
}

#[test]
fn after_a_refused_lifecycle_action_the_user_is_read_again() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    let req = run_lifecycle(&mut sim, "Suspend");
    let refused = api_error(
        403,
        json!({"errorCode": "E0000038", "errorSummary": "This operation is not allowed in the user's current status."}),
    );
    sim.send(Msg::Api(req, ApiResult::Lifecycle(Err(refused))));
    assert!(sim.state.messages.entries.iter().any(|e| e.text.contains("E0000038") || e.text.contains("not allowed")));
    sim.answer_detail(full_user_json(0, "DEPROVISIONED"));
    assert_eq!(sim.state.list.rows[0].status(), Some(oktui::okta::UserStatus::Deprovisioned));
}

#[test]
fn a_user_gone_when_read_again_leaves_the_list() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "DEPROVISIONED"));
    let req = run_lifecycle(&mut sim, "Delete");
    sim.send(Msg::Api(req, ApiResult::Lifecycle(Err(lost_answer()))));
    sim.fire_timers();
    let Effect::FetchUser { req, .. } = sim.take("re-read", |e| matches!(e, Effect::FetchUser { .. })) else {
        unreachable!()
    };
    let gone = api_error(404, json!({"errorCode": "E0000007", "errorSummary": "Not found: Resource not found"}));
    sim.send(Msg::Api(req, ApiResult::User(Err(gone))));
    assert!(sim.state.list.rows.iter().all(|r| r.id() != "00u00000000000000000"), "the deleted user left the list");
}

#[test]
fn typing_in_the_confirmation_goes_to_the_login_from_the_first_key() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| *op == LifecycleOp::Deactivate).expect("deactivate offered");
    sim.ch(char::from(b'1' + i as u8));
    // j, k and space are keys the dialog's options use: here they are text.
    sim.type_text("j k");
    let Some(Overlay::Confirm(confirm)) = &sim.state.overlay else { panic!("confirm open") };
    assert_eq!(confirm.typed.as_ref().map(|t| t.value()), Some("j k"));
    assert!(!confirm.options[0].1, "the checkbox was not toggled by the space");
    for _ in 0..3 {
        sim.key(KeyCode::Backspace);
    }
    sim.type_text("avery.fixture0@example.com");
    sim.key(KeyCode::Enter);
    assert!(sim.has(|e| matches!(e, Effect::RunLifecycle { op: LifecycleOp::Deactivate, .. })), "runs on first try");
}

#[test]
fn the_confirmation_checkbox_is_reachable_with_tab() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| *op == LifecycleOp::Deactivate).expect("deactivate offered");
    sim.ch(char::from(b'1' + i as u8));
    let screen = sim.screen(120, 30);
    assert!(screen.contains("Tab to the options"), "the hint says where the options are:\n{screen}");
    sim.key(KeyCode::Tab);
    sim.ch(' ');
    let Some(Overlay::Confirm(confirm)) = &sim.state.overlay else { panic!("confirm open") };
    assert!(confirm.options[0].1, "Tab then Space ticks the email option");
    assert_eq!(confirm.typed.as_ref().map(|t| t.value()), Some(""));
    let screen = sim.screen(120, 30);
    assert!(screen.contains("Space toggle · Tab next"), "on the option, how to tick it:\n{screen}");
}

#[test]
fn a_partial_or_wrong_login_does_not_run_the_deletion() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "DEPROVISIONED"));
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| *op == LifecycleOp::Delete).expect("delete offered");
    sim.ch(char::from(b'1' + i as u8));
    assert!(matches!(&sim.state.overlay, Some(Overlay::Confirm(c)) if c.op == LifecycleOp::Delete));
    for typed in ["avery.fixture0", "blake.fixture1@example.com"] {
        sim.type_text(typed);
        sim.key(KeyCode::Enter);
        assert!(!sim.has(|e| matches!(e, Effect::RunLifecycle { .. })), "{typed} must not delete");
        for _ in typed.chars() {
            sim.key(KeyCode::Backspace);
        }
    }
}

#[test]
fn progress_messages_leave_the_status_line_when_the_work_ends() {
    let mut sim = Sim::started_with(&users(3), None);
    let req = sim.look_up("zed@example.com");
    let toast = |sim: &Sim| sim.state.messages.toast(sim.state.now).map(|e| e.text.clone());
    assert!(toast(&sim).is_some_and(|t| t.starts_with("Looking up")));
    sim.send(Msg::Api(req, ApiResult::Lookup(Ok(user(42, "ACTIVE")))));
    assert!(!toast(&sim).is_some_and(|t| t.starts_with("Looking up")), "still {:?}", toast(&sim));
    sim.key(KeyCode::Esc);
    sim.take_page_request();
    sim.ch('R');
    assert_eq!(toast(&sim).as_deref(), Some("Refreshing"));
    sim.answer_page(&users(3), None);
    assert_ne!(toast(&sim).as_deref(), Some("Refreshing"));
}

#[test]
fn a_created_user_that_does_not_match_the_search_stays_out_of_the_list() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('/');
    sim.type_text("blake");
    sim.key(KeyCode::Enter);
    sim.answer_page(&[user_json(1, "ACTIVE")], None);
    let req = create(&mut sim, false);
    created(&mut sim, req, user(60, "ACTIVE")); // Avery Fixture60
    assert_eq!(sim.state.list.rows.len(), 1, "only Blake matches the search");
    assert!(sim.state.messages.entries.iter().any(|e| e.text.contains("not in the list")));
    let req = create(&mut sim, false);
    created(&mut sim, req, user(61, "ACTIVE")); // Blake Fixture61
    assert_eq!(sim.state.list.rows.len(), 2, "a match joins");
}

#[test]
fn a_created_user_that_does_not_match_the_status_filter_stays_out_of_the_list() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('s');
    sim.ch('n'); // none ticked
    sim.ch(' '); // the first status, STAGED
    sim.key(KeyCode::Enter);
    sim.answer_page(&[user_json(1, "STAGED")], None);
    let req = create(&mut sim, false);
    created(&mut sim, req, user(60, "ACTIVE"));
    assert_eq!(sim.state.list.rows.len(), 1, "ACTIVE is not ticked");
}

#[test]
fn a_created_user_lands_at_its_sorted_place() {
    let mut rows: Vec<_> = (0..4).map(|i| user_json(i, "ACTIVE")).collect();
    for (row, day) in rows.iter_mut().zip(["09", "07", "05", "03"]) {
        row["lastUpdated"] = json!(format!("2024-06-{day}T10:00:00.000Z"));
    }
    let mut sim = Sim::started_with(&users(3), None);
    // Sort by last updated, newest first.
    let target = Some(Sort { column: Column::LastUpdated, descending: true });
    while sim.state.sort != target {
        sim.ch('S');
    }
    sim.answer_page(&rows, None);
    let req = create(&mut sim, false);
    let mut new = full_user_json(60, "ACTIVE");
    new["lastUpdated"] = json!("2024-06-10T11:00:00.000Z");
    created(&mut sim, req, User::from_json(new).expect("user"));
    assert_eq!(sim.state.list.rows[0].id(), "00u00000000000000060", "newest first");
    assert_eq!(sim.state.list.selected, 0);
}

#[test]
fn a_created_user_sorting_past_the_loaded_rows_waits_for_its_page() {
    let mut sim = Sim::started_with(&users(3), None);
    let target = Some(Sort { column: Column::Login, descending: false });
    while sim.state.sort != target {
        sim.ch('S');
    }
    sim.answer_page(
        &[user_json(0, "ACTIVE"), user_json(1, "ACTIVE")],
        Some("https://acme.okta.com/api/v1/users?after=x"),
    );
    let req = create(&mut sim, false);
    created(&mut sim, req, user(62, "ACTIVE")); // "casey…" after avery and blake
    assert_eq!(sim.state.list.rows.len(), 2, "its page brings it");
}

#[test]
fn enter_on_an_invalid_expression_keeps_the_box_open_with_the_error() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('/');
    sim.type_text(r#"profile.department eq "Sales"#);
    sim.key(KeyCode::Enter);
    assert!(sim.state.search.editing, "the box stays open");
    assert!(sim.state.search.error.is_some(), "with its error");
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })));
    let screen = sim.screen(120, 30);
    assert!(screen.contains(r#"profile.department eq "Sales"#), "{screen}");
}

#[test]
fn staged_users_are_offered_deactivate_and_delete_marked_as_documented() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "STAGED"));
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    assert!(menu.ops.contains(&LifecycleOp::Activate) && menu.is_linked(LifecycleOp::Activate));
    for op in [LifecycleOp::Deactivate, LifecycleOp::Delete] {
        assert!(menu.ops.contains(&op) && !menu.is_linked(op), "{op:?} offered and marked");
    }
    assert!(!menu.ops.contains(&LifecycleOp::Suspend), "not documented for STAGED");
    let screen = sim.screen(120, 30);
    assert!(screen.contains("documented for STAGED"), "{screen}");
    // Without a link the operation is called by name; the org decides.
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| *op == LifecycleOp::Deactivate).expect("deactivate");
    sim.ch(char::from(b'1' + i as u8));
    sim.type_text("avery.fixture0@example.com");
    sim.key(KeyCode::Enter);
    assert!(sim.has(|e| matches!(e, Effect::RunLifecycle { op: LifecycleOp::Deactivate, link: None, .. })));
}

#[test]
fn nothing_ticked_in_the_status_filter_says_no_status_selected() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('s');
    sim.ch('n');
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "nothing to ask the org");
    assert_eq!(sim.state.list.paging, Paging::Done);
    let screen = sim.screen(120, 30);
    assert!(screen.contains("no status selected"), "{screen}");
    assert!(!screen.contains("0 users"), "{screen}");
}

fn budget(remaining: u32, reset_in: u64) -> oktui::okta::RateBudget {
    oktui::okta::RateBudget {
        bucket: "GET /api/v1/users".into(),
        limit: 600,
        remaining,
        reset: jiff::Timestamp::UNIX_EPOCH,
        reset_in: std::time::Duration::from_secs(reset_in),
    }
}

fn later(sim: &mut Sim, seconds: i64) {
    sim.state.now = sim.state.now.checked_add(jiff::SignedDuration::from_secs(seconds)).expect("time");
    sim.send(Msg::Tick);
}

#[test]
fn the_rate_limit_countdown_names_its_bucket_and_ticks_down() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.send(Msg::Budget(budget(598, 56)));
    let header = |sim: &Sim| sim.screen(140, 42).lines().next().unwrap_or_default().to_owned();
    assert!(header(&sim).contains("GET /users 598/600 · resets in 56s"), "{}", header(&sim));
    assert!(sim.state.shows_clock(), "the driver ticks while the countdown shows");
    later(&mut sim, 10);
    assert!(header(&sim).contains("resets in 46s"), "{}", header(&sim));
    later(&mut sim, 47);
    assert!(!header(&sim).contains("resets in"), "an ended window says nothing: {}", header(&sim));
}

#[test]
fn a_request_held_for_a_rate_limit_reset_says_so() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.send(Msg::Budget(budget(0, 40)));
    sim.ch('R'); // a page is now awaited
    let wait = |reason| oktui::okta::RateWait {
        bucket: "GET /api/v1/users".into(),
        reason,
        left: std::time::Duration::from_secs(40),
    };
    sim.send(Msg::RateWait(Some(wait(oktui::okta::WaitReason::Throttled))));
    let header = |sim: &Sim| sim.screen(140, 42).lines().next().unwrap_or_default().to_owned();
    assert!(header(&sim).contains("waiting 40s: the org rate-limited GET /users (429)"), "{}", header(&sim));
    later(&mut sim, 15);
    sim.send(Msg::RateWait(Some(oktui::okta::RateWait {
        left: std::time::Duration::from_secs(25),
        ..wait(oktui::okta::WaitReason::Pacing)
    })));
    assert!(header(&sim).contains("waiting 25s: GET /users is nearly spent"), "{}", header(&sim));
    sim.send(Msg::RateWait(None));
    assert!(!header(&sim).contains("waiting"), "{}", header(&sim));
}

fn org_down() -> Error {
    Error::Network("connection refused".into())
}

#[test]
fn r_while_the_org_is_down_keeps_the_rows_until_a_refresh_succeeds() {
    let mut sim = Sim::started_with(&users(5), None);
    settle(&mut sim);
    sim.key(KeyCode::Down);
    sim.ch('R');
    assert_eq!(sim.state.list.rows.len(), 5, "the rows stay while the refresh is out");
    let (req, _) = sim.take_page_request();
    sim.send(Msg::Api(req, ApiResult::Page(Err(org_down()))));
    assert_eq!(sim.state.list.rows.len(), 5, "and after it failed");
    assert!(matches!(sim.state.list.paging, Paging::Failed(_)));
    sim.ch('R');
    let (req, from) = sim.take_page_request();
    assert!(matches!(from, oktui::app::PageFrom::First(_)), "the refresh starts over, not after the last row");
    let mut fresh = users(4);
    fresh[1]["status"] = json!("SUSPENDED");
    sim.answer_page_for(req, &fresh, None);
    assert_eq!(sim.state.list.rows.len(), 4, "replaced once a page came");
    assert_eq!(sim.state.list.rows[1].status(), Some(oktui::okta::UserStatus::Suspended));
    assert_eq!(sim.state.list.selected, 1, "the cursor stays on its user");
}

#[test]
fn a_user_opened_by_exact_id_stays_listed_after_r() {
    let mut sim = Sim::started_with(&users(3), Some("https://acme.okta.com/api/v1/users?after=x"));
    let req = sim.look_up("zed@example.com");
    sim.send(Msg::Api(req, ApiResult::Lookup(Ok(user(42, "ACTIVE")))));
    settle(&mut sim);
    sim.ch('R');
    sim.answer_page(&[], None);
    assert!(sim.state.list.rows.iter().any(|r| r.id() == "00u00000000000000042"), "opened by id, still listed");
    assert_eq!(sim.state.detail.id.as_deref(), Some("00u00000000000000042"));
}

fn page(from: usize, to: usize) -> Vec<serde_json::Value> {
    (from..to).map(|i| user_json(i, "ACTIVE")).collect()
}

const MORE: &str = "https://acme.okta.com/api/v1/users?after=more&limit=200";

#[test]
fn g_goes_to_the_real_last_user_loading_page_after_page() {
    let mut sim = Sim::started_with(&page(0, 200), Some(MORE));
    sim.ch('G');
    assert_eq!(sim.state.list.selected, 199);
    let screen = sim.screen(140, 42);
    assert!(screen.contains("200 loaded · going to the end, any key stops"), "progress shows:\n{screen}");
    sim.answer_page(&page(200, 400), Some(MORE));
    assert_eq!(sim.state.list.selected, 399, "the cursor follows");
    sim.answer_page(&page(400, 450), None);
    assert_eq!(sim.state.list.selected, 449, "the real last user");
    assert!(!sim.state.list.seeking_end);
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "nothing more to load");
}

#[test]
fn any_key_stops_g_where_it_got_to() {
    let mut sim = Sim::started_with(&page(0, 200), Some(MORE));
    sim.ch('G');
    sim.answer_page(&page(200, 400), Some(MORE));
    sim.ch('k');
    assert!(!sim.state.list.seeking_end);
    assert_eq!(sim.state.list.selected, 399, "the stopping key does nothing else");
    sim.answer_page(&page(400, 600), Some(MORE));
    assert_eq!(sim.state.list.selected, 399, "the page in flight lands without moving the cursor");
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })), "and no further page is asked");
}

#[test]
fn r_after_the_org_came_back_reloads_a_detail_that_failed() {
    let mut sim = Sim::started_with(&users(5), None);
    settle(&mut sim);
    sim.ch('R');
    let (req, _) = sim.take_page_request();
    sim.send(Msg::Api(req, ApiResult::Page(Err(org_down()))));
    sim.fire_timers();
    let Effect::FetchUser { req, .. } = sim.take("detail", |e| matches!(e, Effect::FetchUser { .. })) else {
        unreachable!()
    };
    sim.send(Msg::Api(req, ApiResult::User(Err(org_down()))));
    assert!(matches!(sim.state.detail.user, Load::Failed(_)));
    sim.ch('R');
    sim.answer_page(&users(5), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    assert!(matches!(sim.state.detail.user, Load::Loaded(_)), "the detail is asked again with the list");
}

#[test]
fn reset_factors_asks_for_the_login_and_follows_the_advertised_link() {
    let mut sim = Sim::started_with(&users(3), None);
    let mut shown = full_user_json(0, "ACTIVE");
    let href = "https://acme.okta.com/api/v1/users/00u00000000000000000/lifecycle/reset_factors";
    shown["_links"]["resetFactors"] = json!({"href": href, "method": "POST"});
    sim.answer_detail(shown);
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| *op == LifecycleOp::ResetFactors).expect("reset factors offered");
    sim.ch(char::from(b'1' + i as u8));
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::RunLifecycle { .. })), "destructive: nothing runs untyped");
    sim.type_text("avery.fixture0@example.com");
    sim.key(KeyCode::Enter);
    let Effect::RunLifecycle { op, link, .. } = sim.take("reset", |e| matches!(e, Effect::RunLifecycle { .. })) else {
        unreachable!()
    };
    assert_eq!(op, LifecycleOp::ResetFactors);
    assert_eq!(link.map(|l| l.href), Some(href.to_owned()), "the link the org advertised");
}
