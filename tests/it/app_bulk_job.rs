//! Pure `update` tests of a running bulk job: `p` pauses and resumes it
//! (the driver gets the switch), cancel and quit while paused, and the
//! header at 80 columns keeping the job's count and time left.

use crate::sim::{Sim, users};
use crossterm::event::KeyCode;
use oktui::app::bulk::{BulkEffect, BulkResult, JobView};
use oktui::app::{ApiResult, Effect, Msg, Overlay, ReqId};
use oktui::bulk::{Action, Decision, Plan, Progress, Tally, Unit};
use std::time::Duration;

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];

fn bulk_effect(sim: &mut Sim) -> BulkEffect {
    let Effect::Bulk(effect) = sim.take("bulk effect", |e| matches!(e, Effect::Bulk(_))) else { unreachable!() };
    effect
}

/// `*`, `a`, suspend, a plan of 1,000 users to change, Enter: the job's req.
fn suspend_all(sim: &mut Sim) -> ReqId {
    sim.ch('*');
    sim.ch('a');
    sim.key(KeyCode::Enter);
    let BulkEffect::Survey { req, .. } = bulk_effect(sim) else { panic!("no survey") };
    let mut plan = Plan::new("suspend".into(), "search: x".into(), false);
    let units: Vec<Unit> = (0..1_000)
        .map(|i| {
            let login = format!("user{i}@example.com");
            plan.count(&login, &Decision::Change);
            Unit { id: format!("00u{i:017}"), login, status: None, decision: Decision::Change }
        })
        .collect();
    plan.writes = plan.change.count;
    let planned = Box::new((plan, units, Action::Lifecycle { name: "suspend".into(), send_email: None }));
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Planned(Ok(planned)))));
    sim.key(KeyCode::Enter);
    let BulkEffect::Run { req, .. } = bulk_effect(sim) else { panic!("no job started") };
    req
}

fn progress(sim: &mut Sim, req: ReqId, done: u64, running_secs: u64) {
    let tally = Tally { total: 1_000, changed: done, ..Tally::default() };
    let progress =
        Progress { tally, done_here: done, elapsed: Duration::from_secs(running_secs), budget_wait: Duration::ZERO };
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Progress(progress))));
}

fn job(sim: &Sim) -> &JobView {
    sim.state.bulk_job.as_ref().expect("a job")
}

fn header(sim: &Sim, width: u16) -> String {
    sim.screen(width, 24).lines().next().unwrap_or_default().to_owned()
}

#[test]
fn p_pauses_the_job_and_p_again_resumes_it_and_the_screens_say_which() {
    let mut sim = Sim::started_with(&users(10), None);
    let req = suspend_all(&mut sim);
    progress(&mut sim, req, 400, 4);
    assert!(sim.screen(80, 24).contains("p pauses"), "{}", sim.screen(80, 24));

    sim.ch('p');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Pause { req: r, paused: true } if r == req));
    assert!(job(&sim).paused && job(&sim).running());
    // The users already started finish while paused: their progress comes,
    // and the job stays paused.
    progress(&mut sim, req, 402, 4);
    assert!(job(&sim).paused, "progress while paused keeps it paused");
    assert!(!sim.state.busy(), "a paused job is no work in progress: no spinner");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_job_paused_{w}x{h}"), sim.render(w, h).backend());
    }
    let screen = sim.screen(80, 24);
    assert!(screen.contains("suspend: 402/1,000 · paused") && screen.contains("p resumes"), "{screen}");
    assert!(!screen.contains("ETA"), "nothing counts down while paused: {screen}");

    // Hidden, the header says it.
    sim.key(KeyCode::Esc);
    assert!(sim.state.overlay.is_none());
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_header_paused_{w}x{h}"), sim.render(w, h).backend());
    }
    assert!(header(&sim, 80).contains("suspend 402/1,000 · paused"), "{}", header(&sim, 80));

    sim.ch('a');
    sim.ch('p');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Pause { req: r, paused: false } if r == req));
    assert!(!job(&sim).paused && sim.state.busy());
    // The rate is over running time (the driver leaves pauses out), so it
    // holds across the pause: 500 users in 5 s running.
    progress(&mut sim, req, 500, 5);
    let screen = sim.screen(80, 24);
    assert!(screen.contains("suspend: 500/1,000 · 100.0/s · ETA about 5 s"), "{screen}");
    assert!(screen.contains("p pauses"), "{screen}");
}

#[test]
fn cancel_while_paused_stops_the_job_without_resuming_it() {
    let mut sim = Sim::started_with(&users(10), None);
    let req = suspend_all(&mut sim);
    sim.ch('p');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Pause { paused: true, .. }));
    sim.ch('c');
    sim.ch('y');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Cancel { req: r } if r == req));
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(BulkEffect::Pause { .. }))), "no resume on the way out");
    assert!(!job(&sim).running());
    assert!(!header(&sim, 140).contains("paused"), "an ended job is not shown as paused: {}", header(&sim, 140));
}

#[test]
fn quitting_while_paused_asks_as_it_does_while_running() {
    let mut sim = Sim::started_with(&users(10), None);
    suspend_all(&mut sim);
    sim.ch('p');
    sim.key(KeyCode::Esc);
    sim.ch('q');
    assert!(!sim.has(|e| matches!(e, Effect::Quit)), "q while paused asks first");
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)));
    assert!(sim.screen(140, 42).contains("The bulk suspend is paused: quitting stops it"), "{}", sim.screen(140, 42));
}

#[test]
fn the_header_at_80_columns_keeps_the_jobs_count_and_time_left_over_the_rest() {
    let mut sim = Sim::started_with(&users(10), None);
    sim.send(Msg::Budget(oktui::okta::RateBudget {
        bucket: "POST /api/v1/users/{id}/lifecycle/suspend".into(),
        limit: 600,
        remaining: 420,
        reset: jiff::Timestamp::UNIX_EPOCH,
        reset_in: Duration::from_secs(40),
    }));
    let req = suspend_all(&mut sim);
    progress(&mut sim, req, 402, 4);
    sim.key(KeyCode::Esc);
    let narrow = header(&sim, 80);
    assert!(narrow.contains("suspend 402/1,000") && narrow.contains("ETA about 6 s"), "{narrow}");
    assert!(narrow.contains("✓ 1,000"), "the selection shortened, not gone: {narrow}");
    let wide = header(&sim, 140);
    assert!(wide.contains("✓ all 1,000 matching") && wide.contains("420/600"), "140 columns keep more: {wide}");
    assert!(wide.contains("suspend 402/1,000 · 100.5/s · ETA about 6 s"), "{wide}");
}

#[test]
fn the_quit_question_shows_the_whole_results_path_and_its_keys_at_80x24() {
    let mut sim = Sim::started_with(&users(10), None);
    sim.state.bulk_jobs.dir = "/home/an-admin/.local/state/oktui/jobs/acme.okta.com_443".into();
    suspend_all(&mut sim);
    sim.key(KeyCode::Esc);
    sim.ch('q');
    let screen = sim.screen(80, 24);
    assert!(screen.contains("y quit · any other key keeps oktui open"), "the keys are not cut off:\n{screen}");
    assert!(screen.contains("Z.jsonl)."), "nor the end of the path:\n{screen}");
    insta::assert_snapshot!("bulk_quit_asked_80x24", sim.render(80, 24).backend());
}
