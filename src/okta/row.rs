//! The compact list row: what the list columns need and nothing more.
//!
//! A million rows must fit in memory, so a row is one heap allocation: id,
//! name, login and email are packed into a single string (the email only
//! when it differs from the login, as it usually does not), timestamps are
//! epoch milliseconds. 48 bytes inline plus one allocation of about the
//! length of the text.

use super::model::{UserStatus, display_name};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

const NO_TIME: i64 = i64::MIN;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserRow {
    /// id, name, login, then the email when it is not the login.
    text: Box<str>,
    id_end: u32,
    name_end: u32,
    login_end: u32,
    email_is_login: bool,
    status: Option<UserStatus>,
    last_login: i64,
    last_updated: i64,
}

impl UserRow {
    pub fn new(
        id: &str,
        status: Option<UserStatus>,
        name: &str,
        login: &str,
        email: &str,
        last_login: Option<&str>,
        last_updated: Option<&str>,
    ) -> Self {
        let email_is_login = email == login;
        let mut text = String::with_capacity(id.len() + name.len() + login.len() + email.len());
        text.push_str(id);
        let id_end = offset(&text);
        text.push_str(name);
        let name_end = offset(&text);
        text.push_str(login);
        let login_end = offset(&text);
        if !email_is_login {
            text.push_str(email);
        }
        Self {
            text: text.into_boxed_str(),
            id_end,
            name_end,
            login_end,
            email_is_login,
            status,
            last_login: millis(last_login),
            last_updated: millis(last_updated),
        }
    }

    fn slice(&self, from: u32, to: u32) -> &str {
        self.text.get(from as usize..to as usize).unwrap_or_default()
    }

    pub fn id(&self) -> &str {
        self.slice(0, self.id_end)
    }

    pub fn status(&self) -> Option<UserStatus> {
        self.status
    }

    /// `displayName`, else "first last", else the login.
    pub fn name(&self) -> &str {
        self.slice(self.id_end, self.name_end)
    }

    pub fn login(&self) -> &str {
        self.slice(self.name_end, self.login_end)
    }

    pub fn email(&self) -> &str {
        if self.email_is_login { self.login() } else { self.text.get(self.login_end as usize..).unwrap_or_default() }
    }

    pub fn last_login(&self) -> Option<jiff::Timestamp> {
        timestamp(self.last_login)
    }

    pub fn last_updated(&self) -> Option<jiff::Timestamp> {
        timestamp(self.last_updated)
    }

    /// Heap bytes owned by this row (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

fn millis(text: Option<&str>) -> i64 {
    text.and_then(|t| t.parse::<jiff::Timestamp>().ok()).map_or(NO_TIME, |t| t.as_millisecond())
}

fn timestamp(ms: i64) -> Option<jiff::Timestamp> {
    (ms != NO_TIME).then(|| jiff::Timestamp::from_millisecond(ms).ok()).flatten()
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id())
            .field("status", &self.status)
            .field("name", &self.name())
            .field("login", &self.login())
            .field("email", &self.email())
            .field("last_login", &self.last_login())
            .field("last_updated", &self.last_updated())
            .finish()
    }
}

/// The wire shape a row is read from: borrowed where possible and ignoring
/// everything else, so listing never builds the full JSON tree.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRow<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(default, borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    last_login: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    last_updated: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    profile: WireProfile<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireProfile<'a> {
    #[serde(default, borrow)]
    login: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    email: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    first_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    last_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    display_name: Option<Cow<'a, str>>,
}

impl From<WireRow<'_>> for UserRow {
    fn from(w: WireRow<'_>) -> Self {
        let p = &w.profile;
        let login = p.login.as_deref().unwrap_or_default();
        let name = display_name(p.display_name.as_deref(), p.first_name.as_deref(), p.last_name.as_deref(), login);
        UserRow::new(
            &w.id,
            w.status.as_deref().and_then(UserStatus::parse),
            &name,
            login,
            p.email.as_deref().unwrap_or_default(),
            w.last_login.as_deref(),
            w.last_updated.as_deref(),
        )
    }
}

/// Parses a JSON array of users straight into rows.
pub fn rows_from_json(body: &[u8]) -> Result<Vec<UserRow>, serde_json::Error> {
    let wire: Vec<WireRow<'_>> = serde_json::from_slice(body)?;
    Ok(wire.into_iter().map(UserRow::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_survive_packing() {
        let row = UserRow::new(
            "00u1",
            Some(UserStatus::Active),
            "Ada Byron",
            "ada@example.com",
            "ada@example.com",
            None,
            Some("2025-01-02T03:04:05.678Z"),
        );
        assert_eq!(
            (row.id(), row.name(), row.login(), row.email()),
            ("00u1", "Ada Byron", "ada@example.com", "ada@example.com")
        );
        assert_eq!(row.heap_bytes(), "00u1Ada Byronada@example.com".len(), "email shared with login");
        assert_eq!(row.last_login(), None);
        assert_eq!(row.last_updated().unwrap().to_string(), "2025-01-02T03:04:05.678Z");
        let other = UserRow::new("00u2", None, "", "x@example.com", "y@example.com", None, None);
        assert_eq!((other.name(), other.login(), other.email()), ("", "x@example.com", "y@example.com"));
    }

    #[test]
    fn a_row_is_small() {
        assert!(std::mem::size_of::<UserRow>() <= 48, "{}", std::mem::size_of::<UserRow>());
    }
}
