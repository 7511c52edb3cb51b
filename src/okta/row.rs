//! The compact list row: what the list columns need and nothing more.
//!
//! A million rows must fit in memory, so a row is one heap allocation: id,
//! name, login and email are packed into a single string (the email only
//! when it differs from the login, as it usually does not), timestamps are
//! epoch milliseconds. 48 bytes inline plus one allocation of about the
//! length of the text.

use super::model::{UserStatus, display_name};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

const NO_TIME: i64 = i64::MIN;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UserRow {
    /// id, name, login, then the email when it is not the login.
    text: Box<str>,
    id_end: u32,
    name_end: u32,
    login_end: u32,
    email_is_login: bool,
    status: Option<UserStatus>,
    last_login: i64,
    last_updated: i64,
}

impl UserRow {
    pub fn new(
        id: &str,
        status: Option<UserStatus>,
        name: &str,
        login: &str,
        email: &str,
        last_login: Option<&str>,
        last_updated: Option<&str>,
    ) -> Self {
        let email_is_login = email == login;
        let mut text = String::with_capacity(id.len() + name.len() + login.len() + email.len());
        text.push_str(id);
        let id_end = offset(&text);
        text.push_str(name);
        let name_end = offset(&text);
        text.push_str(login);
        let login_end = offset(&text);
        if !email_is_login {
            text.push_str(email);
        }
        Self {
            text: text.into_boxed_str(),
            id_end,
            name_end,
            login_end,
            email_is_login,
            status,
            last_login: millis(last_login),
            last_updated: millis(last_updated),
        }
    }

    fn slice(&self, from: u32, to: u32) -> &str {
        self.text.get(from as usize..to as usize).unwrap_or_default()
    }

    pub fn id(&self) -> &str {
        self.slice(0, self.id_end)
    }

    pub fn status(&self) -> Option<UserStatus> {
        self.status
    }

    /// `displayName`, else "first last", else the login.
    pub fn name(&self) -> &str {
        self.slice(self.id_end, self.name_end)
    }

    pub fn login(&self) -> &str {
        self.slice(self.name_end, self.login_end)
    }

    pub fn email(&self) -> &str {
        if self.email_is_login { self.login() } else { self.text.get(self.login_end as usize..).unwrap_or_default() }
    }

    pub fn last_login(&self) -> Option<jiff::Timestamp> {
        timestamp(self.last_login)
    }

    pub fn last_updated(&self) -> Option<jiff::Timestamp> {
        timestamp(self.last_updated)
    }

    /// Heap bytes owned by this row (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
    }
}

fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

fn millis(text: Option<&str>) -> i64 {
    text.and_then(|t| t.parse::<jiff::Timestamp>().ok()).map_or(NO_TIME, |t| t.as_millisecond())
}

fn timestamp(ms: i64) -> Option<jiff::Timestamp> {
    (ms != NO_TIME).then(|| jiff::Timestamp::from_millisecond(ms).ok()).flatten()
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id())
            .field("status", &self.status)
            .field("name", &self.name())
            .field("login", &self.login())
            .field("email", &self.email())
            .field("last_login", &self.last_login())
            .field("last_updated", &self.last_updated())
            .finish()
    }
}

/// The wire shape a row is read from: borrowed where possible and skipping
/// everything else, so listing never builds the full JSON tree.
///
/// Read as leniently as `User`'s accessors read the full object, so the
/// list and the detail pane never disagree: a field holding anything but
/// text counts as absent, a profile that is not an object as empty, and a
/// repeated key keeps its last value. Only an item that is not an object
/// makes the page unreadable.
#[derive(Default)]
struct WireRow<'a> {
    id: Text<'a>,
    status: Text<'a>,
    last_login: Text<'a>,
    last_updated: Text<'a>,
    profile: WireProfile<'a>,
}

#[derive(Default)]
struct WireProfile<'a> {
    login: Text<'a>,
    email: Text<'a>,
    first_name: Text<'a>,
    last_name: Text<'a>,
    display_name: Text<'a>,
}

/// A text field; any other JSON value reads as absent.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl Text<'_> {
    fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// Visitor methods that skip a JSON value and read it as the default.
macro_rules! skip_as_default {
    (scalars) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
    (text) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
    (object) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Some(Cow::Owned(v.to_owned()))))
    }

    skip_as_default!(scalars);
    skip_as_default!(object);
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// Reads the keys of an object: `field` takes the value of the keys it
/// knows and returns `false` for the others, which are skipped.
fn read_keys<'de, A: MapAccess<'de>>(
    mut map: A,
    mut field: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    // Keys read through `Text` are borrowed from the body unless escaped.
    while let Some(key) = map.next_key::<Text<'de>>()? {
        if !field(key.get().unwrap_or_default(), &mut map)? {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

struct ProfileVisitor;

impl<'de> Visitor<'de> for ProfileVisitor {
    type Value = WireProfile<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut p = WireProfile::default();
        read_keys(map, |key, map| {
            let slot = match key {
                "login" => &mut p.login,
                "email" => &mut p.email,
                "firstName" => &mut p.first_name,
                "lastName" => &mut p.last_name,
                "displayName" => &mut p.display_name,
                _ => return Ok(false),
            };
            *slot = map.next_value()?;
            Ok(true)
        })?;
        Ok(p)
    }

    skip_as_default!(scalars);
    skip_as_default!(text);
}

impl<'de> Deserialize<'de> for WireProfile<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProfileVisitor)
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = WireRow<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a user object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut row = WireRow::default();
        read_keys(map, |key, map| {
            match key {
                "id" => row.id = map.next_value()?,
                "status" => row.status = map.next_value()?,
                "lastLogin" => row.last_login = map.next_value()?,
                "lastUpdated" => row.last_updated = map.next_value()?,
                "profile" => row.profile = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(row)
    }
}

impl<'de> Deserialize<'de> for WireRow<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `deserialize_map`: an array is not a user, even with its fields in order.
        d.deserialize_map(RowVisitor)
    }
}

impl From<WireRow<'_>> for UserRow {
    fn from(w: WireRow<'_>) -> Self {
        let p = &w.profile;
        let login = p.login.get().unwrap_or_default();
        let name = display_name(p.display_name.get(), p.first_name.get(), p.last_name.get(), login);
        UserRow::new(
            w.id.get().unwrap_or_default(),
            w.status.get().and_then(UserStatus::parse),
            &name,
            login,
            p.email.get().unwrap_or_default(),
            w.last_login.get(),
            w.last_updated.get(),
        )
    }
}

/// Parses a JSON array of users straight into rows.
pub fn rows_from_json(body: &[u8]) -> Result<Vec<UserRow>, serde_json::Error> {
    let wire: Vec<WireRow<'_>> = serde_json::from_slice(body)?;
    Ok(wire.into_iter().map(UserRow::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_survive_packing() {
        let row = UserRow::new(
            "00u1",
            Some(UserStatus::Active),
            "Ada Byron",
            "ada@example.com",
            "ada@example.com",
            None,
            Some("2025-01-02T03:04:05.678Z"),
        );
        assert_eq!(
            (row.id(), row.name(), row.login(), row.email()),
            ("00u1", "Ada Byron", "ada@example.com", "ada@example.com")
        );
        assert_eq!(row.heap_bytes(), "00u1Ada Byronada@example.com".len(), "email shared with login");
        assert_eq!(row.last_login(), None);
        assert_eq!(row.last_updated().unwrap().to_string(), "2025-01-02T03:04:05.678Z");
        let other = UserRow::new("00u2", None, "", "x@example.com", "y@example.com", None, None);
        assert_eq!((other.name(), other.login(), other.email()), ("", "x@example.com", "y@example.com"));
    }

    /// Found by fuzzing (`tests/it/fuzz_model.rs`): the derived reader took
    /// `"profile": ["x"]` as a profile whose first field is the login, and
    /// refused a whole page over one odd value that `User` shrugs off.
    #[test]
    fn rows_read_odd_values_as_the_detail_pane_does() {
        use crate::okta::User;
        let page = r#"[
            {"id": "00u1", "profile": ["first@example.com"]},
            {"id": "00u2", "status": 5, "profile": {"login": 7, "email": "b@example.com", "firstName": null}},
            {"id": "00u3", "profile": "text", "lastLogin": {"nested": true}},
            {"id": ["00u4"], "profile": {"login": "a@example.com", "login": "last@example.com"}},
            {"id": "00u\u0035", "profile": {"displayName": "Esc\u00e9", "l\u006fgin": "escaped-key@example.com"}}
        ]"#;
        let rows = rows_from_json(page.as_bytes()).expect("odd values do not spoil the page");
        let items: Vec<serde_json::Value> = serde_json::from_str(page).unwrap();
        for (row, item) in rows.iter().zip(items) {
            assert_eq!(*row, User::from_json(item.clone()).unwrap().to_row(), "{item}");
        }
        assert_eq!((rows[0].login(), rows[3].login(), rows[3].id()), ("", "last@example.com", ""));
        assert_eq!((rows[4].id(), rows[4].name(), rows[4].login()), ("00u5", "Escé", "escaped-key@example.com"));
    }

    #[test]
    fn an_item_that_is_not_an_object_makes_the_page_unreadable() {
        assert!(rows_from_json(br#"[["00u1", "ACTIVE"]]"#).is_err());
        assert!(rows_from_json(b"[5]").is_err());
        assert!(rows_from_json(br#"{"id": "00u1"}"#).is_err());
        assert!(rows_from_json(b"[]").unwrap().is_empty());
    }

    #[test]
    fn a_row_is_small() {
        assert!(std::mem::size_of::<UserRow>() <= 48, "{}", std::mem::size_of::<UserRow>());
    }
}
