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

/// `mutability: IMMUTABLE` (SCIM's "set at creation, never updated"): the
/// create form sets it, the edit form shows it locked.
#[test]
fn immutable_attributes_are_set_when_creating_and_locked_when_editing() {
    let mut schema = crate::sim::schema_json();
    schema["definitions"]["custom"]["properties"]["clearanceLevel"]["mutability"] = json!("IMMUTABLE");
    let schema = UserSchema::from_json(schema).expect("schema");
    let focus_on = |sim: &mut Sim, key: &str| {
        let i = form(sim).profile.iter().position(|f| f.key() == key).expect("shown");
        while form(sim).focus != Item::Profile(i) {
            sim.key(KeyCode::Tab);
        }
        i
    };

    let mut sim = Sim::started_with(&users(3), None);
    sim.state.schema = oktui::app::Load::Loaded(schema.clone());
    sim.ch('n');
    let i = focus_on(&mut sim, "clearanceLevel");
    sim.type_text("4");
    assert_eq!(form(&sim).profile[i].input.value(), "4", "a new user gets it");

    let mut sim = Sim::started_with(&users(3), None);
    sim.state.schema = oktui::app::Load::Loaded(schema);
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    let i = focus_on(&mut sim, "clearanceLevel");
    sim.key(KeyCode::Backspace);
    sim.type_text("4");
    sim.state.form.as_mut().expect("form").paste("4");
    assert_eq!(form(&sim).profile[i].input.value(), "3", "typing and pasting change nothing");
    assert!(!form(&sim).is_dirty());
    let screen = sim.screen(120, 40);
    assert!(screen.contains("3  (set only when the user is created)"), "{screen}");
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

/// Typing right after `e`, before the read arrives, loses nothing: keys
/// and pastes wait and go into the form once it is filled.
#[test]
fn keys_typed_while_the_form_reads_go_into_it_once_filled() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.ch('X');
    sim.key(KeyCode::Tab);
    sim.send(Msg::Paste("Y".into()));
    let screen = sim.screen(80, 24);
    assert!(screen.contains("What you type now goes into the form"), "the wait says so:\n{screen}");
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    let f = form(&sim);
    assert_eq!(f.field("firstName").map(|f| f.input.value()), Some("AveryX"));
    assert_eq!(f.field("lastName").map(|f| f.input.value()), Some("Fixture0Y"), "Tab moved on first");
}

/// The log names the key that retries here: `R` would refresh the list
/// (or, in the form, type an R).
#[test]
fn a_failed_save_or_read_names_the_key_that_retries_it() {
    let last = |sim: &Sim| sim.state.messages.entries.last().expect("a message").text.clone();
    let mut sim = opened();
    retype(&mut sim, "department", "Sales");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    let text = last(&sim);
    assert!(text.ends_with("Ctrl-S tries again") && !text.contains("R retries"), "{text}");
    sim.key(KeyCode::Esc);
    sim.ch('y');
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    let text = last(&sim);
    assert!(text.ends_with("e tries again") && !text.contains("R retries"), "{text}");
}

/// In the form `m` types and in the conflict view it keeps yours: the
/// status line does not offer it for the message log there.
#[test]
fn the_status_line_offers_m_for_the_log_only_where_m_opens_it() {
    let mut sim = opened();
    into_conflict(&mut sim);
    let now = sim.state.now;
    sim.state.messages.error(now, "a message too long for the status line ".repeat(3));
    let screen = sim.screen(80, 24);
    assert!(!screen.contains("m: message log") && screen.contains("(whole in the message log)"), "{screen}");
    sim.key(KeyCode::Esc);
    sim.key(KeyCode::Esc);
    sim.ch('y');
    let screen = sim.screen(80, 24);
    assert!(sim.state.form.is_none() && screen.contains("(m: message log)"), "where m opens it, it says so:\n{screen}");
}

/// Far down a long form, what the last save said stays in view from its
/// start while the fields scroll.
#[test]
fn the_banner_stays_in_view_with_the_focus_far_down_a_long_form() {
    let mut sim = Sim::started_with(&users(3), None);
    let mut schema = crate::sim::schema_json();
    for i in 0..30 {
        let key = format!("extra{i:02}");
        schema["definitions"]["custom"]["properties"][key] =
            json!({"title": format!("Extra {i:02}"), "type": "string"});
    }
    sim.state.schema = oktui::app::Load::Loaded(UserSchema::from_json(schema).expect("schema"));
    sim.ch('e');
    let req = take_read(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(full_user_json(0, "ACTIVE"), "W/\"1\"")))));
    retype(&mut sim, "extra29", "late");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection refused".into())))));
    for (w, h) in [(80, 24), (140, 42)] {
        let screen = sim.screen(w, h);
        assert!(screen.contains("│Not saved: ") && screen.contains("Extra 29"), "{w}×{h}:\n{screen}");
    }
}

/// A save whose answer was lost may have landed: the next Ctrl-S meets a
/// 412, and the user as read holds every change. That is no conflict, and
/// no "someone changed it" view is shown.
#[test]
fn after_a_save_that_landed_unanswered_the_next_save_finds_it_done() {
    let mut sim = opened();
    retype(&mut sim, "department", "Sales");
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::Network("connection closed".into())))));
    sim.ctrl('s');
    let (req, ..) = take_save(&mut sim);
    let Error::Api(api) = api_error(412, json!({"errorCode": "E0000412", "errorSummary": "stale"})) else {
        unreachable!()
    };
    sim.send(Msg::Api(req, ApiResult::Edit(Err(Error::ChangedMeanwhile(api)))));
    let req = take_read(&mut sim);
    let mut landed = full_user_json(0, "ACTIVE");
    landed["profile"]["department"] = json!("Sales");
    sim.send(Msg::Api(req, ApiResult::Edit(Ok(read(landed, "W/\"2\"")))));
    assert!(sim.state.form.is_none(), "nothing left to decide or save");
    let entry = sim.state.messages.entries.last().expect("a message");
    assert!(entry.level == Level::Success && entry.text.contains("already holds Department → Sales"), "{}", entry.text);
    assert!(no_save(&sim));
}
