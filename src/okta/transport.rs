//! Sends one API request the careful way: paced per rate-limit bucket, under
//! the concurrency cap, retried when that is safe, and turned into our one
//! error type. Knows nothing of Okta objects.

use super::error::{ApiError, Error};
use super::ratelimit::{PacingPolicy, RateBudget, RateLimiter, RateWait, WaitReason, bucket_key};
use super::retry::{Failure, RetryPolicy};
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

pub const USER_AGENT: &str = concat!("oktui/", env!("CARGO_PKG_VERSION"));

/// A request that can be sent again as is.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: Method,
    pub url: Url,
    pub body: Option<Body>,
    /// Makes the write conditional on the resource being unchanged.
    pub if_match: Option<String>,
}

#[derive(Clone)]
pub(crate) struct Body {
    pub content_type: &'static str,
    /// May hold secrets (passwords, client assertions): never logged.
    pub bytes: Bytes,
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Body({}, {} bytes)", self.content_type, self.bytes.len())
    }
}

impl Request {
    pub fn new(method: Method, url: Url) -> Self {
        Self { method, url, body: None, if_match: None }
    }

    pub fn json(mut self, value: &serde_json::Value) -> Self {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        self.body = Some(Body { content_type: "application/json", bytes: bytes.into() });
        self
    }

    pub fn if_match(mut self, etag: &str) -> Self {
        self.if_match = Some(etag.to_owned());
        self
    }

    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        self.body = Some(Body { content_type: "application/x-www-form-urlencoded", bytes: s.finish().into() });
        self
    }
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// How the transport behaves; part of `ClientConfig`.
#[derive(Debug, Clone)]
pub(crate) struct TransportConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Option<Duration>,
    pub retry: RetryPolicy,
    pub pacing: PacingPolicy,
    pub concurrency: usize,
}

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    limiter: RateLimiter,
    permits: Arc<Semaphore>,
    retry: RetryPolicy,
    /// The limit named in timeout errors.
    timeout_shown: Duration,
    /// Requests sent again so far (an export reports them).
    retries: AtomicU64,
}

impl Transport {
    pub fn new(config: &TransportConfig) -> Result<Self, Error> {
        // reqwest is built without a default crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            // Org-supplied links are followed by us, checked; never by reqwest.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = config.request_timeout {
            builder = builder.timeout(timeout);
        }
        let http = builder.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            limiter: RateLimiter::new(config.pacing),
            permits: Arc::new(Semaphore::new(config.concurrency.max(1))),
            retry: config.retry,
            timeout_shown: config.request_timeout.unwrap_or(config.connect_timeout),
            retries: AtomicU64::new(0),
        })
    }

    pub fn rate_budget(&self) -> Option<RateBudget> {
        self.limiter.tightest()
    }

    pub fn rate_wait(&self) -> Option<RateWait> {
        self.limiter.current_wait()
    }

    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Sends `req` with `authorization` until it succeeds, fails for good,
    /// or the retries run out. Dropping the future cancels it cleanly.
    pub async fn execute(&self, req: &Request, authorization: Option<&HeaderValue>) -> Result<Response, Error> {
        let bucket = bucket_key(&req.method, req.url.path());
        let mut retry_for: Option<String> = None;
        let mut retry = 0u32;
        loop {
            let ticket = self.limiter.acquire(&bucket).await;
            let permit = self.permits.acquire().await.map_err(|_| Error::Config("the client was shut down".into()))?;
            let mut builder =
                self.http.request(req.method.clone(), req.url.clone()).header(header::ACCEPT, "application/json");
            if let Some(value) = authorization {
                builder = builder.header(header::AUTHORIZATION, value.clone());
            }
            if let Some(etag) = &req.if_match {
                builder = builder.header(header::IF_MATCH, etag.as_str());
            }
            if let Some(body) = &req.body {
                builder = builder.header(header::CONTENT_TYPE, body.content_type).body(body.bytes.clone());
            } else if req.method == Method::POST || req.method == Method::PUT {
                // Okta answers 411 to a POST without a length.
                builder = builder.header(header::CONTENT_LENGTH, "0");
            }
            if retry > 0 {
                if let Some(id) = &retry_for {
                    builder = builder.header("x-okta-retry-for", id.as_str());
                }
                builder = builder.header("x-okta-retry-count", retry.to_string());
            }
            let outcome = send(builder).await;
            let received = Instant::now();
            drop(permit);
            let (failure_error, wait) = match outcome {
                Ok((status, headers, body)) => {
                    self.limiter.record(&bucket, &headers, received);
                    drop(ticket);
                    let request_id = header_str(&headers, "x-okta-request-id");
                    tracing::debug!(
                        method = %req.method,
                        path = req.url.path(),
                        status,
                        request_id = request_id.as_deref().unwrap_or("-"),
                        remaining = header_str(&headers, "x-rate-limit-remaining").as_deref().unwrap_or("-"),
                        "okta answered"
                    );
                    if (200..300).contains(&status) {
                        return Ok(Response { headers, body });
                    }
                    let wait =
                        self.retry.wait(&req.method, Failure::Status(status, &headers), retry + 1, fastrand::f64());
                    let error = Error::Api(Box::new(ApiError::from_body(status, request_id.clone(), &body)));
                    retry_for = request_id;
                    (error, wait)
                }
                Err((failure, error)) => {
                    drop(ticket);
                    tracing::debug!(method = %req.method, path = req.url.path(), error = %error, "okta request failed");
                    let error = match failure {
                        Failure::Timeout => Error::Timeout(self.timeout_shown),
                        _ => error,
                    };
                    (error, self.retry.wait(&req.method, failure, retry + 1, fastrand::f64()))
                }
            };
            match wait {
                Some(wait) => {
                    retry += 1;
                    self.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(
                        method = %req.method,
                        path = req.url.path(),
                        retry,
                        wait_ms = wait.as_millis() as u64,
                        "retrying: {failure_error}"
                    );
                    let throttled = failure_error.status() == Some(429);
                    let _said = throttled
                        .then(|| self.limiter.waiting(&bucket, WaitReason::Throttled, Instant::now() + wait))
                        .flatten();
                    tokio::time::sleep(wait).await;
                }
                None if retry > 0 && self.is_retryable(&req.method, &failure_error) => {
                    return Err(Error::GaveUp { attempts: retry + 1, last: Box::new(failure_error) });
                }
                None => return Err(failure_error),
            }
        }
    }

    /// Whether `error` would have been retried had attempts been left.
    fn is_retryable(&self, method: &Method, error: &Error) -> bool {
        let unbounded = RetryPolicy { max_retries: u32::MAX, ..self.retry };
        let empty = HeaderMap::new();
        let failure = match error {
            Error::Api(api) => Failure::Status(api.status, &empty),
            Error::Network(_) => Failure::Lost,
            _ => return false,
        };
        unbounded.wait(method, failure, 1, 0.0).is_some()
    }
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

type Answer = (u16, HeaderMap, Bytes);

async fn send(builder: reqwest::RequestBuilder) -> Result<Answer, (Failure<'static>, Error)> {
    let resp = builder.send().await.map_err(classify)?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    // A timeout while the body streams in is reported by reqwest as a body
    // error that also answers `is_timeout`: `classify` checks that first.
    let body = resp.bytes().await.map_err(classify)?;
    Ok((status, headers, body))
}

fn classify(e: reqwest::Error) -> (Failure<'static>, Error) {
    if e.is_timeout() {
        return (Failure::Timeout, Error::Timeout(Duration::ZERO));
    }
    let failure = if e.is_connect() { Failure::NotSent } else { Failure::Lost };
    // Without the URL: the message reads better, and a URL is not ours to log.
    (failure, Error::Network(describe(&e.without_url())))
}

/// reqwest's message plus its causes, on one line.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.replace('\n', " ")
}
