//! The accept loop and what happens to every request before and after the
//! routes: injected faults, rate-limit buckets and headers, request ids.
//!
//! Our own loop (rather than `axum::serve`) so that stopping the org cuts
//! every open connection, and so a request can be answered by closing the
//! connection (the `drop` fault).

use super::Org;
use super::http::{self, error::OktaError};
use super::ids::opaque_id;
use super::ratelimit::{Bucket, Verdict, epoch_seconds};
use super::stats::Outcome;
use super::syslog::record::RequestMeta;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// The `drop` fault: hyper closes the connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for Dropped {}

/// Serves until the task is aborted; aborting drops every connection task.
pub async fn run(listener: TcpListener, org: Arc<Org>) {
    let router = http::router(org.clone());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let (org, router) = (org.clone(), router.clone());
                    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                        handle(org.clone(), router.clone(), req, peer)
                    });
                    connections.spawn(async move {
                        let conn = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service);
                        if let Err(e) = conn.await {
                            tracing::debug!("connection ended: {e}");
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(ended) = connections.join_next(), if !connections.is_empty() => {
                // Outside the router's panic catcher: count it all the same.
                if let Err(e) = ended
                    && e.is_panic()
                {
                    org.note_panic(&http::panic_text(e.into_panic().as_ref()));
                }
            }
        }
    }
}

fn roll(rate: f64) -> bool {
    rate > 0.0 && fastrand::f64() < rate
}

/// The largest request body read (axum's own default limit).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// Reads the whole request body before anything answers. An answer sent
/// over an unread body (a 404, a 401, an injected fault) made hyper close
/// the connection after it without saying so, and a client reusing that
/// connection saw its next request fail (found by `tests/it/fuzz_org.rs`).
async fn read_body(req: Request<Incoming>) -> Result<Request<Body>, Response<Body>> {
    let (parts, incoming) = req.into_parts();
    match axum::body::to_bytes(Body::new(incoming), MAX_BODY).await {
        Ok(bytes) => Ok(Request::from_parts(parts, Body::from(bytes))),
        Err(_) => {
            let mut refused = OktaError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "E0000003",
                "The request body was not well-formed.",
            )
            .with_cause(format!("The body was incomplete or larger than {MAX_BODY} bytes."))
            .into_response();
            refused.headers_mut().insert(axum::http::header::CONNECTION, HeaderValue::from_static("close"));
            Err(refused)
        }
    }
}

async fn handle(
    org: Arc<Org>,
    router: Router,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Result<Response<Body>, Dropped> {
    let mut req = match read_body(req).await {
        Ok(req) => req,
        Err(refused) => return Ok(refused),
    };
    // Known before routing, so the System Log events a request causes
    // carry the id its answer's `X-Okta-Request-Id` gives.
    let request_id = opaque_id("", 27);
    req.extensions_mut().insert(RequestMeta { request_id: request_id.clone(), peer });
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let bucket = Bucket::of(req.method(), &path);
    let hook = path.starts_with("/emulator/");
    let is_write = matches!(*req.method(), Method::POST | Method::PUT | Method::DELETE);
    let faults = org.faults();
    let mut response = None;
    let mut verdict = None;
    if !hook {
        if faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
        }
        if roll(faults.drop_rate) {
            org.stats().count(bucket, Outcome::Dropped);
            return Err(Dropped);
        }
        if roll(faults.throttle_rate) {
            let limit = org.rate_limiter().limit_of(bucket);
            verdict = Some(Verdict { allowed: false, limit, remaining: 0, reset: epoch_seconds() + 1, used: 0 });
            response = Some(OktaError::rate_limited().into_response());
            org.stats().count(bucket, Outcome::Injected429);
        } else if roll(faults.error_rate) {
            let error = match (faults.error_status, fastrand::u8(0..3)) {
                (0, 0) => OktaError::internal(),
                (0, 1) => OktaError::server_error(502),
                (0, _) => OktaError::unavailable(),
                (status, _) => OktaError::server_error(status),
            };
            response = Some(error.into_response());
            org.stats().count(bucket, Outcome::Injected5xx);
        }
        if response.is_none() {
            let v = org.rate_limiter().check(bucket);
            org.stats().window_used(bucket, v.used);
            if v.allowed {
                org.stats().count(bucket, Outcome::Served);
                if is_write && !path.starts_with("/oauth2/") {
                    org.stats().count_write();
                }
            } else {
                response = Some(OktaError::rate_limited().into_response());
                org.stats().count(bucket, Outcome::RateLimited);
            }
            verdict = Some(v);
        }
    }
    let mut response = match response {
        Some(r) => r,
        None => {
            let answer = match router.oneshot(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            if !hook && is_write && roll(faults.lose_rate) {
                // The change is made; the client never learns it.
                tracing::debug!(%method, path, status = answer.status().as_u16(), "answer lost on purpose");
                tokio::time::sleep(Duration::from_millis(faults.lose_hold_ms)).await;
                return Err(Dropped);
            }
            answer
        }
    };
    // An access log for `oktui serve`: method, path and outcome only (never
    // headers, query strings or bodies, which carry tokens and passwords).
    tracing::debug!(%method, path, status = response.status().as_u16(), request_id, "answered");
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert("x-okta-request-id", v);
    }
    if let Some(v) = verdict {
        for (name, value) in [
            ("x-rate-limit-limit", v.limit.to_string()),
            ("x-rate-limit-remaining", v.remaining.to_string()),
            ("x-rate-limit-reset", v.reset.to_string()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    Ok(response)
}
