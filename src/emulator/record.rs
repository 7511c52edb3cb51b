//! A user as the embedded org stores it, and how it is rendered as JSON.

use super::ids::{Millis, format_millis};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Staged,
    Provisioned,
    Active,
    Recovery,
    PasswordExpired,
    LockedOut,
    Suspended,
    Deprovisioned,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Staged,
        Status::Provisioned,
        Status::Active,
        Status::Recovery,
        Status::PasswordExpired,
        Status::LockedOut,
        Status::Suspended,
        Status::Deprovisioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Staged => "STAGED",
            Status::Provisioned => "PROVISIONED",
            Status::Active => "ACTIVE",
            Status::Recovery => "RECOVERY",
            Status::PasswordExpired => "PASSWORD_EXPIRED",
            Status::LockedOut => "LOCKED_OUT",
            Status::Suspended => "SUSPENDED",
            Status::Deprovisioned => "DEPROVISIONED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// How the user signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Whether a password credential exists (its value is never rendered).
    pub password: Option<PasswordCredential>,
    pub recovery_question: Option<RecoveryQuestion>,
    pub provider_type: String,
    pub provider_name: String,
}

#[derive(Clone, PartialEq, Eq)]
pub enum PasswordCredential {
    /// Set, value unknown (seeded and synthetic users).
    Opaque,
    /// Set by an API call; kept so change_password can check the old one.
    Value(String),
    /// Imported hash or inline hook: verified elsewhere.
    Imported,
}

impl std::fmt::Debug for PasswordCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasswordCredential::Opaque => "Opaque",
            PasswordCredential::Value(_) => "Value(redacted)",
            PasswordCredential::Imported => "Imported",
        })
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryQuestion {
    pub question: String,
    pub answer: String,
}

impl std::fmt::Debug for RecoveryQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryQuestion").field("question", &self.question).finish_non_exhaustive()
    }
}

impl Credentials {
    pub fn okta() -> Self {
        Self { password: None, recovery_question: None, provider_type: "OKTA".into(), provider_name: "OKTA".into() }
    }
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub status: Status,
    pub transitioning_to: Option<Status>,
    pub created: Millis,
    pub activated: Option<Millis>,
    pub status_changed: Option<Millis>,
    pub last_login: Option<Millis>,
    pub last_updated: Millis,
    pub password_changed: Option<Millis>,
    pub type_id: String,
    pub profile: Map<String, Value>,
    pub credentials: Credentials,
}

impl UserRecord {
    pub fn login(&self) -> &str {
        self.profile.get("login").and_then(Value::as_str).unwrap_or_default()
    }

    /// The JSON Okta returns. Collections carry only the `self` link;
    /// single-user answers carry the lifecycle links the status allows.
    pub fn to_json(&self, base: &str, full_links: bool) -> Value {
        let ts = |m: Option<Millis>| m.map_or(Value::Null, |m| Value::String(format_millis(m)));
        let mut credentials = Map::new();
        if self.credentials.password.is_some() {
            credentials.insert("password".into(), json!({}));
        }
        if let Some(rq) = &self.credentials.recovery_question {
            credentials.insert("recovery_question".into(), json!({ "question": rq.question }));
        }
        credentials.insert(
            "provider".into(),
            json!({ "type": self.credentials.provider_type, "name": self.credentials.provider_name }),
        );
        let mut user = json!({
            "id": self.id,
            "status": self.status.as_str(),
            "created": format_millis(self.created),
            "activated": ts(self.activated),
            "statusChanged": ts(self.status_changed),
            "lastLogin": ts(self.last_login),
            "lastUpdated": format_millis(self.last_updated),
            "passwordChanged": ts(self.password_changed),
            "type": { "id": self.type_id },
            "profile": self.profile,
            "credentials": credentials,
        });
        if let Some(t) = self.transitioning_to {
            user["transitioningToStatus"] = Value::String(t.as_str().into());
        }
        user["_links"] = self.links(base, full_links);
        user
    }

    fn links(&self, base: &str, full: bool) -> Value {
        let me = format!("{base}/api/v1/users/{}", self.id);
        let mut links = Map::new();
        if full {
            for (rel, path, method) in super::lifecycle::links_for(self) {
                let href = if path.is_empty() { me.clone() } else { format!("{me}/{path}") };
                links.insert(rel.into(), json!({ "href": href, "method": method }));
            }
            links.insert("schema".into(), json!({ "href": format!("{base}/api/v1/meta/schemas/user/default") }));
            links.insert("type".into(), json!({ "href": format!("{base}/api/v1/meta/types/user/{}", self.type_id) }));
        }
        links.insert("self".into(), json!({ "href": me }));
        Value::Object(links)
    }
}
