//! One System Log event: its place in the log ([`Key`]), the event types
//! the org writes ([`Kind`], names and legacy names from Okta's event type
//! catalog), and the `LogEvent` JSON Okta serves, built from [`Parts`].

use crate::emulator::ids::{Millis, format_millis, mix};
use serde_json::{Map, Value, json};

/// Where an event sits: `published`, then an order within the millisecond.
/// The demo's history, the synthetic users' history and recorded events
/// take orders from separate ranges, so two keys are never equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub published: Millis,
    pub ord: u64,
}

pub const DEMO_ORDS: u64 = 1 << 56;
pub const SYNTHETIC_ORDS: u64 = 2 << 56;
pub const RECORDED_ORDS: u64 = 3 << 56;

impl Key {
    /// The key just before every event published at `at` or later.
    pub fn before(at: Millis) -> Self {
        Self { published: at, ord: 0 }
    }

    /// The `after` cursor of a `next` link, shaped as Okta's
    /// (`<published millis>_<n>`); clients must not read it.
    pub fn cursor(&self) -> String {
        format!("{}_{}", self.published, self.ord)
    }

    pub fn parse_cursor(s: &str) -> Option<Self> {
        let (published, ord) = s.split_once('_')?;
        Some(Self { published: published.parse().ok()?, ord: ord.parse().ok()? })
    }
}

/// A stored or generated event: its key and the JSON served.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub key: Key,
    pub json: Value,
}

/// An event type as the org writes it.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    pub event_type: &'static str,
    pub display_message: &'static str,
    /// The V1 (legacy) type the catalog maps to this one, where it has one.
    pub legacy: Option<&'static str>,
    pub severity: &'static str,
}

const fn kind(event_type: &'static str, display_message: &'static str, legacy: Option<&'static str>) -> Kind {
    Kind { event_type, display_message, legacy, severity: "INFO" }
}

pub const USER_CREATE: Kind =
    kind("user.lifecycle.create", "Create Okta user", Some("core.user.config.user_creation.success"));
pub const USER_ACTIVATE: Kind =
    kind("user.lifecycle.activate", "Activate Okta user", Some("core.user.config.user_activated"));
pub const USER_REACTIVATE: Kind =
    kind("user.lifecycle.reactivate", "Reactivate Okta user", Some("core.user.config.user_reactivation.success"));
pub const USER_DEACTIVATE: Kind =
    kind("user.lifecycle.deactivate", "Deactivate Okta user", Some("core.user.config.user_deactivated"));
pub const USER_SUSPEND: Kind =
    kind("user.lifecycle.suspend", "Suspend Okta user", Some("core.user.config.user_status.suspended"));
pub const USER_UNSUSPEND: Kind =
    kind("user.lifecycle.unsuspend", "Unsuspend Okta user", Some("core.user.config.user_status.unsuspended"));
pub const USER_DELETE_INITIATED: Kind = kind(
    "user.lifecycle.delete.initiated",
    "Delete Okta user initiated",
    Some("core.user.config.user_status.delete.initiated"),
);
pub const USER_DELETE_COMPLETED: Kind = kind(
    "user.lifecycle.delete.completed",
    "Delete Okta user completed",
    Some("core.user.config.user_status.delete.completed"),
);
pub const PROFILE_UPDATE: Kind = kind(
    "user.account.update_profile",
    "Update user profile for Okta",
    Some("core.user.config.profile_update.success"),
);
pub const ACCOUNT_LOCK: Kind = Kind {
    severity: "WARN",
    ..kind("user.account.lock", "Max sign in attempts exceeded", Some("core.user_auth.account_locked"))
};
pub const UNLOCK_BY_ADMIN: Kind =
    kind("user.account.unlock_by_admin", "Unlock user account", Some("core.user_auth.account_unlocked_by_admin"));
pub const RESET_PASSWORD: Kind = kind(
    "user.account.reset_password",
    "Reset password for Okta user",
    Some("core.user.config.user_status.password_reset"),
);
pub const EXPIRE_PASSWORD: Kind = kind("user.account.expire_password", "Expire password for Okta user", None);
pub const FACTOR_DEACTIVATE: Kind =
    kind("user.mfa.factor.deactivate", "Reset factor for user", Some("core.user.factor.deactivate"));
pub const FACTOR_RESET_ALL: Kind =
    kind("user.mfa.factor.reset_all", "Reset all factors for user", Some("core.user.factor.reset_all"));
pub const SESSION_CLEAR: Kind = kind("user.session.clear", "Clear user session", Some("core.user_auth.session_clear"));
pub const GROUP_CREATE: Kind = kind("group.lifecycle.create", "Create Okta group", Some("group.lifecycle.create"));
pub const GROUP_DELETE: Kind = kind("group.lifecycle.delete", "Delete Okta group", Some("group.lifecycle.delete"));
pub const GROUP_ADD: Kind =
    kind("group.user_membership.add", "Add user to group membership", Some("core.user_group_member.user_add"));
pub const GROUP_REMOVE: Kind = kind(
    "group.user_membership.remove",
    "Remove user from group membership",
    Some("core.user_group_member.user_remove"),
);
pub const SESSION_START: Kind = kind("user.session.start", "User login to Okta", Some("core.user_auth.login_success"));
pub const SESSION_START_FAILED: Kind =
    Kind { severity: "WARN", ..kind("user.session.start", "User login to Okta", Some("core.user_auth.login_failed")) };
pub const SSO: Kind = kind("user.authentication.sso", "User single sign on to app", Some("app.auth.sso"));
pub const MFA: Kind = kind(
    "user.authentication.auth_via_mfa",
    "Authentication of user via MFA",
    Some("core.user.factor.attempt_success"),
);

/// What `outcome` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub result: &'static str,
    pub reason: Option<&'static str>,
}

pub const SUCCESS: Outcome = Outcome { result: "SUCCESS", reason: None };

/// Everything an event is made of; `render` shapes it as Okta does.
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    pub kind: &'a Kind,
    pub published: Millis,
    pub uuid: String,
    pub actor: Value,
    pub client: Value,
    pub session: Option<&'a str>,
    pub outcome: Outcome,
    pub targets: Vec<Value>,
    pub transaction_id: &'a str,
    pub transaction_detail: Value,
    pub debug_data: Value,
}

pub fn render(p: Parts<'_>) -> Value {
    let ip = p.client.get("ipAddress").cloned().unwrap_or(Value::Null);
    let geo = p.client.get("geographicalContext").cloned().unwrap_or(Value::Null);
    json!({
        "actor": p.actor,
        "client": p.client,
        "device": null,
        "authenticationContext": {
            "authenticationProvider": null,
            "credentialProvider": null,
            "credentialType": null,
            "issuer": null,
            "interface": null,
            "authenticationStep": 0,
            "rootSessionId": p.session,
            "externalSessionId": p.session,
        },
        "displayMessage": p.kind.display_message,
        "eventType": p.kind.event_type,
        "outcome": { "result": p.outcome.result, "reason": p.outcome.reason },
        "published": format_millis(p.published),
        "securityContext": { "asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null },
        "severity": p.kind.severity,
        "debugContext": { "debugData": p.debug_data },
        "legacyEventType": p.kind.legacy,
        "transaction": { "type": "WEB", "id": p.transaction_id, "detail": p.transaction_detail },
        "uuid": p.uuid,
        "version": "0",
        "request": { "ipChain": [{ "ip": ip, "geographicalContext": geo, "version": "V4", "source": null }] },
        "target": p.targets,
    })
}

/// A user as an actor or a target.
pub fn user_ref(id: &str, login: &str, display_name: &str) -> Value {
    json!({ "id": id, "type": "User", "alternateId": login, "displayName": display_name, "detailEntry": null })
}

/// `"First Last"`, as Okta names a user in events.
pub fn display_name(profile: &Map<String, Value>) -> String {
    let part = |k: &str| profile.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let name = format!("{} {}", part("firstName"), part("lastName"));
    name.trim().to_owned()
}

/// Okta's own actor for what no person or app did.
pub fn system_actor() -> Value {
    json!({
        "id": "0oa1systemprincipal0",
        "type": "SystemPrincipal",
        "alternateId": "system@okta.com",
        "displayName": "Okta System",
        "detailEntry": null,
    })
}

/// A version-4-shaped UUID from two numbers (deterministic for history).
pub fn uuid_from(a: u64, b: u64) -> String {
    let (x, y) = (mix(a ^ 0x5157_104c), mix(b ^ mix(a)));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xffff,
        x & 0x0fff,
        0x8000 | ((y >> 48) & 0x3fff),
        y & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_order_like_keys() {
        let a = Key { published: 1_700_000_000_000, ord: RECORDED_ORDS + 3 };
        assert_eq!(Key::parse_cursor(&a.cursor()), Some(a));
        assert!(Key::before(a.published) < a);
        assert_eq!(Key::parse_cursor("nonsense"), None);
        assert_eq!(Key::parse_cursor("12_x"), None);
    }

    #[test]
    fn uuids_are_shaped_like_uuids() {
        let u = uuid_from(1, 2);
        assert_eq!(u.len(), 36);
        assert_eq!(u.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert_ne!(u, uuid_from(1, 3));
    }
}
