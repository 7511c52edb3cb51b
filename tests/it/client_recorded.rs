//! Every user, group, user-type and schema object in the recorded Okta
//! traffic (`../shared/okta/recorded/`) parses into its model and
//! re-serializes without loss: same keys, same order, same nulls.

use crate::recorded;
use oktui::okta::{Group, User, UserSchema, UserType, rows_from_json};
use serde_json::Value;
use std::path::Path;

/// Response bodies of a vcrpy (`body.string`) or go-vcr (`body`) cassette.
fn bodies(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Some(interactions) = doc.get("interactions").and_then(|i| i.as_sequence()) else { return Vec::new() };
    interactions
        .iter()
        .filter_map(|i| {
            let body = i.get("response")?.get("body")?;
            body.get("string").unwrap_or(body).as_str().map(str::to_owned)
        })
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    users: usize,
    groups: usize,
    types: usize,
    schemas: usize,
}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(object: &Value, what: &str, file: &Path) -> T {
    let typed: T =
        serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{what} in {}: {e}", file.display()));
    let again = serde_json::to_string(&typed).unwrap();
    assert_eq!(
        again,
        serde_json::to_string(object).unwrap(),
        "{what} in {} changed on the way through",
        file.display()
    );
    typed
}

fn visit(object: &Value, file: &Path, counts: &mut Counts) {
    let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    if object.get("$schema").is_some() || id.contains("/meta/schemas/user") {
        let schema: UserSchema = check(object, "schema", file);
        assert!(!schema.attributes().is_empty(), "schema in {} has attributes", file.display());
        counts.schemas += 1;
    } else if id.starts_with("00u") && object.get("profile").is_some() {
        let user: User = check(object, "user", file);
        assert_eq!(user.id(), id);
        let row = user.to_row();
        assert_eq!((row.id(), row.login()), (user.id(), user.login()));
        assert!(user.links().iter().all(|l| !l.href.is_empty()));
        counts.users += 1;
    } else if id.starts_with("00g") {
        let group: Group = check(object, "group", file);
        assert!(!group.name().is_empty() && !group.kind().is_empty(), "group in {}", file.display());
        counts.groups += 1;
    } else if id.starts_with("oty") {
        let user_type: UserType = check(object, "user type", file);
        assert!(!user_type.name().is_empty());
        counts.types += 1;
    }
}

#[test]
fn recorded_objects_round_trip_losslessly() {
    let Some(dir) = recorded::dir("client_recorded") else { return };
    let files = recorded::cassettes(&dir);
    let mut counts = Counts::default();
    for file in &files {
        for body in bodies(file) {
            let Ok(value) = serde_json::from_str::<Value>(&body) else { continue };
            match &value {
                Value::Array(items) => {
                    items.iter().for_each(|item| visit(item, file, &mut counts));
                    if items.iter().any(|i| i.get("id").and_then(Value::as_str).is_some_and(|id| id.starts_with("00u")))
                    {
                        let rows = rows_from_json(body.as_bytes()).unwrap();
                        assert_eq!(rows.len(), items.len(), "every listed user becomes a row");
                    }
                }
                object => visit(object, file, &mut counts),
            }
        }
    }
    eprintln!("recorded objects checked: {counts:?} in {} cassettes", files.len());
    assert!(counts.users > 100 && counts.groups > 10 && counts.types > 0 && counts.schemas > 0, "{counts:?}");
}
