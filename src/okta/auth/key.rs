//! The service app's private key, read from PEM (PKCS#1, PKCS#8, SEC1) or a
//! JWK, ready to sign client assertions with RS256 or ES256.

use super::der;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::Value;

/// A key that can sign; it never prints its material.
pub(crate) struct SigningKey {
    pub algorithm: Algorithm,
    pub key: EncodingKey,
    pub kid: Option<String>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("algorithm", &self.algorithm).field("kid", &self.kid).finish()
    }
}

/// Why a key cannot be used. The texts never quote the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the private key is neither PEM nor a JWK; give a PEM file (BEGIN PRIVATE KEY) or a JWK JSON object")]
    Unrecognised,
    #[error("the private key PEM is encrypted; decrypt it first (openssl pkcs8 -in KEY -nocrypt -out KEY.pem)")]
    Encrypted,
    #[error("the private key PEM holds no private key (found {0}); give the private half of the key pair")]
    NotPrivate(String),
    #[error(
        "the private key is of an unsupported kind ({0}); Okta service apps sign with RSA (RS256) or EC P-256 (ES256)"
    )]
    Unsupported(String),
    #[error("the private key JWK lacks \"{0}\"; export the private JWK (with d, p, q, …), not the public one")]
    MissingJwkField(&'static str),
    #[error("the private key cannot sign ({0}); check that it is a complete, unencrypted private key")]
    Invalid(String),
}

/// Reads a key given inline (PEM text or JWK JSON). `kid` from the
/// configuration wins over a `kid` inside a JWK.
pub(crate) fn parse_private_key(text: &str, kid: Option<String>) -> Result<SigningKey, KeyError> {
    let text = text.trim();
    let (algorithm, key, jwk_kid) = if text.starts_with('{') {
        from_jwk(text)?
    } else if text.contains("-----BEGIN") {
        let (algorithm, key) = from_pem(text)?;
        (algorithm, key, None)
    } else {
        return Err(KeyError::Unrecognised);
    };
    let signing = SigningKey { algorithm, key, kid: kid.or(jwk_kid) };
    // Sign once now so a bad key is reported at startup, not on first use.
    jsonwebtoken::encode(&Header::new(algorithm), &serde_json::json!({}), &signing.key)
        .map_err(|e| KeyError::Invalid(e.to_string()))?;
    Ok(signing)
}

fn from_pem(text: &str) -> Result<(Algorithm, EncodingKey), KeyError> {
    let blocks = pem::parse_many(text).map_err(|_| KeyError::Unrecognised)?;
    let mut seen = Vec::new();
    for block in &blocks {
        let contents = block.contents();
        match block.tag() {
            "RSA PRIVATE KEY" => return Ok((Algorithm::RS256, EncodingKey::from_rsa_der(contents))),
            "EC PRIVATE KEY" => {
                if !der::mentions_oid(contents, der::OID_P256) {
                    return Err(KeyError::Unsupported("an EC key on a curve other than P-256".into()));
                }
                return Ok((Algorithm::ES256, EncodingKey::from_ec_der(&der::pkcs8_p256(contents))));
            }
            "PRIVATE KEY" => {
                if der::mentions_oid(contents, der::OID_RSA) {
                    let pem_text = pem::encode(block);
                    let key =
                        EncodingKey::from_rsa_pem(pem_text.as_bytes()).map_err(|e| KeyError::Invalid(e.to_string()))?;
                    return Ok((Algorithm::RS256, key));
                }
                if der::mentions_oid(contents, der::OID_EC_PUBLIC_KEY) {
                    if !der::mentions_oid(contents, der::OID_P256) {
                        return Err(KeyError::Unsupported("an EC key on a curve other than P-256".into()));
                    }
                    return Ok((Algorithm::ES256, EncodingKey::from_ec_der(contents)));
                }
                return Err(KeyError::Unsupported("a PKCS#8 key that is neither RSA nor EC".into()));
            }
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            other => seen.push(other.to_owned()),
        }
    }
    Err(KeyError::NotPrivate(if seen.is_empty() { "nothing".into() } else { seen.join(", ") }))
}

fn from_jwk(text: &str) -> Result<(Algorithm, EncodingKey, Option<String>), KeyError> {
    let jwk: Value = serde_json::from_str(text).map_err(|_| KeyError::Unrecognised)?;
    let field = |name: &'static str| -> Result<Vec<u8>, KeyError> {
        let s = jwk.get(name).and_then(Value::as_str).ok_or(KeyError::MissingJwkField(name))?;
        URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| KeyError::Invalid(format!("\"{name}\" is not base64url")))
    };
    let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
    match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => {
            let numbers = [
                field("n")?,
                field("e")?,
                field("d")?,
                field("p")?,
                field("q")?,
                field("dp")?,
                field("dq")?,
                field("qi")?,
            ];
            Ok((Algorithm::RS256, EncodingKey::from_rsa_der(&der::rsa_private_key(&numbers)), kid))
        }
        Some("EC") => {
            let curve = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
            if curve != "P-256" {
                return Err(KeyError::Unsupported(format!("an EC key on curve {curve:?}")));
            }
            let sec1 = der::ec_private_key(&field("d")?, &field("x")?, &field("y")?);
            Ok((Algorithm::ES256, EncodingKey::from_ec_der(&der::pkcs8_p256(&sec1)), kid))
        }
        Some(other) => Err(KeyError::Unsupported(format!("JWK kty {other:?}"))),
        None => Err(KeyError::MissingJwkField("kty")),
    }
}
