//! `i`: the import screen's keys and the answers to its effects.

use super::super::import::{
    Finished, Import, ImportEffect, ImportResult, OPTIONS, PlanView, Prompt, Read, Running, Step, complete, dir_of,
};
use super::super::{Effect, ReqId, State};
use super::unchanged;
use crate::display::thousands;
use crate::import::{Kind, Progress, results_path};
use crossterm::event::{Event, KeyCode, KeyEvent};
use std::path::PathBuf;
use tui_input::backend::crossterm::EventHandler;

/// `i`: the prompt, or the import already open or running.
pub fn open(state: &mut State) -> Vec<Effect> {
    match &mut state.import {
        Some(import) => import.shown = true,
        None => state.import = Some(Box::new(Import { shown: true, step: Step::Prompt(Prompt::default()) })),
    }
    Vec::new()
}

/// Whether the screen takes the keyboard.
pub fn is_shown(state: &State) -> bool {
    state.import.as_ref().is_some_and(|i| i.shown)
}

/// The path prompt, when it is what the screen shows (for pastes).
pub fn prompt_mut(state: &mut State) -> Option<&mut Prompt> {
    match state.import.as_deref_mut() {
        Some(Import { shown: true, step: Step::Prompt(prompt) }) if prompt.focus == 0 => Some(prompt),
        _ => None,
    }
}

pub fn is_running(state: &State) -> bool {
    state.import.as_ref().is_some_and(|i| matches!(i.step, Step::Running(_)))
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(mut import) = state.import.take() else { return Vec::new() };
    if matches!(import.step, Step::Prompt(_)) && key.code == KeyCode::Esc {
        return Vec::new();
    }
    let step = std::mem::replace(&mut import.step, Step::Prompt(Prompt::default()));
    let (step, effects) = match step {
        Step::Prompt(prompt) => on_prompt_key(state, prompt, key),
        Step::Reading { prompt, .. } if key.code == KeyCode::Esc => (Step::Prompt(prompt), Vec::new()),
        step @ Step::Reading { .. } => (step, Vec::new()),
        Step::Problems { prompt, problems, scroll } => match key.code {
            KeyCode::Esc | KeyCode::Enter => (Step::Prompt(prompt), Vec::new()),
            code => {
                let scroll = scrolled(scroll, code, problems.len());
                (Step::Problems { prompt, problems, scroll }, Vec::new())
            }
        },
        Step::Plan(plan) => on_plan_key(state, plan, key),
        Step::Running(running) => match key.code {
            KeyCode::Char('y' | 'Y') if running.cancelling => return cancel(state, import, *running),
            KeyCode::Char('n' | 'N') | KeyCode::Esc if running.cancelling => {
                (Step::Running(Box::new(Running { cancelling: false, ..*running })), Vec::new())
            }
            KeyCode::Char('c') => (Step::Running(Box::new(Running { cancelling: true, ..*running })), Vec::new()),
            KeyCode::Char('p') if !running.cancelling => toggle_pause(state, *running),
            KeyCode::Esc => {
                // The job goes on; `i` shows it again.
                import.shown = false;
                (Step::Running(running), Vec::new())
            }
            _ => (Step::Running(running), Vec::new()),
        },
        Step::Done(_) if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) => {
            return Vec::new();
        }
        step @ Step::Done(_) => (step, Vec::new()),
    };
    import.step = step;
    state.import = Some(import);
    effects
}

fn on_prompt_key(state: &mut State, mut prompt: Prompt, key: KeyEvent) -> (Step, Vec<Effect>) {
    match key.code {
        KeyCode::Enter => return read(state, prompt),
        KeyCode::Down => prompt.focus = (prompt.focus + 1) % (OPTIONS.len() + 1),
        KeyCode::Up => prompt.focus = (prompt.focus + OPTIONS.len()) % (OPTIONS.len() + 1),
        KeyCode::Tab if prompt.focus == 0 => {
            let req = state.next_req();
            prompt.completing = Some(req);
            let dir = dir_of(prompt.path.value());
            return (Step::Prompt(prompt), vec![Effect::Import(ImportEffect::List { req, dir })]);
        }
        KeyCode::Tab => prompt.focus = 0,
        KeyCode::Char(' ') if prompt.focus > 0 => {
            let flag = OPTIONS[prompt.focus - 1].1(&mut prompt.options);
            *flag = !*flag;
            prompt.error = None;
        }
        _ if prompt.focus == 0 && prompt.path.handle_event(&Event::Key(key)).is_some_and(|c| c.value) => {
            prompt.candidates.clear();
            prompt.completing = None;
            prompt.error = None;
        }
        _ => {}
    }
    (Step::Prompt(prompt), Vec::new())
}

fn read(state: &mut State, mut prompt: Prompt) -> (Step, Vec<Effect>) {
    let path = prompt.path.value().trim().to_owned();
    if path.is_empty() {
        prompt.error = Some("Type the path of a .csv or .xlsx file (Tab completes)".into());
        return (Step::Prompt(prompt), Vec::new());
    }
    if let Err(e) = prompt.options.check() {
        prompt.error = Some(e);
        return (Step::Prompt(prompt), Vec::new());
    }
    let req = state.next_req();
    let options = prompt.options;
    prompt.candidates.clear();
    prompt.error = None;
    let effect = Effect::Import(ImportEffect::Read { req, path: PathBuf::from(path), options });
    (Step::Reading { req, prompt }, vec![effect])
}

fn on_plan_key(state: &mut State, mut plan: Box<PlanView>, key: KeyEvent) -> (Step, Vec<Effect>) {
    if plan.confirming {
        match key.code {
            KeyCode::Char('y' | 'Y') => return run(state, plan),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => plan.confirming = false,
            _ => {}
        }
        return (Step::Plan(plan), Vec::new());
    }
    match key.code {
        KeyCode::Esc => return (Step::Prompt(plan.prompt), Vec::new()),
        KeyCode::Enter if plan.writes() == 0 => {
            let text = "Nothing to write: every row is unchanged, existing or invalid";
            state.messages.info(state.now, text);
        }
        KeyCode::Enter => plan.confirming = true,
        KeyCode::Char('0') => plan.filter = None,
        KeyCode::Char(c @ '1'..='5') => {
            let kind = Kind::ALL[usize::from(c as u8 - b'1')];
            plan.filter = if plan.filter == Some(kind) { None } else { Some(kind) };
            plan.scroll = 0;
        }
        code => {
            let rows = plan.shown().count();
            plan.scroll = scrolled(plan.scroll, code, rows);
        }
    }
    (Step::Plan(plan), Vec::new())
}

/// A list's first shown item after a scrolling key.
fn scrolled(scroll: usize, code: KeyCode, len: usize) -> usize {
    let last = len.saturating_sub(1);
    let to = match code {
        KeyCode::Down | KeyCode::Char('j') => scroll.saturating_add(1),
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown => scroll.saturating_add(10),
        KeyCode::PageUp => scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => last,
        _ => scroll,
    };
    to.min(last)
}

fn run(state: &mut State, plan: Box<PlanView>) -> (Step, Vec<Effect>) {
    let req = state.next_req();
    let path = plan.read.path.clone();
    let results = results_path(&path);
    let total = plan.writes() as u64;
    let text = format!("Importing {} rows of {}", thousands(total), path.display());
    state.messages.info(state.now, text);
    let effect = Effect::Import(ImportEffect::Run {
        req,
        loaded: plan.read.loaded.clone(),
        options: plan.prompt.options,
        results: results.clone(),
    });
    let running = Running {
        req,
        path,
        results,
        started: state.now,
        progress: Progress { done: 0, total },
        cancelling: false,
        paused_since: None,
    };
    (Step::Running(Box::new(running)), vec![effect])
}

/// `p`: pauses, or resumes with the pause left out of the running time,
/// so the rate holds.
fn toggle_pause(state: &State, mut running: Running) -> (Step, Vec<Effect>) {
    match running.paused_since.take() {
        Some(since) => {
            running.started = running.started.checked_add(state.now.duration_since(since)).unwrap_or(running.started);
        }
        None => running.paused_since = Some(state.now),
    }
    let paused = running.paused_since.is_some();
    (Step::Running(Box::new(running)), vec![Effect::Import(ImportEffect::Pause { paused })])
}

fn cancel(state: &mut State, mut import: Box<Import>, running: Running) -> Vec<Effect> {
    let done = running.progress;
    let text = format!(
        "Import cancelled after {} of {} rows; the rows written stay. `oktui import {} --resume` continues it \
         (with the same options)",
        thousands(done.done),
        thousands(done.total),
        running.path.display()
    );
    state.messages.info(state.now, text.clone());
    import.step = Step::Done(Box::new(Finished { path: running.path, results: running.results, outcome: Err(text) }));
    state.import = Some(import);
    vec![Effect::Import(ImportEffect::Cancel)]
}

pub fn on_result(state: &mut State, req: ReqId, result: ImportResult) -> Vec<Effect> {
    let Some(import) = state.import.as_mut() else { return unchanged(state) };
    match (&mut import.step, result) {
        (Step::Prompt(prompt), ImportResult::Listed(listed)) if prompt.completing == Some(req) => {
            prompt.completing = None;
            match listed {
                Ok(entries) => {
                    let (path, candidates) = complete(prompt.path.value(), &entries);
                    prompt.path = prompt.path.clone().with_value(path);
                    prompt.candidates = candidates;
                }
                Err(e) => prompt.error = Some(e),
            }
        }
        (Step::Reading { req: awaited, .. }, ImportResult::Read(read)) if *awaited == req => {
            let Step::Reading { prompt, .. } = std::mem::replace(&mut import.step, Step::Prompt(Prompt::default()))
            else {
                return Vec::new();
            };
            import.step = after_read(prompt, read);
        }
        (Step::Running(running), ImportResult::Progress(progress)) if running.req == req => {
            running.progress = progress;
        }
        (Step::Running(running), ImportResult::Ran(outcome)) if running.req == req => {
            let text = match &outcome {
                Ok(summary) => format!("Import of {}: {summary}", running.path.display()),
                Err(e) => format!("Import of {} stopped: {e}", running.path.display()),
            };
            match &outcome {
                Ok(summary) if summary.failed == 0 => state.messages.success(state.now, text),
                _ => state.messages.error(state.now, text),
            }
            let finished = Finished { path: running.path.clone(), results: running.results.clone(), outcome };
            import.step = Step::Done(Box::new(finished));
        }
        _ => return unchanged(state),
    }
    Vec::new()
}

fn after_read(mut prompt: Prompt, read: Result<Read, String>) -> Step {
    match read {
        Err(e) => {
            prompt.error = Some(e);
            Step::Prompt(prompt)
        }
        Ok(read) => {
            let header_broken = read.problems.iter().any(|p| p.row == 1);
            if !read.problems.is_empty() && (header_broken || !prompt.options.skip_invalid) {
                return Step::Problems { prompt, problems: read.problems, scroll: 0 };
            }
            Step::Plan(Box::new(PlanView { prompt, read, filter: None, scroll: 0, confirming: false }))
        }
    }
}
