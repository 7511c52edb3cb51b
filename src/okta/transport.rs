//! Sends one API request the careful way: governed per rate-limit bucket,
//! under the concurrency cap (interactive requests first), retried when
//! that is safe, and turned into our one error type. Knows nothing of Okta
//! objects.

use super::error::{ApiError, Error};
use super::gate::Gate;
use super::governor::{GovernorPolicy, JobBudget, Priority};
use super::ratelimit::{RateBudget, RateLimiter, RateWait, WaitReason, bucket_key};
use super::retry::{Failure, Next, Retries, RetryPolicy};
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
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

/// Proves who is calling, afresh for each attempt (a DPoP proof is good
/// for one request only).
pub(crate) trait Authorize: Send + Sync {
    fn headers(&self, method: &Method, url: &Url) -> Result<HeaderMap, Error>;

    /// Sees the headers of every answer (a DPoP nonce arrives that way).
    fn answered(&self, _headers: &HeaderMap) {}
}

/// A fixed `Authorization` header (SSWS, Bearer).
impl Authorize for HeaderValue {
    fn headers(&self, _: &Method, _: &Url) -> Result<HeaderMap, Error> {
        Ok(HeaderMap::from_iter([(header::AUTHORIZATION, self.clone())]))
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
    pub governor: GovernorPolicy,
    pub concurrency: usize,
}

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    limiter: RateLimiter,
    permits: Gate,
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
            limiter: RateLimiter::new(config.governor),
            permits: Gate::new(config.concurrency),
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

    /// What a job may spend of the bucket `method path` goes to.
    pub fn job_budget(&self, method: &Method, path: &str) -> Option<JobBudget> {
        self.limiter.job_budget(&bucket_key(method, path))
    }

    /// `execute_as` for an interactive request (what needs no job's
    /// patience, such as fetching an access token).
    pub async fn execute(&self, req: &Request, authorization: Option<&dyn Authorize>) -> Result<Response, Error> {
        self.execute_as(req, authorization, Priority::Interactive).await
    }

    /// Sends `req` with `authorization` until it succeeds, fails for good,
    /// or the retries run out. Dropping the future cancels it cleanly.
    pub async fn execute_as(
        &self,
        req: &Request,
        authorization: Option<&dyn Authorize>,
        priority: Priority,
    ) -> Result<Response, Error> {
        let bucket = bucket_key(&req.method, req.url.path());
        let mut retry_for: Option<String> = None;
        let mut so_far = Retries::default();
        loop {
            let retry = so_far.total();
            let ticket = self.limiter.acquire(&bucket, priority).await;
            let permit = self.permits.acquire(priority).await;
            let mut builder =
                self.http.request(req.method.clone(), req.url.clone()).header(header::ACCEPT, "application/json");
            if let Some(auth) = authorization {
                builder = builder.headers(auth.headers(&req.method, &req.url)?);
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
            let (error, next) = match outcome {
                Ok((status, headers, body)) => {
                    self.limiter.record(&bucket, &headers, received);
                    if let Some(auth) = authorization {
                        auth.answered(&headers);
                    }
                    ticket.answered();
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
                    let failure = Failure::Status(status, &headers);
                    let next = self.retry.next(&req.method, failure, priority, &mut so_far, fastrand::f64());
                    let error = Error::Api(Box::new(ApiError::from_body(status, request_id.clone(), &body)));
                    retry_for = request_id;
                    (error, next)
                }
                Err((failure, error)) => {
                    drop(ticket);
                    tracing::debug!(method = %req.method, path = req.url.path(), error = %error, "okta request failed");
                    let error = match failure {
                        Failure::Timeout => Error::Timeout(self.timeout_shown),
                        _ => error,
                    };
                    (error, self.retry.next(&req.method, failure, priority, &mut so_far, fastrand::f64()))
                }
            };
            let wait = match next {
                Next::Retry(wait) => wait,
                Next::GiveUp if retry > 0 => return Err(Error::GaveUp { attempts: retry + 1, last: Box::new(error) }),
                Next::GiveUp | Next::Fail => return Err(error),
            };
            self.retries.fetch_add(1, Ordering::Relaxed);
            tracing::info!(
                method = %req.method,
                path = req.url.path(),
                retry = retry + 1,
                ?priority,
                wait_ms = wait.as_millis() as u64,
                "retrying: {error}"
            );
            let throttled = error.status() == Some(429);
            let _said = throttled
                .then(|| self.limiter.waiting(&bucket, WaitReason::Throttled, Instant::now() + wait))
                .flatten();
            tokio::time::sleep(wait).await;
        }
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
