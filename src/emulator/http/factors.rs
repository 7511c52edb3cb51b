//! A user's factors: list them, reset (unenroll) one (API-NOTES §6.5, §10.2).

use super::Base;
use super::error::OktaError;
use super::users::lookup;
use crate::emulator::Org;
use crate::emulator::factors::{Factor, generated};
use crate::emulator::ids::UserId;
use crate::emulator::store::Store;
use crate::emulator::syslog::event::FACTOR_DEACTIVATE;
use crate::emulator::syslog::record::{Audit, Draft};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

/// The factors a user has now: generated for an original user, minus those reset.
fn enrolled(store: &Store, key: &str) -> Result<(UserId, Vec<Factor>), OktaError> {
    let user = lookup(store, key)?.record().into_owned();
    let factors = if store.is_original_user(&user.id) {
        generated(&user, store.seed()).into_iter().filter(|f| !store.is_factor_reset(&user.id, &f.id)).collect()
    } else {
        Vec::new()
    };
    Ok((user.id, factors))
}

pub async fn list(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path(key): Path<String>,
) -> Result<Response, OktaError> {
    let (id, factors) = enrolled(&org.read(), &key)?;
    let body: Vec<Value> = factors.iter().map(|f| f.to_json(&base, id.as_str())).collect();
    Ok(Json(Value::Array(body)).into_response())
}

/// `removeRecoveryEnrollment` (sms, call) changes nothing the org models.
pub async fn reset(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path((key, factor_id)): Path<(String, String)>,
) -> Result<StatusCode, OktaError> {
    let mut store = org.write();
    let (id, factors) = enrolled(&store, &key)?;
    let Some(factor) = factors.iter().find(|f| f.id == factor_id) else {
        return Err(OktaError::not_found(&factor_id, "UserFactor"));
    };
    let target = serde_json::json!({
        "id": factor.id,
        "type": "User MFA Factor",
        "alternateId": "unknown",
        "displayName": factor.factor_type(),
        "detailEntry": null,
    });
    store.reset_factors(id, &[factor_id])?;
    let user = lookup(&store, id.as_str())?.record().into_owned();
    audit.record(&mut store, vec![Draft::user(&FACTOR_DEACTIVATE, &user).with_target(target)])?;
    Ok(StatusCode::NO_CONTENT)
}

/// `lifecycle/reset_factors`: every factor goes.
pub fn reset_all(store: &mut Store, key: &str) -> Result<(), OktaError> {
    let (id, factors) = enrolled(store, key)?;
    let ids: Vec<String> = factors.into_iter().map(|f| f.id).collect();
    store.reset_factors(id, &ids)?;
    Ok(())
}
