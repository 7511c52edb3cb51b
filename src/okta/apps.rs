//! A user's app links (`GET /api/v1/users/{id}/appLinks`, API-NOTES §6.6):
//! read only. The apps bucket is Okta's tightest, so callers load them
//! only when shown.

use super::client::Client;
use super::error::Error;
use super::object::lossless_object;
use std::fmt;

lossless_object!(
    /// One app a user is assigned (`AssignedAppLink`), losslessly.
    AppLink
);

impl fmt::Debug for AppLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppLink").field("id", &self.id()).field("app_name", &self.app_name()).finish()
    }
}

impl AppLink {
    pub fn id(&self) -> &str {
        self.str_at("id").unwrap_or_default()
    }

    pub fn label(&self) -> &str {
        self.str_at("label").unwrap_or_default()
    }

    pub fn app_name(&self) -> &str {
        self.str_at("appName").unwrap_or_default()
    }

    pub fn link_url(&self) -> Option<&str> {
        self.str_at("linkUrl")
    }

    pub fn app_instance_id(&self) -> Option<&str> {
        self.str_at("appInstanceId")
    }

    pub fn hidden(&self) -> bool {
        self.0.get("hidden").and_then(serde_json::Value::as_bool).unwrap_or(false)
    }
}

impl Client {
    pub async fn list_app_links(&self, user_id: &str) -> Result<Vec<AppLink>, Error> {
        self.get_json(self.url_with("/api/v1/users", &[user_id, "appLinks"])).await
    }
}
