//! The one error type of the client: what Okta said, or why we never heard it.

use serde::Deserialize;
use std::fmt;

/// Okta's error object (`errorCode`, `errorSummary`, `errorCauses`, …) plus
/// the HTTP status and request id that an admin quotes to Okta support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: Option<String>,
    pub summary: String,
    pub causes: Vec<String>,
    pub request_id: Option<String>,
    pub error_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    error_code: Option<String>,
    error_summary: Option<String>,
    error_id: Option<String>,
    #[serde(default)]
    error_causes: Vec<WireCause>,
    // OAuth endpoints answer in RFC 6749 shape instead.
    error: Option<String>,
    #[serde(rename = "error_description")]
    error_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCause {
    error_summary: Option<String>,
}

impl ApiError {
    /// Builds the error from a non-success response body, whatever its shape.
    pub fn from_body(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let wire = serde_json::from_slice::<WireError>(body).ok();
        let (code, summary, causes, error_id) = match wire {
            Some(w) if w.error_code.is_some() || w.error_summary.is_some() => (
                w.error_code,
                w.error_summary.unwrap_or_default(),
                w.error_causes.into_iter().filter_map(|c| c.error_summary).collect(),
                w.error_id,
            ),
            Some(w) if w.error.is_some() => {
                let code = w.error;
                let summary = w.error_description.or_else(|| code.clone()).unwrap_or_default();
                (code, summary, Vec::new(), None)
            }
            _ => (None, fallback_summary(status, body), Vec::new(), None),
        };
        Self { status, code, summary, causes, request_id, error_id }
    }

    /// Causes of the form `field: message`, split so a form can show each
    /// message on its field. Causes without a field are returned with `None`.
    pub fn field_causes(&self) -> Vec<(Option<&str>, &str)> {
        self.causes.iter().map(|cause| split_field_cause(cause)).collect()
    }

    pub fn is_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

fn split_field_cause(cause: &str) -> (Option<&str>, &str) {
    match cause.split_once(": ") {
        Some((field, message))
            if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
        {
            (Some(field), message)
        }
        _ => (None, cause),
    }
}

fn fallback_summary(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error");
    if text.is_empty() || text.len() > 200 || text.starts_with('<') {
        reason.to_owned()
    } else {
        format!("{reason}: {text}")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary.trim_end_matches('.'))?;
        if !self.causes.is_empty() {
            write!(f, " ({})", self.causes.join("; "))?;
        }
        match &self.code {
            Some(code) => write!(f, " [HTTP {} {code}", self.status)?,
            None => write!(f, " [HTTP {}", self.status)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request {id}")?;
        }
        f.write_str("]")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The org answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No answer: DNS, refused or reset connection, TLS.
    #[error("cannot reach the org ({0}); check the org URL and your network, then try again")]
    Network(String),
    /// The org did not answer in time, either before the headers or while
    /// sending the body.
    #[error("the org did not answer within {0:?}; it may be slow or unreachable, try again")]
    Timeout(std::time::Duration),
    /// The org answered 2xx with a body we cannot read.
    #[error("the org sent a response that is not valid JSON ({0}); try again, and report it if it persists")]
    Decode(String),
    /// A configuration problem found before any request.
    #[error("{0}")]
    Config(String),
    /// A request we will not send (for example a link to another host).
    #[error("{0}")]
    Refused(String),
    /// A conditional write refused because the object changed since it was
    /// read (any 412: Okta documents no body for a stale `If-Match`).
    #[error("it changed since it was read; read it again and reapply the change ({0})")]
    ChangedMeanwhile(Box<ApiError>),
    /// Retries ran out; `last` is the final failure.
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: Box<Error> },
}

impl Error {
    /// The org's error answer, looking through `GaveUp`.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::ChangedMeanwhile(e) => Some(e),
            Error::GaveUp { last, .. } => last.api(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// The final failure, looking through `GaveUp`.
    pub fn root(&self) -> &Error {
        match self {
            Error::GaveUp { last, .. } => last.root(),
            other => other,
        }
    }

    pub fn is_changed_meanwhile(&self) -> bool {
        matches!(self.root(), Error::ChangedMeanwhile(_))
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self.root(), Error::Timeout(_))
    }

    /// A write may or may not have been carried out: its answer was lost
    /// (the connection broke, it timed out) or the org failed (5xx). The
    /// client never resends such a `POST` or `DELETE` itself; a job learns
    /// from the object's state whether to send it again.
    pub fn is_uncertain(&self) -> bool {
        matches!(self.root(), Error::Timeout(_) | Error::Network(_))
            || matches!(self.status(), Some(500 | 502 | 503 | 504))
    }

    pub(crate) fn decode(e: &serde_json::Error) -> Self {
        Error::Decode(json_error(e))
    }
}

/// A JSON error without the input it quotes: bodies may hold secrets
/// (activation tokens, temporary passwords, access tokens).
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "cannot read",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "cut short",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_error_object_is_read_with_field_causes() {
        let body = br#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorLink":"E0000001","errorId":"oae1","errorCauses":[{"errorSummary":"login: An object with this field already exists in the current organization"},{"errorSummary":"Something general"}]}"#;
        let e = ApiError::from_body(400, Some("req-1".into()), body);
        assert!(e.is_code("E0000001"));
        assert_eq!(
            e.field_causes(),
            vec![
                (Some("login"), "An object with this field already exists in the current organization"),
                (None, "Something general")
            ]
        );
        let line = e.to_string();
        assert!(line.contains("Api validation failed: login"));
        assert!(line.contains("HTTP 400 E0000001"));
        assert!(line.contains("req-1"));
        assert!(!line.contains('\n'));
    }

    #[test]
    fn non_okta_bodies_still_give_a_readable_error() {
        let e = ApiError::from_body(502, None, b"<html>bad gateway</html>");
        assert_eq!(e.summary, "Bad Gateway");
        let e = ApiError::from_body(
            400,
            None,
            br#"{"error":"invalid_client","error_description":"The client secret is wrong."}"#,
        );
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        assert_eq!(e.summary, "The client secret is wrong.");
    }
}
