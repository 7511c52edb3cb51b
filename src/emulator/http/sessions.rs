//! `DELETE /api/v1/users/{id}/sessions` (API-NOTES §10.2).

use super::Params;
use super::error::OktaError;
use super::users::lookup_id;
use crate::emulator::Org;
use crate::emulator::sessions::SessionClear;
use crate::emulator::syslog::event::SESSION_CLEAR;
use crate::emulator::syslog::record::{Audit, Draft};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use std::sync::Arc;

/// Okta's defaults: tokens stay unless `oauthTokens=true`; remembered
/// devices are forgotten unless `forgetDevices=false` (Identity Engine).
pub async fn clear(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path(key): Path<String>,
    params: Params,
) -> Result<StatusCode, OktaError> {
    let flag = |name: &str, default: bool| match params.get(name) {
        None => Ok(default),
        Some(_) => params
            .flag(name)
            .ok_or_else(|| OktaError::validation("request", &[]).with_cause(format!("{name}: must be true or false"))),
    };
    let clear = SessionClear {
        user: lookup_id(&org.read(), &key)?,
        oauth_tokens: flag("oauthTokens", false)?,
        forget_devices: flag("forgetDevices", true)?,
    };
    let user = clear.user;
    org.sessions.record(clear);
    let mut store = org.write();
    if let Some(user) = store.user(&user).map(|u| u.record().into_owned()) {
        audit.record(&mut store, vec![Draft::user(&SESSION_CLEAR, &user)])?;
    }
    Ok(StatusCode::NO_CONTENT)
}
