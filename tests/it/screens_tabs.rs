//! Screen snapshots of the detail pane's tabs (each loading, loaded, empty
//! and failed), the group picker and each confirmation, at 80×24 (the pane
//! under the list) and 140×42 (side by side).

use crate::app_tabs::{factor_json, mixed_groups, shown, take_tabs, two_apps};
use crate::sim::{Sim, api_error};
use crossterm::event::KeyCode;
use oktui::app::tabs::{TabEffect, TabResult};
use oktui::app::{ApiResult, Effect, Msg, ReqId};
use oktui::okta::{Factor, Group};
use serde_json::json;

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];

fn snap(name: &str, sim: &Sim) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), sim.render(w, h).backend());
    }
}

fn answer(sim: &mut Sim, req: ReqId, result: TabResult) {
    sim.send(Msg::Api(req, ApiResult::Tab(result)));
}

fn server_error() -> oktui::okta::Error {
    api_error(503, json!({"errorCode": "E0000009", "errorSummary": "Service Unavailable"}))
}

/// The factors the embedded org gives a demo user, one of each kind.
fn demo_factors() -> Vec<Factor> {
    let mut values = vec![
        factor_json("mbl1", "sms", "OKTA", "ACTIVE"),
        json!({"id": "ost1", "factorType": "token:software:totp", "provider": "GOOGLE", "status": "PENDING_ACTIVATION",
               "created": "2024-06-09T10:00:00.000Z", "lastUpdated": "2024-06-09T10:00:00.000Z",
               "profile": {"credentialId": "avery.fixture0@example.com"}}),
        json!({"id": "opf1", "factorType": "push", "provider": "OKTA", "status": "ACTIVE", "vendorName": "OKTA",
               "created": "2024-05-01T10:00:00.000Z", "lastUpdated": "2024-06-01T10:00:00.000Z",
               "profile": {"name": "Avery's iPhone", "platform": "IOS", "version": "17.5"}}),
    ];
    values.push(json!({"id": "fwf1", "factorType": "webauthn", "provider": "FIDO", "status": "ACTIVE",
                       "created": "2024-05-01T10:00:00.000Z", "lastUpdated": "2024-05-01T10:00:00.000Z",
                       "profile": {"authenticatorName": "YubiKey 5 NFC", "credentialId": "a1b2c3"}}));
    values.into_iter().filter_map(Factor::from_json).collect()
}

/// The pane on `key`'s tab with its load still out; returns the request.
fn tab_loading(key: char) -> (Sim, Option<ReqId>) {
    let mut sim = shown();
    sim.ch(key);
    let req = take_tabs(&mut sim).first().map(TabEffect::req);
    (sim, req)
}

#[test]
fn groups_tab() {
    // Loading: the user is shown, its groups not yet.
    let mut sim = Sim::started_with(&crate::sim::users(4), None);
    sim.answer_detail(crate::sim::full_user_json(0, "ACTIVE"));
    sim.ch('2');
    snap("groups_loading", &sim);
    let Effect::FetchGroups { req, .. } = sim.take("groups", |e| matches!(e, Effect::FetchGroups { .. })) else {
        unreachable!()
    };
    sim.send(Msg::Api(req, ApiResult::Groups(Err(server_error()))));
    snap("groups_failed", &sim);

    let mut sim = shown();
    sim.ch('2');
    sim.ch('j');
    snap("groups_loaded", &sim);

    let mut sim = Sim::started_with(&crate::sim::users(4), None);
    sim.answer_detail(crate::sim::full_user_json(0, "ACTIVE"));
    sim.answer_groups(&[]);
    sim.ch('2');
    snap("groups_empty", &sim);
}

#[test]
fn factors_tab() {
    let (mut sim, req) = tab_loading('3');
    snap("factors_loading", &sim);
    answer(&mut sim, req.expect("a load"), TabResult::Factors(Err(server_error())));
    snap("factors_failed", &sim);

    let (mut sim, req) = tab_loading('3');
    answer(&mut sim, req.expect("a load"), TabResult::Factors(Ok(demo_factors())));
    sim.ch('j');
    snap("factors_loaded", &sim);

    let (mut sim, req) = tab_loading('3');
    answer(&mut sim, req.expect("a load"), TabResult::Factors(Ok(Vec::new())));
    snap("factors_empty", &sim);
}

#[test]
fn apps_tab() {
    let (mut sim, req) = tab_loading('4');
    snap("apps_loading", &sim);
    let gone = api_error(404, json!({"errorCode": "E0000007", "errorSummary": "Not found: Resource not found"}));
    answer(&mut sim, req.expect("a load"), TabResult::Apps(Err(gone)));
    snap("apps_failed", &sim);

    let (mut sim, req) = tab_loading('4');
    answer(&mut sim, req.expect("a load"), TabResult::Apps(Ok(two_apps())));
    snap("apps_loaded", &sim);

    let (mut sim, req) = tab_loading('4');
    answer(&mut sim, req.expect("a load"), TabResult::Apps(Ok(Vec::new())));
    snap("apps_empty", &sim);
}

#[test]
fn group_picker() {
    let mut sim = shown();
    sim.ch('2');
    sim.ch('+');
    snap("picker_searching", &sim);
    sim.type_text("E");
    sim.fire_timers();
    let req = take_tabs(&mut sim).last().map(TabEffect::req).expect("a search");
    let mut found = mixed_groups();
    found.extend(Group::from_json(json!({"id": "00gEXEC", "type": "OKTA_GROUP", "profile": {"name": "Executives"}})));
    answer(&mut sim, req, TabResult::GroupSearch(Ok(found)));
    sim.key(KeyCode::Enter);
    snap("picker_refused", &sim);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    snap("picker_adding", &sim);
}

#[test]
fn confirmations() {
    let mut sim = shown();
    sim.ch('2');
    sim.ch('j');
    sim.ch('-');
    snap("confirm_remove_from_group", &sim);

    let (mut sim, req) = tab_loading('3');
    answer(&mut sim, req.expect("a load"), TabResult::Factors(Ok(demo_factors())));
    sim.ch('-');
    snap("confirm_reset_factor", &sim);

    let mut sim = shown();
    sim.ch('a');
    let Some(oktui::app::Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu") };
    let n = menu.ops.len() + 1;
    sim.ch(char::from(b'0' + n as u8));
    sim.ch(' ');
    snap("confirm_clear_sessions", &sim);
}
