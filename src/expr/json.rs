//! Evaluating against JSON: a [`Subject`] for `serde_json::Value` (handy
//! for groups, tests and anything already in JSON), and [`json_any`] for a
//! subject that keeps some attributes as JSON, such as a user's profile.

use super::eval::{Subject, Value};
use serde_json::Value as Json;

/// Whether `test` holds for `value`, or for any element when it is an
/// array (SCIM's rule for multi-valued attributes).
pub fn json_any(value: &Json, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
    match value {
        Json::Null => test(Value::Null),
        Json::Bool(b) => test(Value::Bool(*b)),
        Json::Number(n) => n.as_f64().is_some_and(|n| test(Value::Number(n))),
        Json::String(s) => test(Value::Str(s)),
        Json::Array(items) => items.iter().any(|item| json_any(item, test)),
        Json::Object(_) => test(Value::Object),
    }
}

/// Follows a dotted path through objects; an array on the way applies the
/// rest of the path to each element (`emails.value` over a list of emails).
fn walk(mut current: &Json, mut rest: Option<&str>, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
    loop {
        let Some(path) = rest else { return json_any(current, test) };
        if let Json::Array(items) = current {
            return items.iter().any(|item| walk(item, rest, test));
        }
        let (head, tail) = match path.split_once('.') {
            Some((head, tail)) => (head, Some(tail)),
            None => (path, None),
        };
        match current.get(head) {
            Some(next) => current = next,
            None => return false,
        }
        rest = tail;
    }
}

impl Subject for Json {
    fn any_value(&self, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
        walk(self, Some(path), test)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(subject: &Json, path: &str) -> Vec<String> {
        let mut seen = Vec::new();
        subject.any_value(path, &mut |v| {
            seen.push(format!("{v:?}"));
            false
        });
        seen
    }

    #[test]
    fn walks_objects_and_arrays() {
        let user = json!({
            "status": "ACTIVE",
            "type": { "id": "oty1" },
            "profile": { "tags": ["a", 2, null], "emails": [{ "value": "x@y" }, { "value": "z@y" }] },
        });
        assert_eq!(values(&user, "status"), ["Str(\"ACTIVE\")"]);
        assert_eq!(values(&user, "type.id"), ["Str(\"oty1\")"]);
        assert_eq!(values(&user, "type"), ["Object"]);
        assert_eq!(values(&user, "profile.tags"), ["Str(\"a\")", "Number(2.0)", "Null"]);
        assert_eq!(values(&user, "profile.emails.value"), ["Str(\"x@y\")", "Str(\"z@y\")"]);
        assert!(values(&user, "profile.missing").is_empty());
        assert!(values(&user, "status.deeper").is_empty());
    }
}
