//! The group picker of the create form: search the org's groups, tick
//! up to Okta's limit.

use super::super::{Load, ReqId};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct GroupPicker {
    pub input: Input,
    /// `(id, name, built-in)` found for the input.
    pub results: Load<Vec<(String, String, bool)>>,
    pub cursor: usize,
    /// Bumped on each edit; only the latest debounced search runs.
    pub generation: u64,
    pub pending: Option<ReqId>,
}

impl Default for GroupPicker {
    fn default() -> Self {
        Self { input: Input::default(), results: Load::Idle, cursor: 0, generation: 0, pending: None }
    }
}
