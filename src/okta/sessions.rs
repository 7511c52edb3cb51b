//! Clearing a user's sessions (`DELETE /api/v1/users/{id}/sessions`,
//! API-NOTES §10.2).

use super::client::Client;
use super::error::Error;
use super::transport::Request;
use super::users::append;
use reqwest::Method;

/// What else goes with the sessions. Both are always sent, so what happens
/// never hangs on the org's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearSessions {
    /// Also revoke the OpenID Connect and OAuth tokens issued to the user.
    pub oauth_tokens: bool,
    /// Also forget the devices the user chose to remember for factors.
    pub forget_devices: bool,
}

impl Client {
    /// Ends the user's Okta sessions. Resent after a lost answer only when
    /// nothing was sent (a `DELETE`); clearing twice would be harmless, but
    /// the transport's rule is kept simple and uniform.
    pub async fn clear_sessions(&self, user_id: &str, options: ClearSessions) -> Result<(), Error> {
        let mut url = self.url_with("/api/v1/users", &[user_id, "sessions"]);
        append(
            &mut url,
            &[("oauthTokens", options.oauth_tokens.to_string()), ("forgetDevices", options.forget_devices.to_string())],
        );
        self.send(&Request::new(Method::DELETE, url)).await.map(drop)
    }
}
