//! The lossless object pattern shared by every Okta model: the JSON object
//! exactly as received (key order, nulls, unknown attributes), with typed
//! accessors added by each model.

use serde_json::{Map, Value};

/// A HAL link as Okta writes it in `_links`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub rel: String,
    pub href: String,
    pub method: Option<String>,
}

/// Every `_links` relation of `object` in the order the org sent them.
/// A relation may be one link or an array of them (groups' `logo`).
pub(crate) fn links_of(object: &Map<String, Value>) -> Vec<Link> {
    let Some(Value::Object(links)) = object.get("_links") else {
        return Vec::new();
    };
    let one = |rel: &str, v: &Value| {
        Some(Link {
            rel: rel.to_owned(),
            href: v.get("href")?.as_str()?.to_owned(),
            method: v.get("method").and_then(Value::as_str).map(str::to_owned),
        })
    };
    links
        .iter()
        .flat_map(|(rel, v)| match v {
            Value::Array(items) => items.iter().filter_map(|item| one(rel, item)).collect::<Vec<_>>(),
            other => one(rel, other).into_iter().collect(),
        })
        .collect()
}

/// Declares a model that wraps the whole JSON object.
macro_rules! lossless_object {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(serde_json::Map<String, serde_json::Value>);

        impl $name {
            /// `None` unless `value` is a JSON object.
            pub fn from_json(value: serde_json::Value) -> Option<Self> {
                match value {
                    serde_json::Value::Object(map) => Some(Self(map)),
                    _ => None,
                }
            }

            /// The complete object as received.
            pub fn json(&self) -> &serde_json::Map<String, serde_json::Value> {
                &self.0
            }

            pub fn into_json(self) -> serde_json::Value {
                serde_json::Value::Object(self.0)
            }

            fn str_at(&self, key: &str) -> Option<&str> {
                self.0.get(key).and_then(serde_json::Value::as_str)
            }

            /// Every `_links` relation in the order the org sent them.
            pub fn links(&self) -> Vec<$crate::okta::Link> {
                $crate::okta::object::links_of(&self.0)
            }

            pub fn link(&self, rel: &str) -> Option<$crate::okta::Link> {
                self.links().into_iter().find(|l| l.rel == rel)
            }
        }
    };
}

pub(crate) use lossless_object;
