//! A user as the embedded org stores it, and how it is rendered as JSON.

use super::ids::{Millis, UserId, format_millis};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Whether a password credential exists (its value is never rendered).
    pub password: Option<PasswordCredential>,
    pub recovery_question: Option<RecoveryQuestion>,
    pub provider_type: String,
    pub provider_name: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordCredential {
    /// Set, value unknown (seeded and synthetic users): any old password is accepted.
    Opaque,
    /// Set by an API call; kept so change_password can check the old one.
    Value(String),
    /// Imported hash or inline hook: verified elsewhere.
    Imported,
}

impl PasswordCredential {
    /// Whether `presented` is the current password, as far as the org knows it.
    pub fn accepts(&self, presented: &str) -> bool {
        match self {
            PasswordCredential::Value(v) => v == presented,
            PasswordCredential::Opaque | PasswordCredential::Imported => !presented.is_empty(),
        }
    }
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

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// The credentials object as Okta renders it: secrets become `{}` or vanish.
    pub fn to_json(&self) -> Value {
        let mut credentials = Map::new();
        if self.password.is_some() {
            credentials.insert("password".into(), json!({}));
        }
        if let Some(rq) = &self.recovery_question {
            credentials.insert("recovery_question".into(), json!({ "question": rq.question }));
        }
        credentials.insert("provider".into(), json!({ "type": self.provider_type, "name": self.provider_name }));
        Value::Object(credentials)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: UserId,
    pub status: Status,
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

/// What a rendering needs besides the user: where the org is, which link
/// set to give, and the schema of the user's type.
pub struct RenderCtx<'a> {
    pub base: &'a str,
    pub full_links: bool,
    pub schema_id: &'a str,
}

/// Attributes real Okta returns as `null` when unset; every other unset
/// attribute is omitted (API-NOTES §2.4, end).
const NULL_WHEN_UNSET: [&str; 2] = ["mobilePhone", "secondEmail"];

impl UserRecord {
    pub fn login(&self) -> &str {
        self.profile.get("login").and_then(Value::as_str).unwrap_or_default()
    }

    /// Moves to `status` now, keeping the timestamps Okta keeps.
    pub fn set_status(&mut self, status: Status, now: Millis) {
        if status == Status::Active && self.activated.is_none() {
            self.activated = Some(now);
        }
        if status != self.status {
            self.status_changed = Some(now);
        }
        self.status = status;
        self.touch(now);
    }

    /// Marks a change. `lastUpdated` moves forward even when two changes
    /// fall in one millisecond, since the ETag is derived from it and a
    /// stale `If-Match` must never match again.
    pub fn touch(&mut self, now: Millis) {
        self.last_updated = now.max(self.last_updated + 1);
    }

    /// The JSON Okta returns. Collections carry only the `self` link;
    /// single-user answers carry the lifecycle links the status allows.
    pub fn to_json(&self, ctx: &RenderCtx<'_>) -> Value {
        let ts = |m: Option<Millis>| m.map_or(Value::Null, |m| Value::String(format_millis(m)));
        let mut profile = self.profile.clone();
        for key in NULL_WHEN_UNSET {
            profile.entry(key).or_insert(Value::Null);
        }
        let mut user = Map::new();
        user.insert("id".into(), Value::String(self.id.to_string()));
        user.insert("status".into(), Value::String(self.status.as_str().into()));
        user.insert("created".into(), Value::String(format_millis(self.created)));
        user.insert("activated".into(), ts(self.activated));
        user.insert("statusChanged".into(), ts(self.status_changed));
        user.insert("lastLogin".into(), ts(self.last_login));
        user.insert("lastUpdated".into(), Value::String(format_millis(self.last_updated)));
        user.insert("passwordChanged".into(), ts(self.password_changed));
        user.insert("type".into(), json!({ "id": self.type_id }));
        user.insert("profile".into(), Value::Object(profile));
        user.insert("credentials".into(), self.credentials.to_json());
        user.insert("_links".into(), self.links(ctx));
        Value::Object(user)
    }

    fn links(&self, ctx: &RenderCtx<'_>) -> Value {
        let base = ctx.base;
        let me = format!("{base}/api/v1/users/{}", self.id);
        let mut links = Map::new();
        if ctx.full_links {
            for (rel, path, method) in super::lifecycle::links_for(self) {
                let href = if path.is_empty() { me.clone() } else { format!("{me}/{path}") };
                links.insert(rel.into(), json!({ "href": href, "method": method }));
            }
            links.insert(
                "schema".into(),
                json!({ "href": format!("{base}/api/v1/meta/schemas/user/{}", ctx.schema_id) }),
            );
            links.insert("type".into(), json!({ "href": format!("{base}/api/v1/meta/types/user/{}", self.type_id) }));
        }
        links.insert("self".into(), json!({ "href": me }));
        Value::Object(links)
    }
}

impl Serialize for UserId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        UserId::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a user id: {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::super::synthetic;

    #[test]
    fn changes_within_one_millisecond_still_move_last_updated() {
        let mut user = synthetic::record(0, 1, 7, "oty");
        let now = user.last_updated + 10;
        user.touch(now);
        assert_eq!(user.last_updated, now);
        user.touch(now);
        user.set_status(user.status, now);
        assert_eq!(user.last_updated, now + 2, "each change moves it, so the ETag never repeats");
    }
}
