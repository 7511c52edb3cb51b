//! OAuth 2.0 for Okta APIs (API-NOTES §5.2): the client-credentials grant
//! with a `private_key_jwt` client assertion, verified against the service
//! app's public key, and the access tokens it issues.

use super::config::ServiceApp;
use super::dpop::{self, Expected, Replay};
use super::ids::opaque_id;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// An error in the OAuth shape `{"error", "error_description"}`, with the
/// `DPoP-Nonce` to send along when the client must use a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
    pub nonce: Option<String>,
}

fn invalid_client(description: impl Into<String>) -> OAuthError {
    OAuthError { status: 401, error: "invalid_client", description: description.into(), nonce: None }
}

fn bad_request(error: &'static str, description: impl Into<String>) -> OAuthError {
    OAuthError { status: 400, error, description: description.into(), nonce: None }
}

#[derive(Debug, Clone)]
pub struct Issued {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The thumbprint of the key a DPoP-bound token is bound to.
    pub jkt: Option<String>,
    expires: Instant,
}

/// The org's DPoP state (`--oauth-dpop`): every service app must prove
/// possession of a key at the token endpoint and with every API call.
#[derive(Debug)]
struct Dpop {
    nonce: Mutex<String>,
    proofs: Replay,
    /// Client assertions already used: Okta consumes one even when it
    /// answers `use_dpop_nonce`, so the retry needs a new one.
    assertions: Replay,
    nonce_challenges: AtomicU64,
    issued: AtomicU64,
}

/// The service apps and the tokens issued to them. `Debug` counts the
/// tokens rather than listing them (they are keys of the map).
pub struct OAuth {
    apps: Vec<ServiceApp>,
    ttl: Duration,
    tokens: Mutex<HashMap<String, Issued>>,
    dpop: Option<Dpop>,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let issued = self.tokens.lock().map_or(0, |t| t.len());
        f.debug_struct("OAuth")
            .field("apps", &self.apps)
            .field("ttl", &self.ttl)
            .field("tokens_issued", &issued)
            .field("dpop", &self.dpop.is_some())
            .finish()
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    exp: u64,
    jti: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Unverified {
    iss: Option<String>,
}

fn now_epoch() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl OAuth {
    /// With `dpop`, tokens are issued only to a DPoP proof and bound to its key.
    pub fn new(apps: Vec<ServiceApp>, ttl: Duration, dpop: bool) -> Self {
        let dpop = dpop.then(|| Dpop {
            nonce: Mutex::new(opaque_id("", 32)),
            proofs: Replay::default(),
            assertions: Replay::default(),
            nonce_challenges: AtomicU64::new(0),
            issued: AtomicU64::new(0),
        });
        Self { apps, ttl, tokens: Mutex::new(HashMap::new()), dpop }
    }

    /// A new DPoP nonce; proofs with the old one are answered `use_dpop_nonce`.
    pub fn rotate_dpop_nonce(&self) {
        if let Some(dpop) = &self.dpop {
            *dpop.nonce.lock().unwrap_or_else(|p| p.into_inner()) = opaque_id("", 32);
        }
    }

    /// How many token requests were answered `use_dpop_nonce`.
    pub fn dpop_nonce_challenges(&self) -> u64 {
        self.dpop.as_ref().map_or(0, |d| d.nonce_challenges.load(Ordering::Relaxed))
    }

    /// How many DPoP-bound tokens were issued.
    pub fn dpop_tokens_issued(&self) -> u64 {
        self.dpop.as_ref().map_or(0, |d| d.issued.load(Ordering::Relaxed))
    }

    pub fn requires_dpop(&self) -> bool {
        self.dpop.is_some()
    }

    /// Checks the `DPoP` proof of an API call made with a DPoP-bound token.
    pub fn check_api_proof(&self, grant: &Issued, proof: Option<&str>, expected: &Expected<'_>) -> Result<(), String> {
        let (Some(dpop), Some(jkt)) = (&self.dpop, &grant.jkt) else {
            return Err("The access token is not DPoP-bound.".into());
        };
        let proof = proof.ok_or("The DPoP proof JWT header is missing.")?;
        let checked = dpop::verify(proof, expected, &dpop.proofs)?;
        if &checked.jkt != jkt {
            return Err("The DPoP proof key is not the key the access token is bound to.".into());
        }
        Ok(())
    }

    /// Verifies the assertion (and with DPoP, the proof) and issues an access token.
    pub fn issue(&self, req: &TokenRequest, token_url: &str, proof: Option<&str>) -> Result<TokenResponse, OAuthError> {
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
        let assertion_id = verify(app, assertion, token_url)?;
        let jkt = match &self.dpop {
            Some(dpop) => Some(self.check_token_proof(dpop, assertion_id.as_deref(), proof, token_url)?),
            None => None,
        };
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
        let token_type = if jkt.is_some() { "DPoP" } else { "Bearer" };
        let issued = Issued {
            client_id: app.client_id.clone(),
            scopes: requested.clone(),
            jkt,
            expires: Instant::now() + self.ttl,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        tokens.retain(|_, t| t.expires > now);
        tokens.insert(access_token.clone(), issued);
        Ok(TokenResponse { token_type, expires_in: self.ttl.as_secs(), access_token, scope: requested.join(" ") })
    }

    /// The grant behind a presented access token, while it is valid.
    pub fn token(&self, access_token: &str) -> Option<Issued> {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.get(access_token).filter(|t| t.expires > Instant::now()).cloned()
    }

    /// The token endpoint's DPoP checks, after the assertion's (which is
    /// consumed either way): a valid proof, then the current nonce.
    /// Returns the key's thumbprint.
    fn check_token_proof(
        &self,
        dpop: &Dpop,
        assertion_id: Option<&str>,
        proof: Option<&str>,
        token_url: &str,
    ) -> Result<String, OAuthError> {
        if let Some(jti) = assertion_id
            && !dpop.assertions.first_use(jti)
        {
            return Err(invalid_client("The client_assertion token has already been used."));
        }
        let proof = proof.ok_or_else(|| bad_request("invalid_dpop_proof", "The DPoP proof JWT header is missing."))?;
        let expected = Expected { method: "POST", url: token_url, access_token: None };
        let checked = dpop::verify(proof, &expected, &dpop.proofs).map_err(|e| bad_request("invalid_dpop_proof", e))?;
        let nonce = dpop.nonce.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if checked.nonce.as_deref() != Some(nonce.as_str()) {
            dpop.nonce_challenges.fetch_add(1, Ordering::Relaxed);
            let mut error = bad_request("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
            error.nonce = Some(nonce);
            return Err(error);
        }
        dpop.issued.fetch_add(1, Ordering::Relaxed);
        Ok(checked.jkt)
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

/// Verifies a client assertion; returns its `jti`, if any.
fn verify(app: &ServiceApp, assertion: &str, token_url: &str) -> Result<Option<String>, OAuthError> {
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
    Ok(data.claims.jti)
}
