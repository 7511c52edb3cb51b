//! Loads the demo org (`assets/demo-org.json`) into a store.

use super::ids::{now_millis, okta_id, parse_millis};
use super::record::{Credentials, PasswordCredential, RecoveryQuestion, Status, UserRecord};
use super::store::{Group, GroupKind, Store, StoreError, UserType};
use serde::Deserialize;
use serde_json::{Map, Value};

pub const DEMO_ORG: &str = include_str!("../../assets/demo-org.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedOrg {
    pub admin: String,
    pub user_types: Vec<SeedType>,
    #[serde(default)]
    pub custom_properties: Map<String, Value>,
    pub groups: Vec<SeedGroup>,
    pub users: Vec<SeedUser>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedType {
    pub name: String,
    pub display_name: String,
    pub description: String,
    #[serde(default)]
    pub default: bool,
}

#[derive(Deserialize)]
pub struct SeedGroup {
    pub name: String,
    pub description: String,
    /// `APP_GROUP` for a group an app imports; an `OKTA_GROUP` otherwise.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

impl SeedGroup {
    fn is_app_group(&self) -> bool {
        self.kind.as_deref() == Some("APP_GROUP")
    }
}

/// App groups take ids outside the sequence, from its top down: added after
/// the others, they shift no user's id (every test and snapshot names them).
const APP_GROUP_SEQ: u64 = 62u64.pow(8) - 1;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedUser {
    pub status: String,
    pub created: String,
    #[serde(default)]
    pub activated: Option<String>,
    #[serde(default)]
    pub last_login: Option<String>,
    pub profile: Map<String, Value>,
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub password: bool,
    #[serde(default)]
    pub recovery_question: Option<String>,
}

pub fn demo_org() -> SeedOrg {
    // The file is ours and compiled in; a parse failure is a build defect
    // caught by the tests, not a runtime condition.
    serde_json::from_str(DEMO_ORG).expect("assets/demo-org.json is valid")
}

/// What every org has: the default user type and the `Everyone` group.
pub fn load_minimal(store: &mut Store) -> Result<(), StoreError> {
    let seed = SeedOrg {
        admin: String::new(),
        user_types: vec![SeedType {
            name: "user".into(),
            display_name: "User".into(),
            description: "Okta user profile template with default permission settings".into(),
            default: true,
        }],
        custom_properties: Map::new(),
        groups: Vec::new(),
        users: Vec::new(),
    };
    load(store, &seed)
}

/// Fills an empty store with the seed org: types, `Everyone`, groups, users.
pub fn load(store: &mut Store, seed: &SeedOrg) -> Result<(), StoreError> {
    let now = now_millis();
    for t in &seed.user_types {
        let id = store.new_id("oty");
        let schema_id = store.new_id("osc");
        store.insert_type(UserType {
            id,
            schema_id,
            name: t.name.clone(),
            display_name: t.display_name.clone(),
            description: t.description.clone(),
            default: t.default,
            created: now,
            last_updated: now,
        })?;
    }
    let group = |id: String, name: &str, description: &str, kind| Group {
        id,
        name: name.into(),
        description: description.into(),
        kind,
        created: now,
        last_updated: now,
        last_membership_updated: now,
    };
    let everyone = store.new_id("00g");
    store.insert_group(group(everyone, "Everyone", "All users in your organization", GroupKind::BuiltIn))?;
    for g in seed.groups.iter().filter(|g| !g.is_app_group()) {
        let id = store.new_id("00g");
        store.insert_group(group(id, &g.name, &g.description, GroupKind::OktaGroup))?;
    }
    for (n, g) in (0u64..).zip(seed.groups.iter().filter(|g| g.is_app_group())) {
        let id = okta_id("00g", APP_GROUP_SEQ - n, store.seed());
        store.insert_group(group(id, &g.name, &g.description, GroupKind::AppGroup))?;
    }
    for u in &seed.users {
        let id = store.new_user_id();
        let created = parse_millis(&u.created).unwrap_or(now);
        let status = Status::parse(&u.status).unwrap_or(Status::Active);
        let activated = u.activated.as_deref().and_then(parse_millis);
        let type_id = store
            .user_types()
            .iter()
            .find(|t| t.name == u.type_name)
            .map(|t| t.id.clone())
            .unwrap_or_else(|| store.default_type_id());
        let mut credentials = Credentials::okta();
        if u.password {
            credentials.password = Some(PasswordCredential::Opaque);
        }
        if let Some(q) = &u.recovery_question {
            credentials.recovery_question = Some(RecoveryQuestion { question: q.clone(), answer: String::new() });
        }
        let record = UserRecord {
            id,
            status,
            created,
            activated,
            status_changed: Some(activated.unwrap_or(created)),
            last_login: u.last_login.as_deref().and_then(parse_millis),
            last_updated: activated.unwrap_or(created),
            password_changed: u.password.then_some(created),
            type_id,
            profile: u.profile.clone(),
            credentials,
        };
        if record.login().eq_ignore_ascii_case(&seed.admin) {
            store.admin_id = Some(id);
        }
        store.insert_user(record)?;
        for name in &u.groups {
            if let Some(gid) = store.group_by_name(name).map(|g| g.id.clone()) {
                store.set_member(&gid, id, true, now)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_org_covers_every_status_with_fictional_domains() {
        let seed = demo_org();
        assert!(seed.users.len() >= 60);
        for status in Status::ALL {
            assert!(seed.users.iter().any(|u| u.status == status.as_str()), "{status:?} missing");
        }
        for u in &seed.users {
            let login = u.profile["login"].as_str().unwrap();
            assert!(login.ends_with("@example.com") || login.ends_with("@example.org"), "{login}");
        }
    }
}
