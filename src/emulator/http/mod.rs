//! The org's HTTP surface: routes, auth, Okta-shaped errors, and the
//! request helpers the handlers share.

mod applinks;
mod auth;
mod create;
mod credentials;
pub mod error;
mod etag;
mod factors;
mod groups;
mod hooks;
mod lifecycle;
mod links;
mod logs;
mod meta;
mod oauth;
mod sessions;
mod update;
mod users;

use super::Org;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use error::OktaError;
use std::convert::Infallible;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;

pub fn router(org: Arc<Org>) -> Router {
    let api = Router::new()
        .route("/api/v1/users", get(users::list).post(create::create))
        .route("/api/v1/users/{id}", get(users::get).post(update::partial).put(update::replace).delete(update::delete))
        .route("/api/v1/users/{id}/lifecycle/{op}", post(lifecycle::lifecycle))
        .route("/api/v1/users/{id}/credentials/{op}", post(lifecycle::credentials))
        .route("/api/v1/users/{id}/groups", get(groups::of_user))
        .route("/api/v1/users/{id}/factors", get(factors::list))
        .route("/api/v1/users/{id}/factors/{fid}", axum::routing::delete(factors::reset))
        .route("/api/v1/users/{id}/appLinks", get(applinks::list))
        .route("/api/v1/users/{id}/grants", get(users::empty_list))
        .route("/api/v1/users/{id}/sessions", axum::routing::delete(sessions::clear))
        .route("/api/v1/groups", get(groups::list).post(groups::create))
        .route("/api/v1/groups/{gid}", get(groups::get).delete(groups::delete))
        .route("/api/v1/groups/{gid}/users", get(groups::members))
        .route("/api/v1/groups/{gid}/users/{uid}", put(groups::add_member).delete(groups::remove_member))
        .route("/api/v1/logs", get(logs::list))
        .route("/api/v1/meta/types/user", get(meta::list_types).post(meta::create_type))
        .route("/api/v1/meta/types/user/{tid}", get(meta::get_type).delete(meta::delete_type))
        .route("/api/v1/meta/schemas/user/{sid}", get(meta::get_schema))
        .route("/emulator/v1/faults", get(hooks::get_faults).post(hooks::set_faults))
        .route("/emulator/v1/stats", get(hooks::get_stats).delete(hooks::reset_stats))
        .route("/emulator/v1/users/{id}/lock", post(hooks::lock))
        .route("/emulator/v1/panic", post(hooks::panic))
        .method_not_allowed_fallback(|| async { OktaError::method_not_allowed() })
        .route_layer(middleware::from_fn_with_state(org.clone(), auth::require_auth));
    let token = Router::new()
        .route("/oauth2/v1/token", post(oauth::token))
        .method_not_allowed_fallback(|| async { OktaError::method_not_allowed() });
    Router::new()
        .merge(api)
        .merge(token)
        .fallback(|| async { OktaError::path_not_found() })
        .layer(middleware::map_response(okta_errors_only))
        .layer(CatchPanicLayer::custom({
            let org = org.clone();
            move |err: Box<dyn std::any::Any + Send + 'static>| panicked(&org, err.as_ref())
        }))
        .with_state(org)
}

/// A panic in a handler is a bug: count it, log it and answer as Okta does.
fn panicked(org: &Org, err: &(dyn std::any::Any + Send)) -> Response {
    org.note_panic(&panic_text(err));
    OktaError::internal().into_response()
}

/// The message a panic carried, when it carried text.
pub(crate) fn panic_text(err: &(dyn std::any::Any + Send)) -> String {
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown panic".into())
}

/// Rejections axum makes itself (a path that does not decode, a body over
/// the size limit) come as text; clients expect Okta's error object.
async fn okta_errors_only(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let detail = match axum::body::to_bytes(response.into_body(), 64 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let error = match status {
        StatusCode::NOT_FOUND => OktaError::path_not_found(),
        StatusCode::METHOD_NOT_ALLOWED => OktaError::method_not_allowed(),
        s if s.is_server_error() => OktaError::internal(),
        s => OktaError { status: s, ..OktaError::new(s, "E0000001", "Api validation failed: request") },
    };
    let error = if detail.trim().is_empty() { error } else { error.with_cause(detail.trim().to_owned()) };
    error.into_response()
}

/// Absolute links are built from the Host the client used, like Okta. A
/// Host that is not a plain `host[:port]` is not echoed: written into a
/// `Link` header it could end the link and add others (found by
/// `tests/it/fuzz_org.rs`).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_plain_authority(h))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `host` or `host:port` and nothing else: no user, path, odd characters
/// or port that is not a number.
fn is_plain_authority(host: &str) -> bool {
    let syntax = host.parse::<axum::http::uri::Authority>().is_ok_and(|a| !a.host().is_empty());
    let url = url::Url::parse(&format!("http://{host}/"));
    syntax
        && url
            .is_ok_and(|u| u.path() == "/" && u.username().is_empty() && u.password().is_none() && u.query().is_none())
}

/// The request's origin (`http://host`), for absolute links.
pub struct Base(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Base {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Base(base_url(&parts.headers)))
    }
}

/// The query string as ordered pairs, decoded the form way (`+` is a space).
#[derive(Debug, Default, Clone)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A boolean flag; anything but `true`/`false` counts as absent.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)?.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        Ok(Params(url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()))
    }
}

/// A JSON body whose parse failure is Okta's E0000003, not axum's text.
/// An empty body reads as `{}`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| {
            OktaError::new(StatusCode::BAD_REQUEST, "E0000003", "The request body was not well-formed.").into_response()
        })?;
        let bytes = if bytes.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { &bytes[..] };
        serde_json::from_slice(bytes).map(JsonBody).map_err(|_| OktaError::malformed_body().into_response())
    }
}
