//! The real binary in a pseudo-terminal against an embedded org served by
//! the test, with every change checked through the API.

use crate::pty::{Pty, keys};
use crate::support::{TOKEN, client_for, org_with};
use futures::TryStreamExt;
use oktui::emulator::{OrgConfig, RunningOrg};
use oktui::okta::{Client, User, UserQuery, UserStatus};
use std::time::Duration;
use tokio::runtime::Runtime;

/// An org on loopback, the TUI on it, and a client to check the org.
pub struct E2e {
    pub rt: Runtime,
    pub org: RunningOrg,
    pub client: Client,
    pub tui: Pty,
}

impl E2e {
    pub fn start(config: OrgConfig) -> Self {
        let e = Self::start_no_wait(config.with_rate_limit(100_000), &[]);
        e.tui.wait_text("Demo Admin");
        e
    }

    /// The TUI on `config` with `args` added, without waiting for users.
    pub fn start_no_wait(config: OrgConfig, args: &[&str]) -> Self {
        let rt = Runtime::new().expect("runtime");
        let org = rt.block_on(org_with(config));
        let client = client_for(&org);
        let url = org.url();
        let mut all = vec!["--org-url", &url, "--token", TOKEN];
        all.extend_from_slice(args);
        let tui = Pty::spawn(&all, 140, 45);
        Self { rt, org, client, tui }
    }

    pub fn user(&self, login: &str) -> User {
        self.rt.block_on(self.client.get_user(login)).unwrap_or_else(|e| panic!("{login}: {e}"))
    }

    fn groups(&self, user_id: &str) -> Vec<String> {
        let groups = self.rt.block_on(self.client.user_groups(user_id)).expect("groups");
        groups.iter().map(|g| g.name().to_owned()).collect()
    }

    pub fn first_login_with(&self, search: &str) -> String {
        let pages: Vec<_> =
            self.rt.block_on(self.client.list_users(UserQuery::search(search).with_limit(5)).try_collect()).unwrap();
        pages[0].items[0].login().to_owned()
    }

    /// Searches the list for `text` and waits for the result.
    pub fn search(&mut self, text: &str, done: impl Fn(&str) -> bool) -> String {
        self.tui.send("/");
        self.tui.type_text(text);
        self.tui.send(keys::ENTER);
        self.tui.wait_for(&format!("results for {text}"), done)
    }

    /// Opens the actions menu on the shown user and picks `label`: its
    /// confirmation is then on screen.
    fn choose_action(&mut self, label: &str) {
        // The menu needs the full user, shown once the detail has loaded.
        self.tui.wait_text("│Profile");
        self.tui.send("a");
        let screen = self.tui.wait_text("1-9 choose");
        let line = screen
            .lines()
            .find(|l| l.contains(&format!("  {label} ")))
            .unwrap_or_else(|| panic!("{label} in\n{screen}"));
        let before = &line[..line.find(&format!("  {label} ")).unwrap_or(0)];
        let digit =
            before.trim_end().chars().last().filter(char::is_ascii_digit).unwrap_or_else(|| panic!("numbered {label}"));
        self.tui.send(&digit.to_string());
        self.tui.wait_text(&format!("{label}?"));
    }

    /// Types `text` into the confirmation's login input.
    fn type_confirmation(&mut self, text: &str) {
        // The typed login is the last focus stop, after the options.
        for _ in 0..5 {
            if self.tui.cursor_on_line_with("> ") {
                break;
            }
            self.tui.send(keys::TAB);
            std::thread::sleep(Duration::from_millis(40));
        }
        self.tui.type_text(text);
        self.tui.wait_text(&format!("> {text}"));
    }

    /// Opens the actions menu on the shown user and runs `label`.
    pub fn run_action(&mut self, label: &str, typed: Option<&str>) {
        self.choose_action(label);
        if let Some(login) = typed {
            self.type_confirmation(login);
        }
        self.tui.send(keys::ENTER);
        self.tui.wait_text(&format!("{label}: done"));
    }

    /// Runs `label` with `typed` instead of the login: it is refused on
    /// screen, and the confirmation is closed again.
    fn refused_action(&mut self, label: &str, typed: &str, login: &str) {
        self.choose_action(label);
        self.type_confirmation(typed);
        self.tui.send(keys::ENTER);
        self.tui.wait_text(&format!("Type {login} to confirm"));
        self.tui.send(keys::ESC);
        self.tui.wait_for("the confirmation to close", |s| !s.contains(&format!("{label}?")));
    }

    pub fn quit(mut self) {
        self.tui.send(keys::CTRL_C);
        std::thread::sleep(Duration::from_millis(150));
        if self.tui.screen().contains("Quit?") {
            self.tui.send("y");
        }
        assert_eq!(self.tui.wait_exit(), 0);
        assert!(!self.tui.alternate_screen(), "terminal restored");
        drop(self.org);
    }
}

#[test]
fn g_pages_to_the_real_last_user() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN).with_users(700));
    e.tui.wait_text("200 loaded · more");
    let pages = e.rt.block_on(e.client.list_users(UserQuery::default()).try_collect::<Vec<_>>()).unwrap();
    let last = pages.iter().flat_map(|p| p.items.iter()).last().map(|u| u.login().to_owned()).unwrap();
    let n: usize = pages.iter().map(|p| p.items.len()).sum();
    assert!(n > 600, "the list has more than three pages: {n}");
    // One G loads every page and ends on the last user.
    e.tui.send("G");
    e.tui.wait_text(&format!("Users · {n} users"));
    e.tui.wait_text(&last);
    e.quit();
}

#[test]
fn prefix_search_expression_search_and_a_syntax_error_before_sending() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let screen = e.search("iris", |s| s.contains("Iris Yarrowdale") && !s.contains("Demo Admin"));
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│● ")).collect();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.contains("Iris ") || r.contains("iris")), "{screen}");
    e.tui.send(keys::ESC);
    e.tui.wait_text("Demo Admin");

    e.tui.send("/");
    e.tui.type_text("profile.department eq \"Sales");
    e.tui.wait_text("unclosed string");
    e.tui.type_text("\"");
    // The TUI hides deactivated users unless asked; so does this query.
    let query = "profile.department eq \"Sales\" and (status lt \"DEPROVISIONED\" or status gt \"DEPROVISIONED\")";
    let sales = e.rt.block_on(e.client.list_users(UserQuery::search(query)).try_collect::<Vec<_>>()).unwrap();
    let n: usize = sales.iter().map(|p| p.items.len()).sum();
    e.tui.send(keys::ENTER);
    let screen = e.tui.wait_text(&format!("Users · {n} users"));
    assert!(!screen.contains("Demo Admin"), "Sales only:\n{screen}");
    e.quit();
}

#[test]
fn status_filter_shows_only_the_chosen_statuses() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    e.tui.send("s");
    e.tui.wait_text("Show users with status");
    e.tui.send("n");
    for _ in 0..6 {
        e.tui.send(keys::DOWN);
    }
    e.tui.send(" ");
    e.tui.send(keys::ENTER);
    let screen = e.tui.wait_text("users · SUSPENDED");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains("● ")).filter(|l| l.starts_with('│')).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|l| l.contains("SUSPENDED")), "{screen}");
    e.quit();
}

#[test]
fn suspend_then_unsuspend_through_the_actions_menu() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let login = e.first_login_with("status eq \"ACTIVE\" and profile.department eq \"Sales\"");
    e.search(&login, |s| s.contains(" 1 user "));
    e.run_action("Suspend", None);
    assert_eq!(e.user(&login).status(), Some(UserStatus::Suspended));
    e.tui.wait_text("● SUSPENDED");
    e.run_action("Unsuspend", None);
    assert_eq!(e.user(&login).status(), Some(UserStatus::Active));
    e.quit();
}

#[test]
fn delete_needs_the_login_typed() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let login = e.first_login_with("status eq \"DEPROVISIONED\"");
    // Deactivated users are hidden by default: the search finds nothing,
    // and Enter then opens the exact login directly.
    e.search(&login, |s| s.contains("No users match"));
    e.tui.send("/");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("● DEPROVISIONED  ");
    // A partial login, and another user's, delete nothing.
    let partial = &login[..login.len() - 1];
    for typed in [partial, "admin@example.com"] {
        e.refused_action("Delete", typed, &login);
        assert_eq!(e.user(&login).login(), login, "typing {typed:?} deleted nothing");
    }
    e.run_action("Delete", Some(&login));
    let gone = e.rt.block_on(e.client.get_user(&login)).unwrap_err();
    assert_eq!(gone.status(), Some(404));
    e.quit();
}

#[test]
fn reset_factors_needs_the_login_typed() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let login = e.first_login_with("status eq \"ACTIVE\" and profile.department eq \"Sales\"");
    e.search(&login, |s| s.contains(" 1 user "));
    // The org keeps no factors: a reset shows as the user's lastUpdated
    // moving on, with the status as it was.
    let before = e.user(&login);
    e.refused_action("Reset factors", &login[..login.len() - 1], &login);
    assert_eq!(e.user(&login).last_updated(), before.last_updated(), "a partial login reset nothing");
    e.run_action("Reset factors", Some(&login));
    let after = e.user(&login);
    assert!(after.last_updated() > before.last_updated(), "the reset reached the org");
    assert_eq!(after.status(), Some(UserStatus::Active));
    e.quit();
}

#[test]
fn a_search_for_an_exact_id_opens_the_user_and_an_unknown_login_says_so() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let login = e.first_login_with("status eq \"SUSPENDED\"");
    let user = e.user(&login);
    // No name, login or email starts with an id: the search finds nothing,
    // and Enter opens the user the id names.
    e.search(user.id(), |s| s.contains("No users match"));
    e.tui.send("/");
    e.tui.send(keys::ENTER);
    let screen = e.tui.wait_text(&format!("{}  ● SUSPENDED", user.display_name()));
    assert!(screen.contains(&login), "{screen}");
    e.tui.send(keys::ESC);
    e.tui.wait_text("Demo Admin");
    e.search("nobody@example.com", |s| s.contains("No users match"));
    e.tui.send("/");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("No user has the id or login nobody@example.com");
    e.quit();
}

/// Fills the form's identity fields for `login`.
pub fn new_user(e: &mut E2e, first: &str, login: &str) {
    e.tui.send("n");
    e.tui.wait_text("New user");
    for text in [first, "Endtoend", login] {
        e.tui.type_text(text);
        e.tui.send(keys::TAB);
    }
    e.tui.wait_text(&format!("Username *             {login}"));
}

/// The line the form's focus marker is on, with its row.
fn marked_line(screen: &str) -> String {
    screen.lines().enumerate().find(|(_, l)| l.contains("▸ ")).map(|(i, l)| format!("{i}:{l}")).unwrap_or_default()
}

/// Sends `key` and waits until the focused line changes, so the next look
/// at the screen sees the key's effect (the machine may be slow).
pub fn press_and_settle(tui: &mut Pty, key: &str) {
    let before = marked_line(&tui.wait_stable());
    tui.send(key);
    tui.wait_for("the form to react", |s| marked_line(s) != before);
    tui.wait_stable();
}

/// Tabs until the focus marker sits on `label`.
pub fn focus(tui: &mut Pty, label: &str) {
    let marker = format!("▸ {label}");
    for _ in 0..80 {
        if marked_line(&tui.wait_stable()).contains(&marker) {
            return;
        }
        press_and_settle(tui, keys::TAB);
    }
    panic!("never focused {label}:\n{}", tui.screen());
}

pub fn choose(tui: &mut Pty, label: &str, value: &str) {
    focus(tui, label);
    for _ in 0..10 {
        if marked_line(&tui.screen()).contains(&format!("‹ {value}")) {
            return;
        }
        press_and_settle(tui, "\x1b[C");
    }
    panic!("{label} never showed {value}:\n{}", tui.screen());
}

fn pick_group(e: &mut E2e, search: &str, name: &str) {
    focus(&mut e.tui, "Groups");
    e.tui.send(keys::ENTER);
    e.tui.wait_text("Search:");
    e.tui.type_text(search);
    // The first results list every group; wait for the narrowed ones.
    e.tui.wait_for(name, |s| s.contains(&format!("[ ] {name}")) && !s.contains("Everyone") && !s.contains("searching"));
    e.tui.send(keys::TAB);
    e.tui.wait_text(&format!("[x] {name}"));
    e.tui.send(keys::ENTER);
}

#[test]
fn create_users_in_four_credential_modes_with_groups_and_a_user_type() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    let cases: [(&str, &str, &[&str], &str, UserStatus); 4] = [
        ("Password", "Sturdy-Pass-42", &["Sturdy-Pass-42"], "OKTA", UserStatus::Active),
        ("Recovery question", "", &["What is blue?", "The sky above"], "OKTA", UserStatus::Provisioned),
        ("Authentication provider", "", &[], "FEDERATION", UserStatus::Active),
        (
            "Imported password hash",
            "",
            &["", "10", "rwh3vH166HCH/NT9XV5FYu", "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna"],
            "IMPORT",
            UserStatus::Active,
        ),
    ];
    for (i, (mode, _, inputs, provider, status)) in cases.iter().enumerate() {
        let login = format!("e2e.mode{i}@example.com");
        new_user(&mut e, "Mode", &login);
        choose(&mut e.tui, "Sign-in", mode);
        for value in inputs.iter() {
            press_and_settle(&mut e.tui, keys::TAB);
            if !value.is_empty() {
                // Clear prefilled inputs (work factor) before typing.
                e.tui.send("\x15");
                e.tui.type_text(value);
            }
        }
        pick_group(&mut e, "Engin", "Engineering");
        choose(&mut e.tui, "Okta user type", "Contractor");
        e.tui.send(keys::CTRL_S);
        e.tui.wait_text(&format!("Created {login}"));

        let user = e.user(&login);
        assert_eq!(user.status(), Some(*status), "{mode}");
        assert_eq!(user.provider().map(|p| p.0), Some(*provider), "{mode}");
        let contractor = e.rt.block_on(e.client.list_user_types()).unwrap();
        let contractor = contractor.iter().find(|t| t.name() == "contractor").expect("contractor type");
        assert_eq!(user.type_id(), Some(contractor.id()), "{mode}");
        assert!(e.groups(user.id()).contains(&"Engineering".to_owned()), "{mode}");
    }
    e.quit();
}

#[test]
fn a_duplicate_login_shows_on_the_login_field_and_keeps_everything_typed() {
    let mut e = E2e::start(OrgConfig::demo(TOKEN));
    new_user(&mut e, "Dupe", "admin@example.com");
    choose(&mut e.tui, "Sign-in", "Password");
    press_and_settle(&mut e.tui, keys::TAB);
    e.tui.type_text("Sturdy-Pass-42");
    e.tui.send(keys::CTRL_S);
    let screen = e.tui.wait_text("An object with this field already exists");
    let login_line = screen.lines().position(|l| l.contains("Username *")).expect("login field");
    assert!(screen.lines().nth(login_line + 1).unwrap().contains("already exists"), "on the login field:\n{screen}");
    assert!(screen.contains("First name *           Dupe"));
    assert!(screen.contains("Username *             admin@example.com"));
    focus(&mut e.tui, "Password");
    assert!(e.tui.screen().contains("••••••••••••••"), "password kept (masked)");
    e.quit();
}
