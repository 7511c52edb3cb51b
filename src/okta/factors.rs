//! A user's enrolled factors (authenticators): list them, reset one
//! (API-NOTES §6.5, §10.2). Resetting all is a lifecycle operation.

use super::client::Client;
use super::error::Error;
use super::object::lossless_object;
use super::transport::Request;
use reqwest::Method;
use serde_json::{Map, Value};
use std::fmt;

lossless_object!(
    /// An enrolled factor (`UserFactor`), losslessly: its `profile` differs
    /// by type and is shown as the org returned it.
    Factor
);

impl fmt::Debug for Factor {
    // The profile holds phone numbers and device details: not for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Factor").field("id", &self.id()).field("type", &self.factor_type()).finish()
    }
}

impl Factor {
    pub fn id(&self) -> &str {
        self.str_at("id").unwrap_or_default()
    }

    /// `sms`, `call`, `token:software:totp`, `push`, `webauthn`, `email`, …
    pub fn factor_type(&self) -> &str {
        self.str_at("factorType").unwrap_or_default()
    }

    pub fn provider(&self) -> &str {
        self.str_at("provider").unwrap_or_default()
    }

    pub fn vendor_name(&self) -> Option<&str> {
        self.str_at("vendorName")
    }

    /// `ACTIVE`, `PENDING_ACTIVATION`, …
    pub fn status(&self) -> &str {
        self.str_at("status").unwrap_or_default()
    }

    pub fn created(&self) -> Option<&str> {
        self.str_at("created")
    }

    pub fn last_updated(&self) -> Option<&str> {
        self.str_at("lastUpdated")
    }

    pub fn profile(&self) -> Option<&Map<String, Value>> {
        self.0.get("profile").and_then(Value::as_object)
    }
}

impl Client {
    /// Every factor the user enrolled (Okta does not page this list).
    pub async fn list_factors(&self, user_id: &str) -> Result<Vec<Factor>, Error> {
        self.get_json(self.url_with("/api/v1/users", &[user_id, "factors"])).await
    }

    /// Unenrolls one factor. Not resent after a lost answer (a `DELETE`,
    /// see `retry`): a second reset of a gone factor would answer 404.
    pub async fn reset_factor(&self, user_id: &str, factor_id: &str) -> Result<(), Error> {
        let url = self.url_with("/api/v1/users", &[user_id, "factors", factor_id]);
        self.send(&Request::new(Method::DELETE, url)).await.map(drop)
    }
}
