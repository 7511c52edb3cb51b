//! `oktui bulk activate|reactivate|reset_password --send-email`: Okta's
//! documented default when the flag is left out, and with `false` the link
//! Okta answers with instead of an email recorded for each user.

use crate::bulk_support::*;
use crate::pty::tempdir;
use crate::support::{TOKEN, org_with};
use oktui::emulator::{OrgConfig, RunningOrg};
use std::collections::BTreeMap;

async fn org() -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_users(200).with_rate_limit(1_000_000)).await
}

fn search(status: &str) -> String {
    format!(r#"{SYNTHETIC} and status eq "{status}""#)
}

async fn bulk(org: &RunningOrg, dir: &tempdir::Dir, args: &[&str]) -> BTreeMap<String, serde_json::Value> {
    let out = run(command(&dir.path, &org.url(), args)).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let results = results(&dir.path.join("out.jsonl"));
    assert!(!results.is_empty(), "some users were chosen: {}", text(&out.stdout));
    assert!(results.values().all(|r| r["outcome"] == "changed"), "{results:?}");
    // The links are for the results file only.
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!said.contains("/welcome/") && !said.contains("/reset_password/"), "{said}");
    results
}

#[tokio::test]
async fn with_send_email_false_each_user_s_activation_or_reset_link_is_in_the_results() {
    let org = org().await;
    let dir = tempdir::Dir::new();
    let staged = search("STAGED");
    let args = ["activate", "--search", &staged, "--send-email", "false", "--yes", "--results", "out.jsonl"];
    let activated = bulk(&org, &dir, &args).await;
    for record in activated.values() {
        let url = record["activationUrl"].as_str().unwrap_or_else(|| panic!("no activationUrl in {record}"));
        assert!(url.starts_with(&org.url()) && url.contains("/welcome/"), "{url}");
    }

    std::fs::remove_file(dir.path.join("out.jsonl")).expect("results removed");
    let active = search("ACTIVE");
    let args = ["reset_password", "--search", &active, "--send-email", "false", "--yes", "--results", "out.jsonl"];
    let reset = bulk(&org, &dir, &args).await;
    assert!(reset.values().all(|r| r["resetPasswordUrl"].as_str().is_some_and(|u| u.contains("/reset_password/"))));
}

#[tokio::test]
async fn left_out_send_email_is_okta_s_default_so_activate_emails_and_reactivate_answers_with_the_link() {
    let org = org().await;
    let dir = tempdir::Dir::new();
    let staged = search("STAGED");
    let activated = bulk(&org, &dir, &["activate", "--search", &staged, "--yes", "--results", "out.jsonl"]).await;
    assert!(activated.values().all(|r| r.get("activationUrl").is_none()), "Okta emailed them: {activated:?}");

    std::fs::remove_file(dir.path.join("out.jsonl")).expect("results removed");
    let provisioned = search("PROVISIONED");
    let args = ["reactivate", "--search", &provisioned, "--yes", "--results", "out.jsonl"];
    let reactivated = bulk(&org, &dir, &args).await;
    assert!(reactivated.values().all(|r| r["activationUrl"].is_string()), "{reactivated:?}");
}

#[tokio::test]
async fn send_email_is_refused_for_an_operation_that_emails_nobody() {
    let org = org().await;
    let dir = tempdir::Dir::new();
    let args = ["suspend", "--search", SYNTHETIC, "--send-email", "false", "--yes"];
    let out = run(command(&dir.path, &org.url(), &args)).await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--send-email is for activate, reactivate, reset_password"),
        "{}",
        text(&out.stderr)
    );
}
