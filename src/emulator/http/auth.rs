//! Who is calling: `Authorization: SSWS <token>` (the space is optional, as
//! the official SDKs send it either way) or `Bearer <access token>` issued
//! by `/oauth2/v1/token`, whose scopes must cover the operation.

use super::error::OktaError;
use crate::emulator::Org;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The scopes an operation needs: any one of them will do.
fn required_scopes(method: &Method, path: &str) -> &'static [&'static str] {
    let read = method == Method::GET;
    let area = path.trim_start_matches("/api/v1/");
    if area.starts_with("users") {
        if read { &["okta.users.read", "okta.users.manage"] } else { &["okta.users.manage"] }
    } else if area.starts_with("groups") {
        if read { &["okta.groups.read", "okta.groups.manage"] } else { &["okta.groups.manage"] }
    } else if area.starts_with("meta/schemas") {
        if read { &["okta.schemas.read", "okta.schemas.manage"] } else { &["okta.schemas.manage"] }
    } else if area.starts_with("meta/types") {
        if read { &["okta.userTypes.read", "okta.userTypes.manage"] } else { &["okta.userTypes.manage"] }
    } else {
        &[]
    }
}

pub async fn require_auth(State(org): State<Arc<Org>>, req: Request, next: Next) -> Response {
    let header = req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Some(token) = header.strip_prefix("SSWS") {
        if org.token_matches(token.trim()) {
            return next.run(req).await;
        }
        return OktaError::invalid_token().into_response();
    }
    if let Some(token) = header.strip_prefix("Bearer ") {
        let Some(grant) = org.oauth.token(token.trim()) else { return OktaError::invalid_token().into_response() };
        let path = req.uri().path();
        // The test hooks belong to the org's operator, not to OAuth apps.
        if path.starts_with("/emulator/") {
            return OktaError::forbidden().into_response();
        }
        let needed = required_scopes(req.method(), path);
        if !needed.is_empty() && !needed.iter().any(|s| grant.scopes.iter().any(|g| g == s)) {
            return OktaError::forbidden()
                .with_cause(format!("The access token lacks a required scope: {}", needed.join(" or ")))
                .into_response();
        }
        return next.run(req).await;
    }
    OktaError::invalid_token().into_response()
}
