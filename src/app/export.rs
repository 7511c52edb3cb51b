//! An export of the list as shown (`x`): the dialog that chooses JSON
//! lines or CSV and its columns, as `oktui export` does, and the job
//! running beside everything else.

use super::ReqId;
use crate::export::{DEFAULT_COLUMNS, Format};
use std::path::PathBuf;
use tui_input::Input;

/// What the export dialog's keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogFocus {
    Format,
    Columns,
}

/// The choices before an export starts.
#[derive(Debug, Clone)]
pub struct ExportDialog {
    pub csv: bool,
    /// CSV columns, comma separated, as `--columns` takes them.
    pub columns: Input,
    pub focus: DialogFocus,
    pub error: Option<String>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self { csv: false, columns: Input::new(DEFAULT_COLUMNS.join(",")), focus: DialogFocus::Format, error: None }
    }
}

impl ExportDialog {
    /// The format chosen, or why the columns cannot be used.
    pub fn format(&self) -> Result<Format, String> {
        if !self.csv {
            return Ok(Format::Jsonl);
        }
        let columns: Vec<String> =
            self.columns.value().split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect();
        if columns.is_empty() {
            return Err("Name at least one column, e.g. id,status,profile.login".into());
        }
        Format::csv(&columns)
    }
}

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

/// `oktui-users-20261128-164200.jsonl` (or `.csv`): exports sort by when
/// they were started, in UTC like the org's timestamps.
pub fn file_name(now: jiff::Timestamp, format: &Format) -> PathBuf {
    let extension = match format {
        Format::Jsonl => "jsonl",
        Format::Csv(_) => "csv",
    };
    PathBuf::from(format!("oktui-users-{}.{extension}", now.strftime("%Y%m%d-%H%M%S")))
}
