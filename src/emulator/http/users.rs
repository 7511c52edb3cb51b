//! Reading users: the listing (plain, `q`, `filter`, `search`) and one user
//! by id, login, shortname or `me`.

use super::error::OktaError;
use super::etag::etag;
use super::{Base, Params, links};
use crate::emulator::Org;
use crate::emulator::ids::UserId;
use crate::emulator::query::{Cursor, DEFAULT_Q_LIMIT, Fields, MAX_LIMIT, Selection, SortOrder, page_by_id};
use crate::emulator::record::{RenderCtx, UserRecord};
use crate::emulator::store::{Store, UserRef};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

fn parse_limit(params: &Params, default: usize) -> Result<usize, OktaError> {
    match params.get("limit") {
        None | Some("") => Ok(default),
        Some(l) => l
            .trim()
            .parse::<i64>()
            .map(|n| n.clamp(1, MAX_LIMIT as i64) as usize)
            .map_err(|_| OktaError::invalid_limit(l)),
    }
}

pub async fn list(State(org): State<Arc<Org>>, Base(base): Base, params: Params) -> Result<Response, OktaError> {
    let selection = Selection::from_params(params.get("q"), params.get("filter"), params.get("search"))?;
    let is_q = matches!(selection, Selection::Q(_));
    let limit = parse_limit(&params, if is_q { DEFAULT_Q_LIMIT } else { MAX_LIMIT })?;
    let sort_by = params.get("sortBy").filter(|s| !s.is_empty() && params.get("search").is_some());
    let order = match params.get("sortOrder").map(str::to_ascii_lowercase).as_deref() {
        Some("desc") => SortOrder::Desc,
        _ => SortOrder::Asc,
    };
    let after = match params.get("after") {
        None => None,
        Some(a) => {
            let cursor = Cursor::decode(a).ok_or_else(OktaError::invalid_cursor)?;
            if cursor.key.is_some() != sort_by.is_some() {
                return Err(OktaError::invalid_cursor());
            }
            Some(cursor)
        }
    };
    let fields = params.get("fields").map(Fields::parse);
    let store = org.read();
    let page = match sort_by {
        Some(attr) => org.searches.page_sorted(&store, &selection, attr, order, after.as_ref(), limit),
        None => page_by_id(&store, &selection, after.as_ref(), limit),
    };
    let ctx = RenderCtx { base: &base, full_links: false, schema_id: "" };
    let users: Vec<Value> = page
        .ids
        .iter()
        .filter_map(|id| store.user(id))
        .map(|u| {
            let json = u.record().to_json(&ctx);
            match &fields {
                Some(f) => f.apply(json),
                None => json,
            }
        })
        .collect();
    drop(store);
    let mut response = Json(Value::Array(users)).into_response();
    // `q` does not page (API-NOTES §1.1): no next link, whatever remains.
    let next = if is_q { None } else { page.next.map(|c| c.encode()) };
    links::add(&mut response, &format!("{base}/api/v1/users"), &params, limit, next.as_deref());
    Ok(response)
}

/// Finds a user by id, login, shortname or `me`.
pub fn lookup<'a>(store: &'a Store, key: &str) -> Result<UserRef<'a>, OktaError> {
    let user = if key == "me" { store.admin_id.and_then(|id| store.user(&id)) } else { store.find_user(key) };
    user.ok_or_else(|| OktaError::user_not_found(key))
}

pub fn lookup_id(store: &Store, key: &str) -> Result<UserId, OktaError> {
    lookup(store, key).map(|u| u.id())
}

/// A single user as Okta answers it: full links and an `ETag`.
pub fn single(store: &Store, base: &str, user: &UserRecord) -> Response {
    let schema_id = store.schema_id_for(&user.type_id);
    let json = user.to_json(&RenderCtx { base, full_links: true, schema_id: &schema_id });
    let mut response = Json(json).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(user)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

pub async fn get(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(key): Path<String>,
) -> Result<Response, OktaError> {
    let store = org.read();
    let user = lookup(&store, &key)?.record().into_owned();
    Ok(single(&store, &base, &user))
}

/// Sub-resources the org keeps empty (grants).
pub async fn empty_list(State(org): State<Arc<Org>>, Path(key): Path<String>) -> Result<Json<Value>, OktaError> {
    lookup_id(&org.read(), &key)?;
    Ok(Json(Value::Array(Vec::new())))
}
