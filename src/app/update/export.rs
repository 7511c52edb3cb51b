//! `e`: export the list as shown to a JSON-lines file, and its progress.

use super::super::export::{ExportJob, Exported, file_name};
use super::super::search::{Plan, export_query, plan};
use super::super::{Effect, State};
use super::unchanged;
use crate::display::thousands;
use crate::export::Error;

pub fn start(state: &mut State) -> Vec<Effect> {
    if let Some(job) = &state.export {
        let text = format!("An export to {} is still running; one at a time", job.file.display());
        state.messages.error(state.now, text);
        return Vec::new();
    }
    let plan = plan(&state.search.applied).unwrap_or(Plan::Everyone);
    let query = export_query(&plan, &state.statuses);
    let req = state.next_req();
    let file = file_name(state.now);
    state.messages.info(state.now, format!("Exporting the list to {}", file.display()));
    state.export = Some(ExportJob { req, file: file.clone(), users: 0 });
    vec![Effect::Export { req, query, file }]
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
