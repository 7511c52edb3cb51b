//! OAuth 2.0 for Okta APIs with a service app: client credentials with a
//! `private_key_jwt` assertion, the access token cached and refreshed before
//! it expires. Concurrent requests share one refresh (the cache lock is held
//! while fetching). With DPoP, token requests carry a proof, and the first
//! one is answered `use_dpop_nonce`: the retry carries the nonce and a new
//! assertion, since Okta consumed the first.

use super::Credentials;
use super::dpop::{Bound, DpopKey, TokenProof};
use super::key::SigningKey;
use crate::okta::error::{Error, json_error};
use crate::okta::secret::Secret;
use crate::okta::transport::{Request, Transport};
use jsonwebtoken::Header;
use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde::Deserialize;
use std::sync::Arc;
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
    /// Set when the app's tokens are DPoP-bound (`dpopEnabled`).
    dpop: Option<Arc<DpopKey>>,
    cache: Mutex<Option<AccessToken>>,
}

struct AccessToken {
    credentials: Credentials,
    refresh_at: Instant,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url.as_str())
            .field("key", &self.key)
            .field("dpop", &self.dpop)
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
    pub fn new(client_id: String, scopes: Vec<String>, token_url: Url, key: SigningKey, dpop: Option<DpopKey>) -> Self {
        Self { client_id, scopes, token_url, key, dpop: dpop.map(Arc::new), cache: Mutex::new(None) }
    }

    /// The access token's credentials, fetching or refreshing it when due.
    pub async fn credentials(&self, transport: &Transport) -> Result<Credentials, Error> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.credentials.clone());
        }
        let fresh = self.fetch(transport).await?;
        let credentials = fresh.credentials.clone();
        *cache = Some(fresh);
        Ok(credentials)
    }

    /// Forgets the cached token (after the org refused it).
    pub async fn invalidate(&self) {
        *self.cache.lock().await = None;
    }

    async fn fetch(&self, transport: &Transport) -> Result<AccessToken, Error> {
        let sent = Instant::now();
        let answer = match self.request_token(transport).await {
            Err(Error::Api(api))
                if api.is_code("use_dpop_nonce") && self.dpop.as_ref().is_some_and(|k| k.has_nonce()) =>
            {
                tracing::debug!("the org asked for a DPoP nonce; asking again with it");
                self.request_token(transport).await
            }
            other => other,
        }
        .map_err(|e| match e {
            Error::Api(mut api) => {
                if api.is_code("invalid_dpop_proof") && self.dpop.is_none() {
                    api.summary = format!(
                        "{} The service app requires DPoP: set okta.client.dpopEnabled: true \
                         (or OKTA_CLIENT_DPOPENABLED=true)",
                        api.summary
                    );
                }
                api.summary = format!("cannot get an access token: {}", api.summary);
                Error::Api(api)
            }
            other => other,
        })?;
        let token: TokenAnswer = serde_json::from_slice(&answer.body)
            .map_err(|e| Error::Decode(format!("token answer: {}", json_error(&e))))?;
        let kind = token.token_type.unwrap_or_else(|| "Bearer".into());
        let credentials = match (&self.dpop, kind.to_ascii_lowercase().as_str()) {
            (_, "bearer") => Credentials::Header(authorization("Bearer", &token.access_token)?),
            (Some(key), "dpop") => Credentials::Dpop(Bound {
                key: key.clone(),
                authorization: authorization("DPoP", &token.access_token)?,
                access_token: token.access_token,
            }),
            _ => {
                return Err(Error::Config(format!(
                    "the org issued a {kind} access token; for DPoP set okta.client.dpopEnabled: true \
                     (or OKTA_CLIENT_DPOPENABLED=true)"
                )));
            }
        };
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        let ahead = REFRESH_AHEAD.min(lifetime / 4);
        tracing::debug!(lifetime_s = lifetime.as_secs(), dpop = self.dpop.is_some(), "fetched an access token");
        Ok(AccessToken { credentials, refresh_at: sent + lifetime - ahead })
    }

    /// One token request, with a new client assertion (Okta accepts each
    /// once) and, with DPoP, a new proof.
    async fn request_token(&self, transport: &Transport) -> Result<crate::okta::transport::Response, Error> {
        let assertion = self.assertion()?;
        let scope = self.scopes.join(" ");
        let request = Request::new(Method::POST, self.token_url.clone()).form(&[
            ("grant_type", "client_credentials"),
            ("scope", &scope),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", assertion.expose()),
        ]);
        match &self.dpop {
            Some(key) => transport.execute(&request, Some(&TokenProof(key))).await,
            None => transport.execute(&request, None).await,
        }
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

fn authorization(scheme: &str, token: &Secret) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(&format!("{scheme} {}", token.expose()))
        .map_err(|_| Error::Decode("the access token holds characters that cannot be sent".into()))?;
    header.set_sensitive(true);
    Ok(header)
}
