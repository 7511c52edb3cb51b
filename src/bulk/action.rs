//! What a step does to one user, once the org has been consulted (the
//! group found by name, the values checked against the schema), and how it
//! learns from the user's current state whether an operation whose answer
//! was never recorded was applied.
//!
//! The action is kept in the journal's header, so a resumed job does
//! exactly what it set out to do.

use super::operation::{lifecycle_named, shows_done};
use super::plan::{Decision, Unit};
use crate::okta::{self, ClearSessions, Client, LifecycleOp, LifecycleOptions, UserStatus};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A partial update meeting a concurrent change (412) is read again and
/// retried this many times.
const MAX_REREADS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// A lifecycle operation by its API name (`delete` is both steps).
    Lifecycle {
        name: String,
        /// `sendEmail` for activate, reactivate and reset_password, as the
        /// admin chose it; `None`: Okta's documented default. Always sent,
        /// so an answer without a link means Okta sent the email.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        send_email: Option<bool>,
    },
    AddToGroup {
        group_id: String,
        group_name: String,
    },
    RemoveFromGroup {
        group_id: String,
        group_name: String,
    },
    /// Profile attributes and their typed values.
    Set {
        changes: Map<String, Value>,
    },
    ClearSessions,
}

/// How one user's step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Changed,
    /// Changed, and Okta answered with the link instead of emailing it
    /// (`sendEmail=false`): the field Okta named it by, and the link.
    ChangedWithLink {
        field: &'static str,
        url: okta::Secret,
    },
    Unchanged,
    Skipped(String),
    Failed {
        code: Option<String>,
        summary: String,
    },
}

/// What the user's current state says about an earlier attempt.
enum Check {
    Done,
    /// Not applied; the user as it is now.
    NotDone(Option<UserStatus>),
    /// The state cannot show it (the operation leaves no trace there).
    CannotTell,
}

impl Action {
    /// Sending it twice does no harm (group membership, clearing sessions).
    fn repeatable(&self) -> bool {
        matches!(self, Action::AddToGroup { .. } | Action::RemoveFromGroup { .. } | Action::ClearSessions)
    }

    /// Takes away the user's way in: the admin the job runs as is left out.
    pub fn cuts_access(&self) -> bool {
        match self {
            Action::Lifecycle { name, .. } => {
                matches!(name.as_str(), "deactivate" | "suspend" | "delete" | "reset_password" | "reset_factors")
            }
            Action::ClearSessions => true,
            Action::AddToGroup { .. } | Action::RemoveFromGroup { .. } | Action::Set { .. } => false,
        }
    }

    /// The method and a path of the requests that change users, for the
    /// rate budget they spend.
    pub fn write_request(&self) -> (reqwest::Method, &'static str) {
        use reqwest::Method;
        match self {
            Action::Lifecycle { name, .. } if name == "delete" => (Method::DELETE, "/api/v1/users/00u0"),
            Action::Lifecycle { .. } => (Method::POST, "/api/v1/users/00u0/lifecycle/suspend"),
            Action::AddToGroup { .. } => (Method::PUT, "/api/v1/groups/00g0/users/00u0"),
            Action::RemoveFromGroup { .. } => (Method::DELETE, "/api/v1/groups/00g0/users/00u0"),
            Action::Set { .. } => (Method::POST, "/api/v1/users/00u0"),
            Action::ClearSessions => (Method::DELETE, "/api/v1/users/00u0/sessions"),
        }
    }

    /// Writes a user in `status` costs (deleting an active user is two).
    pub fn writes_for(&self, status: Option<UserStatus>) -> u64 {
        match self {
            Action::Lifecycle { name, .. } if name == "delete" && status != Some(UserStatus::Deprovisioned) => 2,
            _ => 1,
        }
    }
}

/// Runs one unit. `uncertain`: it may have been sent before an
/// interruption whose outcome the journal never recorded; the user's
/// state decides first. `Err` stops the job (the org cannot be reached,
/// refuses our credentials, or keeps rate limiting); every other failure
/// is this user's outcome.
pub async fn apply(client: &Client, action: &Action, unit: &Unit, uncertain: bool) -> Result<Outcome, okta::Error> {
    match &unit.decision {
        Decision::Unchanged => return Ok(Outcome::Unchanged),
        Decision::Skip(reason) => return Ok(Outcome::Skipped(reason.clone())),
        Decision::Change => {}
    }
    let mut status = unit.status;
    if uncertain {
        match check(client, action, unit).await? {
            Check::Done => return Ok(Outcome::Changed),
            Check::NotDone(now) => status = now.or(status),
            Check::CannotTell if action.repeatable() => {}
            Check::CannotTell => return Ok(not_resent()),
        }
    }
    // A lost answer or a server error may or may not have been applied
    // (the client resends neither for a POST or a DELETE): the user's state
    // decides, and only what did not happen is sent again.
    let mut tries = 0;
    loop {
        match send(client, action, &unit.id, status).await {
            Err(e) if e.is_uncertain() && tries < okta::JOB_MIN_RETRIES => {
                tries += 1;
                tracing::info!(error = %e, "a bulk step's outcome is uncertain; reading the user to learn whether it landed");
                tokio::time::sleep(crate::job::backoff(tries)).await;
                match check(client, action, unit).await? {
                    Check::Done => return Ok(Outcome::Changed),
                    Check::NotDone(now) => status = now.or(status),
                    Check::CannotTell if action.repeatable() => {}
                    Check::CannotTell => return Ok(not_resent()),
                }
            }
            other => return settle(other),
        }
    }
}

fn not_resent() -> Outcome {
    Outcome::Failed {
        code: None,
        summary: "sent before an interruption that lost its answer, and the user's state cannot show whether it \
                  was applied: not sent again, check this user"
            .into(),
    }
}

fn is_lost(e: &okta::Error) -> bool {
    matches!(e.root(), okta::Error::Timeout(_) | okta::Error::Network(_))
}

/// Turns a step's result into the user's outcome, or the error that stops
/// the job.
fn settle(result: Result<Outcome, okta::Error>) -> Result<Outcome, okta::Error> {
    match result {
        Ok(outcome) => Ok(outcome),
        Err(e) if is_lost(&e) => Err(e),
        Err(e) => match e.api() {
            // Our credentials or the budget, not this user: stop, resumable.
            Some(api) if api.status == 401 || api.status == 429 => Err(e),
            Some(api) => Ok(Outcome::Failed { code: api.code.clone(), summary: api.summary.clone() }),
            None => Ok(Outcome::Failed { code: None, summary: e.to_string() }),
        },
    }
}

async fn send(client: &Client, action: &Action, id: &str, status: Option<UserStatus>) -> Result<Outcome, okta::Error> {
    match action {
        Action::Lifecycle { name, send_email } => {
            let op = lifecycle_named(name)
                .ok_or_else(|| okta::Error::Refused(format!("{name} is not an operation oktui knows")))?;
            if op == LifecycleOp::Delete {
                if status != Some(UserStatus::Deprovisioned) {
                    client.run_lifecycle(id, LifecycleOp::Deactivate, &LifecycleOptions::default()).await?;
                }
                client.delete_deprovisioned(id).await?;
                return Ok(Outcome::Changed);
            }
            let options = LifecycleOptions { send_email: email_choice(op, *send_email), revoke_sessions: None };
            let answer = client.run_lifecycle(id, op, &options).await?;
            Ok(match (answer.activation_url, answer.reset_password_url) {
                (Some(url), _) => Outcome::ChangedWithLink { field: "activationUrl", url },
                (None, Some(url)) => Outcome::ChangedWithLink { field: "resetPasswordUrl", url },
                (None, None) => Outcome::Changed,
            })
        }
        Action::AddToGroup { group_id, .. } => client.add_user_to_group(group_id, id).await.map(|()| Outcome::Changed),
        Action::RemoveFromGroup { group_id, .. } => {
            client.remove_user_from_group(group_id, id).await.map(|()| Outcome::Changed)
        }
        Action::ClearSessions => {
            let options = ClearSessions { oauth_tokens: false, forget_devices: true };
            client.clear_sessions(id, options).await.map(|()| Outcome::Changed)
        }
        Action::Set { changes } => set(client, id, changes).await,
    }
}

/// The operations whose email the admin chooses (`--send-email`).
pub const EMAIL_CHOICE: [&str; 3] = ["activate", "reactivate", "reset_password"];

/// `sendEmail` to send with `op`: the admin's choice, else Okta's
/// documented default, for the operations that email the user; `None`
/// (not sent) for the others.
fn email_choice(op: LifecycleOp, chosen: Option<bool>) -> Option<bool> {
    let name = super::operation::lifecycle_name(op)?;
    if !EMAIL_CHOICE.contains(&name) {
        return None;
    }
    let documented = op.options().iter().find(|o| o.kind == okta::LifecycleOptionKind::SendEmail).map(|o| o.default);
    chosen.or(documented)
}

/// A partial update of only `changes`, conditional on the user as read:
/// a concurrent change (412) is read again and the update retried, so
/// whatever else changed meanwhile stays.
async fn set(client: &Client, id: &str, changes: &Map<String, Value>) -> Result<Outcome, okta::Error> {
    let mut rereads = 0;
    loop {
        let read = client.read_user(id).await?;
        if holds(read.user.profile(), changes) {
            return Ok(Outcome::Unchanged);
        }
        let Some(etag) = read.etag else {
            return Err(okta::Error::Refused("the org sent no ETag with the user, so no safe update".into()));
        };
        match client.update_profile(id, &etag, changes).await {
            Err(e) if e.is_changed_meanwhile() && rereads < MAX_REREADS => rereads += 1,
            other => return other.map(|_| Outcome::Changed),
        }
    }
}

fn holds(profile: Option<&Map<String, Value>>, changes: &Map<String, Value>) -> bool {
    changes.iter().all(|(k, v)| profile.and_then(|p| p.get(k)).unwrap_or(&Value::Null) == v)
}

/// Reads the user to learn whether `action` was applied.
async fn check(client: &Client, action: &Action, unit: &Unit) -> Result<Check, okta::Error> {
    let read = match client.read_user(&unit.id).await {
        Ok(read) => read,
        // Only a delete makes a user vanish.
        Err(e) if e.status() == Some(404) && matches!(action, Action::Lifecycle { name, .. } if name == "delete") => {
            return Ok(Check::Done);
        }
        Err(e) if e.status() == Some(404) => return Ok(Check::NotDone(None)),
        Err(e) => return Err(e),
    };
    let now = read.user.status();
    Ok(match action {
        Action::Lifecycle { name, .. } => {
            let op = lifecycle_named(name);
            match (op, now) {
                (Some(op), Some(now)) => match shows_done(op, unit.status, now) {
                    Some(true) => Check::Done,
                    Some(false) => Check::NotDone(Some(now)),
                    None => Check::CannotTell,
                },
                _ => Check::CannotTell,
            }
        }
        Action::Set { changes } if holds(read.user.profile(), changes) => Check::Done,
        Action::Set { .. } => Check::NotDone(now),
        _ => Check::CannotTell,
    })
}
