//! An export of the list as shown (`e`), running beside everything else.

use super::ReqId;
use std::path::PathBuf;

/// The export under way; one at a time, so files never interleave.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJob {
    pub req: ReqId,
    /// The file as asked for (relative to where oktui runs).
    pub file: PathBuf,
    /// Users written so far.
    pub users: u64,
}

/// What a finished export reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// Where the file is, absolute so it can be found from anywhere.
    pub path: PathBuf,
    pub summary: crate::export::Summary,
}

/// `oktui-users-20261128-164200.jsonl`: exports sort by when they were
/// started, in UTC like the org's timestamps.
pub fn file_name(now: jiff::Timestamp) -> PathBuf {
    PathBuf::from(format!("oktui-users-{}.jsonl", now.strftime("%Y%m%d-%H%M%S")))
}
