//! `oktui logs`, the real binary against the embedded org: a user's events
//! by login, a filter, relative times, CSV and JSON lines to a file, and
//! `--follow` tailing the log within the org's limit, never into a 429.

use crate::client_logs::{count, logs_stats, some_user};
use crate::export_cli::{args, oktui};
use crate::pty::tempdir;
use crate::support::{Api, TOKEN, client_for, org_with};
use oktui::emulator::OrgConfig;
use oktui::okta::{LifecycleOp, LifecycleOptions};
use serde_json::{Map, Value, json};
use std::process::{Command, Stdio};
use std::time::Duration;

fn department(to: &str) -> Map<String, Value> {
    json!({"department": to}).as_object().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_users_events_by_login_with_relative_times_a_filter_and_csv() {
    let org = org_with(OrgConfig::demo(TOKEN)).await;
    let client = client_for(&org);
    let (id, login) = some_user(&client).await;
    client.run_lifecycle(&id, LifecycleOp::Suspend, &LifecycleOptions::default()).await.expect("suspend");
    client.update_user(&id, &department("Finance")).await.expect("edit");
    // Someone else's event, which --user leaves out.
    let me = client.get_user("me").await.expect("me");
    client.update_user(me.id(), &department("Elsewhere")).await.expect("edit");
    let (url, dir) = (org.url(), tempdir::Dir::new());
    let org_flags = ["--org-url", url.as_str(), "--token", TOKEN];
    let run = |extra: &[&str]| {
        let mut all = vec!["logs"];
        all.extend_from_slice(extra);
        all.extend_from_slice(&org_flags);
        oktui(&dir, args(&all))
    };

    let jsonl = dir.path.join("jane.jsonl");
    let out = run(&["--user", &login, "--since", "2h", "-o", jsonl.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 events"));
    let events: Vec<Value> =
        std::fs::read_to_string(&jsonl).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let types: Vec<&str> = events.iter().map(|e| e["eventType"].as_str().unwrap_or_default()).collect();
    assert_eq!(types, ["user.lifecycle.suspend", "user.account.update_profile"]);
    assert_eq!(events[1]["target"][0]["changeDetails"]["to"]["department"], "Finance");
    assert!(events.iter().all(|e| e["target"][0]["id"] == id.as_str()));

    // Up to an hour ago: both events are newer.
    let out = run(&["--user", &login, "--since", "3h", "--until", "1h"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty() && String::from_utf8_lossy(&out.stderr).contains("0 events"));

    let csv = dir.path.join("suspensions.csv");
    let filter = r#"eventType eq "user.lifecycle.suspend""#;
    let out = run(&["--filter", filter, "--since", "2h", "--format", "csv", "-o", csv.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0].join(","), oktui::logs::CSV_COLUMNS.join(","));
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!((rows[1][1], rows[1][2], rows[1][5]), ("user.lifecycle.suspend", "SUCCESS", login.as_str()));

    let out = run(&["--user", "nobody@example.com"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user 'nobody@example.com'"));
}

#[tokio::test]
async fn follow_keeps_within_the_logs_bucket_and_meets_no_429() {
    // One request per 2-second window: polling every second is twice the
    // limit, so without the governor every other poll would meet a 429.
    let config = OrgConfig::demo(TOKEN).with_rate_limit(1).with_rate_window(Duration::from_secs(2));
    let org = org_with(config).await;
    let client = client_for(&org);
    let (id, _) = some_user(&client).await;
    let dir = tempdir::Dir::new();
    let file = dir.path.join("follow.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_oktui"))
        .args(["logs", "--follow", "--interval", "1", "--since", "1m", "-o", file.to_str().unwrap()])
        .args(["--org-url", &org.url(), "--token", TOKEN, "--log-file"])
        .arg(dir.path.join("oktui.log"))
        .env("HOME", &dir.path)
        .env("XDG_CONFIG_HOME", dir.path.join("config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oktui logs --follow");
    // Let it poll through a few windows (a hang guard, no time asserted).
    for _ in 0..400 {
        if count(&logs_stats(&org).await, "requests") >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.update_user(&id, &department("Followed")).await.expect("edit");
    let mut seen = false;
    for _ in 0..400 {
        seen = std::fs::read_to_string(&file).unwrap_or_default().contains("Followed");
        if seen {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let stats = logs_stats(&org).await;
    assert_eq!(count(&stats, "rateLimited"), 0, "a 429 of its own making: {stats}");
    assert!(count(&stats, "requests") >= 4, "several windows of polls: {stats}");
    assert!(seen, "the edit made during the follow was written");
    // The limit is real: the same bucket asked three times at once refuses.
    let api = Api::new(&org);
    let burst = futures::future::join_all((0..3).map(|_| api.get("/api/v1/logs?limit=1"))).await;
    assert!(burst.iter().any(|r| r.status == 429), "the org's limit binds at this pace");
}
