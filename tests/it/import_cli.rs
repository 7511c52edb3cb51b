//! `oktui import` end to end: the real binary against an org served by the
//! test. Ten thousand rows land as the file says and a second run writes
//! nothing; a file with problems is refused before any write; an import
//! killed with SIGKILL halfway resumes with every user created once.

use crate::pty::tempdir;
use crate::support::{Api, TOKEN, org_with};
use oktui::emulator::{Faults, OrgConfig, RunningOrg};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut command = crate::support::oktui_command(dir, url, "import", args);
    command.stdin(Stdio::null());
    command
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("run oktui")).await.expect("join")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn org(users: u32) -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_users(users).with_rate_limit(1_000_000)).await
}

/// API writes the org carried out since its counters were reset.
async fn writes(api: &Api) -> u64 {
    api.get("/emulator/v1/stats").await.expect(200).body["writes"].as_u64().expect("writes counted")
}

/// Every user of the org (DEPROVISIONED ones aside), by lowercased login.
async fn users(api: &Api) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    let mut next = Some("/api/v1/users?limit=200".to_owned());
    while let Some(url) = next.take() {
        let reply = api.get(&url).await.expect(200);
        for user in reply.body.as_array().expect("users") {
            let login = user["profile"]["login"].as_str().expect("login").to_lowercase();
            out.insert(login, user.clone());
        }
        next = reply.link("next");
    }
    out
}

/// Results file rows as maps of column → value.
fn results(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("results file");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| headers.iter().map(str::to_owned).zip(r.expect("record").iter().map(str::to_owned)).collect())
        .collect()
}

fn count(rows: &[BTreeMap<String, String>], result: &str) -> usize {
    rows.iter().filter(|r| r["result"] == result).count()
}

#[tokio::test]
async fn a_file_with_problems_is_refused_before_any_write_with_each_problem_named() {
    let org = org(0).await;
    let api = Api::new(&org);
    let dir = tempdir::Dir::new();
    let long = "x".repeat(51);
    let text = format!(
        "login,firstName,lastName,email,employmentType,groups,favouriteColour\n\
         ok@example.com,Ok,Row,ok@example.com,FULL_TIME,Sales,\n\
         bad.email@example.com,Bad,Email,not-an-email,,,\n\
         enum@example.com,Un,Known,enum@example.com,ASTRONAUT,,\n\
         ok@example.com,Twice,Listed,ok2@example.com,,,\n\
         group@example.com,No,Group,group@example.com,,Astronauts,\n\
         long@example.com,{long},Long,long@example.com,,,\n\
         quote@example.com,Broken,\"Quote,quote@example.com,,,\n"
    );
    std::fs::write(dir.path.join("users.csv"), text).expect("file");
    api.delete("/emulator/v1/stats").await;

    let out = run(command(&dir.path, &org.url(), &["users.csv", "--yes"])).await;
    let message = stderr(&out);
    assert!(!out.status.success(), "{message}");
    let expected = [
        "row 1, column favouriteColour: is not a profile attribute",
        "row 3, column email (\"not-an-email\"): must be an email address",
        "row 4, column employmentType (\"ASTRONAUT\"): is not one of the allowed values",
        "row 5, column login (\"ok@example.com\"): is already on row 2",
        "row 6, column groups (\"Astronauts\"): is not a group of this org",
        "row 7, column firstName",
        "row 8, column lastName: has a quote that is not closed",
    ];
    for line in expected {
        assert!(message.contains(line), "missing {line:?} in:\n{message}");
    }
    assert!(message.contains("at most 50 characters (51 now)"), "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    assert_eq!(writes(&api).await, 0, "nothing written");
    assert!(!dir.path.join("users.results.csv").exists());

    // The same problems on stdout with --dry-run, and status 1.
    let out = run(command(&dir.path, &org.url(), &["users.csv", "--dry-run"])).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("row 6, column groups"), "{}", stderr(&out));
}

/// Rows of a 10,000-row file: 1,500 existing users changed (custom
/// attributes, a group by name), 1,500 existing ones as they are, and
/// 7,000 new ones with custom attributes and groups, every third a
/// contractor (a user type other than the default).
fn big_file(existing: &[Value]) -> String {
    let mut text = String::from(
        "login,firstName,lastName,email,department,employmentType,clearanceLevel,skills,groups,userType,password\n",
    );
    for (i, user) in existing.iter().take(3_000).enumerate() {
        let p = &user["profile"];
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
        let (login, first, last, email) = (s("login"), s("firstName"), s("lastName"), s("email"));
        if i < 1_500 {
            text +=
                &format!("{login},{first},{last},{email},Imported {i},PART_TIME,{},import;csv,Sales,,\n", i % 5 + 1);
        } else {
            text += &format!("{login},{first},{last},{email},,,,,,,\n");
        }
    }
    for i in 0..7_000 {
        let kind = if i % 3 == 0 { "contractor" } else { "" };
        text += &format!(
            "new{i}@import.example.com,New{i},Person,new{i}@import.example.com,Dept {},INTERN,{},rust,Engineering;Marketing,{kind},Sturdy-Pass-{i}\n",
            i % 7,
            i % 5 + 1
        );
    }
    text
}

async fn group_members(api: &Api, name: &str) -> BTreeSet<String> {
    let groups = api.get(&format!("/api/v1/groups?q={name}")).await.expect(200).body;
    let id = groups.as_array().and_then(|g| g.iter().find(|g| g["profile"]["name"] == name)).expect("group")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut members = BTreeSet::new();
    let mut next = Some(format!("/api/v1/groups/{id}/users?limit=1000"));
    while let Some(url) = next.take() {
        let reply = api.get(&url).await.expect(200);
        for u in reply.body.as_array().expect("members") {
            members.insert(u["id"].as_str().expect("id").to_owned());
        }
        next = reply.link("next");
    }
    members
}

#[tokio::test]
async fn ten_thousand_rows_land_as_the_file_says_and_a_second_run_writes_nothing() {
    let org = org(0).await;
    let api = Api::new(&org);
    let dir = tempdir::Dir::new();
    // 3,000 users already there (stored ones: the org's synthetic users
    // compute each attribute on every search, which makes 10,000 lookups
    // slow to serve without telling anything more).
    let mut seed = String::from("login,firstName,lastName,email,department\n");
    for i in 0..3_000 {
        seed += &format!("old{i}@import.example.org,Old{i},Timer,old{i}@import.example.org,Before\n");
    }
    std::fs::write(dir.path.join("seed.csv"), seed).expect("seed file");
    let out = run(command(&dir.path, &org.url(), &["seed.csv", "--yes"])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let before = users(&api).await;
    let mut existing: Vec<Value> =
        before.iter().filter(|(l, _)| l.ends_with("@import.example.org")).map(|(_, u)| u.clone()).collect();
    existing.sort_by_key(|u| u["profile"]["login"].as_str().unwrap_or_default().to_owned());
    assert_eq!(existing.len(), 3_000);
    let text = big_file(&existing);
    std::fs::write(dir.path.join("users.csv"), &text).expect("file");
    let args = ["users.csv", "--update-existing", "--yes"];

    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = results(&dir.path.join("users.results.csv"));
    assert_eq!(rows.len(), 10_000);
    let counts = ["created", "updated", "unchanged", "skipped", "failed"].map(|r| count(&rows, r));
    assert_eq!(counts, [7_000, 1_500, 1_500, 0, 0], "{}", stderr(&out));
    assert!(rows.iter().all(|r| r["password"].is_empty()), "no password in the results");

    // The org holds exactly what the file says.
    let after = users(&api).await;
    assert_eq!(after.len(), before.len() + 7_000);
    let types: Vec<Value> =
        api.get("/api/v1/meta/types/user").await.expect(200).body.as_array().expect("types").clone();
    let type_id = |name: &str| types.iter().find(|t| t["name"] == name).expect("type")["id"].clone();
    let (sales, engineering, marketing) = (
        group_members(&api, "Sales").await,
        group_members(&api, "Engineering").await,
        group_members(&api, "Marketing").await,
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    for record in reader.records() {
        let record = record.expect("row");
        let cell = |name: &str| record.get(headers.iter().position(|h| h == name).expect("column")).unwrap_or_default();
        let user = &after[&cell("login").to_lowercase()];
        let id = user["id"].as_str().expect("id").to_owned();
        for attr in ["firstName", "lastName", "email", "department", "employmentType"] {
            if !cell(attr).is_empty() {
                assert_eq!(user["profile"][attr], cell(attr), "{attr} of {}", cell("login"));
            }
        }
        if !cell("clearanceLevel").is_empty() {
            let level: f64 = cell("clearanceLevel").parse().expect("number");
            assert_eq!(user["profile"]["clearanceLevel"].as_f64(), Some(level), "{}", cell("login"));
        }
        if !cell("skills").is_empty() {
            let skills: Vec<&str> = cell("skills").split(';').collect();
            assert_eq!(user["profile"]["skills"], serde_json::json!(skills), "{}", cell("login"));
        }
        if cell("groups") == "Sales" {
            assert!(sales.contains(&id), "{} in Sales", cell("login"));
        }
        if cell("groups").contains("Engineering") {
            assert!(engineering.contains(&id) && marketing.contains(&id), "{} in both groups", cell("login"));
        }
        if cell("userType") == "contractor" {
            assert_eq!(user["type"]["id"], type_id("contractor"), "{}", cell("login"));
        } else if cell("login").contains("@import.") {
            assert_eq!(user["type"]["id"], type_id("user"), "{}", cell("login"));
        }
    }

    // Again: every row unchanged, and not one write.
    api.delete("/emulator/v1/stats").await;
    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = results(&dir.path.join("users.results.csv"));
    assert_eq!((rows.len(), count(&rows, "unchanged")), (10_000, 10_000), "{}", stderr(&out));
    assert_eq!(writes(&api).await, 0, "the second run wrote nothing");
}

/// The last checkpoint's tally in the journal beside the results.
fn created_in_journal(dir: &Path) -> u64 {
    let text = std::fs::read_to_string(dir.join(".users.results.csv.journal")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|r| r["tally"]["job"]["created"].as_u64())
        .last()
        .unwrap_or(0)
}

#[tokio::test]
async fn an_import_killed_halfway_resumes_with_every_user_created_once() {
    const ROWS: usize = 5_000;
    let org = org(0).await;
    let api = Api::new(&org);
    let dir = tempdir::Dir::new();
    let mut text = String::from("login,firstName,lastName,email,groups\n");
    for i in 0..ROWS {
        text += &format!("k{i}@kill.example.com,Kill{i},Test,k{i}@kill.example.com,Sales\n");
    }
    std::fs::write(dir.path.join("users.csv"), &text).expect("file");
    let args = ["users.csv", "--yes"];

    org.org.set_faults(Faults { latency_ms: 2, ..Faults::default() });
    let mut child =
        command(&dir.path, &org.url(), &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(120);
    while created_in_journal(&dir.path) < 500 {
        assert!(child.try_wait().expect("poll").is_none(), "the import ended before it was killed");
        assert!(Instant::now() < deadline, "no checkpoint after 120 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Hold every further answer, so the kill lands with requests in flight.
    org.org.set_faults(Faults { latency_ms: 60_000, ..Faults::default() });
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    org.org.set_faults(Faults::default());

    let created = users(&api).await.keys().filter(|l| l.ends_with("@kill.example.com")).count();
    assert!(created > 0 && created < ROWS, "killed mid-job: {created} of {ROWS} created");
    assert!(!dir.path.join("users.results.csv").exists(), "no half results file");

    let out = run(command(&dir.path, &org.url(), &["users.csv", "--yes", "--resume"])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = results(&dir.path.join("users.results.csv"));
    let logins: BTreeSet<&str> = rows.iter().map(|r| r["login"].as_str()).collect();
    assert_eq!((rows.len(), logins.len(), count(&rows, "created")), (ROWS, ROWS, ROWS), "{}", stderr(&out));
    let after = users(&api).await;
    let made: Vec<&Value> = after.iter().filter(|(l, _)| l.ends_with("@kill.example.com")).map(|(_, u)| u).collect();
    assert_eq!(made.len(), ROWS, "every user once");
    let ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    let org_ids: BTreeSet<&str> = made.iter().filter_map(|u| u["id"].as_str()).collect();
    assert_eq!(ids, org_ids, "the results name the users the org holds");
    assert!(!dir.path.join(".users.results.csv.journal").exists());
}

#[tokio::test]
async fn dry_run_prints_the_plan_and_the_template_names_the_orgs_attributes() {
    let org = org(0).await;
    let api = Api::new(&org);
    let dir = tempdir::Dir::new();
    std::fs::write(
        dir.path.join("users.csv"),
        "login,firstName,lastName,email,department\nadmin@example.com,Demo,Admin,admin@example.com,Security\nn@example.com,N,New,n@example.com,\n",
    )
    .expect("file");
    api.delete("/emulator/v1/stats").await;
    let out = run(command(&dir.path, &org.url(), &["users.csv", "--dry-run"])).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout.contains("2 rows: 1 to create, 0 to update, 0 unchanged, 1 existing"), "{stdout}");
    assert!(stdout.contains("row 3: create n@example.com"), "{stdout}");
    assert!(stdout.contains("row 2: existing admin@example.com: department: \"IT\" → \"Security\""), "{stdout}");
    assert_eq!(writes(&api).await, 0);

    let out = run(command(&dir.path, &org.url(), &["--template", "-o", "template.csv"])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let header = std::fs::read_to_string(dir.path.join("template.csv")).expect("template");
    assert!(header.starts_with("login,firstName,lastName,email,"), "{header}");
    for column in ["employmentType", "clearanceLevel", "password", "groups", "userType"] {
        assert!(header.contains(column), "{column} in {header}");
    }
}

#[tokio::test]
async fn server_errors_and_lost_answers_neither_stop_the_import_nor_create_anyone_twice() {
    const ROWS: usize = 300;
    let org = org(0).await;
    let api = Api::new(&org);
    let dir = tempdir::Dir::new();
    let mut text = String::from("login,firstName,lastName,email\n");
    for i in 0..ROWS {
        text += &format!("f{i}@faults.example.com,Fault{i},Test,f{i}@faults.example.com\n");
    }
    std::fs::write(dir.path.join("users.csv"), &text).expect("file");
    // A fifth of the requests answer 5xx without acting; a tenth of the
    // writes are carried out and their answers lost.
    org.org.set_faults(Faults { error_rate: 0.2, lose_rate: 0.1, ..Faults::default() });
    let out = run(command(&dir.path, &org.url(), &["users.csv", "--yes"])).await;
    org.org.set_faults(Faults::default());
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = results(&dir.path.join("users.results.csv"));
    assert_eq!((rows.len(), count(&rows, "created")), (ROWS, ROWS), "{}", stderr(&out));
    let made = users(&api).await.into_keys().filter(|l| l.ends_with("@faults.example.com")).count();
    assert_eq!(made, ROWS, "every user once");
}
