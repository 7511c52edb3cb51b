//! The create-user form: fields, focus, and per-field errors.

use super::msg::ReqId;
use crate::okta::{ApiError, CreateUser, Credentials, Secret};
use serde_json::{Map, Value};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct Field {
    /// The profile attribute (or `password`).
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    pub secret: bool,
    pub error: Option<String>,
}

impl Field {
    fn new(key: &'static str, label: &'static str, required: bool) -> Self {
        Self { key, label, input: Input::default(), required, secret: false, error: None }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Editing,
    Sending(ReqId),
}

#[derive(Debug, Clone)]
pub struct CreateForm {
    pub fields: Vec<Field>,
    pub focus: usize,
    pub activate: bool,
    pub submit: Submit,
    /// An error that belongs to no field.
    pub banner: Option<String>,
    /// Login mirrors email until the user edits login.
    login_edited: bool,
}

impl Default for CreateForm {
    fn default() -> Self {
        let mut password = Field::new("password", "Password", false);
        password.secret = true;
        Self {
            fields: vec![
                Field::new("firstName", "First name", true),
                Field::new("lastName", "Last name", true),
                Field::new("email", "Primary email", true),
                Field::new("login", "Username", true),
                password,
            ],
            focus: 0,
            activate: true,
            submit: Submit::Editing,
            banner: None,
            login_edited: false,
        }
    }
}

impl CreateForm {
    pub fn is_sending(&self) -> bool {
        matches!(self.submit, Submit::Sending(_))
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    pub fn focused_key(&self) -> &'static str {
        self.fields[self.focus].key
    }

    pub fn focus_next(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
    }

    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| !f.value().is_empty())
    }

    /// Inserts pasted text into the focused field.
    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.input = f.input.clone().with_value(format!("{}{text}", f.value()));
        }
        self.after_edit();
    }

    /// Called after the focused input changed.
    pub fn after_edit(&mut self) {
        let key = self.focused_key();
        if key == "login" {
            self.login_edited = true;
        }
        if key == "email" && !self.login_edited {
            let email = self.field("email").map(|f| f.value().to_owned()).unwrap_or_default();
            if let Some(login) = self.field_mut("login") {
                login.input = Input::new(email);
            }
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.error = validate(f);
        }
    }

    /// Checks every field; returns the request when all are valid.
    pub fn build(&mut self) -> Option<CreateUser> {
        let mut ok = true;
        for f in &mut self.fields {
            f.error = validate(f);
            ok &= f.error.is_none();
        }
        if !ok {
            self.focus = self.fields.iter().position(|f| f.error.is_some()).unwrap_or(0);
            return None;
        }
        let mut profile = Map::new();
        for f in self.fields.iter().filter(|f| !f.secret && !f.value().is_empty()) {
            profile.insert(f.key.to_owned(), Value::String(f.value().trim().to_owned()));
        }
        let mut create = CreateUser::new(profile);
        create.activate = self.activate;
        create.credentials = self
            .field("password")
            .map(|f| f.value())
            .filter(|v| !v.is_empty())
            .map_or(Credentials::None, |p| Credentials::Password(Secret::from(p)));
        Some(create)
    }

    /// Puts each `field: message` cause on its field; the rest go to the
    /// banner. Nothing typed is touched.
    pub fn apply_server_error(&mut self, err: &ApiError) {
        let mut general = Vec::new();
        for (field, message) in err.field_causes() {
            match field.and_then(|k| self.fields.iter_mut().find(|f| f.key == k)) {
                Some(f) => f.error = Some(message.to_owned()),
                None => general.push(message.to_owned()),
            }
        }
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
        self.banner = Some(if general.is_empty() { err.summary.clone() } else { general.join("; ") });
    }
}

fn validate(f: &Field) -> Option<String> {
    let v = f.value().trim();
    if v.is_empty() {
        return f.required.then(|| "required".to_owned());
    }
    match f.key {
        "email" | "login" if !v.contains('@') => Some("must be an email address".into()),
        "firstName" | "lastName" if v.chars().count() > 50 => Some("at most 50 characters".into()),
        "password" if v.chars().count() < 8 => Some("at least 8 characters".into()),
        _ => None,
    }
}
