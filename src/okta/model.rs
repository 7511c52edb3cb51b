//! Okta objects: the complete JSON as received, with typed views on top.
//!
//! A `User` keeps the whole object (key order, nulls, custom attributes)
//! so the detail pane shows exactly what the org returned; accessors read
//! the fields the UI needs. A `UserRow` is the compact list summary.

use super::object::lossless_object;
use super::row::UserRow;
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

lossless_object!(
    /// A full user object, losslessly.
    User
);

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User").field("id", &self.id()).field("status", &self.status_str()).finish()
    }
}

impl User {
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

    pub fn to_row(&self) -> UserRow {
        UserRow::new(
            self.id(),
            self.status(),
            &self.display_name(),
            self.login(),
            self.email().unwrap_or_default(),
            self.last_login(),
            self.last_updated(),
        )
    }
}

pub(crate) fn display_name(display: Option<&str>, first: Option<&str>, last: Option<&str>, login: &str) -> String {
    if let Some(d) = display.filter(|d| !d.trim().is_empty()) {
        return d.to_owned();
    }
    let joined = [first, last].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    if joined.is_empty() { login.to_owned() } else { joined }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::okta::rows_from_json;

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
