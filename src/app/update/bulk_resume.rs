//! An unfinished bulk job offered at start (`Enter` resumes it, `d` ends
//! it where it stopped after asking, `Esc` leaves it for the next start),
//! and `r` on the screen of a job that stopped with an error.

use super::super::bulk::{BulkEffect, Dialog, JobView};
use super::super::bulk_resume::{Offer, resumable};
use super::super::{Effect, Overlay, State};
use crate::bulk::unfinished::Unfinished;
use crate::bulk::{Progress, Tally};
use crate::display::thousands;
use crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;
use std::time::Duration;

fn show(state: &mut State, dialog: Dialog) {
    state.overlay = Some(Overlay::Bulk(Box::new(dialog)));
}

/// At start: look for this org's unfinished jobs, unless its org is new.
pub fn find(state: &mut State) -> Vec<Effect> {
    if !state.bulk_jobs.offer {
        return Vec::new();
    }
    let req = state.next_req();
    vec![Effect::Bulk(BulkEffect::FindUnfinished { req, dir: state.bulk_jobs.dir.clone() })]
}

/// The newest unfinished job is offered; the others wait for later starts.
pub fn on_found(state: &mut State, found: Vec<Unfinished>) -> Vec<Effect> {
    let more = found.len().saturating_sub(1);
    let Some(job) = found.into_iter().next() else { return super::unchanged(state) };
    show(state, Dialog::Unfinished(Box::new(Offer { job, more })));
    Vec::new()
}

pub fn on_offer_key(state: &mut State, offer: Box<Offer>, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => {
            let Offer { job, .. } = *offer;
            resume(state, job.operation, job.results, job.tally)
        }
        KeyCode::Char('d') => {
            show(state, Dialog::ConfirmDiscard(offer));
            Vec::new()
        }
        KeyCode::Esc => {
            let text = format!("The unfinished bulk {} waits: oktui offers it again next start", offer.job.operation);
            state.messages.info(state.now, text);
            Vec::new()
        }
        _ => {
            show(state, Dialog::Unfinished(offer));
            Vec::new()
        }
    }
}

pub fn on_confirm_discard(state: &mut State, offer: Box<Offer>, key: KeyEvent) -> Vec<Effect> {
    if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
        show(state, Dialog::Unfinished(offer));
        return Vec::new();
    }
    let req = state.next_req();
    vec![Effect::Bulk(BulkEffect::Discard { req, results: offer.job.results.clone() })]
}

pub fn on_discarded(state: &mut State, results: PathBuf, outcome: Result<Tally, String>) -> Vec<Effect> {
    let shown = results.display();
    match outcome {
        Ok(tally) => {
            // A cancelled job's screen shows where it ended.
            if let Some(job) = state.bulk_job.as_mut().filter(|j| j.results == results && !j.running()) {
                job.progress.tally = tally.clone();
            }
            let text = format!(
                "Bulk job ended where it stopped: {} of {} users done, their results in {shown}",
                thousands(tally.done()),
                thousands(tally.total)
            );
            state.messages.info(state.now, text);
        }
        Err(e) => state.messages.error(state.now, format!("Could not end the bulk job writing {shown}: {e}")),
    }
    Vec::new()
}

/// `r` on the screen of a job that stopped: it runs on from its
/// checkpoint, as after a crash.
pub fn resume_stopped(state: &mut State) -> Vec<Effect> {
    let Some(job) = state.bulk_job.as_ref().filter(|j| resumable(j)) else {
        show(state, Dialog::Job);
        return Vec::new();
    };
    let (operation, results, tally) = (job.operation.clone(), job.results.clone(), job.progress.tally.clone());
    resume(state, operation, results, tally)
}

/// Shows the job screen for the job writing `results`, continuing from
/// `tally`, and has the driver run it on.
fn resume(state: &mut State, operation: String, results: PathBuf, tally: Tally) -> Vec<Effect> {
    if state.bulk_job.as_ref().is_some_and(JobView::running) {
        state.messages.error(state.now, "A bulk job is running: one at a time; the other is offered next start");
        return Vec::new();
    }
    let req = state.next_req();
    let progress = Progress { tally, done_here: 0, elapsed: Duration::ZERO };
    state.bulk_job = Some(JobView { req, operation, results: results.clone(), progress, ended: None, paused: false });
    show(state, Dialog::Job);
    vec![Effect::Bulk(BulkEffect::Resume { req, results })]
}
