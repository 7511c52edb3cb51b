//! The org's data: users (stored or synthetic) in id order, a case-
//! insensitive login index, groups and memberships, user types. Every
//! change is written through to SQLite when the org has a data file.

mod directory;
mod enrollments;
mod persist;
mod user_ref;

pub use directory::{Group, GroupKind, UserType};
pub use persist::Db;
pub use user_ref::UserRef;

use super::ids::{Millis, UserId, okta_id, user_id};
use super::record::UserRecord;
use super::synthetic;
use super::syslog::event::{Key, LogEvent, RECORDED_ORDS};
use std::collections::{BTreeMap, BTreeSet};

/// A store write that could not be made durable.
#[derive(Debug, thiserror::Error)]
#[error("the org's data file could not be written: {0}")]
pub struct StoreError(#[from] rusqlite::Error);

/// One user in id order: a synthetic user is only its index until changed.
#[derive(Debug)]
struct Slot {
    id: UserId,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Synthetic(u32),
    Stored(Box<UserRecord>),
}

/// Which sequence numbers belong to synthetic users.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthRange {
    pub base_seq: u64,
    pub count: u32,
}

#[derive(Debug)]
pub struct Store {
    seed: u64,
    seq: u64,
    synth: SynthRange,
    users: Vec<Slot>,
    /// Lower-cased login → id, for stored users only (synthetic logins
    /// map back to their index).
    logins: BTreeMap<String, UserId>,
    pub(super) groups: BTreeMap<String, Group>,
    /// Group id → members, for every group but the built-in `Everyone`.
    members: BTreeMap<String, BTreeSet<UserId>>,
    pub(super) user_types: Vec<UserType>,
    pub admin_id: Option<UserId>,
    /// User → ids of the generated factors that were reset since.
    reset_factors: BTreeMap<UserId, BTreeSet<String>>,
    /// Bumped on every user change, so cached search results know they are stale.
    generation: u64,
    /// The System Log's recorded events, in key order.
    events: Vec<LogEvent>,
    /// When the generated System Log history ends: the org's first start.
    pub history_end: Millis,
    db: Option<Db>,
}

/// Logins are unique case-insensitively.
pub fn login_key(login: &str) -> String {
    login.to_lowercase()
}

impl Store {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            seq: 0,
            synth: SynthRange::default(),
            users: Vec::new(),
            logins: BTreeMap::new(),
            groups: BTreeMap::new(),
            members: BTreeMap::new(),
            user_types: Vec::new(),
            admin_id: None,
            reset_factors: BTreeMap::new(),
            generation: 0,
            events: Vec::new(),
            history_end: 0,
            db: None,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        let seq = self.next_seq();
        okta_id(prefix, seq, self.seed)
    }

    pub fn new_user_id(&mut self) -> UserId {
        let seq = self.next_seq();
        user_id(seq, self.seed)
    }

    /// Appends `count` synthetic users (ids after every existing one).
    pub fn add_synthetic(&mut self, count: u32) {
        self.synth = SynthRange { base_seq: self.seq + 1, count };
        self.users.reserve(count as usize);
        for index in 0..count {
            let id = user_id(self.synth.base_seq + u64::from(index), self.seed);
            self.users.push(Slot { id, body: Body::Synthetic(index) });
        }
        self.seq += u64::from(count);
    }

    pub fn synthetic_range(&self) -> SynthRange {
        self.synth
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    fn position(&self, id: &UserId) -> Result<usize, usize> {
        self.users.binary_search_by(|s| s.id.cmp(id))
    }

    fn slot_ref<'a>(&'a self, slot: &'a Slot) -> UserRef<'a> {
        match &slot.body {
            Body::Synthetic(index) => UserRef::Synthetic { id: slot.id, index: *index, store: self },
            Body::Stored(rec) => UserRef::Stored(rec),
        }
    }

    pub fn user(&self, id: &UserId) -> Option<UserRef<'_>> {
        self.position(id).ok().and_then(|i| self.users.get(i)).map(|s| self.slot_ref(s))
    }

    fn synthetic_by_login(&self, login: &str) -> Option<UserRef<'_>> {
        let index = synthetic::index_of_login(login, self.seed)?;
        if index >= self.synth.count {
            return None;
        }
        let id = user_id(self.synth.base_seq + u64::from(index), self.seed);
        // A synthetic user that was changed or deleted no longer owns it.
        self.user(&id).filter(|u| matches!(u, UserRef::Synthetic { .. }))
    }

    pub fn user_by_login(&self, login: &str) -> Option<UserRef<'_>> {
        if let Some(id) = self.logins.get(&login_key(login)) {
            return self.user(id);
        }
        self.synthetic_by_login(login)
    }

    /// By id, login, or unambiguous login shortname (the part before `@`).
    pub fn find_user(&self, key: &str) -> Option<UserRef<'_>> {
        if let Some(u) = UserId::parse(key).and_then(|id| self.user(&id)) {
            return Some(u);
        }
        if let Some(u) = self.user_by_login(key) {
            return Some(u);
        }
        if key.contains('@') || key.is_empty() {
            return None;
        }
        let prefix = format!("{}@", login_key(key));
        let mut stored =
            self.logins.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(_, id)| *id);
        let synth = self.synthetic_by_login(&format!("{key}@{}", synthetic::DOMAIN)).map(|u| u.id());
        let mut all = stored.by_ref().take(2).chain(synth);
        match (all.next(), all.next()) {
            (Some(id), None) => self.user(&id),
            _ => None,
        }
    }

    pub fn login_taken(&self, login: &str, except: Option<&UserId>) -> bool {
        self.user_by_login(login).is_some_and(|u| Some(&u.id()) != except)
    }

    /// Users with an id greater than `after`, in id order.
    pub fn users_after(&self, after: Option<&UserId>) -> impl Iterator<Item = UserRef<'_>> + '_ {
        let start = match after {
            None => 0,
            Some(a) => match self.position(a) {
                Ok(i) => i + 1,
                Err(i) => i,
            },
        };
        self.users.get(start..).unwrap_or_default().iter().map(|s| self.slot_ref(s))
    }

    /// Adds a new user; its id must be the newest.
    pub fn insert_user(&mut self, user: UserRecord) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.put_user(&user, self.seq)?;
        }
        self.logins.insert(login_key(user.login()), user.id);
        let slot = Slot { id: user.id, body: Body::Stored(Box::new(user)) };
        match self.position(&slot.id) {
            Ok(i) => self.users[i] = slot,
            Err(i) => self.users.insert(i, slot),
        }
        self.generation += 1;
        Ok(())
    }

    /// Replaces a user's record (a synthetic user becomes a stored one).
    pub fn replace_user(&mut self, user: UserRecord) -> Result<(), StoreError> {
        let Ok(i) = self.position(&user.id) else { return self.insert_user(user) };
        if let Some(db) = &self.db {
            db.put_user(&user, self.seq)?;
        }
        if let Body::Stored(old) = &self.users[i].body {
            let old_key = login_key(old.login());
            if self.logins.get(&old_key) == Some(&user.id) {
                self.logins.remove(&old_key);
            }
        }
        self.logins.insert(login_key(user.login()), user.id);
        self.users[i].body = Body::Stored(Box::new(user));
        self.generation += 1;
        Ok(())
    }

    pub fn remove_user(&mut self, id: &UserId) -> Result<(), StoreError> {
        let Ok(i) = self.position(id) else { return Ok(()) };
        let synthetic_index = self.synthetic_index(id);
        if let Some(db) = &self.db {
            db.remove_user(id, synthetic_index)?;
        }
        let slot = self.users.remove(i);
        if let Body::Stored(rec) = slot.body {
            let key = login_key(rec.login());
            if self.logins.get(&key) == Some(id) {
                self.logins.remove(&key);
            }
        }
        for members in self.members.values_mut() {
            members.remove(id);
        }
        self.reset_factors.remove(id);
        self.generation += 1;
        Ok(())
    }

    /// The synthetic index an id was generated for, if any.
    fn synthetic_index(&self, id: &UserId) -> Option<u32> {
        let offset = id.seq().checked_sub(self.synth.base_seq)?;
        u32::try_from(offset).ok().filter(|i| *i < self.synth.count)
    }

    pub fn default_type_id(&self) -> String {
        self.user_types.iter().find(|t| t.default).map(|t| t.id.clone()).unwrap_or_default()
    }

    /// The key the next recorded event takes: published now, or with the
    /// last event when the clock went back, and always after it.
    pub fn next_event_key(&self, now: Millis) -> Key {
        match self.events.last() {
            Some(last) => Key { published: now.max(last.key.published), ord: last.key.ord + 1 },
            None => Key { published: now, ord: RECORDED_ORDS + 1 },
        }
    }

    /// Appends an event made with `next_event_key`.
    pub fn push_event(&mut self, event: LogEvent) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.put_event(&event)?;
        }
        self.events.push(event);
        Ok(())
    }

    /// Recorded events, oldest first.
    pub fn events(&self) -> &[LogEvent] {
        &self.events
    }
}
