//! The org's data: users, groups and user types, with the indexes the API
//! needs (by id in creation order, by login case-insensitively).

use super::ids::{Millis, okta_id};
use super::record::UserRecord;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub created: Millis,
}

#[derive(Debug, Clone)]
pub struct UserType {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub default: bool,
    pub created: Millis,
}

#[derive(Debug)]
pub struct Store {
    users: BTreeMap<String, UserRecord>,
    by_login: BTreeMap<String, String>,
    pub groups: BTreeMap<String, Group>,
    pub user_types: Vec<UserType>,
    /// Group id to member user ids.
    pub members: BTreeMap<String, BTreeSet<String>>,
    /// The user behind the API token (`/api/v1/users/me`).
    pub admin_id: Option<String>,
    seq: u64,
    pub rng: fastrand::Rng,
}

/// Logins are unique case-insensitively.
pub fn login_key(login: &str) -> String {
    login.to_lowercase()
}

impl Store {
    pub fn new(seed: u64) -> Self {
        Self {
            users: BTreeMap::new(),
            by_login: BTreeMap::new(),
            groups: BTreeMap::new(),
            user_types: Vec::new(),
            members: BTreeMap::new(),
            admin_id: None,
            seq: 0,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        okta_id(prefix, self.seq, &mut self.rng)
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    pub fn user(&self, id: &str) -> Option<&UserRecord> {
        self.users.get(id)
    }

    pub fn user_by_login(&self, login: &str) -> Option<&UserRecord> {
        self.by_login.get(&login_key(login)).and_then(|id| self.users.get(id))
    }

    /// By id, login, or unambiguous login shortname (the part before `@`).
    pub fn find_user(&self, key: &str) -> Option<&UserRecord> {
        if let Some(u) = self.users.get(key).or_else(|| self.user_by_login(key)) {
            return Some(u);
        }
        if key.contains('@') {
            return None;
        }
        let prefix = format!("{}@", login_key(key));
        let mut matches = self.by_login.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix));
        match (matches.next(), matches.next()) {
            (Some((_, id)), None) => self.users.get(id),
            _ => None,
        }
    }

    pub fn login_taken(&self, login: &str) -> bool {
        self.by_login.contains_key(&login_key(login))
    }

    pub fn insert_user(&mut self, user: UserRecord) {
        self.by_login.insert(login_key(user.login()), user.id.clone());
        self.users.insert(user.id.clone(), user);
    }

    /// Users with an id greater than `after`, in id order.
    pub fn users_after<'a>(&'a self, after: Option<&str>) -> impl Iterator<Item = &'a UserRecord> + 'a {
        use std::ops::Bound;
        let lower = match after {
            Some(a) => Bound::Excluded(a.to_owned()),
            None => Bound::Unbounded,
        };
        self.users.range((lower, Bound::Unbounded)).map(|(_, u)| u)
    }

    pub fn add_member(&mut self, group_id: &str, user_id: &str) {
        self.members.entry(group_id.to_owned()).or_default().insert(user_id.to_owned());
    }

    pub fn default_type_id(&self) -> String {
        self.user_types.iter().find(|t| t.default).map(|t| t.id.clone()).unwrap_or_default()
    }
}
