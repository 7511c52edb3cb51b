//! User types and the user schema (API-NOTES §6.1, §6.2).

use super::error::OktaError;
use super::{Base, JsonBody};
use crate::emulator::Org;
use crate::emulator::ids::{format_millis, now_millis};
use crate::emulator::schema::Cause;
use crate::emulator::store::UserType;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

fn type_json(t: &UserType, base: &str, admin: &str) -> Value {
    json!({
        "id": t.id,
        "displayName": t.display_name,
        "name": t.name,
        "description": t.description,
        "createdBy": admin,
        "lastUpdatedBy": admin,
        "created": format_millis(t.created),
        "lastUpdated": format_millis(t.last_updated),
        "default": t.default,
        "_links": {
            "schema": { "rel": "schema", "href": format!("{base}/api/v1/meta/schemas/user/{}", t.schema_id), "method": "GET" },
            "self": { "rel": "self", "href": format!("{base}/api/v1/meta/types/user/{}", t.id), "method": "GET" },
        },
    })
}

fn admin(org: &Org) -> String {
    org.read().admin_id.map(|a| a.to_string()).unwrap_or_default()
}

pub async fn list_types(State(org): State<Arc<Org>>, Base(base): Base) -> Json<Value> {
    let admin = admin(&org);
    let store = org.read();
    Json(Value::Array(store.user_types().iter().map(|t| type_json(t, &base, &admin)).collect()))
}

pub async fn get_type(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(tid): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let admin = admin(&org);
    let store = org.read();
    let t = store.user_type(&tid).ok_or_else(|| OktaError::not_found(&tid, "UserType"))?;
    Ok(Json(type_json(t, &base, &admin)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeBody {
    name: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
}

pub async fn create_type(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    JsonBody(body): JsonBody<TypeBody>,
) -> Result<Json<Value>, OktaError> {
    let admin = admin(&org);
    let name = body.name.unwrap_or_default();
    let mut causes = Vec::new();
    let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid_name {
        causes.push(Cause::field("name", "The name must start with a letter and contain only letters, digits and '_'"));
    }
    let display_name = body.display_name.unwrap_or_default();
    if display_name.trim().is_empty() {
        causes.push(Cause::field("displayName", "The field cannot be left blank"));
    }
    let mut store = org.write();
    if store.user_types().iter().any(|t| t.name == name) {
        causes.push(Cause::field("name", "An object with this field already exists in the current organization"));
    }
    if !causes.is_empty() {
        return Err(OktaError::validation("name", &causes));
    }
    let now = now_millis();
    let t = UserType {
        id: store.new_id("oty"),
        schema_id: store.new_id("osc"),
        name,
        display_name,
        description: body.description.unwrap_or_default(),
        default: false,
        created: now,
        last_updated: now,
    };
    store.insert_type(t.clone())?;
    Ok(Json(type_json(&t, &base, &admin)))
}

pub async fn delete_type(State(org): State<Arc<Org>>, Path(tid): Path<String>) -> Result<StatusCode, OktaError> {
    let mut store = org.write();
    let t = store.user_type(&tid).ok_or_else(|| OktaError::not_found(&tid, "UserType"))?;
    if t.default {
        return Err(OktaError::forbidden().with_cause("The default user type cannot be deleted."));
    }
    let id = t.id.clone();
    store.remove_type(&id)?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn get_schema(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(sid): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let store = org.read();
    let t = store.type_by_schema(&sid).ok_or_else(|| OktaError::not_found(&sid, "UserSchema"))?;
    Ok(Json(org.schema().to_json(&base, &sid, Some(t))))
}
