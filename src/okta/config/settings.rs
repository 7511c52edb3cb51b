//! One layer of settings (flags, environment, a YAML file, a profile) and
//! how each source spells them.

use crate::okta::secret::Secret;
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeMap;

/// Every setting oktui understands; `None` = this layer does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub org_url: Option<String>,
    pub token: Option<Secret>,
    /// `SSWS` (default), `Bearer` or `PrivateKey`.
    pub authorization_mode: Option<String>,
    pub client_id: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// Inline PEM/JWK or a path to a file holding it.
    pub private_key: Option<Secret>,
    pub key_id: Option<String>,
    /// Seconds.
    pub connection_timeout: Option<u64>,
    /// Seconds; 0 = no limit.
    pub request_timeout: Option<u64>,
    pub max_retries: Option<u32>,
    /// Percent of each rate-limit bucket oktui may use (1 to 100).
    pub max_api_capacity: Option<u64>,
    /// oktui's own: requests in flight at once.
    pub concurrency: Option<usize>,
}

impl Settings {
    /// Fills what this layer leaves unsaid from a lower-precedence layer.
    pub fn or(mut self, lower: &Settings) -> Settings {
        fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        fill(&mut self.org_url, &lower.org_url);
        fill(&mut self.token, &lower.token);
        fill(&mut self.authorization_mode, &lower.authorization_mode);
        fill(&mut self.client_id, &lower.client_id);
        fill(&mut self.scopes, &lower.scopes);
        fill(&mut self.private_key, &lower.private_key);
        fill(&mut self.key_id, &lower.key_id);
        fill(&mut self.connection_timeout, &lower.connection_timeout);
        fill(&mut self.request_timeout, &lower.request_timeout);
        fill(&mut self.max_retries, &lower.max_retries);
        fill(&mut self.max_api_capacity, &lower.max_api_capacity);
        fill(&mut self.concurrency, &lower.concurrency);
        self
    }

    pub fn is_empty(&self) -> bool {
        *self == Settings::default()
    }

    /// Whether this layer holds a credential (for the permission warning).
    pub fn holds_secret(&self) -> bool {
        self.token.is_some() || self.private_key.as_ref().is_some_and(|k| is_inline_key(k.expose()))
    }

    /// The `OKTA_CLIENT_*` variables (the SDKs' names, with the Go SDK's
    /// spellings accepted too; `…_RATELIMIT_MAXAPICAPACITY` is oktui's, in
    /// the same style) and oktui's `OKTUI_CONCURRENCY`.
    pub fn from_env(env: &BTreeMap<String, String>) -> Result<Settings, String> {
        let get = |names: &[&str]| {
            names.iter().find_map(|n| env.get(*n).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()))
        };
        let number = |names: &[&str]| -> Result<Option<u64>, String> {
            match get(names) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| {
                    format!("{} must be a whole number (got {v:?})", names.first().copied().unwrap_or_default())
                }),
            }
        };
        Ok(Settings {
            org_url: get(&["OKTA_CLIENT_ORGURL"]),
            token: get(&["OKTA_CLIENT_TOKEN"]).map(Secret::from),
            authorization_mode: get(&["OKTA_CLIENT_AUTHORIZATIONMODE"]),
            client_id: get(&["OKTA_CLIENT_CLIENTID"]),
            scopes: get(&["OKTA_CLIENT_SCOPES"]).map(|s| split_scopes(&s)),
            private_key: get(&["OKTA_CLIENT_PRIVATEKEY"]).map(Secret::from),
            key_id: get(&["OKTA_CLIENT_KEYID", "OKTA_CLIENT_PRIVATEKEYID"]),
            connection_timeout: number(&["OKTA_CLIENT_CONNECTIONTIMEOUT", "OKTA_CLIENT_CONNECTION_TIMEOUT"])?,
            request_timeout: number(&["OKTA_CLIENT_REQUESTTIMEOUT", "OKTA_CLIENT_REQUEST_TIMEOUT"])?,
            max_retries: narrow(
                number(&["OKTA_CLIENT_RATELIMIT_MAXRETRIES", "OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES"])?,
                "OKTA_CLIENT_RATELIMIT_MAXRETRIES",
            )?,
            max_api_capacity: number(&[
                "OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY",
                "OKTA_CLIENT_RATE_LIMIT_MAX_API_CAPACITY",
            ])?,
            concurrency: narrow(number(&["OKTUI_CONCURRENCY"])?, "OKTUI_CONCURRENCY")?,
        })
    }

    /// The keys of an `okta.client` map (or of an oktui profile).
    pub fn from_yaml_client(client: &Yaml, origin: &str) -> Result<Settings, String> {
        let text = |key: &str| match client.get(key) {
            Some(Yaml::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Yaml::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let number = |path: &[&str]| -> Result<Option<u64>, String> {
            let mut node = Some(client);
            for key in path {
                node = node.and_then(|n| n.get(*key));
            }
            match node {
                None | Some(Yaml::Null) => Ok(None),
                Some(Yaml::Number(n)) => n.as_u64().map(Some).ok_or_else(|| bad_number(origin, path, &n.to_string())),
                Some(Yaml::String(s)) => s.trim().parse().map(Some).map_err(|_| bad_number(origin, path, s)),
                Some(_) => Err(bad_number(origin, path, "a non-number")),
            }
        };
        let scopes = match client.get("scopes") {
            Some(Yaml::Sequence(items)) => {
                Some(items.iter().filter_map(|i| i.as_str()).map(|s| s.trim().to_owned()).collect())
            }
            Some(Yaml::String(s)) => Some(split_scopes(s)),
            _ => None,
        };
        Ok(Settings {
            org_url: text("orgUrl"),
            token: text("token").map(Secret::from),
            authorization_mode: text("authorizationMode"),
            client_id: text("clientId"),
            scopes,
            private_key: text("privateKey").map(Secret::from),
            key_id: text("privateKeyId").or_else(|| text("keyId")).or_else(|| text("kid")),
            connection_timeout: number(&["connectionTimeout"])?,
            request_timeout: number(&["requestTimeout"])?,
            max_retries: narrow(number(&["rateLimit", "maxRetries"])?, "rateLimit.maxRetries")?,
            max_api_capacity: number(&["rateLimit", "maxApiCapacity"])?,
            concurrency: narrow(number(&["concurrency"])?, "concurrency")?,
        })
    }
}

fn bad_number(origin: &str, path: &[&str], got: &str) -> String {
    format!("{origin}: {} must be a whole number (got {got})", path.join("."))
}

fn narrow<T: TryFrom<u64>>(n: Option<u64>, name: &str) -> Result<Option<T>, String> {
    n.map(|v| T::try_from(v).map_err(|_| format!("{name} is too large ({v})"))).transpose()
}

/// Scopes separated by spaces and/or commas (the SDKs disagree).
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

pub fn is_inline_key(value: &str) -> bool {
    let v = value.trim_start();
    v.starts_with('{') || v.starts_with("-----BEGIN")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_and_numbers() {
        let env: BTreeMap<String, String> = [
            ("OKTA_CLIENT_ORGURL", "https://a.okta.com"),
            ("OKTA_CLIENT_SCOPES", "okta.users.read, okta.users.manage"),
            ("OKTA_CLIENT_PRIVATEKEYID", "kid1"),
            ("OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES", "4"),
            ("OKTA_CLIENT_TOKEN", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let s = Settings::from_env(&env).unwrap();
        assert_eq!(s.org_url.as_deref(), Some("https://a.okta.com"));
        assert_eq!(s.scopes.unwrap(), ["okta.users.read", "okta.users.manage"]);
        assert_eq!(s.key_id.as_deref(), Some("kid1"));
        assert_eq!(s.max_retries, Some(4));
        assert_eq!(s.token, None, "empty variables are unset");
        let bad: BTreeMap<_, _> = [("OKTA_CLIENT_REQUESTTIMEOUT".to_owned(), "soon".to_owned())].into();
        assert!(Settings::from_env(&bad).unwrap_err().contains("OKTA_CLIENT_REQUESTTIMEOUT"));
    }
}
