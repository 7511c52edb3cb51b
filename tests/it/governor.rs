//! The rate governor and the retries against the embedded org over
//! loopback: exports that finish under a storm of faults, never earn a 429
//! of their own making, keep to the capacity cap, and leave the admin's own
//! requests served while they run. Counts come from the org's own counters
//! (`/emulator/v1/stats`), not from the client under test.

use crate::export_cli::{args, oktui};
use crate::pty::tempdir;
use crate::support::{Api, TOKEN, org_with};
use futures::StreamExt;
use oktui::emulator::{OrgConfig, RunningOrg};
use oktui::export::{ExportRequest, Format, Query, Summary, export};
use oktui::okta::{Client, ClientConfig, OrgUrl, Secret, UserQuery};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

const USERS: u32 = 3_000;

/// The org's counters for the bucket of `GET /api/v1/users`.
async fn listing_stats(org: &RunningOrg) -> Value {
    let stats = Api::new(org).get("/emulator/v1/stats").await.expect(200).body;
    stats["buckets"]["users"].clone()
}

fn count(stats: &Value, pointer: &str) -> u64 {
    stats.pointer(pointer).and_then(Value::as_u64).unwrap_or_else(|| panic!("{pointer} in {stats}"))
}

fn client(org: &RunningOrg, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig::new(OrgUrl::parse(&org.url()).unwrap(), Secret::new(TOKEN));
    tweak(&mut config);
    Client::new(config).unwrap()
}

/// Exports everyone; returns the ids (each checked to be there once).
async fn export_ids(client: &Client, parallel: usize) -> (BTreeSet<String>, Summary) {
    let request = ExportRequest::new(Query::All, Format::Jsonl, parallel).unwrap();
    let mut out = Vec::new();
    let summary = export(client, &request, &mut out, |_| {}).await.unwrap_or_else(|e| panic!("x{parallel}: {e}"));
    let mut ids = BTreeSet::new();
    for line in String::from_utf8(out).unwrap().lines() {
        let user: Value = serde_json::from_str(line).unwrap();
        let id = user["id"].as_str().unwrap().to_owned();
        assert!(ids.insert(id.clone()), "x{parallel}: {id} exported twice");
    }
    assert_eq!(summary.users as usize, ids.len());
    (ids, summary)
}

#[tokio::test]
async fn an_export_under_a_storm_of_faults_completes_with_exactly_the_orgs_users() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(1_000_000)).await;
    // Default retry bounds (the point), shorter waits (not the point).
    let client = client(&org, |c| {
        c.retry.base_backoff = Duration::from_millis(50);
        c.retry.max_backoff = Duration::from_millis(400);
    });
    let (reference, _) = export_ids(&client, 1).await;
    assert!(reference.len() > 2_500, "{}", reference.len());
    Api::new(&org)
        .post("/emulator/v1/faults", json!({"errorRate": 0.2, "throttleRate": 0.1, "dropRate": 0.05, "latencyMs": 200}))
        .await
        .expect(200);
    Api::new(&org).delete("/emulator/v1/stats").await.expect(200);
    for parallel in [1, 4] {
        let (ids, summary) = export_ids(&client, parallel).await;
        assert_eq!(ids, reference, "x{parallel}: the same users as without faults");
        assert!(summary.retries > 0, "x{parallel}: no retry, so no fault bit: {summary:?}");
    }
    // The faults bit, each kind, as the org counts them. They are random:
    // two exports (~40 requests) miss the 5 % drops now and then, so export
    // again until every kind has bitten, each export still exact.
    let kinds = ["rateLimited", "serverErrors", "dropped"];
    let mut stats = listing_stats(&org).await;
    for _ in 0..10 {
        if kinds.iter().all(|kind| count(&stats, &format!("/injected/{kind}")) > 0) {
            break;
        }
        let (ids, _) = export_ids(&client, 4).await;
        assert_eq!(ids, reference, "again: the same users as without faults");
        stats = listing_stats(&org).await;
    }
    for kind in kinds {
        assert!(count(&stats, &format!("/injected/{kind}")) > 0, "no injected {kind}: {stats}");
    }
    // None of the 429s was earned by spending the bucket.
    assert_eq!(count(&stats, "/rateLimited"), 0, "{stats}");
}

#[tokio::test]
async fn exports_spend_the_orgs_limit_without_a_429() {
    // 10 requests per 2-second window, fewer than an export needs.
    let config = OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(10).with_rate_window(Duration::from_secs(2));
    let org = org_with(config).await;
    let client = client(&org, |_| {});
    let mut reference = None;
    for parallel in [1, 4] {
        let (ids, _) = export_ids(&client, parallel).await;
        assert_eq!(reference.get_or_insert_with(|| ids.clone()), &ids);
    }
    let stats = listing_stats(&org).await;
    assert!(count(&stats, "/requests") > 30, "the exports needed several windows: {stats}");
    assert_eq!(count(&stats, "/rateLimited"), 0, "a 429 of our own making: {stats}");
    assert!(count(&stats, "/peakPerWindow") >= 9, "the budget was spent, not spread: {stats}");
}

#[tokio::test]
async fn the_capacity_cap_bounds_the_requests_per_window() {
    let config = OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(40).with_rate_window(Duration::from_secs(2));
    let org = org_with(config).await;
    let dir = tempdir::Dir::new();
    let file = dir.path.join("users.jsonl");
    let out = oktui(
        &dir,
        args(&[
            "export",
            "--org-url",
            &org.url(),
            "--token",
            TOKEN,
            "--max-api-capacity",
            "25",
            "--parallel",
            "4",
            "-o",
            file.to_str().unwrap(),
        ]),
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(lines > 2_500, "{lines}");
    let stats = listing_stats(&org).await;
    assert!(count(&stats, "/requests") > 10, "more than a window's worth: {stats}");
    assert!(count(&stats, "/peakPerWindow") <= 10, "25 % of 40 a window: {stats}");
    assert_eq!(count(&stats, "/rateLimited"), 0, "{stats}");
}

#[tokio::test]
async fn interactive_requests_are_served_while_a_job_waits_for_the_reset() {
    // 40 requests a minute, 50 pages: the export spends its 36 and then
    // waits for a reset about a minute away; the 4 left are the admin's.
    let org = org_with(OrgConfig::demo(TOKEN).with_users(10_000).with_rate_limit(40)).await;
    let client = client(&org, |_| {});
    let job = tokio::spawn({
        let client = client.clone();
        async move { export_ids(&client, 1).await }
    });
    // Wait (no deadline asserted: a hang guard only) for the job's share.
    let mut spent = 0;
    for _ in 0..600 {
        spent = count(&listing_stats(&org).await, "/requests");
        if spent >= 36 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(spent, 36, "the job's share of 40 is 36");
    // The admin browses the same bucket: served at once, from the headroom.
    let mut pages = Box::pin(client.list_users(UserQuery::default().with_limit(20)));
    let page = pages.next().await.expect("a page").expect("served");
    assert_eq!(page.items.len(), 20);
    assert!(!job.is_finished(), "the job still waits for the reset");
    let stats = listing_stats(&org).await;
    assert_eq!(count(&stats, "/requests"), 37, "the job sent nothing more meanwhile: {stats}");
    assert_eq!(count(&stats, "/rateLimited"), 0, "{stats}");
    job.abort();
}

#[tokio::test]
async fn the_orgs_counters_count_requests_and_429s_per_bucket_until_reset() {
    let org = org_with(OrgConfig::demo(TOKEN).with_rate_limit(3)).await;
    let api = Api::new(&org);
    let statuses: Vec<u16> = futures::future::join_all((0..5).map(|_| api.get("/api/v1/users?limit=1")))
        .await
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2, "{statuses:?}");
    let stats = api.get("/emulator/v1/stats").await.expect(200).body;
    let users = &stats["buckets"]["users"];
    assert_eq!(
        (
            count(users, "/requests"),
            count(users, "/served"),
            count(users, "/rateLimited"),
            count(users, "/peakPerWindow")
        ),
        (5, 3, 2, 3),
        "{stats}"
    );
    assert_eq!(count(&stats, "/total/rateLimited"), 2, "{stats}");
    assert!(stats["buckets"].get("groups").is_none(), "unused buckets are left out: {stats}");
    assert!(stats["since"].as_str().is_some_and(|s| s.ends_with('Z')), "{stats}");
    let reset = api.delete("/emulator/v1/stats").await.expect(200).body;
    assert_eq!(count(&reset, "/total/requests"), 0, "{reset}");
    // The hooks need the token, like the fault knobs.
    let anonymous = Api::with_auth(&org, None).get("/emulator/v1/stats").await;
    assert_eq!(anonymous.status, 401);
}
