//! Snapshots of the System Log timeline: a user's, an expanded event, the
//! org's, at 80×24 and wide.

use crate::sim::Sim;
use crate::timeline_app::{answer_logs, event, history, jane_timeline, take_logs};
use crossterm::event::KeyCode;

#[test]
fn a_users_timeline() {
    let sim = jane_timeline();
    insta::assert_snapshot!("timeline_80x24", sim.render(80, 24).backend());
    insta::assert_snapshot!("timeline_140x42", sim.render(140, 42).backend());
}

#[test]
fn an_expanded_profile_change() {
    let mut sim = jane_timeline();
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    insta::assert_snapshot!("timeline_expanded_80x24", sim.render(80, 24).backend());
    insta::assert_snapshot!("timeline_expanded_140x42", sim.render(140, 42).backend());
}

#[test]
fn the_orgs_log_following() {
    let mut sim = Sim::started_with(&crate::sim::users(3), None);
    sim.ch('L');
    let (req, _, _) = take_logs(&mut sim);
    let mut other = event("e-other", "2024-06-10T10:30:00.000Z", "group.user_membership.add", "txn-7");
    other["target"] = serde_json::json!([
        {"id": "00uother", "type": "User", "alternateId": "blake@example.com"},
        {"id": "00g1", "type": "UserGroup", "displayName": "Sales"}
    ]);
    let mut events = history();
    events.push(other);
    answer_logs(&mut sim, req, &events, None);
    sim.ch('f');
    insta::assert_snapshot!("timeline_org_80x24", sim.render(80, 24).backend());
    insta::assert_snapshot!("timeline_org_140x42", sim.render(140, 42).backend());
}
