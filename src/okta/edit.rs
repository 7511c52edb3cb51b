//! Changing one user safely: a read that keeps the user's `ETag`, and a
//! partial profile update made conditional on it (API-NOTES §10.1), so an
//! admin never overwrites a change made by someone else meanwhile.

use super::client::Client;
use super::error::Error;
use super::model::User;
use super::transport::{Request, Response};
use reqwest::{Method, header};
use serde_json::{Map, Value, json};

/// The version of an object the org handed out with it (`ETag`), to send
/// back as `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ETag(String);

impl ETag {
    pub fn new(tag: impl Into<String>) -> Self {
        Self(tag.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user as read, with the `ETag` of that read (`None` if the org sent
/// none; Okta always does).
#[derive(Debug, Clone, PartialEq)]
pub struct UserRead {
    pub user: User,
    pub etag: Option<ETag>,
}

impl Client {
    /// A user by id, login or shortname, with its `ETag`.
    pub async fn read_user(&self, id_or_login: &str) -> Result<UserRead, Error> {
        let answer = self.send(&Request::new(Method::GET, self.url_with("/api/v1/users", &[id_or_login]))).await?;
        user_read(&answer)
    }

    /// Partial update (`POST`) of exactly the `changes` given (a `null`
    /// removes an attribute), only if the user is still as read at `etag`.
    /// A 412 comes back as `Error::ChangedMeanwhile`; on success, the user
    /// as it is now, with its new `ETag`.
    ///
    /// A POST is not resent blindly after a lost answer (transport rules).
    /// Here `If-Match` makes one resend safe: if the first request did
    /// land (or lands late), the ETag moved, so at most one of the two is
    /// applied and nothing of anyone else's can be overwritten. But a resend
    /// after a landed first would answer 412 for our own change, so the
    /// user is read first: unchanged ETag → resend once; changed and holding
    /// exactly our values → ours landed; otherwise the lost answer stands.
    pub async fn update_profile(&self, id: &str, etag: &ETag, changes: &Map<String, Value>) -> Result<UserRead, Error> {
        let request = Request::new(Method::POST, self.url_with("/api/v1/users", &[id]))
            .if_match(etag.as_str())
            .json(&json!({ "profile": changes }));
        match self.send_update(&request).await {
            Err(e) if matches!(e.root(), Error::Timeout(_) | Error::Network(_)) => {
                tracing::info!("profile update answer lost; reading the user to learn whether it landed");
                let Ok(now) = self.read_user(id).await else { return Err(e) };
                if now.etag.as_ref() == Some(etag) {
                    self.send_update(&request).await
                } else if holds(&now.user, changes) {
                    Ok(now)
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }

    async fn send_update(&self, request: &Request) -> Result<UserRead, Error> {
        let answer = match self.send(request).await {
            Err(Error::Api(api)) if api.status == 412 => return Err(Error::ChangedMeanwhile(api)),
            other => other?,
        };
        user_read(&answer)
    }
}

fn user_read(answer: &Response) -> Result<UserRead, Error> {
    let user: User = serde_json::from_slice(&answer.body).map_err(|e| Error::decode(&e))?;
    let etag = answer.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).map(ETag::new);
    Ok(UserRead { user, etag })
}

/// Whether the user's profile holds every value of `changes` (a `null`
/// meaning absent or null).
fn holds(user: &User, changes: &Map<String, Value>) -> bool {
    let profile = user.json().get("profile").and_then(Value::as_object);
    changes.iter().all(|(k, v)| {
        let current = profile.and_then(|p| p.get(k)).unwrap_or(&Value::Null);
        current == v
    })
}
