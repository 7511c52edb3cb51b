//! The org's HTTP surface: routes, auth, Okta-shaped errors.

mod auth;
pub mod error;
mod users;

use super::Org;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use error::OktaError;
use std::sync::Arc;

pub fn router(org: Arc<Org>) -> Router {
    let api = Router::new()
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/{id}", get(users::get))
        .method_not_allowed_fallback(|| async { OktaError::method_not_allowed() })
        .route_layer(middleware::from_fn_with_state(org.clone(), auth::require_token));
    Router::new()
        .merge(api)
        .fallback(|| async { OktaError::path_not_found() })
        .layer(middleware::from_fn(request_id))
        .with_state(org)
}

/// Every response carries `X-Okta-Request-Id`, as Okta's do.
async fn request_id(req: Request, next: Next) -> Response {
    let mut id = String::new();
    id.extend(std::iter::repeat_with(fastrand::alphanumeric).take(24));
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-okta-request-id", v);
    }
    resp
}

/// Absolute links are built from the Host the client used, like Okta.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

/// A JSON body whose parse failure is Okta's E0000003, not axum's text.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { &bytes[..] };
        serde_json::from_slice(bytes).map(JsonBody).map_err(|_| OktaError::malformed_body().into_response())
    }
}
