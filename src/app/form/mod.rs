//! The create-user form: every creation variant of the Users API.
//!
//! Profile fields come from the org's schema; credentials, groups, user
//! type and activation options map to `CreateUser`. Nothing typed is ever
//! thrown away by an error: server causes land on their fields.

pub mod credentials;
pub mod edit;
pub mod fields;
pub mod groups;

use super::ReqId;
use crate::okta::{ApiError, CreateUser, SchemaAttribute};
use credentials::{CredentialsForm, Key, Mode};
use fields::ProfileField;
use groups::GroupPicker;
use tui_input::Input;

/// What the focus can sit on, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Profile(usize),
    CredentialsMode,
    Credential(Key),
    Groups,
    UserType,
    Activate,
    SendEmail,
    ChangePassword,
    Create,
    CreateAnother,
    /// The edit mode's only button.
    Save,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Editing,
    /// `another`: keep the options and start the next user on success.
    Sending {
        req: ReqId,
        another: bool,
    },
}

#[derive(Debug, Clone)]
pub struct CreateForm {
    pub profile: Vec<ProfileField>,
    pub credentials: CredentialsForm,
    /// `(id, name)` of the chosen groups.
    pub groups: Vec<(String, String)>,
    /// `None`: the org's default type.
    pub type_id: Option<String>,
    pub activate: bool,
    pub send_email: bool,
    pub change_password: bool,
    pub focus: Item,
    pub submit: Submit,
    /// An error that belongs to no field.
    pub banner: Option<String>,
    /// Why the fields are not the org's own (schema unreadable).
    pub notice: Option<String>,
    pub picker: Option<GroupPicker>,
    /// Esc on a changed form asks first.
    pub confirm_discard: bool,
    /// Login mirrors email until the admin edits login.
    login_edited: bool,
    /// Set when the form edits an existing user rather than creating one.
    pub edit: Option<Box<edit::EditTarget>>,
}

impl CreateForm {
    /// A form over `attributes`, or over the base attributes with `notice`
    /// when the org's schema could not be read.
    pub fn new(attributes: Option<Vec<SchemaAttribute>>, notice: Option<String>) -> Self {
        let profile = match attributes {
            Some(attrs) if !attrs.is_empty() => fields::from_schema(attrs),
            _ => fields::fallback(),
        };
        Self {
            profile,
            credentials: CredentialsForm::default(),
            groups: Vec::new(),
            type_id: None,
            activate: true,
            send_email: true,
            change_password: false,
            focus: Item::Profile(0),
            submit: Submit::Editing,
            banner: None,
            notice,
            picker: None,
            confirm_discard: false,
            login_edited: false,
            edit: None,
        }
    }

    pub fn is_sending(&self) -> bool {
        matches!(self.submit, Submit::Sending { .. }) || self.edit.as_ref().is_some_and(|e| e.pending.is_some())
    }

    pub fn field(&self, key: &str) -> Option<&ProfileField> {
        self.profile.iter().find(|f| f.key() == key)
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut ProfileField> {
        self.profile.iter_mut().find(|f| f.key() == key)
    }

    pub fn login(&self) -> String {
        self.field("login").map(|f| f.input.value().trim().to_owned()).unwrap_or_default()
    }

    /// Every focus stop in order; credentials inputs follow the mode.
    pub fn items(&self) -> Vec<Item> {
        let mut items: Vec<Item> = (0..self.profile.len()).map(Item::Profile).collect();
        if self.is_edit() {
            // Credentials, groups, type and activation are the create's.
            items.push(Item::Save);
            return items;
        }
        items.push(Item::CredentialsMode);
        items.extend(self.credentials.inputs().iter().map(|k| Item::Credential(*k)));
        items.extend([Item::Groups, Item::UserType, Item::Activate, Item::SendEmail, Item::ChangePassword]);
        items.extend([Item::Create, Item::CreateAnother]);
        items
    }

    pub fn move_focus(&mut self, forward: bool) {
        let items = self.items();
        let n = items.len();
        let i = items.iter().position(|it| *it == self.focus).unwrap_or(0);
        self.focus = items[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// The text input under the focus, if it is one.
    pub fn focused_input(&mut self) -> Option<&mut Input> {
        let editing = self.is_edit();
        match self.focus {
            Item::Profile(i) => {
                self.profile.get_mut(i).filter(|f| !f.is_choice() && !f.locked(editing)).map(|f| &mut f.input)
            }
            Item::Credential(key) => self.credentials.input_mut(key),
            _ => None,
        }
    }

    /// ←/→ on a choice: mode, user type (given the org's types), enum
    /// values, hash algorithm…
    pub fn cycle(&mut self, forward: bool, type_ids: &[String]) {
        let editing = self.is_edit();
        match self.focus {
            Item::CredentialsMode => self.credentials.cycle_mode(forward),
            Item::Credential(key) if key.is_choice() => self.credentials.cycle_choice(key, forward),
            Item::Profile(i) => {
                if let Some(f) = self.profile.get_mut(i).filter(|f| !f.locked(editing)) {
                    f.cycle(forward);
                }
            }
            Item::UserType if !type_ids.is_empty() => {
                let n = type_ids.len();
                let i = self.type_id.as_ref().and_then(|t| type_ids.iter().position(|x| x == t)).unwrap_or(0);
                self.type_id = Some(type_ids[if forward { (i + 1) % n } else { (i + n - 1) % n }].clone());
            }
            Item::Activate | Item::SendEmail | Item::ChangePassword => self.toggle(),
            _ => {}
        }
    }

    /// Space on a checkbox.
    pub fn toggle(&mut self) {
        match self.focus {
            Item::Activate => self.activate = !self.activate,
            Item::SendEmail if self.send_email_reason().is_none() => self.send_email = !self.send_email,
            Item::ChangePassword if self.change_password_reason().is_none() => {
                self.change_password = !self.change_password;
            }
            _ => {}
        }
    }

    /// Why "send activation email" can't apply now, if it can't.
    pub fn send_email_reason(&self) -> Option<&'static str> {
        if !self.activate {
            Some("only when the user is activated now")
        } else if self.credentials.mode.has_password() || self.credentials.mode == Mode::Provider {
            Some("this user signs in without the activation email")
        } else {
            None
        }
    }

    /// Why "must change password at first sign-in" can't apply now.
    pub fn change_password_reason(&self) -> Option<&'static str> {
        if !self.credentials.mode.has_typed_password() {
            Some("needs a password set here (Okta: E0000124)")
        } else if !self.activate {
            Some("needs the user activated now (Okta: E0000125)")
        } else {
            None
        }
    }

    /// Called after the focused text input changed.
    pub fn after_edit(&mut self) {
        match self.focus {
            Item::Profile(i) => {
                let key = self.profile.get(i).map(|f| f.key().to_owned()).unwrap_or_default();
                if key == "login" {
                    self.login_edited = true;
                }
                // The banner summed up the problems; once the admin edits a
                // field it was about (the login, directly or through the
                // email it follows), it no longer describes the form.
                let flagged = self.profile.get(i).is_some_and(|f| f.error.is_some());
                if flagged || key == "login" || (key == "email" && !self.login_edited) {
                    self.banner = None;
                }
                if key == "email" && !self.login_edited {
                    let email = self.field("email").map(|f| f.input.value().to_owned()).unwrap_or_default();
                    if let Some(login) = self.field_mut("login") {
                        login.input = Input::new(email);
                        login.error = login.check();
                    }
                }
                if let Some(f) = self.profile.get_mut(i) {
                    f.error = f.check();
                }
            }
            Item::Credential(key) => {
                let login = self.login();
                let problem = self.credentials.check(key, &login);
                self.credentials.errors.retain(|(k, _)| *k != key);
                if let Some(p) = problem {
                    self.credentials.errors.push((key, p));
                }
            }
            _ => {}
        }
    }

    /// Inserts pasted text into the focused input.
    pub fn paste(&mut self, text: &str) {
        if let Some(edit) = self.edit.as_mut().filter(|e| e.is_reading()) {
            edit.paste_ahead(text);
            return;
        }
        if let Some(input) = self.focused_input() {
            let value = format!("{}{text}", input.value());
            *input = Input::new(value);
            self.after_edit();
        }
    }

    pub fn is_dirty(&self) -> bool {
        if self.is_edit() {
            return !self.changed_fields().is_empty();
        }
        self.profile.iter().any(|f| !f.is_empty()) || self.credentials.is_dirty() || !self.groups.is_empty()
    }

    /// Checks everything; returns the request when all is valid, else
    /// moves the focus to the first problem.
    pub fn build(&mut self) -> Option<CreateUser> {
        self.banner = None;
        for f in &mut self.profile {
            f.error = f.check();
        }
        let login = self.login();
        let credentials = self.credentials.build(&login);
        if let Some(first) = self.first_error() {
            self.focus = first;
            return None;
        }
        let mut create = CreateUser::new(fields::profile(&self.profile));
        create.credentials = credentials?;
        create.group_ids = self.groups.iter().map(|(id, _)| id.clone()).collect();
        create.type_id = self.type_id.clone();
        create.activate = self.activate;
        create.next_login_change_password = self.change_password && self.change_password_reason().is_none();
        if let Err(e) = create.validate() {
            self.banner = Some(e.to_string());
            return None;
        }
        Some(create)
    }

    /// Whether the create needs the two-step activation: created staged,
    /// then activated without Okta's email, so the admin gets the link.
    pub fn activate_without_email(&self) -> bool {
        self.activate && !self.send_email && self.send_email_reason().is_none()
    }

    fn first_error(&self) -> Option<Item> {
        self.items().into_iter().find(|item| match item {
            Item::Profile(i) => self.profile.get(*i).is_some_and(|f| f.error.is_some()),
            Item::Credential(k) => self.credentials.error(*k).is_some(),
            _ => false,
        })
    }

    /// Puts each `field: message` cause on its field; the rest go to the
    /// banner. Nothing typed is touched.
    pub fn apply_server_error(&mut self, err: &ApiError) {
        let mut general = Vec::new();
        for (field, message) in err.field_causes() {
            let field = field.map(|f| f.trim_start_matches("profile."));
            if let Some(f) = field.and_then(|k| self.profile.iter_mut().find(|f| f.key() == k)) {
                f.error = Some(message.to_owned());
                continue;
            }
            let key = field.and_then(|k| self.credentials.inputs().iter().find(|c| c.cause_field() == k).copied());
            match key {
                Some(key) => self.credentials.errors.push((key, message.to_owned())),
                None => general.push(message.to_owned()),
            }
        }
        if let Some(first) = self.first_error() {
            self.focus = first;
        }
        self.banner = Some(if general.is_empty() { err.to_string() } else { general.join("; ") });
    }

    /// After "create and add another": keep the options, clear who it was.
    pub fn reset_identity(&mut self) {
        for f in &mut self.profile {
            f.input.reset();
            f.choice = None;
            f.error = None;
        }
        self.credentials.clear_secrets();
        self.login_edited = false;
        self.banner = None;
        self.focus = Item::Profile(0);
    }
}
