//! A borrowed view of one user, stored or synthetic, with the cheap
//! lookups that listing and searching a million users need.

use super::Store;
use crate::emulator::ids::{UserId, format_millis};
use crate::emulator::record::{Status, UserRecord};
use crate::emulator::synthetic;
use serde_json::Value;
use std::borrow::Cow;

#[derive(Clone, Copy)]
pub enum UserRef<'a> {
    Synthetic { id: UserId, index: u32, store: &'a Store },
    Stored(&'a UserRecord),
}

impl<'a> UserRef<'a> {
    pub fn id(&self) -> UserId {
        match self {
            UserRef::Synthetic { id, .. } => *id,
            UserRef::Stored(r) => r.id,
        }
    }

    pub fn status(&self) -> Status {
        match self {
            UserRef::Synthetic { index, store, .. } => synthetic::status(*index, store.seed),
            UserRef::Stored(r) => r.status,
        }
    }

    pub fn login(&self) -> Cow<'a, str> {
        match self {
            UserRef::Synthetic { index, store, .. } => Cow::Owned(synthetic::login(*index, store.seed)),
            UserRef::Stored(r) => Cow::Borrowed(r.login()),
        }
    }

    /// The full record (built on the fly for a synthetic user).
    pub fn record(&self) -> Cow<'a, UserRecord> {
        match self {
            UserRef::Synthetic { id, index, store } => {
                Cow::Owned(synthetic::record(*index, id.seq(), store.seed, &store.default_type_id()))
            }
            UserRef::Stored(r) => Cow::Borrowed(r),
        }
    }

    /// A string profile attribute, cheaply for the names a `q` lookup reads.
    pub fn profile_str(&self, name: &str) -> Option<Cow<'a, str>> {
        match self {
            UserRef::Synthetic { index, store, .. } => match name {
                "firstName" => Some(Cow::Borrowed(synthetic::first_name(*index, store.seed))),
                "lastName" => Some(Cow::Borrowed(synthetic::last_name(*index, store.seed))),
                "email" | "login" => Some(Cow::Owned(synthetic::login(*index, store.seed))),
                _ => self.record().profile.get(name).and_then(Value::as_str).map(|s| Cow::Owned(s.to_owned())),
            },
            UserRef::Stored(r) => r.profile.get(name).and_then(Value::as_str).map(Cow::Borrowed),
        }
    }

    /// The value at a dotted attribute path as search and filter see it:
    /// `status`, `id`, `created`, `type.id`, `profile.department`, …
    /// Timestamps come back in Okta's format, which orders as text.
    pub fn attr(&self, path: &str) -> Option<Value> {
        if let UserRef::Synthetic { id, index, store } = self {
            match path {
                "id" => return Some(Value::String(id.to_string())),
                "status" => return Some(Value::String(self.status().as_str().into())),
                "created" => return Some(Value::String(format_millis(synthetic::created(*index)))),
                "type.id" => return Some(Value::String(store.default_type_id())),
                "profile.firstName" | "profile.lastName" | "profile.email" | "profile.login" => {
                    return self.profile_str(path.trim_start_matches("profile.")).map(|s| Value::String(s.into()));
                }
                _ => {}
            }
        }
        record_attr(&self.record(), path)
    }
}

fn record_attr(r: &UserRecord, path: &str) -> Option<Value> {
    let ts = |m: Option<i64>| m.map(|m| Value::String(format_millis(m)));
    match path {
        "id" => Some(Value::String(r.id.to_string())),
        "status" => Some(Value::String(r.status.as_str().into())),
        "created" => ts(Some(r.created)),
        "activated" => ts(r.activated),
        "statusChanged" => ts(r.status_changed),
        "lastUpdated" => ts(Some(r.last_updated)),
        "lastLogin" => ts(r.last_login),
        "passwordChanged" => ts(r.password_changed),
        "type.id" => Some(Value::String(r.type_id.clone())),
        _ => {
            let name = path.strip_prefix("profile.")?;
            r.profile.get(name).filter(|v| !v.is_null()).cloned()
        }
    }
}
