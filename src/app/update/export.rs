//! `x`: export the list as shown to a JSON-lines or CSV file, and its
//! progress.

use super::super::export::{DialogFocus, ExportDialog, ExportJob, Exported, file_name};
use super::super::list::Paging;
use super::super::search::{Plan, export_query, plan};
use super::super::{Effect, Overlay, State};
use super::unchanged;
use crate::display::thousands;
use crate::export::{Error, Format};
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

/// `x`: the dialog, unless an export is running or the list is known to
/// be empty.
pub fn open(state: &mut State) -> Vec<Effect> {
    if let Some(job) = &state.export {
        let text = format!("An export to {} is still running; one at a time", job.file.display());
        state.messages.error(state.now, text);
        return Vec::new();
    }
    if state.list.rows.is_empty() && state.list.paging == Paging::Done {
        state.messages.info(state.now, "Nothing to export: no user matches the list's search and status filter");
        return Vec::new();
    }
    state.overlay = Some(Overlay::Export(ExportDialog::default()));
    Vec::new()
}

pub fn on_dialog_key(state: &mut State, mut dialog: ExportDialog, key: KeyEvent) -> Vec<Effect> {
    let on_format = dialog.focus == DialogFocus::Format;
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter => match dialog.format() {
            Ok(format) => return start(state, format),
            Err(e) => dialog.error = Some(e),
        },
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
            // The columns are a stop only for CSV.
            dialog.focus = match dialog.focus {
                DialogFocus::Format if dialog.csv => DialogFocus::Columns,
                _ => DialogFocus::Format,
            };
        }
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ' | 'h' | 'l') if on_format => dialog.csv = !dialog.csv,
        _ if !on_format && dialog.columns.handle_event(&Event::Key(key)).is_some_and(|c| c.value) => {
            dialog.error = None;
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Export(dialog));
    Vec::new()
}

fn start(state: &mut State, format: Format) -> Vec<Effect> {
    let plan = plan(&state.search.applied).unwrap_or(Plan::Everyone);
    let query = export_query(&plan, &state.statuses);
    let req = state.next_req();
    let file = file_name(state.now, &format);
    state.messages.info(state.now, format!("Exporting the list to {}", file.display()));
    state.export = Some(ExportJob { req, file: file.clone(), users: 0 });
    vec![Effect::Export { req, query, format, file }]
}

pub fn on_progress(state: &mut State, req: super::super::ReqId, users: u64) -> Vec<Effect> {
    match &mut state.export {
        Some(job) if job.req == req => job.users = users,
        _ => return unchanged(state),
    }
    Vec::new()
}

pub fn on_done(state: &mut State, req: super::super::ReqId, result: Result<Exported, Error>) -> Vec<Effect> {
    if state.export.as_ref().is_none_or(|job| job.req != req) {
        return unchanged(state);
    }
    let job = state.export.take().expect("checked above");
    match result {
        Ok(done) if done.summary.users == 0 => {
            // The driver removed the empty file.
            let text = "Nothing exported: no user matches the list's search and status filter; no file written";
            state.messages.info(state.now, text);
        }
        Ok(done) => {
            let summary = &done.summary;
            let text = format!(
                "Exported {} users to {} in {:.1} s",
                thousands(summary.users),
                done.path.display(),
                summary.elapsed.as_secs_f64()
            );
            state.messages.success(state.now, text);
        }
        Err(e) => {
            let text = format!("Export to {} failed, no file written: {e}", job.file.display());
            state.messages.error(state.now, text);
        }
    }
    Vec::new()
}
