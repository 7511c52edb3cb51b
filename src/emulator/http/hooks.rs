//! Test hooks outside the Okta API (`/emulator/v1/…`), authenticated with
//! the org's API token: fault knobs and rate limits at runtime, the
//! request counters (`stats`, reset by `DELETE`), putting a
//! user in LOCKED_OUT (Okta does that at sign-in, which the org has not),
//! and a deliberate panic to prove panics become 500 E0000009.

use super::error::OktaError;
use super::users::{lookup, single};
use super::{Base, JsonBody};
use crate::emulator::ids::now_millis;
use crate::emulator::record::Status;
use crate::emulator::syslog::event::ACCOUNT_LOCK;
use crate::emulator::syslog::record::{Audit, Draft, user_target};
use crate::emulator::{Faults, Org, RateLimits};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

fn knobs(org: &Org) -> Value {
    json!({ "faults": org.faults(), "rateLimits": org.rate_limiter().limits(), "panics": org.panics() })
}

pub async fn get_faults(State(org): State<Arc<Org>>) -> Json<Value> {
    Json(knobs(&org))
}

/// Every field is optional; what is given replaces the current value.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnobsBody {
    latency_ms: Option<u64>,
    error_rate: Option<f64>,
    error_status: Option<u16>,
    throttle_rate: Option<f64>,
    drop_rate: Option<f64>,
    lose_rate: Option<f64>,
    lose_hold_ms: Option<u64>,
    /// One per-minute limit for every bucket.
    rate_limit: Option<u32>,
    rate_limits: Option<RateLimits>,
}

fn rate(name: &str, value: Option<f64>, current: f64) -> Result<f64, OktaError> {
    match value {
        None => Ok(current),
        Some(p) if (0.0..=1.0).contains(&p) => Ok(p),
        Some(p) => Err(OktaError::validation(
            name,
            &[crate::emulator::schema::Cause::field(name, format!("{p} is not a probability between 0 and 1"))],
        )),
    }
}

pub async fn set_faults(
    State(org): State<Arc<Org>>,
    JsonBody(body): JsonBody<KnobsBody>,
) -> Result<Json<Value>, OktaError> {
    let current = org.faults();
    let faults = Faults {
        latency_ms: body.latency_ms.unwrap_or(current.latency_ms),
        error_rate: rate("errorRate", body.error_rate, current.error_rate)?,
        error_status: match body.error_status {
            None => current.error_status,
            Some(s @ (0 | 500 | 502 | 503 | 504)) => s,
            Some(s) => {
                return Err(OktaError::validation(
                    "errorStatus",
                    &[crate::emulator::schema::Cause::field(
                        "errorStatus",
                        format!("{s} is not one of 0, 500, 502, 503, 504"),
                    )],
                ));
            }
        },
        throttle_rate: rate("throttleRate", body.throttle_rate, current.throttle_rate)?,
        drop_rate: rate("dropRate", body.drop_rate, current.drop_rate)?,
        lose_rate: rate("loseRate", body.lose_rate, current.lose_rate)?,
        lose_hold_ms: body.lose_hold_ms.unwrap_or(current.lose_hold_ms),
    };
    org.set_faults(faults);
    if let Some(limits) = body.rate_limits.or(body.rate_limit.map(RateLimits::uniform)) {
        org.rate_limiter().set_limits(limits);
    }
    tracing::info!("fault knobs now {faults:?}");
    Ok(Json(knobs(&org)))
}

pub async fn get_stats(State(org): State<Arc<Org>>) -> Json<Value> {
    Json(org.stats().to_json())
}

pub async fn reset_stats(State(org): State<Arc<Org>>) -> Json<Value> {
    org.stats().reset();
    Json(org.stats().to_json())
}

/// Recorded as Okta does when sign-ins fail too often: acted by the user.
pub async fn lock(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    Path(key): Path<String>,
) -> Result<Response, OktaError> {
    let mut store = org.write();
    let mut user = lookup(&store, &key)?.record().into_owned();
    user.set_status(Status::LockedOut, now_millis());
    store.replace_user(user.clone())?;
    audit.record_as(&mut store, user_target(&user), vec![Draft::user(&ACCOUNT_LOCK, &user)])?;
    Ok(single(&store, &base, &user))
}

pub async fn panic() -> Json<Value> {
    panic!("deliberate panic requested through /emulator/v1/panic");
}
