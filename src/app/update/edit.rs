//! `e`: the edit form's keys, saves and their answers, the login
//! confirmation and the conflict view.

use super::super::form::CreateForm;
use super::super::form::edit::{Conflict, Pending};
use super::super::{Effect, Load, State};
use super::unchanged;
use crate::okta::{Error, UserRead};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Opens the form for the selected user; it fills once a fresh read (and
/// its `ETag`) arrives, so the form never starts from a cached copy.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some((id, login)) = state.list.selected_row().map(|r| (r.id().to_owned(), r.login().to_owned())) else {
        state.messages.info(state.now, "No user to edit: select one first");
        return Vec::new();
    };
    let (attributes, notice) = match &state.schema {
        Load::Loaded(schema) => (Some(schema.attributes()), None),
        Load::Failed(e) => (None, Some(format!("{e}. The base attributes are shown."))),
        _ => (None, Some("The org's user schema is still loading: the base attributes are shown.".to_owned())),
    };
    let req = state.next_req();
    state.form = Some(CreateForm::edit(attributes, notice, &id, &login, req));
    vec![Effect::ReadUserForEdit { req, id }]
}

/// The keys only the edit form has; `None` leaves the key to the form's
/// common handling (typing, moving, Ctrl-S, Esc).
pub fn on_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    let form = state.form.as_mut()?;
    let edit = form.edit.as_mut()?;
    if form.confirm_discard {
        return None;
    }
    if edit.confirm_login {
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            form.confirm_login();
            return Some(save(state));
        }
        edit.confirm_login = false;
        return Some(Vec::new());
    }
    if edit.conflict.is_some() {
        return Some(on_conflict_key(state, key));
    }
    match edit.pending {
        Some(Pending::Read(_)) => {
            if key.code == KeyCode::Esc {
                state.form = None;
            } else {
                edit.typed_ahead.push(key);
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

fn on_conflict_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Some(conflict) = form.edit.as_mut().and_then(|e| e.conflict.as_mut()) else { return Vec::new() };
    let ctrl_s = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('s');
    match key.code {
        _ if ctrl_s => return resolve_and_save(state),
        KeyCode::Enter => return resolve_and_save(state),
        KeyCode::Esc => form.close_conflict(),
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => conflict.move_cursor(true),
        KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => conflict.move_cursor(false),
        KeyCode::Char('m') => conflict.toggle(true),
        KeyCode::Char('c') => conflict.toggle(false),
        KeyCode::Char(' ') => {
            let keep = conflict.rows.get(conflict.cursor).is_some_and(|r| !r.keep_mine);
            conflict.toggle(keep);
        }
        _ => {}
    }
    Vec::new()
}

fn resolve_and_save(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let current = conflict(form).map(|c| c.current.user.clone());
    form.resolve_conflict();
    match current {
        Some(user) if form.changes().is_empty() => {
            // Every attribute taken as it is now: the org holds it all.
            state.form = None;
            state.messages.info(state.now, format!("Nothing saved: {} keeps its current values", user.login()));
            show_changed(state, user);
            super::tabs::load_shown(state)
        }
        _ => save(state),
    }
}

/// Ctrl-S or Save: the changed attributes, conditional on the `ETag` the
/// form's values come from.
pub fn save(state: &mut State) -> Vec<Effect> {
    let req = state.next_req();
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Ok(changes) = form.edit_request() else { return Vec::new() };
    let Some(edit) = form.edit.as_mut() else { return Vec::new() };
    let Some(etag) = edit.etag.clone() else {
        // Without a version the save could overwrite someone else's change.
        form.banner = Some("The org sent the user without an ETag, so it cannot be saved safely".into());
        return Vec::new();
    };
    edit.pending = Some(Pending::Save(req));
    vec![Effect::UpdateProfile { req, id: edit.user_id.clone(), etag, changes }]
}

pub fn on_result(state: &mut State, req: crate::app::ReqId, result: Result<UserRead, Error>) -> Vec<Effect> {
    let pending = state.form.as_ref().and_then(|f| f.edit.as_ref()).and_then(|e| e.pending);
    match pending {
        Some(Pending::Read(r)) if r == req => on_read(state, result),
        Some(Pending::Save(r)) if r == req => on_saved(state, result),
        Some(Pending::Refetch(r)) if r == req => on_refetched(state, result),
        _ => unchanged(state),
    }
}

fn on_read(state: &mut State, result: Result<UserRead, Error>) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    match result {
        Ok(read) => {
            form.fill(read);
            let keys = form.edit.as_mut().map(|e| std::mem::take(&mut e.typed_ahead)).unwrap_or_default();
            let mut effects = Vec::new();
            for key in keys {
                effects.extend(super::form::on_key(state, key));
            }
            return effects;
        }
        Err(e) => {
            let login = form.edit.as_ref().map(|e| e.login.clone()).unwrap_or_default();
            state.form = None;
            let text = retry_with(state, &format!("Could not read {login} to edit it"), &e, "e tries again");
            state.messages.error(state.now, text);
        }
    }
    Vec::new()
}

fn on_saved(state: &mut State, result: Result<UserRead, Error>) -> Vec<Effect> {
    let req = state.next_req();
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Some(edit) = form.edit.as_mut() else { return Vec::new() };
    let login = edit.login.clone();
    match result {
        Ok(read) => {
            let summary = change_summary(form);
            state.form = None;
            let user = read.user;
            state.messages.success(state.now, format!("Saved {}: {summary}", user.login()));
            show_changed(state, user);
            super::tabs::load_shown(state)
        }
        Err(e) if e.is_changed_meanwhile() => {
            edit.pending = Some(Pending::Refetch(req));
            let id = edit.user_id.clone();
            // Perhaps by this form's own earlier save whose answer was lost.
            let text = format!("{login} changed since the form was filled; reading it again");
            state.messages.info(state.now, text);
            vec![Effect::ReadUserForEdit { req, id }]
        }
        Err(e) => {
            edit.pending = None;
            match e.api() {
                Some(api) if api.status == 400 => form.apply_server_error(api),
                _ => form.banner = Some(format!("Not saved: {e}. Your input is kept; Ctrl-S tries again.")),
            }
            let text =
                retry_with(state, &format!("Saving {login} failed"), &e, "your input is kept; Ctrl-S tries again");
            state.messages.error(state.now, text);
            Vec::new()
        }
    }
}

fn on_refetched(state: &mut State, result: Result<UserRead, Error>) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    match result {
        Ok(read) if form.held_by(&read) => {
            // Not a conflict: a view of "someone changed it" would be untrue.
            let summary = change_summary(form);
            state.form = None;
            let text = format!("Nothing more to save: {} already holds {summary}", read.user.login());
            state.messages.success(state.now, text);
            show_changed(state, read.user);
        }
        Ok(read) => form.open_conflict(read),
        Err(e) => {
            if let Some(edit) = form.edit.as_mut() {
                edit.pending = None;
            }
            let text = format!(
                "Not saved: the user changed since the form was filled, and reading it again failed ({e}). \
                 Your input is kept; Ctrl-S tries again."
            );
            form.banner = Some(text.clone());
            state.messages.error(state.now, text);
        }
    }
    Vec::new()
}

/// `State::failure`, but naming the key that retries here (its `R`
/// would refresh the list, or type into the form).
fn retry_with(state: &State, what: &str, error: &Error, retry: &str) -> String {
    match error.status() {
        Some(401) => state.failure(what, error),
        _ => format!("{what}: {error}; {retry}"),
    }
}

/// `Title → value` for each changed attribute, for the message log.
fn change_summary(form: &CreateForm) -> String {
    let changes = form.changes();
    changes
        .iter()
        .map(|(key, value)| {
            let title = form.field(key).map(|f| f.attr.title.as_str()).unwrap_or(key);
            format!("{title} → {}", super::super::form::edit::shown(value))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn conflict(form: &CreateForm) -> Option<&Conflict> {
    form.edit.as_ref()?.conflict.as_ref()
}

/// The list row, the cache and (when it shows this user) the detail pane
/// take the user as the org now holds it.
fn show_changed(state: &mut State, user: crate::okta::User) {
    state.list.update_row(user.to_row());
    state.cache.put(user.clone());
    // The edit logged an event: the Log tab reads the user's again.
    super::super::timeline::forget_user(state, user.id());
    if state.detail.id.as_deref() == Some(user.id()) {
        state.detail.user = Load::Loaded(user);
    }
}
