//! The org's data file (`oktui serve --data FILE`): SQLite in WAL mode,
//! written through on every change, so a killed server loses at most the
//! request in flight. Synthetic users are not written: only the seed, their
//! count, and which of them were changed (stored rows) or deleted.

use super::{Body, Slot, Store, StoreError, SynthRange};
use crate::emulator::ids::{UserId, user_id};
use crate::emulator::record::UserRecord;
use crate::emulator::syslog::event::{Key, LogEvent};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::Mutex;

#[derive(Debug)]
pub struct Db {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS removed_synthetic (idx INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (group_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE IF NOT EXISTS types (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reset_factors (user_id TEXT NOT NULL, factor_id TEXT NOT NULL, PRIMARY KEY (user_id, factor_id));
CREATE TABLE IF NOT EXISTS events (ord INTEGER PRIMARY KEY, published INTEGER NOT NULL, body TEXT NOT NULL);
";

fn to_sql_err(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

fn json<T: serde::Serialize>(v: &T) -> rusqlite::Result<String> {
    serde_json::to_string(v).map_err(to_sql_err)
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

impl Db {
    fn open(path: &Path) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?;
        // WAL + NORMAL: a committed change survives the process being killed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
    }

    fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [key, value]).map(drop)
    }

    pub(super) fn put_user(&self, user: &UserRecord, seq: u64) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("INSERT OR REPLACE INTO users (id, body) VALUES (?1, ?2)", params![user.id.as_str(), json(user)?])?;
        Self::set_meta(&tx, "seq", &seq.to_string())?;
        tx.commit()
    }

    pub(super) fn remove_user(&self, id: &UserId, synthetic_index: Option<u32>) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM users WHERE id = ?1", [id.as_str()])?;
        tx.execute("DELETE FROM members WHERE user_id = ?1", [id.as_str()])?;
        tx.execute("DELETE FROM reset_factors WHERE user_id = ?1", [id.as_str()])?;
        if let Some(i) = synthetic_index {
            tx.execute("INSERT OR IGNORE INTO removed_synthetic (idx) VALUES (?1)", [i])?;
        }
        tx.commit()
    }

    pub(super) fn put_group(&self, g: &super::Group, seq: u64) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("INSERT OR REPLACE INTO groups (id, body) VALUES (?1, ?2)", params![g.id, json(g)?])?;
        Self::set_meta(&tx, "seq", &seq.to_string())?;
        tx.commit()
    }

    pub(super) fn put_type(&self, t: &super::UserType, seq: u64) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("INSERT OR REPLACE INTO types (id, body) VALUES (?1, ?2)", params![t.id, json(t)?])?;
        Self::set_meta(&tx, "seq", &seq.to_string())?;
        tx.commit()
    }

    pub(super) fn remove_group(&self, id: &str) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM groups WHERE id = ?1", [id])?;
        tx.execute("DELETE FROM members WHERE group_id = ?1", [id])?;
        tx.commit()
    }

    pub(super) fn remove_type(&self, id: &str) -> rusqlite::Result<()> {
        self.conn().execute("DELETE FROM types WHERE id = ?1", [id]).map(drop)
    }

    pub(super) fn reset_factors(&self, user: &UserId, factor_ids: &[&String]) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        for f in factor_ids {
            tx.execute(
                "INSERT OR IGNORE INTO reset_factors (user_id, factor_id) VALUES (?1, ?2)",
                [user.as_str(), f.as_str()],
            )?;
        }
        tx.commit()
    }

    pub(super) fn set_member(&self, group: &str, user: &UserId, member: bool) -> rusqlite::Result<()> {
        let sql = if member {
            "INSERT OR IGNORE INTO members (group_id, user_id) VALUES (?1, ?2)"
        } else {
            "DELETE FROM members WHERE group_id = ?1 AND user_id = ?2"
        };
        self.conn().execute(sql, [group, user.as_str()]).map(drop)
    }

    pub(super) fn put_event(&self, event: &LogEvent) -> rusqlite::Result<()> {
        // SQLite integers are signed: the order is stored as its bits.
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO events (ord, published, body) VALUES (?1, ?2, ?3)",
                params![event.key.ord as i64, event.key.published, json(&event.json)?],
            )
            .map(drop)
    }

    /// Writes a freshly built store in one transaction.
    fn save_all(&self, store: &Store) -> rusqlite::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        for (k, v) in [
            ("seed", store.seed.to_string()),
            ("seq", store.seq.to_string()),
            ("synth_base", store.synth.base_seq.to_string()),
            ("synth_count", store.synth.count.to_string()),
            ("admin", store.admin_id.map(|a| a.to_string()).unwrap_or_default()),
            ("history_end", store.history_end.to_string()),
        ] {
            Self::set_meta(&tx, k, &v)?;
        }
        for slot in &store.users {
            if let Body::Stored(u) = &slot.body {
                tx.execute(
                    "INSERT OR REPLACE INTO users (id, body) VALUES (?1, ?2)",
                    params![u.id.as_str(), json(u)?],
                )?;
            }
        }
        for g in store.groups.values() {
            tx.execute("INSERT OR REPLACE INTO groups (id, body) VALUES (?1, ?2)", params![g.id, json(g)?])?;
        }
        for (gid, members) in &store.members {
            for u in members {
                tx.execute(
                    "INSERT OR IGNORE INTO members (group_id, user_id) VALUES (?1, ?2)",
                    [gid.as_str(), u.as_str()],
                )?;
            }
        }
        for t in &store.user_types {
            tx.execute("INSERT OR REPLACE INTO types (id, body) VALUES (?1, ?2)", params![t.id, json(t)?])?;
        }
        for (uid, factors) in &store.reset_factors {
            for f in factors {
                tx.execute(
                    "INSERT OR IGNORE INTO reset_factors (user_id, factor_id) VALUES (?1, ?2)",
                    [uid.as_str(), f.as_str()],
                )?;
            }
        }
        tx.commit()
    }

    /// Rebuilds the store the file describes, or `None` for a new file.
    fn load(&self) -> rusqlite::Result<Option<Store>> {
        let conn = self.conn();
        let Some(seed) = Self::meta(&conn, "seed")? else { return Ok(None) };
        let num =
            |k: &str| -> rusqlite::Result<u64> { Ok(Self::meta(&conn, k)?.and_then(|v| v.parse().ok()).unwrap_or(0)) };
        let mut store = Store::new(seed.parse().unwrap_or(0));
        store.seq = num("seq")?;
        let synth = SynthRange { base_seq: num("synth_base")?, count: u32::try_from(num("synth_count")?).unwrap_or(0) };
        store.synth = synth;
        let removed: std::collections::HashSet<u32> = conn
            .prepare("SELECT idx FROM removed_synthetic")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut slots: Vec<Slot> = (0..synth.count)
            .filter(|i| !removed.contains(i))
            .map(|i| Slot { id: user_id(synth.base_seq + u64::from(i), store.seed), body: Body::Synthetic(i) })
            .collect();
        let mut stmt = conn.prepare("SELECT body FROM users")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let user: UserRecord = from_json(&body?)?;
            store.logins.insert(super::login_key(user.login()), user.id);
            slots.push(Slot { id: user.id, body: Body::Stored(Box::new(user)) });
        }
        // A changed synthetic user is stored under its own id: keep the stored one.
        slots.sort_by_key(|s| (s.id, matches!(s.body, Body::Synthetic(_))));
        slots.dedup_by(|later, first| later.id == first.id);
        store.users = slots;
        for body in conn.prepare("SELECT body FROM groups")?.query_map([], |r| r.get::<_, String>(0))? {
            let g: super::Group = from_json(&body?)?;
            store.groups.insert(g.id.clone(), g);
        }
        for row in conn
            .prepare("SELECT group_id, user_id FROM members")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        {
            let (gid, uid) = row?;
            if let Some(uid) = UserId::parse(&uid) {
                store.members.entry(gid).or_default().insert(uid);
            }
        }
        let mut types: Vec<super::UserType> = Vec::new();
        for body in conn.prepare("SELECT body FROM types")?.query_map([], |r| r.get::<_, String>(0))? {
            types.push(from_json(&body?)?);
        }
        types.sort_by(|a, b| a.id.cmp(&b.id));
        store.user_types = types;
        for row in conn
            .prepare("SELECT user_id, factor_id FROM reset_factors")?
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        {
            let (uid, fid) = row?;
            if let Some(uid) = UserId::parse(&uid) {
                store.reset_factors.entry(uid).or_default().insert(fid);
            }
        }
        store.admin_id = Self::meta(&conn, "admin")?.and_then(|a| UserId::parse(&a));
        // Files from before the System Log: its history ends now.
        store.history_end = Self::meta(&conn, "history_end")?
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(crate::emulator::ids::now_millis);
        let mut stmt = conn.prepare("SELECT ord, published, body FROM events ORDER BY ord")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))? {
            let (ord, published, body) = row?;
            store.events.push(LogEvent { key: Key { published, ord: ord as u64 }, json: from_json(&body)? });
        }
        Ok(Some(store))
    }
}

impl Store {
    /// Opens the data file: the org it holds, or a new org built by `init`
    /// and written to it.
    pub fn open(path: &Path, init: impl FnOnce() -> Result<Store, StoreError>) -> Result<Store, StoreError> {
        let db = Db::open(path)?;
        let mut store = match db.load()? {
            Some(store) => store,
            None => {
                let store = init()?;
                db.save_all(&store)?;
                store
            }
        };
        store.db = Some(db);
        Ok(store)
    }
}
