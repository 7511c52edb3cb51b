//! Who is calling: `Authorization: SSWS <token>` (the space is optional, as
//! the official SDKs send it either way), or `Bearer <access token>` issued
//! by `/oauth2/v1/token` (`DPoP <access token>` plus a `DPoP` proof when the
//! token is DPoP-bound), whose scopes must cover the operation.

use super::error::OktaError;
use crate::emulator::Org;
use crate::emulator::dpop::Expected;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method};
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
    } else if area.starts_with("logs") {
        &["okta.logs.read"]
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
    let bearer = header.strip_prefix("Bearer ").map(|t| (t, false));
    if let Some((token, dpop)) = bearer.or_else(|| header.strip_prefix("DPoP ").map(|t| (t, true))) {
        let token = token.trim();
        let Some(grant) = org.oauth.token(token) else { return OktaError::invalid_token().into_response() };
        // A DPoP-bound token goes with the DPoP scheme and a proof, never alone.
        if dpop || grant.jkt.is_some() {
            let url = format!("{}{}", super::base_url(req.headers()), req.uri().path());
            let expected = Expected { method: req.method().as_str(), url: &url, access_token: Some(token) };
            let proof = req.headers().get("dpop").and_then(|v| v.to_str().ok());
            let checked = if dpop {
                org.oauth.check_api_proof(&grant, proof, &expected)
            } else {
                Err("The access token is DPoP-bound: send it as 'Authorization: DPoP' with a DPoP proof.".into())
            };
            if let Err(why) = checked {
                tracing::info!("DPoP proof refused: {why}");
                let mut answer = OktaError::invalid_token().with_cause(why).into_response();
                answer.headers_mut().insert(
                    WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"DPoP error="invalid_dpop_proof", algs="ES256 RS256""#),
                );
                return answer;
            }
        }
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
