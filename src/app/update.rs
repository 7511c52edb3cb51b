//! Message handling. Every branch returns the effects to run.

use super::form::{CreateForm, Submit};
use super::list::Paging;
use super::{ApiResult, Effect, Load, Msg, PageFrom, State};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

/// Effects to run when the app starts (after the first frame is drawn).
pub fn start(state: &mut State) -> Vec<Effect> {
    load_more(state).into_iter().collect()
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(state, key),
        Msg::Key(_) => Vec::new(),
        Msg::Paste(text) => {
            if let Some(form) = &mut state.form {
                let field = &mut form.fields[form.focus];
                let clean: String = text.chars().filter(|c| !c.is_control()).collect();
                field.input = field.input.clone().with_value(format!("{}{clean}", field.value()));
                form.after_edit();
            }
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Viewport(rows) => {
            state.list.viewport = usize::from(rows).max(1);
            let selected = state.list.selected;
            state.list.select(selected);
            Vec::new()
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Api(req, result) => on_result(state, req, result),
    }
}

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'c') {
        state.quitting = true;
        return vec![Effect::Quit];
    }
    if state.form.is_some() {
        return on_form_key(state, key);
    }
    let before = state.list.selected;
    match key.code {
        KeyCode::Char('q') => {
            state.quitting = true;
            return vec![Effect::Quit];
        }
        KeyCode::Down | KeyCode::Char('j') => state.list.move_by(1),
        KeyCode::Up | KeyCode::Char('k') => state.list.move_by(-1),
        KeyCode::PageDown => state.list.move_by(state.list.viewport as isize),
        KeyCode::PageUp => state.list.move_by(-(state.list.viewport as isize)),
        KeyCode::Home | KeyCode::Char('g') => state.list.select(0),
        KeyCode::End | KeyCode::Char('G') => state.list.select(usize::MAX),
        KeyCode::Char('n') => {
            state.form = Some(CreateForm::default());
            return Vec::new();
        }
        _ => return Vec::new(),
    }
    let mut effects = Vec::new();
    if state.list.selected != before || matches!(state.detail, Load::Idle) {
        effects.extend(fetch_selected(state));
    }
    effects.extend(load_more(state));
    effects
}

fn on_form_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    if matches!(form.submit, Submit::Sending(_)) {
        // Keep what was typed stable while the request is out.
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc => state.form = None,
        KeyCode::Tab | KeyCode::Down => form.focus_next(true),
        KeyCode::BackTab | KeyCode::Up => form.focus_next(false),
        _ if is_ctrl(&key, 's') => {
            form.banner = None;
            if let Some(create) = form.build() {
                state.next_req += 1;
                let req = super::ReqId(state.next_req);
                if let Some(form) = state.form.as_mut() {
                    form.submit = Submit::Sending(req);
                }
                return vec![Effect::CreateUser { req, create }];
            }
        }
        KeyCode::Enter => {
            if form.focus + 1 == form.fields.len() {
                return on_form_key(state, KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
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

fn on_result(state: &mut State, req: super::ReqId, result: ApiResult) -> Vec<Effect> {
    match result {
        ApiResult::Page(result) => {
            if state.list.paging != Paging::Loading(req) {
                return Vec::new();
            }
            match result {
                Ok(page) => {
                    let first = state.list.rows.is_empty();
                    state.list.append_page(page.items, page.next);
                    let mut effects = Vec::new();
                    if first {
                        effects.extend(fetch_selected(state));
                    }
                    effects.extend(load_more(state));
                    effects
                }
                Err(e) => {
                    let text = format!("Could not load users: {e}");
                    state.list.paging = Paging::Failed(text.clone());
                    state.toast = Some(text);
                    Vec::new()
                }
            }
        }
        ApiResult::User(result) => {
            if state.detail != Load::Loading(req) {
                return Vec::new();
            }
            state.detail = match result {
                Ok(user) => Load::Loaded(user),
                Err(e) => Load::Failed(e.to_string()),
            };
            Vec::new()
        }
        ApiResult::Created(result) => {
            let Some(form) = state.form.as_mut() else { return Vec::new() };
            if form.submit != Submit::Sending(req) {
                return Vec::new();
            }
            form.submit = Submit::Editing;
            match result {
                Ok(user) => {
                    state.toast = Some(format!("Created {} ({})", user.login(), user.status_str()));
                    state.form = None;
                    state.list.insert_created(user.to_row());
                    state.detail = Load::Loaded(user);
                }
                Err(e) => match e.api() {
                    Some(api) => form.apply_server_error(api),
                    None => form.banner = Some(e.to_string()),
                },
            }
            Vec::new()
        }
    }
}

fn fetch_selected(state: &mut State) -> Option<Effect> {
    let id = state.list.selected_row()?.id().to_string();
    if let Load::Loaded(user) = &state.detail
        && user.id() == id
    {
        return None;
    }
    let req = state.next_req();
    state.detail = Load::Loading(req);
    Some(Effect::FetchUser { req, id })
}

fn load_more(state: &mut State) -> Option<Effect> {
    if !state.list.wants_more() {
        return None;
    }
    let from = match &state.list.paging {
        Paging::More(Some(url)) => PageFrom::Next(url.clone()),
        Paging::More(None) => PageFrom::First(state.query.clone()),
        _ => return None,
    };
    let req = state.next_req();
    state.list.paging = Paging::Loading(req);
    Some(Effect::FetchPage { req, from })
}
