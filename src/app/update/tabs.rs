//! The detail pane's tabs: switching, lazy loads cached per user, the
//! cursors of the Groups and Factors tabs, and the dialogs that add to or
//! remove from a group, reset a factor and clear sessions.

use super::super::detail::View;
use super::super::tabs::{
    ClearSessionsChoice, Dialog, DialogKind, GroupSearch, TabEffect, TabResult, membership_refusal,
};
use super::super::{Effect, Load, Overlay, Pane, ReqId, State, Timer};
use super::{fetch_detail, unchanged};
use crate::okta::{Error, Factor, Group};
use crossterm::event::{Event, KeyCode, KeyEvent};
use std::time::Duration;
use tui_input::backend::crossterm::EventHandler;

/// Typing pauses this long before the org's groups are searched.
pub const GROUP_SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// `1`…`5`: shows a tab and focuses the pane, where its keys work.
pub fn focus(state: &mut State, view: View) -> Vec<Effect> {
    state.focus = Pane::Detail;
    show(state, view)
}

/// Shows a tab; showing one that failed to load asks for it again.
pub fn show(state: &mut State, view: View) -> Vec<Effect> {
    if state.detail.view != view {
        state.detail.view = view;
        state.detail.scroll = 0;
    } else if let Some(id) = state.detail.id.clone() {
        let entry = state.tabs.entry(&id);
        match view {
            View::Factors if matches!(entry.factors, Load::Failed(_)) => entry.factors = Load::Idle,
            View::Apps if matches!(entry.apps, Load::Failed(_)) => entry.apps = Load::Idle,
            _ => {}
        }
    }
    load_shown(state)
}

/// `[` / `]`.
pub fn step(state: &mut State, step: isize) -> Vec<Effect> {
    let view = state.detail.view.step(step);
    focus(state, view)
}

/// Loads what the shown tab needs for the shown user, once: what is
/// cached is shown as it is.
pub fn load_shown(state: &mut State) -> Vec<Effect> {
    super::super::timeline::leave_tab(state);
    let Some(id) = state.detail.id.clone() else { return Vec::new() };
    let view = state.detail.view;
    if view == View::Log {
        return super::super::timeline::show_tab(state);
    }
    if !matches!(view, View::Factors | View::Apps) {
        return Vec::new();
    }
    let req = state.next_req();
    let entry = state.tabs.entry(&id);
    let user_id = id.to_string();
    match view {
        View::Factors if entry.factors == Load::Idle => {
            entry.factors = Load::Loading(req);
            vec![Effect::Tab(TabEffect::FetchFactors { req, user_id })]
        }
        View::Apps if entry.apps == Load::Idle => {
            entry.apps = Load::Loading(req);
            vec![Effect::Tab(TabEffect::FetchApps { req, user_id })]
        }
        _ => Vec::new(),
    }
}

/// Whether `j`/`k` move a row cursor in the shown tab (else they scroll).
pub fn has_cursor(state: &State) -> bool {
    state.focus == Pane::Detail && matches!(state.detail.view, View::Groups | View::Factors)
}

pub fn move_cursor(state: &mut State, delta: isize) {
    let groups = shown_groups(state).map_or(0, <[Group]>::len);
    let factors = shown_factors(state).map_or(0, <[Factor]>::len);
    let detail = &mut state.detail;
    match detail.view {
        View::Groups => detail.group_cursor = moved(detail.group_cursor, delta, groups),
        View::Factors => detail.factor_cursor = moved(detail.factor_cursor, delta, factors),
        _ => {}
    }
}

/// Keeps both cursors on a row after a reload that may have fewer.
pub fn move_cursor_within(state: &mut State) {
    let groups = shown_groups(state).map_or(0, <[Group]>::len);
    let factors = shown_factors(state).map_or(0, <[Factor]>::len);
    let detail = &mut state.detail;
    detail.group_cursor = moved(detail.group_cursor, 0, groups);
    detail.factor_cursor = moved(detail.factor_cursor, 0, factors);
}

fn moved(cursor: usize, delta: isize, rows: usize) -> usize {
    let last = rows.saturating_sub(1) as isize;
    (cursor as isize).saturating_add(delta).clamp(0, last) as usize
}

pub fn shown_groups(state: &State) -> Option<&[Group]> {
    match &state.detail.groups {
        Load::Loaded(groups) => Some(groups),
        _ => None,
    }
}

pub fn shown_factors(state: &State) -> Option<&[Factor]> {
    let id = state.detail.id.as_deref()?;
    match &state.tabs.get(id)?.factors {
        Load::Loaded(factors) => Some(factors),
        _ => None,
    }
}

/// A dialog for the shown user, once it is loaded.
fn dialog(state: &mut State, kind: DialogKind) -> Option<Dialog> {
    let Some(user) = state.shown_user() else {
        state.messages.info(state.now, "Wait for the user to load first");
        return None;
    };
    Some(Dialog { user_id: user.id().to_owned(), login: user.login().to_owned(), kind, sending: None })
}

/// `+` on the Groups tab: the picker, searching at once.
pub fn add_to_group(state: &mut State) -> Vec<Effect> {
    let Some(dialog) = dialog(state, DialogKind::AddToGroup(GroupSearch::default())) else { return Vec::new() };
    state.overlay = Some(Overlay::Tab(Box::new(dialog)));
    search_groups(state)
}

/// `-` on the Groups tab: asks, unless Okta would refuse anyway.
pub fn remove_from_group(state: &mut State) -> Vec<Effect> {
    let Some(group) = shown_groups(state).and_then(|g| g.get(state.detail.group_cursor)).cloned() else {
        state.messages.info(state.now, "No group is selected");
        return Vec::new();
    };
    if let Some(why) = membership_refusal(&group) {
        state.messages.error(state.now, why);
        return Vec::new();
    }
    let kind = DialogKind::RemoveFromGroup { group_id: group.id().to_owned(), group: group.name().to_owned() };
    open(state, kind)
}

/// `-` on the Factors tab.
pub fn reset_factor(state: &mut State) -> Vec<Effect> {
    let Some(factor) = shown_factors(state).and_then(|f| f.get(state.detail.factor_cursor)).cloned() else {
        state.messages.info(state.now, "No factor is selected");
        return Vec::new();
    };
    let kind = DialogKind::ResetFactor { factor_id: factor.id().to_owned(), factor: factor_label(&factor) };
    open(state, kind)
}

/// "Clear sessions…" in the actions menu.
pub fn clear_sessions(state: &mut State) -> Vec<Effect> {
    open(state, DialogKind::ClearSessions(ClearSessionsChoice::default()))
}

fn open(state: &mut State, kind: DialogKind) -> Vec<Effect> {
    if let Some(dialog) = dialog(state, kind) {
        state.overlay = Some(Overlay::Tab(Box::new(dialog)));
    }
    Vec::new()
}

pub fn factor_label(factor: &Factor) -> String {
    format!("{} ({})", factor.factor_type(), factor.provider())
}

pub fn on_dialog_key(state: &mut State, mut dialog: Dialog, key: KeyEvent) -> Vec<Effect> {
    if dialog.sending.is_some() {
        // The change is out; its answer closes the dialog.
        state.overlay = Some(Overlay::Tab(Box::new(dialog)));
        return Vec::new();
    }
    if key.code == KeyCode::Esc {
        return Vec::new();
    }
    let user_id = dialog.user_id.clone();
    let mut effects = Vec::new();
    let send = match &mut dialog.kind {
        DialogKind::AddToGroup(search) => match on_picker_key(search, key) {
            PickerKey::Stay(more) => {
                effects = more;
                None
            }
            PickerKey::Chosen(group)
                if shown_groups(state).is_some_and(|mine| mine.iter().any(|g| g.id() == group.id())) =>
            {
                search.refusal = Some(format!("The user is in {} already", group.name()));
                None
            }
            PickerKey::Chosen(group) => {
                search.adding = Some(group.name().to_owned());
                Some(TabEffect::AddToGroup { req: state.next_req(), user_id, group_id: group.id().to_owned() })
            }
        },
        DialogKind::RemoveFromGroup { group_id, .. } if is_yes(&key) => {
            Some(TabEffect::RemoveFromGroup { req: state.next_req(), user_id, group_id: group_id.clone() })
        }
        DialogKind::ResetFactor { factor_id, .. } if is_yes(&key) => {
            Some(TabEffect::ResetFactor { req: state.next_req(), user_id, factor_id: factor_id.clone() })
        }
        DialogKind::RemoveFromGroup { .. } | DialogKind::ResetFactor { .. } => {
            if matches!(key.code, KeyCode::Char('n' | 'q')) {
                return Vec::new();
            }
            None
        }
        DialogKind::ClearSessions(choice) => match key.code {
            KeyCode::Enter => {
                Some(TabEffect::ClearSessions { req: state.next_req(), user_id, options: choice.options() })
            }
            KeyCode::Down | KeyCode::Up | KeyCode::Tab | KeyCode::BackTab | KeyCode::Char('j' | 'k') => {
                choice.focus = 1 - choice.focus.min(1);
                None
            }
            KeyCode::Char(' ') => {
                let on = if choice.focus == 0 { &mut choice.oauth_tokens } else { &mut choice.forget_devices };
                *on = !*on;
                None
            }
            _ => None,
        },
    };
    if let Some(effect) = send {
        dialog.sending = Some(effect.req());
        effects.push(Effect::Tab(effect));
    }
    state.overlay = Some(Overlay::Tab(Box::new(dialog)));
    effects
}

fn is_yes(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Enter | KeyCode::Char('y' | 'Y'))
}

/// What a key did in a group picker.
pub(super) enum PickerKey {
    Stay(Vec<Effect>),
    /// Enter on a group whose members can be changed.
    Chosen(Group),
}

/// The group picker's keys, wherever it is shown (the Groups tab, the
/// bulk menu): typing searches once it pauses, ↑/↓ choose, and Enter
/// refuses a group whose members Okta does not let an admin change,
/// saying why, before anything is sent.
pub(super) fn on_picker_key(search: &mut GroupSearch, key: KeyEvent) -> PickerKey {
    let found: &[Group] = match &search.results {
        Load::Loaded(found) => found,
        _ => &[],
    };
    match key.code {
        KeyCode::Down => {
            search.cursor = (search.cursor + 1).min(found.len().saturating_sub(1));
            search.refusal = None;
        }
        KeyCode::Up => {
            search.cursor = search.cursor.saturating_sub(1);
            search.refusal = None;
        }
        KeyCode::Enter => {
            let Some(group) = found.get(search.cursor) else { return PickerKey::Stay(Vec::new()) };
            search.refusal = membership_refusal(group);
            if search.refusal.is_none() {
                return PickerKey::Chosen(group.clone());
            }
        }
        _ => {
            if search.input.handle_event(&Event::Key(key)).is_some_and(|c| c.value) {
                search.generation += 1;
                search.cursor = 0;
                search.refusal = None;
                let timer = Timer::TabGroupSearch(search.generation);
                return PickerKey::Stay(vec![Effect::Schedule { after: GROUP_SEARCH_DEBOUNCE, timer }]);
            }
        }
    }
    PickerKey::Stay(Vec::new())
}

/// The picker's debounce ended: search if nothing was typed since.
pub fn on_group_timer(state: &mut State, generation: u64) -> Vec<Effect> {
    match shown_picker(state) {
        Some(search) if search.generation == generation => search_groups(state),
        _ => unchanged(state),
    }
}

/// The group picker on screen, the Groups tab's or the bulk menu's.
fn shown_picker(state: &mut State) -> Option<&mut GroupSearch> {
    match state.overlay.as_mut()? {
        Overlay::Tab(dialog) => match &mut dialog.kind {
            DialogKind::AddToGroup(search) => Some(search),
            _ => None,
        },
        Overlay::Bulk(dialog) => super::super::bulk_pick::picker_mut(dialog),
        _ => None,
    }
}

pub(super) fn search_groups(state: &mut State) -> Vec<Effect> {
    let req = state.next_req();
    let Some(search) = shown_picker(state) else { return Vec::new() };
    search.pending = Some(req);
    // Earlier results stay on screen (and pickable) until the new ones come.
    if !matches!(search.results, Load::Loaded(_)) {
        search.results = Load::Loading(req);
    }
    vec![Effect::Tab(TabEffect::SearchGroups { req, q: search.input.value().trim().to_owned() })]
}

pub fn on_result(state: &mut State, req: ReqId, result: TabResult) -> Vec<Effect> {
    match result {
        TabResult::Factors(result) => {
            let loaded = load_result(state, "Could not load the factors", result);
            match state.tabs.awaiting(req) {
                Some(entry) if entry.factors == Load::Loading(req) => entry.factors = loaded,
                _ => return unchanged(state),
            }
            move_cursor_within(state);
        }
        TabResult::Apps(result) => {
            let loaded = load_result(state, "Could not load the app links", result);
            match state.tabs.awaiting(req) {
                Some(entry) if entry.apps == Load::Loading(req) => entry.apps = loaded,
                _ => return unchanged(state),
            }
        }
        TabResult::GroupSearch(result) => {
            let Some(search) = shown_picker(state) else { return unchanged(state) };
            if search.pending != Some(req) {
                return unchanged(state);
            }
            search.pending = None;
            // A refusal was about a group of the list these replace.
            search.refusal = None;
            search.results = match result {
                Ok(groups) => Load::Loaded(groups),
                Err(e) => Load::Failed(format!("Could not search groups: {}", why(&e))),
            };
            let found = match &search.results {
                Load::Loaded(groups) => groups.len(),
                _ => 0,
            };
            search.cursor = search.cursor.min(found.saturating_sub(1));
        }
        TabResult::Changed(result) => return on_changed(state, req, result),
    }
    Vec::new()
}

fn load_result<T>(state: &State, what: &str, result: Result<T, Error>) -> Load<T> {
    match result {
        Ok(items) => Load::Loaded(items),
        // A refused credential needs more than a retry; the pane says R.
        Err(e) if e.status() == Some(401) => Load::Failed(state.failure(what, &e)),
        Err(e) => Load::Failed(format!("{what}: {}", why(&e))),
    }
}

/// What went wrong, said so an admin knows what to do.
fn why(e: &Error) -> String {
    match e.status() {
        Some(403) => format!("the org refused it (403): {e}"),
        Some(404) => format!("the org does not know it, it may have been deleted meanwhile (404): {e}"),
        Some(429) => format!("the org's rate limit is spent, try again after its reset (429): {e}"),
        _ => e.to_string(),
    }
}

/// A change's answer: the dialog closes, and whatever it changed is read
/// again, even after a failure, since a lost answer may hide a change the
/// org made.
fn on_changed(state: &mut State, req: ReqId, result: Result<(), Error>) -> Vec<Effect> {
    let Some(Overlay::Tab(dialog)) = state.overlay.take() else { return unchanged(state) };
    if dialog.sending != Some(req) {
        state.overlay = Some(Overlay::Tab(dialog));
        return unchanged(state);
    }
    let login = &dialog.login;
    let (done, failed) = match &dialog.kind {
        DialogKind::AddToGroup(search) => {
            let group = search.adding.as_deref().unwrap_or_default();
            (format!("Added {login} to {group}"), format!("Could not add {login} to {group}"))
        }
        DialogKind::RemoveFromGroup { group, .. } => {
            (format!("Removed {login} from {group}"), format!("Could not remove {login} from {group}"))
        }
        DialogKind::ResetFactor { factor, .. } => {
            (format!("Reset {factor} of {login}"), format!("Could not reset {factor} of {login}"))
        }
        DialogKind::ClearSessions(choice) => {
            let also = match (choice.oauth_tokens, choice.forget_devices) {
                (false, false) => "",
                (true, false) => " (and its OAuth tokens)",
                (false, true) => " (and its remembered devices)",
                (true, true) => " (and its OAuth tokens and remembered devices)",
            };
            (format!("Cleared the sessions of {login}{also}"), format!("Could not clear the sessions of {login}"))
        }
    };
    match &result {
        Ok(()) => state.messages.success(state.now, done),
        Err(e) => state.messages.error(state.now, format!("{failed}: {}", why(e))),
    }
    if matches!(dialog.kind, DialogKind::ClearSessions(_)) {
        // Clearing sessions logs an event too: the Log tab reads it again.
        super::super::timeline::forget_user(state, &dialog.user_id);
        return load_shown(state);
    }
    // The change moved the user's lastUpdated and logged events; its tabs
    // are read again.
    state.cache.remove(&dialog.user_id);
    state.tabs.forget(&dialog.user_id);
    super::super::timeline::forget_user(state, &dialog.user_id);
    if state.detail.id.as_deref() != Some(dialog.user_id.as_str()) {
        return Vec::new();
    }
    if matches!(dialog.kind, DialogKind::AddToGroup(_) | DialogKind::RemoveFromGroup { .. }) {
        // Not shown as they were: they follow the user's reload, or its
        // failure is shown in their place.
        state.detail.groups = Load::Idle;
    }
    let mut effects: Vec<Effect> = fetch_detail(state).into_iter().collect();
    effects.extend(load_shown(state));
    effects
}
