//! `POST /api/v1/users`: the nine create variants (API-NOTES §1.3) as one
//! typed builder. Secrets stay `Secret` until the body is built.

use super::error::Error;
use super::hash::PasswordHash;
use super::secret::Secret;
use serde_json::{Map, Value, json};

/// Okta caps `groupIds` on create.
pub const MAX_GROUP_IDS: usize = 20;

/// A user to create.
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub profile: Map<String, Value>,
    pub credentials: Credentials,
    /// Groups to add the user to (up to 20).
    pub group_ids: Vec<String>,
    /// A user type id (`oty…`); the default type when `None`.
    pub type_id: Option<String>,
    /// `activate` query parameter (Okta's default: true).
    pub activate: bool,
    /// `nextLogin=changePassword`: the password is expired at once.
    pub next_login_change_password: bool,
}

impl Default for CreateUser {
    fn default() -> Self {
        Self::new(Map::new())
    }
}

/// The credentials a user is created with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// None: the user activates by email.
    #[default]
    None,
    Password(Secret),
    RecoveryQuestion {
        question: String,
        answer: Secret,
    },
    PasswordAndRecovery {
        password: Secret,
        question: String,
        answer: Secret,
    },
    /// An external authentication provider (`provider=true` is implied).
    Provider {
        kind: ProviderType,
        name: String,
    },
    /// An imported password hash (the provider becomes `IMPORT`).
    Hash(PasswordHash),
    /// The password import inline hook verifies the password at first sign-in.
    Hook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderType {
    Federation,
    Social,
}

impl ProviderType {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderType::Federation => "FEDERATION",
            ProviderType::Social => "SOCIAL",
        }
    }
}

impl CreateUser {
    pub fn new(profile: Map<String, Value>) -> Self {
        Self {
            profile,
            credentials: Credentials::None,
            group_ids: Vec::new(),
            type_id: None,
            activate: true,
            next_login_change_password: false,
        }
    }

    pub fn login(&self) -> Option<&str> {
        self.profile.get("login").and_then(Value::as_str)
    }

    fn has_password(&self) -> bool {
        matches!(self.credentials, Credentials::Password(_) | Credentials::PasswordAndRecovery { .. })
    }

    /// The rules Okta documents for the combination of options, checked
    /// before sending so the form can say what to change.
    pub fn validate(&self) -> Result<(), Error> {
        let refuse = |m: String| Err(Error::Refused(m));
        if self.next_login_change_password && !self.activate {
            return refuse("\"change password at next sign-in\" needs the user to be activated on create".into());
        }
        if self.next_login_change_password && !self.has_password() {
            return refuse("\"change password at next sign-in\" needs a password".into());
        }
        if self.group_ids.len() > MAX_GROUP_IDS {
            return refuse(format!(
                "a user can be created in at most {MAX_GROUP_IDS} groups ({} given); add the rest afterwards",
                self.group_ids.len()
            ));
        }
        match &self.credentials {
            Credentials::RecoveryQuestion { question, answer }
            | Credentials::PasswordAndRecovery { question, answer, .. }
                if question.trim().is_empty() || answer.is_empty() =>
            {
                return refuse("a recovery question needs both the question and its answer".into());
            }
            Credentials::Provider { name, .. } if name.trim().is_empty() => {
                return refuse("an authentication provider needs its name".into());
            }
            Credentials::Hash(hash) => hash.validate().map_err(|p| Error::Refused(p.text))?,
            _ => {}
        }
        Ok(())
    }

    /// The query string: `activate`, `provider`, `nextLogin`.
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("activate", self.activate.to_string())];
        if matches!(self.credentials, Credentials::Provider { .. }) {
            params.push(("provider", "true".into()));
        }
        if self.next_login_change_password {
            params.push(("nextLogin", "changePassword".into()));
        }
        params
    }

    /// The JSON body. It holds the secrets in clear, so it is built right
    /// before sending and never logged.
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({ "profile": self.profile });
        let password = |p: &Secret| json!({ "value": p.expose() });
        let recovery = |q: &str, a: &Secret| json!({ "question": q, "answer": a.expose() });
        let credentials = match &self.credentials {
            Credentials::None => None,
            Credentials::Password(p) => Some(json!({ "password": password(p) })),
            Credentials::RecoveryQuestion { question, answer } => {
                Some(json!({ "recovery_question": recovery(question, answer) }))
            }
            Credentials::PasswordAndRecovery { password: p, question, answer } => {
                Some(json!({ "password": password(p), "recovery_question": recovery(question, answer) }))
            }
            Credentials::Provider { kind, name } => {
                Some(json!({ "provider": { "type": kind.as_str(), "name": name } }))
            }
            Credentials::Hash(hash) => Some(json!({ "password": { "hash": hash.to_json() } })),
            Credentials::Hook => Some(json!({ "password": { "hook": { "type": "default" } } })),
        };
        if let Some(c) = credentials {
            body["credentials"] = c;
        }
        if !self.group_ids.is_empty() {
            body["groupIds"] = json!(self.group_ids);
        }
        if let Some(type_id) = &self.type_id {
            body["type"] = json!({ "id": type_id });
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Map<String, Value> {
        json!({"login": "a@example.com"}).as_object().cloned().unwrap()
    }

    #[test]
    fn each_variant_builds_its_body_and_query() {
        let mut c = CreateUser::new(profile());
        assert_eq!(c.body(), json!({"profile": {"login": "a@example.com"}}));
        assert_eq!(c.query(), vec![("activate", "true".to_string())]);

        c.credentials =
            Credentials::PasswordAndRecovery { password: "pw".into(), question: "Q?".into(), answer: "A".into() };
        c.group_ids = vec!["00g1".into()];
        c.type_id = Some("oty1".into());
        c.next_login_change_password = true;
        c.validate().unwrap();
        assert_eq!(
            c.body(),
            json!({"profile": {"login": "a@example.com"},
                   "credentials": {"password": {"value": "pw"}, "recovery_question": {"question": "Q?", "answer": "A"}},
                   "groupIds": ["00g1"], "type": {"id": "oty1"}})
        );
        assert!(c.query().contains(&("nextLogin", "changePassword".to_string())));

        c.credentials = Credentials::Provider { kind: ProviderType::Federation, name: "FEDERATION".into() };
        c.next_login_change_password = false;
        assert!(c.query().contains(&("provider", "true".to_string())));
        assert_eq!(c.body()["credentials"], json!({"provider": {"type": "FEDERATION", "name": "FEDERATION"}}));

        c.credentials = Credentials::Hook;
        assert_eq!(c.body()["credentials"], json!({"password": {"hook": {"type": "default"}}}));
    }

    #[test]
    fn documented_combination_rules_are_checked() {
        let mut c = CreateUser::new(profile());
        c.next_login_change_password = true;
        assert!(c.validate().is_err(), "needs a password");
        c.credentials = Credentials::Password("pw".into());
        c.activate = false;
        assert!(c.validate().is_err(), "needs activate");
        c.activate = true;
        c.validate().unwrap();
        c.group_ids = vec!["g".into(); 21];
        assert!(c.validate().is_err());
    }

    #[test]
    fn debug_hides_every_secret() {
        let mut c = CreateUser::new(profile());
        c.credentials = Credentials::PasswordAndRecovery {
            password: "pw-SECRET".into(),
            question: "Q?".into(),
            answer: "answer-SECRET".into(),
        };
        assert!(!format!("{c:?}").contains("SECRET"));
    }
}
