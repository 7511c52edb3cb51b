//! Fuzz target `model`: the client's JSON models (`User`, `UserRow` through
//! `rows_from_json`, `Group`, `UserType`, `UserSchema::attributes`) on
//! org answers that are mutated, retyped or made up.
//!
//! Properties: nothing panics; an object model parses exactly when the
//! input is a JSON object and re-serializes it without loss (values, key
//! order); the compact rows agree field for field with `User::to_row` on
//! the same objects.

use crate::fuzz_support::{self, CHEAP, Corpus, Input, mutated, noise};
use oktui::okta::{Group, User, UserSchema, UserType, rows_from_json};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Okta's keys and values, so mutations land on meaningful spots.
pub const TOKENS: &[&str] = &[
    "\"id\":",
    "\"status\":",
    "\"profile\":",
    "\"login\":",
    "\"email\":",
    "\"firstName\":",
    "\"lastName\":",
    "\"displayName\":",
    "\"_links\":",
    "\"href\":",
    "\"method\":",
    "\"credentials\":",
    "\"provider\":",
    "\"type\":",
    "\"definitions\":",
    "\"custom\":",
    "\"base\":",
    "\"properties\":",
    "\"items\":",
    "\"enum\":",
    "\"oneOf\":",
    "\"const\":",
    "\"required\":",
    "\"lastLogin\":",
    "\"lastUpdated\":",
    "\"emails\":",
    "\"recovery_question\":",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "18446744073709551616",
    "\"\"",
    "\"ACTIVE\"",
    "\"2025-13-45T99:99:99.999Z\"",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "[[[[[[[[[[",
    "{\"a\":{\"a\":{\"a\":",
];

const KEYS: &[&str] = &[
    "id",
    "status",
    "profile",
    "login",
    "email",
    "firstName",
    "lastName",
    "displayName",
    "_links",
    "href",
    "method",
    "credentials",
    "provider",
    "type",
    "name",
    "definitions",
    "custom",
    "base",
    "properties",
    "items",
    "enum",
    "oneOf",
    "const",
    "title",
    "required",
    "minLength",
    "maxLength",
    "mutability",
    "lastLogin",
    "lastUpdated",
    "created",
    "emails",
    "value",
    "recovery_question",
    "question",
    "default",
    "schema",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        prop::sample::select(KEYS).prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(Value::from("2025-01-02T03:04:05.678Z")),
    ]
}

pub fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(5, 48, 6, |inner| {
        let key = prop_oneof![4 => prop::sample::select(KEYS).prop_map(String::from), 1 => any::<String>()];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer in `value`, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A seed with one of its values (a leaf or a whole subtree) replaced by a
/// made-up one: wrong types where the models expect others.
fn retyped(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Input> {
    let trees: Vec<Value> = seeds.iter().filter_map(|s| serde_json::from_slice(s).ok()).collect();
    assert!(!trees.is_empty(), "the model corpus holds JSON");
    (any::<prop::sample::Index>(), any::<prop::sample::Index>(), json_value()).prop_map(move |(pick, at, new)| {
        let mut tree = trees[pick.index(trees.len())].clone();
        let mut all = Vec::new();
        pointers(&tree, String::new(), &mut all);
        let pointer = &all[at.index(all.len())];
        match tree.pointer_mut(pointer) {
            Some(slot) => *slot = new,
            None => tree = new,
        }
        Input(serde_json::to_vec(&tree).unwrap_or_default())
    })
}

/// An object model parses exactly the JSON objects, and gives them back
/// unchanged, key order included.
fn lossless<T: DeserializeOwned + Serialize>(
    what: &str,
    bytes: &[u8],
    value: Option<&Value>,
) -> Result<Option<T>, String> {
    let parsed = serde_json::from_slice::<T>(bytes).ok();
    match (&parsed, value) {
        (Some(model), Some(original @ Value::Object(_))) => {
            let again = serde_json::to_string(model).map_err(|e| format!("{what} does not serialize: {e}"))?;
            let expected = serde_json::to_string(original).unwrap_or_default();
            if again != expected {
                return Err(format!("{what} changed the object:\n  in:  {expected}\n  out: {again}"));
            }
        }
        (Some(_), _) => return Err(format!("{what} parsed something that is not a JSON object")),
        (None, Some(Value::Object(_))) => return Err(format!("{what} refused a JSON object")),
        (None, _) => {}
    }
    Ok(parsed)
}

fn check_user(user: &User) {
    let _ = (user.id(), user.status_str(), user.status(), user.transitioning_to(), user.created());
    let _ = (user.activated(), user.status_changed(), user.last_login(), user.last_updated());
    let _ = (user.password_changed(), user.profile(), user.login(), user.email(), user.display_name());
    let _ = (user.type_id(), user.credentials(), user.provider(), user.has_password());
    let _ = (user.recovery_question(), user.credential_emails(), user.to_row(), user.links(), user.link("self"));
    let _ = format!("{user:?} {:?}", user.to_row());
}

fn check_rows(bytes: &[u8], value: Option<&Value>) -> Result<(), String> {
    let Ok(rows) = rows_from_json(bytes) else { return Ok(()) };
    // serde_json skips the fields a row ignores without checking their
    // UTF-8 or number range, so a page whose only flaws are there still
    // reads (leniency, not a bug); there is no full tree to compare with.
    let Some(value) = value else { return Ok(()) };
    let Value::Array(items) = value else { return Err("rows from something that is not an array".into()) };
    if rows.len() != items.len() {
        return Err(format!("{} rows from {} items", rows.len(), items.len()));
    }
    for (row, item) in rows.iter().zip(items) {
        let user = User::from_json(item.clone()).ok_or("a row from an item that is not an object")?;
        let full = user.to_row();
        if *row != full {
            return Err(format!("the compact row {row:?} differs from User::to_row {full:?} for {item}"));
        }
        let _ = (row.heap_bytes(), row.last_login(), row.last_updated(), row.status(), row.email());
    }
    Ok(())
}

fn check_schema(schema: &UserSchema) -> Result<(), String> {
    let properties = |part: &str| -> Map<String, Value> {
        schema
            .json()
            .get("definitions")
            .and_then(|d| d.get(part))
            .and_then(|d| d.get("properties"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (base, custom) = (properties("base"), properties("custom"));
    for attribute in schema.attributes() {
        let from = if attribute.custom { &custom } else { &base };
        if !from.get(&attribute.name).is_some_and(Value::is_object) {
            return Err(format!("attribute {:?} is not a property object of the schema", attribute.name));
        }
    }
    Ok(())
}

/// The property every input must keep.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let value: Option<Value> = serde_json::from_slice(bytes).ok();
    if let Some(user) = lossless::<User>("User", bytes, value.as_ref())? {
        check_user(&user);
    }
    if let Some(group) = lossless::<Group>("Group", bytes, value.as_ref())? {
        let _ = (group.id(), group.name(), group.description(), group.kind(), group.created());
        let _ = (group.last_updated(), group.last_membership_updated(), group.links(), format!("{group:?}"));
    }
    if let Some(kind) = lossless::<UserType>("UserType", bytes, value.as_ref())? {
        let _ = (kind.id(), kind.name(), kind.display_name(), kind.description(), kind.default());
        let _ = (kind.schema_id(), format!("{kind:?}"));
    }
    if let Some(schema) = lossless::<UserSchema>("UserSchema", bytes, value.as_ref())? {
        check_schema(&schema)?;
    }
    check_rows(bytes, value.as_ref())
}

#[test]
fn the_model_corpus_replays_cleanly() {
    let corpus = Corpus::load("model");
    corpus.replay(|_, seed| check(seed));
    // The seeds that are org answers must read: a corpus of junk only
    // would prove little.
    for page in corpus.with_suffix(".page.json") {
        assert!(!rows_from_json(&page).expect("a page seed reads as rows").is_empty());
    }
}

#[test]
fn fuzzed_model() {
    let corpus = Corpus::load("model");
    let strategy = prop_oneof![
        4 => mutated(corpus.all(), TOKENS),
        4 => retyped(corpus.all()),
        1 => json_value().prop_map(|v| Input(serde_json::to_vec(&v).unwrap_or_default())),
        1 => noise(),
    ];
    fuzz_support::run(&corpus, CHEAP, strategy, |input| check(&input.0).map_err(TestCaseError::fail));
}
