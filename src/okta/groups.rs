//! Groups: list and search (paged like users), a user's groups, membership.

use super::client::{Client, PageStart};
use super::error::Error;
use super::object::lossless_object;
use super::paging::{Page, pages};
use super::transport::Request;
use super::users::append;
use futures::Stream;
use reqwest::{Method, Url};
use std::fmt;

lossless_object!(
    /// A group, losslessly.
    Group
);

impl fmt::Debug for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Group").field("id", &self.id()).field("name", &self.name()).finish()
    }
}

impl Group {
    pub fn id(&self) -> &str {
        self.str_at("id").unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        self.profile_str("name").unwrap_or_default()
    }

    pub fn description(&self) -> Option<&str> {
        self.profile_str("description")
    }

    /// `OKTA_GROUP`, `APP_GROUP` or `BUILT_IN`.
    pub fn kind(&self) -> &str {
        self.str_at("type").unwrap_or_default()
    }

    pub fn created(&self) -> Option<&str> {
        self.str_at("created")
    }

    pub fn last_updated(&self) -> Option<&str> {
        self.str_at("lastUpdated")
    }

    pub fn last_membership_updated(&self) -> Option<&str> {
        self.str_at("lastMembershipUpdated")
    }

    fn profile_str(&self, key: &str) -> Option<&str> {
        self.0.get("profile")?.get(key)?.as_str()
    }
}

/// Parameters of `GET /api/v1/groups`. `q` (name prefix) is not paged by
/// Okta; `search` is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupQuery {
    pub q: Option<String>,
    pub search: Option<String>,
    pub limit: Option<u32>,
}

impl GroupQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(q) = self.q.as_ref().filter(|s| !s.is_empty()) {
            out.push(("q", q.clone()));
        }
        if let Some(s) = self.search.as_ref().filter(|s| !s.is_empty()) {
            out.push(("search", s.clone()));
        }
        if let Some(limit) = self.limit {
            out.push(("limit", limit.to_string()));
        }
        out
    }
}

impl Client {
    pub async fn list_groups_page(&self, from: PageStart<'_, GroupQuery>) -> Result<Page<Group>, Error> {
        let url = match from {
            PageStart::First(query) => {
                let mut url = self.url("/api/v1/groups");
                append(&mut url, &query.params());
                url
            }
            PageStart::Next(url) => url.clone(),
        };
        self.page(url, |body| serde_json::from_slice(body)).await
    }

    /// Every page of `query`, lazily; dropping the stream stops the work.
    pub fn list_groups(&self, query: GroupQuery) -> impl Stream<Item = Result<Page<Group>, Error>> + '_ {
        pages(move |next: Option<Url>| {
            let query = query.clone();
            async move {
                match &next {
                    None => self.list_groups_page(PageStart::First(&query)).await,
                    Some(url) => self.list_groups_page(PageStart::Next(url)).await,
                }
            }
        })
    }

    /// All groups the user belongs to (every page).
    pub async fn user_groups(&self, user_id: &str) -> Result<Vec<Group>, Error> {
        self.all_pages(self.url_with("/api/v1/users", &[user_id, "groups"])).await
    }

    /// A group by id.
    pub async fn get_group(&self, group_id: &str) -> Result<Group, Error> {
        self.get_json(self.url_with("/api/v1/groups", &[group_id])).await
    }

    /// The ids of all the group's members (every page).
    pub async fn group_member_ids(&self, group_id: &str) -> Result<Vec<String>, Error> {
        let mut ids = Vec::new();
        let mut url = Some(self.url_with("/api/v1/groups", &[group_id, "users"]));
        while let Some(current) = url.take() {
            let page = self.page(current, super::row::rows_from_json).await?;
            ids.extend(page.items.iter().map(|row| row.id().to_owned()));
            url = page.next;
        }
        Ok(ids)
    }

    /// Adds the user to an `OKTA_GROUP` (idempotent).
    pub async fn add_user_to_group(&self, group_id: &str, user_id: &str) -> Result<(), Error> {
        let url = self.url_with("/api/v1/groups", &[group_id, "users", user_id]);
        self.send(&Request::new(Method::PUT, url)).await.map(drop)
    }

    pub async fn remove_user_from_group(&self, group_id: &str, user_id: &str) -> Result<(), Error> {
        let url = self.url_with("/api/v1/groups", &[group_id, "users", user_id]);
        self.send(&Request::new(Method::DELETE, url)).await.map(drop)
    }
}
