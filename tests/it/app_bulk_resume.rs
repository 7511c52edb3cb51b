//! Pure `update` tests of an unfinished bulk job offered at start
//! (`Enter` resumes it, `d` ends it where it stopped after asking, `Esc`
//! leaves it for the next start) and of `r` on a job that stopped with an
//! error, with snapshots of the offer and its question.

use crate::sim::{Sim, users};
use crossterm::event::KeyCode;
use oktui::app::bulk::{BulkEffect, BulkResult, Dialog};
use oktui::app::bulk_resume::JobsDir;
use oktui::app::{ApiResult, Effect, Msg, Overlay, ReqId};
use oktui::bulk::unfinished::Unfinished;
use oktui::bulk::{Progress, Tally};
use std::path::PathBuf;

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];
const DIR: &str = "/home/admin/.local/state/oktui/jobs/acme.okta.com";

fn job(stamp: &str, done: u64) -> Unfinished {
    Unfinished {
        results: PathBuf::from(DIR).join(format!("bulk-suspend-{stamp}.jsonl")),
        operation: "suspend".into(),
        selection: r#"search: profile.department eq "Contractors""#.into(),
        started: "2026-12-02T11:00:00Z".into(),
        tally: Tally { total: 5_000, changed: done - 20, unchanged: 20, skipped: 0, failed: 0 },
    }
}

fn bulk_effect(sim: &mut Sim) -> BulkEffect {
    let Effect::Bulk(effect) = sim.take("bulk effect", |e| matches!(e, Effect::Bulk(_))) else { unreachable!() };
    effect
}

fn dialog(sim: &Sim) -> Option<&Dialog> {
    match &sim.state.overlay {
        Some(Overlay::Bulk(d)) => Some(d),
        _ => None,
    }
}

/// The app started on an org that outlives the run, its users listed,
/// and `found` unfinished there.
fn offered(found: Vec<Unfinished>) -> Sim {
    let mut sim = Sim::new();
    sim.state.bulk_jobs = JobsDir { dir: PathBuf::from(DIR), offer: true };
    sim.start();
    sim.answer_me("admin@example.com");
    sim.answer_meta();
    sim.answer_page(&users(30), None);
    let BulkEffect::FindUnfinished { req, dir } = bulk_effect(&mut sim) else { panic!("no look for unfinished jobs") };
    assert_eq!(dir, PathBuf::from(DIR));
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Unfinished(found))));
    sim
}

#[test]
fn unfinished_jobs_are_looked_for_at_start_unless_the_org_is_new_each_run() {
    let mut demo = Sim::new();
    demo.start();
    assert!(!demo.has(|e| matches!(e, Effect::Bulk(_))), "the demo's org is new: its old jobs cannot be resumed");

    let sim = offered(Vec::new());
    assert!(sim.state.overlay.is_none(), "nothing unfinished: nothing offered");
}

#[test]
fn enter_on_the_offer_resumes_the_newest_job_from_its_checkpoint() {
    let mut sim = offered(vec![job("20261202T110000Z", 2_480), job("20261201T090000Z", 300)]);
    let Some(Dialog::Unfinished(offer)) = dialog(&sim) else { panic!("not offered: {:?}", sim.state.overlay) };
    assert_eq!((offer.job.tally.done(), offer.more), (2_480, 1), "the newest, and how many more");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_resume_offer_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.ch('x');
    assert!(matches!(dialog(&sim), Some(Dialog::Unfinished(_))), "other keys keep the offer");

    sim.key(KeyCode::Enter);
    let BulkEffect::Resume { req, results } = bulk_effect(&mut sim) else { panic!("not resumed") };
    assert_eq!(results, PathBuf::from(DIR).join("bulk-suspend-20261202T110000Z.jsonl"));
    assert!(matches!(dialog(&sim), Some(Dialog::Job)), "the job screen shows it");
    let view = sim.state.bulk_job.as_ref().expect("a job");
    assert!(view.running() && view.req == req && view.progress.tally.done() == 2_480, "from the checkpoint's tally");
    assert!(sim.frame(140, 42).contains("2,480/5,000"), "{}", sim.frame(140, 42));

    let tally = Tally { total: 5_000, changed: 2_560, unchanged: 20, skipped: 0, failed: 0 };
    let progress =
        Progress { tally, done_here: 100, elapsed: std::time::Duration::from_secs(1), budget_wait: Default::default() };
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Progress(progress))));
    assert!(sim.frame(140, 42).contains("2,580/5,000"), "{}", sim.frame(140, 42));

    // A resumed job has no selection: `a` still finds its screen, where p and c are.
    sim.key(KeyCode::Esc);
    assert!(sim.state.selection.is_empty());
    sim.ch('a');
    assert!(matches!(dialog(&sim), Some(Dialog::Job)), "a shows the job screen: {:?}", sim.state.overlay);
}

#[test]
fn d_asks_first_then_ends_the_job_where_it_stopped_keeping_its_results() {
    let mut sim = offered(vec![job("20261202T110000Z", 2_480)]);
    sim.ch('d');
    assert!(matches!(dialog(&sim), Some(Dialog::ConfirmDiscard(_))));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_resume_discard_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.ch('n');
    assert!(matches!(dialog(&sim), Some(Dialog::Unfinished(_))), "any key but y goes back to the offer");
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))));

    sim.ch('d');
    sim.ch('y');
    let BulkEffect::Discard { req, results } = bulk_effect(&mut sim) else { panic!("not discarded") };
    assert_eq!(results, PathBuf::from(DIR).join("bulk-suspend-20261202T110000Z.jsonl"));
    assert!(sim.state.overlay.is_none());
    assert!(sim.state.bulk_job.is_none(), "nothing runs");
    let outcome = Ok(job("", 2_480).tally);
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Discarded { results: results.clone(), outcome })));
    let toast = sim.state.messages.toast(sim.state.now).map(|m| m.text.clone()).unwrap_or_default();
    assert!(toast.contains("2,480 of 5,000") && toast.contains(&results.display().to_string()), "{toast}");
}

#[test]
fn esc_leaves_the_job_to_be_offered_again_next_start() {
    let mut sim = offered(vec![job("20261202T110000Z", 2_480)]);
    sim.key(KeyCode::Esc);
    assert!(sim.state.overlay.is_none());
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "nothing resumed, nothing ended");
    let toast = sim.state.messages.toast(sim.state.now).map(|m| m.text.clone()).unwrap_or_default();
    assert!(toast.contains("again next start"), "{toast}");
}

#[test]
fn a_job_that_stopped_with_an_error_runs_on_with_r_from_its_screen() {
    let mut sim = offered(vec![job("20261202T110000Z", 2_480)]);
    sim.key(KeyCode::Enter);
    let BulkEffect::Resume { req, results } = bulk_effect(&mut sim) else { panic!("not resumed") };
    sim.ch('r');
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "r does nothing while the job runs");
    sim.key(KeyCode::Esc);
    let stopped = Err("cannot reach the org: connection refused".to_owned());
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Finished(stopped))));
    assert!(matches!(dialog(&sim), Some(Dialog::Job)), "the job screen, where r is, shows the stop");
    let message = sim.state.messages.toast(sim.state.now).map(|m| m.text.clone()).unwrap_or_default();
    assert!(message.contains("r on the job screen"), "{message}");
    assert!(sim.frame(140, 42).contains("r runs it on"), "{}", sim.frame(140, 42));

    sim.ch('r');
    let BulkEffect::Resume { req: again, results: same } = bulk_effect(&mut sim) else { panic!("not resumed") };
    assert_eq!(same, results, "the same job, in place");
    assert_ne!(again, req, "a new run: the old one's late answers are not its own");
    assert!(sim.state.bulk_job.as_ref().is_some_and(|j| j.running() && j.req == again));
    sim.send(Msg::Api(ReqId(req.0), ApiResult::Bulk(BulkResult::Finished(Err("late".into())))));
    assert!(sim.state.bulk_job.as_ref().is_some_and(|j| j.running()), "the stopped run's answer is ignored");

    let tally = Tally { total: 5_000, changed: 4_980, unchanged: 20, skipped: 0, failed: 0 };
    sim.send(Msg::Api(again, ApiResult::Bulk(BulkResult::Finished(Ok(tally)))));
    sim.ch('r');
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "a finished job is not run again");
}

#[test]
fn a_cancelled_job_ends_where_it_is_and_is_not_run_on() {
    let mut sim = offered(vec![job("20261202T110000Z", 2_480)]);
    sim.key(KeyCode::Enter);
    let BulkEffect::Resume { req, results } = bulk_effect(&mut sim) else { panic!("not resumed") };
    sim.ch('c');
    sim.ch('y');
    assert!(matches!(bulk_effect(&mut sim), BulkEffect::Cancel { req: r } if r == req));
    sim.ch('r');
    assert!(!sim.has(|e| matches!(e, Effect::Bulk(_))), "a cancelled job is ended, not run on");
    assert!(!sim.frame(140, 42).contains("r runs it on"), "{}", sim.frame(140, 42));

    // The driver ends it where it stopped and says so.
    let tally = Tally { total: 5_000, changed: 2_600, unchanged: 20, skipped: 0, failed: 2 };
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Discarded { results: results.clone(), outcome: Ok(tally) })));
    let toast = sim.state.messages.toast(sim.state.now).map(|m| m.text.clone()).unwrap_or_default();
    assert!(toast.contains("2,622 of 5,000") && toast.contains(&results.display().to_string()), "{toast}");
    assert_eq!(sim.state.bulk_job.as_ref().map(|j| j.progress.tally.done()), Some(2_622), "its screen shows where");
}
