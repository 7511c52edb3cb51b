//! What an import needs to know of the org, read before anything is
//! written: its user types with their schemas, its groups, the users that
//! already hold the file's logins, and who is in the groups the file names.
//!
//! Looking the logins up costs the most. One `GET /api/v1/users/{login}`
//! per row would spend 10,000 requests on a 10,000-row file; a `search`
//! of [`LOGINS_PER_SEARCH`] logins joined by `or` answers the same in 200
//! (in the users bucket, at job priority), whatever the size of the org,
//! where listing the whole org costs one request per 200 of its users.

use crate::okta::{Client, Error, Group, GroupQuery, SchemaAttribute, User, UserQuery};
use futures::StreamExt;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Logins per `search`: each answer fits one page (200), and the URL stays
/// a few kilobytes long.
pub const LOGINS_PER_SEARCH: usize = 50;

/// A user type with the attributes of its schema.
#[derive(Debug, Clone)]
pub struct TypeFacts {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub default: bool,
    pub attributes: Vec<SchemaAttribute>,
    /// Attributes the schema marks `unique`.
    pub unique: Vec<String>,
}

/// The org as the import sees it.
#[derive(Debug, Clone, Default)]
pub struct OrgFacts {
    pub types: Vec<TypeFacts>,
    pub groups: Vec<Group>,
}

impl OrgFacts {
    pub async fn load(client: &Client) -> Result<Self, Error> {
        let mut types = Vec::new();
        for t in client.list_user_types().await? {
            let schema = client.get_user_schema(t.schema_id().as_deref().unwrap_or("default")).await?;
            let unique = unique_attributes(schema.json());
            types.push(TypeFacts {
                id: t.id().to_owned(),
                name: t.name().to_owned(),
                display_name: t.display_name().to_owned(),
                default: t.default(),
                attributes: schema.attributes(),
                unique,
            });
        }
        let mut groups = Vec::new();
        let mut pages = std::pin::pin!(client.list_groups(GroupQuery { limit: Some(200), ..GroupQuery::default() }));
        while let Some(page) = pages.next().await {
            groups.extend(page?.items);
        }
        Ok(Self { types, groups })
    }

    pub fn default_type(&self) -> Option<&TypeFacts> {
        self.types.iter().find(|t| t.default).or(self.types.first())
    }

    /// Every attribute name some user type knows, each once, in schema order.
    pub fn attribute_names(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.types
            .iter()
            .flat_map(|t| &t.attributes)
            .filter(|a| seen.insert(a.name.clone()))
            .map(|a| a.name.clone())
            .collect()
    }
}

fn unique_attributes(schema: &serde_json::Map<String, Value>) -> Vec<String> {
    let definitions = schema.get("definitions");
    ["base", "custom"]
        .iter()
        .filter_map(|part| definitions?.get(*part)?.get("properties")?.as_object())
        .flat_map(|props| props.iter())
        .filter(|(_, p)| match p.get("unique") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s != "NOT_UNIQUE",
            _ => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The users holding `logins` (compared without case, as Okta does), by
/// lowercased login.
pub async fn users_by_login(client: &Client, logins: &[String]) -> Result<HashMap<String, User>, Error> {
    let mut found = HashMap::new();
    for chunk in logins.chunks(LOGINS_PER_SEARCH) {
        let search = chunk
            .iter()
            .map(|l| format!("profile.login eq \"{}\"", l.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(" or ");
        let query = UserQuery { search: Some(search), limit: Some(200), ..UserQuery::default() };
        let mut url = client.url("/api/v1/users");
        for (key, value) in query.params() {
            url.query_pairs_mut().append_pair(key, &value);
        }
        let mut next = Some(url);
        while let Some(url) = next.take() {
            let page = client.page(url, |body| serde_json::from_slice::<Vec<User>>(body)).await?;
            for user in page.items {
                found.insert(user.login().to_lowercase(), user);
            }
            next = page.next;
        }
    }
    Ok(found)
}

/// The ids of the members of each group in `group_ids`.
pub async fn members(
    client: &Client,
    group_ids: &BTreeSet<String>,
) -> Result<HashMap<String, BTreeSet<String>>, Error> {
    let mut out = HashMap::new();
    for gid in group_ids {
        let mut url = client.url_with("/api/v1/groups", &[gid, "users"]);
        url.query_pairs_mut().append_pair("limit", "200");
        let users: Vec<Value> = client.all_pages(url).await?;
        let ids = users.iter().filter_map(|u| u.get("id").and_then(Value::as_str)).map(str::to_owned).collect();
        out.insert(gid.clone(), ids);
    }
    Ok(out)
}
