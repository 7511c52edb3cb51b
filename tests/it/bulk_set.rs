//! `oktui bulk set` on 5,000 users: every user updated, verified through
//! the API, and a change to another attribute made through the API while
//! the job runs survives (each update is partial and conditional).

use crate::bulk_support::*;
use crate::pty::tempdir;
use crate::support::{Api, TOKEN, org_with};
use oktui::emulator::{Faults, OrgConfig};
use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[tokio::test]
async fn setting_the_department_of_5000_users_keeps_a_concurrent_change_to_another_attribute() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(5_000).with_rate_limit(1_000_000)).await;
    let api = Api::new(&org);
    let ids: Vec<String> =
        users(&org, SYNTHETIC).await.iter().map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(ids.len(), 5_000);
    let dir = tempdir::Dir::new();
    let partial = dir.path.join(".set.jsonl.partial");
    org.org.set_faults(Faults { latency_ms: 5, ..org.org.faults() });
    let args = ["set", "profile.department=New IT", "--search", SYNTHETIC, "--yes", "--results", "set.jsonl"];
    let mut child =
        command(&dir.path, &org.url(), &args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");

    // Once the job is under way, someone changes another attribute of every
    // 25th user, while it still runs.
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::fs::read(&partial).map_or(0, |b| b.len()) == 0 {
        assert!(child.try_wait().expect("poll").is_none() && Instant::now() < deadline, "the job never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let touched: Vec<&String> = ids.iter().step_by(25).collect();
    for id in &touched {
        api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"title": "Changed meanwhile"}})).await.expect(200);
    }
    assert!(child.try_wait().expect("poll").is_none(), "the changes were made while the job ran");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait")).await.expect("join");
    assert!(out.status.success(), "{}", text(&out.stderr));
    org.org.set_faults(Faults::default());

    let results = results(&dir.path.join("set.jsonl"));
    assert_eq!((results.len(), outcomes(&results).get("changed")), (5_000, Some(&5_000)));
    let after = users(&org, SYNTHETIC).await;
    assert!(after.iter().all(|u| u["profile"]["department"] == "New IT"), "every department set");
    let kept = after.iter().filter(|u| u["profile"]["title"] == "Changed meanwhile").count();
    assert_eq!(kept, touched.len(), "every concurrent change to the title survived");
    assert!(after.iter().all(|u| u["profile"]["firstName"].is_string()), "nothing else of a profile was touched");
}
