//! DPoP (RFC 9449) for service apps whose tokens Okta binds to a key
//! (API-NOTES §5.3): a P-256 key made when the client starts (as the SDKs
//! do; it never leaves the process), and a proof JWT for every attempt of
//! every request, naming its method and URL with a fresh `jti`. The org's
//! nonce, learnt from its `DPoP-Nonce` answers, goes into token requests.

use crate::okta::error::Error;
use crate::okta::transport::Authorize;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

const DPOP: HeaderName = HeaderName::from_static("dpop");
const NONCE: &str = "dpop-nonce";
/// What the Go and Python SDKs send beside a DPoP request.
const EXTENDED_AGENT: (&str, &str) = ("x-okta-user-agent-extended", "isDPoP:true");

/// The proving key. `Debug` shows no key material.
pub(crate) struct DpopKey {
    pair: EcdsaKeyPair,
    /// The public half as a JWK, for the proofs' header.
    jwk: Value,
    rng: SystemRandom,
    /// The authorization server's latest nonce.
    nonce: Mutex<Option<String>>,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey").field("alg", &"ES256").finish_non_exhaustive()
    }
}

impl DpopKey {
    pub fn generate() -> Result<Self, Error> {
        let failed = || Error::Config("cannot make a DPoP key (the system's random source failed)".into());
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).map_err(|_| failed())?;
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).map_err(|_| failed())?;
        // An uncompressed point: 0x04, then x and y, 32 bytes each.
        let point = pair.public_key().as_ref();
        let (x, y) = (point.get(1..33).ok_or_else(failed)?, point.get(33..65).ok_or_else(failed)?);
        let jwk =
            json!({ "kty": "EC", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y) });
        Ok(Self { pair, jwk, rng, nonce: Mutex::new(None) })
    }

    /// A proof for one attempt of `method url`; `ath` binds it to the
    /// access token sent beside it, `nonce` is the server's.
    fn proof(&self, method: &Method, url: &Url, access_token: Option<&str>, nonce: bool) -> Result<HeaderValue, Error> {
        let mut htu = url.clone();
        htu.set_query(None);
        htu.set_fragment(None);
        let mut jti = [0u8; 16];
        self.rng.fill(&mut jti).map_err(|_| Error::Config("the system's random source failed".into()))?;
        let iat = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut claims =
            json!({ "htm": method.as_str(), "htu": htu.as_str(), "iat": iat, "jti": URL_SAFE_NO_PAD.encode(jti) });
        if let Some(token) = access_token {
            claims["ath"] =
                URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, token.as_bytes())).into();
        }
        if nonce && let Some(n) = self.nonce.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            claims["nonce"] = n.into();
        }
        let header = json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk });
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self
            .pair
            .sign(&self.rng, input.as_bytes())
            .map_err(|_| Error::Config("cannot sign the DPoP proof".into()))?;
        let mut value = HeaderValue::from_str(&format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref())))
            .map_err(|_| Error::Config("the DPoP proof cannot be sent in a header".into()))?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Keeps the nonce an answer carries (a new one replaces the old).
    fn learn_nonce(&self, headers: &HeaderMap) {
        if let Some(nonce) = headers.get(NONCE).and_then(|v| v.to_str().ok()) {
            *self.nonce.lock().unwrap_or_else(|p| p.into_inner()) = Some(nonce.to_owned());
        }
    }

    pub fn has_nonce(&self) -> bool {
        self.nonce.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

/// A token request's proof (no access token yet; the nonce when known).
pub(crate) struct TokenProof<'a>(pub &'a DpopKey);

impl Authorize for TokenProof<'_> {
    fn headers(&self, method: &Method, url: &Url) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(DPOP, self.0.proof(method, url, None, true)?);
        headers.insert(EXTENDED_AGENT.0, HeaderValue::from_static(EXTENDED_AGENT.1));
        Ok(headers)
    }

    fn answered(&self, headers: &HeaderMap) {
        self.0.learn_nonce(headers);
    }
}

/// A DPoP-bound access token and the key it is bound to.
#[derive(Clone)]
pub(crate) struct Bound {
    pub key: Arc<DpopKey>,
    pub authorization: HeaderValue,
    pub access_token: crate::okta::Secret,
}

impl std::fmt::Debug for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bound").field("key", &self.key).finish_non_exhaustive()
    }
}

impl Authorize for Bound {
    fn headers(&self, method: &Method, url: &Url) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(DPOP, self.key.proof(method, url, Some(self.access_token.expose()), false)?);
        headers.insert(EXTENDED_AGENT.0, HeaderValue::from_static(EXTENDED_AGENT.1));
        Ok(headers)
    }
}
