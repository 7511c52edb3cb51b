//! Bulk operations on the selection: the menu, the plan screen (a
//! destructive operation asks for the number of users typed), and the job
//! while it runs and when it ends.

use super::super::bulk::{self, Back, BulkEffect, BulkResult, Dialog, JobView, OPERATIONS, Planned};
use super::super::{Effect, Overlay, ReqId, State};
use crate::bulk::{Action, Operation, Progress};
use crate::display::thousands;
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

fn show(state: &mut State, dialog: Dialog) {
    state.overlay = Some(Overlay::Bulk(Box::new(dialog)));
}

/// Whether `a` shows the job screen: while a job runs or is paused (one
/// job at a time), and, without a selection to act on, while a stopped
/// job waits for `r`. A job resumed at start has no selection, and its
/// screen is where `p` and `c` are.
pub fn job_on_a(state: &State) -> bool {
    state
        .bulk_job
        .as_ref()
        .is_some_and(|job| job.running() || (state.selection.is_empty() && crate::app::bulk_resume::resumable(job)))
}

/// `a` with a selection: the operations for it, or the job screen (see
/// [`job_on_a`]).
pub fn open_menu(state: &mut State) -> Vec<Effect> {
    if job_on_a(state) {
        show(state, Dialog::Job);
        return Vec::new();
    }
    show(state, Dialog::Menu { cursor: 0 });
    Vec::new()
}

pub fn on_key(state: &mut State, dialog: Dialog, key: KeyEvent) -> Vec<Effect> {
    match dialog {
        Dialog::ConfirmClear => super::selection::on_confirm_clear(state, key),
        Dialog::Menu { cursor } => on_menu_key(state, cursor, key),
        // The survey's answer finds no dialog waiting for it and is dropped.
        Dialog::Surveying { back, .. } if key.code == KeyCode::Esc => {
            go_back(state, back);
            Vec::new()
        }
        dialog @ Dialog::Surveying { .. } => {
            show(state, dialog);
            Vec::new()
        }
        Dialog::Plan(planned) => on_plan_key(state, planned, key),
        Dialog::Job => on_job_key(state, key),
        Dialog::ConfirmCancel => on_confirm_cancel(state, key),
        Dialog::PickGroup(pick) => super::bulk_pick::on_group_key(state, pick, key),
        Dialog::SetAttributes(form) => super::bulk_pick::on_set_key(state, form, key),
        Dialog::Unfinished(offer) => super::bulk_resume::on_offer_key(state, offer, key),
        Dialog::ConfirmDiscard(offer) => super::bulk_resume::on_confirm_discard(state, offer, key),
    }
}

fn on_menu_key(state: &mut State, cursor: usize, key: KeyEvent) -> Vec<Effect> {
    let n = OPERATIONS.len();
    let cursor = match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return Vec::new(),
        KeyCode::Down | KeyCode::Char('j') => (cursor + 1) % n,
        KeyCode::Up | KeyCode::Char('k') => (cursor + n - 1) % n,
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => n - 1,
        KeyCode::Enter => match super::bulk_pick::open(state, OPERATIONS[cursor % n]) {
            Some(effects) => return effects,
            None => return survey(state, OPERATIONS[cursor % n]),
        },
        _ => cursor,
    };
    show(state, Dialog::Menu { cursor });
    Vec::new()
}

fn survey(state: &mut State, name: &str) -> Vec<Effect> {
    let operation = match Operation::parse(&[name.to_owned()]) {
        Ok(operation) => operation,
        Err(e) => {
            state.messages.error(state.now, e);
            return Vec::new();
        }
    };
    plan(state, operation, None)
}

/// Reads the org to plan `operation` on the selection; nothing is sent.
/// `back`: the dialog the operation was made in.
pub(super) fn plan(state: &mut State, operation: Operation, back: Back) -> Vec<Effect> {
    let req = state.next_req();
    show(state, Dialog::Surveying { req, operation: operation.to_string(), back });
    vec![Effect::Bulk(BulkEffect::Survey { req, operation, users: bulk::users(state) })]
}

fn on_plan_key(state: &mut State, mut planned: Box<Planned>, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.messages.info(state.now, "Plan dropped: nothing was changed");
            go_back(state, planned.back);
            return Vec::new();
        }
        KeyCode::Enter => return start(state, planned),
        KeyCode::Char(c) if planned.plan.destructive && (c.is_ascii_digit() || c == ',') => {
            planned.typed.handle_event(&Event::Key(key));
        }
        KeyCode::Backspace if planned.plan.destructive => {
            planned.typed.handle_event(&Event::Key(key));
        }
        // The plan's text scrolls under its keys, up to its last line as
        // last drawn.
        code => {
            let limit = state.viewport.bulk_scroll_limit;
            planned.scroll = match code {
                KeyCode::Down | KeyCode::Char('j') => planned.scroll.saturating_add(1),
                KeyCode::Up | KeyCode::Char('k') => planned.scroll.saturating_sub(1),
                KeyCode::PageDown => planned.scroll.saturating_add(10),
                KeyCode::PageUp => planned.scroll.saturating_sub(10),
                KeyCode::Char('g') | KeyCode::Home => 0,
                KeyCode::Char('G') | KeyCode::End => limit,
                _ => planned.scroll,
            }
            .min(limit);
        }
    }
    show(state, Dialog::Plan(planned));
    Vec::new()
}

/// Enter on the plan: starts the job, once a destructive one has its
/// number of users typed.
fn start(state: &mut State, mut planned: Box<Planned>) -> Vec<Effect> {
    let count = planned.plan.change.count;
    if count == 0 {
        state.messages.info(state.now, "Nothing to change: no job started");
        return Vec::new();
    }
    if planned.plan.destructive && planned.typed.value().replace(',', "") != count.to_string() {
        planned.error = Some(format!("Type {} (the users to change) to go ahead", thousands(count)));
        show(state, Dialog::Plan(planned));
        return Vec::new();
    }
    if state.bulk_job.as_ref().is_some_and(JobView::running) {
        planned.error = Some("A bulk job is running: one at a time".into());
        show(state, Dialog::Plan(planned));
        return Vec::new();
    }
    let req = state.next_req();
    let Planned { plan, units, action, .. } = *planned;
    let operation = plan.operation.clone();
    let stamp = state.now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let results = state.bulk_jobs.dir.join(format!("bulk-{}-{stamp}.jsonl", file_word(&action)));
    let selection = plan.selection.clone();
    let total = plan.total;
    state.bulk_job = Some(JobView {
        req,
        operation: operation.clone(),
        results: results.clone(),
        progress: Progress {
            tally: crate::bulk::Tally { total, ..Default::default() },
            done_here: 0,
            elapsed: std::time::Duration::ZERO,
            // Until the first user is done, the plan's estimate tells.
            budget_wait: plan.estimate.unwrap_or_default(),
        },
        ended: None,
        paused: false,
    });
    show(state, Dialog::Job);
    vec![Effect::Bulk(BulkEffect::Run { req, operation, selection, action, units, results })]
}

/// The job as part of a file name: what it does, not the values a `set`
/// holds (anything typed, `/` and `..` included); a group's id comes from
/// the org, so it keeps only letters, digits and `-`.
fn file_word(action: &Action) -> String {
    let word = match action {
        Action::Lifecycle { name, .. } => name.clone(),
        Action::AddToGroup { group_id, .. } => format!("add-to-group-{group_id}"),
        Action::RemoveFromGroup { group_id, .. } => format!("remove-from-group-{group_id}"),
        Action::Set { .. } => "set".to_owned(),
        Action::ClearSessions => "clear-sessions".to_owned(),
    };
    word.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(60).collect()
}

/// The job screen: `Esc` hides it (the job goes on, the header shows
/// it); `p` pauses and resumes it; `c` cancels, asking first with `y`.
fn on_job_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let running = state.bulk_job.as_ref().filter(|j| j.running()).map(|j| j.req);
    match (key.code, running) {
        (KeyCode::Esc | KeyCode::Char('q'), _) => {}
        (KeyCode::Char('c'), Some(_)) => show(state, Dialog::ConfirmCancel),
        (KeyCode::Char('r'), None) => return super::bulk_resume::resume_stopped(state),
        (KeyCode::Char('p'), Some(req)) => {
            show(state, Dialog::Job);
            return toggle_pause(state, req);
        }
        _ => show(state, Dialog::Job),
    }
    Vec::new()
}

fn toggle_pause(state: &mut State, req: ReqId) -> Vec<Effect> {
    let Some(job) = state.bulk_job.as_mut() else { return Vec::new() };
    job.paused = !job.paused;
    vec![Effect::Bulk(BulkEffect::Pause { req, paused: job.paused })]
}

fn on_confirm_cancel(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(job) = state.bulk_job.as_mut().filter(|j| j.running()) else { return Vec::new() };
    if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
        show(state, Dialog::Job);
        return Vec::new();
    }
    let req = job.req;
    job.ended = Some(Err(super::super::bulk_resume::CANCELLED.into()));
    let text = format!("Bulk job cancelled: it ends where it is, its results in {}", job.results.display());
    state.messages.info(state.now, text);
    show(state, Dialog::Job);
    vec![Effect::Bulk(BulkEffect::Cancel { req })]
}

pub fn on_result(state: &mut State, req: ReqId, result: BulkResult) -> Vec<Effect> {
    match result {
        BulkResult::Planned(result) => on_planned(state, req, result),
        BulkResult::Unfinished(found) => super::bulk_resume::on_found(state, found),
        BulkResult::Discarded { results, outcome } => super::bulk_resume::on_discarded(state, results, outcome),
        BulkResult::Progress(progress) => {
            if let Some(job) = state.bulk_job.as_mut().filter(|j| j.req == req && j.running()) {
                job.progress = progress;
            }
            Vec::new()
        }
        BulkResult::Finished(result) => {
            let Some(job) = state.bulk_job.as_mut().filter(|j| j.req == req && j.running()) else {
                return Vec::new();
            };
            let where_ = job.results.display().to_string();
            match result {
                Ok(tally) => {
                    job.progress.tally = tally.clone();
                    job.ended = Some(Ok(()));
                    let text = format!(
                        "{}: {} changed, {} unchanged, {} skipped, {} failed; results in {where_}",
                        job.operation,
                        thousands(tally.changed),
                        thousands(tally.unchanged),
                        thousands(tally.skipped),
                        thousands(tally.failed)
                    );
                    match tally.failed {
                        0 => state.messages.success(state.now, text),
                        _ => state.messages.error(state.now, text),
                    }
                    // The rows show the statuses from before the job.
                    if !state.list.rows.is_empty() && !state.list.is_loading() {
                        state.list.begin_refresh();
                        let from = super::super::PageFrom::First(super::current_query(state));
                        return vec![super::fetch_page(state, from)];
                    }
                }
                Err(e) => {
                    job.ended = Some(Err(e.clone()));
                    let text = format!(
                        "The bulk job stopped: {e}. r on the job screen runs it on from where it stopped (the \
                         next start offers it too); results in {where_}"
                    );
                    state.messages.error(state.now, text);
                    // The job screen is where `r` is.
                    if state.overlay.is_none() {
                        show(state, Dialog::Job);
                    }
                }
            }
            Vec::new()
        }
    }
}

type Surveyed = Result<Box<(crate::bulk::Plan, Vec<crate::bulk::Unit>, crate::bulk::Action)>, String>;

fn on_planned(state: &mut State, req: ReqId, result: Surveyed) -> Vec<Effect> {
    let back = match state.overlay.take() {
        Some(Overlay::Bulk(dialog)) => match *dialog {
            Dialog::Surveying { req: r, back, .. } if r == req => back,
            other => {
                state.overlay = Some(Overlay::Bulk(Box::new(other)));
                return super::unchanged(state);
            }
        },
        other => {
            state.overlay = other;
            return super::unchanged(state);
        }
    };
    match result {
        Ok(surveyed) => {
            let (plan, units, action) = *surveyed;
            if let Some(all) = state.selection.all_matching().cloned() {
                state.selection.counted(&all.expression, plan.total);
            }
            let planned = Planned { plan, units, action, typed: Default::default(), scroll: 0, error: None, back };
            show(state, Dialog::Plan(Box::new(planned)));
        }
        Err(e) => {
            state.messages.error(state.now, format!("Could not make the plan: {e}"));
            go_back(state, back);
        }
    }
    Vec::new()
}

/// Shows the dialog the operation was made in, as it was left.
fn go_back(state: &mut State, back: Back) {
    state.overlay = back.map(Overlay::Bulk);
}
