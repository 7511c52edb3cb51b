//! Loads the demo org (`assets/demo-org.json`) into a store.

use super::ids::{now_millis, parse_millis};
use super::record::{Credentials, PasswordCredential, RecoveryQuestion, Status, UserRecord};
use super::store::{Group, Store, UserType};
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
}

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

/// Fills an empty store with the seed org.
pub fn load(store: &mut Store, seed: &SeedOrg) {
    let now = now_millis();
    for t in &seed.user_types {
        let id = store.new_id("oty");
        store.user_types.push(UserType {
            id,
            name: t.name.clone(),
            display_name: t.display_name.clone(),
            description: t.description.clone(),
            default: t.default,
            created: now,
        });
    }
    let everyone = store.new_id("00g");
    store.groups.insert(
        everyone.clone(),
        Group {
            id: everyone.clone(),
            name: "Everyone".into(),
            description: "All users in your organization".into(),
            built_in: true,
            created: now,
        },
    );
    for g in &seed.groups {
        let id = store.new_id("00g");
        store.groups.insert(
            id.clone(),
            Group { id, name: g.name.clone(), description: g.description.clone(), built_in: false, created: now },
        );
    }
    for u in &seed.users {
        let id = store.new_id("00u");
        let created = parse_millis(&u.created).unwrap_or(now);
        let status = Status::parse(&u.status).unwrap_or(Status::Active);
        let activated = u.activated.as_deref().and_then(parse_millis);
        let type_id = store
            .user_types
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
            id: id.clone(),
            status,
            transitioning_to: None,
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
            store.admin_id = Some(id.clone());
        }
        store.add_member(&everyone, &id);
        for name in &u.groups {
            if let Some(gid) = store.groups.values().find(|g| &g.name == name).map(|g| g.id.clone()) {
                store.add_member(&gid, &id);
            }
        }
        store.insert_user(record);
    }
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
