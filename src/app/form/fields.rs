//! Profile fields of the create form, built from the org's user schema,
//! and their checks as the admin types.

use crate::okta::{AttributeKind, SchemaAttribute};
use serde_json::{Map, Number, Value};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct ProfileField {
    pub attr: SchemaAttribute,
    /// Free text (strings, numbers, comma-separated arrays).
    pub input: Input,
    /// For attributes with allowed values: the chosen one (`None`: unset).
    pub choice: Option<usize>,
    pub error: Option<String>,
}

impl ProfileField {
    pub fn new(attr: SchemaAttribute) -> Self {
        Self { attr, input: Input::default(), choice: None, error: None }
    }

    pub fn key(&self) -> &str {
        &self.attr.name
    }

    /// Shown but not editable: the org's to set, or (`editing` an existing
    /// user) only settable when the user is created.
    pub fn locked(&self, editing: bool) -> bool {
        self.attr.read_only || (editing && self.attr.immutable)
    }

    /// Picked from a list rather than typed: enums and booleans.
    pub fn is_choice(&self) -> bool {
        !self.choices().is_empty()
    }

    /// `(value, title)` pairs a choice field cycles through.
    pub fn choices(&self) -> Vec<(Value, String)> {
        match (&self.attr.kind, self.attr.enum_values.is_empty()) {
            (AttributeKind::Array(_), _) => Vec::new(),
            (_, false) => self.attr.enum_values.clone(),
            (AttributeKind::Boolean, true) => {
                vec![(Value::Bool(true), "true".into()), (Value::Bool(false), "false".into())]
            }
            _ => Vec::new(),
        }
    }

    /// Next (or previous) allowed value, passing through "unset".
    pub fn cycle(&mut self, forward: bool) {
        let n = self.choices().len();
        if n == 0 {
            return;
        }
        self.choice = match (self.choice, forward) {
            (None, true) => Some(0),
            (None, false) => Some(n - 1),
            (Some(i), true) if i + 1 < n => Some(i + 1),
            (Some(i), false) if i > 0 => Some(i - 1),
            _ => None,
        };
        self.error = self.check();
    }

    pub fn display(&self) -> String {
        if self.is_choice() {
            return match self.choice.and_then(|i| self.choices().get(i).cloned()) {
                Some((_, title)) => title,
                None => String::new(),
            };
        }
        self.input.value().to_owned()
    }

    pub fn is_empty(&self) -> bool {
        if self.is_choice() { self.choice.is_none() } else { self.input.value().trim().is_empty() }
    }

    /// The JSON value to send, when the field is set and valid.
    pub fn value(&self) -> Option<Value> {
        if self.is_choice() {
            return self.choice.and_then(|i| self.choices().get(i).map(|(v, _)| v.clone()));
        }
        let text = self.input.value().trim();
        if text.is_empty() {
            return None;
        }
        match &self.attr.kind {
            AttributeKind::Array(item) => Some(Value::Array(
                text.split(',').map(str::trim).filter(|s| !s.is_empty()).filter_map(|s| scalar(item, s)).collect(),
            )),
            kind => scalar(kind, text),
        }
    }

    /// What is wrong with the current value, checked as the admin types.
    pub fn check(&self) -> Option<String> {
        if self.is_empty() {
            return self.attr.required.then(|| "required".to_owned());
        }
        if self.is_choice() {
            return None;
        }
        let text = self.input.value().trim();
        let chars = text.chars().count() as u64;
        if let AttributeKind::Array(item) = &self.attr.kind {
            let bad = text.split(',').map(str::trim).filter(|s| !s.is_empty()).find(|s| scalar(item, s).is_none());
            return bad.map(|s| format!("{s:?} is not a {}", kind_word(item)));
        }
        if matches!(self.attr.kind, AttributeKind::Number | AttributeKind::Integer) && self.value().is_none() {
            return Some(format!("must be a {}", kind_word(&self.attr.kind)));
        }
        if let Some(min) = self.attr.min_length.filter(|m| chars < *m) {
            return Some(format!("at least {min} characters"));
        }
        if let Some(max) = self.attr.max_length.filter(|m| chars > *m) {
            return Some(format!("at most {max} characters ({chars} now)"));
        }
        let email_shaped =
            self.attr.format.as_deref() == Some("email") || (self.attr.name == "login" && self.attr.pattern.is_none());
        if email_shaped && !looks_like_email(text) {
            return Some(if self.attr.name == "login" {
                "must be an email address (the org's username format)".into()
            } else {
                "must be an email address".into()
            });
        }
        match self.attr.format.as_deref() {
            Some("country-code") if !(chars == 2 && text.chars().all(|c| c.is_ascii_uppercase())) => {
                Some("a two-letter country code such as US".into())
            }
            Some("uri") if !is_url(text) => Some("a URL such as https://example.com/people/robin".into()),
            Some("locale") if !is_locale(text) => Some("a locale such as en_US (language_COUNTRY)".into()),
            Some("language-code") if !is_language_tag(text) => Some("a language tag such as en or en-US".into()),
            Some("timezone") if !is_time_zone(text) => Some("a time zone such as America/Los_Angeles".into()),
            _ => None,
        }
    }
}

fn scalar(kind: &AttributeKind, text: &str) -> Option<Value> {
    match kind {
        AttributeKind::Integer => text.parse::<i64>().ok().map(Value::from),
        AttributeKind::Number => text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number),
        AttributeKind::Boolean => text.parse::<bool>().ok().map(Value::Bool),
        _ => Some(Value::String(text.to_owned())),
    }
}

fn kind_word(kind: &AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Integer => "whole number",
        AttributeKind::Number => "number",
        AttributeKind::Boolean => "true or false",
        _ => "text",
    }
}

fn is_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| u.has_host() || u.scheme() == "mailto")
}

/// Okta's locales: an ISO 639-1 language and an ISO 3166-1 country, `en_US`.
fn is_locale(s: &str) -> bool {
    let letters = |part: &str, upper: bool| {
        part.len() == 2 && part.chars().all(|c| if upper { c.is_ascii_uppercase() } else { c.is_ascii_lowercase() })
    };
    match s.split_once('_') {
        Some((language, country)) => letters(language, false) && letters(country, true),
        None => letters(s, false),
    }
}

/// An RFC 5646 tag in its common shape: a 2–3 letter language, then
/// subtags of letters or digits (`en`, `en-US`, `zh-Hant-TW`).
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A name from the IANA time zone database, when the system has one;
/// otherwise its shape (`Area/Location`, or `UTC`).
fn is_time_zone(s: &str) -> bool {
    if jiff::tz::db().available().next().is_some() {
        return jiff::tz::db().get(s).is_ok();
    }
    s == "UTC"
        || s.split_once('/').is_some_and(|(area, place)| {
            let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "_-+/".contains(c));
            word(area) && word(place)
        })
}

pub fn looks_like_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !s.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// The form's profile fields: required base attributes first (first name,
/// last name, email, login), then the other base ones, then custom ones.
/// Read-only attributes are the org's to set and are left out.
pub fn from_schema(attributes: Vec<SchemaAttribute>) -> Vec<ProfileField> {
    for_edit(attributes.into_iter().filter(|a| !a.read_only).collect())
}

/// Every attribute in the form's order; the edit form shows the read-only
/// ones too, without letting them be changed.
pub fn for_edit(mut attrs: Vec<SchemaAttribute>) -> Vec<ProfileField> {
    const FIRST: [&str; 4] = ["firstName", "lastName", "email", "login"];
    attrs.sort_by_key(|a| {
        let pinned = FIRST.iter().position(|f| *f == a.name && !a.custom);
        (pinned.unwrap_or(FIRST.len()), !a.required, a.custom)
    });
    attrs.into_iter().map(ProfileField::new).collect()
}

/// Base attributes with Okta's titles and limits, for when the org won't
/// show its schema (the admin lacks `okta.schemas.read`).
pub fn fallback() -> Vec<ProfileField> {
    let attr = |name: &str, title: &str, required: bool, min: Option<u64>, max: Option<u64>, format: Option<&str>| {
        SchemaAttribute {
            name: name.into(),
            title: title.into(),
            kind: AttributeKind::String,
            required,
            min_length: min,
            max_length: max,
            enum_values: Vec::new(),
            format: format.map(str::to_owned),
            pattern: None,
            custom: false,
            read_only: false,
            immutable: false,
            unique: false,
        }
    };
    vec![
        attr("firstName", "First name", true, Some(1), Some(50), None),
        attr("lastName", "Last name", true, Some(1), Some(50), None),
        attr("email", "Primary email", true, Some(5), Some(100), Some("email")),
        attr("login", "Username", true, Some(5), Some(100), None),
        attr("mobilePhone", "Mobile phone", false, None, Some(100), None),
        attr("secondEmail", "Secondary email", false, None, Some(100), Some("email")),
        attr("title", "Title", false, None, None, None),
        attr("department", "Department", false, None, None, None),
    ]
    .into_iter()
    .map(ProfileField::new)
    .collect()
}

/// The profile object to send: every set field.
pub fn profile(fields: &[ProfileField]) -> Map<String, Value> {
    fields.iter().filter_map(|f| Some((f.key().to_owned(), f.value()?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: AttributeKind) -> ProfileField {
        let mut f = fallback().remove(4);
        f.attr.kind = kind;
        f.attr.max_length = None;
        f
    }

    #[test]
    fn typed_values_follow_the_attribute_type() {
        let mut f = field(AttributeKind::Array(Box::new(AttributeKind::String)));
        f.input = Input::new("rust, okta,".into());
        assert_eq!(f.value(), Some(serde_json::json!(["rust", "okta"])));
        let mut f = field(AttributeKind::Number);
        f.input = Input::new("4.5".into());
        assert_eq!(f.value(), Some(serde_json::json!(4.5)));
        f.input = Input::new("four".into());
        assert_eq!(f.check().as_deref(), Some("must be a number"));
    }

    #[test]
    fn lengths_and_emails_are_checked_as_typed() {
        let mut fields = fallback();
        fields[0].input = Input::new("x".repeat(51));
        assert_eq!(fields[0].check().as_deref(), Some("at most 50 characters (51 now)"));
        fields[3].input = Input::new("not-an-email".into());
        assert!(fields[3].check().unwrap().contains("email"));
        fields[3].input = Input::new("ok@example.com".into());
        assert_eq!(fields[3].check(), None);
        assert_eq!(fields[1].check().as_deref(), Some("required"));
    }

    fn formatted(format: &str, value: &str) -> ProfileField {
        let mut f = fallback().into_iter().next().expect("a base field");
        f.attr.format = Some(format.into());
        f.attr.min_length = None;
        f.input = Input::new(value.into());
        f
    }

    #[test]
    fn values_the_schema_format_rejects_get_a_hint() {
        for (format, bad, good) in [
            ("uri", "not a url", "https://example.com/people/robin"),
            ("locale", "english", "en_US"),
            ("language-code", "English please", "en-US"),
            ("timezone", "Pacific Time", "America/Los_Angeles"),
            ("country-code", "usa", "US"),
        ] {
            assert!(formatted(format, bad).check().is_some_and(|h| h.contains("such as")), "{format}: {bad}");
            assert_eq!(formatted(format, good).check(), None, "{format}: {good}");
        }
    }
}
