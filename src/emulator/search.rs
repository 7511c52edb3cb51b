//! How the org's users and groups answer the shared expression evaluator
//! (`expr::Subject`): attributes are read straight from the stored record,
//! or computed from the index for synthetic users, without building JSON.

use super::ids::Millis;
use super::record::UserRecord;
use super::store::{Group, UserRef};
use super::synthetic;
use crate::expr::{Subject, Value};

fn json_values(value: &serde_json::Value, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
    match value {
        serde_json::Value::String(s) => test(Value::Str(s)),
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|n| test(Value::Number(n))),
        serde_json::Value::Bool(b) => test(Value::Bool(*b)),
        serde_json::Value::Null => test(Value::Null),
        serde_json::Value::Object(_) => test(Value::Object),
        // SCIM: an array matches when any element does.
        serde_json::Value::Array(items) => items.iter().any(|v| json_values(v, test)),
    }
}

fn time(ms: Option<Millis>, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
    ms.is_some_and(|ms| test(Value::Time(ms)))
}

fn record_values(r: &UserRecord, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
    match path {
        "id" => test(Value::Str(r.id.as_str())),
        "status" => test(Value::Str(r.status.as_str())),
        "created" => time(Some(r.created), test),
        "activated" => time(r.activated, test),
        "statusChanged" => time(r.status_changed, test),
        "lastUpdated" => time(Some(r.last_updated), test),
        "lastLogin" => time(r.last_login, test),
        "passwordChanged" => time(r.password_changed, test),
        "type.id" => test(Value::Str(&r.type_id)),
        _ => match path.strip_prefix("profile.").and_then(|name| r.profile.get(name)) {
            Some(v) => json_values(v, test),
            None => false,
        },
    }
}

impl Subject for UserRef<'_> {
    fn any_value(&self, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
        let UserRef::Synthetic { id, index, store } = self else {
            let UserRef::Stored(r) = self else { return false };
            return record_values(r, path, test);
        };
        let seed = store.seed();
        match path {
            "id" => test(Value::Str(id.as_str())),
            "status" => test(Value::Str(synthetic::status(*index, seed).as_str())),
            "created" => test(Value::Time(synthetic::created(*index))),
            "type.id" => test(Value::Str(&store.default_type_id())),
            "profile.firstName" => test(Value::Str(synthetic::first_name(*index, seed))),
            "profile.lastName" => test(Value::Str(synthetic::last_name(*index, seed))),
            "profile.department" => test(Value::Str(synthetic::department(*index, seed))),
            "profile.title" => test(Value::Str(synthetic::title(*index, seed))),
            _ => match path.strip_prefix("profile.") {
                Some(name) => synthetic::profile_attr(*index, seed, name).is_some_and(|v| test(Value::Str(&v))),
                // The status-dependent timestamps follow the record's rules.
                None => record_values(&self.record(), path, test),
            },
        }
    }
}

impl Subject for Group {
    fn any_value(&self, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
        match path {
            "id" => test(Value::Str(&self.id)),
            "type" => test(Value::Str(self.kind.as_str())),
            "profile.name" => test(Value::Str(&self.name)),
            "profile.description" => test(Value::Str(&self.description)),
            "created" => test(Value::Time(self.created)),
            "lastUpdated" => test(Value::Time(self.last_updated)),
            "lastMembershipUpdated" => test(Value::Time(self.last_membership_updated)),
            _ => false,
        }
    }
}
