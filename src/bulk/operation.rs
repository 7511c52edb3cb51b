//! What a bulk job does to each user, as the admin names it on the command
//! line (`suspend`, `add-to-group Sales`, `set profile.costCenter=42`), and
//! what the org's status machine says about it: which status means the
//! work is already done, and which statuses show it was done.

use crate::okta::{LifecycleOp, UserStatus};
use std::fmt;

/// An operation as asked for, before the org is consulted (a group is
/// still a name, values are still text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// A lifecycle operation; `LifecycleOp::Delete` is both of Okta's steps.
    Lifecycle(LifecycleOp),
    AddToGroup(String),
    RemoveFromGroup(String),
    /// `(attribute, value as typed)`, the attribute without `profile.`.
    Set(Vec<(String, String)>),
    ClearSessions,
}

/// The lifecycle operations a bulk job offers, by their API names.
const LIFECYCLE: [(&str, LifecycleOp); 10] = [
    ("activate", LifecycleOp::Activate),
    ("reactivate", LifecycleOp::Reactivate),
    ("deactivate", LifecycleOp::Deactivate),
    ("suspend", LifecycleOp::Suspend),
    ("unsuspend", LifecycleOp::Unsuspend),
    ("unlock", LifecycleOp::Unlock),
    ("reset_password", LifecycleOp::ResetPassword),
    ("expire_password", LifecycleOp::ExpirePassword),
    ("reset_factors", LifecycleOp::ResetFactors),
    ("delete", LifecycleOp::Delete),
];

/// The names `parse` accepts, for messages and help.
pub const NAMES: &str = "activate, reactivate, deactivate, suspend, unsuspend, unlock, reset_password, \
                         expire_password, reset_factors, delete, add-to-group GROUP, remove-from-group GROUP, \
                         set ATTRIBUTE=VALUE…, clear-sessions";

impl Operation {
    /// Reads the operation and its arguments (`words[0]` is its name).
    pub fn parse(words: &[String]) -> Result<Self, String> {
        let Some((name, args)) = words.split_first() else {
            return Err(format!("name an operation: {NAMES}"));
        };
        let no_args = |op: Operation| {
            if args.is_empty() { Ok(op) } else { Err(format!("{name} takes no arguments, got {}", args.join(" "))) }
        };
        let one_group = |make: fn(String) -> Operation| match args {
            [group] if !group.trim().is_empty() => Ok(make(group.trim().to_owned())),
            _ => Err(format!("{name} takes one group, by name or id: {name} GROUP")),
        };
        if let Some(op) = lifecycle_named(name) {
            return no_args(Operation::Lifecycle(op));
        }
        match name.as_str() {
            "add-to-group" => one_group(Operation::AddToGroup),
            "remove-from-group" => one_group(Operation::RemoveFromGroup),
            "clear-sessions" => no_args(Operation::ClearSessions),
            "set" if args.is_empty() => Err("set needs at least one ATTRIBUTE=VALUE".into()),
            "set" => args.iter().map(|a| assignment(a)).collect::<Result<_, _>>().map(Operation::Set),
            other => Err(format!("unknown operation {other:?}: use one of {NAMES}")),
        }
    }

    /// Its API name (`suspend`, `add-to-group`).
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Lifecycle(op) => lifecycle_name(*op).unwrap_or("lifecycle"),
            Operation::AddToGroup(_) => "add-to-group",
            Operation::RemoveFromGroup(_) => "remove-from-group",
            Operation::Set(_) => "set",
            Operation::ClearSessions => "clear-sessions",
        }
    }

    /// Loses data or access: the admin types the number of users to confirm.
    pub fn is_destructive(&self) -> bool {
        matches!(self, Operation::ClearSessions) || matches!(self, Operation::Lifecycle(op) if op.is_destructive())
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operation::AddToGroup(g) | Operation::RemoveFromGroup(g) => write!(f, "{} {g}", self.name()),
            Operation::Set(pairs) => {
                f.write_str("set")?;
                pairs.iter().try_for_each(|(k, v)| write!(f, " profile.{k}={v}"))
            }
            other => f.write_str(other.name()),
        }
    }
}

/// `profile.department=New IT` → `("department", "New IT")`.
fn assignment(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("{text:?} is not ATTRIBUTE=VALUE"));
    };
    let name = name.trim();
    let name = name.strip_prefix("profile.").unwrap_or(name);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("{text:?}: {name:?} is not a profile attribute name"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// The lifecycle operation with this API name.
pub fn lifecycle_named(name: &str) -> Option<LifecycleOp> {
    LIFECYCLE.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
}

/// The API name of a lifecycle operation a bulk job offers.
pub fn lifecycle_name(op: LifecycleOp) -> Option<&'static str> {
    LIFECYCLE.iter().find(|(_, o)| *o == op).map(|(n, _)| *n)
}

/// Whether a user in `status` is already where `op` leads, so there is
/// nothing to do. Operations that act rather than move (reactivate resends
/// an email, reset password and reset factors start over) never are.
pub fn already_done(op: LifecycleOp, status: UserStatus) -> bool {
    use UserStatus::*;
    match op {
        LifecycleOp::Activate | LifecycleOp::Unsuspend | LifecycleOp::Unlock => status == Active,
        LifecycleOp::Deactivate => status == Deprovisioned,
        LifecycleOp::Suspend => status == Suspended,
        LifecycleOp::ExpirePassword | LifecycleOp::ExpirePasswordWithTempPassword => status == PasswordExpired,
        _ => false,
    }
}

/// After an outcome we never heard (a lost answer, a crash before the
/// journal caught up): whether the user's status now shows that `op` was
/// applied since the plan saw it in `before`. `None`: the status cannot
/// tell (the operation leaves no trace in it).
pub fn shows_done(op: LifecycleOp, before: Option<UserStatus>, now: UserStatus) -> Option<bool> {
    use UserStatus::*;
    let moved = before != Some(now);
    match op {
        // Without a password, activation stops at PROVISIONED.
        LifecycleOp::Activate => Some(now == Active || (now == Provisioned && moved)),
        LifecycleOp::ResetPassword if before == Some(Recovery) => None,
        LifecycleOp::ResetPassword => Some(now == Recovery),
        LifecycleOp::Reactivate | LifecycleOp::ResetFactors | LifecycleOp::ForgotPassword => None,
        // Deleting deactivates first: half done is not done.
        LifecycleOp::Delete => Some(false),
        other => Some(already_done(other, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn operations_parse_by_their_api_names() {
        assert_eq!(Operation::parse(&words(&["suspend"])), Ok(Operation::Lifecycle(LifecycleOp::Suspend)));
        assert_eq!(Operation::parse(&words(&["reset_password"])), Ok(Operation::Lifecycle(LifecycleOp::ResetPassword)));
        assert_eq!(Operation::parse(&words(&["delete"])), Ok(Operation::Lifecycle(LifecycleOp::Delete)));
        assert_eq!(Operation::parse(&words(&["add-to-group", "Sales"])), Ok(Operation::AddToGroup("Sales".into())));
        assert_eq!(
            Operation::parse(&words(&["set", "profile.department=New IT", "costCenter=42"])),
            Ok(Operation::Set(vec![("department".into(), "New IT".into()), ("costCenter".into(), "42".into())]))
        );
        assert!(Operation::parse(&words(&["suspend", "now"])).unwrap_err().contains("no arguments"));
        assert!(Operation::parse(&words(&["add-to-group"])).is_err());
        assert!(Operation::parse(&words(&["set", "department"])).unwrap_err().contains("ATTRIBUTE=VALUE"));
        assert!(Operation::parse(&words(&["set", "profile.a.b=1"])).is_err());
        assert!(Operation::parse(&words(&["explode"])).unwrap_err().contains("clear-sessions"));
        for (name, _) in LIFECYCLE {
            assert_eq!(Operation::parse(&words(&[name])).unwrap().name(), name);
        }
    }

    #[test]
    fn destructive_operations_are_the_four_the_issue_names() {
        let destructive: Vec<&str> = ["deactivate", "delete", "reset_factors", "clear-sessions", "suspend", "unlock"]
            .into_iter()
            .filter(|n| Operation::parse(&words(&[n])).unwrap().is_destructive())
            .collect();
        assert_eq!(destructive, ["deactivate", "delete", "reset_factors", "clear-sessions"]);
    }

    #[test]
    fn the_status_tells_what_is_done_and_what_cannot_be_told() {
        use UserStatus::*;
        assert!(already_done(LifecycleOp::Suspend, Suspended));
        assert!(!already_done(LifecycleOp::Suspend, Active));
        assert!(!already_done(LifecycleOp::ResetPassword, Recovery));
        assert_eq!(shows_done(LifecycleOp::Suspend, Some(Active), Suspended), Some(true));
        assert_eq!(shows_done(LifecycleOp::Suspend, Some(Active), Active), Some(false));
        assert_eq!(shows_done(LifecycleOp::Activate, Some(Staged), Provisioned), Some(true));
        assert_eq!(shows_done(LifecycleOp::Activate, Some(Provisioned), Provisioned), Some(false));
        assert_eq!(shows_done(LifecycleOp::ResetPassword, Some(Active), Recovery), Some(true));
        assert_eq!(shows_done(LifecycleOp::ResetFactors, Some(Active), Active), None);
    }
}
