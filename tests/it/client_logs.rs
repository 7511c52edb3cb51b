//! The System Log client over loopback against the embedded org: bounded
//! queries paged to their end, events kept losslessly, and the poller that
//! tails the log by `next` link without spending the admin's share of the
//! logs bucket. Counts come from the org (`/emulator/v1/stats`).

use crate::support::{Api, TOKEN, client_for, demo_org, org_with};
use futures::TryStreamExt;
use jiff::{SignedDuration, Timestamp};
use oktui::emulator::{OrgConfig, RunningOrg};
use oktui::okta::logs::{LogEvent, LogQuery, Poller};
use oktui::okta::{Client, PageStart, UserQuery};
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::time::Duration;

/// An active user of the demo org to change: id and login.
pub async fn some_user(client: &Client) -> (String, String) {
    let query = UserQuery::search(r#"status eq "ACTIVE" and profile.department eq "Sales""#).with_limit(1);
    let page = client.list_users_page(PageStart::First(&query)).await.expect("a page");
    let row = page.items.first().expect("an active Sales user");
    (row.id().to_owned(), row.login().to_owned())
}

/// Changes `id`'s title `n` times: one `user.account.update_profile` each.
pub async fn edit_times(client: &Client, id: &str, n: usize) {
    for i in 0..n {
        let profile: Map<String, Value> = json!({"title": format!("Title {i}")}).as_object().cloned().unwrap();
        client.update_user(id, &profile).await.expect("update");
    }
}

fn profile_edits_of(id: &str) -> String {
    format!(r#"({}) and eventType eq "user.account.update_profile""#, LogQuery::involving(id))
}

/// The org's counters for the logs bucket.
pub async fn logs_stats(org: &RunningOrg) -> Value {
    let stats = Api::new(org).get("/emulator/v1/stats").await.expect(200).body;
    stats["buckets"]["logs"].clone()
}

pub fn count(stats: &Value, key: &str) -> u64 {
    stats[key].as_u64().unwrap_or(0)
}

fn title_to(event: &LogEvent) -> String {
    let changes = event.changes();
    let change = changes.iter().find(|c| c.attribute == "title").expect("a title change");
    change.to.and_then(Value::as_str).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_bounded_query_pages_to_its_end_with_every_event_once_and_losslessly() {
    let org = demo_org().await;
    let client = client_for(&org);
    let (id, _) = some_user(&client).await;
    let since = Timestamp::now() - SignedDuration::from_secs(1);
    edit_times(&client, &id, 12).await;
    let until = Timestamp::now() + SignedDuration::from_secs(1);
    let query = LogQuery {
        since: Some(since),
        until: Some(until),
        filter: Some(profile_edits_of(&id)),
        limit: Some(5),
        ..LogQuery::default()
    };
    let pages: Vec<_> = client.list_logs(query).try_collect().await.expect("pages");
    assert_eq!(pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(), [5, 5, 2]);
    assert!(pages[2].next.is_none(), "bounded: the last page has no next link");
    let events: Vec<&LogEvent> = pages.iter().flat_map(|p| &p.items).collect();
    let uuids: HashSet<&str> = events.iter().map(|e| e.uuid()).collect();
    assert_eq!(uuids.len(), 12, "no repeats");
    let titles: Vec<String> = events.iter().map(|e| title_to(e)).collect();
    assert_eq!(titles, (0..12).map(|i| format!("Title {i}")).collect::<Vec<_>>(), "in published order");
    // The first page as the org sent it equals the events written back.
    let raw: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/logs", org.url()))
        .query(&[
            ("since", since.to_string()),
            ("until", until.to_string()),
            ("filter", profile_edits_of(&id)),
            ("limit", "5".into()),
        ])
        .header("Authorization", format!("SSWS {TOKEN}"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let ours: Vec<Value> = pages[0].items.iter().map(|e| serde_json::to_value(e).expect("json")).collect();
    assert_eq!(Value::Array(ours), raw, "re-serialised events lose nothing");
}

#[tokio::test]
async fn the_poller_follows_next_links_and_reads_on_while_pages_come_back_full() {
    let org = demo_org().await;
    let client = client_for(&org);
    let (id, _) = some_user(&client).await;
    let query = LogQuery {
        since: Some(Timestamp::now()),
        filter: Some(profile_edits_of(&id)),
        limit: Some(5),
        ..LogQuery::default()
    };
    let mut poller = Poller::new(&client, query, Duration::ZERO);
    assert!(poller.poll().await.expect("first poll").is_empty());
    let after_first = poller.next_url().cloned().expect("a poll always has a next link");
    edit_times(&client, &id, 7).await;
    Api::new(&org).delete("/emulator/v1/stats").await.expect(200);
    let events = poller.poll().await.expect("poll");
    assert_eq!(
        events.iter().map(title_to).collect::<Vec<_>>(),
        (0..7).map(|i| format!("Title {i}")).collect::<Vec<_>>()
    );
    assert_eq!(count(&logs_stats(&org).await, "requests"), 2, "a full page of 5, then the short one");
    assert_ne!(poller.next_url(), Some(&after_first), "the cursor moved on");
    assert!(poller.poll().await.expect("poll").is_empty(), "nothing new, nothing repeated");
    assert!(!poller.ended());
}

#[tokio::test]
async fn the_poller_leaves_the_admin_a_share_of_the_logs_bucket_and_meets_no_429() {
    // 20 requests a minute: a job (the poller) leaves 2 to the admin.
    let org = org_with(OrgConfig::demo(TOKEN).with_rate_limit(20)).await;
    let client = client_for(&org);
    let poller = tokio::spawn({
        let client = client.clone();
        async move {
            let mut poller = Poller::new(&client, LogQuery::default(), Duration::ZERO);
            loop {
                poller.poll_after_interval().await.expect("poll");
            }
        }
    });
    // Wait (a hang guard, no deadline asserted) for the poller's share.
    let mut spent = 0;
    for _ in 0..600 {
        spent = count(&logs_stats(&org).await, "requests");
        if spent >= 18 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(spent, 18, "the poller's share of 20");
    // The admin opens a timeline: served at once from what was left.
    let query = LogQuery { limit: Some(5), ..LogQuery::default() };
    client.list_logs_page(PageStart::First(&query)).await.expect("served");
    assert!(!poller.is_finished(), "the poller waits for the reset");
    let stats = logs_stats(&org).await;
    assert_eq!(count(&stats, "requests"), 19, "the poller sent nothing more meanwhile: {stats}");
    assert_eq!(count(&stats, "rateLimited"), 0, "{stats}");
    poller.abort();
}
