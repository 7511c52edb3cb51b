//! Lifecycle and credentials operations on one user, by name or through
//! the `_links` the org advertised, and what they return.

use super::client::Client;
use super::error::Error;
use super::model::{User, UserStatus};
use super::object::Link;
use super::secret::Secret;
use super::transport::Request;
use super::users::append;
use reqwest::{Method, Url};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifecycleOp {
    Activate,
    Reactivate,
    Deactivate,
    Suspend,
    Unsuspend,
    Unlock,
    ResetPassword,
    ExpirePassword,
    ExpirePasswordWithTempPassword,
    ResetFactors,
    ForgotPassword,
    Delete,
}

/// A query option an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleOptionKind {
    /// `sendEmail`: Okta emails the user (or the admin, for deactivate/delete).
    SendEmail,
    /// `revokeSessions`: sign the user out everywhere.
    RevokeSessions,
}

/// An option and Okta's default for it on that operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifecycleOption {
    pub kind: LifecycleOptionKind,
    pub default: bool,
}

const SEND_EMAIL_ON: LifecycleOption = LifecycleOption { kind: LifecycleOptionKind::SendEmail, default: true };
const SEND_EMAIL_OFF: LifecycleOption = LifecycleOption { kind: LifecycleOptionKind::SendEmail, default: false };
const REVOKE_OFF: LifecycleOption = LifecycleOption { kind: LifecycleOptionKind::RevokeSessions, default: false };

/// The options chosen; `None` leaves Okta's default (the parameter is not
/// sent). Options an operation does not take are ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LifecycleOptions {
    pub send_email: Option<bool>,
    pub revoke_sessions: Option<bool>,
}

/// What an operation returned. The URLs, token and temporary password are
/// for the admin's eyes: they are `Secret`s so they never reach a log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LifecycleOutcome {
    pub activation_url: Option<Secret>,
    pub activation_token: Option<Secret>,
    pub reset_password_url: Option<Secret>,
    pub temp_password: Option<Secret>,
    /// When the answer is a user (expire password answers with one).
    pub user: Option<User>,
}

impl LifecycleOp {
    pub const ALL: [LifecycleOp; 12] = [
        LifecycleOp::Activate,
        LifecycleOp::Reactivate,
        LifecycleOp::Deactivate,
        LifecycleOp::Suspend,
        LifecycleOp::Unsuspend,
        LifecycleOp::Unlock,
        LifecycleOp::ResetPassword,
        LifecycleOp::ExpirePassword,
        LifecycleOp::ExpirePasswordWithTempPassword,
        LifecycleOp::ResetFactors,
        LifecycleOp::ForgotPassword,
        LifecycleOp::Delete,
    ];

    /// The `_links` relation that advertises the operation. The temporary
    /// password variant has no relation of its own: `expirePassword` offers both.
    pub fn rel(self) -> &'static str {
        match self {
            LifecycleOp::Activate => "activate",
            LifecycleOp::Reactivate => "reactivate",
            LifecycleOp::Deactivate => "deactivate",
            LifecycleOp::Suspend => "suspend",
            LifecycleOp::Unsuspend => "unsuspend",
            LifecycleOp::Unlock => "unlock",
            LifecycleOp::ResetPassword => "resetPassword",
            LifecycleOp::ExpirePassword | LifecycleOp::ExpirePasswordWithTempPassword => "expirePassword",
            LifecycleOp::ResetFactors => "resetFactors",
            LifecycleOp::ForgotPassword => "forgotPassword",
            LifecycleOp::Delete => "delete",
        }
    }

    pub fn from_rel(rel: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.rel() == rel)
    }

    /// Plain words for menus.
    pub fn label(self) -> &'static str {
        match self {
            LifecycleOp::Activate => "Activate",
            LifecycleOp::Reactivate => "Reactivate",
            LifecycleOp::Deactivate => "Deactivate",
            LifecycleOp::Suspend => "Suspend",
            LifecycleOp::Unsuspend => "Unsuspend",
            LifecycleOp::Unlock => "Unlock",
            LifecycleOp::ResetPassword => "Reset password",
            LifecycleOp::ExpirePassword => "Expire password",
            LifecycleOp::ExpirePasswordWithTempPassword => "Expire password with a temporary password",
            LifecycleOp::ResetFactors => "Reset factors",
            LifecycleOp::ForgotPassword => "Forgot password",
            LifecycleOp::Delete => "Delete",
        }
    }

    /// The options the operation takes, with Okta's defaults (API-NOTES §1.6).
    pub fn options(self) -> &'static [LifecycleOption] {
        match self {
            LifecycleOp::Activate | LifecycleOp::ForgotPassword => &[SEND_EMAIL_ON],
            LifecycleOp::Reactivate | LifecycleOp::Deactivate | LifecycleOp::Delete => &[SEND_EMAIL_OFF],
            LifecycleOp::ResetPassword => &[SEND_EMAIL_ON, REVOKE_OFF],
            LifecycleOp::ExpirePasswordWithTempPassword => &[REVOKE_OFF],
            _ => &[],
        }
    }

    /// Operations that lose data or access and deserve a confirmation.
    pub fn is_destructive(self) -> bool {
        matches!(self, LifecycleOp::Deactivate | LifecycleOp::Delete | LifecycleOp::ResetFactors)
    }

    /// The path below `/api/v1/users/{id}/` (empty for delete).
    fn path(self) -> &'static str {
        match self {
            LifecycleOp::Activate => "lifecycle/activate",
            LifecycleOp::Reactivate => "lifecycle/reactivate",
            LifecycleOp::Deactivate => "lifecycle/deactivate",
            LifecycleOp::Suspend => "lifecycle/suspend",
            LifecycleOp::Unsuspend => "lifecycle/unsuspend",
            LifecycleOp::Unlock => "lifecycle/unlock",
            LifecycleOp::ResetPassword => "lifecycle/reset_password",
            LifecycleOp::ExpirePassword => "lifecycle/expire_password",
            LifecycleOp::ExpirePasswordWithTempPassword => "lifecycle/expire_password_with_temp_password",
            LifecycleOp::ResetFactors => "lifecycle/reset_factors",
            LifecycleOp::ForgotPassword => "credentials/forgot_password",
            LifecycleOp::Delete => "",
        }
    }

    /// The operations `user`'s `_links` offer, in `ALL` order.
    pub fn offered(user: &User) -> Vec<LifecycleOp> {
        let rels: Vec<String> = user.links().into_iter().map(|l| l.rel).collect();
        Self::ALL.into_iter().filter(|op| rels.iter().any(|r| r == op.rel())).collect()
    }

    /// Whether Okta documents the operation as valid for a user in
    /// `status` (API-NOTES §2.3). Real orgs' `_links` omit some of these
    /// (no `deactivate` on STAGED users), so a menu may offer them too and
    /// let the org's answer decide. Operations that depend on more than the
    /// status (factors enrolled, a recovery question) are left to `_links`.
    pub fn documented_for(self, status: UserStatus) -> bool {
        use UserStatus::*;
        match self {
            LifecycleOp::Activate => matches!(status, Staged | Deprovisioned),
            LifecycleOp::Reactivate => matches!(status, Provisioned | Recovery),
            LifecycleOp::Deactivate => status != Deprovisioned,
            LifecycleOp::Suspend => status == Active,
            LifecycleOp::Unsuspend => status == Suspended,
            LifecycleOp::Unlock => status == LockedOut,
            LifecycleOp::ResetPassword => matches!(status, Active | PasswordExpired | Provisioned),
            LifecycleOp::ExpirePassword | LifecycleOp::ExpirePasswordWithTempPassword => status == Active,
            // Deactivate-then-delete for any status (`delete_user`).
            LifecycleOp::Delete => true,
            LifecycleOp::ResetFactors | LifecycleOp::ForgotPassword => false,
        }
    }

    /// Operations documented for the user's status that its `_links` do
    /// not advertise, in `ALL` order.
    pub fn documented_not_linked(user: &User) -> Vec<LifecycleOp> {
        let Some(status) = user.status() else { return Vec::new() };
        let linked = Self::offered(user);
        Self::ALL.into_iter().filter(|op| op.documented_for(status) && !linked.contains(op)).collect()
    }

    fn params(self, options: &LifecycleOptions) -> Vec<(&'static str, String)> {
        self.options()
            .iter()
            .filter_map(|o| match o.kind {
                LifecycleOptionKind::SendEmail => options.send_email.map(|v| ("sendEmail", v.to_string())),
                LifecycleOptionKind::RevokeSessions => {
                    options.revoke_sessions.map(|v| ("revokeSessions", v.to_string()))
                }
            })
            .collect()
    }
}

impl Client {
    /// Runs `op` on the user. `Delete` is both steps (see `delete_user`).
    pub async fn run_lifecycle(
        &self,
        user_id: &str,
        op: LifecycleOp,
        options: &LifecycleOptions,
    ) -> Result<LifecycleOutcome, Error> {
        if op == LifecycleOp::Delete {
            self.delete_user(user_id, options.send_email.unwrap_or(false)).await?;
            return Ok(LifecycleOutcome::default());
        }
        let segments: Vec<&str> = std::iter::once(user_id).chain(op.path().split('/')).collect();
        let mut url = self.url_with("/api/v1/users", &segments);
        append(&mut url, &op.params(options));
        self.post_outcome(Method::POST, url).await
    }

    /// Follows an advertised `_links` entry (`POST`, or `DELETE` for
    /// `delete`), adding the options its relation takes. Refused unless the
    /// href is on the configured org.
    pub async fn run_link(&self, link: &Link, options: &LifecycleOptions) -> Result<LifecycleOutcome, Error> {
        let mut url = Url::parse(&link.href).map_err(|_| {
            Error::Refused(format!("the {} link is not a URL; refresh the user and try again", link.rel))
        })?;
        self.check_on_org(&url)?;
        let method = match link.method.as_deref().map(str::to_ascii_uppercase).as_deref() {
            None | Some("POST") => Method::POST,
            Some("DELETE") => Method::DELETE,
            Some(other) => {
                return Err(Error::Refused(format!(
                    "the {} link asks for {other}, which oktui does not send",
                    link.rel
                )));
            }
        };
        if let Some(op) = LifecycleOp::from_rel(&link.rel) {
            append(&mut url, &op.params(options));
        }
        self.post_outcome(method, url).await
    }

    /// Deletes for good: the first `DELETE` deactivates, the second deletes.
    /// A user already deactivated is gone after the first, so a 404 on the
    /// second counts as done.
    pub async fn delete_user(&self, user_id: &str, send_email: bool) -> Result<(), Error> {
        let mut url = self.url_with("/api/v1/users", &[user_id]);
        if send_email {
            append(&mut url, &[("sendEmail", "true".into())]);
        }
        let request = Request::new(Method::DELETE, url);
        self.send(&request).await?;
        match self.send(&request).await {
            Err(e) if e.status() == Some(404) => Ok(()),
            other => other.map(drop),
        }
    }

    /// Okta's second delete step alone: one `DELETE` of a user who is
    /// already DEPROVISIONED (on any other user it deactivates instead).
    pub async fn delete_deprovisioned(&self, user_id: &str) -> Result<(), Error> {
        let url = self.url_with("/api/v1/users", &[user_id]);
        self.send(&Request::new(Method::DELETE, url)).await.map(drop)
    }

    /// `credentials/forgot_password`; with `send_email=false` the answer
    /// holds the reset URL for the admin to hand over.
    pub async fn forgot_password(&self, user_id: &str, send_email: bool) -> Result<LifecycleOutcome, Error> {
        let options = LifecycleOptions { send_email: Some(send_email), revoke_sessions: None };
        self.run_lifecycle(user_id, LifecycleOp::ForgotPassword, &options).await
    }

    /// Changes the password knowing the old one; answers the credentials.
    pub async fn change_password(
        &self,
        user_id: &str,
        old: &Secret,
        new: &Secret,
        revoke_sessions: bool,
    ) -> Result<Map<String, Value>, Error> {
        let url = self.url_with("/api/v1/users", &[user_id, "credentials", "change_password"]);
        let body = json!({
            "oldPassword": {"value": old.expose()},
            "newPassword": {"value": new.expose()},
            "revokeSessions": revoke_sessions,
        });
        self.send_json(&Request::new(Method::POST, url).json(&body)).await
    }

    /// Sets a new recovery question, proven by the current password.
    pub async fn change_recovery_question(
        &self,
        user_id: &str,
        password: &Secret,
        question: &str,
        answer: &Secret,
    ) -> Result<Map<String, Value>, Error> {
        let url = self.url_with("/api/v1/users", &[user_id, "credentials", "change_recovery_question"]);
        let body = json!({
            "password": {"value": password.expose()},
            "recovery_question": {"question": question, "answer": answer.expose()},
        });
        self.send_json(&Request::new(Method::POST, url).json(&body)).await
    }

    async fn post_outcome(&self, method: Method, url: Url) -> Result<LifecycleOutcome, Error> {
        let answer = self.send(&Request::new(method, url)).await?;
        outcome_from_body(&answer.body)
    }
}

/// Reads `{}`, a token object, or a user; an empty body is an empty outcome.
fn outcome_from_body(body: &[u8]) -> Result<LifecycleOutcome, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(LifecycleOutcome::default());
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| Error::decode(&e))?;
    let secret = |key: &str| value.get(key).and_then(Value::as_str).map(Secret::new);
    let is_user = value.get("id").is_some() && value.get("status").is_some();
    Ok(LifecycleOutcome {
        activation_url: secret("activationUrl"),
        activation_token: secret("activationToken"),
        reset_password_url: secret("resetPasswordUrl"),
        temp_password: secret("tempPassword"),
        user: if is_user { User::from_json(value) } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rels_round_trip_and_options_follow_okta_defaults() {
        for op in LifecycleOp::ALL {
            let back = LifecycleOp::from_rel(op.rel()).unwrap();
            assert!(back == op || op == LifecycleOp::ExpirePasswordWithTempPassword);
            assert!(!op.label().is_empty());
        }
        assert_eq!(LifecycleOp::ResetPassword.rel(), "resetPassword");
        assert_eq!(LifecycleOp::from_rel("nope"), None);
        assert_eq!(LifecycleOp::Activate.options(), &[SEND_EMAIL_ON]);
        let opts = LifecycleOptions { send_email: Some(false), revoke_sessions: Some(true) };
        assert_eq!(
            LifecycleOp::ResetPassword.params(&opts),
            vec![("sendEmail", "false".to_string()), ("revokeSessions", "true".to_string())]
        );
        assert!(LifecycleOp::Suspend.params(&opts).is_empty(), "options an op does not take are not sent");
    }

    #[test]
    fn outcomes_are_read_and_hidden_from_debug() {
        let o =
            outcome_from_body(br#"{"activationUrl":"https://x/welcome/TOKEN1","activationToken":"TOKEN1"}"#).unwrap();
        assert_eq!(o.activation_token.as_ref().map(Secret::expose), Some("TOKEN1"));
        assert!(!format!("{o:?}").contains("TOKEN1"));
        let o = outcome_from_body(br#"{"tempPassword":"F46gy7X4"}"#).unwrap();
        assert_eq!(o.temp_password.unwrap().expose(), "F46gy7X4");
        let o = outcome_from_body(br#"{"id":"00u1","status":"PASSWORD_EXPIRED"}"#).unwrap();
        assert_eq!(o.user.unwrap().id(), "00u1");
        assert_eq!(outcome_from_body(b"").unwrap(), LifecycleOutcome::default());
        assert!(outcome_from_body(b"{").is_err());
    }
}
