//! `POST /api/v1/users/{id}/lifecycle/{op}` and `…/credentials/{op}`:
//! status changes and credential operations, valid only from the statuses
//! `emulator::lifecycle` allows. Transitions Okta runs asynchronously
//! happen at once here. Bodies are optional (empty, any Content-Type).

use super::credentials::{self, check_password};
use super::error::OktaError;
use super::users::{lookup, single};
use super::{Base, JsonBody, Params};
use crate::emulator::Org;
use crate::emulator::ids::{now_millis, opaque_id};
use crate::emulator::lifecycle::{Op, Refusal, transition};
use crate::emulator::record::{PasswordCredential, RecoveryQuestion};
use crate::emulator::schema::Cause;
use crate::emulator::syslog::event::{self as log, Kind};
use crate::emulator::syslog::record::{Audit, Draft};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

impl From<Refusal> for OktaError {
    fn from(r: Refusal) -> Self {
        let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::FORBIDDEN);
        let error = OktaError::new(status, r.code, r.summary);
        match r.cause {
            Some(c) => error.with_cause(c),
            None => error,
        }
    }
}

fn lifecycle_op(name: &str, params: &Params) -> Option<Op> {
    Some(match name {
        "activate" => Op::Activate,
        "reactivate" => Op::Reactivate,
        "deactivate" => Op::Deactivate,
        "suspend" => Op::Suspend,
        "unsuspend" => Op::Unsuspend,
        "unlock" => Op::Unlock,
        "reset_password" => Op::ResetPassword,
        // The legacy spelling of the temporary-password variant.
        "expire_password" if params.flag("tempPassword") == Some(true) => Op::ExpirePasswordWithTemp,
        "expire_password" => Op::ExpirePassword,
        "expire_password_with_temp_password" => Op::ExpirePasswordWithTemp,
        "reset_factors" => Op::ResetFactors,
        _ => return None,
    })
}

/// The event a lifecycle operation records.
fn event_kind(op: Op) -> Option<&'static Kind> {
    Some(match op {
        Op::Activate => &log::USER_ACTIVATE,
        Op::Reactivate => &log::USER_REACTIVATE,
        Op::Deactivate => &log::USER_DEACTIVATE,
        Op::Suspend => &log::USER_SUSPEND,
        Op::Unsuspend => &log::USER_UNSUSPEND,
        Op::Unlock => &log::UNLOCK_BY_ADMIN,
        Op::ResetPassword => &log::RESET_PASSWORD,
        Op::ExpirePassword | Op::ExpirePasswordWithTemp => &log::EXPIRE_PASSWORD,
        Op::ResetFactors => &log::FACTOR_RESET_ALL,
        // Credential operations: the org writes no events for them.
        Op::ForgotPassword | Op::ChangePassword | Op::ChangeRecoveryQuestion => return None,
    })
}

fn token() -> String {
    opaque_id("", 20)
}

pub async fn lifecycle(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    Path((key, name)): Path<(String, String)>,
    params: Params,
) -> Result<Response, OktaError> {
    let op = lifecycle_op(&name, &params).ok_or_else(OktaError::path_not_found)?;
    let now = now_millis();
    let mut store = org.write();
    let mut user = lookup(&store, &key)?.record().into_owned();
    let next = transition(op, &user)?;
    let body = match op {
        Op::Activate | Op::Reactivate => {
            // activate e-mails by default, reactivate does not.
            let send_email = params.flag("sendEmail").unwrap_or(op == Op::Activate);
            if send_email {
                json!({})
            } else {
                let t = token();
                json!({ "activationUrl": format!("{base}/welcome/{t}"), "activationToken": t })
            }
        }
        Op::ResetPassword => {
            if params.flag("sendEmail").unwrap_or(true) {
                json!({})
            } else {
                json!({ "resetPasswordUrl": format!("{base}/reset_password/{}", token()) })
            }
        }
        Op::ExpirePasswordWithTemp => {
            let temp = opaque_id("", 8);
            user.credentials.password = Some(PasswordCredential::Value(temp.clone()));
            user.password_changed = Some(now);
            json!({ "tempPassword": temp })
        }
        Op::ResetFactors => {
            super::factors::reset_all(&mut store, &key)?;
            json!({})
        }
        _ => json!({}),
    };
    user.set_status(next, now);
    store.replace_user(user.clone())?;
    if let Some(kind) = event_kind(op) {
        audit.record(&mut store, vec![Draft::user(kind, &user)])?;
    }
    if op == Op::ExpirePassword {
        return Ok(single(&store, &base, &user));
    }
    Ok(Json(body).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialsOpBody {
    old_password: Option<ValueBody>,
    new_password: Option<ValueBody>,
    password: Option<ValueBody>,
    #[serde(rename = "recovery_question")]
    recovery_question: Option<credentials::RecoveryBody>,
}

#[derive(Debug, Default, Deserialize)]
struct ValueBody {
    value: Option<String>,
}

fn credentials_failed(cause: String) -> OktaError {
    OktaError::new(StatusCode::FORBIDDEN, "E0000014", "Update of credentials failed").with_cause(cause)
}

fn value(v: &Option<ValueBody>) -> &str {
    v.as_ref().and_then(|v| v.value.as_deref()).unwrap_or_default()
}

pub async fn credentials(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    Path((key, name)): Path<(String, String)>,
    params: Params,
    JsonBody(body): JsonBody<CredentialsOpBody>,
) -> Result<Response, OktaError> {
    let now = now_millis();
    let mut store = org.write();
    let mut user = lookup(&store, &key)?.record().into_owned();
    let current = user.credentials.password.clone();
    let password_ok = |presented: &str| current.as_ref().is_some_and(|p| p.accepts(presented));
    match name.as_str() {
        "forgot_password" => {
            transition(Op::ForgotPassword, &user)?;
            let body = if params.flag("sendEmail").unwrap_or(true) {
                json!({})
            } else {
                json!({ "resetPasswordUrl": format!("{base}/signin/reset-password/{}", token()) })
            };
            return Ok(Json(body).into_response());
        }
        "change_password" => {
            let next = transition(Op::ChangePassword, &user)?;
            if !password_ok(value(&body.old_password)) {
                return Err(credentials_failed("oldPassword: Old Password is not correct".into()));
            }
            let new = value(&body.new_password).to_owned();
            if let Some(c) = check_password("password", &new, user.login()).first() {
                return Err(credentials_failed(c.text()));
            }
            user.credentials.password = Some(PasswordCredential::Value(new));
            user.password_changed = Some(now);
            user.set_status(next, now);
        }
        "change_recovery_question" => {
            transition(Op::ChangeRecoveryQuestion, &user)?;
            if !password_ok(value(&body.password)) {
                return Err(credentials_failed("password: The password is not correct".into()));
            }
            let rq = body.recovery_question.unwrap_or_default();
            let mut causes: Vec<Cause> = Vec::new();
            let patch = credentials::CredentialsBody { recovery_question: Some(rq), ..Default::default() };
            let login = user.login().to_owned();
            credentials::apply(&patch, &mut user.credentials, &login, &mut causes);
            if !causes.is_empty() {
                return Err(super::create::validation_error(&causes));
            }
            user.touch(now);
        }
        "forgot_password_recovery_question" => {
            transition(Op::ForgotPassword, &user)?;
            let answer = body.recovery_question.as_ref().and_then(|r| r.answer.as_deref()).unwrap_or_default();
            let matches = user
                .credentials
                .recovery_question
                .as_ref()
                .is_some_and(|RecoveryQuestion { answer: a, .. }| !a.is_empty() && a.eq_ignore_ascii_case(answer));
            if !matches {
                return Err(OktaError::new(
                    StatusCode::FORBIDDEN,
                    "E0000087",
                    "The recovery question answer did not match our records.",
                ));
            }
            let new = value(&body.password).to_owned();
            if let Some(c) = check_password("password", &new, user.login()).first() {
                return Err(credentials_failed(c.text()));
            }
            user.credentials.password = Some(PasswordCredential::Value(new));
            user.password_changed = Some(now);
            user.touch(now);
        }
        _ => return Err(OktaError::path_not_found()),
    }
    store.replace_user(user.clone())?;
    Ok(Json(user.credentials.to_json()).into_response())
}
