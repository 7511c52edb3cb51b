//! Pure `update` tests of the bulk menu's group picker and `set` form,
//! and of the plan popup that scrolls under its pinned keys, with
//! snapshots at 80×24 and 140×42.

use crate::app_tabs::group_json;
use crate::sim::{Sim, schema_json, users};
use crossterm::event::KeyCode;
use oktui::app::bulk::{self, BulkEffect, BulkResult, Dialog};
use oktui::app::tabs::{TabEffect, TabResult};
use oktui::app::{ApiResult, Effect, Load, Msg, Overlay, ReqId};
use oktui::bulk::{Action, Decision, Operation, Plan, Unit};
use oktui::okta::{Group, UserSchema};
use serde_json::json;

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];
const NEXT: &str = "https://acme.okta.com/api/v1/users?after=200";

fn dialog(sim: &Sim) -> Option<&Dialog> {
    match &sim.state.overlay {
        Some(Overlay::Bulk(d)) => Some(d),
        _ => None,
    }
}

fn bulk_effects(sim: &mut Sim) -> Vec<BulkEffect> {
    let (bulk, rest): (Vec<Effect>, Vec<Effect>) =
        std::mem::take(&mut sim.effects).into_iter().partition(|e| matches!(e, Effect::Bulk(_)));
    sim.effects = rest;
    bulk.into_iter().filter_map(|e| if let Effect::Bulk(b) = e { Some(b) } else { None }).collect()
}

fn survey(sim: &mut Sim) -> Operation {
    match bulk_effects(sim).as_slice() {
        [BulkEffect::Survey { operation, .. }] => operation.clone(),
        other => panic!("expected one survey, got {other:?}"),
    }
}

/// `*`, `a`, then Enter on the menu's entry `name`.
fn choose(sim: &mut Sim, name: &str) {
    sim.ch('*');
    sim.ch('a');
    let index = bulk::OPERATIONS.iter().position(|o| *o == name).expect("offered");
    for _ in 0..index {
        sim.ch('j');
    }
    sim.key(KeyCode::Enter);
}

fn group_search(sim: &mut Sim) -> (ReqId, String) {
    let search = sim.take("group search", |e| matches!(e, Effect::Tab(TabEffect::SearchGroups { .. })));
    let Effect::Tab(TabEffect::SearchGroups { req, q }) = search else { unreachable!() };
    (req, q)
}

fn found() -> Vec<Group> {
    [
        group_json("00gSALES", "Sales", "OKTA_GROUP"),
        group_json("00gSFDC", "Salesforce Users", "APP_GROUP"),
        group_json("00gSALESEU", "Sales EU", "OKTA_GROUP"),
    ]
    .into_iter()
    .filter_map(Group::from_json)
    .collect()
}

#[test]
fn a_group_chosen_in_the_picker_plans_add_to_group_by_its_id_and_an_app_group_is_refused_first() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "add-to-group");
    assert!(matches!(dialog(&sim), Some(Dialog::PickGroup(p)) if !p.remove));
    let (first, q) = group_search(&mut sim);
    assert_eq!(q, "", "the picker searches at once");
    sim.type_text("Sa");
    sim.fire_timers();
    let (req, q) = group_search(&mut sim);
    assert_eq!(q, "Sa", "typing searches the org's groups once it pauses");
    sim.send(Msg::Api(first, ApiResult::Tab(TabResult::GroupSearch(Ok(Vec::new())))));
    sim.send(Msg::Api(req, ApiResult::Tab(TabResult::GroupSearch(Ok(found())))));

    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    assert!(bulk_effects(&mut sim).is_empty(), "an APP_GROUP is refused before any planning");
    let Some(Dialog::PickGroup(pick)) = dialog(&sim) else { panic!("the picker stays: {:?}", sim.state.overlay) };
    let refusal = pick.search.refusal.clone().unwrap_or_default();
    assert!(refusal.contains("Salesforce Users comes from an app"), "{refusal}");
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_group_picker_refused_{w}x{h}"), sim.render(w, h).backend());
    }

    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    assert_eq!(survey(&mut sim), Operation::AddToGroup("00gSALESEU".into()));
    assert!(matches!(dialog(&sim), Some(Dialog::Surveying { .. })));
}

#[test]
fn remove_from_group_plans_the_removal_of_the_group_chosen() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "remove-from-group");
    let (req, _) = group_search(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Tab(TabResult::GroupSearch(Ok(found())))));
    sim.key(KeyCode::Enter);
    assert_eq!(survey(&mut sim), Operation::RemoveFromGroup("00gSALES".into()));
}

/// The demo schema with a read-only, an immutable and a length-limited
/// attribute besides.
fn schema() -> UserSchema {
    let mut json = schema_json();
    let custom = &mut json["definitions"]["custom"]["properties"];
    custom["manager"] = json!({"title": "Manager", "type": "string", "mutability": "READ_ONLY"});
    custom["employeeNumber"] = json!({"title": "Employee number", "type": "string", "mutability": "IMMUTABLE"});
    custom["costCenter"] = json!({"title": "Cost center", "type": "string", "maxLength": 6});
    UserSchema::from_json(json).expect("schema")
}

fn set_form(sim: &Sim) -> &oktui::app::bulk_pick::SetForm {
    match dialog(sim) {
        Some(Dialog::SetAttributes(form)) => form,
        other => panic!("no set form: {other:?}"),
    }
}

fn erase(sim: &mut Sim, n: usize) {
    for _ in 0..n {
        sim.key(KeyCode::Backspace);
    }
}

#[test]
fn the_set_form_refuses_what_the_schema_refuses_and_plans_set_with_every_assignment_as_typed() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    sim.state.schema = Load::Loaded(schema());
    choose(&mut sim, "set");
    assert!(set_form(&sim).assignments.is_empty());
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_set_form_empty_{w}x{h}"), sim.render(w, h).backend());
    }

    sim.type_text("nickname2");
    sim.key(KeyCode::Enter);
    let refusal = set_form(&sim).refusal.clone().unwrap_or_default();
    assert!(refusal.contains("No attribute") && refusal.contains("nickname2"), "{refusal}");
    erase(&mut sim, 9);
    sim.type_text("manager");
    sim.key(KeyCode::Enter);
    assert_eq!(set_form(&sim).refusal.as_deref(), Some("manager is read-only: the org sets it"));
    assert!(set_form(&sim).value.is_none());
    erase(&mut sim, 7);
    sim.type_text("employeeNumber");
    sim.key(KeyCode::Enter);
    assert_eq!(set_form(&sim).refusal.as_deref(), Some("employeeNumber is set only when a user is created"));
    erase(&mut sim, 14);

    // A value the attribute's type or length does not take is refused,
    // with the edit form's reason, as it is typed and on Enter.
    sim.type_text("cost");
    sim.key(KeyCode::Enter);
    sim.type_text("R&D 4242");
    let error = set_form(&sim).value.as_ref().and_then(|f| f.error.clone());
    assert_eq!(error.as_deref(), Some("at most 6 characters (8 now)"));
    sim.key(KeyCode::Enter);
    assert!(set_form(&sim).assignments.is_empty(), "an invalid value is not added");
    assert!(set_form(&sim).refusal.as_deref().is_some_and(|r| r.contains("at most 6 characters")));
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_set_form_error_{w}x{h}"), sim.render(w, h).backend());
    }
    erase(&mut sim, 8);
    sim.type_text("4=2 a");
    sim.key(KeyCode::Enter);
    sim.type_text("depart");
    sim.key(KeyCode::Enter);
    sim.type_text("New IT");
    sim.key(KeyCode::Enter);
    let expected = vec![("costCenter".to_owned(), "4=2 a".to_owned()), ("department".to_owned(), "New IT".to_owned())];
    assert_eq!(set_form(&sim).assignments, expected);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("bulk_set_form_two_{w}x{h}"), sim.render(w, h).backend());
    }
    assert!(bulk_effects(&mut sim).is_empty(), "nothing is planned before the admin says so");

    // Enter on the empty attribute plans both, values as typed.
    sim.key(KeyCode::Enter);
    assert_eq!(survey(&mut sim), Operation::Set(expected));
}

#[test]
fn in_the_set_form_backspace_takes_back_the_last_assignment_and_ctrl_s_plans_the_value_being_typed() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "set");
    sim.type_text("department");
    sim.key(KeyCode::Enter);
    sim.type_text("Ops");
    sim.key(KeyCode::Enter);
    sim.key(KeyCode::Backspace);
    assert!(set_form(&sim).assignments.is_empty(), "Backspace on the empty attribute drops the last one");
    sim.type_text("department");
    sim.key(KeyCode::Enter);
    sim.type_text("Field Ops");
    sim.ctrl('s');
    assert_eq!(survey(&mut sim), Operation::Set(vec![("department".into(), "Field Ops".into())]));
}

#[test]
fn esc_in_the_set_form_asks_first_when_something_was_typed() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "set");
    sim.key(KeyCode::Esc);
    assert!(sim.state.overlay.is_none(), "nothing typed: Esc closes at once");

    choose(&mut sim, "set");
    sim.type_text("depart");
    sim.key(KeyCode::Enter);
    sim.type_text("Ops");
    sim.key(KeyCode::Esc);
    assert!(set_form(&sim).confirm_discard, "typed input is not dropped without asking");
    assert!(sim.screen(80, 24).contains("y discards"), "{}", sim.screen(80, 24));
    sim.ch('n');
    assert!(!set_form(&sim).confirm_discard);
    assert_eq!(set_form(&sim).value.as_ref().map(|f| f.input.value().to_owned()).as_deref(), Some("Ops"));
    sim.key(KeyCode::Esc);
    sim.ch('y');
    assert!(sim.state.overlay.is_none());
}

/// A plan of `n` users with several skip reasons: longer than 80×24.
fn long_plan(n: usize) -> BulkResult {
    let mut plan = Plan::new("delete".into(), "search: x".into(), true);
    let mut units = Vec::new();
    for i in 0..n {
        let decision = match i % 6 {
            0 => Decision::Unchanged,
            1 => Decision::Skip("the user's _links do not offer delete for status LOCKED_OUT".into()),
            2 => Decision::Skip("the user's _links do not offer delete for status RECOVERY".into()),
            3 => Decision::Skip("no such user in the org".into()),
            _ => Decision::Change,
        };
        let login = format!("a.rather.long.login.number{i}@subsidiary.example.com");
        plan.count(&login, &decision);
        units.push(Unit { id: format!("00u{i:017}"), login, status: None, decision });
    }
    plan.writes = plan.change.count;
    plan.estimate = Some(std::time::Duration::from_secs(30));
    BulkResult::Planned(Ok(Box::new((plan, units, Action::Lifecycle { name: "delete".into(), send_email: None }))))
}

#[test]
fn a_long_plan_scrolls_under_its_pinned_keys_and_typed_number() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "delete");
    let Some(BulkEffect::Survey { req, .. }) = bulk_effects(&mut sim).pop() else { panic!("survey") };
    sim.send(Msg::Api(req, ApiResult::Bulk(long_plan(600))));
    sim.type_text("200");
    let top = sim.frame(80, 24);
    assert!(top.contains("↓ more"), "{top}");
    assert!(top.contains("Type 200 to go ahead: 200") && top.contains("Enter starts the job"), "{top}");
    assert!(top.contains("Plan: delete on 600 users"), "{top}");
    assert!(!top.contains("Estimated duration"), "the end is below: {top}");
    sim.ch('G');
    let end = sim.frame(80, 24);
    assert!(end.contains("Estimated duration") && !end.contains("Plan: delete on"), "{end}");
    assert!(end.contains("Type 200 to go ahead: 200") && end.contains("Enter starts the job"), "{end}");
    insta::assert_snapshot!("bulk_plan_long_scrolled_80x24", sim.render(80, 24).backend());
    // Holding j past the end leaves it there: one k moves back at once.
    for _ in 0..30 {
        sim.ch('j');
    }
    sim.ch('k');
    assert!(sim.frame(80, 24).contains("↓ more"), "{}", sim.frame(80, 24));
    sim.ch('g');
    assert!(sim.frame(80, 24).contains("Plan: delete on 600 users"));
    let wide = sim.frame(140, 42);
    assert!(!wide.contains("↓ more"), "it fits at 140×42: {wide}");
    insta::assert_snapshot!("bulk_plan_long_140x42", sim.render(140, 42).backend());
}

#[test]
fn the_operations_menu_keeps_its_cursor_and_keys_in_view_at_80x24() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    sim.ch('*');
    sim.ch('a');
    sim.ch('k');
    let screen = sim.frame(80, 24);
    assert!(screen.contains("delete") && screen.contains("Enter plans it"), "{screen}");
    // The smallest terminal oktui draws in: the menu scrolls to its cursor.
    let smallest = sim.frame(80, 20);
    assert!(smallest.contains(" delete ") && smallest.contains("↑ more"), "{smallest}");
    assert!(smallest.contains("Enter plans it"), "{smallest}");
    sim.ch('j');
    sim.ch('j');
    let top = sim.frame(80, 20);
    assert!(top.contains(" unsuspend ") && top.contains("↓ more"), "{top}");
    insta::assert_snapshot!("bulk_menu_last_80x24", sim.render(80, 24).backend());
    insta::assert_snapshot!("bulk_menu_last_140x42", sim.render(140, 42).backend());
}

#[test]
fn the_results_file_of_a_set_is_named_in_the_working_directory_whatever_the_values_hold() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "set");
    sim.type_text("department");
    sim.key(KeyCode::Enter);
    sim.type_text("R/D ../x");
    sim.key(KeyCode::Enter);
    sim.key(KeyCode::Enter);
    let operation = survey(&mut sim);
    let req = match dialog(&sim) {
        Some(Dialog::Surveying { req, .. }) => *req,
        other => panic!("surveying: {other:?}"),
    };
    let mut plan = Plan::new(operation.to_string(), "search: x".into(), false);
    plan.count("a@example.com", &Decision::Change);
    let unit = Unit { id: "00u1".into(), login: "a@example.com".into(), status: None, decision: Decision::Change };
    let action = Action::Set { changes: serde_json::Map::new() };
    sim.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Planned(Ok(Box::new((plan, vec![unit], action)))))));
    sim.key(KeyCode::Enter);
    let Some(BulkEffect::Run { results, .. }) = bulk_effects(&mut sim).pop() else { panic!("no job started") };
    assert_eq!(results.components().count(), 1, "one file name, no directories: {}", results.display());
    let name = results.to_string_lossy().into_owned();
    assert!(name.starts_with("bulk-set") && name.ends_with(".jsonl"), "{name}");
}

#[test]
fn pasted_text_goes_into_the_picker_s_search_and_the_set_form_s_inputs() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "add-to-group");
    group_search(&mut sim);
    sim.send(Msg::Paste("VPN Us".into()));
    sim.fire_timers();
    assert_eq!(group_search(&mut sim).1, "VPN Us", "a paste searches once it rests, as typing does");

    sim.key(KeyCode::Esc);
    choose(&mut sim, "set");
    sim.send(Msg::Paste("department".into()));
    sim.key(KeyCode::Enter);
    sim.send(Msg::Paste("Research & Development".into()));
    sim.key(KeyCode::Enter);
    assert_eq!(set_form(&sim).assignments, vec![("department".to_owned(), "Research & Development".to_owned())]);
}

#[test]
fn a_refusal_made_on_the_list_a_search_replaces_goes_with_it() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "add-to-group");
    let (first, _) = group_search(&mut sim);
    let workday = [group_json("00gWORKDAY", "Workday Staff", "APP_GROUP")].into_iter().filter_map(Group::from_json);
    sim.send(Msg::Api(first, ApiResult::Tab(TabResult::GroupSearch(Ok(workday.collect())))));
    sim.type_text("VPN");
    sim.fire_timers();
    let (req, _) = group_search(&mut sim);
    // Enter before the answer: the group shown is refused...
    sim.key(KeyCode::Enter);
    assert!(sim.screen(80, 24).contains("Workday Staff comes from an app"));
    let vpn = [group_json("00gVPN", "VPN Users", "OKTA_GROUP")].into_iter().filter_map(Group::from_json);
    sim.send(Msg::Api(req, ApiResult::Tab(TabResult::GroupSearch(Ok(vpn.collect())))));
    // ...and once the list shows other groups, the refusal goes.
    let screen = sim.screen(80, 24);
    assert!(screen.contains("VPN Users") && !screen.contains("comes from an app"), "{screen}");
}

#[test]
fn a_dropped_or_failed_plan_of_a_set_returns_to_the_form_with_its_assignments() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    choose(&mut sim, "set");
    sim.type_text("department");
    sim.key(KeyCode::Enter);
    sim.type_text("Field Ops");
    sim.key(KeyCode::Enter);
    sim.type_text("mobilePhone");
    sim.key(KeyCode::Enter);
    sim.type_text("+1 555 0100");
    sim.ctrl('s');
    let Some(BulkEffect::Survey { req, .. }) = bulk_effects(&mut sim).pop() else { panic!("survey") };
    sim.send(Msg::Api(req, ApiResult::Bulk(long_plan(12))));
    assert!(matches!(dialog(&sim), Some(Dialog::Plan(_))));
    sim.key(KeyCode::Esc);
    let kept =
        vec![("department".to_owned(), "Field Ops".to_owned()), ("mobilePhone".to_owned(), "+1 555 0100".to_owned())];
    assert_eq!(set_form(&sim).assignments, kept, "Esc on the plan goes back to what was typed");

    // The org refuses the plan (say, a value the schema's pattern rejects).
    sim.ctrl('s');
    let Some(BulkEffect::Survey { req, .. }) = bulk_effects(&mut sim).pop() else { panic!("survey") };
    let refused = BulkResult::Planned(Err("mobilePhone: does not match the pattern".into()));
    sim.send(Msg::Api(req, ApiResult::Bulk(refused)));
    assert_eq!(set_form(&sim).assignments, kept, "a failed plan goes back to the form too");
    assert!(sim.screen(140, 42).contains("mobilePhone: does not match the pattern"), "{}", sim.screen(140, 42));

    // Esc while the org is read, too.
    sim.ctrl('s');
    assert!(matches!(dialog(&sim), Some(Dialog::Surveying { .. })));
    sim.key(KeyCode::Esc);
    assert_eq!(set_form(&sim).assignments, kept);
}

#[test]
fn the_set_form_refuses_the_login_as_one_value_for_every_user_would_clash() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    sim.state.schema = Load::Loaded(schema());
    choose(&mut sim, "set");
    sim.type_text("login");
    sim.key(KeyCode::Enter);
    assert!(set_form(&sim).value.is_none(), "the login is not offered for a value");
    let refusal = set_form(&sim).refusal.clone().unwrap_or_default();
    assert!(refusal.contains("unique to each user"), "{refusal}");
}

#[test]
fn g_and_shift_g_reach_the_ends_of_the_operations_menu() {
    let mut sim = Sim::started_with(&users(10), Some(NEXT));
    sim.ch('*');
    sim.ch('a');
    sim.ch('G');
    assert!(matches!(dialog(&sim), Some(Dialog::Menu { cursor }) if bulk::OPERATIONS[*cursor] == "delete"));
    sim.ch('g');
    assert!(matches!(dialog(&sim), Some(Dialog::Menu { cursor: 0 })));
}
