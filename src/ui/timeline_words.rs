//! A System Log event in words: what happened, to whom, by whom, from
//! where. Okta's event type names are precise but not English; the ones
//! an admin meets every day get a phrase, any other keeps Okta's own
//! `displayMessage`.

use crate::okta::logs::{LogEvent, Party};
use serde_json::Value;

/// The phrase for an event type, if it has one.
fn phrase(event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "user.lifecycle.create" => "Created",
        "user.lifecycle.activate" => "Activated",
        "user.lifecycle.reactivate" => "Reactivated",
        "user.lifecycle.deactivate" => "Deactivated",
        "user.lifecycle.suspend" => "Suspended",
        "user.lifecycle.unsuspend" => "Unsuspended",
        "user.lifecycle.delete.initiated" => "Deletion started",
        "user.lifecycle.delete.completed" => "Deleted",
        "user.account.update_profile" => "Profile changed",
        "user.account.lock" => "Locked out",
        "user.account.unlock" => "Unlocked",
        "user.account.unlock_by_admin" => "Unlocked by an admin",
        "user.account.reset_password" => "Password reset",
        "user.account.expire_password" => "Password expired",
        "user.account.update_password" => "Password changed",
        "user.mfa.factor.activate" => "Factor enrolled",
        "user.mfa.factor.deactivate" => "Factor removed",
        "user.mfa.factor.reset_all" => "All factors reset",
        "user.session.start" => "Signed in",
        "user.session.end" => "Signed out",
        "user.session.clear" => "Sessions cleared",
        "user.authentication.sso" => "Signed in to an app",
        "user.authentication.auth_via_mfa" => "Verified with MFA",
        "user.authentication.authenticate" => "Authenticated",
        "group.user_membership.add" => "Added to group",
        "group.user_membership.remove" => "Removed from group",
        "application.user_membership.add" => "Assigned to app",
        "application.user_membership.remove" => "Unassigned from app",
        "user.account.privilege.grant" => "Admin role granted",
        "user.account.privilege.revoke" => "Admin role revoked",
        _ => return None,
    })
}

/// What happened, naming what it happened to unless that is `subject`
/// (the user whose timeline this is): `Suspended jane@example.com`,
/// `Added to group Sales`, `Profile changed: department, title`.
pub fn what(event: &LogEvent, subject: Option<&str>) -> String {
    let phrase = match event.event_type() {
        // A failed sign-in is an attempt, not a sign-in.
        "user.session.start" if event.failed() => Some("Sign-in attempt"),
        "user.authentication.sso" if event.failed() => Some("App sign-in attempt"),
        other => phrase(other),
    };
    let Some(phrase) = phrase else {
        return with_failure(event, event.display_message().unwrap_or(event.event_type()).to_owned());
    };
    let mut out = phrase.to_owned();
    let named: Vec<&str> = event.targets().into_iter().filter(|t| Some(t.id) != subject).map(|t| t.name()).collect();
    if !named.is_empty() {
        out.push(' ');
        out.push_str(&named.join(", "));
    }
    let changed: Vec<&str> = event.changes().iter().map(|c| c.attribute).collect();
    if !changed.is_empty() {
        out.push_str(": ");
        out.push_str(&changed.join(", "));
    }
    with_failure(event, out)
}

/// `… (failed: INVALID_CREDENTIALS)` for an event that failed.
fn with_failure(event: &LogEvent, text: String) -> String {
    match (event.failed(), event.outcome_reason()) {
        (true, Some(reason)) => format!("{text} (failed: {reason})"),
        (true, None) => format!("{text} (failed)"),
        (false, _) => text,
    }
}

/// `by admin@example.com`, or `by themselves` when `subject` acted and no
/// other user was acted on (a sign-in, a lockout). An admin's own timeline is mostly
/// what they did to others: those name the admin, since "Suspended jane
/// by themselves" would say jane did it.
pub fn by(event: &LogEvent, subject: Option<&str>) -> String {
    let on_themselves =
        |a: &Party<'_>| Some(a.id) == subject && !event.targets().iter().any(|t| t.kind == "User" && t.id != a.id);
    match event.actor() {
        Some(a) if on_themselves(&a) => "by themselves".into(),
        Some(a) => format!("by {}", a.name()),
        None => "by ?".into(),
    }
}

/// `203.0.113.9 Lisbon, Portugal`, whatever of it is known.
pub fn from_where(event: &LogEvent) -> Option<String> {
    let parts: Vec<String> = [event.ip_address().map(str::to_owned), event.place()].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A `changeDetails` value for a person: strings as they are, nothing as
/// `(none)`, anything else as compact JSON.
pub fn value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) if s.is_empty() => "\"\"".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: Value) -> LogEvent {
        LogEvent::from_json(value).unwrap()
    }

    #[test]
    fn events_read_as_sentences() {
        let add = event(json!({"eventType":"group.user_membership.add","actor":{"id":"00ua","alternateId":"admin@x"},
            "target":[{"id":"00uj","type":"User","alternateId":"jane@x"},{"id":"00g1","type":"UserGroup","displayName":"Sales"}]}));
        assert_eq!(what(&add, Some("00uj")), "Added to group Sales");
        assert_eq!(what(&add, None), "Added to group jane@x, Sales");
        assert_eq!(by(&add, Some("00uj")), "by admin@x");
        // On the admin's own timeline: they added jane, not themselves.
        assert_eq!(by(&add, Some("00ua")), "by admin@x");
        let lock = event(json!({"eventType":"user.account.lock","actor":{"id":"00uj","alternateId":"jane@x"},
            "target":[{"id":"00uj","type":"User","alternateId":"jane@x"}]}));
        assert_eq!(by(&lock, Some("00uj")), "by themselves");
        let sign_in = event(json!({"eventType":"user.session.start","actor":{"id":"00uj","alternateId":"jane@x"}}));
        assert_eq!(by(&sign_in, Some("00uj")), "by themselves");
        let odd = event(json!({"eventType":"system.odd","displayMessage":"Something odd"}));
        assert_eq!(what(&odd, None), "Something odd");
        assert_eq!(value(Some(&json!(["a"]))), r#"["a"]"#);
        assert_eq!(value(None), "(none)");
    }
}
