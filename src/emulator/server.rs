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
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
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
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let (org, router) = (org.clone(), router.clone());
                    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                        handle(org.clone(), router.clone(), req)
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
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

fn roll(rate: f64) -> bool {
    rate > 0.0 && fastrand::f64() < rate
}

async fn handle(org: Arc<Org>, router: Router, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let path = req.uri().path().to_owned();
    let bucket = Bucket::of(req.method(), &path);
    let hook = path.starts_with("/emulator/");
    let mut response = None;
    let mut verdict = None;
    if !hook {
        let faults = org.faults();
        if faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
        }
        if roll(faults.drop_rate) {
            return Err(Dropped);
        }
        if roll(faults.throttle_rate) {
            let limit = org.rate_limiter().limit_of(bucket);
            verdict = Some(Verdict { allowed: false, limit, remaining: 0, reset: epoch_seconds() + 1 });
            response = Some(OktaError::rate_limited().into_response());
        } else if roll(faults.error_rate) {
            let error = match faults.error_status {
                0 if fastrand::bool() => OktaError::internal(),
                0 => OktaError::unavailable(),
                status => OktaError::server_error(status),
            };
            response = Some(error.into_response());
        }
        if response.is_none() {
            let v = org.rate_limiter().check(bucket);
            if !v.allowed {
                response = Some(OktaError::rate_limited().into_response());
            }
            verdict = Some(v);
        }
    }
    let mut response = match response {
        Some(r) => r,
        None => match router.oneshot(req.map(Body::new)).await {
            Ok(r) => r,
            Err(never) => match never {},
        },
    };
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&opaque_id("", 27)) {
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
