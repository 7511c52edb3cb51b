//! How the client proves who it is: an SSWS API token, a ready-made bearer
//! token, or OAuth 2.0 client credentials with a private key, optionally
//! with DPoP-bound tokens (a proof per attempt, see `dpop`).

mod der;
mod dpop;
mod key;
mod oauth;

pub use key::KeyError;

use super::error::Error;
use super::org_url::OrgUrl;
use super::secret::Secret;
use super::transport::{Authorize, Transport};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use std::path::PathBuf;

/// The credentials of a `ClientConfig`. `Debug` never shows secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthConfig {
    /// `Authorization: SSWS <token>`.
    Ssws(Secret),
    /// `Authorization: Bearer <token>` with a token obtained elsewhere.
    Bearer(Secret),
    /// OAuth 2.0 client credentials, `private_key_jwt`.
    PrivateKey(PrivateKeyAuth),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateKeyAuth {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub key: KeySource,
    /// The `kid` of the key, when the app has several.
    pub key_id: Option<String>,
}

/// Where the private key is: inline PEM/JWK text, or a file holding it.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    Inline(Secret),
    File(PathBuf),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Inline(secret) => f.debug_tuple("Inline").field(secret).finish(),
            KeySource::File(path) => f.debug_tuple("File").field(&shown_path(path)).finish(),
        }
    }
}

/// A key file name as messages and `Debug` may show it. A `privateKey`
/// setting that is neither PEM nor a JWK is taken for a file name, but it
/// may be a key that lost its BEGIN/END lines: a long run of base64 mixing
/// upper case, lower case and digits is key material, not a name, and is
/// not shown.
fn shown_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-');
    let material = |run: &str| {
        run.len() >= 32
            && run.contains(|c: char| c.is_ascii_uppercase())
            && run.contains(|c: char| c.is_ascii_lowercase())
            && run.contains(|c: char| c.is_ascii_digit())
    };
    if text.contains(char::is_control) || text.split(|c| !base64(c)).any(material) {
        format!("<{} characters that look like key material, not a file name>", text.chars().count())
    } else {
        text.into_owned()
    }
}

impl KeySource {
    /// `privateKey` as the SDKs take it: the key itself, or a path to it.
    pub fn from_setting(value: &str) -> Self {
        let trimmed = value.trim();
        if trimmed.starts_with('{') || trimmed.contains("-----BEGIN") {
            KeySource::Inline(Secret::new(trimmed))
        } else {
            KeySource::File(PathBuf::from(expand_home(trimmed)))
        }
    }

    fn load(&self) -> Result<Secret, Error> {
        match self {
            KeySource::Inline(secret) => Ok(secret.clone()),
            KeySource::File(path) => std::fs::read_to_string(path).map(Secret::from).map_err(|e| {
                Error::Config(format!(
                    "cannot read the private key file {}: {e}; check the privateKey setting (a key inline \
                     starts with -----BEGIN or {{)",
                    shown_path(path)
                ))
            }),
        }
    }
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest).to_string_lossy().into_owned(),
        _ => path.to_owned(),
    }
}

/// The live form of `AuthConfig`, with the key parsed and the token cached.
#[derive(Debug)]
pub(crate) enum Auth {
    Static(HeaderValue),
    OAuth(Box<oauth::OAuth>),
}

/// What authenticates the requests of the moment.
#[derive(Debug, Clone)]
pub(crate) enum Credentials {
    Header(HeaderValue),
    Dpop(dpop::Bound),
}

impl Authorize for Credentials {
    fn headers(&self, method: &Method, url: &Url) -> Result<HeaderMap, Error> {
        match self {
            Credentials::Header(value) => value.headers(method, url),
            Credentials::Dpop(bound) => bound.headers(method, url),
        }
    }
}

impl Auth {
    /// `dpop`: OAuth tokens are DPoP-bound (`dpopEnabled`); ignored for
    /// tokens made elsewhere.
    pub fn new(config: &AuthConfig, org_url: &OrgUrl, dpop: bool) -> Result<Self, Error> {
        let fixed = |scheme: &str, token: &Secret, what: &str| {
            if token.is_empty() {
                return Err(Error::Config(format!("the {what} is empty; set OKTA_CLIENT_TOKEN or okta.client.token")));
            }
            let mut value = HeaderValue::from_str(&format!("{scheme} {}", token.expose())).map_err(|_| {
                Error::Config(format!("the {what} holds characters that cannot be sent in a header; copy it again"))
            })?;
            value.set_sensitive(true);
            Ok(Auth::Static(value))
        };
        match config {
            AuthConfig::Ssws(token) => fixed("SSWS", token, "API token"),
            AuthConfig::Bearer(token) => fixed("Bearer", token, "bearer token"),
            AuthConfig::PrivateKey(pk) => {
                if pk.client_id.trim().is_empty() {
                    return Err(Error::Config(
                        "OAuth needs the service app's client id; set OKTA_CLIENT_CLIENTID or okta.client.clientId"
                            .into(),
                    ));
                }
                if pk.scopes.is_empty() {
                    return Err(Error::Config(
                        "OAuth needs scopes (e.g. okta.users.read); set OKTA_CLIENT_SCOPES or okta.client.scopes"
                            .into(),
                    ));
                }
                let text = pk.key.load()?;
                let key = key::parse_private_key(text.expose(), pk.key_id.clone())
                    .map_err(|e| Error::Config(e.to_string()))?;
                let token_url = org_url.join("/oauth2/v1/token");
                let dpop = if dpop { Some(dpop::DpopKey::generate()?) } else { None };
                Ok(Auth::OAuth(Box::new(oauth::OAuth::new(
                    pk.client_id.clone(),
                    pk.scopes.clone(),
                    token_url,
                    key,
                    dpop,
                ))))
            }
        }
    }

    /// The credentials for the next request.
    pub async fn credentials(&self, transport: &Transport) -> Result<Credentials, Error> {
        match self {
            Auth::Static(value) => Ok(Credentials::Header(value.clone())),
            Auth::OAuth(oauth) => oauth.credentials(transport).await,
        }
    }

    /// After a 401: drop a cached token so the next call fetches a new one.
    /// Returns whether retrying can help.
    pub async fn invalidate(&self) -> bool {
        match self {
            Auth::Static(_) => false,
            Auth::OAuth(oauth) => {
                oauth.invalidate().await;
                true
            }
        }
    }
}
