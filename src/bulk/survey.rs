//! Making the plan: the operation resolved against the org (the group
//! found, the values checked against the profile schema), the selection
//! paged in full (the count comes from paging, never from a guess), each
//! user decided, and the duration estimated from the rate budget. Only
//! reads are sent.

use super::Error;
use super::action::Action;
use super::operation::{Operation, lifecycle_name};
use super::plan::{Decision, Facts, Plan, Unit, decide};
use crate::okta::{
    AttributeKind, Client, Group, GroupQuery, LifecycleOp, PageStart, SchemaAttribute, User, UserQuery, UserStatus,
};
use futures::stream::{self, StreamExt};
use reqwest::Method;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Users per page: Okta's maximum for `/api/v1/users`.
const PAGE_SIZE: u32 = 200;

/// Which users a job acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Search(String),
    Filter(String),
    /// A file of user ids, one a line.
    Ids(PathBuf),
    /// A file of logins, one a line.
    Logins(PathBuf),
    /// Users by id, picked one by one (in the TUI).
    Listed(Vec<String>),
}

impl Selection {
    pub fn describe(&self) -> String {
        match self {
            Selection::Search(s) => format!("search: {s}"),
            Selection::Filter(f) => format!("filter: {f}"),
            Selection::Ids(p) => format!("ids from {}", p.display()),
            Selection::Logins(p) => format!("logins from {}", p.display()),
            Selection::Listed(ids) => format!("{} users picked", crate::display::thousands(ids.len() as u64)),
        }
    }
}

/// The plan, its units (one per user, in the order found) and the action.
pub struct Surveyed {
    pub plan: Plan,
    pub units: Vec<Unit>,
    pub action: Action,
}

/// Surveys the org for `operation` on `selection`. `client` sends at job
/// priority; `parallel` users are read at once from an id or login file.
pub async fn survey(
    client: &Client,
    operation: &Operation,
    selection: &Selection,
    parallel: usize,
) -> Result<Surveyed, Error> {
    let mut facts = Facts::default();
    let action = resolve(client, operation, &mut facts).await?;
    let started = Instant::now();
    let (users, missing, requests) = select(client, selection, parallel).await?;
    let latency = started.elapsed().checked_div(requests.max(1)).unwrap_or_default();
    if let Action::Lifecycle { .. } = action {
        facts.offered = offered_by_status(client, &users).await?;
    }
    if action.cuts_access() {
        // A service app's token has no user behind it: nobody to leave out.
        facts.me = client.get_user("me").await.ok().map(|me| me.id().to_owned());
    }
    // A group given by id (as the TUI's picker gives it) is named as found.
    let asked = match &action {
        Action::AddToGroup { group_name, .. } | Action::RemoveFromGroup { group_name, .. } => {
            format!("{} {group_name}", operation.name())
        }
        _ => operation.to_string(),
    };
    let mut plan = Plan::new(asked, selection.describe(), operation.is_destructive());
    let mut units = Vec::with_capacity(users.len() + missing.len());
    for user in &users {
        let decision = decide(&action, &facts, user);
        plan.count(user.login(), &decision);
        if decision == Decision::Change {
            plan.writes += action.writes_for(user.status());
        }
        units.push(Unit { id: user.id().to_owned(), login: user.login().to_owned(), status: user.status(), decision });
    }
    for wanted in missing {
        let decision = Decision::Skip("no such user in the org".into());
        plan.count(&wanted, &decision);
        units.push(Unit { id: wanted.clone(), login: wanted, status: None, decision });
    }
    plan.estimate = Some(estimate(client, &action, plan.writes, latency, parallel));
    Ok(Surveyed { plan, units, action })
}

async fn resolve(client: &Client, operation: &Operation, facts: &mut Facts) -> Result<Action, Error> {
    Ok(match operation {
        Operation::Lifecycle(op) => {
            Action::Lifecycle { name: lifecycle_name(*op).unwrap_or(op.rel()).to_owned(), send_email: None }
        }
        Operation::AddToGroup(wanted) | Operation::RemoveFromGroup(wanted) => {
            let group = find_group(client, wanted).await?;
            let (group_id, group_name) = (group.id().to_owned(), group.name().to_owned());
            if group.kind() != "OKTA_GROUP" {
                facts.group_refused = Some(format!(
                    "{group_name} is an {} group: its members are managed by {}, not by an admin",
                    group.kind(),
                    if group.kind() == "APP_GROUP" { "its app" } else { "Okta" }
                ));
            } else {
                facts.members = client.group_member_ids(&group_id).await.map_err(Error::Org)?.into_iter().collect();
            }
            if matches!(operation, Operation::AddToGroup(_)) {
                Action::AddToGroup { group_id, group_name }
            } else {
                Action::RemoveFromGroup { group_id, group_name }
            }
        }
        Operation::Set(pairs) => {
            let changes = check_against_schemas(client, pairs, facts).await?;
            Action::Set { changes }
        }
        Operation::ClearSessions => Action::ClearSessions,
    })
}

/// A group by exact name (case-insensitive) or by id.
async fn find_group(client: &Client, wanted: &str) -> Result<Group, Error> {
    let query = GroupQuery { q: Some(wanted.to_owned()), ..GroupQuery::default() };
    let page = client.list_groups_page(PageStart::First(&query)).await.map_err(Error::Org)?;
    let named: Vec<Group> = page.items.into_iter().filter(|g| g.name().eq_ignore_ascii_case(wanted)).collect();
    match named.len() {
        1 => return named.into_iter().next().ok_or_else(|| Error::Invalid("no group".into())),
        0 => {}
        n => {
            return Err(Error::Invalid(format!(
                "{n} groups are named {wanted:?}: give the group's id instead ({})",
                named.iter().map(Group::id).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    match client.get_group(wanted).await {
        Ok(group) => Ok(group),
        Err(e) if matches!(e.status(), Some(404 | 400)) => {
            Err(Error::Invalid(format!("there is no group named {wanted:?} and none has that id")))
        }
        Err(e) => Err(Error::Org(e)),
    }
}

/// Each value typed and checked against the default user type's schema
/// (unknown attribute, wrong type, not one of the allowed values: refused
/// before anything is sent); types whose schema makes an attribute
/// read-only, or lacks it, have their users skipped.
async fn check_against_schemas(
    client: &Client,
    pairs: &[(String, String)],
    facts: &mut Facts,
) -> Result<Map<String, Value>, Error> {
    let types = client.list_user_types().await.map_err(Error::Org)?;
    let mut schemas = Vec::new();
    for t in &types {
        let id = t.schema_id().unwrap_or_else(|| "default".into());
        let schema = client.get_user_schema(&id).await.map_err(Error::Org)?;
        schemas.push((t.clone(), schema.attributes()));
    }
    if schemas.is_empty() {
        let schema = client.get_user_schema("default").await.map_err(Error::Org)?;
        return typed_changes(pairs, &schema.attributes());
    }
    let main = schemas.iter().position(|(t, _)| t.default()).unwrap_or(0);
    let changes = typed_changes(pairs, &schemas[main].1)?;
    for (t, attributes) in &schemas {
        if let Some(why) = refusal(pairs, t.name(), attributes) {
            facts.type_refused.insert(t.id().to_owned(), why);
        }
    }
    Ok(changes)
}

/// Why users of the type `type_name` cannot take the change, if they
/// cannot: an attribute its schema lacks, makes read-only, or lets be set
/// only at creation (`IMMUTABLE`). Pure.
pub fn refusal(pairs: &[(String, String)], type_name: &str, attributes: &[SchemaAttribute]) -> Option<String> {
    pairs.iter().find_map(|(name, _)| match attributes.iter().find(|a| &a.name == name) {
        None => Some(format!("profile.{name} is not in the schema of user type {type_name}")),
        Some(a) if a.read_only => Some(format!("profile.{name} is read-only for user type {type_name}")),
        Some(a) if a.immutable => Some(format!("profile.{name} is set only when a user is created ({type_name})")),
        Some(_) => None,
    })
}

/// The values as the schema types them. Pure.
pub fn typed_changes(pairs: &[(String, String)], attributes: &[SchemaAttribute]) -> Result<Map<String, Value>, Error> {
    let mut changes = Map::new();
    for (name, text) in pairs {
        let Some(attribute) = attributes.iter().find(|a| &a.name == name) else {
            return Err(Error::Invalid(format!("profile.{name} is not an attribute of the org's user profile")));
        };
        if attribute.unique {
            return Err(Error::Invalid(format!(
                "profile.{name} is unique to each user, and set gives every user the same value: change it one user \
                 at a time, or import a file with a value per user"
            )));
        }
        let value = if text.is_empty() { Value::Null } else { typed(name, text, &attribute.kind)? };
        if !attribute.enum_values.is_empty() && !value.is_null() {
            let allowed = |v: &Value| attribute.enum_values.iter().any(|(e, _)| e == v);
            let ok = match &value {
                Value::Array(items) => items.iter().all(allowed),
                single => allowed(single),
            };
            if !ok {
                let names: Vec<String> = attribute.enum_values.iter().map(|(v, _)| v.to_string()).collect();
                return Err(Error::Invalid(format!("profile.{name} must be one of {}", names.join(", "))));
            }
        }
        changes.insert(name.clone(), value);
    }
    Ok(changes)
}

fn typed(name: &str, text: &str, kind: &AttributeKind) -> Result<Value, Error> {
    let wrong = |what: &str| Error::Invalid(format!("profile.{name} takes {what}, and {text:?} is not one"));
    Ok(match kind {
        AttributeKind::String => Value::String(text.to_owned()),
        AttributeKind::Integer => Value::from(text.trim().parse::<i64>().map_err(|_| wrong("an integer"))?),
        AttributeKind::Number => {
            let n = text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .ok_or_else(|| wrong("a number"))?;
            Value::Number(n)
        }
        AttributeKind::Boolean => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(wrong("true or false")),
        },
        AttributeKind::Array(item) => {
            Value::Array(text.split(',').map(|part| typed(name, part.trim(), item)).collect::<Result<Vec<_>, _>>()?)
        }
    })
}

/// The selected users, what was asked for and not found, and the
/// requests it took.
async fn select(
    client: &Client,
    selection: &Selection,
    parallel: usize,
) -> Result<(Vec<User>, Vec<String>, u32), Error> {
    let query = match selection {
        Selection::Search(s) => UserQuery { search: Some(s.clone()), ..UserQuery::default() },
        Selection::Filter(f) => UserQuery { filter: Some(f.clone()), ..UserQuery::default() },
        Selection::Ids(path) | Selection::Logins(path) => return read_each(client, read_lines(path)?, parallel).await,
        Selection::Listed(ids) => return read_each(client, ids.clone(), parallel).await,
    };
    let mut url = Some(client.url("/api/v1/users"));
    if let Some(first) = url.as_mut() {
        first.query_pairs_mut().extend_pairs(query.with_limit(PAGE_SIZE).params());
    }
    let (mut users, mut requests) = (Vec::new(), 0);
    while let Some(current) = url.take() {
        let page = client.page(current, |body| serde_json::from_slice::<Vec<User>>(body)).await.map_err(Error::Org)?;
        requests += 1;
        users.extend(page.items);
        url = page.next;
    }
    Ok((users, Vec::new(), requests))
}

/// The ids or logins of a file, one a line (`#` starts a comment line).
fn read_lines(path: &std::path::Path) -> Result<Vec<String>, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { what: path.display().to_string(), source })?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect())
}

async fn read_each(
    client: &Client,
    wanted: Vec<String>,
    parallel: usize,
) -> Result<(Vec<User>, Vec<String>, u32), Error> {
    let requests = wanted.len() as u32;
    let mut reads = stream::iter(wanted.into_iter().map(|w| async move {
        let read = client.read_user(&w).await;
        (w, read)
    }))
    .buffered(parallel.max(1));
    let (mut users, mut missing) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    while let Some((wanted, read)) = reads.next().await {
        match read {
            Ok(read) if seen.insert(read.user.id().to_owned()) => users.push(read.user),
            Ok(_) => {}
            Err(e) if e.status() == Some(404) => missing.push(wanted),
            Err(e) => return Err(Error::Org(e)),
        }
    }
    Ok((users, missing, requests))
}

/// The lifecycle operations each status offers, from one user of that
/// status: its own `_links` when it came with them (read by id), else
/// read whole (a listing carries only `self`).
async fn offered_by_status(client: &Client, users: &[User]) -> Result<HashMap<UserStatus, Vec<LifecycleOp>>, Error> {
    let mut offered = HashMap::new();
    for user in users {
        let Some(status) = user.status() else { continue };
        if offered.contains_key(&status) {
            continue;
        }
        let ops = if user.links().iter().any(|l| l.rel != "self") {
            LifecycleOp::offered(user)
        } else {
            match client.read_user(user.id()).await {
                // Its status moved meanwhile: it speaks for another status.
                Ok(read) if read.user.status() == Some(status) => LifecycleOp::offered(&read.user),
                Ok(_) => continue,
                Err(e) if e.status() == Some(404) => continue,
                Err(e) => return Err(Error::Org(e)),
            }
        };
        offered.insert(status, ops);
    }
    Ok(offered)
}

/// How long `writes` take: the windows the rate budget makes them wait
/// for, then the round trips of the last window, `parallel` at a time.
fn estimate(client: &Client, action: &Action, writes: u64, latency: Duration, parallel: usize) -> Duration {
    let (method, path) = action.write_request();
    let budget = client.job_budget(&method, path).or_else(|| client.job_budget(&Method::GET, "/api/v1/users"));
    let trips = |n: u64| latency.mul_f64(n.div_ceil(parallel.max(1) as u64) as f64);
    match budget {
        Some(b) if b.resets_for(writes) > 0 => {
            let resets = b.resets_for(writes);
            let last = writes.saturating_sub(u64::from(b.now) + (resets - 1) * u64::from(b.per_window));
            okta_window() * resets as u32 + trips(last)
        }
        _ => trips(writes),
    }
}

/// Okta's rate-limit window.
fn okta_window() -> Duration {
    Duration::from_secs(60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attribute(name: &str, kind: AttributeKind, values: &[Value]) -> SchemaAttribute {
        SchemaAttribute {
            name: name.into(),
            title: name.into(),
            kind,
            required: false,
            min_length: None,
            max_length: None,
            enum_values: values.iter().map(|v| (v.clone(), v.to_string())).collect(),
            format: None,
            pattern: None,
            custom: false,
            read_only: false,
            immutable: false,
            unique: false,
        }
    }

    #[test]
    fn values_are_typed_and_checked_before_anything_is_sent() {
        let schema = [
            attribute("department", AttributeKind::String, &[]),
            attribute("costCenter", AttributeKind::Integer, &[]),
            attribute("tier", AttributeKind::String, &[json!("gold"), json!("silver")]),
            attribute("remote", AttributeKind::Boolean, &[]),
            SchemaAttribute { unique: true, ..attribute("login", AttributeKind::String, &[]) },
        ];
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect::<Vec<_>>();
        let ok = typed_changes(&pairs(&[("department", "New IT"), ("costCenter", "42"), ("remote", "true")]), &schema)
            .unwrap();
        assert_eq!(Value::Object(ok), json!({"department": "New IT", "costCenter": 42, "remote": true}));
        let err = |list| typed_changes(&pairs(list), &schema).unwrap_err().to_string();
        assert!(err(&[("costCenter", "forty")]).contains("takes an integer"));
        assert!(err(&[("tier", "bronze")]).contains("must be one of \"gold\", \"silver\""));
        assert!(err(&[("nickname2", "x")]).contains("not an attribute"));
        assert!(err(&[("login", "same@example.com")]).contains("unique to each user"), "one login for all clashes");
        assert_eq!(typed_changes(&pairs(&[("tier", "")]), &schema).unwrap()["tier"], Value::Null);
    }

    #[test]
    fn a_type_whose_schema_makes_an_attribute_read_only_or_lacks_it_is_refused() {
        let mut manager = attribute("manager", AttributeKind::String, &[]);
        manager.read_only = true;
        let mut employee_number = attribute("employeeNumber", AttributeKind::String, &[]);
        employee_number.immutable = true;
        let schema = [attribute("department", AttributeKind::String, &[]), manager, employee_number];
        let pairs = |name: &str| vec![(name.to_owned(), "x".to_owned())];
        assert_eq!(refusal(&pairs("department"), "user", &schema), None);
        assert_eq!(
            refusal(&pairs("manager"), "user", &schema).as_deref(),
            Some("profile.manager is read-only for user type user")
        );
        assert_eq!(
            refusal(&pairs("employeeNumber"), "user", &schema).as_deref(),
            Some("profile.employeeNumber is set only when a user is created (user)")
        );
        assert_eq!(
            refusal(&pairs("costCenter"), "contractor", &schema).as_deref(),
            Some("profile.costCenter is not in the schema of user type contractor")
        );
    }
}
