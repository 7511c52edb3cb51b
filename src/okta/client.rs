//! The client for one Okta org: configuration, authentication, and the
//! request helpers the operation modules (`users`, `lifecycle`, `groups`,
//! `meta`) build on.

use super::auth::{Auth, AuthConfig, PrivateKeyAuth};
use super::error::Error;
use super::governor::{GovernorPolicy, JobBudget, Priority};
use super::org_url::OrgUrl;
use super::paging::{Page, next_link};
use super::ratelimit::{RateBudget, RateWait};
use super::retry::RetryPolicy;
use super::secret::Secret;
use super::transport::{Request, Response, Transport, TransportConfig};
use reqwest::{Method, Url, header};
use std::sync::Arc;
use std::time::Duration;

/// The default concurrency cap: far below Okta's org-wide 75 (35 on free
/// plans), which other integrations share with us.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How to reach an org and prove who we are.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub org_url: OrgUrl,
    pub auth: AuthConfig,
    pub connect_timeout: Duration,
    /// The whole request, body included; `None` waits forever (the SDKs'
    /// `requestTimeout: 0`).
    pub request_timeout: Option<Duration>,
    pub retry: RetryPolicy,
    /// How the rate budget is shared (`max_capacity`, a job's headroom).
    pub governor: GovernorPolicy,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl ClientConfig {
    /// An SSWS API token client with default limits.
    pub fn new(org_url: OrgUrl, token: Secret) -> Self {
        Self::with_auth(org_url, AuthConfig::Ssws(token))
    }

    /// An OAuth 2.0 service-app client.
    pub fn oauth(org_url: OrgUrl, private_key: PrivateKeyAuth) -> Self {
        Self::with_auth(org_url, AuthConfig::PrivateKey(private_key))
    }

    pub fn with_auth(org_url: OrgUrl, auth: AuthConfig) -> Self {
        Self {
            org_url,
            auth,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Some(Duration::from_secs(30)),
            retry: RetryPolicy::default(),
            governor: GovernorPolicy::default(),
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Cheap to clone: clones share the connection pool, the rate-limit budget,
/// the concurrency cap and the access token. Each clone sends at its own
/// [`Priority`]: `client.with_priority(Priority::Job)` is how a long job
/// (export, bulk, import) takes what interactive requests leave.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    priority: Priority,
}

struct Inner {
    org_url: OrgUrl,
    transport: Transport,
    auth: Auth,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("org_url", &self.inner.org_url)
            .field("auth", &self.inner.auth)
            .field("priority", &self.priority)
            .finish_non_exhaustive()
    }
}

/// Where a page request starts: the first page of a query, or the page
/// behind a `next` link from a previous page.
#[derive(Debug, Clone, Copy)]
pub enum PageStart<'a, Q = super::query::UserQuery> {
    First(&'a Q),
    Next(&'a Url),
}

impl Client {
    /// Checks the configuration (parses the private key, if any) without
    /// sending anything.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let transport = Transport::new(&TransportConfig {
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            retry: config.retry,
            governor: config.governor,
            concurrency: config.concurrency,
        })?;
        let auth = Auth::new(&config.auth, &config.org_url)?;
        Ok(Self {
            inner: Arc::new(Inner { org_url: config.org_url, transport, auth }),
            priority: Priority::Interactive,
        })
    }

    /// This client sending at `priority`; it shares everything else.
    pub fn with_priority(&self, priority: Priority) -> Self {
        Self { inner: self.inner.clone(), priority }
    }

    pub fn priority(&self) -> Priority {
        self.priority
    }

    /// What a job may still spend, now and per window, of the bucket that
    /// `method path` counts against; `None` before its first answer.
    pub fn job_budget(&self, method: &Method, path: &str) -> Option<JobBudget> {
        self.inner.transport.job_budget(method, path)
    }

    pub fn org_url(&self) -> &OrgUrl {
        &self.inner.org_url
    }

    /// The rate-limit bucket with the smallest share left, for the header
    /// line; `None` before the first answer.
    pub fn rate_budget(&self) -> Option<RateBudget> {
        self.inner.transport.rate_budget()
    }

    /// A request held back until a rate-limit window resets, if any: the
    /// UI says so instead of seeming stuck.
    pub fn rate_wait(&self) -> Option<RateWait> {
        self.inner.transport.rate_wait()
    }

    /// Requests sent again so far by this client and its clones (after a
    /// 429, a 5xx or a lost answer).
    pub fn retries(&self) -> u64 {
        self.inner.transport.retries()
    }

    /// An absolute URL for an API path.
    pub(crate) fn url(&self, path: &str) -> Url {
        self.inner.org_url.join(path)
    }

    /// `path` followed by `segments`, each percent-encoded as one segment
    /// (a login may hold `@`, `+` or `/`).
    pub(crate) fn url_with(&self, path: &str, segments: &[&str]) -> Url {
        let mut url = self.url(path);
        if let Ok(mut parts) = url.path_segments_mut() {
            parts.pop_if_empty();
            for segment in segments {
                parts.push(segment);
            }
        }
        url
    }

    /// Refuses URLs that are not on the configured org, so the credentials
    /// never travel anywhere else (a `next` or `_links` href is org data).
    pub(crate) fn check_on_org(&self, url: &Url) -> Result<(), Error> {
        let org = self.inner.org_url.as_url();
        let same = url.scheme() == org.scheme()
            && url.host_str().map(str::to_ascii_lowercase) == org.host_str().map(str::to_ascii_lowercase)
            && url.port_or_known_default() == org.port_or_known_default();
        if same {
            Ok(())
        } else {
            Err(Error::Refused(format!(
                "refusing to follow a link to {}://{}: it is not on the org {}, and the credentials must not go there",
                url.scheme(),
                url.host_str().unwrap_or("?"),
                self.inner.org_url
            )))
        }
    }

    /// Sends with credentials; after a 401 with OAuth, fetches a new token
    /// and tries once more (the token may have been revoked early).
    pub(crate) async fn send(&self, req: &Request) -> Result<Response, Error> {
        let transport = &self.inner.transport;
        let header = self.inner.auth.header(transport).await?;
        match transport.execute_as(req, Some(&header), self.priority).await {
            Err(e) if e.status() == Some(401) && self.inner.auth.invalidate().await => {
                let header = self.inner.auth.header(transport).await?;
                transport.execute_as(req, Some(&header), self.priority).await
            }
            other => other,
        }
    }

    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(&self, req: &Request) -> Result<T, Error> {
        let answer = self.send(req).await?;
        serde_json::from_slice(&answer.body).map_err(|e| Error::decode(&e))
    }

    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(&self, url: Url) -> Result<T, Error> {
        self.send_json(&Request::new(Method::GET, url)).await
    }

    /// One page from `url`, parsed by `parse`, with its `next` link.
    pub(crate) async fn page<T>(
        &self,
        url: Url,
        parse: impl FnOnce(&[u8]) -> Result<Vec<T>, serde_json::Error>,
    ) -> Result<Page<T>, Error> {
        self.check_on_org(&url)?;
        let answer = self.send(&Request::new(Method::GET, url)).await?;
        let items = parse(&answer.body).map_err(|e| Error::decode(&e))?;
        let next = next_link(answer.headers.get_all(header::LINK).iter().filter_map(|v| v.to_str().ok()));
        Ok(Page { items, next })
    }

    /// Every item behind `first` and its `next` links (for short lists such
    /// as a user's groups).
    pub(crate) async fn all_pages<T: serde::de::DeserializeOwned>(&self, first: Url) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        let mut url = Some(first);
        while let Some(current) = url.take() {
            let page = self.page(current, |body| serde_json::from_slice::<Vec<T>>(body)).await?;
            items.extend(page.items);
            url = page.next;
        }
        Ok(items)
    }
}
