//! Bulk jobs that outlive a run: where the TUI keeps their files, and an
//! unfinished one offered at start for resume. The files are found and
//! read by the driver (`crate::bulk::unfinished`); the app holds values.

use super::bulk::JobView;
use crate::bulk::unfinished::Unfinished;
use std::path::PathBuf;

/// Where the TUI's bulk jobs write, and whether unfinished jobs there are
/// offered at start (not for the demo's org, which is new every time).
#[derive(Debug, Clone, Default)]
pub struct JobsDir {
    pub dir: PathBuf,
    pub offer: bool,
}

/// The newest unfinished job, and how many more wait behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub job: Unfinished,
    pub more: usize,
}

/// How a cancelled job ends: where it stopped, for good (not resumed).
pub const CANCELLED: &str = "cancelled";

/// Whether `job` stopped with an error and can run on from its checkpoint.
pub fn resumable(job: &JobView) -> bool {
    matches!(&job.ended, Some(Err(e)) if e != CANCELLED)
}
