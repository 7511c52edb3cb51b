//! Pure `update` tests of the bulk selection in the list: `Space`, `V`,
//! `*`, what survives (scrolling, paging, opening a user) and `Esc`
//! (asking first only when the selection is large), and snapshots of the
//! marked list.

use crate::sim::{Sim, users};
use crossterm::event::KeyCode;
use oktui::app::bulk::{self, BulkEffect, BulkResult, Dialog};
use oktui::app::selection::Size;
use oktui::app::{ApiResult, Effect, Msg, Overlay, Pane, ReqId};
use oktui::bulk::{Action, Decision, Operation, Plan, Progress, Selection as BulkSelection, Tally, Unit};

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];
const NEXT: &str = "https://acme.okta.com/api/v1/users?after=200";

fn id(i: usize) -> String {
    format!("00u{i:017}")
}

fn picked(sim: &Sim) -> Vec<String> {
    sim.state.selection.picked().map(str::to_owned).collect()
}

#[test]
fn space_toggles_the_user_under_the_cursor_and_the_selection_survives_paging_scrolling_and_opening() {
    let mut sim = Sim::started_with(&users(60), Some(NEXT));
    sim.ch(' ');
    sim.ch('j');
    sim.ch(' ');
    sim.ch('j');
    sim.ch(' ');
    sim.ch(' ');
    assert_eq!(picked(&sim), vec![id(0), id(1)], "the third toggled twice is not selected");
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(2)));

    // Scrolling near the end asks for the next page; it arrives.
    for _ in 0..30 {
        sim.ch('j');
    }
    let more: Vec<_> = (60..120).map(|i| crate::sim::user_json(i, "ACTIVE")).collect();
    sim.answer_page(&more, None);
    sim.key(KeyCode::Enter);
    assert_eq!(sim.state.focus, Pane::Detail);
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.focus, Pane::List);
    sim.ch('g');
    assert_eq!(picked(&sim), vec![id(0), id(1)]);
}

#[test]
fn v_selects_the_rows_from_where_it_was_pressed_to_the_cursor_either_way() {
    let mut sim = Sim::started_with(&users(10), None);
    sim.ch('j');
    sim.ch('j');
    sim.ch('V');
    sim.ch('j');
    sim.ch('j');
    assert!(picked(&sim).is_empty(), "an open range selects nothing yet");
    sim.ch('V');
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4)]);

    // Upwards, and Esc closes an open range without clearing the rest.
    sim.ch('G');
    sim.ch('V');
    sim.ch('k');
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.selection.anchor(), None);
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4)]);
    sim.ch('V');
    sim.ch('k');
    sim.ch('V');
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4), id(7), id(8)]);
}

#[test]
fn star_selects_all_matching_counted_only_by_paging() {
    let mut sim = Sim::started_with(&users(60), Some(NEXT));
    sim.ch('*');
    let all = sim.state.selection.all_matching().expect("all matching").clone();
    assert!(all.expression.contains("status"), "the status filter is part of what is selected: {}", all.expression);
    assert_eq!(bulk::size(&sim.state), Some(Size::AllCounting), "60 loaded of more is not a count");
    assert!(bulk::covers_list(&sim.state));
    for _ in 0..30 {
        sim.ch('j');
    }
    let more: Vec<_> = (60..75).map(|i| crate::sim::user_json(i, "ACTIVE")).collect();
    sim.answer_page(&more, None);
    assert_eq!(bulk::size(&sim.state), Some(Size::All(75)), "paging reached the end: now it is counted");

    // Another search shows other users: they are not part of it.
    sim.ch('/');
    sim.type_text("blake");
    sim.key(KeyCode::Enter);
    assert!(!bulk::covers_list(&sim.state));
    assert_eq!(sim.state.selection.all_matching().map(|a| a.expression.clone()), Some(all.expression));
}

#[test]
fn esc_clears_a_small_selection_at_once_and_asks_before_clearing_a_large_one() {
    let mut sim = Sim::started_with(&users(80), None);
    sim.ch(' ');
    sim.key(KeyCode::Esc);
    assert!(sim.state.selection.is_empty(), "one user is cleared without asking");
    assert!(sim.state.overlay.is_none());

    sim.ch('V');
    for _ in 0..50 {
        sim.ch('j');
    }
    sim.ch('V');
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(51)));
    sim.key(KeyCode::Esc);
    assert!(matches!(&sim.state.overlay, Some(Overlay::Bulk(d)) if matches!(**d, Dialog::ConfirmClear)));
    sim.ch('n');
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(51)), "any key but y keeps it");
    sim.key(KeyCode::Esc);
    sim.ch('y');
    assert!(sim.state.selection.is_empty());

    // An uncounted "all matching" may be any size: it asks too.
    let mut sim = Sim::started_with(&users(3), Some(NEXT));
    sim.ch('*');
    sim.key(KeyCode::Esc);
    assert!(matches!(&sim.state.overlay, Some(Overlay::Bulk(_))));
}

#[test]
fn snapshots_of_the_marked_list_the_open_range_and_all_matching() {
    let mut sim = Sim::started_with(&users(30), Some(NEXT));
    sim.ch(' ');
    sim.ch('j');
    sim.ch('j');
    sim.ch('V');
    sim.ch('j');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_range_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.ch('V');
    sim.key(KeyCode::Esc);
    sim.ch('*');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_all_matching_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.key(KeyCode::Esc);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_confirm_clear_{w}x{h}"), sim.render(w, h).backend());
    }
}

fn bulk_effect(sim: &mut Sim) -> BulkEffect {
    let Effect::Bulk(effect) = sim.take("bulk effect", |e| matches!(e, Effect::Bulk(_))) else { unreachable!() };
    effect
}

/// Users 0..n, of whom the first two are already suspended and the last
/// is skipped, as the survey would answer.
fn surveyed(operation: &str, destructive: bool, n: usize) -> BulkResult {
    let mut plan = Plan::new(operation.into(), "search: x".into(), destructive);
    let mut units = Vec::new();
    for i in 0..n {
        let decision = match i {
            0 | 1 => Decision::Unchanged,
            _ if i == n - 1 => Decision::Skip("the user's _links do not offer it".into()),
            _ => Decision::Change,
        };
        let login = format!("user{i}@example.com");
        plan.count(&login, &decision);
        units.push(Unit { id: id(i), login, status: None, decision });
    }
    plan.writes = plan.change.count;
    plan.estimate = Some(std::time::Duration::from_secs(3));
    BulkResult::Planned(Ok(Box::new((plan, units, Action::Lifecycle { name: operation.into(), send_email: None }))))
}

fn dialog(sim: &Sim) -> Option<&Dialog> {
    match &sim.state.overlay {
        Some(Overlay::Bulk(d)) => Some(d),
        _ => None,
    }
}

/// `*`, `a`, the operation at `index` of the menu: the survey it asks for.
fn plan_for(sim: &mut Sim, index: usize) -> (ReqId, Operation, BulkSelection) {
    sim.ch('*');
    sim.ch('a');
    for _ in 0..index {
        sim.ch('j');
    }
    sim.key(KeyCode::Enter);
    match bulk_effect(sim) {
        BulkEffect::Survey { req, operation, users } => (req, operation, users),
        other => panic!("expected a survey, got {other:?}"),
    }
}

#[test]
fn a_with_a_selection_plans_the_operation_then_enter_runs_it_and_the_header_follows_the_job() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    let (req, operation, users) = plan_for(&mut sim, 0);
    assert_eq!(operation, Operation::parse(&["suspend".into()]).expect("op"));
    assert!(matches!(users, BulkSelection::Search(ref e) if e.contains("status")), "{users:?}");
    assert!(matches!(dialog(&sim), Some(Dialog::Surveying { .. })));

    sim.send(Msg::Api(req, ApiResult::Bulk(surveyed("suspend", false, 1_000))));
    let Some(Dialog::Plan(planned)) = dialog(&sim) else { panic!("no plan shown: {:?}", sim.state.overlay) };
    assert_eq!((planned.plan.unchanged.count, planned.plan.change.count), (2, 997));
    assert_eq!(bulk::size(&sim.state), Some(Size::All(1_000)), "the survey paged them all: now counted");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_plan_{w}x{h}"), sim.render(w, h).backend());
    }

    sim.key(KeyCode::Enter);
    let BulkEffect::Run { req, units, .. } = bulk_effect(&mut sim) else { panic!("no job started") };
    assert_eq!(units.len(), 1_000, "every planned user goes to the job, each once");
    let mut progress = Progress {
        tally: Tally { total: 1_000, ..Tally::default() },
        done_here: 0,
        elapsed: Default::default(),
        budget_wait: Default::default(),
    };
    progress.tally.changed = 400;
    progress.tally.unchanged = 2;
    progress.done_here = 402;
    progress.elapsed = std::time::Duration::from_secs(4);
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Progress(progress))));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_job_running_{w}x{h}"), sim.render(w, h).backend());
    }
    // The TUI stays usable: the job screen hides, the header keeps count.
    sim.key(KeyCode::Esc);
    sim.ch('j');
    assert!(sim.frame(140, 42).contains("suspend 402/1,000"), "{}", sim.frame(140, 42));
    // Quitting would stop the job (a TUI job has no journal): ask first.
    sim.ch('q');
    assert!(!sim.has(|e| matches!(e, Effect::Quit)), "q while the job runs asks first");
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)));
    assert!(sim.frame(140, 42).contains("The bulk suspend is still running"), "{}", sim.frame(140, 42));
    sim.key(KeyCode::Esc);
    assert!(sim.state.overlay.is_none());

    let tally = Tally { total: 1_000, changed: 997, unchanged: 2, skipped: 1, failed: 0 };
    sim.answer_page(&[], None);
    assert!(!sim.has(|e| matches!(e, Effect::FetchPage { .. })));
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Finished(Ok(tally)))));
    assert!(sim.state.messages.toast(sim.state.now).is_some_and(|m| m.text.contains("997 changed")));
    assert!(sim.has(|e| matches!(e, Effect::FetchPage { .. })), "the list is read again to show the new statuses");
    sim.state.overlay = Some(Overlay::Bulk(Box::new(Dialog::Job)));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_job_done_{w}x{h}"), sim.render(w, h).backend());
    }
}

#[test]
fn a_destructive_plan_runs_only_once_the_number_of_users_is_typed_and_esc_drops_it() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    let delete = bulk::OPERATIONS.iter().position(|o| *o == "delete").expect("delete offered");
    let (req, _, _) = plan_for(&mut sim, delete);
    sim.send(Msg::Api(req, ApiResult::Bulk(surveyed("delete", true, 1_000))));
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "nothing runs before the number is typed");
    sim.type_text("99");
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "a wrong number runs nothing");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_plan_destructive_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.key(KeyCode::Backspace);
    sim.key(KeyCode::Backspace);
    sim.type_text("997");
    sim.key(KeyCode::Enter);
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Run { .. }));

    // Another plan, dropped with Esc: nothing runs; a late survey answer
    // for a cancelled plan shows nothing.
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    let (req, _, _) = plan_for(&mut sim, 0);
    sim.key(KeyCode::Esc);
    sim.send(Msg::Api(req, ApiResult::Bulk(surveyed("suspend", false, 10))));
    assert!(sim.state.overlay.is_none());
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))));
}

#[test]
fn cancelling_the_job_asks_first_then_stops_it() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    let (req, _, _) = plan_for(&mut sim, 0);
    sim.send(Msg::Api(req, ApiResult::Bulk(surveyed("suspend", false, 10))));
    sim.key(KeyCode::Enter);
    let BulkEffect::Run { req, .. } = bulk_effect(&mut sim) else { panic!("no job") };
    sim.ch('c');
    sim.ch('n');
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "any key but y lets it run");
    assert!(sim.state.bulk_job.as_ref().is_some_and(|j| j.running()));
    sim.ch('c');
    sim.ch('y');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Cancel { req: r } if r == req));
    assert!(sim.state.bulk_job.as_ref().is_some_and(|j| !j.running()));
}
