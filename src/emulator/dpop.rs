//! DPoP proofs (RFC 9449, API-NOTES §5.3) as the org checks them: a JWT
//! signed by the key in its own header (`typ: dpop+jwt`, `jwk`), naming the
//! request (`htm`, `htu`), fresh (`iat`), used once (`jti`), and at the
//! token endpoint carrying the org's nonce, at the API the hash of the
//! access token (`ath`). A token is bound to the key's thumbprint (`jkt`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How far a proof's `iat` may lie from the org's clock.
const IAT_WINDOW: u64 = 300;

/// What the request says a proof must match.
pub struct Expected<'a> {
    pub method: &'a str,
    /// The request URL without query or fragment.
    pub url: &'a str,
    /// The access token presented beside the proof (API calls).
    pub access_token: Option<&'a str>,
}

/// A proof that checked out.
#[derive(Debug)]
pub struct Proof {
    /// The thumbprint of the proving key.
    pub jkt: String,
    pub nonce: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    htm: String,
    htu: String,
    iat: u64,
    jti: String,
    nonce: Option<String>,
    ath: Option<String>,
}

/// Remembers the `jti`s seen while they could still be fresh.
#[derive(Debug, Default)]
pub struct Replay(Mutex<HashMap<String, Instant>>);

impl Replay {
    /// Whether `jti` is new (and now seen).
    pub fn first_use(&self, jti: &str) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        seen.retain(|_, at| now.duration_since(*at) < Duration::from_secs(2 * IAT_WINDOW));
        seen.insert(jti.to_owned(), now).is_none()
    }
}

/// Checks `proof` against the request; the error says what is wrong, as
/// Okta's `invalid_dpop_proof` descriptions do.
pub fn verify(proof: &str, expected: &Expected<'_>, replay: &Replay) -> Result<Proof, String> {
    let header = proof
        .split('.')
        .next()
        .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .ok_or("The DPoP proof JWT is malformed.")?;
    if header["typ"] != "dpop+jwt" {
        return Err("The DPoP proof JWT header 'typ' must be 'dpop+jwt'.".into());
    }
    let jwk = header.get("jwk").filter(|j| j.is_object()).ok_or("The DPoP proof JWT header has no 'jwk'.")?;
    if jwk.get("d").is_some() {
        return Err("The DPoP proof 'jwk' must be a public key.".into());
    }
    let text = |name: &str| jwk.get(name).and_then(Value::as_str).unwrap_or_default();
    let (algorithm, key, members) = match (header["alg"].as_str(), text("kty")) {
        (Some("ES256"), "EC") if text("crv") == "P-256" => (
            Algorithm::ES256,
            DecodingKey::from_ec_components(text("x"), text("y")),
            json!({ "crv": "P-256", "kty": "EC", "x": text("x"), "y": text("y") }),
        ),
        (Some("RS256"), "RSA") => (
            Algorithm::RS256,
            DecodingKey::from_rsa_components(text("n"), text("e")),
            json!({ "e": text("e"), "kty": "RSA", "n": text("n") }),
        ),
        _ => return Err("The DPoP proof must be signed with ES256 (P-256) or RS256 by the key in its 'jwk'.".into()),
    };
    let key = key.map_err(|_| "The DPoP proof 'jwk' is not a usable public key.".to_owned())?;
    let mut validation = Validation::new(algorithm);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<Claims>(proof, &key, &validation)
        .map_err(|e| format!("The DPoP proof is invalid: {e}."))?
        .claims;
    if !claims.htm.eq_ignore_ascii_case(expected.method) {
        return Err(format!("The DPoP proof 'htm' {} does not match the request method.", claims.htm));
    }
    if claims.htu.split(['?', '#']).next() != Some(expected.url) {
        return Err(format!("The DPoP proof 'htu' {} does not match the request URL.", claims.htu));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if claims.iat + IAT_WINDOW < now || claims.iat > now + 60 {
        return Err("The DPoP proof 'iat' is too far from the current time.".into());
    }
    if let Some(token) = expected.access_token {
        let hash = URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, token.as_bytes()));
        if claims.ath.as_deref() != Some(hash.as_str()) {
            return Err("The DPoP proof 'ath' does not match the access token.".into());
        }
    }
    if claims.jti.is_empty() || !replay.first_use(&claims.jti) {
        return Err("The DPoP proof 'jti' was already used.".into());
    }
    Ok(Proof { jkt: thumbprint(&members), nonce: claims.nonce })
}

/// RFC 7638: SHA-256 of the required members, keys sorted, no spaces
/// (the members above are written in that order, which `json!` keeps).
fn thumbprint(members: &Value) -> String {
    let canonical = members.to_string();
    URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()))
}
