//! The bulk menu's dialogs that ask for more than an operation's name:
//! the group picker of `add-to-group` / `remove-from-group` (the Groups
//! tab's picker, searching the org as you type), and the form of `set`
//! (attributes from the org's schema, each value checked as the edit form
//! checks it). Plain data; the keys are in `update::bulk_pick`.

use super::bulk::Dialog;
use super::form::fields::{self, ProfileField};
use super::tabs::GroupSearch;
use crate::bulk::Operation;
use crate::okta::SchemaAttribute;
use serde_json::Value;
use tui_input::Input;

/// `add-to-group` or `remove-from-group`: which group.
#[derive(Debug, Clone, Default)]
pub struct GroupPick {
    pub remove: bool,
    pub search: GroupSearch,
}

impl GroupPick {
    pub fn operation(&self, group_id: String) -> Operation {
        match self.remove {
            true => Operation::RemoveFromGroup(group_id),
            false => Operation::AddToGroup(group_id),
        }
    }
}

/// `set`: attributes and their values, as many as the admin adds.
#[derive(Debug, Clone)]
pub struct SetForm {
    /// The org's profile attributes, in the edit form's order.
    pub attributes: Vec<SchemaAttribute>,
    /// Filters the attributes by name or title.
    pub filter: Input,
    /// Row of the filtered attributes under the cursor.
    pub cursor: usize,
    /// The attribute chosen, with the value being typed for it.
    pub value: Option<ProfileField>,
    /// `(attribute, value as typed)`, in the order added.
    pub assignments: Vec<(String, String)>,
    /// Why the last Enter was refused, said before anything is sent.
    pub refusal: Option<String>,
    /// Esc with input asks first.
    pub confirm_discard: bool,
}

impl SetForm {
    pub fn new(attributes: Vec<SchemaAttribute>) -> Self {
        let attributes = fields::for_edit(attributes).into_iter().map(|f| f.attr).collect();
        Self {
            attributes,
            filter: Input::default(),
            cursor: 0,
            value: None,
            assignments: Vec::new(),
            refusal: None,
            confirm_discard: false,
        }
    }

    /// The attributes whose name or title holds the filter, ignoring case.
    pub fn matches(&self) -> Vec<&SchemaAttribute> {
        let wanted = self.filter.value().trim().to_lowercase();
        self.attributes
            .iter()
            .filter(|a| a.name.to_lowercase().contains(&wanted) || a.title.to_lowercase().contains(&wanted))
            .collect()
    }

    /// Whether closing would lose something typed.
    pub fn has_input(&self) -> bool {
        !self.assignments.is_empty()
            || !self.filter.value().is_empty()
            || self.value.as_ref().is_some_and(|f| !f.is_empty())
    }

    /// Adds the chosen attribute's value (replacing an earlier value for
    /// the same attribute), or says why it cannot be added.
    pub fn add_value(&mut self) -> Result<(), String> {
        let Some(field) = self.value.as_mut() else { return Err("Choose an attribute first".into()) };
        field.error = field.check();
        if let Some(error) = &field.error {
            return Err(format!("{}: {error}", field.attr.title));
        }
        let name = field.key().to_owned();
        let text = value_text(field);
        self.assignments.retain(|(n, _)| *n != name);
        self.assignments.push((name, text));
        self.value = None;
        self.filter = Input::default();
        self.cursor = 0;
        self.refusal = None;
        Ok(())
    }

    pub fn operation(&self) -> Operation {
        Operation::Set(self.assignments.clone())
    }
}

/// Why an attribute cannot be set on existing users, if it cannot.
pub fn locked_reason(attribute: &SchemaAttribute) -> Option<String> {
    let name = &attribute.name;
    if attribute.read_only {
        Some(format!("{name} is read-only: the org sets it"))
    } else if attribute.immutable {
        Some(format!("{name} is set only when a user is created"))
    } else if attribute.unique {
        Some(format!("{name} is unique to each user: one value for every user selected would clash"))
    } else {
        None
    }
}

/// The value as `set ATTR=VALUE` takes it: a choice as its value, typed
/// text as typed (outer blanks aside); empty clears the attribute.
fn value_text(field: &ProfileField) -> String {
    if !field.is_choice() {
        return field.input.value().trim().to_owned();
    }
    match field.value() {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The group picker of a bulk dialog, if it shows one.
pub fn picker_mut(dialog: &mut Dialog) -> Option<&mut GroupSearch> {
    match dialog {
        Dialog::PickGroup(pick) => Some(&mut pick.search),
        _ => None,
    }
}
