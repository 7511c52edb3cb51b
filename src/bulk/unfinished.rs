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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::Action;
    use crate::bulk::results::Format;
    use crate::bulk::run::KIND;
    use crate::job::Header;

    fn dir() -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("oktui-unfinished-{}-{:08x}", std::process::id(), fastrand::u32(..)));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A journal as a job leaves it: its header, and a checkpoint with
    /// `done` users when `done` is given.
    fn journal(dir: &Path, name: &str, org: &str, started: &str, done: Option<u64>) {
        let job = Described {
            org: org.into(),
            operation: "suspend".into(),
            selection: "search: x".into(),
            format: Format::Jsonl,
            action: Action::Lifecycle { name: "suspend".into(), send_email: None },
            started: started.into(),
        };
        let mut text = serde_json::to_string(&Header::new(KIND, job.arguments())).unwrap() + "\n";
        if let Some(done) = done {
            let tally = Tally { total: 100, changed: done, ..Tally::default() };
            text += &format!("{}\n", serde_json::json!({"len": 0, "tally": tally, "events": []}));
        }
        std::fs::write(dir.join(format!(".{name}.journal")), text).unwrap();
    }

    #[test]
    fn only_this_orgs_jobs_that_got_going_are_found_newest_first() {
        let dir = dir();
        let (ours, theirs) = ("https://acme.okta.com", "https://other.okta.com");
        journal(&dir, "old.jsonl", ours, "2026-12-01T09:00:00Z", Some(40));
        journal(&dir, "new.jsonl", ours, "2026-12-02T11:00:00Z", Some(7));
        journal(&dir, "theirs.jsonl", theirs, "2026-12-02T12:00:00Z", Some(1));
        journal(&dir, "unplanned.jsonl", ours, "2026-12-02T13:00:00Z", None);
        std::fs::write(dir.join(".export.jsonl.journal"), "{\"version\":1,\"kind\":\"export\",\"args\":{}}\n").unwrap();
        std::fs::write(dir.join("results.jsonl"), "").unwrap();

        let found = find(&dir, ours);
        let names: Vec<_> = found.iter().map(|f| f.results.file_name().unwrap().to_string_lossy()).collect();
        assert_eq!(names, ["new.jsonl", "old.jsonl"]);
        assert_eq!((found[0].tally.done(), found[0].tally.total), (7, 100));
        assert_eq!(found[0].results, dir.join("new.jsonl"));

        // One another oktui is running is not offered.
        let _held = Journal::open::<Unit, Tally>(&dir.join(".new.jsonl.journal")).unwrap();
        let names: Vec<_> = find(&dir, ours).into_iter().map(|f| f.results).collect();
        assert_eq!(names, [dir.join("old.jsonl")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn each_org_has_its_directory_and_the_demo_its_own() {
        let org = OrgUrl::parse("http://127.0.0.1:8123").unwrap();
        assert!(jobs_dir(&org, false).ends_with("oktui/jobs/127.0.0.1_8123"));
        assert!(jobs_dir(&org, true).ends_with("oktui/jobs/demo"));
        let org = OrgUrl::parse("https://acme.okta.com").unwrap();
        assert!(jobs_dir(&org, false).ends_with("oktui/jobs/acme.okta.com"));
    }
}
