//! Imported password hashes (`credentials.password.hash`): each algorithm
//! with exactly the fields Okta takes for it, validated before sending.

use super::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordHash {
    /// `value` is the 31-character Radix-64 hash, `salt` 22 characters.
    Bcrypt { work_factor: u8, salt: String, value: Secret },
    /// Salted SHA-512/256/1 or MD5; `salt` and `value` are Base64.
    Salted { algorithm: SaltedAlgorithm, salt: String, salt_order: SaltOrder, value: Secret },
    /// PBKDF2; `salt` and `value` are Base64, `key_size` in bytes.
    Pbkdf2 { digest: Pbkdf2Digest, iteration_count: u32, key_size: u32, salt: String, value: Secret },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaltedAlgorithm {
    Sha512,
    Sha256,
    Sha1,
    Md5,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaltOrder {
    Prefix,
    Postfix,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pbkdf2Digest {
    Sha256Hmac,
    Sha512Hmac,
}

/// The part of a hash a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashField {
    WorkFactor,
    Iterations,
    KeySize,
    Salt,
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashProblem {
    pub field: HashField,
    pub text: String,
}

impl std::fmt::Display for HashProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

const RADIX64: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl PasswordHash {
    /// What Okta documents for each algorithm; the problem names the field
    /// at fault and says what to fix.
    pub fn validate(&self) -> Result<(), HashProblem> {
        let problem = |field, text: String| Err(HashProblem { field, text });
        let base64 = |field, what: &str, s: &str| {
            if s.is_empty() || STANDARD.decode(s).is_err() {
                problem(field, format!("the hash {what} must be Base64"))
            } else {
                Ok(())
            }
        };
        match self {
            PasswordHash::Bcrypt { work_factor, salt, value } => {
                if !(1..=20).contains(work_factor) {
                    let text = format!("the BCRYPT work factor must be 1 to 20 (got {work_factor})");
                    return problem(HashField::WorkFactor, text);
                }
                let radix = |s: &str, len: usize| s.len() == len && s.chars().all(|c| RADIX64.contains(c));
                if !radix(salt, 22) {
                    return problem(HashField::Salt, "the BCRYPT salt must be 22 Radix-64 characters".into());
                }
                if !radix(value.expose(), 31) {
                    return problem(HashField::Value, "the BCRYPT hash value must be 31 Radix-64 characters".into());
                }
                Ok(())
            }
            PasswordHash::Salted { salt, value, .. } => {
                base64(HashField::Salt, "salt", salt)?;
                base64(HashField::Value, "value", value.expose())
            }
            PasswordHash::Pbkdf2 { iteration_count, key_size, salt, value, .. } => {
                if *iteration_count < 4096 {
                    let text = format!("PBKDF2 needs at least 4096 iterations (got {iteration_count})");
                    return problem(HashField::Iterations, text);
                }
                if *key_size == 0 {
                    return problem(HashField::KeySize, "the PBKDF2 key size must be at least 1 byte".into());
                }
                base64(HashField::Salt, "salt", salt)?;
                base64(HashField::Value, "value", value.expose())
            }
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        match self {
            PasswordHash::Bcrypt { work_factor, salt, value } => {
                json!({"algorithm": "BCRYPT", "workFactor": work_factor, "salt": salt, "value": value.expose()})
            }
            PasswordHash::Salted { algorithm, salt, salt_order, value } => {
                let algorithm = match algorithm {
                    SaltedAlgorithm::Sha512 => "SHA-512",
                    SaltedAlgorithm::Sha256 => "SHA-256",
                    SaltedAlgorithm::Sha1 => "SHA-1",
                    SaltedAlgorithm::Md5 => "MD5",
                };
                let order = match salt_order {
                    SaltOrder::Prefix => "PREFIX",
                    SaltOrder::Postfix => "POSTFIX",
                };
                json!({"algorithm": algorithm, "salt": salt, "saltOrder": order, "value": value.expose()})
            }
            PasswordHash::Pbkdf2 { digest, iteration_count, key_size, salt, value } => {
                let digest = match digest {
                    Pbkdf2Digest::Sha256Hmac => "SHA256_HMAC",
                    Pbkdf2Digest::Sha512Hmac => "SHA512_HMAC",
                };
                json!({"algorithm": "PBKDF2", "digestAlgorithm": digest, "iterationCount": iteration_count,
                       "keySize": key_size, "salt": salt, "value": value.expose()})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_validate() {
        let bcrypt = PasswordHash::Bcrypt {
            work_factor: 10,
            salt: "rwh3vH166HCH/NT9XV5FYu".into(),
            value: "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna".into(),
        };
        bcrypt.validate().unwrap();
        assert_eq!(bcrypt.to_json()["algorithm"], "BCRYPT");
        let sha = PasswordHash::Salted {
            algorithm: SaltedAlgorithm::Sha1,
            salt: "UEO3wsAsgzQ=".into(),
            salt_order: SaltOrder::Postfix,
            value: "xjrauE6J6kbjcvMjWSSc+PsBBls=".into(),
        };
        sha.validate().unwrap();
        assert_eq!(sha.to_json()["algorithm"], "SHA-1");
        let pbkdf2 = PasswordHash::Pbkdf2 {
            digest: Pbkdf2Digest::Sha512Hmac,
            iteration_count: 4096,
            key_size: 32,
            salt: "RBDXRWs9".into(),
            value: "eKe8/dcL5gvRsMmp7WwxZq0Y7WAodielIcLaelLlgNs=".into(),
        };
        pbkdf2.validate().unwrap();
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = PasswordHash::Bcrypt { work_factor: 30, salt: "x".into(), value: "y".into() };
        let problem = bad.validate().unwrap_err();
        assert!(problem.field == HashField::WorkFactor && problem.text.contains("work factor"), "{problem:?}");
        let bad = PasswordHash::Pbkdf2 {
            digest: Pbkdf2Digest::Sha256Hmac,
            iteration_count: 10,
            key_size: 32,
            salt: "RBDXRWs9".into(),
            value: "AA==".into(),
        };
        let problem = bad.validate().unwrap_err();
        assert!(problem.field == HashField::Iterations && problem.text.contains("4096"), "{problem:?}");
        let bad = PasswordHash::Salted {
            algorithm: SaltedAlgorithm::Md5,
            salt: "not base64!".into(),
            salt_order: SaltOrder::Prefix,
            value: "AA==".into(),
        };
        let problem = bad.validate().unwrap_err();
        assert!(problem.field == HashField::Salt && problem.text.contains("salt"), "{problem:?}");
    }
}
