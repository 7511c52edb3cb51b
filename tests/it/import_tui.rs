//! `i` in the TUI: the import screen's flow in the pure app (path entry
//! and completion, options, problems, plan filters, confirm, progress,
//! results, cancel), its screens pinned at two sizes, and the real binary
//! importing a CSV into an org on loopback.

use crate::e2e_tui::E2e;
use crate::pty::keys;
use crate::sim::{NOW, Sim, users};
use crossterm::event::KeyCode;
use oktui::app::import::{Entry, ImportEffect, ImportResult, LoadedFile, PlanRow, Read, Step};
use oktui::app::{ApiResult, Effect, Msg, ReqId};
use oktui::emulator::{Faults, OrgConfig};
use oktui::import::{Kind, Options, Problem, Progress, Summary};
use std::path::PathBuf;
use std::time::Duration;

fn take_import(sim: &mut Sim) -> ImportEffect {
    match sim.take("an import effect", |e| matches!(e, Effect::Import(_))) {
        Effect::Import(effect) => effect,
        _ => unreachable!(),
    }
}

fn answer(sim: &mut Sim, req: ReqId, result: ImportResult) {
    sim.send(Msg::Api(req, ApiResult::Import(result)));
}

fn step(sim: &Sim) -> &Step {
    &sim.state.import.as_ref().expect("the import screen").step
}

fn typed(sim: &Sim) -> String {
    match step(sim) {
        Step::Prompt(p) => p.path.value().to_owned(),
        other => panic!("not the prompt: {other:?}"),
    }
}

fn entries() -> Vec<Entry> {
    let e = |name: &str, dir| Entry { name: name.into(), dir };
    vec![e("users.csv", false), e("users.xlsx", false), e("data", true), e(".hidden.csv", false)]
}

/// Tab, then the listing the driver would answer with.
fn tab(sim: &mut Sim, listing: Vec<Entry>) -> PathBuf {
    sim.key(KeyCode::Tab);
    let ImportEffect::List { req, dir } = take_import(sim) else { panic!("a listing") };
    answer(sim, req, ImportResult::Listed(Ok(listing)));
    dir
}

#[test]
fn tab_completes_file_and_directory_names_and_shows_the_candidates_when_ambiguous() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('i');
    sim.ch('u');
    assert_eq!(tab(&mut sim, entries()), PathBuf::from("."), "a bare name lists the working directory");
    assert_eq!(typed(&sim), "users.", "completed as far as both matches agree");
    let Step::Prompt(prompt) = step(&sim) else { unreachable!() };
    assert_eq!(prompt.candidates, ["users.csv", "users.xlsx"]);
    sim.ch('x');
    tab(&mut sim, entries());
    assert_eq!(typed(&sim), "users.xlsx");
    let Step::Prompt(prompt) = step(&sim) else { unreachable!() };
    assert!(prompt.candidates.is_empty(), "one match: no candidates");

    // A directory completes with its slash; the next Tab lists inside it.
    for _ in 0.."users.xlsx".len() {
        sim.key(KeyCode::Backspace);
    }
    sim.ch('d');
    tab(&mut sim, entries());
    assert_eq!(typed(&sim), "data/");
    let listing = vec![Entry { name: "march.csv".into(), dir: false }];
    assert_eq!(tab(&mut sim, listing), PathBuf::from("data/"));
    assert_eq!(typed(&sim), "data/march.csv");

    // A listing that comes back after more typing is not applied.
    sim.key(KeyCode::Tab);
    let ImportEffect::List { req, .. } = take_import(&mut sim) else { panic!("a listing") };
    sim.ch('x');
    answer(&mut sim, req, ImportResult::Listed(Ok(entries())));
    assert_eq!(typed(&sim), "data/march.csvx");
    assert!(!sim.state.dirty, "a stale listing changes nothing");
}

#[test]
fn options_are_toggles_and_combinations_okta_refuses_are_said_before_reading() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('i');
    sim.type_text("users.csv");
    // Down to "change the password at next sign-in", without activate.
    for _ in 0..4 {
        sim.key(KeyCode::Down);
    }
    sim.ch(' ');
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Import(_))), "nothing read");
    let Step::Prompt(prompt) = step(&sim) else { panic!("still the prompt") };
    assert!(prompt.error.as_deref().is_some_and(|e| e.contains("needs --activate")), "{:?}", prompt.error);
    sim.key(KeyCode::Up);
    sim.key(KeyCode::Up);
    sim.ch(' '); // activate
    sim.key(KeyCode::Up);
    sim.ch(' '); // update existing
    sim.key(KeyCode::Enter);
    let ImportEffect::Read { path, options, .. } = take_import(&mut sim) else { panic!("a read") };
    assert_eq!(path, PathBuf::from("users.csv"));
    let expected =
        Options { update_existing: true, activate: true, next_login_change_password: true, ..Options::default() };
    assert_eq!(options, expected);
    assert!(sim.state.busy(), "the spinner runs while the file is read");
}

fn problems(n: usize) -> Vec<Problem> {
    (0..n)
        .map(|i| Problem {
            row: i + 2,
            column: Some("email".into()),
            value: Some(format!("not-an-email-{i}")),
            message: "must be an email address".into(),
        })
        .collect()
}

fn read(sim: &mut Sim, path: &str) -> ReqId {
    sim.ch('i');
    sim.type_text(path);
    sim.key(KeyCode::Enter);
    let ImportEffect::Read { req, .. } = take_import(sim) else { panic!("a read") };
    req
}

#[test]
fn every_problem_is_listed_and_scrolls_and_esc_goes_back_to_the_file() {
    let mut sim = Sim::started_with(&users(3), None);
    let req = read(&mut sim, "bad.csv");
    let result =
        Read { path: "/tmp/bad.csv".into(), problems: problems(40), rows: Vec::new(), loaded: LoadedFile::default() };
    answer(&mut sim, req, ImportResult::Read(Ok(result)));
    assert!(matches!(step(&sim), Step::Problems { scroll: 0, .. }));
    let screen = sim.frame(80, 24);
    assert!(screen.contains("40 problems in 40 rows; nothing was sent"), "{screen}");
    sim.ch('G');
    let screen = sim.frame(80, 24);
    assert!(screen.contains("not-an-email-39"), "the last problem is reachable:\n{screen}");
    sim.key(KeyCode::Esc);
    assert_eq!(typed(&sim), "bad.csv", "the path is kept to read again once fixed");
}

fn plan_rows() -> Vec<PlanRow> {
    let row = |row, kind, login: &str, details: &[&str]| PlanRow {
        row,
        kind,
        login: login.into(),
        details: details.iter().map(|d| (*d).to_owned()).collect(),
    };
    vec![
        row(2, Kind::Create, "new.one@example.com", &[]),
        row(3, Kind::Create, "new.two@example.com", &[]),
        row(4, Kind::Update, "moved@example.com", &[r#"department: "Sales" → "Engineering""#, "groups: +Everyone"]),
        row(5, Kind::Unchanged, "same@example.com", &[]),
        row(6, Kind::Existing, "differs@example.com", &[r#"title: "Lead" → "Manager""#]),
        row(7, Kind::Invalid, "bad", &["email: must be an email address"]),
    ]
}

/// The prompt read with skip-invalid and answered with `plan_rows`.
fn planned(sim: &mut Sim) {
    sim.ch('i');
    sim.type_text("users.csv");
    for _ in 0..6 {
        sim.key(KeyCode::Down);
    }
    sim.ch(' '); // skip invalid rows
    sim.key(KeyCode::Enter);
    let ImportEffect::Read { req, .. } = take_import(sim) else { panic!("a read") };
    let result = Read {
        path: "/tmp/users.csv".into(),
        problems: vec![Problem {
            row: 7,
            column: Some("email".into()),
            value: Some("x".into()),
            message: "must be an email address".into(),
        }],
        rows: plan_rows(),
        loaded: LoadedFile::default(),
    };
    answer(sim, req, ImportResult::Read(Ok(result)));
}

#[test]
fn the_plan_counts_each_kind_filters_by_kind_and_shows_each_updates_diff() {
    let mut sim = Sim::started_with(&users(3), None);
    planned(&mut sim);
    let Step::Plan(plan) = step(&sim) else { panic!("the plan (invalid rows are skipped)") };
    assert_eq!([Kind::Create, Kind::Update, Kind::Invalid].map(|k| plan.count(k)), [2, 1, 1]);
    let screen = sim.frame(80, 24);
    assert!(screen.contains("6 rows · 2 create · 1 update · 1 unchanged · 1 existing"), "{screen}");
    assert!(screen.contains(r#"department: "Sales" → "Engineering""#), "{screen}");
    sim.ch('2');
    let screen = sim.frame(80, 24);
    assert!(screen.contains("moved@example.com") && !screen.contains("new.one@example.com"), "{screen}");
    sim.ch('5');
    let screen = sim.frame(80, 24);
    assert!(screen.contains("email: must be an email address") && !screen.contains("moved@"), "{screen}");
    sim.ch('5');
    assert!(sim.frame(80, 24).contains("new.one@example.com"), "the same key again shows every kind");
}

#[test]
fn confirm_runs_the_job_whose_progress_and_results_show_and_the_tui_stays_usable() {
    let mut sim = Sim::started_with(&users(3), None);
    planned(&mut sim);
    sim.key(KeyCode::Enter);
    assert!(!sim.has(|e| matches!(e, Effect::Import(_))), "Enter asks first");
    assert!(sim.frame(80, 24).contains("Write 3 users to the org (2 create, 1 update)? y yes · n no"));
    sim.ch('n');
    sim.key(KeyCode::Enter);
    sim.ch('y');
    let ImportEffect::Run { req, results, .. } = take_import(&mut sim) else { panic!("the job") };
    assert_eq!(results, PathBuf::from("/tmp/users.results.csv"), "beside the input");

    sim.state.now = NOW.parse::<jiff::Timestamp>().expect("now") + Duration::from_secs(2);
    answer(&mut sim, req, ImportResult::Progress(Progress { done: 1, total: 3 }));
    let screen = sim.frame(80, 24);
    assert!(screen.contains("1 of 3 rows"), "{screen}");
    assert!(screen.contains("0.5 rows/s · about 4 s left"), "rate and ETA from the time so far:\n{screen}");

    // Esc hides the screen; the list takes keys while the job goes on.
    sim.key(KeyCode::Esc);
    let selected = sim.state.list.selected;
    sim.ch('j');
    assert_eq!(sim.state.list.selected, selected + 1, "the list moves");
    assert!(sim.state.busy(), "the spinner shows the job");
    sim.ch('i');
    assert!(sim.frame(80, 24).contains("1 of 3 rows"), "i shows the job again");

    let summary = Summary { created: 2, updated: 1, unchanged: 1, skipped: 2, ..Summary::default() };
    answer(&mut sim, req, ImportResult::Ran(Ok(summary)));
    let screen = sim.frame(80, 24);
    for line in ["created          2", "updated          1", "skipped          2", "/tmp/users.results.csv"] {
        assert!(screen.contains(line), "{line} in\n{screen}");
    }
    sim.key(KeyCode::Enter);
    assert!(sim.state.import.is_none(), "Enter closes the results");
}

#[test]
fn cancel_asks_first_then_stops_the_job_and_says_how_to_resume() {
    let mut sim = Sim::started_with(&users(3), None);
    planned(&mut sim);
    sim.key(KeyCode::Enter);
    sim.ch('y');
    let ImportEffect::Run { req, .. } = take_import(&mut sim) else { panic!("the job") };
    sim.ch('c');
    assert!(sim.frame(80, 24).contains("Cancel the import?"));
    sim.ch('n');
    assert!(!sim.has(|e| matches!(e, Effect::Import(ImportEffect::Cancel))), "n goes on");
    sim.ch('c');
    sim.ch('y');
    take_import(&mut sim);
    let Step::Done(done) = step(&sim) else { panic!("ended") };
    assert!(done.outcome.as_ref().is_err_and(|e| e.contains("--resume")), "{:?}", done.outcome);
    // The job's last word after the cancel is not taken for its end.
    answer(&mut sim, req, ImportResult::Progress(Progress { done: 2, total: 3 }));
    assert!(!sim.state.dirty);
}

#[test]
fn import_screens_at_two_sizes() {
    for (w, h) in [(80, 24), (140, 42)] {
        let mut sim = Sim::started_with(&users(3), None);
        sim.ch('i');
        sim.ch('u');
        tab(&mut sim, entries());
        insta::assert_snapshot!(format!("import_prompt_{w}x{h}"), sim.render(w, h).backend());

        let mut sim = Sim::started_with(&users(3), None);
        let req = read(&mut sim, "bad.csv");
        let mut list = problems(3);
        list.insert(0, Problem::header("colour", "is not a profile attribute of this org".into()));
        let result =
            Read { path: "/tmp/bad.csv".into(), problems: list, rows: Vec::new(), loaded: LoadedFile::default() };
        answer(&mut sim, req, ImportResult::Read(Ok(result)));
        insta::assert_snapshot!(format!("import_problems_{w}x{h}"), sim.render(w, h).backend());

        let mut sim = Sim::started_with(&users(3), None);
        planned(&mut sim);
        insta::assert_snapshot!(format!("import_plan_{w}x{h}"), sim.render(w, h).backend());
        sim.key(KeyCode::Enter);
        insta::assert_snapshot!(format!("import_confirm_{w}x{h}"), sim.render(w, h).backend());
        sim.ch('y');
        let ImportEffect::Run { req, .. } = take_import(&mut sim) else { panic!("the job") };
        sim.state.now = NOW.parse::<jiff::Timestamp>().expect("now") + Duration::from_secs(10);
        answer(&mut sim, req, ImportResult::Progress(Progress { done: 1, total: 3 }));
        insta::assert_snapshot!(format!("import_running_{w}x{h}"), sim.render(w, h).backend());
        let summary = Summary {
            created: 2,
            updated: 0,
            unchanged: 1,
            skipped: 2,
            failed: 1,
            elapsed: Duration::from_millis(10_400),
            retries: 0,
        };
        answer(&mut sim, req, ImportResult::Ran(Ok(summary)));
        insta::assert_snapshot!(format!("import_results_{w}x{h}"), sim.render(w, h).backend());
    }
}

/// The real binary: `i`, a path typed (completed by Tab), the plan, confirm,
/// progress and results on screen; then the org holds what the file says.
#[test]
fn the_binary_imports_a_csv_and_the_org_holds_what_it_says() {
    let mut e = E2e::start(OrgConfig::demo(crate::support::TOKEN));
    let existing = e.rt.block_on(e.client.get_user("me")).expect("the admin");
    let login = existing.login().to_owned();
    let mut csv = String::from("login,firstName,lastName,email,department\n");
    csv.push_str(&format!("{login},Demo,Admin,{login},Imported Department\n"));
    for i in 0..15 {
        csv.push_str(&format!("import.e2e{i}@example.com,Imp{i},Orted,import.e2e{i}@example.com,Research\n"));
    }
    std::fs::write(e.tui.dir().join("team-import.csv"), csv).expect("the CSV");

    e.tui.send("i");
    e.tui.wait_text("Tab complete");
    e.tui.type_text("team-");
    e.tui.send(keys::TAB);
    e.tui.wait_text("team-import.csv");
    e.tui.send(keys::DOWN);
    e.tui.send(" "); // update existing users
    e.tui.wait_text("[x] update existing");
    e.tui.send(keys::ENTER);
    let screen = e.tui.wait_text("Enter import 16 rows");
    assert!(screen.contains("16 rows · 15 create · 1 update"), "{screen}");
    assert!(screen.contains(r#"department: "#) && screen.contains(r#"→ "Imported Department""#), "{screen}");

    // Slow answers keep the job on screen long enough to be read.
    e.org.org.set_faults(Faults { latency_ms: 400, ..Faults::default() });
    e.tui.send(keys::ENTER);
    e.tui.wait_text("Write 16 users");
    e.tui.send("y");
    e.tui.wait_text("of 16 rows");
    e.tui.wait_text("rows/s");
    let screen = e.tui.wait_text("Results file:");
    assert!(screen.contains("created         15") && screen.contains("updated          1"), "{screen}");
    e.org.org.set_faults(Faults::default());

    let results = std::fs::read_to_string(e.tui.dir().join("team-import.results.csv")).expect("results file");
    assert_eq!(results.lines().filter(|l| l.contains(",created,")).count(), 15, "{results}");
    for i in [0, 14] {
        let user = e.user(&format!("import.e2e{i}@example.com"));
        assert_eq!(user.profile_str("department"), Some("Research"));
    }
    assert_eq!(e.user(&login).profile_str("department"), Some("Imported Department"));
    e.tui.send(keys::ENTER);
    e.tui.wait_for("the screen to close", |s| !s.contains("Import users"));
    e.quit();
}
