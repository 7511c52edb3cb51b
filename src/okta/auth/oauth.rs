//! OAuth 2.0 for Okta APIs with a service app: client credentials with a
//! `private_key_jwt` assertion, the access token cached and refreshed before
//! it expires. Concurrent requests share one refresh (the cache lock is held
//! while fetching).

use super::key::SigningKey;
use crate::okta::error::{Error, json_error};
use crate::okta::secret::Secret;
use crate::okta::transport::{Request, Transport};
use jsonwebtoken::Header;
use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde::Deserialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;
use tokio::time::Instant;

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Okta accepts assertions valid up to an hour; a short one limits replay.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(300);
/// Refresh this long before expiry (or a quarter of the lifetime if shorter).
const REFRESH_AHEAD: Duration = Duration::from_secs(300);

pub(crate) struct OAuth {
    client_id: String,
    scopes: Vec<String>,
    token_url: Url,
    key: SigningKey,
    cache: Mutex<Option<AccessToken>>,
}

struct AccessToken {
    header: HeaderValue,
    refresh_at: Instant,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url.as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    token_type: Option<String>,
    access_token: Secret,
    expires_in: Option<u64>,
}

impl OAuth {
    pub fn new(client_id: String, scopes: Vec<String>, token_url: Url, key: SigningKey) -> Self {
        Self { client_id, scopes, token_url, key, cache: Mutex::new(None) }
    }

    /// `Bearer <access token>`, fetching or refreshing it when due.
    pub async fn header(&self, transport: &Transport) -> Result<HeaderValue, Error> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.header.clone());
        }
        let fresh = self.fetch(transport).await?;
        let header = fresh.header.clone();
        *cache = Some(fresh);
        Ok(header)
    }

    /// Forgets the cached token (after the org refused it).
    pub async fn invalidate(&self) {
        *self.cache.lock().await = None;
    }

    async fn fetch(&self, transport: &Transport) -> Result<AccessToken, Error> {
        let assertion = self.assertion()?;
        let scope = self.scopes.join(" ");
        let request = Request::new(Method::POST, self.token_url.clone()).form(&[
            ("grant_type", "client_credentials"),
            ("scope", &scope),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion.expose()),
        ]);
        let sent = Instant::now();
        let answer = transport.execute(&request, None).await.map_err(|e| match e {
            Error::Api(mut api) => {
                api.summary = format!("cannot get an access token: {}", api.summary);
                Error::Api(api)
            }
            other => other,
        })?;
        let token: TokenAnswer = serde_json::from_slice(&answer.body)
            .map_err(|e| Error::Decode(format!("token answer: {}", json_error(&e))))?;
        let kind = token.token_type.unwrap_or_else(|| "Bearer".into());
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(Error::Config(format!(
                "the org issued a {kind} access token, which oktui cannot use yet; turn off \"Require DPoP\" for the service app"
            )));
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {}", token.access_token.expose()))
            .map_err(|_| Error::Decode("the access token holds characters that cannot be sent".into()))?;
        header.set_sensitive(true);
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        let ahead = REFRESH_AHEAD.min(lifetime / 4);
        tracing::debug!(lifetime_s = lifetime.as_secs(), "fetched an access token");
        Ok(AccessToken { header, refresh_at: sent + lifetime - ahead })
    }

    /// The signed client assertion (a secret: it is a credential for a while).
    fn assertion(&self) -> Result<Secret, Error> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut jti = String::with_capacity(32);
        jti.extend(std::iter::repeat_with(fastrand::alphanumeric).take(32));
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.token_url.as_str(),
            "iat": now,
            "exp": now + ASSERTION_LIFETIME.as_secs(),
            "jti": jti,
        });
        let mut header = Header::new(self.key.algorithm);
        header.kid = self.key.kid.clone();
        jsonwebtoken::encode(&header, &claims, &self.key.key)
            .map(Secret::from)
            .map_err(|e| Error::Config(format!("cannot sign the client assertion: {e}")))
    }
}
