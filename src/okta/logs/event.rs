//! A System Log event (`LogEvent`), losslessly: the object as the org sent
//! it, with typed views of what a timeline or a CSV row needs. Okta adds
//! fields to log events over time; anything unknown is kept and written
//! back out unchanged.

use super::super::object::lossless_object;
use serde_json::Value;
use std::fmt;

lossless_object!(
    /// One System Log event, losslessly.
    LogEvent
);

impl fmt::Debug for LogEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogEvent").field("uuid", &self.uuid()).field("eventType", &self.event_type()).finish()
    }
}

/// Who did something, or what it was done to (`actor`, `target[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub alternate_id: Option<&'a str>,
    pub display_name: Option<&'a str>,
}

impl<'a> Party<'a> {
    fn of(value: &'a Value) -> Option<Self> {
        let text = |key: &str| value.get(key).and_then(Value::as_str);
        Some(Party {
            id: text("id").unwrap_or_default(),
            kind: text("type").unwrap_or_default(),
            alternate_id: text("alternateId").filter(|s| !s.is_empty() && *s != "unknown"),
            display_name: text("displayName").filter(|s| !s.is_empty() && *s != "unknown"),
        })
        .filter(|_| value.is_object())
    }

    /// The most readable name: the alternate id (a login), else the
    /// display name, else the id.
    pub fn name(&self) -> &'a str {
        self.alternate_id.or(self.display_name).unwrap_or(self.id)
    }
}

/// One attribute a `changeDetails` says changed: `from` and `to` as sent
/// (`None` where the attribute was absent on that side).
#[derive(Debug, Clone, PartialEq)]
pub struct Change<'a> {
    pub attribute: &'a str,
    pub from: Option<&'a Value>,
    pub to: Option<&'a Value>,
}

impl LogEvent {
    pub fn uuid(&self) -> &str {
        self.str_at("uuid").unwrap_or_default()
    }

    /// ISO 8601, as sent.
    pub fn published(&self) -> &str {
        self.str_at("published").unwrap_or_default()
    }

    pub fn published_at(&self) -> Option<jiff::Timestamp> {
        self.published().parse().ok()
    }

    pub fn event_type(&self) -> &str {
        self.str_at("eventType").unwrap_or_default()
    }

    pub fn legacy_event_type(&self) -> Option<&str> {
        self.str_at("legacyEventType")
    }

    /// DEBUG, INFO, WARN or ERROR.
    pub fn severity(&self) -> &str {
        self.str_at("severity").unwrap_or_default()
    }

    pub fn display_message(&self) -> Option<&str> {
        self.str_at("displayMessage").filter(|s| !s.is_empty())
    }

    pub fn actor(&self) -> Option<Party<'_>> {
        Party::of(self.0.get("actor")?)
    }

    pub fn targets(&self) -> Vec<Party<'_>> {
        self.target_values().filter_map(Party::of).collect()
    }

    fn target_values(&self) -> impl Iterator<Item = &Value> {
        self.0.get("target").and_then(Value::as_array).into_iter().flatten()
    }

    /// SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE or UNKNOWN.
    pub fn outcome(&self) -> Option<&str> {
        self.at(&["outcome", "result"])
    }

    pub fn outcome_reason(&self) -> Option<&str> {
        self.at(&["outcome", "reason"]).filter(|s| !s.is_empty())
    }

    /// Whether the operation failed or was refused.
    pub fn failed(&self) -> bool {
        matches!(self.outcome(), Some("FAILURE" | "DENY"))
    }

    /// Events an admin looks at first: WARN or ERROR, or a kind of event
    /// that touches an account's security (lockouts, resets, factor and
    /// privilege changes, session clears, threats).
    pub fn is_security(&self) -> bool {
        const KINDS: [&str; 8] = [
            "user.account.lock",
            "user.account.reset_password",
            "user.mfa.factor.deactivate",
            "user.mfa.factor.reset_all",
            "user.session.clear",
            "user.account.privilege.",
            "security.",
            "user.account.report_suspicious_activity",
        ];
        matches!(self.severity(), "WARN" | "ERROR") || KINDS.iter().any(|k| self.event_type().starts_with(k))
    }

    pub fn transaction_id(&self) -> Option<&str> {
        self.at(&["transaction", "id"]).filter(|s| !s.is_empty())
    }

    /// The sign-in session the event belongs to.
    pub fn session_id(&self) -> Option<&str> {
        self.at(&["authenticationContext", "externalSessionId"]).filter(|s| !s.is_empty() && *s != "unknown")
    }

    pub fn ip_address(&self) -> Option<&str> {
        self.at(&["client", "ipAddress"]).filter(|s| !s.is_empty())
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.at(&["client", "userAgent", "rawUserAgent"]).filter(|s| !s.is_empty() && *s != "UNKNOWN")
    }

    /// "City, State, Country" from what the org located, if anything.
    pub fn place(&self) -> Option<String> {
        let parts: Vec<&str> = ["city", "state", "country"]
            .iter()
            .filter_map(|k| self.at(&["client", "geographicalContext", k]))
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// Every attribute that `changeDetails` of any target says changed, in
    /// the order sent: the union of `from` and `to` keys.
    pub fn changes(&self) -> Vec<Change<'_>> {
        let mut out: Vec<Change<'_>> = Vec::new();
        for details in self.target_values().filter_map(|t| t.get("changeDetails")) {
            let side = |key| details.get(key).and_then(Value::as_object);
            let (from, to) = (side("from"), side("to"));
            let keys = from.into_iter().chain(to).flat_map(|m| m.keys());
            for attribute in keys {
                if out.iter().any(|c| c.attribute == attribute) {
                    continue;
                }
                let from = from.and_then(|m| m.get(attribute));
                let to = to.and_then(|m| m.get(attribute));
                out.push(Change { attribute, from, to });
            }
        }
        out
    }

    /// Whether `id` is the actor or one of the targets.
    pub fn involves(&self, id: &str) -> bool {
        self.actor().is_some_and(|a| a.id == id) || self.targets().iter().any(|t| t.id == id)
    }

    fn at(&self, path: &[&str]) -> Option<&str> {
        let (first, rest) = path.split_first()?;
        let mut value = self.0.get(*first)?;
        for key in rest {
            value = value.get(key)?;
        }
        value.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped as Okta documents a `LogEvent` (DOCS system-log-query), with
    /// a field this client does not know (`zeta`) and nulls.
    pub(crate) const EVENT: &str = r#"{"zeta":{"future":[1,2]},"actor":{"id":"00uadmin","type":"User","alternateId":"admin@example.com","displayName":"Ada Admin","detailEntry":null},
      "client":{"userAgent":{"rawUserAgent":"oktui/0.1","os":"Linux","browser":"UNKNOWN"},"zone":"null","device":"Computer","id":null,"ipAddress":"203.0.113.9",
        "geographicalContext":{"city":"Lisbon","state":"Lisbon","country":"Portugal","postalCode":null,"geolocation":{"lat":38.7,"lon":-9.1}}},
      "device":null,"authenticationContext":{"authenticationProvider":null,"credentialProvider":null,"credentialType":null,"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"102abc"},
      "displayMessage":"Update user profile for Okta","eventType":"user.account.update_profile",
      "outcome":{"result":"SUCCESS","reason":null},"published":"2026-12-02T08:00:00.123Z",
      "securityContext":{"asNumber":null,"asOrg":null,"isp":null,"domain":null,"isProxy":null},"severity":"INFO",
      "debugContext":{"debugData":{"requestId":"reqX","requestUri":"/api/v1/users/00ujane"}},"legacyEventType":"core.user.config.profile_update.success",
      "transaction":{"type":"WEB","id":"txn1","detail":{}},"uuid":"e-1","version":"0",
      "request":{"ipChain":[{"ip":"203.0.113.9","geographicalContext":null,"version":"V4","source":null}]},
      "target":[{"id":"00ujane","type":"User","alternateId":"jane@example.com","displayName":"Jane Doe","detailEntry":null,
        "changeDetails":{"from":{"department":"Sales","title":"Rep"},"to":{"department":"Finance","title":"Rep","nickName":"JD"}}}]}"#;

    #[test]
    fn round_trip_is_lossless() {
        let event: LogEvent = serde_json::from_str(EVENT).unwrap();
        let out = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), serde_json::from_str::<Value>(EVENT).unwrap());
        assert!(out.starts_with(r#"{"zeta""#), "key order as received: {out}");
        assert!(out.contains(r#""postalCode":null"#));
    }

    #[test]
    fn typed_views() {
        let event: LogEvent = serde_json::from_str(EVENT).unwrap();
        assert_eq!(event.uuid(), "e-1");
        assert_eq!(event.event_type(), "user.account.update_profile");
        assert_eq!(event.actor().unwrap().name(), "admin@example.com");
        assert_eq!(event.targets()[0].id, "00ujane");
        assert_eq!(event.outcome(), Some("SUCCESS"));
        assert!(!event.failed() && !event.is_security());
        assert_eq!(event.transaction_id(), Some("txn1"));
        assert_eq!(event.session_id(), Some("102abc"));
        assert_eq!(event.ip_address(), Some("203.0.113.9"));
        assert_eq!(event.user_agent(), Some("oktui/0.1"));
        assert_eq!(event.place().as_deref(), Some("Lisbon, Lisbon, Portugal"));
        assert_eq!(event.published_at().unwrap().to_string(), "2026-12-02T08:00:00.123Z");
        assert!(event.involves("00ujane") && event.involves("00uadmin") && !event.involves("00uother"));
    }

    #[test]
    fn changes_pair_every_attribute_before_and_after() {
        let event: LogEvent = serde_json::from_str(EVENT).unwrap();
        let changes = event.changes();
        let attrs: Vec<_> = changes.iter().map(|c| c.attribute).collect();
        assert_eq!(attrs, ["department", "title", "nickName"]);
        assert_eq!(changes[0].from, Some(&Value::from("Sales")));
        assert_eq!(changes[0].to, Some(&Value::from("Finance")));
        assert_eq!(changes[2].from, None);
    }

    #[test]
    fn sparse_events_read_as_absent_not_as_errors() {
        let event = LogEvent::from_json(serde_json::json!({"uuid":"e","actor":null,"target":null})).unwrap();
        assert!(event.actor().is_none() && event.targets().is_empty() && event.changes().is_empty());
        assert_eq!((event.outcome(), event.place()), (None, None));
    }
}
