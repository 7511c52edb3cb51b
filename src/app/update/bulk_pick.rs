//! Keys of the bulk menu's group picker and `set` form: both end in a
//! plan through the same survey as every other operation, and refuse
//! what the org would refuse (an app's group, a read-only attribute, a
//! value the schema does not take) before anything is read or sent.

use super::super::bulk::Dialog;
use super::super::bulk_pick::{GroupPick, SetForm, locked_reason};
use super::super::form::fields::ProfileField;
use super::super::{Effect, Load, Overlay, State, Timer};
use super::tabs::{PickerKey, on_picker_key, search_groups};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

fn show(state: &mut State, dialog: Dialog) {
    state.overlay = Some(Overlay::Bulk(Box::new(dialog)));
}

/// Enter on a menu entry that needs more than its name: its dialog.
/// `None` for the operations planned as named.
pub fn open(state: &mut State, name: &str) -> Option<Vec<Effect>> {
    match name {
        "add-to-group" | "remove-from-group" => {
            let pick = GroupPick { remove: name == "remove-from-group", ..GroupPick::default() };
            show(state, Dialog::PickGroup(Box::new(pick)));
            Some(search_groups(state))
        }
        "set" => {
            let attributes = match &state.schema {
                Load::Loaded(schema) => schema.attributes(),
                Load::Failed(e) => {
                    let text = format!("set needs the org's profile schema, which could not be read: {e}");
                    state.messages.error(state.now, text);
                    return Some(Vec::new());
                }
                Load::Idle | Load::Loading(_) => {
                    state.messages.info(state.now, "The org's profile schema is still loading: try again");
                    return Some(Vec::new());
                }
            };
            show(state, Dialog::SetAttributes(Box::new(SetForm::new(attributes))));
            Some(Vec::new())
        }
        _ => None,
    }
}

pub fn on_group_key(state: &mut State, mut pick: Box<GroupPick>, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Esc {
        return Vec::new();
    }
    match on_picker_key(&mut pick.search, key) {
        PickerKey::Stay(effects) => {
            show(state, Dialog::PickGroup(pick));
            effects
        }
        PickerKey::Chosen(group) => {
            let operation = pick.operation(group.id().to_owned());
            super::bulk::plan(state, operation, Some(Box::new(Dialog::PickGroup(pick))))
        }
    }
}

pub fn on_set_key(state: &mut State, mut form: Box<SetForm>, key: KeyEvent) -> Vec<Effect> {
    if form.confirm_discard {
        if matches!(key.code, KeyCode::Char('y' | 'Y')) {
            return Vec::new();
        }
        form.confirm_discard = false;
        show(state, Dialog::SetAttributes(form));
        return Vec::new();
    }
    let save = key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc if form.has_input() => form.confirm_discard = true,
        KeyCode::Esc => return Vec::new(),
        _ if save => {
            // A valid value being typed is part of what the admin means.
            if form.value.is_some()
                && let Err(why) = form.add_value()
            {
                form.refusal = Some(why);
            } else if form.assignments.is_empty() {
                form.refusal = Some("Add an attribute and its value first".into());
            } else {
                return plan(state, form);
            }
        }
        _ if form.value.is_some() => on_value_key(&mut form, key),
        KeyCode::Enter if form.filter.value().trim().is_empty() && !form.assignments.is_empty() => {
            return plan(state, form);
        }
        _ => on_attribute_key(&mut form, key),
    }
    show(state, Dialog::SetAttributes(form));
    Vec::new()
}

/// Plans the form's assignments; Esc on the plan comes back to them.
fn plan(state: &mut State, form: Box<SetForm>) -> Vec<Effect> {
    let operation = form.operation();
    super::bulk::plan(state, operation, Some(Box::new(Dialog::SetAttributes(form))))
}

/// Choosing the attribute: typing filters, ↑/↓ move, Enter chooses,
/// Backspace on an empty filter takes back the last assignment.
fn on_attribute_key(form: &mut SetForm, key: KeyEvent) {
    let found = form.matches().len();
    match key.code {
        KeyCode::Down => form.cursor = (form.cursor + 1).min(found.saturating_sub(1)),
        KeyCode::Up => form.cursor = form.cursor.saturating_sub(1),
        KeyCode::Enter => {
            let chosen = form.matches().get(form.cursor).map(|a| (*a).clone());
            match chosen {
                None => {
                    let typed = form.filter.value().trim();
                    form.refusal = Some(format!("No attribute of the org's user profile is called {typed:?}"));
                }
                Some(attribute) => match locked_reason(&attribute) {
                    Some(why) => form.refusal = Some(why),
                    None => {
                        form.refusal = None;
                        form.value = Some(ProfileField::new(attribute));
                    }
                },
            }
        }
        KeyCode::Backspace if form.filter.value().is_empty() => {
            form.assignments.pop();
        }
        _ => {
            if form.filter.handle_event(&Event::Key(key)).is_some_and(|c| c.value) {
                form.cursor = 0;
                form.refusal = None;
            }
        }
    }
}

/// Typing the value, checked as typed; ←/→ choose among allowed values;
/// Enter adds it; Backspace on an empty value goes back to the attribute.
fn on_value_key(form: &mut SetForm, key: KeyEvent) {
    let Some(field) = form.value.as_mut() else { return };
    match key.code {
        KeyCode::Enter => {
            if let Err(why) = form.add_value() {
                form.refusal = Some(why);
            }
        }
        KeyCode::Backspace if field.is_empty() => {
            form.value = None;
            form.refusal = None;
        }
        KeyCode::Left | KeyCode::Right if field.is_choice() => field.cycle(key.code == KeyCode::Right),
        _ if field.is_choice() => {}
        _ => {
            if field.input.handle_event(&Event::Key(key)).is_some_and(|c| c.value) {
                field.error = field.check();
                form.refusal = None;
            }
        }
    }
}

/// Pasted text goes where typing would: the group's name (searched once
/// it rests), the attribute filter or the value.
pub fn paste(state: &mut State, text: &str) -> Option<Vec<Effect>> {
    let Some(Overlay::Bulk(dialog)) = &mut state.overlay else { return None };
    let appended = |input: &Input| Input::new(format!("{}{text}", input.value()));
    match &mut **dialog {
        Dialog::PickGroup(pick) => {
            let search = &mut pick.search;
            search.input = appended(&search.input);
            search.generation += 1;
            search.cursor = 0;
            search.refusal = None;
            let timer = Timer::TabGroupSearch(search.generation);
            Some(vec![Effect::Schedule { after: super::tabs::GROUP_SEARCH_DEBOUNCE, timer }])
        }
        Dialog::SetAttributes(form) if !form.confirm_discard => {
            match form.value.as_mut() {
                Some(field) if field.is_choice() => {}
                Some(field) => {
                    field.input = appended(&field.input);
                    field.error = field.check();
                }
                None => {
                    form.filter = appended(&form.filter);
                    form.cursor = 0;
                }
            }
            form.refusal = None;
            Some(Vec::new())
        }
        _ => None,
    }
}
