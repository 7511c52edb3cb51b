//! The base URL of an Okta org, validated the way an admin needs it to be.
//!
//! Plain `http://` is only accepted for loopback hosts (the embedded org and
//! tests); anything else would send the API token in clear text.

use reqwest::Url;
use std::fmt;
use std::net::IpAddr;

#[derive(Clone, PartialEq, Eq)]
pub struct OrgUrl(Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgUrlError {
    #[error("org URL {0:?} is not a URL; expected something like https://acme.okta.com")]
    Unparseable(String),
    #[error(
        "org URL {0} uses plain http; only loopback hosts may (use https://, the token would travel in clear text)"
    )]
    InsecureScheme(String),
    #[error("org URL {0} must use https")]
    UnsupportedScheme(String),
    #[error("org URL {url} points at the Admin Console host; use the org host {suggestion} instead")]
    AdminHost { url: String, suggestion: String },
    #[error("org URL {0} still holds the placeholder {{yourOktaDomain}}; put your org's host there")]
    Placeholder(String),
    #[error("org URL {0} must be the org root (no path, query or fragment), e.g. https://acme.okta.com")]
    HasPath(String),
    #[error("org URL {url} looks mistyped; did you mean {suggestion}?")]
    Mistyped { url: String, suggestion: String },
}

impl OrgUrl {
    pub fn parse(input: &str) -> Result<Self, OrgUrlError> {
        let trimmed = input.trim();
        // The URL parser drops tabs and line breaks silently; a URL holding
        // them is a copy-paste slip, and echoing it would break the message.
        if trimmed.contains(char::is_control) {
            return Err(OrgUrlError::Unparseable(trimmed.to_owned()));
        }
        if trimmed.contains("yourOktaDomain") {
            return Err(OrgUrlError::Placeholder(trimmed.to_owned()));
        }
        // Copy-paste slips the official SDKs also catch.
        if let Some(rest) = trimmed.split_once("://").map(|(_, r)| r)
            && let Some((_, inner)) = rest.split_once("://")
        {
            return Err(OrgUrlError::Mistyped { url: trimmed.to_owned(), suggestion: format!("https://{inner}") });
        }
        let url = Url::parse(trimmed).map_err(|_| OrgUrlError::Unparseable(trimmed.to_owned()))?;
        let host = url.host_str().ok_or_else(|| OrgUrlError::Unparseable(trimmed.to_owned()))?.to_owned();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_host(&host) => {}
            "http" => return Err(OrgUrlError::InsecureScheme(trimmed.to_owned())),
            _ => return Err(OrgUrlError::UnsupportedScheme(trimmed.to_owned())),
        }
        if let Some(stem) = host.strip_suffix(".com.com") {
            return Err(OrgUrlError::Mistyped {
                url: trimmed.to_owned(),
                suggestion: format!("{}://{stem}.com", url.scheme()),
            });
        }
        if let Some(first) = host.split('.').next()
            && let Some(org) = first.strip_suffix("-admin")
        {
            let rest = &host[first.len()..];
            return Err(OrgUrlError::AdminHost {
                url: trimmed.to_owned(),
                suggestion: format!("{}://{org}{rest}", url.scheme()),
            });
        }
        // A trailing slash is harmless and common in copied URLs; anything
        // beyond it would silently change every request path.
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(OrgUrlError::HasPath(trimmed.to_owned()));
        }
        Ok(Self(url))
    }

    /// The host (and port when not the default), for the header line.
    pub fn display_host(&self) -> String {
        match self.0.port() {
            Some(port) => format!("{}:{port}", self.host()),
            None => self.host().to_owned(),
        }
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.host())
    }

    /// An absolute URL for an API path such as `/api/v1/users`.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        url.set_path(path);
        url
    }

    pub fn as_url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Display for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl fmt::Debug for OrgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgUrl({self})")
    }
}

pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        assert_eq!(OrgUrl::parse("https://acme.okta.com/").unwrap().to_string(), "https://acme.okta.com");
        assert!(OrgUrl::parse("http://127.0.0.1:8080").unwrap().is_loopback());
        assert!(OrgUrl::parse("http://localhost:1").is_ok());
        assert!(OrgUrl::parse("http://[::1]:9").is_ok());
    }

    #[test]
    fn plain_http_to_a_remote_host_is_refused() {
        assert!(matches!(OrgUrl::parse("http://acme.okta.com"), Err(OrgUrlError::InsecureScheme(_))));
        assert!(matches!(OrgUrl::parse("http://10.0.0.1"), Err(OrgUrlError::InsecureScheme(_))));
    }

    #[test]
    fn admin_host_is_refused_with_the_fix() {
        let err = OrgUrl::parse("https://acme-admin.okta.com").unwrap_err();
        assert!(err.to_string().contains("https://acme.okta.com"), "{err}");
    }

    #[test]
    fn doubled_schemes_and_domains_are_refused_with_the_fix() {
        let err = OrgUrl::parse("https://https://acme.okta.com").unwrap_err();
        assert!(err.to_string().contains("did you mean https://acme.okta.com?"), "{err}");
        let err = OrgUrl::parse("https://acme.okta.com.com").unwrap_err();
        assert!(err.to_string().contains("did you mean https://acme.okta.com?"), "{err}");
    }

    /// Found by fuzzing (`tests/it/fuzz_config.rs`): a line break inside the
    /// URL was dropped by the URL parser and printed raw in the error.
    #[test]
    fn control_characters_are_refused_and_quoted_escaped() {
        for input in ["http://acme\n.okta.com", "https://acme.okta.com\n/api", "https://ac\tme.okta.com"] {
            let err = OrgUrl::parse(input).unwrap_err();
            assert!(matches!(err, OrgUrlError::Unparseable(_)), "{input:?}: {err}");
            assert!(!err.to_string().contains(['\n', '\t']), "{err}");
        }
    }

    #[test]
    fn paths_and_placeholders_are_refused() {
        assert!(matches!(OrgUrl::parse("https://acme.okta.com/api/v1"), Err(OrgUrlError::HasPath(_))));
        assert!(matches!(OrgUrl::parse("https://{yourOktaDomain}"), Err(OrgUrlError::Placeholder(_))));
        assert!(OrgUrl::parse("acme.okta.com").is_err());
    }
}
