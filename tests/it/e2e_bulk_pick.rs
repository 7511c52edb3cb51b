//! The bulk menu's `set` form and group picker end to end: the real
//! binary in a pseudo-terminal against an embedded org on loopback, the
//! users checked through the API afterwards.

use crate::bulk_support::{results, urlencode};
use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::support::{Api, TOKEN};
use oktui::emulator::OrgConfig;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const BACKSPACE: &str = "\x7f";

/// The results file of the TUI's job whose name starts with `prefix`,
/// under the state directory of the TUI run in `dir`.
fn results_file(dir: &std::path::Path, prefix: &str) -> PathBuf {
    crate::e2e_bulk::results_in_state_dir(dir)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .unwrap_or_else(|| panic!("no {prefix}… results under {}", dir.display()))
}

fn profile(e: &E2e, id: &str) -> Value {
    let api = Api::new(&e.org);
    e.rt.block_on(api.get(&format!("/api/v1/users/{id}"))).expect(200).body["profile"].clone()
}

/// `a`, then the menu entry `steps` below the first.
fn menu_entry(e: &mut E2e, steps: usize) {
    e.tui.send("a");
    e.tui.wait_text("Bulk operation");
    for _ in 0..steps {
        e.tui.send("j");
    }
    e.tui.send(keys::ENTER);
}

#[test]
fn users_picked_get_two_attributes_set_through_the_form_and_join_a_group_through_the_picker() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let search = r#"profile.department eq "Sales""#;
    e.search(search, |s| s.contains("Users · 7 users"));
    for n in 1..=3 {
        e.tui.send(" ");
        e.tui.wait_text(&format!("✓ {n} selected"));
        e.tui.send("j");
    }

    // set: costCenter and department, a value with a space and an `=`.
    let set = oktui::app::bulk::OPERATIONS.iter().position(|o| *o == "set").expect("set offered");
    menu_entry(&mut e, set);
    e.tui.wait_text("Set profile attributes");
    assign(&mut e, "costCenter", "Cost center", "CC 42=x");
    assign(&mut e, "department", "Department", "New Sales");
    e.tui.send(keys::ENTER);
    let plan = e.tui.wait_text("Enter starts the job");
    assert!(plan.contains("Plan: set profile.costCenter=CC 42=x profile.department=New Sales"), "{plan}");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("done, 3 users");
    e.tui.send(keys::ESC);
    e.tui.wait_for("the job screen to close", |s| !s.contains("Bulk job"));

    let set_results = results(&results_file(e.tui.dir(), "bulk-set-"));
    assert_eq!(set_results.len(), 3, "{set_results:?}");
    let still_sales: BTreeMap<String, Value> =
        e.rt.block_on(crate::bulk_support::users(&e.org, search))
            .into_iter()
            .map(|u| (u["id"].as_str().unwrap_or_default().to_owned(), u))
            .collect();
    assert!(!still_sales.is_empty(), "some Sales users were not picked");
    for id in set_results.keys() {
        let now = profile(&e, id);
        assert_eq!((now["costCenter"].as_str(), now["department"].as_str()), (Some("CC 42=x"), Some("New Sales")));
        assert!(now["title"].is_string() && now["firstName"].is_string(), "the rest of the profile is kept: {now}");
        assert!(!still_sales.contains_key(id), "no longer in Sales");
    }
    assert!(still_sales.values().all(|u| u["profile"]["costCenter"].is_null()), "users not picked are untouched");

    // add-to-group: the app's group is refused in the picker, then VPN Users.
    let add = oktui::app::bulk::OPERATIONS.iter().position(|o| *o == "add-to-group").expect("offered");
    menu_entry(&mut e, add);
    e.tui.wait_text("Add the selection to a group");
    e.tui.type_text("Workday");
    // The first search (every group) lists it too, below the cursor.
    e.tui.wait_for("Workday Staff found", |s| s.contains("▸ Workday Staff  APP_GROUP"));
    e.tui.send(keys::ENTER);
    e.tui.wait_text("Workday Staff comes from an app");
    for _ in 0.."Workday".len() {
        e.tui.send(BACKSPACE);
    }
    e.tui.type_text("VPN");
    e.tui.wait_for("only VPN Users found", |s| s.contains("▸ VPN Users") && !s.contains("Workday Staff  APP"));
    e.tui.send(keys::ENTER);
    let plan = e.tui.wait_text("Enter starts the job");
    assert!(plan.contains("Plan: add-to-group VPN Users on 3 users"), "the group by its name: {plan}");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("done, 3 users");

    let api = Api::new(&e.org);
    let group = e.rt.block_on(api.get(&format!("/api/v1/groups?q={}", urlencode("VPN Users")))).expect(200);
    let group_id = group.body[0]["id"].as_str().expect("VPN Users").to_owned();
    let members = e.rt.block_on(api.get(&format!("/api/v1/groups/{group_id}/users?limit=200"))).expect(200);
    let member_ids: Vec<&str> =
        members.body.as_array().expect("members").iter().filter_map(|u| u["id"].as_str()).collect();
    for id in set_results.keys() {
        assert!(member_ids.contains(&id.as_str()), "{id} is in VPN Users");
    }
    let group_results = results(&results_file(e.tui.dir(), "bulk-add-to-group"));
    assert_eq!(group_results.keys().collect::<Vec<_>>(), set_results.keys().collect::<Vec<_>>(), "the same users");
    e.quit();
}

/// In the set form: picks `attribute` (shown as `title`), types `value`
/// and adds the assignment.
fn assign(e: &mut E2e, attribute: &str, title: &str, value: &str) {
    e.tui.type_text(attribute);
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("{title}: text"));
    e.tui.type_text(value);
    e.tui.send(keys::ENTER);
    e.tui.wait_text(&format!("profile.{attribute} = {value}"));
}
