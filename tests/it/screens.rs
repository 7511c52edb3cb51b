//! Screen snapshots: the UI drawn from state reached through the app's own
//! messages, onto a `TestBackend`. Every screen is pinned here.

use crate::sim::{Sim, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::ui::theme::Theme;

fn loaded() -> Sim {
    let mut sim = Sim::started_with(&users(7), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.answer_groups(&["Everyone", "Engineering"]);
    sim
}

#[test]
fn loading() {
    let mut sim = Sim::new();
    sim.start();
    insta::assert_snapshot!(sim.render(120, 20).backend());
}

#[test]
fn list_and_detail() {
    insta::assert_snapshot!(loaded().render(120, 40).backend());
}

#[test]
fn list_and_detail_stacked_on_a_narrow_terminal() {
    insta::assert_snapshot!(loaded().render(90, 40).backend());
}

#[test]
fn raw_json() {
    let mut sim = loaded();
    sim.ch('r');
    insta::assert_snapshot!(sim.render(120, 40).backend());
}

#[test]
fn more_pages_sorted_and_filtered_title() {
    let next = Some("https://acme.okta.com/api/v1/users?after=x&limit=200");
    let mut sim = Sim::started_with(&users(7), next);
    sim.ch('S');
    sim.ch('s');
    sim.ch('a');
    sim.key(KeyCode::Enter);
    sim.answer_page(&users(10), next);
    insta::assert_snapshot!(sim.render(120, 24).backend());
}

#[test]
fn search_with_a_syntax_error() {
    let mut sim = loaded();
    sim.ch('/');
    sim.type_text("profile.department eq \"Sales");
    insta::assert_snapshot!(sim.render(120, 24).backend());
}

#[test]
fn status_filter() {
    let mut sim = loaded();
    sim.ch('s');
    sim.key(KeyCode::Down);
    insta::assert_snapshot!(sim.render(120, 24).backend());
}

#[test]
fn help() {
    let mut sim = loaded();
    sim.ch('?');
    insta::assert_snapshot!(sim.render(120, 50).backend());
}

#[test]
fn export_running_and_quit_asked() {
    let mut sim = loaded();
    sim.ch('x');
    sim.key(KeyCode::Enter);
    let Some(oktui::app::Effect::Export { req, .. }) = sim.effects.pop() else { panic!("an export") };
    sim.send(oktui::app::Msg::Api(req, oktui::app::ApiResult::ExportProgress(12_400)));
    sim.ch('q');
    insta::assert_snapshot!(sim.render(120, 24).backend());
}

#[test]
fn message_log() {
    let mut sim = loaded();
    sim.ch('y');
    sim.ch('m');
    insta::assert_snapshot!(sim.render(120, 24).backend());
}

#[test]
fn too_small_terminal() {
    let sim = loaded();
    insta::assert_snapshot!(sim.render(60, 10).backend());
}

/// With a form open the notice says the input is kept; `q` then asks on
/// the notice itself.
#[test]
fn too_small_terminal_with_a_form_and_its_quit_question() {
    let mut sim = loaded();
    sim.ch('n');
    sim.type_text("Robin");
    sim.resize(60, 10);
    insta::assert_snapshot!("too_small_terminal_with_a_form", sim.render(60, 10).backend());
    sim.ch('q');
    insta::assert_snapshot!("too_small_terminal_quit_question", sim.render(60, 10).backend());
}

#[test]
fn no_color_keeps_statuses_readable() {
    let mut sim = loaded();
    sim.theme = Theme::NO_COLOR;
    let terminal = sim.render(120, 24);
    let buffer = terminal.backend().buffer();
    assert!(buffer.content().iter().all(|c| c.fg == ratatui::style::Color::Reset), "no foreground colors");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn actions_menu() {
    let mut sim = loaded();
    sim.ch('a');
    insta::assert_snapshot!(sim.render(120, 30).backend());
}

/// Opens the actions menu and picks `label`.
fn confirm_for(sim: &mut Sim, label: &str) {
    sim.ch('a');
    let Some(oktui::app::Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| op.label() == label).unwrap_or_else(|| panic!("{label} offered"));
    for _ in 0..i {
        sim.key(KeyCode::Down);
    }
    sim.key(KeyCode::Enter);
}

#[test]
fn confirm_plain() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Suspend");
    insta::assert_snapshot!(sim.render(120, 30).backend());
}

#[test]
fn confirm_with_options() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Reset password");
    insta::assert_snapshot!(sim.render(120, 30).backend());
}

#[test]
fn confirm_typed() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Deactivate");
    sim.type_text("avery.fix");
    insta::assert_snapshot!(sim.render(120, 30).backend());
}

#[test]
fn lifecycle_result() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Expire password with a temporary password");
    sim.key(KeyCode::Enter);
    let oktui::app::Effect::RunLifecycle { req, .. } =
        sim.take("lifecycle", |e| matches!(e, oktui::app::Effect::RunLifecycle { .. }))
    else {
        unreachable!()
    };
    let outcome = oktui::okta::LifecycleOutcome {
        temp_password: Some(oktui::okta::Secret::new("Xy7-temp-Pass")),
        ..Default::default()
    };
    sim.send(oktui::app::Msg::Api(req, oktui::app::ApiResult::Lifecycle(Ok(outcome))));
    insta::assert_snapshot!(sim.render(120, 30).backend());
}

mod form {
    use super::*;
    use oktui::app::form::Item;
    use oktui::app::form::credentials::Mode;

    fn form_in(mode: Mode) -> Sim {
        let mut sim = loaded();
        sim.ch('n');
        for text in ["Robin", "Case", "robin.case@example.com"] {
            sim.type_text(text);
            sim.key(KeyCode::Tab);
        }
        while sim.state.form.as_ref().unwrap().focus != Item::CredentialsMode {
            sim.key(KeyCode::Tab);
        }
        while sim.state.form.as_ref().unwrap().credentials.mode != mode {
            sim.key(KeyCode::Right);
        }
        sim.key(KeyCode::Tab);
        sim
    }

    fn snap(name: &str, sim: &Sim) {
        insta::assert_snapshot!(name, sim.render(120, 40).backend());
    }

    #[test]
    fn every_credentials_mode() {
        for (name, mode, typed) in [
            ("form_none", Mode::None, ""),
            ("form_password", Mode::Password, "Sturdy-Pass-42"),
            ("form_recovery_question", Mode::RecoveryQuestion, "First pet?"),
            ("form_password_and_recovery", Mode::PasswordAndRecovery, "weak"),
            ("form_provider", Mode::Provider, ""),
            ("form_hash", Mode::Hash, ""),
            ("form_hook", Mode::Hook, ""),
        ] {
            let mut sim = form_in(mode);
            sim.type_text(typed);
            snap(name, &sim);
        }
    }

    #[test]
    fn server_errors_on_fields() {
        let mut sim = form_in(Mode::Password);
        sim.type_text("Sturdy-Pass-42");
        sim.ctrl('s');
        let oktui::app::Effect::CreateUser { req, .. } =
            sim.take("create", |e| matches!(e, oktui::app::Effect::CreateUser { .. }))
        else {
            unreachable!()
        };
        let err = crate::sim::api_error(
            400,
            serde_json::json!({"errorCode": "E0000001",
            "errorSummary": "Api validation failed: login",
            "errorCauses": [{"errorSummary": "login: An object with this field already exists in the current organization"}]}),
        );
        sim.send(oktui::app::Msg::Api(req, oktui::app::ApiResult::Created(Err(err))));
        snap("form_server_errors", &sim);
    }

    #[test]
    fn group_picker() {
        let mut sim = form_in(Mode::None);
        while sim.state.form.as_ref().unwrap().focus != Item::Groups {
            sim.key(KeyCode::Tab);
        }
        sim.key(KeyCode::Enter);
        let oktui::app::Effect::SearchGroups { req, .. } =
            sim.take("search", |e| matches!(e, oktui::app::Effect::SearchGroups { .. }))
        else {
            unreachable!()
        };
        let groups = ["Everyone", "Engineering", "Sales", "VPN Users"]
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let kind = if i == 0 { "BUILT_IN" } else { "OKTA_GROUP" };
                oktui::okta::Group::from_json(
                    serde_json::json!({"id": format!("00g{i}"), "type": kind, "profile": {"name": n}}),
                )
            })
            .collect();
        sim.send(oktui::app::Msg::Api(req, oktui::app::ApiResult::GroupSearch(Ok(groups))));
        sim.key(KeyCode::Down);
        sim.key(KeyCode::Tab);
        snap("form_group_picker", &sim);
    }
}
