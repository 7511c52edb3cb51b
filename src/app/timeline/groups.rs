//! Events grouped into the operations that caused them: one request's
//! events share a `transaction.id`, and a sign-in's steps (session start,
//! MFA, SSO into apps) share the session (`externalSessionId`).

use crate::okta::logs::LogEvent;
use std::collections::HashMap;

/// Where an event sits in its group, for the gutter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMark {
    Alone,
    First,
    Middle,
    Last,
}

/// Sign-in events belong to their session rather than their request.
fn is_sign_in(event: &LogEvent) -> bool {
    ["user.session.", "user.authentication.", "user.mfa.factor.verify", "policy.evaluate_sign_on"]
        .iter()
        .any(|p| event.event_type().starts_with(p))
}

/// What groups `event` with others, if anything.
pub fn group_key(event: &LogEvent) -> Option<String> {
    match (is_sign_in(event), event.session_id(), event.transaction_id()) {
        (true, Some(session), _) => Some(format!("session {session}")),
        (_, _, Some(transaction)) => Some(format!("transaction {transaction}")),
        _ => None,
    }
}

/// Newest first, each group where its newest event is, its events
/// together (newest first within it). Stable, so events of one instant
/// keep the order the org gave them.
pub fn order(events: &mut Vec<LogEvent>) {
    events.sort_by(|a, b| b.published().cmp(a.published()));
    let mut groups: Vec<Vec<LogEvent>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for event in events.drain(..) {
        match group_key(&event).and_then(|k| index.get(&k).copied().map(Ok).or(Some(Err(k)))) {
            Some(Ok(i)) => groups[i].push(event),
            Some(Err(key)) => {
                index.insert(key, groups.len());
                groups.push(vec![event]);
            }
            None => groups.push(vec![event]),
        }
    }
    events.extend(groups.into_iter().flatten());
}

/// The gutter mark of each event of an ordered list.
pub fn marks(events: &[LogEvent]) -> Vec<GroupMark> {
    let keys: Vec<Option<String>> = events.iter().map(group_key).collect();
    let same = |a: usize, b: usize| keys[a].is_some() && keys[a] == keys[b];
    (0..events.len())
        .map(|i| {
            let with_previous = i > 0 && same(i, i - 1);
            let with_next = i + 1 < events.len() && same(i, i + 1);
            match (with_previous, with_next) {
                (false, false) => GroupMark::Alone,
                (false, true) => GroupMark::First,
                (true, true) => GroupMark::Middle,
                (true, false) => GroupMark::Last,
            }
        })
        .collect()
}
