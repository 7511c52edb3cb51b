//! The detail pane: which user it shows, how, and a bounded cache of full
//! user objects so moving back and forth doesn't refetch.

use super::Load;
use crate::okta::{Group, User};
use std::collections::{HashMap, VecDeque};

/// The pane's tabs. `Sections` is the profile, `Raw` the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Sections,
    Raw,
    Groups,
    Factors,
    Apps,
    /// The shown user's System Log timeline.
    Log,
}

impl View {
    /// The tabs in the order shown and numbered (`1`…).
    pub const TABS: [View; 6] = [View::Sections, View::Groups, View::Factors, View::Apps, View::Raw, View::Log];

    pub fn label(self) -> &'static str {
        match self {
            View::Sections => "Profile",
            View::Groups => "Groups",
            View::Factors => "Factors",
            View::Apps => "Apps",
            View::Raw => "Raw JSON",
            View::Log => "Log",
        }
    }

    /// The tab `step` places away, wrapping around.
    pub fn step(self, step: isize) -> View {
        let n = Self::TABS.len() as isize;
        let at = Self::TABS.iter().position(|t| *t == self).unwrap_or(0) as isize;
        Self::TABS[(at + step).rem_euclid(n) as usize]
    }
}

#[derive(Debug)]
pub struct DetailState {
    /// The user the pane is about (the selected row's id).
    pub id: Option<Box<str>>,
    pub user: Load<User>,
    /// The groups the user is in.
    pub groups: Load<Vec<Group>>,
    pub view: View,
    /// The selected row of the Groups and Factors tabs.
    pub group_cursor: usize,
    pub factor_cursor: usize,
    pub scroll: u16,
    /// Bumped on each selection change; a debounce timer for an older
    /// generation is ignored.
    pub generation: u64,
}

impl Default for DetailState {
    fn default() -> Self {
        Self {
            id: None,
            user: Load::Idle,
            groups: Load::Idle,
            view: View::Sections,
            group_cursor: 0,
            factor_cursor: 0,
            scroll: 0,
            generation: 0,
        }
    }
}

impl DetailState {
    pub fn loaded(&self) -> Option<&User> {
        match &self.user {
            Load::Loaded(u) => Some(u),
            _ => None,
        }
    }

    /// Scrolls by `delta` lines, staying within `0..=limit`.
    pub fn scroll_by(&mut self, delta: i32, limit: u16) {
        let next = i32::from(self.scroll).saturating_add(delta);
        self.scroll = next.clamp(0, i32::from(limit)) as u16;
    }

    /// Points the pane at another user; returns the new generation.
    pub fn retarget(&mut self, id: Option<Box<str>>) -> u64 {
        self.id = id;
        self.user = Load::Idle;
        self.groups = Load::Idle;
        self.group_cursor = 0;
        self.factor_cursor = 0;
        self.scroll = 0;
        self.generation += 1;
        self.generation
    }
}

/// Full users by id, least recently used evicted first. Bounded so that
/// browsing a million-user org keeps memory flat.
#[derive(Debug)]
pub struct UserCache {
    capacity: usize,
    users: HashMap<Box<str>, User>,
    order: VecDeque<Box<str>>,
}

impl UserCache {
    pub fn new(capacity: usize) -> Self {
        Self { capacity, users: HashMap::new(), order: VecDeque::new() }
    }

    pub fn get(&mut self, id: &str) -> Option<&User> {
        if self.users.contains_key(id) {
            self.touch(id);
        }
        self.users.get(id)
    }

    pub fn put(&mut self, user: User) {
        let id: Box<str> = user.id().into();
        self.touch(&id);
        self.users.insert(id, user);
        while self.users.len() > self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.users.remove(&old);
                }
                None => break,
            }
        }
    }

    pub fn remove(&mut self, id: &str) {
        self.users.remove(id);
        self.order.retain(|k| &**k != id);
    }

    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    fn touch(&mut self, id: &str) {
        self.order.retain(|k| &**k != id);
        self.order.push_back(id.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user(id: &str) -> User {
        User::from_json(json!({ "id": id })).unwrap()
    }

    #[test]
    fn cache_evicts_least_recently_used() {
        let mut cache = UserCache::new(2);
        cache.put(user("a"));
        cache.put(user("b"));
        assert!(cache.get("a").is_some());
        cache.put(user("c"));
        assert!(cache.get("b").is_none(), "b was least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
        assert_eq!(cache.len(), 2);
    }
}
