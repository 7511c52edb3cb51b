//! The search box: editing, debounce, applying, direct lookup.

use super::super::list::Paging;
use super::super::messages::Work;
use super::super::search::{Plan, plan};
use super::super::{Effect, State, Timer};
use super::reload_list;
use crossterm::event::{Event, KeyCode, KeyEvent};
use std::time::Duration;
use tui_input::backend::crossterm::EventHandler;

/// Typing pauses shorter than this don't send a request.
const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn begin(state: &mut State) {
    state.search.editing = true;
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => clear(state),
        KeyCode::Enter => submit(state),
        KeyCode::Down | KeyCode::Tab => {
            state.search.editing = false;
            Vec::new()
        }
        _ => {
            if state.search.input.handle_event(&Event::Key(key)).is_some_and(|c| c.value) {
                after_edit(state)
            } else {
                Vec::new()
            }
        }
    }
}

/// Re-checks the input and restarts the debounce timer.
pub fn after_edit(state: &mut State) -> Vec<Effect> {
    let search = &mut state.search;
    search.generation += 1;
    // A lookup answers the text it was asked for, not what is typed now.
    search.lookup = None;
    search.error = plan(search.input.value()).err();
    if search.error.is_some() {
        // Nothing is sent for input that does not parse.
        return Vec::new();
    }
    vec![Effect::Schedule { after: DEBOUNCE, timer: Timer::SearchDebounce(search.generation) }]
}

pub fn on_debounce(state: &mut State, generation: u64) -> Vec<Effect> {
    if generation != state.search.generation {
        return Vec::new();
    }
    apply(state)
}

/// Makes the list show the input's results, unless it already does.
fn apply(state: &mut State) -> Vec<Effect> {
    let text = state.search.input.value().trim().to_owned();
    if state.search.error.is_some() || text == state.search.applied {
        return Vec::new();
    }
    state.search.applied = text;
    reload_list(state)
}

/// Enter: apply now; if the search found nothing and the text could be an
/// id or a login, open that user directly.
fn submit(state: &mut State) -> Vec<Effect> {
    if state.search.error.is_some() {
        // The box stays open with the error under it: closing it would
        // show the old list as if the search had run.
        return Vec::new();
    }
    state.search.generation += 1;
    let text = state.search.input.value().trim().to_owned();
    let nothing_found =
        text == state.search.applied && state.list.rows.is_empty() && matches!(state.list.paging, Paging::Done);
    if nothing_found && matches!(plan(&text), Ok(Plan::Lookup(_) | Plan::Prefix(_))) && !text.contains(' ') {
        let req = state.next_req();
        state.search.lookup = Some(req);
        state.messages.progress(state.now, Work::Lookup, format!("Looking up {text}"));
        return vec![Effect::Lookup { req, key: text }];
    }
    state.search.editing = false;
    apply(state)
}

/// Esc: empty the box and show everyone again.
pub fn clear(state: &mut State) -> Vec<Effect> {
    let search = &mut state.search;
    search.editing = false;
    search.error = None;
    search.generation += 1;
    search.lookup = None;
    search.input.reset();
    if search.applied.is_empty() {
        return Vec::new();
    }
    search.applied.clear();
    reload_list(state)
}
