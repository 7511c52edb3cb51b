//! A bulk job killed with SIGKILL halfway and resumed: every user changed
//! exactly once (the org's own counters), nobody left out, the results
//! file complete. The kill is shown to land mid-job, with users changed at
//! the org whose record had not reached the journal: the case a resume
//! must settle by reading the user rather than sending again.

use crate::bulk_support::*;
use crate::pty::tempdir;
use crate::support::{TOKEN, org_with};
use oktui::emulator::OrgConfig;
use std::collections::BTreeSet;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

async fn wait_for_checkpointed(files: &JobFiles, child: &mut Child, at_least: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while files.checkpointed().len() < at_least {
        assert!(child.try_wait().expect("poll").is_none(), "the job ended before {at_least} users were recorded");
        assert!(Instant::now() < deadline, "fewer than {at_least} users recorded after 120 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_job_killed_halfway_and_resumed_changes_every_user_exactly_once() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(5_950).with_rate_limit(1_000_000)).await;
    let selected: BTreeSet<String> =
        users(&org, ACTIVE_SYNTHETIC).await.iter().map(|u| u["id"].as_str().unwrap_or_default().to_owned()).collect();
    assert!(selected.len() >= 5_000, "{} users", selected.len());
    let dir = tempdir::Dir::new();
    let files = JobFiles::beside(&dir.path.join("suspend.jsonl"));
    let args = ["suspend", "--search", ACTIVE_SYNTHETIC, "--yes", "--results", "suspend.jsonl"];

    set_latency(&org, 15);
    let mut child =
        command(&dir.path, &org.url(), &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    wait_for_checkpointed(&files, &mut child, selected.len() / 3).await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    set_latency(&org, 0);

    let recorded = files.checkpointed();
    let changed_first = served(&org, "userUpdate");
    assert!(!recorded.is_empty() && recorded.len() < selected.len(), "killed mid-job: {} recorded", recorded.len());
    assert!((changed_first as usize) < selected.len(), "killed before the org saw every user");
    assert!(!files.target.exists(), "no results at the final path before the job is done");
    // Users the org changed whose records the journal never got: a blind
    // resume would suspend them a second time.
    let suspended_now: BTreeSet<String> = users(&org, ACTIVE_SYNTHETIC.replace("ACTIVE", "SUSPENDED").as_str())
        .await
        .iter()
        .map(|u| u["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    let unrecorded_but_done =
        files.sent().into_iter().filter(|id| !recorded.contains(id) && suspended_now.contains(id)).count();
    assert!(unrecorded_but_done > 0, "the kill left users changed at the org but not in the journal");

    let out = run(command(&dir.path, &org.url(), &[&args[..], &["--resume"]].concat())).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let results = results(&files.target);
    assert_eq!(results.len(), selected.len(), "every user recorded once");
    assert!(results.keys().all(|id| selected.contains(id)));
    assert_eq!(outcomes(&results).get("changed"), Some(&selected.len()), "every user changed, none skipped or failed");
    assert_eq!(served(&org, "userUpdate"), selected.len() as u64, "exactly one suspend per user across both runs");
    let remaining = users(&org, ACTIVE_SYNTHETIC).await;
    assert!(remaining.is_empty(), "{} users still active", remaining.len());
    assert!(!files.partial.exists() && !files.journal.exists() && !files.sent.exists(), "the job's files are gone");
}

#[tokio::test]
async fn a_running_job_cannot_be_resumed_twice_nor_resumed_with_other_arguments() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(400).with_rate_limit(1_000_000)).await;
    let dir = tempdir::Dir::new();
    let files = JobFiles::beside(&dir.path.join("suspend.jsonl"));
    let args = ["suspend", "--search", SYNTHETIC, "--yes", "--results", "suspend.jsonl"];
    set_latency(&org, 30);
    let mut child =
        command(&dir.path, &org.url(), &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    wait_for_checkpointed(&files, &mut child, 1).await;

    let second = run(command(&dir.path, &org.url(), &[&args[..], &["--resume"]].concat())).await;
    assert!(!second.status.success(), "a second run is refused while the first holds the job");
    assert!(text(&second.stderr).contains("another oktui is running this job"), "{}", text(&second.stderr));
    let again = run(command(&dir.path, &org.url(), &args)).await;
    assert!(text(&again.stderr).contains("add --resume"), "a new job over a waiting one: {}", text(&again.stderr));

    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    set_latency(&org, 0);
    let other = ["unsuspend", "--search", SYNTHETIC, "--yes", "--results", "suspend.jsonl", "--resume"];
    let out = run(command(&dir.path, &org.url(), &other)).await;
    assert!(!out.status.success() && text(&out.stderr).contains("other arguments"), "{}", text(&out.stderr));
    let out = run(command(&dir.path, &org.url(), &[&args[..], &["--resume"]].concat())).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(results(&files.target).len(), 400, "every user recorded once");
}
