//! `POST /api/v1/users`: the nine create variants, the resulting status per
//! Okta's creation table (API-NOTES §1.3), and validation with Okta's texts.

use super::credentials::{self, PasswordKind, UserBody};
use super::error::OktaError;
use super::users::single;
use super::{Base, JsonBody, Params};
use crate::emulator::Org;
use crate::emulator::ids::now_millis;
use crate::emulator::record::{Credentials, Status, UserRecord};
use crate::emulator::schema::Cause;
use crate::emulator::store::{GroupKind, Store};
use crate::emulator::syslog::event::{GROUP_ADD, USER_ACTIVATE, USER_CREATE};
use crate::emulator::syslog::record::{Audit, Draft, group_target};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};
use std::sync::Arc;

const MAX_GROUPS: usize = 20;

/// `Api validation failed: <what>`: `newUser` when a property is unknown
/// (as recorded), else the first field to blame.
pub fn validation_error(causes: &[Cause]) -> OktaError {
    let what = if causes.iter().any(|c| c.field.is_none()) {
        "newUser".to_owned()
    } else {
        causes.first().and_then(|c| c.field.clone()).unwrap_or_else(|| "newUser".into())
    };
    OktaError::validation(&what, causes)
}

/// Schema and uniqueness checks for a complete profile.
pub fn check_profile(
    org: &Org,
    store: &Store,
    profile: &Map<String, Value>,
    except: Option<&crate::emulator::ids::UserId>,
) -> Vec<Cause> {
    let mut causes = org.schema().validate(profile);
    let login = profile.get("login").and_then(Value::as_str).unwrap_or_default();
    if !login.is_empty() && store.login_taken(login, except) {
        causes.push(Cause::field("login", "An object with this field already exists in the current organization"));
    }
    causes
}

pub async fn create(
    State(org): State<Arc<Org>>,
    Base(base): Base,
    audit: Audit,
    params: Params,
    JsonBody(body): JsonBody<UserBody>,
) -> Result<Response, OktaError> {
    let activate = params.flag("activate").unwrap_or(true);
    let expire = params.get("nextLogin") == Some("changePassword");
    if body.group_ids.as_ref().is_some_and(|g| g.len() > MAX_GROUPS) {
        return Err(OktaError::new(StatusCode::BAD_REQUEST, "E0000093", "Target count limit exceeded")
            .with_cause("The number of group targets is too large"));
    }
    let profile = body.profile.unwrap_or_default();
    let now = now_millis();
    let mut store = org.write();
    let mut causes = check_profile(&org, &store, &profile, None);
    let login = profile.get("login").and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut creds = Credentials::okta();
    let password = match &body.credentials {
        Some(c) => credentials::apply(c, &mut creds, &login, &mut causes),
        None => PasswordKind::None,
    };
    let type_id = match body.user_type.and_then(|t| t.id) {
        Some(id) => match store.user_type(&id) {
            Some(t) => t.id.clone(),
            None => {
                causes.push(Cause::field("type", format!("The user type {id} does not exist.")));
                String::new()
            }
        },
        None => store.default_type_id(),
    };
    let group_ids = body.group_ids.unwrap_or_default();
    for gid in &group_ids {
        if store.group(gid).is_none() {
            causes.push(Cause::field("groupIds", format!("The group {gid} does not exist.")));
        }
    }
    if !causes.is_empty() {
        return Err(validation_error(&causes));
    }
    if expire {
        let summary = if !activate {
            "Could not create user. To create a user and expire their password immediately, `activate` must be true."
        } else if password == PasswordKind::None {
            "Could not create user. To create a user and expire their password immediately, a password must be specified."
        } else {
            ""
        };
        if !summary.is_empty() {
            let code = if activate { "E0000124" } else { "E0000125" };
            return Err(OktaError::new(StatusCode::BAD_REQUEST, code, summary).with_cause(summary));
        }
    }
    let federated = matches!(creds.provider_type.as_str(), "FEDERATION" | "SOCIAL");
    let status = if !activate {
        Status::Staged
    } else if expire {
        Status::PasswordExpired
    } else if password != PasswordKind::None || federated {
        Status::Active
    } else {
        Status::Provisioned
    };
    let user = UserRecord {
        id: store.new_user_id(),
        status,
        created: now,
        activated: activate.then_some(now),
        status_changed: Some(now),
        last_login: None,
        last_updated: now,
        password_changed: (password != PasswordKind::None).then_some(now),
        type_id,
        profile,
        credentials: creds,
    };
    let id = user.id;
    store.insert_user(user.clone())?;
    let mut events = vec![Draft::user(&USER_CREATE, &user)];
    if activate {
        events.push(Draft::user(&USER_ACTIVATE, &user));
    }
    for gid in &group_ids {
        // Everyone is implicit; only ordinary groups record members.
        if let Some(group) = store.group(gid).filter(|g| g.kind == GroupKind::OktaGroup).cloned()
            && store.set_member(gid, id, true, now)?
        {
            events.push(Draft::user(&GROUP_ADD, &user).with_target(group_target(&group)));
        }
    }
    audit.record(&mut store, events)?;
    Ok(single(&store, &base, &user))
}
