//! The log's past, generated and never stored: the same events on every
//! start of the same org, ending when the org was first built.
//!
//! - The demo users' month: sign-in sessions (`user.session.start`, an MFA
//!   challenge, SSO into apps) from their city and now and then another,
//!   admin profile edits and group additions, and the events that explain
//!   each status: failed passwords then a lockout, password resets,
//!   suspensions, deactivations, expiries, creations.
//! - Synthetic users (`--users N`): a few events each, a pure function of
//!   the event's number, laid out evenly over the month so that a query
//!   finds its starting point by binary search and pages without
//!   materialising anything.

use super::event::{self, DEMO_ORDS, Key, Kind, LogEvent, Outcome, Parts, SUCCESS, SYNTHETIC_ORDS, user_ref};
use super::query::{About, Source, scan_slice};
use super::record::{group_target, user_target};
use crate::emulator::ids::{Millis, UserId, mix, okta_id, user_id};
use crate::emulator::record::{Status, UserRecord};
use crate::emulator::seed;
use crate::emulator::store::{Store, SynthRange};
use crate::emulator::synthetic;
use serde_json::{Map, Value, json};

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;
/// How far back the history reaches (inside Okta's 90-day retention).
const SPAN: Millis = 30 * DAY;

const FAILED_PASSWORD: Outcome = Outcome { result: "FAILURE", reason: Some("INVALID_CREDENTIALS") };

/// Where sign-ins come from. Addresses are from the documentation ranges
/// (RFC 5737), so none of them is anyone's.
struct Place {
    city: &'static str,
    state: &'static str,
    country: &'static str,
    postal: &'static str,
    lat: f64,
    lon: f64,
    net: &'static str,
}

const fn place(city: &'static str, state: &'static str, country: &'static str, postal: &'static str) -> Place {
    Place { city, state, country, postal, lat: 0.0, lon: 0.0, net: "" }
}

const PLACES: [Place; 8] = [
    Place {
        lat: 37.7697,
        lon: -122.3933,
        net: "198.51.100",
        ..place("San Francisco", "California", "United States", "94107")
    },
    Place { lat: 40.7209, lon: -74.0007, net: "203.0.113", ..place("New York", "New York", "United States", "10013") },
    Place { lat: 30.2672, lon: -97.7431, net: "192.0.2", ..place("Austin", "Texas", "United States", "78701") },
    Place { lat: 41.8857, lon: -87.6181, net: "198.51.100", ..place("Chicago", "Illinois", "United States", "60601") },
    Place {
        lat: 47.6101,
        lon: -122.3344,
        net: "203.0.113",
        ..place("Seattle", "Washington", "United States", "98101")
    },
    Place { lat: 51.5154, lon: -0.0922, net: "192.0.2", ..place("London", "England", "United Kingdom", "EC1A") },
    Place { lat: 52.5320, lon: 13.3849, net: "198.51.100", ..place("Berlin", "Berlin", "Germany", "10115") },
    Place { lat: 43.6532, lon: -79.3832, net: "203.0.113", ..place("Toronto", "Ontario", "Canada", "M5H") },
];

/// `(raw user agent, os, browser, device)`.
const AGENTS: [(&str, &str, &str, &str); 4] = [
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
        "Mac OS X",
        "CHROME",
        "Computer",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Windows 10",
        "FIREFOX",
        "Computer",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "iOS",
        "MOBILE_SAFARI",
        "Mobile",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.0.0",
        "Windows 10",
        "EDGE_CHROMIUM",
        "Computer",
    ),
];

const APPS: [&str; 5] = ["Slack", "Google Workspace", "Salesforce", "Zoom", "GitHub"];

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A deterministic opaque id (transactions, sessions).
fn opaque(prefix: &str, mut h: u64, len: usize) -> String {
    let mut s = String::from(prefix);
    for i in 0..len {
        if i % 10 == 9 {
            h = mix(h);
        }
        s.push(BASE62[(h % 62) as usize] as char);
        h /= 62;
    }
    s
}

fn client(place: &Place, agent: usize, h: u64) -> Value {
    let (raw, os, browser, device) = AGENTS[agent % AGENTS.len()];
    json!({
        "userAgent": { "rawUserAgent": raw, "os": os, "browser": browser },
        "zone": "null",
        "device": device,
        "id": null,
        "ipAddress": format!("{}.{}", place.net, 10 + h % 240),
        "geographicalContext": {
            "city": place.city,
            "state": place.state,
            "country": place.country,
            "postalCode": place.postal,
            "geolocation": { "lat": place.lat, "lon": place.lon },
        },
    })
}

/// One past event, before it has its key.
struct Past {
    at: Millis,
    kind: &'static Kind,
    actor: Value,
    client: Value,
    session: Option<String>,
    outcome: Outcome,
    targets: Vec<Value>,
    transaction: String,
    uri: String,
}

impl Past {
    fn render(self, key: Key, seed: u64) -> LogEvent {
        let json = event::render(Parts {
            kind: self.kind,
            published: key.published,
            uuid: event::uuid_from(key.ord, seed),
            actor: self.actor,
            client: self.client,
            session: self.session.as_deref(),
            outcome: self.outcome,
            targets: self.targets,
            transaction_id: &self.transaction,
            transaction_detail: json!({}),
            debug_data: json!({ "requestId": self.transaction, "requestUri": self.uri, "url": self.uri }),
        });
        LogEvent { key, json }
    }
}

fn app_target(app: usize, seed: u64) -> Value {
    let name = APPS[app % APPS.len()];
    json!({ "id": okta_id("0oa", 9000 + app as u64, seed), "type": "AppInstance", "alternateId": name,
        "displayName": name, "detailEntry": null })
}

fn factor_target(user: &str) -> Value {
    json!({ "id": format!("opf{}", &user[3..]), "type": "AuthenticatorEnrollment", "alternateId": "unknown",
        "displayName": "Okta Verify", "detailEntry": null })
}

/// Who did the admin's work in the past, from where.
struct Admin {
    actor: Value,
    client: Value,
}

impl Admin {
    fn act(&self, at: Millis, kind: &'static Kind, targets: Vec<Value>, uri: String, h: u64) -> Past {
        Past {
            at,
            kind,
            actor: self.actor.clone(),
            client: self.client.clone(),
            session: Some(opaque("102", h ^ 0xAD, 22)),
            outcome: SUCCESS,
            targets,
            transaction: opaque("", h, 27),
            uri,
        }
    }
}

/// A sign-in session at `at`: the session, an MFA challenge, SSO into apps.
fn session(out: &mut Vec<Past>, user: &Value, at: Millis, client: Value, h: u64, seed: u64) {
    let id = user["id"].as_str().unwrap_or_default().to_owned();
    let sid = opaque("102", h ^ 0x5E55, 22);
    let signin = |at, kind, targets, t: u64, uri: &str| Past {
        at,
        kind,
        actor: user.clone(),
        client: client.clone(),
        session: Some(sid.clone()),
        outcome: SUCCESS,
        targets,
        transaction: opaque("", t, 27),
        uri: uri.into(),
    };
    out.push(signin(at, &event::SESSION_START, Vec::new(), h, "/idp/idx/identify"));
    out.push(signin(at + 20_000, &event::MFA, vec![factor_target(&id)], h, "/idp/idx/challenge/answer"));
    for n in 0..1 + h % 2 {
        let app = ((h >> 8) + n) as usize;
        let when = at + MINUTE + (n as Millis) * ((h >> 16) % 180) as Millis * MINUTE;
        out.push(signin(when, &event::SSO, vec![app_target(app, seed)], mix(h ^ n), "/app/sso/saml"));
    }
}

fn changes(attr: &str, from: Value, to: Value) -> (Map<String, Value>, Map<String, Value>) {
    (Map::from_iter([(attr.to_owned(), from)]), Map::from_iter([(attr.to_owned(), to)]))
}

/// One demo user's month.
fn demo_story(out: &mut Vec<Past>, user: &UserRecord, groups: &[Value], admin: &Admin, end: Millis, seed: u64) {
    let h = mix(seed ^ mix(user.id.seq() ^ 0x1065));
    let me = user_target(user);
    let uri = |op: &str| format!("/api/v1/users/{}{op}", user.id);
    let home = &PLACES[(h % PLACES.len() as u64) as usize];
    let agent = ((h >> 4) % AGENTS.len() as u64) as usize;
    let signs_in = user.credentials.password.is_some() && !matches!(user.status, Status::Staged | Status::Provisioned);
    if signs_in {
        for n in 0..2 + (h >> 8) % 5 {
            let s = mix(h ^ n);
            let at = end - 3 * DAY - ((s % 26) as Millis) * DAY - ((s >> 8) % 10) as Millis * HOUR;
            // Now and then from somewhere else, on another device.
            let (place, agent) = if s.is_multiple_of(5) {
                (&PLACES[((s >> 20) % PLACES.len() as u64) as usize], agent + 2)
            } else {
                (home, agent)
            };
            session(out, &me, at, client(place, agent, s), s, seed);
        }
    }
    let recent = end - DAY - ((h >> 24) % 40) as Millis * HOUR;
    if user.status == Status::Active && (h >> 32).is_multiple_of(3) {
        let attr = if user.profile.contains_key("title") { "title" } else { "department" };
        let now = user.profile.get(attr).cloned().unwrap_or(Value::Null);
        let (from, to) = changes(attr, json!("Associate"), now);
        let at = end - 12 * DAY - ((h >> 40) % 9) as Millis * DAY;
        let mut target = me.clone();
        target["changeDetails"] = json!({ "from": from, "to": to });
        out.push(admin.act(at, &event::PROFILE_UPDATE, vec![target], uri(""), h ^ 1));
    }
    if let Some(group) = groups.iter().find(|g| g["displayName"] == "VPN Users").filter(|_| (h >> 36).is_multiple_of(2))
    {
        let at = end - 20 * DAY + ((h >> 44) % 48) as Millis * HOUR;
        out.push(admin.act(at, &event::GROUP_ADD, vec![me.clone(), group.clone()], uri("/groups"), h ^ 2));
    }
    let by_admin = |kind, op: &str, at| admin.act(at, kind, vec![me.clone()], uri(op), h ^ 3);
    match user.status {
        Status::LockedOut => {
            // Someone keeps guessing from far away until the account locks.
            let s = mix(h ^ 0x10C7);
            let place = &PLACES[((s % 3) + 5) as usize];
            let at = recent - 5 * MINUTE;
            let failures = 3 + s % 3;
            let guesser = client(place, agent + 1, s);
            for n in 0..failures {
                out.push(Past {
                    at: at + n as Millis * 40_000,
                    kind: &event::SESSION_START_FAILED,
                    actor: me.clone(),
                    client: guesser.clone(),
                    session: None,
                    outcome: FAILED_PASSWORD,
                    targets: Vec::new(),
                    transaction: opaque("", mix(s ^ n), 27),
                    uri: "/idp/idx/identify".into(),
                });
            }
            let tx = opaque("", mix(s ^ (failures - 1)), 27);
            out.push(Past {
                at: at + (failures - 1) as Millis * 40_000 + 1,
                kind: &event::ACCOUNT_LOCK,
                actor: me.clone(),
                client: guesser,
                session: None,
                outcome: SUCCESS,
                targets: vec![me.clone()],
                transaction: tx,
                uri: "/idp/idx/identify".into(),
            });
        }
        Status::Recovery => out.push(by_admin(&event::RESET_PASSWORD, "/lifecycle/reset_password", recent)),
        Status::Suspended => out.push(by_admin(&event::USER_SUSPEND, "/lifecycle/suspend", recent)),
        Status::Deprovisioned => out.push(by_admin(&event::USER_DEACTIVATE, "/lifecycle/deactivate", recent)),
        Status::PasswordExpired => out.push(by_admin(&event::EXPIRE_PASSWORD, "/lifecycle/expire_password", recent)),
        Status::Staged => out.push(admin.act(recent, &event::USER_CREATE, vec![me.clone()], "/api/v1/users".into(), h)),
        Status::Provisioned => {
            // One request: created and activated (without a password).
            out.push(admin.act(recent, &event::USER_CREATE, vec![me.clone()], "/api/v1/users".into(), h));
            out.push(admin.act(recent + 1, &event::USER_ACTIVATE, vec![me.clone()], "/api/v1/users".into(), h));
        }
        Status::Active => {}
    }
}

/// The demo org's month, in key order.
fn demo_history(seed: u64, end: Millis) -> Vec<LogEvent> {
    let org = seed::demo_org();
    // The seed loaded afresh gives the users as they were: the history
    // stays the same whatever was changed since.
    let mut scratch = Store::new(seed);
    if seed::load(&mut scratch, &org).is_err() {
        return Vec::new();
    }
    let admin_user = scratch.admin_id.and_then(|id| scratch.user(&id)).map(|u| u.record().into_owned());
    let admin = Admin {
        actor: admin_user.as_ref().map_or_else(event::system_actor, user_target),
        client: client(&PLACES[0], 0, seed),
    };
    let mut past = Vec::new();
    for seeded in &org.users {
        let login = seeded.profile.get("login").and_then(Value::as_str).unwrap_or_default();
        let Some(user) = scratch.user_by_login(login).map(|u| u.record().into_owned()) else { continue };
        let groups: Vec<Value> = scratch.groups_of(&user.id).into_iter().map(group_target).collect();
        demo_story(&mut past, &user, &groups, &admin, end, seed);
    }
    past.retain(|p| p.at < end && p.at >= end - SPAN);
    past.sort_by_key(|p| p.at);
    past.into_iter()
        .zip(1..)
        .map(|(p, n)| {
            let key = Key { published: p.at, ord: DEMO_ORDS + n };
            p.render(key, seed)
        })
        .collect()
}

/// Synthetic users' events: event `e` belongs to user `e % count`, is its
/// `e / count`-th, and is published at an even step through the month.
#[derive(Debug)]
struct Synthetic {
    range: SynthRange,
    seed: u64,
    end: Millis,
    admin: Value,
}

/// Events per synthetic user.
const PER_USER: u64 = 2;

impl Synthetic {
    fn total(&self) -> u64 {
        u64::from(self.range.count) * PER_USER
    }

    fn key(&self, e: u64) -> Key {
        let offset = i128::from(e) * i128::from(SPAN) / i128::from(self.total().max(1));
        Key { published: self.end - SPAN + offset as Millis, ord: SYNTHETIC_ORDS + e }
    }

    /// The first event whose key is above `from`.
    fn first_after(&self, from: Key) -> u64 {
        let (mut lo, mut hi) = (0, self.total());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key(mid) <= from { lo = mid + 1 } else { hi = mid }
        }
        lo
    }

    fn event(&self, e: u64) -> LogEvent {
        let key = self.key(e);
        let count = u64::from(self.range.count);
        let index = (e % count) as u32;
        let last = e / count == PER_USER - 1;
        let seed = self.seed;
        let h = mix(seed ^ mix(e ^ 0x5717));
        let id: UserId = user_id(self.range.base_seq + u64::from(index), seed);
        let name = format!("{} {}", synthetic::first_name(index, seed), synthetic::last_name(index, seed));
        let me = user_ref(id.as_str(), &synthetic::login(index, seed), &name);
        let place = &PLACES[(mix(seed ^ u64::from(index)) % PLACES.len() as u64) as usize];
        let here = client(place, (h % 4) as usize, h);
        let admin = Admin { actor: self.admin.clone(), client: client(&PLACES[0], 0, seed) };
        let uri = |op: &str| format!("/api/v1/users/{id}{op}");
        let by_admin = |kind, op: &str| admin.act(key.published, kind, vec![me.clone()], uri(op), h);
        let past = match (synthetic::status(index, seed), last) {
            (Status::Staged | Status::Provisioned, false) => by_admin(&event::USER_CREATE, ""),
            (Status::Provisioned, true) => by_admin(&event::USER_ACTIVATE, "/lifecycle/activate"),
            (Status::Staged, true) => {
                let mut target = me.clone();
                target["changeDetails"] = json!({ "from": { "title": "Associate" },
                    "to": { "title": synthetic::title(index, seed) } });
                admin.act(key.published, &event::PROFILE_UPDATE, vec![target], uri(""), h)
            }
            (Status::Suspended, true) => by_admin(&event::USER_SUSPEND, "/lifecycle/suspend"),
            (Status::Deprovisioned, true) => by_admin(&event::USER_DEACTIVATE, "/lifecycle/deactivate"),
            (Status::Recovery, true) => by_admin(&event::RESET_PASSWORD, "/lifecycle/reset_password"),
            (Status::PasswordExpired, true) => by_admin(&event::EXPIRE_PASSWORD, "/lifecycle/expire_password"),
            (Status::LockedOut, true) => Past {
                actor: me.clone(),
                client: here,
                session: None,
                uri: "/idp/idx/identify".into(),
                ..by_admin(&event::ACCOUNT_LOCK, "")
            },
            _ => {
                let (kind, outcome, targets) = match h % 10 {
                    7 => (&event::MFA, SUCCESS, vec![factor_target(id.as_str())]),
                    8 => (&event::SSO, SUCCESS, vec![app_target((h >> 8) as usize, seed)]),
                    9 => (&event::SESSION_START_FAILED, FAILED_PASSWORD, Vec::new()),
                    _ => (&event::SESSION_START, SUCCESS, Vec::new()),
                };
                let session = (outcome == SUCCESS).then(|| opaque("102", h ^ 0x5E55, 22));
                Past {
                    at: key.published,
                    kind,
                    actor: me.clone(),
                    client: here,
                    session,
                    outcome,
                    targets,
                    transaction: opaque("", h, 27),
                    uri: "/idp/idx/identify".into(),
                }
            }
        };
        past.render(key, seed)
    }
}

impl Synthetic {
    /// The events of the users `about` names, in key order from `from`;
    /// `None` when it names the admin as an actor, who acts on everyone.
    fn about(&self, from: Key, descending: bool, about: &About) -> Option<Vec<u64>> {
        let admin = self.admin["id"].as_str().unwrap_or_default();
        if about.actors.iter().any(|a| a.as_str() == admin) {
            return None;
        }
        let count = u64::from(self.range.count);
        let mut events: Vec<u64> = about
            .targets
            .iter()
            .chain(&about.actors)
            .filter_map(|id| id.seq().checked_sub(self.range.base_seq).filter(|i| *i < count))
            .flat_map(|index| (0..PER_USER).map(move |j| index + j * count))
            .filter(|e| if descending { self.key(*e) < from } else { self.key(*e) > from })
            .collect();
        events.sort_unstable();
        events.dedup();
        if descending {
            events.reverse();
        }
        Some(events)
    }
}

impl Source for Synthetic {
    fn scan(&self, from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        let first = self.first_after(from);
        if descending {
            // Keys below `from`: everything before the first one above it,
            // less `from` itself when it is one of ours.
            let end = if first > 0 && self.key(first - 1) == from { first - 1 } else { first };
            Box::new((0..end).rev().map(|e| self.event(e)))
        } else {
            Box::new((first..self.total()).map(|e| self.event(e)))
        }
    }
}

/// Everything the org did before it started.
#[derive(Debug)]
pub struct History {
    demo: Vec<LogEvent>,
    synthetic: Synthetic,
}

impl History {
    /// The history of `store`, demo users' included when it is the demo org.
    pub fn new(store: &Store, demo: bool) -> Self {
        let end = store.history_end;
        let admin = store.admin_id.and_then(|id| store.user(&id)).map(|u| u.record().into_owned());
        let synthetic = Synthetic {
            range: store.synthetic_range(),
            seed: store.seed(),
            end,
            admin: admin.as_ref().map_or_else(event::system_actor, user_target),
        };
        Self { demo: if demo { demo_history(store.seed(), end) } else { Vec::new() }, synthetic }
    }
}

impl Source for History {
    fn scan(&self, from: Key, descending: bool) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        let (demo, synthetic) = (scan_slice(&self.demo, from, descending), self.synthetic.scan(from, descending));
        Box::new(Merge { a: demo.peekable(), b: synthetic.peekable(), descending })
    }

    fn scan_about(&self, from: Key, descending: bool, about: &About) -> Box<dyn Iterator<Item = LogEvent> + '_> {
        let Some(events) = self.synthetic.about(from, descending, about) else { return self.scan(from, descending) };
        let synthetic: Box<dyn Iterator<Item = LogEvent>> =
            Box::new(events.into_iter().map(|e| self.synthetic.event(e)));
        let demo = scan_slice(&self.demo, from, descending);
        Box::new(Merge { a: demo.peekable(), b: synthetic.peekable(), descending })
    }
}

/// Two key-ordered streams as one.
struct Merge<'a> {
    a: std::iter::Peekable<Box<dyn Iterator<Item = LogEvent> + 'a>>,
    b: std::iter::Peekable<Box<dyn Iterator<Item = LogEvent> + 'a>>,
    descending: bool,
}

impl Iterator for Merge<'_> {
    type Item = LogEvent;

    fn next(&mut self) -> Option<LogEvent> {
        let take_a = match (self.a.peek(), self.b.peek()) {
            (Some(a), Some(b)) => (a.key < b.key) != self.descending,
            (a, _) => a.is_some(),
        };
        if take_a { self.a.next() } else { self.b.next() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_scans_start_right_after_and_right_before_any_key() {
        let synthetic = Synthetic {
            range: SynthRange { base_seq: 100, count: 7 },
            seed: 3,
            end: 100 * DAY,
            admin: event::system_actor(),
        };
        let keys: Vec<Key> = synthetic.scan(Key::before(0), false).map(|e| e.key).collect();
        let user = user_id(100 + 3, 3);
        let about = About { targets: vec![user], actors: Vec::new() };
        let mine: Vec<Key> = synthetic
            .about(Key::before(0), false, &about)
            .unwrap_or_default()
            .into_iter()
            .map(|e| synthetic.key(e))
            .collect();
        assert_eq!(mine, [keys[3], keys[10]], "user 3's events are the 4th and the 11th");
        assert_eq!(keys.len(), 14);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        for (i, k) in keys.iter().enumerate() {
            let after: Vec<Key> = synthetic.scan(*k, false).map(|e| e.key).collect();
            assert_eq!(after, keys[i + 1..], "after {i}");
            let before: Vec<Key> = synthetic.scan(*k, true).map(|e| e.key).collect();
            let mut expected = keys[..i].to_vec();
            expected.reverse();
            assert_eq!(before, expected, "before {i}");
        }
    }

    #[test]
    fn demo_history_is_deterministic_and_explains_the_lockouts() {
        let a = demo_history(0x0c7a, 100 * DAY);
        assert_eq!(a, demo_history(0x0c7a, 100 * DAY));
        assert!(a.windows(2).all(|w| w[0].key < w[1].key));
        let locks = a.iter().filter(|e| e.json["eventType"] == "user.account.lock").count();
        assert_eq!(locks, 4, "one per LOCKED_OUT demo user");
    }
}
