//! User types and the user profile schema (`/api/v1/meta/…`): what a
//! schema-driven form needs, read from the lossless objects.

use super::client::Client;
use super::error::Error;
use super::object::lossless_object;
use serde_json::Value;
use std::fmt;

lossless_object!(
    /// A user type (`oty…`), losslessly.
    UserType
);

impl fmt::Debug for UserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserType").field("id", &self.id()).field("name", &self.name()).finish()
    }
}

impl UserType {
    pub fn id(&self) -> &str {
        self.str_at("id").unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        self.str_at("name").unwrap_or_default()
    }

    pub fn display_name(&self) -> &str {
        self.str_at("displayName").unwrap_or_else(|| self.name())
    }

    pub fn description(&self) -> Option<&str> {
        self.str_at("description")
    }

    /// Whether this is the org's default type.
    pub fn default(&self) -> bool {
        self.0.get("default").and_then(Value::as_bool).unwrap_or(false)
    }

    /// The id of the type's schema, from `_links.schema`.
    pub fn schema_id(&self) -> Option<String> {
        let href = self.link("schema")?.href;
        href.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned)
    }
}

lossless_object!(
    /// A user profile schema, losslessly.
    UserSchema
);

impl fmt::Debug for UserSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSchema").field("id", &self.str_at("id")).finish_non_exhaustive()
    }
}

/// A profile attribute's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeKind {
    String,
    Number,
    Integer,
    Boolean,
    Array(Box<AttributeKind>),
}

impl AttributeKind {
    fn from_json(property: &Value) -> Self {
        match property.get("type").and_then(Value::as_str) {
            Some("number") => AttributeKind::Number,
            Some("integer") => AttributeKind::Integer,
            Some("boolean") => AttributeKind::Boolean,
            Some("array") => {
                let item = property.get("items").map_or(AttributeKind::String, AttributeKind::from_json);
                AttributeKind::Array(Box::new(item))
            }
            // Okta only has the five types; anything else is edited as text.
            _ => AttributeKind::String,
        }
    }
}

/// One profile attribute as a form needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaAttribute {
    pub name: String,
    pub title: String,
    pub kind: AttributeKind,
    pub required: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// Allowed values with their display titles (the `oneOf` title, else
    /// the value itself); for arrays, the allowed items.
    pub enum_values: Vec<(Value, String)>,
    pub format: Option<String>,
    pub pattern: Option<String>,
    /// From `definitions.custom` rather than `definitions.base`.
    pub custom: bool,
    /// `mutability: READ_ONLY`: the org sets it, an admin cannot.
    pub read_only: bool,
    /// `mutability: IMMUTABLE`: set when the user is created, never changed
    /// after (Okta's spec only lists the value; this is SCIM's meaning).
    pub immutable: bool,
    /// No two users may hold the same value (`unique` other than
    /// `NOT_UNIQUE`); the login always.
    pub unique: bool,
}

impl UserSchema {
    /// Base attributes first, then custom ones, each in the schema's order.
    pub fn attributes(&self) -> Vec<SchemaAttribute> {
        let definitions = self.0.get("definitions");
        ["base", "custom"]
            .into_iter()
            .flat_map(|part| {
                let def = definitions.and_then(|d| d.get(part));
                attributes_of(def, part == "custom")
            })
            .collect()
    }
}

fn attributes_of(definition: Option<&Value>, custom: bool) -> Vec<SchemaAttribute> {
    let Some(Value::Object(properties)) = definition.and_then(|d| d.get("properties")) else {
        return Vec::new();
    };
    let required_list: Vec<&str> = definition
        .and_then(|d| d.get("required"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    properties
        .iter()
        // A property being removed is sent as null.
        .filter(|(_, p)| p.is_object())
        .map(|(name, p)| attribute(name, p, custom, required_list.contains(&name.as_str())))
        .collect()
}

fn attribute(name: &str, p: &Value, custom: bool, listed_required: bool) -> SchemaAttribute {
    let text = |key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);
    let number = |key: &str| p.get(key).and_then(Value::as_u64);
    let kind = AttributeKind::from_json(p);
    let values_from = if matches!(kind, AttributeKind::Array(_)) { p.get("items").unwrap_or(p) } else { p };
    SchemaAttribute {
        name: name.to_owned(),
        title: text("title").unwrap_or_else(|| name.to_owned()),
        kind,
        required: listed_required || p.get("required").and_then(Value::as_bool).unwrap_or(false),
        min_length: number("minLength"),
        max_length: number("maxLength"),
        enum_values: enum_values(values_from),
        format: text("format"),
        pattern: text("pattern"),
        custom,
        read_only: text("mutability").as_deref() == Some("READ_ONLY"),
        immutable: text("mutability").as_deref() == Some("IMMUTABLE"),
        unique: name == "login"
            || match p.get("unique") {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => s != "NOT_UNIQUE",
                _ => false,
            },
    }
}

fn enum_values(p: &Value) -> Vec<(Value, String)> {
    let one_of = p.get("oneOf").and_then(Value::as_array);
    let title_of = |v: &Value| {
        one_of
            .and_then(|items| items.iter().find(|i| i.get("const") == Some(v)))
            .and_then(|i| i.get("title"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
    };
    match (p.get("enum").and_then(Value::as_array), one_of) {
        (Some(values), _) => values.iter().map(|v| (v.clone(), title_of(v))).collect(),
        (None, Some(items)) => items.iter().filter_map(|i| i.get("const")).map(|v| (v.clone(), title_of(v))).collect(),
        (None, None) => Vec::new(),
    }
}

impl Client {
    pub async fn list_user_types(&self) -> Result<Vec<UserType>, Error> {
        self.get_json(self.url("/api/v1/meta/types/user")).await
    }

    /// A user schema by id (`osc…`) or `default`.
    pub async fn get_user_schema(&self, schema_id: &str) -> Result<UserSchema, Error> {
        self.get_json(self.url_with("/api/v1/meta/schemas/user", &[schema_id])).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attributes_base_then_custom_with_enums_and_requirements() {
        let schema: UserSchema = serde_json::from_value(json!({
            "definitions": {
                "custom": {"properties": {
                    "tier": {"title": "Tier", "type": "string", "enum": ["gold", "silver"],
                             "oneOf": [{"const": "gold", "title": "Gold tier"}, {"const": "silver", "title": "Silver tier"}]},
                    "nums": {"title": "Numbers", "type": "array", "items": {"type": "integer", "enum": [1, 2]}},
                    "gone": null
                }, "required": []},
                "base": {"properties": {
                    "login": {"title": "Username", "type": "string", "required": true, "minLength": 5, "maxLength": 100},
                    "email": {"title": "Primary email", "type": "string", "format": "email"},
                    "manager": {"title": "Manager", "type": "string", "mutability": "READ_ONLY"},
                    "employeeNumber": {"title": "Employee number", "type": "string", "mutability": "IMMUTABLE",
                                       "unique": "UNIQUE_VALIDATED"}
                }, "required": ["login", "email"]}
            }
        }))
        .unwrap();
        let attrs = schema.attributes();
        let names: Vec<_> = attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["login", "email", "manager", "employeeNumber", "tier", "nums"]);
        assert!(attrs[0].required && attrs[1].required && !attrs[2].required);
        assert_eq!((attrs[0].min_length, attrs[0].max_length), (Some(5), Some(100)));
        assert_eq!(attrs[1].format.as_deref(), Some("email"));
        let unique: Vec<bool> = attrs.iter().map(|a| a.unique).collect();
        assert_eq!(unique, [true, false, false, true, false, false], "the login always, others as the schema says");
        assert!(attrs[2].read_only && !attrs[2].immutable && !attrs[2].custom);
        assert!(attrs[3].immutable && !attrs[3].read_only && !attrs[0].immutable);
        assert!(attrs[4].custom);
        assert_eq!(attrs[4].enum_values[0], (json!("gold"), "Gold tier".to_string()));
        assert_eq!(attrs[5].kind, AttributeKind::Array(Box::new(AttributeKind::Integer)));
        assert_eq!(attrs[5].enum_values[1], (json!(2), "2".to_string()));
    }

    #[test]
    fn user_type_views() {
        let t: UserType = serde_json::from_value(json!({
            "id": "oty1", "name": "user", "displayName": "User", "default": true,
            "_links": {"schema": {"rel": "schema", "href": "https://x/api/v1/meta/schemas/user/osc1", "method": "GET"}}
        }))
        .unwrap();
        assert_eq!((t.id(), t.name(), t.display_name(), t.default()), ("oty1", "user", "User", true));
        assert_eq!(t.schema_id().as_deref(), Some("osc1"));
    }
}
