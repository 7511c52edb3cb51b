//! `oktui bulk`, the real binary against an org served by the test: the
//! plan, the results file, what the org received (its own counters), and
//! the users as the API shows them afterwards.

use crate::bulk_support::*;
use crate::pty::tempdir;
use crate::support::{Api, TOKEN, org_with};
use oktui::emulator::{OrgConfig, RunningOrg};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::process::Stdio;

async fn org(users: u32) -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_users(users).with_rate_limit(1_000_000)).await
}

fn ids_with(users: &[serde_json::Value], status: &str) -> BTreeSet<String> {
    users.iter().filter(|u| status_of(u) == status).map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect()
}

/// The count on the plan line that starts with `label`.
fn planned(plan: &str, label: &str) -> usize {
    let line =
        plan.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("no {label} in\n{plan}"));
    let number = line.trim_start()[label.len()..].split_whitespace().next().unwrap_or_default();
    number.replace(',', "").parse().unwrap_or_else(|_| panic!("no count on {line:?}"))
}

#[tokio::test]
async fn suspending_a_search_of_1000_plans_the_suspended_as_unchanged_and_records_each_user_once() {
    let org = org(1_000).await;
    let before = users(&org, SYNTHETIC).await;
    assert_eq!(before.len(), 1_000);
    // The statuses whose `_links` offer suspend.
    let active: BTreeSet<String> = ["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED"]
        .into_iter()
        .flat_map(|status| ids_with(&before, status))
        .collect();
    let suspended = ids_with(&before, "SUSPENDED");
    assert!(!suspended.is_empty() && active.len() > 800, "{} suspended, {} active", suspended.len(), active.len());
    let dir = tempdir::Dir::new();

    let args = ["suspend", "--search", SYNTHETIC, "--yes", "--results", "suspend.jsonl"];
    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(plan.starts_with("Plan: suspend on 1,000 users"), "{plan}");
    assert_eq!(planned(&plan, "will change"), active.len(), "{plan}");
    assert_eq!(planned(&plan, "unchanged"), suspended.len(), "{plan}");
    assert!(plan.contains("skipped") && plan.contains("do not offer suspend for status STAGED"), "{plan}");

    let results = results(&dir.path.join("suspend.jsonl"));
    assert_eq!(results.len(), 1_000, "each user once");
    for user in &before {
        let id = user["id"].as_str().unwrap_or_default();
        let expected = match status_of(user) {
            "ACTIVE" | "PROVISIONED" | "PASSWORD_EXPIRED" => "changed",
            "SUSPENDED" => "unchanged",
            _ => "skipped",
        };
        assert_eq!(results[id]["outcome"], expected, "{id} was {}", status_of(user));
    }
    let after = users(&org, SYNTHETIC).await;
    let now_suspended = ids_with(&after, "SUSPENDED");
    assert!(active.union(&suspended).all(|id| now_suspended.contains(id)), "every suspendable user is suspended now");
    assert_eq!(now_suspended.len(), active.len() + suspended.len(), "and nobody else");
    assert_eq!(
        requests(&org, "userUpdate"),
        active.len() as u64,
        "one suspend per suspendable user, none for the others"
    );
}

#[tokio::test]
async fn a_dry_run_prints_the_plan_and_sends_no_write() {
    let org = org(300).await;
    let dir = tempdir::Dir::new();
    let out = run(command(&dir.path, &org.url(), &["deactivate", "--search", SYNTHETIC, "--dry-run"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert!(plan.starts_with("Plan: deactivate on 300 users") && plan.contains("Estimated duration"), "{plan}");
    assert!(requests(&org, "users") > 0, "the plan paged the selection");
    assert_eq!(requests(&org, "userUpdate"), 0, "no write");
    assert!(!dir.path.join("bulk-deactivate.jsonl").exists(), "no results without a run");
}

#[tokio::test]
async fn delete_deactivates_then_deletes_and_a_deactivated_user_takes_one_step() {
    let org = org(50).await;
    let api = Api::new(&org);
    let active: Vec<serde_json::Value> =
        users(&org, SYNTHETIC).await.into_iter().filter(|u| status_of(u) == "ACTIVE").take(2).collect();
    let id = |u: &serde_json::Value| u["id"].as_str().unwrap_or_default().to_owned();
    api.post_empty(&format!("/api/v1/users/{}/lifecycle/deactivate", id(&active[1]))).await.expect(200);
    org.org.stats().reset();
    let dir = tempdir::Dir::new();
    let logins: String =
        active.iter().map(|u| format!("{}\n", u["profile"]["login"].as_str().unwrap_or_default())).collect();
    std::fs::write(dir.path.join("logins.txt"), logins).unwrap();

    let out = run(command(&dir.path, &org.url(), &["delete", "--logins", "logins.txt", "--yes"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(requests(&org, "userUpdate"), 3, "two DELETEs for the active user, one for the deactivated one");
    let results = results(&dir.path.join("bulk-delete.jsonl"));
    assert_eq!(outcomes(&results).get("changed"), Some(&2));
    for user in &active {
        api.get(&format!("/api/v1/users/{}", id(user))).await.expect(404);
    }
}

async fn group_id(api: &Api, name: &str) -> String {
    let reply = api.get(&format!("/api/v1/groups?q={}", urlencode(name))).await.expect(200);
    let groups = reply.body.as_array().cloned().unwrap_or_default();
    let group = groups.iter().find(|g| g["profile"]["name"] == name).unwrap_or_else(|| panic!("no group {name}"));
    group["id"].as_str().unwrap_or_default().to_owned()
}

async fn member_ids(api: &Api, group: &str) -> BTreeSet<String> {
    let reply = api.get(&format!("/api/v1/groups/{group}/users?limit=1000")).await.expect(200);
    reply.body.as_array().into_iter().flatten().filter_map(|u| u["id"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn group_membership_is_added_and_removed_and_an_app_group_is_skipped() {
    let org = org(20).await;
    let api = Api::new(&org);
    let contractors = group_id(&api, "Contractors").await;
    let workday = group_id(&api, "Workday Staff").await;
    let member = member_ids(&api, &contractors).await.into_iter().next().expect("Contractors has members");
    let mut chosen: Vec<String> =
        users(&org, SYNTHETIC).await.iter().take(3).map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect();
    chosen.push(member.clone());
    let dir = tempdir::Dir::new();
    std::fs::write(dir.path.join("ids.txt"), chosen.join("\n")).unwrap();
    let bulk = |args: &[&str]| {
        let mut list = args.to_vec();
        list.extend(["--ids", "ids.txt", "--yes", "--results", "groups.jsonl"]);
        command(&dir.path, &org.url(), &list)
    };

    let out = run(bulk(&["add-to-group", "Contractors"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!((planned(&text(&out.stdout), "will change"), planned(&text(&out.stdout), "unchanged")), (3, 1));
    let results = results(&dir.path.join("groups.jsonl"));
    assert_eq!(results[&member]["outcome"], "unchanged", "already a member");
    assert_eq!(results.len(), 4);
    let members = member_ids(&api, &contractors).await;
    assert!(chosen.iter().all(|id| members.contains(id)), "all four are members now");

    let out = run(bulk(&["remove-from-group", &contractors])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(outcomes(&results_of(&dir)).get("changed"), Some(&4), "the group named by its id");
    let members = member_ids(&api, &contractors).await;
    assert!(chosen.iter().all(|id| !members.contains(id)), "none of the four is a member now");

    let before = member_ids(&api, &workday).await;
    let updates_before = requests(&org, "userUpdate");
    let out = run(bulk(&["add-to-group", "Workday Staff"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("is an APP_GROUP group"), "{}", text(&out.stdout));
    let results = results_of(&dir);
    assert_eq!(outcomes(&results).get("skipped"), Some(&4));
    assert!(results.values().all(|r| r["reason"].as_str().unwrap_or_default().contains("APP_GROUP")));
    assert_eq!(member_ids(&api, &workday).await, before, "an APP_GROUP's members are left alone");
    assert_eq!(requests(&org, "userUpdate"), updates_before);
}

fn results_of(dir: &tempdir::Dir) -> std::collections::BTreeMap<String, serde_json::Value> {
    results(&dir.path.join("groups.jsonl"))
}

#[tokio::test]
async fn set_checks_values_against_the_schema_before_sending_anything() {
    let org = org(20).await;
    let dir = tempdir::Dir::new();
    for (assignment, says) in [
        ("profile.clearanceLevel=high", "takes a number"),
        ("profile.employmentType=BOSS", "must be one of"),
        ("profile.favouriteColour=blue", "not an attribute"),
    ] {
        let out = run(command(&dir.path, &org.url(), &["set", assignment, "--search", SYNTHETIC, "--yes"])).await;
        assert!(!out.status.success(), "{assignment} is refused");
        assert!(text(&out.stderr).contains(says), "{assignment}: {}", text(&out.stderr));
    }
    assert_eq!(requests(&org, "userUpdate"), 0, "nothing was sent");
    assert_eq!(requests(&org, "users"), 0, "not even the selection was paged");
}

#[tokio::test]
async fn a_user_that_fails_is_recorded_with_okta_s_error_and_the_exit_status_says_so() {
    let org = org(20).await;
    let api = Api::new(&org);
    let active: Vec<String> = users(&org, SYNTHETIC)
        .await
        .iter()
        .filter(|u| status_of(u) == "ACTIVE")
        .take(3)
        .map(|u| u["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let dir = tempdir::Dir::new();
    std::fs::write(dir.path.join("ids.txt"), active.join("\n")).unwrap();
    let mut child = command(&dir.path, &org.url(), &["suspend", "--ids", "ids.txt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stderr = child.stderr.take().expect("stderr");
    // Planned while all three were active; one is suspended by someone else
    // while the admin reads the plan.
    let prompt = tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        while !String::from_utf8_lossy(&seen).contains("[y/N]") {
            if stderr.read(&mut byte).expect("read stderr") == 0 {
                break;
            }
            seen.push(byte[0]);
        }
        (String::from_utf8_lossy(&seen).into_owned(), stderr)
    });
    let (asked, mut stderr) = prompt.await.expect("join");
    assert!(asked.contains("Change 3 users? [y/N]"), "{asked}");
    api.post_empty(&format!("/api/v1/users/{}/lifecycle/suspend", active[1])).await.expect(200);
    child.stdin.take().expect("stdin").write_all(b"y\n").expect("answer");
    let status = tokio::task::spawn_blocking(move || child.wait().expect("wait")).await.expect("join");
    let mut rest = String::new();
    let _ = stderr.read_to_string(&mut rest);
    assert!(!status.success(), "a failed user makes the exit status non-zero: {rest}");
    assert!(rest.contains("1 users failed"), "{rest}");
    let results = results(&dir.path.join("bulk-suspend.jsonl"));
    assert_eq!(results[&active[1]]["outcome"], "failed");
    assert!(
        results[&active[1]]["errorCode"].as_str().is_some_and(|c| c.starts_with("E0000")),
        "{}",
        results[&active[1]]
    );
    assert!(results[&active[1]]["errorSummary"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(outcomes(&results).get("changed"), Some(&2));
}

#[tokio::test]
async fn a_lost_answer_is_settled_by_reading_the_user_and_never_by_sending_again() {
    let org = org(200).await;
    let before = users(&org, SYNTHETIC).await;
    let suspendable =
        ["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED"].iter().map(|s| ids_with(&before, s).len()).sum::<usize>();
    let dir = tempdir::Dir::new();
    // The org makes each change, then closes the connection unanswered for a third of them.
    org.org.set_faults(oktui::emulator::Faults { lose_rate: 0.3, ..Default::default() });
    let out = run(command(&dir.path, &org.url(), &["suspend", "--search", SYNTHETIC, "--yes"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let log = std::fs::read_to_string(dir.path.join("oktui.log")).unwrap_or_default();
    let lost = log.matches("outcome is uncertain").count();
    assert!(lost > 0, "answers were lost");
    let results = results(&dir.path.join("bulk-suspend.jsonl"));
    assert_eq!(outcomes(&results).get("changed"), Some(&suspendable), "{lost} lost answers settled as changed");
    assert_eq!(requests(&org, "userUpdate"), suspendable as u64, "no suspend sent twice");

    // Reset factors leaves no trace in the status: a lost answer is not resent.
    org.org.set_faults(oktui::emulator::Faults { lose_rate: 1.0, ..Default::default() });
    let ids: Vec<String> = ids_with(&before, "ACTIVE").into_iter().take(5).collect();
    std::fs::write(dir.path.join("ids.txt"), ids.join("\n")).unwrap();
    let updates = requests(&org, "userUpdate");
    let out = run(command(&dir.path, &org.url(), &["reset_factors", "--ids", "ids.txt", "--yes"])).await;
    assert!(!out.status.success(), "unknown outcomes are failures");
    let reset = crate::bulk_support::results(&dir.path.join("bulk-reset_factors.jsonl"));
    assert_eq!(outcomes(&reset).get("failed"), Some(&5));
    assert!(reset.values().all(|r| r["errorSummary"].as_str().unwrap_or_default().contains("not sent again")));
    assert_eq!(requests(&org, "userUpdate") - updates, 5, "one reset each, none resent");
}

#[tokio::test]
async fn server_errors_are_settled_by_reading_the_user_and_each_user_is_changed_once() {
    let org = org(200).await;
    let before = users(&org, SYNTHETIC).await;
    let suspendable =
        ["ACTIVE", "PROVISIONED", "PASSWORD_EXPIRED"].iter().map(|s| ids_with(&before, s).len()).sum::<usize>();
    let dir = tempdir::Dir::new();
    // A fifth of the requests (reads included) answer 500, 502 or 503 without doing anything.
    org.org.set_faults(oktui::emulator::Faults { error_rate: 0.2, ..Default::default() });
    let out = run(command(&dir.path, &org.url(), &["suspend", "--search", SYNTHETIC, "--yes"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let results = results(&dir.path.join("bulk-suspend.jsonl"));
    assert_eq!(outcomes(&results).get("failed"), None, "a server error is not the user's outcome");
    assert_eq!(outcomes(&results).get("changed"), Some(&suspendable));
    assert_eq!(served(&org, "userUpdate"), suspendable as u64, "each suspend landed once");
    assert!(requests(&org, "userUpdate") > suspendable as u64, "some suspends met a server error first");
}

#[tokio::test]
async fn results_as_csv_have_a_header_and_one_row_per_user() {
    let org = org(30).await;
    let dir = tempdir::Dir::new();
    let args = ["unsuspend", "--search", SYNTHETIC, "--yes", "--format", "csv"];
    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(dir.path.join("bulk-unsuspend.csv")).expect("results");
    let mut lines = csv.lines();
    // The same columns for every operation; the links only activate,
    // reactivate and reset_password fill (--send-email false).
    let header = "id,login,operation,outcome,reason,errorCode,errorSummary,time,activationUrl,resetPasswordUrl";
    assert_eq!(lines.next(), Some(header));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 30);
    assert!(rows.iter().all(|r| r.len() == 10 && r[2] == "unsuspend"), "{csv}");
    let ids: BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(ids.len(), 30, "each user once");
    let changed = rows.iter().filter(|r| r[3] == "changed").count();
    assert_eq!(changed as u64, requests(&org, "userUpdate"), "a row says changed for each unsuspend sent");
}

#[tokio::test]
async fn the_admin_the_job_runs_as_is_never_suspended_by_it_but_can_be_edited() {
    let org = org(0).await;
    let dir = tempdir::Dir::new();
    let me = r#"profile.login eq "admin@example.com" or profile.login eq "iris.yarrowdale@example.org""#;
    let out = run(command(&dir.path, &org.url(), &["suspend", "--search", me, "--yes", "--results", "s.jsonl"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert_eq!(planned(&plan, "will change"), 1, "{plan}");
    assert!(plan.contains("that is you, the admin this job runs as"), "{plan}");
    let results = results(&dir.path.join("s.jsonl"));
    let outcomes: BTreeSet<String> = results.values().map(|r| r["outcome"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(outcomes, BTreeSet::from(["changed".to_owned(), "skipped".to_owned()]), "{results:?}");
    let admin = Api::new(&org).get("/api/v1/users/admin@example.com").await.expect(200);
    assert_eq!(status_of(&admin.body), "ACTIVE", "the job's own admin still has their access");

    let args = ["set", "department=Platform", "--search", me, "--yes", "--results", "d.jsonl"];
    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(planned(&text(&out.stdout), "will change"), 2, "a profile change locks nobody out");
}
