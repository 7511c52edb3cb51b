//! The actions menu, the confirm dialog and the outcome view.

use super::super::actions::{Confirm, ConfirmFocus, Menu, Outcome};
use super::super::{Effect, Load, Overlay, ReqId, State};
use super::{fetch_detail, retarget_detail};
use crate::okta::{Error, LifecycleOp, LifecycleOutcome};
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

/// `a` (or Enter in the detail pane): the menu of what Okta offers.
pub fn open_menu(state: &mut State) -> Vec<Effect> {
    let Some(user) = state.shown_user() else {
        state.messages.info(state.now, "Select a user and wait for it to load to see its actions");
        return Vec::new();
    };
    let menu = Menu::for_user(user);
    if menu.is_empty() {
        let text = format!("Okta offers no lifecycle actions for {} in status {}", user.login(), user.status_str());
        state.messages.info(state.now, text);
        return Vec::new();
    }
    state.overlay = Some(Overlay::Actions(menu));
    Vec::new()
}

pub fn on_menu_key(state: &mut State, mut menu: Menu, key: KeyEvent) -> Vec<Effect> {
    let n = menu.len().max(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return Vec::new(),
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => menu.cursor = (menu.cursor + 1) % n,
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => menu.cursor = (menu.cursor + n - 1) % n,
        KeyCode::Char(c @ '1'..='9') if (c as usize - '1' as usize) < menu.len() => {
            menu.cursor = c as usize - '1' as usize;
            return on_menu_key(state, menu, KeyEvent::from(KeyCode::Enter));
        }
        KeyCode::Enter if menu.cursor >= menu.ops.len() => match menu.more.get(menu.cursor - menu.ops.len()) {
            Some(super::super::tabs::MoreAction::ClearSessions) => return super::tabs::clear_sessions(state),
            None => return Vec::new(),
        },
        KeyCode::Enter => {
            let (Some(op), Some(user)) = (menu.ops.get(menu.cursor).copied(), state.shown_user()) else {
                return Vec::new();
            };
            if user.id() == menu.user_id {
                state.overlay = Some(Overlay::Confirm(Box::new(Confirm::new(op, user))));
            }
            return Vec::new();
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Actions(menu));
    Vec::new()
}

pub fn on_confirm_key(state: &mut State, mut confirm: Box<Confirm>, key: KeyEvent) -> Vec<Effect> {
    if confirm.sending.is_some() {
        // The request is out; keep the dialog until its answer arrives.
        state.overlay = Some(Overlay::Confirm(confirm));
        return Vec::new();
    }
    let typing = confirm.focus == ConfirmFocus::Typed;
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Tab | KeyCode::Down => confirm.move_focus(true),
        KeyCode::BackTab | KeyCode::Up => confirm.move_focus(false),
        KeyCode::Char('j') if !typing => confirm.move_focus(true),
        KeyCode::Char('k') if !typing => confirm.move_focus(false),
        KeyCode::Char(' ') if !typing => confirm.toggle_focused(),
        KeyCode::Enter => {
            if !confirm.ready() {
                confirm.error = Some(format!("Type {} to confirm", confirm.login));
            } else {
                let req = state.next_req();
                confirm.sending = Some(req);
                confirm.error = None;
                let effect = Effect::RunLifecycle {
                    req,
                    user_id: confirm.user_id.clone(),
                    op: confirm.op,
                    link: confirm.link.clone(),
                    options: confirm.chosen(),
                };
                state.overlay = Some(Overlay::Confirm(confirm));
                return vec![effect];
            }
        }
        _ if typing => {
            if let Some(input) = confirm.typed.as_mut() {
                input.handle_event(&Event::Key(key));
            }
            // "Type … to confirm" was about the login; it is answered.
            if confirm.ready() {
                confirm.error = None;
            }
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Confirm(confirm));
    Vec::new()
}

pub fn on_outcome_key(state: &mut State, mut outcome: Outcome, key: KeyEvent) -> Vec<Effect> {
    let n = outcome.items.len().max(1);
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => return Vec::new(),
        KeyCode::Down | KeyCode::Char('j') => outcome.cursor = (outcome.cursor + 1) % n,
        KeyCode::Up | KeyCode::Char('k') => outcome.cursor = (outcome.cursor + n - 1) % n,
        KeyCode::Char('y') => {
            if let Some((label, value)) = outcome.items.get(outcome.cursor) {
                state.messages.success(state.now, format!("Copied the {} to the clipboard", label.to_lowercase()));
                let effect = Effect::Copy(value.clone());
                state.overlay = Some(Overlay::Outcome(outcome));
                return vec![effect];
            }
        }
        _ => {}
    }
    state.overlay = Some(Overlay::Outcome(outcome));
    Vec::new()
}

/// The operation's answer: show what it returned, then refresh the user
/// (or drop it from the list when it was deleted).
pub fn on_result(state: &mut State, req: ReqId, result: Result<LifecycleOutcome, Error>) -> Vec<Effect> {
    let Some(Overlay::Confirm(confirm)) = state.overlay.take() else { return Vec::new() };
    if confirm.sending != Some(req) {
        state.overlay = Some(Overlay::Confirm(confirm));
        return Vec::new();
    }
    let (op, user_id, login) = (confirm.op, confirm.user_id, confirm.login);
    // Resetting factors, or any change of status, may change what the tabs show.
    state.tabs.forget(&user_id);
    super::super::timeline::forget_user(state, &user_id);
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            // A lost answer may hide a change that was made, and a refusal
            // says the status shown is stale: either way only the org knows
            // the user's status now, so the dialog closes and the user is
            // read again for the list, the detail and the menu.
            let text = format!("{} failed for {login}: {e}. Reading the user again to show its status", op.label());
            state.messages.error(state.now, text);
            state.cache.remove(&user_id);
            if state.detail.id.as_deref() != Some(user_id.as_str()) {
                return Vec::new();
            }
            return fetch_detail(state).into_iter().collect();
        }
    };
    state.messages.success(state.now, format!("{}: done for {login}", op.label()));
    state.overlay = Outcome::from(op, &login, &outcome).map(Overlay::Outcome);
    state.cache.remove(&user_id);
    if op == LifecycleOp::Delete {
        state.list.remove(&user_id);
        return retarget_detail(state).into_iter().collect();
    }
    if state.detail.id.as_deref() != Some(user_id.as_str()) {
        return Vec::new();
    }
    match outcome.user {
        Some(user) => {
            state.list.update_row(user.to_row());
            state.detail.user = Load::Loaded(user);
            super::tabs::load_shown(state)
        }
        // The list row is updated when the fresh user arrives.
        None => fetch_detail(state).into_iter().collect(),
    }
}
