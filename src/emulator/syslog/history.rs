//! The log's past: events generated, never stored, the same on every start.

use super::event::{Key, LogEvent};
use super::query::{Source, scan_slice};

/// Everything the org did before it started.
#[derive(Debug, Default)]
pub struct History {
    demo: Vec<LogEvent>,
}

impl Source for History {
    fn scan(&self, from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        scan_slice(&self.demo, from, descending)
    }
}
