//! The edit-profile form (`e`), driven through the pure `update`: what it
//! sends, read-only attributes, the login confirmation, the conflict view
//! and every way a save can end.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::form::{CreateForm, Item};
use oktui::app::messages::Level;
use oktui::app::{ApiResult, Effect, Msg, Overlay, ReqId};
use oktui::okta::{ETag, Error, User, UserRead, UserSchema};
use serde_json::{Map, Value, json};

fn form(sim: &Sim) -> &CreateForm {
    sim.state.form.as_ref().expect("form open")
}

fn read(user: Value, etag: &str) -> UserRead {
    UserRead { user: User::from_json(user).expect("user"), etag: Some(ETag::new(etag)) }
}

fn take_read(sim: &mut Sim) -> ReqId {
    match sim.take("read for edit", |e| matches!(e, Effect::ReadUserForEdit { .. })) {
        Effect::ReadUserForEdit { req, .. } => req,
        _ => unreachable!(),
    }
}

fn take_save(sim: &mut Sim) -> (ReqId, String, ETag, Map<String, Value>) {
    match sim.take("profile update", |e| matches!(e, Effect::UpdateProfile { .. })) {
        Effect::UpdateProfile { req, id, etag, changes } => (req, id, etag, changes),
        _ => unreachable!(),
    }
}

fn no_save(sim: &Sim) -> bool {
    !sim.has(|e| matches!(e, Effect::UpdateProfile { .. }))
}

/// The list with user 0 shown, and the edit form filled from a read of
/// it at ETag `W/"1"`.
pub fn opened() -> Sim {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.answer_groups(&["Everyone"]);
    sim.ch('e');
    let req = take_read(&mut sim);
    assert!(form(&sim).is_sending(), "the form waits for the fresh read");
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    sim
}

/// Focuses the field of attribute `key` and replaces its text.
pub fn retype(sim: &mut Sim, key: &str, text: &str) {
    let i = form(sim).profile.iter().position(|f| f.key() == key).expect("field");
    for _ in 0..100 {
        if form(sim).focus == Item::Profile(i) {
            break;
        }
        sim.key(KeyCode::Tab);
    }
    assert_eq!(form(sim).focus, Item::Profile(i), "{key} is reachable");
    for _ in 0..form(sim).profile[i].input.value().chars().count() {
        sim.key(KeyCode::Backspace);
    }
    sim.type_text(text);
}

#[test]
fn the_form_is_filled_from_a_fresh_read_and_sends_only_what_changed_with_its_etag() {
    let mut sim = opened();
    let f = form(&sim);
    assert_eq!(f.field("department").map(|f| f.input.value()), Some("Engineering"));
    assert_eq!(f.field("skills").map(|f| f.input.value()), Some("rust, okta"));
    assert_eq!(f.field("clearanceLevel").map(|f| f.input.value()), Some("3"));
    assert_eq!(f.field("employmentType").map(|f| f.display()).as_deref(), Some("Full-time"));
    assert!(!f.is_dirty(), "nothing changed yet");
    assert!(!f.items().contains(&Item::CredentialsMode) && !f.items().contains(&Item::Groups));

    // Editing the email leaves the login alone (it is not a new user).
    retype(&mut sim, "email", "avery.new@example.com");
    retype(&mut sim, "department", "Sales");
    retype(&mut sim, "mobilePhone", "+1 555 0100");
    retype(&mut sim, "skills", "");
    sim.ctrl('s');
    let (_, id, etag, changes) = take_save(&mut sim);
    assert_eq!(id, "00u00000000000000000");
    assert_eq!(etag, ETag::new("W/\"1\""), "If-Match carries the ETag of the read the form was filled from");
    let expected = json!({"email": "avery.new@example.com", "department": "Sales",
                          "mobilePhone": "+1 555 0100", "skills": null});
    assert_eq!(Value::Object(changes), expected, "exactly the changed attributes; a cleared one as null");
}

#[test]
fn a_required_attribute_cannot_be_cleared_and_nothing_unchanged_is_sent() {
    let mut sim = opened();
    sim.ctrl('s');
    assert!(no_save(&sim), "nothing changed, nothing sent");
    assert!(form(&sim).banner.as_deref().is_some_and(|b| b.contains("Nothing to save")));
    retype(&mut sim, "lastName", "");
    assert_eq!(form(&sim).field("lastName").and_then(|f| f.error.as_deref()), Some("required"), "as typed");
    sim.ctrl('s');
    assert!(no_save(&sim), "a required attribute is never sent as null");
    // Typing a value back that equals the stored one is no change.
    retype(&mut sim, "lastName", "Fixture0");
    assert!(!form(&sim).is_dirty());
}

#[test]
fn read_only_attributes_are_shown_but_not_editable() {
    let mut sim = Sim::started_with(&users(3), None);
    let mut schema = crate::sim::schema_json();
    schema["definitions"]["base"]["properties"]["department"]["mutability"] = json!("READ_ONLY");
    sim.state.schema = oktui::app::Load::Loaded(UserSchema::from_json(schema).expect("schema"));
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    let i = form(&sim).profile.iter().position(|f| f.key() == "department").expect("shown");
    while form(&sim).focus != Item::Profile(i) {
        sim.key(KeyCode::Tab);
    }
    sim.key(KeyCode::Backspace);
    sim.type_text("Sales");
    sim.state.form.as_mut().expect("form").paste("Sales");
    assert_eq!(form(&sim).profile[i].input.value(), "Engineering", "typing and pasting change nothing");
    assert!(!form(&sim).is_dirty());
    let screen = sim.screen(120, 40);
    assert!(screen.contains("Engineering  (read-only"), "{screen}");
}

#[test]
fn a_new_login_is_saved_only_after_a_yes() {
    let mut sim = opened();
    retype(&mut sim, "login", "avery.renamed@example.com");
    sim.ctrl('s');
    assert!(no_save(&sim), "asked first");
    assert!(sim.screen(80, 24).contains("Change the username?"));
    sim.ch('n');
    assert!(no_save(&sim), "any other key keeps editing");
    assert_eq!(form(&sim).field("login").map(|f| f.input.value()), Some("avery.renamed@example.com"));
    sim.ctrl('s');
    assert!(no_save(&sim), "asked again");
    sim.ch('y');
    let (_, _, _, changes) = take_save(&mut sim);
    assert_eq!(Value::Object(changes), json!({"login": "avery.renamed@example.com"}));
}

/// The other side changed `department` (which the admin also changed),
/// `title` (which the admin did not touch) and the ETag.
fn changed_by_someone_else() -> UserRead {
    let mut user = full_user_json(0, "ACTIVE");
    user["profile"]["department"] = json!("Marketing");
    user["profile"]["title"] = json!("Director");
    read(user, "W/\"2\"")
}

fn into_conflict(sim: &mut Sim) {
    retype(sim, "department", "Sales");
    retype(sim, "mobilePhone", "+1 555 0100");
    sim.ctrl('s');
    let (req, ..) = take_save(sim);
    let stale = api_error(412, json!({"errorCode": "E0000011", "errorSummary": "changed meanwhile"}));
    let Error::Api(api) = stale else { unreachable!() };
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::ChangedMeanwhile(api)))));
    let req = take_read(sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(changed_by_someone_else()))));
}

#[test]
fn a_conflict_shows_each_changed_attribute_and_saves_the_choices_with_the_new_etag() {
    let mut sim = opened();
    into_conflict(&mut sim);
    let conflict = form(&sim).edit.as_ref().and_then(|e| e.conflict.as_ref()).expect("conflict view");
    let rows: Vec<_> = conflict.rows.iter().map(|r| (r.key.as_str(), r.contested())).collect();
    assert_eq!(rows, [("mobilePhone", false), ("department", true)], "in the form's order");
    let department = &conflict.rows[1];
    assert_eq!(
        (&department.base, &department.mine, &department.current),
        (&json!("Engineering"), &json!("Sales"), &json!("Marketing"))
    );
    assert_eq!(conflict.taken, ["title"], "changed only by the other side (not in this schema): taken");
    // Keep my mobile phone, take the current department.
    sim.key(KeyCode::Down);
    sim.ch('c');
    sim.key(KeyCode::Enter);
    let (_, _, etag, changes) = take_save(&mut sim);
    assert_eq!(etag, ETag::new("W/\"2\""), "saved again against the version just read");
    assert_eq!(Value::Object(changes), json!({"mobilePhone": "+1 555 0100"}));
    let f = form(&sim);
    assert_eq!(f.field("department").map(|f| f.input.value()), Some("Marketing"));
}

#[test]
fn esc_from_the_conflict_view_returns_to_the_form_with_the_input() {
    let mut sim = opened();
    into_conflict(&mut sim);
    sim.key(KeyCode::Esc);
    let f = form(&sim);
    assert!(f.edit.as_ref().is_some_and(|e| e.conflict.is_none()));
    assert_eq!(f.field("department").map(|f| f.input.value()), Some("Sales"));
    assert_eq!(f.field("mobilePhone").map(|f| f.input.value()), Some("+1 555 0100"));
    // Quitting with that input asks first.
    sim.ctrl('c');
    assert!(matches!(sim.state.overlay, Some(Overlay::ConfirmQuit)));
    assert!(!sim.has(|e| matches!(e, Effect::Quit)));
}

#[test]
fn keeping_every_current_value_saves_nothing() {
    let mut sim = opened();
    into_conflict(&mut sim);
    sim.ch('c');
    sim.key(KeyCode::Down);
    sim.ch('c');
    sim.key(KeyCode::Enter);
    assert!(no_save(&sim));
    assert!(sim.state.form.is_none());
    let shown = sim.state.shown_user().and_then(|u| u.profile_str("department"));
    assert_eq!(shown, Some("Marketing"), "the detail pane shows the user as it is now");
}

#[test]
fn a_save_shows_the_user_in_the_detail_and_the_list_and_says_what_changed() {
    let mut sim = opened();
    retype(&mut sim, "lastName", "Renamed");
    retype(&mut sim, "department", "Sales");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    let mut saved = full_user_json(0, "ACTIVE");
    saved["profile"]["lastName"] = json!("Renamed");
    saved["profile"]["department"] = json!("Sales");
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(saved, "W/\"2\"")))));
    assert!(sim.state.form.is_none());
    assert_eq!(sim.state.shown_user().and_then(|u| u.profile_str("department")), Some("Sales"));
    let entry = sim.state.messages.entries.last().expect("a message");
    assert_eq!(entry.level, Level::Success);
    assert!(entry.text.contains("Department → Sales") && entry.text.contains("Last name → Renamed"), "{}", entry.text);
    assert!(sim.screen(140, 30).contains("Avery Renamed"), "the list row follows");
}

#[test]
fn server_errors_land_on_their_field_and_a_lost_org_keeps_the_input() {
    let mut sim = opened();
    retype(&mut sim, "mobilePhone", "+1 555 0100");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    let invalid = api_error(
        400,
        json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: mobilePhone",
               "errorCauses": [{"errorSummary": "mobilePhone: Phone number is not valid"}]}),
    );
    sim.send(Msg::Api(req, ApiResult::Edit(Err(invalid))));
    let f = form(&sim);
    assert_eq!(f.field("mobilePhone").and_then(|f| f.error.as_deref()), Some("Phone number is not valid"));
    assert!(!f.is_sending());

    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    let f = form(&sim);
    assert!(f.banner.as_deref().is_some_and(|b| b.contains("input is kept")), "{:?}", f.banner);
    assert_eq!(f.field("mobilePhone").map(|f| f.input.value()), Some("+1 555 0100"));
    sim.ctrl('s');
    take_save(&mut sim);
}

/// The form, the login confirmation and the conflict view at the smallest
/// size oktui draws and at a wide one.
#[test]
fn snapshots_of_the_edit_form_the_login_confirmation_and_the_conflict_view() {
    let mut sim = Sim::started_with(&users(3), None);
    let mut schema = crate::sim::schema_json();
    schema["definitions"]["base"]["properties"]["department"]["mutability"] = json!("READ_ONLY");
    sim.state.schema = oktui::app::Load::Loaded(UserSchema::from_json(schema).expect("schema"));
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    retype(&mut sim, "email", "not-an-email");
    for (w, h) in [(80, 24), (140, 42)] {
        insta::assert_snapshot!(format!("edit_form_{w}x{h}"), sim.render(w, h).backend());
    }
    retype(&mut sim, "email", "avery.fixture0@example.com");
    retype(&mut sim, "login", "avery.renamed@example.com");
    sim.ctrl('s');
    for (w, h) in [(80, 24), (140, 42)] {
        insta::assert_snapshot!(format!("edit_login_confirmation_{w}x{h}"), sim.render(w, h).backend());
    }

    let mut sim = opened();
    into_conflict(&mut sim);
    sim.key(KeyCode::Down);
    sim.ch('c');
    for (w, h) in [(80, 24), (140, 42)] {
        insta::assert_snapshot!(format!("edit_conflict_{w}x{h}"), sim.render(w, h).backend());
    }
}

#[test]
fn a_failed_read_closes_the_form_and_esc_while_reading_drops_the_late_answer() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    assert!(sim.state.form.is_none());
    let entry = sim.state.messages.entries.last().expect("a message");
    assert!(entry.level == Level::Error && entry.text.contains("Could not read"), "{}", entry.text);

    sim.ch('e');
    let req = take_read(&mut sim);
    sim.key(KeyCode::Esc);
    assert!(sim.state.form.is_none(), "Esc leaves while the form waits");
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    assert!(sim.state.form.is_none() && !sim.state.dirty, "the late read is dropped");
}

#[test]
fn when_reading_again_after_a_conflict_fails_the_input_is_kept() {
    let mut sim = opened();
    retype(&mut sim, "department", "Sales");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    let Error::Api(api) = api_error(412, json!({"errorCode": "E0000011", "errorSummary": "stale"})) else {
        unreachable!()
    };
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::ChangedMeanwhile(api)))));
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    let f = form(&sim);
    assert!(!f.is_sending() && f.edit.as_ref().is_some_and(|e| e.conflict.is_none()));
    assert!(f.banner.as_deref().is_some_and(|b| b.contains("changed since") && b.contains("kept")), "{:?}", f.banner);
    assert_eq!(f.field("department").map(|f| f.input.value()), Some("Sales"));
}
