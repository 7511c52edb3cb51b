//! Okta objects: the complete JSON as received, with typed views on top.
//!
//! A `User` keeps the whole object (key order, nulls, custom attributes)
//! so the detail pane shows exactly what the org returned; accessors read
//! the fields the UI needs. A `UserRow` is the compact list summary.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Staged,
    Provisioned,
    Active,
    Recovery,
    PasswordExpired,
    LockedOut,
    Suspended,
    Deprovisioned,
}

impl UserStatus {
    pub const ALL: [UserStatus; 8] = [
        UserStatus::Staged,
        UserStatus::Provisioned,
        UserStatus::Active,
        UserStatus::Recovery,
        UserStatus::PasswordExpired,
        UserStatus::LockedOut,
        UserStatus::Suspended,
        UserStatus::Deprovisioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Staged => "STAGED",
            UserStatus::Provisioned => "PROVISIONED",
            UserStatus::Active => "ACTIVE",
            UserStatus::Recovery => "RECOVERY",
            UserStatus::PasswordExpired => "PASSWORD_EXPIRED",
            UserStatus::LockedOut => "LOCKED_OUT",
            UserStatus::Suspended => "SUSPENDED",
            UserStatus::Deprovisioned => "DEPROVISIONED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A HAL link as Okta writes it in `_links`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub rel: String,
    pub href: String,
    pub method: Option<String>,
}

/// A full user object, losslessly.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct User(Map<String, Value>);

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User").field("id", &self.id()).field("status", &self.status_str()).finish()
    }
}

impl User {
    pub fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self(map)),
            _ => None,
        }
    }

    pub fn json(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn into_json(self) -> Value {
        Value::Object(self.0)
    }

    fn str_at(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    pub fn id(&self) -> &str {
        self.str_at("id").unwrap_or_default()
    }

    pub fn status_str(&self) -> &str {
        self.str_at("status").unwrap_or_default()
    }

    pub fn status(&self) -> Option<UserStatus> {
        UserStatus::parse(self.status_str())
    }

    pub fn transitioning_to(&self) -> Option<&str> {
        self.str_at("transitioningToStatus")
    }

    pub fn created(&self) -> Option<&str> {
        self.str_at("created")
    }

    pub fn activated(&self) -> Option<&str> {
        self.str_at("activated")
    }

    pub fn status_changed(&self) -> Option<&str> {
        self.str_at("statusChanged")
    }

    pub fn last_login(&self) -> Option<&str> {
        self.str_at("lastLogin")
    }

    pub fn last_updated(&self) -> Option<&str> {
        self.str_at("lastUpdated")
    }

    pub fn password_changed(&self) -> Option<&str> {
        self.str_at("passwordChanged")
    }

    pub fn profile(&self) -> Option<&Map<String, Value>> {
        self.0.get("profile").and_then(Value::as_object)
    }

    pub fn profile_str(&self, key: &str) -> Option<&str> {
        self.profile()?.get(key)?.as_str()
    }

    pub fn login(&self) -> &str {
        self.profile_str("login").unwrap_or_default()
    }

    pub fn email(&self) -> Option<&str> {
        self.profile_str("email")
    }

    /// `displayName` when set, else "first last", else the login.
    pub fn display_name(&self) -> String {
        display_name(
            self.profile_str("displayName"),
            self.profile_str("firstName"),
            self.profile_str("lastName"),
            self.login(),
        )
    }

    pub fn type_id(&self) -> Option<&str> {
        self.0.get("type")?.get("id")?.as_str()
    }

    pub fn credentials(&self) -> Option<&Map<String, Value>> {
        self.0.get("credentials").and_then(Value::as_object)
    }

    pub fn provider(&self) -> Option<(&str, &str)> {
        let p = self.credentials()?.get("provider")?;
        Some((p.get("type")?.as_str()?, p.get("name").and_then(Value::as_str).unwrap_or_default()))
    }

    pub fn has_password(&self) -> bool {
        self.credentials().is_some_and(|c| c.contains_key("password"))
    }

    pub fn recovery_question(&self) -> Option<&str> {
        self.credentials()?.get("recovery_question")?.get("question")?.as_str()
    }

    pub fn credential_emails(&self) -> Vec<(&str, &str)> {
        let Some(Value::Array(emails)) = self.credentials().and_then(|c| c.get("emails")) else {
            return Vec::new();
        };
        emails
            .iter()
            .filter_map(|e| {
                Some((e.get("value")?.as_str()?, e.get("status").and_then(Value::as_str).unwrap_or_default()))
            })
            .collect()
    }

    /// Every `_links` relation in the order the org sent them.
    pub fn links(&self) -> Vec<Link> {
        let Some(Value::Object(links)) = self.0.get("_links") else {
            return Vec::new();
        };
        links
            .iter()
            .filter_map(|(rel, v)| {
                Some(Link {
                    rel: rel.clone(),
                    href: v.get("href")?.as_str()?.to_owned(),
                    method: v.get("method").and_then(Value::as_str).map(str::to_owned),
                })
            })
            .collect()
    }

    pub fn link(&self, rel: &str) -> Option<Link> {
        self.links().into_iter().find(|l| l.rel == rel)
    }

    pub fn to_row(&self) -> UserRow {
        UserRow {
            id: self.id().into(),
            status: self.status(),
            name: self.display_name().into(),
            login: self.login().into(),
            email: self.email().unwrap_or_default().into(),
            last_login: self.last_login().map(Into::into),
            last_updated: self.last_updated().map(Into::into),
        }
    }
}

pub(crate) fn display_name(display: Option<&str>, first: Option<&str>, last: Option<&str>, login: &str) -> String {
    if let Some(d) = display.filter(|d| !d.trim().is_empty()) {
        return d.to_owned();
    }
    let joined = [first, last].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    if joined.is_empty() { login.to_owned() } else { joined }
}

/// What a list row needs and nothing more: a million of these must fit in
/// memory, so strings are boxed slices and the full object is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: Box<str>,
    pub status: Option<UserStatus>,
    pub name: Box<str>,
    pub login: Box<str>,
    pub email: Box<str>,
    pub last_login: Option<Box<str>>,
    pub last_updated: Option<Box<str>>,
}

/// The wire shape a row is read from: borrowed where possible and ignoring
/// everything else, so listing never builds the full JSON tree.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireRow<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    status: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    last_login: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    last_updated: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    profile: WireProfile<'a>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireProfile<'a> {
    #[serde(default, borrow)]
    login: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    email: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    first_name: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    last_name: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    display_name: Option<std::borrow::Cow<'a, str>>,
}

impl From<WireRow<'_>> for UserRow {
    fn from(w: WireRow<'_>) -> Self {
        let p = &w.profile;
        let login = p.login.as_deref().unwrap_or_default();
        UserRow {
            id: w.id.as_ref().into(),
            status: w.status.as_deref().and_then(UserStatus::parse),
            name: display_name(p.display_name.as_deref(), p.first_name.as_deref(), p.last_name.as_deref(), login)
                .into(),
            login: login.into(),
            email: p.email.as_deref().unwrap_or_default().into(),
            last_login: w.last_login.as_deref().map(Into::into),
            last_updated: w.last_updated.as_deref().map(Into::into),
        }
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

    const USER: &str = r#"{"id":"00u1","status":"ACTIVE","created":"2025-01-01T00:00:00.000Z","lastLogin":null,
        "type":{"id":"oty1"},
        "profile":{"zeta":1,"firstName":"Ada","lastName":"Byron","login":"ada@example.com","email":"ada@example.com","nickName":null,"tags":["a","b"]},
        "credentials":{"password":{},"recovery_question":{"question":"Q?"},"provider":{"type":"OKTA","name":"OKTA"}},
        "_links":{"suspend":{"href":"https://x/api/v1/users/00u1/lifecycle/suspend","method":"POST"},"self":{"href":"https://x/api/v1/users/00u1"}}}"#;

    #[test]
    fn round_trip_keeps_order_nulls_and_unknowns() {
        let user: User = serde_json::from_str(USER).unwrap();
        let out = serde_json::to_string(&user).unwrap();
        let original: Value = serde_json::from_str(USER).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), original);
        // key order as received
        assert!(out.find("\"zeta\"").unwrap() < out.find("\"firstName\"").unwrap());
        assert!(out.contains("\"nickName\":null"));
    }

    #[test]
    fn typed_views() {
        let user: User = serde_json::from_str(USER).unwrap();
        assert_eq!(user.status(), Some(UserStatus::Active));
        assert_eq!(user.display_name(), "Ada Byron");
        assert_eq!(user.type_id(), Some("oty1"));
        assert_eq!(user.provider(), Some(("OKTA", "OKTA")));
        assert!(user.has_password());
        assert_eq!(user.recovery_question(), Some("Q?"));
        let links = user.links();
        assert_eq!(links[0].rel, "suspend");
        assert_eq!(links[0].method.as_deref(), Some("POST"));
        assert_eq!(user.last_login(), None);
    }

    #[test]
    fn rows_come_straight_from_the_wire() {
        let rows = rows_from_json(format!("[{USER}]").as_bytes()).unwrap();
        let user: User = serde_json::from_str(USER).unwrap();
        assert_eq!(rows, vec![user.to_row()]);
    }
}
