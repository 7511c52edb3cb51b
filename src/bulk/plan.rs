//! The plan of a bulk job, a value without I/O: for each user what will
//! happen (change, already done, skipped and why), counted per outcome
//! with a few users each, and how long it should take. The command prints
//! it with [`render`]; the TUI can show the same value.

use super::action::Action;
use super::operation::already_done;
use crate::display::thousands;
use crate::okta::{LifecycleOp, User, UserStatus};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Duration;

/// Users shown per outcome.
pub const SAMPLE: usize = 3;

/// What the plan decided for one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Change,
    /// Already in the target state: nothing is sent.
    Unchanged,
    /// Not done, for this reason: nothing is sent.
    Skip(String),
}

/// One user of the job as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub login: String,
    /// The status when planned (what a delete or a re-check starts from).
    pub status: Option<UserStatus>,
    pub decision: Decision,
}

/// What the org told the plan besides the users.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The lifecycle operations each status offers, read from a user's
    /// `_links` (a listing gives only `self`, so one user per status is
    /// read whole).
    pub offered: HashMap<UserStatus, Vec<LifecycleOp>>,
    /// Members of the group, for group operations.
    pub members: HashSet<String>,
    /// For group operations: why no membership of this group can be
    /// changed (an `APP_GROUP`), if so.
    pub group_refused: Option<String>,
    /// For `set`: why users of a type cannot take the change (a read-only
    /// attribute), by type id.
    pub type_refused: HashMap<String, String>,
    /// The id of the admin the job runs as (`/users/me`), when the
    /// credentials belong to a user (a service app's do not).
    pub me: Option<String>,
}

/// Why the admin the job runs as is left out: an operation that cuts off
/// their access would, halfway through a job, cut off the job itself.
pub const NOT_YOURSELF: &str =
    "that is you, the admin this job runs as: it would cut off your access (do it from the detail pane if you mean it)";

/// Decides for one user. Pure: everything it needs is in `facts`.
pub fn decide(action: &Action, facts: &Facts, user: &User) -> Decision {
    if facts.me.as_deref() == Some(user.id()) && action.cuts_access() {
        return Decision::Skip(NOT_YOURSELF.into());
    }
    match action {
        Action::Lifecycle { name, .. } => {
            let Some(op) = super::operation::lifecycle_named(name) else {
                return Decision::Skip(format!("{name} is not an operation oktui knows"));
            };
            let Some(status) = user.status() else {
                return Decision::Skip(format!("the org gave no status we know ({})", user.status_str()));
            };
            let offered = facts.offered.get(&status).is_some_and(|ops| ops.contains(&op));
            if already_done(op, status) {
                Decision::Unchanged
            } else if op == LifecycleOp::Delete || offered {
                Decision::Change
            } else {
                Decision::Skip(format!("the user's _links do not offer {name} for status {status}"))
            }
        }
        Action::AddToGroup { .. } | Action::RemoveFromGroup { .. } => {
            if let Some(why) = &facts.group_refused {
                return Decision::Skip(why.clone());
            }
            let member = facts.members.contains(user.id());
            let adding = matches!(action, Action::AddToGroup { .. });
            if member == adding { Decision::Unchanged } else { Decision::Change }
        }
        Action::Set { changes } => {
            if let Some(why) = user.type_id().and_then(|t| facts.type_refused.get(t)) {
                return Decision::Skip(why.clone());
            }
            let profile = user.profile();
            let holds =
                changes.iter().all(|(k, v)| profile.and_then(|p| p.get(k)).unwrap_or(&serde_json::Value::Null) == v);
            if holds { Decision::Unchanged } else { Decision::Change }
        }
        Action::ClearSessions => Decision::Change,
    }
}

/// Users with one outcome: how many, and the first few logins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub count: u64,
    pub sample: Vec<String>,
}

impl Outcome {
    fn add(&mut self, login: &str) {
        self.count += 1;
        if self.sample.len() < SAMPLE {
            self.sample.push(login.to_owned());
        }
    }
}

/// The plan of a whole job.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// As the admin wrote it: `suspend`, `set profile.department=New IT`.
    pub operation: String,
    /// Which users: `search: status eq "ACTIVE"`.
    pub selection: String,
    pub destructive: bool,
    /// Users selected (counted by paging).
    pub total: u64,
    pub change: Outcome,
    pub unchanged: Outcome,
    /// By reason, in the order the reasons were first met.
    pub skipped: Vec<(String, Outcome)>,
    /// Requests the job will send that count against the write budget.
    pub writes: u64,
    /// How long the job should take at the current rate budget.
    pub estimate: Option<Duration>,
}

impl Plan {
    pub fn new(operation: String, selection: String, destructive: bool) -> Self {
        Self { operation, selection, destructive, ..Self::default() }
    }

    pub fn count(&mut self, login: &str, decision: &Decision) {
        self.total += 1;
        match decision {
            Decision::Change => self.change.add(login),
            Decision::Unchanged => self.unchanged.add(login),
            Decision::Skip(reason) => match self.skipped.iter_mut().find(|(r, _)| r == reason) {
                Some((_, outcome)) => outcome.add(login),
                None => {
                    let mut outcome = Outcome::default();
                    outcome.add(login);
                    self.skipped.push((reason.clone(), outcome));
                }
            },
        }
    }

    pub fn skipped_count(&self) -> u64 {
        self.skipped.iter().map(|(_, o)| o.count).sum()
    }
}

/// The plan as text, for a terminal or a log.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let users = |n: u64| format!("{} user{}", thousands(n), if n == 1 { "" } else { "s" });
    let _ = writeln!(out, "Plan: {} on {} ({})", plan.operation, users(plan.total), plan.selection);
    let width = [plan.change.count, plan.unchanged.count, plan.skipped_count()]
        .iter()
        .map(|n| thousands(*n).len())
        .max()
        .unwrap_or(1);
    let mut line = |label: &str, outcome: &Outcome, why: Option<&str>| {
        let _ = write!(out, "  {label:<12} {:>width$}", thousands(outcome.count));
        if let Some(why) = why {
            let _ = write!(out, "  {why}");
        }
        if !outcome.sample.is_empty() {
            let more = if outcome.count > outcome.sample.len() as u64 { ", …" } else { "" };
            let _ = write!(out, "{}e.g. {}{more}", if why.is_some() { "; " } else { "  " }, outcome.sample.join(", "));
        }
        out.push('\n');
    };
    line("will change", &plan.change, None);
    line("unchanged", &plan.unchanged, Some("already in the target state"));
    for (reason, outcome) in &plan.skipped {
        line("skipped", outcome, Some(reason));
    }
    match plan.estimate {
        Some(estimate) if plan.change.count > 0 => {
            let _ = writeln!(
                out,
                "Estimated duration: {} ({} request{} at the current rate budget)",
                about(estimate),
                thousands(plan.writes),
                if plan.writes == 1 { "" } else { "s" }
            );
        }
        _ if plan.change.count == 0 => out.push_str("Nothing to change.\n"),
        _ => {}
    }
    out
}

/// `about 3 min 20 s`, `about 12 s`, `under a second`.
pub fn about(d: Duration) -> String {
    let secs = d.as_secs_f64().round() as u64;
    match secs {
        0 => "under a second".into(),
        1..=59 => format!("about {secs} s"),
        _ if secs.is_multiple_of(60) => format!("about {} min", secs / 60),
        _ => format!("about {} min {} s", secs / 60, secs % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn user(id: &str, status: &str, department: &str, type_id: &str) -> User {
        User::from_json(json!({
            "id": id, "status": status, "type": {"id": type_id},
            "profile": {"login": format!("{id}@example.com"), "department": department},
        }))
        .unwrap()
    }

    fn suspend_facts() -> Facts {
        let mut offered = HashMap::new();
        offered.insert(UserStatus::Active, vec![LifecycleOp::Suspend, LifecycleOp::Deactivate]);
        offered.insert(UserStatus::Staged, vec![LifecycleOp::Activate]);
        offered.insert(UserStatus::Suspended, vec![LifecycleOp::Unsuspend, LifecycleOp::Deactivate]);
        Facts { offered, ..Facts::default() }
    }

    #[test]
    fn the_admin_the_job_runs_as_is_left_out_of_what_cuts_access_only() {
        let me = user("me", "ACTIVE", "IT", "t");
        let facts = Facts { me: Some("me".into()), ..suspend_facts() };
        let suspend = Action::Lifecycle { name: "suspend".into(), send_email: None };
        assert_eq!(decide(&suspend, &facts, &me), Decision::Skip(NOT_YOURSELF.into()));
        assert_eq!(decide(&Action::ClearSessions, &facts, &me), Decision::Skip(NOT_YOURSELF.into()));
        let other = user("other", "ACTIVE", "IT", "t");
        assert_eq!(decide(&suspend, &facts, &other), Decision::Change);
        let set = Action::Set { changes: [("department".to_owned(), json!("Sales"))].into_iter().collect() };
        assert_eq!(decide(&set, &facts, &me), Decision::Change, "changing their own profile locks nobody out");
    }

    #[test]
    fn a_lifecycle_plan_counts_changes_the_done_and_what_links_do_not_offer() {
        let action = Action::Lifecycle { name: "suspend".into(), send_email: None };
        let facts = suspend_facts();
        let users = [
            user("a", "ACTIVE", "", "t"),
            user("b", "SUSPENDED", "", "t"),
            user("c", "STAGED", "", "t"),
            user("d", "ACTIVE", "", "t"),
            user("e", "LOCKED_OUT", "", "t"),
        ];
        let mut plan = Plan::new("suspend".into(), "search: x".into(), false);
        for u in &users {
            plan.count(u.login(), &decide(&action, &facts, u));
        }
        assert_eq!(plan.total, 5);
        assert_eq!(plan.change, Outcome { count: 2, sample: vec!["a@example.com".into(), "d@example.com".into()] });
        assert_eq!(plan.unchanged.count, 1);
        let reasons: Vec<(&str, u64)> = plan.skipped.iter().map(|(r, o)| (r.as_str(), o.count)).collect();
        assert_eq!(
            reasons,
            [
                ("the user's _links do not offer suspend for status STAGED", 1),
                ("the user's _links do not offer suspend for status LOCKED_OUT", 1)
            ]
        );
    }

    #[test]
    fn delete_goes_ahead_in_any_status_and_unsuspend_of_active_users_is_done() {
        let facts = suspend_facts();
        let delete = Action::Lifecycle { name: "delete".into(), send_email: None };
        assert_eq!(decide(&delete, &facts, &user("c", "STAGED", "", "t")), Decision::Change);
        let unsuspend = Action::Lifecycle { name: "unsuspend".into(), send_email: None };
        assert_eq!(decide(&unsuspend, &facts, &user("a", "ACTIVE", "", "t")), Decision::Unchanged);
        assert_eq!(decide(&unsuspend, &facts, &user("b", "SUSPENDED", "", "t")), Decision::Change);
    }

    #[test]
    fn group_and_set_plans_know_members_app_groups_held_values_and_read_only_types() {
        let add = Action::AddToGroup { group_id: "g".into(), group_name: "Sales".into() };
        let mut facts = Facts::default();
        facts.members.insert("a".into());
        assert_eq!(decide(&add, &facts, &user("a", "ACTIVE", "", "t")), Decision::Unchanged);
        assert_eq!(decide(&add, &facts, &user("b", "ACTIVE", "", "t")), Decision::Change);
        let remove = Action::RemoveFromGroup { group_id: "g".into(), group_name: "Sales".into() };
        assert_eq!(decide(&remove, &facts, &user("a", "ACTIVE", "", "t")), Decision::Change);
        facts.group_refused = Some("Sales is an APP_GROUP".into());
        assert_eq!(decide(&add, &facts, &user("b", "ACTIVE", "", "t")), Decision::Skip("Sales is an APP_GROUP".into()));

        let mut changes = Map::new();
        changes.insert("department".into(), json!("New IT"));
        let set = Action::Set { changes };
        let mut facts = Facts::default();
        facts.type_refused.insert("ro".into(), "profile.department is read-only for type ro".into());
        assert_eq!(decide(&set, &facts, &user("a", "ACTIVE", "New IT", "t")), Decision::Unchanged);
        assert_eq!(decide(&set, &facts, &user("b", "ACTIVE", "Sales", "t")), Decision::Change);
        assert!(matches!(decide(&set, &facts, &user("c", "ACTIVE", "Sales", "ro")), Decision::Skip(_)));
    }

    #[test]
    fn the_plan_renders_counts_samples_reasons_and_the_estimate() {
        let mut plan = Plan::new("suspend".into(), r#"search: status eq "ACTIVE""#.into(), false);
        for i in 0..1_200 {
            plan.count(&format!("u{i}@x"), &Decision::Change);
        }
        plan.count("s@x", &Decision::Unchanged);
        plan.count("t@x", &Decision::Skip("the user's _links do not offer suspend for status STAGED".into()));
        plan.writes = 1_200;
        plan.estimate = Some(Duration::from_secs(125));
        assert_eq!(
            render(&plan),
            "Plan: suspend on 1,202 users (search: status eq \"ACTIVE\")\n  \
             will change  1,200  e.g. u0@x, u1@x, u2@x, …\n  \
             unchanged        1  already in the target state; e.g. s@x\n  \
             skipped          1  the user's _links do not offer suspend for status STAGED; e.g. t@x\n\
             Estimated duration: about 2 min 5 s (1,200 requests at the current rate budget)\n"
        );
        let empty = Plan::new("suspend".into(), "ids: a.txt".into(), false);
        assert!(render(&empty).ends_with("Nothing to change.\n"));
        assert_eq!(about(Duration::from_millis(300)), "under a second");
        assert_eq!(about(Duration::from_secs(120)), "about 2 min");
    }
}
