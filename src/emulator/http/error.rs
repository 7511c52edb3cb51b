//! Okta's error object, with the status code and error code Okta uses.

use crate::emulator::ids::opaque_id;
use crate::emulator::schema::Cause;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct OktaError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
    pub causes: Vec<String>,
}

impl OktaError {
    pub fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self { status, code, summary: summary.into(), causes: Vec::new() }
    }

    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    pub fn invalid_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "E0000011", "Invalid token provided")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "E0000006", "You do not have permission to perform the requested action")
    }

    pub fn not_found(key: &str, kind: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "E0000007", format!("Not found: Resource not found: {key} ({kind})"))
    }

    pub fn user_not_found(key: &str) -> Self {
        Self::not_found(key, "User")
    }

    pub fn path_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "E0000008", "The requested path was not found")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "E0000022", "The endpoint does not support the provided HTTP method")
    }

    pub fn malformed_body() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "E0000003", "The request body was not well-formed.")
    }

    pub fn invalid_cursor() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "E0000029", "Invalid paging request.").with_cause("Invalid cursor.")
    }

    pub fn invalid_limit(value: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "E0000029", "Invalid paging request.")
            .with_cause(format!("limit: '{value}' is not a number; use a limit between 1 and 200."))
    }

    pub fn invalid_search(problem: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "E0000031", "Invalid search criteria.").with_cause(problem)
    }

    pub fn search_and_filter() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000033",
            "Bad request. Can't specify a search query and filter in the same request.",
        )
    }

    /// `E0000001 Api validation failed: <what>` with `field: message` causes.
    pub fn validation(what: &str, causes: &[Cause]) -> Self {
        Self {
            causes: causes.iter().map(Cause::text).collect(),
            ..Self::new(StatusCode::BAD_REQUEST, "E0000001", format!("Api validation failed: {what}"))
        }
    }

    pub fn rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "E0000047", "API call exceeded rate limit due to too many requests.")
    }

    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "E0000009", "Internal Server Error")
    }

    pub fn unavailable() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "E0000010", "Service is in read only mode")
    }

    /// An injected 5xx with the given status (500 for anything unknown).
    pub fn server_error(status: u16) -> Self {
        match status {
            503 => Self::unavailable(),
            502 | 504 => Self {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                ..Self::new(StatusCode::BAD_GATEWAY, "E0000009", "Internal Server Error")
            },
            _ => Self::internal(),
        }
    }

    /// A write the data file refused: the request did not happen.
    pub fn storage(e: &crate::emulator::store::StoreError) -> Self {
        tracing::error!("{e}");
        Self::internal()
    }
}

impl From<crate::emulator::store::StoreError> for OktaError {
    fn from(e: crate::emulator::store::StoreError) -> Self {
        Self::storage(&e)
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let causes: Vec<_> = self.causes.iter().map(|c| json!({ "errorSummary": c })).collect();
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": opaque_id("oae", 22),
            "errorCauses": causes,
        });
        (self.status, Json(body)).into_response()
    }
}
