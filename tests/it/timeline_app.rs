//! The System Log timeline as pure `update` flows: what `l`, `L`, the
//! filters and follow ask of the org, and how answers are grouped,
//! expanded and merged. No network, no terminal.

use crate::sim::{Sim, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::timeline::{GroupMark, LogPage};
use oktui::app::{ApiResult, Effect, Msg, ReqId, Timer};
use oktui::okta::Page;
use oktui::okta::logs::{LogEvent, SortOrder};
use serde_json::{Value, json};

pub const JANE: &str = "00u00000000000000000";
pub const JANE_LOGIN: &str = "avery.fixture0@example.com";

/// An event shaped as Okta documents it, about Jane unless `target` says.
pub fn event(uuid: &str, published: &str, event_type: &str, transaction: &str) -> Value {
    json!({
        "uuid": uuid, "published": published, "eventType": event_type, "version": "0", "severity": "INFO",
        "displayMessage": format!("{event_type} message"),
        "actor": {"id": "00uadmin", "type": "User", "alternateId": "admin@example.com", "displayName": "Ada Admin"},
        "client": {"userAgent": {"rawUserAgent": "oktui/0.1"}, "ipAddress": "203.0.113.9",
                   "geographicalContext": {"city": "Lisbon", "country": "Portugal"}},
        "outcome": {"result": "SUCCESS", "reason": null},
        "transaction": {"type": "WEB", "id": transaction, "detail": {}},
        "authenticationContext": {"externalSessionId": "102admin"},
        "target": [{"id": JANE, "type": "User", "alternateId": JANE_LOGIN, "displayName": "Avery Fixture0"}]
    })
}

/// Jane's recent history: a suspension and a department edit in one
/// request, a sign-in of two steps in one session, a failed password,
/// an older creation.
pub fn history() -> Vec<Value> {
    let mut edit = event("e-edit", "2024-06-10T11:00:00.000Z", "user.account.update_profile", "txn-1");
    edit["target"][0]["changeDetails"] =
        json!({"from": {"department": "Engineering"}, "to": {"department": "Finance"}});
    let mut sign_in = event("e-sso", "2024-06-10T09:00:05.000Z", "user.authentication.sso", "txn-3");
    let mut session = event("e-start", "2024-06-10T09:00:00.000Z", "user.session.start", "txn-2");
    for e in [&mut sign_in, &mut session] {
        e["actor"] = json!({"id": JANE, "type": "User", "alternateId": JANE_LOGIN});
        e["authenticationContext"]["externalSessionId"] = json!("102jane");
        e["client"]["geographicalContext"] = json!({"city": "Porto", "country": "Portugal"});
    }
    sign_in["target"] = json!([{"id": "0oa1", "type": "AppInstance", "displayName": "Salesforce"}]);
    let mut failed = event("e-fail", "2024-06-10T08:00:00.000Z", "user.session.start", "txn-4");
    failed["actor"] = json!({"id": JANE, "type": "User", "alternateId": JANE_LOGIN});
    failed["outcome"] = json!({"result": "FAILURE", "reason": "INVALID_CREDENTIALS"});
    failed["authenticationContext"]["externalSessionId"] = json!("unknown");
    // Between the sign-in's two steps, another operation.
    let mut between = event("e-between", "2024-06-10T09:00:02.000Z", "group.user_membership.add", "txn-5");
    if let Some(targets) = between["target"].as_array_mut() {
        targets.push(json!({"id": "00g1", "type": "UserGroup", "displayName": "Sales"}));
    }
    vec![
        // Out of order, as a page may be: the group comes together anyway.
        event("e-suspend", "2024-06-10T11:00:00.100Z", "user.lifecycle.suspend", "txn-9"),
        edit,
        session,
        event("e-create", "2024-06-01T10:00:00.000Z", "user.lifecycle.create", "txn-0"),
        sign_in,
        between,
        failed,
        event("e-suspend-2", "2024-06-10T11:00:00.050Z", "user.account.lock", "txn-9"),
    ]
}

pub fn page(events: &[Value], next: Option<&str>) -> Page<LogEvent> {
    Page {
        items: events.iter().cloned().map(|e| LogEvent::from_json(e).expect("event")).collect(),
        next: next.map(|n| n.parse().expect("url")),
    }
}

/// A user shown in the detail pane.
pub fn with_user() -> Sim {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.answer_groups(&["Everyone"]);
    sim
}

/// The pending System Log request.
pub fn take_logs(sim: &mut Sim) -> (ReqId, LogPage, bool) {
    match sim.take("a System Log request", |e| matches!(e, Effect::FetchLogs { .. })) {
        Effect::FetchLogs { req, page, follow } => (req, page, follow),
        _ => unreachable!(),
    }
}

pub fn answer_logs(sim: &mut Sim, req: ReqId, events: &[Value], next: Option<&str>) {
    sim.send(Msg::Api(req, ApiResult::Logs(Ok(page(events, next)))));
}

/// Jane's timeline, loaded with `history()`.
pub fn jane_timeline() -> Sim {
    let mut sim = with_user();
    sim.ch('l');
    let (req, _, _) = take_logs(&mut sim);
    answer_logs(&mut sim, req, &history(), None);
    sim
}

fn uuids(sim: &Sim) -> Vec<String> {
    let t = sim.state.timeline.as_ref().expect("timeline open");
    t.events.iter().map(|e| e.uuid().to_owned()).collect()
}

#[test]
fn l_asks_for_the_users_events_newest_first_over_a_bounded_month() {
    let mut sim = with_user();
    sim.ch('l');
    let (_, page, follow) = take_logs(&mut sim);
    let LogPage::First(query) = page else { panic!("a first page") };
    assert!(!follow);
    assert_eq!(query.filter.as_deref(), Some(format!(r#"actor.id eq "{JANE}" or target.id eq "{JANE}""#).as_str()));
    assert_eq!(query.sort_order, SortOrder::Descending);
    assert_eq!(query.until, Some(sim.state.now), "bounded, so the last page ends the query");
    assert_eq!(query.since.map(|s| s.to_string()).as_deref(), Some("2024-05-11T12:00:00Z"), "30 days");
    assert!(sim.state.busy(), "the spinner runs while the page loads");
}

#[test]
fn events_come_newest_first_each_operation_together() {
    let sim = jane_timeline();
    assert_eq!(
        uuids(&sim),
        ["e-suspend", "e-suspend-2", "e-edit", "e-sso", "e-start", "e-between", "e-fail", "e-create"]
    );
    let marks = sim.state.timeline.as_ref().unwrap().marks();
    use GroupMark::*;
    // The lock shares the suspension's transaction; the SSO and the
    // session start share a session though not a request; the failed
    // sign-in has no session and stands alone. The membership change made
    // between the sign-in's steps comes after the sign-in.
    assert_eq!(marks, [First, Last, Alone, First, Last, Alone, Alone, Alone]);
}

#[test]
fn enter_expands_the_event_and_esc_closes_it_then_puts_the_timeline_in_its_tab() {
    let mut sim = jane_timeline();
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    let t = sim.state.timeline.as_ref().unwrap();
    assert_eq!((t.selected_event().unwrap().uuid(), t.expanded), ("e-edit", Some(0)));
    sim.key(KeyCode::Down);
    assert_eq!(sim.state.timeline.as_ref().unwrap().expanded, Some(1), "j scrolls the expanded event");
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.timeline.as_ref().unwrap().expanded, None);
    sim.key(KeyCode::Esc);
    assert!(sim.state.timeline.as_ref().unwrap().docked, "l was the Log tab maximised");
    assert_eq!(sim.state.detail.view, oktui::app::detail::View::Log);
}

#[test]
fn filters_ask_the_org_again_and_drop_the_answer_they_replace() {
    let mut sim = with_user();
    sim.ch('l');
    let (first, _, _) = take_logs(&mut sim);
    sim.ch('t');
    sim.ch('o');
    sim.ch('d');
    let mut pages = Vec::new();
    while sim.has(|e| matches!(e, Effect::FetchLogs { .. })) {
        pages.push(take_logs(&mut sim));
    }
    let (req, LogPage::First(query), _) = pages.pop().expect("a reload") else { panic!("a first page") };
    assert_eq!(
        query.filter.as_deref(),
        Some(
            format!(
                r#"((actor.id eq "{JANE}" or target.id eq "{JANE}") and (eventType sw "user.lifecycle")) and (outcome.result eq "FAILURE" or outcome.result eq "DENY")"#
            )
            .as_str()
        )
    );
    assert_eq!(query.since.map(|s| s.to_string()).as_deref(), Some("2024-03-12T12:00:00Z"), "90 days");
    answer_logs(&mut sim, first, &history(), None);
    assert!(uuids(&sim).is_empty(), "the answer to the replaced query is dropped");
    answer_logs(&mut sim, req, &history()[3..4], None);
    assert_eq!(uuids(&sim), ["e-create"]);
}

#[test]
fn older_pages_load_as_the_cursor_nears_the_end() {
    let mut sim = with_user();
    sim.ch('l');
    let (req, _, _) = take_logs(&mut sim);
    let next = "https://acme.okta.com/api/v1/logs?after=c1&limit=100";
    answer_logs(&mut sim, req, &history(), Some(next));
    // Eight events are fewer than the look-ahead: the next page comes at once.
    let (req, page, _) = take_logs(&mut sim);
    assert_eq!(page, LogPage::Next(next.parse().unwrap()));
    let older = event("e-old", "2024-05-30T00:00:00.000Z", "user.lifecycle.activate", "txn-old");
    answer_logs(&mut sim, req, &[older], None);
    assert_eq!(uuids(&sim).last().map(String::as_str), Some("e-old"));
    assert!(!sim.has(|e| matches!(e, Effect::FetchLogs { .. })), "no next link, no more pages");
}

#[test]
fn follow_polls_by_next_link_merges_new_events_and_stops() {
    let mut sim = jane_timeline();
    sim.ch('f');
    let (req, page, follow) = take_logs(&mut sim);
    assert!(follow, "a poll, sent at job priority by the driver");
    let LogPage::First(query) = page else { panic!("the poll starts with a query") };
    assert!(query.is_polling());
    assert_eq!(query.since.map(|s| s.to_string()).as_deref(), Some("2024-06-10T11:00:00.1Z"), "from the newest");
    let next = "https://acme.okta.com/api/v1/logs?after=p1";
    // The newest event again (a poll may repeat it) and a new one.
    let new = event("e-new", "2024-06-10T12:00:01.000Z", "user.lifecycle.unsuspend", "txn-new");
    answer_logs(&mut sim, req, &[history()[0].clone(), new], Some(next));
    assert_eq!(uuids(&sim)[..2], ["e-new", "e-suspend"]);
    assert_eq!(uuids(&sim).len(), 9, "the repeat is dropped");
    let Effect::Schedule { timer: Timer::TimelinePoll(generation), .. } =
        sim.take("the next poll", |e| matches!(e, Effect::Schedule { timer: Timer::TimelinePoll(_), .. }))
    else {
        unreachable!()
    };
    sim.send(Msg::Timer(Timer::TimelinePoll(generation)));
    let (req, page, _) = take_logs(&mut sim);
    assert_eq!(page, LogPage::Next(next.parse().unwrap()), "the poll follows its next link");
    answer_logs(&mut sim, req, &[], Some("https://acme.okta.com/api/v1/logs?after=p2"));
    assert!(sim.has(|e| matches!(e, Effect::Schedule { timer: Timer::TimelinePoll(_), .. })));
    sim.ch('f');
    sim.fire_timers();
    assert!(!sim.has(|e| matches!(e, Effect::FetchLogs { .. })), "stopped: the pending timer does nothing");
}

#[test]
fn l_without_a_user_says_so_and_l_capital_opens_the_org() {
    let mut sim = Sim::started_with(&[], None);
    sim.ch('l');
    assert!(sim.state.timeline.is_none());
    sim.ch('L');
    let (_, LogPage::First(query), _) = take_logs(&mut sim) else { panic!("a first page") };
    assert_eq!(query.filter, None, "the whole org");
}
