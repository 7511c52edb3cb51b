//! The org's user profile schema (API-NOTES §2.2, §6.1): Okta's base
//! attributes with their titles, lengths, formats and permissions, plus the
//! org's custom attributes; rendered for `/api/v1/meta/schemas/user/…` and
//! used to validate every profile written.

use super::ids::{Millis, format_millis};
use super::store::UserType;
use serde_json::{Map, Value, json};

/// `(name, title, required, minLength, maxLength, format, SELF permission)`.
type BaseAttr = (&'static str, &'static str, bool, Option<u32>, Option<u32>, Option<&'static str>, &'static str);

const RO: &str = "READ_ONLY";
const RW: &str = "READ_WRITE";
const HIDE: &str = "HIDE";

const BASE: [BaseAttr; 31] = [
    ("login", "Username", true, Some(5), Some(100), None, RO),
    ("firstName", "First name", true, Some(1), Some(50), None, RW),
    ("lastName", "Last name", true, Some(1), Some(50), None, RW),
    ("middleName", "Middle name", false, None, None, None, RO),
    ("honorificPrefix", "Honorific prefix", false, None, None, None, RO),
    ("honorificSuffix", "Honorific suffix", false, None, None, None, RO),
    ("email", "Primary email", true, None, None, Some("email"), RW),
    ("title", "Title", false, None, None, None, RO),
    ("displayName", "Display name", false, None, None, None, RO),
    ("nickName", "Nickname", false, None, None, None, RO),
    ("profileUrl", "Profile Url", false, None, None, Some("uri"), RO),
    ("secondEmail", "Secondary email", false, None, None, Some("email"), RW),
    ("mobilePhone", "Mobile phone", false, None, Some(100), None, RW),
    ("primaryPhone", "Primary phone", false, None, Some(100), None, HIDE),
    ("streetAddress", "Street address", false, None, None, None, HIDE),
    ("city", "City", false, None, None, None, HIDE),
    ("state", "State", false, None, None, None, HIDE),
    ("zipCode", "Zip code", false, None, None, None, HIDE),
    ("countryCode", "Country code", false, None, None, Some("country-code"), HIDE),
    ("postalAddress", "Postal Address", false, None, None, None, HIDE),
    ("preferredLanguage", "Preferred language", false, None, None, Some("language-code"), RO),
    ("locale", "Locale", false, None, None, Some("locale"), RO),
    ("timezone", "Time zone", false, None, None, Some("timezone"), RO),
    ("userType", "User type", false, None, None, None, RO),
    ("employeeNumber", "Employee number", false, None, None, None, RW),
    ("costCenter", "Cost center", false, None, None, None, RO),
    ("organization", "Organization", false, None, None, None, RO),
    ("division", "Division", false, None, None, None, RO),
    ("department", "Department", false, None, None, None, RO),
    ("managerId", "ManagerId", false, None, None, None, RO),
    ("manager", "Manager", false, None, None, None, RO),
];

/// A validation failure: the attribute to blame (if any) and Okta's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub field: Option<String>,
    pub message: String,
}

impl Cause {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self { field: Some(field.to_owned()), message: message.into() }
    }

    /// `field: message`, the form the TUI splits to place it on a field.
    pub fn text(&self) -> String {
        match &self.field {
            Some(f) => format!("{f}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct UserSchema {
    /// Custom attribute definitions, as JSON Schema fragments.
    pub custom: Map<String, Value>,
    /// The login `pattern`; `None` (Okta's default) means an email address.
    pub login_pattern: Option<String>,
    pub created: Millis,
}

pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

impl UserSchema {
    pub fn is_defined(&self, name: &str) -> bool {
        BASE.iter().any(|a| a.0 == name) || self.custom.contains_key(name)
    }

    /// The schema document as Okta serves it.
    pub fn to_json(&self, base: &str, key: &str, user_type: Option<&UserType>) -> Value {
        let mut base_props = Map::new();
        for (name, title, required, min, max, format, permission) in BASE {
            let mut p = Map::new();
            p.insert("title".into(), json!(title));
            p.insert("type".into(), json!("string"));
            if required {
                p.insert("required".into(), json!(true));
            }
            p.insert("mutability".into(), json!("READ_WRITE"));
            p.insert("scope".into(), json!("NONE"));
            if let Some(min) = min {
                p.insert("minLength".into(), json!(min));
            }
            if let Some(max) = max {
                p.insert("maxLength".into(), json!(max));
            }
            if let Some(format) = format {
                p.insert("format".into(), json!(format));
            }
            if let (true, Some(pattern)) = (name == "login", &self.login_pattern) {
                p.insert("pattern".into(), json!(pattern));
            }
            p.insert("permissions".into(), json!([{ "principal": "SELF", "action": permission }]));
            p.insert("master".into(), json!({ "type": "PROFILE_MASTER" }));
            base_props.insert(name.into(), Value::Object(p));
        }
        let mut custom_props = Map::new();
        for (name, def) in &self.custom {
            let mut p = def.as_object().cloned().unwrap_or_default();
            p.entry("mutability").or_insert(json!("READ_WRITE"));
            p.entry("scope").or_insert(json!("NONE"));
            p.entry("permissions").or_insert(json!([{ "principal": "SELF", "action": "READ_WRITE" }]));
            p.entry("master").or_insert(json!({ "type": "PROFILE_MASTER" }));
            custom_props.insert(name.clone(), Value::Object(p));
        }
        let required: Vec<_> = BASE.iter().filter(|a| a.2).map(|a| a.0).collect();
        let (name, title, description) = match user_type {
            Some(t) => (t.name.as_str(), t.display_name.as_str(), t.description.as_str()),
            None => ("user", "User", "Okta user profile template with default permission settings"),
        };
        let mut links = Map::new();
        links.insert(
            "self".into(),
            json!({ "rel": "self", "href": format!("{base}/api/v1/meta/schemas/user/{key}"), "method": "GET" }),
        );
        if let Some(t) = user_type {
            links.insert(
                "type".into(),
                json!({ "rel": "type", "href": format!("{base}/api/v1/meta/types/user/{}", t.id), "method": "GET" }),
            );
        }
        json!({
            "id": format!("{base}/meta/schemas/user/{key}"),
            "$schema": "http://json-schema.org/draft-04/schema#",
            "name": name,
            "title": title,
            "description": description,
            "lastUpdated": format_millis(self.created),
            "created": format_millis(self.created),
            "definitions": {
                "custom": { "id": "#custom", "type": "object", "properties": custom_props, "required": [] },
                "base": { "id": "#base", "type": "object", "properties": base_props, "required": required },
            },
            "type": "object",
            "properties": { "profile": { "allOf": [ { "$ref": "#/definitions/custom" }, { "$ref": "#/definitions/base" } ] } },
            "_links": links,
        })
    }

    /// Every problem with a complete profile, in Okta's words.
    pub fn validate(&self, profile: &Map<String, Value>) -> Vec<Cause> {
        let mut causes = Vec::new();
        for name in profile.keys() {
            if !self.is_defined(name) {
                causes
                    .push(Cause { field: None, message: format!("Property name '{name}' is not defined in profile") });
            }
        }
        for (name, _, required, min, max, format, _) in BASE {
            let value = profile.get(name).filter(|v| !v.is_null());
            let Some(value) = value else {
                if required {
                    causes.push(Cause::field(name, "The field cannot be left blank"));
                }
                continue;
            };
            let Some(text) = value.as_str() else {
                causes.push(Cause::field(name, "The field must be a string"));
                continue;
            };
            if required && text.trim().is_empty() {
                causes.push(Cause::field(name, "The field cannot be left blank"));
                continue;
            }
            let len = text.chars().count() as u32;
            let pattern_free_login = name == "login" && self.login_pattern.is_some();
            if let Some(min) = min.filter(|m| len < *m && !pattern_free_login) {
                causes.push(Cause::field(name, format!("The field must be at least {min} characters long")));
            }
            if let Some(max) = max.filter(|m| len > *m) {
                causes.push(Cause::field(name, format!("The field cannot be longer than {max} characters")));
            }
            if format == Some("email") && !looks_like_email(text) {
                causes.push(Cause::field(name, "Does not match required pattern"));
            }
            if name == "login" && self.login_pattern.is_none() && !looks_like_email(text) {
                causes.push(Cause::field(name, "Username must be in the form of an email address"));
            }
        }
        for (name, def) in &self.custom {
            if let Some(value) = profile.get(name).filter(|v| !v.is_null()) {
                check_custom(name, def, value, &mut causes);
            }
        }
        causes
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        _ => true,
    }
}

fn check_custom(name: &str, def: &Value, value: &Value, causes: &mut Vec<Cause>) {
    let kind = def.get("type").and_then(Value::as_str).unwrap_or("string");
    if !type_matches(kind, value) {
        causes.push(Cause::field(name, format!("The field must be of type {kind}")));
        return;
    }
    let allowed = |def: &Value, v: &Value| def.get("enum").and_then(Value::as_array).is_none_or(|e| e.contains(v));
    if !allowed(def, value) {
        causes.push(Cause::field(name, "Does not match required enum values"));
    }
    if let (Some(items), Some(values)) = (def.get("items"), value.as_array()) {
        let item_kind = items.get("type").and_then(Value::as_str).unwrap_or("string");
        if values.iter().any(|v| !type_matches(item_kind, v) || !allowed(items, v)) {
            causes.push(Cause::field(name, format!("Every item must be a {item_kind} from the allowed values")));
        }
    }
    if let (Some(text), Some(max)) = (value.as_str(), def.get("maxLength").and_then(Value::as_u64))
        && text.chars().count() as u64 > max
    {
        causes.push(Cause::field(name, format!("The field cannot be longer than {max} characters")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_profile_gives_okta_causes_in_order() {
        let causes: Vec<_> = UserSchema::default().validate(&Map::new()).iter().map(Cause::text).collect();
        assert_eq!(
            causes,
            [
                "login: The field cannot be left blank",
                "firstName: The field cannot be left blank",
                "lastName: The field cannot be left blank",
                "email: The field cannot be left blank",
            ]
        );
    }

    #[test]
    fn unknown_properties_and_login_shape_are_reported() {
        let profile = json!({"login": "robin", "firstName": "R", "lastName": "T", "email": "r@example.com", "shoe": 1});
        let causes: Vec<_> = UserSchema::default()
            .validate(profile.as_object().unwrap_or(&Map::new()))
            .iter()
            .map(Cause::text)
            .collect();
        assert!(causes.contains(&"Property name 'shoe' is not defined in profile".to_owned()), "{causes:?}");
        assert!(causes.contains(&"login: Username must be in the form of an email address".to_owned()));
    }
}
