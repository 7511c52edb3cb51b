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
                _ => synthetic::profile_attr(*index, store.seed, name).map(Cow::Owned),
            },
            UserRef::Stored(r) => r.profile.get(name).and_then(Value::as_str).map(Cow::Borrowed),
        }
    }

    /// The value at a dotted attribute path as search and filter see it:
    /// `status`, `id`, `created`, `type.id`, `profile.department`, …
    /// Timestamps come back in Okta's format, which orders as text.
    pub fn attr(&self, path: &str) -> Option<Value> {
        match self {
            UserRef::Synthetic { id, index, store } => synthetic_attr(*id, *index, store, path),
            UserRef::Stored(r) => record_attr(r, path),
        }
    }
}

/// Synthetic users answer from their index alone; only the timestamps that
/// depend on the status need the record's rules, which are cheap.
fn synthetic_attr(id: UserId, index: u32, store: &Store, path: &str) -> Option<Value> {
    let seed = store.seed;
    let text = match path {
        "id" => id.to_string(),
        "status" => synthetic::status(index, seed).as_str().to_owned(),
        "created" => format_millis(synthetic::created(index)),
        "type.id" => store.default_type_id(),
        _ => match path.strip_prefix("profile.") {
            Some(name) => synthetic::profile_attr(index, seed, name)?,
            None => return record_attr(&synthetic::record(index, id.seq(), seed, &store.default_type_id()), path),
        },
    };
    Some(Value::String(text))
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
