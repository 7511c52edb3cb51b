//! The body of `POST /api/v1/users`.

use serde_json::{Map, Value, json};

use super::secret::Secret;

/// A user to create. Secrets are held as `Secret` until the body is built.
#[derive(Debug, Clone, Default)]
pub struct CreateUser {
    pub profile: Map<String, Value>,
    pub password: Option<Secret>,
    pub activate: bool,
}

impl CreateUser {
    pub fn new(profile: Map<String, Value>) -> Self {
        Self { profile, password: None, activate: true }
    }

    pub fn login(&self) -> Option<&str> {
        self.profile.get("login").and_then(Value::as_str)
    }

    /// The JSON body. It holds the secrets in clear, so it is built right
    /// before sending and never logged.
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({ "profile": self.profile });
        if let Some(password) = &self.password {
            body["credentials"] = json!({ "password": { "value": password.expose() } });
        }
        body
    }
}
