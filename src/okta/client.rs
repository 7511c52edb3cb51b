//! The HTTP client for one Okta org.

use super::create::CreateUser;
use super::error::{ApiError, Error};
use super::model::{User, UserRow, rows_from_json};
use super::org_url::OrgUrl;
use super::paging::{Page, next_link};
use super::query::UserQuery;
use super::secret::Secret;
use futures::Stream;
use reqwest::{Method, RequestBuilder, Url, header};
use std::time::Duration;

pub const USER_AGENT: &str = concat!("oktui/", env!("CARGO_PKG_VERSION"));

/// How to reach an org and prove who we are.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub org_url: OrgUrl,
    pub token: Secret,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl ClientConfig {
    pub fn new(org_url: OrgUrl, token: Secret) -> Self {
        Self { org_url, token, connect_timeout: Duration::from_secs(10), request_timeout: Duration::from_secs(30) }
    }
}

/// Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("org_url", &self.config.org_url).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        // reqwest is built without a default crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, config })
    }

    pub fn org_url(&self) -> &OrgUrl {
        &self.config.org_url
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .header(header::ACCEPT, "application/json")
            .header(header::AUTHORIZATION, format!("SSWS {}", self.config.token.expose()))
    }

    /// Sends a request and returns the headers and body of a 2xx answer.
    async fn send(&self, req: RequestBuilder) -> Result<(header::HeaderMap, bytes::Bytes), Error> {
        let timeout = self.config.request_timeout;
        let resp = req.send().await.map_err(|e| transport_error(e, timeout))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(|e| transport_error(e, timeout))?;
        if status.is_success() {
            Ok((headers, body))
        } else {
            let request_id = headers.get("x-okta-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
            Err(Error::Api(Box::new(ApiError::from_body(status.as_u16(), request_id, &body))))
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: Url) -> Result<T, Error> {
        let (_, body) = self.send(self.request(Method::GET, url)).await?;
        decode(&body)
    }

    /// One page of users: the first page of `query`, or the page behind a
    /// `next` link from a previous page.
    pub async fn list_users_page(&self, from: PageStart<'_>) -> Result<Page<UserRow>, Error> {
        let req = match from {
            PageStart::First(query) => {
                self.request(Method::GET, self.config.org_url.join("/api/v1/users")).query(&query.params())
            }
            PageStart::Next(url) => self.request(Method::GET, url.clone()),
        };
        let (headers, body) = self.send(req).await?;
        let items = rows_from_json(&body).map_err(|e| Error::Decode(e.to_string()))?;
        let next = next_link(headers.get_all(header::LINK).iter().filter_map(|v| v.to_str().ok()));
        Ok(Page { items, next })
    }

    /// Every page of `query`, lazily. Dropping the stream stops the work.
    pub fn list_users(&self, query: UserQuery) -> impl Stream<Item = Result<Page<UserRow>, Error>> + '_ {
        enum Cursor {
            Start(UserQuery),
            Next(Url),
            Done,
        }
        futures::stream::unfold(Cursor::Start(query), move |cursor| async move {
            let result = match &cursor {
                Cursor::Start(q) => self.list_users_page(PageStart::First(q)).await,
                Cursor::Next(url) => self.list_users_page(PageStart::Next(url)).await,
                Cursor::Done => return None,
            };
            let next = match &result {
                Ok(page) => page.next.clone().map_or(Cursor::Done, Cursor::Next),
                Err(_) => Cursor::Done,
            };
            Some((result, next))
        })
    }

    /// A user by id, login or login shortname, or `me`.
    pub async fn get_user(&self, id_or_login: &str) -> Result<User, Error> {
        self.get_json(self.user_url(id_or_login, "")).await
    }

    pub async fn create_user(&self, create: &CreateUser) -> Result<User, Error> {
        let mut url = self.config.org_url.join("/api/v1/users");
        url.query_pairs_mut().append_pair("activate", if create.activate { "true" } else { "false" });
        let req = self.request(Method::POST, url).json(&create.body());
        let (_, body) = self.send(req).await?;
        decode(&body)
    }

    fn user_url(&self, id_or_login: &str, suffix: &str) -> Url {
        let mut url = self.config.org_url.join("/api/v1/users");
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(id_or_login);
            for part in suffix.split('/').filter(|s| !s.is_empty()) {
                segments.push(part);
            }
        }
        url
    }
}

/// Where a page request starts.
#[derive(Debug, Clone, Copy)]
pub enum PageStart<'a> {
    First(&'a UserQuery),
    Next(&'a Url),
}

fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode(e.to_string()))
}

fn transport_error(e: reqwest::Error, timeout: Duration) -> Error {
    // A timeout while the body streams in is reported by reqwest as a body
    // or decode error that also answers `is_timeout`: check that first.
    if e.is_timeout() {
        Error::Timeout(timeout)
    } else {
        // Without the URL: it may carry a login, and never a secret, but the
        // message reads better without it.
        Error::Network(e.without_url().to_string())
    }
}
