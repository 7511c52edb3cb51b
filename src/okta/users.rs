//! `/api/v1/users`: list (paged), get, create, update, replace.

use super::client::{Client, PageStart};
use super::create::CreateUser;
use super::error::Error;
use super::model::User;
use super::paging::{Page, pages};
use super::query::UserQuery;
use super::row::{UserRow, rows_from_json};
use super::transport::Request;
use futures::Stream;
use reqwest::{Method, Url};
use serde_json::{Map, Value, json};

impl Client {
    /// One page of users: the first page of a query, or the page behind a
    /// `next` link from a previous page (followed exactly as given, and only
    /// when it points at the org).
    pub async fn list_users_page(&self, from: PageStart<'_>) -> Result<Page<UserRow>, Error> {
        let url = match from {
            PageStart::First(query) => {
                let mut url = self.url("/api/v1/users");
                append(&mut url, &query.params());
                url
            }
            PageStart::Next(url) => url.clone(),
        };
        self.page(url, rows_from_json).await
    }

    /// Every page of `query`, lazily. Dropping the stream stops the work;
    /// after an error the stream ends.
    pub fn list_users(&self, query: UserQuery) -> impl Stream<Item = Result<Page<UserRow>, Error>> + '_ {
        pages(move |next: Option<Url>| {
            let query = query.clone();
            async move {
                match &next {
                    None => self.list_users_page(PageStart::First(&query)).await,
                    Some(url) => self.list_users_page(PageStart::Next(url)).await,
                }
            }
        })
    }

    /// A user by id, login or login shortname, or `me`.
    pub async fn get_user(&self, id_or_login: &str) -> Result<User, Error> {
        self.get_json(self.url_with("/api/v1/users", &[id_or_login])).await
    }

    /// Creates a user. A create is never retried blindly: when the answer is
    /// lost (timeout, connection broken after sending), the login is looked
    /// up and the user returned if the org did create it; otherwise the
    /// original error is returned.
    pub async fn create_user(&self, create: &CreateUser) -> Result<User, Error> {
        create.validate()?;
        let mut url = self.url("/api/v1/users");
        append(&mut url, &create.query());
        let request = Request::new(Method::POST, url).json(&create.body());
        let Some(login) = create.login() else { return self.send_json::<User>(&request).await };
        match self.send_json::<User>(&request).await {
            Err(e) if is_ambiguous(&e) => match self.find_created(login).await {
                Found::Yes(user) => Ok(user),
                // The connection died and the org has no such user: it never
                // made it, so sending once more is safe. Should the first
                // land late after all, Okta's unique logins refuse one of
                // the two, and the lookup below finds the survivor.
                Found::No if matches!(e.root(), Error::Network(_)) => {
                    tracing::info!("create lost with the connection and not on the org; sending it once more");
                    match self.send_json::<User>(&request).await {
                        Err(again) if login_taken(&again) => match self.find_created(login).await {
                            Found::Yes(user) => Ok(user),
                            _ => Err(again),
                        },
                        other => other,
                    }
                }
                // A timeout may still be at work on the org: never resend.
                Found::No | Found::Unknown => Err(e),
            },
            other => other,
        }
    }

    async fn find_created(&self, login: &str) -> Found {
        match self.resolve_ambiguous_create(login).await {
            Ok(Some(user)) => Found::Yes(user),
            Ok(None) => Found::No,
            Err(_) => Found::Unknown,
        }
    }

    /// The user with `login`, `None` when the org says there is none, an
    /// error when it could not be asked.
    async fn resolve_ambiguous_create(&self, login: &str) -> Result<Option<User>, Error> {
        tracing::info!("create answer lost; looking the login up");
        let matches = |user: &User| user.login().eq_ignore_ascii_case(login);
        // Logins holding `/` cannot be fetched by login, only filtered.
        if login.contains('/') {
            let query = UserQuery {
                filter: Some(format!("profile.login eq \"{}\"", login.replace('"', "\\\""))),
                ..UserQuery::default()
            };
            let page = self.list_users_page(PageStart::First(&query)).await?;
            return match page.items.first() {
                Some(row) => self.get_user(row.id()).await.map(|u| matches(&u).then_some(u)),
                None => Ok(None),
            };
        }
        match self.get_user(login).await {
            Ok(user) => Ok(matches(&user).then_some(user)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Partial update (`POST`): only the given profile attributes change.
    pub async fn update_user(&self, id: &str, profile: &Map<String, Value>) -> Result<User, Error> {
        let request =
            Request::new(Method::POST, self.url_with("/api/v1/users", &[id])).json(&json!({ "profile": profile }));
        self.send_json(&request).await
    }

    /// Full replace (`PUT`): attributes not given are removed.
    pub async fn replace_user(&self, id: &str, profile: &Map<String, Value>) -> Result<User, Error> {
        let request =
            Request::new(Method::PUT, self.url_with("/api/v1/users", &[id])).json(&json!({ "profile": profile }));
        self.send_json(&request).await
    }
}

/// The answer may have been lost after the org acted on the request.
/// What a lookup after a lost create answer found.
enum Found {
    Yes(User),
    No,
    Unknown,
}

/// Okta's answer to a second create of a login that exists.
fn login_taken(e: &Error) -> bool {
    e.api().is_some_and(|api| {
        api.is_code("E0000001")
            && api.field_causes().iter().any(|(f, m)| *f == Some("login") && m.contains("already exists"))
    })
}

fn is_ambiguous(e: &Error) -> bool {
    matches!(e.root(), Error::Timeout(_) | Error::Network(_))
}

pub(crate) fn append(url: &mut Url, params: &[(&str, String)]) {
    if params.is_empty() {
        return;
    }
    let mut pairs = url.query_pairs_mut();
    for (k, v) in params {
        pairs.append_pair(k, v);
    }
}
