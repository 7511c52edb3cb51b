//! The `credentials` and profile parts of create/update bodies, and how
//! they are checked: the default password policy, imported hashes with
//! their fields, recovery questions, providers (API-NOTES §1.3).

use crate::emulator::record::{Credentials, PasswordCredential, RecoveryQuestion};
use crate::emulator::schema::Cause;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Default, Deserialize)]
pub struct UserBody {
    pub profile: Option<Map<String, Value>>,
    pub credentials: Option<CredentialsBody>,
    #[serde(rename = "groupIds")]
    pub group_ids: Option<Vec<String>>,
    #[serde(rename = "type")]
    pub user_type: Option<TypeRef>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TypeRef {
    pub id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CredentialsBody {
    pub password: Option<PasswordBody>,
    pub recovery_question: Option<RecoveryBody>,
    pub provider: Option<ProviderBody>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordBody {
    pub value: Option<String>,
    pub hash: Option<HashBody>,
    pub hook: Option<HookBody>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HashBody {
    pub algorithm: Option<String>,
    pub value: Option<String>,
    pub salt: Option<String>,
    pub salt_order: Option<String>,
    pub work_factor: Option<i64>,
    pub iteration_count: Option<i64>,
    pub key_size: Option<i64>,
    pub digest_algorithm: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HookBody {
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RecoveryBody {
    pub question: Option<String>,
    pub answer: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ProviderBody {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
}

const POLICY: &str = "Password requirements were not met. Password requirements: at least 8 characters, \
a lowercase letter, an uppercase letter, a number, no parts of your username.";

/// Okta's default password policy; `field` is where the TUI shows it.
pub fn check_password(field: &str, password: &str, login: &str) -> Vec<Cause> {
    let login = login.to_lowercase();
    let lower = password.to_lowercase();
    let has_login_part =
        login.split([',', '.', '_', '#', '@', '-']).filter(|p| p.chars().count() >= 4).any(|p| lower.contains(p));
    let weak = password.chars().count() < 8
        || !password.chars().any(|c| c.is_lowercase())
        || !password.chars().any(|c| c.is_uppercase())
        || !password.chars().any(|c| c.is_ascii_digit())
        || has_login_part;
    let mut causes = Vec::new();
    if weak {
        causes.push(Cause::field(field, POLICY));
    }
    if password.chars().count() > 72 {
        causes.push(Cause::field(field, "Password cannot be longer than 72 characters."));
    }
    causes
}

fn b64(s: &str) -> Option<Vec<u8>> {
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    GeneralPurpose::new(&base64::alphabet::STANDARD, config).decode(s).ok()
}

fn radix64(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

/// The fields each hash algorithm needs (API-NOTES §1.3).
pub fn check_hash(hash: &HashBody) -> Vec<Cause> {
    let mut causes = Vec::new();
    let mut bad = |message: String| causes.push(Cause::field("password", message));
    let algorithm = hash.algorithm.as_deref().unwrap_or_default();
    let value = hash.value.as_deref().unwrap_or_default();
    if value.is_empty() {
        bad("The hash value is required.".into());
    }
    let salted_digest = |bytes: usize, bad: &mut dyn FnMut(String)| {
        if !value.is_empty() && b64(value).is_none_or(|v| v.len() != bytes) {
            bad(format!("The {algorithm} hash value must be the Base64 of a {bytes}-byte digest."));
        }
        if let Some(salt) = &hash.salt {
            if b64(salt).is_none() {
                bad("The salt must be Base64.".into());
            }
            if !matches!(hash.salt_order.as_deref(), Some("PREFIX" | "POSTFIX")) {
                bad("saltOrder must be PREFIX or POSTFIX when a salt is given.".into());
            }
        }
    };
    match algorithm {
        "BCRYPT" => {
            if !hash.work_factor.is_some_and(|w| (1..=20).contains(&w)) {
                bad("workFactor must be between 1 and 20 for BCRYPT.".into());
            }
            if !hash.salt.as_deref().is_some_and(|s| s.len() == 22 && radix64(s)) {
                bad("The BCRYPT salt must be 22 Radix-64 characters.".into());
            }
            if !(value.is_empty() || value.len() == 31 && radix64(value)) {
                bad("The BCRYPT hash value must be 31 Radix-64 characters.".into());
            }
        }
        "SHA-512" => salted_digest(64, &mut bad),
        "SHA-256" => salted_digest(32, &mut bad),
        "SHA-1" => salted_digest(20, &mut bad),
        "MD5" => salted_digest(16, &mut bad),
        "PBKDF2" => {
            if hash.iteration_count.is_none_or(|n| n < 4096) {
                bad("iterationCount must be at least 4096 for PBKDF2.".into());
            }
            if !matches!(hash.digest_algorithm.as_deref(), Some("SHA256_HMAC" | "SHA512_HMAC")) {
                bad("digestAlgorithm must be SHA256_HMAC or SHA512_HMAC for PBKDF2.".into());
            }
            if hash.salt.as_deref().is_none_or(|s| b64(s).is_none()) {
                bad("A Base64 salt is required for PBKDF2.".into());
            }
            match hash.key_size {
                Some(size) if size > 0 => {
                    if !value.is_empty() && b64(value).is_none_or(|v| v.len() as i64 != size) {
                        bad(format!("The PBKDF2 hash value must be the Base64 of keySize ({size}) bytes."));
                    }
                }
                _ => bad("keySize (in bytes) is required for PBKDF2.".into()),
            }
        }
        other => bad(format!(
            "The hash algorithm '{other}' is not supported; use BCRYPT, SHA-512, SHA-256, SHA-1, MD5 or PBKDF2."
        )),
    }
    causes
}

/// What kind of password a body sets, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordKind {
    None,
    Value,
    Hash,
    Hook,
}

/// Applies `credentials` to `creds`, collecting every problem. Returns the
/// kind of password set.
pub fn apply(body: &CredentialsBody, creds: &mut Credentials, login: &str, causes: &mut Vec<Cause>) -> PasswordKind {
    let mut kind = PasswordKind::None;
    if let Some(p) = &body.password {
        if let Some(value) = &p.value {
            causes.extend(check_password("password", value, login));
            creds.password = Some(PasswordCredential::Value(value.clone()));
            kind = PasswordKind::Value;
        } else if let Some(hash) = &p.hash {
            causes.extend(check_hash(hash));
            creds.password = Some(PasswordCredential::Imported);
            creds.provider_type = "IMPORT".into();
            creds.provider_name = "IMPORT".into();
            kind = PasswordKind::Hash;
        } else if let Some(hook) = &p.hook {
            if hook.kind.as_deref() != Some("default") {
                causes.push(Cause::field("password", "The password hook type must be 'default'."));
            }
            creds.password = Some(PasswordCredential::Imported);
            creds.provider_type = "IMPORT".into();
            creds.provider_name = "IMPORT".into();
            kind = PasswordKind::Hook;
        }
    }
    if let Some(rq) = &body.recovery_question {
        let question = rq.question.as_deref().unwrap_or_default();
        let answer = rq.answer.as_deref().unwrap_or_default();
        let len_ok = |s: &str| (1..=100).contains(&s.chars().count());
        if !len_ok(question) {
            causes.push(Cause::field("recovery_question", "The security question must be 1 to 100 characters."));
        }
        if !len_ok(answer) {
            causes.push(Cause::field("answer", "The security question answer must be 1 to 100 characters."));
        } else if answer.chars().count() < 4 {
            causes.push(Cause::field("answer", "The security question answer must be at least 4 characters in length"));
        }
        creds.recovery_question = Some(RecoveryQuestion { question: question.to_owned(), answer: answer.to_owned() });
    }
    if let Some(provider) = &body.provider {
        let kind_name = provider.kind.as_deref().unwrap_or("OKTA");
        if !matches!(kind_name, "OKTA" | "FEDERATION" | "SOCIAL" | "IMPORT") {
            causes.push(Cause::field(
                "provider",
                format!("The provider type '{kind_name}' cannot be set through the API."),
            ));
        } else if kind_name != "OKTA" || creds.provider_type == "OKTA" {
            creds.provider_type = kind_name.to_owned();
            creds.provider_name = provider.name.clone().unwrap_or_else(|| kind_name.to_owned());
        }
        if matches!(kind_name, "FEDERATION" | "SOCIAL") && kind != PasswordKind::None {
            causes
                .push(Cause::field("password", "A user with a FEDERATION or SOCIAL provider cannot have a password."));
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_needs_length_cases_digit_and_no_login_part() {
        assert!(check_password("password", "Sturdy-Pass-42", "robin@example.com").is_empty());
        for weak in ["Short1", "alllower123", "ALLUPPER123", "NoDigitsHere", "Robin-Was-42"] {
            assert!(!check_password("password", weak, "robin@example.com").is_empty(), "{weak}");
        }
    }

    #[test]
    fn documented_hash_examples_pass() {
        let ok = |algorithm: &str, value: &str, salt: Option<&str>, order: Option<&str>| HashBody {
            algorithm: Some(algorithm.into()),
            value: Some(value.into()),
            salt: salt.map(Into::into),
            salt_order: order.map(Into::into),
            ..HashBody::default()
        };
        assert!(
            check_hash(&ok("SHA-256", "Gjxo7mxvvzQWa83ovhYRUH2dWUhC1N77Ntc56UfI4sY", Some("MPu13OmY"), Some("PREFIX")))
                .is_empty()
        );
        assert!(
            check_hash(&ok("SHA-1", "xjrauE6J6kbjcvMjWSSc+PsBBls=", Some("UEO3wsAsgzQ="), Some("POSTFIX"))).is_empty()
        );
        assert!(check_hash(&ok("MD5", "jqACjUUFXM1XE6NiLALAbA==", Some("TXlTYWx0"), Some("PREFIX"))).is_empty());
        let bcrypt = HashBody {
            work_factor: Some(10),
            ..ok("BCRYPT", "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna", Some("rwh3vH166HCH/NT9XV5FYu"), None)
        };
        assert!(check_hash(&bcrypt).is_empty());
        let pbkdf2 = HashBody {
            iteration_count: Some(4096),
            key_size: Some(32),
            digest_algorithm: Some("SHA512_HMAC".into()),
            ..ok("PBKDF2", "eKe8/dcL5gvRsMmp7WwxZq0Y7WAodielIcLaelLlgNs=", Some("RBDXRWs9"), None)
        };
        assert!(check_hash(&pbkdf2).is_empty());
        assert!(!check_hash(&HashBody { work_factor: Some(99), ..bcrypt }).is_empty());
    }
}
