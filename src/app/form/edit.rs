//! The create form in its edit mode: prefilled from a user as read (with
//! the read's `ETag`), sending only what the admin changed, and the
//! conflict view when someone else changed the user meanwhile.
//!
//! What counts as a change is measured against what the form was filled
//! with, not against normalised values, so an untouched field is never
//! sent even when its stored value would be written differently.

use super::fields::{self, ProfileField};
use super::{CreateForm, Item};
use crate::app::ReqId;
use crate::okta::{ETag, SchemaAttribute, UserRead};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Map, Value};
use tui_input::Input;

/// What the form waits for from the org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// The fresh read the form is filled from.
    Read(ReqId),
    Save(ReqId),
    /// The read after a save found the user changed meanwhile.
    Refetch(ReqId),
}

#[derive(Debug, Clone)]
pub struct EditTarget {
    pub user_id: String,
    /// The login as read, for titles and messages.
    pub login: String,
    /// The version the form's values come from, sent as `If-Match`.
    pub etag: Option<ETag>,
    /// The profile as read.
    pub base: Map<String, Value>,
    /// Each field's text and choice as filled, by field index.
    initial: Vec<(String, Option<usize>)>,
    pub pending: Option<Pending>,
    /// The login change is waiting for the admin's yes.
    pub confirm_login: bool,
    /// The new login the admin already said yes to.
    login_confirmed: Option<String>,
    pub conflict: Option<Conflict>,
    /// Keys typed while the form waits for its read, played into it once
    /// filled: typing right after `e` loses nothing.
    pub typed_ahead: Vec<KeyEvent>,
}

impl EditTarget {
    pub fn is_reading(&self) -> bool {
        matches!(self.pending, Some(Pending::Read(_)))
    }

    /// Pasted text waits like typed keys.
    pub fn paste_ahead(&mut self, text: &str) {
        self.typed_ahead.extend(text.chars().map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
}

/// One attribute the admin changed, as the org holds it now.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub key: String,
    pub title: String,
    /// The value the form was filled with.
    pub base: Value,
    pub mine: Value,
    pub current: Value,
    /// Keep the admin's value (the default) or take the current one.
    pub keep_mine: bool,
}

impl ConflictRow {
    /// Whether the other side changed this attribute too (to something
    /// other than what the admin typed).
    pub fn contested(&self) -> bool {
        self.current != self.base && self.current != self.mine
    }
}

#[derive(Debug, Clone)]
pub struct Conflict {
    pub rows: Vec<ConflictRow>,
    /// Titles of attributes only the other side changed: simply taken.
    pub taken: Vec<String>,
    pub cursor: usize,
    /// The user as it is now, with its `ETag`.
    pub current: UserRead,
}

impl Conflict {
    pub fn toggle(&mut self, keep_mine: bool) {
        if let Some(row) = self.rows.get_mut(self.cursor) {
            row.keep_mine = keep_mine;
        }
    }

    pub fn move_cursor(&mut self, forward: bool) {
        let n = self.rows.len().max(1);
        self.cursor = if forward { (self.cursor + 1) % n } else { (self.cursor + n - 1) % n };
    }
}

/// Why a save can't go out yet.
#[derive(Debug, Clone, PartialEq)]
pub enum NotReady {
    /// The form is still waiting for the org.
    Waiting,
    Invalid,
    NothingChanged,
    /// A new login needs the admin's yes first.
    ConfirmLogin,
}

impl CreateForm {
    /// An edit form over `attributes` (or the base ones, with `notice`),
    /// empty until the read it waits for (`req`) fills it.
    pub fn edit(
        attributes: Option<Vec<SchemaAttribute>>,
        notice: Option<String>,
        user_id: &str,
        login: &str,
        req: ReqId,
    ) -> Self {
        let mut form = CreateForm::new(None, notice);
        form.profile = match attributes {
            Some(attrs) if !attrs.is_empty() => fields::for_edit(attrs),
            _ => fields::fallback(),
        };
        // An existing login is never rewritten from the email.
        form.login_edited = true;
        form.edit = Some(Box::new(EditTarget {
            user_id: user_id.to_owned(),
            login: login.to_owned(),
            etag: None,
            base: Map::new(),
            initial: Vec::new(),
            pending: Some(Pending::Read(req)),
            confirm_login: false,
            login_confirmed: None,
            conflict: None,
            typed_ahead: Vec::new(),
        }));
        form.focus = form.first_editable();
        form
    }

    /// Fills the form from `read`; its values become what changes are
    /// measured against.
    pub fn fill(&mut self, read: UserRead) {
        let base = read.user.profile().cloned().unwrap_or_default();
        for f in &mut self.profile {
            set_value(f, base.get(f.key()).unwrap_or(&Value::Null));
        }
        let initial = self.profile.iter().map(|f| (f.input.value().to_owned(), f.choice)).collect();
        if let Some(edit) = self.edit.as_mut() {
            edit.login = read.user.login().to_owned();
            edit.etag = read.etag;
            edit.base = base;
            edit.initial = initial;
            edit.pending = None;
        }
    }

    pub fn is_edit(&self) -> bool {
        self.edit.is_some()
    }

    /// Indexes of the fields the admin changed.
    pub fn changed_fields(&self) -> Vec<usize> {
        let Some(edit) = &self.edit else { return Vec::new() };
        self.profile
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                !f.locked(true)
                    && edit.initial.get(*i).is_some_and(|(text, choice)| f.input.value() != text || f.choice != *choice)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The partial update: each changed attribute, `null` for a cleared
    /// one (which `check` only lets through where it may be empty).
    pub fn changes(&self) -> Map<String, Value> {
        self.changed_fields()
            .into_iter()
            .filter_map(|i| self.profile.get(i))
            .map(|f| (f.key().to_owned(), f.value().unwrap_or(Value::Null)))
            .collect()
    }

    /// The new login, when the changes hold one.
    pub fn new_login(&self) -> Option<String> {
        self.changes().get("login").map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    /// Checks the changed fields (an unchanged value the org already holds
    /// is not the admin's to fix now) and answers what to send.
    pub fn edit_request(&mut self) -> Result<Map<String, Value>, NotReady> {
        let ready = self.edit.as_ref().is_some_and(|e| e.pending.is_none());
        if !ready {
            return Err(NotReady::Waiting);
        }
        self.banner = None;
        for i in self.changed_fields() {
            if let Some(f) = self.profile.get_mut(i) {
                f.error = f.check();
            }
        }
        if let Some(i) = self.changed_fields().into_iter().find(|i| self.profile[*i].error.is_some()) {
            self.focus = Item::Profile(i);
            return Err(NotReady::Invalid);
        }
        let changes = self.changes();
        if changes.is_empty() {
            self.banner = Some("Nothing to save: no attribute was changed".into());
            return Err(NotReady::NothingChanged);
        }
        let new_login = self.new_login();
        let edit = self.edit.as_mut().ok_or(NotReady::Waiting)?;
        if new_login.is_some() && edit.login_confirmed != new_login {
            edit.confirm_login = true;
            return Err(NotReady::ConfirmLogin);
        }
        Ok(changes)
    }

    /// The admin said yes to the new login.
    pub fn confirm_login(&mut self) {
        let login = self.new_login();
        if let Some(edit) = self.edit.as_mut() {
            edit.confirm_login = false;
            edit.login_confirmed = login;
        }
    }

    /// Whether `current` already holds every change: an earlier save whose
    /// answer was lost landed, or someone made the same change meanwhile.
    pub fn held_by(&self, current: &UserRead) -> bool {
        let now = current.user.profile();
        self.changes().iter().all(|(key, mine)| now.and_then(|p| p.get(key)).unwrap_or(&Value::Null) == mine)
    }

    /// The conflict view for `current`: per changed attribute, what the
    /// form started from, the admin's value and the current one.
    pub fn open_conflict(&mut self, current: UserRead) {
        let now = current.user.profile().cloned().unwrap_or_default();
        let Some(edit) = self.edit.as_ref() else { return };
        let changes = self.changes();
        let rows = changes
            .iter()
            .map(|(key, mine)| ConflictRow {
                key: key.clone(),
                title: self.field(key).map(|f| f.attr.title.clone()).unwrap_or_else(|| key.clone()),
                base: edit.base.get(key).cloned().unwrap_or(Value::Null),
                mine: mine.clone(),
                current: now.get(key).cloned().unwrap_or(Value::Null),
                keep_mine: true,
            })
            .collect();
        // Every attribute of the profile, shown in the form or not.
        let mut keys: Vec<&String> = edit.base.keys().chain(now.keys()).collect();
        keys.sort();
        keys.dedup();
        let taken = keys
            .into_iter()
            .filter(|k| !changes.contains_key(*k))
            .filter(|k| edit.base.get(*k).unwrap_or(&Value::Null) != now.get(*k).unwrap_or(&Value::Null))
            .map(|k| self.field(k).map(|f| f.attr.title.clone()).unwrap_or_else(|| k.clone()))
            .collect();
        if let Some(edit) = self.edit.as_mut() {
            edit.pending = None;
            edit.conflict = Some(Conflict { rows, taken, cursor: 0, current });
        }
    }

    /// Applies the admin's choices: the form now starts from the current
    /// user (and its `ETag`), holding the admin's values where they kept
    /// them. Nothing else typed is touched.
    pub fn resolve_conflict(&mut self) {
        let Some(conflict) = self.edit.as_mut().and_then(|e| e.conflict.take()) else { return };
        let mine: Vec<(String, ProfileField)> = conflict
            .rows
            .iter()
            .filter(|r| r.keep_mine)
            .filter_map(|r| Some((r.key.clone(), self.field(&r.key)?.clone())))
            .collect();
        self.fill(conflict.current);
        for (key, kept) in mine {
            if let Some(f) = self.field_mut(&key) {
                f.input = kept.input;
                f.choice = kept.choice;
                f.error = f.check();
            }
        }
    }

    /// Back to the form from the conflict view: the input as it was.
    pub fn close_conflict(&mut self) {
        if let Some(edit) = self.edit.as_mut() {
            edit.conflict = None;
        }
    }

    pub(super) fn first_editable(&self) -> Item {
        let i = self.profile.iter().position(|f| !f.locked(true)).unwrap_or(0);
        Item::Profile(i)
    }
}

/// Puts a stored value into a field as the admin would type it.
fn set_value(f: &mut ProfileField, value: &Value) {
    f.error = None;
    if f.is_choice() {
        f.choice = f.choices().iter().position(|(v, _)| v == value);
        f.input = Input::default();
        return;
    }
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    };
    f.input = Input::new(text);
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value as the conflict view shows it.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
