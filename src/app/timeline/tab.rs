//! The timeline as the detail pane's Log tab: loaded when the tab is
//! first shown for a user, parked per user when the tab is left or another
//! user is shown (so coming back shows it at once), and dropped when the
//! user changes through oktui or R is pressed, since that adds events.
//!
//! A parked timeline never follows: polling for a user no longer shown
//! would spend the logs bucket on nothing anyone sees.

use super::{Scope, Timeline, update::reload};
use crate::app::detail::View;
use crate::app::{Effect, State};
use std::collections::VecDeque;

/// Users whose Log tab stays parked; browsing keeps memory flat.
const PARKED: usize = 16;

/// Timelines of users no longer shown, most recently parked last.
#[derive(Debug, Default)]
pub struct ParkedLogs(VecDeque<Timeline>);

impl ParkedLogs {
    fn put(&mut self, t: Timeline) {
        self.0.retain(|p| p.user_id() != t.user_id());
        self.0.push_back(t);
        while self.0.len() > PARKED {
            self.0.pop_front();
        }
    }

    fn take(&mut self, user_id: &str) -> Option<Timeline> {
        let at = self.0.iter().position(|t| t.user_id() == Some(user_id))?;
        self.0.remove(at)
    }

    fn forget(&mut self, user_id: &str) {
        self.0.retain(|t| t.user_id() != Some(user_id));
    }
}

/// The tab is shown: the shown user's timeline, docked; from where it was
/// parked, or read now.
pub fn show_tab(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.detail.id.as_deref().map(str::to_owned) else { return Vec::new() };
    if let Some(t) = state.timeline.as_mut().filter(|t| t.user_id() == Some(&id)) {
        // Already this user's (maximised or docked): the tab shows it.
        t.docked = true;
        return Vec::new();
    }
    park(state);
    if let Some(mut t) = state.parked_logs.take(&id) {
        t.docked = true;
        state.timeline = Some(t);
        return Vec::new();
    }
    let name = match (state.shown_user(), state.list.selected_row()) {
        (Some(user), _) => user.login().to_owned(),
        (None, Some(row)) if row.id() == id => row.login().to_owned(),
        _ => id.clone(),
    };
    let mut t = Timeline::new(Scope::User { id, name });
    t.docked = true;
    state.timeline = Some(t);
    reload(state)
}

/// Another tab, or another user, is shown: the docked timeline is parked
/// unless it is still the shown user's Log tab.
pub fn leave_tab(state: &mut State) {
    let still_shown = state.detail.view == View::Log
        && state.timeline.as_ref().is_some_and(|t| t.user_id().is_some() && t.user_id() == state.detail.id.as_deref());
    if state.timeline.as_ref().is_some_and(|t| t.docked) && !still_shown {
        park(state);
    }
}

/// Moves the current timeline out of the way, following stopped. One
/// still loading, or failed, is dropped: the tab reads it again.
pub(super) fn park(state: &mut State) {
    let Some(mut t) = state.timeline.take() else { return };
    if t.user_id().is_none() || t.loading.is_some() || t.error.is_some() {
        return;
    }
    t.follow = None;
    t.generation += 1;
    t.expanded = None;
    state.parked_logs.put(t);
}

/// The user changed through oktui, or R was pressed: their events are
/// read again when the tab is next loaded (the user's reload that follows
/// every change loads the shown tab).
pub fn forget_user(state: &mut State, user_id: &str) {
    state.parked_logs.forget(user_id);
    if state.timeline.as_ref().is_some_and(|t| t.docked && t.user_id() == Some(user_id)) {
        state.timeline = None;
    }
}
