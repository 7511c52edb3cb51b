//! The plan as a diff against the org: each valid row is a user to
//! create, an existing user to update (the attributes that differ, and
//! groups to join), an existing user left as it is (unchanged, or differing
//! without `--update-existing`), or invalid.

use super::validate::Prepared;
use crate::okta::User;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Create,
    Update,
    Unchanged,
    /// Exists and differs, but `--update-existing` was not given.
    Existing,
    Invalid,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Create, Kind::Update, Kind::Unchanged, Kind::Existing, Kind::Invalid];

    pub fn word(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Update => "update",
            Kind::Unchanged => "unchanged",
            Kind::Existing => "existing",
            Kind::Invalid => "invalid",
        }
    }
}

/// One attribute that differs: what the org holds, what the file says.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub attribute: String,
    pub from: Value,
    pub to: Value,
}

/// What will happen to one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The row's place in the table.
    pub index: usize,
    pub row: usize,
    pub kind: Kind,
    pub login: String,
    pub user_id: Option<String>,
    pub changes: Vec<Change>,
    /// Groups (ids) the existing user is to join.
    pub join: Vec<String>,
    /// Why a row is left as it is (a user type that differs).
    pub note: Option<String>,
}

impl Planned {
    /// `department "Sales" → "Engineering"; groups +00g…`.
    pub fn diff(&self, group_name: impl Fn(&str) -> String) -> String {
        let mut parts: Vec<String> =
            self.changes.iter().map(|c| format!("{}: {} → {}", c.attribute, shown(&c.from), shown(&c.to))).collect();
        if !self.join.is_empty() {
            parts.push(format!("groups: +{}", self.join.iter().map(|g| group_name(g)).collect::<Vec<_>>().join(", +")));
        }
        parts.join("; ")
    }

    /// The profile changes to send, as a partial update.
    pub fn profile_changes(&self) -> Map<String, Value> {
        self.changes.iter().map(|c| (c.attribute.clone(), c.to.clone())).collect()
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(empty)".into(),
        other => other.to_string(),
    }
}

/// Plans every row. `existing`: users by lowercased login; `members`: the
/// member ids of each group the file names.
pub fn plan(
    prepared: &[Option<Prepared>],
    rows: &[usize],
    existing: &HashMap<String, User>,
    members: &HashMap<String, BTreeSet<String>>,
    default_type: Option<&str>,
    update_existing: bool,
) -> Vec<Planned> {
    prepared
        .iter()
        .zip(rows)
        .enumerate()
        .map(|(index, (p, row))| match p {
            None => Planned {
                index,
                row: *row,
                kind: Kind::Invalid,
                login: String::new(),
                user_id: None,
                changes: Vec::new(),
                join: Vec::new(),
                note: None,
            },
            Some(p) => one(p, existing.get(&p.login.to_lowercase()), members, default_type, update_existing),
        })
        .collect()
}

fn one(
    p: &Prepared,
    user: Option<&User>,
    members: &HashMap<String, BTreeSet<String>>,
    default_type: Option<&str>,
    update_existing: bool,
) -> Planned {
    let mut planned = Planned {
        index: p.index,
        row: p.row,
        kind: Kind::Create,
        login: p.login.clone(),
        user_id: None,
        changes: Vec::new(),
        join: Vec::new(),
        note: None,
    };
    let Some(user) = user else { return planned };
    planned.user_id = Some(user.id().to_owned());
    let empty = Map::new();
    let profile = user.profile().unwrap_or(&empty);
    planned.changes = p
        .profile
        .iter()
        .filter(|(k, v)| !same(profile.get(*k).unwrap_or(&Value::Null), v))
        // Okta compares logins without case: a login that differs only in
        // case is the same user, and is not rewritten.
        .filter(|(k, v)| !(k.as_str() == "login" && v.as_str().is_some_and(|l| l.eq_ignore_ascii_case(user.login()))))
        .map(|(k, v)| Change {
            attribute: k.clone(),
            from: profile.get(k).cloned().unwrap_or(Value::Null),
            to: v.clone(),
        })
        .collect();
    planned.join =
        p.group_ids.iter().filter(|g| !members.get(*g).is_some_and(|m| m.contains(user.id()))).cloned().collect();
    let user_type = user.type_id().or(default_type);
    let wanted_type = p.type_id.as_deref().or(default_type);
    if p.type_id.is_some() && user_type != wanted_type {
        planned.kind = Kind::Invalid;
        planned.note = Some("the user exists with another user type; an import does not change a user's type".into());
        return planned;
    }
    planned.kind = match (planned.changes.is_empty() && planned.join.is_empty(), update_existing) {
        (true, _) => Kind::Unchanged,
        (false, true) => Kind::Update,
        (false, false) => Kind::Existing,
    };
    planned
}

/// Equal as Okta stores them: numbers by value (`5` and `5.0`), arrays
/// item by item.
pub(super) fn same(org: &Value, file: &Value) -> bool {
    match (org, file) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::okta::Credentials;
    use serde_json::json;

    fn prepared(profile: Value, groups: &[&str]) -> Prepared {
        Prepared {
            index: 0,
            row: 2,
            login: profile["login"].as_str().unwrap().to_owned(),
            profile: profile.as_object().unwrap().clone(),
            credentials: Credentials::None,
            group_ids: groups.iter().map(|g| (*g).to_owned()).collect(),
            type_id: None,
        }
    }

    #[test]
    fn rows_are_new_changed_or_unchanged_by_attribute_and_group() {
        let user: User = serde_json::from_value(json!({
            "id": "00u1", "status": "ACTIVE",
            "profile": {"login": "a@x.io", "firstName": "A", "clearanceLevel": 5, "skills": ["go"]}
        }))
        .unwrap();
        let existing = HashMap::from([("a@x.io".to_owned(), user)]);
        let members = HashMap::from([("00g1".to_owned(), BTreeSet::from(["00u1".to_owned()]))]);
        let same_row =
            prepared(json!({"login": "A@x.io", "firstName": "A", "clearanceLevel": 5.0, "skills": ["go"]}), &["00g1"]);
        let changed = prepared(json!({"login": "a@x.io", "firstName": "B"}), &["00g1", "00g2"]);
        let new = prepared(json!({"login": "n@x.io"}), &[]);
        let rows = [Some(same_row), Some(changed.clone()), Some(new), None];
        let planned = plan(&rows, &[2, 3, 4, 5], &existing, &members, None, true);
        let kinds: Vec<Kind> = planned.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [Kind::Unchanged, Kind::Update, Kind::Create, Kind::Invalid]);
        assert_eq!(planned[1].diff(str::to_owned), "firstName: \"A\" → \"B\"; groups: +00g2");
        let not_updated = plan(&[Some(changed)], &[3], &existing, &members, None, false);
        assert_eq!(not_updated[0].kind, Kind::Existing);
    }
}
