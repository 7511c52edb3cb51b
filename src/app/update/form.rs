//! The create-user form's keys and its submit result.

use super::super::form::Submit;
use super::super::{Effect, Overlay, ReqId, State};
use super::results::show_user;
use crate::okta::{Error, User};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    if is_ctrl(&key, 'c') {
        if form.is_dirty() {
            state.overlay = Some(Overlay::ConfirmQuit);
            return Vec::new();
        }
        return vec![Effect::Quit];
    }
    if form.is_sending() {
        // What was typed stays as it is while the request is out.
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc => state.form = None,
        KeyCode::Tab | KeyCode::Down => form.focus_next(true),
        KeyCode::BackTab | KeyCode::Up => form.focus_next(false),
        _ if is_ctrl(&key, 's') => return submit(state),
        KeyCode::Enter => {
            if form.focus + 1 == form.fields.len() {
                return submit(state);
            }
            form.focus_next(true);
        }
        _ => {
            let field = &mut form.fields[form.focus];
            if field.input.handle_event(&Event::Key(key)).is_some() {
                form.after_edit();
            }
        }
    }
    Vec::new()
}

fn submit(state: &mut State) -> Vec<Effect> {
    let req = state.next_req();
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    form.banner = None;
    match form.build() {
        Some(create) => {
            form.submit = Submit::Sending(req);
            vec![Effect::CreateUser { req, create }]
        }
        None => Vec::new(),
    }
}

pub fn on_created(state: &mut State, req: ReqId, result: Result<User, Error>) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    if form.submit != Submit::Sending(req) {
        return Vec::new();
    }
    form.submit = Submit::Editing;
    match result {
        Ok(user) => {
            state.messages.success(state.now, format!("Created {} ({})", user.login(), user.status_str()));
            state.form = None;
            show_user(state, user);
        }
        Err(e) => {
            match e.api() {
                Some(api) => form.apply_server_error(api),
                None => form.banner = Some(e.to_string()),
            }
            state.messages.error(state.now, format!("Create failed: {e}"));
        }
    }
    Vec::new()
}
