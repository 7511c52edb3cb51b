//! API token check: `Authorization: SSWS <token>` (the space is optional,
//! as the official SDKs send it either way).

use super::error::OktaError;
use crate::emulator::Org;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn require_token(State(org): State<Arc<Org>>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("SSWS"))
        .map(str::trim);
    match presented {
        Some(token) if org.token_matches(token) => next.run(req).await,
        _ => OktaError::invalid_token().into_response(),
    }
}
