//! Groups, memberships and user types.

use super::{Store, StoreError};
use crate::emulator::ids::{Millis, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupKind {
    /// `Everyone`: every user is a member; membership cannot be changed.
    BuiltIn,
    OktaGroup,
    /// Imported from an app, which alone manages its members.
    AppGroup,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::BuiltIn => "BUILT_IN",
            GroupKind::OktaGroup => "OKTA_GROUP",
            GroupKind::AppGroup => "APP_GROUP",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: GroupKind,
    pub created: Millis,
    pub last_updated: Millis,
    pub last_membership_updated: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserType {
    pub id: String,
    /// The id of this type's profile schema (`osc…`).
    pub schema_id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub default: bool,
    pub created: Millis,
    pub last_updated: Millis,
}

impl Store {
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        self.groups.values().find(|g| g.name == name)
    }

    pub fn insert_group(&mut self, group: Group) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.put_group(&group, self.seq)?;
        }
        self.groups.insert(group.id.clone(), group);
        Ok(())
    }

    pub fn remove_group(&mut self, id: &str) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.remove_group(id)?;
        }
        self.groups.remove(id);
        self.members.remove(id);
        Ok(())
    }

    /// Whether the user is a member (everyone is in a built-in group).
    pub fn is_member(&self, group: &Group, user: &UserId) -> bool {
        group.kind == GroupKind::BuiltIn || self.members.get(&group.id).is_some_and(|m| m.contains(user))
    }

    /// The explicit members of a group, in id order (`None` for built-in
    /// groups, whose members are all users).
    pub fn explicit_members(&self, group: &Group) -> Option<&BTreeSet<UserId>> {
        static EMPTY: BTreeSet<UserId> = BTreeSet::new();
        match group.kind {
            GroupKind::BuiltIn => None,
            GroupKind::OktaGroup | GroupKind::AppGroup => Some(self.members.get(&group.id).unwrap_or(&EMPTY)),
        }
    }

    /// The groups a user belongs to, `Everyone` included.
    pub fn groups_of(&self, user: &UserId) -> Vec<&Group> {
        self.groups.values().filter(|g| self.is_member(g, user)).collect()
    }

    /// Adds or removes a membership; returns whether anything changed.
    pub fn set_member(&mut self, group_id: &str, user: UserId, member: bool, now: Millis) -> Result<bool, StoreError> {
        let set = self.members.entry(group_id.to_owned()).or_default();
        if set.contains(&user) == member {
            return Ok(false);
        }
        if let Some(db) = &self.db {
            db.set_member(group_id, &user, member)?;
        }
        if member {
            set.insert(user);
        } else {
            set.remove(&user);
        }
        if let Some(g) = self.groups.get_mut(group_id) {
            g.last_membership_updated = now;
        }
        Ok(true)
    }

    pub fn user_types(&self) -> &[UserType] {
        &self.user_types
    }

    /// By id, or `default` for the default type.
    pub fn user_type(&self, key: &str) -> Option<&UserType> {
        if key == "default" {
            return self.user_types.iter().find(|t| t.default);
        }
        self.user_types.iter().find(|t| t.id == key)
    }

    pub fn type_by_schema(&self, schema_key: &str) -> Option<&UserType> {
        if schema_key == "default" {
            return self.user_type("default");
        }
        self.user_types.iter().find(|t| t.schema_id == schema_key)
    }

    pub fn insert_type(&mut self, t: UserType) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.put_type(&t, self.seq)?;
        }
        self.user_types.push(t);
        Ok(())
    }

    pub fn remove_type(&mut self, id: &str) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.remove_type(id)?;
        }
        self.user_types.retain(|t| t.id != id);
        Ok(())
    }

    /// The schema id for a user's type (`default` if the type vanished).
    pub fn schema_id_for(&self, type_id: &str) -> String {
        self.user_type(type_id).map_or_else(|| "default".to_owned(), |t| t.schema_id.clone())
    }
}
