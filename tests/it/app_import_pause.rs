//! Pure `update` tests of `p` on the import screen's running job: pause,
//! progress while paused, resume with the rate over running time, cancel
//! and quit while paused.

use crate::sim::{NOW, Sim, users};
use crossterm::event::KeyCode;
use oktui::app::import::{Import, ImportEffect, ImportResult, Running, Step};
use oktui::app::{ApiResult, Effect, Msg, Overlay, ReqId};
use oktui::import::Progress;
use std::time::Duration;

const REQ: ReqId = ReqId(900);

/// The import screen with a job of 30 rows started at `NOW`.
fn running() -> Sim {
    let mut sim = Sim::started_with(&users(3), None);
    let running = Running {
        req: REQ,
        path: "/tmp/users.csv".into(),
        results: "/tmp/users.results.csv".into(),
        started: sim.state.now,
        progress: Progress { done: 0, total: 30 },
        cancelling: false,
        paused_since: None,
    };
    sim.state.import = Some(Box::new(Import { shown: true, step: Step::Running(Box::new(running)) }));
    sim
}

fn at(sim: &mut Sim, seconds: u64) {
    sim.state.now = NOW.parse::<jiff::Timestamp>().expect("now") + Duration::from_secs(seconds);
}

fn progress(sim: &mut Sim, done: u64) {
    sim.send(Msg::Api(REQ, ApiResult::Import(ImportResult::Progress(Progress { done, total: 30 }))));
}

fn pause_effect(sim: &mut Sim) -> bool {
    match sim.take("a pause", |e| matches!(e, Effect::Import(ImportEffect::Pause { .. }))) {
        Effect::Import(ImportEffect::Pause { paused }) => paused,
        _ => unreachable!(),
    }
}

fn is_paused(sim: &Sim) -> bool {
    matches!(&sim.state.import.as_ref().expect("import").step, Step::Running(r) if r.paused_since.is_some())
}

#[test]
fn p_pauses_the_import_and_p_again_resumes_it_with_the_rate_over_running_time() {
    let mut sim = running();
    at(&mut sim, 10);
    progress(&mut sim, 10);
    assert!(sim.screen(80, 24).contains("p pause"), "{}", sim.screen(80, 24));
    sim.ch('p');
    assert!(pause_effect(&mut sim), "the driver holds the job");
    at(&mut sim, 11);
    progress(&mut sim, 12);
    assert!(is_paused(&sim), "the rows in flight finish: progress keeps it paused");
    assert!(!sim.state.busy(), "a paused import is no work in progress: no spinner");
    at(&mut sim, 110);
    for (w, h) in [(80, 24), (140, 42)] {
        insta::assert_snapshot!(format!("import_paused_{w}x{h}"), sim.render(w, h).backend());
    }
    let screen = sim.screen(80, 24);
    assert!(screen.contains("paused: the rows already started finish") && screen.contains("p resume"), "{screen}");
    assert!(!screen.contains("left"), "nothing counts down while paused: {screen}");

    sim.ch('p');
    assert!(!pause_effect(&mut sim), "the driver lets it go on");
    at(&mut sim, 120);
    progress(&mut sim, 20);
    // 20 rows in 20 s of running (10 before the pause, 10 after): not the
    // 120 s since the start.
    let screen = sim.screen(80, 24);
    assert!(screen.contains("1.0 rows/s · about 10 s left"), "{screen}");
}

#[test]
fn cancel_and_quit_while_the_import_is_paused() {
    let mut sim = running();
    sim.ch('p');
    pause_effect(&mut sim);
    sim.key(KeyCode::Esc);
    sim.ch('q');
    assert!(!sim.has(|e| matches!(e, Effect::Quit)), "q while paused asks first");
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)));
    sim.key(KeyCode::Esc);
    sim.ch('i');
    sim.ch('c');
    sim.ch('y');
    sim.take("the cancel", |e| matches!(e, Effect::Import(ImportEffect::Cancel)));
    assert!(matches!(sim.state.import.as_ref().map(|i| &i.step), Some(Step::Done(_))), "cancelled while paused");
}
