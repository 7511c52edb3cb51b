//! OAuth 2.0 for Okta APIs (API-NOTES §5.2): the client-credentials grant
//! with a `private_key_jwt` client assertion, verified against the service
//! app's public key, and the access tokens it issues.

use super::config::ServiceApp;
use super::ids::opaque_id;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The form posted to `/oauth2/v1/token`. `Debug` leaves the assertion
/// out: it is a credential until it expires.
#[derive(Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub scope: Option<String>,
    pub client_assertion_type: Option<String>,
    pub client_assertion: Option<String>,
}

/// An issued token; `Debug` leaves the access token out.
#[derive(Serialize)]
pub struct TokenResponse {
    pub token_type: &'static str,
    pub expires_in: u64,
    pub access_token: String,
    pub scope: String,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("scope", &self.scope)
            .field("client_assertion_type", &self.client_assertion_type)
            .field("client_assertion", &self.client_assertion.as_ref().map(|a| format!("<{} bytes>", a.len())))
            .finish()
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// An error in the OAuth shape `{"error", "error_description"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

fn invalid_client(description: impl Into<String>) -> OAuthError {
    OAuthError { status: 401, error: "invalid_client", description: description.into() }
}

fn bad_request(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError { status: 400, error, description: description.into() }
}

#[derive(Debug, Clone)]
pub struct Issued {
    pub client_id: String,
    pub scopes: Vec<String>,
    expires: Instant,
}

/// The service apps and the tokens issued to them. `Debug` counts the
/// tokens rather than listing them (they are keys of the map).
pub struct OAuth {
    apps: Vec<ServiceApp>,
    ttl: Duration,
    tokens: Mutex<HashMap<String, Issued>>,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let issued = self.tokens.lock().map_or(0, |t| t.len());
        f.debug_struct("OAuth")
            .field("apps", &self.apps)
            .field("ttl", &self.ttl)
            .field("tokens_issued", &issued)
            .finish()
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    exp: u64,
}

#[derive(Debug, Deserialize)]
struct Unverified {
    iss: Option<String>,
}

fn now_epoch() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl OAuth {
    pub fn new(apps: Vec<ServiceApp>, ttl: Duration) -> Self {
        Self { apps, ttl, tokens: Mutex::new(HashMap::new()) }
    }

    /// Verifies the assertion and issues an access token.
    pub fn issue(&self, req: &TokenRequest, token_url: &str) -> Result<TokenResponse, OAuthError> {
        if req.grant_type.as_deref() != Some("client_credentials") {
            return Err(bad_request(
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].",
            ));
        }
        if req.client_assertion_type.as_deref() != Some(ASSERTION_TYPE) {
            return Err(invalid_client(format!("client_assertion_type must be '{ASSERTION_TYPE}'.")));
        }
        let assertion = req.client_assertion.as_deref().unwrap_or_default();
        let app = self.app_for(assertion)?;
        verify(app, assertion, token_url)?;
        let requested: Vec<String> =
            req.scope.as_deref().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
        if requested.is_empty() {
            return Err(bad_request(
                "invalid_scope",
                "The 'scope' parameter is required: ask for the scopes the app was granted.",
            ));
        }
        let missing: Vec<&str> = requested.iter().filter(|s| !app.scopes.contains(s)).map(String::as_str).collect();
        if !missing.is_empty() {
            return Err(bad_request(
                "invalid_scope",
                format!("The following scopes are not granted to the client: {}.", missing.join(" ")),
            ));
        }
        let access_token = opaque_id("", 64);
        let issued =
            Issued { client_id: app.client_id.clone(), scopes: requested.clone(), expires: Instant::now() + self.ttl };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        tokens.retain(|_, t| t.expires > now);
        tokens.insert(access_token.clone(), issued);
        Ok(TokenResponse {
            token_type: "Bearer",
            expires_in: self.ttl.as_secs(),
            access_token,
            scope: requested.join(" "),
        })
    }

    /// The grant behind a presented access token, while it is valid.
    pub fn token(&self, access_token: &str) -> Option<Issued> {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.get(access_token).filter(|t| t.expires > Instant::now()).cloned()
    }

    fn app_for(&self, assertion: &str) -> Result<&ServiceApp, OAuthError> {
        let payload = assertion.split('.').nth(1).unwrap_or_default();
        let claims: Option<Unverified> = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let Some(iss) = claims.and_then(|c| c.iss) else {
            return Err(invalid_client("The client_assertion is not a JWT with an 'iss' claim."));
        };
        self.apps
            .iter()
            .find(|a| a.client_id == iss)
            .ok_or_else(|| invalid_client("Invalid value for 'client_id' parameter."))
    }
}

fn decoding_key(app: &ServiceApp, alg: Algorithm) -> Result<DecodingKey, OAuthError> {
    let text = app.public_key.trim();
    let key = if text.starts_with('{') {
        serde_json::from_str::<jsonwebtoken::jwk::Jwk>(text).ok().and_then(|jwk| DecodingKey::from_jwk(&jwk).ok())
    } else {
        match alg {
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => DecodingKey::from_rsa_pem(text.as_bytes()).ok(),
            Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(text.as_bytes()).ok(),
            _ => None,
        }
    };
    key.ok_or_else(|| invalid_client("The client_assertion signature is invalid."))
}

fn verify(app: &ServiceApp, assertion: &str, token_url: &str) -> Result<(), OAuthError> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| invalid_client("The client_assertion is not a valid JWT."))?;
    let alg = header.alg;
    if !matches!(alg, Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::ES256 | Algorithm::ES384) {
        return Err(invalid_client("The client_assertion must be signed with RS256/384/512 or ES256/384."));
    }
    if let (Some(expected), Some(kid)) = (&app.key_id, &header.kid)
        && expected != kid
    {
        return Err(invalid_client(format!("The client_assertion 'kid' {kid} is not a key of this client.")));
    }
    let key = decoding_key(app, alg)?;
    let mut validation = Validation::new(alg);
    validation.set_audience(&[token_url]);
    validation.set_issuer(&[app.client_id.as_str()]);
    validation.sub = Some(app.client_id.clone());
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let data = jsonwebtoken::decode::<Claims>(assertion, &key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind as K;
        invalid_client(match e.kind() {
            K::ExpiredSignature => "The client_assertion token is expired.".to_owned(),
            K::InvalidAudience => format!("The audience claim for client_assertion must be {token_url}."),
            K::InvalidIssuer | K::InvalidSubject => {
                "The client_assertion 'iss' and 'sub' must be the client id.".into()
            }
            K::InvalidSignature => "The client_assertion signature is invalid.".into(),
            _ => format!("The client_assertion is invalid: {e}."),
        })
    })?;
    if data.claims.exp > now_epoch() + 3600 + 60 {
        return Err(invalid_client("The client_assertion 'exp' must be at most one hour in the future."));
    }
    Ok(())
}
