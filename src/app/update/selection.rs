//! Selecting users for a bulk operation: `Space`, `V`, `*`, and `Esc`.

use super::super::bulk::{self, Dialog};
use super::super::{Effect, Overlay, State};
use crossterm::event::{KeyCode, KeyEvent};

pub fn toggle(state: &mut State) -> Vec<Effect> {
    if state.selection.all_matching().is_some() {
        let text = "All users matching the search are selected; Esc clears the selection";
        state.messages.info(state.now, text);
        return Vec::new();
    }
    let Some(id) = state.list.selected_row().map(|r| r.id().to_owned()) else { return Vec::new() };
    state.selection.toggle(&id);
    Vec::new()
}

/// `V`: opens a range at the cursor, or picks every row from its start to
/// the cursor.
pub fn range(state: &mut State) -> Vec<Effect> {
    if state.selection.all_matching().is_some() {
        state.messages.info(state.now, "All users matching the search are selected; Esc clears the selection");
        return Vec::new();
    }
    let Some(cursor_id) = state.list.selected_row().map(|r| r.id().to_owned()) else { return Vec::new() };
    let Some(anchor) = state.selection.anchor() else {
        state.selection.begin_range(&cursor_id);
        state.messages.info(state.now, "Range started: move, then V again selects it (Esc cancels)");
        return Vec::new();
    };
    // The anchor may have left the list (a refresh): the range is the cursor.
    let start = state.list.rows.iter().position(|r| r.id() == anchor).unwrap_or(state.list.selected);
    let (low, high) = (start.min(state.list.selected), start.max(state.list.selected));
    let ids: Vec<String> = state.list.rows[low..=high].iter().map(|r| r.id().to_owned()).collect();
    state.selection.end_range(ids.iter().map(String::as_str));
    Vec::new()
}

/// `*`: everyone matching the search and status filter, loaded or not.
pub fn all_matching(state: &mut State) -> Vec<Effect> {
    if state.statuses.0.is_empty() {
        state.messages.error(state.now, "No status selected: nobody matches (s chooses statuses)");
        return Vec::new();
    }
    let expression = bulk::list_expression(state);
    state.selection.select_all_matching(expression);
    state.messages.info(state.now, "Selected every user matching the search, loaded or not");
    Vec::new()
}

/// Whether `Esc` in the list is about the selection (before the search).
pub fn wants_esc(state: &State) -> bool {
    state.selection.shows_marks()
}

/// `Esc`: closes an open range, else clears the selection, asking first
/// when it is large.
pub fn on_esc(state: &mut State) -> Vec<Effect> {
    if state.selection.cancel_range() {
        return Vec::new();
    }
    if bulk::size(state).is_some_and(|size| size.is_large()) {
        state.overlay = Some(Overlay::Bulk(Box::new(Dialog::ConfirmClear)));
        return Vec::new();
    }
    state.selection.clear();
    Vec::new()
}

pub fn on_confirm_clear(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if matches!(key.code, KeyCode::Char('y' | 'Y')) {
        state.selection.clear();
        state.messages.info(state.now, "Selection cleared");
    }
    Vec::new()
}
