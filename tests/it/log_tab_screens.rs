//! Screen snapshots of the detail pane's Log tab (loading, loaded, an
//! expanded event, empty, failed) at 80×24 (the pane under the list) and
//! 140×42 (side by side).

use crate::sim::{Sim, api_error};
use crate::timeline_app::{answer_logs, take_logs, with_user};
use crossterm::event::KeyCode;
use oktui::app::{ApiResult, Msg};
use serde_json::json;

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];

fn snap(name: &str, sim: &Sim) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), sim.render(w, h).backend());
    }
}

#[test]
fn log_tab() {
    let mut sim = with_user();
    sim.ch('6');
    let (req, _, _) = take_logs(&mut sim);
    snap("log_tab_loading", &sim);
    answer_logs(&mut sim, req, &crate::timeline_app::history(), None);
    snap("log_tab_loaded", &sim);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    snap("log_tab_expanded", &sim);
}

#[test]
fn log_tab_empty_and_failed() {
    let mut sim = with_user();
    sim.ch('6');
    let (req, _, _) = take_logs(&mut sim);
    answer_logs(&mut sim, req, &[], None);
    snap("log_tab_empty", &sim);
    sim.ch('d');
    let (req, _, _) = take_logs(&mut sim);
    let error = api_error(503, json!({"errorCode": "E0000009", "errorSummary": "Service Unavailable"}));
    sim.send(Msg::Api(req, ApiResult::Logs(Err(error))));
    snap("log_tab_failed", &sim);
}
