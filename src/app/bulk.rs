//! Bulk operations in the TUI: the operations menu, the plan screen and
//! the job's progress, and what the selection amounts to against the list
//! on screen. The org is surveyed and the job run by the driver
//! (`crate::bulk`); the app holds their values only.

use super::ReqId;
use super::State;
use super::list::Paging;
use super::search;
use super::selection::Size;
use crate::bulk::{Action, Operation, Plan, Progress, Tally, Unit};
use std::path::PathBuf;
use tui_input::Input;

/// The operations offered on a selection, by the names `oktui bulk`
/// takes; those that lose data or access last, away from the cursor.
pub const OPERATIONS: [&str; 14] = [
    "suspend",
    "unsuspend",
    "activate",
    "reactivate",
    "unlock",
    "expire_password",
    "reset_password",
    "add-to-group",
    "remove-from-group",
    "set",
    "clear-sessions",
    "deactivate",
    "reset_factors",
    "delete",
];

#[derive(Debug, Clone)]
pub enum Dialog {
    /// `Esc` on a large selection: clearing it loses work, so it asks.
    ConfirmClear,
    /// `a` with a selection: which operation.
    Menu {
        cursor: usize,
    },
    /// The org is being read to make the plan.
    Surveying {
        req: ReqId,
        operation: String,
        /// Where Esc or a failed survey returns to.
        back: Back,
    },
    Plan(Box<Planned>),
    /// The running or finished job, in full.
    Job,
    /// `c` on the job screen: cancel the job?
    ConfirmCancel,
    /// `add-to-group` / `remove-from-group`: which group.
    PickGroup(Box<super::bulk_pick::GroupPick>),
    /// `set`: which attributes, to what.
    SetAttributes(Box<super::bulk_pick::SetForm>),
    /// At start: an unfinished job of this org, offered for resume.
    Unfinished(Box<super::bulk_resume::Offer>),
    /// `d` on the offer: end that job where it stopped?
    ConfirmDiscard(Box<super::bulk_resume::Offer>),
}

/// A plan, and what running it needs.
#[derive(Debug, Clone)]
pub struct Planned {
    pub plan: Plan,
    pub units: Vec<Unit>,
    pub action: Action,
    /// The number of users, typed to confirm a destructive operation.
    pub typed: Input,
    /// How far the plan's text is scrolled (the keys stay in view).
    pub scroll: u16,
    pub error: Option<String>,
    /// Where Esc returns to.
    pub back: Back,
}

/// The dialog an operation was made in (the set form, the group picker),
/// returned to when its plan is dropped or cannot be made, so what was
/// typed there is not lost; `None` for the menu's plain operations.
pub type Back = Option<Box<Dialog>>;

/// A job started from the TUI.
#[derive(Debug, Clone)]
pub struct JobView {
    pub req: ReqId,
    pub operation: String,
    pub results: PathBuf,
    pub progress: Progress,
    /// `None` while it runs; then how it ended.
    pub ended: Option<Result<(), String>>,
    /// `p` on the job screen: no user is started until `p` again.
    pub paused: bool,
}

impl JobView {
    /// Whether it has not ended: paused counts, as it can go on.
    pub fn running(&self) -> bool {
        self.ended.is_none()
    }

    /// Whether it is working now: running and not paused.
    pub fn busy(&self) -> bool {
        self.running() && !self.paused
    }
}

#[derive(Debug, Clone)]
pub enum BulkEffect {
    /// Read the org for `operation` on `users` and make the plan.
    Survey { req: ReqId, operation: Operation, users: crate::bulk::Selection },
    /// Run the plan's users, results to `results`.
    Run { req: ReqId, operation: String, selection: String, action: Action, units: Vec<Unit>, results: PathBuf },
    /// Stop the job with `req` (what it did is in its results file).
    Cancel { req: ReqId },
    /// Look in `dir` for unfinished jobs of this org.
    FindUnfinished { req: ReqId, dir: PathBuf },
    /// Run the unfinished job writing `results` on from its checkpoint.
    Resume { req: ReqId, results: PathBuf },
    /// End the unfinished job writing `results` where it stopped.
    Discard { req: ReqId, results: PathBuf },
    /// Hold the job with `req` (start no more users), or let it go on.
    Pause { req: ReqId, paused: bool },
}

impl BulkEffect {
    pub fn req(&self) -> ReqId {
        match self {
            BulkEffect::Survey { req, .. } | BulkEffect::Run { req, .. } | BulkEffect::Cancel { req } => *req,
            BulkEffect::FindUnfinished { req, .. }
            | BulkEffect::Resume { req, .. }
            | BulkEffect::Discard { req, .. } => *req,
            BulkEffect::Pause { req, .. } => *req,
        }
    }
}

#[derive(Debug)]
pub enum BulkResult {
    Planned(Result<Box<(Plan, Vec<Unit>, Action)>, String>),
    Progress(Progress),
    Finished(Result<Tally, String>),
    /// The unfinished jobs of this org, newest first.
    Unfinished(Vec<crate::bulk::unfinished::Unfinished>),
    /// An unfinished job ended where it stopped: its counts, or why not.
    Discarded {
        results: PathBuf,
        outcome: Result<Tally, String>,
    },
}

/// The expression a `*` selection records for the list as now searched.
pub fn list_expression(state: &State) -> String {
    let plan = search::plan(&state.search.applied).unwrap_or(search::Plan::Everyone);
    search::search_expression(&plan, &state.statuses)
}

/// Whether every listed row is in the selection: "all matching" was
/// chosen for the search and statuses the list shows now.
pub fn covers_list(state: &State) -> bool {
    state.selection.all_matching().is_some_and(|all| all.expression == list_expression(state))
}

/// How much is selected. An "all matching" selection is counted once
/// paging has seen all of it, by the list here or by a plan's survey.
pub fn size(state: &State) -> Option<Size> {
    match state.selection.size()? {
        Size::AllCounting if state.list.paging == Paging::Done && covers_list(state) => {
            Some(Size::All(state.list.rows.len() as u64))
        }
        size => Some(size),
    }
}

/// Whether the row with `id` at `index` is marked: selected, or inside
/// an open range.
pub fn is_marked(state: &State, id: &str, index: usize, all: bool) -> bool {
    if all || state.selection.is_picked(id) {
        return true;
    }
    let Some(anchor) = state.selection.anchor() else { return false };
    let Some(start) = state.list.rows.iter().position(|r| r.id() == anchor) else { return false };
    let (low, high) = (start.min(state.list.selected), start.max(state.list.selected));
    (low..=high).contains(&index)
}

/// The users a job acts on: the `*` search, or the ids picked.
pub fn users(state: &State) -> crate::bulk::Selection {
    match state.selection.all_matching() {
        Some(all) => crate::bulk::Selection::Search(all.expression.clone()),
        None => crate::bulk::Selection::Listed(state.selection.picked().map(str::to_owned).collect()),
    }
}

/// `done/total · rate · ETA`, from what this run did so far (without
/// the rate where room is short); while paused, `done/total · paused`, as
/// no time is left to count down.
pub fn progress_line(job: &JobView, with_rate: bool) -> String {
    let progress = &job.progress;
    let tally = &progress.tally;
    let done = tally.done();
    let counts = format!("{}/{}", crate::display::thousands(done), crate::display::thousands(tally.total));
    if job.paused {
        return format!("{counts} · paused");
    }
    let rate = progress.rate();
    let eta = progress.time_left().map_or_else(|| "unknown".to_owned(), crate::bulk::plan::about);
    match with_rate {
        true => format!("{counts} · {rate:.1}/s · ETA {eta}"),
        false => format!("{counts} · ETA {eta}"),
    }
}
