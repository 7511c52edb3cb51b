//! Bulk operations in the TUI: the dialogs over the panes, and what the
//! selection amounts to against the list on screen.

use super::State;
use super::list::Paging;
use super::search;
use super::selection::Size;

#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// `Esc` on a large selection: clearing it loses work, so it asks.
    ConfirmClear,
}

/// The expression a `*` selection records for the list as now searched.
pub fn list_expression(state: &State) -> String {
    let plan = search::plan(&state.search.applied).unwrap_or(search::Plan::Everyone);
    search::search_expression(&plan, &state.statuses)
}

/// Whether every listed row is in the selection: "all matching" was
/// chosen for the search and statuses the list shows now.
pub fn covers_list(state: &State) -> bool {
    state.selection.all_matching().is_some_and(|all| all.expression == list_expression(state))
}

/// How much is selected. An "all matching" selection is counted once
/// paging has seen all of it, by the list here or by a plan's survey.
pub fn size(state: &State) -> Option<Size> {
    match state.selection.size()? {
        Size::AllCounting if state.list.paging == Paging::Done && covers_list(state) => {
            Some(Size::All(state.list.rows.len() as u64))
        }
        size => Some(size),
    }
}

/// Whether the row with `id` at `index` is marked: selected, or inside
/// an open range.
pub fn is_marked(state: &State, id: &str, index: usize, all: bool) -> bool {
    if all || state.selection.is_picked(id) {
        return true;
    }
    let Some(anchor) = state.selection.anchor() else { return false };
    let Some(start) = state.list.rows.iter().position(|r| r.id() == anchor) else { return false };
    let (low, high) = (start.min(state.list.selected), start.max(state.list.selected));
    (low..=high).contains(&index)
}
