//! Okta's error object, with the status code and error code Okta uses.

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

    pub fn user_not_found(key: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "E0000007", format!("Not found: Resource not found: {key} (User)"))
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

    /// `E0000001 Api validation failed: <what>` with `field: message` causes.
    pub fn validation(what: &str, causes: Vec<String>) -> Self {
        Self { causes, ..Self::new(StatusCode::BAD_REQUEST, "E0000001", format!("Api validation failed: {what}")) }
    }

    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "E0000009", "Internal Server Error")
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let mut error_id = String::from("oae");
        error_id.extend(std::iter::repeat_with(fastrand::alphanumeric).take(22));
        let causes: Vec<_> = self.causes.iter().map(|c| json!({ "errorSummary": c })).collect();
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": error_id,
            "errorCauses": causes,
        });
        (self.status, Json(body)).into_response()
    }
}
