//! Importing users from a CSV or `.xlsx` file (`oktui import`): read,
//! validated against the org before the first write, planned as a diff,
//! then run as a resumable job whose results file sits beside the input.
//!
//! Modules: `read` (the file as rows of text), `columns` (what each header
//! is), `org` (the org's types, schemas, groups and existing users),
//! `validate` (every problem of every row), `plan` (create, update,
//! unchanged, existing, invalid), `job` (the rows that write, as a
//! `crate::job::Job`), `results` (the results file), `run` (plan → job →
//! results, resume), `command` (the subcommand's printing and prompts).

pub mod columns;
pub mod command;
mod job;
pub mod org;
pub mod plan;
pub mod read;
mod results;
pub mod run;
pub mod validate;

pub use job::Progress;
pub use plan::{Kind, Planned};
pub use results::ResultKind;
pub use run::{Loaded, Summary, prepare, results_path, run};

use std::fmt;
use std::path::PathBuf;

/// The choices of the Admin Console's import, as flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Update existing users whose attributes differ (partial updates).
    pub update_existing: bool,
    /// Activate new users (Okta's import leaves them STAGED by default).
    pub activate: bool,
    /// No password: users sign in through an identity provider.
    pub provider: bool,
    /// New users change their password at first sign-in.
    pub next_login_change_password: bool,
    /// Activate with Okta's activation email.
    pub send_email: bool,
    /// Leave invalid rows out instead of refusing the file.
    pub skip_invalid: bool,
}

impl Options {
    /// Combinations Okta refuses, said before anything is read.
    pub fn check(&self) -> Result<(), String> {
        if self.next_login_change_password && !self.activate {
            return Err("--next-login change-password needs --activate (Okta expires a password on activation)".into());
        }
        if self.send_email && !self.activate {
            return Err("--send-email sends the activation email: add --activate".into());
        }
        if self.provider && self.next_login_change_password {
            return Err("--provider users have no Okta password to change: drop --next-login".into());
        }
        Ok(())
    }
}

/// One problem of the file, where a person finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    pub column: Option<String>,
    /// The cell's text; `None` for secrets and missing values.
    pub value: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn header(column: &str, message: String) -> Self {
        Self { row: 1, column: Some(column.to_owned()), value: None, message }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(value) = &self.value {
            write!(f, " ({value:?})")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error("the org refused or failed: {0}")]
    Org(#[from] crate::okta::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write the results {}: {source}", path.display())]
    Results {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Checkpoint(#[from] crate::job::JournalError),
}
