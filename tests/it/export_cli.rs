//! `oktui export` end to end: the real binary against an org served by the
//! test over loopback.

use crate::pty::tempdir;
use crate::support::{TOKEN, org_with};
use oktui::emulator::OrgConfig;
use std::process::{Command, Output};

/// Runs `oktui <args>` in an empty home and working directory, so no
/// okta.yaml of the machine is read, while this test's runtime keeps
/// serving the org.
pub(crate) async fn oktui(dir: &tempdir::Dir, args: Vec<String>) -> Output {
    let dir = dir.path.clone();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_oktui"))
            .args(&args)
            .arg("--log-file")
            .arg(dir.join("oktui.log"))
            .current_dir(&dir)
            .env("HOME", &dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env_remove("OKTA_CLIENT_ORGURL")
            .env_remove("OKTA_CLIENT_TOKEN")
            .output()
            .expect("run oktui")
    })
    .await
    .expect("join")
}

pub(crate) fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn exports_csv_and_jsonl_files_and_says_how_many() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(1_500).with_rate_limit(1_000_000)).await;
    let url = org.url();
    let dir = tempdir::Dir::new();
    let csv = dir.path.join("active.csv");
    let out = oktui(
        &dir,
        args(&[
            "export",
            "--org-url",
            &url,
            "--token",
            TOKEN,
            "--filter",
            r#"status eq "ACTIVE""#,
            "--format",
            "csv",
            "--columns",
            "id,status,profile.login",
            "--parallel",
            "4",
            "-o",
            csv.to_str().unwrap(),
        ]),
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).expect("csv written");
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], "id,status,profile.login");
    assert!(rows.len() > 1_000, "{}", rows.len());
    assert!(rows[1..].iter().all(|r| r.split(',').nth(1) == Some("ACTIVE")), "only ACTIVE users");
    let summary = stderr(&out);
    let count = format!("exported {} users", oktui::display::thousands(rows.len() as u64 - 1));
    assert!(summary.contains(&count) && summary.contains("active.csv"), "{summary}");
    assert!(summary.contains("pages in") && summary.contains("users/s"), "{summary}");

    // The org flags may also come before the subcommand; stdout by default.
    let out =
        oktui(&dir, args(&["--org-url", &url, "--token", TOKEN, "export", "--search", r#"profile.lastName sw "a""#]))
            .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        let user: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
        assert!(user["profile"]["lastName"].as_str().unwrap().to_lowercase().starts_with('a'), "{line}");
    }
}

#[tokio::test]
async fn bad_requests_fail_before_any_request_and_say_what_to_do() {
    let dir = tempdir::Dir::new();
    // Port 9 (discard) is not listening: nothing may be sent anyway.
    let org = ["--org-url", "http://127.0.0.1:9", "--token", TOKEN];
    let cases: [(&[&str], &str); 4] = [
        (&["export", "--search", "status eq"], "the --search expression is not valid"),
        (&["export", "--filter", r#"profile.title eq "x""#], "the --filter expression is not valid"),
        (&["export", "--columns", "id"], "--columns applies to CSV only"),
        (&["export", "--format", "csv", "--columns", "id,bad column"], "is not a column"),
    ];
    for (case, expected) in cases {
        let mut list = org.to_vec();
        list.extend_from_slice(case);
        let out = oktui(&dir, args(&list)).await;
        assert!(!out.status.success(), "{case:?}");
        assert!(stderr(&out).contains(expected), "{case:?}: {}", stderr(&out));
    }
    let both = oktui(&dir, args(&["export", "--search", "a", "--filter", "b"])).await;
    assert!(!both.status.success());
    assert!(stderr(&both).contains("cannot be used with"), "{}", stderr(&both));
}

#[tokio::test]
async fn an_unreachable_org_fails_without_writing_the_file() {
    let dir = tempdir::Dir::new();
    let path = dir.path.join("users.jsonl");
    let out = oktui(
        &dir,
        args(&[
            "export",
            "--org-url",
            "http://127.0.0.1:9",
            "--token",
            TOKEN,
            "--max-retries",
            "0",
            "-o",
            path.to_str().unwrap(),
        ]),
    )
    .await;
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("cannot reach the org") && message.contains("was not written"), "{message}");
    assert!(!path.exists());
}
