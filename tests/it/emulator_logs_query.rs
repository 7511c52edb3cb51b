//! `GET /api/v1/logs` as Okta serves it (issue 14): bounded and polling
//! requests, cursor paging, filters and keywords, Okta's errors, the
//! 120/min bucket, the demo's history, and the log kept with `--data`.

use crate::emulator_logs::{events_of, urlencoding};
use crate::pty::tempdir;
use crate::support::{Api, TOKEN, demo_org, org_with};
use oktui::emulator::OrgConfig;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

fn iso(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string()
}

fn ago(days: i64) -> String {
    iso(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days))
}

/// Since a month and a day ago until a minute from now: the whole history.
fn whole_month() -> String {
    let until = iso(jiff::Timestamp::now() + jiff::SignedDuration::from_mins(1));
    format!("since={}&until={}", urlencoding(&ago(31)), urlencoding(&until))
}

/// Follows `next` links from `first` to the last page (at most `max` pages).
async fn all_pages(api: &Api, first: &str, max: usize) -> (Vec<Value>, usize) {
    let (mut events, mut url, mut pages) = (Vec::new(), first.to_owned(), 0);
    loop {
        let page = api.get(&url).await.expect(200);
        pages += 1;
        events.extend(page.body.as_array().cloned().unwrap_or_default());
        match page.link("next") {
            Some(next) if pages < max => url = next,
            Some(_) => panic!("more than {max} pages from {first}"),
            None => return (events, pages),
        }
    }
}

fn published(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| e["published"].as_str().unwrap_or_default().to_owned()).collect()
}

fn uuids(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| e["uuid"].as_str().unwrap_or_default().to_owned()).collect()
}

fn filter(expr: &str) -> String {
    format!("filter={}", urlencoding(expr))
}

#[tokio::test]
async fn bounded_queries_end_and_polling_always_has_a_next_page_that_gets_new_events() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let (events, pages) = all_pages(&api, &format!("/api/v1/logs?limit=100&{}", whole_month()), 100).await;
    assert!(pages > 2 && events.len() > 200, "{pages} pages, {} events", events.len());
    let times = published(&events);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "bounded pages come in published order");

    // Polling from a minute ago: nothing yet, but a next link all the same.
    let first = format!(
        "/api/v1/logs?since={}",
        urlencoding(&iso(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)))
    );
    let empty = api.get(&first).await.expect(200);
    assert_eq!(empty.body, Value::Array(Vec::new()));
    let next = empty.link("next").expect("polling always has a next link");
    assert!(!next.contains("since="), "the cursor replaces since: {next}");
    let user = api.get("/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=3").await.body[1]["id"].clone();
    let user = user.as_str().unwrap();
    let suspended = api.post_empty(&format!("/api/v1/users/{user}/lifecycle/suspend")).await.expect(200);
    let page = api.get(&next).await.expect(200);
    assert_eq!(page.body.as_array().map(Vec::len), Some(1), "{}", page.text);
    assert_eq!(page.body[0]["eventType"], "user.lifecycle.suspend");
    assert_eq!(page.body[0]["transaction"]["id"], suspended.header("x-okta-request-id").unwrap());
    let after = api.get(&page.link("next").expect("still a next link")).await.expect(200);
    assert_eq!(after.body, Value::Array(Vec::new()), "nothing new, nothing repeated");
    assert!(after.link("next").is_some());
    // The same bounded query now ends with the new event.
    let (again, _) = all_pages(&api, &format!("/api/v1/logs?limit=1000&{}", whole_month()), 10).await;
    assert_eq!(again.len(), events.len() + 1);
    assert_eq!(again.last().map(|e| e["eventType"].clone()), Some("user.lifecycle.suspend".into()));
}

#[tokio::test]
async fn ten_thousand_events_page_without_duplicates_or_holes_in_both_orders() {
    let mut config = OrgConfig::demo(TOKEN).with_users(5000);
    config.rate_limits.logs = 100_000;
    let org = org_with(config).await;
    let api = Api::new(&org);
    let month = whole_month();
    let (up, up_pages) = all_pages(&api, &format!("/api/v1/logs?limit=1000&{month}"), 100).await;
    let (down, down_pages) =
        all_pages(&api, &format!("/api/v1/logs?limit=1000&sortOrder=DESCENDING&{month}"), 100).await;
    assert!(up.len() > 10_000 && up_pages > 10 && down_pages == up_pages, "{} events", up.len());
    let ids = uuids(&up);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "no event twice");
    let mut reversed = uuids(&down);
    reversed.reverse();
    assert_eq!(reversed, ids, "descending is ascending reversed");
    let times = published(&down);
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // No holes: each synthetic user's two events are all there.
    let mut per_user: HashMap<String, usize> = HashMap::new();
    for e in &up {
        let synthetic = |who: &Value| who["alternateId"].as_str().is_some_and(|l| l.ends_with("@example.net"));
        let subject = if synthetic(&e["actor"]) { &e["actor"] } else { &e["target"][0] };
        if subject["alternateId"].as_str().is_some_and(|l| l.ends_with("@example.net")) {
            *per_user.entry(subject["id"].as_str().unwrap().to_owned()).or_default() += 1;
        }
    }
    assert_eq!(per_user.len(), 5000);
    assert!(per_user.values().all(|n| *n == 2), "{:?}", per_user.iter().find(|(_, n)| **n != 2));

    // A user's timeline (the org skips everyone else's generated events)
    // finds exactly what the whole log holds about them.
    for id in per_user.keys().take(5) {
        let about = |e: &&Value| {
            e["actor"]["id"] == id.as_str()
                || e["target"].as_array().is_some_and(|t| t.iter().any(|t| t["id"] == id.as_str()))
        };
        let expected: Vec<String> = uuids(&down.iter().filter(about).cloned().collect::<Vec<_>>());
        let q = filter(&format!(r#"target.id eq "{id}" or actor.id eq "{id}""#));
        let (found, _) = all_pages(&api, &format!("/api/v1/logs?sortOrder=DESCENDING&{month}&{q}"), 5).await;
        assert_eq!(uuids(&found), expected, "{id}");
        assert_eq!(expected.len(), 2);
    }
}

#[tokio::test]
async fn filters_and_keywords_select_events_as_okta_does() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let month = whole_month();
    let get = |q: String| {
        let api = api.clone();
        let month = month.clone();
        async move { api.get(&format!("/api/v1/logs?limit=1000&{month}&{q}")).await.expect(200).body }
    };
    let locks = get(filter(r#"eventType eq "user.account.lock""#)).await;
    assert_eq!(locks.as_array().map(Vec::len), Some(4), "one per LOCKED_OUT demo user");
    let lifecycle = get(filter(r#"eventType sw "user.lifecycle" and actor.alternateId eq "admin@example.com""#)).await;
    let lifecycle = lifecycle.as_array().unwrap();
    assert!(!lifecycle.is_empty());
    assert!(lifecycle.iter().all(|e| e["eventType"].as_str().unwrap().starts_with("user.lifecycle.")));
    let failures = get(filter(r#"outcome.result eq "FAILURE""#)).await;
    let failures = failures.as_array().unwrap();
    assert!(failures.len() >= 12, "three or more failed passwords before each lockout");
    assert!(failures.iter().all(|e| e["outcome"]["reason"] == "INVALID_CREDENTIALS" && e["severity"] == "WARN"));
    let sessions = get(filter(r#"eventType co "session""#)).await;
    assert!(sessions.as_array().unwrap().iter().all(|e| e["eventType"].as_str().unwrap().contains("session")));

    // Keywords: whole words of any value, any case, all of them.
    let london = get("q=LONDON".into()).await;
    let london = london.as_array().unwrap();
    assert!(!london.is_empty());
    assert!(london.iter().all(|e| e.to_string().contains("London")));
    let both = get(format!("q={}", urlencoding("london max"))).await;
    assert!(both.as_array().unwrap().iter().all(|e| e["eventType"] == "user.account.lock"), "{both:#}");
    assert_eq!(get("q=lond".into()).await, Value::Array(Vec::new()), "a part of a word is no match");

    // A LOCKED_OUT user's story ends in failed passwords and the lockout.
    let locked = api.get("/api/v1/users?search=status%20eq%20%22LOCKED_OUT%22&limit=1").await.body[0]["id"].clone();
    let story =
        get(format!("sortOrder=DESCENDING&{}", filter(&format!("target.id eq {locked} or actor.id eq {locked}"))))
            .await;
    let story = story.as_array().unwrap();
    assert_eq!(story[0]["eventType"], "user.account.lock");
    assert_eq!(
        (story[1]["eventType"].as_str(), story[1]["outcome"]["result"].as_str()),
        (Some("user.session.start"), Some("FAILURE"))
    );
    assert!(story.iter().any(|e| e["eventType"] == "user.authentication.auth_via_mfa"));
    assert!(story.iter().any(|e| e["eventType"] == "user.authentication.sso"));
    assert!(story.iter().all(|e| e["client"]["geographicalContext"]["city"].is_string()));
}

#[tokio::test]
async fn the_demo_history_explains_each_status() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let month = whole_month();
    for (status, latest) in [
        ("SUSPENDED", "user.lifecycle.suspend"),
        ("DEPROVISIONED", "user.lifecycle.deactivate"),
        ("RECOVERY", "user.account.reset_password"),
        ("PASSWORD_EXPIRED", "user.account.expire_password"),
        ("LOCKED_OUT", "user.account.lock"),
        ("STAGED", "user.lifecycle.create"),
        ("PROVISIONED", "user.lifecycle.activate"),
    ] {
        let users = api.get(&format!("/api/v1/users?search=status%20eq%20%22{status}%22")).await.expect(200).body;
        for user in users.as_array().unwrap() {
            let id = user["id"].as_str().unwrap();
            let q = filter(&format!(r#"target.id eq "{id}""#));
            let events = api.get(&format!("/api/v1/logs?sortOrder=DESCENDING&limit=1&{month}&{q}")).await.expect(200);
            assert_eq!(events.body[0]["eventType"], latest, "{status} {id}: {:#}", events.body);
        }
    }
    let edits = api
        .get(&format!("/api/v1/logs?limit=1000&{month}&{}", filter(r#"eventType eq "user.account.update_profile""#)))
        .await;
    let edits = edits.expect(200).body;
    let edit = &edits[0];
    assert_eq!(edit["actor"]["alternateId"], "admin@example.com");
    assert!(
        edit["target"][0]["changeDetails"]["from"].is_object() && edit["target"][0]["changeDetails"]["to"].is_object(),
        "{edit:#}"
    );
}

#[tokio::test]
async fn bad_requests_get_oktas_errors() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let cases = [
        (filter(r#"eventType eqq "x""#), 400, "E0000053"),
        (filter(r#"published gt "2024-01-01T00:00:00.000Z""#), 400, "E0000053"),
        (filter(r#"debugContext.debugData.url co "/oauth/""#), 400, "E0000031"),
        (format!("since={}", urlencoding(&ago(200))), 400, "E0000053"),
        ("until=yesterday".to_owned(), 400, "E0000001"),
        ("limit=1001".to_owned(), 400, "E0000001"),
        ("limit=many".to_owned(), 400, "E0000001"),
        (format!("q={}", "x".repeat(41)), 400, "E0000001"),
        (format!("q={}", urlencoding(&["a"; 11].join(" "))), 400, "E0000001"),
        ("sortOrder=SIDEWAYS".to_owned(), 400, "E0000001"),
        ("after=not-a-cursor".to_owned(), 400, "E0000029"),
        (format!("after=1_1&since={}", urlencoding(&ago(1))), 400, "E0000001"),
    ];
    for (query, status, code) in cases {
        let reply = api.get(&format!("/api/v1/logs?{query}")).await;
        assert_eq!((reply.status, reply.error_code()), (status, Some(code)), "{query}: {}", reply.text);
    }
    let since = api.get(&format!("/api/v1/logs?since={}", urlencoding(&ago(200)))).await;
    assert_eq!(
        since.body["errorSummary"],
        "Invalid parameter: The since parameter is over 180 days prior to the current day."
    );
    let date = api.get("/api/v1/logs?until=yesterday").await;
    assert_eq!(date.causes().len(), 2, "{}", date.text);
    api.get("/api/v1/logs?limit=0").await.expect(200);
    api.get(&format!("/api/v1/logs?since={}", urlencoding(&ago(170)))).await.expect(200);
}

#[tokio::test]
async fn the_logs_bucket_allows_120_a_window_and_answers_429_as_okta_does() {
    let org = org_with(OrgConfig::demo(TOKEN).with_rate_window(Duration::from_secs(5))).await;
    let api = Api::new(&org);
    let mut refused = None;
    for _ in 0..400 {
        let reply = api.get("/api/v1/logs?limit=1").await;
        if reply.status == 429 {
            refused = Some(reply);
            break;
        }
        assert_eq!(reply.header("x-rate-limit-limit"), Some("120"));
    }
    let refused = refused.expect("the bucket runs out").expect_error(429, "E0000047");
    assert_eq!(refused.header("x-rate-limit-limit"), Some("120"));
    assert_eq!(refused.header("x-rate-limit-remaining"), Some("0"));
    assert!(refused.header("x-rate-limit-reset").is_some_and(|r| r.parse::<u64>().is_ok()));
    let stats = api.get("/emulator/v1/stats").await.expect(200).body;
    assert_eq!(stats["buckets"]["logs"]["peakPerWindow"], 120, "{stats:#}");
    assert!(stats["buckets"]["logs"]["rateLimited"].as_u64() >= Some(1));
    // Other buckets are not spent by the log's.
    let users = api.get("/api/v1/users?limit=1").await.expect(200);
    assert_ne!(users.header("x-rate-limit-limit"), Some("120"));
    // The window rolls over and the log answers again.
    let deadline = Instant::now() + Duration::from_secs(30);
    while api.get("/api/v1/logs?limit=1").await.status == 429 {
        assert!(Instant::now() < deadline, "the window never rolled over");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_log_survives_a_restart_with_the_data_file_and_history_stays_the_same() {
    let dir = tempdir::Dir::new();
    let config = OrgConfig::demo(TOKEN).with_users(50).with_data_file(dir.path.join("org.sqlite"));
    let month = whole_month();
    let (before, suspended) = {
        let org = org_with(config.clone()).await;
        let api = Api::new(&org);
        let user = api.get("/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=3").await.body[1]["id"].clone();
        let reply = api.post_empty(&format!("/api/v1/users/{}/lifecycle/suspend", user.as_str().unwrap())).await;
        let suspended = events_of(&api, &reply.expect(200)).await;
        assert_eq!(suspended.len(), 1);
        (all_pages(&api, &format!("/api/v1/logs?limit=1000&{month}"), 20).await.0, suspended)
    };
    let org = org_with(config).await;
    let api = Api::new(&org);
    let (after, _) = all_pages(&api, &format!("/api/v1/logs?limit=1000&{month}"), 20).await;
    assert_eq!(after, before, "recorded events are kept and the generated history is regenerated the same");
    assert_eq!(after.last(), suspended.first());
    let q = filter(r#"eventType eq "user.lifecycle.suspend" and actor.alternateId eq "admin@example.com""#);
    let found = api.get(&format!("/api/v1/logs?{q}")).await.expect(200).body;
    assert!(found.as_array().unwrap().iter().any(|e| e["uuid"] == suspended[0]["uuid"]));
}
