//! The create-user form: keys, the group picker, submit and its result.

use super::super::actions::Outcome;
use super::super::form::groups::GroupPicker;
use super::super::form::{CreateForm, Item, Submit};
use super::super::search::{Plan, plan, would_list};
use super::super::{Created, Effect, Load, Overlay, ReqId, State, Timer};
use super::results::show_selected;
use crate::okta::{Error, Group, LifecycleOp, User, UserType};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use tui_input::backend::crossterm::EventHandler;

const GROUP_SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// `n`: a form over the org's schema, or the base attributes with a note.
pub fn open(state: &mut State) {
    let (attributes, notice) = match &state.schema {
        Load::Loaded(schema) => (Some(schema.attributes()), None),
        Load::Failed(e) => (None, Some(format!("{e}. The base attributes are shown."))),
        _ => (None, Some("The org's user schema is still loading: the base attributes are shown.".to_owned())),
    };
    let mut form = CreateForm::new(attributes, notice);
    form.type_id = type_ids(state).into_iter().next();
    state.form = Some(form);
}

/// The org's user types, default first.
fn type_ids(state: &State) -> Vec<String> {
    match &state.types {
        Load::Loaded(types) => {
            let mut sorted: Vec<&UserType> = types.iter().collect();
            sorted.sort_by_key(|t| !t.default());
            sorted.into_iter().map(|t| t.id().to_owned()).collect()
        }
        _ => Vec::new(),
    }
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let types = type_ids(state);
    if let Some(effects) = super::edit::on_key(state, key) {
        return effects;
    }
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    if form.confirm_discard {
        form.confirm_discard = false;
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            state.form = None;
        }
        return Vec::new();
    }
    if form.picker.is_some() {
        return on_picker_key(state, key);
    }
    if form.is_sending() {
        // What was typed stays as it is while the request is out.
        return Vec::new();
    }
    match key.code {
        KeyCode::Esc if form.is_dirty() => form.confirm_discard = true,
        KeyCode::Esc => state.form = None,
        KeyCode::Tab | KeyCode::Down => form.move_focus(true),
        KeyCode::BackTab | KeyCode::Up => form.move_focus(false),
        _ if is_ctrl(&key, 's') => return submit(state, false),
        _ if is_ctrl(&key, 'r') => form.credentials.reveal = !form.credentials.reveal,
        KeyCode::Enter => match form.focus {
            Item::Create => return submit(state, false),
            Item::CreateAnother => return submit(state, true),
            Item::Save => return super::edit::save(state),
            Item::Groups => return open_picker(state),
            _ => form.move_focus(true),
        },
        KeyCode::Left | KeyCode::Right if form.focused_input().is_none() => {
            form.cycle(key.code == KeyCode::Right, &types);
        }
        KeyCode::Char(' ') if form.focused_input().is_none() => match form.focus {
            Item::Groups => return open_picker(state),
            Item::Activate | Item::SendEmail | Item::ChangePassword => form.toggle(),
            _ => form.cycle(true, &types),
        },
        _ => {
            let changed = form.focused_input().is_some_and(|input| input.handle_event(&Event::Key(key)).is_some());
            if changed {
                form.after_edit();
            }
        }
    }
    Vec::new()
}

fn submit(state: &mut State, another: bool) -> Vec<Effect> {
    if state.form.as_ref().is_some_and(CreateForm::is_edit) {
        return super::edit::save(state);
    }
    let req = state.next_req();
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Some(create) = form.build() else { return Vec::new() };
    let activate_without_email = form.activate_without_email();
    form.submit = Submit::Sending { req, another };
    vec![Effect::CreateUser { req, create, activate_without_email }]
}

pub fn on_created(state: &mut State, req: ReqId, result: Result<Created, Error>) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Submit::Sending { req: awaited, another } = form.submit else { return Vec::new() };
    if awaited != req {
        return Vec::new();
    }
    form.submit = Submit::Editing;
    let created = match result {
        Ok(created) => created,
        Err(e) => {
            match e.api() {
                Some(api) => form.apply_server_error(api),
                None => form.banner = Some(e.to_string()),
            }
            state.messages.error(state.now, format!("Create failed: {e}"));
            return Vec::new();
        }
    };
    let Created { user, activation } = created;
    let login = user.login().to_owned();
    state.messages.success(state.now, format!("Created {login} ({})", user.status_str()));
    match activation {
        Some(Ok(outcome)) => {
            state.overlay = Outcome::from(LifecycleOp::Activate, &login, &outcome).map(Overlay::Outcome)
        }
        Some(Err(e)) => state.messages.error(
            state.now,
            format!("{login} was created but not activated ({e}); activate it from the actions menu (a)"),
        ),
        None => {}
    }
    if another {
        form.reset_identity();
    } else {
        state.form = None;
    }
    place_created(state, user)
}

/// A created user joins the list only where the list would show it: when
/// it matches the search and status filter, at its place in the sort
/// order (the org's natural order puts it after the others).
fn place_created(state: &mut State, user: User) -> Vec<Effect> {
    let plan = plan(&state.search.applied).unwrap_or(Plan::Everyone);
    let login = user.login().to_owned();
    if !would_list(&plan, &state.statuses, &user) {
        state.cache.put(user);
        let text = format!("{login} is not in the list: it does not match the search or status filter");
        state.messages.info(state.now, text);
        return Vec::new();
    }
    let placed = match state.sort {
        None => {
            state.list.upsert_and_select(user.to_row());
            true
        }
        Some(sort) => state.list.insert_sorted(user.to_row(), sort),
    };
    if !placed {
        state.cache.put(user);
        let text = format!("{login} sorts after the users loaded so far; G goes to the end of the list");
        state.messages.info(state.now, text);
        return Vec::new();
    }
    show_selected(state, user)
}

fn open_picker(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    form.picker = Some(GroupPicker::default());
    search_groups(state)
}

fn on_picker_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else { return Vec::new() };
    let Some(picker) = form.picker.as_mut() else { return Vec::new() };
    let found = match &picker.results {
        Load::Loaded(r) => r.clone(),
        _ => Vec::new(),
    };
    match key.code {
        KeyCode::Esc | KeyCode::Enter => form.picker = None,
        KeyCode::Down => picker.cursor = (picker.cursor + 1).min(found.len().saturating_sub(1)),
        KeyCode::Up | KeyCode::BackTab => picker.cursor = picker.cursor.saturating_sub(1),
        // Tab ticks so that Space can be typed: group names have spaces.
        KeyCode::Tab => {
            if let Some((id, name, built_in)) = found.get(picker.cursor).cloned() {
                toggle_group(state, id, name, built_in);
            }
        }
        _ => {
            if picker.input.handle_event(&Event::Key(key)).is_some_and(|c| c.value) {
                picker.generation += 1;
                picker.cursor = 0;
                let timer = Timer::GroupSearch(picker.generation);
                return vec![Effect::Schedule { after: GROUP_SEARCH_DEBOUNCE, timer }];
            }
        }
    }
    Vec::new()
}

fn toggle_group(state: &mut State, id: String, name: String, built_in: bool) {
    let Some(form) = state.form.as_mut() else { return };
    if let Some(i) = form.groups.iter().position(|(g, _)| *g == id) {
        form.groups.remove(i);
    } else if built_in {
        // Okta puts every user in Everyone; it cannot be chosen.
        state.messages.info(state.now, format!("Everyone is in {name} already"));
    } else if form.groups.len() >= crate::okta::MAX_GROUP_IDS {
        let text = format!("Okta creates a user in at most {} groups; add more afterwards", crate::okta::MAX_GROUP_IDS);
        state.messages.error(state.now, text);
    } else {
        form.groups.push((id, name));
    }
}

pub fn on_group_timer(state: &mut State, generation: u64) -> Vec<Effect> {
    match state.form.as_ref().and_then(|f| f.picker.as_ref()) {
        Some(picker) if picker.generation == generation => search_groups(state),
        _ => Vec::new(),
    }
}

fn search_groups(state: &mut State) -> Vec<Effect> {
    let req = state.next_req();
    let Some(picker) = state.form.as_mut().and_then(|f| f.picker.as_mut()) else { return Vec::new() };
    picker.pending = Some(req);
    // Earlier results stay on screen (and pickable) until the new ones come.
    if !matches!(picker.results, Load::Loaded(_)) {
        picker.results = Load::Loading(req);
    }
    vec![Effect::SearchGroups { req, q: picker.input.value().trim().to_owned() }]
}

pub fn on_group_results(state: &mut State, req: ReqId, result: Result<Vec<Group>, Error>) -> Vec<Effect> {
    let Some(picker) = state.form.as_mut().and_then(|f| f.picker.as_mut()) else { return Vec::new() };
    if picker.pending != Some(req) {
        return Vec::new();
    }
    picker.pending = None;
    picker.results = match result {
        Ok(groups) => Load::Loaded(
            groups.iter().map(|g| (g.id().to_owned(), g.name().to_owned(), g.kind() == "BUILT_IN")).collect(),
        ),
        Err(e) => Load::Failed(format!("Could not search groups: {e}")),
    };
    Vec::new()
}
