//! `oktui export -o FILE` as a resumable job, end to end: the real binary
//! against an org served by the test, killed with SIGKILL or failed by the
//! org partway, then `--resume`d.

use crate::pty::tempdir;
use crate::support::{TOKEN, org_with};
use oktui::emulator::{Faults, OrgConfig, RunningOrg};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const USERS: u32 = 3_000;

fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    crate::support::oktui_command(dir, url, "export", args)
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("run oktui")).await.expect("join")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn org() -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(1_000_000)).await
}

fn set_latency(org: &RunningOrg, ms: u64) {
    org.org.set_faults(Faults { latency_ms: ms, ..org.org.faults() });
}

/// The ids in a JSON-lines export, with how often each occurs.
fn ids(text: &str) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for line in text.lines() {
        let user: serde_json::Value = serde_json::from_str(line).expect("a user per line");
        *ids.entry(user["id"].as_str().expect("id").to_owned()).or_insert(0) += 1;
    }
    ids
}

/// Users missing from `got` and users written more than once.
#[track_caller]
fn assert_same_users(got: &BTreeMap<String, usize>, expected: &BTreeMap<String, usize>) {
    let missing = expected.keys().filter(|id| !got.contains_key(*id)).count();
    let extra = got.keys().filter(|id| !expected.contains_key(*id)).count();
    let twice = got.values().filter(|n| **n > 1).count();
    assert_eq!(
        (missing, extra, twice),
        (0, 0, 0),
        "(missing, not expected, written more than once) of {} users",
        expected.len()
    );
}

/// What an uninterrupted export of the same request writes.
async fn uninterrupted(dir: &Path, url: &str, args: &[&str]) -> BTreeMap<String, usize> {
    let out = run(command(dir, url, args)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    ids(&String::from_utf8_lossy(&out.stdout))
}

struct Files {
    target: PathBuf,
    partial: PathBuf,
    journal: PathBuf,
}

impl Files {
    fn in_dir(dir: &Path) -> Self {
        Self {
            target: dir.join("users.jsonl"),
            partial: dir.join(".users.jsonl.partial"),
            journal: dir.join(".users.jsonl.journal"),
        }
    }

    /// Bytes of output the journal's last whole record vouches for.
    fn checkpointed_len(&self) -> u64 {
        let text = std::fs::read_to_string(&self.journal).unwrap_or_default();
        text.lines()
            .skip(1)
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|r| r["len"].as_u64())
            .last()
            .unwrap_or(0)
    }

    /// The users the checkpoint holds: the partial file up to its length.
    fn checkpointed_users(&self) -> BTreeMap<String, usize> {
        let bytes = std::fs::read(&self.partial).expect("the partial file is kept");
        let len = self.checkpointed_len() as usize;
        assert!(bytes.len() >= len, "the partial file is shorter than its checkpoint");
        ids(&String::from_utf8_lossy(&bytes[..len]))
    }
}

/// Waits until a checkpoint holds some users.
async fn wait_for_checkpoint(files: &Files, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while files.checkpointed_len() == 0 {
        assert!(child.try_wait().expect("poll").is_none(), "the export ended before its first checkpoint");
        assert!(Instant::now() < deadline, "no checkpoint with users after 60 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn killed_halfway_then_resumed(parallel: &str) {
    let org = org().await;
    let url = org.url();
    let dir = tempdir::Dir::new();
    let files = Files::in_dir(&dir.path);
    let request = ["--parallel", parallel];
    let expected = uninterrupted(&dir.path, &url, &request).await;
    assert!(expected.len() > USERS as usize && expected.values().all(|n| *n == 1));

    set_latency(&org, 30);
    let mut args = request.to_vec();
    args.extend(["-o", "users.jsonl"]);
    let mut child = command(&dir.path, &url, &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    wait_for_checkpoint(&files, &mut child).await;
    // Hold every further answer, so the kill lands with the job mid-way.
    set_latency(&org, 60_000);
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let kept = files.checkpointed_users();
    assert!(!kept.is_empty() && kept.len() < expected.len(), "killed mid-job: {} of {}", kept.len(), expected.len());
    assert!(!files.target.exists(), "no half file at the final path");

    set_latency(&org, 0);
    args.push("--resume");
    let out = run(command(&dir.path, &url, &args)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let finished = ids(&std::fs::read_to_string(&files.target).expect("the file is written"));
    assert_same_users(&finished, &expected);
    assert!(!files.partial.exists() && !files.journal.exists(), "the job's files are gone once it is done");
}

#[tokio::test]
async fn a_sequential_export_killed_halfway_resumes_to_exactly_the_same_users() {
    killed_halfway_then_resumed("1").await;
}

#[tokio::test]
async fn a_parallel_export_killed_halfway_resumes_to_exactly_the_same_users() {
    killed_halfway_then_resumed("4").await;
}

/// Starts an export to `users.jsonl` and makes the org fail it once some
/// users are checkpointed; returns its stderr.
async fn failed_export(org: &RunningOrg, dir: &Path, args: &[&str]) -> String {
    let files = Files::in_dir(dir);
    set_latency(org, 30);
    let mut list = args.to_vec();
    list.extend(["-o", "users.jsonl", "--max-retries", "0"]);
    let mut child =
        command(dir, &org.url(), &list).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    wait_for_checkpoint(&files, &mut child).await;
    org.org.set_faults(Faults { latency_ms: 0, error_rate: 1.0, error_status: 500, ..org.org.faults() });
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait")).await.expect("join");
    org.org.set_faults(Faults::default());
    assert!(!out.status.success(), "the export fails on the org's 500s");
    stderr(&out)
}

#[tokio::test]
async fn an_export_failed_by_the_org_keeps_its_checkpoint_and_the_printed_command_completes_it() {
    let org = org().await;
    let dir = tempdir::Dir::new();
    let files = Files::in_dir(&dir.path);
    let expected = uninterrupted(&dir.path, &org.url(), &["--parallel", "3"]).await;

    let message = failed_export(&org, &dir.path, &["--parallel", "3"]).await;
    assert!(message.contains("users.jsonl was not written") && message.contains("500"), "{message}");
    let kept = files.checkpointed_users();
    assert!(!kept.is_empty() && kept.len() < expected.len(), "{} of {}", kept.len(), expected.len());
    assert!(!message.contains(TOKEN), "{message}");

    // The message names the command; run it as printed.
    let line = message.split("run: ").nth(1).expect("a command to run").trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.first(), Some(&env!("CARGO_BIN_EXE_oktui")), "{line}");
    assert_eq!(words.last(), Some(&"--resume"), "{line}");
    let mut again = Command::new(words[0]);
    again.args(&words[1..]).current_dir(&dir.path).env("HOME", &dir.path).env("OKTA_CLIENT_TOKEN", TOKEN);
    let out = run(again).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let finished = ids(&std::fs::read_to_string(&files.target).expect("the file is written"));
    assert_same_users(&finished, &expected);
}

#[tokio::test]
async fn resuming_with_other_arguments_or_nothing_to_resume_is_refused() {
    let org = org().await;
    let url = org.url();
    let dir = tempdir::Dir::new();
    let files = Files::in_dir(&dir.path);

    let out = run(command(&dir.path, &url, &["-o", "users.jsonl", "--resume"])).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no unfinished export to users.jsonl to resume"), "{}", stderr(&out));

    let active = r#"status eq "ACTIVE""#;
    failed_export(&org, &dir.path, &["--search", active]).await;
    let before = std::fs::read(&files.journal).expect("journal kept");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--search", r#"status eq "STAGED""#, "--resume"],
            r#"expression status eq "ACTIVE", now status eq "STAGED""#,
        ),
        (&["--search", active, "--parallel", "2", "--resume"], "parallel 1, now 2"),
        (&["--format", "csv", "--resume"], "query search, now all"),
    ];
    for (args, expected) in cases {
        let mut list = args.to_vec();
        list.extend(["-o", "users.jsonl"]);
        let out = run(command(&dir.path, &url, &list)).await;
        assert!(!out.status.success(), "{args:?}");
        let message = stderr(&out);
        assert!(message.contains("was started with other arguments") && message.contains(expected), "{message}");
    }
    let out = run(command(&dir.path, &url, &["--search", active, "-o", "users.jsonl"])).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("add --resume to continue it"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&files.journal).expect("journal kept"), before, "refusals leave the checkpoint alone");
    assert!(!files.target.exists());
}
