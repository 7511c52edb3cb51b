//! Groups (API-NOTES §6.3, §6.4): listing with `q`/`search`/paging, one
//! group, a user's groups (everyone is in the built-in `Everyone`), a
//! group's members, and adding/removing members.

use super::error::OktaError;
use super::users::lookup_id;
use super::{Base, JsonBody, Params, links};
use crate::emulator::Org;
use crate::emulator::ids::{UserId, format_millis, now_millis};
use crate::emulator::query::Cursor;
use crate::emulator::record::RenderCtx;
use crate::emulator::store::{Group, GroupKind};
use crate::emulator::syslog::event::{GROUP_ADD, GROUP_CREATE, GROUP_DELETE, GROUP_REMOVE};
use crate::emulator::syslog::record::{Audit, Draft, group_target};
use crate::expr::{self, Collection, Matcher, Mode};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

const LOGO: &str = "https://ok12static.oktacdn.com/assets/img/logos/groups/odyssey/okta";

pub fn group_json(g: &Group, base: &str) -> Value {
    json!({
        "id": g.id,
        "created": format_millis(g.created),
        "lastUpdated": format_millis(g.last_updated),
        "lastMembershipUpdated": format_millis(g.last_membership_updated),
        "objectClass": ["okta:user_group"],
        "type": g.kind.as_str(),
        "profile": { "name": g.name, "description": g.description },
        "_links": {
            "logo": [
                { "name": "medium", "href": format!("{LOGO}-medium.png"), "type": "image/png" },
                { "name": "large", "href": format!("{LOGO}-large.png"), "type": "image/png" },
            ],
            "users": { "href": format!("{base}/api/v1/groups/{}/users", g.id) },
            "apps": { "href": format!("{base}/api/v1/groups/{}/apps", g.id) },
        },
    })
}

fn limit(params: &Params, default: usize, max: usize) -> Result<usize, OktaError> {
    match params.get("limit") {
        None | Some("") => Ok(default),
        Some(l) => {
            l.trim().parse::<i64>().map(|n| n.clamp(1, max as i64) as usize).map_err(|_| OktaError::invalid_limit(l))
        }
    }
}

fn group_cursor(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("g{id}"))
}

fn decode_group_cursor(s: &str) -> Option<String> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
    raw.strip_prefix('g').filter(|id| crate::emulator::ids::is_okta_id("00g", id)).map(str::to_owned)
}

pub async fn list(State(org): State<Arc<Org>>, Base(base): Base, params: Params) -> Result<Response, OktaError> {
    let q = params.get("q").map(str::to_lowercase);
    let (text, mode) = match (params.get("search"), params.get("filter")) {
        (Some(_), Some(_)) => return Err(OktaError::search_and_filter()),
        (Some(s), None) => (Some(s), Mode::Search),
        (None, f) => (f, Mode::Filter),
    };
    let search = match text {
        Some(s) => {
            let e =
                expr::parse_for(s, mode, Collection::Groups).map_err(|e| OktaError::invalid_search(&e.to_string()))?;
            Some(Matcher::new(&e, mode))
        }
        None => None,
    };
    // `q` does not page, and its default limit is 300 (API-NOTES §6.3).
    let limit = limit(&params, if q.is_some() { 300 } else { 10_000 }, 10_000)?;
    let after = match params.get("after") {
        Some(a) => Some(decode_group_cursor(a).ok_or_else(OktaError::invalid_cursor)?),
        None => None,
    };
    let store = org.read();
    let mut page = Vec::new();
    let mut more = false;
    for g in store.groups().filter(|g| after.as_ref().is_none_or(|a| g.id.as_str() > a.as_str())) {
        let hit = match (&q, &search) {
            (Some(q), _) => g.name.to_lowercase().starts_with(q.as_str()),
            (None, Some(m)) => m.matches(g),
            (None, None) => true,
        };
        if !hit {
            continue;
        }
        if page.len() == limit {
            more = true;
            break;
        }
        page.push(g);
    }
    let next = if more && q.is_none() { page.last().map(|g| group_cursor(&g.id)) } else { None };
    let body: Vec<Value> = page.iter().map(|g| group_json(g, &base)).collect();
    drop(store);
    let mut response = Json(Value::Array(body)).into_response();
    if q.is_none() {
        links::add(&mut response, &format!("{base}/api/v1/groups"), &params, limit, next.as_deref());
    }
    Ok(response)
}

fn find_group<'a>(store: &'a crate::emulator::store::Store, gid: &str) -> Result<&'a Group, OktaError> {
    store.group(gid).ok_or_else(|| OktaError::not_found(gid, "UserGroup"))
}

pub async fn get(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(gid): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let store = org.read();
    Ok(Json(group_json(find_group(&store, &gid)?, &base)))
}

#[derive(Debug, Default, Deserialize)]
pub struct GroupBody {
    profile: Option<GroupProfile>,
}

#[derive(Debug, Default, Deserialize)]
struct GroupProfile {
    name: Option<String>,
    description: Option<String>,
}

pub async fn create(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    JsonBody(body): JsonBody<GroupBody>,
) -> Result<Json<Value>, OktaError> {
    let profile = body.profile.unwrap_or_default();
    let name = profile.name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(OktaError::validation(
            "profile",
            &[crate::emulator::schema::Cause::field("name", "The field cannot be left blank")],
        ));
    }
    let mut store = org.write();
    if store.group_by_name(&name).is_some() {
        return Err(OktaError::validation(
            "profile",
            &[crate::emulator::schema::Cause::field(
                "name",
                "An object with this field already exists in the current organization",
            )],
        ));
    }
    let now = now_millis();
    let group = Group {
        id: store.new_id("00g"),
        name,
        description: profile.description.unwrap_or_default(),
        kind: GroupKind::OktaGroup,
        created: now,
        last_updated: now,
        last_membership_updated: now,
    };
    store.insert_group(group.clone())?;
    audit.record(&mut store, vec![Draft::group(&GROUP_CREATE, &group)])?;
    Ok(Json(group_json(&group, &base)))
}

pub async fn delete(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path(gid): Path<String>,
) -> Result<StatusCode, OktaError> {
    let mut store = org.write();
    let group = find_group(&store, &gid)?.clone();
    if group.kind == GroupKind::BuiltIn {
        return Err(OktaError::forbidden().with_cause("The built-in Everyone group cannot be deleted."));
    }
    store.remove_group(&gid)?;
    audit.record(&mut store, vec![Draft::group(&GROUP_DELETE, &group)])?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn of_user(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(key): Path<String>,
    params: Params,
) -> Result<Response, OktaError> {
    let store = org.read();
    let id = lookup_id(&store, &key)?;
    let body: Vec<Value> = store.groups_of(&id).into_iter().map(|g| group_json(g, &base)).collect();
    drop(store);
    let mut response = Json(Value::Array(body)).into_response();
    links::add(&mut response, &format!("{base}/api/v1/users/{id}/groups"), &params, 200, None);
    Ok(response)
}

pub async fn members(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(gid): Path<String>,
    params: Params,
) -> Result<Response, OktaError> {
    let limit = limit(&params, 1000, 10_000)?;
    let after = match params.get("after") {
        Some(a) => Some(Cursor::decode(a).filter(|c| c.key.is_none()).ok_or_else(OktaError::invalid_cursor)?.id),
        None => None,
    };
    let store = org.read();
    let group = find_group(&store, &gid)?;
    let ids: Box<dyn Iterator<Item = UserId>> = match store.explicit_members(group) {
        Some(set) => Box::new(set.iter().copied().filter(move |id| after.is_none_or(|a| *id > a))),
        None => Box::new(store.users_after(after.as_ref()).map(|u| u.id())),
    };
    let mut page: Vec<UserId> = Vec::new();
    let mut more = false;
    for id in ids {
        if page.len() == limit {
            more = true;
            break;
        }
        page.push(id);
    }
    let ctx = RenderCtx { base: &base, full_links: false, schema_id: "" };
    let body: Vec<Value> = page.iter().filter_map(|id| store.user(id)).map(|u| u.record().to_json(&ctx)).collect();
    let next = if more { page.last().map(|id| Cursor { id: *id, key: None }.encode()) } else { None };
    drop(store);
    let mut response = Json(Value::Array(body)).into_response();
    links::add(&mut response, &format!("{base}/api/v1/groups/{gid}/users"), &params, limit, next.as_deref());
    Ok(response)
}

/// The spec lists only 403 and 404 for membership changes and documents no
/// code for these refusals: Okta's permission error, saying why.
fn membership_refused(why: &str) -> OktaError {
    OktaError::new(
        StatusCode::FORBIDDEN,
        "E0000006",
        format!(
            "You do not have permission to perform the requested action: {why}, so membership cannot be changed here"
        ),
    )
}

async fn set_membership(org: &Org, audit: &Audit, gid: &str, key: &str, member: bool) -> Result<StatusCode, OktaError> {
    let mut store = org.write();
    let group = find_group(&store, gid)?.clone();
    let kind = group.kind;
    let uid = lookup_id(&store, key)?;
    match kind {
        GroupKind::BuiltIn => return Err(membership_refused("every user is in the built-in Everyone group")),
        GroupKind::AppGroup => {
            return Err(membership_refused("the app that imports an APP_GROUP manages its members"));
        }
        GroupKind::OktaGroup => {}
    }
    // A membership that was already so is no change, and no event.
    if store.set_member(gid, uid, member, now_millis())?
        && let Some(user) = store.user(&uid).map(|u| u.record().into_owned())
    {
        let kind = if member { &GROUP_ADD } else { &GROUP_REMOVE };
        audit.record(&mut store, vec![Draft::user(kind, &user).with_target(group_target(&group))])?;
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_member(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path((gid, uid)): Path<(String, String)>,
) -> Result<StatusCode, OktaError> {
    set_membership(&org, &audit, &gid, &uid, true).await
}

pub async fn remove_member(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path((gid, uid)): Path<(String, String)>,
) -> Result<StatusCode, OktaError> {
    set_membership(&org, &audit, &gid, &uid, false).await
}
