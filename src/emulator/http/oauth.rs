//! `POST /oauth2/v1/token`: the client-credentials grant for service apps.
//! Errors use OAuth's shape, not Okta's error object.

use super::Base;
use crate::emulator::Org;
use crate::emulator::oauth::{OAuthError, TokenRequest};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = Json(json!({ "error": self.error, "error_description": self.description }));
        match self.nonce.and_then(|n| HeaderValue::from_str(&n).ok()) {
            Some(nonce) => (status, [("dpop-nonce", nonce)], body).into_response(),
            None => (status, body).into_response(),
        }
    }
}

pub async fn token(State(org): State<Arc<Org>>, Base(base): Base, headers: HeaderMap, body: Bytes) -> Response {
    let form: TokenRequest = serde_urlencoded_form(&body);
    let proof = headers.get("dpop").and_then(|v| v.to_str().ok());
    match org.oauth.issue(&form, &format!("{base}/oauth2/v1/token"), proof) {
        Ok(token) => Json(token).into_response(),
        Err(e) => {
            tracing::info!("token request refused: {} ({})", e.error, e.description);
            e.into_response()
        }
    }
}

/// Reads the form leniently: unknown fields are ignored, repeated ones keep the first.
fn serde_urlencoded_form(body: &[u8]) -> TokenRequest {
    let mut req = TokenRequest::default();
    for (k, v) in url::form_urlencoded::parse(body) {
        let slot = match k.as_ref() {
            "grant_type" => &mut req.grant_type,
            "scope" => &mut req.scope,
            "client_assertion_type" => &mut req.client_assertion_type,
            "client_assertion" => &mut req.client_assertion,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(v.into_owned());
        }
    }
    req
}
