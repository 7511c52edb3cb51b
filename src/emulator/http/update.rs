//! Changing and deleting a user: `POST` (partial), `PUT` (full replace, the
//! only way to change the type), `DELETE` (first deactivates, then deletes).

use super::create::{check_profile, validation_error};
use super::credentials::{self, PasswordKind, UserBody};
use super::error::OktaError;
use super::etag::check_if_match;
use super::users::{lookup, single};
use super::{Base, JsonBody};
use crate::emulator::Org;
use crate::emulator::ids::now_millis;
use crate::emulator::record::{Status, UserRecord};
use crate::emulator::schema::Cause;
use crate::emulator::syslog::event::{PROFILE_UPDATE, USER_DEACTIVATE, USER_DELETE_COMPLETED, USER_DELETE_INITIATED};
use crate::emulator::syslog::record::{Audit, Draft, profile_changes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Partial,
    Replace,
}

struct Change<'a> {
    audit: &'a Audit,
    key: &'a str,
    headers: &'a HeaderMap,
    body: UserBody,
    mode: Mode,
}

fn update(org: &Org, base: &str, change: Change<'_>) -> Result<Response, OktaError> {
    let Change { audit, key, headers, body, mode } = change;
    let now = now_millis();
    let mut store = org.write();
    let mut user: UserRecord = lookup(&store, key)?.record().into_owned();
    check_if_match(headers, &user)?;
    let before = user.profile.clone();
    match (mode, body.profile) {
        (Mode::Partial, Some(changes)) => {
            for (k, v) in changes {
                if v.is_null() {
                    user.profile.remove(&k);
                } else {
                    user.profile.insert(k, v);
                }
            }
        }
        (Mode::Replace, Some(profile)) => {
            user.profile = profile.into_iter().filter(|(_, v)| !v.is_null()).collect();
        }
        // Recorded: a PUT of credentials alone keeps the profile.
        (_, None) => {}
    }
    let mut causes = check_profile(org, &store, &user.profile, Some(&user.id));
    let login = user.login().to_owned();
    if let Some(c) = &body.credentials {
        let kind = credentials::apply(c, &mut user.credentials, &login, &mut causes);
        if kind == PasswordKind::Hash && user.status != Status::Staged {
            causes.push(Cause::field("password", "A hashed password can be imported only while the user is STAGED."));
        }
        if kind != PasswordKind::None {
            user.password_changed = Some(now);
        }
    }
    if let Some(type_id) = body.user_type.and_then(|t| t.id) {
        match (mode, store.user_type(&type_id)) {
            (_, None) => causes.push(Cause::field("type", format!("The user type {type_id} does not exist."))),
            (Mode::Partial, Some(t)) if t.id != user.type_id => {
                causes.push(Cause::field("type", "The type of a user can be changed only by replacing the user (PUT)."))
            }
            (_, Some(t)) => user.type_id = t.id.clone(),
        }
    }
    if !causes.is_empty() {
        return Err(validation_error(&causes));
    }
    user.touch(now);
    store.replace_user(user.clone())?;
    // Credentials and type changes have event types of their own, which
    // the org does not write.
    let (from, to) = profile_changes(&before, &user.profile);
    if !from.is_empty() || !to.is_empty() {
        audit.record(&mut store, vec![Draft::user(&PROFILE_UPDATE, &user).with_changes(from, to)])?;
    }
    Ok(single(&store, base, &user))
}

pub async fn partial(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    Path(key): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<UserBody>,
) -> Result<Response, OktaError> {
    update(&org, &base, Change { audit: &audit, key: &key, headers: &headers, body, mode: Mode::Partial })
}

pub async fn replace(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    Path(key): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<UserBody>,
) -> Result<Response, OktaError> {
    update(&org, &base, Change { audit: &audit, key: &key, headers: &headers, body, mode: Mode::Replace })
}

/// The first DELETE deactivates, the second deletes (204 both times).
pub async fn delete(
    State(org): State<Arc<Org>>,
    audit: Audit,
    Path(key): Path<String>,
) -> Result<StatusCode, OktaError> {
    let mut store = org.write();
    let mut user = lookup(&store, &key)?.record().into_owned();
    if user.status == Status::Deprovisioned {
        store.remove_user(&user.id)?;
        let events = vec![Draft::user(&USER_DELETE_INITIATED, &user), Draft::user(&USER_DELETE_COMPLETED, &user)];
        audit.record(&mut store, events)?;
    } else {
        user.set_status(Status::Deprovisioned, now_millis());
        store.replace_user(user.clone())?;
        audit.record(&mut store, vec![Draft::user(&USER_DEACTIVATE, &user)])?;
    }
    Ok(StatusCode::NO_CONTENT)
}
