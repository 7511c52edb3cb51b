//! Synthetic users for large orgs (`oktui serve --users N`): user `i` is a
//! pure function of `(i, org seed)`, so a million of them cost a slot each
//! in the store (id and index) and are rendered only when asked for.
//!
//! Logins are `first.last.i@example.net`, so a login can be mapped back to
//! its index without an index of a million strings.

use super::ids::{Millis, mix, user_id};
use super::record::{Credentials, PasswordCredential, Status, UserRecord};
use serde_json::{Map, Value};

pub const DOMAIN: &str = "example.net";

const FIRST: [&str; 32] = [
    "Alex", "Bailey", "Cameron", "Dana", "Elliot", "Frankie", "Glenn", "Harper", "Indigo", "Jules", "Kai", "Logan",
    "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor", "Umber", "Vale", "Wren", "Xen", "Yael",
    "Zion", "Arden", "Blair", "Corin", "Drew", "Emerson", "Finch",
];
const LAST: [&str; 32] = [
    "Ashdown",
    "Brightwater",
    "Coldbrook",
    "Dunmore",
    "Eastwick",
    "Fairholt",
    "Greystone",
    "Hollowell",
    "Ironside",
    "Juniper",
    "Kestrel",
    "Larchmont",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pemberton",
    "Quarry",
    "Redfern",
    "Stonebridge",
    "Thornfield",
    "Underhill",
    "Vantage",
    "Whitlock",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Birchwood",
    "Copperfield",
    "Driftwood",
    "Elmstead",
    "Foxglove",
    "Glenwood",
];
const DEPARTMENTS: [&str; 8] = ["Engineering", "Sales", "Marketing", "Finance", "Support", "People", "IT", "Legal"];
const TITLES: [&str; 6] = ["Associate", "Specialist", "Senior Specialist", "Lead", "Manager", "Director"];

/// 2020-01-01T00:00:00Z: synthetic users were created one a minute from then.
const EPOCH: Millis = 1_577_836_800_000;

fn hash(index: u32, seed: u64) -> u64 {
    mix(seed ^ (u64::from(index) << 1) ^ 0x5EED)
}

pub fn first_name(index: u32, seed: u64) -> &'static str {
    FIRST[(hash(index, seed) % 32) as usize]
}

pub fn last_name(index: u32, seed: u64) -> &'static str {
    LAST[((hash(index, seed) >> 8) % 32) as usize]
}

pub fn login(index: u32, seed: u64) -> String {
    format!(
        "{}.{}.{index}@{DOMAIN}",
        first_name(index, seed).to_ascii_lowercase(),
        last_name(index, seed).to_ascii_lowercase()
    )
}

/// The index a synthetic login belongs to, if it is one (case-insensitive).
pub fn index_of_login(login: &str, seed: u64) -> Option<u32> {
    let (local, domain) = login.rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(DOMAIN) {
        return None;
    }
    let index: u32 = local.rsplit_once('.')?.1.parse().ok()?;
    self::login(index, seed).eq_ignore_ascii_case(login).then_some(index)
}

/// Mostly active users, with every other status represented.
pub fn status(index: u32, seed: u64) -> Status {
    match (hash(index, seed) >> 16) % 100 {
        0..=84 => Status::Active,
        85..=88 => Status::Provisioned,
        89..=91 => Status::Staged,
        92..=93 => Status::Suspended,
        94..=95 => Status::LockedOut,
        96 => Status::PasswordExpired,
        97 => Status::Recovery,
        _ => Status::Deprovisioned,
    }
}

pub fn created(index: u32) -> Millis {
    EPOCH + i64::from(index) * 60_000
}

pub fn department(index: u32, seed: u64) -> &'static str {
    DEPARTMENTS[((hash(index, seed) >> 24) % 8) as usize]
}

pub fn title(index: u32, seed: u64) -> &'static str {
    TITLES[((hash(index, seed) >> 32) % 6) as usize]
}

/// A profile attribute without building the record: searching a million
/// synthetic users must not allocate a profile per user.
pub fn profile_attr(index: u32, seed: u64, name: &str) -> Option<String> {
    Some(match name {
        "firstName" => first_name(index, seed).to_owned(),
        "lastName" => last_name(index, seed).to_owned(),
        "displayName" => format!("{} {}", first_name(index, seed), last_name(index, seed)),
        "email" | "login" => login(index, seed),
        "department" => department(index, seed).to_owned(),
        "title" => title(index, seed).to_owned(),
        "employeeNumber" => format!("S{index:07}"),
        _ => return None,
    })
}

/// The full record, for rendering or before a change makes it a stored user.
pub fn record(index: u32, seq: u64, seed: u64, type_id: &str) -> UserRecord {
    let h = hash(index, seed);
    let first = first_name(index, seed);
    let last = last_name(index, seed);
    let login = login(index, seed);
    let status = status(index, seed);
    let created = created(index);
    let has_password = !matches!(status, Status::Staged | Status::Provisioned);
    let activated = has_password.then_some(created + 300_000);
    let mut profile = Map::new();
    profile.insert("firstName".into(), Value::String(first.into()));
    profile.insert("lastName".into(), Value::String(last.into()));
    profile.insert("displayName".into(), Value::String(format!("{first} {last}")));
    profile.insert("email".into(), Value::String(login.clone()));
    profile.insert("login".into(), Value::String(login));
    profile.insert("department".into(), Value::String(department(index, seed).into()));
    profile.insert("title".into(), Value::String(title(index, seed).into()));
    profile.insert("employeeNumber".into(), Value::String(format!("S{index:07}")));
    let mut credentials = Credentials::okta();
    credentials.password = has_password.then_some(PasswordCredential::Opaque);
    UserRecord {
        id: user_id(seq, seed),
        status,
        created,
        activated,
        status_changed: Some(activated.unwrap_or(created)),
        last_login: (status == Status::Active && h.is_multiple_of(3)).then_some(created + 86_400_000),
        last_updated: activated.unwrap_or(created),
        password_changed: has_password.then_some(created),
        type_id: type_id.to_owned(),
        profile,
        credentials,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_map_back_to_their_index() {
        for i in [0, 1, 999_999] {
            let l = login(i, 7);
            assert_eq!(index_of_login(&l, 7), Some(i));
            assert_eq!(index_of_login(&l.to_uppercase(), 7), Some(i));
        }
        assert_eq!(index_of_login("someone.else.3@example.net", 7), None);
        assert_eq!(index_of_login("x@example.com", 7), None);
    }

    #[test]
    fn records_are_deterministic_and_consistent_with_the_fast_accessors() {
        let a = record(42, 100, 7, "oty1");
        let b = record(42, 100, 7, "oty1");
        assert_eq!(a.id, b.id);
        assert_eq!(a.profile, b.profile);
        assert_eq!(a.status, status(42, 7));
        assert_eq!(a.login(), login(42, 7));
        for (name, value) in &a.profile {
            assert_eq!(profile_attr(42, 7, name).as_deref(), value.as_str(), "{name}");
        }
        assert_eq!(profile_attr(42, 7, "city"), None);
    }
}
