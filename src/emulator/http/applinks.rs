//! `GET /api/v1/users/{id}/appLinks`: the demo apps a user is assigned.

use super::Base;
use super::error::OktaError;
use super::users::lookup;
use crate::emulator::Org;
use crate::emulator::applinks::app_links;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;
use std::sync::Arc;

/// Users created through the API start with none, as on Okta (recorded).
pub async fn list(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(key): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let store = org.read();
    let user = lookup(&store, &key)?.record().into_owned();
    let links = if store.is_original_user(&user.id) { app_links(&user, store.seed(), &base) } else { Vec::new() };
    Ok(Json(Value::Array(links)))
}
