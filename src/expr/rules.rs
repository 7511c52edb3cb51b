//! What each language accepts beyond syntax: which attributes, which
//! operators on which attribute, which kinds of value. The parser calls
//! these as it reads each condition, so the first problem from the left is
//! the one reported, at the token that causes it.
//!
//! Facts from the spec's `listUsers`/`listGroups` parameter descriptions
//! (API-NOTES §1.1, §6.3): `co` only on a few name attributes; `filter`
//! limited to a few attributes and `eq`, with ordering only on timestamps.

use super::compare::parse_timestamp;
use super::{Collection, Literal, Mode, Op, ParseError};

/// Top-level timestamps of users and groups: compared chronologically, so
/// a value that is not a timestamp is a mistake worth naming.
const TIMESTAMPS: [&str; 7] =
    ["created", "activated", "statusChanged", "lastUpdated", "lastLogin", "passwordChanged", "lastMembershipUpdated"];

const USER_CONTAINS: [&str; 4] = ["profile.login", "profile.email", "profile.firstName", "profile.lastName"];
const GROUP_CONTAINS: [&str; 2] = ["profile.name", "profile.description"];

const USER_FILTER: [&str; 7] =
    ["status", "lastUpdated", "id", "profile.login", "profile.email", "profile.firstName", "profile.lastName"];
const GROUP_FILTER: [&str; 4] = ["id", "type", "lastUpdated", "lastMembershipUpdated"];

/// Attributes whose values are always text, so a number or `true` is a
/// slip (usually missing quotes).
const TEXT: [&str; 6] = ["id", "status", "type", "type.id", "source.id", "profile.login"];

#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub mode: Mode,
    pub collection: Collection,
}

fn error(message: String, position: usize) -> ParseError {
    ParseError { message, position }
}

fn list(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

pub(super) fn is_timestamp_attribute(attr: &str) -> bool {
    TIMESTAMPS.contains(&attr)
}

impl Rules {
    fn filter_attributes(self) -> &'static [&'static str] {
        match self.collection {
            Collection::Users => &USER_FILTER,
            Collection::Groups => &GROUP_FILTER,
            Collection::Logs => &[],
        }
    }

    fn contains_attributes(self) -> &'static [&'static str] {
        match self.collection {
            Collection::Users => &USER_CONTAINS,
            Collection::Groups => &GROUP_CONTAINS,
            Collection::Logs => &[],
        }
    }

    pub fn check_attribute(self, attr: &str, pos: usize) -> Result<(), ParseError> {
        // Okta refuses it: it would fight `since`, `until` and `after`.
        if self.collection == Collection::Logs && attr == "published" {
            return Err(error("published can't be used in a filter; use since and until instead".into(), pos));
        }
        if self.mode == Mode::Filter && !self.filter_attributes().contains(&attr) {
            return Err(error(
                format!(
                    "filter does not support the attribute '{attr}': it allows only {}; use search for other attributes",
                    list(self.filter_attributes())
                ),
                pos,
            ));
        }
        Ok(())
    }

    pub fn check_present(self, attr: &str, pos: usize) -> Result<(), ParseError> {
        if self.mode == Mode::Filter {
            return Err(error(format!("filter does not support pr ('{attr} pr'); use search for it"), pos));
        }
        Ok(())
    }

    pub fn check_operator(self, attr: &str, op: Op, pos: usize) -> Result<(), ParseError> {
        let name = op.as_str();
        if self.mode == Mode::Filter {
            let ordered = is_timestamp_attribute(attr) && op.is_ordering();
            if op != Op::Eq && !ordered {
                let also = if is_timestamp_attribute(attr) { " (and gt, ge, lt, le)" } else { "" };
                return Err(error(
                    format!("filter supports only eq{also} on '{attr}', not {name}; use search for {name}"),
                    pos,
                ));
            }
        }
        if op == Op::Co && self.collection != Collection::Logs && !self.contains_attributes().contains(&attr) {
            return Err(error(
                format!("co is only supported on {}, not on '{attr}'; use sw or eq", list(self.contains_attributes())),
                pos,
            ));
        }
        if matches!(op, Op::Sw | Op::Co) && is_timestamp_attribute(attr) {
            return Err(error(format!("{name} does not apply to the timestamp '{attr}'; use gt, ge, lt or le"), pos));
        }
        Ok(())
    }

    pub fn check_value(self, attr: &str, op: Op, value: &Literal, pos: usize) -> Result<(), ParseError> {
        let name = op.as_str();
        match value {
            Literal::Null | Literal::Bool(_) if op != Op::Eq => {
                Err(error(format!("{} can only be compared with eq, not {name}", keyword(value)), pos))
            }
            Literal::String(_) => self.check_text(attr, value, pos),
            _ if matches!(op, Op::Sw | Op::Co) => {
                Err(error(format!("{name} needs a quoted value, like {attr} {name} \"text\""), pos))
            }
            Literal::Null => Ok(()),
            _ if is_timestamp_attribute(attr) => Err(timestamp_error(attr, &value.to_string(), pos)),
            _ if TEXT.contains(&attr) || self.mode == Mode::Filter || self.contains_attributes().contains(&attr) => {
                Err(error(format!("'{attr}' takes a quoted value: write \"{value}\""), pos))
            }
            _ => Ok(()),
        }
    }

    fn check_text(self, attr: &str, value: &Literal, pos: usize) -> Result<(), ParseError> {
        match value {
            Literal::String(text) if is_timestamp_attribute(attr) && parse_timestamp(text).is_none() => {
                Err(timestamp_error(attr, text, pos))
            }
            _ => Ok(()),
        }
    }
}

fn keyword(value: &Literal) -> &'static str {
    match value {
        Literal::Bool(true) => "true",
        Literal::Bool(false) => "false",
        _ => "null",
    }
}

fn timestamp_error(attr: &str, text: &str, pos: usize) -> ParseError {
    error(format!("'{text}' is not a timestamp: write {attr} values like \"2024-01-01T00:00:00.000Z\""), pos)
}
