//! Listing users: plain, `q`, `filter` and `search` (with `sortBy`), paged
//! by an opaque keyset cursor, so users created during a listing cause no
//! duplicates and no holes.
//!
//! Without `sortBy` every listing walks the users in id (creation) order
//! from the cursor, testing each against the predicate: no sorting, and a
//! page costs what it skips. With `sortBy` the matching `(key, id)` list is
//! sorted once and cached per (expression, sort, org generation) for a
//! minute, so the next pages binary-search it instead of re-sorting.

use super::http::error::OktaError;
use super::ids::UserId;
use super::record::Status;
use super::store::{Store, UserRef};
use crate::expr::{self, Matcher, Mode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const MAX_LIMIT: usize = 200;
pub const DEFAULT_Q_LIMIT: usize = 10;

/// Where a page starts: after this id (and, when sorted, this sort key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub id: UserId,
    pub key: Option<String>,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match &self.key {
            None => format!("i{}", self.id),
            Some(k) => format!("k{}{k}", self.id),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> Option<Self> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
        let (kind, rest) = raw.split_at_checked(1)?;
        let (id, key) = rest.split_at_checked(20)?;
        let id = UserId::parse(id)?;
        match kind {
            "i" if key.is_empty() => Some(Self { id, key: None }),
            "k" => Some(Self { id, key: Some(key.to_owned()) }),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Which users a listing asks for.
pub enum Selection {
    /// Everyone but DEPROVISIONED users.
    Plain,
    /// `q`: startsWith on firstName, lastName or email; no DEPROVISIONED.
    Q(String),
    /// `filter` or `search`, DEPROVISIONED included.
    Expr { text: String, matcher: Matcher, mode: Mode },
}

impl Selection {
    /// Parses `filter`/`search`, refusing both at once (E0000033) and any
    /// malformed expression (E0000031, naming the problem and where).
    pub fn from_params(q: Option<&str>, filter: Option<&str>, search: Option<&str>) -> Result<Self, OktaError> {
        let (text, mode) = match (filter, search) {
            (Some(_), Some(_)) => return Err(OktaError::search_and_filter()),
            (Some(f), None) => (f, Mode::Filter),
            (None, Some(s)) => (s, Mode::Search),
            (None, None) => {
                return Ok(match q {
                    Some(q) => Selection::Q(q.to_lowercase()),
                    None => Selection::Plain,
                });
            }
        };
        let expr = expr::parse(text, mode).map_err(|e| OktaError::invalid_search(&e.to_string()))?;
        Ok(Selection::Expr { text: text.to_owned(), matcher: Matcher::new(&expr, mode), mode })
    }

    pub fn matches(&self, user: &UserRef<'_>) -> bool {
        match self {
            Selection::Plain => user.status() != Status::Deprovisioned,
            Selection::Q(prefix) => {
                user.status() != Status::Deprovisioned
                    && ["firstName", "lastName", "email"].iter().any(|name| {
                        user.profile_str(name).is_some_and(|v| v.to_lowercase().starts_with(prefix.as_str()))
                    })
            }
            Selection::Expr { matcher, .. } => matcher.matches(user),
        }
    }
}

/// A page of users (ids in order) and where the next one starts.
pub struct PageIds {
    pub ids: Vec<UserId>,
    pub next: Option<Cursor>,
}

/// Users after the cursor in id order, testing each.
pub fn page_by_id(store: &Store, selection: &Selection, after: Option<&Cursor>, limit: usize) -> PageIds {
    let mut ids = Vec::with_capacity(limit);
    let mut more = false;
    for user in store.users_after(after.map(|c| &c.id)) {
        if !selection.matches(&user) {
            continue;
        }
        if ids.len() == limit {
            more = true;
            break;
        }
        ids.push(user.id());
    }
    let next = if more { ids.last().map(|id| Cursor { id: *id, key: None }) } else { None };
    PageIds { ids, next }
}

/// Sort keys compare ASCII case-insensitively (API-NOTES §1.1); users
/// without the attribute come last.
fn sort_key(user: &UserRef<'_>, attr: &str) -> Option<String> {
    user.attr(attr).map(|v| match v {
        serde_json::Value::String(s) => s.to_ascii_lowercase(),
        serde_json::Value::Number(n) => format!("{:020.6}", n.as_f64().unwrap_or(0.0)),
        other => other.to_string().to_ascii_lowercase(),
    })
}

fn compare(a: &(Option<String>, UserId), b: &(Option<String>, UserId), order: SortOrder) -> Ordering {
    let by_key = match (&a.0, &b.0) {
        (Some(x), Some(y)) => match order {
            SortOrder::Asc => x.cmp(y),
            SortOrder::Desc => y.cmp(x),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_key.then(a.1.cmp(&b.1))
}

type Sorted = Arc<Vec<(Option<String>, UserId)>>;

struct CacheEntry {
    key: (String, String, SortOrder, u64),
    made: Instant,
    sorted: Sorted,
}

/// Recently sorted result lists.
#[derive(Default)]
pub struct SearchCache {
    entries: Mutex<Vec<CacheEntry>>,
}

const CACHE_TTL: Duration = Duration::from_secs(60);
const CACHE_SIZE: usize = 8;

impl SearchCache {
    fn sorted(&self, store: &Store, selection: &Selection, sort_by: &str, order: SortOrder) -> Sorted {
        let text = match selection {
            Selection::Expr { text, mode, .. } => format!("{mode:?}:{text}"),
            Selection::Plain => String::from("plain"),
            Selection::Q(q) => format!("q:{q}"),
        };
        let key = (text, sort_by.to_owned(), order, store.generation());
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|e| e.made.elapsed() < CACHE_TTL);
        if let Some(e) = entries.iter().find(|e| e.key == key) {
            return e.sorted.clone();
        }
        let mut list: Vec<_> =
            store.users_after(None).filter(|u| selection.matches(u)).map(|u| (sort_key(&u, sort_by), u.id())).collect();
        list.sort_by(|a, b| compare(a, b, order));
        let sorted = Arc::new(list);
        if entries.len() >= CACHE_SIZE {
            entries.remove(0);
        }
        entries.push(CacheEntry { key, made: Instant::now(), sorted: sorted.clone() });
        sorted
    }

    /// A page of a sorted listing, after the cursor's `(key, id)`.
    pub fn page_sorted(
        &self,
        store: &Store,
        selection: &Selection,
        sort_by: &str,
        order: SortOrder,
        after: Option<&Cursor>,
        limit: usize,
    ) -> PageIds {
        let sorted = self.sorted(store, selection, sort_by, order);
        let start = match after {
            None => 0,
            Some(c) => {
                let probe = (c.key.clone().filter(|k| !k.is_empty()), c.id);
                sorted.partition_point(|e| compare(e, &probe, order) != Ordering::Greater)
            }
        };
        let rest = sorted.get(start..).unwrap_or_default();
        let page = rest.get(..limit.min(rest.len())).unwrap_or_default();
        let next = (rest.len() > page.len())
            .then(|| page.last().map(|(k, id)| Cursor { id: *id, key: Some(k.clone().unwrap_or_default()) }))
            .flatten();
        PageIds { ids: page.iter().map(|(_, id)| *id).collect(), next }
    }
}

/// `fields=id,status,profile:(firstName,lastName)`: which attributes to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    top: Vec<String>,
    profile: Option<Vec<String>>,
}

impl Fields {
    pub fn parse(spec: &str) -> Self {
        let mut top = Vec::new();
        let mut profile = None;
        let mut rest = spec.trim();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("profile:(") {
                let (inner, tail) = after.split_once(')').unwrap_or((after, ""));
                profile = Some(inner.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect());
                rest = tail.trim_start_matches(',').trim();
                continue;
            }
            let (field, tail) = rest.split_once(',').unwrap_or((rest, ""));
            if !field.trim().is_empty() {
                top.push(field.trim().to_owned());
            }
            rest = tail.trim();
        }
        Self { top, profile }
    }

    /// Keeps the asked-for attributes; `id` and `_links` always stay.
    pub fn apply(&self, user: serde_json::Value) -> serde_json::Value {
        let serde_json::Value::Object(map) = user else { return user };
        let mut out = serde_json::Map::new();
        for (k, v) in map {
            let keep = k == "id" || k == "_links" || self.top.contains(&k);
            if k == "profile"
                && let Some(names) = &self.profile
            {
                let serde_json::Value::Object(p) = v else { continue };
                let kept = p.into_iter().filter(|(name, _)| names.contains(name)).collect();
                out.insert(k, serde_json::Value::Object(kept));
            } else if keep {
                out.insert(k, v);
            }
        }
        serde_json::Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = crate::emulator::ids::user_id(77, 1);
        for c in [Cursor { id, key: None }, Cursor { id, key: Some("smith:ö".into()) }] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c.clone()));
            assert!(!c.encode().contains(id.as_str()), "opaque");
        }
        for bad in ["", "!!", "00u0000000000000000a", &URL_SAFE_NO_PAD.encode("x00u")] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    /// Keyset paging over a sorted, filtered set: no duplicates, no holes,
    /// in order, both directions, with users created between pages.
    #[test]
    fn sorted_pages_cover_every_match_once_in_order() {
        let mut store = Store::new(3);
        crate::emulator::seed::load_minimal(&mut store).unwrap_or_default();
        store.add_synthetic(2_000);
        let selection = Selection::from_params(None, None, Some("status eq \"active\"")).unwrap_or(Selection::Plain);
        assert!(matches!(selection, Selection::Expr { .. }));
        let expected: Vec<UserId> = store.users_after(None).filter(|u| selection.matches(u)).map(|u| u.id()).collect();
        assert!(expected.len() > 1_000, "{}", expected.len());
        let cache = SearchCache::default();
        for order in [SortOrder::Asc, SortOrder::Desc] {
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let page = cache.page_sorted(&store, &selection, "profile.lastName", order, cursor.as_ref(), 7);
                seen.extend(page.ids.iter().copied());
                let Some(next) = page.next else { break };
                // The cursor survives being sent to a client and back.
                cursor = Cursor::decode(&next.encode());
            }
            let unique: std::collections::HashSet<_> = seen.iter().collect();
            assert_eq!(unique.len(), seen.len(), "{order:?}: duplicates");
            assert_eq!(unique.len(), expected.len(), "{order:?}: holes");
            let names: Vec<String> = seen
                .iter()
                .filter_map(|id| store.user(id))
                .map(|u| u.profile_str("lastName").unwrap_or_default().to_ascii_lowercase())
                .collect();
            let mut sorted = names.clone();
            sorted.sort();
            if order == SortOrder::Desc {
                sorted.reverse();
            }
            assert_eq!(names, sorted, "{order:?}: out of order");
        }
    }

    #[test]
    fn fields_keep_id_links_and_what_was_asked() {
        let f = Fields::parse("status,profile:(firstName,city)");
        let user = serde_json::json!({"id": "1", "status": "ACTIVE", "created": "x",
            "profile": {"firstName": "A", "lastName": "B", "city": "C"}, "_links": {}});
        assert_eq!(
            f.apply(user),
            serde_json::json!({"id": "1", "status": "ACTIVE", "profile": {"firstName": "A", "city": "C"}, "_links": {}})
        );
    }
}
