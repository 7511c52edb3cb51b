//! Configuration resolved exactly as the official Okta SDKs do, plus
//! oktui's named profiles.
//!
//! Precedence, highest first, per setting:
//! 1. command-line flags;
//! 2. the environment (`OKTA_CLIENT_ORGURL`, `OKTA_CLIENT_TOKEN`, …);
//! 3. `./okta.yaml` (`okta.client.*`);
//! 4. `~/.okta/okta.yaml`.
//!
//! With `--profile NAME` (or `OKTUI_PROFILE`) the profile from
//! `<config dir>/oktui/config.yaml` replaces layers 2–4 as a whole: a
//! profile names one org, and mixing in a token from the environment meant
//! for another org would send that token to the wrong place. Flags still win.
//!
//! `resolve` is a pure function of `ConfigSources`; `ConfigSources::load`
//! does the reading.

mod settings;
mod sources;

pub use settings::{Settings, split_scopes};
pub use sources::{ConfigFile, ConfigSources, profiles_path};

use crate::okta::auth::{AuthConfig, KeySource, PrivateKeyAuth};
use crate::okta::client::ClientConfig;
use crate::okta::org_url::OrgUrl;
use serde_yaml_ng::Value as Yaml;
use std::time::Duration;

/// Okta's org-wide concurrency limit; a higher cap only earns 429s.
pub const MAX_CONCURRENCY: usize = 75;

/// A configuration that cannot work; the text says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// A resolved configuration and what the caller should tell the admin.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub config: ClientConfig,
    /// Problems worth a warning (e.g. a secret in a world-readable file).
    pub warnings: Vec<String>,
    /// Where the org URL came from, e.g. `~/.okta/okta.yaml`.
    pub org_url_from: String,
    /// Which credential is used and where it was read from, for the
    /// advice after a 401 ("the API token from the environment
    /// (OKTA_CLIENT_TOKEN)"). Never the credential itself.
    pub credential_from: String,
}

/// Resolves the sources into a client configuration.
pub fn resolve(sources: &ConfigSources) -> Result<Resolved, ConfigError> {
    let mut warnings = Vec::new();
    let mut layers: Vec<(String, Settings)> = vec![("the command line".into(), sources.flags.clone())];
    let profile =
        sources.profile.clone().or_else(|| sources.env.get("OKTUI_PROFILE").cloned()).filter(|p| !p.is_empty());
    if let Some(name) = profile {
        let file = sources.profiles_file.as_ref().ok_or_else(|| {
            let path =
                sources.profiles_path.as_ref().map_or("the oktui config file".into(), |p| p.display().to_string());
            ConfigError(format!(
                "profile {name:?} asked for, but {path} does not exist; create it with a `profiles:` map"
            ))
        })?;
        let (settings, any_secret) = read_profile(file, &name)?;
        warn_if_shared(file, any_secret, &mut warnings);
        layers.push((format!("profile {name:?} in {}", file.path.display()), settings));
    } else {
        layers.push(("the environment".into(), Settings::from_env(&sources.env).map_err(ConfigError)?));
        for file in [&sources.project_file, &sources.home_file].into_iter().flatten() {
            let settings = read_okta_yaml(file)?;
            warn_if_shared(file, settings.holds_secret(), &mut warnings);
            layers.push((file.path.display().to_string(), settings));
        }
    }

    let org_url_from =
        layers.iter().find(|(_, s)| s.org_url.is_some()).map(|(name, _)| name.clone()).ok_or_else(|| {
            ConfigError(
                "no org configured: use --demo, or --org-url with --token, or set OKTA_CLIENT_ORGURL and \
                 OKTA_CLIENT_TOKEN, or write ~/.okta/okta.yaml, or pick a --profile"
                    .into(),
            )
        })?;
    let merged = layers.iter().fold(Settings::default(), |acc, (_, layer)| acc.or(layer));
    let config = build(&merged, &org_url_from)?;
    let credential_from = credential_origin(&layers, &merged);
    Ok(Resolved { config, warnings, org_url_from, credential_from })
}

/// The credential the merged settings use and the first layer that set it.
fn credential_origin(layers: &[(String, Settings)], merged: &Settings) -> String {
    let private_key = merged
        .authorization_mode
        .as_deref()
        .is_some_and(|m| matches!(m.to_ascii_lowercase().as_str(), "privatekey" | "jwt" | "jwk"));
    let (what, variable, flag) = match private_key {
        true => ("the private key", "OKTA_CLIENT_PRIVATEKEY", "--private-key"),
        false => ("the API token", "OKTA_CLIENT_TOKEN", "--token"),
    };
    let layer = layers
        .iter()
        .find(|(_, s)| if private_key { s.private_key.is_some() } else { s.token.is_some() })
        .map(|(name, _)| name.as_str());
    match layer {
        Some("the environment") => format!("{what} from the environment ({variable})"),
        Some("the command line") => format!("{what} from the command line ({flag})"),
        Some(name) => format!("{what} from {name}"),
        None => what.to_owned(),
    }
}

fn warn_if_shared(file: &ConfigFile, holds_secret: bool, warnings: &mut Vec<String>) {
    if holds_secret && file.is_shared() {
        let path = file.path.display();
        warnings.push(format!(
            "{path} holds a secret and other users can read it (mode {:o}); run: chmod 600 {path}",
            file.mode.unwrap_or_default()
        ));
    }
}

fn parse_yaml(file: &ConfigFile) -> Result<Yaml, ConfigError> {
    serde_yaml_ng::from_str::<Yaml>(&file.text).map_err(|e| {
        // serde_yaml's message may quote the line, which may be a token.
        let at = e.location().map_or(String::new(), |l| format!(" at line {} column {}", l.line(), l.column()));
        ConfigError(format!("{} is not valid YAML{at}; fix or remove it", file.path.display()))
    })
}

fn read_okta_yaml(file: &ConfigFile) -> Result<Settings, ConfigError> {
    let yaml = parse_yaml(file)?;
    match yaml.get("okta").and_then(|o| o.get("client")) {
        Some(client) => Settings::from_yaml_client(client, &file.path.display().to_string()).map_err(ConfigError),
        None => Ok(Settings::default()),
    }
}

/// A profile's settings, and whether any profile in the file holds a secret.
fn read_profile(file: &ConfigFile, name: &str) -> Result<(Settings, bool), ConfigError> {
    let yaml = parse_yaml(file)?;
    let origin = file.path.display().to_string();
    let profiles = yaml.get("profiles").and_then(Yaml::as_mapping);
    let mut any_secret = false;
    let mut names = Vec::new();
    let mut found = None;
    for (key, value) in profiles.into_iter().flatten() {
        let Some(key) = key.as_str() else { continue };
        let settings = Settings::from_yaml_client(value, &format!("{origin}: profile {key:?}")).map_err(ConfigError)?;
        any_secret |= settings.holds_secret();
        names.push(key.to_owned());
        if key == name {
            found = Some(settings);
        }
    }
    match found {
        Some(settings) => Ok((settings, any_secret)),
        None if names.is_empty() => Err(ConfigError(format!(
            "{origin} defines no profiles; add `profiles: {{ {name:?}: {{ orgUrl: …, token: … }} }}`"
        ))),
        None => Err(ConfigError(format!("no profile {name:?} in {origin}; it defines: {}", names.join(", ")))),
    }
}

/// Turns merged settings into a client configuration.
fn build(s: &Settings, org_url_from: &str) -> Result<ClientConfig, ConfigError> {
    let raw_url = s.org_url.as_deref().unwrap_or_default();
    let org_url = OrgUrl::parse(raw_url).map_err(|e| ConfigError(format!("{e} (from {org_url_from})")))?;
    let mode = s.authorization_mode.as_deref().unwrap_or("SSWS");
    let token = || match &s.token {
        Some(t) if t.expose().contains("{apiToken}") => {
            Err(ConfigError("the API token is still the placeholder {apiToken}; put your token there".into()))
        }
        Some(t) => Ok(t.clone()),
        None => Err(ConfigError(
            "no API token: set OKTA_CLIENT_TOKEN or okta.client.token (or use authorizationMode PrivateKey)".into(),
        )),
    };
    let auth = match mode.to_ascii_lowercase().as_str() {
        "ssws" => AuthConfig::Ssws(token()?),
        "bearer" => AuthConfig::Bearer(token()?),
        "privatekey" | "jwt" | "jwk" => {
            let missing = |what: &str, env: &str, key: &str| {
                ConfigError(format!("authorizationMode PrivateKey needs {what}: set {env} or okta.client.{key}"))
            };
            let client_id = s
                .client_id
                .clone()
                .ok_or_else(|| missing("the service app's client id", "OKTA_CLIENT_CLIENTID", "clientId"))?;
            let scopes = s.scopes.clone().filter(|v| !v.is_empty()).ok_or_else(|| {
                missing("scopes (e.g. okta.users.read okta.users.manage)", "OKTA_CLIENT_SCOPES", "scopes")
            })?;
            let key = s
                .private_key
                .as_ref()
                .ok_or_else(|| missing("a private key", "OKTA_CLIENT_PRIVATEKEY", "privateKey"))?;
            AuthConfig::PrivateKey(PrivateKeyAuth {
                client_id,
                scopes,
                key: KeySource::from_setting(key.expose()),
                key_id: s.key_id.clone(),
            })
        }
        other => {
            return Err(ConfigError(format!(
                "authorizationMode {other:?} is not supported; use SSWS (API token), Bearer or PrivateKey (OAuth service app)"
            )));
        }
    };
    let mut config = ClientConfig::with_auth(org_url, auth);
    if let Some(secs) = s.connection_timeout.filter(|s| *s > 0) {
        config.connect_timeout = Duration::from_secs(secs);
    }
    if let Some(secs) = s.request_timeout {
        config.request_timeout = (secs > 0).then(|| Duration::from_secs(secs));
    }
    if let Some(n) = s.max_retries {
        config.retry.max_retries = n;
    }
    if let Some(percent) = s.max_api_capacity {
        config.governor.max_capacity =
            u8::try_from(percent).ok().filter(|p| (1..=100).contains(p)).ok_or_else(|| {
                ConfigError(format!(
                    "the API capacity (--max-api-capacity, OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY or \
                 okta.client.rateLimit.maxApiCapacity) is a percentage from 1 to 100; got {percent}"
                ))
            })?;
    }
    if let Some(n) = s.concurrency {
        if !(1..=MAX_CONCURRENCY).contains(&n) {
            return Err(ConfigError(format!(
                "concurrency must be 1 to {MAX_CONCURRENCY} (Okta's org-wide limit); got {n}"
            )));
        }
        config.concurrency = n;
    }
    Ok(config)
}
