//! Bulk operations on many users (`oktui bulk`): every lifecycle
//! operation, delete, group membership, profile attributes and sessions,
//! planned before acting and run as a resumable job (`crate::job`) at job
//! priority under the client's rate governor.
//!
//! Modules: `operation` (what the admin asked for, and what a status says
//! about it), `plan` (the plan as a value, and its text), `survey` (making
//! the plan against the org: reads only), `action` (one user's step, and
//! deciding from the user's state after an outcome never heard), `job`
//! (the job on the engine, with the sent log that makes a resume exactly
//! once), `results` (the results file), `progress` (the line on stderr),
//! `run` (a job begun, resumed, run to its end: one way for the command
//! and the TUI), `command` (the subcommand), `unfinished` (where the TUI's jobs live,
//! and those left unfinished there).

mod action;
pub mod command;
mod job;
pub mod operation;
pub mod plan;
mod progress;
pub mod results;
pub mod run;
pub mod survey;
pub mod unfinished;

pub use action::{Action, EMAIL_CHOICE, Outcome};
pub use job::{BulkJob, Progress, SentLog, Tally};
pub use operation::Operation;
pub use plan::{Decision, Plan, Unit, render};
pub use survey::Selection;

use crate::okta;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was asked cannot be done as given.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Org(okta::Error),
    #[error("cannot use {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Checkpoint(#[from] crate::job::JournalError),
}
