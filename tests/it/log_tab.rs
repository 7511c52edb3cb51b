//! The System Log as the detail pane's sixth tab, as pure `update` flows:
//! loaded once per user, parked and reused, dropped after a change, its
//! keys routed to the timeline, and no poll for a user no longer shown.

use crate::sim::{Sim, full_user_json};
use crate::timeline_app::{JANE, answer_logs, event, history, take_logs, with_user};
use crossterm::event::KeyCode;
use oktui::app::detail::View;
use oktui::app::keymap::Context;
use oktui::app::timeline::LogPage;
use oktui::app::{Effect, Msg, Pane, Timer};

/// Jane shown, her Log tab loaded with `history()`.
pub fn jane_tab() -> Sim {
    let mut sim = with_user();
    sim.ch('6');
    let (req, _, _) = take_logs(&mut sim);
    answer_logs(&mut sim, req, &history(), None);
    sim
}

fn asks_for_logs(sim: &Sim) -> bool {
    sim.has(|e| matches!(e, Effect::FetchLogs { .. }))
}

fn whose(page: &LogPage) -> String {
    match page {
        LogPage::First(query) => query.filter.clone().unwrap_or_default(),
        LogPage::Next(url) => url.to_string(),
    }
}

#[test]
fn six_shows_the_users_events_in_the_pane_loaded_once_per_user() {
    let mut sim = with_user();
    sim.ch('6');
    let (req, page, follow) = take_logs(&mut sim);
    assert!(!follow);
    assert!(whose(&page).contains(JANE), "the shown user's events: {page:?}");
    assert_eq!((sim.state.detail.view, sim.state.focus), (View::Log, Pane::Detail));
    let t = sim.state.timeline.as_ref().expect("the tab's timeline");
    assert!(t.docked, "in the pane, not over it");
    answer_logs(&mut sim, req, &history(), None);
    // Away and back: what was read is shown as it is.
    sim.ch('1');
    sim.ch('6');
    sim.ch(']');
    sim.ch('[');
    assert!(!asks_for_logs(&sim), "read once for the user");
    assert_eq!(sim.state.timeline.as_ref().map(|t| t.events.len()), Some(history().len()));
    // Another user: read for them; back to Jane: hers again, not read again.
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.focus, Pane::List);
    sim.ch('j');
    sim.answer_detail(full_user_json(1, "ACTIVE"));
    sim.answer_groups(&["Everyone"]);
    let (req, page, _) = take_logs(&mut sim);
    assert!(!whose(&page).contains(JANE) && whose(&page).contains("00u00000000000000001"), "{page:?}");
    answer_logs(&mut sim, req, &[], None);
    sim.ch('k');
    sim.fire_timers();
    assert!(!asks_for_logs(&sim), "Jane's tab was kept");
    assert_eq!(sim.state.timeline.as_ref().and_then(|t| t.user_id()), Some(JANE));
    assert_eq!(sim.state.timeline.as_ref().map(|t| t.events.len()), Some(history().len()));
}

#[test]
fn r_reads_the_users_events_again_from_the_tab_or_the_list() {
    let mut sim = jane_tab();
    sim.ch('R');
    let (req, page, _) = take_logs(&mut sim);
    assert!(whose(&page).contains(JANE), "R in the tab reads its first page again");
    answer_logs(&mut sim, req, &history(), None);
    sim.key(KeyCode::Esc);
    sim.ch('R');
    assert!(sim.state.timeline.is_none(), "dropped: what was read may miss events");
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.answer_groups(&["Everyone"]);
    let (_, page, _) = take_logs(&mut sim);
    assert!(whose(&page).contains(JANE), "R reads the tab again once the user is");
}

#[test]
fn the_timelines_keys_work_in_the_tab_and_the_footer_shows_them() {
    let mut sim = jane_tab();
    assert_eq!(sim.state.context(), Context::Timeline);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    let t = sim.state.timeline.as_ref().expect("timeline");
    assert_eq!((t.selected_event().map(|e| e.uuid()), t.expanded), (Some("e-edit"), Some(0)));
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.timeline.as_ref().and_then(|t| t.expanded), None, "Esc closes the event first");
    sim.ch('t');
    assert!(asks_for_logs(&sim), "t filters, asking the org again");
    let footer = sim.screen(80, 24).lines().last().unwrap_or_default().to_owned();
    for hint in ["Enter expand", "f follow", "t type", "[ ] 1-6 tabs"] {
        assert!(footer.contains(hint), "{hint:?} in {footer:?}");
    }
    // The pane's other keys still work from the tab.
    sim.ch('2');
    assert_eq!(sim.state.detail.view, View::Groups);
}

#[test]
fn l_maximises_the_tab_and_esc_puts_it_back() {
    let mut sim = jane_tab();
    sim.ch('f');
    let (req, _, _) = take_logs(&mut sim);
    sim.ch('l');
    assert!(!asks_for_logs(&sim), "the same timeline, not a second one");
    let t = sim.state.timeline.as_ref().expect("timeline");
    assert!(!t.docked && t.follow.is_some(), "maximised, still following");
    assert_eq!(sim.state.context(), Context::Timeline);
    sim.key(KeyCode::Esc);
    let t = sim.state.timeline.as_ref().expect("timeline");
    assert!(t.docked && t.follow.is_some(), "back in the pane, still following");
    assert_eq!((sim.state.detail.view, sim.state.focus), (View::Log, Pane::Detail));
    answer_logs(&mut sim, req, &[], Some("https://acme.okta.com/api/v1/logs?after=p1"));
    assert!(sim.has(|e| matches!(e, Effect::Schedule { timer: Timer::TimelinePoll(_), .. })));
}

/// Follows, answers the first poll, and returns the next poll's timer.
fn following(sim: &mut Sim) -> Timer {
    sim.ch('f');
    let (req, _, follow) = take_logs(sim);
    assert!(follow);
    let new = event("e-new", "2024-06-10T12:00:01.000Z", "user.lifecycle.unsuspend", "txn-new");
    answer_logs(sim, req, &[new], Some("https://acme.okta.com/api/v1/logs?after=p1"));
    match sim.take("the next poll", |e| matches!(e, Effect::Schedule { timer: Timer::TimelinePoll(_), .. })) {
        Effect::Schedule { timer, .. } => timer,
        _ => unreachable!(),
    }
}

#[test]
fn follow_stops_when_the_tab_is_left() {
    let mut sim = jane_tab();
    let timer = following(&mut sim);
    sim.ch('1');
    sim.send(Msg::Timer(timer));
    assert!(!asks_for_logs(&sim), "no poll for a tab no longer shown");
    sim.ch('6');
    let t = sim.state.timeline.as_ref().expect("Jane's timeline, kept");
    assert!(t.follow.is_none(), "back, not following");
    assert!(t.events.iter().any(|e| e.uuid() == "e-new"), "what arrived is kept");
}

#[test]
fn follow_stops_when_another_user_is_shown() {
    let mut sim = jane_tab();
    let timer = following(&mut sim);
    sim.key(KeyCode::Esc);
    sim.ch('j');
    sim.send(Msg::Timer(timer));
    assert!(!asks_for_logs(&sim), "no poll for Jane, no longer shown");
    sim.answer_detail(full_user_json(1, "ACTIVE"));
    sim.answer_groups(&["Everyone"]);
    let (_, page, follow) = take_logs(&mut sim);
    assert!(!follow && !whose(&page).contains(JANE), "the new user's events, not followed");
}

#[test]
fn a_change_through_oktui_reads_the_users_events_again() {
    let mut sim = jane_tab();
    // Clearing sessions logs user.session.clear: the tab must show it.
    sim.ch('a');
    let Some(oktui::app::Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu") };
    let n = menu.ops.len() + 1;
    sim.ch(char::from(b'0' + n as u8));
    sim.key(KeyCode::Enter);
    let req = match sim.take("the clear", |e| matches!(e, Effect::Tab(_))) {
        Effect::Tab(t) => t.req(),
        _ => unreachable!(),
    };
    sim.send(Msg::Api(req, oktui::app::ApiResult::Tab(oktui::app::tabs::TabResult::Changed(Ok(())))));
    let (_, page, _) = take_logs(&mut sim);
    assert!(whose(&page).contains(JANE), "Jane's events read again: {page:?}");
}
