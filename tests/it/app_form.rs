//! The create-user form, driven through the pure `update`: schema fields,
//! every credentials mode, groups, type, activation rules, server errors.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::form::credentials::{Key, Mode};
use oktui::app::form::{CreateForm, Item};
use oktui::app::{ApiResult, Created, Effect, Msg, Overlay};
use oktui::okta::{CreateUser, Credentials, Group, PasswordHash, User};
use serde_json::json;

fn form(sim: &Sim) -> &CreateForm {
    sim.state.form.as_ref().expect("form open")
}

fn open() -> Sim {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('n');
    sim
}

/// Types into the first four fields (first, last, email; login follows).
fn fill_identity(sim: &mut Sim, email: &str) {
    for text in ["Robin", "Case", email] {
        sim.type_text(text);
        sim.key(KeyCode::Tab);
    }
}

/// Moves the focus to `item`.
fn focus(sim: &mut Sim, item: Item) {
    for _ in 0..200 {
        if form(sim).focus == item {
            return;
        }
        sim.key(KeyCode::Tab);
    }
    panic!("{item:?} is not in the form");
}

fn set_mode(sim: &mut Sim, mode: Mode) {
    focus(sim, Item::CredentialsMode);
    while form(sim).credentials.mode != mode {
        sim.key(KeyCode::Right);
    }
}

fn submit(sim: &mut Sim) -> (oktui::app::ReqId, CreateUser, bool) {
    sim.ctrl('s');
    match sim.take("create", |e| matches!(e, Effect::CreateUser { .. })) {
        Effect::CreateUser { req, create, activate_without_email } => (req, create, activate_without_email),
        _ => unreachable!(),
    }
}

#[test]
fn fields_come_from_the_schema_required_first_read_only_left_out() {
    let sim = open();
    let keys: Vec<&str> = form(&sim).profile.iter().map(|f| f.key()).collect();
    assert_eq!(&keys[..4], ["firstName", "lastName", "email", "login"]);
    assert!(keys.contains(&"employmentType") && keys.contains(&"skills") && keys.contains(&"clearanceLevel"));
    let employment = form(&sim).field("employmentType").unwrap();
    assert!(employment.is_choice(), "an enum is a picker");
    assert_eq!(employment.choices()[0].1, "Full-time", "with its oneOf title");
}

#[test]
fn without_a_schema_the_base_attributes_are_shown_with_a_notice() {
    let mut sim = Sim::new();
    sim.start();
    sim.ch('n');
    assert!(form(&sim).notice.as_deref().unwrap().contains("base attributes"));
    assert_eq!(form(&sim).profile[0].key(), "firstName");
}

#[test]
fn login_follows_email_until_edited_and_checks_run_as_you_type() {
    let mut sim = open();
    fill_identity(&mut sim, "robin");
    assert_eq!(form(&sim).field("login").unwrap().input.value(), "robin");
    assert!(form(&sim).field("email").unwrap().error.as_deref().unwrap().contains("email"));
    sim.key(KeyCode::BackTab);
    sim.type_text("@example.com");
    assert_eq!(form(&sim).field("email").unwrap().error, None);
    assert_eq!(form(&sim).field("login").unwrap().input.value(), "robin@example.com");
    sim.key(KeyCode::Tab);
    sim.type_text("x");
    sim.key(KeyCode::BackTab);
    sim.type_text("m");
    assert_eq!(form(&sim).field("login").unwrap().input.value(), "robin@example.comx", "edited login stays");
}

#[test]
fn no_credentials_creates_with_activate_and_the_chosen_enum_and_array() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    let employment = form(&sim).profile.iter().position(|f| f.key() == "employmentType").unwrap();
    focus(&mut sim, Item::Profile(employment));
    sim.key(KeyCode::Right);
    sim.key(KeyCode::Right);
    let skills = form(&sim).profile.iter().position(|f| f.key() == "skills").unwrap();
    focus(&mut sim, Item::Profile(skills));
    sim.type_text("rust, okta");
    let (_, create, two_step) = submit(&mut sim);
    assert_eq!(create.credentials, Credentials::None);
    assert!(create.activate && !two_step);
    assert_eq!(create.profile["employmentType"], json!("CONTRACTOR"));
    assert_eq!(create.profile["skills"], json!(["rust", "okta"]));
    assert_eq!(create.profile["login"], json!("robin@example.com"));
}

#[test]
fn password_mode_enforces_the_policy_and_masks() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::Password);
    sim.key(KeyCode::Tab);
    sim.type_text("robinpass");
    assert!(form(&sim).credentials.error(Key::Password).unwrap().contains("uppercase"));
    sim.ctrl('s');
    assert!(!sim.has(|e| matches!(e, Effect::CreateUser { .. })), "not sent with a weak password");
    assert_eq!(form(&sim).focus, Item::Credential(Key::Password), "focus goes to the problem");
    for _ in 0..9 {
        sim.key(KeyCode::Backspace);
    }
    sim.type_text("Sturdy-Pass-42");
    assert_eq!(form(&sim).credentials.error(Key::Password), None);
    let (_, create, _) = submit(&mut sim);
    assert!(matches!(create.credentials, Credentials::Password(ref p) if p.expose() == "Sturdy-Pass-42"));
}

#[test]
fn recovery_question_and_password_plus_question_modes() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::RecoveryQuestion);
    sim.key(KeyCode::Tab);
    sim.type_text("First pet?");
    sim.key(KeyCode::Tab);
    sim.type_text("Rex the dog");
    let (_, create, _) = submit(&mut sim);
    assert!(
        matches!(create.credentials, Credentials::RecoveryQuestion { ref question, .. } if question == "First pet?")
    );

    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::PasswordAndRecovery);
    sim.key(KeyCode::Tab);
    sim.type_text("Sturdy-Pass-42");
    sim.key(KeyCode::Tab);
    sim.type_text("First pet?");
    sim.key(KeyCode::Tab);
    sim.type_text("Rex the dog");
    let (_, create, _) = submit(&mut sim);
    assert!(matches!(create.credentials, Credentials::PasswordAndRecovery { .. }));
}

#[test]
fn provider_hash_and_hook_modes() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::Provider);
    sim.key(KeyCode::Tab);
    sim.key(KeyCode::Right);
    let (_, create, _) = submit(&mut sim);
    assert!(matches!(create.credentials, Credentials::Provider { ref name, .. } if name == "SOCIAL"));

    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::Hash);
    focus(&mut sim, Item::Credential(Key::Algorithm));
    sim.key(KeyCode::Right); // SHA-512
    focus(&mut sim, Item::Credential(Key::Salt));
    sim.type_text("TXlTYWx0");
    focus(&mut sim, Item::Credential(Key::HashValue));
    sim.type_text("QrozP8a+bg==");
    let (_, create, _) = submit(&mut sim);
    assert!(matches!(create.credentials, Credentials::Hash(PasswordHash::Salted { .. })), "{:?}", create.credentials);

    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::Hook);
    let (_, create, _) = submit(&mut sim);
    assert_eq!(create.credentials, Credentials::Hook);
}

#[test]
fn activation_rules_are_explained_and_enforced() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    assert!(form(&sim).change_password_reason().is_some(), "no password: can't expire it");
    focus(&mut sim, Item::ChangePassword);
    sim.ch(' ');
    assert!(!form(&sim).change_password, "the toggle refuses");
    set_mode(&mut sim, Mode::Password);
    sim.key(KeyCode::Tab);
    sim.type_text("Sturdy-Pass-42");
    focus(&mut sim, Item::ChangePassword);
    sim.ch(' ');
    assert!(form(&sim).change_password);
    assert!(form(&sim).send_email_reason().is_some(), "a password user gets no activation email");
    let (_, create, _) = submit(&mut sim);
    assert!(create.next_login_change_password && create.activate);
}

#[test]
fn activation_without_email_is_two_steps_and_shows_the_link() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    focus(&mut sim, Item::SendEmail);
    sim.ch(' ');
    let (req, create, two_step) = submit(&mut sim);
    assert!(two_step && create.activate);
    let user = User::from_json(full_user_json(50, "PROVISIONED")).unwrap();
    let outcome = oktui::okta::LifecycleOutcome {
        activation_url: Some(oktui::okta::Secret::new("https://acme.okta.com/welcome/abc")),
        ..Default::default()
    };
    sim.send(Msg::Api(req, ApiResult::Created(Ok(Created { user, activation: Some(Ok(outcome)) }))));
    assert!(matches!(&sim.state.overlay, Some(Overlay::Outcome(o)) if o.items[0].1.expose().contains("welcome")));
}

#[test]
fn groups_are_searched_and_ticked_and_the_type_is_chosen() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    focus(&mut sim, Item::Groups);
    sim.key(KeyCode::Enter);
    let Effect::SearchGroups { req, q } = sim.take("group search", |e| matches!(e, Effect::SearchGroups { .. })) else {
        unreachable!()
    };
    assert_eq!(q, "");
    let groups = vec![
        Group::from_json(json!({"id": "00g1", "type": "BUILT_IN", "profile": {"name": "Everyone"}})).unwrap(),
        Group::from_json(json!({"id": "00g2", "type": "OKTA_GROUP", "profile": {"name": "Engineering"}})).unwrap(),
    ];
    sim.send(Msg::Api(req, ApiResult::GroupSearch(Ok(groups))));
    sim.key(KeyCode::Tab);
    assert!(form(&sim).groups.is_empty(), "Everyone can't be chosen");
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Tab);
    sim.type_text("eng");
    sim.fire_timers();
    assert!(sim.has(|e| matches!(e, Effect::SearchGroups { q, .. } if q == "eng")), "debounced search");
    sim.key(KeyCode::Enter);
    focus(&mut sim, Item::UserType);
    sim.key(KeyCode::Right);
    let (_, create, _) = submit(&mut sim);
    assert_eq!(create.group_ids, vec!["00g2".to_owned()]);
    assert_eq!(create.type_id.as_deref(), Some("oty00000000000000002"));
}

#[test]
fn server_errors_land_on_their_fields_and_nothing_typed_is_lost() {
    let mut sim = open();
    fill_identity(&mut sim, "avery.fixture0@example.com");
    set_mode(&mut sim, Mode::Password);
    sim.key(KeyCode::Tab);
    sim.type_text("Sturdy-Pass-42");
    let (req, _, _) = submit(&mut sim);
    let err = api_error(
        400,
        json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: login",
        "errorCauses": [{"errorSummary": "login: An object with this field already exists in the current organization"},
                        {"errorSummary": "password: Password requirements were not met"}]}),
    );
    sim.send(Msg::Api(req, ApiResult::Created(Err(err))));
    let f = form(&sim);
    assert!(f.field("login").unwrap().error.as_deref().unwrap().contains("already exists"));
    assert!(f.credentials.error(Key::Password).unwrap().contains("requirements"));
    assert_eq!(f.field("firstName").unwrap().input.value(), "Robin");
    assert_eq!(f.field("login").unwrap().input.value(), "avery.fixture0@example.com");
    assert_eq!(f.credentials.password.value(), "Sturdy-Pass-42");
    assert_eq!(f.focus, Item::Profile(3), "focus on the first field to fix");
}

#[test]
fn create_and_add_another_keeps_the_options() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    set_mode(&mut sim, Mode::Hook);
    focus(&mut sim, Item::CreateAnother);
    sim.key(KeyCode::Enter);
    let Effect::CreateUser { req, .. } = sim.take("create", |e| matches!(e, Effect::CreateUser { .. })) else {
        unreachable!()
    };
    let user = User::from_json(full_user_json(60, "ACTIVE")).unwrap();
    sim.send(Msg::Api(req, ApiResult::Created(Ok(Created { user, activation: None }))));
    let f = form(&sim);
    assert_eq!(f.field("firstName").unwrap().input.value(), "", "identity cleared");
    assert_eq!(f.credentials.mode, Mode::Hook, "options kept");
    assert_eq!(f.focus, Item::Profile(0));
    assert!(sim.state.list.rows.iter().any(|r| r.id() == "00u00000000000000060"), "the new user is listed");
}

#[test]
fn success_closes_the_form_and_selects_the_user() {
    let mut sim = open();
    fill_identity(&mut sim, "robin@example.com");
    let (req, _, _) = submit(&mut sim);
    let user = User::from_json(full_user_json(99, "PROVISIONED")).unwrap();
    sim.send(Msg::Api(req, ApiResult::Created(Ok(Created { user, activation: None }))));
    assert!(sim.state.form.is_none());
    assert_eq!(sim.state.list.selected_row().map(|r| r.id().to_owned()).as_deref(), Some("00u00000000000000099"));
}

#[test]
fn esc_on_a_changed_form_asks_first() {
    let mut sim = open();
    sim.type_text("Ro");
    sim.key(KeyCode::Esc);
    assert!(form(&sim).confirm_discard);
    sim.ch('n');
    assert_eq!(form(&sim).field("firstName").unwrap().input.value(), "Ro", "kept");
    sim.key(KeyCode::Esc);
    sim.ch('y');
    assert!(sim.state.form.is_none());
}
