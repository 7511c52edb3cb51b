//! The credentials part of the create form: one mode per creation variant
//! of the Users API, each with exactly the inputs it needs.

use crate::okta::{
    Credentials, HashField, PasswordHash, Pbkdf2Digest, ProviderType, SaltOrder, SaltedAlgorithm, Secret,
};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    None,
    Password,
    RecoveryQuestion,
    PasswordAndRecovery,
    Provider,
    Hash,
    Hook,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::None,
        Mode::Password,
        Mode::RecoveryQuestion,
        Mode::PasswordAndRecovery,
        Mode::Provider,
        Mode::Hash,
        Mode::Hook,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Mode::None => "None (the user sets a password from the activation email)",
            Mode::Password => "Password",
            Mode::RecoveryQuestion => "Recovery question",
            Mode::PasswordAndRecovery => "Password and recovery question",
            Mode::Provider => "Authentication provider (FEDERATION or SOCIAL)",
            Mode::Hash => "Imported password hash",
            Mode::Hook => "Password import inline hook",
        }
    }

    /// A password the admin types (and that the password policy applies to).
    pub fn has_typed_password(self) -> bool {
        matches!(self, Mode::Password | Mode::PasswordAndRecovery)
    }

    /// The user signs in with a password without an activation email.
    pub fn has_password(self) -> bool {
        matches!(self, Mode::Password | Mode::PasswordAndRecovery | Mode::Hash | Mode::Hook)
    }

    /// The inputs of this mode, in order.
    pub fn inputs(self, hash: HashKind) -> &'static [Key] {
        use Key::*;
        match self {
            Mode::None | Mode::Hook => &[],
            Mode::Password => &[Password],
            Mode::RecoveryQuestion => &[Question, Answer],
            Mode::PasswordAndRecovery => &[Password, Question, Answer],
            Mode::Provider => &[ProviderKind, ProviderName],
            Mode::Hash => match hash {
                HashKind::Bcrypt => &[Algorithm, WorkFactor, Salt, HashValue],
                HashKind::Pbkdf2 => &[Algorithm, Digest, Iterations, KeySize, Salt, HashValue],
                HashKind::Salted(_) => &[Algorithm, Salt, SaltOrderKey, HashValue],
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    Bcrypt,
    Salted(SaltedAlgorithm),
    Pbkdf2,
}

impl HashKind {
    pub const ALL: [HashKind; 6] = [
        HashKind::Bcrypt,
        HashKind::Salted(SaltedAlgorithm::Sha512),
        HashKind::Salted(SaltedAlgorithm::Sha256),
        HashKind::Salted(SaltedAlgorithm::Sha1),
        HashKind::Salted(SaltedAlgorithm::Md5),
        HashKind::Pbkdf2,
    ];

    pub fn label(self) -> &'static str {
        match self {
            HashKind::Bcrypt => "BCRYPT",
            HashKind::Salted(SaltedAlgorithm::Sha512) => "SHA-512",
            HashKind::Salted(SaltedAlgorithm::Sha256) => "SHA-256",
            HashKind::Salted(SaltedAlgorithm::Sha1) => "SHA-1",
            HashKind::Salted(SaltedAlgorithm::Md5) => "MD5",
            HashKind::Pbkdf2 => "PBKDF2",
        }
    }
}

/// One input of a credentials mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Password,
    Question,
    Answer,
    ProviderKind,
    ProviderName,
    Algorithm,
    WorkFactor,
    Digest,
    Iterations,
    KeySize,
    Salt,
    SaltOrderKey,
    HashValue,
}

impl Key {
    pub fn label(self) -> &'static str {
        match self {
            Key::Password => "Password",
            Key::Question => "Recovery question",
            Key::Answer => "Answer",
            Key::ProviderKind => "Provider type",
            Key::ProviderName => "Provider name",
            Key::Algorithm => "Hash algorithm",
            Key::WorkFactor => "Work factor",
            Key::Digest => "Digest",
            Key::Iterations => "Iterations",
            Key::KeySize => "Key size (bytes)",
            Key::Salt => "Salt",
            Key::SaltOrderKey => "Salt order",
            Key::HashValue => "Hash value",
        }
    }

    /// Masked unless revealed.
    pub fn is_secret(self) -> bool {
        matches!(self, Key::Password | Key::Answer | Key::HashValue)
    }

    /// Picked with ←/→ rather than typed.
    pub fn is_choice(self) -> bool {
        matches!(self, Key::ProviderKind | Key::Algorithm | Key::Digest | Key::SaltOrderKey)
    }

    /// The field name Okta puts in error causes for this input.
    pub fn cause_field(self) -> &'static str {
        match self {
            Key::Password => "password",
            Key::Question => "recovery_question.question",
            Key::Answer => "recovery_question.answer",
            Key::ProviderName | Key::ProviderKind => "provider",
            _ => "hash",
        }
    }
}

/// Every credentials input; a mode shows a subset. Switching modes keeps
/// what was typed, so nothing is lost by looking at another mode.
#[derive(Debug, Clone)]
pub struct CredentialsForm {
    pub mode: Mode,
    pub password: Input,
    pub question: Input,
    pub answer: Input,
    pub provider: ProviderType,
    pub provider_name: Input,
    pub hash: HashKind,
    pub work_factor: Input,
    pub digest: Pbkdf2Digest,
    pub iterations: Input,
    pub key_size: Input,
    pub salt: Input,
    pub salt_order: SaltOrder,
    pub hash_value: Input,
    /// Show secrets in clear (Ctrl-R).
    pub reveal: bool,
    /// Problems per input, from the last check or the org.
    pub errors: Vec<(Key, String)>,
}

impl Default for CredentialsForm {
    fn default() -> Self {
        Self {
            mode: Mode::None,
            password: Input::default(),
            question: Input::default(),
            answer: Input::default(),
            provider: ProviderType::Federation,
            provider_name: Input::new("FEDERATION".into()),
            hash: HashKind::Bcrypt,
            work_factor: Input::new("10".into()),
            digest: Pbkdf2Digest::Sha512Hmac,
            iterations: Input::new("4096".into()),
            key_size: Input::new("32".into()),
            salt: Input::default(),
            salt_order: SaltOrder::Prefix,
            hash_value: Input::default(),
            reveal: false,
            errors: Vec::new(),
        }
    }
}

impl CredentialsForm {
    pub fn inputs(&self) -> &'static [Key] {
        self.mode.inputs(self.hash)
    }

    pub fn input_mut(&mut self, key: Key) -> Option<&mut Input> {
        Some(match key {
            Key::Password => &mut self.password,
            Key::Question => &mut self.question,
            Key::Answer => &mut self.answer,
            Key::ProviderName => &mut self.provider_name,
            Key::WorkFactor => &mut self.work_factor,
            Key::Iterations => &mut self.iterations,
            Key::KeySize => &mut self.key_size,
            Key::Salt => &mut self.salt,
            Key::HashValue => &mut self.hash_value,
            Key::ProviderKind | Key::Algorithm | Key::Digest | Key::SaltOrderKey => return None,
        })
    }

    pub fn text(&self, key: Key) -> String {
        match key {
            Key::Password => self.password.value().to_owned(),
            Key::Question => self.question.value().to_owned(),
            Key::Answer => self.answer.value().to_owned(),
            Key::ProviderKind => self.provider.as_str().to_owned(),
            Key::ProviderName => self.provider_name.value().to_owned(),
            Key::Algorithm => self.hash.label().to_owned(),
            Key::WorkFactor => self.work_factor.value().to_owned(),
            Key::Digest => match self.digest {
                Pbkdf2Digest::Sha256Hmac => "SHA256_HMAC".into(),
                Pbkdf2Digest::Sha512Hmac => "SHA512_HMAC".into(),
            },
            Key::Iterations => self.iterations.value().to_owned(),
            Key::KeySize => self.key_size.value().to_owned(),
            Key::Salt => self.salt.value().to_owned(),
            Key::SaltOrderKey => match self.salt_order {
                SaltOrder::Prefix => "PREFIX".into(),
                SaltOrder::Postfix => "POSTFIX".into(),
            },
            Key::HashValue => self.hash_value.value().to_owned(),
        }
    }

    pub fn cycle_mode(&mut self, forward: bool) {
        self.mode = cycle(&Mode::ALL, self.mode, forward);
        self.errors.clear();
    }

    pub fn cycle_choice(&mut self, key: Key, forward: bool) {
        match key {
            Key::ProviderKind => {
                self.provider = cycle(&[ProviderType::Federation, ProviderType::Social], self.provider, forward);
                // The name usually matches the type; follow it unless edited.
                let name = self.provider_name.value();
                if name.is_empty() || name == "FEDERATION" || name == "SOCIAL" {
                    self.provider_name = Input::new(self.provider.as_str().to_owned());
                }
            }
            Key::Algorithm => self.hash = cycle(&HashKind::ALL, self.hash, forward),
            Key::Digest => {
                self.digest = cycle(&[Pbkdf2Digest::Sha512Hmac, Pbkdf2Digest::Sha256Hmac], self.digest, forward);
            }
            Key::SaltOrderKey => {
                self.salt_order = cycle(&[SaltOrder::Prefix, SaltOrder::Postfix], self.salt_order, forward)
            }
            _ => {}
        }
    }

    /// Empties what identifies the last user (for "create and add another").
    pub fn clear_secrets(&mut self) {
        for input in [&mut self.password, &mut self.answer, &mut self.hash_value, &mut self.salt] {
            input.reset();
        }
        self.errors.clear();
    }

    pub fn is_dirty(&self) -> bool {
        self.mode != Mode::None
            || [&self.password, &self.question, &self.answer, &self.hash_value].iter().any(|i| !i.value().is_empty())
    }

    pub fn error(&self, key: Key) -> Option<&str> {
        self.errors.iter().find(|(k, _)| *k == key).map(|(_, e)| e.as_str())
    }

    /// Unmet password policy rules for `login` (Okta's default policy:
    /// 8 characters, upper, lower, digit, no part of the username).
    pub fn password_problems(&self, login: &str) -> Vec<&'static str> {
        policy_problems(self.password.value(), login)
    }

    /// Checks the inputs of the current mode; returns the credentials when
    /// all are valid, recording problems per input otherwise.
    pub fn build(&mut self, login: &str) -> Option<Credentials> {
        self.errors.clear();
        for key in self.inputs() {
            if let Some(problem) = self.check(*key, login) {
                self.errors.push((*key, problem));
            }
        }
        if !self.errors.is_empty() {
            return None;
        }
        let password = || Secret::new(self.password.value());
        let answer = || Secret::new(self.answer.value());
        let question = || self.question.value().trim().to_owned();
        let credentials = match self.mode {
            Mode::None => Credentials::None,
            Mode::Password => Credentials::Password(password()),
            Mode::RecoveryQuestion => Credentials::RecoveryQuestion { question: question(), answer: answer() },
            Mode::PasswordAndRecovery => {
                Credentials::PasswordAndRecovery { password: password(), question: question(), answer: answer() }
            }
            Mode::Provider => {
                Credentials::Provider { kind: self.provider, name: self.provider_name.value().trim().to_owned() }
            }
            Mode::Hook => Credentials::Hook,
            Mode::Hash => {
                let hash = self.hash_credential()?;
                if let Err(problem) = hash.validate() {
                    let key = match problem.field {
                        HashField::WorkFactor => Key::WorkFactor,
                        HashField::Iterations => Key::Iterations,
                        HashField::KeySize => Key::KeySize,
                        HashField::Salt => Key::Salt,
                        HashField::Value => Key::HashValue,
                    };
                    self.errors.push((key, problem.text));
                    return None;
                }
                Credentials::Hash(hash)
            }
        };
        Some(credentials)
    }

    fn hash_credential(&mut self) -> Option<PasswordHash> {
        let number = |input: &Input| input.value().trim().parse::<u32>().ok();
        let salt = self.salt.value().trim().to_owned();
        let value = Secret::new(self.hash_value.value().trim());
        Some(match self.hash {
            HashKind::Bcrypt => {
                PasswordHash::Bcrypt { work_factor: u8::try_from(number(&self.work_factor)?).ok()?, salt, value }
            }
            HashKind::Salted(algorithm) => PasswordHash::Salted { algorithm, salt, salt_order: self.salt_order, value },
            HashKind::Pbkdf2 => PasswordHash::Pbkdf2 {
                digest: self.digest,
                iteration_count: number(&self.iterations)?,
                key_size: number(&self.key_size)?,
                salt,
                value,
            },
        })
    }

    /// One input's problem, if any.
    pub fn check(&self, key: Key, login: &str) -> Option<String> {
        let text = self.text(key);
        let text = text.trim();
        match key {
            Key::Password => {
                let problems = policy_problems(self.password.value(), login);
                (!problems.is_empty()).then(|| problems.join(", "))
            }
            Key::Question if text.chars().count() < 4 => Some("at least 4 characters".into()),
            Key::Answer if text.chars().count() < 4 => Some("at least 4 characters".into()),
            Key::Question | Key::Answer if text.chars().count() > 100 => Some("at most 100 characters".into()),
            Key::ProviderName if text.is_empty() => Some("required".into()),
            Key::WorkFactor | Key::Iterations | Key::KeySize if text.parse::<u32>().is_err() => {
                Some("a whole number".into())
            }
            Key::Salt | Key::HashValue if text.is_empty() => Some("required".into()),
            _ => None,
        }
    }
}

fn cycle<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let n = all.len();
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    all[if forward { (i + 1) % n } else { (i + n - 1) % n }]
}

/// Okta's default password policy, as unmet rules in plain words.
pub fn policy_problems(password: &str, login: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if password.chars().count() < 8 {
        out.push("at least 8 characters");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        out.push("an uppercase letter");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        out.push("a lowercase letter");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        out.push("a digit");
    }
    let lower = password.to_lowercase();
    let part_of_login = login
        .to_lowercase()
        .split(['.', ',', '_', '#', '@', '-'])
        .any(|part| part.chars().count() >= 4 && lower.contains(part));
    if part_of_login {
        out.push("no part of the username");
    }
    out
}

pub const POLICY: &str = "8+ characters, upper and lower case, a digit, not part of the username";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_in_plain_words() {
        assert!(policy_problems("Sturdy-Pass-42", "robin@example.com").is_empty());
        assert_eq!(
            policy_problems("short", "x@example.com"),
            vec!["at least 8 characters", "an uppercase letter", "a digit"]
        );
        assert_eq!(policy_problems("Robin-Rules-1", "robin@example.com"), vec!["no part of the username"]);
    }

    #[test]
    fn each_mode_builds_its_variant() {
        let mut c = CredentialsForm { mode: Mode::PasswordAndRecovery, ..Default::default() };
        c.password = Input::new("Sturdy-Pass-42".into());
        assert!(c.build("a@example.com").is_none(), "question and answer missing");
        assert_eq!(c.errors.len(), 2);
        c.question = Input::new("First pet?".into());
        c.answer = Input::new("Rex the dog".into());
        assert!(matches!(c.build("a@example.com"), Some(Credentials::PasswordAndRecovery { .. })));

        let mut c = CredentialsForm { mode: Mode::Hash, ..Default::default() };
        c.salt = Input::new("rwh3vH166HCH/NT9XV5FYu".into());
        c.hash_value = Input::new("qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna".into());
        assert!(
            matches!(c.build("a@example.com"), Some(Credentials::Hash(PasswordHash::Bcrypt { .. }))),
            "{:?}",
            c.errors
        );
        c.cycle_choice(Key::Algorithm, true);
        assert_eq!(c.inputs(), &[Key::Algorithm, Key::Salt, Key::SaltOrderKey, Key::HashValue]);
        assert!(c.build("a@example.com").is_none(), "BCRYPT's Radix-64 values are not Base64, which SHA-512 needs");
    }
}
