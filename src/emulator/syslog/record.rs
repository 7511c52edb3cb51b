//! Recording what a request changed: [`Audit`] is who asked and from
//! where (the admin behind the API token or the OAuth service app, the
//! connection's address, the user agent, the request id that is also the
//! transaction id); a handler that changed something hands it [`Draft`]s,
//! one per event, and they are written as one transaction.
//!
//! Only changes that happened are recorded. Okta also logs some refused
//! admin operations (a profile update that failed validation, a lifecycle
//! operation the user's status does not allow, with outcome FAILURE); the
//! org does not, nor changes it has no event for here: credential
//! operations (`change_password`, recovery question), passwords set
//! through a profile update, user type and schema changes.

use super::event::{self, Kind, LogEvent, Outcome, Parts, SUCCESS, display_name, user_ref};
use crate::emulator::Org;
use crate::emulator::ids::{now_millis, opaque_id};
use crate::emulator::record::UserRecord;
use crate::emulator::store::{Group, Store, StoreError};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, USER_AGENT};
use axum::http::request::Parts as RequestParts;
use serde_json::{Map, Value, json};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

/// Set by the accept loop on every request before it is routed.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub peer: SocketAddr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Caller {
    /// An API token acts as the admin who made it.
    ApiToken,
    /// An OAuth 2.0 service app, by client id.
    App(String),
}

/// The request's side of every event it causes.
#[derive(Debug, Clone)]
pub struct Audit {
    caller: Caller,
    ip: String,
    user_agent: String,
    request_id: String,
    path: String,
    url: String,
}

impl FromRequestParts<Arc<Org>> for Audit {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut RequestParts, org: &Arc<Org>) -> Result<Self, Self::Rejection> {
        let meta = parts.extensions.get::<RequestMeta>().cloned();
        let header = |name| parts.headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
        let authorization = header(AUTHORIZATION).unwrap_or_default();
        let bearer = authorization.strip_prefix("Bearer ").or_else(|| authorization.strip_prefix("DPoP "));
        let caller = match bearer.and_then(|t| org.oauth().token(t.trim())) {
            Some(grant) => Caller::App(grant.client_id),
            None => Caller::ApiToken,
        };
        Ok(Self {
            caller,
            ip: meta.as_ref().map_or_else(|| "127.0.0.1".to_owned(), |m| m.peer.ip().to_string()),
            user_agent: header(USER_AGENT).unwrap_or_default().to_owned(),
            request_id: meta.map_or_else(|| opaque_id("", 27), |m| m.request_id),
            path: parts.uri.path().to_owned(),
            url: parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        })
    }
}

/// One event to record: its type, targets and outcome.
#[derive(Debug, Clone)]
pub struct Draft {
    kind: &'static Kind,
    targets: Vec<Value>,
    outcome: Outcome,
}

/// A user as a target.
pub fn user_target(user: &UserRecord) -> Value {
    user_ref(user.id.as_str(), user.login(), &display_name(&user.profile))
}

pub fn group_target(group: &Group) -> Value {
    json!({ "id": group.id, "type": "UserGroup", "alternateId": "unknown", "displayName": group.name, "detailEntry": null })
}

impl Draft {
    /// An event about a group.
    pub fn group(kind: &'static Kind, group: &Group) -> Self {
        Self { kind, targets: vec![group_target(group)], outcome: SUCCESS }
    }

    /// An event about `user`.
    pub fn user(kind: &'static Kind, user: &UserRecord) -> Self {
        Self { kind, targets: vec![user_target(user)], outcome: SUCCESS }
    }

    pub fn with_target(mut self, target: Value) -> Self {
        self.targets.push(target);
        self
    }

    /// `changeDetails` on the user target: each changed attribute, before
    /// and after (absent on the side where it was unset).
    pub fn with_changes(mut self, from: Map<String, Value>, to: Map<String, Value>) -> Self {
        if let Some(Value::Object(target)) = self.targets.first_mut() {
            target.insert("changeDetails".into(), json!({ "from": from, "to": to }));
        }
        self
    }
}

/// The profile attributes that differ, as `changeDetails` gives them.
pub fn profile_changes(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let (mut from, mut to) = (Map::new(), Map::new());
    for key in before.keys().chain(after.keys()) {
        let (old, new) = (before.get(key), after.get(key));
        if old != new && !from.contains_key(key) && !to.contains_key(key) {
            if let Some(v) = old {
                from.insert(key.clone(), v.clone());
            }
            if let Some(v) = new {
                to.insert(key.clone(), v.clone());
            }
        }
    }
    (from, to)
}

impl Audit {
    fn actor(&self, store: &Store) -> Value {
        match &self.caller {
            Caller::App(client_id) => json!({
                "id": client_id,
                "type": "PublicClientApp",
                "alternateId": client_id,
                "displayName": client_id,
                "detailEntry": null,
            }),
            Caller::ApiToken => match store.admin_id.and_then(|id| store.user(&id)) {
                Some(admin) => user_target(&admin.record()),
                None => event::system_actor(),
            },
        }
    }

    fn client(&self) -> Value {
        json!({
            "userAgent": { "rawUserAgent": self.user_agent, "os": "Unknown", "browser": "UNKNOWN" },
            "zone": "null",
            "device": "Unknown",
            "id": null,
            "ipAddress": self.ip,
            "geographicalContext": null,
        })
    }

    /// Records `drafts` as one transaction, acted by the caller.
    pub fn record(&self, store: &mut Store, drafts: Vec<Draft>) -> Result<(), StoreError> {
        let actor = self.actor(store);
        self.record_as(store, actor, drafts)
    }

    /// Records `drafts` as one transaction by someone other than the
    /// caller (a user locking themselves out by failing to sign in).
    pub fn record_as(&self, store: &mut Store, actor: Value, drafts: Vec<Draft>) -> Result<(), StoreError> {
        let now = now_millis();
        let detail = match self.caller {
            Caller::ApiToken => json!({ "requestApiTokenId": "00Temulatorapitoken1" }),
            Caller::App(_) => json!({}),
        };
        for draft in drafts {
            let key = store.next_event_key(now);
            let json = event::render(Parts {
                kind: draft.kind,
                published: key.published,
                uuid: event::uuid_from(key.ord, fastrand::u64(..)),
                actor: actor.clone(),
                client: self.client(),
                session: None,
                outcome: draft.outcome,
                targets: draft.targets,
                transaction_id: &self.request_id,
                transaction_detail: detail.clone(),
                debug_data: json!({ "requestId": self.request_id, "requestUri": self.path, "url": self.url }),
            });
            store.push_event(LogEvent { key, json })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_changes_name_only_what_changed() {
        let before = json!({ "a": 1, "b": "x", "gone": true }).as_object().cloned().unwrap_or_default();
        let after = json!({ "a": 1, "b": "y", "new": 2 }).as_object().cloned().unwrap_or_default();
        let (from, to) = profile_changes(&before, &after);
        assert_eq!(Value::Object(from), json!({ "b": "x", "gone": true }));
        assert_eq!(Value::Object(to), json!({ "b": "y", "new": 2 }));
    }
}
