//! What a new admin meets at the documented minimum width and beyond:
//! text that fits or says it was cut, panes whose end can be reached, and
//! each problem shown where it belongs. Pure `update` plus rendering.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::actions::ConfirmFocus;
use oktui::app::form::Item;
use oktui::app::form::credentials::{Key, Mode};
use oktui::app::{ApiResult, Effect, Msg, Overlay};
use serde_json::{Value, json};

fn loaded_with(user: Value) -> Sim {
    let mut first = users(7);
    first[0] = user.clone();
    let mut sim = Sim::started_with(&first, None);
    sim.answer_detail(user);
    sim.answer_groups(&["Everyone", "Engineering"]);
    sim
}

fn loaded() -> Sim {
    loaded_with(full_user_json(0, "ACTIVE"))
}

/// The detail pane's rows (between its borders) on a stacked 80-column
/// screen, the border characters removed.
fn pane_rows(screen: &str, title: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines.iter().position(|l| l.contains(title)).unwrap_or_else(|| panic!("{title} in\n{screen}"));
    lines[top + 1..]
        .iter()
        .take_while(|l| l.starts_with('│'))
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').to_owned())
        .collect()
}

#[test]
fn after_g_in_the_detail_pane_the_first_k_moves_it_up() {
    let mut sim = loaded();
    sim.key(KeyCode::Tab);
    sim.frame(80, 24);
    sim.ch('G');
    let bottom = sim.frame(80, 24);
    let limit = sim.state.viewport.detail_scroll_limit();
    assert!(limit > 0, "the user is longer than the pane");
    assert_eq!(sim.state.detail.scroll, limit, "G stops at the last line, not beyond it");
    assert!(pane_rows(&bottom, "[Profile]").last().is_some_and(|l| l.contains("type") && l.contains("GET")));
    sim.ch('k');
    let up = sim.frame(80, 24);
    assert_eq!(sim.state.detail.scroll, limit - 1);
    assert_ne!(pane_rows(&up, "[Profile]"), pane_rows(&bottom, "[Profile]"), "k moved the pane at once");
    // A wider pane shows more at once; the scroll follows the new limit.
    sim.ch('G');
    sim.frame(140, 60);
    assert_eq!(sim.state.detail.scroll, sim.state.viewport.detail_scroll_limit());
}

#[test]
fn a_salt_that_is_not_base64_is_reported_under_salt() {
    let mut sim = loaded();
    sim.ch('n');
    for text in ["Robin", "Case", "robin.case@example.com"] {
        sim.type_text(text);
        sim.key(KeyCode::Tab);
    }
    let form = |sim: &Sim| sim.state.form.as_ref().expect("form").focus;
    while form(&sim) != Item::CredentialsMode {
        sim.key(KeyCode::Tab);
    }
    while sim.state.form.as_ref().expect("form").credentials.mode != Mode::Hash {
        sim.key(KeyCode::Right);
    }
    while form(&sim) != Item::Credential(Key::Algorithm) {
        sim.key(KeyCode::Tab);
    }
    sim.key(KeyCode::Right); // BCRYPT → SHA-512, whose salt is Base64
    while form(&sim) != Item::Credential(Key::Salt) {
        sim.key(KeyCode::Tab);
    }
    sim.type_text("not base64!");
    while form(&sim) != Item::Credential(Key::HashValue) {
        sim.key(KeyCode::Tab);
    }
    sim.type_text("xjrauE6J6kbjcvMjWSSc+PsBBls=");
    sim.ctrl('s');
    assert!(!sim.has(|e| matches!(e, Effect::CreateUser { .. })), "nothing sent");
    let creds = &sim.state.form.as_ref().expect("form").credentials;
    assert_eq!(creds.error(Key::Salt), Some("the hash salt must be Base64"));
    assert_eq!(creds.error(Key::HashValue), None);
    let screen = sim.screen(120, 40);
    let lines: Vec<&str> = screen.lines().collect();
    let salt = lines.iter().position(|l| l.contains(" Salt ")).expect("Salt row");
    assert!(lines[salt + 1].contains("the hash salt must be Base64"), "under Salt:\n{screen}");
}

#[test]
fn the_footer_at_80_columns_keeps_help_and_quit() {
    let mut sim = loaded();
    for (what, keys) in [("list", vec![]), ("detail", vec![KeyCode::Tab])] {
        for k in keys {
            sim.key(k);
        }
        let screen = sim.screen(80, 24);
        let footer = screen.lines().last().unwrap_or_default();
        assert!(footer.contains("? help") && footer.contains("q quit"), "{what}: {footer:?}");
        assert!(footer.contains("/ search") && footer.contains("a actions"), "{what}: {footer:?}");
    }
}

#[test]
fn list_and_detail_at_80_columns() {
    let mut sim = loaded();
    sim.key(KeyCode::Tab);
    insta::assert_snapshot!(sim.render(80, 24).backend());
}

#[test]
fn a_cut_status_line_ends_with_an_ellipsis_and_the_log_has_it_whole() {
    let mut sim = loaded();
    let text = "Suspend failed for avery.fixture0@example.com: the org closed the connection before answering \
                (request id req-fixture); R reloads the user to show what the org did";
    let now = sim.state.now;
    sim.state.messages.error(now, text);
    let screen = sim.screen(80, 24);
    let status = screen.lines().nth(22).unwrap_or_default();
    assert!(status.trim_end().ends_with("…  (m: message log)"), "{status:?}");
    sim.ch('m');
    let log = sim.screen(80, 24);
    // The log's popup sits inside the list pane: its text is the third
    // piece between borders.
    let entry: String = log
        .lines()
        .filter_map(|l| l.split('│').nth(2))
        .map(str::trim)
        .skip_while(|l| !l.contains("Suspend failed"))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(entry.contains(text), "the log has it whole:\n{log}");
}

#[test]
fn cut_names_and_logins_in_the_list_end_with_an_ellipsis() {
    let mut user = full_user_json(0, "ACTIVE");
    user["profile"]["firstName"] = json!("Maximiliana-Josefina");
    user["profile"]["login"] = json!("maximiliana-josefina.vandenberghe@example.com");
    let sim = loaded_with(user);
    let screen = sim.screen(80, 24);
    let row = screen.lines().find(|l| l.contains("Maximiliana")).expect("row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert!(cells.iter().any(|c| c.starts_with("Maximiliana-Jo") && c.ends_with('…')), "{row}");
    assert!(cells.iter().any(|c| c.starts_with("maximiliana-josefina.") && c.ends_with('…')), "{row}");
}

/// Opens the actions menu and picks `label`.
fn confirm_for(sim: &mut Sim, label: &str) {
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu open") };
    let i = menu.ops.iter().position(|op| op.label() == label).unwrap_or_else(|| panic!("{label} offered"));
    for _ in 0..i {
        sim.key(KeyCode::Down);
    }
    sim.key(KeyCode::Enter);
}

#[test]
fn a_confirmation_whose_question_wraps_keeps_its_key_hint() {
    let mut user = full_user_json(0, "ACTIVE");
    user["profile"]["firstName"] = json!("Maximiliana Josefina Theodora Wilhelmina");
    user["profile"]["lastName"] = json!("van den Berghe-Oppenheimer");
    let mut sim = loaded_with(user);
    confirm_for(&mut sim, "Suspend");
    let screen = sim.screen(80, 24);
    assert!(screen.contains("Enter run · Esc cancel"), "{screen}");
    assert!(!screen.contains("Space toggle"), "no options, no toggles:\n{screen}");
}

#[test]
fn the_red_type_to_confirm_goes_once_the_login_is_typed() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Deactivate");
    let focus = |sim: &Sim| match &sim.state.overlay {
        Some(Overlay::Confirm(c)) => c.focus,
        _ => panic!("confirm open"),
    };
    while focus(&sim) != ConfirmFocus::Typed {
        sim.key(KeyCode::Tab);
    }
    sim.key(KeyCode::Enter);
    assert!(sim.screen(120, 30).matches("to confirm").count() == 2, "asked, then told");
    sim.type_text("avery.fixture0@example.com");
    let screen = sim.screen(120, 30);
    assert!(!screen.contains("to confirm"), "{screen}");
    assert!(screen.contains("avery.fixture0@example.com typed ✓"), "{screen}");
}

/// In the login field Space types: the hint offers the toggle only once
/// the focus is on an option.
#[test]
fn the_confirmation_hint_offers_space_toggle_only_on_an_option() {
    let mut sim = loaded();
    confirm_for(&mut sim, "Deactivate");
    sim.type_text("avery.fixture0@example.com");
    let screen = sim.screen(120, 30);
    assert!(screen.contains("Enter run · Tab to the options · Esc cancel"), "{screen}");
    assert!(!screen.contains("Space toggle"), "Space would type into the login:\n{screen}");
    sim.key(KeyCode::Tab);
    let screen = sim.screen(120, 30);
    assert!(screen.contains("Enter run · Space toggle · Tab next · Esc cancel"), "{screen}");
}

/// `g`, `G` and `k` stop at the log's ends, so the first key back moves it.
#[test]
fn the_message_log_scroll_stops_at_its_ends() {
    let mut sim = loaded();
    for i in 0..40 {
        let now = sim.state.now;
        sim.state.messages.info(now, format!("note {i:02}"));
    }
    sim.ch('m');
    sim.frame(80, 24);
    sim.ch('g');
    let top = sim.frame(80, 24);
    assert!(top.contains("note 00") && !top.contains("note 39"), "{top}");
    sim.ch('j');
    let screen = sim.frame(80, 24);
    assert!(!screen.contains("note 00"), "the first j after g moves the log:\n{screen}");
    for _ in 0..100 {
        sim.ch('k');
    }
    assert_eq!(sim.frame(80, 24), top, "k stops at the oldest line");
    sim.ch('j');
    assert!(!sim.frame(80, 24).contains("note 00"), "and the first j after it moves the log");
    sim.ch('G');
    let screen = sim.frame(80, 24);
    assert!(screen.contains("note 39") && !screen.contains("note 00"), "{screen}");
}

/// The help scrolls to its last line and no further, so the first `k`
/// after holding `j` moves it; `g` and `G` reach its ends.
#[test]
fn the_help_scroll_stops_at_its_end() {
    let mut sim = loaded();
    sim.ch('?');
    let top = sim.frame(80, 24);
    for _ in 0..100 {
        sim.ch('j');
    }
    let bottom = sim.frame(80, 24);
    assert!(bottom.contains("In the form: Tab"), "j reaches the last line:\n{bottom}");
    sim.ch('k');
    assert_ne!(sim.frame(80, 24), bottom, "and the first k after it moves the help");
    sim.ch('G');
    assert_eq!(sim.frame(80, 24), bottom, "G goes to the end");
    sim.ch('g');
    assert_eq!(sim.frame(80, 24), top, "g to the top");
}

/// Far right in the box, the error's text would be a sliver after the
/// caret; its lines start under the input (column 2), none at column 0.
#[test]
fn a_search_error_far_right_continues_under_its_text() {
    let mut sim = loaded();
    sim.ch('/');
    sim.type_text("profile.department eq \"Sales\" and status eq \"ACTIVE\" or");
    let message = sim.state.search.error.as_ref().expect("an error").message.clone();
    let words: Vec<&str> = message.split_whitespace().collect();
    for (w, h) in [(80, 24), (140, 42)] {
        let screen = sim.screen(w, h);
        let rows: Vec<&str> = screen.lines().filter_map(|l| l.split('│').nth(1)).collect();
        let caret = rows.iter().position(|r| r.trim_start().starts_with('^')).expect("caret");
        let mut seen = 0;
        for row in &rows[caret..] {
            if seen == words.len() {
                break;
            }
            let text = row.trim_start().trim_start_matches('^');
            if text.trim().is_empty() {
                continue;
            }
            let column = row.chars().take_while(|c| *c == ' ' || *c == '^').count();
            assert!(column >= 2, "{w}×{h}: a line of the error starts at column {column}:\n{screen}");
            for word in text.split_whitespace() {
                assert_eq!(Some(&word), words.get(seen), "{w}×{h}: {message:?} whole and in order:\n{screen}");
                seen += 1;
            }
        }
        assert_eq!(seen, words.len(), "{w}×{h}:\n{screen}");
    }
}

#[test]
fn the_banner_from_a_duplicate_login_goes_once_username_is_edited() {
    let mut sim = loaded();
    sim.ch('n');
    for text in ["Robin", "Case", "robin.case@example.com"] {
        sim.type_text(text);
        sim.key(KeyCode::Tab);
    }
    sim.ctrl('s');
    let Effect::CreateUser { req, .. } = sim.take("create", |e| matches!(e, Effect::CreateUser { .. })) else {
        unreachable!()
    };
    let err = api_error(
        400,
        json!({"errorCode": "E0000001", "errorSummary": "Api validation failed: login",
               "errorCauses": [{"errorSummary": "login: An object with this field already exists in the current organization"}]}),
    );
    sim.send(Msg::Api(req, ApiResult::Created(Err(err))));
    // The banner is the form's first line (the message line keeps its own copy).
    let first_line = |sim: &Sim| sim.screen(120, 40).lines().nth(2).unwrap_or_default().to_owned();
    assert!(first_line(&sim).contains("Api validation failed"), "the banner is up");
    assert_eq!(sim.state.form.as_ref().expect("form").focus, Item::Profile(3), "on Username");
    sim.key(KeyCode::Backspace);
    sim.type_text("m");
    assert!(first_line(&sim).contains("Profile"), "{}", sim.screen(120, 40));
}

#[test]
fn a_space_can_be_typed_in_the_group_search() {
    let mut sim = loaded();
    sim.ch('n');
    while sim.state.form.as_ref().expect("form").focus != Item::Groups {
        sim.key(KeyCode::Tab);
    }
    sim.key(KeyCode::Enter);
    sim.type_text("vpn users");
    sim.fire_timers();
    assert!(sim.has(|e| matches!(e, Effect::SearchGroups { q, .. } if q == "vpn users")), "{:#?}", sim.effects);
}

/// The detail pane (stacked, 80 columns) for a user whose profile comes
/// in another order than the schema's, with an empty list, an enum value,
/// a newline, a long value and no last login.
fn odd_profile() -> (Vec<String>, String) {
    let mut user = full_user_json(0, "ACTIVE");
    user["profile"] = json!({
        "skills": [], "employmentType": "CONTRACTOR", "department": "Research\nand development",
        "login": "avery.fixture0@example.com", "lastName": "Fixture0", "firstName": "Avery",
        "email": "avery.fixture0@example.com",
        "mobilePhone": "call the front desk first and ask for the on-call engineer of the identity team"
    });
    user["lastLogin"] = Value::Null;
    let screen = loaded_with(user).screen(80, 60);
    (pane_rows(&screen, "[Profile]"), screen)
}

fn row_with(rows: &[String], text: &str, screen: &str) -> usize {
    rows.iter().position(|r| r.contains(text)).unwrap_or_else(|| panic!("{text}:\n{screen}"))
}

#[test]
fn detail_attributes_follow_the_schema_order() {
    let (rows, screen) = odd_profile();
    let at = |text| row_with(&rows, text, &screen);
    assert!(at("Username") < at("First name") && at("First name") < at("Department"), "{screen}");
    assert!(at("Department") < at("Employment type") && at("Employment type") < at("Skills"), "{screen}");
}

#[test]
fn an_empty_list_in_the_detail_reads_as_a_dash() {
    let (rows, screen) = odd_profile();
    assert_eq!(rows[row_with(&rows, "Skills", &screen)].trim_end(), "  Skills             —", "{screen}");
}

#[test]
fn an_enum_value_in_the_detail_shows_its_title_and_the_value() {
    let (rows, screen) = odd_profile();
    assert!(rows[row_with(&rows, "Employment type", &screen)].contains("Contractor (CONTRACTOR)"), "{screen}");
}

#[test]
fn a_newline_in_a_value_starts_a_line_under_the_value_column() {
    let (rows, screen) = odd_profile();
    let dept = row_with(&rows, "Department", &screen);
    assert_eq!(rows[dept].trim_end(), "  Department         Research", "{screen}");
    assert_eq!(rows[dept + 1].trim_end(), format!("{:21}and development", ""), "{screen}");
    assert!(!screen.contains('\u{FFFD}'), "{screen}");
}

#[test]
fn a_long_value_continues_under_the_value_column() {
    let (rows, screen) = odd_profile();
    let next = &rows[row_with(&rows, "Mobile phone", &screen) + 1];
    assert!(next.starts_with(&" ".repeat(21)) && !next[21..].starts_with(' '), "{screen}");
}

#[test]
fn no_last_login_reads_never_in_the_detail_as_in_the_list() {
    let (rows, screen) = odd_profile();
    assert_eq!(rows[row_with(&rows, "last login", &screen)].trim_end(), "  last login         never", "{screen}");
    let list_row = screen.lines().find(|l| l.contains("Avery Fixture0") && l.contains('●')).expect("row");
    assert!(list_row.contains("never"), "{list_row}");
}

#[test]
fn links_show_relation_and_method_and_raw_json_wraps_long_hrefs() {
    let mut sim = loaded();
    let screen = sim.screen(80, 200);
    let rows = pane_rows(&screen, "[Profile]");
    let expire = rows.iter().find(|r| r.contains("expirePassword")).expect("link");
    assert!(expire.contains("POST") && !expire.contains("https://"), "{expire}");
    sim.ch('r');
    let screen = sim.screen(80, 200);
    let joined: String = pane_rows(&screen, "Raw JSON").iter().map(|r| r.trim()).collect();
    let href = "https://acme.okta.com/api/v1/users/00u00000000000000000/lifecycle/expire_password";
    assert!(joined.contains(href), "the whole href is on screen:\n{screen}");
}

/// Text of the list pane's rows (the list is the first pane on a line).
fn list_text(screen: &str) -> String {
    screen.lines().filter_map(|l| l.split('│').nth(1)).map(str::trim).collect::<Vec<_>>().join(" ")
}

#[test]
fn a_search_error_wraps_under_the_box_so_its_fix_can_be_read_whole() {
    let mut sim = loaded();
    sim.ch('/');
    sim.type_text("profile.department eq \"Sales\" and status eq \"ACTIVE\" or");
    let message = sim.state.search.error.as_ref().expect("an error").message.clone();
    let screen = sim.screen(80, 24);
    let text = list_text(&screen);
    let words: Vec<&str> = message.split_whitespace().collect();
    assert!(
        text.split_whitespace().collect::<Vec<_>>().windows(words.len()).any(|w| w == words),
        "{message:?}:\n{screen}"
    );
}

#[test]
fn the_lists_error_wraps_so_it_can_be_read_whole() {
    let mut sim = Sim::new();
    sim.start();
    let (req, _) = sim.take_page_request();
    let err = api_error(
        403,
        json!({"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action; ask an org admin for okta.users.read"}),
    );
    sim.send(Msg::Api(req, ApiResult::Page(Err(err))));
    let screen = sim.screen(80, 24);
    assert!(list_text(&screen).contains("ask an org admin for okta.users.read"), "{screen}");
}

#[test]
fn the_status_filters_key_hint_is_whole_at_80_columns() {
    let mut sim = loaded();
    sim.ch('s');
    let screen = sim.screen(80, 24);
    let hint: String = screen
        .lines()
        .filter_map(|l| l.split('│').nth(2))
        .map(str::trim)
        .skip_while(|l| !l.starts_with("Space toggle"))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(hint, "Space toggle · a all · n none · d default · Enter apply · Esc cancel", "{screen}");
}

#[test]
fn a_cut_header_ends_with_an_ellipsis() {
    let mut sim = loaded();
    sim.state.org_host = "a-very-long-org-name-for-the-integration-tenant.oktapreview.com".into();
    let screen = sim.screen(80, 24);
    let header = screen.lines().next().unwrap_or_default();
    assert!(header.ends_with('…'), "{header:?}");
}
