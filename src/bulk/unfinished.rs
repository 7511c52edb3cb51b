//! Where the TUI keeps its bulk jobs' files, and finding the jobs there
//! that a crash, a closed terminal or an error left unfinished, so that
//! the next start can offer them.
//!
//! Each org has its own directory under the state directory (as the log
//! file has), so a job is found again only where its org is opened. The
//! demo's org is new at every start: its jobs go elsewhere and are never
//! offered, as no later demo has their users.

use super::job::Tally;
use super::plan::Unit;
use super::run::Described;
use crate::job::{Journal, JournalError};
use crate::okta::OrgUrl;
use std::path::{Path, PathBuf};

/// The directory of the TUI's bulk jobs on `org`; `throwaway` for an org
/// that does not outlive this run.
pub fn jobs_dir(org: &OrgUrl, throwaway: bool) -> PathBuf {
    let base = dirs::state_dir().or_else(dirs::cache_dir).unwrap_or_else(std::env::temp_dir).join("oktui").join("jobs");
    if throwaway {
        return base.join("demo");
    }
    // A host and port make a directory name once the port's colon goes.
    let name: String = org
        .display_host()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    base.join(name)
}

/// A job found unfinished.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    /// Where its results go once done.
    pub results: PathBuf,
    pub operation: String,
    pub selection: String,
    /// When it began (RFC 3339).
    pub started: String,
    /// Where its last checkpoint left it.
    pub tally: Tally,
}

/// The unfinished bulk jobs of `org` in `dir`, newest first. A job
/// another oktui is running is not offered, nor one whose journal cannot
/// be read (its resume would fail the same way), nor one that stopped
/// before its plan was saved (nothing was sent).
pub fn find(dir: &Path, org: &str) -> Vec<Unfinished> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<Unfinished> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let target = name.strip_prefix('.')?.strip_suffix(".journal")?.to_owned();
            read(&entry.path(), dir.join(target), org)
        })
        .collect();
    found.sort_by(|a, b| b.started.cmp(&a.started));
    found
}

fn read(journal: &Path, results: PathBuf, org: &str) -> Option<Unfinished> {
    let opened = match Journal::open::<Unit, Tally>(journal) {
        Ok(opened) => opened,
        Err(JournalError::Busy { .. }) => return None,
        Err(e) => {
            tracing::warn!("an unfinished bulk job is not offered: {e}");
            return None;
        }
    };
    let job = Described::from_header(&opened.header).filter(|job| job.org == org)?;
    let tally = opened.checkpoint?.tally;
    Some(Unfinished { results, operation: job.operation, selection: job.selection, started: job.started, tally })
}
