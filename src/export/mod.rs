//! Headless export of an org's users through the client (`oktui export`,
//! and the TUI's `x`): every user, or a `search` or `filter`, as JSON lines
//! or CSV, page by page or split into disjoint `search` partitions paged
//! concurrently, at job priority under the client's rate governor and
//! concurrency cap.
//!
//! - [`export`] writes to any `Write`; [`export_to_file`] writes a file
//!   through a temporary one, so a failed export leaves nothing behind;
//!   [`export_resumable`] writes a file as a resumable job (`crate::job`),
//!   so a failed or killed export keeps its work and continues later.
//! - [`ExportRequest::new`] checks the expression and the columns before
//!   anything is sent.
//!
//! Modules: `idspace` (ids as numbers, cut points), `partition` (the id
//! ranges and their expressions), `engine` (the export as a job: paging,
//! sequential or partitioned), `format` (JSON lines, CSV), `file`
//! (temporary file, then rename), `resumable` (partial file and journal),
//! `progress` (the bar on stderr), `command` (the subcommand).

mod budget;
pub mod command;
mod engine;
mod file;
mod format;
mod idspace;
mod partition;
pub mod progress;
mod resumable;

pub use file::export_to_file;
pub(crate) use format::write_row;
pub use format::{Column, DEFAULT_COLUMNS, Format};
pub use resumable::export_resumable;

use crate::display::thousands;
use crate::expr::{self, Expr, Mode, ParseError};
use crate::okta::{self, Client};
use std::fmt;
use std::io::Write;
use std::time::Duration;

/// The most partitions paged at once (Okta's org-wide concurrency limit).
pub const MAX_PARALLEL: usize = 75;

/// Users per page: Okta's maximum for `/api/v1/users`.
pub const PAGE_SIZE: u32 = 200;

/// Which users to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// What a plain listing returns: every user but DEPROVISIONED ones.
    All,
    /// A `search` expression (DEPROVISIONED users included).
    Search(String),
    /// A `filter` expression (DEPROVISIONED users included).
    Filter(String),
}

/// What to export and how. Built by [`ExportRequest::new`], which checks it.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    query: Query,
    /// The query's expression, parsed in its own language.
    expr: Option<Expr>,
    format: Format,
    parallel: usize,
}

impl ExportRequest {
    /// Checks the expression (in its language) and the parallelism.
    /// `parallel` 1 pages the query as is; more splits it into partitions.
    pub fn new(query: Query, format: Format, parallel: usize) -> Result<Self, Error> {
        let expr = match &query {
            Query::All => None,
            Query::Search(text) => Some(parse(text, Mode::Search)?),
            Query::Filter(text) => Some(parse(text, Mode::Filter)?),
        };
        if !(1..=MAX_PARALLEL).contains(&parallel) {
            return Err(Error::Invalid(format!(
                "--parallel {parallel} is out of range: use 1 (page by page) to {MAX_PARALLEL}"
            )));
        }
        if let Format::Csv(columns) = &format
            && columns.is_empty()
        {
            return Err(Error::Invalid("CSV needs at least one column".into()));
        }
        Ok(Self { query, expr, format, parallel })
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn format(&self) -> &Format {
        &self.format
    }

    pub fn parallel(&self) -> usize {
        self.parallel
    }
}

fn parse(text: &str, mode: Mode) -> Result<Expr, Error> {
    let which = if mode == Mode::Search { "search" } else { "filter" };
    expr::parse(text, mode).map_err(|error| Error::Expression { which, error })
}

/// How far an export is, reported after every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub users: u64,
    pub pages: u64,
    /// Partitions finished and known so far (partitioned exports only).
    pub partitions: Option<(usize, usize)>,
    /// About how many users the export will write, when it can be told.
    pub estimated_users: Option<u64>,
    pub elapsed: Duration,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub users: u64,
    /// Pages received, including `discarded_pages`.
    pub pages: u64,
    /// First pages of partitions that were cut smaller instead of paged.
    pub discarded_pages: u64,
    /// Partitions paged (0 for a sequential export).
    pub partitions: usize,
    pub elapsed: Duration,
    /// Requests the client sent again (after 429s, 5xx or lost answers).
    pub retries: u64,
}

impl Summary {
    pub fn users_per_second(&self) -> f64 {
        self.users as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exported {} users in {} pages in {:.2} s ({} users/s",
            thousands(self.users),
            thousands(self.pages),
            self.elapsed.as_secs_f64(),
            thousands(self.users_per_second().round() as u64)
        )?;
        if self.partitions > 0 {
            write!(f, ", {} partitions", self.partitions)?;
        }
        if self.discarded_pages > 0 {
            write!(f, ", {} pages re-split", self.discarded_pages)?;
        }
        write!(f, ", {} retries)", self.retries)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the --{which} expression is not valid: {error}; fix it and try again")]
    Expression { which: &'static str, error: ParseError },
    /// A request that cannot be exported as given.
    #[error("{0}")]
    Invalid(String),
    /// The org failed; `users` were written before it did.
    #[error("the export stopped after {} users: {source}", thousands(*users))]
    Org {
        users: u64,
        #[source]
        source: okta::Error,
    },
    #[error("cannot write {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Checkpoint(#[from] crate::job::JournalError),
}

/// Exports `request` through `client` to `sink`, calling `progress` after
/// every page. Returns when every page is written and `sink` flushed.
///
/// With `parallel` 1 this is exactly the listing the request names, in the
/// org's order. With more, the query runs as disjoint `search` partitions
/// (see `partition`), up to `parallel` paged at once, and users come in no
/// particular order; on an org that does not change meanwhile the set of
/// users (and each object) is the same. The client's concurrency cap
/// bounds requests in flight: give it at least `parallel`.
///
/// Dropping the future stops the export; on an error the sink holds a
/// partial export ([`export_to_file`] removes it).
pub async fn export<W, F>(client: &Client, request: &ExportRequest, sink: W, progress: F) -> Result<Summary, Error>
where
    W: Write + Send,
    F: FnMut(&Progress) + Send,
{
    let mut job = engine::ExportJob::new(client, request, progress);
    engine::run(&mut job, request, None, &mut crate::job::Unjournaled(sink), None).await
}
